"""The seed plan: `--seeds N` draws N seeds per test from a master seed; each seed draws its variant.

    pytest -m hw --seeds 4 --master-seed 52361   the whole plan: 4 seeds per test drawn from (52361, test)
    pytest 'tests/hw/t.py::test_x[icarus-83741-reorder]' --seed 83741     one drawn run, replayed
    (no --master-seed: one is drawn at random, printed in pytest's header and passed to pytest-xdist
    workers through REGRESS_MASTER_SEED, which the controller sets before they start)

Seeds: every seeded test (a `seed` argument) gets the same N seeds on every simulator and explicit
configuration (so the simulators can be compared seed by seed), drawn from the master seed and the
test's function id. Variants: a test marked `@pytest.mark.seed_variants(hostile=(...), ...)` also gets,
per seed, one value of each axis (arguments named by the axes), drawn from the axis name and the seed
alone, so `--seed S` replays the variant without the master seed; the values stand in the test id.
`hostile` draws exactly as tests/hw/test_hostile.py always did (tb.hostile.draw). `--variant AXIS=VALUE`
pins an axis to one of its values instead (e.g. hostile=none: the seeds without hostile modes); the
other axes are drawn as before, and the replay commands carry the pin.

The cocotb runner lets the parent environment override the seed it is given (cocotb_practice.md,
extra_env), so COCOTB_RANDOM_SEED or RANDOM_SEED in pytest's environment would silently run another seed
than the test id says: refused (check_environment). So is SGDMA_HOSTILE when a collected test draws a
hostile mode (it would override the drawn mode).
"""

from __future__ import annotations

import os
import random
import shlex

MASTER_ENV = "REGRESS_MASTER_SEED"
SEED_RANGE = range(1, 2**31)  # a cocotb seed and the hostile shims' 32-bit seed register both take it
OVERRIDING_ENV = ("COCOTB_RANDOM_SEED", "RANDOM_SEED")  # cocotb reads them before the runner's seed
AXIS_ENV = {"hostile": "SGDMA_HOSTILE"}  # environment that would override an axis's drawn value
PIN_ERRORS: list[str] = []  # --variant values a test does not draw from (found while parametrizing)


class SeedPlanError(Exception):
    """A seed plan that would not run what it says (a one-line message for the user)."""


def draw_master() -> int:
    return random.SystemRandom().choice(SEED_RANGE)


def draw_seeds(master: int, test: str, n: int) -> list[int]:
    """N distinct seeds of `test` (its function id, e.g. tests/hw/test_ddi.py::test_ddi_regress)."""
    return random.Random(f"{master}:{test}").sample(SEED_RANGE, n)


def draw_variant(seed: int, axes: dict[str, tuple]) -> dict[str, object]:
    """One value per axis, from the axis name and the seed alone (replayable from the seed)."""
    return {axis: random.Random(f"{axis}:{seed}").choice(tuple(values)) for axis, values in axes.items()}


def check_environment(environ=os.environ) -> None:
    for name in OVERRIDING_ENV:
        if name in environ:
            raise SeedPlanError(
                f"{name}={environ[name]} in the environment would override every test's seed (the cocotb "
                f"runner gives the parent environment precedence): unset it; run one seed with --seed S")


def master_seed(config) -> int:
    """--master-seed, else the one the xdist controller drew (REGRESS_MASTER_SEED), else a new draw,
    exported so that the workers this process starts draw the same seeds."""
    master = config.getoption("--master-seed")
    if master is None and os.environ.get(MASTER_ENV, "").isdigit():
        master = int(os.environ[MASTER_ENV])
    if master is None:
        master = draw_master()
    os.environ[MASTER_ENV] = str(master)
    return master


def count(config) -> int:
    """--seeds (1 when not given)."""
    return config.getoption("--seeds") or 1


def pinned_variants(config) -> dict[str, str]:
    """--variant AXIS=VALUE options as {axis: value} (SeedPlanError on a malformed one)."""
    pins = {}
    for text in config.getoption("--variant"):
        axis, sep, value = text.partition("=")
        if not sep or not axis or not value:
            raise SeedPlanError(f"--variant {text!r}: expected AXIS=VALUE, e.g. hostile=none")
        pins[axis] = value
    return pins


def parametrize(metafunc) -> None:
    """pytest_generate_tests of the seeded tests: `seed` (and the axes of seed_variants) per seed."""
    if "seed" not in metafunc.fixturenames:
        return
    config = metafunc.config
    pinned = config.getoption("--seed")
    if pinned:
        seeds = list(dict.fromkeys(pinned))
    else:
        seeds = draw_seeds(master_seed(config), metafunc.definition.nodeid, count(config))
    marker = metafunc.definition.get_closest_marker("seed_variants")
    axes = dict(marker.kwargs) if marker else {}
    for axis, value in pinned_variants(config).items():
        if axis in axes:
            chosen = tuple(v for v in axes[axis] if str(v) == value)
            if chosen:
                axes[axis] = chosen
            else:  # refused once collection is over (check_items): a clean one-line error
                PIN_ERRORS.append(f"--variant {axis}={value}: {metafunc.definition.nodeid} draws {axis} "
                                  f"from {', '.join(map(str, axes[axis]))}")
    if not axes:
        metafunc.parametrize("seed", seeds, ids=[str(s) for s in seeds])
        return
    rows, ids = [], []
    for s in seeds:
        variant = draw_variant(s, axes)
        rows.append((s, *variant.values()))
        ids.append("-".join([str(s), *map(str, variant.values())]))
    metafunc.parametrize(["seed", *axes], rows, ids=ids)


def replay_command(node: str, seed: int | str | None = None, env: dict[str, str] | None = None,
                   pins: dict[str, str] | None = None) -> str:
    """The shell command, from the repository root, that runs this node alone with the same seed and
    variant (the variant follows from the seed and the pinned axes; `env` stands in front)."""
    words = [".venv/bin/python", "-m", "pytest", node] + (["--seed", str(seed)] if seed is not None else [])
    words += [w for axis, value in sorted((pins or {}).items()) for w in ("--variant", f"{axis}={value}")]
    cmd = " ".join(shlex.quote(w) for w in words)
    prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted((env or {}).items()))
    return f"{prefix} {cmd}" if prefix else cmd


def describe(params: dict) -> str:
    """'sim=icarus seed=83741 hostile=reorder': a node's parameters in test-id order (the printed plan)."""
    return " ".join(f"{k}={v}" for k, v in params.items())


def check_items(items, pins: dict[str, str]) -> None:
    """Refuse an environment variable that would override a drawn variant of a collected test, and a
    pinned axis that no collected test draws (a typo would otherwise pin nothing)."""
    drawn = {k for i in items if getattr(i, "callspec", None) and "seed" in i.callspec.params
             for k in i.callspec.params}
    for axis, name in AXIS_ENV.items():
        if name in os.environ and axis in drawn:
            raise SeedPlanError(f"{name}={os.environ[name]} in the environment would override the {axis} "
                                f"mode drawn per seed (the cocotb runner gives the parent environment "
                                f"precedence): unset it")
    if PIN_ERRORS:
        raise SeedPlanError(PIN_ERRORS[0])
    for axis in pins:
        if items and axis not in drawn:
            raise SeedPlanError(f"--variant {axis}=...: no collected test draws {axis}")


def record_replay(items, pins: dict[str, str]) -> None:
    """Each seeded node carries its replay command as a JUnit property (tb/summary.py prints it)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "seed" in callspec.params:
            own = {k: v for k, v in pins.items() if k in callspec.params}
            item.user_properties.append(("replay", replay_command(item.nodeid, callspec.params["seed"],
                                                                  pins=own)))
