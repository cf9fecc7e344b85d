"""Constants of the modelled interfaces, with their illumos (and AIX) names and values.

Values follow illumos ``sys/ddidmareq.h``, ``sys/sunddi.h``, ``sys/buf.h``, ``sys/ddidevmap.h``
and AIX ``sys/xmem.h``.
"""

# --- generic DDI results -------------------------------------------------------------------
DDI_SUCCESS = 0
DDI_FAILURE = -1

# --- ddi_dma_*_bind_handle(9F) results -----------------------------------------------------
DDI_DMA_MAPPED = 0
DDI_DMA_PARTIAL_MAP = 1
DDI_DMA_NORESOURCES = -1
DDI_DMA_NOMAPPING = -2
DDI_DMA_TOOBIG = -3
DDI_DMA_BADATTR = -8
DDI_DMA_INUSE = -9

# --- bind flags ----------------------------------------------------------------------------
DDI_DMA_WRITE = 0x1       # memory -> device
DDI_DMA_READ = 0x2        # device -> memory
DDI_DMA_RDWR = DDI_DMA_READ | DDI_DMA_WRITE
DDI_DMA_REDZONE = 0x4
DDI_DMA_PARTIAL = 0x8
DDI_DMA_CONSISTENT = 0x10
DDI_DMA_EXCLUSIVE = 0x20
DDI_DMA_STREAMING = 0x40

# --- callbacks -----------------------------------------------------------------------------
DDI_DMA_DONTWAIT = 0      # "function pointer" 0
DDI_DMA_SLEEP = 1         # "function pointer" 1
DDI_DMA_CALLBACK_RUNOUT = 0
DDI_DMA_CALLBACK_DONE = 1

# --- ddi_dma_sync(9F) ----------------------------------------------------------------------
DDI_DMA_SYNC_FORDEV = 0
DDI_DMA_SYNC_FORCPU = 1
DDI_DMA_SYNC_FORKERNEL = 2

# --- ddi_dma_attr(9S) ----------------------------------------------------------------------
DMA_ATTR_V0 = 0
DDI_DMA_FORCE_PHYSICAL = 0x100
DDI_DMA_FLAGERR = 0x200
DDI_DMA_RELAXED_ORDERING = 0x400
_DDI_DMA_BOUNCE_ON_SEG = 0x8000

# --- buf(9S) b_flags -----------------------------------------------------------------------
B_BUSY = 0x1
B_DONE = 0x2
B_ERROR = 0x4
B_PAGEIO = 0x10
B_PHYS = 0x20
B_READ = 0x40
B_WRITE = 0x100           # pseudo flag: "not B_READ"
B_REMAPPED = 0x4000
B_SHADOW = 0x200000

# --- ddi_umem_lock(9F) / ddi_umem_iosetup(9F) ----------------------------------------------
DDI_UMEMLOCK_READ = 0x1
DDI_UMEMLOCK_WRITE = 0x2
DDI_UMEMLOCK_LONGTERM = 0x4   # private
DDI_UMEM_SLEEP = 0x0
DDI_UMEM_NOSLEEP = 0x1
DDI_UMEM_PAGEABLE = 0x2
DDI_UMEM_TRASH = 0x4
KMEM_PAGEABLE = 0x100
KMEM_NON_PAGEABLE = 0x200
UMEM_LOCKED = 0x400
UMEM_TRASH = 0x800

# --- errno values (illumos sys/errno.h) ----------------------------------------------------
EBADF = 9
EAGAIN = 11
ENOMEM = 12
EACCES = 13
EFAULT = 14
EINVAL = 22

# --- mmap(2) protections -------------------------------------------------------------------
PROT_NONE = 0x0
PROT_READ = 0x1
PROT_WRITE = 0x2
PROT_EXEC = 0x4
PROT_USER = 0x8
PROT_ALL = PROT_READ | PROT_WRITE | PROT_EXEC | PROT_USER

# --- devmap_*_setup(9F) --------------------------------------------------------------------
IOMEM_DATA_CACHED = 0x10000
IOMEM_DATA_UC_WR_COMBINE = 0x20000
IOMEM_DATA_UNCACHED = 0x40000
IOMEM_DATA_MASK = 0xF0000
DEVMAP_MAPPING_INVALID = 0x1
DEVMAP_ALLOW_REMAP = 0x2
DEVMAP_USE_PAGESIZE = 0x4

# --- AIX xmemdma / xmemdma64 ---------------------------------------------------------------
XMEM_HIDE = 0x0           # "XMEM_UNHIDE bit clear"
XMEM_UNHIDE = 0x1
XMEM_ACC_CHK = 0x2
XMEM_WRITE_ONLY = 0x4
XMEM_DR_SAFE = 0x8
XMEM_SUCC = 0
XMEM_FAIL = -1
XMEM_RDONLY = 0
XMEM_RDWR = 1
XMEM_NOACC = 2

# --- machine defaults ----------------------------------------------------------------------
PAGESIZE = 4096           # x86; SPARC is 8192 (the Machine takes pagesize=)
MAX_COPYBUF_SIZE = 0x101000
