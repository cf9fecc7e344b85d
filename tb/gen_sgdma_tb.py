"""Bring tb/hdl/harness/sgdma_tb.v in line with the parameter and port list of hdl/sgdma.v.

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
OUT = ROOT / "tb" / "hdl" / "harness" / "sgdma_tb.v"
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


def main() -> int:
    OUT.write_text(generate(RTL.read_text(), OUT.read_text()))
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
