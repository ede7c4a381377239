#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# Every program and plugin of the project loads one DPDK: the one it was
# built against. For each file given, resolve its whole library closure as
# the dynamic loader does (ldd) and check that every DPDK library (librte_*,
# our driver aside) comes from that DPDK's library directory. One
# PASS/FAIL line per file.
#
# Usage: check-one-dpdk.sh <dpdk-libdir> <file or build dir>...
# A directory stands for every ELF program and shared object built in it.
# A file that links no DPDK library fails (a plugin that lost its links),
# except the helpers below that are not DPDK components.
no_dpdk='^libtest_vfio_pre416\.so$'   # LD_PRELOAD shim for the VM suite
set -u
libdir=$(realpath "${1:?usage: $0 <dpdk-libdir> <file or build dir>...}")
shift
failed=0
files=()
for a in "$@"; do
	if [ -d "$a" ]; then
		while IFS= read -r f; do
			head -c 4 "$f" | grep -q 'ELF' && files+=("$f")
		done < <(find "$a" -type f \( -name '*.so' -o -perm -u+x \) \
			-not -path '*.p/*' -not -path '*/meson-*' | sort)
	else
		files+=("$a")
	fi
done
for f in "${files[@]}"; do
	name=$(basename "$f")
	out=$(ldd "$f" 2>&1) || { echo "FAIL one_dpdk/$name (ldd: $out)"; failed=1; continue; }
	bad=
	while read -r lib arrow path _; do
		case $lib in
		librte_dma_dw_edma*) continue ;;
		librte_*) ;;
		*) continue ;;
		esac
		if [ "$arrow $path" = "=> not" ]; then
			bad="$bad $lib(not found)"
		elif [ "$(realpath "$(dirname "$path")")" != "$libdir" ]; then
			bad="$bad $lib($path)"
		fi
	done <<<"$out"
	n=$(echo "$out" | grep -c 'librte_')
	if [ "$n" = 0 ] && [[ "$name" =~ $no_dpdk ]]; then
		echo "PASS one_dpdk/$name (links no DPDK, as it should)"
	elif [ -n "$bad" ] || [ "$n" = 0 ]; then
		echo "FAIL one_dpdk/$name"
		echo "  from another DPDK:$bad"
		failed=1
	else
		echo "PASS one_dpdk/$name"
	fi
done
exit $failed
