// The layui pages' own script (2.6 and 2.9 alike): render, laydate, and the hooks the harness
// reads in the page's world: __model() (the native values layui's form submits) and __submit()
// (layui's own verification: the submit callback runs only when every lay-verify passes).
layui.use(["form", "laydate"], function () {
  var form = layui.form, laydate = layui.laydate, $ = layui.$;
  laydate.render({ elem: "#jcrq" });
  laydate.render({ elem: "#zgqx" });
  form.render();
  var pending = null;
  form.on("submit(save)", function (data) {
    if (pending) { pending({ ok: true, errors: [], field: data.field }); pending = null; }
    return false;
  });
  window.__model = function () {
    var out = form.val("hh");
    out.yhlx = $("input[name=yhlx]:checked").map(function () { return this.value; }).get();
    out.sfzg = $("input[name=sfzg]")[0].checked;
    return out;
  };
  window.__submit = function () {
    return new Promise(function (resolve) {
      pending = resolve;
      document.getElementById("save").click();
      // No callback: a lay-verify failed; layui marks the field it stopped at.
      setTimeout(function () {
        if (pending) {
          pending = null;
          resolve({ ok: false, errors: $(".layui-form-danger").map(function () { return this.name; }).get() });
        }
      }, 1500);
    });
  };
  // layui 2.6's laydate renders after its stylesheet has loaded: ready once both date inputs
  // carry the lay-key it marks them with (a scan before that sees plain text inputs).
  (function ready() {
    if ($("#jcrq").attr("lay-key") && $("#zgqx").attr("lay-key")) {
      window.__ready = true;
    } else {
      setTimeout(ready, 30);
    }
  })();
});
