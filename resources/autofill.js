// Fills a platform's form from the profile (基层一张表). The launcher calls this function
// expression with one argument, the fill plan {origin, values: {selector: value}}, serialised by
// json.dumps, and runs it in the main frame of the page; run it in an isolated world
// (QWebEngineScript.ApplicationWorld) so the page's own scripts cannot replace what it uses.
// It returns a JSON string, because runJavaScript hands objects back as ''.
(function (plan) {
  "use strict";
  var result = { filled: [], missing: [], skipped: {}, refused: null };
  var DEFAULT_PORTS = { http: "80", https: "443" };
  var TEXT_TYPES = ["", "text", "search", "tel", "url", "email", "number", "date", "month",
                    "week", "time", "datetime-local"];

  function finish() {
    return JSON.stringify(result);
  }

  // "http://Host:80" and "http://host" are the same origin; anything unparsable matches nothing.
  function canonicalOrigin(text) {
    var m = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^\/:?#\[\]@]+)(?::(\d+))?\/?$/i.exec(String(text));
    if (!m) {
      return null;
    }
    var scheme = m[1].toLowerCase();
    return scheme + "://" + m[2].toLowerCase() + ":" + (m[3] || DEFAULT_PORTS[scheme]);
  }

  function setValue(el, proto, value) {
    // The prototype's own setter, not el.value = …: frameworks such as React replace the
    // element's value property and would otherwise miss the change.
    Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
  }

  function announce(el) {
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fillInput(el, value) {
    var type = (el.getAttribute("type") || "").toLowerCase();
    if (type === "password") {
      return "password";
    }
    if (TEXT_TYPES.indexOf(type) < 0) {
      return "unsupported:" + type;
    }
    if (type === "date") {
      value = value.replace(/\//g, "-");
    }
    var before = el.value;
    setValue(el, HTMLInputElement.prototype, value);
    if (el.value !== value) {
      // The browser refused the value (e.g. text in a number field): leave the field as it was.
      setValue(el, HTMLInputElement.prototype, before);
      return "rejected";
    }
    announce(el);
    return null;
  }

  function fillSelect(el, value) {
    if (el.multiple) {
      return "unsupported:select-multiple";
    }
    var options = Array.prototype.slice.call(el.options);
    var match = options.filter(function (o) { return o.value === value; })[0]
      || options.filter(function (o) { return o.text.trim() === value.trim(); })[0];
    if (!match || match.disabled) {
      return "no-option";
    }
    setValue(el, HTMLSelectElement.prototype, match.value);
    announce(el);
    return null;
  }

  function fill(el, value) {
    if (el.disabled || el.readOnly) {
      return "readonly";
    }
    if (el instanceof HTMLInputElement) {
      return fillInput(el, value);
    }
    if (el instanceof HTMLTextAreaElement) {
      setValue(el, HTMLTextAreaElement.prototype, value);
      announce(el);
      return null;
    }
    if (el instanceof HTMLSelectElement) {
      return fillSelect(el, value);
    }
    return "unsupported:" + el.tagName.toLowerCase();
  }

  try {
    if (window.top !== window.self) {
      result.refused = "frame";
      return finish();
    }
    var here = canonicalOrigin(location.origin);
    if (here === null || here !== canonicalOrigin(plan.origin)) {
      result.refused = "origin";
      return finish();
    }
    Object.keys(plan.values).forEach(function (selector) {
      var el = null;
      try {
        // document only: elements inside iframes belong to other documents and are never found.
        el = document.querySelector(selector);
      } catch (e) {
        el = null; // an invalid selector is a form that no longer matches its manifest
      }
      if (el === null) {
        result.missing.push(selector);
        return;
      }
      var why = fill(el, String(plan.values[selector]));
      if (why === null) {
        result.filled.push(selector);
      } else {
        result.skipped[selector] = why;
      }
    });
  } catch (e) {
    result.refused = "error: " + e;
  }
  return finish();
})
