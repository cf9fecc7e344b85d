// sgdma_fifo: synchronous first-word-fall-through FIFO.
//
// s_* pushes, m_* pops; m_valid shows the head without a read latency. `count` is the number of
// entries held, `free` the number of empty slots (a burst may be requested only when `free` covers it).
// Storage is a plain register array (inferred as distributed RAM on FPGAs).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module sgdma_fifo #(
    parameter integer WIDTH = 8,      // bits per entry
    parameter integer DEPTH = 16      // entries, a power of two >= 2
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire [WIDTH-1:0]         s_data,
    input  wire                     s_valid,
    output wire                     s_ready,
    output wire [WIDTH-1:0]         m_data,
    output wire                     m_valid,
    input  wire                     m_ready,
    output wire [$clog2(DEPTH):0]   count,
    output wire [$clog2(DEPTH):0]   free
);

localparam integer PTR_WIDTH = $clog2(DEPTH);

initial begin
    if (DEPTH < 2 || (1 << PTR_WIDTH) != DEPTH) begin
        $fatal(1, "sgdma_fifo: DEPTH (%0d) must be a power of two >= 2", DEPTH);
    end
end

reg [WIDTH-1:0] mem [0:DEPTH-1];
reg [PTR_WIDTH:0] wr_ptr_q, rd_ptr_q;

wire full  = (wr_ptr_q[PTR_WIDTH] != rd_ptr_q[PTR_WIDTH]) &&
             (wr_ptr_q[PTR_WIDTH-1:0] == rd_ptr_q[PTR_WIDTH-1:0]);
wire empty = (wr_ptr_q == rd_ptr_q);
wire push = s_valid && !full;
wire pop  = m_ready && !empty;

assign s_ready = !full;
assign m_valid = !empty;
assign m_data  = mem[rd_ptr_q[PTR_WIDTH-1:0]];
assign count   = wr_ptr_q - rd_ptr_q;
assign free    = DEPTH[PTR_WIDTH:0] - count;

always @(posedge clk) begin
    if (push) begin
        mem[wr_ptr_q[PTR_WIDTH-1:0]] <= s_data;
    end
    if (rst) begin
        wr_ptr_q <= 0;
        rd_ptr_q <= 0;
    end else begin
        if (push) wr_ptr_q <= wr_ptr_q + 1'b1;
        if (pop)  rd_ptr_q <= rd_ptr_q + 1'b1;
    end
end

endmodule

`resetall
