/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

/*
 * Replay driver of a fuzz target, for builds without libFuzzer: feeds every
 * file of the given directories to LLVMFuzzerTestOneInput(), as libFuzzer
 * would replay a corpus. The normal test suite runs it on the committed seed
 * corpus and on the regression cases (every crash a fuzzer found), so those
 * stay fixed with gcc builds and without clang.
 * Usage: fuzz_replay_<target> <suite-name> DIR... | --write-seeds DIR
 * Prints "PASS <suite>/<dir> (N inputs)" per directory; an input that
 * breaks an invariant aborts, after "FAIL <suite>/<dir>/<file>".
 */

#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"

/* Targets that can generate their seed corpus define this. */
int fuzz_write_seeds(const char *dir) __attribute__((weak));

static char cur_case[512];

static void
on_fatal(int sig)
{
	/* async-signal-safe: write(2) only */
	static const char fail[] = "FAIL ";
	ssize_t rc;

	rc = write(STDOUT_FILENO, fail, sizeof(fail) - 1);
	rc = write(STDOUT_FILENO, cur_case, strlen(cur_case));
	rc = write(STDOUT_FILENO, "\n", 1);
	(void)rc;
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_file(const char *path)
{
	uint8_t *buf = NULL;
	long sz;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	/* a private copy of exactly sz bytes: ASan sees a read past the input */
	buf = malloc(sz > 0 ? (size_t)sz : 1);
	if (buf == NULL || fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)sz);
	free(buf);
	return 0;
}

static int
replay_dir(const char *suite, const char *dir)
{
	const char *base = dir + strlen(dir);
	int slashes = 0;
	char **names = NULL, path[1024];
	unsigned int n = 0, cap = 0, i, done = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	/* name a directory by its last two components: corpus/meta */
	while (base > dir && !(base[-1] == '/' && ++slashes == 2))
		base--;
	if (d == NULL) {
		/* no regression case yet: nothing to replay */
		printf("SKIP %s/%s (no directory)\n", suite, base);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (names == NULL)
				abort();
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(cur_case, sizeof(cur_case), "%s/%s/%s", suite, base, names[i]);
		if (replay_file(path) == 0)
			done++;
		else
			fprintf(stderr, "cannot read %s\n", path);
		free(names[i]);
	}
	free(names);
	if (done == 0) {
		printf("SKIP %s/%s (empty)\n", suite, base);
		return 0;
	}
	printf("%s %s/%s (%u inputs)\n", done == n ? "PASS" : "FAIL", suite, base, done);
	return done == n ? 0 : 1;
}

int
main(int argc, char **argv)
{
	int i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0) {
		if (fuzz_write_seeds == NULL) {
			fprintf(stderr, "this target has no seed generator\n");
			return 1;
		}
		LLVMFuzzerInitialize(&argc, &argv);
		return fuzz_write_seeds(argv[2]) == 0 ? 0 : 1;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: %s <suite> DIR... | --write-seeds DIR\n", argv[0]);
		return 1;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	signal(SIGABRT, on_fatal);
	signal(SIGSEGV, on_fatal);
	signal(SIGBUS, on_fatal);
	for (i = 2; i < argc; i++)
		failed += replay_dir(argv[1], argv[i]);
	return failed ? 1 : 0;
}
