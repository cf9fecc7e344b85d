// fv_wr_arb: formal target for sgdma_axi_wr_arb (hdl/sgdma_axi_wr_arb.v).
//
// Three upstream requesters (port i uses AWID i), each a legal AXI4 write master (fv_axi4_master,
// MASTER_IS_DUT=0: assumed, including that it offers a burst's W within W_BOUND cycles of its AW) whose
// W may lead its AW by one burst (MAX_W_AHEAD 1, as sgdma_s2mm and the STATUS write-back do; the
// arbiter forwards W once the AW is offered downstream, so a whole burst can end before the AW's
// handshake when the memory holds AWREADY until it has the data), and
// the downstream port m_axi (MASTER_IS_DUT=1: asserted; B of any ID in any order from the memory).
// SLAVE_AW_AFTER_W=1 makes the memory hold AWREADY until the burst's first W beat is offered (legal,
// AXI4 A3.3.1); the arbiter must then still offer W within W_BOUND cycles.
`default_nettype none

module fv_wr_arb #(
    parameter integer DATA_WIDTH = 8,        // AXI data width (narrow: payload only)
    parameter integer ADDR_WIDTH = 12,       // AXI address width (a 4 KiB page)
    parameter integer ID_WIDTH = 2,          // AXI ID width (IDs 0..2 routed)
    parameter integer MAX_BURST_LEN = 2,     // beats per burst of every requester
    parameter integer MAX_OUTSTANDING = 1,   // writes in flight per requester
    parameter integer SLAVE_AW_AFTER_W = 0,  // 1: the memory withholds AWREADY until W is offered
    parameter integer W_BOUND = 0            // > 0: W offered within W_BOUND cycles of a waiting AW
) (
    input wire                      clk,
    input wire                      rst,
    input wire [3*ID_WIDTH-1:0]     s_awid,
    input wire [3*ADDR_WIDTH-1:0]   s_awaddr,
    input wire [3*8-1:0]            s_awlen,
    input wire [3*3-1:0]            s_awsize,
    input wire [3*2-1:0]            s_awburst,
    input wire [2:0]                s_awlock,
    input wire [3*4-1:0]            s_awcache,
    input wire [3*3-1:0]            s_awprot,
    input wire [2:0]                s_awvalid,
    input wire [3*DATA_WIDTH-1:0]   s_wdata,
    input wire [3*DATA_WIDTH/8-1:0] s_wstrb,
    input wire [2:0]                s_wlast,
    input wire [2:0]                s_wvalid,
    input wire [2:0]                s_bready,
    input wire                      m_awready,
    input wire                      m_wready,
    input wire [ID_WIDTH-1:0]       m_bid,
    input wire [1:0]                m_bresp,
    input wire                      m_bvalid
);

localparam integer SW = DATA_WIDTH / 8;
wire [2:0]            s_awready, s_wready, s_bvalid;
wire [ID_WIDTH-1:0]   s_bid;
wire [1:0]            s_bresp;
wire [ID_WIDTH-1:0]   m_awid;
wire [ADDR_WIDTH-1:0] m_awaddr;
wire [7:0]            m_awlen;
wire [2:0]            m_awsize, m_awprot;
wire [1:0]            m_awburst;
wire                  m_awlock, m_awvalid, m_wlast, m_wvalid, m_bready;
wire [3:0]            m_awcache;
wire [DATA_WIDTH-1:0] m_wdata;
wire [SW-1:0]         m_wstrb;

sgdma_axi_wr_arb #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
                   .WFIFO_DEPTH(4)) dut (
    .clk(clk), .rst(rst),
    .s_axi_awid(s_awid), .s_axi_awaddr(s_awaddr), .s_axi_awlen(s_awlen), .s_axi_awsize(s_awsize),
    .s_axi_awburst(s_awburst), .s_axi_awlock(s_awlock), .s_axi_awcache(s_awcache),
    .s_axi_awprot(s_awprot), .s_axi_awvalid(s_awvalid), .s_axi_awready(s_awready),
    .s_axi_wdata(s_wdata), .s_axi_wstrb(s_wstrb), .s_axi_wlast(s_wlast), .s_axi_wvalid(s_wvalid),
    .s_axi_wready(s_wready), .s_axi_bid(s_bid), .s_axi_bresp(s_bresp), .s_axi_bvalid(s_bvalid),
    .s_axi_bready(s_bready),
    .m_axi_awid(m_awid), .m_axi_awaddr(m_awaddr), .m_axi_awlen(m_awlen), .m_axi_awsize(m_awsize),
    .m_axi_awburst(m_awburst), .m_axi_awlock(m_awlock), .m_axi_awcache(m_awcache),
    .m_axi_awprot(m_awprot), .m_axi_awvalid(m_awvalid), .m_axi_awready(m_awready),
    .m_axi_wdata(m_wdata), .m_axi_wstrb(m_wstrb), .m_axi_wlast(m_wlast), .m_axi_wvalid(m_wvalid),
    .m_axi_wready(m_wready), .m_axi_bid(m_bid), .m_axi_bresp(m_bresp), .m_axi_bvalid(m_bvalid),
    .m_axi_bready(m_bready));

genvar g;
generate for (g = 0; g < 3; g = g + 1) begin : g_req
    fv_axi4_master #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .READ(0),
                     .WRITE(1), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_WR_OUTSTANDING(MAX_OUTSTANDING),
                     .MAX_RD_OUTSTANDING(1), .MAX_W_AHEAD(1), .FIXED_ID(g), .W_BOUND(W_BOUND),
                     .MASTER_IS_DUT(0)) req (
        .clk(clk), .rst(rst),
        .awid(s_awid[g*ID_WIDTH +: ID_WIDTH]), .awaddr(s_awaddr[g*ADDR_WIDTH +: ADDR_WIDTH]),
        .awlen(s_awlen[g*8 +: 8]), .awsize(s_awsize[g*3 +: 3]), .awburst(s_awburst[g*2 +: 2]),
        .awlock(s_awlock[g]), .awcache(s_awcache[g*4 +: 4]), .awprot(s_awprot[g*3 +: 3]),
        .awvalid(s_awvalid[g]), .awready(s_awready[g]),
        .wdata(s_wdata[g*DATA_WIDTH +: DATA_WIDTH]), .wstrb(s_wstrb[g*SW +: SW]), .wlast(s_wlast[g]),
        .wvalid(s_wvalid[g]), .wready(s_wready[g]),
        .bid(s_bid), .bresp(s_bresp), .bvalid(s_bvalid[g]), .bready(s_bready[g]),
        .arid({ID_WIDTH{1'b0}}), .araddr({ADDR_WIDTH{1'b0}}), .arlen(8'd0), .arsize(3'd0),
        .arburst(2'd1), .arlock(1'b0), .arcache(4'd3), .arprot(3'd0), .arvalid(1'b0), .arready(1'b0),
        .rid({ID_WIDTH{1'b0}}), .rdata({DATA_WIDTH{1'b0}}), .rresp(2'd0), .rlast(1'b0), .rvalid(1'b0),
        .rready(1'b0));
end endgenerate

fv_axi4_master #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .READ(0),
                 .WRITE(1), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_WR_OUTSTANDING(3 * MAX_OUTSTANDING),
                 .MAX_RD_OUTSTANDING(1), .MAX_W_AHEAD(1), .SLAVE_AW_AFTER_W(SLAVE_AW_AFTER_W),
                 .W_BOUND(W_BOUND), .MASTER_IS_DUT(1)) mem (
    .clk(clk), .rst(rst),
    .awid(m_awid), .awaddr(m_awaddr), .awlen(m_awlen), .awsize(m_awsize), .awburst(m_awburst),
    .awlock(m_awlock), .awcache(m_awcache), .awprot(m_awprot), .awvalid(m_awvalid), .awready(m_awready),
    .wdata(m_wdata), .wstrb(m_wstrb), .wlast(m_wlast), .wvalid(m_wvalid), .wready(m_wready),
    .bid(m_bid), .bresp(m_bresp), .bvalid(m_bvalid), .bready(m_bready),
    .arid({ID_WIDTH{1'b0}}), .araddr({ADDR_WIDTH{1'b0}}), .arlen(8'd0), .arsize(3'd0),
    .arburst(2'd1), .arlock(1'b0), .arcache(4'd3), .arprot(3'd0), .arvalid(1'b0), .arready(1'b0),
    .rid({ID_WIDTH{1'b0}}), .rdata({DATA_WIDTH{1'b0}}), .rresp(2'd0), .rlast(1'b0), .rvalid(1'b0),
    .rready(1'b0));

endmodule
