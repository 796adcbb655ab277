// Looks at a web tab after the password vault submitted a login form: what each frame of the
// page shows now, for launcher/core/auth/vault_outcome.py to judge (success, refused, unknown).
// The launcher calls this function expression with one argument, serialised by json.dumps:
// {mark, username, password, success, failure, words}
// and runs it in the tab's top frame, in the isolated world the fill script ran in (so it can read
// the mark that script left on the login form's document). It visits every frame it may read
// (same origin as the top; others are only counted) and returns a JSON string:
// {frames: [{url, marked, ready, status, passwords, login, failure, success, words}], hidden}.
(function (plan) {
  "use strict";
  var MAX_FRAMES = 16;
  var MAX_TEXT = 50000;
  var MAX_URL = 2048;
  var seen = { frames: [], hidden: 0 };

  function find(doc, selector) {
    if (!selector) {
      return null;
    }
    try {
      return doc.querySelector(selector);
    } catch (e) {
      return null;
    }
  }

  function shown(win, el) {
    return el !== null && el.getClientRects().length > 0
      && win.getComputedStyle(el).visibility !== "hidden";
  }

  function status(win) {
    try {
      var entries = win.performance.getEntriesByType("navigation");
      return entries.length ? Number(entries[0].responseStatus) || 0 : 0;
    } catch (e) {
      return 0;
    }
  }

  function look(win) {
    var doc = win.document;
    var passwords = 0;
    var fields = doc.querySelectorAll("input[type=password i]");
    for (var i = 0; i < fields.length; i++) {
      if (shown(win, fields[i])) {
        passwords++;
      }
    }
    var text = doc.body ? String(doc.body.innerText || "").slice(0, MAX_TEXT).toLowerCase() : "";
    var words = [];
    for (var j = 0; j < plan.words.length; j++) {
      var word = String(plan.words[j]).toLowerCase();
      if (word && text.indexOf(word) >= 0) {
        words.push(plan.words[j]);
      }
    }
    return {
      url: String(win.location.href).slice(0, MAX_URL),
      marked: plan.mark !== "" && win.__yiduantongVaultMark === plan.mark,
      ready: doc.readyState === "complete",
      status: status(win),
      passwords: passwords,
      login: find(doc, plan.username) !== null && find(doc, plan.password) !== null,
      failure: shown(win, find(doc, plan.failure)),
      success: find(doc, plan.success) !== null,
      words: words
    };
  }

  function visit(win, depth) {
    if (seen.frames.length >= MAX_FRAMES || depth > 6) {
      seen.hidden++;
      return;
    }
    var entry;
    try {
      entry = look(win); // a frame of another origin throws here: it is only counted
    } catch (e) {
      seen.hidden++;
      return;
    }
    seen.frames.push(entry);
    for (var k = 0; k < win.frames.length; k++) {
      visit(win.frames[k], depth + 1);
    }
  }

  try {
    visit(window, 0);
  } catch (e) {
    seen.error = String(e).slice(0, 200);
  }
  return JSON.stringify(seen);
})
