"""The form corpus served for real: the pages of ``tests/form_corpus/pages`` and the vendored
framework packages (``launcher_demo/static/vendor``) at ``/vendor/``, on 127.0.0.1, by a real HTTP
server in a thread; a second server on another port is "another origin" for the cross-origin
frame page. A page may write ``{{OTHER_ORIGIN}}`` and ``{{ORIGIN}}``: they are replaced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
VENDOR = HERE.parents[1] / "launcher_demo" / "static" / "vendor"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".json": "application/json", ".woff": "font/woff",
         ".woff2": "font/woff2", ".ttf": "font/ttf", ".svg": "image/svg+xml",
         ".eot": "application/vnd.ms-fontobject", ".png": "image/png", ".gif": "image/gif"}


@dataclass
class CorpusServer:
    origin: str
    other_origin: str

    def url(self, page: str) -> str:
        """The address of a corpus page, by its name (``element_ui``) or path."""
        path = page if page.startswith("/") else f"/{page}"
        if not path.endswith(".html"):
            path += ".html"
        return self.origin + path


def _resolve(root: Path, rel: str) -> Path | None:
    target = (root / rel).resolve()
    return target if target.is_file() and root.resolve() in target.parents else None


def _handler(origins: dict[str, str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path.startswith("/vendor/"):
                found = _resolve(VENDOR, path[len("/vendor/"):])
            else:
                found = _resolve(PAGES, path.lstrip("/") or "index.html")
            if found is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = found.read_bytes()
            if found.suffix == ".html":
                text = body.decode("utf-8")
                for name, value in origins.items():
                    text = text.replace("{{" + name + "}}", value)
                body = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(found.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store" if found.suffix == ".html" else "max-age=600")
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def corpus_server() -> Iterator[CorpusServer]:
    origins: dict[str, str] = {}
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _handler(origins)) for _ in range(2)]
    origins["ORIGIN"] = f"http://127.0.0.1:{servers[0].server_address[1]}"
    origins["OTHER_ORIGIN"] = f"http://127.0.0.1:{servers[1].server_address[1]}"
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    try:
        yield CorpusServer(origins["ORIGIN"], origins["OTHER_ORIGIN"])
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()


if __name__ == "__main__":  # serve the corpus to look at it in a browser
    import time

    with corpus_server() as served:
        print("corpus at", served.origin, "other origin", served.other_origin)
        while True:
            time.sleep(3600)
