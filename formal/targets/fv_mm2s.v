// fv_mm2s: formal target for sgdma_mm2s (hdl/sgdma_mm2s.v): its AXI4 read master and its
// AXI4-Stream master, small parameters (32-bit bus, 4-beat bursts, 2 reads in flight).
//
// Commands come from a legal source (VALID held, payload stable; 1..LEN_MAX bytes), the memory is
// legal and free (R of any latency, RRESP any value), m_axis TREADY and `abort` are free.
// The mover uses one ARID for every read (FIXED_ID), so its R data come back in order.
`default_nettype none

module fv_mm2s #(
    parameter integer LEN_WIDTH = 8    // command length width (the mover's minimum; bytes 1..255)
) (
    input wire                 clk,
    input wire                 rst,
    input wire                 s_cmd_valid,
    input wire [31:0]          s_cmd_addr,
    input wire [LEN_WIDTH-1:0] s_cmd_len,
    input wire                 s_cmd_sof,
    input wire                 s_cmd_eof,
    input wire [3:0]           s_cmd_user,
    input wire [1:0]           s_cmd_tag,
    input wire                 m_sts_ready,
    input wire                 m_axi_arready,
    input wire [1:0]           m_axi_rid,
    input wire [31:0]          m_axi_rdata,
    input wire [1:0]           m_axi_rresp,
    input wire                 m_axi_rlast,
    input wire                 m_axi_rvalid,
    input wire                 m_axis_tready,
    input wire                 abort
);

wire        s_cmd_ready, m_sts_valid, m_sts_sof, m_sts_eof;
wire [1:0]  m_sts_tag;
wire [LEN_WIDTH-1:0] m_sts_len;
wire [3:0]  m_sts_error;
wire [1:0]  m_axi_arid, m_axi_arburst;
wire [31:0] m_axi_araddr, m_axis_tdata;
wire [7:0]  m_axi_arlen;
wire [2:0]  m_axi_arsize, m_axi_arprot;
wire        m_axi_arlock, m_axi_arvalid, m_axi_rready, m_axis_tvalid, m_axis_tlast;
wire [3:0]  m_axi_arcache, m_axis_tkeep, m_axis_tuser;
wire        idle, perf_beat, perf_stall;

sgdma_mm2s #(.DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .AXI_ID(0), .LEN_WIDTH(LEN_WIDTH),
             .MAX_BURST_LEN(4), .MAX_OUTSTANDING(2), .FIFO_DEPTH(8), .USER_WIDTH(4), .TAG_WIDTH(2)) dut (
    .clk(clk), .rst(rst),
    .s_cmd_valid(s_cmd_valid), .s_cmd_ready(s_cmd_ready), .s_cmd_addr(s_cmd_addr), .s_cmd_len(s_cmd_len),
    .s_cmd_sof(s_cmd_sof), .s_cmd_eof(s_cmd_eof), .s_cmd_user(s_cmd_user), .s_cmd_tag(s_cmd_tag),
    .m_sts_valid(m_sts_valid), .m_sts_ready(m_sts_ready), .m_sts_tag(m_sts_tag), .m_sts_len(m_sts_len),
    .m_sts_error(m_sts_error), .m_sts_sof(m_sts_sof), .m_sts_eof(m_sts_eof),
    .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen),
    .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst), .m_axi_arlock(m_axi_arlock),
    .m_axi_arcache(m_axi_arcache), .m_axi_arprot(m_axi_arprot), .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready), .m_axi_rid(m_axi_rid), .m_axi_rdata(m_axi_rdata),
    .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid),
    .m_axi_rready(m_axi_rready),
    .m_axis_tdata(m_axis_tdata), .m_axis_tkeep(m_axis_tkeep), .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready), .m_axis_tlast(m_axis_tlast), .m_axis_tuser(m_axis_tuser),
    .abort(abort), .idle(idle), .perf_beat(perf_beat), .perf_stall(perf_stall));

fv_handshake #(.WIDTH(32 + LEN_WIDTH + 2 + 4 + 2), .MASTER_IS_DUT(0)) cmd (
    .clk(clk), .rst(rst), .valid(s_cmd_valid), .ready(s_cmd_ready),
    .payload({s_cmd_addr, s_cmd_len, s_cmd_sof, s_cmd_eof, s_cmd_user, s_cmd_tag}), .cancel(1'b0));
always @(*) if (s_cmd_valid) assume(s_cmd_len != 0);
// RESET_VALID_LOW(2): the status stream is a seam inside sgdma (to sgdma_sg or the hide unit, held in
// the system reset that resets the mover too), so VALID must be low from the second reset cycle on; the
// first-cycle rule of AXI applies to the AXI ports (m_axi, m_axis here: the mover is also used alone)
fv_handshake #(.WIDTH(2 + LEN_WIDTH + 4 + 2), .MASTER_IS_DUT(1), .RESET_VALID_LOW(2)) sts (
    .clk(clk), .rst(rst), .valid(m_sts_valid), .ready(m_sts_ready),
    .payload({m_sts_tag, m_sts_len, m_sts_error, m_sts_sof, m_sts_eof}), .cancel(1'b0));

fv_axi4_master #(.DATA_WIDTH(32), .ADDR_WIDTH(32), .ID_WIDTH(2), .READ(1), .WRITE(0),
                 .MAX_BURST_LEN(4), .MAX_RD_OUTSTANDING(2), .FIXED_ID(0), .MASTER_IS_DUT(1)) mem (
    .clk(clk), .rst(rst),
    .awid(2'd0), .awaddr(32'd0), .awlen(8'd0), .awsize(3'd0), .awburst(2'd1), .awlock(1'b0),
    .awcache(4'd3), .awprot(3'd0), .awvalid(1'b0), .awready(1'b0), .wdata(32'd0), .wstrb(4'd0),
    .wlast(1'b0), .wvalid(1'b0), .wready(1'b0), .bid(2'd0), .bresp(2'd0), .bvalid(1'b0), .bready(1'b0),
    .arid(m_axi_arid), .araddr(m_axi_araddr), .arlen(m_axi_arlen), .arsize(m_axi_arsize),
    .arburst(m_axi_arburst), .arlock(m_axi_arlock), .arcache(m_axi_arcache), .arprot(m_axi_arprot),
    .arvalid(m_axi_arvalid), .arready(m_axi_arready), .rid(m_axi_rid), .rdata(m_axi_rdata),
    .rresp(m_axi_rresp), .rlast(m_axi_rlast), .rvalid(m_axi_rvalid), .rready(m_axi_rready));

fv_axis #(.DATA_WIDTH(32), .USER_WIDTH(4), .MASTER_IS_DUT(1)) stream (
    .clk(clk), .rst(rst), .tdata(m_axis_tdata), .tkeep(m_axis_tkeep), .tlast(m_axis_tlast),
    .tuser(m_axis_tuser), .tvalid(m_axis_tvalid), .tready(m_axis_tready));

endmodule
