#!/bin/sh
# Runs inside the lab's dom0 (busybox sh): the module's safety limits
# (issue #14). Prints "SAFETY NAME ok|bad ..." lines that tests/lab/run.sh
# checks. "sh safety.sh iommu" runs only the IOMMU gate (for the lab
# without an IOMMU), "sh safety.sh dmabits" only the device-width checks
# (for the lab whose edu has QEMU's default 28-bit dma_mask). Tests that could hang an unfixed module run last, under
# a watchdog.
D=/sys/kernel/debug/xenbounce
P=/sys/module/xenbounce/parameters
say() { echo "SAFETY $*"; }
uptime_cs() { awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime; }
oopses() { dmesg | grep -cE 'BUG:|Oops|general protection fault|WARNING:'; }

# IOMMU gate: first_page and raw_phys need Xen's own word that an IOMMU is
# active (harness: physinfo directio -> config "iommu_confirmed 1").
iommu_gate() {
	strict=$(sed -n 's/^iommu_strict: //p' $D/status)
	confirmed=$(sed -n 's/^iommu_confirmed: //p' $D/status)
	echo "alloc 4" > $D/pool
	dmesg -c > /dev/null
	raw=accepted
	echo "raw_phys to_device 0 64" > $D/edu 2>/tmp/raw.err || raw="refused($(cat /tmp/raw.err | sed 's/.*: //'))"
	fp=accepted
	echo "first_page to_device 0 64" > $D/edu 2>/tmp/fp.err || fp="refused($(cat /tmp/fp.err | sed 's/.*: //'))"
	why=$(dmesg | grep -o 'refusing raw_phys DMA: [^(]*' | head -n 1)
	echo free > $D/pool
	say "iommu-gate strict=${strict:-?} confirmed=${confirmed:-?} raw_phys=$raw first_page=$fp why=$why"
}

# Device width (issue 23), with edu_dma_bits=N and an edu whose dma_mask
# has N bits (QEMU's default: 28; it drops the high bits of a wider address
# and DMAs somewhere else): a 32-bit mask is refused, so the DMA API keeps
# giving the device addresses it reaches, and an address above the width
# (raw_phys: page_to_phys()) is refused before the device sees it. run.sh
# also checks that QEMU never clamped an address.
dma_bits() {
	bits=$(sed -n 's/^dma_bits: //p' $D/edu)
	echo "alloc 64" > $D/pool
	dd if=/dev/urandom of=$D/pool_data bs=4096 count=64 conv=notrunc 2>/dev/null
	dmesg -c > /dev/null
	mask=accepted
	echo "config mask=32" > $D/dmaapi 2>/tmp/mask.err || mask="refused($(sed 's/.*: //' /tmp/mask.err))"
	named=$(dmesg | grep -c "refusing mask=32: the device has $bits address bits")
	if [ "${bits:-32}" -lt 32 ] && [ "$mask" = "refused(Invalid argument)" ] && [ "$named" -ge 1 ]; then
		say "dma-width-mask ok dma_bits=$bits mask=$mask"
	else
		say "dma-width-mask bad dma_bits=$bits mask=$mask logged=$named"
	fi
	# The device reads pool bytes through the DMA API (to_device: a
	# truncated address would only be read, never written).
	rc=0
	echo "single to_device 0 4095" > $D/dmaapi 2>/tmp/single.err || rc=$?
	res=$(sed -n 's/^result: //p' $D/dmaapi)
	addr=$(sed -n 's/^dma_addr: //p' $D/dmaapi)
	wrong=$(sed -n 's/^bytes_wrong: //p' $D/dmaapi)
	if [ $rc = 0 ] && [ "$res" = ok ] && [ "$wrong" = 0 ] && [ -n "$addr" ] && [ $((addr)) -lt $((1 << bits)) ]; then
		say "dma-width-map ok result=$res dma_addr=$addr bytes_wrong=$wrong"
	else
		say "dma-width-map bad rc=$rc result=$res dma_addr=$addr bytes_wrong=$wrong why=$(sed -n 's/^why: //p' $D/dmaapi)"
	fi
	echo "config default" > $D/dmaapi
	echo free > $D/pool
	# raw_phys hands the device page_to_phys(): a page above 2^N needs a
	# dom0 that puts the pool there. With N=28 none did (measured: PFN
	# 0x7140 to 0x8580 on Xen PV, even with every free 2 MiB block held;
	# 0x4000 bare), so this says "none" and run.sh asks for it with N=24.
	echo "alloc 1024" > $D/pool
	off= i=0
	for pfn in $(sed -n 's/^pfn \(0x[0-9a-f]*\) .*/\1/p' $D/pool); do
		[ $((pfn)) -ge $((1 << (bits - 12))) ] && { off=$((i * 4096)); break; }
		i=$((i + 1))
	done
	dmesg -c > /dev/null
	if [ -z "$off" ]; then
		say "dma-width-raw none: no pool page above 2^$bits ($(grep -m1 '^pfn' $D/pool))"
	else
		raw=accepted
		echo "raw_phys to_device $off 64" > $D/edu 2>/tmp/raw.err || raw="refused($(sed 's/.*: //' /tmp/raw.err))"
		named=$(dmesg | grep -c "beyond the device.s $bits address bits")
		if [ "$raw" = "refused(Invalid argument)" ] && [ "$named" -ge 1 ]; then
			say "dma-width-raw ok raw_phys=$raw pfn=$pfn $(dmesg | grep -o 'refusing DMA at [^:]*' | head -n 1)"
		else
			say "dma-width-raw bad raw_phys=$raw pfn=$pfn logged=$named bus=$(sed -n 's/^bus_addr: //p' $D/edu)"
		fi
	fi
	echo free > $D/pool
}

if [ "${1:-}" = iommu ]; then
	iommu_gate
	exit 0
fi
if [ "${1:-}" = dmabits ]; then
	dma_bits
	exit 0
fi
iommu_gate

# pool_data: reads at the end return 0, writes there fail with ENOSPC
# (a 0 would make a writer retry forever).
echo "alloc 2" > $D/pool
n=$(dd if=$D/pool_data bs=1 skip=8192 count=1 2>/dev/null | wc -c)
timeout 5 sh -c "printf x | dd of=$D/pool_data bs=1 seek=8192 conv=notrunc 2>/tmp/dd.err"
rc=$?
timeout 5 sh -c "printf x | dd of=$D/pool_data bs=1 seek=20000 conv=notrunc 2>/tmp/dd2.err"
rc2=$?
if [ "$n" = 0 ] && [ $rc = 1 ] && grep -q 'No space left' /tmp/dd.err && [ $rc2 = 1 ] &&
	grep -q 'No space left' /tmp/dd2.err; then
	say "pool-data-end ok read=$n"
else
	say "pool-data-end bad read=$n write_at_end_rc=$rc past_end_rc=$rc2 ($(cat /tmp/dd.err /tmp/dd2.err | tr '\n' ' '))"
fi
echo free > $D/pool

# reserve fragment=K: K >= 128 would hold nothing and report success.
if echo fragment=128 > $D/reserve 2>/dev/null; then
	say "fragment-range bad: fragment=128 accepted, $(grep held_slots $D/reserve)"
	echo release > $D/reserve
elif echo fragment=127 > $D/reserve && grep -q '^held_slots: [1-9]' $D/reserve; then
	say "fragment-range ok ($(grep held_slots $D/reserve))"
else
	say "fragment-range bad: fragment=127 failed"
fi
echo release > $D/reserve

# scramble blocks keeps its floor: it may take only what is above it.
# The scramble itself must have worked and taken blocks (this dom0 has
# hundreds free), or the floor was never put to the test.
avail=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
rc=0
echo "blocks 5" > $D/scramble 2>/tmp/blocks.err || rc=$?
blocks=$(sed -n 's/^blocks: //p' $D/scramble)
floor=131072	# KiB: XB_SCRAMBLE_FLOOR_MIB (this dom0 has 1 GiB: RAM/8 is the same)
case "$blocks" in ''|*[!0-9]*) blocks=0 ;; esac
taken=$((blocks * 2048))
if [ $rc != 0 ] || [ "$blocks" -lt 1 ]; then
	say "scramble-floor bad: blocks 5 failed (rc=$rc $(cat /tmp/blocks.err)) or took no block (blocks=$blocks)"
elif [ $((avail - taken)) -ge $((floor - 4096)) ]; then
	say "scramble-floor ok avail_kib=$avail blocks=$blocks left_kib=$((avail - taken)) floor_kib=$floor"
else
	say "scramble-floor bad avail_kib=$avail blocks=$blocks left_kib=$((avail - taken)) floor_kib=$floor"
fi

# edu timeout: the engine is stopped before the buffer is unmapped, so the
# transfer the module gave up on never lands in memory afterwards.
echo "alloc 2" > $D/pool
head -c 4095 /dev/urandom > /tmp/pat
dd if=/tmp/pat of=$D/pool_data conv=notrunc 2>/dev/null
echo "dma_api to_device 0 4095" > $D/edu
dd if=/dev/zero of=$D/pool_data bs=4096 count=2 conv=notrunc 2>/dev/null
if [ -w $P/edu_timeout_ms ]; then
	echo 1 > $P/edu_timeout_ms
	if echo "dma_api from_device 0 4095" > $D/edu 2>/tmp/edu.err; then t=accepted; else t="failed($(sed 's/.*: //' /tmp/edu.err))"; fi
	echo 2000 > $P/edu_timeout_ms
	sleep 1
	late=$(dd if=$D/pool_data bs=4095 count=1 2>/dev/null | tr -d '\0' | wc -c)
	echo "dma_api from_device 0 4095" > $D/edu
	again=$(dd if=$D/pool_data bs=4095 count=1 2>/dev/null | cmp -s - /tmp/pat && echo same || echo differs)
	if [ "$t" != accepted ] && [ "$late" = 0 ] && [ "$again" = same ]; then
		say "edu-timeout ok transfer=$t late_bytes=$late next_transfer=$again"
	else
		say "edu-timeout bad transfer=$t late_bytes=$late next_transfer=$again"
	fi
else
	say "edu-timeout bad: no edu_timeout_ms parameter"
fi
echo free > $D/pool

# bench: runs without the module's lock (status answers meanwhile), and
# yields.
( echo "262144 4096" > $D/bench 2>/tmp/bench.err; echo $? > /tmp/bench.rc ) &
sleep 1
t0=$(uptime_cs)
grep -q '^xen_pv' $D/status
t1=$(uptime_cs)
wait
if [ $((t1 - t0)) -le 100 ] && [ "$(cat /tmp/bench.rc)" = 0 ]; then
	say "bench-unlocked ok status_read_cs=$((t1 - t0)) $(grep -E '^(bounced_ns|result)' $D/bench | tr '\n' ' ')"
else
	say "bench-unlocked bad status_read_cs=$((t1 - t0)) bench_rc=$(cat /tmp/bench.rc)"
fi

# bench leaves the bounce log as the user set it (it used to switch it on
# and off for everyone): off, nothing of its own is recorded and the log
# stays off; on, its logged loop is recorded whole and the unlogged loop,
# muted for its own mapping alone, adds nothing (64, not 0 or 128).
bench_events() { sed -n 's/^device xenbounce: events \([0-9]*\).*/\1/p' $D/bounce_stats; }
echo clear > $D/bounce_log
echo off > $D/bounce_log
echo "4096 64" > $D/bench
off_ev=$(bench_events) off_en=$(sed -n 's/^enabled: //p' $D/bounce_stats)
echo on > $D/bounce_log
echo "4096 64" > $D/bench
on_ev=$(bench_events) on_en=$(sed -n 's/^enabled: //p' $D/bounce_stats)
echo clear > $D/bounce_log
if [ "${off_ev:-0}" = 0 ] && [ "$off_en" = 0 ] && [ "$on_ev" = 64 ] && [ "$on_en" = 1 ]; then
	say "bench-log ok off: events=${off_ev:-0} on: events=$on_ev"
else
	say "bench-log bad off: events=${off_ev:-0} enabled=$off_en on: events=$on_ev enabled=$on_en ($(grep -E '^(bounced_ok|log_on|result)' $D/bench | tr '\n' ' '))"
fi

# ttm: the mapping holds edu's device. Remove edu from the bus while it is
# mapped, read the state, release, rescan. (Run with slub_debug=P: a freed
# device would be poisoned.)
before=$(oopses)
bdf=$(sed -n 's/^edu: bound //p' $D/status)
if [ -n "$bdf" ] && echo "map 65536" > $D/ttm; then
	echo 1 > /sys/bus/pci/devices/$bdf/remove
	sleep 1
	timeout 10 cat $D/ttm > /tmp/ttm.txt 2>&1
	timeout 10 sh -c "echo release > $D/ttm"
	rc=$?
	echo 1 > /sys/bus/pci/rescan
	sleep 2
	after=$(oopses)
	if [ "$after" = "$before" ] && [ $rc = 0 ] && grep -q "^device: $bdf" /tmp/ttm.txt; then
		say "ttm-device-ref ok ($(grep -c . /tmp/ttm.txt) lines, $(grep '^edu' $D/status))"
	else
		say "ttm-device-ref bad oopses=$((after - before)) release_rc=$rc device=$(grep '^device' /tmp/ttm.txt)"
	fi
else
	say "ttm-device-ref bad: no edu or no mapping"
fi

# exhaust: unload gives Xen back every extent the module took below 2^28
# and dom0 its pages: after a reload, the same take gets as much again
# (within 4 MiB), and dom0 has its memory back. An unload that kept them,
# or freed the pages without exchanging them back, fails one or the other.
if grep -q '^xen_pv: 1' $D/status && echo "take 28" > $D/exhaust 2>/tmp/ex.err; then
	held1=$(sed -n 's/^held_kib: //p' $D/exhaust)
	stop1=$(sed -n 's/^stopped: //p' $D/exhaust)
	avail1=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
	params=$(for p in $P/*; do printf '%s=%s ' "${p##*/}" "$(cat "$p")"; done)
	/bin/xenbounce module unload > /tmp/ex.unload 2>&1
	avail2=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
	/bin/xenbounce module load /lib/xenbounce.ko $params > /tmp/ex.load 2>&1
	echo "take 28" > $D/exhaust 2>>/tmp/ex.err
	held2=$(sed -n 's/^held_kib: //p' $D/exhaust)
	echo release > $D/exhaust
	left=$(sed -n 's/^held_kib: //p' $D/exhaust)
	if [ "${held1:-0}" -gt 0 ] && [ "$stop1" = xen_refused ] && [ $((held2 + 4096)) -ge "$held1" ] &&
		[ $((avail2 - avail1 + 4096)) -ge "$held1" ] && [ "$left" = 0 ]; then
		say "exhaust-unload ok held_kib=$held1 again_kib=$held2 avail_kib=$avail1->$avail2"
	else
		say "exhaust-unload bad held_kib=$held1 stopped=$stop1 again_kib=$held2 avail_kib=$avail1->$avail2 left_kib=$left ($(cat /tmp/ex.err /tmp/ex.unload /tmp/ex.load | tr '\n' ' '))"
	fi
else
	say "exhaust-unload bad: take 28 failed ($(cat /tmp/ex.err 2>/dev/null))"
fi

# bench is bounded: a valid-looking but huge run is refused at once. (An
# unfixed module runs it for many minutes holding its lock: watchdog.)
rm -f /tmp/big.rc
( echo "262144 1000000" > $D/bench 2>/tmp/big.err; echo $? > /tmp/big.rc ) &
sleep 3
if [ -f /tmp/big.rc ] && [ "$(cat /tmp/big.rc)" != 0 ] && grep -q 'out of range' /tmp/big.err; then
	say "bench-bounded ok ($(sed 's/.*: //' /tmp/big.err))"
else
	say "bench-bounded bad: still running after 3 s or accepted"
fi
say "done"
