/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * The vNTB "EPDM" ABI v1 export (hardware reference F): instead of, or beside,
 * the PEDM blob the endpoint publishes a slice in one BAR,
 *
 *   [header][controller window, optional][descriptor window 0]...[N-1]
 *
 * every region aligned to the endpoint controller's alignment (slice_align),
 * exporting the read channels only, eDMA unroll registers, and no
 * HOST_REQ/READY handshake: the channels are the host's from creation. The
 * slice is found through a locator in the vNTB control region (a page at
 * offset 0 of ntb_bar), as the vNTB series' ntb_hw_epf reads it, or named
 * to the host driver directly.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_string_fns.h>

#include "ep_model_internal.h"

bool
epm_epdm_key(const char *key)
{
	return strcmp(key, "export") == 0 || strncmp(key, "slice_", 6) == 0 ||
		strcmp(key, "ntb_bar") == 0;
}

int
epm_epdm_apply_key(struct epm_cfg *c, const char *key, const char *val)
{
	uint64_t v;
	int rc;

	if (strcmp(key, "export") == 0) {
		if (val != NULL && strcmp(val, "pedm") == 0)
			c->export = EPM_EXPORT_PEDM;
		else if (val != NULL && strcmp(val, "epdm") == 0)
			c->export = EPM_EXPORT_EPDM;
		else if (val != NULL && strcmp(val, "both") == 0)
			c->export = EPM_EXPORT_BOTH;
		else
			goto bad_word;
		return 0;
	}
	if (strcmp(key, "slice_ctrl") == 0) {
		if (val != NULL && strcmp(val, "inside") == 0)
			c->slice_ctrl_out = false;
		else if (val != NULL && strcmp(val, "outside") == 0)
			c->slice_ctrl_out = true;
		else
			goto bad_word;
		c->slice_keys = true;
		return 0;
	}
	c->slice_keys = true;
	if (strcmp(key, "ntb_bar") == 0) {
		c->ntb_bar_set = true;
		if (val != NULL && strcmp(val, "none") == 0) {
			c->ntb_bar = -1;
			return 0;
		}
		rc = epm_parse_u64(key, val, EP_MODEL_NUM_BARS - 1, &v);
		if (rc == 0)
			c->ntb_bar = (int)v;
		return rc;
	}
	if (strcmp(key, "slice_bar") == 0) {
		rc = epm_parse_u64(key, val, EP_MODEL_NUM_BARS - 1, &v);
		if (rc == 0) {
			c->slice_bar = (unsigned int)v;
			c->slice_bar_set = true;
		}
		return rc;
	}
	if (strcmp(key, "slice_file") == 0) {
		if (val == NULL || *val == '\0' ||
				strlcpy(c->slice_file, val, sizeof(c->slice_file)) >=
				sizeof(c->slice_file)) {
			EPM_LOG(ERR, "bad value '%s' for key 'slice_file'", val != NULL ? val : "");
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "slice_off") == 0)
		return epm_parse_u64(key, val, EPM_BAR_OFF_MAX, &c->slice_off);
	if (strcmp(key, "slice_align") == 0) {
		/* keeps the slice (8 windows of at most 16 MiB) within 32 bits */
		rc = epm_parse_u64(key, val, 1u << 20, &v);
		if (rc == 0 && (v < 8 || (v & (v - 1)) != 0)) {
			EPM_LOG(ERR, "bad value '%s' for key 'slice_align' (a power of two, "
				"8..0x100000)", val);
			rc = -EINVAL;
		}
		if (rc == 0)
			c->slice_align = v;
		return rc;
	}
	EPM_LOG(ERR, "unknown key '%s' (value '%s')", key, val != NULL ? val : "");
	return -EINVAL;
bad_word:
	EPM_LOG(ERR, "bad value '%s' for key '%s' (expected %s)", val != NULL ? val : "", key,
		key[0] == 'e' ? "pedm, epdm or both" : "inside or outside");
	return -EINVAL;
}

static const char *
export_name(enum epm_export e)
{
	return e == EPM_EXPORT_EPDM ? "epdm" : e == EPM_EXPORT_BOTH ? "both" : "pedm";
}

/* Cross-key rules of an EPDM export; runs before the general checks. */
int
epm_epdm_check_cfg(struct epm_cfg *c)
{
	const char *en = export_name(c->export);

	if (c->export == EPM_EXPORT_PEDM) {
		if (c->slice_keys) {
			EPM_LOG(ERR, "slice_* and ntb_bar keys place an EPDM slice: they need "
				"export=epdm or export=both");
			return -EINVAL;
		}
		return 0;
	}
	if (c->layout != EP_MODEL_MF_EDMA_UNROLL) {
		EPM_LOG(ERR, "export=%s: the EPDM v1 ABI fixes the register map to eDMA "
			"unroll (layout=edma-unroll)", en);
		return -EINVAL;
	}
	if (c->export == EPM_EXPORT_EPDM) {
		if (c->wr_set && c->wr != 0) {
			EPM_LOG(ERR, "export=epdm exports read channels only: wr=%u must be 0 "
				"(export=both delegates write channels through the PEDM blob)",
				c->wr);
			return -EINVAL;
		}
		c->wr = 0;
		if (c->metadata_file[0] != '\0') {
			EPM_LOG(ERR, "metadata_file replaces the PEDM blob, which export=epdm "
				"does not publish");
			return -EINVAL;
		}
	}
	if (c->rd == 0) {
		EPM_LOG(ERR, "export=%s: the slice needs a read channel (rd >= 1)", en);
		return -EINVAL;
	}
	if (c->desc_off_set) {
		EPM_LOG(ERR, "desc_off: with an EPDM slice the descriptor windows are placed in "
			"the slice (slice_bar, slice_off)");
		return -EINVAL;
	}
	if (!c->slice_ctrl_out && c->reg_set) {
		EPM_LOG(ERR, "reg_bar/reg_off: slice_ctrl=inside places the register window in "
			"the slice (slice_ctrl=outside keeps it there)");
		return -EINVAL;
	}
	if (c->slice_off % c->slice_align != 0) {
		EPM_LOG(ERR, "slice_off=0x%" PRIx64 " is not a multiple of slice_align=0x%"
			PRIx64, c->slice_off, c->slice_align);
		return -EINVAL;
	}
	if (c->slice_bar_set)
		c->desc_bar = c->slice_bar;
	else
		c->slice_bar = c->desc_bar;
	if (!c->slice_ctrl_out)
		c->reg_bar = c->slice_bar;
	if (!c->ntb_bar_set)
		c->ntb_bar = c->export == EPM_EXPORT_EPDM ? (int)c->meta_bar : -1;
	return 0;
}

/*
 * Place the slice as pci_epf_alloc_dma() builds it: the header, the
 * register window when it is inside, the read channels' descriptor windows,
 * each on an aligned boundary. Write channels (export=both) follow the
 * slice. Fills the register offset and the descriptor windows, adds the
 * regions for the overlap check. Returns the new region count.
 */
unsigned int
epm_epdm_place(struct ep_model *m, struct epm_region *reg, unsigned int n)
{
	struct epm_cfg *c = &m->cfg;
	uint64_t a = c->slice_align, cur = c->slice_off;
	uint64_t astride = RTE_ALIGN_CEIL(c->desc_size, 4096);
	unsigned int i, k;

	reg[n++] = (struct epm_region){ c->slice_bar, cur, EPM_EPDM_HDR_SIZE,
		"EPDM slice header" };
	cur += RTE_ALIGN_CEIL(EPM_EPDM_HDR_SIZE, a);
	if (!c->slice_ctrl_out) {
		c->reg_off = cur;
		cur += RTE_ALIGN_CEIL(m->reg_size, a);
	}
	for (i = 0; i < c->rd; i++) {
		k = c->wr + i;
		m->desc[k].bar_off = cur;
		cur += RTE_ALIGN_CEIL(c->desc_size, a);
	}
	m->slice_size = cur - c->slice_off;
	cur = RTE_ALIGN_CEIL(cur, 4096);
	for (i = 0; i < c->wr; i++) {
		m->desc[i].bar_off = cur;
		cur += astride;
	}
	for (k = 0; k < m->ndesc; k++) {
		m->desc[k].size = c->desc_size;
		m->desc[k].addr = c->desc_addr + k * astride;
		reg[n++] = (struct epm_region){ c->desc_bar, m->desc[k].bar_off, c->desc_size,
			"descriptor window" };
	}
	if (c->ntb_bar >= 0)
		reg[n++] = (struct epm_region){ (unsigned int)c->ntb_bar, 0, EPM_NTB_LEN,
			"vNTB control region" };
	return n;
}

static void
put_le32(uint8_t *base, uint64_t off, uint32_t v)
{
	epm_st32(base + off, rte_cpu_to_le_32(v));
}

/*
 * Write the header (struct pci_ep_dma_hdr_v1) and the locator, as at
 * creation; a re-init writes them again. Entries past num_chans stay 0.
 * With slice_file the image takes the header's place (loaded once): the
 * locator and the engine still follow the configuration.
 */
int
epm_epdm_build(struct ep_model *m)
{
	const struct epm_cfg *c = &m->cfg;
	uint32_t room = RTE_ALIGN_CEIL(EPM_EPDM_HDR_SIZE, c->slice_align);
	uint8_t *h, *ntb;
	unsigned int i, w;

	if (c->export == EPM_EXPORT_PEDM)
		return 0;
	if (c->slice_file[0] != '\0' && m->slice_img == NULL) {
		if (epm_meta_load_file(c->slice_file, &m->slice_img, &m->slice_img_len) != 0)
			return -EINVAL;
		if (m->slice_img_len > room) {
			EPM_LOG(ERR, "slice_file '%s': %u bytes exceed the header region (0x%x)",
				c->slice_file, m->slice_img_len, room);
			return -EINVAL;
		}
	}
	h = m->bar[c->slice_bar].mem + c->slice_off;
	for (w = 0; w < room; w += 4)
		put_le32(h, w, 0);
	if (m->slice_img != NULL) {
		for (w = 0; w < m->slice_img_len; w += 4) {
			uint32_t v;

			memcpy(&v, m->slice_img + w, 4);
			epm_st32(h + w, v);
		}
		goto shadow;
	}
	put_le32(h, 0x00, EPM_EPDM_MAGIC);
	put_le32(h, 0x04, 1 | (EPM_EPDM_HDR_SIZE << 16));	/* version, hdr_size */
	put_le32(h, 0x08, (uint32_t)m->slice_size);
	put_le32(h, 0x0c, c->reg_bar);
	put_le32(h, 0x10, (uint32_t)c->reg_off);
	put_le32(h, 0x14, m->reg_size);
	put_le32(h, 0x18, c->rd);				/* irq_count */
	put_le32(h, 0x1c, c->rd);				/* num_chans */
	for (i = 0; i < c->rd; i++) {
		const struct epm_desc *d = &m->desc[c->wr + i];
		uint32_t e = 0x20 + 24 * i;

		put_le32(h, e + 0x00, c->slice_bar);
		put_le32(h, e + 0x04, (uint32_t)d->bar_off);
		put_le32(h, e + 0x08, (uint32_t)d->size);
		put_le32(h, e + 0x10, (uint32_t)d->addr);
		put_le32(h, e + 0x14, (uint32_t)(d->addr >> 32));
	}
shadow:
	for (w = 0; w < EPM_EPDM_HDR_SIZE / 4; w++)
		m->slice_shadow[w] = epm_ld32(h + 4 * w);
	if (c->ntb_bar < 0)
		return 0;
	/* the locator words only: the rest of the region is the NTB protocol's */
	ntb = m->bar[c->ntb_bar].mem;
	put_le32(ntb, EPM_NTB_LINK_STATUS, 1u << 16);		/* LINK_STATUS_UP */
	put_le32(ntb, EPM_NTB_CTRL_VERSION, 1);
	put_le32(ntb, EPM_NTB_DMA_ABI, 1);
	put_le32(ntb, EPM_NTB_DMA_ABI + 4, c->slice_bar);
	put_le32(ntb, EPM_NTB_DMA_ABI + 8, (uint32_t)c->slice_off);
	put_le32(ntb, EPM_NTB_DMA_ABI + 12, (uint32_t)m->slice_size);
	put_le32(ntb, EPM_NTB_DMA_ABI + 16, c->rd);
	return 0;
}

static void
header_write(struct ep_model *m, unsigned int w, uint32_t v)
{
	m->stats.host_writes++;
	epm_violation(m, "write 0x%08x to EPDM slice header offset 0x%03x: read-only", v,
		w * 4);
	m->slice_shadow[w] = v;
}

/* The header is the endpoint's: any host store to it is a violation. */
void
epm_epdm_scan(struct ep_model *m)
{
	const uint8_t *h;
	unsigned int w;

	if (m->cfg.export == EPM_EXPORT_PEDM)
		return;
	h = m->bar[m->cfg.slice_bar].mem + m->cfg.slice_off;
	for (w = 0; w < EPM_EPDM_HDR_SIZE / 4; w++) {
		uint32_t v = epm_ld32(h + 4 * w);

		if (v != m->slice_shadow[w])
			header_write(m, w, v);
	}
}

/* A host write to a BAR word arrived as an explicit access. */
void
epm_epdm_write_seen(struct ep_model *m, unsigned int bar, uint64_t off)
{
	const struct epm_cfg *c = &m->cfg;

	if (c->export == EPM_EXPORT_PEDM || bar != c->slice_bar || off < c->slice_off ||
			off - c->slice_off >= EPM_EPDM_HDR_SIZE)
		return;
	off -= c->slice_off;
	header_write(m, (unsigned int)(off / 4),
		epm_ld32(m->bar[bar].mem + c->slice_off + (off & ~3ULL)));
}

/*
 * Is "a write while READY is 0" a violation? Only where READY means
 * something: a PEDM-only export, or export=both once the host took the PEDM
 * path by raising HOST_REQ. An EPDM host has no handshake: its channels
 * are its own from creation (the delegation rules still apply).
 */
bool
epm_ready_rule(const struct ep_model *m)
{
	return m->cfg.export == EPM_EXPORT_PEDM ||
		(m->cfg.export == EPM_EXPORT_BOTH && m->host_req_seen);
}
