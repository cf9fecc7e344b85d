// bench_axis_source: AXI4-Stream source for benchmarks (testbench only).
//
// Once `enable` is high it offers beats continuously (TVALID never drops until `total_beats` have
// been taken): 32-bit word k of the stream = k ^ SALT, TKEEP all ones, TLAST on every
// `pkt_beats`-th beat. `beats` counts accepted beats.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module bench_axis_source #(
    parameter integer DATA_WIDTH = 64,      // stream width: 32, 64 or 128
    parameter [31:0]  SALT       = 32'h0    // pattern salt
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     enable,
    input  wire [31:0]              pkt_beats,
    input  wire [31:0]              total_beats,
    output wire [DATA_WIDTH-1:0]    m_axis_tdata,
    output wire [DATA_WIDTH/8-1:0]  m_axis_tkeep,
    output wire                     m_axis_tlast,
    output wire                     m_axis_tvalid,
    input  wire                     m_axis_tready,
    output reg  [31:0]              beats
);

localparam integer LANES = DATA_WIDTH / 32;
reg [31:0] in_pkt_q;   // beats of the current packet already sent
integer j;
reg [DATA_WIDTH-1:0] data;
always @* begin
    for (j = 0; j < LANES; j = j + 1) data[32*j +: 32] = (beats * LANES + j) ^ SALT;
end

assign m_axis_tvalid = enable && (beats < total_beats);
assign m_axis_tdata  = data;
assign m_axis_tkeep  = {(DATA_WIDTH/8){1'b1}};
assign m_axis_tlast  = (in_pkt_q + 32'd1 == pkt_beats);

always @(posedge clk) begin
    if (rst) begin
        beats    <= 32'd0;
        in_pkt_q <= 32'd0;
    end else if (m_axis_tvalid && m_axis_tready) begin
        beats    <= beats + 32'd1;
        in_pkt_q <= m_axis_tlast ? 32'd0 : in_pkt_q + 32'd1;
    end
end

endmodule

`resetall
