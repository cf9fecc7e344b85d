"""DDI-driven sgdma tests: every transfer goes user buffer -> ddi_umem_lock -> iosetup -> bind -> windows
-> descriptors -> tail -> interrupt -> status -> sync -> unbind -> freerbuf -> unlock (tb/env.py).

Parameters come from the launcher in SGDMA_PARAMS (JSON); the seed is cocotb's (COCOTB_RANDOM_SEED).
"""
from __future__ import annotations

import json
import os

import cocotb

from tb.env import SgdmaDdiEnv

PARAMS = json.loads(os.environ.get("SGDMA_PARAMS", "{}"))


async def make_env(dut, **kw) -> SgdmaDdiEnv:
    env = SgdmaDdiEnv(dut, cocotb.RANDOM_SEED, **kw)
    await env.start()
    return env


@cocotb.test()
async def test_one_cookie(dut):
    """One page-internal cookie each way: disk write then read back of the same blocks."""
    env = await make_env(dut)
    w = env.disk_write(1000, off=0x40, blkno=3)
    assert w.cookie_total() == 0 and w.nwin == 1
    await env.run(w)
    assert len(w.windows[0].cookies) == 1, w.windows[0].cookies
    r = env.disk_read(1000, off=0x100, blkno=3)
    await env.run(r)
    env.final_checks()
