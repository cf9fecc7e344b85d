"""tb/beat_trace.py and tb/bulk_check.py without a simulator: traces written in tb_beat_trace's format,
checked in bulk against the scoreboards of tb/scoreboard.py; each check has a negative control (a wrong
trace) that must fail naming the beat, and a right trace must pass with every beat counted."""
from __future__ import annotations

import numpy as np
import pytest

from tb.beat_trace import AR, AW, MM2S_BEAT, B, BeatDispatcher, R, TraceFormatError, W, parse
from tb.block_device import BlockStore
from tb.fast_agents import TraceDiskSink, hex_ints, hex_words, parse_hex_words
from tb.scoreboard import ReadScoreboard, ScoreboardError, WriteScoreboard, segments_from_cookies

DW = 64
NB = DW // 8
COOKIES = [(0x1_0000_1013, 100), (0x2_0000_3000, 60)]   # two descriptors, the first unaligned


def line(ch, cycle, *, id=0, addr=0, len=0, size=0, burst=0, data=0, strb=0, last=0, resp=0, user=0):
    return (f"{ch:x} {cycle:08x} {id:02x} {addr:016x} {len:02x} {size:x} {burst:x} {data:0{DW // 4}x} "
            f"{strb:0{DW // 32}x} {last:x} {resp:x} {user:08x}\n")


def payload():
    return np.arange(160, dtype=np.uint8) ^ 0xA5


def read_trace(data, *, user=7):
    """AR/R for each descriptor (one burst each) and the MM2S stream of one packet."""
    out, cyc = [], 10
    flat = data.tobytes()
    pos = 0
    for addr, n in COOKIES:
        first, last = addr // NB, (addr + n - 1) // NB
        out.append(line(AR, cyc, addr=addr, len=last - first, size=3, burst=1))
        for k, word in enumerate(range(first, last + 1)):
            lo = word * NB
            raw = bytearray(NB)
            for j in range(NB):
                if addr <= lo + j < addr + n:
                    raw[j] = flat[pos + lo + j - addr]
            out.append(line(R, cyc + 1 + k, data=int.from_bytes(raw, "little"), last=int(word == last)))
        pos += n
        cyc += 40
    stream = flat[:sum(n for _a, n in COOKIES)]
    nbeats = -(-len(stream) // NB)
    for k in range(nbeats):
        chunk = stream[k * NB:(k + 1) * NB]
        out.append(line(MM2S_BEAT, cyc + k, data=int.from_bytes(chunk, "little"), strb=(1 << len(chunk)) - 1,
                        last=int(k == nbeats - 1), user=user))
    return out


def write_trace(data):
    out, cyc, pos = [], 10, 0
    flat = data.tobytes()
    for addr, n in COOKIES:
        first, last = addr // NB, (addr + n - 1) // NB
        out.append(line(AW, cyc, addr=addr, len=last - first, size=3, burst=1))
        for k, word in enumerate(range(first, last + 1)):
            lo = word * NB
            raw, strb = bytearray(NB), 0
            for j in range(NB):
                if addr <= lo + j < addr + n:
                    raw[j] = flat[pos + lo + j - addr]
                    strb |= 1 << j
            out.append(line(W, cyc + 1 + k, data=int.from_bytes(raw, "little"), strb=strb,
                            last=int(word == last)))
        out.append(line(B, cyc + 20))
        pos += n
        cyc += 40
    return out


def boards(data):
    segs = segments_from_cookies(COOKIES)
    rd = ReadScoreboard(segs, data, NB, packets=[[0, 1]], users=[7])
    wr = WriteScoreboard(segs, [data.tobytes()], NB, packet_segments=[[0, 1]])
    return rd, wr


def feed(lines, rd, wr, sink=None):
    d = BeatDispatcher(lambda: rd, lambda: wr, lambda kind, sb: None, stream_sink=sink)
    d.feed(parse("".join(lines).encode(), DW))
    return d


def test_right_traces_pass_in_bulk_and_count_every_beat():
    data = payload()
    rd, wr = boards(data)
    store = BlockStore(16, seed=1)
    sink = TraceDiskSink(None, store, DW)
    sink.expect(7, 160)

    def per_beat(*_a):
        raise AssertionError("a right beat went the per-beat way")

    rd.on_r = rd.on_stream = wr.on_w = per_beat       # every data beat must be taken in bulk
    feed(read_trace(data) + write_trace(data), rd, wr, sink.beats)
    rd.finish()
    wr.finish()
    assert rd.r_beats == 13 + 8 and rd.stream_beats == 20 and wr.w_beats == 13 + 8
    assert store.read(7, 160) == data.tobytes() and sink.received == [(7, 160)]


def test_batches_split_anywhere_give_the_same_result():
    data = payload()
    rd, wr = boards(data)
    lines = read_trace(data) + write_trace(data)
    d = BeatDispatcher(lambda: rd, lambda: wr, lambda kind, sb: None)
    for lo, hi in ((0, 3), (3, 11), (11, 31), (31, 50), (50, len(lines))):
        d.feed(parse("".join(lines[lo:hi]).encode(), DW))
    rd.finish()
    wr.finish()


def corrupt(lines, ch, nth, **fields):
    """The nth line of channel ch with fields replaced."""
    out, seen = list(lines), -1
    for i, text in enumerate(out):
        if int(text[0], 16) == ch:
            seen += 1
            if seen == nth:
                f = text.split()
                names = ["ch", "cycle", "id", "addr", "len", "size", "burst", "data", "strb", "last", "resp",
                         "user"]
                vals = {n: int(v, 16) for n, v in zip(names, f, strict=True)}
                vals.update(fields)
                ch_, cyc = vals.pop("ch"), vals.pop("cycle")
                out[i] = line(ch_, cyc, **vals)
                return out
    raise AssertionError("no such line")


@pytest.mark.parametrize("case, match", [
    ("r_data", r"R: cookie 0, descriptor 0, beat 2, byte offset .* \(wrong data\) \(trace cycle 13\)"),
    ("ar_addr", r"AR: cookie 0, descriptor 0, burst 0: starts at 0x100001008, .* \(address outside cookie\)"),
    ("ar_4k", r"AR: burst at 0x100000ff8 .* crosses a 4 KiB boundary at 0x100001000 \(trace cycle 10\)"),
    ("stream_last", r"stream: packet 0, .* TLAST 0, expected 1 \(wrong last\)"),
    ("stream_keep", r"stream: packet 0, .* TKEEP 0x7f, expected 0xff \(wrong keep\)"),
    ("stream_data", r"stream: packet 0, cookie 1, descriptor 1, beat 15, .* \(wrong data\)"),
    ("w_strobe", r"W: cookie 1, descriptor 1, beat 20, .* \(wrong strobe: strobe outside cookie\)"),
    ("w_data", r"W: cookie 1, descriptor 1, beat 20, .* \(wrong data\)"),
    ("w_last", r"W: cookie 0, descriptor 0, beat 1: WLAST 1 on beat 1 of a 13-beat burst"),
])
def test_each_wrong_trace_fails_naming_the_beat(case, match):
    data = payload()
    rd, wr = boards(data)
    lines = read_trace(data) + write_trace(data)
    bad = {
        "r_data": lambda: corrupt(lines, R, 2, data=0x1234),
        "ar_addr": lambda: corrupt(lines, AR, 0, addr=0x1_0000_1008),
        "ar_4k": lambda: corrupt(lines, AR, 0, addr=0x1_0000_0FF8),
        "stream_last": lambda: corrupt(lines, MM2S_BEAT, 19, last=0),
        "stream_keep": lambda: corrupt(lines, MM2S_BEAT, 3, strb=0x7F),
        "stream_data": lambda: corrupt(lines, MM2S_BEAT, 15, data=0),
        "w_strobe": lambda: corrupt(lines, W, 20, strb=0xFF),
        "w_data": lambda: corrupt(lines, W, 20, data=0),
        "w_last": lambda: corrupt(lines, W, 1, last=1),
    }[case]()
    with pytest.raises(ScoreboardError, match=match):
        feed(bad, rd, wr)
        rd.finish()
        wr.finish()


def test_a_beat_outside_any_window_fails():
    rd = ReadScoreboard([], b"", NB, packets=[])
    _rd, wr = boards(payload())
    with pytest.raises(ScoreboardError, match="after every descriptor was covered"):
        feed([line(AR, 5, addr=0x4000, len=0, size=3)], rd, wr)


def test_parse_rejects_x_and_torn_lines():
    good = line(R, 1, data=5)
    with pytest.raises(TraceFormatError, match="not hex"):
        parse(good.replace("0000000000000005", "000000000000000x").encode(), DW)
    with pytest.raises(TraceFormatError, match="whole"):
        parse(good[:-3].encode(), DW)


def test_hex_words_round_trip():
    words = np.random.default_rng(1).integers(0, 256, size=(7, 16), dtype=np.uint8)
    text = hex_words(words)
    assert text.splitlines()[0] == words[0, ::-1].tobytes().hex().encode()
    assert (parse_hex_words(text, 16) == words).all()


def test_hex_ints_as_python_formats_them():
    """The memory loads' permission words and stream beats' KEEP/LAST digits, vectorised: the same
    text as f"{v:0{digits}x}", down to one digit and up to the top of its width."""
    rng = np.random.default_rng(2)
    for digits in (1, 2, 5, 9):
        values = np.append(rng.integers(0, 16 ** digits, 200, dtype=np.int64), [0, 16 ** digits - 1])
        got = [bytes(row).decode() for row in hex_ints(values, digits)]
        assert got == [f"{v:0{digits}x}" for v in values.tolist()], digits


def test_bus_plot_classifies_beats_and_draws(tmp_path):
    """The demo's picture: R beats of the data ID are data, of another ID descriptor fetches; W beats
    follow AW order (a status burst's beat is a write-back); efficiency = beats / span."""
    from tb.beat_trace import TraceFile
    from tb.bus_plot import classify, efficiency, plot

    lines = [line(AR, 0, id=1, addr=0x100, len=0, size=3), line(R, 2, id=1, last=1),
             line(AR, 3, addr=0x1000, len=3, size=3)] + [line(R, 4 + k, last=int(k == 3)) for k in range(4)]
    lines += [line(AW, 10, addr=0x2000, len=1, size=3), line(AW, 11, id=2, addr=0x300, len=0, size=3),
              line(W, 12, strb=0xFF), line(W, 13, strb=0xFF, last=1), line(W, 15, strb=0xF, last=1)]
    trace = tmp_path / "t.txt"
    trace.write_text("".join(lines))
    parts = classify(TraceFile(trace, DW).read_new())
    assert parts["R"][0].tolist() == [4, 5, 6, 7] and parts["R"][1].tolist() == [2]
    assert parts["W"][0].tolist() == [12, 13] and parts["W"][1].tolist() == [15]
    assert efficiency(parts["R"][0]) == 1.0 and efficiency(np.array([0, 3])) == 0.5
    out = plot(trace, DW, tmp_path / "bus.png", bins=8)
    assert out.stat().st_size > 1000 and out.read_bytes()[:4] == b"\x89PNG"


def test_bus_plot_draws_sg_port_rows(tmp_path):
    """SG_PORT = 1: the descriptor fetches and write-backs are on m_axi_sg, traced beside the main trace
    (tbtrace_<token>_sg.txt); the picture gets a row per m_axi_sg channel, and none without that file."""
    import struct

    from tb.beat_trace import TraceFile
    from tb.bus_plot import classify_sg, plot, sg_trace_of

    def png_height(path):
        return struct.unpack(">I", path.read_bytes()[20:24])[0]

    trace = tmp_path / "tbtrace_7.txt"
    trace.write_text("".join([line(AR, 0, addr=0x1000, len=0, size=3), line(R, 1, last=1)]))
    assert sg_trace_of(trace) is None
    plain = plot(trace, DW, tmp_path / "plain.png", bins=4)
    sg = tmp_path / "tbtrace_7_sg.txt"
    sg.write_text("".join([line(AR, 0, id=1, addr=0x100, len=1, size=3), line(R, 2, id=1),
                           line(R, 3, id=1, last=1), line(AW, 5, id=2, addr=0x11c, len=0, size=3),
                           line(W, 6, strb=0xF0, last=1), line(B, 8, id=2)]))
    assert sg_trace_of(trace) == sg
    rows = classify_sg(TraceFile(sg, DW).read_new())
    assert {k: v[1].tolist() for k, v in rows.items()} == {
        "sg AR": [0], "sg R": [2, 3], "sg AW": [5], "sg W": [6], "sg B": [8]}
    assert all(len(v[0]) == 0 for v in rows.values())
    with_sg = plot(trace, DW, tmp_path / "sg.png", bins=4)
    assert png_height(with_sg) > png_height(plain), "no m_axi_sg rows drawn"
