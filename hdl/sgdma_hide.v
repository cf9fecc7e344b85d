// sgdma_hide: the hide unit (AIX xmemdma64 semantics in hardware) for both sgdma channels.
//
// Sits in the hide seam of sgdma.v, on each channel's command and status streams:
//  * command path (s_<ch>_cmd_* -> m_<ch>_cmd_*): one shared hide engine takes a command, hides
//    every page of its buffer in the hide table (a hide count per page) and releases the command
//    only when all pages are hidden and their cache maintenance has completed. The first hide of
//    a page closes it at the CPU gate, waits until every CPU transaction already forwarded has
//    completed, then sends one request on the maintenance port: CLEAN_INVALIDATE (both
//    directions: xmemdma64 "flushes the cache and makes the page invalid", so no line of a hidden
//    page stays valid and every processor access to it, loads and stores alike, misses and stalls
//    at the gate; a clean alone would let a store hit the cache unseen, and a nested descriptor
//    would then send stale memory) or WC_FLUSH (CONTROL.CACHE = write-combining); none for
//    CONTROL.CACHE = uncached (the page is still hidden and counted). A nested cached hide of a
//    page not yet invalidated (first hidden uncached or write-combining) sends CLEAN_INVALIDATE.
//  * status path (s_<ch>_sts_* -> m_<ch>_sts_*): statuses return in command order, so a FIFO of
//    in-flight commands per channel says which pages to unhide. Each page's count drops by one;
//    the last unhide frees the entry (opens the page) and, when the device wrote the page (S2MM,
//    pages covered by the status's byte count), pulses mod_valid/mod_addr. Then the status is
//    passed on.
//  * CPU gate (s_axi_cpu_* -> m_axi_cpu_*): an AXI4 slave/master pair. AR and AW are taken into a
//    holding register (ready = holding register empty, a flop) and forwarded only while their
//    page is not in the table, so a processor access to a hidden page stalls here until the
//    unhide; once offered on m_axi_cpu a request stays offered until accepted (AXI), and the
//    drain waits for it. W beats follow offered AWs (from the AW's first cycle on m_axi_cpu, not
//    after AWREADY); R and B pass through with the processor's IDs, so their order across IDs is
//    whatever the memory side gives (the processor port must accept that, as AXI allows). Bursts never cross 4 KiB and
//    PAGE_LOG2 >= 12, so one burst touches one page.
//  * Maintenance write-backs do not pass the gate: the processor cache answers a request by
//    writing its dirty lines on its own path to memory (as ACE snoop data does), then signals
//    done. Passing them through the gate could deadlock (docs/sgdma_hide.md, "Deadlock").
//
// A full table makes the hide engine wait (counted in cnt_full_stall); nothing is dropped. A
// buffer spanning more than HIDE_ENTRIES pages can never be hidden whole: the unit refuses that
// command (no page hidden, nothing sent to the mover), answers it with a status of error
// LEN_RANGE so that its engine halts with that code, sets sts_oversize (sticky), and takes no
// further command of that channel until the channel's flush; the other channel runs on.
// Software bounds its transfers from CAP2.HIDE_ENTRIES (the per-descriptor page limit).
//  * abort and flush, per channel: while ch_abort (the engine aborts its mover) no command of the
//    channel is picked or handed to the mover. ch_flush (the mover's reset pulse at the end of
//    the engine's drain) means no status will come for the commands still in flight: the unit
//    then unhides their pages itself (an S2MM page counts as written: the device may have
//    written it) and passes no status. ch_quiet tells the engine's drain that no status is
//    on its way through the unit.
// The gate reads only table flops and its own holding registers, so there is no combinational
// path from the gate through the table back to the gate. One table operation per cycle (unhides
// first, round robin between channels, then the hide engine).
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module sgdma_hide #(
    parameter integer ADDR_WIDTH     = 64,  // buffer and CPU address width
    parameter integer LEN_WIDTH      = 24,  // command length width
    parameter integer USER_WIDTH     = 32,  // command USER word width
    parameter integer TAG_WIDTH      = 4,   // command tag width
    parameter integer HIDE_ENTRIES   = 8,   // hide-table entries (pages hidden at once), 1..256
    parameter integer PAGE_LOG2      = 12,  // page size 2**PAGE_LOG2 bytes (>= 12: AXI 4 KiB rule)
    parameter integer INFLIGHT_DEPTH = 16,  // released commands tracked per channel (power of two)
    parameter integer CPU_DATA_WIDTH = 64,  // CPU gate AXI data width
    parameter integer CPU_ID_WIDTH   = 4,   // CPU gate AXI ID width
    parameter integer COUNTER_WIDTH  = 32   // width of the event counters (wrap around)
) (
    input  wire                        clk,
    input  wire                        rst,
    // Test-only: 1 = hide pages but send no maintenance request (negative control of the
    // coherency checks). Tie to 0 in a product.
    input  wire                        test_skip_maint,
    // Per channel (bit 0 MM2S, 1 S2MM): the engine is aborting its mover (level); the mover is
    // being reset (one-cycle pulse, after the drain): flush the channel's in-flight commands;
    // no status is in progress through the unit (for the engine's drain).
    input  wire [1:0]                  ch_abort,
    input  wire [1:0]                  ch_flush,
    output wire [1:0]                  ch_quiet,

    // MM2S command in (from sgdma_sg) and out (to sgdma_mm2s)
    input  wire                        s_mm2s_cmd_valid,
    output wire                        s_mm2s_cmd_ready,
    input  wire [ADDR_WIDTH-1:0]       s_mm2s_cmd_addr,
    input  wire [LEN_WIDTH-1:0]        s_mm2s_cmd_len,
    input  wire                        s_mm2s_cmd_sof,
    input  wire                        s_mm2s_cmd_eof,
    input  wire [USER_WIDTH-1:0]       s_mm2s_cmd_user,
    input  wire [1:0]                  s_mm2s_cmd_cache,
    input  wire [TAG_WIDTH-1:0]        s_mm2s_cmd_tag,
    output wire                        m_mm2s_cmd_valid,
    input  wire                        m_mm2s_cmd_ready,
    output wire [ADDR_WIDTH-1:0]       m_mm2s_cmd_addr,
    output wire [LEN_WIDTH-1:0]        m_mm2s_cmd_len,
    output wire                        m_mm2s_cmd_sof,
    output wire                        m_mm2s_cmd_eof,
    output wire [USER_WIDTH-1:0]       m_mm2s_cmd_user,
    output wire [1:0]                  m_mm2s_cmd_cache,
    output wire [TAG_WIDTH-1:0]        m_mm2s_cmd_tag,
    // MM2S status in (from sgdma_mm2s) and out (to sgdma_sg)
    input  wire                        s_mm2s_sts_valid,
    output wire                        s_mm2s_sts_ready,
    input  wire [TAG_WIDTH-1:0]        s_mm2s_sts_tag,
    input  wire [LEN_WIDTH-1:0]        s_mm2s_sts_len,
    input  wire [3:0]                  s_mm2s_sts_error,
    input  wire                        s_mm2s_sts_sof,
    input  wire                        s_mm2s_sts_eof,
    output wire                        m_mm2s_sts_valid,
    input  wire                        m_mm2s_sts_ready,
    output wire [TAG_WIDTH-1:0]        m_mm2s_sts_tag,
    output wire [LEN_WIDTH-1:0]        m_mm2s_sts_len,
    output wire [3:0]                  m_mm2s_sts_error,
    output wire                        m_mm2s_sts_sof,
    output wire                        m_mm2s_sts_eof,

    // S2MM command in / out
    input  wire                        s_s2mm_cmd_valid,
    output wire                        s_s2mm_cmd_ready,
    input  wire [ADDR_WIDTH-1:0]       s_s2mm_cmd_addr,
    input  wire [LEN_WIDTH-1:0]        s_s2mm_cmd_len,
    input  wire                        s_s2mm_cmd_sof,
    input  wire                        s_s2mm_cmd_eof,
    input  wire [USER_WIDTH-1:0]       s_s2mm_cmd_user,
    input  wire [1:0]                  s_s2mm_cmd_cache,
    input  wire [TAG_WIDTH-1:0]        s_s2mm_cmd_tag,
    output wire                        m_s2mm_cmd_valid,
    input  wire                        m_s2mm_cmd_ready,
    output wire [ADDR_WIDTH-1:0]       m_s2mm_cmd_addr,
    output wire [LEN_WIDTH-1:0]        m_s2mm_cmd_len,
    output wire                        m_s2mm_cmd_sof,
    output wire                        m_s2mm_cmd_eof,
    output wire [USER_WIDTH-1:0]       m_s2mm_cmd_user,
    output wire [1:0]                  m_s2mm_cmd_cache,
    output wire [TAG_WIDTH-1:0]        m_s2mm_cmd_tag,
    // S2MM status in / out
    input  wire                        s_s2mm_sts_valid,
    output wire                        s_s2mm_sts_ready,
    input  wire [TAG_WIDTH-1:0]        s_s2mm_sts_tag,
    input  wire [LEN_WIDTH-1:0]        s_s2mm_sts_len,
    input  wire [3:0]                  s_s2mm_sts_error,
    input  wire                        s_s2mm_sts_sof,
    input  wire                        s_s2mm_sts_eof,
    output wire                        m_s2mm_sts_valid,
    input  wire                        m_s2mm_sts_ready,
    output wire [TAG_WIDTH-1:0]        m_s2mm_sts_tag,
    output wire [LEN_WIDTH-1:0]        m_s2mm_sts_len,
    output wire [3:0]                  m_s2mm_sts_error,
    output wire                        m_s2mm_sts_sof,
    output wire                        m_s2mm_sts_eof,

    // Cache-maintenance port: one request at a time, then one completion.
    // op: 0 CLEAN, 1 CLEAN_INVALIDATE, 2 WC_FLUSH; addr = page base address.
    output wire                        m_maint_req_valid,
    input  wire                        m_maint_req_ready,
    output wire [ADDR_WIDTH-1:0]       m_maint_req_addr,
    output wire [1:0]                  m_maint_req_op,
    input  wire                        s_maint_done_valid,
    output wire                        s_maint_done_ready,

    // CPU gate: AXI4 slave (from the processor) ...
    input  wire [CPU_ID_WIDTH-1:0]     s_axi_cpu_awid,
    input  wire [ADDR_WIDTH-1:0]       s_axi_cpu_awaddr,
    input  wire [7:0]                  s_axi_cpu_awlen,
    input  wire [2:0]                  s_axi_cpu_awsize,
    input  wire [1:0]                  s_axi_cpu_awburst,
    input  wire                        s_axi_cpu_awlock,
    input  wire [3:0]                  s_axi_cpu_awcache,
    input  wire [2:0]                  s_axi_cpu_awprot,
    input  wire                        s_axi_cpu_awvalid,
    output wire                        s_axi_cpu_awready,
    input  wire [CPU_DATA_WIDTH-1:0]   s_axi_cpu_wdata,
    input  wire [CPU_DATA_WIDTH/8-1:0] s_axi_cpu_wstrb,
    input  wire                        s_axi_cpu_wlast,
    input  wire                        s_axi_cpu_wvalid,
    output wire                        s_axi_cpu_wready,
    output wire [CPU_ID_WIDTH-1:0]     s_axi_cpu_bid,
    output wire [1:0]                  s_axi_cpu_bresp,
    output wire                        s_axi_cpu_bvalid,
    input  wire                        s_axi_cpu_bready,
    input  wire [CPU_ID_WIDTH-1:0]     s_axi_cpu_arid,
    input  wire [ADDR_WIDTH-1:0]       s_axi_cpu_araddr,
    input  wire [7:0]                  s_axi_cpu_arlen,
    input  wire [2:0]                  s_axi_cpu_arsize,
    input  wire [1:0]                  s_axi_cpu_arburst,
    input  wire                        s_axi_cpu_arlock,
    input  wire [3:0]                  s_axi_cpu_arcache,
    input  wire [2:0]                  s_axi_cpu_arprot,
    input  wire                        s_axi_cpu_arvalid,
    output wire                        s_axi_cpu_arready,
    output wire [CPU_ID_WIDTH-1:0]     s_axi_cpu_rid,
    output wire [CPU_DATA_WIDTH-1:0]   s_axi_cpu_rdata,
    output wire [1:0]                  s_axi_cpu_rresp,
    output wire                        s_axi_cpu_rlast,
    output wire                        s_axi_cpu_rvalid,
    input  wire                        s_axi_cpu_rready,
    // ... and AXI4 master (to memory)
    output wire [CPU_ID_WIDTH-1:0]     m_axi_cpu_awid,
    output wire [ADDR_WIDTH-1:0]       m_axi_cpu_awaddr,
    output wire [7:0]                  m_axi_cpu_awlen,
    output wire [2:0]                  m_axi_cpu_awsize,
    output wire [1:0]                  m_axi_cpu_awburst,
    output wire                        m_axi_cpu_awlock,
    output wire [3:0]                  m_axi_cpu_awcache,
    output wire [2:0]                  m_axi_cpu_awprot,
    output wire                        m_axi_cpu_awvalid,
    input  wire                        m_axi_cpu_awready,
    output wire [CPU_DATA_WIDTH-1:0]   m_axi_cpu_wdata,
    output wire [CPU_DATA_WIDTH/8-1:0] m_axi_cpu_wstrb,
    output wire                        m_axi_cpu_wlast,
    output wire                        m_axi_cpu_wvalid,
    input  wire                        m_axi_cpu_wready,
    input  wire [CPU_ID_WIDTH-1:0]     m_axi_cpu_bid,
    input  wire [1:0]                  m_axi_cpu_bresp,
    input  wire                        m_axi_cpu_bvalid,
    output wire                        m_axi_cpu_bready,
    output wire [CPU_ID_WIDTH-1:0]     m_axi_cpu_arid,
    output wire [ADDR_WIDTH-1:0]       m_axi_cpu_araddr,
    output wire [7:0]                  m_axi_cpu_arlen,
    output wire [2:0]                  m_axi_cpu_arsize,
    output wire [1:0]                  m_axi_cpu_arburst,
    output wire                        m_axi_cpu_arlock,
    output wire [3:0]                  m_axi_cpu_arcache,
    output wire [2:0]                  m_axi_cpu_arprot,
    output wire                        m_axi_cpu_arvalid,
    input  wire                        m_axi_cpu_arready,
    input  wire [CPU_ID_WIDTH-1:0]     m_axi_cpu_rid,
    input  wire [CPU_DATA_WIDTH-1:0]   m_axi_cpu_rdata,
    input  wire [1:0]                  m_axi_cpu_rresp,
    input  wire                        m_axi_cpu_rlast,
    input  wire                        m_axi_cpu_rvalid,
    output wire                        m_axi_cpu_rready,

    // Modified-page event: one-cycle pulse on the last unhide of a page the device wrote
    output wire                        mod_valid,
    output wire [ADDR_WIDTH-1:0]       mod_addr,
    // Trace of table operations (one per cycle at most), for tests and debug:
    // trace_unhide 0 = hide, 1 = unhide; trace_count = the page's hide count afterwards;
    // trace_modified = last unhide of a page the device wrote.
    output wire                        trace_valid,
    output wire                        trace_unhide,
    output wire [ADDR_WIDTH-1:0]       trace_addr,
    output wire [15:0]                 trace_count,
    output wire                        trace_modified,

    // Status and counters (for read-only registers)
    output wire [15:0]                 sts_entries_used,   // pages hidden now
    output wire                        sts_oversize,       // sticky: a buffer spanning > HIDE_ENTRIES pages was refused
    output wire [ADDR_WIDTH-1:0]       sts_last_mod_addr,  // last page reported modified
    output wire [COUNTER_WIDTH-1:0]    cnt_hides,          // hide operations (nested ones included)
    output wire [COUNTER_WIDTH-1:0]    cnt_maint,          // maintenance requests sent
    output wire [COUNTER_WIDTH-1:0]    cnt_full_stall,     // cycles the hide engine waited for a free entry
    output wire [COUNTER_WIDTH-1:0]    cnt_modified,       // pages reported modified
    output wire [COUNTER_WIDTH-1:0]    cnt_cpu_stall       // cycles a CPU request waited at the gate
);

// ---------------------------------------------------------------- derived widths
localparam integer PN_WIDTH    = ADDR_WIDTH - PAGE_LOG2;                 // page number
localparam integer SUM_WIDTH   = (LEN_WIDTH > PAGE_LOG2 ? LEN_WIDTH : PAGE_LOG2) + 1;
localparam integer NP_WIDTH    = SUM_WIDTH - PAGE_LOG2 + 1;              // pages per buffer
localparam integer IDX_WIDTH   = HIDE_ENTRIES > 1 ? $clog2(HIDE_ENTRIES) : 1;
localparam integer CNT_WIDTH   = $clog2(2 * INFLIGHT_DEPTH + 4) + 1;     // hide count per entry
localparam integer OUTS_WIDTH  = 8;                                      // CPU transactions in flight
localparam integer FIFO_WIDTH  = 3 + TAG_WIDTH + PN_WIDTH + NP_WIDTH + PAGE_LOG2;  // refused, sof, eof, ...
localparam integer FIFO_CW     = $clog2(INFLIGHT_DEPTH) + 1;

// maintenance ops on the port; OP_CLEAN (keep lines valid) is defined but never sent: a valid line
// of a hidden page would let processor hits bypass the gate
localparam [1:0] OP_CLEAN = 2'd0, OP_CLEAN_INVALIDATE = 2'd1, OP_WC_FLUSH = 2'd2;

initial begin
    if (HIDE_ENTRIES < 1 || HIDE_ENTRIES > 256)
        $fatal(1, "sgdma_hide: HIDE_ENTRIES (%0d) must be 1..256", HIDE_ENTRIES);
    if (PAGE_LOG2 < 12 || PAGE_LOG2 >= ADDR_WIDTH)
        $fatal(1, "sgdma_hide: PAGE_LOG2 (%0d) must be >= 12 and < ADDR_WIDTH", PAGE_LOG2);
    if (INFLIGHT_DEPTH < 2 || (1 << $clog2(INFLIGHT_DEPTH)) != INFLIGHT_DEPTH)
        $fatal(1, "sgdma_hide: INFLIGHT_DEPTH (%0d) must be a power of two >= 2", INFLIGHT_DEPTH);
    if (ADDR_WIDTH < 13 || ADDR_WIDTH > 64)
        $fatal(1, "sgdma_hide: ADDR_WIDTH (%0d) must be 13..64", ADDR_WIDTH);
    if (CNT_WIDTH > 16)
        $fatal(1, "sgdma_hide: INFLIGHT_DEPTH too large for the 16-bit trace count");
end

// ---------------------------------------------------------------- channel packing (0 MM2S, 1 S2MM)
wire [1:0] s_cmd_valid = {s_s2mm_cmd_valid, s_mm2s_cmd_valid};
wire [ADDR_WIDTH-1:0] s_cmd_addr [0:1];
wire [LEN_WIDTH-1:0]  s_cmd_len  [0:1];
wire [1:0]            s_cmd_cache [0:1];
assign s_cmd_addr[0] = s_mm2s_cmd_addr;   assign s_cmd_addr[1] = s_s2mm_cmd_addr;
assign s_cmd_len[0]  = s_mm2s_cmd_len;    assign s_cmd_len[1]  = s_s2mm_cmd_len;
assign s_cmd_cache[0] = s_mm2s_cmd_cache; assign s_cmd_cache[1] = s_s2mm_cmd_cache;
wire [1:0] s_sts_valid = {s_s2mm_sts_valid, s_mm2s_sts_valid};
wire [TAG_WIDTH-1:0] s_sts_tag [0:1];
wire [LEN_WIDTH-1:0] s_sts_len [0:1];
assign s_sts_tag[0] = s_mm2s_sts_tag; assign s_sts_tag[1] = s_s2mm_sts_tag;
assign s_sts_len[0] = s_mm2s_sts_len; assign s_sts_len[1] = s_s2mm_sts_len;
wire [1:0] m_cmd_ready = {m_s2mm_cmd_ready, m_mm2s_cmd_ready};
wire [1:0] m_sts_ready = {m_s2mm_sts_ready, m_mm2s_sts_ready};

// ---------------------------------------------------------------- hide table
reg  [HIDE_ENTRIES-1:0] ent_valid_q;       // entry in use = page hidden (count >= 1)
reg  [HIDE_ENTRIES*PN_WIDTH-1:0] ent_pages_q;   // entry i's page number at [i*PN_WIDTH +: PN_WIDTH]
reg  [CNT_WIDTH-1:0]    ent_count_q [0:HIDE_ENTRIES-1];
reg  [HIDE_ENTRIES-1:0] ent_wr_q;          // the device wrote the page while hidden
reg  [HIDE_ENTRIES-1:0] ent_inval_q;       // cleaned and invalidated since its first hide
reg  [15:0]             used_q;

// ---------------------------------------------------------------- hide engine state
localparam [2:0] H_IDLE = 3'd0, H_LOOKUP = 3'd1, H_DRAIN = 3'd2, H_REQ = 3'd3, H_WAIT = 3'd4,
                 H_RELEASE = 3'd5;
reg  [2:0]            h_state_q;
reg                   h_ch_q;              // channel of the command being hidden
reg                   h_rr_q;              // channel picked last (round robin)
reg  [PN_WIDTH-1:0]   h_page_q;            // page being hidden
reg  [PN_WIDTH-1:0]   h_first_q;           // first page of the buffer
reg  [NP_WIDTH-1:0]   h_left_q;            // pages left, including h_page_q
reg  [NP_WIDTH-1:0]   h_npages_q;
reg  [PAGE_LOG2-1:0]  h_off_q;
reg  [1:0]            h_cache_q;
reg  [TAG_WIDTH-1:0]  h_tag_q;
reg                   h_send_q;            // a maintenance request is due for h_page_q
reg  [1:0]            h_op_q;
reg                   oversize_q;
reg                   h_refuse_q;          // the command being released is refused (oversize)
reg  [1:0]            refused_q;           // per channel: a command was refused, wait for the flush
reg  [1:0]            flush_q;             // per channel: flushing in-flight commands
reg                   h_sof_q, h_eof_q;

// per-channel command output registers
reg  [1:0]            out_valid_q;
reg  [ADDR_WIDTH-1:0] out_addr_q  [0:1];
reg  [LEN_WIDTH-1:0]  out_len_q   [0:1];
reg  [1:0]            out_sof_q, out_eof_q;
reg  [USER_WIDTH-1:0] out_user_q  [0:1];
reg  [1:0]            out_cache_q [0:1];
reg  [TAG_WIDTH-1:0]  out_tag_q   [0:1];

// in-flight FIFOs
wire [1:0]            fifo_s_ready, fifo_m_valid;
wire [FIFO_WIDTH-1:0] fifo_m_data [0:1];
wire [1:0]            fifo_pop;
wire [1:0]            f_head_refused = {fifo_m_data[1][FIFO_WIDTH-1], fifo_m_data[0][FIFO_WIDTH-1]};
wire                  fifo_push = (h_state_q == H_RELEASE);
wire [FIFO_WIDTH-1:0] fifo_s_data = {h_refuse_q, h_sof_q, h_eof_q, h_tag_q, h_first_q, h_npages_q, h_off_q};

// ---------------------------------------------------------------- hide engine: command pick
wire [1:0] cand;
// not while the channel aborts, flushes or waits for the flush after a refusal
assign cand[0] = s_cmd_valid[0] && !out_valid_q[0] && fifo_s_ready[0] &&
                 !ch_abort[0] && !flush_q[0] && !refused_q[0];
assign cand[1] = s_cmd_valid[1] && !out_valid_q[1] && fifo_s_ready[1] &&
                 !ch_abort[1] && !flush_q[1] && !refused_q[1];
// round robin: prefer the channel not picked last
wire pick_ch  = (cand[0] && cand[1]) ? !h_rr_q : cand[1];
wire pick     = (h_state_q == H_IDLE) && (cand != 2'b00);
assign s_mm2s_cmd_ready = pick && !pick_ch;
assign s_s2mm_cmd_ready = pick && pick_ch;

wire [ADDR_WIDTH-1:0] pick_addr = s_cmd_addr[pick_ch];
wire [LEN_WIDTH-1:0]  pick_len  = s_cmd_len[pick_ch];
// pages spanned: ((offset + len - 1) >> PAGE_LOG2) + 1, or 0 for a zero length (never sent)
/* verilator lint_off UNUSEDSIGNAL */ // low bits: the in-page offset of the last byte (unused)
wire [SUM_WIDTH-1:0]  pick_last = {{(SUM_WIDTH-PAGE_LOG2){1'b0}}, pick_addr[PAGE_LOG2-1:0]}
                                + {{(SUM_WIDTH-LEN_WIDTH){1'b0}}, pick_len} - 1'b1;
/* verilator lint_on UNUSEDSIGNAL */
wire [NP_WIDTH-1:0]   pick_npages = (pick_len == {LEN_WIDTH{1'b0}}) ? {NP_WIDTH{1'b0}} :
                        {1'b0, pick_last[SUM_WIDTH-1:PAGE_LOG2]} + 1'b1;
wire pick_oversize = ({{(32-NP_WIDTH){1'b0}}, pick_npages} > HIDE_ENTRIES);

// ---------------------------------------------------------------- unhide agents (declared here)
localparam [1:0] U_IDLE = 2'd0, U_RUN = 2'd1, U_OUT = 2'd2;
reg  [1:0]            u_state_q [0:1];
reg  [1:0]            u_drop_q;            // per channel: unhide without passing a status (flush)
reg  [PN_WIDTH-1:0]   u_page_q  [0:1];
reg  [NP_WIDTH-1:0]   u_left_q  [0:1];
reg  [NP_WIDTH-1:0]   u_wr_left_q [0:1];   // pages still to unhide that the device wrote
reg  [TAG_WIDTH-1:0]  u_tag_q   [0:1];
reg  [LEN_WIDTH-1:0]  u_len_q   [0:1];
reg  [3:0]            u_err_q   [0:1];
reg  [1:0]            u_sof_q, u_eof_q;

// ---------------------------------------------------------------- table operation arbitration
wire [1:0] u_req = {u_state_q[1] == U_RUN, u_state_q[0] == U_RUN};
reg        u_rr_q;                         // unhide channel served last
wire       u_gnt_ch = (u_req == 2'b11) ? !u_rr_q : u_req[1];
wire       u_gnt    = (u_req != 2'b00);
wire       h_gnt    = !u_gnt && (h_state_q == H_LOOKUP);
wire [PN_WIDTH-1:0] op_page = u_gnt ? u_page_q[u_gnt_ch] : h_page_q;
wire       op_unhide_wr = (u_wr_left_q[u_gnt_ch] != {NP_WIDTH{1'b0}});

// lookup: the entry holding op_page, and the first free entry
reg                 op_hit, op_free;
reg [IDX_WIDTH-1:0] op_hit_idx, op_free_idx;
integer             op_hits;
integer i;
always @* begin
    op_hit = 1'b0;
    op_free = 1'b0;
    op_hit_idx = {IDX_WIDTH{1'b0}};
    op_free_idx = {IDX_WIDTH{1'b0}};
    op_hits = 0;
    for (i = HIDE_ENTRIES - 1; i >= 0; i = i - 1) begin
        if (ent_valid_q[i] && ent_pages_q[i*PN_WIDTH +: PN_WIDTH] == op_page) begin
            op_hit = 1'b1;
            op_hit_idx = i[IDX_WIDTH-1:0];
            op_hits = op_hits + 1;
        end
        if (!ent_valid_q[i]) begin
            op_free = 1'b1;
            op_free_idx = i[IDX_WIDTH-1:0];
        end
    end
end

// what a hide of h_page_q needs, given the entry's state (a fresh entry has no flags)
wire ent_inval = op_hit && ent_inval_q[op_hit_idx];
reg       hide_need;     // a maintenance request is due
reg [1:0] hide_op;
always @* begin
    hide_need = 1'b0;
    hide_op = OP_CLEAN;
    case (h_cache_q)
        `SGDMA_CACHE_UNCACHED: hide_need = 1'b0;
        `SGDMA_CACHE_WRCOMB: begin
            hide_need = !op_hit;           // first hide only
            hide_op = OP_WC_FLUSH;
        end
        default: begin                     // CACHED (and the reserved value 3, safely)
            hide_need = !ent_inval;        // both directions: the page must hold no valid line
            hide_op = OP_CLEAN_INVALIDATE;
        end
    endcase
end
wire hide_cached = (h_cache_q != `SGDMA_CACHE_UNCACHED) && (h_cache_q != `SGDMA_CACHE_WRCOMB);
wire h_done_entry = h_gnt && (op_hit || op_free);      // the hide of h_page_q is recorded
wire h_full       = h_gnt && !op_hit && !op_free;      // table full: wait

// ---------------------------------------------------------------- CPU gate
reg                     ar_valid_q, aw_valid_q;
reg [CPU_ID_WIDTH-1:0]  ar_id_q, aw_id_q;
reg [ADDR_WIDTH-1:0]    ar_addr_q, aw_addr_q;
reg [7:0]               ar_len_q, aw_len_q;
reg [2:0]               ar_size_q, aw_size_q;
reg [1:0]               ar_burst_q, aw_burst_q;
reg                     ar_lock_q, aw_lock_q;
reg [3:0]               ar_cache_q, aw_cache_q;
reg [2:0]               ar_prot_q, aw_prot_q;
reg [OUTS_WIDTH-1:0]    rd_out_q, wr_out_q, w_pend_q;
reg                     gate_hold;                    // drain: forward nothing new
// a request offered on m_axi_cpu and not yet accepted stays offered (AXI: VALID held until READY)
// even if its page is hidden meanwhile; the drain waits for it like for a forwarded one
reg                     ar_offer_q, aw_offer_q;

reg ar_hidden, aw_hidden;
always @* begin
    ar_hidden = 1'b0;
    aw_hidden = 1'b0;
    for (i = 0; i < HIDE_ENTRIES; i = i + 1) begin
        if (ent_valid_q[i] && ent_pages_q[i*PN_WIDTH +: PN_WIDTH] == ar_addr_q[ADDR_WIDTH-1:PAGE_LOG2]) ar_hidden = 1'b1;
        if (ent_valid_q[i] && ent_pages_q[i*PN_WIDTH +: PN_WIDTH] == aw_addr_q[ADDR_WIDTH-1:PAGE_LOG2]) aw_hidden = 1'b1;
    end
end

always @* gate_hold = (h_state_q == H_DRAIN);

assign s_axi_cpu_arready = !ar_valid_q;
assign s_axi_cpu_awready = !aw_valid_q;
// VALIDs are low in reset from its first cycle (the registers are undefined until the first edge)
assign m_axi_cpu_arvalid = ar_valid_q && (ar_offer_q || (!ar_hidden && !gate_hold)) && !rst;
assign m_axi_cpu_awvalid = aw_valid_q && (aw_offer_q || (!aw_hidden && !gate_hold)) && !rst;
assign m_axi_cpu_arid = ar_id_q;       assign m_axi_cpu_awid = aw_id_q;
assign m_axi_cpu_araddr = ar_addr_q;   assign m_axi_cpu_awaddr = aw_addr_q;
assign m_axi_cpu_arlen = ar_len_q;     assign m_axi_cpu_awlen = aw_len_q;
assign m_axi_cpu_arsize = ar_size_q;   assign m_axi_cpu_awsize = aw_size_q;
assign m_axi_cpu_arburst = ar_burst_q; assign m_axi_cpu_awburst = aw_burst_q;
assign m_axi_cpu_arlock = ar_lock_q;   assign m_axi_cpu_awlock = aw_lock_q;
assign m_axi_cpu_arcache = ar_cache_q; assign m_axi_cpu_awcache = aw_cache_q;
assign m_axi_cpu_arprot = ar_prot_q;   assign m_axi_cpu_awprot = aw_prot_q;
// W beats only for AWs already offered on m_axi_cpu (the AW decides whether the page is open; once
// offered it stays offered until accepted). Not waiting for AWREADY: a slave may hold AWREADY until
// it sees WVALID (AXI A3.3.1). The offer's own cycle counts too, so W may go with its AW.
wire aw_offer = m_axi_cpu_awvalid && !aw_offer_q;    // first cycle an AW is on m_axi_cpu
wire w_allow = (w_pend_q != {OUTS_WIDTH{1'b0}}) || aw_offer;
assign m_axi_cpu_wdata  = s_axi_cpu_wdata;
assign m_axi_cpu_wstrb  = s_axi_cpu_wstrb;
assign m_axi_cpu_wlast  = s_axi_cpu_wlast;
assign m_axi_cpu_wvalid = s_axi_cpu_wvalid && w_allow && !rst;
assign s_axi_cpu_wready = m_axi_cpu_wready && w_allow;
assign s_axi_cpu_bid    = m_axi_cpu_bid;
assign s_axi_cpu_bresp  = m_axi_cpu_bresp;
assign s_axi_cpu_bvalid = m_axi_cpu_bvalid && !rst;
assign m_axi_cpu_bready = s_axi_cpu_bready;
assign s_axi_cpu_rid    = m_axi_cpu_rid;
assign s_axi_cpu_rdata  = m_axi_cpu_rdata;
assign s_axi_cpu_rresp  = m_axi_cpu_rresp;
assign s_axi_cpu_rlast  = m_axi_cpu_rlast;
assign s_axi_cpu_rvalid = m_axi_cpu_rvalid && !rst;
assign m_axi_cpu_rready = s_axi_cpu_rready;

wire ar_fwd = m_axi_cpu_arvalid && m_axi_cpu_arready;
wire aw_fwd = m_axi_cpu_awvalid && m_axi_cpu_awready;
wire r_done = m_axi_cpu_rvalid && m_axi_cpu_rready && m_axi_cpu_rlast;
wire b_done = m_axi_cpu_bvalid && m_axi_cpu_bready;
wire w_done = m_axi_cpu_wvalid && m_axi_cpu_wready && m_axi_cpu_wlast;
wire cpu_idle = (rd_out_q == {OUTS_WIDTH{1'b0}}) && (wr_out_q == {OUTS_WIDTH{1'b0}}) &&
                !ar_offer_q && !aw_offer_q;
wire cpu_stalled = (ar_valid_q && !ar_offer_q && (ar_hidden || gate_hold)) ||
                   (aw_valid_q && !aw_offer_q && (aw_hidden || gate_hold));

always @(posedge clk) begin
    if (s_axi_cpu_arvalid && s_axi_cpu_arready) begin
        ar_id_q <= s_axi_cpu_arid;       ar_addr_q <= s_axi_cpu_araddr;
        ar_len_q <= s_axi_cpu_arlen;     ar_size_q <= s_axi_cpu_arsize;
        ar_burst_q <= s_axi_cpu_arburst; ar_lock_q <= s_axi_cpu_arlock;
        ar_cache_q <= s_axi_cpu_arcache; ar_prot_q <= s_axi_cpu_arprot;
    end
    if (s_axi_cpu_awvalid && s_axi_cpu_awready) begin
        aw_id_q <= s_axi_cpu_awid;       aw_addr_q <= s_axi_cpu_awaddr;
        aw_len_q <= s_axi_cpu_awlen;     aw_size_q <= s_axi_cpu_awsize;
        aw_burst_q <= s_axi_cpu_awburst; aw_lock_q <= s_axi_cpu_awlock;
        aw_cache_q <= s_axi_cpu_awcache; aw_prot_q <= s_axi_cpu_awprot;
    end
    if (rst) begin
        ar_valid_q <= 1'b0;
        aw_valid_q <= 1'b0;
        rd_out_q <= {OUTS_WIDTH{1'b0}};
        wr_out_q <= {OUTS_WIDTH{1'b0}};
        w_pend_q <= {OUTS_WIDTH{1'b0}};
        ar_offer_q <= 1'b0;
        aw_offer_q <= 1'b0;
        ar_addr_q <= {ADDR_WIDTH{1'b0}};   // compared against the table: keep it defined
        aw_addr_q <= {ADDR_WIDTH{1'b0}};
    end else begin
        if (s_axi_cpu_arvalid && s_axi_cpu_arready) ar_valid_q <= 1'b1;
        else if (ar_fwd) ar_valid_q <= 1'b0;
        if (s_axi_cpu_awvalid && s_axi_cpu_awready) aw_valid_q <= 1'b1;
        else if (aw_fwd) aw_valid_q <= 1'b0;
        rd_out_q <= rd_out_q + {{(OUTS_WIDTH-1){1'b0}}, ar_fwd} - {{(OUTS_WIDTH-1){1'b0}}, r_done};
        wr_out_q <= wr_out_q + {{(OUTS_WIDTH-1){1'b0}}, aw_fwd} - {{(OUTS_WIDTH-1){1'b0}}, b_done};
        w_pend_q <= w_pend_q + {{(OUTS_WIDTH-1){1'b0}}, aw_offer} - {{(OUTS_WIDTH-1){1'b0}}, w_done};
        ar_offer_q <= m_axi_cpu_arvalid && !m_axi_cpu_arready;
        aw_offer_q <= m_axi_cpu_awvalid && !m_axi_cpu_awready;
    end
end

// ---------------------------------------------------------------- maintenance port
assign m_maint_req_valid  = (h_state_q == H_REQ) && !rst;
assign m_maint_req_addr   = {h_page_q, {PAGE_LOG2{1'b0}}};
assign m_maint_req_op     = h_op_q;
// READY low in reset too, its first cycle included: h_state_q is undefined until the first edge, and
// a READY there would take a completion that answers no request
assign s_maint_done_ready = (h_state_q == H_WAIT) && !rst;

// ---------------------------------------------------------------- hide engine sequencing
wire h_last_page = (h_left_q == {{(NP_WIDTH-1){1'b0}}, 1'b1});
wire h_advance = (h_done_entry && !(hide_need && !test_skip_maint) && op_hit)
              || (h_state_q == H_DRAIN && cpu_idle && !h_send_q)
              || (h_state_q == H_WAIT && s_maint_done_valid);

always @(posedge clk) begin
    if (pick) begin
        out_addr_q[pick_ch]  <= pick_addr;
        out_len_q[pick_ch]   <= pick_len;
        out_sof_q[pick_ch]   <= pick_ch ? s_s2mm_cmd_sof : s_mm2s_cmd_sof;
        out_eof_q[pick_ch]   <= pick_ch ? s_s2mm_cmd_eof : s_mm2s_cmd_eof;
        out_user_q[pick_ch]  <= pick_ch ? s_s2mm_cmd_user : s_mm2s_cmd_user;
        out_cache_q[pick_ch] <= s_cmd_cache[pick_ch];
        out_tag_q[pick_ch]   <= pick_ch ? s_s2mm_cmd_tag : s_mm2s_cmd_tag;
        h_page_q   <= pick_addr[ADDR_WIDTH-1:PAGE_LOG2];
        h_first_q  <= pick_addr[ADDR_WIDTH-1:PAGE_LOG2];
        h_off_q    <= pick_addr[PAGE_LOG2-1:0];
        h_left_q   <= pick_npages;
        h_npages_q <= pick_npages;
        h_cache_q  <= s_cmd_cache[pick_ch];
        h_tag_q    <= pick_ch ? s_s2mm_cmd_tag : s_mm2s_cmd_tag;
        h_ch_q     <= pick_ch;
        h_sof_q    <= pick_ch ? s_s2mm_cmd_sof : s_mm2s_cmd_sof;
        h_eof_q    <= pick_ch ? s_s2mm_cmd_eof : s_mm2s_cmd_eof;
        h_refuse_q <= pick_oversize;
        if (pick_oversize) h_npages_q <= {NP_WIDTH{1'b0}};   // refused: no page to unhide
    end
    if (h_done_entry) begin
        h_send_q <= hide_need && !test_skip_maint;
        h_op_q   <= hide_op;
    end
    if (h_advance && !h_last_page) begin
        h_page_q <= h_page_q + 1'b1;
        h_left_q <= h_left_q - 1'b1;
    end
    if (rst) begin
        h_state_q   <= H_IDLE;
        h_rr_q      <= 1'b0;
        h_ch_q      <= 1'b0;
        h_send_q    <= 1'b0;
        h_op_q      <= OP_CLEAN;
        h_cache_q   <= `SGDMA_CACHE_CACHED;
        h_page_q    <= {PN_WIDTH{1'b0}};
        h_left_q    <= {NP_WIDTH{1'b0}};
        oversize_q  <= 1'b0;
        out_valid_q <= 2'b00;
        refused_q   <= 2'b00;
        h_refuse_q  <= 1'b0;
    end else begin
        case (h_state_q)
            H_IDLE: if (pick) begin
                h_rr_q <= pick_ch;
                if (pick_oversize) begin
                    oversize_q <= 1'b1;                        // refuse: no hide, error status
                    refused_q[pick_ch] <= 1'b1;
                    h_state_q <= H_RELEASE;
                end else if (pick_npages == {NP_WIDTH{1'b0}}) begin
                    h_state_q <= H_RELEASE;
                end else begin
                    h_state_q <= H_LOOKUP;
                end
            end
            H_LOOKUP: if (h_done_entry) begin
                if (!op_hit) h_state_q <= H_DRAIN;             // first hide: drain the gate
                else if (hide_need && !test_skip_maint) h_state_q <= H_DRAIN;
                else if (h_last_page) h_state_q <= H_RELEASE;
            end
            H_DRAIN: if (cpu_idle) begin
                if (h_send_q) h_state_q <= H_REQ;
                else h_state_q <= h_last_page ? H_RELEASE : H_LOOKUP;
            end
            H_REQ: if (m_maint_req_ready) h_state_q <= H_WAIT;
            H_WAIT: if (s_maint_done_valid) h_state_q <= h_last_page ? H_RELEASE : H_LOOKUP;
            H_RELEASE: h_state_q <= H_IDLE;
            default: h_state_q <= H_IDLE;
        endcase
        // a refused command, or one of an aborting / flushing channel, never reaches the mover
        // (its in-flight entry is answered or flushed by the unhide agent)
        if (h_state_q == H_RELEASE && !h_refuse_q && !ch_abort[h_ch_q] && !flush_q[h_ch_q])
            out_valid_q[h_ch_q] <= 1'b1;
        if (out_valid_q[0] && (m_cmd_ready[0] || ch_abort[0] || ch_flush[0])) out_valid_q[0] <= 1'b0;
        if (out_valid_q[1] && (m_cmd_ready[1] || ch_abort[1] || ch_flush[1])) out_valid_q[1] <= 1'b0;
        if (ch_flush[0]) refused_q[0] <= 1'b0;
        if (ch_flush[1]) refused_q[1] <= 1'b0;
    end
end

assign m_mm2s_cmd_valid = out_valid_q[0];
assign m_mm2s_cmd_addr  = out_addr_q[0];
assign m_mm2s_cmd_len   = out_len_q[0];
assign m_mm2s_cmd_sof   = out_sof_q[0];
assign m_mm2s_cmd_eof   = out_eof_q[0];
assign m_mm2s_cmd_user  = out_user_q[0];
assign m_mm2s_cmd_cache = out_cache_q[0];
assign m_mm2s_cmd_tag   = out_tag_q[0];
assign m_s2mm_cmd_valid = out_valid_q[1];
assign m_s2mm_cmd_addr  = out_addr_q[1];
assign m_s2mm_cmd_len   = out_len_q[1];
assign m_s2mm_cmd_sof   = out_sof_q[1];
assign m_s2mm_cmd_eof   = out_eof_q[1];
assign m_s2mm_cmd_user  = out_user_q[1];
assign m_s2mm_cmd_cache = out_cache_q[1];
assign m_s2mm_cmd_tag   = out_tag_q[1];

// ---------------------------------------------------------------- in-flight FIFOs and unhide agents
genvar ch;
generate
    for (ch = 0; ch < 2; ch = ch + 1) begin : g_ch
        wire [FIFO_CW-1:0] fifo_count_unused, fifo_free_unused;
        sgdma_fifo #(.WIDTH(FIFO_WIDTH), .DEPTH(INFLIGHT_DEPTH)) u_inflight (
            .clk(clk), .rst(rst),
            .s_data(fifo_s_data), .s_valid(fifo_push && h_ch_q == ch), .s_ready(fifo_s_ready[ch]),
            .m_data(fifo_m_data[ch]), .m_valid(fifo_m_valid[ch]), .m_ready(fifo_pop[ch]),
            .count(fifo_count_unused), .free(fifo_free_unused)
        );
        wire [TAG_WIDTH-1:0]  f_tag    = fifo_m_data[ch][FIFO_WIDTH-4 -: TAG_WIDTH];
        wire                  f_refused = fifo_m_data[ch][FIFO_WIDTH-1];
        wire                  f_sof    = fifo_m_data[ch][FIFO_WIDTH-2];
        wire                  f_eof    = fifo_m_data[ch][FIFO_WIDTH-3];
        wire u_idle     = (u_state_q[ch] == U_IDLE);
        wire flushing   = flush_q[ch] || ch_flush[ch];
        // a mover status for the head command; a refused head answered by the unit itself;
        // a head flushed (no status will come: the mover was reset)
        wire take       = u_idle && !flushing && s_sts_valid[ch] && fifo_m_valid[ch] && !f_refused;
        wire take_ref   = u_idle && !flushing && fifo_m_valid[ch] && f_refused;
        wire take_flush = u_idle && flush_q[ch] && fifo_m_valid[ch];
        assign fifo_pop[ch] = take || take_ref || take_flush;
        // flush done: nothing of this channel left in the FIFO, the agent or the hide engine
        wire h_busy_ch  = (h_state_q != H_IDLE) && (h_ch_q == ch);
        assign ch_quiet[ch] = u_idle && !s_sts_valid[ch] && !flushing;
        always @(posedge clk) begin
            if (rst) flush_q[ch] <= 1'b0;
            else if (ch_flush[ch]) flush_q[ch] <= 1'b1;
            else if (u_idle && !fifo_m_valid[ch] && !h_busy_ch) flush_q[ch] <= 1'b0;
        end
        wire [PN_WIDTH-1:0]   f_first  = fifo_m_data[ch][NP_WIDTH+PAGE_LOG2 +: PN_WIDTH];
        wire [NP_WIDTH-1:0]   f_npages = fifo_m_data[ch][PAGE_LOG2 +: NP_WIDTH];
        wire [PAGE_LOG2-1:0]  f_off    = fifo_m_data[ch][PAGE_LOG2-1:0];
        // pages the device wrote: those covering [offset, offset + sts_len) (S2MM only)
        /* verilator lint_off UNUSEDSIGNAL */ // low bits: in-page offset of the last byte (unused)
        wire [SUM_WIDTH-1:0]  wr_last  = {{(SUM_WIDTH-PAGE_LOG2){1'b0}}, f_off}
                                       + {{(SUM_WIDTH-LEN_WIDTH){1'b0}}, s_sts_len[ch]} - 1'b1;
        /* verilator lint_on UNUSEDSIGNAL */
        wire [NP_WIDTH-1:0]   wr_pages = (ch == 0 || s_sts_len[ch] == {LEN_WIDTH{1'b0}}) ?
                                         {NP_WIDTH{1'b0}} : {1'b0, wr_last[SUM_WIDTH-1:PAGE_LOG2]} + 1'b1;
        wire granted = u_gnt && (u_gnt_ch == ch);
        always @(posedge clk) begin
            if (take) begin
                u_page_q[ch]    <= f_first;
                u_left_q[ch]    <= f_npages;
                u_wr_left_q[ch] <= wr_pages;
                u_tag_q[ch]     <= s_sts_tag[ch];
                u_len_q[ch]     <= s_sts_len[ch];
                u_err_q[ch]     <= ch ? s_s2mm_sts_error : s_mm2s_sts_error;
                u_sof_q[ch]     <= ch ? s_s2mm_sts_sof : s_mm2s_sts_sof;
                u_eof_q[ch]     <= ch ? s_s2mm_sts_eof : s_mm2s_sts_eof;
            end
            if (take_ref) begin                   // refused (oversize): nothing moved
                u_tag_q[ch]     <= f_tag;
                u_len_q[ch]     <= {LEN_WIDTH{1'b0}};
                u_err_q[ch]     <= `SGDMA_ERR_LEN_RANGE;
                u_sof_q[ch]     <= f_sof;
                u_eof_q[ch]     <= f_eof;
            end
            if (take_flush) begin                 // aborted: S2MM may have written any page
                u_page_q[ch]    <= f_first;
                u_left_q[ch]    <= f_npages;
                u_wr_left_q[ch] <= (ch == 0) ? {NP_WIDTH{1'b0}} : f_npages;
            end
            if (granted) begin
                u_page_q[ch] <= u_page_q[ch] + 1'b1;
                u_left_q[ch] <= u_left_q[ch] - 1'b1;
                if (u_wr_left_q[ch] != {NP_WIDTH{1'b0}}) u_wr_left_q[ch] <= u_wr_left_q[ch] - 1'b1;
            end
            if (rst) begin
                u_state_q[ch]   <= U_IDLE;
                u_drop_q[ch]    <= 1'b0;
                u_page_q[ch]    <= {PN_WIDTH{1'b0}};
                u_left_q[ch]    <= {NP_WIDTH{1'b0}};
                u_wr_left_q[ch] <= {NP_WIDTH{1'b0}};
            end else begin
                case (u_state_q[ch])
                    U_IDLE: begin
                        if (take) u_state_q[ch] <= (f_npages == {NP_WIDTH{1'b0}}) ? U_OUT : U_RUN;
                        if (take_ref) u_state_q[ch] <= U_OUT;
                        if (take_flush) u_state_q[ch] <= (f_npages == {NP_WIDTH{1'b0}}) ? U_IDLE : U_RUN;
                        u_drop_q[ch] <= take_flush;
                    end
                    U_RUN: if (granted && u_left_q[ch] == {{(NP_WIDTH-1){1'b0}}, 1'b1})
                        u_state_q[ch] <= (u_drop_q[ch] || ch_flush[ch]) ? U_IDLE : U_OUT;
                    U_OUT: if (m_sts_ready[ch] || ch_flush[ch]) u_state_q[ch] <= U_IDLE;
                    default: u_state_q[ch] <= U_IDLE;
                endcase
                // a status still on its way when the mover is reset is not passed on
                if (ch_flush[ch] && u_state_q[ch] == U_RUN) u_drop_q[ch] <= 1'b1;
            end
        end
`ifdef SGDMA_ASSERTIONS
        always @(posedge clk) begin
            if (!rst && take && s_sts_tag[ch] != f_tag)
                $fatal(1, "sgdma_hide: channel %0d status tag %0d, expected %0d (command order)",
                       ch, s_sts_tag[ch], f_tag);
            if (!rst && (u_state_q[ch] == U_IDLE) && !flushing && s_sts_valid[ch] && !fifo_m_valid[ch])
                $fatal(1, "sgdma_hide: channel %0d status without a released command", ch);
        end
`endif
    end
endgenerate

assign s_mm2s_sts_ready = (u_state_q[0] == U_IDLE) && fifo_m_valid[0] && !f_head_refused[0] &&
                          !flush_q[0] && !ch_flush[0];
assign s_s2mm_sts_ready = (u_state_q[1] == U_IDLE) && fifo_m_valid[1] && !f_head_refused[1] &&
                          !flush_q[1] && !ch_flush[1];
assign m_mm2s_sts_valid = (u_state_q[0] == U_OUT);
assign m_mm2s_sts_tag   = u_tag_q[0];
assign m_mm2s_sts_len   = u_len_q[0];
assign m_mm2s_sts_error = u_err_q[0];
assign m_mm2s_sts_sof   = u_sof_q[0];
assign m_mm2s_sts_eof   = u_eof_q[0];
assign m_s2mm_sts_valid = (u_state_q[1] == U_OUT);
assign m_s2mm_sts_tag   = u_tag_q[1];
assign m_s2mm_sts_len   = u_len_q[1];
assign m_s2mm_sts_error = u_err_q[1];
assign m_s2mm_sts_sof   = u_sof_q[1];
assign m_s2mm_sts_eof   = u_eof_q[1];

// ---------------------------------------------------------------- table update, events, counters
reg                     mod_valid_q, trace_valid_q, trace_unhide_q, trace_modified_q;
reg [PN_WIDTH-1:0]      mod_page_q, trace_page_q, last_mod_page_q;
reg [CNT_WIDTH-1:0]     trace_count_q;
reg [COUNTER_WIDTH-1:0] cnt_hides_q, cnt_maint_q, cnt_full_q, cnt_mod_q, cnt_cpu_q;

wire [CNT_WIDTH-1:0] hit_count  = ent_count_q[op_hit_idx];
wire                 unhide_last = u_gnt && op_hit && (hit_count == {{(CNT_WIDTH-1){1'b0}}, 1'b1});
wire                 unhide_mod  = ent_wr_q[op_hit_idx] || op_unhide_wr;

always @(posedge clk) begin
    mod_valid_q   <= 1'b0;
    trace_valid_q <= 1'b0;
    if (u_gnt && op_hit) begin
        ent_count_q[op_hit_idx] <= hit_count - 1'b1;
        if (op_unhide_wr) ent_wr_q[op_hit_idx] <= 1'b1;
        trace_valid_q    <= 1'b1;
        trace_unhide_q   <= 1'b1;
        trace_page_q     <= op_page;
        trace_count_q    <= hit_count - 1'b1;
        trace_modified_q <= unhide_last && unhide_mod;
        if (unhide_last && unhide_mod) begin
            mod_valid_q     <= 1'b1;
            mod_page_q      <= op_page;
            last_mod_page_q <= op_page;
        end
    end
    if (h_done_entry) begin
        trace_valid_q    <= 1'b1;
        trace_unhide_q   <= 1'b0;
        trace_page_q     <= op_page;
        trace_modified_q <= 1'b0;
        if (op_hit) begin
            ent_count_q[op_hit_idx] <= hit_count + 1'b1;
            trace_count_q <= hit_count + 1'b1;
            if (hide_cached) ent_inval_q[op_hit_idx] <= 1'b1;
        end else begin
            ent_pages_q[op_free_idx*PN_WIDTH +: PN_WIDTH] <= op_page;
            ent_count_q[op_free_idx] <= {{(CNT_WIDTH-1){1'b0}}, 1'b1};
            ent_wr_q[op_free_idx]    <= 1'b0;
            ent_inval_q[op_free_idx] <= hide_cached;
            trace_count_q <= {{(CNT_WIDTH-1){1'b0}}, 1'b1};
        end
    end
    if (rst) begin
        ent_valid_q <= {HIDE_ENTRIES{1'b0}};
        ent_wr_q    <= {HIDE_ENTRIES{1'b0}};
        ent_inval_q <= {HIDE_ENTRIES{1'b0}};
        used_q      <= 16'd0;
        u_rr_q      <= 1'b0;
        mod_valid_q <= 1'b0;
        mod_page_q  <= {PN_WIDTH{1'b0}};
        last_mod_page_q <= {PN_WIDTH{1'b0}};
        trace_valid_q <= 1'b0;
        trace_unhide_q <= 1'b0;
        trace_modified_q <= 1'b0;
        trace_page_q <= {PN_WIDTH{1'b0}};
        trace_count_q <= {CNT_WIDTH{1'b0}};
        cnt_hides_q <= {COUNTER_WIDTH{1'b0}};
        cnt_maint_q <= {COUNTER_WIDTH{1'b0}};
        cnt_full_q  <= {COUNTER_WIDTH{1'b0}};
        cnt_mod_q   <= {COUNTER_WIDTH{1'b0}};
        cnt_cpu_q   <= {COUNTER_WIDTH{1'b0}};
    end else begin
        if (u_gnt) u_rr_q <= u_gnt_ch;
        if (unhide_last) ent_valid_q[op_hit_idx] <= 1'b0;
        if (h_done_entry && !op_hit) ent_valid_q[op_free_idx] <= 1'b1;
        used_q <= used_q + {15'd0, h_done_entry && !op_hit} - {15'd0, unhide_last};
        if (h_done_entry) cnt_hides_q <= cnt_hides_q + 1'b1;
        if (m_maint_req_valid && m_maint_req_ready) cnt_maint_q <= cnt_maint_q + 1'b1;
        if (h_full) cnt_full_q <= cnt_full_q + 1'b1;
        if (unhide_last && unhide_mod) cnt_mod_q <= cnt_mod_q + 1'b1;
        if (cpu_stalled) cnt_cpu_q <= cnt_cpu_q + 1'b1;
    end
end

// the event pulses are outputs of sgdma: low in reset from its first cycle (registers undefined until
// the first edge; a power-on pulse would report a page that was never modified)
assign mod_valid         = mod_valid_q && !rst;
assign mod_addr          = {mod_page_q, {PAGE_LOG2{1'b0}}};
assign trace_valid       = trace_valid_q && !rst;
assign trace_unhide      = trace_unhide_q;
assign trace_addr        = {trace_page_q, {PAGE_LOG2{1'b0}}};
assign trace_count       = {{(16-CNT_WIDTH){1'b0}}, trace_count_q};
assign trace_modified    = trace_modified_q;
assign sts_entries_used  = used_q;
assign sts_oversize      = oversize_q;
assign sts_last_mod_addr = {last_mod_page_q, {PAGE_LOG2{1'b0}}};
assign cnt_hides         = cnt_hides_q;
assign cnt_maint         = cnt_maint_q;
assign cnt_full_stall    = cnt_full_q;
assign cnt_modified      = cnt_mod_q;
assign cnt_cpu_stall     = cnt_cpu_q;

`ifdef SGDMA_ASSERTIONS
always @(posedge clk) begin
    if (!rst) begin
        if ((u_gnt || h_gnt) && op_hits > 1)
            $fatal(1, "sgdma_hide: page %0h held by %0d table entries", op_page, op_hits);
        if (u_gnt && !op_hit)
            $fatal(1, "sgdma_hide: unhide of page %0h that is not hidden", op_page);
        if (h_done_entry && op_hit && hit_count == {CNT_WIDTH{1'b1}})
            $fatal(1, "sgdma_hide: hide count of page %0h overflows", op_page);
        if (s_maint_done_valid && h_state_q != H_WAIT)
            $fatal(1, "sgdma_hide: maintenance completion without a request");
        if ((r_done && rd_out_q == 0) || (b_done && wr_out_q == 0))
            $fatal(1, "sgdma_hide: CPU response without a forwarded request");
        if ((ar_fwd && rd_out_q == {OUTS_WIDTH{1'b1}}) || (aw_fwd && wr_out_q == {OUTS_WIDTH{1'b1}}))
            $fatal(1, "sgdma_hide: too many CPU transactions in flight");
    end
end
`endif

endmodule

`resetall
