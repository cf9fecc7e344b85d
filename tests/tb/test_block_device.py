"""tb/block_device.py pure-Python parts: the block store, the TKEEP/TLAST packet checks and the
sink's packet handling (negative controls for each check)."""
from __future__ import annotations

import pytest

from tb.block_device import (
    BLOCK_SIZE,
    BlockDeviceError,
    BlockDeviceSink,
    BlockStore,
    PacketExpectations,
    check_packet_beats,
)


def lanes(keeps, width=8):
    return [(k >> i) & 1 for k in keeps for i in range(width)]


def test_store_blocks_differ_and_round_trip():
    store = BlockStore(8, seed=3)
    assert store.read(1, BLOCK_SIZE) != store.read(2, BLOCK_SIZE)
    assert store.read(5, 4) == (5).to_bytes(4, "little")
    store.write(3, b"abc" * 200)
    assert store.read(3, 600) == b"abc" * 200          # spans into block 4
    assert BlockStore(8, seed=3).read(0, 4096) == BlockStore(8, seed=3).read(0, 4096)


def test_store_rejects_access_beyond_the_device():
    store = BlockStore(4)
    with pytest.raises(BlockDeviceError, match=r"block 3 \+ 513 bytes is outside the device \(4 blocks"):
        store.read(3, 513)
    with pytest.raises(BlockDeviceError, match="outside the device"):
        store.write(-1, b"x")


def test_packet_beats_accepts_packed_streams():
    assert check_packet_beats(lanes([0xFF, 0xFF, 0x07]), 8) == 19
    assert check_packet_beats(lanes([0xFF]), 8) == 8
    assert check_packet_beats(lanes([0x01]), 8) == 1


@pytest.mark.parametrize("keeps, message", [
    ([0xFF, 0x7F, 0x07], r"packet 0, beat 1: TKEEP 0x7f before the TLAST beat"),
    ([0xFF, 0x05], r"packet 0, beat 1 \(TLAST\): TKEEP 0x5 is not a packed run"),
    ([0xFF, 0xF0], r"beat 1 \(TLAST\): TKEEP 0xf0"),
    ([0xFF, 0x00], r"beat 1 \(TLAST\): TKEEP 0x0"),
])
def test_packet_beats_rejects_bad_keep(keeps, message):
    with pytest.raises(BlockDeviceError, match=message):
        check_packet_beats(lanes(keeps), 8)


def test_expectations_check_tlast_position_and_block():
    exp = PacketExpectations()
    exp.expect(7, 1024)
    exp.expect(9, 512)
    exp.check(0, 7, 1024)
    with pytest.raises(BlockDeviceError, match=r"packet 1: TLAST after 520 bytes, expected 512"):
        exp.check(1, 9, 520)
    exp.expect(4, 16)
    with pytest.raises(BlockDeviceError, match=r"packet 2: TUSER \(block number\) 5, expected 4"):
        exp.check(2, 5, 16)


def sink_without_simulator(store):
    """BlockDeviceSink.take only: the packet handling without a cocotb bus."""
    sink = BlockDeviceSink.__new__(BlockDeviceSink)
    sink.store, sink.data_bytes = store, 8
    sink.expectations, sink.packets, sink.received = PacketExpectations(), 0, []
    return sink


def test_sink_stores_packets_at_tuser_block():
    store = BlockStore(16)
    sink = sink_without_simulator(store)
    payload = bytes(range(19))
    tdata = list(payload) + [0xEE] * 5                  # lanes past TKEEP carry junk
    after = store.read(6, 24)[19:]
    sink.expect(6, 19)
    sink.take(tdata, lanes([0xFF, 0xFF, 0x07]), [6] * 24)
    assert store.read(6, 19) == payload
    assert store.read(6, 24)[19:] == after, "bytes without TKEEP must not be stored"
    assert sink.received == [(6, 19)]


def test_sink_rejects_tuser_change_and_wrong_length():
    sink = sink_without_simulator(BlockStore(16))
    with pytest.raises(BlockDeviceError, match=r"packet 0: TUSER changes within the packet: \[2, 3\]"):
        sink.take([0] * 16, lanes([0xFF, 0xFF]), [2] * 8 + [3] * 8)
    sink.expect(2, 8)
    with pytest.raises(BlockDeviceError, match=r"packet 1: TLAST after 16 bytes, expected 8"):
        sink.take([0] * 16, lanes([0xFF, 0xFF]), [2] * 16)
