"""A block device on the DMA's streams: 512-byte blocks in a numpy array, addressed by block number.

- MM2S (memory to device, a write to the disk): BlockDeviceSink takes each packet from the DUT's
  stream master and stores it at block TUSER (= the SOF descriptor's USER word = b_blkno).
- S2MM (device to memory, a read from the disk): BlockDeviceSource sends `nbytes` read from block
  b_blkno as one packet ending with TLAST.
Both check the stream contract on every packet: TKEEP all ones on every beat but the last, the last
beat's TKEEP a packed run from lane 0, and (when an expectation was queued) TLAST after exactly the
expected number of bytes and TUSER equal to the expected block number.
BlockStore and check_packet_beats are pure Python; the cocotb classes import cocotbext-axi lazily.
"""
from __future__ import annotations

from collections import deque

import numpy as np

BLOCK_SIZE = 512


class BlockDeviceError(AssertionError):
    """A packet broke the stream contract or an expectation; the message names packet and beat."""


class BlockStore:
    """`nblocks` blocks of BLOCK_SIZE bytes, initially a per-block pattern (block number in the first
    bytes, then a seeded fill) so that reads of different blocks differ."""

    def __init__(self, nblocks: int, seed: int = 0, block_size: int = BLOCK_SIZE):
        if nblocks <= 0:
            raise ValueError(f"nblocks must be positive, not {nblocks}")
        self.block_size = block_size
        self.nblocks = nblocks
        rng = np.random.default_rng(seed)
        self.data = rng.integers(0, 256, size=nblocks * block_size, dtype=np.uint8)
        for blk in range(nblocks):
            self.data[blk * block_size:blk * block_size + 4] = np.frombuffer(blk.to_bytes(4, "little"),
                                                                                 dtype=np.uint8)

    def _span(self, blkno: int, nbytes: int) -> slice:
        start = blkno * self.block_size
        if blkno < 0 or nbytes < 0 or start + nbytes > len(self.data):
            raise BlockDeviceError(f"block {blkno} + {nbytes} bytes is outside the device "
                                   f"({self.nblocks} blocks of {self.block_size})")
        return slice(start, start + nbytes)

    def read(self, blkno: int, nbytes: int) -> bytes:
        return self.data[self._span(blkno, nbytes)].tobytes()

    def write(self, blkno: int, data) -> None:
        buf = np.frombuffer(bytes(data), dtype=np.uint8)
        self.data[self._span(blkno, len(buf))] = buf


def check_packet_beats(tkeep_lanes, data_bytes: int, packet: int = 0) -> int:
    """Check the per-lane TKEEP of one packet (one 0/1 entry per lane of every beat, as
    AxiStreamSink.recv(compact=False) returns it); returns the packet's byte count."""
    lanes = list(tkeep_lanes)
    if not lanes or len(lanes) % data_bytes:
        raise BlockDeviceError(f"packet {packet}: {len(lanes)} lane flags is not whole beats of {data_bytes}")
    nbeats = len(lanes) // data_bytes
    for beat in range(nbeats):
        keep = lanes[beat * data_bytes:(beat + 1) * data_bytes]
        value = sum(1 << i for i, k in enumerate(keep) if k)
        if beat < nbeats - 1:
            if value != (1 << data_bytes) - 1:
                raise BlockDeviceError(f"packet {packet}, beat {beat}: TKEEP {value:#x} before the TLAST "
                                       f"beat (must be all ones)")
        elif value == 0 or value & (value + 1):
            raise BlockDeviceError(f"packet {packet}, beat {beat} (TLAST): TKEEP {value:#x} is not a packed "
                                   f"run of bytes from lane 0")
    return (nbeats - 1) * data_bytes + bin(value).count("1")


class PacketExpectations:
    """Queue of (block number, byte count) the next packets must match, in order."""

    def __init__(self):
        self.queue = deque()

    def expect(self, blkno: int, nbytes: int) -> None:
        self.queue.append((blkno, nbytes))

    def check(self, packet: int, blkno: int, nbytes: int) -> None:
        if not self.queue:
            return
        want_blk, want_len = self.queue.popleft()
        if nbytes != want_len:
            raise BlockDeviceError(f"packet {packet}: TLAST after {nbytes} bytes, expected {want_len} "
                                   f"(wrong TLAST position)")
        if blkno != want_blk:
            raise BlockDeviceError(f"packet {packet}: TUSER (block number) {blkno}, expected {want_blk}")


class BlockDeviceSink:
    """MM2S side: an AxiStreamSink on `bus` writing each packet to `store` at block TUSER."""

    def __init__(self, bus, clock, reset, store: BlockStore, *, pause=None):
        import cocotb
        from cocotbext.axi import AxiStreamSink

        self.sink = AxiStreamSink(bus, clock, reset)
        if pause is not None:
            self.sink.set_pause_generator(pause)
        self.store = store
        self.data_bytes = self.sink.byte_lanes
        self.expectations = PacketExpectations()
        self.packets = 0
        self.received = []        # (blkno, nbytes) per packet
        self._task = cocotb.start_soon(self._run())

    def expect(self, blkno: int, nbytes: int) -> None:
        self.expectations.expect(blkno, nbytes)

    async def _run(self):
        while True:
            frame = await self.sink.recv(compact=False)
            self.take(frame.tdata, frame.tkeep, frame.tuser)

    def take(self, tdata, tkeep, tuser) -> None:
        """Check one received packet (per-lane lists) and store its kept bytes at block TUSER."""
        packet = self.packets
        self.packets += 1
        nbytes = check_packet_beats(tkeep, self.data_bytes, packet)
        users = set(tuser) if isinstance(tuser, list) else {tuser}
        if len(users) != 1:
            raise BlockDeviceError(f"packet {packet}: TUSER changes within the packet: {sorted(users)}")
        blkno = users.pop()
        self.expectations.check(packet, blkno, nbytes)
        self.store.write(blkno, bytes(tdata[:nbytes]))
        self.received.append((blkno, nbytes))

    async def wait_packets(self, count: int) -> None:
        from cocotb.triggers import RisingEdge

        while self.packets < count:
            await RisingEdge(self.sink.clock)


class BlockDeviceSource:
    """S2MM side: an AxiStreamSource on `bus` sending blocks read from `store` as packets."""

    def __init__(self, bus, clock, reset, store: BlockStore, *, pause=None):
        from cocotbext.axi import AxiStreamSource

        self.source = AxiStreamSource(bus, clock, reset)
        if pause is not None:
            self.source.set_pause_generator(pause)
        self.store = store

    async def send_blocks(self, blkno: int, nbytes: int) -> bytes:
        """Send `nbytes` from block `blkno` as one packet (TLAST on its last beat); returns the bytes."""
        from cocotbext.axi import AxiStreamFrame

        data = self.store.read(blkno, nbytes)
        await self.source.send(AxiStreamFrame(data))
        return data

    async def wait(self) -> None:
        await self.source.wait()
