/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Configuration string parsing ("key=value,..." in rte_kvargs syntax) and
 * the checks the endpoint function itself applies before it delegates.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>
#include <rte_string_fns.h>

#include "ep_model_internal.h"

const char *const ep_model_keys[] = {
	"layout", "wr", "rd", "hw_wr", "hw_rd", "func",
	"meta_bar", "reg_bar", "reg_off", "desc_bar", "desc_off", "desc_size",
	"desc_addr", "msix", "msix_off", "ep_mem_base", "ep_mem_size", "outbound",
	"outbound_size", "ready_poll_ms", "thread", "cpu", "idle_sleep_us",
	"missed_doorbell", "llp_lag", "element_ns", "bandwidth", "abort", "corrupt",
	"link_down_ms", "link_up_ms", "ready_drop_ms", "ready_restore_ms",
	"reinit_ms",
	"metadata_file",
	"export", "slice_bar", "slice_off", "slice_align", "slice_ctrl", "slice_file",
	"ntb_bar",
	NULL,
};

/* Decimal or 0x-prefixed hexadecimal, nothing else (no octal, no sign). */
static int
parse_u64(const char *key, const char *val, uint64_t max, uint64_t *out)
{
	const char *p = val;
	char *end;
	int base = 10;
	unsigned long long v;

	if (val == NULL || *val == '\0')
		goto bad;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (*p == '\0')
			goto bad;
	}
	if (*p < '0' || (*p > '9' && base == 10) ||
			(base == 16 && strchr("0123456789abcdefABCDEF", *p) == NULL))
		goto bad;
	errno = 0;
	v = strtoull(p, &end, base);
	if (errno != 0 || *end != '\0' || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	EPM_LOG(ERR, "bad value '%s' for key '%s' (expected a number 0..%" PRIu64
		", decimal or 0x hex)", val != NULL ? val : "", key, max);
	return -EINVAL;
}

int
epm_parse_u64(const char *key, const char *val, uint64_t max, uint64_t *out)
{
	return parse_u64(key, val, max, out);
}

static int
parse_bool(const char *key, const char *val, bool *out)
{
	uint64_t v;

	if (parse_u64(key, val, 1, &v) != 0)
		return -EINVAL;
	*out = v != 0;
	return 0;
}

/* "<wr|rd><ch>:<nth>" */
static int
parse_inject(const char *key, const char *val, struct epm_inject *inj)
{
	const char *colon;
	char chbuf[8];
	uint64_t ch, nth;
	size_t n;

	if (val == NULL)
		goto bad;
	if (strncmp(val, "wr", 2) == 0)
		inj->dir = EP_MODEL_DIR_WR;
	else if (strncmp(val, "rd", 2) == 0)
		inj->dir = EP_MODEL_DIR_RD;
	else
		goto bad;
	colon = strchr(val, ':');
	if (colon == NULL)
		goto bad;
	n = (size_t)(colon - (val + 2));
	if (n == 0 || n >= sizeof(chbuf))
		goto bad;
	memcpy(chbuf, val + 2, n);
	chbuf[n] = '\0';
	if (parse_u64(key, chbuf, EPM_MAX_CH - 1, &ch) != 0 ||
			parse_u64(key, colon + 1, UINT32_MAX, &nth) != 0)
		goto bad;
	inj->ch = (uint8_t)ch;
	inj->nth = (uint32_t)nth;
	return 0;
bad:
	EPM_LOG(ERR, "bad value '%s' for key '%s' (expected <wr|rd><channel>:<nth>,"
		" e.g. wr0:3)", val != NULL ? val : "", key);
	return -EINVAL;
}

static int
apply_key(struct epm_cfg *c, const char *key, const char *val)
{
	uint64_t v;
	int rc = 0;

#define NUM(k, max, field) \
	if (strcmp(key, k) == 0) { \
		rc = parse_u64(key, val, max, &v); \
		if (rc == 0) \
			c->field = v; \
		return rc; \
	}
#define BOOL(k, field) \
	if (strcmp(key, k) == 0) \
		return parse_bool(key, val, &c->field);

	if (epm_epdm_key(key))
		return epm_epdm_apply_key(c, key, val);
	if (strcmp(key, "layout") == 0) {
		if (val != NULL && strcmp(val, "edma-unroll") == 0)
			c->layout = EP_MODEL_MF_EDMA_UNROLL;
		else if (val != NULL && strcmp(val, "hdma-compat") == 0)
			c->layout = EP_MODEL_MF_HDMA_COMPAT;
		else if (val != NULL && strcmp(val, "hdma-native") == 0)
			c->layout = EP_MODEL_MF_HDMA_NATIVE;
		else if (val != NULL && strcmp(val, "edma-legacy") == 0)
			c->layout = EP_MODEL_MF_EDMA_LEGACY;
		else {
			EPM_LOG(ERR, "bad value '%s' for key 'layout' (expected edma-unroll, "
				"hdma-compat, hdma-native or edma-legacy)",
				val != NULL ? val : "");
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "wr") == 0) {
		/* export=epdm needs to know whether wr was asked for */
		c->wr_set = true;
		NUM("wr", EPM_MAX_CH, wr)
	}
	NUM("rd", EPM_MAX_CH, rd)
	if (strcmp(key, "hw_wr") == 0 || strcmp(key, "hw_rd") == 0) {
		rc = parse_u64(key, val, EPM_MAX_CH, &v);
		if (rc != 0)
			return rc;
		if (key[3] == 'w') {
			c->hw_wr = v;
			c->hw_wr_set = true;
		} else {
			c->hw_rd = v;
			c->hw_rd_set = true;
		}
		return 0;
	}
	NUM("func", 255, func)
	NUM("meta_bar", EP_MODEL_NUM_BARS - 1, meta_bar)
	if (strcmp(key, "reg_bar") == 0 || strcmp(key, "reg_off") == 0)
		c->reg_set = true;
	NUM("reg_bar", EP_MODEL_NUM_BARS - 1, reg_bar)
	NUM("desc_bar", EP_MODEL_NUM_BARS - 1, desc_bar)
	NUM("reg_off", EPM_BAR_OFF_MAX, reg_off)
	if (strcmp(key, "desc_off") == 0) {
		rc = parse_u64(key, val, EPM_BAR_OFF_MAX, &v);
		if (rc == 0) {
			c->desc_off = v;
			c->desc_off_set = true;
		}
		return rc;
	}
	NUM("desc_size", 1ULL << 24, desc_size)
	NUM("desc_addr", UINT64_MAX, desc_addr)
	BOOL("msix", msix)
	if (strcmp(key, "msix_off") == 0) {
		rc = parse_u64(key, val, EPM_BAR_OFF_MAX, &v);
		if (rc == 0) {
			c->msix_off = v;
			c->msix_off_set = true;
		}
		return rc;
	}
	NUM("ep_mem_base", UINT64_MAX, ep_mem_base)
	NUM("ep_mem_size", 1ULL << 32, ep_mem_size)
	if (strcmp(key, "outbound") == 0) {
		rc = parse_u64(key, val, UINT64_MAX, &v);
		if (rc == 0) {
			c->outbound = v;
			c->outbound_set = true;
		}
		return rc;
	}
	NUM("outbound_size", UINT64_MAX, outbound_size)
	NUM("ready_poll_ms", 3600000, ready_poll_ms)
	BOOL("thread", thread)
	if (strcmp(key, "cpu") == 0) {
		rc = parse_u64(key, val, 1023, &v);
		if (rc == 0)
			c->cpu = (int)v;
		return rc;
	}
	NUM("idle_sleep_us", 1000000, idle_sleep_us)
	BOOL("missed_doorbell", missed_doorbell)
	BOOL("llp_lag", llp_lag)
	NUM("element_ns", 1000000000, element_ns)
	NUM("bandwidth", UINT64_MAX, bandwidth)
	if (strcmp(key, "abort") == 0 || strcmp(key, "corrupt") == 0) {
		bool ab = key[0] == 'a';
		unsigned int *n = ab ? &c->naborts : &c->ncorrupts;
		struct epm_inject *arr = ab ? c->aborts : c->corrupts;

		if (*n >= RTE_DIM(c->aborts)) {
			EPM_LOG(ERR, "too many '%s' keys (at most %zu)", key,
				RTE_DIM(c->aborts));
			return -EINVAL;
		}
		rc = parse_inject(key, val, &arr[*n]);
		if (rc == 0)
			(*n)++;
		return rc;
	}
	NUM("link_down_ms", 1ULL << 40, link_down_ms)
	NUM("link_up_ms", 1ULL << 40, link_up_ms)
	NUM("ready_drop_ms", 1ULL << 40, ready_drop_ms)
	NUM("ready_restore_ms", 1ULL << 40, ready_restore_ms)
	NUM("reinit_ms", 1ULL << 40, reinit_ms)
	if (strcmp(key, "metadata_file") == 0) {
		if (val == NULL || *val == '\0' ||
				strlcpy(c->metadata_file, val, sizeof(c->metadata_file)) >=
				sizeof(c->metadata_file)) {
			EPM_LOG(ERR, "bad value '%s' for key 'metadata_file'",
				val != NULL ? val : "");
			return -EINVAL;
		}
		return 0;
	}
#undef NUM
#undef BOOL
	EPM_LOG(ERR, "unknown key '%s' (value '%s')", key, val != NULL ? val : "");
	return -EINVAL;
}

static void
set_defaults(struct epm_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->layout = EP_MODEL_MF_EDMA_UNROLL;
	c->wr = 1;
	c->rd = 1;
	c->func = 1;
	c->meta_bar = 0;
	c->reg_bar = 2;
	c->reg_off = 0x1000;
	c->desc_bar = 4;
	c->desc_off = 0x1000;
	c->desc_size = 4096;
	c->desc_addr = 0x20000000;
	c->msix = true;
	c->ep_mem_base = 0x4000000;
	c->ep_mem_size = 0x1000000;
	c->outbound_size = 1ULL << 47;
	c->ready_poll_ms = 1;
	c->thread = true;
	c->cpu = -1;
	c->idle_sleep_us = 20;
	c->missed_doorbell = true;
	c->link_down_ms = EPM_NONE;
	c->link_up_ms = EPM_NONE;
	c->ready_drop_ms = EPM_NONE;
	c->ready_restore_ms = EPM_NONE;
	c->reinit_ms = EPM_NONE;
	c->slice_align = 4096;
	c->ntb_bar = -1;
}

static bool
ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Cross-key checks: the same refusals the endpoint function makes. */
static int
check_cfg(struct epm_cfg *c)
{
	bool native = c->layout == EP_MODEL_MF_HDMA_NATIVE;
	unsigned int max_func = native ? 255 : 31;
	uint64_t i, nwin, stride;
	int rc;

	/* first: export=epdm changes the defaults the checks below use */
	rc = epm_epdm_check_cfg(c);
	if (rc != 0)
		return rc;
	if (c->wr == 0 && c->rd == 0) {
		EPM_LOG(ERR, "wr=0 and rd=0: at least one channel must be delegated");
		return -EINVAL;
	}
	if (!c->hw_wr_set)
		c->hw_wr = native ? EPM_MAX_CH : (c->wr > 0 ? c->wr : 2);
	if (!c->hw_rd_set)
		c->hw_rd = native ? EPM_MAX_CH : (c->rd > 0 ? c->rd : 2);
	if (c->wr > c->hw_wr || c->rd > c->hw_rd) {
		EPM_LOG(ERR, "wr=%u/rd=%u exceed the hardware channels hw_wr=%u/hw_rd=%u",
			c->wr, c->rd, c->hw_wr, c->hw_rd);
		return -EINVAL;
	}
	if (!native && ((c->wr != 0 && c->wr != c->hw_wr) ||
			(c->rd != 0 && c->rd != c->hw_rd))) {
		EPM_LOG(ERR, "wr=%u rd=%u with hw_wr=%u hw_rd=%u: this layout delegates "
			"a direction whole or not at all (the EPF refuses partial ones)",
			c->wr, c->rd, c->hw_wr, c->hw_rd);
		return -EINVAL;
	}
	if (c->func > max_func) {
		EPM_LOG(ERR, "func=%u does not fit the layout's FUNC_NUM field (max %u)",
			c->func, max_func);
		return -EINVAL;
	}
	if (c->msix_off_set && (!c->msix || c->msix_off % 8 != 0)) {
		/* the low 3 bits of the capability's table offset hold the BIR */
		EPM_LOG(ERR, "msix_off=0x%" PRIx64 ": %s", c->msix_off, !c->msix ?
			"needs msix=1" : "the MSI-X table must be 8-byte aligned");
		return -EINVAL;
	}
	if (c->reg_off % 4 != 0 || c->desc_off % 8 != 0) {
		EPM_LOG(ERR, "reg_off=0x%" PRIx64 " / desc_off=0x%" PRIx64
			": offsets must be multiples of 4 / 8", c->reg_off, c->desc_off);
		return -EINVAL;
	}
	/*
	 * The smallest ring a host can run: a data element, the write-back
	 * element that reports it, one slot kept free and the link back. The
	 * dw_edma driver refuses smaller windows with the same rule.
	 */
	if (c->desc_size < EPM_MIN_DESC_SIZE || c->desc_size % 8 != 0) {
		EPM_LOG(ERR, "desc_size=%" PRIu64 ": must be a multiple of 8 and >= %u "
			"(4 elements: data, write-back, one free, the link)",
			c->desc_size, EPM_MIN_DESC_SIZE);
		return -EINVAL;
	}
	if (c->desc_addr % 8 != 0) {
		EPM_LOG(ERR, "desc_addr=0x%" PRIx64 ": must be 8-byte aligned", c->desc_addr);
		return -EINVAL;
	}
	if (c->ep_mem_size == 0 || c->ep_mem_base + c->ep_mem_size < c->ep_mem_base) {
		EPM_LOG(ERR, "ep_mem_base=0x%" PRIx64 " ep_mem_size=0x%" PRIx64
			": empty or wrapping range", c->ep_mem_base, c->ep_mem_size);
		return -EINVAL;
	}
	nwin = c->wr + c->rd;
	stride = RTE_ALIGN_CEIL(c->desc_size, 4096);
	if (c->desc_addr + nwin * stride < c->desc_addr) {
		EPM_LOG(ERR, "desc_addr=0x%" PRIx64 ": descriptor windows wrap", c->desc_addr);
		return -EINVAL;
	}
	if (ranges_overlap(c->desc_addr, nwin * stride, c->ep_mem_base, c->ep_mem_size)) {
		EPM_LOG(ERR, "desc_addr=0x%" PRIx64 ": descriptor windows overlap endpoint "
			"memory [0x%" PRIx64 ", +0x%" PRIx64 ")", c->desc_addr,
			c->ep_mem_base, c->ep_mem_size);
		return -EINVAL;
	}
	if (c->outbound_set) {
		if (c->outbound_size == 0 || c->outbound + c->outbound_size < c->outbound) {
			EPM_LOG(ERR, "outbound=0x%" PRIx64 " outbound_size=0x%" PRIx64
				": empty or wrapping window", c->outbound, c->outbound_size);
			return -EINVAL;
		}
		if (ranges_overlap(c->outbound, c->outbound_size, c->ep_mem_base,
					c->ep_mem_size) ||
				ranges_overlap(c->outbound, c->outbound_size, c->desc_addr,
					nwin * stride)) {
			EPM_LOG(ERR, "outbound=0x%" PRIx64 ": window overlaps endpoint memory "
				"or descriptor windows", c->outbound);
			return -EINVAL;
		}
	} else {
		c->outbound_size = 0;
	}
	for (i = 0; i < c->naborts + c->ncorrupts; i++) {
		const struct epm_inject *inj = i < c->naborts ? &c->aborts[i] :
			&c->corrupts[i - c->naborts];
		unsigned int n = inj->dir == EP_MODEL_DIR_WR ? c->wr : c->rd;

		if (inj->ch >= n) {
			EPM_LOG(ERR, "%s=%s%u:%u names a channel that is not delegated",
				i < c->naborts ? "abort" : "corrupt",
				inj->dir == EP_MODEL_DIR_WR ? "wr" : "rd", inj->ch,
				inj->nth);
			return -EINVAL;
		}
	}
	if (c->link_down_ms == EPM_NONE && c->link_up_ms != EPM_NONE) {
		EPM_LOG(ERR, "link_up_ms=%" PRIu64 " without link_down_ms", c->link_up_ms);
		return -EINVAL;
	}
	if (c->link_up_ms != EPM_NONE && c->link_up_ms <= c->link_down_ms) {
		EPM_LOG(ERR, "link_up_ms=%" PRIu64 " must be after link_down_ms=%" PRIu64,
			c->link_up_ms, c->link_down_ms);
		return -EINVAL;
	}
	if (c->ready_drop_ms == EPM_NONE && c->ready_restore_ms != EPM_NONE) {
		EPM_LOG(ERR, "ready_restore_ms=%" PRIu64 " without ready_drop_ms",
			c->ready_restore_ms);
		return -EINVAL;
	}
	if (c->ready_restore_ms != EPM_NONE && c->ready_restore_ms <= c->ready_drop_ms) {
		EPM_LOG(ERR, "ready_restore_ms=%" PRIu64 " must be after ready_drop_ms=%"
			PRIu64, c->ready_restore_ms, c->ready_drop_ms);
		return -EINVAL;
	}
	return 0;
}

int
epm_config_parse(const char *args, struct epm_cfg *cfg)
{
	struct rte_kvargs *kv;
	unsigned int i;
	int rc = 0;

	set_defaults(cfg);
	if (args == NULL || *args == '\0')
		return check_cfg(cfg);
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		EPM_LOG(ERR, "cannot parse configuration '%s' (expected key=value,...)",
			args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count && rc == 0; i++)
		rc = apply_key(cfg, kv->pairs[i].key, kv->pairs[i].value);
	rte_kvargs_free(kv);
	if (rc != 0)
		return rc;
	return check_cfg(cfg);
}
