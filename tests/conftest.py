"""Make the repository root importable (pyddi_model, tb) for every test; the options of the hw tests and
the seed plan (tb/regress/seeds.py)."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tb.regress import seeds  # noqa: E402 - needs the root on sys.path


def pytest_addoption(parser):
    # Here, not in tests/hw/conftest.py: options must be known before pytest collects tests/hw
    # (`make regress` passes them with no path on the command line).
    parser.addoption("--sim", default="all", choices=("all", "icarus", "verilator"),
                     help="simulator(s) for hw tests (default: all)")
    parser.addoption("--seeds", type=int, default=None,
                     help="seeds per seeded test, drawn from --master-seed (default 1; make regress SEEDS=N)")
    parser.addoption("--master-seed", type=int, default=None, metavar="M",
                     help="draws every test's seeds (default: a random one, printed)")
    parser.addoption("--seed", type=int, action="append", default=[], metavar="S",
                     help="run seed S only (with the variant it draws): replays one run of the plan")
    parser.addoption("--variant", action="append", default=[], metavar="AXIS=VALUE",
                     help="pin a per-seed variant axis instead of drawing it, e.g. hostile=none")


def pytest_configure(config):
    config.addinivalue_line("markers", "seed_variants(axis=values, ...): per seed, one value of each axis "
                            "is drawn and passed as the argument of that name (tb/regress/seeds.py)")
    try:
        seeds.check_environment()
        seeds.pinned_variants(config)
    except seeds.SeedPlanError as e:
        raise pytest.UsageError(str(e)) from None
    if config.getoption("--seeds") is not None and config.getoption("--seeds") < 1:
        raise pytest.UsageError("--seeds must be at least 1")
    if not hasattr(config, "workerinput"):  # the controller: draw once, before xdist starts workers
        seeds.master_seed(config)


def seed_plan_line(config) -> str | None:
    if config.getoption("--seeds") is None and config.getoption("--master-seed") is None:
        return None  # make test: no seed plan asked for (a seeded test still shows its seed in its id)
    if config.getoption("--seed"):
        return f"seed plan: seeds {' '.join(map(str, config.getoption('--seed')))} (--seed)"
    master = seeds.master_seed(config)
    return (f"seed plan: master seed {master}, {seeds.count(config)} per seeded test "
            f"(--master-seed {master} --seeds {seeds.count(config)} draws them again)")


def pytest_report_header(config):
    return seed_plan_line(config)


def pytest_terminal_summary(terminalreporter, config):
    line = seed_plan_line(config)  # again at the end, also under -q (which hides the header)
    if line and not hasattr(config, "workerinput"):
        terminalreporter.write_line(line)


def pytest_collection_modifyitems(config, items):
    pins = seeds.pinned_variants(config)
    try:
        seeds.check_items(items, pins)
    except seeds.SeedPlanError as e:
        raise pytest.UsageError(str(e)) from None
    seeds.record_replay(items, pins)
