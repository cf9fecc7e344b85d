"""Pause generators: the one place stalls are made, for cocotbext-axi's set_pause_generator and for the
block tests' own valid/ready drivers.

- `random_pauses(rng, p)`: True (pause) with probability p each cycle, drawn from `rng` as it goes.
- `repeating_pauses(rng, p, length)`: a pattern of `length` draws, repeated (cheap per cycle).
- `pause_pattern(seed, name, p)`: a repeating pattern from (seed, name) only, so the same seed gives
  the same stalls on that channel whatever else draws random numbers.
- `cycle_pause()`: verilog-axi's fixed 1-1-1-0 pattern.
- `idle_backpressure_matrix()`: the (idle, backpressure) pairs a test runs over, as verilog-axi's tests
  do with TestFactory's `idle_inserter` / `backpressure_inserter` options: each entry is None (no
  stall) or a factory returning a fresh generator.
"""
from __future__ import annotations

import itertools
import random


def random_pauses(rng: random.Random, p: float):
    """Endless: True with probability p, one draw of `rng` per cycle."""
    while True:
        yield rng.random() < p


def repeating_pauses(rng: random.Random, p: float, length: int):
    """Endless: `length` draws of `rng` (True with probability p), repeated."""
    return itertools.cycle([rng.random() < p for _ in range(length)])


def pause_pattern(seed, name: str, p: float, length: int = 4093):
    """A replayable pause generator determined by (seed, name) only."""
    return repeating_pauses(random.Random(f"{seed}:{name}"), p, length)


def cycle_pause():
    """verilog-axi's cycle_pause: paused three cycles of four."""
    return itertools.cycle([1, 1, 1, 0])


def idle_backpressure_matrix():
    """[(idle, backpressure)]: every combination of no stall and cycle_pause, as verilog-axi runs them."""
    options = (None, cycle_pause)
    return list(itertools.product(options, options))


def axi_channels(model) -> list:
    """Every channel of a cocotbext-axi AXI or AXI-Lite master or slave model (write side, then read)."""
    out = []
    if getattr(model, "write_if", None) is not None:
        w = model.write_if
        out += [w.aw_channel, w.w_channel, w.b_channel]
    if getattr(model, "read_if", None) is not None:
        r = model.read_if
        out += [r.ar_channel, r.r_channel]
    return out


def pause_all(models, make_pauses) -> None:
    """A fresh pause generator (`make_pauses()`) on every channel of every model, in order."""
    for model in models:
        for channel in axi_channels(model):
            channel.set_pause_generator(make_pauses())
