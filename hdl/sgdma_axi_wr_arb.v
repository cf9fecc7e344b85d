// sgdma_axi_wr_arb: shares one AXI4 write master among 3 requesters.
//
// Port i is the requester that uses AWID i (0 = S2MM data, 1 = MM2S status write-back, 2 = S2MM
// status write-back). AW: round robin among the valid ports, a grant held while AW waits for AWREADY.
// Each AW pushes its port into a W-order FIFO in the first cycle it is offered (not when accepted);
// W is taken from the port at the FIFO head and the entry is popped with WLAST, so write data follows
// the AW order and never waits for AWREADY (AXI A3.3.1: a slave may hold AWREADY until it sees
// WVALID). W of a burst can start the cycle after its AW is first offered, so at most one W burst
// runs ahead of its AW handshake; with several bursts in flight the next entry is already queued, so
// consecutive bursts leave no W bubble. B: routed by BID with BREADY passed through; the B payload
// (BID, BRESP) is shared, only BVALID/BREADY are per port. Every port uses its own ID, so B of
// different ports may come back in any order.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module sgdma_axi_wr_arb #(
    parameter integer DATA_WIDTH  = 64,  // AXI data width
    parameter integer ADDR_WIDTH  = 64,  // AXI address width
    parameter integer ID_WIDTH    = 4,   // AXI ID width (>= 2: IDs 0..2 are routed)
    parameter integer WFIFO_DEPTH = 16   // AWs offered whose W is not yet complete (power of two)
) (
    input  wire                       clk,
    input  wire                       rst,

    input  wire [3*ID_WIDTH-1:0]      s_axi_awid,
    input  wire [3*ADDR_WIDTH-1:0]    s_axi_awaddr,
    input  wire [3*8-1:0]             s_axi_awlen,
    input  wire [3*3-1:0]             s_axi_awsize,
    input  wire [3*2-1:0]             s_axi_awburst,
    input  wire [2:0]                 s_axi_awlock,
    input  wire [3*4-1:0]             s_axi_awcache,
    input  wire [3*3-1:0]             s_axi_awprot,
    input  wire [2:0]                 s_axi_awvalid,
    output wire [2:0]                 s_axi_awready,
    input  wire [3*DATA_WIDTH-1:0]    s_axi_wdata,
    input  wire [3*DATA_WIDTH/8-1:0]  s_axi_wstrb,
    input  wire [2:0]                 s_axi_wlast,
    input  wire [2:0]                 s_axi_wvalid,
    output wire [2:0]                 s_axi_wready,
    output wire [ID_WIDTH-1:0]        s_axi_bid,
    output wire [1:0]                 s_axi_bresp,
    output wire [2:0]                 s_axi_bvalid,
    input  wire [2:0]                 s_axi_bready,

    output wire [ID_WIDTH-1:0]        m_axi_awid,
    output wire [ADDR_WIDTH-1:0]      m_axi_awaddr,
    output wire [7:0]                 m_axi_awlen,
    output wire [2:0]                 m_axi_awsize,
    output wire [1:0]                 m_axi_awburst,
    output wire                       m_axi_awlock,
    output wire [3:0]                 m_axi_awcache,
    output wire [2:0]                 m_axi_awprot,
    output wire                       m_axi_awvalid,
    input  wire                       m_axi_awready,
    output wire [DATA_WIDTH-1:0]      m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]    m_axi_wstrb,
    output wire                       m_axi_wlast,
    output wire                       m_axi_wvalid,
    input  wire                       m_axi_wready,
    input  wire [ID_WIDTH-1:0]        m_axi_bid,
    input  wire [1:0]                 m_axi_bresp,
    input  wire                       m_axi_bvalid,
    output wire                       m_axi_bready
);

localparam integer STRB_WIDTH = DATA_WIDTH / 8;
localparam integer CNT_W = $clog2(WFIFO_DEPTH) + 1;

initial begin
    if (ID_WIDTH < 2)
        $fatal(1, "sgdma_axi_wr_arb: ID_WIDTH (%0d) must be >= 2", ID_WIDTH);
end

reg  [1:0] last_q;
reg        lock_q;
reg  [1:0] lock_idx_q;
// round robin: candidates in order after the last granted port
wire [1:0] cand0 = (last_q == 2'd2) ? 2'd0 : last_q + 2'd1;
wire [1:0] cand1 = (cand0 == 2'd2) ? 2'd0 : cand0 + 2'd1;
wire [1:0] pick  = s_axi_awvalid[cand0] ? cand0 : s_axi_awvalid[cand1] ? cand1 : last_q;

wire [1:0] grant = lock_q ? lock_idx_q : pick;

// W-order FIFO
wire       wo_s_ready;
wire [1:0] wo_head;
wire       wo_valid;
wire [CNT_W-1:0] unused_wo_count, unused_wo_free;
wire       aw_fire = m_axi_awvalid && m_axi_awready;
wire       aw_offer = m_axi_awvalid && !lock_q;      // first cycle this AW is on the bus
wire       w_last_fire = m_axi_wvalid && m_axi_wready && m_axi_wlast;

sgdma_fifo #(.WIDTH(2), .DEPTH(WFIFO_DEPTH)) u_w_order (
    .clk(clk), .rst(rst),
    .s_data(grant), .s_valid(aw_offer), .s_ready(wo_s_ready),
    .m_data(wo_head), .m_valid(wo_valid), .m_ready(w_last_fire),
    .count(unused_wo_count), .free(unused_wo_free)
);

assign m_axi_awid    = s_axi_awid[grant*ID_WIDTH +: ID_WIDTH];
assign m_axi_awaddr  = s_axi_awaddr[grant*ADDR_WIDTH +: ADDR_WIDTH];
assign m_axi_awlen   = s_axi_awlen[grant*8 +: 8];
assign m_axi_awsize  = s_axi_awsize[grant*3 +: 3];
assign m_axi_awburst = s_axi_awburst[grant*2 +: 2];
assign m_axi_awlock  = s_axi_awlock[grant];
assign m_axi_awcache = s_axi_awcache[grant*4 +: 4];
assign m_axi_awprot  = s_axi_awprot[grant*3 +: 3];
// a new AW is offered only while the W-order FIFO has room for its entry; once offered (lock_q) it
// stays offered until accepted, whatever the FIFO holds (its entry is already in)
// (and low in reset from its first cycle: the registers behind it are undefined until the first edge)
assign m_axi_awvalid = s_axi_awvalid[grant] && (lock_q || wo_s_ready) && !rst;
assign s_axi_awready = {2'b00, m_axi_awready && (lock_q || wo_s_ready)} << grant;

assign m_axi_wdata   = s_axi_wdata[wo_head*DATA_WIDTH +: DATA_WIDTH];
assign m_axi_wstrb   = s_axi_wstrb[wo_head*STRB_WIDTH +: STRB_WIDTH];
assign m_axi_wlast   = s_axi_wlast[wo_head];
assign m_axi_wvalid  = wo_valid && s_axi_wvalid[wo_head] && !rst;
// (gated by wo_valid: the FIFO's head is X before its first entry, and so would be every WREADY)
assign s_axi_wready  = wo_valid ? ({2'b00, m_axi_wready} << wo_head) : 3'b000;

always @(posedge clk) begin
    lock_q <= m_axi_awvalid && !m_axi_awready;
    lock_idx_q <= grant;
    if (aw_fire) last_q <= grant;
    if (rst) begin
        last_q     <= 2'd2;
        lock_q     <= 1'b0;
        lock_idx_q <= 2'd0;
    end
end

// B: by BID
wire [1:0] b_port = m_axi_bid[1:0];
assign s_axi_bid    = m_axi_bid;
assign s_axi_bresp  = m_axi_bresp;
// the ID is looked at only while VALID is high (a slave may leave it undriven otherwise)
assign s_axi_bvalid  = m_axi_bvalid ? (3'b001 << b_port) : 3'b000;
assign m_axi_bready  = m_axi_bvalid ? ((b_port < 2'd3) && s_axi_bready[b_port]) : 1'b0;

`ifdef SGDMA_ASSERTIONS
always @(posedge clk) begin
    if (!rst) begin
        if (m_axi_bvalid && (m_axi_bid > 2))
            $fatal(1, "sgdma_axi_wr_arb: BID %0d routes to no requester", m_axi_bid);
        if (lock_q && !m_axi_awvalid)
            $fatal(1, "sgdma_axi_wr_arb: port %0d dropped AWVALID before AWREADY", lock_idx_q);
    end
end
`endif

endmodule

`resetall
