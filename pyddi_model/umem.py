"""ddi_umem_lock / ddi_umem_unlock / ddi_umem_iosetup / freerbuf / biodone (being written)."""
from __future__ import annotations


class UmemMixin:
    """ddi_umem_* entry points (being written)."""

    def _run_deferred(self):
        pass
