/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_DMA_APP_H
#define EP_DMA_APP_H

/*
 * dpdk-test-ep-dma: shared definitions of the throughput/latency app.
 *
 * options.c     command line and "set" parameters -> struct ep_config
 * device.c      dmadev discovery; dw_edma PMD and endpoint model specifics
 * setup.c       devices, rings, buffers and lcores of a run
 * engine.c      per-lcore enqueue/submit/complete loop, memcpy baseline
 * measure.c     TSC accounting, histograms, silicon projection
 * cost.c        PCIe access costs and link limits (no EAL)
 * output.c      progress lines, final table, projection, CSV
 * interactive.c the cmdline prompt (-i)
 * main.c        EAL set-up, signals, batch run
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_dmadev.h>
#include <rte_log.h>

#include "cost.h"

extern int ep_dma_logtype;
#define EP_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, ep_dma_logtype, "test-ep-dma: " __VA_ARGS__)

#define EP_MAX_DEVS 64
#define EP_MAX_REPORTS 10       /* error lines printed per device */
#define EP_MAX_SIZES 32
#define EP_MAX_SG 32
#define EP_NAME_LEN 64

/** Direction of a workload, from the host's point of view. */
enum ep_dir {
	EP_DIR_AUTO = 0,   /* channel's own direction; mem2mem for others */
	EP_DIR_MEM2DEV,
	EP_DIR_DEV2MEM,
	EP_DIR_MEM2MEM,
};

/** One --lcore-map entry: a device spec and the lcore that drives it. */
struct ep_lcore_map {
	unsigned int lcore;
	char dev[EP_NAME_LEN];
};

/** Everything the user can set, on the command line or with "set". */
struct ep_config {
	char devs[EP_MAX_DEVS][EP_NAME_LEN]; /* id or name; empty list = all */
	unsigned int n_devs;
	enum ep_dir dir;
	uint32_t sizes[EP_MAX_SIZES];
	unsigned int n_sizes;
	uint16_t sg;
	uint16_t burst;
	uint16_t ring;             /* 0 = device maximum, capped at 1024 */
	uint32_t inflight;         /* 0 = ring size */
	double duration;           /* seconds per size; used when jobs == 0 */
	uint64_t jobs;             /* jobs per device per size; 0 = duration */
	struct ep_lcore_map lmap[EP_MAX_DEVS];
	unsigned int n_lmap;
	bool verify;
	bool latency;
	char csv[PATH_MAX];
	unsigned int progress_ms;  /* 0 = no progress lines */
	unsigned int timeout_ms;   /* no-progress limit before a device fails */
	uint64_t buf_mem;          /* host buffer bytes per device and side */
	uint64_t ep_addr;          /* hardware: endpoint-local buffer base */
	uint64_t ep_size;
	char ep_map[PATH_MAX];     /* host mapping of that buffer (file) */
	uint64_t ep_map_off;
	bool memcpy;               /* also time a memcpy loop per size */
	struct ep_cost cost;       /* access costs of the projection */
	unsigned int link_gen;     /* --link: 0 = not given */
	unsigned int link_lanes;
	unsigned int link_mps;
	bool interactive;
	bool list;                 /* --list: list the dmadevs and exit */
	bool costs;                /* --costs: print the cost model and exit */
	bool quiet;
};

/** Name, argument and meaning of each parameter (options.c). */
struct ep_param {
	const char *name;          /* long option and "set" name */
	const char *arg;           /* argument, NULL for an on/off flag */
	const char *help;
};
extern const struct ep_param ep_params[];

/** Static facts about a dmadev, including our PMD's and model's. */
struct ep_dev_desc {
	int16_t id;
	char name[EP_NAME_LEN];
	uint64_t capa;
	uint16_t max_desc;
	uint16_t min_desc;
	uint16_t max_sges;
	int numa_node;
	char driver[EP_NAME_LEN];  /* driver name, "?" when not found */
	bool is_dw_edma;           /* the dw_edma PMD drives it */
	enum ep_dir chan_dir;      /* dw_edma: the channel's direction */
	char function[EP_NAME_LEN];/* dw_edma: PCI address or sim vdev name */
	unsigned int hw_ch;
	uint64_t m2m_base;
	int completion;            /* dw_edma: rte_pmd_dw_edma_completion */
	bool has_ep_mem;           /* simulated endpoint memory is known */
	void *ep_mem;
	uint64_t ep_mem_addr;
	uint64_t ep_mem_size;
};

/* Latency histogram: log2 buckets split in EP_HIST_SUB linear sub-buckets. */
#define EP_HIST_SUB_BITS 7
#define EP_HIST_SUB (1u << EP_HIST_SUB_BITS)
#define EP_HIST_BUCKETS (64 * EP_HIST_SUB)

struct ep_hist {
	uint64_t count;
	uint64_t min;
	uint64_t max;
	uint64_t sum;
	uint64_t bins[EP_HIST_BUCKETS];
};

/** Cycle accounting of one device during one measured phase. */
struct ep_meas {
	uint64_t enq_cycles;       /* inside rte_dma_copy/copy_sg */
	uint64_t sub_cycles;       /* inside rte_dma_submit */
	uint64_t cpl_cycles;       /* completion calls that returned jobs */
	uint64_t idle_cycles;      /* completion calls that returned nothing */
	uint64_t idle_polls;
	uint64_t cpl_calls;        /* completion calls that returned jobs */
	uint64_t submits;
	struct ep_hist lat;        /* TSC cycles, submit to completion seen */
	struct ep_hist cost;       /* driver TSC cycles of each job */
	struct ep_hist cost_win;   /* mean of each window, x EP_CYC_WIN_SCALE */
	double win_sum;            /* cycles of the window being filled */
	unsigned int win_n;        /* its jobs so far */
};

/*
 * Jobs per window of the median's histogram (fewer than a burst of 32
 * holds, so that at burst 32 a window is one burst's jobs), its
 * fixed-point scale, and the memcpy row's calls per timed block.
 */
#define EP_CYC_WINDOW 8
#define EP_CYC_WIN_SCALE 16.0
#define EP_MEMCPY_BLOCK 64

/** The dw_edma PMD's fast-path counters (valid false for other devices). */
struct ep_ctr {
	bool valid;
	uint64_t doorbells;
	uint64_t mmio_reads;
	uint64_t mmio_writes;
	uint64_t doorbell_retries;
	uint64_t stall_checks;
	uint64_t ring_resets;
};

/** Result of one device (or the total) at one transfer size. */
struct ep_result {
	bool valid;
	char device[EP_NAME_LEN];
	enum ep_dir dir;
	uint32_t size;
	uint16_t burst;
	uint16_t sg;
	uint32_t inflight;
	uint64_t jobs;
	uint64_t bytes;
	double seconds;
	double mjobs_per_s;
	double gbytes_per_s;
	double cycles_per_job;
	double enq_cycles;
	double sub_cycles;
	double cpl_cycles;
	uint64_t idle_polls;
	double lat_min_ns;
	double lat_med_ns;
	double lat_p99_ns;
	double lat_max_ns;
	double cyc_med;            /* per-job driver cycles: median, p99 */
	double cyc_p99;
	double doorbells_per_job;  /* < 0: not available */
	double mmio_reads_per_job;
	double mmio_writes_per_job;
	int64_t doorbell_retries;  /* < 0: not available */
	int64_t stall_checks;
	double submits_per_job;
	double cpl_calls_per_job;
	char completion[16];       /* dw_edma completion mode, "" otherwise */
	double link_pct;           /* GB/s against --link, < 0: not given */
	/* silicon projection (< 0: not a dw_edma device) */
	double proj_cpu_ns;        /* median per-job CPU time */
	double proj_mjobs;         /* ceiling, Mjobs/s per core, now */
	double before_reads;       /* the pre-write-back design's counts */
	double before_stores;
	double proj_before_mjobs;  /* its ceiling */
	uint64_t errors;           /* failed jobs + verification mismatches */
	uint64_t mismatches;
};

/* A job in flight, in enqueue order. */
struct ep_job {
	uint64_t seq;
	uint64_t tsc;
	float share;               /* its share of the enqueue+submit cycles */
	uint16_t ring_idx;
};

/** Per-device run state; owned by one lcore while running. */
struct ep_dev {
	struct ep_dev_desc d;
	unsigned int lcore;
	enum ep_dir dir;
	uint16_t ring;
	uint16_t sg;
	uint16_t burst;
	uint32_t inflight;
	uint32_t nslots;
	uint32_t slot_bytes;
	uint32_t seg_stride;
	bool verify;
	/* buffers: va NULL when the side is not mapped on the host */
	uint8_t *src_va, *dst_va;
	uint64_t src_addr, dst_addr;   /* IOVA or endpoint-local address */
	void *src_alloc, *dst_alloc;   /* rte_malloc'd host sides */
	/* in-flight FIFO */
	struct rte_dma_sge *sge;       /* sg > 1: per slot, src then dst */
	struct ep_job *fifo;
	uint32_t fifo_cap, fifo_head, fifo_tail;
	uint32_t outstanding;
	/* phase state */
	uint32_t size;
	uint64_t enq_seq;              /* jobs enqueued in this phase */
	uint64_t done_seq;             /* jobs completed in this phase */
	uint64_t bytes;
	uint64_t errors, mismatches;
	uint64_t last_progress_tsc;
	uint64_t first_tsc, end_tsc;
	struct ep_ctr ctr0;            /* PMD counters at phase start */
	struct ep_meas m;
	/* read by the progress printer from another thread */
	uint64_t live_jobs;
	uint64_t live_bytes;
	bool failed;
	bool finished;                 /* phase over for this device */
	unsigned int reported;         /* error lines printed */
	struct ep_result res[EP_MAX_SIZES];
};

/** A whole run: devices, results, and stop control. */
struct ep_run {
	struct ep_config cfg;
	struct ep_dev *devs;
	unsigned int n_devs;
	struct ep_result total[EP_MAX_SIZES];
	struct ep_result mc[EP_MAX_SIZES]; /* memcpy baseline (--memcpy) */
	uint8_t *mc_src, *mc_dst;      /* its buffers */
	uint32_t mc_slots, mc_slot_bytes;
	FILE *csv;                     /* opened before the run */
	unsigned int phases_done;
	uint64_t start_tsc;
	volatile bool stop;            /* Ctrl-C or "stop" */
	volatile bool running;
	volatile unsigned int phase;   /* size index being measured */
	void *lctx;                    /* per-lcore contexts (engine.c) */
	unsigned int n_lctx;
	void *ep_map_va;               /* --ep-map mapping */
	size_t ep_map_len;
	uint8_t *ep_map_base;          /* host address of --ep-addr */
};

/* options.c */
void ep_config_defaults(struct ep_config *cfg);
int ep_config_set(struct ep_config *cfg, const char *name, const char *value);
int ep_config_get(const struct ep_config *cfg, const char *name, char *buf,
		size_t len);
int ep_config_parse_args(struct ep_config *cfg, int argc, char **argv);
void ep_config_usage(FILE *f, const char *prog);
void ep_config_print(FILE *f, const struct ep_config *cfg);
const char *ep_dir_name(enum ep_dir dir);
int ep_parse_dev(const char *spec);

/* device.c */
int ep_dev_describe(int16_t id, struct ep_dev_desc *d);
int ep_dev_counters(int16_t id, struct ep_ctr *c);
const char *ep_completion_name(int mode);
int ep_dev_completion(int16_t id);
void ep_dev_counters_reset(int16_t id);
void ep_dev_print_info(FILE *f, int16_t id);
void ep_dev_print_stats(FILE *f, int16_t id);
void ep_dev_list(FILE *f);
int ep_dev_check_violations(const struct ep_dev_desc *d);

/* measure.c */
void ep_hist_reset(struct ep_hist *h);
void ep_hist_add(struct ep_hist *h, uint64_t v);
double ep_hist_percentile(const struct ep_hist *h, double pct);
void ep_hist_merge(struct ep_hist *dst, const struct ep_hist *src);
void ep_meas_reset(struct ep_meas *m);
void ep_meas_job_cycles(struct ep_meas *m, double cycles);
double ep_meas_cycles_median(const struct ep_meas *m);
void ep_meas_merge_cycles(struct ep_meas *dst, const struct ep_meas *src);
void ep_result_fill(struct ep_result *r, const struct ep_dev *dev,
		double seconds, const struct ep_ctr *delta);
void ep_result_project(struct ep_result *r, const struct ep_config *cfg,
		double cycles_per_ns);
void ep_result_link(struct ep_result *r, const struct ep_config *cfg);
void ep_result_total(struct ep_result *t, const struct ep_result *r,
		unsigned int n);

/* engine.c */
/* One lcore's share of a run (setup.c assigns, engine.c runs). */
struct ep_lcore_ctx {
	struct ep_run *run;
	unsigned int lcore;
	bool is_main;
	unsigned int n;
	struct ep_dev *devs[EP_MAX_DEVS];
	volatile bool done;
};

int ep_run_prepare(struct ep_run *run);
void ep_calibrate_tsc(void);

/* verify.c */
uint32_t ep_seg_len(const struct ep_dev *dev, unsigned int i);
void ep_fill_job(const struct ep_dev *dev, uint8_t *slot, uint64_t seq);
int ep_verify_job(struct ep_dev *dev, uint64_t seq);
int ep_run_execute(struct ep_run *run);
void ep_run_release(struct ep_run *run);
int ep_run_status(const struct ep_run *run);

/* output.c */
void ep_out_progress(struct ep_run *run, double elapsed);
void ep_out_table(FILE *f, const struct ep_run *run);
void ep_out_projection(FILE *f, const struct ep_run *run);
FILE *ep_out_csv_open(const char *path);
int ep_out_csv_write(FILE *f, const char *path, const struct ep_run *run);
extern const char *const ep_csv_columns[];
/* Output from a thread other than the prompt's (interactive mode reroutes
 * it so that the prompt is drawn again after it).
 */
extern void (*ep_out_async)(const char *text);

/* interactive.c */
int ep_interactive(struct ep_config *cfg);

/* main.c */
extern volatile bool ep_force_quit;

#endif /* EP_DMA_APP_H */
