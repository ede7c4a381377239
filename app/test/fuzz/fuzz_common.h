/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright 2026 The ep-dma authors
 */

#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

/*
 * Shared by the fuzz targets. Each target defines the libFuzzer entry
 * points; the same file builds into a libFuzzer binary (clang, -Dfuzz=true)
 * and into a replay program (any compiler, fuzz_replay.c's main) that runs
 * the committed corpus and the regression cases in the normal test suite.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * A broken invariant: abort so that libFuzzer saves the input as a crash
 * and the replay program dies with the case named.
 */
#define FZ_FAIL(...) do { \
	fprintf(stderr, "FUZZ INVARIANT %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	fprintf(stderr, "\n"); \
	abort(); \
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif /* FUZZ_COMMON_H */
