import pytest

from fake_graph_api.documents import (
    DocumentError,
    format_path,
    load_document,
    parse_document,
    validate_document,
)

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "ad_accounts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "pattern": "^act_[0-9]+$"},
                    "access": {"enum": ["full", "read"]},
                },
            },
        }
    },
}

TEXT = """\
ad_accounts:
  - id: act_1
  - id: act_2
    access: full
  - id: nope
"""


def test_lines_of_nested_fields():
    document = parse_document(TEXT, file="c.yaml")

    assert document.line_of(("ad_accounts",)) == 1
    assert document.line_of(("ad_accounts", 1, "access")) == 4
    assert document.line_of(("ad_accounts", 2, "id")) == 5
    assert document.line_of(("ad_accounts", 2, "missing")) == 5


def test_schema_error_names_file_line_and_field():
    document = parse_document(TEXT, file="c.yaml")

    with pytest.raises(DocumentError) as caught:
        validate_document(document, SCHEMA)

    assert caught.value.line == 5
    assert caught.value.field == "ad_accounts[2].id"
    assert str(caught.value).startswith("c.yaml:5: ad_accounts[2].id: 'nope'")


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        pytest.param("bogus: 1\n", 1, "allowed here: ad_accounts", id="unknown-key"),
        pytest.param(
            "ad_accounts:\n  - id: act_1\n    access: all\n",
            3,
            '"all" is not one of "full", "read"',
            id="bad-enum",
        ),
        pytest.param("ad_accounts:\n  - {}\n", 2, "'id' is a required", id="required"),
    ],
)
def test_schema_errors_say_what_was_expected(text, line, expected):
    document = parse_document(text, file="x.yaml")

    with pytest.raises(DocumentError) as caught:
        validate_document(document, SCHEMA)

    assert caught.value.line == line
    assert expected in str(caught.value)


def test_yaml_syntax_error_has_a_line():
    with pytest.raises(DocumentError) as caught:
        parse_document("a: 1\nb: [1, 2\nc: 3\n", file="bad.yaml")

    assert caught.value.file == "bad.yaml"
    assert caught.value.line is not None
    assert "not valid YAML" in str(caught.value)


@pytest.mark.parametrize(
    "text, line, field, first_line",
    [
        pytest.param(
            "scenario: a\nsteps: []\nscenario: b\n", 3, "scenario", 1, id="top"
        ),
        pytest.param(
            "ad_accounts:\n  - id: act_1\n    access: full\n    id: act_2\n",
            4,
            "ad_accounts[0].id",
            2,
            id="nested",
        ),
        pytest.param('{"a": 1,\n "a": 2}\n', 2, "a", 1, id="json"),
    ],
)
def test_a_duplicate_key_names_both_lines(text, line, field, first_line):
    with pytest.raises(DocumentError) as caught:
        parse_document(text, file="dup.yaml")

    assert (caught.value.line, caught.value.field) == (line, field)
    assert f"also on line {first_line}" in str(caught.value)


def test_merge_keys_are_not_duplicates():
    text = "base: &b {x: 1}\none: {<<: *b, y: 2}\ntwo: {<<: *b, x: 3}\n"
    assert parse_document(text).data["two"] == {"x": 3}


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "absent.yaml"

    with pytest.raises(DocumentError, match="absent.yaml: cannot read the file"):
        load_document(missing)


def test_json_files_load_with_lines(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{\n  "ad_accounts": [\n    {"id": "act_9"}\n  ]\n}\n')

    document = load_document(path)

    assert document.data == {"ad_accounts": [{"id": "act_9"}]}
    assert document.line_of(("ad_accounts", 0, "id")) == 3


def test_format_path():
    assert format_path(("a", 0, "b", 2)) == "a[0].b[2]"
    assert format_path(()) == ""
