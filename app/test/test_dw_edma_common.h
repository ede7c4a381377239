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

#endif /* TEST_DW_EDMA_COMMON_H */
