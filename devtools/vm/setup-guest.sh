#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Prepare what the test guest boots, outside the clone:
#  - Debian packages qemu-system-x86 and busybox-static (apt-get, if missing);
#  - Debian's linux-image-6.1.*-amd64 kernel, fetched with 'apt-get download'
#    and unpacked with 'dpkg-deb -x' (nothing is installed on the host): its
#    uncompressed vmlinux (PVH-bootable with QEMU -kernel) and the modules the
#    guest needs (vfio, vfio_iommu_type1, vfio-pci, 9p over virtio, ...);
#  - a busybox initramfs holding those modules and devtools/vm/guest-init.sh
#    as /init.
# Everything is cached in ${XDG_CACHE_HOME:-~/.cache}/ep-dma/vm/, keyed by
# the kernel package's version and a recipe version (kernel part), and by a
# hash of the initramfs inputs (initramfs part); reruns reuse it.
#
# Usage: devtools/vm/setup-guest.sh [--print-env]
#   --print-env  print EP_VM_KERNEL=, EP_VM_INITRD=, EP_VM_KREL= and
#                EP_VM_KPKG= lines on stdout
# Environment:
#   EP_VM_KERNEL_PKG     kernel package (default: the one linux-image-amd64
#                        depends on, i.e. Debian 12's current 6.1 kernel)
#   EP_VM_EXTRA_MODULES  more modules for the initramfs (names, spaces)
set -euo pipefail

say() { echo "[vm-setup] $*" >&2; }
die() { echo "[vm-setup] ERROR: $*" >&2; exit 1; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ep-dma/vm
# Bump when the way the kernel directory is made changes.
KERNEL_RECIPE=1
# The initramfs is rebuilt whenever this script, /init or the module list
# change; bump this for any other reason to rebuild it.
INITRD_RECIPE=1
MODULES="vfio vfio_iommu_type1 vfio-pci 9p 9pnet_virtio virtio_pci ${EP_VM_EXTRA_MODULES:-}"

export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH
PKGS=(qemu-system-x86 busybox-static xz-utils zstd)

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else
		command -v sudo >/dev/null || die "need root (or sudo) for: $*"
		sudo "$@"
	fi
}

install_packages() {
	local missing=()
	local p st
	declare -A ok=()
	while read -r p st; do
		[ "$st" = "install ok installed" ] && ok[$p]=1
	done < <(dpkg-query -W -f='${Package} ${Status}\n' "${PKGS[@]}" 2>/dev/null)
	for p in "${PKGS[@]}"; do
		[ -n "${ok[$p]:-}" ] || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	say "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install failed for: ${missing[*]}"
}

# Sets pkg and ver: the kernel package and its candidate version, by default
# Debian 12's 6.1 kernel that linux-image-amd64 pulls (its Depends pins the
# version). One apt-cache call: each costs most of a second.
resolve_kernel() {
	local meta
	pkg='' ver=''
	if [ -n "${EP_VM_KERNEL_PKG:-}" ]; then
		pkg=$EP_VM_KERNEL_PKG
		ver=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null |
			sed -n 's/^Version: //p' | head -n1)
		return
	fi
	meta=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
		sed -n 's/^Depends: .*\(linux-image-6\.1\.[0-9]*-[0-9]*-amd64\) (= \([^)]*\)).*/\1 \2/p' |
		head -n1)
	[ -n "$meta" ] || return 0
	pkg=${meta% *}
	ver=${meta#* }
}

# Newest complete kernel directory already in the cache (offline reuse).
cached_kernel_dir() {
	local d best=
	for d in "$VM_CACHE"/kernel-*-r$KERNEL_RECIPE; do
		[ -f "$d/.complete" ] || continue
		best=$d
	done
	echo "$best"
}

kernel_complete() {
	[ -f "$1/.complete" ] && [ -f "$1/vmlinux" ] && [ -f "$1/krel" ] &&
		[ -f "$1/modules.dep" ]
}

# Set RESOLVED to the modules.dep paths of the named modules and of
# everything they depend on, dependencies first, each path once.
resolve_modules() { # moddir names...
	local moddir=$1 n p line mod
	shift
	declare -A path_of=() deps_of=() seen=()
	RESOLVED=()
	while IFS= read -r line; do
		mod=${line%%:*}
		p=${mod##*/}
		p=${p%.ko}
		p=${p//-/_}
		path_of[$p]=$mod
		deps_of[$mod]=${line#*:}
	done <"$moddir/modules.dep"
	visit() {
		local m=$1 d
		[ -n "${seen[$m]:-}" ] && return
		seen[$m]=1
		for d in ${deps_of[$m]}; do visit "$d"; done
		RESOLVED+=("$m")
	}
	for n in "$@"; do
		n=${n//-/_}
		if [ -z "${path_of[$n]:-}" ]; then
			if grep -qE "/(${n}|${n//_/-})\.ko\$" "$moddir/modules.builtin"; then
				continue  # built into the kernel
			fi
			die "module $n is neither a module nor built into this kernel"
		fi
		visit "${path_of[$n]}"
	done
}

# Download the kernel package and make $VM_CACHE/kernel-<version>-r<recipe>:
# vmlinux, config, krel, the needed modules and their modules.dep. Sets kdir.
build_kernel_dir() { # pkg version dir
	local pkg=$1 ver=$2 dir=$3 work deb krel moddir m
	mkdir -p "$VM_CACHE"
	work=$(mktemp -d "$VM_CACHE/.build.XXXXXX")
	# shellcheck disable=SC2064 # expand now
	trap "rm -rf '$work'" EXIT
	say "downloading $pkg $ver (apt-get download)"
	local dl=(apt-get download -qq "$pkg=$ver")
	[ "$(id -u)" = 0 ] && dl+=(-o APT::Sandbox::User=root)
	if ! (cd "$work" && "${dl[@]}" >&2); then
		say "download failed, refreshing the package lists and retrying"
		as_root apt-get update -qq || die "apt-get update failed"
		resolve_kernel
		[ -n "$ver" ] || die "no candidate version for $pkg after apt-get update"
		dir=$VM_CACHE/kernel-$ver-r$KERNEL_RECIPE
		dl=(apt-get download -qq "$pkg=$ver")
		[ "$(id -u)" = 0 ] && dl+=(-o APT::Sandbox::User=root)
		(cd "$work" && "${dl[@]}" >&2) || die "apt-get download $pkg=$ver failed"
	fi
	deb=$(ls "$work"/*.deb)
	say "unpacking $(basename "$deb") (dpkg-deb -x)"
	dpkg-deb -x "$deb" "$work/root" || die "dpkg-deb -x $deb failed"
	krel=$(ls "$work/root/lib/modules")
	[ -n "$krel" ] && [ -f "$work/root/boot/vmlinuz-$krel" ] ||
		die "unexpected layout in $deb (no boot/vmlinuz-<release>)"
	mkdir -p "$work/out"
	"$HERE/extract-vmlinux.py" "$work/root/boot/vmlinuz-$krel" "$work/out/vmlinux"
	cp "$work/root/boot/config-$krel" "$work/out/config"
	cp "$work/root/boot/System.map-$krel" "$work/out/System.map"
	echo "$krel" >"$work/out/krel"
	echo "$pkg $ver" >"$work/out/package"
	say "computing module dependencies (busybox depmod)"
	busybox depmod -b "$work/root" "$krel" || die "busybox depmod failed"
	moddir=$work/root/lib/modules/$krel
	# Keep the modules any recipe may ask for: the defaults and their deps
	# now; a changed EP_VM_EXTRA_MODULES only needs this directory rebuilt.
	mkdir -p "$work/out/modules"
	: >"$work/out/modules.dep"
	# shellcheck disable=SC2086 # a list of names
	resolve_modules "$moddir" $MODULES
	for m in "${RESOLVED[@]}"; do
		mkdir -p "$work/out/modules/$(dirname "$m")"
		cp "$moddir/$m" "$work/out/modules/$m"
		grep "^$m:" "$moddir/modules.dep" >>"$work/out/modules.dep"
	done
	cp "$moddir/modules.builtin" "$work/out/modules.builtin"
	echo "$MODULES" >"$work/out/modules.list"
	echo "$KERNEL_RECIPE" >"$work/out/.complete"
	rm -rf "$dir"
	mv "$work/out" "$dir"
	rm -rf "$work"
	trap - EXIT
	say "kernel $krel ready in $dir"
	kdir=$dir
}

build_initrd() { # kernel-dir out
	local kdir=$1 out=$2 krel tree m bb
	krel=$(cat "$kdir/krel")
	tree=$(mktemp -d "$VM_CACHE/.initrd.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tree'" EXIT
	mkdir -p "$tree"/{bin,dev,proc,sys,tmp,run,var,host,etc/ep-vm,lib/modules/"$krel"}
	bb=$(dpkg -L busybox-static | grep -m1 '/bin/busybox$') ||
		die "busybox-static is not installed"
	readelf -l "$bb" 2>/dev/null | grep -q INTERP &&
		die "$bb is not statically linked"
	cp "$bb" "$tree/bin/busybox"
	cp "$HERE/guest-init.sh" "$tree/init"
	cp "$HERE/guest-vfio-bind.sh" "$tree/bin/ep-vfio-bind"
	chmod 755 "$tree/init" "$tree/bin/ep-vfio-bind"
	# shellcheck disable=SC2086 # a list of names
	resolve_modules "$kdir" $MODULES
	for m in "${RESOLVED[@]}"; do
		mkdir -p "$tree/lib/modules/$krel/$(dirname "$m")"
		cp "$kdir/modules/$m" "$tree/lib/modules/$krel/$m"
		echo "$m" >>"$tree/etc/ep-vm/modules"
		grep "^$m:" "$kdir/modules.dep" >>"$tree/lib/modules/$krel/modules.dep"
	done
	touch "$tree/etc/ep-vm/modules"
	# "." sets the mode of the guest's / (EAL refuses plugins below a
	# world-writable directory).
	chmod 755 "$tree"
	(cd "$tree" && find . | LC_ALL=C sort |
		busybox cpio -o -H newc 2>/dev/null) >"$out.tmp" ||
		die "cpio of the initramfs failed"
	mv "$out.tmp" "$out"
	rm -rf "$tree"
	trap - EXIT
}

install_packages

# One set-up at a time per cache (concurrent CI jobs, two shells).
mkdir -p "$VM_CACHE"
exec {lock}>"$VM_CACHE/.lock"
flock "$lock" || die "cannot lock $VM_CACHE/.lock"

# The candidate version changes only with the package lists: remember the
# answer for the lists' current state (saves an apt-cache call per run).
lists_sig=$( {
	echo "${EP_VM_KERNEL_PKG:-}"
	stat -c '%n %s %Y' /var/lib/apt/lists/*_Packages* 2>/dev/null
} | sha256sum | cut -c1-16)
resolved=$VM_CACHE/resolved-$lists_sig
if [ -f "$resolved" ]; then
	read -r pkg ver <"$resolved"
else
	resolve_kernel
	rm -f "$VM_CACHE"/resolved-*
	[ -n "$ver" ] && echo "$pkg $ver" >"$resolved"
fi
if [ -n "$ver" ]; then
	kdir=$VM_CACHE/kernel-$ver-r$KERNEL_RECIPE
else
	kdir=$(cached_kernel_dir)
	[ -n "$kdir" ] || die "cannot resolve the guest kernel package" \
		"(apt-cache depends linux-image-amd64 found ${pkg:-nothing};" \
		"run apt-get update?) and nothing is cached in $VM_CACHE"
	say "package lists give no kernel version; reusing $kdir"
fi
if kernel_complete "$kdir" &&
	[ "$(cat "$kdir/modules.list")" = "$MODULES" ]; then
	say "kernel $(cat "$kdir/krel") cached in $kdir"
else
	build_kernel_dir "$pkg" "$ver" "$kdir"  # sets kdir
	kernel_complete "$kdir" || die "kernel directory $kdir incomplete"
fi

# The initramfs is keyed by everything that goes into it.
key=$( {
	echo "$INITRD_RECIPE $MODULES"
	cat "$HERE/guest-init.sh" "$HERE/guest-vfio-bind.sh" "$kdir/modules.dep" \
		"${BASH_SOURCE[0]}"
	dpkg-query -W -f='${Version}' busybox-static
} | sha256sum | cut -c1-16)
initrd=$kdir/initramfs-$key.cpio
if [ -f "$initrd" ]; then
	say "initramfs cached: $initrd"
else
	say "building the initramfs"
	build_initrd "$kdir" "$initrd"
	find "$kdir" -maxdepth 1 -name 'initramfs-*.cpio' ! -path "$initrd" -delete
	say "initramfs ready: $initrd ($(du -k "$initrd" | cut -f1) KiB)"
fi

if [ "${1:-}" = --print-env ]; then
	echo "EP_VM_KERNEL=$kdir/vmlinux"
	echo "EP_VM_INITRD=$initrd"
	echo "EP_VM_KREL=$(cat "$kdir/krel")"
	echo "EP_VM_KPKG=$(cat "$kdir/package")"
fi
