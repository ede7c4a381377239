/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_TEST_H
#define EP_TEST_H

/*
 * Minimal test harness shared by the functional test programs.
 *
 * Each test program prints one line per case, "PASS <suite>/<case>",
 * "FAIL <suite>/<case>" or "SKIP <suite>/<case>", and exits non-zero when a
 * case failed; devtools/run-tests.sh sums those lines over every program.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>

#define EP_TEST_SKIPPED 77

/* Fail the current case with a message saying what and where. */
#define EP_TEST_ASSERT(cond, ...) do { \
	if (!(cond)) { \
		printf("  %s:%d: assertion '%s' failed: ", __FILE__, __LINE__, \
			#cond); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		return -1; \
	} \
} while (0)

#define EP_TEST_ASSERT_EQ(a, b, ...) do { \
	long long ep_a_ = (long long)(a), ep_b_ = (long long)(b); \
	if (ep_a_ != ep_b_) { \
		printf("  %s:%d: %s == %s failed (%lld != %lld): ", __FILE__, \
			__LINE__, #a, #b, ep_a_, ep_b_); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		return -1; \
	} \
} while (0)

/*
 * Teardown that runs whatever a case's outcome. A case registers what it set
 * up under a name (ep_test_defer) and cancels the registration when it tears
 * it down itself (ep_test_undefer); after each case the runner tears down
 * what is still registered, newest first. A failed assertion returns at
 * once, so without this a failing case left its devices, model threads and
 * DMA running into the next case. The name is copied: the case's stack is
 * gone by then.
 */
#define EP_TEST_MAX_DEFER 16

struct ep_test_deferred {
	void (*fn)(const char *name);
	char name[64];
};

static struct ep_test_deferred ep_test_defers[EP_TEST_MAX_DEFER];
static unsigned int ep_test_ndefers;

static inline void
ep_test_defer(void (*fn)(const char *name), const char *name)
{
	struct ep_test_deferred *d;

	if (ep_test_ndefers == EP_TEST_MAX_DEFER) {
		printf("  (more than %u teardowns registered: %s is not)\n",
			EP_TEST_MAX_DEFER, name);
		return;
	}
	d = &ep_test_defers[ep_test_ndefers++];
	d->fn = fn;
	snprintf(d->name, sizeof(d->name), "%s", name);
}

static inline void
ep_test_undefer(const char *name)
{
	unsigned int i;

	for (i = ep_test_ndefers; i-- > 0; ) {
		if (strcmp(ep_test_defers[i].name, name) != 0)
			continue;
		memmove(&ep_test_defers[i], &ep_test_defers[i + 1],
			(ep_test_ndefers - i - 1) * sizeof(ep_test_defers[0]));
		ep_test_ndefers--;
		return;
	}
}

/* Tear down what the last case left registered; returns how many. */
static inline unsigned int
ep_test_run_deferred(void)
{
	unsigned int n = ep_test_ndefers;

	while (ep_test_ndefers > 0) {
		struct ep_test_deferred d = ep_test_defers[--ep_test_ndefers];

		d.fn(d.name);
	}
	return n;
}

struct ep_test_case {
	const char *name;
	int (*fn)(void);  /* 0 pass, EP_TEST_SKIPPED skip, anything else fail */
};

/* Run cases; returns the number of failures. 'filter' (may be NULL) selects
 * cases whose name contains it.
 */
static inline int
ep_test_run(const char *suite, const struct ep_test_case *cases,
		unsigned int n, const char *filter)
{
	/* EP_TEST_SUITE_SUFFIX names a variant run of the same cases */
	const char *sfx = getenv("EP_TEST_SUITE_SUFFIX");
	unsigned int i, failed = 0;

	if (sfx == NULL)
		sfx = "";
	for (i = 0; i < n; i++) {
		int rc;

		if (filter != NULL && strstr(cases[i].name, filter) == NULL)
			continue;
		fflush(stdout);
		rc = cases[i].fn();
		if (ep_test_run_deferred() != 0 && rc == 0) {
			printf("  the case left set-up behind (torn down now)\n");
			rc = -1;
		}
		printf("%s %s%s/%s\n", rc == 0 ? "PASS" :
			rc == EP_TEST_SKIPPED ? "SKIP" : "FAIL",
			suite, sfx, cases[i].name);
		fflush(stdout);
		if (rc != 0 && rc != EP_TEST_SKIPPED)
			failed++;
	}
	return failed;
}

/*
 * main() of a test program that takes EAL options: initialise EAL, run the
 * optional set-up (a failure is reported as case "<suite>/setup"), run the
 * cases (the first argument after the EAL options filters them), clean up.
 * Returns the process exit status.
 */
static inline int
ep_test_eal_main(int argc, char **argv, const char *suite,
		const struct ep_test_case *cases, unsigned int n,
		int (*setup)(void))
{
	const char *filter = NULL;
	int used, failed;

	used = rte_eal_init(argc, argv);
	if (used < 0) {
		printf("FAIL %s/eal_init\n", suite);
		return 1;
	}
	if (argc - used > 1)
		filter = argv[used + 1];
	if (setup != NULL && setup() != 0) {
		printf("FAIL %s/setup\n", suite);
		rte_eal_cleanup();
		return 1;
	}
	failed = ep_test_run(suite, cases, n, filter);
	rte_eal_cleanup();
	return failed ? 1 : 0;
}

#endif /* EP_TEST_H */
