/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_DMA_COST_H
#define EP_DMA_COST_H

/*
 * PCIe cost model: what a job would cost a host core on silicon, projected
 * from the CPU time measured here and the driver's exact access counts.
 * On the simulated endpoint a "register" is plain memory, so the measured
 * CPU time misses what the same accesses cost across a PCIe link; the model
 * adds them back with per-access costs taken from public measurements (see
 * doc/guides/tools/test_ep_dma_cost.rst and ep_cost_print()).
 *
 * No EAL and no DPDK call here: the unit test links it alone.
 */

#include <stdbool.h>
#include <stdio.h>

/** Host-side cost of each kind of access, in nanoseconds. */
struct ep_cost {
	double read_ns;      /* non-posted MMIO read: the core waits a round trip */
	double store_ns;     /* uncached posted store (LL element fields) */
	double doorbell_ns;  /* the doorbell store */
};

/** What one job costs a core, per job (fractions: per burst shares). */
struct ep_access {
	double cpu_ns;       /* CPU time in the driver calls, accesses excluded */
	double reads;        /* non-posted MMIO reads */
	double stores;       /* uncached stores, doorbells included */
	double doorbells;
};

/** The workload facts the "before" projection needs, per job. */
struct ep_workload {
	double submits;      /* rte_dma_submit calls that released jobs */
	double cpl_calls;    /* completion calls that returned jobs */
	double idle_polls;   /* completion calls with jobs in flight that returned none */
	double elements;     /* data elements (1, or the segments of a SG job) */
};

/* Default costs (see ep_cost_print() for where they come from). */
#define EP_COST_READ_NS 1000.0
#define EP_COST_STORE_NS 100.0
#define EP_COST_DOORBELL_NS 100.0

void ep_cost_defaults(struct ep_cost *c);

/** Time a core spends per job: cpu + reads x read + stores x store. */
double ep_cost_job_ns(const struct ep_cost *c, const struct ep_access *a);

/** Per-core ceiling in jobs per second: 1 / ep_cost_job_ns(); 0 if none. */
double ep_cost_ceiling(const struct ep_cost *c, const struct ep_access *a);

/*
 * The access counts the driver had before completion by write-back, for the
 * same workload: one LLP register read per completion call that returned
 * jobs, one LL flush read and one doorbell per submit, six 32-bit stores
 * per element, one control-word release per submit and one interrupt-flag
 * store on the last element of a batch of more than one element. The CPU
 * time is the one measured now (the old driver's own is not measured).
 */
void ep_cost_before(struct ep_access *before, const struct ep_access *now,
		const struct ep_workload *w);

/*
 * Data bytes per second a PCIe link carries in posted writes of mps-byte
 * payloads with 64-bit addresses: raw rate after line encoding, less the
 * DLLPs the specification recommends (ACK and flow-control updates) and
 * SKIP ordered sets, less 24 bytes of framing, sequence number, header and
 * LCRC per TLP. gen 1..5, lanes 1..16 (a power of two), mps 128..512.
 * @return bytes/s, or a negative errno for a combination not covered.
 */
double ep_link_data_rate(unsigned int gen, unsigned int lanes,
		unsigned int mps);

/** Parse "GEN,LANES[,MPS]" (MPS default 256). @return 0 or -EINVAL. */
int ep_link_parse(const char *s, unsigned int *gen, unsigned int *lanes,
		unsigned int *mps);

/** The cost table with its sources, and the link when gen != 0. */
void ep_cost_print(FILE *f, const struct ep_cost *c, unsigned int gen,
		unsigned int lanes, unsigned int mps);

#endif /* EP_DMA_COST_H */
