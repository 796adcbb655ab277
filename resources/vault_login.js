// Signs in to a legacy platform's own login form with the account saved in the password vault.
// The launcher calls this function expression with one argument, serialised by json.dumps:
// {origin, autosubmit, username: {selector, value}, password: {selector, value}, submit, failure},
// and runs it in the page's main frame in an isolated world (QWebEngineScript.ApplicationWorld), so the
// page's own scripts cannot replace what it uses. It returns a JSON string, because
// runJavaScript hands objects back as ''.
(function (plan) {
  "use strict";
  var result = { refused: null, failure: false, missing: [], filled: false, submitted: false };
  var DEFAULT_PORTS = { http: "80", https: "443" };
  var TEXT_TYPES = ["", "text", "email", "tel"];

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

  function find(selector) {
    if (!selector) {
      return null;
    }
    try {
      // document only: elements inside iframes belong to other documents and are never found.
      return document.querySelector(selector);
    } catch (e) {
      return null; // an invalid selector is a page that no longer matches its manifest
    }
  }

  function shown(el) {
    return el !== null && el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== "hidden";
  }

  function put(el, value) {
    // The prototype's own setter, not el.value = …: frameworks replace the element's value
    // property and would otherwise miss the change.
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function usable(el) {
    return el instanceof HTMLInputElement && !el.disabled && !el.readOnly;
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
    if (shown(find(plan.failure))) {
      // The page says a password was refused: never type over someone's attempt.
      result.failure = true;
      return finish();
    }
    var user = find(plan.username.selector);
    var pass = find(plan.password.selector);
    if (!usable(user)) {
      result.missing.push(plan.username.selector);
    }
    if (!usable(pass)) {
      result.missing.push(plan.password.selector);
    }
    if (result.missing.length) {
      return finish();
    }
    if (TEXT_TYPES.indexOf((user.getAttribute("type") || "").toLowerCase()) < 0) {
      result.refused = "username-field";
      return finish();
    }
    if (pass.type !== "password") {
      // A password goes only where the page masks it.
      result.refused = "password-field";
      return finish();
    }
    if (user.form !== pass.form) {
      result.refused = "form";
      return finish();
    }
    var button = plan.submit ? find(plan.submit) : null;
    if (plan.submit && (button === null || button.disabled
                        || ("form" in button && button.form !== pass.form))) {
      result.missing.push(plan.submit);
      return finish();
    }
    put(user, String(plan.username.value));
    put(pass, String(plan.password.value));
    result.filled = true;
    if (!plan.autosubmit) {
      return finish(); // the user presses the button
    }
    if (button !== null) {
      button.click();
    } else if (pass.form !== null) {
      if (typeof pass.form.requestSubmit === "function") {
        pass.form.requestSubmit();
      } else {
        pass.form.submit();
      }
    } else {
      result.missing.push("form");
      return finish();
    }
    result.submitted = true;
  } catch (e) {
    result.refused = "error: " + e;
  }
  return finish();
})
