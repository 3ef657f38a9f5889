import json
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from fake_graph_api.cli import describe, is_loopback
from fake_graph_api.config import default_config, load_config
from fake_graph_api.documents import DocumentError
from harness.cli import main


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        pytest.param("127.0.0.1", True, id="ipv4-loopback"),
        pytest.param("::1", True, id="ipv6-loopback"),
        pytest.param("localhost", True, id="localhost"),
        pytest.param("0.0.0.0", False, id="all-interfaces"),
        pytest.param("example.com", False, id="a-name"),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_remote_host_is_refused_without_the_flag(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_bad_config_names_file_line_and_field(tmp_path, capsys):
    config = tmp_path / "fake.yaml"
    config.write_text("ad_accounts:\n  - id: act_1\n    calls_per_hour: lots\n")

    assert main(["serve", "--config", str(config)]) == 2
    error = capsys.readouterr().err
    assert f"{config}:3" in error and "ad_accounts[0].calls_per_hour" in error


def test_config_file_of_the_issue_loads(tmp_path):
    config = tmp_path / "fake.yaml"
    config.write_text(
        "ad_accounts:\n"
        "  - {id: act_1001, tos_accepted: true, audience_limit: 500,\n"
        "     app_secret: null, existing_audiences: 0, removal_min_size: null,\n"
        "     calls_per_hour: 5000}\n"
        "  - {id: act_2002, tos_accepted: false}\n"
        'app_ids: ["111"]\n'
        "tokens:\n"
        "  - {token: tok-full, ad_accounts: [act_1001], access: full}\n"
        "  - {token: tok-read, ad_accounts: [act_1001], access: read}\n"
        "  - {token: tok-old, ad_accounts: [act_1001], access: full, expired: true}\n"
    )

    loaded = load_config(config)

    assert [a["id"] for a in loaded["ad_accounts"]] == ["act_1001", "act_2002"]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        pytest.param(
            "ad_accounts: [{id: act_1}, {id: act_1}]\n",
            1, "act_1 is set up twice", id="duplicate-ad-account",
        ),
        pytest.param(
            "ad_accounts:\n  - {id: act_1}\ntokens:\n"
            "  - {token: t, ad_accounts: [act_2]}\n",
            4, "act_2 is not an ad account of this file", id="token-unknown-account",
        ),
        pytest.param(
            "ad_accounts: [{id: act_1}]\ntokens:\n  - {token: t}\n  - {token: t}\n",
            4, "this token is set up twice", id="duplicate-token",
        ),
    ],
)  # fmt: skip
def test_config_references_are_checked(tmp_path, text, line, expected):
    config = tmp_path / "fake.yaml"
    config.write_text(text)

    with pytest.raises(DocumentError, match=expected) as caught:
        load_config(config)

    assert caught.value.line == line
    assert "t," not in str(caught.value)  # a token never appears in an error


def test_config_without_tokens_gets_the_default_token(tmp_path):
    config = tmp_path / "fake.yaml"
    config.write_text("ad_accounts: [{id: act_7}, {id: act_8}]\n")

    loaded = load_config(config)

    assert loaded["tokens"] == [{"token": "fbca-dev-token", "access": "full"}]
    assert "every ad account" in describe(loaded, "127.0.0.1", 8080)


def test_banner_never_prints_a_configured_token():
    token = {"token": "s3cr3t-tok", "ad_accounts": ["act_1"]}
    config = {"ad_accounts": [{"id": "act_1"}], "tokens": [token]}

    banner = describe(config, "127.0.0.1", 8080)

    assert "s3cr3t-tok" not in banner and "<configured>" in banner


def test_empty_config_file_is_refused(tmp_path):
    config = tmp_path / "empty.yaml"
    config.write_text("")

    with pytest.raises(DocumentError, match="empty"):
        load_config(config)


def test_banner_names_the_default_account_and_token():
    banner = describe(default_config(), "127.0.0.1", 8080)

    assert "act_1001 (terms accepted)" in banner and "fbca-dev-token" in banner


@pytest.mark.slow
def test_fbca_serve_answers_over_loopback():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "harness.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        banner = server.stdout.readline()
        answer = _first_answer(
            f"http://127.0.0.1:{port}/v19.0/act_1001/customaudiences"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert "fake Graph API on" in banner
    assert answer.json() == {"data": []}


def _first_answer(url: str) -> httpx.Response:
    for _ in range(100):
        try:
            return httpx.get(url, params={"access_token": "fbca-dev-token"})
        except httpx.ConnectError:
            time.sleep(0.05)
    raise AssertionError(f"nothing answered on {url}")


@pytest.mark.slow
def test_request_line_over_64_kb_gets_a_graph_envelope():
    from fake_graph_api import create_app
    from fake_graph_api.serving import make_fake_server

    server = make_fake_server(create_app(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    line = f"GET /v19.0/act_1001/customaudiences?x={'y' * 70_000} HTTP/1.1\r\n"
    try:
        # httpx refuses such URLs itself, so the request is written by hand.
        with socket.create_connection(("127.0.0.1", server.server_port)) as client:
            client.sendall(line.encode() + b"Host: 127.0.0.1\r\n\r\n")
            answer = _read_all(client)
    finally:
        server.shutdown()
        server.server_close()

    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414")
    assert json.loads(body)["error"]["code"] == 1


def _read_all(client: socket.socket) -> bytes:
    client.settimeout(10)
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)
