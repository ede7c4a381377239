/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * PCI probe: the endpoint DMA function has no fixed IDs, so match the DMA
 * controller class (0x0801, prog-if 0) on any vendor and confirm by finding the
 * metadata magic in a BAR (hardware reference B.1, B.3). A second driver takes
 * a vNTB function the user names with epdm_* devargs (hardware reference F).
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_devargs.h>
#include <rte_eal.h>

#include "dw_edma_internal.h"

#define DW_EDMA_PCI_CLASS	0x080100 /* base 0x08, sub 0x01, prog-if 0 */

/*
 * Metadata accessors of a function with at least one BAR in region access
 * (hardware reference B.6): such BARs go through the vfio region, the others
 * through the mapping. A failed region read returns all-ones, which every check
 * treats like a lost link, so a broken fd cannot be mistaken for a valid blob.
 */
static uint32_t
pci_meta_rd32(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off)
{
	const struct dw_edma_bar *b = &fn->bars[bar];
	uint32_t v;

	if (b->access != DW_BAR_REGION)
		return rte_read32(b->addr + off);
	if (dw_edma_region_read(&dw_edma_fn_local(fn)->region[bar], &v, sizeof(v), off) != 0)
		return UINT32_MAX;
	return v;
}

static void
pci_meta_wr32(struct dw_edma_fn *fn, uint8_t bar, uint64_t off, uint32_t v)
{
	struct dw_edma_bar *b = &fn->bars[bar];

	if (b->access != DW_BAR_REGION)
		rte_write32(v, b->addr + off);
	else if (dw_edma_region_write(&dw_edma_fn_local(fn)->region[bar], &v, sizeof(v),
			off) != 0)
		DW_LOG(ERR, "%s: BAR%u region write at 0x%" PRIx64 " failed", fn->name,
			bar, off);
}

/*
 * Choose how the metadata of each mapped BAR is read: the mapping when the
 * span discovery reads is readable, else the vfio region, else not at all.
 * A secondary process keeps the primary's choice and opens its own region
 * access (its vfio device fd is its own).
 */
static int
pci_meta_access_setup(struct dw_edma_fn *fn, struct dw_edma_fn_local *loc, void *arg)
{
	struct rte_pci_device *pdev = arg;
	bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
	bool region = false;
	unsigned int i;

	for (i = 0; i < DW_NUM_BARS; i++) {
		struct dw_edma_bar *b = &fn->bars[i];
		const char *why = NULL;
		int ok = 0, rc;

		if (b->addr == NULL || b->len < DW_META_HDR_LEN)
			continue;
		if (primary) {
			ok = dw_edma_range_readable(b->addr, RTE_MIN(b->len,
				(uint64_t)DW_EDMA_META_SPAN));
			if (ok == 1)
				continue;
			if (ok < 0 && pdev->kdrv != RTE_PCI_KDRV_VFIO) {
				/* cannot tell, and nothing safer to use: keep the mapping */
				DW_LOG(WARNING, "%s: BAR%u: cannot read /proc/self/maps (%d), "
					"assuming the mapping is complete", fn->name, i, ok);
				continue;
			}
		} else if (b->access != DW_BAR_REGION) {
			continue;
		}
		rc = dw_edma_region_open(pdev, (int)i, &loc->region[i], &why);
		if (rc != 0) {
			if (!primary) {
				DW_LOG(ERR, "%s: BAR%u: no vfio region access in this process "
					"(%s, %d)", fn->name, i, why, rc);
				return rc;
			}
			b->access = DW_BAR_NO_META;
			DW_LOG(ERR, "%s: BAR%u: first 0x%" PRIx64 " bytes not mapped (MSI-X "
				"table page?) and no region access (%s, %d): metadata not read "
				"from this BAR",
				fn->name, i, RTE_MIN(b->len, (uint64_t)DW_EDMA_META_SPAN), why, rc);
			continue;
		}
		b->access = DW_BAR_REGION;
		region = true;
		if (primary)
			DW_LOG(NOTICE, "%s: BAR%u: %s, metadata read through the vfio region "
				"(one system call per word)",
				fn->name, i, ok < 0 ?
				"mapping unknown (/proc/self/maps unreadable)" :
				"blob page not mapped (MSI-X table page withheld by vfio-pci)");
	}
	if (region) {
		loc->rd32 = pci_meta_rd32;
		loc->wr32 = pci_meta_wr32;
	}
	return 0;
}

/* Attach a mapped PCI function: the BARs, function number and devargs. */
static int
pci_attach(struct rte_pci_device *pdev, char *name, size_t len)
{
	struct dw_edma_fn_desc d = { 0 };
	unsigned int i;

	rte_pci_device_name(&pdev->addr, name, len);
	d.name = name;
	d.device = &pdev->device;
	for (i = 0; i < DW_NUM_BARS; i++) {
		d.bars[i].addr = DW_EDMA_PCI_BAR_ADDR(pdev, i);
		d.bars[i].len = d.bars[i].addr != NULL ? DW_EDMA_PCI_BAR_LEN(pdev, i) : 0;
	}
	/* the requester ID the IOMMU checks carries the host's view of it */
	d.func_num = pdev->addr.function;
	if (pdev->device.devargs != NULL)
		d.devargs = pdev->device.devargs->args;
	return dw_edma_fn_attach_io(&d, pci_meta_access_setup, pdev);
}

static int
dw_edma_pci_probe(struct rte_pci_driver *drv, struct rte_pci_device *pdev)
{
	char name[64];
	int rc;

	RTE_SET_USED(drv);
	rc = pci_attach(pdev, name, sizeof(name));
	if (rc == -ENODEV && rte_eal_process_type() == RTE_PROC_PRIMARY) {
		DW_LOG(NOTICE, "%s: class 0x0801 device without endpoint DMA metadata, declined",
			name);
		return 1; /* not ours: let another driver have it */
	}
	return rc;
}

static int
dw_edma_pci_remove(struct rte_pci_device *pdev)
{
	return dw_edma_fn_detach(pdev->device.name);
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
RTE_PMD_REGISTER_PARAM_STRING(dma_dw_edma, "ready_timeout_ms=<ms> m2m_base=<ep address> "
	"completion=auto|llp|imwr stall_us=<us> stall_fail_ms=<ms> epdm_bar=<0-5> "
	"epdm_offset=<off> epdm_size=<size> epdm_ntb_bar=<0-5>");

/*
 * The EPDM front end (dw_edma_epdm.c) on a vNTB endpoint function. That
 * function has administrator-chosen IDs and class (pci-epf-vntb defaults to
 * a memory controller; ntb_hw_epf matches 0x0500 on a few vendor IDs), and
 * binding it to vfio-pci takes it from the kernel's NTB driver, so it is
 * never claimed on sight: this second driver matches every device but
 * takes only one whose allow-list entry carries an epdm_* devarg. It has no
 * RTE_PCI_DRV_NEED_MAPPING, because the EAL would then map (and, through
 * vfio, reset) every device before the probe could decline it: declining
 * costs a devargs string scan and touches nothing. The device is mapped
 * here once it is known to be wanted.
 */
static int
dw_edma_pci_epdm_probe(struct rte_pci_driver *drv, struct rte_pci_device *pdev)
{
	char name[64];
	int rc;

	RTE_SET_USED(drv);
	if (pdev->device.devargs == NULL || !dw_edma_epdm_requested(pdev->device.devargs->args))
		return 1;
	rte_pci_device_name(&pdev->addr, name, sizeof(name));
	if (pdev->kdrv == RTE_PCI_KDRV_NONE || pdev->kdrv == RTE_PCI_KDRV_UNKNOWN) {
		DW_LOG(ERR, "%s: epdm devargs given but the function is not bound to vfio-pci "
			"(see the guide: the kernel's NTB driver must let go of it)", name);
		return -ENODEV;
	}
	rc = rte_pci_map_device(pdev);
	if (rc != 0) {
		DW_LOG(ERR, "%s: cannot map the BARs (%d)", name, rc);
		return rc < 0 ? rc : -ENODEV;
	}
	rc = pci_attach(pdev, name, sizeof(name));
	if (rc != 0)
		rte_pci_unmap_device(pdev);
	return rc;
}

static int
dw_edma_pci_epdm_remove(struct rte_pci_device *pdev)
{
	int rc = dw_edma_fn_detach(pdev->device.name);

	/* mapped by our probe, not by the EAL: unmapped here too */
	rte_pci_unmap_device(pdev);
	return rc;
}

static const struct rte_pci_id dw_edma_pci_epdm_ids[] = {
	{
		.class_id = RTE_CLASS_ANY_ID,
		.vendor_id = RTE_PCI_ANY_ID,
		.device_id = RTE_PCI_ANY_ID,
		.subsystem_vendor_id = RTE_PCI_ANY_ID,
		.subsystem_device_id = RTE_PCI_ANY_ID,
	},
	{ .vendor_id = 0 },
};

static struct rte_pci_driver dw_edma_pci_epdm_drv = {
	.id_table = dw_edma_pci_epdm_ids,
	.drv_flags = 0,
	.probe = dw_edma_pci_epdm_probe,
	.remove = dw_edma_pci_epdm_remove,
};

/*
 * No RTE_PMD_REGISTER_PCI_TABLE: the table matches everything, and tools
 * reading PMD info would list this driver for every device.
 */
RTE_PMD_REGISTER_PCI(dma_dw_edma_epdm, dw_edma_pci_epdm_drv);
RTE_PMD_REGISTER_KMOD_DEP(dma_dw_edma_epdm, "vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(dma_dw_edma_epdm, "epdm_bar=<0-5> epdm_offset=<off> "
	"epdm_size=<size> | epdm_ntb_bar=<0-5>, and every dma_dw_edma devarg");
