#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build the libFuzzer targets (clang, ASan + UBSan, -Dfuzz=true) in their own
# build directory and run one or all of them for a bounded time, starting
# from the committed seed corpus (app/test/fuzz/corpus/<target>/) and the
# regression cases (app/test/fuzz/regressions/<target>/).
#
# Usage: devtools/fuzz.sh [options] <meta|model_cfg|options|all> [seconds]
#   seconds       per target (default 30)
#   --ci          print "PASS|FAIL|SKIP fuzz/<target>" lines for run-tests.sh;
#                 SKIP (exit 77) when clang cannot be installed
#   --build-dir D the fuzz build directory (default: ${EP_BUILD_DIR}-fuzz)
#   --keep        copy a crashing input into regressions/<target>/ (then
#                 fix the defect: the replay test fails until it is fixed)
# New inputs that add coverage go to <build-dir>/corpus-<target>/ (not the
# repository: merge the useful ones with -merge=1 by hand when you want).
# A longer run, e.g. 30 minutes in the background at low priority:
#   nice -n 19 devtools/fuzz.sh meta 1800
set -uo pipefail
source "$(dirname "$0")/env.sh"

ci=false keep=false fuzz_dir=""
while [ $# -gt 0 ]; do
	case $1 in
	--ci) ci=true ;;
	--keep) keep=true ;;
	--build-dir) fuzz_dir=$2; shift ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
target=${1:-}
secs=${2:-30}
targets=(meta model_cfg options)
fuzz_dir=${fuzz_dir:-${EP_BUILD_DIR}-fuzz}
[ -n "$target" ] || { sed -n '4,22p' "$0"; exit 2; }
[ "$target" = all ] || targets=("$target")

report() { # PASS|FAIL|SKIP detail
	if $ci; then
		for t in "${targets[@]}"; do echo "$1 fuzz/$t${2:+ ($2)}"; done
	else
		echo "[fuzz] $1${2:+: $2}" >&2
	fi
}

# clang and its libFuzzer/sanitizer runtimes; the PMD's build itself is gcc.
if ! "$EP_ROOT/devtools/setup-fuzz.sh"; then
	report SKIP "clang with libFuzzer not available"
	exit 77
fi
ep_setup >/dev/null || { report FAIL "set-up failed"; exit 1; }
# One build directory, set up once, rebuilt when sources change. Coverage
# instrumentation (-fsanitize=fuzzer-no-link) covers the driver and model;
# b_lundef=false: the sanitized shared libraries leave the runtime's
# symbols to the executable.
if [ ! -f "$fuzz_dir/build.ninja" ]; then
	CC=clang meson setup "$fuzz_dir" "$EP_ROOT" -Dfuzz=true -Dtests=false -Dapps=false \
		-Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true >"$fuzz_dir.setup.log" 2>&1 ||
		{ cat "$fuzz_dir.setup.log" >&2; report FAIL "meson setup of $fuzz_dir failed"; exit 1; }
fi
ninja -C "$fuzz_dir" >"$fuzz_dir.build.log" 2>&1 ||
	{ tail -n 40 "$fuzz_dir.build.log" >&2; report FAIL "build of $fuzz_dir failed"; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
rc_all=0
for t in "${targets[@]}"; do
	bin=$fuzz_dir/app/test/fuzz/fuzz_$t
	work=$fuzz_dir/corpus-$t
	art=$fuzz_dir/artifacts-$t
	log=$fuzz_dir/fuzz-$t.log
	mkdir -p "$work" "$art"
	# -close_fd_mask=1: the targets' own stdout (usage text) is noise;
	# libFuzzer and the sanitizers report on stderr.
	"$bin" -max_total_time="$secs" -print_final_stats=1 -close_fd_mask=1 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$art/" \
		"$work" "$EP_ROOT/app/test/fuzz/corpus/$t" \
		"$EP_ROOT/app/test/fuzz/regressions/$t" >"$log" 2>&1
	rc=$?
	stats=$(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" |
		sed 's/^stat:://; s/: */=/' | tr '\n' ' ')
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1)
	if [ "$rc" = 0 ]; then
		detail="${secs}s, ${cov}, ${stats% }"
		if $ci; then echo "PASS fuzz/$t ($detail)"; else echo "[fuzz] $t: $detail"; fi
		continue
	fi
	rc_all=1
	crash=$(ls -t "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-* 2>/dev/null | head -n1)
	$ci && echo "FAIL fuzz/$t (rc $rc, input ${crash:-none})"
	echo "[fuzz] $t failed (rc $rc), log $log; the report:" >&2
	grep -E -A25 '==ERROR|FUZZ INVARIANT|runtime error|Test unit written' "$log" | head -n 60 >&2
	if $keep && [ -n "$crash" ]; then
		cp "$crash" "$EP_ROOT/app/test/fuzz/regressions/$t/"
		echo "[fuzz] kept as app/test/fuzz/regressions/$t/$(basename "$crash")" >&2
	fi
done
exit $rc_all
