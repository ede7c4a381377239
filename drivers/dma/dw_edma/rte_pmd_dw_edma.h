/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef RTE_PMD_DW_EDMA_H
#define RTE_PMD_DW_EDMA_H

/**
 * @file
 * What an application may need from the dw_edma dmadev PMD beyond the
 * rte_dma API: which endpoint channel a device is, and the fast-path cost
 * counters (doorbells and MMIO reads) that architecture decision 3 budgets.
 */

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Direction of a delegated channel, named as the DesignWare databook does. */
enum rte_pmd_dw_edma_dir {
	RTE_PMD_DW_EDMA_DIR_WR = 0, /**< endpoint to host (DEV_TO_MEM) */
	RTE_PMD_DW_EDMA_DIR_RD = 1, /**< host to endpoint (MEM_TO_DEV) */
};

/** Identity of the endpoint channel behind a dmadev. */
struct rte_pmd_dw_edma_chan_info {
	char function[64];        /**< PCI address or simulation vdev name */
	enum rte_pmd_dw_edma_dir dir;
	uint8_t hw_ch;            /**< hardware channel number */
	uint8_t map_format;       /**< metadata LAYOUT_DATA (1, 5 or 7) */
	uint8_t func_num;         /**< requester function number programmed */
	uint16_t max_desc;        /**< ring slots the descriptor window holds */
	uint64_t m2m_base;        /**< outbound window base, 0 if no MEM_TO_MEM */
};

/** Per-channel fast-path cost counters, since start or the last reset. */
struct rte_pmd_dw_edma_counters {
	uint64_t jobs_enqueued;   /**< jobs accepted by copy/copy_sg */
	uint64_t jobs_completed;  /**< jobs reported by completed*() */
	uint64_t jobs_failed;     /**< of those, with a non-success status */
	uint64_t doorbells;       /**< doorbell register writes */
	uint64_t mmio_reads;      /**< MMIO reads on the fast path */
	uint64_t mmio_writes;     /**< MMIO writes on the fast path, LL included */
	uint64_t ring_resets;     /**< recoveries after an abort or link loss */
	uint64_t doorbell_retries;/**< doorbells re-rung for a missed doorbell */
};

/**
 * Get the channel identity of a dw_edma dmadev.
 * @return 0, -ENODEV if dev_id is not a dw_edma device, -EINVAL.
 */
__rte_experimental
int rte_pmd_dw_edma_chan_info_get(int16_t dev_id,
		struct rte_pmd_dw_edma_chan_info *info);

/**
 * Get the fast-path counters of a dw_edma dmadev.
 * @return 0, -ENODEV if dev_id is not a dw_edma device, -EINVAL.
 */
__rte_experimental
int rte_pmd_dw_edma_counters_get(int16_t dev_id,
		struct rte_pmd_dw_edma_counters *counters);

/** Reset the fast-path counters (also done by rte_dma_stats_reset()). */
__rte_experimental
int rte_pmd_dw_edma_counters_reset(int16_t dev_id);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_DW_EDMA_H */
