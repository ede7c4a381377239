#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# The VM suite (meson test 'vm', run by devtools/run-tests.sh): the dw_edma
# PMD, unmodified, in the QEMU test guest (devtools/vm/run-guest.sh), binding
# through vfio-pci the PCI functions that ep-model-pci serves from this host.
# One guest boot for every case; one slot, six functions:
#
#   00:03.0  blank: class 0x0801 without metadata (must be declined, unwritten)
#   00:03.1  eDMA unroll   2 wr + 2 rd   every data case, hot remove
#   00:03.2  HDMA compat   2 wr + 2 rd   every data case, hot remove
#   00:03.3  HDMA native   2 wr + 2 rd   every data case, hot remove
#   00:03.4  eDMA unroll, MSI-X table in the metadata BAR's second page:
#            probed under the vfio-pre416 shim (MSI-X page withheld)
#   00:03.5  presented at function 5, the model accepting requester
#            function 0 only: every job must abort
#
# The guest prints the result lines (app/test/vm-guest.sh, test_dw_edma_pci);
# this script adds the server's own report: every function's ownership
# violation count, which must be 0. If QEMU cannot start on this machine at
# all, the one line is "SKIP vm/dw_edma (reason)" and the status 77; any
# other failure fails.
#
# Usage: app/test/vm-suite.sh TEST_PROGRAM SHIM_LIBRARY EP_MODEL_PCI
# Environment: EP_BUILD_DIR (what the guest gets staged; default
# <repo>/build), EP_VM_SUITE_LOG (keep the serial log, server report
# included, in this file).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export EP_BUILD_DIR=${EP_BUILD_DIR:-$ROOT/build}
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

if [ $# != 3 ]; then
	echo "usage: $0 TEST_PROGRAM SHIM_LIBRARY EP_MODEL_PCI" >&2
	exit 2
fi
test_prog=$(readlink -f "$1") shim=$(readlink -f "$2") server=$(readlink -f "$3")
for f in "$test_prog" "$shim" "$server"; do
	if [ ! -f "$f" ]; then
		echo "FAIL vm/setup ($f missing: build the project first)"
		exit 1
	fi
done
case $test_prog/$shim in
"$EP_BUILD_DIR"/*/"$EP_BUILD_DIR"/*) ;;
*)
	echo "FAIL vm/setup (the test program and the shim must be in EP_BUILD_DIR=$EP_BUILD_DIR," \
		"which is what the guest gets)"
	exit 1
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ep-vm-suite.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
log=${EP_VM_SUITE_LOG:-$tmp/serial.log}

slot=00:03
# Model keys of the three functions that run every data case: the injected
# aborts t_abort() (test_dw_edma_pci.c) counts on; a bandwidth limit that
# keeps the hot-remove workload busy for seconds (the rest moves
# little data). Every engine sleeps 200 us when idle rather than 20: five
# engines share this host's CPUs with QEMU.
cases=abort=rd0:3,abort=wr0:4,bandwidth=8000000
idle=idle_sleep_us=200
# shellcheck disable=SC2054 # each element is one comma-separated --fn value
fns=(
	"blank:func=0"
	"dma:func=1,layout=edma-unroll,wr=2,rd=2,$cases,$idle"
	"dma:func=2,layout=hdma-compat,wr=2,rd=2,$cases,$idle"
	"dma:func=3,layout=hdma-native,wr=2,rd=2,$cases,$idle"
	"dma:func=4,layout=edma-unroll,wr=1,rd=1,msix_off=0x1000,$idle"
	"dma:func=0,pci_func=5,layout=edma-unroll,wr=1,rd=1,$idle"
)
wrapper=$server
qemu_args=()
for i in "${!fns[@]}"; do
	wrapper+=" --fn ${fns[$i]}"
	dev="x-pci-proxy-dev,id=epfn$i,fd=@FD$i@,bus=pcie.0,addr=${slot#*:}.$i"
	[ "$i" = 0 ] && dev+=",multifunction=on"
	qemu_args+=(-device "$dev")
done
wrapper+=" --"

# QEMU 7.2's x-pci-proxy-dev now and then crashes (SIGSEGV in
# memory_region_dispatch_write(), on a memory region freed while the proxy
# had dropped QEMU's global lock for a round trip) while the firmware and
# the kernel program the functions' BARs, as it does at power-off (see the
# guide's known issues). A boot that died that way ran no test: boot again,
# at most twice. A crash once the tests run is a failure like any other.
boot_crash() {
	[ "$rc" != 0 ] && [ ! -s "$tmp/out" ] &&
		grep -q '^\[vm\] FAIL boot: QEMU exited' "$tmp/err" &&
		grep -aq 'killed by signal 11' "$log"
}
start=$(date +%s.%N)
for attempt in 1 2 3; do
	"$ROOT/devtools/vm/run-guest.sh" --suite dw_edma --script "$HERE/vm-guest.sh" \
		--log "$log" --timeout 600 --env EP_VM_TEST="$test_prog" \
		--env EP_VM_SHIM="$shim" --env EP_VM_SLOT="$slot" --wrapper "$wrapper" -- \
		"${qemu_args[@]}" 2> >(tee "$tmp/err" >&2) | tee "$tmp/out"
	rc=${PIPESTATUS[0]}
	wait # for the stderr tee
	[ "$rc" = 77 ] && exit 77
	boot_crash || break
	echo "vm-suite: attempt $attempt: QEMU crashed with SIGSEGV while the guest booted" \
		"(the proxy's known QEMU 7.2 bug); no test ran" >&2
done
end=$(date +%s.%N)

# The server's report, written as QEMU went away: one line per function.
failed=false
grep -q '^FAIL ' "$tmp/out" && failed=true
mapfile -t report < <(grep -a '^ep-model-pci: function [0-7] (' "$log")
viol=$(printf '%s\n' "${report[@]}" | grep -vc ', 0 violations$')
printf '%s\n' "${report[@]}" | sed 's/^/  /'
grep -a '^ep-model-pci:   violation' "$log" | sed 's/^/  /'
sig=$(grep -a -o 'killed by signal [0-9]*' "$log" | head -n1)
if [ ${#report[@]} = ${#fns[@]} ] && [ "$viol" = 0 ]; then
	echo "PASS vm/server-report (${#report[@]} functions, 0 violations${sig:+; QEMU $sig at power-off, a known QEMU 7.2 quirk})"
else
	echo "FAIL vm/server-report (${#report[@]} of ${#fns[@]} functions reported, $viol with violations)"
	failed=true
fi
if [ "$rc" != 0 ] && ! $failed; then
	if boot_crash; then
		echo "FAIL vm/guest (QEMU crashed with SIGSEGV while booting, $attempt times)"
	else
		echo "FAIL vm/guest (run-guest.sh exited with status $rc)"
	fi
	failed=true
fi
timing=$(grep -o 'timing: .*' "$tmp/err" | tail -n1)
echo "vm-suite: ${timing:-no timing}; whole suite $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s" >&2
if $failed; then
	[ -z "${EP_VM_SUITE_LOG:-}" ] && cp "$log" "$EP_BUILD_DIR/vm-serial.log" 2>/dev/null &&
		echo "vm-suite: serial log kept in $EP_BUILD_DIR/vm-serial.log" >&2
	exit 1
fi
exit 0
