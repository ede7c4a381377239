/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Fuzz target: the endpoint model's configuration parser and the checks
 * behind it, through the public entry point: ep_model_create() with the
 * input as the "key=value,..." string (the vdev's devargs), then, when the
 * model accepted it, a look at what it built and ep_model_destroy().
 *
 * metadata_file reads a file: the input may only name one of the images
 * this harness writes at start-up (a valid blob, a truncated one, an empty
 * file, a large one), so a run never opens arbitrary paths (a device node
 * such as a watchdog would act on open).
 *
 * Oracles, beyond the sanitizers: a created model has the metadata magic in
 * its metadata BAR, an image no longer than that BAR, channel counts as
 * configured, endpoint memory where it says, and its BARs are readable
 * through ep_model_bar_read().
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "ep_model.h"
#include "fuzz_common.h"

#define FZ_DIR		"/tmp/ep_fuzz_model_cfg"
#define FZ_ARGS_MAX	1024

static char fz_prefix[64];

/* metadata_file= values must name one of our files: FZ_DIR/<name> */
static bool
fz_paths_ok(const char *args)
{
	const char *p = args;

	while ((p = strstr(p, "metadata_file=")) != NULL) {
		const char *v = p + strlen("metadata_file=");
		size_t n = strcspn(v, ",");

		if (n <= strlen(fz_prefix) || strncmp(v, fz_prefix, strlen(fz_prefix)) != 0 ||
				memchr(v + strlen(fz_prefix), '/', n - strlen(fz_prefix)) != NULL)
			return false;
		p = v;
	}
	/* rte_kvargs also takes lists in brackets: keep paths out of them */
	return strchr(args, '[') == NULL || strstr(args, "metadata_file") == NULL;
}

static void
fz_check_model(struct ep_model *m)
{
	struct ep_model_info mi;
	struct ep_model_bar b;
	unsigned int i;
	uint64_t v;

	if (ep_model_info_get(m, &mi) != 0)
		FZ_FAIL("info_get of a created model");
	if (ep_model_bar_get(m, mi.metadata_bar, &b) != 0 || b.len < 4)
		FZ_FAIL("no metadata BAR %u", mi.metadata_bar);
	if (mi.meta_len > b.len)
		FZ_FAIL("metadata image of %u bytes in a BAR of %" PRIu64, mi.meta_len, b.len);
	if (mi.wr_delegated + mi.rd_delegated == 0 || mi.wr_delegated > mi.wr_hw ||
			mi.rd_delegated > mi.rd_hw)
		FZ_FAIL("channels %u/%u of %u/%u", mi.wr_delegated, mi.rd_delegated,
			mi.wr_hw, mi.rd_hw);
	if (mi.ep_mem_size == 0 || ep_model_ep_ptr(m, mi.ep_mem_addr, mi.ep_mem_size) == NULL ||
			ep_model_ep_ptr(m, mi.ep_mem_addr + mi.ep_mem_size - 1, 2) != NULL)
		FZ_FAIL("endpoint memory [0x%" PRIx64 ", +0x%" PRIx64 ")", mi.ep_mem_addr,
			mi.ep_mem_size);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++) {
		if (ep_model_bar_get(m, i, &b) != 0 || b.len == 0)
			continue;
		if (ep_model_bar_read(m, i, 0, 4, &v) != 0 ||
				ep_model_bar_read(m, i, b.len - 8, 8, &v) != 0)
			FZ_FAIL("BAR%u of length 0x%" PRIx64 " not readable", i, b.len);
		if (ep_model_bar_read(m, i, b.len, 4, &v) != -EINVAL)
			FZ_FAIL("BAR%u read past its end accepted", i);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char args[FZ_ARGS_MAX + 1];
	struct ep_model *m;

	if (size > FZ_ARGS_MAX)
		return 0;
	memcpy(args, data, size);
	args[size] = '\0';
	if (!fz_paths_ok(args))
		return 0;
	m = ep_model_create("fuzz_model_cfg", args);
	if (m == NULL)
		return 0;
	fz_check_model(m);
	ep_model_destroy(m);
	if (ep_model_find("fuzz_model_cfg") != NULL)
		FZ_FAIL("destroyed model still registered");
	return 0;
}

static void
fz_write(const char *name, const void *p, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", fz_prefix, name);
	f = fopen(path, "wb");
	if (f == NULL)
		FZ_FAIL("cannot write %s", path);
	if (n != 0)
		fwrite(p, 1, n, f);
	fclose(f);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static uint8_t big[1u << 16];
	struct ep_model_info mi;
	struct ep_model_bar b;
	struct ep_model *m;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (getenv("FUZZ_VERBOSE") == NULL)
		rte_log_set_global_level(RTE_LOG_CRIT);
	/* fixed names (the corpus refers to them), one directory per user */
	snprintf(fz_prefix, sizeof(fz_prefix), "%s/", FZ_DIR);
	if (mkdir(FZ_DIR, 0700) != 0 && errno != EEXIST)
		FZ_FAIL("mkdir %s", FZ_DIR);
	m = ep_model_create("fuzz_model_cfg_ref", "thread=0,layout=hdma-native,wr=2,rd=2");
	if (m == NULL)
		FZ_FAIL("reference model");
	ep_model_info_get(m, &mi);
	ep_model_bar_get(m, mi.metadata_bar, &b);
	fz_write("valid", b.addr, mi.meta_len);
	fz_write("short", b.addr, 6);
	fz_write("empty", NULL, 0);
	memcpy(big, b.addr, mi.meta_len);
	fz_write("big", big, sizeof(big));
	ep_model_destroy(m);
	return 0;
}
