"""The Flask application: one FakeGraph (state, clock, journal, faults) per app.

`create_app(config=None, *, seed=0, clock=None, **options)` builds the app;
`fake_of(app)` returns its FakeGraph for in-process tests. Graph paths go to
routes.py, `/_fake/...` to control.py (loopback clients only unless
`allow_remote_control=True`); there is no static-file route, so every other path,
`/static/...` included, gets a Graph answer.

Every app has the same URL rules, and compiling them costs about ten times as
much as the rest of create_app, so the rules are compiled once per process into
one shared, frozen map; each app keeps its own view functions and FakeGraph.
"""

import copy
import threading

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RuleFactory

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
    app = Flask("fake_graph_api", static_folder=None)
    app.url_map = _shared_routes()
    app.config["MAX_FORM_MEMORY_SIZE"] = 64 * 1024 * 1024
    app.config["MAX_FORM_PARTS"] = 10_000
    app.extensions[EXTENSION] = fake
    _register_views(app, lambda path="": answer_graph_request(fake))
    app.register_error_handler(HTTPException, lambda error: _http_error(fake, error))
    return app


def _register_views(app: Flask, graph) -> None:
    """The control blueprint and the catch-all Graph view `graph(path="")`."""
    app.register_blueprint(control_api)
    for rule, name in (("/", "graph_root"), ("/<path:path>", "graph")):
        app.add_url_rule(
            rule, name, graph, methods=GRAPH_METHODS, provide_automatic_options=False
        )


class SharedRoutes(Map):
    """A URL map compiled once and then frozen: adding a rule it already holds
    is a no-op (each app still registers its own view for it), any other rule an
    error, because every app made by create_app shares this map."""

    def __init__(self) -> None:
        super().__init__()
        self.frozen = False
        self._known: set[tuple] = set()

    def add(self, rulefactory: RuleFactory) -> None:
        if not self.frozen:
            super().add(rulefactory)
            self._known.update(_rule_key(rule) for rule in self.iter_rules())
            return
        for rule in rulefactory.get_rules(self):
            if _rule_key(rule) not in self._known:
                raise ValueError(
                    f"cannot add the URL rule {rule.rule!r} to a fake Graph API app: "
                    "every app made by create_app shares one frozen URL map; serve "
                    "extra routes from another Flask app"
                )


_routes_lock = threading.Lock()
_routes: list[SharedRoutes] = []


def _shared_routes() -> SharedRoutes:
    """The process's one compiled map, made on first use from a throwaway app."""
    with _routes_lock:
        if not _routes:
            template = Flask("fake_graph_api", static_folder=None)
            template.url_map = SharedRoutes()
            _register_views(template, lambda path="": None)
            template.url_map.frozen = True
            _routes.append(template.url_map)
        return _routes[0]


def _rule_key(rule) -> tuple:
    return rule.rule, rule.endpoint, frozenset(rule.methods or ())


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
