/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Tests of ep-model-pci without QEMU: this program plays QEMU's proxy
 * (x-pci-proxy-dev) on a socket pair, either against the library in this
 * process (each message is served right after it is sent: deterministic,
 * with the model in thread=0 mode) or against the ep-model-pci program
 * (--fd, or spawned as its command with --fake-qemu). Guest RAM is a memfd,
 * as QEMU's memory-backend-memfd is.
 *
 * Usage: test_ep_model_pci [path/to/ep-model-pci [case-filter]]
 *        test_ep_model_pci --fake-qemu MODE FD0 FD1   (run by ep-model-pci)
 * Without EAL on purpose: the program never initialises it either.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "ep_model.h"
#include "ep_mpqemu.h"
#include "ep_pcifn.h"
#include "ep_transport.h"
#include "../../../app/test/ep_test.h"

/* Facts the tests use, written from the PCI specification and hardware reference A/C. */
#define CFG_COMMAND 0x04
#define CMD_MEM 0x2
#define CMD_MASTER 0x4
#define CFG_BAR(i) (0x10 + 4 * (i))
#define MAGIC 0x4d444550u
#define CTRL_H (1u << 30)
#define CTRL_R (1u << 31)
#define CB (1u << 0)
#define LIE (1u << 3)
#define CTL1_CCS (1u << 8)
#define CTL1_LLE (1u << 9)
#define CTL1_FUNC(f) ((uint32_t)(f) << 12)
#define WR 0
#define RD 1
#define EP_MEM_BASE 0x4000000ULL	/* the model's default ep_mem_base */

/* Guest RAM: two ranges with the legacy hole between them, as on a PC. */
#define RAM_SIZE (16u << 20)
#define RAM_LO_END 0xa0000ULL
#define RAM_HI_GPA 0x100000ULL
#define BAR_BASE 0xfe000000ULL

#define QC_BAD 0xbad0bad0bad0bad0ULL
#define DEADLINE_NS (10ULL * 1000000000ULL)

static const char *prog_path;
static unsigned int seq;

/* ---- QEMU's side of the link ---- */

struct qc {
	int q;			/* QEMU's end of the socket pair */
	struct ep_pcifn *fn;	/* in-process server, NULL for another process */
	void *conn;
	int last_rc;		/* what the in-process server returned */
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
qc_send(struct qc *c, int cmd, const void *pl, uint64_t size, const int *fds,
		unsigned int nfds)
{
	struct ep_mpq_hdr h = { .cmd = cmd, .size = size };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(32 * sizeof(int))];
	} ctl;
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)(uintptr_t)pl, .iov_len = pl != NULL ? size : 0 },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	memset(&ctl, 0, sizeof(ctl));
	if (nfds > 0) {
		struct cmsghdr *cm;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	if (sendmsg(c->q, &mh, MSG_NOSIGNAL) < 0)
		return -errno;
	if (c->conn != NULL)
		c->last_rc = ep_mpqemu_transport.serve(c->conn);
	return 0;
}

/* The RET reply; fails rather than waits when none is coming. */
static int
qc_ret(struct qc *c, uint64_t *val)
{
	struct {
		struct ep_mpq_hdr h;
		uint64_t v;
	} m;
	struct pollfd p = { .fd = c->q, .events = POLLIN };
	ssize_t r;

	if (c->conn == NULL && poll(&p, 1, 10000) != 1)
		return -ETIMEDOUT;
	r = recv(c->q, &m, sizeof(m), MSG_DONTWAIT | MSG_WAITALL);
	if (r != (ssize_t)sizeof(m) || m.h.cmd != EP_MPQ_CMD_RET || m.h.size != 8)
		return -EPROTO;
	*val = m.v;
	return 0;
}

static bool
qc_no_reply(struct qc *c)
{
	char b;

	return recv(c->q, &b, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static uint64_t
cfg_rd(struct qc *c, uint32_t off, int len)
{
	struct ep_mpq_conf cf = { .addr = off, .len = len };
	uint64_t v;

	if (qc_send(c, EP_MPQ_CMD_PCI_CFGREAD, &cf, sizeof(cf), NULL, 0) != 0 ||
			qc_ret(c, &v) != 0)
		return QC_BAD;
	return v;
}

static uint64_t
cfg_wr(struct qc *c, uint32_t off, int len, uint32_t val)
{
	struct ep_mpq_conf cf = { .addr = off, .val = val, .len = len };
	uint64_t v;

	if (qc_send(c, EP_MPQ_CMD_PCI_CFGWRITE, &cf, sizeof(cf), NULL, 0) != 0 ||
			qc_ret(c, &v) != 0)
		return QC_BAD;
	return v;
}

static uint64_t
mem_rd(struct qc *c, uint64_t gpa, unsigned int size)
{
	struct ep_mpq_bar b = { .addr = gpa, .size = size, .memory = 1 };
	uint64_t v;

	if (qc_send(c, EP_MPQ_CMD_BAR_READ, &b, sizeof(b), NULL, 0) != 0 || qc_ret(c, &v) != 0)
		return QC_BAD;
	return v;
}

static int
mem_wr(struct qc *c, uint64_t gpa, unsigned int size, uint64_t val)
{
	struct ep_mpq_bar b = { .addr = gpa, .val = val, .size = size, .memory = 1 };
	uint64_t v;

	if (qc_send(c, EP_MPQ_CMD_BAR_WRITE, &b, sizeof(b), NULL, 0) != 0 || qc_ret(c, &v) != 0)
		return -1;
	return 0;
}

static int
device_reset(struct qc *c)
{
	uint64_t v;

	if (qc_send(c, EP_MPQ_CMD_DEVICE_RESET, NULL, 0, NULL, 0) != 0 || qc_ret(c, &v) != 0)
		return -1;
	return 0;
}

/* Let a thread=0 model run dry (the threaded one runs by itself). */
static void
pump(struct qc *c)
{
	struct ep_model *m = c->fn != NULL ? ep_pcifn_model(c->fn) : NULL;
	struct ep_model_info in;

	if (m == NULL || ep_model_info_get(m, &in) != 0 || in.threaded)
		return;
	while (ep_model_poll(m) > 0)
		;
}

/* ---- guest RAM and the device as a driver finds it ---- */

struct guest {
	int memfd;
	uint8_t *ram;
};

static int
guest_ram(struct guest *g)
{
	g->ram = MAP_FAILED;
	g->memfd = memfd_create("guest-ram", MFD_CLOEXEC);
	if (g->memfd < 0 || ftruncate(g->memfd, RAM_SIZE) != 0)
		return -1;
	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, g->memfd, 0);
	return g->ram == MAP_FAILED ? -1 : 0;
}

static void
guest_free(struct guest *g)
{
	if (g->ram != MAP_FAILED && g->ram != NULL)
		munmap(g->ram, RAM_SIZE);
	if (g->memfd >= 0)
		close(g->memfd);
	g->ram = NULL;
	g->memfd = -1;
}

/* QEMU's memory listener: the RAM ranges, one fd each. */
static int
sync_sysmem(struct qc *c, const struct guest *g)
{
	struct ep_mpq_sysmem s;
	int fds[2] = { g->memfd, g->memfd };

	memset(&s, 0, sizeof(s));
	s.gpa[0] = 0;
	s.size[0] = RAM_LO_END;
	s.offset[0] = 0;
	s.gpa[1] = RAM_HI_GPA;
	s.size[1] = RAM_SIZE - RAM_HI_GPA;
	s.offset[1] = (int64_t)RAM_HI_GPA;
	return qc_send(c, EP_MPQ_CMD_SYNC_SYSMEM, &s, sizeof(s), fds, 2);
}

struct dev {
	uint64_t base[6], len[6];
	bool is64[6];
	int meta_bar;
	uint32_t reg_bar, wr, rd;
	uint64_t reg_off;
	uint32_t desc_bar[16];
	uint64_t desc_off[16], desc_addr[16];
};

static uint64_t
bar_gpa(const struct dev *d, unsigned int bar, uint64_t off)
{
	return d->base[bar] + off;
}

/*
 * Size every BAR as QEMU's proxy and firmware do (save, all-ones, read back,
 * restore), then place them from BAR_BASE up (hi: upper dword of 64-bit
 * bases) and enable memory decode and bus mastering.
 */
static int
setup_bars(struct qc *c, struct dev *d, uint32_t hi)
{
	uint64_t next = BAR_BASE;
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->meta_bar = -1;
	for (i = 0; i < 6; i++) {
		uint64_t orig = cfg_rd(c, CFG_BAR(i), 4), mask;

		if (orig == QC_BAD || cfg_wr(c, CFG_BAR(i), 4, UINT32_MAX) == QC_BAD)
			return -1;
		mask = cfg_rd(c, CFG_BAR(i), 4);
		if (cfg_wr(c, CFG_BAR(i), 4, (uint32_t)orig) == QC_BAD || mask == QC_BAD)
			return -1;
		if ((mask & ~0xfULL) == 0)
			continue;
		d->is64[i] = (mask & 0x6) == 0x4;
		d->len[i] = (uint32_t)~(mask & ~0xfULL) + 1ULL;
		if (d->is64[i]) {
			uint64_t up;

			cfg_wr(c, CFG_BAR(i + 1), 4, UINT32_MAX);
			up = cfg_rd(c, CFG_BAR(i + 1), 4);
			cfg_wr(c, CFG_BAR(i + 1), 4, 0);
			if (up != UINT32_MAX)	/* all model BARs are below 4 GiB */
				return -2;
		}
		next = RTE_ALIGN_CEIL(next, d->len[i]);
		d->base[i] = next | (uint64_t)(d->is64[i] ? hi : 0) << 32;
		cfg_wr(c, CFG_BAR(i), 4, (uint32_t)next);
		if (d->is64[i])
			cfg_wr(c, CFG_BAR(i + 1), 4, hi);
		next += d->len[i];
		if (d->is64[i])
			i++;
	}
	return cfg_wr(c, CFG_COMMAND, 2, CMD_MEM | CMD_MASTER) == QC_BAD ? -1 : 0;
}

static uint32_t
rd32(struct qc *c, const struct dev *d, unsigned int bar, uint64_t off)
{
	return (uint32_t)mem_rd(c, bar_gpa(d, bar, off), 4);
}

static int
wr32(struct qc *c, const struct dev *d, unsigned int bar, uint64_t off, uint32_t v)
{
	return mem_wr(c, bar_gpa(d, bar, off), 4, v);
}

/* Find the metadata as the driver does (hardware reference B.3) and read the tables. */
static int
find_meta(struct qc *c, struct dev *d)
{
	unsigned int i, es, n;
	uint32_t ctrl;

	for (i = 0; i < 6; i++) {
		if (d->len[i] != 0 && rd32(c, d, i, 0) == MAGIC) {
			d->meta_bar = (int)i;
			break;
		}
	}
	if (d->meta_bar < 0)
		return -1;
	ctrl = rd32(c, d, d->meta_bar, 0x08);
	d->reg_bar = ctrl & 7;
	d->wr = (ctrl >> 3) & 0xff;
	d->rd = (ctrl >> 11) & 0xff;
	es = (ctrl >> 19) & 0xff;
	d->reg_off = rd32(c, d, d->meta_bar, 0x0c) |
		(uint64_t)rd32(c, d, d->meta_bar, 0x10) << 32;
	for (n = 0; n < d->wr + d->rd && n < 16; n++) {
		uint64_t e = 0x1c + n * es;

		d->desc_bar[n] = (rd32(c, d, d->meta_bar, e) >> 8) & 7;
		d->desc_off[n] = rd32(c, d, d->meta_bar, e + 4) |
			(uint64_t)rd32(c, d, d->meta_bar, e + 8) << 32;
		d->desc_addr[n] = rd32(c, d, d->meta_bar, e + 0x10) |
			(uint64_t)rd32(c, d, d->meta_bar, e + 0x14) << 32;
	}
	return 0;
}

/* HOST_REQ, then wait for READY (hardware reference B.3). */
static int
handshake(struct qc *c, const struct dev *d)
{
	uint64_t t0 = now_ns();
	uint32_t ctrl = rd32(c, d, d->meta_bar, 0x08);

	if (wr32(c, d, d->meta_bar, 0x08, ctrl | CTRL_H) != 0)
		return -1;
	while (!(rd32(c, d, d->meta_bar, 0x08) & CTRL_R)) {
		pump(c);
		if (now_ns() - t0 > DEADLINE_NS)
			return -1;
	}
	return 0;
}

/*
 * One data element on channel 0 of dir (eDMA unroll registers, hardware
 * reference C), written through the BARs as the driver writes it. Returns the
 * status word's DONE/ABORT bits for the channel, or -1.
 */
static int64_t
run_elem(struct qc *c, const struct dev *d, int dir, unsigned int func, uint64_t sar,
		uint64_t dar, uint32_t size)
{
	unsigned int n = dir == WR ? 0 : d->wr, db = d->desc_bar[n], rb = d->reg_bar;
	uint64_t r = d->reg_off, e = d->desc_off[n], t0 = now_ns();
	uint32_t blk = dir == WR ? 0x200 : 0x300;
	uint32_t en = dir == WR ? 0x0c : 0x2c, bell = dir == WR ? 0x10 : 0x30;
	uint32_t st = dir == WR ? 0x4c : 0xa0, clr = dir == WR ? 0x58 : 0xac;
	uint32_t s;

	wr32(c, d, db, e + 4, size);
	wr32(c, d, db, e + 8, (uint32_t)sar);
	wr32(c, d, db, e + 12, (uint32_t)(sar >> 32));
	wr32(c, d, db, e + 16, (uint32_t)dar);
	wr32(c, d, db, e + 20, (uint32_t)(dar >> 32));
	wr32(c, d, db, e, CB | LIE);	/* control word last */
	wr32(c, d, rb, r + en, 1);
	wr32(c, d, rb, r + blk, CTL1_CCS | CTL1_LLE | CTL1_FUNC(func));
	wr32(c, d, rb, r + blk + 0x1c, (uint32_t)d->desc_addr[n]);
	wr32(c, d, rb, r + blk + 0x20, (uint32_t)(d->desc_addr[n] >> 32));
	(void)rd32(c, d, db, e);	/* flush the posted LL writes */
	wr32(c, d, rb, r + bell, 0);
	for (;;) {
		pump(c);
		s = rd32(c, d, rb, r + st) & ((1u << 16) | 1u);
		if (s != 0)
			break;
		if (now_ns() - t0 > DEADLINE_NS)
			return -1;
	}
	wr32(c, d, rb, r + clr, s);
	return s;
}

static void
fill(uint8_t *p, size_t n, unsigned int k)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + k + (i >> 8));
}

/*
 * The data path end to end: guest RAM -> endpoint memory (read channel),
 * endpoint memory -> guest RAM (write channel), compared byte for byte;
 * then elements the host's RAM map rejects abort. Runs in-process and in
 * the fake QEMU alike.
 */
static int
dma_scenario(struct qc *c, struct guest *g, struct dev *d, uint32_t bar_hi)
{
	const uint64_t src = RAM_HI_GPA + 0x3000, dst = RAM_HI_GPA + 0x80000;
	const uint32_t len = 12345;

	EP_TEST_ASSERT_EQ(sync_sysmem(c, g), 0, "SYNC_SYSMEM");
	EP_TEST_ASSERT(qc_no_reply(c), "SYNC_SYSMEM gets no reply");
	EP_TEST_ASSERT_EQ(setup_bars(c, d, bar_hi), 0, "BAR sizing and placement");
	EP_TEST_ASSERT_EQ(find_meta(c, d), 0, "metadata magic through a BAR read");
	EP_TEST_ASSERT(d->wr >= 1 && d->rd >= 1, "channels %u/%u", d->wr, d->rd);
	EP_TEST_ASSERT_EQ(handshake(c, d), 0, "HOST_REQ -> READY");
	fill(g->ram + src, len, 3);
	memset(g->ram + dst, 0, len);
	EP_TEST_ASSERT_EQ(run_elem(c, d, RD, 1, src, EP_MEM_BASE + 0x1000, len), 1,
		"read channel element DONE");
	if (c->fn != NULL) {
		struct ep_model_info in;

		ep_model_info_get(ep_pcifn_model(c->fn), &in);
		EP_TEST_ASSERT(memcmp((uint8_t *)in.ep_mem + 0x1000, g->ram + src, len) == 0,
			"guest RAM landed in endpoint memory");
	}
	EP_TEST_ASSERT_EQ(run_elem(c, d, WR, 1, EP_MEM_BASE + 0x1000, dst, len), 1,
		"write channel element DONE");
	EP_TEST_ASSERT(memcmp(g->ram + dst, g->ram + src, len) == 0,
		"guest RAM -> endpoint -> guest RAM byte for byte");
	/* beyond the end of RAM, and across the end of the low range */
	EP_TEST_ASSERT_EQ(run_elem(c, d, RD, 1, RAM_SIZE + 0x1000ULL, EP_MEM_BASE, 64),
		1u << 16, "read outside guest RAM aborts");
	EP_TEST_ASSERT_EQ(run_elem(c, d, WR, 1, EP_MEM_BASE, RAM_LO_END - 0x100, 0x200),
		1u << 16, "write straddling the end of a RAM range aborts");
	EP_TEST_ASSERT_EQ(run_elem(c, d, RD, 1, src, EP_MEM_BASE, 64), 1,
		"the channel runs again after aborts");
	return 0;
}

/* ---- in-process fixture ---- */

struct fx {
	struct qc c;
	struct guest g;
	struct dev d;
	int dev_end;
};

static int
fx_setup_opts(struct fx *f, const struct ep_pcifn_opts *o)
{
	int sv[2];

	memset(f, 0, sizeof(*f));
	f->c.q = -1;
	f->g.memfd = -1;
	f->dev_end = -1;
	f->c.fn = ep_pcifn_create(o);
	if (f->c.fn == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	f->c.q = sv[0];
	f->c.conn = ep_mpqemu_transport.attach(sv[1], f->c.fn);
	return f->c.conn == NULL ? -1 : 0;
}

static int
fx_setup(struct fx *f, const char *model_args)
{
	struct ep_pcifn_opts o;
	char name[32];

	snprintf(name, sizeof(name), "t%u", seq++);
	ep_pcifn_opts_init(&o, EP_PCIFN_DMA);
	o.name = name;
	o.model_args = model_args;
	if (fx_setup_opts(f, &o) != 0)
		return -1;
	return guest_ram(&f->g);
}

static void
fx_teardown(struct fx *f)
{
	if (f->c.conn != NULL)
		ep_mpqemu_transport.detach(f->c.conn);
	if (f->c.q >= 0)
		close(f->c.q);
	ep_pcifn_destroy(f->c.fn);
	guest_free(&f->g);
	memset(f, 0, sizeof(*f));
}

/* Run body on a fresh fixture and always tear it down. */
#define FX_CASE(name, args) \
static int name ## _body(struct fx *f); \
static int \
name(void) \
{ \
	struct fx f; \
	int rc = fx_setup(&f, args); \
\
	if (rc != 0) \
		printf("  fixture setup failed (%s)\n", rte_strerror(rte_errno)); \
	else \
		rc = name ## _body(&f); \
	fx_teardown(&f); \
	return rc; \
}

#define DET "thread=0,ready_poll_ms=0"

static int
count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (dir == NULL)
		return -1;
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1;	/* the directory's own fd */
}

/* Offset of capability id in the chain, 0 if absent. */
static unsigned int
find_cap(struct qc *c, unsigned int id)
{
	unsigned int p = (unsigned int)cfg_rd(c, 0x34, 1), n = 0;

	while (p != 0 && n++ < 48) {
		if (cfg_rd(c, p, 1) == id)
			return p;
		p = (unsigned int)cfg_rd(c, p + 1, 1);
	}
	return 0;
}

/* ---- cases ---- */

FX_CASE(test_config_space, DET ",wr=2,rd=1,hw_wr=2")
static int
test_config_space_body(struct fx *f)
{
	struct qc *c = &f->c;
	struct ep_model_info in;
	unsigned int msix, exp, dbg;
	uint64_t v;

	ep_model_info_get(ep_pcifn_model(c->fn), &in);
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x00, 2), 0x16c3, "vendor");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x02, 2), 0xed01, "device");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x00, 4), 0xed0116c3, "dword");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x08, 4) >> 8, 0x080100, "class 0x080100");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x0a, 2), 0x0801, "class as QEMU's probe reads it");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x0e, 1), 0x00, "header type 0, single function");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x2c, 4), 0xed0116c3, "subsystem IDs");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x3d, 1), 1, "interrupt pin INTA");
	EP_TEST_ASSERT(cfg_rd(c, 0x06, 2) & 0x10, "status: capabilities list");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x30, 4), 0, "no expansion ROM");
	/* MSI-X where the model put the table: after the blob, metadata BAR */
	msix = find_cap(c, 0x11);
	EP_TEST_ASSERT(msix != 0, "MSI-X capability");
	EP_TEST_ASSERT_EQ((cfg_rd(c, msix + 2, 2) & 0x7ff) + 1, in.msix_vectors, "table size");
	EP_TEST_ASSERT_EQ(in.msix_vectors, 3, "one vector per channel");
	v = cfg_rd(c, msix + 4, 4);
	EP_TEST_ASSERT_EQ(v & 7, in.metadata_bar, "table BIR = metadata BAR");
	EP_TEST_ASSERT_EQ(v & ~7ULL, in.msix_table_off, "table offset");
	EP_TEST_ASSERT_EQ(v & ~7ULL, RTE_ALIGN_CEIL(in.meta_len, 8), "right after the blob");
	v = cfg_rd(c, msix + 8, 4);
	EP_TEST_ASSERT_EQ(v & 7, in.metadata_bar, "PBA BIR");
	EP_TEST_ASSERT_EQ(v & ~7ULL, in.msix_pba_off, "PBA offset");
	exp = find_cap(c, 0x10);
	EP_TEST_ASSERT(exp != 0, "PCI Express capability");
	EP_TEST_ASSERT_EQ(cfg_rd(c, exp + 2, 2), 0x92, "version 2, RC integrated endpoint");
	dbg = find_cap(c, 0x09);
	EP_TEST_ASSERT(dbg != 0, "debug capability");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + 2, 1), EP_PCIFN_DBG_LEN, "its length");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + 4, 4), EP_PCIFN_DBG_SIG, "signature EPMD");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + 8, 2), 0x0101, "dma function, function 1");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x100, 4), 0, "extended space: no capability");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0xffc, 4), 0, "last dword");
	/* read-only fields ignore writes; writable bits stick */
	cfg_wr(c, 0x00, 4, 0x12345678);
	cfg_wr(c, 0x08, 4, 0xffffffff);
	cfg_wr(c, 0x3d, 1, 4);
	cfg_wr(c, 0x34, 1, 0xc0);
	cfg_wr(c, dbg + 0x10, 4, 99);
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x00, 4), 0xed0116c3, "IDs read-only");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x08, 4) >> 8, 0x080100, "class read-only");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x3d, 1), 1, "pin read-only");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x34, 1), msix, "capability pointer read-only");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + 0x10, 4), 0, "debug counters read-only");
	cfg_wr(c, CFG_COMMAND, 2, 0xffff);
	EP_TEST_ASSERT_EQ(cfg_rd(c, CFG_COMMAND, 2), 0x0546,
		"command: memory, master, parity, SERR, INTx disable");
	cfg_wr(c, CFG_COMMAND, 2, 0);
	cfg_wr(c, 0x3c, 1, 0x0b);
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x3c, 1), 0x0b, "interrupt line writable");
	cfg_wr(c, msix + 2, 2, 0xffff);
	EP_TEST_ASSERT_EQ(cfg_rd(c, msix + 2, 2), 0xc000 | (in.msix_vectors - 1),
		"MSI-X enable and mask writable, size not");
	/* malformed configuration accesses: all-ones, and the link lives on */
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x10, 3), UINT64_MAX, "3-byte read refused");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x0e, 4), UINT64_MAX, "dword-crossing read refused");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x1000, 4), UINT64_MAX, "beyond 4 KiB refused");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x10, -1), UINT64_MAX, "negative length refused");
	EP_TEST_ASSERT_EQ(cfg_wr(c, 0xffe, 4, 0), UINT64_MAX, "write beyond the end refused");
	EP_TEST_ASSERT_EQ(cfg_rd(c, 0x00, 2), 0x16c3, "still serving");
	EP_TEST_ASSERT_EQ(c->last_rc, 0, "no protocol error");
	return 0;
}

FX_CASE(test_bar_sizing, DET)
static int
test_bar_sizing_body(struct fx *f)
{
	struct qc *c = &f->c;
	struct ep_model_bar mb;
	unsigned int i;
	bool is64;

	EP_TEST_ASSERT_EQ(setup_bars(c, &f->d, 0), 0, "probe and place");
	for (i = 0; i < 6; i++) {
		uint64_t want = ep_model_bar_get(ep_pcifn_model(c->fn), i, &mb) == 0 ? mb.len : 0;

		EP_TEST_ASSERT_EQ(f->d.len[i], want, "BAR%u size from the sizing read", i);
		EP_TEST_ASSERT(!f->d.is64[i], "BAR%u 32-bit below bar64_min", i);
		EP_TEST_ASSERT_EQ(ep_pcifn_bar_len(c->fn, i, &is64), want, "presented length");
		if (want != 0)
			EP_TEST_ASSERT_EQ(ep_pcifn_bar_base(c->fn, i), f->d.base[i],
				"BAR%u base remembered", i);
	}
	EP_TEST_ASSERT_EQ(cfg_rd(c, CFG_BAR(1), 4), 0, "absent BAR reads 0");
	cfg_wr(c, CFG_BAR(1), 4, UINT32_MAX);
	EP_TEST_ASSERT_EQ(cfg_rd(c, CFG_BAR(1), 4), 0, "absent BAR sizes to 0");
	/* the flag bits are read-only: memory, 32-bit, non-prefetchable */
	EP_TEST_ASSERT_EQ(cfg_rd(c, CFG_BAR(0), 4) & 0xf, 0, "BAR0 flags");
	return 0;
}

static int
test_bar64_real(void)
{
	struct ep_pcifn_opts o;
	struct fx f;
	int rc;

	ep_pcifn_opts_init(&o, EP_PCIFN_DMA);
	o.name = "t64";
	o.model_args = DET;
	o.bar64_min = 0;	/* every BAR 64-bit: BARs 0, 2, 4 use slots 0-5 */
	rc = fx_setup_opts(&f, &o);
	if (rc == 0)
		rc = guest_ram(&f.g);
	if (rc == 0) {
		struct qc *c = &f.c;
		struct dev *d = &f.d;
		unsigned int i;

		rc = -1;
		if (setup_bars(c, d, 0x8) != 0) {
			printf("  64-bit sizing failed\n");
			goto out;
		}
		for (i = 0; i < 6; i += 2) {
			if (!d->is64[i] || (cfg_rd(c, CFG_BAR(i), 4) & 0xf) != 0x4) {
				printf("  BAR%u not typed 64-bit\n", i);
				goto out;
			}
			if (ep_pcifn_bar_base(c->fn, i) != d->base[i] || (d->base[i] >> 32) != 8) {
				printf("  BAR%u base 0x%" PRIx64 " not above 4 GiB\n", i,
					d->base[i]);
				goto out;
			}
		}
		/* decoded at the full 64-bit address only */
		if (mem_rd(c, d->base[0], 4) != MAGIC || mem_rd(c, (uint32_t)d->base[0], 4) !=
				UINT32_MAX) {
			printf("  64-bit decode wrong\n");
			goto out;
		}
		rc = dma_scenario(c, &f.g, d, 0x8);
	}
out:
	fx_teardown(&f);
	return rc;
}

static int
expect_refused(const char *args, uint64_t bar64_min, const char *why)
{
	struct ep_pcifn_opts o;
	struct ep_pcifn *fn;

	ep_pcifn_opts_init(&o, EP_PCIFN_DMA);
	o.name = "refused";
	o.model_args = args;
	o.bar64_min = bar64_min;
	fn = ep_pcifn_create(&o);
	if (fn != NULL) {
		printf("  %s: accepted\n", why);
		ep_pcifn_destroy(fn);
		return -1;
	}
	if (ep_model_find("refused") != NULL) {
		printf("  %s: model left behind\n", why);
		return -1;
	}
	return 0;
}

static int
test_bar_layout_refused(void)
{
	EP_TEST_ASSERT_EQ(expect_refused(DET ",meta_bar=0,reg_bar=1", 0, "BAR1 in BAR0's upper "
		"slot"), 0, "64-bit BAR0 and a BAR1 refused");
	EP_TEST_ASSERT_EQ(expect_refused(DET ",desc_bar=5", 0, "64-bit BAR5"), 0,
		"64-bit BAR5 refused");
	EP_TEST_ASSERT_EQ(expect_refused(DET ",func=9", EP_PCIFN_BAR64_MIN_DEFAULT,
		"func 9"), 0, "a model func beyond function 7 refused");
	EP_TEST_ASSERT_EQ(expect_refused("thread=0,wr=9", EP_PCIFN_BAR64_MIN_DEFAULT,
		"model"), 0, "a bad model configuration refused");
	/* below the threshold the same placement is fine */
	{
		struct ep_pcifn_opts o;
		struct ep_pcifn *fn;

		ep_pcifn_opts_init(&o, EP_PCIFN_DMA);
		o.name = "fine";
		o.model_args = DET ",meta_bar=0,reg_bar=1";
		fn = ep_pcifn_create(&o);
		EP_TEST_ASSERT(fn != NULL, "32-bit BAR0 and BAR1 accepted");
		ep_pcifn_destroy(fn);
	}
	return 0;
}

FX_CASE(test_bar_decode, DET)
static int
test_bar_decode_body(struct fx *f)
{
	struct qc *c = &f->c;
	struct ep_pcifn_counters k;
	struct ep_mpq_bar io = { .addr = 0xcf8, .size = 4, .memory = 0 };
	uint64_t v, base;

	EP_TEST_ASSERT_EQ(setup_bars(c, &f->d, 0), 0, "placed");
	base = f->d.base[0];
	cfg_wr(c, CFG_COMMAND, 2, 0);
	EP_TEST_ASSERT_EQ(mem_rd(c, base, 4), UINT32_MAX, "memory decode off: all-ones");
	cfg_wr(c, CFG_COMMAND, 2, CMD_MEM);
	EP_TEST_ASSERT_EQ(mem_rd(c, base, 4), MAGIC, "magic at the programmed base");
	EP_TEST_ASSERT_EQ(mem_rd(c, base, 2), MAGIC & 0xffff, "16-bit read");
	EP_TEST_ASSERT_EQ(mem_rd(c, base + 1, 1), (MAGIC >> 8) & 0xff, "byte read");
	EP_TEST_ASSERT_EQ(mem_rd(c, base, 8) & 0xffffffff, MAGIC, "64-bit read");
	EP_TEST_ASSERT_EQ(mem_rd(c, base - 4, 4), UINT32_MAX, "below the BAR: unclaimed");
	EP_TEST_ASSERT_EQ(mem_rd(c, 0x1000, 8), UINT64_MAX, "guest RAM is not ours");
	EP_TEST_ASSERT_EQ(mem_rd(c, base + f->d.len[0] - 2, 4), UINT32_MAX,
		"an access running off the BAR end is not decoded");
	EP_TEST_ASSERT_EQ(mem_wr(c, 0x1000, 4, 1), 0, "unclaimed write answered");
	EP_TEST_ASSERT_EQ(mem_rd(c, base + 2, 4), UINT32_MAX, "misaligned: all-ones");
	EP_TEST_ASSERT_EQ(qc_send(c, EP_MPQ_CMD_BAR_READ, &io, sizeof(io), NULL, 0), 0, "io");
	EP_TEST_ASSERT(qc_ret(c, &v) == 0 && v == UINT64_MAX, "I/O space: no I/O BAR");
	ep_pcifn_counters_get(c->fn, &k);
	EP_TEST_ASSERT_EQ(k.unclaimed, 5, "unclaimed accesses counted");
	EP_TEST_ASSERT_EQ(c->last_rc, 0, "no protocol error");
	/* moving a BAR moves the decode */
	cfg_wr(c, CFG_BAR(0), 4, 0xfd000000);
	EP_TEST_ASSERT_EQ(mem_rd(c, 0xfd000000, 4), MAGIC, "moved");
	EP_TEST_ASSERT_EQ(mem_rd(c, base, 4), UINT32_MAX, "old place gone");
	return 0;
}

FX_CASE(test_dma, DET)
static int
test_dma_body(struct fx *f)
{
	struct qc *c = &f->c;
	struct ep_pcifn_counters k;
	unsigned int dbg;

	if (dma_scenario(c, &f->g, &f->d, 0) != 0)
		return -1;
	ep_pcifn_counters_get(c->fn, &k);
	EP_TEST_ASSERT_EQ(k.elements, 3, "three elements done");
	EP_TEST_ASSERT_EQ(k.aborts, 2, "two aborts");
	EP_TEST_ASSERT_EQ(k.violations, 0, "no ownership violation");
	/* the debug capability says the same, low dword first */
	dbg = find_cap(c, 0x09);
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_VIOL_OFF, 4), 0, "violations");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_VIOL_OFF + 4, 4), 0, "violations hi");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_ELEM_OFF, 4), 3, "elements");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_ABORT_OFF, 4), 2, "aborts");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_BYTES_OFF, 4), 2 * 12345 + 64, "bytes");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_BARWR_OFF, 4), k.bar_writes,
		"BAR writes");
	/* a violation shows up there at once */
	wr32(c, &f->d, f->d.reg_bar, f->d.reg_off + 0x000, 0);
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_VIOL_OFF, 4), 1,
		"ctrl_data_arb_prior write counted");
	return 0;
}

FX_CASE(test_func_mismatch, DET)
static int
test_func_mismatch_body(struct fx *f)
{
	struct qc *c = &f->c;

	EP_TEST_ASSERT_EQ(sync_sysmem(c, &f->g), 0, "map");
	EP_TEST_ASSERT_EQ(setup_bars(c, &f->d, 0), 0, "bars");
	EP_TEST_ASSERT_EQ(find_meta(c, &f->d), 0, "meta");
	EP_TEST_ASSERT_EQ(handshake(c, &f->d), 0, "handshake");
	EP_TEST_ASSERT_EQ(run_elem(c, &f->d, RD, 0, RAM_HI_GPA, EP_MEM_BASE, 64), 1u << 16,
		"FUNC_NUM 0 on the function-1 model: the IOMMU rejects it");
	EP_TEST_ASSERT_EQ(run_elem(c, &f->d, RD, 1, RAM_HI_GPA, EP_MEM_BASE, 64), 1,
		"FUNC_NUM 1 passes");
	/* bus mastering off: the function issues no request */
	cfg_wr(c, CFG_COMMAND, 2, CMD_MEM);
	EP_TEST_ASSERT_EQ(run_elem(c, &f->d, RD, 1, RAM_HI_GPA, EP_MEM_BASE, 64), 1u << 16,
		"Bus Master Enable clear: abort");
	cfg_wr(c, CFG_COMMAND, 2, CMD_MEM | CMD_MASTER);
	EP_TEST_ASSERT_EQ(run_elem(c, &f->d, RD, 1, RAM_HI_GPA, EP_MEM_BASE, 64), 1, "back");
	EP_TEST_ASSERT_EQ(ep_model_violations(ep_pcifn_model(c->fn)), 0, "violations");
	return 0;
}

/* Is the page at p mapped in this process? */
static bool
mapped(const void *p)
{
	long pg = sysconf(_SC_PAGESIZE);

	return msync((void *)((uintptr_t)p & ~(uintptr_t)(pg - 1)), (size_t)pg, MS_ASYNC) == 0;
}

FX_CASE(test_sysmem_replace, DET)
static int
test_sysmem_replace_body(struct fx *f)
{
	struct qc *c = &f->c;
	struct ep_guest_mem *gm = ep_pcifn_guest_mem(c->fn);
	struct ep_mpq_sysmem s;
	struct guest g2 = { .memfd = -1, .ram = NULL };
	uint8_t *lo, *hi, *hi2;
	int fds0, fds[2], rc = -1;

	fds0 = count_fds();
	EP_TEST_ASSERT_EQ(sync_sysmem(c, &f->g), 0, "first map");
	EP_TEST_ASSERT_EQ(count_fds(), fds0, "received fds closed once mapped");
	EP_TEST_ASSERT_EQ(ep_guest_mem_count(gm), 2, "two ranges");
	lo = ep_guest_mem_resolve(gm, 0x1000, 16);
	hi = ep_guest_mem_resolve(gm, RAM_HI_GPA, 16);
	EP_TEST_ASSERT(lo != NULL && hi != NULL, "resolved");
	EP_TEST_ASSERT(ep_guest_mem_resolve(gm, RAM_LO_END - 8, 16) == NULL, "straddle");
	EP_TEST_ASSERT(ep_guest_mem_resolve(gm, RAM_LO_END, 16) == NULL, "hole");
	EP_TEST_ASSERT(ep_guest_mem_resolve(gm, RAM_SIZE, 1) == NULL, "beyond");
	/* the same map again (a topology commit that changed no RAM): kept */
	EP_TEST_ASSERT_EQ(sync_sysmem(c, &f->g), 0, "same map");
	EP_TEST_ASSERT(ep_guest_mem_resolve(gm, 0x1000, 16) == lo, "low range kept mapped");
	EP_TEST_ASSERT_EQ(ep_guest_mem_generation(gm), 2, "applied twice");
	/* a new backing for the high range: old mapping unmapped */
	if (guest_ram(&g2) != 0)
		goto out;
	memset(&s, 0, sizeof(s));
	s.gpa[0] = 0;
	s.size[0] = RAM_LO_END;
	s.gpa[1] = RAM_HI_GPA;
	s.size[1] = RAM_SIZE - RAM_HI_GPA;
	s.offset[1] = (int64_t)RAM_HI_GPA;
	fds[0] = f->g.memfd;
	fds[1] = g2.memfd;
	if (qc_send(c, EP_MPQ_CMD_SYNC_SYSMEM, &s, sizeof(s), fds, 2) != 0)
		goto out;
	hi2 = ep_guest_mem_resolve(gm, RAM_HI_GPA, 16);
	if (hi2 == NULL || ep_guest_mem_resolve(gm, 0x1000, 16) != lo || mapped(hi) ||
			!mapped(hi2)) {
		printf("  replacement: new %p, old still mapped %d\n", (void *)hi2, mapped(hi));
		goto out;
	}
	g2.ram[RAM_HI_GPA + 5] = 0x5a;
	if (hi2[5] != 0x5a) {
		printf("  the new range is not the new memfd\n");
		goto out;
	}
	/* a map QEMU could not mean: beyond the file's end. Empty, link alive */
	s.size[1] = RAM_SIZE;
	if (qc_send(c, EP_MPQ_CMD_SYNC_SYSMEM, &s, sizeof(s), fds, 2) != 0 ||
			c->last_rc != 0 || ep_guest_mem_count(gm) != 0 || mapped(lo) ||
			mapped(hi2)) {
		printf("  bad map: rc %d, %u ranges\n", c->last_rc, ep_guest_mem_count(gm));
		goto out;
	}
	if (count_fds() != fds0 + 1 || cfg_rd(c, 0, 2) != 0x16c3) {
		printf("  fds %d (want %d) or link lost\n", count_fds(), fds0 + 1);
		goto out;
	}
	rc = 0;
out:
	guest_free(&g2);
	return rc;
}

/* A fresh in-process connection that receives one raw message. */
static int
malformed(const char *expect, const void *msg, size_t len, int nfds, bool close_after)
{
	const char *what = expect;
	char *log = NULL;
	size_t loglen = 0;
	FILE *logf = NULL;
	struct fx f;
	int fds[32], i, rc = -1, base;

	if (fx_setup(&f, DET) != 0) {
		fx_teardown(&f);
		return -1;
	}
	/* The error must say what was wrong: capture the log. */
	logf = open_memstream(&log, &loglen);
	if (logf == NULL)
		goto out;
	rte_openlog_stream(logf);
	base = count_fds();
	for (i = 0; i < nfds; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	{
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(32 * sizeof(int))];
		} ctl;
		struct iovec iov = { .iov_base = (void *)(uintptr_t)msg, .iov_len = len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

		if (nfds > 0) {
			struct cmsghdr *cm;

			mh.msg_control = ctl.buf;
			mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
			memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
		}
		if (sendmsg(f.c.q, &mh, MSG_NOSIGNAL) < 0)
			goto out;
	}
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	if (close_after) {
		close(f.c.q);
		f.c.q = -1;
	}
	f.c.last_rc = ep_mpqemu_transport.serve(f.c.conn);
	if (f.c.last_rc >= 0) {
		printf("  %s: accepted (rc %d)\n", what, f.c.last_rc);
		goto out;
	}
	if (count_fds() != base - (close_after ? 1 : 0)) {
		printf("  %s: %d fds open, %d before\n", what, count_fds(), base);
		goto out;
	}
	if (f.c.q >= 0 && !qc_no_reply(&f.c)) {
		printf("  %s: a reply was sent\n", what);
		goto out;
	}
	fflush(logf);
	if (log == NULL || strstr(log, expect) == NULL) {
		printf("  the error does not say \"%s\": %s\n", expect,
			log != NULL ? log : "(nothing)");
		goto out;
	}
	rc = 0;
out:
	if (logf != NULL) {
		rte_openlog_stream(NULL);
		fclose(logf);
		free(log);
	}
	fx_teardown(&f);
	return rc;
}

static int
test_malformed(void)
{
	struct {
		struct ep_mpq_hdr h;
		union ep_mpq_payload p;
	} m;
	const size_t hs = sizeof(m.h);

#define MSG(c, s) do { memset(&m, 0, sizeof(m)); m.h.cmd = (c); m.h.size = (s); } while (0)
	MSG(99, 0);
	EP_TEST_ASSERT_EQ(malformed("unknown command 99", &m, hs, 0, false), 0, "cmd 99");
	MSG(-1, 12);
	EP_TEST_ASSERT_EQ(malformed("unknown command -1", &m, hs + 12, 0, false), 0, "cmd -1");
	MSG(EP_MPQ_CMD_PCI_CFGREAD, 1000);
	EP_TEST_ASSERT_EQ(malformed("PCI_CFGREAD announces a 1000-byte payload", &m,
		sizeof(m), 0, false), 0, "size 1000");
	MSG(EP_MPQ_CMD_PCI_CFGREAD, 8);
	EP_TEST_ASSERT_EQ(malformed("PCI_CFGREAD with a 8-byte payload, expected 12", &m,
		hs + 8, 0, false), 0, "CFGREAD size 8");
	MSG(EP_MPQ_CMD_BAR_READ, 24);
	m.p.bar.size = 4;
	m.p.bar.memory = 1;
	EP_TEST_ASSERT_EQ(malformed("BAR_READ with 1 file descriptors, expected 0..0", &m,
		hs + 24, 1, false), 0, "BAR_READ with an fd");
	m.p.bar.memory = 7;
	EP_TEST_ASSERT_EQ(malformed("memory flag 7", &m, hs + 24, 0, false), 0, "flag 7");
	MSG(EP_MPQ_CMD_SYNC_SYSMEM, sizeof(struct ep_mpq_sysmem));
	EP_TEST_ASSERT_EQ(malformed("SYNC_SYSMEM with 0 file descriptors, expected 1..8", &m,
		sizeof(m), 0, false), 0, "SYNC_SYSMEM without fd");
	EP_TEST_ASSERT_EQ(malformed("SYNC_SYSMEM carries 9 file descriptors", &m, sizeof(m),
		9, false), 0, "9 fds");
	EP_TEST_ASSERT_EQ(malformed("SYNC_SYSMEM carries more than 16", &m, sizeof(m), 20,
		false), 0, "20 fds (beyond the receive room)");
	MSG(EP_MPQ_CMD_SET_IRQFD, 0);
	EP_TEST_ASSERT_EQ(malformed("SET_IRQFD with 1 file descriptors, expected 2..2", &m, hs,
		1, false), 0, "SET_IRQFD with 1 fd");
	MSG(EP_MPQ_CMD_RET, 8);
	EP_TEST_ASSERT_EQ(malformed("RET is a reply", &m, hs + 8, 0, false), 0, "RET");
	MSG(EP_MPQ_CMD_DEVICE_RESET, 4);
	EP_TEST_ASSERT_EQ(malformed("DEVICE_RESET with a 4-byte payload, expected 0", &m,
		hs + 4, 0, false), 0, "RESET with payload");
	MSG(EP_MPQ_CMD_PCI_CFGREAD, 12);
	EP_TEST_ASSERT_EQ(malformed("closed after 10 of the 16 header bytes", &m, 10, 0, true),
		0, "header cut short");
	EP_TEST_ASSERT_EQ(malformed("closed after 5 of the 12 payload bytes of PCI_CFGREAD",
		&m, hs + 5, 0, true), 0, "payload cut short");
#undef MSG
	return 0;
}

static int
test_blank(void)
{
	struct ep_pcifn_opts o;
	struct ep_pcifn_counters k;
	struct fx f;
	int rc = -1;
	unsigned int dbg;

	ep_pcifn_opts_init(&o, EP_PCIFN_BLANK);
	o.name = "blank";
	o.multifunction = true;
	o.blank_bar_len[2] = 64 << 10;
	if (fx_setup_opts(&f, &o) != 0)
		goto out;
	if (cfg_rd(&f.c, 0x08, 4) >> 8 != 0x080100 || cfg_rd(&f.c, 0x0e, 1) != 0x80 ||
			cfg_rd(&f.c, 0x02, 2) != 0xed00) {
		printf("  class, header type or device ID wrong\n");
		goto out;
	}
	if (find_cap(&f.c, 0x11) != 0 || (dbg = find_cap(&f.c, 0x09)) == 0 ||
			cfg_rd(&f.c, dbg + 8, 2) != 0x0000) {
		printf("  capabilities wrong\n");
		goto out;
	}
	if (setup_bars(&f.c, &f.d, 0) != 0 || f.d.len[0] != 4096 || f.d.len[2] != 64 << 10 ||
			find_meta(&f.c, &f.d) == 0) {
		printf("  BARs wrong, or metadata found\n");
		goto out;
	}
	if (mem_rd(&f.c, f.d.base[2] + 8, 8) != 0 || mem_wr(&f.c, f.d.base[2], 4, 1) != 0 ||
			mem_wr(&f.c, f.d.base[0] + 8, 4, CTRL_H) != 0 ||
			mem_rd(&f.c, f.d.base[0] + 8, 4) != 0) {
		printf("  BAR access wrong\n");
		goto out;
	}
	ep_pcifn_counters_get(f.c.fn, &k);
	if (k.violations != 2 || cfg_rd(&f.c, dbg + EP_PCIFN_DBG_VIOL_OFF, 4) != 2 ||
			cfg_rd(&f.c, dbg + EP_PCIFN_DBG_BARWR_OFF, 4) != 2) {
		printf("  writes not counted as violations (%" PRIu64 ")\n", k.violations);
		goto out;
	}
	/* a blank function masters nothing: its RAM map is not even mapped */
	if (guest_ram(&f.g) != 0 || sync_sysmem(&f.c, &f.g) != 0 || f.c.last_rc != 0 ||
			ep_guest_mem_count(ep_pcifn_guest_mem(f.c.fn)) != 0) {
		printf("  SYNC_SYSMEM on a blank function\n");
		goto out;
	}
	rc = 0;
out:
	fx_teardown(&f);
	return rc;
}

FX_CASE(test_reset, DET)
static int
test_reset_body(struct fx *f)
{
	struct qc *c = &f->c;
	uint32_t dbg;

	EP_TEST_ASSERT_EQ(sync_sysmem(c, &f->g), 0, "map");
	EP_TEST_ASSERT_EQ(setup_bars(c, &f->d, 0), 0, "bars");
	EP_TEST_ASSERT_EQ(find_meta(c, &f->d), 0, "meta");
	EP_TEST_ASSERT_EQ(handshake(c, &f->d), 0, "READY");
	EP_TEST_ASSERT_EQ(run_elem(c, &f->d, RD, 1, RAM_HI_GPA, EP_MEM_BASE, 64), 1, "a run");
	EP_TEST_ASSERT_EQ(device_reset(c), 0, "DEVICE_RESET answered");
	EP_TEST_ASSERT_EQ(cfg_rd(c, CFG_COMMAND, 2), 0, "command back to 0");
	EP_TEST_ASSERT_EQ(cfg_rd(c, CFG_BAR(0), 4), 0, "BAR bases back to 0");
	EP_TEST_ASSERT_EQ(mem_rd(c, f->d.base[0], 4), UINT32_MAX, "no decode after reset");
	dbg = find_cap(c, 0x09);
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_RESETS_OFF, 4), 1, "reset counted");
	EP_TEST_ASSERT_EQ(cfg_rd(c, dbg + EP_PCIFN_DBG_ELEM_OFF, 4), 1, "counters kept");
	/* the next driver finds the endpoint re-initialised: H and R clear */
	EP_TEST_ASSERT_EQ(setup_bars(c, &f->d, 0), 0, "bars again");
	EP_TEST_ASSERT_EQ(find_meta(c, &f->d), 0, "meta again");
	EP_TEST_ASSERT_EQ(rd32(c, &f->d, f->d.meta_bar, 8) & (CTRL_H | CTRL_R), 0,
		"HOST_REQ and READY clear after the reset");
	EP_TEST_ASSERT_EQ(handshake(c, &f->d), 0, "handshake again");
	EP_TEST_ASSERT_EQ(run_elem(c, &f->d, RD, 1, RAM_HI_GPA, EP_MEM_BASE, 64), 1, "runs");
	EP_TEST_ASSERT_EQ(ep_model_violations(ep_pcifn_model(c->fn)), 0, "violations");
	return 0;
}

FX_CASE(test_irqfd_shutdown, DET)
static int
test_irqfd_shutdown_body(struct fx *f)
{
	struct qc *c = &f->c;
	int base = count_fds(), e[4], i;

	for (i = 0; i < 4; i++)
		e[i] = eventfd(0, EFD_CLOEXEC);
	EP_TEST_ASSERT_EQ(qc_send(c, EP_MPQ_CMD_SET_IRQFD, NULL, 0, e, 2), 0, "irqfd");
	EP_TEST_ASSERT(qc_no_reply(c), "SET_IRQFD gets no reply");
	EP_TEST_ASSERT_EQ(qc_send(c, EP_MPQ_CMD_SET_IRQFD, NULL, 0, e + 2, 2), 0, "again");
	for (i = 0; i < 4; i++)
		close(e[i]);
	EP_TEST_ASSERT_EQ(count_fds(), base + 2, "only the last pair kept");
	EP_TEST_ASSERT_EQ(c->last_rc, 0, "served");
	/* QEMU goes away: a clean end, everything released */
	close(c->q);
	c->q = -1;
	EP_TEST_ASSERT_EQ(ep_mpqemu_transport.serve(c->conn), EP_TRANSPORT_CLOSED, "closed");
	ep_mpqemu_transport.detach(c->conn);
	c->conn = NULL;
	EP_TEST_ASSERT_EQ(count_fds(), base - 2, "socket and irqfds closed");
	return 0;
}

static uint64_t
xorshift(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

/*
 * Seeded random traffic: well-formed messages with random contents aimed at
 * the configuration space, the BARs and the RAM map, and malformed ones. The
 * server must answer or refuse each, never crash, and leak no descriptor;
 * after a refusal the connection is replaced, as QEMU would have to.
 */
static int
test_fuzz(void)
{
	static const uint64_t sizes[] = { 0, 8, 12, 24, 192, 7, 13, 25, 191, 193, 4096 };
	uint64_t st = 0x9e3779b97f4a7c15ULL;
	unsigned int i, refused = 0, answered = 0;
	int base, rc = -1;
	struct fx f;

	if (fx_setup(&f, DET) != 0)
		goto out;
	base = count_fds();
	if (setup_bars(&f.c, &f.d, 0) != 0 || find_meta(&f.c, &f.d) != 0)
		goto out;
	for (i = 0; i < 3000; i++) {
		uint64_t r = xorshift(&st);
		struct {
			struct ep_mpq_hdr h;
			union ep_mpq_payload p;
		} m;
		int fds[3], nfds = (int)(r >> 60) % 4 == 3 ? (int)(r >> 56) % 3 + 1 : 0, k;
		bool shaped = (r & 1) != 0;
		uint64_t v;

		memset(&m, 0, sizeof(m));
		for (k = 0; k < (int)(sizeof(m.p) / 8); k++)
			((uint64_t *)&m.p)[k] = xorshift(&st);
		m.h.cmd = (int)((r >> 8) % 11) - 1;
		m.h.size = sizes[(r >> 16) % RTE_DIM(sizes)];
		if (shaped) {
			/* a valid shape, random contents */
			static const int cmds[] = { EP_MPQ_CMD_PCI_CFGREAD, EP_MPQ_CMD_PCI_CFGWRITE,
				EP_MPQ_CMD_BAR_READ, EP_MPQ_CMD_BAR_WRITE, EP_MPQ_CMD_SYNC_SYSMEM };
			unsigned int bar = (unsigned int)(r >> 24) % 6;

			m.h.cmd = cmds[(r >> 8) % RTE_DIM(cmds)];
			nfds = 0;
			switch (m.h.cmd) {
			case EP_MPQ_CMD_PCI_CFGREAD:
			case EP_MPQ_CMD_PCI_CFGWRITE:
				m.h.size = sizeof(struct ep_mpq_conf);
				m.p.conf.addr %= 0x1100;
				m.p.conf.len = (int)(r >> 32) % 6 - 1;
				/* keep the BARs and decode where they are, mostly */
				if (m.h.cmd == EP_MPQ_CMD_PCI_CFGWRITE && m.p.conf.addr < 0x28)
					m.p.conf.addr |= 0x100;
				break;
			case EP_MPQ_CMD_BAR_READ:
			case EP_MPQ_CMD_BAR_WRITE:
				m.h.size = sizeof(struct ep_mpq_bar);
				m.p.bar.memory = (r >> 40) % 8 != 0;
				m.p.bar.size = 1u << ((r >> 44) % 5);
				if (f.d.len[bar] != 0 && (r >> 48) % 4 != 0)
					m.p.bar.addr = f.d.base[bar] + m.p.bar.addr % f.d.len[bar];
				break;
			default:
				m.h.size = sizeof(struct ep_mpq_sysmem);
				nfds = (int)(r >> 52) % 3 + 1;
				for (k = 0; k < 8; k++) {
					m.p.sysmem.gpa[k] %= 1ULL << 34;
					m.p.sysmem.size[k] %= RAM_SIZE + 2ULL;
					m.p.sysmem.offset[k] %= RAM_SIZE;
				}
				break;
			}
		}
		for (k = 0; k < nfds; k++)
			fds[k] = shaped ? f.g.memfd : eventfd(0, EFD_CLOEXEC);
		if (qc_send(&f.c, m.h.cmd, &m.p, m.h.size <= sizeof(m.p) ? m.h.size : sizeof(m.p),
				fds, (unsigned int)nfds) != 0)
			goto out;
		for (k = 0; k < nfds; k++)
			if (!shaped)
				close(fds[k]);
		if ((r >> 58) % 8 == 0)
			pump(&f.c);
		if (f.c.last_rc >= 0) {
			while (qc_ret(&f.c, &v) == 0)
				answered++;
			continue;
		}
		/* refused: QEMU would see the link end; start a new one */
		refused++;
		ep_mpqemu_transport.detach(f.c.conn);
		close(f.c.q);
		f.c.conn = NULL;
		f.c.q = -1;
		{
			int sv[2];

			if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
				goto out;
			f.c.q = sv[0];
			f.c.conn = ep_mpqemu_transport.attach(sv[1], f.c.fn);
			if (f.c.conn == NULL)
				goto out;
		}
	}
	if (count_fds() != base) {
		printf("  %d fds open, %d before\n", count_fds(), base);
		goto out;
	}
	printf("  %u refused, %u answered\n", refused, answered);
	rc = refused > 100 && answered > 1000 ? 0 : -1;
out:
	fx_teardown(&f);
	return rc;
}

/* The engine thread of a process without EAL may run on every CPU it may. */
static int
test_no_eal_affinity(void)
{
	struct ep_model *m = ep_model_create("aff", "thread=1");
	cpu_set_t mine, eng;
	char path[300], comm[32];
	DIR *dir;
	struct dirent *de;
	bool found = false;

	EP_TEST_ASSERT(m != NULL, "threaded model without EAL");
	sched_getaffinity(0, sizeof(mine), &mine);
	dir = opendir("/proc/self/task");
	while (dir != NULL && (de = readdir(dir)) != NULL && !found) {
		FILE *fp;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		fp = fopen(path, "r");
		if (fp == NULL)
			continue;
		if (fgets(comm, sizeof(comm), fp) != NULL &&
				strncmp(comm, "ep-model-eng", 12) == 0 &&
				sched_getaffinity(atoi(de->d_name), sizeof(eng), &eng) == 0)
			found = true;
		fclose(fp);
	}
	if (dir != NULL)
		closedir(dir);
	ep_model_destroy(m);
	EP_TEST_ASSERT(found, "engine thread found");
	EP_TEST_ASSERT(CPU_EQUAL(&mine, &eng), "engine affinity %d CPUs, creator %d",
		CPU_COUNT(&eng), CPU_COUNT(&mine));
	return 0;
}

/* ---- the program ---- */

struct run {
	pid_t pid;
	int out;	/* memfd holding its stderr */
};

static int
start_prog(struct run *r, char *const argv[], int keep_fd)
{
	r->out = memfd_create("stderr", MFD_CLOEXEC);
	if (r->out < 0)
		return -1;
	fflush(NULL);
	r->pid = fork();
	if (r->pid < 0)
		return -1;
	if (r->pid == 0) {
		dup2(r->out, 2);
		if (keep_fd >= 0)
			fcntl(keep_fd, F_SETFD, 0);
		execv(argv[0], argv);
		_exit(127);
	}
	return 0;
}

/* Wait for it; returns its exit status and its stderr in buf. */
static int
wait_prog(struct run *r, char *buf, size_t len)
{
	int st = 0;
	ssize_t n;

	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	n = pread(r->out, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(r->out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int
test_program_fd(void)
{
	struct qc c = { .q = -1 };
	struct guest g = { .memfd = -1 };
	struct dev d;
	struct run r = { .pid = -1, .out = -1 };
	char fdarg[16], buf[8192];
	int sv[2] = { -1, -1 }, rc = -1, st;

	if (prog_path == NULL)
		return EP_TEST_SKIPPED;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 || guest_ram(&g) != 0)
		goto out;
	snprintf(fdarg, sizeof(fdarg), "%d", sv[1]);
	{
		char *argv[] = { (char *)(uintptr_t)prog_path, "--fd", fdarg, "--model",
			"wr=1,rd=1,func=1,thread=1", NULL };

		if (start_prog(&r, argv, sv[1]) != 0)
			goto out;
	}
	close(sv[1]);
	sv[1] = -1;
	c.q = sv[0];
	rc = dma_scenario(&c, &g, &d, 0);
	close(sv[0]);	/* QEMU exits */
	sv[0] = -1;
	st = wait_prog(&r, buf, sizeof(buf));
	r.pid = -1;
	if (st != 0 || strstr(buf, "function 1 (dma): 3 elements") == NULL ||
			strstr(buf, " 0 violations") == NULL) {
		printf("  exit status %d, stderr:\n%s\n", st, buf);
		rc = -1;
	}
out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (r.pid > 0) {
		kill(r.pid, SIGKILL);
		wait_prog(&r, buf, sizeof(buf));
	}
	guest_free(&g);
	return rc;
}

/* The fake QEMU ep-model-pci spawns: fn0 blank on FD0, fn1 dma on FD1. */
static int
fake_qemu(const char *mode, int fd0, int fd1)
{
	struct qc c0 = { .q = fd0 }, c1 = { .q = fd1 };
	struct guest g = { .memfd = -1 };
	struct dev d0, d;
	int rc;

	if (guest_ram(&g) != 0)
		return 10;
	/* the host scans function 0 first: class 0x0801, no magic: declined */
	if (cfg_rd(&c0, 0x0a, 2) != 0x0801 || !(cfg_rd(&c0, 0x0e, 1) & 0x80) ||
			setup_bars(&c0, &d0, 0) != 0 || find_meta(&c0, &d0) == 0)
		return 11;
	if (cfg_rd(&c1, 0x0a, 2) != 0x0801 || cfg_rd(&c1, 0x0e, 1) != 0)
		return 12;
	rc = dma_scenario(&c1, &g, &d, 0);
	if (rc != 0)
		return 13;
	if (strcmp(mode, "violate") == 0) {
		wr32(&c1, &d, d.reg_bar, d.reg_off, 0);		/* controller-wide */
		mem_wr(&c0, d0.base[0], 4, 0);			/* the blank function */
	}
	guest_free(&g);
	return 0;
}

static int
run_spawn(const char *mode, char *buf, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct run r;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	{
		char *argv[] = { (char *)(uintptr_t)prog_path, "--fn", "blank:func=0",
			"--fn", "dma:func=1,wr=1,rd=1", "--", self, "--fake-qemu",
			(char *)(uintptr_t)mode, "@FD0@", "@FD1@", NULL };

		if (start_prog(&r, argv, -1) != 0)
			return -1;
	}
	return wait_prog(&r, buf, len);
}

static int
test_program_spawn(void)
{
	char buf[8192];
	int st;

	if (prog_path == NULL)
		return EP_TEST_SKIPPED;
	st = run_spawn("ok", buf, sizeof(buf));
	EP_TEST_ASSERT(st == 0 && strstr(buf, "function 1 (dma): 3 elements") != NULL &&
		strstr(buf, "function 0 (blank)") != NULL, "clean run: status %d\n%s", st, buf);
	st = run_spawn("violate", buf, sizeof(buf));
	EP_TEST_ASSERT(st == 1 && strstr(buf, "violation 0: write 0x00000000 to 0x000") != NULL &&
		strstr(buf, "1 BAR writes, 0 resets, 1 violations") != NULL,
		"violations in both functions: status %d\n%s", st, buf);
	return 0;
}

static int
run_prog_args(char *const argv[], char *buf, size_t len)
{
	struct run r;

	if (start_prog(&r, argv, -1) != 0)
		return -1;
	return wait_prog(&r, buf, len);
}

static int
test_program_usage(void)
{
	char buf[8192];
	char *p = (char *)(uintptr_t)prog_path;
	int st;

	if (prog_path == NULL)
		return EP_TEST_SKIPPED;
	{
		char *argv[] = { p, "--model", "func=1", "--", "/bin/true", "-device",
			"x-pci-proxy-dev,fd=@FD@,addr=3.0", NULL };

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 2 && strstr(buf, "at PCI function 0") != NULL,
			"function number mismatch refused: %d\n%s", st, buf);
	}
	{
		char *argv[] = { p, "--fn", "dma:wr=1,colour=blue", "--", "/bin/true", "@FD@",
			NULL };

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 2 && strstr(buf, "unknown key 'colour'") != NULL,
			"unknown key: %d\n%s", st, buf);
	}
	{
		char *argv[] = { p, "--model", "thread=0", "--", "/bin/true", "@FD@", NULL };

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 2 && strstr(buf, "thread=0") != NULL, "thread=0: %d\n%s",
			st, buf);
	}
	{
		char *argv[] = { p, "--model", "func=1", "--", "/bin/true", NULL };

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 2 && strstr(buf, "never mentions @FD1@") != NULL,
			"missing placeholder: %d\n%s", st, buf);
	}
	{
		char *argv[] = { p, "--fd", "0", NULL };	/* stdin is no socket */

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 2 && strstr(buf, "is not a socket") != NULL,
			"--fd on a non-socket: %d\n%s", st, buf);
	}
	{
		/* a deliberately wrong placement: pci_func names the slot function */
		char *argv[] = { p, "--fn", "dma:func=1,pci_func=2", "--", "/bin/sh", "-c",
			"exit 0", "x-pci-proxy-dev,fd=@FD2@,addr=3.2", NULL };

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 0 && strstr(buf, "presented as function 2") != NULL &&
			strstr(buf, "function 2 (dma)") != NULL,
			"pci_func presents the function elsewhere: %d\n%s", st, buf);
	}
	{
		char *argv[] = { p, "--fn", "blank:pci_func=2", "--", "/bin/true", "@FD0@",
			NULL };

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 2 && strstr(buf, "unknown key 'pci_func'") != NULL,
			"pci_func on a blank function: %d\n%s", st, buf);
	}
	{
		/* QEMU gone before a word: a clean end, no violations */
		char *argv[] = { p, "--model", "func=1", "--", "/bin/sh", "-c", "exit 0",
			"@FD@", NULL };

		st = run_prog_args(argv, buf, sizeof(buf));
		EP_TEST_ASSERT(st == 0 && strstr(buf, "0 violations") != NULL,
			"command without traffic: %d\n%s", st, buf);
	}
	return 0;
}

static const struct ep_test_case cases[] = {
	{ "config_space", test_config_space },
	{ "bar_sizing", test_bar_sizing },
	{ "bar64", test_bar64_real },
	{ "bar_layout_refused", test_bar_layout_refused },
	{ "bar_decode", test_bar_decode },
	{ "dma", test_dma },
	{ "func_mismatch_bus_master", test_func_mismatch },
	{ "sysmem_replace", test_sysmem_replace },
	{ "malformed", test_malformed },
	{ "blank", test_blank },
	{ "reset", test_reset },
	{ "irqfd_shutdown", test_irqfd_shutdown },
	{ "fuzz", test_fuzz },
	{ "no_eal_affinity", test_no_eal_affinity },
	{ "program_fd", test_program_fd },
	{ "program_spawn", test_program_spawn },
	{ "program_usage", test_program_usage },
};

int
main(int argc, char **argv)
{
	const char *filter = NULL;

	if (argc == 5 && strcmp(argv[1], "--fake-qemu") == 0)
		return fake_qemu(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc > 1 && argv[1][0] != '\0')
		prog_path = argv[1];
	if (argc > 2)
		filter = argv[2];
	return ep_test_run("ep_model_pci", cases, RTE_DIM(cases), filter) != 0;
}
