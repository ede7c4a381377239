/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * A PCI function presented to a host: the type-0 configuration space
 * (identity, command, BARs with the sizing protocol, capabilities) and the
 * decode of memory accesses to the model's BARs. The register layout is the
 * PCI Local Bus / PCI Express base specification's; the values are what the
 * endpoint DMA function publishes (hardware reference A.7, B.1).
 *
 * Configuration space is a byte image plus a mask of the bits a host may
 * write; everything else is read-only and a write to it is ignored, as
 * hardware ignores it. Only the debug capability's counters are computed
 * when read.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "ep_model.h"
#include "ep_pcifn.h"
#include "ep_pci_log.h"

RTE_LOG_REGISTER_DEFAULT(ep_pci_logtype, NOTICE);

/* Type-0 header offsets and bits (PCI Local Bus 3.0, section 6.2). */
#define CFG_VENDOR		0x00
#define CFG_DEVICE		0x02
#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_REVISION		0x08
#define CFG_CLASS_PROG		0x09
#define CFG_CACHE_LINE		0x0c
#define CFG_HEADER_TYPE		0x0e
#define CFG_BAR0		0x10
#define CFG_SUBSYS_VENDOR	0x2c
#define CFG_SUBSYS		0x2e
#define CFG_CAP_PTR		0x34
#define CFG_INT_LINE		0x3c
#define CFG_INT_PIN		0x3d
#define CFG_STD_END		0x100

#define CMD_MEMORY		(1u << 1)
#define CMD_MASTER		(1u << 2)
#define CMD_PARITY		(1u << 6)
#define CMD_SERR		(1u << 8)
#define CMD_INTX_DISABLE	(1u << 10)
#define STATUS_CAP_LIST		(1u << 4)
#define HDR_MULTIFUNCTION	0x80
#define BAR_MEM_64		0x4u
#define BAR_FLAG_MASK		0xfu

#define CAP_ID_VNDR		0x09
#define CAP_ID_EXP		0x10
#define CAP_ID_MSIX		0x11

/* Where each capability sits; absent ones are left out of the chain. */
#define MSIX_CAP_OFF		0x40
#define MSIX_CAP_LEN		12
#define PCIE_CAP_OFF		0x50
#define PCIE_CAP_LEN		0x3c	/* version 2 layout */
#define DBG_CAP_OFF		0x90

/* MSI-X capability fields. */
#define MSIX_CTRL		2
#define MSIX_CTRL_ENABLE	(1u << 15)
#define MSIX_CTRL_MASKALL	(1u << 14)
#define MSIX_TABLE		4
#define MSIX_PBA		8

/* PCI Express capability fields (version 2). */
#define EXP_FLAGS		0x02
#define EXP_DEVCAP		0x04
#define EXP_DEVCTL		0x08
#define EXP_LNKCAP		0x0c
#define EXP_LNKCTL		0x10
#define EXP_LNKSTA		0x12
#define EXP_LNKCAP2		0x2c
#define EXP_LNKCTL2		0x30
#define EXP_TYPE_ENDPOINT	0x0
#define EXP_TYPE_RCIEP		0x9
#define EXP_DEVCAP_MPS_256	0x1u
#define EXP_DEVCAP_RBER		(1u << 15)
/* Relaxed ordering and no-snoop enabled, 512-byte read requests: the
 * register's default value.
 */
#define EXP_DEVCTL_DEFAULT	0x2810u
/* Error reporting enables, relaxed ordering, MPS, no-snoop, MRRS; not the
 * extended tag, phantom function, aux power or FLR bits (not supported).
 */
#define EXP_DEVCTL_WMASK	0x78ffu
#define EXP_LINK_X1_2_5GT	0x0011u	/* speed 2.5 GT/s, width x1 */
#define EXP_LNKCTL_WMASK	0x00cbu	/* ASPM, RCB, common clock, ext sync */

/* Unclaimed accesses (and blank writes) logged one by one before they are
 * only counted.
 */
#define UNCLAIMED_LOG_MAX	8

struct ep_pcifn {
	char name[64];
	enum ep_pcifn_kind kind;
	unsigned int func;
	struct ep_model *model;
	struct ep_model_info info;
	struct ep_guest_mem *mem;
	uint64_t bar_len[EP_PCIFN_NUM_BARS];
	bool bar64[EP_PCIFN_NUM_BARS];
	uint64_t pba_off, pba_len;	/* dma: MSI-X PBA in the metadata BAR */

	uint8_t cfg[EP_PCIFN_CFG_SIZE];
	uint8_t wmask[EP_PCIFN_CFG_SIZE];
	uint8_t power_on[EP_PCIFN_CFG_SIZE];	/* image restored by a reset */
	unsigned int msix_cap, pcie_cap, dbg_cap;

	/* Read by the engine thread (host_resolve): atomics. */
	bool bus_master;
	/* Counters: written by the transport thread, read by anyone. */
	uint64_t bar_writes, bar_reads, unclaimed, blank_violations;
	uint32_t resets;
};

static inline void
put8(uint8_t *a, unsigned int off, uint8_t v)
{
	a[off] = v;
}

static inline void
put16(uint8_t *a, unsigned int off, uint16_t v)
{
	a[off] = (uint8_t)v;
	a[off + 1] = (uint8_t)(v >> 8);
}

static inline void
put32(uint8_t *a, unsigned int off, uint32_t v)
{
	put16(a, off, (uint16_t)v);
	put16(a, off + 2, (uint16_t)(v >> 16));
}

static inline void
put64(uint8_t *a, unsigned int off, uint64_t v)
{
	put32(a, off, (uint32_t)v);
	put32(a, off + 4, (uint32_t)(v >> 32));
}

static inline uint16_t
get16(const uint8_t *a, unsigned int off)
{
	return (uint16_t)(a[off] | a[off + 1] << 8);
}

static inline uint32_t
get32(const uint8_t *a, unsigned int off)
{
	return (uint32_t)get16(a, off) | (uint32_t)get16(a, off + 2) << 16;
}

static uint64_t
ld64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
inc64(uint64_t *p)
{
	__atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
}

void
ep_pcifn_opts_init(struct ep_pcifn_opts *o, enum ep_pcifn_kind kind)
{
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	/*
	 * The real function has no fixed ID (hardware reference B.1): its
	 * administrator writes one. Synopsys' vendor ID with device IDs no
	 * Linux driver claims, so that nothing but an explicit bind takes the
	 * function.
	 */
	o->vendor = 0x16c3;
	o->device = kind == EP_PCIFN_DMA ? 0xed01 : 0xed00;
	o->subsys_vendor = o->vendor;
	o->subsys = o->device;
	o->class_code = EP_PCIFN_CLASS_DMA;
	o->pcie = EP_PCIFN_PCIE_RCIEP;
	o->bar64_min = EP_PCIFN_BAR64_MIN_DEFAULT;
	o->pci_func = -1;
	if (kind == EP_PCIFN_BLANK)
		o->blank_bar_len[0] = 4096;
}

/*
 * The engine's host address resolution: guest-physical addresses through
 * the guest RAM table, and only while the host lets the function master
 * the bus (a function with Bus Master Enable clear issues no request; the
 * element aborts like an unsupported request).
 */
static void *
fn_host_resolve(void *ctx, uint64_t addr, uint64_t len)
{
	struct ep_pcifn *fn = ctx;

	if (!__atomic_load_n(&fn->bus_master, __ATOMIC_ACQUIRE))
		return NULL;
	return ep_guest_mem_resolve(fn->mem, addr, len);
}

/* Decide each BAR's type and check that the slots do not collide. */
static int
type_bars(struct ep_pcifn *fn, uint64_t bar64_min)
{
	unsigned int i;

	for (i = 0; i < EP_PCIFN_NUM_BARS; i++) {
		uint64_t len = fn->bar_len[i];

		if (len == 0)
			continue;
		if (len < 4096 || (len & (len - 1)) != 0) {
			EP_PCI_LOG(ERR, "%s: BAR%u length 0x%" PRIx64 " is not a power of "
				"two of at least 4 KiB", fn->name, i, len);
			return -EINVAL;
		}
		fn->bar64[i] = len >= bar64_min;
		if (!fn->bar64[i] && len > (1ULL << 31)) {
			EP_PCI_LOG(ERR, "%s: BAR%u of 0x%" PRIx64 " bytes does not fit a 32-bit "
				"BAR; lower bar64_min to at most its length", fn->name, i, len);
			return -EINVAL;
		}
		if (!fn->bar64[i])
			continue;
		if (len > (1ULL << 40)) {
			EP_PCI_LOG(ERR, "%s: BAR%u of 0x%" PRIx64 " bytes: at most 1 TiB",
				fn->name, i, len);
			return -EINVAL;
		}
		if (i == EP_PCIFN_NUM_BARS - 1) {
			EP_PCI_LOG(ERR, "%s: BAR5 (0x%" PRIx64 " bytes, at least bar64_min "
				"0x%" PRIx64 ") would be 64-bit, but a 64-bit BAR takes two "
				"slots and BAR5 is the last; move it or raise bar64_min",
				fn->name, len, bar64_min);
			return -EINVAL;
		}
		if (fn->bar_len[i + 1] != 0) {
			EP_PCI_LOG(ERR, "%s: BAR%u (0x%" PRIx64 " bytes, at least bar64_min "
				"0x%" PRIx64 ") is 64-bit and takes slots %u and %u, but the "
				"model also puts BAR%u there; place the model's BARs (meta_bar, "
				"reg_bar, desc_bar) two slots apart or raise bar64_min",
				fn->name, i, len, bar64_min, i, i + 1, i + 1);
			return -EINVAL;
		}
		i++;	/* the upper half */
	}
	return 0;
}

static unsigned int
build_msix(struct ep_pcifn *fn, unsigned int off)
{
	const struct ep_model_info *in = &fn->info;

	put8(fn->cfg, off, CAP_ID_MSIX);
	put16(fn->cfg, off + MSIX_CTRL, (uint16_t)((in->msix_vectors - 1) & 0x7ff));
	put16(fn->wmask, off + MSIX_CTRL, MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	/* Offsets are 8-byte aligned: the low 3 bits carry the BAR index. */
	put32(fn->cfg, off + MSIX_TABLE, in->msix_table_off | in->metadata_bar);
	put32(fn->cfg, off + MSIX_PBA, in->msix_pba_off | in->metadata_bar);
	return off;
}

static unsigned int
build_pcie(struct ep_pcifn *fn, unsigned int off, enum ep_pcifn_pcie kind)
{
	bool ep = kind == EP_PCIFN_PCIE_ENDPOINT;

	put8(fn->cfg, off, CAP_ID_EXP);
	put16(fn->cfg, off + EXP_FLAGS,
		(uint16_t)(2 | (ep ? EXP_TYPE_ENDPOINT : EXP_TYPE_RCIEP) << 4));
	put32(fn->cfg, off + EXP_DEVCAP, EXP_DEVCAP_MPS_256 | EXP_DEVCAP_RBER);
	put16(fn->cfg, off + EXP_DEVCTL, EXP_DEVCTL_DEFAULT);
	put16(fn->wmask, off + EXP_DEVCTL, EXP_DEVCTL_WMASK);
	if (ep) {
		/* An integrated endpoint has no link; an endpoint reports x1. */
		put32(fn->cfg, off + EXP_LNKCAP, EXP_LINK_X1_2_5GT);
		put16(fn->wmask, off + EXP_LNKCTL, EXP_LNKCTL_WMASK);
		put16(fn->cfg, off + EXP_LNKSTA, EXP_LINK_X1_2_5GT);
		put32(fn->cfg, off + EXP_LNKCAP2, 1u << 1);	/* 2.5 GT/s supported */
		put16(fn->cfg, off + EXP_LNKCTL2, 1);		/* target 2.5 GT/s */
	}
	return off;
}

static unsigned int
build_dbg(struct ep_pcifn *fn, unsigned int off)
{
	put8(fn->cfg, off, CAP_ID_VNDR);
	put8(fn->cfg, off + 2, EP_PCIFN_DBG_LEN);
	put8(fn->cfg, off + 3, EP_PCIFN_DBG_VERSION);
	put32(fn->cfg, off + EP_PCIFN_DBG_SIG_OFF, EP_PCIFN_DBG_SIG);
	put8(fn->cfg, off + EP_PCIFN_DBG_KIND_OFF, fn->kind == EP_PCIFN_DMA ? 1 : 0);
	put8(fn->cfg, off + EP_PCIFN_DBG_KIND_OFF + 1, (uint8_t)fn->func);
	return off;
}

static void
build_cfg(struct ep_pcifn *fn, const struct ep_pcifn_opts *o)
{
	unsigned int caps[3], ncaps = 0, i;

	put16(fn->cfg, CFG_VENDOR, o->vendor);
	put16(fn->cfg, CFG_DEVICE, o->device);
	/* No I/O BARs, so I/O Space Enable stays 0. */
	put16(fn->wmask, CFG_COMMAND, CMD_MEMORY | CMD_MASTER | CMD_PARITY | CMD_SERR |
		CMD_INTX_DISABLE);
	put16(fn->cfg, CFG_STATUS, STATUS_CAP_LIST);
	put8(fn->cfg, CFG_REVISION, o->revision);
	put8(fn->cfg, CFG_CLASS_PROG, (uint8_t)o->class_code);
	put16(fn->cfg, CFG_CLASS_PROG + 1, (uint16_t)(o->class_code >> 8));
	put8(fn->wmask, CFG_CACHE_LINE, 0xff);
	put8(fn->cfg, CFG_HEADER_TYPE, o->multifunction ? HDR_MULTIFUNCTION : 0);
	for (i = 0; i < EP_PCIFN_NUM_BARS; i++) {
		uint64_t len = fn->bar_len[i];
		unsigned int reg = CFG_BAR0 + 4 * i;

		if (len == 0)
			continue;
		/* Memory, non-prefetchable: the windows hold registers. */
		put32(fn->cfg, reg, fn->bar64[i] ? BAR_MEM_64 : 0);
		/* Only the address bits above the size stick: the sizing read. */
		put32(fn->wmask, reg, (uint32_t)~(len - 1) & ~BAR_FLAG_MASK);
		if (fn->bar64[i]) {
			put32(fn->wmask, reg + 4, (uint32_t)(~(len - 1) >> 32));
			i++;
		}
	}
	put16(fn->cfg, CFG_SUBSYS_VENDOR, o->subsys_vendor);
	put16(fn->cfg, CFG_SUBSYS, o->subsys);
	put8(fn->wmask, CFG_INT_LINE, 0xff);
	/* The endpoint function declares INTA (hardware reference B.1). */
	put8(fn->cfg, CFG_INT_PIN, 1);

	if (fn->kind == EP_PCIFN_DMA && fn->info.msix_vectors != 0)
		caps[ncaps++] = fn->msix_cap = build_msix(fn, MSIX_CAP_OFF);
	if (o->pcie != EP_PCIFN_PCIE_NONE)
		caps[ncaps++] = fn->pcie_cap = build_pcie(fn, PCIE_CAP_OFF, o->pcie);
	caps[ncaps++] = fn->dbg_cap = build_dbg(fn, DBG_CAP_OFF);
	put8(fn->cfg, CFG_CAP_PTR, (uint8_t)caps[0]);
	for (i = 0; i + 1 < ncaps; i++)
		put8(fn->cfg, caps[i] + 1, (uint8_t)caps[i + 1]);
	memcpy(fn->power_on, fn->cfg, sizeof(fn->cfg));
}

static int
check_opts(const struct ep_pcifn_opts *o)
{
	if (o->name == NULL || o->name[0] == '\0') {
		EP_PCI_LOG(ERR, "a function needs a name");
		return -EINVAL;
	}
	if (o->kind != EP_PCIFN_DMA && o->kind != EP_PCIFN_BLANK) {
		EP_PCI_LOG(ERR, "%s: unknown function kind %d", o->name, (int)o->kind);
		return -EINVAL;
	}
	if (o->vendor == 0xffff || o->vendor == 0) {
		/* All-ones is what a host reads from an empty slot. */
		EP_PCI_LOG(ERR, "%s: vendor ID 0x%04x means \"no function\"; choose another",
			o->name, o->vendor);
		return -EINVAL;
	}
	if (o->class_code > 0xffffff) {
		EP_PCI_LOG(ERR, "%s: class code 0x%x is wider than 24 bits", o->name,
			o->class_code);
		return -EINVAL;
	}
	if (o->pcie != EP_PCIFN_PCIE_NONE && o->pcie != EP_PCIFN_PCIE_RCIEP &&
			o->pcie != EP_PCIFN_PCIE_ENDPOINT) {
		EP_PCI_LOG(ERR, "%s: unknown PCI Express capability kind %d", o->name,
			(int)o->pcie);
		return -EINVAL;
	}
	if (o->kind == EP_PCIFN_BLANK && o->func > 7) {
		EP_PCI_LOG(ERR, "%s: function number %u: 0..7", o->name, o->func);
		return -EINVAL;
	}
	if (o->pci_func > 7 || (o->pci_func >= 0 && o->kind != EP_PCIFN_DMA)) {
		EP_PCI_LOG(ERR, "%s: pci_func %d: 0..7, for a dma function only", o->name,
			o->pci_func);
		return -EINVAL;
	}
	return 0;
}

struct ep_pcifn *
ep_pcifn_create(const struct ep_pcifn_opts *o)
{
	struct ep_pcifn *fn;
	unsigned int b;
	int rc;

	if (o == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	rc = check_opts(o);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	fn = calloc(1, sizeof(*fn));
	if (fn == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	strlcpy(fn->name, o->name, sizeof(fn->name));
	fn->kind = o->kind;
	fn->mem = ep_guest_mem_create(o->name);
	if (fn->mem == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	if (o->kind == EP_PCIFN_DMA) {
		const struct ep_model_env env = {
			.host_resolve = fn_host_resolve,
			.host_ctx = fn,
		};

		fn->model = ep_model_create_ext(o->name, o->model_args, &env);
		if (fn->model == NULL) {
			rc = -rte_errno;
			EP_PCI_LOG(ERR, "%s: the endpoint model refused its configuration "
				"\"%s\" (see the ep_model message above)", o->name,
				o->model_args != NULL ? o->model_args : "");
			goto fail;
		}
		ep_model_info_get(fn->model, &fn->info);
		fn->func = fn->info.func_num;
		if (o->pci_func >= 0 && (unsigned int)o->pci_func != fn->func) {
			/* The driver programs the function the host sees: wrong here. */
			EP_PCI_LOG(WARNING, "%s: presented as function %d while the model "
				"accepts DMA from requester function %u only: every DMA of "
				"this function will fault (a negative test)", o->name,
				o->pci_func, fn->func);
			fn->func = (unsigned int)o->pci_func;
		} else if (fn->func > 7) {
			/* QEMU and Linux present functions 0-7 of a device. */
			EP_PCI_LOG(ERR, "%s: the model's func=%u cannot be a PCI function number "
				"(0..7): the requester function must be the one the host sees",
				o->name, fn->func);
			rc = -EINVAL;
			goto fail;
		}
		for (b = 0; b < EP_PCIFN_NUM_BARS; b++) {
			struct ep_model_bar bar;

			if (ep_model_bar_get(fn->model, b, &bar) == 0)
				fn->bar_len[b] = bar.len;
		}
		if (fn->info.msix_vectors != 0) {
			fn->pba_off = fn->info.msix_pba_off;
			fn->pba_len = RTE_ALIGN_CEIL((fn->info.msix_vectors + 63) / 64 * 8, 8);
		}
	} else {
		fn->func = o->func;
		for (b = 0; b < EP_PCIFN_NUM_BARS; b++)
			fn->bar_len[b] = o->blank_bar_len[b];
	}
	rc = type_bars(fn, o->bar64_min);
	if (rc != 0)
		goto fail;
	build_cfg(fn, o);
	EP_PCI_LOG(INFO, "%s: function %u (%s), class 0x%06x, ID %04x:%04x", fn->name,
		fn->func, fn->kind == EP_PCIFN_DMA ? "dma" : "blank", o->class_code,
		o->vendor, o->device);
	return fn;
fail:
	ep_pcifn_destroy(fn);
	rte_errno = -rc;
	return NULL;
}

void
ep_pcifn_destroy(struct ep_pcifn *fn)
{
	if (fn == NULL)
		return;
	/* The engine stops first: nothing resolves through the map after. */
	ep_model_destroy(fn->model);
	ep_guest_mem_destroy(fn->mem);
	free(fn);
}

unsigned int
ep_pcifn_func(const struct ep_pcifn *fn)
{
	return fn->func;
}

enum ep_pcifn_kind
ep_pcifn_kind_get(const struct ep_pcifn *fn)
{
	return fn->kind;
}

const char *
ep_pcifn_name(const struct ep_pcifn *fn)
{
	return fn->name;
}

struct ep_model *
ep_pcifn_model(const struct ep_pcifn *fn)
{
	return fn->model;
}

struct ep_guest_mem *
ep_pcifn_guest_mem(const struct ep_pcifn *fn)
{
	return fn->mem;
}

uint64_t
ep_pcifn_bar_len(const struct ep_pcifn *fn, unsigned int bar, bool *is64)
{
	if (bar >= EP_PCIFN_NUM_BARS)
		return 0;
	if (is64 != NULL)
		*is64 = fn->bar64[bar];
	return fn->bar_len[bar];
}

uint64_t
ep_pcifn_bar_base(const struct ep_pcifn *fn, unsigned int bar)
{
	unsigned int reg = CFG_BAR0 + 4 * bar;
	uint64_t base;

	if (bar >= EP_PCIFN_NUM_BARS || fn->bar_len[bar] == 0)
		return 0;
	base = get32(fn->cfg, reg) & ~(uint64_t)BAR_FLAG_MASK;
	if (fn->bar64[bar])
		base |= (uint64_t)get32(fn->cfg, reg + 4) << 32;
	return base;
}

int
ep_pcifn_counters_get(const struct ep_pcifn *fn, struct ep_pcifn_counters *c)
{
	if (fn == NULL || c == NULL)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	if (fn->model != NULL) {
		struct ep_model_stats s;

		ep_model_stats_get(fn->model, &s);
		c->violations = ep_model_violations(fn->model);
		c->elements = s.elements;
		c->aborts = s.aborts;
		c->bytes = s.bytes;
		c->doorbells = s.doorbells;
	} else {
		c->violations = ld64(&fn->blank_violations);
	}
	c->bar_writes = ld64(&fn->bar_writes);
	c->bar_reads = ld64(&fn->bar_reads);
	c->unclaimed = ld64(&fn->unclaimed);
	c->resets = __atomic_load_n(&fn->resets, __ATOMIC_RELAXED);
	return 0;
}

static int
cfg_check(const struct ep_pcifn *fn, const char *what, uint32_t off, unsigned int len)
{
	if (len != 1 && len != 2 && len != 4) {
		EP_PCI_LOG(WARNING, "%s: config %s of %u bytes at 0x%x: only 1, 2 or 4",
			fn->name, what, len, off);
		return -EINVAL;
	}
	if (off >= EP_PCIFN_CFG_SIZE || len > EP_PCIFN_CFG_SIZE - off) {
		EP_PCI_LOG(WARNING, "%s: config %s of %u bytes at 0x%x: beyond the %u-byte "
			"configuration space", fn->name, what, len, off, EP_PCIFN_CFG_SIZE);
		return -EINVAL;
	}
	if ((off & 3) + len > 4) {
		/* A configuration request addresses one dword with byte enables. */
		EP_PCI_LOG(WARNING, "%s: config %s of %u bytes at 0x%x crosses a dword",
			fn->name, what, len, off);
		return -EINVAL;
	}
	return 0;
}

/*
 * Refresh the debug counters a read of [off, off + len) covers. A read of a
 * counter's low dword latches the whole 64-bit value, so that the high dword
 * read next matches it (read low first).
 */
static void
dbg_refresh(struct ep_pcifn *fn, uint32_t off, unsigned int len)
{
	unsigned int base = fn->dbg_cap, k;
	struct ep_pcifn_counters c;
	uint64_t v[6];

	if (off + len <= base + EP_PCIFN_DBG_RESETS_OFF || off >= base + EP_PCIFN_DBG_LEN)
		return;
	ep_pcifn_counters_get(fn, &c);
	put32(fn->cfg, base + EP_PCIFN_DBG_RESETS_OFF, c.resets);
	v[0] = c.violations;
	v[1] = c.elements;
	v[2] = c.aborts;
	v[3] = c.bytes;
	v[4] = c.doorbells;
	v[5] = c.bar_writes;
	for (k = 0; k < RTE_DIM(v); k++) {
		unsigned int lo = base + EP_PCIFN_DBG_VIOL_OFF + 8 * k;

		if (off < lo + 4 && off + len > lo)
			put64(fn->cfg, lo, v[k]);
	}
}

int
ep_pcifn_cfg_read(struct ep_pcifn *fn, uint32_t off, unsigned int len, uint32_t *val)
{
	uint32_t v = 0;
	unsigned int i;
	int rc;

	rc = cfg_check(fn, "read", off, len);
	if (rc != 0) {
		*val = UINT32_MAX;
		return rc;
	}
	dbg_refresh(fn, off, len);
	for (i = 0; i < len; i++)
		v |= (uint32_t)fn->cfg[off + i] << (8 * i);
	*val = v;
	return 0;
}

int
ep_pcifn_cfg_write(struct ep_pcifn *fn, uint32_t off, unsigned int len, uint32_t val)
{
	bool ro = false;
	unsigned int i;
	int rc;

	rc = cfg_check(fn, "write", off, len);
	if (rc != 0)
		return rc;
	for (i = 0; i < len; i++) {
		uint8_t b = (uint8_t)(val >> (8 * i)), m = fn->wmask[off + i];

		if ((b & ~m) != (fn->cfg[off + i] & ~m))
			ro = true;
		fn->cfg[off + i] = (uint8_t)((fn->cfg[off + i] & ~m) | (b & m));
	}
	if (ro)
		EP_PCI_LOG(DEBUG, "%s: config write 0x%x (%u bytes) at 0x%x: read-only bits "
			"ignored", fn->name, val, len, off);
	if (off < CFG_COMMAND + 2 && off + len > CFG_COMMAND) {
		bool master = (get16(fn->cfg, CFG_COMMAND) & CMD_MASTER) != 0;

		__atomic_store_n(&fn->bus_master, master, __ATOMIC_RELEASE);
		EP_PCI_LOG(DEBUG, "%s: command 0x%04x", fn->name, get16(fn->cfg, CFG_COMMAND));
	}
	return 0;
}

static int
bar_check(const struct ep_pcifn *fn, unsigned int bar, uint64_t off, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	if (bar >= EP_PCIFN_NUM_BARS || fn->bar_len[bar] == 0)
		return -ENXIO;
	if (off >= fn->bar_len[bar] || size > fn->bar_len[bar] - off)
		return -ENXIO;
	return 0;
}

static uint64_t
ones(unsigned int size)
{
	return size >= 8 ? UINT64_MAX : (1ULL << (8 * size)) - 1;
}

int
ep_pcifn_bar_read(struct ep_pcifn *fn, unsigned int bar, uint64_t off, unsigned int size,
		uint64_t *val)
{
	int rc = bar_check(fn, bar, off, size);

	*val = ones(size);
	if (rc != 0)
		return rc;
	inc64(&fn->bar_reads);
	if (fn->kind == EP_PCIFN_BLANK) {
		*val = 0;	/* no metadata magic anywhere */
		return 0;
	}
	if (ep_model_bar_read(fn->model, bar, off, size, val) != 0) {
		/* misaligned: the model serves naturally aligned accesses only */
		EP_PCI_LOG(WARNING, "%s: BAR%u+0x%" PRIx64 ": %u-byte read not naturally "
			"aligned, completed with all-ones", fn->name, bar, off, size);
		*val = ones(size);
		return -EINVAL;
	}
	return 0;
}

int
ep_pcifn_bar_write(struct ep_pcifn *fn, unsigned int bar, uint64_t off, unsigned int size,
		uint64_t val)
{
	int rc = bar_check(fn, bar, off, size);

	if (rc != 0)
		return rc;
	inc64(&fn->bar_writes);
	if (fn->kind == EP_PCIFN_BLANK) {
		/* No driver may write a function it has not claimed. */
		uint64_t n = __atomic_add_fetch(&fn->blank_violations, 1, __ATOMIC_RELAXED);

		if (n <= UNCLAIMED_LOG_MAX)
			EP_PCI_LOG(WARNING, "%s: violation: write 0x%" PRIx64 " (%u bytes) to "
				"BAR%u+0x%" PRIx64 " of a function without DMA metadata%s",
				fn->name, val, size, bar, off, n == UNCLAIMED_LOG_MAX ?
				"; further ones are only counted" : "");
		return 0;
	}
	if (fn->pba_len != 0 && bar == fn->info.metadata_bar && off < fn->pba_off + fn->pba_len &&
			off + size > fn->pba_off) {
		/* The MSI-X Pending Bit Array is read-only. */
		EP_PCI_LOG(DEBUG, "%s: write to the MSI-X PBA at BAR%u+0x%" PRIx64 " ignored",
			fn->name, bar, off);
		return 0;
	}
	if (ep_model_bar_write(fn->model, bar, off, size, val) != 0) {
		EP_PCI_LOG(WARNING, "%s: BAR%u+0x%" PRIx64 ": %u-byte write not naturally "
			"aligned, dropped", fn->name, bar, off, size);
		return -EINVAL;
	}
	return 0;
}

/* Which BAR claims [gpa, gpa + size): memory decode on, base assigned. */
static int
decode(const struct ep_pcifn *fn, uint64_t gpa, unsigned int size, unsigned int *bar,
		uint64_t *off)
{
	unsigned int i;

	if (!(get16(fn->cfg, CFG_COMMAND) & CMD_MEMORY))
		return -ENXIO;
	for (i = 0; i < EP_PCIFN_NUM_BARS; i++) {
		uint64_t base = ep_pcifn_bar_base(fn, i), len = fn->bar_len[i];

		/* Base 0 is "unassigned" to firmware and Linux alike. */
		if (len == 0 || base == 0 || gpa < base || gpa - base >= len ||
				size > len - (gpa - base))
			continue;
		*bar = i;
		*off = gpa - base;
		return 0;
	}
	return -ENXIO;
}

static void
unclaimed(struct ep_pcifn *fn, const char *what, uint64_t gpa, unsigned int size)
{
	uint64_t n = __atomic_add_fetch(&fn->unclaimed, 1, __ATOMIC_RELAXED);

	if (n <= UNCLAIMED_LOG_MAX)
		EP_PCI_LOG(WARNING, "%s: %u-byte %s at 0x%" PRIx64 " is in no BAR (memory "
			"decode %s)%s", fn->name, size, what, gpa,
			(get16(fn->cfg, CFG_COMMAND) & CMD_MEMORY) ? "on" : "off",
			n == UNCLAIMED_LOG_MAX ? "; further ones are only counted" : "");
}

int
ep_pcifn_mem_read(struct ep_pcifn *fn, uint64_t gpa, unsigned int size, uint64_t *val)
{
	unsigned int bar;
	uint64_t off;

	*val = ones(size);
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	if (decode(fn, gpa, size, &bar, &off) != 0) {
		unclaimed(fn, "read", gpa, size);
		return -ENXIO;
	}
	return ep_pcifn_bar_read(fn, bar, off, size, val);
}

int
ep_pcifn_mem_write(struct ep_pcifn *fn, uint64_t gpa, unsigned int size, uint64_t val)
{
	unsigned int bar;
	uint64_t off;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	if (decode(fn, gpa, size, &bar, &off) != 0) {
		unclaimed(fn, "write", gpa, size);
		return -ENXIO;
	}
	return ep_pcifn_bar_write(fn, bar, off, size, val);
}

void
ep_pcifn_reset(struct ep_pcifn *fn)
{
	memcpy(fn->cfg, fn->power_on, sizeof(fn->cfg));
	__atomic_store_n(&fn->bus_master, false, __ATOMIC_RELEASE);
	__atomic_fetch_add(&fn->resets, 1, __ATOMIC_RELAXED);
	/*
	 * A reset from the host side takes the endpoint controller through its
	 * reset too: the endpoint function runs epc_deinit and epc_init
	 * (hardware reference B.4), so the next driver finds HOST_REQ and READY
	 * clear and handshakes again, as after a host reboot on silicon.
	 */
	if (fn->model != NULL)
		ep_model_reinit(fn->model);
	EP_PCI_LOG(INFO, "%s: reset", fn->name);
}

/* No engine pass that started before this call is still running after it. */
static void
model_barrier(void *ctx)
{
	struct ep_pcifn *fn = ctx;
	struct ep_model_stats s;

	/* Every model call takes the lock the engine holds during a pass. */
	ep_model_stats_get(fn->model, &s);
}

int
ep_pcifn_host_mem_set(struct ep_pcifn *fn, const struct ep_guest_mem_region *r,
		unsigned int n)
{
	if (fn->kind != EP_PCIFN_DMA) {
		/* It masters nothing: no need to map the guest's RAM. */
		return 0;
	}
	return ep_guest_mem_set(fn->mem, r, n, model_barrier, fn);
}
