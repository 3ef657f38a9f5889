"""Load YAML or JSON documents and validate them, with errors that name file and line.

`load_document(path)` parses a file and remembers the line of every node, so a
JSON Schema error can say where it is: `config.yaml:7: ad_accounts[0].id: 'x' does
not match '^act_[0-9]+$'`. Used for `fbca serve --config` files and scenario files.
Pure: no Flask, no sockets.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import yaml

JsonPath = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it: about ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentError(Exception):
    """A document that cannot be read or does not match its schema."""

    def __init__(
        self, message: str, *, file: str, line: int | None = None, field: str = ""
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.detail = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field + ': ' if field else ''}{message}")


@dataclass
class Document:
    """Parsed data plus the 1-based line where each JSON path starts."""

    data: Any
    file: str
    lines: dict[JsonPath, int] = field(default_factory=dict)

    def line_of(self, path: JsonPath) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def error(self, path: JsonPath, message: str) -> DocumentError:
        return DocumentError(
            message, file=self.file, line=self.line_of(path), field=format_path(path)
        )


def format_path(path: JsonPath) -> str:
    """`("ad_accounts", 0, "id")` -> `ad_accounts[0].id`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def load_document(path: str | Path) -> Document:
    """Read a .yaml, .yml or .json file into a Document with node lines."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        message = f"cannot read the file ({exc.strerror})"
        raise DocumentError(message, file=str(path)) from None
    except UnicodeDecodeError:
        raise DocumentError("the file is not UTF-8 text", file=str(path)) from None
    return parse_document(text, file=str(path))


def parse_document(text: str, *, file: str = "<string>") -> Document:
    """Parse YAML (a superset of JSON) text; `file` is used in error messages."""
    try:
        node, data = _compose_and_construct(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        raise DocumentError(
            f"not valid YAML: {problem}", file=file, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"not valid YAML: {exc}", file=file) from None
    lines: dict[JsonPath, int] = {}
    if node is not None:
        try:
            _collect_lines(node, (), lines)
        except _DuplicateKey as duplicate:
            raise DocumentError(
                f"duplicate key {duplicate.key!r}: it is also on line "
                f"{duplicate.first_line}, and YAML would keep only this one",
                file=file,
                line=duplicate.line,
                field=format_path(duplicate.path),
            ) from None
    return Document(data=data, file=file, lines=lines)


def _check_written_once(mapping, key_node, written: dict, path: JsonPath) -> None:
    """Raise _DuplicateKey for a key written twice in one mapping's own text.

    Keys a `<<` merge brings in lie outside the mapping's text, and the mapping's
    own key may override them, so only keys inside its span are compared.
    """
    start, end = mapping.start_mark.index, mapping.end_mark.index
    if not start <= key_node.start_mark.index < end:
        return
    line = key_node.start_mark.line + 1
    if key_node.value in written:
        raise _DuplicateKey(path + (key_node.value,), written[key_node.value], line)
    written[key_node.value] = line


class _DuplicateKey(Exception):
    def __init__(self, path: JsonPath, first_line: int, line: int) -> None:
        super().__init__(path)
        self.path, self.key = path, path[-1]
        self.first_line, self.line = first_line, line


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for lines) and the data built from it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _collect_lines(node: yaml.Node, path: JsonPath, lines: dict) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        written: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value
            _check_written_once(node, key_node, written, path)
            _collect_lines(value_node, path + (key,), lines)
            # A field's line is its key's, even when the value starts below it.
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines)


def validate_document(document: Document, schema: dict) -> None:
    """Raise DocumentError for the first schema violation, naming its line and field."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document.data), key=_error_order)
    if errors:
        first = errors[0]
        path = tuple(first.absolute_path)
        raise document.error(path, _describe(first))


def compile_acceptor(schema: dict) -> Callable[[Any], bool]:
    """A fast yes/no check of `schema`, compiled to Python by fastjsonschema.

    It is several times faster than jsonschema on valid documents, so callers ask
    it first and run jsonschema only on what it refuses, to find and word the
    errors: jsonschema stays the authority. The schema must use only keywords both
    libraries read alike (draft 7's, with `$ref`s into `$defs` or inlined).
    """
    meta = ("$schema", "$id")
    check = fastjsonschema.compile(
        {key: value for key, value in schema.items() if key not in meta},
        use_default=False,
    )

    def accepts(data: Any) -> bool:
        try:
            check(data)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return accepts


def load_schema(package_file: str, name: str) -> dict:
    """Load a JSON Schema shipped next to `package_file` (pass `__file__`)."""
    return json.loads((Path(package_file).parent / name).read_text(encoding="utf-8"))


def _error_order(error: jsonschema.ValidationError) -> tuple:
    return (len(error.absolute_path), [str(p) for p in error.absolute_path])


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{error.message}; allowed here: {', '.join(allowed)}"
    if error.validator == "required":
        return f"{error.message}"
    if error.validator == "enum":
        options = ", ".join(json.dumps(v) for v in error.validator_value)
        return f"{json.dumps(error.instance)} is not one of {options}"
    return error.message
