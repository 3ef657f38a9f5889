"""`fbca serve`: run the fake Graph API on a local port.

Binds 127.0.0.1 by default and refuses any other host unless `--allow-remote` is
given (the fake has no real security; the flag also opens the control API to
remote clients). Without `--config` it starts with ad account act_1001 (terms
accepted) and one full-access token, and prints both; a config file without
`tokens` gets that token too, with access to every ad account it sets up.
"""

import argparse
import ipaddress
import sys

from fake_graph_api.app import create_app
from fake_graph_api.config import DEFAULT_TOKEN, default_config, load_config
from fake_graph_api.documents import DocumentError
from fake_graph_api.serving import make_fake_server


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the fake Graph API",
        description="Serve the fake Facebook Graph API (Custom Audiences) over HTTP.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=8080, help="default: 8080; 0 picks one"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for ids (0)")
    parser.add_argument("--config", metavar="FILE", help="YAML or JSON set-up file")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback host and remote control-API clients",
    )
    parser.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    if not args.allow_remote and not is_loopback(args.host):
        print(
            f"fbca serve: refusing to listen on {args.host}: the fake is for local "
            "tests; pass --allow-remote to listen beyond loopback",
            file=sys.stderr,
        )
        return 2
    try:
        config = load_config(args.config) if args.config else default_config()
    except DocumentError as error:
        print(f"fbca serve: {error}", file=sys.stderr)
        return 2

    app = create_app(config, seed=args.seed, allow_remote_control=args.allow_remote)
    server = make_fake_server(app, args.host, args.port)
    print(describe(config, args.host, server.server_port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def describe(config: dict, host: str, port: int) -> str:
    """The start-up banner: where, which ad accounts, which tokens (these are fake)."""
    lines = [f"fake Graph API on http://{host}:{port}/v19.0/"]
    for account in config.get("ad_accounts", ()):
        terms = "accepted" if account.get("tos_accepted", True) else "NOT accepted"
        lines.append(f"  ad account {account['id']} (terms {terms})")
    for token in config.get("tokens", ()):
        access = token.get("access", "full")
        accounts = ", ".join(token.get("ad_accounts", ())) or "every ad account"
        # The default token is public knowledge; a configured one is never printed.
        text = token["token"] if token["token"] == DEFAULT_TOKEN else "<configured>"
        lines.append(f"  token {text} ({access} access to {accounts})")
    return "\n".join(lines)
