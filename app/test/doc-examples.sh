#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# Run the runnable examples of the guides and the README as written (the
# driver guide, doc/guides/dmadevs/dw_edma.rst, and README.md). Prints one
# PASS/FAIL line per example.
#
# Convention: an rst comment ".. doc-test: <name>" in front of a
# ".. code-block:: console" block (blank lines between are allowed) marks
# that block as runnable on the simulated endpoint; in Markdown the comment
# "<!-- doc-test: <name> -->" in front of a fenced "```sh" block. Its lines, with
# backslash continuations, are run from the repository's point of view
# ("build/..." paths) by bash with -e and pipefail; the example fails on a
# non-zero exit and its text is printed. Every console block that uses the
# simulated endpoint (dma_dw_edma_sim) and no PCI address (-a) must be
# marked: an unmarked one is a FAIL, so a new example cannot be forgotten.
#
# The examples run in a private directory holding a copy of the build files
# they name (EAL loads a -d plugin only below directories that are not
# world-writable, and the clone may live under /tmp), with the relative
# layout kept so that the plugins' $ORIGIN run paths still resolve.
# "--no-shconf" is added after the program name of dpdk-test and
# dpdk-test-ep-dma so that the runs do not collide with other DPDK
# processes of the machine.
#
# Usage: doc-examples.sh <build dir> <libdpdk.pc directory> <doc>...
set -u
usage="usage: $0 <build dir> <libdpdk.pc directory> <doc>..."
build=${1:?$usage}
pcdir=${2:?$usage}
shift 2
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH
# what "source devtools/env.sh && ep_setup" gives the reader
export PKG_CONFIG_PATH=$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
name=dw_edma_doc

stage_root=${XDG_CACHE_HOME:-$HOME/.cache}/ep-dma
mkdir -p "$stage_root" && chmod go-w "$stage_root" || exit 1
stage=$(mktemp -d "$stage_root/doc.XXXXXX") || exit 1
chmod 700 "$stage"
trap 'rm -rf "$stage"' EXIT
for f in drivers/librte_dma_dw_edma.so lib/ep_model_vdev/libep_model_vdev.so \
		lib/ep_model/libep_model.so; do
	mkdir -p "$stage/build/$(dirname "$f")"
	cp "$build/$f" "$stage/build/$f" || { echo "FAIL $name/stage ($f)"; exit 1; }
done
# executables are not permission-checked: a link is enough
if [ -x "$build/app/test-ep-dma/dpdk-test-ep-dma" ]; then
	mkdir -p "$stage/build/app/test-ep-dma"
	ln -s "$(realpath "$build/app/test-ep-dma/dpdk-test-ep-dma")" \
		"$stage/build/app/test-ep-dma/dpdk-test-ep-dma"
fi

failed=0 n=0
for doc in "$@"; do
	# Blocks as records: "<name>\x1f<command>\x1f<command>..." per line; an
	# unmarked sim block gets the name "-".
	blocks=$(awk '
		function flush() {
			if (inblk && cmds != "" && (name != "" ||
					(cmds ~ /dma_dw_edma_sim/ && cmds !~ /(^|[ \x1f])-a /)))
				print (name != "" ? name : "-") cmds
			inblk = 0; cmds = ""; name = ""; cur = ""
		}
		/^\.\. doc-test: / { flush(); pend = $3; next }
		/^<!-- doc-test: .* -->$/ { flush(); pend = $3; next }
		/^\.\. code-block:: console/ {
			flush(); inblk = 1; name = pend; pend = ""; next
		}
		/^```sh$/ { flush(); inblk = 2; name = pend; pend = ""; next }
		inblk == 2 && /^```$/ { flush(); next }
		inblk == 2 && !/^#/ && !/^$/ {
			line = $0; sub(/^ +/, "", line)
			if (line ~ /\\$/) { sub(/\\$/, "", line); cur = cur line; next }
			cmds = cmds "\x1f" cur line; cur = ""
			next
		}
		inblk == 2 { next }
		inblk && /^$/ { next }
		inblk && /^   / {
			line = $0; sub(/^   /, "", line); sub(/^ +/, "", line)
			if (line ~ /\\$/) { sub(/\\$/, "", line); cur = cur line; next }
			cmds = cmds "\x1f" cur line; cur = ""
			next
		}
		inblk { flush() }
		/^[^ ]/ && !/^\.\. doc-test: / && !/^<!-- doc-test: / { pend = "" }
		END { flush() }' "$doc")

	while IFS=$'\x1f' read -r -a rec; do
		ex=${rec[0]}
		cmds=("${rec[@]:1}")
		if [ "$ex" = "-" ]; then
			echo "FAIL $name/unmarked_example (a simulated-endpoint example in" \
				"$(basename "$doc") without a doc-test mark):"
			printf '    %s\n' "${cmds[@]}"
			failed=$((failed + 1))
			continue
		fi
		n=$((n + 1))
		script=$stage/$ex.sh
		{
			echo "set -eo pipefail"
			printf '%s\n' "${cmds[@]}" |
				sed -E 's#(/dpdk-test(-ep-dma)?)(["]?) #\1\3 --no-shconf #'
		} >"$script"
		log=$stage/$ex.log
		start=$(date +%s)
		(cd "$stage" && timeout --kill-after=10 300 bash "$script") \
			</dev/null >"$log" 2>&1
		rc=$?
		if [ "$rc" = 0 ]; then
			echo "PASS $name/$ex ($(( $(date +%s) - start ))s)"
		else
			echo "FAIL $name/$ex (rc=$rc), as written in $(basename "$doc"):"
			printf '    %s\n' "${cmds[@]}"
			echo "  ---- last lines of its output:"
			tail -n 25 "$log" | sed 's/^/  | /'
			failed=$((failed + 1))
		fi
	done <<<"$blocks"
done
if [ "$n" = 0 ]; then
	echo "FAIL $name/examples_found (no doc-test block in $*)"
	exit 1
fi
[ "$failed" = 0 ]
