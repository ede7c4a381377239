/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_GUEST_MEM_H
#define EP_GUEST_MEM_H

/**
 * @file
 * Guest RAM as the endpoint's DMA reaches it from outside the guest: a
 * table of guest-physical ranges, each backed by a shared file descriptor
 * (QEMU's memory-backend-memfd/file with share=on) mapped MAP_SHARED here.
 * A DMA address range resolves to a pointer only when it lies wholly inside
 * one range; anything else faults, as an IOMMU would.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most ranges one map may hold (QEMU's multi-process link sends 8 fds). */
#define EP_GUEST_MEM_MAX 8

/** One guest RAM range: [gpa, gpa + size) is bytes [offset, +size) of fd. */
struct ep_guest_mem_region {
	uint64_t gpa;
	uint64_t size;
	int64_t offset;
	int fd;
};

struct ep_guest_mem;

struct ep_guest_mem *ep_guest_mem_create(const char *name);
void ep_guest_mem_destroy(struct ep_guest_mem *gm);

/**
 * Replace the table with r[0..n-1] (n may be 0). A range whose backing
 * (file, offset, size) is already mapped keeps that mapping; the others are
 * mapped now. Before an old mapping is unmapped, barrier(ctx) is called
 * with the new table already in force: it must return only when no pointer
 * resolved from the old table is in use any more (barrier may be NULL when
 * nothing resolves concurrently). The fds stay the caller's.
 * @return 0, or a negative errno with the reason logged; the table is then
 * empty (every DMA faults) rather than stale.
 */
int ep_guest_mem_set(struct ep_guest_mem *gm, const struct ep_guest_mem_region *r,
		unsigned int n, void (*barrier)(void *ctx), void *ctx);

/**
 * Pointer to guest-physical [addr, addr + len), or NULL when the range is
 * empty, wraps, or is not wholly inside one range of the table.
 * Safe from any thread.
 */
void *ep_guest_mem_resolve(struct ep_guest_mem *gm, uint64_t addr, uint64_t len);

/** Number of ranges in the table, and how many maps were applied so far. */
unsigned int ep_guest_mem_count(struct ep_guest_mem *gm);
uint64_t ep_guest_mem_generation(struct ep_guest_mem *gm);

/** Range idx of the table (fd reads -1). @return 0 or -ENOENT. */
int ep_guest_mem_region_get(struct ep_guest_mem *gm, unsigned int idx,
		struct ep_guest_mem_region *out);

#ifdef __cplusplus
}
#endif

#endif /* EP_GUEST_MEM_H */
