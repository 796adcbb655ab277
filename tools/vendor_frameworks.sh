#!/usr/bin/env bash
# Re-vendor the UI frameworks the demo's and the tests' form pages are built on, from their npm
# packages, into launcher_demo/static/vendor/ (only the built files a page loads, with each
# package's licence). Versions are pinned on purpose: county platforms run these exact lines
# (layui 2.6 and 2.9 differ in markup), and the autofill corpus must not change under the tests.
# Run it by hand when a version moves; the launcher and its tests never call npm for these.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/launcher_demo/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/package.json" <<'JSON'
{"name": "vendor", "private": true, "dependencies": {
  "vue2": "npm:vue@2.7.16", "element-ui": "2.15.14",
  "vue": "3.5.47", "element-plus": "2.14.9",
  "layui26": "npm:layui@2.6.8", "layui29": "npm:layui@2.9.13",
  "ant-design-vue": "4.2.6", "dayjs": "1.11.23"}}
JSON
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --legacy-peer-deps >/dev/null)
m="$work/node_modules"
rm -rf "$out"
copy() {  # copy <package> <destination folder> <files...>
  local pkg="$1" dest="$out/$2"; shift 2
  mkdir -p "$dest"
  for f in "$@"; do mkdir -p "$dest/$(dirname "$f")"; cp "$m/$pkg/$f" "$dest/$f"; done
  cp "$m/$pkg/LICENSE"* "$dest/"
}
copy vue2 vue-2.7.16 dist/vue.min.js
copy element-ui element-ui-2.15.14 lib/index.js lib/theme-chalk/index.css \
  lib/theme-chalk/fonts/element-icons.woff lib/theme-chalk/fonts/element-icons.ttf \
  lib/umd/locale/zh-CN.js
copy vue vue-3.5.47 dist/vue.global.prod.js
copy element-plus element-plus-2.14.9 dist/index.full.min.js dist/index.css dist/locale/zh-cn.min.js
copy layui26 layui-2.6.8 dist/layui.js dist/css/layui.css dist/font/iconfont.woff2 \
  dist/font/iconfont.woff dist/font/iconfont.ttf
copy layui29 layui-2.9.13 dist/layui.js dist/css/layui.css dist/font/iconfont.woff2 \
  dist/font/iconfont.woff dist/font/iconfont.ttf
copy ant-design-vue ant-design-vue-4.2.6 dist/antd.min.js dist/reset.css
copy dayjs dayjs-1.11.23 dayjs.min.js locale/zh-cn.js plugin/advancedFormat.js \
  plugin/customParseFormat.js plugin/localeData.js plugin/quarterOfYear.js plugin/weekOfYear.js \
  plugin/weekYear.js plugin/weekday.js
# layui 2.6 loads its modules (laydate, form ...) from dist/lay/modules at run time.
if [ -d "$m/layui26/dist/lay" ]; then cp -r "$m/layui26/dist/lay" "$out/layui-2.6.8/dist/"; fi
if [ -d "$m/layui26/dist/css/modules" ]; then cp -r "$m/layui26/dist/css/modules" "$out/layui-2.6.8/dist/css/"; fi
du -sh "$out"
