/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_MODEL_H
#define EP_MODEL_H

/**
 * @file
 * Software model of a DesignWare PCIe endpoint function that delegates
 * eDMA/HDMA channels to its host (the "PCI DMA function", pci-epf-dma).
 *
 * The model creates, in process memory, the host-visible face of the
 * function: its BARs (metadata blob, DMA register window, one descriptor
 * window per delegated channel), endpoint-local memory, and a DMA engine
 * running in its own thread that walks the linked lists the host writes.
 * A host driver reaches it only through the BAR mappings returned by
 * ep_model_bar_get(), exactly as it reaches silicon.
 *
 * Configuration is a "key=value,..." string (rte_kvargs syntax); every key
 * is documented in doc/guides/ep_model/ep_model.rst.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of BARs of a PCI function. */
#define EP_MODEL_NUM_BARS 6

/** Channel direction, named as the DesignWare databook does. */
enum ep_model_dir {
	/** "Write" channel: endpoint memory to host memory. */
	EP_MODEL_DIR_WR = 0,
	/** "Read" channel: host memory to endpoint memory. */
	EP_MODEL_DIR_RD = 1,
};

/** DesignWare register map formats (metadata LAYOUT_DATA). */
enum ep_model_map_format {
	EP_MODEL_MF_EDMA_LEGACY = 0x0, /**< offered only to test rejection */
	EP_MODEL_MF_EDMA_UNROLL = 0x1,
	EP_MODEL_MF_HDMA_COMPAT = 0x5,
	EP_MODEL_MF_HDMA_NATIVE = 0x7,
};

/** Opaque model instance. */
struct ep_model;

/** A BAR as the host sees it once mapped. */
struct ep_model_bar {
	void *addr;    /**< host virtual address of BAR offset 0 */
	uint64_t len;  /**< BAR length in bytes; 0 when the BAR is absent */
};

/** Static facts about a model instance. */
struct ep_model_info {
	const char *name;            /**< instance name */
	enum ep_model_map_format map_format;
	uint8_t func_num;            /**< requester function number it expects */
	uint8_t wr_delegated;        /**< delegated write channels (prefix) */
	uint8_t rd_delegated;        /**< delegated read channels (prefix) */
	uint8_t wr_hw;               /**< write channels the hardware has */
	uint8_t rd_hw;               /**< read channels the hardware has */
	uint8_t metadata_bar;        /**< BAR holding the PEDM blob */
	void *ep_mem;                /**< host pointer to endpoint memory */
	uint64_t ep_mem_addr;        /**< endpoint-local base of that memory */
	uint64_t ep_mem_size;        /**< its size in bytes */
	uint64_t outbound_base;      /**< endpoint-local base of the outbound
				      *   window to host memory, 0 if none */
	uint64_t outbound_size;      /**< its size, 0 if none */
	bool threaded;               /**< engine runs in its own thread */
	uint32_t meta_len;           /**< bytes of the metadata blob (or image) */
	uint32_t msix_vectors;       /**< MSI-X table entries, 0 without msix=1 */
	uint32_t msix_table_off;     /**< MSI-X table offset in the metadata BAR */
	uint32_t msix_pba_off;       /**< MSI-X PBA offset in the metadata BAR */
	bool exports_pedm;           /**< the PEDM metadata blob is published */
	bool exports_epdm;           /**< an EPDM v1 slice is published (hardware reference F) */
	uint8_t slice_bar;           /**< EPDM: BAR holding the slice */
	int8_t ntb_bar;              /**< EPDM: BAR of the vNTB control region
				      *   (locator at 0x154), -1 if none */
	uint32_t slice_off;          /**< EPDM: slice offset in its BAR */
	uint32_t slice_size;         /**< EPDM: slice size (header total_size) */
};

/** Counters of what the engine did. */
struct ep_model_stats {
	uint64_t elements;        /**< data elements completed */
	uint64_t bytes;           /**< payload bytes moved */
	uint64_t doorbells;       /**< doorbells the engine acted on */
	uint64_t doorbells_lost;  /**< doorbells dropped by the quirk */
	uint64_t aborts;          /**< channel aborts (any cause) */
	uint64_t host_writes;     /**< register writes observed from the host */
	uint64_t violations;      /**< host writes outside what was delegated */
	uint64_t imwr;            /**< interrupt memory writes sent to the host */
	uint64_t imwr_faults;     /**< of those, to an address the host IOMMU
				     *   does not map (dropped, as the host's
				     *   IOMMU would) */
	uint64_t doorbells_ignored; /**< doorbells for a channel not enabled
				     *   (engine_en/pwr_en/ch_en or LLE off),
				     *   or halted by an abort the host has not
				     *   cleared */
};

/**
 * Create a model instance.
 *
 * @param name
 *   Unique instance name (a simulation vdev uses its own name).
 * @param args
 *   "key=value,..." configuration; NULL or "" for defaults.
 * @return
 *   The instance, or NULL with rte_errno set (EINVAL for a bad key or value,
 *   EEXIST for a duplicate name, ENOMEM); the reason is logged naming the
 *   key and value.
 */
struct ep_model *ep_model_create(const char *name, const char *args);

/**
 * How a model instance reaches the world around it. Every member may be
 * NULL: the defaults serve an in-process host driver (BARs in anonymous
 * memory, host addresses resolved in DPDK's registered memory).
 */
struct ep_model_env {
	/**
	 * Resolve host bus address range [addr, addr + len) for a DMA of the
	 * engine: a pointer to it, or NULL when the host's IOMMU would fault
	 * (the element then aborts). Called with the model's lock held, from
	 * the engine; must not call back into the model. The engine uses the
	 * pointer only until it releases that lock, and every API call on the
	 * instance takes the lock: once any such call returns, no pointer
	 * resolved before it is in use, so a caller that changes what
	 * host_resolve returns may release the old memory then.
	 */
	void *(*host_resolve)(void *ctx, uint64_t addr, uint64_t len);
	void *host_ctx;
	/** Allocate the memory of BAR bar (len bytes, zeroed); NULL on failure. */
	void *(*bar_alloc)(void *ctx, unsigned int bar, uint64_t len);
	/** Release what bar_alloc returned. */
	void (*bar_free)(void *ctx, unsigned int bar, void *addr, uint64_t len);
	void *bar_ctx;
};

/**
 * Create a model instance with an environment (see struct ep_model_env);
 * env may be NULL. Otherwise as ep_model_create(). The environment is
 * copied.
 */
struct ep_model *ep_model_create_ext(const char *name, const char *args,
		const struct ep_model_env *env);

/**
 * Read a BAR as one PCIe memory read would: size 1, 2, 4 or 8 bytes at a
 * naturally aligned offset. The model has acted on every earlier write
 * made through ep_model_bar_write(), so the value is coherent with them
 * (a read cannot pass a posted write on the link). While the link is down
 * the read returns all-ones.
 * @return 0, or -EINVAL (no such BAR, offset outside it, bad size or
 * alignment).
 */
int ep_model_bar_read(struct ep_model *m, unsigned int bar, uint64_t off,
		unsigned int size, uint64_t *val);

/**
 * Write a BAR as one PCIe memory write would (same sizes and alignment as
 * ep_model_bar_read()): the bytes are stored and, before the call returns,
 * the model acts on them exactly as its engine acts on a write it notices
 * in memory (a doorbell starts the channel, an int_clear clears status,
 * HOST_REQ is seen, ownership is checked). A write to a register word
 * narrower than 32 bits merges into that word first. While the link is
 * down the write is dropped, as a posted write to a vanished device is.
 * @return 0 or -EINVAL.
 */
int ep_model_bar_write(struct ep_model *m, unsigned int bar, uint64_t off,
		unsigned int size, uint64_t val);

/**
 * Release the function as the endpoint's unbind does: quiesce the channels,
 * clear HOST_REQ and READY, stop the engine, free everything.
 */
void ep_model_destroy(struct ep_model *m);

/** Find an instance by name; NULL if there is none. */
struct ep_model *ep_model_find(const char *name);

/**
 * NULL-terminated list of the configuration keys the model accepts, so that
 * a caller sharing a devargs string can tell its own keys from the model's.
 */
extern const char *const ep_model_keys[];

/** Get a BAR. @return 0, or -ENOENT if the BAR is absent, -EINVAL. */
int ep_model_bar_get(const struct ep_model *m, unsigned int bar,
		struct ep_model_bar *out);

/** Get the static facts of an instance. @return 0 or -EINVAL. */
int ep_model_info_get(const struct ep_model *m,
		struct ep_model_info *info);

/**
 * Host pointer for [ep_addr, ep_addr + len) of endpoint memory, or NULL when
 * the range is not wholly inside it. For tests and apps that fill or check
 * endpoint-side buffers.
 */
void *ep_model_ep_ptr(const struct ep_model *m, uint64_t ep_addr,
		uint64_t len);

/**
 * Run one pass of the engine from the caller's thread: notice register
 * writes, advance the handshake, process at most one element per running
 * channel. Only for instances created with "thread=0" (deterministic tests).
 * @return number of channel steps that did something (a data element moved,
 * a link followed, a channel stopped or aborted), 0 when the engine had
 * nothing to do (poll until 0 to run it dry), or -EBUSY when the engine runs
 * in its own thread. Count data elements with ep_model_stats_get().
 */
int ep_model_poll(struct ep_model *m);

/**
 * Advance the model's clock (thread=0 only): pending timed events (the
 * handshake poll period, scheduled link events) are evaluated against the
 * model clock, which in thread=0 mode moves only through this call, so
 * timing tests are deterministic. The clock saturates at 2^62 ns.
 * @return 0 or -EBUSY.
 */
int ep_model_advance_us(struct ep_model *m, uint64_t us);

/**
 * Wait until the model has acted on every host write to its BARs made
 * before the call: the engine has scanned all its registers since. Host
 * writes reach the in-process model as plain stores its engine notices
 * later; tests that look at the model's state right after writing use this
 * instead of a sleep. With thread=0 the scan is done here.
 * @return 0, -ETIMEDOUT when the engine did not scan within timeout_ms
 * (link down: the engine does not scan), -EINVAL.
 */
int ep_model_sync(struct ep_model *m, unsigned int timeout_ms);

/** Get the engine counters. */
int ep_model_stats_get(const struct ep_model *m,
		struct ep_model_stats *stats);

/** Number of host writes outside what was delegated since creation/clear. */
uint64_t ep_model_violations(const struct ep_model *m);

/**
 * Readable description of recorded violation idx (the first few are kept),
 * e.g. "write 0x00000001 to 0x00c wr_engine_en: direction WR not delegated".
 * @return 0, or -ENOENT when idx is beyond the recorded ones.
 */
int ep_model_violation_get(const struct ep_model *m, unsigned int idx,
		char *buf, size_t len);

/** Forget recorded violations. */
void ep_model_violations_clear(struct ep_model *m);

/**
 * Fault injection: abort the nth data element (0 = the next one) that
 * channel (dir, ch) processes from now on, as a completer abort would
 * (read channels latch the completer-abort cause, write channels only
 * ABORT). @return 0, or -EINVAL when (dir, ch) is not delegated.
 */
int ep_model_inject_abort(struct ep_model *m, enum ep_model_dir dir,
		unsigned int ch, uint32_t nth);

/**
 * Fault injection: let the nth data element (0 = the next one) of channel
 * (dir, ch) complete normally but flip one byte of its destination, as
 * silent corruption on the link would. For testing data verification.
 */
int ep_model_inject_corruption(struct ep_model *m,
		enum ep_model_dir dir, unsigned int ch, uint32_t nth);

/**
 * Link down (up=false): READY drops, running channels stop, and while the
 * link is down every host read of any BAR returns all-ones. Link up: the
 * engine comes back reset (channel registers cleared, LLP 0), HOST_REQ is
 * kept, and READY returns on the model's next handshake poll.
 */
int ep_model_link_set(struct ep_model *m, bool up);

/**
 * Drop (false) or restore (true) READY without a link event. A drop clears
 * only READY (the engine keeps its state and keeps running) and holds it
 * clear; a restore sets it at once if HOST_REQ is set, else at the next
 * handshake poll after the host sets HOST_REQ.
 */
int ep_model_ready_set(struct ep_model *m, bool ready);

/**
 * Re-initialise the endpoint function, as the endpoint's epc_deinit followed by
 * epc_init does (hardware reference B.4): the channels are quiesced (a running
 * channel stops), HOST_REQ and READY are cleared (atomically: the host may be
 * writing the CTRL word), the metadata blob is written again as at creation (or
 * the loaded metadata_file image restored) with both bits clear, the register
 * window comes back reset as after a link up, a READY drop held by
 * ep_model_ready_set(false) is forgotten, and the poll work restarts: READY is
 * set only after the host sets HOST_REQ again, at the first poll one
 * ready_poll_ms period or more from now. Descriptor windows and endpoint memory
 * keep their contents. While the link is down the re-init is remembered and
 * takes effect when the link comes back up. Host writes to the register window
 * while READY is 0 are violations, as always.
 * @return 0, or -EINVAL when m is NULL.
 */
int ep_model_reinit(struct ep_model *m);

/**
 * Fault injection: pause the engine for us microseconds from now (0 ends a
 * pause), as a descheduled engine thread or a stalled fabric would: no
 * element moves and no register write is noticed, doorbells included (a
 * doorbell written meanwhile is acted on after the pause, several merge
 * into one); channel status reads as it was. The endpoint's handshake work
 * and scheduled link/READY events go on. With thread=0 the pause is on the
 * model clock (ep_model_advance_us()). @return 0, or -EINVAL.
 */
int ep_model_pause(struct ep_model *m, uint64_t us);

/**
 * Timing: per-element latency in nanoseconds and a bandwidth limit in bytes
 * per second (0 = unlimited). Both default to 0 (as fast as memcpy).
 */
int ep_model_timing_set(struct ep_model *m, uint64_t element_ns,
		uint64_t bytes_per_sec);

#ifdef __cplusplus
}
#endif

#endif /* EP_MODEL_H */
