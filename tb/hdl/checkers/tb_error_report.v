// tb_error_report: the sticky error record shared by the protocol checkers (testbench only).
//
// `violations` bit N is rule N violated at this rising edge (bit 0 unused). Keeps a cycle counter
// (rising edges since reset release), the first violation (rule, cycle; the lowest rule number when
// several fire at the same edge), the mask of every rule seen and the number of edges with a violation.
// Everything clears in reset, so one simulation can run many independent traces.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_error_report (
    input  wire        clk,
    input  wire        rst,
    input  wire [31:0] violations,
    output wire        error_valid,
    output wire [7:0]  error_rule,
    output wire [31:0] error_cycle,
    output wire [31:0] error_count,
    output wire [31:0] error_mask,
    output wire [31:0] cycle
);

reg        error_valid_q;
reg [7:0]  error_rule_q;
reg [31:0] error_cycle_q, error_count_q, error_mask_q, cycle_q;
reg [7:0]  first_rule;

integer k;
always @* begin
    first_rule = 8'd0;
    for (k = 31; k >= 1; k = k - 1) begin
        if (violations[k]) begin
            first_rule = k[7:0];
        end
    end
end

always @(posedge clk) begin
    if (rst) begin
        error_valid_q <= 1'b0;
        error_rule_q <= 8'd0;
        error_cycle_q <= 32'd0;
        error_count_q <= 32'd0;
        error_mask_q <= 32'd0;
        cycle_q <= 32'd0;
    end else begin
        cycle_q <= cycle_q + 32'd1;
        if (violations != 32'd0) begin
            if (!error_valid_q) begin
                error_valid_q <= 1'b1;
                error_rule_q <= first_rule;
                error_cycle_q <= cycle_q;
            end
            error_mask_q <= error_mask_q | violations;
            error_count_q <= error_count_q + 32'd1;
        end
    end
end

assign error_valid = error_valid_q;
assign error_rule = error_rule_q;
assign error_cycle = error_cycle_q;
assign error_count = error_count_q;
assign error_mask = error_mask_q;
assign cycle = cycle_q;

endmodule

`resetall
