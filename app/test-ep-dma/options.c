/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/* Application options: one parser serves the command line and "set". */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_dmadev.h>
#include <rte_lcore.h>

#include "ep_dma.h"

void
ep_config_defaults(struct ep_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->dir = EP_DIR_AUTO;
	cfg->sizes[0] = 4096;
	cfg->n_sizes = 1;
	cfg->sg = 1;
	cfg->burst = 32;
	cfg->ring = 0;
	cfg->inflight = 0;
	cfg->duration = 2.0;
	cfg->jobs = 0;
	cfg->progress_ms = 1000;
	cfg->timeout_ms = 1000;
	cfg->buf_mem = 8u << 20;
}

const char *
ep_dir_name(enum ep_dir dir)
{
	switch (dir) {
	case EP_DIR_MEM2DEV: return "mem2dev";
	case EP_DIR_DEV2MEM: return "dev2mem";
	case EP_DIR_MEM2MEM: return "mem2mem";
	default: return "auto";
	}
}

/* Unsigned number with an optional K/M/G (binary) suffix. */
static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_range(const char *name, const char *s, uint64_t lo, uint64_t hi,
		uint64_t *out)
{
	if (parse_u64(s, out) < 0 || *out < lo || *out > hi) {
		fprintf(stderr, "invalid --%s '%s': expected a number in [%" PRIu64
			", %" PRIu64 "]\n", name, s ? s : "", lo, hi);
		return -EINVAL;
	}
	return 0;
}

static int
parse_bool(const char *name, const char *s, bool *out)
{
	if (s == NULL || !strcasecmp(s, "on") || !strcasecmp(s, "1") ||
			!strcasecmp(s, "yes") || !strcasecmp(s, "true")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(s, "off") || !strcasecmp(s, "0") ||
			!strcasecmp(s, "no") || !strcasecmp(s, "false")) {
		*out = false;
		return 0;
	}
	fprintf(stderr, "invalid %s '%s': expected on or off\n", name, s);
	return -EINVAL;
}

/* Device spec -> dev_id: a number or a device name. */
int
ep_parse_dev(const char *spec)
{
	uint64_t v;

	if (parse_u64(spec, &v) == 0) {
		if (v >= RTE_DMADEV_DEFAULT_MAX || !rte_dma_is_valid((int16_t)v))
			return -ENODEV;
		return (int)v;
	}
	return rte_dma_get_dev_id_by_name(spec) >= 0 ?
		rte_dma_get_dev_id_by_name(spec) : -ENODEV;
}

static int
add_devs(struct ep_config *cfg, const char *list)
{
	char buf[1024], *tok, *save = NULL;

	if (strlen(list) >= sizeof(buf)) {
		fprintf(stderr, "invalid --dev: list too long\n");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			cfg->n_devs = 0;
			continue;
		}
		if (cfg->n_devs >= EP_MAX_DEVS || strlen(tok) >= EP_NAME_LEN) {
			fprintf(stderr, "invalid --dev '%s': too many devices or "
				"name too long\n", tok);
			return -EINVAL;
		}
		snprintf(cfg->devs[cfg->n_devs++], EP_NAME_LEN, "%s", tok);
	}
	return 0;
}

static int
parse_sizes(struct ep_config *cfg, const char *list)
{
	char buf[1024], *tok, *save = NULL;
	unsigned int n = 0;
	uint64_t v;

	if (strlen(list) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (n >= EP_MAX_SIZES) {
			fprintf(stderr, "invalid --size: more than %d sizes\n",
				EP_MAX_SIZES);
			return -EINVAL;
		}
		if (parse_range("size", tok, 1, UINT32_MAX, &v) < 0)
			return -EINVAL;
		cfg->sizes[n++] = (uint32_t)v;
	}
	if (n == 0) {
		fprintf(stderr, "invalid --size '%s': empty list\n", list);
		return -EINVAL;
	}
	cfg->n_sizes = n;
	return 0;
}

/* "lcore@dev[,dev...]" */
static int
parse_lcore_map(struct ep_config *cfg, const char *s)
{
	char buf[1024], *at, *tok, *save = NULL;
	uint64_t lcore;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	at = strchr(buf, '@');
	if (at == NULL) {
		fprintf(stderr, "invalid --lcore-map '%s': expected lcore@dev[,dev]\n",
			s);
		return -EINVAL;
	}
	*at = '\0';
	if (parse_range("lcore-map", buf, 0, RTE_MAX_LCORE - 1, &lcore) < 0)
		return -EINVAL;
	for (tok = strtok_r(at + 1, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (cfg->n_lmap >= EP_MAX_DEVS || strlen(tok) >= EP_NAME_LEN) {
			fprintf(stderr, "invalid --lcore-map '%s': too many entries\n",
				s);
			return -EINVAL;
		}
		cfg->lmap[cfg->n_lmap].lcore = (unsigned int)lcore;
		snprintf(cfg->lmap[cfg->n_lmap].dev, EP_NAME_LEN, "%s", tok);
		cfg->n_lmap++;
	}
	return 0;
}

/*
 * Apply one parameter by name (the long option without "--"). Shared by the
 * command line and the interactive "set" command.
 */
int
ep_config_set(struct ep_config *cfg, const char *name, const char *value)
{
	uint64_t v;
	char *end;

	if (!strcmp(name, "dev")) {
		cfg->n_devs = 0;
		return add_devs(cfg, value);
	}
	if (!strcmp(name, "dir")) {
		if (!strcmp(value, "auto"))
			cfg->dir = EP_DIR_AUTO;
		else if (!strcmp(value, "mem2dev"))
			cfg->dir = EP_DIR_MEM2DEV;
		else if (!strcmp(value, "dev2mem"))
			cfg->dir = EP_DIR_DEV2MEM;
		else if (!strcmp(value, "mem2mem"))
			cfg->dir = EP_DIR_MEM2MEM;
		else {
			fprintf(stderr, "invalid --dir '%s': expected auto, "
				"mem2dev, dev2mem or mem2mem\n", value);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(name, "size"))
		return parse_sizes(cfg, value);
	if (!strcmp(name, "sg")) {
		if (parse_range(name, value, 1, EP_MAX_SG, &v) < 0)
			return -EINVAL;
		cfg->sg = (uint16_t)v;
		return 0;
	}
	if (!strcmp(name, "burst")) {
		if (parse_range(name, value, 1, 4096, &v) < 0)
			return -EINVAL;
		cfg->burst = (uint16_t)v;
		return 0;
	}
	if (!strcmp(name, "ring")) {
		if (parse_range(name, value, 0, UINT16_MAX, &v) < 0)
			return -EINVAL;
		cfg->ring = (uint16_t)v;
		return 0;
	}
	if (!strcmp(name, "inflight")) {
		if (parse_range(name, value, 0, UINT16_MAX, &v) < 0)
			return -EINVAL;
		cfg->inflight = (uint32_t)v;
		return 0;
	}
	if (!strcmp(name, "duration")) {
		double d;

		errno = 0;
		d = value != NULL ? strtod(value, &end) : 0;
		if (value == NULL || errno != 0 || end == value || *end != '\0' ||
				!(d > 0) || d > 86400) {
			fprintf(stderr, "invalid --duration '%s': expected seconds "
				"in (0, 86400]\n", value ? value : "");
			return -EINVAL;
		}
		cfg->duration = d;
		cfg->jobs = 0;
		return 0;
	}
	if (!strcmp(name, "jobs")) {
		if (parse_range(name, value, 0, UINT64_MAX, &v) < 0)
			return -EINVAL;
		cfg->jobs = v;
		return 0;
	}
	if (!strcmp(name, "lcore-map")) {
		if (!strcmp(value, "none")) {
			cfg->n_lmap = 0;
			return 0;
		}
		return parse_lcore_map(cfg, value);
	}
	if (!strcmp(name, "verify"))
		return parse_bool(name, value, &cfg->verify);
	if (!strcmp(name, "latency"))
		return parse_bool(name, value, &cfg->latency);
	if (!strcmp(name, "csv")) {
		if (value == NULL || strlen(value) >= sizeof(cfg->csv)) {
			fprintf(stderr, "invalid --csv: path missing or too long\n");
			return -EINVAL;
		}
		snprintf(cfg->csv, sizeof(cfg->csv), "%s",
			strcmp(value, "none") ? value : "");
		return 0;
	}
	if (!strcmp(name, "progress")) {
		if (parse_range(name, value, 0, 3600000, &v) < 0)
			return -EINVAL;
		cfg->progress_ms = (unsigned int)v;
		return 0;
	}
	if (!strcmp(name, "timeout")) {
		if (parse_range(name, value, 1, 3600000, &v) < 0)
			return -EINVAL;
		cfg->timeout_ms = (unsigned int)v;
		return 0;
	}
	if (!strcmp(name, "buf-mem")) {
		if (parse_range(name, value, 4096, 1ull << 34, &v) < 0)
			return -EINVAL;
		cfg->buf_mem = v;
		return 0;
	}
	if (!strcmp(name, "ep-addr"))
		return parse_range(name, value, 0, UINT64_MAX, &cfg->ep_addr);
	if (!strcmp(name, "ep-size"))
		return parse_range(name, value, 0, UINT64_MAX, &cfg->ep_size);
	if (!strcmp(name, "ep-map")) {
		const char *at = value != NULL ? strrchr(value, '@') : NULL;
		size_t len;

		if (value == NULL) {
			fprintf(stderr, "invalid --ep-map: path missing\n");
			return -EINVAL;
		}
		len = at != NULL ? (size_t)(at - value) : strlen(value);
		if (len == 0 || len >= sizeof(cfg->ep_map)) {
			fprintf(stderr, "invalid --ep-map '%s'\n", value);
			return -EINVAL;
		}
		cfg->ep_map_off = 0;
		if (at != NULL && parse_range("ep-map offset", at + 1, 0,
				UINT64_MAX, &cfg->ep_map_off) < 0)
			return -EINVAL;
		memcpy(cfg->ep_map, value, len);
		cfg->ep_map[len] = '\0';
		return 0;
	}
	fprintf(stderr, "unknown parameter '%s'\n", name);
	return -EINVAL;
}

void
ep_config_usage(FILE *f, const char *prog)
{
	fprintf(f,
"Usage: %s [EAL options] -- [options]\n"
"  --dev ID|NAME|GLOB[,...] devices (repeatable; glob on names; default all)\n"
"  --dir auto|mem2dev|dev2mem|mem2mem\n"
"                          direction; auto = a dw_edma channel's own\n"
"                          direction, mem2mem for other devices\n"
"  --size N[,N...]         bytes per job (K/M suffixes); a list is a sweep\n"
"  --sg N                  segments per job (rte_dma_copy_sg when > 1)\n"
"  --burst N               jobs per rte_dma_submit (default 32)\n"
"  --ring N                descriptors per vchan (default: device max, <= 1024)\n"
"  --inflight N            outstanding jobs per device (default: ring)\n"
"  --duration S            seconds per size (default 2)\n"
"  --jobs N                jobs per device per size instead of a duration\n"
"  --lcore-map L@DEV[,DEV] lcore L drives DEV (repeatable; default: main lcore)\n"
"  --verify                pattern-fill sources, check every destination byte\n"
"  --latency               record submit-to-completion latency per job\n"
"  --csv FILE              write one CSV row per device and size (and total)\n"
"  --progress MS           progress line period, 0 = none (default 1000)\n"
"  --timeout MS            fail a device after MS without completions (1000)\n"
"  --buf-mem BYTES         host buffer memory per device and side (8M)\n"
"  --ep-addr A --ep-size N endpoint-local buffer for mem2dev/dev2mem on\n"
"                          real hardware\n"
"  --ep-map FILE[@OFF]     host mapping of that buffer (e.g. a sysfs BAR\n"
"                          resource file) for verification\n"
"  -i, --interactive       command prompt\n"
"  -h, --help              this text\n", prog);
}

static const struct option long_opts[] = {
	{ "dev", required_argument, NULL, 0 },
	{ "dir", required_argument, NULL, 0 },
	{ "size", required_argument, NULL, 0 },
	{ "sg", required_argument, NULL, 0 },
	{ "burst", required_argument, NULL, 0 },
	{ "ring", required_argument, NULL, 0 },
	{ "inflight", required_argument, NULL, 0 },
	{ "duration", required_argument, NULL, 0 },
	{ "jobs", required_argument, NULL, 0 },
	{ "lcore-map", required_argument, NULL, 0 },
	{ "verify", no_argument, NULL, 0 },
	{ "latency", no_argument, NULL, 0 },
	{ "csv", required_argument, NULL, 0 },
	{ "progress", required_argument, NULL, 0 },
	{ "timeout", required_argument, NULL, 0 },
	{ "buf-mem", required_argument, NULL, 0 },
	{ "ep-addr", required_argument, NULL, 0 },
	{ "ep-size", required_argument, NULL, 0 },
	{ "ep-map", required_argument, NULL, 0 },
	{ "interactive", no_argument, NULL, 'i' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* @return 0, 1 when help was printed, negative on error. */
int
ep_config_parse_args(struct ep_config *cfg, int argc, char **argv)
{
	bool dev_given = false;
	int opt, idx;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "ih", long_opts, &idx)) != -1) {
		switch (opt) {
		case 0:
			if (!strcmp(long_opts[idx].name, "dev") && !dev_given) {
				cfg->n_devs = 0;
				dev_given = true;
			}
			if (!strcmp(long_opts[idx].name, "dev")) {
				if (add_devs(cfg, optarg) < 0)
					return -EINVAL;
				break;
			}
			if (ep_config_set(cfg, long_opts[idx].name, optarg) < 0)
				return -EINVAL;
			break;
		case 'i':
			cfg->interactive = true;
			break;
		case 'h':
			ep_config_usage(stdout, argv[0]);
			return 1;
		default:
			ep_config_usage(stderr, argv[0]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

void
ep_config_print(FILE *f, const struct ep_config *cfg)
{
	unsigned int i;

	fprintf(f, "dev       ");
	if (cfg->n_devs == 0)
		fprintf(f, " all");
	for (i = 0; i < cfg->n_devs; i++)
		fprintf(f, " %s", cfg->devs[i]);
	fprintf(f, "\ndir        %s\nsize      ", ep_dir_name(cfg->dir));
	for (i = 0; i < cfg->n_sizes; i++)
		fprintf(f, "%s%u", i ? "," : " ", cfg->sizes[i]);
	fprintf(f, "\nsg         %u\nburst      %u\n", cfg->sg, cfg->burst);
	fprintf(f, "ring       %u%s\n", cfg->ring, cfg->ring ? "" : " (auto)");
	fprintf(f, "inflight   %u%s\n", cfg->inflight,
		cfg->inflight ? "" : " (ring)");
	if (cfg->jobs)
		fprintf(f, "jobs       %" PRIu64 "\n", cfg->jobs);
	else
		fprintf(f, "duration   %g s\n", cfg->duration);
	fprintf(f, "lcore-map ");
	if (cfg->n_lmap == 0)
		fprintf(f, " none (main lcore)");
	for (i = 0; i < cfg->n_lmap; i++)
		fprintf(f, " %u@%s", cfg->lmap[i].lcore, cfg->lmap[i].dev);
	fprintf(f, "\nverify     %s\nlatency    %s\n", cfg->verify ? "on" : "off",
		cfg->latency ? "on" : "off");
	fprintf(f, "csv        %s\n", cfg->csv[0] ? cfg->csv : "none");
	fprintf(f, "progress   %u ms\ntimeout    %u ms\n", cfg->progress_ms,
		cfg->timeout_ms);
	fprintf(f, "buf-mem    %" PRIu64 "\n", cfg->buf_mem);
	if (cfg->ep_size)
		fprintf(f, "ep-addr    0x%" PRIx64 " size %" PRIu64 "\n",
			cfg->ep_addr, cfg->ep_size);
	if (cfg->ep_map[0])
		fprintf(f, "ep-map     %s@0x%" PRIx64 "\n", cfg->ep_map,
			cfg->ep_map_off);
}
