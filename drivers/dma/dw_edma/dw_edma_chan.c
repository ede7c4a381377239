/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Channel progress and recovery: turning LLP and status reads into job
 * completions, the missed-doorbell re-ring, abort decoding and replay, and
 * the device error state entered on link loss or READY dropping and left
 * when READY returns. Called from completed() with work outstanding and
 * from the control path.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_cycles.h>

#include "dw_edma_ring.h"

static void
ring_reset(struct dw_edma_chan *ch)
{
	uint8_t *link = slot_ptr(ch, ch->nb_slots);
	uint16_t i;

	for (i = 0; i < ch->nb_slots; i++)
		dw_wr32_relaxed(ch, slot_ptr(ch, i) + DW_LL_OFF_CTRL, 0);
	dw_wr32_relaxed(ch, link + DW_LL_OFF_SIZE, 0);
	dw_wr32_relaxed(ch, link + DW_LL_OFF_PTR_LO, (uint32_t)ch->desc_addr);
	dw_wr32_relaxed(ch, link + DW_LL_OFF_PTR_HI, (uint32_t)(ch->desc_addr >> 32));
	ch->cb = 1;
	rte_io_wmb();
	ring_write_link(ch);
	ch->head = 0;
	ch->hw_done = 0;
	ch->sub_head = 0;
	ch->batch_open = false;
	ch->batch_jobs = 0;
	ch->last_no_progress = false;
	ch->stall_seen = false;
	ch->noprog_retries = 0;
	ch->idle_probes = 0;
}

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

/* Give every job not yet finished status sc: link lost, or stop. */
void
dw_edma_jobs_fail_pending(struct dw_edma_chan *ch, enum rte_dma_status_code sc)
{
	uint16_t j;

	for (j = ch->rep_job; j != ch->next_job; j++)
		if (ch->jobs[j & ch->job_mask].status == DW_JOB_PENDING)
			ch->jobs[j & ch->job_mask].status = sc;
	ch->submitted_jobs += ch->batch_jobs;
	ch->batch_jobs = 0;
	ch->batch_open = false;
	ch->hw_done = ch->head;
	ch->sub_head = ch->head;
}

void
dw_edma_chan_err_enter(struct dw_edma_chan *ch, const char *why, uint32_t val)
{
	DW_LOG(ERR, "%s: %s (0x%08x): device error state, outstanding jobs fail with link error",
		ch->name, why, val);
	ch->dev_err = true;
	ch->err_next_probe = 0;
	dw_edma_jobs_fail_pending(ch, RTE_DMA_STATUS_DEV_LINK_ERROR);
}

/*
 * Fresh ring on a channel that is not running (halted by an abort, reset by
 * a link loss): program it again, no engine-off poll (that is for the control
 * path). The ring is written after the status said "not running".
 */
void
dw_edma_chan_reprogram(struct dw_edma_chan *ch)
{
	ring_reset(ch);
	chan_ops(ch)->enable(ch);
	/* the reprogramming counts as a doorbell for the settle time */
	chan_settle_start(ch);
}

/*
 * In the error state: watch READY (rate-limited). An endpoint that ran
 * epc_init again cleared HOST_REQ with READY (spec B.4): ask again. When
 * READY is back, recover only if the channel's metadata is unchanged.
 */
static void
dev_err_probe(struct dw_edma_chan *ch)
{
	uint64_t now = rte_get_timer_cycles();
	uint32_t ctrl;

	if (now < ch->err_next_probe)
		return;
	ch->err_next_probe = now + rte_get_timer_hz() * DW_EDMA_ERR_PROBE_US / 1000000;
	ctrl = dw_edma_meta_ctrl(ch);
	if (ctrl == UINT32_MAX)
		return; /* link still down */
	if (!(ctrl & DW_META_CTRL_READY)) {
		if (!(ctrl & DW_META_CTRL_HOST_REQ)) {
			DW_LOG(NOTICE, "%s: endpoint cleared HOST_REQ (CTRL 0x%08x), setting it "
				"again", ch->name, ctrl);
			dw_edma_meta_host_req(ch);
		}
		return;
	}
	if (chan_ops(ch)->llp_lo(ch) == UINT32_MAX)
		return;
	if (dw_edma_meta_recheck(ch) != 0) {
		if (!ch->meta_changed)
			DW_LOG(ERR, "%s: READY is back but the channel's metadata changed: "
				"staying in the error state", ch->name);
		ch->meta_changed = true;
		return;
	}
	ch->meta_changed = false;
	/*
	 * A READY drop alone leaves the engine running the old ring: stop it
	 * and look again at the next probe, never reset the ring under it.
	 */
	if (rte_get_timer_cycles() - ch->last_doorbell < ch->settle_cycles)
		return;
	if (chan_ops(ch)->state(ch) == DW_HW_RUNNING) {
		chan_ops(ch)->stop(ch);
		chan_settle_start(ch);
		return;
	}
	/* clear what a STOP or an abort latched while the device was away */
	(void)chan_ops(ch)->error(ch);
	dw_edma_chan_reprogram(ch);
	ch->cnt.ring_resets++;
	ch->dev_err = false;
	DW_LOG(NOTICE, "%s: READY is back, channel re-enabled", ch->name);
}

/*
 * The channel halted with the engine at slot f (f == sub_head: after the
 * last released element, no job failed). The job owning f gets status sc;
 * the jobs after it are written to a fresh ring and the released ones rung
 * again, except that a job enqueued with RTE_DMA_OP_FLAG_FENCE after the
 * failed one may depend on its output: it and every later job end
 * NOT_ATTEMPTED without running.
 */
static void
chan_recover(struct dw_edma_chan *ch, uint16_t f, enum rte_dma_status_code sc)
{
	struct dw_edma_slot *replay = ch->replay;
	uint16_t n, i, nrel, nall = 0, nsub = 0, fjob = 0, open_jobs;
	bool fail = f != ch->sub_head, fenced = false;
	uint64_t sj;

	ch->cnt.ring_resets++;
	slots_done(ch, ring_dist(ch, ch->hw_done, f));
	if (fail) {
		fjob = ch->slots[f].job;
		ch->jobs[fjob & ch->job_mask].status = sc;
		DW_LOG(DEBUG, "%s: job %u failed with status %d at slot %u", ch->name, fjob,
			sc, f);
	}
	n = ring_dist(ch, f, ch->head);
	nrel = ring_dist(ch, f, ch->sub_head);
	for (i = 0; i < n; i++) {
		const struct dw_edma_slot *s = &ch->slots[(uint16_t)((f + i) % ch->nb_slots)];
		struct dw_edma_job *j = &ch->jobs[s->job & ch->job_mask];

		if (fail && s->job == fjob)
			continue;
		if (fail && j->fence)
			fenced = true;
		if (fenced) {
			j->status = RTE_DMA_STATUS_NOT_ATTEMPTED;
			continue;
		}
		replay[nall++] = *s;
		if (i < nrel)
			nsub++;
	}
	open_jobs = ch->batch_jobs;
	sj = ch->submitted_jobs;
	dw_edma_chan_reprogram(ch);
	for (i = 0; i < nsub; i++)
		ring_put(ch, replay[i].sar, replay[i].dar, replay[i].len,
			replay[i].job, replay[i].last, replay[i].irq);
	if (nsub > 0)
		ring_release(ch);
	for (; i < nall; i++)
		ring_put(ch, replay[i].sar, replay[i].dar, replay[i].len,
			replay[i].job, replay[i].last, replay[i].irq);
	ch->batch_jobs = open_jobs;
	ch->submitted_jobs = sj;
	if (fenced) {
		/* unsubmitted jobs dropped with the fence count as submitted now */
		ch->submitted_jobs += open_jobs;
		ch->batch_jobs = 0;
	}
}

/* Abort (this channel's ABORT bit is set): find where and recover. */
static void
chan_abort(struct dw_edma_chan *ch)
{
	enum rte_dma_status_code sc = chan_ops(ch)->error(ch);
	uint32_t llp = chan_ops(ch)->llp_lo(ch);
	uint32_t lo = (uint32_t)ch->desc_addr;
	uint16_t f, d, drel;

	if (sc == RTE_DMA_STATUS_DEV_LINK_ERROR || llp == UINT32_MAX) {
		dw_edma_chan_err_enter(ch, "all-ones read after abort", llp);
		return;
	}
	if (llp < lo || (llp - lo) % DW_LL_SLOT_SIZE != 0 ||
			(llp - lo) / DW_LL_SLOT_SIZE > ch->nb_slots) {
		dw_edma_chan_err_enter(ch, "LLP outside the ring after abort", llp);
		return;
	}
	f = (uint16_t)((llp - lo) / DW_LL_SLOT_SIZE);
	if (f == ch->nb_slots)
		f = 0;
	d = ring_dist(ch, ch->hw_done, f);
	drel = ring_dist(ch, ch->hw_done, ch->sub_head);
	if (d > drel) {
		/* the engine cannot have passed the held-back element */
		dw_edma_chan_err_enter(ch, "LLP beyond the released elements after abort", llp);
		return;
	}
	if (d == drel)
		/* e.g. a fetch error on the held-back slot: every released job is done */
		DW_LOG(NOTICE, "%s: abort after the last released element (status %d): "
			"no job failed, restarting", ch->name, sc);
	chan_recover(ch, f, sc);
}

/*
 * Read LLP and account the progress. Returns the slots newly done, or -1
 * when the read put the channel in the error state.
 */
int
dw_edma_chan_progress(struct dw_edma_chan *ch)
{
	uint16_t released = ring_dist(ch, ch->hw_done, ch->sub_head);
	uint32_t lo = (uint32_t)ch->desc_addr;
	uint32_t llp = chan_ops(ch)->llp_lo(ch);
	uint16_t pos, adv;

	/* probe rejects a ring whose low address word is 0: LLP 0 is a reset */
	if (unlikely(llp == 0 || llp == UINT32_MAX)) {
		dw_edma_chan_err_enter(ch, llp == 0 ? "LLP reads 0 (engine reset)" :
			"all-ones read (link down)", llp);
		return -1;
	}
	if (unlikely(llp < lo || (llp - lo) % DW_LL_SLOT_SIZE != 0 ||
			(llp - lo) / DW_LL_SLOT_SIZE > ch->nb_slots)) {
		dw_edma_chan_err_enter(ch, "LLP outside the ring", llp);
		return -1;
	}
	pos = (uint16_t)((llp - lo) / DW_LL_SLOT_SIZE);
	if (pos == ch->nb_slots)
		pos = 0;
	adv = ring_dist(ch, ch->hw_done, pos);
	if (unlikely(adv > released)) {
		dw_edma_chan_err_enter(ch, "LLP beyond the released elements", llp);
		return -1;
	}
	if (adv > 0) {
		slots_done(ch, adv);
		ch->stall_seen = false;
		ch->noprog_retries = 0;
		ch->idle_probes = 0;
	}
	return adv;
}

/*
 * The engine is not running and released work is pending (seen twice, with
 * an LLP read between). Its own ABORT bit decides, whatever CS says: set
 * means abort; clear means the doorbell was lost (or CS is an old halt the
 * error path already handled): ring again, a bounded number of times.
 */
static void
chan_stalled(struct dw_edma_chan *ch)
{
	int ab;

	/* the model may not have noticed the last doorbell yet (0 on silicon) */
	if (rte_get_timer_cycles() - ch->last_doorbell < ch->settle_cycles)
		return;
	ab = chan_ops(ch)->aborted(ch);
	if (unlikely(ab < 0)) {
		dw_edma_chan_err_enter(ch, "all-ones interrupt status", UINT32_MAX);
		return;
	}
	ch->stall_seen = false;
	if (ab > 0) {
		chan_abort(ch);
		return;
	}
	if (ch->noprog_retries >= DW_EDMA_MAX_DB_RETRIES) {
		DW_LOG(ERR, "%s: engine stays stopped at slot %u after %u doorbells: "
			"failing the job there and restarting", ch->name, ch->hw_done,
			ch->noprog_retries);
		chan_recover(ch, ch->hw_done, RTE_DMA_STATUS_ERROR_UNKNOWN);
		return;
	}
	DW_LOG(DEBUG, "%s: not running at slot %u with work released, ringing again",
		ch->name, ch->hw_done);
	ch->noprog_retries++;
	ch->cnt.doorbell_retries++;
	ring_doorbell(ch);
}

/*
 * Learn how far the engine got. Good path: one MMIO read per call, LLP when
 * the last look showed progress, else the channel status (every Nth time
 * READY instead). 'full' (slow path, vchan_status, stop) reads both.
 */
void
dw_edma_chan_poll(struct dw_edma_chan *ch, bool full)
{
	uint16_t released = ring_dist(ch, ch->hw_done, ch->sub_head);
	enum dw_edma_hw_state st;
	int adv;

	if (unlikely(ch->dev_err)) {
		dev_err_probe(ch);
		return;
	}
	if (released == 0)
		return;
	if (!ch->last_no_progress || full) {
		adv = dw_edma_chan_progress(ch);
		if (adv < 0)
			return;
		ch->last_no_progress = adv == 0;
		if (adv == released || !full)
			return;
	}
	ch->last_no_progress = false;
	if (!full && ++ch->idle_probes % DW_EDMA_READY_PROBE_EVERY == 0) {
		/* this probe reads READY instead of the status, never both */
		if (!dw_edma_meta_ready(ch))
			dw_edma_chan_err_enter(ch, "READY dropped", 0);
		return;
	}
	st = chan_ops(ch)->state(ch);
	if (st == DW_HW_RUNNING) {
		ch->stall_seen = false;
		return;
	}
	if (unlikely(st == DW_HW_DEAD)) {
		dw_edma_chan_err_enter(ch, "channel status unreadable or reset", 0);
		return;
	}
	/* act on the second look: the first may be the end of a burst */
	if (!ch->stall_seen && !full) {
		ch->stall_seen = true;
		return;
	}
	chan_stalled(ch);
}
