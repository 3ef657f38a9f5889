"""Check a scenario document against scenario.schema.json, with errors a person reads.

A JSON Schema `oneOf` failure says only "is not valid under any of the given
schemas". `check_schema` walks into the alternatives instead and reports the one
that came closest (the error deepest in the document), or, when the value fits
none of them at all, lists what would fit. An empty file, or one that is not a
mapping, is said so in words. Errors are `DocumentError`s naming file, line and field.
"""

from __future__ import annotations

import json
from functools import cache

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from fake_graph_api.documents import (
    Document,
    DocumentError,
    compile_acceptor,
    load_schema,
)

SHALLOW = ("type", "enum", "const")


@cache
def scenario_schema() -> dict:
    return load_schema(__file__, "scenario.schema.json")


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(scenario_schema())


@cache
def _accepts():
    """The fast check of the same schema (about eight times faster on valid files);
    jsonschema finds and words the errors of what it refuses."""
    return compile_acceptor(scenario_schema())


def check_schema(document: Document) -> None:
    """Raise DocumentError for the most useful schema violation of `document`."""
    errors = schema_errors(document)
    if errors:
        raise errors[0]


def schema_errors(document: Document) -> list[DocumentError]:
    """Every schema violation of `document`, the most useful one per place."""
    _check_is_mapping(document)
    if _accepts()(document.data):
        return []
    found = []
    for error in _validator().iter_errors(document.data):
        error = _closest(error)
        found.append(document.error(tuple(error.absolute_path), describe(error)))
    return sorted(found, key=lambda e: (e.line or 0, e.field))


def _check_is_mapping(document: Document) -> None:
    data = document.data
    if isinstance(data, dict):
        return
    needed = "a scenario needs at least `scenario:` (one line) and `steps:`"
    if data is None:
        raise document.error((), f"the file is empty; {needed}")
    kind = {list: "a list", str: "a single text"}.get(type(data), type(data).__name__)
    raise document.error((), f"the file holds {kind}, not a mapping; {needed}")


def _closest(error: ValidationError) -> ValidationError:
    """Inside a oneOf/anyOf, the error of the alternative that came closest."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return error
    depth = len(error.absolute_path)
    deeper = [
        e
        for e in error.context
        if len(e.absolute_path) > depth or e.validator not in SHALLOW
    ]
    if not deeper:
        return error
    # The alternative whose error lies deepest got furthest: `{value, encoding}`
    # with a bad encoding fits that shape better than `{sequence, count}`.
    deepest = max(len(e.absolute_path) for e in deeper)
    return _closest(best_match(e for e in deeper if len(e.absolute_path) == deepest))


def describe(error: ValidationError) -> str:
    """A sentence saying what is wrong and what was expected."""
    if error.validator in ("oneOf", "anyOf"):
        return _describe_alternatives(error)
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        unexpected = sorted(
            set(error.instance) - set(error.schema.get("properties", {}))
        )
        names = ", ".join(repr(name) for name in unexpected)
        return f"unknown field {names}; allowed here: {allowed}"
    if error.validator == "enum":
        options = ", ".join(json.dumps(v) for v in error.validator_value)
        return f"{json.dumps(error.instance)} is not one of {options}"
    if error.validator == "pattern" and error.schema.get("description"):
        return (
            f"{json.dumps(error.instance)} does not fit: {error.schema['description']}"
        )
    if error.validator in ("minProperties", "maxProperties") and _is_step(error):
        return (
            "a step is a mapping with exactly one key, e.g. `- flush` or `- add: {...}`"
        )
    return error.message


def _describe_alternatives(error: ValidationError) -> str:
    if error.schema.get("description"):
        expected = error.schema["description"]
    else:
        expected = "; or ".join(_expected_by(branch) for branch in _branches(error))
    return f"{json.dumps(error.instance)} is not valid here; expected {expected}"


def _branches(error: ValidationError) -> list[dict]:
    resolver = _validator()
    branches = []
    for branch in error.validator_value:
        if "$ref" in branch:
            name = branch["$ref"].rsplit("/", 1)[-1]
            branch = resolver.schema["$defs"][name]
        branches.append(branch)
    return branches


def _expected_by(branch: dict) -> str:
    if "enum" in branch:
        return "one of " + ", ".join(json.dumps(v) for v in branch["enum"])
    if "const" in branch:
        return json.dumps(branch["const"])
    if "description" in branch:
        return branch["description"]
    kind = branch.get("type", "a value")
    kinds = kind if isinstance(kind, list) else [kind]
    text = " or ".join(kinds)
    if "properties" in branch:
        text += " with fields " + ", ".join(branch["properties"])
    return text


def _is_step(error: ValidationError) -> bool:
    path = list(error.absolute_path)
    return len(path) == 2 and path[0] == "steps"


__all__ = [
    "DocumentError",
    "check_schema",
    "describe",
    "scenario_schema",
    "schema_errors",
]
