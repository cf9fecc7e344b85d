// bench_sgdma_top: benchmark toplevel for sgdma (testbench only; bench/bench_sgdma.py drives it).
//
// sgdma with HDL models on every port, so that no Python runs per cycle: bench_axi_ram on m_axi (data;
// pattern source region for MM2S, checked destination region for S2MM) and on m_axi_sg (descriptors
// when SG_PORT = 1), bench_axis_sink on m_axis, bench_axis_source on s_axis. cocotb only writes
// registers over s_axil, descriptors through the RAM backdoor, and reads the counters below at the end.
//
// Memory map (bytes): MM2S source SRC_BASE..+XFER_BYTES (pattern salt SRC_SALT, the sink expects
// the same stream), S2MM destination DST_BASE..+XFER_BYTES (the source's stream, salt DST_SALT,
// checked on every W beat), descriptors anywhere else. The backdoor writes both RAMs (each master
// sees the same contents; with SG_PORT = 1 the descriptors are only ever read on m_axi_sg).
//
// Counters (cycle = clock edges since reset): the cycle of the last TAILDESC_LO write per channel
// (the cycle the register write takes effect in sgdma_regs), and a bench_window per data channel:
// MM2S on R (RID 0 = data, other RIDs = descriptor beats) and on m_axis; S2MM on W (beats into the
// destination region = data, others = status write-backs) and on s_axis.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module bench_sgdma_top #(
    parameter integer DATA_WIDTH      = 64,        // sgdma DATA_WIDTH
    parameter integer MAX_BURST_LEN   = 64,        // sgdma MAX_BURST_LEN
    parameter integer MAX_OUTSTANDING = 4,         // sgdma MAX_OUTSTANDING
    parameter integer DATA_FIFO_DEPTH = 256,       // sgdma DATA_FIFO_DEPTH
    parameter integer SGL_MAX         = 16,        // sgdma SGL_MAX
    parameter integer SG_PORT         = 1,         // sgdma SG_PORT (its default)
    parameter integer DESC_PREFETCH   = 4,         // sgdma DESC_PREFETCH
    parameter integer DESC_BURST      = 4,         // sgdma DESC_BURST
    parameter integer WB_OUTSTANDING  = 4,         // sgdma WB_OUTSTANDING
    parameter integer MEM_LOG2        = 22,        // RAM size 2**MEM_LOG2 bytes
    parameter integer SRC_BASE        = 32'h0000_0000,
    parameter integer DST_BASE        = 32'h0010_0000,
    parameter integer XFER_BYTES      = 32'h0010_0000
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire [7:0]                  mem_latency,   // both RAMs' latency (bench_axi_ram), from reset on

    input  wire [11:0]                 s_axil_awaddr,
    input  wire [2:0]                  s_axil_awprot,
    input  wire                        s_axil_awvalid,
    output wire                        s_axil_awready,
    input  wire [31:0]                 s_axil_wdata,
    input  wire [3:0]                  s_axil_wstrb,
    input  wire                        s_axil_wvalid,
    output wire                        s_axil_wready,
    output wire [1:0]                  s_axil_bresp,
    output wire                        s_axil_bvalid,
    input  wire                        s_axil_bready,
    input  wire [11:0]                 s_axil_araddr,
    input  wire [2:0]                  s_axil_arprot,
    input  wire                        s_axil_arvalid,
    output wire                        s_axil_arready,
    output wire [31:0]                 s_axil_rdata,
    output wire [1:0]                  s_axil_rresp,
    output wire                        s_axil_rvalid,
    input  wire                        s_axil_rready,

    // stream models
    input  wire                        stream_enable,
    input  wire [31:0]                 mm2s_pkt_beats,
    input  wire [31:0]                 s2mm_pkt_beats,
    input  wire [31:0]                 s2mm_total_beats,

    // RAM backdoor (32-bit words): writes go to both RAMs; reads from the main or the SG RAM
    input  wire                        bd_we,
    input  wire [31:0]                 bd_addr,
    input  wire [31:0]                 bd_wdata,
    output wire [31:0]                 bd_rdata_main,
    output wire [31:0]                 bd_rdata_sg,

    output reg  [31:0]                 cycle,
    output reg  [31:0]                 mm2s_tail_cycle,
    output reg  [31:0]                 s2mm_tail_cycle,
    output wire [31:0]                 mm2s_r_beats, mm2s_r_first, mm2s_r_last, mm2s_r_other, mm2s_r_idle,
    output wire [31:0]                 mm2s_s_beats, mm2s_s_first, mm2s_s_last, mm2s_s_other, mm2s_s_idle,
    output wire [31:0]                 s2mm_w_beats, s2mm_w_first, s2mm_w_last, s2mm_w_other, s2mm_w_idle,
    output wire [31:0]                 s2mm_s_beats, s2mm_s_first, s2mm_s_last, s2mm_s_other, s2mm_s_idle,
    output wire [31:0]                 sink_errors,
    output wire [31:0]                 dst_check_beats,
    output wire [31:0]                 dst_check_errors
);

localparam integer ADDR_WIDTH = 32;
localparam integer ID_WIDTH   = 4;
localparam integer STRB_WIDTH = DATA_WIDTH / 8;
localparam [31:0]  SRC_SALT   = 32'h5A00_0000;
localparam [31:0]  DST_SALT   = 32'hC300_0000;

// AXI4 buses (main = m_axi, sg = m_axi_sg)
wire [ID_WIDTH-1:0]   main_awid, main_bid, main_arid, main_rid, sg_awid, sg_bid, sg_arid, sg_rid;
wire [ADDR_WIDTH-1:0] main_awaddr, main_araddr, sg_awaddr, sg_araddr;
wire [7:0]            main_awlen, main_arlen, sg_awlen, sg_arlen;
wire [2:0]            main_awsize, main_arsize, sg_awsize, sg_arsize, main_awprot, main_arprot, sg_awprot, sg_arprot;
wire [1:0]            main_awburst, main_arburst, sg_awburst, sg_arburst, main_bresp, main_rresp, sg_bresp, sg_rresp;
wire [3:0]            main_awcache, main_arcache, sg_awcache, sg_arcache;
wire                  main_awlock, main_arlock, sg_awlock, sg_arlock;
wire                  main_awvalid, main_awready, main_wlast, main_wvalid, main_wready, main_bvalid, main_bready;
wire                  main_arvalid, main_arready, main_rlast, main_rvalid, main_rready;
wire                  sg_awvalid, sg_awready, sg_wlast, sg_wvalid, sg_wready, sg_bvalid, sg_bready;
wire                  sg_arvalid, sg_arready, sg_rlast, sg_rvalid, sg_rready;
wire [DATA_WIDTH-1:0] main_wdata, main_rdata, sg_wdata, sg_rdata;
wire [STRB_WIDTH-1:0] main_wstrb, sg_wstrb;
// streams
wire [DATA_WIDTH-1:0] mm2s_tdata, s2mm_tdata;
wire [STRB_WIDTH-1:0] mm2s_tkeep, s2mm_tkeep;
wire                  mm2s_tvalid, mm2s_tready, mm2s_tlast, s2mm_tvalid, s2mm_tready, s2mm_tlast;
wire [31:0]           mm2s_tuser;

/* verilator lint_off PINCONNECTEMPTY */ // the hide unit's outputs, the interrupts and model outputs are not observed
sgdma #(
    .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .LEN_WIDTH(24),
    .MAX_BURST_LEN(MAX_BURST_LEN), .MAX_OUTSTANDING(MAX_OUTSTANDING), .SGL_MAX(SGL_MAX),
    .SEG_LOG2(32), .ALIGN_LOG2(0), .DATA_FIFO_DEPTH(DATA_FIFO_DEPTH), .USER_WIDTH(32),
    .HIDE_ENTRIES(0), .SG_PORT(SG_PORT),
    .DESC_PREFETCH(DESC_PREFETCH), .DESC_BURST(DESC_BURST), .WB_OUTSTANDING(WB_OUTSTANDING)
) dut (
    .clk(clk), .rst(rst),
    .s_axil_awaddr(s_axil_awaddr), .s_axil_awprot(s_axil_awprot), .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready), .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid), .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid), .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr),
    .s_axil_arprot(s_axil_arprot), .s_axil_arvalid(s_axil_arvalid), .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp), .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .m_axi_awid(main_awid), .m_axi_awaddr(main_awaddr), .m_axi_awlen(main_awlen), .m_axi_awsize(main_awsize),
    .m_axi_awburst(main_awburst), .m_axi_awlock(main_awlock), .m_axi_awcache(main_awcache),
    .m_axi_awprot(main_awprot), .m_axi_awvalid(main_awvalid), .m_axi_awready(main_awready),
    .m_axi_wdata(main_wdata), .m_axi_wstrb(main_wstrb), .m_axi_wlast(main_wlast), .m_axi_wvalid(main_wvalid),
    .m_axi_wready(main_wready), .m_axi_bid(main_bid), .m_axi_bresp(main_bresp), .m_axi_bvalid(main_bvalid),
    .m_axi_bready(main_bready), .m_axi_arid(main_arid), .m_axi_araddr(main_araddr), .m_axi_arlen(main_arlen),
    .m_axi_arsize(main_arsize), .m_axi_arburst(main_arburst), .m_axi_arlock(main_arlock),
    .m_axi_arcache(main_arcache), .m_axi_arprot(main_arprot), .m_axi_arvalid(main_arvalid),
    .m_axi_arready(main_arready), .m_axi_rid(main_rid), .m_axi_rdata(main_rdata), .m_axi_rresp(main_rresp),
    .m_axi_rlast(main_rlast), .m_axi_rvalid(main_rvalid), .m_axi_rready(main_rready),
    .m_axi_sg_awid(sg_awid), .m_axi_sg_awaddr(sg_awaddr), .m_axi_sg_awlen(sg_awlen), .m_axi_sg_awsize(sg_awsize),
    .m_axi_sg_awburst(sg_awburst), .m_axi_sg_awlock(sg_awlock), .m_axi_sg_awcache(sg_awcache),
    .m_axi_sg_awprot(sg_awprot), .m_axi_sg_awvalid(sg_awvalid), .m_axi_sg_awready(sg_awready),
    .m_axi_sg_wdata(sg_wdata), .m_axi_sg_wstrb(sg_wstrb), .m_axi_sg_wlast(sg_wlast), .m_axi_sg_wvalid(sg_wvalid),
    .m_axi_sg_wready(sg_wready), .m_axi_sg_bid(sg_bid), .m_axi_sg_bresp(sg_bresp), .m_axi_sg_bvalid(sg_bvalid),
    .m_axi_sg_bready(sg_bready), .m_axi_sg_arid(sg_arid), .m_axi_sg_araddr(sg_araddr), .m_axi_sg_arlen(sg_arlen),
    .m_axi_sg_arsize(sg_arsize), .m_axi_sg_arburst(sg_arburst), .m_axi_sg_arlock(sg_arlock),
    .m_axi_sg_arcache(sg_arcache), .m_axi_sg_arprot(sg_arprot), .m_axi_sg_arvalid(sg_arvalid),
    .m_axi_sg_arready(sg_arready), .m_axi_sg_rid(sg_rid), .m_axi_sg_rdata(sg_rdata), .m_axi_sg_rresp(sg_rresp),
    .m_axi_sg_rlast(sg_rlast), .m_axi_sg_rvalid(sg_rvalid), .m_axi_sg_rready(sg_rready),
    .m_axis_tdata(mm2s_tdata), .m_axis_tkeep(mm2s_tkeep), .m_axis_tvalid(mm2s_tvalid),
    .m_axis_tready(mm2s_tready), .m_axis_tlast(mm2s_tlast), .m_axis_tuser(mm2s_tuser),
    .s_axis_tdata(s2mm_tdata), .s_axis_tkeep(s2mm_tkeep), .s_axis_tvalid(s2mm_tvalid),
    .s_axis_tready(s2mm_tready), .s_axis_tlast(s2mm_tlast),
    .irq_mm2s(), .irq_s2mm(),
    .m_maint_req_valid(), .m_maint_req_ready(1'b0), .m_maint_req_addr(), .m_maint_req_op(),
    .s_maint_done_valid(1'b0), .s_maint_done_ready(),
    .s_axi_cpu_awid({ID_WIDTH{1'b0}}), .s_axi_cpu_awaddr({ADDR_WIDTH{1'b0}}), .s_axi_cpu_awlen(8'd0),
    .s_axi_cpu_awsize(3'd0), .s_axi_cpu_awburst(2'd0), .s_axi_cpu_awlock(1'b0), .s_axi_cpu_awcache(4'd0),
    .s_axi_cpu_awprot(3'd0), .s_axi_cpu_awvalid(1'b0), .s_axi_cpu_awready(),
    .s_axi_cpu_wdata({DATA_WIDTH{1'b0}}), .s_axi_cpu_wstrb({STRB_WIDTH{1'b0}}), .s_axi_cpu_wlast(1'b0),
    .s_axi_cpu_wvalid(1'b0), .s_axi_cpu_wready(), .s_axi_cpu_bid(), .s_axi_cpu_bresp(), .s_axi_cpu_bvalid(),
    .s_axi_cpu_bready(1'b0), .s_axi_cpu_arid({ID_WIDTH{1'b0}}), .s_axi_cpu_araddr({ADDR_WIDTH{1'b0}}),
    .s_axi_cpu_arlen(8'd0), .s_axi_cpu_arsize(3'd0), .s_axi_cpu_arburst(2'd0), .s_axi_cpu_arlock(1'b0),
    .s_axi_cpu_arcache(4'd0), .s_axi_cpu_arprot(3'd0), .s_axi_cpu_arvalid(1'b0), .s_axi_cpu_arready(),
    .s_axi_cpu_rid(), .s_axi_cpu_rdata(), .s_axi_cpu_rresp(), .s_axi_cpu_rlast(), .s_axi_cpu_rvalid(),
    .s_axi_cpu_rready(1'b0),
    .m_axi_cpu_awid(), .m_axi_cpu_awaddr(), .m_axi_cpu_awlen(), .m_axi_cpu_awsize(), .m_axi_cpu_awburst(),
    .m_axi_cpu_awlock(), .m_axi_cpu_awcache(), .m_axi_cpu_awprot(), .m_axi_cpu_awvalid(),
    .m_axi_cpu_awready(1'b0), .m_axi_cpu_wdata(), .m_axi_cpu_wstrb(), .m_axi_cpu_wlast(), .m_axi_cpu_wvalid(),
    .m_axi_cpu_wready(1'b0), .m_axi_cpu_bid({ID_WIDTH{1'b0}}), .m_axi_cpu_bresp(2'd0), .m_axi_cpu_bvalid(1'b0),
    .m_axi_cpu_bready(), .m_axi_cpu_arid(), .m_axi_cpu_araddr(), .m_axi_cpu_arlen(), .m_axi_cpu_arsize(),
    .m_axi_cpu_arburst(), .m_axi_cpu_arlock(), .m_axi_cpu_arcache(), .m_axi_cpu_arprot(), .m_axi_cpu_arvalid(),
    .m_axi_cpu_arready(1'b0), .m_axi_cpu_rid({ID_WIDTH{1'b0}}), .m_axi_cpu_rdata({DATA_WIDTH{1'b0}}),
    .m_axi_cpu_rresp(2'd0), .m_axi_cpu_rlast(1'b0), .m_axi_cpu_rvalid(1'b0), .m_axi_cpu_rready(),
    .hide_mod_valid(), .hide_mod_addr()
);

wire main_w_beat, main_w_check, sg_w_beat_unused, sg_w_check_unused;
wire [31:0] sg_check_beats_unused, sg_check_errors_unused;

bench_axi_ram #(
    .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .MEM_LOG2(MEM_LOG2),
    .INIT_BASE(SRC_BASE), .INIT_BYTES(XFER_BYTES), .INIT_SALT(SRC_SALT),
    .CHECK_BASE(DST_BASE), .CHECK_BYTES(XFER_BYTES), .CHECK_SALT(DST_SALT)
) ram_main (
    .clk(clk), .rst(rst), .latency(mem_latency),
    .s_axi_awid(main_awid), .s_axi_awaddr(main_awaddr), .s_axi_awlen(main_awlen), .s_axi_awvalid(main_awvalid),
    .s_axi_awready(main_awready), .s_axi_wdata(main_wdata), .s_axi_wstrb(main_wstrb), .s_axi_wlast(main_wlast),
    .s_axi_wvalid(main_wvalid), .s_axi_wready(main_wready), .s_axi_bid(main_bid), .s_axi_bresp(main_bresp),
    .s_axi_bvalid(main_bvalid), .s_axi_bready(main_bready), .s_axi_arid(main_arid), .s_axi_araddr(main_araddr),
    .s_axi_arlen(main_arlen), .s_axi_arvalid(main_arvalid), .s_axi_arready(main_arready), .s_axi_rid(main_rid),
    .s_axi_rdata(main_rdata), .s_axi_rresp(main_rresp), .s_axi_rlast(main_rlast), .s_axi_rvalid(main_rvalid),
    .s_axi_rready(main_rready),
    .bd_we(bd_we), .bd_addr(bd_addr), .bd_wdata(bd_wdata), .bd_rdata(bd_rdata_main),
    .w_beat(main_w_beat), .w_beat_check(main_w_check), .check_beats(dst_check_beats),
    .check_errors(dst_check_errors)
);

// the SG RAM holds descriptors only (no pattern, no checked region)
bench_axi_ram #(
    .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH), .MEM_LOG2(MEM_LOG2)
) ram_sg (
    .clk(clk), .rst(rst), .latency(mem_latency),
    .s_axi_awid(sg_awid), .s_axi_awaddr(sg_awaddr), .s_axi_awlen(sg_awlen), .s_axi_awvalid(sg_awvalid),
    .s_axi_awready(sg_awready), .s_axi_wdata(sg_wdata), .s_axi_wstrb(sg_wstrb), .s_axi_wlast(sg_wlast),
    .s_axi_wvalid(sg_wvalid), .s_axi_wready(sg_wready), .s_axi_bid(sg_bid), .s_axi_bresp(sg_bresp),
    .s_axi_bvalid(sg_bvalid), .s_axi_bready(sg_bready), .s_axi_arid(sg_arid), .s_axi_araddr(sg_araddr),
    .s_axi_arlen(sg_arlen), .s_axi_arvalid(sg_arvalid), .s_axi_arready(sg_arready), .s_axi_rid(sg_rid),
    .s_axi_rdata(sg_rdata), .s_axi_rresp(sg_rresp), .s_axi_rlast(sg_rlast), .s_axi_rvalid(sg_rvalid),
    .s_axi_rready(sg_rready),
    .bd_we(bd_we), .bd_addr(bd_addr), .bd_wdata(bd_wdata), .bd_rdata(bd_rdata_sg),
    .w_beat(sg_w_beat_unused), .w_beat_check(sg_w_check_unused), .check_beats(sg_check_beats_unused),
    .check_errors(sg_check_errors_unused)
);

wire [31:0] mm2s_sink_beats_unused, s2mm_src_beats_unused;
bench_axis_sink #(.DATA_WIDTH(DATA_WIDTH), .SALT(SRC_SALT)) sink (
    .clk(clk), .rst(rst), .enable(stream_enable), .pkt_beats(mm2s_pkt_beats),
    .s_axis_tdata(mm2s_tdata), .s_axis_tkeep(mm2s_tkeep), .s_axis_tlast(mm2s_tlast),
    .s_axis_tvalid(mm2s_tvalid), .s_axis_tready(mm2s_tready), .beats(mm2s_sink_beats_unused),
    .errors(sink_errors)
);

bench_axis_source #(.DATA_WIDTH(DATA_WIDTH), .SALT(DST_SALT)) source (
    .clk(clk), .rst(rst), .enable(stream_enable), .pkt_beats(s2mm_pkt_beats), .total_beats(s2mm_total_beats),
    .m_axis_tdata(s2mm_tdata), .m_axis_tkeep(s2mm_tkeep), .m_axis_tlast(s2mm_tlast),
    .m_axis_tvalid(s2mm_tvalid), .m_axis_tready(s2mm_tready), .beats(s2mm_src_beats_unused)
);
/* verilator lint_on PINCONNECTEMPTY */

// ---------------------------------------------------------------------------------------------
// counters
always @(posedge clk) begin
    if (rst) begin
        cycle           <= 32'd0;
        mm2s_tail_cycle <= 32'd0;
        s2mm_tail_cycle <= 32'd0;
    end else begin
        cycle <= cycle + 32'd1;
        // the register write takes effect in this cycle (sgdma_regs decodes it combinationally)
        if (dut.ch_wr_en[0] && dut.ch_wr_off == `SGDMA_CH_TAILDESC_LO) mm2s_tail_cycle <= cycle;
        if (dut.ch_wr_en[1] && dut.ch_wr_off == `SGDMA_CH_TAILDESC_LO) s2mm_tail_cycle <= cycle;
    end
end

wire r_hs = main_rvalid && main_rready;
bench_window w_mm2s_r (.clk(clk), .rst(rst), .cycle(cycle),
    .beat(r_hs && main_rid == {ID_WIDTH{1'b0}}), .other(r_hs && main_rid != {ID_WIDTH{1'b0}}),
    .beats(mm2s_r_beats), .first_cycle(mm2s_r_first), .last_cycle(mm2s_r_last),
    .other_in_window(mm2s_r_other), .idle_in_window(mm2s_r_idle));
bench_window w_mm2s_s (.clk(clk), .rst(rst), .cycle(cycle),
    .beat(mm2s_tvalid && mm2s_tready), .other(1'b0),
    .beats(mm2s_s_beats), .first_cycle(mm2s_s_first), .last_cycle(mm2s_s_last),
    .other_in_window(mm2s_s_other), .idle_in_window(mm2s_s_idle));
bench_window w_s2mm_w (.clk(clk), .rst(rst), .cycle(cycle),
    .beat(main_w_check), .other(main_w_beat && !main_w_check),
    .beats(s2mm_w_beats), .first_cycle(s2mm_w_first), .last_cycle(s2mm_w_last),
    .other_in_window(s2mm_w_other), .idle_in_window(s2mm_w_idle));
bench_window w_s2mm_s (.clk(clk), .rst(rst), .cycle(cycle),
    .beat(s2mm_tvalid && s2mm_tready), .other(1'b0),
    .beats(s2mm_s_beats), .first_cycle(s2mm_s_first), .last_cycle(s2mm_s_last),
    .other_in_window(s2mm_s_other), .idle_in_window(s2mm_s_idle));

// unused model and DUT outputs
wire unused_bench = ^{mm2s_tuser, main_awsize, main_awburst, main_awlock, main_awcache, main_awprot,
                      main_arsize, main_arburst, main_arlock, main_arcache, main_arprot, sg_awsize,
                      sg_awburst, sg_awlock, sg_awcache, sg_awprot, sg_arsize, sg_arburst, sg_arlock,
                      sg_arcache, sg_arprot, sg_w_beat_unused, sg_w_check_unused, sg_check_beats_unused,
                      sg_check_errors_unused, mm2s_sink_beats_unused, s2mm_src_beats_unused};

endmodule

`resetall
