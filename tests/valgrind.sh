#!/bin/sh
# The runner under valgrind on a scenario set that passes, fails, skips,
# crashes and times out: no memory error and no definite leak, in the
# runner or its forked workloads.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[scenario]\ntimeout = 2\n[workload hang]\ndriver = selftest\naction = sleep\nseconds = 30\n' > "$tmp/hang.ini"
printf '[workload segv]\ndriver = selftest\naction = segv\n' > "$tmp/segv.ini"
printf '[workload cut]\ndriver = selftest\naction = partial_report\n' > "$tmp/cut.ini"
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --child-silent-after-fork=no \
	build/xenbounce run -q -r "$tmp/res" scenarios/01-cpu-known-bad.ini scenarios/10-edu-dma-api.ini \
	scenarios/60-amdgpu-gtt.ini "$tmp/hang.ini" "$tmp/segv.ini" "$tmp/cut.ini" > "$tmp/out" 2> "$tmp/err"
rc=$?
cat "$tmp/err"
# The run itself fails (a crash and a timeout are in the set): exit 1.
if [ "$rc" -ne 1 ]; then
	echo "valgrind: exit $rc (99 = valgrind found errors)"
	exit 1
fi
# A forked child's errors show in its own log lines.
if grep -q 'definitely lost\|Invalid \(read\|write\)\|uninitialised' "$tmp/err"; then
	echo "valgrind: errors reported"
	exit 1
fi
echo "valgrind: clean"
