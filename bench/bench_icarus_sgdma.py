"""CPU per busy cycle of bare sgdma on Icarus (docs/bench_sim.md, "Where Icarus spends its time").

Runs tests/hw/cocotb_sgdma_bench.py's duplex scenario on tb/hdl/bench/bench_sgdma_top.v (sgdma with HDL
memory and stream models, no Python per cycle; DATA_WIDTH 128, MAX_OUTSTANDING 8, SGL_MAX 32, memory
latency 0), twice per row: a short run and a long one with the same build. CPU per cycle = (CPU of the long
run - CPU of the short run) / (cycles of the long run - cycles of the short run), so start-up, the build and
the register set-up cancel out. CPU is getrusage of the child processes (user + system), not wall time.
Rows: 4 KiB descriptors (the movers at full rate) and 64 B descriptors (the descriptor engines busy).
Each row is repeated --reps times; the minimum and median are printed (the machine is shared).

    .venv/bin/python bench/bench_icarus_sgdma.py [--reps N] [--sim icarus|verilator]
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tb.sim_runner import bench_parameters, bench_sources, hdl_sources, run  # noqa: E402

PARAMS = {"DATA_WIDTH": 128, "MAX_OUTSTANDING": 8, "SGL_MAX": 32, "LATENCY": 0}
# (label, descriptor bytes, descriptors per channel in the short and the long run, whole packets of SGL_MAX)
ROWS = [("4 KiB descriptors", 4096, 32, 96), ("64 B descriptors", 64, 64, 1024)]


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def one_run(sim: str, size: int, n: int) -> tuple[float, int]:
    """(CPU seconds, simulated cycles) of one run of the duplex scenario."""
    sc = {"kind": "duplex", "name": f"{size} B", "n_desc": n, "desc_bytes": size,
          "pkt_desc": PARAMS["SGL_MAX"]}
    out = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    t0 = child_cpu()
    run("bench_sgdma_top", "cocotb_sgdma_bench", sim=sim, parameters=bench_parameters(PARAMS),
        sources=hdl_sources() + bench_sources(), seed=1,
        extra_env={"SGDMA_PARAMS": json.dumps(PARAMS), "SGDMA_BENCH": json.dumps([sc]),
                   "SGDMA_BENCH_OUT": str(out)})
    cpu = child_cpu() - t0
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    out.unlink()
    if len(recs) != 1:
        raise SystemExit("bench_icarus_sgdma: the scenario did not report (a check failed; see the log)")
    return cpu, recs[0]["counters"]["cycle"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sim", default="icarus", choices=("icarus", "verilator"))
    args = ap.parse_args(argv)
    one_run(args.sim, 64, 32)     # builds (cached per configuration) outside the measured runs
    print(f"| row ({args.sim}) | cycles | us/cycle min | us/cycle median |\n|---|---|---|---|")
    for label, size, short, long_ in ROWS:
        per = []
        for _ in range(args.reps):
            c0, n0 = one_run(args.sim, size, short)
            c1, n1 = one_run(args.sim, size, long_)
            per.append((c1 - c0) / (n1 - n0) * 1e6)
        print(f"| {label} | {n1 - n0} | {min(per):.1f} | {statistics.median(per):.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
