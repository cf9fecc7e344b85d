"""The seed plan (tb/regress/seeds.py): seeds drawn from a master seed, a variant drawn per seed, every
drawn run replayable by its printed command, and the environment that would silently change a seed or
a mode refused. Quick: collection of tests/hw (no simulator) and runs of tests/regress/sample_suite.py.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from tb import summary
from tb.hostile import HOSTILE
from tb.regress.plan import Selection, make_plan
from tb.regress.seeds import SEED_RANGE, SeedPlanError, check_environment, draw_seeds, draw_variant

ROOT = Path(__file__).resolve().parent.parent.parent
SUITE = "tests/regress/sample_suite.py"
MASTER = 7
HOSTILE_AXIS = {"hostile": ("none", *HOSTILE)}


def pytest(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}  # not xdist's worker
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args]
    return subprocess.run(cmd, cwd=ROOT, env={**environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)


def test_seeds_are_drawn_from_the_master_seed():
    seeds = draw_seeds(MASTER, "tests/hw/t.py::test_x", 6)
    assert len(set(seeds)) == 6 and all(s in SEED_RANGE for s in seeds)
    assert seeds == draw_seeds(MASTER, "tests/hw/t.py::test_x", 6)          # the plan replays
    assert seeds != list(range(1000, 1006)) and seeds != list(range(1, 7))  # drawn, not counted
    assert draw_seeds(MASTER + 1, "tests/hw/t.py::test_x", 6) != seeds       # the master seed matters
    assert draw_seeds(MASTER, "tests/hw/t.py::test_y", 6) != seeds           # each test its own seeds
    assert draw_variant(seeds[0], HOSTILE_AXIS) == draw_variant(seeds[0], HOSTILE_AXIS)
    modes = {draw_variant(s, HOSTILE_AXIS)["hostile"] for s in range(1, 200)}
    assert modes == set(HOSTILE_AXIS["hostile"])  # every mode can be drawn, "none" included


def test_hw_plan_draws_seeds_and_modes_per_test():
    """The hardware tests as make regress collects them: each seeded test gets the drawn seeds on both
    simulators and every configuration; test_hostile_regress a mode per seed, test_ddi_random a
    configuration and a mode per seed, in their ids."""
    sel = Selection(markexpr="slow", seeds=3, master_seed=MASTER, plugins_off=["hypothesispytest"],
                    paths=["tests/hw/test_hostile.py", "tests/hw/test_ddi.py", "tests/hw/test_ddi_random.py"])
    tasks = make_plan(sel)
    hostile = [t for t in tasks if "::test_hostile_regress[" in t.node]
    ddi = [t for t in tasks if "::test_ddi_regress[" in t.node]
    expect = draw_seeds(MASTER, "tests/hw/test_hostile.py::test_hostile_regress", 3)
    assert len(hostile) == 6 and sorted({int(t.seed) for t in hostile}) == sorted(expect)
    for t in hostile:
        mode = draw_variant(int(t.seed), HOSTILE_AXIS)["hostile"]
        assert t.params == {"sim": t.params["sim"], "seed": t.seed, "hostile": mode}
        assert t.node.endswith(f"[{t.params['sim']}-{t.seed}-{mode}]")
        assert t.replay() == f".venv/bin/python -m pytest '{t.node}' --seed {t.seed}"
    rand = [t for t in tasks if "::test_ddi_coverage_driven_random[" in t.node]
    assert len(rand) == 6
    for t in rand:  # a configuration and a mode per seed
        drawn = draw_variant(int(t.seed), {"config": ("main", "small"), **HOSTILE_AXIS})
        assert t.params == {"sim": t.params["sim"], "seed": t.seed, **drawn}
    ddi_seeds = draw_seeds(MASTER, "tests/hw/test_ddi.py::test_ddi_regress", 3)
    assert len(ddi) == 2 * 3 * 3 and {int(t.seed) for t in ddi} == set(ddi_seeds)
    # seed-major: every test, simulator and configuration of its first drawn seed come first
    first = {t.node.split("[")[0]: t.seed for t in tasks if t.seed}
    n_first = sum(1 for t in tasks if t.seed and t.seed == first[t.node.split("[")[0]])
    assert all(t.seed == first[t.node.split("[")[0]] for t in tasks[:n_first] if t.seed)
    # a replay command selects exactly its own node (the mode follows from the seed alone)
    t = hostile[-1]
    words = shlex.split(t.replay())
    listed = pytest("--collect-only", "-q", *words[3:])
    assert listed.returncode == 0, listed.stdout[-1500:]
    assert [x for x in listed.stdout.splitlines() if "::" in x] == [t.node]


def test_replay_runs_the_same_seed_and_variant(tmp_path):
    """A run of the sample suite with a drawn plan, then two of its nodes by their replay commands (read
    from the JUnit file, where every seeded node carries it): the test itself records the same seed and
    variant. Negative control: the same node under another master seed is not even collected."""
    junit, stats = tmp_path / "plan.xml", tmp_path / "plan.jsonl"
    run = pytest(SUITE, "--seeds", "2", "--master-seed", str(MASTER), f"--junitxml={junit}",
                 "-o", "junit_family=xunit1", env={"DDI_STATS_FILE": str(stats)})
    assert run.returncode == 0, run.stdout[-1500:]
    rows = summary.read_junit(junit)
    assert len(rows) == 8 and all(r["replay"] for r in rows)
    planned = {(r["test"], r["sim"], r["seed"], r["params"].get("contiguity"))
               for r in map(json.loads, stats.read_text().splitlines())}
    assert len(planned) == 8
    for row in (rows[0], next(r for r in rows if r["name"].startswith("test_small_bind"))):
        words = shlex.split(row["replay"])
        assert words[:3] == [".venv/bin/python", "-m", "pytest"] and words[4] == "--seed"
        out = tmp_path / f"{row['name']}.jsonl"
        replay = pytest(*words[3:], env={"DDI_STATS_FILE": str(out)})
        assert replay.returncode == 0 and "1 passed" in replay.stdout, replay.stdout[-1500:]
        (line,) = map(json.loads, out.read_text().splitlines())
        assert (line["test"], line["sim"], line["seed"], line["params"].get("contiguity")) in planned
        assert line["seed"] == words[5] and f"-{line['seed']}" in row["name"]
    other = pytest("--collect-only", "-q", f"{SUITE}::{rows[0]['name']}", "--master-seed", str(MASTER + 1))
    assert other.returncode == 4 and "not found" in other.stdout + other.stderr


def test_cocotb_seed_in_environment_is_refused(tmp_path):
    """COCOTB_RANDOM_SEED in the environment would beat the runner's seed (tb/sim_runner.run passes the
    seed as extra_env): pytest and python -m tb.regress refuse it with one line; without it they run."""
    env = {"COCOTB_RANDOM_SEED": "5"}
    with_seed = pytest(SUITE, "--seeds", "1", "--master-seed", str(MASTER), env=env)
    assert with_seed.returncode == 4 and "Traceback" not in with_seed.stderr
    assert "ERROR: COCOTB_RANDOM_SEED=5 in the environment would override every test's seed" \
        in with_seed.stderr
    assert pytest(SUITE, "--seeds", "1", "--master-seed", str(MASTER)).returncode == 0
    cli = subprocess.run([sys.executable, "-m", "tb.regress", "--plan-only", SUITE, "-m", "",
                          "--out", str(tmp_path), "--env", "RANDOM_SEED=5"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 2 and cli.stderr.startswith("regress: RANDOM_SEED=5 in the environment")
    try:
        check_environment({"PATH": "/bin"})
    except SeedPlanError:
        raise AssertionError("an environment without a seed was refused") from None


def test_drawn_mode_cannot_be_overridden_by_environment():
    """SGDMA_HOSTILE would override the mode drawn per seed: refused where a test draws one; a test
    that draws none still runs under it (the variable's own use)."""
    env = {"SGDMA_HOSTILE": "stall"}
    drawn = pytest("--collect-only", "-q", "tests/hw/test_hostile.py", "-m", "slow", "--seeds", "1", env=env)
    assert drawn.returncode == 4 and "SGDMA_HOSTILE=stall in the environment would override" in drawn.stderr
    plain = pytest("--collect-only", "-q", "tests/hw/test_sgdma.py", "--sim", "icarus", env=env)
    assert plain.returncode == 0 and "test_sgdma" in plain.stdout


def test_local_progress_under_xdist():
    """make regress's path (pytest-xdist with -p tb.regress.pytest_plugin --regress-progress): each
    failure as it happens with the command that replays its seed, then done of total and time left."""
    fail = draw_seeds(MASTER, f"{SUITE}::test_bind", 2)[1]
    run = pytest(SUITE, "-n", "2", "-q", "--seeds", "2", "--master-seed", str(MASTER),
                 "-p", "tb.regress.pytest_plugin", "--regress-progress", env={"SAMPLE_FAIL_SEED": str(fail)})
    assert run.returncode == 1, run.stdout[-1500:]
    text = run.stdout
    for sim in ("icarus", "verilator"):
        assert f"replay: .venv/bin/python -m pytest '{SUITE}::test_bind[{sim}-{fail}]' --seed {fail}" in text
    assert text.count("FAILED [") == 2
    assert "progress: 8/8 done, 2 failed, elapsed" in text and "time left ~0s" in text


def test_random_master_seed_is_printed_shared_and_replays_the_plan():
    """Without --master-seed one is drawn, printed, and the same in every xdist worker (else xdist stops
    on different collections); the printed one draws the same nodes again."""
    run = pytest(SUITE, "-n", "2", "-q", "-rA", "--seeds", "2")
    assert run.returncode == 0, run.stdout[-1500:]
    (line,) = [x for x in run.stdout.splitlines() if x.startswith("seed plan: master seed ")]
    master = line.split()[4].rstrip(",")
    ran = sorted(x.split()[1] for x in run.stdout.splitlines() if x.startswith("PASSED "))
    again = pytest(SUITE, "--collect-only", "-q", "--seeds", "2", "--master-seed", master)
    assert ran and sorted(x for x in again.stdout.splitlines() if "::" in x) == ran


def test_task_on_a_worker_with_cocotb_seed_says_why(monkeypatch):
    """A Dask worker started with COCOTB_RANDOM_SEED set: its task is an error that names the variable
    (tb/regress/task.py passes pytest's refusal on), not a silent run of another seed."""
    from tb.regress.task import run_task

    sel = Selection(markexpr="", sim="icarus", seeds=1, master_seed=MASTER,
                    paths=[f"{SUITE}::test_small_bind"], plugins_off=["hypothesispytest"])
    (task,) = make_plan(sel)
    monkeypatch.setenv("COCOTB_RANDOM_SEED", "5")
    result = run_task(task.to_json(), 60.0)
    assert result["outcome"] == "error"
    assert "COCOTB_RANDOM_SEED=5 in the environment would override every test's seed" in result["message"]
    monkeypatch.delenv("COCOTB_RANDOM_SEED")
    assert run_task(task.to_json(), 60.0)["outcome"] == "passed"


def test_pinned_variant_axis(tmp_path):
    """--variant hostile=none pins that axis on every test that draws it (the others still drawn, as
    before) and stands in each replay command; a value or an axis no test draws is one line, exit 2."""
    sel = Selection(markexpr="slow", seeds=3, master_seed=MASTER, plugins_off=["hypothesispytest"],
                    paths=["tests/hw/test_ddi_random.py", "tests/hw/test_hide.py"], pins={"hostile": "none"})
    tasks = make_plan(sel)
    rand = [t for t in tasks if "test_ddi_random" in t.node]
    assert len(rand) == 6 and all(t.params["hostile"] == "none" for t in rand)
    assert all(t.params["config"] == draw_variant(int(t.seed), {"config": ("main", "small")})["config"]
               for t in rand)
    assert all(t.replay().endswith(f"--seed {t.seed} --variant hostile=none") for t in rand)
    assert all("--variant" not in t.replay() for t in tasks if "test_hide" in t.node)
    listed = pytest("--collect-only", "-q", *shlex.split(rand[-1].replay())[3:])
    assert [x for x in listed.stdout.splitlines() if "::" in x] == [rand[-1].node]
    for pin, said in (("hostile=bogus", "regress: --variant hostile=bogus: tests/hw/test_ddi_random.py::"),
                      ("hostle=none", "regress: --variant hostle=...: no collected test draws hostle")):
        cli = subprocess.run([sys.executable, "-m", "tb.regress", "--plan-only", "-m", "slow",
                              "--variant", pin, "--out", str(tmp_path), "tests/hw/test_ddi_random.py"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert cli.returncode == 2 and cli.stderr.startswith(said), cli.stderr
