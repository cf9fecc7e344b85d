"""AIX cross-memory DMA services: xmemdma64 / xmemdma (hide / unhide), and the cache hook.

Filled in below the cache hook; the hook is imported by :mod:`pyddi_model.machine`.
"""
from __future__ import annotations

from typing import Protocol


class CacheHook(Protocol):
    """What xmemdma asks of the processor cache (the testbench plugs its cache model in here)."""

    def flush_invalidate(self, paddr_page: int, size: int) -> None:
        """First hide of a page: write back its dirty lines and invalidate them."""

    def page_valid(self, paddr_page: int, modified: bool) -> None:
        """Last unhide of a page: the page is valid again; ``modified`` = its modified bit."""


class RecordingCacheHook:
    """Default hook: records every call in ``ops`` as (name, paddr_page, arg) tuples."""

    def __init__(self):
        self.ops: list[tuple[str, int, object]] = []

    def flush_invalidate(self, paddr_page: int, size: int) -> None:
        self.ops.append(("flush_invalidate", paddr_page, size))

    def page_valid(self, paddr_page: int, modified: bool) -> None:
        self.ops.append(("page_valid", paddr_page, modified))


class XmemMixin:
    """xmemdma64 / xmemdma entry points (being written)."""
