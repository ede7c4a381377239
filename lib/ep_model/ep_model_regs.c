/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Register maps (eDMA unroll, HDMA compat, HDMA native, legacy), detection of
 * host writes by comparison with a shadow copy, their semantics, and the
 * ownership checks of hardware reference E.1/E.6.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ep_model_internal.h"

bool
epm_is_hdma_native(const struct ep_model *m)
{
	return m->cfg.layout == EP_MODEL_MF_HDMA_NATIVE;
}

void
epm_violation(struct ep_model *m, const char *fmt, ...)
{
	va_list ap;

	if (m->nviol < EPM_MAX_VIOL_TEXT) {
		va_start(ap, fmt);
		vsnprintf(m->viol[m->nviol], EPM_VIOL_LEN, fmt, ap);
		va_end(ap);
		EPM_LOG(DEBUG, "%s: violation: %s", m->name, m->viol[m->nviol]);
	}
	m->nviol++;
	m->stats.violations++;
}

/* Controller-wide and per-direction registers of the eDMA v0 unroll block. */
struct epm_greg {
	uint16_t off;
	int8_t dir;		/* -1 controller-wide */
	uint8_t sem;
	const char *name;
};

static const struct epm_greg edma_gregs[] = {
	{ 0x000, -1, EPM_SEM_PLAIN, "ctrl_data_arb_prior" },
	{ 0x008, -1, EPM_SEM_RO, "ctrl" },
	{ 0x00c, 0, EPM_SEM_PLAIN, "wr_engine_en" },
	{ 0x010, 0, EPM_SEM_DOORBELL, "wr_doorbell" },
	{ 0x018, 0, EPM_SEM_PLAIN, "wr_ch_arb_weight_lo" },
	{ 0x01c, 0, EPM_SEM_PLAIN, "wr_ch_arb_weight_hi" },
	{ 0x02c, 1, EPM_SEM_PLAIN, "rd_engine_en" },
	{ 0x030, 1, EPM_SEM_DOORBELL, "rd_doorbell" },
	{ 0x038, 1, EPM_SEM_PLAIN, "rd_ch_arb_weight_lo" },
	{ 0x03c, 1, EPM_SEM_PLAIN, "rd_ch_arb_weight_hi" },
	{ 0x04c, 0, EPM_SEM_RO, "wr_int_status" },
	{ 0x054, 0, EPM_SEM_PLAIN, "wr_int_mask" },
	{ 0x058, 0, EPM_SEM_INT_CLEAR, "wr_int_clear" },
	{ 0x05c, 0, EPM_SEM_RO, "wr_err_status" },
	{ 0x060, 0, EPM_SEM_PLAIN, "wr_done_imwr_lo" },
	{ 0x064, 0, EPM_SEM_PLAIN, "wr_done_imwr_hi" },
	{ 0x068, 0, EPM_SEM_PLAIN, "wr_abort_imwr_lo" },
	{ 0x06c, 0, EPM_SEM_PLAIN, "wr_abort_imwr_hi" },
	{ 0x070, 0, EPM_SEM_PLAIN, "wr_ch01_imwr_data" },
	{ 0x074, 0, EPM_SEM_PLAIN, "wr_ch23_imwr_data" },
	{ 0x078, 0, EPM_SEM_PLAIN, "wr_ch45_imwr_data" },
	{ 0x07c, 0, EPM_SEM_PLAIN, "wr_ch67_imwr_data" },
	{ 0x090, 0, EPM_SEM_PLAIN, "wr_linked_list_err_en" },
	{ 0x0a0, 1, EPM_SEM_RO, "rd_int_status" },
	{ 0x0a8, 1, EPM_SEM_PLAIN, "rd_int_mask" },
	{ 0x0ac, 1, EPM_SEM_INT_CLEAR, "rd_int_clear" },
	{ 0x0b4, 1, EPM_SEM_RO, "rd_err_status_lo" },
	{ 0x0b8, 1, EPM_SEM_RO, "rd_err_status_hi" },
	{ 0x0c4, 1, EPM_SEM_PLAIN, "rd_linked_list_err_en" },
	{ 0x0cc, 1, EPM_SEM_PLAIN, "rd_done_imwr_lo" },
	{ 0x0d0, 1, EPM_SEM_PLAIN, "rd_done_imwr_hi" },
	{ 0x0d4, 1, EPM_SEM_PLAIN, "rd_abort_imwr_lo" },
	{ 0x0d8, 1, EPM_SEM_PLAIN, "rd_abort_imwr_hi" },
	{ 0x0dc, 1, EPM_SEM_PLAIN, "rd_ch01_imwr_data" },
	{ 0x0e0, 1, EPM_SEM_PLAIN, "rd_ch23_imwr_data" },
	{ 0x0e4, 1, EPM_SEM_PLAIN, "rd_ch45_imwr_data" },
	{ 0x0e8, 1, EPM_SEM_PLAIN, "rd_ch67_imwr_data" },
	{ 0x100, 0, EPM_SEM_PLAIN, "wr_engine_chgroup" },
	{ 0x104, 1, EPM_SEM_PLAIN, "rd_engine_chgroup" },
	{ 0x108, 0, EPM_SEM_PLAIN, "wr_engine_hshake_cnt_lo" },
	{ 0x10c, 0, EPM_SEM_PLAIN, "wr_engine_hshake_cnt_hi" },
	{ 0x118, 1, EPM_SEM_PLAIN, "rd_engine_hshake_cnt_lo" },
	{ 0x11c, 1, EPM_SEM_PLAIN, "rd_engine_hshake_cnt_hi" },
};

static const char *const edma_ch_names[] = {
	"ch_control1", "ch_control2", "transfer_size", "sar_lo", "sar_hi",
	"dar_lo", "dar_hi", "llp_lo", "llp_hi",
};

struct epm_hreg {
	uint8_t off;
	uint8_t sem;
	const char *name;
};

static const struct epm_hreg hdma_regs[] = {
	{ 0x00, EPM_SEM_PLAIN, "ch_en" },
	{ 0x04, EPM_SEM_DOORBELL, "doorbell" },
	{ 0x08, EPM_SEM_PLAIN, "prefetch" },
	{ 0x0c, EPM_SEM_PLAIN, "handshake" },
	{ 0x10, EPM_SEM_PLAIN, "llp_lo" },
	{ 0x14, EPM_SEM_PLAIN, "llp_hi" },
	{ 0x18, EPM_SEM_CYCLE_SYNC, "cycle_sync" },
	{ 0x1c, EPM_SEM_PLAIN, "transfer_size" },
	{ 0x20, EPM_SEM_PLAIN, "sar_lo" },
	{ 0x24, EPM_SEM_PLAIN, "sar_hi" },
	{ 0x28, EPM_SEM_PLAIN, "dar_lo" },
	{ 0x2c, EPM_SEM_PLAIN, "dar_hi" },
	{ 0x30, EPM_SEM_PLAIN, "watermark_en" },
	{ 0x34, EPM_SEM_PLAIN, "control1" },
	{ 0x38, EPM_SEM_PLAIN, "func_num" },
	{ 0x3c, EPM_SEM_PLAIN, "qos" },
	{ 0x80, EPM_SEM_RO, "ch_stat" },
	{ 0x84, EPM_SEM_RO, "int_stat" },
	{ 0x88, EPM_SEM_PLAIN, "int_setup" },
	{ 0x8c, EPM_SEM_INT_CLEAR, "int_clear" },
	{ 0x90, EPM_SEM_PLAIN, "msi_stop_lo" },
	{ 0x94, EPM_SEM_PLAIN, "msi_stop_hi" },
	{ 0x98, EPM_SEM_PLAIN, "msi_watermark_lo" },
	{ 0x9c, EPM_SEM_PLAIN, "msi_watermark_hi" },
	{ 0xa0, EPM_SEM_PLAIN, "msi_abort_lo" },
	{ 0xa4, EPM_SEM_PLAIN, "msi_abort_hi" },
	{ 0xa8, EPM_SEM_PLAIN, "msi_msgdata" },
};

static const char *
dname(int dir)
{
	return dir == EP_MODEL_DIR_WR ? "wr" : "rd";
}

static void
decode_unroll(uint32_t off, struct epm_reg *r)
{
	unsigned int i;

	if (off < 0x200) {
		for (i = 0; i < RTE_DIM(edma_gregs); i++) {
			if (edma_gregs[i].off != off)
				continue;
			r->kind = edma_gregs[i].dir < 0 ? EPM_REG_GLOBAL : EPM_REG_DIR;
			r->dir = edma_gregs[i].dir;
			r->sem = edma_gregs[i].sem;
			snprintf(r->name, sizeof(r->name), "%s", edma_gregs[i].name);
			return;
		}
		if (off >= 0x128 && off < 0x148) {
			r->kind = EPM_REG_CH;
			r->dir = EP_MODEL_DIR_WR;
			r->ch = (off - 0x128) / 4;
			snprintf(r->name, sizeof(r->name), "wr_ch%d_pwr_en", r->ch);
			return;
		}
		if (off >= 0x168 && off < 0x188) {
			r->kind = EPM_REG_CH;
			r->dir = EP_MODEL_DIR_RD;
			r->ch = (off - 0x168) / 4;
			snprintf(r->name, sizeof(r->name), "rd_ch%d_pwr_en", r->ch);
			return;
		}
		r->kind = EPM_REG_GLOBAL;
		snprintf(r->name, sizeof(r->name), "reserved");
		return;
	}
	if (off >= EDMA_CH_BASE(0, EPM_MAX_CH)) {
		snprintf(r->name, sizeof(r->name), "beyond the channel blocks");
		return;
	}
	r->kind = EPM_REG_CH;
	r->ch = (off - 0x200) / 0x200;
	r->dir = ((off - 0x200) % 0x200) / 0x100;
	off = (off - 0x200) % 0x100;
	if (off / 4 < RTE_DIM(edma_ch_names)) {
		if (off == EDMA_CH_CTL1)
			r->sem = EPM_SEM_CTL1;
		snprintf(r->name, sizeof(r->name), "%s_ch%d %s", dname(r->dir), r->ch,
			edma_ch_names[off / 4]);
	} else {
		r->reserved = true;
		snprintf(r->name, sizeof(r->name), "%s_ch%d reserved+0x%02x",
			dname(r->dir), r->ch, off);
	}
}

static void
decode_native(uint32_t off, struct epm_reg *r)
{
	unsigned int i, o;

	r->kind = EPM_REG_CH;
	r->ch = off / 0x200;
	r->dir = (off % 0x200) / 0x100;
	o = off % 0x100;
	for (i = 0; i < RTE_DIM(hdma_regs); i++) {
		if (hdma_regs[i].off == o) {
			r->sem = hdma_regs[i].sem;
			snprintf(r->name, sizeof(r->name), "%s_ch%d %s", dname(r->dir),
				r->ch, hdma_regs[i].name);
			return;
		}
	}
	r->reserved = true;
	snprintf(r->name, sizeof(r->name), "%s_ch%d reserved+0x%02x", dname(r->dir),
		r->ch, o);
}

void
epm_reg_decode(const struct ep_model *m, uint32_t off, struct epm_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = EPM_REG_NONE;
	r->sem = EPM_SEM_PLAIN;
	r->dir = -1;
	r->ch = -1;
	switch (m->cfg.layout) {
	case EP_MODEL_MF_EDMA_UNROLL:
	case EP_MODEL_MF_HDMA_COMPAT:
		decode_unroll(off, r);
		break;
	case EP_MODEL_MF_HDMA_NATIVE:
		decode_native(off, r);
		break;
	default:
		/* Legacy: the EPF never delegates it; nothing is the host's. */
		r->kind = EPM_REG_GLOBAL;
		snprintf(r->name, sizeof(r->name), "legacy register");
		break;
	}
}

static unsigned int
delegated(const struct ep_model *m, int dir)
{
	return dir == EP_MODEL_DIR_WR ? m->cfg.wr : m->cfg.rd;
}

static unsigned int
hw_count(const struct ep_model *m, int dir)
{
	return dir == EP_MODEL_DIR_WR ? m->cfg.hw_wr : m->cfg.hw_rd;
}

/* Resting value of a write-only event register. */
static uint32_t
rest_value(const struct ep_model *m, const struct epm_reg *r)
{
	if (r->sem == EPM_SEM_DOORBELL && !epm_is_hdma_native(m))
		return EDMA_DB_REST;
	return 0;
}

void
epm_regs_reset(struct ep_model *m)
{
	uint32_t off;
	struct epm_reg r;

	memset(m->regs, 0, m->reg_size);
	for (off = 0; off < m->reg_size; off += 4) {
		epm_reg_decode(m, off, &r);
		if (r.sem == EPM_SEM_DOORBELL)
			m->regs[off / 4] = rest_value(m, &r);
	}
	if (!epm_is_hdma_native(m))
		m->regs[EDMA_CTRL / 4] = (RTE_MIN(m->cfg.hw_wr, 8u) & 0xf) |
			((RTE_MIN(m->cfg.hw_rd, 8u) & 0xf) << 16);
	memcpy(m->shadow, m->regs, m->reg_size);
}

uint32_t
epm_reg_live(const struct ep_model *m, uint32_t off)
{
	return epm_ld32(&m->regs[off / 4]);
}

/*
 * Ownership check of one host write (hardware reference E.1, E.6). Returns true
 * when the host owns the register. For int_clear the check is per bit (below).
 */
static bool
check_owner(struct ep_model *m, uint32_t off, uint32_t val,
		const struct epm_reg *r)
{
	switch (r->kind) {
	case EPM_REG_GLOBAL:
		epm_violation(m, "write 0x%08x to 0x%03x %s: controller-wide register",
			val, off, r->name);
		return false;
	case EPM_REG_NONE:
		epm_violation(m, "write 0x%08x to 0x%03x (%s): no register the host owns",
			val, off, r->name);
		return false;
	case EPM_REG_DIR:
		if (delegated(m, r->dir) == 0) {
			epm_violation(m, "write 0x%08x to 0x%03x %s: direction %s not delegated",
				val, off, r->name, r->dir == 0 ? "WR" : "RD");
			return false;
		}
		break;
	case EPM_REG_CH:
		if ((unsigned int)r->ch >= delegated(m, r->dir)) {
			epm_violation(m, "write 0x%08x to 0x%03x %s: channel %s%d %s",
				val, off, r->name, dname(r->dir), r->ch,
				(unsigned int)r->ch < hw_count(m, r->dir) ?
				"belongs to the endpoint" : "does not exist");
			return false;
		}
		break;
	}
	if (r->reserved) {
		epm_violation(m, "write 0x%08x to 0x%03x %s: no register at this offset",
			val, off, r->name);
		return false;
	}
	if (r->sem == EPM_SEM_RO) {
		epm_violation(m, "write 0x%08x to 0x%03x %s: read-only status register%s",
			val, off, r->name,
			strstr(r->name, "rd_int_status") != NULL ?
			" (the endpoint's interrupt-emulation doorbell)" : "");
		return false;
	}
	/*
	 * Spec E.6: the windows are not the host's while READY is 0 (before the
	 * handshake, after a link down, during a READY drop). The model scans
	 * the registers right before it sets READY and right before it clears
	 * it, so every write is judged against the READY of its own time. An
	 * EPDM export has no READY: only the delegation rules above apply.
	 */
	if (epm_ready_rule(m) && (!m->ready_val || m->link_down))
		epm_violation(m, "write 0x%08x to 0x%03x %s: %s", val, off, r->name,
			m->ever_ready ? "while READY is 0" : "before READY was ever set");
	return true;
}

static struct epm_chan *
owned_chan(struct ep_model *m, int dir, int ch)
{
	if (dir < 0 || ch < 0 || (unsigned int)ch >= delegated(m, dir))
		return NULL;
	return &m->ch[dir][ch];
}

static void
int_clear_event(struct ep_model *m, uint32_t off, const struct epm_reg *r,
		uint32_t v)
{
	struct epm_chan *c;
	uint32_t clear = 0, mine = 0;
	unsigned int ch;

	if (epm_is_hdma_native(m)) {
		c = owned_chan(m, r->dir, r->ch);
		if (c == NULL)
			return;
		clear = v & (HDMA_INT_STOP | HDMA_INT_WATERMARK | HDMA_INT_ABORT);
		epm_reg_update(m, c->blk + HDMA_INT_STAT, clear, 0);
		return;
	}
	for (ch = 0; ch < EPM_MAX_CH; ch++) {
		uint32_t bits = v & (EDMA_INT_DONE(ch) | EDMA_INT_ABORT(ch));

		if (bits == 0)
			continue;
		if (ch >= delegated(m, r->dir)) {
			epm_violation(m, "write 0x%08x to 0x%03x %s: bit for channel %s%u "
				"the host does not own", v, off, r->name, dname(r->dir), ch);
			continue;
		}
		mine |= bits;
	}
	clear = mine;
	epm_reg_update(m, r->dir == 0 ? EDMA_WR_INT_STATUS : EDMA_RD_INT_STATUS,
		clear, 0);
	/* Clearing ABORT also clears the channel's latched error causes. */
	for (ch = 0; ch < delegated(m, r->dir); ch++)
		if (clear & EDMA_INT_ABORT(ch))
			epm_ch_clear_cause(m, &m->ch[r->dir][ch]);
}

static void
doorbell_event(struct ep_model *m, const struct epm_reg *r, uint32_t v)
{
	struct epm_chan *c;
	unsigned int ch;

	if (epm_is_hdma_native(m)) {
		c = owned_chan(m, r->dir, r->ch);
		if (c == NULL)
			return;
		if (v & ~(HDMA_DB_START | HDMA_DB_STOP))
			epm_violation(m, "write 0x%08x to %s: reserved doorbell bits 0x%08x",
				v, r->name, v & ~(HDMA_DB_START | HDMA_DB_STOP));
		if (v & HDMA_DB_STOP)
			epm_ch_doorbell(m, c, true);
		else if (v & HDMA_DB_START)
			epm_ch_doorbell(m, c, false);
		return;
	}
	if (v & ~(EDMA_DB_STOP | 7u))
		epm_violation(m, "write 0x%08x to %s: reserved doorbell bits 0x%08x",
			v, r->name, v & ~(EDMA_DB_STOP | 7u));
	ch = v & 7;
	c = owned_chan(m, r->dir, ch);
	if (c == NULL) {
		epm_violation(m, "write 0x%08x to %s: channel %s%u is not the host's",
			v, r->name, dname(r->dir), ch);
		return;
	}
	epm_ch_doorbell(m, c, (v & EDMA_DB_STOP) != 0);
}

/*
 * Handle one observed host write of 'val' to register word 'off'. 'nested'
 * is set when called from a failed model update of the same word: the caller
 * then rewrites the word itself, so no fix-up is done here.
 */
static void
host_write(struct ep_model *m, uint32_t off, uint32_t val, bool nested)
{
	struct epm_reg r;
	struct epm_chan *c;
	bool owned;
	uint32_t w = off / 4, v, rest;

	epm_reg_decode(m, off, &r);
	m->stats.host_writes++;
	switch (r.sem) {
	case EPM_SEM_DOORBELL:
	case EPM_SEM_INT_CLEAR:
	case EPM_SEM_CYCLE_SYNC:
		/* Consume the event so that an identical later write is seen. */
		rest = rest_value(m, &r);
		v = __atomic_exchange_n(&m->regs[w], rest, __ATOMIC_ACQ_REL);
		m->shadow[w] = rest;
		if (v == rest)
			return;
		owned = check_owner(m, off, v, &r);
		if (!owned)
			return;
		if (r.sem == EPM_SEM_DOORBELL)
			doorbell_event(m, &r, v);
		else if (r.sem == EPM_SEM_INT_CLEAR)
			int_clear_event(m, off, &r, v);
		else if ((c = owned_chan(m, r.dir, r.ch)) != NULL &&
				(v & HDMA_CYCLE_STAT))
			c->hdma_ccs = v & HDMA_CYCLE_BIT;
		return;
	case EPM_SEM_RO:
		check_owner(m, off, val, &r);
		if (!nested) {
			/* Status is the model's: put its value back. */
			uint32_t exp = val;

			__atomic_compare_exchange_n(&m->regs[w], &exp, m->shadow[w], false,
				__ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
		}
		return;
	default:
		break;
	}
	check_owner(m, off, val, &r);
	m->shadow[w] = val;
	if (r.sem == EPM_SEM_CTL1 && !nested) {
		c = owned_chan(m, r.dir, r.ch);
		if (c != NULL)
			epm_ch_set_cs(m, c);	/* CS bits are read-only */
	}
}

/*
 * The model changes a register word: compare-and-swap from the shadow value
 * so that a host write that slipped in is processed first, then retry.
 */
void
epm_reg_update(struct ep_model *m, uint32_t off, uint32_t clear, uint32_t set)
{
	uint32_t w = off / 4;
	uint32_t expect = m->shadow[w];

	for (;;) {
		/* Read-only status keeps the model's value as the base. */
		uint32_t nv = (m->shadow[w] & ~clear) | set;
		uint32_t e = expect;

		if (__atomic_compare_exchange_n(&m->regs[w], &e, nv, false,
				__ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
			m->shadow[w] = nv;
			return;
		}
		host_write(m, off, e, true);
		expect = e;
	}
}

/* Process a host write to one word now, if there is one not yet seen. */
void
epm_reg_consume(struct ep_model *m, uint32_t off)
{
	uint32_t v = epm_ld32(&m->regs[off / 4]);

	if (v != m->shadow[off / 4])
		host_write(m, off, v, false);
}

/*
 * A host write to one word arrived as an explicit access (a trapped BAR
 * write, not a store the engine may notice later): act on it even when it
 * rewrites the value the word already holds, as silicon would.
 */
void
epm_reg_write_seen(struct ep_model *m, uint32_t off)
{
	host_write(m, off, epm_ld32(&m->regs[off / 4]), false);
}

void
epm_regs_scan(struct ep_model *m)
{
	uint32_t w, n = m->reg_size / 4;

	for (w = 0; w < n; w++) {
		uint32_t v = epm_ld32(&m->regs[w]);

		if (v != m->shadow[w])
			host_write(m, w * 4, v, false);
	}
}

/*
 * Words the host writes on the fast path (doorbells, int_clear, the
 * delegated channels' control and LLP words): the threaded engine looks at
 * them on every pass and between element rounds, at the rest of the window
 * every few passes. The enables (engine_en, pwr_en, ch_en, control1, LLE)
 * and FUNC_NUM are read from memory where they act (doorbell, every step,
 * every host access), so they need not be hot.
 */
void
epm_regs_build_hot(struct ep_model *m)
{
	static const uint32_t edma_g[] = { EDMA_WR_DOORBELL, EDMA_RD_DOORBELL,
		EDMA_WR_INT_CLEAR, EDMA_RD_INT_CLEAR };
	static const uint32_t edma_c[] = { EDMA_CH_CTL1, EDMA_CH_LLP_LO, EDMA_CH_LLP_HI };
	static const uint32_t hdma_c[] = { HDMA_DOORBELL, HDMA_LLP_LO, HDMA_LLP_HI,
		HDMA_CYCLE_SYNC, HDMA_INT_CLEAR };
	unsigned int d, i, k;

	m->nhot = 0;
	if (m->cfg.layout == EP_MODEL_MF_EDMA_LEGACY)
		return;
	if (!epm_is_hdma_native(m))
		for (k = 0; k < RTE_DIM(edma_g); k++)
			m->hot[m->nhot++] = edma_g[k] / 4;
	for (d = 0; d < 2; d++)
		for (i = 0; i < EPM_MAX_CH; i++) {
			const struct epm_chan *c = &m->ch[d][i];

			if (!c->active)
				continue;
			if (epm_is_hdma_native(m))
				for (k = 0; k < RTE_DIM(hdma_c); k++)
					m->hot[m->nhot++] = (c->blk + hdma_c[k]) / 4;
			else
				for (k = 0; k < RTE_DIM(edma_c); k++)
					m->hot[m->nhot++] = (c->blk + edma_c[k]) / 4;
		}
}

void
epm_regs_scan_hot(struct ep_model *m)
{
	unsigned int i;

	for (i = 0; i < m->nhot; i++) {
		uint32_t w = m->hot[i];
		uint32_t v = epm_ld32(&m->regs[w]);

		if (v != m->shadow[w])
			host_write(m, w * 4, v, false);
	}
}
