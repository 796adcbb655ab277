"""Names of files made from outside text (a page's title, a server's suggestion), and the zoom
steps."""

from __future__ import annotations

from launcher.ui.page_zoom import STEPS, step
from launcher.ui.save_dialogs import MAX_NAME_CHARS, file_name


def test_a_file_name_from_outside_text_has_no_path_controls_or_direction_changes() -> None:
    assert file_name("../../etc/passwd", "x") == "_.._etc_passwd"
    assert file_name("C:\\Windows\\evil.bat", "x") == "C__Windows_evil.bat"
    # "report\u202egnp.exe" would show as "reportexe.png"; without the override it shows as is.
    assert file_name("report\u202egnp.exe", "x") == "reportgnp.exe"
    assert file_name('a<b>:"c"|d?*\x07', "x") == "a_b___c__d__"
    assert file_name("两行\n标题", "x") == "两行"
    assert file_name(" . ", "fallback") == "fallback"
    assert len(file_name("长" * 1000, "x")) <= MAX_NAME_CHARS


def test_zoom_goes_by_the_browser_steps_and_stops_at_the_ends() -> None:
    assert step(1.0, True) == 1.1 and step(1.0, False) == 0.9
    assert step(1.17, True) == 1.25 and step(1.17, False) == 1.1
    assert step(STEPS[-1], True) == STEPS[-1] and step(STEPS[0], False) == STEPS[0]
