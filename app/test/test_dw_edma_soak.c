/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Fault soak of the dw_edma PMD on the simulated endpoint: every channel of
 * an endpoint of each layout in turn, driven through the public rte_dma API
 * with random sizes, bursts, scatter-gather shapes (within max_sges) and
 * ring fill levels (within rte_dma_burst_capacity), while the model injects
 * random faults: aborts, corrupted elements, link down and up, READY drop
 * and restore, endpoint re-init, a slow engine, a paused engine.
 *
 * Checked after every collection: each job index reported once and in
 * order; each status explained by what was injected (an error only on a
 * channel with an abort injected, DEV_LINK_ERROR only around a link, READY
 * or re-init fault, NOT_ATTEMPTED only behind a fenced job after a failure,
 * as chan_recover() documents); the data of every successful job intact and
 * the bytes around it untouched, except a single flipped byte on a channel
 * with a corruption injected (counted as such, not as a loss); no call
 * blocking longer than a bound. After each phase: every job reported (none
 * lost), every channel working again without a re-probe, no ownership
 * violation.
 *
 * Usage: test_dw_edma_soak <EAL args> -- [--seconds N] [--seed S]
 *        [--phase-seconds N] [--max-call-ms N] [--layout NAME] [--faults LIST]
 *        [--grace-ms N] [--stall-fail-ms N]
 * (EP_SOAK_SECONDS in the environment overrides --seconds.) On a host
 * shared with other heavy work (the soak and the model's thread starved
 * for seconds) raise --max-call-ms and --grace-ms, and --stall-fail-ms (the
 * driver's give-up on an engine that does not restart, 10 s on the sim: a
 * model thread starved longer fails the job in front, as designed): they
 * bound time, and a starved process is slow without being wrong.
 * Prints the seed, "PASS|FAIL soak/<layout>" per layout and the totals.
 */

#include <getopt.h>
#include <unistd.h>

#include "test_dw_edma_common.h"

#define JOB_MAX		4096u   /* payload bytes of a job at most */
#define JOB_SLOT	8192u   /* its region: room for gaps between segments */
#define RING_MAX	256u    /* jobs outstanding per channel at most */
#define NCH_MAX		16u
#define SG_MAX		8u
#define GUARD		0xa5
#define DRAIN_MS	20000u  /* > stall_fail_ms of the sim (10 s) */
/* default for --grace-ms: how late the driver may notice a fault's end */
#define DISRUPT_GRACE_MS 500u

static const char *const layouts[] = { "edma-unroll", "hdma-compat", "hdma-native" };

enum fault {
	F_ABORT, F_CORRUPT, F_LINK, F_READY, F_REINIT, F_SLOW, F_PAUSE, F_NB
};
static const char *const fault_names[F_NB] = {
	"abort", "corrupt", "link_down_up", "ready_drop_restore", "reinit", "slow_engine",
	"pause",
};

struct seg {
	uint32_t off;   /* in the job's region */
	uint32_t len;
};

struct sjob {
	uint32_t len;
	uint32_t seed;
	uint8_t nsrc, ndst;
	bool fence;
	uint64_t t_enq;
	struct seg src[SG_MAX], dst[SG_MAX];
};

struct schan {
	char name[64];
	int16_t dev;
	bool rd;                /* host to endpoint */
	uint16_t nb_desc;
	uint16_t max_sges;
	uint8_t *host;
	uint8_t *ep;
	uint64_t ep_iova;
	struct sjob jobs[RING_MAX];
	uint16_t next_id;       /* id the next enqueue must return */
	uint16_t rep_id;        /* id the next report must carry */
	uint32_t outstanding;
	uint32_t aborts_pending;
	uint32_t corrupts_pending;
	bool failed_since_fence; /* a job failed; a fenced job may follow */
	bool na_streak;          /* NOT_ATTEMPTED run behind a fenced job */
	bool batch_open;
	/* the last reports, printed with the first unexplained one */
	struct { uint16_t id; int16_t st; bool fence; } hist[32];
	unsigned int nhist;
	bool hist_shown;
};

static struct {
	uint64_t jobs, bytes, sg_jobs, fenced, ok, err, link_err, not_attempted;
	uint64_t corrupted, refused_eio, enospc_sg, faults[F_NB], recoveries, lost;
	uint64_t unexplained, max_call_cyc, phases;
} tot;

static uint32_t fault_mask = (1u << F_NB) - 1;
static uint64_t max_call_cyc;
static unsigned int max_call_ms = 500;
static unsigned int grace_ms = DISRUPT_GRACE_MS;
static unsigned int stall_fail_ms; /* 0: the sim's default (10 s) */
static unsigned int fails;
static const char *max_call_what = "";

/* splitmix64: seeded, reproducible */
static uint64_t rng_state;
static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t
rnd_below(uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(rnd() % n);
}

static uint64_t
ms_cyc(uint64_t ms)
{
	return rte_get_timer_hz() * ms / 1000;
}

/* Time a fast-path or control call: none may block longer than the bound. */
#define TIMED(what, expr) ({ \
	uint64_t t0_ = rte_get_timer_cycles(); \
	__typeof__(expr) r_ = (expr); \
	uint64_t dt_ = rte_get_timer_cycles() - t0_; \
	if (dt_ > max_call_cyc) { \
		max_call_cyc = dt_; \
		max_call_what = what; \
	} \
	if (dt_ > ms_cyc(max_call_ms)) \
		printf("  SLOW CALL: %s took %.1f ms\n", what, \
			(double)dt_ * 1000 / rte_get_timer_hz()); \
	r_; \
})

#define BAD(...) do { \
	printf("  UNEXPLAINED: "); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	tot.unexplained++; \
} while (0)

static uint8_t
pat(uint32_t seed, uint32_t i)
{
	return (uint8_t)((seed * 2654435761u + i * 31 + (i >> 7)) ^ (seed >> 11));
}

/* Disruptions (link, READY, re-init): a job may end with a link error when
 * its life overlaps one (with a grace for the driver to notice the end).
 */
static struct {
	uint64_t start[64], end[64];
	bool ready[64];         /* READY drop or re-init, not a link loss */
	unsigned int n;
	bool active;
} dis;

static void
dis_begin(bool ready)
{
	unsigned int i = dis.n % RTE_DIM(dis.start);

	dis.ready[i] = ready;
	dis.start[i] = rte_get_timer_cycles();
	dis.end[i] = UINT64_MAX;
	dis.n++;
	dis.active = true;
}

static void
dis_end(void)
{
	dis.end[(dis.n - 1) % RTE_DIM(dis.start)] = rte_get_timer_cycles() +
		ms_cyc(grace_ms);
	dis.active = false;
}

static bool
dis_overlaps(uint64_t from, uint64_t to)
{
	unsigned int i, n = RTE_MIN(dis.n, (unsigned int)RTE_DIM(dis.start));

	for (i = 0; i < n; i++)
		if (dis.start[i] <= to && from <= dis.end[i])
			return true;
	return false;
}

static bool
dis_ready_overlaps(uint64_t t)
{
	unsigned int i, n = RTE_MIN(dis.n, (unsigned int)RTE_DIM(dis.start));

	for (i = 0; i < n; i++)
		if (dis.ready[i] && dis.start[i] <= t && t <= dis.end[i])
			return true;
	return false;
}

static uint8_t *
src_base(struct schan *c, uint16_t id)
{
	uint32_t k = id & (c->nb_desc - 1);

	return (c->rd ? c->host : c->ep) + (size_t)k * JOB_SLOT;
}

static uint8_t *
dst_base(struct schan *c, uint16_t id)
{
	uint32_t k = id & (c->nb_desc - 1);

	return (c->rd ? c->ep : c->host) + (size_t)k * JOB_SLOT;
}

static rte_iova_t
iova_of(struct schan *c, const uint8_t *p)
{
	if (p >= c->ep && p < c->ep + (size_t)RING_MAX * JOB_SLOT)
		return c->ep_iova + (uint64_t)(p - c->ep);
	return t_iova(p);
}

/* Split len into n segments placed in a JOB_SLOT region with random gaps. */
static void
make_segs(struct seg *s, unsigned int n, uint32_t len)
{
	uint32_t left = len, off = rnd_below(64), room;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t l = i == n - 1 ? left : 1 + rnd_below(left - (n - 1 - i));

		s[i].off = off;
		s[i].len = l;
		left -= l;
		room = JOB_SLOT - (off + l) - (left + (n - 1 - i) * 64);
		off += l + RTE_MIN(rnd_below(64), room);
	}
}

/* Enqueue one job; returns 1 enqueued, 0 not (ring full for an SG), -1 bad. */
static int
enqueue_one(struct schan *c, bool submit)
{
	struct rte_dma_sge ss[SG_MAX], ds[SG_MAX];
	uint16_t id = c->next_id;
	struct sjob *j = &c->jobs[id & (c->nb_desc - 1)];
	uint8_t *sb = src_base(c, id), *db = dst_base(c, id);
	uint64_t flags = submit ? RTE_DMA_OP_FLAG_SUBMIT : 0;
	bool sg = c->max_sges > 1 && rnd_below(3) == 0;
	unsigned int i, k;
	int r;

	/* sizes: mostly small, sometimes up to the job maximum */
	j->len = rnd_below(4) == 0 ? 1 + rnd_below(JOB_MAX) : 1 + rnd_below(256);
	j->seed = (uint32_t)rnd();
	j->fence = rnd_below(40) == 0;
	if (j->fence)
		flags |= RTE_DMA_OP_FLAG_FENCE;
	if (sg) {
		uint32_t m = RTE_MIN((uint32_t)RTE_MIN(c->max_sges, (uint16_t)SG_MAX), j->len);

		j->nsrc = 1 + rnd_below(m);
		j->ndst = 1 + rnd_below(m);
	} else {
		j->nsrc = j->ndst = 1;
	}
	make_segs(j->src, j->nsrc, j->len);
	make_segs(j->dst, j->ndst, j->len);
	memset(db, GUARD, JOB_SLOT);
	for (i = 0, k = 0; i < j->nsrc; i++) {
		uint32_t b;

		for (b = 0; b < j->src[i].len; b++)
			sb[j->src[i].off + b] = pat(j->seed, k++);
		ss[i].addr = iova_of(c, sb + j->src[i].off);
		ss[i].length = j->src[i].len;
	}
	for (i = 0; i < j->ndst; i++) {
		ds[i].addr = iova_of(c, db + j->dst[i].off);
		ds[i].length = j->dst[i].len;
	}
	j->t_enq = rte_get_timer_cycles();
	if (sg)
		r = TIMED("rte_dma_copy_sg", rte_dma_copy_sg(c->dev, 0, ss, ds, j->nsrc,
			j->ndst, flags));
	else
		r = TIMED("rte_dma_copy", rte_dma_copy(c->dev, 0, ss[0].addr, ds[0].addr,
			j->len, flags));
	if (r == -EIO) {
		/* the device error state: only around a disruption */
		if (!dis_overlaps(j->t_enq, j->t_enq))
			BAD("%s: enqueue refused with -EIO outside any disruption", c->name);
		tot.refused_eio++;
		return 0;
	}
	if (r == -ENOSPC && sg) {
		/* capacity counts single-element jobs; this one needs more slots */
		tot.enospc_sg++;
		return 0;
	}
	if (r != id) {
		BAD("%s: %s returned %d, expected id %u", c->name, sg ? "copy_sg" : "copy", r,
			id);
		return -1;
	}
	c->next_id++;
	c->outstanding++;
	c->batch_open = !submit;
	tot.jobs++;
	tot.bytes += j->len;
	tot.sg_jobs += sg;
	tot.fenced += j->fence;
	return 1;
}

/* Compare a finished job's destination with its source. */
static int
check_data(struct schan *c, uint16_t id, bool *corrupted)
{
	struct sjob *j = &c->jobs[id & (c->nb_desc - 1)];
	uint8_t *db = dst_base(c, id);
	uint32_t i, k = 0, diff = 0, bad_guard = 0, first = 0;
	uint8_t x = 0;

	for (i = 0; i < j->ndst; i++) {
		uint32_t b;

		for (b = 0; b < j->dst[i].len; b++, k++) {
			uint8_t want = pat(j->seed, k), got = db[j->dst[i].off + b];

			if (got != want) {
				if (diff++ == 0) {
					first = k;
					x = got ^ want;
				}
			}
		}
	}
	/* nothing outside the destination segments was written */
	for (i = 0, k = 0; i < JOB_SLOT; i++) {
		bool in = false;
		unsigned int s;

		for (s = 0; s < j->ndst && !in; s++)
			in = i >= j->dst[s].off && i < j->dst[s].off + j->dst[s].len;
		if (!in && db[i] != GUARD)
			bad_guard++;
	}
	*corrupted = false;
	if (bad_guard != 0) {
		BAD("%s: job %u wrote %u bytes outside its destination", c->name, id, bad_guard);
		return -1;
	}
	if (diff == 0)
		return 0;
	/* the model's corruption: one byte of one element, inverted */
	if (diff == 1 && x == 0xff && c->corrupts_pending > 0) {
		c->corrupts_pending--;
		*corrupted = true;
		return 0;
	}
	{
		uint32_t guard = 0;

		for (i = 0; i < j->ndst; i++) {
			uint32_t b;

			for (b = 0; b < j->dst[i].len; b++)
				guard += db[j->dst[i].off + b] == GUARD;
		}
		BAD("%s: job %u (%u bytes, %u/%u segments) data mismatch: %u bytes, first at "
			"%u (xor 0x%02x), %u bytes still the guard, %u corruptions pending; "
			"first dst bytes %02x %02x %02x %02x, src %02x %02x", c->name, id, j->len,
			j->nsrc, j->ndst, diff, first, x, guard, c->corrupts_pending,
			db[j->dst[0].off],
			db[j->dst[0].off + 1 < JOB_SLOT ? j->dst[0].off + 1 : 0],
			db[j->dst[0].off + 2 < JOB_SLOT ? j->dst[0].off + 2 : 0],
			db[j->dst[0].off + 3 < JOB_SLOT ? j->dst[0].off + 3 : 0],
			pat(j->seed, 0), pat(j->seed, 1));
	}
	return -1;
}

/* Check one reported job. */
static void
show_hist(struct schan *c)
{
	unsigned int i, n = RTE_MIN(c->nhist, (unsigned int)RTE_DIM(c->hist));

	if (c->hist_shown)
		return;
	c->hist_shown = true;
	printf("  %s: the last %u reports (id:status, F fenced):", c->name, n);
	for (i = c->nhist - n; i < c->nhist; i++) {
		unsigned int k = i % RTE_DIM(c->hist);

		printf(" %u:%d%s", c->hist[k].id, c->hist[k].st, c->hist[k].fence ? "F" : "");
	}
	printf("\n");
}

static void
check_report(struct schan *c, uint16_t id, enum rte_dma_status_code st)
{
	struct sjob *j = &c->jobs[id & (c->nb_desc - 1)];
	uint64_t now = rte_get_timer_cycles();
	uint64_t un0 = tot.unexplained;
	unsigned int h = c->nhist++ % RTE_DIM(c->hist);
	bool corrupted;

	c->hist[h].id = id;
	c->hist[h].st = (int16_t)st;
	c->hist[h].fence = j->fence;
	switch (st) {
	case RTE_DMA_STATUS_SUCCESSFUL:
		tot.ok++;
		c->na_streak = false;
		if (j->fence)
			c->failed_since_fence = false;
		if (check_data(c, id, &corrupted) == 0 && corrupted)
			tot.corrupted++;
		break;
	case RTE_DMA_STATUS_DEV_LINK_ERROR:
		tot.link_err++;
		if (!dis_overlaps(j->t_enq, now))
			BAD("%s: job %u DEV_LINK_ERROR without a link/READY/re-init fault in its "
				"life", c->name, id);
		break;
	case RTE_DMA_STATUS_NOT_ATTEMPTED:
		tot.not_attempted++;
		if (j->fence && c->failed_since_fence)
			c->na_streak = true;
		if (!c->na_streak)
			BAD("%s: job %u NOT_ATTEMPTED%s without a failed job before a fence",
				c->name, id, j->fence ? " (fenced)" : "");
		break;
	default:
		tot.err++;
		c->failed_since_fence = true;
		if (c->aborts_pending > 0)
			c->aborts_pending--;
		else if (!dis_overlaps(j->t_enq, now))
			BAD("%s: job %u status %d with no abort injected", c->name, id, st);
		break;
	}
	if (tot.unexplained != un0)
		show_hist(c);
}

/* Collect up to n reports; check order, ids and statuses. */
static unsigned int
collect(struct schan *c, uint16_t n)
{
	enum rte_dma_status_code st[RING_MAX];
	uint16_t last = 0, got, i;

	got = TIMED("rte_dma_completed_status",
		rte_dma_completed_status(c->dev, 0, RTE_MIN(n, (uint16_t)RING_MAX), &last, st));
	if (got > c->outstanding) {
		BAD("%s: %u reports with %u jobs outstanding", c->name, got, c->outstanding);
		got = c->outstanding;
	}
	if (got > 0 && last != (uint16_t)(c->rep_id + got - 1))
		BAD("%s: last_idx %u after %u reports from %u", c->name, last, got, c->rep_id);
	if (got == 0 && c->rep_id != c->next_id && last != (uint16_t)(c->rep_id - 1) &&
			c->rep_id != 0)
		BAD("%s: last_idx %u with nothing new (next report %u)", c->name, last,
			c->rep_id);
	for (i = 0; i < got; i++)
		check_report(c, c->rep_id++, st[i]);
	c->outstanding -= got;
	return got;
}

static int
chan_open(struct t_sim *s, struct schan *c, const char *ch, unsigned int idx)
{
	struct rte_dma_info info;
	uint16_t nb;

	snprintf(c->name, sizeof(c->name), "%s-%s", s->name, ch);
	c->dev = t_dev(s, ch);
	c->rd = ch[0] == 'r';
	if (c->dev < 0 || rte_dma_info_get(c->dev, &info) != 0)
		return -1;
	/* ring fill levels: a random ring size, filled to random levels */
	nb = (uint16_t)(16u << rnd_below(5));
	while (nb > RING_MAX || nb > info.max_desc)
		nb >>= 1;
	if (nb < info.min_desc)
		return -1;
	c->nb_desc = nb;
	c->max_sges = info.max_sges;
	c->host = t_host_alloc((size_t)RING_MAX * JOB_SLOT);
	c->ep_iova = s->mi.ep_mem_addr + (uint64_t)idx * RING_MAX * JOB_SLOT;
	c->ep = ep_model_ep_ptr(s->m, c->ep_iova, (size_t)RING_MAX * JOB_SLOT);
	if (c->host == NULL || c->ep == NULL)
		return -1;
	return t_chan_setup(c->dev, c->rd ? RTE_DMA_DIR_MEM_TO_DEV : RTE_DMA_DIR_DEV_TO_MEM,
		nb);
}

static unsigned int
chan_hw(const struct schan *c)
{
	return (unsigned int)(c->name[strlen(c->name) - 1] - '0');
}

/*
 * Ownership violations. A register write that lands while READY is 0 right
 * after an injected READY drop or re-init is the unavoidable race of any
 * driver that does not read READY before every doorbell (it cannot know
 * before its next look); it is counted apart. Any other violation, or one
 * outside such a window, fails the run.
 */
static uint64_t viol_raced, viol_real;

static void
check_violations(struct ep_model *m)
{
	uint64_t n = ep_model_violations(m), i, real0 = viol_real;
	char buf[256];

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		uint64_t now = rte_get_timer_cycles();

		if (i >= 16 || ep_model_violation_get(m, (unsigned int)i, buf,
				sizeof(buf)) != 0) {
			/*
			 * Only the first 16 are kept as text: when those were all
			 * races, the rest (one doorbell per channel, 16 channels)
			 * are taken as the same.
			 */
			if (viol_real == real0) {
				viol_raced += n - i;
			} else {
				printf("  %" PRIu64 " violations at once: not all judged\n", n);
				viol_real++;
			}
			break;
		}
		if (strstr(buf, "while READY is 0") != NULL && dis_ready_overlaps(now))
			viol_raced++;
		else {
			printf("  VIOLATION: %s\n", buf);
			viol_real++;
		}
	}
	ep_model_violations_clear(m);
}

/* Fault state of the running phase. */
static struct {
	bool link_down, ready_down, slow;
	uint64_t until;       /* when the open fault ends */
	uint64_t next;        /* when the next fault may start */
} fs;

static void
fault_end(struct t_sim *s)
{
	if (fs.link_down) {
		ep_model_link_set(s->m, true);
		fs.link_down = false;
		dis_end();
	}
	if (fs.ready_down) {
		ep_model_ready_set(s->m, true);
		fs.ready_down = false;
		dis_end();
	}
	if (fs.slow) {
		ep_model_timing_set(s->m, 0, 0);
		fs.slow = false;
	}
}

static void
fault_tick(struct t_sim *s, struct schan *ch, unsigned int nch, unsigned int mean_ms)
{
	uint64_t now = rte_get_timer_cycles();
	enum fault f;
	struct schan *c;

	if (fs.until != 0 && now >= fs.until) {
		fault_end(s);
		fs.until = 0;
	}
	if (now < fs.next || fs.until != 0)
		return;
	fs.next = now + ms_cyc(1 + rnd_below(2 * mean_ms));
	f = (enum fault)rnd_below(F_NB);
	/* data faults are the common case */
	if (rnd_below(2) == 0)
		f = rnd_below(2) ? F_ABORT : F_CORRUPT;
	if (!(fault_mask & (1u << f)))
		return;
	c = &ch[rnd_below(nch)];
	tot.faults[f]++;
	switch (f) {
	case F_ABORT:
		if (ep_model_inject_abort(s->m, c->rd ? EP_MODEL_DIR_RD : EP_MODEL_DIR_WR,
				chan_hw(c),
				rnd_below(8)) == 0)
			/* may replace an unfired one: the count errs on the lenient side */
			c->aborts_pending++;
		break;
	case F_CORRUPT:
		if (ep_model_inject_corruption(s->m, c->rd ? EP_MODEL_DIR_RD : EP_MODEL_DIR_WR,
				chan_hw(c),
				rnd_below(8)) == 0)
			c->corrupts_pending++;
		break;
	case F_LINK:
		/* READY is 0 from the loss until the poll after the link returns */
		dis_begin(true);
		ep_model_link_set(s->m, false);
		fs.link_down = true;
		fs.until = now + ms_cyc(1 + rnd_below(30));
		break;
	case F_READY:
		dis_begin(true);
		ep_model_ready_set(s->m, false);
		fs.ready_down = true;
		fs.until = now + ms_cyc(1 + rnd_below(30));
		break;
	case F_REINIT:
		/* READY returns once the driver asks again: a short disruption */
		dis_begin(true);
		ep_model_reinit(s->m);
		dis_end();
		dis.end[(dis.n - 1) % RTE_DIM(dis.start)] += ms_cyc(100);
		break;
	case F_SLOW:
		ep_model_timing_set(s->m, 1000 + rnd_below(50000), rnd_below(2) ? 0 :
			(uint64_t)(50 + rnd_below(500)) << 20);
		fs.slow = true;
		fs.until = now + ms_cyc(5 + rnd_below(100));
		break;
	default:
		ep_model_pause(s->m, 1000 + rnd_below(100000));
		break;
	}
}

/* Every job reported within DRAIN_MS; then the channel works again. */
static int
drain_and_verify(struct t_sim *s, struct schan *ch, unsigned int nch)
{
	uint64_t end = t_deadline(DRAIN_MS);
	unsigned int i, left;
	int rc = 0;

	do {
		left = 0;
		for (i = 0; i < nch; i++) {
			if (ch[i].batch_open) {
				(void)TIMED("rte_dma_submit", rte_dma_submit(ch[i].dev, 0));
				ch[i].batch_open = false;
			}
			collect(&ch[i], RING_MAX);
			left += ch[i].outstanding;
		}
	} while (left > 0 && !t_expired(end));
	for (i = 0; i < nch; i++) {
		if (ch[i].outstanding == 0)
			continue;
		printf("  LOST: %s: %u jobs never reported (from id %u)\n", ch[i].name,
			ch[i].outstanding, ch[i].rep_id);
		tot.lost += ch[i].outstanding;
		rc = -1;
	}
	if (rc != 0)
		return rc;
	/*
	 * No faults now: every channel must run 8 jobs in a row successfully,
	 * intact, within DRAIN_MS. A channel may first have to notice the end
	 * of the last fault (a link loss seen only when work is submitted ends
	 * those jobs with a link error, explained by the fault's grace window).
	 */
	for (i = 0; i < nch; i++) {
		struct schan *c = &ch[i];
		uint64_t t_end = t_deadline(DRAIN_MS);
		uint64_t un0 = tot.unexplained, ok0;
		unsigned int in_row = 0;

		/* injections that did not fire (they hit a write-back element, or
		 * their element never came) are pushed out of reach
		 */
		ep_model_inject_abort(s->m, c->rd ? EP_MODEL_DIR_RD : EP_MODEL_DIR_WR,
			chan_hw(c), 1000000000);
		ep_model_inject_corruption(s->m, c->rd ? EP_MODEL_DIR_RD : EP_MODEL_DIR_WR,
			chan_hw(c), 1000000000);
		c->aborts_pending = c->corrupts_pending = 0;
		while (in_row < 8 && !t_expired(t_end)) {
			int r = rte_dma_burst_capacity(c->dev, 0) > 0 ? enqueue_one(c, true) : 0;

			if (r < 0)
				return -1;
			ok0 = tot.ok;
			/* one job at a time, collected before the next */
			while (!t_expired(t_end) && (r == 0 || c->outstanding > 0)) {
				collect(c, RING_MAX);
				if (r == 0)
					break;  /* still in the error state: poll, retry */
			}
			if (r != 0)
				in_row = tot.ok > ok0 ? in_row + 1 : 0;
		}
		if (c->outstanding > 0 || in_row < 8 || tot.unexplained != un0) {
			printf("  %s: not working again after the phase (%u outstanding, %u "
				"successful jobs in a row)\n", c->name, c->outstanding, in_row);
			tot.lost += c->outstanding;
			rc = -1;
		}
	}
	return rc;
}

static int
run_phase(const char *layout, unsigned int secs, unsigned int phase)
{
	static const char *const cpls[] = { "", ",completion=llp", ",completion=imwr" };
	static const uint32_t desc_sizes[] = { 192, 1024, 4096, 16384 };
	struct schan *ch = calloc(NCH_MAX, sizeof(*ch));
	bool native = strcmp(layout, "hdma-native") == 0;
	unsigned int nwr, nrd, nch = 0, i;
	struct rte_pmd_dw_edma_counters cnt;
	uint64_t end, v, resets = 0;
	struct t_sim s;
	char args[512];
	int rc = 0;

	if (ch == NULL)
		return -1;
	/* HDMA native delegates any prefix; eDMA maps a direction whole */
	nwr = native ? 1 + rnd_below(8) : 2;
	nrd = native ? rnd_below(9) : 2;
	if (native && phase % 2 == 0)
		nwr = nrd = 8;	/* the configuration of the field report */
	snprintf(args, sizeof(args), "layout=%s,wr=%u,rd=%u,desc_size=%u,"
		"ep_mem_size=0x%x%s%s", layout, nwr, nrd,
		desc_sizes[rnd_below(RTE_DIM(desc_sizes))], NCH_MAX * RING_MAX * JOB_SLOT,
		rnd_below(4) != 0 ? ",outbound=0x1000000000000" : "",
		cpls[rnd_below(native ? 3 : 2)]);
	if (stall_fail_ms != 0)
		snprintf(args + strlen(args), sizeof(args) - strlen(args), ",stall_fail_ms=%u",
			stall_fail_ms);
	printf("phase %u: %s for %u s\n", phase, args, secs);
	fflush(stdout);
	if (t_sim_open(&s, args) != 0) {
		printf("  cannot open the sim\n");
		free(ch);
		return -1;
	}
	for (i = 0; i < nwr + nrd; i++) {
		char n[8];

		snprintf(n, sizeof(n), "%s%u", i < nwr ? "wr" : "rd", i < nwr ? i : i - nwr);
		if (chan_open(&s, &ch[nch], n, nch) != 0) {
			printf("  cannot set up %s\n", n);
			rc = -1;
			goto out;
		}
		nch++;
	}
	memset(&fs, 0, sizeof(fs));
	end = t_deadline(secs * 1000);
	while (!t_expired(end)) {
		fault_tick(&s, ch, nch, 40);
		for (i = 0; i < nch; i++) {
			struct schan *c = &ch[i];
			uint16_t cap = TIMED("rte_dma_burst_capacity",
				rte_dma_burst_capacity(c->dev, 0));
			uint32_t room = c->nb_desc - c->outstanding;
			uint32_t n = rnd_below(RTE_MIN(RTE_MIN((uint32_t)cap, room), 32u) + 1);
			bool explicit_submit = rnd_below(2);
			uint32_t k;

			/* an SG job takes several slots: capacity is asked again */
			for (k = 0; k < n; k++)
				if ((k > 0 && rte_dma_burst_capacity(c->dev, 0) == 0) ||
						enqueue_one(c, !explicit_submit && k == n - 1) <= 0)
					break;
			if (explicit_submit || rnd_below(8) == 0) {
				int r = TIMED("rte_dma_submit", rte_dma_submit(c->dev, 0));

				if (r == 0)
					c->batch_open = false;
				else if (r != -EIO || !dis_overlaps(rte_get_timer_cycles(),
						rte_get_timer_cycles()))
					BAD("%s: submit returned %d", c->name, r);
			}
			/* also with nothing outstanding: in the error state every call
			 * watches for READY's return (the documented way back)
			 */
			collect(c, (uint16_t)(1 + rnd_below(64)));
			check_violations(s.m);
		}
	}
	fault_end(&s);
	if (drain_and_verify(&s, ch, nch) != 0)
		rc = -1;
	for (i = 0; i < nch; i++) {
		if (rte_pmd_dw_edma_counters_get(ch[i].dev, &cnt) == 0)
			resets += cnt.ring_resets;
		(void)TIMED("rte_dma_stop", rte_dma_stop(ch[i].dev));
	}
	tot.recoveries += resets;
	check_violations(s.m);
	v = viol_real;
	if (v != 0) {
		printf("  %" PRIu64 " ownership violations\n", v);
		rc = -1;
	}
out:
	t_sim_close(&s);
	for (i = 0; i < NCH_MAX; i++)
		rte_free(ch[i].host);
	free(ch);
	tot.phases++;
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "phase-seconds", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 'r' },
		{ "max-call-ms", required_argument, NULL, 'm' },
		{ "layout", required_argument, NULL, 'l' },
		{ "faults", required_argument, NULL, 'f' },
		{ "grace-ms", required_argument, NULL, 'g' },
		{ "stall-fail-ms", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int secs = 60, phase_secs = 10, phase = 0, l, i;
	bool layout_failed[RTE_DIM(layouts)] = { false };
	bool layout_ran[RTE_DIM(layouts)] = { false };
	const char *only = NULL;
	uint64_t seed = 0, t_end;
	int used, o;

	used = rte_eal_init(argc, argv);
	if (used < 0) {
		printf("FAIL soak/eal_init\n");
		return 1;
	}
	argc -= used;
	argv += used;
	optind = 0; /* glibc: a full restart of getopt after EAL's parsing */
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': secs = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'p': phase_secs = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'r': seed = strtoull(optarg, NULL, 0); break;
		case 'm': max_call_ms = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'g': grace_ms = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'x': stall_fail_ms = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'l': only = optarg; break;
		case 'f':
			fault_mask = 0;
			for (i = 0; i < F_NB; i++)
				if (strstr(optarg, fault_names[i]) != NULL)
					fault_mask |= 1u << i;
			break;
		default:
			printf("FAIL soak/usage\n");
			return 1;
		}
	}
	/* the sanitized pass of run-tests.sh shortens the run */
	if (getenv("EP_SOAK_SECONDS") != NULL)
		secs = (unsigned int)strtoul(getenv("EP_SOAK_SECONDS"), NULL, 0);
	if (seed == 0)
		seed = rte_rdtsc() ^ ((uint64_t)getpid() << 32);
	rng_state = seed;
	printf("soak: seed %" PRIu64 " (--seed %" PRIu64 " repeats the run), %u s\n", seed,
		seed, secs);
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_end = rte_get_timer_cycles() + ms_cyc((uint64_t)secs * 1000);
	do {
		unsigned int ps;
		uint64_t left = t_end - RTE_MIN(t_end, rte_get_timer_cycles());

		l = phase % RTE_DIM(layouts);
		if (only != NULL && strcmp(only, layouts[l]) != 0) {
			phase++;
			continue;
		}
		ps = RTE_MAX(1u, RTE_MIN(phase_secs, (unsigned int)(left /
			rte_get_timer_hz())));
		layout_ran[l] = true;
		if (run_phase(layouts[l], ps, phase) != 0 || tot.unexplained != 0) {
			layout_failed[l] = true;
			fails++;
		}
		phase++;
		if (fails != 0)
			break; /* keep the first failure's log readable */
	} while (rte_get_timer_cycles() < t_end || (only == NULL && phase < RTE_DIM(layouts)));
	tot.max_call_cyc = max_call_cyc;
	printf("soak totals: %" PRIu64 " phases, %" PRIu64 " jobs (%" PRIu64 " SG, %" PRIu64
		" fenced), %" PRIu64 " MiB; reported %" PRIu64 " successful (%" PRIu64
		" with an injected corruption detected), %" PRIu64 " failed, %" PRIu64
		" link errors, %" PRIu64 " not attempted; %" PRIu64 " enqueues refused in the "
		"error state, %" PRIu64 " SG enqueues over capacity; %" PRIu64
		" recoveries (ring resets); lost %" PRIu64 "; unexplained %" PRIu64
		"; ownership violations %" PRIu64 " (and %" PRIu64 " writes racing an injected "
		"READY drop or re-init); longest call %.1f ms (%s)\n", tot.phases, tot.jobs,
		tot.sg_jobs, tot.fenced, tot.bytes >> 20, tot.ok, tot.corrupted, tot.err,
		tot.link_err, tot.not_attempted,
		tot.refused_eio, tot.enospc_sg, tot.recoveries, tot.lost, tot.unexplained,
		viol_real, viol_raced, (double)max_call_cyc * 1000 / rte_get_timer_hz(),
		max_call_what);
	printf("soak faults:");
	for (i = 0; i < F_NB; i++)
		printf(" %s %" PRIu64, fault_names[i], tot.faults[i]);
	printf("\n");
	if (max_call_cyc > ms_cyc(max_call_ms)) {
		printf("FAIL soak/call_bound (%s took %.1f ms > %u ms)\n", max_call_what,
			(double)max_call_cyc * 1000 / rte_get_timer_hz(), max_call_ms);
		fails++;
	}
	for (l = 0; l < RTE_DIM(layouts); l++)
		if (layout_ran[l])
			printf("%s soak/%s\n", layout_failed[l] ? "FAIL" : "PASS", layouts[l]);
	printf("%s soak/no_job_lost\n", tot.lost == 0 && tot.phases > 0 ? "PASS" : "FAIL");
	rte_eal_cleanup();
	return fails != 0 || tot.lost != 0 || viol_real != 0 ? 1 : 0;
}
