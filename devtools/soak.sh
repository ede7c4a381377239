#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Fault soak of the dw_edma PMD on the simulated endpoint for as long as you
# like (the test suite runs it for 60 s): every channel of each layout in
# turn under random aborts, corruptions, link and READY loss, re-init, a
# slow or paused engine, with every job checked (app/test/test_dw_edma_soak.c).
#
# Usage: devtools/soak.sh [seconds] [soak options...]
#   e.g. nice -n 19 devtools/soak.sh 7200              # two hours
#        devtools/soak.sh 60 --seed 12345 --layout hdma-native
# On a machine shared with other heavy jobs add --max-call-ms 60000
# --grace-ms 60000 --stall-fail-ms 600000: a starved soak (or model engine
# thread) is slow, not wrong.
# Ends with the totals and "PASS|FAIL soak/..." lines; exit status 0 when
# nothing was lost or unexplained. The seed printed first repeats a run.
set -uo pipefail
source "$(dirname "$0")/env.sh"

secs=${1:-3600}
shift || true
ep_setup >/dev/null || exit 1
ep_build >/dev/null || exit 1
# -l 0: the model's engine thread gets the other core
exec "$EP_BUILD_DIR/app/test/test_dw_edma_soak" -l 0 --no-huge --iova-mode=va -m 256 \
	--no-pci --no-shconf --no-telemetry --log-level=pmd.dma.dw_edma:warning -- \
	--seconds "$secs" --phase-seconds 20 "$@"
