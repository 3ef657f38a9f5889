"""Serving an app over HTTP with werkzeug, without tokens in the request log.

werkzeug's default request log prints the full request line, query string and all,
and Graph clients put `access_token` in the query string. The handler here logs
the method, path and status only.
"""

import logging

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

log = logging.getLogger("fake_graph_api.http")


class PathOnlyRequestHandler(WSGIRequestHandler):
    """A werkzeug request handler whose access log never shows the query string."""

    def log_request(self, code="-", size="-") -> None:
        path = self.path.split("?", 1)[0]
        log.info("%s %s %s", self.command, path, getattr(code, "value", code))


def make_fake_server(app, host: str, port: int) -> BaseWSGIServer:
    """A threaded werkzeug server for `app`; port 0 picks a free one."""
    return make_server(
        host, port, app, threaded=True, request_handler=PathOnlyRequestHandler
    )
