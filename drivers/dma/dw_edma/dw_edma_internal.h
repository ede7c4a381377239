/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef DW_EDMA_INTERNAL_H
#define DW_EDMA_INTERNAL_H

/*
 * Internal structures of the dw_edma PMD: one dw_edma_fn per endpoint PCI
 * function (or simulated one), one dw_edma_chan per delegated channel, which
 * is the private data of one rte_dma device. The register backends (eDMA v0,
 * HDMA native) sit behind struct dw_edma_hw_ops.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_io.h>
#include <rte_spinlock.h>
#include <rte_dmadev.h>

#include "dw_edma_attach.h"
#include "dw_edma_compat.h"
#include "dw_edma_epdm.h"
#include "dw_edma_hw.h"
#include "rte_pmd_dw_edma.h"

extern int dw_edma_logtype;
#define RTE_LOGTYPE_DW_EDMA dw_edma_logtype
#define DW_LOG(level, ...) RTE_LOG_LINE(level, DW_EDMA, __VA_ARGS__)

#define DW_EDMA_MAX_CHANS		(2 * DW_META_MAX_CH)
/* Endpoint functions one process (group) can drive. */
#define DW_EDMA_MAX_FNS			16
#define DW_EDMA_READY_TIMEOUT_MS	3000
/* Longest job accepted: the element size field is 32-bit. */
#define DW_EDMA_MAX_LEN			UINT32_MAX
#define DW_EDMA_MAX_SGES		64
/* In the device-error state, READY is re-read at most every this many us. */
#define DW_EDMA_ERR_PROBE_US		1000
/* No progress this long (devarg stall_us): read the channel's registers. */
#define DW_EDMA_STALL_US		100
/* A stopped channel refusing to restart this long fails its job (stall_fail_ms). */
#define DW_EDMA_STALL_FAIL_MS		1000
/* Consecutive aborts of write-back elements before falling back to LLP. */
#define DW_EDMA_WB_MAX_FAULTS		3
/* stop(): how long to wait for jobs in flight. */
#define DW_EDMA_STOP_WAIT_MS		100
/* start(): how long an ABORT we cleared may still read set. */
#define DW_EDMA_CLEAR_WAIT_MS		1000
/* stop()/start(): how long to wait for the channel to leave "running". */
#define DW_EDMA_HALT_WAIT_MS		100

struct dw_edma_chan;
struct dw_edma_fn;

/* What the channel's status register says. */
enum dw_edma_hw_state {
	DW_HW_RUNNING,
	DW_HW_IDLE,     /* not started since it was enabled */
	DW_HW_STOPPED,
	DW_HW_HALTED,   /* aborted or error */
	DW_HW_DEAD,     /* all-ones or impossible value: link lost */
};

/* Register backend, one per map-format family. */
struct dw_edma_hw_ops {
	const char *name;
	/* bytes of register window the backend needs for channel (rd, n) */
	uint64_t (*reg_need)(bool rd, unsigned int hw_ch);
	/* program the channel for a ring at DESC_ADDR and enable it */
	void (*enable)(struct dw_edma_chan *ch);
	/* switch the channel off and clear its owned status bits */
	void (*quiesce)(struct dw_edma_chan *ch);
	uint32_t (*llp_lo)(struct dw_edma_chan *ch);
	enum dw_edma_hw_state (*state)(struct dw_edma_chan *ch);
	/* this channel's own ABORT interrupt bit: 1 set, 0 clear, -1 all-ones */
	int (*aborted)(struct dw_edma_chan *ch);
	/* ask a running channel to stop (doorbell STOP), leave siblings alone */
	void (*stop)(struct dw_edma_chan *ch);
	/* decode and clear the owned error/abort state after a halt */
	enum rte_dma_status_code (*error)(struct dw_edma_chan *ch);
	void (*dump)(struct dw_edma_chan *ch, FILE *f);
};

/*
 * Backends are named by index in shared state: a function pointer is only
 * valid in the process that stored it.
 */
enum dw_edma_backend {
	DW_BACKEND_V0 = 0,      /* eDMA unroll, HDMA compat */
	DW_BACKEND_HDMA,        /* HDMA native */
	DW_BACKEND_MAX,
};

extern const struct dw_edma_hw_ops dw_edma_v0_ops;
extern const struct dw_edma_hw_ops dw_edma_hdma_ops;

static inline const struct dw_edma_hw_ops *
dw_edma_backend_ops(enum dw_edma_backend b)
{
	return b == DW_BACKEND_HDMA ? &dw_edma_hdma_ops : &dw_edma_v0_ops;
}

/* How the metadata words of a BAR are reached (hardware reference B.6). */
enum dw_edma_bar_access {
	DW_BAR_MMIO = 0,  /* through addr: a normal BAR mapping */
	DW_BAR_REGION,    /* vfio region read/write: the blob page is a map hole */
	DW_BAR_NO_META,   /* blob page unreadable and no region access: skip */
};

struct dw_edma_bar {
	uint8_t *addr;
	uint64_t len;
	enum dw_edma_bar_access access;
};

/* Parsed channel-table entry. */
struct dw_edma_meta_ch {
	uint8_t hw_ch;
	uint8_t desc_bar;
	uint64_t desc_off;
	uint32_t desc_size;
	uint64_t desc_addr;
	bool aux_valid;       /* an aux window is described (never used) */
	uint8_t aux_bar;
	uint64_t aux_off;
	uint32_t aux_size;
};

/* Parsed metadata. */
struct dw_edma_meta {
	uint8_t bar;          /* metadata BAR */
	uint16_t length;
	uint8_t map_format;
	uint8_t reg_bar;
	uint64_t reg_off;
	uint32_t reg_size;
	uint8_t nb_wr;
	uint8_t nb_rd;
	uint8_t es;
	struct dw_edma_meta_ch wr[DW_META_MAX_CH];
	struct dw_edma_meta_ch rd[DW_META_MAX_CH];
};

/* Completion mode asked for with the completion= devarg. */
enum dw_edma_cpl_opt {
	DW_CPL_OPT_AUTO = 0,  /* write-back where the function allows it, else LLP */
	DW_CPL_OPT_LLP,       /* LLP register reads only */
	DW_CPL_OPT_IMWR,      /* auto, with IMWr for read channels without write-back */
};

/* Probe-time options. */
struct dw_edma_opts {
	uint32_t ready_timeout_ms;
	uint64_t m2m_base;
	bool has_m2m;
	enum dw_edma_cpl_opt cpl;
	uint32_t stall_us;
	uint32_t stall_fail_ms;
	struct dw_edma_epdm_opts epdm;  /* epdm_* devargs: the EPDM front end */
};

/*
 * One endpoint function. Lives in DPDK shared memory (a slot of the
 * registry memzone) so that a secondary process finds what its primary
 * discovered: no function pointers and no process-local addresses in it
 * (BAR mappings have the same address in every process of the group).
 */
struct dw_edma_fn {
	char name[64];
	bool in_use;
	uint16_t slot;                /* index in the registry */
	struct dw_edma_bar bars[DW_NUM_BARS];
	struct dw_edma_meta meta;
	enum dw_edma_front front;     /* which discovery found it */
	struct dw_edma_epdm epdm;     /* DW_FRONT_EPDM: the slice */
	struct dw_edma_opts opts;
	uint8_t func_num;
	enum dw_edma_backend backend;
	uint8_t *reg;                 /* register window base */
	rte_spinlock_t lock;          /* per-direction RMW registers, CTRL word */
	unsigned int nb_chans;
	struct dw_edma_chan *chans[DW_EDMA_MAX_CHANS]; /* NULL once closed */
	char dev_names[DW_EDMA_MAX_CHANS][RTE_DEV_NAME_MAX_LEN];
};

/*
 * Process-local side of a function, indexed by its registry slot: how the
 * metadata words are read and written in this process (plain MMIO, or the
 * vfio region of a BAR whose blob page vfio-pci did not let us map).
 */
struct dw_edma_fn_local {
	uint32_t (*rd32)(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off);
	void (*wr32)(struct dw_edma_fn *fn, uint8_t bar, uint64_t off, uint32_t v);
	struct dw_edma_region region[DW_NUM_BARS];
};

struct dw_edma_fn_local *dw_edma_fn_local(const struct dw_edma_fn *fn);

static inline uint32_t
dw_meta_rd32(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off)
{
	return dw_edma_fn_local(fn)->rd32(fn, bar, off);
}

static inline void
dw_meta_wr32(struct dw_edma_fn *fn, uint8_t bar, uint64_t off, uint32_t v)
{
	dw_edma_fn_local(fn)->wr32(fn, bar, off, v);
}

/* Host-side shadow of one ring slot. */
struct dw_edma_slot {
	uint64_t sar;
	uint64_t dar;
	uint32_t len;
	uint16_t job;         /* job id the slot belongs to */
	uint8_t last;         /* last slot of its job */
	uint8_t irq;          /* written with the interrupt flag */
	uint8_t wb;           /* a write-back element, not part of a job */
};

/* Per-job state, indexed by job id & job_mask. */
enum {
	DW_JOB_PENDING = 0xffff,
	DW_JOB_NULL = 0xfffe,      /* zero-length job: no element, done when submitted */
};

struct dw_edma_job {
	uint16_t status;      /* DW_JOB_PENDING or rte_dma_status_code */
	uint8_t fence;        /* enqueued with RTE_DMA_OP_FLAG_FENCE */
};

/* How completed() learns how far the engine got. */
enum dw_edma_cpl {
	/*
	 * After each batch one more element copies a code naming its own
	 * ring slot into a word in host memory; polling reads that word.
	 */
	DW_CPL_WB = 0,
	/*
	 * HDMA native only (devarg): the last element of a batch asks for an
	 * IMWr into a host word; a set word triggers one LLP read.
	 */
	DW_CPL_IMWR,
	/* LLP register reads, paced by the expected completion time. */
	DW_CPL_LLP,
};

/*
 * One delegated channel: the private data of its rte_dma device, in shared
 * memory (a secondary process runs the same fast path on it).
 */
struct dw_edma_chan {
	const char *name;             /* dmadev name (in the shared fn) */
	struct dw_edma_fn *fn;        /* shared */
	enum dw_edma_backend backend;
	bool rd;                      /* read channel (host to endpoint) */
	uint8_t hw_ch;
	uint8_t *regs;                /* channel register block */
	uint8_t *desc;                /* descriptor window (CPU mapping) */
	uint32_t desc_size;
	uint64_t desc_addr;           /* endpoint-local LL base */
	uint16_t max_desc;
	uint16_t max_sges;
	int16_t dev_id;

	/* configuration */
	uint16_t nb_desc;             /* jobs outstanding at most */
	enum rte_dma_direction dir;
	bool configured;
	bool started;

	/*
	 * Ring: the whole descriptor window, nb_slots data slots then the
	 * permanent link element; one slot always free, and one kept for the
	 * write-back element of the open batch.
	 */
	uint16_t nb_slots;
	uint16_t head;                /* next slot to write */
	uint16_t hw_done;             /* first slot the engine has not done */
	uint16_t sub_head;            /* first slot not released to the engine */
	uint8_t cb;                   /* cycle bit of the current lap */
	uint8_t wb_reserve;           /* slots kept for the open batch's write-back */
	uint16_t batch_first;         /* first slot of the unsubmitted batch */
	uint32_t batch_ctrl;          /* its held-back control word */
	bool batch_open;              /* elements written since last submit */
	uint16_t batch_jobs;          /* jobs in the unsubmitted batch */
	uint16_t batch_last;          /* last slot written */
	uint64_t batch_bytes;         /* payload bytes of the open batch */
	struct dw_edma_slot *slots;
	struct dw_edma_slot *replay;  /* scratch for abort recovery */

	/* jobs */
	uint16_t next_job;            /* id of the next job */
	uint16_t rep_job;             /* oldest job not reported */
	uint16_t job_mask;
	struct dw_edma_job *jobs;

	/* completion */
	enum dw_edma_cpl cpl;
	volatile uint32_t *cpl_word;  /* host word the device writes */
	rte_iova_t cpl_iova;
	uint32_t wb_last;             /* code last read from cpl_word */
	uint32_t *wb_codes;           /* read channels: host copy of the slot codes */
	rte_iova_t wb_codes_iova;
	uint8_t wb_faults;            /* consecutive aborts of write-back elements */
	/* LLP pacing (DW_CPL_LLP): expected cycles per weighted byte, Q8 */
	uint64_t est_q8;
	uint64_t rel_tsc;             /* release time of the oldest open batch */
	uint64_t rel_weight;          /* its weighted bytes */
	uint64_t next_llp;            /* TSC before which LLP is not read */
	uint64_t llp_miss_tsc;        /* last LLP read that found the work unfinished */

	/* stall diagnosis */
	uint32_t idle_polls;          /* polls without progress */
	uint64_t stall_t0;            /* TSC when no-progress was first timed, 0: not */
	uint64_t stall_cycles;        /* no progress this long: read the registers */
	uint64_t fail_cycles;         /* restart refused this long: fail the job */
	uint64_t retry_t0;            /* TSC of the first re-ring of an episode, 0: none */
	uint16_t noprog_retries;      /* doorbell retries since the last progress */
	uint32_t rering_quiet;        /* "still stopped" lines held back since */
	uint64_t rering_note_tsc;     /* the last one printed */
	/*
	 * An abort was decoded and cleared, but ABORT still read set: the
	 * device has not acted on the clear yet. The recovery (fresh ring,
	 * replay, doorbell) waits until it reads clear, so that a later ABORT
	 * is always a new one; meanwhile no doorbell is rung.
	 */
	bool recover_pending;
	uint16_t pend_f;              /* where the engine halted */
	enum rte_dma_status_code pend_sc;
	bool dev_err;                 /* link lost / READY dropped */
	bool meta_changed;            /* metadata differs after READY came back */
	uint64_t err_next_probe;      /* TSC of the next READY probe */

	/* fast-path constants */
	uint64_t m2m_base;
	uint8_t *db_reg;              /* doorbell register */
	uint32_t db_val;              /* value that starts this channel */

	/* counters */
	struct rte_pmd_dw_edma_counters cnt;
	uint64_t submitted_jobs;
	uint64_t errors;
};

/* ---- MMIO with accounting ---- */
static inline uint32_t
dw_rd32(struct dw_edma_chan *ch, const void *addr)
{
	ch->cnt.mmio_reads++;
	return rte_read32(addr);
}

static inline void
dw_wr32(struct dw_edma_chan *ch, void *addr, uint32_t v)
{
	ch->cnt.mmio_writes++;
	rte_write32(v, addr);
}

static inline void
dw_wr32_relaxed(struct dw_edma_chan *ch, void *addr, uint32_t v)
{
	ch->cnt.mmio_writes++;
	rte_write32_relaxed(v, addr);
}

/* One uncached 64-bit store: the element's SAR or DAR (Linux uses writeq). */
static inline void
dw_wr64_relaxed(struct dw_edma_chan *ch, void *addr, uint64_t v)
{
	ch->cnt.mmio_writes++;
	rte_write64_relaxed(v, addr);
}

static inline uint32_t
dw_reg_rd(struct dw_edma_chan *ch, uint32_t off)
{
	return dw_rd32(ch, ch->fn->reg + off);
}

static inline void
dw_reg_wr(struct dw_edma_chan *ch, uint32_t off, uint32_t v)
{
	dw_wr32(ch, ch->fn->reg + off, v);
}

static inline uint32_t
dw_ch_rd(struct dw_edma_chan *ch, uint32_t off)
{
	return dw_rd32(ch, ch->regs + off);
}

static inline void
dw_ch_wr(struct dw_edma_chan *ch, uint32_t off, uint32_t v)
{
	dw_wr32(ch, ch->regs + off, v);
}

/*
 * Metadata scan span of a BAR: the blob LENGTH field is 16-bit, so discovery
 * never reads past this offset.
 */
#define DW_EDMA_META_SPAN		0x10000u

static inline const struct dw_edma_hw_ops *
chan_ops(const struct dw_edma_chan *ch)
{
	return dw_edma_backend_ops(ch->backend);
}

/* ---- mappings (dw_edma_maps.c) ---- */
int dw_edma_range_readable(const void *addr, uint64_t len);

/* ---- metadata (dw_edma_meta.c) ---- */
int dw_edma_meta_discover(struct dw_edma_fn *fn);
bool dw_edma_meta_ready(struct dw_edma_chan *ch);
uint32_t dw_edma_meta_ctrl(struct dw_edma_chan *ch);
void dw_edma_meta_host_req(struct dw_edma_chan *ch);
int dw_edma_meta_recheck(struct dw_edma_chan *ch);
void dw_edma_meta_dump(const struct dw_edma_fn *fn, FILE *f);
int dw_edma_meta_whole_dirs(struct dw_edma_fn *fn);

/* ---- EPDM v1 slice front end (dw_edma_epdm.c) ---- */
int dw_edma_epdm_opt(struct dw_edma_epdm_opts *o, const char *key, const char *value,
		const char *where);
bool dw_edma_epdm_requested(const char *devargs);
int dw_edma_epdm_discover(struct dw_edma_fn *fn);
uint32_t dw_edma_epdm_ctrl(struct dw_edma_chan *ch);
int dw_edma_epdm_recheck(struct dw_edma_chan *ch);
void dw_edma_epdm_dump(const struct dw_edma_fn *fn, FILE *f);

/* ---- dmadev ops (dw_edma_dmadev.c) ---- */
void dw_edma_dev_init(struct rte_dma_dev *dev, struct dw_edma_chan *ch);

/* ---- functions: registry, attach, devices (dw_edma_fn.c) ---- */
struct dw_edma_chan *dw_edma_chan_of(int16_t dev_id);
int dw_edma_fn_attach_io(const struct dw_edma_fn_desc *d,
		int (*io_setup)(struct dw_edma_fn *fn, struct dw_edma_fn_local *loc,
			void *arg), void *io_arg);

/* ---- channel progress and recovery (dw_edma_chan.c) ---- */
void dw_edma_chan_poll_slow(struct dw_edma_chan *ch);
enum dw_edma_cpl dw_edma_chan_cpl_mode(const struct dw_edma_chan *ch);
void dw_edma_chan_diagnose(struct dw_edma_chan *ch);
int dw_edma_chan_progress(struct dw_edma_chan *ch);
void dw_edma_chan_reprogram(struct dw_edma_chan *ch);
int dw_edma_chan_cpl_setup(struct dw_edma_chan *ch);
void dw_edma_chan_cpl_free(struct dw_edma_chan *ch);
void dw_edma_chan_err_enter(struct dw_edma_chan *ch, const char *why,
		uint32_t val);
int dw_edma_chan_wait_abort_clear(struct dw_edma_chan *ch, unsigned int ms);
void dw_edma_jobs_fail_pending(struct dw_edma_chan *ch,
		enum rte_dma_status_code sc);

#endif /* DW_EDMA_INTERNAL_H */
