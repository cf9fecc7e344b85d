"""Where Icarus spends its time in the fast toplevel: CPU per simulated cycle with parts replaced by stubs.

Method: each part of tb/hdl/harness/sgdma_fast_tb.v is replaced in turn by a stub of the same ports
(outputs tied to 0; axi_hostile becomes plain wires), and the toplevel is timed two ways:
  idle  a plain Verilog toplevel (no cocotb, clock in HDL) holds every input idle after reset and runs
        N cycles; CPU per cycle = (CPU of vvp with N cycles - CPU with 0 cycles) / N (start-up, e.g.
        the memories' initial loops, cancels out). "bare sgdma" is hdl/ alone with the same inputs.
  busy  the demo scenario of bench/bench_sim.py, row (c) (fast transport, checking off), at --size
        bytes each way; CPU per cycle from its report (getrusage of the simulator process around the
        transfers, which includes what Python does per window). Only the parts the transfers do not
        need can be stubbed here (the protocol checkers, the hostile shims).
CPU is user + system time of the child processes (getrusage), so other jobs on a shared machine do
not inflate it. Prints a Markdown table (pasted into docs/bench_sim.md, "Where Icarus spends its time").

    python bench/bench_icarus_parts.py [--cycles N] [--busy] [--size BYTES]
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "build" / "bench_icarus_parts"
STUBS = OUT / "stub"

IDLE_TOP = """`timescale 1ns / 1ps
module idle_top;
reg clk = 1'b0, rst = 1'b1;
always #5 clk = ~clk;
integer n;
initial begin
    if (!$value$plusargs("N=%d", n)) n = 20000;
    repeat (5) @(posedge clk);
    rst <= 1'b0;
    repeat (n) @(posedge clk);
    $finish;
end
`ifdef TOP_BARE
sgdma #(.DATA_WIDTH(128), .MAX_OUTSTANDING(8), .SGL_MAX(32)) dut (.clk(clk), .rst(rst),
    .s_axil_awaddr(12'd0), .s_axil_awprot(3'd0), .s_axil_awvalid(1'b0), .s_axil_wdata(32'd0),
    .s_axil_wstrb(4'd0), .s_axil_wvalid(1'b0), .s_axil_bready(1'b1), .s_axil_araddr(12'd0),
    .s_axil_arprot(3'd0), .s_axil_arvalid(1'b0), .s_axil_rready(1'b1),
    .m_axi_awready(1'b0), .m_axi_wready(1'b0), .m_axi_bid(4'd0), .m_axi_bresp(2'd0), .m_axi_bvalid(1'b0),
    .m_axi_arready(1'b0), .m_axi_rid(4'd0), .m_axi_rdata(128'd0), .m_axi_rresp(2'd0), .m_axi_rlast(1'b0),
    .m_axi_rvalid(1'b0), .m_axi_sg_awready(1'b0), .m_axi_sg_wready(1'b0), .m_axi_sg_bid(4'd0),
    .m_axi_sg_bresp(2'd0), .m_axi_sg_bvalid(1'b0), .m_axi_sg_arready(1'b0), .m_axi_sg_rid(4'd0),
    .m_axi_sg_rdata(128'd0), .m_axi_sg_rresp(2'd0), .m_axi_sg_rlast(1'b0), .m_axi_sg_rvalid(1'b0),
    .m_axis_tready(1'b0), .s_axis_tdata(128'd0), .s_axis_tkeep(16'd0), .s_axis_tvalid(1'b0),
    .s_axis_tlast(1'b0));
`else
sgdma_fast_tb #(.DATA_WIDTH(128), .MAX_OUTSTANDING(8), .SGL_MAX(32)) tb (.clk(clk), .rst(rst),
    .s_axil_awaddr(12'd0), .s_axil_awprot(3'd0), .s_axil_awvalid(1'b0), .s_axil_wdata(32'd0),
    .s_axil_wstrb(4'd0), .s_axil_wvalid(1'b0), .s_axil_bready(1'b1), .s_axil_araddr(12'd0),
    .s_axil_arprot(3'd0), .s_axil_arvalid(1'b0), .s_axil_rready(1'b1), .tb_token(32'd1), .tb_seed(32'd1),
    .tb_cmd(12'd0), .tb_src_tail(32'd0), .tb_mem_pause(8'd0), .tb_mem_latency(8'd0),
    .tb_mem_err_base(40'd0), .tb_mem_err_end(40'd0), .tb_mem_err_resp(2'd0), .tb_mem_err_on(2'd0),
    .tb_axis_pause(8'd0));
`endif
endmodule
"""

# (label, modules replaced by stubs); None: bare sgdma
IDLE_CONFIGS = [
    ("bare sgdma (hdl/ only)", None),
    ("sgdma_fast_tb, everything", []),
    ("  without the hostile shims (axi_hostile)", ["axi_hostile"]),
    ("  without the protocol checkers", ["axi4_checker", "axil_checker", "axis_checker"]),
    ("  without the memory agents (tb_axi_mem)", ["tb_axi_mem"]),
    ("  without the stream agents", ["tb_axis_sink", "tb_axis_source"]),
    ("  without the beat trace", ["tb_beat_trace"]),
]
BUSY_CONFIGS = [
    ("sgdma_fast_tb, everything", []),
    ("  without the hostile shims (axi_hostile)", ["axi_hostile"]),
    ("  without the protocol checkers", ["axi4_checker", "axil_checker", "axis_checker"]),
    # what is left: sgdma, the agents and the trace the transfers need (the bound of the fast path)
    ("  without both", ["axi_hostile", "axi4_checker", "axil_checker", "axis_checker"]),
]


def stub(src: Path, passthrough: bool) -> str:
    """A module with src's header and every output tied to 0 (passthrough: m_axi_X = s_axi_X and back)."""
    text = src.read_text()
    head = text[:text.index(");", text.index("\nmodule ")) + 2]
    ports = re.findall(r"^\s*(input|output)\s+(?:wire|reg)?\s*(?:\[[^\]]*\])?\s*(\w+)", head, re.M)
    names = {n for _, n in ports}
    body = []
    for d, n in ports:
        if d != "output":
            continue
        other = ("s_axi_" + n[6:]) if n.startswith("m_axi_") else ("m_axi_" + n[6:])
        if passthrough and n[:6] in ("m_axi_", "s_axi_") and other in names:
            body.append(f"assign {n} = {other};")
        else:
            body.append(f"assign {n} = 0;")
    return re.sub(r"output\s+reg", "output wire", head) + "\n" + "\n".join(body) + "\nendmodule\n"


def real_sources() -> list[Path]:
    """sgdma_fast_tb's sources as tb/sim_runner.py lists them (busy() patches that function)."""
    from tb import sim_runner

    return getattr(sim_runner, "_unpatched_fast_tb_sources", sim_runner.sgdma_fast_tb_sources)()


def sources(stubbed: list[str]) -> list[Path]:
    STUBS.mkdir(parents=True, exist_ok=True)
    out = []
    for p in real_sources():
        if p.stem in stubbed:
            s = STUBS / p.name
            s.write_text(stub(p, passthrough=p.stem == "axi_hostile"))
            out.append(s)
        else:
            out.append(p)
    return out


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_vvp(vvp: Path, n: int) -> float:
    c0 = child_cpu()
    subprocess.run(["vvp", "-n", str(vvp), f"+N={n}"], check=True, stdout=subprocess.DEVNULL)
    return child_cpu() - c0


def idle(label: str, stubbed: list[str] | None, cycles: int) -> float:
    from tb.sim_runner import HDL, hdl_sources

    OUT.mkdir(parents=True, exist_ok=True)
    top = OUT / "idle_top.v"
    top.write_text(IDLE_TOP)
    files = hdl_sources() if stubbed is None else sources(stubbed)
    vvp = OUT / f"idle_{len(label)}_{'-'.join(stubbed or ['bare'])}.vvp"
    cmd = ["iverilog", "-g2012", "-DSGDMA_ASSERTIONS=1", f"-I{HDL}", "-s", "idle_top", "-o", str(vvp),
           str(top), *map(str, files)] + (["-DTOP_BARE"] if stubbed is None else [])
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (timed_vvp(vvp, cycles) - timed_vvp(vvp, 0)) / cycles


def busy(stubbed: list[str], size: int) -> tuple[float, int]:
    import tb.sim_runner as sim_runner
    from tb.demo import launch

    real = sim_runner.sgdma_fast_tb_sources
    sim_runner._unpatched_fast_tb_sources = real
    sim_runner.sgdma_fast_tb_sources = lambda: sources(stubbed)
    try:
        tag = "-".join(stubbed) or "full"
        report, log = OUT / f"busy_{tag}.json", OUT / f"busy_{tag}.log"
        if not launch("icarus", size, 1, transport="fast", check=False, report=report, log=log):
            raise SystemExit(f"bench_icarus_parts: the busy run {tag} failed (log: {log})")
    finally:
        sim_runner.sgdma_fast_tb_sources = real
        del sim_runner._unpatched_fast_tb_sources
    rep = json.loads(report.read_text())
    cycles = sum(r["cycles"] for r in rep["requests"])
    return rep["sim_cpu_s"] / cycles, cycles


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=20000)
    ap.add_argument("--busy", action="store_true", help="also the busy rows (demo scenario, row (c))")
    ap.add_argument("--size", type=int, default=256 << 10)
    args = ap.parse_args(argv)
    if args.cycles <= 0 or args.size <= 0:
        print("bench_icarus_parts: --cycles and --size must be > 0", file=sys.stderr)
        return 2
    rows = ["| configuration | state | CPU us / cycle | cycles / CPU s |", "|---|---|---|---|"]
    for label, stubbed in IDLE_CONFIGS:
        us = idle(label, stubbed, args.cycles) * 1e6
        rows.append(f"| {label} | idle, {args.cycles} cycles | {us:.0f} | {1e6 / us:.0f} |")
        print(rows[-1], flush=True)
    if args.busy:
        for label, stubbed in BUSY_CONFIGS:
            per, cycles = busy(stubbed, args.size)
            state = f"busy, demo {args.size >> 10} KiB x 2, {cycles} cycles"
            rows.append(f"| {label} | {state} | {per * 1e6:.0f} | {1 / per:.0f} |")
            print(rows[-1], flush=True)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
