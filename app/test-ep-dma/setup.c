/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Run set-up: pick the devices, their directions and rings, allocate and
 * map the buffers (host memory, endpoint memory), and hand devices to lcores.
 */

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_dmadev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "ep_dma.h"

#define EP_DEFAULT_RING 1024
/* ---- devices -------------------------------------------------------------- */

static int
find_dev(const struct ep_run *run, int16_t id)
{
	unsigned int i;

	for (i = 0; i < run->n_devs; i++)
		if (run->devs[i].d.id == id)
			return (int)i;
	return -1;
}

static int add_dev(struct ep_run *run, const char *spec);

/* A spec with wildcards selects every device whose name matches it. */
static int
add_dev_glob(struct ep_run *run, const char *pattern)
{
	struct rte_dma_info info;
	unsigned int matched = 0;
	int16_t id;
	int rc;

	RTE_DMA_FOREACH_DEV(id) {
		char spec[16];

		if (rte_dma_info_get(id, &info) < 0 || info.dev_name == NULL ||
				fnmatch(pattern, info.dev_name, 0) != 0)
			continue;
		snprintf(spec, sizeof(spec), "%d", id);
		rc = add_dev(run, spec);
		if (rc < 0)
			return rc;
		matched++;
	}
	if (matched == 0) {
		fprintf(stderr, "no dmadev name matches '%s'\n", pattern);
		return -ENODEV;
	}
	return 0;
}

static int
add_dev(struct ep_run *run, const char *spec)
{
	int id;

	if (strpbrk(spec, "*?[") != NULL)
		return add_dev_glob(run, spec);
	id = ep_parse_dev(spec);

	if (id < 0) {
		fprintf(stderr, "unknown dmadev '%s' (see the list command or "
			"--vdev)\n", spec);
		return -ENODEV;
	}
	if (find_dev(run, (int16_t)id) >= 0)
		return 0;
	if (run->n_devs >= EP_MAX_DEVS)
		return -ENOSPC;
	if (ep_dev_describe((int16_t)id, &run->devs[run->n_devs].d) < 0) {
		fprintf(stderr, "dmadev '%s': cannot get its info\n", spec);
		return -ENODEV;
	}
	run->devs[run->n_devs].lcore = rte_get_main_lcore();
	run->n_devs++;
	return 0;
}

static int
pick_dir(const struct ep_config *cfg, struct ep_dev *dev)
{
	static const uint64_t need[] = {
		[EP_DIR_MEM2DEV] = RTE_DMA_CAPA_MEM_TO_DEV,
		[EP_DIR_DEV2MEM] = RTE_DMA_CAPA_DEV_TO_MEM,
		[EP_DIR_MEM2MEM] = RTE_DMA_CAPA_MEM_TO_MEM,
	};
	enum ep_dir dir = cfg->dir;

	if (dir == EP_DIR_AUTO)
		dir = dev->d.is_dw_edma ? dev->d.chan_dir : EP_DIR_MEM2MEM;
	if (dev->d.is_dw_edma && dir != EP_DIR_MEM2MEM && dir != dev->d.chan_dir) {
		fprintf(stderr, "device %s: this channel moves data %s, it cannot "
			"run %s (use --dir auto or pick the other channel)\n",
			dev->d.name, ep_dir_name(dev->d.chan_dir),
			ep_dir_name(dir));
		return -EINVAL;
	}
	if ((dev->d.capa & need[dir]) == 0) {
		fprintf(stderr, "device %s: does not support %s%s\n", dev->d.name,
			ep_dir_name(dir), dev->d.is_dw_edma && dir == EP_DIR_MEM2MEM ?
			" (the simulated endpoint needs an outbound window: "
			"devargs outbound=0x1000000000000)" : "");
		return -ENOTSUP;
	}
	if (cfg->sg > 1 && ((dev->d.capa & RTE_DMA_CAPA_OPS_COPY_SG) == 0 ||
			cfg->sg > dev->d.max_sges)) {
		fprintf(stderr, "device %s: --sg %u not supported (copy_sg %s, "
			"max %u segments)\n", dev->d.name, cfg->sg,
			dev->d.capa & RTE_DMA_CAPA_OPS_COPY_SG ? "yes" : "no",
			dev->d.max_sges);
		return -ENOTSUP;
	}
	dev->dir = dir;
	return 0;
}

static int
configure_dev(const struct ep_config *cfg, struct ep_dev *dev)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc;
	uint16_t ring = cfg->ring;
	int rc;

	if (ring == 0)
		ring = RTE_MIN(dev->d.max_desc, (uint16_t)EP_DEFAULT_RING);
	if (ring < dev->d.min_desc || ring > dev->d.max_desc) {
		uint16_t r = RTE_MAX(RTE_MIN(ring, dev->d.max_desc),
			dev->d.min_desc);

		printf("device %s: ring %u outside [%u, %u], using %u\n",
			dev->d.name, ring, dev->d.min_desc, dev->d.max_desc, r);
		ring = r;
	}
	memset(&vc, 0, sizeof(vc));
	vc.nb_desc = ring;
	switch (dev->dir) {
	case EP_DIR_MEM2DEV:
		vc.direction = RTE_DMA_DIR_MEM_TO_DEV;
		vc.dst_port.port_type = RTE_DMA_PORT_PCIE;
		break;
	case EP_DIR_DEV2MEM:
		vc.direction = RTE_DMA_DIR_DEV_TO_MEM;
		vc.src_port.port_type = RTE_DMA_PORT_PCIE;
		break;
	default:
		vc.direction = RTE_DMA_DIR_MEM_TO_MEM;
		break;
	}
	rc = rte_dma_configure(dev->d.id, &conf);
	if (rc == 0)
		rc = rte_dma_vchan_setup(dev->d.id, 0, &vc);
	if (rc == 0)
		rc = rte_dma_start(dev->d.id);
	if (rc < 0) {
		fprintf(stderr, "device %s: configure/start with ring %u, %s "
			"failed: %s\n", dev->d.name, ring, ep_dir_name(dev->dir),
			strerror(-rc));
		return rc;
	}
	dev->ring = ring;
	dev->inflight = cfg->inflight ? cfg->inflight : ring;
	if (dev->inflight > ring) {
		printf("device %s: inflight %u > ring %u, using %u\n",
			dev->d.name, dev->inflight, ring, ring);
		dev->inflight = ring;
	}
	return 0;
}

/* Endpoint-side region of a device: base address, host pointer, size. */
struct ep_region {
	uint64_t addr;
	uint8_t *va;
	uint64_t size;
};

static bool
needs_ep(const struct ep_dev *dev)
{
	return dev->dir == EP_DIR_MEM2DEV || dev->dir == EP_DIR_DEV2MEM;
}

static int
ep_region_of(struct ep_run *run, const struct ep_dev *dev, struct ep_region *r)
{
	const struct ep_config *cfg = &run->cfg;
	unsigned int i, k = 0, count = 0;
	uint64_t part;

	if (cfg->ep_size != 0) {
		r->addr = cfg->ep_addr;
		r->va = run->ep_map_base;
		r->size = cfg->ep_size;
	} else if (dev->d.has_ep_mem) {
		r->addr = dev->d.ep_mem_addr;
		r->va = dev->d.ep_mem;
		r->size = dev->d.ep_mem_size;
	} else {
		fprintf(stderr, "device %s: %s needs endpoint memory: give "
			"--ep-addr and --ep-size (and --ep-map to verify)\n",
			dev->d.name, ep_dir_name(dev->dir));
		return -EINVAL;
	}
	/* Share the region equally among the devices that use it. */
	for (i = 0; i < run->n_devs; i++) {
		const struct ep_dev *o = &run->devs[i];
		bool same;

		if (!needs_ep(o))
			continue;
		same = cfg->ep_size != 0 || (o->d.has_ep_mem &&
			o->d.ep_mem == dev->d.ep_mem);
		if (!same)
			continue;
		if (o == dev)
			k = count;
		count++;
	}
	part = RTE_ALIGN_FLOOR(r->size / count, 64);
	r->addr += part * k;
	if (r->va != NULL)
		r->va += part * k;
	r->size = part;
	return 0;
}

static int
setup_buffers(struct ep_run *run, struct ep_dev *dev)
{
	const struct ep_config *cfg = &run->cfg;
	uint32_t max_size = 0, max_slots;
	struct ep_region ep = { 0 };
	unsigned int i;
	int socket = dev->d.numa_node < 0 ? SOCKET_ID_ANY : dev->d.numa_node;

	for (i = 0; i < cfg->n_sizes; i++)
		max_size = RTE_MAX(max_size, cfg->sizes[i]);
	for (i = 0; i < cfg->n_sizes; i++)
		if (cfg->sizes[i] < cfg->sg) {
			fprintf(stderr, "device %s: size %u is smaller than %u "
				"segments\n", dev->d.name, cfg->sizes[i], cfg->sg);
			return -EINVAL;
		}
	dev->sg = cfg->sg;
	dev->burst = cfg->burst;
	/* A burst is released with one submit: more jobs than the ring holds
	 * would stop at -ENOSPC and measure something else than asked.
	 */
	if (dev->burst > dev->ring) {
		printf("device %s: --burst %u is more than the ring's %u "
			"descriptors, using --burst %u\n", dev->d.name, dev->burst,
			dev->ring, dev->ring);
		dev->burst = dev->ring;
	}
	if (dev->burst > dev->inflight)
		printf("device %s: --burst %u is more than --inflight %u: bursts "
			"of at most %u jobs\n", dev->d.name, dev->burst,
			dev->inflight, dev->inflight);
	dev->seg_stride = RTE_ALIGN_CEIL(max_size / cfg->sg + cfg->sg, 64);
	if (cfg->sg == 1)
		dev->seg_stride = RTE_ALIGN_CEIL(max_size, 64);
	dev->slot_bytes = dev->seg_stride * cfg->sg;
	max_slots = (uint32_t)RTE_MIN(cfg->buf_mem / dev->slot_bytes,
		(uint64_t)UINT32_MAX);
	if (needs_ep(dev)) {
		if (ep_region_of(run, dev, &ep) < 0)
			return -EINVAL;
		max_slots = (uint32_t)RTE_MIN((uint64_t)max_slots,
			ep.size / dev->slot_bytes);
	}
	if (max_slots == 0) {
		fprintf(stderr, "device %s: a %u-byte job does not fit in %s "
			"(%" PRIu64 " bytes)\n", dev->d.name, max_size,
			needs_ep(dev) && ep.size / dev->slot_bytes == 0 ?
			"its share of endpoint memory" : "--buf-mem",
			needs_ep(dev) && ep.size / dev->slot_bytes == 0 ?
			ep.size : cfg->buf_mem);
		return -ENOSPC;
	}
	dev->nslots = RTE_MIN(dev->inflight, max_slots);
	dev->verify = cfg->verify;
	if (dev->verify && dev->nslots < dev->inflight) {
		/* A slot must not be reused while its job is in flight. */
		printf("device %s: %u buffers fit, inflight lowered from %u for "
			"verification\n", dev->d.name, dev->nslots, dev->inflight);
		dev->inflight = dev->nslots;
	}
	/* Touch the simulated endpoint memory now, not inside a measurement. */
	if (ep.va != NULL && run->cfg.ep_size == 0)
		memset(ep.va, 0, (size_t)dev->nslots * dev->slot_bytes);
	if (dev->dir != EP_DIR_DEV2MEM) {
		dev->src_alloc = rte_zmalloc_socket("ep_dma_src",
			(size_t)dev->nslots * dev->slot_bytes, 4096, socket);
		if (dev->src_alloc == NULL)
			goto nomem;
		dev->src_va = dev->src_alloc;
		dev->src_addr = rte_malloc_virt2iova(dev->src_alloc);
	} else {
		dev->src_va = ep.va;
		dev->src_addr = ep.addr;
	}
	if (dev->dir != EP_DIR_MEM2DEV) {
		dev->dst_alloc = rte_zmalloc_socket("ep_dma_dst",
			(size_t)dev->nslots * dev->slot_bytes, 4096, socket);
		if (dev->dst_alloc == NULL)
			goto nomem;
		dev->dst_va = dev->dst_alloc;
		dev->dst_addr = rte_malloc_virt2iova(dev->dst_alloc);
	} else {
		dev->dst_va = ep.va;
		dev->dst_addr = ep.addr;
	}
	if (dev->src_addr == RTE_BAD_IOVA || dev->dst_addr == RTE_BAD_IOVA) {
		fprintf(stderr, "device %s: no IOVA for the host buffers\n",
			dev->d.name);
		return -EFAULT;
	}
	if (dev->verify && (dev->src_va == NULL || dev->dst_va == NULL)) {
		printf("device %s: endpoint buffer not mapped on the host "
			"(--ep-map), %s not verified\n", dev->d.name,
			ep_dir_name(dev->dir));
		dev->verify = false;
	}
	dev->fifo_cap = dev->inflight + 1;
	dev->fifo = rte_zmalloc("ep_dma_fifo",
		sizeof(*dev->fifo) * dev->fifo_cap, 0);
	if (dev->fifo == NULL)
		goto nomem;
	if (dev->sg > 1) {
		dev->sge = rte_zmalloc("ep_dma_sge", sizeof(*dev->sge) *
			2 * dev->sg * dev->nslots, 0);
		if (dev->sge == NULL)
			goto nomem;
	}
	return 0;
nomem:
	fprintf(stderr, "device %s: out of memory for %u buffers of %u bytes "
		"(lower --inflight, --buf-mem or --size, or raise EAL -m)\n",
		dev->d.name, dev->nslots, dev->slot_bytes);
	return -ENOMEM;
}

static int
map_ep(struct ep_run *run)
{
	const struct ep_config *cfg = &run->cfg;
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t start, delta;
	void *va;
	int fd;

	if (cfg->ep_map[0] == '\0')
		return 0;
	if (cfg->ep_size == 0) {
		fprintf(stderr, "--ep-map needs --ep-addr and --ep-size\n");
		return -EINVAL;
	}
	start = RTE_ALIGN_FLOOR(cfg->ep_map_off, (uint64_t)pg);
	delta = cfg->ep_map_off - start;
	fd = open(cfg->ep_map, O_RDWR | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "--ep-map %s: %s\n", cfg->ep_map, strerror(errno));
		return -errno;
	}
	va = mmap(NULL, cfg->ep_size + delta, PROT_READ | PROT_WRITE,
		MAP_SHARED, fd, (off_t)start);
	close(fd);
	if (va == MAP_FAILED) {
		fprintf(stderr, "--ep-map %s@0x%" PRIx64 ": mmap of %" PRIu64
			" bytes failed: %s\n", cfg->ep_map, cfg->ep_map_off,
			cfg->ep_size, strerror(errno));
		return -errno;
	}
	run->ep_map_va = va;
	run->ep_map_len = cfg->ep_size + delta;
	run->ep_map_base = (uint8_t *)va + delta;
	return 0;
}

static int
assign_lcores(struct ep_run *run)
{
	const struct ep_config *cfg = &run->cfg;
	struct ep_lcore_ctx *ctx;
	unsigned int i, j, main_lc = rte_get_main_lcore();
	bool mapped[EP_MAX_DEVS] = { false };

	for (i = 0; i < cfg->n_lmap; i++) {
		int id = ep_parse_dev(cfg->lmap[i].dev), k;

		if (id < 0) {
			fprintf(stderr, "--lcore-map: unknown dmadev '%s'\n",
				cfg->lmap[i].dev);
			return -ENODEV;
		}
		k = find_dev(run, (int16_t)id);
		if (k < 0) {
			fprintf(stderr, "--lcore-map: device '%s' is not among "
				"the devices to run (--dev)\n", cfg->lmap[i].dev);
			return -EINVAL;
		}
		if (!rte_lcore_is_enabled(cfg->lmap[i].lcore)) {
			fprintf(stderr, "--lcore-map: lcore %u is not enabled "
				"(EAL -l)\n", cfg->lmap[i].lcore);
			return -EINVAL;
		}
		if (mapped[k]) {
			fprintf(stderr, "--lcore-map: device '%s' mapped twice; "
				"a vchan is driven by one lcore\n",
				cfg->lmap[i].dev);
			return -EINVAL;
		}
		mapped[k] = true;
		run->devs[k].lcore = cfg->lmap[i].lcore;
	}
	ctx = calloc(run->n_devs + 1, sizeof(*ctx));
	if (ctx == NULL)
		return -ENOMEM;
	/* Context 0 is always the main lcore (it prints progress). */
	ctx[0].run = run;
	ctx[0].lcore = main_lc;
	ctx[0].is_main = true;
	run->n_lctx = 1;
	for (i = 0; i < run->n_devs; i++) {
		struct ep_dev *dev = &run->devs[i];

		for (j = 0; j < run->n_lctx; j++)
			if (ctx[j].lcore == dev->lcore)
				break;
		if (j == run->n_lctx) {
			ctx[j].run = run;
			ctx[j].lcore = dev->lcore;
			run->n_lctx++;
		}
		ctx[j].devs[ctx[j].n++] = dev;
	}
	run->lctx = ctx;
	return 0;
}

/* Buffers of the memcpy baseline: as many slots as --buf-mem holds. */
static int
setup_memcpy(struct ep_run *run)
{
	const struct ep_config *cfg = &run->cfg;
	uint32_t max_size = 0;
	size_t bytes;
	unsigned int i;

	for (i = 0; i < cfg->n_sizes; i++)
		max_size = RTE_MAX(max_size, cfg->sizes[i]);
	run->mc_slot_bytes = RTE_ALIGN_CEIL(max_size, 64);
	run->mc_slots = (uint32_t)RTE_MIN(cfg->buf_mem / run->mc_slot_bytes,
		(uint64_t)EP_DEFAULT_RING);
	if (run->mc_slots == 0) {
		fprintf(stderr, "memcpy: a %u-byte copy does not fit in --buf-mem "
			"(%" PRIu64 " bytes)\n", max_size, cfg->buf_mem);
		return -ENOSPC;
	}
	bytes = (size_t)run->mc_slots * run->mc_slot_bytes;
	run->mc_src = rte_zmalloc("ep_dma_mc_src", bytes, 4096);
	run->mc_dst = rte_zmalloc("ep_dma_mc_dst", bytes, 4096);
	if (run->mc_src == NULL || run->mc_dst == NULL) {
		fprintf(stderr, "memcpy: out of memory for 2 x %zu bytes\n",
			bytes);
		return -ENOMEM;
	}
	return 0;
}

int
ep_run_prepare(struct ep_run *run)
{
	const struct ep_config *cfg = &run->cfg;
	unsigned int i;
	int16_t id;
	int rc;

	ep_calibrate_tsc();
	run->devs = calloc(EP_MAX_DEVS, sizeof(*run->devs));
	if (run->devs == NULL)
		return -ENOMEM;
	run->n_devs = 0;
	if (cfg->n_devs == 0) {
		RTE_DMA_FOREACH_DEV(id) {
			char spec[16];

			snprintf(spec, sizeof(spec), "%d", id);
			rc = add_dev(run, spec);
			if (rc < 0)
				return rc;
		}
	}
	for (i = 0; i < cfg->n_devs; i++) {
		rc = add_dev(run, cfg->devs[i]);
		if (rc < 0)
			return rc;
	}
	if (run->n_devs == 0) {
		fprintf(stderr, "no dmadev to run on: add one with EAL --vdev "
			"(e.g. --vdev=dma_skeleton0) or bind a device\n");
		return -ENODEV;
	}
	for (i = 0; i < run->n_devs; i++) {
		rc = pick_dir(cfg, &run->devs[i]);
		if (rc < 0)
			return rc;
	}
	rc = map_ep(run);
	if (rc < 0)
		return rc;
	for (i = 0; i < run->n_devs; i++) {
		struct ep_dev *dev = &run->devs[i];

		rc = configure_dev(cfg, dev);
		if (rc < 0)
			return rc;
		dev->finished = false;
		rc = setup_buffers(run, dev);
		if (rc < 0)
			return rc;
	}
	if (cfg->memcpy) {
		rc = setup_memcpy(run);
		if (rc < 0)
			return rc;
	}
	return assign_lcores(run);
}
