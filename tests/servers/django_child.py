"""Serving a test Django project (tests/servers/cas, tests/servers/dot) from a child process.

``serve(path)`` serves the configured Django application with werkzeug on a free port of
127.0.0.1, prints ``READY http://127.0.0.1:<port><path>`` once it accepts requests, and exits when
its standard input closes (the test run ended, however it ended), so it never outlives the tests.
"""

from __future__ import annotations

import os
import sys
import threading


def serve(path: str) -> None:
    from django.core.wsgi import get_wsgi_application
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), threaded=True, request_handler=Quiet
    )

    def watch_parent() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    print(f"READY http://127.0.0.1:{server.server_port}{path}", flush=True)
    server.serve_forever()
