"""pytest options and fixtures for the RTL regressions (cocotb through cocotb_tools.runner)."""
from __future__ import annotations

import pytest

from tb.sim_runner import SIMULATORS, simulator_missing


def pytest_addoption(parser):
    parser.addoption("--sim", default="all", choices=("all",) + SIMULATORS,
                     help="simulator(s) for hw tests (default: all)")
    parser.addoption("--seeds", type=int, default=1, help="random seeds per hw test (make regress)")


def pytest_generate_tests(metafunc):
    if "sim" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--sim")
        sims = SIMULATORS if choice == "all" else (choice,)
        metafunc.parametrize("sim", sims)
    if "seed" in metafunc.fixturenames:
        n = metafunc.config.getoption("--seeds")
        metafunc.parametrize("seed", [1000 + i for i in range(n)])


@pytest.fixture(autouse=True)
def _require_simulator(request):
    sim = request.node.callspec.params.get("sim") if hasattr(request.node, "callspec") else None
    if sim:
        reason = simulator_missing(sim)
        if reason:
            pytest.skip(reason)  # reason: simulator not installed on this machine (printed)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "sim" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.hw)
