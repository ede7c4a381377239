/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Unit tests of dpdk-test-ep-dma's pure parts: the latency histogram, the
 * option parser and the PCIe cost model. No EAL needed.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../ep_dma.h"
#include "ep_test.h"

/* The app's log type and quit flag live in main.c, not linked here. */
int ep_dma_logtype;
volatile bool ep_force_quit;

static int
within(double v, double want, double pct)
{
	double d = v - want;

	return (d < 0 ? -d : d) <= (double)want * pct / 100.0;
}

static int
test_hist_small_exact(void)
{
	static struct ep_hist h;
	uint64_t v;

	ep_hist_reset(&h);
	for (v = 0; v < 256; v++)
		ep_hist_add(&h, v);
	EP_TEST_ASSERT_EQ(h.count, 256, "count");
	EP_TEST_ASSERT_EQ(h.min, 0, "min");
	EP_TEST_ASSERT_EQ(h.max, 255, "max");
	/* below 256 every value has its own bucket */
	EP_TEST_ASSERT_EQ(ep_hist_percentile(&h, 50), 127, "median");
	EP_TEST_ASSERT_EQ(ep_hist_percentile(&h, 100), 255, "p100");
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
	/* interpolated within its bucket: as close as the data allows */
	EP_TEST_ASSERT(within(ep_hist_percentile(&h, 50), 50000, 0.01),
		"median %.1f", ep_hist_percentile(&h, 50));
	EP_TEST_ASSERT(within(ep_hist_percentile(&h, 99), 99000, 0.01),
		"p99 %.1f", ep_hist_percentile(&h, 99));
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
	EP_TEST_ASSERT(within(ep_hist_percentile(&a, 50), 1000, 0.8), "median");
	EP_TEST_ASSERT(within(ep_hist_percentile(&a, 99), 1000, 0.8), "p99");
	EP_TEST_ASSERT(ep_hist_percentile(&a, 100) == (double)(UINT64_MAX / 2),
		"max");
	EP_TEST_ASSERT(ep_hist_percentile(&b, 50) == (double)(UINT64_MAX / 2),
		"single sample is exact");
	return 0;
}

/*
 * Per-job cycles as a coarse TSC reports them: a 10.5-cycle job reads as 0
 * or 21. The median of single jobs can only be one of the two; the median
 * of window means finds 10.5, and one job held up a million cycles by a
 * preemption moves it by nothing.
 */
static int
test_cycles_window_median(void)
{
	static struct ep_meas m;
	unsigned int i;

	ep_meas_reset(&m);
	for (i = 0; i < EP_CYC_WINDOW - 1; i++)
		ep_meas_job_cycles(&m, i % 2 ? 21 : 0);
	EP_TEST_ASSERT_EQ(m.cost_win.count, 0, "no window full yet");
	EP_TEST_ASSERT(ep_meas_cycles_median(&m) == 0 ||
		ep_meas_cycles_median(&m) == 21,
		"short run: median of single jobs, %.2f",
		ep_meas_cycles_median(&m));
	ep_meas_reset(&m);
	for (i = 0; i < 1000 * EP_CYC_WINDOW; i++)
		ep_meas_job_cycles(&m, i % 2 ? 21 : 0);
	ep_meas_job_cycles(&m, 1e6);
	for (i = 1; i < EP_CYC_WINDOW; i++)
		ep_meas_job_cycles(&m, i % 2 ? 21 : 0);
	EP_TEST_ASSERT_EQ(m.cost.count, 1001 * EP_CYC_WINDOW, "every job counted");
	EP_TEST_ASSERT_EQ(m.cost_win.count, 1001, "one value per window");
	EP_TEST_ASSERT(within(ep_meas_cycles_median(&m), 10.5, 1),
		"window median %.2f, want 10.5", ep_meas_cycles_median(&m));
	EP_TEST_ASSERT(ep_hist_percentile(&m.cost, 50) == 0 ||
		ep_hist_percentile(&m.cost, 50) == 21,
		"single-job median stays on a tick");
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
	/* 2^34 + 1 G wraps to 1 G in 64 bits: refused, not taken as 1 GiB */
	EP_TEST_ASSERT(ep_config_set(&c, "size", "17179869185G") < 0, "overflow refused");
	EP_TEST_ASSERT(ep_config_set(&c, "buf-mem", "18014398509481985K") < 0,
		"overflow refused (K)");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "buf-mem", "16G"), 0, "16G is fine");
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

/* |a - b| <= rel x |b| */
static int
close_to(double a, double b, double rel)
{
	return fabs(a - b) <= rel * fabs(b);
}

static int
test_cost_formula(void)
{
	struct ep_cost c = { .read_ns = 1000, .store_ns = 100,
		.doorbell_ns = 200 };
	struct ep_access a = { .cpu_ns = 50, .reads = 0.5, .stores = 4.5,
		.doorbells = 0.5 };
	struct ep_access none = { 0 };
	struct ep_cost d;

	/* 50 + 0.5 x 1000 + (4.5 - 0.5) x 100 + 0.5 x 200 = 1050 ns */
	EP_TEST_ASSERT(close_to(ep_cost_job_ns(&c, &a), 1050, 1e-12),
		"job ns %f", ep_cost_job_ns(&c, &a));
	EP_TEST_ASSERT(close_to(ep_cost_ceiling(&c, &a), 1e9 / 1050, 1e-12),
		"ceiling %f", ep_cost_ceiling(&c, &a));
	EP_TEST_ASSERT(ep_cost_ceiling(&c, &none) == 0, "nothing: no ceiling");
	/* doorbells priced as stores: the brief's plain formula */
	c.doorbell_ns = c.store_ns;
	EP_TEST_ASSERT(close_to(ep_cost_job_ns(&c, &a), 50 + 500 + 450, 1e-12),
		"plain formula");
	ep_cost_defaults(&d);
	EP_TEST_ASSERT(d.read_ns == EP_COST_READ_NS &&
		d.store_ns == EP_COST_STORE_NS &&
		d.doorbell_ns == EP_COST_DOORBELL_NS, "defaults");
	return 0;
}

static int
test_cost_before(void)
{
	struct ep_access now = { .cpu_ns = 40, .reads = 0.03125,
		.stores = 4.1875, .doorbells = 0.03125 }, b;
	struct ep_workload burst32 = { .submits = 1.0 / 32, .cpl_calls = 0.05,
		.elements = 1 };
	struct ep_workload burst1 = { .submits = 1, .cpl_calls = 1,
		.elements = 1 };
	struct ep_cost c = { 1000, 100, 100 };

	ep_cost_before(&b, &now, &burst32);
	/* a flush read per submit and an LLP read per completion call */
	EP_TEST_ASSERT(close_to(b.reads, 1.0 / 32 + 0.05, 1e-12), "reads %f",
		b.reads);
	/* 6 per element, release + doorbell + last-element flag per submit */
	EP_TEST_ASSERT(close_to(b.stores, 6 + 3.0 / 32, 1e-12), "stores %f",
		b.stores);
	EP_TEST_ASSERT(close_to(b.doorbells, 1.0 / 32, 1e-12), "doorbells");
	EP_TEST_ASSERT(b.cpu_ns == now.cpu_ns, "same CPU time");
	/* now 40 + 31.25 + 415.625 + 3.125 = 490 ns; then 40 + 81.25 +
	 * 606.25 + 3.125 = 730.625 ns
	 */
	EP_TEST_ASSERT(close_to(ep_cost_ceiling(&c, &now), 1e9 / 490, 1e-12),
		"now %f", ep_cost_ceiling(&c, &now));
	EP_TEST_ASSERT(close_to(ep_cost_ceiling(&c, &b), 1e9 / 730.625, 1e-12),
		"before %f", ep_cost_ceiling(&c, &b));
	ep_cost_before(&b, &now, &burst1);
	/* one element per batch: no separate flag store */
	EP_TEST_ASSERT(close_to(b.stores, 8, 1e-12) && close_to(b.reads, 2, 1e-12),
		"burst 1: %f stores %f reads", b.stores, b.reads);
	return 0;
}

static int
test_cost_projection(void)
{
	struct ep_config cfg;
	struct ep_result r;

	ep_config_defaults(&cfg);
	memset(&r, 0, sizeof(r));
	r.jobs = 1000;
	r.sg = 1;
	r.cyc_med = 100;                /* 50 ns at 2 cycles per ns */
	r.mmio_reads_per_job = 0.5;
	r.mmio_writes_per_job = 4.5;
	r.doorbells_per_job = 0.5;
	r.submits_per_job = 0.5;
	r.cpl_calls_per_job = 0.25;
	ep_result_project(&r, &cfg, 2.0);
	/* 50 + 500 + 400 + 50 = 1000 ns: 1 Mjobs/s */
	EP_TEST_ASSERT(close_to(r.proj_cpu_ns, 50, 1e-12), "cpu ns");
	EP_TEST_ASSERT(close_to(r.proj_mjobs, 1.0, 1e-12), "now %f",
		r.proj_mjobs);
	/* then: reads 0.75; two jobs per submit, so 6 per element and 3 per
	 * submit (release, flag, doorbell): 7.5 stores, 0.5 doorbells;
	 * 50 + 750 + 700 + 50 = 1550 ns
	 */
	EP_TEST_ASSERT(close_to(r.before_reads, 0.75, 1e-12), "then reads");
	EP_TEST_ASSERT(close_to(r.before_stores, 7.5, 1e-12), "then stores %f",
		r.before_stores);
	EP_TEST_ASSERT(close_to(r.proj_before_mjobs, 1e3 / 1550, 1e-12),
		"then %f", r.proj_before_mjobs);
	/* a device without PMD counters gets no projection */
	r.proj_mjobs = -1;
	r.mmio_reads_per_job = -1;
	ep_result_project(&r, &cfg, 2.0);
	EP_TEST_ASSERT(r.proj_mjobs == -1, "no counters, no projection");
	return 0;
}

static int
test_link_rate(void)
{
	unsigned int g, l, m;

	/* Gen4 x2, MPS 256: 31.508 Gb/s, less 5.37 % DLLPs and SKIPs, times
	 * 256 / 280: 3.4074 GB/s
	 */
	EP_TEST_ASSERT(close_to(ep_link_data_rate(4, 2, 256), 3.407443e9, 1e-5),
		"gen4 x2 256: %f", ep_link_data_rate(4, 2, 256));
	EP_TEST_ASSERT(close_to(ep_link_data_rate(4, 2, 128), 3.071088e9, 1e-5),
		"gen4 x2 128: %f", ep_link_data_rate(4, 2, 128));
	/* Gen1 x1, MPS 128: 8b/10b, one DLLP of each kind per 237 bytes */
	EP_TEST_ASSERT(close_to(ep_link_data_rate(1, 1, 128), 1.957661e8, 1e-5),
		"gen1 x1 128: %f", ep_link_data_rate(1, 1, 128));
	EP_TEST_ASSERT(ep_link_data_rate(6, 2, 256) < 0, "gen6 refused");
	EP_TEST_ASSERT(ep_link_data_rate(4, 3, 256) < 0, "x3 refused");
	EP_TEST_ASSERT(ep_link_data_rate(4, 2, 1024) < 0, "MPS 1024 refused");
	EP_TEST_ASSERT_EQ(ep_link_parse("4,2", &g, &l, &m), 0, "GEN,LANES");
	EP_TEST_ASSERT(g == 4 && l == 2 && m == 256, "MPS defaults to 256");
	EP_TEST_ASSERT_EQ(ep_link_parse("3,16,512", &g, &l, &m), 0, "3 fields");
	EP_TEST_ASSERT(g == 3 && l == 16 && m == 512, "values");
	EP_TEST_ASSERT(ep_link_parse("4", &g, &l, &m) < 0, "one field");
	EP_TEST_ASSERT(ep_link_parse("4,2,", &g, &l, &m) < 0, "trailing comma");
	EP_TEST_ASSERT(ep_link_parse("4,2,256,1", &g, &l, &m) < 0, "4 fields");
	EP_TEST_ASSERT(ep_link_parse("gen4,2", &g, &l, &m) < 0, "junk");
	return 0;
}

static int
test_opt_costs_and_get(void)
{
	char *argv[] = { "app", "--cost-read", "700", "--cost-store", "25.5",
		"--link", "4,2,128", "--memcpy", "--list", "--costs", NULL };
	const struct ep_param *p;
	struct ep_config c;
	char v[256];

	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(ep_config_parse_args(&c, 10, argv), 0, "parse");
	EP_TEST_ASSERT(c.cost.read_ns == 700 && c.cost.store_ns == 25.5 &&
		c.cost.doorbell_ns == EP_COST_DOORBELL_NS, "costs");
	EP_TEST_ASSERT(c.link_gen == 4 && c.link_lanes == 2 &&
		c.link_mps == 128, "link");
	EP_TEST_ASSERT(c.memcpy && c.list && c.costs, "flags and actions");
	EP_TEST_ASSERT(ep_config_set(&c, "cost-read", "-1") < 0, "negative");
	EP_TEST_ASSERT(ep_config_set(&c, "cost-read", "1x") < 0, "junk");
	EP_TEST_ASSERT(ep_config_set(&c, "cost-bogus", "1") < 0, "unknown");
	EP_TEST_ASSERT(ep_config_set(&c, "link", "5,32") < 0, "x32 refused");
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "link", "none"), 0, "none");
	EP_TEST_ASSERT_EQ(c.link_gen, 0, "link cleared");
	/* help and show config print every parameter with its value */
	for (p = ep_params; p->name != NULL; p++)
		EP_TEST_ASSERT_EQ(ep_config_get(&c, p->name, v, sizeof(v)), 0,
			"get %s", p->name);
	EP_TEST_ASSERT(ep_config_get(&c, "nosuch", v, sizeof(v)) < 0,
		"unknown name");
	EP_TEST_ASSERT_EQ(ep_config_get(&c, "cost-read", v, sizeof(v)), 0,
		"get cost-read");
	EP_TEST_ASSERT(!strcmp(v, "700 ns"), "cost-read value '%s'", v);
	EP_TEST_ASSERT_EQ(ep_config_set(&c, "size", "64,4K"), 0, "size");
	EP_TEST_ASSERT_EQ(ep_config_get(&c, "size", v, sizeof(v)), 0,
		"get size");
	EP_TEST_ASSERT(!strcmp(v, "64,4096"), "size value '%s'", v);
	EP_TEST_ASSERT_EQ(ep_config_get(&c, "memcpy", v, sizeof(v)), 0,
		"get memcpy");
	EP_TEST_ASSERT(!strcmp(v, "on"), "memcpy value '%s'", v);
	return 0;
}

/*
 * The parser called again after a call that returned in the middle of an
 * option cluster ("-hi" returns at -h): the second call starts afresh
 * (it used to go on with getopt's state and crash, found by fuzz_options).
 */
static int
test_opt_argv_again(void)
{
	char *first[] = { "app", "-hi", NULL };
	char *second[] = { "app", NULL };
	char *third[] = { "app", "x", "--burst", "8", NULL };
	struct ep_config c;

	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(ep_config_parse_args(&c, 2, first), 1, "help");
	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(ep_config_parse_args(&c, 1, second), 0, "no arguments");
	EP_TEST_ASSERT(!c.interactive, "no -i left over from the cluster");
	EP_TEST_ASSERT(ep_config_parse_args(&c, 4, third) < 0, "stray argument refused");
	ep_config_defaults(&c);
	EP_TEST_ASSERT_EQ(ep_config_parse_args(&c, 1, second), 0, "no arguments again");
	EP_TEST_ASSERT_EQ(c.burst, 32, "defaults");
	return 0;
}

static const struct ep_test_case cases[] = {
	{ "hist_small_exact", test_hist_small_exact },
	{ "hist_uniform", test_hist_uniform },
	{ "hist_large_and_merge", test_hist_large_and_merge },
	{ "cycles_window_median", test_cycles_window_median },
	{ "opt_sizes", test_opt_sizes },
	{ "opt_values", test_opt_values },
	{ "opt_lcore_map_and_ep", test_opt_lcore_map_and_ep },
	{ "opt_argv", test_opt_argv },
	{ "cost_formula", test_cost_formula },
	{ "cost_before", test_cost_before },
	{ "cost_projection", test_cost_projection },
	{ "link_rate", test_link_rate },
	{ "opt_costs_and_get", test_opt_costs_and_get },
	{ "opt_argv_again", test_opt_argv_again },
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
