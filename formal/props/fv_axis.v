// fv_axis: formal properties of one AXI4-Stream port (written from the AXI4-Stream specification,
// IHI 0051, part 2.2: TVALID/TREADY handshake; 2.7: reset).
//
// MASTER_IS_DUT=1 (the DUT drives TVALID and the payload): TVALID low during reset, TVALID held until
// TREADY and TDATA/TKEEP/TLAST/TUSER stable meanwhile are asserted; TREADY is free. MASTER_IS_DUT=0
// (the DUT is the sink): the same rules are assumed of the modelled source, and TREADY free of any
// rule (a sink may wait for TVALID). Covers: a beat, a stalled beat, a whole packet of > 1 beat.
`default_nettype none

module fv_axis #(
    parameter integer DATA_WIDTH = 32,    // TDATA width
    parameter integer USER_WIDTH = 1,     // TUSER width
    parameter integer MASTER_IS_DUT = 1,  // 1: the DUT is the stream master
    parameter integer RESET_VALID_LOW = 1 // 1: TVALID low during reset
) (
    input wire                    clk,
    input wire                    rst,
    input wire [DATA_WIDTH-1:0]   tdata,
    input wire [DATA_WIDTH/8-1:0] tkeep,
    input wire                    tlast,
    input wire [USER_WIDTH-1:0]   tuser,
    input wire                    tvalid,
    input wire                    tready
);

`define FV_SOURCE(c) begin if (MASTER_IS_DUT != 0) assert(c); else assume(c); end

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
always @(*) if (!f_past_valid) assume(rst);

`ifndef FV_SKIP_RESET_VALID
always @(*) if (rst && RESET_VALID_LOW != 0) `FV_SOURCE(!tvalid);
`else
always @(*) if (rst && MASTER_IS_DUT == 0) assume(!tvalid);
`endif
always @(posedge clk) begin
    if (f_past_valid && !$past(rst) && !rst && $past(tvalid && !tready)) begin
        `FV_SOURCE(tvalid);
        `FV_SOURCE({tdata, tkeep, tlast, tuser} == $past({tdata, tkeep, tlast, tuser}));
    end
end

reg [3:0] beats = 4'd0;   // beats of the current packet (saturating)
always @(posedge clk) begin
    if (rst || (tvalid && tready && tlast)) beats <= 4'd0;
    else if (tvalid && tready && beats != 4'hF) beats <= beats + 4'd1;
end
always @(posedge clk) begin
    if (!rst) begin
        cover(tvalid && tready);
        cover(f_past_valid && $past(tvalid && !tready) && tvalid && tready);
        cover(tvalid && tready && tlast && beats != 0);
    end
end

`undef FV_SOURCE

endmodule
