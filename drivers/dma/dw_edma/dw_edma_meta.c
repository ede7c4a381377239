/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Metadata discovery (hardware reference A and B.3): scan the BARs for the PEDM
 * blob, validate it as untrusted input against the real BAR lengths, do the
 * HOST_REQ/READY handshake, validate again and locate the windows.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_cycles.h>

#include "dw_edma_internal.h"

static inline uint32_t
meta_rd(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off)
{
	return dw_meta_rd32(fn, bar, off);
}

/*
 * Windows the fast path uses as plain MMIO must not fall into a hole of the BAR
 * mapping (the MSI-X page vfio-pci left out, hardware reference B.6). An
 * unknown answer (maps unreadable) is not held against the window.
 */
static int
meta_window_mapped(const struct dw_edma_fn *fn, const char *what, uint8_t bar,
		uint64_t off, uint64_t size)
{
	if (dw_edma_range_readable(fn->bars[bar].addr + off, size) != 0)
		return 0;
	DW_LOG(ERR, "%s: %s [0x%" PRIx64 ", +0x%" PRIx64 ") in BAR%u is not mapped in "
		"this process (MSI-X table page withheld by vfio-pci?)",
		fn->name, what, off, size, bar);
	return -ENOTSUP;
}

/* true when [off, off + size) lies inside a BAR of length len */
static bool
range_fits(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

/* Header checks, hardware reference A.6 rules 1-3. Returns 0, -ENODEV (no magic) or
 * -EINVAL (a bad blob; logged).
 */
static int
meta_check_header(struct dw_edma_fn *fn, uint8_t bar, struct dw_edma_meta *m)
{
	uint64_t blen = fn->bars[bar].len;
	uint32_t hdr, ctrl, layout, wr, rd, es;
	uint64_t need;

	if (meta_rd(fn, bar, DW_META_OFF_MAGIC) != DW_META_MAGIC)
		return -ENODEV;
	hdr = meta_rd(fn, bar, DW_META_OFF_HDR);
	if (DW_META_HDR_REV(hdr) != DW_META_REV) {
		DW_LOG(ERR, "%s: BAR%u metadata REVISION %u unsupported (want %u)",
			fn->name, bar, DW_META_HDR_REV(hdr), DW_META_REV);
		return -EINVAL;
	}
	m->length = DW_META_HDR_LEN_OF(hdr);
	if (m->length < DW_META_HDR_LEN || m->length > blen) {
		DW_LOG(ERR, "%s: BAR%u metadata LENGTH 0x%x outside [0x%x, BAR length "
			"0x%" PRIx64 "]",
			fn->name, bar, m->length, DW_META_HDR_LEN, blen);
		return -EINVAL;
	}
	layout = meta_rd(fn, bar, DW_META_OFF_LAYOUT);
	if (DW_META_LAYOUT_ID(layout) != DW_META_LAYOUT_DW_EDMA) {
		DW_LOG(ERR, "%s: BAR%u metadata LAYOUT_ID %u unsupported (want %u)",
			fn->name, bar, DW_META_LAYOUT_ID(layout), DW_META_LAYOUT_DW_EDMA);
		return -EINVAL;
	}
	m->map_format = DW_META_LAYOUT_DATA(layout);
	switch (m->map_format) {
	case DW_MF_EDMA_UNROLL:
	case DW_MF_HDMA_COMPAT:
	case DW_MF_HDMA_NATIVE:
		break;
	case DW_MF_EDMA_LEGACY:
		DW_LOG(ERR, "%s: BAR%u metadata LAYOUT_DATA 0 (eDMA legacy viewport map) "
			"is not supported",
			fn->name, bar);
		return -ENOTSUP;
	default:
		DW_LOG(ERR, "%s: BAR%u metadata LAYOUT_DATA 0x%x is not a valid map format",
			fn->name, bar, m->map_format);
		return -EINVAL;
	}
	ctrl = meta_rd(fn, bar, DW_META_OFF_CTRL);
	m->reg_bar = DW_META_CTRL_REG_BAR(ctrl);
	if (m->reg_bar >= DW_NUM_BARS) {
		DW_LOG(ERR, "%s: BAR%u metadata REG_BAR %u out of range 0..5",
			fn->name, bar, m->reg_bar);
		return -EINVAL;
	}
	wr = DW_META_CTRL_WR(ctrl);
	rd = DW_META_CTRL_RD(ctrl);
	es = DW_META_CTRL_ES(ctrl);
	if (wr == 0 && rd == 0) {
		DW_LOG(ERR, "%s: BAR%u metadata WR_CH_COUNT and RD_CH_COUNT are both 0",
			fn->name, bar);
		return -EINVAL;
	}
	if (wr > DW_META_MAX_CH || rd > DW_META_MAX_CH) {
		DW_LOG(ERR, "%s: BAR%u metadata %s %u exceeds %u",
			fn->name, bar, wr > DW_META_MAX_CH ? "WR_CH_COUNT" : "RD_CH_COUNT",
			wr > DW_META_MAX_CH ? wr : rd, DW_META_MAX_CH);
		return -EINVAL;
	}
	if (es < DW_META_CH_ENTRY_MIN || (es & 3) != 0) {
		DW_LOG(ERR, "%s: BAR%u metadata CH_ENTRY_SIZE 0x%x invalid (>= 0x%x, "
			"multiple of 4)",
			fn->name, bar, es, DW_META_CH_ENTRY_MIN);
		return -EINVAL;
	}
	/* wr, rd <= 8 and es <= 255: cannot overflow 64 bits */
	need = DW_META_HDR_LEN + (uint64_t)(wr + rd) * es;
	if (need > m->length) {
		DW_LOG(ERR, "%s: BAR%u metadata channel tables end at 0x%" PRIx64 " "
			"beyond LENGTH 0x%x",
			fn->name, bar, need, m->length);
		return -EINVAL;
	}
	m->bar = bar;
	m->nb_wr = wr;
	m->nb_rd = rd;
	m->es = es;
	return 0;
}

static int
meta_parse_ch(struct dw_edma_fn *fn, struct dw_edma_meta *m, bool rd,
		unsigned int idx, struct dw_edma_meta_ch *c)
{
	const char *dn = rd ? "read" : "write";
	uint64_t base = DW_META_HDR_LEN + (uint64_t)((rd ? m->nb_wr : 0) + idx) * m->es;
	uint32_t cc = meta_rd(fn, m->bar, base + DW_CH_OFF_CTRL);
	uint64_t blen, lo32;

	c->hw_ch = DW_CH_CTRL_HW_CH(cc);
	if (c->hw_ch != idx) {
		DW_LOG(ERR, "%s: %s entry %u HW_CH %u != %u (channels must be a dense prefix)",
			fn->name, dn, idx, c->hw_ch, idx);
		return -ENOTSUP;
	}
	c->desc_bar = DW_CH_CTRL_DESC_BAR(cc);
	if (c->desc_bar >= DW_NUM_BARS || fn->bars[c->desc_bar].addr == NULL) {
		DW_LOG(ERR, "%s: %s entry %u DESC_BAR %u is not a mapped BAR",
			fn->name, dn, idx, c->desc_bar);
		return -EINVAL;
	}
	c->desc_off = ((uint64_t)meta_rd(fn, m->bar, base + DW_CH_OFF_DESC_HI) << 32) |
		meta_rd(fn, m->bar, base + DW_CH_OFF_DESC_LO);
	c->desc_size = meta_rd(fn, m->bar, base + DW_CH_OFF_DESC_SIZE);
	c->desc_addr = ((uint64_t)meta_rd(fn, m->bar, base + DW_CH_OFF_DADDR_HI) << 32) |
		meta_rd(fn, m->bar, base + DW_CH_OFF_DADDR_LO);
	blen = fn->bars[c->desc_bar].len;
	if (c->desc_size == 0) {
		DW_LOG(ERR, "%s: %s entry %u DESC_SIZE is 0", fn->name, dn, idx);
		return -EINVAL;
	}
	if (!range_fits(c->desc_off, c->desc_size, blen)) {
		DW_LOG(ERR, "%s: %s entry %u descriptor window [0x%" PRIx64 ", +0x%x) "
			"outside BAR%u (length 0x%" PRIx64 ")",
			fn->name, dn, idx, c->desc_off, c->desc_size, c->desc_bar, blen);
		return -EINVAL;
	}
	/* elements are written with 64-bit stores, fetched as 32-bit words */
	if ((c->desc_off & 7) != 0 || (c->desc_addr & 3) != 0) {
		DW_LOG(ERR, "%s: %s entry %u descriptor window offset 0x%" PRIx64 " not "
			"8-byte or DESC_ADDR 0x%" PRIx64 " not 4-byte aligned",
			fn->name, dn, idx, c->desc_off, c->desc_addr);
		return -EINVAL;
	}
	if (meta_window_mapped(fn, rd ? "read descriptor window" : "write descriptor window",
			c->desc_bar, c->desc_off, c->desc_size) != 0)
		return -ENOTSUP;
	if (c->desc_size < DW_EDMA_MIN_DESC_SIZE) {
		DW_LOG(ERR, "%s: %s entry %u DESC_SIZE 0x%x holds fewer than %u elements "
			"(a data element, its write-back, one free slot and the link)",
			fn->name, dn, idx, c->desc_size, DW_EDMA_MIN_DESC_SIZE / DW_LL_SLOT_SIZE);
		return -EINVAL;
	}
	/*
	 * LLP reading 0 means the engine was reset (link loss): a ring whose
	 * low address word is 0 would be indistinguishable from that.
	 */
	if ((c->desc_addr & UINT32_MAX) == 0) {
		DW_LOG(ERR, "%s: %s entry %u DESC_ADDR 0x%" PRIx64 " has a low word of 0, "
			"which reads like an engine reset in LLP: not supported",
			fn->name, dn, idx, c->desc_addr);
		return -ENOTSUP;
	}
	/* progress is computed from LLP lo: the ring must not cross 4 GiB */
	lo32 = c->desc_addr & UINT32_MAX;
	if (c->desc_addr > UINT64_MAX - c->desc_size || lo32 + c->desc_size > (1ull << 32)) {
		DW_LOG(ERR, "%s: %s entry %u DESC_ADDR 0x%" PRIx64 " + DESC_SIZE 0x%x "
			"crosses a 4 GiB boundary",
			fn->name, dn, idx, c->desc_addr, c->desc_size);
		return -EINVAL;
	}
	if (cc & DW_CH_CTRL_AUX_VALID) {
		uint8_t abar = DW_CH_CTRL_AUX_BAR(cc);
		uint64_t aoff = ((uint64_t)meta_rd(fn, m->bar, base + DW_CH_OFF_AUX_HI) << 32) |
			meta_rd(fn, m->bar, base + DW_CH_OFF_AUX_LO);
		uint32_t asz = meta_rd(fn, m->bar, base + DW_CH_OFF_AUX_SIZE);

		if (abar >= DW_NUM_BARS || fn->bars[abar].addr == NULL || asz == 0 ||
				!range_fits(aoff, asz, fn->bars[abar].len)) {
			DW_LOG(ERR, "%s: %s entry %u aux window BAR%u [0x%" PRIx64 ", "
				"+0x%x) invalid",
				fn->name, dn, idx, abar, aoff, asz);
			return -EINVAL;
		}
	}
	c->aux_valid = (cc & DW_CH_CTRL_AUX_VALID) != 0;
	if (c->aux_valid) {
		c->aux_bar = DW_CH_CTRL_AUX_BAR(cc);
		c->aux_off = ((uint64_t)meta_rd(fn, m->bar, base + DW_CH_OFF_AUX_HI) << 32) |
			meta_rd(fn, m->bar, base + DW_CH_OFF_AUX_LO);
		c->aux_size = meta_rd(fn, m->bar, base + DW_CH_OFF_AUX_SIZE);
	}
	return 0;
}

/* A window the host writes, for the overlap check. */
struct meta_win {
	const char *what;
	unsigned int idx;
	uint8_t bar;
	uint64_t off, size;
};

static bool
wins_overlap(const struct meta_win *a, const struct meta_win *b)
{
	return a->bar == b->bar && a->off < b->off + b->size && b->off < a->off + a->size;
}

/*
 * The host writes its rings into the descriptor windows. The reference
 * only asks each window to lie inside its BAR; the driver promises more:
 * never to write what it does not own. A descriptor or aux window over the
 * metadata blob, the register window or another channel's window would
 * make ring writes land there: refuse it.
 */
static int
meta_check_overlaps(struct dw_edma_fn *fn, const struct dw_edma_meta *m)
{
	struct meta_win w[2 + 4 * DW_META_MAX_CH];
	unsigned int n = 0, i, j, k;

	w[n++] = (struct meta_win){ "metadata blob", 0, m->bar, 0, m->length };
	w[n++] = (struct meta_win){ "register window", 0, m->reg_bar, m->reg_off, m->reg_size };
	for (k = 0; k < 2; k++) {
		const struct dw_edma_meta_ch *t = k == 0 ? m->wr : m->rd;
		unsigned int nb = k == 0 ? m->nb_wr : m->nb_rd;

		for (i = 0; i < nb; i++) {
			w[n++] = (struct meta_win){ k == 0 ? "write descriptor window" :
				"read descriptor window", i, t[i].desc_bar, t[i].desc_off,
				t[i].desc_size };
			if (t[i].aux_valid)
				w[n++] = (struct meta_win){ k == 0 ? "write aux window" :
					"read aux window", i, t[i].aux_bar, t[i].aux_off,
					t[i].aux_size };
		}
	}
	/* the first two may overlap each other (a fixed BAR holding both) */
	for (i = 2; i < n; i++)
		for (j = 0; j < i; j++) {
			if (!wins_overlap(&w[i], &w[j]))
				continue;
			char other[48];

			if (j < 2)
				snprintf(other, sizeof(other), "%s", w[j].what);
			else
				snprintf(other, sizeof(other), "%s %u", w[j].what, w[j].idx);
			DW_LOG(ERR, "%s: %s %u [0x%" PRIx64 ", +0x%" PRIx64 ") in BAR%u overlaps "
				"the %s [0x%" PRIx64 ", +0x%" PRIx64 "): the host would write "
				"what it does not own",
				fn->name, w[i].what, w[i].idx, w[i].off, w[i].size, w[i].bar,
				other, w[j].off, w[j].size);
			return -EINVAL;
		}
	return 0;
}

/*
 * eDMA v0 per-direction registers are owned only when the direction is
 * delegated whole (hardware reference E.1): compare with the controller's
 * channel counts.
 */
static int
meta_check_whole_dirs(struct dw_edma_fn *fn, const struct dw_edma_meta *m)
{
	uint32_t ctrl = rte_read32(fn->reg + DW_V0_CTRL);
	unsigned int hw_wr = RTE_MIN(ctrl & 0xfu, (unsigned int)DW_META_MAX_CH);
	unsigned int hw_rd = RTE_MIN((ctrl >> 16) & 0xfu, (unsigned int)DW_META_MAX_CH);

	if (ctrl == UINT32_MAX) {
		DW_LOG(ERR, "%s: register window reads all-ones", fn->name);
		return -EIO;
	}
	if ((m->nb_wr != 0 && m->nb_wr != hw_wr) || (m->nb_rd != 0 && m->nb_rd != hw_rd)) {
		DW_LOG(ERR, "%s: %u write / %u read channels delegated of %u / %u: a partly "
			"delegated direction is not supported by map format 0x%x",
			fn->name, m->nb_wr, m->nb_rd, hw_wr, hw_rd, m->map_format);
		return -ENOTSUP;
	}
	return 0;
}

/* Spec A.6 rule 4, after READY. */
static int
meta_check_full(struct dw_edma_fn *fn, struct dw_edma_meta *m)
{
	const struct dw_edma_hw_ops *ops;
	enum dw_edma_backend backend;
	struct dw_edma_meta again;
	unsigned int i;
	uint64_t rlen;
	int rc;

	/* the EP may have rewritten the blob before READY: check it again */
	rc = meta_check_header(fn, m->bar, &again);
	if (rc != 0) {
		if (rc == -ENODEV)
			DW_LOG(ERR, "%s: BAR%u metadata MAGIC vanished after READY",
				fn->name, m->bar);
		return rc == -ENODEV ? -EINVAL : rc;
	}
	*m = again;
	m->reg_off = ((uint64_t)meta_rd(fn, m->bar, DW_META_OFF_REG_HI) << 32) |
		meta_rd(fn, m->bar, DW_META_OFF_REG_LO);
	m->reg_size = meta_rd(fn, m->bar, DW_META_OFF_REG_SIZE);
	if (fn->bars[m->reg_bar].addr == NULL) {
		DW_LOG(ERR, "%s: metadata REG_BAR %u is not a mapped BAR", fn->name, m->reg_bar);
		return -EINVAL;
	}
	rlen = fn->bars[m->reg_bar].len;
	if (!range_fits(m->reg_off, m->reg_size, rlen) || m->reg_size == 0) {
		DW_LOG(ERR, "%s: metadata register window [0x%" PRIx64 ", +0x%x) outside "
			"REG_BAR %u (length 0x%" PRIx64 ")",
			fn->name, m->reg_off, m->reg_size, m->reg_bar, rlen);
		return -EINVAL;
	}
	if ((m->reg_off & 3) != 0) {
		DW_LOG(ERR, "%s: metadata REG_OFF 0x%" PRIx64 " not 4-byte aligned",
			fn->name, m->reg_off);
		return -EINVAL;
	}
	if (meta_window_mapped(fn, "register window", m->reg_bar, m->reg_off,
			m->reg_size) != 0)
		return -ENOTSUP;
	backend = m->map_format == DW_MF_HDMA_NATIVE ? DW_BACKEND_HDMA : DW_BACKEND_V0;
	ops = dw_edma_backend_ops(backend);
	for (i = 0; i < m->nb_wr; i++) {
		rc = meta_parse_ch(fn, m, false, i, &m->wr[i]);
		if (rc != 0)
			return rc;
		if (ops->reg_need(false, i) > m->reg_size) {
			DW_LOG(ERR, "%s: metadata REG_SIZE 0x%x too small for write "
				"channel %u (need 0x%" PRIx64 ")",
				fn->name, m->reg_size, i, ops->reg_need(false, i));
			return -EINVAL;
		}
	}
	for (i = 0; i < m->nb_rd; i++) {
		rc = meta_parse_ch(fn, m, true, i, &m->rd[i]);
		if (rc != 0)
			return rc;
		if (ops->reg_need(true, i) > m->reg_size) {
			DW_LOG(ERR, "%s: metadata REG_SIZE 0x%x too small for read "
				"channel %u (need 0x%" PRIx64 ")",
				fn->name, m->reg_size, i, ops->reg_need(true, i));
			return -EINVAL;
		}
	}
	rc = meta_check_overlaps(fn, m);
	if (rc != 0)
		return rc;
	fn->backend = backend;
	fn->reg = fn->bars[m->reg_bar].addr + m->reg_off;
	if (backend == DW_BACKEND_V0)
		return meta_check_whole_dirs(fn, m);
	return 0;
}

static inline uint32_t
meta_ctrl_rd(const struct dw_edma_fn *fn)
{
	return dw_meta_rd32(fn, fn->meta.bar, DW_META_OFF_CTRL);
}

static void
meta_ctrl_rmw(struct dw_edma_fn *fn, uint32_t set, uint32_t clear)
{
	uint32_t v = meta_ctrl_rd(fn);

	dw_meta_wr32(fn, fn->meta.bar, DW_META_OFF_CTRL, (v | set) & ~clear);
}

static bool
ctrl_ready(uint32_t v)
{
	return v != UINT32_MAX && (v & DW_META_CTRL_READY) != 0;
}

int
dw_edma_meta_discover(struct dw_edma_fn *fn)
{
	struct dw_edma_meta *m = &fn->meta;
	unsigned int bar, waited;
	int rc = -ENODEV;

	for (bar = 0; bar < DW_NUM_BARS; bar++) {
		if (fn->bars[bar].addr == NULL || fn->bars[bar].len < DW_META_HDR_LEN ||
				fn->bars[bar].access == DW_BAR_NO_META)
			continue;
		rc = meta_check_header(fn, bar, m);
		if (rc != -ENODEV)
			break;
	}
	if (rc == -ENODEV) {
		DW_LOG(INFO, "%s: no PEDM metadata magic in any BAR: not an endpoint DMA function",
			fn->name);
		return rc;
	}
	if (rc != 0)
		return rc;

	DW_LOG(DEBUG, "%s: metadata in BAR%u, setting HOST_REQ", fn->name, m->bar);
	meta_ctrl_rmw(fn, DW_META_CTRL_HOST_REQ, 0);
	for (waited = 0; !ctrl_ready(meta_ctrl_rd(fn)); waited++) {
		if (waited >= fn->opts.ready_timeout_ms) {
			DW_LOG(ERR, "%s: endpoint did not set READY within %u ms",
				fn->name, fn->opts.ready_timeout_ms);
			meta_ctrl_rmw(fn, 0, DW_META_CTRL_HOST_REQ);
			return -ETIMEDOUT;
		}
		rte_delay_us_sleep(1000);
	}
	rc = meta_check_full(fn, m);
	if (rc != 0) {
		meta_ctrl_rmw(fn, 0, DW_META_CTRL_HOST_REQ);
		return rc;
	}
	DW_LOG(INFO, "%s: %s map (0x%x), %u write + %u read channels, registers in "
		"BAR%u+0x%" PRIx64,
		fn->name, dw_edma_backend_ops(fn->backend)->name, m->map_format, m->nb_wr,
		m->nb_rd, m->reg_bar, m->reg_off);
	return 0;
}

bool
dw_edma_meta_ready(struct dw_edma_chan *ch)
{
	return ctrl_ready(dw_edma_meta_ctrl(ch));
}

uint32_t
dw_edma_meta_ctrl(struct dw_edma_chan *ch)
{
	if (ch->fn->front == DW_FRONT_EPDM)
		return dw_edma_epdm_ctrl(ch);
	ch->cnt.mmio_reads++;
	return meta_ctrl_rd(ch->fn);
}

/* Set HOST_REQ again (read-modify-write: the other bits are the EP's). */
void
dw_edma_meta_host_req(struct dw_edma_chan *ch)
{
	if (ch->fn->front == DW_FRONT_EPDM)
		return; /* no handshake */
	rte_spinlock_lock(&ch->fn->lock);
	meta_ctrl_rmw(ch->fn, DW_META_CTRL_HOST_REQ, 0);
	rte_spinlock_unlock(&ch->fn->lock);
}

/*
 * After READY returns (link recovery, endpoint re-init): is what this
 * channel was built from still what the blob says? Returns 0 or -EINVAL
 * (logged with the field that changed).
 */
static int
meta_recheck_pedm(struct dw_edma_chan *ch)
{
	struct dw_edma_fn *fn = ch->fn;
	const struct dw_edma_meta *m = &fn->meta;
	const struct dw_edma_meta_ch *mc = ch->rd ? &m->rd[ch->hw_ch] : &m->wr[ch->hw_ch];
	uint64_t base = DW_META_HDR_LEN + (uint64_t)((ch->rd ? m->nb_wr : 0) + ch->hw_ch) * m->es;
	uint32_t ctrl = meta_rd(fn, m->bar, DW_META_OFF_CTRL);
	uint32_t layout = meta_rd(fn, m->bar, DW_META_OFF_LAYOUT);
	uint32_t cc = meta_rd(fn, m->bar, base + DW_CH_OFF_CTRL);
	const char *what = NULL;
	uint64_t v;

	if (meta_rd(fn, m->bar, DW_META_OFF_MAGIC) != DW_META_MAGIC)
		what = "MAGIC";
	else if (DW_META_LAYOUT_DATA(layout) != m->map_format)
		what = "map format";
	else if (DW_META_CTRL_REG_BAR(ctrl) != m->reg_bar ||
			DW_META_CTRL_WR(ctrl) != m->nb_wr || DW_META_CTRL_RD(ctrl) != m->nb_rd ||
			DW_META_CTRL_ES(ctrl) != m->es)
		what = "CTRL (REG_BAR, channel counts, entry size)";
	else if ((((uint64_t)meta_rd(fn, m->bar, DW_META_OFF_REG_HI) << 32) |
			meta_rd(fn, m->bar, DW_META_OFF_REG_LO)) != m->reg_off ||
			meta_rd(fn, m->bar, DW_META_OFF_REG_SIZE) != m->reg_size)
		what = "register window";
	else if (DW_CH_CTRL_HW_CH(cc) != mc->hw_ch || DW_CH_CTRL_DESC_BAR(cc) != mc->desc_bar)
		what = "channel entry HW_CH/DESC_BAR";
	else if (meta_rd(fn, m->bar, base + DW_CH_OFF_DESC_SIZE) != mc->desc_size)
		what = "DESC_SIZE";
	if (what == NULL) {
		v = ((uint64_t)meta_rd(fn, m->bar, base + DW_CH_OFF_DESC_HI) << 32) |
			meta_rd(fn, m->bar, base + DW_CH_OFF_DESC_LO);
		if (v != mc->desc_off)
			what = "descriptor window offset";
	}
	if (what == NULL) {
		v = ((uint64_t)meta_rd(fn, m->bar, base + DW_CH_OFF_DADDR_HI) << 32) |
			meta_rd(fn, m->bar, base + DW_CH_OFF_DADDR_LO);
		if (v != mc->desc_addr)
			what = "DESC_ADDR";
	}
	if (what == NULL)
		return 0;
	if (!ch->meta_changed)
		DW_LOG(ERR, "%s: metadata %s changed while READY was 0", ch->name, what);
	return -EINVAL;
}

int
dw_edma_meta_recheck(struct dw_edma_chan *ch)
{
	if (ch->fn->front == DW_FRONT_EPDM)
		return dw_edma_epdm_recheck(ch);
	return meta_recheck_pedm(ch);
}

void
dw_edma_meta_dump(const struct dw_edma_fn *fn, FILE *f)
{
	const struct dw_edma_meta *m = &fn->meta;

	if (fn->front == DW_FRONT_EPDM) {
		dw_edma_epdm_dump(fn, f);
		return;
	}
	fprintf(f, "  metadata: BAR%u length 0x%x map format 0x%x (%s) wr %u rd %u entry 0x%x\n",
		m->bar, m->length, m->map_format, dw_edma_backend_ops(fn->backend)->name,
		m->nb_wr, m->nb_rd, m->es);
	fprintf(f, "  registers: BAR%u + 0x%" PRIx64 " size 0x%x; function %u\n",
		m->reg_bar, m->reg_off, m->reg_size, fn->func_num);
	if (fn->opts.has_m2m)
		fprintf(f, "  m2m_base: 0x%" PRIx64 "\n", fn->opts.m2m_base);
}

/* The whole-direction rule for another front end on the eDMA v0 map. */
int
dw_edma_meta_whole_dirs(struct dw_edma_fn *fn)
{
	return meta_check_whole_dirs(fn, &fn->meta);
}
