import pytest

pytest_plugins = ["pytester"]

# Inner sessions skip the Hypothesis plugin: it imports Hypothesis under assertion
# rewriting at the end of every session, which takes seconds.
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def run(pytester, *args):
    return pytester.runpytest(*QUIET, *args)


def test_scenario_suffix_files_are_collected_and_run(pytester, email_scenario):
    pytester.makefile(".scenario.yaml", good=email_scenario())
    pytester.makefile(
        ".scenario.yaml",
        bad=email_scenario(title="wrong member", email="bob@example.org"),
    )

    result = run(pytester)

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*missing member {EMAIL: bob@example.org}*"])


def test_plain_yaml_is_left_alone(pytester, email_scenario):
    pytester.makefile(".yaml", plain=email_scenario())

    result = run(pytester)

    result.assert_outcomes()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_folders_named_by_option_are_collected(pytester, email_scenario):
    folder = pytester.mkdir("library")
    (folder / "one.yaml").write_text(email_scenario())
    pytester.makepyfile(test_other="def test_other():\n    assert True\n")

    result = run(pytester, "test_other.py", "--fbca-scenarios", str(folder))

    result.assert_outcomes(passed=2)


def test_folders_named_in_ini_are_collected_once(pytester, email_scenario):
    folder = pytester.mkdir("library")
    (folder / "one.yaml").write_text(email_scenario())
    pytester.makeini("[pytest]\nfbca_scenarios = library\n")

    result = run(pytester, "library")

    result.assert_outcomes(passed=1)


def test_tags_select_with_k(pytester, email_scenario):
    pytester.makefile(".scenario.yaml", good=email_scenario())
    assert run(pytester, "-k", "email").ret == 0
    result = run(pytester, "-k", "phone")
    result.assert_outcomes(deselected=1)


def test_invalid_file_is_a_failing_item(pytester):
    pytester.makefile(".scenario.yaml", broken="scenario: broken\nsteps: [flsh]\n")

    result = run(pytester)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*broken.scenario.yaml:2: steps[[]0[]]*"])


def test_engine_option(pytester, email_scenario):
    pytester.makefile(".scenario.yaml", good=email_scenario())

    result = run(pytester, "--fbca-engine", "nope:x")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*unknown kind 'nope'*"])
