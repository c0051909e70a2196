#!/bin/sh
# Run every libFuzzer target for RUNS executions from the committed seeds.
# Prints "fuzz: N passed, N failed" (a target passes when it ran all its
# executions without a crash, leak or sanitizer report).
set -u
runs=${1:-1000000}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build/fuzz
pass=0
fail=0
for t in scenario ktap classify; do
	mkdir -p "$build/corpus-$t"
	start=$(date +%s)
	"$build/fuzz_$t" -runs="$runs" -max_len=4096 -print_final_stats=1 -artifact_prefix="$build/" \
		"$build/corpus-$t" "$top/tests/fuzz/seeds/$t" > "$build/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$t.log")
	if [ "$rc" -eq 0 ] && [ "${execs:-0}" -ge "$runs" ]; then
		pass=$((pass + 1))
		echo "ok fuzz_$t: $execs executions in $(($(date +%s) - start))s"
	else
		fail=$((fail + 1))
		echo "not ok fuzz_$t: exit $rc after ${execs:-0} executions (see $build/$t.log)"
		grep -E '^==[0-9]+==|SUMMARY' "$build/$t.log" | head -n 5
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
