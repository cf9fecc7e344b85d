// sgdma_axi_rd_arb: shares one AXI4 read master among 3 requesters.
//
// Port i is the requester that uses ARID i (0 = MM2S data, 1 = MM2S descriptors, 2 = S2MM
// descriptors). AR: round robin among the valid ports, one AR per cycle, and a grant is held while the
// granted AR waits for ARREADY (VALID and payload stay stable). R: routed combinationally by RID with
// RREADY passed through, so the R path adds no bubble and no latency. The R payload (RDATA, RRESP,
// RLAST, RID) is shared by all ports; only RVALID/RREADY are per port.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module sgdma_axi_rd_arb #(
    parameter integer DATA_WIDTH = 64,   // AXI data width
    parameter integer ADDR_WIDTH = 64,   // AXI address width
    parameter integer ID_WIDTH   = 4     // AXI ID width (>= 2: IDs 0..2 are routed)
) (
    input  wire                       clk,
    input  wire                       rst,

    input  wire [3*ID_WIDTH-1:0]      s_axi_arid,
    input  wire [3*ADDR_WIDTH-1:0]    s_axi_araddr,
    input  wire [3*8-1:0]             s_axi_arlen,
    input  wire [3*3-1:0]             s_axi_arsize,
    input  wire [3*2-1:0]             s_axi_arburst,
    input  wire [2:0]                 s_axi_arlock,
    input  wire [3*4-1:0]             s_axi_arcache,
    input  wire [3*3-1:0]             s_axi_arprot,
    input  wire [2:0]                 s_axi_arvalid,
    output wire [2:0]                 s_axi_arready,
    output wire [ID_WIDTH-1:0]        s_axi_rid,
    output wire [DATA_WIDTH-1:0]      s_axi_rdata,
    output wire [1:0]                 s_axi_rresp,
    output wire                       s_axi_rlast,
    output wire [2:0]                 s_axi_rvalid,
    input  wire [2:0]                 s_axi_rready,

    output wire [ID_WIDTH-1:0]        m_axi_arid,
    output wire [ADDR_WIDTH-1:0]      m_axi_araddr,
    output wire [7:0]                 m_axi_arlen,
    output wire [2:0]                 m_axi_arsize,
    output wire [1:0]                 m_axi_arburst,
    output wire                       m_axi_arlock,
    output wire [3:0]                 m_axi_arcache,
    output wire [2:0]                 m_axi_arprot,
    output wire                       m_axi_arvalid,
    input  wire                       m_axi_arready,
    input  wire [ID_WIDTH-1:0]        m_axi_rid,
    input  wire [DATA_WIDTH-1:0]      m_axi_rdata,
    input  wire [1:0]                 m_axi_rresp,
    input  wire                       m_axi_rlast,
    input  wire                       m_axi_rvalid,
    output wire                       m_axi_rready
);

initial begin
    if (ID_WIDTH < 2)
        $fatal(1, "sgdma_axi_rd_arb: ID_WIDTH (%0d) must be >= 2", ID_WIDTH);
end

reg  [1:0] last_q;      // port granted last (round robin starts after it)
reg        lock_q;      // an AR is waiting for ARREADY: keep its grant
reg  [1:0] lock_idx_q;
// round robin: candidates in order after the last granted port
wire [1:0] cand0 = (last_q == 2'd2) ? 2'd0 : last_q + 2'd1;
wire [1:0] cand1 = (cand0 == 2'd2) ? 2'd0 : cand0 + 2'd1;
wire [1:0] pick  = s_axi_arvalid[cand0] ? cand0 : s_axi_arvalid[cand1] ? cand1 : last_q;

wire [1:0] grant = lock_q ? lock_idx_q : pick;

assign m_axi_arid    = s_axi_arid[grant*ID_WIDTH +: ID_WIDTH];
assign m_axi_araddr  = s_axi_araddr[grant*ADDR_WIDTH +: ADDR_WIDTH];
assign m_axi_arlen   = s_axi_arlen[grant*8 +: 8];
assign m_axi_arsize  = s_axi_arsize[grant*3 +: 3];
assign m_axi_arburst = s_axi_arburst[grant*2 +: 2];
assign m_axi_arlock  = s_axi_arlock[grant];
assign m_axi_arcache = s_axi_arcache[grant*4 +: 4];
assign m_axi_arprot  = s_axi_arprot[grant*3 +: 3];
// low in reset from its first cycle (the registers behind it are undefined until the first edge)
assign m_axi_arvalid = s_axi_arvalid[grant] && !rst;
assign s_axi_arready = {2'b00, m_axi_arready} << grant;

always @(posedge clk) begin
    lock_q <= m_axi_arvalid && !m_axi_arready;
    lock_idx_q <= grant;
    if (m_axi_arvalid && m_axi_arready) last_q <= grant;
    if (rst) begin
        last_q     <= 2'd2;
        lock_q     <= 1'b0;
        lock_idx_q <= 2'd0;
    end
end

// R: by RID
wire [1:0] r_port = m_axi_rid[1:0];
assign s_axi_rid     = m_axi_rid;
assign s_axi_rdata   = m_axi_rdata;
assign s_axi_rresp   = m_axi_rresp;
assign s_axi_rlast   = m_axi_rlast;
// the ID is looked at only while VALID is high (a slave may leave it undriven otherwise)
assign s_axi_rvalid  = m_axi_rvalid ? (3'b001 << r_port) : 3'b000;
assign m_axi_rready  = m_axi_rvalid ? ((r_port < 2'd3) && s_axi_rready[r_port]) : 1'b0;

`ifdef SGDMA_ASSERTIONS
always @(posedge clk) begin
    if (!rst) begin
        if (m_axi_rvalid && (m_axi_rid > 2))
            $fatal(1, "sgdma_axi_rd_arb: RID %0d routes to no requester", m_axi_rid);
        if (lock_q && !m_axi_arvalid)
            $fatal(1, "sgdma_axi_rd_arb: port %0d dropped ARVALID before ARREADY", lock_idx_q);
    end
end
`endif

endmodule

`resetall
