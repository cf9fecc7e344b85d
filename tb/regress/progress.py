"""Progress a person can follow during a long regression, locally or on a cluster.

Each failure is printed the moment its result arrives (with the command that replays it); a status line
(done of total, failed, elapsed, time left) is printed at most every `interval` seconds and at the end.
The time left is the mean time per finished task so far times the tasks still to finish, which is what a
run of similar tasks spread over a steady set of workers converges to.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def fmt_seconds(s: float) -> str:
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}h{m:02d}m{sec:02d}s" if h else f"{m}m{sec:02d}s" if m else f"{sec}s"


class Progress:
    """Counts finished tasks and prints failures at once and a status line now and then."""

    def __init__(self, total: int, print_fn: Callable[[str], None] = print, interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.total = total
        self.print = print_fn
        self.interval = interval
        self.clock = clock
        self.t0 = clock()
        self.last_status = self.t0
        self.finished = 0
        self.failures: list[tuple[str, str, str]] = []  # (name, message, replay)
        self.stop_at: float | None = None  # clock time after which no task starts (--stop-after)
        self.running: Callable[[], int] | None = None  # tasks started or queued on a worker (Dask)
        self.final_printed = False

    def done(self, name: str, passed: bool, seconds: float, replay: str, message: str = "") -> None:
        self.finished += 1
        if not passed:
            self.failures.append((name, message, replay))
            self.print(f"FAILED [{self.finished}/{self.total}] {name} ({seconds:.1f} s): {message}")
            self.print(f"  replay: {replay}")

    def eta(self, now: float) -> float | None:
        if not self.finished:
            return None
        return (now - self.t0) / self.finished * (self.total - self.finished)

    def status(self, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        eta = self.eta(now)
        left = "unknown" if eta is None else fmt_seconds(eta)
        stop = ""
        if self.stop_at is not None and self.finished < self.total:
            stop = f" (no new task after {fmt_seconds(max(0.0, self.stop_at - now))})"
        running = f"{self.running()} on workers, " if self.running and self.finished < self.total else ""
        return (f"progress: {self.finished}/{self.total} done, {running}{len(self.failures)} failed, "
                f"elapsed {fmt_seconds(now - self.t0)}, time left ~{left}{stop}")

    def maybe_status(self, now: float | None = None) -> None:
        now = self.clock() if now is None else now
        final = self.finished >= self.total
        if (now - self.last_status >= self.interval and not final) or (final and not self.final_printed):
            self.last_status = now
            self.final_printed = final
            self.print(self.status(now))
