"""make demo: a realistic driver scenario on Verilator, with a readable report.

A process writes a 1 MiB user buffer (scattered over physical pages, many above 4 GiB) to the simulated
disk and reads it back into a second buffer, each through the whole DDI flow (ddi_umem_lock,
ddi_umem_iosetup, ddi_dma_alloc_handle with the attr read from sgdma's capability registers,
ddi_dma_buf_bind_handle with DDI_DMA_PARTIAL, ddi_dma_getwin per window, descriptors, tail pointer,
interrupt, status, ddi_dma_sync, unbind, freerbuf, ddi_umem_unlock). Every bus and stream beat is
checked on the fly; the buffers, the descriptor rings and all memory outside the buffers are checked
at the end. A failing check makes the command exit non-zero.

    python tb/demo.py [--sim verilator|icarus] [--seed N] [--size BYTES]

This file is also the cocotb test module the simulator runs (test `ddi_demo`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_PARAMS = {
    "DATA_WIDTH": 128,
    "ADDR_WIDTH": 64,
    "LEN_WIDTH": 24,
    "MAX_BURST_LEN": 64,
    "MAX_OUTSTANDING": 8,
    "SGL_MAX": 32,
    "SEG_LOG2": 32,
    "DATA_FIFO_DEPTH": 256,
}

try:
    import cocotb
except ImportError:  # the launcher side does not need cocotb imported here
    cocotb = None

if cocotb is not None and os.environ.get("DDI_DEMO_REPORT"):
    from cocotb.triggers import ClockCycles

    from pyddi_model.dma import rc_name
    from tb.env.ddi import env_class

    @cocotb.test()
    async def ddi_demo(dut):
        """1 MiB disk write + read back through the DDI, every beat checked."""
        size = int(os.environ.get("DDI_DEMO_SIZE", str(1 << 20)))
        report_path = Path(os.environ["DDI_DEMO_REPORT"])
        seed = int(os.environ.get("COCOTB_RANDOM_SEED", "1"))
        cls = env_class(dut)
        kw = {"check": False} if os.environ.get("DDI_DEMO_CHECK") == "0" else {}
        env = cls(dut, seed, contiguity=0.3, granular=512, ring_slots=256, **kw)
        await env.start()
        for ch in ("MM2S", "S2MM"):
            await env.hw.start_counters(ch)
        profile = None
        if os.environ.get("DDI_DEMO_PROFILE"):      # where the wall time goes (bench/bench_sim.py --profile)
            import cProfile
            profile = cProfile.Profile()
            profile.enable()
        t0 = time.perf_counter()
        cpu0 = _cpu_seconds()      # the simulator process's CPU time: robust on a shared machine
        rep: dict = {
            "seed": seed,
            "size": size,
            "params": DEMO_PARAMS,
            "caps": vars(env.caps),
            # descriptor port and prefetch as the hardware reports them (sgdma defaults: DEMO_PARAMS
            # leaves them alone)
            "cap2": await env.hw.regs.read_fields(None, "CAP2"),
            "cap3": await env.hw.regs.read_fields(None, "CAP3"),
            "attr": {k: v for k, v in vars(env.attr).items()},
            "requests": [],
        }
        w = env.disk_write(size, off=0x234, blkno=2048)
        if os.environ.get("DDI_DEMO_INJECT"):
            # negative control of the demo itself: one source byte changes after the expectation of
            # the last window was built (what a DUT reading the wrong data would look like)
            build = env._window_scoreboard

            def corrupt(req, win):
                build(req, win)
                if win.index == req.nwin - 1:
                    addr = win.cookies[-1][0]
                    env.machine.write_phys(addr, bytes([env.machine.read_phys(addr, 1)[0] ^ 0x10]))

            env._window_scoreboard = corrupt
        c0 = env.cycle
        await env.run(w)
        c1 = env.cycle
        r = env.disk_read(size, off=0x1C0, blkno=2048)
        await env.run(r)
        c2 = env.cycle
        assert r.user_bytes(0, size) == w.user_bytes(0, size), "read-back differs from the written buffer"
        await ClockCycles(dut.clk, 4)
        env.final_checks()
        for req, cycles in ((w, c1 - c0), (r, c2 - c1)):
            ch = req.direction
            counts = await env.hw.counters(ch)
            beats, busy, stall = counts["beats"], counts["busy"], counts["stall"]
            rep["requests"].append(
                {
                    "direction": ch,
                    "what": "disk write" if ch == "MM2S" else "disk read",
                    "offset": req.off,
                    "length": req.length,
                    "pages_locked": req.npages,
                    "pages_above_4g": int(sum(1 for p in req.ucookie.pparray if int(p) >= 1 << 32)),
                    "bind": rc_name(req.bind_rc),
                    "windows": req.nwin,
                    "cookies": req.cookie_total(),
                    "packets": len(req.packets),
                    "descriptors": sum(len(p.cookies) for p in req.packets),
                    "window_lengths": [win.length for win in req.windows],
                    "perf_beats": beats,
                    "perf_busy": busy,
                    "perf_stall": stall,
                    "cycles": cycles,
                }
            )
        s = env.stats
        rep.update(
            beats_checked=s.beats_checked,
            bytes_moved=s.bytes_moved,
            interrupts=s.interrupts,
            descriptors=s.descriptors,
            sim_wall_s=time.perf_counter() - t0,
            sim_cpu_s=_cpu_seconds() - cpu0,
            result="PASS",
            data_bytes=env.data_bytes,
            transport=getattr(env, "transport", "per_beat"),
            checked=getattr(env, "check_beats", True),
        )
        if getattr(env, "trace", None) is not None:
            rep.update(trace=str(env.trace.path), beats_moved=env.beat_counts(),
                       trace_records=env.trace.records)
        if profile is not None:
            profile.disable()
            profile.dump_stats(os.environ["DDI_DEMO_PROFILE"])
        report_path.write_text(json.dumps(rep, indent=1))


def _cpu_seconds() -> float:
    """User + system CPU time of this process, all threads (the simulator and Python share it)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _print_report(rep: dict, wall: float) -> None:
    a = rep["attr"]
    print()
    print("=" * 78)
    print(
        f" ddi-dma demo: {rep['size'] // 1024} KiB written to the simulated disk and read back "
        "through the DDI"
    )
    print("=" * 78)
    p = rep["params"]
    print(
        f" sgdma          DATA_WIDTH {p['DATA_WIDTH']}, ADDR_WIDTH {p['ADDR_WIDTH']}, "
        f"SGL_MAX {p['SGL_MAX']}, LEN_WIDTH {p['LEN_WIDTH']}, MAX_BURST_LEN {p['MAX_BURST_LEN']}"
    )
    c2, c3 = rep["cap2"], rep["cap3"]
    port = "own AXI master m_axi_sg" if c2["SG_PORT"] else "shared with data on m_axi"
    print(
        f" descriptors    SG_PORT {c2['SG_PORT']} ({port}); prefetch {c3['DESC_PREFETCH']} bursts x "
        f"{c3['DESC_BURST']} descriptors, {c3['WB_OUTSTANDING']} write-backs in flight (CAP2, CAP3)"
    )
    print(
        f" ddi_dma_attr   (from CAP0..CAP2) addr_hi {a['dma_attr_addr_hi']:#x}, count_max "
        f"{a['dma_attr_count_max']:#x}, seg {a['dma_attr_seg']:#x}, sgllen {a['dma_attr_sgllen']}, "
        f"granular {a['dma_attr_granular']}"
    )
    print(f" seed           {rep['seed']}  (replay: make demo SEED={rep['seed']})")
    print()
    hdr = f" {'':16}{'disk write (MM2S)':>24}{'disk read (S2MM)':>24}"
    print(hdr)
    w, r = rep["requests"]

    def row(label, key, fmt="{}"):
        print(f" {label:16}{fmt.format(w[key]):>24}{fmt.format(r[key]):>24}")

    row("buffer offset", "offset", "{:#x}")
    row("bytes", "length")
    row("pages locked", "pages_locked")
    row("  above 4 GiB", "pages_above_4g")
    row("bind result", "bind")
    row("windows", "windows")
    row("cookies", "cookies")
    row("packets", "packets")
    row("descriptors", "descriptors")
    row("data beats", "perf_beats")
    row("busy cycles", "perf_busy")
    row("stall cycles", "perf_stall")
    eff = [x["perf_beats"] / x["perf_busy"] * 100 if x["perf_busy"] else 0.0 for x in (w, r)]
    print(f" {'bus efficiency':16}{eff[0]:>23.1f}%{eff[1]:>23.1f}%  (data beats / busy cycles)")
    print()
    print(
        f" beats checked  {rep['beats_checked']} (AXI R/W data beats and stream beats, each against "
        "the cookies)"
    )
    print(f" interrupts     {rep['interrupts']}")
    print(" memory checks  user buffers, descriptor rings, no write outside the buffers: passed")
    print(
        f" wall time      {wall:.1f} s total, {rep['sim_wall_s']:.1f} s simulating "
        f"({rep['beats_checked'] / max(rep['sim_wall_s'], 1e-9):.0f} checked beats/s)"
    )
    print(f" transport      {rep.get('transport', 'per_beat')} (simulator output: {rep['log']})")
    if rep.get("picture"):
        print(f" picture        {rep['picture']} (bus occupancy per channel, from the beat trace)")
    print(f" RESULT         {rep['result']}")
    print("=" * 78)


TRANSPORTS = ("fast", "per_beat")


def launch(sim: str, size: int, seed: int, *, transport: str = "fast", check: bool = True,
           inject: bool = False, report: Path, log: Path | None = None) -> bool:
    """Build and run the demo's cocotb test (toplevel by transport); the simulator's output goes to
    `log` when given. Returns True when the test passed and wrote its report."""
    from cocotb_tools.check_results import get_results

    from tb.sim_runner import run, sgdma_fast_tb_sources, sgdma_tb_sources

    report.unlink(missing_ok=True)
    fast = transport == "fast"
    kwargs = dict(
        sim=sim,
        parameters=DEMO_PARAMS,
        seed=seed,
        sources=sgdma_fast_tb_sources() if fast else sgdma_tb_sources(),
        extra_env={
            "DDI_DEMO_REPORT": str(report),
            "DDI_DEMO_SIZE": str(size),
            "DDI_DEMO_INJECT": "1" if inject else "",
            "DDI_DEMO_CHECK": "1" if check else "0",
            "SGDMA_PARAMS": json.dumps(DEMO_PARAMS),
            "COCOTB_LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore::DeprecationWarning",
        },
    )
    saved = None
    if log is not None:     # the simulator is a child process: redirect the descriptors themselves
        sys.stdout.flush()
        sys.stderr.flush()
        out = open(log, "w")
        saved = (os.dup(1), os.dup(2))
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
    try:
        xml = run("sgdma_fast_tb" if fast else "sgdma_tb", "tb.demo", **kwargs)
        _tests, failed = get_results(Path(xml))
    except SystemExit:
        failed = 1
    finally:
        if saved is not None:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            out.close()
    return not failed and report.exists()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", default="verilator", choices=("verilator", "icarus"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", type=int, default=1 << 20)
    ap.add_argument("--transport", default="fast", choices=TRANSPORTS,
                    help="fast: HDL agents and the beat trace (default); per_beat: cocotbext-axi agents")
    ap.add_argument("--inject-error", action="store_true",
                    help="negative control: corrupt one source byte during the run; the demo must fail")
    args = ap.parse_args(argv)
    if args.size <= 0 or args.size > 4 << 20:
        print("demo: --size must be 1 .. 4 MiB", file=sys.stderr)
        return 2
    from tb.sim_runner import BUILD

    t0 = time.perf_counter()
    BUILD.mkdir(parents=True, exist_ok=True)
    report = BUILD / "demo_report.json"
    log = BUILD / "demo.log"
    ok = launch(args.sim, args.size, args.seed, transport=args.transport, inject=args.inject_error,
                report=report, log=log)
    if not ok:
        tail = log.read_text(errors="replace").splitlines()[-40:]
        print(*tail, sep="\n")
        print(f"demo: FAILED: a check fired (last lines above; the whole log: {log})")
        return 1
    rep = json.loads(report.read_text())
    rep["log"] = str(log)
    if rep.get("trace"):
        from tb.bus_plot import plot

        png = BUILD / "demo_bus.png"
        plot(Path(rep["trace"]), rep["data_bytes"] * 8, png,
             title=f"ddi-dma demo: bus occupancy per channel (seed {args.seed}, {args.sim})")
        rep["picture"] = str(png)
    _print_report(rep, time.perf_counter() - t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
