/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Fuzz target: dpdk-test-ep-dma's option parser (options.c), linked without
 * EAL as its unit test links it. The first byte chooses the entry point:
 * even, the command line (the rest split at NUL bytes into arguments, an
 * empty argument starting another command line, each parsed in turn by
 * ep_config_parse_args()); odd, the interactive "set" command
 * (NUL-separated name/value pairs to ep_config_set()). A parsed
 * configuration is printed.
 *
 * Oracles, beyond the sanitizers: a configuration the parser accepted obeys
 * the limits the engine relies on (at least one size, every size and the
 * burst non-zero, counts within their arrays, strings terminated).
 */

#include <string.h>

#include "../../test-ep-dma/ep_dma.h"
#include "fuzz_common.h"

/* The app's log type and quit flag live in main.c, not linked here. */
int ep_dma_logtype;
volatile bool ep_force_quit;

#define FZ_MAX_ARGS	64

static FILE *fz_null;
static FILE *fz_stderr;
static bool fz_quiet;

/* an invariant report must reach the real stderr */
#undef FZ_FAIL
#define FZ_FAIL(...) do { \
	stderr = fz_stderr; \
	fprintf(stderr, "FUZZ INVARIANT %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	fprintf(stderr, "\n"); \
	abort(); \
} while (0)

static void
fz_check_cfg(const struct ep_config *c)
{
	unsigned int i;

	if (c->n_sizes == 0 || c->n_sizes > EP_MAX_SIZES)
		FZ_FAIL("n_sizes %u", c->n_sizes);
	for (i = 0; i < c->n_sizes; i++)
		if (c->sizes[i] == 0)
			FZ_FAIL("size %u is 0", i);
	if (c->burst == 0 || c->sg == 0)
		FZ_FAIL("burst %u sg %u", c->burst, c->sg);
	if (c->n_devs > EP_MAX_DEVS || c->n_lmap > EP_MAX_DEVS)
		FZ_FAIL("n_devs %u n_lmap %u", c->n_devs, c->n_lmap);
	for (i = 0; i < c->n_devs; i++)
		if (memchr(c->devs[i], '\0', EP_NAME_LEN) == NULL)
			FZ_FAIL("device name %u unterminated", i);
	if (memchr(c->csv, '\0', sizeof(c->csv)) == NULL ||
			memchr(c->ep_map, '\0', sizeof(c->ep_map)) == NULL)
		FZ_FAIL("path unterminated");
	ep_config_print(fz_null, c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FZ_MAX_ARGS + 1], *buf, *p, *end;
	struct ep_config c;
	int argc = 0, rc;
	bool set_mode;

	if (size < 1)
		return 0;
	set_mode = data[0] & 1;
	/* a private, terminated copy: the parser may keep pointers into it */
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	end = buf + size - 1;
	/* the parser's complaints about refused values are expected */
	fz_stderr = stderr;
	if (fz_quiet)
		stderr = fz_null;
	if (!set_mode) {
		/*
		 * An empty argument ends a command line: several are parsed one
		 * after the other in this process, as a program (or the unit
		 * test) calling the parser more than once does.
		 */
		p = buf;
		for (;;) {
			argc = 0;
			argv[argc++] = (char *)"fuzz_options";
			for (; p < end && *p != '\0' && argc < FZ_MAX_ARGS; p += strlen(p) + 1)
				argv[argc++] = p;
			argv[argc] = NULL;
			ep_config_defaults(&c);
			rc = ep_config_parse_args(&c, argc, argv);
			if (rc == 0)
				fz_check_cfg(&c);
			if (p >= end)
				break;
			p++;	/* the empty argument */
		}
	} else {
		argv[argc++] = (char *)"fuzz_options";
		for (p = buf; p < end && argc < FZ_MAX_ARGS; p += strlen(p) + 1)
			argv[argc++] = p;
		argv[argc] = NULL;
		ep_config_defaults(&c);
		int i;

		for (i = 1; i + 1 < argc; i += 2) {
			if (ep_config_set(&c, argv[i], argv[i + 1]) == 0)
				fz_check_cfg(&c);
		}
	}
	stderr = fz_stderr;
	free(buf);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fz_stderr = stderr;
	fz_null = fopen("/dev/null", "w");
	if (fz_null == NULL)
		FZ_FAIL("/dev/null");
	fz_quiet = getenv("FUZZ_VERBOSE") == NULL;
	return 0;
}
