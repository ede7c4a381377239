/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef EP_TRANSPORT_H
#define EP_TRANSPORT_H

/**
 * @file
 * How a PCI function (ep_pcifn.h) is served to a virtual machine monitor.
 * A transport turns the monitor's messages into ep_pcifn calls and nothing
 * else: the function and the model do not know which transport serves them.
 * QEMU 7.2's multi-process link (x-pci-proxy-dev) is the one implemented;
 * a vfio-user server (QEMU 10.1+) would be another set of these operations.
 */

#include "ep_pcifn.h"

#ifdef __cplusplus
extern "C" {
#endif

/** serve() result: the monitor closed the connection. */
#define EP_TRANSPORT_CLOSED 1

struct ep_transport_ops {
	const char *name;
	/**
	 * Serve fn on the connected socket fd, which the connection now owns.
	 * @return the connection, or NULL (fd closed, reason logged).
	 */
	void *(*attach)(int fd, struct ep_pcifn *fn);
	/** The descriptor to wait on for the next request. */
	int (*pollfd)(void *conn);
	/**
	 * Serve one request (blocking until it is complete and answered).
	 * @return 0 when served, EP_TRANSPORT_CLOSED when the monitor closed
	 * the connection cleanly, or a negative errno on a protocol error
	 * (logged; the connection is then unusable and should be detached).
	 */
	int (*serve)(void *conn);
	/** Close the connection and everything it holds (not the function). */
	void (*detach)(void *conn);
};

/** QEMU's multi-process link (docs/devel/multi-process.rst in QEMU). */
extern const struct ep_transport_ops ep_mpqemu_transport;

#ifdef __cplusplus
}
#endif

#endif /* EP_TRANSPORT_H */
