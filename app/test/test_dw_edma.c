/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Functional tests of the dw_edma PMD on the simulated endpoint, through the
 * public rte_dma API only (plus rte_pmd_dw_edma for counters and the model
 * API for endpoint memory, fault injection and violation counts).
 * Usage: test_dw_edma <EAL args> [-- case-filter]
 */

#include "test_dw_edma_common.h"

static const char *const layouts[] = { "edma-unroll", "hdma-compat", "hdma-native" };
#define NB_LAYOUTS RTE_DIM(layouts)

/* Where a job's endpoint side lives: inside the model's endpoint memory. */
/*
 * Run nb jobs of len bytes in bursts of 'burst' on dev; check ids, statuses
 * and the data byte for byte. *id is the id the next job must get.
 */
static int
run_jobs(struct t_sim *s, int16_t dev, bool m2m, unsigned int nb, uint32_t len,
		unsigned int burst, uint16_t *id)
{
	enum rte_dma_status_code st[256];
	bool rd = t_is_rd(dev);
	size_t total = (size_t)nb * len;
	uint8_t *h1 = t_host_alloc(total), *h2 = t_host_alloc(total);
	uint8_t *ep = ep_model_ep_ptr(s->m, ep_addr(s, 0), total);
	uint8_t *src, *dst;
	unsigned int done = 0, j;
	int rc = -1;

	if (h1 == NULL || h2 == NULL || ep == NULL || burst > RTE_DIM(st)) {
		printf("  no buffers for %u x %u\n", nb, len);
		goto out;
	}
	if (m2m) {
		src = h1;
		dst = h2;
	} else {
		src = rd ? h1 : ep;
		dst = rd ? ep : h1;
	}
	t_fill(src, total, *id);
	memset(dst, 0, total);
	while (done < nb) {
		unsigned int n = RTE_MIN(burst, nb - done);
		uint16_t last = 0, got;

		for (j = 0; j < n; j++) {
			size_t off = (size_t)(done + j) * len;
			rte_iova_t sa, da;
			int r;

			if (m2m) {
				sa = t_iova(h1 + off);
				da = t_iova(h2 + off);
			} else if (rd) {
				sa = t_iova(h1 + off);
				da = ep_addr(s, off);
			} else {
				sa = ep_addr(s, off);
				da = t_iova(h1 + off);
			}
			r = rte_dma_copy(dev, 0, sa, da, len, 0);
			if (r != *id) {
				printf("  copy %u returned %d, expected id %u\n", done + j, r, *id);
				goto out;
			}
			(*id)++;
		}
		if (rte_dma_submit(dev, 0) != 0)
			goto out;
		got = t_collect(dev, n, st, &last);
		if (got != n) {
			printf("  burst at %u: %u of %u completions\n", done, got, n);
			goto out;
		}
		if (last != (uint16_t)(*id - 1)) {
			printf("  last_idx %u, expected %u\n", last, (uint16_t)(*id - 1));
			goto out;
		}
		for (j = 0; j < n; j++)
			if (st[j] != RTE_DMA_STATUS_SUCCESSFUL) {
				printf("  job %u status %d\n", done + j, st[j]);
				goto out;
			}
		done += n;
	}
	for (j = 0; j < total; j++)
		if (src[j] != dst[j]) {
			printf("  data mismatch at byte %u (job %u): 0x%02x != 0x%02x\n", j,
				j / len, dst[j], src[j]);
			goto out;
		}
	rc = 0;
out:
	rte_free(h1);
	rte_free(h2);
	return rc;
}

static const char *
sim_args(char *buf, size_t len, const char *layout, const char *extra)
{
	bool native = strcmp(layout, "hdma-native") == 0;

	/* native delegates a prefix; the others a direction whole */
	snprintf(buf, len, "layout=%s,wr=%u,rd=%u,outbound=0x1000000000000%s%s", layout,
		native ? 2 : 2, native ? 1 : 2, extra[0] ? "," : "", extra);
	return buf;
}

/* --- probe, naming, info ------------------------------------------------- */
static int
t_probe(const char *layout)
{
	struct rte_pmd_dw_edma_chan_info ci;
	struct rte_dma_info info;
	struct t_sim s;
	char a[256];
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout,
		"desc_size=8192")), 0, "probe %s", a);
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT(d >= 0, "%s-rd0 missing", s.name);
	EP_TEST_ASSERT(t_dev(&s, "wr1") >= 0, "wr1 missing");
	EP_TEST_ASSERT(t_dev(&s, "wr2") < 0, "wr2 should not exist");
	EP_TEST_ASSERT_EQ(rte_dma_info_get(d, &info), 0, "info");
	/* the window's elements less the link, one free slot and a write-back */
	EP_TEST_ASSERT_EQ(info.max_desc, 8192 / 24 - 3, "max_desc from the window");
	EP_TEST_ASSERT_EQ(info.min_desc, 1, "min_desc");
	EP_TEST_ASSERT_EQ(info.max_sges, 64, "max_sges");
	EP_TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_MEM_TO_DEV, "rd is MEM_TO_DEV");
	EP_TEST_ASSERT(!(info.dev_capa & RTE_DMA_CAPA_DEV_TO_MEM), "rd not DEV_TO_MEM");
	EP_TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM, "outbound gives m2m");
	EP_TEST_ASSERT(!(info.dev_capa & RTE_DMA_CAPA_OPS_FILL), "no fill");
	EP_TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_HANDLES_ERRORS, "handles errors");
	EP_TEST_ASSERT_EQ(info.max_vchans, 1, "one vchan");
	EP_TEST_ASSERT(info.max_sges >= 2, "sg");
	EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(d, &ci), 0, "chan info");
	EP_TEST_ASSERT_EQ(ci.func_num, s.mi.func_num, "function number");
	EP_TEST_ASSERT_EQ(ci.map_format, s.mi.map_format, "map format");
	EP_TEST_ASSERT_EQ(ci.hw_ch, 0, "hw_ch");
	EP_TEST_ASSERT(strcmp(ci.function, s.name) == 0, "function name");
	d = t_dev(&s, "wr0");
	EP_TEST_ASSERT_EQ(rte_dma_info_get(d, &info), 0, "info");
	EP_TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_DEV_TO_MEM, "wr is DEV_TO_MEM");
	/* the vchan must not exceed the window; the largest that fits works */
	{
		struct rte_dma_conf conf = { .nb_vchans = 1 };
		struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_DEV_TO_MEM,
			.nb_desc = info.max_desc + 1 };

		vc.src_port.port_type = RTE_DMA_PORT_PCIE;
		EP_TEST_ASSERT_EQ(rte_dma_configure(d, &conf), 0, "configure");
		EP_TEST_ASSERT(rte_dma_vchan_setup(d, 0, &vc) < 0, "nb_desc beyond window");
		vc.nb_desc = info.max_desc;
		EP_TEST_ASSERT_EQ(rte_dma_vchan_setup(d, 0, &vc), 0, "nb_desc = max_desc");
		vc.direction = RTE_DMA_DIR_MEM_TO_DEV;
		vc.src_port.port_type = RTE_DMA_PORT_NONE;
		vc.dst_port.port_type = RTE_DMA_PORT_PCIE;
		EP_TEST_ASSERT(rte_dma_vchan_setup(d, 0, &vc) < 0, "wrong direction");
	}
	return t_sim_close(&s);
}

/* --- data in both directions and MEM_TO_MEM ------------------------------- */
static int
t_data(const char *layout)
{
	static const uint32_t lens[] = { 1, 3, 64, 1000, 4096, 65536 };
	const char *chans[] = { "rd0", "wr0", "wr1" };
	struct t_sim s;
	char a[256];
	unsigned int c, l;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	for (c = 0; c < RTE_DIM(chans); c++) {
		int16_t d = t_dev(&s, chans[c]);
		uint16_t id = 0;

		EP_TEST_ASSERT_EQ(t_chan_setup(d, t_is_rd(d) ? RTE_DMA_DIR_MEM_TO_DEV :
			RTE_DMA_DIR_DEV_TO_MEM, 64), 0, "setup %s", chans[c]);
		for (l = 0; l < RTE_DIM(lens); l++)
			EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 8, lens[l], 8, &id), 0,
				"%s len %u", chans[c], lens[l]);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
		/* MEM_TO_MEM through the outbound window on the same channel */
		EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_MEM, 64), 0, "m2m setup");
		id = 0;
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, true, 16, 777, 16, &id), 0, "m2m %s",
			chans[c]);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	}
	return t_sim_close(&s);
}

/*
 * --- BAR placement -------------------------------------------------------------
 * The endpoint chooses where the blob, the register window and the descriptor
 * windows live (hardware reference A.7, B.2): metadata in a BAR other than 0,
 * registers and descriptors sharing one BAR at non-zero offsets, an MSI-X table
 * after the blob or none. Discovery must follow the metadata, not assume a
 * layout.
 */
static int
t_placement(const char *layout)
{
	static const char *const places[] = {
		"meta_bar=3,reg_bar=1,desc_bar=1,reg_off=0x3000,msix=0",
		"meta_bar=5,reg_bar=0,reg_off=0x2000,desc_bar=2,desc_off=0x5000",
		"meta_bar=1,reg_bar=1,reg_off=0x4000,desc_bar=1,desc_off=0x8000,msix=1",
	};
	unsigned int p;
	char a[256];

	for (p = 0; p < RTE_DIM(places); p++) {
		const char *chans[] = { "rd0", "wr0" };
		struct t_sim s;
		unsigned int c;

		EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, places[p])), 0,
			"probe with %s", places[p]);
		EP_TEST_ASSERT_EQ(s.mi.metadata_bar, places[p][9] - '0', "metadata BAR");
		for (c = 0; c < RTE_DIM(chans); c++) {
			int16_t d = t_dev(&s, chans[c]);
			uint16_t id = 0;

			EP_TEST_ASSERT_EQ(t_chan_setup(d, t_is_rd(d) ? RTE_DMA_DIR_MEM_TO_DEV :
				RTE_DMA_DIR_DEV_TO_MEM, 32), 0, "setup %s", chans[c]);
			EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 64, 300, 16, &id), 0,
				"%s with %s", chans[c], places[p]);
			EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
		}
		EP_TEST_ASSERT_EQ(t_sim_close(&s), 0, "close with %s", places[p]);
	}
	return 0;
}

/* --- ring wrap over many laps, uneven bursts -------------------------------- */
static int
t_wrap(const char *layout)
{
	const char *chans[] = { "rd0", "wr0" };
	struct t_sim s;
	char a[256];
	unsigned int c, i;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	for (c = 0; c < RTE_DIM(chans); c++) {
		int16_t d = t_dev(&s, chans[c]);
		uint16_t id = 0;

		EP_TEST_ASSERT_EQ(t_chan_setup(d, t_is_rd(d) ? RTE_DMA_DIR_MEM_TO_DEV :
			RTE_DMA_DIR_DEV_TO_MEM, 7), 0, "setup");
		/* 8 data slots: bursts of 1..7 make every lap boundary move */
		for (i = 0; i < 300; i++)
			EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 1 + i % 7, 48 + i % 5,
				1 + i % 7, &id), 0, "%s round %u", chans[c], i);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	}
	return t_sim_close(&s);
}

/* --- job id wrap at 65535 --------------------------------------------------- */
static int
t_id_wrap(void)
{
	struct t_sim s;
	uint16_t id = 0;
	unsigned int i;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "layout=hdma-native,wr=1,rd=1"), 0, "probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 128), 0, "setup");
	for (i = 0; i < 70000 / 2000; i++)
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 2000, 8, 100, &id), 0, "round %u", i);
	EP_TEST_ASSERT(i * 2000 > 65536, "ids wrapped");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	return t_sim_close(&s);
}

/* --- burst capacity exact, ring full ----------------------------------------- */
static int
t_capacity(void)
{
	enum rte_dma_status_code st[64];
	struct rte_dma_sge sg[3], dg[1];
	uint8_t *h = t_host_alloc(4096);
	struct t_sim s;
	unsigned int i;
	int16_t d;

	EP_TEST_ASSERT(h != NULL, "alloc");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "layout=edma-unroll,wr=1,rd=1"), 0, "probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 32), 0, "setup");
	for (int round = 0; round < 3; round++) {
		EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 32, "empty ring");
		for (i = 0; i < 32; i++) {
			EP_TEST_ASSERT(rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, 0) >= 0,
				"copy %u", i);
			EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 31 - i, "after %u", i);
		}
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, 0), -ENOSPC,
			"full ring");
		EP_TEST_ASSERT_EQ(rte_dma_submit(d, 0), 0, "submit");
		EP_TEST_ASSERT_EQ(t_collect(d, 32, st, NULL), 32, "all complete");
		for (i = 0; i < 32; i++)
			EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "job %u", i);
	}
	/* an SG job takes one slot per element */
	for (i = 0; i < 3; i++) {
		sg[i].addr = t_iova(h + i * 100);
		sg[i].length = 100;
	}
	dg[0].addr = ep_addr(&s, 0);
	dg[0].length = 300;
	/* an SG job is one job (of three elements): capacity counts jobs */
	EP_TEST_ASSERT(rte_dma_copy_sg(d, 0, sg, dg, 3, 1, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "sg");
	EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 31, "sg is one job");
	EP_TEST_ASSERT_EQ(t_collect(d, 1, st, NULL), 1, "sg done");
	EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 32, "back to full capacity");
	/* bad SG is refused */
	dg[0].length = 299;
	EP_TEST_ASSERT_EQ(rte_dma_copy_sg(d, 0, sg, dg, 3, 1, 0), -EINVAL, "sums differ");
	EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 32, "nothing taken");
	/*
	 * Zero-length jobs (a copy, an SG job of empty segments) take a job,
	 * no element, and complete in order once submitted; empty segments in
	 * an SG job are skipped.
	 */
	{
		struct ep_model_stats ms0, ms1;
		uint16_t last;
		bool err = false;
		int z0, z1, z2;

		ep_model_stats_get(s.m, &ms0);
		sg[0].length = sg[1].length = sg[2].length = 0;
		dg[0].length = 0;
		z0 = rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 0, 0);
		z1 = rte_dma_copy_sg(d, 0, sg, dg, 3, 1, 0);
		sg[1].length = 64;
		dg[0].length = 64;
		z2 = rte_dma_copy_sg(d, 0, sg, dg, 3, 1, 0);
		EP_TEST_ASSERT(z0 >= 0 && z1 == z0 + 1 && z2 == z0 + 2, "ids %d %d %d", z0, z1, z2);
		EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 29, "three jobs taken");
		EP_TEST_ASSERT_EQ(rte_dma_completed(d, 0, 3, &last, &err), 0,
			"nothing before submit");
		EP_TEST_ASSERT_EQ(rte_dma_submit(d, 0), 0, "submit");
		EP_TEST_ASSERT_EQ(t_collect(d, 3, st, &last), 3, "all three");
		EP_TEST_ASSERT_EQ(last, z2, "last id");
		for (i = 0; i < 3; i++)
			EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "zero-length %u", i);
		ep_model_stats_get(s.m, &ms1);
		EP_TEST_ASSERT_EQ(ms1.elements - ms0.elements, 1, "one element: the 64 bytes");
		EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 32, "capacity back");
	}
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- completed() vs completed_status() --------------------------------------- */
static int
t_completed_api(void)
{
	enum rte_dma_status_code st[16];
	uint8_t *h = t_host_alloc(16 * 64);
	uint64_t end;
	struct t_sim s;
	uint16_t last = 0, n = 0;
	bool err = true;
	unsigned int i;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "layout=hdma-compat,wr=1,rd=1"), 0, "probe");
	d = t_dev(&s, "wr0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_DEV_TO_MEM, 32), 0, "setup");
	/* nothing outstanding: 0 and last_idx is 0xffff before any job */
	EP_TEST_ASSERT_EQ(rte_dma_completed(d, 0, 4, &last, &err), 0, "none");
	EP_TEST_ASSERT_EQ(last, 0xffff, "last_idx before the first job");
	EP_TEST_ASSERT(!err, "no error");
	for (i = 0; i < 16; i++)
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, ep_addr(&s, i * 64), t_iova(h + i * 64), 64,
			i == 15 ? RTE_DMA_OP_FLAG_SUBMIT : 0), (int)i, "copy %u", i);
	/* completed() in steps of 5, then completed_status() for the rest */
	end = t_deadline(T_TIMEOUT_MS);
	while (n < 10 && !t_expired(end)) {
		uint16_t k = rte_dma_completed(d, 0, RTE_MIN(5, 10 - n), &last, &err);

		EP_TEST_ASSERT(!err, "no error");
		EP_TEST_ASSERT(k <= 5, "at most asked");
		n += k;
		if (k > 0)
			EP_TEST_ASSERT_EQ(last, n - 1, "last_idx follows");
	}
	EP_TEST_ASSERT_EQ(n, 10, "first ten");
	EP_TEST_ASSERT_EQ(t_collect(d, 6, st, &last), 6, "the rest with status");
	EP_TEST_ASSERT_EQ(last, 15, "last id");
	for (i = 0; i < 6; i++)
		EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "status %u", i);
	EP_TEST_ASSERT_EQ(rte_dma_completed(d, 0, 4, &last, &err), 0, "empty again");
	EP_TEST_ASSERT_EQ(last, 15, "last_idx kept when nothing completes");
	{
		struct rte_dma_stats stats;

		EP_TEST_ASSERT_EQ(rte_dma_stats_get(d, 0, &stats), 0, "stats");
		EP_TEST_ASSERT_EQ(stats.submitted, 16, "submitted");
		EP_TEST_ASSERT_EQ(stats.completed, 16, "completed");
		EP_TEST_ASSERT_EQ(stats.errors, 0, "errors");
	}
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- SG with uneven splits --------------------------------------------------- */
static int
t_sg(const char *layout)
{
	uint8_t *h = t_host_alloc(16384);
	uint8_t *ep;
	struct t_sim s;
	unsigned int c;
	char a[256];

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), 65536);
	EP_TEST_ASSERT(h != NULL && ep != NULL, "buffers");
	for (c = 0; c < 2; c++) {
		int16_t d = t_dev(&s, c == 0 ? "rd0" : "wr0");
		bool rd = c == 0;

		EP_TEST_ASSERT_EQ(t_chan_setup(d, rd ? RTE_DMA_DIR_MEM_TO_DEV :
			RTE_DMA_DIR_DEV_TO_MEM, 32), 0, "setup");
		EP_TEST_ASSERT_EQ(t_sg_scatter(&s, d, rd, h, ep, 77 + c), 0, "%s",
			rd ? "rd0" : "wr0");
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	}
	rte_free(h);
	return t_sim_close(&s);
}

/* --- nothing runs before submit ------------------------------------------------ */
static int
t_no_run_before_submit(const char *layout)
{
	struct ep_model_stats ms0, ms1;
	enum rte_dma_status_code st[8];
	uint8_t *h = t_host_alloc(8 * 256), *ep;
	struct t_sim s;
	unsigned int i, k;
	char a[256];
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	d = t_dev(&s, "rd0");
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), 8 * 256);
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	for (k = 0; k < 20; k++) {
		t_fill(h, 8 * 256, k);
		memset(ep, 0, 8 * 256);
		/* batch A submitted, batch B only enqueued: B right behind A */
		for (i = 0; i < 4; i++)
			rte_dma_copy(d, 0, t_iova(h + i * 256), ep_addr(&s, i * 256), 256,
				i == 3 ? RTE_DMA_OP_FLAG_SUBMIT : 0);
		for (i = 4; i < 8; i++)
			rte_dma_copy(d, 0, t_iova(h + i * 256), ep_addr(&s, i * 256), 256, 0);
		EP_TEST_ASSERT_EQ(t_collect(d, 4, st, NULL), 4, "batch A");
		ep_model_stats_get(s.m, &ms0);
		/* give the engine every chance to run into B */
		for (i = 0; i < 2000; i++) {
			uint16_t last;

			EP_TEST_ASSERT_EQ(rte_dma_completed_status(d, 0, 8, &last, st), 0,
				"B must not complete");
		}
		ep_model_stats_get(s.m, &ms1);
		EP_TEST_ASSERT_EQ(ms1.elements, ms0.elements, "engine ran unsubmitted work");
		for (i = 4 * 256; i < 8 * 256; i++)
			EP_TEST_ASSERT_EQ(ep[i], 0, "B data moved before submit (byte %u)", i);
		EP_TEST_ASSERT_EQ(rte_dma_submit(d, 0), 0, "submit");
		EP_TEST_ASSERT_EQ(t_collect(d, 4, st, NULL), 4, "batch B");
		EP_TEST_ASSERT(memcmp(h, ep, 8 * 256) == 0, "data");
	}
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- MMIO budget from the counters ------------------------------------------- */
static int
t_budget(const char *layout)
{
	struct rte_pmd_dw_edma_counters c0, c1;
	struct rte_pmd_dw_edma_chan_info ci;
	enum rte_dma_status_code st[32];
	uint8_t *h = t_host_alloc(32 * 128);
	unsigned int round, i, calls;
	struct t_sim s;
	char a[256];
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	d = t_dev(&s, "wr0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_DEV_TO_MEM, 64), 0, "setup");
	EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(d, &ci), 0, "chan info");
	for (round = 0; round < 10; round++) {
		uint16_t got = 0, last;
		uint64_t end = t_deadline(T_TIMEOUT_MS);
		bool wb = ci.completion == RTE_PMD_DW_EDMA_CPL_WRITE_BACK;

		EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_counters_get(d, &c0), 0, "counters");
		for (i = 0; i < 32; i++)
			rte_dma_copy(d, 0, ep_addr(&s, i * 128), t_iova(h + i * 128), 128, 0);
		EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_counters_get(d, &c1), 0, "counters");
		EP_TEST_ASSERT_EQ(c1.mmio_reads, c0.mmio_reads, "no MMIO read on enqueue");
		EP_TEST_ASSERT_EQ(c1.doorbells, c0.doorbells, "no doorbell before submit");
		/*
		 * control and size, SAR, DAR (64-bit each): 3 uncached stores
		 * per element, and the link element's rewrite once per lap
		 */
		EP_TEST_ASSERT(c1.mmio_writes - c0.mmio_writes >= 32 * 3 &&
			c1.mmio_writes - c0.mmio_writes <= 32 * 3 + 1,
			"%" PRIu64 " stores for 32 elements", c1.mmio_writes - c0.mmio_writes);
		c0.mmio_writes = c1.mmio_writes;
		rte_dma_submit(d, 0);
		EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_counters_get(d, &c1), 0, "counters");
		EP_TEST_ASSERT_EQ(c1.doorbells - c0.doorbells, 1, "one doorbell per burst");
		EP_TEST_ASSERT_EQ(c1.mmio_reads - c0.mmio_reads, 1, "only the flush read");
		/*
		 * The burst: 32 elements, the write-back element (3 stores) or the
		 * interrupt flag rewritten on the last element (1), the release of
		 * the first element and the doorbell.
		 */
		EP_TEST_ASSERT(c1.mmio_writes - c0.mmio_writes >= (wb ? 3u : 1u) + 2 &&
			c1.mmio_writes - c0.mmio_writes <= (wb ? 3u : 1u) + 3,
			"%" PRIu64 " stores to close and release the burst",
			c1.mmio_writes - c0.mmio_writes);
		c0 = c1;
		for (calls = 0; got < 32 && !t_expired(end); calls++)
			got += rte_dma_completed_status(d, 0, 32 - got, &last, st + got);
		EP_TEST_ASSERT_EQ(got, 32, "completions");
		EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_counters_get(d, &c1), 0, "counters");
		if (wb)
			/* host memory only, unless no progress for stall_us */
			EP_TEST_ASSERT(c1.mmio_reads - c0.mmio_reads <=
				4 * (c1.stall_checks - c0.stall_checks),
				"%" PRIu64 " reads in %u completed() calls with %" PRIu64
				" stall checks", c1.mmio_reads - c0.mmio_reads, calls,
				c1.stall_checks - c0.stall_checks);
		else
			/* paced LLP reads: never more than one per call */
			EP_TEST_ASSERT(c1.mmio_reads - c0.mmio_reads <= calls + 4 *
				(c1.stall_checks - c0.stall_checks),
				"%" PRIu64 " reads in %u completed() calls",
				c1.mmio_reads - c0.mmio_reads, calls);
		EP_TEST_ASSERT_EQ(c1.doorbells - c1.doorbell_retries,
			c0.doorbells - c0.doorbell_retries, "no doorbell while collecting "
			"except missed-doorbell retries");
		c0 = c1;
		for (i = 0; i < 100; i++)
			rte_dma_completed(d, 0, 32, &last, NULL);
		EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_counters_get(d, &c1), 0, "counters");
		EP_TEST_ASSERT_EQ(c1.mmio_reads, c0.mmio_reads, "idle completed() reads nothing");
	}
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- errors: bad IOVA, EP decode error, injected abort ------------------------ */
static uint8_t not_dpdk_mem[4096];

enum fault { F_IOVA, F_DECODE, F_INJECT };

static int
run_fault(struct t_sim *s, int16_t d, enum fault f, unsigned int fail_at)
{
	enum rte_dma_status_code st[16];
	uint8_t *h = t_host_alloc(16 * 256);
	uint8_t *ep = ep_model_ep_ptr(s->m, ep_addr(s, 0), 16 * 256);
	struct rte_pmd_dw_edma_chan_info ci;
	bool rd = t_is_rd(d), err = false;
	uint16_t n, last = 0;
	uint64_t end;
	unsigned int i;

	rte_pmd_dw_edma_chan_info_get(d, &ci);
	t_fill(rd ? h : ep, 16 * 256, fail_at + f * 16);
	memset(rd ? ep : h, 0, 16 * 256);
	if (f == F_INJECT)
		ep_model_inject_abort(s->m, rd ? EP_MODEL_DIR_RD : EP_MODEL_DIR_WR,
			ci.hw_ch, fail_at);
	for (i = 0; i < 16; i++) {
		rte_iova_t host = t_iova(h + i * 256);
		uint64_t epa = ep_addr(s, i * 256);

		/*
		 * Bad host IOVA: on the read channel a rejected non-posted read,
		 * which silicon aborts too. On the write channel (posted writes,
		 * no completion) silicon does not detect it: that abort is model
		 * behaviour only (see the guide).
		 */
		if (i == fail_at && f == F_IOVA)
			host = (rte_iova_t)(uintptr_t)not_dpdk_mem;
		if (i == fail_at && f == F_DECODE)
			epa = 0x10; /* decodes nowhere on the endpoint */
		EP_TEST_ASSERT(rte_dma_copy(d, 0, rd ? host : epa, rd ? epa : host, 256, 0) >= 0,
			"copy %u", i);
	}
	rte_dma_submit(d, 0);
	/* completed() stops in front of the failed job and says so */
	end = t_deadline(T_TIMEOUT_MS);
	n = 0;
	while (!err && !t_expired(end))
		n += rte_dma_completed(d, 0, 16, &last, &err);
	EP_TEST_ASSERT(err, "has_error (%u completed, last %u)", n, last);
	EP_TEST_ASSERT_EQ(n, fail_at, "jobs before the failure");
	EP_TEST_ASSERT_EQ(rte_dma_completed(d, 0, 16, &last, &err), 0, "stays at the error");
	EP_TEST_ASSERT(err, "has_error again");
	EP_TEST_ASSERT_EQ(t_collect(d, 16 - fail_at, st, NULL), 16 - fail_at, "the rest");
	EP_TEST_ASSERT(st[0] != RTE_DMA_STATUS_SUCCESSFUL, "failed job reports an error");
	/* eDMA v0 error registers give the cause; HDMA native has none */
	if (s->mi.map_format == EP_MODEL_MF_HDMA_NATIVE)
		EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_ERROR_UNKNOWN, "no cause on native");
	else if (f == F_IOVA && rd)
		EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_INVALID_SRC_ADDR, "UR on host read");
	else if (f == F_DECODE)
		EP_TEST_ASSERT_EQ(st[0], rd ? RTE_DMA_STATUS_BUS_WRITE_ERROR :
			RTE_DMA_STATUS_BUS_READ_ERROR, "endpoint app error");
	else if (f == F_INJECT && rd)
		EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_BUS_READ_ERROR, "completer abort");
	/* the later jobs were run again after the recovery */
	for (i = 1; i < 16 - fail_at; i++)
		EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "job %u", fail_at + i);
	for (i = 0; i < 16; i++)
		if (i != fail_at)
			EP_TEST_ASSERT(memcmp(h + i * 256, ep + i * 256, 256) == 0, "data %u", i);
	rte_free(h);
	return 0;
}

static int
t_errors(const char *layout)
{
	static const unsigned int fail_at[] = { 0, 5, 15 };
	struct rte_pmd_dw_edma_counters c;
	struct t_sim s;
	char a[256];
	unsigned int c_i, f, k;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	for (c_i = 0; c_i < 2; c_i++) {
		int16_t d = t_dev(&s, c_i == 0 ? "rd0" : "wr0");
		uint16_t id = 0;

		EP_TEST_ASSERT_EQ(t_chan_setup(d, c_i == 0 ? RTE_DMA_DIR_MEM_TO_DEV :
			RTE_DMA_DIR_DEV_TO_MEM, 32), 0, "setup");
		for (f = F_IOVA; f <= F_INJECT; f++)
			for (k = 0; k < RTE_DIM(fail_at); k++) {
				EP_TEST_ASSERT_EQ(run_fault(&s, d, f, fail_at[k]), 0,
					"%s fault %u at %u", c_i == 0 ? "rd0" : "wr0", f,
					fail_at[k]);
				id += 16;
			}
		rte_pmd_dw_edma_counters_get(d, &c);
		EP_TEST_ASSERT(c.ring_resets >= 9, "recoveries counted");
		/* the channel still works */
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 64, 512, 16, &id), 0, "after errors");
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	}
	return t_sim_close(&s);
}

/* --- link down / READY drop mid-burst ------------------------------------------ */
static int
run_link_loss(const char *layout, bool link)
{
	enum rte_dma_status_code st[64];
	uint8_t *h = t_host_alloc(64 * 1024);
	enum rte_dma_vchan_status vs;
	struct t_sim s;
	unsigned int i, ok = 0, lerr = 0;
	uint64_t end;
	uint16_t id;
	char a[256];
	int16_t d;
	int rc;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 64), 0, "setup");
	/* slow the engine so the loss lands mid-burst */
	ep_model_timing_set(s.m, 20000, 0);
	for (i = 0; i < 64; i++)
		rte_dma_copy(d, 0, t_iova(h + i * 1024), ep_addr(&s, i * 1024), 1024, 0);
	rte_dma_submit(d, 0);
	if (link)
		ep_model_link_set(s.m, false);
	else
		ep_model_ready_set(s.m, false);
	if (!link) {
		/* READY alone: the slow path looks at it on every call */
		rte_dma_vchan_status(d, 0, &vs);
		EP_TEST_ASSERT_EQ(vs, RTE_DMA_VCHAN_HALTED_ERROR, "error state seen");
	}
	/* link down: the fast path alone sees all-ones; no hang either way */
	EP_TEST_ASSERT_EQ(t_collect(d, 64, st, NULL), 64, "every job accounted for");
	rte_dma_vchan_status(d, 0, &vs);
	EP_TEST_ASSERT_EQ(vs, RTE_DMA_VCHAN_HALTED_ERROR, "error state");
	for (i = 0; i < 64; i++) {
		ok += st[i] == RTE_DMA_STATUS_SUCCESSFUL;
		lerr += st[i] == RTE_DMA_STATUS_DEV_LINK_ERROR;
	}
	EP_TEST_ASSERT_EQ(ok + lerr, 64, "success or link error only");
	EP_TEST_ASSERT(lerr > 0, "outstanding jobs fail with link error");
	EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, 0), -EIO,
		"refused while down");
	ep_model_timing_set(s.m, 0, 0);
	if (link)
		ep_model_link_set(s.m, true);
	else
		ep_model_ready_set(s.m, true);
	/* comes back by itself once READY is back */
	end = t_deadline(T_TIMEOUT_MS);
	do {
		uint16_t last;

		rte_dma_completed(d, 0, 1, &last, NULL);
		rc = rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, RTE_DMA_OP_FLAG_SUBMIT);
	} while (rc == -EIO && !t_expired(end));
	EP_TEST_ASSERT(rc >= 0, "device back after READY returned (%d)", rc);
	EP_TEST_ASSERT_EQ(t_collect(d, 1, st, NULL), 1, "first job after recovery");
	EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_SUCCESSFUL, "status");
	id = (uint16_t)(rc + 1);
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 128, 256, 32, &id), 0, "data after recovery");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

static int
t_link(const char *layout)
{
	return run_link_loss(layout, true);
}

static int
t_ready(const char *layout)
{
	return run_link_loss(layout, false);
}

/* --- stop / start ------------------------------------------------------------ */
static int
t_stop_start(void)
{
	struct t_sim s;
	uint8_t *h = t_host_alloc(4096);
	uint16_t id = 0, sib_id = 0;
	unsigned int i;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "layout=edma-unroll,wr=2,rd=2"), 0, "probe");
	d = t_dev(&s, "wr1");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_DEV_TO_MEM, 32), 0, "setup");
	/* a sibling of the same direction keeps running across our stop */
	EP_TEST_ASSERT_EQ(t_chan_setup(t_dev(&s, "wr0"), RTE_DMA_DIR_DEV_TO_MEM, 32), 0, "wr0");
	for (i = 0; i < 3; i++) {
		id = 0;
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 40, 100, 20, &id), 0, "run %u", i);
		/* leave uncollected work behind, then stop */
		rte_dma_copy(d, 0, ep_addr(&s, 0), t_iova(h), 64, RTE_DMA_OP_FLAG_SUBMIT);
		rte_dma_copy(d, 0, ep_addr(&s, 0), t_iova(h), 64, 0);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
		EP_TEST_ASSERT_EQ(rte_dma_start(d), 0, "start");
		EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 32, "empty after restart");
		EP_TEST_ASSERT_EQ(run_jobs(&s, t_dev(&s, "wr0"), false, 8, 64, 8, &sib_id), 0,
			"sibling unaffected");
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop again");
		EP_TEST_ASSERT_EQ(rte_dma_start(d), 0, "start again");
	}
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(rte_dma_stop(t_dev(&s, "wr0")), 0, "stop wr0");
	EP_TEST_ASSERT_EQ(rte_dma_close(d), 0, "close");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- pipelined bursts: doorbells while the engine runs (missed-doorbell) --- */
static int
t_pipeline(const char *layout)
{
	enum rte_dma_status_code st[64];
	struct rte_pmd_dw_edma_counters c;
	struct ep_model_stats ms;
	uint8_t *h = t_host_alloc(64 * 512), *ep;
	unsigned int i, sent = 0, got = 0, k;
	uint64_t end;
	struct t_sim s;
	char a[256];
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	d = t_dev(&s, "rd0");
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), 64 * 512);
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 63), 0, "setup");
	t_fill(h, 64 * 512, 5);
	end = t_deadline(4 * T_TIMEOUT_MS);
	/* keep the ring busy: submit small bursts without waiting */
	while (got < 20000 && !t_expired(end)) {
		uint16_t last;

		for (k = 0; k < 3 && sent < 20000 && rte_dma_burst_capacity(d, 0) > 0; k++) {
			i = sent % 64;
			EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h + i * 512),
				ep_addr(&s, i * 512), 512, k == 2 ? RTE_DMA_OP_FLAG_SUBMIT : 0),
				(uint16_t)sent, "copy %u", sent);
			sent++;
		}
		rte_dma_submit(d, 0);
		k = rte_dma_completed_status(d, 0, 64, &last, st);
		for (i = 0; i < k; i++)
			EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "job %u", got + i);
		got += k;
	}
	EP_TEST_ASSERT_EQ(got, 20000, "all jobs completed");
	EP_TEST_ASSERT(memcmp(h, ep, 64 * 512) == 0, "data");
	rte_pmd_dw_edma_counters_get(d, &c);
	ep_model_stats_get(s.m, &ms);
	printf("  %s: %" PRIu64 " doorbells, %" PRIu64 " re-rung; "
		"model acted %" PRIu64 " lost %" PRIu64 "\n",
		layout, c.doorbells, c.doorbell_retries, ms.doorbells, ms.doorbells_lost);
	{
		/* dev_dump shows the ring, the counters and the metadata summary */
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		EP_TEST_ASSERT(f != NULL, "memstream");
		EP_TEST_ASSERT_EQ(rte_dma_dump(d, f), 0, "dump");
		fclose(f);
		EP_TEST_ASSERT(strstr(buf, "doorbells") != NULL &&
			strstr(buf, "metadata") != NULL && strstr(buf, "ring:") != NULL,
			"dump content:\n%s", buf);
		free(buf);
	}
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- review fixes: retry cap, fence, sg that never fits, HOST_REQ, stop ---- */

/* Host pointer of the DMA register window, from the metadata blob. */
static volatile uint32_t *
t_regs(const struct t_sim *s)
{
	struct ep_model_bar mb, rb;
	const volatile uint32_t *meta;

	if (ep_model_bar_get(s->m, s->mi.metadata_bar, &mb) != 0)
		return NULL;
	meta = mb.addr;
	if (ep_model_bar_get(s->m, meta[2] & 7, &rb) != 0)
		return NULL;
	return (volatile uint32_t *)((uint8_t *)rb.addr +
		(((uint64_t)meta[4] << 32) | meta[3]));
}

/*
 * Switch read channel 0 off behind the driver's back: its doorbells are
 * then ignored, the status says "not running", ABORT stays clear. The driver
 * must not ring forever: after its retry cap the job in front fails with
 * ERROR_UNKNOWN, the channel is reprogrammed (enabled again) and the later
 * jobs run.
 */
static int
t_retry_cap(const char *layout)
{
	enum rte_dma_status_code st[4];
	struct rte_pmd_dw_edma_counters c0, c1;
	uint8_t *h = t_host_alloc(4 * 256), *ep;
	volatile uint32_t *regs;
	struct t_sim s;
	unsigned int i;
	uint16_t id = 0;
	uint64_t end, t0;
	uint16_t got = 0, last;
	char a[256];
	int16_t d;

	/* re-ring after 2 ms without progress, give up after 300 ms */
	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout,
		"stall_us=2000,stall_fail_ms=300")), 0, "probe");
	d = t_dev(&s, "rd0");
	regs = t_regs(&s);
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), 4 * 256);
	EP_TEST_ASSERT(regs != NULL && ep != NULL && h != NULL, "register window, buffers");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 4, 64, 4, &id), 0, "before");
	if (s.mi.map_format == EP_MODEL_MF_HDMA_NATIVE)
		regs[0x100 / 4] = 0;            /* rd0 ch_en */
	else if (s.mi.map_format == EP_MODEL_MF_HDMA_COMPAT)
		regs[0x168 / 4] = 0;            /* rd_ch_pwr_en(0) */
	else
		regs[0x02c / 4] = 0;            /* rd_engine_en */
	rte_pmd_dw_edma_counters_get(d, &c0);
	t_fill(h, 4 * 256, 77);
	memset(ep, 0, 4 * 256);
	for (i = 0; i < 4; i++)
		EP_TEST_ASSERT(rte_dma_copy(d, 0, t_iova(h + i * 256), ep_addr(&s, i * 256), 256,
			i == 3 ? RTE_DMA_OP_FLAG_SUBMIT : 0) >= 0, "copy %u", i);
	/* re-rings every stall_us, then the job in front fails: bounded */
	t0 = rte_get_timer_cycles();
	end = t_deadline(T_TIMEOUT_MS);
	while (got < 4 && !t_expired(end))
		got += rte_dma_completed_status(d, 0, 4 - got, &last, st + got);
	EP_TEST_ASSERT_EQ(got, 4, "every job reported (no endless re-ringing)");
	EP_TEST_ASSERT(rte_get_timer_cycles() - t0 >= rte_get_timer_hz() * 300 / 1000,
		"not failed before stall_fail_ms");
	EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_ERROR_UNKNOWN, "job in front fails");
	for (i = 1; i < 4; i++) {
		EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "job %u replayed", i);
		EP_TEST_ASSERT(memcmp(h + i * 256, ep + i * 256, 256) == 0, "data %u", i);
	}
	rte_pmd_dw_edma_counters_get(d, &c1);
	EP_TEST_ASSERT(c1.doorbell_retries - c0.doorbell_retries >= 2,
		"%" PRIu64 " retries", c1.doorbell_retries - c0.doorbell_retries);
	id += 4;
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 32, 128, 8, &id), 0, "after the recovery");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/*
 * Job 2 of 8 aborts; job 5 was enqueued with FENCE: jobs 3 and 4 are
 * replayed, 5 to 7 end NOT_ATTEMPTED and never run.
 */
static int
t_fence(const char *layout)
{
	enum rte_dma_status_code st[8];
	uint8_t *h = t_host_alloc(8 * 256), *ep;
	struct t_sim s;
	unsigned int i;
	uint16_t id = 0;
	char a[256];
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	d = t_dev(&s, "rd0");
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), 8 * 256);
	EP_TEST_ASSERT(h != NULL && ep != NULL, "buffers");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	t_fill(h, 8 * 256, 9);
	memset(ep, 0, 8 * 256);
	ep_model_inject_abort(s.m, EP_MODEL_DIR_RD, 0, 2);
	for (i = 0; i < 8; i++)
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h + i * 256), ep_addr(&s, i * 256),
			256, i == 5 ? RTE_DMA_OP_FLAG_FENCE : 0), (int)i, "copy %u", i);
	rte_dma_submit(d, 0);
	EP_TEST_ASSERT_EQ(t_collect(d, 8, st, NULL), 8, "all reported");
	for (i = 0; i < 8; i++) {
		enum rte_dma_status_code want = i == 2 ? st[2] : i < 5 ?
			RTE_DMA_STATUS_SUCCESSFUL : RTE_DMA_STATUS_NOT_ATTEMPTED;

		EP_TEST_ASSERT_EQ(st[i], want, "job %u status", i);
	}
	EP_TEST_ASSERT(st[2] != RTE_DMA_STATUS_SUCCESSFUL, "job 2 failed");
	for (i = 0; i < 8; i++) {
		if (i == 2)
			continue;
		if (i < 5) {
			EP_TEST_ASSERT(memcmp(h + i * 256, ep + i * 256, 256) == 0, "data %u", i);
		} else {
			unsigned int k;

			for (k = 0; k < 256; k++)
				EP_TEST_ASSERT_EQ(ep[i * 256 + k], 0, "job %u ran after the fence",
					i);
		}
	}
	/* later work runs normally */
	id = 8;
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 16, 256, 8, &id), 0, "after");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* copy_sg needing more elements than the ring holds: -EINVAL, not -ENOSPC. */
static int
t_sg_never_fits(void)
{
	uint8_t *h = t_host_alloc(4096);
	struct rte_dma_sge sg[3], dg[3];
	enum rte_dma_status_code st[4];
	struct rte_dma_info info;
	struct t_sim s;
	unsigned int i;
	int16_t d;

	EP_TEST_ASSERT(h != NULL, "alloc");
	/* 7 elements: 6 ring slots and the link; LLP completion (no outbound) */
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "layout=edma-unroll,wr=1,rd=1,desc_size=168"), 0,
		"probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(rte_dma_info_get(d, &info), 0, "info");
	EP_TEST_ASSERT_EQ(info.max_sges, 2, "2 x 2 segments (3 elements) fit 5");
	EP_TEST_ASSERT_EQ(info.max_desc, 4, "max_desc");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 4), 0, "setup");
	/* 2 x 100 against (50, 150): overlaps 50, 50, 100 = 3 elements */
	for (i = 0; i < 3; i++) {
		sg[i].addr = t_iova(h + i * 100);
		sg[i].length = 100;
	}
	dg[0].addr = s.mi.ep_mem_addr;
	dg[0].length = 50;
	dg[1].addr = s.mi.ep_mem_addr + 50;
	dg[1].length = 150;
	dg[2].addr = s.mi.ep_mem_addr + 200;
	dg[2].length = 100;
	for (i = 0; i < 3; i++)
		EP_TEST_ASSERT(rte_dma_copy(d, 0, t_iova(h), s.mi.ep_mem_addr, 64, 0) >= 0,
			"copy %u", i);
	EP_TEST_ASSERT_EQ(rte_dma_copy_sg(d, 0, sg, dg, 2, 2, 0), -ENOSPC, "fits later");
	EP_TEST_ASSERT_EQ(rte_dma_submit(d, 0), 0, "submit");
	EP_TEST_ASSERT_EQ(t_collect(d, 3, st, NULL), 3, "ring drained");
	EP_TEST_ASSERT(rte_dma_copy_sg(d, 0, sg, dg, 2, 2, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
		"fits now");
	EP_TEST_ASSERT_EQ(t_collect(d, 1, st, NULL), 1, "sg done");
	EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_SUCCESSFUL, "sg status");
	/* more segments than max_sges never fit */
	dg[1].length = 100;
	EP_TEST_ASSERT_EQ(rte_dma_copy_sg(d, 0, sg, dg, 3, 3, 0), -EINVAL, "never fits");
	EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 4, "nothing taken");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* Print the model's recorded violations (the first few), for a failure. */
static void
t_host_req_viol_dump(const struct t_sim *s)
{
	char v[160];
	unsigned int i;

	for (i = 0; ep_model_violation_get(s->m, i, v, sizeof(v)) == 0; i++)
		printf("  violation %u: %s\n", i, v);
}

/*
 * The endpoint re-ran epc_deinit + epc_init (hardware reference B.4, the
 * model's ep_model_reinit()): channels quiesced, READY and HOST_REQ both clear,
 * register block reset. Jobs in flight end with a link error; READY comes back
 * only if the driver raises HOST_REQ again, then the device works.
 */
static int
t_host_req(const char *layout)
{
	const uint32_t host_req = 1u << 30, ready = 1u << 31;
	enum rte_dma_status_code st[8];
	uint8_t *h = t_host_alloc(8 * 256);
	enum rte_dma_vchan_status vs;
	struct ep_model_bar mb;
	volatile uint32_t *ctrl;
	struct t_sim s;
	unsigned int i, ok = 0;
	uint16_t id = 0, last;
	uint64_t end;
	char a[256];
	int16_t d;
	int rc;

	EP_TEST_ASSERT(h != NULL, "alloc");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(ep_model_bar_get(s.m, s.mi.metadata_bar, &mb), 0, "meta BAR");
	/* read only: the CTRL word is watched, never written, by the test */
	ctrl = (volatile uint32_t *)((uint8_t *)mb.addr + 8);
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 8, 64, 8, &id), 0, "before");
	/* jobs in flight at the re-init: 40 ms an element keeps them there */
	ep_model_timing_set(s.m, 40 * 1000 * 1000, 0);
	for (i = 0; i < 8; i++)
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h + i * 256), ep_addr(&s, i * 256),
			256, 0), (int)(uint16_t)(id + i), "copy %u", i);
	EP_TEST_ASSERT_EQ(rte_dma_submit(d, 0), 0, "submit");
	EP_TEST_ASSERT_EQ(ep_model_reinit(s.m), 0, "endpoint re-init");
	ep_model_timing_set(s.m, 0, 0);
	EP_TEST_ASSERT_EQ(*ctrl & (host_req | ready), 0, "endpoint cleared H and R (0x%08x)",
		*ctrl);
	/* every job in flight gets its final status: a prefix done, the rest link error */
	EP_TEST_ASSERT_EQ(t_collect(d, 8, st, &last), 8, "jobs in flight collected");
	EP_TEST_ASSERT_EQ(last, (uint16_t)(id + 7), "last id");
	for (i = 0; i < 8; i++) {
		if (st[i] == RTE_DMA_STATUS_SUCCESSFUL) {
			EP_TEST_ASSERT_EQ(ok, i, "successes are a prefix");
			ok++;
		} else {
			EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_DEV_LINK_ERROR, "job %u", i);
		}
	}
	EP_TEST_ASSERT(ok < 8, "some jobs were in flight at the re-init (%u done)", ok);
	/* the driver, in its error state, asks again */
	end = t_deadline(T_TIMEOUT_MS);
	while (!(*ctrl & host_req) && !t_expired(end))
		rte_dma_vchan_status(d, 0, &vs);
	EP_TEST_ASSERT(*ctrl & host_req, "driver re-raised HOST_REQ (CTRL 0x%08x)", *ctrl);
	/* READY returns (model poll work), the driver re-validates and restarts */
	do {
		rte_dma_vchan_status(d, 0, &vs);
	} while (vs == RTE_DMA_VCHAN_HALTED_ERROR && !t_expired(end));
	EP_TEST_ASSERT(vs != RTE_DMA_VCHAN_HALTED_ERROR, "device left the error state "
		"(CTRL 0x%08x)", *ctrl);
	EP_TEST_ASSERT_EQ(*ctrl & (host_req | ready), host_req | ready, "H and R set");
	rc = rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, RTE_DMA_OP_FLAG_SUBMIT);
	EP_TEST_ASSERT(rc >= 0, "copy after recovery (%d)", rc);
	EP_TEST_ASSERT_EQ(t_collect(d, 1, st, &last), 1, "first job after recovery");
	EP_TEST_ASSERT_EQ(last, (uint16_t)rc, "its id");
	EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_SUCCESSFUL, "status");
	id = (uint16_t)(rc + 1);
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 32, 256, 16, &id), 0, "after (data checked)");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	if (ep_model_violations(s.m) != 0)
		t_host_req_viol_dump(&s);
	EP_TEST_ASSERT_EQ(ep_model_violations(s.m), 0, "no host write while READY was 0");
	rte_free(h);
	return t_sim_close(&s);
}

/*
 * stop() with jobs still running while a sibling of the same direction keeps
 * the eDMA engine enabled: the channel must really stop (doorbell STOP), the
 * jobs left are reported NOT_ATTEMPTED after stop and counted once.
 */
static int
t_stop_running(const char *layout)
{
	enum rte_dma_status_code st[8];
	struct ep_model_stats m0, m1;
	struct rte_dma_stats ds;
	uint8_t *h = t_host_alloc(8 * 256);
	struct t_sim s;
	unsigned int i, ok = 0;
	uint16_t id = 0, sib = 0, last;
	uint64_t end;
	char a[256];
	int16_t d, w0;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	d = t_dev(&s, "wr1");
	w0 = t_dev(&s, "wr0");
	EP_TEST_ASSERT_EQ(t_chan_setup(w0, RTE_DMA_DIR_DEV_TO_MEM, 16), 0, "sibling");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_DEV_TO_MEM, 16), 0, "setup");
	ep_model_timing_set(s.m, 40 * 1000 * 1000, 0); /* 40 ms an element */
	for (i = 0; i < 8; i++)
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, ep_addr(&s, i * 256), t_iova(h + i * 256),
			256, 0), (int)i, "copy %u", i);
	rte_dma_submit(d, 0);
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	ep_model_stats_get(s.m, &m0);
	/* an observation window, not synchronisation: nothing may run now */
	rte_delay_us_sleep(200 * 1000);
	ep_model_stats_get(s.m, &m1);
	ep_model_timing_set(s.m, 0, 0);
	EP_TEST_ASSERT_EQ(m1.elements, m0.elements, "channel still running after stop");
	/* every job has its final status and can be collected before start */
	EP_TEST_ASSERT_EQ(rte_dma_completed_status(d, 0, 8, &last, st), 8, "collect after stop");
	EP_TEST_ASSERT_EQ(last, 7, "last id");
	for (i = 0; i < 8; i++) {
		if (st[i] == RTE_DMA_STATUS_SUCCESSFUL) {
			EP_TEST_ASSERT_EQ(ok, i, "successes are a prefix");
			ok++;
		} else {
			EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_NOT_ATTEMPTED, "job %u", i);
		}
	}
	EP_TEST_ASSERT(ok < 8, "some jobs were left at stop (%u done)", ok);
	EP_TEST_ASSERT_EQ(rte_dma_stats_get(d, 0, &ds), 0, "stats");
	EP_TEST_ASSERT_EQ(ds.completed, 8, "each job counted once");
	EP_TEST_ASSERT_EQ(ds.errors, 8 - ok, "not attempted counted as errors");
	EP_TEST_ASSERT_EQ(rte_dma_start(d), 0, "start");
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 16, 128, 8, &id), 0, "after restart");
	EP_TEST_ASSERT_EQ(run_jobs(&s, w0, false, 8, 64, 8, &sib), 0, "sibling unaffected");
	EP_TEST_ASSERT_EQ(rte_dma_stats_get(d, 0, &ds), 0, "stats");
	EP_TEST_ASSERT_EQ(ds.completed, 24, "counted once across stop/start");
	/* stop with jobs left, start without collecting: still counted once */
	end = t_deadline(T_TIMEOUT_MS);
	rte_dma_copy(d, 0, ep_addr(&s, 0), t_iova(h), 64, 0);
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(rte_dma_start(d), 0, "start");
	EP_TEST_ASSERT_EQ(rte_dma_stats_get(d, 0, &ds), 0, "stats");
	EP_TEST_ASSERT_EQ(ds.completed, 25, "uncollected job counted at start");
	EP_TEST_ASSERT(!t_expired(end), "bounded");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(rte_dma_stop(w0), 0, "stop wr0");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- probe refusals ------------------------------------------------------------ */
static int
t_refusals(void)
{
	struct t_sim s;

	EP_TEST_ASSERT(t_sim_open(&s, "layout=edma-legacy,wr=1,rd=1") != 0, "legacy refused");
	EP_TEST_ASSERT(t_sim_open(&s, "wr=1,rd=1,bogus_key=1") != 0, "unknown key refused");
	EP_TEST_ASSERT(t_sim_open(&s, "wr=1,rd=1,ready_timeout_ms=abc") != 0, "bad value");
	/* READY never comes: the endpoint polls slower than we wait */
	EP_TEST_ASSERT(t_sim_open(&s, "wr=1,rd=1,ready_poll_ms=2000,ready_timeout_ms=20") != 0,
		"READY timeout");
	/* a slow endpoint within the timeout is fine */
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "wr=1,rd=1,ready_poll_ms=200"), 0, "slow READY");
	return t_sim_close(&s);
}

/*
 * A stalled engine (ep_model_pause: a descheduled engine thread, as on a
 * heavily loaded host) is not a failed job. Paused before the doorbell, the
 * engine reads stopped with work released: the driver re-rings every
 * stall_us (1 ms on the sim) for the whole pause, three times the 64
 * re-rings after which an older driver gave up ("engine stays stopped at
 * slot N after 64 doorbells"); paused while running, it reads running and
 * the driver just waits. Every job of both directions must succeed, data
 * intact, the re-rings counted. With a give-up shorter than the pause
 * (stall_fail_ms=50) the same stall fails the job in front with
 * ERROR_UNKNOWN, reproducibly: that is the reported failure, and the
 * channel works again once the engine is back.
 */
static int
t_engine_pause(const char *layout)
{
	static const char *const chans[] = { "rd0", "wr0" };
	struct rte_pmd_dw_edma_counters c0, c1;
	enum rte_dma_status_code st[8];
	uint8_t *h = t_host_alloc(8 * 512), *ep;
	struct t_sim s;
	unsigned int c, i, round;
	uint16_t id[2] = { 0, 0 }, got, last;
	char a[256];

	EP_TEST_ASSERT(h != NULL, "buffer");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), 8 * 512);
	for (c = 0; c < 2; c++)
		EP_TEST_ASSERT_EQ(t_chan_setup(t_dev(&s, chans[c]), c == 0 ?
			RTE_DMA_DIR_MEM_TO_DEV : RTE_DMA_DIR_DEV_TO_MEM, 64), 0, "setup");
	for (round = 0; round < 2; round++) {
		for (c = 0; c < 2; c++) {
			int16_t d = t_dev(&s, chans[c]);
			uint8_t *src = c == 0 ? h : ep, *dst = c == 0 ? ep : h;

			rte_pmd_dw_edma_counters_get(d, &c0);
			t_fill(src, 8 * 512, round * 2 + c);
			memset(dst, 0, 8 * 512);
			/* round 0: paused before the doorbell; 1: while running */
			if (round == 0)
				ep_model_pause(s.m, 200 * 1000);
			else
				ep_model_timing_set(s.m, 20 * 1000, 0);
			for (i = 0; i < 8; i++) {
				rte_iova_t hi = t_iova(h + i * 512);
				uint64_t ea = ep_addr(&s, i * 512);

				EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, c == 0 ? hi : ea,
					c == 0 ? ea : hi, 512, i == 7 ? RTE_DMA_OP_FLAG_SUBMIT : 0),
					id[c]++, "copy %u", i);
			}
			if (round == 1) {
				rte_delay_us_block(30);
				ep_model_pause(s.m, 200 * 1000);
			}
			got = 0;
			{
				uint64_t end = t_deadline(T_TIMEOUT_MS);

				while (got < 8 && !t_expired(end))
					got += rte_dma_completed_status(d, 0, 8 - got, &last,
						st + got);
			}
			ep_model_timing_set(s.m, 0, 0);
			EP_TEST_ASSERT_EQ(got, 8, "%s round %u: every job reported", chans[c],
				round);
			for (i = 0; i < 8; i++)
				EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL,
					"%s round %u job %u", chans[c], round, i);
			EP_TEST_ASSERT(memcmp(src, dst, 8 * 512) == 0, "%s round %u data",
				chans[c], round);
			rte_pmd_dw_edma_counters_get(d, &c1);
			if (round == 0)
				/* about 200 on an idle host; fewer when polls are starved */
				EP_TEST_ASSERT(c1.doorbell_retries - c0.doorbell_retries >= 2,
					"%s: the stall was re-rung through (%" PRIu64 " re-rings)",
					chans[c], c1.doorbell_retries - c0.doorbell_retries);
		}
	}
	for (c = 0; c < 2; c++)
		EP_TEST_ASSERT_EQ(rte_dma_stop(t_dev(&s, chans[c])), 0, "stop");
	EP_TEST_ASSERT_EQ(t_sim_close(&s), 0, "close");

	/* the same stall with a give-up shorter than it */
	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout,
		"stall_fail_ms=50")), 0, "probe");
	{
		int16_t d = t_dev(&s, "rd0");
		uint16_t n = 0, nid = 1;
		uint64_t end;

		EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 64), 0, "setup");
		/* long enough that a starved poller still sees the give-up */
		ep_model_pause(s.m, 2000 * 1000);
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 512,
			RTE_DMA_OP_FLAG_SUBMIT), 0, "copy");
		end = t_deadline(T_TIMEOUT_MS);
		while (n < 1 && !t_expired(end))
			n += rte_dma_completed_status(d, 0, 1, &last, st);
		EP_TEST_ASSERT_EQ(n, 1, "reported");
		EP_TEST_ASSERT_EQ(st[0], RTE_DMA_STATUS_ERROR_UNKNOWN,
			"stall longer than stall_fail_ms fails the job in front");
		ep_model_pause(s.m, 0);
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 16, 256, 8, &nid), 0, "after the stall");
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	}
	rte_free(h);
	return t_sim_close(&s);
}

/*
 * LLP completion paces its register reads by an estimate learnt from earlier
 * batches, timed by the caller's polls. A tiny batch polled late (the caller
 * busy elsewhere for 50 ms) makes the estimate huge; a large batch after it
 * must still be seen done within about stall_us of finishing, not after the
 * minutes the estimate predicts (the soak saw jobs unreported for 20 s).
 */
static int
t_llp_pacing(const char *layout)
{
	enum rte_dma_status_code st[64];
	uint8_t *h = t_host_alloc(64 * 4096);
	struct t_sim s;
	uint64_t t0, ms;
	uint16_t got, last;
	unsigned int i;
	char a[256];
	int16_t d;

	EP_TEST_ASSERT(h != NULL, "buffer");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "completion=llp")), 0,
		"probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 128), 0, "setup");
	EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 1,
		RTE_DMA_OP_FLAG_SUBMIT), 0, "tiny job");
	rte_delay_us_block(50 * 1000);
	EP_TEST_ASSERT_EQ(t_collect(d, 1, st, &last), 1, "tiny job done");
	t_fill(h, 64 * 4096, 5);
	for (i = 0; i < 64; i++)
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h + i * 4096), ep_addr(&s, i * 4096),
			4096, i == 63 ? RTE_DMA_OP_FLAG_SUBMIT : 0), (int)i + 1, "copy %u", i);
	t0 = rte_get_timer_cycles();
	got = t_collect(d, 64, st, &last);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	EP_TEST_ASSERT_EQ(got, 64, "large batch reported (after %" PRIu64 " ms)", ms);
	/* before the fix: minutes; a starved poller may take a while */
	EP_TEST_ASSERT(ms < 4000, "large batch seen done after %" PRIu64 " ms", ms);
	for (i = 0; i < 64; i++)
		EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "job %u", i);
	EP_TEST_ASSERT(memcmp(h, ep_model_ep_ptr(s.m, ep_addr(&s, 0), 64 * 4096), 64 * 4096)
		== 0, "data");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/*
 * Two channels of a direction abort together; their recoveries write the
 * direction's shared int_clear word one after the other while the engine is
 * paused, so the device sees only the second write (a software model, or
 * any device applying posted writes late, merges them). The first channel's
 * ABORT stays set: its recovery must clear again rather than wait forever
 * (before: its jobs were never reported).
 */
static int
t_clear_merge(const char *layout)
{
	static const char *const chans[] = { "wr0", "wr1" };
	enum rte_dma_status_code st[2][4];
	uint8_t *h = t_host_alloc(2 * 4 * 256);
	uint16_t got[2] = { 0, 0 }, last;
	struct t_sim s;
	unsigned int c, i;
	uint64_t end;
	char a[256];

	EP_TEST_ASSERT(h != NULL, "buffer");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout, "")), 0, "probe");
	for (c = 0; c < 2; c++) {
		int16_t d = t_dev(&s, chans[c]);

		EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_DEV_TO_MEM, 16), 0, "setup");
		EP_TEST_ASSERT_EQ(ep_model_inject_abort(s.m, EP_MODEL_DIR_WR, c, 0), 0, "inject");
		for (i = 0; i < 4; i++)
			EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, ep_addr(&s, (c * 4 + i) * 256),
				t_iova(h + (c * 4 + i) * 256), 256,
				i == 3 ? RTE_DMA_OP_FLAG_SUBMIT : 0), (int)i, "copy");
		/* one at a time: the eDMA doorbell word is shared too */
		rte_delay_us_block(10 * 1000);
	}
	/* both halted at their first job; now the engine stops noticing writes */
	ep_model_pause(s.m, 100 * 1000);
	end = t_deadline(T_TIMEOUT_MS);
	while ((got[0] < 4 || got[1] < 4) && !t_expired(end))
		for (c = 0; c < 2; c++)
			got[c] += rte_dma_completed_status(t_dev(&s, chans[c]), 0, 4 - got[c],
				&last, st[c] + got[c]);
	for (c = 0; c < 2; c++) {
		EP_TEST_ASSERT_EQ(got[c], 4, "%s: every job reported", chans[c]);
		EP_TEST_ASSERT(st[c][0] != RTE_DMA_STATUS_SUCCESSFUL, "%s: job 0 aborted",
			chans[c]);
		for (i = 1; i < 4; i++)
			EP_TEST_ASSERT_EQ(st[c][i], RTE_DMA_STATUS_SUCCESSFUL, "%s job %u",
				chans[c], i);
		EP_TEST_ASSERT_EQ(rte_dma_stop(t_dev(&s, chans[c])), 0, "stop");
	}
	rte_free(h);
	return t_sim_close(&s);
}

#define PER_LAYOUT(fn) \
	static int fn ## _unroll(void) { return fn(layouts[0]); } \
	static int fn ## _compat(void) { return fn(layouts[1]); } \
	static int fn ## _native(void) { return fn(layouts[2]); }
#define CASES(fn) \
	{ #fn "_edma_unroll", fn ## _unroll }, \
	{ #fn "_hdma_compat", fn ## _compat }, \
	{ #fn "_hdma_native", fn ## _native }

PER_LAYOUT(t_probe)
PER_LAYOUT(t_data)
PER_LAYOUT(t_placement)
PER_LAYOUT(t_wrap)
PER_LAYOUT(t_sg)
PER_LAYOUT(t_no_run_before_submit)
PER_LAYOUT(t_budget)
PER_LAYOUT(t_errors)
PER_LAYOUT(t_link)
PER_LAYOUT(t_ready)
PER_LAYOUT(t_pipeline)
PER_LAYOUT(t_retry_cap)
PER_LAYOUT(t_fence)
PER_LAYOUT(t_host_req)
PER_LAYOUT(t_stop_running)
PER_LAYOUT(t_engine_pause)
PER_LAYOUT(t_llp_pacing)
PER_LAYOUT(t_clear_merge)

/*
 * completion=imwr on HDMA native, a read channel without an outbound window:
 * the last element of each batch asks for an IMWr into a host word; the
 * driver reads LLP once per IMWr, not per poll. The model's IMWr goes
 * through the host IOMMU: none may be dropped. On eDMA the devarg falls
 * back to LLP reads; an abort still reaches completed() with its status.
 */
static int
t_imwr(void)
{
	struct rte_pmd_dw_edma_counters c0, c1;
	struct rte_pmd_dw_edma_chan_info ci;
	struct ep_model_stats ms;
	struct t_sim s;
	uint16_t id = 0;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "layout=hdma-native,wr=1,rd=1,completion=imwr"), 0,
		"probe");
	d = t_dev(&s, "rd0");
	/* the mode is known from the probe on, not only after a start */
	EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(d, &ci), 0, "chan info");
	EP_TEST_ASSERT_EQ(ci.completion, RTE_PMD_DW_EDMA_CPL_IMWR, "IMWr before start");
	EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(t_dev(&s, "wr0"), &ci), 0, "wr info");
	EP_TEST_ASSERT_EQ(ci.completion, RTE_PMD_DW_EDMA_CPL_WRITE_BACK, "wr0 before start");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 64), 0, "setup");
	EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(d, &ci), 0, "chan info");
	EP_TEST_ASSERT_EQ(ci.completion, RTE_PMD_DW_EDMA_CPL_IMWR, "IMWr completion");
	rte_pmd_dw_edma_counters_get(d, &c0);
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 640, 256, 32, &id), 0, "jobs");
	rte_pmd_dw_edma_counters_get(d, &c1);
	ep_model_stats_get(s.m, &ms);
	EP_TEST_ASSERT(ms.imwr >= 20 && ms.imwr_faults == 0, "%" PRIu64 " IMWrs, %" PRIu64
		" dropped", ms.imwr, ms.imwr_faults);
	printf("  IMWr completion: %" PRIu64 " MMIO reads for 20 bursts (20 flush reads), "
		"%" PRIu64 " IMWrs, %" PRIu64 " stall checks\n", c1.mmio_reads - c0.mmio_reads,
		ms.imwr, c1.stall_checks - c0.stall_checks);
	/* the flush read per burst, one LLP read per IMWr seen, the stall checks */
	EP_TEST_ASSERT(c1.mmio_reads - c0.mmio_reads <= 20 + ms.imwr +
		4 * (c1.stall_checks - c0.stall_checks), "%" PRIu64 " reads for 20 bursts",
		c1.mmio_reads - c0.mmio_reads);
	id += 640;
	EP_TEST_ASSERT_EQ(run_fault(&s, d, F_INJECT, 5), 0, "abort with IMWr");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(t_sim_close(&s), 0, "close");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "layout=edma-unroll,wr=1,rd=1,completion=imwr"), 0,
		"probe eDMA");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 64), 0, "setup");
	EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(d, &ci), 0, "chan info");
	EP_TEST_ASSERT_EQ(ci.completion, RTE_PMD_DW_EDMA_CPL_LLP, "no IMWr on eDMA");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	return t_sim_close(&s);
}

/*
 * Write-back completion with an LLP register that trails the host word
 * (model llp_lag=1) on a ring kept full, slow elements so that the stall
 * diagnosis runs while the engine works. An LLP read behind the position the
 * word gave must not count as progress: on a full ring it named a slot a
 * lap behind, the driver took a lap of unfinished jobs as done and wrote
 * over elements the engine had not run (found by the app: jobs reported
 * done without their data, then a channel that never moved again). Every
 * job reported done has its data; none is lost.
 */
static int
t_llp_lag(const char *layout)
{
	enum rte_dma_status_code st[64];
	const unsigned int nb = 600, len = 64, burst = 8;
	uint8_t *h = t_host_alloc((size_t)nb * len), *ep;
	struct rte_dma_stats ds;
	struct rte_dma_info info;
	unsigned int sent = 0, done = 0, j;
	uint64_t end;
	struct t_sim s;
	uint16_t last;
	char a[256];
	int16_t d;

	EP_TEST_ASSERT(h != NULL, "buffer");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, sim_args(a, sizeof(a), layout,
		"llp_lag=1,element_ns=100000,stall_us=50,desc_size=4096")), 0, "probe");
	d = t_dev(&s, "wr0");
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), (size_t)nb * len);
	EP_TEST_ASSERT(ep != NULL, "endpoint memory");
	t_fill(ep, (size_t)nb * len, 9);
	memset(h, 0, (size_t)nb * len);
	EP_TEST_ASSERT_EQ(rte_dma_info_get(d, &info), 0, "info");
	/* the whole ring: it fills up between two completions */
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_DEV_TO_MEM, info.max_desc), 0, "setup");
	end = t_deadline(T_TIMEOUT_MS);
	while (done < nb && !t_expired(end)) {
		uint16_t got, n;

		/* top the ring up in bursts: it stays full while the engine runs */
		while (sent < nb && rte_dma_burst_capacity(d, 0) >= burst) {
			n = (uint16_t)RTE_MIN(burst, nb - sent);
			for (j = 0; j < n; j++, sent++)
				EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0,
					ep_addr(&s, (uint64_t)sent * len),
					t_iova(h + (size_t)sent * len), len,
					j == n - 1u ? RTE_DMA_OP_FLAG_SUBMIT : 0),
					(int)(sent & 0xffff), "copy %u", sent);
		}
		got = rte_dma_completed_status(d, 0, RTE_DIM(st), &last, st);
		for (j = 0; j < got; j++, done++) {
			EP_TEST_ASSERT_EQ(st[j], RTE_DMA_STATUS_SUCCESSFUL, "job %u", done);
			/* reported done: its data is there now */
			EP_TEST_ASSERT(memcmp(h + (size_t)done * len, ep + (size_t)done * len,
				len) == 0, "job %u reported done before its data landed", done);
		}
	}
	EP_TEST_ASSERT_EQ(done, nb, "every job reported (%u sent)", sent);
	EP_TEST_ASSERT_EQ(rte_dma_stats_get(d, 0, &ds), 0, "stats");
	EP_TEST_ASSERT_EQ(ds.errors, 0, "errors");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(ep_model_violations(s.m), 0, "violations");
	rte_free(h);
	return t_sim_close(&s);
}

PER_LAYOUT(t_llp_lag)

static const struct ep_test_case cases[] = {
	CASES(t_probe),
	CASES(t_data),
	CASES(t_placement),
	CASES(t_wrap),
	{ "t_id_wrap", t_id_wrap },
	{ "t_capacity", t_capacity },
	{ "t_completed_api", t_completed_api },
	CASES(t_sg),
	CASES(t_no_run_before_submit),
	CASES(t_budget),
	CASES(t_errors),
	CASES(t_link),
	CASES(t_ready),
	CASES(t_pipeline),
	{ "t_stop_start", t_stop_start },
	CASES(t_retry_cap),
	CASES(t_fence),
	{ "t_sg_never_fits", t_sg_never_fits },
	CASES(t_host_req),
	CASES(t_stop_running),
	CASES(t_engine_pause),
	CASES(t_llp_pacing),
	CASES(t_clear_merge),
	CASES(t_llp_lag),
	{ "t_refusals", t_refusals },
	{ "t_imwr", t_imwr },
};

int
main(int argc, char **argv)
{
	return ep_test_eal_main(argc, argv, "dw_edma", cases, RTE_DIM(cases),
		NULL);
}
