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
	ep_cost_defaults(&cfg->cost);
}

/*
 * Every parameter, in the order of --help and "help". The command line and
 * "set" share the names; TAB completion offers them.
 */
const struct ep_param ep_params[] = {
	{ "dev", "ID|NAME|GLOB[,...]",
		"devices (repeatable; glob on names; default all)" },
	{ "dir", "auto|mem2dev|dev2mem|mem2mem",
		"direction; auto = a dw_edma channel's own, mem2mem for others" },
	{ "size", "N[,N...]", "bytes per job (K/M suffixes); a list is a sweep" },
	{ "sg", "N", "segments per job (rte_dma_copy_sg when > 1)" },
	{ "burst", "N", "jobs per rte_dma_submit (default 32; at most the ring)" },
	{ "ring", "N", "descriptors per vchan (default: device max, <= 1024)" },
	{ "inflight", "N", "outstanding jobs per device (default: ring)" },
	{ "duration", "S", "seconds per size (default 2)" },
	{ "jobs", "N", "jobs per device per size instead of a duration" },
	{ "lcore-map", "L@DEV[,DEV]",
		"lcore L drives DEV (repeatable; default: main lcore)" },
	{ "verify", NULL, "pattern-fill sources, check every destination byte" },
	{ "latency", NULL, "record submit-to-completion latency per job" },
	{ "memcpy", NULL, "also time a plain memcpy loop per size (baseline)" },
	{ "csv", "FILE", "append a CSV row per device and size (opened first)" },
	{ "progress", "MS", "progress line period, 0 = none (default 1000)" },
	{ "timeout", "MS", "fail a device after MS without completions (1000)" },
	{ "buf-mem", "BYTES", "host buffer memory per device and side (8M)" },
	{ "ep-addr", "ADDR", "hardware: endpoint-local buffer for mem2dev/dev2mem" },
	{ "ep-size", "BYTES", "hardware: size of that buffer" },
	{ "ep-map", "FILE[@OFF]", "host mapping of that buffer, to verify" },
	{ "cost-read", "NS", "projection: non-posted MMIO read (default 1000)" },
	{ "cost-store", "NS", "projection: uncached posted store (default 100)" },
	{ "cost-doorbell", "NS", "projection: doorbell store (default 100)" },
	{ "link", "GEN,LANES[,MPS]",
		"link the GB/s are set against (e.g. 4,2,256)" },
	{ NULL, NULL, NULL },
};

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
	unsigned int shift = 0;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	/* a suffix must not carry the value past 64 bits: 2^34+1 G is not 1 G */
	if (*end != '\0' || v > (UINT64_MAX >> shift))
		return -EINVAL;
	v <<= shift;
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
	if (!strcmp(name, "memcpy"))
		return parse_bool(name, value, &cfg->memcpy);
	if (!strncmp(name, "cost-", 5)) {
		double *dst = !strcmp(name + 5, "read") ? &cfg->cost.read_ns :
			!strcmp(name + 5, "store") ? &cfg->cost.store_ns :
			!strcmp(name + 5, "doorbell") ? &cfg->cost.doorbell_ns : NULL;
		double d;

		if (dst == NULL)
			goto unknown;
		errno = 0;
		d = value != NULL ? strtod(value, &end) : -1;
		if (value == NULL || errno != 0 || end == value || *end != '\0' ||
				!(d >= 0) || d > 1e9) {
			fprintf(stderr, "invalid --%s '%s': expected nanoseconds "
				"in [0, 1e9]\n", name, value ? value : "");
			return -EINVAL;
		}
		*dst = d;
		return 0;
	}
	if (!strcmp(name, "link")) {
		if (value != NULL && !strcmp(value, "none")) {
			cfg->link_gen = 0;
			return 0;
		}
		if (ep_link_parse(value, &cfg->link_gen, &cfg->link_lanes,
				&cfg->link_mps) < 0) {
			fprintf(stderr, "invalid --link '%s': expected GEN,LANES[,MPS] "
				"with GEN 1..5, LANES 1, 2, 4, 8 or 16, MPS 128, 256 or "
				"512 (e.g. 4,2,256), or none\n", value ? value : "");
			return -EINVAL;
		}
		return 0;
	}
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
unknown:
	fprintf(stderr, "unknown parameter '%s' (help lists them)\n", name);
	return -EINVAL;
}

void
ep_config_usage(FILE *f, const char *prog)
{
	const struct ep_param *p;
	char left[64];

	fprintf(f, "Usage: %s [EAL options] -- [options]\n", prog);
	for (p = ep_params; p->name != NULL; p++) {
		snprintf(left, sizeof(left), "--%s%s%s", p->name, p->arg ? " " : "",
			p->arg ? p->arg : "");
		if (strlen(left) > 24)
			fprintf(f, "  %s\n  %-24s %s\n", left, "", p->help);
		else
			fprintf(f, "  %-24s %s\n", left, p->help);
	}
	fprintf(f,
"  --list                   list the dmadevs (driver, directions, ring, dw_edma\n"
"                           channel and completion mode) and exit\n"
"  --costs                  print the PCIe cost model (and --link) and exit\n"
"  -i, --interactive        command prompt\n"
"  -h, --help               this text\n");
}

enum { OPT_LIST = 256, OPT_COSTS };

/* @return 0, 1 when help was printed, negative on error. */
int
ep_config_parse_args(struct ep_config *cfg, int argc, char **argv)
{
	/* the parameters, four actions, the terminator */
	struct option opts[RTE_DIM(ep_params) + 4];
	bool dev_given = false;
	unsigned int n = 0, i;
	int opt, idx;

	for (i = 0; ep_params[i].name != NULL; i++)
		opts[n++] = (struct option){ ep_params[i].name,
			ep_params[i].arg ? required_argument : no_argument, NULL, 0 };
	opts[n++] = (struct option){ "list", no_argument, NULL, OPT_LIST };
	opts[n++] = (struct option){ "costs", no_argument, NULL, OPT_COSTS };
	opts[n++] = (struct option){ "interactive", no_argument, NULL, 'i' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };

	/*
	 * 0, not 1: glibc then also resets its hidden state (the rest of a
	 * cluster such as "-hi" left after returning for -h, the permutation
	 * bounds). With 1 a second call went on with that state and read past
	 * the new argv (a crash the option fuzzer found).
	 */
	optind = 0;
	while ((opt = getopt_long(argc, argv, "ih", opts, &idx)) != -1) {
		switch (opt) {
		case 0:
			if (!strcmp(opts[idx].name, "dev")) {
				/* --dev repeats add up; the first replaces "all" */
				if (!dev_given)
					cfg->n_devs = 0;
				dev_given = true;
				if (add_devs(cfg, optarg) < 0)
					return -EINVAL;
				break;
			}
			if (ep_config_set(cfg, opts[idx].name, optarg) < 0)
				return -EINVAL;
			break;
		case OPT_LIST:
			cfg->list = true;
			break;
		case OPT_COSTS:
			cfg->costs = true;
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

/*
 * Current value of parameter name as text, as "show config" and "help"
 * print it. @return 0, or -EINVAL for an unknown name.
 */
int
ep_config_get(const struct ep_config *cfg, const char *name, char *buf,
		size_t len)
{
	size_t o = 0;
	unsigned int i;

#define PUT(...) do { \
	if (o < len) \
		o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__); \
} while (0)
	buf[0] = '\0';
	if (!strcmp(name, "dev")) {
		if (cfg->n_devs == 0)
			PUT("all");
		for (i = 0; i < cfg->n_devs; i++)
			PUT("%s%s", i ? "," : "", cfg->devs[i]);
	} else if (!strcmp(name, "dir")) {
		PUT("%s", ep_dir_name(cfg->dir));
	} else if (!strcmp(name, "size")) {
		for (i = 0; i < cfg->n_sizes; i++)
			PUT("%s%u", i ? "," : "", cfg->sizes[i]);
	} else if (!strcmp(name, "sg")) {
		PUT("%u", cfg->sg);
	} else if (!strcmp(name, "burst")) {
		PUT("%u", cfg->burst);
	} else if (!strcmp(name, "ring")) {
		PUT("%u%s", cfg->ring, cfg->ring ? "" : " (device max)");
	} else if (!strcmp(name, "inflight")) {
		PUT("%u%s", cfg->inflight, cfg->inflight ? "" : " (ring)");
	} else if (!strcmp(name, "duration")) {
		PUT("%g s%s", cfg->duration, cfg->jobs ? " (jobs set)" : "");
	} else if (!strcmp(name, "jobs")) {
		PUT("%" PRIu64 "%s", cfg->jobs, cfg->jobs ? "" : " (duration)");
	} else if (!strcmp(name, "lcore-map")) {
		if (cfg->n_lmap == 0)
			PUT("none (main lcore)");
		for (i = 0; i < cfg->n_lmap; i++)
			PUT("%s%u@%s", i ? " " : "", cfg->lmap[i].lcore,
				cfg->lmap[i].dev);
	} else if (!strcmp(name, "verify")) {
		PUT("%s", cfg->verify ? "on" : "off");
	} else if (!strcmp(name, "latency")) {
		PUT("%s", cfg->latency ? "on" : "off");
	} else if (!strcmp(name, "memcpy")) {
		PUT("%s", cfg->memcpy ? "on" : "off");
	} else if (!strcmp(name, "csv")) {
		PUT("%s", cfg->csv[0] ? cfg->csv : "none");
	} else if (!strcmp(name, "progress")) {
		PUT("%u ms", cfg->progress_ms);
	} else if (!strcmp(name, "timeout")) {
		PUT("%u ms", cfg->timeout_ms);
	} else if (!strcmp(name, "buf-mem")) {
		PUT("%" PRIu64, cfg->buf_mem);
	} else if (!strcmp(name, "ep-addr")) {
		PUT("0x%" PRIx64, cfg->ep_addr);
	} else if (!strcmp(name, "ep-size")) {
		PUT("%" PRIu64 "%s", cfg->ep_size, cfg->ep_size ? "" :
			" (simulated endpoint memory)");
	} else if (!strcmp(name, "ep-map")) {
		if (cfg->ep_map[0])
			PUT("%s@0x%" PRIx64, cfg->ep_map, cfg->ep_map_off);
		else
			PUT("none");
	} else if (!strcmp(name, "cost-read")) {
		PUT("%g ns", cfg->cost.read_ns);
	} else if (!strcmp(name, "cost-store")) {
		PUT("%g ns", cfg->cost.store_ns);
	} else if (!strcmp(name, "cost-doorbell")) {
		PUT("%g ns", cfg->cost.doorbell_ns);
	} else if (!strcmp(name, "link")) {
		if (cfg->link_gen)
			PUT("%u,%u,%u", cfg->link_gen, cfg->link_lanes,
				cfg->link_mps);
		else
			PUT("none");
	} else {
		return -EINVAL;
	}
#undef PUT
	return 0;
}

void
ep_config_print(FILE *f, const struct ep_config *cfg)
{
	const struct ep_param *p;
	char v[1024];

	for (p = ep_params; p->name != NULL; p++)
		if (ep_config_get(cfg, p->name, v, sizeof(v)) == 0)
			fprintf(f, "%-14s %s\n", p->name, v);
}
