// protocol_checkers_tb: standalone harness for the protocol checkers (testbench only).
//
// Three pass-throughs (AXI4 s_axi_* -> m_axi_*, AXI4-Lite s_axil_* -> m_axil_*, AXI4-Stream
// s_axis_* -> m_axis_*) each watched by its checker. A test attaches a cocotbext-axi master/source to
// the s_ side and a RAM/sink to the m_ side for legal traffic, or drives the top-level inputs directly
// with a trace that breaks one rule. Checker outputs appear as <axi|axil|axis>_error_* and *_cycle.
// The AXI4 checker's declared port: INCR bursts of at most MAX_BURST_LEN beats with AxLOCK 0,
// AxCACHE 0011 and AxPROT 010 (what cocotbext-axi's AxiMaster sends).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module protocol_checkers_tb #(
    parameter integer DATA_WIDTH = 64,          // AXI4 and AXI4-Stream data width
    parameter integer ADDR_WIDTH = 32,          // AXI4 address width
    parameter integer ID_WIDTH = 4,             // AXI4 ID width
    parameter integer MAX_OUTSTANDING = 8,      // AXI4 read and write bursts in flight (checked)
    parameter integer MAX_W_AHEAD = 8,          // AXI4 W bursts allowed ahead of their AW (checked)
    parameter integer MAX_ID_OUTSTANDING = 4,   // AXI4 read and write bursts in flight per ID (checked)
    parameter integer MAX_BURST_LEN = 128,      // AXI4 beats per burst (checked; AxiMaster bursts fit)
    parameter integer AXIL_DATA_WIDTH = 32,     // AXI4-Lite data width
    parameter integer AXIL_ADDR_WIDTH = 16,     // AXI4-Lite address width
    parameter integer AXIL_MAX_OUTSTANDING = 4, // AXI4-Lite requests in flight per direction (checked)
    parameter integer USER_WIDTH = 32,          // AXI4-Stream TUSER width
    parameter integer FATAL = 0                 // checkers' FATAL (0: negative controls read error_*)
) (
    input  wire                         clk,
    input  wire                         rst,

    input  wire [ID_WIDTH-1:0]          s_axi_awid,
    input  wire [ADDR_WIDTH-1:0]        s_axi_awaddr,
    input  wire [7:0]                   s_axi_awlen,
    input  wire [2:0]                   s_axi_awsize,
    input  wire [1:0]                   s_axi_awburst,
    input  wire                         s_axi_awlock,
    input  wire [3:0]                   s_axi_awcache,
    input  wire [2:0]                   s_axi_awprot,
    input  wire                         s_axi_awvalid,
    output wire                         s_axi_awready,
    input  wire [DATA_WIDTH-1:0]        s_axi_wdata,
    input  wire [DATA_WIDTH/8-1:0]      s_axi_wstrb,
    input  wire                         s_axi_wlast,
    input  wire                         s_axi_wvalid,
    output wire                         s_axi_wready,
    output wire [ID_WIDTH-1:0]          s_axi_bid,
    output wire [1:0]                   s_axi_bresp,
    output wire                         s_axi_bvalid,
    input  wire                         s_axi_bready,
    input  wire [ID_WIDTH-1:0]          s_axi_arid,
    input  wire [ADDR_WIDTH-1:0]        s_axi_araddr,
    input  wire [7:0]                   s_axi_arlen,
    input  wire [2:0]                   s_axi_arsize,
    input  wire [1:0]                   s_axi_arburst,
    input  wire                         s_axi_arlock,
    input  wire [3:0]                   s_axi_arcache,
    input  wire [2:0]                   s_axi_arprot,
    input  wire                         s_axi_arvalid,
    output wire                         s_axi_arready,
    output wire [ID_WIDTH-1:0]          s_axi_rid,
    output wire [DATA_WIDTH-1:0]        s_axi_rdata,
    output wire [1:0]                   s_axi_rresp,
    output wire                         s_axi_rlast,
    output wire                         s_axi_rvalid,
    input  wire                         s_axi_rready,

    output wire [ID_WIDTH-1:0]          m_axi_awid,
    output wire [ADDR_WIDTH-1:0]        m_axi_awaddr,
    output wire [7:0]                   m_axi_awlen,
    output wire [2:0]                   m_axi_awsize,
    output wire [1:0]                   m_axi_awburst,
    output wire                         m_axi_awlock,
    output wire [3:0]                   m_axi_awcache,
    output wire [2:0]                   m_axi_awprot,
    output wire                         m_axi_awvalid,
    input  wire                         m_axi_awready,
    output wire [DATA_WIDTH-1:0]        m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]      m_axi_wstrb,
    output wire                         m_axi_wlast,
    output wire                         m_axi_wvalid,
    input  wire                         m_axi_wready,
    input  wire [ID_WIDTH-1:0]          m_axi_bid,
    input  wire [1:0]                   m_axi_bresp,
    input  wire                         m_axi_bvalid,
    output wire                         m_axi_bready,
    output wire [ID_WIDTH-1:0]          m_axi_arid,
    output wire [ADDR_WIDTH-1:0]        m_axi_araddr,
    output wire [7:0]                   m_axi_arlen,
    output wire [2:0]                   m_axi_arsize,
    output wire [1:0]                   m_axi_arburst,
    output wire                         m_axi_arlock,
    output wire [3:0]                   m_axi_arcache,
    output wire [2:0]                   m_axi_arprot,
    output wire                         m_axi_arvalid,
    input  wire                         m_axi_arready,
    input  wire [ID_WIDTH-1:0]          m_axi_rid,
    input  wire [DATA_WIDTH-1:0]        m_axi_rdata,
    input  wire [1:0]                   m_axi_rresp,
    input  wire                         m_axi_rlast,
    input  wire                         m_axi_rvalid,
    output wire                         m_axi_rready,

    input  wire [AXIL_ADDR_WIDTH-1:0]   s_axil_awaddr,
    input  wire [2:0]                   s_axil_awprot,
    input  wire                         s_axil_awvalid,
    output wire                         s_axil_awready,
    input  wire [AXIL_DATA_WIDTH-1:0]   s_axil_wdata,
    input  wire [AXIL_DATA_WIDTH/8-1:0] s_axil_wstrb,
    input  wire                         s_axil_wvalid,
    output wire                         s_axil_wready,
    output wire [1:0]                   s_axil_bresp,
    output wire                         s_axil_bvalid,
    input  wire                         s_axil_bready,
    input  wire [AXIL_ADDR_WIDTH-1:0]   s_axil_araddr,
    input  wire [2:0]                   s_axil_arprot,
    input  wire                         s_axil_arvalid,
    output wire                         s_axil_arready,
    output wire [AXIL_DATA_WIDTH-1:0]   s_axil_rdata,
    output wire [1:0]                   s_axil_rresp,
    output wire                         s_axil_rvalid,
    input  wire                         s_axil_rready,

    output wire [AXIL_ADDR_WIDTH-1:0]   m_axil_awaddr,
    output wire [2:0]                   m_axil_awprot,
    output wire                         m_axil_awvalid,
    input  wire                         m_axil_awready,
    output wire [AXIL_DATA_WIDTH-1:0]   m_axil_wdata,
    output wire [AXIL_DATA_WIDTH/8-1:0] m_axil_wstrb,
    output wire                         m_axil_wvalid,
    input  wire                         m_axil_wready,
    input  wire [1:0]                   m_axil_bresp,
    input  wire                         m_axil_bvalid,
    output wire                         m_axil_bready,
    output wire [AXIL_ADDR_WIDTH-1:0]   m_axil_araddr,
    output wire [2:0]                   m_axil_arprot,
    output wire                         m_axil_arvalid,
    input  wire                         m_axil_arready,
    input  wire [AXIL_DATA_WIDTH-1:0]   m_axil_rdata,
    input  wire [1:0]                   m_axil_rresp,
    input  wire                         m_axil_rvalid,
    output wire                         m_axil_rready,

    input  wire [DATA_WIDTH-1:0]        s_axis_tdata,
    input  wire [DATA_WIDTH/8-1:0]      s_axis_tkeep,
    input  wire                         s_axis_tlast,
    input  wire [USER_WIDTH-1:0]        s_axis_tuser,
    input  wire                         s_axis_tvalid,
    output wire                         s_axis_tready,
    output wire [DATA_WIDTH-1:0]        m_axis_tdata,
    output wire [DATA_WIDTH/8-1:0]      m_axis_tkeep,
    output wire                         m_axis_tlast,
    output wire [USER_WIDTH-1:0]        m_axis_tuser,
    output wire                         m_axis_tvalid,
    input  wire                         m_axis_tready,

    output wire                         axi_error_valid,
    output wire [7:0]                   axi_error_rule,
    output wire [31:0]                  axi_error_cycle,
    output wire [31:0]                  axi_error_count,
    output wire [31:0]                  axi_error_mask,
    output wire [31:0]                  axi_cycle,
    output wire                         axil_error_valid,
    output wire [7:0]                   axil_error_rule,
    output wire [31:0]                  axil_error_cycle,
    output wire [31:0]                  axil_error_count,
    output wire [31:0]                  axil_error_mask,
    output wire [31:0]                  axil_cycle,
    output wire                         axis_error_valid,
    output wire [7:0]                   axis_error_rule,
    output wire [31:0]                  axis_error_cycle,
    output wire [31:0]                  axis_error_count,
    output wire [31:0]                  axis_error_mask,
    output wire [31:0]                  axis_cycle
);

// ---- pass-throughs ----
assign m_axi_awid = s_axi_awid;         assign m_axi_awaddr = s_axi_awaddr;
assign m_axi_awlen = s_axi_awlen;       assign m_axi_awsize = s_axi_awsize;
assign m_axi_awburst = s_axi_awburst;   assign m_axi_awlock = s_axi_awlock;
assign m_axi_awcache = s_axi_awcache;   assign m_axi_awprot = s_axi_awprot;
assign m_axi_awvalid = s_axi_awvalid;   assign s_axi_awready = m_axi_awready;
assign m_axi_wdata = s_axi_wdata;       assign m_axi_wstrb = s_axi_wstrb;
assign m_axi_wlast = s_axi_wlast;       assign m_axi_wvalid = s_axi_wvalid;
assign s_axi_wready = m_axi_wready;
assign s_axi_bid = m_axi_bid;           assign s_axi_bresp = m_axi_bresp;
assign s_axi_bvalid = m_axi_bvalid;     assign m_axi_bready = s_axi_bready;
assign m_axi_arid = s_axi_arid;         assign m_axi_araddr = s_axi_araddr;
assign m_axi_arlen = s_axi_arlen;       assign m_axi_arsize = s_axi_arsize;
assign m_axi_arburst = s_axi_arburst;   assign m_axi_arlock = s_axi_arlock;
assign m_axi_arcache = s_axi_arcache;   assign m_axi_arprot = s_axi_arprot;
assign m_axi_arvalid = s_axi_arvalid;   assign s_axi_arready = m_axi_arready;
assign s_axi_rid = m_axi_rid;           assign s_axi_rdata = m_axi_rdata;
assign s_axi_rresp = m_axi_rresp;       assign s_axi_rlast = m_axi_rlast;
assign s_axi_rvalid = m_axi_rvalid;     assign m_axi_rready = s_axi_rready;

assign m_axil_awaddr = s_axil_awaddr;   assign m_axil_awprot = s_axil_awprot;
assign m_axil_awvalid = s_axil_awvalid; assign s_axil_awready = m_axil_awready;
assign m_axil_wdata = s_axil_wdata;     assign m_axil_wstrb = s_axil_wstrb;
assign m_axil_wvalid = s_axil_wvalid;   assign s_axil_wready = m_axil_wready;
assign s_axil_bresp = m_axil_bresp;     assign s_axil_bvalid = m_axil_bvalid;
assign m_axil_bready = s_axil_bready;
assign m_axil_araddr = s_axil_araddr;   assign m_axil_arprot = s_axil_arprot;
assign m_axil_arvalid = s_axil_arvalid; assign s_axil_arready = m_axil_arready;
assign s_axil_rdata = m_axil_rdata;     assign s_axil_rresp = m_axil_rresp;
assign s_axil_rvalid = m_axil_rvalid;   assign m_axil_rready = s_axil_rready;

assign m_axis_tdata = s_axis_tdata;     assign m_axis_tkeep = s_axis_tkeep;
assign m_axis_tlast = s_axis_tlast;     assign m_axis_tuser = s_axis_tuser;
assign m_axis_tvalid = s_axis_tvalid;   assign s_axis_tready = m_axis_tready;

// ---- checkers ----
axi4_checker #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
               .MAX_RD_OUTSTANDING(MAX_OUTSTANDING), .MAX_WR_OUTSTANDING(MAX_OUTSTANDING),
               .MAX_W_AHEAD(MAX_W_AHEAD), .MAX_ID_RD_OUTSTANDING(MAX_ID_OUTSTANDING),
               .MAX_ID_WR_OUTSTANDING(MAX_ID_OUTSTANDING), .MAX_BURST_LEN(MAX_BURST_LEN),
               .BURST_TYPES(2), .ATTR_CHECK(1), .AXLOCK(0), .AXCACHE(3), .AXPROT(2),
               .FATAL(FATAL)) axi_checker (
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
    .error_valid(axi_error_valid), .error_rule(axi_error_rule), .error_cycle(axi_error_cycle),
    .error_count(axi_error_count), .error_mask(axi_error_mask), .cycle(axi_cycle));

axil_checker #(.DATA_WIDTH(AXIL_DATA_WIDTH), .ADDR_WIDTH(AXIL_ADDR_WIDTH),
               .MAX_OUTSTANDING(AXIL_MAX_OUTSTANDING), .FATAL(FATAL)) axil_checker_inst (
    .clk(clk), .rst(rst),
    .awaddr(m_axil_awaddr), .awprot(m_axil_awprot), .awvalid(m_axil_awvalid), .awready(m_axil_awready),
    .wdata(m_axil_wdata), .wstrb(m_axil_wstrb), .wvalid(m_axil_wvalid), .wready(m_axil_wready),
    .bresp(m_axil_bresp), .bvalid(m_axil_bvalid), .bready(m_axil_bready),
    .araddr(m_axil_araddr), .arprot(m_axil_arprot), .arvalid(m_axil_arvalid), .arready(m_axil_arready),
    .rdata(m_axil_rdata), .rresp(m_axil_rresp), .rvalid(m_axil_rvalid), .rready(m_axil_rready),
    .error_valid(axil_error_valid), .error_rule(axil_error_rule), .error_cycle(axil_error_cycle),
    .error_count(axil_error_count), .error_mask(axil_error_mask), .cycle(axil_cycle));

axis_checker #(.DATA_WIDTH(DATA_WIDTH), .USER_WIDTH(USER_WIDTH), .FATAL(FATAL)) axis_checker_inst (
    .clk(clk), .rst(rst),
    .tdata(m_axis_tdata), .tkeep(m_axis_tkeep), .tlast(m_axis_tlast), .tuser(m_axis_tuser),
    .tvalid(m_axis_tvalid), .tready(m_axis_tready), .packet_abort(1'b0),
    .error_valid(axis_error_valid), .error_rule(axis_error_rule), .error_cycle(axis_error_cycle),
    .error_count(axis_error_count), .error_mask(axis_error_mask), .cycle(axis_cycle));

endmodule

`resetall
