// sgdma_s2mm: S2MM data mover (AXI4-Stream to memory).
//
// Takes one command per descriptor (address, byte length, SOF/EOF, tag) and writes the stream packet
// into the packet's buffers (commands SOF..EOF) in order, each buffer at its own start address: bytes
// are realigned at every command boundary and only the buffer's bytes are strobed. One status per
// command, in command order, once every write response of its bursts has returned.
//
// Pipeline (docs/sgdma_s2mm.md):
//   command FIFO -> realigner (byte rotation + accumulator of < one beat; one stream beat per cycle,
//                   one extra cycle only when a buffer's tail spills into a new memory beat)
//                -> data FIFO (FIFO_DEPTH beats of WDATA/WSTRB, already laid out as memory beats)
//                -> burst planner -> AW register (a burst is issued only when all of its beats are in
//                   the data FIFO, so W never waits for the stream and never carries padding beats)
//                -> W (one beat per cycle from the data FIFO, bursts back to back)
//                -> B (per-burst FIFO: tag, last-of-command) -> status register.
//   Realigner -> planner: plan FIFO (address, planned beats, tag) pushed when a command starts, done
//   FIFO (beats and bytes actually written, RXSOF/RXEOF, OVERFLOW) pushed when it ends.
//
// Stream: a byte sequence; the bytes of a beat are TKEEP's leading ones from lane 0 (lanes after the
// first zero are ignored). A beat without bytes and without TLAST is consumed and ignored.
// TLAST ends the packet: its buffer completes with the actual length and RXEOF, the packet's
// remaining commands up to EOF complete with length 0 and no bus traffic. More bytes than the
// buffers: the EOF buffer's data is written and it completes with OVERFLOW; the rest of the packet
// is consumed and dropped up to TLAST; then the mover stops (until rst).
// SLVERR/DECERR on B: no new AW, the outstanding bursts are completed and drained, statuses of the
// commands completed before are given, then the faulting command's status (DATA_SLVERR/DATA_DECERR,
// length 0), then nothing more. Abort: no new command, no new AW, issued bursts completed (their data
// is always buffered), B drained; completed commands still report. Both last until rst. Commands
// queued but not started when the mover stops are dropped without status.
// AXI: every AW uses one ID (AXI_ID), so its B responses return in AW order (AXI same-ID ordering),
// which the per-burst B FIFO relies on; W is offered as soon as a burst is issued (the AW register is
// loaded in the same cycle), never waiting for AWREADY.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "sgdma_defs.vh"

module sgdma_s2mm #(
    parameter integer DATA_WIDTH      = 64,   // AXI and AXI4-Stream data width: 32, 64 or 128
    parameter integer ADDR_WIDTH      = 64,   // AXI address width, 32..64
    parameter integer ID_WIDTH        = 4,    // AXI ID width
    parameter integer AXI_ID          = 0,    // AWID driven by this mover
    parameter integer LEN_WIDTH       = 24,   // command length width (bytes 1 .. 2**LEN_WIDTH-1)
    parameter integer MAX_BURST_LEN   = 64,   // maximum AXI burst in beats, 1..256
    parameter integer MAX_OUTSTANDING = 4,    // bursts in flight (AW issued, B not yet returned)
    parameter integer FIFO_DEPTH      = 256,  // data FIFO beats, power of two >= 2*MAX_BURST_LEN
    parameter integer USER_WIDTH      = 32,   // s_cmd_user width (unused by S2MM)
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

    // status (one per command, in order); sof = RXSOF, eof = RXEOF
    output wire                     m_sts_valid,
    input  wire                     m_sts_ready,
    output wire [TAG_WIDTH-1:0]     m_sts_tag,
    output wire [LEN_WIDTH-1:0]     m_sts_len,
    output wire [3:0]               m_sts_error,
    output wire                     m_sts_sof,
    output wire                     m_sts_eof,

    // AXI4 write master
    output wire [ID_WIDTH-1:0]      m_axi_awid,
    output wire [ADDR_WIDTH-1:0]    m_axi_awaddr,
    output wire [7:0]               m_axi_awlen,
    output wire [2:0]               m_axi_awsize,
    output wire [1:0]               m_axi_awburst,
    output wire                     m_axi_awlock,
    output wire [3:0]               m_axi_awcache,
    output wire [2:0]               m_axi_awprot,
    output wire                     m_axi_awvalid,
    input  wire                     m_axi_awready,
    output wire [DATA_WIDTH-1:0]    m_axi_wdata,
    output wire [DATA_WIDTH/8-1:0]  m_axi_wstrb,
    output wire                     m_axi_wlast,
    output wire                     m_axi_wvalid,
    input  wire                     m_axi_wready,
    input  wire [ID_WIDTH-1:0]      m_axi_bid,
    input  wire [1:0]               m_axi_bresp,
    input  wire                     m_axi_bvalid,
    output wire                     m_axi_bready,

    // AXI4-Stream slave
    input  wire [DATA_WIDTH-1:0]    s_axis_tdata,
    input  wire [DATA_WIDTH/8-1:0]  s_axis_tkeep,
    input  wire                     s_axis_tvalid,
    output wire                     s_axis_tready,
    input  wire                     s_axis_tlast,

    // control and observation
    /* verilator lint_off SYMRSVDWORD */ // `abort` is the fixed mover port name; no C++ clash in practice
    input  wire                     abort,
    /* verilator lint_on SYMRSVDWORD */
    output wire                     idle,
    output wire                     perf_beat,
    output wire                     perf_stall
);

localparam integer STRB_WIDTH  = DATA_WIDTH / 8;
localparam integer BYTE_LOG2   = $clog2(STRB_WIDTH);      // address bits inside a beat
localparam integer CNT_WIDTH   = BYTE_LOG2 + 1;           // a byte count 0..STRB_WIDTH
localparam integer DCNT_WIDTH  = $clog2(FIFO_DEPTH) + 1;  // data FIFO occupancy
// beat counters (a buffer's beats, data FIFO beats, a burst): wider than every count they compare with
localparam integer BEATS_WIDTH = (LEN_WIDTH + 2 > DCNT_WIDTH + 1) ?
                                 ((LEN_WIDTH + 2 > 14) ? LEN_WIDTH + 2 : 14) :
                                 ((DCNT_WIDTH + 1 > 14) ? DCNT_WIDTH + 1 : 14);
localparam integer PAGE_WIDTH  = 13 - BYTE_LOG2;          // 0..beats per 4 KiB page
localparam integer PAGE_BEATS  = 4096 / STRB_WIDTH;
localparam integer QUEUE_DEPTH = 8;                       // commands between realigner, planner, status
localparam integer CMD_DEPTH   = 4;                       // commands accepted ahead of the realigner
localparam integer OUT_DEPTH   = (MAX_OUTSTANDING <= 2) ? 2 : (1 << $clog2(MAX_OUTSTANDING));
localparam integer OUT_WIDTH   = $clog2(MAX_OUTSTANDING + 1);
localparam integer BRES_WIDTH  = $clog2(QUEUE_DEPTH + 2) + 1;

localparam [CNT_WIDTH-1:0]   STRB_CNT    = STRB_WIDTH[CNT_WIDTH-1:0];
localparam [LEN_WIDTH:0]     STRB_M1     = STRB_WIDTH[LEN_WIDTH:0] - 1'b1;
localparam [PAGE_WIDTH-1:0]  PAGE_BEATS_W = PAGE_BEATS[PAGE_WIDTH-1:0];
localparam [BEATS_WIDTH-1:0] MAX_BURST_W = MAX_BURST_LEN[BEATS_WIDTH-1:0];
localparam [OUT_WIDTH-1:0]   MAX_OUT_W   = MAX_OUTSTANDING[OUT_WIDTH-1:0];
localparam integer           BRES_LIMIT  = QUEUE_DEPTH + 2;  // > commands that can await status
localparam [BRES_WIDTH-1:0]  BRES_MAX    = BRES_LIMIT[BRES_WIDTH-1:0];

initial begin
    if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128)
        $fatal(1, "sgdma_s2mm: DATA_WIDTH (%0d) must be 32, 64 or 128", DATA_WIDTH);
    if (ADDR_WIDTH < 32 || ADDR_WIDTH > 64)
        $fatal(1, "sgdma_s2mm: ADDR_WIDTH (%0d) must be 32..64", ADDR_WIDTH);
    if (ID_WIDTH < 2 || AXI_ID < 0 || AXI_ID >= (1 << ID_WIDTH))
        $fatal(1, "sgdma_s2mm: ID_WIDTH (%0d) must be >= 2 and hold AXI_ID (%0d)", ID_WIDTH, AXI_ID);
    if (LEN_WIDTH < 8 || LEN_WIDTH > 24)
        $fatal(1, "sgdma_s2mm: LEN_WIDTH (%0d) must be 8..24", LEN_WIDTH);
    if (MAX_BURST_LEN < 1 || MAX_BURST_LEN > 256)
        $fatal(1, "sgdma_s2mm: MAX_BURST_LEN (%0d) must be 1..256", MAX_BURST_LEN);
    if (MAX_OUTSTANDING < 1)
        $fatal(1, "sgdma_s2mm: MAX_OUTSTANDING (%0d) must be >= 1", MAX_OUTSTANDING);
    if (FIFO_DEPTH < 2 * MAX_BURST_LEN || (1 << $clog2(FIFO_DEPTH)) != FIFO_DEPTH)
        $fatal(1, "sgdma_s2mm: FIFO_DEPTH (%0d) must be a power of two >= 2*MAX_BURST_LEN", FIFO_DEPTH);
    if (TAG_WIDTH < 1)
        $fatal(1, "sgdma_s2mm: TAG_WIDTH (%0d) must be >= 1", TAG_WIDTH);
end

// ---------------------------------------------------------------------------------------------
// Stop conditions (all last until rst)
// ---------------------------------------------------------------------------------------------
reg abort_q;        // abort seen
reg berr_q;         // SLVERR/DECERR seen on B
reg drop_q;         // overflow: dropping the rest of the stream packet up to TLAST
reg ovf_stop_q;     // overflow handled: realigner stopped
wire b_fault;       // an error response is accepted this cycle
// the abort input and a faulting B act in their own cycle, so nothing is issued after either
wire stop_input = abort || abort_q || berr_q || ovf_stop_q || drop_q;  // no new command, no stream bytes
wire stop_bus   = abort || abort_q || berr_q || b_fault;                // no new AW

// ---------------------------------------------------------------------------------------------
// Command FIFO
// ---------------------------------------------------------------------------------------------
localparam integer CMD_BITS = ADDR_WIDTH + LEN_WIDTH + 2 + TAG_WIDTH;
wire                  cmd_fifo_ready;
wire [CMD_BITS-1:0]   cmd_head;
wire                  cmd_valid;
wire                  cmd_pop;
wire [ADDR_WIDTH-1:0] cmd_addr;
wire [LEN_WIDTH-1:0]  cmd_len;
wire                  cmd_sof, cmd_eof;
wire [TAG_WIDTH-1:0]  cmd_tag;
wire [$clog2(CMD_DEPTH):0] cmd_count_unused, cmd_free_unused;

assign s_cmd_ready = cmd_fifo_ready && !stop_input;
assign {cmd_addr, cmd_len, cmd_sof, cmd_eof, cmd_tag} = cmd_head;

sgdma_fifo #(.WIDTH(CMD_BITS), .DEPTH(CMD_DEPTH)) cmd_fifo (
    .clk(clk), .rst(rst),
    .s_data({s_cmd_addr, s_cmd_len, s_cmd_sof, s_cmd_eof, s_cmd_tag}),
    .s_valid(s_cmd_valid && s_cmd_ready), .s_ready(cmd_fifo_ready),
    .m_data(cmd_head), .m_valid(cmd_valid), .m_ready(cmd_pop),
    .count(cmd_count_unused), .free(cmd_free_unused)
);

// ---------------------------------------------------------------------------------------------
// Realigner: stream bytes -> memory beats of the current buffer
// ---------------------------------------------------------------------------------------------
reg                   cur_valid_q;      // a command is loaded
reg [LEN_WIDTH-1:0]   cur_len_q;        // its length
reg [LEN_WIDTH-1:0]   cur_rem_q;        // bytes still to fill
reg                   cur_sof_q, cur_eof_q;
reg [BEATS_WIDTH-1:0] cur_beats_q;      // memory beats pushed for it
reg [DATA_WIDTH-1:0]  acc_data_q;       // partial memory beat (lanes below acc_pos_q)
reg [STRB_WIDTH-1:0]  acc_strb_q;
reg [BYTE_LOG2-1:0]   acc_pos_q;        // lane of the next byte
reg [BYTE_LOG2-1:0]   in_off_q;         // bytes of the current stream beat already used
reg                   flush_q;          // acc holds the buffer's final beat: push it next cycle
reg                   flush_wait_q;     // ... then wait for the overflow verdict instead of finishing
reg                   fin_rxeof_q;      // completion fields saved for the flush cycle
reg                   fin_ovf_q;
reg                   drop_pending_q;   // overflow found in a spilling beat without TLAST: drop next
reg                   eofwait_q;        // EOF buffer full, no TLAST yet: next beat decides OVERFLOW
reg                   zero_q;           // TLAST seen: the packet's remaining commands complete empty

// stream beat: bytes are TKEEP's leading ones
reg [CNT_WIDTH-1:0] in_bytes;
reg                 keep_gap;
integer i;
always @* begin
    in_bytes = {CNT_WIDTH{1'b0}};
    keep_gap = 1'b0;
    for (i = 0; i < STRB_WIDTH; i = i + 1) begin
        if (!s_axis_tkeep[i]) keep_gap = 1'b1;
        if (!keep_gap) in_bytes = in_bytes + 1'b1;
    end
end

wire [CNT_WIDTH-1:0] in_off_w = {1'b0, in_off_q};
wire [CNT_WIDTH-1:0] in_avail = (in_bytes > in_off_w) ? in_bytes - in_off_w : {CNT_WIDTH{1'b0}};
wire [LEN_WIDTH-1:0] in_avail_l = {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, in_avail};
wire                 rem_le_avail = (cur_rem_q <= in_avail_l);
wire [CNT_WIDTH-1:0] take = rem_le_avail ? cur_rem_q[CNT_WIDTH-1:0] : in_avail;
wire [LEN_WIDTH-1:0] rem_next = cur_rem_q - {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, take};

// input byte (in_off + j) goes to lane (acc_pos + j) mod STRB_WIDTH
wire [BYTE_LOG2-1:0]    rot = acc_pos_q - in_off_q;
wire [2*DATA_WIDTH-1:0] rot_dbl = {s_axis_tdata, s_axis_tdata} << {rot, 3'b000};
wire [DATA_WIDTH-1:0]   rot_data = rot_dbl[2*DATA_WIDTH-1:DATA_WIDTH];
wire [2*STRB_WIDTH-1:0] take_ones = ~({(2*STRB_WIDTH){1'b1}} << take);
wire [2*STRB_WIDTH-1:0] take_mask = take_ones << acc_pos_q;
wire [STRB_WIDTH-1:0]   cur_mask  = take_mask[STRB_WIDTH-1:0];     // lanes of this memory beat
wire [STRB_WIDTH-1:0]   next_mask = take_mask[2*STRB_WIDTH-1:STRB_WIDTH];  // spill into the next
wire [CNT_WIDTH:0]      pos_sum   = {2'b00, acc_pos_q} + {1'b0, take};
wire                    beat_fills = (pos_sum >= {1'b0, STRB_CNT});
wire                    beat_spills = (pos_sum > {1'b0, STRB_CNT});
wire [BYTE_LOG2-1:0]    pos_next  = pos_sum[BYTE_LOG2-1:0];

// per-lane assigns, not a loop in an always block: an event-driven simulator then evaluates only the
// lanes whose inputs changed
wire [DATA_WIDTH-1:0] beat_data;     // acc merged with this cycle's bytes
wire [DATA_WIDTH-1:0] spill_data;    // bytes spilling into the next beat (others zero)
genvar gl;
generate
    for (gl = 0; gl < STRB_WIDTH; gl = gl + 1) begin : g_lane
        assign beat_data[gl*8 +: 8]  = cur_mask[gl] ? rot_data[gl*8 +: 8] : acc_data_q[gl*8 +: 8];
        assign spill_data[gl*8 +: 8] = next_mask[gl] ? rot_data[gl*8 +: 8] : 8'h00;
    end
endgenerate
wire [STRB_WIDTH-1:0] beat_strb = acc_strb_q | cur_mask;

// downstream room: a step pushes at most one data beat and one done entry
wire data_ready, done_ready, plan_ready;
wire step_ok = cur_valid_q && !stop_input && data_ready && done_ready;

// what this cycle does. The block below decides only; the data words are selected outside it (push_data,
// acc_data_q's load), so a new stream word does not re-run the whole block with its 128-bit copies.
localparam [1:0] ACC_KEEP = 2'd0, ACC_SPILL = 2'd1, ACC_BEAT = 2'd2;
reg                   push_beat;        // push a memory beat to the data FIFO
reg                   push_acc;         // ... the accumulator (else beat_data)
reg [STRB_WIDTH-1:0]  push_strb;
reg                   finish;           // the command completes (done entry)
reg                   fin_rxeof, fin_ovf;
reg [LEN_WIDTH-1:0]   fin_rem;          // bytes left unfilled at completion
reg                   consume;          // stream beat accepted
reg                   go_drop, go_stop;
// next state of the realigner registers (when a step happens)
reg [LEN_WIDTH-1:0]   rem_d;
reg [1:0]             acc_sel;          // acc_data_q next: ACC_KEEP, ACC_SPILL or ACC_BEAT
reg [STRB_WIDTH-1:0]  acc_strb_d;
reg [BYTE_LOG2-1:0]   acc_pos_d;
reg [BYTE_LOG2-1:0]   in_off_d;
reg                   flush_d, flush_wait_d, fin_rxeof_d, fin_ovf_d, eofwait_d, zero_d;
reg                   buffer_full, beat_done, pkt_end;

always @* begin
    push_beat = 1'b0;
    push_acc = 1'b0;
    push_strb = beat_strb;
    finish = 1'b0;
    fin_rxeof = 1'b0;
    fin_ovf = 1'b0;
    fin_rem = cur_rem_q;
    consume = 1'b0;
    go_drop = 1'b0;
    go_stop = 1'b0;
    rem_d = cur_rem_q;
    acc_sel = ACC_KEEP;
    acc_strb_d = acc_strb_q;
    acc_pos_d = acc_pos_q;
    in_off_d = in_off_q;
    flush_d = flush_q;
    flush_wait_d = flush_wait_q;
    fin_rxeof_d = fin_rxeof_q;
    fin_ovf_d = fin_ovf_q;
    eofwait_d = eofwait_q;
    zero_d = zero_q;
    buffer_full = (take == cur_rem_q[CNT_WIDTH-1:0]) && rem_le_avail;
    beat_done = (take == in_avail);
    pkt_end = s_axis_tlast && beat_done;

    if (drop_q && !abort && !abort_q && !berr_q) begin
        // overflow: swallow the rest of the packet
        consume = s_axis_tvalid;
        go_stop = s_axis_tvalid && s_axis_tlast;
    end else if (step_ok) begin
        if (flush_q) begin
            // the buffer's final beat, left over from a beat that filled and spilled
            push_beat = 1'b1;
            push_acc = 1'b1;
            push_strb = acc_strb_q;
            flush_d = 1'b0;
            if (flush_wait_q) begin
                eofwait_d = 1'b1;
            end else begin
                finish = 1'b1;
                fin_rxeof = fin_rxeof_q;
                fin_ovf = fin_ovf_q;
                go_drop = fin_ovf_q && drop_pending_q;
                go_stop = fin_ovf_q && !drop_pending_q;
            end
        end else if (zero_q) begin
            // TLAST already seen: this buffer of the packet gets nothing
            finish = 1'b1;
            zero_d = !cur_eof_q;
        end else if (eofwait_q) begin
            // EOF buffer exactly full: a further byte is an overflow, a bare TLAST is not
            if (s_axis_tvalid) begin
                consume = 1'b1;
                if (in_avail == {CNT_WIDTH{1'b0}}) begin
                    if (s_axis_tlast) begin
                        finish = 1'b1;
                        fin_rxeof = 1'b1;
                        eofwait_d = 1'b0;
                    end
                end else begin
                    finish = 1'b1;
                    fin_ovf = 1'b1;
                    eofwait_d = 1'b0;
                    go_drop = !s_axis_tlast;
                    go_stop = s_axis_tlast;
                end
            end
        end else if (s_axis_tvalid) begin
            rem_d = rem_next;
            fin_rem = rem_next;
            if (!buffer_full && !pkt_end) begin
                // middle of the buffer: the whole beat is used
                consume = 1'b1;
                in_off_d = {BYTE_LOG2{1'b0}};
                acc_pos_d = pos_next;
                if (beat_fills) begin
                    push_beat = 1'b1;
                    acc_sel = ACC_SPILL;
                    acc_strb_d = next_mask;
                end else begin
                    acc_sel = ACC_BEAT;
                    acc_strb_d = beat_strb;
                end
            end else begin
                // the buffer ends here: full, or TLAST
                if (pkt_end || beat_done) begin
                    consume = 1'b1;
                    in_off_d = {BYTE_LOG2{1'b0}};
                end else if (cur_eof_q) begin
                    // more bytes in this beat than the packet's buffers hold
                    consume = 1'b1;
                    in_off_d = {BYTE_LOG2{1'b0}};
                end else begin
                    in_off_d = in_off_q + take[BYTE_LOG2-1:0];
                end
                if (pkt_end && !cur_eof_q) zero_d = 1'b1;
                if (beat_spills) begin
                    // a full beat now, the tail next cycle
                    push_beat = 1'b1;
                    acc_sel = ACC_SPILL;
                    acc_strb_d = next_mask;
                    acc_pos_d = pos_next;
                    flush_d = 1'b1;
                    flush_wait_d = cur_eof_q && !pkt_end && beat_done;
                    fin_rxeof_d = pkt_end;
                    fin_ovf_d = cur_eof_q && !pkt_end && !beat_done;
                end else begin
                    push_beat = (beat_strb != {STRB_WIDTH{1'b0}});
                    acc_strb_d = {STRB_WIDTH{1'b0}};
                    acc_pos_d = pos_next;
                    if (cur_eof_q && !pkt_end && beat_done) begin
                        eofwait_d = 1'b1;
                    end else begin
                        finish = 1'b1;
                        fin_rxeof = pkt_end;
                        fin_ovf = cur_eof_q && !pkt_end;
                        go_drop = fin_ovf && !s_axis_tlast;
                        go_stop = fin_ovf && s_axis_tlast;
                    end
                end
            end
        end
    end
end

// command load: when nothing is loaded or the current one finishes this cycle
wire load = cmd_valid && plan_ready && !stop_input && !go_drop && !go_stop &&
            (!cur_valid_q || finish);
assign cmd_pop = load;

wire [LEN_WIDTH:0] cmd_span = {1'b0, cmd_len} + {{(LEN_WIDTH+1-BYTE_LOG2){1'b0}}, cmd_addr[BYTE_LOG2-1:0]} +
                              STRB_M1;
wire [LEN_WIDTH:0]     cmd_span_beats = cmd_span >> BYTE_LOG2;
wire [BEATS_WIDTH-1:0] cmd_beats = {{(BEATS_WIDTH-LEN_WIDTH-1){1'b0}}, cmd_span_beats};

assign s_axis_tready = consume;

always @(posedge clk) begin
    if (rst) begin
        cur_valid_q <= 1'b0;
        cur_len_q <= {LEN_WIDTH{1'b0}};
        cur_rem_q <= {LEN_WIDTH{1'b0}};
        cur_sof_q <= 1'b0;
        cur_eof_q <= 1'b0;
        cur_beats_q <= {BEATS_WIDTH{1'b0}};
        acc_data_q <= {DATA_WIDTH{1'b0}};
        acc_strb_q <= {STRB_WIDTH{1'b0}};
        acc_pos_q <= {BYTE_LOG2{1'b0}};
        in_off_q <= {BYTE_LOG2{1'b0}};
        flush_q <= 1'b0;
        flush_wait_q <= 1'b0;
        fin_rxeof_q <= 1'b0;
        fin_ovf_q <= 1'b0;
        drop_pending_q <= 1'b0;
        eofwait_q <= 1'b0;
        zero_q <= 1'b0;
        drop_q <= 1'b0;
        ovf_stop_q <= 1'b0;
    end else begin
        if (go_drop) drop_q <= 1'b1;
        if (go_stop) begin
            drop_q <= 1'b0;
            ovf_stop_q <= 1'b1;
        end
        if (step_ok && !drop_q) begin
            cur_rem_q <= rem_d;
            if (acc_sel == ACC_SPILL) acc_data_q <= spill_data;
            else if (acc_sel == ACC_BEAT) acc_data_q <= beat_data;
            acc_strb_q <= acc_strb_d;
            acc_pos_q <= acc_pos_d;
            in_off_q <= in_off_d;
            flush_q <= flush_d;
            flush_wait_q <= flush_wait_d;
            fin_rxeof_q <= fin_rxeof_d;
            fin_ovf_q <= fin_ovf_d;
            if (flush_d && !flush_q) drop_pending_q <= !s_axis_tlast;
            eofwait_q <= eofwait_d;
            zero_q <= zero_d;
            if (push_beat) cur_beats_q <= cur_beats_q + 1'b1;
            if (finish) cur_valid_q <= 1'b0;
        end
        if (load) begin
            cur_valid_q <= 1'b1;
            cur_len_q <= cmd_len;
            cur_rem_q <= cmd_len;
            cur_sof_q <= cmd_sof;
            cur_eof_q <= cmd_eof;
            cur_beats_q <= {BEATS_WIDTH{1'b0}};
            acc_strb_q <= {STRB_WIDTH{1'b0}};
            acc_pos_q <= cmd_addr[BYTE_LOG2-1:0];
            flush_q <= 1'b0;
            flush_wait_q <= 1'b0;
            eofwait_q <= 1'b0;
        end
    end
end

// ---------------------------------------------------------------------------------------------
// Data FIFO (memory beats) and the plan/done queues
// ---------------------------------------------------------------------------------------------
wire [DATA_WIDTH+STRB_WIDTH-1:0] data_head;
wire                             data_valid;
wire                             data_pop;
wire [DCNT_WIDTH-1:0]            data_count, data_free_unused;
wire                             data_push = push_beat && step_ok;
wire [DATA_WIDTH-1:0]            push_data = push_acc ? acc_data_q : beat_data;

sgdma_fifo #(.WIDTH(DATA_WIDTH + STRB_WIDTH), .DEPTH(FIFO_DEPTH)) data_fifo (
    .clk(clk), .rst(rst),
    .s_data({push_data, push_strb}), .s_valid(data_push), .s_ready(data_ready),
    .m_data(data_head), .m_valid(data_valid), .m_ready(data_pop),
    .count(data_count), .free(data_free_unused)
);

localparam integer PLAN_BITS = ADDR_WIDTH + BEATS_WIDTH + TAG_WIDTH;
wire [PLAN_BITS-1:0]   plan_head;
wire                   plan_valid, plan_pop;
wire [ADDR_WIDTH-1:0]  plan_addr;
wire [BEATS_WIDTH-1:0] plan_beats;
wire [TAG_WIDTH-1:0]   plan_tag;
wire [$clog2(QUEUE_DEPTH):0] plan_count_unused, plan_free_unused;
assign {plan_addr, plan_beats, plan_tag} = plan_head;

sgdma_fifo #(.WIDTH(PLAN_BITS), .DEPTH(QUEUE_DEPTH)) plan_fifo (
    .clk(clk), .rst(rst),
    .s_data({cmd_addr, cmd_beats, cmd_tag}), .s_valid(load), .s_ready(plan_ready),
    .m_data(plan_head), .m_valid(plan_valid), .m_ready(plan_pop),
    .count(plan_count_unused), .free(plan_free_unused)
);

wire [LEN_WIDTH-1:0]   fin_bytes = cur_len_q - fin_rem;
wire [BEATS_WIDTH-1:0] fin_beats = cur_beats_q + {{(BEATS_WIDTH-1){1'b0}}, push_beat};
wire                   fin_rxsof = cur_sof_q && (fin_bytes != {LEN_WIDTH{1'b0}});
wire                   done_push = finish && step_ok;

localparam integer DONE_BITS = BEATS_WIDTH + LEN_WIDTH + 3;
wire [DONE_BITS-1:0]   done_head;
wire                   done_valid, done_pop;
wire [BEATS_WIDTH-1:0] done_beats;
wire [LEN_WIDTH-1:0]   done_bytes;
wire                   done_rxsof, done_rxeof, done_ovf;
wire [$clog2(QUEUE_DEPTH):0] done_count_unused, done_free_unused;
assign {done_beats, done_bytes, done_rxsof, done_rxeof, done_ovf} = done_head;

sgdma_fifo #(.WIDTH(DONE_BITS), .DEPTH(QUEUE_DEPTH)) done_fifo (
    .clk(clk), .rst(rst),
    .s_data({fin_beats, fin_bytes, fin_rxsof, fin_rxeof, fin_ovf}),
    .s_valid(done_push), .s_ready(done_ready),
    .m_data(done_head), .m_valid(done_valid), .m_ready(done_pop),
    .count(done_count_unused), .free(done_free_unused)
);

// ---------------------------------------------------------------------------------------------
// Burst planner: INCR bursts of buffered beats, <= MAX_BURST_LEN, never across 4 KiB
// ---------------------------------------------------------------------------------------------
reg [BEATS_WIDTH-1:0] issued_q;     // beats issued for the plan head
reg [ADDR_WIDTH-1:0]  next_addr_q;  // beat-aligned address of its next burst
reg [BEATS_WIDTH-1:0] avail_q;      // beats in the data FIFO not yet claimed by a burst
reg [OUT_WIDTH-1:0]   outstanding_q;// bursts issued (AW register included) awaiting B
reg                   awvalid_q;
reg [ADDR_WIDTH-1:0]  awaddr_q;
reg [7:0]             awlen_q;

wire [BEATS_WIDTH-1:0] target_beats = done_valid ? done_beats : plan_beats;
wire [BEATS_WIDTH-1:0] rem_beats = target_beats - issued_q;
wire                   first_burst = (issued_q == {BEATS_WIDTH{1'b0}});
wire [ADDR_WIDTH-1:0]  burst_addr = first_burst ? plan_addr : next_addr_q;
wire [PAGE_WIDTH-1:0]  page_beat = {1'b0, burst_addr[11:BYTE_LOG2]};
wire [PAGE_WIDTH-1:0]  to_page_end = PAGE_BEATS_W - page_beat;
wire [BEATS_WIDTH-1:0] to_page_end_b = {{(BEATS_WIDTH-PAGE_WIDTH){1'b0}}, to_page_end};
wire [BEATS_WIDTH-1:0] len_page = (to_page_end_b < MAX_BURST_W) ? to_page_end_b : MAX_BURST_W;
wire                   burst_last = (rem_beats <= len_page);     // this burst ends the buffer
wire [BEATS_WIDTH-1:0] burst_beats_b = burst_last ? rem_beats : len_page;
wire [8:0]             burst_beats = burst_beats_b[8:0];         // 1..MAX_BURST_LEN

wire burst_q_ready, wlen_q_ready, ret_ready;
wire aw_free = !awvalid_q || m_axi_awready;
wire issue = plan_valid && (rem_beats != {BEATS_WIDTH{1'b0}}) && (avail_q >= burst_beats_b) &&
             (outstanding_q < MAX_OUT_W) && aw_free && burst_q_ready && wlen_q_ready && !stop_bus;
wire retire = plan_valid && done_valid && ret_ready && !berr_q &&
              ((rem_beats == {BEATS_WIDTH{1'b0}}) || (issue && burst_last));
assign plan_pop = retire;
assign done_pop = retire;

wire b_hs;

always @(posedge clk) begin
    if (rst) begin
        issued_q <= {BEATS_WIDTH{1'b0}};
        next_addr_q <= {ADDR_WIDTH{1'b0}};
        avail_q <= {BEATS_WIDTH{1'b0}};
        outstanding_q <= {OUT_WIDTH{1'b0}};
        awvalid_q <= 1'b0;
        awaddr_q <= {ADDR_WIDTH{1'b0}};
        awlen_q <= 8'd0;
    end else begin
        avail_q <= avail_q + {{(BEATS_WIDTH-1){1'b0}}, data_push} - (issue ? burst_beats_b : {BEATS_WIDTH{1'b0}});
        outstanding_q <= outstanding_q + {{(OUT_WIDTH-1){1'b0}}, issue} - {{(OUT_WIDTH-1){1'b0}}, b_hs};
        if (issue) begin
            awvalid_q <= 1'b1;
            awaddr_q <= burst_addr;
            awlen_q <= burst_beats[7:0] - 8'd1;
            issued_q <= issued_q + burst_beats_b;
            next_addr_q <= {burst_addr[ADDR_WIDTH-1:BYTE_LOG2], {BYTE_LOG2{1'b0}}} +
                           {{(ADDR_WIDTH-9-BYTE_LOG2){1'b0}}, burst_beats, {BYTE_LOG2{1'b0}}};
        end else if (m_axi_awready) begin
            awvalid_q <= 1'b0;
        end
        if (retire) issued_q <= {BEATS_WIDTH{1'b0}};
    end
end

assign m_axi_awid    = AXI_ID[ID_WIDTH-1:0];
assign m_axi_awaddr  = awaddr_q;
assign m_axi_awlen   = awlen_q;
assign m_axi_awsize  = BYTE_LOG2[2:0];
assign m_axi_awburst = 2'b01;       // INCR
assign m_axi_awlock  = 1'b0;
assign m_axi_awcache = 4'b0011;     // normal non-cacheable bufferable
assign m_axi_awprot  = 3'b000;
// AWVALID and WVALID low in reset from its first cycle: an AXI4 master port (AXI A3.1.2; the mover
// is also used on its own)
assign m_axi_awvalid = awvalid_q && !rst;

// per-burst queues: W lengths (popped when the burst's first W beat goes) and B bookkeeping
wire [7:0] wlen_head;
wire       wlen_valid, wlen_pop;
wire [$clog2(OUT_DEPTH):0] wlen_count_unused, wlen_free_unused;
sgdma_fifo #(.WIDTH(8), .DEPTH(OUT_DEPTH)) wlen_fifo (
    .clk(clk), .rst(rst),
    .s_data(burst_beats[7:0] - 8'd1), .s_valid(issue), .s_ready(wlen_q_ready),
    .m_data(wlen_head), .m_valid(wlen_valid), .m_ready(wlen_pop),
    .count(wlen_count_unused), .free(wlen_free_unused)
);

wire [TAG_WIDTH:0] burst_head;
wire               burst_valid;
wire [TAG_WIDTH-1:0] b_tag = burst_head[TAG_WIDTH:1];
wire               b_last = burst_head[0];
wire [$clog2(OUT_DEPTH):0] burst_count_unused, burst_free_unused;
sgdma_fifo #(.WIDTH(TAG_WIDTH + 1), .DEPTH(OUT_DEPTH)) burst_fifo (
    .clk(clk), .rst(rst),
    .s_data({plan_tag, burst_last}), .s_valid(issue), .s_ready(burst_q_ready),
    .m_data(burst_head), .m_valid(burst_valid), .m_ready(b_hs),
    .count(burst_count_unused), .free(burst_free_unused)
);

// ---------------------------------------------------------------------------------------------
// W: the data FIFO's head, bursts back to back
// ---------------------------------------------------------------------------------------------
reg [8:0] w_rem_q;      // beats left in the burst being sent (0: none started)
wire       w_active = (w_rem_q != 9'd0) || wlen_valid;
wire [8:0] w_cur = (w_rem_q != 9'd0) ? w_rem_q : ({1'b0, wlen_head} + 9'd1);
wire       w_hs = m_axi_wvalid && m_axi_wready;

assign m_axi_wvalid = w_active && data_valid && !rst;
assign m_axi_wdata  = data_head[DATA_WIDTH+STRB_WIDTH-1:STRB_WIDTH];
assign m_axi_wstrb  = data_head[STRB_WIDTH-1:0];
assign m_axi_wlast  = (w_cur == 9'd1);
assign data_pop = w_hs;
assign wlen_pop = w_hs && (w_rem_q == 9'd0);

always @(posedge clk) begin
    if (rst) begin
        w_rem_q <= 9'd0;
    end else if (w_hs) begin
        w_rem_q <= w_cur - 9'd1;
    end
end

assign perf_beat  = w_hs;
assign perf_stall = m_axi_wvalid && !m_axi_wready;

// ---------------------------------------------------------------------------------------------
// B and status
// ---------------------------------------------------------------------------------------------
reg [BRES_WIDTH-1:0] bres_q;        // commands whose bursts all returned OKAY, status not given
reg [3:0]            berr_code_q;
reg [TAG_WIDTH-1:0]  berr_tag_q;
reg                  berr_told_q;   // the faulting command's status has been given

assign m_axi_bready = burst_valid && (berr_q || (bres_q < BRES_MAX));
assign b_hs = m_axi_bvalid && m_axi_bready;
wire b_bad = m_axi_bresp[1];
assign b_fault = b_hs && b_bad;
wire b_ok_last = b_hs && !berr_q && !b_bad && b_last;

localparam integer RET_BITS = TAG_WIDTH + LEN_WIDTH + 4;
wire [RET_BITS-1:0]  ret_head;
wire                 ret_valid, ret_pop;
wire [TAG_WIDTH-1:0] ret_tag;
wire [LEN_WIDTH-1:0] ret_bytes;
wire                 ret_rxsof, ret_rxeof, ret_ovf, ret_bursts;
wire [$clog2(QUEUE_DEPTH):0] ret_count_unused, ret_free_unused;
assign {ret_tag, ret_bytes, ret_rxsof, ret_rxeof, ret_ovf, ret_bursts} = ret_head;

sgdma_fifo #(.WIDTH(RET_BITS), .DEPTH(QUEUE_DEPTH)) ret_fifo (
    .clk(clk), .rst(rst),
    .s_data({plan_tag, done_bytes, done_rxsof, done_rxeof, done_ovf, !first_burst || issue}),
    .s_valid(retire), .s_ready(ret_ready),
    .m_data(ret_head), .m_valid(ret_valid), .m_ready(ret_pop),
    .count(ret_count_unused), .free(ret_free_unused)
);

reg                 sts_valid_q;
reg [TAG_WIDTH-1:0] sts_tag_q;
reg [LEN_WIDTH-1:0] sts_len_q;
reg [3:0]           sts_error_q;
reg                 sts_sof_q, sts_eof_q;

wire emit_normal = ret_valid && (!ret_bursts || (bres_q != {BRES_WIDTH{1'b0}}));
wire emit_error  = berr_q && !berr_told_q && !emit_normal && (outstanding_q == {OUT_WIDTH{1'b0}});
wire sts_free    = !sts_valid_q || m_sts_ready;
assign ret_pop = sts_free && emit_normal;
wire bres_take = ret_pop && ret_bursts;

always @(posedge clk) begin
    if (rst) begin
        bres_q <= {BRES_WIDTH{1'b0}};
        berr_q <= 1'b0;
        berr_code_q <= 4'd0;
        berr_tag_q <= {TAG_WIDTH{1'b0}};
        berr_told_q <= 1'b0;
        abort_q <= 1'b0;
        sts_valid_q <= 1'b0;
        sts_tag_q <= {TAG_WIDTH{1'b0}};
        sts_len_q <= {LEN_WIDTH{1'b0}};
        sts_error_q <= 4'd0;
        sts_sof_q <= 1'b0;
        sts_eof_q <= 1'b0;
    end else begin
        if (abort) abort_q <= 1'b1;
        bres_q <= bres_q + {{(BRES_WIDTH-1){1'b0}}, b_ok_last} - {{(BRES_WIDTH-1){1'b0}}, bres_take};
        if (b_hs && !berr_q && b_bad) begin
            berr_q <= 1'b1;
            berr_code_q <= m_axi_bresp[0] ? `SGDMA_ERR_DATA_DECERR : `SGDMA_ERR_DATA_SLVERR;
            berr_tag_q <= b_tag;
        end
        if (sts_free) begin
            sts_valid_q <= emit_normal || emit_error;
            if (emit_normal) begin
                sts_tag_q <= ret_tag;
                sts_len_q <= ret_bytes;
                sts_error_q <= ret_ovf ? `SGDMA_ERR_OVERFLOW : `SGDMA_ERR_NONE;
                sts_sof_q <= ret_rxsof;
                sts_eof_q <= ret_rxeof;
            end else if (emit_error) begin
                sts_tag_q <= berr_tag_q;
                sts_len_q <= {LEN_WIDTH{1'b0}};
                sts_error_q <= berr_code_q;
                sts_sof_q <= 1'b0;
                sts_eof_q <= 1'b0;
                berr_told_q <= 1'b1;
            end
        end
    end
end

assign m_sts_valid = sts_valid_q;
assign m_sts_tag   = sts_tag_q;
assign m_sts_len   = sts_len_q;
assign m_sts_error = sts_error_q;
assign m_sts_sof   = sts_sof_q;
assign m_sts_eof   = sts_eof_q;

// idle: nothing accepted and unfinished (after a stop: nothing left to drain or report)
wire input_quiet  = (abort_q || berr_q || ovf_stop_q) || (!cmd_valid && !cur_valid_q && !drop_q);
wire plan_quiet   = stop_bus || !plan_valid;
wire bus_quiet    = !awvalid_q && (outstanding_q == {OUT_WIDTH{1'b0}}) && !w_active;
wire status_quiet = !sts_valid_q && !emit_normal && !(berr_q && !berr_told_q);
assign idle = input_quiet && plan_quiet && bus_quiet && status_quiet;

// s_cmd_user is the MM2S TUSER word; S2MM has no use for it. The FIFO occupancy outputs are unused.
wire unused_ok = ^{s_cmd_user, cmd_count_unused, cmd_free_unused, data_free_unused, plan_count_unused,
                   plan_free_unused, done_count_unused, done_free_unused, wlen_count_unused,
                   wlen_free_unused, burst_count_unused, burst_free_unused, ret_count_unused,
                   ret_free_unused, m_axi_bid, data_count, rot_dbl[DATA_WIDTH-1:0]};

`ifdef SGDMA_ASSERTIONS
always @(posedge clk) begin
    if (!rst) begin
        if (w_active && !data_valid)
            $fatal(1, "sgdma_s2mm: W burst issued without its data buffered");
        if (m_axi_bvalid && !burst_valid)
            $fatal(1, "sgdma_s2mm: B with no burst outstanding");
        if (m_axi_bvalid && m_axi_bid != AXI_ID[ID_WIDTH-1:0])
            $fatal(1, "sgdma_s2mm: BID %0d is not AXI_ID %0d", m_axi_bid, AXI_ID);
        if (avail_q > {{(BEATS_WIDTH-DCNT_WIDTH){1'b0}}, data_count})
            $fatal(1, "sgdma_s2mm: unclaimed beats %0d exceed the data FIFO's %0d", avail_q, data_count);
        if (outstanding_q > MAX_OUT_W)
            $fatal(1, "sgdma_s2mm: %0d bursts outstanding", outstanding_q);
        if (plan_valid && done_valid && done_beats < issued_q)
            $fatal(1, "sgdma_s2mm: issued %0d beats of a %0d-beat buffer", issued_q, done_beats);
        if (done_valid && plan_valid && done_beats > plan_beats)
            $fatal(1, "sgdma_s2mm: %0d beats written for a %0d-beat buffer", done_beats, plan_beats);
        if (s_axis_tvalid && cur_valid_q && !drop_q && in_bytes < in_off_w)
            $fatal(1, "sgdma_s2mm: TKEEP changed under a partly used stream beat");
        if (data_push && !data_ready)
            $fatal(1, "sgdma_s2mm: data FIFO overrun");
    end
end
`endif

endmodule

`resetall
