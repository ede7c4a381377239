/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * PCIe cost model (see cost.h). The numbers and their sources are also in
 * doc/guides/tools/test_ep_dma_cost.rst; keep both in step.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"

void
ep_cost_defaults(struct ep_cost *c)
{
	c->read_ns = EP_COST_READ_NS;
	c->store_ns = EP_COST_STORE_NS;
	c->doorbell_ns = EP_COST_DOORBELL_NS;
}

double
ep_cost_job_ns(const struct ep_cost *c, const struct ep_access *a)
{
	double other = a->stores - a->doorbells;

	/* a doorbell is one of the stores the driver counts: price it apart */
	if (other < 0)
		other = 0;
	return a->cpu_ns + a->reads * c->read_ns + other * c->store_ns +
		a->doorbells * c->doorbell_ns;
}

double
ep_cost_ceiling(const struct ep_cost *c, const struct ep_access *a)
{
	double ns = ep_cost_job_ns(c, a);

	return ns > 0 ? 1e9 / ns : 0;
}

void
ep_cost_before(struct ep_access *before, const struct ep_access *now,
		const struct ep_workload *w)
{
	/* a batch of more than one element flagged its last element apart */
	double flag = w->submits > 0 && w->elements > w->submits ? 1 : 0;

	before->cpu_ns = now->cpu_ns;
	/* the old driver read LLP on every completion call with work in flight */
	before->reads = w->submits + w->cpl_calls + w->idle_polls;
	before->stores = 6 * w->elements + w->submits * (2 + flag);
	before->doorbells = w->submits;
}

/*
 * ACK and flow-control update DLLP rates recommended by the PCI Express
 * Base Specification 5.0 (tables 3-7..3-9, 2-46..2-48), as transcribed by
 * pcie-model (model/pcie.py): one 8-byte DLLP every this many bytes.
 * Gen3 to Gen5 share the values. Rows: x1 x2 x4 x8 x16; columns: MPS 128,
 * 256, 512.
 */
static const unsigned short dllp_every[3][5][3] = {
	{ { 237, 416, 559 }, { 128, 217, 289 }, { 73, 118, 154 },
	  { 67, 107, 86 }, { 48, 72, 86 } },          /* gen1 */
	{ { 288, 467, 610 }, { 179, 268, 340 }, { 124, 169, 205 },
	  { 118, 158, 137 }, { 99, 123, 137 } },      /* gen2 */
	{ { 333, 512, 655 }, { 224, 313, 385 }, { 169, 214, 250 },
	  { 163, 203, 182 }, { 144, 168, 182 } },     /* gen3..gen5 */
};

/* 4-byte STP token with the sequence number, 16-byte MWr header for a
 * 64-bit address, 4-byte LCRC (Gen1/2: STP/END symbols and a 2-byte
 * sequence number come to the same 8 bytes of framing).
 */
#define EP_TLP_OVERHEAD 24
#define EP_DLLP_BYTES 8
#define EP_SKIP_BYTES 4
#define EP_SKIP_EVERY 1538

double
ep_link_data_rate(unsigned int gen, unsigned int lanes, unsigned int mps)
{
	static const double gts[] = { 0, 2.5, 5.0, 8.0, 16.0, 32.0 };
	unsigned int li, mi, gi;
	double raw, over, tlp;

	if (gen < 1 || gen > 5)
		return -EINVAL;
	switch (lanes) {
	case 1: li = 0; break;
	case 2: li = 1; break;
	case 4: li = 2; break;
	case 8: li = 3; break;
	case 16: li = 4; break;
	default: return -EINVAL;
	}
	switch (mps) {
	case 128: mi = 0; break;
	case 256: mi = 1; break;
	case 512: mi = 2; break;
	default: return -EINVAL;
	}
	gi = gen <= 2 ? gen - 1 : 2;
	/* Gb/s after 8b/10b (Gen1/2) or 128b/130b (Gen3..5) line encoding */
	raw = gts[gen] * lanes * (gen <= 2 ? 8.0 / 10.0 : 128.0 / 130.0);
	over = 2.0 * EP_DLLP_BYTES / dllp_every[gi][li][mi] +
		(double)EP_SKIP_BYTES / EP_SKIP_EVERY;
	tlp = raw * (1 - over);
	return tlp * mps / (mps + EP_TLP_OVERHEAD) * 1e9 / 8;
}

int
ep_link_parse(const char *s, unsigned int *gen, unsigned int *lanes,
		unsigned int *mps)
{
	unsigned long v[3] = { 0, 0, 256 };
	const char *p = s;
	unsigned int n = 0;
	char *end;

	if (s == NULL)
		return -EINVAL;
	while (n < 3) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v[n++] = strtoul(p, &end, 10);
		if (*end == '\0')
			break;
		if (*end != ',')
			return -EINVAL;
		p = end + 1;
	}
	if (n < 2 || *end != '\0' ||
			ep_link_data_rate((unsigned int)v[0], (unsigned int)v[1],
				(unsigned int)v[2]) < 0)
		return -EINVAL;
	*gen = (unsigned int)v[0];
	*lanes = (unsigned int)v[1];
	*mps = (unsigned int)v[2];
	return 0;
}

void
ep_cost_print(FILE *f, const struct ep_cost *c, unsigned int gen,
		unsigned int lanes, unsigned int mps)
{
	fprintf(f, "PCIe access costs of the silicon projection (sources: "
		"doc/guides/tools/test_ep_dma_cost.rst)\n");
	fprintf(f, "  %-24s %8.1f ns  --cost-read: the core waits the round "
		"trip\n", "non-posted MMIO read", c->read_ns);
	fprintf(f, "  %-24s %8.1f ns  --cost-store: UC stores leave one at a "
		"time\n", "uncached posted store", c->store_ns);
	fprintf(f, "  %-24s %8.1f ns  --cost-doorbell: a posted store, priced "
		"apart\n", "doorbell", c->doorbell_ns);
	fprintf(f, "ceiling: jobs/s per core <= 1e9 / (cpu_ns + reads x read + "
		"(stores - doorbells) x store\n         + doorbells x doorbell), "
		"counts per job from the driver\n");
	if (gen != 0) {
		/* GT/s x lanes after the line encoding, in bytes */
		double raw = (gen <= 2 ? 2.5 * gen * 0.8 :
			8.0 * (1u << (gen - 3)) * 128.0 / 130.0) * lanes / 8;

		fprintf(f, "link: PCIe Gen%u x%u, MPS %u: %.4f GB/s of data in "
			"posted writes (%.4f GB/s after line encoding)\n", gen,
			lanes, mps, ep_link_data_rate(gen, lanes, mps) / 1e9, raw);
	}
}
