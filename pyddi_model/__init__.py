"""pyddi_model: an executable model of the Solaris DDI DMA and user-memory interfaces.

Pure Python plus numpy. Entry points keep their C names and argument order; out-parameters are
returned. Constants carry their illumos names and values and are exported here::

    from pyddi_model import *
    m = Machine(seed=1)
    proc = m.new_process()
    ddi = DDI(m, curproc=proc)
    va = proc.as_.mmap(8 * m.pagesize)
    rc, cookie = ddi.ddi_umem_lock(va, 8 * m.pagesize, DDI_UMEMLOCK_READ)
"""
from .constants import *  # noqa: F401,F403
from .ddi import DDI  # noqa: F401
from .machine import (  # noqa: F401
    AddressSpace,
    DriverBug,
    DriverBugError,
    Machine,
    PageHiddenError,
    Process,
)
from .structs import (  # noqa: F401
    buf_t,
    ddi_device_acc_attr_t,
    ddi_dma_attr_t,
    ddi_dma_cookie_t,
    devmap_callback_ctl,
)
