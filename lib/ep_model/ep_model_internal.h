/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_MODEL_INTERNAL_H
#define EP_MODEL_INTERNAL_H

/*
 * Internal definitions of the endpoint model. The register definitions here
 * are the model's own, written from doc spec sections A, C and D; the model
 * never includes the driver's headers.
 */

#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_memory.h>
#include <rte_log.h>

#include "ep_model.h"

extern int epm_logtype;
#define EPM_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, epm_logtype, "ep_model: " fmt "\n", ##__VA_ARGS__)

#define EPM_MAX_CH 8
#define EPM_MAX_VIOL_TEXT 16
#define EPM_VIOL_LEN 128
#define EPM_NONE UINT64_MAX
/* The thread=0 clock saturates here (2^62 ns, ~146 years). */
#define EPM_CLOCK_MAX_NS (1ULL << 62)
/* Largest reg_off/desc_off: keeps the BARs a sane size (1 GiB). */
#define EPM_BAR_OFF_MAX (1ULL << 30)

/* ---- Metadata blob (hardware reference A) ---- */
#define EPM_META_MAGIC		0x4d444550u
#define EPM_META_REV		1u
#define EPM_META_HDR_LEN	0x1cu
#define EPM_META_ES		0x2cu
#define EPM_META_CTRL		0x08u
#define EPM_CTRL_HOST_REQ	(1u << 30)
#define EPM_CTRL_READY		(1u << 31)
#define EPM_LAYOUT_DW_EDMA	0x1u

/* ---- EPDM ABI v1 slice and vNTB control region (hardware reference F) ---- */
#define EPM_EPDM_MAGIC		0x4d445045u	/* "EPDM" */
#define EPM_EPDM_HDR_SIZE	0xe0u		/* sizeof(struct pci_ep_dma_hdr_v1) */
#define EPM_NTB_LEN		0x1000u		/* vNTB control region (one page) */
#define EPM_NTB_LINK_STATUS	0x08u		/* 16-bit at 0x0a: word bits [31:16] */
#define EPM_NTB_CTRL_VERSION	0x0cu
#define EPM_NTB_DMA_ABI		0x154u		/* then BAR, OFFSET, SIZE, NUM_CHANS */

/* What the endpoint publishes for discovery (key export). */
enum epm_export {
	EPM_EXPORT_PEDM = 0,	/* pci-epf-dma metadata blob, handshake */
	EPM_EXPORT_EPDM,	/* vNTB EPDM v1 slice only, no handshake */
	EPM_EXPORT_BOTH,
};

/* ---- LL element control word (hardware reference C.4, D.2) ---- */
/* LL pointers must be 32-bit aligned: the engine fetches 32-bit words. */
#define EPM_LL_ALIGN		4u
#define EPM_LL_CB		(1u << 0)
#define EPM_LL_TCB		(1u << 1)
#define EPM_LL_LLP		(1u << 2)
#define EPM_LL_LIE		(1u << 3)	/* HDMA: LWIE */
#define EPM_LL_RIE		(1u << 4)	/* HDMA: RWIE */
#define EPM_LL_SLOT		24u
#define EPM_MIN_DESC_SIZE	(4 * EPM_LL_SLOT)

/* ---- eDMA v0 unroll / HDMA compat register window (hardware reference C) ---- */
#define EDMA_CTRL_DATA_ARB_PRIOR	0x000
#define EDMA_CTRL			0x008
#define EDMA_WR_ENGINE_EN		0x00c
#define EDMA_WR_DOORBELL		0x010
#define EDMA_RD_ENGINE_EN		0x02c
#define EDMA_RD_DOORBELL		0x030
#define EDMA_WR_INT_STATUS		0x04c
#define EDMA_WR_INT_MASK		0x054
#define EDMA_WR_INT_CLEAR		0x058
#define EDMA_WR_ERR_STATUS		0x05c
#define EDMA_RD_INT_STATUS		0x0a0
#define EDMA_RD_INT_MASK		0x0a8
#define EDMA_RD_INT_CLEAR		0x0ac
#define EDMA_RD_ERR_STATUS_LO		0x0b4
#define EDMA_RD_ERR_STATUS_HI		0x0b8
#define EDMA_WR_DONE_IMWR_LO		0x060
#define EDMA_RD_DONE_IMWR_LO		0x0cc
#define EDMA_WR_IMWR_DATA(n)		(0x070 + 4 * ((n) / 2))
#define EDMA_RD_IMWR_DATA(n)		(0x0dc + 4 * ((n) / 2))
#define EDMA_WR_PWR_EN(n)		(0x128 + 4 * (n))
#define EDMA_RD_PWR_EN(n)		(0x168 + 4 * (n))
#define EDMA_CH_BASE(dir, n)		(0x200 + (n) * 0x200 + (dir) * 0x100)
#define EDMA_CH_CTL1			0x00
#define EDMA_CH_LLP_LO			0x1c
#define EDMA_CH_LLP_HI			0x20
#define EDMA_REG_SIZE			0x2000u
/* Doorbell resting value: bits no host ever writes (reserved bits set). */
#define EDMA_DB_REST			0xffffffffu
#define EDMA_DB_STOP			(1u << 31)
#define EDMA_CTL1_CS_SHIFT		5
#define EDMA_CTL1_CS_MASK		(3u << 5)
#define EDMA_CTL1_CCS			(1u << 8)
#define EDMA_CTL1_LLE			(1u << 9)
#define EDMA_CTL1_FUNC(v)		(((v) >> 12) & 0x1f)
#define EDMA_INT_DONE(ch)		(1u << (ch))
#define EDMA_INT_ABORT(ch)		(1u << (16 + (ch)))

/* ---- HDMA native (hardware reference D.1) ---- */
#define HDMA_CH_BASE(dir, n)		((n) * 0x200 + (dir) * 0x100)
#define HDMA_CH_EN			0x00
#define HDMA_DOORBELL			0x04
#define HDMA_LLP_LO			0x10
#define HDMA_LLP_HI			0x14
#define HDMA_CYCLE_SYNC			0x18
#define HDMA_CONTROL1			0x34
#define HDMA_FUNC_NUM			0x38
#define HDMA_CH_STAT			0x80
#define HDMA_INT_STAT			0x84
#define HDMA_INT_SETUP			0x88
#define HDMA_INT_CLEAR			0x8c
#define HDMA_MSI_STOP_LO		0x90
#define HDMA_MSI_WM_LO			0x98
#define HDMA_MSI_ABORT_LO		0xa0
#define HDMA_MSI_MSGDATA		0xa8
#define HDMA_SETUP_RSIE			(1u << 3)
#define HDMA_SETUP_RAIE			(1u << 5)
#define HDMA_DB_START			(1u << 0)
#define HDMA_DB_STOP			(1u << 1)
#define HDMA_INT_STOP			(1u << 0)
#define HDMA_INT_WATERMARK		(1u << 1)
#define HDMA_INT_ABORT			(1u << 2)
#define HDMA_CYCLE_BIT			(1u << 0)
#define HDMA_CYCLE_STAT			(1u << 1)	/* load CCS from bit 0 */
#define HDMA_FUNC_VF_EN			(1u << 16)	/* VFs unsupported (E.3) */

/* Channel status values (CS / ch_stat). */
#define EPM_CS_IDLE	0
#define EPM_CS_RUNNING	1
#define EPM_CS_HALTED	2
#define EPM_CS_STOPPED	3

/* What a register word is, for ownership and semantics. */
enum epm_reg_kind {
	EPM_REG_GLOBAL,		/* controller-wide: host must never write */
	EPM_REG_DIR,		/* per-direction register */
	EPM_REG_CH,		/* register in a channel block (or pwr_en) */
	EPM_REG_NONE,		/* outside every register the layout defines */
};

enum epm_reg_sem {
	EPM_SEM_PLAIN,		/* plain storage */
	EPM_SEM_RO,		/* read-only status: a write is a violation */
	EPM_SEM_DOORBELL,	/* write-only event */
	EPM_SEM_INT_CLEAR,	/* write-only event, write 1 to clear */
	EPM_SEM_CYCLE_SYNC,	/* HDMA write-only event */
	EPM_SEM_CTL1,		/* eDMA ch_control1 (CS read-only) */
};

struct epm_reg {
	enum epm_reg_kind kind;
	enum epm_reg_sem sem;
	int dir;		/* -1 when not per direction */
	int ch;			/* -1 when not per channel */
	bool reserved;		/* no register at this offset of a block */
	char name[40];
};

enum epm_cause {
	EPM_CAUSE_NONE,
	EPM_CAUSE_LL_FETCH,	/* element outside every descriptor window */
	EPM_CAUSE_EP_DECODE,	/* endpoint-local address decodes nowhere */
	EPM_CAUSE_HOST_FAULT,	/* IOMMU fault or FUNC_NUM mismatch */
	EPM_CAUSE_INJECTED,	/* fault injection: completer abort */
	EPM_CAUSE_STOP,		/* host rang the doorbell with STOP */
};

enum epm_ch_state {
	EPM_CH_IDLE,
	EPM_CH_RUNNING,
	EPM_CH_STOPPED,
	EPM_CH_HALTED,
};

struct epm_inject {
	uint8_t dir;
	uint8_t ch;
	uint32_t nth;
};

struct epm_cfg {
	enum ep_model_map_format layout;
	unsigned int wr, rd, hw_wr, hw_rd;
	bool hw_wr_set, hw_rd_set;
	unsigned int func;
	unsigned int meta_bar, reg_bar, desc_bar;
	uint64_t reg_off, desc_off, desc_size, desc_addr;
	bool desc_off_set;
	bool msix;
	uint64_t msix_off;	/* MSI-X table offset in the metadata BAR */
	bool msix_off_set;	/* else ALIGN(blob length, 8), as the EPF does */
	uint64_t ep_mem_base, ep_mem_size;
	uint64_t outbound, outbound_size;
	bool outbound_set;
	uint64_t ready_poll_ms;
	bool thread;
	int cpu;
	uint64_t idle_sleep_us;
	bool missed_doorbell;
	bool llp_lag;		/* LLP at LIE elements trails by one */
	uint64_t element_ns, bandwidth;
	struct epm_inject aborts[8], corrupts[8];
	unsigned int naborts, ncorrupts;
	uint64_t link_down_ms, link_up_ms, ready_drop_ms, ready_restore_ms;
	uint64_t reinit_ms;
	char metadata_file[PATH_MAX];
	/* EPDM export (ep_model_epdm.c) */
	enum epm_export export;
	bool wr_set, reg_set;
	unsigned int slice_bar;
	bool slice_bar_set;
	uint64_t slice_off, slice_align;
	bool slice_ctrl_out;	/* register window outside the slice */
	int ntb_bar;		/* vNTB control region, -1: none */
	bool ntb_bar_set;
	bool slice_keys;	/* a slice_* or ntb_bar key was given */
	char slice_file[PATH_MAX];	/* header image replacing the generated one */
};

struct epm_chan {
	bool active;		/* delegated: the engine runs it */
	uint8_t dir, idx;
	uint32_t blk;		/* byte offset of its block in the window */
	enum epm_ch_state state;
	uint64_t cur;		/* endpoint-local address of the current element */
	bool ccs;		/* engine's consumer cycle state */
	bool hdma_ccs;		/* HDMA: CCS loaded by cycle_sync / kept at stop */
	bool have_pf;		/* element fetched ahead of time */
	uint8_t pf_len;		/* bytes of it fetched (16 near a window end) */
	uint32_t pf_el[EPM_LL_SLOT / 4];	/* its snapshot, as fetched */
	bool pending_db;	/* doorbell remembered (missed_doorbell=0) */
	uint64_t lie_prev;	/* llp_lag: position of the previous LIE point */
	bool due_valid;		/* timing: current element's completion time */
	uint64_t due_addr, due_ns, prev_done_ns;
	int64_t abort_left, corrupt_left;	/* -1: not armed */
};

struct epm_desc {
	uint8_t *host;
	uint64_t addr;		/* endpoint-local DESC_ADDR */
	uint64_t size;
	uint64_t bar_off;
};

/* One region a BAR holds, for placement and the overlap check. */
struct epm_region {
	unsigned int bar;
	uint64_t off, len;
	const char *what;
};

struct epm_bar {
	uint8_t *mem;
	uint64_t len;
	uint8_t *saved;		/* contents kept across a link down */
};

struct ep_model {
	char name[64];
	struct ep_model *next;
	struct epm_cfg cfg;
	struct ep_model_env env;
	pthread_mutex_t lock;
	pthread_cond_t scanned;	/* signalled after every full register scan */
	uint64_t full_scans;

	struct epm_bar bar[EP_MODEL_NUM_BARS];
	uint32_t *regs;		/* register window inside its BAR */
	uint32_t reg_size;
	uint32_t *shadow;	/* last value seen or written per register word */
	uint32_t *meta;		/* metadata blob at offset 0 of its BAR */
	uint32_t meta_len;	/* bytes of blob (or loaded image) watched */
	uint32_t *meta_shadow;
	uint32_t *meta_img;	/* blob as built at creation (H=R=0), for re-init */
	uint32_t msix_vectors;	/* MSI-X table entries after the blob */
	uint32_t msix_off;	/* where the table starts in the metadata BAR */
	struct epm_desc desc[2 * EPM_MAX_CH];
	unsigned int ndesc;
	uint8_t *ep_mem;

	struct epm_chan ch[2][EPM_MAX_CH];
	uint32_t hot[4 + 2 * EPM_MAX_CH * 5];	/* fast-path register words */
	unsigned int nhot;
	uint64_t passes;
	struct rte_memseg_list *msl_cache;	/* last memseg list hit */
	bool idle_pass;		/* last pass processed nothing */

	/* clock: thread=0 moves it by advance_us, otherwise monotonic */
	uint64_t clock_ns;
	uint64_t t0_ns;
	uint64_t next_poll_ns;
	uint64_t link_free_ns;	/* timing: when the shared link is free */
	uint64_t pause_until_ns;	/* ep_model_pause(): the engine idles until then */

	bool ready_val;		/* READY as the model last set it */
	bool ever_ready;
	bool ready_hold;	/* READY dropped by injection until restored */
	bool link_down;
	uint64_t ev_link_down, ev_link_up, ev_ready_drop, ev_ready_restore;
	uint64_t ev_reinit;
	bool reinit_pending;	/* re-init asked while the link was down */

	/* EPDM slice (export=epdm|both) */
	uint64_t slice_size;	/* total_size */
	uint32_t slice_shadow[EPM_EPDM_HDR_SIZE / 4];	/* header as published */
	uint8_t *slice_img;	/* slice_file contents */
	uint32_t slice_img_len;
	bool host_req_seen;	/* export=both: the host took the PEDM path */

	struct ep_model_stats stats;
	uint64_t nviol;
	char viol[EPM_MAX_VIOL_TEXT][EPM_VIOL_LEN];

	pthread_t tid;
	bool thread_started;
	volatile bool thread_stop;
};

/* ep_model_config.c */
int epm_config_parse(const char *args, struct epm_cfg *cfg);
int epm_parse_u64(const char *key, const char *val, uint64_t max, uint64_t *out);

/* ep_model_epdm.c */
bool epm_epdm_key(const char *key);
int epm_epdm_apply_key(struct epm_cfg *c, const char *key, const char *val);
int epm_epdm_check_cfg(struct epm_cfg *c);
unsigned int epm_epdm_place(struct ep_model *m, struct epm_region *reg, unsigned int n);
int epm_epdm_build(struct ep_model *m);
void epm_epdm_scan(struct ep_model *m);
void epm_epdm_write_seen(struct ep_model *m, unsigned int bar, uint64_t off);
bool epm_ready_rule(const struct ep_model *m);

/* ep_model_meta.c */
int epm_meta_build(struct ep_model *m, uint32_t msix_vectors);
void epm_meta_scan(struct ep_model *m);
void epm_handshake_tick(struct ep_model *m, uint64_t now);
void epm_meta_update(struct ep_model *m, uint32_t clear, uint32_t set);
void epm_meta_write_seen(struct ep_model *m, uint32_t off);
uint32_t epm_meta_image_len(const struct ep_model *m);
int epm_meta_load_file(const char *path, uint8_t **img, uint32_t *len);

/* ep_model_regs.c */
void epm_reg_decode(const struct ep_model *m, uint32_t off, struct epm_reg *r);
void epm_regs_reset(struct ep_model *m);
void epm_regs_scan(struct ep_model *m);
void epm_regs_build_hot(struct ep_model *m);
void epm_regs_scan_hot(struct ep_model *m);
void epm_reg_update(struct ep_model *m, uint32_t off, uint32_t clear,
		uint32_t set);
void epm_reg_consume(struct ep_model *m, uint32_t off);
void epm_reg_write_seen(struct ep_model *m, uint32_t off);
uint32_t epm_reg_live(const struct ep_model *m, uint32_t off);
void epm_violation(struct ep_model *m, const char *fmt, ...)
	__rte_format_printf(2, 3);
bool epm_is_hdma_native(const struct ep_model *m);

/* ep_model_engine.c */
int epm_pass(struct ep_model *m, unsigned int rounds);
void epm_full_scan(struct ep_model *m);
void epm_timed(struct ep_model *m, uint64_t now);
uint64_t epm_now(const struct ep_model *m);
void epm_ch_doorbell(struct ep_model *m, struct epm_chan *c, bool stop);
void epm_ch_set_cs(struct ep_model *m, struct epm_chan *c);
void epm_ch_clear_cause(struct ep_model *m, struct epm_chan *c);
void epm_ch_reset(struct epm_chan *c);
bool epm_ch_enabled(const struct ep_model *m, const struct epm_chan *c);
int epm_thread_start(struct ep_model *m);
void epm_thread_stop(struct ep_model *m);

/* ep_model_fault.c */
void epm_link_down(struct ep_model *m);
void epm_link_up(struct ep_model *m);
void epm_ready_drop(struct ep_model *m);
void epm_ready_restore(struct ep_model *m);
void epm_reinit(struct ep_model *m);

static inline uint32_t
epm_ld32(const volatile void *p)
{
	return __atomic_load_n((const volatile uint32_t *)p, __ATOMIC_RELAXED);
}

static inline uint32_t
epm_ld32_acq(const volatile void *p)
{
	return __atomic_load_n((const volatile uint32_t *)p, __ATOMIC_ACQUIRE);
}

static inline void
epm_st32(volatile void *p, uint32_t v)
{
	__atomic_store_n((volatile uint32_t *)p, v, __ATOMIC_RELEASE);
}

#endif /* EP_MODEL_INTERNAL_H */
