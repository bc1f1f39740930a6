"""Public pages answered again from memory while the store has not changed.

On a meeting night many people open the same directory, proposal and history pages. A page
seen by someone who is not signed in depends only on its address, the language asked for and
the read models, so it is kept under the position the read models had reached when it was
asked for: as soon as any event is stored (by this process or another one) the position moves
on and the page is rendered afresh, so nobody is ever shown an older registry than the one the
request saw. A request that carries a cookie or a token, or whose page put anything in the
session (a form's CSRF token, a message), is never kept nor answered from memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session

from web import store

KEY = "ssa_page_cache"
# Endpoints that must always run: health answers without the store, static files have their
# own caching.
ALWAYS_RUN = frozenset({"static", "health.healthz", "health.readyz"})
KEPT_TYPES = frozenset({"text/html", "application/json", "text/csv", "image/svg+xml"})


@dataclass(frozen=True)
class Kept:
    """A page as it was answered: its body and the headers that describe it."""

    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """A bounded map of pages by (address, language asked for, read models' position)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[str, str, int], Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, int]) -> Kept | None:
        """The page kept under this key, if any."""
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, int], page: Kept) -> None:
        """Keep a page; pages of older positions go first, then the least recently asked."""
        with self._lock:
            position = key[2]
            for old in [k for k in self._pages if k[2] < position]:
                del self._pages[old]
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pages)


def init_app(app: Flask) -> None:
    """Answer kept pages before any view runs, and keep the pages that may be kept."""
    size = int(app.config.get("PAGE_CACHE_SIZE", 512))
    if size <= 0:
        return
    app.extensions[KEY] = PageCache(size)
    app.before_request(_answer_kept)
    app.after_request(_keep)


def _eligible() -> bool:
    return (
        request.method == "GET"
        and request.endpoint is not None
        and request.endpoint not in ALWAYS_RUN
        and not request.cookies
        and "Authorization" not in request.headers
    )


def _answer_kept() -> Response | None:
    if not _eligible():
        return None
    position = store.read_models_position()
    key = (request.full_path, request.headers.get("Accept-Language", ""), position)
    cache: PageCache = current_app.extensions[KEY]
    kept = cache.get(key)
    if kept is None:
        g.ssa_page_key = key
        return None
    g.ssa_page_hit = True
    response = Response(kept.body, status=200, content_type=kept.content_type)
    for name, value in kept.headers:
        response.headers[name] = value
    return response


def _keep(response: Response) -> Response:
    key = g.pop("ssa_page_key", None)
    if (
        key is None
        or response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or response.mimetype not in KEPT_TYPES
        or session
        or session.modified
        or "Set-Cookie" in response.headers
    ):
        return response
    described = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() in ("content-language", "content-disposition", "vary", "link")
        or name.lower().startswith("x-")
    )
    page = Kept(response.get_data(), response.content_type or "", described)
    current_app.extensions[KEY].put(key, page)
    return response
