"""RSS and Atom feeds (``[tasks] kind = "feed"``): each item or entry is a task.

id = ``guid`` (RSS) or ``id`` (Atom), else the link; title = ``title``; url = the link (relative
resolved against the platform); updated = ``pubDate`` / ``updated`` (else ``published``);
subject = the first ``category``. Feeds have no due time of their own: an item may carry one as
``<yd:due>`` and a form key as ``<yd:form>`` (namespace ``https://yiduantong.invalid/ns``).

The feed is hostile input: it is parsed with defusedxml (no DTD, no entity expansion, no external
resources), after being bounded in bytes and elements (document_source.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.inbox.document_source import DocumentSource
from launcher.core.inbox.limits import MAX_TASKS
from launcher.core.inbox.timestamps import CHINA, parse_time
from launcher.core.states import FailureReason

log = logging.getLogger(__name__)

ATOM = "{http://www.w3.org/2005/Atom}"
OWN = "{https://yiduantong.invalid/ns}"
"""The launcher's own feed extension: ``<yiduantong:due>``, ``<yiduantong:form>``."""


class FeedSource(DocumentSource):
    """An RSS 2.0 or Atom feed read into tasks."""

    kind = "feed"
    accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]:
        body = self.document(token, timeout)
        try:
            root = fromstring(body, forbid_dtd=True)
        except (ParseError, DefusedXmlException, ValueError) as exc:
            raise SourceError(f"GET {self.url}: the answer is not a readable feed "
                              f"({type(exc).__name__}: {str(exc)[:200]})",
                              FailureReason.UNREADABLE) from None
        read: Callable[[Element], TaskItem | None]
        if root.tag == f"{ATOM}feed":
            entries, read = root.findall(f"{ATOM}entry"), self._atom
        elif root.tag == "rss" and root.find("channel") is not None:
            entries, read = root.findall("channel/item"), self._rss
        else:
            raise SourceError(f"GET {self.url}: the answer is neither RSS 2.0 nor Atom (its root "
                              f"is {root.tag[:80]!r})", FailureReason.UNREADABLE)
        tasks: list[TaskItem] = []
        skipped = 0
        for entry in entries:
            if len(tasks) == MAX_TASKS:
                self.more = True
                break
            item = read(entry)
            if item is None:
                skipped += 1
            else:
                tasks.append(item)
        else:
            self.more = False
        self.skipped = skipped
        return tasks

    def _rss(self, item: Element) -> TaskItem | None:
        link = _text(item.find("link"))
        return self._task(
            task_id=_text(item.find("guid")) or link,
            title=_text(item.find("title")),
            link=link,
            updated=_rfc822(_text(item.find("pubDate"))),
            subject=_text(item.find("category")),
            item=item,
        )

    def _atom(self, entry: Element) -> TaskItem | None:
        link = None
        for candidate in entry.findall(f"{ATOM}link"):
            if candidate.get("rel", "alternate") == "alternate":
                link = (candidate.get("href") or "").strip() or None
                break
        category = entry.find(f"{ATOM}category")
        return self._task(
            task_id=_text(entry.find(f"{ATOM}id")) or link,
            title=_text(entry.find(f"{ATOM}title")),
            link=link,
            updated=parse_time(_text(entry.find(f"{ATOM}updated"))
                               or _text(entry.find(f"{ATOM}published"))),
            subject=(category.get("term") or None) if category is not None else None,
            item=entry,
        )

    def _task(self, *, task_id: str | None, title: str | None, link: str | None,
              updated: datetime | None, subject: str | None, item: Element) -> TaskItem | None:
        if task_id is None or title is None:
            return None
        return TaskItem(
            platform=self.platform.id,
            id=task_id,
            title=title,
            url=self.platform.page_url(link),
            due=parse_time(_text(item.find(f"{OWN}due"))),
            status="open",
            form=_text(item.find(f"{OWN}form")),
            subject=subject,
            updated=updated,
        )


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _rfc822(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return parse_time(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)
