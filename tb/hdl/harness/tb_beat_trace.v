// tb_beat_trace: records every beat of an AXI4 master port and of two AXI4-Stream ports to a text file
// that Python drains in batches (testbench only; tb/beat_trace.py parses it).
//
// One fixed-width line per handshake, fields in hex separated by one space:
//   channel cycle id addr len size burst data strb last resp user
// channel: 0 AR, 1 R, 2 AW, 3 W, 4 B (the AXI port), 5 the MM2S stream (m_axis: data, keep, last,
// user), 6 the S2MM stream (s_axis). Fields a channel does not have are 0. Within a cycle the lines
// come in channel order. The file tbtrace_<token>.txt (PORT 0) or tbtrace_<token>_sg.txt (PORT 1: an
// instance on m_axi_sg, streams tied off) is opened by cmd bit 0 and flushed by cmd bit 1, so that
// Python reads only whole lines.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_beat_trace #(
    parameter integer DATA_WIDTH = 64,     // AXI and stream data width: 32, 64 or 128
    parameter integer ADDR_WIDTH = 64,     // AXI address width, up to 64
    parameter integer ID_WIDTH   = 4,      // AXI ID width, up to 8
    parameter integer USER_WIDTH = 32,     // m_axis TUSER width, up to 32
    parameter integer PORT       = 0       // file name: 0 tbtrace_<token>.txt, 1 tbtrace_<token>_sg.txt
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire [31:0]              token,
    input  wire [1:0]               cmd,      // one-cycle pulse: 0 open, 1 flush
    input  wire [31:0]              cycle,

    input  wire [ID_WIDTH-1:0]      awid,
    input  wire [ADDR_WIDTH-1:0]    awaddr,
    input  wire [7:0]               awlen,
    input  wire [2:0]               awsize,
    input  wire [1:0]               awburst,
    input  wire                     awvalid,
    input  wire                     awready,
    input  wire [DATA_WIDTH-1:0]    wdata,
    input  wire [DATA_WIDTH/8-1:0]  wstrb,
    input  wire                     wlast,
    input  wire                     wvalid,
    input  wire                     wready,
    input  wire [ID_WIDTH-1:0]      bid,
    input  wire [1:0]               bresp,
    input  wire                     bvalid,
    input  wire                     bready,
    input  wire [ID_WIDTH-1:0]      arid,
    input  wire [ADDR_WIDTH-1:0]    araddr,
    input  wire [7:0]               arlen,
    input  wire [2:0]               arsize,
    input  wire [1:0]               arburst,
    input  wire                     arvalid,
    input  wire                     arready,
    input  wire [ID_WIDTH-1:0]      rid,
    input  wire [DATA_WIDTH-1:0]    rdata,
    input  wire [1:0]               rresp,
    input  wire                     rlast,
    input  wire                     rvalid,
    input  wire                     rready,

    input  wire [DATA_WIDTH-1:0]    mm2s_tdata,
    input  wire [DATA_WIDTH/8-1:0]  mm2s_tkeep,
    input  wire                     mm2s_tlast,
    input  wire [USER_WIDTH-1:0]    mm2s_tuser,
    input  wire                     mm2s_tvalid,
    input  wire                     mm2s_tready,
    input  wire [DATA_WIDTH-1:0]    s2mm_tdata,
    input  wire [DATA_WIDTH/8-1:0]  s2mm_tkeep,
    input  wire                     s2mm_tlast,
    input  wire                     s2mm_tvalid,
    input  wire                     s2mm_tready
);

localparam integer STRB_WIDTH = DATA_WIDTH / 8;
localparam [DATA_WIDTH-1:0] NO_DATA = {DATA_WIDTH{1'b0}};
localparam [STRB_WIDTH-1:0] NO_STRB = {STRB_WIDTH{1'b0}};

initial begin
    if (ADDR_WIDTH > 64 || ID_WIDTH > 8 || USER_WIDTH > 32)
        $fatal(1, "tb_beat_trace: ADDR_WIDTH <= 64, ID_WIDTH <= 8, USER_WIDTH <= 32");
end

// fields zero-extended to the trace's fixed widths (a zero-width pad is not Verilog-2001)
wire [63:0] araddr64, awaddr64;
wire [7:0]  arid8, awid8, rid8, bid8;
wire [31:0] tuser32;
generate
    if (ADDR_WIDTH < 64) begin : g_addr_pad
        assign araddr64 = {{(64 - ADDR_WIDTH){1'b0}}, araddr};
        assign awaddr64 = {{(64 - ADDR_WIDTH){1'b0}}, awaddr};
    end else begin : g_addr_full
        assign araddr64 = araddr;
        assign awaddr64 = awaddr;
    end
    if (ID_WIDTH < 8) begin : g_id_pad
        assign arid8 = {{(8 - ID_WIDTH){1'b0}}, arid};
        assign awid8 = {{(8 - ID_WIDTH){1'b0}}, awid};
        assign rid8  = {{(8 - ID_WIDTH){1'b0}}, rid};
        assign bid8  = {{(8 - ID_WIDTH){1'b0}}, bid};
    end else begin : g_id_full
        assign arid8 = arid;
        assign awid8 = awid;
        assign rid8  = rid;
        assign bid8  = bid;
    end
    if (USER_WIDTH < 32) begin : g_user_pad
        assign tuser32 = {{(32 - USER_WIDTH){1'b0}}, mm2s_tuser};
    end else begin : g_user_full
        assign tuser32 = mm2s_tuser;
    end
endgenerate

integer fd;
initial fd = 0;
reg [8*64-1:0] fname;

task put(input [3:0] ch, input [7:0] id, input [63:0] addr, input [7:0] len, input [3:0] size,
         input [3:0] burst, input [DATA_WIDTH-1:0] data, input [STRB_WIDTH-1:0] strb, input [3:0] last,
         input [3:0] resp, input [31:0] user);
    begin
        $fwrite(fd, "%h %h %h %h %h %h %h %h %h %h %h %h\n", ch, cycle, id, addr, len, size, burst, data,
                strb, last, resp, user);
    end
endtask

// the file handle is a simulation-time system task result, not logic
/* verilator lint_off BLKSEQ */
always @(posedge clk) begin
    if (cmd[0]) begin
        if (PORT == 0) $sformat(fname, "tbtrace_%0d.txt", token);
        else $sformat(fname, "tbtrace_%0d_sg.txt", token);
        fd = $fopen(fname, "w");
    end
    if (fd != 0 && !rst) begin
        if (arvalid && arready)
            put(4'd0, arid8, araddr64, arlen, {1'b0, arsize}, {2'b0, arburst}, NO_DATA, NO_STRB,
                4'd0, 4'd0, 32'd0);
        if (awvalid && awready)
            put(4'd2, awid8, awaddr64, awlen, {1'b0, awsize}, {2'b0, awburst}, NO_DATA, NO_STRB,
                4'd0, 4'd0, 32'd0);
        if (rvalid && rready)
            put(4'd1, rid8, 64'd0, 8'd0, 4'd0, 4'd0, rdata, NO_STRB, {3'b0, rlast}, {2'b0, rresp}, 32'd0);
        if (wvalid && wready)
            put(4'd3, 8'd0, 64'd0, 8'd0, 4'd0, 4'd0, wdata, wstrb, {3'b0, wlast}, 4'd0, 32'd0);
        if (bvalid && bready)
            put(4'd4, bid8, 64'd0, 8'd0, 4'd0, 4'd0, NO_DATA, NO_STRB, 4'd0, {2'b0, bresp}, 32'd0);
        if (mm2s_tvalid && mm2s_tready)
            put(4'd5, 8'd0, 64'd0, 8'd0, 4'd0, 4'd0, mm2s_tdata, mm2s_tkeep, {3'b0, mm2s_tlast}, 4'd0,
                tuser32);
        if (s2mm_tvalid && s2mm_tready)
            put(4'd6, 8'd0, 64'd0, 8'd0, 4'd0, 4'd0, s2mm_tdata, s2mm_tkeep, {3'b0, s2mm_tlast}, 4'd0, 32'd0);
    end
    if (cmd[1] && fd != 0) $fflush(fd);
end
/* verilator lint_on BLKSEQ */

endmodule

`resetall
