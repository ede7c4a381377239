/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_PCIFN_H
#define EP_PCIFN_H

/**
 * @file
 * One PCI function as a host sees it over a link: a type-0 configuration
 * space and memory BARs, independent of how the accesses arrive.
 *
 * A "dma" function wraps an endpoint model instance (ep_model.h): its BARs
 * are the model's BARs, every BAR access is applied to the model at once and
 * in order (ep_model_bar_read/write), and the model's DMA reaches host memory
 * through an ep_guest_mem table (guest-physical addresses). A "blank"
 * function is a class 0x0801 function without the endpoint DMA metadata,
 * such as another endpoint function sharing the device; it counts every BAR
 * write it receives as a violation, since a driver must leave it alone.
 *
 * This API is the seam between a function and its transport: a transport
 * (QEMU's multi-process link in ep_mpqemu.c, a vfio-user server later)
 * only calls the functions in the "transport side" section below.
 */

#include <stdbool.h>
#include <stdint.h>

#include "ep_guest_mem.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EP_PCIFN_NUM_BARS 6
/** Configuration space served: 4 KiB; the extended part reads 0. */
#define EP_PCIFN_CFG_SIZE 4096u
/** Default class code: DMA controller (0x08, 0x01), prog-if 0 (hardware reference B.1). */
#define EP_PCIFN_CLASS_DMA 0x080100u
/** Default threshold at which a BAR is presented as 64-bit. */
#define EP_PCIFN_BAR64_MIN_DEFAULT (256ULL << 20)

/** Debug capability (model only, vendor-specific, cap ID 0x09) layout. */
#define EP_PCIFN_DBG_SIG	0x444d5045u	/* "EPMD" */
#define EP_PCIFN_DBG_LEN	0x40u
#define EP_PCIFN_DBG_VERSION	1u
#define EP_PCIFN_DBG_SIG_OFF	0x04u
#define EP_PCIFN_DBG_KIND_OFF	0x08u	/* u8 kind (0 blank, 1 dma), u8 func */
#define EP_PCIFN_DBG_RESETS_OFF	0x0cu	/* u32 device resets served */
#define EP_PCIFN_DBG_VIOL_OFF	0x10u	/* u64 each from here on */
#define EP_PCIFN_DBG_ELEM_OFF	0x18u
#define EP_PCIFN_DBG_ABORT_OFF	0x20u
#define EP_PCIFN_DBG_BYTES_OFF	0x28u
#define EP_PCIFN_DBG_DB_OFF	0x30u
#define EP_PCIFN_DBG_BARWR_OFF	0x38u

enum ep_pcifn_kind {
	EP_PCIFN_DMA,	/**< the endpoint DMA function (an ep_model) */
	EP_PCIFN_BLANK,	/**< class 0x0801, no metadata, must not be written */
};

/** PCI Express capability presented. */
enum ep_pcifn_pcie {
	EP_PCIFN_PCIE_NONE,	/**< none: a conventional function */
	EP_PCIFN_PCIE_RCIEP,	/**< root complex integrated endpoint (no link) */
	EP_PCIFN_PCIE_ENDPOINT,	/**< endpoint with an x1 link, as behind a port */
};

struct ep_pcifn_opts {
	enum ep_pcifn_kind kind;
	/** Instance name (also the model's name); required. */
	const char *name;
	/** dma: ep_model "key=value,..." configuration; may be NULL. */
	const char *model_args;
	/** blank: PCI function number it is presented at (dma: the model's func). */
	unsigned int func;
	/**
	 * dma: PCI function number it is presented at when that deliberately
	 * differs from the model's func, the requester function its DMA
	 * accepts (a negative test: every DMA of the function then faults);
	 * -1 (the default): the model's func.
	 */
	int pci_func;
	uint16_t vendor, device, subsys_vendor, subsys;
	uint8_t revision;
	uint32_t class_code;	/**< 24 bits: base, sub, prog-if */
	bool multifunction;	/**< header type bit 7 */
	enum ep_pcifn_pcie pcie;
	/** A BAR at least this long is 64-bit (two slots); smaller: 32-bit. */
	uint64_t bar64_min;
	/** blank: BAR lengths (power of two, >= 4 KiB; 0 = absent). */
	uint64_t blank_bar_len[EP_PCIFN_NUM_BARS];
};

/** Debug counters, as the debug capability presents them. */
struct ep_pcifn_counters {
	uint64_t violations;	/**< model violations; blank: BAR writes */
	uint64_t elements;	/**< data elements completed */
	uint64_t aborts;
	uint64_t bytes;
	uint64_t doorbells;
	uint64_t bar_writes;	/**< BAR writes served (blank: received) */
	uint64_t bar_reads;
	uint64_t unclaimed;	/**< accesses no BAR decoded (read all-ones) */
	uint32_t resets;	/**< device resets served */
};

struct ep_pcifn;

/** Defaults: class 0x080100, IDs 0x16c3:0xed01 (blank 0xed00), RCiEP, 256 MiB. */
void ep_pcifn_opts_init(struct ep_pcifn_opts *o, enum ep_pcifn_kind kind);

/**
 * Create a function (and for "dma" its model, threaded or not as the model
 * arguments say). Fails, with the reason logged, on a bad model
 * configuration or BARs that cannot be presented (a 64-bit BAR whose upper
 * slot the model uses for another BAR, a 64-bit BAR5).
 * @return the function, or NULL with rte_errno set.
 */
struct ep_pcifn *ep_pcifn_create(const struct ep_pcifn_opts *o);

/** Destroy the function and its model; unmaps host memory. */
void ep_pcifn_destroy(struct ep_pcifn *fn);

/** Function number it must be presented at (the model's func for dma). */
unsigned int ep_pcifn_func(const struct ep_pcifn *fn);
enum ep_pcifn_kind ep_pcifn_kind_get(const struct ep_pcifn *fn);
const char *ep_pcifn_name(const struct ep_pcifn *fn);
/** The model of a dma function (NULL for blank), e.g. to poll it in tests. */
struct ep_model *ep_pcifn_model(const struct ep_pcifn *fn);
/** BAR length as presented (0: absent), and whether it is 64-bit. */
uint64_t ep_pcifn_bar_len(const struct ep_pcifn *fn, unsigned int bar, bool *is64);
/** Guest-physical base programmed in BAR bar (0: unassigned). */
uint64_t ep_pcifn_bar_base(const struct ep_pcifn *fn, unsigned int bar);
int ep_pcifn_counters_get(const struct ep_pcifn *fn, struct ep_pcifn_counters *c);
/** Host memory table the function's DMA resolves through. */
struct ep_guest_mem *ep_pcifn_guest_mem(const struct ep_pcifn *fn);

/* ---- Transport side ---- */

/**
 * Configuration read of len (1, 2 or 4) bytes at off, not crossing a
 * dword; off + len <= EP_PCIFN_CFG_SIZE. @return 0, or -EINVAL (logged).
 */
int ep_pcifn_cfg_read(struct ep_pcifn *fn, uint32_t off, unsigned int len, uint32_t *val);

/** Configuration write; read-only bits are ignored. @return 0 or -EINVAL. */
int ep_pcifn_cfg_write(struct ep_pcifn *fn, uint32_t off, unsigned int len, uint32_t val);

/**
 * Memory read at guest-physical address gpa, size 1, 2, 4 or 8: decoded
 * against the programmed BARs (memory decode enabled) and applied to the
 * model synchronously. @return 0 when a BAR served it, -ENXIO when none
 * did (*val all-ones, as an unsupported request completes), -EINVAL for a
 * bad size (*val all-ones).
 */
int ep_pcifn_mem_read(struct ep_pcifn *fn, uint64_t gpa, unsigned int size, uint64_t *val);

/** Memory write; a write no BAR decodes is dropped. Returns as mem_read. */
int ep_pcifn_mem_write(struct ep_pcifn *fn, uint64_t gpa, unsigned int size, uint64_t val);

/**
 * BAR-relative accesses, for a transport that addresses BARs by index
 * (vfio-user regions). Same semantics as the above without the decode.
 */
int ep_pcifn_bar_read(struct ep_pcifn *fn, unsigned int bar, uint64_t off,
		unsigned int size, uint64_t *val);
int ep_pcifn_bar_write(struct ep_pcifn *fn, unsigned int bar, uint64_t off,
		unsigned int size, uint64_t val);

/**
 * The host reset the function (conventional reset: system reset or a bus
 * reset): configuration registers return to their power-on values and the
 * endpoint re-initialises the function as its epc_deinit/epc_init do
 * (ep_model_reinit()). Debug counters are kept.
 */
void ep_pcifn_reset(struct ep_pcifn *fn);

/**
 * Replace the host memory the function's DMA reaches (the guest RAM map).
 * The file descriptors stay the caller's. Returns once no DMA uses the old
 * map. @return 0 or a negative errno (the map is then empty: DMA aborts).
 */
int ep_pcifn_host_mem_set(struct ep_pcifn *fn, const struct ep_guest_mem_region *r,
		unsigned int n);

#ifdef __cplusplus
}
#endif

#endif /* EP_PCIFN_H */
