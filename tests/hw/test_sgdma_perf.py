"""sgdma cycle-count regression (not a timed test: cycle counts inside the simulation).

Runs tests/hw/cocotb_sgdma_bench.py on tb/hdl/bench/bench_sgdma_top.v (HDL memory and stream models,
SG_PORT=1, memory latency 0) and asserts, from the bench counters:
  - no idle cycle between descriptors once prefetch is warm: 8 descriptors of 4 KiB each way at once
    (two packets of 4, so the second packet is fetched while the first moves): between the first and
    the last data beat, R (MM2S), W (S2MM) and both streams carry a beat on every cycle;
  - the first MM2S stream beat comes no more than 16 cycles after the tail-pointer write (one 4 KiB
    descriptor, latency 0: the target in docs/bench_sgdma.md);
  - negative control: descriptors of 32 bytes (4 beats) cannot hide the fetch round trip, and the
    same idle counters must report gaps there.
Every scenario also checks its data and STATUS words (in the cocotb module).
The full matrix with figures is bench/bench_sgdma.py (docs/bench_sgdma.md).
"""
from __future__ import annotations

import json

from tb.sim_runner import bench_sources, hdl_sources, run

SOURCES = hdl_sources() + bench_sources()
PARAMS = {"DATA_WIDTH": 64, "MAX_BURST_LEN": 64, "MAX_OUTSTANDING": 4, "DATA_FIFO_DEPTH": 256, "SGL_MAX": 4,
          "SG_PORT": 1, "LATENCY": 0}
FIRST_BEAT_MAX = 16
SCENARIOS = [
    {"kind": "duplex", "name": "warm", "n_desc": 8, "desc_bytes": 4096, "pkt_desc": 4},
    {"kind": "first_beat", "name": "first", "channel": "MM2S", "desc_bytes": 4096},
    {"kind": "duplex", "name": "tiny", "n_desc": 32, "desc_bytes": 32, "pkt_desc": 4},
]
IDLE_KEYS = ("mm2s_r_idle", "mm2s_s_idle", "s2mm_w_idle", "s2mm_s_idle")


def test_sgdma_cycle_counts(sim, tmp_path):
    out = tmp_path / "bench.jsonl"
    run("bench_sgdma_top", "cocotb_sgdma_bench", sim=sim, parameters=PARAMS, sources=SOURCES, seed=1,
        extra_env={"SGDMA_PARAMS": json.dumps(PARAMS), "SGDMA_BENCH": json.dumps(SCENARIOS),
                   "SGDMA_BENCH_OUT": str(out)})
    recs = {r["scenario"]["name"]: r["counters"] for r in map(json.loads, out.read_text().splitlines())}
    assert set(recs) == {s["name"] for s in SCENARIOS}, recs.keys()

    warm = recs["warm"]
    idle = {k: warm[k] for k in IDLE_KEYS}
    assert idle == dict.fromkeys(IDLE_KEYS, 0), f"idle cycles between the first and last data beat: {idle}"
    assert warm["mm2s_r_other"] == 0 and warm["s2mm_w_other"] == 0, "SG_PORT=1: descriptor traffic on m_axi"

    first = recs["first"]
    latency = first["mm2s_s_first"] - first["mm2s_tail_cycle"]
    assert 0 < latency <= FIRST_BEAT_MAX, f"first MM2S beat {latency} cycles after the tail write"

    # negative control: the idle counters do fire when descriptors are too short to hide the fetch
    tiny = recs["tiny"]
    assert tiny["mm2s_r_idle"] > 0 and tiny["s2mm_w_idle"] > 0, f"32-byte descriptors, no gap counted: {tiny}"
