"""The command line: the window's options are parsed without the commands' parsers (a start-up
saving), and anything else still gets the whole command line's parsing and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.cli import arguments as _arguments


def test_window_options_parse_without_a_command() -> None:
    args = _arguments(["--county", "x/county.toml", "--lang", "en"])
    assert args.command is None
    assert args.county == Path("x/county.toml")
    assert args.lang == "en"
    assert args.screenshot is None


def test_no_arguments_start_the_window() -> None:
    assert _arguments([]).command is None


def test_a_command_after_window_options_is_parsed_by_the_whole_command_line() -> None:
    args = _arguments(["--county", "c.toml", "inbox", "--cached", "--csv"])
    assert args.command == "inbox"
    assert (args.source, args.format) == ("cached", "csv")


def test_a_mistyped_command_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _arguments(["inbx"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'inbx'" in err
    assert "'inbox'" in err and "'logout'" in err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _arguments(["--demo", "--help"])
    assert exit_.value.code == 0
    assert "{inbox,login,status,logout,forget,table,retire,validate,audit,update,pack}" in capsys.readouterr().out


def test_a_bad_window_option_value_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _arguments(["--demo", "--demo-platforms", "500"])
    assert "--demo-platforms: must be a whole number from 1 to" in capsys.readouterr().err


def test_the_language_is_taken_before_or_after_a_command() -> None:
    assert _arguments(["--lang", "en", "status"]).lang == "en"
    assert _arguments(["status", "--lang", "en", "--county", "c.toml"]).lang == "en"
    assert _arguments(["--lang", "en", "inbox", "--cached"]).lang == "en"  # not undone
    assert _arguments(["logout", "--lang", "zh_CN"]).lang == "zh_CN"
    assert _arguments(["login"]).lang is None  # the saved language, else Chinese


def test_the_commands_read_the_language_the_window_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from launcher.app.language import SETTINGS_FILE, chosen_language, saved_language
    from launcher.ui import i18n

    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path))
    assert saved_language() == chosen_language(None) == "zh_CN"  # nothing saved: Chinese
    i18n.save_language("en")  # the window's own saving (QSettings), beside its other settings
    store = i18n.settings()
    store.setValue("inbox/header", b"\x00%x=y")
    store.sync()
    assert "%" in (tmp_path / SETTINGS_FILE).read_text(encoding="utf-8")
    assert saved_language() == i18n.saved_language() == "en"
    assert chosen_language(None) == "en" and chosen_language("zh_CN") == "zh_CN"
    i18n.save_language("zh_CN")
    assert saved_language() == "zh_CN"
    (tmp_path / SETTINGS_FILE).write_bytes(b"\xff\xfe not an INI file [")
    assert saved_language() == "zh_CN"
    (tmp_path / SETTINGS_FILE).write_text("[ui]\nlanguage=fr\n", encoding="utf-8")
    assert saved_language() == "zh_CN"
