"""The rule for outside text stays kept in new code (issue 11, item 1).

Qt has no plain-text setting for tooltips (of widgets, actions, tabs, tree items, model rows),
for the What's This text, or for the text of QMessageBox's static functions: whatever is given
there is rendered as HTML when it looks like HTML. So in launcher/ui every such text is either
the launcher's own (a string, or a ``tr``/``translate`` of one, with nothing formatted into it)
or made by ``plain_text.tooltip``. Anything else is listed here with file and line; a deliberate
exception goes into ``ALLOWED`` with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import launcher.ui

UI = Path(launcher.ui.__file__).parent

# Call names whose text argument Qt may render as HTML, and where that argument is.
LAST = -1
TEXT_ARGUMENT = {
    "setToolTip": LAST,  # widget.setToolTip(text), item.setToolTip(column, text)
    "setTabToolTip": LAST,
    "setItemToolTip": LAST,
    "setWhatsThis": LAST,
    "showText": 1,  # QToolTip.showText(pos, text, …)
}
MESSAGE_BOX_FUNCTIONS = {"information", "warning", "critical", "question", "about"}

# (file, function, call): why its text is the launcher's own.
ALLOWED = {
    ("tray.py", "set_count", "setToolTip"): "the tray icon's: the launcher's name and a number",
    ("window_dialogs.py", "show_about", "QMessageBox.about"):
        "the launcher's own rich text, its version",
    ("inbox_view.py", "__init__", "setToolTip"): "the view buttons' tips, a dict of tr() texts",
    ("profile_form.py", "__init__", "setToolTip"):
        "a field's help from the launcher's field dictionary (resources/fields.toml)",
}


def _is_launcher_text(node: ast.expr) -> bool:
    """A string, a tr()/translate() of strings, or plain_text.tooltip(…)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.IfExp):
        return _is_launcher_text(node.body) and _is_launcher_text(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "tooltip":
            return True
        if name in ("tr", "translate"):
            return all(isinstance(a, ast.Constant) for a in node.args)
    return False


def _problems(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    found = []
    functions = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]

    def enclosing(line: int) -> str:
        inner = [f for f in functions if f.lineno <= line <= (f.end_lineno or f.lineno)]
        return max(inner, key=lambda f: f.lineno).name if inner else ""

    def check(node: ast.expr, what: str, line: int) -> None:
        if _is_launcher_text(node) or (path.name, enclosing(line), what) in ALLOWED:
            return
        text = " ".join((ast.get_source_segment(source, node) or "").split())
        found.append(f"{path.name}:{line}: {what}({text})")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in TEXT_ARGUMENT and node.args:
                index = TEXT_ARGUMENT[name]
                if index < len(node.args):
                    check(node.args[index], name, node.lineno)
            owner = node.func.value
            if (name in MESSAGE_BOX_FUNCTIONS and isinstance(owner, ast.Name)
                    and owner.id == "QMessageBox" and len(node.args) > 2):
                check(node.args[2], f"QMessageBox.{name}", node.lineno)
            if name == "setData" and len(node.args) >= 2 and "ToolTipRole" in ast.dump(node):
                check(node.args[-2], "setData(ToolTipRole)", node.lineno)
        if isinstance(node, ast.FunctionDef) and "tooltip" in node.name.lower():
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    check(inner.value, f"return in {node.name}", inner.lineno)
    return sorted(found, key=lambda p: int(p.split(":")[1]))


def test_every_tooltip_in_the_ui_is_launcher_text_or_made_by_plain_text_tooltip() -> None:
    problems = [p for path in sorted(UI.glob("*.py")) if path.name != "plain_text.py"
                for p in _problems(path)]
    assert problems == [], (
        "Qt renders these texts as HTML when they look like HTML; outside text there must go "
        "through launcher.ui.plain_text.tooltip:\n" + "\n".join(problems))


def test_the_rule_catches_what_it_is_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(self, item, tip, title):\n"
        "    self.setToolTip(title)\n"
        "    item.setToolTip(2, self.tr('{name}').format(name=title))\n"
        "    self.tabs.setTabToolTip(0, tooltip(title))\n"
        "    self.setToolTip(self.tr('Refresh (F5)'))\n"
        "    QMessageBox.warning(self, 'x', title)\n"
        "def _tooltip(group):\n"
        "    return group.title\n",
        encoding="utf-8",
    )
    assert [p.split(":", 2)[1] for p in _problems(sample)] == ["2", "3", "6", "8"]
