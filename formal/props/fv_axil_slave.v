// fv_axil_slave: formal properties of an AXI4-Lite slave port (the DUT is the slave), written from
// the AXI4 specification (IHI 0022, parts A3.2, A3.3.1 and B1: AXI4-Lite).
//
// The modelled master is legal and otherwise free: VALIDs low in reset, held until READY with the
// payload stable, at most MAX_OUTSTANDING requests per direction; AW and W in either order or
// together. Asserted of the DUT: BVALID/RVALID low during reset, held until BREADY/RREADY with
// BRESP/RDATA/RRESP stable; a B only after both the AW and the W of a write were accepted and an R
// only after its AR (A3.3.1: the slave must wait for AWVALID, AWREADY, WVALID and WREADY before
// BVALID); no more responses than requests. Covers: a write with AW first, W first and both together,
// a read, a stalled response.
`default_nettype none

module fv_axil_slave #(
    parameter integer ADDR_WIDTH = 12,     // AxADDR width
    parameter integer MAX_OUTSTANDING = 2, // requests the master keeps in flight per direction
    parameter integer DUT_OUTSTANDING = 1, // requests the DUT holds unanswered per direction (asserted)
    parameter integer READY_WHEN_IDLE = 1  // 1: with nothing pending the DUT's READYs are high (asserted)
) (
    input wire                  clk,
    input wire                  rst,
    input wire [ADDR_WIDTH-1:0] awaddr,
    input wire [2:0]            awprot,
    input wire                  awvalid,
    input wire                  awready,
    input wire [31:0]           wdata,
    input wire [3:0]            wstrb,
    input wire                  wvalid,
    input wire                  wready,
    input wire [1:0]            bresp,
    input wire                  bvalid,
    input wire                  bready,
    input wire [ADDR_WIDTH-1:0] araddr,
    input wire [2:0]            arprot,
    input wire                  arvalid,
    input wire                  arready,
    input wire [31:0]           rdata,
    input wire [1:0]            rresp,
    input wire                  rvalid,
    input wire                  rready
);

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
always @(*) if (!f_past_valid) assume(rst);

wire aw_hs = awvalid && awready;
wire w_hs  = wvalid && wready;
wire b_hs  = bvalid && bready;
wire ar_hs = arvalid && arready;
wire r_hs  = rvalid && rready;

always @(*) begin
    if (rst) begin
        assume(!awvalid && !wvalid && !arvalid);
`ifndef FV_SKIP_RESET_VALID
        assert(!bvalid && !rvalid);
`endif
    end
end
always @(posedge clk) begin
    if (f_past_valid && !$past(rst) && !rst) begin
        if ($past(awvalid && !awready)) assume(awvalid && {awaddr, awprot} == $past({awaddr, awprot}));
        if ($past(wvalid && !wready)) assume(wvalid && {wdata, wstrb} == $past({wdata, wstrb}));
        if ($past(arvalid && !arready)) assume(arvalid && {araddr, arprot} == $past({araddr, arprot}));
        if ($past(bvalid && !bready)) assert(bvalid && bresp == $past(bresp));
        if ($past(rvalid && !rready)) assert(rvalid && {rdata, rresp} == $past({rdata, rresp}));
    end
end

// requests accepted and not yet answered
reg [3:0] aw_n = 4'd0, w_n = 4'd0, ar_n = 4'd0;
always @(posedge clk) begin
    if (rst) begin
        aw_n <= 4'd0;
        w_n <= 4'd0;
        ar_n <= 4'd0;
    end else begin
        aw_n <= aw_n + (aw_hs ? 4'd1 : 4'd0) - (b_hs ? 4'd1 : 4'd0);
        w_n <= w_n + (w_hs ? 4'd1 : 4'd0) - (b_hs ? 4'd1 : 4'd0);
        ar_n <= ar_n + (ar_hs ? 4'd1 : 4'd0) - (r_hs ? 4'd1 : 4'd0);
    end
end
always @(*) begin
    if (!rst) begin
        if (bvalid) assert(aw_n != 0 && w_n != 0);
        if (rvalid) assert(ar_n != 0);
        assert(aw_n <= DUT_OUTSTANDING && w_n <= DUT_OUTSTANDING && ar_n <= DUT_OUTSTANDING);
        // a full slave takes no more requests (this also makes the k-induction close)
        if (aw_n == DUT_OUTSTANDING) assert(!awready);
        if (w_n == DUT_OUTSTANDING) assert(!wready);
        if (ar_n == DUT_OUTSTANDING) assert(!arready);
        // an idle slave does not stall (sgdma_regs: zero-wait READY)
        if (READY_WHEN_IDLE != 0 && aw_n == 0 && w_n == 0) assert(awready && wready);
        if (READY_WHEN_IDLE != 0 && ar_n == 0) assert(arready);
        // the master keeps at most MAX_OUTSTANDING requests per direction in flight
        if (awvalid) assume(aw_n < MAX_OUTSTANDING);
        if (wvalid) assume(w_n < MAX_OUTSTANDING);
        if (arvalid) assume(ar_n < MAX_OUTSTANDING);
    end
end

always @(posedge clk) begin
    if (!rst && f_past_valid) begin
        cover(w_hs && !aw_hs && aw_n != 0 && w_n == 0);      // W after its AW
        cover(aw_hs && !w_hs && w_n != 0 && aw_n == 0);      // AW after its W
        cover(aw_hs && w_hs && aw_n == 0 && w_n == 0);       // together
        cover(b_hs);
        cover(r_hs);
        cover(bvalid && !bready && $past(bvalid && !bready));
        cover(rvalid && !rready && $past(rvalid && !rready));
    end
end

endmodule
