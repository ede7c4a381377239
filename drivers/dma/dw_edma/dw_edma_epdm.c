/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Second discovery front end (hardware reference F): eDMA read channels an
 * endpoint exports through its vNTB function as an "EPDM" ABI v1 slice.
 * The user names the slice (devargs epdm_bar/epdm_offset/epdm_size) or the
 * BAR of the vNTB control region that carries its locator (epdm_ntb_bar).
 * The slice is validated as untrusted input against the real BAR lengths,
 * without a single device write, and the result fills the same struct
 * dw_edma_meta the PEDM front end fills: map format eDMA unroll, read
 * channels only, register window = the slice's controller window.
 *
 * There is no HOST_REQ/READY handshake. "Ready" is: the slice header's
 * magic still reads back. A lost link reads all-ones, an endpoint that
 * tore the export down reads something else; both put the channels in the
 * device error state, and they recover when the magic is back and the
 * slice still describes them as at probe.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "dw_edma_internal.h"

static inline uint32_t
epdm_rd(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off)
{
	return dw_meta_rd32(fn, bar, off);
}

static bool
range_fits(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

static bool
overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* ---------------------------------------------------------------------------
 * Devargs.
 */
int
dw_edma_epdm_opt(struct dw_edma_epdm_opts *o, const char *key, const char *value,
		const char *where)
{
	unsigned long long v;
	char *end = NULL;

	errno = 0;
	v = strtoull(value, &end, 0);
	if (errno != 0 || end == value || *end != '\0' || value[0] == '-') {
		DW_LOG(ERR, "%s: devarg %s=%s is not a number", where, key, value);
		return -EINVAL;
	}
	if (strcmp(key, "epdm_bar") == 0 || strcmp(key, "epdm_ntb_bar") == 0) {
		if (v >= DW_NUM_BARS) {
			DW_LOG(ERR, "%s: devarg %s=%s is not a BAR number (0..5)", where, key,
				value);
			return -EINVAL;
		}
		if (key[5] == 'b') {
			o->bar = (uint8_t)v;
			o->has_bar = true;
		} else {
			o->ntb_bar = (uint8_t)v;
			o->has_ntb = true;
		}
	} else if (strcmp(key, "epdm_offset") == 0 || strcmp(key, "epdm_size") == 0) {
		/* the vNTB locator carries 32-bit offset and size: so do we */
		if (v > UINT32_MAX || (key[5] == 's' && v == 0)) {
			DW_LOG(ERR, "%s: devarg %s=%s not in %s..0xffffffff", where, key, value,
				key[5] == 's' ? "1" : "0");
			return -EINVAL;
		}
		if (key[5] == 'o') {
			o->off = (uint32_t)v;
			o->has_off = true;
		} else {
			o->size = (uint32_t)v;
			o->has_size = true;
		}
	} else {
		DW_LOG(ERR, "%s: unknown devarg '%s'", where, key);
		return -EINVAL;
	}
	o->on = true;
	return 0;
}

/*
 * Does a devargs string name the EPDM front end? A plain scan for a key
 * starting with "epdm_", no allocation: the PCI front end asks this for
 * every device it is offered before touching anything.
 */
bool
dw_edma_epdm_requested(const char *args)
{
	const char *p = args;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, "epdm_", 5) == 0)
			return true;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return false;
}

/* ---------------------------------------------------------------------------
 * Discovery.
 */

/*
 * Windows the fast path uses as plain MMIO (and a header read through the
 * mapping) must not fall into a hole of the BAR mapping (hardware reference
 * B.6). An unknown answer (maps unreadable) is not held against the window.
 */
static int
epdm_mapped(const struct dw_edma_fn *fn, const char *what, uint8_t bar, uint64_t off,
		uint64_t size)
{
	if (dw_edma_range_readable(fn->bars[bar].addr + off, size) != 0)
		return 0;
	DW_LOG(ERR, "%s: EPDM %s [0x%" PRIx64 ", +0x%" PRIx64 ") in BAR%u is not mapped in "
		"this process (MSI-X table page withheld by vfio-pci?)",
		fn->name, what, off, size, bar);
	return -ENOTSUP;
}

/*
 * The slice's locator from the vNTB control region (hardware reference
 * F.3): control-layout version 1 at 0x0c, then ABI, BAR, offset, size and
 * channel count at 0x154..0x164. Read only: the NTB command registers of
 * that region belong to the NTB protocol, which this driver does not run.
 */
static int
epdm_locate_ntb(struct dw_edma_fn *fn, struct dw_edma_epdm *e, uint32_t *irqs)
{
	uint8_t nb = fn->opts.epdm.ntb_bar;
	const struct dw_edma_bar *b = &fn->bars[nb];
	uint32_t ver, abi, bar, nch, link;

	if (b->addr == NULL || b->len < DW_NTB_CTRL_MIN_LEN || b->access == DW_BAR_NO_META) {
		DW_LOG(ERR, "%s: devarg epdm_ntb_bar=%u: BAR%u is not mapped, not readable or "
			"shorter than the vNTB control region (0x%x bytes)",
			fn->name, nb, nb, DW_NTB_CTRL_MIN_LEN);
		return -EINVAL;
	}
	if (b->access == DW_BAR_MMIO && epdm_mapped(fn, "vNTB control region", nb, 0,
			DW_NTB_CTRL_MIN_LEN) != 0)
		return -ENOTSUP;
	ver = epdm_rd(fn, nb, DW_NTB_CTRL_VERSION);
	if (ver == UINT32_MAX) {
		DW_LOG(ERR, "%s: vNTB control region in BAR%u reads all-ones (link down?)",
			fn->name, nb);
		return -EIO;
	}
	if (ver != DW_NTB_CTRL_VERSION_V1) {
		DW_LOG(ERR, "%s: vNTB control-layout version %u at BAR%u+0x%x carries no DMA "
			"locator (want %u)", fn->name, ver, nb, DW_NTB_CTRL_VERSION,
			DW_NTB_CTRL_VERSION_V1);
		return -EINVAL;
	}
	abi = epdm_rd(fn, nb, DW_NTB_DMA_ABI);
	if (abi != DW_NTB_DMA_ABI_V1) {
		DW_LOG(ERR, "%s: vNTB DMA locator ABI %u at BAR%u+0x%x: %s", fn->name, abi, nb,
			DW_NTB_DMA_ABI, abi == 0 ? "the endpoint exports no DMA slice" :
			"unsupported (want 1)");
		return abi == 0 ? -EINVAL : -ENOTSUP;
	}
	bar = epdm_rd(fn, nb, DW_NTB_DMA_BAR);
	if (bar >= DW_NUM_BARS) {
		DW_LOG(ERR, "%s: vNTB DMA locator BAR %u out of range 0..5", fn->name, bar);
		return -EINVAL;
	}
	e->from_ntb = true;
	e->ntb_bar = nb;
	e->bar = (uint8_t)bar;
	e->off = epdm_rd(fn, nb, DW_NTB_DMA_OFFSET);
	e->size = epdm_rd(fn, nb, DW_NTB_DMA_SIZE);
	nch = epdm_rd(fn, nb, DW_NTB_DMA_NUM_CHANS);
	/* ntb_hw_epf reserves one vector for an export that names no channel count */
	*irqs = nch != 0 ? nch : 1;
	link = epdm_rd(fn, nb, DW_NTB_LINK_STATUS);
	DW_LOG(INFO, "%s: vNTB DMA locator: ABI 1, slice BAR%u+0x%x size 0x%x, %u vectors; "
		"NTB link %s", fn->name, e->bar, e->off, e->size, *irqs,
		(link & DW_NTB_LINK_UP) ? "up" : "down (not required: no NTB protocol here)");
	return 0;
}

/* The slice position itself: BAR mapped, aligned, inside the BAR. */
static int
epdm_check_locator(struct dw_edma_fn *fn, struct dw_edma_epdm *e, bool size_known)
{
	const char *src = e->from_ntb ? "vNTB DMA locator" : "devarg";
	const struct dw_edma_bar *b = &fn->bars[e->bar];

	if (b->addr == NULL || b->access == DW_BAR_NO_META) {
		DW_LOG(ERR, "%s: %s: slice BAR%u is not a mapped, readable BAR", fn->name, src,
			e->bar);
		return -EINVAL;
	}
	/* the header holds 64-bit fields at their natural alignment */
	if ((e->off & 7) != 0) {
		DW_LOG(ERR, "%s: %s: slice offset 0x%x not 8-byte aligned", fn->name, src,
			e->off);
		return -EINVAL;
	}
	if (size_known) {
		if (e->size < DW_EPDM_HDR_SIZE) {
			DW_LOG(ERR, "%s: %s: slice size 0x%x smaller than the v1 header (0x%x)",
				fn->name, src, e->size, DW_EPDM_HDR_SIZE);
			return -EINVAL;
		}
		if (!range_fits(e->off, e->size, b->len)) {
			DW_LOG(ERR, "%s: %s: slice [0x%x, +0x%x) outside BAR%u (length 0x%"
				PRIx64 ")", fn->name, src, e->off, e->size, e->bar, b->len);
			return -EINVAL;
		}
	} else if (!range_fits(e->off, DW_EPDM_HDR_SIZE, b->len)) {
		DW_LOG(ERR, "%s: %s: slice header [0x%x, +0x%x) outside BAR%u (length 0x%"
			PRIx64 ")", fn->name, src, e->off, DW_EPDM_HDR_SIZE, e->bar, b->len);
		return -EINVAL;
	}
	if (b->access == DW_BAR_MMIO && epdm_mapped(fn, "slice header", e->bar, e->off,
			DW_EPDM_HDR_SIZE) != 0)
		return -ENOTSUP;
	return 0;
}

/* Header fields: the Linux host checks (hardware reference F.4), and ours (F.6). */
static int
epdm_check_header(struct dw_edma_fn *fn, struct dw_edma_epdm *e, bool size_known,
		uint32_t loc_irqs)
{
	uint64_t blen = fn->bars[e->bar].len;
	uint32_t magic, w, ver, hsz, total, irqs, n;

	magic = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_MAGIC);
	if (magic == UINT32_MAX) {
		DW_LOG(ERR, "%s: EPDM slice at BAR%u+0x%x reads all-ones (link down, or the "
			"slice is not mapped yet)", fn->name, e->bar, e->off);
		return -EIO;
	}
	if (magic != DW_EPDM_MAGIC) {
		DW_LOG(ERR, "%s: no EPDM slice at BAR%u+0x%x: magic reads 0x%08x, want 0x%08x",
			fn->name, e->bar, e->off, magic, DW_EPDM_MAGIC);
		return -EINVAL;
	}
	w = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_VER);
	ver = w & 0xffffu;
	hsz = w >> 16;
	if (ver != DW_EPDM_VERSION) {
		DW_LOG(ERR, "%s: EPDM header version %u unsupported (want %u)", fn->name, ver,
			DW_EPDM_VERSION);
		return -ENOTSUP;
	}
	if (hsz != DW_EPDM_HDR_SIZE) {
		DW_LOG(ERR, "%s: EPDM header hdr_size 0x%x, want 0x%x (the v1 header)",
			fn->name, hsz, DW_EPDM_HDR_SIZE);
		return -EINVAL;
	}
	total = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_TOTAL);
	if (size_known && total != e->size) {
		DW_LOG(ERR, "%s: EPDM header total_size 0x%x != slice size 0x%x (%s)", fn->name,
			total, e->size, e->from_ntb ? "vNTB locator DMA_SIZE" : "devarg epdm_size");
		return -EINVAL;
	}
	if (!size_known) {
		if (total < DW_EPDM_HDR_SIZE || !range_fits(e->off, total, blen)) {
			DW_LOG(ERR, "%s: EPDM header total_size 0x%x: slice [0x%x, +0x%x) smaller "
				"than its header or outside BAR%u (length 0x%" PRIx64 ")",
				fn->name, total, e->off, total, e->bar, blen);
			return -EINVAL;
		}
		e->size = total;
	}
	irqs = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_IRQS);
	if (irqs == 0) {
		DW_LOG(ERR, "%s: EPDM header irq_count is 0", fn->name);
		return -EINVAL;
	}
	if (e->from_ntb && irqs != loc_irqs) {
		DW_LOG(ERR, "%s: EPDM header irq_count %u != %u vectors of the vNTB locator "
			"(DMA_NUM_CHANS)", fn->name, irqs, loc_irqs);
		return -EINVAL;
	}
	n = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_NCH);
	if (n == 0 || n > DW_EPDM_MAX_CH || n > irqs) {
		DW_LOG(ERR, "%s: EPDM header num_chans %u not in 1..min(%u, irq_count %u)",
			fn->name, n, DW_EPDM_MAX_CH, irqs);
		return -EINVAL;
	}
	e->irq_count = irqs;
	e->num_chans = n;
	return 0;
}

/* The controller (register) window: inside its BAR, big enough, not the header. */
static int
epdm_check_ctrl(struct dw_edma_fn *fn, struct dw_edma_epdm *e)
{
	uint64_t need;

	e->ctrl_bar = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_CTRL_BAR);
	e->ctrl_off = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_CTRL_OFF);
	e->ctrl_size = epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_CTRL_SIZE);
	if (e->ctrl_size == 0) {
		DW_LOG(ERR, "%s: EPDM header ctrl_size is 0", fn->name);
		return -EINVAL;
	}
	if (e->ctrl_bar >= DW_NUM_BARS || fn->bars[e->ctrl_bar].addr == NULL) {
		DW_LOG(ERR, "%s: EPDM header ctrl_bar %u is not a mapped BAR", fn->name,
			e->ctrl_bar);
		return -EINVAL;
	}
	if (!range_fits(e->ctrl_off, e->ctrl_size, fn->bars[e->ctrl_bar].len)) {
		DW_LOG(ERR, "%s: EPDM controller window [0x%x, +0x%x) (ctrl_offset, ctrl_size) "
			"outside BAR%u (length 0x%" PRIx64 ")", fn->name, e->ctrl_off,
			e->ctrl_size, e->ctrl_bar, fn->bars[e->ctrl_bar].len);
		return -EINVAL;
	}
	if ((e->ctrl_off & 3) != 0) {
		DW_LOG(ERR, "%s: EPDM header ctrl_offset 0x%x not 4-byte aligned", fn->name,
			e->ctrl_off);
		return -EINVAL;
	}
	if (e->ctrl_bar == e->bar && overlap(e->ctrl_off, e->ctrl_size, e->off,
			DW_EPDM_HDR_SIZE)) {
		DW_LOG(ERR, "%s: EPDM controller window [0x%x, +0x%x) overlaps the slice header "
			"at BAR%u+0x%x", fn->name, e->ctrl_off, e->ctrl_size, e->bar, e->off);
		return -EINVAL;
	}
	/* v1 fixes the map to eDMA unroll: the highest exported read channel's block */
	need = dw_edma_v0_ops.reg_need(true, e->num_chans - 1);
	if (e->ctrl_size < need) {
		DW_LOG(ERR, "%s: EPDM header ctrl_size 0x%x too small for read channel %u "
			"(need 0x%" PRIx64 ")", fn->name, e->ctrl_size, e->num_chans - 1, need);
		return -EINVAL;
	}
	return epdm_mapped(fn, "controller window", e->ctrl_bar, e->ctrl_off, e->ctrl_size);
}

/* chans[i]: hardware read channel i (a dense prefix, hardware reference F.2). */
static int
epdm_parse_ch(struct dw_edma_fn *fn, const struct dw_edma_epdm *e, unsigned int i,
		struct dw_edma_meta_ch *c)
{
	uint64_t base = (uint64_t)e->off + DW_EPDM_OFF_CH(i), rel, lo32;
	uint32_t dbar;
	unsigned int j;

	dbar = epdm_rd(fn, e->bar, base + DW_EPDM_CH_DESC_BAR);
	c->hw_ch = (uint8_t)i;
	c->desc_off = epdm_rd(fn, e->bar, base + DW_EPDM_CH_DESC_OFF);
	c->desc_size = epdm_rd(fn, e->bar, base + DW_EPDM_CH_DESC_SIZE);
	c->desc_addr = ((uint64_t)epdm_rd(fn, e->bar, base + DW_EPDM_CH_PHYS_HI) << 32) |
		epdm_rd(fn, e->bar, base + DW_EPDM_CH_PHYS_LO);
	/* Linux's front end maps descriptor windows from the slice only: so do we */
	if (dbar != e->bar) {
		DW_LOG(ERR, "%s: EPDM chans[%u].desc_bar %u is not the slice's BAR%u", fn->name,
			i, dbar, e->bar);
		return -EINVAL;
	}
	c->desc_bar = (uint8_t)dbar;
	if (c->desc_size == 0) {
		DW_LOG(ERR, "%s: EPDM chans[%u].desc_size is 0", fn->name, i);
		return -EINVAL;
	}
	rel = c->desc_off - (uint64_t)e->off;
	if (c->desc_off < e->off || rel > e->size || c->desc_size > e->size - rel) {
		DW_LOG(ERR, "%s: EPDM chans[%u] descriptor window [0x%" PRIx64 ", +0x%x) "
			"outside the slice [0x%x, +0x%x) of BAR%u", fn->name, i, c->desc_off,
			c->desc_size, e->off, e->size, e->bar);
		return -EINVAL;
	}
	/* elements are written with 64-bit stores, fetched as 32-bit words */
	if ((c->desc_off & 7) != 0 || (c->desc_addr & 3) != 0) {
		DW_LOG(ERR, "%s: EPDM chans[%u] desc_offset 0x%" PRIx64 " not 8-byte or "
			"desc_phys_addr 0x%" PRIx64 " not 4-byte aligned", fn->name, i,
			c->desc_off, c->desc_addr);
		return -EINVAL;
	}
	if (c->desc_size < DW_EDMA_MIN_DESC_SIZE) {
		DW_LOG(ERR, "%s: EPDM chans[%u].desc_size 0x%x holds fewer than %u elements "
			"(a data element, its write-back, one free slot and the link)",
			fn->name, i, c->desc_size, DW_EDMA_MIN_DESC_SIZE / DW_LL_SLOT_SIZE);
		return -EINVAL;
	}
	if (overlap(c->desc_off, c->desc_size, e->off, DW_EPDM_HDR_SIZE)) {
		DW_LOG(ERR, "%s: EPDM chans[%u] descriptor window [0x%" PRIx64 ", +0x%x) "
			"overlaps the slice header", fn->name, i, c->desc_off, c->desc_size);
		return -EINVAL;
	}
	if (e->ctrl_bar == e->bar && overlap(c->desc_off, c->desc_size, e->ctrl_off,
			e->ctrl_size)) {
		DW_LOG(ERR, "%s: EPDM chans[%u] descriptor window [0x%" PRIx64 ", +0x%x) "
			"overlaps the controller window [0x%x, +0x%x)", fn->name, i,
			c->desc_off, c->desc_size, e->ctrl_off, e->ctrl_size);
		return -EINVAL;
	}
	/* same rules as the PEDM front end: LLP lo 0 reads like an engine reset */
	if ((c->desc_addr & UINT32_MAX) == 0) {
		DW_LOG(ERR, "%s: EPDM chans[%u].desc_phys_addr 0x%" PRIx64 " has a low word of "
			"0, which reads like an engine reset in LLP: not supported", fn->name,
			i, c->desc_addr);
		return -ENOTSUP;
	}
	lo32 = c->desc_addr & UINT32_MAX;
	if (c->desc_addr > UINT64_MAX - c->desc_size || lo32 + c->desc_size > (1ull << 32)) {
		DW_LOG(ERR, "%s: EPDM chans[%u].desc_phys_addr 0x%" PRIx64 " + desc_size 0x%x "
			"crosses a 4 GiB boundary", fn->name, i, c->desc_addr, c->desc_size);
		return -EINVAL;
	}
	for (j = 0; j < i; j++) {
		const struct dw_edma_meta_ch *o = &fn->meta.rd[j];

		if (overlap(c->desc_off, c->desc_size, o->desc_off, o->desc_size)) {
			DW_LOG(ERR, "%s: EPDM chans[%u] descriptor window [0x%" PRIx64 ", +0x%x) "
				"overlaps chans[%u]'s [0x%" PRIx64 ", +0x%x)", fn->name, i,
				c->desc_off, c->desc_size, j, o->desc_off, o->desc_size);
			return -EINVAL;
		}
		/* two rings at one endpoint address would be one ring */
		if (overlap(c->desc_addr, c->desc_size, o->desc_addr, o->desc_size)) {
			DW_LOG(ERR, "%s: EPDM chans[%u] desc_phys_addr 0x%" PRIx64 " overlaps "
				"chans[%u]'s ring at 0x%" PRIx64, fn->name, i, c->desc_addr, j,
				o->desc_addr);
			return -EINVAL;
		}
	}
	return epdm_mapped(fn, "descriptor window", e->bar, c->desc_off, c->desc_size);
}

int
dw_edma_epdm_discover(struct dw_edma_fn *fn)
{
	const struct dw_edma_epdm_opts *o = &fn->opts.epdm;
	struct dw_edma_meta *m = &fn->meta;
	struct dw_edma_epdm *e = &fn->epdm;
	uint32_t loc_irqs = 0;
	bool size_known;
	unsigned int i;
	int rc;

	memset(e, 0, sizeof(*e));
	memset(m, 0, sizeof(*m));
	if (o->has_ntb && (o->has_bar || o->has_off || o->has_size)) {
		DW_LOG(ERR, "%s: devarg epdm_ntb_bar reads the slice position from the vNTB "
			"locator: epdm_bar, epdm_offset and epdm_size go without it", fn->name);
		return -EINVAL;
	}
	if (!o->has_ntb && !o->has_bar) {
		DW_LOG(ERR, "%s: devargs epdm_offset/epdm_size need epdm_bar (or epdm_ntb_bar "
			"to read the vNTB locator)", fn->name);
		return -EINVAL;
	}
	if (o->has_ntb) {
		rc = epdm_locate_ntb(fn, e, &loc_irqs);
		if (rc != 0)
			return rc;
	} else {
		e->bar = o->bar;
		e->off = o->has_off ? o->off : 0;
		e->size = o->has_size ? o->size : 0;
	}
	/* the locator always gives the size, the devargs only with epdm_size */
	size_known = o->has_ntb || o->has_size;
	rc = epdm_check_locator(fn, e, size_known);
	if (rc == 0)
		rc = epdm_check_header(fn, e, size_known, loc_irqs);
	if (rc == 0)
		rc = epdm_check_ctrl(fn, e);
	for (i = 0; rc == 0 && i < e->num_chans; i++)
		rc = epdm_parse_ch(fn, e, i, &m->rd[i]);
	if (rc != 0)
		return rc;
	m->bar = e->bar;
	m->map_format = DW_MF_EDMA_UNROLL;
	m->reg_bar = (uint8_t)e->ctrl_bar;
	m->reg_off = e->ctrl_off;
	m->reg_size = e->ctrl_size;
	m->nb_wr = 0;
	m->nb_rd = (uint8_t)e->num_chans;
	m->es = 24;
	fn->backend = DW_BACKEND_V0;
	fn->reg = fn->bars[e->ctrl_bar].addr + e->ctrl_off;
	/*
	 * The ABI lets the endpoint export a prefix of its read channels, but
	 * the eDMA unroll per-direction registers (engine enable, doorbell,
	 * interrupt mask/clear) would then be shared with the endpoint's own
	 * read channels (hardware reference E.1): like the PEDM front end,
	 * accept only a direction exported whole. Reads the controller's CTRL
	 * register.
	 */
	rc = dw_edma_meta_whole_dirs(fn);
	if (rc != 0)
		return rc;
	fn->front = DW_FRONT_EPDM;
	DW_LOG(INFO, "%s: EPDM v1 slice at BAR%u+0x%x (0x%x bytes, %s): %u read channels, "
		"eDMA unroll registers in BAR%u+0x%x", fn->name, e->bar, e->off, e->size,
		e->from_ntb ? "vNTB locator" : "devargs", e->num_chans, e->ctrl_bar,
		e->ctrl_off);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Run time.
 */

/*
 * The CTRL word the PEDM front end would read, made up from the slice: all-
 * ones while the link is down, READY while the magic reads back. HOST_REQ
 * always reads set, so the error-state probe never tries to raise it.
 */
uint32_t
dw_edma_epdm_ctrl(struct dw_edma_chan *ch)
{
	const struct dw_edma_fn *fn = ch->fn;
	uint32_t v;

	ch->cnt.mmio_reads++;
	v = epdm_rd(fn, fn->epdm.bar, fn->epdm.off + DW_EPDM_OFF_MAGIC);
	if (v == UINT32_MAX)
		return UINT32_MAX;
	return DW_META_CTRL_HOST_REQ | (v == DW_EPDM_MAGIC ? DW_META_CTRL_READY : 0);
}

/*
 * After the magic came back: does the slice (and the vNTB locator it was
 * found through) still describe this channel as at probe? 0 or -EINVAL,
 * logged once with the field that changed.
 */
int
dw_edma_epdm_recheck(struct dw_edma_chan *ch)
{
	const struct dw_edma_fn *fn = ch->fn;
	const struct dw_edma_epdm *e = &fn->epdm;
	const struct dw_edma_meta_ch *mc = &fn->meta.rd[ch->hw_ch];
	uint64_t base = (uint64_t)e->off + DW_EPDM_OFF_CH(ch->hw_ch), phys;
	const char *what = NULL;
	uint32_t n = e->num_chans;

	if (e->from_ntb && (epdm_rd(fn, e->ntb_bar, DW_NTB_CTRL_VERSION) !=
			DW_NTB_CTRL_VERSION_V1 ||
			epdm_rd(fn, e->ntb_bar, DW_NTB_DMA_ABI) != DW_NTB_DMA_ABI_V1 ||
			epdm_rd(fn, e->ntb_bar, DW_NTB_DMA_BAR) != e->bar ||
			epdm_rd(fn, e->ntb_bar, DW_NTB_DMA_OFFSET) != e->off ||
			epdm_rd(fn, e->ntb_bar, DW_NTB_DMA_SIZE) != e->size))
		what = "vNTB DMA locator";
	else if (epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_MAGIC) != DW_EPDM_MAGIC ||
			epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_VER) !=
			(DW_EPDM_VERSION | (DW_EPDM_HDR_SIZE << 16)))
		what = "magic/version/hdr_size";
	else if (epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_TOTAL) != e->size)
		what = "total_size";
	else if (epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_CTRL_BAR) != e->ctrl_bar ||
			epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_CTRL_OFF) != e->ctrl_off ||
			epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_CTRL_SIZE) != e->ctrl_size)
		what = "controller window";
	else if (epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_IRQS) != e->irq_count ||
			epdm_rd(fn, e->bar, e->off + DW_EPDM_OFF_NCH) != n)
		what = "irq_count/num_chans";
	else if (epdm_rd(fn, e->bar, base + DW_EPDM_CH_DESC_BAR) != mc->desc_bar ||
			epdm_rd(fn, e->bar, base + DW_EPDM_CH_DESC_OFF) != mc->desc_off ||
			epdm_rd(fn, e->bar, base + DW_EPDM_CH_DESC_SIZE) != mc->desc_size)
		what = "descriptor window";
	if (what == NULL) {
		phys = ((uint64_t)epdm_rd(fn, e->bar, base + DW_EPDM_CH_PHYS_HI) << 32) |
			epdm_rd(fn, e->bar, base + DW_EPDM_CH_PHYS_LO);
		if (phys != mc->desc_addr)
			what = "desc_phys_addr";
	}
	if (what == NULL)
		return 0;
	if (!ch->meta_changed)
		DW_LOG(ERR, "%s: EPDM slice %s changed while the slice was unreadable", ch->name,
			what);
	return -EINVAL;
}

void
dw_edma_epdm_dump(const struct dw_edma_fn *fn, FILE *f)
{
	const struct dw_edma_epdm *e = &fn->epdm;

	fprintf(f, "  EPDM v1 slice: BAR%u + 0x%x size 0x%x (", e->bar, e->off, e->size);
	if (e->from_ntb)
		fprintf(f, "vNTB locator in BAR%u", e->ntb_bar);
	else
		fprintf(f, "devargs");
	fprintf(f, "), %u read channels, irq_count %u, eDMA unroll (0x%x)\n", e->num_chans,
		e->irq_count, fn->meta.map_format);
	fprintf(f, "  registers: BAR%u + 0x%x size 0x%x; function %u\n", e->ctrl_bar,
		e->ctrl_off, e->ctrl_size, fn->func_num);
	if (fn->opts.has_m2m)
		fprintf(f, "  m2m_base: 0x%" PRIx64 "\n", fn->opts.m2m_base);
}
