/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Register backend for the eDMA v0 register map: unroll (map format 1) and HDMA
 * compat (5). Per-direction registers are shared by all channels of a
 * direction, which the EP delegates whole (hardware reference E.1);
 * read-modify-writes of them take the function lock because each channel is its
 * own rte_dma device.
 */

#include <inttypes.h>

#include <rte_cycles.h>

#include "dw_edma_internal.h"

#define V0_ENGINE_OFF_POLL_US	100
#define V0_ENGINE_OFF_TIMEOUT_US 200000

static inline bool
is_compat(const struct dw_edma_chan *ch)
{
	return ch->fn->meta.map_format == DW_MF_HDMA_COMPAT;
}

static uint64_t
v0_reg_need(bool rd, unsigned int hw_ch)
{
	/* the channel blocks lie above every per-direction register */
	return DW_V0_REG_MIN_SIZE(rd, hw_ch);
}

static void
v0_rmw(struct dw_edma_chan *ch, uint32_t off, uint32_t set)
{
	uint32_t v = dw_reg_rd(ch, off);

	dw_reg_wr(ch, off, v | set);
}

static void
v0_enable(struct dw_edma_chan *ch)
{
	struct dw_edma_fn *fn = ch->fn;
	uint32_t bits = DW_V0_INT_DONE(ch->hw_ch) | DW_V0_INT_ABORT(ch->hw_ch);

	rte_spinlock_lock(&fn->lock);
	if (is_compat(ch))
		dw_reg_wr(ch, ch->rd ? DW_V0_RD_CH_PWR_EN(ch->hw_ch) :
			DW_V0_WR_CH_PWR_EN(ch->hw_ch), 1);
	else
		dw_reg_wr(ch, ch->rd ? DW_V0_RD_ENGINE_EN : DW_V0_WR_ENGINE_EN, 1);
	/* status must latch (LIE) but the EP-local interrupt stays masked */
	v0_rmw(ch, ch->rd ? DW_V0_RD_INT_MASK : DW_V0_WR_INT_MASK, bits);
	v0_rmw(ch, ch->rd ? DW_V0_RD_LL_ERR_EN : DW_V0_WR_LL_ERR_EN, 1u << ch->hw_ch);
	rte_spinlock_unlock(&fn->lock);

	dw_ch_wr(ch, DW_V0_CH_CONTROL1, DW_V0_CTL1_CCS | DW_V0_CTL1_LLE |
		DW_V0_CTL1_FUNC(fn->func_num));
	dw_ch_wr(ch, DW_V0_CH_LLP_LO, (uint32_t)ch->desc_addr);
	dw_ch_wr(ch, DW_V0_CH_LLP_HI, (uint32_t)(ch->desc_addr >> 32));
}

/* Is another started channel of this direction still using the engine? */
static bool
v0_dir_in_use(struct dw_edma_chan *ch)
{
	struct dw_edma_fn *fn = ch->fn;
	unsigned int i;

	for (i = 0; i < fn->nb_chans; i++) {
		struct dw_edma_chan *o = fn->chans[i];

		if (o != NULL && o != ch && o->rd == ch->rd && o->started)
			return true;
	}
	return false;
}

static void
v0_quiesce(struct dw_edma_chan *ch)
{
	struct dw_edma_fn *fn = ch->fn;
	uint32_t bits = DW_V0_INT_DONE(ch->hw_ch) | DW_V0_INT_ABORT(ch->hw_ch);
	uint32_t en = ch->rd ? DW_V0_RD_ENGINE_EN : DW_V0_WR_ENGINE_EN;
	unsigned int us;

	rte_spinlock_lock(&fn->lock);
	v0_rmw(ch, ch->rd ? DW_V0_RD_INT_MASK : DW_V0_WR_INT_MASK, bits);
	if (is_compat(ch)) {
		dw_reg_wr(ch, ch->rd ? DW_V0_RD_CH_PWR_EN(ch->hw_ch) :
			DW_V0_WR_CH_PWR_EN(ch->hw_ch), 0);
	} else if (!v0_dir_in_use(ch)) {
		/* the engine enable is per direction: off only when no sibling runs */
		dw_reg_wr(ch, en, 0);
		for (us = 0; us < V0_ENGINE_OFF_TIMEOUT_US; us += V0_ENGINE_OFF_POLL_US) {
			uint32_t v = dw_reg_rd(ch, en);

			if ((v & 1) == 0 || v == UINT32_MAX)
				break;
			rte_delay_us_block(V0_ENGINE_OFF_POLL_US);
		}
	}
	dw_reg_wr(ch, ch->rd ? DW_V0_RD_INT_CLEAR : DW_V0_WR_INT_CLEAR, bits);
	rte_spinlock_unlock(&fn->lock);
}

/*
 * Stop one channel without touching the per-direction engine enable that
 * siblings use: doorbell with the STOP bit (bit31 | ch). Only a third-party
 * driver documents the bit ([3P] in the hardware reference, C.2).
 */
static void
v0_stop(struct dw_edma_chan *ch)
{
	dw_reg_wr(ch, ch->rd ? DW_V0_RD_DOORBELL : DW_V0_WR_DOORBELL,
		DW_V0_DB_STOP | ch->hw_ch);
}

static int
v0_aborted(struct dw_edma_chan *ch)
{
	uint32_t st = dw_reg_rd(ch, ch->rd ? DW_V0_RD_INT_STATUS : DW_V0_WR_INT_STATUS);

	if (st == UINT32_MAX)
		return -1;
	return (st & DW_V0_INT_ABORT(ch->hw_ch)) != 0;
}

static uint32_t
v0_llp_lo(struct dw_edma_chan *ch)
{
	return dw_ch_rd(ch, DW_V0_CH_LLP_LO);
}

static enum dw_edma_hw_state
v0_state(struct dw_edma_chan *ch)
{
	uint32_t v = dw_ch_rd(ch, DW_V0_CH_CONTROL1);

	/* all-ones: link gone; LLE lost: the engine was reset under us */
	if (v == UINT32_MAX || (v & DW_V0_CTL1_LLE) == 0)
		return DW_HW_DEAD;
	switch (DW_V0_CTL1_CS(v)) {
	case DW_V0_CS_RUNNING:
		return DW_HW_RUNNING;
	case DW_V0_CS_HALTED:
		return DW_HW_HALTED;
	case DW_V0_CS_STOPPED:
		return DW_HW_STOPPED;
	default:
		return DW_HW_IDLE;
	}
}

static enum rte_dma_status_code
v0_error(struct dw_edma_chan *ch)
{
	unsigned int c = ch->hw_ch;
	enum rte_dma_status_code sc = RTE_DMA_STATUS_ERROR_UNKNOWN;
	uint32_t st, lo, hi = 0;

	st = dw_reg_rd(ch, ch->rd ? DW_V0_RD_INT_STATUS : DW_V0_WR_INT_STATUS);
	lo = dw_reg_rd(ch, ch->rd ? DW_V0_RD_ERR_STATUS_LO : DW_V0_WR_ERR_STATUS);
	if (ch->rd)
		hi = dw_reg_rd(ch, DW_V0_RD_ERR_STATUS_HI);
	if (st == UINT32_MAX || lo == UINT32_MAX || hi == UINT32_MAX)
		return RTE_DMA_STATUS_DEV_LINK_ERROR;

	/*
	 * The cause bits are hints: only trust them while this channel's own
	 * ABORT is latched (they may be stale from an earlier, handled abort).
	 */
	if (!(st & DW_V0_INT_ABORT(c)))
		DW_LOG(DEBUG, "%s-%s%u: no ABORT latched (int_status 0x%08x): cause unknown",
			ch->fn->name, ch->rd ? "rd" : "wr", c, st);
	else if (lo & DW_V0_ERR_LL_FETCH(c))
		sc = RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR;
	else if (hi & DW_V0_ERR_HI_POISON(c))
		sc = DW_EDMA_STATUS_POISON;
	else if (hi & DW_V0_ERR_HI_UR(c))
		sc = RTE_DMA_STATUS_INVALID_SRC_ADDR;
	else if (hi & (DW_V0_ERR_HI_CA(c) | DW_V0_ERR_HI_CTO(c)))
		sc = RTE_DMA_STATUS_BUS_READ_ERROR;
	else if (lo & DW_V0_ERR_APP(c))
		/* write channel reads EP memory, read channel writes it */
		sc = ch->rd ? RTE_DMA_STATUS_BUS_WRITE_ERROR : RTE_DMA_STATUS_BUS_READ_ERROR;
	DW_LOG(DEBUG, "%s-%s%u: abort, int_status 0x%08x err 0x%08x/0x%08x -> status %d",
		ch->fn->name, ch->rd ? "rd" : "wr", c, st, lo, hi, sc);
	/* clear only this channel's bits; never a needless zero write */
	dw_reg_wr(ch, ch->rd ? DW_V0_RD_INT_CLEAR : DW_V0_WR_INT_CLEAR,
		DW_V0_INT_DONE(c) | DW_V0_INT_ABORT(c));
	return sc;
}

static void
v0_dump(struct dw_edma_chan *ch, FILE *f)
{
	fprintf(f, "  regs: control1 0x%08x llp 0x%08x%08x int_status 0x%08x int_mask 0x%08x\n",
		dw_ch_rd(ch, DW_V0_CH_CONTROL1), dw_ch_rd(ch, DW_V0_CH_LLP_HI),
		dw_ch_rd(ch, DW_V0_CH_LLP_LO),
		dw_reg_rd(ch, ch->rd ? DW_V0_RD_INT_STATUS : DW_V0_WR_INT_STATUS),
		dw_reg_rd(ch, ch->rd ? DW_V0_RD_INT_MASK : DW_V0_WR_INT_MASK));
	fprintf(f, "  regs: err_status 0x%08x%s",
		dw_reg_rd(ch, ch->rd ? DW_V0_RD_ERR_STATUS_LO : DW_V0_WR_ERR_STATUS),
		ch->rd ? "" : "\n");
	if (ch->rd)
		fprintf(f, " / 0x%08x\n", dw_reg_rd(ch, DW_V0_RD_ERR_STATUS_HI));
}

const struct dw_edma_hw_ops dw_edma_v0_ops = {
	.name = "eDMA v0",
	.reg_need = v0_reg_need,
	.enable = v0_enable,
	.quiesce = v0_quiesce,
	.llp_lo = v0_llp_lo,
	.state = v0_state,
	.aborted = v0_aborted,
	.stop = v0_stop,
	.error = v0_error,
	.dump = v0_dump,
};
