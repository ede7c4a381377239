#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Check the VM harness itself, one guest at a time: output and exit status
# pass through, the 9p share is read-only, huge pages are reserved, staged
# project binaries run in the guest, extra QEMU arguments and inherited fds
# reach QEMU, vfio-pci binds behind the emulated VT-d, DPDK moves data by DMA
# through vfio with --iova-mode=pa (Debian's dpdk-testpmd on two e1000), and
# each failure is reported with its stage and a non-77 status.
#
# Ends with "N passed, N failed, N skipped"; exits non-zero if any failed.
# Usage: devtools/vm/selftest.sh [name-filter]
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN=$HERE/run-guest.sh
EP_BUILD_DIR=${EP_BUILD_DIR:-$(cd "$HERE/../.." && pwd)/build}
filter=${1:-}
passed=0 failed=0 skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ep-vm-selftest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# Set-up first, so that its time is not charged to the first case.
"$HERE/setup-guest.sh" || { echo "FAIL vm/setup"; echo "0 passed, 1 failed"; exit 1; }

want() { [ -z "$filter" ] || [[ $1 == *"$filter"* ]]; }
result() { # PASS|FAIL|SKIP name [detail]
	echo "$1 vm/$2${3:+ ($3)}"
	case $1 in PASS) passed=$((passed + 1)) ;; FAIL) failed=$((failed + 1)) ;; *) skipped=$((skipped + 1)) ;; esac
}
run() { # name args... : run-guest.sh, stdout in $tmp/name.out, stderr in $tmp/name.err
	local name=$1
	shift
	"$RUN" --suite "selftest-$name" --log "$tmp/$name.log" "$@" </dev/null \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
}
explain() { # name: why a case failed
	sed 's/^/  | /' "$tmp/$1.out" "$tmp/$1.err" | tail -n 30
}

# 1. Output, exit status, read-only share, huge pages, guest environment.
if want basics; then
	run basics --no-default-stage --hugepages 64 --env EP_X="a 'b' c" --cmd '
echo "PASS one"
echo "SKIP two (why)"
touch /host/x 2>/dev/null && echo "share is writable"
grep -q "^HugePages_Total: *64$" /proc/meminfo || echo "no huge pages"
grep -q " /dev/hugepages hugetlbfs " /proc/mounts || echo "hugetlbfs not mounted"
[ "$EP_X" = "a '"'"'b'"'"' c" ] || echo "EP_X=$EP_X"
[ "$EP_VM" = 1 ] || echo "EP_VM unset"
exit 3'
	rc=$?
	printf 'PASS one\nSKIP two (why)\n' >"$tmp/basics.want"
	if [ $rc = 3 ] && cmp -s "$tmp/basics.out" "$tmp/basics.want"; then
		result PASS basics "$(grep -o 'timing: .*' "$tmp/basics.err")"
	else
		result FAIL basics "rc=$rc"
		explain basics
	fi
fi

# 2. The project's build outputs and DPDK prefix, staged by default, run.
if want stage; then
	app=$EP_BUILD_DIR/app/test-ep-dma/dpdk-test-ep-dma
	if [ ! -x "$app" ]; then
		result SKIP stage "no $app: build the project first"
	else
		run stage --cmd "$app -l 0 --no-huge --iova-mode=va -m 256 --no-pci \
--vdev=dma_dw_edma_sim0,wr=1,rd=1,layout=hdma-native -- --size 4096 --verify --duration 1"
		rc=$?
		if [ $rc = 0 ] && grep -q '^total ' "$tmp/stage.out"; then
			result PASS stage
		else
			result FAIL stage "rc=$rc"
			explain stage
		fi
	fi
fi

# 3. Extra QEMU arguments and an inherited fd (a socket given to a PCI
#    serial port), a multifunction device at 00:03.x like the device
#    server's, and vfio-pci binding behind the emulated VT-d.
if want devices; then
	/usr/bin/python3 - "$RUN" "$tmp" <<'PY'
import socket, subprocess, sys, threading
run, tmp = sys.argv[1], sys.argv[2]
ours, theirs = socket.socketpair()
fd = theirs.fileno()
got = []
def reader():
    while True:
        d = ours.recv(4096)
        if not d:
            return
        got.append(d)
threading.Thread(target=reader, daemon=True).start()
script = r'''
for t in /sys/class/tty/ttyS*; do
	case $(readlink $t/device) in *0000:00:05.0) tty=/dev/${t##*/} ;; esac
done
[ -n "$tty" ] || { echo "no tty for 00:05.0"; exit 1; }
stty -F $tty raw -echo
echo hello-through-fd >$tty
out=$(ep-vfio-bind 0000:00:03.1) || exit 1
echo "$out"
g3=$(readlink /sys/bus/pci/devices/0000:00:03.0/iommu_group)
g31=$(readlink /sys/bus/pci/devices/0000:00:03.1/iommu_group)
[ "$g3" = "$g31" ] || echo "functions in different groups: $g3 $g31"
[ -c "${out#* }" ] || echo "no ${out#* }"
'''
with open(tmp + '/devices.out', 'w') as out, open(tmp + '/devices.err', 'w') as err:
    rc = subprocess.run([run, '--suite', 'selftest-devices', '--no-default-stage',
                         '--fd', str(fd), '--cmd', script, '--',
                         '-chardev', 'socket,id=fdc,fd=%d' % fd,
                         '-device', 'pci-serial,chardev=fdc,bus=pcie.0,addr=5.0',
                         '-device', 'edu,bus=pcie.0,addr=3.0,multifunction=on',
                         '-device', 'pci-testdev,bus=pcie.0,addr=3.1'],
                        pass_fds=[fd], stdin=subprocess.DEVNULL,
                        stdout=out, stderr=err).returncode
theirs.close()
with open(tmp + '/devices.fd', 'wb') as f:
    f.write(b''.join(got))
sys.exit(rc)
PY
	rc=$?
	if [ $rc = 0 ] && grep -q '^0000:00:03.1 /dev/vfio/[0-9]*$' "$tmp/devices.out" &&
		[ "$(wc -l <"$tmp/devices.out")" = 1 ] &&
		grep -q hello-through-fd "$tmp/devices.fd"; then
		result PASS devices "$(cat "$tmp/devices.out")"
	else
		result FAIL devices "rc=$rc"
		explain devices
	fi
fi

# 4. DPDK over vfio type1 behind the emulated VT-d with --iova-mode=pa:
#    Debian's dpdk-testpmd sends on two e1000 ports wired to one QEMU hub;
#    each port's hardware receive counter proves the device wrote into
#    DPDK's buffers (IOVA = guest-physical address, mapped by vfio).
pmds=/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0
if want dpdk; then
	if [ ! -x /usr/bin/dpdk-testpmd ] || [ ! -e $pmds/librte_net_e1000.so.23 ]; then
		result SKIP dpdk "Debian's dpdk-testpmd and PMDs (package dpdk-dev) not installed"
	else
		run dpdk --no-default-stage --ld-path /usr/lib/x86_64-linux-gnu \
			--stage /usr/bin/dpdk-testpmd --stage $pmds/librte_mempool_ring.so.23 \
			--stage $pmds/librte_net_e1000.so.23 --timeout 240 --cmd "
ep-vfio-bind 00:03.0 00:04.0 || exit 1
mkfifo /tmp/cmd
/usr/bin/dpdk-testpmd -d $pmds/librte_mempool_ring.so.23 -d $pmds/librte_net_e1000.so.23 \\
	--lcores=0@0,1@0 --iova-mode=pa -m 64 -a 00:03.0 -a 00:04.0 -- \\
	-i --forward-mode=txonly --total-num-mbufs=2048 --nb-cores=1 \\
	</tmp/cmd >/tmp/out 2>&1 &
exec 3>/tmp/cmd
n=0
until grep -q 'testpmd> ' /tmp/out; do   # poll for the prompt, 180 s at most
	n=\$((n + 1)); [ \$n -lt 900 ] || { cat /tmp/out; echo 'no prompt'; exit 1; }
	sleep 0.2
done
echo start >&3
sleep 2   # how long to send, not a synchronisation
printf 'stop\nshow port stats all\nquit\n' >&3
exec 3>&-
wait
grep -E \"Selected IOVA mode|Using IOMMU type\" /tmp/out
grep -E 'RX-packets: *[0-9]+ +RX-missed' /tmp/out | while read -r _ rx _; do
	echo \"rx \$rx\"
done
dmesg | grep -iE 'DMAR.*fault' | sed 's/^/dmar-fault /'
" -- -netdev hubport,id=n0,hubid=0 -netdev hubport,id=n1,hubid=0 \
			-device e1000,autonegotiation=off,netdev=n0,bus=pcie.0,addr=3.0 \
			-device e1000,autonegotiation=off,netdev=n1,bus=pcie.0,addr=4.0
		rc=$?
		rx=$(grep -c '^rx [1-9]' "$tmp/dpdk.out")
		if [ $rc = 0 ] && [ "$rx" = 2 ] && ! grep -q '^dmar-fault' "$tmp/dpdk.out" && grep -q "IOVA mode 'PA'" "$tmp/dpdk.out" &&
			grep -q 'IOMMU type 1 ' "$tmp/dpdk.out"; then
			result PASS dpdk "$(grep '^rx' "$tmp/dpdk.out" | tr '\n' ' ')"
		else
			result FAIL dpdk "rc=$rc"
			explain dpdk
		fi
	fi
fi

# 5. Failures: each names its stage and is not 77; only a QEMU that
#    cannot start at all gives exactly one SKIP line and 77.
expect_fail() { # name want-rc want-stage args...
	local name=$1 wrc=$2 wstage=$3 rc
	shift 3
	run "$name" --no-default-stage "$@"
	rc=$?
	if [ $rc = "$wrc" ] && grep -q "^\[vm\] FAIL $wstage: " "$tmp/$name.err"; then
		result PASS "$name" "$(grep -m1 '^\[vm\] FAIL' "$tmp/$name.err" | cut -c6-)"
	else
		result FAIL "$name" "rc=$rc, wanted $wrc and a 'FAIL $wstage:' message"
		explain "$name"
	fi
}
want fail-script-timeout && expect_fail fail-script-timeout 124 script --timeout 3 --cmd 'sleep 60'
want fail-guest-stage && expect_fail fail-guest-stage 1 script --cwd /nonexistent --cmd true
want fail-boot-timeout && expect_fail fail-boot-timeout 1 boot --boot-timeout 1 --cmd true
want fail-qemu-args && expect_fail fail-qemu-args 1 boot --cmd true -- -device no-such-device
if want skip; then
	EP_VM_QEMU=/bin/false run skip --no-default-stage --cmd true
	rc=$?
	if [ $rc = 77 ] && [ "$(wc -l <"$tmp/skip.out")" = 1 ] &&
		grep -q '^SKIP vm/selftest-skip (QEMU cannot start here: .*)$' "$tmp/skip.out"; then
		result PASS skip "$(cat "$tmp/skip.out")"
	else
		result FAIL skip "rc=$rc"
		explain skip
	fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
