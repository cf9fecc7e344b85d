// fv_axi4_master: formal properties of one AXI4 master port (the DUT is the master).
//
// Written from the AXI4 specification (IHI 0022, parts A3 and A4). Bound beside the DUT by a target
// wrapper (formal/targets/*.v); every signal is an input here. The slave side is assumed legal (and
// otherwise free: any READY pattern, R interleaved across IDs, B/R of different IDs in any order),
// the master side is asserted:
//   reset         VALIDs low while reset is asserted, its first cycle included (A3.1.2)
//   handshake     AW/W/AR VALID held until READY, payload stable meanwhile (A3.2.1)
//   W order       WLAST on beat AWLEN of the burst, counted from the first W beat whether W leads or
//                 follows its AW (A3.4.1, A5.1: W in AW order); at most MAX_W_AHEAD W bursts ahead
//   declared      AxLEN + 1 <= MAX_BURST_LEN, AxBURST in BURST_TYPES, AxSIZE within the bus,
//                 no INCR burst across 4 KiB, AxLOCK/AxCACHE/AxPROT as declared, AxID == FIXED_ID
//   outstanding   reads (AR..last R) and writes (AW..B) within MAX_RD/WR_OUTSTANDING
//   A3.3.1        with SLAVE_AW_AFTER_W=1 the slave holds AWREADY low until the burst's first W beat is
//                 offered (allowed); W_BOUND > 0 asserts WVALID rises within W_BOUND cycles of an
//                 AWVALID still waiting for its data, so the master never waits for AWREADY first
// Slave assumptions (A3.2.1, A3.3.1, A3.4): R/B VALID held and payload stable, R only for an
// outstanding AR of its ID with RLAST on beat ARLEN, B only for a write whose AW and last W beat were
// both accepted. Cover statements show every kind of handshake and a whole burst are reachable.
`default_nettype none

module fv_axi4_master #(
    parameter integer DATA_WIDTH = 32,          // RDATA/WDATA width in bits
    parameter integer ADDR_WIDTH = 32,          // AxADDR width in bits
    parameter integer ID_WIDTH = 2,             // AxID/RID/BID width in bits
    parameter integer READ = 1,                 // 1: the port has AR/R channels
    parameter integer WRITE = 1,                // 1: the port has AW/W/B channels
    parameter integer MAX_BURST_LEN = 4,        // beats per burst the port declares
    parameter integer MAX_RD_OUTSTANDING = 2,   // read bursts between AR and last R (asserted)
    parameter integer MAX_WR_OUTSTANDING = 2,   // write bursts between AW and B (asserted)
    parameter integer MAX_W_AHEAD = 1,          // W bursts allowed to complete before their AW
    parameter integer BURST_TYPES = 2,          // declared AxBURST: bit 0 FIXED, 1 INCR, 2 WRAP
    parameter integer ATTR_CHECK = 1,           // 1: AxLOCK/AxCACHE/AxPROT equal the three below
    parameter integer AXLOCK = 0,               // declared AxLOCK
    parameter integer AXCACHE = 3,              // declared AxCACHE
    parameter integer AXPROT = 0,               // declared AxPROT
    parameter integer FIXED_ID = -1,            // >= 0: every AxID equals it (in-order port)
    parameter integer SLAVE_AW_AFTER_W = 0,     // 1: the slave withholds AWREADY until W is offered
    parameter integer W_BOUND = 0,              // > 0: WVALID within W_BOUND cycles of a waiting AW
    parameter integer RESET_VALID_LOW = 1,      // 1: VALIDs low during reset, its first cycle included;
                                                // 2: from its second cycle on (a port inside sgdma
                                                // whose sink is in the same reset; target says why)
    parameter integer MASTER_IS_DUT = 1,        // 1: DUT is the master; 0: DUT is the slave
    parameter integer COVER_LONG_W = 1,         // 1: cover a W burst of > 1 beat (0: single-beat writer)
    parameter integer INDUCTION = 1             // 1: assert the checker's own invariants (needed by
                                                // k-induction; they also cut bmc time: rd_arb bmc
                                                // depth 16 took 99 s without, 10 to 15 s with)
) (
    input wire                    clk,
    input wire                    rst,
    input wire [ID_WIDTH-1:0]     awid,
    input wire [ADDR_WIDTH-1:0]   awaddr,
    input wire [7:0]              awlen,
    input wire [2:0]              awsize,
    input wire [1:0]              awburst,
    input wire                    awlock,
    input wire [3:0]              awcache,
    input wire [2:0]              awprot,
    input wire                    awvalid,
    input wire                    awready,
    input wire [DATA_WIDTH-1:0]   wdata,
    input wire [DATA_WIDTH/8-1:0] wstrb,
    input wire                    wlast,
    input wire                    wvalid,
    input wire                    wready,
    input wire [ID_WIDTH-1:0]     bid,
    input wire [1:0]              bresp,
    input wire                    bvalid,
    input wire                    bready,
    input wire [ID_WIDTH-1:0]     arid,
    input wire [ADDR_WIDTH-1:0]   araddr,
    input wire [7:0]              arlen,
    input wire [2:0]              arsize,
    input wire [1:0]              arburst,
    input wire                    arlock,
    input wire [3:0]              arcache,
    input wire [2:0]              arprot,
    input wire                    arvalid,
    input wire                    arready,
    input wire [ID_WIDTH-1:0]     rid,
    input wire [DATA_WIDTH-1:0]   rdata,
    input wire [1:0]              rresp,
    input wire                    rlast,
    input wire                    rvalid,
    input wire                    rready,
    // the checker's state, for targets that link it to the DUT's (k-induction); 6-bit counters
    output wire [6*(1<<ID_WIDTH)-1:0] f_rd_n,      // per ID: reads between AR and last R
    output wire [8*(1<<ID_WIDTH)-1:0] f_rd_beat,   // per ID: R beats of its oldest read so far
    output wire [8*(1<<ID_WIDTH)-1:0] f_rd_len,    // per ID: ARLEN of its oldest read
    output wire [8*(MAX_RD_OUTSTANDING+1)*(1<<ID_WIDTH)-1:0] f_rd_q,   // per ID: ARLENs queued, oldest low
    output wire [5:0]                 f_rd_out,    // reads outstanding
    output wire [5:0]                 f_wr_out,    // writes between AW and B
    output wire [5:0]                 f_wq_n,      // AWs owed W data, or W bursts ahead of their AW
    output wire                       f_w_ahead,   // f_wq_n counts W bursts ahead (else AWs)
    output wire [7:0]                 f_wq_head,   // AWLEN of the oldest, or beats of the W burst ahead
    output wire [8*(MAX_WR_OUTSTANDING+MAX_W_AHEAD+1)-1:0] f_wq,   // that queue, entry 0 the oldest
    output wire [ID_WIDTH*(MAX_WR_OUTSTANDING+MAX_W_AHEAD+1)-1:0] f_wq_id,   // ... the AWIDs of its AWs
    output wire [7:0]                 f_w_beat,    // W beats of the current burst so far
    output wire [6*(1<<ID_WIDTH)-1:0] f_b_owed     // per ID: complete writes owed a B
);

localparam integer NID = 1 << ID_WIDTH;
localparam integer MAX_SIZE = $clog2(DATA_WIDTH / 8);
localparam integer WQ = MAX_WR_OUTSTANDING + MAX_W_AHEAD + 1;  // burst-length queue entries
localparam integer RQ = MAX_RD_OUTSTANDING + 1;                // per-ID ARLEN queue entries
localparam integer CW = 6;                                     // counter width (small configurations)
localparam [7:0]   LAST_BEAT = MAX_BURST_LEN - 1;
localparam [7:0]   ATTR = {AXLOCK[0], AXCACHE[3:0], AXPROT[2:0]};

// A master obligation is asserted when the DUT is the master (MASTER_IS_DUT=1) and assumed of the
// environment otherwise; a slave obligation the other way round. So the same module states a DUT's
// AXI4 master port (assert master, assume slave) and a DUT's slave port facing a modelled master.
`define FV_MASTER(c) begin if (MASTER_IS_DUT != 0) assert(c); else assume(c); end
`define FV_SLAVE(c) begin if (MASTER_IS_DUT != 0) assume(c); else assert(c); end

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
reg f_rst_q = 1'b0;   // reset was asserted in the previous cycle
always @(posedge clk) f_rst_q <= rst;
always @(*) if (!f_past_valid) assume(rst);  // reset first (the environment's)

wire aw_hs = awvalid && awready;
wire w_hs  = wvalid && wready;
wire b_hs  = bvalid && bready;
wire ar_hs = arvalid && arready;
wire r_hs  = rvalid && rready;

// ---------------------------------------------------------------- reset
// (FV_SKIP_RESET_VALID: checked in a task of its own, so that a design whose VALID registers are
// undefined in the first reset cycle is still checked for everything else)
`ifndef FV_SKIP_RESET_VALID
always @(*) begin
    if (rst && (RESET_VALID_LOW == 1 || (RESET_VALID_LOW == 2 && f_rst_q))) begin
        if (WRITE != 0) `FV_MASTER(!awvalid && !wvalid);
        if (READ != 0) `FV_MASTER(!arvalid);
    end
end
`else
// a modelled master still keeps its VALIDs low in reset
always @(*) if (rst && MASTER_IS_DUT == 0) assume(!awvalid && !wvalid && !arvalid);
`endif
// a port without a channel keeps its VALID low and never gets a response
always @(*) begin
    if (WRITE == 0) begin
        `FV_MASTER(!awvalid && !wvalid);
        `FV_SLAVE(!bvalid);
    end
    if (READ == 0) begin
        `FV_MASTER(!arvalid);
        `FV_SLAVE(!rvalid);
    end
end

// ---------------------------------------------------------------- handshakes (A3.2.1)
always @(posedge clk) begin
    if (f_past_valid && !$past(rst) && !rst) begin
        if ($past(awvalid && !awready)) begin
            `FV_MASTER(awvalid);
            `FV_MASTER({awid, awaddr, awlen, awsize, awburst, awlock, awcache, awprot} ==
                   $past({awid, awaddr, awlen, awsize, awburst, awlock, awcache, awprot}));
        end
        if ($past(wvalid && !wready)) begin
            `FV_MASTER(wvalid);
            `FV_MASTER({wdata, wstrb, wlast} == $past({wdata, wstrb, wlast}));
        end
        if ($past(arvalid && !arready)) begin
            `FV_MASTER(arvalid);
            `FV_MASTER({arid, araddr, arlen, arsize, arburst, arlock, arcache, arprot} ==
                   $past({arid, araddr, arlen, arsize, arburst, arlock, arcache, arprot}));
        end
        // the slave's obligations
        if ($past(rvalid && !rready)) begin
            `FV_SLAVE(rvalid);
            `FV_SLAVE({rid, rdata, rresp, rlast} == $past({rid, rdata, rresp, rlast}));
        end
        if ($past(bvalid && !bready)) begin
            `FV_SLAVE(bvalid);
            `FV_SLAVE({bid, bresp} == $past({bid, bresp}));
        end
    end
end
always @(*) if (rst) `FV_SLAVE(!rvalid && !bvalid);

// ---------------------------------------------------------------- declared attributes
wire [16:0] aw_bytes = ({9'd0, awlen} + 17'd1) << awsize;
wire [16:0] ar_bytes = ({9'd0, arlen} + 17'd1) << arsize;
always @(*) begin
    if (!rst && awvalid) begin
        `FV_MASTER(awlen <= LAST_BEAT);
        `FV_MASTER(BURST_TYPES[awburst] == 1'b1);
        `FV_MASTER(awsize <= MAX_SIZE);
        `FV_MASTER(awburst != 2'b01 || {5'd0, awaddr[11:0] & ~((12'd1 << awsize) - 12'd1)} + aw_bytes <= 17'd4096);
        if (ATTR_CHECK != 0) `FV_MASTER({awlock, awcache, awprot} == ATTR);
        if (FIXED_ID >= 0) `FV_MASTER(awid == FIXED_ID);
    end
    if (!rst && arvalid) begin
        `FV_MASTER(arlen <= LAST_BEAT);
        `FV_MASTER(BURST_TYPES[arburst] == 1'b1);
        `FV_MASTER(arsize <= MAX_SIZE);
        `FV_MASTER(arburst != 2'b01 || {5'd0, araddr[11:0] & ~((12'd1 << arsize) - 12'd1)} + ar_bytes <= 17'd4096);
        if (ATTR_CHECK != 0) `FV_MASTER({arlock, arcache, arprot} == ATTR);
        if (FIXED_ID >= 0) `FV_MASTER(arid == FIXED_ID);
    end
end

// ---------------------------------------------------------------- write order and WLAST
// One queue holds either the AWLENs (and AWIDs) of accepted AWs whose W burst has not finished
// (q_aw = 1) or the beat counts of W bursts finished ahead of their AW (q_aw = 0); never both, as W
// data follows AW order. An empty queue counts as q_aw = 1. Flat vectors, entry 0 the oldest (no
// memories: the solver handles plain registers far better).
reg [8*WQ-1:0]        wq = 0;
reg [ID_WIDTH*WQ-1:0] wq_id = 0;
reg [CW-1:0]          wq_n = 0;
reg                   q_aw = 1'b1;
reg [7:0]             w_beat = 8'd0;      // beats of the current W burst accepted so far
reg                   w_in_burst = 1'b0;  // a W beat of the current burst has been offered
wire                  case_aw = q_aw || wq_n == 0;
wire                  w_end = w_hs && wlast;
// the burst W is sending has its AW: the queue head, or an AW accepted this very cycle
wire                  w_has_aw = case_aw && (wq_n != 0 || aw_hs);
wire [7:0]            w_head_len = (wq_n != 0) ? wq[7:0] : awlen;
wire [ID_WIDTH-1:0]   w_head_id = (wq_n != 0) ? wq_id[ID_WIDTH-1:0] : awid;
wire                  q_pop  = case_aw ? (w_end && wq_n != 0) : aw_hs;
wire                  q_push = case_aw ? ((aw_hs && !(wq_n == 0 && w_end)) || (w_end && !w_has_aw)) : w_end;
wire [7:0]            q_push_len = (case_aw && aw_hs) ? awlen : w_beat;
wire [CW-1:0]         q_push_at = wq_n - (q_pop ? 1 : 0);
wire [CW-1:0]         q_n_next = q_push_at + (q_push ? 1 : 0);
wire                  q_aw_next = (q_n_next == 0) || (case_aw && !(w_end && !w_has_aw));
wire [8*WQ-1:0]       wq_shift = q_pop ? (wq >> 8) : wq;
wire [ID_WIDTH*WQ-1:0] wq_id_shift = q_pop ? (wq_id >> ID_WIDTH) : wq_id;
// a write is complete (address and all data accepted) when its W burst ends with its AW known, or
// its AW arrives for a W burst that ended ahead
wire                  wr_done = case_aw ? (w_end && w_has_aw) : aw_hs;
wire [ID_WIDTH-1:0]   wr_done_id = case_aw ? w_head_id : awid;
reg  [CW*NID-1:0]     b_owed = 0;         // complete writes per ID not yet answered by B
reg  [CW-1:0]         wr_out = 0;         // AW accepted, B not yet
wire [CW-1:0]         b_owed_bid = b_owed[bid * CW +: CW];

always @(*) begin
    if (!rst && wvalid) begin
        if (w_has_aw) begin
            `FV_MASTER(wlast == (w_beat == w_head_len));
        end else begin
            // no AW yet: the burst may not run past the declared length
            `FV_MASTER(w_beat <= LAST_BEAT);
            `FV_MASTER(w_beat != LAST_BEAT || wlast);
        end
    end
    // a W burst that began before its AW has sent no more beats than that AW declares (else it could
    // never end on the right beat)
    if (!rst && w_has_aw) `FV_MASTER(w_beat <= w_head_len);
    // a W burst that finished ahead meets an AW of the same length
    if (!rst && !case_aw && aw_hs) `FV_MASTER(awlen == wq[7:0]);
    if (!rst) `FV_MASTER(case_aw || wq_n <= MAX_W_AHEAD);
    if (!rst) `FV_MASTER(wr_out <= MAX_WR_OUTSTANDING);
end

always @(posedge clk) begin
    if (rst) begin
        wq_n <= 0;
        q_aw <= 1'b1;
        w_beat <= 8'd0;
        w_in_burst <= 1'b0;
        wr_out <= 0;
    end else begin
        wq <= q_push ? ((wq_shift & ~({{(8*WQ-8){1'b0}}, 8'hFF} << (8 * q_push_at)))
                        | ({{(8*WQ-8){1'b0}}, q_push_len} << (8 * q_push_at))) : wq_shift;
        wq_id <= q_push ? ((wq_id_shift & ~({{(ID_WIDTH*WQ-ID_WIDTH){1'b0}}, {ID_WIDTH{1'b1}}} << (ID_WIDTH * q_push_at)))
                           | ({{(ID_WIDTH*WQ-ID_WIDTH){1'b0}}, awid} << (ID_WIDTH * q_push_at))) : wq_id_shift;
        wq_n <= q_n_next;
        q_aw <= q_aw_next;
        if (w_end) w_beat <= 8'd0;
        else if (w_hs) w_beat <= w_beat + 8'd1;
        if (w_end) w_in_burst <= 1'b0;
        else if (wvalid) w_in_burst <= 1'b1;
        wr_out <= wr_out + (aw_hs ? 1 : 0) - (b_hs ? 1 : 0);
    end
end
genvar gi;
generate for (gi = 0; gi < NID; gi = gi + 1) begin : g_b_owed
    always @(posedge clk) begin
        if (rst) b_owed[gi*CW +: CW] <= 0;
        else b_owed[gi*CW +: CW] <= b_owed[gi*CW +: CW] + ((wr_done && wr_done_id == gi) ? 1 : 0)
                                                       - ((b_hs && bid == gi) ? 1 : 0);
    end
end endgenerate
// the slave answers only a write whose address and data it has (A3.3.1)
always @(*) if (!rst && bvalid) `FV_SLAVE(b_owed_bid != 0);

// ---------------------------------------------------------------- A3.3.1: W must not wait for AWREADY
// The AW being offered is the next to be accepted; its W burst has begun when W leads (bursts
// finished ahead) or, with no AW waiting for data, when the current W burst has been offered.
wire w_of_next_aw = !case_aw || (wq_n == 0 && (w_in_burst || wvalid));
generate if (SLAVE_AW_AFTER_W != 0) begin : g_aw_after_w
    always @(*) if (awready) `FV_SLAVE(w_of_next_aw);
end endgenerate
generate if (W_BOUND > 0) begin : g_w_bound
    // cycles an AW has waited while the master owes no earlier W data and offers none for it
    reg [7:0] aw_wait = 8'd0;
    always @(posedge clk) begin
        if (rst || !awvalid || w_of_next_aw || wq_n != 0) aw_wait <= 8'd0;
        else if (aw_wait != 8'hFF) aw_wait <= aw_wait + 8'd1;
    end
    always @(*) if (!rst) `FV_MASTER(aw_wait < W_BOUND);
end endgenerate

// ---------------------------------------------------------------- reads (per ID queues of ARLEN)
reg  [CW-1:0]    rd_out = 0;
wire             r_end = r_hs && rlast;
wire [NID-1:0]   rq_busy;             // per ID: a read is outstanding
wire [8*NID-1:0] rq_head_len;         // per ID: ARLEN of its oldest outstanding read
wire [8*NID-1:0] rq_beat;             // per ID: beats of that read so far
wire [CW*NID-1:0] rq_n;               // per ID: reads outstanding
generate for (gi = 0; gi < NID; gi = gi + 1) begin : g_rd_id
    reg [8*RQ-1:0] q = 0;
    reg [CW-1:0]   n = 0;
    reg [7:0]      beat = 8'd0;
    wire           pop = r_end && rid == gi;
    wire           push = ar_hs && arid == gi;
    wire [CW-1:0]  at = n - (pop ? 1 : 0);
    wire [8*RQ-1:0] shifted = pop ? (q >> 8) : q;
    always @(posedge clk) begin
        if (rst) begin
            n <= 0;
            beat <= 8'd0;
        end else begin
            q <= push ? ((shifted & ~({{(8*RQ-8){1'b0}}, 8'hFF} << (8 * at)))
                         | ({{(8*RQ-8){1'b0}}, arlen} << (8 * at))) : shifted;
            n <= at + ((push && at < RQ) ? 1 : 0);
            if (pop) beat <= 8'd0;
            else if (r_hs && rid == gi) beat <= beat + 8'd1;
        end
    end
    assign rq_busy[gi] = n != 0;
    assign rq_n[gi*CW +: CW] = n;
    // k-induction (see below): no beat counted without a read; the memory's RLAST (assumed) ends each
    // read on beat ARLEN
    always @(*) begin
        if (INDUCTION != 0 && !rst && n == 0) assert(beat == 0);
        if (INDUCTION != 0 && !rst && MASTER_IS_DUT != 0 && n != 0)
            assert(beat <= q[7:0] && q[7:0] <= LAST_BEAT);
    end
    // stated for ports with one ID (FIXED_ID), whose targets close by k-induction with them, and
    // generated only there, so that the other targets' models are unchanged (the hide unit's bmc is
    // near its time limit)
    if (INDUCTION != 0 && FIXED_ID >= 0) begin : g_one_id
        always @(*) begin
            if (!rst) assert(n <= MAX_RD_OUTSTANDING);
            // a port with one ID has nothing outstanding on another
            if (!rst && gi != FIXED_ID) assert(n == 0);
        end
    end
    // every queued ARLEN within the declared burst (the head becomes one of them after a pop); one-ID
    // ports only, as above
    genvar qi;
    for (qi = 1; qi < RQ; qi = qi + 1) begin : g_rq_inv
        if (INDUCTION != 0 && MASTER_IS_DUT != 0 && FIXED_ID >= 0) begin : g_on
            always @(*) if (!rst && qi < n) assert(q[8*qi +: 8] <= LAST_BEAT);
        end
    end
    assign rq_head_len[gi*8 +: 8] = q[7:0];
    assign f_rd_q[gi*8*RQ +: 8*RQ] = q;
    assign rq_beat[gi*8 +: 8] = beat;
end endgenerate
wire [7:0] r_beat_rid = rq_beat[rid * 8 +: 8];
always @(*) begin
    if (!rst) `FV_MASTER(rd_out <= MAX_RD_OUTSTANDING);
    if (!rst && rvalid) begin
        `FV_SLAVE(rq_busy[rid]);
        // RLAST on beat ARLEN: assumed of the memory. Facing a modelled master (MASTER_IS_DUT=0, the
        // arbiters' requester ports) it is not asserted: sgdma_axi_rd_arb passes R through unchanged
        // and relating the two queues made the solver time grow about 2.5x per step.
        if (MASTER_IS_DUT != 0) assume(rlast == (r_beat_rid == rq_head_len[rid * 8 +: 8]));
    end
end
always @(posedge clk) begin
    if (rst) rd_out <= 0;
    else rd_out <= rd_out + (ar_hs ? 1 : 0) - (r_end ? 1 : 0);
end

// ---------------------------------------------------------------- k-induction: the checker's own state
// True of every state reachable from reset (so asserted, whichever side is the DUT); stated (INDUCTION=1)
// so that the induction step starts only from states in which the counters and queues above agree
// with each other. Targets link them to the DUT's state through the f_ outputs below.
reg [CW-1:0] rd_n_sum, b_owed_sum;
integer si;
always @(*) begin
    rd_n_sum = 0;
    b_owed_sum = 0;
    for (si = 0; si < NID; si = si + 1) begin
        rd_n_sum = rd_n_sum + rq_n[si*CW +: CW];
        b_owed_sum = b_owed_sum + b_owed[si*CW +: CW];
    end
end
always @(*) begin
    if (INDUCTION != 0 && !rst) begin
        assert(rd_out == rd_n_sum);
        // AWs accepted and not answered: those still owed W data, and complete writes owed a B
        assert(wr_out == (case_aw ? wq_n : 0) + b_owed_sum);
        assert(q_aw || wq_n != 0);
        assert(wq_n <= WQ);
        assert(w_beat <= LAST_BEAT);
        if (!w_in_burst) assert(w_beat == 0);
    end
end
generate for (gi = 0; gi < WQ; gi = gi + 1) begin : g_wq_inv
    always @(*) if (INDUCTION != 0 && !rst && gi < wq_n) assert(wq[8*gi +: 8] <= LAST_BEAT);
    // a port with one ID queues only that ID
    if (INDUCTION != 0 && FIXED_ID >= 0) begin : g_one_id
        always @(*) if (!rst && case_aw && gi < wq_n) assert(wq_id[ID_WIDTH*gi +: ID_WIDTH] == FIXED_ID);
    end
end endgenerate
generate for (gi = 0; gi < NID; gi = gi + 1) begin : g_b_owed_inv
    if (INDUCTION != 0 && FIXED_ID >= 0 && gi != FIXED_ID) begin : g_one_id
        always @(*) if (!rst) assert(b_owed[gi*CW +: CW] == 0);
    end
end endgenerate

assign f_rd_n = rq_n;
assign f_rd_beat = rq_beat;
assign f_rd_len = rq_head_len;
assign f_rd_out = rd_out;
assign f_wr_out = wr_out;
assign f_wq_n = wq_n;
assign f_w_ahead = !case_aw;
assign f_wq_head = wq[7:0];
assign f_wq = wq;
assign f_wq_id = wq_id;
assign f_w_beat = w_beat;
assign f_b_owed = b_owed;

// ---------------------------------------------------------------- reachability
always @(posedge clk) begin
    if (!rst) begin
        if (WRITE != 0) begin
            cover(aw_hs);
            if (COVER_LONG_W != 0) cover(w_end && w_beat != 0);    // a whole burst of > 1 beat
            cover(w_end);
            cover(b_hs);
            cover(awvalid && !awready && f_past_valid && $past(awvalid && !awready));
        end
        if (READ != 0) begin
            cover(ar_hs);
            cover(r_end && r_beat_rid != 0);
            cover(arvalid && !arready && f_past_valid && $past(arvalid && !arready));
        end
    end
end

endmodule

`undef FV_MASTER
`undef FV_SLAVE
