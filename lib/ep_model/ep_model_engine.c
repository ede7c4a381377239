/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * The DMA engine: doorbells, linked-list walking with cycle bits (hardware
 * reference C.5, C.6, D.2), data movement through the endpoint's address decode
 * and the host IOMMU, progress and status reporting, aborts, the
 * missed-doorbell quirk (hardware reference C.8), optional timing, and the
 * engine thread.
 */

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_fbarray.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include "ep_model_internal.h"

/* Rounds of one element per running channel between two register scans. */
#define EPM_THREAD_ROUNDS 8
/* The thread scans the whole register window every this many passes. */
#define EPM_FULL_SCAN_EVERY 16
/* The thread spins this long without work before it starts to sleep. */
#define EPM_IDLE_SPIN_NS 200000ULL

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t
epm_now(const struct ep_model *m)
{
	if (m->cfg.thread)
		return mono_ns() - m->t0_ns;
	return m->clock_ns;
}

static bool
native(const struct ep_model *m)
{
	return epm_is_hdma_native(m);
}

static uint32_t
cs_of(const struct epm_chan *c)
{
	switch (c->state) {
	case EPM_CH_RUNNING:
		return EPM_CS_RUNNING;
	case EPM_CH_STOPPED:
		return EPM_CS_STOPPED;
	case EPM_CH_HALTED:
		return EPM_CS_HALTED;
	default:
		return EPM_CS_IDLE;
	}
}

/* Publish CS (and on eDMA the engine's CCS) in the channel's registers. */
static void
publish_state(struct ep_model *m, struct epm_chan *c, bool with_ccs)
{
	if (native(m)) {
		if (with_ccs)
			c->hdma_ccs = c->ccs;
		epm_reg_update(m, c->blk + HDMA_CH_STAT, 3, cs_of(c));
		return;
	}
	epm_reg_update(m, c->blk + EDMA_CH_CTL1,
		EDMA_CTL1_CS_MASK | (with_ccs ? EDMA_CTL1_CCS : 0),
		(cs_of(c) << EDMA_CTL1_CS_SHIFT) |
		(with_ccs && c->ccs ? EDMA_CTL1_CCS : 0));
}

void
epm_ch_set_cs(struct ep_model *m, struct epm_chan *c)
{
	publish_state(m, c, false);
}

static void
publish_llp_at(struct ep_model *m, struct epm_chan *c, uint64_t pos)
{
	uint32_t lo = native(m) ? HDMA_LLP_LO : EDMA_CH_LLP_LO;
	uint32_t hi = native(m) ? HDMA_LLP_HI : EDMA_CH_LLP_HI;

	/* High word first: readers use the low word as the progress index. */
	epm_reg_update(m, c->blk + hi, UINT32_MAX, (uint32_t)(pos >> 32));
	epm_reg_update(m, c->blk + lo, UINT32_MAX, (uint32_t)pos);
}

/* The true position; llp_lag's trailing one starts over from here. */
static void
publish_llp(struct ep_model *m, struct epm_chan *c)
{
	c->lie_prev = 0;
	publish_llp_at(m, c, c->cur);
}

static uint32_t
status_off(int dir)
{
	return dir == EP_MODEL_DIR_WR ? EDMA_WR_INT_STATUS : EDMA_RD_INT_STATUS;
}

void
epm_ch_clear_cause(struct ep_model *m, struct epm_chan *c)
{
	uint32_t b = 1u << c->idx;

	if (native(m))
		return;
	if (c->dir == EP_MODEL_DIR_WR) {
		epm_reg_update(m, EDMA_WR_ERR_STATUS, b | (b << 16), 0);
	} else {
		epm_reg_update(m, EDMA_RD_ERR_STATUS_LO, b | (b << 16), 0);
		epm_reg_update(m, EDMA_RD_ERR_STATUS_HI,
			b | (b << 8) | (b << 16) | (b << 24), 0);
	}
}

void
epm_ch_reset(struct epm_chan *c)
{
	c->state = EPM_CH_IDLE;
	c->cur = 0;
	c->ccs = false;
	c->hdma_ccs = false;
	c->have_pf = false;
	c->pending_db = false;
	c->due_valid = false;
	c->lie_prev = 0;
}

static void
latch_cause(struct ep_model *m, struct epm_chan *c, enum epm_cause cause)
{
	uint32_t b = 1u << c->idx;
	bool wr = c->dir == EP_MODEL_DIR_WR;

	if (native(m))
		return;	/* HDMA native has no error cause registers */
	switch (cause) {
	case EPM_CAUSE_LL_FETCH:
		epm_reg_update(m, wr ? EDMA_WR_ERR_STATUS : EDMA_RD_ERR_STATUS_LO, 0,
			b << 16);
		break;
	case EPM_CAUSE_EP_DECODE:
		/* WR: app-read error; RD: app-write error. */
		epm_reg_update(m, wr ? EDMA_WR_ERR_STATUS : EDMA_RD_ERR_STATUS_LO, 0, b);
		break;
	case EPM_CAUSE_HOST_FAULT:
		/* A read gets an Unsupported Request completion; a posted write none. */
		if (!wr)
			epm_reg_update(m, EDMA_RD_ERR_STATUS_HI, 0, b);
		break;
	case EPM_CAUSE_INJECTED:
		if (!wr)
			epm_reg_update(m, EDMA_RD_ERR_STATUS_HI, 0, b << 8);
		break;
	default:
		break;
	}
}

/*
 * Before latching a status bit, apply an int_clear the host wrote earlier
 * but the model has not seen yet: consumed later it would erase the new bit.
 */
static void
consume_int_clear(struct ep_model *m, const struct epm_chan *c)
{
	if (native(m))
		epm_reg_consume(m, c->blk + HDMA_INT_CLEAR);
	else
		epm_reg_consume(m, c->dir == EP_MODEL_DIR_WR ? EDMA_WR_INT_CLEAR :
			EDMA_RD_INT_CLEAR);
}

static enum epm_cause resolve_host(struct ep_model *m, const struct epm_chan *c,
		uint64_t iova, uint64_t len, uint8_t **p);

/*
 * Interrupt memory write (IMWr): a posted 32-bit write of data to the host
 * address in the register pair at addr_off of the channel's or direction's
 * block (hardware reference C.1 done/abort_imwr, D.1 msi_*), through the same
 * IOMMU and requester-function checks as the channel's data. An address the
 * host does not map is dropped, as the host IOMMU drops it.
 */
static void
imwr_send(struct ep_model *m, const struct epm_chan *c, uint32_t addr_off, uint32_t data)
{
	uint64_t addr = epm_reg_live(m, addr_off) |
		((uint64_t)epm_reg_live(m, addr_off + 4) << 32);
	uint8_t *p = NULL;

	m->stats.imwr++;
	if (resolve_host(m, c, addr, sizeof(data), &p) != EPM_CAUSE_NONE) {
		m->stats.imwr_faults++;
		EPM_LOG(NOTICE, "%s: %s%u IMWr to 0x%" PRIx64 " dropped: not mapped for the "
			"function", m->name, c->dir == 0 ? "wr" : "rd", c->idx, addr);
		return;
	}
	memcpy(p, &data, sizeof(data));
}

/* HDMA: the channel's IMWr for one event, when its remote enable asks for it. */
static void
hdma_imwr(struct ep_model *m, const struct epm_chan *c, uint32_t addr_off)
{
	imwr_send(m, c, c->blk + addr_off, epm_reg_live(m, c->blk + HDMA_MSI_MSGDATA));
}

/* eDMA v0: DONE IMWr to the direction's address, the channel's 16-bit data. */
static void
edma_done_imwr(struct ep_model *m, const struct epm_chan *c)
{
	bool wr = c->dir == EP_MODEL_DIR_WR;
	uint32_t d = epm_reg_live(m, wr ? EDMA_WR_IMWR_DATA(c->idx) : EDMA_RD_IMWR_DATA(c->idx));

	imwr_send(m, c, wr ? EDMA_WR_DONE_IMWR_LO : EDMA_RD_DONE_IMWR_LO,
		(d >> (16 * (c->idx & 1))) & 0xffff);
}

static void
ch_halt(struct ep_model *m, struct epm_chan *c, enum epm_cause cause)
{
	consume_int_clear(m, c);
	c->state = EPM_CH_HALTED;
	c->have_pf = false;
	c->pending_db = false;
	c->due_valid = false;
	latch_cause(m, c, cause);
	publish_llp(m, c);
	if (native(m))
		epm_reg_update(m, c->blk + HDMA_INT_STAT, 0, HDMA_INT_ABORT);
	else
		epm_reg_update(m, status_off(c->dir), 0, EDMA_INT_ABORT(c->idx));
	publish_state(m, c, true);
	if (native(m) && (epm_reg_live(m, c->blk + HDMA_INT_SETUP) & HDMA_SETUP_RAIE))
		hdma_imwr(m, c, HDMA_MSI_ABORT_LO);
	m->stats.aborts++;
	EPM_LOG(DEBUG, "%s: %s%u aborted at 0x%" PRIx64 " (cause %d)", m->name,
		c->dir == 0 ? "wr" : "rd", c->idx, c->cur, (int)cause);
}

static void
ch_stop(struct ep_model *m, struct epm_chan *c)
{
	consume_int_clear(m, c);
	c->state = EPM_CH_STOPPED;
	c->have_pf = false;
	c->pending_db = false;
	c->due_valid = false;
	publish_llp(m, c);
	if (native(m))
		epm_reg_update(m, c->blk + HDMA_INT_STAT, 0, HDMA_INT_STOP);
	publish_state(m, c, true);
	if (native(m) && (epm_reg_live(m, c->blk + HDMA_INT_SETUP) & HDMA_SETUP_RSIE))
		hdma_imwr(m, c, HDMA_MSI_STOP_LO);
}

/* An element with an interrupt flag completed: report progress there. */
static void
irq_point(struct ep_model *m, struct epm_chan *c, uint32_t ctl)
{
	consume_int_clear(m, c);
	if (m->cfg.llp_lag) {
		/*
		 * llp_lag: LLP shows the previous LIE point until this one's
		 * writes have long landed, as silicon that does not order its
		 * LLP update with an element's posted writes may.
		 */
		if (c->lie_prev != 0)
			publish_llp_at(m, c, c->lie_prev);
		c->lie_prev = c->cur;
	} else {
		publish_llp(m, c);
	}
	publish_state(m, c, true);
	if (native(m))
		epm_reg_update(m, c->blk + HDMA_INT_STAT, 0, HDMA_INT_WATERMARK);
	else if (ctl & EPM_LL_LIE)
		epm_reg_update(m, status_off(c->dir), 0, EDMA_INT_DONE(c->idx));
	/* RIE (HDMA: RWIE) asks for the remote interrupt: an IMWr */
	if (ctl & EPM_LL_RIE) {
		if (native(m))
			hdma_imwr(m, c, HDMA_MSI_WM_LO);
		else
			edma_done_imwr(m, c);
	}
}

/*
 * Is the channel enabled and in linked-list mode? State-based: the words are
 * taken as they are in memory now, at a doorbell and before every step, so
 * that a host clearing an enable stops a running channel (quiesce, C.8/D.3).
 */
bool
epm_ch_enabled(const struct ep_model *m, const struct epm_chan *c)
{
	uint32_t en;

	if (native(m))
		return (epm_reg_live(m, c->blk + HDMA_CH_EN) & 1) &&
			(epm_reg_live(m, c->blk + HDMA_CONTROL1) & 1);
	en = m->cfg.layout == EP_MODEL_MF_HDMA_COMPAT ?
		(c->dir == 0 ? EDMA_WR_PWR_EN(c->idx) : EDMA_RD_PWR_EN(c->idx)) :
		(c->dir == 0 ? EDMA_WR_ENGINE_EN : EDMA_RD_ENGINE_EN);
	return (epm_reg_live(m, en) & 1) &&
		(epm_reg_live(m, c->blk + EDMA_CH_CTL1) & EDMA_CTL1_LLE);
}

static bool
abort_latched(const struct ep_model *m, const struct epm_chan *c)
{
	if (native(m))
		return (epm_reg_live(m, c->blk + HDMA_INT_STAT) & HDMA_INT_ABORT) != 0;
	return (epm_reg_live(m, status_off(c->dir)) & EDMA_INT_ABORT(c->idx)) != 0;
}

void
epm_ch_doorbell(struct ep_model *m, struct epm_chan *c, bool stop)
{
	if (stop) {
		if (c->state == EPM_CH_RUNNING) {
			m->stats.doorbells++;
			ch_halt(m, c, EPM_CAUSE_STOP);
		}
		return;
	}
	if (!epm_ch_enabled(m, c)) {
		m->stats.doorbells_ignored++;
		return;
	}
	/*
	 * The reference does not say whether a doorbell restarts a channel
	 * whose abort the host has not cleared. The conservative model: it
	 * does not, the doorbell is dropped (counted as ignored); the host
	 * clears ABORT, sees it clear, then rings (dw-edma restarts only from
	 * a clean status). The scan cannot order an int_clear it has not
	 * consumed against this doorbell, so a clear seen together with it
	 * does not count: a doorbell rung before the host learnt of the abort
	 * would otherwise restart stale elements in the middle of its
	 * recovery.
	 */
	if (c->state == EPM_CH_HALTED && abort_latched(m, c)) {
		m->stats.doorbells_ignored++;
		return;
	}
	/*
	 * Posted writes arrive in order: a DONE clear the host wrote before
	 * this doorbell is applied before the channel can run again, so it
	 * cannot erase the new run's status.
	 */
	consume_int_clear(m, c);
	if (c->state == EPM_CH_RUNNING) {
		if (m->cfg.missed_doorbell) {
			m->stats.doorbells_lost++;
		} else {
			m->stats.doorbells++;
			c->pending_db = true;
		}
		return;
	}
	if (native(m)) {
		/* A cycle_sync write not yet seen by the scan is applied first. */
		epm_reg_consume(m, c->blk + HDMA_CYCLE_SYNC);
		c->cur = epm_reg_live(m, c->blk + HDMA_LLP_LO) |
			((uint64_t)epm_reg_live(m, c->blk + HDMA_LLP_HI) << 32);
		c->ccs = c->hdma_ccs;
	} else {
		c->cur = epm_reg_live(m, c->blk + EDMA_CH_LLP_LO) |
			((uint64_t)epm_reg_live(m, c->blk + EDMA_CH_LLP_HI) << 32);
		c->ccs = (epm_reg_live(m, c->blk + EDMA_CH_CTL1) & EDMA_CTL1_CCS) != 0;
	}
	c->state = EPM_CH_RUNNING;
	c->have_pf = false;
	c->pending_db = false;
	c->due_valid = false;
	c->prev_done_ns = epm_now(m);
	m->stats.doorbells++;
	publish_state(m, c, false);
}

/* Host pointer of endpoint-local LL memory [addr, +len), NULL if none. */
static uint8_t *
desc_ptr(const struct ep_model *m, uint64_t addr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < m->ndesc; i++) {
		const struct epm_desc *d = &m->desc[i];

		if (addr >= d->addr && len <= d->size && addr - d->addr <= d->size - len)
			return d->host + (addr - d->addr);
	}
	return NULL;
}

/*
 * Is host IOVA [iova, +len) inside DPDK-registered memory? The memseg list
 * of the last hit is cached (lists never move; whether a page is in use is
 * still checked every time).
 */
static void *
iommu_resolve(struct ep_model *m, uint64_t iova, uint64_t len)
{
	uintptr_t va, end, a;
	bool ok = true;

	if (len == 0 || iova + len < iova)
		return NULL;
	if (m->env.host_resolve != NULL)
		return m->env.host_resolve(m->env.host_ctx, iova, len);
	if (rte_eal_iova_mode() != RTE_IOVA_VA) {
		uint8_t *p = rte_mem_iova2virt(iova);
		uint8_t *q = rte_mem_iova2virt(iova + len - 1);

		return (p != NULL && q == p + len - 1) ? p : NULL;
	}
	va = (uintptr_t)iova;
	end = va + len;
	rte_mcfg_mem_read_lock();
	for (a = va; a < end && ok; ) {
		struct rte_memseg_list *msl = m->msl_cache;
		uintptr_t base;

		if (msl == NULL || a < (uintptr_t)msl->base_va ||
				a - (uintptr_t)msl->base_va >= msl->len) {
			msl = rte_mem_virt2memseg_list((void *)a);
			m->msl_cache = msl;
		}
		unsigned int idx;

		if (msl == NULL || msl->page_sz == 0) {
			ok = false;
			break;
		}
		base = (uintptr_t)msl->base_va;
		idx = (unsigned int)((a - base) / msl->page_sz);
		if (!rte_fbarray_is_used(&msl->memseg_arr, idx))
			ok = false;
		a = base + ((uintptr_t)idx + 1) * msl->page_sz;
	}
	rte_mcfg_mem_read_unlock();
	return ok ? (void *)va : NULL;
}

static unsigned int
chan_func(const struct ep_model *m, const struct epm_chan *c)
{
	uint32_t v;

	if (native(m)) {
		v = epm_reg_live(m, c->blk + HDMA_FUNC_NUM);
		/* VF requests (bit 16) are rejected: VFs are unsupported (E.3). */
		return (v & HDMA_FUNC_VF_EN) ? UINT_MAX : (v & 0xff);
	}
	return EDMA_CTL1_FUNC(epm_reg_live(m, c->blk + EDMA_CH_CTL1));
}

static enum epm_cause
resolve_host(struct ep_model *m, const struct epm_chan *c,
		uint64_t iova, uint64_t len, uint8_t **p)
{
	if (len == 0)
		return EPM_CAUSE_NONE;
	/* The IOMMU rejects requests attributed to another function. */
	if (chan_func(m, c) != m->cfg.func)
		return EPM_CAUSE_HOST_FAULT;
	*p = iommu_resolve(m, iova, len);
	return *p == NULL ? EPM_CAUSE_HOST_FAULT : EPM_CAUSE_NONE;
}

static enum epm_cause
resolve_ep(struct ep_model *m, uint64_t addr, uint64_t len, uint8_t **p)
{
	const struct epm_cfg *cf = &m->cfg;

	if (len == 0)
		return EPM_CAUSE_NONE;
	if (addr + len < addr)
		return EPM_CAUSE_EP_DECODE;
	if (addr >= cf->ep_mem_base && len <= cf->ep_mem_size &&
			addr - cf->ep_mem_base <= cf->ep_mem_size - len) {
		*p = m->ep_mem + (addr - cf->ep_mem_base);
		return EPM_CAUSE_NONE;
	}
	*p = desc_ptr(m, addr, len);
	if (*p != NULL)
		return EPM_CAUSE_NONE;
	if (cf->outbound_size != 0 && addr >= cf->outbound &&
			len <= cf->outbound_size &&
			addr - cf->outbound <= cf->outbound_size - len) {
		/* Outbound iATU window: forwarded to host IOVA addr - base. */
		*p = iommu_resolve(m, addr - cf->outbound, len);
		if (*p != NULL)
			return EPM_CAUSE_NONE;
	}
	return EPM_CAUSE_EP_DECODE;
}

static enum epm_cause
do_transfer(struct ep_model *m, struct epm_chan *c, uint32_t size,
		uint64_t sar, uint64_t dar, uint8_t **dst_out)
{
	uint8_t *src = NULL, *dst = NULL;
	enum epm_cause e;

	if (c->dir == EP_MODEL_DIR_WR) {
		e = resolve_ep(m, sar, size, &src);
		if (e == EPM_CAUSE_NONE)
			e = resolve_host(m, c, dar, size, &dst);
	} else {
		e = resolve_host(m, c, sar, size, &src);
		if (e == EPM_CAUSE_NONE)
			e = resolve_ep(m, dar, size, &dst);
	}
	if (e != EPM_CAUSE_NONE)
		return e;
	if (size != 0)
		memmove(dst, src, size);
	*dst_out = dst;
	return EPM_CAUSE_NONE;
}

/*
 * Timing model: when does the element at c->cur complete? An element the
 * engine prefetched, valid, when the previous one completed (queued) starts
 * right then, as silicon runs queued elements back to back; the time the
 * model's thread took to get to it is not the device's. Any other starts
 * when the thread first sees it.
 */
static bool
element_due(struct ep_model *m, struct epm_chan *c, uint32_t size, uint64_t now,
		bool queued)
{
	uint64_t start, xfer = 0;

	if (m->cfg.element_ns == 0 && m->cfg.bandwidth == 0)
		return true;
	if (!c->due_valid || c->due_addr != c->cur) {
		start = queued ? c->prev_done_ns : RTE_MAX(now, c->prev_done_ns);
		if (m->cfg.bandwidth != 0) {
			/* All channels share the link's bandwidth. */
			xfer = (uint64_t)size * 1000000000ULL / m->cfg.bandwidth;
			start = RTE_MAX(start, m->link_free_ns);
			m->link_free_ns = start + xfer;
		}
		c->due_ns = start + xfer + m->cfg.element_ns;
		c->due_addr = c->cur;
		c->due_valid = true;
	}
	if (now < c->due_ns)
		return false;
	c->prev_done_ns = c->due_ns;
	c->due_valid = false;
	return true;
}

/*
 * Fetch the element at addr as the hardware does, whole: the control word
 * first (acquire), then the other fields. The engine then runs from this
 * snapshot, so a host that writes the control word before the rest is
 * exposed. Returns the bytes fetched (a link element needs only 16, at the
 * very end of a window), 0 on an LL fetch error (unaligned or outside every
 * descriptor window).
 */
static unsigned int
fetch_el(const struct ep_model *m, uint64_t addr, uint32_t w[])
{
	const uint8_t *el;
	unsigned int n = EPM_LL_SLOT, i;

	if (addr % EPM_LL_ALIGN != 0)
		return 0;
	el = desc_ptr(m, addr, n);
	if (el == NULL) {
		n = 16;
		el = desc_ptr(m, addr, n);
		if (el == NULL)
			return 0;
	}
	w[0] = epm_ld32_acq(el);
	for (i = 1; i < n / 4; i++)
		w[i] = epm_ld32(el + 4 * i);
	for (; i < EPM_LL_SLOT / 4; i++)
		w[i] = 0;
	return n;
}

/*
 * One step of a running channel: follow at most one link element, then
 * process at most one data element. Returns 1 when something happened.
 */
static int
ch_step(struct ep_model *m, struct epm_chan *c, uint64_t now)
{
	unsigned int links = 0, n;
	uint32_t w[EPM_LL_SLOT / 4];
	uint8_t *dst = NULL;
	uint32_t ctl, size;
	uint64_t sar, dar;
	enum epm_cause e;
	bool cb, tcb, queued;

	if (!epm_ch_enabled(m, c)) {
		/* The host cleared an enable: the channel stops where it is. */
		ch_stop(m, c);
		return 1;
	}
	for (;;) {
		queued = c->have_pf;
		if (c->have_pf) {
			memcpy(w, c->pf_el, sizeof(w));	/* fetched ahead, maybe stale */
			n = c->pf_len;
			c->have_pf = false;
		} else {
			n = fetch_el(m, c->cur, w);
		}
		if (n == 0) {
			ch_halt(m, c, EPM_CAUSE_LL_FETCH);
			return 1;
		}
		ctl = w[0];
		cb = (ctl & EPM_LL_CB) != 0;
		tcb = (ctl & EPM_LL_TCB) != 0;
		if (ctl & EPM_LL_LLP) {
			/*
			 * With TCB follow only the CB Linux writes (the inverse of
			 * CCS) and toggle CCS; without TCB the link is consumed like
			 * a data element (CB equals CCS) and CCS stays.
			 */
			if (tcb ? cb != c->ccs : cb == c->ccs) {
				if (links++ > 0)
					return 1;
				c->cur = w[2] | ((uint64_t)w[3] << 32);
				if (tcb)
					c->ccs = !c->ccs;
				continue;
			}
		} else if (cb == c->ccs) {
			break;	/* a data element that is ours */
		}
		if (c->pending_db) {
			/* missed_doorbell=0: a doorbell came meanwhile, look again. */
			c->pending_db = false;
			continue;
		}
		ch_stop(m, c);
		return 1;
	}
	if (n < EPM_LL_SLOT) {
		ch_halt(m, c, EPM_CAUSE_LL_FETCH);
		return 1;
	}
	size = w[1];
	sar = w[2] | ((uint64_t)w[3] << 32);
	dar = w[4] | ((uint64_t)w[5] << 32);
	if (!element_due(m, c, size, now, queued)) {
		/* Already fetched: complete this snapshot later. */
		memcpy(c->pf_el, w, sizeof(w));
		c->pf_len = n;
		c->have_pf = true;
		return 0;
	}
	if (c->abort_left >= 0 && c->abort_left-- == 0) {
		ch_halt(m, c, EPM_CAUSE_INJECTED);
		return 1;
	}
	e = do_transfer(m, c, size, sar, dar, &dst);
	if (e != EPM_CAUSE_NONE) {
		ch_halt(m, c, e);
		return 1;
	}
	if (c->corrupt_left >= 0 && c->corrupt_left-- == 0 && size != 0)
		dst[size / 2] ^= 0xff;
	m->stats.elements++;
	m->stats.bytes += size;
	c->cur += EPM_LL_SLOT;
	if (ctl & (EPM_LL_LIE | EPM_LL_RIE))
		irq_point(m, c, ctl);
	/* Fetch the next element now, whole, as the hardware prefetches it. */
	n = fetch_el(m, c->cur, c->pf_el);
	c->pf_len = n;
	c->have_pf = n != 0;
	return 1;
}

void
epm_timed(struct ep_model *m, uint64_t now)
{
	if (m->ev_link_down <= now) {
		m->ev_link_down = EPM_NONE;
		epm_link_down(m);
	}
	if (m->ev_link_up <= now) {
		m->ev_link_up = EPM_NONE;
		epm_link_up(m);
	}
	if (m->ev_ready_drop <= now) {
		m->ev_ready_drop = EPM_NONE;
		epm_ready_drop(m);
	}
	if (m->ev_ready_restore <= now) {
		m->ev_ready_restore = EPM_NONE;
		epm_ready_restore(m);
	}
	if (m->ev_reinit <= now) {
		m->ev_reinit = EPM_NONE;
		epm_reinit(m);
	}
	if (m->link_down)
		return;
	epm_meta_scan(m);
	epm_epdm_scan(m);
	epm_handshake_tick(m, now);
}

/* Scan every register word; ep_model_sync() waits for one of these. */
void
epm_full_scan(struct ep_model *m)
{
	epm_regs_scan(m);
	epm_meta_scan(m);
	m->full_scans++;
	pthread_cond_broadcast(&m->scanned);
}

int
epm_pass(struct ep_model *m, unsigned int rounds)
{
	uint64_t now = epm_now(m);
	unsigned int r, d, i;
	int n = 0, k;

	epm_timed(m, now);
	/*
	 * Paused (ep_model_pause): as a descheduled engine, notice nothing, not
	 * even doorbells; scheduled events and the endpoint's handshake work
	 * (its own CPU, epm_timed above) go on.
	 */
	if (now < m->pause_until_ns || m->link_down)
		return 0;
	/* poll() (one round) always scans everything: tests are exact. */
	if (rounds == 1 || m->idle_pass || ++m->passes % EPM_FULL_SCAN_EVERY == 0)
		epm_full_scan(m);
	else
		epm_regs_scan_hot(m);
	for (r = 0; r < rounds; r++) {
		k = 0;
		for (i = 0; i < EPM_MAX_CH; i++)
			for (d = 0; d < 2; d++) {
				struct epm_chan *c = &m->ch[d][i];

				if (c->active && c->state == EPM_CH_RUNNING)
					k += ch_step(m, c, now);
			}
		n += k;
		if (k == 0)
			break;
		/*
		 * eDMA doorbells are shared per direction: look at the hot words
		 * between rounds to narrow the window in which two writes merge.
		 */
		if (r + 1 < rounds)
			epm_regs_scan_hot(m);
	}
	m->idle_pass = n == 0;
	return n;
}

static void *
engine_main(void *arg)
{
	struct ep_model *m = arg;
	uint64_t last_busy = mono_ns();

	/* Fine-grained idle sleeps: the default timer slack is 50 us. */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	while (!__atomic_load_n(&m->thread_stop, __ATOMIC_ACQUIRE)) {
		uint64_t hw;
		int n;

		pthread_mutex_lock(&m->lock);
		hw = m->stats.host_writes;
		n = epm_pass(m, EPM_THREAD_ROUNDS);
		if (n > 0 || hw != m->stats.host_writes)
			last_busy = mono_ns();
		pthread_mutex_unlock(&m->lock);
		if (n > 0)
			continue;
		if (m->cfg.idle_sleep_us != 0 && mono_ns() - last_busy > EPM_IDLE_SPIN_NS) {
			struct timespec ts = {
				.tv_sec = m->cfg.idle_sleep_us / 1000000,
				.tv_nsec = (m->cfg.idle_sleep_us % 1000000) * 1000,
			};

			nanosleep(&ts, NULL);
		} else {
			sched_yield();
		}
	}
	return NULL;
}

/*
 * A thread inherits the creator's affinity, which on an EAL thread is one
 * lcore: the engine would then share that core with the host's polling
 * loop. Like DPDK's control threads, prefer the CPUs no lcore uses, else
 * any CPU.
 */
static void
engine_default_affinity(struct ep_model *m)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set, all;
	unsigned int lc;
	long i;

	/*
	 * Without rte_eal_init() (a process that links DPDK only for its
	 * libraries) there is no lcore to avoid, and the unset lcore table
	 * would read as every lcore on CPU 0: keep the inherited affinity.
	 */
	if (ncpu <= 0 || rte_lcore_count() == 0)
		return;
	CPU_ZERO(&all);
	for (i = 0; i < ncpu && i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	set = all;
	RTE_LCORE_FOREACH(lc) {
		unsigned int cpu = rte_lcore_to_cpu_id(lc);

		if (cpu < CPU_SETSIZE)
			CPU_CLR(cpu, &set);
	}
	if (CPU_COUNT(&set) == 0)
		set = all;
	if (pthread_setaffinity_np(m->tid, sizeof(set), &set) != 0)
		EPM_LOG(DEBUG, "%s: engine thread keeps its inherited affinity", m->name);
}

int
epm_thread_start(struct ep_model *m)
{
	int rc;

	m->thread_stop = false;
	rc = pthread_create(&m->tid, NULL, engine_main, m);
	if (rc != 0) {
		EPM_LOG(ERR, "%s: cannot create the engine thread: %s", m->name,
			strerror(rc));
		return -rc;
	}
	m->thread_started = true;
	pthread_setname_np(m->tid, "ep-model-eng");
	if (m->cfg.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(m->cfg.cpu, &set);
		rc = pthread_setaffinity_np(m->tid, sizeof(set), &set);
		if (rc != 0) {
			EPM_LOG(ERR, "%s: cpu=%d: cannot pin the engine thread: %s",
				m->name, m->cfg.cpu, strerror(rc));
			epm_thread_stop(m);
			return -EINVAL;
		}
	} else {
		engine_default_affinity(m);
	}
	return 0;
}

void
epm_thread_stop(struct ep_model *m)
{
	if (!m->thread_started)
		return;
	__atomic_store_n(&m->thread_stop, true, __ATOMIC_RELEASE);
	pthread_join(m->tid, NULL);
	m->thread_started = false;
}
