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
	"mmio_reads_per_job", "errors", "mismatches", "cyc_med", "cyc_p99",
	"mmio_writes_per_job", "doorbell_retries", "stall_checks",
	"submits_per_job", "cpl_calls_per_job", "completion", "proj_cpu_ns",
	"proj_mjobs_per_s", "before_reads_per_job", "before_stores_per_job",
	"proj_before_mjobs_per_s", "link_pct", NULL,
};

static void
emit_stdout(const char *text)
{
	fputs(text, stdout);
	fflush(stdout);
}

void (*ep_out_async)(const char *text) = emit_stdout;

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
	{
		char text[sizeof(line) + 96];

		snprintf(text, sizeof(text), "[size %u %6.1f s] %.3f Mjobs/s "
			"%.3f GB/s%s\n", run->cfg.sizes[run->phase], elapsed,
			tj / elapsed / 1e6, tb / elapsed / 1e9, line);
		ep_out_async(text);
	}
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
	char lmin[16], lmed[16], lp99[16], cmed[16], cp99[16];
	bool lat = r->lat_max_ns > 0;

	fmt_num(lmin, sizeof(lmin), lat ? r->lat_min_ns : -1, "%.0f");
	fmt_num(lmed, sizeof(lmed), lat ? r->lat_med_ns : -1, "%.0f");
	fmt_num(lp99, sizeof(lp99), lat ? r->lat_p99_ns : -1, "%.0f");
	fmt_num(cmed, sizeof(cmed), r->cyc_med, "%.0f");
	fmt_num(cp99, sizeof(cp99), r->cyc_p99, "%.0f");
	fprintf(f, "%-24s %-7s %8u %5u %3u %11" PRIu64 " %8.3f %8.3f %7s %7s "
		"%7.1f %7.1f %7.1f %8s %8s %8s %6" PRIu64 "\n",
		r->device, row_dir(r), r->size, r->burst, r->sg, r->jobs,
		r->mjobs_per_s, r->gbytes_per_s, cmed, cp99, r->enq_cycles,
		r->sub_cycles, r->cpl_cycles, lmin, lmed, lp99, r->errors);
}

/* Rows of phase p in table order: devices, total, memcpy. */
static unsigned int
phase_rows(const struct ep_run *run, unsigned int p,
		const struct ep_result **rows)
{
	unsigned int i, n = 0;

	for (i = 0; i < run->n_devs; i++)
		if (run->devs[i].res[p].valid)
			rows[n++] = &run->devs[i].res[p];
	if (run->n_devs > 1 && run->total[p].valid)
		rows[n++] = &run->total[p];
	if (run->mc[p].valid)
		rows[n++] = &run->mc[p];
	return n;
}

void
ep_out_table(FILE *f, const struct ep_run *run)
{
	const struct ep_result *rows[EP_MAX_DEVS + 2];
	unsigned int p, i, n;

	if (run->phases_done == 0) {
		fprintf(f, "no results yet\n");
		return;
	}
	fprintf(f, "%-24s %-7s %8s %5s %3s %11s %8s %8s %7s %7s %7s %7s %7s "
		"%8s %8s %8s %6s\n", "device", "dir", "size", "burst", "sg",
		"jobs", "Mjobs/s", "GB/s", "cyc_med", "cyc_p99", "enq", "submit",
		"cpl", "lat_min", "lat_med", "lat_p99", "errors");
	for (p = 0; p < run->phases_done; p++) {
		n = phase_rows(run, p, rows);
		for (i = 0; i < n; i++)
			table_row(f, rows[i]);
	}
	fprintf(f, "(cyc_med/cyc_p99: TSC cycles of a job in rte_dma_copy/"
		"submit/completed, its share\n of each call; cyc_med: median of "
		"the means of %u-job windows, cyc_p99: of single jobs;\n "
		"enq/submit/cpl: means per job; latency in ns, submit to "
		"completion seen)\n", EP_CYC_WINDOW);
	ep_out_projection(f, run);
}

static bool
projection_wanted(const struct ep_run *run)
{
	unsigned int p, i;

	if (run->cfg.link_gen != 0)
		return true;
	for (p = 0; p < run->phases_done; p++)
		for (i = 0; i < run->n_devs; i++)
			if (run->devs[i].res[p].proj_mjobs >= 0)
				return true;
	return false;
}

/*
 * The PCIe view: the driver's accesses per job, the per-core ceiling they
 * allow on silicon now and with the accesses of the driver before
 * completion by write-back, and the link share of the throughput.
 */
void
ep_out_projection(FILE *f, const struct ep_run *run)
{
	const struct ep_result *rows[EP_MAX_DEVS + 2];
	const struct ep_cost *c = &run->cfg.cost;
	unsigned int p, i, n;

	if (!projection_wanted(run))
		return;
	fprintf(f, "\nPCIe accesses per job and per-core ceiling on silicon "
		"(read %g ns, store %g ns, doorbell %g ns):\n", c->read_ns,
		c->store_ns, c->doorbell_ns);
	fprintf(f, "%-24s %8s %5s %-10s %7s %7s %7s %7s %7s %7s %9s | %7s %7s "
		"%9s | %6s %6s\n", "device", "size", "burst", "completion",
		"rd/job", "st/job", "db/job", "re-rung", "stalls", "cpu_ns",
		"ceil_Mj/s", "rd_then", "st_then", "then_Mj/s", "ratio", "link%");
	for (p = 0; p < run->phases_done; p++) {
		n = phase_rows(run, p, rows);
		for (i = 0; i < n; i++) {
			const struct ep_result *r = rows[i];
			char v[11][16];

			if (r->proj_mjobs < 0 && r->link_pct < 0)
				continue;
			fmt_num(v[0], sizeof(v[0]), r->mmio_reads_per_job, "%.3f");
			fmt_num(v[1], sizeof(v[1]), r->mmio_writes_per_job, "%.2f");
			fmt_num(v[2], sizeof(v[2]), r->doorbells_per_job, "%.3f");
			fmt_num(v[3], sizeof(v[3]), (double)r->doorbell_retries,
				"%.0f");
			fmt_num(v[4], sizeof(v[4]), (double)r->stall_checks, "%.0f");
			fmt_num(v[5], sizeof(v[5]), r->proj_cpu_ns, "%.1f");
			fmt_num(v[6], sizeof(v[6]), r->proj_mjobs, "%.3f");
			fmt_num(v[7], sizeof(v[7]), r->before_reads, "%.3f");
			fmt_num(v[8], sizeof(v[8]), r->before_stores, "%.2f");
			fmt_num(v[9], sizeof(v[9]), r->proj_before_mjobs, "%.3f");
			fmt_num(v[10], sizeof(v[10]), r->link_pct, "%.1f");
			fprintf(f, "%-24s %8u %5u %-10s %7s %7s %7s %7s %7s %7s %9s | "
				"%7s %7s %9s | ", r->device, r->size, r->burst,
				r->completion[0] ? r->completion : "-", v[0], v[1],
				v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
			if (r->proj_mjobs > 0 && r->proj_before_mjobs > 0)
				fprintf(f, "%5.2fx", r->proj_mjobs /
					r->proj_before_mjobs);
			else
				fprintf(f, "%6s", "-");
			fprintf(f, " %6s\n", v[10]);
		}
	}
	fprintf(f, "(ceil: 1e9 / (cpu_ns + rd x read + (st - db) x store + db x "
		"doorbell) per core, cpu_ns the\n median job's driver time here; "
		"_then: the driver before write-back completion,\n 1 LLP read per "
		"completion call and 6 x 32-bit stores per element, same cpu_ns)\n");
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
	fprintf(f, ",%" PRIu64 ",%" PRIu64, r->errors, r->mismatches);
	csv_num(f, r->cyc_med, "%.0f");
	csv_num(f, r->cyc_p99, "%.0f");
	csv_num(f, r->mmio_writes_per_job, "%.4f");
	csv_num(f, (double)r->doorbell_retries, "%.0f");
	csv_num(f, (double)r->stall_checks, "%.0f");
	csv_num(f, r->submits_per_job, "%.4f");
	csv_num(f, r->cpl_calls_per_job, "%.4f");
	fprintf(f, ",%s", r->completion);
	csv_num(f, r->proj_cpu_ns, "%.2f");
	csv_num(f, r->proj_mjobs, "%.4f");
	csv_num(f, r->before_reads, "%.4f");
	csv_num(f, r->before_stores, "%.4f");
	csv_num(f, r->proj_before_mjobs, "%.4f");
	csv_num(f, r->link_pct, "%.2f");
	fputc('\n', f);
}

/*
 * Open the CSV for appending before anything runs, so that a bad path
 * fails at once; a new file gets the header. @return NULL after a message.
 */
FILE *
ep_out_csv_open(const char *path)
{
	FILE *f = fopen(path, "a");
	unsigned int i;

	if (f == NULL) {
		fprintf(stderr, "--csv %s: cannot open for appending: %s\n", path,
			strerror(errno));
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	if (ftell(f) == 0) {
		for (i = 0; ep_csv_columns[i] != NULL; i++)
			fprintf(f, "%s%s", i ? "," : "", ep_csv_columns[i]);
		fputc('\n', f);
	}
	if (fflush(f) != 0) {
		fprintf(stderr, "--csv %s: %s\n", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	return f;
}

/* Append the run's rows and close f. @return 0 or -EIO after a message. */
int
ep_out_csv_write(FILE *f, const char *path, const struct ep_run *run)
{
	const struct ep_result *rows[EP_MAX_DEVS + 2];
	unsigned int p, i, n;

	for (p = 0; p < run->phases_done; p++) {
		n = phase_rows(run, p, rows);
		for (i = 0; i < n; i++)
			csv_row(f, rows[i]);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "--csv %s: %s\n", path, strerror(errno));
		return -EIO;
	}
	return 0;
}
