// axi_hostile: a legal but unfriendly AXI4 interconnect between a DUT's master port (s_axi_*, the
// shim is the slave) and a memory model (m_axi_*, the shim is the master). Testbench only.
//
// Every behaviour is one bit of the run-time input `mode` (set once before reset is released; one
// build serves every mode), seeded by `seed` (xorshift32 generators, one per random choice):
//   bit 0 AW_WAIT_W    AWREADY stays low until WVALID of that AW's burst has been seen (same cycle
//                      allowed): a master that waits for AWREADY before WVALID deadlocks (A3.3.1).
//   bit 1 W_WAIT_AW    WREADY stays low until AWVALID of that W burst's AW has been seen.
//   bit 2 R_REORDER    R bursts of different IDs returned out of order: per-ID buffers, each burst
//                      held 0..31 cycles (random), the next burst taken from a random ready ID
//                      (bursts stay whole).
//   bit 3 R_INTERLEAVE R beats of different IDs interleaved: holds as above, a random ready ID for
//                      every beat.
//   bit 4 B_REORDER    B responses of different IDs out of order: each held 0..63 cycles (random),
//                      then a random ready ID.
//   bit 5 STALL        every channel (AW, W, AR READY; R, B VALID) stalls at random for 0..STALL_MAX
//                      cycles at a time.
//   bit 6 LATENCY      every R beat and B response waits LATENCY cycles after the memory answered.
//   bit 7 B_NEXT       the shim answers every write itself, OKAY, with BVALID the cycle after the write
//                      completes (its last W handshake with its AW taken, or its AW handshake when W
//                      led): the earliest B that AXI allows. The memory's own B is taken and dropped
//                      (it must be OKAY: use without injected write faults). Overrides bits 4..6 for B.
// mode = 0 is a plain wire (no added cycle). Same-ID order is always kept (AXI requires it), W order
// is never touched (W has no ID), and a VALID the shim drives toward the DUT stays up until taken.
// R/B bits set: responses pass through one output register after per-ID buffers (ID_COUNT IDs,
// R_DEPTH beats / B_DEPTH responses each; a full buffer holds the memory's READY low).
//
// Counters (what each mode did, for its negative control; reset by rst):
//   cnt_aw_early     AW handshakes before any WVALID of the burst was seen (0 under AW_WAIT_W)
//   cnt_w_early      W beats taken before their AW was seen (0 under W_WAIT_AW)
//   cnt_aw_held      cycles AWVALID waited on the W gate; cnt_w_held: cycles WVALID waited on the AW gate
//   cnt_r_reorder    R bursts started while an older burst of another ID was still buffered
//   cnt_r_interleave R beats given while a burst of another ID was half sent
//   cnt_b_reorder    B responses given while an older one of another ID was still buffered
//   cnt_stall        cycles with at least one channel stalled
//   r_min_delay      fewest cycles the first beat of an R burst spent in the shim (all ones until one)
//   cnt_b_next       B responses offered the cycle after their write completed (B_NEXT)
`resetall
`timescale 1ns / 1ps
`default_nettype none

module axi_hostile #(
    parameter integer DATA_WIDTH = 64,    // AXI data width
    parameter integer ADDR_WIDTH = 64,    // AXI address width
    parameter integer ID_WIDTH   = 4,     // AXI ID width
    parameter integer ID_COUNT   = 4,     // IDs 0..ID_COUNT-1 buffered apart (power of two, >= 2)
    parameter integer R_DEPTH    = 256,   // R beats buffered per ID (power of two)
    parameter integer B_DEPTH    = 64,    // B responses buffered per ID (power of two)
    parameter integer LATENCY    = 128,   // LATENCY mode: cycles a response waits in the shim
    parameter integer STALL_MAX  = 64     // STALL mode: longest stall of one channel, cycles
) (
    input  wire                       clk,
    input  wire                       rst,
    input  wire [7:0]                 mode,
    input  wire [31:0]                seed,

    input  wire [ID_WIDTH-1:0]        s_axi_awid,
    input  wire [ADDR_WIDTH-1:0]      s_axi_awaddr,
    input  wire [7:0]                 s_axi_awlen,
    input  wire [2:0]                 s_axi_awsize,
    input  wire [1:0]                 s_axi_awburst,
    input  wire                       s_axi_awlock,
    input  wire [3:0]                 s_axi_awcache,
    input  wire [2:0]                 s_axi_awprot,
    input  wire                       s_axi_awvalid,
    output wire                       s_axi_awready,
    input  wire [DATA_WIDTH-1:0]      s_axi_wdata,
    input  wire [DATA_WIDTH/8-1:0]    s_axi_wstrb,
    input  wire                       s_axi_wlast,
    input  wire                       s_axi_wvalid,
    output wire                       s_axi_wready,
    output wire [ID_WIDTH-1:0]        s_axi_bid,
    output wire [1:0]                 s_axi_bresp,
    output wire                       s_axi_bvalid,
    input  wire                       s_axi_bready,
    input  wire [ID_WIDTH-1:0]        s_axi_arid,
    input  wire [ADDR_WIDTH-1:0]      s_axi_araddr,
    input  wire [7:0]                 s_axi_arlen,
    input  wire [2:0]                 s_axi_arsize,
    input  wire [1:0]                 s_axi_arburst,
    input  wire                       s_axi_arlock,
    input  wire [3:0]                 s_axi_arcache,
    input  wire [2:0]                 s_axi_arprot,
    input  wire                       s_axi_arvalid,
    output wire                       s_axi_arready,
    output wire [ID_WIDTH-1:0]        s_axi_rid,
    output wire [DATA_WIDTH-1:0]      s_axi_rdata,
    output wire [1:0]                 s_axi_rresp,
    output wire                       s_axi_rlast,
    output wire                       s_axi_rvalid,
    input  wire                       s_axi_rready,

    output wire [ID_WIDTH-1:0]        m_axi_awid,
    output wire [ADDR_WIDTH-1:0]      m_axi_awaddr,
    output wire [7:0]                 m_axi_awlen,
    output wire [2:0]                 m_axi_awsize,
    output wire [1:0]                 m_axi_awburst,
    output wire                       m_axi_awlock,
    output wire [3:0]                 m_axi_awcache,
    output wire [2:0]                 m_axi_awprot,
    output wire                       m_axi_awvalid,
    input  wire                       m_axi_awready,
    output wire [DATA_WIDTH-1:0]      m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]    m_axi_wstrb,
    output wire                       m_axi_wlast,
    output wire                       m_axi_wvalid,
    input  wire                       m_axi_wready,
    input  wire [ID_WIDTH-1:0]        m_axi_bid,
    input  wire [1:0]                 m_axi_bresp,
    input  wire                       m_axi_bvalid,
    output wire                       m_axi_bready,
    output wire [ID_WIDTH-1:0]        m_axi_arid,
    output wire [ADDR_WIDTH-1:0]      m_axi_araddr,
    output wire [7:0]                 m_axi_arlen,
    output wire [2:0]                 m_axi_arsize,
    output wire [1:0]                 m_axi_arburst,
    output wire                       m_axi_arlock,
    output wire [3:0]                 m_axi_arcache,
    output wire [2:0]                 m_axi_arprot,
    output wire                       m_axi_arvalid,
    input  wire                       m_axi_arready,
    input  wire [ID_WIDTH-1:0]        m_axi_rid,
    input  wire [DATA_WIDTH-1:0]      m_axi_rdata,
    input  wire [1:0]                 m_axi_rresp,
    input  wire                       m_axi_rlast,
    input  wire                       m_axi_rvalid,
    output wire                       m_axi_rready,

    output reg  [31:0]                cnt_aw_early,
    output reg  [31:0]                cnt_w_early,
    output reg  [31:0]                cnt_aw_held,
    output reg  [31:0]                cnt_w_held,
    output reg  [31:0]                cnt_r_reorder,
    output reg  [31:0]                cnt_r_interleave,
    output reg  [31:0]                cnt_b_reorder,
    output reg  [31:0]                cnt_stall,
    output reg  [31:0]                r_min_delay,
    output reg  [31:0]                cnt_b_next
);

localparam integer IDB  = $clog2(ID_COUNT);
localparam integer RPW  = $clog2(R_DEPTH);
localparam integer BPW  = $clog2(B_DEPTH);
localparam integer SEQW = 16;
localparam integer STALL_MAX_P1 = STALL_MAX + 1;

localparam integer M_AW_WAIT_W = 0, M_W_WAIT_AW = 1, M_R_REORDER = 2, M_R_INTERLEAVE = 3,
                   M_B_REORDER = 4, M_STALL = 5, M_LATENCY = 6, M_B_NEXT = 7;

initial begin
    if (ID_COUNT < 2 || (1 << IDB) != ID_COUNT || ID_COUNT > (1 << ID_WIDTH))
        $fatal(1, "axi_hostile: ID_COUNT (%0d) must be a power of two, 2..2**ID_WIDTH", ID_COUNT);
    if ((1 << RPW) != R_DEPTH || (1 << BPW) != B_DEPTH || R_DEPTH < 2 || B_DEPTH < 2)
        $fatal(1, "axi_hostile: R_DEPTH (%0d) and B_DEPTH (%0d) must be powers of two >= 2", R_DEPTH, B_DEPTH);
    if (STALL_MAX < 1 || STALL_MAX > 254 || LATENCY < 0)
        $fatal(1, "axi_hostile: STALL_MAX (%0d) must be 1..254, LATENCY (%0d) >= 0", STALL_MAX, LATENCY);
end

wire aw_wait_w  = mode[M_AW_WAIT_W];
wire w_wait_aw  = mode[M_W_WAIT_AW];
wire r_reorder  = mode[M_R_REORDER];
wire r_ilv      = mode[M_R_INTERLEAVE];
wire b_reorder  = mode[M_B_REORDER];
wire stall_on   = mode[M_STALL];
wire lat_on     = mode[M_LATENCY];
wire b_next     = mode[M_B_NEXT];
wire r_buffered = r_reorder || r_ilv || stall_on || lat_on;
wire b_buffered = (b_reorder || stall_on || lat_on) && !b_next;
// State only a mode reads changes only under that mode: the response buffers fill only while they
// deliver, the cycle count runs only while a buffer times its contents, and each generator draws only
// while its mode picks with it. The combinational pickers below then see no input change per cycle in
// mode 0 (Icarus re-evaluates a whole always @* block on any change), and every mode's behaviour,
// counters and random sequence are as before (the mode is constant after reset).
wire r_random   = r_reorder || r_ilv;
wire timed      = r_buffered || b_buffered;
// The state of the modes (stall generators, response buffers, B_NEXT queue, cycle count) is clocked
// by mode_clk, which runs only in reset or while a mode is on: in mode 0 (most system tests) Icarus
// then wakes none of those blocks. The mode is constant after reset, so mode_clk is clk or stopped;
// it rises in the same time step as clk and its blocks sample before any nonblocking update.
// 3 idle shims on Icarus: 29.7 -> 3.0 us per cycle (with the AW/W guard below).
wire mode_clk   = clk & (rst | (|mode));

reg [31:0] now_q;

// ------------------------------------------------------------------------------------------------
// random sources: xorshift32, one per use, each from `seed` and its own constant (never 0)
// ------------------------------------------------------------------------------------------------
function automatic [31:0] xs_next(input [31:0] x);
    reg [31:0] y;
    begin
        y = x ^ (x << 13);
        y = y ^ (y >> 17);
        xs_next = y ^ (y << 5);
    end
endfunction

// a stall length 0..STALL_MAX from 8 random bits
function automatic [7:0] st_len(input [7:0] r);
    begin
        st_len = r % STALL_MAX_P1[7:0];
    end
endfunction

function automatic [31:0] xs_seed(input [31:0] s, input [31:0] k);
    begin
        xs_seed = ((s ^ k) == 32'd0) ? k : (s ^ k);
    end
endfunction

// ------------------------------------------------------------------------------------------------
// STALL: per channel 0 AW, 1 W, 2 AR, 3 R, 4 B; a stall of 0..STALL_MAX cycles starts with p = 1/8
// ------------------------------------------------------------------------------------------------
reg [31:0] st_rng_q [0:4];
reg [7:0]  st_cnt_q [0:4];
wire [4:0] stalled;
genvar gc;
generate
    for (gc = 0; gc < 5; gc = gc + 1) begin : g_stall
        assign stalled[gc] = stall_on && (st_cnt_q[gc] != 8'd0);
        always @(posedge mode_clk) begin
            if (rst) begin
                st_rng_q[gc] <= xs_seed(seed, 32'h9E37_79B9 + gc);
                st_cnt_q[gc] <= 8'd0;
            end else if (stall_on) begin
                st_rng_q[gc] <= xs_next(st_rng_q[gc]);
                if (st_cnt_q[gc] != 8'd0)
                    st_cnt_q[gc] <= st_cnt_q[gc] - 8'd1;
                else if (st_rng_q[gc][2:0] == 3'd0)
                    st_cnt_q[gc] <= st_len(st_rng_q[gc][15:8]);
            end
        end
    end
endgenerate

// ------------------------------------------------------------------------------------------------
// AW and W: ordering gates (W bursts follow AW order, so burst k of W belongs to AW k)
// ------------------------------------------------------------------------------------------------
reg  [15:0] aw_cnt_q;       // AW handshakes
reg  [15:0] wstart_cnt_q;   // W bursts whose first WVALID has been seen
reg  [15:0] wdone_cnt_q;    // W bursts completed (WLAST handshakes)
reg         w_counted_q;    // the current W burst's first WVALID is already counted

wire        w_start_now  = s_axi_wvalid && !w_counted_q;
wire [15:0] wstart_total = wstart_cnt_q + {15'd0, w_start_now};
wire [15:0] w_lead       = wstart_total - aw_cnt_q;          // W bursts seen beyond the AWs taken
wire        w_seen_for_aw = !w_lead[15] && (w_lead != 16'd0);
wire [15:0] aw_lead      = aw_cnt_q - wdone_cnt_q;           // AWs taken beyond the W bursts done
wire        aw_seen_for_w = (!aw_lead[15] && aw_lead != 16'd0) || (aw_lead == 16'd0 && s_axi_awvalid);

wire bn_full;   // B_NEXT: its AWID queue is full (below)
wire aw_open = (!aw_wait_w || w_seen_for_aw) && !stalled[0] && !(b_next && bn_full);
wire w_open  = (!w_wait_aw || aw_seen_for_w) && !stalled[1];
wire ar_open = !stalled[2];

assign m_axi_awid    = s_axi_awid;
assign m_axi_awaddr  = s_axi_awaddr;
assign m_axi_awlen   = s_axi_awlen;
assign m_axi_awsize  = s_axi_awsize;
assign m_axi_awburst = s_axi_awburst;
assign m_axi_awlock  = s_axi_awlock;
assign m_axi_awcache = s_axi_awcache;
assign m_axi_awprot  = s_axi_awprot;
assign m_axi_awvalid = s_axi_awvalid && aw_open;
assign s_axi_awready = m_axi_awready && aw_open;
assign m_axi_wdata   = s_axi_wdata;
assign m_axi_wstrb   = s_axi_wstrb;
assign m_axi_wlast   = s_axi_wlast;
assign m_axi_wvalid  = s_axi_wvalid && w_open;
assign s_axi_wready  = m_axi_wready && w_open;
assign m_axi_arid    = s_axi_arid;
assign m_axi_araddr  = s_axi_araddr;
assign m_axi_arlen   = s_axi_arlen;
assign m_axi_arsize  = s_axi_arsize;
assign m_axi_arburst = s_axi_arburst;
assign m_axi_arlock  = s_axi_arlock;
assign m_axi_arcache = s_axi_arcache;
assign m_axi_arprot  = s_axi_arprot;
assign m_axi_arvalid = s_axi_arvalid && ar_open;
assign s_axi_arready = m_axi_arready && ar_open;

wire aw_hs = s_axi_awvalid && s_axi_awready;
wire w_hs  = s_axi_wvalid && s_axi_wready;

always @(posedge clk) begin
    if (rst) begin
        aw_cnt_q     <= 16'd0;
        wstart_cnt_q <= 16'd0;
        wdone_cnt_q  <= 16'd0;
        w_counted_q  <= 1'b0;
        cnt_aw_early <= 32'd0;
        cnt_w_early  <= 32'd0;
        cnt_aw_held  <= 32'd0;
        cnt_w_held   <= 32'd0;
    end else if (s_axi_awvalid || s_axi_wvalid) begin
        // (with neither VALID up, nothing below changes: the guard only spares Icarus the work)
        if (aw_hs) aw_cnt_q <= aw_cnt_q + 16'd1;
        wstart_cnt_q <= wstart_total;
        if (w_hs && s_axi_wlast) wdone_cnt_q <= wdone_cnt_q + 16'd1;
        w_counted_q <= (w_counted_q || w_start_now) && !(w_hs && s_axi_wlast);
        if (aw_hs && !w_seen_for_aw) cnt_aw_early <= cnt_aw_early + 32'd1;
        if (w_hs && !aw_seen_for_w) cnt_w_early <= cnt_w_early + 32'd1;
        if (s_axi_awvalid && aw_wait_w && !w_seen_for_aw) cnt_aw_held <= cnt_aw_held + 32'd1;
        if (s_axi_wvalid && w_wait_aw && !aw_seen_for_w) cnt_w_held <= cnt_w_held + 32'd1;
    end
end

// a due cycle still in the future (32-bit cycle counts, compared modulo 2**32)
function automatic due_later(input [31:0] due, input [31:0] now);
    reg [31:0] d;
    begin
        d = due - now;
        due_later = !d[31] && (d != 32'd0);
    end
endfunction

// ------------------------------------------------------------------------------------------------
// R: per-ID buffers {data, resp, last, arrival cycle, burst sequence number}
// ------------------------------------------------------------------------------------------------
localparam integer R_SLOTS = ID_COUNT * R_DEPTH;
reg [DATA_WIDTH-1:0] r_data_mem [0:R_SLOTS-1];
reg [1:0]            r_resp_mem [0:R_SLOTS-1];
reg                  r_last_mem [0:R_SLOTS-1];
reg [31:0]           r_time_mem [0:R_SLOTS-1];  // arrival cycle
reg [31:0]           r_due_mem  [0:R_SLOTS-1];  // first cycle it may leave (arrival + hold + latency)
reg [SEQW-1:0]       r_seq_mem  [0:R_SLOTS-1];
reg [RPW:0]          r_wr_q [0:ID_COUNT-1];
reg [RPW:0]          r_rd_q [0:ID_COUNT-1];
reg [ID_COUNT-1:0]   r_mid_q;          // a burst of this ID is half sent
reg [SEQW-1:0]       r_seq_q;          // sequence number of the burst arriving from memory
reg                  r_in_first_q;     // the next beat from memory starts a burst
reg [31:0]           r_due_q;          // due cycle of the burst arriving (kept for its later beats)
reg [31:0]           r_rng_q;

reg                  r_out_valid_q;
reg [IDB-1:0]        r_out_id_q;
reg [DATA_WIDTH-1:0] r_out_data_q;
reg [1:0]            r_out_resp_q;
reg                  r_out_last_q;

wire [IDB-1:0] r_in_id = m_axi_rid[IDB-1:0];
reg  [ID_COUNT-1:0] r_full, r_nonempty, r_ready_id;
reg  [SEQW-1:0]     r_head_seq [0:ID_COUNT-1];
reg  [IDB-1:0]      r_pick;
reg                 r_pick_ok;
reg                 r_pick_reorder, r_pick_interleave;
reg  [IDB-1:0]      r_oldest;
integer i, k;

always @* begin
    for (i = 0; i < ID_COUNT; i = i + 1) begin
        r_full[i]     = (r_wr_q[i] - r_rd_q[i]) == R_DEPTH[RPW:0];
        r_nonempty[i] = (r_wr_q[i] != r_rd_q[i]);
        r_head_seq[i] = r_seq_mem[{i[IDB-1:0], r_rd_q[i][RPW-1:0]}];
        r_ready_id[i] = r_nonempty[i] && !due_later(r_due_mem[{i[IDB-1:0], r_rd_q[i][RPW-1:0]}], now_q);
    end
    // the oldest buffered burst (memory order), for in-order delivery and the reorder count
    r_oldest = {IDB{1'b0}};
    for (i = ID_COUNT - 1; i >= 0; i = i - 1) begin
        if (r_nonempty[i] && (!r_nonempty[r_oldest] || $signed(r_head_seq[i] - r_head_seq[r_oldest]) < 0))
            r_oldest = i[IDB-1:0];
    end
    r_pick = r_oldest;
    if ((|r_mid_q) && !r_ilv) begin
        r_pick = r_out_id_q;                          // a burst in progress stays whole
    end else if (r_ilv || r_reorder) begin
        r_pick = r_rng_q[IDB-1:0];
        for (k = ID_COUNT - 1; k >= 0; k = k - 1) begin
            if (r_ready_id[r_rng_q[IDB-1:0] + k[IDB-1:0]]) r_pick = r_rng_q[IDB-1:0] + k[IDB-1:0];
        end
    end
    r_pick_ok = r_ready_id[r_pick] && !stalled[3];
    r_pick_reorder = 1'b0;
    r_pick_interleave = 1'b0;
    for (i = 0; i < ID_COUNT; i = i + 1) begin
        if (i[IDB-1:0] != r_pick && r_nonempty[i] && !r_mid_q[r_pick] && !r_mid_q[i] &&
            $signed(r_head_seq[i] - r_head_seq[r_pick]) < 0) r_pick_reorder = 1'b1;
        if (i[IDB-1:0] != r_pick && r_mid_q[i]) r_pick_interleave = 1'b1;
    end
end

wire r_in  = r_buffered && m_axi_rvalid && m_axi_rready;
wire [31:0] r_hold = (r_reorder || r_ilv) ? {27'd0, r_rng_q[20:16]} : 32'd0;
wire [31:0] r_due_in = r_in_first_q ? now_q + r_hold + (lat_on ? LATENCY : 0) : r_due_q;
wire r_pop = r_buffered && r_pick_ok && (!r_out_valid_q || s_axi_rready);
wire [IDB+RPW-1:0] r_pop_slot = {r_pick, r_rd_q[r_pick][RPW-1:0]};
wire [31:0] r_delay = now_q - r_time_mem[r_pop_slot];

assign m_axi_rready = r_buffered ? (m_axi_rvalid && !r_full[r_in_id]) : s_axi_rready;
assign s_axi_rvalid = r_buffered ? r_out_valid_q : m_axi_rvalid;
assign s_axi_rid    = r_buffered ? {{(ID_WIDTH-IDB){1'b0}}, r_out_id_q} : m_axi_rid;
assign s_axi_rdata  = r_buffered ? r_out_data_q : m_axi_rdata;
assign s_axi_rresp  = r_buffered ? r_out_resp_q : m_axi_rresp;
assign s_axi_rlast  = r_buffered ? r_out_last_q : m_axi_rlast;

always @(posedge mode_clk) begin
    if (r_in) begin
        r_data_mem[{r_in_id, r_wr_q[r_in_id][RPW-1:0]}] <= m_axi_rdata;
        r_resp_mem[{r_in_id, r_wr_q[r_in_id][RPW-1:0]}] <= m_axi_rresp;
        r_last_mem[{r_in_id, r_wr_q[r_in_id][RPW-1:0]}] <= m_axi_rlast;
        r_time_mem[{r_in_id, r_wr_q[r_in_id][RPW-1:0]}] <= now_q;
        r_due_mem[{r_in_id, r_wr_q[r_in_id][RPW-1:0]}]  <= r_due_in;
        r_seq_mem[{r_in_id, r_wr_q[r_in_id][RPW-1:0]}]  <= r_seq_q;
    end
    if (r_pop) begin
        r_out_id_q   <= r_pick;
        r_out_data_q <= r_data_mem[r_pop_slot];
        r_out_resp_q <= r_resp_mem[r_pop_slot];
        r_out_last_q <= r_last_mem[r_pop_slot];
    end
    if (rst) begin
        for (i = 0; i < ID_COUNT; i = i + 1) begin
            r_wr_q[i] <= {(RPW+1){1'b0}};
            r_rd_q[i] <= {(RPW+1){1'b0}};
        end
        r_mid_q          <= {ID_COUNT{1'b0}};
        r_seq_q          <= {SEQW{1'b0}};
        r_in_first_q     <= 1'b1;
        r_due_q          <= 32'd0;
        r_rng_q          <= xs_seed(seed, 32'h2545_F491);
        r_out_valid_q    <= 1'b0;
        r_out_id_q       <= {IDB{1'b0}};
        r_out_data_q     <= {DATA_WIDTH{1'b0}};
        r_out_resp_q     <= 2'b00;
        r_out_last_q     <= 1'b0;
        cnt_r_reorder    <= 32'd0;
        cnt_r_interleave <= 32'd0;
        r_min_delay      <= 32'hFFFF_FFFF;
    end else begin
        if (r_random) r_rng_q <= xs_next(r_rng_q);
        if (r_in) begin
            r_wr_q[r_in_id] <= r_wr_q[r_in_id] + 1'b1;
            if (m_axi_rlast) r_seq_q <= r_seq_q + 1'b1;
            r_in_first_q <= m_axi_rlast;
            r_due_q <= r_due_in;
        end
        if (r_pop) begin
            r_rd_q[r_pick]  <= r_rd_q[r_pick] + 1'b1;
            r_mid_q[r_pick] <= !r_last_mem[r_pop_slot];
            r_out_valid_q   <= 1'b1;
            if (r_pick_reorder) cnt_r_reorder <= cnt_r_reorder + 32'd1;
            if (r_pick_interleave) cnt_r_interleave <= cnt_r_interleave + 32'd1;
            if (!r_mid_q[r_pick] && r_delay < r_min_delay) r_min_delay <= r_delay;
        end else if (s_axi_rready) begin
            r_out_valid_q <= 1'b0;
        end
    end
end

// ------------------------------------------------------------------------------------------------
// B: per-ID buffers {resp, arrival cycle, sequence number}
// ------------------------------------------------------------------------------------------------
localparam integer B_SLOTS = ID_COUNT * B_DEPTH;
reg [1:0]          b_resp_mem [0:B_SLOTS-1];
reg [31:0]         b_due_mem  [0:B_SLOTS-1];  // first cycle it may leave
reg [SEQW-1:0]     b_seq_mem  [0:B_SLOTS-1];
reg [BPW:0]        b_wr_q [0:ID_COUNT-1];
reg [BPW:0]        b_rd_q [0:ID_COUNT-1];
reg [SEQW-1:0]     b_seq_q;
reg [31:0]         b_rng_q;
reg                b_out_valid_q;
reg [IDB-1:0]      b_out_id_q;
reg [1:0]          b_out_resp_q;

wire [IDB-1:0] b_in_id = m_axi_bid[IDB-1:0];
reg  [ID_COUNT-1:0] b_full, b_nonempty, b_ready_id;
reg  [SEQW-1:0]     b_head_seq [0:ID_COUNT-1];
reg  [IDB-1:0]      b_pick, b_oldest;
reg                 b_pick_ok, b_pick_reorder;

always @* begin
    for (i = 0; i < ID_COUNT; i = i + 1) begin
        b_full[i]     = (b_wr_q[i] - b_rd_q[i]) == B_DEPTH[BPW:0];
        b_nonempty[i] = (b_wr_q[i] != b_rd_q[i]);
        b_head_seq[i] = b_seq_mem[{i[IDB-1:0], b_rd_q[i][BPW-1:0]}];
        b_ready_id[i] = b_nonempty[i] && !due_later(b_due_mem[{i[IDB-1:0], b_rd_q[i][BPW-1:0]}], now_q);
    end
    b_oldest = {IDB{1'b0}};
    for (i = ID_COUNT - 1; i >= 0; i = i - 1) begin
        if (b_nonempty[i] && (!b_nonempty[b_oldest] || $signed(b_head_seq[i] - b_head_seq[b_oldest]) < 0))
            b_oldest = i[IDB-1:0];
    end
    b_pick = b_oldest;
    if (b_reorder) begin
        b_pick = b_rng_q[IDB-1:0];
        for (k = ID_COUNT - 1; k >= 0; k = k - 1) begin
            if (b_ready_id[b_rng_q[IDB-1:0] + k[IDB-1:0]]) b_pick = b_rng_q[IDB-1:0] + k[IDB-1:0];
        end
    end
    b_pick_ok = b_ready_id[b_pick] && !stalled[4];
    b_pick_reorder = 1'b0;
    for (i = 0; i < ID_COUNT; i = i + 1) begin
        if (i[IDB-1:0] != b_pick && b_nonempty[i] && $signed(b_head_seq[i] - b_head_seq[b_pick]) < 0)
            b_pick_reorder = 1'b1;
    end
end

wire b_in  = b_buffered && m_axi_bvalid && m_axi_bready;
wire [31:0] b_due_in = now_q + (b_reorder ? {26'd0, b_rng_q[21:16]} : 32'd0) + (lat_on ? LATENCY : 0);
wire b_pop = b_buffered && b_pick_ok && (!b_out_valid_q || s_axi_bready);
wire [IDB+BPW-1:0] b_pop_slot = {b_pick, b_rd_q[b_pick][BPW-1:0]};

// B_NEXT: writes complete in AW order (W follows AW order), so the B owed next is always that of the
// oldest unanswered AW: an AWID queue indexed by the AW count, and BVALID while fewer B were given
// than writes completed (counts registered at the completing edge, so BVALID rises the cycle after)
reg  [ID_WIDTH-1:0] bn_id_mem [0:B_DEPTH-1];
reg  [15:0]         bn_given_q;     // B handshakes toward the DUT
reg  [15:0]         bn_done_prev_q; // writes complete in the previous cycle
wire [15:0]         aw_minus_w = aw_cnt_q - wdone_cnt_q;
wire [15:0]         bn_done = aw_minus_w[15] ? aw_cnt_q : wdone_cnt_q;   // writes complete
wire                bn_valid = b_next && (bn_done != bn_given_q);
wire [15:0]         bn_queued = aw_cnt_q - bn_given_q;
assign bn_full = bn_queued >= B_DEPTH[15:0];

assign m_axi_bready = b_next ? 1'b1 : b_buffered ? (m_axi_bvalid && !b_full[b_in_id]) : s_axi_bready;
assign s_axi_bvalid = b_next ? bn_valid : b_buffered ? b_out_valid_q : m_axi_bvalid;
assign s_axi_bid    = b_next ? bn_id_mem[bn_given_q[BPW-1:0]] :
                      b_buffered ? {{(ID_WIDTH-IDB){1'b0}}, b_out_id_q} : m_axi_bid;
assign s_axi_bresp  = b_next ? 2'b00 : b_buffered ? b_out_resp_q : m_axi_bresp;

always @(posedge mode_clk) begin
    if (aw_hs) bn_id_mem[aw_cnt_q[BPW-1:0]] <= s_axi_awid;
    if (rst) begin
        bn_given_q     <= 16'd0;
        bn_done_prev_q <= 16'd0;
        cnt_b_next     <= 32'd0;
    end else begin
        if (bn_valid && s_axi_bready) bn_given_q <= bn_given_q + 16'd1;
        bn_done_prev_q <= bn_done;
        // the B on offer answers a write that was not complete in the previous cycle (one write
        // completes per cycle at most): BVALID the cycle after the write completed
        if (bn_valid && bn_given_q == bn_done_prev_q) cnt_b_next <= cnt_b_next + 32'd1;
    end
end

always @(posedge mode_clk) begin
    if (b_in) begin
        b_resp_mem[{b_in_id, b_wr_q[b_in_id][BPW-1:0]}] <= m_axi_bresp;
        b_due_mem[{b_in_id, b_wr_q[b_in_id][BPW-1:0]}]  <= b_due_in;
        b_seq_mem[{b_in_id, b_wr_q[b_in_id][BPW-1:0]}]  <= b_seq_q;
    end
    if (b_pop) begin
        b_out_id_q   <= b_pick;
        b_out_resp_q <= b_resp_mem[b_pop_slot];
    end
    if (rst) begin
        for (i = 0; i < ID_COUNT; i = i + 1) begin
            b_wr_q[i] <= {(BPW+1){1'b0}};
            b_rd_q[i] <= {(BPW+1){1'b0}};
        end
        b_seq_q       <= {SEQW{1'b0}};
        b_rng_q       <= xs_seed(seed, 32'h6A09_E667);
        b_out_valid_q <= 1'b0;
        b_out_id_q    <= {IDB{1'b0}};
        b_out_resp_q  <= 2'b00;
        cnt_b_reorder <= 32'd0;
    end else begin
        if (b_reorder) b_rng_q <= xs_next(b_rng_q);
        if (b_in) begin
            b_wr_q[b_in_id] <= b_wr_q[b_in_id] + 1'b1;
            b_seq_q <= b_seq_q + 1'b1;
        end
        if (b_pop) begin
            b_rd_q[b_pick] <= b_rd_q[b_pick] + 1'b1;
            b_out_valid_q  <= 1'b1;
            if (b_pick_reorder) cnt_b_reorder <= cnt_b_reorder + 32'd1;
        end else if (s_axi_bready) begin
            b_out_valid_q <= 1'b0;
        end
    end
end

always @(posedge mode_clk) begin
    if (rst) begin
        now_q     <= 32'd0;
        cnt_stall <= 32'd0;
    end else begin
        if (timed) now_q <= now_q + 32'd1;
        if (|stalled) cnt_stall <= cnt_stall + 32'd1;
    end
end

// IDs beyond ID_COUNT have no buffer of their own: stop rather than answer them with a wrong ID
always @(posedge mode_clk) begin
    if (!rst) begin
        if (r_buffered && m_axi_rvalid && ({{(32-ID_WIDTH){1'b0}}, m_axi_rid} >= ID_COUNT))
            $fatal(1, "axi_hostile: RID %0d >= ID_COUNT %0d", m_axi_rid, ID_COUNT);
        if (b_buffered && m_axi_bvalid && ({{(32-ID_WIDTH){1'b0}}, m_axi_bid} >= ID_COUNT))
            $fatal(1, "axi_hostile: BID %0d >= ID_COUNT %0d", m_axi_bid, ID_COUNT);
        if (b_next && m_axi_bvalid && m_axi_bresp != 2'b00)
            $fatal(1, "axi_hostile: B_NEXT already answered OKAY, the memory says BRESP %0d", m_axi_bresp);
    end
end

endmodule

`resetall
