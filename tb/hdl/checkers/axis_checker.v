// axis_checker: AXI4-Stream protocol checker for one stream port (testbench only).
//
// The same module watches the DUT's stream master (m_axis: the DUT owns TVALID and the payload) and
// its stream slave (s_axis: the DUT owns TREADY). Rules:
//   1 TVALID dropped before TREADY
//   2 payload (TDATA, TKEEP, TLAST, TUSER) changed while TVALID && !TREADY
//   3 X/Z on TVALID or TREADY outside reset
//   4 X/Z on TKEEP, TLAST or TUSER while TVALID
//   5 TKEEP not all ones on a beat without TLAST                       (KEEP_CHECK=1)
//   6 TKEEP on a TLAST beat not a non-empty run of lanes from lane 0    (KEEP_CHECK=1)
//   7 TUSER changed between beats of one packet                        (USER_CHECK=1)
// packet_abort (a pulse) ends the packet in progress without TLAST: the source was reset mid-packet
// (sgdma's MM2S mover on an abort, docs/sgdma.md "Abort and soft reset"), so the next beat starts a
// new packet. Tie it to 0 for a stream whose packets always end with TLAST.
// Rules 5-7 are the sgdma stream contract (packed bytes, one TUSER per packet), not AXI4-Stream itself;
// set the parameter to 0 for a stream that may carry null or sparse bytes.
// Reporting is the same as axi4_checker ($fatal(1, "axis_checker: rule N: ...") when FATAL=1).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module axis_checker #(
    parameter integer DATA_WIDTH = 64,   // TDATA width in bits (a multiple of 8)
    parameter integer USER_WIDTH = 1,    // TUSER width in bits (tie TUSER to 0 when absent)
    parameter integer KEEP_CHECK = 1,    // 1: rules 5 and 6 (TKEEP all ones except a packed last beat)
    parameter integer USER_CHECK = 1,    // 1: rule 7 (TUSER constant within a packet)
    parameter integer FATAL = 1          // 1: $fatal on the first violation; 0: report only
) (
    input  wire                    clk,
    input  wire                    rst,

    input  wire [DATA_WIDTH-1:0]   tdata,
    input  wire [DATA_WIDTH/8-1:0] tkeep,
    input  wire                    tlast,
    input  wire [USER_WIDTH-1:0]   tuser,
    input  wire                    tvalid,
    input  wire                    tready,
    input  wire                    packet_abort,

    output wire                    error_valid,
    output wire [7:0]              error_rule,
    output wire [31:0]             error_cycle,
    output wire [31:0]             error_count,
    output wire [31:0]             error_mask,
    output wire [31:0]             cycle
);

localparam integer KEEP_WIDTH = DATA_WIDTH / 8;

initial begin
    if (DATA_WIDTH < 8 || DATA_WIDTH % 8 != 0) begin
        $fatal(1, "axis_checker: DATA_WIDTH (%0d) must be a positive multiple of 8", DATA_WIDTH);
    end
    if (USER_WIDTH < 1) begin
        $fatal(1, "axis_checker: USER_WIDTH (%0d) must be >= 1", USER_WIDTH);
    end
end

wire t_drop, t_chg, t_x, t_cx;
tb_handshake_check #(.WIDTH(DATA_WIDTH + KEEP_WIDTH + 1 + USER_WIDTH),
                     .CTRL_WIDTH(KEEP_WIDTH + 1 + USER_WIDTH)) t_check (
    .clk(clk), .rst(rst), .valid(tvalid), .ready(tready),
    .payload({tdata, tkeep, tlast, tuser}), .control({tkeep, tlast, tuser}),
    .valid_dropped(t_drop), .payload_changed(t_chg), .handshake_x(t_x), .control_x(t_cx));

wire t_hs = !rst && (tvalid === 1'b1) && (tready === 1'b1);

// Packed last beat: TKEEP = 0..01..1 and not zero, i.e. TKEEP & (TKEEP + 1) == 0.
// The carry out of TKEEP + 1 is dropped on purpose: all ones is packed too.
wire [KEEP_WIDTH-1:0] keep_plus_one = tkeep + {{(KEEP_WIDTH-1){1'b0}}, 1'b1};
wire keep_packed = (tkeep != {KEEP_WIDTH{1'b0}}) && ((tkeep & keep_plus_one) == 0);

reg                  in_packet_q;   // a beat of the current packet has been accepted
reg [USER_WIDTH-1:0] packet_user_q;

wire keep_mid_bad  = (KEEP_CHECK != 0) && t_hs && (tlast === 1'b0) && (tkeep !== {KEEP_WIDTH{1'b1}});
wire keep_last_bad = (KEEP_CHECK != 0) && t_hs && (tlast === 1'b1) && !keep_packed;
wire user_bad      = (USER_CHECK != 0) && t_hs && in_packet_q && (tuser !== packet_user_q);

wire [31:0] violations = {24'd0, user_bad, keep_last_bad, keep_mid_bad, t_cx, t_x, t_chg, t_drop, 1'b0};

function [8*64-1:0] rule_text(input integer rule);
    case (rule)
        1: rule_text = "TVALID dropped before TREADY";
        2: rule_text = "payload changed while TVALID && !TREADY";
        3: rule_text = "X/Z on TVALID or TREADY outside reset";
        4: rule_text = "X/Z on TKEEP, TLAST or TUSER while TVALID";
        5: rule_text = "TKEEP not all ones on a beat without TLAST";
        6: rule_text = "TKEEP on the TLAST beat not a packed run from lane 0";
        7: rule_text = "TUSER changed within a packet";
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
                    $fatal(1, "axis_checker: rule %0d: %0s (cycle %0d, %m)", k, rule_text(k), cycle);
                end else if (error_count < 32) begin
                    $display("axis_checker: rule %0d: %0s (cycle %0d, %m)", k, rule_text(k), cycle);
                end
            end
        end
    end
end

always @(posedge clk) begin
    if (rst || packet_abort === 1'b1) begin
        in_packet_q <= 1'b0;
    end else if (t_hs) begin
        in_packet_q <= (tlast !== 1'b1);
    end
    if (t_hs && !in_packet_q) begin
        packet_user_q <= tuser;
    end
end

endmodule

`resetall
