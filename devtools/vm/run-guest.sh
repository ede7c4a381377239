#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Boot the test guest under QEMU (q35, TCG) and run one script in it.
#
# The guest sees a read-only 9p share of a staging directory that holds only
# what it needs, each at its host path: the project's build outputs, the DPDK
# prefix's libraries, anything given with --stage, and every shared library
# (and the dynamic loader) those need. Its RAM is a shared memory object, so
# an external device process given the RAM's fds (QEMU's multi-process
# protocol) reaches guest-physical address A at offset A.
#
# The guest script's output comes out on stdout; the harness's own messages
# go to stderr. The exit status is the guest script's, or:
#   77   QEMU cannot start on this machine: one line "SKIP vm/<suite> (...)"
#   124  the guest script ran out of time
#   1    any other failure (the message names the stage: setup, stage,
#        boot, modules, 9p, hugepages, script, shutdown)
#
# Usage: devtools/vm/run-guest.sh [options] [-- extra QEMU arguments]
#   --script FILE     guest script, run by busybox sh in the guest
#   --cmd TEXT        guest script given inline (default: an empty script)
#   --stage PATH      make PATH (file or directory) visible in the guest at the
#                     same path; repeatable
#   --no-default-stage  do not stage the build directory and DPDK prefix
#   --env NAME=VALUE  set in the guest script's environment; repeatable
#   --cwd DIR         guest script's working directory (default /tmp)
#   --ld-path DIRS    the guest's LD_LIBRARY_PATH before the staged library
#                     directories, also used to find what to stage (default:
#                     the DPDK prefix's lib)
#   --suite NAME      name in the SKIP line and the log (default: guest)
#   --vfio MODE       iommu (default): emulated VT-d (intel-iommu) and the
#                     guest's vfio type1 driver; none: no IOMMU
#   --mem MIB         guest RAM, at most 2048 (default 1024)
#   --hugepages N     2 MiB huge pages reserved at boot (default 256)
#   --boot-timeout S  QEMU start to guest script start (default 120)
#   --timeout S       guest script run time (default 600)
#   --log FILE        write the serial console log to FILE (default: a
#                     temporary file, kept and named only on failure)
#   --verbose         copy the serial console to stderr as it comes
#   --fd N            check that fd N is open (it is passed to QEMU anyway:
#                     every inherited fd is, for -device ...,fd=N)
#   --wrapper 'WORDS' run QEMU as WORDS qemu-system-x86_64 ARGS..., e.g. a
#                     device server that starts QEMU itself (split at
#                     blanks; not used for the start-up check)
# Environment: EP_BUILD_DIR (default <repo>/build), DPDK_PREFIX (default
# ~/.cache/ep-dma/dpdk-22.11), EP_VM_QEMU (default qemu-system-x86_64),
# EP_VM_SETUP_TIMEOUT (seconds for setup-guest.sh, default 900),
# XDG_CACHE_HOME.
# shellcheck disable=SC2054 # QEMU options are comma-separated lists
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EP_ROOT=$(cd "$HERE/../.." && pwd)
EP_BUILD_DIR=${EP_BUILD_DIR:-$EP_ROOT/build}
DPDK_PREFIX=${DPDK_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/ep-dma/dpdk-22.11}
QEMU=${EP_VM_QEMU:-qemu-system-x86_64}
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

script='' cmd='' cwd=/tmp suite=guest vfio=iommu mem=1024 hugepages=256
ld_path=$DPDK_PREFIX/lib
setup_timeout=${EP_VM_SETUP_TIMEOUT:-900}
boot_timeout=120 timeout=600 shutdown_timeout=30 log='' verbose=false
default_stage=true
stage_paths=() envs=() extra=() fds=() wrapper=()

usage() { sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
say() { echo "[vm] $*" >&2; }
num() { [[ $2 =~ ^[0-9]+$ ]] || { say "ERROR: $1 needs a number, got '$2'"; exit 2; }; }

while [ $# -gt 0 ]; do
	case $1 in
	--script) script=$2; shift ;;
	--cmd) cmd=$2; shift ;;
	--stage) stage_paths+=("$2"); shift ;;
	--no-default-stage) default_stage=false ;;
	--env) envs+=("$2"); shift ;;
	--cwd) cwd=$2; shift ;;
	--ld-path) ld_path=$2; shift ;;
	--suite) suite=$2; shift ;;
	--vfio) vfio=$2; shift ;;
	--mem) num "$1" "$2"; mem=$2; shift ;;
	--hugepages) num "$1" "$2"; hugepages=$2; shift ;;
	--boot-timeout) num "$1" "$2"; boot_timeout=$2; shift ;;
	--timeout) num "$1" "$2"; timeout=$2; shift ;;
	--log) log=$2; shift ;;
	--verbose) verbose=true ;;
	--fd) num "$1" "$2"; fds+=("$2"); shift ;;
	--wrapper) read -ra wrapper <<<"$2"; shift ;;
	--) shift; extra=("$@"); break ;;
	-h | --help) usage ;;
	*) say "ERROR: unknown option $1"; usage ;;
	esac
	shift || { say "ERROR: option needs a value"; exit 2; }
done

fail() { # stage message
	say "FAIL $1: $2"
	exit 1
}
[ "$mem" -ge 256 ] && [ "$mem" -le 2048 ] ||
	fail setup "--mem must be 256..2048 MiB (the RAM stays below the PCI hole)"
[ $((hugepages * 2)) -lt "$mem" ] || fail setup "--hugepages $hugepages does not fit in $mem MiB"
case $vfio in iommu | none) ;; *) fail setup "--vfio must be iommu or none" ;; esac
[ -z "$script" ] || [ -f "$script" ] || fail setup "no guest script $script"
for fd in "${fds[@]}"; do
	[ -e "/proc/self/fd/$fd" ] || fail setup "fd $fd is not open"
done

# Leftovers of runs that were killed (SIGKILL cannot be trapped): the name
# carries the harness's pid.
for d in "${TMPDIR:-/tmp}"/ep-vm.[0-9]*.*; do
	p=${d##*/ep-vm.}
	p=${p%%.*}
	[ -d "$d" ] && [ -O "$d" ] && ! kill -0 "$p" 2>/dev/null && rm -rf "$d"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ep-vm.$$.XXXXXX") || fail setup "mktemp failed"
stage=$tmp/stage
qpid=
keep_log=false
# shellcheck disable=SC2317 # called from the EXIT trap
stop_qemu() {
	local i
	[ -n "$qpid" ] || return 0
	if kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null
		for ((i = 0; i < 50; i++)); do # QEMU quits on SIGTERM: give it 5 s
			kill -0 "$qpid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$qpid" 2>/dev/null
	fi
	wait "$qpid" 2>/dev/null
	qpid=
}
# shellcheck disable=SC2317
cleanup() {
	stop_qemu
	if $keep_log && [ -z "$log" ] && [ -f "$tmp/serial.log" ]; then
		local keep
		keep=$(mktemp "${TMPDIR:-/tmp}/ep-vm-$suite.XXXXXX.log")
		mv "$tmp/serial.log" "$keep" && say "serial log kept in $keep"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
t0=$(now_ms)

# ---- setup: kernel and initramfs (cached) ----
while IFS='=' read -r k v; do
	case $k in EP_VM_KERNEL | EP_VM_INITRD | EP_VM_KREL | EP_VM_KPKG) printf -v "$k" %s "$v" ;; esac
done < <(timeout --kill-after=10 "$setup_timeout" "$HERE/setup-guest.sh" --print-env)
[ -n "${EP_VM_KERNEL:-}" ] && [ -f "$EP_VM_KERNEL" ] && [ -f "${EP_VM_INITRD:-}" ] ||
	fail setup "devtools/vm/setup-guest.sh failed or took over $setup_timeout s (see above)"
command -v "$QEMU" >/dev/null || fail setup "$QEMU not found after set-up"
t_setup=$(now_ms)

# ---- stage: what the guest sees on its 9p share ----
mkdir -p "$stage/.ep-vm"
declare -A staged_libdirs=()

put_file() { # host-path: hardlink (or copy) one file at its path in the stage
	local dst=$stage$1
	[ -e "$dst" ] && return 0
	mkdir -p "$(dirname "$dst")" &&
		{ ln "$(readlink -f "$1")" "$dst" 2>/dev/null || cp -L "$1" "$dst"; }
}

put_path() { # host-path (absolute, file or directory)
	local p=$1 dst
	case $p in /proc | /proc/* | /sys | /sys/* | /dev | /dev/* | /) fail stage "cannot stage $p" ;; esac
	[ -e "$p" ] || fail stage "nothing to stage at $p"
	if [ ! -d "$p" ]; then
		put_file "$p" || fail stage "cannot stage $p"
		return
	fi
	dst=$stage$p
	[ -e "$dst" ] && return
	mkdir -p "$(dirname "$dst")" || fail stage "cannot create $(dirname "$dst")"
	cp -al "$p" "$dst" 2>/dev/null || {
		rm -rf "$dst"
		cp -a "$p" "$dst" || fail stage "cannot copy $p into the stage"
	}
	# Objects and static archives are of no use to the guest.
	find "$dst" \( -name '*.o' -o -name '*.a' \) -type f -delete
}

paths=()
if $default_stage; then
	[ -d "$EP_BUILD_DIR" ] && paths+=("$EP_BUILD_DIR")
	[ -d "$DPDK_PREFIX/lib" ] && paths+=("$DPDK_PREFIX/lib")
	[ -d "$DPDK_PREFIX/bin" ] && paths+=("$DPDK_PREFIX/bin")
fi
for p in "${stage_paths[@]}"; do
	p=$(cd "$(dirname "$p")" 2>/dev/null && echo "$(pwd)/$(basename "$p")") ||
		fail stage "nothing to stage at $p"
	paths+=("$p")
done
for p in "${paths[@]}"; do put_path "$p"; done

# A symbolic link that leads out of the stage (a DPDK plugin directory links
# to ../../librte_*.so.23) would dangle in the guest: put the file it
# resolves to on the host in its place.
while IFS= read -r -d '' l; do
	t=$(readlink "$l")
	case $t in /*) [ -e "$stage$t" ] && continue ;; *) [ -e "$l" ] && continue ;; esac
	f=$(readlink -f "${l#"$stage"}") && [ -f "$f" ] || continue
	rm -f "$l" && { ln "$f" "$l" 2>/dev/null || cp "$f" "$l"; } ||
		fail stage "cannot stage $f for the link ${l#"$stage"}"
done < <(find "$stage" -type l -print0)

# Shared libraries: what the dynamic loader lists for every executable and
# shared object staged (ldd's output; the loader is run directly, ldd's
# wrapper costs ten times more), then for each library newly staged, until
# nothing new appears. libgcc_s is dlopened by glibc (pthread_cancel,
# unwinding) and never listed.
RTLD=/lib64/ld-linux-x86-64.so.2
lib_pass() { # files...
	local f line lib
	newlibs=()
	# Resolve as the guest will, with the same LD_LIBRARY_PATH: DPDK's
	# libraries carry no RUNPATH, and without it the host's own Debian DPDK
	# would be found for the prefix's.
	for f in "$@"; do
		LD_LIBRARY_PATH=$ld_path LD_TRACE_LOADED_OBJECTS=1 \
			"$RTLD" "$f" 2>/dev/null
	done >"$tmp/ldd.out"
	while IFS= read -r line; do
		case $line in
		*' => not found'*)
			say "warning: ${line%% =>*} not found by the dynamic loader on the host"
			continue ;;
		*' => /'*) lib=${line#* => }; lib=${lib% (*} ;;
		$'\t/'*) lib=${line#$'\t'}; lib=${lib% (*} ;;
		*) continue ;;
		esac
		case $lib in "$stage"/* | '') continue ;; esac
		[ -e "$stage$lib" ] && continue
		put_file "$lib" || fail stage "cannot stage library $lib"
		staged_libdirs[$(dirname "$lib")]=1
		newlibs+=("$stage$lib")
	done <"$tmp/ldd.out"
}
lib=/lib/x86_64-linux-gnu/libgcc_s.so.1
if [ -e $lib ] && put_file $lib; then staged_libdirs[$(dirname $lib)]=1; fi
mapfile -d '' newlibs < <(find "$stage" -path "$stage/.ep-vm" -prune -o -type f \
	\( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) -print0)
while [ ${#newlibs[@]} -gt 0 ]; do lib_pass "${newlibs[@]}"; done

ldpath=$ld_path
for d in "${!staged_libdirs[@]}"; do
	[ -d "$stage$d" ] && ldpath=${ldpath:+$ldpath:}$d
done

q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
{
	echo "EPVM_TIMEOUT=$timeout"
	echo "EPVM_HUGEPAGES=$hugepages"
	echo "EPVM_CWD=$(q "$cwd")"
	echo "export EP_VM=1 EP_VM_SUITE=$(q "$suite") EP_VM_VFIO=$vfio"
	echo "export LD_LIBRARY_PATH=$(q "$ldpath")"
	echo "export EP_BUILD_DIR=$(q "$EP_BUILD_DIR") DPDK_PREFIX=$(q "$DPDK_PREFIX")"
	echo "export PATH=/bin:$(q "$DPDK_PREFIX/bin")"
	for e in "${envs[@]}"; do
		[[ ${e%%=*} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [[ $e == *=* ]] ||
			fail setup "--env needs NAME=VALUE, got '$e'"
		echo "export ${e%%=*}=$(q "${e#*=}")"
	done
} >"$stage/.ep-vm/env"
if [ -n "$script" ]; then
	cp "$script" "$stage/.ep-vm/script" || fail stage "cannot copy $script"
else
	printf '%s\n' "$cmd" >"$stage/.ep-vm/script"
fi
t_stage=$(now_ms)

# ---- QEMU ----
# quiet, no crypto self-tests, no speculation mitigations, trusted TSC:
# about 0.5 s less to /init under TCG. A test guest, not a production one.
append="console=ttyS0 panic=-1 quiet cryptomgr.notests mitigations=off"
append+=" tsc=reliable no_timer_check hugepagesz=2M hugepages=$hugepages"
base=(-machine q35,memory-backend=mem -accel tcg -cpu max -smp 1 -m "${mem}M"
	-nodefaults -no-user-config -display none -no-reboot)
iommu=()
if [ "$vfio" = iommu ]; then
	# VT-d with interrupt remapping. The guest's vfio type1 maps IOVA ==
	# guest-physical address when DPDK runs with --iova-mode=pa.
	iommu=(-device intel-iommu,intremap=on)
	append+=" intel_iommu=on vfio_iommu_type1.allow_unsafe_interrupts=1"
fi

# Guest RAM: a shared memfd (or a shared file in /dev/shm where memfd is
# refused), so that QEMU hands its fds to multi-process device servers.
membacks=("memory-backend-memfd,id=mem,size=${mem}M,share=on")
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	membacks+=("memory-backend-file,id=mem,size=${mem}M,share=on,mem-path=/dev/shm")
fi

# Can QEMU start here at all? One paused start with the same machine, asked
# to quit over QMP; a machine where it cannot is skipped, nothing else is.
preflight() { # memory-backend
	printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
		timeout --kill-after=5 30 "$QEMU" "${base[@]}" -object "$1" "${iommu[@]}" \
			-S -qmp stdio -monitor none -serial none -parallel none \
			>"$tmp/preflight.out" 2>&1
}
memback=
why=
for mb in "${membacks[@]}"; do
	if preflight "$mb"; then
		memback=$mb
		break
	fi
	why=$(grep -v '^{' "$tmp/preflight.out" | grep -m1 .)
done
if [ -z "$memback" ]; then
	echo "SKIP vm/$suite (QEMU cannot start here: ${why:-$QEMU failed})"
	exit 77
fi

qargs=("${base[@]}" -object "$memback" "${iommu[@]}"
	-chardev stdio,id=con0,signal=off -serial chardev:con0
	-kernel "$EP_VM_KERNEL" -initrd "$EP_VM_INITRD" -append "$append"
	-fsdev "local,id=epstage,path=$stage,security_model=none,readonly=on"
	-device virtio-9p-pci,fsdev=epstage,mount_tag=epstage,bus=pcie.0,addr=0x1e
	"${extra[@]}")
serial=${log:-$tmp/serial.log}
: >"$serial" || fail setup "cannot write $serial"
{
	echo "# kernel $EP_VM_KPKG ($EP_VM_KREL)"
	printf '#'
	printf ' %q' "${wrapper[@]}" "$QEMU" "${qargs[@]}"
	echo
} >>"$serial"

# QEMU (or the wrapper) dies with this shell even if it is killed with
# SIGKILL.
pdeath=()
setpriv --pdeathsig KILL true 2>/dev/null && pdeath=(setpriv --pdeathsig KILL)
exec {qfd}< <(exec "${pdeath[@]}" "${wrapper[@]}" "$QEMU" "${qargs[@]}" </dev/null 2>&1)
qpid=$!
t_qemu=$(now_ms)

phase=boot gstage=boot
deadline=$((t_qemu + boot_timeout * 1000))
rc='' gfail='' t_init='' t_ready='' t_rc='' timed_out=false buf='' eof=false
handle() {
	local l=${1%$'\r'}
	printf '%s\n' "$l" >>"$serial"
	$verbose && printf '%s\n' "$l" >&2
	case $l in
	'@ '*) printf '%s\n' "${l#@ }" ;;
	'@') echo ;;
	EPVM-INIT\ *) t_init=$(now_ms); gstage=init ;;
	EPVM-STAGE\ *) gstage=${l#EPVM-STAGE } ;;
	EPVM-FAIL\ *) gfail=${l#EPVM-FAIL } ;;
	EPVM-READY\ *)
		t_ready=$(now_ms) phase=script
		deadline=$((t_ready + (timeout + 30) * 1000))
		;;
	EPVM-TIMEOUT\ *) timed_out=true ;;
	EPVM-RC\ *)
		rc=${l#EPVM-RC } t_rc=$(now_ms) phase=shutdown
		[[ $rc =~ ^[0-9]+$ ]] && [ "$rc" -le 255 ] || rc=255
		deadline=$((t_rc + shutdown_timeout * 1000))
		;;
	esac
}
while :; do
	left=$((deadline - $(now_ms)))
	[ $left -gt 0 ] || break
	# Millisecond resolution: "read -t 0" would only test for input.
	if IFS= read -r -t "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))" \
		-u "$qfd" line; then
		handle "$buf$line"
		buf=
	elif [ $? -gt 128 ]; then
		buf+=$line # timed out: keep the partial line
	else
		[ -n "$buf$line" ] && handle "$buf$line"
		eof=true
		break
	fi
done
exec {qfd}<&-
t_end=$(now_ms)
qrc=
if $eof; then
	wait "$qpid"
	qrc=$?
	qpid=
else
	stop_qemu
fi

timing() {
	local s
	s="set-up $(secs $((t_setup - t0))) s, staging $(secs $((t_stage - t_setup))) s"
	s+="; from QEMU start:"
	[ -n "$t_init" ] && s+=" /init after $(secs $((t_init - t_qemu))) s"
	[ -n "$t_ready" ] && s+=", script started after $(secs $((t_ready - t_qemu))) s"
	[ -n "$t_rc" ] && s+=", script ran $(secs $((t_rc - t_ready))) s"
	$eof && s+=", powered off after $(secs $((t_end - t_qemu))) s"
	say "timing: $s"
}
bad() { # stage message
	keep_log=true
	say "FAIL $1: $2"
	say "last lines of the serial log${log:+ ($log)}:"
	grep -v '^# ' "$serial" | tail -n 25 | sed 's/^/  | /' >&2
	timing
	exit "${3:-1}"
}

if [ -n "$gfail" ]; then
	bad "${gfail%% *}" "${gfail#* }"
elif $timed_out; then
	bad script "the guest script did not finish within $timeout s" 124
elif [ -n "$rc" ]; then
	$eof || bad shutdown "the guest did not power off within $shutdown_timeout s"
	timing
	exit "$rc"
elif $eof; then
	case $phase in
	boot) bad "$gstage" "QEMU exited (status $qrc) before the guest script started" ;;
	*) bad script "QEMU exited (status $qrc) while the guest script ran" ;;
	esac
elif [ "$phase" = boot ]; then
	bad "$gstage" "the guest script did not start within $boot_timeout s"
else
	bad script "no exit status from the guest within $((timeout + 30)) s"
fi
