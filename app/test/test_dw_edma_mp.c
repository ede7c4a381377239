/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Multi-process: a secondary DPDK process uses the channels its primary
 * probed. The primary creates a simulated endpoint (BARs in memzones),
 * starts a read and a write channel, and starts this program again as a
 * secondary, which attaches (no handshake, no register write), moves data
 * through the fast path both ways, reads stats and dump, and is refused the
 * control operations; the primary's telemetry (DPDK serves it from primary
 * processes only) shows the secondary's jobs. A second endpoint made by the application
 * keeps its BARs private: the secondary gets a clear error for it.
 *
 * Usage (the wrapper mp-test.sh sets up hugepages):
 *   test_dw_edma_mp --file-prefix P --huge-dir D -m 128
 * The primary passes the EAL options on to the secondary.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include <ep_model_vdev.h>
#include <rte_pmd_dw_edma.h>

#include "ep_test.h"

#define SIM		"dma_dw_edma_sim0"
#define SIM_ARGS	"wr=1,rd=1,ready_poll_ms=1"
#define APP_SIM		"dma_dw_edma_sim1"
#define NJOBS		256
#define JOB_LEN		512
#define EP_OFF		0x10000
#define WAIT_MS		10000

static const char *suite = "dw_edma_mp";

/* The pattern the secondary writes to the endpoint, checked by the primary. */
static uint8_t
pattern(size_t i)
{
	return (uint8_t)(i * 13 + (i >> 9) + 7);
}

static uint64_t
deadline(unsigned int ms)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
}

static int
chan_setup(int16_t dev, enum rte_dma_direction dir)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { .direction = dir, .nb_desc = 64 };

	if (dir == RTE_DMA_DIR_MEM_TO_DEV)
		vc.dst_port.port_type = RTE_DMA_PORT_PCIE;
	else
		vc.src_port.port_type = RTE_DMA_PORT_PCIE;
	if (rte_dma_configure(dev, &conf) != 0 || rte_dma_vchan_setup(dev, 0, &vc) != 0)
		return -1;
	return rte_dma_start(dev);
}

/* NJOBS copies of JOB_LEN between host buf and the endpoint, collected. */
static int
run_copies(int16_t dev, bool rd, uint8_t *buf, uint64_t ep)
{
	enum rte_dma_status_code st[32];
	unsigned int sent = 0, done = 0, n, k;
	uint64_t end = deadline(WAIT_MS);
	uint16_t last;

	while (done < NJOBS) {
		while (sent < NJOBS && sent - done < RTE_DIM(st)) {
			rte_iova_t h = rte_mem_virt2iova(buf + sent * JOB_LEN);
			uint64_t e = ep + (uint64_t)sent * JOB_LEN;

			if (rte_dma_copy(dev, 0, rd ? h : e, rd ? e : h, JOB_LEN, 0) !=
					(uint16_t)sent)
				return -1;
			sent++;
		}
		rte_dma_submit(dev, 0);
		n = rte_dma_completed_status(dev, 0, RTE_DIM(st), &last, st);
		for (k = 0; k < n; k++)
			if (st[k] != RTE_DMA_STATUS_SUCCESSFUL)
				return -1;
		done += n;
		if (rte_get_timer_cycles() > end)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Secondary.
 */

/* Compact JSON or not (the form differs between releases): drop the spaces. */
static void
json_squeeze(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++)
		if (*s != ' ')
			*d++ = *s;
	*d = '\0';
}

/* Ask this process's telemetry socket for cmd; reply into out. */
static int
telemetry_query(const char *cmd, char *out, size_t len)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int suffix;

	for (suffix = 0; suffix < 8; suffix++) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		char pidq[64];
		ssize_t n;
		int fd;

		if (suffix == 0)
			snprintf(path, sizeof(path), "%s/dpdk_telemetry.v2",
				rte_eal_get_runtime_dir());
		else
			snprintf(path, sizeof(path), "%s/dpdk_telemetry.v2:%d",
				rte_eal_get_runtime_dir(), suffix);
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			close(fd);
			continue;
		}
		/* the greeting names the process it comes from */
		n = read(fd, out, len - 1);
		snprintf(pidq, sizeof(pidq), "\"pid\":%d", (int)getpid());
		if (n > 0) {
			out[n] = '\0';
			json_squeeze(out);
		}
		if (n <= 0 || strstr(out, pidq) == NULL) {
			close(fd);
			continue;
		}
		if (write(fd, cmd, strlen(cmd)) < 0)
			n = -1;
		else
			n = read(fd, out, len - 1);
		close(fd);
		if (n <= 0)
			return -1;
		out[n] = '\0';
		return 0;
	}
	return -1;
}


/* The device's stats through telemetry show the secondary's jobs. */
static bool
telemetry_stats_ok(const char *cmd, char *reply, size_t len)
{
	int rc = telemetry_query(cmd, reply, len);

	json_squeeze(reply);
	if (rc == 0 && strstr(reply, "\"completed\":256") != NULL)
		return true;
	printf("  telemetry %s: %s\n", cmd, rc == 0 ? reply : "no socket of this process");
	return false;
}

static int
secondary(int argc, char **argv)
{
	int fd_ready = atoi(getenv("MP_READY_FD")), fd_go = atoi(getenv("MP_GO_FD"));
	char *logbuf = NULL, *dump = NULL;
	size_t loglen = 0, dumplen = 0;
	struct rte_dma_stats stats;
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	int16_t rd, wr;
	uint8_t *src, *dst, go;
	FILE *logf, *f;
	int fails = 0;
	size_t i;

	suite = "dw_edma_mp_secondary";
	/* capture the log of the probe: the refused private endpoint says why */
	logf = open_memstream(&logbuf, &loglen);
	rte_openlog_stream(logf);
	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL %s/eal_init\n", suite);
		return 1;
	}
	rte_openlog_stream(stderr);
	fclose(logf);
	fputs(logbuf, stderr);
	/* attached: tell the primary, which checks no register was written */
	if (write(fd_ready, "r", 1) != 1 || read(fd_go, &go, 1) != 1)
		return 1;
	rd = rte_dma_get_dev_id_by_name(SIM "-rd0");
	wr = rte_dma_get_dev_id_by_name(SIM "-wr0");
#define CHECK(name, cond) do { \
	bool ok_ = (cond); \
	printf("%s %s/%s\n", ok_ ? "PASS" : "FAIL", suite, name); \
	fails += !ok_; \
} while (0)
	CHECK("devices_attached", rd >= 0 && wr >= 0);
	if (rd < 0 || wr < 0)
		return 1;
	/* the device runs: the library refuses to reconfigure it; stop is ours */
	CHECK("control_ops_refused", rte_dma_configure(rd, &conf) < 0 &&
		rte_dma_stop(rd) == -EPERM);
	CHECK("private_endpoint_refused",
		rte_dma_get_dev_id_by_name(APP_SIM "-rd0") < 0 &&
		strstr(logbuf, "a secondary process cannot reach them") != NULL);
	src = rte_malloc(NULL, NJOBS * JOB_LEN, 64);
	dst = rte_zmalloc(NULL, NJOBS * JOB_LEN, 64);
	if (src == NULL || dst == NULL)
		return 1;
	for (i = 0; i < NJOBS * JOB_LEN; i++)
		src[i] = pattern(i);
	CHECK("fast_path_host_to_endpoint", run_copies(rd, true, src,
		0x4000000 + EP_OFF) == 0);
	CHECK("fast_path_endpoint_to_host", run_copies(wr, false, dst,
		0x4000000 + EP_OFF) == 0 && memcmp(src, dst, NJOBS * JOB_LEN) == 0);
	CHECK("stats", rte_dma_stats_get(rd, 0, &stats) == 0 &&
		stats.submitted == NJOBS && stats.completed == NJOBS && stats.errors == 0);
	f = open_memstream(&dump, &dumplen);
	CHECK("dump", f != NULL && rte_dma_dump(wr, f) == 0 && fclose(f) == 0 &&
		strstr(dump, "ring:") != NULL && strstr(dump, "write-back") != NULL);
	rte_free(src);
	rte_free(dst);
	free(dump);
	rte_eal_cleanup();
	free(logbuf);
	return fails != 0;
}

/* ------------------------------------------------------------------------
 * Primary.
 */
static pid_t
spawn_secondary(int argc, char **argv, int ready[2], int go[2])
{
	char **sargv = calloc(argc + 2, sizeof(char *));
	char env[2][32];
	int i, n = 0;
	pid_t pid;

	if (sargv == NULL)
		return -1;
	sargv[n++] = argv[0];
	sargv[n++] = "--proc-type=secondary";
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--vdev", 6) != 0)
			sargv[n++] = argv[i];
	snprintf(env[0], sizeof(env[0]), "MP_READY_FD=%d", ready[1]);
	snprintf(env[1], sizeof(env[1]), "MP_GO_FD=%d", go[0]);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		putenv(env[0]);
		putenv(env[1]);
		close(ready[0]);
		close(go[1]);
		execv("/proc/self/exe", sargv);
		_exit(127);
	}
	free(sargv);
	return pid;
}

/*
 * The BARs as the model holds them: with the channels idle nothing changes
 * them but a host write, so the secondary's probe must leave them equal.
 */
static void
bars_snapshot(const struct ep_model *m, uint8_t *snap[])
{
	unsigned int i;

	for (i = 0; i < EP_MODEL_NUM_BARS; i++) {
		struct ep_model_bar b;

		if (ep_model_bar_get(m, i, &b) != 0)
			continue;
		snap[i] = malloc(b.len);
		if (snap[i] != NULL)
			memcpy(snap[i], b.addr, b.len);
	}
}

static bool
bars_unchanged(const struct ep_model *m, uint8_t *snap[])
{
	bool same = true;
	unsigned int i;

	for (i = 0; i < EP_MODEL_NUM_BARS; i++) {
		struct ep_model_bar b;

		if (ep_model_bar_get(m, i, &b) != 0)
			continue;
		if (snap[i] == NULL || memcmp(snap[i], b.addr, b.len) != 0)
			same = false;
		free(snap[i]);
		snap[i] = NULL;
	}
	return same;
}

static int
primary(int argc, char **argv)
{
	uint8_t *snap[EP_MODEL_NUM_BARS] = { NULL };
	struct ep_model *m, *app_m;
	int ready[2], go[2], status = 0, fails = 0;
	struct ep_model_info mi;
	int16_t rd, wr;
	pid_t pid;
	uint8_t *ep;
	char c;
	size_t i;

	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL %s/eal_init\n", suite);
		return 1;
	}
	app_m = ep_model_create(APP_SIM, SIM_ARGS);
	if (rte_vdev_init(SIM, SIM_ARGS) != 0 || app_m == NULL ||
			rte_vdev_init(APP_SIM, "") != 0) {
		printf("FAIL %s/setup\n", suite);
		return 1;
	}
	m = ep_model_vdev_model(SIM);
	rd = rte_dma_get_dev_id_by_name(SIM "-rd0");
	wr = rte_dma_get_dev_id_by_name(SIM "-wr0");
	if (m == NULL || chan_setup(rd, RTE_DMA_DIR_MEM_TO_DEV) != 0 ||
			chan_setup(wr, RTE_DMA_DIR_DEV_TO_MEM) != 0 || pipe(ready) != 0 ||
			pipe(go) != 0) {
		printf("FAIL %s/setup\n", suite);
		return 1;
	}
	ep_model_info_get(m, &mi);
	/* the model has acted on the primary's writes: its BARs hold still */
	if (ep_model_sync(m, WAIT_MS) != 0) {
		printf("FAIL %s/model_sync\n", suite);
		return 1;
	}
	bars_snapshot(m, snap);
	pid = spawn_secondary(argc, argv, ready, go);
	close(ready[1]);
	close(go[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		printf("FAIL %s/secondary_started\n", suite);
		fails++;
	} else {
		bool same = bars_unchanged(m, snap);

		printf("%s %s/secondary_probe_writes_nothing\n", same ? "PASS" : "FAIL", suite);
		fails += !same;
		if (write(go[1], "g", 1) != 1)
			fails++;
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	fails += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	/* what the secondary wrote is in the endpoint's memory, seen from here */
	ep = ep_model_ep_ptr(m, mi.ep_mem_addr + EP_OFF, NJOBS * JOB_LEN);
	for (i = 0; ep != NULL && i < NJOBS * JOB_LEN && ep[i] == pattern(i); i++)
		;
	printf("%s %s/endpoint_memory_from_secondary\n",
		i == NJOBS * JOB_LEN ? "PASS" : "FAIL", suite);
	fails += i != NJOBS * JOB_LEN;
	{
		char cmd[64], reply[4096];
		bool ok;

		snprintf(cmd, sizeof(cmd), "/dmadev/stats,%d", rd);
		ok = telemetry_stats_ok(cmd, reply, sizeof(reply));
		printf("%s %s/telemetry_shows_secondary_jobs\n", ok ? "PASS" : "FAIL", suite);
		fails += !ok;
	}
	printf("%s %s/no_ownership_violations\n", ep_model_violations(m) == 0 ? "PASS" : "FAIL",
		suite);
	fails += ep_model_violations(m) != 0;
	rte_dma_stop(rd);
	rte_dma_stop(wr);
	rte_vdev_uninit(SIM);
	rte_vdev_uninit(APP_SIM);
	ep_model_destroy(app_m);
	rte_eal_cleanup();
	return fails != 0;
}

int
main(int argc, char **argv)
{
	int i;

	/* the two processes' result lines must not sit in a buffer at a crash */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--proc-type=secondary") == 0)
			return secondary(argc, argv);
	return primary(argc, argv);
}
