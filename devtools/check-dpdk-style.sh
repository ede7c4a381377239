#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# DPDK's own style tools, run on this tree, offline once set up. Prints one
# PASS/FAIL/SKIP line per check and, for a failure, every finding.
#
#   dpdk-meson         DPDK's devtools/check-meson.py on our meson files
#   dpdk-checkpatches  DPDK's devtools/checkpatches.sh (the kernel's
#                      checkpatch.pl with DPDK's options, forbidden tokens,
#                      symbol-map and tag checks) on the driver and its guide
#   dpdk-main-tokens   forbidden-token rules DPDK main added after 22.11,
#                      evaluated with 22.11's check-forbidden-tokens.awk
#   dpdk-symbol-maps   DPDK's devtools/check-symbol-maps.sh on version.map
#
# The DPDK tools come from the DPDK 22.11 source package that
# devtools/setup-deps.sh unpacks into ${XDG_CACHE_HOME:-~/.cache}/ep-dma/src.
# checkpatch.pl (with spelling.txt and const_structs.checkpatch) is taken out
# of Debian's linux-source-6.1 tarball into
# ${XDG_CACHE_HOME:-~/.cache}/ep-dma/checkpatch/; linux-source-6.1, gawk and
# codespell are installed with apt-get when missing. Nothing else is fetched,
# and nothing is fetched once that cache exists.
#
# Usage: devtools/check-dpdk-style.sh [--setup | --advisory] [repo-root]
#   --setup     only prepare the cache (install and extract), run no check
#   --advisory  report a check with findings as SKIP (findings still listed)
#               and exit 0, for a local look at findings; without it (as
#               the meson test runs it) a finding is a FAIL and exit 1
# Environment: DPDK_SRC_DIR (where dpdk-*/ lives), DPDK_CHECKPATCH_PATH (use
# this checkpatch.pl instead of the cached one).
set -uo pipefail

setup_only=false
advisory=false
case ${1:-} in
--setup) setup_only=true; shift ;;
--advisory) advisory=true; shift ;;
esac
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 1
root=$(pwd)

export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH
CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}
DPDK_SRC_DIR=${DPDK_SRC_DIR:-$CACHE_ROOT/ep-dma/src}
CP_DIR=$CACHE_ROOT/ep-dma/checkpatch
LINUX_SRC_PKG=linux-source-6.1
LINUX_TARBALL=/usr/src/$LINUX_SRC_PKG.tar.xz
CP_FILES='checkpatch.pl spelling.txt const_structs.checkpatch'

# What checkpatches.sh runs on: the driver and its guide.
CHECKPATCH_PATHS=(drivers/dma/dw_edma doc/guides/dmadevs/dw_edma.rst)

say() { echo "[dpdk-style] $*" >&2; }
failed=0
skipped=0

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else
		command -v sudo >/dev/null || { say "need root (or sudo) for: $*"; return 1; }
		sudo "$@"
	fi
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

install_debs() { # package... ; apt-get update only when a first try fails
	local missing=() p
	for p in "$@"; do installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing Debian packages: ${missing[*]}"
	local cmd=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
		--no-install-recommends "${missing[@]}")
	as_root "${cmd[@]}" >&2 && return 0
	as_root apt-get update -qq >&2 && as_root "${cmd[@]}" >&2
}

dpdk_src() { # the unpacked DPDK source tree, or nothing
	local d
	d=$(find "$DPDK_SRC_DIR" -maxdepth 1 -type d -name 'dpdk-*' 2>/dev/null | sort | tail -n1)
	[ -n "$d" ] && [ -f "$d/devtools/checkpatches.sh" ] && echo "$d"
}

# Extract checkpatch.pl and the data files it reads from the Debian kernel
# source tarball. The stamp holds the package version the files came from:
# a newer package is extracted again; without the package (removed after
# set-up, or offline) the cache is used as it is.
fresh=false
setup_checkpatch() {
	local ver tmp f top
	ver=$(dpkg-query -W -f='${Version}' "$LINUX_SRC_PKG" 2>/dev/null)
	if [ -x "$CP_DIR/checkpatch.pl" ]; then
		if [ ! -f "$LINUX_TARBALL" ] ||
				[ "$(cat "$CP_DIR/.stamp" 2>/dev/null)" = "$ver" ]; then
			return 0
		fi
	elif [ ! -f "$LINUX_TARBALL" ]; then
		install_debs "$LINUX_SRC_PKG" && [ -f "$LINUX_TARBALL" ] || {
			say "no $LINUX_TARBALL (cannot install $LINUX_SRC_PKG)"
			return 1
		}
		ver=$(dpkg-query -W -f='${Version}' "$LINUX_SRC_PKG" 2>/dev/null)
	fi
	say "extracting checkpatch.pl from $LINUX_TARBALL ($ver) into $CP_DIR"
	mkdir -p "$CACHE_ROOT/ep-dma"
	tmp=$(mktemp -d "$CACHE_ROOT/ep-dma/checkpatch.XXXXXX") || return 1
	top=$(basename "$LINUX_TARBALL" .tar.xz)
	# --occurrence stops reading once every named member is out.
	if ! tar -xJf "$LINUX_TARBALL" -C "$tmp" --occurrence=1 \
			$(for f in $CP_FILES; do echo "$top/scripts/$f"; done); then
		say "extraction failed"
		rm -rf "$tmp"
		return 1
	fi
	mkdir -p "$tmp/out"
	for f in $CP_FILES; do mv "$tmp/$top/scripts/$f" "$tmp/out/"; done
	chmod +x "$tmp/out/checkpatch.pl"
	echo "$ver" >"$tmp/out/.stamp"
	rm -rf "$CP_DIR"
	mv "$tmp/out" "$CP_DIR" && rm -rf "$tmp"
	fresh=true
}

# The DPDK scripts call plain "awk". Debian's default awk is mawk, which does
# not know \< and \>: DPDK rules written with them would never match. Give
# the scripts gawk under that name, as on a system where awk is gawk.
setup_awk() {
	command -v gawk >/dev/null || install_debs gawk || return 1
	mkdir -p "$CP_DIR/bin"
	ln -sfn "$(command -v gawk)" "$CP_DIR/bin/awk"
}

# Optional: checkpatch.pl --codespell reads codespell's dictionary. Tried
# only while setting up, so that an offline run never waits for apt-get.
setup_codespell() {
	command -v codespell >/dev/null && return
	if $setup_only || $fresh; then
		install_debs codespell && return
	fi
	say "codespell not installed: spelling is checked with spelling.txt only"
}

codespell_dict() {
	local d
	for d in /usr/share/codespell/dictionary.txt \
			/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt; do
		[ -f "$d" ] && { echo "$d"; return; }
	done
}

report() { # name, status (PASS/FAIL/SKIP), findings/reason text
	local name=$1 st=$2 text=${3:-}
	if [ "$st" = FAIL ] && $advisory; then
		echo "SKIP style/$name: advisory mode, findings:"
		printf '%s\n' "$text" | sed 's/^/  /'
		skipped=$((skipped + 1))
		return
	fi
	case $st in
	PASS) echo "PASS style/$name" ;;
	SKIP) echo "SKIP style/$name: $text"; skipped=$((skipped + 1)) ;;
	FAIL)
		echo "FAIL style/$name"
		printf '%s\n' "$text" | sed 's/^/  /'
		failed=$((failed + 1)) ;;
	esac
}

files() { # tracked and untracked-but-not-ignored files matching the globs
	git ls-files -co --exclude-standard -- "$@" 2>/dev/null
}

# check-meson.py walks a directory from the current one and checks every
# meson.build below it, build directories included. Load it as a module and
# hand it exactly our files instead. It numbers its "got some tabulation"
# errors from 0 (the other messages from 1): add 1 so every line number is
# a real one. It checks no file other than meson.build; meson_options.txt is
# given too, since the same indentation rules apply to it here.
check_meson() {
	local src=$1 out rc
	out=$(python3 -c '
import importlib.util, sys
spec = importlib.util.spec_from_file_location("check_meson", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
for name in sys.argv[2:]:
    mod.process_file(name, False)
' "$src/devtools/check-meson.py" \
		$(files 'meson.build' '*/meson.build' 'meson_options.txt') 2>&1)
	rc=$?
	out=$(printf '%s\n' "$out" | sed -E '/^$/d' | awk '
		match($0, /^Error parsing [^:]+:[0-9]+, got some tabulation$/) {
			split($0, a, /[:,]/); n = a[2] + 1
			sub(/:[0-9]+, got/, ":" n ", got"); print; next
		}
		{ print }')
	if [ $rc -ne 0 ]; then
		report dpdk-meson FAIL "check-meson.py exited with $rc"$'\n'"$out"
	elif printf '%s\n' "$out" | grep -q '^Error'; then
		report dpdk-meson FAIL "$out"
	else
		report dpdk-meson PASS
	fi
}

# checkpatches.sh checks patches. Make one patch per file, adding the file to
# an empty tree, so every finding is reported: 22.11's forbidden-token awk
# stops at the first offending file of a patch.
make_patches() { # outdir
	local out=$1 f n=0
	for f in $(files "${CHECKPATCH_PATHS[@]}"); do
		n=$((n + 1))
		{
			printf 'From: ep-dma style check <style-check@example.org>\n'
			printf 'Subject: [PATCH] add %s\n\n' "$f"
			printf 'Add %s as it is in the tree.\n\n' "$f"
			printf 'Signed-off-by: ep-dma style check <style-check@example.org>\n'
			printf -- '---\n'
			git -c core.quotePath=false diff --no-index --no-color \
				--no-ext-diff --src-prefix=a/ --dst-prefix=b/ \
				-- /dev/null "$f"
		} >"$out/$(printf '%04d' $n).patch"
	done
}

check_checkpatches() {
	local src=$1 patches=$2 cp dict out rc
	cp=${DPDK_CHECKPATCH_PATH:-$CP_DIR/checkpatch.pl}
	if [ ! -x "$cp" ]; then
		report dpdk-checkpatches SKIP "no checkpatch.pl (run with --setup while online)"
		return
	fi
	dict=$(codespell_dict)
	# checkpatches.sh reads VERSION from the current directory (release
	# notes rule): run it from the DPDK tree.
	out=$(cd "$src" && PATH="$CP_DIR/bin:$PATH" DPDK_CHECKPATCH_PATH="$cp" \
		DPDK_CHECKPATCH_CODESPELL="${dict:-disable}" \
		sh devtools/checkpatches.sh "$patches"/*.patch 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		report dpdk-checkpatches PASS
	else
		report dpdk-checkpatches FAIL "$(printf '%s\n' "$out" | sed '1{/^$/d}')"
	fi
}

# Rules DPDK main's checkpatches.sh has and 22.11's lacks, as
# "folders@@expressions@@message" (the awk's FOLDERS, EXPRESSIONS, MESSAGE).
MAIN_RULES=(
	'lib@@RTE_LOG\\(@@Prefer RTE_LOG_LINE'
	'drivers@@RTE_LOG\\( RTE_LOG_DP\\( rte_log\\(@@Prefer RTE_LOG_LINE/RTE_LOG_DP_LINE'
	'lib drivers@@perror\\( \\<printf\\> \\<fprintf\\(stdout, \\<fprintf\\(stderr,@@Writing to stdout or stderr'
	'lib drivers@@\\<install_headers\\>@@Using install_headers()'
	'lib drivers app examples@@\\<__rte_always_inline\\>@@Adding __rte_always_inline; prefer plain inline'
	'lib drivers app examples@@__rte_atomic_thread_fence\\(@@Using __rte_atomic_thread_fence, prefer rte_atomic_thread_fence'
	'lib drivers app examples@@__atomic_.*\\( __ATOMIC_(RELAXED|CONSUME|ACQUIRE|RELEASE|ACQ_REL|SEQ_CST)@@Using __atomic_xxx/__ATOMIC_XXX built-ins, prefer rte_atomic_xxx/rte_memory_order_xxx'
	'lib drivers app examples@@pthread_(create|join|detach|set(_?name_np|affinity_np)|attr_set(inheritsched|schedpolicy))\\(@@Using pthread functions, prefer rte_thread'
	'lib drivers app examples@@\\<__alignof__\\>@@Using __alignof__, prefer C11 alignof'
	'lib drivers app examples@@\\<__typeof__\\>@@Using __typeof__, prefer typeof'
	'lib drivers app examples@@\\<__builtin_@@Using __builtin helpers, prefer EAL macros'
	'lib drivers app examples@@include.*linux/pci_regs\\.h@@Using linux/pci_regs.h, prefer rte_pci.h'
	'lib drivers app examples@@#[[:space:]]*define.*[^(,[:space:]]\\.\\.\\.[[:space:]]*)@@Do not use variadic argument pack in macros'
	'lib drivers app examples@@(#pragma|_Pragma)@@Using compilers pragma is not allowed'
	'lib drivers@@rte_thread_(set_name|create_control)\\(@@Prefer rte_thread_(set_prefixed_name|create_internal_control)'
	'doc@@//doc.dpdk.org/guides/@@Using explicit URL to doc.dpdk.org, prefer :ref: or :doc:'
)

check_main_tokens() {
	local src=$1 patches=$2 p r folders expr msg out='' o
	for p in "$patches"/*.patch; do
		for r in "${MAIN_RULES[@]}"; do
			folders=${r%%@@*}
			expr=${r#*@@}
			msg=${expr#*@@}
			expr=${expr%%@@*}
			o=$("$CP_DIR/bin/awk" -v FOLDERS="$folders" -v EXPRESSIONS="$expr" \
				-v RET_ON_FAIL=1 -v MESSAGE="$msg" \
				-f "$src/devtools/check-forbidden-tokens.awk" "$p") ||
				out+="$(printf '%s\n' "$o" | paste -sd' ')"$'\n'
		done
		# main: __rte_aligned and friends only on struct or union types
		o=$(grep -nE '^\+.*\<__rte_(cache_|cache_min_)?aligned\>' "$p" |
			grep -vE '\<(struct|union)[[:space:]]*__rte_(cache_|cache_min_)?aligned\>')
		[ -n "$o" ] && out+="Warning in $(sed -n 's|^+++ b/||p' "$p"): alignment attribute not on a struct or union type"$'\n'
	done
	if [ -z "$out" ]; then
		report dpdk-main-tokens PASS
	else
		report dpdk-main-tokens FAIL "$(printf '%s' "$out" | sort | uniq -c |
			sed -E 's/^ *([0-9]+) (.*)/\2 (x\1)/; s/ \(x1\)$//')"
	fi
}

check_symbol_maps() {
	local src=$1 maps out
	maps=$(files '*version.map' '*.map')
	if [ -z "$maps" ]; then
		report dpdk-symbol-maps PASS
		return
	fi
	out=$(sh "$src/devtools/check-symbol-maps.sh" $(printf "$root/%s " $maps) 2>&1)
	if [ $? -eq 0 ]; then
		report dpdk-symbol-maps PASS
	else
		report dpdk-symbol-maps FAIL "$out"
	fi
}

main() {
	local src cp_ok=true
	src=$(dpdk_src)
	setup_checkpatch || cp_ok=false
	setup_awk || cp_ok=false
	setup_codespell
	$setup_only && { $cp_ok; return; }

	if [ -z "$src" ]; then
		for c in dpdk-meson dpdk-checkpatches dpdk-main-tokens dpdk-symbol-maps; do
			report $c SKIP "no DPDK source in $DPDK_SRC_DIR (run devtools/setup-deps.sh)"
		done
		return 77
	fi
	check_meson "$src"
	tmp=$(mktemp -d -t ep-dma-dpdk-style.XXXXXX) || return 1
	trap 'rm -rf "$tmp"' EXIT # global: the trap runs after main returns
	make_patches "$tmp"
	if $cp_ok; then
		check_checkpatches "$src" "$tmp"
		check_main_tokens "$src" "$tmp"
	else
		report dpdk-checkpatches SKIP "checkpatch.pl or gawk not available (offline before set-up?)"
		report dpdk-main-tokens SKIP "gawk not available"
	fi
	check_symbol_maps "$src"
	[ $failed -eq 0 ]
}

main
