/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Endpoint functions: the registry in shared memory, the attach entry point
 * every bus goes through (discovery, then one rte_dma device per delegated
 * channel), the secondary-process attach, and the driver's devargs.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_kvargs.h>
#include <rte_memzone.h>
#include <rte_string_fns.h>

#include "dw_edma_internal.h"

#define DW_EDMA_REGISTRY_MZ	"dw_edma_fns"

/* Shared between the processes of a group; created by the first primary attach. */
struct dw_edma_registry {
	rte_spinlock_t lock;
	struct dw_edma_fn fns[DW_EDMA_MAX_FNS];
};

static struct dw_edma_registry *dw_registry;
static struct dw_edma_fn_local dw_locals[DW_EDMA_MAX_FNS];

struct dw_edma_fn_local *
dw_edma_fn_local(const struct dw_edma_fn *fn)
{
	return &dw_locals[fn->slot];
}

static struct dw_edma_registry *
registry_get(bool create)
{
	const struct rte_memzone *mz;

	if (dw_registry != NULL)
		return dw_registry;
	mz = rte_memzone_lookup(DW_EDMA_REGISTRY_MZ);
	if (mz == NULL && create && rte_eal_process_type() == RTE_PROC_PRIMARY) {
		mz = rte_memzone_reserve(DW_EDMA_REGISTRY_MZ, sizeof(*dw_registry),
			SOCKET_ID_ANY, 0);
		if (mz != NULL) {
			memset(mz->addr, 0, sizeof(*dw_registry));
			rte_spinlock_init(&((struct dw_edma_registry *)mz->addr)->lock);
		}
	}
	if (mz != NULL)
		dw_registry = mz->addr;
	return dw_registry;
}

static struct dw_edma_fn *
fn_find(const char *name)
{
	struct dw_edma_registry *r = registry_get(false);
	unsigned int i;

	if (r == NULL)
		return NULL;
	for (i = 0; i < DW_EDMA_MAX_FNS; i++)
		if (r->fns[i].in_use && strcmp(r->fns[i].name, name) == 0)
			return &r->fns[i];
	return NULL;
}

static struct dw_edma_fn *
fn_alloc(const char *name)
{
	struct dw_edma_registry *r = registry_get(true);
	struct dw_edma_fn *fn = NULL;
	unsigned int i;

	if (r == NULL) {
		DW_LOG(ERR, "%s: cannot reserve the function registry (%s)", name,
			DW_EDMA_REGISTRY_MZ);
		return NULL;
	}
	rte_spinlock_lock(&r->lock);
	for (i = 0; i < DW_EDMA_MAX_FNS; i++) {
		if (r->fns[i].in_use)
			continue;
		fn = &r->fns[i];
		memset(fn, 0, sizeof(*fn));
		fn->in_use = true;
		fn->slot = i;
		rte_strscpy(fn->name, name, sizeof(fn->name));
		rte_spinlock_init(&fn->lock);
		break;
	}
	rte_spinlock_unlock(&r->lock);
	if (fn == NULL)
		DW_LOG(ERR, "%s: more than %u endpoint functions", name, DW_EDMA_MAX_FNS);
	return fn;
}

static void
fn_free(struct dw_edma_fn *fn)
{
	if (fn == NULL)
		return;
	memset(&dw_locals[fn->slot], 0, sizeof(dw_locals[fn->slot]));
	rte_spinlock_lock(&dw_registry->lock);
	fn->in_use = false;
	rte_spinlock_unlock(&dw_registry->lock);
}

struct dw_edma_chan *
dw_edma_chan_of(int16_t dev_id)
{
	struct dw_edma_registry *r = registry_get(false);
	unsigned int i, k;

	if (r == NULL)
		return NULL;
	for (i = 0; i < DW_EDMA_MAX_FNS; i++) {
		struct dw_edma_fn *fn = &r->fns[i];

		if (!fn->in_use)
			continue;
		for (k = 0; k < fn->nb_chans; k++)
			if (fn->chans[k] != NULL && fn->chans[k]->dev_id == dev_id)
				return fn->chans[k];
	}
	return NULL;
}

/* ---------------------------------------------------------------------------
 * Devargs.
 */
static const char *const dw_devarg_keys[] = {
	"ready_timeout_ms", "m2m_base", "completion", "stall_us", "stall_fail_ms",
	"epdm_bar", "epdm_offset", "epdm_size", "epdm_ntb_bar", NULL,
};

RTE_EXPORT_INTERNAL_SYMBOL(dw_edma_devarg_key)
bool
dw_edma_devarg_key(const char *key)
{
	unsigned int i;

	for (i = 0; dw_devarg_keys[i] != NULL; i++)
		if (strcmp(key, dw_devarg_keys[i]) == 0)
			return true;
	return false;
}

static int
opts_parse_kv(struct dw_edma_opts *o, const char *key, const char *value, const char *where)
{
	unsigned long long v;
	char *end = NULL;

	if (!dw_edma_devarg_key(key)) {
		DW_LOG(ERR, "%s: unknown devarg '%s'", where, key);
		return -EINVAL;
	}
	if (value == NULL || *value == '\0') {
		DW_LOG(ERR, "%s: devarg %s needs a value", where, key);
		return -EINVAL;
	}
	if (strncmp(key, "epdm_", 5) == 0)
		return dw_edma_epdm_opt(&o->epdm, key, value, where);
	if (strcmp(key, "completion") == 0) {
		if (strcmp(value, "auto") == 0) {
			o->cpl = DW_CPL_OPT_AUTO;
		} else if (strcmp(value, "llp") == 0) {
			o->cpl = DW_CPL_OPT_LLP;
		} else if (strcmp(value, "imwr") == 0) {
			o->cpl = DW_CPL_OPT_IMWR;
		} else {
			DW_LOG(ERR, "%s: devarg completion=%s: expected auto, llp or imwr",
				where, value);
			return -EINVAL;
		}
		return 0;
	}
	errno = 0;
	v = strtoull(value, &end, 0);
	if (errno != 0 || end == value || *end != '\0' || value[0] == '-') {
		DW_LOG(ERR, "%s: devarg %s=%s is not a number", where, key, value);
		return -EINVAL;
	}
	if (strcmp(key, "ready_timeout_ms") == 0 || strcmp(key, "stall_fail_ms") == 0) {
		if (v > 3600000) {
			DW_LOG(ERR, "%s: devarg %s=%s above 3600000", where, key, value);
			return -EINVAL;
		}
		if (key[0] == 'r')
			o->ready_timeout_ms = v;
		else
			o->stall_fail_ms = v;
	} else if (strcmp(key, "stall_us") == 0) {
		if (v == 0 || v > 10000000) {
			DW_LOG(ERR, "%s: devarg stall_us=%s not in 1..10000000", where, value);
			return -EINVAL;
		}
		o->stall_us = v;
	} else {
		o->m2m_base = v;
		o->has_m2m = true;
	}
	return 0;
}

static int
opts_parse(struct dw_edma_opts *o, const char *args, const char *where)
{
	struct rte_kvargs *kv;
	unsigned int i;
	int rc = 0;

	if (args == NULL || args[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		DW_LOG(ERR, "%s: cannot parse devargs '%s'", where, args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count && rc == 0; i++)
		rc = opts_parse_kv(o, kv->pairs[i].key, kv->pairs[i].value, where);
	rte_kvargs_free(kv);
	return rc;
}

/* ---------------------------------------------------------------------------
 * Devices.
 */
static void
fn_destroy_devs(struct dw_edma_fn *fn)
{
	unsigned int i;

	for (i = 0; i < fn->nb_chans; i++) {
		struct dw_edma_chan *ch = fn->chans[i];

		if (ch == NULL)
			continue;
		if (ch->started && rte_eal_process_type() == RTE_PROC_PRIMARY)
			rte_dma_stop(ch->dev_id);
		rte_dma_pmd_release(fn->dev_names[i]);
		if (rte_eal_process_type() == RTE_PROC_PRIMARY)
			fn->chans[i] = NULL;
	}
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		fn->nb_chans = 0;
}

/* Primary: a new rte_dma device for delegated channel (rd, i). */
static int
chan_create(struct dw_edma_fn *fn, struct rte_device *rdev, bool rd, unsigned int i)
{
	const struct dw_edma_meta_ch *mc = rd ? &fn->meta.rd[i] : &fn->meta.wr[i];
	unsigned int k = fn->nb_chans;
	char *name = fn->dev_names[k];
	char tmp[RTE_DEV_NAME_MAX_LEN];
	struct rte_dma_dev *dev;
	struct dw_edma_chan *ch;
	uint32_t slots;

	if (snprintf(tmp, sizeof(tmp), "%.*s-%s%u", (int)(sizeof(tmp) - 8), fn->name,
			rd ? "rd" : "wr", i & 0xf) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	rte_strscpy(name, tmp, RTE_DEV_NAME_MAX_LEN);
	dev = rte_dma_pmd_allocate(name, rdev->numa_node, sizeof(*ch));
	if (dev == NULL) {
		DW_LOG(ERR, "%s: cannot allocate dmadev", name);
		return -ENOMEM;
	}
	ch = dev->data->dev_private;
	ch->name = name;
	ch->fn = fn;
	ch->backend = fn->backend;
	ch->rd = rd;
	ch->hw_ch = mc->hw_ch;
	ch->regs = fn->reg + (fn->backend == DW_BACKEND_HDMA ?
		DW_HDMA_CH_BASE(rd, i) : DW_V0_CH_BASE(rd, i));
	ch->desc = fn->bars[mc->desc_bar].addr + mc->desc_off;
	ch->desc_size = mc->desc_size;
	ch->desc_addr = mc->desc_addr;
	/* one slot for the link; job ids are 16-bit */
	slots = RTE_MIN(mc->desc_size / DW_LL_SLOT_SIZE, (uint32_t)UINT16_MAX);
	ch->nb_slots = slots - 1;
	/* one slot always free, one for the write-back of the open batch */
	ch->max_desc = ch->nb_slots - 2;
	/* the largest copy_sg (2 * max_sges - 1 elements) fits an empty ring */
	ch->max_sges = RTE_MIN((uint32_t)DW_EDMA_MAX_SGES, (ch->nb_slots - 1u) / 2);
	ch->dev_id = dev->data->dev_id;
	ch->m2m_base = fn->opts.m2m_base;
	ch->stall_cycles = rte_get_timer_hz() * fn->opts.stall_us / 1000000;
	ch->fail_cycles = rte_get_timer_hz() * fn->opts.stall_fail_ms / 1000;
	/* what chan_info reports before the first start */
	ch->cpl = dw_edma_chan_cpl_mode(ch);
	/* the doorbell write of the fast path, resolved once */
	if (fn->backend == DW_BACKEND_HDMA) {
		ch->db_reg = ch->regs + DW_HDMA_DOORBELL;
		ch->db_val = DW_HDMA_DB_START;
	} else {
		ch->db_reg = fn->reg + (rd ? DW_V0_RD_DOORBELL : DW_V0_WR_DOORBELL);
		ch->db_val = ch->hw_ch;
	}
	dev->device = rdev;
	dw_edma_dev_init(dev, ch);
	fn->chans[k] = ch;
	fn->nb_chans++;
	/* the host owns the channel from now: make sure it is quiet */
	chan_ops(ch)->quiesce(ch);
	memset(&ch->cnt, 0, sizeof(ch->cnt));
	DW_LOG(INFO, "%s: dmadev %d, %u-byte descriptor window, max_desc %u", name,
		ch->dev_id, ch->desc_size, ch->max_desc);
	return 0;
}

static int
fn_create_devs(struct dw_edma_fn *fn, struct rte_device *rdev)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < fn->meta.nb_wr && rc == 0; i++)
		rc = chan_create(fn, rdev, false, i);
	for (i = 0; i < fn->meta.nb_rd && rc == 0; i++)
		rc = chan_create(fn, rdev, true, i);
	if (rc != 0)
		fn_destroy_devs(fn);
	return rc;
}

/*
 * Secondary: the devices the primary created, with this process's own
 * function pointers. No register is touched.
 */
static int
fn_attach_secondary(struct dw_edma_fn *fn, struct rte_device *rdev)
{
	unsigned int i;

	for (i = 0; i < fn->nb_chans; i++) {
		struct rte_dma_dev *dev;

		if (fn->chans[i] == NULL)
			continue;
		dev = rte_dma_pmd_allocate(fn->dev_names[i], rdev->numa_node,
			sizeof(struct dw_edma_chan));
		if (dev == NULL) {
			DW_LOG(ERR, "%s: cannot attach to the primary's dmadev %s", fn->name,
				fn->dev_names[i]);
			return -ENODEV;
		}
		dev->device = rdev;
		dw_edma_dev_init(dev, dev->data->dev_private);
	}
	return 0;
}

/* Metadata accessors of the plain BAR mapping. */
static uint32_t
mmio_rd32(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off)
{
	return rte_read32(fn->bars[bar].addr + off);
}

static void
mmio_wr32(struct dw_edma_fn *fn, uint8_t bar, uint64_t off, uint32_t v)
{
	rte_write32(v, fn->bars[bar].addr + off);
}

int
dw_edma_fn_attach_io(const struct dw_edma_fn_desc *d,
		int (*io_setup)(struct dw_edma_fn *fn, struct dw_edma_fn_local *loc, void *arg),
		void *io_arg)
{
	struct dw_edma_fn_local *loc;
	struct dw_edma_fn *fn;
	unsigned int i;
	int rc;

	if (d == NULL || d->name == NULL || d->device == NULL)
		return -EINVAL;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		fn = fn_find(d->name);
		if (fn == NULL) {
			DW_LOG(ERR, "%s: not attached in the primary process", d->name);
			return -ENODEV;
		}
		loc = dw_edma_fn_local(fn);
		loc->rd32 = mmio_rd32;
		loc->wr32 = mmio_wr32;
		rc = io_setup != NULL ? io_setup(fn, loc, io_arg) : 0;
		if (rc == 0)
			rc = fn_attach_secondary(fn, d->device);
		return rc;
	}
	if (fn_find(d->name) != NULL) {
		DW_LOG(ERR, "%s: already attached", d->name);
		return -EEXIST;
	}
	fn = fn_alloc(d->name);
	if (fn == NULL)
		return -ENOMEM;
	fn->opts.ready_timeout_ms = DW_EDMA_READY_TIMEOUT_MS;
	fn->opts.stall_us = DW_EDMA_STALL_US;
	fn->opts.stall_fail_ms = DW_EDMA_STALL_FAIL_MS;
	fn->opts.m2m_base = d->m2m_base;
	fn->opts.has_m2m = d->has_m2m;
	fn->func_num = d->func_num;
	rc = opts_parse(&fn->opts, d->devargs, d->name);
	if (rc != 0)
		goto fail;
	for (i = 0; i < DW_NUM_BARS; i++) {
		fn->bars[i].addr = d->bars[i].addr;
		fn->bars[i].len = d->bars[i].addr != NULL ? d->bars[i].len : 0;
		fn->bars[i].access = DW_BAR_MMIO;
	}
	loc = dw_edma_fn_local(fn);
	loc->rd32 = mmio_rd32;
	loc->wr32 = mmio_wr32;
	if (io_setup != NULL) {
		rc = io_setup(fn, loc, io_arg);
		if (rc != 0)
			goto fail;
	}
	/* the EPDM front end only when the user named it (dw_edma_epdm.c) */
	rc = fn->opts.epdm.on ? dw_edma_epdm_discover(fn) : dw_edma_meta_discover(fn);
	if (rc != 0)
		goto fail;
	rc = fn_create_devs(fn, d->device);
	if (rc != 0)
		goto fail;
	return 0;
fail:
	fn_free(fn);
	return rc;
}

RTE_EXPORT_INTERNAL_SYMBOL(dw_edma_fn_attach)
int
dw_edma_fn_attach(const struct dw_edma_fn_desc *d)
{
	return dw_edma_fn_attach_io(d, NULL, NULL);
}

RTE_EXPORT_INTERNAL_SYMBOL(dw_edma_fn_detach)
int
dw_edma_fn_detach(const char *name)
{
	struct dw_edma_fn *fn = name != NULL ? fn_find(name) : NULL;

	if (fn == NULL)
		return -ENODEV;
	fn_destroy_devs(fn);
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		fn_free(fn);
	return 0;
}
