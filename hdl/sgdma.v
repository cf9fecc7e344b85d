// sgdma: scatter/gather DMA controller (top level).
//
// Two channels, each a descriptor engine (sgdma_sg) with its register block (sgdma_sg_csr) and a
// data mover: MM2S (sgdma_mm2s: memory to m_axis_*) and S2MM (sgdma_s2mm: s_axis_* to memory).
// One AXI4 master (m_axi_*) is shared through sgdma_axi_rd_arb / sgdma_axi_wr_arb by ID:
// 0 = channel data, 1 = MM2S descriptors and status write-back, 2 = S2MM descriptors and status
// write-back. Registers: AXI4-Lite slave (s_axil_*, sgdma_regs); map in docs/sgdma_map.md.
// irq_mm2s / irq_s2mm are level interrupts (SR pending bits AND CR enables).
//
// Hide seam: each channel's command and status streams pass through the generate block g_hide_seam,
// plain wires when HIDE_ENTRIES == 0; the hide unit (sgdma_hide) sits there and uses cmd_cache.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module sgdma #(
    parameter integer AXIL_ADDR_WIDTH = 12,   // AXI4-Lite address width
    parameter integer DATA_WIDTH      = 64,   // AXI and AXI4-Stream data width: 32, 64 or 128
    parameter integer ADDR_WIDTH      = 64,   // AXI address width, 32..64
    parameter integer ID_WIDTH        = 4,    // AXI ID width (>= 2)
    parameter integer LEN_WIDTH       = 24,   // usable bits of descriptor LENGTH (1..24)
    parameter integer MAX_BURST_LEN   = 64,   // maximum AXI burst in beats, 1..256
    parameter integer MAX_OUTSTANDING = 4,    // bursts in flight per data mover, 1..255
    parameter integer SGL_MAX         = 16,   // maximum descriptors per packet, 1..128
    parameter integer SEG_LOG2        = 32,   // no buffer may cross a multiple of 2**SEG_LOG2 (12..64)
    parameter integer ALIGN_LOG2      = 0,    // buffer address alignment 2**ALIGN_LOG2 (0..12)
    parameter integer DATA_FIFO_DEPTH = 256,  // beats of buffering per data mover (power of two)
    parameter integer USER_WIDTH      = 32,   // m_axis_tuser width (1..32: low bits of USER)
    parameter integer HIDE_ENTRIES    = 0,    // hide-table entries (0: no hide unit)
    parameter integer SG_PORT         = 0     // 1: descriptors and status write-back on m_axi_sg
) (
    input  wire                        clk,
    input  wire                        rst,

    // AXI4-Lite slave: registers
    input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_awaddr,
    input  wire [2:0]                  s_axil_awprot,
    input  wire                        s_axil_awvalid,
    output wire                        s_axil_awready,
    input  wire [31:0]                 s_axil_wdata,
    input  wire [3:0]                  s_axil_wstrb,
    input  wire                        s_axil_wvalid,
    output wire                        s_axil_wready,
    output wire [1:0]                  s_axil_bresp,
    output wire                        s_axil_bvalid,
    input  wire                        s_axil_bready,
    input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_araddr,
    input  wire [2:0]                  s_axil_arprot,
    input  wire                        s_axil_arvalid,
    output wire                        s_axil_arready,
    output wire [31:0]                 s_axil_rdata,
    output wire [1:0]                  s_axil_rresp,
    output wire                        s_axil_rvalid,
    input  wire                        s_axil_rready,

    // AXI4 master: descriptors, status write-back and data
    output wire [ID_WIDTH-1:0]         m_axi_awid,
    output wire [ADDR_WIDTH-1:0]       m_axi_awaddr,
    output wire [7:0]                  m_axi_awlen,
    output wire [2:0]                  m_axi_awsize,
    output wire [1:0]                  m_axi_awburst,
    output wire                        m_axi_awlock,
    output wire [3:0]                  m_axi_awcache,
    output wire [2:0]                  m_axi_awprot,
    output wire                        m_axi_awvalid,
    input  wire                        m_axi_awready,
    output wire [DATA_WIDTH-1:0]       m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]     m_axi_wstrb,
    output wire                        m_axi_wlast,
    output wire                        m_axi_wvalid,
    input  wire                        m_axi_wready,
    input  wire [ID_WIDTH-1:0]         m_axi_bid,
    input  wire [1:0]                  m_axi_bresp,
    input  wire                        m_axi_bvalid,
    output wire                        m_axi_bready,
    output wire [ID_WIDTH-1:0]         m_axi_arid,
    output wire [ADDR_WIDTH-1:0]       m_axi_araddr,
    output wire [7:0]                  m_axi_arlen,
    output wire [2:0]                  m_axi_arsize,
    output wire [1:0]                  m_axi_arburst,
    output wire                        m_axi_arlock,
    output wire [3:0]                  m_axi_arcache,
    output wire [2:0]                  m_axi_arprot,
    output wire                        m_axi_arvalid,
    input  wire                        m_axi_arready,
    input  wire [ID_WIDTH-1:0]         m_axi_rid,
    input  wire [DATA_WIDTH-1:0]       m_axi_rdata,
    input  wire [1:0]                  m_axi_rresp,
    input  wire                        m_axi_rlast,
    input  wire                        m_axi_rvalid,
    output wire                        m_axi_rready,

    // AXI4 master for descriptor fetch and status write-back (like the vendor's M_AXI_SG), used
    // when SG_PORT == 1 with ID 1 = MM2S, 2 = S2MM; always present, driven inactive when SG_PORT == 0
    output wire [ID_WIDTH-1:0]         m_axi_sg_awid,
    output wire [ADDR_WIDTH-1:0]       m_axi_sg_awaddr,
    output wire [7:0]                  m_axi_sg_awlen,
    output wire [2:0]                  m_axi_sg_awsize,
    output wire [1:0]                  m_axi_sg_awburst,
    output wire                        m_axi_sg_awlock,
    output wire [3:0]                  m_axi_sg_awcache,
    output wire [2:0]                  m_axi_sg_awprot,
    output wire                        m_axi_sg_awvalid,
    input  wire                        m_axi_sg_awready,
    output wire [DATA_WIDTH-1:0]       m_axi_sg_wdata,
    output wire [DATA_WIDTH/8-1:0]     m_axi_sg_wstrb,
    output wire                        m_axi_sg_wlast,
    output wire                        m_axi_sg_wvalid,
    input  wire                        m_axi_sg_wready,
    input  wire [ID_WIDTH-1:0]         m_axi_sg_bid,
    input  wire [1:0]                  m_axi_sg_bresp,
    input  wire                        m_axi_sg_bvalid,
    output wire                        m_axi_sg_bready,
    output wire [ID_WIDTH-1:0]         m_axi_sg_arid,
    output wire [ADDR_WIDTH-1:0]       m_axi_sg_araddr,
    output wire [7:0]                  m_axi_sg_arlen,
    output wire [2:0]                  m_axi_sg_arsize,
    output wire [1:0]                  m_axi_sg_arburst,
    output wire                        m_axi_sg_arlock,
    output wire [3:0]                  m_axi_sg_arcache,
    output wire [2:0]                  m_axi_sg_arprot,
    output wire                        m_axi_sg_arvalid,
    input  wire                        m_axi_sg_arready,
    input  wire [ID_WIDTH-1:0]         m_axi_sg_rid,
    input  wire [DATA_WIDTH-1:0]       m_axi_sg_rdata,
    input  wire [1:0]                  m_axi_sg_rresp,
    input  wire                        m_axi_sg_rlast,
    input  wire                        m_axi_sg_rvalid,
    output wire                        m_axi_sg_rready,

    // AXI4-Stream master: MM2S data
    output wire [DATA_WIDTH-1:0]       m_axis_tdata,
    output wire [DATA_WIDTH/8-1:0]     m_axis_tkeep,
    output wire                        m_axis_tvalid,
    input  wire                        m_axis_tready,
    output wire                        m_axis_tlast,
    output wire [USER_WIDTH-1:0]       m_axis_tuser,

    // AXI4-Stream slave: S2MM data
    input  wire [DATA_WIDTH-1:0]       s_axis_tdata,
    input  wire [DATA_WIDTH/8-1:0]     s_axis_tkeep,
    input  wire                        s_axis_tvalid,
    output wire                        s_axis_tready,
    input  wire                        s_axis_tlast,

    output wire                        irq_mm2s,
    output wire                        irq_s2mm,

    // ---- hide unit ports (sgdma_hide.v): always present; driven inactive (outputs 0,
    // inputs ignored) when HIDE_ENTRIES == 0. Cache-maintenance port (op 0 CLEAN,
    // 1 CLEAN_INVALIDATE, 2 WC_FLUSH; addr = page base), one request then one completion:
    output wire                        m_maint_req_valid,
    input  wire                        m_maint_req_ready,
    output wire [ADDR_WIDTH-1:0]       m_maint_req_addr,
    output wire [1:0]                  m_maint_req_op,
    input  wire                        s_maint_done_valid,
    output wire                        s_maint_done_ready,
    // CPU gate: AXI4 slave from the processor, AXI4 master to memory
    input  wire [ID_WIDTH-1:0]         s_axi_cpu_awid,
    input  wire [ADDR_WIDTH-1:0]       s_axi_cpu_awaddr,
    input  wire [7:0]                  s_axi_cpu_awlen,
    input  wire [2:0]                  s_axi_cpu_awsize,
    input  wire [1:0]                  s_axi_cpu_awburst,
    input  wire                        s_axi_cpu_awlock,
    input  wire [3:0]                  s_axi_cpu_awcache,
    input  wire [2:0]                  s_axi_cpu_awprot,
    input  wire                        s_axi_cpu_awvalid,
    output wire                        s_axi_cpu_awready,
    input  wire [DATA_WIDTH-1:0]       s_axi_cpu_wdata,
    input  wire [DATA_WIDTH/8-1:0]     s_axi_cpu_wstrb,
    input  wire                        s_axi_cpu_wlast,
    input  wire                        s_axi_cpu_wvalid,
    output wire                        s_axi_cpu_wready,
    output wire [ID_WIDTH-1:0]         s_axi_cpu_bid,
    output wire [1:0]                  s_axi_cpu_bresp,
    output wire                        s_axi_cpu_bvalid,
    input  wire                        s_axi_cpu_bready,
    input  wire [ID_WIDTH-1:0]         s_axi_cpu_arid,
    input  wire [ADDR_WIDTH-1:0]       s_axi_cpu_araddr,
    input  wire [7:0]                  s_axi_cpu_arlen,
    input  wire [2:0]                  s_axi_cpu_arsize,
    input  wire [1:0]                  s_axi_cpu_arburst,
    input  wire                        s_axi_cpu_arlock,
    input  wire [3:0]                  s_axi_cpu_arcache,
    input  wire [2:0]                  s_axi_cpu_arprot,
    input  wire                        s_axi_cpu_arvalid,
    output wire                        s_axi_cpu_arready,
    output wire [ID_WIDTH-1:0]         s_axi_cpu_rid,
    output wire [DATA_WIDTH-1:0]       s_axi_cpu_rdata,
    output wire [1:0]                  s_axi_cpu_rresp,
    output wire                        s_axi_cpu_rlast,
    output wire                        s_axi_cpu_rvalid,
    input  wire                        s_axi_cpu_rready,
    output wire [ID_WIDTH-1:0]         m_axi_cpu_awid,
    output wire [ADDR_WIDTH-1:0]       m_axi_cpu_awaddr,
    output wire [7:0]                  m_axi_cpu_awlen,
    output wire [2:0]                  m_axi_cpu_awsize,
    output wire [1:0]                  m_axi_cpu_awburst,
    output wire                        m_axi_cpu_awlock,
    output wire [3:0]                  m_axi_cpu_awcache,
    output wire [2:0]                  m_axi_cpu_awprot,
    output wire                        m_axi_cpu_awvalid,
    input  wire                        m_axi_cpu_awready,
    output wire [DATA_WIDTH-1:0]       m_axi_cpu_wdata,
    output wire [DATA_WIDTH/8-1:0]     m_axi_cpu_wstrb,
    output wire                        m_axi_cpu_wlast,
    output wire                        m_axi_cpu_wvalid,
    input  wire                        m_axi_cpu_wready,
    input  wire [ID_WIDTH-1:0]         m_axi_cpu_bid,
    input  wire [1:0]                  m_axi_cpu_bresp,
    input  wire                        m_axi_cpu_bvalid,
    output wire                        m_axi_cpu_bready,
    output wire [ID_WIDTH-1:0]         m_axi_cpu_arid,
    output wire [ADDR_WIDTH-1:0]       m_axi_cpu_araddr,
    output wire [7:0]                  m_axi_cpu_arlen,
    output wire [2:0]                  m_axi_cpu_arsize,
    output wire [1:0]                  m_axi_cpu_arburst,
    output wire                        m_axi_cpu_arlock,
    output wire [3:0]                  m_axi_cpu_arcache,
    output wire [2:0]                  m_axi_cpu_arprot,
    output wire                        m_axi_cpu_arvalid,
    input  wire                        m_axi_cpu_arready,
    input  wire [ID_WIDTH-1:0]         m_axi_cpu_rid,
    input  wire [DATA_WIDTH-1:0]       m_axi_cpu_rdata,
    input  wire [1:0]                  m_axi_cpu_rresp,
    input  wire                        m_axi_cpu_rlast,
    input  wire                        m_axi_cpu_rvalid,
    output wire                        m_axi_cpu_rready,
    // modified-page event: one-cycle pulse on the last unhide of a page the device wrote
    output wire                        hide_mod_valid,
    output wire [ADDR_WIDTH-1:0]       hide_mod_addr
);

localparam integer STRB_WIDTH = DATA_WIDTH / 8;
// descriptor queue per channel: at least 2*SGL_MAX entries (a full packet being fetched while the
// previous one moves), a power of two, at least 4
localparam integer QUEUE_MIN   = (2 * SGL_MAX < 4) ? 4 : 2 * SGL_MAX;
localparam integer TAG_WIDTH   = $clog2(QUEUE_MIN);
localparam integer QUEUE_DEPTH = 1 << TAG_WIDTH;
localparam integer ID_DATA = 0;  // AXI IDs (docs/sgdma_design.md)
localparam integer ID_MM2S = 1;
localparam integer ID_S2MM = 2;

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128)
        $fatal(1, "sgdma: DATA_WIDTH (%0d) must be 32, 64 or 128", DATA_WIDTH);
    if (ADDR_WIDTH < 32 || ADDR_WIDTH > 64)
        $fatal(1, "sgdma: ADDR_WIDTH (%0d) must be 32..64", ADDR_WIDTH);
    if (ID_WIDTH < 2)
        $fatal(1, "sgdma: ID_WIDTH (%0d) must be >= 2", ID_WIDTH);
    if (LEN_WIDTH < 1 || LEN_WIDTH > 24)
        $fatal(1, "sgdma: LEN_WIDTH (%0d) must be 1..24", LEN_WIDTH);
    if (MAX_BURST_LEN < 1 || MAX_BURST_LEN > 256)
        $fatal(1, "sgdma: MAX_BURST_LEN (%0d) must be 1..256", MAX_BURST_LEN);
    if (MAX_OUTSTANDING < 1 || MAX_OUTSTANDING > 255)
        $fatal(1, "sgdma: MAX_OUTSTANDING (%0d) must be 1..255", MAX_OUTSTANDING);
    if (SGL_MAX < 1 || SGL_MAX > 128)
        $fatal(1, "sgdma: SGL_MAX (%0d) must be 1..128", SGL_MAX);
    if (SEG_LOG2 < 12 || SEG_LOG2 > 64)
        $fatal(1, "sgdma: SEG_LOG2 (%0d) must be 12..64", SEG_LOG2);
    if (ALIGN_LOG2 < 0 || ALIGN_LOG2 > 12)
        $fatal(1, "sgdma: ALIGN_LOG2 (%0d) must be 0..12", ALIGN_LOG2);
    if (DATA_FIFO_DEPTH < 2 * MAX_BURST_LEN || (DATA_FIFO_DEPTH & (DATA_FIFO_DEPTH - 1)) != 0)
        $fatal(1, "sgdma: DATA_FIFO_DEPTH (%0d) must be a power of two >= 2*MAX_BURST_LEN", DATA_FIFO_DEPTH);
    if (USER_WIDTH < 1 || USER_WIDTH > 32)
        $fatal(1, "sgdma: USER_WIDTH (%0d) must be 1..32", USER_WIDTH);
    if (HIDE_ENTRIES < 0 || HIDE_ENTRIES > 256)
        $fatal(1, "sgdma: HIDE_ENTRIES (%0d) must be 0..256", HIDE_ENTRIES);
    if (SG_PORT != 0 && SG_PORT != 1)
        $fatal(1, "sgdma: SG_PORT (%0d) must be 0 or 1", SG_PORT);
end

// ---------------------------------------------------------------------------------------------
// register file
wire [1:0]  ch_wr_en;
wire [5:0]  ch_wr_off, ch_rd_off;
wire [31:0] ch_wr_data;
wire [3:0]  ch_wr_strb;
wire [31:0] ch_rd_data [0:1];
wire [1:0]  ch_rd_hit;

// hide unit register words: HIDE_STATUS .. HIDE_LAST_MOD_HI, driven in g_hide_seam
wire [8*32-1:0] hide_rd_data;
// per channel (0 MM2S, 1 S2MM): no status on its way through the hide unit (the engine's drain
// waits for it too, so that no status of an aborted channel arrives after its halt)
wire [1:0]      hide_ch_quiet;

sgdma_regs #(
    .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH),
    .LEN_WIDTH(LEN_WIDTH), .ALIGN_LOG2(ALIGN_LOG2), .MAX_BURST_LEN(MAX_BURST_LEN),
    .MAX_OUTSTANDING(MAX_OUTSTANDING), .SEG_LOG2(SEG_LOG2), .SGL_MAX(SGL_MAX),
    .HIDE_ENTRIES(HIDE_ENTRIES), .SG_PORT(SG_PORT)
) u_regs (
    .clk(clk), .rst(rst),
    .s_axil_awaddr(s_axil_awaddr), .s_axil_awprot(s_axil_awprot), .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready), .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid), .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid), .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr),
    .s_axil_arprot(s_axil_arprot), .s_axil_arvalid(s_axil_arvalid), .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp), .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .ch_wr_en(ch_wr_en), .ch_wr_off(ch_wr_off), .ch_wr_data(ch_wr_data), .ch_wr_strb(ch_wr_strb),
    .ch_rd_off(ch_rd_off),
    .hide_rd_data(hide_rd_data),   // hide unit registers
    .ch0_rd_data(ch_rd_data[0]), .ch0_rd_hit(ch_rd_hit[0]),
    .ch1_rd_data(ch_rd_data[1]), .ch1_rd_hit(ch_rd_hit[1])
);

// ---------------------------------------------------------------------------------------------
// shared AXI master ports (port i = AXI ID i)
wire [3*ID_WIDTH-1:0]   arb_arid;
wire [3*ADDR_WIDTH-1:0] arb_araddr;
wire [3*8-1:0]          arb_arlen;
wire [3*3-1:0]          arb_arsize;
wire [3*2-1:0]          arb_arburst;
wire [2:0]              arb_arlock;
wire [3*4-1:0]          arb_arcache;
wire [3*3-1:0]          arb_arprot;
wire [2:0]              arb_arvalid, arb_arready;
wire [ID_WIDTH-1:0]     arb_rid;
wire [DATA_WIDTH-1:0]   arb_rdata;
wire [1:0]              arb_rresp;
wire                    arb_rlast;
wire [2:0]              arb_rvalid, arb_rready;

wire [3*ID_WIDTH-1:0]   arb_awid;
wire [3*ADDR_WIDTH-1:0] arb_awaddr;
wire [3*8-1:0]          arb_awlen;
wire [3*3-1:0]          arb_awsize;
wire [3*2-1:0]          arb_awburst;
wire [2:0]              arb_awlock;
wire [3*4-1:0]          arb_awcache;
wire [3*3-1:0]          arb_awprot;
wire [2:0]              arb_awvalid, arb_awready;
wire [3*DATA_WIDTH-1:0] arb_wdata;
wire [3*STRB_WIDTH-1:0] arb_wstrb;
wire [2:0]              arb_wlast, arb_wvalid, arb_wready;
wire [ID_WIDTH-1:0]     arb_bid;
wire [1:0]              arb_bresp;
wire [2:0]              arb_bvalid, arb_bready;

// return payload seen by the descriptor engines: from m_axi, or from m_axi_sg when SG_PORT == 1
wire [ID_WIDTH-1:0]     eng_rid;
wire [DATA_WIDTH-1:0]   eng_rdata;
wire [1:0]              eng_rresp;
wire                    eng_rlast;
wire [ID_WIDTH-1:0]     eng_bid;
wire [1:0]              eng_bresp;

generate
    if (SG_PORT == 0) begin : g_port
        // one shared master: data (ID 0) and both engines (IDs 1, 2)
        sgdma_axi_rd_arb #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH)) u_rd_arb (
            .clk(clk), .rst(rst),
            .s_axi_arid(arb_arid), .s_axi_araddr(arb_araddr), .s_axi_arlen(arb_arlen), .s_axi_arsize(arb_arsize),
            .s_axi_arburst(arb_arburst), .s_axi_arlock(arb_arlock), .s_axi_arcache(arb_arcache),
            .s_axi_arprot(arb_arprot), .s_axi_arvalid(arb_arvalid), .s_axi_arready(arb_arready),
            .s_axi_rid(arb_rid), .s_axi_rdata(arb_rdata), .s_axi_rresp(arb_rresp), .s_axi_rlast(arb_rlast),
            .s_axi_rvalid(arb_rvalid), .s_axi_rready(arb_rready),
            .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen),
            .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst), .m_axi_arlock(m_axi_arlock),
            .m_axi_arcache(m_axi_arcache), .m_axi_arprot(m_axi_arprot), .m_axi_arvalid(m_axi_arvalid),
            .m_axi_arready(m_axi_arready), .m_axi_rid(m_axi_rid), .m_axi_rdata(m_axi_rdata),
            .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid),
            .m_axi_rready(m_axi_rready)
        );

        sgdma_axi_wr_arb #(
            .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
            .WFIFO_DEPTH(16)
        ) u_wr_arb (
            .clk(clk), .rst(rst),
            .s_axi_awid(arb_awid), .s_axi_awaddr(arb_awaddr), .s_axi_awlen(arb_awlen), .s_axi_awsize(arb_awsize),
            .s_axi_awburst(arb_awburst), .s_axi_awlock(arb_awlock), .s_axi_awcache(arb_awcache),
            .s_axi_awprot(arb_awprot), .s_axi_awvalid(arb_awvalid), .s_axi_awready(arb_awready),
            .s_axi_wdata(arb_wdata), .s_axi_wstrb(arb_wstrb), .s_axi_wlast(arb_wlast),
            .s_axi_wvalid(arb_wvalid), .s_axi_wready(arb_wready),
            .s_axi_bid(arb_bid), .s_axi_bresp(arb_bresp), .s_axi_bvalid(arb_bvalid), .s_axi_bready(arb_bready),
            .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
            .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
            .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
            .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
            .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
            .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid),
            .m_axi_bready(m_axi_bready)
        );

        assign eng_rid   = arb_rid;
        assign eng_rdata = arb_rdata;
        assign eng_rresp = arb_rresp;
        assign eng_rlast = arb_rlast;
        assign eng_bid   = arb_bid;
        assign eng_bresp = arb_bresp;

        // m_axi_sg unused: outputs inactive, inputs ignored
        assign m_axi_sg_awid    = {ID_WIDTH{1'b0}};
        assign m_axi_sg_awaddr  = {ADDR_WIDTH{1'b0}};
        assign m_axi_sg_awlen   = 8'd0;
        assign m_axi_sg_awsize  = 3'd0;
        assign m_axi_sg_awburst = 2'd0;
        assign m_axi_sg_awlock  = 1'b0;
        assign m_axi_sg_awcache = 4'd0;
        assign m_axi_sg_awprot  = 3'd0;
        assign m_axi_sg_awvalid = 1'b0;
        assign m_axi_sg_wdata   = {DATA_WIDTH{1'b0}};
        assign m_axi_sg_wstrb   = {STRB_WIDTH{1'b0}};
        assign m_axi_sg_wlast   = 1'b0;
        assign m_axi_sg_wvalid  = 1'b0;
        assign m_axi_sg_bready  = 1'b0;
        assign m_axi_sg_arid    = {ID_WIDTH{1'b0}};
        assign m_axi_sg_araddr  = {ADDR_WIDTH{1'b0}};
        assign m_axi_sg_arlen   = 8'd0;
        assign m_axi_sg_arsize  = 3'd0;
        assign m_axi_sg_arburst = 2'd0;
        assign m_axi_sg_arlock  = 1'b0;
        assign m_axi_sg_arcache = 4'd0;
        assign m_axi_sg_arprot  = 3'd0;
        assign m_axi_sg_arvalid = 1'b0;
        assign m_axi_sg_rready  = 1'b0;
        wire unused_sg_inputs = ^{m_axi_sg_awready, m_axi_sg_wready, m_axi_sg_bid, m_axi_sg_bresp,
                                  m_axi_sg_bvalid, m_axi_sg_arready, m_axi_sg_rid, m_axi_sg_rdata,
                                  m_axi_sg_rresp, m_axi_sg_rlast, m_axi_sg_rvalid};
    end else begin : g_port
        // two masters: m_axi carries data only (port 0), m_axi_sg the engines (ports 1 and 2). Each
        // arbiter sees only its own requesters, and its per-port handshake outputs are masked to them
        // (an idle arbiter may present READY on a port it does not serve).
        localparam [2:0] MAIN = 3'b001;
        localparam [2:0] SG   = 3'b110;
        wire [2:0] main_arready, main_rvalid, main_awready, main_wready, main_bvalid;
        wire [2:0] sg_arready, sg_rvalid, sg_awready, sg_wready, sg_bvalid;

        sgdma_axi_rd_arb #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH)) u_rd_arb (
            .clk(clk), .rst(rst),
            .s_axi_arid(arb_arid), .s_axi_araddr(arb_araddr), .s_axi_arlen(arb_arlen), .s_axi_arsize(arb_arsize),
            .s_axi_arburst(arb_arburst), .s_axi_arlock(arb_arlock), .s_axi_arcache(arb_arcache),
            .s_axi_arprot(arb_arprot), .s_axi_arvalid(arb_arvalid & MAIN), .s_axi_arready(main_arready),
            .s_axi_rid(arb_rid), .s_axi_rdata(arb_rdata), .s_axi_rresp(arb_rresp), .s_axi_rlast(arb_rlast),
            .s_axi_rvalid(main_rvalid), .s_axi_rready(arb_rready & MAIN),
            .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen),
            .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst), .m_axi_arlock(m_axi_arlock),
            .m_axi_arcache(m_axi_arcache), .m_axi_arprot(m_axi_arprot), .m_axi_arvalid(m_axi_arvalid),
            .m_axi_arready(m_axi_arready), .m_axi_rid(m_axi_rid), .m_axi_rdata(m_axi_rdata),
            .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid),
            .m_axi_rready(m_axi_rready)
        );

        sgdma_axi_rd_arb #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH)) u_sg_rd_arb (
            .clk(clk), .rst(rst),
            .s_axi_arid(arb_arid), .s_axi_araddr(arb_araddr), .s_axi_arlen(arb_arlen), .s_axi_arsize(arb_arsize),
            .s_axi_arburst(arb_arburst), .s_axi_arlock(arb_arlock), .s_axi_arcache(arb_arcache),
            .s_axi_arprot(arb_arprot), .s_axi_arvalid(arb_arvalid & SG), .s_axi_arready(sg_arready),
            .s_axi_rid(eng_rid), .s_axi_rdata(eng_rdata), .s_axi_rresp(eng_rresp), .s_axi_rlast(eng_rlast),
            .s_axi_rvalid(sg_rvalid), .s_axi_rready(arb_rready & SG),
            .m_axi_arid(m_axi_sg_arid), .m_axi_araddr(m_axi_sg_araddr), .m_axi_arlen(m_axi_sg_arlen),
            .m_axi_arsize(m_axi_sg_arsize), .m_axi_arburst(m_axi_sg_arburst), .m_axi_arlock(m_axi_sg_arlock),
            .m_axi_arcache(m_axi_sg_arcache), .m_axi_arprot(m_axi_sg_arprot), .m_axi_arvalid(m_axi_sg_arvalid),
            .m_axi_arready(m_axi_sg_arready), .m_axi_rid(m_axi_sg_rid), .m_axi_rdata(m_axi_sg_rdata),
            .m_axi_rresp(m_axi_sg_rresp), .m_axi_rlast(m_axi_sg_rlast), .m_axi_rvalid(m_axi_sg_rvalid),
            .m_axi_rready(m_axi_sg_rready)
        );

        sgdma_axi_wr_arb #(
            .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
            .WFIFO_DEPTH(16)
        ) u_wr_arb (
            .clk(clk), .rst(rst),
            .s_axi_awid(arb_awid), .s_axi_awaddr(arb_awaddr), .s_axi_awlen(arb_awlen), .s_axi_awsize(arb_awsize),
            .s_axi_awburst(arb_awburst), .s_axi_awlock(arb_awlock), .s_axi_awcache(arb_awcache),
            .s_axi_awprot(arb_awprot), .s_axi_awvalid(arb_awvalid & MAIN), .s_axi_awready(main_awready),
            .s_axi_wdata(arb_wdata), .s_axi_wstrb(arb_wstrb), .s_axi_wlast(arb_wlast),
            .s_axi_wvalid(arb_wvalid & MAIN), .s_axi_wready(main_wready),
            .s_axi_bid(arb_bid), .s_axi_bresp(arb_bresp), .s_axi_bvalid(main_bvalid),
            .s_axi_bready(arb_bready & MAIN),
            .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
            .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
            .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
            .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
            .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
            .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid),
            .m_axi_bready(m_axi_bready)
        );

        // one status write in flight per engine: a short W-order FIFO suffices
        sgdma_axi_wr_arb #(
            .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
            .WFIFO_DEPTH(4)
        ) u_sg_wr_arb (
            .clk(clk), .rst(rst),
            .s_axi_awid(arb_awid), .s_axi_awaddr(arb_awaddr), .s_axi_awlen(arb_awlen), .s_axi_awsize(arb_awsize),
            .s_axi_awburst(arb_awburst), .s_axi_awlock(arb_awlock), .s_axi_awcache(arb_awcache),
            .s_axi_awprot(arb_awprot), .s_axi_awvalid(arb_awvalid & SG), .s_axi_awready(sg_awready),
            .s_axi_wdata(arb_wdata), .s_axi_wstrb(arb_wstrb), .s_axi_wlast(arb_wlast),
            .s_axi_wvalid(arb_wvalid & SG), .s_axi_wready(sg_wready),
            .s_axi_bid(eng_bid), .s_axi_bresp(eng_bresp), .s_axi_bvalid(sg_bvalid),
            .s_axi_bready(arb_bready & SG),
            .m_axi_awid(m_axi_sg_awid), .m_axi_awaddr(m_axi_sg_awaddr), .m_axi_awlen(m_axi_sg_awlen),
            .m_axi_awsize(m_axi_sg_awsize), .m_axi_awburst(m_axi_sg_awburst), .m_axi_awlock(m_axi_sg_awlock),
            .m_axi_awcache(m_axi_sg_awcache), .m_axi_awprot(m_axi_sg_awprot), .m_axi_awvalid(m_axi_sg_awvalid),
            .m_axi_awready(m_axi_sg_awready), .m_axi_wdata(m_axi_sg_wdata), .m_axi_wstrb(m_axi_sg_wstrb),
            .m_axi_wlast(m_axi_sg_wlast), .m_axi_wvalid(m_axi_sg_wvalid), .m_axi_wready(m_axi_sg_wready),
            .m_axi_bid(m_axi_sg_bid), .m_axi_bresp(m_axi_sg_bresp), .m_axi_bvalid(m_axi_sg_bvalid),
            .m_axi_bready(m_axi_sg_bready)
        );

        assign arb_arready = (main_arready & MAIN) | (sg_arready & SG);
        assign arb_rvalid  = (main_rvalid  & MAIN) | (sg_rvalid  & SG);
        assign arb_awready = (main_awready & MAIN) | (sg_awready & SG);
        assign arb_wready  = (main_wready  & MAIN) | (sg_wready  & SG);
        assign arb_bvalid  = (main_bvalid  & MAIN) | (sg_bvalid  & SG);
    end
endgenerate



// ---------------------------------------------------------------------------------------------
// MM2S channel: engine + registers + hide seam + data mover
wire        mm2s_run, mm2s_reset_req, mm2s_curdesc_wr, mm2s_tail_wr;
wire [63:0] mm2s_curdesc, mm2s_tail, mm2s_err_desc, mm2s_cur_desc;
wire        mm2s_halted, mm2s_idle, mm2s_busy, mm2s_srst, mm2s_err_valid, mm2s_done_valid, mm2s_done_ioc;
wire [3:0]  mm2s_err_code;
wire        mm2s_abort, mm2s_mover_idle, mm2s_mover_rst, mm2s_perf_beat, mm2s_perf_stall;

// engine side of the seam
wire                  mm2s_eng_cmd_valid, mm2s_eng_cmd_ready, mm2s_eng_cmd_sof, mm2s_eng_cmd_eof;
wire [ADDR_WIDTH-1:0] mm2s_eng_cmd_addr;
wire [LEN_WIDTH-1:0]  mm2s_eng_cmd_len;
wire [USER_WIDTH-1:0] mm2s_eng_cmd_user;
wire [1:0]            mm2s_eng_cmd_cache;
wire [TAG_WIDTH-1:0]  mm2s_eng_cmd_tag;
wire                  mm2s_eng_sts_valid, mm2s_eng_sts_ready, mm2s_eng_sts_sof, mm2s_eng_sts_eof;
wire [TAG_WIDTH-1:0]  mm2s_eng_sts_tag;
wire [LEN_WIDTH-1:0]  mm2s_eng_sts_len;
wire [3:0]            mm2s_eng_sts_error;
// mover side of the seam
wire                  mm2s_mov_cmd_valid, mm2s_mov_cmd_ready, mm2s_mov_cmd_sof, mm2s_mov_cmd_eof;
wire [ADDR_WIDTH-1:0] mm2s_mov_cmd_addr;
wire [LEN_WIDTH-1:0]  mm2s_mov_cmd_len;
wire [USER_WIDTH-1:0] mm2s_mov_cmd_user;
wire [TAG_WIDTH-1:0]  mm2s_mov_cmd_tag;
wire                  mm2s_mov_sts_valid, mm2s_mov_sts_ready, mm2s_mov_sts_sof, mm2s_mov_sts_eof;
wire [TAG_WIDTH-1:0]  mm2s_mov_sts_tag;
wire [LEN_WIDTH-1:0]  mm2s_mov_sts_len;
wire [3:0]            mm2s_mov_sts_error;

sgdma_sg_csr u_mm2s_csr (
    .clk(clk), .rst(rst),
    .wr_en(ch_wr_en[0]), .wr_off(ch_wr_off), .wr_data(ch_wr_data), .wr_strb(ch_wr_strb),
    .rd_off(ch_rd_off), .rd_data(ch_rd_data[0]), .rd_hit(ch_rd_hit[0]),
    .ctl_run(mm2s_run), .ctl_reset_req(mm2s_reset_req), .ctl_curdesc_wr(mm2s_curdesc_wr),
    .ctl_curdesc(mm2s_curdesc), .ctl_tail_wr(mm2s_tail_wr), .ctl_tail(mm2s_tail),
    .halted(mm2s_halted), .idle(mm2s_idle), .busy(mm2s_busy), .srst(mm2s_srst),
    .err_valid(mm2s_err_valid), .err_code(mm2s_err_code), .err_desc(mm2s_err_desc),
    .cur_desc(mm2s_cur_desc), .done_valid(mm2s_done_valid), .done_ioc(mm2s_done_ioc),
    .perf_beat(mm2s_perf_beat), .perf_stall(mm2s_perf_stall),
    .irq(irq_mm2s)
);

sgdma_sg #(
    .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .AXI_ID(ID_MM2S),
    .LEN_WIDTH(LEN_WIDTH), .USER_WIDTH(USER_WIDTH), .SGL_MAX(SGL_MAX), .SEG_LOG2(SEG_LOG2),
    .ALIGN_LOG2(ALIGN_LOG2), .S2MM(0), .TAG_WIDTH(TAG_WIDTH), .QUEUE_DEPTH(QUEUE_DEPTH)
) u_mm2s_sg (
    .clk(clk), .rst(rst),
    .ctl_run(mm2s_run), .ctl_reset_req(mm2s_reset_req), .ctl_curdesc_wr(mm2s_curdesc_wr),
    .ctl_curdesc(mm2s_curdesc), .ctl_tail_wr(mm2s_tail_wr), .ctl_tail(mm2s_tail),
    .halted(mm2s_halted), .idle(mm2s_idle), .busy(mm2s_busy), .srst(mm2s_srst),
    .err_valid(mm2s_err_valid), .err_code(mm2s_err_code), .err_desc(mm2s_err_desc),
    .cur_desc(mm2s_cur_desc), .done_valid(mm2s_done_valid), .done_ioc(mm2s_done_ioc),
    // a stream beat on offer must be taken before the mover may be reset (TVALID is never withdrawn)
    .mover_abort(mm2s_abort), .mover_idle(mm2s_mover_idle && !m_axis_tvalid && hide_ch_quiet[0]),
    .mover_rst(mm2s_mover_rst),
    .m_cmd_valid(mm2s_eng_cmd_valid), .m_cmd_ready(mm2s_eng_cmd_ready), .m_cmd_addr(mm2s_eng_cmd_addr),
    .m_cmd_len(mm2s_eng_cmd_len), .m_cmd_sof(mm2s_eng_cmd_sof), .m_cmd_eof(mm2s_eng_cmd_eof),
    .m_cmd_user(mm2s_eng_cmd_user), .m_cmd_cache(mm2s_eng_cmd_cache), .m_cmd_tag(mm2s_eng_cmd_tag),
    .s_sts_valid(mm2s_eng_sts_valid), .s_sts_ready(mm2s_eng_sts_ready), .s_sts_tag(mm2s_eng_sts_tag),
    .s_sts_len(mm2s_eng_sts_len), .s_sts_error(mm2s_eng_sts_error), .s_sts_sof(mm2s_eng_sts_sof),
    .s_sts_eof(mm2s_eng_sts_eof),
    .m_axi_arid(arb_arid[ID_MM2S*ID_WIDTH +: ID_WIDTH]), .m_axi_araddr(arb_araddr[ID_MM2S*ADDR_WIDTH +: ADDR_WIDTH]),
    .m_axi_arlen(arb_arlen[ID_MM2S*8 +: 8]), .m_axi_arsize(arb_arsize[ID_MM2S*3 +: 3]),
    .m_axi_arburst(arb_arburst[ID_MM2S*2 +: 2]), .m_axi_arlock(arb_arlock[ID_MM2S]),
    .m_axi_arcache(arb_arcache[ID_MM2S*4 +: 4]), .m_axi_arprot(arb_arprot[ID_MM2S*3 +: 3]),
    .m_axi_arvalid(arb_arvalid[ID_MM2S]), .m_axi_arready(arb_arready[ID_MM2S]),
    .m_axi_rid(eng_rid), .m_axi_rdata(eng_rdata), .m_axi_rresp(eng_rresp), .m_axi_rlast(eng_rlast),
    .m_axi_rvalid(arb_rvalid[ID_MM2S]), .m_axi_rready(arb_rready[ID_MM2S]),
    .m_axi_awid(arb_awid[ID_MM2S*ID_WIDTH +: ID_WIDTH]), .m_axi_awaddr(arb_awaddr[ID_MM2S*ADDR_WIDTH +: ADDR_WIDTH]),
    .m_axi_awlen(arb_awlen[ID_MM2S*8 +: 8]), .m_axi_awsize(arb_awsize[ID_MM2S*3 +: 3]),
    .m_axi_awburst(arb_awburst[ID_MM2S*2 +: 2]), .m_axi_awlock(arb_awlock[ID_MM2S]),
    .m_axi_awcache(arb_awcache[ID_MM2S*4 +: 4]), .m_axi_awprot(arb_awprot[ID_MM2S*3 +: 3]),
    .m_axi_awvalid(arb_awvalid[ID_MM2S]), .m_axi_awready(arb_awready[ID_MM2S]),
    .m_axi_wdata(arb_wdata[ID_MM2S*DATA_WIDTH +: DATA_WIDTH]), .m_axi_wstrb(arb_wstrb[ID_MM2S*STRB_WIDTH +: STRB_WIDTH]),
    .m_axi_wlast(arb_wlast[ID_MM2S]), .m_axi_wvalid(arb_wvalid[ID_MM2S]), .m_axi_wready(arb_wready[ID_MM2S]),
    .m_axi_bid(eng_bid), .m_axi_bresp(eng_bresp), .m_axi_bvalid(arb_bvalid[ID_MM2S]), .m_axi_bready(arb_bready[ID_MM2S])
);

// ---------------------------------------------------------------------------------------------
// S2MM channel: engine + registers + hide seam + data mover
wire        s2mm_run, s2mm_reset_req, s2mm_curdesc_wr, s2mm_tail_wr;
wire [63:0] s2mm_curdesc, s2mm_tail, s2mm_err_desc, s2mm_cur_desc;
wire        s2mm_halted, s2mm_idle, s2mm_busy, s2mm_srst, s2mm_err_valid, s2mm_done_valid, s2mm_done_ioc;
wire [3:0]  s2mm_err_code;
wire        s2mm_abort, s2mm_mover_idle, s2mm_mover_rst, s2mm_perf_beat, s2mm_perf_stall;

// engine side of the seam
wire                  s2mm_eng_cmd_valid, s2mm_eng_cmd_ready, s2mm_eng_cmd_sof, s2mm_eng_cmd_eof;
wire [ADDR_WIDTH-1:0] s2mm_eng_cmd_addr;
wire [LEN_WIDTH-1:0]  s2mm_eng_cmd_len;
wire [USER_WIDTH-1:0] s2mm_eng_cmd_user;
wire [1:0]            s2mm_eng_cmd_cache;
wire [TAG_WIDTH-1:0]  s2mm_eng_cmd_tag;
wire                  s2mm_eng_sts_valid, s2mm_eng_sts_ready, s2mm_eng_sts_sof, s2mm_eng_sts_eof;
wire [TAG_WIDTH-1:0]  s2mm_eng_sts_tag;
wire [LEN_WIDTH-1:0]  s2mm_eng_sts_len;
wire [3:0]            s2mm_eng_sts_error;
// mover side of the seam
wire                  s2mm_mov_cmd_valid, s2mm_mov_cmd_ready, s2mm_mov_cmd_sof, s2mm_mov_cmd_eof;
wire [ADDR_WIDTH-1:0] s2mm_mov_cmd_addr;
wire [LEN_WIDTH-1:0]  s2mm_mov_cmd_len;
wire [USER_WIDTH-1:0] s2mm_mov_cmd_user;
wire [TAG_WIDTH-1:0]  s2mm_mov_cmd_tag;
wire                  s2mm_mov_sts_valid, s2mm_mov_sts_ready, s2mm_mov_sts_sof, s2mm_mov_sts_eof;
wire [TAG_WIDTH-1:0]  s2mm_mov_sts_tag;
wire [LEN_WIDTH-1:0]  s2mm_mov_sts_len;
wire [3:0]            s2mm_mov_sts_error;

sgdma_sg_csr u_s2mm_csr (
    .clk(clk), .rst(rst),
    .wr_en(ch_wr_en[1]), .wr_off(ch_wr_off), .wr_data(ch_wr_data), .wr_strb(ch_wr_strb),
    .rd_off(ch_rd_off), .rd_data(ch_rd_data[1]), .rd_hit(ch_rd_hit[1]),
    .ctl_run(s2mm_run), .ctl_reset_req(s2mm_reset_req), .ctl_curdesc_wr(s2mm_curdesc_wr),
    .ctl_curdesc(s2mm_curdesc), .ctl_tail_wr(s2mm_tail_wr), .ctl_tail(s2mm_tail),
    .halted(s2mm_halted), .idle(s2mm_idle), .busy(s2mm_busy), .srst(s2mm_srst),
    .err_valid(s2mm_err_valid), .err_code(s2mm_err_code), .err_desc(s2mm_err_desc),
    .cur_desc(s2mm_cur_desc), .done_valid(s2mm_done_valid), .done_ioc(s2mm_done_ioc),
    .perf_beat(s2mm_perf_beat), .perf_stall(s2mm_perf_stall),
    .irq(irq_s2mm)
);

sgdma_sg #(
    .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .AXI_ID(ID_S2MM),
    .LEN_WIDTH(LEN_WIDTH), .USER_WIDTH(USER_WIDTH), .SGL_MAX(SGL_MAX), .SEG_LOG2(SEG_LOG2),
    .ALIGN_LOG2(ALIGN_LOG2), .S2MM(1), .TAG_WIDTH(TAG_WIDTH), .QUEUE_DEPTH(QUEUE_DEPTH)
) u_s2mm_sg (
    .clk(clk), .rst(rst),
    .ctl_run(s2mm_run), .ctl_reset_req(s2mm_reset_req), .ctl_curdesc_wr(s2mm_curdesc_wr),
    .ctl_curdesc(s2mm_curdesc), .ctl_tail_wr(s2mm_tail_wr), .ctl_tail(s2mm_tail),
    .halted(s2mm_halted), .idle(s2mm_idle), .busy(s2mm_busy), .srst(s2mm_srst),
    .err_valid(s2mm_err_valid), .err_code(s2mm_err_code), .err_desc(s2mm_err_desc),
    .cur_desc(s2mm_cur_desc), .done_valid(s2mm_done_valid), .done_ioc(s2mm_done_ioc),
    .mover_abort(s2mm_abort), .mover_idle(s2mm_mover_idle && hide_ch_quiet[1]),
    .mover_rst(s2mm_mover_rst),
    .m_cmd_valid(s2mm_eng_cmd_valid), .m_cmd_ready(s2mm_eng_cmd_ready), .m_cmd_addr(s2mm_eng_cmd_addr),
    .m_cmd_len(s2mm_eng_cmd_len), .m_cmd_sof(s2mm_eng_cmd_sof), .m_cmd_eof(s2mm_eng_cmd_eof),
    .m_cmd_user(s2mm_eng_cmd_user), .m_cmd_cache(s2mm_eng_cmd_cache), .m_cmd_tag(s2mm_eng_cmd_tag),
    .s_sts_valid(s2mm_eng_sts_valid), .s_sts_ready(s2mm_eng_sts_ready), .s_sts_tag(s2mm_eng_sts_tag),
    .s_sts_len(s2mm_eng_sts_len), .s_sts_error(s2mm_eng_sts_error), .s_sts_sof(s2mm_eng_sts_sof),
    .s_sts_eof(s2mm_eng_sts_eof),
    .m_axi_arid(arb_arid[ID_S2MM*ID_WIDTH +: ID_WIDTH]), .m_axi_araddr(arb_araddr[ID_S2MM*ADDR_WIDTH +: ADDR_WIDTH]),
    .m_axi_arlen(arb_arlen[ID_S2MM*8 +: 8]), .m_axi_arsize(arb_arsize[ID_S2MM*3 +: 3]),
    .m_axi_arburst(arb_arburst[ID_S2MM*2 +: 2]), .m_axi_arlock(arb_arlock[ID_S2MM]),
    .m_axi_arcache(arb_arcache[ID_S2MM*4 +: 4]), .m_axi_arprot(arb_arprot[ID_S2MM*3 +: 3]),
    .m_axi_arvalid(arb_arvalid[ID_S2MM]), .m_axi_arready(arb_arready[ID_S2MM]),
    .m_axi_rid(eng_rid), .m_axi_rdata(eng_rdata), .m_axi_rresp(eng_rresp), .m_axi_rlast(eng_rlast),
    .m_axi_rvalid(arb_rvalid[ID_S2MM]), .m_axi_rready(arb_rready[ID_S2MM]),
    .m_axi_awid(arb_awid[ID_S2MM*ID_WIDTH +: ID_WIDTH]), .m_axi_awaddr(arb_awaddr[ID_S2MM*ADDR_WIDTH +: ADDR_WIDTH]),
    .m_axi_awlen(arb_awlen[ID_S2MM*8 +: 8]), .m_axi_awsize(arb_awsize[ID_S2MM*3 +: 3]),
    .m_axi_awburst(arb_awburst[ID_S2MM*2 +: 2]), .m_axi_awlock(arb_awlock[ID_S2MM]),
    .m_axi_awcache(arb_awcache[ID_S2MM*4 +: 4]), .m_axi_awprot(arb_awprot[ID_S2MM*3 +: 3]),
    .m_axi_awvalid(arb_awvalid[ID_S2MM]), .m_axi_awready(arb_awready[ID_S2MM]),
    .m_axi_wdata(arb_wdata[ID_S2MM*DATA_WIDTH +: DATA_WIDTH]), .m_axi_wstrb(arb_wstrb[ID_S2MM*STRB_WIDTH +: STRB_WIDTH]),
    .m_axi_wlast(arb_wlast[ID_S2MM]), .m_axi_wvalid(arb_wvalid[ID_S2MM]), .m_axi_wready(arb_wready[ID_S2MM]),
    .m_axi_bid(eng_bid), .m_axi_bresp(eng_bresp), .m_axi_bvalid(arb_bvalid[ID_S2MM]), .m_axi_bready(arb_bready[ID_S2MM])
);

// ---------------------------------------------------------------------------------------------
// hide seam (sgdma_hide sits here; it consumes *_eng_cmd_cache)
generate
    if (HIDE_ENTRIES == 0) begin : g_hide_seam
        assign mm2s_mov_cmd_valid = mm2s_eng_cmd_valid;
        assign mm2s_eng_cmd_ready = mm2s_mov_cmd_ready;
        assign mm2s_mov_cmd_addr  = mm2s_eng_cmd_addr;
        assign mm2s_mov_cmd_len   = mm2s_eng_cmd_len;
        assign mm2s_mov_cmd_sof   = mm2s_eng_cmd_sof;
        assign mm2s_mov_cmd_eof   = mm2s_eng_cmd_eof;
        assign mm2s_mov_cmd_user  = mm2s_eng_cmd_user;
        assign mm2s_mov_cmd_tag   = mm2s_eng_cmd_tag;
        assign mm2s_eng_sts_valid = mm2s_mov_sts_valid;
        assign mm2s_mov_sts_ready = mm2s_eng_sts_ready;
        assign mm2s_eng_sts_tag   = mm2s_mov_sts_tag;
        assign mm2s_eng_sts_len   = mm2s_mov_sts_len;
        assign mm2s_eng_sts_error = mm2s_mov_sts_error;
        assign mm2s_eng_sts_sof   = mm2s_mov_sts_sof;
        assign mm2s_eng_sts_eof   = mm2s_mov_sts_eof;

        assign s2mm_mov_cmd_valid = s2mm_eng_cmd_valid;
        assign s2mm_eng_cmd_ready = s2mm_mov_cmd_ready;
        assign s2mm_mov_cmd_addr  = s2mm_eng_cmd_addr;
        assign s2mm_mov_cmd_len   = s2mm_eng_cmd_len;
        assign s2mm_mov_cmd_sof   = s2mm_eng_cmd_sof;
        assign s2mm_mov_cmd_eof   = s2mm_eng_cmd_eof;
        assign s2mm_mov_cmd_user  = s2mm_eng_cmd_user;
        assign s2mm_mov_cmd_tag   = s2mm_eng_cmd_tag;
        assign s2mm_eng_sts_valid = s2mm_mov_sts_valid;
        assign s2mm_mov_sts_ready = s2mm_eng_sts_ready;
        assign s2mm_eng_sts_tag   = s2mm_mov_sts_tag;
        assign s2mm_eng_sts_len   = s2mm_mov_sts_len;
        assign s2mm_eng_sts_error = s2mm_mov_sts_error;
        assign s2mm_eng_sts_sof   = s2mm_mov_sts_sof;
        assign s2mm_eng_sts_eof   = s2mm_mov_sts_eof;
        // CONTROL.CACHE matters only to the hide unit
        wire unused_cache = ^{mm2s_eng_cmd_cache, s2mm_eng_cmd_cache};

        // hide unit absent: its ports are inactive, its registers read 0
        assign hide_rd_data       = {8*32{1'b0}};
        assign hide_ch_quiet      = 2'b11;
        assign m_maint_req_valid  = 1'b0;
        assign m_maint_req_addr   = {ADDR_WIDTH{1'b0}};
        assign m_maint_req_op     = 2'd0;
        assign s_maint_done_ready = 1'b0;
        assign hide_mod_valid     = 1'b0;
        assign hide_mod_addr      = {ADDR_WIDTH{1'b0}};
        assign s_axi_cpu_awready  = 1'b0;
        assign s_axi_cpu_wready   = 1'b0;
        assign s_axi_cpu_bid      = {ID_WIDTH{1'b0}};
        assign s_axi_cpu_bresp    = 2'b00;
        assign s_axi_cpu_bvalid   = 1'b0;
        assign s_axi_cpu_arready  = 1'b0;
        assign s_axi_cpu_rid      = {ID_WIDTH{1'b0}};
        assign s_axi_cpu_rdata    = {DATA_WIDTH{1'b0}};
        assign s_axi_cpu_rresp    = 2'b00;
        assign s_axi_cpu_rlast    = 1'b0;
        assign s_axi_cpu_rvalid   = 1'b0;
        assign m_axi_cpu_awid     = {ID_WIDTH{1'b0}};
        assign m_axi_cpu_awaddr   = {ADDR_WIDTH{1'b0}};
        assign m_axi_cpu_awlen    = 8'd0;
        assign m_axi_cpu_awsize   = 3'd0;
        assign m_axi_cpu_awburst  = 2'd0;
        assign m_axi_cpu_awlock   = 1'b0;
        assign m_axi_cpu_awcache  = 4'd0;
        assign m_axi_cpu_awprot   = 3'd0;
        assign m_axi_cpu_awvalid  = 1'b0;
        assign m_axi_cpu_wdata    = {DATA_WIDTH{1'b0}};
        assign m_axi_cpu_wstrb    = {STRB_WIDTH{1'b0}};
        assign m_axi_cpu_wlast    = 1'b0;
        assign m_axi_cpu_wvalid   = 1'b0;
        assign m_axi_cpu_bready   = 1'b0;
        assign m_axi_cpu_arid     = {ID_WIDTH{1'b0}};
        assign m_axi_cpu_araddr   = {ADDR_WIDTH{1'b0}};
        assign m_axi_cpu_arlen    = 8'd0;
        assign m_axi_cpu_arsize   = 3'd0;
        assign m_axi_cpu_arburst  = 2'd0;
        assign m_axi_cpu_arlock   = 1'b0;
        assign m_axi_cpu_arcache  = 4'd0;
        assign m_axi_cpu_arprot   = 3'd0;
        assign m_axi_cpu_arvalid  = 1'b0;
        assign m_axi_cpu_rready   = 1'b0;
        wire unused_hide_inputs = ^{m_maint_req_ready, s_maint_done_valid,
            s_axi_cpu_awid, s_axi_cpu_awaddr, s_axi_cpu_awlen, s_axi_cpu_awsize, s_axi_cpu_awburst,
            s_axi_cpu_awlock, s_axi_cpu_awcache, s_axi_cpu_awprot, s_axi_cpu_awvalid,
            s_axi_cpu_wdata, s_axi_cpu_wstrb, s_axi_cpu_wlast, s_axi_cpu_wvalid, s_axi_cpu_bready,
            s_axi_cpu_arid, s_axi_cpu_araddr, s_axi_cpu_arlen, s_axi_cpu_arsize, s_axi_cpu_arburst,
            s_axi_cpu_arlock, s_axi_cpu_arcache, s_axi_cpu_arprot, s_axi_cpu_arvalid,
            s_axi_cpu_rready, m_axi_cpu_awready, m_axi_cpu_wready, m_axi_cpu_bid, m_axi_cpu_bresp,
            m_axi_cpu_bvalid, m_axi_cpu_arready, m_axi_cpu_rid, m_axi_cpu_rdata, m_axi_cpu_rresp,
            m_axi_cpu_rlast, m_axi_cpu_rvalid};
    end else begin : g_hide_seam
        // hide unit (hdl/sgdma_hide.v): hides each command's pages before the mover
        // sees it, unhides them when its status returns. Test-only define SGDMA_TEST_HOOKS adds
        // test_skip_maint, a variable the testbench may set to 1 to suppress maintenance requests,
        // and test_gate_open, to let CPU requests to hidden pages through the gate (negative
        // controls of the coherency tests); nothing in the design drives them.
`ifdef SGDMA_TEST_HOOKS
        reg  test_skip_maint = 1'b0;
        reg  test_gate_open = 1'b0;
`else
        wire test_skip_maint = 1'b0;
        wire test_gate_open = 1'b0;
`endif
        wire [15:0]           used;
        wire                  oversize;
        wire [ADDR_WIDTH-1:0] last_mod;
        wire [31:0]           cnt_hides, cnt_maint, cnt_full, cnt_mod, cnt_cpu;
        wire [63:0]           last_mod64 = {{(64-ADDR_WIDTH){1'b0}}, last_mod};
        assign hide_rd_data = {last_mod64[63:32], last_mod64[31:0], cnt_cpu, cnt_mod, cnt_full,
                               cnt_maint, cnt_hides, {15'd0, oversize, used}};
        /* verilator lint_off PINCONNECTEMPTY */ // the trace port is for unit tests only
        sgdma_hide #(
            .ADDR_WIDTH(ADDR_WIDTH), .LEN_WIDTH(LEN_WIDTH), .USER_WIDTH(USER_WIDTH),
            .TAG_WIDTH(TAG_WIDTH), .HIDE_ENTRIES(HIDE_ENTRIES), .PAGE_LOG2(12),
            .INFLIGHT_DEPTH(QUEUE_DEPTH), .CPU_DATA_WIDTH(DATA_WIDTH), .CPU_ID_WIDTH(ID_WIDTH),
            .COUNTER_WIDTH(32)
        ) u_hide (
            .clk(clk), .rst(rst), .test_skip_maint(test_skip_maint), .test_gate_open(test_gate_open),
            .ch_abort({s2mm_abort, mm2s_abort}), .ch_flush({s2mm_mover_rst, mm2s_mover_rst}),
            .ch_quiet(hide_ch_quiet),
            .s_mm2s_cmd_valid(mm2s_eng_cmd_valid), .s_mm2s_cmd_ready(mm2s_eng_cmd_ready),
            .s_mm2s_cmd_addr(mm2s_eng_cmd_addr), .s_mm2s_cmd_len(mm2s_eng_cmd_len),
            .s_mm2s_cmd_sof(mm2s_eng_cmd_sof), .s_mm2s_cmd_eof(mm2s_eng_cmd_eof),
            .s_mm2s_cmd_user(mm2s_eng_cmd_user), .s_mm2s_cmd_cache(mm2s_eng_cmd_cache),
            .s_mm2s_cmd_tag(mm2s_eng_cmd_tag),
            .m_mm2s_cmd_valid(mm2s_mov_cmd_valid), .m_mm2s_cmd_ready(mm2s_mov_cmd_ready),
            .m_mm2s_cmd_addr(mm2s_mov_cmd_addr), .m_mm2s_cmd_len(mm2s_mov_cmd_len),
            .m_mm2s_cmd_sof(mm2s_mov_cmd_sof), .m_mm2s_cmd_eof(mm2s_mov_cmd_eof),
            .m_mm2s_cmd_user(mm2s_mov_cmd_user), .m_mm2s_cmd_cache(),
            .m_mm2s_cmd_tag(mm2s_mov_cmd_tag),
            .s_mm2s_sts_valid(mm2s_mov_sts_valid), .s_mm2s_sts_ready(mm2s_mov_sts_ready),
            .s_mm2s_sts_tag(mm2s_mov_sts_tag), .s_mm2s_sts_len(mm2s_mov_sts_len),
            .s_mm2s_sts_error(mm2s_mov_sts_error), .s_mm2s_sts_sof(mm2s_mov_sts_sof),
            .s_mm2s_sts_eof(mm2s_mov_sts_eof),
            .m_mm2s_sts_valid(mm2s_eng_sts_valid), .m_mm2s_sts_ready(mm2s_eng_sts_ready),
            .m_mm2s_sts_tag(mm2s_eng_sts_tag), .m_mm2s_sts_len(mm2s_eng_sts_len),
            .m_mm2s_sts_error(mm2s_eng_sts_error), .m_mm2s_sts_sof(mm2s_eng_sts_sof),
            .m_mm2s_sts_eof(mm2s_eng_sts_eof),
            .s_s2mm_cmd_valid(s2mm_eng_cmd_valid), .s_s2mm_cmd_ready(s2mm_eng_cmd_ready),
            .s_s2mm_cmd_addr(s2mm_eng_cmd_addr), .s_s2mm_cmd_len(s2mm_eng_cmd_len),
            .s_s2mm_cmd_sof(s2mm_eng_cmd_sof), .s_s2mm_cmd_eof(s2mm_eng_cmd_eof),
            .s_s2mm_cmd_user(s2mm_eng_cmd_user), .s_s2mm_cmd_cache(s2mm_eng_cmd_cache),
            .s_s2mm_cmd_tag(s2mm_eng_cmd_tag),
            .m_s2mm_cmd_valid(s2mm_mov_cmd_valid), .m_s2mm_cmd_ready(s2mm_mov_cmd_ready),
            .m_s2mm_cmd_addr(s2mm_mov_cmd_addr), .m_s2mm_cmd_len(s2mm_mov_cmd_len),
            .m_s2mm_cmd_sof(s2mm_mov_cmd_sof), .m_s2mm_cmd_eof(s2mm_mov_cmd_eof),
            .m_s2mm_cmd_user(s2mm_mov_cmd_user), .m_s2mm_cmd_cache(),
            .m_s2mm_cmd_tag(s2mm_mov_cmd_tag),
            .s_s2mm_sts_valid(s2mm_mov_sts_valid), .s_s2mm_sts_ready(s2mm_mov_sts_ready),
            .s_s2mm_sts_tag(s2mm_mov_sts_tag), .s_s2mm_sts_len(s2mm_mov_sts_len),
            .s_s2mm_sts_error(s2mm_mov_sts_error), .s_s2mm_sts_sof(s2mm_mov_sts_sof),
            .s_s2mm_sts_eof(s2mm_mov_sts_eof),
            .m_s2mm_sts_valid(s2mm_eng_sts_valid), .m_s2mm_sts_ready(s2mm_eng_sts_ready),
            .m_s2mm_sts_tag(s2mm_eng_sts_tag), .m_s2mm_sts_len(s2mm_eng_sts_len),
            .m_s2mm_sts_error(s2mm_eng_sts_error), .m_s2mm_sts_sof(s2mm_eng_sts_sof),
            .m_s2mm_sts_eof(s2mm_eng_sts_eof),
            .m_maint_req_valid(m_maint_req_valid), .m_maint_req_ready(m_maint_req_ready),
            .m_maint_req_addr(m_maint_req_addr), .m_maint_req_op(m_maint_req_op),
            .s_maint_done_valid(s_maint_done_valid), .s_maint_done_ready(s_maint_done_ready),
            .s_axi_cpu_awid(s_axi_cpu_awid), .s_axi_cpu_awaddr(s_axi_cpu_awaddr),
            .s_axi_cpu_awlen(s_axi_cpu_awlen), .s_axi_cpu_awsize(s_axi_cpu_awsize),
            .s_axi_cpu_awburst(s_axi_cpu_awburst), .s_axi_cpu_awlock(s_axi_cpu_awlock),
            .s_axi_cpu_awcache(s_axi_cpu_awcache), .s_axi_cpu_awprot(s_axi_cpu_awprot),
            .s_axi_cpu_awvalid(s_axi_cpu_awvalid), .s_axi_cpu_awready(s_axi_cpu_awready),
            .s_axi_cpu_wdata(s_axi_cpu_wdata), .s_axi_cpu_wstrb(s_axi_cpu_wstrb),
            .s_axi_cpu_wlast(s_axi_cpu_wlast), .s_axi_cpu_wvalid(s_axi_cpu_wvalid),
            .s_axi_cpu_wready(s_axi_cpu_wready), .s_axi_cpu_bid(s_axi_cpu_bid),
            .s_axi_cpu_bresp(s_axi_cpu_bresp), .s_axi_cpu_bvalid(s_axi_cpu_bvalid),
            .s_axi_cpu_bready(s_axi_cpu_bready), .s_axi_cpu_arid(s_axi_cpu_arid),
            .s_axi_cpu_araddr(s_axi_cpu_araddr), .s_axi_cpu_arlen(s_axi_cpu_arlen),
            .s_axi_cpu_arsize(s_axi_cpu_arsize), .s_axi_cpu_arburst(s_axi_cpu_arburst),
            .s_axi_cpu_arlock(s_axi_cpu_arlock), .s_axi_cpu_arcache(s_axi_cpu_arcache),
            .s_axi_cpu_arprot(s_axi_cpu_arprot), .s_axi_cpu_arvalid(s_axi_cpu_arvalid),
            .s_axi_cpu_arready(s_axi_cpu_arready), .s_axi_cpu_rid(s_axi_cpu_rid),
            .s_axi_cpu_rdata(s_axi_cpu_rdata), .s_axi_cpu_rresp(s_axi_cpu_rresp),
            .s_axi_cpu_rlast(s_axi_cpu_rlast), .s_axi_cpu_rvalid(s_axi_cpu_rvalid),
            .s_axi_cpu_rready(s_axi_cpu_rready),
            .m_axi_cpu_awid(m_axi_cpu_awid), .m_axi_cpu_awaddr(m_axi_cpu_awaddr),
            .m_axi_cpu_awlen(m_axi_cpu_awlen), .m_axi_cpu_awsize(m_axi_cpu_awsize),
            .m_axi_cpu_awburst(m_axi_cpu_awburst), .m_axi_cpu_awlock(m_axi_cpu_awlock),
            .m_axi_cpu_awcache(m_axi_cpu_awcache), .m_axi_cpu_awprot(m_axi_cpu_awprot),
            .m_axi_cpu_awvalid(m_axi_cpu_awvalid), .m_axi_cpu_awready(m_axi_cpu_awready),
            .m_axi_cpu_wdata(m_axi_cpu_wdata), .m_axi_cpu_wstrb(m_axi_cpu_wstrb),
            .m_axi_cpu_wlast(m_axi_cpu_wlast), .m_axi_cpu_wvalid(m_axi_cpu_wvalid),
            .m_axi_cpu_wready(m_axi_cpu_wready), .m_axi_cpu_bid(m_axi_cpu_bid),
            .m_axi_cpu_bresp(m_axi_cpu_bresp), .m_axi_cpu_bvalid(m_axi_cpu_bvalid),
            .m_axi_cpu_bready(m_axi_cpu_bready), .m_axi_cpu_arid(m_axi_cpu_arid),
            .m_axi_cpu_araddr(m_axi_cpu_araddr), .m_axi_cpu_arlen(m_axi_cpu_arlen),
            .m_axi_cpu_arsize(m_axi_cpu_arsize), .m_axi_cpu_arburst(m_axi_cpu_arburst),
            .m_axi_cpu_arlock(m_axi_cpu_arlock), .m_axi_cpu_arcache(m_axi_cpu_arcache),
            .m_axi_cpu_arprot(m_axi_cpu_arprot), .m_axi_cpu_arvalid(m_axi_cpu_arvalid),
            .m_axi_cpu_arready(m_axi_cpu_arready), .m_axi_cpu_rid(m_axi_cpu_rid),
            .m_axi_cpu_rdata(m_axi_cpu_rdata), .m_axi_cpu_rresp(m_axi_cpu_rresp),
            .m_axi_cpu_rlast(m_axi_cpu_rlast), .m_axi_cpu_rvalid(m_axi_cpu_rvalid),
            .m_axi_cpu_rready(m_axi_cpu_rready),
            .mod_valid(hide_mod_valid), .mod_addr(hide_mod_addr),
            .trace_valid(), .trace_unhide(), .trace_addr(), .trace_count(), .trace_modified(),
            .sts_entries_used(used), .sts_oversize(oversize), .sts_last_mod_addr(last_mod),
            .cnt_hides(cnt_hides), .cnt_maint(cnt_maint), .cnt_full_stall(cnt_full),
            .cnt_modified(cnt_mod), .cnt_cpu_stall(cnt_cpu)
        );
        /* verilator lint_on PINCONNECTEMPTY */
    end
endgenerate

// ---------------------------------------------------------------------------------------------
// data movers (reset by the system reset and by their engine after a drain or soft reset)
sgdma_mm2s #(
    .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .AXI_ID(ID_DATA),
    .LEN_WIDTH(LEN_WIDTH), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_OUTSTANDING(MAX_OUTSTANDING),
    .FIFO_DEPTH(DATA_FIFO_DEPTH), .USER_WIDTH(USER_WIDTH), .TAG_WIDTH(TAG_WIDTH)
) u_mm2s (
    .clk(clk), .rst(rst || mm2s_mover_rst),
    .s_cmd_valid(mm2s_mov_cmd_valid), .s_cmd_ready(mm2s_mov_cmd_ready), .s_cmd_addr(mm2s_mov_cmd_addr),
    .s_cmd_len(mm2s_mov_cmd_len), .s_cmd_sof(mm2s_mov_cmd_sof), .s_cmd_eof(mm2s_mov_cmd_eof),
    .s_cmd_user(mm2s_mov_cmd_user), .s_cmd_tag(mm2s_mov_cmd_tag),
    .m_sts_valid(mm2s_mov_sts_valid), .m_sts_ready(mm2s_mov_sts_ready), .m_sts_tag(mm2s_mov_sts_tag),
    .m_sts_len(mm2s_mov_sts_len), .m_sts_error(mm2s_mov_sts_error), .m_sts_sof(mm2s_mov_sts_sof),
    .m_sts_eof(mm2s_mov_sts_eof),
    .m_axi_arid(arb_arid[ID_DATA*ID_WIDTH +: ID_WIDTH]), .m_axi_araddr(arb_araddr[ID_DATA*ADDR_WIDTH +: ADDR_WIDTH]),
    .m_axi_arlen(arb_arlen[ID_DATA*8 +: 8]), .m_axi_arsize(arb_arsize[ID_DATA*3 +: 3]),
    .m_axi_arburst(arb_arburst[ID_DATA*2 +: 2]), .m_axi_arlock(arb_arlock[ID_DATA]),
    .m_axi_arcache(arb_arcache[ID_DATA*4 +: 4]), .m_axi_arprot(arb_arprot[ID_DATA*3 +: 3]),
    .m_axi_arvalid(arb_arvalid[ID_DATA]), .m_axi_arready(arb_arready[ID_DATA]),
    .m_axi_rid(arb_rid), .m_axi_rdata(arb_rdata), .m_axi_rresp(arb_rresp), .m_axi_rlast(arb_rlast),
    .m_axi_rvalid(arb_rvalid[ID_DATA]), .m_axi_rready(arb_rready[ID_DATA]),
    .m_axis_tdata(m_axis_tdata), .m_axis_tkeep(m_axis_tkeep), .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready), .m_axis_tlast(m_axis_tlast), .m_axis_tuser(m_axis_tuser),
    .abort(mm2s_abort), .idle(mm2s_mover_idle), .perf_beat(mm2s_perf_beat), .perf_stall(mm2s_perf_stall)
);

sgdma_s2mm #(
    .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .AXI_ID(ID_DATA),
    .LEN_WIDTH(LEN_WIDTH), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_OUTSTANDING(MAX_OUTSTANDING),
    .FIFO_DEPTH(DATA_FIFO_DEPTH), .USER_WIDTH(USER_WIDTH), .TAG_WIDTH(TAG_WIDTH)
) u_s2mm (
    .clk(clk), .rst(rst || s2mm_mover_rst),
    .s_cmd_valid(s2mm_mov_cmd_valid), .s_cmd_ready(s2mm_mov_cmd_ready), .s_cmd_addr(s2mm_mov_cmd_addr),
    .s_cmd_len(s2mm_mov_cmd_len), .s_cmd_sof(s2mm_mov_cmd_sof), .s_cmd_eof(s2mm_mov_cmd_eof),
    .s_cmd_user(s2mm_mov_cmd_user), .s_cmd_tag(s2mm_mov_cmd_tag),
    .m_sts_valid(s2mm_mov_sts_valid), .m_sts_ready(s2mm_mov_sts_ready), .m_sts_tag(s2mm_mov_sts_tag),
    .m_sts_len(s2mm_mov_sts_len), .m_sts_error(s2mm_mov_sts_error), .m_sts_sof(s2mm_mov_sts_sof),
    .m_sts_eof(s2mm_mov_sts_eof),
    .m_axi_awid(arb_awid[ID_DATA*ID_WIDTH +: ID_WIDTH]), .m_axi_awaddr(arb_awaddr[ID_DATA*ADDR_WIDTH +: ADDR_WIDTH]),
    .m_axi_awlen(arb_awlen[ID_DATA*8 +: 8]), .m_axi_awsize(arb_awsize[ID_DATA*3 +: 3]),
    .m_axi_awburst(arb_awburst[ID_DATA*2 +: 2]), .m_axi_awlock(arb_awlock[ID_DATA]),
    .m_axi_awcache(arb_awcache[ID_DATA*4 +: 4]), .m_axi_awprot(arb_awprot[ID_DATA*3 +: 3]),
    .m_axi_awvalid(arb_awvalid[ID_DATA]), .m_axi_awready(arb_awready[ID_DATA]),
    .m_axi_wdata(arb_wdata[ID_DATA*DATA_WIDTH +: DATA_WIDTH]), .m_axi_wstrb(arb_wstrb[ID_DATA*STRB_WIDTH +: STRB_WIDTH]),
    .m_axi_wlast(arb_wlast[ID_DATA]), .m_axi_wvalid(arb_wvalid[ID_DATA]), .m_axi_wready(arb_wready[ID_DATA]),
    .m_axi_bid(arb_bid), .m_axi_bresp(arb_bresp), .m_axi_bvalid(arb_bvalid[ID_DATA]),
    .m_axi_bready(arb_bready[ID_DATA]),
    .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep), .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready), .s_axis_tlast(s_axis_tlast),
    .abort(s2mm_abort), .idle(s2mm_mover_idle), .perf_beat(s2mm_perf_beat), .perf_stall(s2mm_perf_stall)
);

endmodule

`resetall
