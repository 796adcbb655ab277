"""The application's one event mechanism: subscribers of a kind (and of its base), in order; a
failing handler never stops the others."""

from __future__ import annotations

import logging

import pytest

from launcher.app.events import Event, Events, Filled, SignedOut


def test_handlers_get_their_kind_and_its_subclasses_in_order() -> None:
    events = Events()
    seen: list[str] = []
    events.subscribe(SignedOut, lambda e: seen.append(f"out {e.sub}"))
    events.subscribe(Event, lambda e: seen.append(type(e).__name__))
    events.publish(SignedOut("zhangwei"))
    events.publish(Filled("demo.anquan", "safety_check", ("person.name",)))
    assert seen == ["out zhangwei", "SignedOut", "Filled"]


def test_a_failing_handler_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = Events()
    seen: list[Event] = []

    def broken(_event: Event) -> None:
        raise RuntimeError("boom")

    events.subscribe(Event, broken)
    events.subscribe(Event, seen.append)
    with caplog.at_level(logging.ERROR):
        events.publish(SignedOut("lina"))
    assert seen == [SignedOut("lina")]
    assert "a handler of SignedOut failed" in caplog.text


def test_unsubscribe_stops_delivery() -> None:
    events = Events()
    seen: list[Event] = []
    stop = events.subscribe(SignedOut, seen.append)
    stop()
    stop()  # twice is harmless
    events.publish(SignedOut("lina"))
    assert seen == []
