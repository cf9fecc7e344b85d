"""Bring tb/hdl/sgdma_tb.v in line with the parameter and port list of hdl/sgdma.v.

sgdma_tb passes every sgdma parameter and port through unchanged (so cocotbext-axi attaches by prefix)
and adds the protocol checkers. This rewrites only the sgdma-derived parts of sgdma_tb.v (its
parameters before CHK_FATAL, its ports before the chk_* outputs, and the `sgdma #(...) dut (...);`
instance); the checker parts stay as written. Run `.venv/bin/python -m tb.gen_sgdma_tb` after changing
sgdma's ports; tests/tb/test_gen_sgdma_tb.py fails while the two disagree.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RTL = ROOT / "hdl" / "sgdma.v"
OUT = ROOT / "tb" / "hdl" / "sgdma_tb.v"
PARAMS_END = "    parameter integer CHK_FATAL"
PORTS_END = "\n\n    output wire                        chk_axi_error_valid"


def generate(rtl_text: str, tb_text: str) -> str:
    m = re.search(r"module sgdma #\((.*?)\) \((.*?)\);", rtl_text, re.S)
    if not m:
        raise SystemExit("gen_sgdma_tb: no `module sgdma #(...) (...);` header in hdl/sgdma.v")
    params, ports = m.group(1).strip("\n").rstrip(), m.group(2).strip("\n").rstrip()
    pnames = re.findall(r"parameter integer (\w+)", params)
    portnames = re.findall(r"(?:input|output)\s+wire\s*(?:\[[^\]]*\])?\s*(\w+)", ports)
    # sgdma's last parameter has no comma; here more parameters follow (keep the comment's column)
    lines = params.split("\n")
    code, sep, comment = lines[-1].partition("//")
    pad = code[len(code.rstrip()):]
    lines[-1] = code.rstrip() + "," + (pad[1:] if len(pad) > 1 else " ") + sep + comment
    params = "\n".join(lines)

    head_end = tb_text.index("module sgdma_tb #(\n") + len("module sgdma_tb #(\n")
    params_end = tb_text.index(PARAMS_END)
    ports_start = tb_text.index(") (\n", params_end) + len(") (\n")
    ports_end = tb_text.index(PORTS_END)
    inst_start = tb_text.index("sgdma #(")
    inst_end = tb_text.index("\n);\n", inst_start) + len("\n);\n")
    pconn = ", ".join(f".{p}({p})" for p in pnames)
    conn = ",\n".join(f"    .{p}({p})" for p in portnames)
    return (tb_text[:head_end] + params + "\n" + tb_text[params_end:ports_start] + ports + ","
            + tb_text[ports_end:inst_start] + f"sgdma #({pconn}) dut (\n{conn}\n);\n" + tb_text[inst_end:])


# ---- checkers on the hide unit's ports (s_axi_cpu_*, m_maint_req_*, s_maint_done_*) ----
HIDE_CHECKERS_BEGIN = "// ---- hide-unit port checkers (tb/gen_sgdma_tb.py: hide_port_checkers) ----\n"
HIDE_CHECKERS_END = "// ---- end of hide-unit port checkers ----\n"
AXI4_CHECKER_PORTS = (
    "awid", "awaddr", "awlen", "awsize", "awburst", "awlock", "awcache", "awprot", "awvalid", "awready",
    "wdata", "wstrb", "wlast", "wvalid", "wready", "bid", "bresp", "bvalid", "bready",
    "arid", "araddr", "arlen", "arsize", "arburst", "arlock", "arcache", "arprot", "arvalid", "arready",
    "rid", "rdata", "rresp", "rlast", "rvalid", "rready")


def hide_port_checkers(portnames: list[str]) -> str:
    """The checker block for the hide unit's CPU-side AXI4 slave port and its maintenance port.

    The CPU is the master on s_axi_cpu (any burst type, length and attributes, as a processor sends
    them; W may lead AW), sgdma the slave; the maintenance request and done channels are VALID/READY
    channels checked with axis_checker (VALID held until READY, payload stable, no X)."""
    missing = [f for f in AXI4_CHECKER_PORTS if f"s_axi_cpu_{f}" not in portnames]
    missing += [p for p in ("m_maint_req_valid", "m_maint_req_ready", "m_maint_req_addr", "m_maint_req_op",
                            "s_maint_done_valid", "s_maint_done_ready") if p not in portnames]
    if missing:
        raise SystemExit(f"gen_sgdma_tb: hdl/sgdma.v lacks hide-unit ports {', '.join(missing)}")
    conn = ", ".join(f".{f}(s_axi_cpu_{f})" for f in AXI4_CHECKER_PORTS)
    wrapped = "\n    ".join(_wrap(conn, 100))
    return (
        HIDE_CHECKERS_BEGIN
        + "// Only with a hide unit (HIDE_ENTRIES > 0); a violation stops the simulation ($fatal).\n"
        "generate if (HIDE_ENTRIES > 0) begin : g_hide_port_checkers\n"
        "axi4_checker #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),\n"
        "               .MAX_RD_OUTSTANDING(255), .MAX_WR_OUTSTANDING(255), .MAX_W_AHEAD(16),\n"
        "               .MAX_BURST_LEN(256), .BURST_TYPES(7), .ATTR_CHECK(0),\n"
        "               .FATAL(CHK_FATAL)) cpu_slave_checker (\n"
        "    .clk(clk), .rst(rst),\n"
        f"    {wrapped},\n"
        "    .error_valid(), .error_rule(), .error_cycle(), .error_count(), .error_mask(), .cycle());\n"
        "// the request {op, addr} zero-extended to whole bytes (TDATA of axis_checker)\n"
        "localparam integer MAINT_BYTES = ADDR_WIDTH / 8 + 2;\n"
        "axis_checker #(.DATA_WIDTH(MAINT_BYTES * 8), .USER_WIDTH(1), .KEEP_CHECK(0), .USER_CHECK(0),\n"
        "               .FATAL(CHK_FATAL)) maint_req_checker (\n"
        "    .clk(clk), .rst(rst),\n"
        "    .tdata({{(MAINT_BYTES * 8 - ADDR_WIDTH - 2){1'b0}}, m_maint_req_op, m_maint_req_addr}),\n"
        "    .tkeep({MAINT_BYTES{1'b1}}), .tlast(1'b1), .tuser(1'b0),\n"
        "    .tvalid(m_maint_req_valid), .tready(m_maint_req_ready),\n"
        "    .error_valid(), .error_rule(), .error_cycle(), .error_count(), .error_mask(), .cycle());\n"
        "axis_checker #(.DATA_WIDTH(8), .USER_WIDTH(1), .KEEP_CHECK(0), .USER_CHECK(0),\n"
        "               .FATAL(CHK_FATAL)) maint_done_checker (\n"
        "    .clk(clk), .rst(rst), .tdata(8'd0), .tkeep(1'b1), .tlast(1'b1), .tuser(1'b0),\n"
        "    .tvalid(s_maint_done_valid), .tready(s_maint_done_ready),\n"
        "    .error_valid(), .error_rule(), .error_cycle(), .error_count(), .error_mask(), .cycle());\n"
        "end endgenerate\n"
        + HIDE_CHECKERS_END)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for item in text.split(", "):
        if line and len(line) + len(item) + 2 > width:
            lines.append(line + ",")
            line = item
        else:
            line = f"{line}, {item}" if line else item
    return lines + [line]


def with_hide_port_checkers(rtl_text: str, tb_text: str) -> str:
    """tb_text with its hide-unit checker block (re)written, before the lint pragma that closes the
    checkers (or before endmodule)."""
    m = re.search(r"module sgdma #\((.*?)\) \((.*?)\);", rtl_text, re.S)
    portnames = re.findall(r"(?:input|output)\s+wire\s*(?:\[[^\]]*\])?\s*(\w+)", m.group(2)) if m else []
    block = hide_port_checkers(portnames)
    if HIDE_CHECKERS_BEGIN in tb_text:
        start = tb_text.index(HIDE_CHECKERS_BEGIN)
        end = tb_text.index(HIDE_CHECKERS_END) + len(HIDE_CHECKERS_END)
        return tb_text[:start] + block + tb_text[end:]
    anchor = "/* verilator lint_on PINCONNECTEMPTY */\n"
    at = tb_text.rindex(anchor) if anchor in tb_text else tb_text.rindex("endmodule")
    return tb_text[:at] + block + "\n" + tb_text[at:]


def main() -> int:
    OUT.write_text(with_hide_port_checkers(RTL.read_text(), generate(RTL.read_text(), OUT.read_text())))
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
