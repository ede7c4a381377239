/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Device helpers. Everything specific to the dw_edma PMD and to the
 * endpoint model lives here, so the rest of the app works on any dmadev;
 * without them (not built) every device is just a generic dmadev.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_dmadev.h>

#ifdef EP_HAVE_DW_EDMA
#include <rte_pmd_dw_edma.h>
#endif
#ifdef EP_HAVE_EP_MODEL
#include <ep_model_vdev.h>
#endif

#include "ep_dma.h"

int
ep_dev_describe(int16_t id, struct ep_dev_desc *d)
{
	struct rte_dma_info info;
	int rc;

	memset(d, 0, sizeof(*d));
	rc = rte_dma_info_get(id, &info);
	if (rc < 0)
		return rc;
	d->id = id;
	snprintf(d->name, sizeof(d->name), "%s",
		info.dev_name != NULL ? info.dev_name : "?");
	d->capa = info.dev_capa;
	d->max_desc = info.max_desc;
	d->min_desc = info.min_desc;
	d->max_sges = info.max_sges;
	d->numa_node = info.numa_node;
	d->chan_dir = EP_DIR_MEM2MEM;
#ifdef EP_HAVE_DW_EDMA
	{
		struct rte_pmd_dw_edma_chan_info ci;

		if (rte_pmd_dw_edma_chan_info_get(id, &ci) == 0) {
			d->is_dw_edma = true;
			d->chan_dir = ci.dir == RTE_PMD_DW_EDMA_DIR_WR ?
				EP_DIR_DEV2MEM : EP_DIR_MEM2DEV;
			snprintf(d->function, sizeof(d->function), "%s",
				ci.function);
			d->hw_ch = ci.hw_ch;
			d->m2m_base = ci.m2m_base;
		}
	}
#endif
#ifdef EP_HAVE_EP_MODEL
	if (d->is_dw_edma) {
		struct ep_model *m = ep_model_vdev_model(d->function);
		struct ep_model_info mi;

		if (m != NULL && ep_model_info_get(m, &mi) == 0 &&
				mi.ep_mem != NULL && mi.ep_mem_size != 0) {
			d->has_ep_mem = true;
			d->ep_mem = mi.ep_mem;
			d->ep_mem_addr = mi.ep_mem_addr;
			d->ep_mem_size = mi.ep_mem_size;
		}
	}
#endif
	return 0;
}

/* Doorbell and MMIO-read counters; -ENOTSUP for devices not ours. */
int
ep_dev_counters(int16_t id, uint64_t *doorbells, uint64_t *mmio_reads)
{
#ifdef EP_HAVE_DW_EDMA
	struct rte_pmd_dw_edma_counters c;

	if (rte_pmd_dw_edma_counters_get(id, &c) == 0) {
		*doorbells = c.doorbells;
		*mmio_reads = c.mmio_reads;
		return 0;
	}
#else
	RTE_SET_USED(id);
#endif
	*doorbells = 0;
	*mmio_reads = 0;
	return -ENOTSUP;
}

void
ep_dev_counters_reset(int16_t id)
{
#ifdef EP_HAVE_DW_EDMA
	rte_pmd_dw_edma_counters_reset(id);
#else
	RTE_SET_USED(id);
#endif
}

static void
print_capa(FILE *f, uint64_t capa)
{
	static const struct { uint64_t bit; const char *name; } names[] = {
		{ RTE_DMA_CAPA_MEM_TO_MEM, "mem2mem" },
		{ RTE_DMA_CAPA_MEM_TO_DEV, "mem2dev" },
		{ RTE_DMA_CAPA_DEV_TO_MEM, "dev2mem" },
		{ RTE_DMA_CAPA_DEV_TO_DEV, "dev2dev" },
		{ RTE_DMA_CAPA_SVA, "sva" },
		{ RTE_DMA_CAPA_HANDLES_ERRORS, "handles_errors" },
		{ RTE_DMA_CAPA_SILENT, "silent" },
		{ RTE_DMA_CAPA_OPS_COPY, "copy" },
		{ RTE_DMA_CAPA_OPS_COPY_SG, "copy_sg" },
		{ RTE_DMA_CAPA_OPS_FILL, "fill" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++)
		if (capa & names[i].bit)
			fprintf(f, " %s", names[i].name);
}

void
ep_dev_list(FILE *f)
{
	struct ep_dev_desc d;
	int16_t id;

	fprintf(f, "%-4s %-32s %-8s %s\n", "id", "name", "dir", "capabilities");
	RTE_DMA_FOREACH_DEV(id) {
		if (ep_dev_describe(id, &d) < 0)
			continue;
		fprintf(f, "%-4d %-32s %-8s", id, d.name,
			d.is_dw_edma ? ep_dir_name(d.chan_dir) : "any");
		print_capa(f, d.capa);
		fprintf(f, "\n");
	}
}

void
ep_dev_print_info(FILE *f, int16_t id)
{
	struct ep_dev_desc d;

	if (ep_dev_describe(id, &d) < 0) {
		fprintf(f, "device %d: no such dmadev\n", id);
		return;
	}
	fprintf(f, "device %d: %s\n  capabilities:", id, d.name);
	print_capa(f, d.capa);
	fprintf(f, "\n  descriptors %u..%u, max sg %u, numa %d\n", d.min_desc,
		d.max_desc, d.max_sges, d.numa_node);
	if (d.is_dw_edma) {
		fprintf(f, "  dw_edma channel %s %s%u (%s)", d.function,
			d.chan_dir == EP_DIR_DEV2MEM ? "wr" : "rd", d.hw_ch,
			ep_dir_name(d.chan_dir));
		if (d.m2m_base)
			fprintf(f, ", mem2mem window at 0x%" PRIx64, d.m2m_base);
		fprintf(f, "\n");
	}
	if (d.has_ep_mem)
		fprintf(f, "  simulated endpoint memory 0x%" PRIx64 " + %" PRIu64
			" bytes\n", d.ep_mem_addr, d.ep_mem_size);
	rte_dma_dump(id, f);
}

void
ep_dev_print_stats(FILE *f, int16_t id)
{
	struct rte_dma_stats st;
	uint64_t db, rd;

	if (!rte_dma_is_valid(id)) {
		fprintf(f, "device %d: no such dmadev\n", id);
		return;
	}
	if (rte_dma_stats_get(id, RTE_DMA_ALL_VCHAN, &st) == 0)
		fprintf(f, "device %d: submitted %" PRIu64 " completed %" PRIu64
			" errors %" PRIu64 "\n", id, st.submitted, st.completed,
			st.errors);
	else
		fprintf(f, "device %d: stats not available (not configured?)\n",
			id);
	if (ep_dev_counters(id, &db, &rd) == 0)
		fprintf(f, "  dw_edma: doorbells %" PRIu64 " mmio_reads %" PRIu64
			"\n", db, rd);
#ifdef EP_HAVE_EP_MODEL
	{
		struct ep_dev_desc d;
		struct ep_model_stats ms;
		struct ep_model *m;

		if (ep_dev_describe(id, &d) == 0 && d.is_dw_edma &&
				(m = ep_model_vdev_model(d.function)) != NULL &&
				ep_model_stats_get(m, &ms) == 0)
			fprintf(f, "  model %s: elements %" PRIu64 " bytes %" PRIu64
				" doorbells %" PRIu64 " lost %" PRIu64 " aborts %"
				PRIu64 " violations %" PRIu64 "\n", d.function,
				ms.elements, ms.bytes, ms.doorbells,
				ms.doorbells_lost, ms.aborts, ms.violations);
	}
#endif
}

/*
 * Ownership violations the endpoint model recorded for a simulated device:
 * print them and return -1 when there are any; 0 otherwise (and for devices
 * that are not simulated).
 */
int
ep_dev_check_violations(const struct ep_dev_desc *d)
{
#ifdef EP_HAVE_EP_MODEL
	struct ep_model *m;
	char text[160];
	uint64_t n;
	unsigned int i;

	if (!d->is_dw_edma || (m = ep_model_vdev_model(d->function)) == NULL)
		return 0;
	n = ep_model_violations(m);
	if (n == 0)
		return 0;
	fprintf(stderr, "device %s: the endpoint model saw %" PRIu64
		" register writes outside what was delegated:\n", d->name, n);
	for (i = 0; ep_model_violation_get(m, i, text, sizeof(text)) == 0;
			i++)
		fprintf(stderr, "  %s\n", text);
	return -1;
#else
	RTE_SET_USED(d);
	return 0;
#endif
}
