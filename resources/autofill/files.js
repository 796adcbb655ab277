// Part 3a: files — a file the plan gives (a record's photo: {name, type, data in base64}, read by
// the launcher from the person's own disk) put into the page's file input as a file chooser would:
// a File in the input's FileList, then "input" and "change". Never a click on a file input (that
// opens the system's file dialog), never an input the plan does not name, only images and PDF.
var FILE_LIMITS = { bytes: 10 * 1024 * 1024, name: 200, waitMs: 3000 };
var FILE_TYPES = /^(image\/(png|jpeg|gif|webp|bmp)|application\/pdf)$/;
// An upload component's own list of chosen files (Element UI / Element Plus, Ant Design Vue).
var UPLOAD_LISTS = [
  { host: ".el-upload", root: 1, list: ".el-upload-list", item: ".el-upload-list__item",
    name: ".el-upload-list__item-name, .el-upload-list__item-file-name" },
  { host: ".ant-upload-wrapper", root: 0, list: ".ant-upload-list", item: ".ant-upload-list-item",
    name: ".ant-upload-list-item-name" }
];

// The file input of the planned element: itself, one inside it (an upload component's root), the
// hidden input layui's upload put right after its trigger, or the one of the upload component
// the element is part of.
function fileInputFor(el) {
  var isFile = function (x) {
    return !!x && tag(x) === "input" && (x.getAttribute("type") || "").toLowerCase() === "file";
  };
  if (isFile(el)) {
    return el;
  }
  var inside = el.querySelector ? el.querySelector("input[type=file]") : null;
  if (isFile(inside)) {
    return inside;
  }
  var next = el.nextElementSibling;
  if (isFile(next) && hasClass(next, "layui-upload-file")) {
    return next;
  }
  var host = el.closest ? el.closest(".el-upload, .ant-upload-wrapper, .ant-upload") : null;
  var found = host ? host.querySelector("input[type=file]") : null;
  return isFile(found) ? found : null;
}

// The plan's file as a File of the input's own window, or null when it is not one the engine
// takes (not an image or PDF, too big, not base64).
function fileFromPlan(win, spec) {
  if (!spec || typeof spec !== "object") {
    return null;
  }
  var name = String(spec.name || "").replace(/[\\\/\u0000-\u001f\u007f]/g, "_")
    .slice(0, FILE_LIMITS.name);
  var type = String(spec.type || "").toLowerCase();
  var data = String(spec.data || "");
  if (!name.trim() || !FILE_TYPES.test(type) || !data ||
      data.length > Math.ceil(FILE_LIMITS.bytes / 3) * 4) {
    return null;
  }
  var binary;
  try {
    binary = atob(data);
  } catch (e) {
    return null;
  }
  if (binary.length > FILE_LIMITS.bytes) {
    return null;
  }
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return new win.File([bytes], name, { type: type, lastModified: Date.now() });
}

// Whether the input's accept attribute (".png,image/*,application/pdf") lets the file in, as the
// file chooser would.
function acceptsFile(input, file) {
  var accept = String(input.getAttribute("accept") || "").trim();
  if (!accept) {
    return true;
  }
  var name = file.name.toLowerCase();
  return accept.split(",").some(function (token) {
    var t = token.trim().toLowerCase();
    if (!t) {
      return false;
    }
    if (t.charAt(0) === ".") {
      return name.length > t.length && name.slice(-t.length) === t;
    }
    if (/\/\*$/.test(t)) {
      return file.type.indexOf(t.slice(0, -1)) === 0;
    }
    return file.type === t;
  });
}

function holdsFile(input, file) {
  var files = input.files;
  return !!files && toArray(files).some(function (f) {
    return f.name === file.name && f.size === file.size;
  });
}

// The names an upload component lists now (read afresh each time: Ant Design Vue replaces its
// input and re-renders the list), or null when the input is in no component with a list.
function uploadLister(input) {
  for (var i = 0; i < UPLOAD_LISTS.length; i++) {
    var kind = UPLOAD_LISTS[i];
    var host = input.closest(kind.host);
    var root = host && kind.root ? host.parentElement : host;
    if (!root || !root.querySelector(kind.list)) {
      continue;
    }
    return (function (scope, k) {
      return function () {
        return toArray(scope.querySelectorAll(k.item)).map(function (item) {
          var label = item.querySelector(k.name);
          return bounded((label && (label.getAttribute("title") || textOf(label))) ||
                         textOf(item), 400);
        });
      };
    })(root, kind);
  }
  return null;
}

function countName(names, name) {
  return names.filter(function (n) { return n === name; }).length;
}

async function fillFile(el, field) {
  var input = fileInputFor(el);
  if (!input) {
    return "rejected";
  }
  if (input.disabled) {
    return "readonly";
  }
  var win = input.ownerDocument.defaultView;
  var file = fileFromPlan(win, field.file);
  if (!file || !acceptsFile(input, file)) {
    return "rejected";
  }
  var lister = uploadLister(input);
  var before = lister ? lister() : null;
  if (before ? countName(before, file.name) > 0 : holdsFile(input, file)) {
    return "unchanged";
  }
  var dt = new win.DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  if (!holdsFile(input, file)) {
    return "rejected";
  }
  input.dispatchEvent(new win.Event("input", { bubbles: true }));
  input.dispatchEvent(new win.Event("change", { bubbles: true }));
  if (lister) {
    // The component took it when its own list shows it (a beforeUpload that refuses, a limit
    // reached: it does not).
    var shown = await waitFor(function () {
      return countName(lister(), file.name) > countName(before, file.name);
    }, FILE_LIMITS.waitMs);
    return shown ? "ok" : "rejected";
  }
  await sleep(0);
  return holdsFile(input, file) ? "ok" : "rejected";
}
