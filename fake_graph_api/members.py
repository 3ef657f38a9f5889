"""The members of one audience, under the modelled member model.

A member is the dict of a row's non-empty cells, e.g. {"EMAIL": "<hex>", "FN": "<hex>"}.
Adding a row whose identifying cells (keys.IDENTIFYING_KEYS) match existing members
replaces them; an identical row is a no-op. Removing a row removes every member
sharing an identifying cell with it, or, when the row has none, the member equal to
it. Invariant: an identifying cell belongs to at most one member. Not thread-safe on
its own; the store holds the lock.
"""

import json

from fake_graph_api.keys import IDENTIFYING_KEYS

Columns = tuple[str, ...]


def member_text(member: dict) -> str:
    """The JSON text that orders members and identifies cell-less duplicates."""
    return json.dumps(member, sort_keys=True, separators=(",", ":"))


class MemberSet:
    """Members indexed by their identifying cells, for fast add and remove."""

    def __init__(self) -> None:
        self._members: dict[int, dict] = {}
        self._by_cell: dict[tuple[str, object], int] = {}
        self._by_text: dict[str, int] = {}
        self._next_id = 0

    def __len__(self) -> int:
        return len(self._members)

    def add_rows(self, columns: Columns, rows: list) -> None:
        identifying = _identifying_positions(columns)
        for row in rows:
            cells = {
                key: value
                for key, value in zip(columns, row, strict=True)
                if value != ""
            }
            ids = [(key, row[i]) for i, key in identifying if row[i] != ""]
            if ids:
                self._add_identified(cells, ids)
            elif cells:
                self._add_unidentified(cells)

    def remove_rows(self, columns: Columns, rows: list) -> None:
        identifying = _identifying_positions(columns)
        for row in rows:
            ids = [(key, row[i]) for i, key in identifying if row[i] != ""]
            if ids:
                for member_id in {self._by_cell.get(cell) for cell in ids} - {None}:
                    self._drop(member_id)
                continue
            cells = {
                key: value
                for key, value in zip(columns, row, strict=True)
                if value != ""
            }
            member_id = self._by_text.get(member_text(cells))
            if member_id is not None:
                self._drop(member_id)

    def dump(self) -> list[dict]:
        """All members, sorted by their JSON text so dumps are deterministic."""
        return sorted(self._members.values(), key=member_text)

    def copy(self) -> "MemberSet":
        twin = MemberSet()
        twin._members = dict(self._members)
        twin._by_cell = dict(self._by_cell)
        twin._by_text = dict(self._by_text)
        twin._next_id = self._next_id
        return twin

    def _add_identified(self, cells: dict, ids: list) -> None:
        by_cell = self._by_cell
        matched = {by_cell[cell] for cell in ids if cell in by_cell}
        if len(matched) == 1:
            (only,) = matched
            if self._members[only] == cells:
                return
        for member_id in matched:
            self._drop(member_id)
        member_id = self._new_member(cells)
        for cell in ids:
            by_cell[cell] = member_id

    def _add_unidentified(self, cells: dict) -> None:
        text = member_text(cells)
        if text not in self._by_text:
            self._by_text[text] = self._new_member(cells)

    def _new_member(self, cells: dict) -> int:
        self._next_id += 1
        self._members[self._next_id] = cells
        return self._next_id

    def _drop(self, member_id: int) -> None:
        cells = self._members.pop(member_id)
        identified = False
        for key, value in cells.items():
            if key in IDENTIFYING_KEYS:
                self._by_cell.pop((key, value), None)
                identified = True
        if not identified:
            self._by_text.pop(member_text(cells), None)


def _identifying_positions(columns: Columns) -> list[tuple[int, str]]:
    return [(i, key) for i, key in enumerate(columns) if key in IDENTIFYING_KEYS]


def _cells(columns: Columns, row: list) -> dict:
    return {key: value for key, value in zip(columns, row, strict=True) if value != ""}
