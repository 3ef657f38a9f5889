"""Load scenario files into typed Scenario records, or fail naming file, line and field.

The JSON Schema catches shapes (`harness.scenario.schema`); this module adds the
checks a schema cannot make: profile references resolve, setting names are in the
engine's settings table (account settings only under `connection`), what each
subscribe and update step sends passes the engine's settings parser
(`setting_checks`), membership and subscription changes name an audience an
earlier step subscribed, fault errors
are in the Graph error catalogue, durations parse, the `facebook:` block fits the
fake's config schema; identity sequences expand. `discover(paths)` finds scenario
files below folders.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from fake_graph_api.config import SCHEMA as FAKE_CONFIG_SCHEMA
from fake_graph_api.documents import (
    Document,
    DocumentError,
    load_document,
    validate_document,
)
from fake_graph_api.errors import CATALOGUE
from harness.engine.messages import DEVICE_IDENTITY_TYPES
from harness.engine.settings import SETTINGS_BY_NAME
from harness.scenario import model
from harness.scenario.durations import parse_duration
from harness.scenario.expected import default_expectation, read_expectation
from harness.scenario.file_errors import Collector, ScenarioErrors
from harness.scenario.messages import ACCOUNT_SETTING_NAMES
from harness.scenario.schema import schema_errors
from harness.scenario.setting_checks import missing_setting_message, settings_problem

SCENARIO_SUFFIXES = (".yaml", ".yml")
NOT_IDENTITIES = ("mpid", "attributes")


def discover(paths) -> list[Path]:
    """Scenario files named by `paths`: files as given, folders searched, sorted."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SCENARIO_SUFFIXES and p.is_file()
            )
        elif path.exists():
            found.append(path)
        else:
            raise DocumentError("no such file or folder", file=str(path))
    return found


def nothing_found(paths) -> str:
    """Why `discover(paths)` found nothing: the patterns looked for, files left out."""
    names = ", ".join(map(str, paths))
    patterns = " and ".join(f"*{suffix}" for suffix in SCENARIO_SUFFIXES)
    message = f"no scenario files in {names}: folders are searched for {patterns}"
    folders = [Path(path) for path in paths if Path(path).is_dir()]
    json_files = sum(1 for folder in folders for _ in folder.rglob("*.json"))
    if json_files:
        message += (
            f"; {json_files} .json file(s) were left out (pass a JSON scenario "
            "by its file name, or name it .yaml)"
        )
    return message


def load_scenario(path: str | Path) -> model.Scenario:
    """Read, validate and type one scenario file; DocumentError when it is wrong."""
    document = load_document(path)
    return read_scenario(document)


def read_scenario(document: Document) -> model.Scenario:
    """Type an already parsed document, e.g. text read with `parse_document`.

    Raises `ScenarioErrors` (a DocumentError) carrying every error found, sorted
    by line: all schema violations, or else every step, block and setting that
    fails the loader's own checks.
    """
    errors = schema_errors(document)
    if errors:
        raise ScenarioErrors(errors)
    collector = Collector()
    collector.attempt(_check_facebook, document)
    reader = collector.attempt(_Reader, document)
    if reader is None:
        collector.raise_any()
    data = document.data
    steps = [
        collector.attempt(reader.step, ("steps", index), step)
        for index, step in enumerate(data["steps"])
    ]
    expect = default_expectation(document.line_of(("steps",)))
    if "expect" in data:
        expect = collector.attempt(
            read_expectation, document, ("expect",), data["expect"] or {}
        )
    collector.raise_any()
    return model.Scenario(
        title=data["scenario"],
        file=Path(document.file),
        tags=tuple(data.get("tags") or ()),
        source=data.get("source"),
        facebook=data.get("facebook"),
        connection=reader.connection,
        profiles=reader.profiles,
        steps=tuple(steps),
        expect=expect,
        line=document.line_of(("scenario",)),
    )


def _check_facebook(document: Document) -> None:
    """The `facebook:` block against the fake's own config schema."""
    data = document.data.get("facebook")
    if data is None:
        return
    lines = {
        path[1:]: line
        for path, line in document.lines.items()
        if path[:1] == ("facebook",)
    }
    try:
        validate_document(Document(data, document.file, lines), FAKE_CONFIG_SCHEMA)
    except DocumentError as error:
        field = "facebook." + error.field if error.field else "facebook"
        raise DocumentError(
            error.detail, file=error.file, line=error.line, field=field
        ) from None


class _Reader:
    """Turns validated document parts into model records, remembering profiles."""

    def __init__(self, document: Document) -> None:
        self.document = document
        raw = document.data.get("profiles") or {}
        self.profiles = {
            name: self.profile(("profiles", name), name, fields)
            for name, fields in raw.items()
        }
        self.connection = self.settings(
            ("connection",), document.data.get("connection") or {}
        )
        self.subscribed: dict[int, dict] = {}

    def error(self, path: tuple, message: str) -> DocumentError:
        return self.document.error(path, message)

    def line(self, path: tuple) -> int | None:
        return self.document.line_of(path)

    def profile(self, path: tuple, name: str, fields: dict) -> model.Profile:
        identities = []
        for kind, value in fields.items():
            if kind in NOT_IDENTITIES:
                continue
            values = value if isinstance(value, list) else [value]
            for item in values:
                identities += _identities(kind, item)
        mpid = fields.get("mpid")
        return model.Profile(
            name=name,
            identities=tuple(identities),
            attributes=dict(fields.get("attributes") or {}),
            mpid=None if mpid is None else str(mpid),
            line=self.line(path),
        )

    def settings(self, path: tuple, values: dict) -> dict:
        for name in values:
            if name not in SETTINGS_BY_NAME:
                raise self.error(
                    path + (name,), _unknown("setting", name, SETTINGS_BY_NAME)
                )
        return dict(values)

    def users(self, path: tuple, users: list) -> tuple[model.Profile, ...]:
        return tuple(
            self.user(path + (index,), user) for index, user in enumerate(users)
        )

    def user(self, path: tuple, user) -> model.Profile:
        if isinstance(user, dict):
            return self.profile(path, f"the user at line {self.line(path)}", user)
        if user not in self.profiles:
            raise self.error(path, _unknown("profile", user, self.profiles))
        return self.profiles[user]

    def step(self, path: tuple, step) -> model.Step:
        if isinstance(step, str):
            kind, body = step, None
        else:
            ((kind, body),) = step.items()
        build = getattr(self, f"_step_{kind}")
        return build(path + (kind,), body)

    def connection_settings(self, path: tuple, values: dict) -> dict:
        """Per-audience settings: account settings belong under `connection`."""
        for name in values:
            if name in ACCOUNT_SETTING_NAMES:
                message = f"{name} is an account setting; set it under connection:"
                raise self.error(path + (name,), message)
        return self.settings(path, values)

    def subscription_settings(self, path: tuple, body: dict, base: dict) -> dict:
        """The step's own settings, after checking what the engine will receive."""
        own = self.connection_settings(path + ("settings",), body.get("settings") or {})
        sent = {**base, **own}
        self.subscribed[body["audience"]] = sent  # even when refused: no echo errors
        problem = settings_problem(sent)
        if problem is not None:
            name, text = problem
            if name in own:
                raise self.error(path + ("settings", name), text)
            if name in self.connection:
                raise self.error(("connection", name), text)
            raise self.error(path, missing_setting_message(name, text))
        return own

    def check_subscribed(self, path: tuple, audiences: tuple[int, ...]) -> None:
        """Membership and subscription changes need an earlier `subscribe`."""
        for audience in audiences:
            if audience not in self.subscribed:
                earlier = ", ".join(map(str, self.subscribed)) or "none"
                raise self.error(
                    path,
                    f"audience {audience} is not subscribed by an earlier step "
                    f"(subscribed so far: {earlier}); add `- subscribe: "
                    f"{{audience: {audience}, name: ...}}` before this step",
                )

    def _step_subscribe(self, path, body) -> model.Subscribe:
        return model.Subscribe(
            audience=body["audience"],
            name=body["name"],
            description=body.get("description"),
            settings=self.subscription_settings(path, body, self.connection),
            line=self.line(path),
        )

    def _step_update(self, path, body) -> model.Update:
        audience = body["audience"]
        self.check_subscribed(path + ("audience",), (audience,))
        return model.Update(
            audience=audience,
            name=body.get("name"),
            description=body.get("description"),
            settings=self.subscription_settings(path, body, self.subscribed[audience]),
            line=self.line(path),
        )

    def _step_unsubscribe(self, path, body) -> model.Unsubscribe:
        self.check_subscribed(path + ("audience",), (body["audience"],))
        return model.Unsubscribe(audience=body["audience"], line=self.line(path))

    def _step_add(self, path, body) -> model.Membership:
        return self._membership("add", path, body)

    def _step_remove(self, path, body) -> model.Membership:
        return self._membership("delete", path, body)

    def _membership(self, action, path, body) -> model.Membership:
        audiences = _audience_ids(body["audience"])
        self.check_subscribed(path + ("audience",), audiences)
        return model.Membership(
            action=action,
            audiences=audiences,
            users=self.users(path + ("users",), body["users"]),
            batch=body.get("batch"),
            line=self.line(path),
        )

    def _step_attributes(self, path, body) -> model.Attributes:
        audiences = _audience_ids(body["audience"])
        self.check_subscribed(path + ("audience",), audiences)
        return model.Attributes(
            audiences=audiences,
            users=self.users(path + ("users",), body["users"]),
            set=dict(body.get("set") or {}),
            delete=tuple(body.get("delete") or ()),
            line=self.line(path),
        )

    def _step_advance(self, path, body) -> model.Advance:
        try:
            seconds = parse_duration(body)
        except ValueError as error:
            raise self.error(path, str(error)) from None
        return model.Advance(seconds=seconds, line=self.line(path))

    def _step_flush(self, path, body) -> model.Flush:
        return model.Flush(line=self.line(path))

    def _step_keepalive(self, path, body) -> model.Keepalive:
        return model.Keepalive(line=self.line(path))

    def _step_fault(self, path, body) -> model.Fault:
        if body == "clear":
            return model.Fault(rule=None, line=self.line(path))
        return model.Fault(rule=self.fault_rule(path, body), line=self.line(path))

    def fault_rule(self, path, body: dict) -> dict:
        error = body.get("error")
        if error is not None and error not in CATALOGUE:
            raise self.error(
                path + ("error",), _unknown("Graph error", error, CATALOGUE)
            )
        kinds = [k for k in ("error", "status", "html") if body.get(k)]
        if len(kinds) > 1:
            raise self.error(path, f"give one of error, status or html, not {kinds}")
        if "status" in kinds and "body" not in body:
            raise self.error(path, "a status fault needs a body (the JSON answered)")
        if not kinds and not body.get("latency_ms"):
            raise self.error(
                path, "a fault needs error, status + body, html or latency_ms"
            )
        return {"method": "*", "path": "*", **body}

    def _step_facebook(self, path, body) -> model.FacebookChange:
        return model.FacebookChange(changes=tuple(body.items()), line=self.line(path))

    def _step_resume(self, path, body) -> model.Resume:
        audience = body.get("audience") if isinstance(body, dict) else None
        return model.Resume(audience=audience, line=self.line(path))

    def _step_expect(self, path, body) -> model.Checkpoint:
        expectation = read_expectation(self.document, path, body or {})
        return model.Checkpoint(expect=expectation, line=self.line(path))


def _identities(kind: str, value) -> list[model.Identity]:
    """One identity, or `count` of them from a `{sequence: "user{n}@x.org"}` pattern."""
    if not (isinstance(value, dict) and "sequence" in value):
        return [_identity(kind, value)]
    start = value.get("start", 1)
    numbers = range(start, start + value["count"])
    encoding = value.get("encoding", "raw")
    return [
        _identity(
            kind,
            {"value": value["sequence"].replace("{n}", str(n)), "encoding": encoding},
        )
        for n in numbers
    ]


def _identity(kind: str, value) -> model.Identity:
    encoding = "raw"
    if isinstance(value, dict):
        encoding = value.get("encoding", "raw")
        value = value["value"]
    return model.Identity(
        type=kind,
        value=str(value),
        encoding=encoding,
        device=kind in DEVICE_IDENTITY_TYPES,
    )


def _audience_ids(value) -> tuple[int, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _unknown(what: str, name: str, known) -> str:
    message = f"unknown {what} {name!r}"
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    listed = ", ".join(sorted(known)) or "none"
    return message + f" Known: {listed}"
