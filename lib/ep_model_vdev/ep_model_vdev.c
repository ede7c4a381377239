/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * The simulated endpoint as a DPDK virtual device: dma_dw_edma_sim<N>.
 * Its devargs hold the endpoint model's keys and the dw_edma driver's own
 * keys; the model is created with the vdev's name and its BARs are handed
 * to the driver's attach entry point, which runs the same discovery as for
 * a PCI function. When the application already created a model of that
 * name (and passes no model keys), the vdev attaches to it and leaves it
 * alive on remove.
 *
 * The BARs of a model made here live in DPDK memzones, which every process
 * of the group maps at the same address: a secondary process attaches to
 * the channels its primary probed (the model's engine stays in the
 * primary). A model made by the application has private BARs: primary only.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_kvargs.h>
#include <rte_log.h>
#include <rte_memzone.h>
#include <bus_vdev_driver.h>

#include <dw_edma_attach.h>

#include "ep_model_vdev.h"

RTE_LOG_REGISTER(epm_vdev_logtype, ep_model.vdev, NOTICE);
#define VLOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, epm_vdev_logtype, "ep_model_vdev: " fmt "\n", \
		##__VA_ARGS__)

static bool
is_model_key(const char *key)
{
	unsigned int i;

	for (i = 0; ep_model_keys[i] != NULL; i++)
		if (strcmp(ep_model_keys[i], key) == 0)
			return true;
	return false;
}

/* Append "key=value" to a comma-separated list in out (capacity cap). */
static int
kv_append(char *out, size_t cap, const char *key, const char *val)
{
	size_t len = strlen(out);
	int w = snprintf(out + len, cap - len, "%s%s=%s", len ? "," : "", key,
		val != NULL ? val : "");

	return (w < 0 || (size_t)w >= cap - len) ? -EINVAL : 0;
}

/*
 * The model's engine notices host register writes when its thread next
 * scans them, a few microseconds later, milliseconds on a loaded machine:
 * until then a status read shows the state from before the write. The
 * driver reads the channel registers only after no progress for stall_us,
 * and fails a job only when the channel refused to restart for
 * stall_fail_ms; for a software engine both are set longer than for a
 * device on a PCIe link, unless the user sets them.
 */
static const char *const sim_driver_defaults[][2] = {
	{ "stall_us", "1000" },
	{ "stall_fail_ms", "10000" },
};

/* Buffer size for a part of args: room for the defaults and an EPDM locator. */
static size_t
args_cap(const char *args)
{
	return (args != NULL ? strlen(args) : 0) + 192;
}

/* Split devargs: the model's keys into margs, everything else into dargs. */
static int
split_args(const char *name, const char *args, char **margs, char **dargs)
{
	size_t cap = args_cap(args);
	struct rte_kvargs *kv;
	unsigned int i;
	int rc = 0;

	*margs = calloc(1, cap);
	*dargs = calloc(1, cap);
	if (*margs == NULL || *dargs == NULL)
		return -ENOMEM;
	kv = rte_kvargs_parse(args != NULL ? args : "", NULL);
	if (kv == NULL) {
		VLOG(ERR, "%s: cannot parse devargs '%s'", name, args);
		return -EINVAL;
	}
	for (i = 0; i < RTE_DIM(sim_driver_defaults) && rc == 0; i++)
		if (rte_kvargs_count(kv, sim_driver_defaults[i][0]) == 0)
			rc = kv_append(*dargs, cap, sim_driver_defaults[i][0],
				sim_driver_defaults[i][1]);
	for (i = 0; i < kv->count && rc == 0; i++) {
		const char *k = kv->pairs[i].key, *v = kv->pairs[i].value;

		if (is_model_key(k)) {
			rc = kv_append(*margs, cap, k, v);
		} else if (dw_edma_devarg_key(k)) {
			rc = kv_append(*dargs, cap, k, v);
		} else {
			VLOG(ERR, "%s: unknown devarg '%s' (neither a dw_edma driver nor an "
				"endpoint model key)", name, k);
			rc = -EINVAL;
		}
	}
	rte_kvargs_free(kv);
	return rc;
}

/* ---- BAR memory in memzones: shared with secondary processes ---- */
static void
bar_mz_name(char *buf, size_t len, const char *vdev, unsigned int bar)
{
	snprintf(buf, len, "epm_%.20s_b%u", vdev, bar);
}

static void *
mz_bar_alloc(void *ctx, unsigned int bar, uint64_t len)
{
	const struct rte_memzone *mz;
	char mzn[RTE_MEMZONE_NAMESIZE];

	bar_mz_name(mzn, sizeof(mzn), ctx, bar);
	mz = rte_memzone_reserve_aligned(mzn, len, SOCKET_ID_ANY, 0, 4096);
	if (mz == NULL) {
		VLOG(ERR, "%s: no memzone for BAR%u (%" PRIu64 " bytes): %s", (char *)ctx,
			bar, len, rte_strerror(rte_errno));
		return NULL;
	}
	memset(mz->addr, 0, len);
	return mz->addr;
}

static void
mz_bar_free(void *ctx, unsigned int bar, void *addr, uint64_t len)
{
	char mzn[RTE_MEMZONE_NAMESIZE];

	RTE_SET_USED(addr);
	RTE_SET_USED(len);
	bar_mz_name(mzn, sizeof(mzn), ctx, bar);
	rte_memzone_free(rte_memzone_lookup(mzn));
}

/* A probed vdev: its model, which it destroys on remove when it made it. */
struct epm_vdev {
	char name[RTE_DEV_NAME_MAX_LEN];
	struct ep_model *model;
	bool owned;
};

static struct epm_vdev vdevs[16];

static struct epm_vdev *
vdev_slot(const char *name, bool alloc)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vdevs); i++)
		if (vdevs[i].name[0] != '\0' && strcmp(vdevs[i].name, name) == 0)
			return &vdevs[i];
	if (!alloc)
		return NULL;
	for (i = 0; i < RTE_DIM(vdevs); i++)
		if (vdevs[i].name[0] == '\0') {
			snprintf(vdevs[i].name, sizeof(vdevs[i].name), "%s", name);
			return &vdevs[i];
		}
	return NULL;
}

static int
probe_secondary(struct rte_vdev_device *vdev, const char *name)
{
	struct dw_edma_fn_desc d = { .name = name, .device = &vdev->device };
	char mzn[RTE_MEMZONE_NAMESIZE];
	unsigned int b;
	bool shared = false;

	for (b = 0; b < 6 && !shared; b++) {
		bar_mz_name(mzn, sizeof(mzn), name, b);
		shared = rte_memzone_lookup(mzn) != NULL;
	}
	if (!shared) {
		VLOG(ERR, "%s: the primary's simulated endpoint keeps its BARs in process "
			"memory (a model the application created): a secondary process "
			"cannot reach them", name);
		return -ENOTSUP;
	}
	return dw_edma_fn_attach(&d);
}

static int
epm_vdev_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct ep_model_env env = {
		.bar_alloc = mz_bar_alloc, .bar_free = mz_bar_free,
		.bar_ctx = (void *)(uintptr_t)name,
	};
	struct dw_edma_fn_desc d = { .name = name, .device = &vdev->device };
	struct ep_model_info info;
	struct ep_model *m = NULL;
	char *margs = NULL, *dargs = NULL;
	struct epm_vdev *slot;
	unsigned int i;
	int rc;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return probe_secondary(vdev, name);
	slot = vdev_slot(name, true);
	if (slot == NULL)
		return -ENOSPC;
	rc = split_args(name, rte_vdev_device_args(vdev), &margs, &dargs);
	if (rc != 0)
		goto fail;
	m = ep_model_find(name);
	if (m != NULL) {
		/* an application-made model of the same name: attach, do not own */
		if (margs[0] != '\0') {
			VLOG(ERR, "%s: model '%s' already exists; model keys '%s' not allowed",
				name, name, margs);
			m = NULL;
			rc = -EEXIST;
			goto fail;
		}
		VLOG(INFO, "%s: attaching to the existing endpoint model", name);
	} else {
		m = ep_model_create_ext(name, margs, &env);
		if (m == NULL) {
			VLOG(ERR, "%s: endpoint model rejected '%s' (%s)", name, margs,
				rte_strerror(rte_errno));
			rc = -EINVAL;
			goto fail;
		}
		slot->owned = true;
	}
	slot->model = m;
	ep_model_info_get(m, &info);
	d.func_num = info.func_num;
	for (i = 0; i < DW_EDMA_NUM_BARS; i++) {
		struct ep_model_bar b;

		if (ep_model_bar_get(m, i, &b) == 0 && b.len != 0) {
			d.bars[i].addr = b.addr;
			d.bars[i].len = b.len;
		}
	}
	if (info.outbound_size != 0) {
		d.m2m_base = info.outbound_base;
		d.has_m2m = true;
		VLOG(INFO, "%s: MEM_TO_MEM through the model's outbound window at 0x%" PRIx64,
			name, info.outbound_base);
	}
	/*
	 * A model publishing only an EPDM slice has no PEDM blob to find: hand
	 * the driver the slice's whereabouts, as the vNTB host driver hands its
	 * locator on, unless the devargs already say where to look.
	 */
	if (info.exports_epdm && !info.exports_pedm && strstr(dargs, "epdm_") == NULL) {
		size_t cap = args_cap(rte_vdev_device_args(vdev));
		char v[3][16];

		if (info.ntb_bar >= 0) {
			snprintf(v[0], sizeof(v[0]), "%d", info.ntb_bar);
			rc = kv_append(dargs, cap, "epdm_ntb_bar", v[0]);
		} else {
			snprintf(v[0], sizeof(v[0]), "%u", info.slice_bar);
			snprintf(v[1], sizeof(v[1]), "0x%x", info.slice_off);
			snprintf(v[2], sizeof(v[2]), "0x%x", info.slice_size);
			rc = kv_append(dargs, cap, "epdm_bar", v[0]);
			if (rc == 0)
				rc = kv_append(dargs, cap, "epdm_offset", v[1]);
			if (rc == 0)
				rc = kv_append(dargs, cap, "epdm_size", v[2]);
		}
		if (rc != 0)
			goto fail;
		VLOG(INFO, "%s: EPDM-only endpoint model, driver devargs '%s'", name, dargs);
	}
	d.devargs = dargs;
	rc = dw_edma_fn_attach(&d);
	if (rc == -ENODEV)
		VLOG(ERR, "%s: the model exposes no endpoint DMA metadata", name);
	if (rc != 0)
		goto fail;
	free(margs);
	free(dargs);
	return 0;
fail:
	free(margs);
	free(dargs);
	if (slot->owned)
		ep_model_destroy(slot->model);
	memset(slot, 0, sizeof(*slot));
	return rc < 0 ? rc : -EINVAL;
}

static int
epm_vdev_remove(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct epm_vdev *slot = vdev_slot(name, false);
	int rc;

	rc = dw_edma_fn_detach(name);
	if (slot != NULL) {
		if (slot->owned)
			ep_model_destroy(slot->model);
		memset(slot, 0, sizeof(*slot));
	}
	return rc;
}

struct ep_model *
ep_model_vdev_model(const char *vdev_name)
{
	struct epm_vdev *slot = vdev_name != NULL ? vdev_slot(vdev_name, false) : NULL;

	return slot != NULL ? slot->model : NULL;
}

static struct rte_vdev_driver epm_vdev_drv = {
	.probe = epm_vdev_probe,
	.remove = epm_vdev_remove,
};

RTE_PMD_REGISTER_VDEV(dma_dw_edma_sim, epm_vdev_drv);
RTE_PMD_REGISTER_PARAM_STRING(dma_dw_edma_sim,
	"<dw_edma devargs> <endpoint model keys>");
