#!/usr/bin/env bash
# A real Dask scheduler and WORKERS workers on 127.0.0.1, started with the same commands as on a cluster
# (README, "Regression"), one distributed regression through them, then all of them shut down.
#   WORKERS=2 DASK_PORT=8786 scripts/regress_loopback.sh [python -m tb.regress options...]
# Logs of the scheduler and workers: build/regress/loopback/.
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${WORKERS:-2}
port=${DASK_PORT:-8786}
logs=build/regress/loopback
mkdir -p "$logs"
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
.venv/bin/python -m dask scheduler --host 127.0.0.1 --port "$port" --no-dashboard >"$logs/scheduler.log" 2>&1 &
pids+=($!)
for i in $(seq "$workers"); do
  PYTHONPATH=$PWD .venv/bin/python -m dask worker "tcp://127.0.0.1:$port" --host 127.0.0.1 --nthreads 1 \
    --no-dashboard --name "loopback-$i" >"$logs/worker-$i.log" 2>&1 &
  pids+=($!)
done
.venv/bin/python -m tb.regress --scheduler "tcp://127.0.0.1:$port" --wait-workers "$workers" \
  --connect-timeout 60s "$@"
