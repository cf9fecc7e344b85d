// sgdma_regs: AXI4-Lite slave of sgdma. Decodes the two per-channel register blocks (handed to each
// channel's sgdma_sg_csr as channel-relative writes and a read port) and serves the global ID and
// capability registers, whose values are the top-level parameters (software derives its
// ddi_dma_attr from them).
//
// A write takes effect in the cycle both AW and W are present (they may arrive in either order or
// together); B follows on the next cycle. A read answers one cycle after AR. Accesses to unmapped
// offsets, and writes to read-only registers, complete with SLVERR and change nothing.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module sgdma_regs #(
    parameter integer AXIL_ADDR_WIDTH = 12,  // AXI4-Lite address width (>= 8)
    parameter integer DATA_WIDTH      = 64,  // reported in CAP0
    parameter integer ADDR_WIDTH      = 64,
    parameter integer LEN_WIDTH       = 24,
    parameter integer ALIGN_LOG2      = 0,
    parameter integer MAX_BURST_LEN   = 64,  // reported in CAP1
    parameter integer MAX_OUTSTANDING = 4,
    parameter integer SEG_LOG2        = 32,
    parameter integer SGL_MAX         = 16,  // reported in CAP2
    parameter integer HIDE_ENTRIES    = 0,
    parameter integer SG_PORT         = 0,  // reported in CAP2 (1: descriptors on m_axi_sg)
    parameter integer DESC_PREFETCH   = 1,  // reported in CAP3
    parameter integer DESC_BURST      = 1,
    parameter integer WB_OUTSTANDING  = 1
) (
    input  wire                        clk,
    input  wire                        rst,

    input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_awaddr,
    input  wire [2:0]                  s_axil_awprot,
    input  wire                        s_axil_awvalid,
    output wire                        s_axil_awready,
    input  wire [31:0]                 s_axil_wdata,
    input  wire [3:0]                  s_axil_wstrb,
    input  wire                        s_axil_wvalid,
    output wire                        s_axil_wready,
    output wire [1:0]                  s_axil_bresp,
    output wire                        s_axil_bvalid,
    input  wire                        s_axil_bready,
    input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_araddr,
    input  wire [2:0]                  s_axil_arprot,
    input  wire                        s_axil_arvalid,
    output wire                        s_axil_arready,
    output wire [31:0]                 s_axil_rdata,
    output wire [1:0]                  s_axil_rresp,
    output wire                        s_axil_rvalid,
    input  wire                        s_axil_rready,

    // channel register blocks: [0] MM2S, [1] S2MM
    output wire [1:0]                  ch_wr_en,
    output wire [5:0]                  ch_wr_off,
    output wire [31:0]                 ch_wr_data,
    output wire [3:0]                  ch_wr_strb,
    output wire [5:0]                  ch_rd_off,
    input  wire [31:0]                 ch0_rd_data,
    input  wire                        ch0_rd_hit,
    input  wire [31:0]                 ch1_rd_data,
    input  wire                        ch1_rd_hit,
    // hide unit: read-only words HIDE_STATUS .. HIDE_LAST_MOD_HI, word i at [32*i +: 32]
    // (0xC0 + 4*i); all zero when HIDE_ENTRIES = 0
    input  wire [8*32-1:0]             hide_rd_data
);

localparam [1:0] RESP_OKAY   = 2'b00;
localparam [1:0] RESP_SLVERR = 2'b10;
localparam integer BLOCK_LSB = 6;   // 64-byte register blocks
localparam integer BLOCK_W   = AXIL_ADDR_WIDTH - BLOCK_LSB;
localparam integer MM2S_BLOCK_I = `SGDMA_MM2S_BASE >> BLOCK_LSB;
localparam integer S2MM_BLOCK_I = `SGDMA_S2MM_BASE >> BLOCK_LSB;
localparam [BLOCK_W-1:0] MM2S_BLOCK = MM2S_BLOCK_I[BLOCK_W-1:0];
localparam [BLOCK_W-1:0] S2MM_BLOCK = S2MM_BLOCK_I[BLOCK_W-1:0];

initial begin
    if (AXIL_ADDR_WIDTH < 8 || AXIL_ADDR_WIDTH > 32)
        $fatal(1, "sgdma_regs: AXIL_ADDR_WIDTH (%0d) must be 8..32", AXIL_ADDR_WIDTH);
    if (`SGDMA_MM2S_BASE % 64 != 0 || `SGDMA_S2MM_BASE % 64 != 0)
        $fatal(1, "sgdma_regs: channel blocks must be 64-byte aligned");
end

// capability words, from the parameters (field positions from sgdma_map.json)
wire [31:0] cap0 = ((DATA_WIDTH / 8) << `SGDMA_CAP0_DATA_BYTES_LSB) |
                   (ADDR_WIDTH << `SGDMA_CAP0_ADDR_WIDTH_LSB) |
                   (LEN_WIDTH  << `SGDMA_CAP0_LEN_WIDTH_LSB) |
                   (ALIGN_LOG2 << `SGDMA_CAP0_ALIGN_LOG2_LSB);
wire [31:0] cap1 = (MAX_BURST_LEN   << `SGDMA_CAP1_MAX_BURST_LEN_LSB) |
                   (MAX_OUTSTANDING << `SGDMA_CAP1_MAX_OUTSTANDING_LSB) |
                   (SEG_LOG2        << `SGDMA_CAP1_SEG_LOG2_LSB);
wire [31:0] cap2 = (SGL_MAX      << `SGDMA_CAP2_SGL_MAX_LSB) |
                   (HIDE_ENTRIES << `SGDMA_CAP2_HIDE_ENTRIES_LSB) |
                   (SG_PORT      << `SGDMA_CAP2_SG_PORT_LSB);
wire [31:0] cap3 = (DESC_PREFETCH  << `SGDMA_CAP3_DESC_PREFETCH_LSB) |
                   (DESC_BURST     << `SGDMA_CAP3_DESC_BURST_LSB) |
                   (WB_OUTSTANDING << `SGDMA_CAP3_WB_OUTSTANDING_LSB);

// ---------------------------------------------------------------------------------------------
// write channel
reg                        aw_held_q, w_held_q, bvalid_q;
reg [AXIL_ADDR_WIDTH-1:0]  aw_addr_q;
reg [31:0]                 w_data_q;
reg [3:0]                  w_strb_q;
reg [1:0]                  bresp_q;

assign s_axil_awready = !aw_held_q && !bvalid_q;
assign s_axil_wready  = !w_held_q && !bvalid_q;
// low in reset from its first cycle (the registers behind it are undefined until the first edge)
assign s_axil_bvalid  = bvalid_q && !rst;
assign s_axil_bresp   = bresp_q;

wire aw_have = aw_held_q || s_axil_awvalid;
wire w_have  = w_held_q || s_axil_wvalid;
wire do_write = aw_have && w_have && !bvalid_q;
wire [AXIL_ADDR_WIDTH-1:0] wr_addr = aw_held_q ? aw_addr_q : s_axil_awaddr;
wire [31:0] wr_data = w_held_q ? w_data_q : s_axil_wdata;
wire [3:0]  wr_strb = w_held_q ? w_strb_q : s_axil_wstrb;

wire [AXIL_ADDR_WIDTH-BLOCK_LSB-1:0] wr_block = wr_addr[AXIL_ADDR_WIDTH-1:BLOCK_LSB];
wire [5:0] wr_off = {wr_addr[5:2], 2'b00};
wire wr_ch0 = (wr_block == MM2S_BLOCK);
wire wr_ch1 = (wr_block == S2MM_BLOCK);
// writable offsets from the map's access column (generated decode, hdl/sgdma_defs.vh)
wire wr_off_writable = `SGDMA_CH_WRITABLE(wr_off);
wire wr_ok = (wr_ch0 || wr_ch1) && wr_off_writable;

assign ch_wr_en   = {do_write && wr_ok && wr_ch1, do_write && wr_ok && wr_ch0};
assign ch_wr_off  = wr_off;
assign ch_wr_data = wr_data;
assign ch_wr_strb = wr_strb;

always @(posedge clk) begin
    if (s_axil_awvalid && s_axil_awready && !do_write) begin
        aw_held_q <= 1'b1;
        aw_addr_q <= s_axil_awaddr;
    end
    if (s_axil_wvalid && s_axil_wready && !do_write) begin
        w_held_q <= 1'b1;
        w_data_q <= s_axil_wdata;
        w_strb_q <= s_axil_wstrb;
    end
    if (do_write) begin
        aw_held_q <= 1'b0;
        w_held_q  <= 1'b0;
        bvalid_q  <= 1'b1;
        bresp_q   <= wr_ok ? RESP_OKAY : RESP_SLVERR;
    end else if (s_axil_bready) begin
        bvalid_q <= 1'b0;
    end
    if (rst) begin
        aw_held_q <= 1'b0;
        w_held_q  <= 1'b0;
        bvalid_q  <= 1'b0;
        bresp_q   <= RESP_OKAY;
        aw_addr_q <= 0;
        w_data_q  <= 32'd0;
        w_strb_q  <= 4'd0;
    end
end

// ---------------------------------------------------------------------------------------------
// read channel
reg        rvalid_q;
reg [31:0] rdata_q;
reg [1:0]  rresp_q;

assign s_axil_arready = !rvalid_q;
assign s_axil_rvalid  = rvalid_q && !rst;
assign s_axil_rdata   = rdata_q;
assign s_axil_rresp   = rresp_q;

wire [AXIL_ADDR_WIDTH-BLOCK_LSB-1:0] rd_block = s_axil_araddr[AXIL_ADDR_WIDTH-1:BLOCK_LSB];
wire [5:0] rd_off = {s_axil_araddr[5:2], 2'b00};
wire [AXIL_ADDR_WIDTH-1:0] rd_word = {s_axil_araddr[AXIL_ADDR_WIDTH-1:2], 2'b00};
assign ch_rd_off = rd_off;

reg [31:0] rd_val;
reg        rd_hit;
always @* begin
    rd_val = 32'd0;
    rd_hit = 1'b0;
    if (rd_block == MM2S_BLOCK) begin
        rd_val = ch0_rd_data;
        rd_hit = ch0_rd_hit;
    end else if (rd_block == S2MM_BLOCK) begin
        rd_val = ch1_rd_data;
        rd_hit = ch1_rd_hit;
    end else if (rd_word == `SGDMA_ID) begin
        rd_val = `SGDMA_ID_VALUE;
        rd_hit = 1'b1;
    end else if (rd_word == `SGDMA_CAP0) begin
        rd_val = cap0;
        rd_hit = 1'b1;
    end else if (rd_word == `SGDMA_CAP1) begin
        rd_val = cap1;
        rd_hit = 1'b1;
    end else if (rd_word == `SGDMA_CAP2) begin
        rd_val = cap2;
        rd_hit = 1'b1;
    end else if (rd_word == `SGDMA_CAP3) begin
        rd_val = cap3;
        rd_hit = 1'b1;
    end else if (rd_word >= `SGDMA_HIDE_STATUS && rd_word <= `SGDMA_HIDE_LAST_MOD_HI) begin
        // hide unit registers
        rd_val = hide_rd_data[rd_word[4:2]*32 +: 32];
        rd_hit = 1'b1;
    end
end

always @(posedge clk) begin
    if (s_axil_arvalid && s_axil_arready) begin
        rvalid_q <= 1'b1;
        rdata_q  <= rd_val;
        rresp_q  <= rd_hit ? RESP_OKAY : RESP_SLVERR;
    end else if (s_axil_rready) begin
        rvalid_q <= 1'b0;
    end
    if (rst) begin
        rvalid_q <= 1'b0;
        rdata_q  <= 32'd0;
        rresp_q  <= RESP_OKAY;
    end
end

// AxPROT is accepted and ignored (no secure/privileged distinction in this block)
wire unused_prot = ^{s_axil_awprot, s_axil_arprot, s_axil_araddr[1:0], wr_addr[1:0]};

endmodule

`resetall
