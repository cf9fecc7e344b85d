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
    parameter integer W_BOUND = 0,           // > 0: W offered within W_BOUND cycles of a waiting AW
    parameter integer INVARIANTS = 1         // 1: assert the k-induction invariants below (0 in the
                                             // aw_after_w task, so that its negative control shows the
                                             // A3.3.1 property firing, not an invariant of the arbiter)
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

// the checkers' state for the k-induction invariants below (6-bit counters, 4 IDs)
wire [3*6-1:0]  f_req_wr_out, f_req_wq_n;
wire [2:0]      f_req_w_ahead;
wire [3*8-1:0]  f_req_wq_head, f_req_w_beat;
wire [3*24-1:0] f_req_b_owed;
wire [5:0]      f_wr_out, f_wq_n;
wire            f_w_ahead;
wire [8*(3*MAX_OUTSTANDING+2)-1:0] f_wq;
wire [ID_WIDTH*(3*MAX_OUTSTANDING+2)-1:0] f_wq_id;
wire [7:0]      f_w_beat;
wire [23:0]     f_b_owed;

genvar g;
generate for (g = 0; g < 3; g = g + 1) begin : g_req
    fv_axi4_master #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .READ(0),
                     .WRITE(1), .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_WR_OUTSTANDING(MAX_OUTSTANDING),
                     .MAX_RD_OUTSTANDING(1), .MAX_W_AHEAD(1), .FIXED_ID(g), .W_BOUND(W_BOUND),
                     .MASTER_IS_DUT(0)) req (
        .clk(clk), .rst(rst), .f_wr_out(f_req_wr_out[g*6 +: 6]), .f_wq_n(f_req_wq_n[g*6 +: 6]),
        .f_w_ahead(f_req_w_ahead[g]), .f_wq_head(f_req_wq_head[g*8 +: 8]),
        .f_w_beat(f_req_w_beat[g*8 +: 8]), .f_b_owed(f_req_b_owed[g*24 +: 24]),
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
    .clk(clk), .rst(rst), .f_wr_out(f_wr_out), .f_wq_n(f_wq_n), .f_w_ahead(f_w_ahead), .f_wq(f_wq),
    .f_wq_id(f_wq_id), .f_w_beat(f_w_beat), .f_b_owed(f_b_owed),
    .awid(m_awid), .awaddr(m_awaddr), .awlen(m_awlen), .awsize(m_awsize), .awburst(m_awburst),
    .awlock(m_awlock), .awcache(m_awcache), .awprot(m_awprot), .awvalid(m_awvalid), .awready(m_awready),
    .wdata(m_wdata), .wstrb(m_wstrb), .wlast(m_wlast), .wvalid(m_wvalid), .wready(m_wready),
    .bid(m_bid), .bresp(m_bresp), .bvalid(m_bvalid), .bready(m_bready),
    .arid({ID_WIDTH{1'b0}}), .araddr({ADDR_WIDTH{1'b0}}), .arlen(8'd0), .arsize(3'd0),
    .arburst(2'd1), .arlock(1'b0), .arcache(4'd3), .arprot(3'd0), .arvalid(1'b0), .arready(1'b0),
    .rid({ID_WIDTH{1'b0}}), .rdata({DATA_WIDTH{1'b0}}), .rresp(2'd0), .rlast(1'b0), .rvalid(1'b0),
    .rready(1'b0));

// ---- k-induction invariants: the arbiter's lock and W-order FIFO (hdl/sgdma_axi_wr_arb.v) against
// the requesters' and the memory's checkers. The f_ wires without a port above are driven by
// formal/wr_arb.sby (`connect` after `flatten`). True from reset, asserted in every task.
// The W-order FIFO holds the ports whose AW was offered downstream and whose W burst has not
// finished, in AW order. Only the newest can still wait for AWREADY (lock_q); each requester has at
// most one AW accepted and unanswered (MAX_OUTSTANDING 1), so the entries before it are distinct
// ports (the locked one may repeat one of them: a requester offers its next AW before the previous
// write's W and B are done). W of a port starts only at the FIFO head.
(* keep *) wire       f_lock;             // dut.lock_q
(* keep *) wire [1:0] f_lock_idx;         // dut.lock_idx_q
(* keep *) wire [2:0] f_wo_wr, f_wo_rd;   // dut.u_w_order pointers
(* keep *) wire [1:0] f_wo_mem0, f_wo_mem1, f_wo_mem2, f_wo_mem3;
wire [2:0] f_wo_count = f_wo_wr - f_wo_rd;
wire [7:0] f_wo_mem = {f_wo_mem3, f_wo_mem2, f_wo_mem1, f_wo_mem0};
wire [1:0] f_wo_i0 = f_wo_rd[1:0], f_wo_i1 = f_wo_rd[1:0] + 2'd1, f_wo_i2 = f_wo_rd[1:0] + 2'd2;
wire [1:0] f_wo_itail = f_wo_wr[1:0] - 2'd1;   // (2-bit slot indexes: they wrap)
wire [1:0] f_wo_at0 = f_wo_mem[2*f_wo_i0 +: 2];   // entry 0 (head), 1, 2
wire [1:0] f_wo_at1 = f_wo_mem[2*f_wo_i1 +: 2];
wire [1:0] f_wo_at2 = f_wo_mem[2*f_wo_i2 +: 2];
// the newest entry is the locked AW's (pushed when first offered; nothing is pushed while locked)
wire [1:0] f_wo_tail = f_wo_mem[2*f_wo_itail +: 2];
wire       f_lock_in_fifo = f_lock && f_wo_count != 3'd0 && f_wo_tail == f_lock_idx;
wire [5:0] f_wr_out_sum = f_req_wr_out[0 +: 6] + f_req_wr_out[6 +: 6] + f_req_wr_out[12 +: 6];
// mem's AWs owed W data: the FIFO entries whose AW was accepted
wire [2:0] f_wo_accepted = f_wo_count - {2'd0, f_lock_in_fifo};
// the memory's queue entry i holds the AWLEN of the i-th FIFO entry's requester
wire [7:0] f_len_at0 = f_req_wq_head[8*f_wo_at0 +: 8];
wire [7:0] f_len_at1 = f_req_wq_head[8*f_wo_at1 +: 8];
wire [7:0] f_len_at2 = f_req_wq_head[8*f_wo_at2 +: 8];
always @(*) begin
    if (INVARIANTS != 0 && !rst) begin
        assert(f_wo_accepted <= 3'd3 && f_wo_count <= 3'd4);
        assert(f_wo_accepted < 3'd2 || f_wo_at0 != f_wo_at1);
        assert(f_wo_accepted < 3'd3 || (f_wo_at0 != f_wo_at2 && f_wo_at1 != f_wo_at2));
        assert(f_wo_count == 0 || f_wo_at0 <= 2'd2);
        assert(f_wo_count < 3'd2 || f_wo_at1 <= 2'd2);
        assert(f_wo_count < 3'd3 || f_wo_at2 <= 2'd2);
        assert(f_wo_count == 0 || f_wo_tail <= 2'd2);
        assert(f_wo_count != 3'd4 || f_lock_in_fifo);
        assert(!f_lock || f_lock_idx <= 2'd2);
        // writes between AW and B: the same handshakes seen upstream and downstream
        assert(f_wr_out == f_wr_out_sum);
        assert(f_b_owed[0 +: 6] == f_req_b_owed[0 +: 6] && f_b_owed[6 +: 6] == f_req_b_owed[24 + 6 +: 6] &&
               f_b_owed[12 +: 6] == f_req_b_owed[48 + 12 +: 6] && f_b_owed[18 +: 6] == 6'd0);
        assert(f_w_ahead == (f_lock && f_req_w_ahead[f_lock_idx]));
        if (f_w_ahead) begin
            // a whole W burst went ahead: the locked AW's, whose entry has been popped
            assert(f_lock && f_wo_count == 0 && f_wq_n == 6'd1 && f_req_w_ahead[f_lock_idx] &&
                   f_wq[7:0] == f_req_wq_head[8*f_lock_idx +: 8]);
        end else begin
            assert(f_wq_n == {3'd0, f_wo_accepted});
            assert(f_wq_n == 0 || (f_wq[7:0] == f_len_at0 && f_wq_id[1:0] == f_wo_at0));
            assert(f_wq_n < 6'd2 || (f_wq[15:8] == f_len_at1 && f_wq_id[3:2] == f_wo_at1));
            assert(f_wq_n < 6'd3 || (f_wq[23:16] == f_len_at2 && f_wq_id[5:4] == f_wo_at2));
        end
        // the W burst on the bus is the head entry's
        assert(f_w_beat == (f_wo_count == 0 ? 8'd0 : f_req_w_beat[8*f_wo_at0 +: 8]));
    end
end
generate for (g = 0; g < 3; g = g + 1) begin : g_req_inv
    // among the entries whose AW was accepted
    wire       in_fifo = (f_wo_accepted >= 3'd1 && f_wo_at0 == g) || (f_wo_accepted >= 3'd2 && f_wo_at1 == g) ||
                         (f_wo_accepted >= 3'd3 && f_wo_at2 == g);
    wire       locked = f_lock && f_lock_idx == g;
    wire       head = f_wo_count != 0 && f_wo_at0 == g;
    always @(*) begin
        if (INVARIANTS != 0 && !rst) begin
            if (locked && f_req_w_ahead[g]) begin
                // its W finished ahead of its AW, which is still offered
                assert(f_req_wq_n[g*6 +: 6] == 6'd1 && f_wo_count == 0 && f_req_w_beat[g*8 +: 8] == 8'd0);
            end else begin
                assert(!f_req_w_ahead[g]);
                // AWs accepted and owed W data: its accepted entries; a locked AW's entry is the tail
                assert(f_req_wq_n[g*6 +: 6] == (in_fifo ? 6'd1 : 6'd0));
                assert(!locked || f_lock_in_fifo);
            end
            // only the head entry's requester has W beats accepted
            assert(head || f_req_w_beat[g*8 +: 8] == 8'd0);
        end
    end
end endgenerate

endmodule
