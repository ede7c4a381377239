/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Test-only LD_PRELOAD shim: vfio-pci as a process sees it on a kernel older
 * than Linux 4.16, emulated on a current kernel, so that the PCI probe path
 * for an MSI-X table page that vfio-pci withholds (hardware reference B.6,
 * P.6) can be exercised in the test guest. Never for production use.
 *
 * Two differences matter to DPDK, and both are reproduced:
 *
 *  1. VFIO_DEVICE_GET_REGION_INFO: since 4.16 the region of the BAR holding
 *     the MSI-X table carries VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, and DPDK
 *     (pci_vfio_msix_is_mappable()) then maps the whole BAR. The shim takes
 *     that capability out of the reply's capability chain (and clears
 *     VFIO_REGION_INFO_FLAG_CAPS when nothing is left), so DPDK maps around
 *     the table as it does on such kernels.
 *  2. mmap() of a vfio device: before 4.16, vfio_pci_mmap() refused with
 *     EINVAL any mapping of that BAR that overlaps the table (the request
 *     rounded up to whole pages); since 4.16 it allows it. The shim refuses
 *     the same requests, so a layout an old kernel cannot map fails here too.
 *
 * Kernels 4.7 to 4.15 also described the mappable areas with
 * VFIO_REGION_INFO_CAP_SPARSE_MMAP; DPDK 22.11 does not read it, so it is
 * not added. Region reads and writes (pread/pwrite on the device fd) pass
 * through untouched: on every kernel they give access to the whole BAR but
 * the table's own bytes.
 *
 * Each intervention is reported once per region on stderr, starting with
 * "vfio-pre416 shim:".
 */

/* Both mmap and mmap64 are defined here: no header may rename one to the other. */
#undef _FILE_OFFSET_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>

#include <linux/vfio.h>

#define PCI_CAP_PTR		0x34
#define PCI_CAP_ID_MSIX		0x11
#define MSIX_FLAGS		2
#define MSIX_TABLE		4
#define MSIX_QSIZE_MASK		0x7ffu
#define MSIX_BIR_MASK		0x7u
#define NUM_BARS		6

typedef int (*ioctl_fn)(int, unsigned long, ...);
typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);

static ioctl_fn real_ioctl;
static mmap_fn real_mmap, real_mmap64;
static uint32_t stripped_regions;	/* bit per region index already reported */

static void
resolve(void)
{
	if (real_ioctl == NULL)
		real_ioctl = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
	if (real_mmap == NULL)
		real_mmap = (mmap_fn)dlsym(RTLD_NEXT, "mmap");
	if (real_mmap64 == NULL)
		real_mmap64 = (mmap_fn)dlsym(RTLD_NEXT, "mmap64");
}

/* Unlink the MSIX_MAPPABLE capability from a region info reply. */
static void
strip_msix_mappable(struct vfio_region_info *info)
{
	struct vfio_info_cap_header *prev = NULL;
	uint32_t off = info->cap_offset;
	unsigned int hops = 0;

	if ((info->flags & VFIO_REGION_INFO_FLAG_CAPS) == 0 || off == 0)
		return;	/* no chain, or the buffer was too small for it */
	while (off != 0 && off >= sizeof(*info) &&
			off + sizeof(struct vfio_info_cap_header) <= info->argsz &&
			hops++ < 64) {
		struct vfio_info_cap_header *h = (void *)((char *)info + off);

		if (h->id != VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) {
			prev = h;
			off = h->next;
			continue;
		}
		if (prev == NULL)
			info->cap_offset = h->next;
		else
			prev->next = h->next;
		if (info->cap_offset == 0)
			info->flags &= ~VFIO_REGION_INFO_FLAG_CAPS;
		if (info->index < 32 && !(stripped_regions & (1u << info->index))) {
			stripped_regions |= 1u << info->index;
			fprintf(stderr, "vfio-pre416 shim: MSIX_MAPPABLE capability of region "
				"%u hidden (vfio-pci before Linux 4.16)\n", info->index);
		}
		return;
	}
}

int
ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int rc;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	resolve();
	if (real_ioctl == NULL) {
		errno = ENOSYS;
		return -1;
	}
	rc = real_ioctl(fd, req, arg);
	if (rc == 0 && req == VFIO_DEVICE_GET_REGION_INFO && arg != NULL)
		strip_msix_mappable(arg);
	return rc;
}

/* Is fd a vfio device file (anon inode "[vfio-device]")? */
static bool
is_vfio_device(int fd)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	return strcmp(link, "anon_inode:[vfio-device]") == 0;
}

static int
region_info(int fd, unsigned int index, struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return real_ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info);
}

/*
 * The MSI-X table of the device: BAR index, offset and length in bytes, as
 * vfio-pci computes them (capability table register and table size). 0 if
 * found, -1 if the device has none (or config space cannot be read).
 */
static int
msix_table(int fd, unsigned int *bir, uint64_t *off, uint64_t *len)
{
	struct vfio_region_info cfg;
	uint8_t pos;
	uint16_t flags;
	uint32_t table;
	unsigned int hops = 0;

	if (region_info(fd, VFIO_PCI_CONFIG_REGION_INDEX, &cfg) != 0)
		return -1;
	if (pread(fd, &pos, 1, (off_t)(cfg.offset + PCI_CAP_PTR)) != 1)
		return -1;
	while (pos >= 0x40 && hops++ < 48) {
		uint8_t id_next[2];

		pos &= ~3u;
		if (pread(fd, id_next, 2, (off_t)(cfg.offset + pos)) != 2)
			return -1;
		if (id_next[0] == PCI_CAP_ID_MSIX) {
			if (pread(fd, &flags, 2, (off_t)(cfg.offset + pos + MSIX_FLAGS)) != 2 ||
					pread(fd, &table, 4, (off_t)(cfg.offset + pos +
					MSIX_TABLE)) != 4)
				return -1;
			*bir = table & MSIX_BIR_MASK;
			*off = table & ~MSIX_BIR_MASK;
			*len = ((uint64_t)(flags & MSIX_QSIZE_MASK) + 1) * 16;
			return 0;
		}
		pos = id_next[1];
	}
	return -1;
}

/* Would vfio_pci_mmap() of a kernel before 4.16 refuse this request? */
static bool
pre416_refuses(int fd, size_t len, off_t off)
{
	struct vfio_region_info bar;
	uint64_t toff, tlen, start, plen;
	long psz = sysconf(_SC_PAGESIZE);
	unsigned int bir, i;

	if (fd < 0 || off < 0 || !is_vfio_device(fd) || msix_table(fd, &bir, &toff, &tlen) != 0)
		return false;
	for (i = 0; i < NUM_BARS; i++) {
		if (region_info(fd, i, &bar) != 0 || bar.size == 0)
			continue;
		if ((uint64_t)off < bar.offset || (uint64_t)off - bar.offset >= bar.size)
			continue;
		if (i != bir)
			return false;
		/* the kernel sees the whole pages of the request */
		start = (uint64_t)off - bar.offset;
		plen = ((uint64_t)len + (uint64_t)psz - 1) & ~((uint64_t)psz - 1);
		if (start >= toff + tlen || start + plen <= toff)
			return false;
		fprintf(stderr, "vfio-pre416 shim: mmap of BAR%u [0x%llx, +0x%llx) refused: "
			"it overlaps the MSI-X table [0x%llx, +0x%llx) (vfio-pci before Linux "
			"4.16)\n", i, (unsigned long long)start, (unsigned long long)plen,
			(unsigned long long)toff, (unsigned long long)tlen);
		return true;
	}
	return false;
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	resolve();
	if (real_mmap == NULL) {
		errno = ENOSYS;
		return MAP_FAILED;
	}
	if ((flags & MAP_ANONYMOUS) == 0 && pre416_refuses(fd, len, off)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return real_mmap(addr, len, prot, flags, fd, off);
}

void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	resolve();
	if (real_mmap64 == NULL) {
		errno = ENOSYS;
		return MAP_FAILED;
	}
	if ((flags & MAP_ANONYMOUS) == 0 && pre416_refuses(fd, len, off)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return real_mmap64(addr, len, prot, flags, fd, off);
}
