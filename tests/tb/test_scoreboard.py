"""tb/scoreboard.py against synthetic beat traces: a clean trace passes, each kind of wrong trace fails
with a message that names the cookie, descriptor, beat and byte offset (negative controls)."""
from __future__ import annotations

import random

import pytest

from tb.scoreboard import (
    ReadScoreboard,
    ScoreboardError,
    WriteScoreboard,
    s2mm_fill,
    segments_from_cookies,
)

B = 8  # bytes per beat (64-bit bus)
COOKIES = [(0x10003, 0x35), (0x20FF0, 0x30), (0x31000, 0x100)]   # unaligned, crosses 4 KiB, aligned


def make_data(n, seed=1):
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def bursts_for(addr, nbytes, max_beats=4):
    """(AxADDR, AxLEN) of an ideal DMA: first burst at the buffer address, then word aligned, at most
    max_beats beats, never across 4 KiB."""
    out = []
    word = addr // B
    last = (addr + nbytes - 1) // B
    first_addr = addr
    while word <= last:
        beats = min(max_beats, last - word + 1, (0x1000 - (word * B) % 0x1000) // B)
        out.append((first_addr, beats - 1))
        word += beats
        first_addr = word * B
    return out


def memory_with(segments, data, garbage_seed=7):
    """A byte map holding the transfer's bytes at the descriptors' addresses and garbage around them."""
    rng = random.Random(garbage_seed)
    mem = {}
    for s in segments:
        for a in range(s.addr - 16, s.addr + s.length + 16):
            mem.setdefault(a, rng.randrange(256))
    for s in segments:
        for i in range(s.length):
            mem[s.addr + i] = data[s.offset + i]
    return mem


def word_at(mem, word):
    return int.from_bytes(bytes(mem.get(word * B + i, 0) for i in range(B)), "little")


def read_trace(segments, data, max_beats=4):
    """(ARs, R beats, stream beats) of a correct MM2S run of one packet."""
    mem = memory_with(segments, data)
    ars, rs = [], []
    for s in segments:
        for addr, length in bursts_for(s.addr, s.length, max_beats):
            ars.append((0, addr, length, 3))
            for k in range(length + 1):
                rs.append((0, word_at(mem, addr // B + k), 0, int(k == length)))
    total = sum(s.length for s in segments)
    flat = data[:total]
    stream = []
    for i in range(0, total, B):
        chunk = flat[i:i + B]
        stream.append((int.from_bytes(chunk.ljust(B, b"\0"), "little"), (1 << len(chunk)) - 1,
                       int(i + B >= total), 0x55))
    return ars, rs, stream


def run_read(segments, data, ars, rs, stream, **kw):
    sb = ReadScoreboard(segments, data, B, users=[0x55], **kw)
    # the address channel runs ahead of data, as on a real bus
    for ar in ars:
        sb.on_ar(*ar)
    for r in rs:
        sb.on_r(*r)
    for beat in stream:
        sb.on_stream(*beat)
    sb.finish()
    return sb


@pytest.fixture
def read_case():
    segments = segments_from_cookies(COOKIES, max_desc_len=0x40)
    data = make_data(sum(s.length for s in segments))
    return segments, data, *read_trace(segments, data)


def test_segments_split_cookies_in_order():
    segs = segments_from_cookies(COOKIES, max_desc_len=0x40)
    assert [(s.cookie, s.desc, s.addr, s.length) for s in segs] == [
        (0, 0, 0x10003, 0x35), (1, 1, 0x20FF0, 0x30),
        (2, 2, 0x31000, 0x40), (2, 3, 0x31040, 0x40), (2, 4, 0x31080, 0x40), (2, 5, 0x310C0, 0x40)]
    assert segs[3].offset == 0x35 + 0x30 + 0x40 and segs[3].cookie_offset == 0x40
    with pytest.raises(ValueError, match="cookie 1: size 0"):
        segments_from_cookies([(0, 4), (8, 0)])


def test_clean_read_trace_passes(read_case):
    segments, data, ars, rs, stream = read_case
    sb = run_read(segments, data, ars, rs, stream)
    assert sb.r_beats == len(rs) and sb.stream_beats == len(stream)


def test_clean_read_trace_with_other_ids_interleaved(read_case):
    """Descriptor fetches (ID 1) between data bursts are ignored by the data check."""
    segments, data, ars, rs, stream = read_case
    sb = ReadScoreboard(segments, data, B)
    for ar in ars:
        sb.on_ar(1, 0x9000, 3, 3)
        sb.on_ar(*ar)
    for r in rs:
        sb.on_r(1, 0xDEAD, 0, 0)
        sb.on_r(*r)
    for beat in stream:
        sb.on_stream(*beat[:3])
    sb.finish()


def test_bytes_outside_the_buffer_in_edge_words_are_not_compared(read_case):
    """The first word of an unaligned buffer carries bytes before it: the bus may read them."""
    segments, data, ars, rs, stream = read_case
    rid, rdata, rresp, rlast = rs[0]
    rs[0] = (rid, rdata ^ 0xFF, rresp, rlast)      # lane 0 is address 0x10000, before the buffer 0x10003
    run_read(segments, data, ars, rs, stream)


def test_read_burst_past_cookie_end_fails(read_case):
    segments, data, ars, rs, stream = read_case
    ars[0] = (0, ars[0][1], ars[0][2] + 5, 3)
    with pytest.raises(ScoreboardError, match=r"AR: cookie 0, descriptor 0, burst 0: .*outside cookie"):
        run_read(segments, data, ars, rs, stream)


def test_read_burst_before_cookie_start_fails(read_case):
    segments, data, ars, rs, stream = read_case
    ars[0] = (0, 0x0FFF8, 1, 3)
    with pytest.raises(ScoreboardError,
                       match=r"AR: cookie 0, descriptor 0, burst 0: starts at 0xfff8.*outside"):
        run_read(segments, data, ars, rs, stream)


def test_read_bursts_out_of_order_fail(read_case):
    segments, data, ars, rs, stream = read_case
    ars[0], ars[1] = ars[1], ars[0]
    with pytest.raises(ScoreboardError, match=r"AR: cookie 0, descriptor 0, burst 0: .*out of order|outside"):
        run_read(segments, data, ars, rs, stream)
    ars[0], ars[1] = ars[1], ars[0]
    ars[2], ars[3] = ars[3], ars[2]        # skips a burst inside descriptor 0
    with pytest.raises(ScoreboardError, match=r"out of order"):
        run_read(segments, data, ars, rs, stream)


def test_read_skipped_descriptor_fails(read_case):
    segments, data, ars, rs, stream = read_case
    first_of_desc1 = next(i for i, ar in enumerate(ars) if ar[1] == 0x20FF0)
    del ars[first_of_desc1:first_of_desc1 + 2]       # descriptor 1 is 0x30 bytes = 2 bursts
    with pytest.raises(ScoreboardError, match=r"AR: cookie 1, descriptor 1, burst \d+: starts at 0x31000"):
        run_read(segments, data, ars, rs, stream)


def test_read_wrong_data_names_cookie_descriptor_beat_and_offset(read_case):
    segments, data, ars, rs, stream = read_case
    # descriptor 3 = cookie 2 bytes 0x40..0x7f at 0x31040; its first R beat is after 7+6+8 = 21 beats
    beat = sum(len(range(s.addr // B, (s.addr + s.length - 1) // B + 1)) for s in segments[:3])
    rid, rdata, rresp, rlast = rs[beat + 1]
    rs[beat + 1] = (rid, rdata ^ (0x01 << 8 * 5), rresp, rlast)       # lane 5 of the 2nd word
    with pytest.raises(ScoreboardError) as err:
        run_read(segments, data, ars, rs, stream)
    assert str(err.value).startswith(
        f"R: cookie 2, descriptor 3, beat {beat + 1}, byte offset 0x4d in cookie (address 0x3104d)")
    assert "wrong data" in str(err.value)


def test_read_wrong_rlast_fails(read_case):
    segments, data, ars, rs, stream = read_case
    rid, rdata, rresp, _ = rs[0]
    rs[0] = (rid, rdata, rresp, 1)
    with pytest.raises(ScoreboardError, match=r"R: cookie 0, descriptor 0, beat 0: RLAST 1 on beat 0"):
        run_read(segments, data, ars, rs, stream)


def test_read_error_response_skips_data_compare(read_case):
    segments, data, ars, rs, stream = read_case
    rid, rdata, _, rlast = rs[3]
    rs[3] = (rid, 0, 2, rlast)
    sb = run_read(segments, data, ars, rs, stream)
    assert sb.error_responses == 1


def test_stream_wrong_keep_fails(read_case):
    segments, data, ars, rs, stream = read_case
    tdata, tkeep, tlast, tuser = stream[2]
    stream[2] = (tdata, 0x7F, tlast, tuser)
    with pytest.raises(ScoreboardError,
                       match=r"stream: packet 0, cookie 0, descriptor 0, beat 2, byte offset "
                                              r"0x10 in cookie: TKEEP 0x7f, expected 0xff \(wrong keep\)"):
        run_read(segments, data, ars, rs, stream)


def test_stream_last_beat_keep_must_be_packed(read_case):
    segments, data, ars, rs, stream = read_case
    tdata, tkeep, tlast, tuser = stream[-1]
    assert tkeep != 0xFF, "the case must end on a partial beat"
    stream[-1] = (tdata, 0xFF, tlast, tuser)
    with pytest.raises(ScoreboardError, match=r"wrong keep"):
        run_read(segments, data, ars, rs, stream)


def test_stream_wrong_last_fails(read_case):
    segments, data, ars, rs, stream = read_case
    tdata, tkeep, _, tuser = stream[5]
    stream[5] = (tdata, tkeep, 1, tuser)
    with pytest.raises(ScoreboardError, match=r"stream: packet 0, cookie 0, descriptor 0, beat 5, .*TLAST 1, "
                                              r"expected 0 \(wrong last\)"):
        run_read(segments, data, ars, rs, stream)
    stream[5] = (tdata, tkeep, 0, tuser)
    tdata, tkeep, _, tuser = stream[-1]
    stream[-1] = (tdata, tkeep, 0, tuser)
    with pytest.raises(ScoreboardError, match=r"TLAST 0, expected 1"):
        run_read(segments, data, ars, rs, stream)


def test_stream_wrong_data_and_user_fail(read_case):
    segments, data, ars, rs, stream = read_case
    tdata, tkeep, tlast, tuser = stream[7]             # bytes 0x38..0x3f: cookie 1 starts at 0x35
    stream[7] = (tdata ^ (0xFF << 8 * 4), tkeep, tlast, tuser)
    with pytest.raises(ScoreboardError,
                       match=r"stream: packet 0, cookie 1, descriptor 1, beat 7, byte offset "
                                              r"0x7 in cookie: .*wrong data"):
        run_read(segments, data, ars, rs, stream)
    stream[7] = (tdata, tkeep, tlast, 0x56)
    with pytest.raises(ScoreboardError, match=r"TUSER 0x56, expected 0x55 \(wrong user\)"):
        run_read(segments, data, ars, rs, stream)


def test_read_finish_reports_missing_traffic(read_case):
    segments, data, ars, rs, stream = read_case
    with pytest.raises(ScoreboardError, match=r"AR: descriptors not fully read"):
        run_read(segments, data, ars[:-1], rs[:-(ars[-1][2] + 1)], stream)
    with pytest.raises(ScoreboardError, match=r"R: 1 data burst\(s\) still waiting for beats"):
        run_read(segments, data, ars, rs[:-1], stream)
    with pytest.raises(ScoreboardError, match=r"stream: 0 of 1 packets seen"):
        run_read(segments, data, ars, rs, stream[:-1])


# ------------------------------------------------------------------------------------------------
def write_trace(segments, packets, packet_segments=None, max_beats=4):
    """(AWs, W beats, Bs) of a correct S2MM run: each descriptor's bytes, strobes exact."""
    fill = s2mm_fill(segments, packets, packet_segments)
    if packet_segments is None:
        packet_segments = [list(range(len(segments)))]
    payload = {}
    for p, ids in zip(packets, packet_segments, strict=True):
        pos = 0
        for i in ids:
            payload[i] = p[pos:pos + fill[i]]
            pos += fill[i]
    aws, ws, bs = [], [], []
    for s in segments:
        n = fill[s.desc]
        if not n:
            continue
        mem = {s.addr + i: payload[s.desc][i] for i in range(n)}
        for addr, length in bursts_for(s.addr, n, max_beats):
            aws.append((0, addr, length, 3))
            for k in range(length + 1):
                word = addr // B + k
                strb = sum(1 << lane for lane in range(B) if word * B + lane in mem)
                wdata = int.from_bytes(bytes(mem.get(word * B + lane, 0) for lane in range(B)), "little")
                ws.append((wdata, strb, int(k == length)))
            bs.append((0, 0))
    return aws, ws, bs


def run_write(segments, packets, aws, ws, bs, packet_segments=None, w_first=False):
    sb = WriteScoreboard(segments, packets, B, packet_segments)
    if w_first:                       # all W data ahead of the addresses (AXI allows it)
        for w in ws:
            sb.on_w(*w)
        for aw in aws:
            sb.on_aw(*aw)
    else:
        wi = 0
        for aw in aws:                # each AW with its beats, a status write (ID 2) in between
            sb.on_aw(*aw)
            for _ in range(aw[2] + 1):
                sb.on_w(*ws[wi])
                wi += 1
            sb.on_aw(2, 0x8000, 0, 3)
            sb.on_w(0x1234, 0xFF, 1)
    for b in bs:
        sb.on_b(*b)
    sb.finish()
    return sb


@pytest.fixture
def write_case():
    segments = segments_from_cookies(COOKIES, max_desc_len=0x40)
    packets = [make_data(sum(s.length for s in segments), seed=3)]
    return segments, packets, *write_trace(segments, packets)


@pytest.mark.parametrize("w_first", [False, True])
def test_clean_write_trace_passes(write_case, w_first):
    segments, packets, aws, ws, bs = write_case
    sb = run_write(segments, packets, aws, ws, bs, w_first=w_first)
    assert sb.w_beats == len(ws)


def test_short_packet_fills_only_its_first_buffers():
    """TLAST early: the packet's remaining buffers get no traffic (sgdma S2MM packet semantics)."""
    segments = segments_from_cookies([(0x4000, 0x40), (0x5004, 0x40), (0x6000, 0x40)])
    packets = [make_data(0x50, seed=4), make_data(0x20, seed=5)]
    packet_segments = [[0, 1], [2]]
    assert s2mm_fill(segments, packets, packet_segments) == [0x40, 0x10, 0x20]
    aws, ws, bs = write_trace(segments, packets, packet_segments)
    run_write(segments, packets, aws, ws, bs, packet_segments)
    # a DUT writing the whole second buffer would strobe bytes the packet does not fill
    aws2, ws2, bs2 = write_trace(segments, [make_data(0x80, seed=4), packets[1]], packet_segments)
    with pytest.raises(ScoreboardError, match=r"W: cookie 1, descriptor 1, .*strobe on a byte the packet"):
        run_write(segments, packets, aws2, ws2, bs2, packet_segments)


def test_overflow_fills_every_buffer_and_drops_the_rest():
    segments = segments_from_cookies([(0x4000, 0x10), (0x5000, 0x10)])
    assert s2mm_fill(segments, [bytes(0x30)]) == [0x10, 0x10]


def test_write_strobe_outside_cookie_fails(write_case):
    segments, packets, aws, ws, bs = write_case
    wdata, strb, wlast = ws[0]
    ws[0] = (wdata, strb | 0x01, wlast)              # address 0x10000, before the buffer at 0x10003
    with pytest.raises(ScoreboardError) as err:
        run_write(segments, packets, aws, ws, bs)
    assert str(err.value) == ("W: cookie 0, descriptor 0, beat 0, byte offset -0x3 in cookie "
                              "(address 0x10000): "
                              "WSTRB 0xf9, expected 0xf8 (wrong strobe: strobe outside cookie)")


def test_write_missing_strobe_fails(write_case):
    segments, packets, aws, ws, bs = write_case
    wdata, strb, wlast = ws[2]
    ws[2] = (wdata, strb & ~0x10, wlast)
    with pytest.raises(ScoreboardError,
                       match=r"W: cookie 0, descriptor 0, beat 2, byte offset 0x11 in cookie "
                                              r".*expected byte not strobed"):
        run_write(segments, packets, aws, ws, bs)


def test_write_wrong_data_fails(write_case):
    segments, packets, aws, ws, bs = write_case
    wdata, strb, wlast = ws[9]                       # cookie 1 (0x20FF0), its 3rd beat
    ws[9] = (wdata ^ (0x80 << 8 * 6), strb, wlast)
    with pytest.raises(ScoreboardError,
                       match=r"W: cookie 1, descriptor 1, beat 9, byte offset 0x16 in cookie "
                                              r"\(address 0x21006\): expected .* \(wrong data\)"):
        run_write(segments, packets, aws, ws, bs)


def test_write_burst_out_of_order_or_outside_fails(write_case):
    segments, packets, aws, ws, bs = write_case
    bad = list(aws)
    bad[1] = (0, bad[1][1] + B, bad[1][2], 3)
    with pytest.raises(ScoreboardError, match=r"AW: cookie 0, descriptor 0, burst 1: .*out of order"):
        run_write(segments, packets, bad, ws, bs)
    bad = list(aws)
    bad[-1] = (0, bad[-1][1], bad[-1][2] + 1, 3)
    with pytest.raises(ScoreboardError, match=r"AW: cookie 2, descriptor 5, .*outside cookie"):
        run_write(segments, packets, bad, ws + [(0, 0, 1)], bs)


def test_write_wrong_wlast_and_missing_b_fail(write_case):
    segments, packets, aws, ws, bs = write_case
    wdata, strb, _ = ws[0]
    bad = list(ws)
    bad[0] = (wdata, strb, 1)
    with pytest.raises(ScoreboardError, match=r"W: cookie 0, descriptor 0, beat 0: WLAST 1 on beat 0"):
        run_write(segments, packets, aws, bad, bs)
    with pytest.raises(ScoreboardError, match=r"B: \d+ responses for \d+ data bursts"):
        run_write(segments, packets, aws, ws, bs[:-1])
