/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/* Output: progress lines while running, the final table, and CSV. */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "ep_dma.h"

/* Documented in doc/guides/tools/test_ep_dma.rst; keep both in step. */
const char *const ep_csv_columns[] = {
	"device", "dir", "size", "burst", "sg", "inflight", "jobs", "bytes",
	"seconds", "mjobs_per_s", "gbytes_per_s", "cycles_per_job",
	"enq_cycles", "sub_cycles", "cpl_cycles", "idle_polls", "lat_min_ns",
	"lat_med_ns", "lat_p99_ns", "lat_max_ns", "doorbells_per_job",
	"mmio_reads_per_job", "errors", "mismatches", NULL,
};

void
ep_out_progress(struct ep_run *run, double elapsed)
{
	double tj = 0, tb = 0;
	char line[1024];
	size_t len = 0;
	unsigned int i;

	if (elapsed <= 0)
		return;
	for (i = 0; i < run->n_devs; i++) {
		uint64_t j = __atomic_load_n(&run->devs[i].live_jobs,
			__ATOMIC_RELAXED);
		uint64_t b = __atomic_load_n(&run->devs[i].live_bytes,
			__ATOMIC_RELAXED);

		tj += (double)j;
		tb += (double)b;
		if (run->n_devs > 1 && len < sizeof(line))
			len += snprintf(line + len, sizeof(line) - len,
				" | %s %.3f Mj/s %.3f GB/s", run->devs[i].d.name,
				(double)j / elapsed / 1e6,
				(double)b / elapsed / 1e9);
	}
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	line[len] = '\0';
	printf("[size %u %6.1f s] %.3f Mjobs/s %.3f GB/s%s\n",
		run->cfg.sizes[run->phase], elapsed, tj / elapsed / 1e6,
		tb / elapsed / 1e9, line);
	fflush(stdout);
}

static void
fmt_num(char *buf, size_t len, double v, const char *fmt)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

/* A total over devices running different directions says "mixed". */
static const char *
row_dir(const struct ep_result *r)
{
	if (r->dir == EP_DIR_AUTO && !strcmp(r->device, "total"))
		return "mixed";
	return ep_dir_name(r->dir);
}

static void
table_row(FILE *f, const struct ep_result *r)
{
	char lmin[16], lmed[16], lp99[16], db[16], rd[16];
	bool lat = r->lat_max_ns > 0;

	fmt_num(lmin, sizeof(lmin), lat ? r->lat_min_ns : -1, "%.0f");
	fmt_num(lmed, sizeof(lmed), lat ? r->lat_med_ns : -1, "%.0f");
	fmt_num(lp99, sizeof(lp99), lat ? r->lat_p99_ns : -1, "%.0f");
	fmt_num(db, sizeof(db), r->doorbells_per_job, "%.3f");
	fmt_num(rd, sizeof(rd), r->mmio_reads_per_job, "%.3f");
	fprintf(f, "%-24s %-7s %8u %5u %3u %11" PRIu64 " %8.3f %8.3f %8.1f "
		"%7.1f %7.1f %7.1f %8s %8s %8s %7s %7s %6" PRIu64 "\n",
		r->device, row_dir(r), r->size, r->burst, r->sg, r->jobs,
		r->mjobs_per_s, r->gbytes_per_s, r->cycles_per_job,
		r->enq_cycles, r->sub_cycles, r->cpl_cycles, lmin, lmed, lp99,
		db, rd, r->errors);
}

void
ep_out_table(FILE *f, const struct ep_run *run)
{
	unsigned int p, i;

	if (run->phases_done == 0) {
		fprintf(f, "no results yet\n");
		return;
	}
	fprintf(f, "%-24s %-7s %8s %5s %3s %11s %8s %8s %8s %7s %7s %7s "
		"%8s %8s %8s %7s %7s %6s\n", "device", "dir", "size", "burst",
		"sg", "jobs", "Mjobs/s", "GB/s", "cyc/job", "enq", "submit",
		"cpl", "lat_min", "lat_med", "lat_p99", "db/job", "rd/job",
		"errors");
	for (p = 0; p < run->phases_done; p++) {
		for (i = 0; i < run->n_devs; i++)
			if (run->devs[i].res[p].valid)
				table_row(f, &run->devs[i].res[p]);
		if (run->n_devs > 1 && run->total[p].valid)
			table_row(f, &run->total[p]);
	}
	fprintf(f, "(cycles are TSC cycles per job inside rte_dma_copy/submit/"
		"completed; latency in ns, submit to completion seen)\n");
}

static void
csv_num(FILE *f, double v, const char *fmt)
{
	fputc(',', f);
	if (v >= 0)
		fprintf(f, fmt, v);
}

static void
csv_row(FILE *f, const struct ep_result *r)
{
	bool lat = r->lat_max_ns > 0;

	fprintf(f, "%s,%s,%u,%u,%u,%u,%" PRIu64 ",%" PRIu64 ",%.6f,%.6f,%.6f,"
		"%.2f,%.2f,%.2f,%.2f,%" PRIu64, r->device, row_dir(r),
		r->size, r->burst, r->sg, r->inflight, r->jobs, r->bytes,
		r->seconds, r->mjobs_per_s, r->gbytes_per_s, r->cycles_per_job,
		r->enq_cycles, r->sub_cycles, r->cpl_cycles, r->idle_polls);
	csv_num(f, lat ? r->lat_min_ns : -1, "%.1f");
	csv_num(f, lat ? r->lat_med_ns : -1, "%.1f");
	csv_num(f, lat ? r->lat_p99_ns : -1, "%.1f");
	csv_num(f, lat ? r->lat_max_ns : -1, "%.1f");
	csv_num(f, r->doorbells_per_job, "%.4f");
	csv_num(f, r->mmio_reads_per_job, "%.4f");
	fprintf(f, ",%" PRIu64 ",%" PRIu64 "\n", r->errors, r->mismatches);
}

/* Append the run's rows to path; the header goes first in a new file. */
int
ep_out_csv(const char *path, const struct ep_run *run)
{
	unsigned int p, i;
	FILE *f = fopen(path, "a");

	if (f == NULL) {
		fprintf(stderr, "--csv %s: %s\n", path, strerror(errno));
		return -errno;
	}
	fseek(f, 0, SEEK_END);
	if (ftell(f) == 0) {
		for (i = 0; ep_csv_columns[i] != NULL; i++)
			fprintf(f, "%s%s", i ? "," : "", ep_csv_columns[i]);
		fputc('\n', f);
	}
	for (p = 0; p < run->phases_done; p++) {
		for (i = 0; i < run->n_devs; i++)
			if (run->devs[i].res[p].valid)
				csv_row(f, &run->devs[i].res[p]);
		if (run->n_devs > 1 && run->total[p].valid)
			csv_row(f, &run->total[p]);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "--csv %s: %s\n", path, strerror(errno));
		return -EIO;
	}
	return 0;
}
