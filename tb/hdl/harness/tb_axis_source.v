// tb_axis_source: AXI4-Stream source of the fast DDI environment (testbench only; tb/fast_agents.py).
//
// Beats {TLAST, TKEEP, TDATA} wait in a ring of 2**DEPTH_LOG2 entries that Python fills in bulk with
// $readmemh (cmd bit 0: file tbsrc_<token>.hex, `@entry` lines) and then publishes by raising `tail`
// (a free-running beat count); the source offers the beats from `head` to `tail` in order, pausing
// with probability pause/256 per cycle (xorshift seeded with `seed` at reset). cmd bit 1 drops every
// beat not yet taken (a reset of the stream peer after an aborted transfer).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_axis_source #(
    parameter integer DATA_WIDTH = 64,     // stream width: 32, 64 or 128
    parameter integer DEPTH_LOG2 = 17      // beats buffered: 2**DEPTH_LOG2
) (
    input  wire                     clk,
    input  wire                     rst,
    output wire [DATA_WIDTH-1:0]    m_axis_tdata,
    output wire [DATA_WIDTH/8-1:0]  m_axis_tkeep,
    output wire                     m_axis_tlast,
    output wire                     m_axis_tvalid,
    input  wire                     m_axis_tready,

    input  wire [31:0]              token,  // file-name token
    input  wire [1:0]               cmd,    // one-cycle pulse: 0 load, 1 flush
    input  wire [31:0]              tail,   // beats published so far
    input  wire [31:0]              seed,   // pacing seed (taken at reset)
    input  wire [7:0]               pause,  // stall probability per cycle, /256
    output reg  [31:0]              head    // beats taken so far
);

localparam integer KEEP_WIDTH = DATA_WIDTH / 8;
localparam integer ENTRY_W    = 1 + KEEP_WIDTH + DATA_WIDTH;

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128)
        $fatal(1, "tb_axis_source: DATA_WIDTH (%0d) must be 32, 64 or 128", DATA_WIDTH);
    if (DEPTH_LOG2 < 4 || DEPTH_LOG2 > 24)
        $fatal(1, "tb_axis_source: DEPTH_LOG2 (%0d) must be 4..24", DEPTH_LOG2);
end

reg [ENTRY_W-1:0] ring [0:(1 << DEPTH_LOG2)-1];
reg [31:0]        rnd_q;
wire [31:0]       x1 = rnd_q ^ (rnd_q << 13);
wire [31:0]       x2 = x1 ^ (x1 >> 17);
wire [ENTRY_W-1:0] entry = ring[head[DEPTH_LOG2-1:0]];
wire stall = {1'b0, rnd_q[7:0]} < {1'b0, pause};

assign m_axis_tvalid = !rst && !stall && head != tail;
assign m_axis_tdata  = entry[DATA_WIDTH-1:0];
assign m_axis_tkeep  = entry[DATA_WIDTH +: KEEP_WIDTH];
assign m_axis_tlast  = entry[ENTRY_W-1];

reg [8*64-1:0] fname;
always @(posedge clk) begin
    if (cmd[0]) begin
        $sformat(fname, "tbsrc_%0d.hex", token);
        $readmemh(fname, ring);
    end
    if (rst) begin
        head  <= 32'd0;
        rnd_q <= seed | 32'd1;
    end else begin
        // the draw advances only between beats: an offered beat stays offered until taken
        if (!m_axis_tvalid || m_axis_tready) rnd_q <= x2 ^ (x2 << 5);
        if (cmd[1]) head <= tail;
        else if (m_axis_tvalid && m_axis_tready) head <= head + 32'd1;
    end
end

endmodule

`resetall
