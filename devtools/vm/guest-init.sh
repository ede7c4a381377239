#!/bin/busybox sh
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=dash
#
# /init of the ep-dma test guest (busybox initramfs built by setup-guest.sh).
#
# Loads the kernel modules listed in /etc/ep-vm/modules (dependency order,
# module parameters taken from the kernel command line as modprobe would),
# mounts the harness's read-only 9p share (tag "epstage") on /host, makes
# every staged host path visible at the same absolute path, reserves and
# mounts huge pages, runs the staged guest script and powers off.
#
# Everything the host harness (run-guest.sh) parses is one line on the
# serial console:
#   EPVM-INIT <uptime>          /init started
#   EPVM-STAGE <name>           a stage starts (modules, 9p, hugepages, script)
#   EPVM-FAIL <stage> <reason>  the guest set-up failed; the guest powers off
#   EPVM-READY <uptime>         the guest script starts
#   @ <line>                    one line of the guest script's output
#   EPVM-TIMEOUT <seconds>      the guest script ran out of time
#   EPVM-RC <n>                 the guest script's exit status
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /var /host
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin HOME=/tmp TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "EPVM-INIT $(cut -d' ' -f1 /proc/uptime)"
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
ln -s ../run /var/run

stage=init
off() {
	poweroff -f
	# poweroff -f does not return; if it does, panic=-1 and QEMU's
	# -no-reboot end the VM when init exits.
	exit 1
}
fail() {
	echo "EPVM-FAIL $stage $*"
	dmesg | tail -n 15 | sed 's/^/  dmesg: /'
	off
}
begin() {
	stage=$1
	echo "EPVM-STAGE $stage"
}

begin modules
krel=$(uname -r)
cmdline=$(cat /proc/cmdline)
while read -r path; do
	[ -n "$path" ] || continue
	name=$(basename "$path" .ko | tr - _)
	params=
	for w in $cmdline; do
		case $w in
		*.*=*)
			mod=$(echo "${w%%.*}" | tr - _)
			[ "$mod" = "$name" ] && params="$params ${w#*.}"
			;;
		esac
	done
	# shellcheck disable=SC2086 # params are words
	insmod "/lib/modules/$krel/$path" $params ||
		fail "insmod $path$params failed"
done </etc/ep-vm/modules

begin 9p
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 \
	epstage /host || fail "mount of the 9p share 'epstage' failed"
[ -f /host/.ep-vm/env ] || fail "no /host/.ep-vm/env on the share"

# Make each staged host path visible at its own absolute path: link every
# top-level entry of the share into /, descending where the guest already
# has a directory of that name (/lib holds the modules, /tmp is a tmpfs).
merge() { # share-dir guest-dir
	for e in "$1"/* "$1"/.[!.]*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		b=${e##*/}
		case $2/$b in //.ep-vm | //proc | //sys | //dev | //host) continue ;; esac
		if [ ! -e "$2/$b" ] && [ ! -L "$2/$b" ]; then
			ln -s "$e" "$2/$b" || fail "cannot link $e to $2/$b"
		elif [ -d "$e" ] && [ -d "$2/$b" ] && [ ! -L "$2/$b" ]; then
			merge "$e" "${2%/}/$b"
		fi
	done
}
merge /host /

# shellcheck disable=SC1091 # written by run-guest.sh
. /host/.ep-vm/env

begin hugepages
mkdir -p /dev/hugepages
mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages ||
	fail "cannot mount hugetlbfs"
hp=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)
if [ "${EPVM_HUGEPAGES:-0}" -gt 0 ] && [ "$hp" -lt "$EPVM_HUGEPAGES" ]; then
	fail "only $hp of $EPVM_HUGEPAGES 2 MiB huge pages reserved"
fi

begin script
cd "${EPVM_CWD:-/tmp}" || fail "no directory $EPVM_CWD in the guest"
echo "EPVM-READY $(cut -d' ' -f1 /proc/uptime)"
t=${EPVM_TIMEOUT:-600}
(
	sh /host/.ep-vm/script </dev/null 2>&1
	echo $? >/tmp/.epvm-rc
) | sed 's/^/@ /' &
job=$!
# Watchdog: a timer, not a synchronisation. The whole guest goes down with
# it, so no process the script left behind can hold the run up.
(
	sleep "$t"
	echo
	echo "EPVM-TIMEOUT $t"
	off
) &
wait $job
echo
rc=$(cat /tmp/.epvm-rc 2>/dev/null) || rc=
echo "EPVM-RC ${rc:-255}"
off
