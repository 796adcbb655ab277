// Part 3: the drivers — each widget used as a person uses it, so the value reaches the
// framework's own model (and its validation sees it). Each returns a promise of a result code.
var CUSTOM_ROOTS = ROOTS;

function dropdownsVisible(doc, selector) {
  return toArray(doc.querySelectorAll(selector)).filter(isVisible);
}

function fresh(list, before) {
  return list.filter(function (x) { return before.indexOf(x) < 0; })[0] || null;
}

function splitValues(value, multiple) {
  var v = String(value);
  return multiple ? v.split("\n").map(function (s) { return s.trim(); }).filter(Boolean) : [v];
}

async function fillText(el, value) {
  if (el.value === value) {
    return "unchanged";
  }
  var before = el.value;
  el.focus();
  fire(el, "focusin");
  setNativeValue(el, value);
  if (el.value !== value) {
    // The browser refused the value (e.g. text in a number field): leave the field as it was.
    setNativeValue(el, before);
    return "rejected";
  }
  fire(el, "input", { data: value });
  fire(el, "change");
  el.blur();
  fire(el, "blur");
  fire(el, "focusout");
  return "ok";
}

async function fillNativeSelect(el, value, multiple) {
  var options = toArray(el.options).filter(function (o) { return !o.disabled; });
  var wanted = splitValues(value, multiple);
  var picked = [];
  for (var i = 0; i < wanted.length; i++) {
    var o = pickOption(options, wanted[i], function (x) { return x.text; },
                       function (x) { return x.value; });
    if (!o) {
      return "no-option";
    }
    picked.push(o);
  }
  var rendered = el.nextElementSibling;
  if (rendered && hasClass(rendered, "layui-form-select")) {
    return layuiSelect(el, rendered, picked[0]);
  }
  var same = toArray(el.options).every(function (o) { return o.selected === (picked.indexOf(o) >= 0); });
  if (same) {
    return "unchanged";
  }
  if (multiple) {
    toArray(el.options).forEach(function (o) { o.selected = picked.indexOf(o) >= 0; });
  } else {
    setNativeValue(el, picked[0].value);
  }
  fire(el, "input");
  fire(el, "change");
  fire(el, "blur");
  return "ok";
}

async function layuiSelect(el, rendered, option) {
  if (el.value === option.value && el.selectedIndex === option.index) {
    return "unchanged";
  }
  var title = rendered.querySelector(".layui-select-title") || rendered;
  var target = title.querySelector("input") || title;
  target.click();
  var dd = await waitFor(function () {
    var scope = rendered.querySelector("dl") ? rendered : el.ownerDocument;
    return toArray(scope.querySelectorAll("dd[lay-value]")).filter(function (d) {
      return d.getAttribute("lay-value") === option.value && isVisible(d);
    })[0];
  }, 1500);
  if (!dd) {
    return "error: the list did not open";
  }
  dd.click();
  await waitFor(function () { return el.value === option.value; }, 800);
  return el.value === option.value ? "ok" : "rejected";
}

function renderedLayui(input) {
  var r = input.nextElementSibling;
  return r && /layui-form-(radio|checkbox|switch)/.test(r.className || "") ? r : null;
}

async function toggleInput(input) {
  var rendered = renderedLayui(input);
  if (rendered) {
    rendered.click();
  } else {
    input.click();
  }
  await sleep(20);
}

async function fillChoiceInputs(group, value, multiple, single) {
  if (single) {
    var want = /^(true|1|是|yes|on)$/i.test(String(value).trim());
    if (group[0].checked === want) {
      return "unchanged";
    }
    await toggleInput(group[0]);
    return group[0].checked === want ? "ok" : "rejected";
  }
  var optText = function (i) {
    var r = renderedLayui(i);
    var l = r || i.closest("label") || (i.id && i.ownerDocument.querySelector(
      'label[for="' + cssEscape(i.id) + '"]'));
    return l ? textOf(l) : (i.getAttribute("title") || i.value);
  };
  var wanted = splitValues(value, multiple);
  var picked = [];
  for (var k = 0; k < wanted.length; k++) {
    var o = pickOption(group, wanted[k], optText, function (i) { return i.value; });
    if (!o) {
      return "no-option";
    }
    picked.push(o);
  }
  var changed = false;
  for (var n = 0; n < group.length; n++) {
    var should = picked.indexOf(group[n]) >= 0;
    if (group[n].type === "radio" && !should) {
      continue;
    }
    if (group[n].checked !== should) {
      if (group[n].disabled) {
        return "readonly";
      }
      await toggleInput(group[n]);
      changed = true;
    }
  }
  var okNow = group.every(function (i) {
    return i.type === "radio" && picked.indexOf(i) < 0 ? true : i.checked === (picked.indexOf(i) >= 0);
  });
  return !okNow ? "rejected" : changed ? "ok" : "unchanged";
}

async function layuiSwitch(input, value) {
  var want = /^(true|1|是|yes|on)$/i.test(String(value).trim());
  if (input.checked === want) {
    return "unchanged";
  }
  var rendered = renderedLayui(input);
  if (rendered) {
    rendered.click();
  } else {
    input.click();
  }
  await sleep(20);
  return input.checked === want ? "ok" : "rejected";
}

// --- Element UI / Element Plus ---------------------------------------------------------------

function sameSet(a, b) {
  return a.length === b.length && a.every(function (x) {
    return b.some(function (y) { return sameText(x, y); });
  });
}

// A multiple select's chosen values a person sees as tags: remove those not wanted with the
// tag's own close button. Answers whether any was removed.
async function removeUnwantedTags(root, tagSelector, textFn, closeSelector, wanted) {
  var removed = false;
  for (var n = 0; n < 50; n++) {
    var extra = toArray(root.querySelectorAll(tagSelector)).filter(function (t) {
      var text = textFn(t);
      return text && !wanted.some(function (w) { return sameText(w, text); });
    })[0];
    var close = extra ? extra.querySelector(closeSelector) : null;
    if (!close) {
      return removed;
    }
    fire(close, "mousedown");
    close.click();
    removed = true;
    await sleep(60);
  }
  return removed;
}

// An option of an Element dropdown; a virtual one (el-select-v2) renders only what shows, so
// its list is scrolled from the top, a page at a time, until the option is there.
async function elementFindItem(dropdown, wanted) {
  var find = function () { return pickOption(elementSelectItems(dropdown), wanted, textOf, null); };
  var found = find();
  if (found) {
    return found;
  }
  var list = dropdown.querySelector("[role=listbox], .el-select-dropdown__list");
  var holder = list;
  while (holder && holder !== dropdown && !(holder.scrollHeight > holder.clientHeight + 4 &&
         /auto|scroll/.test(holder.ownerDocument.defaultView.getComputedStyle(holder).overflowY))) {
    holder = holder.parentElement;
  }
  if (!holder || holder === dropdown) {
    return null;
  }
  var shown = function () { return elementSelectItems(dropdown).map(textOf).join("\n"); };
  var seen = shown();
  var moved = function () { return shown() !== seen ? "yes" : null; };
  holder.scrollTop = 0;
  fire(holder, "scroll");
  await waitFor(moved, 300);
  for (var n = 0; n < 400; n++) {
    found = find();
    if (found) {
      return found;
    }
    seen = shown();
    var last = holder.scrollTop;
    holder.scrollTop = last + Math.max(holder.clientHeight - 34, 34);
    fire(holder, "scroll");
    if (holder.scrollTop === last) {
      break; // the end of the list
    }
    await waitFor(moved, 500);
  }
  return find();
}

async function elementSelect(root, fw, value, multiple) {
  var doc = root.ownerDocument;
  var wanted = splitValues(value, multiple);
  var now = describeCustom(root, fw);
  var chosen = now.value ? now.value.split("\n") : [];
  if (multiple ? sameSet(chosen, wanted) : sameText(now.value, wanted[0])) {
    return "unchanged";
  }
  if (multiple) {
    await removeUnwantedTags(root, ".el-tag", function (t) {
      return textOf(t.querySelector(".el-select__tags-text, .el-tag__content") || t);
    }, ".el-tag__close", wanted);
    chosen = describeCustom(root, fw).value.split("\n");
    if (sameSet(chosen.filter(Boolean), wanted)) {
      return "ok";
    }
  }
  var before = dropdownsVisible(doc, ".el-select-dropdown");
  var trigger = fw === "element-plus" ? (root.querySelector(".el-select__wrapper") || root)
    : (root.querySelector(".el-input__inner") || root);
  clickLikePerson(trigger);
  var dropdown = await waitFor(function () {
    var linked = elementDropdown(root);
    if (linked && isVisible(linked)) {
      return linked;
    }
    return fresh(dropdownsVisible(doc, ".el-select-dropdown"), before);
  }, 2000);
  if (!dropdown) {
    return "error: the list did not open";
  }
  openedDropdowns().set(root, dropdown);
  var result = "ok";
  for (var i = 0; i < wanted.length; i++) {
    var item = await elementFindItem(dropdown, wanted[i]);
    if (!item) {
      result = "no-option";
      break;
    }
    if (multiple && /\b(selected|is-selected)\b/.test(item.className)) {
      continue;
    }
    fire(item, "mouseenter");
    fire(item, "mousemove");
    item.click();
    await sleep(60);
  }
  if (!multiple && result === "ok") {
    await waitFor(function () { return !isVisible(dropdown); }, 600);
  }
  if (isVisible(dropdown)) {
    var input = root.querySelector("input");
    if (input) {
      key(input, "Escape");
    }
    await waitFor(function () { return !isVisible(dropdown); }, 600);
    if (isVisible(dropdown)) {
      clickLikePerson(trigger);
      await waitFor(function () { return !isVisible(dropdown); }, 600);
    }
  }
  if (result !== "ok") {
    return result;
  }
  var after = await waitFor(function () {
    var v = describeCustom(root, fw).value;
    return wanted.every(function (w) { return v.split("\n").some(function (x) { return sameText(x, w); }); })
      ? "yes" : null;
  }, 1000);
  return after ? "ok" : "rejected";
}

async function elementChoiceGroup(root, value, multiple) {
  var radio = /radio/.test(root.className);
  var wrappers = toArray(root.querySelectorAll(radio
    ? ".el-radio, .el-radio-button, .ant-radio-wrapper, .ant-radio-button-wrapper"
    : ".el-checkbox, .el-checkbox-button, .ant-checkbox-wrapper"));
  var inputs = wrappers.map(function (w) { return w.querySelector("input"); });
  var wanted = splitValues(value, multiple);
  var picked = [];
  for (var k = 0; k < wanted.length; k++) {
    var w = pickOption(wrappers, wanted[k], textOf, function (x) {
      var i = x.querySelector("input");
      return i ? i.value : null;
    });
    if (!w) {
      return "no-option";
    }
    picked.push(inputs[wrappers.indexOf(w)]);
  }
  var changed = false;
  for (var n = 0; n < inputs.length; n++) {
    var input = inputs[n];
    if (!input) {
      continue;
    }
    var should = picked.indexOf(input) >= 0;
    if (radio && !should) {
      continue;
    }
    if (input.checked !== should) {
      if (input.disabled) {
        return "readonly";
      }
      input.click();
      changed = true;
      await sleep(30);
    }
  }
  var ok = await waitFor(function () {
    return inputs.every(function (i) {
      return !i || (radio && picked.indexOf(i) < 0) || i.checked === (picked.indexOf(i) >= 0);
    }) ? "yes" : null;
  }, 800);
  return !ok ? "rejected" : changed ? "ok" : "unchanged";
}

function wantBool(value) {
  return /^(true|1|是|yes|on)$/i.test(String(value).trim());
}

async function singleCheckbox(root, value) {
  var input = root.querySelector("input");
  var want = wantBool(value);
  if (!input) {
    return "missing";
  }
  if (input.checked === want) {
    return "unchanged";
  }
  input.click();
  var ok = await waitFor(function () { return input.checked === want ? "yes" : null; }, 800);
  return ok ? "ok" : "rejected";
}

async function switchWidget(root, value) {
  var want = wantBool(value);
  var on = function () { return /is-checked|ant-switch-checked/.test(root.className); };
  if (on() === want) {
    return "unchanged";
  }
  root.click();
  var ok = await waitFor(function () { return on() === want ? "yes" : null; }, 800);
  return ok ? "ok" : "rejected";
}

function digits(text) {
  return String(text || "").replace(/\D/g, "");
}

// The ways a date is written in pickers' display formats, the ISO one first.
function dateSpellings(value) {
  var m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(String(value).trim());
  if (!m) {
    return [String(value)];
  }
  var y = m[1], mo = m[2], d = m[3], rest = m[4];
  return [String(value), y + "/" + mo + "/" + d + rest, y + "年" + mo + "月" + d + "日" + rest,
          y + "." + mo + "." + d + rest, y + mo + d + rest];
}

function showsDate(input, value) {
  var want = digits(value);
  return want.length >= 8 && digits(input.value).indexOf(want) === 0;
}

// Types the date as a person does into a picker's input: each spelling in turn, committed with
// Enter, until the picker takes it (its display format may be 2026年12月01日 or 2026/12/01). A
// picker that took the text closes; one that could not parse it stays open with the text.
async function typeDate(input, value, prepare, isOpen) {
  var spellings = dateSpellings(value);
  for (var i = 0; i < spellings.length; i++) {
    if (!(await prepare())) {
      return false;
    }
    setNativeValue(input, spellings[i]);
    fire(input, "input", { data: spellings[i] });
    await sleep(60);
    key(input, "Enter");
    var taken = await waitFor(function () {
      return !isOpen() && showsDate(input, value) ? "yes" : null;
    }, 500);
    if (taken) {
      return true;
    }
  }
  return false;
}

async function elementDate(root, value) {
  var input = root.querySelector("input");
  if (!input) {
    return "missing";
  }
  if (input.disabled || input.readOnly) {
    return "readonly";
  }
  if (input.value === value || showsDate(input, value)) {
    return "unchanged";
  }
  // Element UI builds its picker on focus; typing before that makes it throw.
  var doc = root.ownerDocument;
  var before = dropdownsVisible(doc, ".el-picker-panel");
  input.focus();
  fire(input, "focus");
  fire(input, "focusin");
  var panel = await waitFor(function () {
    return fresh(dropdownsVisible(doc, ".el-picker-panel"), before);
  }, 800);
  if (!panel) {
    return "error: the date picker did not open";
  }
  var prepare = async function () {
    if (!isVisible(panel)) {
      input.focus();
      fire(input, "focus");
      await waitFor(function () { return isVisible(panel); }, 800);
    }
    return true;
  };
  var ok = await typeDate(input, value, prepare, function () { return isVisible(panel); });
  key(input, "Escape");
  input.blur();
  fire(input, "blur");
  fire(input, "focusout");
  ok = ok && !!(await waitFor(function () { return showsDate(input, value) ? "yes" : null; },
                              1000));
  if (panel && !(await waitFor(function () { return !isVisible(panel); }, 800))) {
    // Still open: a press elsewhere on the page closes it (its click-outside handler).
    fire(doc.body, "mousedown");
    fire(doc.body, "mouseup");
    await waitFor(function () { return !isVisible(panel); }, 800);
  }
  return ok ? "ok" : "rejected";
}

function cascaderPath(field) {
  if (field.path && field.path.length) {
    return field.path.map(String);
  }
  return String(field.value).split(/\s*(?:\/|>|\n)\s*/).filter(Boolean);
}

async function elementCascader(root, field) {
  var doc = root.ownerDocument;
  var path = cascaderPath(field);
  var before = dropdownsVisible(doc, ".el-cascader__dropdown, .el-cascader-panel");
  var trigger = root.querySelector(".el-input__wrapper, .el-input") || root;
  clickLikePerson(trigger);
  var panel = await waitFor(function () {
    return fresh(dropdownsVisible(doc, ".el-cascader__dropdown"), before);
  }, 2000);
  if (!panel) {
    return "error: the list did not open";
  }
  for (var level = 0; level < path.length; level++) {
    var node = await waitFor(function () {
      var menus = panel.querySelectorAll(".el-cascader-menu");
      var menu = menus[level];
      if (!menu) {
        return null;
      }
      return pickOption(toArray(menu.querySelectorAll(".el-cascader-node")), path[level],
        function (n) { return textOf(n.querySelector(".el-cascader-node__label") || n); }, null);
    }, 1200);
    if (!node) {
      key(root.querySelector("input") || root, "Escape");
      return "no-option";
    }
    node.click();
    if (level === path.length - 1) {
      var radio = node.querySelector("input[type=radio]");
      if (radio && !radio.checked) {
        radio.click();
      }
    }
    await sleep(80);
  }
  await waitFor(function () { return !isVisible(panel); }, 600);
  if (isVisible(panel)) {
    key(root.querySelector("input") || root, "Escape");
    await waitFor(function () { return !isVisible(panel); }, 1000);
  }
  var input = root.querySelector("input");
  var shown = input ? input.value : textOf(root);
  return sameText(shown.split(/\s*\/\s*/).pop(), path[path.length - 1]) ||
    sameText(shown, path.join("/")) ? "ok" : "rejected";
}

// --- Ant Design Vue --------------------------------------------------------------------------

async function antOpen(root) {
  var selector = root.querySelector(".ant-select-selector") || root;
  fire(selector, "mousedown");
  fire(selector, "mouseup");
  selector.click();
  return waitFor(function () {
    var dd = antDropdown(root);
    return dd && !hasClass(dd, "ant-select-dropdown-hidden") && isVisible(dd) ? dd : null;
  }, 2000);
}

async function antClose(root) {
  var input = root.querySelector("input");
  if (input) {
    key(input, "Escape");
    input.blur();
    fire(input, "blur");
  }
  await waitFor(function () {
    var dd = antDropdown(root);
    return !dd || !isVisible(dd) || hasClass(dd, "ant-select-dropdown-hidden");
  }, 800);
}

function renderedTitles(dd) {
  return toArray(dd.querySelectorAll(".ant-select-item-option")).map(function (o) {
    return o.getAttribute("title") || textOf(o);
  }).join("\n");
}

async function antFindOption(root, dd, wanted) {
  var holder = dd.querySelector(".rc-virtual-list-holder");
  var textFn = function (o) { return o.getAttribute("title") || textOf(o); };
  var find = function () {
    return pickOption(toArray(dd.querySelectorAll(".ant-select-item-option:not(" +
      ".ant-select-item-option-disabled)")), wanted, textFn, null);
  };
  var found = find();
  if (found || !holder) {
    return found;
  }
  // A virtual list renders only what shows: wheel it, as a person would, from the top down
  // until the option is there or the list ends.
  var wheel = function (dy) {
    holder.dispatchEvent(new (holder.ownerDocument.defaultView.WheelEvent)("wheel", {
      deltaY: dy, deltaMode: 0, bubbles: true, cancelable: true }));
  };
  var seen = renderedTitles(dd);
  var moved = function () { return renderedTitles(dd) !== seen ? "yes" : null; };
  wheel(-1000000);
  await waitFor(moved, 300); // already at the top: nothing moves
  seen = renderedTitles(dd);
  for (var n = 0; n < 300; n++) {
    found = find();
    if (found) {
      return found;
    }
    wheel(Math.max(holder.clientHeight - 40, 40));
    // The list moves on its next animation frame: wait for it, not a fixed time.
    if (!(await waitFor(moved, 500))) {
      break; // the end of the list (or a list that does not move for the wheel)
    }
    seen = renderedTitles(dd);
  }
  found = find();
  if (found) {
    return found;
  }
  // Else the keyboard: move the active option down until it is the one.
  var input = root.querySelector("input");
  var activeText = function () {
    var a = dd.querySelector(".ant-select-item-option-active");
    return a ? textFn(a) : "";
  };
  for (var k = 0; input && k < 1000; k++) {
    var active = dd.querySelector(".ant-select-item-option-active");
    if (active && pickOption([active], wanted, textFn, null)) {
      return active;
    }
    var before = activeText();
    key(input, "ArrowDown");
    if (!(await waitFor(function () { return activeText() !== before ? "yes" : null; }, 300))) {
      break; // the last option, or a list that does not follow the keys
    }
  }
  return find();
}

async function antSelect(root, value, multiple) {
  var wanted = splitValues(value, multiple);
  var now = describeCustom(root, "antd").value;
  if (multiple ? sameSet(now ? now.split("\n") : [], wanted) : sameText(now, wanted[0])) {
    return "unchanged";
  }
  if (multiple) {
    await removeUnwantedTags(root, ".ant-select-selection-item", function (t) {
      return t.getAttribute("title") || textOf(t);
    }, ".ant-select-selection-item-remove", wanted);
    now = describeCustom(root, "antd").value;
    if (sameSet(now ? now.split("\n") : [], wanted)) {
      return "ok";
    }
  }
  var dd = await antOpen(root);
  if (!dd) {
    return "error: the list did not open";
  }
  for (var i = 0; i < wanted.length; i++) {
    var option = await antFindOption(root, dd, wanted[i]);
    if (!option) {
      await antClose(root);
      return "no-option";
    }
    if (multiple && hasClass(option, "ant-select-item-option-selected")) {
      continue;
    }
    fire(option, "mouseenter");
    fire(option, "mousemove");
    option.click();
    await sleep(60);
  }
  await antClose(root);
  var ok = await waitFor(function () {
    var v = describeCustom(root, "antd").value.split("\n");
    return wanted.every(function (w) { return v.some(function (x) { return sameText(x, w); }); })
      ? "yes" : null;
  }, 1000);
  return ok ? "ok" : "rejected";
}

async function antDate(root, value) {
  var input = root.querySelector("input");
  if (!input) {
    return "missing";
  }
  if (input.disabled) {
    return "readonly";
  }
  if (input.value === value || showsDate(input, value)) {
    return "unchanged";
  }
  var doc = root.ownerDocument;
  var openPickers = function () {
    return dropdownsVisible(doc, ".ant-picker-dropdown").filter(function (d) {
      return !hasClass(d, "ant-picker-dropdown-hidden");
    });
  };
  var before = openPickers();
  var prepare = async function () {
    // The picker's input is read-only until a person presses on it (rc-picker's "typing").
    fire(input, "mousedown");
    input.focus();
    fire(input, "focus");
    fire(input, "focusin");
    fire(input, "mouseup");
    await waitFor(function () { return !input.readOnly && fresh(openPickers(), before); }, 800);
    return !input.readOnly;
  };
  if (!(await prepare())) {
    return "readonly";
  }
  var ok = await typeDate(input, value, async function () {
    return input.readOnly || !fresh(openPickers(), before) ? prepare() : true;
  }, function () { return !!fresh(openPickers(), before); });
  key(input, "Escape");
  input.blur();
  fire(input, "blur");
  fire(input, "focusout");
  ok = ok && !!(await waitFor(function () { return showsDate(input, value) ? "yes" : null; },
                              1000));
  var closed = function () { return fresh(openPickers(), before) ? null : "yes"; };
  if (!(await waitFor(closed, 800))) {
    // Still open: a press elsewhere on the page closes it.
    fire(doc.body, "mousedown");
    fire(doc.body, "mouseup");
    await waitFor(closed, 800);
  }
  return ok ? "ok" : "rejected";
}

async function antCascader(root, field) {
  var path = cascaderPath(field);
  var doc = root.ownerDocument;
  var before = dropdownsVisible(doc, ".ant-select-dropdown");
  var selector = root.querySelector(".ant-select-selector") || root;
  fire(selector, "mousedown");
  selector.click();
  var dd = await waitFor(function () {
    return antDropdown(root) && isVisible(antDropdown(root)) ? antDropdown(root)
      : fresh(dropdownsVisible(doc, ".ant-select-dropdown"), before);
  }, 2000);
  if (!dd) {
    return "error: the list did not open";
  }
  for (var level = 0; level < path.length; level++) {
    var item = await waitFor(function () {
      var menu = dd.querySelectorAll(".ant-cascader-menu")[level];
      return menu ? pickOption(toArray(menu.querySelectorAll(".ant-cascader-menu-item")),
        path[level], function (o) { return o.getAttribute("title") || textOf(o); }, null) : null;
    }, 1200);
    if (!item) {
      await antClose(root);
      return "no-option";
    }
    fire(item, "mousedown");
    item.click();
    await sleep(80);
  }
  await waitFor(function () { return !isVisible(dd) || hasClass(dd, "ant-select-dropdown-hidden"); },
                600);
  if (isVisible(dd) && !hasClass(dd, "ant-select-dropdown-hidden")) {
    await antClose(root);
  }
  var shown = describeCustom(root, "antd").value;
  return sameText(shown.split(/\s*\/\s*/).pop(), path[path.length - 1]) ||
    sameText(shown, path.join("/")) ? "ok" : "rejected";
}

// --- dispatch --------------------------------------------------------------------------------

async function fillOne(topWin, origin, field) {
  var frame = findFrame(topWin, origin, String(field.frame || "0"));
  if (!frame) {
    return "frame";
  }
  var el = query(frame.doc, String(field.selector || ""));
  if (!el) {
    return "missing";
  }
  if (!/^(input|textarea|select)$/.test(tag(el)) && !(el.closest && el.closest(CUSTOM_ROOTS))) {
    // A wrapper's selector (an el-input-number's id): the field inside it.
    el = el.querySelector("input:not([type=hidden]), textarea, select") || el;
  }
  var value = field.value === undefined || field.value === null ? "" : String(field.value);
  var root = el.closest ? el.closest(CUSTOM_ROOTS) : null;
  // A group field's selector names the group; a single checkbox inside a group is the group's.
  if (root && root.parentElement && root.matches(".el-checkbox, .ant-checkbox-wrapper")) {
    var group = root.parentElement.closest(".el-checkbox-group, .ant-checkbox-group");
    if (group && field.widget === "checkbox" && String(value).indexOf("\n") >= 0) {
      root = group;
    }
  }
  var t = tag(el);
  var type = (el.getAttribute("type") || "").toLowerCase();
  if (type === "password") {
    return "password";
  }
  if (type === "file" || field.file) {
    // Only a file the plan gives (files.js); never a click that opens the file dialog.
    return field.file ? fillFile(el, field) : "rejected";
  }
  if (root) {
    var fw = root.className.indexOf("ant-") >= 0 ? "antd" : elementFlavor(frame.doc);
    var d = describeCustom(root, fw);
    if (d.disabled) {
      return "readonly";
    }
    if (root.matches(".el-select")) {
      return elementSelect(root, fw, value, d.multiple || String(field.value).indexOf("\n") >= 0 &&
                           !!field.multiple);
    }
    if (root.matches(".el-radio-group, .el-checkbox-group, .ant-radio-group, .ant-checkbox-group")) {
      return elementChoiceGroup(root, value, d.multiple);
    }
    if (root.matches(".el-checkbox, .ant-checkbox-wrapper")) {
      return singleCheckbox(root, value);
    }
    if (root.matches(".el-switch, .ant-switch")) {
      return switchWidget(root, value);
    }
    if (root.matches(".el-date-editor")) {
      return elementDate(root, value);
    }
    if (root.matches(".ant-picker")) {
      return antDate(root, value);
    }
    if (root.matches(".el-cascader")) {
      return elementCascader(root, field);
    }
    if (root.matches(".ant-select.ant-cascader")) {
      return antCascader(root, field);
    }
    if (root.matches(".ant-select")) {
      return antSelect(root, value, d.multiple);
    }
    return "error: unknown widget";
  }
  if (el.disabled) {
    return "readonly";
  }
  if (t === "select") {
    return fillNativeSelect(el, value, el.multiple);
  }
  if (t === "input" && (type === "radio" || type === "checkbox")) {
    var name = el.name;
    var group = name ? toArray(frame.doc.querySelectorAll('input[name="' +
      String(name).replace(/["\\]/g, "\\$&") + '"]')).filter(function (i) {
      return i.type === type;
    }) : [el];
    if (type === "checkbox" && el.hasAttribute("lay-skin") &&
        /switch/.test(el.getAttribute("lay-skin"))) {
      return layuiSwitch(el, value);
    }
    return fillChoiceInputs(group, value, type === "checkbox" && group.length > 1,
                            type === "checkbox" && group.length === 1);
  }
  if (t === "input" || t === "textarea") {
    if (el.readOnly) {
      return "readonly";
    }
    return fillText(el, value);
  }
  return "error: not a form field";
}
