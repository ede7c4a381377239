/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_MPQEMU_H
#define EP_MPQEMU_H

/**
 * @file
 * QEMU's multi-process link, as spoken by QEMU 7.2's x-pci-proxy-dev
 * (hw/remote/ in QEMU), described here in our own terms. It is a private
 * protocol over a connected AF_UNIX stream socket; both ends run on the same
 * host, so fields are in the host's byte order and C layout (LP64).
 *
 * Every message is a 16-byte header {int32 cmd; 4 bytes padding; uint64
 * size} followed by size bytes of payload (at most 192), with file
 * descriptors attached as SCM_RIGHTS ancillary data (at most 8).
 *
 * Commands from the proxy and whether it waits for a reply (EP_MPQ_CMD_RET
 * with an 8-byte value):
 *  - SYNC_SYSMEM (0): guest RAM map, one fd per range; no reply.
 *  - PCI_CFGWRITE (2), PCI_CFGREAD (3): configuration access {u32 addr,
 *    u32 val, int32 len}; reply (the value read).
 *  - BAR_WRITE (4), BAR_READ (5): memory or I/O access {u64 addr (the
 *    guest-physical address: BAR base as programmed plus offset), u64 val,
 *    u32 size, bool memory}; reply (the value read).
 *  - SET_IRQFD (6): two eventfds (INTx, resample); no payload, no reply.
 *  - DEVICE_RESET (7): no payload; reply.
 */

#include <stdint.h>

#include "ep_transport.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ep_mpq_cmd {
	EP_MPQ_CMD_SYNC_SYSMEM = 0,
	EP_MPQ_CMD_RET = 1,
	EP_MPQ_CMD_PCI_CFGWRITE = 2,
	EP_MPQ_CMD_PCI_CFGREAD = 3,
	EP_MPQ_CMD_BAR_WRITE = 4,
	EP_MPQ_CMD_BAR_READ = 5,
	EP_MPQ_CMD_SET_IRQFD = 6,
	EP_MPQ_CMD_DEVICE_RESET = 7,
	EP_MPQ_CMD_MAX = 8,
};

#define EP_MPQ_MAX_FDS 8

/* Wire layout (LP64). */
struct ep_mpq_hdr {
	int32_t cmd;
	uint32_t pad;
	uint64_t size;
};

struct ep_mpq_conf {
	uint32_t addr;
	uint32_t val;
	int32_t len;
};

struct ep_mpq_bar {
	uint64_t addr;
	uint64_t val;
	uint32_t size;
	uint8_t memory;
	uint8_t pad[3];
};

struct ep_mpq_sysmem {
	uint64_t gpa[EP_MPQ_MAX_FDS];
	uint64_t size[EP_MPQ_MAX_FDS];
	int64_t offset[EP_MPQ_MAX_FDS];
};

union ep_mpq_payload {
	uint64_t u64;
	struct ep_mpq_conf conf;
	struct ep_mpq_bar bar;
	struct ep_mpq_sysmem sysmem;
};

#define EP_MPQ_HDR_SIZE 16u
#define EP_MPQ_MAX_PAYLOAD 192u

#ifdef __cplusplus
}
#endif

#endif /* EP_MPQEMU_H */
