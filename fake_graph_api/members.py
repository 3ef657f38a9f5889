"""The members of one audience, under the modelled member model.

A member is the dict of a row's non-empty cells, e.g. {"EMAIL": "<hex>", "FN": "<hex>"}.
Adding a row whose identifying cells (keys.IDENTIFYING_KEYS) match existing members
replaces them; an identical row is a no-op. Removing a row removes every member
sharing an identifying cell with it, or, when the row has none, the member equal to
it. Invariant: an identifying cell belongs to at most one member.

Speed: members are kept in a list as (columns, row) as sent, with a value -> member
index per identifying key. A batch of new people that touches no existing member and
repeats no identifying value is inserted with C-level dict operations (one lookup and
one insert per identifying cell); any other batch goes row by row. Not thread-safe
on its own; the store holds the lock.
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
        # id = position; rows are stored as tuples of strings and numbers, which the
        # garbage collector stops tracking, so big audiences do not slow collections.
        self._members: list[tuple[Columns, tuple] | None] = []
        self._count = 0
        self._by_key: dict[str, dict[object, int]] = {}
        self._by_text: dict[str, int] = {}

    def __len__(self) -> int:
        return self._count

    def add_rows(self, columns: Columns, rows: list, values: list | None = None):
        """Apply rows in order; `values` (one tuple per column) may be passed in."""
        if not rows:
            return
        values = values if values is not None else list(zip(*rows, strict=True))
        if self._insert_fresh(columns, rows, values):
            return
        identifying = _identifying_positions(columns)
        for row in rows:
            self._add_row(columns, row, identifying)

    def remove_rows(self, columns: Columns, rows: list) -> None:
        identifying = _identifying_positions(columns)
        for row in rows:
            cells = [(key, row[i]) for i, key in identifying if row[i] != ""]
            if cells:
                for member_id in {self._owner(cell) for cell in cells} - {None}:
                    self._drop(member_id)
                continue
            member_id = self._by_text.get(member_text(_cells(columns, row)))
            if member_id is not None:
                self._drop(member_id)

    def dump(self) -> list[dict]:
        """All members, sorted by their JSON text so dumps are deterministic."""
        live = (_cells(*member) for member in self._members if member is not None)
        return sorted(live, key=member_text)

    def copy(self) -> "MemberSet":
        twin = MemberSet()
        twin._members = list(self._members)
        twin._count = self._count
        twin._by_key = {key: dict(index) for key, index in self._by_key.items()}
        twin._by_text = dict(self._by_text)
        return twin

    def _insert_fresh(self, columns: Columns, rows: list, values: list) -> bool:
        """Insert a batch of new people with C-level operations; False, with nothing
        changed, when the batch must go row by row (a row may lack every
        identifying cell, or an identifying value repeats or is already indexed).
        """
        positions = [i for i, key in enumerate(columns) if key in IDENTIFYING_KEYS]
        if not positions or all("" in values[i] for i in positions):
            return False
        first_id = len(self._members)
        merged = []
        for i in positions:
            if not self._index_new_column(columns[i], values[i], first_id):
                for key, column in merged:
                    _unindex(self._by_key[key], column)
                return False
            merged.append((columns[i], values[i]))

        as_tuples = zip(*values, strict=True)
        self._members.extend(zip([columns] * len(rows), as_tuples, strict=True))
        self._count += len(rows)
        return True

    def _index_new_column(self, key: str, column: tuple, first_id: int) -> bool:
        """Index row i's value as member first_id + i; False, with the index left
        as it was, when a value is already indexed or repeats in the column.

        One lookup and one insert per value: the size check after the merge
        catches repeats without building a dict of the batch first.
        """
        index = self._by_key.setdefault(key, {})
        if not index.keys().isdisjoint(column):
            return False
        size = len(index)
        ids = range(first_id, first_id + len(column))
        index.update(zip(column, ids, strict=True))
        index.pop("", None)
        if len(index) - size == len(column) - column.count(""):
            return True
        _unindex(index, column)
        return False

    def _add_row(self, columns: Columns, row: list, identifying) -> None:
        cells = [(key, row[i]) for i, key in identifying if row[i] != ""]
        if not cells:
            self._add_unidentified(columns, row)
            return
        matched = {self._owner(cell) for cell in cells} - {None}
        if len(matched) == 1 and self._same(matched.pop(), columns, row, matched):
            return
        for member_id in matched:
            self._drop(member_id)
        member_id = self._new_member(columns, row)
        for key, value in cells:
            self._by_key.setdefault(key, {})[value] = member_id

    def _same(self, member_id: int, columns: Columns, row: list, matched: set) -> bool:
        """Whether the member equals the row; otherwise put it back in `matched`."""
        stored_columns, stored_row = self._members[member_id]
        if stored_row == tuple(row) and stored_columns == columns:
            return True
        if _cells(stored_columns, stored_row) == _cells(columns, row):
            return True
        matched.add(member_id)
        return False

    def _add_unidentified(self, columns: Columns, row: list) -> None:
        cells = _cells(columns, row)
        text = member_text(cells)
        if cells and text not in self._by_text:
            self._by_text[text] = self._new_member(columns, row)

    def _new_member(self, columns: Columns, row: list) -> int:
        self._members.append((columns, tuple(row)))
        self._count += 1
        return len(self._members) - 1

    def _owner(self, cell: tuple[str, object]) -> int | None:
        key, value = cell
        return self._by_key.get(key, {}).get(value)

    def _drop(self, member_id: int) -> None:
        columns, row = self._members[member_id]
        self._members[member_id] = None
        self._count -= 1
        identified = False
        for key, value in zip(columns, row, strict=True):
            if key in IDENTIFYING_KEYS and value != "":
                self._by_key[key].pop(value, None)
                identified = True
        if not identified:
            self._by_text.pop(member_text(_cells(columns, row)), None)


def _unindex(index: dict, column) -> None:
    """Undo _index_new_column: every value of `column` was new to `index`."""
    for value in column:
        index.pop(value, None)


def _identifying_positions(columns: Columns) -> list[tuple[int, str]]:
    return [(i, key) for i, key in enumerate(columns) if key in IDENTIFYING_KEYS]


def _cells(columns: Columns, row: list) -> dict:
    return {key: value for key, value in zip(columns, row, strict=True) if value != ""}
