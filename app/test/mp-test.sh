#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# Run the multi-process test (test_dw_edma_mp): DPDK's multi-process needs
# hugepages. Reserve 2 MiB pages and mount a private hugetlbfs for the run,
# and give both back afterwards, whatever happens. Prints SKIP when pages
# cannot be had (not root, no memory).
#
# Usage: mp-test.sh <test_dw_edma_mp>
set -u
prog=${1:?usage: $0 <test_dw_edma_mp>}
pages=${MP_TEST_PAGES:-96}
knob=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
skip() { echo "SKIP dw_edma_mp/all ($*)"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root to reserve hugepages"
[ -w "$knob" ] || skip "no 2 MiB hugepage pool ($knob)"
before=$(cat "$knob")
dir=$(mktemp -d /tmp/ep-dma-huge.XXXXXX) || exit 1
prefix=ep-dma-mp$$
cleanup() {
	umount "$dir" 2>/dev/null
	rmdir "$dir"
	echo "$before" >"$knob"
	rm -rf "/var/run/dpdk/$prefix"
}
trap cleanup EXIT
echo $((before + pages)) >"$knob"
got=$(($(cat "$knob") - before))
[ "$got" -ge "$pages" ] || skip "only $got of $pages hugepages could be reserved"
mount -t hugetlbfs -o pagesize=2M nodev "$dir" || skip "cannot mount hugetlbfs"
timeout --kill-after=10 120 "$prog" --file-prefix="$prefix" --huge-dir="$dir" \
	-m $((pages * 2 - 16)) --iova-mode=va --no-pci -l 0 \
	--log-level=pmd.dma.dw_edma:notice </dev/null
