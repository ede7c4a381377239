/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Link and READY events (spec B.4 link_down/link_up), used by the API and
 * by the scheduled fault-injection keys.
 */

#include <stdlib.h>
#include <string.h>

#include "ep_model_internal.h"

/*
 * Link down: READY is cleared (the endpoint's link_down handler), channels
 * stop, and every BAR reads all-ones until the link comes back.
 */
void
epm_link_down(struct rte_ep_model *m)
{
	unsigned int b, d, i;

	if (m->link_down)
		return;
	/* Writes made until now were made while READY was still as it was. */
	epm_regs_scan(m);
	epm_meta_update(m, EPM_CTRL_READY, 0);
	for (d = 0; d < 2; d++)
		for (i = 0; i < EPM_MAX_CH; i++)
			epm_ch_reset(&m->ch[d][i]);
	for (b = 0; b < RTE_EP_MODEL_NUM_BARS; b++) {
		struct epm_bar *bar = &m->bar[b];

		if (bar->len == 0)
			continue;
		if (bar->saved == NULL)
			bar->saved = malloc(bar->len);
		if (bar->saved != NULL)
			memcpy(bar->saved, bar->mem, bar->len);
		memset(bar->mem, 0xff, bar->len);
	}
	m->link_down = true;
	EPM_LOG(INFO, "%s: link down", m->name);
}

/*
 * Link up: the metadata BAR and the descriptor windows (endpoint memory)
 * come back, the DMA register block comes back reset, HOST_REQ is kept and
 * READY returns on the next handshake poll.
 */
void
epm_link_up(struct rte_ep_model *m)
{
	const uint32_t *saved_meta;
	unsigned int b;

	if (!m->link_down)
		return;
	for (b = 0; b < RTE_EP_MODEL_NUM_BARS; b++) {
		struct epm_bar *bar = &m->bar[b];

		if (bar->len != 0 && bar->saved != NULL)
			memcpy(bar->mem, bar->saved, bar->len);
	}
	epm_regs_reset(m);
	/*
	 * The shadow is the restored image, not a re-read of the BAR: a host
	 * write that lands from now on is then noticed by the next scan. READY
	 * is cleared atomically, as the host may be writing HOST_REQ meanwhile.
	 */
	saved_meta = m->bar[m->cfg.meta_bar].saved != NULL ?
		(const uint32_t *)m->bar[m->cfg.meta_bar].saved : NULL;
	if (saved_meta != NULL)
		memcpy(m->meta_shadow, saved_meta, m->meta_len);
	else
		memcpy(m->meta_shadow, m->meta, m->meta_len);
	if (m->meta_len >= EPM_META_CTRL + 4) {
		__atomic_fetch_and(&m->meta[EPM_META_CTRL / 4], ~EPM_CTRL_READY,
			__ATOMIC_SEQ_CST);
		m->meta_shadow[EPM_META_CTRL / 4] &= ~EPM_CTRL_READY;
	}
	m->ready_val = false;
	m->link_down = false;
	/* The endpoint's poll work looks again one period from now. */
	m->next_poll_ns = epm_now(m) + m->cfg.ready_poll_ms * 1000000ULL;
	EPM_LOG(INFO, "%s: link up", m->name);
}

void
epm_ready_drop(struct rte_ep_model *m)
{
	m->ready_hold = true;
	if (m->link_down)
		return;
	/* Writes made until now were made while READY was 1. */
	epm_regs_scan(m);
	epm_meta_update(m, EPM_CTRL_READY, 0);
}

void
epm_ready_restore(struct rte_ep_model *m)
{
	m->ready_hold = false;
	if (!m->link_down)
		epm_meta_scan(m);
	if (!m->link_down && m->meta_len >= EPM_META_CTRL + 4 &&
			(m->meta_shadow[EPM_META_CTRL / 4] & EPM_CTRL_HOST_REQ)) {
		/* Writes made during the hold were made while READY was 0. */
		epm_regs_scan(m);
		epm_meta_update(m, 0, EPM_CTRL_READY);
		m->ever_ready = true;
	}
}
