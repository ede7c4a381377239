#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
#
# Turn dpdk-test-ep-dma CSV output into a PNG chart, one panel per metric
# against transfer size: throughput (GB/s), jobs per second, driver cycles
# per job, and the silicon ceiling per core (dw_edma devices: now, solid,
# and before completion by write-back, dashed). One colour per device and
# direction; "total" rows are left out. Rows repeated for the same device,
# direction and size (several runs) are drawn as their median with a bar
# from the smallest to the largest. Needs gnuplot (Debian's gnuplot-nox).
#
# Usage: devtools/plot-results.sh <results.csv> [out.png] [title]
#   (a "|" in the title starts a new line)
# Environment: PLOT_LINK_GBS  draw this link data rate (GB/s) on the
#                             throughput panel
set -euo pipefail

csv=${1:?usage: $0 <results.csv> [out.png] [title]}
png=${2:-${csv%.csv}.png}
title=${3:-dpdk-test-ep-dma}
link=${PLOT_LINK_GBS:-}
command -v gnuplot >/dev/null ||
	{ echo "plot-results: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
[ -s "$csv" ] || { echo "plot-results: $csv is empty or missing" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One data file per device+direction, one line per size:
#   size  gb med min max  mj med min max  cyc med min max  ceil now  ceil before
# columns found by name in the header; "-" where a value is missing.
awk -F, -v dir="$tmp" '
	NR == 1 {
		for (i = 1; i <= NF; i++) c[$i] = i
		if (!("size" in c) || !("gbytes_per_s" in c) || !("mjobs_per_s" in c)) {
			print "plot-results: not a dpdk-test-ep-dma CSV" > "/dev/stderr"
			exit 1
		}
		next
	}
	$c["device"] == "total" { next }
	{
		key = $c["device"] " " $c["dir"]
		if (!(key in id)) { id[key] = ++n; name[n] = key }
		k = id[key] SUBSEP $c["size"]
		if (!(k in cnt)) sizes[id[key]] = sizes[id[key]] " " $c["size"]
		r = ++cnt[k]
		v["gb", k, r] = $c["gbytes_per_s"]
		v["mj", k, r] = $c["mjobs_per_s"]
		v["cyc", k, r] = ("cyc_med" in c) ? $c["cyc_med"] : $c["cycles_per_job"]
		v["now", k, r] = ("proj_mjobs_per_s" in c) ? $c["proj_mjobs_per_s"] : ""
		v["then", k, r] = ("proj_before_mjobs_per_s" in c) ?
			$c["proj_before_mjobs_per_s"] : ""
	}
	# median, min and max of metric m at k; "- - -" when none
	function mmm(m, k,    i, j, t, a, q) {
		q = 0
		for (i = 1; i <= cnt[k]; i++)
			if (v[m, k, i] != "")
				a[++q] = v[m, k, i] + 0
		if (q == 0)
			return "- - -"
		for (i = 2; i <= q; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return sprintf("%g %g %g", q % 2 ? a[(q + 1) / 2] :
			(a[q / 2] + a[q / 2 + 1]) / 2, a[1], a[q])
	}
	END {
		for (d = 1; d <= n; d++) {
			f = dir "/" d ".dat"
			print name[d] > (dir "/" d ".name")
			ns = split(sizes[d], s, " ")
			for (i = 1; i <= ns; i++) {
				k = d SUBSEP s[i]
				split(mmm("now", k), now, " ")
				split(mmm("then", k), then, " ")
				print s[i], mmm("gb", k), mmm("mj", k), mmm("cyc", k),
					now[1], then[1] > f
			}
		}
	}
' "$csv"

# x tics at the sizes measured, named in binary units
xtics=$(cut -d' ' -f1 "$tmp"/*.dat 2>/dev/null | sort -nu | awk '
	function name(v) {
		if (v >= 1048576 && v % 1048576 == 0) return v / 1048576 "M"
		if (v >= 1024 && v % 1024 == 0) return v / 1024 "K"
		return v
	}
	{ printf "%s\"%s\" %s", (NR > 1 ? ", " : ""), name($1), $1 }')
xmin=$(cut -d' ' -f1 "$tmp"/*.dat | sort -n | head -n1)
xmax=$(cut -d' ' -f1 "$tmp"/*.dat | sort -n | tail -n1)
# gnuplot double-quoted strings: "|" in the title starts a new line
gtitle=$(printf '%s' "$title" | tr -d '"\\' | sed 's/ *| */\\n/g')

palette=('#1f77b4' '#d62728' '#2ca02c' '#9467bd' '#ff7f0e' '#17becf' '#8c564b'
	'#e377c2' '#7f7f7f' '#bcbd22')
gb= mj= cyc= ceil= i=0 any_ceil=0
for f in "$tmp"/*.dat; do
	[ -e "$f" ] || { echo "plot-results: no device rows in $csv" >&2; exit 1; }
	sort -n -k1,1 "$f" -o "$f"
	name=$(cat "${f%.dat}.name")
	col=${palette[i % ${#palette[@]}]}
	i=$((i + 1))
	style="lw 2 lc rgb '$col' pt 7 ps 0.8"
	gb+="${gb:+, }'$f' using 1:2:3:4 with yerrorlines $style title '$name'"
	mj+="${mj:+, }'$f' using 1:5:6:7 with yerrorlines $style title '$name'"
	cyc+="${cyc:+, }'$f' using 1:8:9:10 with yerrorlines $style title '$name'"
	if awk '$11 != "-" { found = 1 } END { exit !found }' "$f"; then
		any_ceil=1
		ceil+="${ceil:+, }'$f' using 1:11 with linespoints $style title '$name now'"
		ceil+=", '$f' using 1:12 with linespoints $style dt 2 title '$name before'"
	fi
done
[ -n "$link" ] &&
	gb+=", $link with lines lw 2 dt 3 lc rgb '#000000' title 'link data rate'"
# without a dw_edma device the last panel says so instead of plotting
ceil_set=
if [ "$any_ceil" = 0 ]; then
	ceil="1 lc rgb '#ffffff' notitle"
	ceil_set="set label 1 'no dw_edma device in this CSV' at graph 0.5,0.5 center
set yrange [0:1]"
fi

gnuplot <<GP
set terminal pngcairo size 1400,1000 noenhanced font ',11'
set output '$png'
set datafile missing '-'
set multiplot layout 2,2 title "$gtitle" font ',12'
set logscale x 2
set xtics ($xtics)
set xrange [$xmin / 1.4 : $xmax * 1.4]
set xlabel 'bytes per job (log scale)'
set grid xtics ytics mytics
set key box opaque font ',9'
set logscale y 10
set format y '%g'
set key bottom right
set title 'throughput, GB/s (median; bar: min..max of the runs)'
set ylabel 'GB/s (log scale)'
plot $gb
set key top right
set title 'jobs per second'
set ylabel 'Mjobs/s (log scale)'
plot $mj
set key top left
set title 'driver CPU cost per job (median of 8-job window means)'
set ylabel 'TSC cycles per job (log scale)'
plot $cyc
unset logscale y
set yrange [0:*]
set key at graph 0.99, graph 0.84 right top
set title 'silicon ceiling per core (solid: now; dashed: before write-back)'
set ylabel 'Mjobs/s per core'
$ceil_set
plot $ceil
unset multiplot
GP
echo "chart: $png"
