// fv_rd_arb: formal target for sgdma_axi_rd_arb (hdl/sgdma_axi_rd_arb.v).
//
// Three upstream requesters (port i uses ARID i), each modelled as a legal AXI4 read master
// (fv_axi4_master with MASTER_IS_DUT=0: its master rules assumed, the arbiter's slave duties toward
// it asserted), and the shared downstream master port m_axi (MASTER_IS_DUT=1: the arbiter's master
// duties asserted, the memory assumed legal, R interleaved across IDs and out of order allowed).
`default_nettype none

module fv_rd_arb #(
    parameter integer DATA_WIDTH = 8,       // AXI data width (narrow: payload only)
    parameter integer ADDR_WIDTH = 12,      // AXI address width (a 4 KiB page)
    parameter integer ID_WIDTH = 2,         // AXI ID width (IDs 0..2 routed)
    parameter integer MAX_BURST_LEN = 2,    // beats per burst of every requester
    parameter integer MAX_OUTSTANDING = 1   // reads in flight per requester
) (
    input wire clk
);

(* anyseq *) wire rst;
(* anyseq *) wire [3*ID_WIDTH-1:0]   s_arid;
(* anyseq *) wire [3*ADDR_WIDTH-1:0] s_araddr;
(* anyseq *) wire [3*8-1:0]          s_arlen;
(* anyseq *) wire [3*3-1:0]          s_arsize;
(* anyseq *) wire [3*2-1:0]          s_arburst;
(* anyseq *) wire [2:0]              s_arlock;
(* anyseq *) wire [3*4-1:0]          s_arcache;
(* anyseq *) wire [3*3-1:0]          s_arprot;
(* anyseq *) wire [2:0]              s_arvalid;
(* anyseq *) wire [2:0]              s_rready;
(* anyseq *) wire                    m_arready;
(* anyseq *) wire [ID_WIDTH-1:0]     m_rid;
(* anyseq *) wire [DATA_WIDTH-1:0]   m_rdata;
(* anyseq *) wire [1:0]              m_rresp;
(* anyseq *) wire                    m_rlast;
(* anyseq *) wire                    m_rvalid;

wire [2:0]            s_arready, s_rvalid;
wire [ID_WIDTH-1:0]   s_rid;
wire [DATA_WIDTH-1:0] s_rdata;
wire [1:0]            s_rresp;
wire                  s_rlast;
wire [ID_WIDTH-1:0]   m_arid;
wire [ADDR_WIDTH-1:0] m_araddr;
wire [7:0]            m_arlen;
wire [2:0]            m_arsize;
wire [1:0]            m_arburst;
wire                  m_arlock;
wire [3:0]            m_arcache;
wire [2:0]            m_arprot;
wire                  m_arvalid, m_rready;

sgdma_axi_rd_arb #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH)) dut (
    .clk(clk), .rst(rst),
    .s_axi_arid(s_arid), .s_axi_araddr(s_araddr), .s_axi_arlen(s_arlen), .s_axi_arsize(s_arsize),
    .s_axi_arburst(s_arburst), .s_axi_arlock(s_arlock), .s_axi_arcache(s_arcache),
    .s_axi_arprot(s_arprot), .s_axi_arvalid(s_arvalid), .s_axi_arready(s_arready),
    .s_axi_rid(s_rid), .s_axi_rdata(s_rdata), .s_axi_rresp(s_rresp), .s_axi_rlast(s_rlast),
    .s_axi_rvalid(s_rvalid), .s_axi_rready(s_rready),
    .m_axi_arid(m_arid), .m_axi_araddr(m_araddr), .m_axi_arlen(m_arlen), .m_axi_arsize(m_arsize),
    .m_axi_arburst(m_arburst), .m_axi_arlock(m_arlock), .m_axi_arcache(m_arcache),
    .m_axi_arprot(m_arprot), .m_axi_arvalid(m_arvalid), .m_axi_arready(m_arready),
    .m_axi_rid(m_rid), .m_axi_rdata(m_rdata), .m_axi_rresp(m_rresp), .m_axi_rlast(m_rlast),
    .m_axi_rvalid(m_rvalid), .m_axi_rready(m_rready));

localparam integer NID = 1 << ID_WIDTH;
wire [6*NID-1:0] mem_rd_n;
wire [8*NID-1:0] mem_rd_beat, mem_rd_len;

genvar g;
generate for (g = 0; g < 3; g = g + 1) begin : g_req
    wire [6*NID-1:0] rd_n;
    wire [8*NID-1:0] rd_beat, rd_len;
    // k-induction: the arbiter keeps no read state of its own; what requester g has outstanding is
    // exactly what the memory owes ID g (routing by ID, R passed through)
    always @(*) begin
        if (!rst) begin
            assert(rd_n == ({{(6*NID-6){1'b0}}, mem_rd_n[g*6 +: 6]} << (6 * g)));
            assert(rd_beat[g*8 +: 8] == mem_rd_beat[g*8 +: 8]);
            if (rd_n[g*6 +: 6] != 0) assert(rd_len[g*8 +: 8] == mem_rd_len[g*8 +: 8]);
        end
    end
    fv_axi4_master #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .READ(1),
                     .WRITE(0), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_RD_OUTSTANDING(MAX_OUTSTANDING),
                     .MAX_WR_OUTSTANDING(1), .FIXED_ID(g), .MASTER_IS_DUT(0)) req (
        .clk(clk), .rst(rst),
        .awid({ID_WIDTH{1'b0}}), .awaddr({ADDR_WIDTH{1'b0}}), .awlen(8'd0), .awsize(3'd0),
        .awburst(2'd1), .awlock(1'b0), .awcache(4'd3), .awprot(3'd0), .awvalid(1'b0), .awready(1'b0),
        .wdata({DATA_WIDTH{1'b0}}), .wstrb({DATA_WIDTH/8{1'b0}}), .wlast(1'b0), .wvalid(1'b0),
        .wready(1'b0), .bid({ID_WIDTH{1'b0}}), .bresp(2'd0), .bvalid(1'b0), .bready(1'b0),
        .arid(s_arid[g*ID_WIDTH +: ID_WIDTH]), .araddr(s_araddr[g*ADDR_WIDTH +: ADDR_WIDTH]),
        .arlen(s_arlen[g*8 +: 8]), .arsize(s_arsize[g*3 +: 3]), .arburst(s_arburst[g*2 +: 2]),
        .arlock(s_arlock[g]), .arcache(s_arcache[g*4 +: 4]), .arprot(s_arprot[g*3 +: 3]),
        .arvalid(s_arvalid[g]), .arready(s_arready[g]),
        .rid(s_rid), .rdata(s_rdata), .rresp(s_rresp), .rlast(s_rlast), .rvalid(s_rvalid[g]),
        .rready(s_rready[g]),
        .f_rd_n(rd_n), .f_rd_beat(rd_beat), .f_rd_len(rd_len), .f_rd_out(), .f_wr_out(), .f_wq_n(),
        .f_w_ahead(), .f_wq_head(), .f_w_beat(), .f_b_owed());
end endgenerate
always @(*) if (!rst) assert(mem_rd_n[3*6 +: 6] == 0);   // ID 3 routes to no requester

fv_axi4_master #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .READ(1),
                 .WRITE(0), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_RD_OUTSTANDING(3 * MAX_OUTSTANDING),
                 .MAX_WR_OUTSTANDING(1), .MASTER_IS_DUT(1)) mem (
    .clk(clk), .rst(rst),
    .awid({ID_WIDTH{1'b0}}), .awaddr({ADDR_WIDTH{1'b0}}), .awlen(8'd0), .awsize(3'd0),
    .awburst(2'd1), .awlock(1'b0), .awcache(4'd3), .awprot(3'd0), .awvalid(1'b0), .awready(1'b0),
    .wdata({DATA_WIDTH{1'b0}}), .wstrb({DATA_WIDTH/8{1'b0}}), .wlast(1'b0), .wvalid(1'b0),
    .wready(1'b0), .bid({ID_WIDTH{1'b0}}), .bresp(2'd0), .bvalid(1'b0), .bready(1'b0),
    .arid(m_arid), .araddr(m_araddr), .arlen(m_arlen), .arsize(m_arsize), .arburst(m_arburst),
    .arlock(m_arlock), .arcache(m_arcache), .arprot(m_arprot), .arvalid(m_arvalid), .arready(m_arready),
    .rid(m_rid), .rdata(m_rdata), .rresp(m_rresp), .rlast(m_rlast), .rvalid(m_rvalid), .rready(m_rready),
    .f_rd_n(mem_rd_n), .f_rd_beat(mem_rd_beat), .f_rd_len(mem_rd_len), .f_rd_out(), .f_wr_out(), .f_wq_n(),
    .f_w_ahead(), .f_wq_head(), .f_w_beat(), .f_b_owed());

endmodule
