#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Set up whatever is missing, build with warnings as errors, and run every
# test of the project: style checks, the model's and the driver's functional
# tests, the fault soak, the fuzz targets (bounded runs and the replay of
# their corpus and regression cases), DPDK's stock dmadev suite on the
# driver, and the app's tests. Then the functional tests again from a second
# build with AddressSanitizer and UndefinedBehaviorSanitizer (case names
# prefixed "asan/"; any sanitizer report fails the case).
# Ends with one line "N passed, N failed, N skipped" and exits non-zero if
# anything failed.
#
# Usage: devtools/run-tests.sh [name-filter]
#   EP_SANITIZE=0 skips the sanitized pass.
set -uo pipefail
source "$(dirname "$0")/env.sh"

filter=${1:-}
passed=0 failed=0 skipped=0
failures=()

count_output() { # name rc logfile
	local name=$1 rc=$2 log=$3 p f s
	# a sanitizer report fails the program whatever it printed
	if grep -qE '^(==[0-9]+==ERROR: (Address|Leak)Sanitizer|.*: runtime error: )' "$log"; then
		echo "FAIL $name/sanitizer_report" >>"$log"
		[ "$rc" = 0 ] && rc=1
	fi
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	s=$(grep -c '^SKIP ' "$log")
	if [ "$p$f$s" = 000 ]; then
		# A program without per-case lines counts as one case.
		if [ "$rc" = 0 ]; then p=1; elif [ "$rc" = 77 ]; then s=1; else f=1; fi
	elif [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ "$f" = 0 ]; then
		f=1  # crashed or failed outside a case
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	grep -E '^(PASS|FAIL|SKIP) ' "$log" | sed 's/^/  /'
	if [ "$f" != 0 ]; then
		failures+=("$name (log: $log)")
		echo "---- $name failed (rc=$rc), last lines of $log:"
		tail -n 30 "$log" | sed 's/^/  | /'
	fi
}

ep_setup || { echo "0 passed, 1 failed"; exit 1; }
EP_WERROR=true ep_build || { echo "0 passed, 1 failed"; exit 1; }

# Tests are registered with meson's test() in each component's meson.build;
# run them one by one so each program's PASS/FAIL lines are counted.
# run_suite <build dir> <name prefix> <suites to skip, regex>
run_suite() {
	local bdir=$1 prefix=$2 skip=$3 logdir=$1/test-logs line tests
	mkdir -p "$logdir"
	mapfile -t tests < <(/usr/bin/python3 - "$bdir" <<'PY'
import json, subprocess, sys, shlex
out = subprocess.run(['meson', 'introspect', '--tests', sys.argv[1]],
                     capture_output=True, text=True, check=True).stdout
for t in json.loads(out):
    env = ' '.join('%s=%s' % (k, shlex.quote(v)) for k, v in (t.get('env') or {}).items())
    cmd = ' '.join(shlex.quote(c) for c in t['cmd'])
    # \x1f, not a tab: read merges runs of whitespace separators.
    print('%s\x1f%d\x1f%s\x1f%s\x1f%s\x1f%s' % (t['name'], t.get('timeout') or 300,
          t.get('workdir') or sys.argv[1], env, ','.join(t.get('suite') or []), cmd))
PY
	)
	for line in "${tests[@]}"; do
		IFS=$'\x1f' read -r name timeout wdir envs suites cmd <<<"$line"
		if [ -n "$skip" ] && [[ "$name,$suites" =~ $skip ]]; then
			continue
		fi
		if [ -n "$filter" ] && [[ "$prefix$name" != *"$filter"* ]]; then
			continue
		fi
		echo "== $prefix$name"
		log=$logdir/$name.log
		start=$(date +%s)
		(cd "$wdir" && eval "env $envs timeout --kill-after=10 $timeout $cmd") \
			</dev/null >"$log" 2>&1
		rc=$?
		[ "$rc" = 124 ] && echo "FAIL $name/timeout after ${timeout}s" >>"$log"
		if [ -n "$prefix" ]; then
			sed -i -E "s#^(PASS|FAIL|SKIP) #\1 $prefix#" "$log"
		fi
		count_output "$prefix$name" "$rc" "$log"
		echo "   ($(( $(date +%s) - start ))s)"
	done
}

run_suite "$EP_BUILD_DIR" "" ""

# The functional tests again, sanitized: ASan + UBSan (gcc, the default
# compiler), in their own build directory. Not the style checks, the
# bounded fuzz runs (already sanitized, with clang), the corpus replays, the
# checks of what the build installs and links, the doc examples (they load
# the plugins into an unsanitized dpdk-test) or the VM suite (its guest has
# no sanitizer runtime).
# b_lundef=false: the sanitized libraries leave the runtime to the program.
# Not -Werror: warnings are the first build's job, and gcc 12's flow-based
# warnings (-Warray-bounds, -Wstringop-overflow) misfire on code UBSan
# instruments (a memset of a struct member "into a region of size 0").
if [ "${EP_SANITIZE:-1}" != 0 ]; then
	echo "== building the sanitized tree in ${EP_BUILD_DIR}-asan"
	if EP_BUILD_DIR=${EP_BUILD_DIR}-asan EP_WERROR=false \
			EP_MESON_OPTS="-Db_sanitize=address,undefined -Db_lundef=false" \
			ep_build; then
		# halt_on_error: a UBSan report ends the program with an error;
		# detect_leaks: EAL cleanup frees what it allocated, but for one
		# DPDK 22.11 leak in secondaries (devtools/lsan.supp).
		ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1} \
		LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$EP_ROOT/devtools/lsan.supp:print_suppressions=0} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
		EP_SOAK_SECONDS=${EP_SOAK_SECONDS:-20} \
			run_suite "${EP_BUILD_DIR}-asan" "asan/" \
				'^(style|dpdk-style|one_dpdk|installed_plugin|vm|dw_edma_doc_examples),|^fuzz_|,fuzz$'
	else
		echo "FAIL asan/build"
		failed=$((failed + 1)) failures+=("asan/build")
	fi
fi

if [ ${#failures[@]} -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
