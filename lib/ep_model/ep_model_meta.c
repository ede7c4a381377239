/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * The PEDM metadata blob (hardware reference A), its MSI-X neighbours, a
 * metadata image loaded from a file, and the HOST_REQ/READY handshake (hardware
 * reference B.3/B.4).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ep_model_internal.h"

#define EPM_META_FILE_MAX (1u << 20)

static void
put32(uint8_t *blob, uint32_t off, uint32_t v)
{
	blob[off] = v & 0xff;
	blob[off + 1] = (v >> 8) & 0xff;
	blob[off + 2] = (v >> 16) & 0xff;
	blob[off + 3] = (v >> 24) & 0xff;
}

int
epm_meta_load_file(const char *path, uint8_t **img, uint32_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long sz;

	if (f == NULL) {
		EPM_LOG(ERR, "metadata_file '%s': %s", path, strerror(errno));
		return -EINVAL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
			fseek(f, 0, SEEK_SET) != 0) {
		EPM_LOG(ERR, "metadata_file '%s': cannot size it", path);
		fclose(f);
		return -EINVAL;
	}
	if (sz == 0 || (unsigned long)sz > EPM_META_FILE_MAX) {
		EPM_LOG(ERR, "metadata_file '%s': size %ld not in 1..%u", path, sz,
			EPM_META_FILE_MAX);
		fclose(f);
		return -EINVAL;
	}
	buf = calloc(1, RTE_ALIGN_CEIL((size_t)sz, 4));
	if (buf == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		EPM_LOG(ERR, "metadata_file '%s': short read", path);
		free(buf);
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	*img = buf;
	*len = RTE_ALIGN_CEIL((uint32_t)sz, 4);
	return 0;
}

/* Length of the generated blob: header plus one entry per delegated channel. */
uint32_t
epm_meta_image_len(const struct ep_model *m)
{
	if (m->cfg.export == EPM_EXPORT_EPDM)
		return 0; /* the slice replaces the blob */
	return EPM_META_HDR_LEN + (m->cfg.wr + m->cfg.rd) * EPM_META_ES;
}

/*
 * Write the blob into the metadata BAR (m->meta, m->meta_len already set)
 * and, with msix=1, an MSI-X table at m->msix_off (ALIGN(len, 8) unless the
 * msix_off key moved it) followed by the PBA.
 */
int
epm_meta_build(struct ep_model *m, uint32_t msix_vectors)
{
	uint8_t *b = (uint8_t *)m->meta;
	const struct epm_cfg *c = &m->cfg;
	unsigned int i;

	if (m->meta_len == 0) {
		/* export=epdm: no blob */
	} else if (c->metadata_file[0] == '\0') {
		put32(b, 0x00, EPM_META_MAGIC);
		put32(b, 0x04, EPM_META_REV | (m->meta_len << 16));
		put32(b, EPM_META_CTRL, (c->reg_bar & 0x7) | ((c->wr & 0xff) << 3) |
			((c->rd & 0xff) << 11) | (EPM_META_ES << 19));
		put32(b, 0x0c, (uint32_t)c->reg_off);
		put32(b, 0x10, (uint32_t)(c->reg_off >> 32));
		put32(b, 0x14, EPM_LAYOUT_DW_EDMA | ((uint32_t)c->layout << 8));
		put32(b, 0x18, m->reg_size);
		for (i = 0; i < m->ndesc; i++) {
			const struct epm_desc *d = &m->desc[i];
			uint32_t e = EPM_META_HDR_LEN + i * EPM_META_ES;
			unsigned int hw_ch = i < c->wr ? i : i - c->wr;

			put32(b, e + 0x00, hw_ch | ((c->desc_bar & 0x7) << 8));
			put32(b, e + 0x04, (uint32_t)d->bar_off);
			put32(b, e + 0x08, (uint32_t)(d->bar_off >> 32));
			put32(b, e + 0x0c, (uint32_t)d->size);
			put32(b, e + 0x10, (uint32_t)d->addr);
			put32(b, e + 0x14, (uint32_t)(d->addr >> 32));
			/* AUX fields stay 0: the v4 EPF always writes A=0. */
		}
	} else if (m->meta_len >= EPM_META_CTRL + 4) {
		/* A loaded image starts with the handshake bits clear. */
		m->meta[EPM_META_CTRL / 4] &= ~(EPM_CTRL_HOST_REQ | EPM_CTRL_READY);
	}
	if (c->msix && msix_vectors > 0) {
		uint32_t tab = m->msix_off;

		/* Vector control bit 0 (masked) set, as after reset. */
		for (i = 0; i < msix_vectors; i++)
			put32(b, tab + i * 16 + 12, 1);
	}
	/* an EPDM-only export has no blob */
	if (m->meta_len > 0)
		memcpy(m->meta_shadow, m->meta, m->meta_len);
	return 0;
}

/* The model changes the CTRL word by compare-and-swap (hardware reference A.3 owners). */
static void meta_host_write(struct ep_model *m, uint32_t w, uint32_t v);

void
epm_meta_update(struct ep_model *m, uint32_t clear, uint32_t set)
{
	uint32_t w = EPM_META_CTRL / 4;

	if (m->meta_len < EPM_META_CTRL + 4)
		return;
	for (;;) {
		uint32_t exp = m->meta_shadow[w];
		uint32_t nv = (exp & ~clear) | set;

		if (__atomic_compare_exchange_n(&m->meta[w], &exp, nv, false,
				__ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
			m->meta_shadow[w] = nv;
			m->ready_val = (nv & EPM_CTRL_READY) != 0;
			return;
		}
		meta_host_write(m, w, exp);
	}
}

static void
meta_host_write(struct ep_model *m, uint32_t w, uint32_t v)
{
	uint32_t diff = v ^ m->meta_shadow[w];

	m->stats.host_writes++;
	if (w != EPM_META_CTRL / 4) {
		epm_violation(m, "write 0x%08x to metadata offset 0x%03x: read-only",
			v, w * 4);
		m->meta_shadow[w] = v;
		return;
	}
	/* export=both: from now on READY governs the host's writes */
	if (v & EPM_CTRL_HOST_REQ)
		m->host_req_seen = true;
	if (diff & EPM_CTRL_READY) {
		epm_violation(m, "write 0x%08x to metadata CTRL: %s READY, which only the "
			"endpoint sets", v, (v & EPM_CTRL_READY) ? "sets" : "clears");
	}
	if (diff & ~(EPM_CTRL_READY | EPM_CTRL_HOST_REQ))
		epm_violation(m, "write 0x%08x to metadata CTRL: changes read-only bits "
			"0x%08x", v, diff & ~(EPM_CTRL_READY | EPM_CTRL_HOST_REQ));
	m->meta_shadow[w] = v;
}

/* A host write to one blob word arrived as an explicit access: act on it. */
void
epm_meta_write_seen(struct ep_model *m, uint32_t off)
{
	if (off < m->meta_len)
		meta_host_write(m, off / 4, epm_ld32(&m->meta[off / 4]));
}

void
epm_meta_scan(struct ep_model *m)
{
	uint32_t w, n = m->meta_len / 4;

	for (w = 0; w < n; w++) {
		uint32_t v = epm_ld32(&m->meta[w]);

		if (v != m->meta_shadow[w])
			meta_host_write(m, w, v);
	}
	/* READY stays the endpoint's: undo a host change of it. */
	if (n > EPM_META_CTRL / 4 && ((m->meta_shadow[EPM_META_CTRL / 4] &
			EPM_CTRL_READY) != 0) != m->ready_val)
		epm_meta_update(m, EPM_CTRL_READY, m->ready_val ? EPM_CTRL_READY : 0);
}

/*
 * The endpoint's poll work: it looks at HOST_REQ only every ready_poll_ms
 * (first look one period after creation) and then sets READY.
 */
void
epm_handshake_tick(struct ep_model *m, uint64_t now)
{
	uint64_t period = m->cfg.ready_poll_ms * 1000000ULL;
	uint32_t ctrl;

	if (m->meta_len < EPM_META_CTRL + 4)
		return;
	if (period != 0) {
		if (now < m->next_poll_ns)
			return;
		m->next_poll_ns = now - (now - m->next_poll_ns) % period + period;
	}
	ctrl = m->meta_shadow[EPM_META_CTRL / 4];
	if ((ctrl & EPM_CTRL_HOST_REQ) && !(ctrl & EPM_CTRL_READY) && !m->ready_hold) {
		/* Writes made so far were made while READY was 0: judge them now. */
		epm_regs_scan(m);
		epm_meta_update(m, 0, EPM_CTRL_READY);
		m->ever_ready = true;
	}
}
