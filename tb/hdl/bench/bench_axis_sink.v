// bench_axis_sink: AXI4-Stream sink for benchmarks (testbench only).
//
// Always ready once `enable` is high. Checks every beat against the bench pattern (32-bit word k of
// the stream = k ^ SALT, TKEEP all ones, TLAST exactly on every `pkt_beats`-th beat); `errors` counts
// beats that differ, `beats` all beats.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module bench_axis_sink #(
    parameter integer DATA_WIDTH = 64,      // stream width: 32, 64 or 128
    parameter [31:0]  SALT       = 32'h0    // pattern salt
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     enable,
    input  wire [31:0]              pkt_beats,
    input  wire [DATA_WIDTH-1:0]    s_axis_tdata,
    input  wire [DATA_WIDTH/8-1:0]  s_axis_tkeep,
    input  wire                     s_axis_tlast,
    input  wire                     s_axis_tvalid,
    output wire                     s_axis_tready,
    output reg  [31:0]              beats,
    output reg  [31:0]              errors
);

localparam integer LANES = DATA_WIDTH / 32;
reg [31:0] in_pkt_q;
integer j;
reg [DATA_WIDTH-1:0] expect_data;
always @* begin
    for (j = 0; j < LANES; j = j + 1) expect_data[32*j +: 32] = (beats * LANES + j) ^ SALT;
end
wire expect_last = (in_pkt_q + 32'd1 == pkt_beats);
wire hs = s_axis_tvalid && s_axis_tready;

assign s_axis_tready = enable;

always @(posedge clk) begin
    if (rst) begin
        beats    <= 32'd0;
        errors   <= 32'd0;
        in_pkt_q <= 32'd0;
    end else if (hs) begin
        beats    <= beats + 32'd1;
        in_pkt_q <= expect_last ? 32'd0 : in_pkt_q + 32'd1;
        if (s_axis_tdata != expect_data || s_axis_tkeep != {(DATA_WIDTH/8){1'b1}} ||
            s_axis_tlast != expect_last)
            errors <= errors + 32'd1;
    end
end

endmodule

`resetall
