/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Simulation probe: vdev dma_dw_edma_sim<N>. Its devargs hold the driver's
 * own keys and the endpoint model's keys; the model is created with the
 * vdev's name and its BARs go through the same discovery as a PCI function.
 * When the application already created a model of that name (and passes no
 * model keys), the vdev attaches to it and leaves it alive on remove.
 *
 * Status settle time: the model notices host register writes from its own
 * thread, a few microseconds to milliseconds late under load, so a status
 * read shortly after a doorbell may show the state from before it (silicon
 * cannot: the read is ordered behind the posted doorbell write). Within the
 * settle time after a doorbell the driver therefore does not act on a
 * "not running" status (no re-ring, no abort decision, no ring rewrite).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_kvargs.h>

#include <ep_model.h>

#include "dw_edma_internal.h"

static bool
is_model_key(const char *key)
{
	unsigned int i;

	for (i = 0; ep_model_keys[i] != NULL; i++)
		if (strcmp(ep_model_keys[i], key) == 0)
			return true;
	return false;
}

/* Split devargs: driver keys into opts, model keys into margs. */
static int
sim_split_args(const char *name, const char *args, struct dw_edma_opts *o, char **margs)
{
	struct rte_kvargs *kv;
	size_t cap, len = 0;
	unsigned int i;
	char *out;
	int rc = 0;

	dw_edma_opts_default(o);
	cap = (args != NULL ? strlen(args) : 0) + 2;
	out = calloc(1, cap);
	if (out == NULL)
		return -ENOMEM;
	*margs = out;
	if (args == NULL || args[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		DW_LOG(ERR, "%s: cannot parse devargs '%s'", name, args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count && rc == 0; i++) {
		const char *k = kv->pairs[i].key, *v = kv->pairs[i].value;

		if (dw_edma_is_opt_key(k)) {
			rc = dw_edma_opts_parse_kv(o, k, v, name);
		} else if (is_model_key(k)) {
			int w = snprintf(out + len, cap - len, "%s%s=%s", len ? "," : "", k,
				v != NULL ? v : "");

			if (w < 0 || (size_t)w >= cap - len) {
				DW_LOG(ERR, "%s: devargs too long", name);
				rc = -EINVAL;
			} else {
				len += w;
			}
		} else {
			DW_LOG(ERR, "%s: unknown devarg '%s' (neither a driver nor an "
				"endpoint model key)",
				name, k);
			rc = -EINVAL;
		}
	}
	rte_kvargs_free(kv);
	return rc;
}

static int
dw_edma_sim_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct ep_model_info info;
	struct ep_model *m = NULL;
	struct dw_edma_fn *fn;
	char *margs = NULL;
	unsigned int i;
	int rc;

	fn = dw_edma_fn_alloc(name);
	if (fn == NULL)
		return -ENOMEM;
	fn->status_settle_us = DW_EDMA_SIM_SETTLE_US;
	rc = sim_split_args(name, rte_vdev_device_args(vdev), &fn->opts, &margs);
	if (rc != 0)
		goto fail;
	m = ep_model_find(name);
	if (m != NULL) {
		/* an application-made model of the same name: attach, do not own */
		if (margs[0] != '\0') {
			DW_LOG(ERR, "%s: model '%s' already exists; model keys '%s' not allowed",
				name, name, margs);
			m = NULL;
			rc = -EEXIST;
			goto fail;
		}
		DW_LOG(INFO, "%s: attaching to the existing endpoint model", name);
	} else {
		m = ep_model_create(name, margs);
		if (m == NULL) {
			DW_LOG(ERR, "%s: endpoint model rejected '%s' (rte_errno %d)", name,
				margs, rte_errno);
			rc = -EINVAL;
			goto fail;
		}
		fn->model = m;
	}
	ep_model_info_get(m, &info);
	fn->func_num = info.func_num;
	for (i = 0; i < DW_NUM_BARS; i++) {
		struct ep_model_bar b;

		if (ep_model_bar_get(m, i, &b) == 0 && b.len != 0) {
			fn->bars[i].addr = b.addr;
			fn->bars[i].len = b.len;
		}
	}
	if (!fn->opts.has_m2m && info.outbound_size != 0) {
		fn->opts.m2m_base = info.outbound_base;
		fn->opts.has_m2m = true;
		DW_LOG(INFO, "%s: MEM_TO_MEM through the model's outbound window at 0x%" PRIx64,
			name, info.outbound_base);
	}
	rc = dw_edma_meta_discover(fn);
	if (rc == -ENODEV)
		DW_LOG(ERR, "%s: the model exposes no endpoint DMA metadata", name);
	if (rc != 0)
		goto fail;
	rc = dw_edma_fn_create_devs(fn, &vdev->device);
	if (rc != 0)
		goto fail;
	free(margs);
	return 0;
fail:
	free(margs);
	if (fn->model != NULL)
		ep_model_destroy(fn->model);
	dw_edma_fn_free(fn);
	return rc < 0 ? rc : -EINVAL;
}

static int
dw_edma_sim_remove(struct rte_vdev_device *vdev)
{
	struct dw_edma_fn *fn = dw_edma_fn_find(rte_vdev_device_name(vdev));

	if (fn == NULL)
		return -ENODEV;
	dw_edma_fn_destroy_devs(fn);
	if (fn->model != NULL)
		ep_model_destroy(fn->model);
	dw_edma_fn_free(fn);
	return 0;
}

static struct rte_vdev_driver dw_edma_sim_drv = {
	.probe = dw_edma_sim_probe,
	.remove = dw_edma_sim_remove,
};

RTE_PMD_REGISTER_VDEV(dma_dw_edma_sim, dw_edma_sim_drv);
RTE_PMD_REGISTER_PARAM_STRING(dma_dw_edma_sim,
	"ready_timeout_ms=<ms> m2m_base=<ep address> <endpoint model keys>");
