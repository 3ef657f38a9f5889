"""Fixtures shared by every test folder."""

import copy

import pytest


class Mutations:
    """Every field path of a JSON-like document, and copies with one field broken."""

    # What a broken field is replaced with; KeyError means the field is removed.
    REPLACEMENTS = (KeyError, None, 0, -1, 1.5, "x", "", True, [], {}, ["x"], {"k": 1})

    def paths(self, node, path=()):
        """Every path below the root, parents before children."""
        if isinstance(node, dict | list):
            children = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in children:
                yield (*path, key)
                yield from self.paths(child, (*path, key))

    def broken(self, document, path, value):
        """A deep copy of `document` with the field at `path` replaced or removed."""
        document = copy.deepcopy(document)
        target = document
        for step in path[:-1]:
            target = target[step]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return document

    def every_broken(self, document):
        """(path, value, broken copy) for every field and replacement."""
        for path in self.paths(document):
            for value in self.REPLACEMENTS:
                yield path, value, self.broken(document, path, value)


@pytest.fixture
def mutations() -> Mutations:
    return Mutations()
