// The launcher's page engine (基层一张表), part 1: shared helpers. page_script.py joins
// core.js, scan.js, drivers.js and main.js, in that order, inside one function that receives the
// request ARGS (serialised by json.dumps) and runs in the launcher's isolated world
// (QWebEngineScript.ApplicationWorld): the page's own scripts cannot see or replace it, and it
// cannot see theirs — it reads and drives the DOM only, as a person would.
var LIMITS = { label: 80, text: 80, options: 200, fields: 300, value: 200, frames: 20, depth: 3 };
var DEFAULT_PORTS = { http: "80", https: "443" };

// "http://Host:80" and "http://host" are the same origin; anything unparsable matches nothing.
function canonicalOrigin(text) {
  var m = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^\/:?#\[\]@]+)(?::(\d+))?\/?$/i.exec(String(text));
  if (!m) {
    return null;
  }
  var scheme = m[1].toLowerCase();
  return scheme + "://" + m[2].toLowerCase() + ":" + (m[3] || DEFAULT_PORTS[scheme]);
}

function bounded(text, size) {
  var s = String(text === undefined || text === null ? "" : text).replace(/\s+/g, " ").trim();
  return s.length > size ? s.slice(0, size) : s;
}

// A label as a person reads it: no required star, no trailing colon.
function cleanLabel(text) {
  return bounded(String(text || "").replace(/[*＊]/g, " ").replace(/[:：]\s*$/, ""), LIMITS.label);
}

function norm(text) {
  return String(text || "").replace(/[\s\u00a0\u3000]+/g, "").replace(/[:：*＊]/g, "")
    .toLowerCase();
}

function textOf(el) {
  if (!el) {
    return "";
  }
  var text = el.innerText !== undefined && el.innerText !== "" ? el.innerText : el.textContent;
  // Icon fonts (layui's, Element's) draw with private-use characters: not words.
  return bounded(String(text || "").replace(/[\ue000-\uf8ff]/g, ""), 400);
}

function tag(el) {
  return el && el.tagName ? el.tagName.toLowerCase() : "";
}

function hasClass(el, name) {
  return !!(el && el.classList && el.classList.contains(name));
}

function toArray(list) {
  return Array.prototype.slice.call(list || []);
}

function isVisible(el) {
  if (!el || !el.getClientRects) {
    return false;
  }
  var win = el.ownerDocument.defaultView;
  var style = win.getComputedStyle(el);
  if (style.display === "none" || style.visibility === "hidden") {
    return false;
  }
  return el.getClientRects().length > 0;
}

// Frames of this origin only: each is {path, win, doc}. Another origin's frame is never entered
// (reading its location throws, or its origin differs); the path counts every frame element, so
// a path stays the same whatever the other frames hold.
function sameOriginFrames(topWin, origin) {
  var out = [];
  function walk(win, path, depth) {
    out.push({ path: path, win: win, doc: win.document });
    if (depth >= LIMITS.depth) {
      return;
    }
    var elements = toArray(win.document.querySelectorAll("iframe, frame"));
    elements.slice(0, LIMITS.frames).forEach(function (frameEl, i) {
      var child = null;
      try {
        child = frameEl.contentWindow;
        if (!child || canonicalOrigin(child.location.origin) !== origin || !child.document) {
          return;
        }
      } catch (e) {
        return; // another origin
      }
      walk(child, path + "." + i, depth + 1);
    });
  }
  walk(topWin, "0", 0);
  return out;
}

function findFrame(topWin, origin, path) {
  var frames = sameOriginFrames(topWin, origin);
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].path === path) {
      return frames[i];
    }
  }
  return null;
}

function cssEscape(text) {
  return window.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/[^\w-]/g, "\\$&");
}

function uniqueIn(doc, selector, el) {
  try {
    var found = doc.querySelectorAll(selector);
    return found.length === 1 && found[0] === el;
  } catch (e) {
    return false;
  }
}

// A selector that finds el in its own document: #id, tag[name=...], else a path of
// :nth-of-type steps from the nearest ancestor with a unique id (or the body).
// Ids a framework makes up on each load (el-id-1024-7, rc_select_3, :r1:) find nothing next time.
function stableId(id) {
  return !!id && !/^(el-id-|rc_select_|rc-|:r|v-|__)|^\d|-\d{3,}-\d+$/.test(id);
}

function selectorFor(el) {
  var doc = el.ownerDocument;
  if (stableId(el.id) && uniqueIn(doc, "#" + cssEscape(el.id), el)) {
    return "#" + cssEscape(el.id);
  }
  var name = el.getAttribute && el.getAttribute("name");
  if (name) {
    var byName = tag(el) + '[name="' + String(name).replace(/["\\]/g, "\\$&") + '"]';
    if (uniqueIn(doc, byName, el)) {
      return byName;
    }
  }
  var steps = [];
  var node = el;
  while (node && node.nodeType === 1 && node !== doc.body && node !== doc.documentElement) {
    if (node !== el && stableId(node.id) && uniqueIn(doc, "#" + cssEscape(node.id), node)) {
      steps.unshift("#" + cssEscape(node.id));
      return steps.join(" > ");
    }
    var t = tag(node);
    var index = 1;
    var sib = node.previousElementSibling;
    while (sib) {
      if (tag(sib) === t) {
        index++;
      }
      sib = sib.previousElementSibling;
    }
    steps.unshift(t + ":nth-of-type(" + index + ")");
    node = node.parentElement;
  }
  steps.unshift("body");
  return steps.join(" > ");
}

function query(doc, selector) {
  try {
    return doc.querySelector(selector);
  } catch (e) {
    return null; // an invalid selector is a form that no longer matches its manifest
  }
}

function protoSetter(el) {
  var t = tag(el);
  var proto = t === "textarea" ? HTMLTextAreaElement.prototype
    : t === "select" ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  return Object.getOwnPropertyDescriptor(proto, "value").set;
}

// The prototype's own setter, not el.value = …: frameworks replace the element's value property
// (React, some Vue wrappers) and would otherwise miss the change.
function setNativeValue(el, value) {
  protoSetter(el).call(el, value);
}

function fire(el, type, init) {
  var win = el.ownerDocument.defaultView;
  var opts = init || {};
  var ev;
  if (/^(mouse|click|dblclick)/.test(type)) {
    ev = new win.MouseEvent(type, Object.assign({ bubbles: true, cancelable: true, view: win,
                                                  button: 0, buttons: 1 }, opts));
  } else if (/^key/.test(type)) {
    ev = new win.KeyboardEvent(type, Object.assign({ bubbles: true, cancelable: true }, opts));
  } else if (type === "focus" || type === "blur") {
    ev = new win.FocusEvent(type, { bubbles: false });
  } else if (type === "focusin" || type === "focusout") {
    ev = new win.FocusEvent(type, { bubbles: true });
  } else if (type === "input") {
    ev = new win.InputEvent("input", Object.assign({ bubbles: true, inputType: "insertText" },
                                                   opts));
  } else {
    ev = new win.Event(type, { bubbles: true, cancelable: true });
  }
  el.dispatchEvent(ev);
  return ev;
}

function clickLikePerson(el) {
  fire(el, "mousedown");
  fire(el, "mouseup");
  el.click();
}

function key(el, name) {
  var codes = { Enter: 13, Escape: 27, Tab: 9, ArrowDown: 40 };
  var init = { key: name, code: name, keyCode: codes[name] || 0, which: codes[name] || 0 };
  fire(el, "keydown", init);
  fire(el, "keyup", init);
}

function sleep(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms); });
}

// Polls fn() until it returns something truthy, or gives null after timeoutMs.
function waitFor(fn, timeoutMs) {
  var until = Date.now() + (timeoutMs || 1500);
  return new Promise(function (resolve) {
    (function again() {
      var got = null;
      try {
        got = fn();
      } catch (e) {
        got = null;
      }
      if (got) {
        resolve(got);
      } else if (Date.now() > until) {
        resolve(null);
      } else {
        setTimeout(again, 40);
      }
    })();
  });
}

function sameText(a, b) {
  return norm(a) === norm(b);
}

// An option matching the value: exact value, exact text, then normalised text.
function pickOption(options, value, textOf_, valueOf) {
  var v = String(value);
  var i;
  for (i = 0; i < options.length; i++) {
    if (valueOf && valueOf(options[i]) === v) {
      return options[i];
    }
  }
  for (i = 0; i < options.length; i++) {
    if (bounded(textOf_(options[i]), 400) === bounded(v, 400)) {
      return options[i];
    }
  }
  for (i = 0; i < options.length; i++) {
    if (sameText(textOf_(options[i]), v)) {
      return options[i];
    }
  }
  // A yes/no value ("true"/"false", as the dictionary keeps it) for a 是/否 choice.
  var yesNo = { "true": "是", "false": "否" }[v.trim().toLowerCase()];
  if (yesNo) {
    for (i = 0; i < options.length; i++) {
      if (norm(textOf_(options[i])) === yesNo) {
        return options[i];
      }
    }
  }
  return null;
}
