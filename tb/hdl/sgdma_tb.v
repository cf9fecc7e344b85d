// sgdma_tb: the system-test toplevel: sgdma with a protocol checker on each of its interfaces
// (testbench only).
//
// Parameters and ports are sgdma's, passed through unchanged, so cocotbext-axi attaches by the same
// prefixes (s_axil, m_axi, m_axis, s_axis). Checkers: axi4_checker on m_axi (the DUT is the master),
// axil_checker on s_axil, axis_checker on m_axis (DUT drives TVALID/payload) and on s_axis (DUT drives
// TREADY; the testbench's source drives the payload, checked too). Their records come out as
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
    parameter integer CHK_FATAL = 1,        // checkers stop the simulation on the first violation
    // Reads in flight on m_axi, all IDs: the MM2S mover's MAX_OUTSTANDING plus one descriptor fetch
    // per engine (IDs 1 and 2). Raise it if an engine is designed to prefetch with more in flight.
    parameter integer CHK_MAX_RD_OUTSTANDING = MAX_OUTSTANDING + 2,
    // Writes in flight on m_axi, all IDs: the S2MM mover's bursts plus one status write per engine.
    parameter integer CHK_MAX_WR_OUTSTANDING = MAX_OUTSTANDING + 2,
    parameter integer CHK_MAX_W_AHEAD = 0   // W bursts allowed before their AW (sgdma: W after AW)
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
    output wire [31:0]                 cycle
);

sgdma #(.AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .LEN_WIDTH(LEN_WIDTH), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_OUTSTANDING(MAX_OUTSTANDING), .SGL_MAX(SGL_MAX), .SEG_LOG2(SEG_LOG2), .ALIGN_LOG2(ALIGN_LOG2), .DATA_FIFO_DEPTH(DATA_FIFO_DEPTH), .USER_WIDTH(USER_WIDTH), .HIDE_ENTRIES(HIDE_ENTRIES)) dut (
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
    .m_axi_awid(m_axi_awid),
    .m_axi_awaddr(m_axi_awaddr),
    .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize),
    .m_axi_awburst(m_axi_awburst),
    .m_axi_awlock(m_axi_awlock),
    .m_axi_awcache(m_axi_awcache),
    .m_axi_awprot(m_axi_awprot),
    .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready),
    .m_axi_wdata(m_axi_wdata),
    .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast),
    .m_axi_wvalid(m_axi_wvalid),
    .m_axi_wready(m_axi_wready),
    .m_axi_bid(m_axi_bid),
    .m_axi_bresp(m_axi_bresp),
    .m_axi_bvalid(m_axi_bvalid),
    .m_axi_bready(m_axi_bready),
    .m_axi_arid(m_axi_arid),
    .m_axi_araddr(m_axi_araddr),
    .m_axi_arlen(m_axi_arlen),
    .m_axi_arsize(m_axi_arsize),
    .m_axi_arburst(m_axi_arburst),
    .m_axi_arlock(m_axi_arlock),
    .m_axi_arcache(m_axi_arcache),
    .m_axi_arprot(m_axi_arprot),
    .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready),
    .m_axi_rid(m_axi_rid),
    .m_axi_rdata(m_axi_rdata),
    .m_axi_rresp(m_axi_rresp),
    .m_axi_rlast(m_axi_rlast),
    .m_axi_rvalid(m_axi_rvalid),
    .m_axi_rready(m_axi_rready),
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
    .irq_s2mm(irq_s2mm)
);

axi4_checker #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
               .MAX_RD_OUTSTANDING(CHK_MAX_RD_OUTSTANDING), .MAX_WR_OUTSTANDING(CHK_MAX_WR_OUTSTANDING),
               .MAX_W_AHEAD(CHK_MAX_W_AHEAD), .FATAL(CHK_FATAL)) axi_checker (
    .clk(clk), .rst(rst),
    .awid(m_axi_awid), .awaddr(m_axi_awaddr), .awlen(m_axi_awlen), .awsize(m_axi_awsize),
    .awburst(m_axi_awburst), .awlock(m_axi_awlock), .awcache(m_axi_awcache), .awprot(m_axi_awprot),
    .awvalid(m_axi_awvalid), .awready(m_axi_awready),
    .wdata(m_axi_wdata), .wstrb(m_axi_wstrb), .wlast(m_axi_wlast), .wvalid(m_axi_wvalid),
    .wready(m_axi_wready),
    .bid(m_axi_bid), .bresp(m_axi_bresp), .bvalid(m_axi_bvalid), .bready(m_axi_bready),
    .arid(m_axi_arid), .araddr(m_axi_araddr), .arlen(m_axi_arlen), .arsize(m_axi_arsize),
    .arburst(m_axi_arburst), .arlock(m_axi_arlock), .arcache(m_axi_arcache), .arprot(m_axi_arprot),
    .arvalid(m_axi_arvalid), .arready(m_axi_arready),
    .rid(m_axi_rid), .rdata(m_axi_rdata), .rresp(m_axi_rresp), .rlast(m_axi_rlast),
    .rvalid(m_axi_rvalid), .rready(m_axi_rready),
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
    .error_valid(chk_mm2s_error_valid), .error_rule(chk_mm2s_error_rule),
    .error_cycle(chk_mm2s_error_cycle), .error_count(chk_mm2s_error_count),
    .error_mask(chk_mm2s_error_mask), .cycle());

axis_checker #(.DATA_WIDTH(DATA_WIDTH), .USER_WIDTH(1), .KEEP_CHECK(1), .USER_CHECK(0),
               .FATAL(CHK_FATAL)) s2mm_checker (
    .clk(clk), .rst(rst),
    .tdata(s_axis_tdata), .tkeep(s_axis_tkeep), .tlast(s_axis_tlast), .tuser(1'b0),
    .tvalid(s_axis_tvalid), .tready(s_axis_tready),
    .error_valid(chk_s2mm_error_valid), .error_rule(chk_s2mm_error_rule),
    .error_cycle(chk_s2mm_error_cycle), .error_count(chk_s2mm_error_count),
    .error_mask(chk_s2mm_error_mask), .cycle());
/* verilator lint_on PINCONNECTEMPTY */

endmodule

`resetall
