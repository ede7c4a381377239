/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Which parts of a BAR mapping can this process read? Used by the PCI probe
 * to choose between MMIO and vfio region access for the metadata.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "dw_edma_internal.h"

/*
 * Is all of [addr, addr + len) readable in this process? vfio-pci leaves the
 * MSI-X table page of a BAR as a PROT_NONE reservation ("---p" in
 * /proc/self/maps) when the kernel does not let it be mapped, and a read
 * there would fault (hardware reference B.6).
 * Returns 1 readable, 0 not (a page lacks read permission or is not
 * mapped), or -errno when /proc/self/maps cannot be read.
 */
int
dw_edma_range_readable(const void *addr, uint64_t len)
{
	long psz = sysconf(_SC_PAGESIZE);
	uintptr_t cur, end;
	bool line_start = true;
	char line[256];
	int rc = 0;
	FILE *f;

	if (psz <= 0)
		psz = 4096;
	cur = (uintptr_t)addr & ~((uintptr_t)psz - 1);
	if (len > UINTPTR_MAX - (uintptr_t)addr)
		return 0;
	end = RTE_ALIGN_CEIL((uintptr_t)addr + (len != 0 ? len : 1), (uintptr_t)psz);
	f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return -errno;
	/* lines are sorted by address: walk them while they cover [cur, end) */
	while (fgets(line, sizeof(line), f) != NULL) {
		bool whole = strchr(line, '\n') != NULL;
		uintptr_t lo, hi;
		char perms[5];

		/* the tail of an over-long line is not a new mapping */
		if (!line_start) {
			line_start = whole;
			continue;
		}
		line_start = whole;
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &lo, &hi, perms) != 3)
			continue;
		if (hi <= cur)
			continue;
		if (lo > cur || perms[0] != 'r')
			break;   /* a gap or an unreadable page */
		cur = hi;
		if (cur >= end) {
			rc = 1;
			break;
		}
	}
	fclose(f);
	return rc;
}
