/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_COMPAT_H
#define DW_EDMA_COMPAT_H

/*
 * The one place for DPDK version differences. Written against 22.11; the
 * notes say what 24.11 / 25.11 change so a port touches only this file.
 */

#include <rte_version.h>
#include <rte_log.h>

/*
 * Logging: 22.11 has rte_log() with an explicit newline; 24.11+ adds
 * RTE_LOG_LINE which appends it. Our macro appends the newline itself.
 */
#define DW_EDMA_LOG_RAW(level, logtype, fmt, ...) \
	rte_log(RTE_LOG_ ## level, logtype, "dw_edma: " fmt "\n", ##__VA_ARGS__)

/*
 * Drivers' bus headers: 22.11 exposes bus_pci_driver.h / bus_vdev_driver.h
 * with the driver SDK; the same names exist in 24.11 and 25.11.
 */
#include <bus_pci_driver.h>
#include <bus_vdev_driver.h>
#include <rte_dmadev_pmd.h>

/*
 * rte_dma_fp_object gained no fields we rely on between 22.11 and 25.11;
 * 24.11 also removed nothing we use. The PCI device's address of a BAR is
 * mem_resource[i].addr in all three versions.
 *
 * Metadata reads go through the BAR mapping. When vfio-pci cannot mmap the
 * MSI-X page that the blob shares (spec B.6), 24.11+ offers
 * rte_pci_mmio_read()/rte_pci_mmio_write() on the device fd; 22.11 has no
 * such call, so there the endpoint must be configured with MSI only. A port
 * adds that fallback here, behind DW_EDMA_HAVE_PCI_MMIO.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(24, 11, 0, 0)
#define DW_EDMA_HAVE_PCI_MMIO 1
#else
#define DW_EDMA_HAVE_PCI_MMIO 0
#endif
#define DW_EDMA_PCI_BAR_ADDR(pdev, i)	((pdev)->mem_resource[(i)].addr)
#define DW_EDMA_PCI_BAR_LEN(pdev, i)	((pdev)->mem_resource[(i)].len)

/*
 * Silent mode: rte_dma_conf.enable_silent up to 25.07, then a flag in
 * rte_dma_conf.flags (which also carries the enqueue/dequeue mode, which we
 * do not offer either). Both ask for what this driver cannot do.
 */
#ifdef RTE_DMA_CFG_FLAG_SILENT
#define DW_EDMA_CONF_UNSUPPORTED(conf)	((conf)->flags != 0)
#else
#define DW_EDMA_CONF_UNSUPPORTED(conf)	((conf)->enable_silent)
#endif

/* RTE_DMA_STATUS_DATA_POISION is spelt that way up to and including 25.11. */
#define DW_EDMA_STATUS_POISON		RTE_DMA_STATUS_DATA_POISION

#endif /* DW_EDMA_COMPAT_H */
