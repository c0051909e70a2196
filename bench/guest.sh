#!/bin/sh
# Runs in the lab's dom0 before the detection scenarios: in-kernel
# figures from xenbounce.ko, printed as "BENCH key value" lines.
D=/sys/kernel/debug/xenbounce
for size in 2048 4096 65536 262144; do
	for run in 1 2 3; do
		if echo "$size 2000" > $D/bench; then
			echo "BENCH map size=$size run=$run $(tr '\n' ' ' < $D/bench)"
		else
			echo "BENCH map size=$size run=$run failed"
		fi
	done
done
echo "64 1" > $D/scramble && echo "BENCH scramble $(tr '\n' ' ' < $D/scramble)"
echo "blocks 1" > $D/scramble && echo "BENCH blocks $(tr '\n' ' ' < $D/scramble)"
echo "split 1" > $D/scramble && echo "BENCH split $(tr '\n' ' ' < $D/scramble)"
echo release > $D/scramble
echo "take 28" > $D/exhaust && echo "BENCH exhaust28 $(tr '\n' ' ' < $D/exhaust)"
echo release > $D/exhaust && echo "BENCH exhaust28-release $(tr '\n' ' ' < $D/exhaust)"
echo "free=0" > $D/reserve && echo "BENCH reserve-free0 $(tr '\n' ' ' < $D/reserve)"
echo release > $D/reserve
echo "fragment=1" > $D/reserve && echo "BENCH reserve-fragment1 $(tr '\n' ' ' < $D/reserve)"
echo release > $D/reserve
