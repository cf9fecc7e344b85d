// fv_cmd_sts_order: assumption that a data mover answers each command it took with one status, in
// command order and with that command's tag (hdl/sgdma_mm2s.v, sgdma_s2mm.v: "one status per command,
// in order"); `flush` (the mover's reset) forgets the commands in flight. Up to 4 in flight.
`default_nettype none

module fv_cmd_sts_order #(
    parameter integer TAG_WIDTH = 2   // command/status tag width
) (
    input wire                 clk,
    input wire                 rst,
    input wire                 flush,
    input wire                 cmd_valid,
    input wire                 cmd_ready,
    input wire [TAG_WIDTH-1:0] cmd_tag,
    input wire                 sts_valid,
    input wire                 sts_ready,
    input wire [TAG_WIDTH-1:0] sts_tag
);

reg [4*TAG_WIDTH-1:0] tags = 0;   // tags of the commands in flight, oldest in the low bits
reg [2:0]             n = 3'd0;
wire                  cmd_hs = cmd_valid && cmd_ready;
wire                  sts_hs = sts_valid && sts_ready;
wire [4*TAG_WIDTH-1:0] popped = sts_hs ? (tags >> TAG_WIDTH) : tags;
wire [2:0]            n_popped = n - (sts_hs ? 3'd1 : 3'd0);
wire [4*TAG_WIDTH-1:0] tag_mask = {{(3*TAG_WIDTH){1'b0}}, {TAG_WIDTH{1'b1}}} << (TAG_WIDTH * n_popped);
always @(posedge clk) begin
    if (rst || flush) begin
        n <= 3'd0;
    end else begin
        tags <= cmd_hs ? ((popped & ~tag_mask) | ({{(3*TAG_WIDTH){1'b0}}, cmd_tag} << (TAG_WIDTH * n_popped)))
                       : popped;
        n <= n_popped + (cmd_hs ? 3'd1 : 3'd0);
    end
end
always @(*) if (sts_valid) assume(n != 0 && sts_tag == tags[TAG_WIDTH-1:0]);

endmodule
