// tb_axi_mem: AXI4 slave memory agent of the fast DDI environment (testbench only; tb/fast_agents.py
// drives it, docs/environment.md draws the flow).
//
// The memory is a set of 4 KiB page slots, SETS x WAYS, mapped by Python to physical frames of the
// simulated machine: slot (set, way) holds frame PFN when tag[set * WAYS + way] = {1, PFN} and set =
// PFN mod SETS. Python loads tags, words and per-byte write permissions in bulk with $readmemh from
// files it writes (cmd bits 0..2), and reads back every slot the DUT wrote (cmd bit 3: the dirty slots
// to a file, `@slot` then its words). $readmemh/$fwrite move a page in one system call on both Icarus
// and Verilator; a VPI write per word would cost a Python call each.
//
// Bus behaviour: INCR bursts, reads and writes each in order (queue of QUEUE_DEPTH bursts), every
// handshake stalled with probability pause/256 per cycle and the first R beat and B of a burst
// delayed by 0..latency cycles, from xorshift generators seeded with `seed` (set before reset).
// Violations, recorded on the beat (the first one's address, cycle and kind kept, all counted):
//   1 a W beat strobes a byte without write permission (outside the ranges the driver handed over):
//     the beat is not written and the burst answers SLVERR;
//   2 a burst on a page no slot maps (R answers SLVERR with zero data, W is not written);
//   3 a burst crossing a 4 KiB boundary.
// Error injection (tb/fast_agents.HdlErrorMap, the same answers as tb/axi_memory.py's ErrorMap on the
// per-beat transport): with err_resp set (2 SLVERR, 3 DECERR), a read beat whose bus word overlaps
// [err_base, err_end) answers err_resp with zero data (err_on bit 0), and a write burst whose span
// overlaps it writes nothing and answers err_resp on B (err_on bit 1); neither is a violation.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_axi_mem #(
    parameter integer DATA_WIDTH  = 64,    // AXI data width: 32, 64 or 128
    parameter integer ADDR_WIDTH  = 64,    // AXI address width, 13..64
    parameter integer ID_WIDTH    = 4,     // AXI ID width
    parameter integer SETS_LOG2   = 9,     // page sets: 2**SETS_LOG2
    parameter integer WAYS        = 8,     // pages per set (power of two)
    parameter integer QUEUE_DEPTH = 16,    // bursts accepted ahead, per direction (power of two)
    parameter integer PORT        = 0      // file names tbmem<PORT>_<token>_<tags|data|wok|rb>.hex
) (
    input  wire                     clk,
    input  wire                     rst,

    input  wire [ID_WIDTH-1:0]      s_axi_awid,
    input  wire [ADDR_WIDTH-1:0]    s_axi_awaddr,
    input  wire [7:0]               s_axi_awlen,
    input  wire [2:0]               s_axi_awsize,
    input  wire [1:0]               s_axi_awburst,  // INCR assumed (sgdma_tb's checkers enforce it)
    input  wire                     s_axi_awvalid,
    output wire                     s_axi_awready,
    input  wire [DATA_WIDTH-1:0]    s_axi_wdata,
    input  wire [DATA_WIDTH/8-1:0]  s_axi_wstrb,
    input  wire                     s_axi_wlast,
    input  wire                     s_axi_wvalid,
    output wire                     s_axi_wready,
    output wire [ID_WIDTH-1:0]      s_axi_bid,
    output wire [1:0]               s_axi_bresp,
    output wire                     s_axi_bvalid,
    input  wire                     s_axi_bready,
    input  wire [ID_WIDTH-1:0]      s_axi_arid,
    input  wire [ADDR_WIDTH-1:0]    s_axi_araddr,
    input  wire [7:0]               s_axi_arlen,
    input  wire [2:0]               s_axi_arsize,
    input  wire [1:0]               s_axi_arburst,  // INCR assumed
    input  wire                     s_axi_arvalid,
    output wire                     s_axi_arready,
    output wire [ID_WIDTH-1:0]      s_axi_rid,
    output wire [DATA_WIDTH-1:0]    s_axi_rdata,
    output wire [1:0]               s_axi_rresp,
    output wire                     s_axi_rlast,
    output wire                     s_axi_rvalid,
    input  wire                     s_axi_rready,

    // control from Python (set between windows)
    input  wire [31:0]              token,      // file-name token (unique per simulation)
    input  wire [3:0]               cmd,        // one-cycle pulse: 0 tags, 1 data, 2 wok, 3 readback
    input  wire [31:0]              seed,       // pacing seed (taken at reset)
    input  wire [7:0]               pause,      // stall probability per cycle, /256
    input  wire [7:0]               latency,    // max extra cycles before a first R beat / a B
    input  wire [ADDR_WIDTH-1:0]    err_base,   // injected error range [err_base, err_end)
    input  wire [ADDR_WIDTH-1:0]    err_end,
    input  wire [1:0]               err_resp,   // its answer: 2 SLVERR, 3 DECERR (0: no injection)
    input  wire [1:0]               err_on,     // bit 0 reads, bit 1 writes

    // violations
    output reg  [31:0]              viol_count,
    output reg  [ADDR_WIDTH-1:0]    viol_addr,
    output reg  [31:0]              viol_cycle,
    output reg  [1:0]               viol_kind,
    output reg  [31:0]              cycle
);

localparam integer STRB_WIDTH = DATA_WIDTH / 8;
localparam integer LSB        = $clog2(STRB_WIDTH);
localparam integer PAGE_LOG2  = 12;
localparam integer WPP_LOG2   = PAGE_LOG2 - LSB;            // words per page, log2
localparam integer WAYS_LOG2  = $clog2(WAYS);
localparam integer SLOT_W     = SETS_LOG2 + WAYS_LOG2;
localparam integer SLOTS      = 1 << SLOT_W;
localparam integer IDX_W      = SLOT_W + WPP_LOG2;
localparam integer WORDS      = 1 << IDX_W;
localparam integer PFN_W      = ADDR_WIDTH - PAGE_LOG2;
localparam integer QW         = $clog2(QUEUE_DEPTH);
localparam [ADDR_WIDTH:0] WORD_BYTES = {{ADDR_WIDTH{1'b0}}, 1'b1} << LSB;  // bytes per bus word, address-sized

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128)
        $fatal(1, "tb_axi_mem: DATA_WIDTH (%0d) must be 32, 64 or 128", DATA_WIDTH);
    if (ADDR_WIDTH < PAGE_LOG2 + SETS_LOG2 || ADDR_WIDTH > 64)
        $fatal(1, "tb_axi_mem: ADDR_WIDTH (%0d) must be %0d..64", ADDR_WIDTH, PAGE_LOG2 + SETS_LOG2);
    if ((1 << WAYS_LOG2) != WAYS)
        $fatal(1, "tb_axi_mem: WAYS (%0d) must be a power of two", WAYS);
    if (QUEUE_DEPTH < 2 || (1 << QW) != QUEUE_DEPTH)
        $fatal(1, "tb_axi_mem: QUEUE_DEPTH (%0d) must be a power of two >= 2", QUEUE_DEPTH);
end

reg [DATA_WIDTH-1:0] ram   [0:WORDS-1];
reg [STRB_WIDTH-1:0] wok   [0:WORDS-1];     // write permission, one bit per byte
reg [PFN_W:0]        tag   [0:SLOTS-1];     // {valid, frame}
reg                  dirty [0:SLOTS-1];     // written since the last readback

/* verilator lint_off UNUSEDSIGNAL */
wire unused_burst = ^{s_axi_awburst, s_axi_arburst};
/* verilator lint_on UNUSEDSIGNAL */

integer i, j;
initial begin
    for (i = 0; i < WORDS; i = i + 1) wok[i] = {STRB_WIDTH{1'b0}};
    for (i = 0; i < SLOTS; i = i + 1) begin
        tag[i]   = {(PFN_W + 1){1'b0}};
        dirty[i] = 1'b0;
    end
end

// {hit, slot} of the page holding addr (the page bits only)
/* verilator lint_off UNUSEDSIGNAL */
function [SLOT_W:0] lookup(input [ADDR_WIDTH-1:0] addr);
    integer w;
    reg [SLOT_W-1:0] s;
    begin
        lookup = {(SLOT_W + 1){1'b0}};
        for (w = 0; w < WAYS; w = w + 1) begin
            s = {addr[PAGE_LOG2 +: SETS_LOG2], w[WAYS_LOG2-1:0]};
            if (tag[s] == {1'b1, addr[ADDR_WIDTH-1:PAGE_LOG2]}) lookup = {1'b1, s};
        end
    end
endfunction

// the burst goes past the end of its 4 KiB page (its beats start at the address aligned to the size)
function crosses(input [ADDR_WIDTH-1:0] addr, input [7:0] len, input [2:0] size);
    reg [20:0] last;
    begin
        last = (({9'd0, addr[PAGE_LOG2-1:0]} >> size) << size) + (({13'd0, len} + 21'd1) << size) - 21'd1;
        crosses = last[20:PAGE_LOG2] != 9'd0;
    end
endfunction
/* verilator lint_on UNUSEDSIGNAL */

// [lo, hi) overlaps the injected error range (hi is one past the last byte, ADDR_WIDTH+1 bits)
function err_hit(input [ADDR_WIDTH-1:0] lo, input [ADDR_WIDTH:0] hi);
    begin
        err_hit = {1'b0, lo} < {1'b0, err_end} && {1'b0, err_base} < hi;
    end
endfunction

function [31:0] xorshift(input [31:0] x);
    reg [31:0] y;
    begin
        y = x ^ (x << 13);
        y = y ^ (y >> 17);
        xorshift = y ^ (y << 5);
    end
endfunction

// ---------------------------------------------------------------------------------------------
// pacing: one generator per channel (AR, R, AW, W, B) and one for the latencies
reg  [31:0] rnd_q [0:5];
wire [8:0]  pause_ext = {1'b0, pause};
wire ar_stall = {1'b0, rnd_q[0][7:0]} < pause_ext;
wire r_stall  = {1'b0, rnd_q[1][7:0]} < pause_ext;
wire aw_stall = {1'b0, rnd_q[2][7:0]} < pause_ext;
wire w_stall  = {1'b0, rnd_q[3][7:0]} < pause_ext;
wire b_stall  = {1'b0, rnd_q[4][7:0]} < pause_ext;
wire [31:0] lat_draw = {24'd0, rnd_q[5][15:8]} % ({24'd0, latency} + 32'd1);
wire [31:0] due_at   = cycle + 32'd1 + lat_draw;

// The stall generators draw only while stalls are on (pause != 0) and the latency one only while
// latency != 0: with both 0 nothing here changes per cycle but the cycle count, and Icarus evaluates
// nothing that depends on the draws (a fixed pause or latency sees the same sequence as drawing always).
wire draw_stall = pause != 8'd0;
wire draw_lat   = latency != 8'd0;
always @(posedge clk) begin
    if (rst) begin
        for (i = 0; i < 6; i = i + 1)
            rnd_q[i] <= xorshift(seed ^ (32'h9E37_79B9 * (i + 1))) | 32'd1;
    end else begin
        if (draw_stall) begin
            for (i = 0; i < 5; i = i + 1)
                rnd_q[i] <= xorshift(rnd_q[i]);
        end
        if (draw_lat) rnd_q[5] <= xorshift(rnd_q[5]);
    end
    cycle <= rst ? 32'd0 : cycle + 32'd1;
end

// ---------------------------------------------------------------------------------------------
// read: AR queue ({id, len, slot, word, miss}, due cycle), one burst at a time on R
reg [ID_WIDTH-1:0] arq_id   [0:QUEUE_DEPTH-1];
reg [7:0]          arq_len  [0:QUEUE_DEPTH-1];
reg [IDX_W-1:0]    arq_idx  [0:QUEUE_DEPTH-1];
reg                arq_miss [0:QUEUE_DEPTH-1];
reg [PFN_W-1:0]    arq_pfn  [0:QUEUE_DEPTH-1];
reg [31:0]         arq_at   [0:QUEUE_DEPTH-1];
reg [QW:0]         arq_wr_q, arq_rd_q;
wire               arq_empty = arq_wr_q == arq_rd_q;
assign s_axi_arready = !rst && !ar_stall && (arq_wr_q - arq_rd_q) != QUEUE_DEPTH[QW:0];
wire ar_hs = s_axi_arvalid && s_axi_arready;
wire [SLOT_W:0] ar_hit = lookup(s_axi_araddr);

reg                  rd_busy_q;
reg [IDX_W-1:0]      rd_idx_q;
reg [7:0]            rd_left_q;
reg [ID_WIDTH-1:0]   rd_id_q;
reg                  rd_miss_q;
reg [PFN_W-1:0]      rd_pfn_q;
reg                  rvalid_q, rlast_q;
reg [1:0]            rresp_q;
reg [ID_WIDTH-1:0]   rid_q;
reg [DATA_WIDTH-1:0] rdata_q;

wire [QW-1:0] arq_head = arq_rd_q[QW-1:0];
wire r_free  = !rvalid_q || s_axi_rready;
wire r_start = !rd_busy_q && !arq_empty && arq_at[arq_head] <= cycle;
wire r_go    = r_free && !r_stall && (rd_busy_q || r_start);
wire [IDX_W-1:0] r_idx  = rd_busy_q ? rd_idx_q : arq_idx[arq_head];
wire             r_miss = rd_busy_q ? rd_miss_q : arq_miss[arq_head];
wire [PFN_W-1:0] r_pfn  = rd_busy_q ? rd_pfn_q  : arq_pfn[arq_head];
// the beat's bus word overlaps the injected error range
wire [ADDR_WIDTH-1:0] r_word = {r_pfn, r_idx[WPP_LOG2-1:0], {LSB{1'b0}}};
wire [ADDR_WIDTH:0]   r_word_end = {1'b0, r_word} + WORD_BYTES;
wire             r_err  = err_on[0] && err_resp[1] && err_hit(r_word, r_word_end);
// the next word of a burst stays in its page (a crossing burst was flagged at AR)
wire [IDX_W-1:0] r_next = {r_idx[IDX_W-1:WPP_LOG2], r_idx[WPP_LOG2-1:0] + 1'b1};

always @(posedge clk) begin
    if (ar_hs) begin
        arq_id[arq_wr_q[QW-1:0]]   <= s_axi_arid;
        arq_len[arq_wr_q[QW-1:0]]  <= s_axi_arlen;
        arq_idx[arq_wr_q[QW-1:0]]  <= {ar_hit[SLOT_W-1:0], s_axi_araddr[PAGE_LOG2-1:LSB]};
        arq_miss[arq_wr_q[QW-1:0]] <= !ar_hit[SLOT_W];
        arq_pfn[arq_wr_q[QW-1:0]]  <= s_axi_araddr[ADDR_WIDTH-1:PAGE_LOG2];
        arq_at[arq_wr_q[QW-1:0]]   <= due_at;
    end
    if (r_go) rdata_q <= (r_miss || r_err) ? {DATA_WIDTH{1'b0}} : ram[r_idx];
    if (rst) begin
        arq_wr_q  <= 0;
        arq_rd_q  <= 0;
        rd_busy_q <= 1'b0;
        rd_idx_q  <= {IDX_W{1'b0}};
        rd_left_q <= 8'd0;
        rd_id_q   <= {ID_WIDTH{1'b0}};
        rd_miss_q <= 1'b0;
        rd_pfn_q  <= {PFN_W{1'b0}};
        rvalid_q  <= 1'b0;
        rlast_q   <= 1'b0;
        rresp_q   <= 2'b00;
        rid_q     <= {ID_WIDTH{1'b0}};
    end else begin
        if (ar_hs) arq_wr_q <= arq_wr_q + 1'b1;
        if (r_go) begin
            rvalid_q  <= 1'b1;
            rresp_q   <= r_err ? err_resp : r_miss ? 2'b10 : 2'b00;
            rd_idx_q  <= r_next;
            rd_miss_q <= r_miss;
            rd_pfn_q  <= r_pfn;
            if (rd_busy_q) begin
                rid_q     <= rd_id_q;
                rlast_q   <= rd_left_q == 8'd1;
                rd_busy_q <= rd_left_q != 8'd1;
                rd_left_q <= rd_left_q - 8'd1;
            end else begin
                arq_rd_q  <= arq_rd_q + 1'b1;
                rid_q     <= arq_id[arq_head];
                rlast_q   <= arq_len[arq_head] == 8'd0;
                rd_busy_q <= arq_len[arq_head] != 8'd0;
                rd_left_q <= arq_len[arq_head];
                rd_id_q   <= arq_id[arq_head];
            end
        end else if (s_axi_rready) begin
            rvalid_q <= 1'b0;
        end
    end
end

assign s_axi_rvalid = rvalid_q;
assign s_axi_rdata  = rdata_q;
assign s_axi_rlast  = rlast_q;
assign s_axi_rid    = rid_q;
assign s_axi_rresp  = rresp_q;

// ---------------------------------------------------------------------------------------------
// write: AW queue ({id, slot, word, miss, page address}), W into memory where permitted, B queue
reg [ID_WIDTH-1:0]   awq_id   [0:QUEUE_DEPTH-1];
reg [IDX_W-1:0]      awq_idx  [0:QUEUE_DEPTH-1];
reg                  awq_miss [0:QUEUE_DEPTH-1];
reg [PFN_W-1:0]      awq_pfn  [0:QUEUE_DEPTH-1];
reg [1:0]            awq_inj  [0:QUEUE_DEPTH-1];   // injected answer of the burst (0: none)
reg [QW:0]           awq_wr_q, awq_rd_q;
wire                 awq_empty = awq_wr_q == awq_rd_q;
assign s_axi_awready = !rst && !aw_stall && (awq_wr_q - awq_rd_q) != QUEUE_DEPTH[QW:0];
wire aw_hs = s_axi_awvalid && s_axi_awready;
wire [SLOT_W:0] aw_hit = lookup(s_axi_awaddr);
// the burst's span, from its address aligned down to the bus word to its address plus its bytes
wire [ADDR_WIDTH:0] aw_span_end = {1'b0, s_axi_awaddr} + ({{(ADDR_WIDTH - 8){1'b0}}, s_axi_awlen} + 1'b1
                                                          << s_axi_awsize);
wire [ADDR_WIDTH-1:0] aw_word = {s_axi_awaddr[ADDR_WIDTH-1:LSB], {LSB{1'b0}}};
wire [1:0] aw_inj = (err_on[1] && err_resp[1] && err_hit(aw_word, aw_span_end)) ? err_resp : 2'b00;

reg                  wr_busy_q;
reg [IDX_W-1:0]      wr_idx_q;
reg                  wr_miss_q;
reg                  wr_err_q;       // a beat of this burst was refused
reg [1:0]            wr_inj_q;       // injected answer of this burst (0: none)
reg [PFN_W-1:0]      wr_pfn_q;
reg [ID_WIDTH-1:0]   wr_id_q;
wire [QW-1:0] awq_head = awq_rd_q[QW-1:0];
assign s_axi_wready = !rst && !w_stall && (wr_busy_q || !awq_empty);
wire w_hs = s_axi_wvalid && s_axi_wready;
wire [IDX_W-1:0]      w_idx  = wr_busy_q ? wr_idx_q  : awq_idx[awq_head];
wire                  w_miss = wr_busy_q ? wr_miss_q : awq_miss[awq_head];
wire [PFN_W-1:0]      w_pfn  = wr_busy_q ? wr_pfn_q  : awq_pfn[awq_head];
wire [ID_WIDTH-1:0]   w_id   = wr_busy_q ? wr_id_q   : awq_id[awq_head];
wire [1:0]            w_inj  = wr_busy_q ? wr_inj_q  : awq_inj[awq_head];
// an injected error writes nothing and is no violation (the per-beat memory never checks its beats)
wire [STRB_WIDTH-1:0] w_bad  = w_inj[1] ? {STRB_WIDTH{1'b0}} : w_miss ? s_axi_wstrb : s_axi_wstrb & ~wok[w_idx];
wire                  w_refused = w_bad != {STRB_WIDTH{1'b0}};
// the first refused byte lane
reg  [LSB-1:0]        w_bad_lane;
always @* begin
    w_bad_lane = {LSB{1'b0}};
    for (j = STRB_WIDTH - 1; j >= 0; j = j - 1)
        if (w_bad[j]) w_bad_lane = j[LSB-1:0];
end
wire [ADDR_WIDTH-1:0] w_addr = {w_pfn, w_idx[WPP_LOG2-1:0], w_bad_lane};

reg [ID_WIDTH-1:0] bq_id   [0:QUEUE_DEPTH-1];
reg [1:0]          bq_resp [0:QUEUE_DEPTH-1];
reg [31:0]         bq_at   [0:QUEUE_DEPTH-1];
reg [QW:0]         bq_wr_q, bq_rd_q;
wire               bq_empty = bq_wr_q == bq_rd_q;
reg                bvalid_q;
reg [1:0]          bresp_q;
reg [ID_WIDTH-1:0] bid_q;
wire [QW-1:0] bq_head = bq_rd_q[QW-1:0];
wire b_go = (!bvalid_q || s_axi_bready) && !b_stall && !bq_empty && bq_at[bq_head] <= cycle;

// violation recording: the first one kept, every one counted
wire ar_cross = ar_hs && crosses(s_axi_araddr, s_axi_arlen, s_axi_arsize);
wire aw_cross = aw_hs && crosses(s_axi_awaddr, s_axi_awlen, s_axi_awsize);
wire ar_miss  = ar_hs && !ar_hit[SLOT_W];
wire w_viol   = w_hs && w_refused;
wire any_viol = ar_cross || aw_cross || ar_miss || w_viol;

always @(posedge clk) begin
    if (aw_hs) begin
        awq_id[awq_wr_q[QW-1:0]]   <= s_axi_awid;
        awq_idx[awq_wr_q[QW-1:0]]  <= {aw_hit[SLOT_W-1:0], s_axi_awaddr[PAGE_LOG2-1:LSB]};
        awq_miss[awq_wr_q[QW-1:0]] <= !aw_hit[SLOT_W];
        awq_pfn[awq_wr_q[QW-1:0]]  <= s_axi_awaddr[ADDR_WIDTH-1:PAGE_LOG2];
        awq_inj[awq_wr_q[QW-1:0]]  <= aw_inj;
    end
    if (w_hs && !w_refused && !w_inj[1]) begin
        if (&s_axi_wstrb) begin
            ram[w_idx] <= s_axi_wdata;      // a full beat in one write, not one per byte lane
        end else begin
            for (j = 0; j < STRB_WIDTH; j = j + 1)
                if (s_axi_wstrb[j]) ram[w_idx][8*j +: 8] <= s_axi_wdata[8*j +: 8];
        end
    end
    if (w_hs && s_axi_wlast) begin
        bq_id[bq_wr_q[QW-1:0]]  <= w_id;
        bq_resp[bq_wr_q[QW-1:0]] <= w_inj[1] ? w_inj : ((wr_busy_q && wr_err_q) || w_refused) ? 2'b10 : 2'b00;
        bq_at[bq_wr_q[QW-1:0]]  <= due_at;
    end
    if (rst) begin
        awq_wr_q   <= 0;
        awq_rd_q   <= 0;
        wr_busy_q  <= 1'b0;
        wr_idx_q   <= {IDX_W{1'b0}};
        wr_miss_q  <= 1'b0;
        wr_err_q   <= 1'b0;
        wr_inj_q   <= 2'b00;
        wr_pfn_q   <= {PFN_W{1'b0}};
        wr_id_q    <= {ID_WIDTH{1'b0}};
        bq_wr_q    <= 0;
        bq_rd_q    <= 0;
        bvalid_q   <= 1'b0;
        bresp_q    <= 2'b00;
        bid_q      <= {ID_WIDTH{1'b0}};
        viol_count <= 32'd0;
        viol_addr  <= {ADDR_WIDTH{1'b0}};
        viol_cycle <= 32'd0;
        viol_kind  <= 2'd0;
    end else begin
        if (aw_hs) awq_wr_q <= awq_wr_q + 1'b1;
        if (w_hs) begin
            if (!wr_busy_q) awq_rd_q <= awq_rd_q + 1'b1;
            wr_busy_q <= !s_axi_wlast;
            wr_idx_q  <= {w_idx[IDX_W-1:WPP_LOG2], w_idx[WPP_LOG2-1:0] + 1'b1};
            wr_miss_q <= w_miss;
            wr_err_q  <= (wr_busy_q && wr_err_q) || w_refused;
            wr_inj_q  <= w_inj;
            wr_pfn_q  <= w_pfn;
            wr_id_q   <= w_id;
        end
        if (w_hs && s_axi_wlast) bq_wr_q <= bq_wr_q + 1'b1;
        if (b_go) begin
            bvalid_q <= 1'b1;
            bid_q    <= bq_id[bq_head];
            bresp_q  <= bq_resp[bq_head];
            bq_rd_q  <= bq_rd_q + 1'b1;
        end else if (s_axi_bready) begin
            bvalid_q <= 1'b0;
        end
        if (any_viol) begin
            viol_count <= viol_count + 32'd1;
            if (viol_count == 32'd0) begin
                viol_cycle <= cycle;
                if (w_viol) begin
                    viol_kind <= w_miss ? 2'd2 : 2'd1;
                    viol_addr <= w_addr;
                end else if (ar_miss) begin
                    viol_kind <= 2'd2;
                    viol_addr <= s_axi_araddr;
                end else begin
                    viol_kind <= 2'd3;
                    viol_addr <= ar_cross ? s_axi_araddr : s_axi_awaddr;
                end
            end
        end
    end
end

assign s_axi_bvalid = bvalid_q;
assign s_axi_bid    = bid_q;
assign s_axi_bresp  = bresp_q;

// ---------------------------------------------------------------------------------------------
// bulk load and readback (Python writes/reads the files in the simulation's working directory)
reg [8*64-1:0] fname;
integer fd, s, k;
// the file handle and the loop are simulation-time system tasks, not logic
/* verilator lint_off BLKSEQ */
always @(posedge clk) begin
    if (cmd[0]) begin
        $sformat(fname, "tbmem%0d_%0d_tags.hex", PORT, token);
        $readmemh(fname, tag);
    end
    if (cmd[1]) begin
        $sformat(fname, "tbmem%0d_%0d_data.hex", PORT, token);
        $readmemh(fname, ram);
    end
    if (cmd[2]) begin
        $sformat(fname, "tbmem%0d_%0d_wok.hex", PORT, token);
        $readmemh(fname, wok);
    end
    if (cmd[3]) begin
        $sformat(fname, "tbmem%0d_%0d_rb.hex", PORT, token);
        fd = $fopen(fname, "w");
        for (s = 0; s < SLOTS; s = s + 1) begin
            if (dirty[s]) begin
                $fwrite(fd, "@%h\n", s[SLOT_W-1:0]);
                for (k = 0; k < (1 << WPP_LOG2); k = k + 1)
                    $fwrite(fd, "%h\n", ram[s * (1 << WPP_LOG2) + k]);
                dirty[s] <= 1'b0;
            end
        end
        $fclose(fd);
    end
    if (w_hs && !w_refused && !w_inj[1]) dirty[w_idx[IDX_W-1:WPP_LOG2]] <= 1'b1;
end
/* verilator lint_on BLKSEQ */

endmodule

`resetall
