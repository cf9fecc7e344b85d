// sgdma_fast_tb: the fast system-test toplevel: sgdma_tb (sgdma, its protocol checkers and hostile
// shims) with HDL agents on every data port, so that no Python runs per cycle (testbench only;
// tb/fast_agents.py drives it, docs/environment.md draws the flow).
//
// tb_axi_mem on m_axi (mem) and, with SG_PORT = 1, on m_axi_sg (sg_mem); tb_axis_sink on m_axis;
// tb_axis_source on s_axis; tb_beat_trace records every beat of m_axi, m_axis and s_axis (and, in a
// file of its own for tb/bus_plot.py, of m_axi_sg). cocotb drives
// the register port (s_axil_*), reads the interrupt lines, and commands the agents through tb_cmd
// (one-cycle pulses; bit map below) with files named after tb_token in the working directory. The
// hide unit's ports are tied off (no hide unit here: HIDE_ENTRIES = 0). Parameters are sgdma_tb's.
// tb/gen_sgdma_tb.py (make gen) writes the parameters before CHK_FATAL and the sgdma_tb instance block;
// the rest is written by hand.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module sgdma_fast_tb #(
    parameter integer AXIL_ADDR_WIDTH = 12,   // AXI4-Lite address width
    parameter integer DATA_WIDTH      = 64,   // AXI and AXI4-Stream data width: 32, 64 or 128
    parameter integer ADDR_WIDTH      = 64,   // AXI address width, 32..64
    parameter integer ID_WIDTH        = 4,    // AXI ID width (>= 2)
    parameter integer LEN_WIDTH       = 24,   // usable bits of descriptor LENGTH (1..24)
    parameter integer MAX_BURST_LEN   = 64,   // maximum AXI burst in beats, 1..256
    parameter integer MAX_OUTSTANDING = 4,    // bursts in flight per data mover, 1..255
    parameter integer SGL_MAX         = 16,   // maximum descriptors per packet, 1..128
    parameter integer SEG_LOG2        = 32,   // no buffer may cross a multiple of 2**SEG_LOG2 (12..64)
    parameter integer ALIGN_LOG2      = 0,    // buffer address alignment 2**ALIGN_LOG2 (0..12)
    parameter integer DATA_FIFO_DEPTH = 256,  // beats of buffering per data mover (power of two)
    parameter integer USER_WIDTH      = 32,   // m_axis_tuser width (1..32: low bits of USER)
    parameter integer SG_PORT         = 1,    // 1: descriptors and status write-back on m_axi_sg; 0: all on m_axi
    parameter integer DESC_PREFETCH   = 4,    // descriptor fetch bursts in flight per channel, 1..8
    parameter integer DESC_BURST      = 4,    // most contiguous descriptors per fetch burst, 1..16 (capped by MAX_BURST_LEN)
    parameter integer WB_OUTSTANDING  = 4,    // STATUS write-backs in flight per channel, 1..16
    parameter integer CHK_FATAL       = 1,    // checkers stop the simulation on the first violation
    parameter integer MEM_SETS_LOG2   = 9,    // tb_axi_mem: page sets (2**MEM_SETS_LOG2 x MEM_WAYS pages)
    parameter integer MEM_WAYS        = 8,    // tb_axi_mem: pages per set
    parameter integer SRC_DEPTH_LOG2  = 17    // tb_axis_source: beats buffered
) (
    input  wire                        clk,
    input  wire                        rst,

    input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_awaddr,
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
    input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_araddr,
    input  wire [2:0]                  s_axil_arprot,
    input  wire                        s_axil_arvalid,
    output wire                        s_axil_arready,
    output wire [31:0]                 s_axil_rdata,
    output wire [1:0]                  s_axil_rresp,
    output wire                        s_axil_rvalid,
    input  wire                        s_axil_rready,

    output wire                        irq_mm2s,
    output wire                        irq_s2mm,

    // agent control (tb/fast_agents.py)
    input  wire [31:0]                 tb_token,        // file-name token, unique per simulation
    input  wire [31:0]                 tb_seed,         // pacing seed, taken at reset
    // one-cycle command pulses: [3:0] mem (tags, data, wok, readback), [7:4] sg_mem (same),
    // [9:8] source (load, flush), [11:10] trace (open, flush)
    input  wire [11:0]                 tb_cmd,
    input  wire [31:0]                 tb_src_tail,     // S2MM beats published to the source
    input  wire [7:0]                  tb_mem_pause,    // AXI handshake stall probability, /256
    input  wire [7:0]                  tb_mem_latency,  // max extra cycles before a first R beat / B
    // injected bus errors on both memories (tb_axi_mem's err_*; tb/fast_agents.HdlErrorMap)
    input  wire [ADDR_WIDTH-1:0]       tb_mem_err_base, // error range [base, end)
    input  wire [ADDR_WIDTH-1:0]       tb_mem_err_end,
    input  wire [1:0]                  tb_mem_err_resp, // 2 SLVERR, 3 DECERR, 0 none
    input  wire [1:0]                  tb_mem_err_on,   // bit 0 reads, bit 1 writes
    input  wire [7:0]                  tb_axis_pause    // stream stall probability, /256
);

// ---- generated by tb/gen_sgdma_tb.py (generate_fast): sgdma_tb's ports and instance
/* verilator lint_off UNUSEDSIGNAL */
// sgdma_tb's ports other than the register port (observed through the hierarchy, or tied off)
wire [ID_WIDTH-1:0] m_axi_awid;
wire [ADDR_WIDTH-1:0] m_axi_awaddr;
wire [7:0] m_axi_awlen;
wire [2:0] m_axi_awsize;
wire [1:0] m_axi_awburst;
wire m_axi_awlock;
wire [3:0] m_axi_awcache;
wire [2:0] m_axi_awprot;
wire m_axi_awvalid;
wire m_axi_awready;
wire [DATA_WIDTH-1:0] m_axi_wdata;
wire [DATA_WIDTH/8-1:0] m_axi_wstrb;
wire m_axi_wlast;
wire m_axi_wvalid;
wire m_axi_wready;
wire [ID_WIDTH-1:0] m_axi_bid;
wire [1:0] m_axi_bresp;
wire m_axi_bvalid;
wire m_axi_bready;
wire [ID_WIDTH-1:0] m_axi_arid;
wire [ADDR_WIDTH-1:0] m_axi_araddr;
wire [7:0] m_axi_arlen;
wire [2:0] m_axi_arsize;
wire [1:0] m_axi_arburst;
wire m_axi_arlock;
wire [3:0] m_axi_arcache;
wire [2:0] m_axi_arprot;
wire m_axi_arvalid;
wire m_axi_arready;
wire [ID_WIDTH-1:0] m_axi_rid;
wire [DATA_WIDTH-1:0] m_axi_rdata;
wire [1:0] m_axi_rresp;
wire m_axi_rlast;
wire m_axi_rvalid;
wire m_axi_rready;
wire [ID_WIDTH-1:0] m_axi_sg_awid;
wire [ADDR_WIDTH-1:0] m_axi_sg_awaddr;
wire [7:0] m_axi_sg_awlen;
wire [2:0] m_axi_sg_awsize;
wire [1:0] m_axi_sg_awburst;
wire m_axi_sg_awlock;
wire [3:0] m_axi_sg_awcache;
wire [2:0] m_axi_sg_awprot;
wire m_axi_sg_awvalid;
wire m_axi_sg_awready;
wire [DATA_WIDTH-1:0] m_axi_sg_wdata;
wire [DATA_WIDTH/8-1:0] m_axi_sg_wstrb;
wire m_axi_sg_wlast;
wire m_axi_sg_wvalid;
wire m_axi_sg_wready;
wire [ID_WIDTH-1:0] m_axi_sg_bid;
wire [1:0] m_axi_sg_bresp;
wire m_axi_sg_bvalid;
wire m_axi_sg_bready;
wire [ID_WIDTH-1:0] m_axi_sg_arid;
wire [ADDR_WIDTH-1:0] m_axi_sg_araddr;
wire [7:0] m_axi_sg_arlen;
wire [2:0] m_axi_sg_arsize;
wire [1:0] m_axi_sg_arburst;
wire m_axi_sg_arlock;
wire [3:0] m_axi_sg_arcache;
wire [2:0] m_axi_sg_arprot;
wire m_axi_sg_arvalid;
wire m_axi_sg_arready;
wire [ID_WIDTH-1:0] m_axi_sg_rid;
wire [DATA_WIDTH-1:0] m_axi_sg_rdata;
wire [1:0] m_axi_sg_rresp;
wire m_axi_sg_rlast;
wire m_axi_sg_rvalid;
wire m_axi_sg_rready;
wire [DATA_WIDTH-1:0] m_axis_tdata;
wire [DATA_WIDTH/8-1:0] m_axis_tkeep;
wire m_axis_tvalid;
wire m_axis_tready;
wire m_axis_tlast;
wire [USER_WIDTH-1:0] m_axis_tuser;
wire [DATA_WIDTH-1:0] s_axis_tdata;
wire [DATA_WIDTH/8-1:0] s_axis_tkeep;
wire s_axis_tvalid;
wire s_axis_tready;
wire s_axis_tlast;
wire m_maint_req_valid;
wire m_maint_req_ready;
wire [ADDR_WIDTH-1:0] m_maint_req_addr;
wire [1:0] m_maint_req_op;
wire s_maint_done_valid;
wire s_maint_done_ready;
wire [ID_WIDTH-1:0] s_axi_cpu_awid;
wire [ADDR_WIDTH-1:0] s_axi_cpu_awaddr;
wire [7:0] s_axi_cpu_awlen;
wire [2:0] s_axi_cpu_awsize;
wire [1:0] s_axi_cpu_awburst;
wire s_axi_cpu_awlock;
wire [3:0] s_axi_cpu_awcache;
wire [2:0] s_axi_cpu_awprot;
wire s_axi_cpu_awvalid;
wire s_axi_cpu_awready;
wire [DATA_WIDTH-1:0] s_axi_cpu_wdata;
wire [DATA_WIDTH/8-1:0] s_axi_cpu_wstrb;
wire s_axi_cpu_wlast;
wire s_axi_cpu_wvalid;
wire s_axi_cpu_wready;
wire [ID_WIDTH-1:0] s_axi_cpu_bid;
wire [1:0] s_axi_cpu_bresp;
wire s_axi_cpu_bvalid;
wire s_axi_cpu_bready;
wire [ID_WIDTH-1:0] s_axi_cpu_arid;
wire [ADDR_WIDTH-1:0] s_axi_cpu_araddr;
wire [7:0] s_axi_cpu_arlen;
wire [2:0] s_axi_cpu_arsize;
wire [1:0] s_axi_cpu_arburst;
wire s_axi_cpu_arlock;
wire [3:0] s_axi_cpu_arcache;
wire [2:0] s_axi_cpu_arprot;
wire s_axi_cpu_arvalid;
wire s_axi_cpu_arready;
wire [ID_WIDTH-1:0] s_axi_cpu_rid;
wire [DATA_WIDTH-1:0] s_axi_cpu_rdata;
wire [1:0] s_axi_cpu_rresp;
wire s_axi_cpu_rlast;
wire s_axi_cpu_rvalid;
wire s_axi_cpu_rready;
wire [ID_WIDTH-1:0] m_axi_cpu_awid;
wire [ADDR_WIDTH-1:0] m_axi_cpu_awaddr;
wire [7:0] m_axi_cpu_awlen;
wire [2:0] m_axi_cpu_awsize;
wire [1:0] m_axi_cpu_awburst;
wire m_axi_cpu_awlock;
wire [3:0] m_axi_cpu_awcache;
wire [2:0] m_axi_cpu_awprot;
wire m_axi_cpu_awvalid;
wire m_axi_cpu_awready;
wire [DATA_WIDTH-1:0] m_axi_cpu_wdata;
wire [DATA_WIDTH/8-1:0] m_axi_cpu_wstrb;
wire m_axi_cpu_wlast;
wire m_axi_cpu_wvalid;
wire m_axi_cpu_wready;
wire [ID_WIDTH-1:0] m_axi_cpu_bid;
wire [1:0] m_axi_cpu_bresp;
wire m_axi_cpu_bvalid;
wire m_axi_cpu_bready;
wire [ID_WIDTH-1:0] m_axi_cpu_arid;
wire [ADDR_WIDTH-1:0] m_axi_cpu_araddr;
wire [7:0] m_axi_cpu_arlen;
wire [2:0] m_axi_cpu_arsize;
wire [1:0] m_axi_cpu_arburst;
wire m_axi_cpu_arlock;
wire [3:0] m_axi_cpu_arcache;
wire [2:0] m_axi_cpu_arprot;
wire m_axi_cpu_arvalid;
wire m_axi_cpu_arready;
wire [ID_WIDTH-1:0] m_axi_cpu_rid;
wire [DATA_WIDTH-1:0] m_axi_cpu_rdata;
wire [1:0] m_axi_cpu_rresp;
wire m_axi_cpu_rlast;
wire m_axi_cpu_rvalid;
wire m_axi_cpu_rready;
wire hide_mod_valid;
wire [ADDR_WIDTH-1:0] hide_mod_addr;
wire chk_axi_error_valid;
wire [7:0] chk_axi_error_rule;
wire [31:0] chk_axi_error_cycle;
wire [31:0] chk_axi_error_count;
wire [31:0] chk_axi_error_mask;
wire chk_axil_error_valid;
wire [7:0] chk_axil_error_rule;
wire [31:0] chk_axil_error_cycle;
wire [31:0] chk_axil_error_count;
wire [31:0] chk_axil_error_mask;
wire chk_mm2s_error_valid;
wire [7:0] chk_mm2s_error_rule;
wire [31:0] chk_mm2s_error_cycle;
wire [31:0] chk_mm2s_error_count;
wire [31:0] chk_mm2s_error_mask;
wire chk_s2mm_error_valid;
wire [7:0] chk_s2mm_error_rule;
wire [31:0] chk_s2mm_error_cycle;
wire [31:0] chk_s2mm_error_count;
wire [31:0] chk_s2mm_error_mask;
wire chk_cpu_error_valid;
wire [7:0] chk_cpu_error_rule;
wire [31:0] chk_cpu_error_cycle;
wire [31:0] chk_cpu_error_count;
wire [31:0] chk_cpu_error_mask;
wire [31:0] cycle;
/* verilator lint_on UNUSEDSIGNAL */

assign m_maint_req_ready = 0;
assign s_maint_done_valid = 0;
assign s_axi_cpu_awid = 0;
assign s_axi_cpu_awaddr = 0;
assign s_axi_cpu_awlen = 0;
assign s_axi_cpu_awsize = 0;
assign s_axi_cpu_awburst = 0;
assign s_axi_cpu_awlock = 0;
assign s_axi_cpu_awcache = 0;
assign s_axi_cpu_awprot = 0;
assign s_axi_cpu_awvalid = 0;
assign s_axi_cpu_wdata = 0;
assign s_axi_cpu_wstrb = 0;
assign s_axi_cpu_wlast = 0;
assign s_axi_cpu_wvalid = 0;
assign s_axi_cpu_bready = 0;
assign s_axi_cpu_arid = 0;
assign s_axi_cpu_araddr = 0;
assign s_axi_cpu_arlen = 0;
assign s_axi_cpu_arsize = 0;
assign s_axi_cpu_arburst = 0;
assign s_axi_cpu_arlock = 0;
assign s_axi_cpu_arcache = 0;
assign s_axi_cpu_arprot = 0;
assign s_axi_cpu_arvalid = 0;
assign s_axi_cpu_rready = 0;
assign m_axi_cpu_awready = 0;
assign m_axi_cpu_wready = 0;
assign m_axi_cpu_bid = 0;
assign m_axi_cpu_bresp = 0;
assign m_axi_cpu_bvalid = 0;
assign m_axi_cpu_arready = 0;
assign m_axi_cpu_rid = 0;
assign m_axi_cpu_rdata = 0;
assign m_axi_cpu_rresp = 0;
assign m_axi_cpu_rlast = 0;
assign m_axi_cpu_rvalid = 0;

/* verilator lint_off PINCONNECTEMPTY */
sgdma_tb #(
    .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH),
    .ID_WIDTH(ID_WIDTH), .LEN_WIDTH(LEN_WIDTH), .MAX_BURST_LEN(MAX_BURST_LEN),
    .MAX_OUTSTANDING(MAX_OUTSTANDING), .SGL_MAX(SGL_MAX), .SEG_LOG2(SEG_LOG2), .ALIGN_LOG2(ALIGN_LOG2),
    .DATA_FIFO_DEPTH(DATA_FIFO_DEPTH), .USER_WIDTH(USER_WIDTH), .SG_PORT(SG_PORT),
    .DESC_PREFETCH(DESC_PREFETCH), .DESC_BURST(DESC_BURST), .WB_OUTSTANDING(WB_OUTSTANDING),
    .HIDE_ENTRIES(0), .CHK_FATAL(CHK_FATAL)
) tb (
    .clk(clk),
    .rst(rst),
    .s_axil_awaddr(s_axil_awaddr),
    .s_axil_awprot(s_axil_awprot),
    .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata),
    .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready),
    .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready),
    .s_axil_araddr(s_axil_araddr),
    .s_axil_arprot(s_axil_arprot),
    .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .m_axi_awid(m_axi_awid),
    .m_axi_awaddr(m_axi_awaddr),
    .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize),
    .m_axi_awburst(m_axi_awburst),
    .m_axi_awlock(m_axi_awlock),
    .m_axi_awcache(m_axi_awcache),
    .m_axi_awprot(m_axi_awprot),
    .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready),
    .m_axi_wdata(m_axi_wdata),
    .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast),
    .m_axi_wvalid(m_axi_wvalid),
    .m_axi_wready(m_axi_wready),
    .m_axi_bid(m_axi_bid),
    .m_axi_bresp(m_axi_bresp),
    .m_axi_bvalid(m_axi_bvalid),
    .m_axi_bready(m_axi_bready),
    .m_axi_arid(m_axi_arid),
    .m_axi_araddr(m_axi_araddr),
    .m_axi_arlen(m_axi_arlen),
    .m_axi_arsize(m_axi_arsize),
    .m_axi_arburst(m_axi_arburst),
    .m_axi_arlock(m_axi_arlock),
    .m_axi_arcache(m_axi_arcache),
    .m_axi_arprot(m_axi_arprot),
    .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready),
    .m_axi_rid(m_axi_rid),
    .m_axi_rdata(m_axi_rdata),
    .m_axi_rresp(m_axi_rresp),
    .m_axi_rlast(m_axi_rlast),
    .m_axi_rvalid(m_axi_rvalid),
    .m_axi_rready(m_axi_rready),
    .m_axi_sg_awid(m_axi_sg_awid),
    .m_axi_sg_awaddr(m_axi_sg_awaddr),
    .m_axi_sg_awlen(m_axi_sg_awlen),
    .m_axi_sg_awsize(m_axi_sg_awsize),
    .m_axi_sg_awburst(m_axi_sg_awburst),
    .m_axi_sg_awlock(m_axi_sg_awlock),
    .m_axi_sg_awcache(m_axi_sg_awcache),
    .m_axi_sg_awprot(m_axi_sg_awprot),
    .m_axi_sg_awvalid(m_axi_sg_awvalid),
    .m_axi_sg_awready(m_axi_sg_awready),
    .m_axi_sg_wdata(m_axi_sg_wdata),
    .m_axi_sg_wstrb(m_axi_sg_wstrb),
    .m_axi_sg_wlast(m_axi_sg_wlast),
    .m_axi_sg_wvalid(m_axi_sg_wvalid),
    .m_axi_sg_wready(m_axi_sg_wready),
    .m_axi_sg_bid(m_axi_sg_bid),
    .m_axi_sg_bresp(m_axi_sg_bresp),
    .m_axi_sg_bvalid(m_axi_sg_bvalid),
    .m_axi_sg_bready(m_axi_sg_bready),
    .m_axi_sg_arid(m_axi_sg_arid),
    .m_axi_sg_araddr(m_axi_sg_araddr),
    .m_axi_sg_arlen(m_axi_sg_arlen),
    .m_axi_sg_arsize(m_axi_sg_arsize),
    .m_axi_sg_arburst(m_axi_sg_arburst),
    .m_axi_sg_arlock(m_axi_sg_arlock),
    .m_axi_sg_arcache(m_axi_sg_arcache),
    .m_axi_sg_arprot(m_axi_sg_arprot),
    .m_axi_sg_arvalid(m_axi_sg_arvalid),
    .m_axi_sg_arready(m_axi_sg_arready),
    .m_axi_sg_rid(m_axi_sg_rid),
    .m_axi_sg_rdata(m_axi_sg_rdata),
    .m_axi_sg_rresp(m_axi_sg_rresp),
    .m_axi_sg_rlast(m_axi_sg_rlast),
    .m_axi_sg_rvalid(m_axi_sg_rvalid),
    .m_axi_sg_rready(m_axi_sg_rready),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tuser(m_axis_tuser),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready),
    .s_axis_tlast(s_axis_tlast),
    .irq_mm2s(irq_mm2s),
    .irq_s2mm(irq_s2mm),
    .m_maint_req_valid(m_maint_req_valid),
    .m_maint_req_ready(m_maint_req_ready),
    .m_maint_req_addr(m_maint_req_addr),
    .m_maint_req_op(m_maint_req_op),
    .s_maint_done_valid(s_maint_done_valid),
    .s_maint_done_ready(s_maint_done_ready),
    .s_axi_cpu_awid(s_axi_cpu_awid),
    .s_axi_cpu_awaddr(s_axi_cpu_awaddr),
    .s_axi_cpu_awlen(s_axi_cpu_awlen),
    .s_axi_cpu_awsize(s_axi_cpu_awsize),
    .s_axi_cpu_awburst(s_axi_cpu_awburst),
    .s_axi_cpu_awlock(s_axi_cpu_awlock),
    .s_axi_cpu_awcache(s_axi_cpu_awcache),
    .s_axi_cpu_awprot(s_axi_cpu_awprot),
    .s_axi_cpu_awvalid(s_axi_cpu_awvalid),
    .s_axi_cpu_awready(s_axi_cpu_awready),
    .s_axi_cpu_wdata(s_axi_cpu_wdata),
    .s_axi_cpu_wstrb(s_axi_cpu_wstrb),
    .s_axi_cpu_wlast(s_axi_cpu_wlast),
    .s_axi_cpu_wvalid(s_axi_cpu_wvalid),
    .s_axi_cpu_wready(s_axi_cpu_wready),
    .s_axi_cpu_bid(s_axi_cpu_bid),
    .s_axi_cpu_bresp(s_axi_cpu_bresp),
    .s_axi_cpu_bvalid(s_axi_cpu_bvalid),
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
    .s_axi_cpu_arready(s_axi_cpu_arready),
    .s_axi_cpu_rid(s_axi_cpu_rid),
    .s_axi_cpu_rdata(s_axi_cpu_rdata),
    .s_axi_cpu_rresp(s_axi_cpu_rresp),
    .s_axi_cpu_rlast(s_axi_cpu_rlast),
    .s_axi_cpu_rvalid(s_axi_cpu_rvalid),
    .s_axi_cpu_rready(s_axi_cpu_rready),
    .m_axi_cpu_awid(m_axi_cpu_awid),
    .m_axi_cpu_awaddr(m_axi_cpu_awaddr),
    .m_axi_cpu_awlen(m_axi_cpu_awlen),
    .m_axi_cpu_awsize(m_axi_cpu_awsize),
    .m_axi_cpu_awburst(m_axi_cpu_awburst),
    .m_axi_cpu_awlock(m_axi_cpu_awlock),
    .m_axi_cpu_awcache(m_axi_cpu_awcache),
    .m_axi_cpu_awprot(m_axi_cpu_awprot),
    .m_axi_cpu_awvalid(m_axi_cpu_awvalid),
    .m_axi_cpu_awready(m_axi_cpu_awready),
    .m_axi_cpu_wdata(m_axi_cpu_wdata),
    .m_axi_cpu_wstrb(m_axi_cpu_wstrb),
    .m_axi_cpu_wlast(m_axi_cpu_wlast),
    .m_axi_cpu_wvalid(m_axi_cpu_wvalid),
    .m_axi_cpu_wready(m_axi_cpu_wready),
    .m_axi_cpu_bid(m_axi_cpu_bid),
    .m_axi_cpu_bresp(m_axi_cpu_bresp),
    .m_axi_cpu_bvalid(m_axi_cpu_bvalid),
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
    .m_axi_cpu_arready(m_axi_cpu_arready),
    .m_axi_cpu_rid(m_axi_cpu_rid),
    .m_axi_cpu_rdata(m_axi_cpu_rdata),
    .m_axi_cpu_rresp(m_axi_cpu_rresp),
    .m_axi_cpu_rlast(m_axi_cpu_rlast),
    .m_axi_cpu_rvalid(m_axi_cpu_rvalid),
    .m_axi_cpu_rready(m_axi_cpu_rready),
    .hide_mod_valid(hide_mod_valid),
    .hide_mod_addr(hide_mod_addr),
    .chk_axi_error_valid(chk_axi_error_valid),
    .chk_axi_error_rule(chk_axi_error_rule),
    .chk_axi_error_cycle(chk_axi_error_cycle),
    .chk_axi_error_count(chk_axi_error_count),
    .chk_axi_error_mask(chk_axi_error_mask),
    .chk_axil_error_valid(chk_axil_error_valid),
    .chk_axil_error_rule(chk_axil_error_rule),
    .chk_axil_error_cycle(chk_axil_error_cycle),
    .chk_axil_error_count(chk_axil_error_count),
    .chk_axil_error_mask(chk_axil_error_mask),
    .chk_mm2s_error_valid(chk_mm2s_error_valid),
    .chk_mm2s_error_rule(chk_mm2s_error_rule),
    .chk_mm2s_error_cycle(chk_mm2s_error_cycle),
    .chk_mm2s_error_count(chk_mm2s_error_count),
    .chk_mm2s_error_mask(chk_mm2s_error_mask),
    .chk_s2mm_error_valid(chk_s2mm_error_valid),
    .chk_s2mm_error_rule(chk_s2mm_error_rule),
    .chk_s2mm_error_cycle(chk_s2mm_error_cycle),
    .chk_s2mm_error_count(chk_s2mm_error_count),
    .chk_s2mm_error_mask(chk_s2mm_error_mask),
    .chk_cpu_error_valid(chk_cpu_error_valid),
    .chk_cpu_error_rule(chk_cpu_error_rule),
    .chk_cpu_error_cycle(chk_cpu_error_cycle),
    .chk_cpu_error_count(chk_cpu_error_count),
    .chk_cpu_error_mask(chk_cpu_error_mask),
    .cycle(cycle)
);
// ---- end of the generated sgdma_tb instance ----

tb_axi_mem #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
             .SETS_LOG2(MEM_SETS_LOG2), .WAYS(MEM_WAYS), .PORT(0)) mem (
    .clk(clk), .rst(rst),
    .s_axi_awid(m_axi_awid), .s_axi_awaddr(m_axi_awaddr), .s_axi_awlen(m_axi_awlen),
    .s_axi_awsize(m_axi_awsize), .s_axi_awburst(m_axi_awburst), .s_axi_awvalid(m_axi_awvalid), .s_axi_awready(m_axi_awready),
    .s_axi_wdata(m_axi_wdata), .s_axi_wstrb(m_axi_wstrb), .s_axi_wlast(m_axi_wlast),
    .s_axi_wvalid(m_axi_wvalid), .s_axi_wready(m_axi_wready),
    .s_axi_bid(m_axi_bid), .s_axi_bresp(m_axi_bresp), .s_axi_bvalid(m_axi_bvalid), .s_axi_bready(m_axi_bready),
    .s_axi_arid(m_axi_arid), .s_axi_araddr(m_axi_araddr), .s_axi_arlen(m_axi_arlen),
    .s_axi_arsize(m_axi_arsize), .s_axi_arburst(m_axi_arburst), .s_axi_arvalid(m_axi_arvalid), .s_axi_arready(m_axi_arready),
    .s_axi_rid(m_axi_rid), .s_axi_rdata(m_axi_rdata), .s_axi_rresp(m_axi_rresp), .s_axi_rlast(m_axi_rlast),
    .s_axi_rvalid(m_axi_rvalid), .s_axi_rready(m_axi_rready),
    .token(tb_token), .cmd(tb_cmd[3:0]), .seed(tb_seed), .pause(tb_mem_pause), .latency(tb_mem_latency),
    .err_base(tb_mem_err_base), .err_end(tb_mem_err_end), .err_resp(tb_mem_err_resp), .err_on(tb_mem_err_on),
    .viol_count(), .viol_addr(), .viol_cycle(), .viol_kind(), .cycle()
);

generate if (SG_PORT != 0) begin : g_sg_mem
tb_axi_mem #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
             .SETS_LOG2(MEM_SETS_LOG2), .WAYS(MEM_WAYS), .PORT(1)) sg_mem (
    .clk(clk), .rst(rst),
    .s_axi_awid(m_axi_sg_awid), .s_axi_awaddr(m_axi_sg_awaddr), .s_axi_awlen(m_axi_sg_awlen),
    .s_axi_awsize(m_axi_sg_awsize), .s_axi_awburst(m_axi_sg_awburst), .s_axi_awvalid(m_axi_sg_awvalid), .s_axi_awready(m_axi_sg_awready),
    .s_axi_wdata(m_axi_sg_wdata), .s_axi_wstrb(m_axi_sg_wstrb), .s_axi_wlast(m_axi_sg_wlast),
    .s_axi_wvalid(m_axi_sg_wvalid), .s_axi_wready(m_axi_sg_wready),
    .s_axi_bid(m_axi_sg_bid), .s_axi_bresp(m_axi_sg_bresp), .s_axi_bvalid(m_axi_sg_bvalid),
    .s_axi_bready(m_axi_sg_bready),
    .s_axi_arid(m_axi_sg_arid), .s_axi_araddr(m_axi_sg_araddr), .s_axi_arlen(m_axi_sg_arlen),
    .s_axi_arsize(m_axi_sg_arsize), .s_axi_arburst(m_axi_sg_arburst), .s_axi_arvalid(m_axi_sg_arvalid), .s_axi_arready(m_axi_sg_arready),
    .s_axi_rid(m_axi_sg_rid), .s_axi_rdata(m_axi_sg_rdata), .s_axi_rresp(m_axi_sg_rresp),
    .s_axi_rlast(m_axi_sg_rlast), .s_axi_rvalid(m_axi_sg_rvalid), .s_axi_rready(m_axi_sg_rready),
    .token(tb_token), .cmd(tb_cmd[7:4]), .seed(tb_seed ^ 32'h5A5A_0001), .pause(tb_mem_pause),
    .latency(tb_mem_latency),
    .err_base(tb_mem_err_base), .err_end(tb_mem_err_end), .err_resp(tb_mem_err_resp), .err_on(tb_mem_err_on),
    .viol_count(), .viol_addr(), .viol_cycle(), .viol_kind(), .cycle()
);
// descriptor fetches and status write-backs, for the picture of tb/bus_plot.py (not checked beat by
// beat: the scoreboards check what the engines fetched through the data they move)
tb_beat_trace #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
                .USER_WIDTH(USER_WIDTH), .PORT(1)) sg_trace (
    .clk(clk), .rst(rst), .token(tb_token), .cmd(tb_cmd[11:10]), .cycle(cycle),
    .awid(m_axi_sg_awid), .awaddr(m_axi_sg_awaddr), .awlen(m_axi_sg_awlen), .awsize(m_axi_sg_awsize),
    .awburst(m_axi_sg_awburst), .awvalid(m_axi_sg_awvalid), .awready(m_axi_sg_awready),
    .wdata(m_axi_sg_wdata), .wstrb(m_axi_sg_wstrb), .wlast(m_axi_sg_wlast), .wvalid(m_axi_sg_wvalid),
    .wready(m_axi_sg_wready),
    .bid(m_axi_sg_bid), .bresp(m_axi_sg_bresp), .bvalid(m_axi_sg_bvalid), .bready(m_axi_sg_bready),
    .arid(m_axi_sg_arid), .araddr(m_axi_sg_araddr), .arlen(m_axi_sg_arlen), .arsize(m_axi_sg_arsize),
    .arburst(m_axi_sg_arburst), .arvalid(m_axi_sg_arvalid), .arready(m_axi_sg_arready),
    .rid(m_axi_sg_rid), .rdata(m_axi_sg_rdata), .rresp(m_axi_sg_rresp), .rlast(m_axi_sg_rlast),
    .rvalid(m_axi_sg_rvalid), .rready(m_axi_sg_rready),
    .mm2s_tdata({DATA_WIDTH{1'b0}}), .mm2s_tkeep({(DATA_WIDTH/8){1'b0}}), .mm2s_tlast(1'b0),
    .mm2s_tuser({USER_WIDTH{1'b0}}), .mm2s_tvalid(1'b0), .mm2s_tready(1'b0),
    .s2mm_tdata({DATA_WIDTH{1'b0}}), .s2mm_tkeep({(DATA_WIDTH/8){1'b0}}), .s2mm_tlast(1'b0),
    .s2mm_tvalid(1'b0), .s2mm_tready(1'b0));
end else begin : g_no_sg_mem
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_sg_cmd = |tb_cmd[7:4];
    /* verilator lint_on UNUSEDSIGNAL */
    assign m_axi_sg_awready = 1'b0;
    assign m_axi_sg_wready  = 1'b0;
    assign m_axi_sg_bid     = {ID_WIDTH{1'b0}};
    assign m_axi_sg_bresp   = 2'b00;
    assign m_axi_sg_bvalid  = 1'b0;
    assign m_axi_sg_arready = 1'b0;
    assign m_axi_sg_rid     = {ID_WIDTH{1'b0}};
    assign m_axi_sg_rdata   = {DATA_WIDTH{1'b0}};
    assign m_axi_sg_rresp   = 2'b00;
    assign m_axi_sg_rlast   = 1'b0;
    assign m_axi_sg_rvalid  = 1'b0;
end endgenerate

tb_axis_sink disk_sink (
    .clk(clk), .rst(rst), .s_axis_tvalid(m_axis_tvalid), .s_axis_tready(m_axis_tready),
    .s_axis_tlast(m_axis_tlast), .seed(tb_seed ^ 32'h5A5A_0002), .pause(tb_axis_pause), .packets()
);

tb_axis_source #(.DATA_WIDTH(DATA_WIDTH), .DEPTH_LOG2(SRC_DEPTH_LOG2)) disk_source (
    .clk(clk), .rst(rst),
    .m_axis_tdata(s_axis_tdata), .m_axis_tkeep(s_axis_tkeep), .m_axis_tlast(s_axis_tlast),
    .m_axis_tvalid(s_axis_tvalid), .m_axis_tready(s_axis_tready),
    .token(tb_token), .cmd(tb_cmd[9:8]), .tail(tb_src_tail), .seed(tb_seed ^ 32'h5A5A_0003),
    .pause(tb_axis_pause), .head()
);

tb_beat_trace #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH), .ID_WIDTH(ID_WIDTH),
                .USER_WIDTH(USER_WIDTH)) trace (
    .clk(clk), .rst(rst), .token(tb_token), .cmd(tb_cmd[11:10]), .cycle(cycle),
    .awid(m_axi_awid), .awaddr(m_axi_awaddr), .awlen(m_axi_awlen), .awsize(m_axi_awsize),
    .awburst(m_axi_awburst), .awvalid(m_axi_awvalid), .awready(m_axi_awready),
    .wdata(m_axi_wdata), .wstrb(m_axi_wstrb), .wlast(m_axi_wlast), .wvalid(m_axi_wvalid), .wready(m_axi_wready),
    .bid(m_axi_bid), .bresp(m_axi_bresp), .bvalid(m_axi_bvalid), .bready(m_axi_bready),
    .arid(m_axi_arid), .araddr(m_axi_araddr), .arlen(m_axi_arlen), .arsize(m_axi_arsize),
    .arburst(m_axi_arburst), .arvalid(m_axi_arvalid), .arready(m_axi_arready),
    .rid(m_axi_rid), .rdata(m_axi_rdata), .rresp(m_axi_rresp), .rlast(m_axi_rlast), .rvalid(m_axi_rvalid),
    .rready(m_axi_rready),
    .mm2s_tdata(m_axis_tdata), .mm2s_tkeep(m_axis_tkeep), .mm2s_tlast(m_axis_tlast), .mm2s_tuser(m_axis_tuser),
    .mm2s_tvalid(m_axis_tvalid), .mm2s_tready(m_axis_tready),
    .s2mm_tdata(s_axis_tdata), .s2mm_tkeep(s_axis_tkeep), .s2mm_tlast(s_axis_tlast),
    .s2mm_tvalid(s_axis_tvalid), .s2mm_tready(s_axis_tready));

/* verilator lint_on PINCONNECTEMPTY */

endmodule

`resetall
