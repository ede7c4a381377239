#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# What the fuzz targets need beyond devtools/setup-deps.sh: clang and its
# runtimes (libFuzzer, ASan, UBSan live in libclang-rt-14-dev, which clang
# only recommends). Idempotent; exits non-zero when they cannot be had.
set -euo pipefail
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

PKGS=(clang libclang-rt-14-dev)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
	echo "[setup-fuzz] installing ${missing[*]}" >&2
	as_root=()
	[ "$(id -u)" = 0 ] || as_root=(sudo)
	"${as_root[@]}" apt-get update -qq >&2 &&
	DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2 || exit 1
fi
lib=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
if [ ! -f "$lib" ]; then
	lib=$(find /usr/lib/llvm-*/lib/clang -name 'libclang_rt.fuzzer-x86_64.a' 2>/dev/null |
		head -n1)
fi
[ -n "$lib" ] && [ -f "$lib" ] || { echo "[setup-fuzz] no libFuzzer runtime" >&2; exit 1; }
