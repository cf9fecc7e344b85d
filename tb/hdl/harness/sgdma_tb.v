// sgdma_tb: the system-test toplevel: sgdma with a protocol checker on each of its interfaces and a
// hostile-interconnect shim (axi_hostile, off by default) on each AXI master port (testbench only).
//
// Parameters and ports are sgdma's, passed through unchanged, so cocotbext-axi attaches by the same
// prefixes (s_axil, m_axi, m_axis, s_axis); m_axi_*, m_axi_sg_* and m_axi_cpu_* reach the ports
// through axi_hostile (hostile_mode = 0: plain wires), and the AXI checkers watch the DUT side.
// Checkers: axi4_checker on m_axi (the DUT is the master), axil_checker on s_axil, axis_checker on
// m_axis (DUT drives TVALID/payload) and on s_axis (DUT drives TREADY; the testbench's source drives
// the payload, checked too), axi4_checker on m_axi_sg (SG_PORT=1) and on m_axi_cpu (the hide unit's
// CPU gate toward memory). Their records come out as
// chk_<axi|axil|mm2s|s2mm>_error_*; with CHK_FATAL=1 (default) the first violation stops the
// simulation with $fatal(1, "<checker>: rule N: ...").
`resetall
`timescale 1ns / 1ps
`default_nettype none

module sgdma_tb #(
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
    parameter integer SG_PORT         = 1,    // 1: descriptors and status write-back on m_axi_sg; 0: all on m_axi
    parameter integer DESC_PREFETCH   = 4,    // descriptor fetch bursts in flight per channel, 1..8
    parameter integer DESC_BURST      = 4,    // most contiguous descriptors per fetch burst, 1..16 (capped by MAX_BURST_LEN)
    parameter integer WB_OUTSTANDING  = 4,    // STATUS write-backs in flight per channel, 1..16
    parameter integer CHK_FATAL = 1,        // checkers stop the simulation on the first violation
    // Reads in flight on m_axi, all IDs: the MM2S mover's MAX_OUTSTANDING plus DESC_PREFETCH
    // descriptor fetch bursts per engine (IDs 1 and 2).
    parameter integer CHK_MAX_RD_OUTSTANDING = MAX_OUTSTANDING + 2 * DESC_PREFETCH,
    // Writes in flight on m_axi, all IDs: the S2MM mover's bursts plus WB_OUTSTANDING status writes
    // per engine.
    parameter integer CHK_MAX_WR_OUTSTANDING = MAX_OUTSTANDING + 2 * WB_OUTSTANDING,
    // W bursts that may start before their AW handshake: sgdma offers W from the cycle after its AW is
    // first offered, without waiting for AWREADY, and offers the next AW only after that one is taken
    parameter integer CHK_MAX_W_AHEAD = 1
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
    output wire [ADDR_WIDTH-1:0]       hide_mod_addr,

    output wire                        chk_axi_error_valid,
    output wire [7:0]                  chk_axi_error_rule,
    output wire [31:0]                 chk_axi_error_cycle,
    output wire [31:0]                 chk_axi_error_count,
    output wire [31:0]                 chk_axi_error_mask,
    output wire                        chk_axil_error_valid,
    output wire [7:0]                  chk_axil_error_rule,
    output wire [31:0]                 chk_axil_error_cycle,
    output wire [31:0]                 chk_axil_error_count,
    output wire [31:0]                 chk_axil_error_mask,
    output wire                        chk_mm2s_error_valid,
    output wire [7:0]                  chk_mm2s_error_rule,
    output wire [31:0]                 chk_mm2s_error_cycle,
    output wire [31:0]                 chk_mm2s_error_count,
    output wire [31:0]                 chk_mm2s_error_mask,
    output wire                        chk_s2mm_error_valid,
    output wire [7:0]                  chk_s2mm_error_rule,
    output wire [31:0]                 chk_s2mm_error_cycle,
    output wire [31:0]                 chk_s2mm_error_count,
    output wire [31:0]                 chk_s2mm_error_mask,
    output wire                        chk_cpu_error_valid,
    output wire [7:0]                  chk_cpu_error_rule,
    output wire [31:0]                 chk_cpu_error_cycle,
    output wire [31:0]                 chk_cpu_error_count,
    output wire [31:0]                 chk_cpu_error_mask,
    output wire [31:0]                 cycle
);

// ---- generated by tb/gen_sgdma_tb.py: sgdma's AXI master ports as the DUT drives them
wire [ID_WIDTH-1:0] dut_m_axi_awid;
wire [ADDR_WIDTH-1:0] dut_m_axi_awaddr;
wire [7:0] dut_m_axi_awlen;
wire [2:0] dut_m_axi_awsize;
wire [1:0] dut_m_axi_awburst;
wire dut_m_axi_awlock;
wire [3:0] dut_m_axi_awcache;
wire [2:0] dut_m_axi_awprot;
wire dut_m_axi_awvalid;
wire dut_m_axi_awready;
wire [DATA_WIDTH-1:0] dut_m_axi_wdata;
wire [DATA_WIDTH/8-1:0] dut_m_axi_wstrb;
wire dut_m_axi_wlast;
wire dut_m_axi_wvalid;
wire dut_m_axi_wready;
wire [ID_WIDTH-1:0] dut_m_axi_bid;
wire [1:0] dut_m_axi_bresp;
wire dut_m_axi_bvalid;
wire dut_m_axi_bready;
wire [ID_WIDTH-1:0] dut_m_axi_arid;
wire [ADDR_WIDTH-1:0] dut_m_axi_araddr;
wire [7:0] dut_m_axi_arlen;
wire [2:0] dut_m_axi_arsize;
wire [1:0] dut_m_axi_arburst;
wire dut_m_axi_arlock;
wire [3:0] dut_m_axi_arcache;
wire [2:0] dut_m_axi_arprot;
wire dut_m_axi_arvalid;
wire dut_m_axi_arready;
wire [ID_WIDTH-1:0] dut_m_axi_rid;
wire [DATA_WIDTH-1:0] dut_m_axi_rdata;
wire [1:0] dut_m_axi_rresp;
wire dut_m_axi_rlast;
wire dut_m_axi_rvalid;
wire dut_m_axi_rready;
wire [ID_WIDTH-1:0] dut_m_axi_sg_awid;
wire [ADDR_WIDTH-1:0] dut_m_axi_sg_awaddr;
wire [7:0] dut_m_axi_sg_awlen;
wire [2:0] dut_m_axi_sg_awsize;
wire [1:0] dut_m_axi_sg_awburst;
wire dut_m_axi_sg_awlock;
wire [3:0] dut_m_axi_sg_awcache;
wire [2:0] dut_m_axi_sg_awprot;
wire dut_m_axi_sg_awvalid;
wire dut_m_axi_sg_awready;
wire [DATA_WIDTH-1:0] dut_m_axi_sg_wdata;
wire [DATA_WIDTH/8-1:0] dut_m_axi_sg_wstrb;
wire dut_m_axi_sg_wlast;
wire dut_m_axi_sg_wvalid;
wire dut_m_axi_sg_wready;
wire [ID_WIDTH-1:0] dut_m_axi_sg_bid;
wire [1:0] dut_m_axi_sg_bresp;
wire dut_m_axi_sg_bvalid;
wire dut_m_axi_sg_bready;
wire [ID_WIDTH-1:0] dut_m_axi_sg_arid;
wire [ADDR_WIDTH-1:0] dut_m_axi_sg_araddr;
wire [7:0] dut_m_axi_sg_arlen;
wire [2:0] dut_m_axi_sg_arsize;
wire [1:0] dut_m_axi_sg_arburst;
wire dut_m_axi_sg_arlock;
wire [3:0] dut_m_axi_sg_arcache;
wire [2:0] dut_m_axi_sg_arprot;
wire dut_m_axi_sg_arvalid;
wire dut_m_axi_sg_arready;
wire [ID_WIDTH-1:0] dut_m_axi_sg_rid;
wire [DATA_WIDTH-1:0] dut_m_axi_sg_rdata;
wire [1:0] dut_m_axi_sg_rresp;
wire dut_m_axi_sg_rlast;
wire dut_m_axi_sg_rvalid;
wire dut_m_axi_sg_rready;
wire [ID_WIDTH-1:0] dut_m_axi_cpu_awid;
wire [ADDR_WIDTH-1:0] dut_m_axi_cpu_awaddr;
wire [7:0] dut_m_axi_cpu_awlen;
wire [2:0] dut_m_axi_cpu_awsize;
wire [1:0] dut_m_axi_cpu_awburst;
wire dut_m_axi_cpu_awlock;
wire [3:0] dut_m_axi_cpu_awcache;
wire [2:0] dut_m_axi_cpu_awprot;
wire dut_m_axi_cpu_awvalid;
wire dut_m_axi_cpu_awready;
wire [DATA_WIDTH-1:0] dut_m_axi_cpu_wdata;
wire [DATA_WIDTH/8-1:0] dut_m_axi_cpu_wstrb;
wire dut_m_axi_cpu_wlast;
wire dut_m_axi_cpu_wvalid;
wire dut_m_axi_cpu_wready;
wire [ID_WIDTH-1:0] dut_m_axi_cpu_bid;
wire [1:0] dut_m_axi_cpu_bresp;
wire dut_m_axi_cpu_bvalid;
wire dut_m_axi_cpu_bready;
wire [ID_WIDTH-1:0] dut_m_axi_cpu_arid;
wire [ADDR_WIDTH-1:0] dut_m_axi_cpu_araddr;
wire [7:0] dut_m_axi_cpu_arlen;
wire [2:0] dut_m_axi_cpu_arsize;
wire [1:0] dut_m_axi_cpu_arburst;
wire dut_m_axi_cpu_arlock;
wire [3:0] dut_m_axi_cpu_arcache;
wire [2:0] dut_m_axi_cpu_arprot;
wire dut_m_axi_cpu_arvalid;
wire dut_m_axi_cpu_arready;
wire [ID_WIDTH-1:0] dut_m_axi_cpu_rid;
wire [DATA_WIDTH-1:0] dut_m_axi_cpu_rdata;
wire [1:0] dut_m_axi_cpu_rresp;
wire dut_m_axi_cpu_rlast;
wire dut_m_axi_cpu_rvalid;
wire dut_m_axi_cpu_rready;

sgdma #(.AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .LEN_WIDTH(LEN_WIDTH), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_OUTSTANDING(MAX_OUTSTANDING), .SGL_MAX(SGL_MAX), .SEG_LOG2(SEG_LOG2), .ALIGN_LOG2(ALIGN_LOG2), .DATA_FIFO_DEPTH(DATA_FIFO_DEPTH), .USER_WIDTH(USER_WIDTH), .HIDE_ENTRIES(HIDE_ENTRIES), .SG_PORT(SG_PORT), .DESC_PREFETCH(DESC_PREFETCH), .DESC_BURST(DESC_BURST), .WB_OUTSTANDING(WB_OUTSTANDING)) dut (
    .clk(clk),
    .rst(rst),
    .s_axil_awaddr(s_axil_awaddr),
    .s_axil_awprot(s_axil_awprot),
    .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata),
    .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready),
    .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready),
    .s_axil_araddr(s_axil_araddr),
    .s_axil_arprot(s_axil_arprot),
    .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .m_axi_awid(dut_m_axi_awid),
    .m_axi_awaddr(dut_m_axi_awaddr),
    .m_axi_awlen(dut_m_axi_awlen),
    .m_axi_awsize(dut_m_axi_awsize),
    .m_axi_awburst(dut_m_axi_awburst),
    .m_axi_awlock(dut_m_axi_awlock),
    .m_axi_awcache(dut_m_axi_awcache),
    .m_axi_awprot(dut_m_axi_awprot),
    .m_axi_awvalid(dut_m_axi_awvalid),
    .m_axi_awready(dut_m_axi_awready),
    .m_axi_wdata(dut_m_axi_wdata),
    .m_axi_wstrb(dut_m_axi_wstrb),
    .m_axi_wlast(dut_m_axi_wlast),
    .m_axi_wvalid(dut_m_axi_wvalid),
    .m_axi_wready(dut_m_axi_wready),
    .m_axi_bid(dut_m_axi_bid),
    .m_axi_bresp(dut_m_axi_bresp),
    .m_axi_bvalid(dut_m_axi_bvalid),
    .m_axi_bready(dut_m_axi_bready),
    .m_axi_arid(dut_m_axi_arid),
    .m_axi_araddr(dut_m_axi_araddr),
    .m_axi_arlen(dut_m_axi_arlen),
    .m_axi_arsize(dut_m_axi_arsize),
    .m_axi_arburst(dut_m_axi_arburst),
    .m_axi_arlock(dut_m_axi_arlock),
    .m_axi_arcache(dut_m_axi_arcache),
    .m_axi_arprot(dut_m_axi_arprot),
    .m_axi_arvalid(dut_m_axi_arvalid),
    .m_axi_arready(dut_m_axi_arready),
    .m_axi_rid(dut_m_axi_rid),
    .m_axi_rdata(dut_m_axi_rdata),
    .m_axi_rresp(dut_m_axi_rresp),
    .m_axi_rlast(dut_m_axi_rlast),
    .m_axi_rvalid(dut_m_axi_rvalid),
    .m_axi_rready(dut_m_axi_rready),
    .m_axi_sg_awid(dut_m_axi_sg_awid),
    .m_axi_sg_awaddr(dut_m_axi_sg_awaddr),
    .m_axi_sg_awlen(dut_m_axi_sg_awlen),
    .m_axi_sg_awsize(dut_m_axi_sg_awsize),
    .m_axi_sg_awburst(dut_m_axi_sg_awburst),
    .m_axi_sg_awlock(dut_m_axi_sg_awlock),
    .m_axi_sg_awcache(dut_m_axi_sg_awcache),
    .m_axi_sg_awprot(dut_m_axi_sg_awprot),
    .m_axi_sg_awvalid(dut_m_axi_sg_awvalid),
    .m_axi_sg_awready(dut_m_axi_sg_awready),
    .m_axi_sg_wdata(dut_m_axi_sg_wdata),
    .m_axi_sg_wstrb(dut_m_axi_sg_wstrb),
    .m_axi_sg_wlast(dut_m_axi_sg_wlast),
    .m_axi_sg_wvalid(dut_m_axi_sg_wvalid),
    .m_axi_sg_wready(dut_m_axi_sg_wready),
    .m_axi_sg_bid(dut_m_axi_sg_bid),
    .m_axi_sg_bresp(dut_m_axi_sg_bresp),
    .m_axi_sg_bvalid(dut_m_axi_sg_bvalid),
    .m_axi_sg_bready(dut_m_axi_sg_bready),
    .m_axi_sg_arid(dut_m_axi_sg_arid),
    .m_axi_sg_araddr(dut_m_axi_sg_araddr),
    .m_axi_sg_arlen(dut_m_axi_sg_arlen),
    .m_axi_sg_arsize(dut_m_axi_sg_arsize),
    .m_axi_sg_arburst(dut_m_axi_sg_arburst),
    .m_axi_sg_arlock(dut_m_axi_sg_arlock),
    .m_axi_sg_arcache(dut_m_axi_sg_arcache),
    .m_axi_sg_arprot(dut_m_axi_sg_arprot),
    .m_axi_sg_arvalid(dut_m_axi_sg_arvalid),
    .m_axi_sg_arready(dut_m_axi_sg_arready),
    .m_axi_sg_rid(dut_m_axi_sg_rid),
    .m_axi_sg_rdata(dut_m_axi_sg_rdata),
    .m_axi_sg_rresp(dut_m_axi_sg_rresp),
    .m_axi_sg_rlast(dut_m_axi_sg_rlast),
    .m_axi_sg_rvalid(dut_m_axi_sg_rvalid),
    .m_axi_sg_rready(dut_m_axi_sg_rready),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tuser(m_axis_tuser),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready),
    .s_axis_tlast(s_axis_tlast),
    .irq_mm2s(irq_mm2s),
    .irq_s2mm(irq_s2mm),
    .m_maint_req_valid(m_maint_req_valid),
    .m_maint_req_ready(m_maint_req_ready),
    .m_maint_req_addr(m_maint_req_addr),
    .m_maint_req_op(m_maint_req_op),
    .s_maint_done_valid(s_maint_done_valid),
    .s_maint_done_ready(s_maint_done_ready),
    .s_axi_cpu_awid(s_axi_cpu_awid),
    .s_axi_cpu_awaddr(s_axi_cpu_awaddr),
    .s_axi_cpu_awlen(s_axi_cpu_awlen),
    .s_axi_cpu_awsize(s_axi_cpu_awsize),
    .s_axi_cpu_awburst(s_axi_cpu_awburst),
    .s_axi_cpu_awlock(s_axi_cpu_awlock),
    .s_axi_cpu_awcache(s_axi_cpu_awcache),
    .s_axi_cpu_awprot(s_axi_cpu_awprot),
    .s_axi_cpu_awvalid(s_axi_cpu_awvalid),
    .s_axi_cpu_awready(s_axi_cpu_awready),
    .s_axi_cpu_wdata(s_axi_cpu_wdata),
    .s_axi_cpu_wstrb(s_axi_cpu_wstrb),
    .s_axi_cpu_wlast(s_axi_cpu_wlast),
    .s_axi_cpu_wvalid(s_axi_cpu_wvalid),
    .s_axi_cpu_wready(s_axi_cpu_wready),
    .s_axi_cpu_bid(s_axi_cpu_bid),
    .s_axi_cpu_bresp(s_axi_cpu_bresp),
    .s_axi_cpu_bvalid(s_axi_cpu_bvalid),
    .s_axi_cpu_bready(s_axi_cpu_bready),
    .s_axi_cpu_arid(s_axi_cpu_arid),
    .s_axi_cpu_araddr(s_axi_cpu_araddr),
    .s_axi_cpu_arlen(s_axi_cpu_arlen),
    .s_axi_cpu_arsize(s_axi_cpu_arsize),
    .s_axi_cpu_arburst(s_axi_cpu_arburst),
    .s_axi_cpu_arlock(s_axi_cpu_arlock),
    .s_axi_cpu_arcache(s_axi_cpu_arcache),
    .s_axi_cpu_arprot(s_axi_cpu_arprot),
    .s_axi_cpu_arvalid(s_axi_cpu_arvalid),
    .s_axi_cpu_arready(s_axi_cpu_arready),
    .s_axi_cpu_rid(s_axi_cpu_rid),
    .s_axi_cpu_rdata(s_axi_cpu_rdata),
    .s_axi_cpu_rresp(s_axi_cpu_rresp),
    .s_axi_cpu_rlast(s_axi_cpu_rlast),
    .s_axi_cpu_rvalid(s_axi_cpu_rvalid),
    .s_axi_cpu_rready(s_axi_cpu_rready),
    .m_axi_cpu_awid(dut_m_axi_cpu_awid),
    .m_axi_cpu_awaddr(dut_m_axi_cpu_awaddr),
    .m_axi_cpu_awlen(dut_m_axi_cpu_awlen),
    .m_axi_cpu_awsize(dut_m_axi_cpu_awsize),
    .m_axi_cpu_awburst(dut_m_axi_cpu_awburst),
    .m_axi_cpu_awlock(dut_m_axi_cpu_awlock),
    .m_axi_cpu_awcache(dut_m_axi_cpu_awcache),
    .m_axi_cpu_awprot(dut_m_axi_cpu_awprot),
    .m_axi_cpu_awvalid(dut_m_axi_cpu_awvalid),
    .m_axi_cpu_awready(dut_m_axi_cpu_awready),
    .m_axi_cpu_wdata(dut_m_axi_cpu_wdata),
    .m_axi_cpu_wstrb(dut_m_axi_cpu_wstrb),
    .m_axi_cpu_wlast(dut_m_axi_cpu_wlast),
    .m_axi_cpu_wvalid(dut_m_axi_cpu_wvalid),
    .m_axi_cpu_wready(dut_m_axi_cpu_wready),
    .m_axi_cpu_bid(dut_m_axi_cpu_bid),
    .m_axi_cpu_bresp(dut_m_axi_cpu_bresp),
    .m_axi_cpu_bvalid(dut_m_axi_cpu_bvalid),
    .m_axi_cpu_bready(dut_m_axi_cpu_bready),
    .m_axi_cpu_arid(dut_m_axi_cpu_arid),
    .m_axi_cpu_araddr(dut_m_axi_cpu_araddr),
    .m_axi_cpu_arlen(dut_m_axi_cpu_arlen),
    .m_axi_cpu_arsize(dut_m_axi_cpu_arsize),
    .m_axi_cpu_arburst(dut_m_axi_cpu_arburst),
    .m_axi_cpu_arlock(dut_m_axi_cpu_arlock),
    .m_axi_cpu_arcache(dut_m_axi_cpu_arcache),
    .m_axi_cpu_arprot(dut_m_axi_cpu_arprot),
    .m_axi_cpu_arvalid(dut_m_axi_cpu_arvalid),
    .m_axi_cpu_arready(dut_m_axi_cpu_arready),
    .m_axi_cpu_rid(dut_m_axi_cpu_rid),
    .m_axi_cpu_rdata(dut_m_axi_cpu_rdata),
    .m_axi_cpu_rresp(dut_m_axi_cpu_rresp),
    .m_axi_cpu_rlast(dut_m_axi_cpu_rlast),
    .m_axi_cpu_rvalid(dut_m_axi_cpu_rvalid),
    .m_axi_cpu_rready(dut_m_axi_cpu_rready),
    .hide_mod_valid(hide_mod_valid),
    .hide_mod_addr(hide_mod_addr)
);

// ---- hostile interconnect (tb/hdl/harness/axi_hostile.v) between each AXI master of sgdma and this wrapper's
// ports, where the memory models attach. hostile_mode / hostile_seed are set once from Python before
// reset is released (tb/hostile.py); 0 = plain wires, no added cycle. The protocol checkers below
// watch the DUT side (dut_*). The m_axi_sg and m_axi_cpu shims act only where those ports are used.
reg [7:0]  hostile_mode = 8'd0;
reg [31:0] hostile_seed = 32'd1;

/* verilator lint_off PINCONNECTEMPTY */ // shim counters are read by tests through the hierarchy
axi_hostile #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .ID_COUNT(4))
hostile_axi (
    .clk(clk), .rst(rst), .mode(hostile_mode), .seed(hostile_seed),
    .s_axi_awid(dut_m_axi_awid), .s_axi_awaddr(dut_m_axi_awaddr), .s_axi_awlen(dut_m_axi_awlen),
    .s_axi_awsize(dut_m_axi_awsize), .s_axi_awburst(dut_m_axi_awburst), .s_axi_awlock(dut_m_axi_awlock),
    .s_axi_awcache(dut_m_axi_awcache), .s_axi_awprot(dut_m_axi_awprot),
    .s_axi_awvalid(dut_m_axi_awvalid), .s_axi_awready(dut_m_axi_awready), .s_axi_wdata(dut_m_axi_wdata),
    .s_axi_wstrb(dut_m_axi_wstrb), .s_axi_wlast(dut_m_axi_wlast), .s_axi_wvalid(dut_m_axi_wvalid),
    .s_axi_wready(dut_m_axi_wready), .s_axi_bid(dut_m_axi_bid), .s_axi_bresp(dut_m_axi_bresp),
    .s_axi_bvalid(dut_m_axi_bvalid), .s_axi_bready(dut_m_axi_bready), .s_axi_arid(dut_m_axi_arid),
    .s_axi_araddr(dut_m_axi_araddr), .s_axi_arlen(dut_m_axi_arlen), .s_axi_arsize(dut_m_axi_arsize),
    .s_axi_arburst(dut_m_axi_arburst), .s_axi_arlock(dut_m_axi_arlock),
    .s_axi_arcache(dut_m_axi_arcache), .s_axi_arprot(dut_m_axi_arprot),
    .s_axi_arvalid(dut_m_axi_arvalid), .s_axi_arready(dut_m_axi_arready), .s_axi_rid(dut_m_axi_rid),
    .s_axi_rdata(dut_m_axi_rdata), .s_axi_rresp(dut_m_axi_rresp), .s_axi_rlast(dut_m_axi_rlast),
    .s_axi_rvalid(dut_m_axi_rvalid), .s_axi_rready(dut_m_axi_rready),
    .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
    .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
    .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid),
    .m_axi_bready(m_axi_bready), .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr),
    .m_axi_arlen(m_axi_arlen), .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst),
    .m_axi_arlock(m_axi_arlock), .m_axi_arcache(m_axi_arcache), .m_axi_arprot(m_axi_arprot),
    .m_axi_arvalid(m_axi_arvalid), .m_axi_arready(m_axi_arready), .m_axi_rid(m_axi_rid),
    .m_axi_rdata(m_axi_rdata), .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast),
    .m_axi_rvalid(m_axi_rvalid), .m_axi_rready(m_axi_rready),
    .cnt_aw_early(), .cnt_w_early(), .cnt_aw_held(), .cnt_w_held(), .cnt_r_reorder(),
    .cnt_r_interleave(), .cnt_b_reorder(), .cnt_stall(), .r_min_delay(), .cnt_b_next()
);

axi_hostile #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .ID_COUNT(4))
hostile_axi_sg (
    .clk(clk), .rst(rst), .mode(SG_PORT != 0 ? hostile_mode : 8'd0), .seed(hostile_seed ^ 32'h5167_0001),
    .s_axi_awid(dut_m_axi_sg_awid), .s_axi_awaddr(dut_m_axi_sg_awaddr),
    .s_axi_awlen(dut_m_axi_sg_awlen), .s_axi_awsize(dut_m_axi_sg_awsize),
    .s_axi_awburst(dut_m_axi_sg_awburst), .s_axi_awlock(dut_m_axi_sg_awlock),
    .s_axi_awcache(dut_m_axi_sg_awcache), .s_axi_awprot(dut_m_axi_sg_awprot),
    .s_axi_awvalid(dut_m_axi_sg_awvalid), .s_axi_awready(dut_m_axi_sg_awready),
    .s_axi_wdata(dut_m_axi_sg_wdata), .s_axi_wstrb(dut_m_axi_sg_wstrb),
    .s_axi_wlast(dut_m_axi_sg_wlast), .s_axi_wvalid(dut_m_axi_sg_wvalid),
    .s_axi_wready(dut_m_axi_sg_wready), .s_axi_bid(dut_m_axi_sg_bid), .s_axi_bresp(dut_m_axi_sg_bresp),
    .s_axi_bvalid(dut_m_axi_sg_bvalid), .s_axi_bready(dut_m_axi_sg_bready),
    .s_axi_arid(dut_m_axi_sg_arid), .s_axi_araddr(dut_m_axi_sg_araddr),
    .s_axi_arlen(dut_m_axi_sg_arlen), .s_axi_arsize(dut_m_axi_sg_arsize),
    .s_axi_arburst(dut_m_axi_sg_arburst), .s_axi_arlock(dut_m_axi_sg_arlock),
    .s_axi_arcache(dut_m_axi_sg_arcache), .s_axi_arprot(dut_m_axi_sg_arprot),
    .s_axi_arvalid(dut_m_axi_sg_arvalid), .s_axi_arready(dut_m_axi_sg_arready),
    .s_axi_rid(dut_m_axi_sg_rid), .s_axi_rdata(dut_m_axi_sg_rdata), .s_axi_rresp(dut_m_axi_sg_rresp),
    .s_axi_rlast(dut_m_axi_sg_rlast), .s_axi_rvalid(dut_m_axi_sg_rvalid),
    .s_axi_rready(dut_m_axi_sg_rready),
    .m_axi_awid(m_axi_sg_awid), .m_axi_awaddr(m_axi_sg_awaddr), .m_axi_awlen(m_axi_sg_awlen),
    .m_axi_awsize(m_axi_sg_awsize), .m_axi_awburst(m_axi_sg_awburst), .m_axi_awlock(m_axi_sg_awlock),
    .m_axi_awcache(m_axi_sg_awcache), .m_axi_awprot(m_axi_sg_awprot), .m_axi_awvalid(m_axi_sg_awvalid),
    .m_axi_awready(m_axi_sg_awready), .m_axi_wdata(m_axi_sg_wdata), .m_axi_wstrb(m_axi_sg_wstrb),
    .m_axi_wlast(m_axi_sg_wlast), .m_axi_wvalid(m_axi_sg_wvalid), .m_axi_wready(m_axi_sg_wready),
    .m_axi_bid(m_axi_sg_bid), .m_axi_bresp(m_axi_sg_bresp), .m_axi_bvalid(m_axi_sg_bvalid),
    .m_axi_bready(m_axi_sg_bready), .m_axi_arid(m_axi_sg_arid), .m_axi_araddr(m_axi_sg_araddr),
    .m_axi_arlen(m_axi_sg_arlen), .m_axi_arsize(m_axi_sg_arsize), .m_axi_arburst(m_axi_sg_arburst),
    .m_axi_arlock(m_axi_sg_arlock), .m_axi_arcache(m_axi_sg_arcache), .m_axi_arprot(m_axi_sg_arprot),
    .m_axi_arvalid(m_axi_sg_arvalid), .m_axi_arready(m_axi_sg_arready), .m_axi_rid(m_axi_sg_rid),
    .m_axi_rdata(m_axi_sg_rdata), .m_axi_rresp(m_axi_sg_rresp), .m_axi_rlast(m_axi_sg_rlast),
    .m_axi_rvalid(m_axi_sg_rvalid), .m_axi_rready(m_axi_sg_rready),
    .cnt_aw_early(), .cnt_w_early(), .cnt_aw_held(), .cnt_w_held(), .cnt_r_reorder(),
    .cnt_r_interleave(), .cnt_b_reorder(), .cnt_stall(), .r_min_delay(), .cnt_b_next()
);

// the processor's IDs pass the CPU gate unchanged: one buffer per ID value
axi_hostile #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
              .ID_COUNT(ID_WIDTH >= 4 ? 16 : (1 << ID_WIDTH)), .R_DEPTH(64), .B_DEPTH(16))
hostile_axi_cpu (
    .clk(clk), .rst(rst), .mode(HIDE_ENTRIES != 0 ? hostile_mode : 8'd0), .seed(hostile_seed ^ 32'hC0DE_0002),
    .s_axi_awid(dut_m_axi_cpu_awid), .s_axi_awaddr(dut_m_axi_cpu_awaddr),
    .s_axi_awlen(dut_m_axi_cpu_awlen), .s_axi_awsize(dut_m_axi_cpu_awsize),
    .s_axi_awburst(dut_m_axi_cpu_awburst), .s_axi_awlock(dut_m_axi_cpu_awlock),
    .s_axi_awcache(dut_m_axi_cpu_awcache), .s_axi_awprot(dut_m_axi_cpu_awprot),
    .s_axi_awvalid(dut_m_axi_cpu_awvalid), .s_axi_awready(dut_m_axi_cpu_awready),
    .s_axi_wdata(dut_m_axi_cpu_wdata), .s_axi_wstrb(dut_m_axi_cpu_wstrb),
    .s_axi_wlast(dut_m_axi_cpu_wlast), .s_axi_wvalid(dut_m_axi_cpu_wvalid),
    .s_axi_wready(dut_m_axi_cpu_wready), .s_axi_bid(dut_m_axi_cpu_bid),
    .s_axi_bresp(dut_m_axi_cpu_bresp), .s_axi_bvalid(dut_m_axi_cpu_bvalid),
    .s_axi_bready(dut_m_axi_cpu_bready), .s_axi_arid(dut_m_axi_cpu_arid),
    .s_axi_araddr(dut_m_axi_cpu_araddr), .s_axi_arlen(dut_m_axi_cpu_arlen),
    .s_axi_arsize(dut_m_axi_cpu_arsize), .s_axi_arburst(dut_m_axi_cpu_arburst),
    .s_axi_arlock(dut_m_axi_cpu_arlock), .s_axi_arcache(dut_m_axi_cpu_arcache),
    .s_axi_arprot(dut_m_axi_cpu_arprot), .s_axi_arvalid(dut_m_axi_cpu_arvalid),
    .s_axi_arready(dut_m_axi_cpu_arready), .s_axi_rid(dut_m_axi_cpu_rid),
    .s_axi_rdata(dut_m_axi_cpu_rdata), .s_axi_rresp(dut_m_axi_cpu_rresp),
    .s_axi_rlast(dut_m_axi_cpu_rlast), .s_axi_rvalid(dut_m_axi_cpu_rvalid),
    .s_axi_rready(dut_m_axi_cpu_rready),
    .m_axi_awid(m_axi_cpu_awid), .m_axi_awaddr(m_axi_cpu_awaddr), .m_axi_awlen(m_axi_cpu_awlen),
    .m_axi_awsize(m_axi_cpu_awsize), .m_axi_awburst(m_axi_cpu_awburst), .m_axi_awlock(m_axi_cpu_awlock),
    .m_axi_awcache(m_axi_cpu_awcache), .m_axi_awprot(m_axi_cpu_awprot),
    .m_axi_awvalid(m_axi_cpu_awvalid), .m_axi_awready(m_axi_cpu_awready), .m_axi_wdata(m_axi_cpu_wdata),
    .m_axi_wstrb(m_axi_cpu_wstrb), .m_axi_wlast(m_axi_cpu_wlast), .m_axi_wvalid(m_axi_cpu_wvalid),
    .m_axi_wready(m_axi_cpu_wready), .m_axi_bid(m_axi_cpu_bid), .m_axi_bresp(m_axi_cpu_bresp),
    .m_axi_bvalid(m_axi_cpu_bvalid), .m_axi_bready(m_axi_cpu_bready), .m_axi_arid(m_axi_cpu_arid),
    .m_axi_araddr(m_axi_cpu_araddr), .m_axi_arlen(m_axi_cpu_arlen), .m_axi_arsize(m_axi_cpu_arsize),
    .m_axi_arburst(m_axi_cpu_arburst), .m_axi_arlock(m_axi_cpu_arlock),
    .m_axi_arcache(m_axi_cpu_arcache), .m_axi_arprot(m_axi_cpu_arprot),
    .m_axi_arvalid(m_axi_cpu_arvalid), .m_axi_arready(m_axi_cpu_arready), .m_axi_rid(m_axi_cpu_rid),
    .m_axi_rdata(m_axi_cpu_rdata), .m_axi_rresp(m_axi_cpu_rresp), .m_axi_rlast(m_axi_cpu_rlast),
    .m_axi_rvalid(m_axi_cpu_rvalid), .m_axi_rready(m_axi_cpu_rready),
    .cnt_aw_early(), .cnt_w_early(), .cnt_aw_held(), .cnt_w_held(), .cnt_r_reorder(),
    .cnt_r_interleave(), .cnt_b_reorder(), .cnt_stall(), .r_min_delay(), .cnt_b_next()
);
/* verilator lint_on PINCONNECTEMPTY */

axi4_checker #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
               .MAX_RD_OUTSTANDING(CHK_MAX_RD_OUTSTANDING), .MAX_WR_OUTSTANDING(CHK_MAX_WR_OUTSTANDING),
               .MAX_W_AHEAD(CHK_MAX_W_AHEAD), .ATTR_CHECK(1), .AXLOCK(0), .AXCACHE(3), .AXPROT(0),
               .FATAL(CHK_FATAL)) axi_checker (
    .clk(clk), .rst(rst),
    .awid(dut_m_axi_awid), .awaddr(dut_m_axi_awaddr), .awlen(dut_m_axi_awlen), .awsize(dut_m_axi_awsize),
    .awburst(dut_m_axi_awburst), .awlock(dut_m_axi_awlock), .awcache(dut_m_axi_awcache), .awprot(dut_m_axi_awprot),
    .awvalid(dut_m_axi_awvalid), .awready(dut_m_axi_awready),
    .wdata(dut_m_axi_wdata), .wstrb(dut_m_axi_wstrb), .wlast(dut_m_axi_wlast), .wvalid(dut_m_axi_wvalid),
    .wready(dut_m_axi_wready),
    .bid(dut_m_axi_bid), .bresp(dut_m_axi_bresp), .bvalid(dut_m_axi_bvalid), .bready(dut_m_axi_bready),
    .arid(dut_m_axi_arid), .araddr(dut_m_axi_araddr), .arlen(dut_m_axi_arlen), .arsize(dut_m_axi_arsize),
    .arburst(dut_m_axi_arburst), .arlock(dut_m_axi_arlock), .arcache(dut_m_axi_arcache), .arprot(dut_m_axi_arprot),
    .arvalid(dut_m_axi_arvalid), .arready(dut_m_axi_arready),
    .rid(dut_m_axi_rid), .rdata(dut_m_axi_rdata), .rresp(dut_m_axi_rresp), .rlast(dut_m_axi_rlast),
    .rvalid(dut_m_axi_rvalid), .rready(dut_m_axi_rready),
    .error_valid(chk_axi_error_valid), .error_rule(chk_axi_error_rule),
    .error_cycle(chk_axi_error_cycle), .error_count(chk_axi_error_count),
    .error_mask(chk_axi_error_mask), .cycle(cycle));

// The other checkers' cycle outputs equal `cycle` (same clock and reset), so they are left open.
/* verilator lint_off PINCONNECTEMPTY */
axil_checker #(.DATA_WIDTH(32), .ADDR_WIDTH(AXIL_ADDR_WIDTH), .MAX_OUTSTANDING(4),
               .FATAL(CHK_FATAL)) axil_checker_inst (
    .clk(clk), .rst(rst),
    .awaddr(s_axil_awaddr), .awprot(s_axil_awprot), .awvalid(s_axil_awvalid), .awready(s_axil_awready),
    .wdata(s_axil_wdata), .wstrb(s_axil_wstrb), .wvalid(s_axil_wvalid), .wready(s_axil_wready),
    .bresp(s_axil_bresp), .bvalid(s_axil_bvalid), .bready(s_axil_bready),
    .araddr(s_axil_araddr), .arprot(s_axil_arprot), .arvalid(s_axil_arvalid), .arready(s_axil_arready),
    .rdata(s_axil_rdata), .rresp(s_axil_rresp), .rvalid(s_axil_rvalid), .rready(s_axil_rready),
    .error_valid(chk_axil_error_valid), .error_rule(chk_axil_error_rule),
    .error_cycle(chk_axil_error_cycle), .error_count(chk_axil_error_count),
    .error_mask(chk_axil_error_mask), .cycle());

axis_checker #(.DATA_WIDTH(DATA_WIDTH), .USER_WIDTH(USER_WIDTH), .KEEP_CHECK(1), .USER_CHECK(1),
               .FATAL(CHK_FATAL)) mm2s_checker (
    .clk(clk), .rst(rst),
    .tdata(m_axis_tdata), .tkeep(m_axis_tkeep), .tlast(m_axis_tlast), .tuser(m_axis_tuser),
    .tvalid(m_axis_tvalid), .tready(m_axis_tready),
    .packet_abort(dut.ch_mover_rst[0]),     // an aborted MM2S packet ends without TLAST (docs/sgdma.md)
    .error_valid(chk_mm2s_error_valid), .error_rule(chk_mm2s_error_rule),
    .error_cycle(chk_mm2s_error_cycle), .error_count(chk_mm2s_error_count),
    .error_mask(chk_mm2s_error_mask), .cycle());

// The testbench sets tb_s_axis_reset while it resets its stream source mid-packet: after an S2MM
// error or abort the channel takes no more of the packet (docs/sgdma_s2mm.md), so the system resets
// the stream's peer, and the link's checker with it (tb/env/base.BaseEnv.flush_streams).
reg tb_s_axis_reset = 1'b0;
axis_checker #(.DATA_WIDTH(DATA_WIDTH), .USER_WIDTH(1), .KEEP_CHECK(1), .USER_CHECK(0),
               .FATAL(CHK_FATAL)) s2mm_checker (
    .clk(clk), .rst(rst || tb_s_axis_reset),
    .tdata(s_axis_tdata), .tkeep(s_axis_tkeep), .tlast(s_axis_tlast), .tuser(1'b0),
    .tvalid(s_axis_tvalid), .tready(s_axis_tready), .packet_abort(1'b0),
    .error_valid(chk_s2mm_error_valid), .error_rule(chk_s2mm_error_rule),
    .error_cycle(chk_s2mm_error_cycle), .error_count(chk_s2mm_error_count),
    .error_mask(chk_s2mm_error_mask), .cycle());

// m_axi_sg when SG_PORT == 1 (descriptor fetch and status write-back; with 0 it is driven inactive
// and its inputs may be left undriven): DESC_PREFETCH fetches and WB_OUTSTANDING status writes in
// flight per engine. A violation stops the simulation ($fatal); no record ports.
generate if (SG_PORT != 0) begin : g_sg_checker
axi4_checker #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
               .MAX_RD_OUTSTANDING(2 * DESC_PREFETCH), .MAX_WR_OUTSTANDING(2 * WB_OUTSTANDING),
               .MAX_W_AHEAD(CHK_MAX_W_AHEAD), .ATTR_CHECK(1), .AXLOCK(0), .AXCACHE(3), .AXPROT(0),
               .FATAL(CHK_FATAL)) sg_checker (
    .clk(clk), .rst(rst),
    .awid(dut_m_axi_sg_awid), .awaddr(dut_m_axi_sg_awaddr), .awlen(dut_m_axi_sg_awlen), .awsize(dut_m_axi_sg_awsize),
    .awburst(dut_m_axi_sg_awburst), .awlock(dut_m_axi_sg_awlock), .awcache(dut_m_axi_sg_awcache),
    .awprot(dut_m_axi_sg_awprot), .awvalid(dut_m_axi_sg_awvalid), .awready(dut_m_axi_sg_awready),
    .wdata(dut_m_axi_sg_wdata), .wstrb(dut_m_axi_sg_wstrb), .wlast(dut_m_axi_sg_wlast), .wvalid(dut_m_axi_sg_wvalid),
    .wready(dut_m_axi_sg_wready),
    .bid(dut_m_axi_sg_bid), .bresp(dut_m_axi_sg_bresp), .bvalid(dut_m_axi_sg_bvalid), .bready(dut_m_axi_sg_bready),
    .arid(dut_m_axi_sg_arid), .araddr(dut_m_axi_sg_araddr), .arlen(dut_m_axi_sg_arlen), .arsize(dut_m_axi_sg_arsize),
    .arburst(dut_m_axi_sg_arburst), .arlock(dut_m_axi_sg_arlock), .arcache(dut_m_axi_sg_arcache),
    .arprot(dut_m_axi_sg_arprot), .arvalid(dut_m_axi_sg_arvalid), .arready(dut_m_axi_sg_arready),
    .rid(dut_m_axi_sg_rid), .rdata(dut_m_axi_sg_rdata), .rresp(dut_m_axi_sg_rresp), .rlast(dut_m_axi_sg_rlast),
    .rvalid(dut_m_axi_sg_rvalid), .rready(dut_m_axi_sg_rready),
    .error_valid(), .error_rule(), .error_cycle(), .error_count(), .error_mask(), .cycle());
end endgenerate

// The hide unit's CPU gate forwards processor requests to memory on m_axi_cpu (the DUT is the
// master there): VALID held until READY, payload stable, bursts and responses consistent. The
// gate forwards at most 255 reads and 255 writes (its 8-bit in-flight counters). Only with a hide
// unit (HIDE_ENTRIES > 0): without one the port is inactive and its inputs may be left undriven.
generate if (HIDE_ENTRIES > 0) begin : g_cpu_checker
axi4_checker #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
               .MAX_RD_OUTSTANDING(255), .MAX_WR_OUTSTANDING(255), .MAX_W_AHEAD(CHK_MAX_W_AHEAD),
               .FATAL(CHK_FATAL)) cpu_checker (
    .clk(clk), .rst(rst),
    .awid(dut_m_axi_cpu_awid), .awaddr(dut_m_axi_cpu_awaddr), .awlen(dut_m_axi_cpu_awlen), .awsize(dut_m_axi_cpu_awsize),
    .awburst(dut_m_axi_cpu_awburst), .awlock(dut_m_axi_cpu_awlock), .awcache(dut_m_axi_cpu_awcache),
    .awprot(dut_m_axi_cpu_awprot), .awvalid(dut_m_axi_cpu_awvalid), .awready(dut_m_axi_cpu_awready),
    .wdata(dut_m_axi_cpu_wdata), .wstrb(dut_m_axi_cpu_wstrb), .wlast(dut_m_axi_cpu_wlast), .wvalid(dut_m_axi_cpu_wvalid),
    .wready(dut_m_axi_cpu_wready),
    .bid(dut_m_axi_cpu_bid), .bresp(dut_m_axi_cpu_bresp), .bvalid(dut_m_axi_cpu_bvalid), .bready(dut_m_axi_cpu_bready),
    .arid(dut_m_axi_cpu_arid), .araddr(dut_m_axi_cpu_araddr), .arlen(dut_m_axi_cpu_arlen), .arsize(dut_m_axi_cpu_arsize),
    .arburst(dut_m_axi_cpu_arburst), .arlock(dut_m_axi_cpu_arlock), .arcache(dut_m_axi_cpu_arcache),
    .arprot(dut_m_axi_cpu_arprot), .arvalid(dut_m_axi_cpu_arvalid), .arready(dut_m_axi_cpu_arready),
    .rid(dut_m_axi_cpu_rid), .rdata(dut_m_axi_cpu_rdata), .rresp(dut_m_axi_cpu_rresp), .rlast(dut_m_axi_cpu_rlast),
    .rvalid(dut_m_axi_cpu_rvalid), .rready(dut_m_axi_cpu_rready),
    .error_valid(chk_cpu_error_valid), .error_rule(chk_cpu_error_rule),
    .error_cycle(chk_cpu_error_cycle), .error_count(chk_cpu_error_count),
    .error_mask(chk_cpu_error_mask), .cycle());
end else begin : g_no_cpu_checker
    assign chk_cpu_error_valid = 1'b0;
    assign chk_cpu_error_rule  = 8'd0;
    assign chk_cpu_error_cycle = 32'd0;
    assign chk_cpu_error_count = 32'd0;
    assign chk_cpu_error_mask  = 32'd0;
end endgenerate
// ---- hide-unit port checkers (tb/gen_sgdma_tb.py: hide_port_checkers) ----
// Only with a hide unit (HIDE_ENTRIES > 0); a violation stops the simulation ($fatal).
generate if (HIDE_ENTRIES > 0) begin : g_hide_port_checkers
axi4_checker #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
               .MAX_RD_OUTSTANDING(255), .MAX_WR_OUTSTANDING(255), .MAX_W_AHEAD(16),
               .MAX_BURST_LEN(256), .BURST_TYPES(7), .ATTR_CHECK(0),
               .FATAL(CHK_FATAL)) cpu_slave_checker (
    .clk(clk), .rst(rst),
    .awid(s_axi_cpu_awid), .awaddr(s_axi_cpu_awaddr), .awlen(s_axi_cpu_awlen), .awsize(s_axi_cpu_awsize),
    .awburst(s_axi_cpu_awburst), .awlock(s_axi_cpu_awlock), .awcache(s_axi_cpu_awcache),
    .awprot(s_axi_cpu_awprot), .awvalid(s_axi_cpu_awvalid), .awready(s_axi_cpu_awready),
    .wdata(s_axi_cpu_wdata), .wstrb(s_axi_cpu_wstrb), .wlast(s_axi_cpu_wlast), .wvalid(s_axi_cpu_wvalid),
    .wready(s_axi_cpu_wready), .bid(s_axi_cpu_bid), .bresp(s_axi_cpu_bresp), .bvalid(s_axi_cpu_bvalid),
    .bready(s_axi_cpu_bready), .arid(s_axi_cpu_arid), .araddr(s_axi_cpu_araddr), .arlen(s_axi_cpu_arlen),
    .arsize(s_axi_cpu_arsize), .arburst(s_axi_cpu_arburst), .arlock(s_axi_cpu_arlock),
    .arcache(s_axi_cpu_arcache), .arprot(s_axi_cpu_arprot), .arvalid(s_axi_cpu_arvalid),
    .arready(s_axi_cpu_arready), .rid(s_axi_cpu_rid), .rdata(s_axi_cpu_rdata), .rresp(s_axi_cpu_rresp),
    .rlast(s_axi_cpu_rlast), .rvalid(s_axi_cpu_rvalid), .rready(s_axi_cpu_rready),
    .error_valid(), .error_rule(), .error_cycle(), .error_count(), .error_mask(), .cycle());
// the request {op, addr} zero-extended to whole bytes (TDATA of axis_checker)
localparam integer MAINT_BYTES = ADDR_WIDTH / 8 + 2;
axis_checker #(.DATA_WIDTH(MAINT_BYTES * 8), .USER_WIDTH(1), .KEEP_CHECK(0), .USER_CHECK(0),
               .FATAL(CHK_FATAL)) maint_req_checker (
    .clk(clk), .rst(rst),
    .tdata({{(MAINT_BYTES * 8 - ADDR_WIDTH - 2){1'b0}}, m_maint_req_op, m_maint_req_addr}),
    .tkeep({MAINT_BYTES{1'b1}}), .tlast(1'b1), .tuser(1'b0),
    .tvalid(m_maint_req_valid), .tready(m_maint_req_ready), .packet_abort(1'b0),
    .error_valid(), .error_rule(), .error_cycle(), .error_count(), .error_mask(), .cycle());
axis_checker #(.DATA_WIDTH(8), .USER_WIDTH(1), .KEEP_CHECK(0), .USER_CHECK(0),
               .FATAL(CHK_FATAL)) maint_done_checker (
    .clk(clk), .rst(rst), .tdata(8'd0), .tkeep(1'b1), .tlast(1'b1), .tuser(1'b0),
    .tvalid(s_maint_done_valid), .tready(s_maint_done_ready), .packet_abort(1'b0),
    .error_valid(), .error_rule(), .error_cycle(), .error_count(), .error_mask(), .cycle());
end endgenerate
// ---- end of hide-unit port checkers ----

/* verilator lint_on PINCONNECTEMPTY */

endmodule

`resetall
