// Signs in to a legacy platform's own login form with the account saved in the password vault.
// The launcher calls this function expression with one argument, serialised by json.dumps:
// {origin, path, mode, mark, overFailure, username: {selector, value}, password: {selector, value},
//  submit, failure, captcha}
// and runs it in the login page's frame (the top frame, or a frame of a frameset) in an isolated
// world (QWebEngineScript.ApplicationWorld), so the page's own scripts cannot replace what it uses.
// mode: "inspect" looks only; "fill" fills user name and password; "submit" fills and submits,
// unless the form has a captcha (then it fills and focuses the captcha: the person types it and
// presses the button). It returns a JSON string, because runJavaScript hands objects back as ''.
(function (plan) {
  "use strict";
  var result = { refused: null, failure: false, missing: [], captcha: false, filled: false,
                 submitted: false, focused: false };
  var DEFAULT_PORTS = { http: "80", https: "443" };
  var TEXT_TYPES = ["", "text", "email", "tel"];
  var NOT_TYPED = ["hidden", "submit", "button", "image", "reset", "checkbox", "radio", "file",
                   "password", "range", "color"];
  // Names, ids, placeholders, labels and classes of captcha inputs and widgets seen on county
  // systems: 验证码 (yzm), 校验码, verify/check/valid/rand/auth/img code, kaptcha, slider captchas.
  var CAPTCHA_WORDS = new RegExp(
    "captcha|kaptcha|yzm|验证码|校验码|安全码|verif(y|ication)?[_-]?code|check[_-]?code|"
    + "valid(ate)?[_-]?code|rand(om)?[_-]?code|auth[_-]?code|img[_-]?code|vcode|"
    + "geetest|slide[_-]?verify|nc[_-]wrapper|tcaptcha", "i");
  var MAX_ANCESTORS = 8;

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

  function canonicalPath(text) {
    var path = String(text).replace(/\/+$/, "") || "/";
    try {
      return decodeURI(path);
    } catch (e) {
      return path;
    }
  }

  // The frames above this one: each must be a page of the same origin. A cross-origin parent
  // throws on reading its origin; that is the answer too.
  function framedElsewhere(here) {
    var w = window;
    for (var depth = 0; w !== w.parent; depth++) {
      if (depth >= MAX_ANCESTORS) {
        return true;
      }
      var parentOrigin;
      try {
        parentOrigin = w.parent.location.origin;
      } catch (e) {
        return true;
      }
      if (canonicalOrigin(parentOrigin) !== here) {
        return true;
      }
      w = w.parent;
    }
    return false;
  }

  function find(selector) {
    if (!selector) {
      return null;
    }
    try {
      // document only: elements inside frames belong to other documents and are never found.
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

  function describe(el) {
    var parts = [el.name, el.id, el.getAttribute("placeholder"), el.getAttribute("aria-label"),
                 el.getAttribute("title"), el.getAttribute("class")];
    if (el.labels) {
      for (var i = 0; i < el.labels.length; i++) {
        parts.push(String(el.labels[i].textContent).slice(0, 100));
      }
    }
    return parts.join(" ");
  }

  // An image or canvas right beside the input (a picture of characters to type).
  function besideAnImage(el) {
    var box = el.parentElement;
    for (var level = 0; level < 2 && box !== null; level++) {
      if (box.querySelector("img, canvas")) {
        return true;
      }
      box = box.parentElement;
    }
    return false;
  }

  // The captcha of the login form: the manifest's, else an input named like one (present even
  // when hidden: it may be shown after a failed attempt), else another typed input shown beside
  // an image, else a captcha widget (a slider, a captcha frame). Null when there is none.
  function captchaOf(form, user, pass) {
    var declared = find(plan.captcha);
    if (declared !== null) {
      return declared;
    }
    var scope = form || document;
    var inputs = scope.querySelectorAll("input, textarea");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      var type = (el.getAttribute("type") || "").toLowerCase();
      if (el === user || el === pass || NOT_TYPED.indexOf(type) >= 0) {
        continue;
      }
      if (CAPTCHA_WORDS.test(describe(el)) || (shown(el) && besideAnImage(el))) {
        return el;
      }
    }
    var widgets = scope.querySelectorAll("[id], [class], iframe[src], img[src]");
    for (var j = 0; j < widgets.length && j < 2000; j++) {
      var w = widgets[j];
      var text = [w.id, w.getAttribute("class"), w.getAttribute("src"),
                  w.getAttribute("alt")].join(" ");
      if (CAPTCHA_WORDS.test(text)) {
        return w;
      }
    }
    return null;
  }

  try {
    var here = canonicalOrigin(location.origin);
    if (here === null || here !== canonicalOrigin(plan.origin)) {
      result.refused = "origin";
      return finish();
    }
    if (canonicalPath(location.pathname) !== canonicalPath(plan.path)) {
      result.refused = "page";
      return finish();
    }
    if (framedElsewhere(here)) {
      result.refused = "frame";
      return finish();
    }
    if (!plan.overFailure && shown(find(plan.failure))) {
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
    var captcha = captchaOf(pass.form, user, pass);
    result.captcha = captcha !== null;
    if (plan.mode === "inspect") {
      return finish();
    }
    put(user, String(plan.username.value));
    put(pass, String(plan.password.value));
    result.filled = true;
    if (captcha !== null) {
      // Never submitted without the captcha: the person types it and presses the button.
      if (shown(captcha) && typeof captcha.focus === "function") {
        captcha.focus();
        result.focused = document.activeElement === captcha;
      }
      return finish();
    }
    if (plan.mode !== "submit") {
      pass.focus();
      return finish(); // the person presses the button
    }
    // Read back by the outcome probe: while this document is still here, no answer came yet.
    window.__yiduantongVaultMark = String(plan.mark);
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
