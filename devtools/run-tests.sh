#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Set up whatever is missing, build with warnings as errors, and run every
# test of the project: style checks, the model's and the driver's functional
# tests, DPDK's stock dmadev suite on the driver, and the app's tests.
# Ends with one line "N passed, N failed, N skipped" and exits non-zero if
# anything failed.
#
# Usage: devtools/run-tests.sh [name-filter]
set -uo pipefail
source "$(dirname "$0")/env.sh"

filter=${1:-}
logdir=$EP_BUILD_DIR/test-logs
passed=0 failed=0 skipped=0
failures=()

count_output() { # name rc logfile
	local name=$1 rc=$2 log=$3 p f s
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
mkdir -p "$logdir"

# Tests are registered with meson's test() in each component's meson.build;
# run them one by one so each program's PASS/FAIL lines are counted.
mapfile -t tests < <(/usr/bin/python3 - "$EP_BUILD_DIR" <<'PY'
import json, subprocess, sys, shlex
out = subprocess.run(['meson', 'introspect', '--tests', sys.argv[1]],
                     capture_output=True, text=True, check=True).stdout
for t in json.loads(out):
    env = ' '.join('%s=%s' % (k, shlex.quote(v)) for k, v in (t.get('env') or {}).items())
    cmd = ' '.join(shlex.quote(c) for c in t['cmd'])
    # \x1f, not a tab: read merges runs of whitespace separators.
    print('%s\x1f%d\x1f%s\x1f%s\x1f%s' % (t['name'], t.get('timeout') or 300,
          t.get('workdir') or sys.argv[1], env, cmd))
PY
)

for line in "${tests[@]}"; do
	IFS=$'\x1f' read -r name timeout wdir envs cmd <<<"$line"
	if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then
		continue
	fi
	echo "== $name"
	log=$logdir/$name.log
	start=$(date +%s)
	(cd "$wdir" && eval "env $envs timeout --kill-after=10 $timeout $cmd") \
		</dev/null >"$log" 2>&1
	rc=$?
	[ "$rc" = 124 ] && echo "FAIL $name/timeout after ${timeout}s" >>"$log"
	count_output "$name" "$rc" "$log"
	echo "   ($(( $(date +%s) - start ))s)"
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
