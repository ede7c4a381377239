/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * ep-model-pci: serve the endpoint model as PCI functions of a QEMU guest
 * over QEMU's multi-process link (-device x-pci-proxy-dev,fd=N), so that a
 * driver in the guest, bound through vfio-pci, drives the model as it
 * drives silicon. See doc/guides/ep_model/pci_function.rst.
 *
 * DPDK is linked for logging and key=value parsing only: rte_eal_init() is
 * never called (the guest's DMA reaches guest RAM through shared memory,
 * not through DPDK memory).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <rte_common.h>
#include <rte_kvargs.h>
#include <rte_log.h>

#include "ep_model.h"
#include "ep_pcifn.h"
#include "ep_transport.h"

#define PROG "ep-model-pci"
#define MAX_FNS 8

enum exit_code {
	EXIT_OK = 0,
	EXIT_VIOLATIONS = 1,
	EXIT_SETUP = 2,
	EXIT_PROTOCOL = 3,
	EXIT_COMMAND = 4,
};

struct slot {
	const char *spec;	/* the --fn argument */
	struct ep_pcifn_opts o;
	char name[32];
	char model_args[1024];
	bool func_set;		/* blank: func= given; dma: model key func given */
	bool mf_set;
	int fd;			/* our end of the link, -1 until known */
	int peer;		/* QEMU's end when we spawn it, else -1 */
	bool placeholder_used;
	struct ep_pcifn *fn;
	void *conn;
	bool closed;
};

static struct slot slots[MAX_FNS];
static unsigned int nslots;
static char model_specs[MAX_FNS][1100];	/* --model KEYS as "dma:KEYS" */
static volatile sig_atomic_t quit_sig;

/* Identity defaults for every function (the --vendor ... options). */
static struct {
	int vendor, device, subsys_vendor, subsys, revision;
	int pcie;
	int64_t bar64_min;
} defaults = { -1, -1, -1, -1, -1, -1, -1 };

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [OPTIONS] [-- COMMAND [ARG]...]\n"
"Serve the endpoint model as PCI functions of a QEMU 7.2 guest over QEMU's\n"
"multi-process link (-device x-pci-proxy-dev,fd=N).\n"
"\n"
"Functions (each one is one x-pci-proxy-dev in QEMU):\n"
"  --fn KIND[:KEYS]      serve a function; KIND is dma or blank; repeatable.\n"
"                        KEYS is key=value,... :\n"
"                          dma: endpoint model keys (ep_model.rst); its func key\n"
"                               is the PCI function number (default 1);\n"
"                               pci_func=N presents it at function N anyway\n"
"                               (negative tests: every DMA then faults)\n"
"                          blank: func=N (default 0), bar0..bar5=BYTES (bar0=4K)\n"
"                          both: fd=N vendor= device= subsys_vendor= subsys=\n"
"                               rev= class= multifunction=0|1\n"
"                               pcie=none|rciep|endpoint bar64_min=BYTES\n"
"  --model KEYS          the same as --fn dma:KEYS\n"
"  --fd N                connected socket of the only function\n"
"Defaults for every function:\n"
"  --vendor ID  --device ID  --subsys-vendor ID  --subsys ID  --revision N\n"
"  --pcie none|rciep|endpoint   PCI Express capability (default rciep)\n"
"  --bar64-min BYTES     BARs at least this long are 64-bit (default 256M)\n"
"Logging:\n"
"  --log-level [TYPE:]LEVEL   e.g. debug, ep_model:info; repeatable\n"
"  -v, --verbose         more detail (twice: debug)\n"
"  --log-file FILE       log there instead of stderr\n"
"  -h, --help\n"
"\n"
"With a COMMAND (QEMU), a socket pair is made for every function without\n"
"fd=; \"@FD@\" (one function) or \"@FD<n>@\" (function n) in its arguments\n"
"becomes QEMU's end, e.g.\n"
"  " PROG " --model wr=2,rd=2,func=1 -- qemu-system-x86_64 ... \\\n"
"      -device x-pci-proxy-dev,id=epdma,fd=@FD@,addr=3.1\n"
"\n"
"Exit status: 0 clean, 1 the model saw ownership violations, 2 usage or setup\n"
"error, 3 protocol error, 4 the command failed.\n");
}

static void
on_signal(int sig)
{
	quit_sig = sig;
}

/* Decimal or 0x hexadecimal, with an optional K, M or G (binary) suffix. */
static int
parse_u64(const char *s, uint64_t *out)
{
	unsigned int shift = 0;
	char *end;
	uint64_t v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno != 0 || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	default:
		break;
	}
	if (*end != '\0' || (shift != 0 && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int
parse_bounded(const char *what, const char *s, uint64_t max, uint64_t *out)
{
	if (parse_u64(s, out) != 0 || *out > max) {
		fprintf(stderr, PROG ": %s: bad value '%s' (0..0x%" PRIx64 ")\n", what, s, max);
		return -EINVAL;
	}
	return 0;
}

static int
parse_pcie(const char *s, enum ep_pcifn_pcie *out)
{
	if (strcmp(s, "none") == 0)
		*out = EP_PCIFN_PCIE_NONE;
	else if (strcmp(s, "rciep") == 0)
		*out = EP_PCIFN_PCIE_RCIEP;
	else if (strcmp(s, "endpoint") == 0)
		*out = EP_PCIFN_PCIE_ENDPOINT;
	else {
		fprintf(stderr, PROG ": pcie: '%s' is not none, rciep or endpoint\n", s);
		return -EINVAL;
	}
	return 0;
}

static bool
is_model_key(const char *k)
{
	unsigned int i;

	for (i = 0; ep_model_keys[i] != NULL; i++)
		if (strcmp(ep_model_keys[i], k) == 0)
			return true;
	return false;
}

/* One key of a --fn that belongs to the function rather than to the model. */
static int
fn_key(struct slot *s, const char *k, const char *v)
{
	uint64_t n;

	if (strcmp(k, "fd") == 0) {
		if (parse_bounded("fd", v, INT32_MAX, &n) != 0)
			return -EINVAL;
		s->fd = (int)n;
	} else if (strcmp(k, "vendor") == 0 || strcmp(k, "device") == 0 ||
			strcmp(k, "subsys_vendor") == 0 || strcmp(k, "subsys") == 0) {
		if (parse_bounded(k, v, 0xffff, &n) != 0)
			return -EINVAL;
		if (k[0] == 'v')
			s->o.vendor = (uint16_t)n;
		else if (k[0] == 'd')
			s->o.device = (uint16_t)n;
		else if (strcmp(k, "subsys") == 0)
			s->o.subsys = (uint16_t)n;
		else
			s->o.subsys_vendor = (uint16_t)n;
	} else if (strcmp(k, "rev") == 0) {
		if (parse_bounded(k, v, 0xff, &n) != 0)
			return -EINVAL;
		s->o.revision = (uint8_t)n;
	} else if (strcmp(k, "class") == 0) {
		if (parse_bounded(k, v, 0xffffff, &n) != 0)
			return -EINVAL;
		s->o.class_code = (uint32_t)n;
	} else if (strcmp(k, "multifunction") == 0) {
		if (parse_bounded(k, v, 1, &n) != 0)
			return -EINVAL;
		s->o.multifunction = n != 0;
		s->mf_set = true;
	} else if (strcmp(k, "pcie") == 0) {
		return parse_pcie(v, &s->o.pcie);
	} else if (strcmp(k, "bar64_min") == 0) {
		return parse_bounded(k, v, UINT64_MAX, &s->o.bar64_min);
	} else {
		return -ENOENT;
	}
	return 0;
}

static int
blank_key(struct slot *s, const char *k, const char *v)
{
	uint64_t n;

	if (strcmp(k, "func") == 0) {
		if (parse_bounded(k, v, 7, &n) != 0)
			return -EINVAL;
		s->o.func = (unsigned int)n;
		s->func_set = true;
		return 0;
	}
	if (strlen(k) == 4 && strncmp(k, "bar", 3) == 0 && k[3] >= '0' && k[3] <= '5')
		return parse_bounded(k, v, 1ULL << 40, &s->o.blank_bar_len[k[3] - '0']);
	return -ENOENT;
}

static int
add_fn(const char *spec)
{
	if (nslots == MAX_FNS) {
		fprintf(stderr, PROG ": at most %u functions\n", MAX_FNS);
		return -EINVAL;
	}
	memset(&slots[nslots], 0, sizeof(slots[nslots]));
	slots[nslots].spec = spec;
	slots[nslots].fd = -1;
	slots[nslots].peer = -1;
	nslots++;
	return 0;
}

static void
apply_defaults(struct ep_pcifn_opts *o)
{
	if (defaults.vendor >= 0)
		o->vendor = (uint16_t)defaults.vendor;
	if (defaults.device >= 0)
		o->device = (uint16_t)defaults.device;
	if (defaults.subsys_vendor >= 0)
		o->subsys_vendor = (uint16_t)defaults.subsys_vendor;
	if (defaults.subsys >= 0)
		o->subsys = (uint16_t)defaults.subsys;
	if (defaults.revision >= 0)
		o->revision = (uint8_t)defaults.revision;
	if (defaults.pcie >= 0)
		o->pcie = (enum ep_pcifn_pcie)defaults.pcie;
	if (defaults.bar64_min >= 0)
		o->bar64_min = (uint64_t)defaults.bar64_min;
}

/* Options of a --fn: defaults first, then its own keys. */
static int
parse_fn(struct slot *s)
{
	const char *spec = s->spec, *colon = strchr(spec, ':');
	size_t klen = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	struct rte_kvargs *kv = NULL;
	enum ep_pcifn_kind kind;
	unsigned int i;
	uint64_t n;
	int rc = 0;

	if (klen == 3 && strncmp(spec, "dma", 3) == 0)
		kind = EP_PCIFN_DMA;
	else if (klen == 5 && strncmp(spec, "blank", 5) == 0)
		kind = EP_PCIFN_BLANK;
	else {
		fprintf(stderr, PROG ": --fn %s: the kind is dma or blank\n", spec);
		return -EINVAL;
	}
	ep_pcifn_opts_init(&s->o, kind);
	apply_defaults(&s->o);
	/* The model's default requester function. */
	if (kind == EP_PCIFN_DMA)
		s->o.func = 1;
	if (colon != NULL && colon[1] != '\0') {
		kv = rte_kvargs_parse(colon + 1, NULL);
		if (kv == NULL) {
			fprintf(stderr, PROG ": --fn %s: cannot parse '%s' as key=value,...\n",
				spec, colon + 1);
			return -EINVAL;
		}
		for (i = 0; i < kv->count && rc == 0; i++) {
			const char *k = kv->pairs[i].key, *v = kv->pairs[i].value;

			if (v == NULL)
				v = "";
			rc = fn_key(s, k, v);
			if (rc == -ENOENT && kind == EP_PCIFN_BLANK)
				rc = blank_key(s, k, v);
			if (rc == -ENOENT && kind == EP_PCIFN_DMA && strcmp(k, "pci_func") == 0) {
				rc = parse_bounded(k, v, 7, &n);
				if (rc == 0)
					s->o.pci_func = (int)n;
			}
			if (rc == -ENOENT && kind == EP_PCIFN_DMA && is_model_key(k)) {
				size_t used = strlen(s->model_args);
				int w = snprintf(s->model_args + used,
					sizeof(s->model_args) - used, "%s%s=%s",
					used != 0 ? "," : "", k, v);

				rc = (w < 0 || (size_t)w >= sizeof(s->model_args) - used) ?
					-E2BIG : 0;
				if (strcmp(k, "func") == 0 && rc == 0) {
					/* the model checks the value; 0..7 is ours */
					if (parse_u64(v, &n) != 0 || n > 7) {
						fprintf(stderr, PROG ": --fn %s: func=%s: the PCI "
							"function number is 0..7\n", spec, v);
						rc = -EINVAL;
					}
					s->o.func = (unsigned int)n;
					s->func_set = true;
				}
				if (strcmp(k, "thread") == 0 && strcmp(v, "1") != 0) {
					fprintf(stderr, PROG ": --fn %s: thread=%s: the "
						"engine must run in its own thread (thread=1) "
						"to serve a live guest\n", spec, v);
					rc = -EINVAL;
				}
			}
			if (rc == -ENOENT)
				fprintf(stderr, PROG ": --fn %s: unknown key '%s'%s\n", spec, k,
					kind == EP_PCIFN_DMA ? " (neither a function key nor an "
					"endpoint model key)" : " for a blank function");
			else if (rc == -E2BIG)
				fprintf(stderr, PROG ": --fn %s: model keys too long\n", spec);
		}
		rte_kvargs_free(kv);
		if (rc != 0)
			return -EINVAL;
	}
	/* Placeholders and addr= name the function number the host sees. */
	if (s->o.pci_func >= 0)
		s->o.func = (unsigned int)s->o.pci_func;
	return 0;
}

static int
parse_level(const char *s)
{
	static const char *const names[] = { "emergency", "alert", "critical", "error",
		"warning", "notice", "info", "debug" };
	unsigned int i;
	uint64_t n;

	for (i = 0; i < RTE_DIM(names); i++)
		if (strcasecmp(s, names[i]) == 0 || (strlen(s) >= 3 &&
				strncasecmp(s, names[i], strlen(s)) == 0))
			return (int)i + 1;
	if (parse_u64(s, &n) == 0 && n >= 1 && n <= 8)
		return (int)n;
	return -1;
}

static int
set_log_level(const char *arg)
{
	const char *colon = strrchr(arg, ':');
	char type[128];
	int level;

	level = parse_level(colon != NULL ? colon + 1 : arg);
	if (level < 0) {
		fprintf(stderr, PROG ": --log-level %s: unknown level\n", arg);
		return -EINVAL;
	}
	if (colon == NULL) {
		rte_log_set_global_level((uint32_t)level);
		return rte_log_set_level_pattern("*", (uint32_t)level);
	}
	if ((size_t)(colon - arg) >= sizeof(type)) {
		fprintf(stderr, PROG ": --log-level %s: type too long\n", arg);
		return -EINVAL;
	}
	memcpy(type, arg, (size_t)(colon - arg));
	type[colon - arg] = '\0';
	/* a bare name also covers its sub-types (ep_model.* ...) */
	if (rte_log_set_level_pattern(type, (uint32_t)level) != 0)
		return -EINVAL;
	if (strchr(type, '*') == NULL && strlen(type) + 3 <= sizeof(type)) {
		strcat(type, ".*");
		rte_log_set_level_pattern(type, (uint32_t)level);
	}
	return 0;
}

/* The function number QEMU is told to present in "...,addr=S.F,..." (or -1). */
static int
addr_func(const char *arg)
{
	const char *p = arg;

	while ((p = strstr(p, "addr=")) != NULL) {
		if (p == arg || p[-1] == ',') {
			const char *dot;

			p += 5;
			dot = strpbrk(p, ".,");
			if (dot == NULL || *dot == ',')
				return 0;
			return (int)strtol(dot + 1, NULL, 16);
		}
		p += 5;
	}
	return -1;
}

/* Replace the placeholders of every function in arg; NULL on error. */
static char *
substitute(const char *arg)
{
	size_t cap = strlen(arg) + 16 * MAX_FNS + 1, len = 0;
	char *out = malloc(cap);
	const char *p = arg;
	int af = addr_func(arg);

	if (out == NULL)
		return NULL;
	while (*p != '\0') {
		struct slot *hit = NULL;
		size_t skip = 0;
		unsigned int i;

		if (strncmp(p, "@FD", 3) == 0) {
			if (strncmp(p, "@FD@", 4) == 0) {
				if (nslots != 1) {
					fprintf(stderr, PROG ": \"@FD@\" is ambiguous with %u "
						"functions: use @FD<n>@ with the function number\n",
						nslots);
					free(out);
					return NULL;
				}
				hit = &slots[0];
				skip = 4;
			} else if (p[3] >= '0' && p[3] <= '7' && p[4] == '@') {
				for (i = 0; i < nslots; i++)
					if (slots[i].o.func == (unsigned int)(p[3] - '0'))
						hit = &slots[i];
				if (hit == NULL) {
					fprintf(stderr, PROG ": \"%.5s\": no function %c is "
						"served\n", p, p[3]);
					free(out);
					return NULL;
				}
				skip = 5;
			}
		}
		if (hit == NULL) {
			out[len++] = *p++;
			continue;
		}
		if (hit->peer < 0) {
			fprintf(stderr, PROG ": \"%.*s\": function %u was given fd=%d, not a "
				"socket for the command\n", (int)skip, p, ep_pcifn_func(hit->fn),
				hit->fd);
			free(out);
			return NULL;
		}
		/* The requester function the model checks is the one QEMU presents. */
		if (af >= 0 && (unsigned int)af != ep_pcifn_func(hit->fn)) {
			fprintf(stderr, PROG ": '%s' places function %u at PCI function %d; "
				"the function number must be %u (the model's func key is the "
				"requester function its DMA checks)\n", arg,
				ep_pcifn_func(hit->fn), af, ep_pcifn_func(hit->fn));
			free(out);
			return NULL;
		}
		len += (size_t)snprintf(out + len, cap - len, "%d", hit->peer);
		hit->placeholder_used = true;
		p += skip;
	}
	out[len] = '\0';
	return out;
}

static pid_t
spawn(char **argv, int argc)
{
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	unsigned int i;
	int k;
	pid_t pid = -1;

	if (args == NULL)
		return -1;
	for (k = 0; k < argc; k++) {
		args[k] = substitute(argv[k]);
		if (args[k] == NULL)
			goto out;
	}
	for (i = 0; i < nslots; i++) {
		if (slots[i].peer >= 0 && !slots[i].placeholder_used) {
			fprintf(stderr, PROG ": the command never mentions @FD%u@ (or @FD@): "
				"QEMU would not connect function %u\n",
				ep_pcifn_func(slots[i].fn), ep_pcifn_func(slots[i].fn));
			goto out;
		}
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror(PROG ": fork");
		goto out;
	}
	if (pid == 0) {
		/* QEMU keeps its ends open across exec, and only those. */
		for (i = 0; i < nslots; i++)
			if (slots[i].peer >= 0)
				fcntl(slots[i].peer, F_SETFD, 0);
		execvp(args[0], args);
		fprintf(stderr, PROG ": cannot run %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}
out:
	for (k = 0; k < argc; k++)
		free(args[k]);
	free(args);
	return pid;
}

static void
report(struct slot *s)
{
	struct ep_pcifn_counters c;
	char buf[160];
	unsigned int i;

	ep_pcifn_counters_get(s->fn, &c);
	if (ep_pcifn_kind_get(s->fn) == EP_PCIFN_BLANK) {
		fprintf(stderr, PROG ": function %u (blank): %" PRIu64 " BAR reads, %" PRIu64
			" BAR writes, %u resets, %" PRIu64 " violations\n",
			ep_pcifn_func(s->fn), c.bar_reads, c.bar_writes, c.resets,
			c.violations);
		return;
	}
	fprintf(stderr, PROG ": function %u (dma): %" PRIu64 " elements, %" PRIu64 " bytes, %"
		PRIu64 " doorbells, %" PRIu64 " aborts, %" PRIu64 " BAR reads, %" PRIu64
		" BAR writes, %" PRIu64 " unclaimed, %u resets, %" PRIu64 " violations\n",
		ep_pcifn_func(s->fn), c.elements, c.bytes, c.doorbells, c.aborts,
		c.bar_reads, c.bar_writes, c.unclaimed, c.resets, c.violations);
	for (i = 0; ep_model_violation_get(ep_pcifn_model(s->fn), i, buf, sizeof(buf)) == 0;
			i++)
		fprintf(stderr, PROG ":   violation %u: %s\n", i, buf);
}

/* Serve every connection until all are closed or we are told to stop. */
static int
serve(const struct ep_transport_ops *tr, pid_t child)
{
	struct pollfd pfd[MAX_FNS];
	unsigned int idx[MAX_FNS], i, n, open_conns = nslots;
	bool forwarded = false;
	int status = EXIT_OK;

	while (open_conns > 0) {
		if (quit_sig != 0) {
			if (child <= 0 || forwarded)
				break;
			/* Let QEMU shut down; its sockets then close. */
			kill(child, quit_sig);
			forwarded = true;
			quit_sig = 0;
		}
		for (i = 0, n = 0; i < nslots; i++) {
			if (slots[i].closed)
				continue;
			pfd[n].fd = tr->pollfd(slots[i].conn);
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			idx[n++] = i;
		}
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": poll");
			return EXIT_SETUP;
		}
		for (i = 0; i < n; i++) {
			struct slot *s = &slots[idx[i]];
			int rc;

			if (pfd[i].revents == 0)
				continue;
			rc = tr->serve(s->conn);
			if (rc == 0)
				continue;
			if (rc < 0)
				status = EXIT_PROTOCOL;
			tr->detach(s->conn);
			s->conn = NULL;
			s->fd = -1;
			s->closed = true;
			open_conns--;
		}
	}
	return status;
}

static int
setup_fns(void)
{
	unsigned int i, j;

	for (i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];

		if (s->o.kind == EP_PCIFN_DMA && !s->func_set) {
			/* Make the default explicit: the placeholder is named by it. */
			size_t used = strlen(s->model_args);

			snprintf(s->model_args + used, sizeof(s->model_args) - used, "%sfunc=1",
				used != 0 ? "," : "");
		}
		for (j = 0; j < i; j++) {
			if (slots[j].o.func == s->o.func) {
				fprintf(stderr, PROG ": two functions numbered %u\n", s->o.func);
				return -EINVAL;
			}
		}
	}
	for (i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];

		snprintf(s->name, sizeof(s->name), "fn%u", s->o.func);
		s->o.name = s->name;
		s->o.model_args = s->model_args;
		s->fn = ep_pcifn_create(&s->o);
		if (s->fn == NULL) {
			fprintf(stderr, PROG ": cannot create function %u (%s); see above\n",
				s->o.func, s->o.kind == EP_PCIFN_DMA ? "dma" : "blank");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Function 0 of a multi-function device carries the multifunction bit in
 * its header type: without it the host does not look for functions 1-7.
 */
static void
fix_multifunction(void)
{
	unsigned int i;

	for (i = 0; i < nslots; i++)
		if (!slots[i].mf_set && nslots > 1 && slots[i].o.func == 0)
			slots[i].o.multifunction = true;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fn", required_argument, NULL, 'F' },
		{ "model", required_argument, NULL, 'M' },
		{ "fd", required_argument, NULL, 'D' },
		{ "vendor", required_argument, NULL, 'V' },
		{ "device", required_argument, NULL, 'I' },
		{ "subsys-vendor", required_argument, NULL, 'S' },
		{ "subsys", required_argument, NULL, 's' },
		{ "revision", required_argument, NULL, 'R' },
		{ "pcie", required_argument, NULL, 'P' },
		{ "bar64-min", required_argument, NULL, 'B' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "log-file", required_argument, NULL, 'O' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct ep_transport_ops *tr = &ep_mpqemu_transport;
	struct sigaction sa;
	FILE *logf = NULL;
	int opt, verbose = 0, fd_opt = -1, status, exit_code = EXIT_OK;
	unsigned int i;
	uint64_t v;
	pid_t child = -1;
	bool any_violation = false;

	while ((opt = getopt_long(argc, argv, "+hv", longopts, NULL)) != -1) {
		enum ep_pcifn_pcie pk;

		switch (opt) {
		case 'F':
			if (add_fn(optarg) != 0)
				return EXIT_SETUP;
			break;
		case 'M':
			if (nslots == MAX_FNS) {
				fprintf(stderr, PROG ": at most %u functions\n", MAX_FNS);
				return EXIT_SETUP;
			}
			snprintf(model_specs[nslots], sizeof(model_specs[nslots]), "dma:%s",
				optarg);
			if (add_fn(model_specs[nslots]) != 0)
				return EXIT_SETUP;
			break;
		case 'D':
			if (parse_bounded("--fd", optarg, INT32_MAX, &v) != 0)
				return EXIT_SETUP;
			fd_opt = (int)v;
			break;
		case 'V': case 'I': case 'S': case 's':
			if (parse_bounded("ID", optarg, 0xffff, &v) != 0)
				return EXIT_SETUP;
			if (opt == 'V')
				defaults.vendor = (int)v;
			else if (opt == 'I')
				defaults.device = (int)v;
			else if (opt == 'S')
				defaults.subsys_vendor = (int)v;
			else
				defaults.subsys = (int)v;
			break;
		case 'R':
			if (parse_bounded("--revision", optarg, 0xff, &v) != 0)
				return EXIT_SETUP;
			defaults.revision = (int)v;
			break;
		case 'P':
			if (parse_pcie(optarg, &pk) != 0)
				return EXIT_SETUP;
			defaults.pcie = (int)pk;
			break;
		case 'B':
			if (parse_bounded("--bar64-min", optarg, INT64_MAX, &v) != 0)
				return EXIT_SETUP;
			defaults.bar64_min = (int64_t)v;
			break;
		case 'L':
			if (set_log_level(optarg) != 0)
				return EXIT_SETUP;
			break;
		case 'O':
			logf = fopen(optarg, "a");
			if (logf == NULL || rte_openlog_stream(logf) != 0) {
				fprintf(stderr, PROG ": --log-file %s: %s\n", optarg,
					strerror(errno));
				return EXIT_SETUP;
			}
			setvbuf(logf, NULL, _IOLBF, 0);
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_SETUP;
		}
	}
	if (verbose > 0) {
		uint32_t lvl = verbose > 1 ? RTE_LOG_DEBUG : RTE_LOG_INFO;

		rte_log_set_level_pattern("ep_model*", lvl);
	}
	if (nslots == 0)
		add_fn("dma");
	for (i = 0; i < nslots; i++)
		if (parse_fn(&slots[i]) != 0)
			return EXIT_SETUP;
	if (fd_opt >= 0) {
		if (nslots != 1) {
			fprintf(stderr, PROG ": --fd with %u functions: give each fd=N in --fn\n",
				nslots);
			return EXIT_SETUP;
		}
		slots[0].fd = fd_opt;
	}
	fix_multifunction();
	if (setup_fns() != 0) {
		exit_code = EXIT_SETUP;
		goto out;
	}
	for (i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];
		int sv[2];

		if (s->fd >= 0)
			continue;
		if (optind >= argc) {
			fprintf(stderr, PROG ": function %u has no socket: give --fd N (or fd=N "
				"in --fn), or a command after --\n", ep_pcifn_func(s->fn));
			exit_code = EXIT_SETUP;
			goto out;
		}
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
			perror(PROG ": socketpair");
			exit_code = EXIT_SETUP;
			goto out;
		}
		s->fd = sv[0];
		s->peer = sv[1];
	}
	for (i = 0; i < nslots; i++) {
		/* Our ends must not leak into the command. */
		fcntl(slots[i].fd, F_SETFD, FD_CLOEXEC);
		slots[i].conn = tr->attach(slots[i].fd, slots[i].fn);
		if (slots[i].conn == NULL) {
			slots[i].fd = -1;
			exit_code = EXIT_SETUP;
			goto out;
		}
	}
	if (optind < argc) {
		child = spawn(argv + optind, argc - optind);
		for (i = 0; i < nslots; i++) {
			if (slots[i].peer >= 0)
				close(slots[i].peer);
			slots[i].peer = -1;
		}
		if (child < 0) {
			exit_code = EXIT_SETUP;
			goto out;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	for (i = 0; i < nslots; i++)
		fprintf(stderr, PROG ": serving function %u (%s) over %s\n",
			ep_pcifn_func(slots[i].fn),
			ep_pcifn_kind_get(slots[i].fn) == EP_PCIFN_DMA ? "dma" : "blank", tr->name);
	exit_code = serve(tr, child);
	if (child > 0) {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			fprintf(stderr, PROG ": %s exited with status %d\n", argv[optind],
				WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			fprintf(stderr, PROG ": %s killed by signal %d\n", argv[optind],
				WTERMSIG(status));
		if (exit_code == EXIT_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			exit_code = EXIT_COMMAND;
	}
out:
	for (i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];
		struct ep_pcifn_counters c;

		/* The connection owns the socket once attached. */
		if (s->conn != NULL)
			tr->detach(s->conn);
		else if (s->fd >= 0)
			close(s->fd);
		if (s->peer >= 0)
			close(s->peer);
		if (s->fn == NULL)
			continue;
		report(s);
		ep_pcifn_counters_get(s->fn, &c);
		if (c.violations != 0)
			any_violation = true;
		ep_pcifn_destroy(s->fn);
	}
	if (any_violation && (exit_code == EXIT_OK || exit_code == EXIT_COMMAND))
		exit_code = EXIT_VIOLATIONS;
	if (logf != NULL) {
		rte_openlog_stream(NULL);
		fclose(logf);
	}
	return exit_code;
}
