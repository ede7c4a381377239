/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * The workload engine: device set-up, buffers, and the per-lcore loop that
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
#define EP_MAX_REPORTS 10       /* error lines printed per device */
#define EP_DEFAULT_RING 1024

struct ep_lcore_ctx {
	struct ep_run *run;
	unsigned int lcore;
	bool is_main;
	unsigned int n;
	struct ep_dev *devs[EP_MAX_DEVS];
	volatile bool done;
};

static inline bool
stop_requested(const struct ep_run *run)
{
	return run->stop || ep_force_quit;
}

/* ---- data pattern ------------------------------------------------------ */

/* 8 pattern bytes for job seq at job offset 8*idx: unique per job. */
static inline uint64_t
pattern_word(uint64_t seq, uint64_t idx)
{
	uint64_t x = ((seq + 1) << 32) ^ idx;

	x *= 0x9e3779b97f4a7c15ull;
	return x ^ (x >> 29);
}

static inline uint8_t
pattern_byte(uint64_t seq, uint64_t off)
{
	return (uint8_t)(pattern_word(seq, off >> 3) >> (8 * (off & 7)));
}

static void
fill_range(uint8_t *p, uint64_t off, uint32_t len, uint64_t seq)
{
	while (len > 0 && (off & 7) != 0) {
		*p++ = pattern_byte(seq, off++);
		len--;
	}
	while (len >= 8) {
		uint64_t w = rte_cpu_to_le_64(pattern_word(seq, off >> 3));

		memcpy(p, &w, 8);
		p += 8;
		off += 8;
		len -= 8;
	}
	while (len > 0) {
		*p++ = pattern_byte(seq, off++);
		len--;
	}
}

/* @return index of the first wrong byte in [0, len), or -1. */
static int64_t
check_range(const uint8_t *p, uint64_t off, uint32_t len, uint64_t seq)
{
	uint32_t i = 0;

	while (i < len && ((off + i) & 7) != 0) {
		if (p[i] != pattern_byte(seq, off + i))
			return i;
		i++;
	}
	while (len - i >= 8) {
		uint64_t w = rte_cpu_to_le_64(pattern_word(seq, (off + i) >> 3));

		if (memcmp(p + i, &w, 8) != 0)
			break;
		i += 8;
	}
	for (; i < len; i++)
		if (p[i] != pattern_byte(seq, off + i))
			return i;
	return -1;
}

/* Segment i of a job: size/sg bytes, the last one takes the remainder. */
static inline uint32_t
seg_len(const struct ep_dev *dev, unsigned int i)
{
	uint32_t base = dev->size / dev->sg;

	return i + 1 == dev->sg ? dev->size - base * (dev->sg - 1) : base;
}

static void
fill_job(const struct ep_dev *dev, uint8_t *slot, uint64_t seq)
{
	uint64_t off = 0;
	unsigned int i;

	for (i = 0; i < dev->sg; i++) {
		fill_range(slot + (size_t)i * dev->seg_stride, off,
			seg_len(dev, i), seq);
		off += seg_len(dev, i);
	}
}

/* @return 0 when the job's destination is right, -1 after reporting. */
static int
verify_job(struct ep_dev *dev, uint64_t seq)
{
	const uint8_t *slot = dev->dst_va +
		(size_t)(seq % dev->nslots) * dev->slot_bytes;
	uint64_t off = 0;
	unsigned int i;

	for (i = 0; i < dev->sg; i++) {
		const uint8_t *p = slot + (size_t)i * dev->seg_stride;
		int64_t bad = check_range(p, off, seg_len(dev, i), seq);

		if (bad >= 0) {
			dev->mismatches++;
			if (dev->reported++ < EP_MAX_REPORTS)
				EP_LOG(ERR, "device %s: verification failed: job %"
					PRIu64 " (size %u) offset %" PRIu64
					": expected 0x%02x, read 0x%02x\n",
					dev->d.name, seq, dev->size,
					off + (uint64_t)bad,
					pattern_byte(seq, off + (uint64_t)bad),
					p[bad]);
			return -1;
		}
		off += seg_len(dev, i);
	}
	return 0;
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

static void
calibrate_tsc(void)
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
	uint32_t k;
	int rc = 0;

	if (jobs != 0 && jobs - seq0 < n)
		n = (uint32_t)(jobs - seq0);
	if (n == 0)
		return;
	if (dev->verify && dev->src_va != NULL)
		for (k = 0; k < n; k++)
			fill_job(dev, dev->src_va + (size_t)((seq0 + k) % dev->nslots) *
				dev->slot_bytes, seq0 + k);

	t0 = rte_rdtsc_precise();
	for (k = 0; k < n; k++) {
		uint64_t off = (uint64_t)((seq0 + k) % dev->nslots) * dev->slot_bytes;

		if (dev->sg == 1) {
			rc = rte_dma_copy(id, 0, dev->src_addr + off,
				dev->dst_addr + off, dev->size, 0);
		} else {
			struct rte_dma_sge *s = dev->sge +
				(size_t)((seq0 + k) % dev->nslots) * 2 * dev->sg;

			rc = rte_dma_copy_sg(id, 0, s, s + dev->sg, dev->sg,
				dev->sg, 0);
		}
		if (rc < 0)
			break;
		dev->fifo[dev->fifo_tail].ring_idx = (uint16_t)rc;
		dev->fifo_tail = (dev->fifo_tail + 1) % dev->fifo_cap;
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
		uint32_t i;

		for (i = 0; i < k; i++) {
			dev->fifo[pos].seq = seq0 + i;
			dev->fifo[pos].tsc = latency ? t2 : 0;
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

/* Account one completed job taken from the head of the FIFO. */
static void
job_done(struct ep_dev *dev, enum rte_dma_status_code st, uint64_t now,
		bool latency)
{
	struct ep_job *j = &dev->fifo[dev->fifo_head];

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
		verify_job(dev, j->seq);
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
		job_done(dev, RTE_DMA_STATUS_SUCCESSFUL, t1, latency);
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
			job_done(dev, st[i], t1, latency);
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

/* ---- set-up -------------------------------------------------------------- */

static int
find_dev(const struct ep_run *run, int16_t id)
{
	unsigned int i;

	for (i = 0; i < run->n_devs; i++)
		if (run->devs[i].d.id == id)
			return (int)i;
	return -1;
}

static int add_dev(struct ep_run *run, const char *spec);

/* A spec with wildcards selects every device whose name matches it. */
static int
add_dev_glob(struct ep_run *run, const char *pattern)
{
	struct rte_dma_info info;
	unsigned int matched = 0;
	int16_t id;
	int rc;

	RTE_DMA_FOREACH_DEV(id) {
		char spec[16];

		if (rte_dma_info_get(id, &info) < 0 || info.dev_name == NULL ||
				fnmatch(pattern, info.dev_name, 0) != 0)
			continue;
		snprintf(spec, sizeof(spec), "%d", id);
		rc = add_dev(run, spec);
		if (rc < 0)
			return rc;
		matched++;
	}
	if (matched == 0) {
		fprintf(stderr, "no dmadev name matches '%s'\n", pattern);
		return -ENODEV;
	}
	return 0;
}

static int
add_dev(struct ep_run *run, const char *spec)
{
	int id;

	if (strpbrk(spec, "*?[") != NULL)
		return add_dev_glob(run, spec);
	id = ep_parse_dev(spec);

	if (id < 0) {
		fprintf(stderr, "unknown dmadev '%s' (see the list command or "
			"--vdev)\n", spec);
		return -ENODEV;
	}
	if (find_dev(run, (int16_t)id) >= 0)
		return 0;
	if (run->n_devs >= EP_MAX_DEVS)
		return -ENOSPC;
	if (ep_dev_describe((int16_t)id, &run->devs[run->n_devs].d) < 0) {
		fprintf(stderr, "dmadev '%s': cannot get its info\n", spec);
		return -ENODEV;
	}
	run->devs[run->n_devs].lcore = rte_get_main_lcore();
	run->n_devs++;
	return 0;
}

static int
pick_dir(const struct ep_config *cfg, struct ep_dev *dev)
{
	static const uint64_t need[] = {
		[EP_DIR_MEM2DEV] = RTE_DMA_CAPA_MEM_TO_DEV,
		[EP_DIR_DEV2MEM] = RTE_DMA_CAPA_DEV_TO_MEM,
		[EP_DIR_MEM2MEM] = RTE_DMA_CAPA_MEM_TO_MEM,
	};
	enum ep_dir dir = cfg->dir;

	if (dir == EP_DIR_AUTO)
		dir = dev->d.is_dw_edma ? dev->d.chan_dir : EP_DIR_MEM2MEM;
	if (dev->d.is_dw_edma && dir != EP_DIR_MEM2MEM && dir != dev->d.chan_dir) {
		fprintf(stderr, "device %s: this channel moves data %s, it cannot "
			"run %s (use --dir auto or pick the other channel)\n",
			dev->d.name, ep_dir_name(dev->d.chan_dir),
			ep_dir_name(dir));
		return -EINVAL;
	}
	if ((dev->d.capa & need[dir]) == 0) {
		fprintf(stderr, "device %s: does not support %s%s\n", dev->d.name,
			ep_dir_name(dir), dev->d.is_dw_edma && dir == EP_DIR_MEM2MEM ?
			" (the simulated endpoint needs an outbound window: "
			"devargs outbound=0x1000000000000)" : "");
		return -ENOTSUP;
	}
	if (cfg->sg > 1 && ((dev->d.capa & RTE_DMA_CAPA_OPS_COPY_SG) == 0 ||
			cfg->sg > dev->d.max_sges)) {
		fprintf(stderr, "device %s: --sg %u not supported (copy_sg %s, "
			"max %u segments)\n", dev->d.name, cfg->sg,
			dev->d.capa & RTE_DMA_CAPA_OPS_COPY_SG ? "yes" : "no",
			dev->d.max_sges);
		return -ENOTSUP;
	}
	dev->dir = dir;
	return 0;
}

static int
configure_dev(const struct ep_config *cfg, struct ep_dev *dev)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc;
	uint16_t ring = cfg->ring;
	int rc;

	if (ring == 0)
		ring = RTE_MIN(dev->d.max_desc, (uint16_t)EP_DEFAULT_RING);
	if (ring < dev->d.min_desc || ring > dev->d.max_desc) {
		uint16_t r = RTE_MAX(RTE_MIN(ring, dev->d.max_desc),
			dev->d.min_desc);

		printf("device %s: ring %u outside [%u, %u], using %u\n",
			dev->d.name, ring, dev->d.min_desc, dev->d.max_desc, r);
		ring = r;
	}
	memset(&vc, 0, sizeof(vc));
	vc.nb_desc = ring;
	switch (dev->dir) {
	case EP_DIR_MEM2DEV:
		vc.direction = RTE_DMA_DIR_MEM_TO_DEV;
		vc.dst_port.port_type = RTE_DMA_PORT_PCIE;
		break;
	case EP_DIR_DEV2MEM:
		vc.direction = RTE_DMA_DIR_DEV_TO_MEM;
		vc.src_port.port_type = RTE_DMA_PORT_PCIE;
		break;
	default:
		vc.direction = RTE_DMA_DIR_MEM_TO_MEM;
		break;
	}
	rc = rte_dma_configure(dev->d.id, &conf);
	if (rc == 0)
		rc = rte_dma_vchan_setup(dev->d.id, 0, &vc);
	if (rc == 0)
		rc = rte_dma_start(dev->d.id);
	if (rc < 0) {
		fprintf(stderr, "device %s: configure/start with ring %u, %s "
			"failed: %s\n", dev->d.name, ring, ep_dir_name(dev->dir),
			strerror(-rc));
		return rc;
	}
	dev->ring = ring;
	dev->inflight = cfg->inflight ? cfg->inflight : ring;
	if (dev->inflight > ring) {
		printf("device %s: inflight %u > ring %u, using %u\n",
			dev->d.name, dev->inflight, ring, ring);
		dev->inflight = ring;
	}
	return 0;
}

/* Endpoint-side region of a device: base address, host pointer, size. */
struct ep_region {
	uint64_t addr;
	uint8_t *va;
	uint64_t size;
};

static bool
needs_ep(const struct ep_dev *dev)
{
	return dev->dir == EP_DIR_MEM2DEV || dev->dir == EP_DIR_DEV2MEM;
}

static int
ep_region_of(struct ep_run *run, const struct ep_dev *dev, struct ep_region *r)
{
	const struct ep_config *cfg = &run->cfg;
	unsigned int i, k = 0, count = 0;
	uint64_t part;

	if (cfg->ep_size != 0) {
		r->addr = cfg->ep_addr;
		r->va = run->ep_map_base;
		r->size = cfg->ep_size;
	} else if (dev->d.has_ep_mem) {
		r->addr = dev->d.ep_mem_addr;
		r->va = dev->d.ep_mem;
		r->size = dev->d.ep_mem_size;
	} else {
		fprintf(stderr, "device %s: %s needs endpoint memory: give "
			"--ep-addr and --ep-size (and --ep-map to verify)\n",
			dev->d.name, ep_dir_name(dev->dir));
		return -EINVAL;
	}
	/* Share the region equally among the devices that use it. */
	for (i = 0; i < run->n_devs; i++) {
		const struct ep_dev *o = &run->devs[i];
		bool same;

		if (!needs_ep(o))
			continue;
		same = cfg->ep_size != 0 || (o->d.has_ep_mem &&
			o->d.ep_mem == dev->d.ep_mem);
		if (!same)
			continue;
		if (o == dev)
			k = count;
		count++;
	}
	part = RTE_ALIGN_FLOOR(r->size / count, 64);
	r->addr += part * k;
	if (r->va != NULL)
		r->va += part * k;
	r->size = part;
	return 0;
}

static int
setup_buffers(struct ep_run *run, struct ep_dev *dev)
{
	const struct ep_config *cfg = &run->cfg;
	uint32_t max_size = 0, max_slots;
	struct ep_region ep = { 0 };
	unsigned int i;
	int socket = dev->d.numa_node < 0 ? SOCKET_ID_ANY : dev->d.numa_node;

	for (i = 0; i < cfg->n_sizes; i++)
		max_size = RTE_MAX(max_size, cfg->sizes[i]);
	for (i = 0; i < cfg->n_sizes; i++)
		if (cfg->sizes[i] < cfg->sg) {
			fprintf(stderr, "device %s: size %u is smaller than %u "
				"segments\n", dev->d.name, cfg->sizes[i], cfg->sg);
			return -EINVAL;
		}
	dev->sg = cfg->sg;
	dev->burst = cfg->burst;
	dev->seg_stride = RTE_ALIGN_CEIL(max_size / cfg->sg + cfg->sg, 64);
	if (cfg->sg == 1)
		dev->seg_stride = RTE_ALIGN_CEIL(max_size, 64);
	dev->slot_bytes = dev->seg_stride * cfg->sg;
	max_slots = (uint32_t)RTE_MIN(cfg->buf_mem / dev->slot_bytes,
		(uint64_t)UINT32_MAX);
	if (needs_ep(dev)) {
		if (ep_region_of(run, dev, &ep) < 0)
			return -EINVAL;
		max_slots = (uint32_t)RTE_MIN((uint64_t)max_slots,
			ep.size / dev->slot_bytes);
	}
	if (max_slots == 0) {
		fprintf(stderr, "device %s: a %u-byte job does not fit in %s "
			"(%" PRIu64 " bytes)\n", dev->d.name, max_size,
			needs_ep(dev) && ep.size / dev->slot_bytes == 0 ?
			"its share of endpoint memory" : "--buf-mem",
			needs_ep(dev) && ep.size / dev->slot_bytes == 0 ?
			ep.size : cfg->buf_mem);
		return -ENOSPC;
	}
	dev->nslots = RTE_MIN(dev->inflight, max_slots);
	dev->verify = cfg->verify;
	if (dev->verify && dev->nslots < dev->inflight) {
		/* A slot must not be reused while its job is in flight. */
		printf("device %s: %u buffers fit, inflight lowered from %u for "
			"verification\n", dev->d.name, dev->nslots, dev->inflight);
		dev->inflight = dev->nslots;
	}
	/* Touch the simulated endpoint memory now, not inside a measurement. */
	if (ep.va != NULL && run->cfg.ep_size == 0)
		memset(ep.va, 0, (size_t)dev->nslots * dev->slot_bytes);
	if (dev->dir != EP_DIR_DEV2MEM) {
		dev->src_alloc = rte_zmalloc_socket("ep_dma_src",
			(size_t)dev->nslots * dev->slot_bytes, 4096, socket);
		if (dev->src_alloc == NULL)
			goto nomem;
		dev->src_va = dev->src_alloc;
		dev->src_addr = rte_malloc_virt2iova(dev->src_alloc);
	} else {
		dev->src_va = ep.va;
		dev->src_addr = ep.addr;
	}
	if (dev->dir != EP_DIR_MEM2DEV) {
		dev->dst_alloc = rte_zmalloc_socket("ep_dma_dst",
			(size_t)dev->nslots * dev->slot_bytes, 4096, socket);
		if (dev->dst_alloc == NULL)
			goto nomem;
		dev->dst_va = dev->dst_alloc;
		dev->dst_addr = rte_malloc_virt2iova(dev->dst_alloc);
	} else {
		dev->dst_va = ep.va;
		dev->dst_addr = ep.addr;
	}
	if (dev->src_addr == RTE_BAD_IOVA || dev->dst_addr == RTE_BAD_IOVA) {
		fprintf(stderr, "device %s: no IOVA for the host buffers\n",
			dev->d.name);
		return -EFAULT;
	}
	if (dev->verify && (dev->src_va == NULL || dev->dst_va == NULL)) {
		printf("device %s: endpoint buffer not mapped on the host "
			"(--ep-map), %s not verified\n", dev->d.name,
			ep_dir_name(dev->dir));
		dev->verify = false;
	}
	dev->fifo_cap = dev->inflight + 1;
	dev->fifo = rte_zmalloc("ep_dma_fifo",
		sizeof(*dev->fifo) * dev->fifo_cap, 0);
	if (dev->fifo == NULL)
		goto nomem;
	if (dev->sg > 1) {
		dev->sge = rte_zmalloc("ep_dma_sge", sizeof(*dev->sge) *
			2 * dev->sg * dev->nslots, 0);
		if (dev->sge == NULL)
			goto nomem;
	}
	return 0;
nomem:
	fprintf(stderr, "device %s: out of memory for %u buffers of %u bytes "
		"(lower --inflight, --buf-mem or --size, or raise EAL -m)\n",
		dev->d.name, dev->nslots, dev->slot_bytes);
	return -ENOMEM;
}

static int
map_ep(struct ep_run *run)
{
	const struct ep_config *cfg = &run->cfg;
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t start, delta;
	void *va;
	int fd;

	if (cfg->ep_map[0] == '\0')
		return 0;
	if (cfg->ep_size == 0) {
		fprintf(stderr, "--ep-map needs --ep-addr and --ep-size\n");
		return -EINVAL;
	}
	start = RTE_ALIGN_FLOOR(cfg->ep_map_off, (uint64_t)pg);
	delta = cfg->ep_map_off - start;
	fd = open(cfg->ep_map, O_RDWR | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "--ep-map %s: %s\n", cfg->ep_map, strerror(errno));
		return -errno;
	}
	va = mmap(NULL, cfg->ep_size + delta, PROT_READ | PROT_WRITE,
		MAP_SHARED, fd, (off_t)start);
	close(fd);
	if (va == MAP_FAILED) {
		fprintf(stderr, "--ep-map %s@0x%" PRIx64 ": mmap of %" PRIu64
			" bytes failed: %s\n", cfg->ep_map, cfg->ep_map_off,
			cfg->ep_size, strerror(errno));
		return -errno;
	}
	run->ep_map_va = va;
	run->ep_map_len = cfg->ep_size + delta;
	run->ep_map_base = (uint8_t *)va + delta;
	return 0;
}

static int
assign_lcores(struct ep_run *run)
{
	const struct ep_config *cfg = &run->cfg;
	struct ep_lcore_ctx *ctx;
	unsigned int i, j, main_lc = rte_get_main_lcore();
	bool mapped[EP_MAX_DEVS] = { false };

	for (i = 0; i < cfg->n_lmap; i++) {
		int id = ep_parse_dev(cfg->lmap[i].dev), k;

		if (id < 0) {
			fprintf(stderr, "--lcore-map: unknown dmadev '%s'\n",
				cfg->lmap[i].dev);
			return -ENODEV;
		}
		k = find_dev(run, (int16_t)id);
		if (k < 0) {
			fprintf(stderr, "--lcore-map: device '%s' is not among "
				"the devices to run (--dev)\n", cfg->lmap[i].dev);
			return -EINVAL;
		}
		if (!rte_lcore_is_enabled(cfg->lmap[i].lcore)) {
			fprintf(stderr, "--lcore-map: lcore %u is not enabled "
				"(EAL -l)\n", cfg->lmap[i].lcore);
			return -EINVAL;
		}
		if (mapped[k]) {
			fprintf(stderr, "--lcore-map: device '%s' mapped twice; "
				"a vchan is driven by one lcore\n",
				cfg->lmap[i].dev);
			return -EINVAL;
		}
		mapped[k] = true;
		run->devs[k].lcore = cfg->lmap[i].lcore;
	}
	ctx = calloc(run->n_devs + 1, sizeof(*ctx));
	if (ctx == NULL)
		return -ENOMEM;
	/* Context 0 is always the main lcore (it prints progress). */
	ctx[0].run = run;
	ctx[0].lcore = main_lc;
	ctx[0].is_main = true;
	run->n_lctx = 1;
	for (i = 0; i < run->n_devs; i++) {
		struct ep_dev *dev = &run->devs[i];

		for (j = 0; j < run->n_lctx; j++)
			if (ctx[j].lcore == dev->lcore)
				break;
		if (j == run->n_lctx) {
			ctx[j].run = run;
			ctx[j].lcore = dev->lcore;
			run->n_lctx++;
		}
		ctx[j].devs[ctx[j].n++] = dev;
	}
	run->lctx = ctx;
	return 0;
}

int
ep_run_prepare(struct ep_run *run)
{
	const struct ep_config *cfg = &run->cfg;
	unsigned int i;
	int16_t id;
	int rc;

	calibrate_tsc();
	run->devs = calloc(EP_MAX_DEVS, sizeof(*run->devs));
	if (run->devs == NULL)
		return -ENOMEM;
	run->n_devs = 0;
	if (cfg->n_devs == 0) {
		RTE_DMA_FOREACH_DEV(id) {
			char spec[16];

			snprintf(spec, sizeof(spec), "%d", id);
			rc = add_dev(run, spec);
			if (rc < 0)
				return rc;
		}
	}
	for (i = 0; i < cfg->n_devs; i++) {
		rc = add_dev(run, cfg->devs[i]);
		if (rc < 0)
			return rc;
	}
	if (run->n_devs == 0) {
		fprintf(stderr, "no dmadev to run on: add one with EAL --vdev "
			"(e.g. --vdev=dma_skeleton0) or bind a device\n");
		return -ENODEV;
	}
	for (i = 0; i < run->n_devs; i++) {
		rc = pick_dir(cfg, &run->devs[i]);
		if (rc < 0)
			return rc;
	}
	rc = map_ep(run);
	if (rc < 0)
		return rc;
	for (i = 0; i < run->n_devs; i++) {
		struct ep_dev *dev = &run->devs[i];

		rc = configure_dev(cfg, dev);
		if (rc < 0)
			return rc;
		dev->finished = false;
		rc = setup_buffers(run, dev);
		if (rc < 0)
			return rc;
	}
	return assign_lcores(run);
}

/* Start of a phase at transfer size 'size' for one device. */
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
	if (ep_dev_counters(dev->d.id, &dev->ctr_db0, &dev->ctr_rd0) < 0)
		dev->ctr_db0 = dev->ctr_rd0 = UINT64_MAX;
	if (dev->sge != NULL) {
		for (s = 0; s < dev->nslots; s++) {
			struct rte_dma_sge *e = dev->sge + (size_t)s * 2 * dev->sg;
			uint64_t off = (uint64_t)s * dev->slot_bytes;

			for (i = 0; i < dev->sg; i++) {
				uint64_t o = off + (uint64_t)i * dev->seg_stride;

				e[i].addr = dev->src_addr + o;
				e[i].length = seg_len(dev, i);
				e[dev->sg + i].addr = dev->dst_addr + o;
				e[dev->sg + i].length = seg_len(dev, i);
			}
		}
	}
}

static void
phase_result(struct ep_dev *dev, unsigned int p)
{
	uint64_t db, rd;
	double fdb = -1, frd = -1;
	struct ep_result *r = &dev->res[p];

	if (dev->ctr_db0 != UINT64_MAX && ep_dev_counters(dev->d.id, &db, &rd) == 0) {
		fdb = (double)(db - dev->ctr_db0);
		frd = (double)(rd - dev->ctr_rd0);
	}
	ep_result_fill(r, dev,
		(double)(dev->end_tsc - dev->first_tsc) / (double)rte_get_tsc_hz(),
		fdb, frd);
	r->burst = dev->burst;
	r->sg = dev->sg;
	r->inflight = dev->inflight;
	if (dev->failed)
		r->errors += dev->outstanding;
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
			phase_result(&run->devs[i], p);
			rows[i] = run->devs[i].res[p];
		}
		ep_result_total(&run->total[p], rows, run->n_devs);
		run->phases_done = p + 1;
	}
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
	run->n_lctx = 0;
	if (run->ep_map_va != NULL)
		munmap(run->ep_map_va, run->ep_map_len);
	run->ep_map_va = NULL;
	run->ep_map_base = NULL;
}
