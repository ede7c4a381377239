/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Channel progress and recovery: how completions are learnt (the write-back
 * word, an IMWr word, or paced LLP reads), the register diagnosis after no
 * progress for a while (abort decoding and replay, the missed-doorbell
 * re-ring), and the device error state entered on link loss or READY
 * dropping and left when READY returns.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dw_edma_ring.h"

static void
ring_reset(struct dw_edma_chan *ch)
{
	uint8_t *link = slot_ptr(ch, ch->nb_slots);
	uint16_t i;

	for (i = 0; i < ch->nb_slots; i++)
		dw_wr32_relaxed(ch, slot_ptr(ch, i) + DW_LL_OFF_CTRL, 0);
	dw_wr32_relaxed(ch, link + DW_LL_OFF_SIZE, 0);
	dw_wr64_relaxed(ch, link + DW_LL_OFF_PTR_LO, ch->desc_addr);
	ch->cb = 1;
	rte_wmb();                  /* a store fence: hardware reference P.11 */
	ring_write_link(ch);
	ch->head = 0;
	ch->hw_done = 0;
	ch->sub_head = 0;
	ch->batch_open = false;
	ch->batch_jobs = 0;
	ch->rel_weight = 0;
	ch->next_llp = 0;
	ch->recover_pending = false;
	/* the engine is stopped: nothing of the old ring can land any more */
	if (ch->cpl_word != NULL)
		*ch->cpl_word = 0;
	ch->wb_last = 0;
	chan_progressed(ch);
}

/*
 * Control path, after our ABORT bit was cleared (quiesce): wait, bounded,
 * until it reads clear. One read on a device that orders the read behind
 * the clear; a device that applies posted writes late (behind a bridge, a
 * software model) is given time, so a later ABORT is always a new one.
 */
int
dw_edma_chan_wait_abort_clear(struct dw_edma_chan *ch, unsigned int ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;

	while (chan_ops(ch)->aborted(ch) > 0) {
		if (rte_get_timer_cycles() > end) {
			DW_LOG(ERR, "%s: ABORT still set %u ms after it was cleared", ch->name,
				ms);
			return -EBUSY;
		}
		rte_delay_us_block(10);
	}
	return 0;
}

/* Give every job not yet finished status sc: link lost, or stop. */
void
dw_edma_jobs_fail_pending(struct dw_edma_chan *ch, enum rte_dma_status_code sc)
{
	uint16_t j;

	/* zero-length jobs had nothing to lose: they complete as submitted now */
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
}

/*
 * In the error state: watch READY (rate-limited). An endpoint that ran epc_init
 * again cleared HOST_REQ with READY (hardware reference B.4): ask again. When
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
	if (chan_ops(ch)->state(ch) == DW_HW_RUNNING) {
		chan_ops(ch)->stop(ch);
		return;
	}
	/* clear what a STOP or an abort latched while the device was away */
	(void)chan_ops(ch)->error(ch);
	if (chan_ops(ch)->aborted(ch) != 0)
		return; /* the clear not acted on yet: next probe */
	dw_edma_chan_reprogram(ch);
	ch->cnt.ring_resets++;
	ch->dev_err = false;
	DW_LOG(NOTICE, "%s: READY is back, channel re-enabled", ch->name);
}

/*
 * The channel halted with the engine at slot f (f == sub_head: after the
 * last released element, no job failed). The job owning f gets status sc
 * (none when f is a write-back element). Slots from f up to resume were run
 * again and finished after the abort (a doorbell that overtook our clear);
 * the jobs after them are written to a fresh ring and the released ones rung
 * again, except that a job enqueued with RTE_DMA_OP_FLAG_FENCE after the
 * failed one may depend on its output: it and every later job end
 * NOT_ATTEMPTED without running. Write-back elements are not replayed:
 * releasing the replay adds its own.
 */
static void
chan_recover(struct dw_edma_chan *ch, uint16_t f, enum rte_dma_status_code sc,
		uint16_t resume)
{
	struct dw_edma_slot *replay = ch->replay;
	uint16_t n, i, nrel, nall = 0, nsub = 0, fjob = 0, open_jobs;
	uint16_t nrun = ring_dist(ch, f, resume);
	bool fail = f != ch->sub_head && !ch->slots[f].wb, fenced = false;
	uint64_t sj;

	/* never walk the ring past what was released */
	if (unlikely(ring_dist(ch, ch->hw_done, f) > ring_dist(ch, ch->hw_done, ch->sub_head) ||
			nrun > ring_dist(ch, f, ch->sub_head))) {
		DW_LOG(ERR, "%s: recovery at slot %u (resume %u) outside the released slots "
			"[%u, %u)", ch->name, f, resume, ch->hw_done, ch->sub_head);
		dw_edma_chan_err_enter(ch, "inconsistent recovery position", f);
		return;
	}
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

		if (s->wb || (fail && s->job == fjob))
			continue;
		if (i < nrun) {
			if (s->last && j->status == DW_JOB_PENDING)
				j->status = RTE_DMA_STATUS_SUCCESSFUL;
			continue;
		}
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

/*
 * A write-back element itself aborted: its host word is not reachable for
 * the engine (an IOMMU fault, a bad outbound window). After a few in a row
 * give write-back up for this channel and learn completions from LLP.
 */
static void
wb_fault(struct dw_edma_chan *ch)
{
	if (++ch->wb_faults < DW_EDMA_WB_MAX_FAULTS)
		return;
	DW_LOG(ERR, "%s: %u write-back elements aborted in a row (completion word at IOVA "
		"0x%" PRIx64 "%s): falling back to LLP register reads",
		ch->name, ch->wb_faults, (uint64_t)ch->cpl_iova,
		ch->rd ? " through the outbound window" : "");
	ch->cpl = DW_CPL_LLP;
	ch->wb_reserve = 0;
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
	else if (ch->slots[f].wb)
		DW_LOG(WARNING, "%s: write-back element at slot %u aborted (status %d)",
			ch->name, f, sc);
	if (d < drel && ch->slots[f].wb)
		wb_fault(ch);
	if (chan_ops(ch)->aborted(ch) > 0) {
		/* the clear is not acted on yet: recover once it is */
		DW_LOG(DEBUG, "%s: ABORT still set after its clear: recovery waits", ch->name);
		ch->recover_pending = true;
		ch->pend_f = f;
		ch->pend_sc = sc;
		return;
	}
	chan_recover(ch, f, sc, f);
}

static bool stall_due(struct dw_edma_chan *ch, uint64_t now);

/*
 * A recovery waiting for its ABORT clear to take effect: look again. Still
 * set: clear again (a doorbell written before the clear may have run the
 * failing element once more). Clear: the channel must not run before its
 * ring is rewritten (that doorbell may have restarted it: stop it); recover
 * from where it stands.
 */
static void
recover_pending_poll(struct dw_edma_chan *ch)
{
	const struct dw_edma_hw_ops *ops = chan_ops(ch);
	uint32_t lo = (uint32_t)ch->desc_addr, llp;
	enum dw_edma_hw_state st;
	uint16_t resume = ch->pend_f;
	int ab = ops->aborted(ch);

	if (ab > 0) {
		/*
		 * Still set after stall_us: clear again. A doorbell written
		 * before the clear may have run the failing element once more;
		 * and on eDMA the int_clear word is shared by the direction's
		 * channels: a device that applies posted writes late (a
		 * software model) may see only the last of two quick writes,
		 * the sibling's. Our own bits only, as before.
		 */
		if (stall_due(ch, rte_get_timer_cycles()))
			(void)ops->error(ch);
		return;
	}
	if (ab == 0) {
		st = ops->state(ch);
		if (st == DW_HW_RUNNING) {
			ops->stop(ch);
			return;
		}
		llp = ops->llp_lo(ch);
		if (st != DW_HW_DEAD && llp != UINT32_MAX && llp >= lo &&
				(llp - lo) % DW_LL_SLOT_SIZE == 0 &&
				(llp - lo) / DW_LL_SLOT_SIZE <= ch->nb_slots) {
			uint16_t pos = (uint16_t)((llp - lo) / DW_LL_SLOT_SIZE) % ch->nb_slots;

			if (ring_dist(ch, resume, pos) <= ring_dist(ch, resume, ch->sub_head))
				resume = pos;
			ch->recover_pending = false;
			chan_recover(ch, ch->pend_f, ch->pend_sc, resume);
			return;
		}
	}
	ch->recover_pending = false;
	dw_edma_chan_err_enter(ch, "all-ones read while recovering from an abort", UINT32_MAX);
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
		chan_progressed(ch);
	}
	return adv;
}

/*
 * The engine is not running and released work is pending. Its own ABORT
 * bit decides, whatever CS says: set means abort; clear means the doorbell
 * was lost (or has not been acted on yet): ring again. A channel that keeps
 * refusing to restart for stall_fail_ms fails the job in front of it.
 */
static void
chan_stalled(struct dw_edma_chan *ch, uint64_t now)
{
	int ab = chan_ops(ch)->aborted(ch);

	if (unlikely(ab < 0)) {
		dw_edma_chan_err_enter(ch, "all-ones interrupt status", UINT32_MAX);
		return;
	}
	if (ab > 0) {
		chan_abort(ch);
		return;
	}
	if (ch->retry_t0 == 0) {
		ch->retry_t0 = now;
		DW_LOG(DEBUG, "%s: engine stopped at slot %u with work released, ringing "
			"again (missed doorbell)", ch->name, ch->hw_done);
	} else if (ch->noprog_retries == 1) {
		/*
		 * One re-ring is the normal cure; a second one is worth a line,
		 * at most one a second (a starved software model makes many).
		 */
		if (now - ch->rering_note_tsc >= rte_get_timer_hz()) {
			DW_LOG(NOTICE, "%s: engine still stopped at slot %u after a re-ring, "
				"ringing again (%u more such episodes since the last line)",
				ch->name, ch->hw_done, ch->rering_quiet);
			ch->rering_note_tsc = now;
			ch->rering_quiet = 0;
		} else {
			ch->rering_quiet++;
		}
	} else if (now - ch->retry_t0 > ch->fail_cycles) {
		DW_LOG(ERR, "%s: engine stays stopped at slot %u after %u doorbells in %"
			PRIu64 " ms: failing the job there and restarting", ch->name,
			ch->hw_done, ch->noprog_retries,
			(now - ch->retry_t0) * 1000 / rte_get_timer_hz());
		chan_recover(ch, ch->hw_done, RTE_DMA_STATUS_ERROR_UNKNOWN, ch->hw_done);
		return;
	}
	ch->noprog_retries++;
	ch->cnt.doorbell_retries++;
	ring_doorbell(ch);
}

/*
 * No progress for stall_us with work released (or an IMWr without): read the
 * registers. LLP may show progress a lost write-back did not; a running
 * channel is left alone; a stopped one is an abort or a missed doorbell.
 * READY is read too: a dropped READY puts the device in the error state.
 *
 * With write-back completion the status is read before LLP: the host word
 * can be ahead of LLP (the engine need not order its LLP update with the
 * write-back's posted write; the model publishes LLP only at LIE elements
 * and stops), so LLP read while the engine runs may name a slot behind
 * hw_done, which on a full ring reads as a whole lap of progress. Once the
 * status said "not running", LLP is where the engine stands (or later).
 */
void
dw_edma_chan_diagnose(struct dw_edma_chan *ch)
{
	enum dw_edma_hw_state st = DW_HW_DEAD;
	uint64_t now = rte_get_timer_cycles();
	bool wb = ch->cpl == DW_CPL_WB;
	int adv;

	if (unlikely(ch->recover_pending)) {
		recover_pending_poll(ch);
		return;
	}
	ch->cnt.stall_checks++;
	if (wb) {
		st = chan_ops(ch)->state(ch);
		if (st == DW_HW_RUNNING) {
			if (!dw_edma_meta_ready(ch))
				dw_edma_chan_err_enter(ch, "READY dropped", 0);
			return;
		}
	}
	adv = dw_edma_chan_progress(ch);
	if (adv < 0)
		return;
	if (adv > 0)
		return;
	if (!dw_edma_meta_ready(ch)) {
		dw_edma_chan_err_enter(ch, "READY dropped", 0);
		return;
	}
	if (ch->hw_done == ch->sub_head)
		return;
	if (!wb) {
		st = chan_ops(ch)->state(ch);
		if (st == DW_HW_RUNNING)
			return;
	}
	if (unlikely(st == DW_HW_DEAD)) {
		dw_edma_chan_err_enter(ch, "channel status unreadable or reset", 0);
		return;
	}
	chan_stalled(ch, now);
}

/* Has nothing moved for stall_us? Starts the clock on the first look. */
static bool
stall_due(struct dw_edma_chan *ch, uint64_t now)
{
	if (ch->stall_t0 == 0) {
		ch->stall_t0 = now;
		return false;
	}
	if (now - ch->stall_t0 < ch->stall_cycles)
		return false;
	ch->stall_t0 = now;
	return true;
}

/*
 * LLP completion: read LLP no sooner than the released work is expected
 * to be done (hybrid polling: the estimate is learnt from earlier batches,
 * in cycles per byte-plus-element weight), so that a poll loop costs about
 * one non-posted read per batch rather than one per call.
 */
static void
poll_llp(struct dw_edma_chan *ch, uint64_t now)
{
	uint64_t expect, weight = ch->rel_weight;
	int adv;

	if (now < ch->next_llp)
		return;
	adv = dw_edma_chan_progress(ch);
	if (adv < 0)
		return;
	if (ch->hw_done == ch->sub_head) {
		/*
		 * All released work done. If a read found it unfinished, the
		 * end lies between that read and this one: learn from it. If
		 * this is the first read, the work may have ended long ago (the
		 * application polls when it likes): only let the estimate fall.
		 */
		if (weight != 0) {
			uint64_t end = ch->llp_miss_tsc != 0 ?
				ch->llp_miss_tsc + (now - ch->llp_miss_tsc) / 2 : now;
			uint64_t q8 = ((end - ch->rel_tsc) << 8) / weight;
			uint64_t avg = (3 * ch->est_q8 + q8) / 4;

			ch->est_q8 = ch->llp_miss_tsc != 0 ? avg : RTE_MIN(ch->est_q8, avg);
		}
		ch->rel_weight = 0;
		ch->llp_miss_tsc = 0;
		return;
	}
	/*
	 * Not all done yet: look again after an eighth of the estimate, but
	 * never later than stall_us (one slow poll can make the estimate
	 * large, and a large batch after it put the next read seconds away).
	 */
	ch->llp_miss_tsc = now;
	expect = (ch->est_q8 * weight) >> 8;
	ch->next_llp = now + RTE_MIN(RTE_MAX(expect / 8, rte_get_timer_hz() / 2000000),
		ch->stall_cycles);
	if (adv == 0 && stall_due(ch, now))
		dw_edma_chan_diagnose(ch);
}

/* IMWr completion: the engine wrote the host word; one LLP read tells how far. */
static void
poll_imwr(struct dw_edma_chan *ch, uint64_t now)
{
	if (*ch->cpl_word != 0) {
		int adv;

		/*
		 * Clear first, and make the clear visible before LLP is read: an
		 * IMWr that lands after it is seen next time, one that landed
		 * before it is covered by this LLP read.
		 */
		*ch->cpl_word = 0;
		rte_mb();
		adv = dw_edma_chan_progress(ch);
		/* an IMWr without progress is an ABORT's: look at once */
		if (adv == 0)
			dw_edma_chan_diagnose(ch);
		return;
	}
	if (stall_due(ch, now))
		dw_edma_chan_diagnose(ch);
}

/* The part of chan_poll() that is not a plain write-back load. */
void
dw_edma_chan_poll_slow(struct dw_edma_chan *ch)
{
	uint64_t now;

	if (unlikely(ch->dev_err)) {
		dev_err_probe(ch);
		return;
	}
	if (unlikely(ch->recover_pending)) {
		recover_pending_poll(ch);
		return;
	}
	if (ch->hw_done == ch->sub_head)
		return;
	now = rte_get_timer_cycles();
	switch (ch->cpl) {
	case DW_CPL_WB:
		if (stall_due(ch, now))
			dw_edma_chan_diagnose(ch);
		break;
	case DW_CPL_IMWR:
		poll_imwr(ch, now);
		break;
	default:
		poll_llp(ch, now);
		break;
	}
}

/* The completion mode the options give the channel (before any fallback). */
enum dw_edma_cpl
dw_edma_chan_cpl_mode(const struct dw_edma_chan *ch)
{
	const struct dw_edma_opts *o = &ch->fn->opts;

	if (o->cpl == DW_CPL_OPT_LLP)
		return DW_CPL_LLP;
	if (!ch->rd || o->has_m2m)
		return DW_CPL_WB;
	if (o->cpl == DW_CPL_OPT_IMWR && ch->backend == DW_BACKEND_HDMA)
		return DW_CPL_IMWR;
	return DW_CPL_LLP;
}

/*
 * Choose the completion mode of a channel for its next start and set up the
 * host memory it needs: write-back on write channels, and on read channels
 * when the function has an outbound window to reach host memory with;
 * otherwise IMWr if asked for and the map is HDMA native, else LLP.
 */
int
dw_edma_chan_cpl_setup(struct dw_edma_chan *ch)
{
	int numa = SOCKET_ID_ANY;
	uint16_t i;

	dw_edma_chan_cpl_free(ch);
	ch->cpl = dw_edma_chan_cpl_mode(ch);
	ch->wb_reserve = ch->cpl == DW_CPL_WB ? 1 : 0;
	if (ch->cpl == DW_CPL_LLP)
		return 0;
	ch->cpl_word = rte_zmalloc_socket(NULL, RTE_CACHE_LINE_SIZE, RTE_CACHE_LINE_SIZE, numa);
	if (ch->cpl_word == NULL)
		goto nomem;
	ch->cpl_iova = rte_malloc_virt2iova((const void *)(uintptr_t)ch->cpl_word);
	if (ch->cpl == DW_CPL_WB && ch->rd) {
		ch->wb_codes = rte_malloc_socket(NULL, ch->nb_slots * sizeof(uint32_t),
			RTE_CACHE_LINE_SIZE, numa);
		if (ch->wb_codes == NULL)
			goto nomem;
		for (i = 0; i < ch->nb_slots; i++)
			ch->wb_codes[i] = wb_code(ch, i);
		ch->wb_codes_iova = rte_malloc_virt2iova(ch->wb_codes);
	}
	if (ch->cpl_iova == RTE_BAD_IOVA || (ch->wb_codes != NULL &&
			ch->wb_codes_iova == RTE_BAD_IOVA)) {
		DW_LOG(ERR, "%s: completion word has no IOVA: using LLP reads", ch->name);
		dw_edma_chan_cpl_free(ch);
		ch->cpl = DW_CPL_LLP;
		ch->wb_reserve = 0;
	}
	return 0;
nomem:
	dw_edma_chan_cpl_free(ch);
	DW_LOG(ERR, "%s: no memory for the completion word", ch->name);
	return -ENOMEM;
}

void
dw_edma_chan_cpl_free(struct dw_edma_chan *ch)
{
	rte_free((void *)(uintptr_t)ch->cpl_word);
	rte_free(ch->wb_codes);
	ch->cpl_word = NULL;
	ch->wb_codes = NULL;
}
