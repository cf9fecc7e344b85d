// sgdma_mm2s: MM2S data mover (memory to AXI4-Stream).
//
// Takes one command per descriptor (address, byte length, SOF/EOF, USER, tag), reads the buffer with
// full-width INCR bursts (beat-aligned, split at MAX_BURST_LEN beats and at every 4 KiB boundary), and
// streams the bytes packed: the stream of a packet (SOF..EOF commands) is the concatenation of its
// buffers, TKEEP all ones except on the packet's last beat, TLAST on that beat, TUSER = the SOF
// command's USER on every beat. One status per command, in order, once its last byte has left.
//
// Pipeline (docs/sgdma_mm2s.md):
//   command -> burst splitter -> AR register      (first AR one cycle after the command is accepted;
//                                                  the next command is taken while the last burst of
//                                                  the current one is loaded, so ARs go back to back)
//   R -> data FIFO (FIFO_DEPTH beats)             (a burst is issued only when FIFO space for all its
//                                                  beats is reserved: rready is tied high)
//   data FIFO + command-info FIFO -> realigner -> m_axis register
//                                                 (byte rotation + accumulator of < one beat; one memory
//                                                  beat per cycle, plus one extra cycle at the end of a
//                                                  packet only when its tail bytes spill into a new beat)
//   status FIFO, released when the stream beat holding a command's last byte is accepted.
//
// Errors: SLVERR/DECERR on any R beat stops AR issue at once (an AR already presented still completes,
// as AXI requires); the realigner emits everything before the faulting beat in order, reports the
// faulting command with DATA_SLVERR/DATA_DECERR and the bytes of it that left, then halts: the stream
// stops where it is (no TLAST), remaining R beats are drained and dropped, and `idle` rises once nothing
// is outstanding and every status has been taken. Commands after the faulting one get no status.
// Abort: no new command, no new AR, outstanding R beats drained and dropped, realigner stops (a beat
// already on m_axis stays valid until taken), `idle` once nothing is outstanding; commands not yet
// completed get no status. Both states last until rst.
// AXI: every AR uses one ID (AXI_ID), so its R bursts return in AR order and never interleave with
// each other (AXI same-ID ordering); R of other IDs never reaches this port (the arbiter routes by
// RID). rready is tied high, so any R latency or gap only delays the stream.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module sgdma_mm2s #(
    parameter integer DATA_WIDTH      = 64,   // AXI and AXI4-Stream data width: 32, 64 or 128
    parameter integer ADDR_WIDTH      = 64,   // AXI address width, 32..64
    parameter integer ID_WIDTH        = 4,    // AXI ID width
    parameter integer AXI_ID          = 0,    // ARID driven by this mover
    parameter integer LEN_WIDTH       = 24,   // command length width (bytes 1 .. 2**LEN_WIDTH-1)
    parameter integer MAX_BURST_LEN   = 64,   // maximum AXI burst in beats, 1..256
    parameter integer MAX_OUTSTANDING = 4,    // bursts in flight (AR issued, R not finished)
    parameter integer FIFO_DEPTH      = 256,  // data FIFO beats, power of two >= 2*MAX_BURST_LEN
    parameter integer USER_WIDTH      = 32,   // m_axis_tuser width
    parameter integer TAG_WIDTH       = 4     // command tag width
) (
    input  wire                     clk,
    input  wire                     rst,

    // command (one per descriptor)
    input  wire                     s_cmd_valid,
    output wire                     s_cmd_ready,
    input  wire [ADDR_WIDTH-1:0]    s_cmd_addr,
    input  wire [LEN_WIDTH-1:0]     s_cmd_len,
    input  wire                     s_cmd_sof,
    input  wire                     s_cmd_eof,
    input  wire [USER_WIDTH-1:0]    s_cmd_user,
    input  wire [TAG_WIDTH-1:0]     s_cmd_tag,

    // status (one per command, in order)
    output wire                     m_sts_valid,
    input  wire                     m_sts_ready,
    output wire [TAG_WIDTH-1:0]     m_sts_tag,
    output wire [LEN_WIDTH-1:0]     m_sts_len,
    output wire [3:0]               m_sts_error,
    output wire                     m_sts_sof,
    output wire                     m_sts_eof,

    // AXI4 read master
    output wire [ID_WIDTH-1:0]      m_axi_arid,
    output wire [ADDR_WIDTH-1:0]    m_axi_araddr,
    output wire [7:0]               m_axi_arlen,
    output wire [2:0]               m_axi_arsize,
    output wire [1:0]               m_axi_arburst,
    output wire                     m_axi_arlock,
    output wire [3:0]               m_axi_arcache,
    output wire [2:0]               m_axi_arprot,
    output wire                     m_axi_arvalid,
    input  wire                     m_axi_arready,
    /* verilator lint_off UNUSEDSIGNAL */ // rid: the arbiter routes only AXI_ID here; checked by an assertion
    input  wire [ID_WIDTH-1:0]      m_axi_rid,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [DATA_WIDTH-1:0]    m_axi_rdata,
    input  wire [1:0]               m_axi_rresp,
    input  wire                     m_axi_rlast,
    input  wire                     m_axi_rvalid,
    output wire                     m_axi_rready,

    // AXI4-Stream master
    output wire [DATA_WIDTH-1:0]    m_axis_tdata,
    output wire [DATA_WIDTH/8-1:0]  m_axis_tkeep,
    output wire                     m_axis_tvalid,
    input  wire                     m_axis_tready,
    output wire                     m_axis_tlast,
    output wire [USER_WIDTH-1:0]    m_axis_tuser,

    // control and observation
    /* verilator lint_off SYMRSVDWORD */ // `abort` is the name fixed by the mover port list
    input  wire                     abort,
    /* verilator lint_on SYMRSVDWORD */
    output wire                     idle,
    output wire                     perf_beat,
    output wire                     perf_stall
);

localparam integer STRB_WIDTH   = DATA_WIDTH / 8;
localparam integer LANE_BITS    = $clog2(STRB_WIDTH);            // byte-lane index width
localparam integer CNT_WIDTH    = LANE_BITS + 1;                 // 0 .. STRB_WIDTH (and up to 2*STRB-1)
localparam integer BEATS_WIDTH  = (LEN_WIDTH + 1 > 14) ? LEN_WIDTH + 1 : 14; // beats of a command, 4 KiB math
localparam integer CREDIT_WIDTH = $clog2(FIFO_DEPTH) + 1;        // 0 .. FIFO_DEPTH
localparam integer OUTST_WIDTH  = $clog2(MAX_OUTSTANDING + 1);   // 0 .. MAX_OUTSTANDING
localparam integer CMDQ_DEPTH   = 16;                            // commands in flight (accepted, status not taken)
localparam integer CMDQ_CW      = $clog2(CMDQ_DEPTH) + 1;        // 0 .. CMDQ_DEPTH
localparam integer REL_WIDTH    = CMDQ_CW;                       // statuses released per stream beat
localparam integer DFIFO_WIDTH  = DATA_WIDTH + 2;                // rdata + rresp
localparam integer CMDI_WIDTH   = LANE_BITS + LEN_WIDTH + 2 + USER_WIDTH + TAG_WIDTH;
localparam integer STS_WIDTH    = TAG_WIDTH + LEN_WIDTH + 4 + 2;

localparam [BEATS_WIDTH-1:0]  MAX_BURST_BEATS = MAX_BURST_LEN[BEATS_WIDTH-1:0];
localparam [OUTST_WIDTH-1:0]  MAX_OUTST       = MAX_OUTSTANDING[OUTST_WIDTH-1:0];
localparam [CREDIT_WIDTH-1:0] FIFO_BEATS      = FIFO_DEPTH[CREDIT_WIDTH-1:0];
localparam [CMDQ_CW-1:0]      CMDQ_SLOTS      = CMDQ_DEPTH[CMDQ_CW-1:0];
localparam [CNT_WIDTH-1:0]    BEAT_BYTES      = STRB_WIDTH[CNT_WIDTH-1:0];
localparam [LANE_BITS+3:0]    DATA_BITS       = DATA_WIDTH[LANE_BITS+3:0];

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128) begin
        $fatal(1, "sgdma_mm2s: DATA_WIDTH (%0d) must be 32, 64 or 128", DATA_WIDTH);
    end
    if (ADDR_WIDTH < 32 || ADDR_WIDTH > 64) begin
        $fatal(1, "sgdma_mm2s: ADDR_WIDTH (%0d) must be 32..64", ADDR_WIDTH);
    end
    if (ID_WIDTH < 1 || AXI_ID < 0 || AXI_ID >= (1 << ID_WIDTH)) begin
        $fatal(1, "sgdma_mm2s: AXI_ID (%0d) does not fit ID_WIDTH (%0d)", AXI_ID, ID_WIDTH);
    end
    if (LEN_WIDTH < 8 || LEN_WIDTH > 24) begin
        $fatal(1, "sgdma_mm2s: LEN_WIDTH (%0d) must be 8..24", LEN_WIDTH);
    end
    if (MAX_BURST_LEN < 1 || MAX_BURST_LEN > 256) begin
        $fatal(1, "sgdma_mm2s: MAX_BURST_LEN (%0d) must be 1..256", MAX_BURST_LEN);
    end
    if (MAX_OUTSTANDING < 1) begin
        $fatal(1, "sgdma_mm2s: MAX_OUTSTANDING (%0d) must be >= 1", MAX_OUTSTANDING);
    end
    if ((1 << $clog2(FIFO_DEPTH)) != FIFO_DEPTH || FIFO_DEPTH < 2 * MAX_BURST_LEN) begin
        $fatal(1, "sgdma_mm2s: FIFO_DEPTH (%0d) must be a power of two >= 2*MAX_BURST_LEN", FIFO_DEPTH);
    end
    if (USER_WIDTH < 1 || TAG_WIDTH < 1) begin
        $fatal(1, "sgdma_mm2s: USER_WIDTH and TAG_WIDTH must be >= 1");
    end
end

// ------------------------------------------------------------------------------------------------
// Control state: abort and error are sticky until rst.
// ------------------------------------------------------------------------------------------------
reg abort_q;        // abort seen
reg rerr_q;         // an R beat answered SLVERR/DECERR: issue nothing more
reg halted_q;       // the realigner reached the faulting beat and stopped

wire r_beat      = m_axi_rvalid;                  // rready is always high
wire r_beat_err  = m_axi_rvalid && m_axi_rresp[1];
wire abort_now   = abort || abort_q;
// An R error stops AR issue in the same cycle, so no AR is offered after the faulting beat.
wire stop_issue  = abort_now || rerr_q || r_beat_err;

// ------------------------------------------------------------------------------------------------
// Burst splitter and AR register
// ------------------------------------------------------------------------------------------------
reg                     cmd_active_q;       // a command is being split into bursts
reg [ADDR_WIDTH-1:0]    split_addr_q;       // next burst address (beat aligned)
reg [BEATS_WIDTH-1:0]   split_beats_q;      // beats of the command not yet requested
reg                     arvalid_q;
reg [ADDR_WIDTH-1:0]    araddr_q;
reg [7:0]               arlen_q;
reg [OUTST_WIDTH-1:0]   outstanding_q;      // bursts loaded into the AR register whose R is not finished
reg [CREDIT_WIDTH-1:0]  credit_q;           // data-FIFO slots not held by a beat nor promised to a burst
reg [CMDQ_CW-1:0]       inflight_q;         // commands accepted whose status has not been taken

wire [12:0] bytes_to_4k = 13'h1000 - {1'b0, split_addr_q[11:0]};
wire [BEATS_WIDTH-1:0] beats_to_4k = {{(BEATS_WIDTH-13){1'b0}}, bytes_to_4k >> LANE_BITS};

reg [BEATS_WIDTH-1:0] burst_beats;          // beats of the next burst
always @* begin
    burst_beats = split_beats_q;
    if (burst_beats > MAX_BURST_BEATS) burst_beats = MAX_BURST_BEATS;
    if (burst_beats > beats_to_4k)     burst_beats = beats_to_4k;
end

wire burst_fits  = {{(BEATS_WIDTH-CREDIT_WIDTH){1'b0}}, credit_q} >= burst_beats;
wire ar_load     = cmd_active_q && !stop_issue && (!arvalid_q || m_axi_arready) && burst_fits &&
                   (outstanding_q < MAX_OUTST);
wire last_burst  = (split_beats_q == burst_beats);

wire cmdq_has_room = (inflight_q < CMDQ_SLOTS);
assign s_cmd_ready = !stop_issue && cmdq_has_room && (!cmd_active_q || (ar_load && last_burst));
wire cmd_accept    = s_cmd_valid && s_cmd_ready;

wire [LANE_BITS-1:0]   cmd_offset = s_cmd_addr[LANE_BITS-1:0];
wire [BEATS_WIDTH-1:0] cmd_span   = {{(BEATS_WIDTH-LEN_WIDTH){1'b0}}, s_cmd_len} +
                                    {{(BEATS_WIDTH-LANE_BITS){1'b0}}, cmd_offset} +
                                    {{(BEATS_WIDTH-CNT_WIDTH){1'b0}}, BEAT_BYTES} - 1'b1;
wire [BEATS_WIDTH-1:0] cmd_beats  = cmd_span >> LANE_BITS;

wire [ADDR_WIDTH-1:0] burst_bytes = {{(ADDR_WIDTH-BEATS_WIDTH){1'b0}}, burst_beats} << LANE_BITS;

always @(posedge clk) begin
    if (ar_load) begin
        araddr_q <= split_addr_q;
        arlen_q  <= burst_beats[7:0] - 8'd1;
    end
    if (cmd_accept) begin
        split_addr_q  <= {s_cmd_addr[ADDR_WIDTH-1:LANE_BITS], {LANE_BITS{1'b0}}};
        split_beats_q <= cmd_beats;
    end else if (ar_load) begin
        split_addr_q  <= split_addr_q + burst_bytes;
        split_beats_q <= split_beats_q - burst_beats;
    end
    if (rst) begin
        cmd_active_q  <= 1'b0;
        arvalid_q     <= 1'b0;
        split_addr_q  <= {ADDR_WIDTH{1'b0}};
        split_beats_q <= {BEATS_WIDTH{1'b0}};
        araddr_q      <= {ADDR_WIDTH{1'b0}};
        arlen_q       <= 8'd0;
    end else begin
        if (cmd_accept) begin
            cmd_active_q <= 1'b1;
        end else if (ar_load && last_burst) begin
            cmd_active_q <= 1'b0;
        end
        if (ar_load) begin
            arvalid_q <= 1'b1;
        end else if (m_axi_arready) begin
            arvalid_q <= 1'b0;
        end
    end
end

assign m_axi_arid    = AXI_ID[ID_WIDTH-1:0];
assign m_axi_araddr  = araddr_q;
assign m_axi_arlen   = arlen_q;
assign m_axi_arsize  = LANE_BITS[2:0];
assign m_axi_arburst = 2'b01;      // INCR
assign m_axi_arlock  = 1'b0;
assign m_axi_arcache = 4'b0011;
assign m_axi_arprot  = 3'b000;
// low in reset from its first cycle: an AXI4 master port (AXI A3.1.2; the mover is also used on its own)
assign m_axi_arvalid = arvalid_q && !rst;
assign m_axi_rready  = 1'b1;       // space for every beat of an issued burst is reserved

// ------------------------------------------------------------------------------------------------
// FIFOs: R data, command info (splitter -> realigner), status (realigner -> m_sts)
// ------------------------------------------------------------------------------------------------
wire [DFIFO_WIDTH-1:0] dfifo_out;
wire                   dfifo_valid;
wire                   dfifo_pop;
/* verilator lint_off UNUSEDSIGNAL */ // occupancy outputs not needed: credit_q tracks the data FIFO
wire                   dfifo_s_ready;
wire [CREDIT_WIDTH-1:0] dfifo_count, dfifo_free;
/* verilator lint_on UNUSEDSIGNAL */

sgdma_fifo #(.WIDTH(DFIFO_WIDTH), .DEPTH(FIFO_DEPTH)) data_fifo (
    .clk(clk), .rst(rst),
    .s_data({m_axi_rresp, m_axi_rdata}), .s_valid(r_beat), .s_ready(dfifo_s_ready),
    .m_data(dfifo_out), .m_valid(dfifo_valid), .m_ready(dfifo_pop),
    .count(dfifo_count), .free(dfifo_free)
);

wire [DATA_WIDTH-1:0] beat_data = dfifo_out[DATA_WIDTH-1:0];
wire                  beat_err  = dfifo_out[DATA_WIDTH+1];
wire                  beat_dec  = dfifo_out[DATA_WIDTH];

wire [CMDI_WIDTH-1:0] cmdq_out;
wire                  cmdq_valid;
wire                  cmdq_pop;
/* verilator lint_off UNUSEDSIGNAL */ // inflight_q bounds the occupancy, so ready/count are not needed
wire                  cmdq_s_ready;
wire [CMDQ_CW-1:0]    cmdq_count, cmdq_free;
/* verilator lint_on UNUSEDSIGNAL */

sgdma_fifo #(.WIDTH(CMDI_WIDTH), .DEPTH(CMDQ_DEPTH)) cmd_fifo (
    .clk(clk), .rst(rst),
    .s_data({cmd_offset, s_cmd_len, s_cmd_sof, s_cmd_eof, s_cmd_user, s_cmd_tag}),
    .s_valid(cmd_accept), .s_ready(cmdq_s_ready),
    .m_data(cmdq_out), .m_valid(cmdq_valid), .m_ready(cmdq_pop),
    .count(cmdq_count), .free(cmdq_free)
);

wire [LANE_BITS-1:0]  c_offset;
wire [LEN_WIDTH-1:0]  c_len;
wire                  c_sof, c_eof;
wire [USER_WIDTH-1:0] c_user;
wire [TAG_WIDTH-1:0]  c_tag;
assign {c_offset, c_len, c_sof, c_eof, c_user, c_tag} = cmdq_out;

wire [STS_WIDTH-1:0] stsq_in;
wire [STS_WIDTH-1:0] stsq_out;
wire                 stsq_push;
wire                 stsq_valid;
wire [CMDQ_CW-1:0]   stsq_count;
/* verilator lint_off UNUSEDSIGNAL */ // inflight_q bounds the occupancy
wire                 stsq_s_ready;
wire [CMDQ_CW-1:0]   stsq_free;
/* verilator lint_on UNUSEDSIGNAL */
reg  [CMDQ_CW-1:0]   sts_released_q;    // statuses at the head of the status FIFO whose bytes have left
wire                 sts_pop = m_sts_valid && m_sts_ready;

sgdma_fifo #(.WIDTH(STS_WIDTH), .DEPTH(CMDQ_DEPTH)) sts_fifo (
    .clk(clk), .rst(rst),
    .s_data(stsq_in), .s_valid(stsq_push), .s_ready(stsq_s_ready),
    .m_data(stsq_out), .m_valid(stsq_valid), .m_ready(sts_pop),
    .count(stsq_count), .free(stsq_free)
);

assign m_sts_valid = stsq_valid && (sts_released_q != {CMDQ_CW{1'b0}});
// Zero while not valid: the FIFO storage is not reset, so no X leaves the mover (Icarus is 4-state).
assign {m_sts_tag, m_sts_len, m_sts_error, m_sts_sof, m_sts_eof} = m_sts_valid ? stsq_out : {STS_WIDTH{1'b0}};

// ------------------------------------------------------------------------------------------------
// Realigner: memory beat (bytes from lane `src_lane`, `take` of them) rotated so that its first byte
// lands at lane acc_cnt_q, merged under the accumulator; a full beat goes out, the rest stays.
// ------------------------------------------------------------------------------------------------
reg                    first_q;          // next memory beat is the first of the head command
reg [LEN_WIDTH-1:0]    rem_q;            // bytes of the head command not yet consumed (when !first_q)
reg [DATA_WIDTH-1:0]   acc_data_q;       // accumulated bytes in lanes 0 .. acc_cnt_q-1
reg [LANE_BITS-1:0]    acc_cnt_q;
reg [REL_WIDTH-1:0]    acc_rel_q;        // statuses whose last byte sits in the accumulator
reg                    flush_q;          // the accumulator holds a packet's tail: emit it with TLAST
reg [USER_WIDTH-1:0]   pkt_user_q;       // the packet's SOF USER

reg                    tvalid_q;
reg [DATA_WIDTH-1:0]   tdata_q;
reg [STRB_WIDTH-1:0]   tkeep_q;
reg                    tlast_q;
reg [USER_WIDTH-1:0]   tuser_q;
reg [REL_WIDTH-1:0]    trel_q;           // statuses released when this beat is accepted

wire running  = !abort_now && !halted_q;
wire advance  = !tvalid_q || m_axis_tready;
wire step     = running && advance && !flush_q && dfifo_valid && cmdq_valid;
wire step_ok  = step && !beat_err;
wire step_err = step && beat_err;
wire do_flush = running && advance && flush_q;

wire [LANE_BITS-1:0] src_lane = first_q ? c_offset : {LANE_BITS{1'b0}};
wire [LEN_WIDTH-1:0] rem      = first_q ? c_len : rem_q;
wire [CNT_WIDTH-1:0] avail    = BEAT_BYTES - {1'b0, src_lane};
wire                 last_of_cmd = (rem <= {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, avail});
wire [CNT_WIDTH-1:0] take     = last_of_cmd ? rem[CNT_WIDTH-1:0] : avail;
wire [CNT_WIDTH-1:0] total    = {1'b0, acc_cnt_q} + take;       // < 2*STRB_WIDTH
wire                 total_full  = total[LANE_BITS];             // total >= STRB_WIDTH
wire                 total_exact = (total == BEAT_BYTES);
wire                 pkt_end  = last_of_cmd && c_eof;
wire                 emit     = total_full || pkt_end;
// The command's last byte is in the emitted beat (else it waits in the accumulator).
wire                 tail_out = last_of_cmd && (total_exact || (c_eof && !total_full));

wire [LANE_BITS-1:0]    rot = acc_cnt_q - src_lane;
wire [DATA_WIDTH-1:0]   rotated = (beat_data << {rot, 3'b000}) |
                                  (beat_data >> (DATA_BITS - {1'b0, rot, 3'b000}));   // rotate left by rot lanes

// lanes 0 .. n-1 (all of them for n >= STRB_WIDTH)
function automatic [STRB_WIDTH-1:0] lane_mask(input [CNT_WIDTH-1:0] n);
    begin
        lane_mask = ~({STRB_WIDTH{1'b1}} << n);
    end
endfunction

wire [STRB_WIDTH-1:0] emit_keep = total_full ? {STRB_WIDTH{1'b1}} : lane_mask(total);
wire [STRB_WIDTH-1:0] flush_keep = lane_mask({1'b0, acc_cnt_q});   // the accumulated lanes
// each lane's keep bit over its 8 data bits (per-lane assigns, not a bit loop: an event-driven
// simulator evaluates them only when a keep bit changes)
wire [DATA_WIDTH-1:0] acc_bits, emit_bits;
genvar gl;
generate
    for (gl = 0; gl < STRB_WIDTH; gl = gl + 1) begin : g_lane_bits
        assign acc_bits[gl*8 +: 8]  = {8{flush_keep[gl]}};
        assign emit_bits[gl*8 +: 8] = {8{emit_keep[gl]}};
    end
endgenerate
wire [DATA_WIDTH-1:0] merged   = (acc_data_q & acc_bits) | (rotated & ~acc_bits);
wire [USER_WIDTH-1:0] beat_user = (first_q && c_sof) ? c_user : pkt_user_q;

// Error status: bytes of the faulting command that left (consumed minus those still accumulated).
wire [LEN_WIDTH-1:0] consumed   = first_q ? {LEN_WIDTH{1'b0}} : (c_len - rem_q);
wire [LEN_WIDTH-1:0] acc_bytes  = {{(LEN_WIDTH-LANE_BITS){1'b0}}, acc_cnt_q};
wire [LEN_WIDTH-1:0] err_moved  = (consumed > acc_bytes) ? consumed - acc_bytes : {LEN_WIDTH{1'b0}};
wire [3:0]           err_code   = beat_dec ? `SGDMA_ERR_DATA_DECERR : `SGDMA_ERR_DATA_SLVERR;

assign stsq_push = step_ok ? last_of_cmd : step_err;
assign stsq_in   = step_err ? {c_tag, err_moved, err_code, c_sof, c_eof}
                            : {c_tag, c_len, `SGDMA_ERR_NONE, c_sof, c_eof};
assign cmdq_pop  = step_ok && last_of_cmd;
// Discard data once aborted or halted (draining outstanding bursts).
assign dfifo_pop = dfifo_valid && (step || !running);

wire beat_accepted = tvalid_q && m_axis_tready;

always @(posedge clk) begin
    if (step_ok) begin
        acc_data_q <= total_full ? rotated : merged;
        if (!last_of_cmd) rem_q <= rem - {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, take};
        if (first_q && c_sof) pkt_user_q <= c_user;
    end
    if (step_ok && emit) begin
        tdata_q <= merged & emit_bits;
        tkeep_q <= emit_keep;
        tlast_q <= pkt_end && !(total_full && !total_exact);
        tuser_q <= beat_user;
    end else if (do_flush) begin
        tdata_q <= acc_data_q & acc_bits;
        tkeep_q <= flush_keep;
        tlast_q <= 1'b1;
        tuser_q <= pkt_user_q;
    end
    if (rst) begin
        first_q        <= 1'b1;
        rem_q          <= {LEN_WIDTH{1'b0}};
        acc_data_q     <= {DATA_WIDTH{1'b0}};
        acc_cnt_q      <= {LANE_BITS{1'b0}};
        acc_rel_q      <= {REL_WIDTH{1'b0}};
        flush_q        <= 1'b0;
        pkt_user_q     <= {USER_WIDTH{1'b0}};
        tvalid_q       <= 1'b0;
        tdata_q        <= {DATA_WIDTH{1'b0}};
        tkeep_q        <= {STRB_WIDTH{1'b0}};
        tlast_q        <= 1'b0;
        tuser_q        <= {USER_WIDTH{1'b0}};
        trel_q         <= {REL_WIDTH{1'b0}};
        sts_released_q <= {CMDQ_CW{1'b0}};
    end else begin
        if (step_ok) begin
            first_q <= last_of_cmd;
            // A packet's tail longer than what completes the current beat is flushed next cycle.
            flush_q <= pkt_end && total_full && !total_exact;
            acc_cnt_q <= (pkt_end && !(total_full && !total_exact)) ? {LANE_BITS{1'b0}} : total[LANE_BITS-1:0];
            if (emit) begin
                acc_rel_q <= (last_of_cmd && !tail_out) ? {{(REL_WIDTH-1){1'b0}}, 1'b1} : {REL_WIDTH{1'b0}};
            end else begin
                acc_rel_q <= acc_rel_q + {{(REL_WIDTH-1){1'b0}}, last_of_cmd};
            end
        end else if (do_flush) begin
            flush_q   <= 1'b0;
            acc_cnt_q <= {LANE_BITS{1'b0}};
            acc_rel_q <= {REL_WIDTH{1'b0}};
        end else if (step_err) begin
            acc_rel_q <= {REL_WIDTH{1'b0}};
        end

        if ((step_ok && emit) || do_flush) begin
            tvalid_q <= 1'b1;
            trel_q   <= do_flush ? acc_rel_q : acc_rel_q + {{(REL_WIDTH-1){1'b0}}, tail_out};
        end else if (m_axis_tready) begin
            tvalid_q <= 1'b0;
            trel_q   <= {REL_WIDTH{1'b0}};
        end

        // On the faulting beat every queued status is released (the stream stops there).
        if (step_err) begin
            sts_released_q <= stsq_count + 1'b1 - {{(CMDQ_CW-1){1'b0}}, sts_pop};
        end else if (!halted_q) begin
            sts_released_q <= sts_released_q + (beat_accepted ? trel_q : {REL_WIDTH{1'b0}})
                              - {{(CMDQ_CW-1){1'b0}}, sts_pop};
        end else begin
            sts_released_q <= sts_released_q - {{(CMDQ_CW-1){1'b0}}, sts_pop};
        end
    end
end

assign m_axis_tdata  = tdata_q;
assign m_axis_tkeep  = tkeep_q;
// low in reset from its first cycle (the registers behind it are undefined until the first edge)
assign m_axis_tvalid = tvalid_q && !rst;
assign m_axis_tlast  = tlast_q;
assign m_axis_tuser  = tuser_q;

// ------------------------------------------------------------------------------------------------
// Counters and sticky control
// ------------------------------------------------------------------------------------------------
wire [CREDIT_WIDTH-1:0] credit_taken = ar_load ? burst_beats[CREDIT_WIDTH-1:0] : {CREDIT_WIDTH{1'b0}};

always @(posedge clk) begin
    if (rst) begin
        abort_q       <= 1'b0;
        rerr_q        <= 1'b0;
        halted_q      <= 1'b0;
        outstanding_q <= {OUTST_WIDTH{1'b0}};
        credit_q      <= FIFO_BEATS;
        inflight_q    <= {CMDQ_CW{1'b0}};
    end else begin
        if (abort) abort_q <= 1'b1;
        if (r_beat_err) rerr_q <= 1'b1;
        if (step_err) halted_q <= 1'b1;
        outstanding_q <= outstanding_q + {{(OUTST_WIDTH-1){1'b0}}, ar_load}
                                       - {{(OUTST_WIDTH-1){1'b0}}, (r_beat && m_axi_rlast)};
        credit_q <= credit_q - credit_taken + {{(CREDIT_WIDTH-1){1'b0}}, dfifo_pop};
        inflight_q <= inflight_q + {{(CMDQ_CW-1){1'b0}}, cmd_accept} - {{(CMDQ_CW-1){1'b0}}, sts_pop};
    end
end

wire bus_quiet = (outstanding_q == {OUTST_WIDTH{1'b0}});
assign idle = bus_quiet && (abort_q ? 1'b1 :
                            halted_q ? (stsq_count == {CMDQ_CW{1'b0}}) :
                            (inflight_q == {CMDQ_CW{1'b0}}));
assign perf_beat  = r_beat;
assign perf_stall = tvalid_q && !m_axis_tready;

// ------------------------------------------------------------------------------------------------
// Internal invariants (the simulation runner defines SGDMA_ASSERTIONS)
// ------------------------------------------------------------------------------------------------
`ifdef SGDMA_ASSERTIONS
always @(posedge clk) begin
    if (!rst) begin
        if (m_axi_rvalid && m_axi_rid != AXI_ID[ID_WIDTH-1:0]) begin
            $fatal(1, "sgdma_mm2s: R beat with RID %0d, expected %0d", m_axi_rid, AXI_ID);
        end
        if (m_axi_rvalid && outstanding_q == {OUTST_WIDTH{1'b0}}) begin
            $fatal(1, "sgdma_mm2s: R beat with no burst outstanding");
        end
        if (m_axi_rvalid && !dfifo_s_ready) begin
            $fatal(1, "sgdma_mm2s: data FIFO overflow (credit accounting broken)");
        end
        if (credit_q > FIFO_BEATS) begin
            $fatal(1, "sgdma_mm2s: credit %0d above FIFO_DEPTH", credit_q);
        end
        if (running && dfifo_valid && !cmdq_valid && !flush_q) begin
            $fatal(1, "sgdma_mm2s: data beat without a command");
        end
        if (step_ok && first_q && c_sof && (acc_cnt_q != {LANE_BITS{1'b0}})) begin
            $fatal(1, "sgdma_mm2s: SOF command while the previous packet has bytes pending (missing EOF)");
        end
        if (tvalid_q && tkeep_q == {STRB_WIDTH{1'b0}}) begin
            $fatal(1, "sgdma_mm2s: stream beat with TKEEP 0");
        end
        if (cmd_accept && s_cmd_len == {LEN_WIDTH{1'b0}}) begin
            $fatal(1, "sgdma_mm2s: zero-length command (the engine must refuse it)");
        end
        if (cmd_accept && !cmdq_s_ready) begin
            $fatal(1, "sgdma_mm2s: command FIFO overflow");
        end
        if (stsq_push && !stsq_s_ready) begin
            $fatal(1, "sgdma_mm2s: status FIFO overflow");
        end
        if (sts_released_q > stsq_count) begin
            $fatal(1, "sgdma_mm2s: more statuses released than queued");
        end
    end
end
`endif

endmodule

`resetall
