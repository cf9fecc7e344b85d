// axil_checker: AXI4-Lite protocol checker for one slave port (testbench only).
//
// Watches the five channels of an AXI4-Lite interface (the DUT is the slave; the master is the
// testbench's processor model) and checks both sides' handshake obligations plus the DUT's responses:
//    1 AWVALID dropped before AWREADY      9 RVALID dropped before RREADY
//    2 AW payload changed while stalled   10 R payload changed while stalled
//    3 WVALID dropped before WREADY       11 B before both AW and W of a write were accepted
//    4 W payload changed while stalled    12 R with no outstanding AR
//    5 BVALID dropped before BREADY       13 more than MAX_OUTSTANDING writes (AW..B)
//    6 B payload changed while stalled    14 more than MAX_OUTSTANDING reads (AR..R)
//    7 ARVALID dropped before ARREADY     15 X/Z on a VALID or READY outside reset
//    8 AR payload changed while stalled   16 X/Z on a control field (address, strobe, response) while VALID
// A response in the same cycle as its request is a violation (the slave must see the handshake first).
// Reporting is the same as axi4_checker (error_* outputs, $fatal(1, "axil_checker: rule N: ...")
// when FATAL=1).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module axil_checker #(
    parameter integer DATA_WIDTH = 32,       // WDATA/RDATA width in bits (32 or 64)
    parameter integer ADDR_WIDTH = 16,       // AWADDR/ARADDR width in bits
    parameter integer MAX_OUTSTANDING = 16,  // requests allowed in flight per direction
    parameter integer FATAL = 1              // 1: $fatal on the first violation; 0: report only
) (
    input  wire                    clk,
    input  wire                    rst,

    input  wire [ADDR_WIDTH-1:0]   awaddr,
    input  wire [2:0]              awprot,
    input  wire                    awvalid,
    input  wire                    awready,
    input  wire [DATA_WIDTH-1:0]   wdata,
    input  wire [DATA_WIDTH/8-1:0] wstrb,
    input  wire                    wvalid,
    input  wire                    wready,
    input  wire [1:0]              bresp,
    input  wire                    bvalid,
    input  wire                    bready,
    input  wire [ADDR_WIDTH-1:0]   araddr,
    input  wire [2:0]              arprot,
    input  wire                    arvalid,
    input  wire                    arready,
    input  wire [DATA_WIDTH-1:0]   rdata,
    input  wire [1:0]              rresp,
    input  wire                    rvalid,
    input  wire                    rready,

    output wire                    error_valid,
    output wire [7:0]              error_rule,
    output wire [31:0]             error_cycle,
    output wire [31:0]             error_count,
    output wire [31:0]             error_mask,
    output wire [31:0]             cycle
);

localparam integer STRB_WIDTH = DATA_WIDTH / 8;
localparam integer CNT_W = 16;

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64) begin
        $fatal(1, "axil_checker: DATA_WIDTH (%0d) must be 32 or 64", DATA_WIDTH);
    end
    if (MAX_OUTSTANDING < 1 || MAX_OUTSTANDING > 4096) begin
        $fatal(1, "axil_checker: MAX_OUTSTANDING (%0d) must be 1..4096", MAX_OUTSTANDING);
    end
end

wire aw_drop, aw_chg, aw_x, aw_cx, w_drop, w_chg, w_x, w_cx, b_drop, b_chg, b_x, b_cx;
wire ar_drop, ar_chg, ar_x, ar_cx, r_drop, r_chg, r_x, r_cx;

tb_handshake_check #(.WIDTH(ADDR_WIDTH + 3), .CTRL_WIDTH(ADDR_WIDTH)) aw_check (
    .clk(clk), .rst(rst), .valid(awvalid), .ready(awready),
    .payload({awaddr, awprot}), .control(awaddr),
    .valid_dropped(aw_drop), .payload_changed(aw_chg), .handshake_x(aw_x), .control_x(aw_cx));
tb_handshake_check #(.WIDTH(DATA_WIDTH + STRB_WIDTH), .CTRL_WIDTH(STRB_WIDTH)) w_check (
    .clk(clk), .rst(rst), .valid(wvalid), .ready(wready),
    .payload({wdata, wstrb}), .control(wstrb),
    .valid_dropped(w_drop), .payload_changed(w_chg), .handshake_x(w_x), .control_x(w_cx));
tb_handshake_check #(.WIDTH(2), .CTRL_WIDTH(2)) b_check (
    .clk(clk), .rst(rst), .valid(bvalid), .ready(bready),
    .payload(bresp), .control(bresp),
    .valid_dropped(b_drop), .payload_changed(b_chg), .handshake_x(b_x), .control_x(b_cx));
tb_handshake_check #(.WIDTH(ADDR_WIDTH + 3), .CTRL_WIDTH(ADDR_WIDTH)) ar_check (
    .clk(clk), .rst(rst), .valid(arvalid), .ready(arready),
    .payload({araddr, arprot}), .control(araddr),
    .valid_dropped(ar_drop), .payload_changed(ar_chg), .handshake_x(ar_x), .control_x(ar_cx));
tb_handshake_check #(.WIDTH(DATA_WIDTH + 2), .CTRL_WIDTH(2)) r_check (
    .clk(clk), .rst(rst), .valid(rvalid), .ready(rready),
    .payload({rdata, rresp}), .control(rresp),
    .valid_dropped(r_drop), .payload_changed(r_chg), .handshake_x(r_x), .control_x(r_cx));

wire aw_hs = !rst && (awvalid === 1'b1) && (awready === 1'b1);
wire w_hs  = !rst && (wvalid === 1'b1) && (wready === 1'b1);
wire b_hs  = !rst && (bvalid === 1'b1) && (bready === 1'b1);
wire ar_hs = !rst && (arvalid === 1'b1) && (arready === 1'b1);
wire r_hs  = !rst && (rvalid === 1'b1) && (rready === 1'b1);

// Accepted addresses/data not yet answered; a write is answerable once both its AW and W are in.
reg [CNT_W-1:0] aw_open_q, w_open_q, ar_open_q;
wire b_orphan = b_hs && (aw_open_q == 0 || w_open_q == 0);
wire r_orphan = r_hs && (ar_open_q == 0);
wire b_done = b_hs && !b_orphan;
wire r_done = r_hs && !r_orphan;
wire wr_over = (aw_hs && (aw_open_q - {{(CNT_W-1){1'b0}}, b_done} >= MAX_OUTSTANDING[CNT_W-1:0])) ||
               (w_hs && (w_open_q - {{(CNT_W-1){1'b0}}, b_done} >= MAX_OUTSTANDING[CNT_W-1:0]));
wire rd_over = ar_hs && (ar_open_q - {{(CNT_W-1){1'b0}}, r_done} >= MAX_OUTSTANDING[CNT_W-1:0]);

wire [31:0] violations = {
    15'd0,
    aw_cx | w_cx | b_cx | ar_cx | r_cx,                           // 16
    aw_x | w_x | b_x | ar_x | r_x,                                // 15
    rd_over,                                                      // 14
    wr_over,                                                      // 13
    r_orphan,                                                     // 12
    b_orphan,                                                     // 11
    r_chg, r_drop, ar_chg, ar_drop, b_chg, b_drop, w_chg, w_drop, aw_chg, aw_drop,  // 10..1
    1'b0
};

function [8*56-1:0] rule_text(input integer rule);
    case (rule)
        1: rule_text = "AWVALID dropped before AWREADY";
        2: rule_text = "AW payload changed while AWVALID && !AWREADY";
        3: rule_text = "WVALID dropped before WREADY";
        4: rule_text = "W payload changed while WVALID && !WREADY";
        5: rule_text = "BVALID dropped before BREADY";
        6: rule_text = "B payload changed while BVALID && !BREADY";
        7: rule_text = "ARVALID dropped before ARREADY";
        8: rule_text = "AR payload changed while ARVALID && !ARREADY";
        9: rule_text = "RVALID dropped before RREADY";
        10: rule_text = "R payload changed while RVALID && !RREADY";
        11: rule_text = "B before both AW and W of a write were accepted";
        12: rule_text = "R with no outstanding AR";
        13: rule_text = "more writes outstanding than MAX_OUTSTANDING";
        14: rule_text = "more reads outstanding than MAX_OUTSTANDING";
        15: rule_text = "X/Z on a VALID or READY outside reset";
        16: rule_text = "X/Z on a control field while VALID";
        default: rule_text = "unknown rule";
    endcase
endfunction

tb_error_report report (
    .clk(clk), .rst(rst), .violations(violations),
    .error_valid(error_valid), .error_rule(error_rule), .error_cycle(error_cycle),
    .error_count(error_count), .error_mask(error_mask), .cycle(cycle));

integer k;
always @(posedge clk) begin
    if (!rst && violations != 32'd0) begin
        for (k = 1; k < 32; k = k + 1) begin
            if (violations[k]) begin
                if (FATAL != 0) begin
                    $fatal(1, "axil_checker: rule %0d: %0s (cycle %0d, %m)", k, rule_text(k), cycle);
                end else if (error_count < 32) begin
                    $display("axil_checker: rule %0d: %0s (cycle %0d, %m)", k, rule_text(k), cycle);
                end
            end
        end
    end
end

always @(posedge clk) begin
    if (rst) begin
        aw_open_q <= 0;
        w_open_q <= 0;
        ar_open_q <= 0;
    end else begin
        aw_open_q <= aw_open_q + (aw_hs ? 1 : 0) - (b_done ? 1 : 0);
        w_open_q <= w_open_q + (w_hs ? 1 : 0) - (b_done ? 1 : 0);
        ar_open_q <= ar_open_q + (ar_hs ? 1 : 0) - (r_done ? 1 : 0);
    end
end

endmodule

`resetall
