import pytest

from fake_graph_api.clock import VirtualClock
from harness.adapters import EngineFailure, EngineSpecError, open_engine

STATUS = {"type": "fbca_control", "action": "status"}


def opened(spec):
    return open_engine(spec, graph_url="http://graph.fake", clock=VirtualClock())


@pytest.mark.parametrize(
    "spec, words",
    [
        pytest.param("python", "no kind: prefix", id="no-colon"),
        pytest.param("python:", "nothing after it", id="empty-target"),
        pytest.param("ftp:x", "unknown kind 'ftp'", id="unknown-kind"),
        pytest.param("python:nomodule_here:make", "cannot import", id="no-module"),
        pytest.param(
            "python:json:nothing", "json has no callable nothing", id="no-factory"
        ),
        pytest.param("python:json", "module:factory", id="no-factory-name"),
        pytest.param("http:ftp://x", "starts with http://", id="bad-url"),
        pytest.param("cmd:", "nothing after it", id="empty-command"),
        pytest.param(
            "cmd:/no/such/engine", "cannot start /no/such/engine", id="no-exe"
        ),
        pytest.param('cmd:"unclosed', "cannot split the command", id="bad-quotes"),
    ],
)
def test_bad_specs_say_what_was_expected(spec, words):
    with pytest.raises(EngineSpecError) as caught:
        opened(spec)
    assert words in str(caught.value)
    assert "Expected 'reference', 'python:module:factory'" in str(caught.value)


def test_reference_engine_answers_status():
    with opened("reference") as engine:
        assert engine.in_process
        assert engine.handle(STATUS) == {
            "type": "fbca_control_response",
            "connections": [],
        }


def test_cmd_engine_round_trip(script):
    spec = script(
        """
        import json, sys
        for line in sys.stdin:
            message = json.loads(line)
            print(json.dumps({"echo": message["action"]}), flush=True)
        """
    )
    with opened(spec) as engine:
        assert not engine.in_process
        assert engine.handle(STATUS) == {"echo": "status"}
        assert engine.handle({**STATUS, "action": "flush"}) == {"echo": "flush"}


def test_cmd_engine_crash_shows_its_stderr(script):
    spec = script(
        """
        import sys
        sys.stdin.readline()
        print("engine: cannot parse settings", file=sys.stderr)
        sys.exit(1)
        """
    )
    with opened(spec) as engine, pytest.raises(EngineFailure) as caught:
        engine.handle(STATUS)
    message = str(caught.value)
    assert "exited while handling fbca_control" in message
    assert "engine: cannot parse settings" in message


def test_cmd_engine_non_json_answer(script):
    spec = script(
        """
        import sys
        sys.stdin.readline()
        print("OK", flush=True)
        sys.stdin.readline()
        """
    )
    with opened(spec) as engine, pytest.raises(EngineFailure) as caught:
        engine.handle(STATUS)
    assert "non-JSON text: 'OK'" in str(caught.value)


def test_cmd_engine_long_non_json_answer_is_quoted_truncated(script):
    spec = script(
        """
        import sys
        sys.stdin.readline()
        print("debug: " + "x" * 500, flush=True)
        sys.stdin.readline()
        """
    )
    with opened(spec) as engine, pytest.raises(EngineFailure) as caught:
        engine.handle(STATUS)
    message = str(caught.value)
    assert "non-JSON text: 'debug: xxx" in message
    assert "... (507 characters)" in message
    assert "x" * 300 not in message


def test_cmd_engine_that_hangs_times_out(script):
    spec = script(
        """
        import sys, time
        sys.stdin.readline()
        time.sleep(30)
        """
    )
    engine = opened(spec)
    engine.timeout = 0.5
    with engine, pytest.raises(EngineFailure, match="did not answer fbca_control"):
        engine.handle(STATUS)


def test_http_engine_error_status(http_engine_url):
    with opened(f"http:{http_engine_url}") as engine:
        assert engine.long_lived
        with pytest.raises(EngineFailure, match="with HTTP 500"):
            engine.handle({"type": "nonsense"})


def test_http_engine_unreachable():
    engine = opened("http:http://127.0.0.1:9/")
    with engine, pytest.raises(EngineFailure, match="could not deliver fbca_control"):
        engine.handle(STATUS)
