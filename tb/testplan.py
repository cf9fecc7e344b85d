"""The testplan (tests/testplan.json) and its consistency check.

The plan is OpenTitan-style: testpoints, each with its stimulus, its checking, the tests that
implement it and the functional coverpoints (tb/coverage.py) that close it. A test is named
`path::function`: a pytest test function (`tests/.../test_*.py::test_x`) or a cocotb test function
(`tests/hw/cocotb_*.py::test_y`). A file listed under `whole_files` (the model's unit tests, one
testpoint per DDI interface) is implemented by every test in it, written `path::*`.

`check(plan, tests, coverpoints)` returns every problem as one line:
  - a testpoint without a test, or without stimulus/checking text;
  - a test found in the tree that no testpoint names;
  - a test a testpoint names that does not exist;
  - a coverpoint a testpoint names that tb/coverage.py does not define.

Command line: `python -m tb.testplan [plan.json]` prints the problems and exits 1 when there are
any, 2 on an unreadable plan, 0 (with a one-line summary) when the plan is consistent.
"""
from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "testplan.json"
TEST_GLOBS = ("tests/*.py", "tests/*/*.py")


class PlanError(Exception):
    """The plan file cannot be read or has the wrong shape."""


def _is_cocotb_test(node: ast.AST) -> bool:
    for dec in getattr(node, "decorator_list", ()):
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute) and target.attr in ("test", "parametrize") and \
                isinstance(target.value, ast.Name) and target.value.id == "cocotb":
            return True
    return False


def tests_in_file(path: Path) -> list[str]:
    """Test functions defined in one file: pytest `test_*` (module level or in a Test* class), or cocotb
    tests (functions decorated with @cocotb.test / @cocotb.parametrize)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    pytest_file = path.name.startswith("test_")
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, functions):
            if _is_cocotb_test(node) or (pytest_file and node.name.startswith("test_")):
                names.append(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test") and pytest_file:
            names += [f"{node.name}::{n.name}" for n in node.body
                      if isinstance(n, functions) and n.name.startswith("test_")]
    return names


def collect_tests(root: Path = ROOT) -> dict[str, list[str]]:
    """{relative path: [test names]} for every test_*.py and cocotb_*.py under tests/."""
    found = {}
    for pattern in TEST_GLOBS:
        for p in sorted(root.glob(pattern)):
            if p.name.startswith(("test_", "cocotb_")):
                found[p.relative_to(root).as_posix()] = tests_in_file(p)
    return found


def load(path: Path = PLAN) -> dict:
    try:
        plan = json.loads(Path(path).read_text())
    except OSError as e:
        raise PlanError(f"{path}: cannot read: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise PlanError(f"{path}: not JSON: {e.msg} at line {e.lineno}") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("testpoints"), list):
        raise PlanError(f"{path}: no 'testpoints' list")
    for i, tp in enumerate(plan["testpoints"]):
        if not isinstance(tp, dict) or not isinstance(tp.get("name"), str):
            raise PlanError(f"{path}: testpoint {i} has no name")
        for key in ("tests", "coverpoints"):
            if not isinstance(tp.get(key, []), list):
                raise PlanError(f"{path}: testpoint {tp['name']}: '{key}' is not a list")
    return plan


def check(plan: dict, tests: dict[str, list[str]], coverpoints: set[str]) -> list[str]:
    problems = []
    whole = set(plan.get("whole_files", []))
    named: set[str] = set()
    seen_names: set[str] = set()
    for tp in plan["testpoints"]:
        name = tp["name"]
        if name in seen_names:
            problems.append(f"testpoint {name}: defined twice")
        seen_names.add(name)
        for key in ("stimulus", "checking"):
            if not str(tp.get(key, "")).strip():
                problems.append(f"testpoint {name}: no {key}")
        if not tp.get("tests"):
            problems.append(f"testpoint {name}: no test implements it")
        for t in tp.get("tests", []):
            path, _, func = t.partition("::")
            if path not in tests:
                problems.append(f"testpoint {name}: {t}: no such test file")
            elif func == "*":
                if path not in whole:
                    problems.append(f"testpoint {name}: {t}: '::*' only for a file in whole_files")
                named.update(f"{path}::{f}" for f in tests[path])
            elif func not in tests[path]:
                problems.append(f"testpoint {name}: {t}: no such test")
            else:
                named.add(t)
        for cp in tp.get("coverpoints", []):
            if cp not in coverpoints:
                problems.append(f"testpoint {name}: coverpoint {cp} is not defined in tb/coverage.py")
    for path, funcs in sorted(tests.items()):
        for f in funcs:
            if f"{path}::{f}" not in named:
                problems.append(f"test {path}::{f} is in no testpoint")
    return problems


def defined_coverpoints() -> set[str]:
    from tb import coverage
    return set(coverage.coverpoint_names())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print("usage: python -m tb.testplan [plan.json]", file=sys.stderr)
        return 2
    path = Path(argv[0]) if argv else PLAN
    try:
        plan = load(path)
    except PlanError as e:
        print(f"testplan: {e}", file=sys.stderr)
        return 2
    problems = check(plan, collect_tests(), defined_coverpoints())
    for p in problems:
        print(f"testplan: {p}")
    if problems:
        return 1
    ntests = sum(len(tp["tests"]) for tp in plan["testpoints"])
    print(f"testplan: {len(plan['testpoints'])} testpoints, {ntests} test entries, consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
