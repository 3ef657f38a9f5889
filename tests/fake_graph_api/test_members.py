from hypothesis import given
from hypothesis import strategies as st

from fake_graph_api.members import MemberSet

COLUMNS = ("EMAIL", "PHONE", "FN")


def test_a_row_matching_an_identifying_cell_replaces_the_member():
    members = MemberSet()
    members.add_rows(COLUMNS, [["e1", "p1", "f1"]])

    members.add_rows(COLUMNS, [["e1", "", "f2"]])

    assert members.dump() == [{"EMAIL": "e1", "FN": "f2"}]


def test_a_row_joining_two_members_merges_them():
    members = MemberSet()
    members.add_rows(COLUMNS, [["e1", "", ""], ["", "p2", ""]])

    members.add_rows(COLUMNS, [["e1", "p2", ""]])

    assert members.dump() == [{"EMAIL": "e1", "PHONE": "p2"}]


def test_removal_by_one_shared_cell_removes_the_member():
    members = MemberSet()
    members.add_rows(COLUMNS, [["e1", "p1", "f1"], ["e2", "", ""]])

    members.remove_rows(("PHONE",), [["p1"]])

    assert members.dump() == [{"EMAIL": "e2"}]


def test_rows_without_identifying_cells_match_whole():
    members = MemberSet()
    members.add_rows(("FN", "LN"), [["f", "l"], ["f", "l"]])
    assert len(members) == 1

    members.remove_rows(("FN", "LN"), [["f", "x"]])
    assert len(members) == 1
    members.remove_rows(("LN", "FN"), [["l", "f"]])
    assert len(members) == 0


def test_copy_is_independent():
    members = MemberSet()
    members.add_rows(COLUMNS, [["e1", "", ""]])
    twin = members.copy()

    twin.remove_rows(COLUMNS, [["e1", "", ""]])

    assert len(members) == 1 and len(twin) == 0


def test_fresh_batch_with_blank_cells_in_one_identifying_column():
    members = MemberSet()
    members.add_rows(("EMAIL", "PHONE"), [["e1", "p1"], ["", "p2"]])

    members.remove_rows(("EMAIL",), [["e1"]])

    assert members.dump() == [{"PHONE": "p2"}]


def test_a_batch_repeating_a_phone_leaves_no_stale_email_behind():
    members = MemberSet()
    members.add_rows(("EMAIL", "PHONE"), [["e1", "p1"], ["e2", "p1"]])

    members.remove_rows(("EMAIL",), [["e1"]])
    members.add_rows(("EMAIL", "PHONE"), [["e1", "p3"]])

    assert members.dump() == [
        {"EMAIL": "e1", "PHONE": "p3"},
        {"EMAIL": "e2", "PHONE": "p1"},
    ]


cell = st.sampled_from(["", "a", "b", "c"])
rows_strategy = st.lists(st.lists(cell, min_size=3, max_size=3), max_size=8)


@given(existing=rows_strategy, batch=rows_strategy)
def test_a_batch_equals_its_rows_added_one_by_one(existing, batch):
    columns = ("EMAIL", "EXTERN_ID", "FN")
    together, one_by_one = MemberSet(), MemberSet()
    together.add_rows(columns, existing)
    one_by_one.add_rows(columns, existing)

    together.add_rows(columns, batch)
    for row in batch:
        one_by_one.add_rows(columns, [row])

    assert together.dump() == one_by_one.dump()
    assert len(together) == len(together.dump())


@given(existing=rows_strategy, batch=rows_strategy, removed=rows_strategy)
def test_removals_after_a_batch_match_removals_after_single_rows(
    existing, batch, removed
):
    columns = ("EMAIL", "EXTERN_ID", "FN")
    together, one_by_one = MemberSet(), MemberSet()
    together.add_rows(columns, existing + batch)
    for row in existing + batch:
        one_by_one.add_rows(columns, [row])

    together.remove_rows(columns, removed)
    one_by_one.remove_rows(columns, removed)

    assert together.dump() == one_by_one.dump()
    assert len(together) == len(together.dump())
