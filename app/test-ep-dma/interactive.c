/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Interactive mode (-i): a testpmd-like prompt on DPDK's cmdline library.
 * "start" runs the workload on a control thread so the prompt stays usable;
 * "stop" ends it, "wait" blocks until it ends on its own.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_socket.h>
#include <rte_lcore.h>

#include "ep_dma.h"

static struct ep_config *icfg;
static struct ep_run *irun;
static pthread_t ithread;
static bool ithread_active;
static int istatus;          /* EXIT_FAILURE once a run had errors */

static void *
run_thread(void *arg)
{
	struct ep_run *run = arg;
	rte_cpuset_t cs = rte_lcore_cpuset(rte_get_main_lcore());

	/*
	 * Run where the main lcore runs (the prompt only waits for input):
	 * control threads share the other cores with the skeleton's copy
	 * thread and the model's engine, which would skew every figure.
	 */
	if (pthread_setaffinity_np(pthread_self(), sizeof(cs), &cs) != 0)
		printf("warning: run thread not pinned to the main lcore's core\n");
	ep_run_execute(run);
	printf("\nrun %s:\n", run->stop || ep_force_quit ? "stopped" :
		"finished");
	ep_out_table(stdout, run);
	if (run->cfg.csv[0] != '\0')
		ep_out_csv(run->cfg.csv, run);
	if (ep_run_status(run) != 0) {
		printf("FAILED: errors or verification mismatches, see above\n");
		istatus = EXIT_FAILURE;
	}
	fflush(stdout);
	return NULL;
}

static void
join_run(void)
{
	if (ithread_active) {
		pthread_join(ithread, NULL);
		ithread_active = false;
	}
}

static void
release_run(void)
{
	join_run();
	if (irun != NULL) {
		ep_run_release(irun);
		free(irun);
		irun = NULL;
	}
}

static void
do_start(void)
{
	int rc;

	if (ithread_active && irun->running) {
		printf("a run is in progress: stop or wait first\n");
		return;
	}
	release_run();
	ep_force_quit = false;
	irun = calloc(1, sizeof(*irun));
	if (irun == NULL)
		return;
	irun->cfg = *icfg;
	irun->running = true;
	rc = ep_run_prepare(irun);
	if (rc < 0) {
		printf("start failed\n");
		irun->running = false;
		istatus = EXIT_FAILURE;
		return;
	}
	/* A plain pthread (run_thread pins itself to the main lcore's core):
	 * rte_ctrl_thread_create() is gone after DPDK 23.11.
	 */
	rc = pthread_create(&ithread, NULL, run_thread, irun);
	if (rc != 0) {
		printf("cannot create the run thread: %s\n", strerror(rc));
		irun->running = false;
		return;
	}
	ithread_active = true;
	printf("started\n");
}

/* ---- "list", "start", "stop", "wait", "quit", "help" --------------------- */

struct cmd_word_result {
	cmdline_fixed_string_t word;
};

static void
cmd_word_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_word_result *res = parsed;

	RTE_SET_USED(data);
	if (!strcmp(res->word, "list")) {
		ep_dev_list(stdout);
	} else if (!strcmp(res->word, "start")) {
		do_start();
	} else if (!strcmp(res->word, "stop")) {
		if (!ithread_active) {
			printf("not running\n");
		} else {
			irun->stop = true;
			join_run();
			printf("stopped\n");
		}
	} else if (!strcmp(res->word, "wait")) {
		join_run();
	} else if (!strcmp(res->word, "quit")) {
		if (ithread_active)
			irun->stop = true;
		release_run();
		cmdline_quit(cl);
	} else {
		printf("commands:\n"
			"  list                     list dmadevs\n"
			"  show info <dev>          device capabilities, channel, dump\n"
			"  show stats <dev>         dmadev, PMD and model counters\n"
			"  show config              workload parameters\n"
			"  show results             table of the last run\n"
			"  set <param> <value>      a parameter, named as the long\n"
			"                           option (set size 64,4096)\n"
			"  start | stop | wait      run, end, wait for the end\n"
			"  quit\n");
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_word_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word,
		"list#start#stop#wait#quit#help");

static cmdline_parse_inst_t cmd_word = {
	.f = cmd_word_parsed,
	.data = NULL,
	.help_str = "list | start | stop | wait | quit | help",
	.tokens = { (void *)&cmd_word_tok, NULL },
};

/* ---- "show config|results" ------------------------------------------------ */

struct cmd_show_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
};

static void
cmd_show_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_show_result *res = parsed;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (!strcmp(res->what, "config")) {
		ep_config_print(stdout, icfg);
	} else if (irun == NULL) {
		printf("no results yet\n");
	} else if (ithread_active && irun->running) {
		printf("a run is in progress: stop or wait first\n");
	} else {
		ep_out_table(stdout, irun);
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_show_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, show, "show");
static cmdline_parse_token_string_t cmd_show_what =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, what, "config#results");

static cmdline_parse_inst_t cmd_show = {
	.f = cmd_show_parsed,
	.data = NULL,
	.help_str = "show config | show results",
	.tokens = { (void *)&cmd_show_show, (void *)&cmd_show_what, NULL },
};

/* ---- "show info|stats <dev>" ---------------------------------------------- */

struct cmd_showdev_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t dev;
};

static void
cmd_showdev_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_showdev_result *res = parsed;
	int id = ep_parse_dev(res->dev);

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (id < 0)
		printf("unknown dmadev '%s'\n", res->dev);
	else if (!strcmp(res->what, "info"))
		ep_dev_print_info(stdout, (int16_t)id);
	else
		ep_dev_print_stats(stdout, (int16_t)id);
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_showdev_show =
	TOKEN_STRING_INITIALIZER(struct cmd_showdev_result, show, "show");
static cmdline_parse_token_string_t cmd_showdev_what =
	TOKEN_STRING_INITIALIZER(struct cmd_showdev_result, what, "info#stats");
static cmdline_parse_token_string_t cmd_showdev_dev =
	TOKEN_STRING_INITIALIZER(struct cmd_showdev_result, dev, NULL);

static cmdline_parse_inst_t cmd_showdev = {
	.f = cmd_showdev_parsed,
	.data = NULL,
	.help_str = "show info|stats <dev id or name>",
	.tokens = { (void *)&cmd_showdev_show, (void *)&cmd_showdev_what,
		(void *)&cmd_showdev_dev, NULL },
};

/* ---- "set <param> <value>" ------------------------------------------------ */

struct cmd_set_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t name;
	cmdline_fixed_string_t value;
};

static void
cmd_set_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_set_result *res = parsed;
	struct ep_config tmp = *icfg;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (ep_config_set(&tmp, res->name, res->value) == 0) {
		*icfg = tmp;
		printf("%s = %s\n", res->name, res->value);
	}
	fflush(stdout);
	fflush(stderr);
}

static cmdline_parse_token_string_t cmd_set_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, set, "set");
static cmdline_parse_token_string_t cmd_set_name =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, name, NULL);
static cmdline_parse_token_string_t cmd_set_value =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, value, NULL);

static cmdline_parse_inst_t cmd_set = {
	.f = cmd_set_parsed,
	.data = NULL,
	.help_str = "set <dev|dir|size|sg|burst|ring|inflight|duration|jobs|"
		"lcore-map|verify|latency|csv|progress|timeout|buf-mem|ep-addr|"
		"ep-size|ep-map> <value>",
	.tokens = { (void *)&cmd_set_set, (void *)&cmd_set_name,
		(void *)&cmd_set_value, NULL },
};

static cmdline_parse_ctx_t main_ctx[] = {
	&cmd_word,
	&cmd_show,
	&cmd_showdev,
	&cmd_set,
	NULL,
};

/* @return the exit status: failure if any run or start failed. */
int
ep_interactive(struct ep_config *cfg)
{
	struct cmdline *cl;

	icfg = cfg;
	istatus = EXIT_SUCCESS;
	cl = cmdline_stdin_new(main_ctx, "ep-dma> ");
	if (cl == NULL) {
		fprintf(stderr, "cannot create the command line\n");
		return EXIT_FAILURE;
	}
	cmdline_interact(cl);
	if (ithread_active)
		irun->stop = true;
	release_run();
	cmdline_stdin_exit(cl);
	printf("\n");
	return istatus;
}
