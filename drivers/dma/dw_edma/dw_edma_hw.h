/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_HW_H
#define DW_EDMA_HW_H

/*
 * Hardware definitions: the PEDM metadata blob (hardware reference A), the
 * DesignWare eDMA v0 registers (C), the HDMA native registers (D) and the
 * linked list element format. Offsets in bytes; every access is 32-bit.
 * "Hardware reference X.N" is section X.N of the project's interface
 * reference, doc/guides/dmadevs/dw_edma_hw.rst.
 */

/* ---- Metadata blob (hardware reference A) ---- */
#define DW_META_MAGIC			0x4d444550u /* "PEDM" */
#define DW_META_REV			1
#define DW_META_HDR_LEN			0x1cu
#define DW_META_CH_ENTRY_MIN		0x2cu
#define DW_META_MAX_CH			8

#define DW_META_OFF_MAGIC		0x00
#define DW_META_OFF_HDR			0x04
#define DW_META_OFF_CTRL		0x08
#define DW_META_OFF_REG_LO		0x0c
#define DW_META_OFF_REG_HI		0x10
#define DW_META_OFF_LAYOUT		0x14
#define DW_META_OFF_REG_SIZE		0x18
#define DW_META_OFF_TABLES		0x1c

#define DW_META_HDR_REV(w)		((w) & 0xffu)
#define DW_META_HDR_LEN_OF(w)		(((w) >> 16) & 0xffffu)

#define DW_META_CTRL_REG_BAR(w)		((w) & 0x7u)
#define DW_META_CTRL_WR(w)		(((w) >> 3) & 0xffu)
#define DW_META_CTRL_RD(w)		(((w) >> 11) & 0xffu)
#define DW_META_CTRL_ES(w)		(((w) >> 19) & 0xffu)
#define DW_META_CTRL_HOST_REQ		(1u << 30)
#define DW_META_CTRL_READY		(1u << 31)

#define DW_META_LAYOUT_ID(w)		((w) & 0xffu)
#define DW_META_LAYOUT_DATA(w)		(((w) >> 8) & 0xffu)
#define DW_META_LAYOUT_DW_EDMA		1

/* LAYOUT_DATA: DesignWare map formats */
#define DW_MF_EDMA_LEGACY		0x0
#define DW_MF_EDMA_UNROLL		0x1
#define DW_MF_HDMA_COMPAT		0x5
#define DW_MF_HDMA_NATIVE		0x7

/* Channel table entry */
#define DW_CH_OFF_CTRL			0x00
#define DW_CH_OFF_DESC_LO		0x04
#define DW_CH_OFF_DESC_HI		0x08
#define DW_CH_OFF_DESC_SIZE		0x0c
#define DW_CH_OFF_DADDR_LO		0x10
#define DW_CH_OFF_DADDR_HI		0x14
#define DW_CH_OFF_AUX_LO		0x18
#define DW_CH_OFF_AUX_HI		0x1c
#define DW_CH_OFF_AUX_SIZE		0x20
#define DW_CH_OFF_AADDR_LO		0x24
#define DW_CH_OFF_AADDR_HI		0x28

#define DW_CH_CTRL_HW_CH(w)		((w) & 0xffu)
#define DW_CH_CTRL_DESC_BAR(w)		(((w) >> 8) & 0x7u)
#define DW_CH_CTRL_AUX_BAR(w)		(((w) >> 12) & 0x7u)
#define DW_CH_CTRL_AUX_VALID		(1u << 16)

#define DW_NUM_BARS			6

/* ---- Linked-list elements (hardware reference C.4, C.5, D.2) ---- */
#define DW_LL_SLOT_SIZE			24u
/* Smallest descriptor window: data, write-back, one free slot, the link. */
#define DW_EDMA_MIN_DESC_SIZE		(4 * DW_LL_SLOT_SIZE)
#define DW_LL_OFF_CTRL			0x00
#define DW_LL_OFF_SIZE			0x04	/* stored with CTRL, 64-bit */
#define DW_LL_OFF_SAR_LO		0x08
#define DW_LL_OFF_SAR_HI		0x0c
#define DW_LL_OFF_DAR_LO		0x10
#define DW_LL_OFF_DAR_HI		0x14
/* link element: pointer at 0x08/0x0c */
#define DW_LL_OFF_PTR_LO		0x08
#define DW_LL_OFF_PTR_HI		0x0c

#define DW_LL_CB			(1u << 0)
#define DW_LL_TCB			(1u << 1)
#define DW_LL_LLP			(1u << 2)
#define DW_LL_LIE			(1u << 3) /* eDMA; HDMA: LWIE (watermark) */
#define DW_LL_RIE			(1u << 4) /* eDMA; HDMA: RWIE */

/* ---- eDMA v0 registers (hardware reference C), map formats 1 and 5 ---- */
#define DW_V0_CTRL			0x008
#define DW_V0_WR_ENGINE_EN		0x00c
#define DW_V0_WR_DOORBELL		0x010
#define DW_V0_RD_ENGINE_EN		0x02c
#define DW_V0_RD_DOORBELL		0x030
#define DW_V0_WR_INT_STATUS		0x04c
#define DW_V0_WR_INT_MASK		0x054
#define DW_V0_WR_INT_CLEAR		0x058
#define DW_V0_WR_ERR_STATUS		0x05c
#define DW_V0_WR_LL_ERR_EN		0x090
#define DW_V0_RD_INT_STATUS		0x0a0
#define DW_V0_RD_INT_MASK		0x0a8
#define DW_V0_RD_INT_CLEAR		0x0ac
#define DW_V0_RD_ERR_STATUS_LO		0x0b4
#define DW_V0_RD_ERR_STATUS_HI		0x0b8
#define DW_V0_RD_LL_ERR_EN		0x0c4
#define DW_V0_WR_CH_PWR_EN(n)		(0x128 + 4 * (n))
#define DW_V0_RD_CH_PWR_EN(n)		(0x168 + 4 * (n))

#define DW_V0_DB_STOP			(1u << 31) /* [3P] */
#define DW_V0_INT_DONE(ch)		(1u << (ch))
#define DW_V0_INT_ABORT(ch)		(1u << (16 + (ch)))
#define DW_V0_ERR_APP(ch)		(1u << (ch))       /* wr: app read, rd: app write */
#define DW_V0_ERR_LL_FETCH(ch)		(1u << (16 + (ch)))
#define DW_V0_ERR_HI_UR(ch)		(1u << (ch))
#define DW_V0_ERR_HI_CA(ch)		(1u << (8 + (ch)))
#define DW_V0_ERR_HI_CTO(ch)		(1u << (16 + (ch)))
#define DW_V0_ERR_HI_POISON(ch)		(1u << (24 + (ch)))

/* unrolled channel context blocks */
#define DW_V0_CH_BASE(rd, n)		(((rd) ? 0x300u : 0x200u) + 0x200u * (n))
#define DW_V0_CH_CONTROL1		0x00
#define DW_V0_CH_CONTROL2		0x04
#define DW_V0_CH_XFER_SIZE		0x08
#define DW_V0_CH_LLP_LO			0x1c
#define DW_V0_CH_LLP_HI			0x20
#define DW_V0_CH_BLOCK_LEN		0x24

/* ch_control1 */
#define DW_V0_CTL1_CB			(1u << 0)
#define DW_V0_CTL1_CS(w)		(((w) >> 5) & 0x3u)
#define DW_V0_CTL1_CCS			(1u << 8)
#define DW_V0_CTL1_LLE			(1u << 9)
#define DW_V0_CTL1_FUNC(f)		(((uint32_t)(f) & 0x1fu) << 12)
#define DW_V0_CS_RUNNING		1
#define DW_V0_CS_HALTED			2
#define DW_V0_CS_STOPPED		3

/* highest register offset + 4 the eDMA backend may touch */
#define DW_V0_REG_MIN_SIZE(rd, n)	(DW_V0_CH_BASE(rd, n) + DW_V0_CH_BLOCK_LEN)

/* ---- HDMA native registers (hardware reference D) ---- */
#define DW_HDMA_CH_BASE(rd, n)		(0x200u * (n) + ((rd) ? 0x100u : 0u))
#define DW_HDMA_CH_EN			0x00
#define DW_HDMA_DOORBELL		0x04
#define DW_HDMA_LLP_LO			0x10
#define DW_HDMA_LLP_HI			0x14
#define DW_HDMA_CYCLE_SYNC		0x18
#define DW_HDMA_CONTROL1		0x34
#define DW_HDMA_FUNC_NUM		0x38
#define DW_HDMA_CH_STAT			0x80
#define DW_HDMA_INT_STAT		0x84
#define DW_HDMA_INT_SETUP		0x88
#define DW_HDMA_INT_CLEAR		0x8c
#define DW_HDMA_MSI_STOP_LO		0x90
#define DW_HDMA_MSI_STOP_HI		0x94
#define DW_HDMA_MSI_WM_LO		0x98
#define DW_HDMA_MSI_WM_HI		0x9c
#define DW_HDMA_MSI_ABORT_LO		0xa0
#define DW_HDMA_MSI_ABORT_HI		0xa4
#define DW_HDMA_MSI_MSGDATA		0xa8
#define DW_HDMA_BLOCK_LEN		0xac

#define DW_HDMA_DB_START		(1u << 0)
#define DW_HDMA_DB_STOP			(1u << 1) /* [3P] */
#define DW_HDMA_CYCLE_BIT		(1u << 0)
#define DW_HDMA_CYCLE_STAT		(1u << 1)
#define DW_HDMA_CTL1_LLEN		(1u << 0)
#define DW_HDMA_STAT_CS(w)		((w) & 0x3u)
#define DW_HDMA_INT_STOP		(1u << 0)
#define DW_HDMA_INT_WATERMARK		(1u << 1)
#define DW_HDMA_INT_ABORT		(1u << 2)
#define DW_HDMA_SETUP_STOP_MASK		(1u << 0)
#define DW_HDMA_SETUP_WM_MASK		(1u << 1)
#define DW_HDMA_SETUP_ABORT_MASK	(1u << 2)
#define DW_HDMA_SETUP_RSIE		(1u << 3)
#define DW_HDMA_SETUP_LSIE		(1u << 4)
#define DW_HDMA_SETUP_RAIE		(1u << 5)
#define DW_HDMA_SETUP_LAIE		(1u << 6)

#define DW_HDMA_REG_MIN_SIZE(rd, n)	(DW_HDMA_CH_BASE(rd, n) + DW_HDMA_BLOCK_LEN)

#endif /* DW_EDMA_HW_H */
