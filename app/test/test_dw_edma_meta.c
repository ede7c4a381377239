/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Hostile metadata: each validation rule of hardware reference A.6 broken on
 * its own in an otherwise valid blob, fed to the driver through the model's
 * metadata_file key. The probe must fail cleanly, touch no DMA register, leave
 * HOST_REQ clear, and cause no ownership violation. Also the page-readability
 * check behind the vfio MSI-X hole fallback (hardware reference B.6).
 *
 * Usage: test_dw_edma_meta <EAL args> [-- case-filter]
 */

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_dw_edma_common.h"
#include "dw_edma_internal.h"

#define MODEL_CFG "layout=edma-unroll,wr=2,rd=2,ready_poll_ms=1"
#define BLOB_MAX 4096

static uint8_t good_blob[BLOB_MAX];
static uint32_t good_len;
static uint64_t bar_len[EP_MODEL_NUM_BARS];

static void
set_field(uint8_t *b, uint32_t off, uint32_t mask, unsigned int shift, uint32_t v)
{
	put32(b, off, (get32(b, off) & ~(mask << shift)) | ((v & mask) << shift));
}

/* Learn the valid blob and BAR sizes from a model made for that purpose. */
static int
learn_good_blob(void)
{
	struct ep_model *m = ep_model_create("meta_reference", MODEL_CFG);
	struct ep_model_info mi;
	struct ep_model_bar b;
	unsigned int i;

	if (m == NULL)
		return -1;
	ep_model_info_get(m, &mi);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++)
		bar_len[i] = ep_model_bar_get(m, i, &b) == 0 ? b.len : 0;
	ep_model_bar_get(m, mi.metadata_bar, &b);
	good_len = get32(b.addr, 4) >> 16;
	if (good_len > BLOB_MAX || good_len < 0x1c) {
		ep_model_destroy(m);
		return -1;
	}
	memcpy(good_blob, b.addr, good_len);
	put32(good_blob, 8, get32(good_blob, 8) & ~(3u << 30));
	ep_model_destroy(m);
	return 0;
}

typedef void (*mutate_t)(uint8_t *b);

/* header rules 1-3: refused before HOST_REQ; rule 4: after READY */
static int
run_blob(const char *what, mutate_t mut, bool expect_ok, bool after_ready)
{
	uint8_t blob[BLOB_MAX], *snap[EP_MODEL_NUM_BARS] = { NULL };
	struct ep_model_stats st;
	struct ep_model_info mi;
	struct ep_model *m;
	char path[128], cfg[256], name[32];
	unsigned int i;
	uint32_t ctrl;
	FILE *f;
	int rc, fail = 0;

	memcpy(blob, good_blob, good_len);
	if (mut != NULL)
		mut(blob);
	snprintf(path, sizeof(path), "/tmp/dw_edma_meta_%d_%u.bin", (int)getpid(), t_sim_seq);
	f = fopen(path, "wb");
	EP_TEST_ASSERT(f != NULL, "temp file %s", path);
	EP_TEST_ASSERT_EQ(fwrite(blob, 1, good_len, f), good_len, "write blob");
	fclose(f);
	snprintf(name, sizeof(name), "dma_dw_edma_sim%u", t_sim_seq++);
	snprintf(cfg, sizeof(cfg), "%s,metadata_file=%s", MODEL_CFG, path);
	/* the application makes the model; the vdev attaches to it */
	m = ep_model_create(name, cfg);
	unlink(path);
	EP_TEST_ASSERT(m != NULL, "model for %s", what);
	ep_model_info_get(m, &mi);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++) {
		struct ep_model_bar b;

		if (i == mi.metadata_bar || ep_model_bar_get(m, i, &b) != 0 || b.len == 0)
			continue;
		snap[i] = malloc(b.len);
		memcpy(snap[i], b.addr, b.len);
	}
	rc = rte_vdev_init(name, "ready_timeout_ms=1000");
	if (expect_ok) {
		struct rte_pmd_dw_edma_chan_info ci;
		char dn[64];

		snprintf(dn, sizeof(dn), "%s-rd1", name);
		if (rc != 0) {
			printf("  valid blob refused (%d)\n", rc);
			fail = 1;
		} else if (ep_model_vdev_model(name) != m) {
			printf("  the vdev does not drive the application's model\n");
			fail = 1;
		} else if (rte_pmd_dw_edma_chan_info_get(rte_dma_get_dev_id_by_name(dn),
				&ci) != 0 || ci.hw_ch != 1 || ci.dir != RTE_PMD_DW_EDMA_DIR_RD) {
			printf("  %s missing or wrong\n", dn);
			fail = 1;
		}
		rte_vdev_uninit(name);
		goto out;
	}
	if (rc == 0) {
		printf("  %s: probe accepted a bad blob\n", what);
		rte_vdev_uninit(name);
		fail = 1;
		goto out;
	}
	for (i = 0; i < EP_MODEL_NUM_BARS; i++) {
		struct ep_model_bar b;

		if (snap[i] == NULL)
			continue;
		ep_model_bar_get(m, i, &b);
		if (memcmp(snap[i], b.addr, b.len) != 0) {
			printf("  %s: BAR%u changed by a refused probe\n", what, i);
			fail = 1;
		}
	}
	{
		struct ep_model_bar b;

		ep_model_bar_get(m, mi.metadata_bar, &b);
		ctrl = get32(b.addr, 8);
	}
	if (ctrl & (1u << 30)) {
		printf("  %s: HOST_REQ left set (CTRL 0x%08x)\n", what, ctrl);
		fail = 1;
	}
	ep_model_stats_get(m, &st);
	if (!after_ready && st.host_writes != 0) {
		printf("  %s: %" PRIu64 " host writes before the blob was accepted\n", what,
			st.host_writes);
		fail = 1;
	}
out:
	if (t_violations(m) != 0)
		fail = 1;
	ep_model_destroy(m);
	for (i = 0; i < EP_MODEL_NUM_BARS; i++)
		free(snap[i]);
	EP_TEST_ASSERT_EQ(fail, 0, "%s", what);
	return 0;
}

#define ENTRY(i)	(0x1c + (i) * 0x2c)

static void m_magic(uint8_t *b) { put32(b, 0, 0x4d444551); }
static void m_rev(uint8_t *b) { set_field(b, 4, 0xff, 0, 2); }
static void m_len_short(uint8_t *b) { set_field(b, 4, 0xffff, 16, 0x18); }
static void m_len_bar(uint8_t *b) { set_field(b, 4, 0xffff, 16, 0xffff); }
static void m_layout_id(uint8_t *b) { set_field(b, 0x14, 0xff, 0, 2); }
static void m_layout_data(uint8_t *b) { set_field(b, 0x14, 0xff, 8, 3); }
static void m_legacy(uint8_t *b) { set_field(b, 0x14, 0xff, 8, 0); }
static void m_reg_bar(uint8_t *b) { set_field(b, 8, 0x7, 0, 6); }
static void m_no_ch(uint8_t *b) { set_field(b, 8, 0xffff, 3, 0); }
static void m_wr9(uint8_t *b) { set_field(b, 8, 0xff, 3, 9); }
static void m_rd9(uint8_t *b) { set_field(b, 8, 0xff, 11, 9); }
static void m_es_small(uint8_t *b) { set_field(b, 8, 0xff, 19, 0x28); }
static void m_es_odd(uint8_t *b) { set_field(b, 8, 0xff, 19, 0x2e); }
static void m_es_big(uint8_t *b) { set_field(b, 8, 0xff, 19, 0xfc); }
static void m_tables(uint8_t *b) { set_field(b, 4, 0xffff, 16, 0x1c + 3 * 0x2c); }
static void m_reg_outside(uint8_t *b) { put32(b, 0x0c, (uint32_t)bar_len[2] - 0x100); }
static void m_reg_hi(uint8_t *b) { put32(b, 0x10, 1); }
static void m_reg_wrap(uint8_t *b) { put32(b, 0x10, 0xffffffff); put32(b, 0x0c, 0xfffffff0); }
static void m_reg_size0(uint8_t *b) { put32(b, 0x18, 0); }
static void m_reg_small(uint8_t *b) { put32(b, 0x18, 0x200); }
static void m_reg_huge(uint8_t *b) { put32(b, 0x18, 0xffffffff); }
static void m_reg_absent(uint8_t *b) { set_field(b, 8, 0x7, 0, 5); }
static void m_desc_outside(uint8_t *b) { put32(b, ENTRY(1) + 4, (uint32_t)bar_len[4]); }
static void m_desc_size0(uint8_t *b) { put32(b, ENTRY(2) + 0x0c, 0); }
/* 3 elements: a data element, its write-back and the link leave no free slot */
static void m_desc_3el(uint8_t *b) { put32(b, ENTRY(2) + 0x0c, 72); }
static void m_desc_4el(uint8_t *b) { put32(b, ENTRY(2) + 0x0c, 96); }
/* elements are written with 64-bit stores */
static void m_desc_off4(uint8_t *b) { put32(b, ENTRY(1) + 4, get32(b, ENTRY(1) + 4) + 4); }
static void m_desc_big(uint8_t *b) { put32(b, ENTRY(0) + 0x0c, 0xffffffff); }
static void m_desc_hi(uint8_t *b) { put32(b, ENTRY(3) + 8, 0x80000000); }
static void m_desc_bar(uint8_t *b) { set_field(b, ENTRY(0), 0x7, 8, 7); }
static void m_desc_absent(uint8_t *b) { set_field(b, ENTRY(0), 0x7, 8, 5); }
static void m_hw_ch(uint8_t *b) { set_field(b, ENTRY(1), 0xff, 0, 0); }
static void m_hw_ch_rd(uint8_t *b) { set_field(b, ENTRY(2), 0xff, 0, 1); }
static void m_aux(uint8_t *b) { put32(b, ENTRY(0), get32(b, ENTRY(0)) | (1u << 16)); }
static void m_partial(uint8_t *b) { set_field(b, 8, 0xff, 11, 1); }
/* windows over what the host must not write (issue: aliasing windows) */
static void m_over_blob(uint8_t *b)
{
	set_field(b, ENTRY(1), 0x7, 8, 0);
	put32(b, ENTRY(1) + 4, 0);
}
static void m_over_regs(uint8_t *b)
{
	set_field(b, ENTRY(2), 0x7, 8, get32(b, 8) & 7);
	put32(b, ENTRY(2) + 4, get32(b, 0x0c));
}
static void m_over_other(uint8_t *b) { put32(b, ENTRY(3) + 4, get32(b, ENTRY(0) + 4) + 0x100); }
static void m_aux_over(uint8_t *b)
{
	put32(b, ENTRY(2), get32(b, ENTRY(2)) | (1u << 16) | (4u << 12));
	put32(b, ENTRY(2) + 0x18, get32(b, ENTRY(1) + 4));
	put32(b, ENTRY(2) + 0x20, 0x100);
}
static void m_4g(uint8_t *b) { put32(b, ENTRY(0) + 0x10, 0xfffff800); }
/* LLP 0 is how an engine reset shows: a ring at low word 0 is refused */
static void m_desc_lo0(uint8_t *b) { put32(b, ENTRY(1) + 0x10, 0); put32(b, ENTRY(1) + 0x14, 1); }

static int c_good(void) { return run_blob("valid blob from a file", NULL, true, true); }
static int c_magic(void) { return run_blob("no magic", m_magic, false, false); }
static int c_rev(void) { return run_blob("REVISION 2", m_rev, false, false); }
static int c_len_short(void) { return run_blob("LENGTH < 0x1c", m_len_short, false, false); }
static int c_len_bar(void)
{
	if (bar_len[0] > 0xffff)
		return EP_TEST_SKIPPED;
	return run_blob("LENGTH beyond the BAR", m_len_bar, false, false);
}
static int c_layout_id(void) { return run_blob("LAYOUT_ID 2", m_layout_id, false, false); }
static int c_layout_data(void) { return run_blob("LAYOUT_DATA 3", m_layout_data, false, false); }
static int c_legacy(void) { return run_blob("legacy map format", m_legacy, false, false); }
static int c_reg_bar(void) { return run_blob("REG_BAR 6", m_reg_bar, false, false); }
static int c_no_ch(void) { return run_blob("no channels", m_no_ch, false, false); }
static int c_wr9(void) { return run_blob("WR count 9", m_wr9, false, false); }
static int c_rd9(void) { return run_blob("RD count 9", m_rd9, false, false); }
static int c_es_small(void) { return run_blob("entry size 0x28", m_es_small, false, false); }
static int c_es_odd(void) { return run_blob("entry size 0x2e", m_es_odd, false, false); }
static int c_es_big(void) { return run_blob("tables beyond LENGTH (ES)", m_es_big, false, false); }
static int c_tables(void) { return run_blob("tables beyond LENGTH", m_tables, false, false); }
static int c_reg_outside(void) { return run_blob("register window", m_reg_outside, false, true); }
static int c_reg_hi(void) { return run_blob("REG_OFF_HI", m_reg_hi, false, true); }
static int c_reg_wrap(void) { return run_blob("REG_OFF wraps", m_reg_wrap, false, true); }
static int c_reg_size0(void) { return run_blob("REG_SIZE 0", m_reg_size0, false, true); }
static int c_reg_small(void) { return run_blob("REG_SIZE too small", m_reg_small, false, true); }
static int c_reg_huge(void) { return run_blob("REG_SIZE huge", m_reg_huge, false, true); }
static int c_reg_absent(void)
{
	if (bar_len[5] != 0)
		return EP_TEST_SKIPPED;
	return run_blob("REG_BAR absent", m_reg_absent, false, true);
}
static int c_desc_outside(void) { return run_blob("desc window", m_desc_outside, false, true); }
static int c_desc_size0(void) { return run_blob("DESC_SIZE 0", m_desc_size0, false, true); }
static int c_desc_3el(void) { return run_blob("DESC_SIZE 72", m_desc_3el, false, true); }
static int c_desc_4el(void) { return run_blob("DESC_SIZE 96", m_desc_4el, true, true); }
static int c_desc_off4(void) { return run_blob("DESC_OFF 4-aligned", m_desc_off4, false, true); }
static int c_desc_big(void) { return run_blob("DESC_SIZE huge", m_desc_big, false, true); }
static int c_desc_hi(void) { return run_blob("DESC_OFF_HI", m_desc_hi, false, true); }
static int c_desc_bar(void) { return run_blob("DESC_BAR 7", m_desc_bar, false, true); }
static int c_desc_absent(void)
{
	if (bar_len[5] != 0)
		return EP_TEST_SKIPPED;
	return run_blob("DESC_BAR absent", m_desc_absent, false, true);
}
static int c_hw_ch(void) { return run_blob("HW_CH != index (wr)", m_hw_ch, false, true); }
static int c_hw_ch_rd(void) { return run_blob("HW_CH != index (rd)", m_hw_ch_rd, false, true); }
static int c_aux(void) { return run_blob("aux window invalid", m_aux, false, true); }
static int c_partial(void) { return run_blob("partial direction", m_partial, false, true); }
static int c_over_blob(void) { return run_blob("desc over blob", m_over_blob, false, true); }
static int c_over_regs(void) { return run_blob("desc over registers", m_over_regs, false, true); }
static int c_over_other(void) { return run_blob("desc over desc", m_over_other, false, true); }
static int c_aux_over(void) { return run_blob("aux over desc", m_aux_over, false, true); }
static int c_4g(void) { return run_blob("ring crosses 4 GiB", m_4g, false, true); }
static int c_desc_lo0(void) { return run_blob("DESC_ADDR low word 0", m_desc_lo0, false, true); }

/*
 * dw_edma_range_readable() against a layout like vfio-pci's BAR with an
 * unmappable MSI-X page: page 0 read/write, page 1 PROT_NONE (the hole),
 * page 2 read-only, page 3 unmapped.
 */
static int
c_page_readable(void)
{
	static const uint32_t in_data = 0x12345678;
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	struct {
		const char *what;
		size_t off;
		uint64_t len;
		int want;
	} chk[] = {
		{ "rw page", 0, psz, 1 },
		{ "one word of the rw page", 8, 4, 1 },
		{ "PROT_NONE page", psz, 4, 0 },
		{ "last word of the PROT_NONE page", 2 * psz - 4, 4, 0 },
		{ "read-only page", 2 * psz, psz, 1 },
		{ "rw page running into the hole", 0, 2 * psz, 0 },
		{ "word straddling hole and read-only page", 2 * psz - 2, 4, 0 },
		{ "unmapped page", 3 * psz, 4, 0 },
		{ "read-only page running into unmapped", 2 * psz, 2 * psz, 0 },
	};
	int got[RTE_DIM(chk)], mp_rc, i, n = (int)RTE_DIM(chk);
	uint8_t *p;

	p = mmap(NULL, 4 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EP_TEST_ASSERT(p != MAP_FAILED, "mmap of 4 pages");
	mp_rc = mprotect(p + psz, psz, PROT_NONE) | mprotect(p + 2 * psz, psz, PROT_READ) |
		munmap(p + 3 * psz, psz);
	for (i = 0; i < n; i++)
		got[i] = dw_edma_range_readable(p + chk[i].off, chk[i].len);
	munmap(p, 3 * psz);
	EP_TEST_ASSERT_EQ(mp_rc, 0, "mprotect/munmap");
	for (i = 0; i < n; i++)
		EP_TEST_ASSERT_EQ(got[i], chk[i].want, "%s", chk[i].what);
	/* ordinary process memory: data, stack */
	EP_TEST_ASSERT_EQ(dw_edma_range_readable(&in_data, 4), 1, "static data");
	EP_TEST_ASSERT_EQ(dw_edma_range_readable(&n, sizeof(n)), 1, "stack");
	return 0;
}

/*
 * The 22.11 region path is pread()/pwrite() at the BAR's region offset of
 * the vfio device fd: exercise it on a temporary file standing in for the
 * fd (24.11+ builds call rte_pci_mmio_read/write, which need a device).
 */
static int
c_region_rw(void)
{
#if DW_EDMA_HAVE_PCI_MMIO
	return EP_TEST_SKIPPED;
#else
	struct dw_edma_region r = { .bar = 0, .off = 0x1000, .size = 0x100 };
	char path[64];
	uint32_t v = 0, raw = 0, w = 0xa5a55a5a;
	int rc[5], fd, i;

	snprintf(path, sizeof(path), "/tmp/dw_edma_region_%d.bin", (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	EP_TEST_ASSERT(fd >= 0, "temp file %s", path);
	unlink(path);
	r.fd = fd;
	rc[0] = ftruncate(fd, 0x1100);
	rc[1] = dw_edma_region_write(&r, &w, 4, 0x08);
	rc[2] = dw_edma_region_read(&r, &v, 4, 0x08);
	rc[3] = dw_edma_region_read(&r, &v, 4, 0xfe) == -EIO ? 0 : 1;
	rc[4] = pread(fd, &raw, 4, 0x1008) == 4 ? 0 : 1;
	close(fd);
	for (i = 0; i < 5; i++)
		EP_TEST_ASSERT_EQ(rc[i], 0, "step %d", i);
	EP_TEST_ASSERT_EQ(v, 0xa5a55a5a, "word read back through the region");
	EP_TEST_ASSERT_EQ(raw, 0xa5a55a5a, "word landed at region offset + 8");
	return 0;
#endif
}

static const struct ep_test_case cases[] = {
	{ "meta_region_rw", c_region_rw },
	{ "meta_page_readable", c_page_readable },
	{ "meta_valid_file", c_good },
	{ "meta_r1_no_magic", c_magic },
	{ "meta_r1_revision", c_rev },
	{ "meta_r1_length_short", c_len_short },
	{ "meta_r1_length_beyond_bar", c_len_bar },
	{ "meta_r2_layout_id", c_layout_id },
	{ "meta_r2_layout_data", c_layout_data },
	{ "meta_r2_legacy", c_legacy },
	{ "meta_r2_reg_bar", c_reg_bar },
	{ "meta_r3_no_channels", c_no_ch },
	{ "meta_r3_wr_count", c_wr9 },
	{ "meta_r3_rd_count", c_rd9 },
	{ "meta_r3_entry_size_small", c_es_small },
	{ "meta_r3_entry_size_unaligned", c_es_odd },
	{ "meta_r3_entry_size_big", c_es_big },
	{ "meta_r3_tables_beyond_length", c_tables },
	{ "meta_r4_reg_outside_bar", c_reg_outside },
	{ "meta_r4_reg_off_hi", c_reg_hi },
	{ "meta_r4_reg_off_wraps", c_reg_wrap },
	{ "meta_r4_reg_size_zero", c_reg_size0 },
	{ "meta_r4_reg_size_small", c_reg_small },
	{ "meta_r4_reg_size_huge", c_reg_huge },
	{ "meta_r4_reg_bar_absent", c_reg_absent },
	{ "meta_r4_desc_outside_bar", c_desc_outside },
	{ "meta_r4_desc_size_zero", c_desc_size0 },
	{ "meta_r4_desc_size_3_elements", c_desc_3el },
	{ "meta_r4_desc_size_4_elements", c_desc_4el },
	{ "meta_r4_desc_off_not_8_aligned", c_desc_off4 },
	{ "meta_r4_desc_size_huge", c_desc_big },
	{ "meta_r4_desc_off_hi", c_desc_hi },
	{ "meta_r4_desc_bar_invalid", c_desc_bar },
	{ "meta_r4_desc_bar_absent", c_desc_absent },
	{ "meta_r4_hw_ch_wr", c_hw_ch },
	{ "meta_r4_hw_ch_rd", c_hw_ch_rd },
	{ "meta_r4_aux_invalid", c_aux },
	{ "meta_r4_desc_over_blob", c_over_blob },
	{ "meta_r4_desc_over_registers", c_over_regs },
	{ "meta_r4_desc_over_other_channel", c_over_other },
	{ "meta_r4_aux_over_desc", c_aux_over },
	{ "meta_r4_ring_crosses_4g", c_4g },
	{ "meta_r4_desc_addr_low_word_0", c_desc_lo0 },
	{ "meta_e1_partial_direction", c_partial },
};

/* The reference blob every case corrupts one field of. */
static int
meta_setup(void)
{
	t_sim_seq = 100;
	return learn_good_blob();
}

int
main(int argc, char **argv)
{
	return ep_test_eal_main(argc, argv, "dw_edma_meta", cases,
		RTE_DIM(cases), meta_setup);
}
