/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * PCI probe: the endpoint DMA function has no fixed IDs, so match the DMA
 * controller class (0x0801, prog-if 0) on any vendor and confirm by finding
 * the metadata magic in a BAR (spec B.1, B.3).
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_kvargs.h>

#include "dw_edma_internal.h"

#define DW_EDMA_PCI_CLASS	0x080100 /* base 0x08, sub 0x01, prog-if 0 */

/*
 * Metadata accessors of a function with at least one BAR in region access
 * (spec B.6): such BARs go through the vfio region, the others through the
 * mapping. A failed region read returns all-ones, which every check treats
 * like a lost link, so a broken fd cannot be mistaken for a valid blob.
 */
static uint32_t
pci_meta_rd32(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off)
{
	const struct dw_edma_bar *b = &fn->bars[bar];
	uint32_t v;

	if (b->access != DW_BAR_REGION)
		return rte_read32(b->addr + off);
	if (dw_edma_region_read(&b->region, &v, sizeof(v), off) != 0)
		return UINT32_MAX;
	return v;
}

static void
pci_meta_wr32(struct dw_edma_fn *fn, uint8_t bar, uint64_t off, uint32_t v)
{
	struct dw_edma_bar *b = &fn->bars[bar];

	if (b->access != DW_BAR_REGION)
		rte_write32(v, b->addr + off);
	else if (dw_edma_region_write(&b->region, &v, sizeof(v), off) != 0)
		DW_LOG(ERR, "%s: BAR%u region write at 0x%" PRIx64 " failed", fn->name,
			bar, off);
}

/*
 * Choose how the metadata of each mapped BAR is read: the mapping when the
 * span discovery reads is readable, else the vfio region, else not at all.
 * Returns true when some BAR uses region access.
 */
static bool
pci_meta_access_setup(struct dw_edma_fn *fn, struct rte_pci_device *pdev)
{
	bool region = false;
	unsigned int i;

	for (i = 0; i < DW_NUM_BARS; i++) {
		struct dw_edma_bar *b = &fn->bars[i];
		const char *why = NULL;
		int ok, rc;

		b->access = DW_BAR_MMIO;
		if (b->addr == NULL || b->len < DW_META_HDR_LEN)
			continue;
		ok = dw_edma_range_readable(b->addr, RTE_MIN(b->len,
			(uint64_t)DW_EDMA_META_SPAN));
		if (ok == 1)
			continue;
		if (ok < 0 && pdev->kdrv != RTE_PCI_KDRV_VFIO) {
			/* cannot tell, and nothing safer to use: keep the mapping */
			DW_LOG(WARNING, "%s: BAR%u: cannot read /proc/self/maps (%d), assuming "
				"the mapping is complete", fn->name, i, ok);
			continue;
		}
		rc = dw_edma_region_open(pdev, (int)i, &b->region, &why);
		if (rc != 0) {
			b->access = DW_BAR_NO_META;
			DW_LOG(ERR, "%s: BAR%u: first 0x%" PRIx64 " bytes not mapped (MSI-X "
				"table page?) and no region access (%s, %d): metadata not read "
				"from this BAR",
				fn->name, i, RTE_MIN(b->len, (uint64_t)DW_EDMA_META_SPAN), why, rc);
			continue;
		}
		b->access = DW_BAR_REGION;
		region = true;
		DW_LOG(NOTICE, "%s: BAR%u: %s, metadata read through the vfio region "
			"(one system call per word)",
			fn->name, i, ok < 0 ? "mapping unknown (/proc/self/maps unreadable)" :
			"blob page not mapped (MSI-X table page withheld by vfio-pci)");
	}
	return region;
}

static int
pci_parse_devargs(struct rte_pci_device *pdev, struct dw_edma_opts *o, const char *name)
{
	struct rte_kvargs *kv;
	unsigned int i;
	int rc = 0;

	dw_edma_opts_default(o);
	if (pdev->device.devargs == NULL || pdev->device.devargs->args == NULL ||
			pdev->device.devargs->args[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(pdev->device.devargs->args, NULL);
	if (kv == NULL) {
		DW_LOG(ERR, "%s: cannot parse devargs '%s'", name, pdev->device.devargs->args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count && rc == 0; i++)
		rc = dw_edma_opts_parse_kv(o, kv->pairs[i].key, kv->pairs[i].value, name);
	rte_kvargs_free(kv);
	return rc;
}

static int
dw_edma_pci_probe(struct rte_pci_driver *drv, struct rte_pci_device *pdev)
{
	struct dw_edma_fn *fn;
	char name[64];
	unsigned int i;
	int rc;

	RTE_SET_USED(drv);
	rte_pci_device_name(&pdev->addr, name, sizeof(name));
	fn = dw_edma_fn_alloc(name);
	if (fn == NULL)
		return -ENOMEM;
	/* silicon: a status read never predates an earlier doorbell write */
	fn->status_settle_us = 0;
	rc = pci_parse_devargs(pdev, &fn->opts, name);
	if (rc != 0)
		goto fail;
	for (i = 0; i < DW_NUM_BARS; i++) {
		fn->bars[i].addr = DW_EDMA_PCI_BAR_ADDR(pdev, i);
		fn->bars[i].len = fn->bars[i].addr != NULL ? DW_EDMA_PCI_BAR_LEN(pdev, i) : 0;
	}
	if (pci_meta_access_setup(fn, pdev)) {
		fn->meta_rd32 = pci_meta_rd32;
		fn->meta_wr32 = pci_meta_wr32;
	}
	/* the requester ID the IOMMU checks carries the host's view of it */
	fn->func_num = pdev->addr.function;
	rc = dw_edma_meta_discover(fn);
	if (rc == -ENODEV) {
		DW_LOG(NOTICE, "%s: class 0x0801 device without endpoint DMA metadata, declined",
			name);
		rc = 1; /* not ours: let another driver have it */
		goto fail;
	}
	if (rc != 0)
		goto fail;
	rc = dw_edma_fn_create_devs(fn, &pdev->device);
	if (rc != 0)
		goto fail;
	return 0;
fail:
	dw_edma_fn_free(fn);
	return rc;
}

static int
dw_edma_pci_remove(struct rte_pci_device *pdev)
{
	struct dw_edma_fn *fn = dw_edma_fn_find(pdev->device.name);

	if (fn == NULL)
		return -ENODEV;
	dw_edma_fn_destroy_devs(fn);
	dw_edma_fn_free(fn);
	return 0;
}

static const struct rte_pci_id dw_edma_pci_ids[] = {
	{
		.class_id = DW_EDMA_PCI_CLASS,
		.vendor_id = RTE_PCI_ANY_ID,
		.device_id = RTE_PCI_ANY_ID,
		.subsystem_vendor_id = RTE_PCI_ANY_ID,
		.subsystem_device_id = RTE_PCI_ANY_ID,
	},
	{ .vendor_id = 0 },
};

static struct rte_pci_driver dw_edma_pci_drv = {
	.id_table = dw_edma_pci_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
	.probe = dw_edma_pci_probe,
	.remove = dw_edma_pci_remove,
};

RTE_PMD_REGISTER_PCI(dma_dw_edma, dw_edma_pci_drv);
RTE_PMD_REGISTER_PCI_TABLE(dma_dw_edma, dw_edma_pci_ids);
RTE_PMD_REGISTER_KMOD_DEP(dma_dw_edma, "vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(dma_dw_edma, "ready_timeout_ms=<ms> m2m_base=<ep address>");
