/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_RING_H
#define DW_EDMA_RING_H

/*
 * Ring primitives shared by the fast path (enqueue, submit) and the channel
 * poller (replay after an abort, re-ringing a missed doorbell). The ring is
 * the channel's descriptor window (spec C.6 "circular ring"): nb_desc + 1
 * data slots, one always free, then a permanent link element back to
 * DESC_ADDR. Inline: they run per element.
 */

#include <rte_cycles.h>

#include "dw_edma_internal.h"

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

static inline void
ring_write_link(struct dw_edma_chan *ch)
{
	uint8_t *el = slot_ptr(ch, ch->nb_slots);

	/* the link's CB is the inverse of the lap's so the engine follows it */
	dw_wr32(ch, el + DW_LL_OFF_CTRL, DW_LL_LLP | DW_LL_TCB | (ch->cb ? 0 : DW_LL_CB));
}

/* Zero the data slots, write the link element, start a lap with cb = 1. */

/* Data element control word: the lap's cycle bit, LIE (HDMA: LWIE) if flagged. */
static inline uint32_t
slot_ctrl(const struct dw_edma_chan *ch, bool irq)
{
	return (ch->cb ? DW_LL_CB : 0) | (irq ? DW_LL_LIE : 0);
}

/*
 * Write one data element at head. The first element of an unsubmitted batch
 * is written with its cycle bit inverted so the engine stops in front of it;
 * submit releases it with one control-word write. Later elements of the
 * batch need no barrier of their own: the engine cannot pass the held-back
 * head, and the release barrier orders all of them before it.
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
	dw_wr32_relaxed(ch, el + DW_LL_OFF_SIZE, len);
	dw_wr32_relaxed(ch, el + DW_LL_OFF_SAR_LO, (uint32_t)sar);
	dw_wr32_relaxed(ch, el + DW_LL_OFF_SAR_HI, (uint32_t)(sar >> 32));
	dw_wr32_relaxed(ch, el + DW_LL_OFF_DAR_LO, (uint32_t)dar);
	dw_wr32_relaxed(ch, el + DW_LL_OFF_DAR_HI, (uint32_t)(dar >> 32));
	if (first) {
		ch->batch_open = true;
		ch->batch_first = idx;
		ch->batch_ctrl = ctrl;
		ctrl ^= DW_LL_CB;
		/* the engine may be at this slot now: body before control word */
		rte_io_wmb();
	}
	dw_wr32_relaxed(ch, el + DW_LL_OFF_CTRL, ctrl);
	s->sar = sar;
	s->dar = dar;
	s->len = len;
	s->job = job;
	s->last = last;
	s->irq = irq;
	ch->batch_last = idx;
	if (++ch->head == ch->nb_slots) {
		ch->head = 0;
		ch->cb ^= 1;
	}
}

/*
 * Start the status settle window (see dw_edma_sim.c). Silicon has none
 * (settle_cycles 0), so it pays no timer read per doorbell.
 */
static inline void
chan_settle_start(struct dw_edma_chan *ch)
{
	if (ch->settle_cycles != 0)
		ch->last_doorbell = rte_get_timer_cycles();
}

static inline void
ring_doorbell(struct dw_edma_chan *ch)
{
	dw_wr32(ch, ch->db_reg, ch->db_val);
	ch->cnt.doorbells++;
	chan_settle_start(ch);
}

/* Release the open batch to the engine: flag its last element, release its
 * first, flush the posted LL writes with a read, ring once.
 */
static inline void
ring_release(struct dw_edma_chan *ch)
{
	struct dw_edma_slot *ls = &ch->slots[ch->batch_last];
	uint8_t cb_last;

	if (!ls->irq) {
		/* the last slot is just behind head: wrapping toggled cb */
		cb_last = ch->head == 0 ? (uint8_t)!ch->cb : ch->cb;
		ls->irq = 1;
		if (ch->batch_last == ch->batch_first)
			ch->batch_ctrl |= DW_LL_LIE;
		else
			dw_wr32_relaxed(ch, slot_ptr(ch, ch->batch_last) + DW_LL_OFF_CTRL,
				(cb_last ? DW_LL_CB : 0) | DW_LL_LIE);
	}
	rte_io_wmb();
	dw_wr32_relaxed(ch, slot_ptr(ch, ch->batch_first) + DW_LL_OFF_CTRL, ch->batch_ctrl);
	/* non-posted read: the LL writes have landed before the doorbell */
	(void)dw_rd32(ch, slot_ptr(ch, ch->batch_first) + DW_LL_OFF_CTRL);
	ring_doorbell(ch);
	ch->sub_head = ch->head;
	ch->batch_open = false;
	ch->submitted_jobs += ch->batch_jobs;
	ch->batch_jobs = 0;
}

#endif /* DW_EDMA_RING_H */
