#!/bin/sh
# Runs inside the lab's dom0 (busybox sh) before the scenarios: the
# module's pool check ("reserve check") on a quiet pool, beside a reserve,
# and beside its known-bad control ("leak=N"). Prints "CONSERVE ..." lines
# that tests/lab/run.sh checks, and the numbers it measured.
D=/sys/kernel/debug/xenbounce
S=/sys/kernel/debug/swiotlb
kv() { sed -n "s/^$2: //p" "$D/$1"; }
nslabs=$(cat $S/io_tlb_nslabs)
used0=$(cat $S/io_tlb_used)
echo "CONSERVE nslabs=$nslabs used=$used0 max_mapping=$(kv status max_mapping_size)"
# Five checks in a row: each counts every free slot, restores the pool,
# and agrees with the last (the cost of one is check_time_ns).
i=0
same=1
while [ $i -lt 5 ]; do
	if ! echo check > $D/reserve; then echo "CONSERVE check-write failed"; same=0; fi
	c=$(kv reserve check_slots_free)
	r=$(kv reserve check_longest_run_slots)
	echo "CONSERVE run $i: result=$(kv reserve check_result) slots_free=$c longest=$r max_run=$(kv reserve check_max_run_slots) mappings=$(kv reserve check_mappings) time_ns=$(kv reserve check_time_ns) used_after=$(cat $S/io_tlb_used) memfree_kb=$(sed -n 's/^MemFree: *\([0-9]*\).*/\1/p' /proc/meminfo)"
	[ $i -eq 0 ] && { c0=$c; r0=$r; }
	[ "$c" = "$c0" ] && [ "$r" = "$r0" ] && [ "$(cat $S/io_tlb_used)" = "$used0" ] || same=0
	i=$((i + 1))
done
if [ "$same" = 1 ] && [ "$c0" = $((nslabs - used0)) ] && [ "$r0" = "$(kv reserve check_max_run_slots)" ]; then
	echo "CONSERVE whole ok"
else
	echo "CONSERVE whole bad: counted $c0 of $((nslabs - used0)) free, longest $r0"
fi
# Refused beside a reserve (it would count the reserve as lost), and on input.
echo slots=64 > $D/reserve
if echo check > $D/reserve 2>/dev/null; then echo "CONSERVE busy bad"; else echo "CONSERVE busy ok"; fi
echo release > $D/reserve
bad=0
for c in "check x" "check 1" "leak=0" "leak=129" "leak=abc" "leak=" "leak=-1"; do
	if printf '%s' "$c" > $D/reserve 2>/dev/null; then bad=$((bad + 1)); echo "CONSERVE accepted <$c>"; fi
done
[ $bad = 0 ] && echo "CONSERVE input ok"
# The control: 8 slots leaked, check runs beside them and counts 8 fewer.
echo leak=8 > $D/reserve
echo check > $D/reserve
lc=$(kv reserve check_slots_free)
lu=$(cat $S/io_tlb_used)
ls=$(kv status reserve_leaked_slots)
if [ "$lc" = $((c0 - 8)) ] && [ "$lu" = $((used0 + 8)) ] && [ "$ls" = 8 ]; then
	echo "CONSERVE leak-seen ok"
else
	echo "CONSERVE leak-seen bad: counted $lc (whole $c0), used $lu, leaked_slots $ls"
fi
echo release > $D/reserve
echo check > $D/reserve
if [ "$(kv reserve check_slots_free)" = "$c0" ] && [ "$(cat $S/io_tlb_used)" = "$used0" ]; then
	echo "CONSERVE leak-released ok"
else
	echo "CONSERVE leak-released bad: counted $(kv reserve check_slots_free), used $(cat $S/io_tlb_used)"
fi
# A fragmented pool: the longest run falls to the fragment size.
echo fragment=3 > $D/reserve
echo release > $D/reserve
echo check > $D/reserve
echo "CONSERVE after-fragment slots_free=$(kv reserve check_slots_free) longest=$(kv reserve check_longest_run_slots) used=$(cat $S/io_tlb_used)"
