"""Shared fixtures of the model tests: a machine, a process on it, and a DDI in each mode.

``ddi`` follows the man pages, ``ddi_illumos`` reproduces illumos quirks, and ``any_ddi`` runs a
test once in each mode (for rules that both modes share).
"""
import pytest

from pyddi_model import DDI, Machine


@pytest.fixture
def machine():
    return Machine(seed=1234)


@pytest.fixture
def proc(machine):
    return machine.new_process()


@pytest.fixture
def ddi(machine, proc):
    return DDI(machine, curproc=proc)


@pytest.fixture
def ddi_illumos(machine, proc):
    return DDI(machine, illumos=True, curproc=proc)


@pytest.fixture(params=[False, True], ids=["man", "illumos"])
def any_ddi(request, machine, proc):
    return DDI(machine, illumos=request.param, curproc=proc)

