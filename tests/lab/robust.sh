#!/bin/sh
# Runs inside the lab's dom0 (busybox sh): xenbounce.ko under bad,
# random and concurrent input, and a content-preserving pool shuffle.
# Prints "ROBUST ..." lines that tests/lab/run.sh checks.
D=/sys/kernel/debug/xenbounce
rej=0
acc=0
try() {	# try FILE TEXT: the write must fail
	if printf '%s' "$2" > "$D/$1" 2>/dev/null; then
		acc=$((acc + 1))
		echo "ROBUST accepted: $1 <$2>"
	else
		rej=$((rej + 1))
	fi
}
long=$(head -c 300 /dev/zero | tr '\0' 'x')
for f in pool scramble reserve ttm bounce_log edu bench config; do
	try $f "x"
	try $f "$long"
	try $f " "
done
for c in "alloc" "alloc -1" "alloc 1" "alloc 1025" "alloc 0x" "alloc 5 extra" "shuffle 1" \
	"shuffle" "unshuffle" "free now"; do
	try pool "$c"
done
try pool_data "data without a pool"
for c in "0" "abc" "5000" "1 x" "-1" "1 -1" "misalign" "misalign x" "misalign 1 2" \
	"release now"; do
	try scramble "$c"
done
for c in "free=" "free=abc" "slots=0" "slots=99999999999" "fragment=0" "release extra" \
	"slots=-5" "free=1x" "fragment=128" "fragment=18446744073709551616"; do
	try reserve "$c"
done
for c in "map" "map 0" "map 4097" "map 8388608" "map -1" "unmap"; do try ttm "$c"; done
for c in "maybe" "ON" "on off"; do try bounce_log "$c"; done
for c in "dma_api" "dma_api to_device 0 100" "sideways to_device 0 1" "dma_api up 0 1" \
	"dma_api to_device 0 0" "dma_api to_device 0 4096" "dma_api to_device x 1" \
	"dma_api to_device 0 1 extra"; do
	try edu "$c"
done
for c in "iommu_confirmed" "iommu_confirmed 2" "iommu_confirmed -1" "iommu_confirmed 1 extra" \
	"confirmed 1"; do
	try config "$c"
done
try status "anything"
try bounce_stats "anything"
# With a pool: out-of-range transfers.
echo "alloc 4" > $D/pool
for c in "dma_api to_device 16384 1" "dma_api to_device 16000 1000" "raw_phys to_device 99999999 10"; do
	try edu "$c"
done
try pool "alloc 4"
echo free > $D/pool
echo "ROBUST bad-writes rejected=$rej accepted=$acc"

# The module fuzz: valid keywords (from each file's "commands:" line) with
# random and boundary arguments, garbage, split writes, pool_data at its
# edges, reads of every file (0400 ones too), 4 processes at once. After
# it, with everything released: no oops, BUG or WARNING, io_tlb_used back
# to 0, the module answers, and no page lost. Pages are counted as free
# (MemFree plus the per-cpu lists in /proc/zoneinfo) or in one of the
# kernel's accounted uses (Slab, KernelStack, PageTables, VmallocUsed,
# Percpu, page cache, anonymous memory); what neither explains is lost.
# The bound, 64 pages, is the kernel's own unaccounted churn over the same
# time: pipe buffers of the shell and the fuzzer's processes, not freed
# until their last reader goes.
FUZZ_COUNT=${FUZZ_COUNT:-4000}
uptime_cs() { awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime; }
oopses() { dmesg | grep -cE 'BUG:|Oops|WARNING:|general protection fault|Call Trace'; }
pcp_kib() { awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo; }
mem_kib() {	# free_kib accounted_kib
	sync
	echo 3 > /proc/sys/vm/drop_caches
	p=$(pcp_kib)
	awk -v pcp="$p" '
		/^MemFree:/ { free = $2 }
		/^(Slab|KernelStack|PageTables|VmallocUsed|Percpu|Cached|Buffers|AnonPages):/ { acc += $2 }
		END { print free + pcp, acc }' /proc/meminfo
}
release_all() {
	echo release > $D/reserve
	echo release > $D/ttm
	echo free > $D/pool
	echo release > $D/scramble
	echo on > $D/bounce_log
	cat $D/bounce_log > /dev/null
}
release_all
set -- $(mem_kib)
free0=$1
acc0=$2
o0=$(oopses)
t0=$(uptime_cs)
/bin/xenbounce module fuzz "$FUZZ_COUNT" 7 > /tmp/fuzz.out 2>&1
frc=$?
t1=$(uptime_cs)
cat /tmp/fuzz.out
# The fuzz may have withdrawn the IOMMU confirmation: as module load left it.
echo "iommu_confirmed 1" > $D/config
release_all
set -- $(mem_kib)
free1=$1
acc1=$2
o1=$(oopses)
used=$(cat /sys/kernel/debug/swiotlb/io_tlb_used)
lost=$(( (free0 - free1) - (acc1 - acc0) ))
echo "ROBUST fuzz count=$FUZZ_COUNT rc=$frc seconds=$(( (t1 - t0) / 100 )) oopses=$((o1 - o0)) io_tlb_used=$used free_kib_before=$free0 after=$free1 accounted_delta_kib=$((acc1 - acc0)) lost_kib=$lost"
if [ $frc = 0 ] && [ $((o1 - o0)) = 0 ] && [ "$used" = 0 ] && [ $lost -le 256 ] &&
	grep -q '^xen_pv: 1$' $D/status && grep -q '^reserve_slots_held: 0$' $D/status; then
	echo "ROBUST fuzz ok"
else
	echo "ROBUST fuzz bad"
	cat $D/status
fi

# Concurrent writers: the module serialises them; state ends consistent.
for w in 1 2 3 4; do
	(
		i=0
		while [ $i -lt 15 ]; do
			echo "slots=$((w * 100))" > $D/reserve 2>/dev/null
			echo release > $D/reserve 2>/dev/null
			echo "alloc 8" > $D/pool 2>/dev/null
			echo "shuffle $i" > $D/pool 2>/dev/null
			cat $D/status > /dev/null
			echo free > $D/pool 2>/dev/null
			i=$((i + 1))
		done
	) &
done
wait
echo release > $D/reserve
echo free > $D/pool
used=$(cat /sys/kernel/debug/swiotlb/io_tlb_used)
if [ "$used" = 0 ] && grep -q '^reserve_slots_held: 0$' $D/status && grep -q '^pool_pages: 0$' $D/status; then
	echo "ROBUST concurrent ok"
else
	echo "ROBUST concurrent bad used=$used"
fi

# Pool shuffle: machine frames move, contents stay.
echo "alloc 64" > $D/pool
dd if=/dev/urandom of=/tmp/pool.in bs=4096 count=64 2>/dev/null
dd if=/tmp/pool.in of=$D/pool_data bs=4096 2>/dev/null
echo "shuffle 7" > $D/pool
dd if=$D/pool_data of=/tmp/pool.out bs=4096 count=64 2>/dev/null
a=$(md5sum < /tmp/pool.in)
b=$(md5sum < /tmp/pool.out)
[ "$a" = "$b" ] && echo "ROBUST shuffle-contents ok" || echo "ROBUST shuffle-contents bad"
pairs=$(sed -n 's/^discontiguous_pairs: //p' $D/pool)
[ "$pairs" -ge 57 ] && echo "ROBUST shuffle-pairs ok $pairs/63" || echo "ROBUST shuffle-pairs bad $pairs/63"
echo free > $D/pool

# Load/unload x100 with a shuffled pool, held slots and the bounce log on:
# every unload must give all slots back.
free0=$(awk '/MemFree/ {print $2}' /proc/meminfo)
leaks=0
i=0
while [ $i -lt 100 ]; do
	/bin/xenbounce module unload || break
	[ "$(cat /sys/kernel/debug/swiotlb/io_tlb_used)" = 0 ] || leaks=$((leaks + 1))
	/bin/xenbounce module load /lib/xenbounce.ko edu_dma_bits=64 || break
	echo on > $D/bounce_log
	echo "alloc 16" > $D/pool
	echo "shuffle $i" > $D/pool
	echo "slots=$((i * 50 + 1))" > $D/reserve
	echo "map 65536" > $D/ttm
	i=$((i + 1))
	# Keep the console alive on a busy host (the lab stops after LAB_SILENCE).
	[ $((i % 10)) = 0 ] && echo "ROBUST loadloop progress $i"
done
/bin/xenbounce module unload
used=$(cat /sys/kernel/debug/swiotlb/io_tlb_used)
free1=$(awk '/MemFree/ {print $2}' /proc/meminfo)
/bin/xenbounce module load /lib/xenbounce.ko edu_dma_bits=64
echo "ROBUST loadloop cycles=$i leaks=$leaks used=$used memfree_kib_before=$free0 after=$free1"
if [ $i -eq 100 ] && [ $leaks -eq 0 ] && [ "$used" = 0 ] && [ $((free0 - free1)) -lt 4096 ]; then
	echo "ROBUST loadloop ok"
fi
