#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
# shellcheck shell=dash
#
# The guest side of the VM suite (run by app/test/vm-suite.sh through
# devtools/vm/run-guest.sh, under busybox sh in the test guest). Binds the
# served functions to vfio-pci as a user does, then runs test_dw_edma_pci
# twice: once on the functions as they are, once under the vfio-pre416 shim.
# Result lines go to stdout; DPDK's log goes to /tmp and its end is shown
# when a run fails.
#
# Environment (set by vm-suite.sh): EP_VM_TEST (test_dw_edma_pci),
# EP_VM_SHIM (libtest_vfio_pre416.so), EP_VM_SLOT (PCI slot, e.g. 00:03).
set -u

slot=0000:$EP_VM_SLOT
blank=$slot.0
unroll=$slot.1
compat=$slot.2
native=$slot.3
region=$slot.4
badfunc=$slot.5
da=ready_timeout_ms=10000
eal="-l 0 --iova-mode=pa --in-memory --no-telemetry --log-level=pmd.dma.dw_edma:info"

# The way a user binds them: driver_override and drivers_probe
# (devtools/vm/guest-vfio-bind.sh). Functions of one slot share an IOMMU
# group, so all of them go to vfio-pci.
if out=$(ep-vfio-bind "$blank" "$unroll" "$compat" "$native" "$region" "$badfunc" 2>&1); then
	grp=$(echo "$out" | sed -n '1s/.* //p')
	echo "PASS vm/vfio-bind (6 functions of $EP_VM_SLOT on vfio-pci, group $grp)"
else
	echo "$out" | sed 's/^/  | /'
	echo "FAIL vm/vfio-bind"
	exit 1
fi

rc=0
run() { # name command...
	name=$1
	shift
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$@" 2>"/tmp/$name.log"
	r=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "vm-guest: $name run took $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s"
	if [ $r != 0 ]; then
		echo "vm-guest: $name exited with status $r; end of its log:"
		tail -n 40 "/tmp/$name.log" | sed 's/^/  | /'
		rc=1
	fi
}

# Every function at EAL init but the one with the moved MSI-X table: the
# three map formats (each channel's cases, then hot remove), the blank
# function 0, the function whose model expects another requester function.
# shellcheck disable=SC2086 # eal is a list of words
run main "$EP_VM_TEST" $eal -a $blank,$da -a $unroll,$da -a $compat,$da -a $native,$da \
	-a $badfunc,$da -- --blank $blank --dma $unroll:edma-unroll:2:2 \
	--dma $compat:hdma-compat:2:2 --dma $native:hdma-native:2:2 --badfunc $badfunc

# As on a kernel before 4.16: the MSI-X table page withheld by vfio-pci.
# shellcheck disable=SC2086
run shim env LD_PRELOAD="$EP_VM_SHIM" "$EP_VM_TEST" $eal -a $region,$da -- \
	--region $region --nomap $unroll
# what the shim did (it reports each intervention once)
grep '^vfio-pre416 shim:' /tmp/shim.log | sed 's/^/vm-guest: /'
exit $rc
