#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# DPDK-style checks that can run here. Prints one PASS/FAIL line per check
# and, for a failure, the offending file:line entries.
# Usage: devtools/check-style.sh [repo-root]
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 1
failed=0

files() { # tracked and untracked-but-not-ignored files matching the globs
	git ls-files -co --exclude-standard -- "$@" 2>/dev/null
}

check() { # name, then a command printing offending lines
	local name=$1 out
	shift
	out=$("$@")
	if [ -n "$out" ]; then
		echo "FAIL style/$name"
		echo "$out" | head -n 20 | sed 's/^/  /'
		failed=$((failed + 1))
	else
		echo "PASS style/$name"
	fi
}

spdx() {
	local f
	for f in $(files '*.c' '*.h' '*.sh' '*.py' 'meson.build' '*/meson.build' \
			'meson_options.txt' '.ci/run' '*.rst'); do
		head -n 3 "$f" | grep -q 'SPDX-License-Identifier: BSD-3-Clause' ||
			echo "$f: no SPDX-License-Identifier: BSD-3-Clause in the first lines"
	done
}

trailing_ws() {
	files '*.c' '*.h' '*.sh' '*.py' '*.rst' '*.md' '*meson*' '.ci/run' |
		xargs -r grep -nE '[[:space:]]+$' --
}

space_indent() { # DPDK indents C with tabs, meson with spaces
	files '*.c' '*.h' | xargs -r grep -HnE '^ {8}' --
	# Meson: 4 spaces a level, 8 for a continuation, never a tab. The
	# finer rules are DPDK's check-meson.py's, run by check-dpdk-style.sh.
	files 'meson.build' '*/meson.build' 'meson_options.txt' |
		xargs -r grep -HnE '^ *'$'\t' --
}

forbidden_tokens() {
	local src
	src=$(files 'drivers/*.c' 'drivers/*.h' 'lib/*.c' 'lib/*.h')
	[ -z "$src" ] && return
	# Libraries and drivers report errors; they never end the process.
	echo "$src" | xargs -r grep -nE '\b(rte_panic|rte_exit|abort)\(' --
	# Legacy builtins and raw attributes, as DPDK's checkpatches forbids.
	echo "$src" | xargs -r grep -nE '__sync_[a-z_]+\(|__attribute__\(\(' --
	echo "$src" | xargs -r grep -nE '\bstrncpy\(|\bsprintf\(' --
	# Drivers log through their registered log type, never to stdout.
	files 'drivers/*.c' | xargs -r grep -nE '\b(printf|puts)\(' --
}

long_lines() { # DPDK's limit is 100 columns (tabs count 8)
	files '*.c' '*.h' | xargs -r awk '{ gsub(/\t/, "        "); \
		if (length($0) > 100) print FILENAME ":" FNR ": " length($0) " columns" }'
}

# Exported symbols are listed twice: version.map (DPDK up to 25.03 and our
# out-of-tree build) and RTE_EXPORT_* marks in the sources (25.07+).
export_marks() {
	local d=drivers/dma/dw_edma map marks
	map=$(sed -n 's/^[[:space:]]*\([a-z_][a-z0-9_]*\);$/\1/p' "$d/version.map" | sort)
	marks=$(grep -ho 'RTE_EXPORT_[A-Z_]*SYMBOL(\([a-z0-9_]*\)' "$d"/*.c |
		sed 's/.*(//' | sort)
	[ "$map" = "$marks" ] || diff <(echo "$map") <(echo "$marks") |
		sed 's/^</version.map only:/; s/^>/RTE_EXPORT mark only:/' | grep only
}

check spdx-tag spdx
check trailing-whitespace trailing_ws
check tab-indent space_indent
check forbidden-tokens forbidden_tokens
check line-length long_lines
check export-marks export_marks
exit $((failed > 0))
