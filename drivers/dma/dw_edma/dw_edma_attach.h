/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_ATTACH_H
#define DW_EDMA_ATTACH_H

/**
 * @file
 * Internal entry point of the dw_edma PMD: attach an endpoint DMA function
 * whose BARs some bus has already mapped. The PMD's own PCI probe uses it;
 * so can another bus driver that presents such a function (for example a
 * software model of the endpoint in the same process). Not a stable API:
 * exported for other DPDK drivers only, as internal symbols.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_compat.h>
#include <rte_dev.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of BARs of a PCI function. */
#define DW_EDMA_NUM_BARS	6

/** What a bus knows about an endpoint DMA function before discovery. */
struct dw_edma_fn_desc {
	/** Function name, prefix of the dmadev names ("<name>-wr0", ...). */
	const char *name;
	/** Device the rte_dma devices belong to. */
	struct rte_device *device;
	/** CPU mappings of the BARs; addr NULL (len 0) for an absent BAR. */
	struct {
		void *addr;
		uint64_t len;
	} bars[DW_EDMA_NUM_BARS];
	/** Requester function number the engine must put in its TLPs. */
	uint8_t func_num;
	/** Driver devargs ("key=value,..."), NULL or "" for none. */
	const char *devargs;
	/**
	 * Endpoint-local base of an outbound window to host memory that the
	 * bus knows of (MEM_TO_MEM); the m2m_base devarg overrides it.
	 */
	uint64_t m2m_base;
	bool has_m2m;
};

/**
 * Find the metadata, do the handshake and create one rte_dma device per
 * delegated channel. In a secondary process, attach to what the primary
 * discovered under the same name instead, without touching the device.
 *
 * @return
 *   0 on success; -ENODEV when no BAR holds endpoint DMA metadata (the
 *   function is not one); another negative errno when the metadata or the
 *   devargs are invalid (logged, naming what and where), on a handshake
 *   timeout or when memory runs out. Nothing is left behind on failure.
 */
__rte_internal
int dw_edma_fn_attach(const struct dw_edma_fn_desc *d);

/**
 * Destroy the rte_dma devices of function name (stopping running ones) and
 * forget it. @return 0, or -ENODEV if no function of that name is attached.
 */
__rte_internal
int dw_edma_fn_detach(const char *name);

/**
 * @return
 *   true when key is one of the driver's devargs keys, so that a bus
 *   sharing a devargs string with other consumers can route it.
 */
__rte_internal
bool dw_edma_devarg_key(const char *key);

#ifdef __cplusplus
}
#endif

#endif /* DW_EDMA_ATTACH_H */
