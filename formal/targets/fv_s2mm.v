// fv_s2mm: formal target for sgdma_s2mm (hdl/sgdma_s2mm.v): its AXI4 write master and its
// AXI4-Stream slave, small parameters (32-bit bus, 4-beat bursts, 2 writes in flight).
//
// Commands come from a legal source, the stream from a legal AXI4-Stream source (any TKEEP/TLAST),
// the memory is legal and free (AWREADY/WREADY any pattern, B of any latency and BRESP). `abort` is
// free. With SLAVE_AW_AFTER_W=1 the memory holds AWREADY until W is offered (AXI4 A3.3.1), the
// stream always has data and W must then be offered within W_BOUND cycles of a waiting AW.
`default_nettype none

module fv_s2mm #(
    parameter integer LEN_WIDTH = 8,          // command length width (the mover's minimum)
    parameter integer SLAVE_AW_AFTER_W = 0,   // 1: the memory withholds AWREADY until W is offered
    parameter integer W_BOUND = 0             // > 0: W offered within W_BOUND cycles of a waiting AW
) (
    input wire                 clk,
    input wire                 rst,
    input wire                 s_cmd_valid,
    input wire [31:0]          s_cmd_addr,
    input wire [LEN_WIDTH-1:0] s_cmd_len,
    input wire                 s_cmd_sof,
    input wire                 s_cmd_eof,
    input wire [1:0]           s_cmd_tag,
    input wire                 m_sts_ready,
    input wire                 m_axi_awready,
    input wire                 m_axi_wready,
    input wire [1:0]           m_axi_bid,
    input wire [1:0]           m_axi_bresp,
    input wire                 m_axi_bvalid,
    input wire [31:0]          s_axis_tdata,
    input wire [3:0]           s_axis_tkeep,
    input wire                 s_axis_tvalid,
    input wire                 s_axis_tlast,
    input wire                 abort
);

wire        s_cmd_ready, m_sts_valid, m_sts_sof, m_sts_eof;
wire [1:0]  m_sts_tag;
wire [LEN_WIDTH-1:0] m_sts_len;
wire [3:0]  m_sts_error;
wire [1:0]  m_axi_awid, m_axi_awburst;
wire [31:0] m_axi_awaddr, m_axi_wdata;
wire [7:0]  m_axi_awlen;
wire [2:0]  m_axi_awsize, m_axi_awprot;
wire        m_axi_awlock, m_axi_awvalid, m_axi_wlast, m_axi_wvalid, m_axi_bready, s_axis_tready;
wire [3:0]  m_axi_awcache, m_axi_wstrb;
wire        idle, perf_beat, perf_stall;

sgdma_s2mm #(.DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .AXI_ID(0), .LEN_WIDTH(LEN_WIDTH),
             .MAX_BURST_LEN(4), .MAX_OUTSTANDING(2), .FIFO_DEPTH(8), .USER_WIDTH(1), .TAG_WIDTH(2)) dut (
    .clk(clk), .rst(rst),
    .s_cmd_valid(s_cmd_valid), .s_cmd_ready(s_cmd_ready), .s_cmd_addr(s_cmd_addr), .s_cmd_len(s_cmd_len),
    .s_cmd_sof(s_cmd_sof), .s_cmd_eof(s_cmd_eof), .s_cmd_user(1'b0), .s_cmd_tag(s_cmd_tag),
    .m_sts_valid(m_sts_valid), .m_sts_ready(m_sts_ready), .m_sts_tag(m_sts_tag), .m_sts_len(m_sts_len),
    .m_sts_error(m_sts_error), .m_sts_sof(m_sts_sof), .m_sts_eof(m_sts_eof),
    .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
    .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
    .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid),
    .m_axi_bready(m_axi_bready),
    .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep), .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready), .s_axis_tlast(s_axis_tlast),
    .abort(abort), .idle(idle), .perf_beat(perf_beat), .perf_stall(perf_stall));

fv_handshake #(.WIDTH(32 + LEN_WIDTH + 2 + 2), .MASTER_IS_DUT(0)) cmd (
    .clk(clk), .rst(rst), .valid(s_cmd_valid), .ready(s_cmd_ready),
    .payload({s_cmd_addr, s_cmd_len, s_cmd_sof, s_cmd_eof, s_cmd_tag}), .cancel(1'b0));
always @(*) if (s_cmd_valid) assume(s_cmd_len != 0);
// RESET_VALID_LOW(2): the status stream is a seam inside sgdma (to sgdma_sg or the hide unit, held in
// the system reset that resets the mover too), so VALID must be low from the second reset cycle on; the
// first-cycle rule of AXI applies to the AXI port (m_axi here: the mover is also used alone)
fv_handshake #(.WIDTH(2 + LEN_WIDTH + 4 + 2), .MASTER_IS_DUT(1), .RESET_VALID_LOW(2)) sts (
    .clk(clk), .rst(rst), .valid(m_sts_valid), .ready(m_sts_ready),
    .payload({m_sts_tag, m_sts_len, m_sts_error, m_sts_sof, m_sts_eof}), .cancel(1'b0));

fv_axi4_master #(.DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .READ(0), .WRITE(1),
                 .MAX_BURST_LEN(4), .MAX_WR_OUTSTANDING(2), .MAX_W_AHEAD(1), .FIXED_ID(0),
                 .SLAVE_AW_AFTER_W(SLAVE_AW_AFTER_W), .W_BOUND(W_BOUND), .MASTER_IS_DUT(1)) mem (
    .clk(clk), .rst(rst), .f_wr_out(f_wr_out), .f_wq_n(f_wq_n), .f_w_ahead(f_w_ahead), .f_wq(f_wq),
    .f_w_beat(f_w_beat),
    .awid(m_axi_awid), .awaddr(m_axi_awaddr), .awlen(m_axi_awlen), .awsize(m_axi_awsize),
    .awburst(m_axi_awburst), .awlock(m_axi_awlock), .awcache(m_axi_awcache), .awprot(m_axi_awprot),
    .awvalid(m_axi_awvalid), .awready(m_axi_awready), .wdata(m_axi_wdata), .wstrb(m_axi_wstrb),
    .wlast(m_axi_wlast), .wvalid(m_axi_wvalid), .wready(m_axi_wready), .bid(m_axi_bid),
    .bresp(m_axi_bresp), .bvalid(m_axi_bvalid), .bready(m_axi_bready),
    .arid(2'd0), .araddr(32'd0), .arlen(8'd0), .arsize(3'd0), .arburst(2'd1), .arlock(1'b0),
    .arcache(4'd3), .arprot(3'd0), .arvalid(1'b0), .arready(1'b0), .rid(2'd0), .rdata(32'd0),
    .rresp(2'd0), .rlast(1'b0), .rvalid(1'b0), .rready(1'b0));

fv_axis #(.DATA_WIDTH(32), .USER_WIDTH(1), .MASTER_IS_DUT(0)) stream (
    .clk(clk), .rst(rst), .tdata(s_axis_tdata), .tkeep(s_axis_tkeep), .tlast(s_axis_tlast),
    .tuser(1'b0), .tvalid(s_axis_tvalid), .tready(s_axis_tready));

generate if (SLAVE_AW_AFTER_W != 0) begin : g_stream_full
    // the bound is about the bus, not the stream: data is always on offer, and no abort
    always @(*) if (!rst) assume(s_axis_tvalid && !abort);
end endgenerate

// ---- k-induction invariants: sgdma_s2mm's own registers (hdl/sgdma_s2mm.v) against what
// fv_axi4_master counts. The f_ wires without a port above are driven by formal/s2mm.sby (`connect`
// after `flatten`: read_verilog has no hierarchical references). True from reset, asserted in every task.
wire [5:0]  f_wr_out, f_wq_n;            // mem: writes between AW and B; its queue's entries
wire        f_w_ahead;                   // ... which count W bursts ahead of their AW (else AWs owed W)
wire [31:0] f_wq;                        // ... AWLENs (entry 0 the oldest)
wire [7:0]  f_w_beat;                    // ... W beats of the current burst so far
(* keep *) wire       f_awvalid;         // dut.awvalid_q
(* keep *) wire [7:0] f_awlen;           // dut.awlen_q
(* keep *) wire [31:0] f_awaddr;         // dut.awaddr_q
(* keep *) wire [1:0] f_outstanding;     // dut.outstanding_q: bursts issued awaiting B
(* keep *) wire [1:0] f_burst_count;     // dut.burst_fifo count: B bookkeeping per burst
(* keep *) wire [8:0] f_w_rem;           // dut.w_rem_q: beats left in the W burst begun (0: none)
(* keep *) wire [1:0] f_wl_wr, f_wl_rd;  // dut.wlen_fifo pointers: AWLENs of bursts whose W has not begun
(* keep *) wire [7:0] f_wl_mem0, f_wl_mem1;
(* keep *) wire [3:0] f_data_count;      // dut.data_count: data FIFO beats
(* keep *) wire [13:0] f_avail;          // dut.avail_q: those not yet claimed by a burst
// The DUT's W bursts not finished, in order: the one begun (f_w_rem != 0), then the W-length FIFO.
// Every one was issued; only the newest issued can still wait in the AW register (f_awvalid).
wire [1:0] f_wl_count = f_wl_wr - f_wl_rd;
wire       f_begun = (f_w_rem != 9'd0);
wire [5:0] f_unfinished = {5'd0, f_begun} + {4'd0, f_wl_count};
wire [7:0] f_wl_at0 = f_wl_rd[0] ? f_wl_mem1 : f_wl_mem0;   // FIFO entry 0 (the oldest)
wire [7:0] f_wl_at1 = f_wl_rd[0] ? f_wl_mem0 : f_wl_mem1;
// unfinished burst k: its AWLEN if it has not begun (else known only from its AW)
wire [7:0] f_unf_len1 = f_begun ? f_wl_at0 : f_wl_at1;
always @(*) begin
    if (!rst) begin
        // the AW register holds one burst of the declared shape (<= 4 beats, within 4 KiB)
        assert(!f_awvalid || (f_awlen <= 8'd3 && {3'd0, f_awaddr[11:2]} + {5'd0, f_awlen} + 13'd1 <= 13'd1024));
        // bursts issued = the one in the AW register + those the memory owes a B
        assert({4'd0, f_outstanding} == {5'd0, f_awvalid} + f_wr_out);
        assert(f_outstanding <= 2'd2 && f_burst_count == f_outstanding);
        assert(f_wl_count <= 2'd2 && f_w_rem <= 9'd4);
        assert(f_begun || f_w_beat == 8'd0);
        // the data FIFO holds every beat of the bursts issued and not sent, and the unclaimed ones
        assert(f_data_count <= 4'd8);
        assert({10'd0, f_data_count} == f_avail + {5'd0, f_w_rem}
               + (f_wl_count >= 2'd1 ? {6'd0, f_wl_at0} + 14'd1 : 14'd0)
               + (f_wl_count == 2'd2 ? {6'd0, f_wl_at1} + 14'd1 : 14'd0));
        if (f_w_ahead) begin
            // a whole W burst went ahead of its AW: the newest, still in the AW register
            assert(f_awvalid && f_unfinished == 0 && f_wq_n == 6'd1 && f_wq[7:0] == f_awlen);
        end else begin
            // the memory's AWs owed W data are the unfinished bursts but the one still offered
            assert(f_unfinished == f_wq_n + {5'd0, f_awvalid});
            // the burst begun: its beats sent + left = its AWLEN + 1
            assert(!f_begun || f_wq_n == 0 || {1'b0, f_w_beat} + f_w_rem == {1'b0, f_wq[7:0]} + 9'd1);
            assert(!f_begun || f_wq_n != 0 || !f_awvalid || {1'b0, f_w_beat} + f_w_rem == {1'b0, f_awlen} + 9'd1);
            // the bursts not begun carry their AWLENs in the W-length FIFO
            assert(f_begun || f_wq_n == 0 || f_wl_at0 == f_wq[7:0]);
            assert(f_wq_n < 6'd2 || f_unf_len1 == f_wq[15:8]);
            assert(!f_awvalid || f_wq_n != 0 || f_begun || f_wl_at0 == f_awlen);
            assert(!f_awvalid || f_wq_n != 6'd1 || f_unf_len1 == f_awlen);
        end
    end
end

endmodule
