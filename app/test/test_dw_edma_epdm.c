/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * The EPDM v1 front end (hardware reference F): read channels an endpoint
 * exports through its vNTB function, on the simulated endpoint.
 *
 * epdm_*: the functional suite's read-channel cases on an EPDM endpoint
 * (probe and naming, data byte for byte, MEM_TO_MEM, scatter-gather, ring
 * wrap, aborts with their status and recovery, stop/start, link down/up,
 * the slice torn down and changed, both exports on one endpoint).
 *
 * slice_*: hostile slices, one field broken at a time in an otherwise valid
 * header (the model's slice_file key), locator (stored into the vNTB
 * control region, which the model does not watch) or devarg. The probe must
 * fail with a log line naming the field, and nothing may have been written
 * to the device: every BAR compares equal and the model saw no host write.
 * Usage: test_dw_edma_epdm <EAL args> [-- case-filter]
 */

#include <ctype.h>
#include <unistd.h>

#include "test_dw_edma_common.h"

#define OUTB		",outbound=0x1000000000000"

/*
 * Run nb jobs of len bytes in bursts on dev (a read channel, or MEM_TO_MEM
 * with m2m); check ids, statuses and the data byte for byte.
 */
static int
run_jobs(struct t_sim *s, int16_t dev, bool m2m, unsigned int nb, uint32_t len,
		unsigned int burst, uint16_t *id)
{
	enum rte_dma_status_code st[256];
	size_t total = (size_t)nb * len;
	uint8_t *h1 = t_host_alloc(total), *h2 = t_host_alloc(total);
	uint8_t *ep = ep_model_ep_ptr(s->m, ep_addr(s, 0), total);
	uint8_t *dst = m2m ? h2 : ep;
	unsigned int done = 0, j;
	int rc = -1;

	if (h1 == NULL || h2 == NULL || ep == NULL || burst > RTE_DIM(st)) {
		printf("  no buffers for %u x %u\n", nb, len);
		goto out;
	}
	t_fill(h1, total, *id);
	memset(dst, 0, total);
	while (done < nb) {
		unsigned int n = RTE_MIN(burst, nb - done);
		uint16_t last = 0, got;

		for (j = 0; j < n; j++) {
			size_t off = (size_t)(done + j) * len;
			int r = rte_dma_copy(dev, 0, t_iova(h1 + off),
				m2m ? t_iova(h2 + off) : ep_addr(s, off), len, 0);

			if (r != *id) {
				printf("  copy %u returned %d, expected id %u\n", done + j, r, *id);
				goto out;
			}
			(*id)++;
		}
		if (rte_dma_submit(dev, 0) != 0)
			goto out;
		got = t_collect(dev, n, st, &last);
		if (got != n || last != (uint16_t)(*id - 1)) {
			printf("  burst at %u: %u of %u completions, last %u\n", done, got, n,
				last);
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
		if (h1[j] != dst[j]) {
			printf("  data mismatch at byte %u (job %u)\n", j, j / len);
			goto out;
		}
	rc = 0;
out:
	rte_free(h1);
	rte_free(h2);
	return rc;
}

static bool
dump_has(int16_t d, const char *what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool found;

	if (f == NULL)
		return false;
	rte_dma_dump(d, f);
	fclose(f);
	found = buf != NULL && strstr(buf, what) != NULL;
	free(buf);
	return found;
}

/* --- probe, naming, info, the ways to find the slice ----------------------- */
static int
t_epdm_probe(void)
{
	static const char *const ways[] = {
		"export=epdm,rd=1",                                  /* glue: the locator */
		"export=epdm,rd=1,epdm_ntb_bar=0",
		"export=epdm,rd=1,epdm_bar=4",                       /* size from the header */
		"export=epdm,rd=1,epdm_bar=4,epdm_offset=0,epdm_size=0x4000",
		"export=epdm,rd=1,slice_ctrl=outside,reg_bar=2",     /* registers elsewhere */
		"export=epdm,rd=1,slice_bar=2,slice_off=0x10000,ntb_bar=none",
		"export=epdm,rd=1,ntb_bar=3,meta_bar=3",
	};
	struct rte_pmd_dw_edma_chan_info ci;
	struct rte_dma_info info;
	struct t_sim s;
	unsigned int i;
	uint16_t id;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=2,desc_size=8192" OUTB), 0, "probe");
	EP_TEST_ASSERT(t_dev(&s, "rd0") >= 0 && t_dev(&s, "rd1") >= 0, "read channels");
	EP_TEST_ASSERT(t_dev(&s, "wr0") < 0, "no write channel");
	EP_TEST_ASSERT(t_dev(&s, "rd2") < 0, "rd2 should not exist");
	for (i = 0; i < 2; i++) {
		d = t_dev(&s, i == 0 ? "rd0" : "rd1");
		EP_TEST_ASSERT_EQ(rte_dma_info_get(d, &info), 0, "info");
		EP_TEST_ASSERT_EQ(info.max_desc, 8192 / 24 - 3, "max_desc from the window");
		EP_TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_MEM_TO_DEV, "MEM_TO_DEV");
		EP_TEST_ASSERT(!(info.dev_capa & RTE_DMA_CAPA_DEV_TO_MEM), "not DEV_TO_MEM");
		EP_TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM, "outbound gives m2m");
		EP_TEST_ASSERT_EQ(rte_pmd_dw_edma_chan_info_get(d, &ci), 0, "chan info");
		EP_TEST_ASSERT_EQ(ci.dir, RTE_PMD_DW_EDMA_DIR_RD, "read channel");
		EP_TEST_ASSERT_EQ(ci.hw_ch, i, "hardware read channel i");
		EP_TEST_ASSERT_EQ(ci.map_format, 1, "eDMA unroll");
		EP_TEST_ASSERT_EQ(ci.func_num, s.mi.func_num, "function number");
	}
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT(dump_has(d, "EPDM v1 slice: BAR4 + 0x0"), "dump names the slice");
	{
		struct rte_dma_conf conf = { .nb_vchans = 1 };
		struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_DEV_TO_MEM,
			.nb_desc = 32 };

		vc.src_port.port_type = RTE_DMA_PORT_PCIE;
		EP_TEST_ASSERT_EQ(rte_dma_configure(d, &conf), 0, "configure");
		EP_TEST_ASSERT(rte_dma_vchan_setup(d, 0, &vc) < 0, "no DEV_TO_MEM on rd");
	}
	EP_TEST_ASSERT_EQ(t_sim_close(&s), 0, "close");
	for (i = 0; i < RTE_DIM(ways); i++) {
		EP_TEST_ASSERT_EQ(t_sim_open(&s, ways[i]), 0, "probe with %s", ways[i]);
		d = t_dev(&s, "rd0");
		id = 0;
		EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 32, 500, 8, &id), 0, "data, %s",
			ways[i]);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
		EP_TEST_ASSERT_EQ(t_sim_close(&s), 0, "close with %s", ways[i]);
	}
	return 0;
}

/* --- data byte for byte and MEM_TO_MEM -------------------------------------- */
static int
t_epdm_data(void)
{
	static const uint32_t lens[] = { 1, 3, 64, 1000, 4096, 65536 };
	struct t_sim s;
	unsigned int c, l;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=2" OUTB), 0, "probe");
	for (c = 0; c < 2; c++) {
		int16_t d = t_dev(&s, c == 0 ? "rd0" : "rd1");
		uint16_t id = 0;

		EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 64), 0, "setup");
		for (l = 0; l < RTE_DIM(lens); l++)
			EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 8, lens[l], 8, &id), 0,
				"rd%u len %u", c, lens[l]);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
		EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_MEM, 64), 0, "m2m setup");
		id = 0;
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, true, 16, 777, 16, &id), 0, "m2m rd%u", c);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	}
	return t_sim_close(&s);
}

/* --- scatter-gather with uneven splits ---------------------------------------- */
static int
t_epdm_sg(void)
{
	uint8_t *h = t_host_alloc(16384), *ep;
	struct t_sim s;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=1" OUTB), 0, "probe");
	d = t_dev(&s, "rd0");
	ep = ep_model_ep_ptr(s.m, ep_addr(&s, 0), 16384);
	EP_TEST_ASSERT(h != NULL && ep != NULL, "buffers");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 32), 0, "setup");
	EP_TEST_ASSERT_EQ(t_sg_scatter(&s, d, true, h, ep, 77), 0, "rd0");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/* --- ring wrap over many laps, uneven bursts -------------------------------- */
static int
t_epdm_wrap(void)
{
	struct t_sim s;
	uint16_t id = 0;
	unsigned int i;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=2"), 0, "probe");
	d = t_dev(&s, "rd1");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 7), 0, "setup");
	for (i = 0; i < 300; i++)
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 1 + i % 7, 48 + i % 5, 1 + i % 7, &id),
			0, "round %u", i);
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	return t_sim_close(&s);
}

/* --- aborts: status of the failed job, replay of the rest, recovery -------- */
static uint8_t not_dpdk_mem[4096];

enum fault { F_IOVA, F_DECODE, F_INJECT };

static int
run_fault(struct t_sim *s, int16_t d, enum fault f, unsigned int fail_at)
{
	static const enum rte_dma_status_code want[] = {
		[F_IOVA] = RTE_DMA_STATUS_INVALID_SRC_ADDR,      /* UR on the host read */
		[F_DECODE] = RTE_DMA_STATUS_BUS_WRITE_ERROR,     /* endpoint write error */
		[F_INJECT] = RTE_DMA_STATUS_BUS_READ_ERROR,      /* completer abort */
	};
	enum rte_dma_status_code st[16];
	uint8_t *h = t_host_alloc(16 * 256);
	uint8_t *ep = ep_model_ep_ptr(s->m, ep_addr(s, 0), 16 * 256);
	bool err = false;
	uint16_t n = 0, last = 0;
	uint64_t end;
	unsigned int i;

	EP_TEST_ASSERT(h != NULL && ep != NULL, "buffers");
	t_fill(h, 16 * 256, fail_at + f * 16);
	memset(ep, 0, 16 * 256);
	if (f == F_INJECT)
		ep_model_inject_abort(s->m, EP_MODEL_DIR_RD, 0, fail_at);
	for (i = 0; i < 16; i++) {
		rte_iova_t src = t_iova(h + i * 256);
		uint64_t dst = ep_addr(s, i * 256);

		if (i == fail_at && f == F_IOVA)
			src = (rte_iova_t)(uintptr_t)not_dpdk_mem;
		if (i == fail_at && f == F_DECODE)
			dst = 0x10; /* decodes nowhere on the endpoint */
		EP_TEST_ASSERT(rte_dma_copy(d, 0, src, dst, 256, 0) >= 0, "copy %u", i);
	}
	rte_dma_submit(d, 0);
	end = t_deadline(T_TIMEOUT_MS);
	while (!err && !t_expired(end))
		n += rte_dma_completed(d, 0, 16, &last, &err);
	if (!err) {
		struct ep_model_stats ms;

		rte_dma_dump(d, stdout);
		ep_model_stats_get(s->m, &ms);
		printf("  model: %" PRIu64 " elements, %" PRIu64 " doorbells (%" PRIu64
			" lost, %" PRIu64 " ignored), %" PRIu64 " aborts\n", ms.elements,
			ms.doorbells, ms.doorbells_lost, ms.doorbells_ignored, ms.aborts);
	}
	EP_TEST_ASSERT(err, "has_error (%u completed, last %u)", n, last);
	EP_TEST_ASSERT_EQ(n, fail_at, "jobs before the failure");
	EP_TEST_ASSERT_EQ(t_collect(d, 16 - fail_at, st, NULL), 16 - fail_at, "the rest");
	EP_TEST_ASSERT_EQ(st[0], want[f], "status of the failed job (fault %u)", f);
	for (i = 1; i < 16 - fail_at; i++)
		EP_TEST_ASSERT_EQ(st[i], RTE_DMA_STATUS_SUCCESSFUL, "job %u", fail_at + i);
	for (i = 0; i < 16; i++)
		if (i != fail_at)
			EP_TEST_ASSERT(memcmp(h + i * 256, ep + i * 256, 256) == 0, "data %u", i);
	rte_free(h);
	return 0;
}

static int
t_epdm_errors(void)
{
	static const unsigned int fail_at[] = { 0, 5, 15 };
	struct rte_pmd_dw_edma_counters c;
	struct t_sim s;
	unsigned int f, k;
	uint16_t id;
	int16_t d;

	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=2"), 0, "probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 32), 0, "setup");
	for (f = F_IOVA; f <= F_INJECT; f++)
		for (k = 0; k < RTE_DIM(fail_at); k++)
			EP_TEST_ASSERT_EQ(run_fault(&s, d, f, fail_at[k]), 0, "fault %u at %u", f,
				fail_at[k]);
	rte_pmd_dw_edma_counters_get(d, &c);
	EP_TEST_ASSERT(c.ring_resets >= 9, "recoveries counted");
	id = 16 * 9;
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 64, 512, 16, &id), 0, "after errors");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	return t_sim_close(&s);
}

/* --- stop / start, with a sibling read channel running ----------------------- */
static int
t_epdm_stop_start(void)
{
	enum rte_dma_status_code st[8];
	uint8_t *h = t_host_alloc(8 * 256);
	struct ep_model_stats m0, m1;
	struct rte_dma_stats ds;
	struct t_sim s;
	unsigned int i, ok = 0;
	uint16_t id = 0, sib = 0, last;
	int16_t d, r0;

	EP_TEST_ASSERT(h != NULL, "alloc");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=2"), 0, "probe");
	d = t_dev(&s, "rd1");
	r0 = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(r0, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "sibling");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	for (i = 0; i < 3; i++) {
		id = 0;
		EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 40, 100, 8, &id), 0, "run %u", i);
		/* uncollected work left behind, then stop */
		rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, RTE_DMA_OP_FLAG_SUBMIT);
		rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, 0);
		EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
		EP_TEST_ASSERT_EQ(rte_dma_start(d), 0, "start");
		EP_TEST_ASSERT_EQ(rte_dma_burst_capacity(d, 0), 16, "empty after restart");
		EP_TEST_ASSERT_EQ(run_jobs(&s, r0, false, 8, 64, 8, &sib), 0,
			"sibling unaffected");
	}
	/* stop while the channel runs: it really stops, the rest NOT_ATTEMPTED */
	id = 0;
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(rte_dma_start(d), 0, "start");
	ep_model_timing_set(s.m, 40 * 1000 * 1000, 0);
	for (i = 0; i < 8; i++)
		EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h + i * 256), ep_addr(&s, i * 256),
			256, 0), (int)i, "copy %u", i);
	rte_dma_submit(d, 0);
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop running");
	ep_model_stats_get(s.m, &m0);
	rte_delay_us_sleep(200 * 1000); /* an observation window: nothing may run */
	ep_model_stats_get(s.m, &m1);
	ep_model_timing_set(s.m, 0, 0);
	EP_TEST_ASSERT_EQ(m1.elements, m0.elements, "channel still running after stop");
	EP_TEST_ASSERT_EQ(rte_dma_completed_status(d, 0, 8, &last, st), 8, "collect");
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
	EP_TEST_ASSERT_EQ(rte_dma_start(d), 0, "start");
	id = 0;
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 16, 128, 8, &id), 0, "after restart");
	EP_TEST_ASSERT_EQ(run_jobs(&s, r0, false, 8, 64, 8, &sib), 0, "sibling unaffected");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(rte_dma_stop(r0), 0, "stop rd0");
	rte_free(h);
	return t_sim_close(&s);
}

/* Wait until the channel leaves the error state by itself (bounded). */
static int
wait_back(int16_t d, struct t_sim *s, uint8_t *h)
{
	enum rte_dma_status_code st;
	uint64_t end = t_deadline(T_TIMEOUT_MS);
	uint16_t last;
	int rc;

	do {
		rte_dma_completed(d, 0, 1, &last, NULL);
		rc = rte_dma_copy(d, 0, t_iova(h), ep_addr(s, 0), 64, RTE_DMA_OP_FLAG_SUBMIT);
	} while (rc == -EIO && !t_expired(end));
	if (rc < 0)
		return rc;
	if (t_collect(d, 1, &st, NULL) != 1 || st != RTE_DMA_STATUS_SUCCESSFUL)
		return -EIO;
	return rc;
}

/* --- link down mid-burst, up again: back without a new probe -------------- */
static int
t_epdm_link(void)
{
	enum rte_dma_status_code st[64];
	uint8_t *h = t_host_alloc(64 * 1024);
	enum rte_dma_vchan_status vs;
	struct t_sim s;
	unsigned int i, ok = 0, lerr = 0;
	uint16_t id;
	int16_t d;
	int rc;

	EP_TEST_ASSERT(h != NULL, "alloc");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=1"), 0, "probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 64), 0, "setup");
	ep_model_timing_set(s.m, 20000, 0);
	for (i = 0; i < 64; i++)
		rte_dma_copy(d, 0, t_iova(h + i * 1024), ep_addr(&s, i * 1024), 1024, 0);
	rte_dma_submit(d, 0);
	ep_model_link_set(s.m, false);
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
	ep_model_link_set(s.m, true);
	rc = wait_back(d, &s, h);
	EP_TEST_ASSERT(rc >= 0, "device back after the link returned (%d)", rc);
	id = (uint16_t)(rc + 1);
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 128, 256, 32, &id), 0, "data after recovery");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	rte_free(h);
	return t_sim_close(&s);
}

/*
 * --- the endpoint tears the slice down and puts it back ------------------
 * Without READY, "ready" is the magic reading back. The test plays the
 * endpoint: it clears the magic (error state), restores it (back), then
 * clears it and changes the channel's descriptor window while it is down:
 * the channel stays in the error state until the slice describes it as at
 * probe again. The model records the test's header stores as host writes:
 * they are forgotten at the end.
 */
static int
t_epdm_slice_gone(void)
{
	uint8_t *h = t_host_alloc(4096);
	enum rte_dma_vchan_status vs;
	volatile uint32_t *hdr;
	struct ep_model_bar b;
	struct t_sim s;
	uint32_t magic, dsz;
	uint64_t end;
	int16_t d;
	int rc;

	EP_TEST_ASSERT(h != NULL, "alloc");
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=epdm,rd=1"), 0, "probe");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(ep_model_bar_get(s.m, s.mi.slice_bar, &b), 0, "slice BAR");
	hdr = (volatile uint32_t *)((uint8_t *)b.addr + s.mi.slice_off);
	magic = hdr[0];
	dsz = hdr[(0x20 + 8) / 4];
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	EP_TEST_ASSERT(wait_back(d, &s, h) >= 0, "works");
	hdr[0] = 0;
	rte_dma_vchan_status(d, 0, &vs);
	EP_TEST_ASSERT_EQ(vs, RTE_DMA_VCHAN_HALTED_ERROR, "magic gone: error state");
	EP_TEST_ASSERT_EQ(rte_dma_copy(d, 0, t_iova(h), ep_addr(&s, 0), 64, 0), -EIO,
		"refused while gone");
	hdr[0] = magic;
	rc = wait_back(d, &s, h);
	EP_TEST_ASSERT(rc >= 0, "back once the magic reads again (%d)", rc);
	/* gone again, and back with another descriptor window size */
	hdr[0] = 0;
	rte_dma_vchan_status(d, 0, &vs);
	EP_TEST_ASSERT_EQ(vs, RTE_DMA_VCHAN_HALTED_ERROR, "error state again");
	hdr[(0x20 + 8) / 4] = dsz - 24;
	hdr[0] = magic;
	end = t_deadline(50);
	while (!t_expired(end))
		rte_dma_vchan_status(d, 0, &vs);
	EP_TEST_ASSERT_EQ(vs, RTE_DMA_VCHAN_HALTED_ERROR, "changed slice: stays down");
	hdr[(0x20 + 8) / 4] = dsz;
	rc = wait_back(d, &s, h);
	EP_TEST_ASSERT(rc >= 0, "back once the slice is as at probe (%d)", rc);
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	/* the model saw the test's own header stores: not the driver's */
	EP_TEST_ASSERT(ep_model_violations(s.m) >= 1, "header stores recorded");
	ep_model_violations_clear(s.m);
	rte_free(h);
	return t_sim_close(&s);
}

/* --- one endpoint, both exports: the devargs choose the front end ---------- */
static int
t_epdm_both(void)
{
	struct t_sim s;
	uint16_t id = 0;
	int16_t d;

	/* no epdm devarg: the PEDM front end, handshake, both directions */
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=both,wr=1,rd=1"), 0, "PEDM probe");
	EP_TEST_ASSERT(t_dev(&s, "wr0") >= 0 && t_dev(&s, "rd0") >= 0, "PEDM channels");
	EP_TEST_ASSERT(dump_has(t_dev(&s, "rd0"), "metadata: BAR0"), "PEDM dump");
	d = t_dev(&s, "rd0");
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 32, 300, 8, &id), 0, "PEDM data");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	EP_TEST_ASSERT_EQ(t_sim_close(&s), 0, "close");
	/* the same endpoint named through its slice: read channels only */
	EP_TEST_ASSERT_EQ(t_sim_open(&s, "export=both,wr=1,rd=1,epdm_bar=4"), 0, "EPDM probe");
	EP_TEST_ASSERT(t_dev(&s, "wr0") < 0 && t_dev(&s, "rd0") >= 0, "EPDM channels");
	EP_TEST_ASSERT(dump_has(t_dev(&s, "rd0"), "EPDM v1 slice"), "EPDM dump");
	d = t_dev(&s, "rd0");
	id = 0;
	EP_TEST_ASSERT_EQ(t_chan_setup(d, RTE_DMA_DIR_MEM_TO_DEV, 16), 0, "setup");
	EP_TEST_ASSERT_EQ(run_jobs(&s, d, false, 32, 300, 8, &id), 0, "EPDM data");
	EP_TEST_ASSERT_EQ(rte_dma_stop(d), 0, "stop");
	return t_sim_close(&s);
}

/* ---------------------------------------------------------------------------
 * Hostile slices.
 */
#define HMODEL		"export=epdm,rd=2"
#define HDR		0xe0u
#define CH(i)		(0x20u + 24u * (i))

static uint8_t good_hdr[HDR];
static uint64_t hbar_len[EP_MODEL_NUM_BARS];
static struct ep_model_info hmi;

/* Learn the valid header and the BAR sizes from a model made for that. */
static int
learn_good_slice(void)
{
	struct ep_model *m = ep_model_create("epdm_reference", HMODEL);
	struct ep_model_bar b;
	unsigned int i;

	if (m == NULL)
		return -1;
	ep_model_info_get(m, &hmi);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++)
		hbar_len[i] = ep_model_bar_get(m, i, &b) == 0 ? b.len : 0;
	ep_model_bar_get(m, hmi.slice_bar, &b);
	memcpy(good_hdr, (uint8_t *)b.addr + hmi.slice_off, HDR);
	ep_model_destroy(m);
	/* the cases below assume the documented default placement */
	if (hmi.slice_bar != 4 || hmi.slice_off != 0 || hmi.slice_size != 0x5000 ||
			hmi.ntb_bar != 0 || hbar_len[4] != 0x8000 || hbar_len[5] != 0) {
		printf("  unexpected reference slice: BAR%u+0x%x size 0x%x\n", hmi.slice_bar,
			hmi.slice_off, hmi.slice_size);
		return -1;
	}
	return 0;
}

typedef void (*mut_t)(uint8_t *b);

struct slice_case {
	const char *what;
	mut_t hdr;          /* header image mutation (slice_file) */
	mut_t loc;          /* vNTB control region mutation (in the BAR) */
	const char *dargs;  /* driver devargs, NULL: epdm_ntb_bar=0 */
	const char *expect; /* in the refusal's log line, NULL: accepted */
};

/* Capture what the EAL logs while the probe runs. */
static FILE *
log_begin(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (f != NULL)
		rte_openlog_stream(f);
	return f;
}

static void
log_end(FILE *f)
{
	rte_openlog_stream(NULL);
	fclose(f);
}

/* Is there a line of the driver's ("DW_EDMA: ...") holding what? */
static bool
log_names(const char *log, const char *what)
{
	const char *q, *b, *e;

	for (q = log != NULL ? strstr(log, what) : NULL; q != NULL; q = strstr(q + 1, what)) {
		for (b = q; b > log && b[-1] != '\n'; b--)
			;
		e = strchr(q, '\n');
		if (e == NULL)
			e = q + strlen(q);
		if (memmem(b, (size_t)(e - b), "DW_EDMA:", 8) != NULL)
			return true;
	}
	return false;
}

static int
run_slice(const struct slice_case *c)
{
	uint8_t hdr[HDR], *snap[EP_MODEL_NUM_BARS] = { NULL };
	struct ep_model_bar bars[EP_MODEL_NUM_BARS];
	const char *dargs = c->dargs != NULL ? c->dargs : "epdm_ntb_bar=0";
	char path[128], cfg[256], name[32], *log = NULL, *line;
	struct ep_model_stats st;
	struct ep_model *m;
	size_t log_len = 0;
	unsigned int i;
	FILE *f;
	int rc, fail = 0;

	memcpy(hdr, good_hdr, HDR);
	if (c->hdr != NULL)
		c->hdr(hdr);
	snprintf(path, sizeof(path), "/tmp/dw_edma_epdm_%d_%u.bin", (int)getpid(), t_sim_seq);
	f = fopen(path, "wb");
	EP_TEST_ASSERT(f != NULL, "temp file %s", path);
	EP_TEST_ASSERT_EQ(fwrite(hdr, 1, HDR, f), HDR, "write header");
	fclose(f);
	snprintf(name, sizeof(name), "dma_dw_edma_sim%u", t_sim_seq++);
	snprintf(cfg, sizeof(cfg), "%s,slice_file=%s", HMODEL, path);
	/* the application makes the model; the vdev attaches to it */
	m = ep_model_create(name, cfg);
	unlink(path);
	EP_TEST_ASSERT(m != NULL, "model for %s", c->what);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++)
		if (ep_model_bar_get(m, i, &bars[i]) != 0)
			bars[i].len = 0;
	if (c->loc != NULL)
		c->loc(bars[0].addr);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++) {
		if (bars[i].len == 0)
			continue;
		snap[i] = malloc(bars[i].len);
		memcpy(snap[i], bars[i].addr, bars[i].len);
	}
	f = log_begin(&log, &log_len);
	rc = rte_vdev_init(name, dargs);
	if (f != NULL)
		log_end(f);
	/* the refusal must name the field, in a line of the driver's */
	if (c->expect != NULL && rc != 0 && !log_names(log, c->expect)) {
		printf("  %s: no dw_edma log line naming '%s'\n", c->what, c->expect);
		fail = 1;
	}
	/* the driver's lines, for the record */
	for (line = log != NULL ? strtok(log, "\n") : NULL; line != NULL;
			line = strtok(NULL, "\n"))
		if (strstr(line, "DW_EDMA:") != NULL)
			printf("  | %s\n", line);
	if (c->expect == NULL) {
		struct rte_pmd_dw_edma_chan_info ci;
		char dn[64];

		snprintf(dn, sizeof(dn), "%s-rd1", name);
		if (rc != 0) {
			printf("  %s: valid slice refused (%d)\n", c->what, rc);
			fail = 1;
		} else if (rte_pmd_dw_edma_chan_info_get(rte_dma_get_dev_id_by_name(dn),
				&ci) != 0 || ci.hw_ch != 1 || ci.dir != RTE_PMD_DW_EDMA_DIR_RD) {
			printf("  %s missing or wrong\n", dn);
			fail = 1;
		}
		if (rc == 0)
			rte_vdev_uninit(name);
		goto out;
	}
	if (rc == 0) {
		printf("  %s: probe accepted a bad slice\n", c->what);
		rte_vdev_uninit(name);
		fail = 1;
		goto out;
	}
	for (i = 0; i < EP_MODEL_NUM_BARS; i++) {
		if (snap[i] != NULL && memcmp(snap[i], bars[i].addr, bars[i].len) != 0) {
			printf("  %s: BAR%u changed by a refused probe\n", c->what, i);
			fail = 1;
		}
	}
	ep_model_stats_get(m, &st);
	if (st.host_writes != 0) {
		printf("  %s: %" PRIu64 " host writes before the slice was accepted\n", c->what,
			st.host_writes);
		fail = 1;
	}
out:
	if (t_violations(m) != 0)
		fail = 1;
	ep_model_destroy(m);
	free(log);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++)
		free(snap[i]);
	EP_TEST_ASSERT_EQ(fail, 0, "%s", c->what);
	return 0;
}

/* header mutations, one field each */
static void h_magic(uint8_t *b) { put32(b, 0x00, 0x4d445046); }
static void h_version(uint8_t *b) { put32(b, 0x04, 2 | (HDR << 16)); }
static void h_hdr_size(uint8_t *b) { put32(b, 0x04, 1 | (0xd8u << 16)); }
static void h_total(uint8_t *b) { put32(b, 0x08, 0x6000); }
static void h_total_big(uint8_t *b) { put32(b, 0x08, 0x10000); }
static void h_irq0(uint8_t *b) { put32(b, 0x18, 0); }
static void h_irq3(uint8_t *b) { put32(b, 0x18, 3); }
static void h_nch0(uint8_t *b) { put32(b, 0x1c, 0); }
static void h_nch9(uint8_t *b) { put32(b, 0x1c, 9); }
static void h_nch3(uint8_t *b) { put32(b, 0x1c, 3); }
static void h_partial(uint8_t *b) { put32(b, 0x1c, 1); }
static void h_ctrl_size0(uint8_t *b) { put32(b, 0x14, 0); }
static void h_ctrl_small(uint8_t *b) { put32(b, 0x14, 0x200); }
static void h_ctrl_bar6(uint8_t *b) { put32(b, 0x0c, 6); }
static void h_ctrl_bar5(uint8_t *b) { put32(b, 0x0c, 5); }
static void h_ctrl_out(uint8_t *b) { put32(b, 0x10, 0x7f00); }
static void h_ctrl_unal(uint8_t *b) { put32(b, 0x10, 0x1002); }
static void h_ctrl_hdr(uint8_t *b) { put32(b, 0x10, 0); }
static void h_desc_bar(uint8_t *b) { put32(b, CH(1) + 0x00, 0); }
static void h_desc_size0(uint8_t *b) { put32(b, CH(0) + 0x08, 0); }
static void h_desc_3el(uint8_t *b) { put32(b, CH(0) + 0x08, 72); }
static void h_desc_out(uint8_t *b) { put32(b, CH(1) + 0x04, 0x5000); }
static void h_desc_big(uint8_t *b) { put32(b, CH(1) + 0x08, 0x2000); }
static void h_desc_unal(uint8_t *b) { put32(b, CH(0) + 0x04, 0x3004); }
static void h_desc_hdr(uint8_t *b) { put32(b, CH(0) + 0x04, 0); }
static void h_desc_ctrl(uint8_t *b) { put32(b, CH(0) + 0x04, 0x2000); }
static void h_desc_dup(uint8_t *b) { put32(b, CH(1) + 0x04, 0x3000); }
static void h_phys_dup(uint8_t *b) { put32(b, CH(1) + 0x10, get32(b, CH(0) + 0x10)); }
static void h_phys_lo0(uint8_t *b) { put32(b, CH(0) + 0x10, 0); put32(b, CH(0) + 0x14, 1); }
static void h_phys_4g(uint8_t *b) { put32(b, CH(0) + 0x10, 0xfffff800); }
static void h_phys_unal(uint8_t *b) { put32(b, CH(0) + 0x10, get32(b, CH(0) + 0x10) | 2); }

/* vNTB locator mutations */
static void l_version(uint8_t *b) { put32(b, 0x0c, 0); }
static void l_abi0(uint8_t *b) { put32(b, 0x154, 0); }
static void l_abi2(uint8_t *b) { put32(b, 0x154, 2); }
static void l_bar(uint8_t *b) { put32(b, 0x158, 6); }
static void l_off(uint8_t *b) { put32(b, 0x15c, 4); }
static void l_size_small(uint8_t *b) { put32(b, 0x160, 0x80); }
static void l_size_big(uint8_t *b) { put32(b, 0x160, 0x10000); }
static void l_nch(uint8_t *b) { put32(b, 0x164, 3); }

static const struct slice_case slice_cases[] = {
	{ "valid slice through the locator", NULL, NULL, NULL, NULL },
	{ "valid slice named by BAR", NULL, NULL, "epdm_bar=4", NULL },
	{ "valid slice named by BAR, offset, size", NULL, NULL,
		"epdm_bar=4,epdm_offset=0,epdm_size=0x5000", NULL },
	{ "magic", h_magic, NULL, NULL, "magic reads 0x4d445046" },
	{ "version", h_version, NULL, NULL, "header version 2" },
	{ "hdr_size", h_hdr_size, NULL, NULL, "hdr_size 0xd8" },
	{ "total_size not the locator size", h_total, NULL, NULL,
		"total_size 0x6000 != slice size 0x5000" },
	{ "total_size beyond the BAR", h_total_big, NULL, "epdm_bar=4", "total_size 0x10000" },
	{ "irq_count 0", h_irq0, NULL, NULL, "irq_count is 0" },
	{ "irq_count not the locator vectors", h_irq3, NULL, NULL, "irq_count 3 != 2" },
	{ "num_chans 0", h_nch0, NULL, NULL, "num_chans 0" },
	{ "num_chans 9", h_nch9, NULL, NULL, "num_chans 9" },
	{ "num_chans above irq_count", h_nch3, NULL, NULL, "num_chans 3" },
	{ "ctrl_size 0", h_ctrl_size0, NULL, NULL, "ctrl_size is 0" },
	{ "ctrl_size too small", h_ctrl_small, NULL, NULL, "ctrl_size 0x200 too small" },
	{ "ctrl_bar 6", h_ctrl_bar6, NULL, NULL, "ctrl_bar 6" },
	{ "ctrl_bar absent", h_ctrl_bar5, NULL, NULL, "ctrl_bar 5" },
	{ "controller window outside its BAR", h_ctrl_out, NULL, NULL,
		"controller window [0x7f00, +0x2000)" },
	{ "ctrl_offset unaligned", h_ctrl_unal, NULL, NULL, "ctrl_offset 0x1002" },
	{ "controller window over the header", h_ctrl_hdr, NULL, NULL,
		"overlaps the slice header" },
	{ "desc_bar not the slice's", h_desc_bar, NULL, NULL, "chans[1].desc_bar 0" },
	{ "desc_size 0", h_desc_size0, NULL, NULL, "chans[0].desc_size is 0" },
	{ "desc_size 3 elements", h_desc_3el, NULL, NULL, "chans[0].desc_size 0x48" },
	{ "descriptor window outside the slice", h_desc_out, NULL, NULL,
		"chans[1] descriptor window [0x5000" },
	{ "descriptor window past the slice end", h_desc_big, NULL, NULL,
		"[0x4000, +0x2000) outside the slice" },
	{ "desc_offset unaligned", h_desc_unal, NULL, NULL, "desc_offset 0x3004" },
	{ "descriptor window over the header", h_desc_hdr, NULL, NULL,
		"chans[0] descriptor window [0x0, +0x1000) overlaps the slice header" },
	{ "descriptor window over the controller window", h_desc_ctrl, NULL, NULL,
		"overlaps the controller window" },
	{ "descriptor windows overlap", h_desc_dup, NULL, NULL, "overlaps chans[0]'s [0x3000" },
	{ "rings at one address", h_phys_dup, NULL, NULL, "overlaps chans[0]'s ring" },
	{ "desc_phys_addr low word 0", h_phys_lo0, NULL, NULL, "has a low word of 0" },
	{ "ring crosses 4 GiB", h_phys_4g, NULL, NULL, "crosses a 4 GiB boundary" },
	{ "desc_phys_addr unaligned", h_phys_unal, NULL, NULL, "desc_phys_addr 0x20000002" },
	{ "read direction exported in part", h_partial, NULL, NULL, "partly delegated" },
	{ "locator control-layout version", NULL, l_version, NULL, "control-layout version 0" },
	{ "locator ABI 0", NULL, l_abi0, NULL, "exports no DMA slice" },
	{ "locator ABI 2", NULL, l_abi2, NULL, "ABI 2 at BAR0+0x154: unsupported" },
	{ "locator BAR", NULL, l_bar, NULL, "locator BAR 6" },
	{ "locator offset unaligned", NULL, l_off, NULL, "slice offset 0x4 not 8-byte aligned" },
	{ "locator size below the header", NULL, l_size_small, NULL,
		"smaller than the v1 header" },
	{ "locator size beyond the BAR", NULL, l_size_big, NULL,
		"slice [0x0, +0x10000) outside BAR4" },
	{ "locator vector count", NULL, l_nch, NULL, "irq_count 2 != 3" },
	{ "devarg offset off the slice", NULL, NULL, "epdm_bar=4,epdm_offset=0x1000",
		"magic reads" },
	{ "devarg BAR absent", NULL, NULL, "epdm_bar=1", "slice BAR1 is not a mapped" },
	{ "devarg BAR 6", NULL, NULL, "epdm_bar=6", "epdm_bar=6 is not a BAR" },
	{ "devarg offset without BAR", NULL, NULL, "epdm_offset=0", "need epdm_bar" },
	{ "devargs locator and BAR", NULL, NULL, "epdm_ntb_bar=0,epdm_bar=4",
		"go without it" },
	{ "devarg size not total_size", NULL, NULL, "epdm_bar=4,epdm_size=0x4000",
		"total_size 0x5000 != slice size 0x4000" },
	{ "devarg locator BAR without a locator", NULL, NULL, "epdm_ntb_bar=4",
		"control-layout version 4" },
};

static unsigned int slice_idx;

static int
t_slice_next(void)
{
	return run_slice(&slice_cases[slice_idx++]);
}

/* one case per slice_cases[] entry, named after it */
#define SLICE_CASES_MAX 64
static char slice_names[SLICE_CASES_MAX][80];

static const struct ep_test_case fixed_cases[] = {
	{ "epdm_probe", t_epdm_probe },
	{ "epdm_data", t_epdm_data },
	{ "epdm_sg", t_epdm_sg },
	{ "epdm_wrap", t_epdm_wrap },
	{ "epdm_errors", t_epdm_errors },
	{ "epdm_stop_start", t_epdm_stop_start },
	{ "epdm_link", t_epdm_link },
	{ "epdm_slice_gone", t_epdm_slice_gone },
	{ "epdm_both", t_epdm_both },
};

static int
epdm_setup(void)
{
	t_sim_seq = 200;
	return learn_good_slice();
}

int
main(int argc, char **argv)
{
	struct ep_test_case cases[RTE_DIM(fixed_cases) + SLICE_CASES_MAX];
	const char *filter = NULL;
	unsigned int i, n = 0, failed = 0;
	int used;

	RTE_BUILD_BUG_ON(RTE_DIM(slice_cases) > SLICE_CASES_MAX);
	for (i = 0; i < RTE_DIM(fixed_cases); i++)
		cases[n++] = fixed_cases[i];
	for (i = 0; i < RTE_DIM(slice_cases); i++) {
		const char *w = slice_cases[i].what;
		size_t k = strlen("slice_");

		/* "desc_size 0" -> slice_desc_size_0: one '_' per run of others */
		memcpy(slice_names[i], "slice_", k);
		for (; *w != '\0' && k < sizeof(slice_names[i]) - 1; w++) {
			if (isalnum((unsigned char)*w))
				slice_names[i][k++] = *w;
			else if (slice_names[i][k - 1] != '_')
				slice_names[i][k++] = '_';
		}
		while (slice_names[i][k - 1] == '_')
			k--;
		slice_names[i][k] = '\0';
		cases[n++] = (struct ep_test_case){ slice_names[i], t_slice_next };
	}
	used = rte_eal_init(argc, argv);
	if (used < 0) {
		printf("FAIL dw_edma_epdm/eal_init\n");
		return 1;
	}
	if (argc - used > 1)
		filter = argv[used + 1];
	if (epdm_setup() != 0) {
		printf("FAIL dw_edma_epdm/setup\n");
		rte_eal_cleanup();
		return 1;
	}
	/* the slice cases advance slice_idx: run them in order, filtered by hand */
	for (i = 0; i < n; i++) {
		int rc;

		if (i >= RTE_DIM(fixed_cases))
			slice_idx = i - RTE_DIM(fixed_cases);
		if (filter != NULL && strstr(cases[i].name, filter) == NULL)
			continue;
		fflush(stdout);
		rc = cases[i].fn();
		printf("%s dw_edma_epdm/%s\n", rc == 0 ? "PASS" : rc == EP_TEST_SKIPPED ?
			"SKIP" : "FAIL", cases[i].name);
		fflush(stdout);
		if (rc != 0 && rc != EP_TEST_SKIPPED)
			failed++;
	}
	rte_eal_cleanup();
	return failed != 0 ? 1 : 0;
}
