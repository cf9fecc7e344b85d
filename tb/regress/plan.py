"""The regression plan: which pytest nodes run, each as one task, with its variant and replay command.

The seeds are those of the pytest parametrization (`--seeds N`: tests/hw/conftest.py gives every seeded
test seeds 1000..1000+N-1), so a task is exactly a node that `pytest --collect-only` lists with the same
-m/--sim/--seeds selection, and its replay command is that node on its own.

Per-seed variants: each hook in VARIANT_HOOKS gets the task and a random.Random drawn from (plan seed,
node id) and returns environment variables for that task, e.g. a hostile mode and a configuration
(`{"SGDMA_HOSTILE": "reorder"}`) once the tests read them. The variables go into the task's
environment and in front of its replay command, and the plan file lists them, so every drawn variant
is printed and replayable one by one. There is no hook yet: the tests have no such modes today.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEED_BASE = 1000  # the first seed of tests/hw/conftest.py's parametrization


class PlanError(Exception):
    """A selection that cannot be planned (collection failed, nothing selected)."""


@dataclass
class Selection:
    """What `make regress` selects: marker expression, simulator(s), seeds per test, paths or node ids."""

    markexpr: str = "hw"
    sim: str = "all"
    seeds: int = 1
    paths: list[str] = field(default_factory=list)
    keyword: str = ""  # pytest -k
    env: dict[str, str] = field(default_factory=dict)  # for every task (e.g. COCOTB_TEST_FILTER)
    plugins_off: list[str] = field(default_factory=list)  # `-p no:NAME`: less start-up time per task

    def pytest_args(self, seeds: int | None = None) -> list[str]:
        args = [a for name in self.plugins_off for a in ("-p", f"no:{name}")]
        args += ["-m", self.markexpr] if self.markexpr else []
        if self.keyword:
            args += ["-k", self.keyword]
        return args + ["--sim", self.sim, "--seeds", str(seeds if seeds is not None else self.seeds)]


@dataclass
class Task:
    """One pytest node run on its own: the unit of work, retry and result."""

    node: str
    params: dict[str, str]
    args: list[str]  # pytest options that select the node (markers, --sim, --seeds)
    env: dict[str, str]  # the selection's and the variant's variables

    @property
    def task_id(self) -> str:
        """Stable name of the task: a readable slug and a digest of node and environment."""
        key = json.dumps([self.node, sorted(self.env.items())])
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.node.split("::", 1)[-1])[:80]
        return f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"

    def pytest_command(self, python: str = ".venv/bin/python") -> list[str]:
        return [python, "-m", "pytest", self.node, *self.args]

    def replay(self) -> str:
        """The shell command that replays this task alone from the repository root."""
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(self.env.items()))
        cmd = " ".join(shlex.quote(a) for a in self.pytest_command())
        return f"{env} {cmd}" if env else cmd

    def to_json(self) -> dict:
        return {"task_id": self.task_id, "node": self.node, "params": self.params, "args": self.args,
                "env": self.env, "replay": self.replay()}


VariantHook = Callable[[Task, random.Random], dict[str, str]]
VARIANT_HOOKS: list[VariantHook] = []


def collect(sel: Selection, root: Path = ROOT) -> list[dict]:
    """[{node, params}] of every node pytest selects, in collection order."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "nodes.json"
        cmd = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
               "-p", "tb.regress.pytest_plugin", f"--regress-collect={out}", *sel.pytest_args(), *sel.paths]
        env = {**os.environ, **sel.env}
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode not in (0, 5) or not out.exists():  # 5: nothing collected
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise PlanError(f"pytest collection failed (exit {proc.returncode}):\n{tail}")
        return json.loads(out.read_text())


def seeds_needed(params: dict[str, str], default: int) -> int:
    """--seeds that makes pytest generate this node's seed (fewer than the plan's: faster collection)."""
    seed = params.get("seed")
    if seed is not None and seed.isdigit() and int(seed) >= SEED_BASE:
        return int(seed) - SEED_BASE + 1
    return default


def make_plan(sel: Selection, plan_seed: int = 1, root: Path = ROOT,
              hooks: list[VariantHook] | None = None, nodes: list[dict] | None = None) -> list[Task]:
    """One task per selected node (collected unless given), with its variant drawn from (plan_seed, node)."""
    nodes = collect(sel, root) if nodes is None else nodes
    if not nodes:
        raise PlanError(f"no test selected by: pytest {' '.join(sel.pytest_args() + sel.paths)}")
    tasks = []
    for n in nodes:
        t = Task(n["node"], n["params"], sel.pytest_args(seeds_needed(n["params"], sel.seeds)), dict(sel.env))
        rng = random.Random(f"{plan_seed}:{n['node']}")
        for hook in VARIANT_HOOKS if hooks is None else hooks:
            t.env.update(hook(t, rng))
        tasks.append(t)
    # Seed by seed (every test, simulator and configuration of seed 1000 first): a run stopped early,
    # or watched early, has covered every test evenly.
    return sorted(tasks, key=lambda t: seed_rank(t.params))


def seed_rank(params: dict[str, str]) -> int:
    seed = params.get("seed", "")
    return int(seed) if seed.isdigit() else -1


def write_plan(tasks: list[Task], path: Path) -> None:
    """The plan as text: one task per line with its replay command (printed and written beside results)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{t.task_id}\t{t.replay()}\n" for t in tasks))
