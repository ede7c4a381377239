/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Guest RAM reached through shared file descriptors. The table is replaced
 * whole: QEMU resends the complete RAM map on every change of the guest's
 * memory topology (each BAR the firmware places is one), so mappings whose
 * backing did not change are kept rather than remapped each time.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <rte_common.h>
#include <rte_string_fns.h>

#include "ep_guest_mem.h"
#include "ep_pci_log.h"

struct gm_range {
	uint64_t gpa, size;
	uint8_t *host;		/* host address of gpa */
	void *map;		/* the mmap() holding it */
	size_t map_len;
	dev_t dev;		/* backing identity, to keep unchanged maps */
	ino_t ino;
	int64_t offset;
};

struct ep_guest_mem {
	char name[64];
	pthread_mutex_t lock;	/* guards r[] and n against resolve() */
	struct gm_range r[EP_GUEST_MEM_MAX];
	unsigned int n;
	uint64_t generation;
};

struct ep_guest_mem *
ep_guest_mem_create(const char *name)
{
	struct ep_guest_mem *gm = calloc(1, sizeof(*gm));

	if (gm == NULL)
		return NULL;
	strlcpy(gm->name, name != NULL ? name : "guest-mem", sizeof(gm->name));
	pthread_mutex_init(&gm->lock, NULL);
	return gm;
}

static void
unmap_range(struct gm_range *g)
{
	if (g->map != NULL)
		munmap(g->map, g->map_len);
	g->map = NULL;
}

void
ep_guest_mem_destroy(struct ep_guest_mem *gm)
{
	unsigned int i;

	if (gm == NULL)
		return;
	for (i = 0; i < gm->n; i++)
		unmap_range(&gm->r[i]);
	pthread_mutex_destroy(&gm->lock);
	free(gm);
}

/* Check one range against its descriptor; fills the backing identity. */
static int
check_range(const struct ep_guest_mem *gm, unsigned int i,
		const struct ep_guest_mem_region *r, struct gm_range *g)
{
	struct stat st;

	if (r->size == 0 || r->gpa + r->size < r->gpa) {
		EP_PCI_LOG(ERR, "%s: RAM range %u: gpa 0x%" PRIx64 " size 0x%" PRIx64
			" is empty or wraps", gm->name, i, r->gpa, r->size);
		return -EINVAL;
	}
	if (r->offset < 0 || (uint64_t)r->offset + r->size < (uint64_t)r->offset) {
		EP_PCI_LOG(ERR, "%s: RAM range %u: bad file offset %" PRId64, gm->name, i,
			r->offset);
		return -EINVAL;
	}
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		EP_PCI_LOG(ERR, "%s: RAM range %u: fd %d is not open", gm->name, i, r->fd);
		return -EBADF;
	}
	/* mmap() of anything else cannot be checked against its size. */
	if (!S_ISREG(st.st_mode)) {
		EP_PCI_LOG(ERR, "%s: RAM range %u: fd %d is not a memfd or regular file "
			"(guest RAM must be a shared memory backend)", gm->name, i, r->fd);
		return -EINVAL;
	}
	/* Pages beyond the end of the file would fault (SIGBUS) on access. */
	if ((uint64_t)r->offset + r->size > (uint64_t)st.st_size) {
		EP_PCI_LOG(ERR, "%s: RAM range %u: bytes [0x%" PRIx64 ", +0x%" PRIx64
			") lie beyond the end of fd %d (0x%" PRIx64 " bytes)", gm->name, i,
			(uint64_t)r->offset, r->size, r->fd, (uint64_t)st.st_size);
		return -EINVAL;
	}
	memset(g, 0, sizeof(*g));
	g->gpa = r->gpa;
	g->size = r->size;
	g->dev = st.st_dev;
	g->ino = st.st_ino;
	g->offset = r->offset;
	return 0;
}

static int
map_range(const struct ep_guest_mem *gm, unsigned int i, int fd, struct gm_range *g)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start = (uint64_t)g->offset & ~(page - 1);
	uint64_t lead = (uint64_t)g->offset - start;
	void *p;

	g->map_len = (size_t)RTE_ALIGN_CEIL(lead + g->size, page);
	p = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)start);
	if (p == MAP_FAILED) {
		int err = errno;

		EP_PCI_LOG(ERR, "%s: RAM range %u: mmap of fd %d at 0x%" PRIx64 " (0x%zx bytes)"
			" failed: %s", gm->name, i, fd, start, g->map_len, strerror(err));
		g->map = NULL;
		return -err;
	}
	g->map = p;
	g->host = (uint8_t *)p + lead;
	return 0;
}

/* Publish a table, wait until nobody uses the previous one, return it. */
static void
publish(struct ep_guest_mem *gm, const struct gm_range *nr, unsigned int n,
		struct gm_range *old, unsigned int *nold,
		void (*barrier)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&gm->lock);
	memcpy(old, gm->r, sizeof(gm->r));
	*nold = gm->n;
	memset(gm->r, 0, sizeof(gm->r));
	if (n != 0)
		memcpy(gm->r, nr, n * sizeof(*nr));
	gm->n = n;
	gm->generation++;
	pthread_mutex_unlock(&gm->lock);
	if (barrier != NULL)
		barrier(ctx);
}

int
ep_guest_mem_set(struct ep_guest_mem *gm, const struct ep_guest_mem_region *r,
		unsigned int n, void (*barrier)(void *ctx), void *ctx)
{
	struct gm_range nr[EP_GUEST_MEM_MAX], old[EP_GUEST_MEM_MAX];
	/* kept: old range j carries over; fresh: new range i mapped here */
	bool kept[EP_GUEST_MEM_MAX] = { false }, fresh[EP_GUEST_MEM_MAX] = { false };
	unsigned int i, j, nold;
	int rc = 0;

	if (gm == NULL || (n != 0 && r == NULL))
		return -EINVAL;
	if (n > EP_GUEST_MEM_MAX) {
		EP_PCI_LOG(ERR, "%s: %u RAM ranges, at most %u", gm->name, n,
			EP_GUEST_MEM_MAX);
		rc = -E2BIG;
		n = 0;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = check_range(gm, i, &r[i], &nr[i]);
	for (i = 0; i < n && rc == 0; i++) {
		for (j = 0; j < i; j++) {
			if (nr[i].gpa < nr[j].gpa + nr[j].size &&
					nr[j].gpa < nr[i].gpa + nr[i].size) {
				EP_PCI_LOG(ERR, "%s: RAM ranges %u and %u overlap at gpa 0x%"
					PRIx64, gm->name, j, i, RTE_MAX(nr[i].gpa, nr[j].gpa));
				rc = -EINVAL;
				break;
			}
		}
	}
	/* Reuse a current mapping of the same backing; map the rest. */
	pthread_mutex_lock(&gm->lock);
	for (i = 0; i < n && rc == 0; i++) {
		for (j = 0; j < gm->n; j++) {
			const struct gm_range *g = &gm->r[j];

			if (!kept[j] && g->dev == nr[i].dev && g->ino == nr[i].ino &&
					g->offset == nr[i].offset && g->size == nr[i].size) {
				nr[i].map = g->map;
				nr[i].map_len = g->map_len;
				nr[i].host = g->host;
				kept[j] = true;
				break;
			}
		}
	}
	pthread_mutex_unlock(&gm->lock);
	for (i = 0; i < n && rc == 0; i++) {
		if (nr[i].map == NULL) {
			rc = map_range(gm, i, r[i].fd, &nr[i]);
			fresh[i] = rc == 0;
		}
	}
	if (rc != 0) {
		/* Undo what was mapped for this table; publish an empty one. */
		for (i = 0; i < n; i++)
			if (fresh[i])
				unmap_range(&nr[i]);
		memset(kept, 0, sizeof(kept));
		n = 0;
	}
	publish(gm, nr, n, old, &nold, barrier, ctx);
	for (j = 0; j < nold; j++)
		if (!kept[j])
			unmap_range(&old[j]);
	for (i = 0; i < n; i++)
		EP_PCI_LOG(DEBUG, "%s: RAM gpa [0x%" PRIx64 ", 0x%" PRIx64 ") at %p", gm->name,
			nr[i].gpa, nr[i].gpa + nr[i].size, (void *)nr[i].host);
	return rc;
}

void *
ep_guest_mem_resolve(struct ep_guest_mem *gm, uint64_t addr, uint64_t len)
{
	void *p = NULL;
	unsigned int i;

	if (gm == NULL || len == 0 || addr + len < addr)
		return NULL;
	pthread_mutex_lock(&gm->lock);
	for (i = 0; i < gm->n; i++) {
		const struct gm_range *g = &gm->r[i];

		if (addr >= g->gpa && len <= g->size && addr - g->gpa <= g->size - len) {
			p = g->host + (addr - g->gpa);
			break;
		}
	}
	pthread_mutex_unlock(&gm->lock);
	return p;
}

unsigned int
ep_guest_mem_count(struct ep_guest_mem *gm)
{
	unsigned int n;

	pthread_mutex_lock(&gm->lock);
	n = gm->n;
	pthread_mutex_unlock(&gm->lock);
	return n;
}

uint64_t
ep_guest_mem_generation(struct ep_guest_mem *gm)
{
	uint64_t g;

	pthread_mutex_lock(&gm->lock);
	g = gm->generation;
	pthread_mutex_unlock(&gm->lock);
	return g;
}

int
ep_guest_mem_region_get(struct ep_guest_mem *gm, unsigned int idx,
		struct ep_guest_mem_region *out)
{
	int rc = -ENOENT;

	pthread_mutex_lock(&gm->lock);
	if (idx < gm->n) {
		out->gpa = gm->r[idx].gpa;
		out->size = gm->r[idx].size;
		out->offset = gm->r[idx].offset;
		out->fd = -1;
		rc = 0;
	}
	pthread_mutex_unlock(&gm->lock);
	return rc;
}
