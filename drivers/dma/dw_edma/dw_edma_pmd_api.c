/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/* The rte_pmd_dw_edma_* API: channel identity and fast-path counters. */

#include <errno.h>

#include <rte_string_fns.h>

#include "dw_edma_internal.h"

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_pmd_dw_edma_chan_info_get, 26.11)
int
rte_pmd_dw_edma_chan_info_get(int16_t dev_id, struct rte_pmd_dw_edma_chan_info *info)
{
	struct dw_edma_chan *ch;

	if (info == NULL)
		return -EINVAL;
	ch = dw_edma_chan_of(dev_id);
	if (ch == NULL)
		return -ENODEV;
	memset(info, 0, sizeof(*info));
	rte_strscpy(info->function, ch->fn->name, sizeof(info->function));
	info->dir = ch->rd ? RTE_PMD_DW_EDMA_DIR_RD : RTE_PMD_DW_EDMA_DIR_WR;
	info->hw_ch = ch->hw_ch;
	info->map_format = ch->fn->meta.map_format;
	info->func_num = ch->fn->func_num;
	info->max_desc = ch->max_desc;
	info->ring_slots = ch->nb_slots;
	info->completion = (enum rte_pmd_dw_edma_completion)ch->cpl;
	info->m2m_base = ch->fn->opts.has_m2m ? ch->fn->opts.m2m_base : 0;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_pmd_dw_edma_counters_get, 26.11)
int
rte_pmd_dw_edma_counters_get(int16_t dev_id, struct rte_pmd_dw_edma_counters *counters)
{
	struct dw_edma_chan *ch;

	if (counters == NULL)
		return -EINVAL;
	ch = dw_edma_chan_of(dev_id);
	if (ch == NULL)
		return -ENODEV;
	*counters = ch->cnt;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_pmd_dw_edma_counters_reset, 26.11)
int
rte_pmd_dw_edma_counters_reset(int16_t dev_id)
{
	struct dw_edma_chan *ch = dw_edma_chan_of(dev_id);

	if (ch == NULL)
		return -ENODEV;
	memset(&ch->cnt, 0, sizeof(ch->cnt));
	return 0;
}
