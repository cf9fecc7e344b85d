// fv_hide: formal target for sgdma_hide (hdl/sgdma_hide.v), the hide unit, small parameters (16-bit
// addresses, 8-bit CPU data, 2 table entries, 2 commands in flight per channel).
//
// Asserted: the CPU gate's master port m_axi_cpu toward memory (fv_axi4_master, any burst type and
// attributes the processor sends, W may lead AW) and its slave duties on s_axi_cpu toward the
// processor (fv_axi4_master with MASTER_IS_DUT=0: the processor is assumed legal); the maintenance
// request channel and both channels' forwarded commands and statuses (fv_handshake). Assumed: legal
// commands from the engines, statuses from the movers in command order for commands in flight, a
// maintenance completion only for a request in flight. test_skip_maint, ch_abort and ch_flush free;
// a channel's abort (mover_abort) or flush (mover reset) may withdraw its forwarded command, a flush
// its status toward the engine (the seam's contract; the AXI4 ports get no such exception).
// k-induction invariants (below the checkers) relate the CPU gate's registers to both AXI4 checkers.
`default_nettype none

module fv_hide (
    input wire clk,
    input wire rst,
    input wire test_skip_maint,
    input wire [1:0] ch_abort,
    input wire [1:0] ch_flush,
    input wire s_mm2s_cmd_valid,
    input wire [16-1:0] s_mm2s_cmd_addr,
    input wire [8-1:0] s_mm2s_cmd_len,
    input wire s_mm2s_cmd_sof,
    input wire s_mm2s_cmd_eof,
    input wire [4-1:0] s_mm2s_cmd_user,
    input wire [1:0] s_mm2s_cmd_cache,
    input wire [2-1:0] s_mm2s_cmd_tag,
    input wire m_mm2s_cmd_ready,
    input wire s_mm2s_sts_valid,
    input wire [2-1:0] s_mm2s_sts_tag,
    input wire [8-1:0] s_mm2s_sts_len,
    input wire [3:0] s_mm2s_sts_error,
    input wire s_mm2s_sts_sof,
    input wire s_mm2s_sts_eof,
    input wire m_mm2s_sts_ready,
    input wire s_s2mm_cmd_valid,
    input wire [16-1:0] s_s2mm_cmd_addr,
    input wire [8-1:0] s_s2mm_cmd_len,
    input wire s_s2mm_cmd_sof,
    input wire s_s2mm_cmd_eof,
    input wire [4-1:0] s_s2mm_cmd_user,
    input wire [1:0] s_s2mm_cmd_cache,
    input wire [2-1:0] s_s2mm_cmd_tag,
    input wire m_s2mm_cmd_ready,
    input wire s_s2mm_sts_valid,
    input wire [2-1:0] s_s2mm_sts_tag,
    input wire [8-1:0] s_s2mm_sts_len,
    input wire [3:0] s_s2mm_sts_error,
    input wire s_s2mm_sts_sof,
    input wire s_s2mm_sts_eof,
    input wire m_s2mm_sts_ready,
    input wire m_maint_req_ready,
    input wire s_maint_done_valid,
    input wire [2-1:0] s_axi_cpu_awid,
    input wire [16-1:0] s_axi_cpu_awaddr,
    input wire [7:0] s_axi_cpu_awlen,
    input wire [2:0] s_axi_cpu_awsize,
    input wire [1:0] s_axi_cpu_awburst,
    input wire s_axi_cpu_awlock,
    input wire [3:0] s_axi_cpu_awcache,
    input wire [2:0] s_axi_cpu_awprot,
    input wire s_axi_cpu_awvalid,
    input wire [8-1:0] s_axi_cpu_wdata,
    input wire [8/8-1:0] s_axi_cpu_wstrb,
    input wire s_axi_cpu_wlast,
    input wire s_axi_cpu_wvalid,
    input wire s_axi_cpu_bready,
    input wire [2-1:0] s_axi_cpu_arid,
    input wire [16-1:0] s_axi_cpu_araddr,
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
    input wire [8-1:0] m_axi_cpu_rdata,
    input wire [1:0] m_axi_cpu_rresp,
    input wire m_axi_cpu_rlast,
    input wire m_axi_cpu_rvalid
);

wire [1:0] ch_quiet;
wire s_mm2s_cmd_ready;
wire m_mm2s_cmd_valid;
wire [16-1:0] m_mm2s_cmd_addr;
wire [8-1:0] m_mm2s_cmd_len;
wire m_mm2s_cmd_sof;
wire m_mm2s_cmd_eof;
wire [4-1:0] m_mm2s_cmd_user;
wire [1:0] m_mm2s_cmd_cache;
wire [2-1:0] m_mm2s_cmd_tag;
wire s_mm2s_sts_ready;
wire m_mm2s_sts_valid;
wire [2-1:0] m_mm2s_sts_tag;
wire [8-1:0] m_mm2s_sts_len;
wire [3:0] m_mm2s_sts_error;
wire m_mm2s_sts_sof;
wire m_mm2s_sts_eof;
wire s_s2mm_cmd_ready;
wire m_s2mm_cmd_valid;
wire [16-1:0] m_s2mm_cmd_addr;
wire [8-1:0] m_s2mm_cmd_len;
wire m_s2mm_cmd_sof;
wire m_s2mm_cmd_eof;
wire [4-1:0] m_s2mm_cmd_user;
wire [1:0] m_s2mm_cmd_cache;
wire [2-1:0] m_s2mm_cmd_tag;
wire s_s2mm_sts_ready;
wire m_s2mm_sts_valid;
wire [2-1:0] m_s2mm_sts_tag;
wire [8-1:0] m_s2mm_sts_len;
wire [3:0] m_s2mm_sts_error;
wire m_s2mm_sts_sof;
wire m_s2mm_sts_eof;
wire m_maint_req_valid;
wire [16-1:0] m_maint_req_addr;
wire [1:0] m_maint_req_op;
wire s_maint_done_ready;
wire s_axi_cpu_awready;
wire s_axi_cpu_wready;
wire [2-1:0] s_axi_cpu_bid;
wire [1:0] s_axi_cpu_bresp;
wire s_axi_cpu_bvalid;
wire s_axi_cpu_arready;
wire [2-1:0] s_axi_cpu_rid;
wire [8-1:0] s_axi_cpu_rdata;
wire [1:0] s_axi_cpu_rresp;
wire s_axi_cpu_rlast;
wire s_axi_cpu_rvalid;
wire [2-1:0] m_axi_cpu_awid;
wire [16-1:0] m_axi_cpu_awaddr;
wire [7:0] m_axi_cpu_awlen;
wire [2:0] m_axi_cpu_awsize;
wire [1:0] m_axi_cpu_awburst;
wire m_axi_cpu_awlock;
wire [3:0] m_axi_cpu_awcache;
wire [2:0] m_axi_cpu_awprot;
wire m_axi_cpu_awvalid;
wire [8-1:0] m_axi_cpu_wdata;
wire [8/8-1:0] m_axi_cpu_wstrb;
wire m_axi_cpu_wlast;
wire m_axi_cpu_wvalid;
wire m_axi_cpu_bready;
wire [2-1:0] m_axi_cpu_arid;
wire [16-1:0] m_axi_cpu_araddr;
wire [7:0] m_axi_cpu_arlen;
wire [2:0] m_axi_cpu_arsize;
wire [1:0] m_axi_cpu_arburst;
wire m_axi_cpu_arlock;
wire [3:0] m_axi_cpu_arcache;
wire [2:0] m_axi_cpu_arprot;
wire m_axi_cpu_arvalid;
wire m_axi_cpu_rready;
wire mod_valid;
wire [16-1:0] mod_addr;
wire trace_valid;
wire trace_unhide;
wire [16-1:0] trace_addr;
wire [15:0] trace_count;
wire trace_modified;
wire [15:0] sts_entries_used;
wire sts_oversize;
wire [16-1:0] sts_last_mod_addr;
wire [4-1:0] cnt_hides;
wire [4-1:0] cnt_maint;
wire [4-1:0] cnt_full_stall;
wire [4-1:0] cnt_modified;
wire [4-1:0] cnt_cpu_stall;

sgdma_hide #(.ADDR_WIDTH(16), .LEN_WIDTH(8), .USER_WIDTH(4), .TAG_WIDTH(2), .HIDE_ENTRIES(2),
             .PAGE_LOG2(12), .INFLIGHT_DEPTH(2), .CPU_DATA_WIDTH(8), .CPU_ID_WIDTH(2),
             .COUNTER_WIDTH(4)) dut (
    .clk(clk), .rst(rst),
    .test_skip_maint(test_skip_maint), .test_gate_open(1'b0),   // the gate's properties assume it shut
    .ch_abort(ch_abort),
    .ch_flush(ch_flush),
    .s_mm2s_cmd_valid(s_mm2s_cmd_valid),
    .s_mm2s_cmd_addr(s_mm2s_cmd_addr),
    .s_mm2s_cmd_len(s_mm2s_cmd_len),
    .s_mm2s_cmd_sof(s_mm2s_cmd_sof),
    .s_mm2s_cmd_eof(s_mm2s_cmd_eof),
    .s_mm2s_cmd_user(s_mm2s_cmd_user),
    .s_mm2s_cmd_cache(s_mm2s_cmd_cache),
    .s_mm2s_cmd_tag(s_mm2s_cmd_tag),
    .m_mm2s_cmd_ready(m_mm2s_cmd_ready),
    .s_mm2s_sts_valid(s_mm2s_sts_valid),
    .s_mm2s_sts_tag(s_mm2s_sts_tag),
    .s_mm2s_sts_len(s_mm2s_sts_len),
    .s_mm2s_sts_error(s_mm2s_sts_error),
    .s_mm2s_sts_sof(s_mm2s_sts_sof),
    .s_mm2s_sts_eof(s_mm2s_sts_eof),
    .m_mm2s_sts_ready(m_mm2s_sts_ready),
    .s_s2mm_cmd_valid(s_s2mm_cmd_valid),
    .s_s2mm_cmd_addr(s_s2mm_cmd_addr),
    .s_s2mm_cmd_len(s_s2mm_cmd_len),
    .s_s2mm_cmd_sof(s_s2mm_cmd_sof),
    .s_s2mm_cmd_eof(s_s2mm_cmd_eof),
    .s_s2mm_cmd_user(s_s2mm_cmd_user),
    .s_s2mm_cmd_cache(s_s2mm_cmd_cache),
    .s_s2mm_cmd_tag(s_s2mm_cmd_tag),
    .m_s2mm_cmd_ready(m_s2mm_cmd_ready),
    .s_s2mm_sts_valid(s_s2mm_sts_valid),
    .s_s2mm_sts_tag(s_s2mm_sts_tag),
    .s_s2mm_sts_len(s_s2mm_sts_len),
    .s_s2mm_sts_error(s_s2mm_sts_error),
    .s_s2mm_sts_sof(s_s2mm_sts_sof),
    .s_s2mm_sts_eof(s_s2mm_sts_eof),
    .m_s2mm_sts_ready(m_s2mm_sts_ready),
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
    .ch_quiet(ch_quiet),
    .s_mm2s_cmd_ready(s_mm2s_cmd_ready),
    .m_mm2s_cmd_valid(m_mm2s_cmd_valid),
    .m_mm2s_cmd_addr(m_mm2s_cmd_addr),
    .m_mm2s_cmd_len(m_mm2s_cmd_len),
    .m_mm2s_cmd_sof(m_mm2s_cmd_sof),
    .m_mm2s_cmd_eof(m_mm2s_cmd_eof),
    .m_mm2s_cmd_user(m_mm2s_cmd_user),
    .m_mm2s_cmd_cache(m_mm2s_cmd_cache),
    .m_mm2s_cmd_tag(m_mm2s_cmd_tag),
    .s_mm2s_sts_ready(s_mm2s_sts_ready),
    .m_mm2s_sts_valid(m_mm2s_sts_valid),
    .m_mm2s_sts_tag(m_mm2s_sts_tag),
    .m_mm2s_sts_len(m_mm2s_sts_len),
    .m_mm2s_sts_error(m_mm2s_sts_error),
    .m_mm2s_sts_sof(m_mm2s_sts_sof),
    .m_mm2s_sts_eof(m_mm2s_sts_eof),
    .s_s2mm_cmd_ready(s_s2mm_cmd_ready),
    .m_s2mm_cmd_valid(m_s2mm_cmd_valid),
    .m_s2mm_cmd_addr(m_s2mm_cmd_addr),
    .m_s2mm_cmd_len(m_s2mm_cmd_len),
    .m_s2mm_cmd_sof(m_s2mm_cmd_sof),
    .m_s2mm_cmd_eof(m_s2mm_cmd_eof),
    .m_s2mm_cmd_user(m_s2mm_cmd_user),
    .m_s2mm_cmd_cache(m_s2mm_cmd_cache),
    .m_s2mm_cmd_tag(m_s2mm_cmd_tag),
    .s_s2mm_sts_ready(s_s2mm_sts_ready),
    .m_s2mm_sts_valid(m_s2mm_sts_valid),
    .m_s2mm_sts_tag(m_s2mm_sts_tag),
    .m_s2mm_sts_len(m_s2mm_sts_len),
    .m_s2mm_sts_error(m_s2mm_sts_error),
    .m_s2mm_sts_sof(m_s2mm_sts_sof),
    .m_s2mm_sts_eof(m_s2mm_sts_eof),
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
    .mod_valid(mod_valid),
    .mod_addr(mod_addr),
    .trace_valid(trace_valid),
    .trace_unhide(trace_unhide),
    .trace_addr(trace_addr),
    .trace_count(trace_count),
    .trace_modified(trace_modified),
    .sts_entries_used(sts_entries_used),
    .sts_oversize(sts_oversize),
    .sts_last_mod_addr(sts_last_mod_addr),
    .cnt_hides(cnt_hides),
    .cnt_maint(cnt_maint),
    .cnt_full_stall(cnt_full_stall),
    .cnt_modified(cnt_modified),
    .cnt_cpu_stall(cnt_cpu_stall));

// ---- CPU gate: the processor side (DUT is the slave) and the memory side (DUT is the master)
// the checkers' state for the k-induction invariants below (6-bit counters, 4 IDs, queues of 3 ARLENs
// per ID and of 4 AWLENs)
wire [4*6-1:0]  f_cpu_rd_n, f_mem_rd_n, f_cpu_b_owed, f_mem_b_owed;
wire [4*8-1:0]  f_cpu_rd_beat, f_mem_rd_beat, f_cpu_wq, f_mem_wq;
wire [4*24-1:0] f_mem_rd_q;
wire [5:0]      f_cpu_rd_out, f_mem_rd_out, f_cpu_wr_out, f_mem_wr_out, f_cpu_wq_n, f_mem_wq_n;
wire            f_cpu_w_ahead, f_mem_w_ahead;
wire [4*2-1:0]  f_cpu_wq_id, f_mem_wq_id;
wire [7:0]      f_cpu_w_beat, f_mem_w_beat;
fv_axi4_master #(.DATA_WIDTH(8), .ADDR_WIDTH(16), .ID_WIDTH(2), .MAX_BURST_LEN(2),
                 .MAX_RD_OUTSTANDING(2), .MAX_WR_OUTSTANDING(2), .MAX_W_AHEAD(1), .BURST_TYPES(7),
                 .ATTR_CHECK(0), .MASTER_IS_DUT(0)) cpu (
    .clk(clk), .rst(rst), .f_rd_n(f_cpu_rd_n), .f_rd_beat(f_cpu_rd_beat), .f_rd_q(), .f_rd_out(f_cpu_rd_out),
    .f_rd_len(), .f_wr_out(f_cpu_wr_out), .f_wq_n(f_cpu_wq_n), .f_w_ahead(f_cpu_w_ahead), .f_wq_head(),
    .f_wq(f_cpu_wq), .f_wq_id(f_cpu_wq_id), .f_w_beat(f_cpu_w_beat), .f_b_owed(f_cpu_b_owed),
    .awid(s_axi_cpu_awid), .awaddr(s_axi_cpu_awaddr), .awlen(s_axi_cpu_awlen),
    .awsize(s_axi_cpu_awsize), .awburst(s_axi_cpu_awburst), .awlock(s_axi_cpu_awlock),
    .awcache(s_axi_cpu_awcache), .awprot(s_axi_cpu_awprot), .awvalid(s_axi_cpu_awvalid),
    .awready(s_axi_cpu_awready), .wdata(s_axi_cpu_wdata), .wstrb(s_axi_cpu_wstrb),
    .wlast(s_axi_cpu_wlast), .wvalid(s_axi_cpu_wvalid), .wready(s_axi_cpu_wready), .bid(s_axi_cpu_bid),
    .bresp(s_axi_cpu_bresp), .bvalid(s_axi_cpu_bvalid), .bready(s_axi_cpu_bready),
    .arid(s_axi_cpu_arid), .araddr(s_axi_cpu_araddr), .arlen(s_axi_cpu_arlen),
    .arsize(s_axi_cpu_arsize), .arburst(s_axi_cpu_arburst), .arlock(s_axi_cpu_arlock),
    .arcache(s_axi_cpu_arcache), .arprot(s_axi_cpu_arprot), .arvalid(s_axi_cpu_arvalid),
    .arready(s_axi_cpu_arready), .rid(s_axi_cpu_rid), .rdata(s_axi_cpu_rdata), .rresp(s_axi_cpu_rresp),
    .rlast(s_axi_cpu_rlast), .rvalid(s_axi_cpu_rvalid), .rready(s_axi_cpu_rready));

fv_axi4_master #(.DATA_WIDTH(8), .ADDR_WIDTH(16), .ID_WIDTH(2), .MAX_BURST_LEN(2),
                 .MAX_RD_OUTSTANDING(2), .MAX_WR_OUTSTANDING(2), .MAX_W_AHEAD(1), .BURST_TYPES(7),
                 .ATTR_CHECK(0), .MASTER_IS_DUT(1)) mem (
    .clk(clk), .rst(rst), .f_rd_n(f_mem_rd_n), .f_rd_beat(f_mem_rd_beat), .f_rd_q(f_mem_rd_q),
    .f_rd_out(f_mem_rd_out), .f_rd_len(), .f_wr_out(f_mem_wr_out), .f_wq_n(f_mem_wq_n),
    .f_w_ahead(f_mem_w_ahead), .f_wq_head(), .f_wq(f_mem_wq), .f_wq_id(f_mem_wq_id), .f_w_beat(f_mem_w_beat),
    .f_b_owed(f_mem_b_owed),
    .awid(m_axi_cpu_awid), .awaddr(m_axi_cpu_awaddr), .awlen(m_axi_cpu_awlen),
    .awsize(m_axi_cpu_awsize), .awburst(m_axi_cpu_awburst), .awlock(m_axi_cpu_awlock),
    .awcache(m_axi_cpu_awcache), .awprot(m_axi_cpu_awprot), .awvalid(m_axi_cpu_awvalid),
    .awready(m_axi_cpu_awready), .wdata(m_axi_cpu_wdata), .wstrb(m_axi_cpu_wstrb),
    .wlast(m_axi_cpu_wlast), .wvalid(m_axi_cpu_wvalid), .wready(m_axi_cpu_wready), .bid(m_axi_cpu_bid),
    .bresp(m_axi_cpu_bresp), .bvalid(m_axi_cpu_bvalid), .bready(m_axi_cpu_bready),
    .arid(m_axi_cpu_arid), .araddr(m_axi_cpu_araddr), .arlen(m_axi_cpu_arlen),
    .arsize(m_axi_cpu_arsize), .arburst(m_axi_cpu_arburst), .arlock(m_axi_cpu_arlock),
    .arcache(m_axi_cpu_arcache), .arprot(m_axi_cpu_arprot), .arvalid(m_axi_cpu_arvalid),
    .arready(m_axi_cpu_arready), .rid(m_axi_cpu_rid), .rdata(m_axi_cpu_rdata), .rresp(m_axi_cpu_rresp),
    .rlast(m_axi_cpu_rlast), .rvalid(m_axi_cpu_rvalid), .rready(m_axi_cpu_rready));

// ---- k-induction invariants: the CPU gate's registers (hdl/sgdma_hide.v) against both AXI4 checkers.
// The f_ wires without a port above are driven by formal/hide.sby (`connect` after `flatten`:
// read_verilog has no hierarchical references). True from reset, asserted in every task.
// The gate holds at most one AR and one AW taken from the processor (ar/aw_valid_q); the held AW is
// either not yet offered on m_axi_cpu, or offered and waiting for AWREADY (aw_offer_q: still offered
// this cycle). Every other transaction is the same on both sides (R, B and W pass through; W beats
// only for AWs offered), so the processor's checker sees the memory's transactions plus the held one.
// W never leads AW on the processor side (the gate takes W only for an AW it holds); on the memory
// side a whole W burst may end while its AW waits for AWREADY (f_mem_w_ahead).
(* keep *) wire       f_ar_valid, f_aw_valid;       // dut.ar_valid_q, dut.aw_valid_q
(* keep *) wire       f_ar_offer, f_aw_offer;       // dut.ar_offer_q, dut.aw_offer_q
(* keep *) wire [1:0] f_ar_id, f_aw_id;             // dut.ar_id_q, dut.aw_id_q
(* keep *) wire [7:0] f_ar_len, f_aw_len;           // dut.ar_len_q, dut.aw_len_q
(* keep *) wire [2:0] f_ar_size, f_aw_size;         // dut.ar_size_q, dut.aw_size_q
(* keep *) wire [1:0] f_ar_burst, f_aw_burst;       // dut.ar_burst_q, dut.aw_burst_q
(* keep *) wire [15:0] f_ar_addr, f_aw_addr;        // dut.ar_addr_q, dut.aw_addr_q
(* keep *) wire [7:0] f_rd_out, f_wr_out, f_w_pend; // dut.rd_out_q, wr_out_q, w_pend_q
// a held request has the shape the processor's checker assumes of it (and the memory's asserts):
// one or two 8-bit beats, any burst type but the reserved one, INCR within 4 KiB
wire f_ar_legal = f_ar_len <= 8'd1 && f_ar_size == 3'd0 && f_ar_burst != 2'b11 &&
                  (f_ar_burst != 2'b01 || {1'b0, f_ar_addr[11:0]} + {5'd0, f_ar_len} + 13'd1 <= 13'd4096);
wire f_aw_legal = f_aw_len <= 8'd1 && f_aw_size == 3'd0 && f_aw_burst != 2'b11 &&
                  (f_aw_burst != 2'b01 || {1'b0, f_aw_addr[11:0]} + {5'd0, f_aw_len} + 13'd1 <= 13'd4096);
// the memory's AWs owed W data (none while a W burst is ahead of its AW)
wire [5:0] f_mem_owed = f_mem_w_ahead ? 6'd0 : f_mem_wq_n;
// the processor's AWs owed W data: those, then the held AW unless its W went ahead
wire       f_held_owed = f_aw_valid && !f_mem_w_ahead;
always @(*) begin
    if (!rst) begin
        assert(!f_ar_valid || f_ar_legal);
        assert(!f_aw_valid || f_aw_legal);
        assert(!f_ar_offer || f_ar_valid);
        assert(!f_aw_offer || f_aw_valid);
        // reads: forwarded = what the memory owes; the processor's = those + the held AR
        assert({2'd0, f_rd_out} == {2'd0, f_mem_rd_out});
        assert(f_cpu_rd_out == f_mem_rd_out + {5'd0, f_ar_valid});
        // writes: forwarded AWs = what the memory owes; the processor's = those + the held AW
        assert({2'd0, f_wr_out} == {2'd0, f_mem_wr_out});
        assert(f_cpu_wr_out == f_mem_wr_out + {5'd0, f_aw_valid});
        // W bursts not finished of the AWs offered: the memory's owed, and the offered one's
        assert({2'd0, f_w_pend} == f_mem_owed + {5'd0, f_aw_offer && !f_mem_w_ahead});
        assert(!f_cpu_w_ahead);
        assert(f_cpu_wq_n == f_mem_owed + {5'd0, f_held_owed});
        assert(f_cpu_w_beat == f_mem_w_beat);
        // no W beat accepted unless a W burst is owed (an offered AW's, or an accepted one's)
        assert(f_w_pend != 8'd0 || f_mem_w_beat == 8'd0);
        if (f_mem_w_ahead) begin
            // a whole W burst went ahead: the held AW's, still offered
            assert(f_aw_offer && f_mem_wq_n == 6'd1 && f_mem_wq[7:0] == f_aw_len);
        end else begin
            // the processor's queue is the memory's, then the held AW
            assert(f_mem_owed < 6'd1 || (f_cpu_wq[7:0] == f_mem_wq[7:0] && f_cpu_wq_id[1:0] == f_mem_wq_id[1:0]));
            assert(f_mem_owed < 6'd2 || (f_cpu_wq[15:8] == f_mem_wq[15:8] && f_cpu_wq_id[3:2] == f_mem_wq_id[3:2]));
            assert(f_mem_owed < 6'd3 || (f_cpu_wq[23:16] == f_mem_wq[23:16] && f_cpu_wq_id[5:4] == f_mem_wq_id[5:4]));
            assert(!f_held_owed || f_mem_owed != 6'd0 || (f_cpu_wq[7:0] == f_aw_len && f_cpu_wq_id[1:0] == f_aw_id));
            assert(!f_held_owed || f_mem_owed != 6'd1 || (f_cpu_wq[15:8] == f_aw_len && f_cpu_wq_id[3:2] == f_aw_id));
            assert(!f_held_owed || f_mem_owed != 6'd2 || (f_cpu_wq[23:16] == f_aw_len && f_cpu_wq_id[5:4] == f_aw_id));
        end
    end
end
genvar id;
generate for (id = 0; id < 4; id = id + 1) begin : g_id
    wire [5:0] mem_n = f_mem_rd_n[6*id +: 6];
    wire [7:0] mem_q1 = f_mem_rd_q[24*id + 8 +: 8], mem_q2 = f_mem_rd_q[24*id + 16 +: 8];
    always @(*) begin
        if (!rst) begin
            // per ID at most the port's limit (so the checkers' sums over IDs do not wrap)
            assert(mem_n <= 6'd2 && f_mem_b_owed[6*id +: 6] <= 6'd2);
            // per ID: the processor's reads = the memory's + the held AR, the same beats so far
            assert(f_cpu_rd_n[6*id +: 6] == mem_n + {5'd0, f_ar_valid && f_ar_id == id});
            assert(f_cpu_rd_beat[8*id +: 8] == f_mem_rd_beat[8*id +: 8]);
            // every ARLEN the memory owes is of a legal AR (the head one the checker states itself)
            assert(mem_n < 6'd2 || mem_q1 <= 8'd1);
            assert(mem_n < 6'd3 || mem_q2 <= 8'd1);
            // complete writes owed a B: the same, and the held AW's once its W went ahead
            assert(f_cpu_b_owed[6*id +: 6] == f_mem_b_owed[6*id +: 6]
                                              + {5'd0, f_mem_w_ahead && f_aw_id == id});
        end
    end
end endgenerate

// ---- what the bmc depth covers (formal/hide.sby): a whole two-beat CPU read burst through the gate and
// a command hidden with a maintenance request, answered and released to its mover, in one trace
reg f_burst_done = 1'b0, f_maint_done = 1'b0;
always @(posedge clk) begin
    if (rst) begin
        f_burst_done <= 1'b0;
        f_maint_done <= 1'b0;
    end else begin
        if (m_axi_cpu_rvalid && m_axi_cpu_rready && m_axi_cpu_rlast && f_mem_rd_beat[8*m_axi_cpu_rid +: 8] != 8'd0)
            f_burst_done <= 1'b1;
        if (s_maint_done_valid && s_maint_done_ready) f_maint_done <= 1'b1;
    end
end
always @(posedge clk)
    if (!rst) cover(f_burst_done && f_maint_done && ((m_mm2s_cmd_valid && m_mm2s_cmd_ready) ||
                                                     (m_s2mm_cmd_valid && m_s2mm_cmd_ready)));

// ---- maintenance port: requests asserted; a completion only for a request in flight
fv_handshake #(.WIDTH(18), .MASTER_IS_DUT(1)) maint_req (
    .clk(clk), .rst(rst), .valid(m_maint_req_valid), .ready(m_maint_req_ready),
    .payload({m_maint_req_op, m_maint_req_addr}), .cancel(1'b0));
fv_handshake #(.WIDTH(1), .MASTER_IS_DUT(0)) maint_done (
    .clk(clk), .rst(rst), .valid(s_maint_done_valid), .ready(s_maint_done_ready), .payload(1'b0),
    .cancel(1'b0));
reg [2:0] maint_n = 3'd0;
always @(posedge clk) begin
    if (rst) maint_n <= 3'd0;
    else maint_n <= maint_n + ((m_maint_req_valid && m_maint_req_ready) ? 3'd1 : 3'd0)
                            - ((s_maint_done_valid && s_maint_done_ready) ? 3'd1 : 3'd0);
end
always @(*) if (s_maint_done_valid) assume(maint_n != 0);

// ---- the modified-page event (hide_mod_valid of sgdma) and the trace pulse: low in reset, its first
// cycle included; so is the maintenance completion's READY (sgdma's rule, not AXI's: a READY in the
// power-on cycle would take a completion that answers no request)
`ifndef FV_SKIP_RESET_VALID
always @(*) if (rst) assert(!mod_valid && !trace_valid);
always @(*) if (rst) assert(!s_maint_done_ready);
`endif

// ---- per channel: commands in (assumed legal), commands out and statuses out (asserted), statuses
// in from the mover (assumed: one per forwarded command, in order, with its tag)
genvar ch;
generate for (ch = 0; ch < 2; ch = ch + 1) begin : g_ch
    wire        si_v = ch ? s_s2mm_cmd_valid : s_mm2s_cmd_valid;
    wire        si_r = ch ? s_s2mm_cmd_ready : s_mm2s_cmd_ready;
    wire [36:0] si_p = ch ? {s_s2mm_cmd_addr, s_s2mm_cmd_len, s_s2mm_cmd_sof, s_s2mm_cmd_eof, s_s2mm_cmd_user,
                             s_s2mm_cmd_cache, s_s2mm_cmd_tag}
                          : {s_mm2s_cmd_addr, s_mm2s_cmd_len, s_mm2s_cmd_sof, s_mm2s_cmd_eof, s_mm2s_cmd_user,
                             s_mm2s_cmd_cache, s_mm2s_cmd_tag};
    wire        mo_v = ch ? m_s2mm_cmd_valid : m_mm2s_cmd_valid;
    wire        mo_r = ch ? m_s2mm_cmd_ready : m_mm2s_cmd_ready;
    wire [36:0] mo_p = ch ? {m_s2mm_cmd_addr, m_s2mm_cmd_len, m_s2mm_cmd_sof, m_s2mm_cmd_eof, m_s2mm_cmd_user,
                             m_s2mm_cmd_cache, m_s2mm_cmd_tag}
                          : {m_mm2s_cmd_addr, m_mm2s_cmd_len, m_mm2s_cmd_sof, m_mm2s_cmd_eof, m_mm2s_cmd_user,
                             m_mm2s_cmd_cache, m_mm2s_cmd_tag};
    wire        ti_v = ch ? s_s2mm_sts_valid : s_mm2s_sts_valid;
    wire        ti_r = ch ? s_s2mm_sts_ready : s_mm2s_sts_ready;
    wire [15:0] ti_p = ch ? {s_s2mm_sts_tag, s_s2mm_sts_len, s_s2mm_sts_error, s_s2mm_sts_sof, s_s2mm_sts_eof}
                          : {s_mm2s_sts_tag, s_mm2s_sts_len, s_mm2s_sts_error, s_mm2s_sts_sof, s_mm2s_sts_eof};
    wire        to_v = ch ? m_s2mm_sts_valid : m_mm2s_sts_valid;
    wire        to_r = ch ? m_s2mm_sts_ready : m_mm2s_sts_ready;
    wire [15:0] to_p = ch ? {m_s2mm_sts_tag, m_s2mm_sts_len, m_s2mm_sts_error, m_s2mm_sts_sof, m_s2mm_sts_eof}
                          : {m_mm2s_sts_tag, m_mm2s_sts_len, m_mm2s_sts_error, m_mm2s_sts_sof, m_mm2s_sts_eof};
    fv_handshake #(.WIDTH(37), .MASTER_IS_DUT(0)) cmd_in (
        .clk(clk), .rst(rst), .valid(si_v), .ready(si_r), .payload(si_p), .cancel(1'b0));
    // the forwarded command and status are seams inside sgdma (to the mover and to sgdma_sg, both in
    // the same reset): low from the second reset cycle on (RESET_VALID_LOW 2). The CPU ports, the
    // maintenance port and mod_valid are sgdma outputs: low from the first reset cycle (above)
    fv_handshake #(.WIDTH(37), .MASTER_IS_DUT(1), .RESET_VALID_LOW(2)) cmd_out (
        .clk(clk), .rst(rst), .valid(mo_v), .ready(mo_r), .payload(mo_p), .cancel(ch_abort[ch] || ch_flush[ch]));
    fv_handshake #(.WIDTH(16), .MASTER_IS_DUT(0)) sts_in (
        .clk(clk), .rst(rst), .valid(ti_v), .ready(ti_r), .payload(ti_p), .cancel(1'b0));
    fv_handshake #(.WIDTH(16), .MASTER_IS_DUT(1), .RESET_VALID_LOW(2)) sts_out (
        .clk(clk), .rst(rst), .valid(to_v), .ready(to_r), .payload(to_p), .cancel(ch_flush[ch]));
    // the mover answers each forwarded command with one status, in order; a flush forgets them
    fv_cmd_sts_order #(.TAG_WIDTH(2)) mover (
        .clk(clk), .rst(rst), .flush(ch_flush[ch]), .cmd_valid(mo_v), .cmd_ready(mo_r),
        .cmd_tag(mo_p[1:0]), .sts_valid(ti_v), .sts_ready(ti_r), .sts_tag(ti_p[15:14]));
end endgenerate

endmodule
