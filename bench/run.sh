#!/bin/sh
# make bench: figures, never pass/fail. Boots the reference lab twice:
# the default suite as `make run` does (wall time), then the in-kernel
# benchmarks and the detection-power scenarios.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/bench
rm -rf "$out"
mkdir -p "$out"
kv() {	# kv KEY LINE: the value after "KEY: " in a flattened status line
	# the whole key: "blocks" is not the end of "held_clean_blocks"
	echo " $2" | sed -n "s/.* $1: \([0-9-]*\).*/\1/p"
}

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); QEMU TCG"
start=$(date +%s.%N)
LAB_RESULTS=$out/run harness/lab/lab.sh run > "$out/run.log" 2>&1
rc=$?
end=$(date +%s.%N)
echo "lab wall time, default suite (boot to results): $(echo "$end - $start" | bc) s (exit $rc; $(grep -o 'tests: .*' "$out/run.log"))"

LAB_RESULTS=$out/bench LAB_SCENARIOS="$top/bench/detect-bad.ini $top/bench/detect-good.ini" \
	LAB_BEFORE="sh /extra/guest.sh" LAB_EXTRA_FILES="$top/bench/guest.sh" LAB_TIMEOUT=1500 \
	harness/lab/lab.sh run > "$out/bench.log" 2>&1
dir=$(ls -d "$out"/bench/lab-* | head -n 1)
con=$dir/dom0-console.log

echo
echo "bounce penalty (ns per map + sync + unmap, 2000 iterations, median of 3; in-kernel, dom0 under Xen):"
printf '  %8s %10s %12s %12s %8s %14s %10s\n' size memcpy direct bounced ratio "log-off" "log cost"
for size in 2048 4096 65536 262144; do
	grep -a "^BENCH map size=$size " "$con" > "$out/s.$size"
	med() { sed -n "s/.* $1: \([0-9]*\) .*/\1/p" "$out/s.$size" | sort -n | sed -n 2p; }
	m=$(med memcpy_ns); d=$(med direct_ns); b=$(med bounced_ns); nl=$(med bounced_nolog_ns)
	ratio=$( [ "${d:-0}" -gt 0 ] && echo "scale=1; $b / $d" | bc || echo "-")
	cost=$( [ "${nl:-0}" -gt 0 ] && echo "scale=1; ($b - $nl) * 100 / $nl" | bc || echo "-")
	printf '  %8s %10s %12s %12s %7sx %14s %9s%%\n' "$size" "$m" "$d" "$b" "$ratio" "$nl" "$cost"
done

line=$(grep -a '^BENCH scramble ' "$con")
pages=$(kv pages "$line"); ns=$(kv time_ns "$line")
echo
echo "P2M shuffle rate: $pages pages in $((ns / 1000000)) ms = $(echo "$pages * 1000000000 / $ns" | bc) pages/s (64 MiB free-memory scramble)"
line=$(grep -a '^BENCH blocks ' "$con")
echo "free 2 MiB blocks broken: $(kv blocks "$line") in $(($(kv time_ns "$line") / 1000000)) ms"
line=$(grep -a '^BENCH split ' "$con")
pages=$(kv pages "$line"); ns=$(kv time_ns "$line")
echo "free 4 MiB blocks split: $(kv split "$line") of $(kv blocks "$line"), $pages pages rearranged in $((ns / 1000000)) ms = $(echo "$pages * 1000000000 / $ns" | bc) pages/s (allocation and verification included)"
line=$(grep -a '^BENCH exhaust28 ' "$con")
rel=$(grep -a '^BENCH exhaust28-release ' "$con")
echo "Xen's free memory below 2^28 exchanged and held: $(kv held_kib "$line") KiB in $(($(kv time_ns "$line") / 1000000)) ms (stopped: $(echo "$line" | sed -n 's/.*stopped: \([a-z_]*\).*/\1/p')), given back in $(($(kv release_time_ns "$rel") / 1000000)) ms"
line=$(grep -a '^BENCH reserve-free0 ' "$con")
echo "swiotlb reserve free=0: $(kv held_slots "$line") slots in $(kv mappings "$line") mappings, $(($(kv time_ns "$line") / 1000000)) ms"
line=$(grep -a '^BENCH reserve-fragment1 ' "$con")
echo "swiotlb reserve fragment=1: $(kv held_slots "$line") slots in $(kv mappings "$line") mappings, $(($(kv time_ns "$line") / 1000000)) ms"

echo
r=$dir/run/results.json
bad=$(jq -r '[.tests[] | select(.name == "detect-bad") | .steps[0].notes[] | select(test("round trips"))][0]' "$r")
good=$(jq -r '[.tests[] | select(.name == "detect-good") | .steps[0].notes[] | select(test("round trips"))][0]' "$r")
echo "detection power, known-bad (first_page, shuffled): $bad  -> caught = the ones with wrong data (goal 100%)"
echo "detection power, known-good (dma_api, shuffled):   $good  -> false alarms = wrong data (goal 0)"
echo "(full results: $dir)"
