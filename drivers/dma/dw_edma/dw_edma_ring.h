/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_RING_H
#define DW_EDMA_RING_H

/*
 * Ring primitives shared by the fast path (enqueue, submit, completion polling)
 * and the channel poller (replay after an abort, re-ringing a missed doorbell).
 * The ring is the channel's whole descriptor window (hardware reference C.6
 * "circular ring"): nb_slots data slots, one always free, then a permanent link
 * element back to DESC_ADDR. Inline: they run per element.
 */

#include <rte_cycles.h>

#include "dw_edma_internal.h"

/* LLP pacing: per-element overhead in byte equivalents. */
#define DW_LLP_ELEM_WEIGHT	64

static inline uint8_t *
slot_ptr(const struct dw_edma_chan *ch, uint16_t idx)
{
	return ch->desc + (uint32_t)idx * DW_LL_SLOT_SIZE;
}

static inline uint16_t
ring_dist(const struct dw_edma_chan *ch, uint16_t from, uint16_t to)
{
	return to >= from ? to - from : to + ch->nb_slots - from;
}

/* Slots the engine may still need: released or written, not known done. */
static inline uint16_t
ring_busy(const struct dw_edma_chan *ch)
{
	return ring_dist(ch, ch->hw_done, ch->head);
}

/* Data slots free for new elements, the open batch's write-back kept aside. */
static inline uint16_t
ring_free(const struct dw_edma_chan *ch)
{
	int free = (int)ch->nb_slots - 1 - ring_busy(ch) - ch->wb_reserve;

	return free > 0 ? (uint16_t)free : 0;
}

/*
 * The code a write-back element delivers for slot idx: the endpoint-local
 * address of the element's own SAR field, unique per slot. A write channel
 * copies exactly that word of the element; a read channel copies it from a
 * host table. The ring never crosses 4 GiB, so the low 32 bits suffice.
 */
static inline uint32_t
wb_code(const struct dw_edma_chan *ch, uint16_t idx)
{
	return (uint32_t)ch->desc_addr + (uint32_t)idx * DW_LL_SLOT_SIZE + DW_LL_OFF_SAR_LO;
}

static inline void
ring_write_link(struct dw_edma_chan *ch)
{
	uint8_t *el = slot_ptr(ch, ch->nb_slots);

	/* the link's CB is the inverse of the lap's so the engine follows it */
	dw_wr32(ch, el + DW_LL_OFF_CTRL, DW_LL_LLP | DW_LL_TCB | (ch->cb ? 0 : DW_LL_CB));
}

/*
 * Interrupt flags of an element that reports progress: LIE (HDMA: LWIE) so
 * that LLP and the status latch there; with IMWr completion also RIE
 * (HDMA: RWIE), which sends the IMWr to the channel's host word.
 */
static inline uint32_t
irq_flags(const struct dw_edma_chan *ch)
{
	return DW_LL_LIE | (ch->cpl == DW_CPL_IMWR ? DW_LL_RIE : 0);
}

/* Data element control word: the lap's cycle bit, the flags above if asked. */
static inline uint32_t
slot_ctrl(const struct dw_edma_chan *ch, bool irq)
{
	return (ch->cb ? DW_LL_CB : 0) | (irq ? irq_flags(ch) : 0);
}

/*
 * Write one element at head in three 64-bit stores: control word and size,
 * SAR, DAR. The first element of an unsubmitted batch is written with its
 * cycle bit inverted so the engine stops in front of it; submit releases it
 * with one control-word store after a barrier. So no element of a batch can
 * be fetched as valid before all of them are written, and the order inside
 * an element does not matter (hardware reference P.4): what E.5 asks of
 * each element (body, barrier, control word) holds for the batch as a whole.
 */
static inline void
ring_put(struct dw_edma_chan *ch, uint64_t sar, uint64_t dar, uint32_t len,
		uint16_t job, bool last, bool irq)
{
	uint16_t idx = ch->head;
	uint8_t *el = slot_ptr(ch, idx);
	struct dw_edma_slot *s = &ch->slots[idx];
	uint32_t ctrl;
	bool first = !ch->batch_open;

	if (idx == ch->nb_slots - 1)
		ring_write_link(ch);
	ctrl = slot_ctrl(ch, irq);
	if (first) {
		ch->batch_open = true;
		ch->batch_first = idx;
		ch->batch_ctrl = ctrl;
		ctrl ^= DW_LL_CB;
	}
	/* the size word follows the control word (DW_LL_OFF_SIZE) */
	dw_wr64_relaxed(ch, el + DW_LL_OFF_CTRL, ctrl | (uint64_t)len << 32);
	dw_wr64_relaxed(ch, el + DW_LL_OFF_SAR_LO, sar);
	dw_wr64_relaxed(ch, el + DW_LL_OFF_DAR_LO, dar);
	s->sar = sar;
	s->dar = dar;
	s->len = len;
	s->job = job;
	s->last = last;
	s->irq = irq;
	s->wb = 0;
	ch->batch_last = idx;
	ch->batch_bytes += len;
	if (++ch->head == ch->nb_slots) {
		ch->head = 0;
		ch->cb ^= 1;
	}
}

/*
 * Close the open batch with its write-back element: it copies the slot's
 * code into the host completion word. The engine runs elements in order and
 * PCIe keeps the posted writes in order, so once the word shows this code
 * every element before it has moved its data. LIE reports LLP there too.
 */
static inline void
ring_put_wb(struct dw_edma_chan *ch)
{
	uint16_t idx = ch->head;
	uint64_t sar, dar;

	if (ch->rd) {
		/* host table -> host word, out through the outbound window */
		sar = ch->wb_codes_iova + (uint64_t)idx * sizeof(uint32_t);
		dar = ch->m2m_base + ch->cpl_iova;
	} else {
		sar = ch->desc_addr + (uint64_t)idx * DW_LL_SLOT_SIZE + DW_LL_OFF_SAR_LO;
		dar = ch->cpl_iova;
	}
	ring_put(ch, sar, dar, sizeof(uint32_t), 0, false, true);
	ch->slots[idx].wb = 1;
}

/*
 * LLP completion: account the batch in the pacing estimate. From an idle
 * engine the batch starts the clock and the first LLP read is planned at
 * three quarters of its expected duration.
 */
static inline void
llp_pace_release(struct dw_edma_chan *ch)
{
	uint64_t weight = ch->batch_bytes + (uint64_t)DW_LLP_ELEM_WEIGHT *
		(ring_dist(ch, ch->batch_first, ch->head));

	if (ch->hw_done != ch->sub_head) {
		ch->rel_weight += weight;
		return;
	}
	ch->rel_tsc = rte_get_timer_cycles();
	ch->rel_weight = weight;
	ch->llp_miss_tsc = 0;
	/* never later than the stall check would look anyway */
	ch->next_llp = ch->rel_tsc + RTE_MIN(((ch->est_q8 * weight) >> 8) * 3 / 4,
		ch->stall_cycles);
}

static inline void
ring_doorbell(struct dw_edma_chan *ch)
{
	dw_wr32(ch, ch->db_reg, ch->db_val);
	ch->cnt.doorbells++;
}

/*
 * Release the open batch to the engine: close it (write-back element, or
 * the interrupt flag on its last element for LLP progress), release its
 * first element, flush the posted LL writes with a read, ring once.
 */
static inline void
ring_release(struct dw_edma_chan *ch)
{
	if (ch->cpl == DW_CPL_WB) {
		ring_put_wb(ch);
	} else {
		struct dw_edma_slot *ls = &ch->slots[ch->batch_last];
		uint32_t flags = irq_flags(ch);

		if (!ls->irq) {
			/* the last slot is just behind head: wrapping toggled cb */
			uint8_t cb_last = ch->head == 0 ? (uint8_t)!ch->cb : ch->cb;

			ls->irq = 1;
			if (ch->batch_last == ch->batch_first)
				ch->batch_ctrl |= flags;
			else
				dw_wr32_relaxed(ch, slot_ptr(ch, ch->batch_last) +
					DW_LL_OFF_CTRL, (cb_last ? DW_LL_CB : 0) | flags);
		}
		if (ch->cpl == DW_CPL_LLP)
			llp_pace_release(ch);
	}
	ch->batch_bytes = 0;
	/*
	 * Store fences, not I/O barriers: on x86 rte_io_wmb() only stops the
	 * compiler, enough for the uncached mapping vfio-pci gives, but a host
	 * that maps the window write-combining may reorder the stores and keep
	 * them buffered past a read of it (hardware reference P.11).
	 */
	rte_wmb();
	dw_wr32_relaxed(ch, slot_ptr(ch, ch->batch_first) + DW_LL_OFF_CTRL, ch->batch_ctrl);
	rte_wmb();
	/* non-posted read: the LL writes have landed before the doorbell */
	(void)dw_rd32(ch, slot_ptr(ch, ch->batch_first) + DW_LL_OFF_CTRL);
	/* a halted channel awaiting recovery is rung by the recovery */
	if (likely(!ch->recover_pending))
		ring_doorbell(ch);
	ch->sub_head = ch->head;
	ch->batch_open = false;
	ch->submitted_jobs += ch->batch_jobs;
	ch->batch_jobs = 0;
}

/* Mark n slots from hw_done done: the jobs whose last slot they are succeed. */
static inline void
slots_done(struct dw_edma_chan *ch, uint16_t n)
{
	while (n-- > 0) {
		struct dw_edma_slot *s = &ch->slots[ch->hw_done];

		if (s->last) {
			struct dw_edma_job *j = &ch->jobs[s->job & ch->job_mask];

			if (j->status == DW_JOB_PENDING)
				j->status = RTE_DMA_STATUS_SUCCESSFUL;
		}
		if (++ch->hw_done == ch->nb_slots)
			ch->hw_done = 0;
	}
}

/* Progress was seen: the stall clock and the retry episode start over. */
static inline void
chan_progressed(struct dw_edma_chan *ch)
{
	ch->idle_polls = 0;
	ch->stall_t0 = 0;
	ch->retry_t0 = 0;
	ch->noprog_retries = 0;
}

/*
 * Write-back completion: one load of host memory. A new code names the
 * write-back slot the engine last finished; everything up to it is done.
 * Returns true when it moved.
 */
static inline bool
chan_poll_wb(struct dw_edma_chan *ch)
{
	uint32_t v = *ch->cpl_word;
	uint32_t off = v - wb_code(ch, 0);
	uint16_t idx, n;

	if (likely(v == ch->wb_last))
		return false;
	/* the data the engine moved before the code is visible after it */
	rte_io_rmb();
	idx = (uint16_t)(off / DW_LL_SLOT_SIZE);
	n = ring_dist(ch, ch->hw_done, idx) + 1;
	/* a code outside the released write-backs is not believed */
	if (unlikely(off % DW_LL_SLOT_SIZE != 0 || off / DW_LL_SLOT_SIZE >= ch->nb_slots ||
			!ch->slots[idx].wb || n > ring_dist(ch, ch->hw_done, ch->sub_head)))
		return false;
	ch->wb_last = v;
	ch->wb_faults = 0;
	slots_done(ch, n);
	chan_progressed(ch);
	return true;
}

/*
 * Learn how far the engine got, from completed() with work released.
 * Write-back: host memory only; the registers are read only after no
 * progress for stall_us (dw_edma_chan_poll_slow), checked every 16th
 * fruitless poll so that the clock is not read on every call.
 */
static inline void
chan_poll(struct dw_edma_chan *ch)
{
	/* a recovery in wait owns the ring position: no progress meanwhile */
	if (likely(ch->cpl == DW_CPL_WB && !ch->recover_pending)) {
		if (chan_poll_wb(ch) || (++ch->idle_polls & 15) != 0)
			return;
	}
	dw_edma_chan_poll_slow(ch);
}

#endif /* DW_EDMA_RING_H */
