// bench_window: cycle accounting of one data channel for benchmarks (testbench only).
//
// Counts data beats (`beat`) and records the cycles of the first and the last one; `other` marks a
// cycle in which the same channel carried something else (e.g. a descriptor beat on R). Between the
// first and the last data beat, cycles = beats + other_in_window + idle_in_window exactly: the
// snapshots are taken at each data beat, so nothing after the last one is counted.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module bench_window (
    input  wire        clk,
    input  wire        rst,
    input  wire [31:0] cycle,            // free-running cycle count
    input  wire        beat,             // a data beat this cycle
    input  wire        other,            // the channel carried a non-data beat this cycle
    output reg  [31:0] beats,
    output reg  [31:0] first_cycle,
    output reg  [31:0] last_cycle,
    output reg  [31:0] other_in_window,
    output reg  [31:0] idle_in_window
);

reg [31:0] other_run_q, idle_run_q;   // since the first data beat, up to and including this cycle

always @(posedge clk) begin
    if (rst) begin
        beats           <= 32'd0;
        first_cycle     <= 32'd0;
        last_cycle      <= 32'd0;
        other_in_window <= 32'd0;
        idle_in_window  <= 32'd0;
        other_run_q     <= 32'd0;
        idle_run_q      <= 32'd0;
    end else begin
        if (beats != 0) begin
            if (other && !beat)  other_run_q <= other_run_q + 32'd1;
            if (!other && !beat) idle_run_q  <= idle_run_q + 32'd1;
        end
        if (beat) begin
            beats      <= beats + 32'd1;
            last_cycle <= cycle;
            if (beats == 0) first_cycle <= cycle;
            other_in_window <= other_run_q;
            idle_in_window  <= idle_run_q;
        end
    end
end

endmodule

`resetall
