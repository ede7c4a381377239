#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Demo: build, then run dpdk-test-ep-dma on a simulated endpoint (two write
# and two read channels of the dw_edma PMD over the endpoint model) and on
# dma_skeleton side by side, over a sweep of transfer sizes. Prints the
# table and writes the CSV and a PNG chart into the build directory.
#
# Usage: devtools/run-demo.sh [seconds per size, default 0.5]
# Environment: EP_BUILD_DIR (default build/), EP_DEMO_SIZES, EP_DEMO_SIM
set -euo pipefail
source "$(dirname "$0")/env.sh"

secs=${1:-0.5}
sizes=${EP_DEMO_SIZES:-64,256,1024,4096,16384,65536}
# The model's engine thread is pinned to the last core (cpu=), away from the
# polling lcore 0; unpinned it would share lcore 0's core.
sim=${EP_DEMO_SIM:-dma_dw_edma_sim0,wr=2,rd=2,cpu=$(($(nproc) - 1))}

ep_setup && ep_build
app=$EP_BUILD_DIR/app/test-ep-dma/dpdk-test-ep-dma
csv=$EP_BUILD_DIR/demo.csv
png=$EP_BUILD_DIR/demo.png
rm -f "$csv"

# One EAL lcore (core 0) drives every device; the second core is left to
# the model's engine thread and the skeleton's copy thread.
set -x
"$app" -l 0 --no-shconf --no-telemetry --no-huge --iova-mode=va -m 256 --no-pci \
	--log-level=lib.eal:warning --log-level=pmd.dma.skeleton:warning \
	--vdev="$sim" --vdev=dma_skeleton0 -- \
	--size "$sizes" --duration "$secs" --csv "$csv"
set +x
"$(dirname "$0")/plot-results.sh" "$csv" "$png" \
	"dpdk-test-ep-dma: simulated endpoint ($sim) vs dma_skeleton0"
echo "results: $csv"
