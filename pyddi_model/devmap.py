"""devmap_umem_setup / devmap_devmem_setup (being written)."""
from __future__ import annotations


class DevmapMixin:
    """devmap_*_setup entry points (being written)."""
