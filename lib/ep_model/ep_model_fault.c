/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Link, READY and re-init events (hardware reference B.4 link_down/link_up,
 * epc_deinit then epc_init), used by the API and by the scheduled
 * fault-injection keys.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ep_model_internal.h"

/*
 * Link down: READY is cleared (the endpoint's link_down handler), channels
 * stop, and every BAR reads all-ones until the link comes back.
 */
void
epm_link_down(struct ep_model *m)
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
	for (b = 0; b < EP_MODEL_NUM_BARS; b++) {
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
epm_link_up(struct ep_model *m)
{
	const uint32_t *saved_meta;
	unsigned int b;

	if (!m->link_down)
		return;
	for (b = 0; b < EP_MODEL_NUM_BARS; b++) {
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
	/* an EPDM-only export has no blob */
	if (m->meta_len > 0)
		memcpy(m->meta_shadow, saved_meta != NULL ? saved_meta : m->meta,
			m->meta_len);
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
	if (m->reinit_pending)
		epm_reinit(m);
}

void
epm_ready_drop(struct ep_model *m)
{
	m->ready_hold = true;
	if (m->link_down)
		return;
	/* Writes made until now were made while READY was 1. */
	epm_regs_scan(m);
	epm_meta_update(m, EPM_CTRL_READY, 0);
}

void
epm_ready_restore(struct ep_model *m)
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

/*
 * Re-init: epc_deinit (quiesce the channels, clear H and R and the BARs)
 * then epc_init (header and metadata BAR written again, poll work
 * restarted). The host sees it as one step: the register window reset, the
 * blob as at creation with H=R=0, READY only once it asks again.
 */
void
epm_reinit(struct ep_model *m)
{
	uint32_t w, ctrl_w = EPM_META_CTRL / 4, n = m->meta_len / 4;
	unsigned int d, i;

	if (m->link_down) {
		/* Nothing of the function is reachable: do it when the link returns. */
		m->reinit_pending = true;
		return;
	}
	m->reinit_pending = false;
	/* Judge what the host wrote so far against the READY of its time. */
	epm_meta_scan(m);
	epm_regs_scan(m);
	/* Release quiesces: running channels stop before anything is cleared. */
	for (d = 0; d < 2; d++)
		for (i = 0; i < EPM_MAX_CH; i++)
			epm_ch_reset(&m->ch[d][i]);
	/* Every word but CTRL is the endpoint's alone: plain stores suffice. */
	for (w = 0; w < n; w++) {
		if (w == ctrl_w)
			continue;
		epm_st32(&m->meta[w], m->meta_img[w]);
		m->meta_shadow[w] = m->meta_img[w];
	}
	/* CTRL by compare-and-swap: a racing HOST_REQ write is judged, then lost. */
	if (n > ctrl_w)
		epm_meta_update(m, UINT32_MAX, m->meta_img[ctrl_w] &
			~(EPM_CTRL_HOST_REQ | EPM_CTRL_READY));
	m->ready_val = false;
	m->ready_hold = false;
	/* an EPDM slice header and locator are written again too */
	(void)epm_epdm_build(m); /* any image was loaded at creation */
	epm_regs_reset(m);
	m->next_poll_ns = epm_now(m) + m->cfg.ready_poll_ms * 1000000ULL;
	EPM_LOG(INFO, "%s: endpoint re-initialised (HOST_REQ and READY clear)", m->name);
}

int
ep_model_pause(struct ep_model *m, uint64_t us)
{
	uint64_t now;

	if (m == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	now = epm_now(m);
	m->pause_until_ns = us >= (EPM_CLOCK_MAX_NS - now) / 1000 ? EPM_CLOCK_MAX_NS :
		now + us * 1000;
	pthread_mutex_unlock(&m->lock);
	return 0;
}
