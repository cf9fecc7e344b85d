"""TailExtending: the driver hands a window over packet by packet, moving TAILDESC while the
channel is busy with the packets before (what a driver does when it queues requests as they come).
TailExtendingDdiEnv and FastTailExtendingDdiEnv are it on either transport; make_tail_env picks the
toplevel's.

    env = await make_tail_env(dut, seed)
    await env.write_then_read(...)          # every window: first packet, then one tail move per packet
    assert env.busy_extensions > 0          # moves that found the channel running

The window's scoreboards, allowed ranges and checks are DdiEnv's (tb/env/ddi.py), built for the whole
window before the first packet is handed over; only the hand-over differs. The interrupt threshold
stays the window's packet count, so the driver still takes one event per window.
"""
from __future__ import annotations

from cocotb.triggers import ClockCycles

from tb.env.ddi import DdiEnv, env_class
from tb.env.ddi_fast import FastDdiEnv


class TailExtending:
    """The hand-over that moves the tail one packet at a time (module docstring), for either transport's
    DdiEnv (a mixin, as tb/env/ddi_errors.ErrorPath)."""

    def __init__(self, *args, gap_cycles: int = 40, **kw):
        super().__init__(*args, **kw)
        self.gap_cycles = gap_cycles    # cycles between two tail moves
        self.busy_extensions = 0        # tail moves that found the channel not idle
        self.tail_moves = 0
        self._window_of: dict = {}

    def _window_scoreboard(self, req, win) -> None:
        super()._window_scoreboard(req, win)
        self._window_of[req.direction] = win

    async def _give_to_hardware(self, ch: str, slots: list[int], npackets: int) -> None:
        win = self._window_of.get(ch)
        if win is None or len(win.packets) < 2:
            await super()._give_to_hardware(ch, slots, npackets)
            return
        ring = self.rings[ch]
        policy = self._irq_policy(npackets)
        for i, pk in enumerate(win.packets):
            if i == 0 and not self.started[ch]:
                await self.hw.start_chain(ch, ring.paddr(pk.slots[0]), ring.paddr(pk.slots[-1]), policy)
                self.started[ch] = True
            else:
                if i > 0:
                    await ClockCycles(self.dut.clk, self.gap_cycles)
                    if not (await self.hw.status(ch)).idle:
                        self.busy_extensions += 1
                await self.hw.extend_chain(ch, ring.paddr(pk.slots[-1]), policy)
            self.tail_moves += 1


class TailExtendingDdiEnv(TailExtending, DdiEnv):
    """On the per-beat transport (sgdma_tb)."""


class FastTailExtendingDdiEnv(TailExtending, FastDdiEnv):
    """On the fast transport (sgdma_fast_tb: tb/env/ddi_fast.py)."""


async def make_tail_env(dut, seed: int, **kw) -> TailExtendingDdiEnv | FastTailExtendingDdiEnv:
    """A started tail-extending env for the transport the toplevel was built for (tb/env/ddi.env_class)."""
    env = (FastTailExtendingDdiEnv if env_class(dut) is FastDdiEnv else TailExtendingDdiEnv)(dut, seed, **kw)
    await env.start()
    return env
