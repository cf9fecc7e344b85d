"""The testplan (tests/testplan.json) is consistent with the tests and coverpoints, and its checker
(tb/testplan.py) fires on each kind of broken plan. No simulator."""
from __future__ import annotations

import copy
import json

import pytest

from tb.testplan import PLAN, check, collect_tests, defined_coverpoints, load, main

MM2S = "tests/hw/cocotb_mm2s.py"


@pytest.fixture(scope="module")
def plan():
    return load(PLAN)


@pytest.fixture(scope="module")
def tests():
    return collect_tests()


def test_plan_is_consistent(plan, tests):
    """Every testpoint has a test, every test is in a testpoint, every coverpoint exists."""
    assert check(plan, tests, defined_coverpoints()) == []


def _broken(plan, edit):
    bad = copy.deepcopy(plan)
    edit(bad)
    return bad


def _first_hw(plan):
    return next(tp for tp in plan["testpoints"] if tp["coverpoints"])


@pytest.mark.parametrize("kind, edit, message", [
    ("testpoint without a test", lambda p: _first_hw(p).update(tests=[]), "no test implements it"),
    ("test in no testpoint", lambda p: p["testpoints"].__setitem__(
        0, {**p["testpoints"][0], "tests": p["testpoints"][0]["tests"][1:]}), "is in no testpoint"),
    ("test that does not exist", lambda p: _first_hw(p)["tests"].append(f"{MM2S}::test_nothing"),
     "cocotb_mm2s.py::test_nothing: no such test"),
    ("test file that does not exist", lambda p: _first_hw(p)["tests"].append("tests/hw/cocotb_no.py::test_x"),
     "no such test file"),
    ("coverpoint that does not exist", lambda p: _first_hw(p)["coverpoints"].append("sgdma.desc.nothing"),
     "coverpoint sgdma.desc.nothing is not defined"),
    ("wildcard outside whole_files", lambda p: _first_hw(p)["tests"].append(f"{MM2S}::*"),
     "only for a file in whole_files"),
    ("testpoint without checking", lambda p: _first_hw(p).update(checking=""), "no checking"),
    ("duplicate testpoint", lambda p: p["testpoints"].append(copy.deepcopy(p["testpoints"][0])),
     "defined twice"),
])
def test_checker_fires_on_a_broken_plan(plan, tests, kind, edit, message):
    """Negative control: each kind of broken plan gives the problem that names it (and only then)."""
    problems = check(_broken(plan, edit), tests, defined_coverpoints())
    assert any(message in p for p in problems), f"{kind}: {problems}"


def test_a_new_test_must_join_the_plan(plan, tests):
    """A test added to a file but not to the plan is reported."""
    grown = {**tests, "tests/hw/cocotb_mm2s.py": tests["tests/hw/cocotb_mm2s.py"] + ["test_brand_new"]}
    assert check(plan, grown, defined_coverpoints()) == [
        "test tests/hw/cocotb_mm2s.py::test_brand_new is in no testpoint"]


def test_collector_sees_pytest_and_cocotb_tests(tmp_path):
    (tmp_path / "tests" / "hw").mkdir(parents=True)
    (tmp_path / "tests" / "hw" / "cocotb_x.py").write_text(
        "import cocotb\n@cocotb.test()\nasync def run_it(dut): pass\nasync def helper(dut): pass\n")
    (tmp_path / "tests" / "test_y.py").write_text(
        "def test_a(): pass\ndef helper(): pass\nclass TestB:\n    def test_c(self): pass\n")
    assert collect_tests(tmp_path) == {"tests/hw/cocotb_x.py": ["run_it"],
                                       "tests/test_y.py": ["test_a", "TestB::test_c"]}


def test_command_line(tmp_path, plan, capsys):
    assert main([str(PLAN)]) == 0
    assert "consistent" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_broken(plan, lambda p: _first_hw(p).update(tests=[]))))
    assert main([str(bad)]) == 1
    assert "no test implements it" in capsys.readouterr().out
    bad.write_text("{not json")
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("testplan: ") and "not JSON" in err and len(err.splitlines()) == 1
    assert main([str(tmp_path / "missing.json")]) == 2
    assert main(["--bogus"]) == 2
