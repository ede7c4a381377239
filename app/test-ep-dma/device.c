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

#include <rte_dev.h>
#include <rte_dmadev.h>

#ifdef EP_HAVE_DW_EDMA
#include <rte_pmd_dw_edma.h>
#endif
#ifdef EP_HAVE_EP_MODEL
#include <ep_model_vdev.h>
#endif

#include "ep_dma.h"

/*
 * The driver of the rte_device called name: a dmadev's own device (vdevs
 * such as dma_skeleton0) or, for a dw_edma channel, its function.
 */
static void
find_driver(const char *name, char *out, size_t len)
{
	static const char *const buses[] = { "bus=vdev", "bus=pci" };
	struct rte_dev_iterator it;
	struct rte_device *dev;
	unsigned int b;

	snprintf(out, len, "?");
	for (b = 0; b < RTE_DIM(buses); b++) {
		RTE_DEV_FOREACH(dev, buses[b], &it) {
			const struct rte_driver *drv = rte_dev_driver(dev);

			if (strcmp(rte_dev_name(dev), name) != 0 || drv == NULL)
				continue;
			snprintf(out, len, "%s", rte_driver_name(drv));
			return;
		}
	}
}

const char *
ep_completion_name(int mode)
{
#ifdef EP_HAVE_DW_EDMA
	switch (mode) {
	case RTE_PMD_DW_EDMA_CPL_WRITE_BACK: return "write-back";
	case RTE_PMD_DW_EDMA_CPL_IMWR: return "imwr";
	case RTE_PMD_DW_EDMA_CPL_LLP: return "llp";
	default: break;
	}
#else
	RTE_SET_USED(mode);
#endif
	return "?";
}

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
	d->completion = -1;
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
			d->completion = (int)ci.completion;
		}
	}
#endif
	find_driver(d->is_dw_edma ? d->function : d->name, d->driver,
		sizeof(d->driver));
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

/* The PMD's fast-path counters; -ENOTSUP (valid false) for other devices. */
int
ep_dev_counters(int16_t id, struct ep_ctr *c)
{
#ifdef EP_HAVE_DW_EDMA
	struct rte_pmd_dw_edma_counters pc;
#endif

	memset(c, 0, sizeof(*c));
#ifdef EP_HAVE_DW_EDMA
	if (rte_pmd_dw_edma_counters_get(id, &pc) == 0) {
		c->valid = true;
		c->doorbells = pc.doorbells;
		c->mmio_reads = pc.mmio_reads;
		c->mmio_writes = pc.mmio_writes;
		c->doorbell_retries = pc.doorbell_retries;
		c->stall_checks = pc.stall_checks;
		c->ring_resets = pc.ring_resets;
		return 0;
	}
#else
	RTE_SET_USED(id);
#endif
	return -ENOTSUP;
}

/* Completion mode of a dw_edma channel as last started; -1 otherwise. */
int
ep_dev_completion(int16_t id)
{
#ifdef EP_HAVE_DW_EDMA
	struct rte_pmd_dw_edma_chan_info ci;

	if (rte_pmd_dw_edma_chan_info_get(id, &ci) == 0)
		return (int)ci.completion;
#else
	RTE_SET_USED(id);
#endif
	return -1;
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

/* The directions a device can move data in, from its capabilities. */
static void
dirs_of(uint64_t capa, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *name; } dirs[] = {
		{ RTE_DMA_CAPA_MEM_TO_MEM, "mem2mem" },
		{ RTE_DMA_CAPA_MEM_TO_DEV, "mem2dev" },
		{ RTE_DMA_CAPA_DEV_TO_MEM, "dev2mem" },
		{ RTE_DMA_CAPA_DEV_TO_DEV, "dev2dev" },
	};
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < RTE_DIM(dirs) && o < len; i++)
		if (capa & dirs[i].bit)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
				o ? "," : "", dirs[i].name);
	if (o == 0)
		snprintf(buf, len, "-");
}

void
ep_dev_list(FILE *f)
{
	struct ep_dev_desc d;
	const char *cpl;
	char dirs[40], chan[80];
	int16_t id;

	fprintf(f, "%-3s %-28s %-18s %-16s %8s  %-26s %s\n", "id", "name",
		"driver", "directions", "max_desc", "endpoint channel",
		"completion");
	RTE_DMA_FOREACH_DEV(id) {
		if (ep_dev_describe(id, &d) < 0)
			continue;
		dirs_of(d.capa, dirs, sizeof(dirs));
		if (d.is_dw_edma) {
			snprintf(chan, sizeof(chan), "%s %s%u", d.function,
				d.chan_dir == EP_DIR_DEV2MEM ? "wr" : "rd", d.hw_ch);
			/*
			 * as the PMD reports it from the probe on (a start may
			 * still fall back to LLP; a run's figures show the mode
			 * it used)
			 */
			cpl = ep_completion_name(d.completion);
		} else {
			snprintf(chan, sizeof(chan), "-");
			cpl = "-";
		}
		fprintf(f, "%-3d %-28s %-18s %-16s %8u  %-26s %s\n", id, d.name,
			d.driver, dirs, d.max_desc, chan, cpl);
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
	fprintf(f, "  driver %s\n", d.driver);
	if (d.is_dw_edma) {
		fprintf(f, "  dw_edma channel %s %s%u (%s)", d.function,
			d.chan_dir == EP_DIR_DEV2MEM ? "wr" : "rd", d.hw_ch,
			ep_dir_name(d.chan_dir));
		if (d.m2m_base)
			fprintf(f, ", mem2mem window at 0x%" PRIx64, d.m2m_base);
		fprintf(f, ", completion %s\n", ep_completion_name(d.completion));
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
	struct ep_ctr c;

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
	if (ep_dev_counters(id, &c) == 0)
		fprintf(f, "  dw_edma: doorbells rung %" PRIu64 ", of them re-rung "
			"for a missed doorbell %" PRIu64 "\n"
			"  dw_edma: non-posted MMIO reads %" PRIu64 ", uncached stores %"
			PRIu64 ", register checks after a stall %" PRIu64
			", ring resets after an abort or link loss %" PRIu64 "\n",
			c.doorbells, c.doorbell_retries, c.mmio_reads,
			c.mmio_writes, c.stall_checks, c.ring_resets);
#ifdef EP_HAVE_EP_MODEL
	{
		struct ep_dev_desc d;
		struct ep_model_stats ms;
		struct ep_model *m;

		if (ep_dev_describe(id, &d) == 0 && d.is_dw_edma &&
				(m = ep_model_vdev_model(d.function)) != NULL &&
				ep_model_stats_get(m, &ms) == 0)
			fprintf(f, "  model %s: elements %" PRIu64 " bytes %" PRIu64
				" doorbells acted on %" PRIu64 ", dropped while "
				"running (missed-doorbell quirk) %" PRIu64 ", ignored "
				"(channel not enabled) %" PRIu64 ", aborts %" PRIu64
				", ownership violations %" PRIu64 "\n", d.function,
				ms.elements, ms.bytes, ms.doorbells,
				ms.doorbells_lost, ms.doorbells_ignored, ms.aborts,
				ms.violations);
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
