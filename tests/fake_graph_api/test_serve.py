import socket
import subprocess
import sys
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
