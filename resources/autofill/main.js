// Part 4: the entry — ARGS.op is "scan", "fill" or "poll". Every answer is a JSON string,
// because runJavaScript hands objects back as ''.
var FIELD_TIMEOUT_MS = 8000;

function jobs() {
  // A global of the isolated world: the page's scripts never see it; it goes with the document.
  if (!window.__launcherFillJobs) {
    window.__launcherFillJobs = {};
  }
  return window.__launcherFillJobs;
}

function withTimeout(promise, ms) {
  return Promise.race([promise, sleep(ms).then(function () { return "timeout"; })]);
}

async function runFill(job, origin, fields) {
  for (var i = 0; i < fields.length; i++) {
    var f = fields[i] || {};
    var ref = String(f.ref || "");
    if (canonicalOrigin(location.origin) !== origin) {
      job.results[ref] = "frame";
      continue;
    }
    var result;
    try {
      result = await withTimeout(fillOne(window, origin, f), FIELD_TIMEOUT_MS);
    } catch (e) {
      result = "error: " + bounded(String(e), 200);
    }
    job.results[ref] = result;
  }
  job.done = true;
}

function startFill(args) {
  var token = String(args.token);
  var origin = canonicalOrigin(args.origin);
  var job = { done: false, results: {}, refused: "" };
  jobs()[token] = job;
  if (origin === null || canonicalOrigin(location.origin) !== origin || window.top !== window.self) {
    job.refused = "origin";
    job.done = true;
    return { started: token, refused: "origin" };
  }
  var fields = Array.isArray(args.fields) ? args.fields.slice(0, LIMITS.fields) : [];
  // One fill at a time in a page: two at once would open each other's dropdowns.
  var previous = window.__launcherFillChain || Promise.resolve();
  window.__launcherFillChain = previous.then(function () {
    return runFill(job, origin, fields);
  }).catch(function (e) {
    job.refused = "error: " + bounded(String(e), 200);
    job.done = true;
  });
  return { started: token };
}

function poll(args) {
  var job = jobs()[String(args.token)];
  if (!job) {
    // Another document than the one the fill started in (the page navigated away).
    return { done: true, results: {}, refused: "gone" };
  }
  if (!job.done) {
    return null;
  }
  return { done: true, results: job.results, refused: job.refused };
}

var answer;
try {
  if (ARGS.op === "scan") {
    answer = scan(ARGS);
  } else if (ARGS.op === "fill") {
    answer = startFill(ARGS);
  } else if (ARGS.op === "poll") {
    answer = poll(ARGS);
  } else {
    answer = { refused: "error: unknown op" };
  }
} catch (e) {
  answer = { refused: "error: " + bounded(String(e), 200), fields: [] };
}
return JSON.stringify(answer);
