"""The `fbca` command: one sub-command per module, each registering its own parser.

Every module in COMMAND_MODULES exposes `register(subparsers)`, which adds its
sub-parser and sets `func(args) -> int` as the default; `main` dispatches to it.
"""

import argparse
import importlib
import sys

COMMAND_MODULES = (
    "fake_graph_api.cli",  # fbca serve
    "harness.scenario.cli",  # fbca run, fbca lint
    "harness.load.cli",  # fbca load
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fbca",
        description="Fake Graph API, reference engine and conformance gate "
        "for Facebook Custom Audiences forwarding.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
