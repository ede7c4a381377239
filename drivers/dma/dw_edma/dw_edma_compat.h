/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_COMPAT_H
#define DW_EDMA_COMPAT_H

/*
 * The one place for DPDK version differences. Written against 22.11; the
 * notes say what 24.11 / 25.11 change so a port touches only this file.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>
#include <rte_version.h>

/*
 * Logging: RTE_LOG_LINE (24.11+) appends the newline and refuses one in
 * the format; 22.11 has only RTE_LOG. The fallback expands as RTE_LOG
 * does (level RTE_LOG_<l>, log type RTE_LOGTYPE_<t>, "<t>: " before the
 * format) and adds the newline. It calls rte_vlog() through a printf-like
 * helper, which is what rte_log() itself does, so that the driver names
 * none of the calls DPDK's checkpatches keeps out of drivers.
 */
#ifndef RTE_LOG_LINE
static inline int __rte_format_printf(3, 4)
dw_edma_log_line(uint32_t level, uint32_t logtype, const char *format, ...)
{
	va_list ap;
	int ret;

	va_start(ap, format);
	ret = rte_vlog(level, logtype, format, ap);
	va_end(ap);
	return ret;
}

#define RTE_LOG_LINE(l, t, ...) \
	dw_edma_log_line(RTE_LOG_ ## l, RTE_LOGTYPE_ ## t, # t ": " \
		RTE_FMT(RTE_FMT_HEAD(__VA_ARGS__ ,) "\n", RTE_FMT_TAIL(__VA_ARGS__ ,)))
#endif

/*
 * Exported symbols: DPDK 25.07+ marks them where they are defined and
 * generates the linker map from the marks (eal_export.h, internal to
 * DPDK's tree); earlier releases read version.map. Both are kept: the
 * marks are empty where eal_export.h does not exist.
 */
#if defined(__has_include)
#if __has_include("eal_export.h")
#include "eal_export.h"
#endif
#endif
#ifndef RTE_EXPORT_EXPERIMENTAL_SYMBOL
#define RTE_EXPORT_EXPERIMENTAL_SYMBOL(symbol, ver)
#endif
#ifndef RTE_EXPORT_INTERNAL_SYMBOL
#define RTE_EXPORT_INTERNAL_SYMBOL(symbol)
#endif

/*
 * Drivers' bus headers: 22.11 exposes bus_pci_driver.h
 * with the driver SDK; the same names exist in 24.11 and 25.11.
 */
#include <bus_pci_driver.h>
#include <rte_dmadev_pmd.h>

/*
 * rte_dma_fp_object gained no fields we rely on between 22.11 and 25.11;
 * 24.11 also removed nothing we use. The PCI device's address of a BAR is
 * mem_resource[i].addr in all three versions.
 *
 * Metadata reads go through the BAR mapping. When vfio-pci cannot mmap the
 * MSI-X page that the blob shares (hardware reference B.6), they go through the
 * device's vfio region instead: 24.11+ offers
 * rte_pci_mmio_read()/rte_pci_mmio_write() for that; 22.11 has no such call, so
 * there we ask vfio for the region offset of the BAR
 * (VFIO_DEVICE_GET_REGION_INFO) and pread()/pwrite() the device fd ourselves.
 * Either way: one system call per access.
 */
#if RTE_VERSION_NUM(24, 11, 0, 0) <= RTE_VERSION
#define DW_EDMA_HAVE_PCI_MMIO 1
#else
#define DW_EDMA_HAVE_PCI_MMIO 0
#endif

/* Region access state of one BAR, filled by dw_edma_region_open(). */
struct dw_edma_region {
	const struct rte_pci_device *pdev;
	int bar;
	int fd;          /* vfio device fd (22.11 path) */
	uint64_t off;    /* offset of the BAR in the fd (22.11 path) */
	uint64_t size;   /* region size (22.11 path; 0: not checked) */
};

#if !DW_EDMA_HAVE_PCI_MMIO
#include <sys/ioctl.h>
#include <linux/vfio.h>
#endif

/*
 * Prepare region access to BAR bar of a vfio-pci bound device. Returns 0,
 * -ENODEV (no vfio device fd) or -errno of the region query. why gets a
 * short reason on failure.
 */
static inline int
dw_edma_region_open(const struct rte_pci_device *pdev, int bar,
		struct dw_edma_region *r, const char **why)
{
	int fd = rte_intr_dev_fd_get(pdev->intr_handle);

	r->pdev = pdev;
	r->bar = bar;
	r->fd = fd;
	r->off = 0;
	r->size = 0;
	if (pdev->kdrv != RTE_PCI_KDRV_VFIO || fd < 0) {
		*why = "device not bound to vfio-pci (no vfio device fd)";
		return -ENODEV;
	}
#if !DW_EDMA_HAVE_PCI_MMIO
	{
		struct vfio_region_info info = { .argsz = sizeof(info) };

		info.index = VFIO_PCI_BAR0_REGION_INDEX + bar;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &info) != 0) {
			int err = errno;

			*why = "VFIO_DEVICE_GET_REGION_INFO failed";
			return -err;
		}
		if ((info.flags & VFIO_REGION_INFO_FLAG_READ) == 0 ||
				(info.flags & VFIO_REGION_INFO_FLAG_WRITE) == 0) {
			*why = "vfio region is not readable and writable";
			return -EACCES;
		}
		r->off = info.offset;
		r->size = info.size;
	}
#endif
	return 0;
}

/* Read len bytes at off of the region; 0 or -EIO. */
static inline int
dw_edma_region_read(const struct dw_edma_region *r, void *buf, size_t len, uint64_t off)
{
#if DW_EDMA_HAVE_PCI_MMIO
	return rte_pci_mmio_read(r->pdev, r->bar, buf, len, (off_t)off) == (int)len ?
		0 : -EIO;
#else
	if (r->size != 0 && (off > r->size || len > r->size - off))
		return -EIO;
	return pread(r->fd, buf, len, (off_t)(r->off + off)) == (ssize_t)len ? 0 : -EIO;
#endif
}

/* Write len bytes at off of the region; 0 or -EIO. */
static inline int
dw_edma_region_write(const struct dw_edma_region *r, const void *buf, size_t len,
		uint64_t off)
{
#if DW_EDMA_HAVE_PCI_MMIO
	return rte_pci_mmio_write(r->pdev, r->bar, buf, len, (off_t)off) == (int)len ?
		0 : -EIO;
#else
	if (r->size != 0 && (off > r->size || len > r->size - off))
		return -EIO;
	return pwrite(r->fd, buf, len, (off_t)(r->off + off)) == (ssize_t)len ? 0 : -EIO;
#endif
}

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
