// fv_sg: formal target for sgdma_sg (hdl/sgdma_sg.v), one channel's descriptor engine (S2MM flavour:
// it also writes RXSOF/RXEOF back), small parameters: 32-bit bus (a descriptor fetch is one 8-beat
// INCR burst), 2 descriptors per packet, a 4-entry queue.
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
    input wire [31:0] m_axi_rdata,
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
wire [31:0] m_axi_araddr, m_axi_awaddr, m_axi_wdata;
wire [7:0]  m_axi_arlen, m_axi_awlen;
wire [2:0]  m_axi_arsize, m_axi_arprot, m_axi_awsize, m_axi_awprot;
wire        m_axi_arlock, m_axi_arvalid, m_axi_rready, m_axi_awlock, m_axi_awvalid;
wire [3:0]  m_axi_arcache, m_axi_awcache, m_axi_wstrb;
wire        m_axi_wlast, m_axi_wvalid, m_axi_bready;

sgdma_sg #(.DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .AXI_ID(1), .LEN_WIDTH(8), .USER_WIDTH(32),
           .SGL_MAX(2), .SEG_LOG2(32), .ALIGN_LOG2(0), .S2MM(1), .TAG_WIDTH(2), .QUEUE_DEPTH(4)) dut (
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

fv_axi4_master #(.DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .READ(1), .WRITE(1),
                 .MAX_BURST_LEN(8), .MAX_RD_OUTSTANDING(1), .MAX_WR_OUTSTANDING(1), .MAX_W_AHEAD(1),
                 .FIXED_ID(1), .MASTER_IS_DUT(1), .COVER_LONG_W(0), .RESET_VALID_LOW(2)) mem (   // STATUS: one beat
    .clk(clk), .rst(rst),
    .awid(m_axi_awid), .awaddr(m_axi_awaddr), .awlen(m_axi_awlen), .awsize(m_axi_awsize),
    .awburst(m_axi_awburst), .awlock(m_axi_awlock), .awcache(m_axi_awcache), .awprot(m_axi_awprot),
    .awvalid(m_axi_awvalid), .awready(m_axi_awready), .wdata(m_axi_wdata), .wstrb(m_axi_wstrb),
    .wlast(m_axi_wlast), .wvalid(m_axi_wvalid), .wready(m_axi_wready), .bid(m_axi_bid),
    .bresp(m_axi_bresp), .bvalid(m_axi_bvalid), .bready(m_axi_bready),
    .arid(m_axi_arid), .araddr(m_axi_araddr), .arlen(m_axi_arlen), .arsize(m_axi_arsize),
    .arburst(m_axi_arburst), .arlock(m_axi_arlock), .arcache(m_axi_arcache), .arprot(m_axi_arprot),
    .arvalid(m_axi_arvalid), .arready(m_axi_arready), .rid(m_axi_rid), .rdata(m_axi_rdata),
    .rresp(m_axi_rresp), .rlast(m_axi_rlast), .rvalid(m_axi_rvalid), .rready(m_axi_rready));

// reachability: a descriptor completes (its STATUS written back and answered)
always @(posedge clk) if (!rst) cover(done_valid);

endmodule
