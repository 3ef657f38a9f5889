"""Serving an app over HTTP with werkzeug, without tokens in the request log.

werkzeug's default request log prints the full request line, query string and all,
and Graph clients put `access_token` in the query string. The handler here logs
the method, path and status only.
"""

import json
import logging
from http import HTTPStatus

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from fake_graph_api.errors import GraphError, envelope

log = logging.getLogger("fake_graph_api.http")


class PathOnlyRequestHandler(WSGIRequestHandler):
    """A werkzeug request handler whose access log never shows the query string."""

    def log_request(self, code="-", size="-") -> None:
        # A request line the server refused to read has no path (over 64 KB).
        path = getattr(self, "path", "").split("?", 1)[0]
        log.info("%s %s %s", self.command or "-", path, getattr(code, "value", code))

    def send_error(self, code, message=None, explain=None) -> None:
        """Refusals made before the app runs still answer as Graph does.

        The standard library answers a request line over 64 KB with an HTML 414
        page; Graph clients expect a JSON error envelope.
        """
        if code != HTTPStatus.REQUEST_URI_TOO_LONG:
            super().send_error(code, message, explain)
            return
        body = json.dumps(envelope(GraphError("uri_too_long"), "fbca-line")).encode()
        self.log_request(code)
        self.send_response_only(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


def make_fake_server(app, host: str, port: int) -> BaseWSGIServer:
    """A threaded werkzeug server for `app`; port 0 picks a free one."""
    return make_server(
        host, port, app, threaded=True, request_handler=PathOnlyRequestHandler
    )
