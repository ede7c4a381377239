/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * The workload engine: the per-lcore loop that
 * enqueues, submits and polls completions, timing only the rte_dma_* calls
 * so the driver's cost is kept apart from the app's own work (pattern fill,
 * verification, bookkeeping).
 */

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "ep_dma.h"

#define EP_MAX_CPL 256          /* completions fetched per call */


static inline bool
stop_requested(const struct ep_run *run)
{
	return run->stop || ep_force_quit;
}

/* ---- the fast loop ------------------------------------------------------ */

static void __rte_format_printf(3, 4)
dev_fail(struct ep_dev *dev, int err, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	EP_LOG(ERR, "device %s: %s%s%s; device stopped for this run\n",
		dev->d.name, what, err ? ": " : "", err ? strerror(-err) : "");
	dev->failed = true;
	dev->errors++;
}

/* Cost of an empty measured region, subtracted from every measurement. */
static uint64_t tsc_overhead;

void
ep_calibrate_tsc(void)
{
	uint64_t best = UINT64_MAX, t0, t1;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		t0 = rte_rdtsc_precise();
		t1 = rte_rdtsc_precise();
		best = RTE_MIN(best, t1 - t0);
	}
	tsc_overhead = best;
}

static inline uint64_t
region(uint64_t t0, uint64_t t1)
{
	return t1 - t0 > tsc_overhead ? t1 - t0 - tsc_overhead : 0;
}

static const char *
status_name(enum rte_dma_status_code st)
{
	static const char *const names[] = {
		[RTE_DMA_STATUS_SUCCESSFUL] = "successful",
		[RTE_DMA_STATUS_USER_ABORT] = "user abort",
		[RTE_DMA_STATUS_NOT_ATTEMPTED] = "not attempted",
		[RTE_DMA_STATUS_INVALID_SRC_ADDR] = "invalid source address",
		[RTE_DMA_STATUS_INVALID_DST_ADDR] = "invalid destination address",
		[RTE_DMA_STATUS_INVALID_ADDR] = "invalid address",
		[RTE_DMA_STATUS_INVALID_LENGTH] = "invalid length",
		[RTE_DMA_STATUS_INVALID_OPCODE] = "invalid opcode",
		[RTE_DMA_STATUS_BUS_READ_ERROR] = "bus read error",
		[RTE_DMA_STATUS_BUS_WRITE_ERROR] = "bus write error",
		[RTE_DMA_STATUS_BUS_ERROR] = "bus error",
		[RTE_DMA_STATUS_DATA_POISION] = "data poison",
		[RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR] = "descriptor read error",
		[RTE_DMA_STATUS_DEV_LINK_ERROR] = "device link error",
		[RTE_DMA_STATUS_PAGE_FAULT] = "page fault",
	};

	if ((unsigned int)st < RTE_DIM(names) && names[st] != NULL)
		return names[st];
	return st == RTE_DMA_STATUS_ERROR_UNKNOWN ? "unknown error" : "?";
}

static void
dev_enqueue(struct ep_dev *dev, bool latency, uint64_t jobs)
{
	uint32_t n = RTE_MIN((uint32_t)dev->burst, dev->inflight - dev->outstanding);
	uint64_t seq0 = dev->enq_seq, t0, t1, t2;
	int16_t id = dev->d.id;
	uint32_t k, slot;
	int rc = 0;

	if (jobs != 0 && jobs - seq0 < n)
		n = (uint32_t)(jobs - seq0);
	if (n == 0)
		return;
	if (dev->verify && dev->src_va != NULL)
		for (k = 0; k < n; k++)
			ep_fill_job(dev, dev->src_va + (size_t)((seq0 + k) % dev->nslots) *
				dev->slot_bytes, seq0 + k);

	/* Inside the timed region the app only steps two indexes: no division
	 * is charged to the driver.
	 */
	slot = (uint32_t)(seq0 % dev->nslots);
	t0 = rte_rdtsc_precise();
	for (k = 0; k < n; k++) {
		uint64_t off = (uint64_t)slot * dev->slot_bytes;

		if (dev->sg == 1) {
			rc = rte_dma_copy(id, 0, dev->src_addr + off,
				dev->dst_addr + off, dev->size, 0);
		} else {
			struct rte_dma_sge *s = dev->sge + (size_t)slot * 2 * dev->sg;

			rc = rte_dma_copy_sg(id, 0, s, s + dev->sg, dev->sg,
				dev->sg, 0);
		}
		if (rc < 0)
			break;
		dev->fifo[dev->fifo_tail].ring_idx = (uint16_t)rc;
		if (++dev->fifo_tail == dev->fifo_cap)
			dev->fifo_tail = 0;
		if (++slot == dev->nslots)
			slot = 0;
	}
	t1 = rte_rdtsc_precise();
	t2 = t1;
	if (k > 0) {
		rte_dma_submit(id, 0);
		t2 = rte_rdtsc_precise();
		dev->m.submits++;
	}
	dev->m.enq_cycles += region(t0, t1);
	dev->m.sub_cycles += k > 0 ? region(t1, t2) : 0;
	if (k > 0) {
		uint32_t pos = (dev->fifo_tail + dev->fifo_cap - k) % dev->fifo_cap;
		/* each job carries its share of this burst's calls until the
		 * completion call that reports it adds its own share
		 */
		float share = (float)(region(t0, t1) + region(t1, t2)) / (float)k;
		uint32_t i;

		for (i = 0; i < k; i++) {
			dev->fifo[pos].seq = seq0 + i;
			dev->fifo[pos].tsc = latency ? t2 : 0;
			dev->fifo[pos].share = share;
			pos = (pos + 1) % dev->fifo_cap;
		}
		dev->enq_seq += k;
		dev->outstanding += k;
	}
	if (rc < 0 && rc != -ENOSPC)
		dev_fail(dev, rc, "enqueue of job %" PRIu64 " failed", seq0 + k);
	else if (rc == -ENOSPC && dev->outstanding == 0)
		dev_fail(dev, rc, "enqueue of job %" PRIu64 " refused with no job "
			"in flight", seq0);
}

/*
 * Account one completed job taken from the head of the FIFO; cpl_share is
 * its share of the cycles of the completion call that reported it.
 */
static void
job_done(struct ep_dev *dev, enum rte_dma_status_code st, uint64_t now,
		bool latency, float cpl_share)
{
	struct ep_job *j = &dev->fifo[dev->fifo_head];

	ep_meas_job_cycles(&dev->m, (double)j->share + (double)cpl_share);
	dev->fifo_head = (dev->fifo_head + 1) % dev->fifo_cap;
	dev->outstanding--;
	dev->done_seq++;
	if (st != RTE_DMA_STATUS_SUCCESSFUL) {
		dev->errors++;
		if (dev->reported++ < EP_MAX_REPORTS)
			EP_LOG(ERR, "device %s: job %" PRIu64 " (size %u) "
				"failed with status %d (%s)\n", dev->d.name,
				j->seq, dev->size, (int)st, status_name(st));
		return;
	}
	if (latency)
		ep_hist_add(&dev->m.lat, now - j->tsc);
	if (dev->verify && dev->dst_va != NULL)
		ep_verify_job(dev, j->seq);
	dev->bytes += dev->size;
}

static void
check_index(struct ep_dev *dev, uint16_t last_idx)
{
	const struct ep_job *j =
		&dev->fifo[(dev->fifo_head + dev->fifo_cap - 1) % dev->fifo_cap];

	if (j->ring_idx != last_idx) {
		dev->errors++;
		if (dev->reported++ < EP_MAX_REPORTS)
			EP_LOG(ERR, "device %s: job %" PRIu64 ": completion "
				"reported ring index %u, expected %u\n",
				dev->d.name, j->seq, last_idx, j->ring_idx);
	}
}

static void
dev_complete(struct ep_dev *dev, bool latency, uint64_t timeout_cycles)
{
	enum rte_dma_status_code st[EP_MAX_CPL];
	uint16_t max = (uint16_t)RTE_MIN(dev->outstanding, (uint32_t)EP_MAX_CPL);
	uint16_t n, i, last_idx = 0;
	bool has_error = false;
	uint64_t t0, t1;

	t0 = rte_rdtsc_precise();
	n = rte_dma_completed(dev->d.id, 0, max, &last_idx, &has_error);
	t1 = rte_rdtsc_precise();
	if (n > 0 || has_error) {
		dev->m.cpl_cycles += region(t0, t1);
		dev->m.cpl_calls += n > 0;
	} else {
		dev->m.idle_cycles += region(t0, t1);
		dev->m.idle_polls++;
	}
	if (n > RTE_MIN(max, dev->outstanding)) {
		dev_fail(dev, 0, "%u completions reported with %u jobs in flight "
			"(job %" PRIu64 ")", n, dev->outstanding, dev->done_seq);
		return;
	}
	for (i = 0; i < n; i++)
		job_done(dev, RTE_DMA_STATUS_SUCCESSFUL, t1, latency,
			(float)region(t0, t1) / (float)n);
	if (n > 0)
		check_index(dev, last_idx);
	if (has_error && dev->outstanding > 0) {
		uint16_t m;

		max = (uint16_t)RTE_MIN(dev->outstanding, (uint32_t)EP_MAX_CPL);
		t0 = rte_rdtsc_precise();
		m = rte_dma_completed_status(dev->d.id, 0, max, &last_idx, st);
		t1 = rte_rdtsc_precise();
		dev->m.cpl_cycles += region(t0, t1);
		if (m > max) {
			dev_fail(dev, 0, "%u statuses reported with %u jobs in "
				"flight (job %" PRIu64 ")", m, dev->outstanding,
				dev->done_seq);
			return;
		}
		for (i = 0; i < m; i++)
			job_done(dev, st[i], t1, latency,
				(float)region(t0, t1) / (float)m);
		if (m > 0)
			check_index(dev, last_idx);
		n += m;
	}
	if (n > 0) {
		dev->last_progress_tsc = t1;
		dev->end_tsc = t1;
		__atomic_store_n(&dev->live_jobs, dev->done_seq, __ATOMIC_RELAXED);
		__atomic_store_n(&dev->live_bytes, dev->bytes, __ATOMIC_RELAXED);
	} else if (t1 - dev->last_progress_tsc > timeout_cycles) {
		const struct ep_job *j = &dev->fifo[dev->fifo_head];

		dev_fail(dev, 0, "no completion within the timeout; job %" PRIu64
			" and %u after it still outstanding", j->seq,
			dev->outstanding - 1);
	}
}

static int
lcore_loop(void *arg)
{
	struct ep_lcore_ctx *ctx = arg;
	struct ep_run *run = ctx->run;
	const struct ep_config *cfg = &run->cfg;
	uint64_t hz = rte_get_tsc_hz();
	uint64_t timeout = (uint64_t)cfg->timeout_ms * hz / 1000;
	uint64_t start = rte_rdtsc();
	uint64_t end = start + (uint64_t)(cfg->duration * (double)hz);
	uint64_t period = (uint64_t)cfg->progress_ms * hz / 1000;
	uint64_t next_print = start + period;
	unsigned int i, active;

	for (i = 0; i < ctx->n; i++) {
		ctx->devs[i]->first_tsc = start;
		ctx->devs[i]->end_tsc = start;
		ctx->devs[i]->last_progress_tsc = start;
	}
	do {
		uint64_t now = rte_rdtsc();
		bool stopping = stop_requested(run) ||
			(cfg->jobs == 0 && now >= end);

		active = 0;
		for (i = 0; i < ctx->n; i++) {
			struct ep_dev *dev = ctx->devs[i];
			bool enq_over;

			if (dev->finished)
				continue;
			if (dev->failed) {
				dev->finished = true;
				continue;
			}
			enq_over = stopping ||
				(cfg->jobs != 0 && dev->enq_seq >= cfg->jobs);
			if (!enq_over && dev->outstanding < dev->inflight)
				dev_enqueue(dev, cfg->latency, cfg->jobs);
			if (dev->outstanding > 0 && !dev->failed)
				dev_complete(dev, cfg->latency, timeout);
			else if (enq_over || dev->failed)
				dev->finished = true;
			if (!dev->finished)
				active++;
		}
		if (ctx->is_main && period != 0 && now >= next_print) {
			ep_out_progress(run, (double)(now - start) / (double)hz);
			next_print = now + period;
		}
	} while (active > 0);

	/* The main lcore also reports while workers are still running. */
	if (ctx->is_main) {
		struct ep_lcore_ctx *all = run->lctx;

		for (i = 0; i < run->n_lctx; i++) {
			while (!all[i].is_main && !all[i].done) {
				uint64_t now = rte_rdtsc();

				if (period != 0 && now >= next_print) {
					ep_out_progress(run,
						(double)(now - start) / (double)hz);
					next_print = now + period;
				}
				rte_delay_us_sleep(1000);
			}
		}
	}
	__atomic_store_n(&ctx->done, true, __ATOMIC_RELEASE);
	return 0;
}

static void
phase_init(struct ep_dev *dev, uint32_t size)
{
	unsigned int s, i;

	dev->size = size;
	dev->enq_seq = 0;
	dev->done_seq = 0;
	dev->bytes = 0;
	dev->errors = 0;
	dev->mismatches = 0;
	dev->reported = 0;
	dev->finished = dev->failed;
	dev->outstanding = 0;
	dev->fifo_head = 0;
	dev->fifo_tail = 0;
	dev->live_jobs = 0;
	dev->live_bytes = 0;
	ep_meas_reset(&dev->m);
	ep_dev_counters(dev->d.id, &dev->ctr0);
	if (dev->sge != NULL) {
		for (s = 0; s < dev->nslots; s++) {
			struct rte_dma_sge *e = dev->sge + (size_t)s * 2 * dev->sg;
			uint64_t off = (uint64_t)s * dev->slot_bytes;

			for (i = 0; i < dev->sg; i++) {
				uint64_t o = off + (uint64_t)i * dev->seg_stride;

				e[i].addr = dev->src_addr + o;
				e[i].length = ep_seg_len(dev, i);
				e[dev->sg + i].addr = dev->dst_addr + o;
				e[dev->sg + i].length = ep_seg_len(dev, i);
			}
		}
	}
}

static void
phase_result(const struct ep_config *cfg, struct ep_dev *dev, unsigned int p)
{
	struct ep_result *r = &dev->res[p];
	struct ep_ctr c, d = { .valid = false };

	if (dev->ctr0.valid && ep_dev_counters(dev->d.id, &c) == 0) {
		d.valid = true;
		d.doorbells = c.doorbells - dev->ctr0.doorbells;
		d.mmio_reads = c.mmio_reads - dev->ctr0.mmio_reads;
		d.mmio_writes = c.mmio_writes - dev->ctr0.mmio_writes;
		d.doorbell_retries = c.doorbell_retries -
			dev->ctr0.doorbell_retries;
		d.stall_checks = c.stall_checks - dev->ctr0.stall_checks;
		d.ring_resets = c.ring_resets - dev->ctr0.ring_resets;
	}
	ep_result_fill(r, dev,
		(double)(dev->end_tsc - dev->first_tsc) / (double)rte_get_tsc_hz(),
		&d);
	r->burst = dev->burst;
	r->sg = dev->sg;
	r->inflight = dev->inflight;
	if (dev->d.is_dw_edma)
		snprintf(r->completion, sizeof(r->completion), "%s",
			ep_completion_name(ep_dev_completion(dev->d.id)));
	if (dev->failed)
		r->errors += dev->outstanding;
	ep_result_project(r, cfg, (double)rte_get_tsc_hz() / 1e9);
	ep_result_link(r, cfg);
}

/*
 * Baseline: the main lcore copies with plain memcpy() over buffer slots as
 * a device would, while no device runs. A DMA driver's cycles per job are
 * worth offloading only if they are well below these. The calls are timed
 * in blocks of EP_MEMCPY_BLOCK, each call taking the block's mean: a 64-byte
 * copy is shorter than one tick of some TSCs.
 */
static void
memcpy_phase(struct ep_run *run, unsigned int p)
{
	const struct ep_config *cfg = &run->cfg;
	struct ep_result *r = &run->mc[p];
	uint32_t size = cfg->sizes[p], slot = 0;
	uint64_t hz = rte_get_tsc_hz(), sum = 0, n = 0, t0, t1, start, end;
	struct ep_meas *m = malloc(sizeof(*m));

	memset(r, 0, sizeof(*r));
	if (m == NULL)
		return;
	ep_meas_reset(m);
	start = rte_rdtsc();
	end = start + (uint64_t)(cfg->duration * (double)hz);
	while (!stop_requested(run) &&
			(cfg->jobs != 0 ? n < cfg->jobs : rte_rdtsc() < end)) {
		uint64_t blk = EP_MEMCPY_BLOCK, k, c;

		if (cfg->jobs != 0 && cfg->jobs - n < blk)
			blk = cfg->jobs - n;
		t0 = rte_rdtsc_precise();
		for (k = 0; k < blk; k++) {
			size_t off = (size_t)slot * run->mc_slot_bytes;

			memcpy(run->mc_dst + off, run->mc_src + off, size);
			if (++slot == run->mc_slots)
				slot = 0;
		}
		t1 = rte_rdtsc_precise();
		c = region(t0, t1);
		sum += c;
		for (k = 0; k < blk; k++)
			ep_meas_job_cycles(m, (double)c / (double)blk);
		n += blk;
	}
	t1 = rte_rdtsc();
	r->valid = true;
	snprintf(r->device, sizeof(r->device), "memcpy");
	r->dir = EP_DIR_MEM2MEM;
	r->size = size;
	r->burst = 1;
	r->sg = 1;
	r->inflight = 1;
	r->jobs = n;
	r->bytes = n * size;
	r->seconds = (double)(t1 - start) / (double)hz;
	if (r->seconds > 0) {
		r->mjobs_per_s = (double)n / r->seconds / 1e6;
		r->gbytes_per_s = (double)r->bytes / r->seconds / 1e9;
	}
	r->enq_cycles = n ? (double)sum / (double)n : 0;
	r->cycles_per_job = r->enq_cycles;
	r->cyc_med = ep_meas_cycles_median(m);
	r->cyc_p99 = ep_hist_percentile(&m->cost, 99);
	r->doorbells_per_job = r->mmio_reads_per_job = -1;
	r->mmio_writes_per_job = -1;
	r->doorbell_retries = r->stall_checks = -1;
	r->submits_per_job = r->cpl_calls_per_job = -1;
	r->proj_cpu_ns = r->proj_mjobs = r->proj_before_mjobs = -1;
	r->before_reads = r->before_stores = -1;
	r->link_pct = -1;           /* no link in a CPU copy */
	free(m);
}

/* Per-job driver cycles of all devices of phase p, for the total row. */
static void
total_cost(struct ep_run *run, unsigned int p)
{
	struct ep_meas *m = malloc(sizeof(*m));
	unsigned int i;

	run->total[p].cyc_med = run->total[p].cyc_p99 = -1;
	if (m == NULL)
		return;
	ep_meas_reset(m);
	for (i = 0; i < run->n_devs; i++)
		ep_meas_merge_cycles(m, &run->devs[i].m);
	if (m->cost.count) {
		run->total[p].cyc_med = ep_meas_cycles_median(m);
		run->total[p].cyc_p99 = ep_hist_percentile(&m->cost, 99);
	}
	free(m);
}

int
ep_run_execute(struct ep_run *run)
{
	struct ep_lcore_ctx *ctx = run->lctx;
	const struct ep_config *cfg = &run->cfg;
	struct ep_result rows[EP_MAX_DEVS];
	unsigned int p, i;
	int rc = 0;

	run->running = true;
	run->phases_done = 0;
	run->start_tsc = rte_rdtsc();
	/* The first phase always runs, so a stop at once still reports. */
	for (p = 0; p < cfg->n_sizes && (p == 0 || !stop_requested(run)); p++) {
		run->phase = p;
		for (i = 0; i < run->n_devs; i++)
			phase_init(&run->devs[i], cfg->sizes[p]);
		for (i = 0; i < run->n_lctx; i++)
			ctx[i].done = false;
		for (i = 1; i < run->n_lctx; i++) {
			rc = rte_eal_remote_launch(lcore_loop, &ctx[i], ctx[i].lcore);
			if (rc < 0) {
				fprintf(stderr, "cannot launch lcore %u: %s\n",
					ctx[i].lcore, strerror(-rc));
				run->stop = true;
				ctx[i].done = true;
			}
		}
		lcore_loop(&ctx[0]);
		for (i = 1; i < run->n_lctx; i++)
			rte_eal_wait_lcore(ctx[i].lcore);
		for (i = 0; i < run->n_devs; i++) {
			phase_result(cfg, &run->devs[i], p);
			rows[i] = run->devs[i].res[p];
		}
		ep_result_total(&run->total[p], rows, run->n_devs);
		total_cost(run, p);
		ep_result_link(&run->total[p], cfg);
		/* alone: no device has jobs in flight now */
		if (cfg->memcpy)
			memcpy_phase(run, p);
		run->phases_done = p + 1;
	}
	/* A simulated endpoint also judges the driver: any register write
	 * outside what was delegated fails the run.
	 */
	for (i = 0; i < run->n_devs; i++)
		if (ep_dev_check_violations(&run->devs[i].d) != 0)
			run->devs[i].failed = true;
	run->running = false;
	return rc;
}

/* @return 0 when every job of every device succeeded and verified. */
int
ep_run_status(const struct ep_run *run)
{
	unsigned int p, i;

	for (i = 0; i < run->n_devs; i++) {
		if (run->devs[i].failed)
			return -1;
		for (p = 0; p < run->phases_done; p++)
			if (run->devs[i].res[p].errors != 0)
				return -1;
	}
	return 0;
}

void
ep_run_release(struct ep_run *run)
{
	unsigned int i;

	for (i = 0; run->devs != NULL && i < run->n_devs; i++) {
		struct ep_dev *dev = &run->devs[i];

		if (dev->ring != 0)
			rte_dma_stop(dev->d.id);
		rte_free(dev->src_alloc);
		rte_free(dev->dst_alloc);
		rte_free(dev->fifo);
		rte_free(dev->sge);
	}
	free(run->devs);
	run->devs = NULL;
	run->n_devs = 0;
	free(run->lctx);
	run->lctx = NULL;
	rte_free(run->mc_src);
	rte_free(run->mc_dst);
	run->mc_src = run->mc_dst = NULL;
	run->n_lctx = 0;
	if (run->ep_map_va != NULL)
		munmap(run->ep_map_va, run->ep_map_len);
	run->ep_map_va = NULL;
	run->ep_map_base = NULL;
}
