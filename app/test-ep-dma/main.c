/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * dpdk-test-ep-dma: throughput, latency and driver cost of dmadev devices.
 * EAL options first, then "--" and the app's options (see --help).
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "ep_dma.h"

RTE_LOG_REGISTER_DEFAULT(ep_dma_logtype, INFO);

volatile bool ep_force_quit;

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	ep_force_quit = true;
}

/* One non-interactive run: prepare, measure, print. @return exit status. */
static int
batch_run(const struct ep_config *cfg)
{
	struct ep_run *run = calloc(1, sizeof(*run));
	int rc, status = EXIT_FAILURE;

	if (run == NULL)
		return EXIT_FAILURE;
	run->cfg = *cfg;
	/* a bad path must not cost a whole run first */
	if (cfg->csv[0] != '\0') {
		run->csv = ep_out_csv_open(cfg->csv);
		if (run->csv == NULL)
			goto out;
	}
	rc = ep_run_prepare(run);
	if (rc < 0)
		goto out;
	rc = ep_run_execute(run);
	if (ep_force_quit)
		printf("\nstopped by signal; results so far:\n");
	ep_out_table(stdout, run);
	if (run->csv != NULL) {
		if (ep_out_csv_write(run->csv, cfg->csv, run) < 0)
			rc = -1;
		run->csv = NULL;
	}
	status = (rc == 0 && ep_run_status(run) == 0) ? EXIT_SUCCESS :
		EXIT_FAILURE;
	if (ep_run_status(run) != 0)
		printf("FAILED: errors or verification mismatches, see above\n");
out:
	if (run->csv != NULL)
		fclose(run->csv);
	ep_run_release(run);
	free(run);
	return status;
}

int
main(int argc, char **argv)
{
	struct ep_config cfg;
	int n, rc, status;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= n;
	argv += n;
	ep_config_defaults(&cfg);
	rc = ep_config_parse_args(&cfg, argc, argv);
	if (rc != 0) {
		rte_eal_cleanup();
		return rc > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (cfg.list || cfg.costs) {
		if (cfg.list)
			ep_dev_list(stdout);
		if (cfg.costs)
			ep_cost_print(stdout, &cfg.cost, cfg.link_gen,
				cfg.link_lanes, cfg.link_mps);
		status = EXIT_SUCCESS;
	} else if (cfg.interactive)
		status = ep_interactive(&cfg);
	else
		status = batch_run(&cfg);
	rte_eal_cleanup();
	return status;
}
