// fv_top: formal target for the whole sgdma (hdl/sgdma.v) with every bus input legal: small
// parameters (32-bit data, 8-beat bursts so that a descriptor fetch is one burst, one burst in flight
// per mover, one descriptor per packet), no hide unit and no m_axi_sg port (their inputs are free and
// ignored). Asserted: m_axi (AXI4 master: descriptor reads, data, STATUS writes over IDs 0..2),
// s_axil (AXI4-Lite slave), m_axis (AXI4-Stream master); assumed: a legal memory, AXI4-Lite master and
// stream source. A short bounded check: the register writes that start a channel, a descriptor fetch
// and its data take about 30 cycles, deeper than this target is tractable here.
`default_nettype none

module fv_top (
    input wire clk,
    input wire rst,
    input wire [12-1:0] s_axil_awaddr,
    input wire [2:0] s_axil_awprot,
    input wire s_axil_awvalid,
    input wire [31:0] s_axil_wdata,
    input wire [3:0] s_axil_wstrb,
    input wire s_axil_wvalid,
    input wire s_axil_bready,
    input wire [12-1:0] s_axil_araddr,
    input wire [2:0] s_axil_arprot,
    input wire s_axil_arvalid,
    input wire s_axil_rready,
    input wire m_axi_awready,
    input wire m_axi_wready,
    input wire [2-1:0] m_axi_bid,
    input wire [1:0] m_axi_bresp,
    input wire m_axi_bvalid,
    input wire m_axi_arready,
    input wire [2-1:0] m_axi_rid,
    input wire [32-1:0] m_axi_rdata,
    input wire [1:0] m_axi_rresp,
    input wire m_axi_rlast,
    input wire m_axi_rvalid,
    input wire m_axi_sg_awready,
    input wire m_axi_sg_wready,
    input wire [2-1:0] m_axi_sg_bid,
    input wire [1:0] m_axi_sg_bresp,
    input wire m_axi_sg_bvalid,
    input wire m_axi_sg_arready,
    input wire [2-1:0] m_axi_sg_rid,
    input wire [32-1:0] m_axi_sg_rdata,
    input wire [1:0] m_axi_sg_rresp,
    input wire m_axi_sg_rlast,
    input wire m_axi_sg_rvalid,
    input wire m_axis_tready,
    input wire [32-1:0] s_axis_tdata,
    input wire [32/8-1:0] s_axis_tkeep,
    input wire s_axis_tvalid,
    input wire s_axis_tlast,
    input wire m_maint_req_ready,
    input wire s_maint_done_valid,
    input wire [2-1:0] s_axi_cpu_awid,
    input wire [32-1:0] s_axi_cpu_awaddr,
    input wire [7:0] s_axi_cpu_awlen,
    input wire [2:0] s_axi_cpu_awsize,
    input wire [1:0] s_axi_cpu_awburst,
    input wire s_axi_cpu_awlock,
    input wire [3:0] s_axi_cpu_awcache,
    input wire [2:0] s_axi_cpu_awprot,
    input wire s_axi_cpu_awvalid,
    input wire [32-1:0] s_axi_cpu_wdata,
    input wire [32/8-1:0] s_axi_cpu_wstrb,
    input wire s_axi_cpu_wlast,
    input wire s_axi_cpu_wvalid,
    input wire s_axi_cpu_bready,
    input wire [2-1:0] s_axi_cpu_arid,
    input wire [32-1:0] s_axi_cpu_araddr,
    input wire [7:0] s_axi_cpu_arlen,
    input wire [2:0] s_axi_cpu_arsize,
    input wire [1:0] s_axi_cpu_arburst,
    input wire s_axi_cpu_arlock,
    input wire [3:0] s_axi_cpu_arcache,
    input wire [2:0] s_axi_cpu_arprot,
    input wire s_axi_cpu_arvalid,
    input wire s_axi_cpu_rready,
    input wire m_axi_cpu_awready,
    input wire m_axi_cpu_wready,
    input wire [2-1:0] m_axi_cpu_bid,
    input wire [1:0] m_axi_cpu_bresp,
    input wire m_axi_cpu_bvalid,
    input wire m_axi_cpu_arready,
    input wire [2-1:0] m_axi_cpu_rid,
    input wire [32-1:0] m_axi_cpu_rdata,
    input wire [1:0] m_axi_cpu_rresp,
    input wire m_axi_cpu_rlast,
    input wire m_axi_cpu_rvalid
);

wire s_axil_awready;
wire s_axil_wready;
wire [1:0] s_axil_bresp;
wire s_axil_bvalid;
wire s_axil_arready;
wire [31:0] s_axil_rdata;
wire [1:0] s_axil_rresp;
wire s_axil_rvalid;
wire [2-1:0] m_axi_awid;
wire [32-1:0] m_axi_awaddr;
wire [7:0] m_axi_awlen;
wire [2:0] m_axi_awsize;
wire [1:0] m_axi_awburst;
wire m_axi_awlock;
wire [3:0] m_axi_awcache;
wire [2:0] m_axi_awprot;
wire m_axi_awvalid;
wire [32-1:0] m_axi_wdata;
wire [32/8-1:0] m_axi_wstrb;
wire m_axi_wlast;
wire m_axi_wvalid;
wire m_axi_bready;
wire [2-1:0] m_axi_arid;
wire [32-1:0] m_axi_araddr;
wire [7:0] m_axi_arlen;
wire [2:0] m_axi_arsize;
wire [1:0] m_axi_arburst;
wire m_axi_arlock;
wire [3:0] m_axi_arcache;
wire [2:0] m_axi_arprot;
wire m_axi_arvalid;
wire m_axi_rready;
wire [2-1:0] m_axi_sg_awid;
wire [32-1:0] m_axi_sg_awaddr;
wire [7:0] m_axi_sg_awlen;
wire [2:0] m_axi_sg_awsize;
wire [1:0] m_axi_sg_awburst;
wire m_axi_sg_awlock;
wire [3:0] m_axi_sg_awcache;
wire [2:0] m_axi_sg_awprot;
wire m_axi_sg_awvalid;
wire [32-1:0] m_axi_sg_wdata;
wire [32/8-1:0] m_axi_sg_wstrb;
wire m_axi_sg_wlast;
wire m_axi_sg_wvalid;
wire m_axi_sg_bready;
wire [2-1:0] m_axi_sg_arid;
wire [32-1:0] m_axi_sg_araddr;
wire [7:0] m_axi_sg_arlen;
wire [2:0] m_axi_sg_arsize;
wire [1:0] m_axi_sg_arburst;
wire m_axi_sg_arlock;
wire [3:0] m_axi_sg_arcache;
wire [2:0] m_axi_sg_arprot;
wire m_axi_sg_arvalid;
wire m_axi_sg_rready;
wire [32-1:0] m_axis_tdata;
wire [32/8-1:0] m_axis_tkeep;
wire m_axis_tvalid;
wire m_axis_tlast;
wire [1-1:0] m_axis_tuser;
wire s_axis_tready;
wire irq_mm2s;
wire irq_s2mm;
wire m_maint_req_valid;
wire [32-1:0] m_maint_req_addr;
wire [1:0] m_maint_req_op;
wire s_maint_done_ready;
wire s_axi_cpu_awready;
wire s_axi_cpu_wready;
wire [2-1:0] s_axi_cpu_bid;
wire [1:0] s_axi_cpu_bresp;
wire s_axi_cpu_bvalid;
wire s_axi_cpu_arready;
wire [2-1:0] s_axi_cpu_rid;
wire [32-1:0] s_axi_cpu_rdata;
wire [1:0] s_axi_cpu_rresp;
wire s_axi_cpu_rlast;
wire s_axi_cpu_rvalid;
wire [2-1:0] m_axi_cpu_awid;
wire [32-1:0] m_axi_cpu_awaddr;
wire [7:0] m_axi_cpu_awlen;
wire [2:0] m_axi_cpu_awsize;
wire [1:0] m_axi_cpu_awburst;
wire m_axi_cpu_awlock;
wire [3:0] m_axi_cpu_awcache;
wire [2:0] m_axi_cpu_awprot;
wire m_axi_cpu_awvalid;
wire [32-1:0] m_axi_cpu_wdata;
wire [32/8-1:0] m_axi_cpu_wstrb;
wire m_axi_cpu_wlast;
wire m_axi_cpu_wvalid;
wire m_axi_cpu_bready;
wire [2-1:0] m_axi_cpu_arid;
wire [32-1:0] m_axi_cpu_araddr;
wire [7:0] m_axi_cpu_arlen;
wire [2:0] m_axi_cpu_arsize;
wire [1:0] m_axi_cpu_arburst;
wire m_axi_cpu_arlock;
wire [3:0] m_axi_cpu_arcache;
wire [2:0] m_axi_cpu_arprot;
wire m_axi_cpu_arvalid;
wire m_axi_cpu_rready;
wire hide_mod_valid;
wire [32-1:0] hide_mod_addr;

sgdma #(.AXIL_ADDR_WIDTH(12), .DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .LEN_WIDTH(8),
        .MAX_BURST_LEN(8), .MAX_OUTSTANDING(1), .SGL_MAX(1), .SEG_LOG2(32), .ALIGN_LOG2(0),
        .DATA_FIFO_DEPTH(16), .USER_WIDTH(1), .HIDE_ENTRIES(0), .SG_PORT(0),
        .DESC_PREFETCH(2), .DESC_BURST(2), .WB_OUTSTANDING(2)) dut (
    .clk(clk), .rst(rst),
    .s_axil_awaddr(s_axil_awaddr),
    .s_axil_awprot(s_axil_awprot),
    .s_axil_awvalid(s_axil_awvalid),
    .s_axil_wdata(s_axil_wdata),
    .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid),
    .s_axil_bready(s_axil_bready),
    .s_axil_araddr(s_axil_araddr),
    .s_axil_arprot(s_axil_arprot),
    .s_axil_arvalid(s_axil_arvalid),
    .s_axil_rready(s_axil_rready),
    .m_axi_awready(m_axi_awready),
    .m_axi_wready(m_axi_wready),
    .m_axi_bid(m_axi_bid),
    .m_axi_bresp(m_axi_bresp),
    .m_axi_bvalid(m_axi_bvalid),
    .m_axi_arready(m_axi_arready),
    .m_axi_rid(m_axi_rid),
    .m_axi_rdata(m_axi_rdata),
    .m_axi_rresp(m_axi_rresp),
    .m_axi_rlast(m_axi_rlast),
    .m_axi_rvalid(m_axi_rvalid),
    .m_axi_sg_awready(m_axi_sg_awready),
    .m_axi_sg_wready(m_axi_sg_wready),
    .m_axi_sg_bid(m_axi_sg_bid),
    .m_axi_sg_bresp(m_axi_sg_bresp),
    .m_axi_sg_bvalid(m_axi_sg_bvalid),
    .m_axi_sg_arready(m_axi_sg_arready),
    .m_axi_sg_rid(m_axi_sg_rid),
    .m_axi_sg_rdata(m_axi_sg_rdata),
    .m_axi_sg_rresp(m_axi_sg_rresp),
    .m_axi_sg_rlast(m_axi_sg_rlast),
    .m_axi_sg_rvalid(m_axi_sg_rvalid),
    .m_axis_tready(m_axis_tready),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tlast(s_axis_tlast),
    .m_maint_req_ready(m_maint_req_ready),
    .s_maint_done_valid(s_maint_done_valid),
    .s_axi_cpu_awid(s_axi_cpu_awid),
    .s_axi_cpu_awaddr(s_axi_cpu_awaddr),
    .s_axi_cpu_awlen(s_axi_cpu_awlen),
    .s_axi_cpu_awsize(s_axi_cpu_awsize),
    .s_axi_cpu_awburst(s_axi_cpu_awburst),
    .s_axi_cpu_awlock(s_axi_cpu_awlock),
    .s_axi_cpu_awcache(s_axi_cpu_awcache),
    .s_axi_cpu_awprot(s_axi_cpu_awprot),
    .s_axi_cpu_awvalid(s_axi_cpu_awvalid),
    .s_axi_cpu_wdata(s_axi_cpu_wdata),
    .s_axi_cpu_wstrb(s_axi_cpu_wstrb),
    .s_axi_cpu_wlast(s_axi_cpu_wlast),
    .s_axi_cpu_wvalid(s_axi_cpu_wvalid),
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
    .s_axi_cpu_rready(s_axi_cpu_rready),
    .m_axi_cpu_awready(m_axi_cpu_awready),
    .m_axi_cpu_wready(m_axi_cpu_wready),
    .m_axi_cpu_bid(m_axi_cpu_bid),
    .m_axi_cpu_bresp(m_axi_cpu_bresp),
    .m_axi_cpu_bvalid(m_axi_cpu_bvalid),
    .m_axi_cpu_arready(m_axi_cpu_arready),
    .m_axi_cpu_rid(m_axi_cpu_rid),
    .m_axi_cpu_rdata(m_axi_cpu_rdata),
    .m_axi_cpu_rresp(m_axi_cpu_rresp),
    .m_axi_cpu_rlast(m_axi_cpu_rlast),
    .m_axi_cpu_rvalid(m_axi_cpu_rvalid),
    .s_axil_awready(s_axil_awready),
    .s_axil_wready(s_axil_wready),
    .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid),
    .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid),
    .m_axi_awid(m_axi_awid),
    .m_axi_awaddr(m_axi_awaddr),
    .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize),
    .m_axi_awburst(m_axi_awburst),
    .m_axi_awlock(m_axi_awlock),
    .m_axi_awcache(m_axi_awcache),
    .m_axi_awprot(m_axi_awprot),
    .m_axi_awvalid(m_axi_awvalid),
    .m_axi_wdata(m_axi_wdata),
    .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast),
    .m_axi_wvalid(m_axi_wvalid),
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
    .m_axi_rready(m_axi_rready),
    .m_axi_sg_awid(m_axi_sg_awid),
    .m_axi_sg_awaddr(m_axi_sg_awaddr),
    .m_axi_sg_awlen(m_axi_sg_awlen),
    .m_axi_sg_awsize(m_axi_sg_awsize),
    .m_axi_sg_awburst(m_axi_sg_awburst),
    .m_axi_sg_awlock(m_axi_sg_awlock),
    .m_axi_sg_awcache(m_axi_sg_awcache),
    .m_axi_sg_awprot(m_axi_sg_awprot),
    .m_axi_sg_awvalid(m_axi_sg_awvalid),
    .m_axi_sg_wdata(m_axi_sg_wdata),
    .m_axi_sg_wstrb(m_axi_sg_wstrb),
    .m_axi_sg_wlast(m_axi_sg_wlast),
    .m_axi_sg_wvalid(m_axi_sg_wvalid),
    .m_axi_sg_bready(m_axi_sg_bready),
    .m_axi_sg_arid(m_axi_sg_arid),
    .m_axi_sg_araddr(m_axi_sg_araddr),
    .m_axi_sg_arlen(m_axi_sg_arlen),
    .m_axi_sg_arsize(m_axi_sg_arsize),
    .m_axi_sg_arburst(m_axi_sg_arburst),
    .m_axi_sg_arlock(m_axi_sg_arlock),
    .m_axi_sg_arcache(m_axi_sg_arcache),
    .m_axi_sg_arprot(m_axi_sg_arprot),
    .m_axi_sg_arvalid(m_axi_sg_arvalid),
    .m_axi_sg_rready(m_axi_sg_rready),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tuser(m_axis_tuser),
    .s_axis_tready(s_axis_tready),
    .irq_mm2s(irq_mm2s),
    .irq_s2mm(irq_s2mm),
    .m_maint_req_valid(m_maint_req_valid),
    .m_maint_req_addr(m_maint_req_addr),
    .m_maint_req_op(m_maint_req_op),
    .s_maint_done_ready(s_maint_done_ready),
    .s_axi_cpu_awready(s_axi_cpu_awready),
    .s_axi_cpu_wready(s_axi_cpu_wready),
    .s_axi_cpu_bid(s_axi_cpu_bid),
    .s_axi_cpu_bresp(s_axi_cpu_bresp),
    .s_axi_cpu_bvalid(s_axi_cpu_bvalid),
    .s_axi_cpu_arready(s_axi_cpu_arready),
    .s_axi_cpu_rid(s_axi_cpu_rid),
    .s_axi_cpu_rdata(s_axi_cpu_rdata),
    .s_axi_cpu_rresp(s_axi_cpu_rresp),
    .s_axi_cpu_rlast(s_axi_cpu_rlast),
    .s_axi_cpu_rvalid(s_axi_cpu_rvalid),
    .m_axi_cpu_awid(m_axi_cpu_awid),
    .m_axi_cpu_awaddr(m_axi_cpu_awaddr),
    .m_axi_cpu_awlen(m_axi_cpu_awlen),
    .m_axi_cpu_awsize(m_axi_cpu_awsize),
    .m_axi_cpu_awburst(m_axi_cpu_awburst),
    .m_axi_cpu_awlock(m_axi_cpu_awlock),
    .m_axi_cpu_awcache(m_axi_cpu_awcache),
    .m_axi_cpu_awprot(m_axi_cpu_awprot),
    .m_axi_cpu_awvalid(m_axi_cpu_awvalid),
    .m_axi_cpu_wdata(m_axi_cpu_wdata),
    .m_axi_cpu_wstrb(m_axi_cpu_wstrb),
    .m_axi_cpu_wlast(m_axi_cpu_wlast),
    .m_axi_cpu_wvalid(m_axi_cpu_wvalid),
    .m_axi_cpu_bready(m_axi_cpu_bready),
    .m_axi_cpu_arid(m_axi_cpu_arid),
    .m_axi_cpu_araddr(m_axi_cpu_araddr),
    .m_axi_cpu_arlen(m_axi_cpu_arlen),
    .m_axi_cpu_arsize(m_axi_cpu_arsize),
    .m_axi_cpu_arburst(m_axi_cpu_arburst),
    .m_axi_cpu_arlock(m_axi_cpu_arlock),
    .m_axi_cpu_arcache(m_axi_cpu_arcache),
    .m_axi_cpu_arprot(m_axi_cpu_arprot),
    .m_axi_cpu_arvalid(m_axi_cpu_arvalid),
    .m_axi_cpu_rready(m_axi_cpu_rready),
    .hide_mod_valid(hide_mod_valid),
    .hide_mod_addr(hide_mod_addr));

// outstanding: the data mover's one burst plus DESC_PREFETCH fetches and WB_OUTSTANDING STATUS
// writes per engine
fv_axi4_master #(.DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .MAX_BURST_LEN(8), .MAX_RD_OUTSTANDING(5),
                 .MAX_WR_OUTSTANDING(5), .MAX_W_AHEAD(1), .MASTER_IS_DUT(1)) mem (
    .clk(clk), .rst(rst),
    .awid(m_axi_awid), .awaddr(m_axi_awaddr), .awlen(m_axi_awlen), .awsize(m_axi_awsize),
    .awburst(m_axi_awburst), .awlock(m_axi_awlock), .awcache(m_axi_awcache), .awprot(m_axi_awprot),
    .awvalid(m_axi_awvalid), .awready(m_axi_awready), .wdata(m_axi_wdata), .wstrb(m_axi_wstrb),
    .wlast(m_axi_wlast), .wvalid(m_axi_wvalid), .wready(m_axi_wready), .bid(m_axi_bid),
    .bresp(m_axi_bresp), .bvalid(m_axi_bvalid), .bready(m_axi_bready), .arid(m_axi_arid),
    .araddr(m_axi_araddr), .arlen(m_axi_arlen), .arsize(m_axi_arsize), .arburst(m_axi_arburst),
    .arlock(m_axi_arlock), .arcache(m_axi_arcache), .arprot(m_axi_arprot), .arvalid(m_axi_arvalid),
    .arready(m_axi_arready), .rid(m_axi_rid), .rdata(m_axi_rdata), .rresp(m_axi_rresp),
    .rlast(m_axi_rlast), .rvalid(m_axi_rvalid), .rready(m_axi_rready));

fv_axil_slave #(.ADDR_WIDTH(12), .MAX_OUTSTANDING(2)) axil (
    .clk(clk), .rst(rst),
    .awaddr(s_axil_awaddr), .awprot(s_axil_awprot), .awvalid(s_axil_awvalid), .awready(s_axil_awready),
    .wdata(s_axil_wdata), .wstrb(s_axil_wstrb), .wvalid(s_axil_wvalid), .wready(s_axil_wready),
    .bresp(s_axil_bresp), .bvalid(s_axil_bvalid), .bready(s_axil_bready),
    .araddr(s_axil_araddr), .arprot(s_axil_arprot), .arvalid(s_axil_arvalid), .arready(s_axil_arready),
    .rdata(s_axil_rdata), .rresp(s_axil_rresp), .rvalid(s_axil_rvalid), .rready(s_axil_rready));

fv_axis #(.DATA_WIDTH(32), .USER_WIDTH(1), .MASTER_IS_DUT(1)) mm2s (
    .clk(clk), .rst(rst), .tdata(m_axis_tdata), .tkeep(m_axis_tkeep), .tlast(m_axis_tlast),
    .tuser(m_axis_tuser), .tvalid(m_axis_tvalid), .tready(m_axis_tready));
fv_axis #(.DATA_WIDTH(32), .USER_WIDTH(1), .MASTER_IS_DUT(0)) s2mm (
    .clk(clk), .rst(rst), .tdata(s_axis_tdata), .tkeep(s_axis_tkeep), .tlast(s_axis_tlast),
    .tuser(1'b0), .tvalid(s_axis_tvalid), .tready(s_axis_tready));

endmodule
