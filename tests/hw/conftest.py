"""Fixtures for the RTL regressions (cocotb through cocotb_tools.runner); options in tests/conftest.py."""
from __future__ import annotations

import pytest

from tb.regress import seeds
from tb.sim_runner import SIMULATORS, simulator_missing


def pytest_generate_tests(metafunc):
    if "sim" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--sim")
        sims = SIMULATORS if choice == "all" else (choice,)
        metafunc.parametrize("sim", sims)
    seeds.parametrize(metafunc)  # drawn seeds and per-seed variants (tb/regress/seeds.py)


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
