// tb_axis_sink: AXI4-Stream sink of the fast DDI environment (testbench only; tb/fast_agents.py).
//
// Takes every beat (TREADY low with probability pause/256 per cycle, xorshift seeded with `seed` at
// reset) and counts packets (TLAST beats); the beats themselves reach Python through the beat trace
// (tb_beat_trace), which is where the disk stores them and the scoreboard checks them.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_axis_sink (
    input  wire        clk,
    input  wire        rst,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    input  wire [31:0] seed,     // pacing seed (taken at reset)
    input  wire [7:0]  pause,    // stall probability per cycle, /256
    output reg  [31:0] packets   // TLAST beats taken
);

reg [31:0] rnd_q;
wire [31:0] x1 = rnd_q ^ (rnd_q << 13);
wire [31:0] x2 = x1 ^ (x1 >> 17);
assign s_axis_tready = !rst && ({1'b0, rnd_q[7:0]} >= {1'b0, pause});

always @(posedge clk) begin
    if (rst) begin
        rnd_q   <= seed | 32'd1;
        packets <= 32'd0;
    end else begin
        // draws only while stalls are on: with pause 0, TREADY (an input of the DUT) does not change
        // per cycle, and a fixed pause sees the same sequence as drawing always
        if (pause != 8'd0) rnd_q <= x2 ^ (x2 << 5);
        if (s_axis_tvalid && s_axis_tready && s_axis_tlast) packets <= packets + 32'd1;
    end
end

endmodule

`resetall
