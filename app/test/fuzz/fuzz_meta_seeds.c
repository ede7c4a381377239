/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Seed corpus of fuzz_meta: the endpoint model's valid images for the three
 * layouts and several BAR placements, the hostile variants of
 * test_dw_edma_meta (one rule broken each), and blobs that change between
 * the read before HOST_REQ and the re-read after READY.
 * fuzz_replay_meta --write-seeds app/test/fuzz/corpus/meta
 */

#include <string.h>

#include <rte_common.h>

#include "dw_edma_hw.h"
#include "ep_model.h"
#include "fuzz_common.h"

struct seed_hdr {
	uint8_t flags;
	uint8_t meta_bar;
	uint16_t a_len;
	uint32_t fill;
	uint32_t bar_len[6];
} __attribute__((packed));

struct img {
	struct seed_hdr h;
	uint8_t a[4096];
	uint32_t a_len;
};

static const char *const configs[] = {
	"layout=edma-unroll,wr=2,rd=2",
	"layout=hdma-compat,wr=1,rd=1",
	"layout=hdma-native,wr=8,rd=8",
	"layout=hdma-native,wr=1,rd=0,desc_size=96",
	"layout=edma-unroll,wr=1,rd=0,meta_bar=1,reg_bar=1,reg_off=0x4000",
	"layout=hdma-native,wr=2,rd=3,desc_bar=2,reg_off=0x10000",
	"layout=edma-unroll,wr=2,rd=2,msix=1,desc_size=65536",
};

static unsigned int seq;

static void
put32(uint8_t *b, uint32_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static uint32_t
get32(const uint8_t *b, uint32_t off)
{
	uint32_t v;

	memcpy(&v, b + off, 4);
	return v;
}

static int
write_seed(const char *dir, const char *what, const struct img *im, const uint8_t *b,
		uint32_t b_len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%03u-%s", dir, seq++, what);
	f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	fwrite(&im->h, sizeof(im->h), 1, f);
	fwrite(im->a, 1, im->a_len, f);
	if (b != NULL)
		fwrite(b, 1, b_len, f);
	fclose(f);
	return 0;
}

static int
learn(const char *cfg, struct img *im)
{
	struct ep_model *m = ep_model_create("fuzz_seed", cfg);
	struct ep_model_info mi;
	struct ep_model_bar b;
	unsigned int i, reg_bar;
	uint64_t reg_off;

	if (m == NULL)
		return -1;
	memset(im, 0, sizeof(*im));
	ep_model_info_get(m, &mi);
	for (i = 0; i < 6; i++)
		im->h.bar_len[i] = ep_model_bar_get(m, i, &b) == 0 ? (uint32_t)b.len : 0;
	ep_model_bar_get(m, mi.metadata_bar, &b);
	im->a_len = RTE_MIN(mi.meta_len, (uint32_t)sizeof(im->a));
	memcpy(im->a, b.addr, im->a_len);
	/* as the endpoint left it before the host came: READY set, HOST_REQ clear */
	put32(im->a, DW_META_OFF_CTRL, (get32(im->a, DW_META_OFF_CTRL) &
		~DW_META_CTRL_HOST_REQ) | DW_META_CTRL_READY);
	im->h.meta_bar = mi.metadata_bar;
	im->h.a_len = im->a_len;
	reg_bar = DW_META_CTRL_REG_BAR(get32(im->a, DW_META_OFF_CTRL));
	reg_off = get32(im->a, DW_META_OFF_REG_LO);
	/* the eDMA controller word (channel counts) fills the other BARs */
	if (ep_model_bar_get(m, reg_bar, &b) == 0 && reg_off + DW_V0_CTRL + 4 <= b.len)
		im->h.fill = get32(b.addr, reg_off + DW_V0_CTRL);
	ep_model_destroy(m);
	return 0;
}

#define ENTRY(i)	(DW_META_HDR_LEN + (i) * DW_META_CH_ENTRY_MIN)

static void
set_field(uint8_t *b, uint32_t off, uint32_t mask, unsigned int shift, uint32_t v)
{
	put32(b, off, (get32(b, off) & ~(mask << shift)) | ((v & mask) << shift));
}

/* One blob field set to a value: put32() is mask 0xffffffff, shift 0. */
struct field_edit {
	const char *name;
	uint32_t off, mask;
	unsigned int shift;
	uint32_t val;
};

/* Changed between the driver's two reads (before and after READY). */
static const struct field_edit second_read[] = {
	{ "b-magic-gone", DW_META_OFF_MAGIC, UINT32_MAX, 0, 0 },
	{ "b-es-big", DW_META_OFF_CTRL, 0xff, 19, 0xfc },
	{ "b-desc-outside", ENTRY(0) + DW_CH_OFF_DESC_LO, UINT32_MAX, 0, 0xfffff000 },
	{ "b-desc-huge", ENTRY(0) + DW_CH_OFF_DESC_SIZE, UINT32_MAX, 0, 0xffffffff },
	{ "b-reg-small", DW_META_OFF_REG_SIZE, UINT32_MAX, 0, 0x100 },
};

/* Rules broken in the first read. */
static const struct field_edit first_read[] = {
	{ "a-rev", DW_META_OFF_HDR, 0xff, 0, 2 },
	{ "a-len-bar", DW_META_OFF_HDR, 0xffff, 16, 0xffff },
	{ "a-legacy", DW_META_OFF_LAYOUT, 0xff, 8, 0 },
	{ "a-reg-bar", DW_META_OFF_CTRL, 0x7, 0, 6 },
	{ "a-no-ch", DW_META_OFF_CTRL, 0xffff, 3, 0 },
	{ "a-es-odd", DW_META_OFF_CTRL, 0xff, 19, 0x2e },
	{ "a-desc-bar", ENTRY(0), 0x7, 8, 5 },
	{ "a-4g", ENTRY(0) + DW_CH_OFF_DADDR_LO, UINT32_MAX, 0, 0xfffff800 },
};

int
fuzz_write_seeds(const char *dir)
{
	unsigned int c, i;

	for (c = 0; c < RTE_DIM(configs); c++) {
		struct img im, v;
		uint8_t b[4096];

		if (learn(configs[c], &im) != 0) {
			fprintf(stderr, "model refused '%s'\n", configs[c]);
			return -1;
		}
		write_seed(dir, "valid", &im, NULL, 0);
		v = im;
		v.h.flags = 1 | 2;	/* READY never comes, 1 ms timeout */
		write_seed(dir, "no-ready", &v, NULL, 0);
		v = im;
		v.h.flags = 4;
		write_seed(dir, "valid-llp", &v, NULL, 0);
		for (i = 0; i < RTE_DIM(second_read); i++) {
			const struct field_edit *e = &second_read[i];

			memcpy(b, im.a, im.a_len);
			set_field(b, e->off, e->mask, e->shift, e->val);
			write_seed(dir, e->name, &im, b, im.a_len);
		}
		memcpy(b, im.a, im.a_len);
		set_field(b, DW_META_OFF_CTRL, 0xff, 3, DW_META_CTRL_WR(get32(b, 8)) + 1);
		write_seed(dir, "b-more-wr", &im, b, im.a_len);
		memcpy(b, im.a, im.a_len);
		set_field(b, DW_META_OFF_HDR, 0xffff, 16, 0x1c);
		write_seed(dir, "b-short", &im, b, 0x20);
		for (i = 0; i < RTE_DIM(first_read); i++) {
			const struct field_edit *e = &first_read[i];

			v = im;
			set_field(v.a, e->off, e->mask, e->shift, e->val);
			write_seed(dir, e->name, &v, NULL, 0);
		}
		v = im;
		put32(v.a, ENTRY(0), get32(v.a, ENTRY(0)) | DW_CH_CTRL_AUX_VALID);
		write_seed(dir, "a-aux", &v, NULL, 0);
		v = im;
		v.h.bar_len[im.h.meta_bar] = 0x18;
		write_seed(dir, "a-bar-short", &v, NULL, 0);
	}
	printf("%u seeds written to %s\n", seq, dir);
	return 0;
}
