/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * dmadev ops: the fast-path entry points (copy, copy_sg, submit,
 * completed*) and the control path. Ring primitives are in dw_edma_ring.h,
 * progress and recovery in dw_edma_chan.c. Job state lives in host memory.
 *
 * What nb_desc and burst_capacity count: jobs. The ring is the whole
 * descriptor window whatever nb_desc says; nb_desc bounds the jobs
 * outstanding (enqueued, not yet collected) and the window bounds the
 * linked-list elements in flight, one per copy, one per overlap of source
 * and destination segments for copy_sg, and one write-back element per
 * submitted batch. burst_capacity reports the single-element copies that
 * fit now under both bounds.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "dw_edma_ring.h"

RTE_LOG_REGISTER_DEFAULT(dw_edma_logtype, NOTICE);

/* ---------------------------------------------------------------------------
 * Fast path.
 */
static inline int
chan_addrs(const struct dw_edma_chan *ch, rte_iova_t src, rte_iova_t dst,
		uint64_t *sar, uint64_t *dar)
{
	uint64_t m2m = ch->m2m_base;

	*sar = src;
	*dar = dst;
	if (ch->dir == RTE_DMA_DIR_MEM_TO_MEM) {
		/* the endpoint reaches host memory through its outbound window */
		if (ch->rd) {
			if (dst > UINT64_MAX - m2m)
				return -EINVAL;
			*dar = m2m + dst;
		} else {
			if (src > UINT64_MAX - m2m)
				return -EINVAL;
			*sar = m2m + src;
		}
	}
	return 0;
}

static inline uint16_t
jobs_free(const struct dw_edma_chan *ch)
{
	return ch->nb_desc - (uint16_t)(ch->next_job - ch->rep_job);
}

static inline uint16_t
chan_free(const struct dw_edma_chan *ch)
{
	return RTE_MIN(jobs_free(ch), ring_free(ch));
}

static inline int
job_begin(struct dw_edma_chan *ch, uint64_t flags)
{
	uint16_t id = ch->next_job++;
	struct dw_edma_job *j = &ch->jobs[id & ch->job_mask];

	j->status = DW_JOB_PENDING;
	j->fence = (flags & RTE_DMA_OP_FLAG_FENCE) != 0;
	ch->batch_jobs++;
	ch->cnt.jobs_enqueued++;
	return id;
}

/*
 * Submit what was enqueued: release the open batch to the engine. A batch of
 * zero-length jobs only has no elements: its jobs count as submitted.
 */
static inline void
batch_submit(struct dw_edma_chan *ch)
{
	if (ch->batch_open) {
		ring_release(ch);
	} else {
		ch->submitted_jobs += ch->batch_jobs;
		ch->batch_jobs = 0;
	}
}

/*
 * A job with nothing to move takes no element: it completes, in order, once
 * submitted (the engine is never asked to move zero bytes, a case the
 * hardware reference leaves open).
 */
static inline int
job_null(struct dw_edma_chan *ch, uint64_t flags)
{
	int id;

	if (unlikely(jobs_free(ch) == 0))
		return -ENOSPC;
	id = job_begin(ch, flags);
	ch->jobs[id & ch->job_mask].status = DW_JOB_NULL;
	if (flags & RTE_DMA_OP_FLAG_SUBMIT)
		batch_submit(ch);
	return id;
}

static int
dw_edma_copy(void *priv, uint16_t vchan, rte_iova_t src, rte_iova_t dst,
		uint32_t length, uint64_t flags)
{
	struct dw_edma_chan *ch = priv;
	uint64_t sar, dar;
	bool irq;
	int id;

	RTE_SET_USED(vchan);
	if (unlikely(ch->dev_err))
		return -EIO;
	if (unlikely(length == 0))
		return job_null(ch, flags);
	if (unlikely(chan_free(ch) == 0))
		return -ENOSPC;
	if (unlikely(chan_addrs(ch, src, dst, &sar, &dar) != 0))
		return -EINVAL;
	id = job_begin(ch, flags);
	/* LLP progress needs the batch end flagged; write-back does not */
	irq = ch->cpl != DW_CPL_WB && (flags & RTE_DMA_OP_FLAG_SUBMIT);
	ring_put(ch, sar, dar, length, (uint16_t)id, true, irq);
	if (flags & RTE_DMA_OP_FLAG_SUBMIT)
		ring_release(ch);
	return id;
}

/* Walk of an SG job: the next stretch common to a source and a destination. */
struct sg_walk {
	const struct rte_dma_sge *src, *dst;
	uint16_t nb_src, nb_dst;
	uint16_t si, di;      /* current segments */
	uint32_t so, doff;    /* offsets in them */
};

/* Length of the next element (0 when done); zero-length segments are skipped. */
static inline uint32_t
sg_next(struct sg_walk *w)
{
	while (w->si < w->nb_src && w->so == w->src[w->si].length) {
		w->si++;
		w->so = 0;
	}
	while (w->di < w->nb_dst && w->doff == w->dst[w->di].length) {
		w->di++;
		w->doff = 0;
	}
	if (w->si == w->nb_src || w->di == w->nb_dst)
		return 0;
	return RTE_MIN(w->src[w->si].length - w->so, w->dst[w->di].length - w->doff);
}

static int
dw_edma_copy_sg(void *priv, uint16_t vchan, const struct rte_dma_sge *src,
		const struct rte_dma_sge *dst, uint16_t nb_src, uint16_t nb_dst,
		uint64_t flags)
{
	struct dw_edma_chan *ch = priv;
	struct sg_walk w = { src, dst, nb_src, nb_dst, 0, 0, 0, 0 };
	uint64_t stot = 0, dtot = 0;
	uint16_t i, nel = 0, k;
	uint32_t m;
	int id;

	RTE_SET_USED(vchan);
	if (unlikely(ch->dev_err))
		return -EIO;
	if (unlikely(nb_src == 0 || nb_dst == 0 || nb_src > ch->max_sges ||
			nb_dst > ch->max_sges || src == NULL || dst == NULL))
		return -EINVAL;
	for (i = 0; i < nb_src; i++)
		stot += src[i].length;
	for (i = 0; i < nb_dst; i++)
		dtot += dst[i].length;
	if (stot != dtot)
		return -EINVAL;
	if (stot == 0)
		return job_null(ch, flags);
	/* one element per overlap of a source and a destination segment */
	while ((m = sg_next(&w)) != 0) {
		nel++;
		w.so += m;
		w.doff += m;
	}
	/* more elements than an empty ring holds: it will never fit */
	if (unlikely(nel > ch->nb_slots - 1 - ch->wb_reserve))
		return -EINVAL;
	if (unlikely(ring_free(ch) < nel || jobs_free(ch) == 0))
		return -ENOSPC;
	if (ch->dir == RTE_DMA_DIR_MEM_TO_MEM) {
		/* check every address before anything is written */
		uint64_t lim = UINT64_MAX - ch->m2m_base;

		for (i = 0; i < nb_src; i++)
			if (src[i].length != 0 && (src[i].addr > lim ||
					src[i].length - 1 > lim - src[i].addr))
				return -EINVAL;
		for (i = 0; i < nb_dst; i++)
			if (dst[i].length != 0 && (dst[i].addr > lim ||
					dst[i].length - 1 > lim - dst[i].addr))
				return -EINVAL;
	}

	id = job_begin(ch, flags);
	w = (struct sg_walk){ src, dst, nb_src, nb_dst, 0, 0, 0, 0 };
	for (k = 0; k < nel; k++) {
		bool last = k == nel - 1;
		bool irq = last && ch->cpl != DW_CPL_WB && (flags & RTE_DMA_OP_FLAG_SUBMIT);
		uint64_t sar, dar;

		m = sg_next(&w);
		/* cannot fail: the addresses were checked above */
		(void)chan_addrs(ch, src[w.si].addr + w.so, dst[w.di].addr + w.doff, &sar,
			&dar);
		ring_put(ch, sar, dar, m, (uint16_t)id, last, irq);
		w.so += m;
		w.doff += m;
	}
	if (flags & RTE_DMA_OP_FLAG_SUBMIT)
		ring_release(ch);
	return id;
}

static int
dw_edma_submit(void *priv, uint16_t vchan)
{
	struct dw_edma_chan *ch = priv;

	RTE_SET_USED(vchan);
	if (unlikely(ch->dev_err))
		return ch->batch_open ? -EIO : 0;
	batch_submit(ch);
	return 0;
}

/*
 * Retire finished jobs in order, polling the hardware first when work is
 * outstanding (in the error state every call also watches for READY's
 * return). With status == NULL (rte_dma_completed) stop in front of the
 * first failed job and flag it through has_error; with a status array
 * (rte_dma_completed_status) report every job with its status.
 */
static inline uint16_t
jobs_collect(struct dw_edma_chan *ch, uint16_t nb_cpls, uint16_t *last_idx,
		enum rte_dma_status_code *status, bool *has_error)
{
	uint16_t n = 0;

	if (ch->started && (ch->hw_done != ch->sub_head || unlikely(ch->dev_err)))
		chan_poll(ch);
	while (n < nb_cpls && ch->rep_job != ch->next_job) {
		struct dw_edma_job *j = &ch->jobs[ch->rep_job & ch->job_mask];

		if (j->status == DW_JOB_PENDING)
			break;
		if (j->status == DW_JOB_NULL) {
			/* nothing to move: done once submitted */
			if ((uint16_t)(ch->next_job - ch->rep_job) <= ch->batch_jobs)
				break;
			j->status = RTE_DMA_STATUS_SUCCESSFUL;
		}
		if (j->status != RTE_DMA_STATUS_SUCCESSFUL) {
			if (status == NULL) {
				*has_error = true;
				break;
			}
			ch->errors++;
			ch->cnt.jobs_failed++;
		}
		if (status != NULL)
			status[n] = (enum rte_dma_status_code)j->status;
		ch->rep_job++;
		n++;
	}
	ch->cnt.jobs_completed += n;
	*last_idx = ch->rep_job - 1;
	return n;
}

static uint16_t
dw_edma_completed(void *priv, uint16_t vchan, const uint16_t nb_cpls,
		uint16_t *last_idx, bool *has_error)
{
	RTE_SET_USED(vchan);
	*has_error = false;
	return jobs_collect(priv, nb_cpls, last_idx, NULL, has_error);
}

static uint16_t
dw_edma_completed_status(void *priv, uint16_t vchan, const uint16_t nb_cpls,
		uint16_t *last_idx, enum rte_dma_status_code *status)
{
	RTE_SET_USED(vchan);
	return jobs_collect(priv, nb_cpls, last_idx, status, NULL);
}

static uint16_t
dw_edma_burst_capacity(const void *priv, uint16_t vchan)
{
	const struct dw_edma_chan *ch = priv;

	RTE_SET_USED(vchan);
	return chan_free(ch);
}

/* ---------------------------------------------------------------------------
 * Control path. A secondary process shares the fast path, the statistics,
 * the dump and the channel status; configuring, starting, stopping and
 * closing a channel stay with the primary, which owns the device.
 */
static int
primary_only(const struct rte_dma_dev *dev, const char *what)
{
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		return 0;
	DW_LOG(ERR, "%s: %s is done by the primary process", dev->data->dev_name, what);
	return -EPERM;
}
static int
dw_edma_info_get(const struct rte_dma_dev *dev, struct rte_dma_info *info,
		uint32_t info_sz)
{
	const struct dw_edma_chan *ch = dev->data->dev_private;

	RTE_SET_USED(info_sz);
	info->dev_capa = RTE_DMA_CAPA_OPS_COPY | RTE_DMA_CAPA_OPS_COPY_SG |
		RTE_DMA_CAPA_HANDLES_ERRORS |
		(ch->rd ? RTE_DMA_CAPA_MEM_TO_DEV : RTE_DMA_CAPA_DEV_TO_MEM);
	if (ch->fn->opts.has_m2m)
		info->dev_capa |= RTE_DMA_CAPA_MEM_TO_MEM;
	info->max_vchans = 1;
	info->max_desc = ch->max_desc;
	info->min_desc = 1;
	info->max_sges = ch->max_sges;
	return 0;
}

static int
dw_edma_configure(struct rte_dma_dev *dev, const struct rte_dma_conf *conf,
		uint32_t conf_sz)
{
	RTE_SET_USED(conf_sz);
	if (primary_only(dev, "configure") != 0)
		return -EPERM;
	if (conf->nb_vchans != 1) {
		DW_LOG(ERR, "%s: nb_vchans %u: one vchan per channel", dev->data->dev_name,
			conf->nb_vchans);
		return -EINVAL;
	}
	if (DW_EDMA_CONF_UNSUPPORTED(conf)) {
		DW_LOG(ERR, "%s: silent mode is not supported", dev->data->dev_name);
		return -ENOTSUP;
	}
	return 0;
}

static void
chan_free_rings(struct dw_edma_chan *ch)
{
	dw_edma_chan_cpl_free(ch);
	rte_free(ch->slots);
	rte_free(ch->jobs);
	rte_free(ch->replay);
	ch->replay = NULL;
	ch->slots = NULL;
	ch->jobs = NULL;
	ch->configured = false;
}

static int
dw_edma_vchan_setup(struct rte_dma_dev *dev, uint16_t vchan,
		const struct rte_dma_vchan_conf *conf, uint32_t conf_sz)
{
	struct dw_edma_chan *ch = dev->data->dev_private;
	const char *name = dev->data->dev_name;
	uint32_t njobs;

	RTE_SET_USED(vchan);
	RTE_SET_USED(conf_sz);
	if (primary_only(dev, "vchan setup") != 0)
		return -EPERM;
	if (conf->nb_desc == 0 || conf->nb_desc > ch->max_desc) {
		DW_LOG(ERR, "%s: nb_desc %u does not fit: the descriptor window (%u "
			"bytes, %u elements) takes at most %u jobs",
			name, conf->nb_desc, ch->desc_size, ch->nb_slots, ch->max_desc);
		return -EINVAL;
	}
	switch (conf->direction) {
	case RTE_DMA_DIR_MEM_TO_DEV:
		if (!ch->rd)
			goto bad_dir;
		break;
	case RTE_DMA_DIR_DEV_TO_MEM:
		if (ch->rd)
			goto bad_dir;
		break;
	case RTE_DMA_DIR_MEM_TO_MEM:
		if (!ch->fn->opts.has_m2m)
			goto bad_dir;
		break;
	default:
		goto bad_dir;
	}
	chan_free_rings(ch);
	njobs = rte_align32pow2(conf->nb_desc + 1u);
	ch->slots = rte_zmalloc_socket(NULL, sizeof(*ch->slots) * ch->nb_slots,
		RTE_CACHE_LINE_SIZE, dev->device->numa_node);
	ch->replay = rte_zmalloc_socket(NULL, sizeof(*ch->slots) * ch->nb_slots,
		RTE_CACHE_LINE_SIZE, dev->device->numa_node);
	ch->jobs = rte_zmalloc_socket(NULL, njobs * sizeof(*ch->jobs), RTE_CACHE_LINE_SIZE,
		dev->device->numa_node);
	if (ch->slots == NULL || ch->jobs == NULL || ch->replay == NULL) {
		chan_free_rings(ch);
		DW_LOG(ERR, "%s: no memory for a ring of %u", name, conf->nb_desc);
		return -ENOMEM;
	}
	ch->job_mask = njobs - 1;
	ch->nb_desc = conf->nb_desc;
	ch->dir = conf->direction;
	ch->configured = true;
	return 0;
bad_dir:
	DW_LOG(ERR, "%s: direction %d not possible on a %s channel%s", name, conf->direction,
		ch->rd ? "read (MEM_TO_DEV)" : "write (DEV_TO_MEM)",
		ch->fn->opts.has_m2m ? "" : " (MEM_TO_MEM needs the m2m_base devarg)");
	return -EINVAL;
}

/*
 * Forget the jobs of the previous run. Jobs not collected are counted as
 * completed here, once (stop gave them their final status).
 */
static void
chan_reset_jobs(struct dw_edma_chan *ch)
{
	uint16_t j;

	for (j = ch->rep_job; j != ch->next_job; j++) {
		uint16_t st = ch->jobs[j & ch->job_mask].status;

		ch->cnt.jobs_completed++;
		if (st != RTE_DMA_STATUS_SUCCESSFUL) {
			ch->cnt.jobs_failed++;
			ch->errors++;
		}
	}
	ch->next_job = 0;
	ch->rep_job = 0;
	ch->dev_err = false;
	ch->meta_changed = false;
}

/*
 * Control path: make sure the channel is not running before its ring is
 * touched. A running channel is asked to stop with the doorbell STOP bit
 * (its own channel only; siblings keep running). Bounded; -EBUSY if it
 * keeps running.
 */
static int
chan_halt_wait(struct dw_edma_chan *ch)
{
	uint64_t hz = rte_get_timer_hz();
	uint64_t end = rte_get_timer_cycles() + hz * DW_EDMA_HALT_WAIT_MS / 1000;
	bool stop_sent = false;

	for (;;) {
		enum dw_edma_hw_state st = chan_ops(ch)->state(ch);

		if (st != DW_HW_RUNNING)
			return 0;
		if (!stop_sent) {
			DW_LOG(DEBUG, "%s: channel running, sending doorbell STOP", ch->name);
			chan_ops(ch)->stop(ch);
			stop_sent = true;
		}
		if (rte_get_timer_cycles() > end)
			break;
		rte_delay_us_block(10);
	}
	DW_LOG(ERR, "%s: channel still running %u ms after a doorbell STOP",
		ch->name, DW_EDMA_HALT_WAIT_MS);
	return -EBUSY;
}

static int
dw_edma_start(struct rte_dma_dev *dev)
{
	struct dw_edma_chan *ch = dev->data->dev_private;
	int rc;

	if (primary_only(dev, "start") != 0)
		return -EPERM;
	if (!ch->configured) {
		DW_LOG(ERR, "%s: vchan not set up", dev->data->dev_name);
		return -EINVAL;
	}
	if (!dw_edma_meta_ready(ch)) {
		DW_LOG(ERR, "%s: endpoint READY is 0, cannot start", dev->data->dev_name);
		return -EIO;
	}
	/* never rewrite the ring under a running engine */
	rc = chan_halt_wait(ch);
	if (rc != 0)
		return rc;
	chan_reset_jobs(ch);
	rc = dw_edma_chan_cpl_setup(ch);
	if (rc != 0)
		return rc;
	chan_ops(ch)->quiesce(ch);
	rc = dw_edma_chan_wait_abort_clear(ch, DW_EDMA_CLEAR_WAIT_MS);
	if (rc != 0)
		return rc;
	dw_edma_chan_reprogram(ch);
	ch->started = true;
	return 0;
}

/*
 * Stop: let released work finish (bounded), stop the channel, give every job
 * left its final status (NOT_ATTEMPTED when not done) so completed_status()
 * can still collect it before the next start.
 */
static int
dw_edma_stop(struct rte_dma_dev *dev)
{
	struct dw_edma_chan *ch = dev->data->dev_private;
	uint64_t end = rte_get_timer_cycles() +
		rte_get_timer_hz() * DW_EDMA_STOP_WAIT_MS / 1000;
	uint16_t left, j, notdone = 0;
	int rc;

	if (primary_only(dev, "stop") != 0)
		return -EPERM;
	if (!ch->started)
		return 0;
	if (ch->batch_open && !ch->dev_err)
		DW_LOG(WARNING, "%s: stop with %u jobs never submitted", dev->data->dev_name,
			ch->batch_jobs);
	while (!ch->dev_err && ch->hw_done != ch->sub_head &&
			rte_get_timer_cycles() < end) {
		chan_poll(ch);
		rte_pause();
	}
	if (!ch->dev_err) {
		rc = chan_halt_wait(ch);
		if (rc != 0)
			return rc;
		/* what the engine finished before it stopped */
		if (ch->hw_done != ch->sub_head)
			(void)dw_edma_chan_progress(ch);
	}
	left = (uint16_t)(ch->next_job - ch->rep_job);
	for (j = ch->rep_job; j != ch->next_job; j++)
		if (ch->jobs[j & ch->job_mask].status == DW_JOB_PENDING)
			notdone++;
	if (notdone != 0)
		DW_LOG(WARNING, "%s: stopped with %u jobs not collected, %u of them not done "
			"(NOT_ATTEMPTED); collect them before the next start, which resets "
			"the ids", dev->data->dev_name, left, notdone);
	dw_edma_jobs_fail_pending(ch, RTE_DMA_STATUS_NOT_ATTEMPTED);
	ch->started = false;
	chan_ops(ch)->quiesce(ch);
	return 0;
}

static int
dw_edma_close(struct rte_dma_dev *dev)
{
	struct dw_edma_chan *ch = dev->data->dev_private;
	unsigned int i;

	/* a secondary only lets go of its own view of the device */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (ch->started)
		dw_edma_stop(dev);
	chan_free_rings(ch);
	for (i = 0; i < ch->fn->nb_chans; i++)
		if (ch->fn->chans[i] == ch)
			ch->fn->chans[i] = NULL;
	return 0;
}

static int
dw_edma_stats_get(const struct rte_dma_dev *dev, uint16_t vchan,
		struct rte_dma_stats *stats, uint32_t stats_sz)
{
	const struct dw_edma_chan *ch = dev->data->dev_private;

	RTE_SET_USED(vchan);
	RTE_SET_USED(stats_sz);
	stats->submitted = ch->submitted_jobs;
	stats->completed = ch->cnt.jobs_completed;
	stats->errors = ch->errors;
	return 0;
}

static int
dw_edma_stats_reset(struct rte_dma_dev *dev, uint16_t vchan)
{
	struct dw_edma_chan *ch = dev->data->dev_private;

	RTE_SET_USED(vchan);
	memset(&ch->cnt, 0, sizeof(ch->cnt));
	ch->submitted_jobs = 0;
	ch->errors = 0;
	return 0;
}

static int
dw_edma_vchan_status(const struct rte_dma_dev *dev, uint16_t vchan,
		enum rte_dma_vchan_status *status)
{
	struct dw_edma_chan *ch = dev->data->dev_private;

	RTE_SET_USED(vchan);
	if (ch->started) {
		/* slow path: also look at READY, which completed() does rarely */
		if (!ch->dev_err && !dw_edma_meta_ready(ch))
			dw_edma_chan_err_enter(ch, "READY dropped", 0);
		/* the poll completed() does: a stalled channel is looked at as there */
		if (ch->dev_err || ch->hw_done != ch->sub_head)
			chan_poll(ch);
	}
	if (ch->dev_err)
		*status = RTE_DMA_VCHAN_HALTED_ERROR;
	else if (ch->started && ch->hw_done != ch->sub_head)
		*status = RTE_DMA_VCHAN_ACTIVE;
	else
		*status = RTE_DMA_VCHAN_IDLE;
	return 0;
}

static int
dw_edma_dump(const struct rte_dma_dev *dev, FILE *f)
{
	struct dw_edma_chan *ch = dev->data->dev_private;
	const struct rte_pmd_dw_edma_counters *c = &ch->cnt;

	fprintf(f, "dw_edma channel %s%u of %s (%s)\n", ch->rd ? "rd" : "wr", ch->hw_ch,
		ch->fn->name, chan_ops(ch)->name);
	dw_edma_meta_dump(ch->fn, f);
	fprintf(f, "  descriptor window: %u bytes at EP 0x%" PRIx64 ", %u ring slots, "
		"max_desc %u, max_sges %u\n",
		ch->desc_size, ch->desc_addr, ch->nb_slots, ch->max_desc, ch->max_sges);
	fprintf(f, "  ring: nb_desc %u head %u hw_done %u released-to %u cb %u batch %s "
		"(%u jobs)\n",
		ch->nb_desc, ch->head, ch->hw_done, ch->sub_head, ch->cb,
		ch->batch_open ? "open" : "closed", ch->batch_jobs);
	fprintf(f, "  jobs: next id %u oldest uncollected %u%s\n",
		ch->next_job, ch->rep_job, ch->dev_err ? " DEVICE ERROR STATE" : "");
	fprintf(f, "  completion: %s, word at IOVA 0x%" PRIx64 " (last code 0x%08x); "
		"stall_us %u, doorbell retries since progress %u\n",
		ch->cpl == DW_CPL_WB ? "write-back" : ch->cpl == DW_CPL_IMWR ? "IMWr" :
		"LLP reads", (uint64_t)ch->cpl_iova, ch->wb_last, ch->fn->opts.stall_us,
		ch->noprog_retries);
	fprintf(f, "  counters: enqueued %" PRIu64 " completed %" PRIu64 " failed %" PRIu64
		" doorbells %" PRIu64 " (retries %" PRIu64 ") mmio reads %" PRIu64
		" stores %" PRIu64 " stall checks %" PRIu64 " ring resets %" PRIu64 "\n",
		c->jobs_enqueued, c->jobs_completed, c->jobs_failed, c->doorbells,
		c->doorbell_retries, c->mmio_reads, c->mmio_writes, c->stall_checks,
		c->ring_resets);
	if (!ch->dev_err) {
		/* register reads here are diagnostics: keep them off the counters */
		struct rte_pmd_dw_edma_counters save = ch->cnt;

		chan_ops(ch)->dump(ch, f);
		ch->cnt = save;
	}
	return 0;
}

static const struct rte_dma_dev_ops dw_edma_ops = {
	.dev_info_get = dw_edma_info_get,
	.dev_configure = dw_edma_configure,
	.dev_start = dw_edma_start,
	.dev_stop = dw_edma_stop,
	.dev_close = dw_edma_close,
	.vchan_setup = dw_edma_vchan_setup,
	.stats_get = dw_edma_stats_get,
	.stats_reset = dw_edma_stats_reset,
	.vchan_status = dw_edma_vchan_status,
	.dev_dump = dw_edma_dump,
};

/* Hook the ops of this process up to a device of a discovered function. */
void
dw_edma_dev_init(struct rte_dma_dev *dev, struct dw_edma_chan *ch)
{
	dev->dev_ops = &dw_edma_ops;
	dev->fp_obj->dev_private = ch;
	dev->fp_obj->copy = dw_edma_copy;
	dev->fp_obj->copy_sg = dw_edma_copy_sg;
	dev->fp_obj->submit = dw_edma_submit;
	dev->fp_obj->completed = dw_edma_completed;
	dev->fp_obj->completed_status = dw_edma_completed_status;
	dev->fp_obj->burst_capacity = dw_edma_burst_capacity;
	dev->state = RTE_DMA_DEV_READY;
}
