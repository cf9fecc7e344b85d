// fv_regs: formal target for sgdma_regs (hdl/sgdma_regs.v), the AXI4-Lite register slave.
//
// The AXI4-Lite master is modelled legal by fv_axil_slave (AW and W in any order, any READY/BREADY
// pattern); the channel register blocks' read data and the hide words are free inputs.
`default_nettype none

module fv_regs #(
    parameter integer AXIL_ADDR_WIDTH = 12   // AXI4-Lite address width
) (
    input wire                       clk,
    input wire                       rst,
    input wire [AXIL_ADDR_WIDTH-1:0] awaddr,
    input wire [2:0]                 awprot,
    input wire                       awvalid,
    input wire [31:0]                wdata,
    input wire [3:0]                 wstrb,
    input wire                       wvalid,
    input wire                       bready,
    input wire [AXIL_ADDR_WIDTH-1:0] araddr,
    input wire [2:0]                 arprot,
    input wire                       arvalid,
    input wire                       rready,
    input wire [31:0]                ch0_rd_data,
    input wire                       ch0_rd_hit,
    input wire [31:0]                ch1_rd_data,
    input wire                       ch1_rd_hit,
    input wire [8*32-1:0]            hide_rd_data
);

wire        awready, wready, bvalid, arready, rvalid;
wire [1:0]  bresp, rresp;
wire [31:0] rdata;
wire [1:0]  ch_wr_en;
wire [5:0]  ch_wr_off, ch_rd_off;
wire [31:0] ch_wr_data;
wire [3:0]  ch_wr_strb;

sgdma_regs #(.AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH), .DATA_WIDTH(32), .ADDR_WIDTH(32)) dut (
    .clk(clk), .rst(rst),
    .s_axil_awaddr(awaddr), .s_axil_awprot(awprot), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
    .s_axil_wdata(wdata), .s_axil_wstrb(wstrb), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
    .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
    .s_axil_araddr(araddr), .s_axil_arprot(arprot), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
    .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
    .ch_wr_en(ch_wr_en), .ch_wr_off(ch_wr_off), .ch_wr_data(ch_wr_data), .ch_wr_strb(ch_wr_strb),
    .ch_rd_off(ch_rd_off), .ch0_rd_data(ch0_rd_data), .ch0_rd_hit(ch0_rd_hit),
    .ch1_rd_data(ch1_rd_data), .ch1_rd_hit(ch1_rd_hit), .hide_rd_data(hide_rd_data));

fv_axil_slave #(.ADDR_WIDTH(AXIL_ADDR_WIDTH), .MAX_OUTSTANDING(2)) axil (
    .clk(clk), .rst(rst),
    .awaddr(awaddr), .awprot(awprot), .awvalid(awvalid), .awready(awready),
    .wdata(wdata), .wstrb(wstrb), .wvalid(wvalid), .wready(wready),
    .bresp(bresp), .bvalid(bvalid), .bready(bready),
    .araddr(araddr), .arprot(arprot), .arvalid(arvalid), .arready(arready),
    .rdata(rdata), .rresp(rresp), .rvalid(rvalid), .rready(rready));

// a register write strobe only for an accepted write: never two in one cycle
always @(*) if (!rst) assert(ch_wr_en != 2'b11);

// ---- k-induction invariants: sgdma_regs's own registers (hdl/sgdma_regs.v) agree with the requests in
// flight that fv_axil_slave counts. The f_ wires are driven by formal/regs.sby (`connect` after
// `flatten`: read_verilog has no hierarchical references). Asserted in every task, so the bounded
// proof checks them from reset too.
(* keep *) wire       f_aw_held, f_w_held, f_bvalid, f_rvalid;   // dut.aw_held_q, w_held_q, ...
(* keep *) wire [3:0] f_aw_n, f_w_n, f_ar_n;                     // axil.aw_n, w_n, ar_n
always @(*) begin
    if (!rst) begin
        // one write held at a time: an AW or a W waits for its partner, or their B waits
        assert(!(f_aw_held && f_w_held) && !(f_bvalid && (f_aw_held || f_w_held)));
        assert(f_aw_n == {3'd0, f_aw_held || f_bvalid});
        assert(f_w_n == {3'd0, f_w_held || f_bvalid});
        assert(f_ar_n == {3'd0, f_rvalid});
    end
end

endmodule
