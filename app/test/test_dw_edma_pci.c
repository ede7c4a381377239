/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Tests of the dw_edma PMD inside the test guest (app/test/vm-suite.sh):
 * the endpoint model is served by ep-model-pci on the host as PCI functions
 * of the VM, the functions are bound to vfio-pci as a user binds them, and
 * this program drives them through DPDK's PCI bus and the public rte_dma
 * API (plus rte_pmd_dw_edma.h). Nothing of the model is linked: endpoint
 * memory is checked by reading it back with a write channel, and the model's
 * counters (ownership violations above all) come from its debug vendor
 * capability in the function's configuration space, read through sysfs.
 *
 * Usage: test_dw_edma_pci <EAL args> -- ROLE... where ROLE is one of
 *   --dma BDF:LAYOUT:WR:RD  a delegating function: every data case, then
 *                           hot remove and re-probe
 *   --blank BDF             class 0x0801 without metadata: declined, unwritten
 *   --badfunc BDF           the model accepts another requester function
 *                           than the one the function sits at: every job aborts
 *   --region BDF            run with the vfio-pre416 shim preloaded, MSI-X
 *                           table in its own page of the metadata BAR: the
 *                           metadata goes through the vfio region
 *   --nomap BDF             run with the shim, MSI-X table in the blob's page:
 *                           DPDK 22.11 cannot map that BAR on such a kernel
 * Every function but --nomap's is given with -a (probed at EAL init); the
 * --nomap function is probed here with rte_dev_probe().
 *
 * Each case prints "PASS|FAIL|SKIP vm/<case>/<function role> (detail)"; the
 * detail of every case on a model function ends with the model's ownership
 * violation count, read after the case, which must be 0.
 *
 * The server must serve the --dma functions with abort=rd0:3,abort=wr0:4
 * (see t_abort()) and the model's default endpoint memory.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_memzone.h>

#include <rte_pmd_dw_edma.h>

/* The model's default endpoint memory (ep_mem_base, ep_mem_size). */
#define EP_MEM_BASE	0x4000000ULL
#define EP_MEM_SIZE	0x1000000ULL

/* Regions of endpoint memory each case uses. */
#define EP_ABORT	(EP_MEM_BASE + 0x000000)
#define EP_DATA		(EP_MEM_BASE + 0x100000)
#define EP_SG		(EP_MEM_BASE + 0x300000)
#define EP_RING		(EP_MEM_BASE + 0x400000)
#define EP_STOP		(EP_MEM_BASE + 0x500000)
#define EP_REMOVE	(EP_MEM_BASE + 0x800000)

/* Devargs every probe passes, as a user would: a longer READY timeout. */
#define DEVARGS		"ready_timeout_ms=10000"

/* Bounded waits (TCG guest on a shared host: generous). */
#define WAIT_MS		30000

/* Hardware facts the post-remove checks read (hardware reference A, C, D). */
#define META_MAGIC		0x4d444550u
#define META_CTRL		0x08
#define META_REG_LO		0x0c
#define META_REG_HI		0x10
#define CTRL_HOST_REQ		(1u << 30)
#define CTRL_READY		(1u << 31)
#define V0_WR_ENGINE_EN		0x00c
#define V0_RD_ENGINE_EN		0x02c
#define V0_CH_PWR_EN(rd, n)	((rd) ? 0x168u + 4 * (n) : 0x128u + 4 * (n))
#define V0_CH_BASE(rd, n)	(((rd) ? 0x300u : 0x200u) + 0x200u * (n))
#define V0_CS(ctl1)		(((ctl1) >> 5) & 3)
#define HDMA_CH_BASE(rd, n)	(0x200u * (n) + ((rd) ? 0x100u : 0u))
#define HDMA_CH_EN		0x00
#define HDMA_CH_STAT		0x80
#define CS_RUNNING		1

/* The model's debug capability (doc/guides/ep_model/pci_function.rst). */
#define DBG_CAP_ID		0x09
#define DBG_SIG			0x444d5045u
#define DBG_KIND		0x08
#define DBG_RESETS		0x0c
#define DBG_VIOL		0x10
#define DBG_ELEM		0x18
#define DBG_ABORTS		0x20
#define DBG_BYTES		0x28
#define DBG_BARWR		0x38

#define MAX_CH		8
#define MAX_FNS		8

enum role { R_DMA, R_BLANK, R_BADFUNC, R_REGION, R_NOMAP };

struct fn {
	enum role role;
	char bdf[32];
	char layout[16];
	unsigned int nwr, nrd;
	uint8_t map_format;
	unsigned int pci_func;
	int16_t wr[MAX_CH], rd[MAX_CH];
	bool probed;
};

static struct fn fns[MAX_FNS];
static unsigned int nfns;
static unsigned int failures;

/* ---- the DPDK log, kept to look for the driver's lines ---- */

static struct {
	char *buf;
	size_t len, cap;
} logcap;
static FILE *logf;

static ssize_t
log_write(void *cookie, const char *b, size_t n)
{
	RTE_SET_USED(cookie);
	fwrite(b, 1, n, stderr);
	if (logcap.len + n > logcap.cap) {
		size_t cap = RTE_MAX(logcap.cap * 2, logcap.len + n + 4096);
		char *p = realloc(logcap.buf, cap);

		if (p == NULL)
			return (ssize_t)n;
		logcap.buf = p;
		logcap.cap = cap;
	}
	memcpy(logcap.buf + logcap.len, b, n);
	logcap.len += n;
	return (ssize_t)n;
}

static size_t
log_mark(void)
{
	fflush(logf);
	return logcap.len;
}

static bool
log_has(size_t mark, const char *needle)
{
	fflush(logf);
	return logcap.buf != NULL && mark <= logcap.len &&
		memmem(logcap.buf + mark, logcap.len - mark, needle, strlen(needle)) != NULL;
}

/* ---- results ---- */

static char detail[512];

static void
note(const char *fmt, ...)
{
	size_t used = strlen(detail);
	va_list ap;

	if (used >= sizeof(detail) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(detail + used, sizeof(detail) - used, fmt, ap);
	va_end(ap);
}

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("  %s:%d: '%s' failed: ", __FILE__, __LINE__, #cond); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		return -1; \
	} \
} while (0)

static void
result(int rc, const char *what, const char *who)
{
	printf("%s vm/%s/%s%s%s%s\n", rc == 0 ? "PASS" : rc == 77 ? "SKIP" : "FAIL", what, who,
		detail[0] != '\0' ? " (" : "", detail, detail[0] != '\0' ? ")" : "");
	fflush(stdout);
	if (rc != 0 && rc != 77)
		failures++;
	detail[0] = '\0';
}

/* ---- configuration space: the model's debug capability ---- */

struct dbg {
	uint8_t kind, func;
	uint32_t resets;
	uint64_t viol, elem, aborts, bytes, barwr;
};

static int
dbg_read(const struct fn *f, struct dbg *d)
{
	char path[128];
	uint8_t cfg[256];
	unsigned int pos, hops = 0;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", f->bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	/* one read, in ascending order: each counter's low dword latches it */
	if (pread(fd, cfg, sizeof(cfg), 0) != (ssize_t)sizeof(cfg)) {
		close(fd);
		return -EIO;
	}
	close(fd);
	for (pos = cfg[0x34] & ~3u; pos >= 0x40 && pos < 0xc0 && hops++ < 48;
			pos = cfg[pos + 1] & ~3u) {
		uint32_t sig;

		memcpy(&sig, cfg + pos + 4, 4);
		if (cfg[pos] != DBG_CAP_ID || sig != DBG_SIG)
			continue;
		d->kind = cfg[pos + DBG_KIND];
		d->func = cfg[pos + DBG_KIND + 1];
		memcpy(&d->resets, cfg + pos + DBG_RESETS, 4);
		memcpy(&d->viol, cfg + pos + DBG_VIOL, 8);
		memcpy(&d->elem, cfg + pos + DBG_ELEM, 8);
		memcpy(&d->aborts, cfg + pos + DBG_ABORTS, 8);
		memcpy(&d->bytes, cfg + pos + DBG_BYTES, 8);
		memcpy(&d->barwr, cfg + pos + DBG_BARWR, 8);
		return 0;
	}
	return -ENOENT;
}

/* After a case on a model function: the violation count goes in the detail. */
static int
violations_after(const struct fn *f, int rc)
{
	struct dbg d;

	if (dbg_read(f, &d) != 0) {
		note("%sno debug capability", detail[0] != '\0' ? "; " : "");
		return -1;
	}
	note("%sviolations %" PRIu64, detail[0] != '\0' ? "; " : "", d.viol);
	if (d.viol != 0) {
		printf("  %s: %" PRIu64 " ownership violations (the server's report lists "
			"them)\n", f->bdf, d.viol);
		return -1;
	}
	return rc;
}

/* ---- host memory: IOVA-contiguous, IOVA = guest-physical address ---- */

struct buf {
	const struct rte_memzone *mz;
	uint8_t *va;
	rte_iova_t iova;
	size_t len;
};

static unsigned int mz_seq;

static int
buf_get(struct buf *b, size_t len)
{
	char name[RTE_MEMZONE_NAMESIZE];

	snprintf(name, sizeof(name), "t_pci_%u", mz_seq++);
	b->mz = rte_memzone_reserve_aligned(name, len, SOCKET_ID_ANY,
		RTE_MEMZONE_IOVA_CONTIG, 4096);
	if (b->mz == NULL) {
		printf("  no IOVA-contiguous buffer of %zu bytes\n", len);
		return -1;
	}
	b->va = b->mz->addr;
	b->iova = b->mz->iova;
	b->len = len;
	return 0;
}

static void
buf_put(struct buf *b)
{
	if (b->mz != NULL)
		rte_memzone_free(b->mz);
	memset(b, 0, sizeof(*b));
}

static void
fill(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 151 + i * 13 + (i >> 9) + 1);
}

static uint64_t
deadline(unsigned int ms)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
}

static bool
expired(uint64_t end)
{
	return rte_get_timer_cycles() > end;
}

/* ---- jobs ---- */

/* Next job id of each started channel (the driver's ids restart at a start). */
static uint16_t ids[RTE_DMADEV_DEFAULT_MAX];

struct job {
	rte_iova_t src, dst;
	uint32_t len;
};

/*
 * Run n jobs on dev in bursts of burst (each burst submitted, then all its
 * completions collected with their status into st[]). Every copy must get
 * the next id and every burst must complete in order.
 */
static int
run(int16_t dev, const struct job *j, unsigned int n, unsigned int burst,
		enum rte_dma_status_code *st)
{
	uint16_t *id = &ids[dev];
	unsigned int done = 0, k;

	while (done < n) {
		unsigned int b = RTE_MIN(burst, n - done);
		uint16_t got = 0, last = 0;
		uint64_t end;

		for (k = 0; k < b; k++) {
			int r = rte_dma_copy(dev, 0, j[done + k].src, j[done + k].dst,
				j[done + k].len, 0);

			CHECK(r == *id, "dev %d: copy %u returned %d, expected id %u", dev,
				done + k, r, *id);
			(*id)++;
		}
		CHECK(rte_dma_submit(dev, 0) == 0, "dev %d: submit", dev);
		end = deadline(WAIT_MS);
		while (got < b && !expired(end))
			got += rte_dma_completed_status(dev, 0, b - got, &last, st + done + got);
		CHECK(got == b, "dev %d: %u of %u completions in %u ms", dev, got, b, WAIT_MS);
		CHECK(last == (uint16_t)(*id - 1), "dev %d: last_idx %u, expected %u", dev,
			last, (uint16_t)(*id - 1));
		done += b;
	}
	return 0;
}

static const char *
status_name(enum rte_dma_status_code st)
{
	static const struct {
		enum rte_dma_status_code st;
		const char *name;
	} names[] = {
		{ RTE_DMA_STATUS_SUCCESSFUL, "SUCCESSFUL" },
		{ RTE_DMA_STATUS_NOT_ATTEMPTED, "NOT_ATTEMPTED" },
		{ RTE_DMA_STATUS_INVALID_SRC_ADDR, "INVALID_SRC_ADDR" },
		{ RTE_DMA_STATUS_BUS_READ_ERROR, "BUS_READ_ERROR" },
		{ RTE_DMA_STATUS_BUS_WRITE_ERROR, "BUS_WRITE_ERROR" },
		{ RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR, "DESCRIPTOR_READ_ERROR" },
		{ RTE_DMA_STATUS_DEV_LINK_ERROR, "DEV_LINK_ERROR" },
		{ RTE_DMA_STATUS_ERROR_UNKNOWN, "ERROR_UNKNOWN" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++)
		if (names[i].st == st)
			return names[i].name;
	return "another status";
}

static int
all_ok(const enum rte_dma_status_code *st, unsigned int n, const char *what)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		CHECK(st[k] == RTE_DMA_STATUS_SUCCESSFUL, "%s: job %u status %s (%d)", what, k,
			status_name(st[k]), st[k]);
	return 0;
}

static int
same(const uint8_t *got, const uint8_t *want, size_t len, const char *what)
{
	size_t i;

	for (i = 0; i < len; i++)
		CHECK(got[i] == want[i], "%s: byte %zu is 0x%02x, expected 0x%02x", what, i,
			got[i], want[i]);
	return 0;
}

/* Configure, set up the vchan with the largest ring and start. */
static int
chan_start(int16_t dev, bool rd)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { 0 };
	struct rte_dma_info info;

	CHECK(rte_dma_info_get(dev, &info) == 0, "dev %d: info", dev);
	vc.direction = rd ? RTE_DMA_DIR_MEM_TO_DEV : RTE_DMA_DIR_DEV_TO_MEM;
	vc.nb_desc = info.max_desc;
	if (rd)
		vc.dst_port.port_type = RTE_DMA_PORT_PCIE;
	else
		vc.src_port.port_type = RTE_DMA_PORT_PCIE;
	CHECK(rte_dma_configure(dev, &conf) == 0, "dev %d: configure", dev);
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) == 0, "dev %d: vchan setup", dev);
	CHECK(rte_dma_start(dev) == 0, "dev %d: start", dev);
	ids[dev] = 0;
	return 0;
}

/*
 * Endpoint memory through the channels: rd writes host data into endpoint
 * memory, wr reads it back into host memory.
 */
static int
ep_write(int16_t rd, rte_iova_t src, uint64_t ep, uint32_t len)
{
	enum rte_dma_status_code st;
	struct job j = { src, ep, len };

	CHECK(run(rd, &j, 1, 1, &st) == 0, "rd dev %d", rd);
	CHECK(st == RTE_DMA_STATUS_SUCCESSFUL, "rd dev %d: status %d", rd, st);
	return 0;
}

static int
ep_read(int16_t wr, uint64_t ep, rte_iova_t dst, uint32_t len)
{
	enum rte_dma_status_code st;
	struct job j = { ep, dst, len };

	CHECK(run(wr, &j, 1, 1, &st) == 0, "wr dev %d", wr);
	CHECK(st == RTE_DMA_STATUS_SUCCESSFUL, "wr dev %d: status %d", wr, st);
	return 0;
}

/* ---- functions and their channels ---- */

static unsigned int
bdf_function(const char *bdf)
{
	const char *dot = strrchr(bdf, '.');

	return dot != NULL ? (unsigned int)strtoul(dot + 1, NULL, 16) : 0;
}

static int16_t
dev_of(const struct fn *f, bool rd, unsigned int i)
{
	char name[RTE_DEV_NAME_MAX_LEN];

	snprintf(name, sizeof(name), "%s-%s%u", f->bdf, rd ? "rd" : "wr", i);
	return (int16_t)rte_dma_get_dev_id_by_name(name);
}

/* dmadevs whose name starts with the function's address */
static unsigned int
devs_of(const struct fn *f)
{
	unsigned int n = 0;
	int16_t d;

	RTE_DMA_FOREACH_DEV(d) {
		struct rte_dma_info info;

		if (rte_dma_info_get(d, &info) == 0 &&
				strncmp(info.dev_name, f->bdf, strlen(f->bdf)) == 0)
			n++;
	}
	return n;
}

static struct rte_device *
pci_dev(const char *bdf)
{
	struct rte_dev_iterator it;
	struct rte_device *dev;

	RTE_DEV_FOREACH(dev, "bus=pci", &it) {
		if (strcmp(rte_dev_name(dev), bdf) == 0)
			return dev;
	}
	return NULL;
}

static int
probe(const char *bdf)
{
	char da[128];

	snprintf(da, sizeof(da), "%s,%s", bdf, DEVARGS);
	return rte_dev_probe(da);
}

/* ---- case: probe ---- */

static int
t_probe(struct fn *f)
{
	struct dbg d;
	unsigned int i, k;

	for (k = 0; k < 2; k++) {
		bool rd = k == 1;
		unsigned int n = rd ? f->nrd : f->nwr;

		for (i = 0; i < n; i++) {
			struct rte_pmd_dw_edma_chan_info ci;
			struct rte_dma_info info;
			int16_t d = dev_of(f, rd, i);

			CHECK(d >= 0, "no dmadev %s-%s%u", f->bdf, rd ? "rd" : "wr", i);
			(rd ? f->rd : f->wr)[i] = d;
			CHECK(rte_pmd_dw_edma_chan_info_get(d, &ci) == 0, "chan info %d", d);
			CHECK(strcmp(ci.function, f->bdf) == 0, "function '%s'", ci.function);
			CHECK(ci.dir == (rd ? RTE_PMD_DW_EDMA_DIR_RD : RTE_PMD_DW_EDMA_DIR_WR) &&
				ci.hw_ch == i, "dev %d: dir %d hw_ch %u", d, ci.dir, ci.hw_ch);
			CHECK(ci.map_format == f->map_format, "dev %d: map format %u, the "
				"metadata of %s says %u", d, ci.map_format, f->layout,
				f->map_format);
			/* the requester function the driver programs (hardware ref. E.3) */
			CHECK(ci.func_num == f->pci_func && f->pci_func != 0,
				"dev %d: FUNC_NUM %u for a function at %u", d, ci.func_num,
				f->pci_func);
			CHECK(rte_dma_info_get(d, &info) == 0, "info %d", d);
			CHECK(info.dev_capa & (rd ? RTE_DMA_CAPA_MEM_TO_DEV :
				RTE_DMA_CAPA_DEV_TO_MEM), "dev %d: capa 0x%" PRIx64, d,
				info.dev_capa);
			CHECK(info.max_vchans == 1 && info.max_desc > 0 && info.max_sges > 1,
				"dev %d: vchans %u desc %u sges %u", d, info.max_vchans,
				info.max_desc, info.max_sges);
		}
		CHECK(dev_of(f, rd, n) < 0, "a dmadev %s-%s%u beyond the metadata's %u",
			f->bdf, rd ? "rd" : "wr", n, n);
	}
	CHECK(devs_of(f) == f->nwr + f->nrd, "%u dmadevs for %s, expected %u", devs_of(f),
		f->bdf, f->nwr + f->nrd);
	/* the handshake: HOST_REQ is the host's first register write */
	CHECK(dbg_read(f, &d) == 0 && d.kind == 1, "debug capability of a dma function");
	CHECK(d.barwr > 0, "no BAR write after the probe: no handshake?");
	note("%u wr + %u rd dmadevs, map format %u, FUNC_NUM %u", f->nwr, f->nrd,
		f->map_format, f->pci_func);
	return 0;
}

/* ---- case: injected aborts, recovery ---- */

/*
 * The server injects abort=rd0:3 and abort=wr0:4: the model counts every
 * linked-list data element a channel processes, the driver's per-batch
 * write-back element included. In the driver's default completion mode a
 * write channel ends each batch with a write-back element and a read
 * channel (no MEM_TO_MEM) has none (LLP completion), so with a batch of 2
 * jobs (0, 1) and then one of 3 (2, 3, 4), the elements are
 *   rd0: 0 1 | 2 3 4                  element 3 is job 3
 *   wr0: 0 1 2(write-back) | 3 4 5 6(write-back)   element 4 is job 3
 * Job 3 must fail with the status the abort's cause gives, every other job
 * succeed (the driver recovers the ring and carries out the jobs behind it),
 * and the channel work afterwards.
 */
#define ABORT_JOB 3

static int
abort_one(struct fn *f, bool rd, int16_t dev, int16_t peer, struct buf *h, struct buf *h2)
{
	enum rte_dma_status_code st[5], want;
	struct rte_pmd_dw_edma_chan_info ci;
	struct rte_pmd_dw_edma_counters c;
	struct job j[5];
	uint64_t ep = EP_ABORT + (rd ? 0x10000 : 0);
	unsigned int k;

	CHECK(ids[dev] == 0, "dev %d: the abort case must be the channel's first work", dev);
	CHECK(rte_pmd_dw_edma_chan_info_get(dev, &ci) == 0, "info");
	CHECK(ci.completion == (rd ? RTE_PMD_DW_EDMA_CPL_LLP : RTE_PMD_DW_EDMA_CPL_WRITE_BACK),
		"dev %d: completion mode %d is not the one the injected element number "
		"was chosen for", dev, ci.completion);
	fill(h->va, 5 * 256, rd ? 11 : 12);
	memset(h2->va, 0xee, 5 * 256);
	if (!rd)
		/* the data the write channel reads: written with the other read channel */
		CHECK(ep_write(peer, h->iova, ep, 5 * 256) == 0, "prepare endpoint memory");
	for (k = 0; k < 5; k++) {
		j[k].src = rd ? h->iova + k * 256 : ep + k * 256;
		j[k].dst = rd ? ep + k * 256 : h2->iova + k * 256;
		j[k].len = 256;
	}
	CHECK(run(dev, j, 2, 2, st) == 0, "batch of 2");
	CHECK(run(dev, j + 2, 3, 3, st + 2) == 0, "batch of 3");
	/* eDMA v0 cause registers: completer abort on a read; HDMA has none */
	want = rd && f->map_format != 7 ? RTE_DMA_STATUS_BUS_READ_ERROR :
		RTE_DMA_STATUS_ERROR_UNKNOWN;
	for (k = 0; k < 5; k++)
		CHECK(st[k] == (k == ABORT_JOB ? want : RTE_DMA_STATUS_SUCCESSFUL),
			"dev %d: job %u status %s (job %u is the injected abort, status %s)",
			dev, k, status_name(st[k]), ABORT_JOB, status_name(want));
	CHECK(rte_pmd_dw_edma_counters_get(dev, &c) == 0 && c.ring_resets >= 1 &&
		c.jobs_failed == 1, "dev %d: %" PRIu64 " ring resets, %" PRIu64 " failed", dev,
		c.ring_resets, c.jobs_failed);
	/* the data of the other jobs, byte for byte (read-back for rd) */
	if (rd)
		CHECK(ep_read(peer, ep, h2->iova, 5 * 256) == 0, "read back");
	for (k = 0; k < 5; k++)
		if (k != ABORT_JOB)
			CHECK(same(h2->va + k * 256, h->va + k * 256, 256, rd ? "rd job" :
				"wr job") == 0, "dev %d job %u data", dev, k);
	/* recovered: one more job, fine */
	CHECK((rd ? ep_write(dev, h->iova, ep, 256) : ep_read(dev, ep, h2->iova, 256)) == 0,
		"dev %d after the abort", dev);
	note("%s: job %u %s, the other 4 and the next done", rd ? "rd0" : "wr0", ABORT_JOB,
		status_name(want));
	return 0;
}

static int
t_abort(struct fn *f)
{
	struct buf h = { 0 }, h2 = { 0 };
	int rc = -1;

	/* the other channel of each direction serves the endpoint side */
	if (f->nrd < 2 || f->nwr < 2) {
		printf("  the abort case needs two channels each way\n");
		return -1;
	}
	if (buf_get(&h, 8192) == 0 && buf_get(&h2, 8192) == 0 &&
			abort_one(f, false, f->wr[0], f->rd[1], &h, &h2) == 0) {
		note(", ");
		rc = abort_one(f, true, f->rd[0], f->wr[1], &h, &h2);
	}
	buf_put(&h);
	buf_put(&h2);
	return rc;
}

/* ---- case: MEM_TO_DEV and DEV_TO_MEM on every channel, read back ---- */

/*
 * For each read channel r and write channel w: r fills a 256 KiB endpoint
 * region with a guard pattern, then writes jobs of awkward sizes and
 * offsets from host memory into it; w reads every job back into guarded
 * host memory and the whole region into another buffer. Both must equal
 * what r was given, byte for byte, guards included: nothing written past a
 * job on either side.
 */
static const struct {
	uint32_t off, len;
} data_jobs[] = {
	{ 0, 1 }, { 5, 3 }, { 64, 64 }, { 1001, 1000 }, { 4096, 4096 }, { 12289, 4097 },
	{ 20480, 65536 }, { 90115, 65539 }, { 200000, 7 }, { 262143, 1 },
};
#define DATA_REGION	262144u

static int
data_pair(const struct fn *f, unsigned int r, unsigned int w, struct buf *src,
		struct buf *guard, struct buf *back, struct buf *whole)
{
	enum rte_dma_status_code st[RTE_DIM(data_jobs)];
	struct job j[RTE_DIM(data_jobs)];
	uint64_t ep = EP_DATA + (r * f->nwr + w) % 4 * 0x40000;
	int16_t rd = f->rd[r], wr = f->wr[w];
	uint8_t *want = malloc(DATA_REGION);
	unsigned int k;
	int rc = -1;

	if (want == NULL)
		return -1;
	fill(src->va, DATA_REGION, r * 16 + w + 100);
	fill(guard->va, DATA_REGION, r * 16 + w + 200);
	memcpy(want, guard->va, DATA_REGION);
	memset(back->va, 0xa5, DATA_REGION);
	memset(whole->va, 0, DATA_REGION);
	if (ep_write(rd, guard->iova, ep, DATA_REGION) != 0)
		goto out;
	for (k = 0; k < RTE_DIM(data_jobs); k++) {
		j[k] = (struct job){ src->iova + data_jobs[k].off, ep + data_jobs[k].off,
			data_jobs[k].len };
		memcpy(want + data_jobs[k].off, src->va + data_jobs[k].off, data_jobs[k].len);
	}
	if (run(rd, j, RTE_DIM(j), 4, st) != 0 || all_ok(st, RTE_DIM(j), "mem2dev") != 0)
		goto out;
	for (k = 0; k < RTE_DIM(data_jobs); k++)
		j[k] = (struct job){ ep + data_jobs[k].off, back->iova + data_jobs[k].off,
			data_jobs[k].len };
	if (run(wr, j, RTE_DIM(j), 3, st) != 0 || all_ok(st, RTE_DIM(j), "dev2mem") != 0)
		goto out;
	/* host side: the jobs' bytes, the 0xa5 guards untouched */
	{
		uint8_t *exp = malloc(DATA_REGION);

		if (exp == NULL)
			goto out;
		memset(exp, 0xa5, DATA_REGION);
		for (k = 0; k < RTE_DIM(data_jobs); k++)
			memcpy(exp + data_jobs[k].off, src->va + data_jobs[k].off,
				data_jobs[k].len);
		rc = same(back->va, exp, DATA_REGION, "dev2mem jobs and host guards");
		free(exp);
		if (rc != 0) {
			printf("  rd%u -> wr%u\n", r, w);
			goto out;
		}
		rc = -1;
	}
	/* endpoint side: the whole region, guard pattern around the jobs */
	if (ep_read(wr, ep, whole->iova, DATA_REGION) != 0)
		goto out;
	if (same(whole->va, want, DATA_REGION, "endpoint region read back") != 0) {
		printf("  rd%u -> wr%u\n", r, w);
		goto out;
	}
	rc = 0;
out:
	free(want);
	return rc;
}

static int
t_data(struct fn *f)
{
	struct buf b[4] = { 0 };
	unsigned int r, w, i, pairs = 0;
	int rc = 0;

	for (i = 0; i < RTE_DIM(b) && rc == 0; i++)
		rc = buf_get(&b[i], DATA_REGION);
	for (r = 0; r < f->nrd && rc == 0; r++)
		for (w = 0; w < f->nwr && rc == 0; w++, pairs++)
			rc = data_pair(f, r, w, &b[0], &b[1], &b[2], &b[3]);
	for (i = 0; i < RTE_DIM(b); i++)
		buf_put(&b[i]);
	if (rc == 0)
		note("%u rd x wr pairs, %zu jobs of 1..65539 bytes each way, guards intact",
			pairs, RTE_DIM(data_jobs));
	return rc;
}

/* ---- case: scatter-gather ---- */

/*
 * rd: 3 host segments into 2 endpoint segments, and max_sges small host
 * segments into one endpoint segment; wr: the endpoint segments back, split
 * differently, into host segments. Segment boundaries differ on the two
 * sides, so the driver cuts elements at every boundary of either side.
 */
static int
sg_pair(const struct fn *f, unsigned int r, unsigned int w, struct buf *src, struct buf *dst)
{
	int16_t rd = f->rd[r], wr = f->wr[w];
	uint64_t ep = EP_SG + (r * f->nwr + w) % 4 * 0x10000;
	struct rte_dma_sge s[64], d[64];
	enum rte_dma_status_code st[2];
	struct rte_dma_info info;
	unsigned int k, n;
	uint16_t last = 0, got = 0;
	uint64_t end;
	int id;

	CHECK(rte_dma_info_get(rd, &info) == 0, "info");
	n = RTE_MIN(info.max_sges, (uint16_t)RTE_DIM(s));
	fill(src->va, 16384, r * 8 + w + 300);
	memset(dst->va, 0x5a, 16384);
	/* job A: host [0,1000) [1000,4000) [4000,4096) -> ep [0,2048) [8192,10240) */
	s[0] = (struct rte_dma_sge){ src->iova, 1000 };
	s[1] = (struct rte_dma_sge){ src->iova + 1000, 3000 };
	s[2] = (struct rte_dma_sge){ src->iova + 4000, 96 };
	d[0] = (struct rte_dma_sge){ ep, 2048 };
	d[1] = (struct rte_dma_sge){ ep + 8192, 2048 };
	id = rte_dma_copy_sg(rd, 0, s, d, 3, 2, 0);
	CHECK(id == ids[rd], "rd copy_sg A: %d, expected id %u", id, ids[rd]);
	ids[rd]++;
	/* job B: n segments of 64 bytes from host 8192 -> ep [16384, +64n) */
	for (k = 0; k < n; k++)
		s[k] = (struct rte_dma_sge){ src->iova + 8192 + 64 * k, 64 };
	d[0] = (struct rte_dma_sge){ ep + 16384, 64 * n };
	id = rte_dma_copy_sg(rd, 0, s, d, n, 1, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(id == ids[rd], "rd copy_sg B (%u segments): %d", n, id);
	ids[rd]++;
	end = deadline(WAIT_MS);
	while (got < 2 && !expired(end))
		got += rte_dma_completed_status(rd, 0, 2 - got, &last, st + got);
	CHECK(got == 2 && last == (uint16_t)id, "rd sg: %u completions, last %u", got, last);
	CHECK(all_ok(st, 2, "rd sg") == 0, "rd sg status");
	/* back: ep [0,2048)+[8192,10240) as 4 x 1024 into host 2 x 2048 */
	s[0] = (struct rte_dma_sge){ ep, 1024 };
	s[1] = (struct rte_dma_sge){ ep + 1024, 1024 };
	s[2] = (struct rte_dma_sge){ ep + 8192, 1024 };
	s[3] = (struct rte_dma_sge){ ep + 9216, 1024 };
	d[0] = (struct rte_dma_sge){ dst->iova, 2048 };
	d[1] = (struct rte_dma_sge){ dst->iova + 2048 + 100, 2048 };	/* a gap of 100 */
	id = rte_dma_copy_sg(wr, 0, s, d, 4, 2, 0);
	CHECK(id == ids[wr], "wr copy_sg A: %d, expected id %u", id, ids[wr]);
	ids[wr]++;
	s[0] = (struct rte_dma_sge){ ep + 16384, 64 * n };
	for (k = 0; k < n; k++)
		d[k] = (struct rte_dma_sge){ dst->iova + 8192 + 128 * k, 64 };
	id = rte_dma_copy_sg(wr, 0, s, d, 1, n, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(id == ids[wr], "wr copy_sg B: %d", id);
	ids[wr]++;
	got = 0;
	end = deadline(WAIT_MS);
	while (got < 2 && !expired(end))
		got += rte_dma_completed_status(wr, 0, 2 - got, &last, st + got);
	CHECK(got == 2 && last == (uint16_t)id, "wr sg: %u completions, last %u", got, last);
	CHECK(all_ok(st, 2, "wr sg") == 0, "wr sg status");
	CHECK(same(dst->va, src->va, 2048, "sg A, first half") == 0, "rd%u/wr%u", r, w);
	CHECK(dst->va[2048] == 0x5a && dst->va[2048 + 99] == 0x5a, "gap between segments");
	CHECK(same(dst->va + 2148, src->va + 2048, 2048, "sg A, second half") == 0, "rd%u/wr%u",
		r, w);
	for (k = 0; k < n; k++) {
		CHECK(same(dst->va + 8192 + 128 * k, src->va + 8192 + 64 * k, 64, "sg B") == 0,
			"rd%u/wr%u segment %u", r, w, k);
		CHECK(dst->va[8192 + 128 * k + 64] == 0x5a, "sg B gap %u", k);
	}
	return 0;
}

static int
t_sg(struct fn *f)
{
	struct buf src = { 0 }, dst = { 0 };
	struct rte_dma_info info;
	unsigned int r, w;
	int rc = -1;

	if (buf_get(&src, 16384) == 0 && buf_get(&dst, 16384) == 0) {
		rc = 0;
		for (r = 0; r < f->nrd && rc == 0; r++)
			for (w = 0; w < f->nwr && rc == 0; w++)
				rc = sg_pair(f, r, w, &src, &dst);
	}
	buf_put(&src);
	buf_put(&dst);
	if (rc == 0 && rte_dma_info_get(f->rd[0], &info) == 0)
		note("3->2 and %u->1 segments each way on every pair", info.max_sges);
	return rc;
}

/* ---- case: ring wrap ---- */

/*
 * Several laps of every channel's descriptor ring: (laps + 1/2) rings of
 * 64-byte jobs in bursts of 31, each to its own place; then read back, also
 * over several laps, and compared.
 */
#define RING_LAPS	3

static int
ring_pair(const struct fn *f, unsigned int i, struct buf *src, struct buf *dst,
		unsigned int *laps_out)
{
	int16_t rd = f->rd[i % f->nrd], wr = f->wr[i % f->nwr];
	struct rte_pmd_dw_edma_chan_info ci;
	struct rte_pmd_dw_edma_counters c0, c1;
	enum rte_dma_status_code *st;
	struct job *j;
	unsigned int n, k, laps;
	uint64_t ep = EP_RING + 0x40000 * (i % 4);
	int rc = -1;

	CHECK(rte_pmd_dw_edma_chan_info_get(rd, &ci) == 0, "info");
	n = ci.ring_slots * RING_LAPS + ci.ring_slots / 2;
	CHECK((size_t)n * 64 <= src->len, "%u jobs do not fit", n);
	st = calloc(n, sizeof(*st));
	j = calloc(n, sizeof(*j));
	if (st == NULL || j == NULL)
		goto out;
	fill(src->va, (size_t)n * 64, i + 400);
	memset(dst->va, 0, (size_t)n * 64);
	rte_pmd_dw_edma_counters_get(rd, &c0);
	for (k = 0; k < n; k++)
		j[k] = (struct job){ src->iova + 64 * k, ep + 64 * k, 64 };
	if (run(rd, j, n, 31, st) != 0 || all_ok(st, n, "ring mem2dev") != 0)
		goto out;
	for (k = 0; k < n; k++)
		j[k] = (struct job){ ep + 64 * k, dst->iova + 64 * k, 64 };
	if (run(wr, j, n, 31, st) != 0 || all_ok(st, n, "ring dev2mem") != 0)
		goto out;
	if (same(dst->va, src->va, (size_t)n * 64, "ring data") != 0)
		goto out;
	rte_pmd_dw_edma_counters_get(rd, &c1);
	/* no recovery needed to get there */
	if (c1.ring_resets != c0.ring_resets) {
		printf("  rd%u: %" PRIu64 " ring resets while wrapping\n", i % f->nrd,
			c1.ring_resets - c0.ring_resets);
		goto out;
	}
	laps = n / ci.ring_slots;
	*laps_out = laps;
	rc = 0;
out:
	free(st);
	free(j);
	return rc;
}

static int
t_ring(struct fn *f)
{
	struct buf src = { 0 }, dst = { 0 };
	unsigned int i, laps = 0;
	int rc = -1;

	if (buf_get(&src, 65536) == 0 && buf_get(&dst, 65536) == 0) {
		rc = 0;
		for (i = 0; i < RTE_MAX(f->nrd, f->nwr) && rc == 0; i++)
			rc = ring_pair(f, i, &src, &dst, &laps);
	}
	buf_put(&src);
	buf_put(&dst);
	if (rc == 0)
		note("%u laps of every channel's ring, each way", laps);
	return rc;
}

/* ---- case: stop/start ---- */

/*
 * Stop and start every channel: jobs enqueued but never submitted come back
 * as NOT_ATTEMPTED after the stop, ids start at 0 again after the start, and
 * data moves.
 */
static int
t_stop_start(struct fn *f)
{
	struct buf h = { 0 }, h2 = { 0 };
	unsigned int i, k;
	int rc = -1;

	if (buf_get(&h, 4096) != 0 || buf_get(&h2, 4096) != 0)
		goto out;
	fill(h.va, 4096, 500);
	for (k = 0; k < 2; k++) {
		bool rd = k == 1;

		for (i = 0; i < (rd ? f->nrd : f->nwr); i++) {
			int16_t d = (rd ? f->rd : f->wr)[i];
			enum rte_dma_status_code st[2];
			uint16_t last = 0, n;
			rte_iova_t hs = h.iova, ep = EP_STOP + 0x1000 * i;

			/* two jobs left unsubmitted */
			if (rte_dma_copy(d, 0, rd ? hs : ep, rd ? ep : h2.iova, 64, 0) !=
					ids[d] ||
					rte_dma_copy(d, 0, rd ? hs : ep, rd ? ep : h2.iova, 64,
					0) != (uint16_t)(ids[d] + 1)) {
				printf("  dev %d: copy\n", d);
				goto out;
			}
			if (rte_dma_stop(d) != 0) {
				printf("  dev %d: stop\n", d);
				goto out;
			}
			n = rte_dma_completed_status(d, 0, 2, &last, st);
			if (n != 2 || last != (uint16_t)(ids[d] + 1) ||
					st[0] != RTE_DMA_STATUS_NOT_ATTEMPTED ||
					st[1] != RTE_DMA_STATUS_NOT_ATTEMPTED) {
				printf("  dev %d: %u jobs after the stop, statuses %d %d\n", d,
					n, n > 0 ? (int)st[0] : -1, n > 1 ? (int)st[1] : -1);
				goto out;
			}
			if (rte_dma_start(d) != 0) {
				printf("  dev %d: start\n", d);
				goto out;
			}
			/* the next copy must get id 0 again (checked by run()) */
			ids[d] = 0;
		}
	}
	/* data after the restart, ids from 0: every rd into the endpoint, back by wr */
	for (i = 0; i < f->nrd; i++) {
		memset(h2.va, 0, 4096);
		if (ep_write(f->rd[i], h.iova, EP_STOP + 0x1000 * i, 4096) != 0 ||
				ep_read(f->wr[i % f->nwr], EP_STOP + 0x1000 * i, h2.iova,
				4096) != 0 ||
				same(h2.va, h.va, 4096, "after stop/start") != 0)
			goto out;
	}
	note("%u channels stopped and started, unsubmitted jobs NOT_ATTEMPTED",
		f->nwr + f->nrd);
	rc = 0;
out:
	buf_put(&h);
	buf_put(&h2);
	return rc;
}

/* ---- case: hot remove ---- */

/* A BAR through sysfs (the device is no longer open through vfio). */
static volatile uint32_t *
bar_map(const struct fn *f, unsigned int bar, size_t *len)
{
	char path[128];
	struct stat stb;
	off_t sz;
	void *p;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u", f->bdf, bar);
	fd = open(path, O_RDONLY | O_SYNC);
	if (fd < 0) {
		if (errno != ENOENT)
			printf("  open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &stb) != 0 || stb.st_size <= 0) {
		printf("  no size for %s\n", path);
		close(fd);
		return NULL;
	}
	sz = stb.st_size;
	p = mmap(NULL, (size_t)sz, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("  mmap of %s: %s\n", path, strerror(errno));
		return NULL;
	}
	*len = (size_t)sz;
	return p;
}

static uint32_t
rd32(volatile const uint32_t *base, uint64_t off)
{
	return base[off / 4];
}

/*
 * After the removal, read what the hardware shows, as any host program could:
 * the metadata (HOST_REQ, READY) and the channel registers of the register
 * window, through the BARs' sysfs resource files.
 */
static int
check_quiesced(const struct fn *f)
{
	volatile uint32_t *bar[6] = { NULL };
	volatile uint32_t *meta = NULL, *reg;
	size_t len[6] = { 0 };
	uint32_t ctrl, v;
	uint64_t reg_off;
	unsigned int b, i, k, reg_bar;
	int rc = -1;

	for (b = 0; b < 6; b++) {
		bar[b] = bar_map(f, b, &len[b]);
		if (meta == NULL && bar[b] != NULL && len[b] >= 0x1c &&
				rd32(bar[b], 0) == META_MAGIC)
			meta = bar[b];
	}
	if (meta == NULL) {
		printf("  no BAR with the metadata magic readable through sysfs\n");
		goto out;
	}
	ctrl = rd32(meta, META_CTRL);
	/*
	 * The host sets HOST_REQ and clears it only when the handshake or the
	 * parse fails (hardware reference B.3, A.8), never in normal operation
	 * (E.6); the endpoint clears it at its own de-initialisation (B.4). A
	 * removal is neither: HOST_REQ and READY stay, and a later probe finds
	 * READY at once (B.3, first note).
	 */
	if ((ctrl & (CTRL_HOST_REQ | CTRL_READY)) != (CTRL_HOST_REQ | CTRL_READY)) {
		printf("  CTRL 0x%08x after the removal: HOST_REQ and READY should stay set\n",
			ctrl);
		goto out;
	}
	reg_bar = ctrl & 7;
	reg_off = rd32(meta, META_REG_LO) | (uint64_t)rd32(meta, META_REG_HI) << 32;
	if (bar[reg_bar] == NULL || reg_off >= len[reg_bar]) {
		printf("  register window BAR%u+0x%" PRIx64 " not readable\n", reg_bar, reg_off);
		goto out;
	}
	reg = bar[reg_bar] + reg_off / 4;
	/* every delegated channel: not running, and switched off (C.8, D.3, E.1) */
	for (k = 0; k < 2; k++) {
		bool rd = k == 1;

		for (i = 0; i < (rd ? f->nrd : f->nwr); i++) {
			if (f->map_format == 7) {
				uint32_t en = rd32(reg, HDMA_CH_BASE(rd, i) + HDMA_CH_EN);

				v = rd32(reg, HDMA_CH_BASE(rd, i) + HDMA_CH_STAT);
				if ((v & 3) == CS_RUNNING || (en & 1) != 0) {
					printf("  %s%u: ch_stat 0x%x ch_en 0x%x\n",
						rd ? "rd" : "wr", i, v, en);
					goto out;
				}
				continue;
			}
			v = rd32(reg, V0_CH_BASE(rd, i));
			if (V0_CS(v) == CS_RUNNING) {
				printf("  %s%u: ch_control1 0x%08x: still running\n",
					rd ? "rd" : "wr", i, v);
				goto out;
			}
			if (f->map_format == 5 && rd32(reg, V0_CH_PWR_EN(rd, i)) & 1) {
				printf("  %s%u: ch_pwr_en still on\n", rd ? "rd" : "wr", i);
				goto out;
			}
		}
		if (f->map_format == 1 &&
				rd32(reg, rd ? V0_RD_ENGINE_EN : V0_WR_ENGINE_EN) & 1) {
			printf("  %s_engine_en still on with every channel removed\n",
				rd ? "rd" : "wr");
			goto out;
		}
	}
	rc = 0;
out:
	for (b = 0; b < 6; b++)
		if (bar[b] != NULL)
			munmap((void *)(uintptr_t)bar[b], len[b]);
	return rc;
}

/*
 * Every channel gets a full ring of 64 KiB jobs (the server limits the
 * function's bandwidth, so they take seconds), the function is removed with
 * rte_dev_remove() while they run; afterwards the engine must move nothing
 * more, with fewer elements done than were queued, every channel stopped
 * and switched off, and HOST_REQ/READY as the reference says. Then the
 * function is probed again, finds READY set, and moves data.
 */
#define REMOVE_JOB	65536u
#define REMOVE_JOBS	100u

static int
t_remove(struct fn *f)
{
	struct buf h = { 0 }, h2 = { 0 };
	struct rte_device *dev = pci_dev(f->bdf);
	struct dbg d0, d1, d2;
	unsigned int i, k, queued = 0;
	uint64_t end;
	bool busy = false;
	int rc = -1;

	CHECK(dev != NULL, "no PCI device %s", f->bdf);
	if (buf_get(&h, REMOVE_JOB) != 0 || buf_get(&h2, REMOVE_JOB) != 0)
		goto out;
	fill(h.va, REMOVE_JOB, 600);
	if (dbg_read(f, &d0) != 0)
		goto out;
	for (k = 0; k < 2; k++) {
		bool rd = k == 1;

		for (i = 0; i < (rd ? f->nrd : f->nwr); i++) {
			int16_t d = (rd ? f->rd : f->wr)[i];
			struct rte_dma_info info;
			unsigned int n;

			rte_dma_info_get(d, &info);
			n = RTE_MIN(REMOVE_JOBS, info.max_desc);
			for (; n > 0; n--) {
				rte_iova_t ep = EP_REMOVE + (uint64_t)REMOVE_JOB * (n % 64);

				if (rte_dma_copy(d, 0, rd ? h.iova : ep, rd ? ep : h2.iova,
						REMOVE_JOB, n == 1 ? RTE_DMA_OP_FLAG_SUBMIT :
						0) != ids[d]++) {
					printf("  dev %d: copy\n", d);
					goto out;
				}
				queued++;
			}
		}
	}
	/* wait until the engine is at it */
	end = deadline(WAIT_MS);
	while (!busy && !expired(end)) {
		if (dbg_read(f, &d1) == 0 && d1.elem > d0.elem)
			busy = true;
	}
	if (!busy) {
		printf("  the engine did not start on the queued jobs\n");
		goto out;
	}
	if (rte_dev_remove(dev) != 0) {
		printf("  rte_dev_remove(%s) failed\n", f->bdf);
		goto out;
	}
	f->probed = false;
	if (devs_of(f) != 0) {
		printf("  %u dmadevs left after the removal\n", devs_of(f));
		goto out;
	}
	if (dbg_read(f, &d1) != 0)
		goto out;
	rte_delay_us_sleep(300000);
	if (dbg_read(f, &d2) != 0)
		goto out;
	if (d2.elem != d1.elem || d2.bytes != d1.bytes) {
		printf("  the engine moved %" PRIu64 " more elements after the removal\n",
			d2.elem - d1.elem);
		goto out;
	}
	/* the jobs, plus at most one write-back element per write channel */
	if (d1.elem - d0.elem >= queued) {
		printf("  all %u queued jobs finished before the removal: nothing to quiesce\n",
			queued);
		goto out;
	}
	if (d2.resets != d0.resets) {
		printf("  the function was reset (%u -> %u): the driver's quiesce is not what "
			"was seen\n", d0.resets, d2.resets);
		goto out;
	}
	if (check_quiesced(f) != 0)
		goto out;
	note("%" PRIu64 " elements done of %u jobs queued at the removal, none after; "
		"channels stopped and off; HOST_REQ and READY kept", d1.elem - d0.elem, queued);
	/* probed again: READY is there, no handshake wait, data moves */
	if (probe(f->bdf) != 0) {
		printf("  probe again failed\n");
		goto out;
	}
	f->probed = true;
	for (k = 0; k < 2; k++)
		for (i = 0; i < (k ? f->nrd : f->nwr); i++)
			(k ? f->rd : f->wr)[i] = dev_of(f, k == 1, i);
	if (f->rd[0] < 0 || f->wr[0] < 0 || chan_start(f->rd[0], true) != 0 ||
			chan_start(f->wr[0], false) != 0)
		goto out;
	memset(h2.va, 0, 4096);
	if (ep_write(f->rd[0], h.iova, EP_STOP, 4096) != 0 ||
			ep_read(f->wr[0], EP_STOP, h2.iova, 4096) != 0 ||
			same(h2.va, h.va, 4096, "after the re-probe") != 0)
		goto out;
	note("; probed again, data moves");
	rc = 0;
out:
	buf_put(&h);
	buf_put(&h2);
	return rc;
}

/* ---- a delegating function: every case ---- */

static void
dma_function(struct fn *f)
{
	static const struct {
		const char *name;
		int (*fn)(struct fn *f);
	} cases[] = {
		{ "abort", t_abort },
		{ "data", t_data },
		{ "sg", t_sg },
		{ "ring-wrap", t_ring },
		{ "stop-start", t_stop_start },
		{ "hot-remove", t_remove },
	};
	unsigned int i, k;
	int rc;

	rc = violations_after(f, t_probe(f));
	result(rc, "probe", f->layout);
	f->probed = rc == 0;
	for (k = 0; k < 2 && f->probed; k++)
		for (i = 0; i < (k ? f->nrd : f->nwr) && f->probed; i++)
			if (chan_start((k ? f->rd : f->wr)[i], k == 1) != 0)
				f->probed = false;
	for (i = 0; i < RTE_DIM(cases); i++) {
		if (!f->probed) {
			note("%s not probed", f->bdf);
			result(-1, cases[i].name, f->layout);
			continue;
		}
		rc = violations_after(f, cases[i].fn(f));
		result(rc, cases[i].name, f->layout);
	}
}

/* ---- the other roles ---- */

/* Function 0 of the slot: class 0x0801, no metadata. */
static void
blank_function(struct fn *f, size_t log_at_init)
{
	char msg[160];
	struct dbg d;
	int rc = -1;

	snprintf(msg, sizeof(msg), "%s: class 0x0801 device without endpoint DMA metadata, "
		"declined", f->bdf);
	if (!log_has(log_at_init, msg))
		printf("  the driver did not log that it declined %s\n", f->bdf);
	else if (devs_of(f) != 0)
		printf("  %u dmadevs for %s\n", devs_of(f), f->bdf);
	else if (dbg_read(f, &d) != 0 || d.kind != 0)
		printf("  %s: no blank debug capability\n", f->bdf);
	else if (d.barwr != 0 || d.viol != 0)
		printf("  %s: %" PRIu64 " BAR writes received\n", f->bdf, d.barwr);
	else {
		note("class matched, no metadata, declined; BAR writes %" PRIu64, d.barwr);
		rc = 0;
	}
	result(violations_after(f, rc), "blank-declined", "fn0");
}

/*
 * The model accepts DMA only from another requester function than the one
 * the function sits at, which is what a wrong FUNC_NUM would do on a host
 * with an IOMMU: every job must fail, nothing reach host memory.
 */
static int
t_badfunc(struct fn *f)
{
	enum rte_dma_status_code st[4];
	struct job j[2];
	struct buf h = { 0 }, h2 = { 0 };
	struct dbg d0, d1;
	unsigned int k;
	int rc = -1;

	f->rd[0] = dev_of(f, true, 0);
	f->wr[0] = dev_of(f, false, 0);
	CHECK(f->rd[0] >= 0 && f->wr[0] >= 0, "%s not probed", f->bdf);
	if (chan_start(f->rd[0], true) != 0 || chan_start(f->wr[0], false) != 0 ||
			buf_get(&h, 4096) != 0 || buf_get(&h2, 4096) != 0 ||
			dbg_read(f, &d0) != 0)
		goto out;
	fill(h.va, 4096, 700);
	memset(h2.va, 0xee, 4096);
	for (k = 0; k < 2; k++)
		j[k] = (struct job){ h.iova + 1024 * k, EP_DATA + 1024 * k, 1024 };
	if (run(f->rd[0], j, 2, 2, st) != 0)
		goto out;
	for (k = 0; k < 2; k++)
		j[k] = (struct job){ EP_DATA + 1024 * k, h2.iova + 1024 * k, 1024 };
	if (run(f->wr[0], j, 2, 2, st + 2) != 0)
		goto out;
	for (k = 0; k < 4; k++)
		if (st[k] == RTE_DMA_STATUS_SUCCESSFUL) {
			printf("  %s job %u succeeded with the wrong requester function\n",
				k < 2 ? "rd0" : "wr0", k % 2);
			goto out;
		}
	/* eDMA: the host's refusal of the read is an unsupported request */
	if (f->map_format != 7 && st[0] != RTE_DMA_STATUS_INVALID_SRC_ADDR) {
		printf("  rd0 status %s, expected INVALID_SRC_ADDR (UR)\n", status_name(st[0]));
		goto out;
	}
	for (k = 0; k < 4096; k++)
		if (h2.va[k] != 0xee) {
			printf("  host byte %u written by a refused DMA\n", k);
			goto out;
		}
	if (dbg_read(f, &d1) != 0 || d1.aborts - d0.aborts < 4) {
		printf("  %" PRIu64 " aborts counted, expected every job's\n",
			d1.aborts - d0.aborts);
		goto out;
	}
	note("FUNC_NUM %u refused: rd0 %s %s, wr0 %s %s, %" PRIu64 " aborts, host untouched",
		f->pci_func, status_name(st[0]), status_name(st[1]), status_name(st[2]),
		status_name(st[3]), d1.aborts - d0.aborts);
	rc = 0;
out:
	buf_put(&h);
	buf_put(&h2);
	return rc;
}

/*
 * Under the vfio-pre416 shim (LD_PRELOAD), with the MSI-X table in the
 * metadata BAR's second page: DPDK maps the BAR around the table page, the
 * driver finds part of its discovery span unreadable and reads the metadata
 * through the vfio region; the windows it uses as MMIO lie in other BARs.
 */
static int
t_region(struct fn *f, size_t log_at_init)
{
	struct buf h = { 0 }, h2 = { 0 };
	char msg[192];
	int rc = -1;

	snprintf(msg, sizeof(msg), "%s: BAR0: blob page not mapped (MSI-X table page withheld "
		"by vfio-pci), metadata read through the vfio region", f->bdf);
	CHECK(log_has(log_at_init, msg), "the driver did not log '%s'", msg);
	CHECK(t_probe(f) == 0, "channels");
	detail[0] = '\0';
	if (chan_start(f->rd[0], true) != 0 || chan_start(f->wr[0], false) != 0 ||
			buf_get(&h, 65536) != 0 || buf_get(&h2, 65536) != 0)
		goto out;
	fill(h.va, 65536, 800);
	if (ep_write(f->rd[0], h.iova, EP_DATA, 65536) != 0 ||
			ep_read(f->wr[0], EP_DATA, h2.iova, 65536) != 0 ||
			same(h2.va, h.va, 65536, "through the region-probed function") != 0)
		goto out;
	note("metadata read through the vfio region; windows mapped; 64 KiB each way");
	rc = 0;
out:
	buf_put(&h);
	buf_put(&h2);
	return rc;
}

/*
 * Under the shim, a function whose MSI-X table shares the blob's page (the
 * real function's layout): DPDK 22.11 asks for the bytes before the table,
 * a mapping of that page, which vfio-pci before 4.16 refuses. The probe
 * fails before the driver runs; nothing is written to the function.
 */
static int
t_nomap(struct fn *f)
{
	size_t mark = log_mark();
	struct dbg d0, d1;
	int rc;

	CHECK(dbg_read(f, &d0) == 0, "debug capability");
	rc = probe(f->bdf);
	CHECK(rc != 0, "probe of %s succeeded", f->bdf);
	CHECK(log_has(mark, "mapping BAR0 failed"), "no BAR0 mapping failure logged");
	CHECK(devs_of(f) == 0, "dmadevs for %s", f->bdf);
	CHECK(dbg_read(f, &d1) == 0 && d1.barwr == d0.barwr, "BAR writes %" PRIu64 " -> %"
		PRIu64, d0.barwr, d1.barwr);
	note("DPDK 22.11 cannot map BAR0 on pre-4.16 vfio-pci (rte_dev_probe %d)", rc);
	return 0;
}

/* ---- main ---- */

static int
parse_fn(enum role role, const char *arg)
{
	struct fn *f;
	char tmp[96], *p, *save = NULL;

	if (nfns == MAX_FNS || strlen(arg) >= sizeof(tmp))
		return -1;
	f = &fns[nfns++];
	memset(f, 0, sizeof(*f));
	f->role = role;
	snprintf(tmp, sizeof(tmp), "%s", arg);
	p = strtok_r(tmp, ":", &save);
	/* domain:bus:dev.fn holds colons itself: take three fields */
	if (p == NULL)
		return -1;
	snprintf(f->bdf, sizeof(f->bdf), "%s", p);
	p = strtok_r(NULL, ":", &save);
	if (p != NULL) {
		strncat(f->bdf, ":", sizeof(f->bdf) - strlen(f->bdf) - 1);
		strncat(f->bdf, p, sizeof(f->bdf) - strlen(f->bdf) - 1);
	}
	p = strtok_r(NULL, ":", &save);
	if (p != NULL) {
		strncat(f->bdf, ":", sizeof(f->bdf) - strlen(f->bdf) - 1);
		strncat(f->bdf, p, sizeof(f->bdf) - strlen(f->bdf) - 1);
	}
	f->pci_func = bdf_function(f->bdf);
	snprintf(f->layout, sizeof(f->layout), "edma-unroll");
	f->nwr = f->nrd = 1;
	if (role == R_DMA) {
		p = strtok_r(NULL, ":", &save);
		if (p == NULL)
			return -1;
		snprintf(f->layout, sizeof(f->layout), "%s", p);
		p = strtok_r(NULL, ":", &save);
		f->nwr = p != NULL ? (unsigned int)atoi(p) : 0;
		p = strtok_r(NULL, ":", &save);
		f->nrd = p != NULL ? (unsigned int)atoi(p) : 0;
		if (f->nwr == 0 || f->nrd == 0 || f->nwr > MAX_CH || f->nrd > MAX_CH)
			return -1;
	}
	if (strcmp(f->layout, "edma-unroll") == 0)
		f->map_format = 1;
	else if (strcmp(f->layout, "hdma-compat") == 0)
		f->map_format = 5;
	else if (strcmp(f->layout, "hdma-native") == 0)
		f->map_format = 7;
	else
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	cookie_io_functions_t io = { .write = log_write };
	size_t log_at_init;
	unsigned int i;
	int used, k;

	logf = fopencookie(NULL, "w", io);
	if (logf == NULL || rte_openlog_stream(logf) != 0) {
		printf("FAIL vm/log (cannot capture the DPDK log)\n");
		return 1;
	}
	setvbuf(logf, NULL, _IOLBF, 0);
	log_at_init = log_mark();
	used = rte_eal_init(argc, argv);
	if (used < 0) {
		printf("FAIL vm/eal-init (%s)\n", rte_strerror(rte_errno));
		return 1;
	}
	for (k = used + 1; k < argc; k++) {
		static const struct {
			const char *opt;
			enum role role;
		} opts[] = {
			{ "--dma", R_DMA }, { "--blank", R_BLANK }, { "--badfunc", R_BADFUNC },
			{ "--region", R_REGION }, { "--nomap", R_NOMAP },
		};
		unsigned int o;

		for (o = 0; o < RTE_DIM(opts); o++)
			if (strcmp(argv[k], opts[o].opt) == 0 && k + 1 < argc)
				break;
		if (o == RTE_DIM(opts) || parse_fn(opts[o].role, argv[++k]) != 0) {
			printf("FAIL vm/usage (bad argument '%s')\n", argv[k]);
			rte_eal_cleanup();
			return 1;
		}
	}
	for (i = 0; i < nfns; i++) {
		struct fn *f = &fns[i];
		int rc;

		switch (f->role) {
		case R_DMA:
			dma_function(f);
			break;
		case R_BLANK:
			blank_function(f, log_at_init);
			break;
		case R_BADFUNC:
			rc = violations_after(f, t_badfunc(f));
			result(rc, "requester-function-mismatch", "badfunc");
			break;
		case R_REGION:
			rc = violations_after(f, t_region(f, log_at_init));
			result(rc, "msix-page-withheld", "region");
			break;
		case R_NOMAP:
			rc = violations_after(f, t_nomap(f));
			result(rc, "msix-page-withheld-unmappable", "nomap");
			break;
		}
	}
	rte_eal_cleanup();
	rte_openlog_stream(NULL);
	fclose(logf);
	free(logcap.buf);
	return failures != 0 ? 1 : 0;
}
