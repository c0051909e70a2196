#!/bin/sh
# The whole test suite (make test): build, unit tests plain and under
# ASan/UBSan, the module build (0 warnings) and checkpatch, the command
# line, DKMS against the installed headers (tests/dkms.sh), that every
# cited document is in the repository, the real reference lab, and a real
# LAVA job in it (harness/lava/run.sh). Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
log=$top/build/test-logs
mkdir -p "$log"
pass=0
fail=0
skipped=0
start=$(date +%s)

# suite NAME COMMAND...: run a suite that ends with "NAME: N passed, N failed".
suite() {
	name=$1
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$log/$name.log"
	line=$(grep -E "^[a-z-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$" "$log/$name.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$name: did not finish (see $log/$name.log)"
		fail=$((fail + 1))
		return
	fi
	p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
	k=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped$/\1/p')
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + ${k:-0}))
}
# step NAME COMMAND...: one pass/fail
step() {
	name=$1
	shift
	echo "== $name"
	if "$@" > "$log/$name.log" 2>&1; then
		pass=$((pass + 1))
		echo "ok $name"
	else
		fail=$((fail + 1))
		echo "not ok $name (see $log/$name.log)"
		tail -n 20 "$log/$name.log"
	fi
}
kmod_clean_build() {
	make -s -C kmod clean >/dev/null 2>&1
	make -C kmod 2>&1 | tee /dev/stderr | grep -qi 'warning' && return 1
	test -f kmod/xenbounce.ko
}

step build make -j2 all
suite unit make --no-print-directory unit
suite unit-san make --no-print-directory unit-san
step kmod-build-0-warnings kmod_clean_build
step kmod-checkpatch kmod/checkpatch.sh
suite lava-templates tests/lava/templates.sh
step kmod-check-all-headers make --no-print-directory kmod-check
step citations tests/layout/citations.sh
step layers tests/layout/layers.sh
suite corpus harness/regressions/check.sh
suite cli tests/cli/run.sh
suite dkms tests/dkms.sh
step fuzz-build make -s -j2 fuzz-build
suite fuzz tests/fuzz/run.sh 20000
step valgrind tests/valgrind.sh
if [ -f kmod/xenbounce.ko ] && [ -x build/xenbounce ]; then
	suite lab tests/lab/run.sh
else
	echo "lab: cannot run without the module and the harness"
	fail=$((fail + 1))
fi
# The LAVA test definition under a real lava-run in the lab's dom0, its
# parsed results checked against results.json (make lava; 75 to 100 s).
step lava harness/lava/run.sh
echo "== make test took $(($(date +%s) - start))s"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
