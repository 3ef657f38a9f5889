"""A fake Graph API (Custom Audiences), faithful enough for Meta's own SDK."""

from fake_graph_api.app import FakeGraph, create_app, fake_of

__all__ = ["FakeGraph", "create_app", "fake_of"]
