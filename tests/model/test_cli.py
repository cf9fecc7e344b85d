"""The command line `python -m pyddi_model bind`: exit codes 0/1/2, one-line errors, JSON, table."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pyddi_model.cli import main, parse_number

ROOT = Path(__file__).resolve().parents[2]
DEMO = ["bind", "--size", "1M", "--offset", "0x234", "--contiguity", "0.5", "--seed", "7", "--sgllen", "17",
        "--count-max", "0xFFFF", "--seg", "0xFFFFFFFF", "--granular", "512", "--partial"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "pyddi_model", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_makefile_demo_command_works():
    """The `make demo` command: PARTIAL_MAP, windows of <= 17 cookies, granular-multiple windows."""
    r = run(*DEMO)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout.startswith("result: DDI_DMA_PARTIAL_MAP")
    assert "more" in r.stdout          # long cookie list abbreviated
    res = json.loads(run(*DEMO, "--json").stdout)
    assert res["result"] == "DDI_DMA_PARTIAL_MAP"
    assert sum(w["length"] for w in res["windows"]) == 1 << 20
    assert all(w["ncookies"] <= 17 for w in res["windows"])
    assert all(w["length"] % 512 == 0 for w in res["windows"][:-1])
    assert all(size <= 0x10000 for w in res["windows"] for _, size in w["cookies"])


def test_json_explicit_frames_illumos_early_close():
    r = run("bind", "--frames", "0x10,0x11,0x12,0x13,0x14,0x15", "--count-max", "0x2FFF", "--illumos",
            "--json")
    assert r.returncode == 0
    res = json.loads(r.stdout)
    assert res["cookies"] == [[0x10000, 0x2000], [0x12000, 0x2000], [0x14000, 0x2000]]
    assert res["mode"] == "illumos"


def test_all_shows_every_cookie():
    r = run("bind", "--size", "256K", "--all")
    assert r.returncode == 0 and "more" not in r.stdout
    assert len([ln for ln in r.stdout.splitlines() if ln.strip().startswith("0x") or "0x" in ln]) > 60


def test_failing_bind_prints_result_and_exits_1():
    """A failing bind is a result, not bad input: printed, exit status 1."""
    r = run("bind", "--frames", "0x10,0x20", "--sgllen", "1")
    assert r.returncode == 1
    assert r.stdout.startswith("result: DDI_DMA_TOOBIG")
    res = json.loads(run("bind", "--frames", "0x10,0x20", "--sgllen", "1", "--json").stdout)
    assert res["result"] == "DDI_DMA_TOOBIG" and res["cookies"] == []


def test_above_4g_bounces_under_a_32bit_addr_hi():
    res = json.loads(run("bind", "--size", "16K", "--above-4g", "--json").stdout)
    assert res["copy_buffer_pages"] == 4
    assert all(a + s - 1 <= 0xFFFFFFFF for a, s in res["cookies"])
    assert all(p >= 1 << 32 for p in res["pages"])


@pytest.mark.parametrize("args", [
    ["bind", "--size", "0"], ["bind", "--size", "1Q"], ["bind", "--sgllen", "0"], ["bind", "--bogus"],
    ["bind", "--offset", "0x1000"], ["bind", "--contiguity", "1.5"],
    ["bind", "--frames", "0x10", "--size", "8K"],
    ["bind", "--pagesize", "1000"], ["bind", "--addr-hi", "0"], ["bind", "--frames", ","], [], ["nope"],
    ["bind", "--size", "5G"], ["bind", "--count-max", "-1"], ["bind", "--frames", "0"],
])
def test_bad_input_one_line_exit_2(args, capsys):
    """Bad input: exactly one line on stderr, exit status 2, never a traceback (in process)."""
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("python -m pyddi_model: error:")


def test_bad_input_through_the_interpreter():
    r = run("bind", "--granular", "0")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_help_has_examples():
    r = run("bind", "--help")
    assert r.returncode == 0
    assert r.stdout.count("python -m pyddi_model bind") >= 2


def test_main_in_process(capsys):
    assert main(["bind", "--frames", "0x10,0x11", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cookies"] == [[0x10000, 0x2000]]


@pytest.mark.parametrize("text,value", [("4096", 4096), ("0x1000", 4096), ("4K", 4096), ("1M", 1 << 20),
                                        ("0x10K", 0x4000), ("-1", -1), ("1G", 1 << 30)])
def test_parse_number(text, value):
    assert parse_number(text) == value
