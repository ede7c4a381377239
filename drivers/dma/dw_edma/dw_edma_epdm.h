/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_EPDM_H
#define DW_EDMA_EPDM_H

/*
 * The second discovery front end: DMA read channels exported through the
 * vNTB endpoint function as an "EPDM" ABI v1 slice (hardware reference F).
 * Types only; the functions are declared in dw_edma_internal.h.
 */

#include <stdbool.h>
#include <stdint.h>

/* ---- EPDM ABI v1 slice header (hardware reference F.2) ---- */
#define DW_EPDM_MAGIC			0x4d445045u /* "EPDM" */
#define DW_EPDM_VERSION			1
/* sizeof(struct pci_ep_dma_hdr_v1): 0x20 bytes of fields, 8 entries of 24 */
#define DW_EPDM_HDR_SIZE		0xe0u
#define DW_EPDM_MAX_CH			8

#define DW_EPDM_OFF_MAGIC		0x00
#define DW_EPDM_OFF_VER			0x04 /* version [15:0], hdr_size [31:16] */
#define DW_EPDM_OFF_TOTAL		0x08
#define DW_EPDM_OFF_CTRL_BAR		0x0c
#define DW_EPDM_OFF_CTRL_OFF		0x10
#define DW_EPDM_OFF_CTRL_SIZE		0x14
#define DW_EPDM_OFF_IRQS		0x18
#define DW_EPDM_OFF_NCH			0x1c
#define DW_EPDM_OFF_CH(i)		(0x20u + 24u * (i))
#define DW_EPDM_CH_DESC_BAR		0x00
#define DW_EPDM_CH_DESC_OFF		0x04
#define DW_EPDM_CH_DESC_SIZE		0x08
#define DW_EPDM_CH_PHYS_LO		0x10
#define DW_EPDM_CH_PHYS_HI		0x14

/* ---- vNTB control region with the DMA locator (hardware reference F.3) ---- */
#define DW_NTB_LINK_STATUS		0x08 /* 16-bit LINK_STATUS at 0x0a: bits [16] */
#define DW_NTB_LINK_UP			(1u << 16)
#define DW_NTB_CTRL_VERSION		0x0c
#define DW_NTB_CTRL_VERSION_V1		1
#define DW_NTB_DMA_ABI			0x154
#define DW_NTB_DMA_BAR			0x158
#define DW_NTB_DMA_OFFSET		0x15c
#define DW_NTB_DMA_SIZE			0x160
#define DW_NTB_DMA_NUM_CHANS		0x164
#define DW_NTB_DMA_ABI_V1		1
#define DW_NTB_CTRL_MIN_LEN		0x168

/* Discovery front end of a function. */
enum dw_edma_front {
	DW_FRONT_PEDM = 0,    /* pci-epf-dma metadata blob, HOST_REQ/READY */
	DW_FRONT_EPDM,        /* vNTB-exported EPDM v1 slice, no handshake */
};

/* Where the user said the slice is (devargs epdm_*). */
struct dw_edma_epdm_opts {
	bool on;              /* an epdm_* devarg was given: EPDM front end */
	bool has_bar, has_off, has_size, has_ntb;
	uint8_t bar;          /* epdm_bar */
	uint8_t ntb_bar;      /* epdm_ntb: BAR of the vNTB control region */
	uint32_t off;         /* epdm_offset */
	uint32_t size;        /* epdm_size */
};

/* The slice as validated at probe; the run-time re-check compares with it. */
struct dw_edma_epdm {
	bool from_ntb;        /* located through the vNTB control region */
	uint8_t ntb_bar;
	uint8_t bar;          /* slice BAR */
	uint32_t off;         /* slice offset in that BAR */
	uint32_t size;        /* total_size */
	uint32_t irq_count;
	uint32_t num_chans;
	uint32_t ctrl_bar;
	uint32_t ctrl_off;
	uint32_t ctrl_size;
};

#endif /* DW_EDMA_EPDM_H */
