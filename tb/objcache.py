"""Compiler wrapper that reuses Verilator's runtime objects across build directories.

Every Verilator build compiles the same runtime sources (verilated.cpp, verilated_vpi.cpp,
verilated_threads.cpp: about 9 of the 27 CPU-seconds of an sgdma_tb build on this project's
machine) into its own directory, and `make test` makes about thirty builds. verilated.mk runs each
compile as `$(OBJCACHE) $(CXX) ... -c -o file.o source.cpp`; tb/sim_runner.py sets OBJCACHE to
this script. A source under $VERILATOR_ROOT/include is compiled once per distinct command line and
stored in build/sim/verilator/.objcache; every other source (the design's own C++, and cocotb's
verilator.cpp, which includes the design's Vtop.h) is compiled as usual.

The key holds the whole command line except the output names, the compiler's identity (path, size,
mtime) and the size and mtime of every file in $VERILATOR_ROOT/include, so a changed flag, define,
compiler or Verilator install compiles afresh.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / "build" / "sim" / "verilator" / ".objcache"


def _runtime_source(args: list[str], include: Path) -> Path | None:
    """The runtime .cpp this command compiles, or None when it is not a plain runtime compile."""
    if "-c" not in args or "-o" not in args:
        return None
    sources = [Path(a) for a in args if a.endswith(".cpp")]
    if len(sources) != 1:
        return None
    src = sources[0].resolve()
    return src if src.parent == include else None


def _key(args: list[str], src: Path, include: Path) -> str:
    h = hashlib.sha256()
    out = args.index("-o") + 1
    h.update("\0".join(a for i, a in enumerate(args) if i != out).encode())
    compiler = shutil.which(args[0]) or args[0]
    for p in [Path(compiler).resolve(), *sorted(include.rglob("*"))]:
        if p.is_file():
            st = p.stat()
            h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    h.update(src.read_bytes())
    return h.hexdigest()[:24]


def main(args: list[str]) -> int:
    root = os.environ.get("VERILATOR_ROOT")
    src = _runtime_source(args, Path(root, "include").resolve()) if root and args else None
    if src is None:
        return subprocess.call(args)
    include = Path(root, "include").resolve()
    obj = Path(args[args.index("-o") + 1])
    dep = obj.with_suffix(".d")           # -MMD writes the dependency file beside the object
    cached = CACHE / _key(args, src, include)
    if cached.with_suffix(".o").exists():
        shutil.copyfile(cached.with_suffix(".o"), obj)
        if cached.with_suffix(".d").exists():
            dep.write_text(cached.with_suffix(".d").read_text())
        return 0
    rc = subprocess.call(args)
    if rc == 0 and obj.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        # copied under a private name, then renamed: parallel builds never see half an object
        for made, suffix in ((dep, ".d"), (obj, ".o")):
            if made.exists():
                tmp = CACHE / f"{cached.name}{suffix}.{os.getpid()}.tmp"
                shutil.copyfile(made, tmp)
                os.replace(tmp, cached.with_suffix(suffix))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
