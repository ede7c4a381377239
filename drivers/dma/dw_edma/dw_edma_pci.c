/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * PCI probe: the endpoint DMA function has no fixed IDs, so match the DMA
 * controller class (0x0801, prog-if 0) on any vendor and confirm by finding
 * the metadata magic in a BAR (spec B.1, B.3).
 */

#include <errno.h>

#include <rte_kvargs.h>

#include "dw_edma_internal.h"

#define DW_EDMA_PCI_CLASS	0x080100 /* base 0x08, sub 0x01, prog-if 0 */

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
