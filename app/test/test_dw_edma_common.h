/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef TEST_DW_EDMA_COMMON_H
#define TEST_DW_EDMA_COMMON_H

/*
 * Helpers shared by the dw_edma functional tests: simulated endpoints made
 * with rte_vdev_init(), channel set-up through the public rte_dma API,
 * bounded polling, host and endpoint buffers.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include <ep_model_vdev.h>
#include <rte_pmd_dw_edma.h>

#include "ep_test.h"

/* Bounded waits: generous for a loaded 2-core machine, never a sleep. */
#define T_TIMEOUT_MS	5000

static unsigned int t_sim_seq;

struct t_sim {
	char name[32];
	struct ep_model *m;
	struct ep_model_info mi;
};

static inline uint64_t
t_deadline(unsigned int ms)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
}

static inline bool
t_expired(uint64_t deadline)
{
	return rte_get_timer_cycles() > deadline;
}

/* Deferred teardown of a simulated device a failed case left behind. */
static inline void
t_sim_teardown(const char *name)
{
	rte_vdev_uninit(name);
}

/* Create dma_dw_edma_sim<N> with args; 0 or the rte_vdev_init() error. */
static inline int
t_sim_open(struct t_sim *s, const char *args)
{
	char all[512];
	const char *x;
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "dma_dw_edma_sim%u", t_sim_seq++);
	/*
	 * DW_EDMA_TEST_DEVARGS: driver devargs every case adds (e.g.
	 * completion=llp), unless the case chose its completion mode itself
	 */
	x = getenv("DW_EDMA_TEST_DEVARGS");
	if (x != NULL && x[0] != '\0' && strstr(args, "completion=") == NULL) {
		snprintf(all, sizeof(all), "%s%s%s", args, args[0] != '\0' ? "," : "", x);
		args = all;
	}
	rc = rte_vdev_init(s->name, args);
	if (rc != 0)
		return rc;
	s->m = ep_model_vdev_model(s->name);
	if (s->m == NULL || ep_model_info_get(s->m, &s->mi) != 0) {
		rte_vdev_uninit(s->name);
		return -ENOENT;
	}
	ep_test_defer(t_sim_teardown, s->name);
	return 0;
}

/* Print recorded ownership violations; return their number. */
static inline uint64_t
t_violations(struct ep_model *m)
{
	uint64_t n = ep_model_violations(m);
	char buf[256];
	unsigned int i;

	for (i = 0; i < n && ep_model_violation_get(m, i, buf, sizeof(buf)) == 0; i++)
		printf("  violation %u: %s\n", i, buf);
	return n;
}

/* Check no violations, then remove the vdev. */
static inline int
t_sim_close(struct t_sim *s)
{
	uint64_t v = s->m != NULL ? t_violations(s->m) : 0;

	ep_test_undefer(s->name);
	rte_vdev_uninit(s->name);
	s->m = NULL;
	EP_TEST_ASSERT_EQ(v, 0, "ownership violations on %s", s->name);
	return 0;
}

static inline int16_t
t_dev(const struct t_sim *s, const char *chan)
{
	char n[64];

	snprintf(n, sizeof(n), "%s-%s", s->name, chan);
	return (int16_t)rte_dma_get_dev_id_by_name(n);
}

/* configure + vchan_setup + start; dir follows the channel unless m2m. */
static inline int
t_chan_setup(int16_t dev, enum rte_dma_direction dir, uint16_t nb_desc)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { .direction = dir, .nb_desc = nb_desc };
	int rc;

	if (dir == RTE_DMA_DIR_MEM_TO_DEV)
		vc.dst_port.port_type = RTE_DMA_PORT_PCIE;
	if (dir == RTE_DMA_DIR_DEV_TO_MEM)
		vc.src_port.port_type = RTE_DMA_PORT_PCIE;
	rc = rte_dma_configure(dev, &conf);
	if (rc == 0)
		rc = rte_dma_vchan_setup(dev, 0, &vc);
	if (rc == 0)
		rc = rte_dma_start(dev);
	return rc;
}

static inline bool
t_is_rd(int16_t dev)
{
	struct rte_pmd_dw_edma_chan_info ci;

	return rte_pmd_dw_edma_chan_info_get(dev, &ci) == 0 && ci.dir == RTE_PMD_DW_EDMA_DIR_RD;
}

/* Collect n completions with status, bounded; returns how many arrived. */
static inline uint16_t
t_collect(int16_t dev, uint16_t n, enum rte_dma_status_code *st, uint16_t *last)
{
	uint64_t end = t_deadline(T_TIMEOUT_MS);
	uint16_t got = 0, idx = 0;

	while (got < n && !t_expired(end))
		got += rte_dma_completed_status(dev, 0, n - got, &idx, st + got);
	if (last != NULL)
		*last = idx;
	return got;
}

static inline void
t_fill(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
}

/* Host buffer in DPDK memory (IOVA = VA with --iova-mode=va). */
static inline void *
t_host_alloc(size_t len)
{
	return rte_zmalloc(NULL, len, 64);
}

static inline rte_iova_t
t_iova(const void *p)
{
	return rte_mem_virt2iova(p);
}

/* Endpoint-local address of offset off in the model's endpoint memory. */
static inline uint64_t
ep_addr(const struct t_sim *s, uint64_t off)
{
	return s->mi.ep_mem_addr + off;
}

/* Little-endian 32-bit fields of a metadata blob or slice header image. */
static inline uint32_t
get32(const uint8_t *b, uint32_t off)
{
	uint32_t v;

	memcpy(&v, b + off, 4);
	return v;
}

static inline void
put32(uint8_t *b, uint32_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

/*
 * One copy_sg on channel d (rd: host to endpoint) of 4 scattered sources
 * (100, 1, 4000 and 27 bytes) into 3 scattered destinations (50, 3000 and
 * 1078 bytes) with gaps between them; h and ep are the host buffer and the
 * model's endpoint memory (16 KiB each). Checks the status, one element per
 * source/destination overlap (plus the batch's write-back element when the
 * channel completes by write-back), the data and the gaps.
 */
static inline int
t_sg_scatter(const struct t_sim *s, int16_t d, bool rd, uint8_t *h, uint8_t *ep,
		uint32_t seed)
{
	static const uint32_t sl[] = { 100, 1, 4000, 27 };
	static const uint32_t dl[] = { 50, 3000, 1078 };
	struct rte_dma_sge sg[RTE_DIM(sl)], dg[RTE_DIM(dl)];
	uint8_t *src = rd ? h : ep, *dst = rd ? ep : h, fs[4128], fd[4128];
	struct rte_pmd_dw_edma_chan_info ci;
	struct ep_model_stats ms0, ms1;
	enum rte_dma_status_code st;
	uint64_t off;
	size_t p;
	unsigned int i;

	t_fill(src, 4128 * 2, seed);
	memset(dst, 0, 4128 * 2);
	for (i = 0, off = 0; i < RTE_DIM(sl); off += sl[i] + 8, i++) {
		sg[i].addr = rd ? t_iova(h + off) : ep_addr(s, off);
		sg[i].length = sl[i];
	}
	for (i = 0, off = 5000; i < RTE_DIM(dl); off += dl[i] + 16, i++) {
		dg[i].addr = rd ? ep_addr(s, off) : t_iova(h + off);
		dg[i].length = dl[i];
	}
	ep_model_stats_get(s->m, &ms0);
	EP_TEST_ASSERT_EQ(rte_dma_copy_sg(d, 0, sg, dg, RTE_DIM(sl), RTE_DIM(dl),
		RTE_DMA_OP_FLAG_SUBMIT), 0, "copy_sg");
	EP_TEST_ASSERT_EQ(t_collect(d, 1, &st, NULL), 1, "done");
	EP_TEST_ASSERT_EQ(st, RTE_DMA_STATUS_SUCCESSFUL, "status");
	ep_model_stats_get(s->m, &ms1);
	/* boundaries {50,100,101,3050,4101,4128}: six elements */
	EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(d, &ci), 0, "chan info");
	EP_TEST_ASSERT_EQ(ms1.elements - ms0.elements,
		6 + (ci.completion == RTE_PMD_DW_EDMA_CPL_WRITE_BACK),
		"one element per overlap");
	/* gather the source and the destination, compare */
	for (i = 0, off = 0, p = 0; i < RTE_DIM(sl); off += sl[i] + 8, i++) {
		memcpy(fs + p, src + off, sl[i]);
		p += sl[i];
	}
	for (i = 0, off = 5000, p = 0; i < RTE_DIM(dl); off += dl[i] + 16, i++) {
		memcpy(fd + p, dst + off, dl[i]);
		p += dl[i];
	}
	EP_TEST_ASSERT(memcmp(fs, fd, sizeof(fs)) == 0, "sg data");
	EP_TEST_ASSERT_EQ(dst[5000 + 50], 0, "gap untouched");
	return 0;
}

#endif /* TEST_DW_EDMA_COMMON_H */
