/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef RTE_PMD_DW_EDMA_H
#define RTE_PMD_DW_EDMA_H

/**
 * @file
 * What an application may need from the dw_edma dmadev PMD beyond the
 * rte_dma API: which endpoint channel a device is, and the fast-path cost
 * counters (MMIO reads, uncached stores, doorbells) from which the cost of
 * a job on a PCIe link can be projected.
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

/** How a channel learns that jobs completed (see the driver guide). */
enum rte_pmd_dw_edma_completion {
	/** A write-back element per batch writes a word in host memory. */
	RTE_PMD_DW_EDMA_CPL_WRITE_BACK = 0,
	/** HDMA IMWr into a host word, then one LLP register read. */
	RTE_PMD_DW_EDMA_CPL_IMWR = 1,
	/** LLP register reads, paced by the expected completion time. */
	RTE_PMD_DW_EDMA_CPL_LLP = 2,
};

/** Identity of the endpoint channel behind a dmadev. */
struct rte_pmd_dw_edma_chan_info {
	char function[64];        /**< PCI address or simulation vdev name */
	enum rte_pmd_dw_edma_dir dir;
	uint8_t hw_ch;            /**< hardware channel number */
	uint8_t map_format;       /**< metadata LAYOUT_DATA (1, 5 or 7) */
	uint8_t func_num;         /**< requester function number programmed */
	uint16_t max_desc;        /**< jobs a vchan can have outstanding at most */
	uint16_t ring_slots;      /**< linked-list elements the window holds */
	uint64_t m2m_base;        /**< outbound window base, 0 if no MEM_TO_MEM */
	/** completion mode of the last start (write-back before the first) */
	enum rte_pmd_dw_edma_completion completion;
};

/** Per-channel fast-path cost counters, since start or the last reset. */
struct rte_pmd_dw_edma_counters {
	uint64_t jobs_enqueued;   /**< jobs accepted by copy/copy_sg */
	uint64_t jobs_completed;  /**< jobs reported by completed*() */
	uint64_t jobs_failed;     /**< of those, with a non-success status */
	uint64_t doorbells;       /**< doorbell register writes */
	uint64_t mmio_reads;      /**< non-posted MMIO reads (registers, LL flush) */
	uint64_t mmio_writes;     /**< uncached stores, LL included (64-bit: one) */
	uint64_t ring_resets;     /**< recoveries after an abort or link loss */
	uint64_t doorbell_retries;/**< doorbells re-rung for a missed doorbell */
	uint64_t stall_checks;    /**< register reads after no progress for stall_us */
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
