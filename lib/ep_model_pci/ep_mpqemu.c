/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Device side of QEMU's multi-process link (see ep_mpqemu.h for the
 * protocol). One connection serves one PCI function; requests are served
 * one at a time, in order, each answered before the next is read: the
 * proxy holds the guest's vCPU until the reply comes, so a BAR write has
 * been applied to the model before any later access of the guest is seen,
 * as on a PCIe link.
 *
 * Input is checked before it is used. A message that breaks the framing or
 * the protocol (unknown command, payload or descriptor count that does not
 * fit the command) ends the connection with an error naming what was wrong:
 * past such a message the stream cannot be trusted, and QEMU's own device
 * side gives up on the connection in that case too. A well-formed request
 * the function cannot serve (an odd configuration access, a BAR access no
 * BAR decodes) is answered as hardware answers it, all-ones.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <rte_common.h>

#include "ep_mpqemu.h"
#include "ep_pci_log.h"

/* The header carries a size_t: the layout is LP64's. */
_Static_assert(sizeof(size_t) == 8, "QEMU's multi-process header needs LP64");
_Static_assert(sizeof(struct ep_mpq_hdr) == EP_MPQ_HDR_SIZE, "header layout");
_Static_assert(sizeof(struct ep_mpq_conf) == 12, "config access layout");
_Static_assert(sizeof(struct ep_mpq_bar) == 24 &&
	offsetof(struct ep_mpq_bar, memory) == 20, "BAR access layout");
_Static_assert(sizeof(struct ep_mpq_sysmem) == EP_MPQ_MAX_PAYLOAD, "sysmem layout");
_Static_assert(sizeof(union ep_mpq_payload) == EP_MPQ_MAX_PAYLOAD, "payload size");

/* Room for more descriptors than a message may carry, to report excess. */
#define RX_FDS_MAX 16

struct mpq_conn {
	int fd;
	struct ep_pcifn *fn;
	int irqfd[2];		/* INTx eventfd and its resample fd, kept */
	uint64_t served;
};

static const char *const cmd_names[EP_MPQ_CMD_MAX] = {
	[EP_MPQ_CMD_SYNC_SYSMEM] = "SYNC_SYSMEM",
	[EP_MPQ_CMD_RET] = "RET",
	[EP_MPQ_CMD_PCI_CFGWRITE] = "PCI_CFGWRITE",
	[EP_MPQ_CMD_PCI_CFGREAD] = "PCI_CFGREAD",
	[EP_MPQ_CMD_BAR_WRITE] = "BAR_WRITE",
	[EP_MPQ_CMD_BAR_READ] = "BAR_READ",
	[EP_MPQ_CMD_SET_IRQFD] = "SET_IRQFD",
	[EP_MPQ_CMD_DEVICE_RESET] = "DEVICE_RESET",
};

static void
close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int
proto_error(struct mpq_conn *c, int *fds, unsigned int nfds, const char *fmt, ...)
	__rte_format_printf(4, 5);

static int
proto_error(struct mpq_conn *c, int *fds, unsigned int nfds, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	EP_PCI_LOG(ERR, "%s: malformed message from QEMU, closing the connection: %s",
		ep_pcifn_name(c->fn), msg);
	close_fds(fds, nfds);
	return -EPROTO;
}

/*
 * Read exactly len bytes, keeping every descriptor that arrives with them.
 * Returns 1 when len bytes were read, 0 at end of stream (*got says how
 * many bytes came before it), or a negative errno.
 */
static int
read_full(struct mpq_conn *c, void *buf, size_t len, int *fds, unsigned int *nfds,
		bool *excess, size_t *got)
{
	size_t done = 0;

	while (done < len) {
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(RX_FDS_MAX * sizeof(int))];
		} ctl;
		struct iovec iov = { .iov_base = (char *)buf + done, .iov_len = len - done };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
		};
		struct cmsghdr *cm;
		ssize_t r;

		r = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*got = done;
			return -errno;
		}
		for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
			size_t i, n;

			if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
				continue;
			n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (i = 0; i < n; i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(fd));
				if (*nfds < RX_FDS_MAX) {
					fds[(*nfds)++] = fd;
				} else {
					close(fd);
					*excess = true;
				}
			}
		}
		/* The kernel dropped descriptors that did not fit. */
		if (mh.msg_flags & MSG_CTRUNC)
			*excess = true;
		if (r == 0) {
			*got = done;
			return 0;
		}
		done += (size_t)r;
	}
	*got = done;
	return 1;
}

static int
reply(struct mpq_conn *c, uint64_t val)
{
	struct {
		struct ep_mpq_hdr h;
		uint64_t val;
	} m;
	size_t done = 0;

	memset(&m, 0, sizeof(m));
	m.h.cmd = EP_MPQ_CMD_RET;
	m.h.size = sizeof(m.val);
	m.val = val;
	while (done < sizeof(m)) {
		ssize_t r = send(c->fd, (char *)&m + done, sizeof(m) - done, MSG_NOSIGNAL);

		if (r < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			EP_PCI_LOG(ERR, "%s: cannot send a reply to QEMU: %s",
				ep_pcifn_name(c->fn), strerror(err));
			return -err;
		}
		done += (size_t)r;
	}
	return 0;
}

/* Payload size and descriptor count each command must come with. */
static int
check_shape(struct mpq_conn *c, const struct ep_mpq_hdr *h, int *fds, unsigned int nfds)
{
	const char *name = cmd_names[h->cmd];
	uint64_t want_size = 0;
	unsigned int fds_min = 0, fds_max = 0;

	switch (h->cmd) {
	case EP_MPQ_CMD_SYNC_SYSMEM:
		want_size = sizeof(struct ep_mpq_sysmem);
		fds_min = 1;
		fds_max = EP_MPQ_MAX_FDS;
		break;
	case EP_MPQ_CMD_RET:
		return proto_error(c, fds, nfds, "RET is a reply; the device never "
			"asked for one");
	case EP_MPQ_CMD_PCI_CFGWRITE:
	case EP_MPQ_CMD_PCI_CFGREAD:
		want_size = sizeof(struct ep_mpq_conf);
		break;
	case EP_MPQ_CMD_BAR_WRITE:
	case EP_MPQ_CMD_BAR_READ:
		want_size = sizeof(struct ep_mpq_bar);
		break;
	case EP_MPQ_CMD_SET_IRQFD:
		fds_min = fds_max = 2;
		break;
	default:	/* DEVICE_RESET */
		break;
	}
	if (h->size != want_size)
		return proto_error(c, fds, nfds, "%s with a %" PRIu64 "-byte payload, "
			"expected %" PRIu64, name, h->size, want_size);
	if (nfds < fds_min || nfds > fds_max)
		return proto_error(c, fds, nfds, "%s with %u file descriptors, expected "
			"%u..%u", name, nfds, fds_min, fds_max);
	return 0;
}

static int
do_cfg(struct mpq_conn *c, bool write, const struct ep_mpq_conf *cf)
{
	uint32_t v = 0;
	int rc;

	/* A negative length turns huge here, and is refused as such. */
	if (write)
		rc = ep_pcifn_cfg_write(c->fn, cf->addr, (unsigned int)cf->len, cf->val);
	else
		rc = ep_pcifn_cfg_read(c->fn, cf->addr, (unsigned int)cf->len, &v);
	/* QEMU reports UINT64_MAX as a failed configuration access. */
	return reply(c, rc != 0 ? UINT64_MAX : (uint64_t)v);
}

static int
do_bar(struct mpq_conn *c, bool write, const struct ep_mpq_bar *b, int *fds)
{
	uint64_t v = UINT64_MAX;

	if (b->memory > 1)
		return proto_error(c, fds, 0, "BAR access with memory flag %u (a bool)",
			b->memory);
	if (b->size != 1 && b->size != 2 && b->size != 4 && b->size != 8) {
		EP_PCI_LOG(WARNING, "%s: %s of %u bytes at 0x%" PRIx64 ": only 1, 2, 4 or 8",
			ep_pcifn_name(c->fn), write ? "BAR write" : "BAR read", b->size,
			b->addr);
		return reply(c, UINT64_MAX);
	}
	if (!b->memory) {
		/* The function has no I/O BARs: nothing answers. */
		EP_PCI_LOG(WARNING, "%s: I/O %s at 0x%" PRIx64 " ignored: no I/O BAR",
			ep_pcifn_name(c->fn), write ? "write" : "read", b->addr);
		return reply(c, write ? 0 : UINT64_MAX);
	}
	if (write) {
		ep_pcifn_mem_write(c->fn, b->addr, b->size, b->val);
		return reply(c, 0);
	}
	ep_pcifn_mem_read(c->fn, b->addr, b->size, &v);
	return reply(c, v);
}

static void
do_sysmem(struct mpq_conn *c, const struct ep_mpq_sysmem *s, int *fds, unsigned int nfds)
{
	struct ep_guest_mem_region r[EP_MPQ_MAX_FDS];
	unsigned int i;

	for (i = 0; i < nfds; i++) {
		r[i].gpa = s->gpa[i];
		r[i].size = s->size[i];
		r[i].offset = s->offset[i];
		r[i].fd = fds[i];
	}
	if (ep_pcifn_host_mem_set(c->fn, r, nfds) != 0)
		EP_PCI_LOG(ERR, "%s: guest RAM map refused; DMA faults until the next one",
			ep_pcifn_name(c->fn));
	/* Mapped (or refused): the descriptors are no longer needed. */
	close_fds(fds, nfds);
}

static void
do_irqfd(struct mpq_conn *c, int *fds)
{
	/*
	 * The endpoint model raises no interrupt (a polling driver needs none):
	 * keep the INTx eventfds so the proxy's side stays valid, never signal.
	 */
	close_fds(c->irqfd, 2);
	c->irqfd[0] = fds[0];
	c->irqfd[1] = fds[1];
}

static int
mpq_serve(void *arg)
{
	struct mpq_conn *c = arg;
	int fds[RX_FDS_MAX];
	unsigned int nfds = 0;
	union ep_mpq_payload p;
	struct ep_mpq_hdr h;
	bool excess = false;
	size_t got;
	int rc;

	rc = read_full(c, &h, sizeof(h), fds, &nfds, &excess, &got);
	if (rc < 0) {
		EP_PCI_LOG(ERR, "%s: receive from QEMU failed: %s", ep_pcifn_name(c->fn),
			strerror(-rc));
		close_fds(fds, nfds);
		return rc;
	}
	if (rc == 0) {
		if (got == 0 && nfds == 0)
			return EP_TRANSPORT_CLOSED;
		return proto_error(c, fds, nfds, "connection closed after %zu of the %u "
			"header bytes", got, EP_MPQ_HDR_SIZE);
	}
	if (h.cmd < 0 || h.cmd >= EP_MPQ_CMD_MAX)
		return proto_error(c, fds, nfds, "unknown command %d (size %" PRIu64 ")",
			h.cmd, h.size);
	if (h.size > EP_MPQ_MAX_PAYLOAD)
		return proto_error(c, fds, nfds, "%s announces a %" PRIu64 "-byte payload; "
			"the largest message has %u", cmd_names[h.cmd], h.size,
			EP_MPQ_MAX_PAYLOAD);
	memset(&p, 0, sizeof(p));
	if (h.size != 0) {
		rc = read_full(c, &p, (size_t)h.size, fds, &nfds, &excess, &got);
		if (rc < 0) {
			EP_PCI_LOG(ERR, "%s: receive from QEMU failed: %s",
				ep_pcifn_name(c->fn), strerror(-rc));
			close_fds(fds, nfds);
			return rc;
		}
		if (rc == 0)
			return proto_error(c, fds, nfds, "connection closed after %zu of the "
				"%" PRIu64 " payload bytes of %s", got, h.size,
				cmd_names[h.cmd]);
	}
	if (excess)
		return proto_error(c, fds, nfds, "%s carries more than %u file descriptors",
			cmd_names[h.cmd], RX_FDS_MAX);
	if (nfds > EP_MPQ_MAX_FDS)
		return proto_error(c, fds, nfds, "%s carries %u file descriptors; a message "
			"has at most %u", cmd_names[h.cmd], nfds, EP_MPQ_MAX_FDS);
	rc = check_shape(c, &h, fds, nfds);
	if (rc != 0)
		return rc;
	c->served++;
	switch (h.cmd) {
	case EP_MPQ_CMD_PCI_CFGREAD:
		return do_cfg(c, false, &p.conf);
	case EP_MPQ_CMD_PCI_CFGWRITE:
		return do_cfg(c, true, &p.conf);
	case EP_MPQ_CMD_BAR_READ:
		return do_bar(c, false, &p.bar, fds);
	case EP_MPQ_CMD_BAR_WRITE:
		return do_bar(c, true, &p.bar, fds);
	case EP_MPQ_CMD_SYNC_SYSMEM:
		do_sysmem(c, &p.sysmem, fds, nfds);
		return 0;
	case EP_MPQ_CMD_SET_IRQFD:
		do_irqfd(c, fds);
		return 0;
	default:	/* DEVICE_RESET: answered once the function is reset */
		ep_pcifn_reset(c->fn);
		return reply(c, 0);
	}
}

static void *
mpq_attach(int fd, struct ep_pcifn *fn)
{
	struct mpq_conn *c;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		EP_PCI_LOG(ERR, "%s: fd %d is not a socket (QEMU's end of the link goes "
			"to -device x-pci-proxy-dev,fd=..., ours here)", ep_pcifn_name(fn), fd);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->fn = fn;
	c->irqfd[0] = c->irqfd[1] = -1;
	return c;
}

static int
mpq_pollfd(void *arg)
{
	return ((struct mpq_conn *)arg)->fd;
}

static void
mpq_detach(void *arg)
{
	struct mpq_conn *c = arg;

	if (c == NULL)
		return;
	close_fds(c->irqfd, 2);
	close(c->fd);
	EP_PCI_LOG(DEBUG, "%s: connection closed after %" PRIu64 " requests",
		ep_pcifn_name(c->fn), c->served);
	free(c);
}

const struct ep_transport_ops ep_mpqemu_transport = {
	.name = "mpqemu",
	.attach = mpq_attach,
	.pollfd = mpq_pollfd,
	.serve = mpq_serve,
	.detach = mpq_detach,
};
