"""The form corpus served for the whole module, and a fresh offscreen tab per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.form_corpus.harness import PageTab
from tests.form_corpus.server import CorpusServer, corpus_server


@pytest.fixture(scope="session")
def corpus() -> Iterator[CorpusServer]:
    with corpus_server() as served:
        yield served


@pytest.fixture
def tab(qapp: Any) -> Iterator[PageTab]:
    page = PageTab()
    yield page
    page.close()
