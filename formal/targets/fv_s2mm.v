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
    .clk(clk), .rst(rst),
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

endmodule
