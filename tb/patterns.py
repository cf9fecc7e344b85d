"""Data patterns of the tests, dmatest style: source bytes have bit 7 set, destination bytes bit 7 clear,
so a destination byte never looks like a source byte and a misplaced byte shows."""
from __future__ import annotations

import random

import numpy as np

SRC_BIT = 0x80


def src_pattern(addr: int, length: int) -> bytes:
    """Source bytes that depend on their address (neighbours differ; bit 7 set)."""
    return bytes(SRC_BIT | (((a * 37) ^ (a >> 7)) & 0x7F) for a in range(addr, addr + length))


def src_random(seed: int, length: int) -> bytes:
    """Seeded random source bytes (bit 7 set), for buffers whose address is not known in advance."""
    return (np.random.default_rng(seed).integers(0, 0x80, length, dtype=np.uint8) | SRC_BIT).tobytes()


def stream_pattern(seed: int, length: int) -> bytes:
    """S2MM stream bytes: bit 7 clear (a destination byte never looks like a source byte)."""
    rng = random.Random(seed)
    return bytes(rng.randrange(0, 0x80) for _ in range(length))
