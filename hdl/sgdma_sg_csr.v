// sgdma_sg_csr: one channel's registers (CR, SR, CURDESC, TAILDESC, ERRDESC, PERF_*), interrupt
// coalescing and the irq output. sgdma_regs decodes AXI4-Lite and hands this block channel-relative
// writes (wr_en/wr_off/wr_data/wr_strb) and a combinational read port (rd_off -> rd_data).
//
// Interrupts: each completed IOC descriptor (after its write-back B) increments IRQ_COUNT; reaching
// IRQ_THRESHOLD (0 acts as 1) sets SR.IOC_IRQ and clears the count. IRQ_DELAY != 0 restarts a timer on
// every counted completion; when it expires with IRQ_COUNT != 0, SR.DLY_IRQ is set and the count
// cleared. An error sets SR.ERR_IRQ. irq = OR of each pending bit and its enable. Pending bits are
// write-one-to-clear.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module sgdma_sg_csr (
    input  wire        clk,
    input  wire        rst,

    // register access (channel-relative byte offsets)
    input  wire        wr_en,
    input  wire [5:0]  wr_off,
    input  wire [31:0] wr_data,
    input  wire [3:0]  wr_strb,
    input  wire [5:0]  rd_off,
    output wire [31:0] rd_data,
    output wire        rd_hit,        // rd_off names a readable register

    // towards the engine
    output wire        ctl_run,
    output wire        ctl_reset_req,
    output wire        ctl_curdesc_wr,
    output wire [63:0] ctl_curdesc,
    output wire        ctl_tail_wr,
    output wire [63:0] ctl_tail,

    // from the engine
    input  wire        halted,
    input  wire        idle,
    input  wire        busy,
    input  wire        srst,
    input  wire        err_valid,
    input  wire [3:0]  err_code,
    input  wire [63:0] err_desc,
    input  wire [63:0] cur_desc,
    input  wire        done_valid,
    input  wire        done_ioc,

    // from the data mover
    input  wire        perf_beat,
    input  wire        perf_stall,

    output wire        irq
);

localparam [5:0] OFF_CR          = `SGDMA_CH_CR;
localparam [5:0] OFF_SR          = `SGDMA_CH_SR;
localparam [5:0] OFF_CURDESC_LO  = `SGDMA_CH_CURDESC_LO;
localparam [5:0] OFF_CURDESC_HI  = `SGDMA_CH_CURDESC_HI;
localparam [5:0] OFF_TAILDESC_LO = `SGDMA_CH_TAILDESC_LO;
localparam [5:0] OFF_TAILDESC_HI = `SGDMA_CH_TAILDESC_HI;
localparam [5:0] OFF_ERRDESC_LO  = `SGDMA_CH_ERRDESC_LO;
localparam [5:0] OFF_ERRDESC_HI  = `SGDMA_CH_ERRDESC_HI;
localparam [5:0] OFF_PERF_BUSY   = `SGDMA_CH_PERF_BUSY;
localparam [5:0] OFF_PERF_BEATS  = `SGDMA_CH_PERF_BEATS;
localparam [5:0] OFF_PERF_STALL  = `SGDMA_CH_PERF_STALL;
localparam [5:0] OFF_PERF_DESC   = `SGDMA_CH_PERF_DESC;
localparam [5:0] OFF_PERF_CTRL   = `SGDMA_CH_PERF_CTRL;

function automatic [31:0] merge(input [31:0] old, input [31:0] data, input [3:0] strb);
    integer i;
    begin
        for (i = 0; i < 4; i = i + 1)
            merge[i*8 +: 8] = strb[i] ? data[i*8 +: 8] : old[i*8 +: 8];
    end
endfunction

reg  [31:0] cr_q;
reg  [31:0] curdesc_lo_q, curdesc_hi_q, tail_lo_q, tail_hi_q;
reg         err_q;
reg  [3:0]  errcode_q;
reg  [63:0] errdesc_q;
reg         ioc_irq_q, dly_irq_q, err_irq_q;
reg  [7:0]  irq_count_q;
reg  [15:0] dly_timer_q;
reg  [31:0] perf_busy_q, perf_beats_q, perf_stall_q, perf_desc_q;

wire wr_cr      = wr_en && (wr_off == OFF_CR);
wire wr_sr      = wr_en && (wr_off == OFF_SR);
wire wr_cur_lo  = wr_en && (wr_off == OFF_CURDESC_LO);
wire wr_cur_hi  = wr_en && (wr_off == OFF_CURDESC_HI);
wire wr_tail_lo = wr_en && (wr_off == OFF_TAILDESC_LO);
wire wr_tail_hi = wr_en && (wr_off == OFF_TAILDESC_HI);
wire wr_perf    = wr_en && (wr_off == OFF_PERF_CTRL) && wr_strb[0] && wr_data[0];

wire [31:0] cr_wr_val  = merge(cr_q, wr_data, wr_strb);
// SR bits written with 1 in a written byte, restricted to the map's write-1-to-clear fields
wire [31:0] sr_w1c = merge(32'd0, wr_data, wr_strb) & `SGDMA_CH_SR_W1C_MASK;
wire unused_sr_w1c = ^sr_w1c;   // only the W1C fields' bits are looked at
wire [31:0] cur_lo_new = wr_cur_lo ? merge(curdesc_lo_q, wr_data, wr_strb) : curdesc_lo_q;
wire [31:0] cur_hi_new = wr_cur_hi ? merge(curdesc_hi_q, wr_data, wr_strb) : curdesc_hi_q;
wire [31:0] tail_lo_new = merge(tail_lo_q, wr_data, wr_strb);

assign ctl_run        = cr_q[`SGDMA_CH_CR_RS_LSB];
assign ctl_reset_req  = cr_q[`SGDMA_CH_CR_RESET_LSB];
// CURDESC is writable only while halted
assign ctl_curdesc_wr = (wr_cur_lo || wr_cur_hi) && halted;
assign ctl_curdesc    = {cur_hi_new, cur_lo_new};
assign ctl_tail_wr    = wr_tail_lo;
assign ctl_tail       = {tail_hi_q, tail_lo_new};

wire [7:0]  irq_threshold = cr_q[`SGDMA_CH_CR_IRQ_THRESHOLD_LSB +: 8];
wire [15:0] irq_delay     = cr_q[`SGDMA_CH_CR_IRQ_DELAY_LSB +: 16];
wire [7:0]  threshold_eff = (irq_threshold == 8'd0) ? 8'd1 : irq_threshold;
wire        count_ioc     = done_valid && done_ioc;
wire [7:0]  count_inc     = (irq_count_q == 8'hFF) ? irq_count_q : irq_count_q + 8'd1;
wire        dly_expire    = (irq_delay != 16'd0) && (irq_count_q != 8'd0) && (dly_timer_q == 16'd1) &&
                            !count_ioc;

wire [31:0] sr_val;
assign sr_val[`SGDMA_CH_SR_HALTED_LSB]  = halted;
assign sr_val[`SGDMA_CH_SR_IDLE_LSB]    = idle;
assign sr_val[6:2]                      = 5'd0;
assign sr_val[`SGDMA_CH_SR_ERR_LSB]     = err_q;
assign sr_val[`SGDMA_CH_SR_ERRCODE_LSB +: 4] = errcode_q;
assign sr_val[`SGDMA_CH_SR_IOC_IRQ_LSB] = ioc_irq_q;
assign sr_val[`SGDMA_CH_SR_DLY_IRQ_LSB] = dly_irq_q;
assign sr_val[`SGDMA_CH_SR_ERR_IRQ_LSB] = err_irq_q;
assign sr_val[15]                       = 1'b0;
assign sr_val[`SGDMA_CH_SR_IRQ_COUNT_LSB +: 8] = irq_count_q;
assign sr_val[31:24]                    = 8'd0;

assign irq = (ioc_irq_q && cr_q[`SGDMA_CH_CR_IOC_IRQ_EN_LSB]) ||
             (dly_irq_q && cr_q[`SGDMA_CH_CR_DLY_IRQ_EN_LSB]) ||
             (err_irq_q && cr_q[`SGDMA_CH_CR_ERR_IRQ_EN_LSB]);

assign rd_hit = `SGDMA_CH_READABLE(rd_off);   // generated decode (hdl/sgdma_defs.vh)
// A mux chain, not a case in always @*: the PERF counters change in every busy cycle, which re-ran the
// whole case each time in an event-driven simulator; in the chain a changed input re-evaluates only the
// mux it enters, and goes further only while rd_off selects it.
assign rd_data = (rd_off == OFF_CR)          ? cr_q :
                 (rd_off == OFF_SR)          ? sr_val :
                 (rd_off == OFF_CURDESC_LO)  ? cur_desc[31:0] :
                 (rd_off == OFF_CURDESC_HI)  ? cur_desc[63:32] :
                 (rd_off == OFF_TAILDESC_LO) ? tail_lo_q :
                 (rd_off == OFF_TAILDESC_HI) ? tail_hi_q :
                 (rd_off == OFF_ERRDESC_LO)  ? errdesc_q[31:0] :
                 (rd_off == OFF_ERRDESC_HI)  ? errdesc_q[63:32] :
                 (rd_off == OFF_PERF_BUSY)   ? perf_busy_q :
                 (rd_off == OFF_PERF_BEATS)  ? perf_beats_q :
                 (rd_off == OFF_PERF_STALL)  ? perf_stall_q :
                 (rd_off == OFF_PERF_DESC)   ? perf_desc_q :
                 32'd0;   // PERF_CTRL (write-only) and unmapped offsets

always @(posedge clk) begin
    // ---- control
    if (wr_cr) cr_q <= cr_wr_val;
    if (ctl_curdesc_wr) begin
        curdesc_lo_q <= cur_lo_new;
        curdesc_hi_q <= cur_hi_new;
    end
    if (wr_tail_hi) tail_hi_q <= merge(tail_hi_q, wr_data, wr_strb);
    if (wr_tail_lo) tail_lo_q <= tail_lo_new;

    // ---- sticky error (first one), RS cleared by an error
    if (err_valid) begin
        if (!err_q) begin
            err_q     <= 1'b1;
            errcode_q <= err_code;
            errdesc_q <= err_desc;
        end
        err_irq_q <= 1'b1;
    end
    // an error halt clears RS (once halted: clearing it earlier would abort the packets that the
    // engine lets finish after a fetch-side error)
    if (err_q && halted) cr_q[`SGDMA_CH_CR_RS_LSB] <= 1'b0;

    // ---- interrupt coalescing
    if (count_ioc) begin
        if (count_inc >= threshold_eff) begin
            ioc_irq_q   <= 1'b1;
            irq_count_q <= 8'd0;
        end else begin
            irq_count_q <= count_inc;
        end
        dly_timer_q <= irq_delay;
    end else if (dly_expire) begin
        dly_irq_q   <= 1'b1;
        irq_count_q <= 8'd0;
        dly_timer_q <= 16'd0;
    end else if (dly_timer_q != 16'd0) begin
        dly_timer_q <= dly_timer_q - 16'd1;
    end
    if (wr_sr) begin
        if (sr_w1c[`SGDMA_CH_SR_IOC_IRQ_LSB]) ioc_irq_q <= 1'b0;
        if (sr_w1c[`SGDMA_CH_SR_DLY_IRQ_LSB]) dly_irq_q <= 1'b0;
        if (sr_w1c[`SGDMA_CH_SR_ERR_IRQ_LSB]) err_irq_q <= 1'b0;
    end

    // ---- performance counters
    if (busy)       perf_busy_q  <= perf_busy_q + 32'd1;
    if (perf_beat)  perf_beats_q <= perf_beats_q + 32'd1;
    if (perf_stall) perf_stall_q <= perf_stall_q + 32'd1;
    if (done_valid) perf_desc_q  <= perf_desc_q + 32'd1;
    if (wr_perf) begin
        perf_busy_q  <= 32'd0;
        perf_beats_q <= 32'd0;
        perf_stall_q <= 32'd0;
        perf_desc_q  <= 32'd0;
    end

    if (rst || srst) begin
        // a soft reset clears the channel's control and status; PERF_* survive (PERF_CTRL clears them)
        cr_q         <= `SGDMA_CH_CR_RESET;
        curdesc_lo_q <= `SGDMA_CH_CURDESC_LO_RESET;
        curdesc_hi_q <= `SGDMA_CH_CURDESC_HI_RESET;
        tail_lo_q    <= `SGDMA_CH_TAILDESC_LO_RESET;
        tail_hi_q    <= `SGDMA_CH_TAILDESC_HI_RESET;
        err_q        <= 1'b0;
        errcode_q    <= 4'd0;
        errdesc_q    <= 64'd0;
        ioc_irq_q    <= 1'b0;
        dly_irq_q    <= 1'b0;
        err_irq_q    <= 1'b0;
        irq_count_q  <= 8'd0;
        dly_timer_q  <= 16'd0;
    end
    if (rst) begin
        perf_busy_q  <= 32'd0;
        perf_beats_q <= 32'd0;
        perf_stall_q <= 32'd0;
        perf_desc_q  <= 32'd0;
    end
end

endmodule

`resetall
