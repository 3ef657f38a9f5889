"""The Flask application: one FakeGraph (state, clock, journal, faults) per app.

`create_app(config=None, *, seed=0, clock=None, **options)` builds the app;
`fake_of(app)` returns its FakeGraph for in-process tests. Graph paths go to
routes.py, `/_fake/...` to control.py (loopback clients only unless
`allow_remote_control=True`).
"""

import copy

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from fake_graph_api.clock import VirtualClock
from fake_graph_api.config import Options, default_config
from fake_graph_api.control import control_api
from fake_graph_api.faults import Faults
from fake_graph_api.journal import Journal
from fake_graph_api.routes import answer_graph_request
from fake_graph_api.store import Store
from fake_graph_api.throttle import Throttle

EXTENSION = "fake_graph"
GRAPH_METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"]


class FakeGraph:
    """Everything behind one fake server; the routes and tests share it."""

    def __init__(self, config: dict, *, seed: int, clock, options: Options) -> None:
        self.seed = seed
        self.clock = clock
        self.options = options
        self.startup_config = copy.deepcopy(config)
        self.store = Store(seed=seed)
        self.journal = Journal(size=options.journal_size)
        self.faults = Faults(seed=seed)
        self.throttle = Throttle()
        self.store.configure(self.startup_config, now=clock.now())

    @property
    def findings(self) -> list[dict]:
        return self.journal.findings()

    def reset(self, ad_account: str | None = None) -> None:
        """Back to the startup config (all, or one ad account); the clock is kept."""
        now = self.clock.now()
        if ad_account is None:
            self.store.clear()
            self.store.configure(self.startup_config, now=now)
            self.faults.clear()
        else:
            self.store.forget_ad_account(ad_account)
            for account in self.startup_config.get("ad_accounts", ()):
                if account["id"] == ad_account:
                    self.store.upsert_ad_account(account, now=now)
        self.journal.clear(ad_account)
        self.throttle.forget(ad_account)


def create_app(config: dict | None = None, *, seed: int = 0, clock=None, **options):
    """A Flask app serving the fake Graph API; `config` is an already valid dict."""
    settings = Options.from_keywords(options)
    fake = FakeGraph(
        default_config() if config is None else config,
        seed=seed,
        clock=clock or VirtualClock(),
        options=settings,
    )
    app = Flask("fake_graph_api")
    app.config["MAX_FORM_MEMORY_SIZE"] = 64 * 1024 * 1024
    app.config["MAX_FORM_PARTS"] = 10_000
    app.extensions[EXTENSION] = fake
    app.register_blueprint(control_api)

    def graph(path: str = ""):
        return answer_graph_request(fake)

    for rule, name in (("/", "graph_root"), ("/<path:path>", "graph")):
        app.add_url_rule(
            rule, name, graph, methods=GRAPH_METHODS, provide_automatic_options=False
        )
    app.register_error_handler(HTTPException, lambda error: _http_error(fake, error))
    return app


def _http_error(fake: FakeGraph, error: HTTPException):
    """Methods no rule accepts still get a Graph answer (100/33), as Graph gives."""
    if request.path.startswith("/_fake/"):
        return error
    return answer_graph_request(fake)


def fake_of(app: Flask) -> FakeGraph:
    """The FakeGraph behind an app made by create_app."""
    try:
        return app.extensions[EXTENSION]
    except KeyError:
        raise TypeError(
            "this Flask app was not made by fake_graph_api.create_app"
        ) from None
