// Part 2: the scan — every fillable field of the document and of same-origin frames, with its
// label as a person reads it, its widget and framework, and a custom select's options.
var ROOTS = [
  ".el-select", ".el-radio-group", ".el-checkbox-group", ".el-checkbox", ".el-switch",
  ".el-date-editor", ".el-cascader",
  ".ant-select", ".ant-radio-group", ".ant-checkbox-group", ".ant-checkbox-wrapper",
  ".ant-switch", ".ant-picker"
].join(", ");
var WRAPPERS = ".el-input, .el-textarea, .el-input-number, .ant-input-number," +
  " .ant-input-affix-wrapper, .ant-input-number-affix-wrapper";
var CONTROLS = "input:not([type=hidden]), select, textarea";
// Headings that title a box of their own (a card, a fieldset, a panel): only what is inside it.
var BOX_TITLES = "legend, caption, .el-card__header, .ant-card-head-title, .layui-card-header," +
  " .panel-heading, .panel-title";
var SKIP_TYPES = ["hidden", "submit", "button", "reset", "image"];
var HEADINGS = "h1, h2, h3, h4, h5, h6, legend, caption, .el-divider__text, .ant-divider-inner-text," +
  " .el-card__header, .ant-card-head-title, .layui-card-header, .layui-elem-quote, .section-title," +
  " .form-section, .panel-heading, .panel-title";

function elementFlavor(doc) {
  // Element Plus wraps its inputs and selects in *__wrapper elements Element UI never had.
  return doc.querySelector(".el-input__wrapper, .el-select__wrapper") ? "element-plus"
    : "element-ui";
}

// layui 2.6 and 2.9 render the same widgets a little differently (2.6: the checkbox's title in a
// <span>, the switch's lay-skin "_switch" with an <em>; 2.9: <div>s, lay-skin "switch").
function layuiVersion(doc) {
  if (doc.querySelector(".layui-form-checkbox > div, .layui-form-switch[lay-skin=switch]," +
                        " .layui-form-radio > i.layui-icon-circle, .layui-form-radio > " +
                        "i.layui-icon-radio")) {
    return "2.9";
  }
  if (doc.querySelector(".layui-form-checkbox > span, .layui-form-switch[lay-skin=_switch]")) {
    return "2.6";
  }
  return "";
}

function frameworkOf(el) {
  if (!el.closest) {
    return "native";
  }
  if (el.closest("[class*='el-']") && el.closest(".el-input, .el-textarea, .el-select, .el-radio," +
      " .el-radio-group, .el-checkbox, .el-checkbox-group, .el-switch, .el-date-editor," +
      " .el-cascader, .el-form-item, .el-form, .el-input-number")) {
    return elementFlavor(el.ownerDocument);
  }
  if (el.closest(".ant-input, .ant-input-affix-wrapper, .ant-select, .ant-radio-group," +
      " .ant-checkbox-wrapper, .ant-switch, .ant-picker, .ant-form-item, .ant-form," +
      " .ant-input-number")) {
    return "antd";
  }
  var next = el.nextElementSibling;
  if (el.closest(".layui-form") || (next && /\blayui-form-/.test(next.className || ""))) {
    return "layui";
  }
  return "native";
}

function labelFromContainers(el) {
  var item = el.closest(".el-form-item");
  if (item) {
    var l = item.querySelector(".el-form-item__label");
    if (l) {
      return textOf(l);
    }
  }
  item = el.closest(".ant-form-item");
  if (item) {
    var a = item.querySelector(".ant-form-item-label label, .ant-form-item-label");
    if (a) {
      return textOf(a);
    }
  }
  item = el.closest(".layui-inline, .layui-form-item");
  while (item) {
    // A row may hold several label + input pairs with no .layui-inline around each: the
    // field's label is the last one before it, else the first.
    var lay = null, before = null;
    toArray(item.children).forEach(function (c) {
      if (!hasClass(c, "layui-form-label")) {
        return;
      }
      if (!lay) {
        lay = c;
      }
      if (c.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) {
        before = c;
      }
    });
    lay = before || lay;
    if (lay) {
      return textOf(lay);
    }
    item = item.parentElement ? item.parentElement.closest(".layui-inline, .layui-form-item") : null;
  }
  return "";
}

function labelOf(primary, root, isGroup) {
  var doc = primary.ownerDocument;
  var text = "";
  if (isGroup) {
    // A group's label is the group's, not its first option's.
    text = labelFromContainers(root) || root.getAttribute("aria-label") || nearbyOf(root);
    return cleanLabel(text);
  }
  var ids = [primary.id, root.id].filter(Boolean);
  for (var i = 0; i < ids.length && !text; i++) {
    var byFor = doc.querySelector('label[for="' + String(ids[i]).replace(/["\\]/g, "\\$&") + '"]');
    if (byFor && !root.contains(byFor)) {
      text = textOf(byFor);
    }
  }
  if (!text) {
    var wrap = root.parentElement ? root.parentElement.closest("label") : null;
    if (wrap) {
      // The wrapping label's own words, without the option texts of the widget inside it.
      var copy = wrap.cloneNode(true);
      toArray(copy.querySelectorAll("select, textarea, option, .el-select, .ant-select")).forEach(
        function (n) { n.remove(); });
      text = textOf(copy);
    }
  }
  if (!text) {
    var by = primary.getAttribute("aria-labelledby") || root.getAttribute("aria-labelledby");
    if (by) {
      text = by.split(/\s+/).map(function (id) { return textOf(doc.getElementById(id)); }).join(" ");
    }
  }
  if (!text) {
    text = labelFromContainers(root);
  }
  if (!text) {
    text = primary.getAttribute("aria-label") || root.getAttribute("aria-label") || "";
  }
  if (!text) {
    text = nearbyOf(root);
  }
  return cleanLabel(text);
}

// The text a person sees just before the field: the table cell before its cell, else the
// element before it.
function nearbyOf(root) {
  var cell = root.closest("td, th");
  if (cell) {
    var prev = cell.previousElementSibling;
    while (prev && !textOf(prev)) {
      prev = prev.previousElementSibling;
    }
    if (prev && !prev.querySelector("input, select, textarea")) {
      return bounded(textOf(prev), LIMITS.text);
    }
  }
  var node = root;
  for (var up = 0; up < 3 && node; up++) {
    var sib = node.previousElementSibling;
    // Never past another field: the text before an earlier field (a row of inputs with no text
    // of their own, under a group heading) is not this one's.
    while (sib && !textOf(sib) && !holdsControl(sib)) {
      sib = sib.previousElementSibling;
    }
    if (sib && !holdsControl(sib)) {
      return bounded(textOf(sib), LIMITS.text);
    }
    if (sib) {
      return "";
    }
    var parent = node.parentElement;
    if (!parent || parent.querySelectorAll("input, select, textarea").length > 4) {
      return "";
    }
    node = parent;
  }
  return "";
}

// A list page's search bar (a form whose buttons search or reset, none saves or submits): its
// fields filter a table, they are not the record's.
function inSearchForm(root) {
  var form = root.closest("form, .el-form, .ant-form, .layui-form");
  if (!form) {
    return false;
  }
  var words = toArray(form.querySelectorAll("button, input[type=submit], input[type=button]," +
      " .el-button, .ant-btn, .layui-btn")).slice(0, 40).map(function (b) {
    return String(textOf(b) || b.value || "").replace(/\s+/g, "").toLowerCase();
  });
  var searches = words.some(function (w) { return /^(搜索|查询|检索|筛选|search|query)$/.test(w); });
  var saves = words.some(function (w) {
    return /(提交|保存|确定|确认|登记|上报|暂存|submit|save|^ok$)/.test(w);
  });
  return searches && !saves;
}

function holdsControl(el) {
  return !!(el.matches && (el.matches(CONTROLS) || el.querySelector(CONTROLS)));
}

// The heading or legend above the field: the enclosing fieldset's legend, else the nearest
// heading before it in document order (a few ancestors' earlier siblings).
function sectionOf(root) {
  var fieldset = root.closest("fieldset");
  if (fieldset) {
    var legend = fieldset.querySelector("legend");
    if (legend) {
      return bounded(textOf(legend), LIMITS.text);
    }
  }
  var node = root;
  for (var depth = 0; node && depth < 12; depth++) {
    var sib = node.previousElementSibling;
    for (var n = 0; sib && n < 60; n++) {
      if (sib.matches(HEADINGS)) {
        return bounded(textOf(sib), LIMITS.text);
      }
      if (tag(sib) === "tr" && sib.cells && sib.cells.length === 1 && !sib.querySelector("input")) {
        return bounded(textOf(sib), LIMITS.text);
      }
      // A heading inside an earlier sibling names what follows it there; a box's own title
      // (an earlier card's header, fieldset's legend) names only that box's fields.
      var inner = toArray(sib.querySelectorAll ? sib.querySelectorAll(HEADINGS) : []).filter(
        function (h) { return !h.matches(BOX_TITLES); });
      if (inner.length) {
        return bounded(textOf(inner[inner.length - 1]), LIMITS.text);
      }
      sib = sib.previousElementSibling;
    }
    node = node.parentElement;
    if (node && node.matches && node.matches(".el-card, .ant-card, .layui-card")) {
      var head = node.querySelector(".el-card__header, .ant-card-head-title, .layui-card-header");
      if (head) {
        return bounded(textOf(head), LIMITS.text);
      }
    }
  }
  return "";
}

function optionList(items, textFn, valueFn) {
  return items.slice(0, LIMITS.options).map(function (o) {
    return { text: bounded(textFn(o), LIMITS.text), value: bounded(valueFn(o), LIMITS.text) };
  });
}

// The dropdown of an Element select: inside it before its first opening (Element UI), else the
// popper its input names (aria-controls / aria-owns), else none known.
function elementDropdown(root) {
  var inside = root.querySelector(".el-select-dropdown");
  if (inside) {
    return inside;
  }
  var linked = root.querySelector("[aria-controls], [aria-owns]");
  if (linked) {
    var id = linked.getAttribute("aria-controls") || linked.getAttribute("aria-owns");
    var target = id ? root.ownerDocument.getElementById(id) : null;
    if (target) {
      return target.closest(".el-select-dropdown, .el-popper, .el-select__popper") || target;
    }
  }
  // Element UI moves its dropdown to the body when first opened, with nothing that links it
  // back: the one this engine saw open for this select (remembered in the isolated world).
  var seen = openedDropdowns().get(root);
  return seen && seen.isConnected ? seen : null;
}

function openedDropdowns() {
  if (!window.__launcherDropdowns) {
    window.__launcherDropdowns = new WeakMap();
  }
  return window.__launcherDropdowns;
}

function elementSelectItems(dropdown) {
  return dropdown ? toArray(dropdown.querySelectorAll(".el-select-dropdown__item"))
    .filter(function (i) { return !hasClass(i, "is-disabled"); }) : [];
}

function antDropdown(root) {
  var input = root.querySelector("input[aria-controls], input[aria-owns]");
  var id = input ? (input.getAttribute("aria-controls") || input.getAttribute("aria-owns")) : "";
  var list = id ? root.ownerDocument.getElementById(id) : null;
  return list ? list.closest(".ant-select-dropdown") : null;
}

function describeCustom(root, fw) {
  var d = { root: root, primary: root, framework: fw, options: [], multiple: false, value: "" };
  var input = root.querySelector("input:not([type=radio]):not([type=checkbox]), textarea");
  if (root.matches(".el-select")) {
    d.widget = "select";
    d.primary = input && stableId(input.id) ? input : root;
    var dropdown = elementDropdown(root);
    d.multiple = !!root.querySelector(".el-select__tags, .el-select__selection .el-tag") ||
      !!(dropdown && (hasClass(dropdown, "is-multiple") ||
                      dropdown.querySelector(".el-select-dropdown.is-multiple")));
    var items = elementSelectItems(dropdown);
    d.options = optionList(items, textOf, textOf);
    if (fw === "element-ui") {
      d.value = input ? input.value : "";
      if (d.multiple) {
        d.value = toArray(root.querySelectorAll(".el-tag .el-select__tags-text"))
          .map(textOf).join("\n");
      }
    } else {
      var tags = toArray(root.querySelectorAll(".el-select__selection .el-tag__content"));
      d.value = (tags.length ? tags : toArray(root.querySelectorAll(
        ".el-select__selected-item:not(.is-hidden):not(.el-select__placeholder)" +
        ":not(.el-select__input-wrapper)"))).map(textOf).filter(Boolean).join("\n");
      var ph = root.querySelector(".el-select__placeholder:not(.is-transparent)");
      if (!d.value && ph) {
        d.value = textOf(ph);
      }
    }
    d.disabled = hasClass(root, "is-disabled") ||
      !!root.querySelector(".is-disabled.el-select__wrapper, .el-input.is-disabled");
    d.readonly = false;
  } else if (root.matches(".el-radio-group, .el-checkbox-group, .ant-radio-group," +
                          " .ant-checkbox-group")) {
    var radio = /radio/.test(root.className);
    d.widget = radio ? "radio" : "checkbox";
    d.multiple = !radio;
    var wrappers = toArray(root.querySelectorAll(radio
      ? ".el-radio, .el-radio-button, .ant-radio-wrapper, .ant-radio-button-wrapper"
      : ".el-checkbox, .el-checkbox-button, .ant-checkbox-wrapper"));
    d.options = optionList(wrappers, textOf, function (w) {
      var i = w.querySelector("input");
      return i ? i.value : textOf(w);
    });
    d.value = wrappers.filter(function (w) {
      var i = w.querySelector("input");
      return i && i.checked;
    }).map(textOf).join("\n");
    d.disabled = wrappers.length > 0 && wrappers.every(function (w) {
      return /is-disabled|ant-(radio|checkbox)-wrapper-disabled/.test(w.className);
    });
  } else if (root.matches(".el-checkbox, .ant-checkbox-wrapper")) {
    d.widget = "checkbox";
    var box = root.querySelector("input");
    d.primary = box && box.id ? box : root;
    d.value = box && box.checked ? "true" : "false";
    d.options = [{ text: bounded(textOf(root), LIMITS.text), value: "true" }];
    d.disabled = /is-disabled|ant-checkbox-wrapper-disabled/.test(root.className);
  } else if (root.matches(".el-switch, .ant-switch")) {
    d.widget = "switch";
    var sw = root.querySelector("input");
    d.primary = root.id ? root : (sw && sw.id ? sw : root);
    d.value = /is-checked|ant-switch-checked/.test(root.className) ? "true" : "false";
    d.disabled = /is-disabled|ant-switch-disabled/.test(root.className) || root.disabled === true;
  } else if (root.matches(".el-date-editor, .ant-picker")) {
    d.widget = "date";
    d.primary = input || root;
    d.value = input ? input.value : "";
    var t = input ? (input.getAttribute("placeholder") || "") : "";
    if (/时间|time/i.test(t) || root.matches(".el-date-editor--datetime")) {
      d.widget = "datetime";
    }
    d.disabled = !!(input && input.disabled) || /is-disabled|ant-picker-disabled/.test(root.className);
  } else if (root.matches(".el-cascader") || (root.matches(".ant-select") &&
             hasClass(root, "ant-cascader"))) {
    d.widget = "cascader";
    d.primary = input && stableId(input.id) ? input : root;
    d.value = input ? input.value : "";
    if (fw === "antd") {
      var item = root.querySelector(".ant-select-selection-item");
      d.value = item ? (item.getAttribute("title") || textOf(item)) : "";
    }
    d.disabled = /is-disabled|ant-select-disabled/.test(root.className);
  } else if (root.matches(".ant-select")) {
    d.widget = "select";
    d.primary = input && stableId(input.id) ? input : root;
    d.multiple = hasClass(root, "ant-select-multiple");
    var dd = antDropdown(root);
    if (dd) {
      d.options = optionList(toArray(dd.querySelectorAll(".ant-select-item-option")),
        function (o) { return o.getAttribute("title") || textOf(o); },
        function (o) { return o.getAttribute("title") || textOf(o); });
    }
    d.value = toArray(root.querySelectorAll(".ant-select-selection-item")).map(function (i) {
      return i.getAttribute("title") || textOf(i);
    }).join("\n");
    d.disabled = hasClass(root, "ant-select-disabled");
  }
  return d;
}

function nativeWidget(el) {
  var t = tag(el);
  if (t === "textarea") {
    return "textarea";
  }
  if (t === "select") {
    return "select";
  }
  var type = (el.getAttribute("type") || "text").toLowerCase();
  if (type === "date") {
    return "date";
  }
  if (type === "datetime-local") {
    return "datetime";
  }
  if (el.hasAttribute("lay-key") && t === "input") {
    return "date"; // laydate marks the inputs it renders a picker for
  }
  if (el.closest && el.closest(".el-input-number, .ant-input-number, .layui-input-number")) {
    return "number";
  }
  if (type === "checkbox" && /switch/.test(el.getAttribute("lay-skin") || "")) {
    return "switch";
  }
  if (["radio", "checkbox", "file", "password", "number"].indexOf(type) >= 0) {
    return type;
  }
  return "text";
}

function describeNative(el, doc, seenNames) {
  var widget = nativeWidget(el);
  var d = { root: el, primary: el, framework: frameworkOf(el), options: [], multiple: false,
            widget: widget, disabled: !!el.disabled, readonly: !!el.readOnly };
  if (widget === "switch" && el.type === "checkbox") {
    d.value = el.checked ? "true" : "false";
    d.readonly = false;
  } else if (widget === "radio" || widget === "checkbox") {
    var name = el.name;
    var group = name ? toArray(doc.querySelectorAll('input[name="' +
      String(name).replace(/["\\]/g, "\\$&") + '"]')).filter(function (i) {
      return i.type === el.type;
    }) : [el];
    if (name) {
      if (seenNames[el.type + ":" + name]) {
        return null;
      }
      seenNames[el.type + ":" + name] = true;
    }
    var optText = function (i) {
      var rendered = i.nextElementSibling;
      if (rendered && /layui-form-(radio|checkbox)/.test(rendered.className || "")) {
        return textOf(rendered) || i.getAttribute("title") || i.value;
      }
      var lab = i.closest("label");
      if (lab) {
        return textOf(lab);
      }
      if (i.id) {
        var f = doc.querySelector('label[for="' + cssEscape(i.id) + '"]');
        if (f) {
          return textOf(f);
        }
      }
      return i.getAttribute("title") || (i.nextSibling && i.nextSibling.nodeType === 3
        ? i.nextSibling.textContent : "") || i.value;
    };
    d.options = optionList(group, optText, function (i) { return i.value; });
    if (widget === "checkbox" && group.length === 1) {
      d.value = el.checked ? "true" : "false";
      d.single = true;
    } else {
      d.multiple = widget === "checkbox";
      d.value = group.filter(function (i) { return i.checked; }).map(function (i) {
        return i.value;
      }).join("\n");
    }
    d.disabled = group.every(function (i) { return i.disabled; });
    d.readonly = false;
    d.group = group;
  } else if (widget === "select") {
    d.multiple = el.multiple;
    d.options = optionList(toArray(el.options), function (o) { return o.text; },
                           function (o) { return o.value; });
    d.value = toArray(el.options).filter(function (o) { return o.selected; })
      .map(function (o) { return o.value; }).join("\n");
  } else if (widget === "file" || widget === "password") {
    d.value = "";
  } else {
    d.value = el.value;
  }
  return d;
}

function isRequired(d) {
  var p = d.primary;
  if (p.required || p.getAttribute("aria-required") === "true") {
    return true;
  }
  if (/required/.test(p.getAttribute("lay-verify") || "")) {
    return true;
  }
  var item = d.root.closest(".el-form-item");
  if (item && (hasClass(item, "is-required") || item.querySelector(".is-required"))) {
    return true;
  }
  item = d.root.closest(".ant-form-item");
  if (item && item.querySelector(".ant-form-item-required")) {
    return true;
  }
  item = d.root.closest(".layui-form-item");
  return !!(item && item.querySelector(".layui-form-label .layui-font-red, .layui-required"));
}

function scanDocument(frame, fields) {
  var doc = frame.doc;
  var roots = [];
  toArray(doc.querySelectorAll(ROOTS)).forEach(function (r) {
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].contains(r)) {
        return;
      }
    }
    roots.push(r);
  });
  var seenNames = {};
  var described = [];
  roots.forEach(function (r) {
    var fw = r.className.indexOf("ant-") >= 0 ? "antd" : elementFlavor(doc);
    var d = describeCustom(r, fw);
    if (d && d.widget) {
      described.push(d);
    }
  });
  toArray(doc.querySelectorAll("input, textarea, select")).forEach(function (el) {
    var type = (el.getAttribute("type") || "").toLowerCase();
    if (tag(el) === "input" && SKIP_TYPES.indexOf(type) >= 0) {
      return;
    }
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].contains(el)) {
        return;
      }
    }
    if (el.closest(".el-select-dropdown, .ant-select-dropdown, .layui-laydate, .el-picker-panel," +
                   " .layui-form-select, .layui-select-title, .layui-laypage, .layui-table-view," +
                   " .ant-picker-dropdown, .el-cascader__dropdown, .el-popper")) {
      return;
    }
    var d = describeNative(el, doc, seenNames);
    if (d) {
      described.push(d);
    }
  });
  described.sort(function (a, b) {
    var pos = a.root.compareDocumentPosition(b.root);
    return pos & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : pos & Node.DOCUMENT_POSITION_PRECEDING ? 1 : 0;
  });
  var ordinal = 0;
  described.forEach(function (d) {
    if (fields.length >= LIMITS.fields) {
      return;
    }
    var p = d.primary;
    var visibleEl = d.root;
    if (d.framework === "layui") {
      var rendered = p.nextElementSibling;
      if (rendered && /layui-form-/.test(rendered.className || "")) {
        visibleEl = rendered;
      }
      if (d.group) {
        d.group.forEach(function (g) {
          var r = g.nextElementSibling;
          if (r && /layui-form-/.test(r.className || "") && isVisible(r)) {
            visibleEl = r;
          }
        });
      }
    }
    var selectors = [selectorFor(p)];
    if (d.group && !d.single && p.name) {
      selectors.push('input[name="' + String(p.name).replace(/["\\]/g, "\\$&") + '"]');
    }
    if (d.root !== p) {
      selectors.push(selectorFor(d.root));
    }
    // A framework's input sits in a wrapper that often carries the id a developer gave it.
    var wrapper = p.closest && !p.id ? p.closest(WRAPPERS) : null;
    if (wrapper && wrapper.id && uniqueIn(doc, "#" + cssEscape(wrapper.id), wrapper)) {
      selectors.unshift("#" + cssEscape(wrapper.id));
    }
    fields.push({
      ref: frame.path + "/" + ordinal,
      frame: frame.path,
      selector: selectors[0],
      selectors: selectors,
      widget: d.widget,
      framework: d.framework,
      layui: d.framework === "layui" ? layuiVersion(doc) : undefined,
      label: labelOf(p, d.root, !!d.group && !d.single),
      placeholder: bounded(p.getAttribute("placeholder") ||
        (d.root.querySelector && d.root.querySelector("[placeholder]") ?
          d.root.querySelector("[placeholder]").getAttribute("placeholder") : ""), LIMITS.label),
      name: bounded(p.getAttribute("name") || (d.root.getAttribute && d.root.getAttribute("name")) ||
        "", LIMITS.label),
      id: bounded(p.id || d.root.id || "", LIMITS.label),
      autocomplete: bounded(p.getAttribute("autocomplete") || "", 40),
      nearby: nearbyOf(d.root),
      section: sectionOf(d.root),
      search: inSearchForm(d.root),
      options: d.options,
      multiple: !!d.multiple,
      required: isRequired(d),
      value: d.widget === "password" ? "" : bounded(d.value, LIMITS.value),
      disabled: !!d.disabled,
      readonly: !!d.readonly,
      visible: isVisible(visibleEl) || (d.group || []).some(isVisible)
    });
    ordinal++;
  });
}

// Which field each of the given selectors finds (a manifest's mapping): {selector: ref}.
function resolveSelectors(frames, fields, selectors) {
  var out = {};
  (selectors || []).slice(0, LIMITS.fields).forEach(function (sel) {
    sel = String(sel);
    for (var i = 0; i < frames.length && out[sel] === undefined; i++) {
      var el = query(frames[i].doc, sel);
      if (!el) {
        continue;
      }
      for (var n = 0; n < fields.length; n++) {
        var f = fields[n];
        if (f.frame !== frames[i].path) {
          continue;
        }
        var root = query(frames[i].doc, f.selector);
        var other = f.selectors.length > 1 ? query(frames[i].doc, f.selectors[1]) : null;
        if ((root && (root === el || root.contains(el) || el.contains(root))) ||
            (other && (other === el || other.contains(el)))) {
          out[sel] = f.ref;
          break;
        }
      }
    }
  });
  return out;
}

function scan(args) {
  var origin = canonicalOrigin(args.origin);
  var out = { origin: String(location.origin), url: String(location.href).slice(0, 2000),
              title: bounded(document.title, LIMITS.label), refused: "", fields: [] };
  if (origin === null || canonicalOrigin(location.origin) !== origin || window.top !== window.self) {
    out.refused = "origin";
    return out;
  }
  try {
    var frames = sameOriginFrames(window, origin);
    frames.forEach(function (frame) {
      try {
        scanDocument(frame, out.fields);
      } catch (e) {
        out.frameErrors = (out.frameErrors || []).concat([bounded(String(e), 200)]);
      }
    });
    if (args.selectors && args.selectors.length) {
      out.mapped = resolveSelectors(frames, out.fields, args.selectors);
    }
  } catch (e) {
    out.refused = "error: " + bounded(String(e), 200);
  }
  return out;
}
