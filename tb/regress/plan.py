"""The regression plan: which pytest nodes run, each as one task, with its drawn seed and replay command.

The plan is pytest's own collection with the same -m/--sim/--seeds/--master-seed selection as
`make regress`: the seed plan of tb/regress/seeds.py draws every seeded test's seeds from the master
seed and, per seed, the variant the test supports (a hostile mode, a configuration), all in the node
ids. A task is one such node; it runs as `pytest <node> --seed S`, which is also its replay command
(the variant follows from the seed), so every drawn (test, simulator, configuration, mode, seed) is
printed and replayable one by one, locally (`make regress`) and on Dask alike.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tb.regress.seeds import describe, replay_command

ROOT = Path(__file__).resolve().parent.parent.parent


class PlanError(Exception):
    """A selection that cannot be planned (collection failed, nothing selected)."""


@dataclass
class Selection:
    """What `make regress` selects: marker expression, simulator(s), seeds per test, paths or node ids."""

    markexpr: str = "hw"
    sim: str = "all"
    seeds: int = 1
    master_seed: int = 1  # draws the seeds (tb/regress/seeds.py)
    paths: list[str] = field(default_factory=list)
    keyword: str = ""  # pytest -k
    env: dict[str, str] = field(default_factory=dict)  # for every task (e.g. COCOTB_TEST_FILTER)
    plugins_off: list[str] = field(default_factory=list)  # `-p no:NAME`: less start-up time per task
    pins: dict[str, str] = field(default_factory=dict)  # --variant AXIS=VALUE (tb/regress/seeds.py)

    def plugin_args(self) -> list[str]:
        return [a for name in self.plugins_off for a in ("-p", f"no:{name}")]

    def pytest_args(self) -> list[str]:
        """The options that select the plan's nodes (collection)."""
        args = self.plugin_args() + (["-m", self.markexpr] if self.markexpr else [])
        if self.keyword:
            args += ["-k", self.keyword]
        args += [w for axis, value in sorted(self.pins.items()) for w in ("--variant", f"{axis}={value}")]
        return args + ["--sim", self.sim, "--seeds", str(self.seeds), "--master-seed", str(self.master_seed)]


@dataclass
class Task:
    """One pytest node run on its own: the unit of work, retry and result."""

    node: str
    params: dict[str, str]
    args: list[str]  # pytest options besides the node: --seed S, --variant, `-p no:NAME` of the selection
    env: dict[str, str]  # the selection's variables (e.g. COCOTB_TEST_FILTER)
    pins: dict[str, str] = field(default_factory=dict)  # the pinned variant axes this node has

    @property
    def seed(self) -> str | None:
        return self.params.get("seed")

    @property
    def task_id(self) -> str:
        """Stable name of the task: a readable slug and a digest of node and environment."""
        key = json.dumps([self.node, sorted(self.env.items())])
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.node.split("::", 1)[-1])[:80]
        return f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"

    def pytest_command(self, python: str = ".venv/bin/python") -> list[str]:
        return [python, "-m", "pytest", self.node, *self.args]

    def replay(self) -> str:
        """The shell command that replays this task alone from the repository root (tb/regress/seeds.py)."""
        return replay_command(self.node, self.seed, self.env, self.pins)

    def describe(self) -> str:
        """`sim=icarus seed=83741 hostile=reorder`: the drawn run, for the printed plan."""
        return describe(self.params)

    def to_json(self) -> dict:
        return {"task_id": self.task_id, "node": self.node, "params": self.params, "args": self.args,
                "env": self.env, "replay": self.replay()}


def collect(sel: Selection, root: Path = ROOT) -> list[dict]:
    """[{node, params}] of every node pytest selects, in collection order."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "nodes.json"
        cmd = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
               "-p", "tb.regress.pytest_plugin", f"--regress-collect={out}", *sel.pytest_args(), *sel.paths]
        env = {**os.environ, **sel.env}
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode not in (0, 5) or not out.exists():  # 5: nothing collected
            said = [x for x in proc.stderr.splitlines() if x.startswith("ERROR: ")]
            if said:  # pytest's own one-line refusal (bad option, refused environment or --variant)
                raise PlanError(said[0][len("ERROR: "):])
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise PlanError(f"pytest collection failed (exit {proc.returncode}):\n{tail}")
        return json.loads(out.read_text())


def make_plan(sel: Selection, root: Path = ROOT, nodes: list[dict] | None = None) -> list[Task]:
    """One task per selected node (collected unless given)."""
    nodes = collect(sel, root) if nodes is None else nodes
    if not nodes:
        raise PlanError(f"no test selected by: pytest {' '.join(sel.pytest_args() + sel.paths)}")
    tasks = []
    for n in nodes:
        seeded = "seed" in n["params"]
        pins = {k: v for k, v in sel.pins.items() if seeded and k in n["params"]}
        args = (["--seed", n["params"]["seed"]] if seeded else [])
        args += [w for axis, value in sorted(pins.items()) for w in ("--variant", f"{axis}={value}")]
        tasks.append(Task(n["node"], n["params"], args + sel.plugin_args(), dict(sel.env), pins))
    # Seed by seed (the first drawn seed of every test, simulator and configuration first): a run
    # stopped early, or watched early, has covered every test evenly.
    rank: dict[tuple[str, str], int] = {}  # (test, seed) -> index among its test's seeds
    seen: dict[str, int] = {}  # test -> seeds ranked so far
    for t in tasks:
        test = t.node.split("[", 1)[0]
        if t.seed is not None and (test, t.seed) not in rank:
            rank[(test, t.seed)] = seen[test] = seen.get(test, -1) + 1
    return sorted(tasks, key=lambda t: rank.get((t.node.split("[", 1)[0], t.seed), -1))


def write_plan(tasks: list[Task], path: Path) -> None:
    """The plan as text: one task per line, what was drawn and its replay command (printed as well)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{t.task_id}\t{t.describe()}\t{t.replay()}\n" for t in tasks))
