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
    assert "{inbox,login,status,logout}" in capsys.readouterr().out


def test_a_bad_window_option_value_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _arguments(["--demo", "--demo-platforms", "500"])
    assert "--demo-platforms: must be a whole number from 1 to" in capsys.readouterr().err
