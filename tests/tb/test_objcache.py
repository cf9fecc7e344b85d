"""tb/objcache.py: runtime objects are compiled once per command line, everything else always."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tb import objcache


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A fake Verilator install and a fake compiler that logs each call and writes its output."""
    include = tmp_path / "verilator" / "include"
    include.mkdir(parents=True)
    (include / "verilated.cpp").write_text("int runtime;\n")
    (include / "verilated.h").write_text("// header\n")
    log = tmp_path / "calls.log"
    cxx = tmp_path / "fakecxx"
    cxx.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        'while [ $# -gt 0 ]; do if [ "$1" = -o ]; then shift; echo "obj $FLAG" > "$1"; '
        'echo "${1%.o}.o: dep" > "${1%.o}.d"; fi; shift; done\n'
    )
    cxx.chmod(cxx.stat().st_mode | stat.S_IEXEC)
    build = tmp_path / "build"
    build.mkdir()
    monkeypatch.setenv("VERILATOR_ROOT", str(include.parent))
    monkeypatch.setattr(objcache, "CACHE", tmp_path / "cache")
    monkeypatch.chdir(build)
    return {"include": include, "cxx": str(cxx), "log": log, "build": build}


def _calls(tree) -> int:
    return len(tree["log"].read_text().splitlines()) if tree["log"].exists() else 0


def _compile(tree, source: Path, *flags: str) -> int:
    return objcache.main([tree["cxx"], "-Os", *flags, "-c", "-o", "verilated.o", str(source)])


def test_runtime_object_compiled_once_then_copied(tree):
    src = tree["include"] / "verilated.cpp"
    assert _compile(tree, src) == 0 and _calls(tree) == 1
    first = (tree["build"] / "verilated.o").read_text()
    (tree["build"] / "verilated.o").unlink()
    (tree["build"] / "verilated.d").unlink()
    assert _compile(tree, src) == 0
    assert _calls(tree) == 1, "the second identical compile must come from the cache"
    assert (tree["build"] / "verilated.o").read_text() == first
    assert (tree["build"] / "verilated.d").read_text() == "verilated.o: dep\n"


def test_changed_flag_or_runtime_compiles_afresh(tree):
    src = tree["include"] / "verilated.cpp"
    _compile(tree, src)
    _compile(tree, src, "-DVM_COVERAGE=1")
    assert _calls(tree) == 2, "another define is another object"
    (tree["include"] / "verilated.h").write_text("// another Verilator install\n")
    _compile(tree, src)
    assert _calls(tree) == 3, "a changed runtime header is another object"


def test_design_sources_are_never_cached(tree):
    design = tree["build"] / "Vtop.cpp"
    design.write_text("int design;\n")
    _compile(tree, design)
    _compile(tree, design)
    assert _calls(tree) == 2


def test_failed_compile_is_not_stored(tree, monkeypatch):
    src = tree["include"] / "verilated.cpp"
    assert objcache.main(["false", "-c", "-o", "verilated.o", str(src)]) != 0
    assert not (objcache.CACHE.exists() and any(objcache.CACHE.iterdir()))
