"""A tiny, fast pytest target for the regression runner's own tests (tests/regress/test_regress_dask.py).

Not named test_*.py: pytest runs it only when given by path. It is parametrized like the hardware tests
(sim x seed, from --sim and the seed plan of tb/regress/seeds.py; test_small_bind also draws a variant
per seed) but runs no simulator: each node binds a user buffer in the DDI model (pyddi_model) and
appends a statistics line as tests/hw/cocotb_ddi.py does, so the merge of JUnit and statistics can be
compared with a local run in seconds.

Environment: SAMPLE_SLEEP (seconds before each node, so that tasks are in flight when a worker is
killed), SAMPLE_FAIL_SEED (the seed whose test_bind fails), SAMPLE_PID_DIR (each node leaves a file
named by its pid there, to check that no process outlives a killed worker). Like a coverage collector,
each node leaves a file in REGRESS_ARTIFACTS when the runner gives one; with WAVES=1 a node writes a
stand-in wave file under build/sim/sample/ as a simulator would.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from pyddi_model import (
    B_WRITE,
    DDI,
    DDI_DMA_MAPPED,
    DDI_DMA_SLEEP,
    DDI_DMA_WRITE,
    DDI_UMEM_SLEEP,
    DDI_UMEMLOCK_READ,
    Machine,
    ddi_dma_attr_t,
)
from tb.regress import seeds

ROOT = Path(__file__).resolve().parent.parent.parent


def pytest_generate_tests(metafunc):
    if "sim" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--sim")
        metafunc.parametrize("sim", ("icarus", "verilator") if choice == "all" else (choice,))
    seeds.parametrize(metafunc)  # the seed plan of the hardware tests (tests/hw/conftest.py)


def _start() -> None:
    pid_dir = os.environ.get("SAMPLE_PID_DIR")
    if pid_dir:
        Path(pid_dir, str(os.getpid())).write_text("")
    artifacts = os.environ.get("REGRESS_ARTIFACTS")
    if artifacts:
        Path(artifacts, "sample_coverage.txt").write_text(os.environ.get("PYTEST_CURRENT_TEST", ""))
    if os.environ.get("WAVES") == "1":
        waves = ROOT / "build" / "sim" / "sample"
        waves.mkdir(parents=True, exist_ok=True)
        (waves / f"{os.getpid()}.fst").write_text("stand-in waves")
    time.sleep(float(os.environ.get("SAMPLE_SLEEP", "0")))


def _bind(seed: int, nbytes: int, contiguity: float = 0.3) -> int:
    """Cookies of a bind of nbytes of a user buffer scattered by seed (one window, sgllen 64)."""
    m = Machine(seed=seed, contiguity=contiguity)
    proc = m.new_process()
    ddi = DDI(m, curproc=proc)
    size = (0x100 + nbytes + 4095) // 4096 * 4096
    va = proc.as_.mmap(size)
    _, ucookie = ddi.ddi_umem_lock(va, size, DDI_UMEMLOCK_READ)
    bp = ddi.ddi_umem_iosetup(ucookie, 0x100, nbytes, B_WRITE, 0, 0, None, DDI_UMEM_SLEEP)
    attr = ddi_dma_attr_t(dma_attr_sgllen=64, dma_attr_count_max=0xFFFF, dma_attr_granular=1)
    _, h = ddi.ddi_dma_alloc_handle(None, attr, DDI_DMA_SLEEP, None)
    rc, _, ccount = ddi.ddi_dma_buf_bind_handle(h, bp, DDI_DMA_WRITE, DDI_DMA_SLEEP, None)
    assert rc == DDI_DMA_MAPPED, rc
    return ccount


def _report(test: str, sim: str, seed: int, beats: int, nbytes: int, **params) -> None:
    path = os.environ.get("DDI_STATS_FILE", str(ROOT / "build" / "ddi_stats.jsonl"))
    line = {"test": test, "sim": sim, "params": {"sample": 1, **params}, "seed": str(seed), "beats": beats,
            "bytes": nbytes, "requests": 1}
    with open(path, "a") as f:
        f.write(json.dumps(line) + "\n")


def test_bind(sim, seed):
    """A 60000-byte bind needs at least 60000/4096 cookies; the failing seed is chosen by the caller."""
    _start()
    nbytes = 60000
    ccount = _bind(seed, nbytes)
    assert ccount >= nbytes // 4096, ccount
    assert seed != int(os.environ.get("SAMPLE_FAIL_SEED", "0")), f"seed {seed} fails on purpose"
    _report("test_bind", sim, seed, ccount, nbytes)


@pytest.mark.seed_variants(contiguity=(0.0, 0.3, 1.0))
def test_small_bind(sim, seed, contiguity):
    """A bind inside one page is one cookie, however scattered memory is (a variant drawn per seed)."""
    _start()
    assert _bind(seed, 100, contiguity) == 1
    _report("test_small_bind", sim, seed, 1, 100, contiguity=contiguity)
