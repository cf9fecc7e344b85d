// axi4_checker: AXI4 protocol checker for one master port (testbench only).
//
// Watches every channel of an AXI4 interface in parallel with the simulation (no Python per cycle)
// and checks the master's obligations (the DUT is the master) and the slave responses it receives:
//    1 AWVALID dropped before AWREADY          12 W burst starts more than MAX_W_AHEAD bursts ahead of its AW
//    2 AW payload changed while stalled        13 RLAST not on beat ARLEN of its burst (per ID)
//    3 WVALID dropped before WREADY            14 R beat with no outstanding AR for its ID
//    4 W payload changed while stalled         15 B with no write burst of its ID whose data is done
//    5 ARVALID dropped before ARREADY          16 AW INCR burst crosses a 4 KiB boundary
//    6 AR payload changed while stalled        17 AR INCR burst crosses a 4 KiB boundary
//    7 RVALID dropped before RREADY            18 AWSIZE wider than the data bus
//    8 R payload changed while stalled         19 ARSIZE wider than the data bus
//    9 BVALID dropped before BREADY            20 more than MAX_WR_OUTSTANDING writes (AW..B)
//   10 B payload changed while stalled         21 more than MAX_RD_OUTSTANDING reads (AR..last R)
//   11 WLAST not on beat AWLEN of its burst    22 X/Z on a VALID or READY outside reset
//      (also: a W burst sent ahead of its AW whose length differs from that AW's AWLEN)
//                                              23 X/Z on a control field while its VALID is high
//   24 AWBURST not one of BURST_TYPES          28 AWLOCK/AWCACHE/AWPROT not the declared AXLOCK/...
//   25 ARBURST not one of BURST_TYPES          29 ARLOCK/ARCACHE/ARPROT not the declared AXLOCK/...
//   26 AWLEN + 1 above MAX_BURST_LEN           30 more than MAX_ID_WR_OUTSTANDING writes of one AWID
//   27 ARLEN + 1 above MAX_BURST_LEN           31 more than MAX_ID_RD_OUTSTANDING reads of one ARID
// Rules 24-29 check what the port declares (its parameters), not AXI4 itself: a port that forwards
// another master's requests (the hide unit's CPU gate) declares every burst type, 256 beats and
// ATTR_CHECK=0.
// AXI4 lets W data arrive before its AW; MAX_W_AHEAD bounds how many W bursts may start ahead of their
// AW (0: W must never precede its AW, same cycle allowed), so W data beyond the DUT's bursts is rule 12.
// The LAST position of a W burst sent ahead is checked when its AW arrives (its beats count from the
// first W beat, also when the AW arrives in the middle of the burst); a W burst ahead that runs past
// MAX_BURST_LEN beats without WLAST is rule 11 at once.
// AXI lets READY fall before VALID arrives, so RREADY/BREADY are only checked for X/Z (rule 22).
//
// Reporting: error_mask bit N is set (sticky) for every rule N that fired; error_valid/error_rule/
// error_cycle hold the first violation (lowest rule number if several fire at once) and the value of
// `cycle` (rising edges since reset release) at the edge that sampled it; error_count counts edges
// with a violation. Every violation is printed (the first 32); with FATAL=1 the first one stops the
// simulation with $fatal(1, "axi4_checker: rule N: <text> ...").
`resetall
`timescale 1ns / 1ps
`default_nettype none

module axi4_checker #(
    parameter integer DATA_WIDTH = 64,          // RDATA/WDATA width in bits
    parameter integer ADDR_WIDTH = 64,          // AxADDR width in bits
    parameter integer ID_WIDTH = 4,             // AxID/RID/BID width in bits
    parameter integer MAX_RD_OUTSTANDING = 16,  // read bursts allowed between AR and last R (all IDs)
    parameter integer MAX_WR_OUTSTANDING = 16,  // write bursts allowed between AW and B (all IDs)
    parameter integer MAX_W_AHEAD = 0,          // W bursts allowed to start before their AW
    parameter integer MAX_ID_RD_OUTSTANDING = MAX_RD_OUTSTANDING,  // reads in flight per ARID
    parameter integer MAX_ID_WR_OUTSTANDING = MAX_WR_OUTSTANDING,  // writes in flight per AWID
    parameter integer MAX_BURST_LEN = 256,      // beats per burst the port declares (AxLEN + 1), 1..256
    parameter integer BURST_TYPES = 2,          // AxBURST types declared: bit 0 FIXED, 1 INCR, 2 WRAP
    parameter integer ATTR_CHECK = 0,           // 1: AxLOCK/AxCACHE/AxPROT must equal the three below
    parameter integer AXLOCK = 0,               // declared AxLOCK (ATTR_CHECK=1)
    parameter integer AXCACHE = 3,              // declared AxCACHE (ATTR_CHECK=1)
    parameter integer AXPROT = 0,               // declared AxPROT (ATTR_CHECK=1)
    parameter integer FATAL = 1                 // 1: $fatal on the first violation; 0: report only
) (
    input  wire                    clk,
    input  wire                    rst,

    input  wire [ID_WIDTH-1:0]     awid,
    input  wire [ADDR_WIDTH-1:0]   awaddr,
    input  wire [7:0]              awlen,
    input  wire [2:0]              awsize,
    input  wire [1:0]              awburst,
    input  wire                    awlock,
    input  wire [3:0]              awcache,
    input  wire [2:0]              awprot,
    input  wire                    awvalid,
    input  wire                    awready,
    input  wire [DATA_WIDTH-1:0]   wdata,
    input  wire [DATA_WIDTH/8-1:0] wstrb,
    input  wire                    wlast,
    input  wire                    wvalid,
    input  wire                    wready,
    input  wire [ID_WIDTH-1:0]     bid,
    input  wire [1:0]              bresp,
    input  wire                    bvalid,
    input  wire                    bready,
    input  wire [ID_WIDTH-1:0]     arid,
    input  wire [ADDR_WIDTH-1:0]   araddr,
    input  wire [7:0]              arlen,
    input  wire [2:0]              arsize,
    input  wire [1:0]              arburst,
    input  wire                    arlock,
    input  wire [3:0]              arcache,
    input  wire [2:0]              arprot,
    input  wire                    arvalid,
    input  wire                    arready,
    input  wire [ID_WIDTH-1:0]     rid,
    input  wire [DATA_WIDTH-1:0]   rdata,
    input  wire [1:0]              rresp,
    input  wire                    rlast,
    input  wire                    rvalid,
    input  wire                    rready,

    output wire                    error_valid,
    output wire [7:0]              error_rule,
    output wire [31:0]             error_cycle,
    output wire [31:0]             error_count,
    output wire [31:0]             error_mask,
    output wire [31:0]             cycle
);

localparam integer STRB_WIDTH = DATA_WIDTH / 8;
localparam integer MAX_SIZE = $clog2(STRB_WIDTH);
localparam integer NID = 1 << ID_WIDTH;
localparam integer RD_DEPTH = MAX_RD_OUTSTANDING + 1;    // per-ID slots (one spare: overrun is a rule)
localparam integer WR_DEPTH = MAX_WR_OUTSTANDING + 1;
localparam integer RD_PTR_W = $clog2(RD_DEPTH + 1);
localparam integer WR_PTR_W = $clog2(WR_DEPTH + 1);
localparam integer AHEAD_DEPTH = MAX_W_AHEAD + 1;
localparam integer AHEAD_PTR_W = $clog2(AHEAD_DEPTH + 1);
localparam integer CNT_W = 16;
localparam integer LAST_BEAT_I = MAX_BURST_LEN - 1;
localparam [7:0]   LAST_BEAT = LAST_BEAT_I[7:0];   // highest beat index of a declared burst
localparam [7:0]   ATTR = {AXLOCK[0], AXCACHE[3:0], AXPROT[2:0]};

initial begin
    if (DATA_WIDTH < 8 || (1 << MAX_SIZE) * 8 != DATA_WIDTH) begin
        $fatal(1, "axi4_checker: DATA_WIDTH (%0d) must be 8 times a power of two", DATA_WIDTH);
    end
    if (ID_WIDTH < 1 || ID_WIDTH > 8) begin
        $fatal(1, "axi4_checker: ID_WIDTH (%0d) must be 1..8", ID_WIDTH);
    end
    if (MAX_RD_OUTSTANDING < 1 || MAX_WR_OUTSTANDING < 1 || MAX_RD_OUTSTANDING > 4096 ||
        MAX_WR_OUTSTANDING > 4096) begin
        $fatal(1, "axi4_checker: MAX_RD/WR_OUTSTANDING must be 1..4096");
    end
    if (MAX_W_AHEAD < 0 || MAX_W_AHEAD > 256) begin
        $fatal(1, "axi4_checker: MAX_W_AHEAD (%0d) must be 0..256", MAX_W_AHEAD);
    end
    if (MAX_ID_RD_OUTSTANDING < 1 || MAX_ID_RD_OUTSTANDING > MAX_RD_OUTSTANDING ||
        MAX_ID_WR_OUTSTANDING < 1 || MAX_ID_WR_OUTSTANDING > MAX_WR_OUTSTANDING) begin
        $fatal(1, "axi4_checker: MAX_ID_RD/WR_OUTSTANDING must be 1..MAX_RD/WR_OUTSTANDING");
    end
    if (MAX_BURST_LEN < 1 || MAX_BURST_LEN > 256) begin
        $fatal(1, "axi4_checker: MAX_BURST_LEN (%0d) must be 1..256", MAX_BURST_LEN);
    end
    if (BURST_TYPES < 1 || BURST_TYPES > 7) begin
        $fatal(1, "axi4_checker: BURST_TYPES (%0d) must be a non-empty mask of bits 0..2", BURST_TYPES);
    end
end

// ---- handshake rules (1-10, 22, 23) ----
wire aw_drop, aw_chg, aw_x, aw_cx, w_drop, w_chg, w_x, w_cx, b_drop, b_chg, b_x, b_cx;
wire ar_drop, ar_chg, ar_x, ar_cx, r_drop, r_chg, r_x, r_cx;

tb_handshake_check #(.WIDTH(ID_WIDTH + ADDR_WIDTH + 8 + 3 + 2 + 1 + 4 + 3),
                     .CTRL_WIDTH(ID_WIDTH + ADDR_WIDTH + 8 + 3 + 2)) aw_check (
    .clk(clk), .rst(rst), .valid(awvalid), .ready(awready),
    .payload({awid, awaddr, awlen, awsize, awburst, awlock, awcache, awprot}),
    .control({awid, awaddr, awlen, awsize, awburst}),
    .valid_dropped(aw_drop), .payload_changed(aw_chg), .handshake_x(aw_x), .control_x(aw_cx));
tb_handshake_check #(.WIDTH(DATA_WIDTH + STRB_WIDTH + 1), .CTRL_WIDTH(STRB_WIDTH + 1)) w_check (
    .clk(clk), .rst(rst), .valid(wvalid), .ready(wready),
    .payload({wdata, wstrb, wlast}), .control({wstrb, wlast}),
    .valid_dropped(w_drop), .payload_changed(w_chg), .handshake_x(w_x), .control_x(w_cx));
tb_handshake_check #(.WIDTH(ID_WIDTH + 2), .CTRL_WIDTH(ID_WIDTH + 2)) b_check (
    .clk(clk), .rst(rst), .valid(bvalid), .ready(bready),
    .payload({bid, bresp}), .control({bid, bresp}),
    .valid_dropped(b_drop), .payload_changed(b_chg), .handshake_x(b_x), .control_x(b_cx));
tb_handshake_check #(.WIDTH(ID_WIDTH + ADDR_WIDTH + 8 + 3 + 2 + 1 + 4 + 3),
                     .CTRL_WIDTH(ID_WIDTH + ADDR_WIDTH + 8 + 3 + 2)) ar_check (
    .clk(clk), .rst(rst), .valid(arvalid), .ready(arready),
    .payload({arid, araddr, arlen, arsize, arburst, arlock, arcache, arprot}),
    .control({arid, araddr, arlen, arsize, arburst}),
    .valid_dropped(ar_drop), .payload_changed(ar_chg), .handshake_x(ar_x), .control_x(ar_cx));
tb_handshake_check #(.WIDTH(ID_WIDTH + DATA_WIDTH + 2 + 1), .CTRL_WIDTH(ID_WIDTH + 2 + 1)) r_check (
    .clk(clk), .rst(rst), .valid(rvalid), .ready(rready),
    .payload({rid, rdata, rresp, rlast}), .control({rid, rresp, rlast}),
    .valid_dropped(r_drop), .payload_changed(r_chg), .handshake_x(r_x), .control_x(r_cx));

// Handshakes only count when both sides are a clean 1 (X is rule 22).
wire aw_hs = !rst && (awvalid === 1'b1) && (awready === 1'b1);
wire w_hs  = !rst && (wvalid === 1'b1) && (wready === 1'b1);
wire b_hs  = !rst && (bvalid === 1'b1) && (bready === 1'b1);
wire ar_hs = !rst && (arvalid === 1'b1) && (arready === 1'b1);
wire r_hs  = !rst && (rvalid === 1'b1) && (rready === 1'b1);

// ---- 4 KiB and size rules (16-19): bytes of an INCR burst from its size-aligned start ----
wire [16:0] aw_bytes = ({9'd0, awlen} + 17'd1) << awsize;
wire [16:0] ar_bytes = ({9'd0, arlen} + 17'd1) << arsize;
wire [11:0] aw_start = awaddr[11:0] & ~((12'd1 << awsize) - 12'd1);
wire [11:0] ar_start = araddr[11:0] & ~((12'd1 << arsize) - 12'd1);
wire aw_4k = (awburst === 2'b01) && ({5'd0, aw_start} + aw_bytes > 17'd4096);
wire ar_4k = (arburst === 2'b01) && ({5'd0, ar_start} + ar_bytes > 17'd4096);

// ---- declared-port rules (24-29): burst type, length, attributes ----
wire [3:0] burst_types = BURST_TYPES[3:0];    // bit 3 (reserved AxBURST 2'b11) is never declared
wire aw_type_bad = !burst_types[awburst];
wire ar_type_bad = !burst_types[arburst];
wire aw_attr_bad = (ATTR_CHECK != 0) && ({awlock, awcache, awprot} != ATTR);
wire ar_attr_bad = (ATTR_CHECK != 0) && ({arlock, arcache, arprot} != ATTR);

// ---- write bookkeeping ----
// AW bursts whose W data has not all arrived (in order), W bursts that arrived ahead of their AW
// (beat counts, in order; at most MAX_W_AHEAD), B owed per ID. The AW queue and the W-ahead queue are
// never both non-empty. An AW first matches the oldest W burst ahead of it, else it heads the W data.
reg [ID_WIDTH+8-1:0] aw_fifo [0:(1 << WR_PTR_W)-1];   // WR_DEPTH used; sized to the pointer's range
reg [WR_PTR_W-1:0]   aw_rd_ptr_q, aw_wr_ptr_q, aw_cnt_q;
reg [7:0]            ahead_fifo [0:AHEAD_DEPTH-1];
reg [AHEAD_PTR_W-1:0] ahead_rd_ptr_q, ahead_wr_ptr_q, ahead_cnt_q;
reg [7:0]            w_beat_q;      // beats of the current W burst so far
reg [CNT_W-1:0]      b_owed_q [0:NID-1];
reg [CNT_W-1:0]      wr_out_q;

wire                 aw_match_ahead = aw_hs && (ahead_cnt_q != 0);
wire                 aw_new_head = aw_hs && !aw_match_ahead;
wire                 aw_head_valid = (aw_cnt_q != 0) || aw_new_head;
wire [ID_WIDTH-1:0]  aw_head_id  = (aw_cnt_q != 0) ? aw_fifo[aw_rd_ptr_q][ID_WIDTH+8-1:8] : awid;
wire [7:0]           aw_head_len = (aw_cnt_q != 0) ? aw_fifo[aw_rd_ptr_q][7:0] : awlen;
wire                 w_is_last = (wlast === 1'b1);
wire                 w_ahead_beat = w_hs && !aw_head_valid;
wire                 w_head_end = w_hs && aw_head_valid && (w_is_last || w_beat_q >= aw_head_len);
wire                 w_last_bad = (w_hs && aw_head_valid &&
                                   (w_is_last ? (w_beat_q != aw_head_len) : (w_beat_q >= aw_head_len))) ||
                                  (w_ahead_beat && !w_is_last && w_beat_q == LAST_BEAT) ||
                                  (aw_match_ahead && ahead_fifo[ahead_rd_ptr_q] != awlen);
// With MAX_W_AHEAD = 0 the comparison is constant true on purpose: no W may precede its AW.
/* verilator lint_off UNSIGNED */
wire                 w_ahead_over = w_ahead_beat && (w_beat_q == 8'd0) &&
                                    ({{(32-AHEAD_PTR_W){1'b0}}, ahead_cnt_q} >= MAX_W_AHEAD);
/* verilator lint_on UNSIGNED */
wire                 ahead_push = w_ahead_beat && (w_is_last || w_beat_q == LAST_BEAT) &&
                                  (ahead_cnt_q != AHEAD_DEPTH[AHEAD_PTR_W-1:0]);
wire                 aw_push = aw_new_head && !((aw_cnt_q == 0) && w_head_end) &&
                               (aw_cnt_q != WR_DEPTH[WR_PTR_W-1:0]);
wire                 aw_pop  = w_head_end && (aw_cnt_q != 0);
wire                 burst_done = w_head_end || aw_match_ahead;   // AW and all W of a burst seen
wire [ID_WIDTH-1:0]  burst_done_id = aw_match_ahead ? awid : aw_head_id;
wire                 b_orphan = b_hs && (b_owed_q[bid] == 0);
wire                 wr_over = aw_hs && (wr_out_q - {{(CNT_W-1){1'b0}}, b_hs && !b_orphan}
                                         >= MAX_WR_OUTSTANDING[CNT_W-1:0]);
reg [CNT_W-1:0]      wr_id_out_q [0:NID-1];   // writes per ID between AW and B
wire                 b_done = b_hs && !b_orphan;
wire                 wr_id_over = aw_hs && (wr_id_out_q[awid] - {{(CNT_W-1){1'b0}}, b_done && bid == awid}
                                            >= MAX_ID_WR_OUTSTANDING[CNT_W-1:0]);

// ---- read bookkeeping: per-ID queues of ARLEN, beat counter per ID ----
reg [7:0]            ar_fifo [0:NID*RD_DEPTH-1];
reg [RD_PTR_W-1:0]   ar_rd_ptr_q [0:NID-1];
reg [RD_PTR_W-1:0]   ar_wr_ptr_q [0:NID-1];
reg [RD_PTR_W-1:0]   ar_cnt_q [0:NID-1];
reg [7:0]            r_beat_q [0:NID-1];
reg [CNT_W-1:0]      rd_out_q;

wire                 r_orphan = r_hs && (ar_cnt_q[rid] == 0);
wire [7:0]           r_head_len = ar_fifo[rid * RD_DEPTH + {{(32-RD_PTR_W){1'b0}}, ar_rd_ptr_q[rid]}];
wire                 r_last_bad = r_hs && !r_orphan && ((rlast === 1'b1) != (r_beat_q[rid] == r_head_len));
wire                 r_burst_end = r_hs && !r_orphan && ((rlast === 1'b1) || r_beat_q[rid] == r_head_len);
wire                 ar_push = ar_hs && (ar_cnt_q[arid] != RD_DEPTH[RD_PTR_W-1:0]);
wire                 rd_over = ar_hs && (rd_out_q - {{(CNT_W-1){1'b0}}, r_burst_end}
                                         >= MAX_RD_OUTSTANDING[CNT_W-1:0]);
wire                 rd_id_over = ar_hs && ({{(32-RD_PTR_W){1'b0}}, ar_cnt_q[arid]} -
                                            ((r_burst_end && rid == arid) ? 32'd1 : 32'd0)
                                            >= MAX_ID_RD_OUTSTANDING);

// With MAX_BURST_LEN = 256 these are constant false on purpose: every AxLEN is declared.
/* verilator lint_off CMPCONST */
wire arlen_over = arlen > LAST_BEAT;
wire awlen_over = awlen > LAST_BEAT;
/* verilator lint_on CMPCONST */

// ---- violations sampled at this edge: bit N = rule N ----
wire [31:0] violations = {
    rd_id_over,                                                   // 31
    wr_id_over,                                                   // 30
    ar_hs && ar_attr_bad,                                         // 29
    aw_hs && aw_attr_bad,                                         // 28
    ar_hs && arlen_over,                                          // 27
    aw_hs && awlen_over,                                          // 26
    ar_hs && ar_type_bad,                                         // 25
    aw_hs && aw_type_bad,                                         // 24
    aw_cx | w_cx | b_cx | ar_cx | r_cx,                           // 23
    aw_x | w_x | b_x | ar_x | r_x,                                // 22
    rd_over,                                                      // 21
    wr_over,                                                      // 20
    ar_hs && (arsize > MAX_SIZE[2:0]),                            // 19
    aw_hs && (awsize > MAX_SIZE[2:0]),                            // 18
    ar_hs && ar_4k,                                               // 17
    aw_hs && aw_4k,                                               // 16
    b_orphan,                                                     // 15
    r_orphan,                                                     // 14
    r_last_bad,                                                   // 13
    w_ahead_over,                                                 // 12
    w_last_bad,                                                   // 11
    b_chg, b_drop, r_chg, r_drop, ar_chg, ar_drop, w_chg, w_drop, aw_chg, aw_drop,  // 10..1
    1'b0
};

function [8*56-1:0] rule_text(input integer rule);
    case (rule)
        1: rule_text = "AWVALID dropped before AWREADY";
        2: rule_text = "AW payload changed while AWVALID && !AWREADY";
        3: rule_text = "WVALID dropped before WREADY";
        4: rule_text = "W payload changed while WVALID && !WREADY";
        5: rule_text = "ARVALID dropped before ARREADY";
        6: rule_text = "AR payload changed while ARVALID && !ARREADY";
        7: rule_text = "RVALID dropped before RREADY";
        8: rule_text = "R payload changed while RVALID && !RREADY";
        9: rule_text = "BVALID dropped before BREADY";
        10: rule_text = "B payload changed while BVALID && !BREADY";
        11: rule_text = "WLAST not on beat AWLEN of its burst";
        12: rule_text = "W burst more than MAX_W_AHEAD bursts ahead of its AW";
        13: rule_text = "RLAST not on beat ARLEN of its burst";
        14: rule_text = "R beat with no outstanding AR for its RID";
        15: rule_text = "B with no completed write burst for its BID";
        16: rule_text = "AW INCR burst crosses a 4 KiB boundary";
        17: rule_text = "AR INCR burst crosses a 4 KiB boundary";
        18: rule_text = "AWSIZE wider than the data bus";
        19: rule_text = "ARSIZE wider than the data bus";
        20: rule_text = "more write bursts outstanding than MAX_WR_OUTSTANDING";
        21: rule_text = "more read bursts outstanding than MAX_RD_OUTSTANDING";
        22: rule_text = "X/Z on a VALID or READY outside reset";
        23: rule_text = "X/Z on a control field while VALID";
        24: rule_text = "AWBURST not a burst type the port declares";
        25: rule_text = "ARBURST not a burst type the port declares";
        26: rule_text = "AWLEN above the port's MAX_BURST_LEN";
        27: rule_text = "ARLEN above the port's MAX_BURST_LEN";
        28: rule_text = "AWLOCK/AWCACHE/AWPROT not as the port declares";
        29: rule_text = "ARLOCK/ARCACHE/ARPROT not as the port declares";
        30: rule_text = "more writes of one AWID than MAX_ID_WR_OUTSTANDING";
        31: rule_text = "more reads of one ARID than MAX_ID_RD_OUTSTANDING";
        default: rule_text = "unknown rule";
    endcase
endfunction

tb_error_report report (
    .clk(clk), .rst(rst), .violations(violations),
    .error_valid(error_valid), .error_rule(error_rule), .error_cycle(error_cycle),
    .error_count(error_count), .error_mask(error_mask), .cycle(cycle));

integer k;
always @(posedge clk) begin
    if (!rst && violations != 32'd0) begin
        for (k = 1; k < 32; k = k + 1) begin
            if (violations[k]) begin
                if (FATAL != 0) begin
                    $fatal(1, "axi4_checker: rule %0d: %0s (cycle %0d, %m)", k, rule_text(k), cycle);
                end else if (error_count < 32) begin
                    $display("axi4_checker: rule %0d: %0s (cycle %0d, %m)", k, rule_text(k), cycle);
                end
            end
        end
    end
end

// ---- state updates ----
integer i;
always @(posedge clk) begin
    if (rst) begin
        aw_rd_ptr_q <= 0;
        aw_wr_ptr_q <= 0;
        aw_cnt_q <= 0;
        ahead_rd_ptr_q <= 0;
        ahead_wr_ptr_q <= 0;
        ahead_cnt_q <= 0;
        w_beat_q <= 8'd0;
        wr_out_q <= 0;
        rd_out_q <= 0;
        for (i = 0; i < NID; i = i + 1) begin
            b_owed_q[i] <= 0;
            wr_id_out_q[i] <= 0;
            ar_rd_ptr_q[i] <= 0;
            ar_wr_ptr_q[i] <= 0;
            ar_cnt_q[i] <= 0;
            r_beat_q[i] <= 8'd0;
        end
    end else if (aw_hs || w_hs || b_hs || ar_hs || r_hs) begin
        // (every update below needs a handshake: the guard only spares Icarus the idle cycles)
        // writes: AW queue, W-ahead queue, W beat position, B owed per ID, outstanding count
        if (aw_push) begin
            aw_fifo[aw_wr_ptr_q] <= {awid, awlen};
            aw_wr_ptr_q <= (aw_wr_ptr_q == WR_DEPTH[WR_PTR_W-1:0] - 1) ? 0 : aw_wr_ptr_q + 1;
        end
        if (aw_pop) begin
            aw_rd_ptr_q <= (aw_rd_ptr_q == WR_DEPTH[WR_PTR_W-1:0] - 1) ? 0 : aw_rd_ptr_q + 1;
        end
        aw_cnt_q <= aw_cnt_q + (aw_push ? 1 : 0) - (aw_pop ? 1 : 0);
        if (ahead_push) begin
            ahead_fifo[ahead_wr_ptr_q] <= w_beat_q;
            ahead_wr_ptr_q <= (ahead_wr_ptr_q == AHEAD_DEPTH[AHEAD_PTR_W-1:0] - 1) ? 0 : ahead_wr_ptr_q + 1;
        end
        if (aw_match_ahead) begin
            ahead_rd_ptr_q <= (ahead_rd_ptr_q == AHEAD_DEPTH[AHEAD_PTR_W-1:0] - 1) ? 0 : ahead_rd_ptr_q + 1;
        end
        ahead_cnt_q <= ahead_cnt_q + (ahead_push ? 1 : 0) - (aw_match_ahead ? 1 : 0);
        if (w_head_end || (w_ahead_beat && (w_is_last || w_beat_q == LAST_BEAT))) begin
            w_beat_q <= 8'd0;
        end else if (w_hs) begin
            w_beat_q <= w_beat_q + 8'd1;
        end
        if (burst_done && b_hs && !b_orphan && burst_done_id == bid) begin
            b_owed_q[bid] <= b_owed_q[bid];
        end else begin
            if (burst_done) begin
                b_owed_q[burst_done_id] <= b_owed_q[burst_done_id] + 1;
            end
            if (b_hs && !b_orphan) begin
                b_owed_q[bid] <= b_owed_q[bid] - 1;
            end
        end
        wr_out_q <= wr_out_q + (aw_hs ? 1 : 0) - ((b_hs && !b_orphan) ? 1 : 0);
        if (!(aw_hs && b_done && awid == bid)) begin
            if (aw_hs) begin
                wr_id_out_q[awid] <= wr_id_out_q[awid] + 1;
            end
            if (b_done) begin
                wr_id_out_q[bid] <= wr_id_out_q[bid] - 1;
            end
        end

        // reads: per-ID ARLEN queues, beat counters, outstanding count
        if (ar_push) begin
            ar_fifo[arid * RD_DEPTH + {{(32-RD_PTR_W){1'b0}}, ar_wr_ptr_q[arid]}] <= arlen;
            ar_wr_ptr_q[arid] <= (ar_wr_ptr_q[arid] == RD_DEPTH[RD_PTR_W-1:0] - 1) ? 0 : ar_wr_ptr_q[arid] + 1;
        end
        if (r_burst_end) begin
            ar_rd_ptr_q[rid] <= (ar_rd_ptr_q[rid] == RD_DEPTH[RD_PTR_W-1:0] - 1) ? 0 : ar_rd_ptr_q[rid] + 1;
            r_beat_q[rid] <= 8'd0;
        end else if (r_hs && !r_orphan) begin
            r_beat_q[rid] <= r_beat_q[rid] + 8'd1;
        end
        if (ar_push && r_burst_end && arid == rid) begin
            ar_cnt_q[arid] <= ar_cnt_q[arid];
        end else begin
            if (ar_push) begin
                ar_cnt_q[arid] <= ar_cnt_q[arid] + 1;
            end
            if (r_burst_end) begin
                ar_cnt_q[rid] <= ar_cnt_q[rid] - 1;
            end
        end
        rd_out_q <= rd_out_q + (ar_hs ? 1 : 0) - (r_burst_end ? 1 : 0);
    end
end

endmodule

`resetall
