/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Data pattern: every byte of a job's source is a function of the job's
 * sequence number and offset, so a destination can be checked without
 * keeping a copy, and a misplaced job is caught as well as a corrupted one.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "ep_dma.h"
/* ---- data pattern ------------------------------------------------------ */

/* 8 pattern bytes for job seq at job offset 8*idx: unique per job. */
static inline uint64_t
pattern_word(uint64_t seq, uint64_t idx)
{
	uint64_t x = ((seq + 1) << 32) ^ idx;

	x *= 0x9e3779b97f4a7c15ull;
	return x ^ (x >> 29);
}

static inline uint8_t
pattern_byte(uint64_t seq, uint64_t off)
{
	return (uint8_t)(pattern_word(seq, off >> 3) >> (8 * (off & 7)));
}

static void
fill_range(uint8_t *p, uint64_t off, uint32_t len, uint64_t seq)
{
	while (len > 0 && (off & 7) != 0) {
		*p++ = pattern_byte(seq, off++);
		len--;
	}
	while (len >= 8) {
		uint64_t w = rte_cpu_to_le_64(pattern_word(seq, off >> 3));

		memcpy(p, &w, 8);
		p += 8;
		off += 8;
		len -= 8;
	}
	while (len > 0) {
		*p++ = pattern_byte(seq, off++);
		len--;
	}
}

/* @return index of the first wrong byte in [0, len), or -1. */
static int64_t
check_range(const uint8_t *p, uint64_t off, uint32_t len, uint64_t seq)
{
	uint32_t i = 0;

	while (i < len && ((off + i) & 7) != 0) {
		if (p[i] != pattern_byte(seq, off + i))
			return i;
		i++;
	}
	while (len - i >= 8) {
		uint64_t w = rte_cpu_to_le_64(pattern_word(seq, (off + i) >> 3));

		if (memcmp(p + i, &w, 8) != 0)
			break;
		i += 8;
	}
	for (; i < len; i++)
		if (p[i] != pattern_byte(seq, off + i))
			return i;
	return -1;
}

/* Segment i of a job: size/sg bytes, the last one takes the remainder. */
uint32_t
ep_seg_len(const struct ep_dev *dev, unsigned int i)
{
	uint32_t base = dev->size / dev->sg;

	return i + 1 == dev->sg ? dev->size - base * (dev->sg - 1) : base;
}

void
ep_fill_job(const struct ep_dev *dev, uint8_t *slot, uint64_t seq)
{
	uint64_t off = 0;
	unsigned int i;

	for (i = 0; i < dev->sg; i++) {
		fill_range(slot + (size_t)i * dev->seg_stride, off,
			ep_seg_len(dev, i), seq);
		off += ep_seg_len(dev, i);
	}
}

/* @return 0 when the job's destination is right, -1 after reporting. */
int
ep_verify_job(struct ep_dev *dev, uint64_t seq)
{
	const uint8_t *slot = dev->dst_va +
		(size_t)(seq % dev->nslots) * dev->slot_bytes;
	uint64_t off = 0;
	unsigned int i;

	for (i = 0; i < dev->sg; i++) {
		const uint8_t *p = slot + (size_t)i * dev->seg_stride;
		int64_t bad = check_range(p, off, ep_seg_len(dev, i), seq);

		if (bad >= 0) {
			dev->mismatches++;
			if (dev->reported++ < EP_MAX_REPORTS)
				EP_LOG(ERR, "device %s: verification failed: job %"
					PRIu64 " (size %u) offset %" PRIu64
					": expected 0x%02x, read 0x%02x\n",
					dev->d.name, seq, dev->size,
					off + (uint64_t)bad,
					pattern_byte(seq, off + (uint64_t)bad),
					p[bad]);
			return -1;
		}
		off += ep_seg_len(dev, i);
	}
	return 0;
}

