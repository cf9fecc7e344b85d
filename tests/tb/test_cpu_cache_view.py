"""tb/cpu_cache.py helpers shared by the hide tests (no simulator): pages_of, mismatches, and
CpuCache.coherent_view (what the processor reads: WC buffer, then a valid line, else memory)."""
from __future__ import annotations

from tb.cpu_cache import CpuCache, mismatches, pages_of, pattern


def test_pages_of():
    assert pages_of(0x1FFF, 2) == [0x1000, 0x2000]
    assert pages_of(0x1000, 0x1000) == [0x1000]
    assert pages_of(0x1000, 0) == []


def test_mismatches_counts_bytes_and_length():
    assert mismatches(b"abcd", b"abcd") == 0
    assert mismatches(b"abcd", b"abXd") == 1
    assert mismatches(b"abcd", b"ab") == 2


def test_coherent_view_layers():
    cache = CpuCache(4096, 64, 2, writeback=lambda a, d: None)
    memory = pattern(1, 256)
    line = pattern(2, 64)
    cache.preload(0x1040, line, dirty=True)
    cache.write_combine(0x1005, b"\xee\xef")
    view = cache.coherent_view(0x1000, memory)
    assert view[0x40:0x80] == line, "a valid line hides memory"
    assert view[5:7] == b"\xee\xef", "the WC buffer comes first"
    assert view[:5] == memory[:5] and view[7:0x40] == memory[7:0x40] and view[0x80:] == memory[0x80:]
    # negative control: the view differs from memory exactly where the cache holds other bytes
    cached = mismatches(memory[0x40:0x80], line) + mismatches(memory[5:7], b"\xee\xef")
    assert mismatches(memory, view) == cached
    assert mismatches(memory, view) > 0
