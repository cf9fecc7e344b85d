// bench_axi_ram: AXI4 slave memory for benchmarks (testbench only, not synthesisable as a RAM macro).
//
// Full throughput with a fixed, pipelined latency (the `latency` input, run time: one build serves every
// latency; hold it constant from reset): every AR is accepted at once (up to QUEUE_DEPTH bursts
// waiting), and its first R beat is on the bus latency+1 cycles after the AR handshake cycle (latency
// 0: the cycle right after AR); bursts follow each other without a gap, one beat per cycle.
// Writes: W is accepted whenever an AW is known (the current burst or a queued one); the B response
// is on the bus latency+1 cycles after the WLAST handshake. INCR bursts only (the DUT uses nothing
// else); addresses wrap at 2**MEM_LOG2 bytes.
//
// Contents: zero, except INIT_BYTES from INIT_BASE holding the bench pattern (32-bit word k of the
// region = k ^ INIT_SALT). Writes into [CHECK_BASE, CHECK_BASE+CHECK_BYTES) are compared with the
// same pattern (salt CHECK_SALT, all strobes set): check_beats counts them, check_errors the
// mismatches. A 32-bit backdoor port (bd_*) writes and reads words for descriptor setup and status
// read-back without bus traffic.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module bench_axi_ram #(
    parameter integer DATA_WIDTH  = 64,        // AXI data width: 32, 64 or 128
    parameter integer ADDR_WIDTH  = 32,        // AXI address width
    parameter integer ID_WIDTH    = 4,         // AXI ID width
    parameter integer MEM_LOG2    = 22,        // memory size 2**MEM_LOG2 bytes
    parameter integer QUEUE_DEPTH = 16,        // bursts accepted ahead (AR and AW each), power of two
    parameter integer INIT_BASE   = 0,         // pattern region (bytes, beat aligned)
    parameter integer INIT_BYTES  = 0,
    parameter [31:0]  INIT_SALT   = 32'h0,
    parameter integer CHECK_BASE  = 0,         // checked write region (bytes, beat aligned)
    parameter integer CHECK_BYTES = 0,
    parameter [31:0]  CHECK_SALT  = 32'h0
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire [7:0]               latency,   // extra cycles before the first R beat / the B response

    input  wire [ID_WIDTH-1:0]      s_axi_awid,
    input  wire [ADDR_WIDTH-1:0]    s_axi_awaddr,
    input  wire [7:0]               s_axi_awlen,
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
    input  wire                     s_axi_arvalid,
    output wire                     s_axi_arready,
    output wire [ID_WIDTH-1:0]      s_axi_rid,
    output wire [DATA_WIDTH-1:0]    s_axi_rdata,
    output wire [1:0]               s_axi_rresp,
    output wire                     s_axi_rlast,
    output wire                     s_axi_rvalid,
    input  wire                     s_axi_rready,

    // backdoor (32-bit words, byte address)
    input  wire                     bd_we,
    input  wire [ADDR_WIDTH-1:0]    bd_addr,
    input  wire [31:0]              bd_wdata,
    output wire [31:0]              bd_rdata,

    // observation
    output wire                     w_beat,        // a W handshake this cycle
    output wire                     w_beat_check,  // ... into the checked region
    output reg  [31:0]              check_beats,
    output reg  [31:0]              check_errors
);

localparam integer STRB_WIDTH = DATA_WIDTH / 8;
localparam integer LSB        = $clog2(STRB_WIDTH);
localparam integer WORDS      = 1 << (MEM_LOG2 - LSB);
localparam integer LANES      = DATA_WIDTH / 32;
localparam integer QW         = $clog2(QUEUE_DEPTH);
localparam integer IDX_W      = MEM_LOG2 - LSB;

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128)
        $fatal(1, "bench_axi_ram: DATA_WIDTH (%0d) must be 32, 64 or 128", DATA_WIDTH);
    if (QUEUE_DEPTH < 2 || (1 << QW) != QUEUE_DEPTH)
        $fatal(1, "bench_axi_ram: QUEUE_DEPTH (%0d) must be a power of two >= 2", QUEUE_DEPTH);
    if (MEM_LOG2 > ADDR_WIDTH || MEM_LOG2 < 12)
        $fatal(1, "bench_axi_ram: MEM_LOG2 (%0d) must be 12..ADDR_WIDTH", MEM_LOG2);
end

reg [DATA_WIDTH-1:0] mem [0:WORDS-1];

integer i, j;
initial begin
    for (i = 0; i < WORDS; i = i + 1) mem[i] = {DATA_WIDTH{1'b0}};
    for (i = 0; i < INIT_BYTES / STRB_WIDTH; i = i + 1)
        for (j = 0; j < LANES; j = j + 1)
            mem[INIT_BASE / STRB_WIDTH + i][32*j +: 32] = (i * LANES + j) ^ INIT_SALT;
end

reg [31:0] cyc_q;   // cycles since reset
always @(posedge clk) cyc_q <= rst ? 32'd0 : cyc_q + 32'd1;

// ---------------------------------------------------------------------------------------------
// read: AR queue with the cycle from which each burst may start; an empty queue is bypassed
reg [ADDR_WIDTH-1:0] arq_addr [0:QUEUE_DEPTH-1];
reg [7:0]            arq_len  [0:QUEUE_DEPTH-1];
reg [ID_WIDTH-1:0]   arq_id   [0:QUEUE_DEPTH-1];
reg [31:0]           arq_at   [0:QUEUE_DEPTH-1];
reg [QW:0]           arq_wr_q, arq_rd_q;
wire                 arq_empty = (arq_wr_q == arq_rd_q);
assign s_axi_arready = (arq_wr_q - arq_rd_q) != QUEUE_DEPTH[QW:0];
wire ar_hs = s_axi_arvalid && s_axi_arready;
wire [31:0] ar_at = cyc_q + 32'd1 + {24'd0, latency};     // first beat no earlier than this cycle

reg                  rd_busy_q;         // a burst is being sent (beats after the first)
reg [ADDR_WIDTH-1:0] rd_addr_q;
reg [7:0]            rd_left_q;         // beats after the current one
reg [ID_WIDTH-1:0]   rd_id_q;
reg                  rvalid_q, rlast_q;
reg [ID_WIDTH-1:0]   rid_q;
reg [DATA_WIDTH-1:0] rdata_q;

wire r_free = !rvalid_q || s_axi_rready;
// the next beat: continue the burst, else start the queue head (or the AR arriving now) when due
wire head_due   = !arq_empty && (arq_at[arq_rd_q[QW-1:0]] <= cyc_q + 32'd1);
wire bypass_due = arq_empty && ar_hs && (ar_at <= cyc_q + 32'd1);
wire start      = r_free && !rd_busy_q && (head_due || bypass_due);
wire [ADDR_WIDTH-1:0] start_addr = head_due ? arq_addr[arq_rd_q[QW-1:0]] : s_axi_araddr;
wire [7:0]            start_len  = head_due ? arq_len[arq_rd_q[QW-1:0]]  : s_axi_arlen;
wire [ID_WIDTH-1:0]   start_id   = head_due ? arq_id[arq_rd_q[QW-1:0]]   : s_axi_arid;
wire [ADDR_WIDTH-1:0] beat_addr  = rd_busy_q ? rd_addr_q : start_addr;
wire                  beat_go    = r_free && (rd_busy_q || start);
wire [IDX_W-1:0]      beat_idx   = beat_addr[MEM_LOG2-1:LSB];

always @(posedge clk) begin
    if (ar_hs && !(bypass_due && start)) begin
        arq_addr[arq_wr_q[QW-1:0]] <= s_axi_araddr;
        arq_len[arq_wr_q[QW-1:0]]  <= s_axi_arlen;
        arq_id[arq_wr_q[QW-1:0]]   <= s_axi_arid;
        arq_at[arq_wr_q[QW-1:0]]   <= ar_at;
    end
    if (beat_go) rdata_q <= mem[beat_idx];
    if (rst) begin
        arq_wr_q  <= 0;
        arq_rd_q  <= 0;
        rd_busy_q <= 1'b0;
        rd_addr_q <= {ADDR_WIDTH{1'b0}};
        rd_left_q <= 8'd0;
        rd_id_q   <= {ID_WIDTH{1'b0}};
        rvalid_q  <= 1'b0;
        rlast_q   <= 1'b0;
        rid_q     <= {ID_WIDTH{1'b0}};
        rdata_q   <= {DATA_WIDTH{1'b0}};
    end else begin
        if (ar_hs && !(bypass_due && start)) arq_wr_q <= arq_wr_q + 1'b1;
        if (start && head_due) arq_rd_q <= arq_rd_q + 1'b1;
        if (beat_go) begin
            rvalid_q <= 1'b1;
            if (rd_busy_q) begin
                rid_q     <= rd_id_q;
                rlast_q   <= (rd_left_q == 8'd1);
                rd_busy_q <= (rd_left_q != 8'd1);
                rd_left_q <= rd_left_q - 8'd1;
            end else begin
                rid_q     <= start_id;
                rlast_q   <= (start_len == 8'd0);
                rd_busy_q <= (start_len != 8'd0);
                rd_left_q <= start_len;
                rd_id_q   <= start_id;
            end
            rd_addr_q <= beat_addr + STRB_WIDTH;
        end else if (s_axi_rready) begin
            rvalid_q <= 1'b0;
        end
    end
end

assign s_axi_rvalid = rvalid_q;
assign s_axi_rdata  = rdata_q;
assign s_axi_rlast  = rlast_q;
assign s_axi_rid    = rid_q;
assign s_axi_rresp  = 2'b00;

// ---------------------------------------------------------------------------------------------
// write: AW queue, W into memory, B after the latency (B queue bypassed when empty)
reg [ADDR_WIDTH-1:0] awq_addr [0:QUEUE_DEPTH-1];
reg [ID_WIDTH-1:0]   awq_id   [0:QUEUE_DEPTH-1];
reg [QW:0]           awq_wr_q, awq_rd_q;
wire                 awq_empty = (awq_wr_q == awq_rd_q);
assign s_axi_awready = (awq_wr_q - awq_rd_q) != QUEUE_DEPTH[QW:0];
wire aw_hs = s_axi_awvalid && s_axi_awready;
wire unused_awlen = ^s_axi_awlen;   // bursts end on WLAST

reg                  wr_busy_q;     // inside a burst (after its first beat)
reg [ADDR_WIDTH-1:0] wr_addr_q;
reg [ID_WIDTH-1:0]   wr_id_q;
assign s_axi_wready = wr_busy_q || !awq_empty;
wire w_hs = s_axi_wvalid && s_axi_wready;
wire [ADDR_WIDTH-1:0] w_addr = wr_busy_q ? wr_addr_q : awq_addr[awq_rd_q[QW-1:0]];
wire [ID_WIDTH-1:0]   w_id   = wr_busy_q ? wr_id_q : awq_id[awq_rd_q[QW-1:0]];
wire [IDX_W-1:0]      w_idx  = w_addr[MEM_LOG2-1:LSB];

// checked region: the expected beat at w_addr
wire [ADDR_WIDTH-1:0] chk_off = w_addr - CHECK_BASE;
// (an address below CHECK_BASE wraps to a large offset; CHECK_BYTES = 0 makes this constant false)
/* verilator lint_off UNSIGNED */
wire in_check = (chk_off < CHECK_BYTES);
/* verilator lint_on UNSIGNED */
reg  [DATA_WIDTH-1:0] chk_expect;
always @* begin
    for (j = 0; j < LANES; j = j + 1)
        chk_expect[32*j +: 32] = ((chk_off >> 2) + j) ^ CHECK_SALT;
end
assign w_beat       = w_hs;
assign w_beat_check = w_hs && in_check;

reg [ID_WIDTH-1:0] bq_id [0:QUEUE_DEPTH-1];
reg [31:0]         bq_at [0:QUEUE_DEPTH-1];
reg [QW:0]         bq_wr_q, bq_rd_q;
wire               bq_empty = (bq_wr_q == bq_rd_q);
wire [31:0]        b_at = cyc_q + 32'd1 + {24'd0, latency};
reg                bvalid_q;
reg [ID_WIDTH-1:0] bid_q;
wire b_free   = !bvalid_q || s_axi_bready;
wire b_push   = w_hs && s_axi_wlast;
wire bhead_due = !bq_empty && (bq_at[bq_rd_q[QW-1:0]] <= cyc_q + 32'd1);
wire bbyp_due  = bq_empty && b_push && (b_at <= cyc_q + 32'd1);
wire b_go      = b_free && (bhead_due || bbyp_due);

always @(posedge clk) begin
    if (w_hs) begin
        for (j = 0; j < STRB_WIDTH; j = j + 1)
            if (s_axi_wstrb[j]) mem[w_idx][8*j +: 8] <= s_axi_wdata[8*j +: 8];
    end
    if (bd_we) mem[bd_addr[MEM_LOG2-1:LSB]][32*((bd_addr >> 2) % LANES) +: 32] <= bd_wdata;
    if (aw_hs) begin
        awq_addr[awq_wr_q[QW-1:0]] <= s_axi_awaddr;
        awq_id[awq_wr_q[QW-1:0]]   <= s_axi_awid;
    end
    if (b_push && !(bbyp_due && b_go)) begin
        bq_id[bq_wr_q[QW-1:0]] <= w_id;
        bq_at[bq_wr_q[QW-1:0]] <= b_at;
    end
    if (rst) begin
        awq_wr_q     <= 0;
        awq_rd_q     <= 0;
        wr_busy_q    <= 1'b0;
        wr_addr_q    <= {ADDR_WIDTH{1'b0}};
        wr_id_q      <= {ID_WIDTH{1'b0}};
        bq_wr_q      <= 0;
        bq_rd_q      <= 0;
        bvalid_q     <= 1'b0;
        bid_q        <= {ID_WIDTH{1'b0}};
        check_beats  <= 32'd0;
        check_errors <= 32'd0;
    end else begin
        if (aw_hs) awq_wr_q <= awq_wr_q + 1'b1;
        if (w_hs) begin
            if (!wr_busy_q) awq_rd_q <= awq_rd_q + 1'b1;
            wr_busy_q <= !s_axi_wlast;
            wr_addr_q <= w_addr + STRB_WIDTH;
            wr_id_q   <= w_id;
            if (in_check) begin
                check_beats <= check_beats + 32'd1;
                if (s_axi_wdata != chk_expect || s_axi_wstrb != {STRB_WIDTH{1'b1}})
                    check_errors <= check_errors + 32'd1;
            end
        end
        if (b_push && !(bbyp_due && b_go)) bq_wr_q <= bq_wr_q + 1'b1;
        if (b_go) begin
            bvalid_q <= 1'b1;
            bid_q    <= bhead_due ? bq_id[bq_rd_q[QW-1:0]] : w_id;
            if (bhead_due) bq_rd_q <= bq_rd_q + 1'b1;
        end else if (s_axi_bready) begin
            bvalid_q <= 1'b0;
        end
    end
end

assign s_axi_bvalid = bvalid_q;
assign s_axi_bid    = bid_q;
assign s_axi_bresp  = 2'b00;
assign bd_rdata     = mem[bd_addr[MEM_LOG2-1:LSB]][32*((bd_addr >> 2) % LANES) +: 32];

endmodule

`resetall
