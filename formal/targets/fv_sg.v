// fv_sg: formal target for sgdma_sg (hdl/sgdma_sg.v), one channel's descriptor engine (S2MM flavour:
// it also writes RXSOF/RXEOF back), small parameters: 64-bit bus (a descriptor is 4 beats, so a
// fetch of DESC_BURST=2 descriptors is one 8-beat INCR burst), 2 descriptors per packet, a 4-entry
// queue, and prefetch on: 2 fetch bursts (DESC_PREFETCH) and 2 STATUS writes (WB_OUTSTANDING) in
// flight, so speculative fetches, stale drops and write-backs queued behind each other are explored.
//
// Its AXI4 port (descriptor reads and STATUS writes, one ID) is checked by fv_axi4_master against a
// legal, otherwise free memory (descriptor contents are free: every limit and error path is open);
// its command stream to the mover by fv_handshake (asserted) and the mover's status stream assumed
// legal. CR.RS, CURDESC/TAILDESC writes, the mover's idle and CR.RESET are free, except that CR.RESET
// is held until the engine's soft reset completes (`srst`), as sgdma_sg_csr does.
`default_nettype none

module fv_sg (
    input wire        clk,
    input wire        rst,
    input wire        ctl_run,
    input wire        ctl_reset_req,
    input wire        ctl_curdesc_wr,
    input wire [63:0] ctl_curdesc,
    input wire        ctl_tail_wr,
    input wire [63:0] ctl_tail,
    input wire        mover_idle,
    input wire        m_cmd_ready,
    input wire        s_sts_valid,
    input wire [1:0]  s_sts_tag,
    input wire [7:0]  s_sts_len,
    input wire [3:0]  s_sts_error,
    input wire        s_sts_sof,
    input wire        s_sts_eof,
    input wire        m_axi_arready,
    input wire [1:0]  m_axi_rid,
    input wire [63:0] m_axi_rdata,
    input wire [1:0]  m_axi_rresp,
    input wire        m_axi_rlast,
    input wire        m_axi_rvalid,
    input wire        m_axi_awready,
    input wire        m_axi_wready,
    input wire [1:0]  m_axi_bid,
    input wire [1:0]  m_axi_bresp,
    input wire        m_axi_bvalid
);

wire        halted, idle, busy, srst, err_valid, done_valid, done_ioc, mover_abort, mover_rst;
wire [3:0]  err_code;
wire [63:0] err_desc, cur_desc;
wire        m_cmd_valid, m_cmd_sof, m_cmd_eof, s_sts_ready;
wire [31:0] m_cmd_addr, m_cmd_user;
wire [7:0]  m_cmd_len;
wire [1:0]  m_cmd_cache, m_cmd_tag;
wire [1:0]  m_axi_arid, m_axi_arburst, m_axi_awid, m_axi_awburst;
wire [31:0] m_axi_araddr, m_axi_awaddr;
wire [63:0] m_axi_wdata;
wire [7:0]  m_axi_arlen, m_axi_awlen;
wire [2:0]  m_axi_arsize, m_axi_arprot, m_axi_awsize, m_axi_awprot;
wire        m_axi_arlock, m_axi_arvalid, m_axi_rready, m_axi_awlock, m_axi_awvalid;
wire [3:0]  m_axi_arcache, m_axi_awcache;
wire [7:0]  m_axi_wstrb;
wire        m_axi_wlast, m_axi_wvalid, m_axi_bready;

sgdma_sg #(.DATA_WIDTH(64), .ADDR_WIDTH(32), .ID_WIDTH(2), .AXI_ID(1), .LEN_WIDTH(8), .USER_WIDTH(32),
           .SGL_MAX(2), .SEG_LOG2(32), .ALIGN_LOG2(0), .S2MM(1), .TAG_WIDTH(2), .QUEUE_DEPTH(4),
           .DESC_PREFETCH(2), .DESC_BURST(2), .WB_OUTSTANDING(2)) dut (
    .clk(clk), .rst(rst),
    .ctl_run(ctl_run), .ctl_reset_req(ctl_reset_req), .ctl_curdesc_wr(ctl_curdesc_wr),
    .ctl_curdesc(ctl_curdesc), .ctl_tail_wr(ctl_tail_wr), .ctl_tail(ctl_tail),
    .halted(halted), .idle(idle), .busy(busy), .srst(srst), .err_valid(err_valid), .err_code(err_code),
    .err_desc(err_desc), .cur_desc(cur_desc), .done_valid(done_valid), .done_ioc(done_ioc),
    .mover_abort(mover_abort), .mover_idle(mover_idle), .mover_rst(mover_rst),
    .m_cmd_valid(m_cmd_valid), .m_cmd_ready(m_cmd_ready), .m_cmd_addr(m_cmd_addr), .m_cmd_len(m_cmd_len),
    .m_cmd_sof(m_cmd_sof), .m_cmd_eof(m_cmd_eof), .m_cmd_user(m_cmd_user), .m_cmd_cache(m_cmd_cache),
    .m_cmd_tag(m_cmd_tag),
    .s_sts_valid(s_sts_valid), .s_sts_ready(s_sts_ready), .s_sts_tag(s_sts_tag), .s_sts_len(s_sts_len),
    .s_sts_error(s_sts_error), .s_sts_sof(s_sts_sof), .s_sts_eof(s_sts_eof),
    .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen),
    .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst), .m_axi_arlock(m_axi_arlock),
    .m_axi_arcache(m_axi_arcache), .m_axi_arprot(m_axi_arprot), .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready), .m_axi_rid(m_axi_rid), .m_axi_rdata(m_axi_rdata),
    .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid),
    .m_axi_rready(m_axi_rready),
    .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
    .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot), .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
    .m_axi_bid(m_axi_bid), .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid),
    .m_axi_bready(m_axi_bready));

// RESET_VALID_LOW(2) on both of the engine's outputs: they are seams inside sgdma. The command goes
// to the hide unit or the mover, the AXI4 port to sgdma_axi_rd_arb/sgdma_axi_wr_arb, which drive
// sgdma's m_axi/m_axi_sg VALIDs gated by rst (proved by the rd_arb, wr_arb and top reset tasks); all
// of those sinks are in the same reset, so only the second reset cycle on is required here.
fv_handshake #(.WIDTH(32 + 8 + 2 + 32 + 2 + 2), .MASTER_IS_DUT(1), .RESET_VALID_LOW(2)) cmd (
    .clk(clk), .rst(rst), .valid(m_cmd_valid), .ready(m_cmd_ready),
    .payload({m_cmd_addr, m_cmd_len, m_cmd_sof, m_cmd_eof, m_cmd_user, m_cmd_cache, m_cmd_tag}),
    .cancel(mover_abort || mover_rst));   // an aborted mover takes no command: it may be withdrawn
fv_handshake #(.WIDTH(2 + 8 + 4 + 2), .MASTER_IS_DUT(0)) sts (
    .clk(clk), .rst(rst), .valid(s_sts_valid), .ready(s_sts_ready),
    .payload({s_sts_tag, s_sts_len, s_sts_error, s_sts_sof, s_sts_eof}), .cancel(1'b0));

// the mover answers each command it took with one status, in order; a mover reset forgets them
fv_cmd_sts_order #(.TAG_WIDTH(2)) mover (
    .clk(clk), .rst(rst), .flush(mover_rst), .cmd_valid(m_cmd_valid), .cmd_ready(m_cmd_ready),
    .cmd_tag(m_cmd_tag), .sts_valid(s_sts_valid), .sts_ready(s_sts_ready), .sts_tag(s_sts_tag));

// CR.RESET stays requested until the engine reports the soft reset done (sgdma_sg_csr)
reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst && $past(ctl_reset_req && !srst)) assume(ctl_reset_req);

fv_axi4_master #(.DATA_WIDTH(64), .ADDR_WIDTH(32), .ID_WIDTH(2), .READ(1), .WRITE(1),
                 .MAX_BURST_LEN(8), .MAX_RD_OUTSTANDING(2), .MAX_WR_OUTSTANDING(2), .MAX_W_AHEAD(1),
                 .FIXED_ID(1), .MASTER_IS_DUT(1), .COVER_LONG_W(0), .RESET_VALID_LOW(2)) mem (   // STATUS: one beat
    .clk(clk), .rst(rst), .f_rd_out(f_rd_out), .f_wr_out(f_wr_out), .f_rd_q(f_rd_q), .f_rd_beat(f_rd_beat),
    .f_wq_n(f_wq_n), .f_w_ahead(f_w_ahead), .f_wq(f_wq), .f_w_beat(f_w_beat), .f_b_owed(f_b_owed),
    .awid(m_axi_awid), .awaddr(m_axi_awaddr), .awlen(m_axi_awlen), .awsize(m_axi_awsize),
    .awburst(m_axi_awburst), .awlock(m_axi_awlock), .awcache(m_axi_awcache), .awprot(m_axi_awprot),
    .awvalid(m_axi_awvalid), .awready(m_axi_awready), .wdata(m_axi_wdata), .wstrb(m_axi_wstrb),
    .wlast(m_axi_wlast), .wvalid(m_axi_wvalid), .wready(m_axi_wready), .bid(m_axi_bid),
    .bresp(m_axi_bresp), .bvalid(m_axi_bvalid), .bready(m_axi_bready),
    .arid(m_axi_arid), .araddr(m_axi_araddr), .arlen(m_axi_arlen), .arsize(m_axi_arsize),
    .arburst(m_axi_arburst), .arlock(m_axi_arlock), .arcache(m_axi_arcache), .arprot(m_axi_arprot),
    .arvalid(m_axi_arvalid), .arready(m_axi_arready), .rid(m_axi_rid), .rdata(m_axi_rdata),
    .rresp(m_axi_rresp), .rlast(m_axi_rlast), .rvalid(m_axi_rvalid), .rready(m_axi_rready));

// reachability: a descriptor completes (its STATUS written back and answered); prefetch: a burst of
// DESC_BURST descriptors, DESC_PREFETCH fetches and WB_OUTSTANDING STATUS writes in flight at once
wire [5:0] f_rd_out, f_wr_out;
wire [4*24-1:0] f_rd_q;       // mem: per ID, ARLENs queued (3 entries, oldest low)
wire [4*8-1:0]  f_rd_beat;    // ... per ID, R beats of the oldest read so far
wire [5:0]      f_wq_n;       // ... AWs owed W data, or W bursts ahead of their AW
wire [31:0]     f_wq;         // ... their AWLENs, or the beats of the W burst ahead
wire            f_w_ahead;
wire [7:0]      f_w_beat;
wire [4*6-1:0]  f_b_owed;     // ... per ID, complete writes owed a B
always @(posedge clk) begin
    if (!rst) begin
        cover(done_valid);
        cover(m_axi_arvalid && m_axi_arlen == 8'd7);
        cover(f_rd_out == 6'd2);
        cover(f_wr_out == 6'd2);
    end
end

// ---- k-induction invariants: sgdma_sg's own registers (hdl/sgdma_sg.v) against what fv_axi4_master
// and fv_cmd_sts_order count. The f_ wires without a port above are driven by formal/sg.sby (`connect`
// after `flatten`). True from reset, asserted in every task.
(* keep *) wire       f_halted, f_stop, f_ferr, f_ar_valid, f_aw_valid, f_w_valid;   // dut.*_q
(* keep *) wire       f_halt_pulse;       // dut.halt_pulse_q
(* keep *) wire [31:0] f_ar_addr;
(* keep *) wire [7:0] f_ar_len;
(* keep *) wire [1:0] f_bf_cnt, f_p_idx, f_beat, f_wb_cnt;
(* keep *) wire       f_bf_rd, f_bf_wr;
(* keep *) wire [1:0] f_bf_n0, f_bf_n1;   // dut.bf_n[]: descriptors per fetch burst in flight
(* keep *) wire [2:0] f_infl, f_wr_ptr, f_cmd_ptr, f_ret_ptr, f_eof_avail;
(* keep *) wire [2:0] f_order_n;          // mover.n: commands the mover holds
(* keep *) wire [4:0] f_qf0, f_qf1, f_qf2, f_qf3;   // dut.q_flag[]: {cache, ioc, eof, sof} per slot
wire [3:0] f_q_eof = {f_qf3[1], f_qf2[1], f_qf1[1], f_qf0[1]};
// EOF entries fetched and not released: slots cmd_ptr .. wr_ptr-1
reg  [2:0] f_eof_waiting;
integer fk;
always @(*) begin
    f_eof_waiting = 3'd0;
    for (fk = 0; fk < 4; fk = fk + 1)
        if (fk[2:0] < f_q_waiting && f_q_eof[f_cmd_ptr[1:0] + fk[1:0]]) f_eof_waiting = f_eof_waiting + 3'd1;
end
wire [1:0] f_bf_head = f_bf_rd ? f_bf_n1 : f_bf_n0;      // oldest fetch burst
wire [1:0] f_bf_next = f_bf_rd ? f_bf_n0 : f_bf_n1;      // the one after it
wire [1:0] f_bf_newest = f_bf_wr ? f_bf_n0 : f_bf_n1;    // the last issued
wire [7:0] f_len_head = {4'd0, f_bf_head, 2'd0} - 8'd1;  // its ARLEN (4 beats per descriptor)
wire [7:0] f_len_next = {4'd0, f_bf_next, 2'd0} - 8'd1;
wire [23:0] f_rq = f_rd_q[24 +: 24];                     // AXI_ID 1's queue
wire [2:0] f_q_count = f_wr_ptr - f_ret_ptr;
wire [2:0] f_q_released = f_cmd_ptr - f_ret_ptr;
wire [2:0] f_q_waiting = f_wr_ptr - f_cmd_ptr;
always @(*) begin
    if (!rst) begin
        // fetch bursts in flight = the one in the AR register + the reads the memory owes
        assert(f_bf_cnt <= 2'd2 && {4'd0, f_bf_cnt} == {5'd0, f_ar_valid} + f_rd_out);
        assert(f_bf_cnt == 0 || (f_bf_head != 0 && f_bf_head <= 2'd2));
        assert(f_bf_cnt < 2'd2 || (f_bf_next != 0 && f_bf_next <= 2'd2));
        assert(f_bf_wr == (f_bf_rd ^ f_bf_cnt[0]));
        // the AR register holds the newest burst: aligned descriptors within 4 KiB
        assert(!f_ar_valid || (f_ar_len == {4'd0, f_bf_newest, 2'd0} - 8'd1 && f_ar_addr[4:0] == 5'd0 &&
                               {1'd0, f_ar_addr[11:5]} + {6'd0, f_bf_newest} <= 8'd128));
        // the memory's reads: the oldest bursts, beat by beat as the engine counts them
        assert(f_rd_out == 0 || (f_rq[7:0] == f_len_head &&
                                 f_rd_beat[15:8] == {4'd0, f_p_idx, f_beat}));
        assert(f_rd_out < 6'd2 || f_rq[15:8] == f_len_next);
        assert(f_rd_out != 0 || (f_p_idx == 0 && f_beat == 0));
        // queue space: entries + descriptors in flight within the queue
        assert({1'b0, f_infl} == (f_bf_cnt == 0 ? 4'd0 : {2'd0, f_bf_head}) +
                                  (f_bf_cnt == 2'd2 ? {2'd0, f_bf_next} : 4'd0) - {2'd0, f_p_idx});
        assert({1'b0, f_q_count} + {1'b0, f_infl} <= 4'd4);
        assert(f_q_released <= f_q_count && f_eof_avail == f_eof_waiting);
        // STATUS writes started = the one offered + the writes the memory owes
        assert(f_wb_cnt <= 2'd2 && {4'd0, f_wb_cnt} == {5'd0, f_aw_valid} + f_wr_out);
        assert(f_w_ahead == (f_aw_valid && !f_w_valid));
        assert(f_wq_n == {5'd0, f_aw_valid != f_w_valid} && f_w_beat == 8'd0);
        assert(f_wq_n == 0 || f_wq[7:0] == 8'd0);   // single-beat STATUS writes
        assert(f_b_owed[6 +: 6] == f_wr_out - {5'd0, !f_aw_valid && f_w_valid});
        assert(!(f_aw_valid || f_w_valid) || f_wb_cnt != 0);
        // halted: nothing in flight
        assert(!f_halted || (f_bf_cnt == 0 && f_wb_cnt == 0 && !f_aw_valid && !f_w_valid && !f_stop &&
                             !f_ferr && f_q_count == 0));
        // the mover holds the commands released and not answered
        assert(f_halted || f_stop || {3'd0, f_order_n} == {3'd0, f_q_released});
        // ... and after a halt has reset the mover (halt_pulse_q: the cycle after halting) none
        assert(!f_halted || f_halt_pulse || f_order_n == 3'd0);
    end
end

endmodule
