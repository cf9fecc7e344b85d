// tb_handshake_check: VALID/READY rules of one AXI-style channel (testbench only, not synthesisable).
//
// Watches one channel at every rising clock edge outside reset and flags, combinationally for the
// edge being sampled:
//   valid_dropped    VALID was high without READY at the previous edge and is now low
//   payload_changed  VALID was high without READY at the previous edge and the payload differs now
//   handshake_x      VALID or READY is X/Z
//   control_x        VALID is high and a control field (ID, address, length, LAST, response...) is X/Z
// The owning checker turns these into numbered rules. `===`/`!==` compare X exactly, so an X that stays
// put is stable; on Verilator (2-state) the X flags never fire.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_handshake_check #(
    parameter integer WIDTH = 1,       // payload bits that must hold while VALID && !READY
    parameter integer CTRL_WIDTH = 1   // control bits that must not be X/Z while VALID
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  valid,
    input  wire                  ready,
    input  wire [WIDTH-1:0]      payload,
    input  wire [CTRL_WIDTH-1:0] control,
    output wire                  valid_dropped,
    output wire                  payload_changed,
    output wire                  handshake_x,
    output wire                  control_x
);

reg             pending_q;   // VALID && !READY at the previous edge
reg [WIDTH-1:0] payload_q;

wire stalled = (valid === 1'b1) && (ready !== 1'b1);

// payload_q is compared only after a stalled edge, so it is taken only then (not a copy of the
// whole payload at every edge)
always @(posedge clk) begin
    if (rst) begin
        pending_q <= 1'b0;
    end else begin
        pending_q <= stalled;
    end
    if (stalled) payload_q <= payload;
end

assign valid_dropped   = !rst && pending_q && (valid === 1'b0);
assign payload_changed = !rst && pending_q && (valid === 1'b1) && (payload !== payload_q);
assign handshake_x     = !rst && ((valid !== 1'b0 && valid !== 1'b1) || (ready !== 1'b0 && ready !== 1'b1));
assign control_x       = !rst && (valid === 1'b1) && ((^control) !== 1'b0) && ((^control) !== 1'b1);

endmodule

`resetall
