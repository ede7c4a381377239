/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Model instances: creation (BAR placement and memory), the registry by
 * name, and the public API around the engine.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_errno.h>
#include <rte_string_fns.h>

#include "ep_model_internal.h"

RTE_LOG_REGISTER_DEFAULT(epm_logtype, NOTICE);

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ep_model *registry;

/* Locking a const instance: the lock is not part of its observable state. */
static pthread_mutex_t *
lk(const struct ep_model *m)
{
	return (pthread_mutex_t *)(uintptr_t)&m->lock;
}

static uint64_t
pow2_at_least(uint64_t v)
{
	uint64_t p = 4096;

	while (p < v)
		p <<= 1;
	return p;
}

static void *
map_anon(uint64_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static uint32_t
reg_window_size(const struct epm_cfg *c)
{
	if (c->layout == EP_MODEL_MF_HDMA_NATIVE)
		return RTE_ALIGN_CEIL(RTE_MAX(c->hw_wr, c->hw_rd) * 0x200u, 4096u);
	if (c->layout == EP_MODEL_MF_EDMA_LEGACY)
		return 0x1000;
	return EDMA_REG_SIZE;
}

/* Place every region, size the BARs and check nothing overlaps. */
static int
layout_bars(struct ep_model *m, uint32_t msix_vectors, uint64_t bar_len[])
{
	const struct epm_cfg *c = &m->cfg;
	struct epm_region reg[6 + 2 * EPM_MAX_CH];
	unsigned int n = 0, i, j;
	uint64_t meta_total = m->meta_len, stride, base;

	if (c->msix && msix_vectors > 0) {
		uint64_t msix_len = msix_vectors * 16 +
			RTE_ALIGN_CEIL((msix_vectors + 63) / 64 * 8, 8);

		/* right after the blob, as the EPF places it, unless moved */
		if (c->msix_off_set) {
			m->msix_off = (uint32_t)c->msix_off;
			reg[n++] = (struct epm_region){ c->meta_bar, c->msix_off, msix_len,
				"MSI-X table and PBA" };
		} else {
			meta_total = m->msix_off + msix_len;
		}
	}
	if (m->meta_len != 0)
		reg[n++] = (struct epm_region){ c->meta_bar, 0,
			c->msix_off_set ? m->meta_len : meta_total, "metadata" };
	else if (meta_total != 0 && !c->msix_off_set)
		/* no blob (export=epdm): the MSI-X table alone */
		reg[n++] = (struct epm_region){ c->meta_bar, m->msix_off,
			meta_total - m->msix_off, "MSI-X table" };
	/* an EPDM slice places the descriptor (and maybe register) windows */
	if (c->export != EPM_EXPORT_PEDM)
		n = epm_epdm_place(m, reg, n);
	reg[n++] = (struct epm_region){ c->reg_bar, c->reg_off, m->reg_size,
		"register window" };
	stride = RTE_ALIGN_CEIL(c->desc_size, 4096);
	if (c->desc_off_set || c->desc_bar != c->reg_bar)
		base = c->desc_off;
	else
		base = RTE_ALIGN_CEIL(c->reg_off + m->reg_size, 4096);
	for (i = 0; i < m->ndesc && c->export == EPM_EXPORT_PEDM; i++) {
		m->desc[i].bar_off = base + i * stride;
		m->desc[i].size = c->desc_size;
		m->desc[i].addr = c->desc_addr + i * stride;
		reg[n++] = (struct epm_region){ c->desc_bar, m->desc[i].bar_off,
			c->desc_size, "descriptor window" };
	}
	for (i = 0; i < EP_MODEL_NUM_BARS; i++)
		bar_len[i] = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (reg[i].bar == reg[j].bar && reg[i].off < reg[j].off + reg[j].len &&
					reg[j].off < reg[i].off + reg[i].len) {
				EPM_LOG(ERR, "%s at BAR%u+0x%" PRIx64 " overlaps the %s at "
					"BAR%u+0x%" PRIx64 " (check meta_bar/msix_off/reg_bar/"
					"reg_off/desc_bar/desc_off/slice_*/ntb_bar)", reg[i].what,
					reg[i].bar, reg[i].off, reg[j].what, reg[j].bar,
					reg[j].off);
				return -EINVAL;
			}
		}
		bar_len[reg[i].bar] = RTE_MAX(bar_len[reg[i].bar],
			pow2_at_least(reg[i].off + reg[i].len));
	}
	return 0;
}

static void *
bar_alloc(struct ep_model *m, unsigned int bar, uint64_t len)
{
	if (m->env.bar_alloc != NULL)
		return m->env.bar_alloc(m->env.bar_ctx, bar, len);
	return map_anon(len);
}

static void
free_model(struct ep_model *m)
{
	unsigned int b;

	for (b = 0; b < EP_MODEL_NUM_BARS; b++) {
		if (m->bar[b].mem != NULL) {
			if (m->env.bar_free != NULL)
				m->env.bar_free(m->env.bar_ctx, b, m->bar[b].mem,
					m->bar[b].len);
			else if (m->env.bar_alloc == NULL)
				munmap(m->bar[b].mem, m->bar[b].len);
		}
		free(m->bar[b].saved);
	}
	if (m->ep_mem != NULL)
		munmap(m->ep_mem, m->cfg.ep_mem_size);
	free(m->shadow);
	free(m->meta_shadow);
	free(m->meta_img);
	free(m->slice_img);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->scanned);
	free(m);
}

static void
init_channels(struct ep_model *m)
{
	const struct epm_cfg *c = &m->cfg;
	unsigned int d, i, k;

	for (d = 0; d < 2; d++) {
		unsigned int deleg = d == 0 ? c->wr : c->rd;

		for (i = 0; i < EPM_MAX_CH; i++) {
			struct epm_chan *ch = &m->ch[d][i];

			memset(ch, 0, sizeof(*ch));
			ch->dir = d;
			ch->idx = i;
			ch->blk = epm_is_hdma_native(m) ? HDMA_CH_BASE(d, i) :
				EDMA_CH_BASE(d, i);
			ch->active = i < deleg && c->layout != EP_MODEL_MF_EDMA_LEGACY;
			ch->abort_left = -1;
			ch->corrupt_left = -1;
		}
	}
	for (k = 0; k < c->naborts; k++)
		m->ch[c->aborts[k].dir][c->aborts[k].ch].abort_left = c->aborts[k].nth;
	for (k = 0; k < c->ncorrupts; k++)
		m->ch[c->corrupts[k].dir][c->corrupts[k].ch].corrupt_left =
			c->corrupts[k].nth;
}

static uint64_t
ms_event(uint64_t ms)
{
	return ms == EPM_NONE ? EPM_NONE : ms * 1000000ULL;
}

struct ep_model *
ep_model_create(const char *name, const char *args)
{
	return ep_model_create_ext(name, args, NULL);
}

struct ep_model *
ep_model_create_ext(const char *name, const char *args, const struct ep_model_env *env)
{
	struct ep_model *m, *it;
	uint64_t bar_len[EP_MODEL_NUM_BARS];
	uint8_t *img = NULL;
	uint32_t img_len = 0, msix_vectors;
	unsigned int b;
	int rc;

	if (name == NULL || *name == '\0' || strlen(name) >= sizeof(m->name)) {
		EPM_LOG(ERR, "bad instance name '%s'", name != NULL ? name : "(null)");
		rte_errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	strlcpy(m->name, name, sizeof(m->name));
	if (env != NULL)
		m->env = *env;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->scanned, NULL);
	rc = epm_config_parse(args, &m->cfg);
	if (rc != 0)
		goto fail;
	if (m->cfg.metadata_file[0] != '\0') {
		rc = epm_meta_load_file(m->cfg.metadata_file, &img, &img_len);
		if (rc != 0)
			goto fail;
		m->meta_len = img_len;
	} else {
		m->meta_len = epm_meta_image_len(m);
	}
	m->reg_size = reg_window_size(&m->cfg);
	m->ndesc = m->cfg.wr + m->cfg.rd;
	msix_vectors = m->cfg.msix ? RTE_MAX(m->ndesc, 1u) : 0;
	m->msix_vectors = msix_vectors;
	m->msix_off = RTE_ALIGN_CEIL(m->meta_len, 8);
	/* a vNTB control region at offset 0 of the metadata BAR comes first */
	if (m->cfg.ntb_bar >= 0 && (unsigned int)m->cfg.ntb_bar == m->cfg.meta_bar)
		m->msix_off = RTE_MAX(m->msix_off, EPM_NTB_LEN);
	rc = layout_bars(m, msix_vectors, bar_len);
	if (rc != 0)
		goto fail;
	rc = -ENOMEM;
	for (b = 0; b < EP_MODEL_NUM_BARS; b++) {
		if (bar_len[b] == 0)
			continue;
		m->bar[b].mem = bar_alloc(m, b, bar_len[b]);
		if (m->bar[b].mem == NULL)
			goto fail;
		m->bar[b].len = bar_len[b];
	}
	m->ep_mem = map_anon(m->cfg.ep_mem_size);
	m->shadow = calloc(1, m->reg_size);
	/* export=epdm has no blob: never ask calloc for 0 bytes */
	m->meta_shadow = calloc(1, RTE_ALIGN_CEIL(m->meta_len, 4) + 4);
	m->meta_img = calloc(1, RTE_ALIGN_CEIL(m->meta_len, 4) + 4);
	if (m->ep_mem == NULL || m->shadow == NULL || m->meta_shadow == NULL ||
			m->meta_img == NULL)
		goto fail;
	m->regs = (uint32_t *)(m->bar[m->cfg.reg_bar].mem + m->cfg.reg_off);
	m->meta = (uint32_t *)m->bar[m->cfg.meta_bar].mem;
	for (b = 0; b < m->ndesc; b++)
		m->desc[b].host = m->bar[m->cfg.desc_bar].mem + m->desc[b].bar_off;
	if (img != NULL)
		memcpy(m->meta, img, img_len);
	free(img);
	img = NULL;
	epm_meta_build(m, msix_vectors);
	rc = epm_epdm_build(m);
	if (rc != 0)
		goto fail;
	/* What epc_init writes again on a re-init (H=R=0); none without a blob. */
	if (m->meta_len > 0)
		memcpy(m->meta_img, m->meta, m->meta_len);
	epm_regs_reset(m);
	init_channels(m);
	epm_regs_build_hot(m);
	m->next_poll_ns = m->cfg.ready_poll_ms * 1000000ULL;
	m->ev_link_down = ms_event(m->cfg.link_down_ms);
	m->ev_link_up = ms_event(m->cfg.link_up_ms);
	m->ev_ready_drop = ms_event(m->cfg.ready_drop_ms);
	m->ev_ready_restore = ms_event(m->cfg.ready_restore_ms);
	m->ev_reinit = ms_event(m->cfg.reinit_ms);

	pthread_mutex_lock(&registry_lock);
	for (it = registry; it != NULL; it = it->next)
		if (strcmp(it->name, name) == 0)
			break;
	if (it != NULL) {
		pthread_mutex_unlock(&registry_lock);
		EPM_LOG(ERR, "an instance named '%s' already exists", name);
		rc = -EEXIST;
		goto fail;
	}
	m->t0_ns = 0;
	if (m->cfg.thread) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		m->t0_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
		rc = epm_thread_start(m);
		if (rc != 0) {
			pthread_mutex_unlock(&registry_lock);
			goto fail;
		}
	}
	m->next = registry;
	registry = m;
	pthread_mutex_unlock(&registry_lock);
	EPM_LOG(INFO, "%s: created (layout %u, wr %u/%u, rd %u/%u, func %u, export %s)",
		name, m->cfg.layout, m->cfg.wr, m->cfg.hw_wr, m->cfg.rd, m->cfg.hw_rd,
		m->cfg.func, m->cfg.export == EPM_EXPORT_EPDM ? "epdm" :
		m->cfg.export == EPM_EXPORT_BOTH ? "both" : "pedm");
	return m;
fail:
	free(img);
	free_model(m);
	rte_errno = -rc;
	return NULL;
}

void
ep_model_destroy(struct ep_model *m)
{
	struct ep_model **pp;
	unsigned int d, i;

	if (m == NULL)
		return;
	pthread_mutex_lock(&registry_lock);
	for (pp = &registry; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	epm_thread_stop(m);
	pthread_mutex_lock(&m->lock);
	if (!m->link_down) {
		/* Release as the EPF's unbind does: quiesce, then clear H and R. */
		for (d = 0; d < 2; d++)
			for (i = 0; i < EPM_MAX_CH; i++) {
				struct epm_chan *c = &m->ch[d][i];

				if (c->active && c->state == EPM_CH_RUNNING) {
					c->state = EPM_CH_STOPPED;
					epm_ch_set_cs(m, c);
				}
			}
		epm_meta_update(m, EPM_CTRL_HOST_REQ | EPM_CTRL_READY, 0);
	}
	EPM_LOG(INFO, "%s: destroyed after %" PRIu64 " elements, %" PRIu64 " doorbells acted "
		"on, %" PRIu64 " ignored, %" PRIu64 " lost, %" PRIu64 " aborts, %" PRIu64
		" violations", m->name, m->stats.elements, m->stats.doorbells,
		m->stats.doorbells_ignored, m->stats.doorbells_lost, m->stats.aborts,
		m->stats.violations);
	pthread_mutex_unlock(&m->lock);
	free_model(m);
}

struct ep_model *
ep_model_find(const char *name)
{
	struct ep_model *it;

	if (name == NULL)
		return NULL;
	pthread_mutex_lock(&registry_lock);
	for (it = registry; it != NULL; it = it->next)
		if (strcmp(it->name, name) == 0)
			break;
	pthread_mutex_unlock(&registry_lock);
	return it;
}

int
ep_model_bar_get(const struct ep_model *m, unsigned int bar,
		struct ep_model_bar *out)
{
	if (m == NULL || out == NULL || bar >= EP_MODEL_NUM_BARS)
		return -EINVAL;
	out->addr = m->bar[bar].mem;
	out->len = m->bar[bar].len;
	return m->bar[bar].len == 0 ? -ENOENT : 0;
}

int
ep_model_info_get(const struct ep_model *m, struct ep_model_info *info)
{
	if (m == NULL || info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->name = m->name;
	info->map_format = m->cfg.layout;
	info->func_num = m->cfg.func;
	info->wr_delegated = m->cfg.wr;
	info->rd_delegated = m->cfg.rd;
	info->wr_hw = m->cfg.hw_wr;
	info->rd_hw = m->cfg.hw_rd;
	info->metadata_bar = m->cfg.meta_bar;
	info->ep_mem = m->ep_mem;
	info->ep_mem_addr = m->cfg.ep_mem_base;
	info->ep_mem_size = m->cfg.ep_mem_size;
	info->outbound_base = m->cfg.outbound_size != 0 ? m->cfg.outbound : 0;
	info->outbound_size = m->cfg.outbound_size;
	info->threaded = m->cfg.thread;
	info->meta_len = m->meta_len;
	info->msix_vectors = m->msix_vectors;
	if (m->msix_vectors != 0) {
		info->msix_table_off = m->msix_off;
		info->msix_pba_off = info->msix_table_off + m->msix_vectors * 16;
	}
	info->exports_pedm = m->cfg.export != EPM_EXPORT_EPDM;
	info->exports_epdm = m->cfg.export != EPM_EXPORT_PEDM;
	if (info->exports_epdm) {
		info->slice_bar = m->cfg.slice_bar;
		info->slice_off = (uint32_t)m->cfg.slice_off;
		info->slice_size = (uint32_t)m->slice_size;
		info->ntb_bar = (int8_t)m->cfg.ntb_bar;
	} else {
		info->ntb_bar = -1;
	}
	return 0;
}

void *
ep_model_ep_ptr(const struct ep_model *m, uint64_t ep_addr, uint64_t len)
{
	const struct epm_cfg *c;
	unsigned int i;

	if (m == NULL || ep_addr + len < ep_addr)
		return NULL;
	c = &m->cfg;
	if (ep_addr >= c->ep_mem_base && len <= c->ep_mem_size &&
			ep_addr - c->ep_mem_base <= c->ep_mem_size - len)
		return m->ep_mem + (ep_addr - c->ep_mem_base);
	for (i = 0; i < m->ndesc; i++) {
		const struct epm_desc *d = &m->desc[i];

		if (ep_addr >= d->addr && len <= d->size &&
				ep_addr - d->addr <= d->size - len)
			return d->host + (ep_addr - d->addr);
	}
	return NULL;
}

int
ep_model_poll(struct ep_model *m)
{
	int n;

	if (m == NULL)
		return -EINVAL;
	if (m->cfg.thread)
		return -EBUSY;
	pthread_mutex_lock(&m->lock);
	n = epm_pass(m, 1);
	pthread_mutex_unlock(&m->lock);
	return n;
}

int
ep_model_advance_us(struct ep_model *m, uint64_t us)
{
	if (m == NULL)
		return -EINVAL;
	if (m->cfg.thread)
		return -EBUSY;
	pthread_mutex_lock(&m->lock);
	/* Saturate: far beyond any test, and next-poll arithmetic stays exact. */
	if (us > EPM_CLOCK_MAX_NS / 1000 || m->clock_ns > EPM_CLOCK_MAX_NS - us * 1000)
		m->clock_ns = EPM_CLOCK_MAX_NS;
	else
		m->clock_ns += us * 1000ULL;
	epm_timed(m, m->clock_ns);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int
ep_model_stats_get(const struct ep_model *m, struct ep_model_stats *stats)
{
	if (m == NULL || stats == NULL)
		return -EINVAL;
	pthread_mutex_lock(lk(m));
	*stats = m->stats;
	pthread_mutex_unlock(lk(m));
	return 0;
}

uint64_t
ep_model_violations(const struct ep_model *m)
{
	uint64_t n;

	if (m == NULL)
		return 0;
	pthread_mutex_lock(lk(m));
	n = m->nviol;
	pthread_mutex_unlock(lk(m));
	return n;
}

int
ep_model_violation_get(const struct ep_model *m, unsigned int idx,
		char *buf, size_t len)
{
	int rc = -ENOENT;

	if (m == NULL || buf == NULL || len == 0)
		return -EINVAL;
	pthread_mutex_lock(lk(m));
	if (idx < m->nviol && idx < EPM_MAX_VIOL_TEXT) {
		strlcpy(buf, m->viol[idx], len);
		rc = 0;
	}
	pthread_mutex_unlock(lk(m));
	return rc;
}

void
ep_model_violations_clear(struct ep_model *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	m->nviol = 0;
	m->stats.violations = 0;
	pthread_mutex_unlock(&m->lock);
}

static struct epm_chan *
api_chan(struct ep_model *m, enum ep_model_dir dir, unsigned int ch)
{
	if (m == NULL || (dir != EP_MODEL_DIR_WR && dir != EP_MODEL_DIR_RD) ||
			ch >= EPM_MAX_CH || !m->ch[dir][ch].active)
		return NULL;
	return &m->ch[dir][ch];
}

int
ep_model_inject_abort(struct ep_model *m, enum ep_model_dir dir,
		unsigned int ch, uint32_t nth)
{
	struct epm_chan *c = api_chan(m, dir, ch);

	if (c == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	c->abort_left = nth;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int
ep_model_inject_corruption(struct ep_model *m, enum ep_model_dir dir,
		unsigned int ch, uint32_t nth)
{
	struct epm_chan *c = api_chan(m, dir, ch);

	if (c == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	c->corrupt_left = nth;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int
ep_model_link_set(struct ep_model *m, bool up)
{
	if (m == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (up)
		epm_link_up(m);
	else
		epm_link_down(m);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int
ep_model_ready_set(struct ep_model *m, bool ready)
{
	if (m == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (ready)
		epm_ready_restore(m);
	else
		epm_ready_drop(m);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int
ep_model_reinit(struct ep_model *m)
{
	if (m == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	epm_reinit(m);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int
ep_model_timing_set(struct ep_model *m, uint64_t element_ns,
		uint64_t bytes_per_sec)
{
	if (m == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	m->cfg.element_ns = element_ns;
	m->cfg.bandwidth = bytes_per_sec;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

/*
 * Which watched word, if any, a BAR offset falls in: the register window
 * (register semantics) or the metadata blob (CTRL handshake, read-only
 * rest). Everything else of a BAR is plain memory to the model.
 */
static void
bar_word_written(struct ep_model *m, unsigned int bar, uint64_t word_off)
{
	const struct epm_cfg *c = &m->cfg;

	if (bar == c->reg_bar && word_off >= c->reg_off &&
			word_off - c->reg_off < m->reg_size) {
		epm_reg_write_seen(m, (uint32_t)(word_off - c->reg_off));
		return;
	}
	if (bar == c->meta_bar && word_off < m->meta_len) {
		epm_meta_write_seen(m, (uint32_t)word_off);
		return;
	}
	epm_epdm_write_seen(m, bar, word_off);
}

static int
bar_access_check(const struct ep_model *m, unsigned int bar, uint64_t off,
		unsigned int size)
{
	if (m == NULL || bar >= EP_MODEL_NUM_BARS || m->bar[bar].len == 0)
		return -EINVAL;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	if (off % size != 0 || off > m->bar[bar].len - size)
		return -EINVAL;
	return 0;
}

int
ep_model_bar_read(struct ep_model *m, unsigned int bar, uint64_t off, unsigned int size,
		uint64_t *val)
{
	const uint8_t *p;
	uint64_t v = 0;
	unsigned int i;

	if (val == NULL || bar_access_check(m, bar, off, size) != 0)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (m->link_down) {
		pthread_mutex_unlock(&m->lock);
		*val = size == 8 ? UINT64_MAX : (1ULL << (8 * size)) - 1;
		return 0;
	}
	p = m->bar[bar].mem + off;
	if (size >= 4) {
		for (i = 0; i < size / 4; i++)
			v |= (uint64_t)epm_ld32(p + 4 * i) << (32 * i);
	} else {
		uint32_t w = epm_ld32(m->bar[bar].mem + (off & ~3ULL));

		v = (w >> (8 * (off & 3))) & ((1u << (8 * size)) - 1);
	}
	pthread_mutex_unlock(&m->lock);
	*val = v;
	return 0;
}

int
ep_model_bar_write(struct ep_model *m, unsigned int bar, uint64_t off, unsigned int size,
		uint64_t val)
{
	uint8_t *base;
	unsigned int i;

	if (bar_access_check(m, bar, off, size) != 0)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (m->link_down) {
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	base = m->bar[bar].mem;
	if (size >= 4) {
		/* low word first, as a 64-bit write lands in little-endian order */
		for (i = 0; i < size / 4; i++) {
			uint64_t w = off + 4 * i;

			epm_st32(base + w, (uint32_t)(val >> (32 * i)));
			bar_word_written(m, bar, w);
		}
	} else {
		uint64_t w = off & ~3ULL;
		unsigned int sh = 8 * (off & 3);
		uint32_t mask = ((1u << (8 * size)) - 1) << sh;
		uint32_t old = epm_ld32(base + w);

		epm_st32(base + w, (old & ~mask) | (((uint32_t)val << sh) & mask));
		bar_word_written(m, bar, w);
	}
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int
ep_model_sync(struct ep_model *m, unsigned int timeout_ms)
{
	struct timespec end;
	uint64_t target;
	int rc = 0;

	if (m == NULL)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (!m->cfg.thread) {
		if (!m->link_down)
			epm_full_scan(m);
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	/* no scan runs while we hold the lock: the next one sees every write */
	target = m->full_scans + 1;
	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	while (m->full_scans < target && rc == 0)
		rc = pthread_cond_timedwait(&m->scanned, &m->lock, &end);
	pthread_mutex_unlock(&m->lock);
	return rc == 0 ? 0 : -ETIMEDOUT;
}
