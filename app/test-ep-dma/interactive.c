/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Interactive mode (-i): a testpmd-like prompt on DPDK's cmdline library.
 * "start" runs the workload on a thread of its own so the prompt stays
 * usable; "stop" ends it, "wait" blocks until it ends on its own.
 *
 * Output of the run thread (progress lines, the final table, log lines) is
 * not written to the terminal by that thread: it goes through a pipe to the
 * prompt's thread, which clears the prompt line, prints it and draws the
 * prompt and the half-typed command again. Only one thread then touches
 * the terminal, and asynchronous output never ends up inside a command
 * being typed.
 */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "ep_dma.h"

static struct ep_config *icfg;
static struct ep_run *irun;
static pthread_t ithread;
static bool ithread_active;
static volatile bool ithread_done;
static int istatus;          /* EXIT_FAILURE once a run had errors */

static struct cmdline *icl;
static pthread_t iprompt;    /* the thread that owns the terminal */
static bool itty;            /* a terminal: redraw the prompt */
static int inotify[2] = { -1, -1 };
static pthread_mutex_t iemit_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- output from other threads ------------------------------------------ */

static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* ep_out_async in interactive mode: queue text for the prompt's thread. */
static void
emit_async(const char *text)
{
	if (pthread_equal(pthread_self(), iprompt)) {
		fputs(text, stdout);
		fflush(stdout);
		return;
	}
	pthread_mutex_lock(&iemit_lock);
	write_all(inotify[1], text, strlen(text));
	pthread_mutex_unlock(&iemit_lock);
}

/*
 * Log stream while the prompt runs: as EAL's (stderr and syslog) for the
 * prompt's thread, queued like any other asynchronous output otherwise.
 */
static ssize_t
log_write(void *c, const char *buf, size_t size)
{
	RTE_SET_USED(c);
	syslog(rte_log_cur_msg_loglevel() - 1, "%.*s", (int)size, buf);
	if (pthread_equal(pthread_self(), iprompt)) {
		fwrite(buf, 1, size, stderr);
		fflush(stderr);
	} else {
		pthread_mutex_lock(&iemit_lock);
		write_all(inotify[1], buf, size);
		pthread_mutex_unlock(&iemit_lock);
	}
	return (ssize_t)size;
}

/*
 * Print what other threads queued. At the prompt (redraw), first clear the
 * prompt line, and afterwards draw the prompt and the typed text again.
 */
static void
drain_async(bool redraw)
{
	char buf[4096];
	bool any = false;
	ssize_t n;

	while ((n = read(inotify[0], buf, sizeof(buf))) > 0) {
		if (!any && redraw)
			fputs("\r\033[K", stdout);
		any = true;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	if (!any)
		return;
	fflush(stdout);
	if (redraw)
		rdline_redisplay(cmdline_get_rdline(icl));
}

/* ---- the run thread ------------------------------------------------------ */

static void *
run_thread(void *arg)
{
	struct ep_run *run = arg;
	rte_cpuset_t cs = rte_lcore_cpuset(rte_get_main_lcore());
	char *text = NULL;
	size_t len = 0;
	bool pinned;
	FILE *m;

	/*
	 * Run where the main lcore runs (the prompt only waits for input):
	 * the other cores belong to the skeleton's copy thread and the model's
	 * engine, and sharing them would skew every figure.
	 */
	pinned = pthread_setaffinity_np(pthread_self(), sizeof(cs), &cs) == 0;
	ep_run_execute(run);
	m = open_memstream(&text, &len);
	if (m == NULL)
		m = stdout;
	if (!pinned)
		fprintf(m, "warning: run thread not pinned to the main lcore's "
			"core\n");
	fprintf(m, "\nrun %s:\n", run->stop || ep_force_quit ? "stopped" :
		"finished");
	ep_out_table(m, run);
	if (run->csv != NULL) {
		ep_out_csv_write(run->csv, run->cfg.csv, run);
		run->csv = NULL;
	}
	if (ep_run_status(run) != 0) {
		fprintf(m, "FAILED: errors or verification mismatches, see above\n");
		istatus = EXIT_FAILURE;
	}
	if (m != stdout) {
		fclose(m);
		if (text != NULL)
			ep_out_async(text);
		free(text);
	}
	__atomic_store_n(&ithread_done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* Wait for the run thread, printing its output meanwhile. */
static void
join_run(void)
{
	if (!ithread_active)
		return;
	while (!__atomic_load_n(&ithread_done, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd = { .fd = inotify[0], .events = POLLIN };

		if (poll(&pfd, 1, 50) > 0)
			drain_async(false);
	}
	pthread_join(ithread, NULL);
	drain_async(false);
	ithread_active = false;
}

static void
release_run(void)
{
	join_run();
	if (irun != NULL) {
		if (irun->csv != NULL)
			fclose(irun->csv);
		ep_run_release(irun);
		free(irun);
		irun = NULL;
	}
}

static void
do_start(void)
{
	int rc;

	if (ithread_active && irun->running) {
		printf("a run is in progress: stop or wait first\n");
		return;
	}
	release_run();
	ep_force_quit = false;
	irun = calloc(1, sizeof(*irun));
	if (irun == NULL)
		return;
	irun->cfg = *icfg;
	irun->running = true;
	if (icfg->csv[0] != '\0')
		irun->csv = ep_out_csv_open(icfg->csv);
	rc = icfg->csv[0] != '\0' && irun->csv == NULL ? -EINVAL :
		ep_run_prepare(irun);
	if (rc < 0) {
		printf("start failed\n");
		irun->running = false;
		istatus = EXIT_FAILURE;
		return;
	}
	/* A plain pthread (run_thread pins itself to the main lcore's core):
	 * rte_ctrl_thread_create() is gone after DPDK 23.11.
	 */
	ithread_done = false;
	rc = pthread_create(&ithread, NULL, run_thread, irun);
	if (rc != 0) {
		printf("cannot create the run thread: %s\n", strerror(rc));
		irun->running = false;
		return;
	}
	ithread_active = true;
	printf("started\n");
}

static void
print_help(void)
{
	const struct ep_param *p;
	char v[1024];

	printf("commands:\n"
		"  list                     dmadevs: driver, directions, ring, "
		"dw_edma channel, completion\n"
		"  show info <dev>          device capabilities, channel, dump\n"
		"  show stats <dev>         dmadev, PMD and model counters\n"
		"  show config              parameters and their values\n"
		"  show results             tables of the last run\n"
		"  show costs               the PCIe cost model of the projection\n"
		"  set <param> <value>      a parameter (TAB completes names and "
		"choices)\n"
		"  start | stop | wait      run, end, wait for the end\n"
		"  quit\n"
		"parameters (set <param> <value>; flags take on or off):\n");
	for (p = ep_params; p->name != NULL; p++) {
		if (ep_config_get(icfg, p->name, v, sizeof(v)) < 0)
			continue;
		printf("  %-14s %-20s %s\n", p->name, v, p->help);
	}
}

/* ---- "list", "start", "stop", "wait", "quit", "help" --------------------- */

struct cmd_word_result {
	cmdline_fixed_string_t word;
};

static void
cmd_word_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_word_result *res = parsed;

	RTE_SET_USED(data);
	if (!strcmp(res->word, "list")) {
		ep_dev_list(stdout);
	} else if (!strcmp(res->word, "start")) {
		do_start();
	} else if (!strcmp(res->word, "stop")) {
		if (!ithread_active) {
			printf("not running\n");
		} else {
			irun->stop = true;
			join_run();
			printf("stopped\n");
		}
	} else if (!strcmp(res->word, "wait")) {
		join_run();
	} else if (!strcmp(res->word, "quit")) {
		if (ithread_active)
			irun->stop = true;
		release_run();
		cmdline_quit(cl);
	} else {
		print_help();
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_word_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word,
		"list#start#stop#wait#quit#help");

static cmdline_parse_inst_t cmd_word = {
	.f = cmd_word_parsed,
	.data = NULL,
	.help_str = "list | start | stop | wait | quit | help",
	.tokens = { (void *)&cmd_word_tok, NULL },
};

/* ---- "show config|results|costs" ------------------------------------------ */

struct cmd_show_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
};

static void
cmd_show_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_show_result *res = parsed;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (!strcmp(res->what, "config")) {
		ep_config_print(stdout, icfg);
	} else if (!strcmp(res->what, "costs")) {
		ep_cost_print(stdout, &icfg->cost, icfg->link_gen,
			icfg->link_lanes, icfg->link_mps);
	} else if (irun == NULL) {
		printf("no results yet\n");
	} else if (ithread_active && irun->running) {
		printf("a run is in progress: stop or wait first\n");
	} else {
		ep_out_table(stdout, irun);
	}
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_show_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, show, "show");
static cmdline_parse_token_string_t cmd_show_what =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, what,
		"config#results#costs");

static cmdline_parse_inst_t cmd_show = {
	.f = cmd_show_parsed,
	.data = NULL,
	.help_str = "show config | show results | show costs",
	.tokens = { (void *)&cmd_show_show, (void *)&cmd_show_what, NULL },
};

/* ---- "show info|stats <dev>" ---------------------------------------------- */

struct cmd_showdev_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t dev;
};

static void
cmd_showdev_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_showdev_result *res = parsed;
	int id = ep_parse_dev(res->dev);

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (id < 0)
		printf("unknown dmadev '%s'\n", res->dev);
	else if (!strcmp(res->what, "info"))
		ep_dev_print_info(stdout, (int16_t)id);
	else
		ep_dev_print_stats(stdout, (int16_t)id);
	fflush(stdout);
}

static cmdline_parse_token_string_t cmd_showdev_show =
	TOKEN_STRING_INITIALIZER(struct cmd_showdev_result, show, "show");
static cmdline_parse_token_string_t cmd_showdev_what =
	TOKEN_STRING_INITIALIZER(struct cmd_showdev_result, what, "info#stats");
static cmdline_parse_token_string_t cmd_showdev_dev =
	TOKEN_STRING_INITIALIZER(struct cmd_showdev_result, dev, NULL);

static cmdline_parse_inst_t cmd_showdev = {
	.f = cmd_showdev_parsed,
	.data = NULL,
	.help_str = "show info|stats <dev id or name>",
	.tokens = { (void *)&cmd_showdev_show, (void *)&cmd_showdev_what,
		(void *)&cmd_showdev_dev, NULL },
};

/* ---- "set <param> <value>" ------------------------------------------------ */

/*
 * A word token for "set": it offers its choices to TAB but takes any word,
 * so that a bad value reaches the option parser and its message; with
 * others_only it takes only words that are not among its choices. cmdline
 * refuses a line that two instances accept ("Ambiguous command"), so the
 * instances below accept disjoint lines: "set dir <word>", "set <flag>
 * <word>", "set <other parameter> <word>", "set <not a parameter> <word>".
 */
struct ep_word_token {
	struct cmdline_token_hdr hdr;
	const char *choices;       /* '#'-separated, NULL for none */
	bool others_only;
};

static unsigned int
word_len(const char *s)
{
	unsigned int n = 0;

	while (s[n] != '\0' && s[n] != '#')
		n++;
	return n;
}

/* The idx-th choice of t, or NULL. */
static const char *
word_choice(const struct ep_word_token *t, int idx, unsigned int *len)
{
	const char *c = t->choices;

	while (c != NULL && *c != '\0') {
		*len = word_len(c);
		if (idx-- == 0)
			return c;
		c += *len;
		if (*c == '#')
			c++;
	}
	return NULL;
}

static int
word_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res,
		unsigned int ressize)
{
	const struct ep_word_token *t = (const struct ep_word_token *)tk;
	unsigned int len = 0, clen;
	const char *c;
	int i;

	if (buf == NULL || (res != NULL && ressize < STR_TOKEN_SIZE))
		return -1;
	while (!cmdline_isendoftoken(buf[len]) && len < STR_TOKEN_SIZE - 1)
		len++;
	if (len == 0 || len >= STR_TOKEN_SIZE - 1)
		return -1;
	if (t->others_only)
		for (i = 0; (c = word_choice(t, i, &clen)) != NULL; i++)
			if (clen == len && !strncmp(c, buf, len))
				return -1;
	if (res != NULL) {
		memcpy(res, buf, len);
		((char *)res)[len] = '\0';
	}
	return (int)len;
}

static int
word_complete_get_nb(cmdline_parse_token_hdr_t *tk)
{
	const struct ep_word_token *t = (const struct ep_word_token *)tk;
	unsigned int len;
	int n = 0;

	if (t->others_only)
		return 0;
	while (word_choice(t, n, &len) != NULL)
		n++;
	return n;
}

static int
word_complete_get_elt(cmdline_parse_token_hdr_t *tk, int idx, char *dst,
		unsigned int size)
{
	const struct ep_word_token *t = (const struct ep_word_token *)tk;
	unsigned int len;
	const char *c = t->others_only ? NULL : word_choice(t, idx, &len);

	if (c == NULL || len + 1 > size)
		return -1;
	memcpy(dst, c, len);
	dst[len] = '\0';
	return 0;
}

static int
word_get_help(cmdline_parse_token_hdr_t *tk, char *dst, unsigned int size)
{
	const struct ep_word_token *t = (const struct ep_word_token *)tk;
	unsigned int i;

	if (t->others_only || t->choices == NULL) {
		snprintf(dst, size, "%s", t->others_only ? "<param>" : "<value>");
		return 0;
	}
	snprintf(dst, size, "%s", t->choices);
	for (i = 0; dst[i] != '\0'; i++)
		if (dst[i] == '#')
			dst[i] = '|';
	return 0;
}

static struct cmdline_token_ops word_ops = {
	.parse = word_parse,
	.complete_get_nb = word_complete_get_nb,
	.complete_get_elt = word_complete_get_elt,
	.get_help = word_get_help,
};

#define WORD_TOKEN(field, list, others) { \
	.hdr = { .ops = &word_ops, \
		.offset = offsetof(struct cmd_set_result, field) }, \
	.choices = (list), .others_only = (others) }

struct cmd_set_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t name;
	cmdline_fixed_string_t value;
};

static void
cmd_set_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_set_result *res = parsed;
	struct ep_config tmp = *icfg;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (!strcmp(res->name, "csv") && strcmp(res->value, "none") != 0) {
		/* a bad path is refused now, not after the next run */
		FILE *f = fopen(res->value, "a");

		if (f == NULL) {
			printf("--csv %s: cannot open for appending: %s; csv "
				"unchanged\n", res->value, strerror(errno));
			fflush(stdout);
			return;
		}
		fclose(f);
	}
	if (ep_config_set(&tmp, res->name, res->value) == 0) {
		*icfg = tmp;
		printf("%s = %s\n", res->name, res->value);
	}
	fflush(stdout);
	fflush(stderr);
}

#define SET_FLAGS "verify#latency#memcpy"

/* '#'-separated names: every parameter, and those that take any value. */
static char set_all[512];
static char set_other[512];

static cmdline_parse_token_string_t cmd_set_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, set, "set");
static cmdline_parse_token_string_t cmd_set_dir_name =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, name, "dir");
static struct ep_word_token cmd_set_dir_value =
	WORD_TOKEN(value, "auto#mem2dev#dev2mem#mem2mem", false);
static cmdline_parse_token_string_t cmd_set_flag_name =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, name, SET_FLAGS);
static struct ep_word_token cmd_set_flag_value =
	WORD_TOKEN(value, "on#off", false);
static cmdline_parse_token_string_t cmd_set_other_name =
	TOKEN_STRING_INITIALIZER(struct cmd_set_result, name, set_other);
static struct ep_word_token cmd_set_any_value = WORD_TOKEN(value, NULL, false);
static struct ep_word_token cmd_set_unknown_name =
	WORD_TOKEN(name, set_all, true);

static cmdline_parse_inst_t cmd_set_dir = {
	.f = cmd_set_parsed,
	.help_str = "set dir auto|mem2dev|dev2mem|mem2mem",
	.tokens = { (void *)&cmd_set_set, (void *)&cmd_set_dir_name,
		(void *)&cmd_set_dir_value, NULL },
};

static cmdline_parse_inst_t cmd_set_flag = {
	.f = cmd_set_parsed,
	.help_str = "set verify|latency|memcpy on|off",
	.tokens = { (void *)&cmd_set_set, (void *)&cmd_set_flag_name,
		(void *)&cmd_set_flag_value, NULL },
};

static cmdline_parse_inst_t cmd_set_other = {
	.f = cmd_set_parsed,
	.help_str = "set <param> <value> (help lists the parameters)",
	.tokens = { (void *)&cmd_set_set, (void *)&cmd_set_other_name,
		(void *)&cmd_set_any_value, NULL },
};

static cmdline_parse_inst_t cmd_set_unknown = {
	.f = cmd_set_parsed,
	.help_str = "set <param> <value>",
	.tokens = { (void *)&cmd_set_set, (void *)&cmd_set_unknown_name,
		(void *)&cmd_set_any_value, NULL },
};

static cmdline_parse_ctx_t main_ctx[] = {
	&cmd_word,
	&cmd_show,
	&cmd_showdev,
	&cmd_set_dir,
	&cmd_set_flag,
	&cmd_set_other,
	&cmd_set_unknown,
	NULL,
};

static void
build_set_names(void)
{
	const struct ep_param *p;
	size_t a = 0, o = 0;

	for (p = ep_params; p->name != NULL; p++) {
		a += (size_t)snprintf(set_all + a, sizeof(set_all) - a, "%s%s",
			a ? "#" : "", p->name);
		RTE_VERIFY(a < sizeof(set_all));
		if (!strcmp(p->name, "dir") || p->arg == NULL)
			continue;
		o += (size_t)snprintf(set_other + o, sizeof(set_other) - o, "%s%s",
			o ? "#" : "", p->name);
		RTE_VERIFY(o < sizeof(set_other));
	}
}

/*
 * The prompt loop: cmdline_interact() with a second input, the pipe of
 * asynchronous output, so that it is printed between keystrokes.
 */
static void
interact(void)
{
	char buf[256];

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = inotify[0], .events = POLLIN },
		};
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents & POLLIN)
			drain_async(itty);
		if ((pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
			continue;
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;          /* end of input: quit */
		if (cmdline_in(icl, buf, (int)n) < 0)
			break;          /* quit */
	}
}

/* @return the exit status: failure if any run or start failed. */
int
ep_interactive(struct ep_config *cfg)
{
	static cookie_io_functions_t log_fns = { .write = log_write };
	void (*prev_async)(const char *text) = ep_out_async;
	FILE *log = NULL;

	icfg = cfg;
	istatus = EXIT_SUCCESS;
	iprompt = pthread_self();
	itty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	build_set_names();
	if (pipe(inotify) != 0 ||
			fcntl(inotify[0], F_SETFL, O_NONBLOCK) != 0) {
		fprintf(stderr, "cannot create the output pipe: %s\n",
			strerror(errno));
		return EXIT_FAILURE;
	}
	icl = cmdline_stdin_new(main_ctx, "ep-dma> ");
	if (icl == NULL) {
		fprintf(stderr, "cannot create the command line\n");
		return EXIT_FAILURE;
	}
	ep_out_async = emit_async;
	log = fopencookie(NULL, "w", log_fns);
	if (log != NULL) {
		setvbuf(log, NULL, _IOLBF, 0);
		rte_openlog_stream(log);
	}
	interact();
	if (ithread_active)
		irun->stop = true;
	release_run();
	cmdline_stdin_exit(icl);
	rte_openlog_stream(NULL);
	if (log != NULL)
		fclose(log);
	ep_out_async = prev_async;
	close(inotify[0]);
	close(inotify[1]);
	printf("\n");
	return istatus;
}
