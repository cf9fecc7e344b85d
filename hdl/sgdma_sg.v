// sgdma_sg: one channel's scatter/gather descriptor engine (instantiated for MM2S and for S2MM).
//
// Fetches 32-byte descriptors (ARID = AXI_ID) from the chain CURDESC..TAILDESC into a descriptor
// queue while data moves (prefetch), checks every hardware limit, releases a packet's commands to the
// data mover only once the whole packet (SOF..EOF) is fetched and checked, and writes each
// descriptor's STATUS word back (one 4-byte write at desc+0x1C, AWID = AXI_ID) after the mover's
// status, in order.
// Prefetch: up to DESC_PREFETCH fetch bursts in flight. The first descriptor after the last one
// parsed is known to be in the chain; the engine also fetches ahead speculatively, predicting that
// the chain keeps the stride of the last descriptor parsed (NEXT - its address, 32 at the start):
// with stride 32 up to DESC_BURST contiguous descriptors in one burst (never crossing 4 KiB), with
// another stride (below 64 KiB) one descriptor per burst. A speculative address is never above
// TAILDESC (linearly), so nothing past the tail is read; a chain that wraps below its current
// address is fetched one descriptor at a time, as without prefetch. Responses come back in order (one ID). A descriptor is used only if the chain
// reaches it: when a parsed descriptor's NEXT is not the next address fetched, or it is the tail, or it
// fails a check, every descriptor still in flight is marked stale (an epoch bit) and dropped on arrival
// (its content and response ignored), and fetching resumes at NEXT. So what is written back, refused
// or reported is exactly what a one-at-a-time walk of the chain gives. Errors halt the channel: fetch-side errors (limits, stale, descriptor read
// errors) let the packets released before them finish, then write the offending descriptor's STATUS
// and halt; data and write-back errors, RS=0 and soft reset abort the mover and drain.
// Halting rule: from the cycle RS=0 or CR.RESET is seen (before stop_q registers it) nothing new
// starts: no fetch, no command, no status taken (a status on offer is discarded), no write-back;
// what is already on the bus completes (VALID held to its handshake), then the channel halts. Once
// halted the engine takes no status, so no write-back can start after HALTED or under a soft reset.
// AXI IDs: one per engine (AXI_ID) for both its descriptor reads and its STATUS writes (up to
// DESC_PREFETCH reads and WB_OUTSTANDING writes in flight), so responses of this ID come back in
// order by the AXI same-ID rule.
//
// Queue: a ring of QUEUE_DEPTH entries with three pointers: wr (fetched), cmd (released to the mover),
// ret (status received). The slot index is the command tag.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module sgdma_sg #(
    parameter integer DATA_WIDTH  = 64,  // AXI data width: 32, 64 or 128
    parameter integer ADDR_WIDTH  = 64,  // AXI address width, 32..64
    parameter integer ID_WIDTH    = 4,   // AXI ID width
    parameter integer AXI_ID      = 1,   // ID of this engine's descriptor reads and status writes
    parameter integer LEN_WIDTH   = 24,  // usable bits of LENGTH (<= 24)
    parameter integer USER_WIDTH  = 32,  // USER word width passed with the command
    parameter integer SGL_MAX     = 16,  // maximum descriptors per packet
    parameter integer SEG_LOG2    = 32,  // no buffer may cross a multiple of 2**SEG_LOG2 (>= 64: no limit)
    parameter integer ALIGN_LOG2  = 0,   // buffer addresses must be multiples of 2**ALIGN_LOG2
    parameter integer S2MM        = 0,   // 1: write back RXSOF/RXEOF from the mover status
    parameter integer TAG_WIDTH   = 5,   // log2 of the descriptor queue depth
    parameter integer QUEUE_DEPTH = 32,  // descriptor queue entries (2**TAG_WIDTH, >= 2*SGL_MAX)
    parameter integer DESC_PREFETCH = 1, // descriptor fetch bursts in flight, 1..8
    parameter integer DESC_BURST  = 1,   // descriptors per fetch burst, 1..16 (<= QUEUE_DEPTH)
    parameter integer WB_OUTSTANDING = 1 // STATUS writes in flight (AW issued, B not yet received), 1..16
) (
    input  wire                     clk,
    input  wire                     rst,

    // control from the channel registers (sgdma_sg_csr)
    input  wire                     ctl_run,         // CR.RS
    input  wire                     ctl_reset_req,   // CR.RESET (held until srst)
    input  wire                     ctl_curdesc_wr,  // CURDESC written (value below is the new one)
    input  wire [63:0]              ctl_curdesc,
    input  wire                     ctl_tail_wr,     // TAILDESC_LO written
    input  wire [63:0]              ctl_tail,

    // state towards the channel registers
    output wire                     halted,
    output wire                     idle,
    output wire                     busy,
    output reg                      srst,            // soft reset complete: clears channel state
    output reg                      err_valid,       // an error event (registers keep the first)
    output reg  [3:0]               err_code,
    output reg  [63:0]              err_desc,
    output wire [63:0]              cur_desc,
    output reg                      done_valid,      // a descriptor completed (after its write-back B)
    output reg                      done_ioc,

    // data mover control
    output wire                     mover_abort,
    input  wire                     mover_idle,
    output wire                     mover_rst,

    // command to the data mover
    output wire                     m_cmd_valid,
    input  wire                     m_cmd_ready,
    output wire [ADDR_WIDTH-1:0]    m_cmd_addr,
    output wire [LEN_WIDTH-1:0]     m_cmd_len,
    output wire                     m_cmd_sof,
    output wire                     m_cmd_eof,
    output wire [USER_WIDTH-1:0]    m_cmd_user,
    output wire [1:0]               m_cmd_cache,
    output wire [TAG_WIDTH-1:0]     m_cmd_tag,

    // status from the data mover
    input  wire                     s_sts_valid,
    output wire                     s_sts_ready,
    input  wire [TAG_WIDTH-1:0]     s_sts_tag,
    input  wire [LEN_WIDTH-1:0]     s_sts_len,
    input  wire [3:0]               s_sts_error,
    input  wire                     s_sts_sof,
    input  wire                     s_sts_eof,

    // AXI4 read (descriptor fetch)
    output wire [ID_WIDTH-1:0]      m_axi_arid,
    output wire [ADDR_WIDTH-1:0]    m_axi_araddr,
    output wire [7:0]               m_axi_arlen,
    output wire [2:0]               m_axi_arsize,
    output wire [1:0]               m_axi_arburst,
    output wire                     m_axi_arlock,
    output wire [3:0]               m_axi_arcache,
    output wire [2:0]               m_axi_arprot,
    output wire                     m_axi_arvalid,
    input  wire                     m_axi_arready,
    input  wire [ID_WIDTH-1:0]      m_axi_rid,       // checked only (the arbiter routes by RID)
    input  wire [DATA_WIDTH-1:0]    m_axi_rdata,
    input  wire [1:0]               m_axi_rresp,
    input  wire                     m_axi_rlast,
    input  wire                     m_axi_rvalid,
    output wire                     m_axi_rready,

    // AXI4 write (status write-back)
    output wire [ID_WIDTH-1:0]      m_axi_awid,
    output wire [ADDR_WIDTH-1:0]    m_axi_awaddr,
    output wire [7:0]               m_axi_awlen,
    output wire [2:0]               m_axi_awsize,
    output wire [1:0]               m_axi_awburst,
    output wire                     m_axi_awlock,
    output wire [3:0]               m_axi_awcache,
    output wire [2:0]               m_axi_awprot,
    output wire                     m_axi_awvalid,
    input  wire                     m_axi_awready,
    output wire [DATA_WIDTH-1:0]    m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]  m_axi_wstrb,
    output wire                     m_axi_wlast,
    output wire                     m_axi_wvalid,
    input  wire                     m_axi_wready,
    input  wire [ID_WIDTH-1:0]      m_axi_bid,       // checked only (the arbiter routes by BID)
    input  wire [1:0]               m_axi_bresp,
    input  wire                     m_axi_bvalid,
    output wire                     m_axi_bready
);

localparam integer STRB_WIDTH  = DATA_WIDTH / 8;
localparam integer BYTE_LSBS   = $clog2(STRB_WIDTH);
localparam integer DESC_BITS   = `SGDMA_DESC_FETCH_BYTES * 8;
localparam integer DESC_BEATS  = `SGDMA_DESC_FETCH_BYTES / STRB_WIDTH;
localparam integer BEAT_W      = (DESC_BEATS > 1) ? $clog2(DESC_BEATS) : 1;
localparam integer DESC_LSBS   = $clog2(`SGDMA_DESC_ALIGN);
localparam integer PKT_W       = $clog2(SGL_MAX + 1);
localparam [1:0]   RESP_OKAY   = 2'b00;
localparam [STRB_WIDTH-1:0] WSTRB_WORD = {{(STRB_WIDTH/4-1){4'h0}}, 4'hF};  // one 32-bit word at lane 0
localparam integer LAST_BEAT_I = DESC_BEATS - 1;
localparam [BEAT_W-1:0] LAST_BEAT = LAST_BEAT_I[BEAT_W-1:0];
localparam [TAG_WIDTH:0] QUEUE_DEPTH_P = QUEUE_DEPTH[TAG_WIDTH:0];
localparam [1:0]   RESP_SLVERR = 2'b10;
// prefetch: burst FIFO (one entry per fetch burst in flight) and counters
localparam integer BURST_W     = $clog2(DESC_BURST + 1);           // 0..DESC_BURST descriptors
localparam integer BF_W        = (DESC_PREFETCH > 1) ? $clog2(DESC_PREFETCH) : 1;
localparam integer BF_CNT_W    = $clog2(DESC_PREFETCH + 1);
localparam integer INFL_W      = $clog2(DESC_PREFETCH * DESC_BURST + 1);
localparam integer SPACE_W     = (TAG_WIDTH + 2 > INFL_W + 1) ? TAG_WIDTH + 2 : INFL_W + 1;  // queue space
localparam [BURST_W-1:0] DESC_BURST_P = DESC_BURST[BURST_W-1:0];
localparam [BF_CNT_W-1:0] DESC_PREFETCH_P = DESC_PREFETCH[BF_CNT_W-1:0];
localparam integer BF_LAST_I   = DESC_PREFETCH - 1;
localparam [BF_W-1:0] BF_LAST  = BF_LAST_I[BF_W-1:0];
// write-back FIFO (one entry per STATUS write in flight)
localparam integer STRIDE_W    = 16;                               // predicted strides below 64 KiB
localparam integer WB_W        = (WB_OUTSTANDING > 1) ? $clog2(WB_OUTSTANDING) : 1;
localparam integer WB_CNT_W    = $clog2(WB_OUTSTANDING + 1);
localparam [WB_CNT_W-1:0] WB_OUTSTANDING_P = WB_OUTSTANDING[WB_CNT_W-1:0];
localparam integer WB_LAST_I   = WB_OUTSTANDING - 1;
localparam [WB_W-1:0] WB_LAST  = WB_LAST_I[WB_W-1:0];

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128)
        $fatal(1, "sgdma_sg: DATA_WIDTH (%0d) must be 32, 64 or 128", DATA_WIDTH);
    if (ADDR_WIDTH < 32 || ADDR_WIDTH > 64)
        $fatal(1, "sgdma_sg: ADDR_WIDTH (%0d) must be 32..64", ADDR_WIDTH);
    if (LEN_WIDTH < 1 || LEN_WIDTH > 24)
        $fatal(1, "sgdma_sg: LEN_WIDTH (%0d) must be 1..24", LEN_WIDTH);
    if (ID_WIDTH < 2 || AXI_ID >= (1 << ID_WIDTH))
        $fatal(1, "sgdma_sg: AXI_ID (%0d) does not fit ID_WIDTH (%0d)", AXI_ID, ID_WIDTH);
    if (SGL_MAX < 1)
        $fatal(1, "sgdma_sg: SGL_MAX (%0d) must be >= 1", SGL_MAX);
    if (QUEUE_DEPTH != (1 << TAG_WIDTH) || QUEUE_DEPTH < 2 * SGL_MAX)
        $fatal(1, "sgdma_sg: QUEUE_DEPTH (%0d) must be 2**TAG_WIDTH and >= 2*SGL_MAX", QUEUE_DEPTH);
    if (ALIGN_LOG2 < 0 || ALIGN_LOG2 > 12 || SEG_LOG2 < 1)
        $fatal(1, "sgdma_sg: ALIGN_LOG2 (%0d) must be 0..12 and SEG_LOG2 (%0d) >= 1", ALIGN_LOG2, SEG_LOG2);
    if (DESC_PREFETCH < 1 || DESC_PREFETCH > 8)
        $fatal(1, "sgdma_sg: DESC_PREFETCH (%0d) must be 1..8", DESC_PREFETCH);
    if (DESC_BURST < 1 || DESC_BURST > 16 || DESC_BURST > QUEUE_DEPTH)
        $fatal(1, "sgdma_sg: DESC_BURST (%0d) must be 1..16 and <= QUEUE_DEPTH", DESC_BURST);
    if (WB_OUTSTANDING < 1 || WB_OUTSTANDING > 16)
        $fatal(1, "sgdma_sg: WB_OUTSTANDING (%0d) must be 1..16", WB_OUTSTANDING);
end

// ---------------------------------------------------------------------------------------------
// run state
reg         halted_q;        // channel stopped
reg         stop_q;          // abort in progress: mover aborted, nothing new issued, draining
reg         ferr_q;          // fetch-side error: no more fetches, released packets finish
reg         ferr_wb_q;       // the offending descriptor's STATUS is still to be written
reg  [63:0] ferr_wb_desc_q;
reg  [31:0] ferr_wb_word_q;
reg         err_latched_q;   // an error happened: no restart before a soft reset
reg         reset_pend_q;    // soft reset requested, draining first
reg         halt_pulse_q;    // one-cycle mover reset when the channel halts after a drain

// fetch issue
reg  [63:0] iss_addr_q;      // next descriptor address to request
reg         fetch_en_q;      // the chain has descriptors not yet fetched (tail not reached)
reg  [63:0] tail_q;
reg         stop_valid_q;    // fetching stopped at the tail stop_addr_q
reg  [63:0] stop_addr_q;
reg         ar_valid_q;
reg  [ADDR_WIDTH-1:0] ar_addr_q;
reg  [7:0]  ar_len_q;
reg         epoch_q;         // bursts issued under another epoch are stale: dropped on arrival
reg  [INFL_W-1:0] cur_out_q; // descriptors of this epoch in flight (chain or speculative)
reg  [INFL_W-1:0] infl_q;    // descriptors in flight, any epoch (queue space reserved for them)
reg  [STRIDE_W-1:0] stride_q; // predicted NEXT - address of the chain (valid when stride_ok_q)
reg         stride_ok_q;
// burst FIFO: address, descriptor count and epoch of each fetch burst in flight, in issue order
reg  [ADDR_WIDTH-1:0] bf_addr  [0:DESC_PREFETCH-1];
reg  [BURST_W-1:0]    bf_n     [0:DESC_PREFETCH-1];
reg                   bf_epoch [0:DESC_PREFETCH-1];
reg  [63:0]           bf_next  [0:DESC_PREFETCH-1];   // next address requested after this burst
reg  [BF_W-1:0]       bf_wr_q, bf_rd_q;
reg  [BF_CNT_W-1:0]   bf_cnt_q;
// fetch response
reg  [BURST_W-1:0] p_idx_q;  // descriptor of the head burst being received
reg  [BEAT_W-1:0]  beat_q;   // beat of that descriptor
reg  [DESC_BITS-DATA_WIDTH-1:0] desc_q;  // the beats before the last (DESC_BEATS >= 2)
reg  [1:0]  rerr_q;          // first non-OKAY response of this descriptor
reg  [PKT_W-1:0] pkt_cnt_q;  // descriptors of the open packet already queued

// queue
reg  [TAG_WIDTH:0] wr_ptr_q, cmd_ptr_q, ret_ptr_q;
reg  [TAG_WIDTH:0] eof_avail_q;  // EOF entries fetched but not yet released: complete packets waiting
reg  [ADDR_WIDTH-1:0] q_desc [0:QUEUE_DEPTH-1];
reg  [ADDR_WIDTH-1:0] q_addr [0:QUEUE_DEPTH-1];
reg  [LEN_WIDTH-1:0]  q_len  [0:QUEUE_DEPTH-1];
reg  [4:0]            q_flag [0:QUEUE_DEPTH-1];  // {cache[1:0], ioc, eof, sof}
reg  [USER_WIDTH-1:0] q_user [0:QUEUE_DEPTH-1];

// write-back: one AW/W pair offered at a time, up to WB_OUTSTANDING awaiting B (FIFO in order)
reg         aw_valid_q, w_valid_q;
reg  [ADDR_WIDTH-1:0] wb_addr_q;
reg  [31:0] wb_word_q;
reg  [WB_CNT_W-1:0] wb_cnt_q;   // writes started (AW offered or accepted) whose B has not arrived
reg  [63:0] wbf_desc   [0:WB_OUTSTANDING-1];
reg         wbf_retire [0:WB_OUTSTANDING-1];   // a normal completion (count it after B)
reg         wbf_ioc    [0:WB_OUTSTANDING-1];
reg  [WB_W-1:0] wbf_wr_q, wbf_rd_q;
reg  [63:0] cur_desc_q;

wire [TAG_WIDTH-1:0] wr_slot  = wr_ptr_q[TAG_WIDTH-1:0];
wire [TAG_WIDTH-1:0] cmd_slot = cmd_ptr_q[TAG_WIDTH-1:0];
wire [TAG_WIDTH-1:0] ret_slot = ret_ptr_q[TAG_WIDTH-1:0];
wire [TAG_WIDTH:0]   q_count  = wr_ptr_q - ret_ptr_q;

// widen an address to 64 bits (register width)
function automatic [63:0] to64(input [ADDR_WIDTH-1:0] a);
    reg [63:0] r;
    begin
        r = 64'd0;
        r[ADDR_WIDTH-1:0] = a;
        to64 = r;
    end
endfunction
wire [63:0] ret_desc64 = to64(q_desc[ret_slot]);

wire running       = !halted_q;
wire halt_req      = !ctl_run || ctl_reset_req;   // RS=0 or soft reset: halting begins this cycle
wire stopping      = stop_q || halt_req;           // (with running) nothing new may start
wire fetch_allowed = running && !stopping && !ferr_q;

// ---------------------------------------------------------------------------------------------
// tail write: a misaligned or out-of-range tail is refused (DESC_ALIGN)
function automatic desc_ptr_bad(input [63:0] p);
    reg bad;
    begin
        bad = (p[DESC_LSBS-1:0] != 0);
        if (ADDR_WIDTH < 64) bad = bad || ((p >> ADDR_WIDTH) != 0);
        desc_ptr_bad = bad;
    end
endfunction

wire tail_bad   = ctl_tail_wr && desc_ptr_bad(ctl_tail);
wire tail_start = ctl_tail_wr && !tail_bad && !(stop_valid_q && ctl_tail == stop_addr_q);
wire [63:0] tail_eff = ctl_tail_wr ? ctl_tail : tail_q;

// ---------------------------------------------------------------------------------------------
// fetch response: the head burst of the FIFO; a descriptor is parsed on its last beat
wire r_beat = m_axi_rvalid;
wire r_last_beat = r_beat && (beat_q == LAST_BEAT);          // last beat of one descriptor
wire [BURST_W-1:0] head_n = bf_n[bf_rd_q];
wire r_burst_end = r_last_beat && (p_idx_q == head_n - 1'b1);
wire p_current = (bf_epoch[bf_rd_q] == epoch_q);              // not made stale by a resync
wire [63:0] p_addr = to64(bf_addr[bf_rd_q]) + ({{(64-BURST_W){1'b0}}, p_idx_q} << DESC_LSBS);
wire [DESC_BITS-1:0] desc_full = {m_axi_rdata, desc_q};

wire [63:0] d_next = {desc_full[`SGDMA_DESC_NEXT_HI_OFFSET*8 +: 32], desc_full[`SGDMA_DESC_NEXT_LO_OFFSET*8 +: 32]};
wire [63:0] d_addr = {desc_full[`SGDMA_DESC_ADDR_HI_OFFSET*8 +: 32], desc_full[`SGDMA_DESC_ADDR_LO_OFFSET*8 +: 32]};
wire [31:0] d_len  = desc_full[`SGDMA_DESC_LENGTH_OFFSET*8 +: 32];
wire [31:0] d_ctrl = desc_full[`SGDMA_DESC_CONTROL_OFFSET*8 +: 32];
wire [31:0] d_user = desc_full[`SGDMA_DESC_USER_OFFSET*8 +: 32];
wire [31:0] d_sts  = desc_full[`SGDMA_DESC_STATUS_OFFSET*8 +: 32];
wire d_sof = d_ctrl[`SGDMA_CTRL_SOF_LSB];
wire d_eof = d_ctrl[`SGDMA_CTRL_EOF_LSB];
wire d_ioc = d_ctrl[`SGDMA_CTRL_IOC_LSB];
wire [1:0] d_cache = d_ctrl[`SGDMA_CTRL_CACHE_LSB +: 2];
wire [1:0] r_err_any = (rerr_q != RESP_OKAY) ? rerr_q : m_axi_rresp;

// limits, in 65-bit arithmetic so that a buffer ending past 2**64 is caught too
wire [64:0] d_last = {1'b0, d_addr} + {33'd0, d_len} - 65'd1;
wire lim_zero    = (d_len == 0);
wire lim_len     = (LEN_WIDTH < 32) && ((d_len >> LEN_WIDTH) != 0);
wire lim_align   = (ALIGN_LOG2 > 0) && ((d_addr & ((64'd1 << ALIGN_LOG2) - 64'd1)) != 0);
wire lim_range   = (d_last[64]) || ((ADDR_WIDTH < 64) && (((d_addr >> ADDR_WIDTH) != 0) ||
                                                          ((d_last[63:0] >> ADDR_WIDTH) != 0)));
wire lim_seg     = (SEG_LOG2 < 64) && ((d_addr >> SEG_LOG2) != (d_last[63:0] >> SEG_LOG2));
wire lim_sgl     = (pkt_cnt_q == SGL_MAX[PKT_W-1:0]);

reg [3:0] parse_err;
always @* begin
    if (r_err_any == RESP_SLVERR)               parse_err = `SGDMA_ERR_DESC_SLVERR;
    else if (r_err_any != RESP_OKAY)            parse_err = `SGDMA_ERR_DESC_DECERR;
    else if (d_sts[`SGDMA_STS_CMPLT_LSB])       parse_err = `SGDMA_ERR_STALE;
    else if (lim_zero)                          parse_err = `SGDMA_ERR_ZERO_LEN;
    else if (lim_len)                           parse_err = `SGDMA_ERR_LEN_RANGE;
    else if (lim_align)                         parse_err = `SGDMA_ERR_MISALIGN;
    else if (lim_range)                         parse_err = `SGDMA_ERR_ADDR_RANGE;
    else if (lim_seg)                           parse_err = `SGDMA_ERR_SEG_CROSS;
    else if (lim_sgl)                           parse_err = `SGDMA_ERR_SGL_OVER;
    else                                        parse_err = `SGDMA_ERR_NONE;
end
// limit errors are written back to the descriptor; fetch errors and STALE are not (the descriptor
// could not be read, or it belongs to software)
wire parse_err_wb = (parse_err >= `SGDMA_ERR_ZERO_LEN) && (parse_err <= `SGDMA_ERR_SGL_OVER);
// a descriptor of the chain (stale ones and everything after an abort are dropped unread)
wire parse_live   = r_last_beat && !stop_q && p_current;
wire parse_push   = parse_live && (parse_err == `SGDMA_ERR_NONE);
wire parse_at_tail = (p_addr == tail_eff);
// the address requested right after this descriptor (in its burst, or the next burst's start)
wire [63:0] p_follow = (p_idx_q != head_n - 1'b1) ? p_addr + `SGDMA_DESC_BYTES : bf_next[bf_rd_q];
// resync: what is in flight behind this descriptor is not the chain (NEXT elsewhere), is past the
// tail, or follows an error: mark it stale and fetch from NEXT
wire resync = parse_live && ((parse_err != `SGDMA_ERR_NONE) || parse_at_tail || (d_next != p_follow));
wire [63:0] d_stride = d_next - p_addr;   // chain stride seen at this descriptor
wire tail_bad_run = tail_bad && running;   // fetch-side error: what is in flight is dropped too

// ---------------------------------------------------------------------------------------------
// fetch issue. The first descriptor after those in flight of this epoch is in the chain (the tail is
// not reached: fetch_en_q); the ones after it are speculative and requested only up to the tail.
wire iss_spec   = (cur_out_q != 0);
wire stride32   = stride_ok_q && (stride_q == `SGDMA_DESC_BYTES);
wire tail_ahead = (tail_eff >= iss_addr_q);
wire [63:0] tail_dist = (tail_eff - iss_addr_q) >> DESC_LSBS;   // descriptors after iss_addr_q
wire [BURST_W-1:0] n_tail = !tail_ahead ? (iss_spec ? {BURST_W{1'b0}} : {{(BURST_W-1){1'b0}}, 1'b1}) :
                            (tail_dist >= {{(64-BURST_W){1'b0}}, DESC_BURST_P}) ? DESC_BURST_P :
                            tail_dist[BURST_W-1:0] + 1'b1;
// descriptors left before the next 4 KiB boundary (an AXI burst never crosses it)
wire [12:0] to_4k = 13'd4096 - {1'b0, iss_addr_q[11:0]};
wire [12-DESC_LSBS:0] n_4k = to_4k[12:DESC_LSBS];
// queue space not yet reserved (queue entries plus descriptors in flight)
wire [SPACE_W-1:0] q_space = {{(SPACE_W-TAG_WIDTH-1){1'b0}}, QUEUE_DEPTH_P} -
                             {{(SPACE_W-TAG_WIDTH-1){1'b0}}, q_count} - {{(SPACE_W-INFL_W){1'b0}}, infl_q};
reg  [BURST_W-1:0] iss_n;
always @* begin
    iss_n = n_tail;
    if (!stride32 && iss_n != 0) iss_n = 1;                // one descriptor per burst off stride 32
    if (iss_spec && !stride_ok_q) iss_n = 0;               // no prediction: wait for the chain
    if ({{(13-DESC_LSBS){1'b0}}, iss_n} > {{(BURST_W){1'b0}}, n_4k})
        iss_n = n_4k[BURST_W-1:0];
    if ({{(SPACE_W){1'b0}}, iss_n} > {{(BURST_W){1'b0}}, q_space})
        iss_n = q_space[BURST_W-1:0];
end
wire want_fetch = fetch_allowed && (fetch_en_q || tail_start) && !ar_valid_q &&
                  (bf_cnt_q < DESC_PREFETCH_P) && (iss_n != 0) && !tail_bad && !resync;
wire fetch_ptr_bad = desc_ptr_bad(iss_addr_q);
wire issue = want_fetch && !fetch_ptr_bad;
wire [63:0] iss_follow = stride32 ? iss_addr_q + ({{(64-BURST_W){1'b0}}, iss_n} << DESC_LSBS) :
                                    iss_addr_q + {{(64-STRIDE_W){1'b0}}, stride_q};

assign m_axi_arid    = AXI_ID[ID_WIDTH-1:0];
assign m_axi_araddr  = ar_addr_q;
assign m_axi_arlen   = ar_len_q;
assign m_axi_arsize  = BYTE_LSBS[2:0];
assign m_axi_arburst = 2'b01;
assign m_axi_arlock  = 1'b0;
assign m_axi_arcache = 4'b0011;
assign m_axi_arprot  = 3'b000;
// VALIDs low in reset from its first cycle (the registers behind them are undefined until the first edge)
assign m_axi_arvalid = ar_valid_q && !rst;
assign m_axi_rready  = 1'b1;

// ---------------------------------------------------------------------------------------------
// commands: released while a complete packet (its EOF) is in the queue
assign m_cmd_valid = running && !stopping && (eof_avail_q != 0) && !rst;
assign m_cmd_addr  = q_addr[cmd_slot];
assign m_cmd_len   = q_len[cmd_slot];
assign m_cmd_sof   = q_flag[cmd_slot][0];
assign m_cmd_eof   = q_flag[cmd_slot][1];
assign m_cmd_cache = q_flag[cmd_slot][4:3];
assign m_cmd_user  = q_user[cmd_slot];
assign m_cmd_tag   = cmd_slot;
wire cmd_fire = m_cmd_valid && m_cmd_ready;

// ---------------------------------------------------------------------------------------------
// mover status -> STATUS write-back; statuses arriving while halting or halted are discarded
wire wb_offer = aw_valid_q || w_valid_q;                    // a write not yet fully accepted
wire wb_busy  = wb_offer || (wb_cnt_q != 0);
wire wb_room  = !wb_offer && (wb_cnt_q < WB_OUTSTANDING_P);
assign s_sts_ready = stop_q || !running || wb_room;
wire sts_fire = s_sts_valid && s_sts_ready;
wire sts_take = sts_fire && running && !stopping;
wire unused_sigs = ^{s_sts_tag, m_axi_rlast, d_ctrl, d_sts, m_axi_rid, m_axi_bid, to_4k[DESC_LSBS-1:0]};  // tag/rlast: checked by assertions only
wire [31:0] sts_word;
assign sts_word[`SGDMA_STS_XFERRED_LSB +: `SGDMA_STS_XFERRED_WIDTH] = s_sts_len;
assign sts_word[`SGDMA_STS_ERRCODE_LSB +: `SGDMA_STS_ERRCODE_WIDTH] = s_sts_error;
assign sts_word[`SGDMA_STS_RXEOF_LSB] = (S2MM != 0) && s_sts_eof;
assign sts_word[`SGDMA_STS_RXSOF_LSB] = (S2MM != 0) && s_sts_sof;
assign sts_word[`SGDMA_STS_ERR_LSB]   = (s_sts_error != 0);
assign sts_word[`SGDMA_STS_CMPLT_LSB] = 1'b1;

wire [31:0] ferr_word;
assign ferr_word[`SGDMA_STS_XFERRED_LSB +: `SGDMA_STS_XFERRED_WIDTH] = 0;
assign ferr_word[`SGDMA_STS_ERRCODE_LSB +: `SGDMA_STS_ERRCODE_WIDTH] = parse_err;
assign ferr_word[`SGDMA_STS_RXEOF_LSB] = 1'b0;
assign ferr_word[`SGDMA_STS_RXSOF_LSB] = 1'b0;
assign ferr_word[`SGDMA_STS_ERR_LSB]   = 1'b1;
assign ferr_word[`SGDMA_STS_CMPLT_LSB] = 1'b1;

assign m_axi_awid    = AXI_ID[ID_WIDTH-1:0];
assign m_axi_awaddr  = wb_addr_q;
assign m_axi_awlen   = 8'd0;
assign m_axi_awsize  = 3'd2;
assign m_axi_awburst = 2'b01;
assign m_axi_awlock  = 1'b0;
assign m_axi_awcache = 4'b0011;
assign m_axi_awprot  = 3'b000;
assign m_axi_awvalid = aw_valid_q && !rst;
assign m_axi_wdata   = {(DATA_WIDTH/32){wb_word_q}};
assign m_axi_wstrb   = WSTRB_WORD << wb_addr_q[BYTE_LSBS-1:0];
assign m_axi_wlast   = 1'b1;
assign m_axi_wvalid  = w_valid_q && !rst;
assign m_axi_bready  = 1'b1;
wire b_fire = m_axi_bvalid;
wire [63:0] b_desc   = wbf_desc[wbf_rd_q];
wire        b_retire = wbf_retire[wbf_rd_q];
wire        b_ioc    = wbf_ioc[wbf_rd_q];

// ---------------------------------------------------------------------------------------------
// drain and halt
wire drain_done = (bf_cnt_q == 0) && !wb_busy && mover_idle;
// fetch error: everything released has been written back, nothing releasable is left
wire ferr_settled = ferr_q && !stop_q && (eof_avail_q == 0) && (ret_ptr_q == cmd_ptr_q) &&
                    drain_done && !sts_fire;
wire start_run = halted_q && ctl_run && !err_latched_q && !reset_pend_q && !ctl_reset_req;

assign halted      = halted_q;
assign idle        = running && !stop_q && !ferr_q && !fetch_en_q && (bf_cnt_q == 0) &&
                     (q_count == 0) && !wb_busy;
assign busy        = running && !idle;
assign mover_abort = stop_q || (running && halt_req);
assign mover_rst   = srst || halt_pulse_q;
assign cur_desc    = cur_desc_q;

// wb start requests (one offered at a time)
wire wb_start_sts  = sts_take;
wire wb_start_ferr = ferr_settled && ferr_wb_q && !halt_req;
wire wb_start      = wb_start_sts || wb_start_ferr;

always @(posedge clk) begin
    if (parse_push) begin
        q_desc[wr_slot] <= p_addr[ADDR_WIDTH-1:0];
        q_addr[wr_slot] <= d_addr[ADDR_WIDTH-1:0];
        q_len[wr_slot]  <= d_len[LEN_WIDTH-1:0];
        q_flag[wr_slot] <= {d_cache, d_ioc, d_eof, d_sof};
        q_user[wr_slot] <= d_user[USER_WIDTH-1:0];
    end
    if (issue) begin
        bf_addr[bf_wr_q]  <= iss_addr_q[ADDR_WIDTH-1:0];
        bf_n[bf_wr_q]     <= iss_n;
        bf_epoch[bf_wr_q] <= epoch_q;
        bf_next[bf_wr_q]  <= iss_follow;
    end
    if (wb_start) begin
        wbf_desc[wbf_wr_q]   <= wb_start_sts ? ret_desc64 : ferr_wb_desc_q;
        wbf_retire[wbf_wr_q] <= wb_start_sts && (s_sts_error == 0);
        wbf_ioc[wbf_wr_q]    <= wb_start_sts && q_flag[ret_slot][2];
    end
end

// The block below changes no register in a cycle where sg_active is low (a superset of every condition in
// it, plus the pulses it clears), so it is skipped then: a channel's engine idles most cycles while its
// mover streams, and an event-driven simulator would otherwise evaluate every condition at every edge.
wire sg_active = rst || srst || err_valid || done_valid || done_ioc || halt_pulse_q ||
                 ctl_tail_wr || ctl_curdesc_wr || want_fetch || r_beat || cmd_fire || sts_take ||
                 wb_start || b_fire || (m_axi_arvalid && m_axi_arready) ||
                 (m_axi_awvalid && m_axi_awready) || (m_axi_wvalid && m_axi_wready) ||
                 start_run || (running && halt_req) || ctl_reset_req || stop_q || ferr_q || reset_pend_q;

always @(posedge clk) if (sg_active) begin
    err_valid    <= 1'b0;
    done_valid   <= 1'b0;
    done_ioc     <= 1'b0;
    srst         <= 1'b0;
    halt_pulse_q <= 1'b0;

    // ---- tail register
    if (ctl_tail_wr) begin
        tail_q <= ctl_tail;
        if (tail_start) begin
            fetch_en_q   <= 1'b1;
            stop_valid_q <= 1'b0;
        end
        if (tail_bad) begin
            err_valid     <= 1'b1;
            err_code      <= `SGDMA_ERR_DESC_ALIGN;
            err_desc      <= ctl_tail;
            err_latched_q <= 1'b1;
            if (running) ferr_q <= 1'b1;
        end
    end
    if (ctl_curdesc_wr && halted_q) begin
        iss_addr_q   <= ctl_curdesc;
        stride_q     <= `SGDMA_DESC_BYTES;
        stride_ok_q  <= 1'b1;
        cur_desc_q   <= ctl_curdesc;
        stop_valid_q <= 1'b0;
    end

    // ---- fetch issue
    if (want_fetch && fetch_ptr_bad) begin
        err_valid     <= 1'b1;
        err_code      <= `SGDMA_ERR_DESC_ALIGN;
        err_desc      <= iss_addr_q;
        err_latched_q <= 1'b1;
        ferr_q        <= 1'b1;
    end
    if (issue) begin
        ar_valid_q <= 1'b1;
        ar_addr_q  <= iss_addr_q[ADDR_WIDTH-1:0];
        ar_len_q   <= ({{(8-BURST_W){1'b0}}, iss_n} * DESC_BEATS[7:0]) - 8'd1;
        iss_addr_q <= iss_follow;
        bf_wr_q    <= (bf_wr_q == BF_LAST) ? {BF_W{1'b0}} : bf_wr_q + 1'b1;
    end
    if (m_axi_arvalid && m_axi_arready) ar_valid_q <= 1'b0;
    bf_cnt_q <= bf_cnt_q + {{(BF_CNT_W-1){1'b0}}, issue} - {{(BF_CNT_W-1){1'b0}}, r_burst_end};
    infl_q   <= infl_q + (issue ? {{(INFL_W-BURST_W){1'b0}}, iss_n} : {INFL_W{1'b0}})
                       - {{(INFL_W-1){1'b0}}, r_last_beat};
    if (resync || tail_bad_run) begin
        epoch_q   <= !epoch_q;
        cur_out_q <= 0;
    end else begin
        cur_out_q <= cur_out_q + (issue ? {{(INFL_W-BURST_W){1'b0}}, iss_n} : {INFL_W{1'b0}})
                               - {{(INFL_W-1){1'b0}}, r_last_beat && p_current};
    end

    // ---- fetch response
    if (r_beat) begin
        if (!r_last_beat) desc_q[beat_q*DATA_WIDTH +: DATA_WIDTH] <= m_axi_rdata;
        beat_q <= r_last_beat ? {BEAT_W{1'b0}} : beat_q + 1'b1;
        rerr_q <= r_last_beat ? RESP_OKAY : (rerr_q == RESP_OKAY) ? m_axi_rresp : rerr_q;
    end
    if (r_last_beat) begin
        p_idx_q <= r_burst_end ? {BURST_W{1'b0}} : p_idx_q + 1'b1;
    end
    if (r_burst_end) begin
        bf_rd_q <= (bf_rd_q == BF_LAST) ? {BF_W{1'b0}} : bf_rd_q + 1'b1;
    end
    if (parse_live) begin
        if (parse_err != `SGDMA_ERR_NONE) begin
            err_valid     <= 1'b1;
            err_code      <= parse_err;
            err_desc      <= p_addr;
            err_latched_q <= 1'b1;
            ferr_q        <= 1'b1;
            ferr_wb_q     <= parse_err_wb;
            ferr_wb_desc_q <= p_addr;
            ferr_wb_word_q <= ferr_word;
        end else begin
            if (resync) iss_addr_q <= d_next;
            stride_q    <= d_stride[STRIDE_W-1:0];
            stride_ok_q <= (d_stride[63:STRIDE_W] == 0) && (d_stride[STRIDE_W-1:0] != 0);
            if (parse_at_tail) begin
                fetch_en_q   <= 1'b0;
                stop_valid_q <= 1'b1;
                stop_addr_q  <= p_addr;
            end
            if (d_eof) pkt_cnt_q <= 0;
            else       pkt_cnt_q <= pkt_cnt_q + 1'b1;
        end
    end

    // ---- queue pointers
    if (parse_push) wr_ptr_q <= wr_ptr_q + 1'b1;
    if (cmd_fire)   cmd_ptr_q <= cmd_ptr_q + 1'b1;
    if (sts_take)   ret_ptr_q <= ret_ptr_q + 1'b1;
    eof_avail_q <= eof_avail_q + {{TAG_WIDTH{1'b0}}, parse_push && d_eof}
                               - {{TAG_WIDTH{1'b0}}, cmd_fire && m_cmd_eof};

    // ---- status write-back
    if (m_axi_awvalid && m_axi_awready) aw_valid_q <= 1'b0;
    if (m_axi_wvalid && m_axi_wready)   w_valid_q  <= 1'b0;
    wb_cnt_q <= wb_cnt_q + {{(WB_CNT_W-1){1'b0}}, wb_start} - {{(WB_CNT_W-1){1'b0}}, b_fire};
    if (wb_start) wbf_wr_q <= (wbf_wr_q == WB_LAST) ? {WB_W{1'b0}} : wbf_wr_q + 1'b1;
    if (b_fire) begin
        wbf_rd_q <= (wbf_rd_q == WB_LAST) ? {WB_W{1'b0}} : wbf_rd_q + 1'b1;
        if (m_axi_bresp != RESP_OKAY) begin
            err_valid     <= 1'b1;
            err_code      <= (m_axi_bresp == RESP_SLVERR) ? `SGDMA_ERR_WB_SLVERR : `SGDMA_ERR_WB_DECERR;
            err_desc      <= b_desc;
            err_latched_q <= 1'b1;
            if (!halted_q) stop_q <= 1'b1;
        end else if (b_retire) begin
            done_valid <= 1'b1;
            done_ioc   <= b_ioc;
            cur_desc_q <= b_desc;
        end
    end
    if (wb_start_sts) begin
        aw_valid_q  <= 1'b1;
        w_valid_q   <= 1'b1;
        wb_addr_q   <= q_desc[ret_slot] + `SGDMA_DESC_STATUS_OFFSET;
        wb_word_q   <= sts_word;
        if (s_sts_error != 0) begin
            err_valid     <= 1'b1;
            err_code      <= s_sts_error;
            err_desc      <= ret_desc64;
            err_latched_q <= 1'b1;
            stop_q        <= 1'b1;
        end
    end else if (wb_start_ferr) begin
        aw_valid_q  <= 1'b1;
        w_valid_q   <= 1'b1;
        wb_addr_q   <= ferr_wb_desc_q[ADDR_WIDTH-1:0] + `SGDMA_DESC_STATUS_OFFSET;
        wb_word_q   <= ferr_wb_word_q;
        ferr_wb_q   <= 1'b0;
        cur_desc_q  <= ferr_wb_desc_q;
    end

    // ---- run control
    if (start_run) begin
        halted_q <= 1'b0;
    end
    if (running && !stop_q && (!ctl_run || ctl_reset_req)) begin
        stop_q <= 1'b1;   // RS cleared or soft reset: abort and drain
    end
    if (ctl_reset_req && !reset_pend_q) reset_pend_q <= 1'b1;
    if ((stop_q && drain_done) || (ferr_settled && !ferr_wb_q)) begin
        // halt: forget the queue (software restarts with CURDESC + TAILDESC)
        halted_q     <= 1'b1;
        stop_q       <= 1'b0;
        ferr_q       <= 1'b0;
        ferr_wb_q    <= 1'b0;
        fetch_en_q   <= 1'b0;
        stop_valid_q <= 1'b0;
        ar_valid_q   <= 1'b0;
        cur_out_q    <= 0;
        wr_ptr_q     <= 0;
        cmd_ptr_q    <= 0;
        ret_ptr_q    <= 0;
        eof_avail_q  <= 0;
        pkt_cnt_q    <= 0;
        halt_pulse_q <= 1'b1;
    end
    if (halted_q && reset_pend_q && !srst) begin
        srst <= 1'b1;
    end

    if (rst || srst) begin
        halted_q      <= 1'b1;
        stop_q        <= 1'b0;
        ferr_q        <= 1'b0;
        ferr_wb_q     <= 1'b0;
        ferr_wb_desc_q <= 64'd0;
        ferr_wb_word_q <= 32'd0;
        err_latched_q <= 1'b0;
        reset_pend_q  <= 1'b0;
        halt_pulse_q  <= 1'b0;
        iss_addr_q    <= 64'd0;
        fetch_en_q    <= 1'b0;
        tail_q        <= 64'd0;
        stop_valid_q  <= 1'b0;
        stop_addr_q   <= 64'd0;
        ar_valid_q    <= 1'b0;
        ar_addr_q     <= {ADDR_WIDTH{1'b0}};
        ar_len_q      <= 8'd0;
        epoch_q       <= 1'b0;
        stride_q      <= `SGDMA_DESC_BYTES;
        stride_ok_q   <= 1'b1;
        cur_out_q     <= 0;
        infl_q        <= 0;
        bf_wr_q       <= 0;
        bf_rd_q       <= 0;
        bf_cnt_q      <= 0;
        p_idx_q       <= 0;
        beat_q        <= 0;
        desc_q        <= 0;
        rerr_q        <= RESP_OKAY;
        pkt_cnt_q     <= 0;
        wr_ptr_q      <= 0;
        cmd_ptr_q     <= 0;
        ret_ptr_q     <= 0;
        eof_avail_q   <= 0;
        aw_valid_q    <= 1'b0;
        w_valid_q     <= 1'b0;
        wb_addr_q     <= 0;
        wb_word_q     <= 32'd0;
        wb_cnt_q      <= 0;
        wbf_wr_q      <= 0;
        wbf_rd_q      <= 0;
        cur_desc_q    <= 64'd0;
        err_valid     <= 1'b0;
        err_code      <= 4'd0;
        err_desc      <= 64'd0;
        done_valid    <= 1'b0;
        done_ioc      <= 1'b0;
        // srst itself is a pulse: it clears on the next cycle
        if (rst) srst <= 1'b0;
    end
end

`ifdef SGDMA_ASSERTIONS
always @(posedge clk) begin
    if (!rst) begin
        if (m_axi_rvalid && (m_axi_rid != AXI_ID[ID_WIDTH-1:0]))
            $fatal(1, "sgdma_sg(%0d): R beat with RID %0d", AXI_ID, m_axi_rid);
        if (m_axi_bvalid && (m_axi_bid != AXI_ID[ID_WIDTH-1:0]))
            $fatal(1, "sgdma_sg(%0d): B response with BID %0d", AXI_ID, m_axi_bid);
        if (m_axi_rvalid && (bf_cnt_q == 0 || (bf_cnt_q == 1 && ar_valid_q)))
            $fatal(1, "sgdma_sg(%0d): R beat with no descriptor fetch outstanding", AXI_ID);
        if (m_axi_rvalid && (m_axi_rlast != (r_burst_end)))
            $fatal(1, "sgdma_sg(%0d): RLAST on beat %0d of descriptor %0d of a %0d-descriptor fetch",
                   AXI_ID, beat_q, p_idx_q, head_n);
        if (m_axi_bvalid && (wb_cnt_q == 0 || (wb_cnt_q == 1 && wb_offer)))
            $fatal(1, "sgdma_sg(%0d): B response with no accepted status write outstanding", AXI_ID);
        if (sts_take && (s_sts_tag != ret_slot))
            $fatal(1, "sgdma_sg(%0d): status tag %0d, expected %0d", AXI_ID, s_sts_tag, ret_slot);
        if (sts_take && (ret_ptr_q == cmd_ptr_q))
            $fatal(1, "sgdma_sg(%0d): status with no command outstanding", AXI_ID);
        if (parse_push && (q_count >= QUEUE_DEPTH_P))
            $fatal(1, "sgdma_sg(%0d): descriptor queue overflow", AXI_ID);
        if ({{(SPACE_W-TAG_WIDTH-1){1'b0}}, q_count} + {{(SPACE_W-INFL_W){1'b0}}, infl_q} >
            {{(SPACE_W-TAG_WIDTH-1){1'b0}}, QUEUE_DEPTH_P})
            $fatal(1, "sgdma_sg(%0d): queue space over-reserved", AXI_ID);
        if ((wr_ptr_q - cmd_ptr_q) > QUEUE_DEPTH_P || (cmd_ptr_q - ret_ptr_q) > QUEUE_DEPTH_P)
            $fatal(1, "sgdma_sg(%0d): queue pointers out of order", AXI_ID);
        if (cur_out_q > infl_q)
            $fatal(1, "sgdma_sg(%0d): more descriptors of this epoch in flight than in all", AXI_ID);
    end
end
`endif

endmodule

`resetall
