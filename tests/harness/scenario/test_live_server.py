"""`--server URL`: the runner resets and sets up a running fake, and moves its clock."""

from harness.scenario.runner import PASSED, RunOptions, run_file

SCENARIO = """\
scenario: a replay against a running fake
facebook:
  ad_accounts: [{id: act_2002, tos_accepted: true}]
connection:
  customer_file_source: USER_PROVIDED_ONLY
profiles:
  ana: {email: ana@example.org}
steps:
  - subscribe: {audience: 7301, name: Live}
  - add: {audience: 7301, users: [ana]}
  - advance: 3h
expect:
  audiences:
    "Live (email)": {members: [{EMAIL: ana@example.org}]}
  audience_count: 3
"""


def test_replays_against_a_live_server_start_from_a_reset(
    fake_graph_server, write_scenario
):
    path = write_scenario(SCENARIO)
    started = fake_graph_server.fake.clock.now()
    options = RunOptions(server=fake_graph_server.url + "/")

    results = [run_file(path, options) for _ in range(2)]

    assert [r.status for r in results] == [PASSED, PASSED], results
    assert fake_graph_server.fake.clock.now() - started >= 2 * 10800
