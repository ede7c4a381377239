/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Register backend for HDMA native (map format 7): every register is per
 * channel, so a channel touches only its own block (hardware reference D, E.1).
 */

#include "dw_edma_internal.h"

/* status latches with LSIE/LAIE; the EP-local pins stay masked (hardware reference D.5) */
#define HDMA_INT_SETUP	(DW_HDMA_SETUP_STOP_MASK | DW_HDMA_SETUP_WM_MASK | \
			 DW_HDMA_SETUP_ABORT_MASK | DW_HDMA_SETUP_LSIE | \
			 DW_HDMA_SETUP_LAIE)
#define HDMA_INT_ALL	(DW_HDMA_INT_STOP | DW_HDMA_INT_WATERMARK | DW_HDMA_INT_ABORT)

static uint64_t
hdma_reg_need(bool rd, unsigned int hw_ch)
{
	return DW_HDMA_REG_MIN_SIZE(rd, hw_ch);
}

/*
 * IMWr completion: the watermark and ABORT IMWrs go to the channel's host
 * word (its IOMMU mapping is what completion relies on), the data non-zero;
 * STOP's address too, in case the remote STOP enable is ever set. Addresses
 * before the remote enables (hardware reference E.2).
 */
static void
hdma_imwr_setup(struct dw_edma_chan *ch)
{
	uint32_t lo = (uint32_t)ch->cpl_iova, hi = (uint32_t)(ch->cpl_iova >> 32);

	dw_ch_wr(ch, DW_HDMA_MSI_STOP_LO, lo);
	dw_ch_wr(ch, DW_HDMA_MSI_STOP_HI, hi);
	dw_ch_wr(ch, DW_HDMA_MSI_WM_LO, lo);
	dw_ch_wr(ch, DW_HDMA_MSI_WM_HI, hi);
	dw_ch_wr(ch, DW_HDMA_MSI_ABORT_LO, lo);
	dw_ch_wr(ch, DW_HDMA_MSI_ABORT_HI, hi);
	dw_ch_wr(ch, DW_HDMA_MSI_MSGDATA, 1);
}

static void
hdma_enable(struct dw_edma_chan *ch)
{
	uint32_t setup = HDMA_INT_SETUP;

	dw_ch_wr(ch, DW_HDMA_CH_EN, 1);
	if (ch->cpl == DW_CPL_IMWR) {
		/*
		 * The watermark IMWr (RWIE on each batch's last element) reports
		 * progress; RAIE adds one on an abort. No RSIE: a STOP IMWr after
		 * every batch would only repeat the watermark's news.
		 */
		hdma_imwr_setup(ch);
		setup |= DW_HDMA_SETUP_RAIE;
	}
	dw_ch_wr(ch, DW_HDMA_INT_SETUP, setup);
	dw_ch_wr(ch, DW_HDMA_FUNC_NUM, ch->fn->func_num);
	dw_ch_wr(ch, DW_HDMA_CONTROL1, DW_HDMA_CTL1_LLEN);
	dw_ch_wr(ch, DW_HDMA_LLP_LO, (uint32_t)ch->desc_addr);
	dw_ch_wr(ch, DW_HDMA_LLP_HI, (uint32_t)(ch->desc_addr >> 32));
	dw_ch_wr(ch, DW_HDMA_CYCLE_SYNC, DW_HDMA_CYCLE_STAT | DW_HDMA_CYCLE_BIT);
}

static void
hdma_quiesce(struct dw_edma_chan *ch)
{
	dw_ch_wr(ch, DW_HDMA_INT_SETUP, DW_HDMA_SETUP_STOP_MASK |
		DW_HDMA_SETUP_WM_MASK | DW_HDMA_SETUP_ABORT_MASK);
	dw_ch_wr(ch, DW_HDMA_CH_EN, 0);
	dw_ch_wr(ch, DW_HDMA_INT_CLEAR, HDMA_INT_ALL);
}

/* Stop this channel: doorbell STOP ([3P], hardware reference D.1); every register is ours. */
static void
hdma_stop(struct dw_edma_chan *ch)
{
	dw_ch_wr(ch, DW_HDMA_DOORBELL, DW_HDMA_DB_STOP);
}

static int
hdma_aborted(struct dw_edma_chan *ch)
{
	uint32_t st = dw_ch_rd(ch, DW_HDMA_INT_STAT);

	if (st == UINT32_MAX)
		return -1;
	return (st & DW_HDMA_INT_ABORT) != 0;
}

static uint32_t
hdma_llp_lo(struct dw_edma_chan *ch)
{
	return dw_ch_rd(ch, DW_HDMA_LLP_LO);
}

static enum dw_edma_hw_state
hdma_state(struct dw_edma_chan *ch)
{
	uint32_t v = dw_ch_rd(ch, DW_HDMA_CH_STAT);

	if (v == UINT32_MAX)
		return DW_HW_DEAD;
	switch (DW_HDMA_STAT_CS(v)) {
	case 1:
		return DW_HW_RUNNING;
	case 2:
		return DW_HW_HALTED;
	case 3:
		return DW_HW_STOPPED;
	default:
		return DW_HW_IDLE;
	}
}

static enum rte_dma_status_code
hdma_error(struct dw_edma_chan *ch)
{
	uint32_t st = dw_ch_rd(ch, DW_HDMA_INT_STAT);

	if (st == UINT32_MAX)
		return RTE_DMA_STATUS_DEV_LINK_ERROR;
	DW_LOG(DEBUG, "%s-%s%u: abort, int_stat 0x%08x", ch->fn->name,
		ch->rd ? "rd" : "wr", ch->hw_ch, st);
	dw_ch_wr(ch, DW_HDMA_INT_CLEAR, HDMA_INT_ALL);
	/* HDMA native publishes no error-cause registers */
	return RTE_DMA_STATUS_ERROR_UNKNOWN;
}

static void
hdma_dump(struct dw_edma_chan *ch, FILE *f)
{
	fprintf(f, "  regs: ch_en 0x%08x ch_stat 0x%08x llp 0x%08x%08x int_stat 0x%08x "
		"int_setup 0x%08x func_num 0x%x\n",
		dw_ch_rd(ch, DW_HDMA_CH_EN), dw_ch_rd(ch, DW_HDMA_CH_STAT),
		dw_ch_rd(ch, DW_HDMA_LLP_HI), dw_ch_rd(ch, DW_HDMA_LLP_LO),
		dw_ch_rd(ch, DW_HDMA_INT_STAT), dw_ch_rd(ch, DW_HDMA_INT_SETUP),
		dw_ch_rd(ch, DW_HDMA_FUNC_NUM));
}

const struct dw_edma_hw_ops dw_edma_hdma_ops = {
	.name = "HDMA native",
	.reg_need = hdma_reg_need,
	.enable = hdma_enable,
	.quiesce = hdma_quiesce,
	.llp_lo = hdma_llp_lo,
	.state = hdma_state,
	.aborted = hdma_aborted,
	.stop = hdma_stop,
	.error = hdma_error,
	.dump = hdma_dump,
};
