"""Bulk checking: a run of beats from the trace checked with numpy against a scoreboard of tb/scoreboard.py.

Each function takes the scoreboard in charge and the beats of one channel (numpy columns from
tb/beat_trace.parse), checks them all at once against the same expectation the per-beat methods use
(the burst order kept by the scoreboard, the descriptors' expected bytes, the packets' beats) and, when
every beat is right, advances the scoreboard's state exactly as the per-beat calls would have. It
returns how many beats it took; the caller hands the others to the per-beat methods, so a wrong beat
is always reported by tb/scoreboard.py itself, with the same message (cookie, descriptor, beat, byte).
Nothing here changes a scoreboard unless every beat it takes passed.
"""
from __future__ import annotations

import numpy as np

LIMIT = 1 << 62        # addresses above this go the per-beat way (int64 arithmetic below)


def _plan_bytes(sb, plan, payloads):
    """Flat expected bytes of a scoreboard's plan, cached on it: (segment address, valid length,
    offset into flat) per plan entry, and flat."""
    cache = getattr(sb, "_bulk_plan", None)
    if cache is None:
        addr = np.array([seg.addr for seg, _n in plan], dtype=np.int64)
        size = np.array([len(p) for p in payloads], dtype=np.int64)
        off = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64) if len(size) else size
        flat = np.concatenate(payloads) if payloads else np.zeros(0, dtype=np.uint8)
        cache = sb._bulk_plan = (addr, size, off, flat.astype(np.uint8))
    return cache


def _expected(cache, plan_idx, word, data_bytes):
    """Expected bytes and their validity (n, data_bytes) for beats at `word` of plan entries."""
    addr, size, off, flat = cache
    lanes = np.arange(data_bytes, dtype=np.int64)
    rel = (word * data_bytes)[:, None] + lanes - addr[plan_idx][:, None]
    valid = (rel >= 0) & (rel < size[plan_idx][:, None])
    if not len(flat):
        return np.zeros(rel.shape, dtype=np.uint8), valid
    src = np.clip(off[plan_idx][:, None] + rel, 0, len(flat) - 1)
    return flat[src], valid


def _expand(queue, first_beat, n):
    """Per-beat (entry, position in burst) for n beats over queued bursts [(..., beats)], the first
    burst already `first_beat` beats in."""
    beats = np.array([e[-1] for e in queue], dtype=np.int64)
    remaining = beats.copy()
    remaining[0] -= first_beat
    entry = np.repeat(np.arange(len(queue)), remaining)[:n]
    first_k = np.concatenate([[0], np.cumsum(remaining)[:-1]])
    pos = np.arange(n) - first_k[entry]
    pos[entry == 0] += first_beat
    return entry, pos, beats


def _consume(queue, first_beat, n):
    """Pop n beats off the queue of bursts; returns the beat position in the new head."""
    while n:
        left = queue[0][-1] - first_beat
        if n >= left:
            queue.popleft()
            n -= left
            first_beat = 0
        else:
            first_beat += n
            n = 0
    return first_beat


def read_beats(sb, ids, data, resp, last) -> int:
    """R beats of ReadScoreboard `sb` (every ID; other IDs are the engines' and not checked)."""
    n_all = len(ids)
    sel = ids == sb.data_id
    n = int(sel.sum())
    if n == 0:
        return n_all
    q = sb.r_queue
    if not q or n > sum(e[2] for e in q) - sb.r_beat:
        return 0
    data, resp, last = data[sel], resp[sel], last[sel]
    entry, pos, beats = _expand(q, sb.r_beat, n)
    if (last.astype(bool) != (pos == beats[entry] - 1)).any():
        return 0
    plan_idx = np.array([e[0] for e in q], dtype=np.int64)[entry]
    word = np.array([e[1] for e in q], dtype=np.int64)[entry] + pos
    plan = sb.ar.plan
    if any(seg.addr >= LIMIT for seg, _n in plan):
        return 0
    exp, valid = _expected(_plan_bytes(sb, plan, sb.words.payloads), plan_idx, word, sb.data_bytes)
    okay = resp == 0
    if ((data != exp) & valid & okay[:, None]).any():
        return 0
    sb.r_beats += n
    sb.error_responses += int((~okay).sum())
    sb.r_beat = _consume(q, sb.r_beat, n)
    return n_all


def _packet_cache(sb, p):
    cache = getattr(sb, "_bulk_packets", None)
    if cache is None:
        cache = sb._bulk_packets = {}
    got = cache.get(p)
    if got is None:
        segs = [sb.segments[i] for i in sb.packets[p]]
        payload = (np.concatenate([sb.data[s.offset:s.offset + s.length] for s in segs]) if segs
                   else np.zeros(0, dtype=np.uint8))
        b = sb.data_bytes
        nb = -(-len(payload) // b)
        padded = np.zeros(nb * b, dtype=np.uint8)
        padded[:len(payload)] = payload
        keeps = np.full(nb, (1 << b) - 1, dtype=np.int64)
        if nb:
            keeps[-1] = (1 << (len(payload) - (nb - 1) * b)) - 1
        got = cache[p] = (padded.reshape(nb, b), keeps)
    return got


def stream_beats(sb, data, keep, last, user) -> int:
    """MM2S stream beats of ReadScoreboard `sb` (packets in order, TKEEP, TLAST, TUSER, data)."""
    n = len(data)
    p, k, i = sb.packet, sb.stream_beat, 0
    lanes = np.arange(sb.data_bytes)
    while i < n:
        if p >= len(sb.packets):
            return 0
        words, keeps = _packet_cache(sb, p)
        nb = len(words)
        take = min(nb - k, n - i)
        if take <= 0:
            return 0
        s = slice(i, i + take)
        if (keep[s] != keeps[k:k + take]).any():
            return 0
        if (last[s].astype(bool) != (np.arange(k, k + take) == nb - 1)).any():
            return 0
        if sb.users is not None and (user[s] != sb.users[p]).any():
            return 0
        kept = ((keeps[k:k + take][:, None] >> lanes) & 1).astype(bool)
        if ((data[s] != words[k:k + take]) & kept).any():
            return 0
        i += take
        k += take
        if k == nb:
            p, k = p + 1, 0
    sb.stream_beats += n
    sb.packet, sb.stream_beat = p, k
    sb._stream_expect = None
    return n


def write_beats(sb, data, strb, last) -> int:
    """W beats of WriteScoreboard `sb` (in AW order; status write-backs of other IDs counted, not
    checked). Beats beyond the bursts known so far are left to the per-beat method (it queues them)."""
    n_all = len(data)
    q = sb.w_order
    if sb.w_pending or not q or not n_all:
        return 0
    n = min(n_all, sum(e[3] for e in q) - sb.w_beat)
    entry, pos, beats = _expand(q, sb.w_beat, n)
    is_data = np.array([e[0] for e in q], dtype=bool)[entry]
    if (last[:n].astype(bool) != (pos == beats[entry] - 1))[is_data].any():
        return 0
    nd = int(is_data.sum())
    if nd:
        plan = sb.aw.plan
        if any(seg.addr >= LIMIT for seg, _n in plan):
            return 0
        pidx = np.array([e[1] if e[0] else 0 for e in q], dtype=np.int64)[entry][is_data]
        word = np.array([e[2] if e[0] else 0 for e in q], dtype=np.int64)[entry][is_data] + pos[is_data]
        exp, valid = _expected(_plan_bytes(sb, plan, sb.words.payloads), pidx, word, sb.data_bytes)
        want_strb = (valid.astype(np.int64) << np.arange(sb.data_bytes, dtype=np.int64)).sum(axis=1)
        if (strb[:n][is_data] != want_strb).any():
            return 0
        if ((data[:n][is_data] != exp) & valid).any():
            return 0
    sb.w_beats += nd
    sb.other_w_beats += n - nd
    sb.w_beat = _consume(q, sb.w_beat, n)
    return n


def keep_packet_bytes(keeps, data_bytes: int):
    """Bytes of a packet whose per-beat TKEEP values are `keeps`, or None when they break the stream
    contract (all ones before the last beat, a packed run from lane 0 on it): the caller then reports
    with tb/block_device.check_packet_beats."""
    full = (1 << data_bytes) - 1
    if len(keeps) == 0 or (keeps[:-1] != full).any():
        return None
    tail = int(keeps[-1])
    if tail == 0 or tail & (tail + 1):
        return None
    return (len(keeps) - 1) * data_bytes + tail.bit_count()
