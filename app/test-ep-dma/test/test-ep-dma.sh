#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Tests of dpdk-test-ep-dma (suite test_ep_dma): short runs of the app on
# dma_skeleton and on the simulated endpoint (dma_dw_edma_sim vdev), checking
# exit statuses, table and CSV contents, verification, error reporting,
# interactive mode (help, completion, output while the prompt waits), Ctrl-C,
# --list, the early CSV check, the burst clamp and the silicon projection.
# Prints "PASS|FAIL|SKIP test_ep_dma/<case>".
#
# Usage: test-ep-dma.sh <path to dpdk-test-ep-dma> [case-filter]
set -uo pipefail

APP=${1:?usage: $0 <dpdk-test-ep-dma> [filter]}
FILTER=${2:-}
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
DOC=$SRCDIR/../../doc/guides/tools/test_ep_dma.rst
WORK=$(mktemp -d /tmp/test-ep-dma.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# One EAL lcore: the second core is left to the skeleton's copy thread and
# the model's engine thread. --no-shconf: no shared run-time files, so runs
# do not collide with other DPDK processes on the machine.
EAL=(-l 0 --no-shconf --no-telemetry --no-huge --iova-mode=va -m 256 --no-pci
	--log-level=lib.eal:error --log-level=pmd.dma.skeleton:error
	--log-level=lib.telemetry:error)
SKEL=--vdev=dma_skeleton0
SIM=dma_dw_edma_sim0
# The model's engine thread inherits the main lcore's affinity unless
# pinned: put it on core 1, away from the polling lcore.
SIMX=,cpu=1
failed=0
out=

# The documented CSV columns, in order.
CSV_COLUMNS=device,dir,size,burst,sg,inflight,jobs,bytes,seconds
CSV_COLUMNS+=,mjobs_per_s,gbytes_per_s,cycles_per_job,enq_cycles,sub_cycles
CSV_COLUMNS+=,cpl_cycles,idle_polls,lat_min_ns,lat_med_ns,lat_p99_ns,lat_max_ns
CSV_COLUMNS+=,doorbells_per_job,mmio_reads_per_job,errors,mismatches
CSV_COLUMNS+=,cyc_med,cyc_p99,mmio_writes_per_job,doorbell_retries,stall_checks
CSV_COLUMNS+=,submits_per_job,cpl_calls_per_job,completion,proj_cpu_ns
CSV_COLUMNS+=,proj_mjobs_per_s,before_reads_per_job,before_stores_per_job
CSV_COLUMNS+=,proj_before_mjobs_per_s,link_pct

note() { echo "  $*"; }

# run <name> <timeout> <eal/app args...>: output in $WORK/<name>.out, rc in $rc
run() {
	local name=$1 t=$2
	shift 2
	out=$WORK/$name.out
	timeout --kill-after=5 "$t" "$APP" "$@" >"$out" 2>&1 </dev/null
	rc=$?
}

show_out() { sed 's/^/  | /' "$out" | tail -n 25; }

# csv_field <file> <row-match-awk-cond> <column-name>: values, one a line
csv_col() {
	awk -F, -v col="$3" -v cond="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
		{ if (cond == "" || $1 ~ cond) print $(idx[col]) }' "$1"
}

sim_available() {
	[ -n "${SIM_OK:-}" ] && return "$SIM_OK"
	printf 'list\nquit\n' | timeout 30 "$APP" "${EAL[@]}" \
		"--vdev=$SIM,wr=1,rd=1$SIMX" -- -i >"$WORK/sim-probe.out" 2>&1
	if grep -Eq ' (mem2dev|dev2mem) ' "$WORK/sim-probe.out"; then
		SIM_OK=0
	else
		SIM_OK=1
	fi
	return "$SIM_OK"
}

# ---- cases --------------------------------------------------------------

t_skeleton_verify() {
	run skel 60 "${EAL[@]}" $SKEL -- --jobs 20000 --size 64,4096 --verify \
		--progress 0
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	[ "$(grep -c '^dma_skeleton0 .*mem2mem' "$out")" = 2 ] ||
		{ note "expected 2 result rows"; show_out; return 1; }
	awk '/^dma_skeleton0 / { if ($6 != 20000 || $NF != 0) bad = 1 }
		END { exit bad }' "$out" ||
		{ note "jobs or errors column wrong"; show_out; return 1; }
}

t_skeleton_sg_rejected() {
	# dma_skeleton has no copy_sg: the app must refuse, naming the device.
	run skelsg 60 "${EAL[@]}" $SKEL -- --jobs 100 --sg 4 --progress 0
	[ "$rc" != 0 ] && grep -q 'dma_skeleton0: --sg 4 not supported' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
}

t_bad_option() {
	run badopt 30 "${EAL[@]}" $SKEL -- --dir sideways
	[ "$rc" != 0 ] && grep -q "invalid --dir 'sideways'" "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
	run baddev 30 "${EAL[@]}" $SKEL -- --dev nosuchdev --jobs 10
	[ "$rc" != 0 ] && grep -q "unknown dmadev 'nosuchdev'" "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
}

t_csv_columns() {
	local csv=$WORK/out.csv
	run csv 60 "${EAL[@]}" $SKEL -- --jobs 5000 --size 64,256,1024 \
		--latency --csv "$csv" --progress 0
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	[ "$(head -n 1 "$csv")" = "$CSV_COLUMNS" ] ||
		{ note "header: $(head -n 1 "$csv")"; return 1; }
	[ "$(wc -l <"$csv")" = 4 ] || { note "expected 3 rows"; cat "$csv"; return 1; }
	# every row has every column; jobs and sizes as asked; latency filled
	awk -F, -v n="$(echo "$CSV_COLUMNS" | tr ',' '\n' | wc -l)" '
		NR > 1 && (NF != n || $7 != 5000 || $17 == "" || $19 == "" ||
			$23 != 0) { bad = 1 }
		END { exit bad }' "$csv" || { note "bad rows"; cat "$csv"; return 1; }
	[ "$(csv_col "$csv" "" size | tr '\n' ' ')" = "64 256 1024 " ] ||
		{ note "sizes"; cat "$csv"; return 1; }
	# the guide documents every column
	if [ -f "$DOC" ]; then
		local c
		for c in $(echo "$CSV_COLUMNS" | tr ',' ' '); do
			grep -q "\`\`$c\`\`" "$DOC" ||
				{ note "column $c not documented in $DOC"; return 1; }
		done
	fi
}

t_interactive() {
	out=$WORK/inter.out
	printf '%s\n' 'help' 'list' 'show info 0' 'set size 64,512' \
		'set jobs 3000' 'set verify on' 'set burst 8' 'set sg 99' \
		'show config' 'start' 'wait' 'show results' 'show stats 0' \
		'set duration 30' 'start' 'stop' 'show results' 'quit' |
		timeout --kill-after=5 60 "$APP" "${EAL[@]}" $SKEL -- -i \
		--progress 0 >"$out" 2>&1
	rc=$?
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	local want
	for want in 'dma_skeleton0' 'capabilities: mem2mem' 'size = 64,512' \
			"invalid --sg '99'" 'verify         on' 'run finished' \
			'submitted 6000 completed 6000 errors 0' 'stopped' \
			'burst          8'; do
		grep -qF -- "$want" "$out" || { note "missing '$want'"; show_out; return 1; }
	done
	# first run: two rows of 3000 jobs; the stopped run printed a table too
	[ "$(grep -Ec '^dma_skeleton0 +mem2mem +(64|512) +8 +1 +3000 ' "$out")" -ge 4 ] ||
		{ note "result rows"; show_out; return 1; }
}

t_sigint() {
	out=$WORK/sigint.out
	"$APP" "${EAL[@]}" $SKEL -- --duration 60 --progress 100 \
		>"$out" 2>&1 </dev/null &
	local pid=$! i
	# wait (bounded) for traffic to show, then Ctrl-C
	for i in $(seq 1 200); do
		grep -q 'Mjobs/s' "$out" && break
		sleep 0.05
	done
	kill -INT "$pid"
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		note "did not stop within 5 s of SIGINT"
		return 1
	fi
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] && grep -q 'stopped by signal' "$out" &&
		grep -q '^dma_skeleton0 ' "$out" || { note "rc=$rc"; show_out; return 1; }
}

t_lcore_map() {
	run lmap 60 -l 0,1 "${EAL[@]:2}" $SKEL -- --lcore-map 1@dma_skeleton0 \
		--jobs 20000 --verify --progress 0
	[ "$rc" = 0 ] && grep -Eq '^dma_skeleton0 .* 20000 ' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
	run lmapbad 60 "${EAL[@]}" $SKEL -- --lcore-map 1@dma_skeleton0 --jobs 10
	[ "$rc" != 0 ] && grep -q 'lcore 1 is not enabled' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
}

# simulated endpoint: one case per direction, verification on
sim_dir_case() { # name vdev-args dir rows
	local name=$1 vargs=$2 dir=$3 rows=$4 csv=$WORK/$1.csv
	sim_available || return 77
	run "$name" 60 "${EAL[@]}" "--vdev=$SIM,$vargs$SIMX" -- --dir "$dir" \
		--size 64,4096 --jobs 2000 --burst 16 --verify --csv "$csv" \
		--progress 0
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	[ "$(grep -c "^$SIM-.*,$dir," "$csv")" = "$rows" ] ||
		{ note "expected $rows $dir rows"; cat "$csv"; return 1; }
	awk -F, 'NR > 1 && $1 != "total" && ($7 != 2000 || $23 != 0 ||
		$21 == "" || $22 == "") { bad = 1 } END { exit bad }' "$csv" ||
		{ note "jobs/errors/counters wrong"; cat "$csv"; return 1; }
}

t_sim_mem2dev_verify() { sim_dir_case m2d "wr=0,rd=2" mem2dev 4; }
t_sim_dev2mem_verify() { sim_dir_case d2m "wr=2,rd=0" dev2mem 4; }
t_sim_mem2mem_verify() {
	sim_dir_case m2m "wr=1,rd=1,outbound=0x1000000000000" mem2mem 4
}

t_sim_auto_both() {
	# auto: each channel in its own direction, all four at once
	sim_available || return 77
	run auto 60 "${EAL[@]}" "--vdev=$SIM,wr=2,rd=2$SIMX" -- --duration 0.2 \
		--size 1024 --verify --progress 0
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	[ "$(grep -Ec ' (mem2dev|dev2mem) +1024 ' "$out")" = 4 ] &&
		grep -Eq '^total ' "$out" || { note "rows"; show_out; return 1; }
}

t_sim_corruption_caught() {
	sim_available || return 77
	run corrupt 60 "${EAL[@]}" "--vdev=$SIM,wr=0,rd=1,corrupt=rd0:5$SIMX" -- \
		--size 256 --jobs 100 --burst 4 --verify --progress 0
	[ "$rc" != 0 ] || { note "corruption not caught (rc=0)"; show_out; return 1; }
	grep -Eq 'verification failed: job 5 \(size 256\) offset [0-9]+' "$out" ||
		{ note "no mismatch report naming job 5"; show_out; return 1; }
	grep -q 'FAILED' "$out" || { note "no FAILED line"; show_out; return 1; }
}

t_sim_abort_reported() {
	sim_available || return 77
	# the model counts linked-list elements: one batch of 50 jobs puts
	# job 7 at element 7 (the batch's write-back element comes last)
	run abort 60 "${EAL[@]}" "--vdev=$SIM,wr=1,rd=0,abort=wr0:7$SIMX" -- \
		--size 128 --jobs 50 --burst 50 --verify --progress 0
	[ "$rc" != 0 ] && grep -Eq 'job 7 \(size 128\) failed with status' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
}

t_sim_stuck_device_no_hang() {
	# a 1 s per element engine: the device fails on the timeout, the run
	# ends, the skeleton beside it still completes
	sim_available || return 77
	local t0=$SECONDS
	run stuck 60 "${EAL[@]}" "--vdev=$SIM,wr=1,rd=0,element_ns=1000000000" \
		$SKEL -- --size 64 --jobs 2000 --timeout 200 --progress 0
	[ "$rc" != 0 ] && grep -q 'no completion within the timeout' "$out" &&
		grep -Eq '^dma_skeleton0 .* 2000 ' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
	[ $((SECONDS - t0)) -lt 20 ] || { note "took $((SECONDS - t0)) s"; return 1; }
}

t_sim_vs_skeleton() {
	local csv=$WORK/cmp.csv
	sim_available || return 77
	run cmp 60 "${EAL[@]}" "--vdev=$SIM,wr=1,rd=1$SIMX" $SKEL -- --size 64,65536 \
		--duration 0.2 --csv "$csv" --progress 100
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	grep -q 'Mjobs/s' "$out" || { note "no progress line"; return 1; }
	[ "$(grep -c '^dma_skeleton0,' "$csv")" = 2 ] &&
		[ "$(grep -c '^total,' "$csv")" = 2 ] &&
		[ "$(grep -Ec ',(mem2dev|dev2mem),' "$csv")" -ge 4 ] ||
		{ note "rows"; cat "$csv"; return 1; }
	# skeleton has no PMD counters, ours has
	awk -F, '$1 == "dma_skeleton0" && $21 != "" { bad = 1 }
		$3 == "mem2dev" && $21 == "" { bad = 1 } END { exit bad }' "$csv" ||
		{ note "counter columns"; cat "$csv"; return 1; }
}

t_sim_sg_verify() {
	sim_available || return 77
	run sg 60 "${EAL[@]}" "--vdev=$SIM,wr=1,rd=1$SIMX" -- --sg 4 \
		--size 1000,4096 --jobs 1000 --verify --latency --progress 0
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	[ "$(grep -Ec '^dma_dw_edma_sim0-(wr|rd)0 .* (1000|4096) +32 +4 +1000 ' "$out")" = 4 ] ||
		{ note "rows"; show_out; return 1; }
}

t_sim_interactive() {
	sim_available || return 77
	out=$WORK/siminter.out
	printf '%s\n' 'list' "show info $SIM-rd0" 'set dev *rd0' 'set size 256' \
		'set jobs 4000' 'set verify on' 'start' 'wait' 'show results' \
		"show stats $SIM-rd0" 'set duration 30' 'set dev all' 'start' 'stop' \
		'quit' | timeout --kill-after=5 60 "$APP" "${EAL[@]}" \
		"--vdev=$SIM,wr=1,rd=1$SIMX" -- -i --progress 0 >"$out" 2>&1
	rc=$?
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	local want
	for want in "$SIM-wr0" 'dw_edma channel dma_dw_edma_sim0 rd0 (mem2dev)' \
			'run finished' 'submitted 4000 completed 4000 errors 0' \
			'dw_edma: doorbells' 'model dma_dw_edma_sim0: elements' \
			'run stopped' 'stopped'; do
		grep -qF -- "$want" "$out" || { note "missing '$want'"; show_out; return 1; }
	done
	[ "$(grep -Ec "^$SIM-rd0 +mem2dev +256 +32 +1 +4000 " "$out")" = 2 ] &&
		grep -Eq "^$SIM-wr0 +dev2mem +256 " "$out" ||
		{ note "result rows"; show_out; return 1; }
}

t_sim_ep_addr_option() {
	# the hardware options on the simulator: an explicit endpoint buffer
	# (inside the model's endpoint memory) without a host mapping runs,
	# unverified, and says so
	sim_available || return 77
	run epaddr 60 "${EAL[@]}" "--vdev=$SIM,wr=1,rd=1$SIMX" -- \
		--ep-addr 0x4100000 --ep-size 0x100000 --jobs 1000 --verify \
		--progress 0
	[ "$rc" = 0 ] && grep -q "rd0: endpoint buffer not mapped on the host \
(--ep-map), mem2dev not verified" "$out" &&
		grep -Eq "^$SIM-wr0 +dev2mem +4096 +32 +1 +1000 " "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
	run epaddr2 60 "${EAL[@]}" "--vdev=$SIM,wr=1,rd=1$SIMX" -- \
		--ep-addr 0x4100000 --ep-size 0x1000 --size 8192 --jobs 10
	[ "$rc" != 0 ] && grep -q 'does not fit in its share of endpoint memory' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
}

# DPDK's telemetry (/dmadev/*) sees the simulated channels: the app runs in
# interactive mode, fed from a FIFO so it lives until told to quit, and is
# queried with Debian's dpdk-telemetry.py once its socket exists.
t_sim_telemetry() {
	local tel=/usr/bin/dpdk-telemetry.py prefix=ep-dma-tel$$ fifo=$WORK/tel.fifo
	local sock info pid i
	sim_available || return 77
	[ -x "$tel" ] || { note "$tel missing (dpdk-dev)"; return 1; }
	mkfifo "$fifo"
	timeout 60 "$APP" -l 0 --file-prefix=$prefix --no-huge --iova-mode=va \
		-m 256 --no-pci --log-level=lib.eal:error \
		"--vdev=$SIM,wr=1,rd=1$SIMX" -- -i <"$fifo" >"$WORK/tel.out" 2>&1 &
	pid=$!
	exec 9>"$fifo"
	sock=$(find /var/run/dpdk "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk" \
		-maxdepth 0 2>/dev/null | head -n1)/$prefix/dpdk_telemetry.v2
	for i in $(seq 200); do
		[ -S "$sock" ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	info=$(printf '/dmadev/info,0\n' | timeout 10 /usr/bin/python3 "$tel" \
		-f $prefix 2>&1)
	echo quit >&9
	exec 9>&-
	wait $pid
	echo "$info" | grep -q "\"name\": \"$SIM-wr0\"" &&
		echo "$info" | grep -q '"handles_errors": 1' ||
		{ note "telemetry answered: $info"; out=$WORK/tel.out; show_out; return 1; }
}

t_csv_bad_path_fails_first() {
	# the CSV is opened before anything runs: a bad path costs no run
	local t0 t1
	t0=$(date +%s%N)
	run csvbad 30 "${EAL[@]}" $SKEL -- --duration 20 --progress 0 \
		--csv "$WORK/no-such-dir/out.csv"
	t1=$(date +%s%N)
	[ "$rc" != 0 ] || { note "rc=0"; show_out; return 1; }
	grep -q "^--csv $WORK/no-such-dir/out.csv: cannot open for appending: \
No such file or directory" "$out" || { note "no message"; show_out; return 1; }
	! grep -q '^device ' "$out" || { note "it ran"; show_out; return 1; }
	[ $(((t1 - t0) / 1000000)) -lt 2000 ] ||
		{ note "took $(((t1 - t0) / 1000000)) ms"; return 1; }
	# interactive: "set csv" refuses the path and keeps the old value
	out=$WORK/csvbadi.out
	printf '%s\n' "set csv $WORK/no-such-dir/x.csv" 'show config' 'quit' |
		timeout 30 "$APP" "${EAL[@]}" $SKEL -- -i >"$out" 2>&1
	grep -q 'cannot open for appending: No such file or directory; csv unchanged' \
		"$out" && grep -Eq '^csv +none$' "$out" || { show_out; return 1; }
}

t_list() {
	# --list outside interactive mode: one line per dmadev, then exit
	local args=("${EAL[@]}" $SKEL)
	sim_available && args+=("--vdev=$SIM,wr=1,rd=1$SIMX")
	run list 30 "${args[@]}" -- --list
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	grep -Eq '^id +name +driver +directions +max_desc +endpoint channel +completion$' \
		"$out" || { note "header"; show_out; return 1; }
	grep -Eq '^[0-9]+ +dma_skeleton0 +dma_skeleton +mem2mem +[0-9]+ +- +-$' "$out" ||
		{ note "skeleton line"; show_out; return 1; }
	! grep -q '^device ' "$out" || { note "it ran"; show_out; return 1; }
	sim_available || return 0
	grep -Eq "^[0-9]+ +$SIM-wr0 +dma_dw_edma_sim +dev2mem +[0-9]+ +$SIM wr0 \
+write-back$" "$out" && grep -Eq "^[0-9]+ +$SIM-rd0 +dma_dw_edma_sim +mem2dev \
+[0-9]+ +$SIM rd0 +llp$" "$out" || { note "sim lines"; show_out; return 1; }
}

t_burst_clamped() {
	# a burst larger than the ring is cut to the ring, with a message
	run burst 60 "${EAL[@]}" $SKEL -- --ring 64 --burst 100 --jobs 2000 \
		--progress 0
	[ "$rc" = 0 ] && grep -q "dma_skeleton0: --burst 100 is more than the \
ring's 64 descriptors, using --burst 64" "$out" &&
		grep -Eq '^dma_skeleton0 +mem2mem +4096 +64 +1 +2000 ' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
	run burst0 30 "${EAL[@]}" $SKEL -- --burst 5000 --jobs 10
	[ "$rc" != 0 ] && grep -q "invalid --burst '5000'" "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
}

t_interactive_help_and_completion() {
	# help lists every parameter with its current value; TAB completes
	# parameter names and the choices of dir and the flags
	local names name
	out=$WORK/help.out
	printf 'set burst 8\nset bur\t16\nset dir mem2d\t\nset late\t o\tn\nhelp\nquit\n' |
		timeout 30 "$APP" "${EAL[@]}" $SKEL -- -i --size 64,128 >"$out" 2>&1
	rc=$?
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	for want in 'burst = 16' 'dir = mem2dev' 'latency = on'; do
		grep -qF "$want" "$out" || { note "missing '$want'"; show_out; return 1; }
	done
	names=$("$APP" "${EAL[@]}" -- --help | sed -n 's/^  --\([a-z-]*\).*/\1/p' |
		grep -vx 'list\|costs\|interactive\|help')
	[ "$(echo "$names" | wc -l)" -ge 20 ] || { note "names: $names"; return 1; }
	for name in $names; do
		grep -Eq "^  $name +[^ ]" "$out" ||
			{ note "help does not list $name"; show_out; return 1; }
	done
	# with their current values
	grep -Eq '^  burst +16 ' "$out" && grep -Eq '^  size +64,128 ' "$out" &&
		grep -Eq '^  latency +on ' "$out" || { note "values"; show_out; return 1; }
}

t_interactive_prompt_redrawn() {
	# progress lines from the run thread clear the prompt line first and
	# draw the prompt and the half-typed command again after them
	command -v script >/dev/null || { note "no script(1)"; return 77; }
	out=$WORK/pty.out
	{ printf 'set duration 1.5\nset progress 200\nstart\n'; sleep 0.6
	  printf 'set si'; sleep 1.6; printf 'ze 64\nquit\n'; } |
		timeout 30 script -qfec "$APP ${EAL[*]} $SKEL -- -i" /dev/null \
		>"$out" 2>&1
	grep -q $'\r\033\[K\[size 4096' "$out" ||
		{ note "progress not on a cleared line"; show_out; return 1; }
	[ "$(grep -c 'ep-dma> set si' "$out")" -ge 2 ] ||
		{ note "prompt and typed text not redrawn"; show_out; return 1; }
	grep -q 'size = 64' "$out" || { note "typed command lost"; show_out; return 1; }
}

t_costs() {
	run costs 30 "${EAL[@]}" -- --costs --link 4,2,256 --cost-read 800
	[ "$rc" = 0 ] && grep -Eq 'non-posted MMIO read +800.0 ns' "$out" &&
		grep -q 'PCIe Gen4 x2, MPS 256: 3.4074 GB/s' "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
	run costsbad 30 "${EAL[@]}" -- --costs --link 4,3
	[ "$rc" != 0 ] && grep -q "invalid --link '4,3'" "$out" ||
		{ note "rc=$rc"; show_out; return 1; }
}

t_sim_projection() {
	# counters, the silicon projection (now and before write-back), the
	# link share and the memcpy baseline, in the table and the CSV
	local csv=$WORK/proj.csv
	sim_available || return 77
	run proj 60 "${EAL[@]}" "--vdev=$SIM,wr=1,rd=0$SIMX" $SKEL -- --size 64 \
		--jobs 20000 --memcpy --link 4,2,256 --csv "$csv" --progress 0
	[ "$rc" = 0 ] || { note "rc=$rc"; show_out; return 1; }
	grep -q '^PCIe accesses per job and per-core ceiling on silicon' "$out" &&
		grep -Eq "^$SIM-wr0 +64 +32 +write-back +[0-9.]+ +[0-9.]+ .* \| +[0-9.]+ +[0-9.]+ +[0-9.]+ \| +[0-9.]+x +[0-9.]+$" \
		"$out" && grep -Eq '^memcpy +mem2mem +64 +1 +1 +20000 ' "$out" ||
		{ note "tables"; show_out; return 1; }
	awk -F, -v sim="$SIM-wr0" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ d = $c["device"] }
		d == sim && ($c["proj_mjobs_per_s"] <= 0 ||
			$c["proj_before_mjobs_per_s"] <= 0 ||
			$c["mmio_writes_per_job"] < 3 ||
			$c["completion"] != "write-back" || $c["cyc_med"] <= 0 ||
			$c["cyc_p99"] < $c["cyc_med"] || $c["link_pct"] == "") { bad = 1 }
		d == "dma_skeleton0" && ($c["proj_mjobs_per_s"] != "" ||
			$c["cyc_med"] <= 0) { bad = 1 }
		d == "memcpy" { m++ }
		END { exit bad || m != 1 }' "$csv" || { note "csv"; cat "$csv"; return 1; }
}

t_sim_stats_names() {
	# counters say what they count
	sim_available || return 77
	out=$WORK/names.out
	printf '%s\n' 'set jobs 1000' 'start' 'wait' "show stats $SIM-wr0" 'quit' |
		timeout 30 "$APP" "${EAL[@]}" "--vdev=$SIM,wr=1,rd=0$SIMX" -- -i \
		--progress 0 >"$out" 2>&1
	grep -q 're-rung for a missed doorbell' "$out" &&
		grep -q 'dropped while running (missed-doorbell quirk)' "$out" &&
		! grep -qw 'lost' "$out" || { show_out; return 1; }
}

# Every command of the guide that starts with build/app/test-ep-dma/ runs as
# written, from a directory laid out like the source tree (--no-shconf added,
# so that it does not meet other DPDK processes' run-time files). The
# corruption example must fail; every other one must succeed.
t_doc_examples() {
	local dir=$WORK/doc n=0 cmd want
	[ -f "$DOC" ] || { note "no guide"; return 77; }
	sim_available || return 77
	mkdir -p "$dir/build/app/test-ep-dma"
	ln -sf "$(readlink -f "$APP")" "$dir/build/app/test-ep-dma/dpdk-test-ep-dma"
	while IFS= read -r cmd; do
		n=$((n + 1))
		cmd=${cmd/dpdk-test-ep-dma /dpdk-test-ep-dma --no-shconf }
		out=$WORK/doc-$n.out
		(cd "$dir" && timeout --kill-after=5 120 bash -c "$cmd") >"$out" 2>&1 </dev/null
		rc=$?
		want=0
		[[ "$cmd" == *corrupt=* ]] && want=1
		if { [ "$want" = 0 ] && [ "$rc" != 0 ]; } ||
				{ [ "$want" = 1 ] && { [ "$rc" = 0 ] || [ "$rc" -ge 124 ]; }; }; then
			note "example $n (rc=$rc): $cmd"
			show_out
			return 1
		fi
	done < <(awk '
		/^   build\/app\/test-ep-dma\/dpdk-test-ep-dma / { cmd = ""; on = 1 }
		on {
			line = $0; sub(/^ +/, "", line)
			if (line ~ /\\$/) { sub(/\\$/, "", line); cmd = cmd line; next }
			print cmd line; on = 0
		}' "$DOC")
	[ "$n" -ge 8 ] || { note "only $n examples found"; return 1; }
}

cases=(skeleton_verify skeleton_sg_rejected bad_option csv_columns
	interactive sigint lcore_map csv_bad_path_fails_first list burst_clamped
	interactive_help_and_completion interactive_prompt_redrawn costs
	sim_mem2dev_verify sim_dev2mem_verify
	sim_mem2mem_verify sim_auto_both sim_corruption_caught
	sim_abort_reported sim_stuck_device_no_hang sim_vs_skeleton
	sim_sg_verify sim_interactive sim_ep_addr_option sim_telemetry
	sim_projection sim_stats_names doc_examples)

for c in "${cases[@]}"; do
	if [ -n "$FILTER" ] && [[ "$c" != *"$FILTER"* ]]; then
		continue
	fi
	"t_$c"
	r=$?
	if [ "$r" = 0 ]; then
		echo "PASS test_ep_dma/$c"
	elif [ "$r" = 77 ]; then
		echo "SKIP test_ep_dma/$c (simulated endpoint or tool not available)"
	else
		echo "FAIL test_ep_dma/$c"
		failed=$((failed + 1))
	fi
done
[ "$failed" = 0 ]
