/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Tests of the endpoint model, driving it directly through its BARs with
 * hand-built linked lists (no driver involved). Most run with thread=0 so
 * that the model moves only when the test polls it.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "ep_model.h"
#include "../../../app/test/ep_test.h"

/* Register facts the tests use, written from the hardware reference independently. */
#define WR 0
#define RD 1
#define CB (1u << 0)
#define TCB (1u << 1)
#define LLP (1u << 2)
#define LIE (1u << 3)
#define RIE (1u << 4)
#define CTL1_CCS (1u << 8)
#define CTL1_LLE (1u << 9)
#define CTL1_CS_SHIFT 5		/* ch_control1 bits 6:5 CS, read-only */
#define CTL1_FUNC(f) ((uint32_t)(f) << 12)
#define SLOT 24
#define R_BIT (1u << 31)
#define H_BIT (1u << 30)

/* Metadata blob header (hardware reference A.2), offsets from its first byte. */
#define META_MAGIC 0x00
#define META_HDR 0x04			/* REVISION, LENGTH */
#define META_CTRL 0x08			/* A.3: REG_BAR, counts, ES, H, R */
#define META_REG_OFF_LO 0x0c
#define META_REG_OFF_HI 0x10
#define META_LAYOUT 0x14		/* A.4: LAYOUT_ID, LAYOUT_DATA */
#define META_REG_SIZE 0x18
#define META_HDR_LEN 0x1c		/* the write table starts here */
#define META_MAGIC_VALUE 0x4d444550	/* "PEDM" */
#define META_CH_ENTRY_SIZE 0x2c
/* Channel-table entry (A.5), offsets inside one entry. */
#define META_CH_CTRL 0x00
#define META_DESC_OFF_LO 0x04
#define META_DESC_OFF_HI 0x08
#define META_DESC_SIZE 0x0c
#define META_DESC_ADDR_LO 0x10
#define META_DESC_ADDR_HI 0x14

/* eDMA v0 unroll: global and per-direction registers (hardware reference C.1). */
#define EDMA_CTRL_DATA_ARB_PRIOR 0x000
#define EDMA_CTRL 0x008
#define EDMA_CTRL_RD_CH_SHIFT 16	/* ctrl: bits 3:0 WR count, bits 19:16 RD count */
#define EDMA_WR_ENGINE_EN 0x00c
#define EDMA_WR_DOORBELL 0x010
#define EDMA_RD_ENGINE_EN 0x02c
#define EDMA_RD_DOORBELL 0x030
#define EDMA_WR_INT_STATUS 0x04c
#define EDMA_WR_INT_MASK 0x054
#define EDMA_WR_INT_CLEAR 0x058
#define EDMA_WR_ERR_STATUS 0x05c
#define EDMA_RD_INT_STATUS 0x0a0
#define EDMA_RD_INT_MASK 0x0a8
#define EDMA_RD_INT_CLEAR 0x0ac
#define EDMA_RD_ERR_STATUS_LO 0x0b4
#define EDMA_RD_ERR_STATUS_HI 0x0b8
#define EDMA_RD_DONE_IMWR_LO 0x0cc
#define EDMA_RD_DONE_IMWR_HI 0x0d0
#define EDMA_RD_CH01_IMWR_DATA 0x0dc
#define EDMA_DOORBELL_STOP (1u << 31)	/* [3P] */
/* int_status, int_mask and int_clear: bits 7:0 DONE[ch], bits 23:16 ABORT[ch] */
#define EDMA_INT_DONE(ch) (1u << (ch))
#define EDMA_INT_ABORT(ch) (1u << (16 + (ch)))
/* wr_err_status, rd_err_status lo: bits 23:16 linked-list fetch error [3P] */
#define EDMA_ERR_LL_FETCH(ch) (1u << (16 + (ch)))
/* rd_err_status hi: bits 15:8 completer abort [3P] */
#define EDMA_ERR_HI_CPL_ABORT(ch) (1u << (8 + (ch)))
/* Unrolled channel-context area (C.2); HDMA compat has chN_pwr_en. */
#define EDMA_CH_BASE 0x200		/* WR channel n at 0x200 + n x 0x200 */
#define EDMA_CH_STRIDE 0x200
#define EDMA_CH_RD_OFF 0x100		/* RD channel n at 0x300 + n x 0x200 */
#define EDMA_WR_CH_PWR_EN(n) (0x128 + 4 * (n))
#define EDMA_RD_CH_PWR_EN(n) (0x168 + 4 * (n))
/* Per-channel registers (C.3), offsets inside one channel block. */
#define EDMA_CH_CONTROL1 0x00
#define EDMA_CH_CONTROL2 0x04
#define EDMA_CH_TRANSFER_SIZE 0x08
#define EDMA_CH_SAR_LO 0x0c
#define EDMA_CH_SAR_HI 0x10
#define EDMA_CH_DAR_LO 0x14
#define EDMA_CH_DAR_HI 0x18
#define EDMA_CH_LLP_LO 0x1c
#define EDMA_CH_LLP_HI 0x20
#define EDMA_CH_RESERVED 0x24		/* first offset past llp hi: no register */

/* HDMA native: per-channel blocks only (hardware reference D.1). */
#define HDMA_CH_STRIDE 0x200		/* WR channel n at n x 0x200 */
#define HDMA_CH_RD_OFF 0x100		/* RD channel n at n x 0x200 + 0x100 */
#define HDMA_CH_EN 0x00
#define HDMA_CH_DOORBELL 0x04
#define HDMA_CH_PREFETCH 0x08
#define HDMA_CH_HANDSHAKE 0x0c
#define HDMA_CH_LLP_LO 0x10
#define HDMA_CH_LLP_HI 0x14
#define HDMA_CH_CYCLE_SYNC 0x18
#define HDMA_CH_TRANSFER_SIZE 0x1c
#define HDMA_CH_SAR_LO 0x20
#define HDMA_CH_SAR_HI 0x24
#define HDMA_CH_DAR_LO 0x28
#define HDMA_CH_DAR_HI 0x2c
#define HDMA_CH_WATERMARK_EN 0x30
#define HDMA_CH_CONTROL1 0x34
#define HDMA_CH_FUNC_NUM 0x38
#define HDMA_CH_QOS 0x3c
#define HDMA_CH_RESERVED 0x40		/* between qos and ch_stat: no register */
#define HDMA_CH_STAT 0x80
#define HDMA_CH_INT_STAT 0x84
#define HDMA_CH_INT_SETUP 0x88
#define HDMA_CH_INT_CLEAR 0x8c
#define HDMA_CH_MSI_STOP_LO 0x90
#define HDMA_CH_MSI_STOP_HI 0x94
#define HDMA_CH_MSI_WATERMARK_LO 0x98
#define HDMA_CH_MSI_WATERMARK_HI 0x9c
#define HDMA_CH_MSI_ABORT_LO 0xa0
#define HDMA_CH_MSI_ABORT_HI 0xa4
#define HDMA_CH_MSI_MSGDATA 0xa8
#define HDMA_DOORBELL_START (1u << 0)
#define HDMA_DOORBELL_STOP (1u << 1)	/* [3P] */
#define HDMA_CYCLE_BIT (1u << 0)	/* cycle_sync CONSUMER_CYCLE_BIT */
#define HDMA_CYCLE_STAT (1u << 1)	/* cycle_sync CONSUMER_CYCLE_STAT */
#define HDMA_CONTROL1_LINKLIST_EN (1u << 0)
/* int_stat and int_clear bits */
#define HDMA_INT_STOP (1u << 0)
#define HDMA_INT_WATERMARK (1u << 1)
#define HDMA_INT_ABORT (1u << 2)
/* int_setup bits */
#define HDMA_INT_SETUP_STOP_MASK (1u << 0)
#define HDMA_INT_SETUP_WATERMARK_MASK (1u << 1)
#define HDMA_INT_SETUP_ABORT_MASK (1u << 2)
#define HDMA_INT_SETUP_RSIE (1u << 3)
#define HDMA_INT_SETUP_LSIE (1u << 4)
#define HDMA_INT_SETUP_RAIE (1u << 5)
#define HDMA_INT_SETUP_LAIE (1u << 6)
#define HDMA_INT_SETUP_MASKS (HDMA_INT_SETUP_STOP_MASK | HDMA_INT_SETUP_WATERMARK_MASK | \
	HDMA_INT_SETUP_ABORT_MASK)

/* EPDM v1 slice header (hardware reference F.2), offsets from the slice start. */
#define EPDM_MAGIC	0x4d445045u
#define EPDM_VER_WORD	(1u | (0xe0u << 16))	/* version 1, hdr_size 0xe0 */
#define EPDM_HDR_MAGIC 0x00
#define EPDM_HDR_VERSION 0x04		/* version (16 bits), hdr_size (16 bits) */
#define EPDM_HDR_TOTAL_SIZE 0x08
#define EPDM_HDR_CTRL_BAR 0x0c
#define EPDM_HDR_CTRL_OFFSET 0x10
#define EPDM_HDR_CTRL_SIZE 0x14
#define EPDM_HDR_IRQ_COUNT 0x18
#define EPDM_HDR_NUM_CHANS 0x1c
#define EPDM_HDR_CHANS 0x20		/* chans[i] at 0x20 + 24 x i */
#define EPDM_HDR_SIZE 0xe0
#define EPDM_CH_ENTRY_SIZE 24
#define EPDM_CH_DESC_BAR 0x00
#define EPDM_CH_DESC_OFFSET 0x04
#define EPDM_CH_DESC_SIZE 0x08
#define EPDM_CH_PADDING 0x0c
#define EPDM_CH_DESC_PHYS_ADDR_LO 0x10
#define EPDM_CH_DESC_PHYS_ADDR_HI 0x14
/* vNTB control region (F.3), 32-bit words from its start. */
#define NTB_CTRL_COMMAND 0x00
#define NTB_CTRL_LINK_STATUS 0x0a	/* 16-bit: upper half of the word at 0x08 */
#define NTB_CTRL_VERSION 0x0c
#define NTB_CTRL_DMA_ABI 0x154
#define NTB_CTRL_DMA_BAR 0x158
#define NTB_CTRL_DMA_OFFSET 0x15c
#define NTB_CTRL_DMA_SIZE 0x160
#define NTB_CTRL_DMA_NUM_CHANS 0x164

static const char *filter;
static unsigned int name_seq;

struct tdesc {
	uint8_t *host;
	uint64_t addr;
	uint32_t size;
};

struct t {
	struct ep_model *m;
	struct ep_model_info info;
	struct ep_model_bar bar[EP_MODEL_NUM_BARS];
	volatile uint32_t *meta;
	volatile uint8_t *regs;
	uint32_t reg_bar;
	uint64_t reg_off;
	uint32_t reg_size;
	uint32_t layout;
	unsigned int wr, rd;
	struct tdesc desc[2][8];
};

static uint32_t
le32(const volatile void *p)
{
	return __atomic_load_n((const volatile uint32_t *)p, __ATOMIC_ACQUIRE);
}

static void
st32(volatile void *p, uint32_t v)
{
	__atomic_store_n((volatile uint32_t *)p, v, __ATOMIC_RELEASE);
}

static uint32_t
r32(struct t *t, uint32_t off)
{
	return le32(t->regs + off);
}

static void
w32(struct t *t, uint32_t off, uint32_t v)
{
	st32(t->regs + off, v);
}

static bool
native(const struct t *t)
{
	return t->layout == 7;
}

static uint32_t
chb(const struct t *t, int dir, unsigned int ch)
{
	if (native(t))
		return ch * HDMA_CH_STRIDE + dir * HDMA_CH_RD_OFF;
	return EDMA_CH_BASE + ch * EDMA_CH_STRIDE + dir * EDMA_CH_RD_OFF;
}

static uint32_t
llp_lo(struct t *t, int dir, unsigned int ch)
{
	return r32(t, chb(t, dir, ch) + (native(t) ? HDMA_CH_LLP_LO : EDMA_CH_LLP_LO));
}

static uint32_t
cs(struct t *t, int dir, unsigned int ch)
{
	if (native(t))
		return r32(t, chb(t, dir, ch) + HDMA_CH_STAT) & 3;
	return (r32(t, chb(t, dir, ch) + EDMA_CH_CONTROL1) >> CTL1_CS_SHIFT) & 3;
}

static uint32_t
int_status(struct t *t, int dir, unsigned int ch)
{
	if (native(t))
		return r32(t, chb(t, dir, ch) + HDMA_CH_INT_STAT);
	return r32(t, dir == WR ? EDMA_WR_INT_STATUS : EDMA_RD_INT_STATUS);
}

static int
poll_n(struct t *t, unsigned int n)
{
	int total = 0;

	while (n-- > 0)
		total += ep_model_poll(t->m);
	return total;
}

/* Poll until the engine has nothing left to do (bounded). */
static int
run(struct t *t)
{
	int total = 0, k, i;

	for (i = 0; i < 100000; i++) {
		k = ep_model_poll(t->m);
		if (k <= 0)
			break;
		total += k;
	}
	return total;
}

/* Parse the metadata independently of the model (hardware reference A). */
static int
parse_meta(struct t *t)
{
	volatile uint8_t *b = (volatile uint8_t *)t->meta;
	uint32_t ctrl = le32(b + META_CTRL), es, i, dir, n;

	t->reg_bar = ctrl & 7;
	t->wr = (ctrl >> 3) & 0xff;
	t->rd = (ctrl >> 11) & 0xff;
	es = (ctrl >> 19) & 0xff;
	t->reg_off = le32(b + META_REG_OFF_LO) | ((uint64_t)le32(b + META_REG_OFF_HI) << 32);
	t->layout = (le32(b + META_LAYOUT) >> 8) & 0xff;
	t->reg_size = le32(b + META_REG_SIZE);
	if (t->bar[t->reg_bar].len < t->reg_off + t->reg_size)
		return -1;
	t->regs = (volatile uint8_t *)t->bar[t->reg_bar].addr + t->reg_off;
	for (i = 0; i < t->wr + t->rd; i++) {
		volatile uint8_t *e = b + META_HDR_LEN + i * es;
		uint32_t cc = le32(e + META_CH_CTRL), db = (cc >> 8) & 7;
		uint64_t off = le32(e + META_DESC_OFF_LO) |
			((uint64_t)le32(e + META_DESC_OFF_HI) << 32);
		struct tdesc *d;

		dir = i < t->wr ? WR : RD;
		n = i < t->wr ? i : i - t->wr;
		if ((cc & 0xff) != n || off + le32(e + META_DESC_SIZE) > t->bar[db].len)
			return -1;
		d = &t->desc[dir][n];
		d->host = (uint8_t *)t->bar[db].addr + off;
		d->size = le32(e + META_DESC_SIZE);
		d->addr = le32(e + META_DESC_ADDR_LO) |
			((uint64_t)le32(e + META_DESC_ADDR_HI) << 32);
	}
	return 0;
}

static void
set_host_req(struct t *t)
{
	st32(&t->meta[META_CTRL / 4], le32(&t->meta[META_CTRL / 4]) | H_BIT);
}

/* Create an instance, do the handshake, parse the metadata. */
/* Deferred teardown of a model a failed case left behind. */
static void
model_teardown(const char *name)
{
	ep_model_destroy(ep_model_find(name));
}

static int
setup(struct t *t, const char *args)
{
	char name[32];
	unsigned int b;
	int i;

	memset(t, 0, sizeof(*t));
	snprintf(name, sizeof(name), "epm%u", name_seq++);
	t->m = ep_model_create(name, args);
	if (t->m == NULL) {
		printf("  create '%s' failed: %s\n", args, rte_strerror(rte_errno));
		return -1;
	}
	ep_test_defer(model_teardown, name);
	ep_model_info_get(t->m, &t->info);
	for (b = 0; b < EP_MODEL_NUM_BARS; b++)
		ep_model_bar_get(t->m, b, &t->bar[b]);
	t->meta = t->bar[t->info.metadata_bar].addr;
	set_host_req(t);
	for (i = 0; i < 2000 && !(le32(&t->meta[META_CTRL / 4]) & R_BIT); i++) {
		if (t->info.threaded)
			usleep(1000);	/* waiting for the model's own poll period */
		else
			ep_model_advance_us(t->m, 1000);
	}
	if (!(le32(&t->meta[META_CTRL / 4]) & R_BIT)) {
		printf("  READY never came\n");
		return -1;
	}
	return parse_meta(t);
}

static void
teardown(struct t *t)
{
	struct ep_model_info mi;

	if (t->m != NULL && ep_model_info_get(t->m, &mi) == 0)
		ep_test_undefer(mi.name);
	ep_model_destroy(t->m);
	t->m = NULL;
}

static void
ll_data(struct t *t, int dir, unsigned int ch, unsigned int slot, uint32_t ctl,
		uint32_t size, uint64_t sar, uint64_t dar)
{
	volatile uint8_t *e = t->desc[dir][ch].host + slot * SLOT;

	st32(e + 4, size);
	st32(e + 8, (uint32_t)sar);
	st32(e + 12, (uint32_t)(sar >> 32));
	st32(e + 16, (uint32_t)dar);
	st32(e + 20, (uint32_t)(dar >> 32));
	st32(e, ctl);	/* control word last, with release */
}

static void
ll_link(struct t *t, int dir, unsigned int ch, unsigned int slot, uint32_t cb,
		uint64_t target)
{
	volatile uint8_t *e = t->desc[dir][ch].host + slot * SLOT;

	st32(e + 8, (uint32_t)target);
	st32(e + 12, (uint32_t)(target >> 32));
	st32(e, LLP | TCB | (cb & CB));
}

static uint64_t
slot_addr(struct t *t, int dir, unsigned int ch, unsigned int slot)
{
	return t->desc[dir][ch].addr + slot * SLOT;
}

static void
ring(struct t *t, int dir, unsigned int ch)
{
	if (native(t))
		w32(t, chb(t, dir, ch) + HDMA_CH_DOORBELL, HDMA_DOORBELL_START);
	else
		w32(t, dir == WR ? EDMA_WR_DOORBELL : EDMA_RD_DOORBELL, ch);
}

/* Program a channel as a Linux-like host does and ring it. */
static void
start_ch(struct t *t, int dir, unsigned int ch, bool ccs, uint64_t llp,
		unsigned int func)
{
	uint32_t b = chb(t, dir, ch);

	if (native(t)) {
		w32(t, b + HDMA_CH_EN, 1);
		w32(t, b + HDMA_CH_INT_SETUP, HDMA_INT_SETUP_MASKS | HDMA_INT_SETUP_LSIE |
			HDMA_INT_SETUP_LAIE);
		w32(t, b + HDMA_CH_CONTROL1, HDMA_CONTROL1_LINKLIST_EN);
		w32(t, b + HDMA_CH_FUNC_NUM, func);
		w32(t, b + HDMA_CH_LLP_LO, (uint32_t)llp);
		w32(t, b + HDMA_CH_LLP_HI, (uint32_t)(llp >> 32));
		w32(t, b + HDMA_CH_CYCLE_SYNC, HDMA_CYCLE_STAT | (ccs ? HDMA_CYCLE_BIT : 0));
	} else {
		uint32_t mask = dir == WR ? EDMA_WR_INT_MASK : EDMA_RD_INT_MASK;

		w32(t, dir == WR ? EDMA_WR_ENGINE_EN : EDMA_RD_ENGINE_EN, 1);
		if (t->layout == 5)
			w32(t, dir == WR ? EDMA_WR_CH_PWR_EN(ch) : EDMA_RD_CH_PWR_EN(ch), 1);
		w32(t, mask, r32(t, mask) | EDMA_INT_DONE(ch) | EDMA_INT_ABORT(ch));
		w32(t, b + EDMA_CH_CONTROL1, (ccs ? CTL1_CCS : 0) | CTL1_LLE | CTL1_FUNC(func));
		w32(t, b + EDMA_CH_LLP_LO, (uint32_t)llp);
		w32(t, b + EDMA_CH_LLP_HI, (uint32_t)(llp >> 32));
	}
	(void)le32(t->desc[dir][ch].host);	/* flush read, as hardware reference C.7 */
	ring(t, dir, ch);
}

static void
fill(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed * 13 + 1);
}

static uint64_t
violations(struct t *t)
{
	return ep_model_violations(t->m);
}

static bool
viol_has(struct t *t, const char *s)
{
	char buf[160];
	unsigned int i;

	for (i = 0; ep_model_violation_get(t->m, i, buf, sizeof(buf)) == 0; i++)
		if (strstr(buf, s) != NULL)
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */

static int
test_config_keys(void)
{
	static const char *const bad[] = {
		"nosuchkey=1", "wr=9", "layout=foo", "wr=1,hw_wr=2", "wr=0,rd=0",
		"desc_size=10", "desc_size=88", "desc_off=0x1004",
		"ready_poll_ms=abc", "element_ns=-1", "abort=xx0:1",
		"abort=wr5:1", "func=32", "reg_bar=6", "reg_off=0x", "wr=010x",
		"link_up_ms=5", "link_down_ms=10,link_up_ms=5", "metadata_file=/nonexistent",
		"meta_bar=2,reg_off=0", "desc_bar=2,desc_off=0x1000",
		"msix_off=0x1004", "msix=0,msix_off=0x1000", "msix_off=0x10",
	};
	struct ep_model *m, *m2;
	struct ep_model_info info;
	unsigned int i;
	bool has_layout = false;

	for (i = 0; i < RTE_DIM(bad); i++) {
		rte_errno = 0;
		m = ep_model_create("cfgbad", bad[i]);
		EP_TEST_ASSERT(m == NULL, "'%s' accepted", bad[i]);
		EP_TEST_ASSERT_EQ(rte_errno, EINVAL, "'%s'", bad[i]);
	}
	/* Timing and numeric keys parse, hex and decimal. */
	m = ep_model_create("cfgok", "thread=0,element_ns=100,bandwidth=0x40000000,"
		"ready_poll_ms=500,idle_sleep_us=0,missed_doorbell=0,ep_mem_size=0x200000,"
		"corrupt=rd0:3,abort=wr0:2,link_down_ms=1000,link_up_ms=2000,"
		"ready_drop_ms=3000,ready_restore_ms=4000,msix=0,func=3");
	EP_TEST_ASSERT(m != NULL, "valid keys rejected");
	EP_TEST_ASSERT_EQ(ep_model_info_get(m, &info), 0, "info");
	EP_TEST_ASSERT_EQ(info.func_num, 3, "func");
	EP_TEST_ASSERT_EQ(info.ep_mem_size, 0x200000, "ep_mem_size");
	EP_TEST_ASSERT(!info.threaded, "thread=0");
	EP_TEST_ASSERT(ep_model_find("cfgok") == m, "find");
	m2 = ep_model_create("cfgok", "thread=0");
	EP_TEST_ASSERT(m2 == NULL && rte_errno == EEXIST, "duplicate name");
	EP_TEST_ASSERT_EQ(ep_model_poll(m) >= 0, 1, "poll");
	ep_model_destroy(m);
	EP_TEST_ASSERT(ep_model_find("cfgok") == NULL, "destroyed but found");
	for (i = 0; ep_model_keys[i] != NULL; i++)
		if (strcmp(ep_model_keys[i], "layout") == 0)
			has_layout = true;
	EP_TEST_ASSERT(has_layout && i >= 30, "keys list");
	return 0;
}

/* Metadata per hardware reference A for one layout, parsed here independently. */
static int
check_meta(const char *args, uint32_t want_layout, unsigned int wr, unsigned int rd,
		unsigned int hw_wr, unsigned int hw_rd, uint32_t want_reg_size)
{
	struct t t;
	volatile uint8_t *b;
	uint32_t hdr, ctrl, len, i, tab;
	uint64_t stride;

	EP_TEST_ASSERT_EQ(setup(&t, args), 0, "setup %s", args);
	b = (volatile uint8_t *)t.meta;
	hdr = le32(b + META_HDR);
	ctrl = le32(b + META_CTRL);
	len = hdr >> 16;
	EP_TEST_ASSERT_EQ(le32(b + META_MAGIC), META_MAGIC_VALUE, "magic");
	EP_TEST_ASSERT_EQ(hdr & 0xff, 1, "revision");
	EP_TEST_ASSERT_EQ(len, META_HDR_LEN + (wr + rd) * META_CH_ENTRY_SIZE, "length");
	EP_TEST_ASSERT_EQ((ctrl >> 3) & 0xff, wr, "WR count");
	EP_TEST_ASSERT_EQ((ctrl >> 11) & 0xff, rd, "RD count");
	EP_TEST_ASSERT_EQ((ctrl >> 19) & 0xff, META_CH_ENTRY_SIZE, "entry size");
	EP_TEST_ASSERT_EQ(ctrl & (H_BIT | R_BIT), H_BIT | R_BIT, "H and R");
	EP_TEST_ASSERT_EQ(le32(b + META_LAYOUT) & 0xff, 1, "layout id");
	EP_TEST_ASSERT_EQ((le32(b + META_LAYOUT) >> 8) & 0xff, want_layout, "layout data");
	EP_TEST_ASSERT_EQ(t.reg_size, want_reg_size, "reg size");
	EP_TEST_ASSERT_EQ(t.info.wr_hw, hw_wr, "hw_wr");
	EP_TEST_ASSERT_EQ(t.info.rd_hw, hw_rd, "hw_rd");
	for (i = 0; i < EP_MODEL_NUM_BARS; i++)
		EP_TEST_ASSERT((t.bar[i].len & (t.bar[i].len - 1)) == 0 &&
			(t.bar[i].len == 0 || t.bar[i].len >= 4096), "BAR%u size", i);
	for (i = 0; i < wr + rd; i++) {
		volatile uint8_t *e = b + META_HDR_LEN + i * META_CH_ENTRY_SIZE;

		EP_TEST_ASSERT_EQ(le32(e + META_CH_CTRL) & 0xff, i < wr ? i : i - wr,
			"HW_CH of entry %u", i);
		EP_TEST_ASSERT_EQ((le32(e + META_CH_CTRL) >> 16) & 1, 0, "AUX_VALID");
		EP_TEST_ASSERT(le32(e + META_DESC_SIZE) == 4096, "desc size");
	}
	/* Windows are consecutive endpoint-local addresses, 4 KiB stride. */
	stride = 4096;
	if (wr > 1)
		EP_TEST_ASSERT_EQ(t.desc[WR][1].addr - t.desc[WR][0].addr, stride, "stride");
	if (wr > 0)
		EP_TEST_ASSERT_EQ(t.desc[WR][0].addr, 0x20000000, "desc_addr");
	/* MSI-X table right after the blob, vectors masked. */
	tab = (len + 7) & ~7u;
	EP_TEST_ASSERT_EQ(le32(b + tab + 12), 1, "MSI-X vector 0 masked");
	if (want_layout != 7 && want_layout != 0)
		EP_TEST_ASSERT_EQ(r32(&t, EDMA_CTRL), hw_wr | (hw_rd << EDMA_CTRL_RD_CH_SHIFT),
			"ctrl counts");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	return 0;
}

static int
test_meta_unroll(void)
{
	return check_meta("thread=0,wr=2,rd=2", 1, 2, 2, 2, 2, 0x2000);
}

static int
test_meta_compat(void)
{
	return check_meta("thread=0,layout=hdma-compat,wr=0,rd=4,hw_wr=2", 5, 0, 4,
		2, 4, 0x2000);
}

static int
test_meta_native(void)
{
	return check_meta("thread=0,layout=hdma-native,wr=3,rd=1", 7, 3, 1, 8, 8, 0x1000);
}

static int
test_meta_legacy(void)
{
	return check_meta("thread=0,layout=edma-legacy", 0, 1, 1, 1, 1, 0x1000);
}

static int
test_meta_placement(void)
{
	struct t t;
	volatile uint8_t *e;

	/* Register and descriptor windows share BAR 3; metadata in BAR 1. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,meta_bar=1,reg_bar=3,desc_bar=3,"
		"reg_off=0x2000,msix=0,desc_size=0x800,desc_addr=0x30000000"), 0, "setup");
	EP_TEST_ASSERT(t.info.metadata_bar == 1 && t.bar[0].len == 0, "meta BAR");
	EP_TEST_ASSERT_EQ(t.reg_bar, 3, "reg bar");
	EP_TEST_ASSERT_EQ(t.reg_off, 0x2000, "reg off");
	e = (volatile uint8_t *)t.meta + META_HDR_LEN;
	EP_TEST_ASSERT_EQ((le32(e + META_CH_CTRL) >> 8) & 7, 3, "desc bar");
	/* Windows follow the register window, 4 KiB aligned. */
	EP_TEST_ASSERT_EQ(le32(e + META_DESC_OFF_LO), 0x4000, "desc off wr0");
	EP_TEST_ASSERT_EQ(le32(e + META_CH_ENTRY_SIZE + META_DESC_OFF_LO), 0x5000, "desc off rd0");
	EP_TEST_ASSERT_EQ(le32(e + META_DESC_SIZE), 0x800, "desc size");
	EP_TEST_ASSERT_EQ(t.desc[RD][0].addr, 0x30001000, "desc addr rd0");
	EP_TEST_ASSERT_EQ(le32((volatile uint8_t *)t.meta + 0x78 + 12), 0, "no MSI-X");
	EP_TEST_ASSERT(ep_model_ep_ptr(t.m, t.desc[RD][0].addr, 8) ==
		t.desc[RD][0].host, "ep_ptr on a descriptor window");
	EP_TEST_ASSERT(ep_model_ep_ptr(t.m, 0x4000000, 16) == t.info.ep_mem,
		"ep_ptr on ep memory");
	EP_TEST_ASSERT(ep_model_ep_ptr(t.m, 0x4000000 + 0x1000000 - 8, 16) == NULL,
		"ep_ptr past the end");
	teardown(&t);

	/* The MSI-X table moved to the next page of the metadata BAR. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,msix_off=0x1000"), 0, "setup msix_off");
	EP_TEST_ASSERT(t.info.msix_vectors == 2 && t.info.msix_table_off == 0x1000 &&
		t.info.msix_pba_off == 0x1000 + 2 * 16, "MSI-X at msix_off");
	EP_TEST_ASSERT_EQ(t.bar[t.info.metadata_bar].len, 0x2000, "meta BAR covers the table");
	e = (volatile uint8_t *)t.meta;
	EP_TEST_ASSERT_EQ(le32(e + 0x1000 + 12), 1, "vector 0 masked at msix_off");
	EP_TEST_ASSERT_EQ(le32(e + RTE_ALIGN_CEIL(t.info.meta_len, 8) + 12), 0,
		"nothing after the blob");
	teardown(&t);
	return 0;
}

static int
test_handshake(void)
{
	struct ep_model *m;
	struct ep_model_bar bar;
	volatile uint32_t *meta;
	struct ep_model_stats st;

	m = ep_model_create("hs", "thread=0,ready_poll_ms=10");
	EP_TEST_ASSERT(m != NULL, "create");
	ep_model_bar_get(m, 0, &bar);
	meta = bar.addr;
	/* Using the register window before READY is a violation. */
	ep_model_bar_get(m, 2, &bar);
	st32((uint8_t *)bar.addr + 0x1000 + EDMA_WR_ENGINE_EN, 1);
	ep_model_poll(m);
	EP_TEST_ASSERT_EQ(ep_model_violations(m), 1, "write before READY");
	ep_model_violations_clear(m);
	/* No HOST_REQ: READY never comes. */
	ep_model_advance_us(m, 25000);
	ep_model_poll(m);
	EP_TEST_ASSERT_EQ(le32(&meta[META_CTRL / 4]) & (R_BIT | H_BIT), 0, "R before H");
	/* HOST_REQ at t=25 ms: the model looks again only at t=30 ms. */
	st32(&meta[META_CTRL / 4], le32(&meta[META_CTRL / 4]) | H_BIT);
	ep_model_poll(m);
	ep_model_advance_us(m, 4999);
	ep_model_poll(m);
	EP_TEST_ASSERT_EQ(le32(&meta[META_CTRL / 4]) & R_BIT, 0, "R before the poll period");
	ep_model_advance_us(m, 1);
	EP_TEST_ASSERT_EQ(le32(&meta[META_CTRL / 4]) & R_BIT, R_BIT, "R at the poll period");
	ep_model_stats_get(m, &st);
	EP_TEST_ASSERT_EQ(st.violations, 0, "violations");
	EP_TEST_ASSERT(st.host_writes >= 1, "HOST_REQ write seen");
	/* Host tries to set read-only CTRL fields: counted. */
	st32(&meta[META_CTRL / 4], le32(&meta[META_CTRL / 4]) ^ (1u << 3));
	ep_model_poll(m);
	EP_TEST_ASSERT_EQ(ep_model_violations(m), 1, "CTRL field write");
	/* Release clears H and R (checked via find: the instance is gone). */
	ep_model_destroy(m);
	EP_TEST_ASSERT(ep_model_find("hs") == NULL, "gone");
	return 0;
}

/* Data element helper for RD (host->EP) transfers of 'n' bytes per slot. */
static int
test_cycle_stop_resume(void)
{
	struct t t;
	uint8_t *src, *ep;
	uint64_t ep_addr = 0x4000000;
	unsigned int i;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	src = rte_malloc(NULL, 4096, 64);
	EP_TEST_ASSERT(src != NULL, "rte_malloc");
	fill(src, 4096, 1);
	ep = t.info.ep_mem;
	memset(ep, 0, 4096);
	for (i = 0; i < 2; i++)
		ll_data(&t, RD, 0, i, CB | LIE, 512, (uintptr_t)src + i * 512,
			ep_addr + i * 512);
	ll_data(&t, RD, 0, 2, 0, 512, (uintptr_t)src + 1024, ep_addr + 1024);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	EP_TEST_ASSERT(run(&t) > 0, "ran");
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 3, "stopped at CB mismatch");
	EP_TEST_ASSERT_EQ(llp_lo(&t, RD, 0), (uint32_t)slot_addr(&t, RD, 0, 2), "LLP");
	EP_TEST_ASSERT(memcmp(ep, src, 1024) == 0, "data of 2 elements");
	EP_TEST_ASSERT(ep[1024] == 0, "third element not run");
	/* Producer hands over slot 2 and rings: resume from LLP. */
	ll_data(&t, RD, 0, 2, CB | LIE, 512, (uintptr_t)src + 1024, ep_addr + 1024);
	ring(&t, RD, 0);
	run(&t);
	EP_TEST_ASSERT(memcmp(ep, src, 1536) == 0, "third element after resume");
	EP_TEST_ASSERT_EQ(llp_lo(&t, RD, 0), (uint32_t)slot_addr(&t, RD, 0, 3), "LLP");
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 3, "stopped");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	rte_free(src);
	teardown(&t);
	return 0;
}

static int
test_link_ccs_laps(void)
{
	struct t t;
	uint8_t *dst, *ep;
	uint64_t ep_addr = 0x4000000;
	unsigned int lap, i;
	struct ep_model_stats st;

	/* 5 slots: 4 data + link back to the base. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,desc_size=120"), 0, "setup");
	dst = rte_zmalloc(NULL, 8 * 256, 64);
	ep = t.info.ep_mem;
	fill(ep, 8 * 256, 2);
	for (lap = 0; lap < 2; lap++) {
		uint32_t cb = lap == 0 ? CB : 0;

		for (i = 0; i < 4; i++)
			ll_data(&t, WR, 0, i, cb | (i == 3 ? LIE : 0), 256,
				ep_addr + (lap * 4 + i) * 256,
				(uintptr_t)dst + (lap * 4 + i) * 256);
		ll_link(&t, WR, 0, 4, cb ^ CB, slot_addr(&t, WR, 0, 0));
		if (lap == 0)
			start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
		else
			ring(&t, WR, 0);
		run(&t);
		EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "lap %u stopped", lap);
		EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 0),
			"lap %u LLP back at the base", lap);
		/* CCS toggled by the link: visible in ch_control1. */
		EP_TEST_ASSERT_EQ((r32(&t, chb(&t, WR, 0)) & CTL1_CCS) != 0, lap == 1,
			"lap %u CCS", lap);
		EP_TEST_ASSERT(memcmp(dst, ep, (lap + 1) * 4 * 256) == 0, "lap %u data", lap);
	}
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 8, "elements");
	/* A link whose CB equals CCS is not followed (strict). */
	for (i = 0; i < 4; i++)
		ll_data(&t, WR, 0, i, CB, 256, ep_addr, (uintptr_t)dst);
	ll_link(&t, WR, 0, 4, CB, slot_addr(&t, WR, 0, 0));
	ring(&t, WR, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 4),
		"stopped on the link");
	EP_TEST_ASSERT_EQ((r32(&t, chb(&t, WR, 0)) & CTL1_CCS) != 0, 1, "CCS unchanged");
	/* A link without TCB is not followed either. */
	st32(t.desc[WR][0].host + 4 * SLOT, LLP);
	ring(&t, WR, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 4),
		"no TCB: stopped");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	rte_free(dst);
	teardown(&t);
	return 0;
}

static int
test_llp_irq_points(void)
{
	struct t t;
	uint8_t *dst;
	uint64_t base;
	unsigned int i;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	dst = rte_zmalloc(NULL, 4096, 64);
	base = slot_addr(&t, WR, 0, 0);
	for (i = 0; i < 4; i++)
		ll_data(&t, WR, 0, i, CB | ((i & 1) ? LIE : 0), 64, 0x4000000 + i * 64,
			(uintptr_t)dst + i * 64);
	start_ch(&t, WR, 0, true, base, 1);
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el0");
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 1, "running");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)base, "no progress at el0");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0) & 1, 0, "no DONE yet");
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el1");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)(base + 2 * SLOT), "LIE at el1");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0) & 1, 1, "DONE at el1");
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el2");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)(base + 2 * SLOT), "not at el2");
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el3");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)(base + 4 * SLOT), "LIE at el3");
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 1, "still running before the stop");
	poll_n(&t, 1);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "stopped");
	/* RIE alone also reports progress, but latches no DONE. */
	w32(&t, EDMA_WR_INT_CLEAR, EDMA_INT_DONE(0));
	ll_data(&t, WR, 0, 4, CB | RIE, 64, 0x4000000, (uintptr_t)dst);
	ll_data(&t, WR, 0, 5, CB, 64, 0x4000000, (uintptr_t)dst);
	ring(&t, WR, 0);
	poll_n(&t, 1);
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)(base + 5 * SLOT), "RIE progress");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0) & 1, 0, "RIE latches no DONE");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	rte_free(dst);
	teardown(&t);
	return 0;
}

static int
test_status_latch_w1c(void)
{
	struct t t;
	uint8_t *dst;
	unsigned int k;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	dst = rte_zmalloc(NULL, 4096, 64);
	for (k = 0; k < 2; k++) {
		/* start_ch masks DONE/ABORT: status latches anyway. */
		ll_data(&t, WR, 0, k, CB | LIE, 64, 0x4000000, (uintptr_t)dst);
		if (k == 0)
			start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
		else
			ring(&t, WR, 0);
		run(&t);
		EP_TEST_ASSERT_EQ(r32(&t, EDMA_WR_INT_MASK) & EDMA_INT_DONE(0), EDMA_INT_DONE(0),
			"masked");
		EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 1, "DONE latched while masked");
		/* The same write-1-to-clear value twice is seen twice. */
		w32(&t, EDMA_WR_INT_CLEAR, EDMA_INT_DONE(0));
		ep_model_poll(t.m);
		EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 0, "DONE cleared (%u)", k);
	}
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	rte_free(dst);
	teardown(&t);

	/* HDMA native: STOP and WATERMARK latch with all masks set. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,layout=hdma-native"), 0, "setup native");
	dst = rte_zmalloc(NULL, 4096, 64);
	ll_data(&t, WR, 0, 0, CB | LIE, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el0");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 2, "WATERMARK only");
	run(&t);
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 3, "STOP and WATERMARK");
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "ch_stat stopped");
	w32(&t, chb(&t, WR, 0) + HDMA_CH_INT_CLEAR, HDMA_INT_STOP);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 2, "STOP cleared");
	w32(&t, chb(&t, WR, 0) + HDMA_CH_INT_CLEAR, HDMA_INT_WATERMARK);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 0, "WATERMARK cleared");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	rte_free(dst);
	teardown(&t);
	return 0;
}

/* One element that faults; checks the abort state and error registers. */
static int
abort_case(const char *args, int dir, uint64_t sar, uint64_t dar, unsigned int func,
		uint32_t off, uint32_t want_bits)
{
	struct t t;
	uint32_t b;

	EP_TEST_ASSERT_EQ(setup(&t, args), 0, "setup");
	ll_data(&t, dir, 0, 0, CB | LIE, 64, sar, dar);
	start_ch(&t, dir, 0, true, slot_addr(&t, dir, 0, 0), func);
	run(&t);
	b = chb(&t, dir, 0);
	EP_TEST_ASSERT_EQ(cs(&t, dir, 0), 2, "halted");
	EP_TEST_ASSERT_EQ(llp_lo(&t, dir, 0), (uint32_t)slot_addr(&t, dir, 0, 0),
		"LLP at the faulting element");
	EP_TEST_ASSERT_EQ(int_status(&t, dir, 0), 1u << 16, "ABORT only");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_WR_ERR_STATUS), dir == WR ? want_bits : 0,
		"wr_err_status");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_RD_ERR_STATUS_LO),
		dir == RD && off == EDMA_RD_ERR_STATUS_LO ? want_bits : 0,
		"rd_err_status lo");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_RD_ERR_STATUS_HI),
		dir == RD && off == EDMA_RD_ERR_STATUS_HI ? want_bits : 0,
		"rd_err_status hi");
	/* Halted until the host restarts it; clearing ABORT clears the cause. */
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(cs(&t, dir, 0), 2, "still halted");
	w32(&t, dir == WR ? EDMA_WR_INT_CLEAR : EDMA_RD_INT_CLEAR, EDMA_INT_ABORT(0));
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(int_status(&t, dir, 0), 0, "ABORT cleared");
	EP_TEST_ASSERT_EQ(r32(&t, off), 0, "cause cleared");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	(void)b;
	teardown(&t);
	return 0;
}

static int
test_iommu_fault(void)
{
	uint8_t *heap = malloc(4096), *good = rte_malloc(NULL, 4096, 64);
	int rc;

	/* RD: the host read gets UR: rd_err_status hi [7:0]. */
	rc = abort_case("thread=0", RD, (uintptr_t)heap, 0x4000000, 1, EDMA_RD_ERR_STATUS_HI, 1);
	/* WR: a posted write has no completion: ABORT, no cause bits. */
	if (rc == 0)
		rc = abort_case("thread=0", WR, 0x4000000, (uintptr_t)heap,
			1, EDMA_WR_ERR_STATUS, 0);
	/* A range that starts in DPDK memory but runs out of it. */
	if (rc == 0)
		rc = abort_case("thread=0", RD, 0x1000, 0x4000000, 1, EDMA_RD_ERR_STATUS_HI, 1);
	free(heap);
	rte_free(good);
	return rc;
}

/* Memory registered with rte_extmem_register() is DPDK memory too. */
static int
test_iommu_extmem(void)
{
	const size_t len = 2 * 4096;
	uint8_t *ext = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct t t;
	uint8_t *ep;

	EP_TEST_ASSERT(ext != MAP_FAILED, "mmap");
	fill(ext, len, 11);
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	ep = t.info.ep_mem;
	memset(ep, 0, len);
	/* Not registered yet: an IOMMU fault. */
	ll_data(&t, RD, 0, 0, CB, len, (uintptr_t)ext, 0x4000000);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "unregistered memory faults");
	EP_TEST_ASSERT_EQ(rte_extmem_register(ext, len, NULL, 0, 4096), 0, "extmem");
	w32(&t, EDMA_RD_INT_CLEAR, EDMA_INT_ABORT(0));
	run(&t);	/* the clear is seen before the doorbell is rung */
	ring(&t, RD, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 3, "registered memory works");
	EP_TEST_ASSERT(memcmp(ep, ext, len) == 0, "data");
	/* A range running one byte past the registered memory faults. */
	ll_data(&t, RD, 0, 1, CB, 64, (uintptr_t)ext + len - 63, 0x4000000);
	ring(&t, RD, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "partly outside faults");
	teardown(&t);
	rte_extmem_unregister(ext, len);
	munmap(ext, len);
	return 0;
}

static int
test_func_mismatch(void)
{
	uint8_t *good = rte_malloc(NULL, 4096, 64);
	int rc;

	EP_TEST_ASSERT(good != NULL, "rte_malloc");
	rc = abort_case("thread=0", RD, (uintptr_t)good, 0x4000000, 2, EDMA_RD_ERR_STATUS_HI, 1);
	if (rc == 0)
		rc = abort_case("thread=0,layout=hdma-compat", WR, 0x4000000,
			(uintptr_t)good, 0, EDMA_WR_ERR_STATUS, 0);
	rte_free(good);
	return rc;
}

static int
test_ep_decode(void)
{
	uint8_t *good = rte_malloc(NULL, 4096, 64);
	int rc;

	/* WR reads endpoint memory: app-read error [7:0]. */
	rc = abort_case("thread=0", WR, 0x1000, (uintptr_t)good, 1, EDMA_WR_ERR_STATUS, 1);
	/* RD writes endpoint memory past its end: app-write error lo [7:0]. */
	if (rc == 0)
		rc = abort_case("thread=0", RD, (uintptr_t)good, 0x4000000 + 0x1000000 - 32,
			1, EDMA_RD_ERR_STATUS_LO, 1);
	rte_free(good);
	return rc;
}

static int
test_ll_fetch_error(void)
{
	struct t t;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	start_ch(&t, WR, 0, true, 0x4000000, 1);	/* LLP in data memory */
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 2, "halted");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_WR_ERR_STATUS), EDMA_ERR_LL_FETCH(0), "LL fetch error bit");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 1u << 16, "ABORT");
	/* A link element pointing outside the windows. */
	ll_link(&t, RD, 0, 0, 0, 0x10);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "halted");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_RD_ERR_STATUS_LO), EDMA_ERR_LL_FETCH(0),
		"LL fetch error bit rd");
	EP_TEST_ASSERT_EQ(llp_lo(&t, RD, 0), 0x10, "LLP at the bad element");
	teardown(&t);
	return 0;
}

static int
test_outbound_m2m(void)
{
	struct t t;
	uint8_t *src = rte_malloc(NULL, 8192, 64), *dst = rte_zmalloc(NULL, 8192, 64);
	uint64_t ob = 0x1000000000000ULL;

	EP_TEST_ASSERT(src != NULL && dst != NULL, "rte_malloc");
	fill(src, 8192, 3);
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,outbound=0x1000000000000"), 0, "setup");
	EP_TEST_ASSERT_EQ(t.info.outbound_base, ob, "info outbound");
	/* RD: host SAR, endpoint DAR in the outbound window = host memory. */
	ll_data(&t, RD, 0, 0, CB, 4096, (uintptr_t)src, ob + (uintptr_t)dst);
	/* WR: endpoint SAR in the window, host DAR. */
	ll_data(&t, WR, 0, 0, CB, 4096, ob + (uintptr_t)src + 4096,
		(uintptr_t)dst + 4096);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT(memcmp(src, dst, 8192) == 0, "host to host through outbound");
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 3, "rd stopped");
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "wr stopped");
	/* Outbound to non-DPDK memory faults like a decode error. */
	ll_data(&t, RD, 0, 1, CB, 64, (uintptr_t)src, ob + 0x1000);
	ring(&t, RD, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "halted");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_RD_ERR_STATUS_LO), 1, "app-write error");
	teardown(&t);
	/* Without an outbound window the same address is a decode error. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	ll_data(&t, RD, 0, 0, CB, 4096, (uintptr_t)src, ob + (uintptr_t)dst);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "no window: halted");
	teardown(&t);
	rte_free(src);
	rte_free(dst);
	return 0;
}

static int
test_violations(void)
{
	struct t t;
	uint64_t n;
	char buf[160];

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,wr=2,rd=0"), 0, "setup");
	w32(&t, EDMA_CTRL_DATA_ARB_PRIOR, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 1, "controller-wide");
	EP_TEST_ASSERT(viol_has(&t, "ctrl_data_arb_prior: controller-wide"), "text");
	w32(&t, EDMA_WR_INT_STATUS, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 2, "int_status");
	EP_TEST_ASSERT(viol_has(&t, "wr_int_status: read-only"), "text");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_WR_INT_STATUS), 0, "int_status restored");
	w32(&t, EDMA_RD_ENGINE_EN, 1);	/* RD not delegated */
	ep_model_poll(t.m);
	EP_TEST_ASSERT(viol_has(&t, "rd_engine_en: direction RD not delegated"), "text");
	w32(&t, chb(&t, RD, 0) + EDMA_CH_LLP_LO, 0x1234);	/* RD channel block */
	ep_model_poll(t.m);
	EP_TEST_ASSERT(viol_has(&t, "rd_ch0 llp_lo: channel rd0"), "text");
	w32(&t, EDMA_WR_INT_CLEAR, EDMA_INT_DONE(5));	/* a channel not owned */
	ep_model_poll(t.m);
	EP_TEST_ASSERT(viol_has(&t, "wr_int_clear: bit for channel wr5"), "text");
	w32(&t, EDMA_CTRL, 0);		/* read-only, controller-wide */
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_CTRL), 2 | (2 << EDMA_CTRL_RD_CH_SHIFT), "ctrl restored");
	st32(&t.meta[META_LAYOUT / 4], 0x12345678);	/* metadata word */
	ep_model_poll(t.m);
	EP_TEST_ASSERT(viol_has(&t, "metadata offset 0x014: read-only"), "text");
	n = violations(&t);
	EP_TEST_ASSERT_EQ(n, 7, "count");
	EP_TEST_ASSERT_EQ(ep_model_violation_get(t.m, 7, buf, sizeof(buf)), -ENOENT,
		"past the end");
	/* Owned registers are not violations. */
	w32(&t, EDMA_WR_ENGINE_EN, 1);
	w32(&t, chb(&t, WR, 1) + EDMA_CH_CONTROL2, 5);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), n, "owned writes");
	ep_model_violations_clear(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 0, "cleared");
	teardown(&t);

	/* HDMA native: only the delegated channels' blocks are the host's. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,layout=hdma-native,wr=2,rd=1"), 0, "native");
	w32(&t, chb(&t, WR, 1) + HDMA_CH_EN, 1);	/* owned */
	w32(&t, chb(&t, WR, 2) + HDMA_CH_EN, 1);	/* endpoint's channel */
	w32(&t, chb(&t, RD, 1) + HDMA_CH_DOORBELL, HDMA_DOORBELL_START); /* endpoint's */
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 2, "native count");
	EP_TEST_ASSERT(viol_has(&t, "wr_ch2 ch_en: channel wr2 belongs to the endpoint"),
		"text");
	teardown(&t);
	return 0;
}

/* The quirk: a doorbell arriving while the engine finishes is lost. */
static int
missed_doorbell_case(bool quirk)
{
	struct t t;
	uint8_t *dst;
	struct ep_model_stats st;

	EP_TEST_ASSERT_EQ(setup(&t, quirk ? "thread=0" : "thread=0,missed_doorbell=0"),
		0, "setup");
	dst = rte_zmalloc(NULL, 4096, 64);
	fill(t.info.ep_mem, 256, 4);
	ll_data(&t, WR, 0, 0, CB, 128, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el0 done, slot 1 fetched ahead");
	/* The host appends slot 1 and rings while the engine is finishing. */
	ll_data(&t, WR, 0, 1, CB | LIE, 128, 0x4000000 + 128, (uintptr_t)dst + 128);
	ring(&t, WR, 0);
	run(&t);
	ep_model_stats_get(t.m, &st);
	if (quirk) {
		EP_TEST_ASSERT_EQ(st.doorbells_lost, 1, "doorbell lost");
		EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "stopped with work pending");
		EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 1),
			"LLP at the pending element");
		EP_TEST_ASSERT_EQ(st.elements, 1, "one element");
		/* Recovery as hardware reference C.8: stopped with work pending -> ring again. */
		ring(&t, WR, 0);
		run(&t);
		ep_model_stats_get(t.m, &st);
	} else {
		EP_TEST_ASSERT_EQ(st.doorbells_lost, 0, "doorbell kept");
	}
	EP_TEST_ASSERT_EQ(st.elements, 2, "both elements");
	EP_TEST_ASSERT(memcmp(dst, t.info.ep_mem, 256) == 0, "data");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	rte_free(dst);
	teardown(&t);
	return 0;
}

static int
test_missed_doorbell_on(void)
{
	return missed_doorbell_case(true);
}

static int
test_missed_doorbell_off(void)
{
	return missed_doorbell_case(false);
}

/* Move data both ways through a layout, byte for byte. */
static int
formats_case(const char *args)
{
	struct t t;
	uint8_t *src = rte_malloc(NULL, 65536, 64), *dst = rte_zmalloc(NULL, 65536, 64);
	uint8_t *ep;
	unsigned int ch, i, nch;
	struct ep_model_stats st;

	EP_TEST_ASSERT(src != NULL && dst != NULL, "rte_malloc");
	fill(src, 65536, 5);
	EP_TEST_ASSERT_EQ(setup(&t, args), 0, "setup %s", args);
	ep = t.info.ep_mem;
	nch = RTE_MIN(t.wr, t.rd);
	for (ch = 0; ch < nch; ch++) {
		for (i = 0; i < 8; i++) {
			uint64_t off = ch * 8192 + i * 1024;

			/* RD: host src -> endpoint; WR: endpoint -> host dst. */
			ll_data(&t, RD, ch, i, CB | (i == 7 ? LIE : 0), 1024 - i,
				(uintptr_t)src + off, 0x4000000 + off);
			ll_data(&t, WR, ch, i, CB | (i == 7 ? LIE : 0), 1024 - i,
				0x4000000 + 0x100000 + off, (uintptr_t)dst + off);
			fill(ep + 0x100000 + off, 1024, 6 + i);
		}
		/* eDMA doorbells are shared per direction: let each be seen. */
		start_ch(&t, RD, ch, true, slot_addr(&t, RD, ch, 0), 1);
		ep_model_poll(t.m);
		start_ch(&t, WR, ch, true, slot_addr(&t, WR, ch, 0), 1);
		ep_model_poll(t.m);
	}
	run(&t);
	for (ch = 0; ch < nch; ch++) {
		for (i = 0; i < 8; i++) {
			uint64_t off = ch * 8192 + i * 1024;

			EP_TEST_ASSERT(memcmp(ep + off, src + off, 1024 - i) == 0,
				"rd%u element %u", ch, i);
			EP_TEST_ASSERT(ep[off + 1024 - i] == 0 || i == 0, "rd%u %u overrun",
				ch, i);
			EP_TEST_ASSERT(memcmp(dst + off, ep + 0x100000 + off, 1024 - i) == 0,
				"wr%u element %u", ch, i);
		}
		EP_TEST_ASSERT_EQ(cs(&t, RD, ch), 3, "rd%u stopped", ch);
		EP_TEST_ASSERT_EQ(cs(&t, WR, ch), 3, "wr%u stopped", ch);
		EP_TEST_ASSERT_EQ(llp_lo(&t, WR, ch), (uint32_t)slot_addr(&t, WR, ch, 8),
			"wr%u LLP", ch);
	}
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, nch * 16, "elements");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(src);
	rte_free(dst);
	return 0;
}

static int
test_format_unroll(void)
{
	return formats_case("thread=0,wr=2,rd=2");
}

static int
test_format_compat(void)
{
	struct t t;
	struct ep_model_stats st;
	int rc = formats_case("thread=0,layout=hdma-compat,wr=2,rd=2");
	uint8_t *t_host;

	if (rc != 0)
		return rc;
	t_host = rte_zmalloc(NULL, 4096, 64);
	EP_TEST_ASSERT(t_host != NULL, "rte_zmalloc");
	/* Compat has no engine_en: without chN_pwr_en the doorbell is ignored. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,layout=hdma-compat"), 0, "setup");
	ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)t_host);
	w32(&t, EDMA_WR_ENGINE_EN, 1);
	w32(&t, chb(&t, WR, 0) + EDMA_CH_CONTROL1, CTL1_CCS | CTL1_LLE | CTL1_FUNC(1));
	w32(&t, chb(&t, WR, 0) + EDMA_CH_LLP_LO, (uint32_t)slot_addr(&t, WR, 0, 0));
	ring(&t, WR, 0);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.doorbells_ignored, 1, "ignored");
	EP_TEST_ASSERT_EQ(st.elements, 0, "nothing ran");
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 0, "never started");
	teardown(&t);
	rte_free(t_host);
	return 0;
}

static int
test_format_native(void)
{
	return formats_case("thread=0,layout=hdma-native,wr=3,rd=3");
}

static int
test_link_down(void)
{
	struct t t;
	unsigned int i, b;
	uint8_t *dst;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,ready_poll_ms=5"), 0, "setup");
	dst = rte_zmalloc(NULL, 4096, 64);
	ll_data(&t, WR, 0, 0, CB | LIE, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT(llp_lo(&t, WR, 0) != 0, "LLP set");
	EP_TEST_ASSERT_EQ(ep_model_link_set(t.m, false), 0, "link down");
	for (b = 0; b < EP_MODEL_NUM_BARS; b++)
		for (i = 0; i < t.bar[b].len / 4; i += 61)
			EP_TEST_ASSERT_EQ(le32((uint32_t *)t.bar[b].addr + i), 0xffffffff,
				"BAR%u word %u", b, i);
	ep_model_advance_us(t.m, 20000);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]), 0xffffffff, "still all-ones");
	EP_TEST_ASSERT_EQ(ep_model_link_set(t.m, true), 0, "link up");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_MAGIC / 4]), META_MAGIC_VALUE, "metadata back");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), H_BIT, "H kept, R clear");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), 0, "register block reset");
	EP_TEST_ASSERT_EQ(r32(&t, chb(&t, WR, 0)), 0, "ch_control1 reset");
	EP_TEST_ASSERT_EQ(le32(t.desc[WR][0].host), CB | LIE, "descriptors kept");
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, 0, "R only at the next poll");
	ep_model_advance_us(t.m, 5000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "R back");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);

	/* Scheduled by configuration keys, on the model clock. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,link_down_ms=10,link_up_ms=20"), 0, "setup");
	ep_model_advance_us(t.m, 10000 - 1000);	/* setup took 1 ms */
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_MAGIC / 4]), 0xffffffff, "down at 10 ms");
	ep_model_advance_us(t.m, 9999);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_MAGIC / 4]), 0xffffffff, "still down");
	ep_model_advance_us(t.m, 1);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_MAGIC / 4]), META_MAGIC_VALUE, "up at 20 ms");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, 0, "R not yet");
	ep_model_advance_us(t.m, 1000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "R one poll period later");
	teardown(&t);
	rte_free(dst);
	return 0;
}

/* Endpoint re-init (hardware reference B.4 epc_deinit + epc_init), on the model clock. */
static int
test_reinit(void)
{
	struct ep_model_stats s0, s1;
	uint32_t hdr[7], ctrl0;
	uint8_t *dst;
	struct t t;
	unsigned int i;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,ready_poll_ms=5"), 0, "setup");
	dst = rte_zmalloc(NULL, 4096, 64);
	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	for (i = 0; i < RTE_DIM(hdr); i++)
		hdr[i] = le32(&t.meta[i]);
	ctrl0 = hdr[2] & ~(H_BIT | R_BIT);
	/* A running channel: its element takes one second of model time. */
	ep_model_timing_set(t.m, 1000 * 1000 * 1000, 0);
	ll_data(&t, RD, 0, 0, CB, 64, (uintptr_t)dst, 0x4000000);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 1, "running");
	ep_model_stats_get(t.m, &s0);
	EP_TEST_ASSERT_EQ(ep_model_reinit(t.m), 0, "reinit");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), 0, "H and R clear");
	for (i = 0; i < RTE_DIM(hdr); i++)
		EP_TEST_ASSERT_EQ(le32(&t.meta[i]), i == 2 ? ctrl0 : hdr[i],
			"header word %u as at creation", i);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 0, "channel stopped, registers reset");
	EP_TEST_ASSERT_EQ(llp_lo(&t, RD, 0), 0, "LLP reset");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_RD_ENGINE_EN), 0, "rd_engine_en reset");
	/* READY does not come back by itself; the element never completes. */
	for (i = 0; i < 20; i++) {
		ep_model_advance_us(t.m, 100000);
		run(&t);
	}
	ep_model_stats_get(t.m, &s1);
	EP_TEST_ASSERT_EQ(s1.elements, s0.elements, "no element after the re-init");
	ep_model_timing_set(t.m, 0, 0);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), 0, "still clear");
	/* It comes back one poll period after the host asks again. */
	set_host_req(&t);
	ep_model_advance_us(t.m, 1);
	run(&t);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, 0, "R not before the poll");
	ep_model_advance_us(t.m, 5000 - 2);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, 0, "R not before the period");
	ep_model_advance_us(t.m, 1);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]), ctrl0 | H_BIT | R_BIT,
		"R one period later");
	/* The function works again from a fresh programming. */
	memset(dst, 0, 64);
	fill(t.info.ep_mem, 64, 3);
	ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "completed");
	EP_TEST_ASSERT(memcmp(dst, t.info.ep_mem, 64) == 0, "data after the re-init");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);

	/* Host writes while READY is 0 after a re-init stay violations. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	EP_TEST_ASSERT_EQ(ep_model_reinit(t.m), 0, "reinit");
	w32(&t, EDMA_RD_ENGINE_EN, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 1, "write while READY is 0");
	EP_TEST_ASSERT(viol_has(&t, "while READY is 0"), "named");
	teardown(&t);

	/* Re-init while the link is down takes effect at link up. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	EP_TEST_ASSERT_EQ(ep_model_link_set(t.m, false), 0, "down");
	EP_TEST_ASSERT_EQ(ep_model_reinit(t.m), 0, "reinit");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]), 0xffffffff, "link still down");
	EP_TEST_ASSERT_EQ(ep_model_link_set(t.m, true), 0, "up");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), 0,
		"H and R clear at link up");
	ep_model_advance_us(t.m, 10000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, 0, "no READY without HOST_REQ");
	teardown(&t);

	/* The reinit_ms key: once, on the model clock. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,reinit_ms=10"), 0, "setup");
	ep_model_advance_us(t.m, 10000 - 1000 - 1);	/* setup took 1 ms */
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), H_BIT | R_BIT, "before");
	ep_model_advance_us(t.m, 1);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), 0, "re-init at 10 ms");
	set_host_req(&t);
	ep_model_advance_us(t.m, 1000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT,
		"R one period after HOST_REQ");
	ep_model_advance_us(t.m, 100000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), H_BIT | R_BIT,
		"only once");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	EP_TEST_ASSERT(ep_model_create("bad_reinit", "reinit_ms=x") == NULL,
		"bad reinit_ms refused");
	EP_TEST_ASSERT_EQ(ep_model_reinit(NULL), -EINVAL, "NULL");
	rte_free(dst);
	return 0;
}

static int
test_ready_drop(void)
{
	struct t t;
	uint8_t *dst;
	struct ep_model_stats st;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	dst = rte_zmalloc(NULL, 4096, 64);
	EP_TEST_ASSERT_EQ(ep_model_ready_set(t.m, false), 0, "drop");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (H_BIT | R_BIT), H_BIT,
		"R dropped, H kept");
	ep_model_advance_us(t.m, 10000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, 0, "stays dropped");
	/* The engine keeps running. */
	ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 1, "engine ran with READY=0");
	EP_TEST_ASSERT_EQ(ep_model_ready_set(t.m, true), 0, "restore");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "restored");
	teardown(&t);

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,ready_drop_ms=5,ready_restore_ms=8"), 0,
		"setup");
	ep_model_advance_us(t.m, 4000 - 1);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "before the drop");
	ep_model_advance_us(t.m, 1);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, 0, "dropped at 5 ms");
	ep_model_advance_us(t.m, 3000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "restored at 8 ms");
	teardown(&t);
	rte_free(dst);
	return 0;
}

static int
test_metadata_file(void)
{
	char path[] = "/tmp/ep_model_meta_XXXXXX";
	uint32_t img[16];
	struct ep_model *m;
	struct ep_model_bar bar;
	volatile uint32_t *meta;
	char args[128];
	int fd, i;

	memset(img, 0, sizeof(img));
	img[META_MAGIC / 4] = META_MAGIC_VALUE;
	img[META_HDR / 4] = 1 | (0x40u << 16);
	img[META_CTRL / 4] = 7 | (9u << 3) | R_BIT;	/* hostile: REG_BAR 7, 9 WR, R preset */
	img[META_LAYOUT / 4] = 0x0001;	/* LAYOUT_DATA 0 */
	fd = mkstemp(path);
	EP_TEST_ASSERT(fd >= 0, "mkstemp");
	EP_TEST_ASSERT(write(fd, img, sizeof(img)) == (ssize_t)sizeof(img), "write");
	close(fd);
	snprintf(args, sizeof(args), "thread=0,metadata_file=%s", path);
	m = ep_model_create("metafile", args);
	unlink(path);
	EP_TEST_ASSERT(m != NULL, "create");
	ep_model_bar_get(m, 0, &bar);
	meta = bar.addr;
	for (i = 0; i < 16; i++)
		if (i != META_CTRL / 4)
			EP_TEST_ASSERT_EQ(le32(&meta[i]), img[i], "word %d", i);
	EP_TEST_ASSERT_EQ(le32(&meta[META_CTRL / 4]), img[META_CTRL / 4] & ~R_BIT,
		"handshake bits start clear");
	st32(&meta[META_CTRL / 4], le32(&meta[META_CTRL / 4]) | H_BIT);
	ep_model_advance_us(m, 1000);
	EP_TEST_ASSERT_EQ(le32(&meta[META_CTRL / 4]), img[META_CTRL / 4] | H_BIT,
		"READY after HOST_REQ");
	/* A re-init restores the loaded image, handshake bits clear. */
	EP_TEST_ASSERT_EQ(ep_model_reinit(m), 0, "reinit");
	for (i = 0; i < 16; i++)
		EP_TEST_ASSERT_EQ(le32(&meta[i]), i == META_CTRL / 4 ? img[i] & ~R_BIT : img[i],
			"word %d after re-init", i);
	ep_model_destroy(m);
	return 0;
}

static int
corruption_case(bool by_key)
{
	struct t t;
	uint8_t *src = rte_malloc(NULL, 4096, 64), *ep;
	unsigned int i, diff = 0;

	EP_TEST_ASSERT(src != NULL, "rte_malloc");
	fill(src, 4096, 7);
	EP_TEST_ASSERT_EQ(setup(&t, by_key ? "thread=0,corrupt=rd0:1" : "thread=0"), 0,
		"setup");
	if (!by_key)
		EP_TEST_ASSERT_EQ(ep_model_inject_corruption(t.m, EP_MODEL_DIR_RD,
			0, 1), 0, "inject");
	ep = t.info.ep_mem;
	for (i = 0; i < 3; i++)
		ll_data(&t, RD, 0, i, CB, 1024, (uintptr_t)src + i * 1024,
			0x4000000 + i * 1024);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 3, "completed normally");
	EP_TEST_ASSERT(memcmp(ep, src, 1024) == 0, "element 0 intact");
	EP_TEST_ASSERT(memcmp(ep + 2048, src + 2048, 1024) == 0, "element 2 intact");
	for (i = 1024; i < 2048; i++)
		diff += ep[i] != src[i];
	EP_TEST_ASSERT_EQ(diff, 1, "one byte of element 1 flipped");
	teardown(&t);
	rte_free(src);
	return 0;
}

static int
test_corruption(void)
{
	int rc = corruption_case(false);

	return rc != 0 ? rc : corruption_case(true);
}

static int
test_inject_abort(void)
{
	struct t t;
	uint8_t *src = rte_malloc(NULL, 4096, 64), *ep;
	unsigned int i;
	struct ep_model_stats st;

	EP_TEST_ASSERT(src != NULL, "rte_malloc");
	fill(src, 4096, 8);
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,abort=rd0:1"), 0, "setup");
	ep = t.info.ep_mem;
	memset(ep, 0, 4096);
	for (i = 0; i < 3; i++)
		ll_data(&t, RD, 0, i, CB | LIE, 1024, (uintptr_t)src + i * 1024,
			0x4000000 + i * 1024);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "halted");
	EP_TEST_ASSERT_EQ(llp_lo(&t, RD, 0), (uint32_t)slot_addr(&t, RD, 0, 1),
		"at element 1");
	EP_TEST_ASSERT_EQ(int_status(&t, RD, 0), 1 | (1u << 16), "DONE(el0) + ABORT");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_RD_ERR_STATUS_HI), EDMA_ERR_HI_CPL_ABORT(0),
		"completer abort cause");
	EP_TEST_ASSERT(memcmp(ep, src, 1024) == 0 && ep[1024] == 0, "el0 only");
	/* Ringing a halted channel with ABORT still set does nothing. */
	ring(&t, RD, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "still halted: ABORT not cleared");
	EP_TEST_ASSERT(ep[1024] == 0, "nothing ran");
	/* Clear, then restart: ringing a halted channel resumes from LLP. */
	w32(&t, EDMA_RD_INT_CLEAR, EDMA_INT_DONE(0) | EDMA_INT_ABORT(0));
	run(&t);
	ring(&t, RD, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 3, "stopped");
	EP_TEST_ASSERT(memcmp(ep, src, 3072) == 0, "rest done after restart");
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.aborts, 1, "aborts");
	/* API injection on WR: ABORT, no cause bits; and a STOP doorbell. */
	EP_TEST_ASSERT_EQ(ep_model_inject_abort(t.m, EP_MODEL_DIR_WR, 0, 0), 0,
		"inject");
	EP_TEST_ASSERT(ep_model_inject_abort(t.m, EP_MODEL_DIR_WR, 1, 0) != 0,
		"not delegated");
	ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)src);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 2, "wr halted");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_WR_ERR_STATUS), 0, "no wr cause");
	teardown(&t);
	rte_free(src);
	return 0;
}

static int
test_stop_doorbell(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);
	unsigned int i;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	for (i = 0; i < 4; i++)
		ll_data(&t, WR, 0, i, CB, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	poll_n(&t, 1);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 1, "running");
	w32(&t, EDMA_WR_DOORBELL, EDMA_DOORBELL_STOP | 0);
	poll_n(&t, 1);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 2, "halted by STOP");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 1), "LLP");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 1u << 16, "ABORT");
	teardown(&t);

	/* HDMA native: doorbell bit 1 is STOP. */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,layout=hdma-native"), 0, "setup native");
	for (i = 0; i < 4; i++)
		ll_data(&t, RD, 0, i, CB, 64, (uintptr_t)dst, 0x4000000);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	poll_n(&t, 1);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 1, "running");
	w32(&t, chb(&t, RD, 0) + HDMA_CH_DOORBELL, HDMA_DOORBELL_STOP);
	poll_n(&t, 1);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "halted by STOP");
	EP_TEST_ASSERT_EQ(int_status(&t, RD, 0), 4, "int_stat ABORT");
	EP_TEST_ASSERT_EQ(llp_lo(&t, RD, 0), (uint32_t)slot_addr(&t, RD, 0, 1), "LLP");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(dst);
	return 0;
}

static int
test_timing(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 8192, 64);
	struct ep_model_stats st;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,element_ns=3000"), 0, "setup");
	ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)dst);
	ll_data(&t, WR, 0, 1, CB, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	EP_TEST_ASSERT_EQ(poll_n(&t, 5), 0, "nothing at t0");
	ep_model_advance_us(t.m, 2);
	EP_TEST_ASSERT_EQ(poll_n(&t, 5), 0, "nothing at t0+2us");
	ep_model_advance_us(t.m, 1);
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "element 0 at t0+3us");
	EP_TEST_ASSERT_EQ(poll_n(&t, 5), 0, "element 1 not yet");
	ep_model_advance_us(t.m, 3);
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "element 1 at t0+6us");
	/* Bandwidth: 4096 bytes at 1e9 B/s take 4.096 us. */
	ep_model_timing_set(t.m, 0, 1000000000);
	ll_data(&t, WR, 0, 2, CB, 4096, 0x4000000, (uintptr_t)dst);
	run(&t);
	ep_model_advance_us(t.m, 4);
	EP_TEST_ASSERT_EQ(poll_n(&t, 3), 0, "before 4.096 us");
	ep_model_advance_us(t.m, 1);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 2, "stopped at element 2 (not rung yet)");
	ring(&t, WR, 0);
	EP_TEST_ASSERT_EQ(poll_n(&t, 3), 0, "element 2 in flight");
	ep_model_advance_us(t.m, 5);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 3, "element 2 after 4.096 us");
	teardown(&t);
	rte_free(dst);
	return 0;
}

/*
 * ep_model_pause(): while paused nothing moves and a doorbell is not even
 * noticed (several merge); when the pause ends the engine acts on it.
 */
static int
test_pause(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);
	struct ep_model_stats st;

	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	ll_data(&t, WR, 0, 0, CB | LIE, 64, 0x4000000, (uintptr_t)dst);
	EP_TEST_ASSERT_EQ(ep_model_pause(t.m, 500), 0, "pause");
	EP_TEST_ASSERT_EQ(ep_model_pause(NULL, 1), -EINVAL, "NULL model");
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	ring(&t, WR, 0);
	EP_TEST_ASSERT_EQ(poll_n(&t, 5), 0, "paused: nothing moves");
	EP_TEST_ASSERT(cs(&t, WR, 0) != 1, "paused: the doorbell is not seen (CS %u)",
		cs(&t, WR, 0));
	ep_model_advance_us(t.m, 499);
	EP_TEST_ASSERT_EQ(poll_n(&t, 5), 0, "still paused at 499 us");
	ep_model_advance_us(t.m, 1);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 1, "the doorbell is acted on after the pause");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 1), "LLP");
	/* a pause can be ended early */
	ll_data(&t, WR, 0, 1, CB | LIE, 64, 0x4000000, (uintptr_t)dst);
	ep_model_pause(t.m, 1000000);
	ring(&t, WR, 0);
	EP_TEST_ASSERT_EQ(poll_n(&t, 3), 0, "paused again");
	ep_model_pause(t.m, 0);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 2, "pause 0 ends it");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(dst);
	return 0;
}

/* Host side of one circular ring (hardware reference C.6), as a polling driver keeps it. */
struct tring {
	int dir;
	unsigned int ch;
	unsigned int head, done, posted;
	bool cb;
	uint8_t *host;		/* host buffer of the channel's jobs */
	uint64_t ep;		/* endpoint buffer of the channel's jobs */
};

#define TR_SLOTS 8
#define TR_DATA (TR_SLOTS - 1)
#define TR_SIZE 256

static void
tring_post(struct t *t, struct tring *r, unsigned int total)
{
	unsigned int n = 0;

	while (r->posted < total && r->posted - r->done < TR_DATA - 1) {
		uint64_t h = (uintptr_t)r->host + r->posted * TR_SIZE;
		uint64_t e = r->ep + r->posted * TR_SIZE;

		if (r->head == TR_DATA - 1)
			ll_link(t, r->dir, r->ch, TR_DATA, r->cb ? 0 : CB,
				slot_addr(t, r->dir, r->ch, 0));
		ll_data(t, r->dir, r->ch, r->head, (r->cb ? CB : 0) | LIE, TR_SIZE,
			r->dir == WR ? e : h, r->dir == WR ? h : e);
		r->posted++;
		n++;
		if (++r->head == TR_DATA) {
			r->head = 0;
			r->cb = !r->cb;
		}
	}
	/*
	 * Ring after posting, and again whenever the channel is not running
	 * with work pending (C.8): a lost or merged doorbell leaves it stopped,
	 * or never started (CS 0).
	 */
	if (n > 0 || (cs(t, r->dir, r->ch) != 1 && r->posted > r->done)) {
		(void)le32(t->desc[r->dir][r->ch].host);
		ring(t, r->dir, r->ch);
	}
}

static void
tring_reap(struct t *t, struct tring *r)
{
	unsigned int idx = (llp_lo(t, r->dir, r->ch) -
		(uint32_t)t->desc[r->dir][r->ch].addr) / SLOT;

	if (idx >= TR_DATA)
		idx = 0;
	r->done += (idx + TR_DATA - r->done % TR_DATA) % TR_DATA;
}

/*
 * The engine in its own thread: every delegated channel of both directions
 * runs a ring with many laps at once; the host learns progress from LLP only
 * and recovers lost doorbells, including merged eDMA doorbells.
 */
static int
threaded_case(const char *args, unsigned int total)
{
	struct t t;
	struct tring r[16];
	unsigned int nr = 0, i, k, all_done;
	uint8_t *host, *ep;
	uint64_t deadline;
	struct ep_model_stats st;
	size_t per = (size_t)total * TR_SIZE;

	EP_TEST_ASSERT_EQ(setup(&t, args), 0, "setup %s", args);
	EP_TEST_ASSERT_EQ(ep_model_poll(t.m), -EBUSY, "poll refused");
	EP_TEST_ASSERT_EQ(ep_model_advance_us(t.m, 1), -EBUSY, "advance refused");
	host = rte_zmalloc(NULL, (t.wr + t.rd) * per, 64);
	EP_TEST_ASSERT(host != NULL, "rte_zmalloc");
	ep = t.info.ep_mem;
	EP_TEST_ASSERT((t.wr + t.rd) * per <= t.info.ep_mem_size, "ep memory size");
	memset(ep, 0, (t.wr + t.rd) * per);
	for (k = 0; k < 2; k++)
		for (i = 0; i < (k == WR ? t.wr : t.rd); i++) {
			struct tring *q = &r[nr];

			memset(q, 0, sizeof(*q));
			q->dir = k;
			q->ch = i;
			q->cb = true;
			q->host = host + nr * per;
			q->ep = 0x4000000 + nr * per;
			fill(q->dir == WR ? ep + nr * per : q->host, per, 20 + nr);
			for (unsigned int s = 0; s < TR_DATA; s++)
				st32(t.desc[k][i].host + s * SLOT, 0);
			ll_link(&t, k, i, TR_DATA, 0, slot_addr(&t, k, i, 0));
			start_ch(&t, k, i, true, slot_addr(&t, k, i, 0), 1);
			nr++;
		}
	deadline = rte_get_timer_cycles() + 20 * rte_get_timer_hz();
	do {
		all_done = 0;
		for (i = 0; i < nr; i++) {
			tring_post(&t, &r[i], total);
			tring_reap(&t, &r[i]);
			all_done += r[i].done == total;
		}
	} while (all_done < nr && rte_get_timer_cycles() < deadline);
	for (i = 0; i < nr; i++) {
		EP_TEST_ASSERT_EQ(r[i].done, total, "%s%u completed in time (posted %u, "
			"CS %u, LLP 0x%x)", r[i].dir == WR ? "wr" : "rd", r[i].ch, r[i].posted,
			cs(&t, r[i].dir, r[i].ch), llp_lo(&t, r[i].dir, r[i].ch));
		EP_TEST_ASSERT(memcmp(r[i].host, ep + i * per, per) == 0, "%s%u data",
			r[i].dir == WR ? "wr" : "rd", r[i].ch);
	}
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, (uint64_t)total * nr, "elements");
	EP_TEST_ASSERT_EQ(st.aborts, 0, "aborts");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	/* READY drop and restore act at once from another thread. */
	ep_model_ready_set(t.m, false);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & (R_BIT | H_BIT), H_BIT, "dropped");
	ep_model_ready_set(t.m, true);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "restored");
	teardown(&t);
	rte_free(host);
	return 0;
}

static int
test_threaded(void)
{
	int rc = threaded_case("desc_size=192,idle_sleep_us=5", 400);

	/* Two channels per direction share the eDMA doorbell registers. */
	if (rc == 0)
		rc = threaded_case("wr=2,rd=2,desc_size=192", 400);
	if (rc == 0)
		rc = threaded_case("layout=hdma-native,wr=2,rd=2,desc_size=192", 400);
	if (rc == 0)
		rc = threaded_case("layout=hdma-compat,wr=2,rd=2,desc_size=192,"
			"missed_doorbell=0", 400);
	return rc;
}

/* ---- Strictness fixes (review findings) -------------------------------- */

/* Create without the handshake; the caller drives it. */
static int
setup_raw(struct t *t, const char *args)
{
	char name[32];
	unsigned int b;

	memset(t, 0, sizeof(*t));
	snprintf(name, sizeof(name), "epm%u", name_seq++);
	t->m = ep_model_create(name, args);
	if (t->m == NULL)
		return -1;
	ep_test_defer(model_teardown, name);
	ep_model_info_get(t->m, &t->info);
	for (b = 0; b < EP_MODEL_NUM_BARS; b++)
		ep_model_bar_get(t->m, b, &t->bar[b]);
	t->meta = t->bar[t->info.metadata_bar].addr;
	return parse_meta(t);
}

static int
test_ready_window(void)
{
	struct t t;

	/* A write made before READY, seen in the pass that sets READY. */
	EP_TEST_ASSERT_EQ(setup_raw(&t, "thread=0,ready_poll_ms=10"), 0, "setup");
	set_host_req(&t);
	w32(&t, EDMA_WR_ENGINE_EN, 1);
	ep_model_advance_us(t.m, 10000);	/* the poll sets READY */
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "READY");
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 1, "write before READY, same pass");
	EP_TEST_ASSERT(viol_has(&t, "wr_engine_en: before READY was ever set"), "text");
	ep_model_violations_clear(t.m);

	/* Writes made while READY=1, noticed only at the drop: allowed. */
	w32(&t, EDMA_WR_INT_MASK, 3);
	ep_model_ready_set(t.m, false);
	EP_TEST_ASSERT_EQ(violations(&t), 0, "write before the drop");
	/* Writes during a READY drop are violations (hardware reference E.6). */
	w32(&t, EDMA_WR_INT_MASK, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 1, "write while dropped");
	EP_TEST_ASSERT(viol_has(&t, "wr_int_mask: while READY is 0"), "text");
	/* A write during the hold, seen only by the restore, still counts. */
	w32(&t, EDMA_WR_INT_MASK, 2);
	ep_model_ready_set(t.m, true);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "restored");
	EP_TEST_ASSERT_EQ(violations(&t), 2, "write seen at the restore");
	w32(&t, EDMA_WR_INT_MASK, 3);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 2, "after the restore");
	ep_model_violations_clear(t.m);

	/* After link down and up, until READY comes back. */
	ep_model_link_set(t.m, false);
	ep_model_link_set(t.m, true);
	w32(&t, EDMA_WR_ENGINE_EN, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 1, "write after link up, READY=0");
	w32(&t, EDMA_WR_ENGINE_EN, 0);
	ep_model_advance_us(t.m, 10000);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "READY back");
	EP_TEST_ASSERT_EQ(violations(&t), 2, "write seen in the READY pass");
	w32(&t, EDMA_WR_ENGINE_EN, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 2, "allowed once READY is back");
	/* HOST_REQ writes are the host's at any time. */
	ep_model_ready_set(t.m, false);
	st32(&t.meta[META_CTRL / 4], le32(&t.meta[META_CTRL / 4]) & ~H_BIT);
	ep_model_poll(t.m);
	st32(&t.meta[META_CTRL / 4], le32(&t.meta[META_CTRL / 4]) | H_BIT);
	ep_model_ready_set(t.m, true);
	EP_TEST_ASSERT_EQ(violations(&t), 2, "HOST_REQ writes");
	teardown(&t);
	return 0;
}

/* Clearing an enable stops a running channel where it is (C.8, D.3). */
static int
disable_case(const char *args, const char *how)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);
	struct ep_model_stats st;
	uint32_t b;
	unsigned int i;

	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	EP_TEST_ASSERT_EQ(setup(&t, args), 0, "setup %s", args);
	fill(t.info.ep_mem, 1024, 9);
	for (i = 0; i < 4; i++)
		ll_data(&t, WR, 0, i, CB, 256, 0x4000000 + i * 256,
			(uintptr_t)dst + i * 256);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "%s: el0", how);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 1, "%s: running", how);
	b = chb(&t, WR, 0);
	if (strcmp(how, "engine_en") == 0)
		w32(&t, EDMA_WR_ENGINE_EN, 0);
	else if (strcmp(how, "pwr_en") == 0)
		w32(&t, EDMA_WR_CH_PWR_EN(0), 0);
	else if (strcmp(how, "lle") == 0)
		w32(&t, b + EDMA_CH_CONTROL1, CTL1_CCS | CTL1_FUNC(1));
	else if (strcmp(how, "ch_en") == 0)
		w32(&t, b + HDMA_CH_EN, 0);
	else
		w32(&t, b + HDMA_CH_CONTROL1, 0);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 1, "%s: no element after the disable", how);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "%s: stopped", how);
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 1),
		"%s: LLP published", how);
	EP_TEST_ASSERT(memcmp(dst, t.info.ep_mem, 256) == 0, "%s: el0 data", how);
	for (i = 256; i < 1024; i++)
		EP_TEST_ASSERT_EQ(dst[i], 0, "%s: byte %u moved after the disable", how, i);
	EP_TEST_ASSERT_EQ(violations(&t), 0, "%s: violations", how);
	teardown(&t);
	rte_free(dst);
	return 0;
}

static int
test_disable_stops(void)
{
	int rc = disable_case("thread=0", "engine_en");

	if (rc == 0)
		rc = disable_case("thread=0", "lle");
	if (rc == 0)
		rc = disable_case("thread=0,layout=hdma-compat", "pwr_en");
	if (rc == 0)
		rc = disable_case("thread=0,layout=hdma-native", "ch_en");
	if (rc == 0)
		rc = disable_case("thread=0,layout=hdma-native", "control1");
	return rc;
}

/* A link element without TCB is followed when its CB equals CCS. */
static int
test_link_no_tcb(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);
	volatile uint8_t *e;
	struct ep_model_stats st;

	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	fill(t.info.ep_mem, 512, 2);
	ll_data(&t, WR, 0, 0, CB, 128, 0x4000000, (uintptr_t)dst);
	e = t.desc[WR][0].host + 1 * SLOT;	/* link, no TCB, CB = CCS */
	st32(e + 8, (uint32_t)slot_addr(&t, WR, 0, 3));
	st32(e + 12, (uint32_t)(slot_addr(&t, WR, 0, 3) >> 32));
	st32(e, LLP | CB);
	ll_data(&t, WR, 0, 3, CB, 128, 0x4000000 + 128, (uintptr_t)dst + 128);
	/* slot 4: link without TCB whose CB is not CCS: the channel stops. */
	e = t.desc[WR][0].host + 4 * SLOT;
	st32(e + 8, (uint32_t)slot_addr(&t, WR, 0, 0));
	st32(e + 12, (uint32_t)(slot_addr(&t, WR, 0, 0) >> 32));
	st32(e, LLP);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 2, "both data elements");
	EP_TEST_ASSERT(memcmp(dst, t.info.ep_mem, 256) == 0, "data");
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 3, "stopped");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 4),
		"stopped on the CB-mismatched link");
	EP_TEST_ASSERT_EQ((r32(&t, chb(&t, WR, 0)) & CTL1_CCS) != 0, 1,
		"CCS not toggled");
	/* A TCB link with CB equal to CCS still stops (strict rule). */
	ll_link(&t, WR, 0, 4, CB, slot_addr(&t, WR, 0, 0));
	ring(&t, WR, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 4),
		"TCB link with CB = CCS not followed");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(dst);
	return 0;
}

/* LL pointers not 4-byte aligned halt with an LL fetch error. */
static int
test_ll_misaligned(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);

	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0) + 2, 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 2, "LLP+2: halted");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_WR_ERR_STATUS), EDMA_ERR_LL_FETCH(0), "LL fetch error bit");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), 1u << 16, "ABORT");
	EP_TEST_ASSERT_EQ(llp_lo(&t, WR, 0), (uint32_t)slot_addr(&t, WR, 0, 0) + 2,
		"LLP at the bad pointer");
	/* A link element whose target is misaligned. */
	ll_link(&t, RD, 0, 0, 0, slot_addr(&t, RD, 0, 2) + 1);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "link target +1: halted");
	EP_TEST_ASSERT_EQ(r32(&t, EDMA_RD_ERR_STATUS_LO), EDMA_ERR_LL_FETCH(0),
		"LL fetch error bit rd");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(dst);
	return 0;
}

/* Elements are fetched whole: fields written after the control word lose. */
static int
test_fetch_snapshot(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);
	struct ep_model_stats st;
	volatile uint8_t *e;
	unsigned int i;

	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	fill(t.info.ep_mem, 512, 3);
	ll_data(&t, WR, 0, 0, CB, 256, 0x4000000, (uintptr_t)dst);
	/* Wrong order: slot 1's control word first, its fields still zero. */
	e = t.desc[WR][0].host + SLOT;
	st32(e, CB);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
	EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el0 done, el1 fetched");
	ll_data(&t, WR, 0, 1, CB, 256, 0x4000000 + 256, (uintptr_t)dst + 256);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 2, "two elements");
	EP_TEST_ASSERT_EQ(st.bytes, 256, "el1 ran as fetched (size 0)");
	for (i = 256; i < 512; i++)
		EP_TEST_ASSERT_EQ(dst[i], 0, "byte %u moved from late fields", i);
	teardown(&t);
	rte_free(dst);
	return 0;
}

/* An int_clear written before an event must not erase that event. */
static int
test_int_clear_order(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);
	unsigned int k;

	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	for (k = 0; k < 2; k++) {
		EP_TEST_ASSERT_EQ(setup(&t, k == 0 ? "thread=0" :
			"thread=0,layout=hdma-native"), 0, "setup");
		ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)dst);
		ll_data(&t, WR, 0, 1, CB, 64, 0x4000000, (uintptr_t)dst);
		start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1);
		EP_TEST_ASSERT_EQ(poll_n(&t, 1), 1, "el0");
		/* Clear ABORT first, then stop: the stop's ABORT must stay. */
		if (k == 0) {
			w32(&t, EDMA_WR_INT_CLEAR, EDMA_INT_ABORT(0));
			w32(&t, EDMA_WR_DOORBELL, EDMA_DOORBELL_STOP | 0);
		} else {
			w32(&t, chb(&t, WR, 0) + HDMA_CH_INT_CLEAR, HDMA_INT_ABORT);
			w32(&t, chb(&t, WR, 0) + HDMA_CH_DOORBELL, HDMA_DOORBELL_STOP);
		}
		ep_model_poll(t.m);
		EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 2, "halted by STOP (%u)", k);
		EP_TEST_ASSERT_EQ(int_status(&t, WR, 0), k == 0 ? 1u << 16 : 4u,
			"ABORT latched after the earlier clear (%u)", k);
		EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
		teardown(&t);
	}
	rte_free(dst);
	return 0;
}

/* HDMA: func_num with the VF-enable bit faults; cycle_sync needs bit 1. */
static int
test_hdma_func_cycle(void)
{
	struct t t;
	uint8_t *dst = rte_zmalloc(NULL, 4096, 64);
	struct ep_model_stats st;
	uint32_t b;

	EP_TEST_ASSERT(dst != NULL, "rte_zmalloc");
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,layout=hdma-native"), 0, "setup");
	ll_data(&t, WR, 0, 0, CB, 64, 0x4000000, (uintptr_t)dst);
	start_ch(&t, WR, 0, true, slot_addr(&t, WR, 0, 0), 1 | (1u << 16));
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, WR, 0), 2, "VF-enable: halted");
	EP_TEST_ASSERT_EQ(int_status(&t, WR, 0) & 4, 4, "ABORT");
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 0, "nothing moved");

	/* cycle_sync = CONSUMER_CYCLE_BIT without STAT: CCS is not loaded. */
	b = chb(&t, RD, 0);
	ll_data(&t, RD, 0, 0, CB, 64, (uintptr_t)dst, 0x4000000);
	w32(&t, b + HDMA_CH_EN, 1);
	w32(&t, b + HDMA_CH_INT_SETUP, HDMA_INT_SETUP_MASKS | HDMA_INT_SETUP_LSIE |
		HDMA_INT_SETUP_LAIE);
	w32(&t, b + HDMA_CH_CONTROL1, HDMA_CONTROL1_LINKLIST_EN);
	w32(&t, b + HDMA_CH_FUNC_NUM, 1);
	w32(&t, b + HDMA_CH_LLP_LO, (uint32_t)slot_addr(&t, RD, 0, 0));
	w32(&t, b + HDMA_CH_LLP_HI, (uint32_t)(slot_addr(&t, RD, 0, 0) >> 32));
	w32(&t, b + HDMA_CH_CYCLE_SYNC, HDMA_CYCLE_BIT);
	ring(&t, RD, 0);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 0, "CCS stayed 0: element not ours");
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 3, "stopped");
	w32(&t, b + HDMA_CH_CYCLE_SYNC, HDMA_CYCLE_STAT | HDMA_CYCLE_BIT);
	ring(&t, RD, 0);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 1, "with STAT: CCS loaded, element ran");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(dst);
	return 0;
}

/* Hostile configuration: huge clock steps saturate, huge offsets refused. */
static int
test_hostile_config(void)
{
	static const char *const bad[] = {
		"thread=0,reg_off=0x40001000",
		"thread=0,desc_bar=3,desc_off=0x40001000",
	};
	struct ep_model *m;
	struct t t;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		m = ep_model_create("hostile", bad[i]);
		EP_TEST_ASSERT(m == NULL, "'%s' accepted", bad[i]);
		EP_TEST_ASSERT_EQ(rte_errno, EINVAL, "'%s'", bad[i]);
	}
	EP_TEST_ASSERT_EQ(setup_raw(&t, "thread=0,ready_poll_ms=10"), 0, "setup");
	set_host_req(&t);
	/* us * 1000 does not fit 64 bits: the clock saturates, it does not wrap. */
	EP_TEST_ASSERT_EQ(ep_model_advance_us(t.m, UINT64_MAX / 1000 + 1), 0, "advance");
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "READY after a huge step");
	EP_TEST_ASSERT_EQ(ep_model_advance_us(t.m, UINT64_MAX), 0, "advance max");
	ep_model_ready_set(t.m, false);
	ep_model_ready_set(t.m, true);
	EP_TEST_ASSERT_EQ(le32(&t.meta[META_CTRL / 4]) & R_BIT, R_BIT, "still working");
	teardown(&t);
	return 0;
}

/* Reserved doorbell bits and unnamed offsets of owned blocks are flagged. */
static int
test_reserved_writes(void)
{
	struct t t;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	w32(&t, chb(&t, WR, 0) + EDMA_CH_RESERVED, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 1, "reserved offset");
	EP_TEST_ASSERT(viol_has(&t, "wr_ch0 reserved+0x24: no register at this offset"),
		"text");
	w32(&t, EDMA_WR_DOORBELL, 0x100);	/* bit 8: reserved */
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 2, "reserved doorbell bits");
	EP_TEST_ASSERT(viol_has(&t, "wr_doorbell: reserved doorbell bits 0x00000100"),
		"text");
	teardown(&t);
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,layout=hdma-native"), 0, "setup native");
	w32(&t, chb(&t, RD, 0) + HDMA_CH_RESERVED, 1);
	w32(&t, chb(&t, RD, 0) + HDMA_CH_DOORBELL, 0x10);	/* bit 4: reserved */
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 2, "native count");
	EP_TEST_ASSERT(viol_has(&t, "rd_ch0 reserved+0x40: no register"), "text");
	EP_TEST_ASSERT(viol_has(&t, "rd_ch0 doorbell: reserved doorbell bits"), "text");
	teardown(&t);
	return 0;
}


/* Host memory of the environment test: a private buffer at a bus address. */
#define ENV_BUS 0x10000000ULL
static uint8_t env_host[8192];
static unsigned int env_allocs, env_frees;

static void *
env_resolve(void *ctx, uint64_t addr, uint64_t len)
{
	RTE_SET_USED(ctx);
	if (addr < ENV_BUS || len > sizeof(env_host) || addr - ENV_BUS > sizeof(env_host) - len)
		return NULL;
	return env_host + (addr - ENV_BUS);
}

static void *
env_bar_alloc(void *ctx, unsigned int bar, uint64_t len)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(bar);
	env_allocs++;
	return calloc(1, len);
}

static void
env_bar_free(void *ctx, unsigned int bar, void *addr, uint64_t len)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(bar);
	RTE_SET_USED(len);
	env_frees++;
	free(addr);
}

static uint64_t
bar_rd(struct t *t, unsigned int bar, uint64_t off, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	if (ep_model_bar_read(t->m, bar, off, size, &v) != 0)
		return 0xbad0bad0bad0bad0ULL;
	return v;
}

/*
 * Explicit BAR accesses (the path of a PCI function served to a VM): every
 * write is acted on before the call returns, so a status read right after
 * a doorbell is coherent without any engine pass; an identical rewrite of
 * a register is still checked for ownership; host addresses resolve
 * through the environment; the link gone reads all-ones and drops writes.
 */
static int
test_bar_access_sync(void)
{
	const struct ep_model_env env = {
		.host_resolve = env_resolve,
		.bar_alloc = env_bar_alloc, .bar_free = env_bar_free,
	};
	uint32_t rb, b, ctrl, mb;
	struct t t;
	uint8_t *ep;
	uint64_t v;
	unsigned int i;

	memset(&t, 0, sizeof(t));
	env_allocs = env_frees = 0;
	t.m = ep_model_create_ext("epm_env", "thread=0,ready_poll_ms=0", &env);
	EP_TEST_ASSERT(t.m != NULL, "create_ext");
	ep_model_info_get(t.m, &t.info);
	for (b = 0; b < EP_MODEL_NUM_BARS; b++)
		ep_model_bar_get(t.m, b, &t.bar[b]);
	EP_TEST_ASSERT_EQ(env_allocs, 3, "BARs from the environment's allocator");
	EP_TEST_ASSERT(t.info.msix_vectors == 2 && t.info.msix_table_off ==
		RTE_ALIGN_CEIL(t.info.meta_len, 8) && t.info.msix_pba_off ==
		t.info.msix_table_off + 2 * 16, "MSI-X placement after the blob");
	mb = t.info.metadata_bar;
	/* handshake through explicit accesses */
	ctrl = (uint32_t)bar_rd(&t, mb, 8, 4);
	EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, mb, 8, 4, ctrl | H_BIT), 0, "HOST_REQ");
	ep_model_poll(t.m);
	EP_TEST_ASSERT(bar_rd(&t, mb, 8, 4) & R_BIT, "READY");
	t.meta = t.bar[mb].addr;
	EP_TEST_ASSERT_EQ(parse_meta(&t), 0, "metadata");
	/* a read channel element from host bus memory into endpoint memory */
	for (i = 0; i < 256; i++)
		env_host[i] = (uint8_t)(i * 3 + 1);
	ep = t.info.ep_mem;
	{
		uint64_t e = (uint8_t *)t.desc[RD][0].host - (uint8_t *)t.bar[4].addr;
		uint32_t cb0 = chb(&t, RD, 0);
		uint64_t regs = t.reg_off;

		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e + 4, 4, 256), 0, "size");
		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e + 8, 8, ENV_BUS), 0, "sar");
		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e + 16, 8,
			t.info.ep_mem_addr), 0, "dar");
		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e, 4, CB | LIE), 0, "ctrl");
		/* element 1 reads outside what the host IOMMU maps: abort */
		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e + SLOT + 4, 4, 64), 0, "size");
		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e + SLOT + 8, 8,
			ENV_BUS + sizeof(env_host)), 0, "sar");
		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e + SLOT + 16, 8,
			t.info.ep_mem_addr + 4096), 0, "dar");
		EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, e + SLOT, 4, CB | LIE), 0, "ctrl");
		ep_model_bar_write(t.m, t.reg_bar, regs + EDMA_RD_ENGINE_EN, 4, 1);
		ep_model_bar_write(t.m, t.reg_bar, regs + cb0 + EDMA_CH_CONTROL1, 4,
			CTL1_CCS | CTL1_LLE | CTL1_FUNC(t.info.func_num));
		ep_model_bar_write(t.m, t.reg_bar, regs + cb0 + EDMA_CH_LLP_LO, 4,
			(uint32_t)t.desc[RD][0].addr);
		ep_model_bar_write(t.m, t.reg_bar, regs + cb0 + EDMA_CH_LLP_HI, 4,
			(uint32_t)(t.desc[RD][0].addr >> 32));
		(void)bar_rd(&t, 4, e, 4);
		ep_model_bar_write(t.m, t.reg_bar, regs + EDMA_RD_DOORBELL, 4, 0);
		/* acted on already: running, with no engine pass in between */
		rb = (uint32_t)bar_rd(&t, t.reg_bar, regs + cb0 + EDMA_CH_CONTROL1, 4);
		EP_TEST_ASSERT_EQ((rb >> CTL1_CS_SHIFT) & 3, 1, "running right after the doorbell");
		run(&t);
		EP_TEST_ASSERT(memcmp(ep, env_host, 256) == 0, "data through host_resolve");
		rb = (uint32_t)bar_rd(&t, t.reg_bar, regs + EDMA_RD_INT_STATUS, 4);
		EP_TEST_ASSERT(rb & EDMA_INT_ABORT(0), "element 1 aborted (IOMMU fault)");
		/* W1C through an explicit write clears at once */
		ep_model_bar_write(t.m, t.reg_bar, regs + EDMA_RD_INT_CLEAR, 4,
			EDMA_INT_ABORT(0) | EDMA_INT_DONE(0));
		EP_TEST_ASSERT_EQ(bar_rd(&t, t.reg_bar, regs + EDMA_RD_INT_STATUS, 4) &
			(EDMA_INT_ABORT(0) | EDMA_INT_DONE(0)), 0,
			"int_clear acted on before the next read");
		/* rewriting a controller-wide register with its own value is seen */
		v = bar_rd(&t, t.reg_bar, regs + EDMA_CTRL_DATA_ARB_PRIOR, 4);
		EP_TEST_ASSERT_EQ(violations(&t), 0, "no violation yet");
		ep_model_bar_write(t.m, t.reg_bar, regs + EDMA_CTRL_DATA_ARB_PRIOR, 4, v);
		EP_TEST_ASSERT_EQ(violations(&t), 1, "identical rewrite checked");
		EP_TEST_ASSERT(viol_has(&t, "ctrl_data_arb_prior"), "text");
		ep_model_violations_clear(t.m);
	}
	/* bad accesses */
	EP_TEST_ASSERT_EQ(ep_model_bar_read(t.m, 1, 0, 4, &v), -EINVAL, "absent BAR");
	EP_TEST_ASSERT_EQ(ep_model_bar_read(t.m, mb, 2, 4, &v), -EINVAL, "misaligned");
	EP_TEST_ASSERT_EQ(ep_model_bar_read(t.m, mb, 0, 3, &v), -EINVAL, "size 3");
	EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, mb, t.bar[mb].len, 4, 0), -EINVAL,
		"beyond the BAR");
	EP_TEST_ASSERT_EQ(bar_rd(&t, mb, META_MAGIC, 2), META_MAGIC_VALUE & 0xffff,
		"16-bit read of the magic");
	/* link down: all-ones, writes dropped */
	ep_model_link_set(t.m, false);
	EP_TEST_ASSERT_EQ(bar_rd(&t, mb, META_MAGIC, 4), UINT32_MAX, "all-ones");
	EP_TEST_ASSERT_EQ(bar_rd(&t, mb, META_MAGIC, 8), UINT64_MAX, "all-ones 64");
	EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, mb, META_CTRL, 4, 0), 0, "dropped");
	ep_model_link_set(t.m, true);
	EP_TEST_ASSERT(bar_rd(&t, mb, META_CTRL, 4) & H_BIT, "the dropped write changed nothing");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	EP_TEST_ASSERT_EQ(env_frees, 3, "BARs back to the environment");
	return 0;
}

/* ------------------------------------------------------------------------ */
/* EPDM v1 slice export (hardware reference F), parsed independently of the model. */

static int
parse_slice(struct t *t, unsigned int bar, uint64_t off)
{
	volatile uint8_t *h = (volatile uint8_t *)t->bar[bar].addr + off;
	uint32_t n, i, cb;

	if (le32(h + EPDM_HDR_MAGIC) != EPDM_MAGIC || le32(h + EPDM_HDR_VERSION) != EPDM_VER_WORD)
		return -1;
	cb = le32(h + EPDM_HDR_CTRL_BAR);
	n = le32(h + EPDM_HDR_NUM_CHANS);
	if (cb >= EP_MODEL_NUM_BARS || n == 0 || n > 8)
		return -1;
	t->reg_bar = cb;
	t->reg_off = le32(h + EPDM_HDR_CTRL_OFFSET);
	t->reg_size = le32(h + EPDM_HDR_CTRL_SIZE);
	t->layout = 1;
	t->wr = 0;
	t->rd = n;
	if (t->reg_off + t->reg_size > t->bar[cb].len)
		return -1;
	t->regs = (volatile uint8_t *)t->bar[cb].addr + t->reg_off;
	for (i = 0; i < n; i++) {
		volatile uint8_t *e = h + EPDM_HDR_CHANS + EPDM_CH_ENTRY_SIZE * i;
		uint32_t db = le32(e + EPDM_CH_DESC_BAR), doff = le32(e + EPDM_CH_DESC_OFFSET);
		uint32_t dsz = le32(e + EPDM_CH_DESC_SIZE);

		if (db >= EP_MODEL_NUM_BARS || (uint64_t)doff + dsz > t->bar[db].len)
			return -1;
		t->desc[RD][i].host = (uint8_t *)t->bar[db].addr + doff;
		t->desc[RD][i].size = dsz;
		t->desc[RD][i].addr = le32(e + EPDM_CH_DESC_PHYS_ADDR_LO) |
			((uint64_t)le32(e + EPDM_CH_DESC_PHYS_ADDR_HI) << 32);
	}
	return 0;
}

/* Create an EPDM-exporting instance: no handshake, the slice parsed. */
static int
setup_epdm(struct t *t, const char *args)
{
	char name[32];
	unsigned int b;

	memset(t, 0, sizeof(*t));
	snprintf(name, sizeof(name), "epm%u", name_seq++);
	t->m = ep_model_create(name, args);
	if (t->m == NULL) {
		printf("  create '%s' failed: %s\n", args, rte_strerror(rte_errno));
		return -1;
	}
	ep_model_info_get(t->m, &t->info);
	for (b = 0; b < EP_MODEL_NUM_BARS; b++)
		ep_model_bar_get(t->m, b, &t->bar[b]);
	t->meta = t->bar[t->info.metadata_bar].addr;
	return parse_slice(t, t->info.slice_bar, t->info.slice_off);
}

/* The header and the vNTB locator word by word, at the documented places. */
static int
test_epdm_slice(void)
{
	volatile uint8_t *h, *ntb;
	struct t t;
	unsigned int i, w;

	EP_TEST_ASSERT_EQ(setup_epdm(&t, "thread=0,export=epdm,rd=2,desc_size=8192"), 0,
		"setup");
	EP_TEST_ASSERT(t.info.exports_epdm && !t.info.exports_pedm, "export flags");
	EP_TEST_ASSERT_EQ(t.info.wr_delegated, 0, "no write channel");
	EP_TEST_ASSERT_EQ(t.info.rd_delegated, 2, "read channels");
	EP_TEST_ASSERT_EQ(t.info.slice_bar, 4, "slice in desc_bar by default");
	EP_TEST_ASSERT_EQ(t.info.slice_off, 0, "slice offset");
	/* 4 KiB header page, 8 KiB register window, two 8 KiB windows */
	EP_TEST_ASSERT_EQ(t.info.slice_size, 0x7000, "slice size");
	EP_TEST_ASSERT_EQ(t.info.ntb_bar, 0, "vNTB control region in the metadata BAR");
	h = (volatile uint8_t *)t.bar[4].addr;
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_MAGIC), EPDM_MAGIC, "magic");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_VERSION), EPDM_VER_WORD, "version, hdr_size");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_TOTAL_SIZE), 0x7000, "total_size");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CTRL_BAR), 4, "ctrl_bar");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CTRL_OFFSET), 0x1000,
		"ctrl_offset: after the header page");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CTRL_SIZE), 0x2000, "ctrl_size");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_IRQ_COUNT), 2, "irq_count");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_NUM_CHANS), 2, "num_chans");
	for (i = 0; i < 2; i++) {
		volatile uint8_t *e = h + EPDM_HDR_CHANS + EPDM_CH_ENTRY_SIZE * i;

		EP_TEST_ASSERT_EQ(le32(e + EPDM_CH_DESC_BAR), 4, "chans[%u].desc_bar", i);
		EP_TEST_ASSERT_EQ(le32(e + EPDM_CH_DESC_OFFSET), 0x3000 + i * 0x2000,
			"chans[%u].desc_offset", i);
		EP_TEST_ASSERT_EQ(le32(e + EPDM_CH_DESC_SIZE), 8192, "chans[%u].desc_size", i);
		EP_TEST_ASSERT_EQ(le32(e + EPDM_CH_PADDING), 0, "chans[%u] padding", i);
		EP_TEST_ASSERT_EQ(le32(e + EPDM_CH_DESC_PHYS_ADDR_LO), 0x20000000 + i * 0x2000,
			"chans[%u].desc_phys_addr lo", i);
		EP_TEST_ASSERT_EQ(le32(e + EPDM_CH_DESC_PHYS_ADDR_HI), 0,
			"chans[%u].desc_phys_addr hi", i);
	}
	for (w = EPDM_HDR_CHANS + 2 * EPDM_CH_ENTRY_SIZE; w < EPDM_HDR_SIZE; w += 4)
		EP_TEST_ASSERT_EQ(le32(h + w), 0, "unused entry word 0x%x", w);
	ntb = (volatile uint8_t *)t.bar[0].addr;
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_LINK_STATUS - 2) >> 16, 1, "LINK_STATUS up");
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_VERSION), 1, "control-layout version 1");
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_DMA_ABI), 1, "DMA_ABI v1");
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_DMA_BAR), 4, "DMA_BAR");
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_DMA_OFFSET), 0, "DMA_OFFSET");
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_DMA_SIZE), 0x7000, "DMA_SIZE");
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_DMA_NUM_CHANS), 2, "DMA_NUM_CHANS");
	/* no PEDM blob; the MSI-X table follows the vNTB control page */
	EP_TEST_ASSERT(le32(ntb + META_MAGIC) != META_MAGIC_VALUE, "no PEDM magic");
	EP_TEST_ASSERT_EQ(t.info.msix_table_off, 0x1000, "MSI-X after the control page");
	EP_TEST_ASSERT_EQ(le32(ntb + 0x1000 + 12), 1, "vector 0 masked");
	/* the controller's CTRL register: the read direction exported whole */
	EP_TEST_ASSERT_EQ((r32(&t, EDMA_CTRL) >> EDMA_CTRL_RD_CH_SHIFT) & 0xf, 2,
		"hw read channels");
	teardown(&t);

	/* placement keys: another BAR and offset, controller window outside */
	EP_TEST_ASSERT_EQ(setup_epdm(&t, "thread=0,export=epdm,rd=1,slice_bar=2,"
		"slice_off=0x10000,slice_ctrl=outside,reg_bar=3,reg_off=0,slice_align=0x400,"
		"ntb_bar=5"), 0, "setup placed");
	h = (volatile uint8_t *)t.bar[2].addr + 0x10000;
	EP_TEST_ASSERT_EQ(t.info.slice_bar, 2, "slice_bar");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_TOTAL_SIZE), 0x400 + 0x1000,
		"total: header 1 KiB, 1 window");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CTRL_BAR), 3, "ctrl_bar outside");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CTRL_OFFSET), 0, "ctrl_offset outside");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CHANS + EPDM_CH_DESC_OFFSET), 0x10400,
		"window after a 1 KiB header");
	ntb = (volatile uint8_t *)t.bar[5].addr;
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_DMA_BAR), 2, "locator BAR");
	EP_TEST_ASSERT_EQ(le32(ntb + NTB_CTRL_DMA_OFFSET), 0x10000, "locator offset");
	EP_TEST_ASSERT_EQ(t.info.msix_table_off, 0, "MSI-X alone in BAR0");
	teardown(&t);
	return 0;
}

/* No handshake: the read channels work at once; delegation still enforced. */
static int
test_epdm_ownership(void)
{
	uint8_t *src = rte_malloc(NULL, 8192, 64), *ep;
	struct ep_model_stats st;
	unsigned int ch, i;
	uint64_t v;
	struct t t;

	EP_TEST_ASSERT(src != NULL, "rte_malloc");
	fill(src, 8192, 11);
	EP_TEST_ASSERT_EQ(setup_epdm(&t, "thread=0,export=epdm,rd=2"), 0, "setup");
	ep = t.info.ep_mem;
	for (ch = 0; ch < 2; ch++) {
		for (i = 0; i < 4; i++)
			ll_data(&t, RD, ch, i, CB | (i == 3 ? LIE : 0), 1000,
				(uintptr_t)src + ch * 4096 + i * 1000,
				t.info.ep_mem_addr + ch * 4096 + i * 1000);
		start_ch(&t, RD, ch, true, slot_addr(&t, RD, ch, 0), 1);
		ep_model_poll(t.m);
	}
	run(&t);
	for (ch = 0; ch < 2; ch++) {
		EP_TEST_ASSERT(memcmp(ep + ch * 4096, src + ch * 4096, 4000) == 0, "rd%u data",
			ch);
		EP_TEST_ASSERT_EQ(cs(&t, RD, ch), 3, "rd%u stopped", ch);
	}
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.elements, 8, "elements");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "no READY: channel writes are not violations");
	/* still the endpoint's: the write direction, the slice header */
	w32(&t, EDMA_WR_ENGINE_EN, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT(viol_has(&t, "wr_engine_en: direction WR not delegated"), "wr");
	st32((volatile uint8_t *)t.bar[4].addr + EPDM_HDR_TOTAL_SIZE, 0x1234);
	ep_model_poll(t.m);
	EP_TEST_ASSERT(viol_has(&t, "EPDM slice header offset 0x008: read-only"), "header");
	EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 4, EPDM_HDR_NUM_CHANS, 4, 7), 0,
		"explicit write");
	EP_TEST_ASSERT(viol_has(&t, "EPDM slice header offset 0x01c"), "explicit header");
	EP_TEST_ASSERT_EQ(violations(&t), 3, "count");
	/* the vNTB command registers are the NTB protocol's, not watched */
	EP_TEST_ASSERT_EQ(ep_model_bar_write(t.m, 0, NTB_CTRL_COMMAND, 4, 5), 0, "NTB command");
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 3, "NTB region write");
	/* a re-init writes the header again */
	ep_model_violations_clear(t.m);
	EP_TEST_ASSERT_EQ(ep_model_reinit(t.m), 0, "reinit");
	EP_TEST_ASSERT_EQ(ep_model_bar_read(t.m, 4, EPDM_HDR_TOTAL_SIZE, 4, &v), 0, "read");
	EP_TEST_ASSERT_EQ(v, 0x5000, "total_size restored");
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 0, "after reinit");
	/* link down: every BAR reads all-ones; up: the slice is back */
	ep_model_link_set(t.m, false);
	EP_TEST_ASSERT_EQ(ep_model_bar_read(t.m, 4, 0, 4, &v), 0, "read");
	EP_TEST_ASSERT_EQ(v, UINT32_MAX, "all-ones while down");
	ep_model_link_set(t.m, true);
	EP_TEST_ASSERT_EQ(le32(t.bar[4].addr), EPDM_MAGIC, "magic back");
	EP_TEST_ASSERT_EQ(r32(&t, chb(&t, RD, 0) + EDMA_CH_LLP_LO), 0,
		"LLP reset by the link loss");
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 0, "nothing flagged");
	teardown(&t);
	rte_free(src);
	return 0;
}

/* export=both: the PEDM blob and the slice describe the same read channel. */
static int
test_epdm_both(void)
{
	volatile uint8_t *h;
	struct t t;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,export=both,wr=1,rd=1,meta_bar=1,ntb_bar=0,"
		"slice_ctrl=outside"), 0, "PEDM side");
	EP_TEST_ASSERT(t.info.exports_epdm && t.info.exports_pedm, "export flags");
	h = (volatile uint8_t *)t.bar[t.info.slice_bar].addr + t.info.slice_off;
	EP_TEST_ASSERT_EQ(le32(h), EPDM_MAGIC, "slice magic");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_NUM_CHANS), 1, "read channels only in the slice");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CTRL_BAR), t.reg_bar, "same register window: BAR");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CTRL_OFFSET), t.reg_off,
		"same register window: offset");
	EP_TEST_ASSERT_EQ(le32(h + EPDM_HDR_CHANS + EPDM_CH_DESC_PHYS_ADDR_LO),
		(uint32_t)t.desc[RD][0].addr, "same ring address");
	EP_TEST_ASSERT((uint8_t *)t.bar[t.info.slice_bar].addr +
		le32(h + EPDM_HDR_CHANS + EPDM_CH_DESC_OFFSET) ==
		t.desc[RD][0].host, "same descriptor window");
	EP_TEST_ASSERT(t.desc[WR][0].host < (uint8_t *)h || t.desc[WR][0].host >=
		(uint8_t *)h + le32(h + EPDM_HDR_TOTAL_SIZE), "write window outside the slice");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);

	/* before HOST_REQ the host may be an EPDM one; after, READY rules */
	EP_TEST_ASSERT_EQ(setup_epdm(&t, "thread=0,export=both,wr=1,rd=1,meta_bar=1"), 0,
		"EPDM side");
	w32(&t, EDMA_RD_ENGINE_EN, 1);
	ep_model_poll(t.m);
	EP_TEST_ASSERT_EQ(violations(&t), 0, "EPDM host, no handshake");
	set_host_req(&t);
	ep_model_poll(t.m);
	w32(&t, EDMA_RD_ENGINE_EN, 0);
	ep_model_poll(t.m);
	EP_TEST_ASSERT(viol_has(&t, "before READY was ever set"), "PEDM host before READY");
	teardown(&t);
	return 0;
}

static int
test_epdm_config(void)
{
	static const char *const bad[] = {
		"thread=0,export=epdm,wr=1",
		"thread=0,export=epdm,layout=hdma-native",
		"thread=0,export=both,layout=hdma-compat",
		"thread=0,export=epdm,rd=0",
		"thread=0,export=epdm,desc_off=0x2000",
		"thread=0,export=epdm,reg_off=0x3000",
		"thread=0,export=epdm,metadata_file=/dev/null",
		"thread=0,export=epdm,slice_off=0x100",
		"thread=0,export=epdm,slice_align=3",
		"thread=0,export=epdm,slice_ctrl=elsewhere",
		"thread=0,export=vntb",
		"thread=0,slice_bar=2",
		"thread=0,ntb_bar=1",
		"thread=0,export=both,ntb_bar=0",		/* locator page on the blob */
		"thread=0,export=epdm,slice_bar=0",		/* slice on the control page */
	};
	struct ep_model *m;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		m = ep_model_create("epdm_bad", bad[i]);
		EP_TEST_ASSERT(m == NULL, "'%s' accepted", bad[i]);
		EP_TEST_ASSERT_EQ(rte_errno, EINVAL, "'%s'", bad[i]);
	}
	m = ep_model_create("epdm_ok", "thread=0,export=epdm,ntb_bar=none,msix=0");
	EP_TEST_ASSERT(m != NULL, "without a locator");
	ep_model_destroy(m);
	return 0;
}

/*
 * IMWr (hardware reference C.1, D.1, E.2): an element with RIE (HDMA: RWIE)
 * that completes writes the IMWr data to the host address in the IMWr
 * registers; HDMA also on STOP with RSIE and on ABORT with RAIE. The address
 * goes through the host IOMMU like data: an unmapped one is dropped and
 * counted.
 */
static int
test_imwr(void)
{
	uint32_t *word = rte_zmalloc(NULL, 64, 64);
	uint8_t *buf = rte_zmalloc(NULL, 4096, 64);
	struct ep_model_stats st;
	struct t t;
	uint32_t b;

	EP_TEST_ASSERT(word != NULL && buf != NULL, "rte_zmalloc");
	/* HDMA native: watermark (RWIE), then STOP (RSIE), then ABORT (RAIE) */
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,layout=hdma-native"), 0, "setup");
	b = chb(&t, RD, 0);
	w32(&t, b + HDMA_CH_MSI_WATERMARK_LO, (uint32_t)(uintptr_t)&word[0]);
	w32(&t, b + HDMA_CH_MSI_WATERMARK_HI, (uint32_t)((uintptr_t)&word[0] >> 32));
	w32(&t, b + HDMA_CH_MSI_STOP_LO, (uint32_t)(uintptr_t)&word[1]);
	w32(&t, b + HDMA_CH_MSI_STOP_HI, (uint32_t)((uintptr_t)&word[1] >> 32));
	w32(&t, b + HDMA_CH_MSI_ABORT_LO, (uint32_t)(uintptr_t)&word[2]);
	w32(&t, b + HDMA_CH_MSI_ABORT_HI, (uint32_t)((uintptr_t)&word[2] >> 32));
	w32(&t, b + HDMA_CH_MSI_MSGDATA, 0x5a5a1234);
	ll_data(&t, RD, 0, 0, CB | RIE, 64, (uintptr_t)buf, 0x4000000);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	/* start_ch's int_setup has no remote enables: only the watermark IMWr */
	run(&t);
	EP_TEST_ASSERT_EQ(word[0], 0x5a5a1234, "watermark IMWr data");
	EP_TEST_ASSERT_EQ(word[1], 0, "no STOP IMWr without RSIE");
	w32(&t, b + HDMA_CH_INT_SETUP, HDMA_INT_SETUP_MASKS | HDMA_INT_SETUP_RSIE |
		HDMA_INT_SETUP_LSIE | HDMA_INT_SETUP_RAIE | HDMA_INT_SETUP_LAIE);
	ll_data(&t, RD, 0, 1, CB, 64, (uintptr_t)buf, 0x4000000);
	ll_data(&t, RD, 0, 2, CB, 64, 0xdead0000, 0x4000000);	/* IOMMU fault */
	ring(&t, RD, 0);
	run(&t);
	EP_TEST_ASSERT_EQ(word[2], 0x5a5a1234, "ABORT IMWr with RAIE");
	/* an IMWr address the host does not map is dropped and counted */
	w32(&t, b + HDMA_CH_INT_CLEAR, HDMA_INT_STOP | HDMA_INT_WATERMARK | HDMA_INT_ABORT);
	run(&t);	/* the clear is seen before the restart rings */
	w32(&t, b + HDMA_CH_MSI_STOP_LO, 0x10);
	w32(&t, b + HDMA_CH_MSI_STOP_HI, 0);
	ll_data(&t, RD, 0, 0, CB, 64, (uintptr_t)buf, 0x4000000);
	ll_data(&t, RD, 0, 1, 0, 64, (uintptr_t)buf, 0x4000000);	/* stop here */
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	w32(&t, b + HDMA_CH_INT_SETUP, HDMA_INT_SETUP_MASKS | HDMA_INT_SETUP_RSIE |
		HDMA_INT_SETUP_LSIE | HDMA_INT_SETUP_LAIE);
	run(&t);
	ep_model_stats_get(t.m, &st);
	EP_TEST_ASSERT_EQ(st.imwr, 3, "three IMWrs");
	EP_TEST_ASSERT_EQ(st.imwr_faults, 1, "the STOP IMWr to 0x10 dropped");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);

	/* eDMA: DONE IMWr to the direction's address with the channel's 16 bits */
	word[0] = 0;
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0,wr=2,rd=2"), 0, "setup eDMA");
	w32(&t, EDMA_RD_DONE_IMWR_LO, (uint32_t)(uintptr_t)&word[0]);
	w32(&t, EDMA_RD_DONE_IMWR_HI, (uint32_t)((uintptr_t)&word[0] >> 32));
	w32(&t, EDMA_RD_CH01_IMWR_DATA, 0xbeef0000 | 0xcafe);	/* ch1: bits 31:16 */
	ll_data(&t, RD, 1, 0, CB | LIE | RIE, 64, (uintptr_t)buf, 0x4000000);
	start_ch(&t, RD, 1, true, slot_addr(&t, RD, 1, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(word[0], 0xbeef, "channel 1's half of the data");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(word);
	rte_free(buf);
	return 0;
}

/*
 * ep_model_sync(): with the engine in its own thread, a host write is
 * acted on by the time the call returns (here: a violation is counted),
 * without a sleep; with the link down the engine does not scan: timeout.
 */
static int
test_sync(void)
{
	struct t t;
	int i;

	EP_TEST_ASSERT_EQ(setup(&t, "thread=1,idle_sleep_us=1000"), 0, "setup");
	for (i = 0; i < 20; i++) {
		w32(&t, EDMA_CTRL_DATA_ARB_PRIOR, i + 1);	/* not the host's */
		EP_TEST_ASSERT_EQ(ep_model_sync(t.m, 5000), 0, "sync %d", i);
		EP_TEST_ASSERT_EQ(violations(&t), (uint64_t)i + 1, "write %d seen", i);
	}
	ep_model_violations_clear(t.m);
	ep_model_link_set(t.m, false);
	EP_TEST_ASSERT_EQ(ep_model_sync(t.m, 50), -ETIMEDOUT, "no scan while down");
	ep_model_link_set(t.m, true);
	EP_TEST_ASSERT_EQ(ep_model_sync(t.m, 5000), 0, "scans again");
	teardown(&t);
	return 0;
}

/* A doorbell does not restart a channel whose abort the host has not cleared. */
static int
test_restart_needs_clear(void)
{
	uint8_t *buf = rte_zmalloc(NULL, 4096, 64);
	struct ep_model_stats st0, st1;
	struct t t;

	EP_TEST_ASSERT(buf != NULL, "rte_zmalloc");
	EP_TEST_ASSERT_EQ(setup(&t, "thread=0"), 0, "setup");
	ll_data(&t, RD, 0, 0, CB, 64, 0xdead0000, 0x4000000);	/* IOMMU fault */
	ll_data(&t, RD, 0, 1, CB, 64, (uintptr_t)buf, 0x4000000);
	start_ch(&t, RD, 0, true, slot_addr(&t, RD, 0, 0), 1);
	run(&t);
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "halted");
	/* the host fixes the element but does not clear ABORT: ignored */
	ll_data(&t, RD, 0, 0, CB, 64, (uintptr_t)buf, 0x4000000);
	ep_model_stats_get(t.m, &st0);
	ring(&t, RD, 0);
	run(&t);
	ep_model_stats_get(t.m, &st1);
	EP_TEST_ASSERT_EQ(st1.doorbells_ignored - st0.doorbells_ignored, 1, "ignored");
	EP_TEST_ASSERT_EQ(st1.elements, st0.elements, "nothing ran");
	EP_TEST_ASSERT_EQ(cs(&t, RD, 0), 2, "still halted");
	/*
	 * cleared, then rung once the clear took effect (the model drops a
	 * doorbell it sees together with the clear): it runs from where it
	 * halted
	 */
	w32(&t, EDMA_RD_INT_CLEAR, EDMA_INT_ABORT(0));
	run(&t);
	ring(&t, RD, 0);
	run(&t);
	ep_model_stats_get(t.m, &st1);
	EP_TEST_ASSERT_EQ(st1.elements - st0.elements, 2, "both elements ran");
	EP_TEST_ASSERT_EQ(violations(&t), 0, "violations");
	teardown(&t);
	rte_free(buf);
	return 0;
}

static const struct ep_test_case cases[] = {
	{ "config_keys", test_config_keys },
	{ "meta_unroll", test_meta_unroll },
	{ "meta_compat", test_meta_compat },
	{ "meta_native", test_meta_native },
	{ "meta_legacy", test_meta_legacy },
	{ "meta_placement", test_meta_placement },
	{ "handshake", test_handshake },
	{ "cycle_stop_resume", test_cycle_stop_resume },
	{ "link_ccs_laps", test_link_ccs_laps },
	{ "llp_irq_points", test_llp_irq_points },
	{ "status_latch_w1c", test_status_latch_w1c },
	{ "iommu_fault", test_iommu_fault },
	{ "iommu_extmem", test_iommu_extmem },
	{ "func_mismatch", test_func_mismatch },
	{ "ep_decode", test_ep_decode },
	{ "ll_fetch_error", test_ll_fetch_error },
	{ "outbound_m2m", test_outbound_m2m },
	{ "violations", test_violations },
	{ "missed_doorbell_on", test_missed_doorbell_on },
	{ "missed_doorbell_off", test_missed_doorbell_off },
	{ "format_unroll", test_format_unroll },
	{ "format_compat", test_format_compat },
	{ "format_native", test_format_native },
	{ "link_down", test_link_down },
	{ "ready_drop", test_ready_drop },
	{ "reinit", test_reinit },
	{ "metadata_file", test_metadata_file },
	{ "corruption", test_corruption },
	{ "inject_abort", test_inject_abort },
	{ "stop_doorbell", test_stop_doorbell },
	{ "timing", test_timing },
	{ "pause", test_pause },
	{ "threaded", test_threaded },
	{ "ready_window", test_ready_window },
	{ "disable_stops", test_disable_stops },
	{ "link_no_tcb", test_link_no_tcb },
	{ "ll_misaligned", test_ll_misaligned },
	{ "fetch_snapshot", test_fetch_snapshot },
	{ "int_clear_order", test_int_clear_order },
	{ "hdma_func_cycle", test_hdma_func_cycle },
	{ "hostile_config", test_hostile_config },
	{ "reserved_writes", test_reserved_writes },
	{ "bar_access_sync", test_bar_access_sync },
	{ "imwr", test_imwr },
	{ "sync", test_sync },
	{ "restart_needs_clear", test_restart_needs_clear },
	{ "epdm_slice", test_epdm_slice },
	{ "epdm_ownership", test_epdm_ownership },
	{ "epdm_both", test_epdm_both },
	{ "epdm_config", test_epdm_config },
};

int
main(int argc, char **argv)
{
	char *eal_args[] = {
		argv[0], "--no-huge", "--iova-mode=va", "-m", "128", "--no-pci", "--no-shconf",
		"--log-level=lib.eal:error", "--log-level=ep_model:info",
	};
	int failed;

	if (argc > 1)
		filter = argv[1];
	if (rte_eal_init(RTE_DIM(eal_args), eal_args) < 0) {
		printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	failed = ep_test_run("ep_model", cases, RTE_DIM(cases), filter);
	rte_eal_cleanup();
	return failed != 0;
}
