/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Measurement: the latency histogram and the reduction of a phase's raw
 * counters (TSC cycles, jobs, bytes) into a result row.
 *
 * The histogram has power-of-two buckets split into 128 linear sub-buckets
 * (each under 0.8% wide), so memory stays fixed (64 KiB) however long the
 * run; a percentile is interpolated within its bucket, so that it moves
 * with the data instead of from one bucket to the next.
 *
 * Driver cycles per job go into two histograms: one value per job, for the
 * tail, and the mean of each window of EP_CYC_WINDOW consecutive jobs, for
 * the median. The TSC ticks every few tens of cycles on some hosts (21 on
 * the nested-virtualisation machines this is developed on). At burst 1
 * every job is timed by calls of its own, a few ticks long, and the median
 * of single jobs snaps from one tick to the next between runs; the mean of
 * a window resolves the cost below the tick, and a call that a preemption
 * holds up still spoils only its own window. At burst 32 the jobs of a
 * burst share its timed calls, a window lies within one burst, and the
 * median is the median job's, as before.
 */

#include <string.h>

#include <rte_cycles.h>

#include "ep_dma.h"

void
ep_hist_reset(struct ep_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static unsigned int
hist_index(uint64_t v)
{
	unsigned int e;

	if (v < EP_HIST_SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);
	return (e - EP_HIST_SUB_BITS + 1) * EP_HIST_SUB +
		(unsigned int)((v >> (e - EP_HIST_SUB_BITS)) & (EP_HIST_SUB - 1));
}

/* Lowest value and width of bucket idx. */
static void
hist_bucket(unsigned int idx, uint64_t *low, uint64_t *width)
{
	unsigned int e, sub;

	if (idx < EP_HIST_SUB) {
		*low = idx;
		*width = 1;
		return;
	}
	e = idx / EP_HIST_SUB + EP_HIST_SUB_BITS - 1;
	sub = idx % EP_HIST_SUB;
	*low = (uint64_t)(EP_HIST_SUB | sub) << (e - EP_HIST_SUB_BITS);
	*width = 1ull << (e - EP_HIST_SUB_BITS);
}

void
ep_hist_add(struct ep_hist *h, uint64_t v)
{
	h->bins[hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

double
ep_hist_percentile(const struct ep_hist *h, double pct)
{
	uint64_t rank, seen = 0, low, width;
	unsigned int i;
	double lo, hi, v;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)(pct / 100.0 * (double)h->count + 0.999999);
	if (rank <= 1)
		return (double)h->min;
	if (rank >= h->count)
		return (double)h->max;
	for (i = 0; i < EP_HIST_BUCKETS - 1; i++) {
		if (seen + h->bins[i] >= rank)
			break;
		seen += h->bins[i];
	}
	hist_bucket(i, &low, &width);
	if (width == 1 || h->bins[i] == 0)
		return (double)low;
	/* the rank's place in the part of the bucket the samples span */
	lo = RTE_MAX((double)low, (double)h->min);
	hi = RTE_MIN((double)(low + width), (double)h->max + 1);
	v = lo + (hi - lo) * ((double)(rank - seen) - 0.5) / (double)h->bins[i];
	return RTE_MIN(RTE_MAX(v, (double)h->min), (double)h->max);
}

void
ep_hist_merge(struct ep_hist *dst, const struct ep_hist *src)
{
	unsigned int i;

	if (src->count == 0)
		return;
	for (i = 0; i < EP_HIST_BUCKETS; i++)
		dst->bins[i] += src->bins[i];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->min = RTE_MIN(dst->min, src->min);
	dst->max = RTE_MAX(dst->max, src->max);
}

void
ep_meas_reset(struct ep_meas *m)
{
	memset(m, 0, sizeof(*m));
	ep_hist_reset(&m->lat);
	ep_hist_reset(&m->cost);
	ep_hist_reset(&m->cost_win);
}

void
ep_meas_job_cycles(struct ep_meas *m, double cycles)
{
	ep_hist_add(&m->cost, (uint64_t)(cycles + 0.5));
	m->win_sum += cycles;
	if (++m->win_n < EP_CYC_WINDOW)
		return;
	ep_hist_add(&m->cost_win, (uint64_t)(m->win_sum * EP_CYC_WIN_SCALE /
		EP_CYC_WINDOW + 0.5));
	m->win_sum = 0;
	m->win_n = 0;
}

double
ep_meas_cycles_median(const struct ep_meas *m)
{
	/* a run shorter than one window has only single jobs to go by */
	if (m->cost_win.count == 0)
		return ep_hist_percentile(&m->cost, 50);
	return ep_hist_percentile(&m->cost_win, 50) / EP_CYC_WIN_SCALE;
}

void
ep_meas_merge_cycles(struct ep_meas *dst, const struct ep_meas *src)
{
	ep_hist_merge(&dst->cost, &src->cost);
	ep_hist_merge(&dst->cost_win, &src->cost_win);
}

static double
per_job(uint64_t v, uint64_t jobs)
{
	return jobs ? (double)v / (double)jobs : 0.0;
}

/* Reduce a device's phase into its result row; delta: PMD counters. */
void
ep_result_fill(struct ep_result *r, const struct ep_dev *dev, double seconds,
		const struct ep_ctr *delta)
{
	const struct ep_meas *m = &dev->m;
	double ns_per_cycle = 1e9 / (double)rte_get_tsc_hz();
	uint64_t jobs = dev->done_seq;

	memset(r, 0, sizeof(*r));
	r->valid = true;
	snprintf(r->device, sizeof(r->device), "%s", dev->d.name);
	r->dir = dev->dir;
	r->size = dev->size;
	r->burst = 0;
	r->jobs = jobs;
	r->bytes = dev->bytes;
	r->seconds = seconds;
	if (seconds > 0) {
		r->mjobs_per_s = (double)jobs / seconds / 1e6;
		r->gbytes_per_s = (double)dev->bytes / seconds / 1e9;
	}
	r->enq_cycles = per_job(m->enq_cycles, jobs);
	r->sub_cycles = per_job(m->sub_cycles, jobs);
	r->cpl_cycles = per_job(m->cpl_cycles, jobs);
	r->cycles_per_job = r->enq_cycles + r->sub_cycles + r->cpl_cycles;
	r->idle_polls = m->idle_polls;
	if (m->lat.count) {
		r->lat_min_ns = (double)m->lat.min * ns_per_cycle;
		r->lat_med_ns = ep_hist_percentile(&m->lat, 50) * ns_per_cycle;
		r->lat_p99_ns = ep_hist_percentile(&m->lat, 99) * ns_per_cycle;
		r->lat_max_ns = (double)m->lat.max * ns_per_cycle;
	}
	r->cyc_med = ep_meas_cycles_median(m);
	r->cyc_p99 = ep_hist_percentile(&m->cost, 99);
	r->submits_per_job = per_job(m->submits, jobs);
	r->cpl_calls_per_job = per_job(m->cpl_calls, jobs);
	if (delta->valid) {
		r->doorbells_per_job = per_job(delta->doorbells, jobs);
		r->mmio_reads_per_job = per_job(delta->mmio_reads, jobs);
		r->mmio_writes_per_job = per_job(delta->mmio_writes, jobs);
		r->doorbell_retries = (int64_t)delta->doorbell_retries;
		r->stall_checks = (int64_t)delta->stall_checks;
	} else {
		r->doorbells_per_job = -1;
		r->mmio_reads_per_job = -1;
		r->mmio_writes_per_job = -1;
		r->doorbell_retries = -1;
		r->stall_checks = -1;
	}
	r->proj_cpu_ns = r->proj_mjobs = r->proj_before_mjobs = -1;
	r->before_reads = r->before_stores = -1;
	r->link_pct = -1;
	r->errors = dev->errors + dev->mismatches;
	r->mismatches = dev->mismatches;
}

/*
 * Silicon projection of a row with PMD counters: its median per-job CPU
 * time (robust to the preemptions of a shared machine, where a mean is
 * not) plus what its accesses would cost across PCIe, now and with the
 * access pattern of the driver before completion by write-back.
 */
void
ep_result_project(struct ep_result *r, const struct ep_config *cfg,
		double cycles_per_ns)
{
	struct ep_access now, before;
	struct ep_workload w;

	if (r->mmio_reads_per_job < 0 || r->jobs == 0 || cycles_per_ns <= 0)
		return;
	now.cpu_ns = r->cyc_med / cycles_per_ns;
	now.reads = r->mmio_reads_per_job;
	now.stores = r->mmio_writes_per_job;
	now.doorbells = r->doorbells_per_job;
	w.submits = r->submits_per_job;
	w.cpl_calls = r->cpl_calls_per_job;
	w.idle_polls = (double)r->idle_polls / (double)r->jobs;
	w.elements = r->sg;
	ep_cost_before(&before, &now, &w);
	r->proj_cpu_ns = now.cpu_ns;
	r->proj_mjobs = ep_cost_ceiling(&cfg->cost, &now) / 1e6;
	r->before_reads = before.reads;
	r->before_stores = before.stores;
	r->proj_before_mjobs = ep_cost_ceiling(&cfg->cost, &before) / 1e6;
}

/* Share of --link's data rate the row moved, when --link is given. */
void
ep_result_link(struct ep_result *r, const struct ep_config *cfg)
{
	double limit;

	r->link_pct = -1;
	if (cfg->link_gen == 0)
		return;
	limit = ep_link_data_rate(cfg->link_gen, cfg->link_lanes, cfg->link_mps);
	if (limit > 0)
		r->link_pct = r->gbytes_per_s * 1e9 / limit * 100;
}

/*
 * Total over devices: rates add up (the devices ran concurrently), costs
 * are job-weighted means, latency is not merged (per device only).
 */
void
ep_result_total(struct ep_result *t, const struct ep_result *r, unsigned int n)
{
	double db = 0, rd = 0, wr = 0, cyc = 0, enq = 0, sub = 0, cpl = 0;
	bool have_ctr = true;
	unsigned int i, used = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->device, sizeof(t->device), "total");
	for (i = 0; i < n; i++) {
		if (!r[i].valid)
			continue;
		if (used == 0) {
			t->dir = r[i].dir;
			t->size = r[i].size;
			t->burst = r[i].burst;
			t->sg = r[i].sg;
			t->inflight = r[i].inflight;
		} else if (t->dir != r[i].dir) {
			t->dir = EP_DIR_AUTO;
		}
		used++;
		t->jobs += r[i].jobs;
		t->bytes += r[i].bytes;
		t->seconds = RTE_MAX(t->seconds, r[i].seconds);
		t->mjobs_per_s += r[i].mjobs_per_s;
		t->gbytes_per_s += r[i].gbytes_per_s;
		cyc += r[i].cycles_per_job * (double)r[i].jobs;
		enq += r[i].enq_cycles * (double)r[i].jobs;
		sub += r[i].sub_cycles * (double)r[i].jobs;
		cpl += r[i].cpl_cycles * (double)r[i].jobs;
		t->idle_polls += r[i].idle_polls;
		if (r[i].doorbells_per_job < 0)
			have_ctr = false;
		db += r[i].doorbells_per_job * (double)r[i].jobs;
		rd += r[i].mmio_reads_per_job * (double)r[i].jobs;
		wr += r[i].mmio_writes_per_job * (double)r[i].jobs;
		t->errors += r[i].errors;
		t->mismatches += r[i].mismatches;
	}
	t->cyc_med = t->cyc_p99 = -1;
	t->doorbell_retries = t->stall_checks = -1;
	t->submits_per_job = t->cpl_calls_per_job = -1;
	t->proj_cpu_ns = t->proj_mjobs = t->proj_before_mjobs = -1;
	t->before_reads = t->before_stores = -1;
	t->link_pct = -1;
	if (used == 0)
		return;
	t->valid = true;
	if (t->jobs) {
		t->cycles_per_job = cyc / (double)t->jobs;
		t->enq_cycles = enq / (double)t->jobs;
		t->sub_cycles = sub / (double)t->jobs;
		t->cpl_cycles = cpl / (double)t->jobs;
		t->doorbells_per_job = db / (double)t->jobs;
		t->mmio_reads_per_job = rd / (double)t->jobs;
		t->mmio_writes_per_job = wr / (double)t->jobs;
	}
	if (!have_ctr) {
		t->doorbells_per_job = -1;
		t->mmio_reads_per_job = -1;
		t->mmio_writes_per_job = -1;
	}
}
