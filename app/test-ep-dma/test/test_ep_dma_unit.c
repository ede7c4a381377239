/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Unit tests of dpdk-test-ep-dma's pure parts: the latency histogram and the
 * option parser. No EAL needed.
 */

#include <stdlib.h>
#include <string.h>

#include "../ep_dma.h"
#include "ep_test.h"

/* The app's log type and quit flag live in main.c, not linked here. */
int ep_dma_logtype;
volatile bool ep_force_quit;

static int
within(uint64_t v, uint64_t want, double pct)
{
	double d = (double)v - (double)want;

	return (d < 0 ? -d : d) <= (double)want * pct / 100.0;
}

static int
test_hist_small_exact(void)
{
	static struct ep_hist h;
	uint64_t v;

	ep_hist_reset(&h);
	for (v = 0; v < 32; v++)
		ep_hist_add(&h, v);
	EP_TEST_ASSERT_EQ(h.count, 32, "count");
	EP_TEST_ASSERT_EQ(h.min, 0, "min");
	EP_TEST_ASSERT_EQ(h.max, 31, "max");
	/* below 32 every value has its own bucket */
	EP_TEST_ASSERT_EQ(ep_hist_percentile(&h, 50), 15, "median");
	EP_TEST_ASSERT_EQ(ep_hist_percentile(&h, 100), 31, "p100");
	EP_TEST_ASSERT_EQ(ep_hist_percentile(&h, 0.1), 0, "p0.1");
	return 0;
}

static int
test_hist_uniform(void)
{
	static struct ep_hist h;
	uint64_t v;

	ep_hist_reset(&h);
	for (v = 1; v <= 100000; v++)
		ep_hist_add(&h, v);
	EP_TEST_ASSERT(within(ep_hist_percentile(&h, 50), 50000, 3.2),
		"median %lu", (unsigned long)ep_hist_percentile(&h, 50));
	EP_TEST_ASSERT(within(ep_hist_percentile(&h, 99), 99000, 3.2),
		"p99 %lu", (unsigned long)ep_hist_percentile(&h, 99));
	EP_TEST_ASSERT_EQ(h.min, 1, "min");
	EP_TEST_ASSERT_EQ(h.max, 100000, "max");
	EP_TEST_ASSERT_EQ(h.sum, 100000ull * 100001 / 2, "sum");
	return 0;
}

static int
test_hist_large_and_merge(void)
{
	static struct ep_hist a, b;
	unsigned int i;

	ep_hist_reset(&a);
	ep_hist_reset(&b);
	for (i = 0; i < 99; i++)
		ep_hist_add(&a, 1000);
	ep_hist_add(&b, UINT64_MAX / 2);
	ep_hist_merge(&a, &b);
	EP_TEST_ASSERT_EQ(a.count, 100, "merged count");
	EP_TEST_ASSERT(within(ep_hist_percentile(&a, 50), 1000, 3.2), "median");
	EP_TEST_ASSERT(within(ep_hist_percentile(&a, 99), 1000, 3.2), "p99");
	EP_TEST_ASSERT(ep_hist_percentile(&a, 100) == UINT64_MAX / 2, "max");
	EP_TEST_ASSERT_EQ(ep_hist_percentile(&b, 50), UINT64_MAX / 2,
		"single sample is exact");
	return 0;
}

static int
test_opt_sizes(void)
{
	struct ep_config c;

	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "size", "64,4K,1M"), 0, "valid list");
	EP_TEST_ASSERT_EQ(c.n_sizes, 3, "n");
	EP_TEST_ASSERT_EQ(c.sizes[0], 64, "64");
	EP_TEST_ASSERT_EQ(c.sizes[1], 4096, "4K");
	EP_TEST_ASSERT_EQ(c.sizes[2], 1 << 20, "1M");
	EP_TEST_ASSERT(ep_config_set(&c, "size", "0") < 0, "0 refused");
	EP_TEST_ASSERT(ep_config_set(&c, "size", "12x") < 0, "junk refused");
	EP_TEST_ASSERT(ep_config_set(&c, "size", "-5") < 0, "negative refused");
	EP_TEST_ASSERT(ep_config_set(&c, "size", "8G") < 0, "> 4 GiB refused");
	EP_TEST_ASSERT_EQ(c.n_sizes, 3, "a refused list keeps the old one");
	return 0;
}

static int
test_opt_values(void)
{
	struct ep_config c;

	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(c.burst, 32, "default burst");
	EP_TEST_ASSERT_EQ(c.n_devs, 0, "default: all devices");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "dir", "dev2mem"), 0, "dir");
	EP_TEST_ASSERT_EQ(c.dir, EP_DIR_DEV2MEM, "dir value");
	EP_TEST_ASSERT(ep_config_set(&c, "dir", "up") < 0, "bad dir");
	EP_TEST_ASSERT(ep_config_set(&c, "sg", "33") < 0, "sg range");
	EP_TEST_ASSERT(ep_config_set(&c, "burst", "0") < 0, "burst range");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "jobs", "1000"), 0, "jobs");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "duration", "0.25"), 0, "duration");
	EP_TEST_ASSERT_EQ(c.jobs, 0, "duration clears jobs");
	EP_TEST_ASSERT(ep_config_set(&c, "duration", "-1") < 0, "bad duration");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "verify", "on"), 0, "verify");
	EP_TEST_ASSERT(c.verify, "verify on");
	EP_TEST_ASSERT(ep_config_set(&c, "verify", "maybe") < 0, "bad bool");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "dev", "0,dma_skeleton0"), 0, "dev");
	EP_TEST_ASSERT_EQ(c.n_devs, 2, "two devices");
	EP_TEST_ASSERT(!strcmp(c.devs[1], "dma_skeleton0"), "name kept");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "dev", "all"), 0, "all");
	EP_TEST_ASSERT_EQ(c.n_devs, 0, "all = empty list");
	EP_TEST_ASSERT(ep_config_set(&c, "nosuch", "1") < 0, "unknown name");
	return 0;
}

static int
test_opt_lcore_map_and_ep(void)
{
	struct ep_config c;

	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "lcore-map", "1@a,b"), 0, "map");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "lcore-map", "0@c"), 0, "map 2");
	EP_TEST_ASSERT_EQ(c.n_lmap, 3, "entries");
	EP_TEST_ASSERT(c.lmap[1].lcore == 1 && !strcmp(c.lmap[1].dev, "b"),
		"1@b");
	EP_TEST_ASSERT(c.lmap[2].lcore == 0 && !strcmp(c.lmap[2].dev, "c"),
		"0@c");
	EP_TEST_ASSERT(ep_config_set(&c, "lcore-map", "1:a") < 0, "no @");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "lcore-map", "none"), 0, "clear");
	EP_TEST_ASSERT_EQ(c.n_lmap, 0, "cleared");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "ep-addr", "0x90000000"), 0, "addr");
	EP_TEST_ASSERT_EQ(c.ep_addr, 0x90000000ull, "addr value");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "ep-map",
		"/sys/bus/pci/devices/0000:01:00.0/resource2@0x1000"), 0, "map");
	EP_TEST_ASSERT(!strcmp(c.ep_map,
		"/sys/bus/pci/devices/0000:01:00.0/resource2"), "path %s",
		c.ep_map);
	EP_TEST_ASSERT_EQ(c.ep_map_off, 0x1000, "offset");
	return 0;
}

static int
test_opt_argv(void)
{
	char *argv[] = { "app", "--size", "64", "--burst", "4", "--verify",
		"--dev", "a", "--dev", "b", "-i", NULL };
	char *bad[] = { "app", "--bogus", NULL };
	struct ep_config c;

	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(ep_config_parse_args(&c, 11, argv), 0, "parse");
	EP_TEST_ASSERT(c.sizes[0] == 64 && c.burst == 4 && c.verify &&
		c.interactive, "values");
	EP_TEST_ASSERT_EQ(c.n_devs, 2, "--dev repeats");
	EP_TEST_ASSERT(ep_config_parse_args(&c, 2, bad) < 0, "unknown option");
	return 0;
}

static const struct ep_test_case cases[] = {
	{ "hist_small_exact", test_hist_small_exact },
	{ "hist_uniform", test_hist_uniform },
	{ "hist_large_and_merge", test_hist_large_and_merge },
	{ "opt_sizes", test_opt_sizes },
	{ "opt_values", test_opt_values },
	{ "opt_lcore_map_and_ep", test_opt_lcore_map_and_ep },
	{ "opt_argv", test_opt_argv },
};

int
main(int argc, char **argv)
{
	/* The parser's complaints about the bad values fed to it are expected. */
	if (freopen("/dev/null", "w", stderr) == NULL)
		return EXIT_FAILURE;
	return ep_test_run("test_ep_dma_unit", cases, RTE_DIM(cases),
		argc > 1 ? argv[1] : NULL) ? EXIT_FAILURE : EXIT_SUCCESS;
}
