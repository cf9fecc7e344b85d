// fv_handshake: VALID/READY rules of one point-to-point channel with a payload (sgdma's internal
// command/status streams and the hide unit's maintenance channels use the AXI4-Stream handshake).
//
// MASTER_IS_DUT=1: the DUT drives VALID and the payload: VALID low during reset, held until READY
// and the payload stable meanwhile are asserted. MASTER_IS_DUT=0: the same rules are assumed of the
// modelled source. `cancel` (tie low when the channel has none) marks cycles in which, and after which,
// the channel's contract lets the source withdraw a transfer (a command to a mover being aborted).
// Covers a transfer and, where the DUT is the source, a stalled one.
`default_nettype none

module fv_handshake #(
    parameter integer WIDTH = 1,          // payload bits
    parameter integer MASTER_IS_DUT = 1,  // 1: the DUT drives VALID
    // 1: VALID low while reset is asserted, its first cycle included (a port at sgdma's boundary:
    //    the AXI rule); 2: low from the second cycle of reset on (a seam inside sgdma whose sink is
    //    held in the same reset, so the first reset cycle's VALID is never taken; the target says why)
    parameter integer RESET_VALID_LOW = 1
) (
    input wire             clk,
    input wire             rst,
    input wire             valid,
    input wire             ready,
    input wire [WIDTH-1:0] payload,
    input wire             cancel
);

`define FV_SOURCE(c) begin if (MASTER_IS_DUT != 0) assert(c); else assume(c); end

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
reg f_rst_q = 1'b0;   // reset was asserted in the previous cycle
always @(posedge clk) f_rst_q <= rst;
always @(*) if (!f_past_valid) assume(rst);

`ifndef FV_SKIP_RESET_VALID
always @(*) if (rst && (RESET_VALID_LOW == 1 || (RESET_VALID_LOW == 2 && f_rst_q)))
    `FV_SOURCE(!valid);
`endif
`ifdef FV_SKIP_RESET_VALID
// a modelled source still keeps VALID low in reset
always @(*) if (rst && MASTER_IS_DUT == 0) assume(!valid);
`endif
always @(posedge clk) begin
    if (f_past_valid && !$past(rst) && !rst && $past(valid && !ready) && !cancel && !$past(cancel)) begin
        `FV_SOURCE(valid);
        `FV_SOURCE(payload == $past(payload));
    end
end
always @(posedge clk) begin
    if (!rst && f_past_valid) begin
        cover(valid && ready);
        // a stalled transfer (only where READY is free: a DUT sink may always be ready)
        if (MASTER_IS_DUT != 0) cover(valid && ready && $past(valid && !ready));
    end
end

`undef FV_SOURCE

endmodule
