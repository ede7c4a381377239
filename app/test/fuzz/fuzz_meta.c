/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Fuzz target: the PEDM metadata discovery and validation of the dw_edma
 * front end (dw_edma_fn_attach_io), over fake BARs whose lengths and
 * contents come from the input, including a blob that changes between the
 * read before HOST_REQ and the re-read after READY.
 *
 * The driver reaches metadata words only through the process-local
 * accessors that attach's io_setup callback installs: the harness installs
 * its own, which check every access against the BAR and present the second
 * image as soon as the driver sets HOST_REQ (the endpoint rewrote the blob
 * before it set READY). READY is set at once, or never, and
 * ready_timeout_ms is 0, so an input runs in microseconds.
 *
 * Input: struct fz_hdr, then a_len bytes of image A (metadata BAR from
 * offset 0, as first read), then image B (what the re-read finds; empty:
 * same as A). Every other word of the first 64 KiB of every BAR is
 * hdr.fill, so the input also decides what the register window's
 * controller word says.
 *
 * Oracles, beyond the sanitizers: no metadata access outside its BAR,
 * unaligned or past the 64 KiB scan span; a function without the magic is
 * declined without a write; a refused blob leaves HOST_REQ clear; an
 * accepted one was accepted as image B says, and every window the channels
 * use lies inside its BAR.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_memory.h>

#include "dw_edma_internal.h"
#include "fuzz_common.h"

/* BAR lengths beyond this are cut (a real blob, window or ring fits). */
#define FZ_BAR_MAX	(1u << 20)

struct fz_hdr {
	uint8_t flags;
	uint8_t meta_bar;     /* BAR images A and B are placed in (mod 6) */
	uint16_t a_len;       /* bytes of image A that follow the header */
	uint32_t fill;        /* every word outside the images */
	uint32_t bar_len[DW_NUM_BARS]; /* 0: absent; cut to FZ_BAR_MAX */
} __attribute__((packed));

/* bit 0 unused: a 1 ms READY wait made such inputs 100 times slower */
#define FZ_F_NO_READY		(1u << 1) /* the endpoint never sets READY */
#define FZ_F_COMPLETION_LLP	(1u << 2) /* completion=llp devarg */

static struct {
	uint8_t *bar[DW_NUM_BARS];
	uint64_t len[DW_NUM_BARS];
	uint64_t map_len[DW_NUM_BARS];
	const uint8_t *b;     /* image B */
	size_t b_len;
	uint8_t meta_bar;
	bool no_ready;
	bool host_req_seen;   /* the driver set HOST_REQ: B is in place */
	uint8_t hr_bar;       /* the BAR it set it in */
	unsigned int writes;  /* metadata writes */
} fz;

static bool fz_verbose;
static struct rte_device fz_dev = { .name = "fuzz_meta", .numa_node = SOCKET_ID_ANY };

static void
fz_check_access(uint8_t bar, uint64_t off)
{
	if (bar >= DW_NUM_BARS || fz.bar[bar] == NULL)
		FZ_FAIL("metadata access to absent BAR%u", bar);
	if ((off & 3) != 0 || off >= fz.len[bar] || fz.len[bar] - off < 4)
		FZ_FAIL("metadata access BAR%u+0x%" PRIx64 " outside length 0x%" PRIx64
			" or unaligned", bar, off, fz.len[bar]);
	if (off >= DW_EDMA_META_SPAN)
		FZ_FAIL("metadata access BAR%u+0x%" PRIx64 " past the scan span", bar, off);
}

static uint32_t
fz_rd32(const struct dw_edma_fn *fn, uint8_t bar, uint64_t off)
{
	uint32_t v;

	RTE_SET_USED(fn);
	fz_check_access(bar, off);
	memcpy(&v, fz.bar[bar] + off, 4);
	return v;
}

/* The endpoint's answer to HOST_REQ: the blob as B says, READY set. */
static void
fz_present_b(uint8_t bar)
{
	size_t n = RTE_MIN(fz.b_len, (size_t)fz.len[bar]);
	uint32_t ctrl;

	fz.host_req_seen = true;
	fz.hr_bar = bar;
	if (fz.b != NULL)
		memcpy(fz.bar[bar], fz.b, n);
	memcpy(&ctrl, fz.bar[bar] + DW_META_OFF_CTRL, 4);
	ctrl |= DW_META_CTRL_HOST_REQ;
	if (fz.no_ready)
		ctrl &= ~DW_META_CTRL_READY;
	else
		ctrl |= DW_META_CTRL_READY;
	memcpy(fz.bar[bar] + DW_META_OFF_CTRL, &ctrl, 4);
}

static void
fz_wr32(struct dw_edma_fn *fn, uint8_t bar, uint64_t off, uint32_t v)
{
	RTE_SET_USED(fn);
	fz_check_access(bar, off);
	fz.writes++;
	if (off != DW_META_OFF_CTRL)
		FZ_FAIL("metadata write to BAR%u+0x%" PRIx64 ", not the CTRL word", bar, off);
	memcpy(fz.bar[bar] + off, &v, 4);
	if (!fz.host_req_seen && (v & DW_META_CTRL_HOST_REQ))
		fz_present_b(bar);
}

static int
fz_io_setup(struct dw_edma_fn *fn, struct dw_edma_fn_local *loc, void *arg)
{
	RTE_SET_USED(fn);
	RTE_SET_USED(arg);
	loc->rd32 = fz_rd32;
	loc->wr32 = fz_wr32;
	return 0;
}

static uint32_t
get32(const uint8_t *p, size_t len, size_t off)
{
	uint32_t v = 0;

	if (off + 4 <= len)
		memcpy(&v, p + off, 4);
	return v;
}

/* An accepted function: is it what image B describes, inside its BARs? */
static void
fz_check_accepted(void)
{
	const uint8_t *img = fz.bar[fz.hr_bar];
	uint32_t ctrl = get32(img, fz.len[fz.hr_bar], DW_META_OFF_CTRL);
	struct dw_edma_fn *fn = NULL;
	unsigned int i, nch = 0;
	int16_t id;

	for (id = 0; id < RTE_DMADEV_DEFAULT_MAX; id++) {
		struct dw_edma_chan *ch = dw_edma_chan_of(id);
		uint8_t db;
		uint64_t off;

		if (ch == NULL)
			continue;
		fn = ch->fn;
		nch++;
		/* the descriptor window, as the channel will write it */
		for (db = 0; db < DW_NUM_BARS; db++)
			if (fz.bar[db] != NULL && ch->desc >= fz.bar[db] &&
					ch->desc < fz.bar[db] + fz.len[db])
				break;
		if (db == DW_NUM_BARS)
			FZ_FAIL("%s: descriptor window outside every BAR", ch->name);
		off = (uint64_t)(ch->desc - fz.bar[db]);
		if (ch->desc_size > fz.len[db] - off ||
				(uint64_t)(ch->nb_slots + 1) * DW_LL_SLOT_SIZE > ch->desc_size)
			FZ_FAIL("%s: ring of %u slots at BAR%u+0x%" PRIx64 " overruns the "
				"window (0x%x) or the BAR (0x%" PRIx64 ")", ch->name,
				ch->nb_slots, db, off, ch->desc_size, fz.len[db]);
		if (ch->max_desc == 0 || ch->max_sges == 0)
			FZ_FAIL("%s: max_desc %u max_sges %u", ch->name, ch->max_desc,
				ch->max_sges);
	}
	if (fn == NULL)
		FZ_FAIL("attach succeeded without a channel");
	if (!fz.host_req_seen)
		FZ_FAIL("attach succeeded without the HOST_REQ/READY handshake");
	if (fn->meta.bar != fz.hr_bar || nch != fn->meta.nb_wr + fn->meta.nb_rd ||
			fn->meta.nb_wr != DW_META_CTRL_WR(ctrl) ||
			fn->meta.nb_rd != DW_META_CTRL_RD(ctrl) ||
			fn->meta.es != DW_META_CTRL_ES(ctrl))
		FZ_FAIL("accepted %u wr + %u rd channels (%u devices), the blob read after "
			"READY says %u + %u", fn->meta.nb_wr, fn->meta.nb_rd, nch,
			DW_META_CTRL_WR(ctrl), DW_META_CTRL_RD(ctrl));
	if (fn->reg < fz.bar[fn->meta.reg_bar] ||
			fn->meta.reg_off + fn->meta.reg_size > fz.len[fn->meta.reg_bar])
		FZ_FAIL("register window outside REG_BAR");
	for (i = 0; i < fn->meta.nb_wr + fn->meta.nb_rd; i++) {
		bool rd = i >= fn->meta.nb_wr;
		unsigned int n = rd ? i - fn->meta.nb_wr : i;

		if (dw_edma_backend_ops(fn->backend)->reg_need(rd, n) > fn->meta.reg_size)
			FZ_FAIL("register window too small for channel %u", i);
	}
}

static uint64_t
fz_bar_len(uint32_t v)
{
	return v > FZ_BAR_MAX ? v % (FZ_BAR_MAX + 1) : v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char devargs[96];
	struct dw_edma_fn_desc d;
	struct fz_hdr h;
	const uint8_t *a;
	size_t a_len;
	unsigned int i;
	int rc;

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	data += sizeof(h);
	size -= sizeof(h);
	a_len = RTE_MIN((size_t)h.a_len, size);
	a = data;
	memset(&fz, 0, sizeof(fz));
	fz.b = size > a_len ? data + a_len : a;
	fz.b_len = size > a_len ? size - a_len : a_len;
	fz.meta_bar = h.meta_bar % DW_NUM_BARS;
	fz.no_ready = (h.flags & FZ_F_NO_READY) != 0;
	memset(&d, 0, sizeof(d));
	for (i = 0; i < DW_NUM_BARS; i++) {
		uint64_t len = fz_bar_len(h.bar_len[i]);
		uint32_t *w;
		uint64_t k;

		if (len == 0)
			continue;
		/* whole pages, the BAR at their end: a read past it faults at once */
		fz.map_len[i] = RTE_ALIGN_CEIL(len, 4096) + 4096;
		w = mmap(NULL, fz.map_len[i], PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (w == MAP_FAILED)
			FZ_FAIL("mmap");
		mprotect((uint8_t *)w + fz.map_len[i] - 4096, 4096, PROT_NONE);
		fz.bar[i] = (uint8_t *)w + RTE_ALIGN_CEIL(len, 4096) - RTE_ALIGN_CEIL(len, 8);
		fz.len[i] = len;
		if (h.fill != 0) {
			/*
			 * The first 64 KiB (where blobs and register windows of real
			 * functions are) by doubling copies: a loop per word costs a
			 * traced comparison each in a fuzzer build, and the whole of
			 * a large BAR costs a page fault per page.
			 */
			uint64_t total = RTE_MIN(RTE_ALIGN_CEIL(len, 8),
				(uint64_t)DW_EDMA_META_SPAN);
			uint64_t done = RTE_MIN(total, (uint64_t)64);

			w = (uint32_t *)fz.bar[i];
			for (k = 0; k < done / 4; k++)
				w[k] = h.fill;
			while (done < total) {
				uint64_t n = RTE_MIN(done, total - done);

				memcpy((uint8_t *)w + done, w, n);
				done += n;
			}
		}
		if (i == fz.meta_bar)
			memcpy(fz.bar[i], a, RTE_MIN(a_len, (size_t)len));
		d.bars[i].addr = fz.bar[i];
		d.bars[i].len = len;
	}
	snprintf(devargs, sizeof(devargs), "ready_timeout_ms=0%s",
		(h.flags & FZ_F_COMPLETION_LLP) ? ",completion=llp" : "");
	d.name = "fz";
	d.device = &fz_dev;
	d.devargs = devargs;
	d.func_num = 1;
	rc = dw_edma_fn_attach_io(&d, fz_io_setup, NULL);
	if (fz_verbose)
		fprintf(stderr, "attach: %d (%s)\n", rc, rc == 0 ? "accepted" : strerror(-rc));
	if (rc == 0) {
		fz_check_accepted();
		if (dw_edma_fn_detach("fz") != 0)
			FZ_FAIL("detach of an attached function failed");
	} else {
		uint32_t ctrl;

		if (rc > 0)
			FZ_FAIL("attach returned %d", rc);
		if (rc == -ENODEV && fz.writes != 0)
			FZ_FAIL("declined (no magic) after %u metadata writes", fz.writes);
		if (fz.host_req_seen) {
			memcpy(&ctrl, fz.bar[fz.hr_bar] + DW_META_OFF_CTRL, 4);
			if (ctrl & DW_META_CTRL_HOST_REQ)
				FZ_FAIL("refused (%d) with HOST_REQ left set", rc);
		}
		if (dw_edma_fn_detach("fz") != -ENODEV)
			FZ_FAIL("a refused function is still registered");
	}
	for (i = 0; i < DW_NUM_BARS; i++)
		if (fz.map_len[i] != 0)
			munmap(fz.bar[i] - (RTE_ALIGN_CEIL(fz.len[i], 4096) -
				RTE_ALIGN_CEIL(fz.len[i], 8)), fz.map_len[i]);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal[] = { (*argv)[0], "--no-huge", "--no-pci", "--no-shconf", "-m", "64",
		"--no-telemetry", "-l", "0", "--log-level=*:crit", NULL };

	RTE_SET_USED(argc);
	/* a log line per refused input would dominate the run time */
	fz_verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (fz_verbose)
		eal[RTE_DIM(eal) - 2] = "--log-level=*:info";
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0)
		FZ_FAIL("rte_eal_init");
	return 0;
}
