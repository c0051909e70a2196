#!/bin/sh
# The xenbounce command line as a user meets it: exit codes, error
# messages that name file:line, nothing run on a bad scenario.
# Prints "cli: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
XB=$top/build/xenbounce
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XENBOUNCE_COLLECTORS=none
pass=0
fail=0
skip=0
n=0
t() {	# t NAME WANT-EXIT COMMAND... ; output in $tmp/out
	name=$1
	want=$2
	shift 2
	"$@" > "$tmp/out" 2>&1
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ]; then
		pass=$((pass + 1))
		echo "ok $n $name"
	else
		fail=$((fail + 1))
		echo "not ok $n $name # exit $rc, want $want"
		sed 's/^/# /' "$tmp/out" | head -n 10
	fi
}
has() {	# has NAME TEXT: the last command's output contains TEXT
	n=$((n + 1))
	if grep -qF -- "$2" "$tmp/out"; then
		pass=$((pass + 1))
		echo "ok $n $1"
	else
		fail=$((fail + 1))
		echo "not ok $n $1 # output lacks: $2"
		sed 's/^/# /' "$tmp/out" | head -n 10
	fi
}

mkdir -p "$tmp/sc"
printf '[workload a]\ndriver = selftest\naction = pass\n' > "$tmp/sc/good.ini"
printf '[workload b]\ndriver = selftest\naction = skip\n' > "$tmp/skip.ini"
printf '[workload c]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n' > "$tmp/fail.ini"
printf '[workload a]\ndriver = selftest\nactoin = pass\n' > "$tmp/bad.ini"

t "help" 0 "$XB" --help
has "help lists run" "run        run scenario files"
t "unknown command" 2 "$XB" frobnicate
has "unknown command named" "invalid command 'frobnicate'"
t "run --list" 0 "$XB" run --list scenarios
has "list shows the known-bad control" "12-edu-first-page-shuffled"
t "run --dry-run" 0 "$XB" run -n scenarios/12-edu-first-page-shuffled.ini
has "dry run shows the fault" "pool of 16 pages, machine frames shuffled"
t "bad scenario: exit 2" 2 "$XB" run -r "$tmp/res" "$tmp/sc/good.ini" "$tmp/bad.ini"
has "bad scenario: file:line" "bad.ini:3: driver selftest takes no key \"actoin\""
n=$((n + 1))
if [ -d "$tmp/res" ]; then fail=$((fail + 1)); echo "not ok $n bad scenario: nothing ran"; else pass=$((pass + 1)); echo "ok $n bad scenario: nothing ran"; fi
t "bad scenario under --bisect aborts git bisect" 128 "$XB" run --bisect "$tmp/bad.ini"
t "bad --seed" 2 "$XB" run --seed x "$tmp/sc"
has "bad --seed named" "--seed x: a number from 0 to 9007199254740991"
t "missing file" 2 "$XB" run /nonexistent.ini
t "all pass: 0" 0 "$XB" run -q -r "$tmp/res" "$tmp/sc"
has "KTAP on stdout" "ok 1 good"
t "all skipped: 4" 4 "$XB" run -q -r "$tmp/res" "$tmp/skip.ini"
t "all skipped under --bisect: 125" 125 "$XB" run -q --bisect -r "$tmp/res" "$tmp/skip.ini"
t "a failure: 1" 1 "$XB" run -q -r "$tmp/res" "$tmp/fail.ini"
t "a failure under --bisect: 1" 1 "$XB" run -q --bisect -r "$tmp/res" "$tmp/fail.ini"
t "--filter" 0 "$XB" run -q -r "$tmp/res" -f 'go*' "$tmp/sc" "$tmp/skip.ini"
has "--filter keeps only matches" "1..1"
t "ktap check of a run" 0 "$XB" ktap "$(ls -d "$tmp"/res/*/ | head -n 1)ktap.txt"
printf 'KTAP version 1\n1..2\nok 1 a\n' > "$tmp/short.ktap"
t "ktap check catches a short plan" 1 "$XB" ktap "$tmp/short.ktap"
printf 'KTAP version 1\n' > "$tmp/empty.ktap"
t "ktap: a version line alone is an error" 1 "$XB" ktap "$tmp/empty.ktap"
has "ktap: says the document is empty" "empty document"
printf 'KTAP version 1\n1..1\nok 99999999999 x\n' > "$tmp/bignum.ktap"
t "ktap: a test number that does not fit is an error" 1 "$XB" ktap "$tmp/bignum.ktap"
has "ktap: names the line of the number" "line 3: test number 99999999999 is out of range"
printf 'KTAP version 1\n1..1000001\nok 1 x\n' > "$tmp/bigplan.ktap"
t "ktap: a plan over 1000000 is an error" 1 "$XB" ktap "$tmp/bigplan.ktap"
has "ktap: names the plan line" "line 2: plan 1..1000001 is over the limit of 1000000 tests"
printf 'Dec 06 16:24:53 dom0 kernel: radeon 0000:01:00.0: swiotlb buffer is full (sz: 65536 bytes)\r\n(XEN) [VT-D]DMAR:[DMA Write] Request device [0000:00:03.0] fault addr 57f1000\nnothing\n' > "$tmp/log"
t "classify: findings exit 1" 1 "$XB" classify "$tmp/log"
has "classify: swiotlb" '"kind":"pool_exhausted"'
has "classify: VT-d with BDF" '"device":"0000:00:03.0"'
t "classify from stdin, nothing found" 0 sh -c "echo quiet | '$XB' classify -"
t "classify: missing file" 2 "$XB" classify /nonexistent.log
t "classify: a directory is a read error" 2 "$XB" classify "$tmp"
has "classify: a directory: says why" "could not read $tmp: Is a directory"
printf 'saved before a crash\000\000(XEN) [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 57f0000\n' > "$tmp/nul.log"
t "classify: the text after a NUL byte is classified" 1 "$XB" classify "$tmp/nul.log"
has "classify: after a NUL, the VT-d fault" '"subkind":"xen_vtd"'
printf 'pci 0000:00:03.0: swiotlb buffer is full (sz: 99999999999999999999 bytes), total 32768 (slots), used 0 (slots)\n' > "$tmp/big.log"
t "classify: an overflowing number" 1 "$XB" classify "$tmp/big.log"
has "classify: an overflowing number is kept as text" '"out_of_range":{"size_bytes":"99999999999999999999"}'
has "classify: no subkind from an unknown number" '"subkind":"undetermined"'
printf '3,200,1000,-;AMD-Vi: Event logged [\n3,201,1000,c;IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n SUBSYSTEM=pci\n' > "$tmp/kmsg.log"
t "classify: a /dev/kmsg event split by KERN_CONT" 1 "$XB" classify "$tmp/kmsg.log"
has "classify: the joined event has its device" '"device":"0000:00:14.0"'
printf 'Kernel panic - not syncing: caf\351 \377\n' > "$tmp/latin1.log"
t "classify: a line that is not UTF-8 is a finding" 1 "$XB" classify "$tmp/latin1.log"
has "classify: its line is kept, the bytes escaped" '"line":"Kernel panic - not syncing: caf\\xe9 \\xff"'
cp "$tmp/latin1.log" "$tmp/caf$(printf '\351').log"
t "classify: a file name that is not UTF-8 loses no finding" 1 "$XB" classify "$tmp/caf$(printf '\351').log"
has "classify: the file name is the source, escaped" 'caf\\xe9.log"'
printf '<4>[ 9.1] general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI\n<4>[ 9.1] CPU: 1 PID: 2345 Comm: xenbounce\n<3>[ 9.2] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n<3>[ 9.2] rcu: \t1-...!: (0 ticks this GP)\n' > "$tmp/kernel.log"
t "classify: a GPF and an RCU stall, two findings" 0 sh -c "'$XB' classify '$tmp/kernel.log' > '$tmp/k.json'; [ \$(wc -l < '$tmp/k.json') = 2 ] && cat '$tmp/k.json'"
has "classify: the GPF" '"subkind":"gpf"'
has "classify: the RCU stall" '"subkind":"rcu_stall"'
printf '[workload g]\ndriver = amdgpu\naction = copy_gtt\nsizes = 4K\n' > "$tmp/gpu.ini"
t "amdgpu without a GPU: the driver itself skips" 4 "$XB" run -r "$tmp/res" "$tmp/gpu.ini"
has "amdgpu skip reason" "ok 1 g # SKIP no amdgpu render node"
t "amdgpu --device selects a GPU that is not there" 4 "$XB" run -r "$tmp/res" --device 0000:03:00.0 "$tmp/gpu.ini"
has "amdgpu --device named in the skip" "no amdgpu render node at 0000:03:00.0"
t "bad --device" 2 "$XB" run --device 3:0.0 "$tmp/gpu.ini"
has "bad --device named" "--device 3:0.0: a PCI address"
printf '[workload g]\ndriver = amdgpu\naction = write_linear\nsizes = 4097\n' > "$tmp/gpu2.ini"
t "amdgpu write_linear of a partial dword is refused" 2 "$XB" run "$tmp/gpu2.ini"
has "amdgpu: names the rule" "sizes must be multiples of 4"
printf '[workload g]\ndriver = amdgpu\naction = eviction\nsizes = 1M\nbuffers = 63\n' > "$tmp/gpu3.ini"
t "amdgpu buffers beyond the eviction limit are refused" 2 "$XB" run "$tmp/gpu3.ini"
has "amdgpu: names the buffers limit" "buffers (VRAM BOs of an eviction case) must be at most 32"
# The amdgpu dry run: what a first hardware run would submit, per family.
t "amdgpu-plan for SI" 0 "$XB" amdgpu-plan --family si scenarios/61-amdgpu-vram-userptr.ini
has "amdgpu-plan: IBs decoded" "COPY_LINEAR src=0x"
has "amdgpu-plan: a wait between dependent copies" "NOP (wait for earlier packets)"
n=$((n + 1))
if grep -q "COPY_LINEAR" "$tmp/out" && ! grep -q "dword mode" "$tmp/out"; then pass=$((pass + 1)); echo "ok $n amdgpu-plan: SI copies in byte mode"; else fail=$((fail + 1)); echo "not ok $n amdgpu-plan: SI copies in byte mode"; fi
t "amdgpu-plan: eviction beyond VRAM" 0 "$XB" amdgpu-plan scenarios/62-amdgpu-scrambled-p2m.ini --family gfx11 --vram-mib 1024 -w eviction
has "amdgpu-plan: eviction must show a move" "AMDGPU_INFO_NUM_EVICTIONS must have grown"
t "amdgpu-plan: unknown family" 2 "$XB" amdgpu-plan --family gfx8 scenarios/60-amdgpu-gtt.ini
has "amdgpu-plan: names the families" "unknown family 'gfx8' (valid: si, cik, vi, gfx9, gfx10, gfx11, gfx12)"
t "amdgpu-plan: unknown option" 2 "$XB" amdgpu-plan --family gfx9 --frobnicate scenarios/60-amdgpu-gtt.ini
has "amdgpu-plan: names the options" "unknown option '--frobnicate' (valid: --family"
# A workload killed by SIGKILL is a crash, and the run goes on.
printf '[workload k]\ndriver = selftest\naction = kill_self\n' > "$tmp/kill.ini"
t "SIGKILLed workload: run goes on, exit 1" 1 "$XB" run -q -r "$tmp/res" "$tmp/kill.ini" "$tmp/sc/good.ini"
has "SIGKILL is a crash" "not ok 1 kill # ERROR k: crash: killed by signal 9"
has "the next test still ran" "ok 2 good"

# Ctrl-C: the running test is recorded, the run stops with 130.
printf '[workload s]\ndriver = selftest\naction = sleep\nseconds = 30\n' > "$tmp/sleep.ini"
for mode in plain bisect; do
	flag=""
	[ "$mode" = bisect ] && flag=--bisect
	rm -rf "$tmp/int"
	"$XB" run -q $flag --results-dir "$tmp/int" "$tmp/sleep.ini" "$tmp/sc/good.ini" > "$tmp/out" 2>&1 &
	pid=$!
	sleep 1
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	n=$((n + 1))
	if [ "$rc" = 130 ] && grep -q '^Bail out! interrupted' "$tmp/out" &&
	   [ "$(jq -r '.tests[0].reason + " " + (.tests | length | tostring) + " " + (.exit_code | tostring)' "$tmp/int/results.json")" = "s: interrupted 1 130" ]; then
		pass=$((pass + 1))
		echo "ok $n Ctrl-C ($mode): exit 130, running test recorded, KTAP bails out"
	else
		fail=$((fail + 1))
		echo "not ok $n Ctrl-C ($mode): exit $rc"
		sed 's/^/# /' "$tmp/out"
	fi
done

# A full disk: a clear error, earlier results intact.
if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/full" && mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>/dev/null; then
	printf '[workload big]\ndriver = cpu\nsizes = 1\niterations = 1\n' > "$tmp/small.ini"
	i=0
	set --
	while [ $i -lt 40 ]; do set -- "$@" "$tmp/sc/good.ini"; i=$((i + 1)); done
	# The same file 40 times under different names.
	mkdir -p "$tmp/many"
	i=0
	while [ $i -lt 40 ]; do cp "$tmp/small.ini" "$tmp/many/s$i.ini"; i=$((i + 1)); done
	"$XB" run -q --results-dir "$tmp/full/run" "$tmp/many" > "$tmp/out" 2> "$tmp/errout"
	rc=$?
	n=$((n + 1))
	if grep -q 'could not write results for .*No space left on device (earlier results are intact)' "$tmp/errout" &&
	   jq -e '.tests | length > 0' "$tmp/full/run/results.json" > /dev/null; then
		pass=$((pass + 1))
		echo "ok $n full disk: clear error, results.json still valid ($(jq '.tests | length' "$tmp/full/run/results.json") tests)"
	else
		fail=$((fail + 1))
		echo "not ok $n full disk: exit $rc"
		sed 's/^/# /' "$tmp/errout" | head -n 5
	fi
	umount "$tmp/full"
else
	n=$((n + 1))
	skip=$((skip + 1))
	echo "ok $n full disk # SKIP needs root to mount a small tmpfs"
fi

# Comparing runs, and the reports each run writes.
rm -rf "$tmp/ra" "$tmp/rb"
"$XB" run -q --results-dir "$tmp/ra" "$tmp/sc/good.ini" "$tmp/skip.ini" > /dev/null 2>&1
cp "$tmp/fail.ini" "$tmp/sc/good2.ini"
"$XB" run -q --results-dir "$tmp/rb" "$tmp/sc" "$tmp/skip.ini" > /dev/null 2>&1
t "compare: same run, no regression" 0 "$XB" compare "$tmp/ra" "$tmp/ra"
has "compare: counts" "0 new failures, 0 unexpected passes, 0 flaky, 0 known failures, 0 fixes"
cp "$tmp/fail.ini" "$tmp/good.ini"
rm -rf "$tmp/rc"
"$XB" run -q --results-dir "$tmp/rc" "$tmp/good.ini" "$tmp/skip.ini" > /dev/null 2>&1
t "compare: a regression exits 1" 1 "$XB" compare "$tmp/ra" "$tmp/rc"
has "compare: names it" "  good: \"pass\" -> \"fail\""
t "compare --json" 1 "$XB" compare --json "$tmp/ra" "$tmp/rc"
has "compare --json: new failures list" '"new_failures": ['
# A new test that fails is a new failure (the run summary's word), not only "added".
t "compare: an added failing test is a new failure" 1 "$XB" compare "$tmp/ra" "$tmp/rb"
has "compare: added listed" "good2"
has "compare: added failing test under new failures" 'good2: "absent" -> "fail"'
t "compare: unreadable run" 2 "$XB" compare "$tmp/ra" /nonexistent
# The side-by-side table; the runs' modes are the same here, so A and B.
jq '.meta.environment.dom0_mode = "pvh" | (.tests[] | select(.name == "good")) += {"expect_mode": "pvh"}' "$tmp/rc/results.json" > "$tmp/rc-pvh.json"
t "compare --table" 1 "$XB" compare --table "$tmp/ra" "$tmp/rc-pvh.json"
has "compare --table: columns named by dom0 mode" "| test | none | none: found | pvh | pvh: found |"
has "compare --table: status, [expect MODE] and finding kinds" "| good | pass | none | fail [expect pvh] | corruption |"
has "compare --table: a skip's reason" "| skip | skip |"
t "compare --table --json: usage error" 2 "$XB" compare --table --json "$tmp/ra" "$tmp/rc"
# (xmllint's HTML parser knows HTML 4 only and reports <svg> and <details>
# as errors while exiting 0: the Chromium DOM check below is the real one.)
n=$((n + 1))
if grep -q '<svg' "$tmp/rb/report.html" && grep -q 'good2' "$tmp/rb/report.html" && ! grep -q 'http' "$tmp/rb/report.html"; then
	pass=$((pass + 1)); echo "ok $n report.html: tests, SVG plots, no external resources"
else
	fail=$((fail + 1)); echo "not ok $n report.html content"
fi
# The report opens in a real browser without errors.
if command -v chromium >/dev/null; then
	t "report.html opens in headless Chromium" 0 timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$tmp/chromium" --enable-logging=stderr --v=0 \
		--dump-dom "file://$tmp/rb/report.html"
	n=$((n + 1))
	if grep -q '<svg' "$tmp/out" && grep -q 'good2' "$tmp/out" && ! grep -qE 'CONSOLE|Uncaught' "$tmp/out"; then
		pass=$((pass + 1)); echo "ok $n report.html: rendered DOM has the tests and plots, no console errors"
	else
		fail=$((fail + 1)); echo "not ok $n report.html in Chromium"; grep -E 'CONSOLE|Uncaught' "$tmp/out" | head -3
	fi
else
	n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n no chromium (make deps installs it)"
fi
t "kcidb.json: schema 5.3 with KCIDB statuses" 0 jq -e '.version.major == 5 and .version.minor == 3 and ([.tests[] | select(.origin == "xenbounce" and (.id | startswith("xenbounce:")) and (.status | IN("FAIL","ERROR","MISS","PASS","DONE","SKIP")))] | length) == (.tests | length) and ([.tests[].status] | index("FAIL") != null)' "$tmp/rb/kcidb.json"
t "junit.xml parses" 0 xmllint --noout "$tmp/rb/junit.xml"
t "LAVA report without LAVA" 0 harness/lava/report.sh "$tmp/rb"
has "LAVA: one case per step" "<TEST_CASE_ID=good2.c RESULT=fail>"
mkdir -p "$tmp/lava-bin"
printf '#!/bin/sh\necho "LAVA-CASE $*" >> "%s/lava.calls"\n' "$tmp" > "$tmp/lava-bin/lava-test-case"
chmod +x "$tmp/lava-bin/lava-test-case"
t "LAVA report calls lava-test-case" 0 env PATH="$tmp/lava-bin:$PATH" harness/lava/report.sh "$tmp/rb"
n=$((n + 1))
if grep -q '^LAVA-CASE good.a --result pass$' "$tmp/lava.calls" && grep -q '^LAVA-CASE skip.b --result skip$' "$tmp/lava.calls"; then
	pass=$((pass + 1)); echo "ok $n lava-test-case called per step with its result"
else
	fail=$((fail + 1)); echo "not ok $n lava-test-case calls"; sed 's/^/# /' "$tmp/lava.calls"
fi

# Resume: the runner dies in the middle of test 2 (as if the machine went
# down); --resume keeps test 1, marks test 2 incomplete and runs test 3.
mkdir -p "$tmp/crash"
printf '[workload a]\ndriver = selftest\naction = pass\n' > "$tmp/crash/1-first.ini"
printf '[workload b]\ndriver = selftest\naction = kill_runner\n' > "$tmp/crash/2-dies.ini"
printf '[workload c]\ndriver = selftest\naction = pass\n' > "$tmp/crash/3-last.ini"
rm -rf "$tmp/rr"
t "a runner that dies is killed" 137 "$XB" run -q --results-dir "$tmp/rr" "$tmp/crash"
printf 'BUG: something in the console\nlast line\n' > "$tmp/tail.txt"
t "resume: exit 1 (one test incomplete)" 1 "$XB" run -q --resume "$tmp/rr" --console-tail "$tmp/tail.txt" "$tmp/crash"
has "resume: the finished test is reported, not rerun" "# 1-first: recorded before the restart"
has "resume: the running test is incomplete" "not ok 2 2-dies # ERROR the machine went down while this test ran"
has "resume: the console tail is kept" "#   last line"
has "resume: the run goes on" "ok 3 3-last"
t "resume: results.json has all three, in order" 0 jq -e '[.tests[] | .name + ":" + .status] == ["1-first:pass", "2-dies:incomplete", "3-last:pass"] and (.tests[1].evidence.console_tail | test("last line")) and .resumed' "$tmp/rr/results.json"
t "resume: ktap.txt is one well-formed document, exit 1 for the incomplete test" 1 "$XB" ktap "$tmp/rr/ktap.txt"
has "resume: ktap totals count the incomplete test as an error" "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:1"
# The machine goes down during the very first test (seen with a PVH dom0
# and a virtio-gpu that never answers): there is still a run to resume.
rm -rf "$tmp/rr1"
t "a runner that dies in its first test is killed" 137 "$XB" run -q --results-dir "$tmp/rr1" "$tmp/crash/2-dies.ini" "$tmp/crash/3-last.ini"
t "resume after a crash in the first test: exit 1" 1 "$XB" run -q --resume "$tmp/rr1" "$tmp/crash/2-dies.ini" "$tmp/crash/3-last.ini"
t "resume after a crash in the first test: incomplete, then the rest" 0 jq -e '[.tests[] | .name + ":" + .status] == ["2-dies:incomplete", "3-last:pass"]' "$tmp/rr1/results.json"

# Verdicts a nightly lab reads without the console: junit.xml, kcidb.json
# and LAVA's test cases have one record per test as well as one per step,
# so a skip before any step and an incomplete test are there too.
printf '[scenario]\nrequires = xen_pv\n[workload a]\ndriver = selftest\naction = pass\n' > "$tmp/needs-pv.ini"
rm -rf "$tmp/rx"
"$XB" run -q --results-dir "$tmp/rx" "$tmp/needs-pv.ini" "$tmp/sc/good.ini" "$tmp/fail.ini" > /dev/null 2>&1
t "export: a skip before any step (no steps in results.json)" 0 jq -e '.tests[0] | .status == "skip" and (.steps | length) == 0' "$tmp/rx/results.json"
t "junit: a testcase per test, the skip with its reason" 0 sh -c "xmllint --noout '$tmp/rx/junit.xml' && grep -A1 '<testcase classname=\"xenbounce\" name=\"needs-pv\"' '$tmp/rx/junit.xml' | grep -q '<skipped message=\"not a Xen PV domain' && grep -q 'tests=\"5\" failures=\"2\" errors=\"0\" skipped=\"1\"' '$tmp/rx/junit.xml'"
host=$(hostname)
t "kcidb: a record per test and per step, ids unique per host, start and run" 0 jq -e --arg h "$host" '
	(.tests | length) == 5 and
	([.tests[] | select(.path == "xenbounce.needs-pv")][0] | .status == "SKIP" and (.comment | startswith("not a Xen PV domain"))) and
	([.tests[] | select(.path == "xenbounce.fail")][0].status == "FAIL") and
	all(.tests[]; .id | startswith("xenbounce:" + $h + "-") and test("-rx:"))' "$tmp/rx/kcidb.json"
t "kcidb: one checkout and one build for the kernel under test, linked" 0 jq -e --arg r "$(uname -r)" '
	(.checkouts | length) == 1 and (.builds | length) == 1 and .builds[0].checkout_id == .checkouts[0].id and
	.checkouts[0].git_commit_name == $r and .checkouts[0].valid and .builds[0].status == "PASS" and
	.builds[0].id as $b | all(.tests[]; .build_id == $b)' "$tmp/rx/kcidb.json"
t "kcidb: tests and steps name their files, relative to the run (no URL yet)" 0 jq -e '
	([.tests[] | select(.path == "xenbounce.good")][0] | .misc.xenbounce_log == "002-good/result.json" and (.misc.xenbounce_files | index("002-good/01-a.out.txt") != null)) and
	([.tests[] | select(.path == "xenbounce.good.a")][0] | .misc.xenbounce_log == "002-good/01-a.out.txt" and (.misc.xenbounce_files | length) > 0) and
	all(.tests[]; has("log_url") or has("output_files") | not)' "$tmp/rx/kcidb.json"
t "kcidb: an incomplete test is MISS" 0 jq -e '[.tests[] | select(.path == "xenbounce.2-dies")][0] | .status == "MISS" and .misc.xenbounce_status == "incomplete"' "$tmp/rr/kcidb.json"
cp "$tmp/rx/kcidb.json" "$tmp/kcidb-before.json"
t "report --kcidb-base-url: not a URL is a usage error" 2 "$XB" report --kcidb-base-url "lab/runs 7" "$tmp/rx"
has "report --kcidb-base-url: says what it needs" "--kcidb-base-url lab/runs 7: not an absolute URL"
t "report --kcidb-base-url: a bad URL changes nothing" 0 cmp "$tmp/kcidb-before.json" "$tmp/rx/kcidb.json"
t "report --kcidb-base-url" 0 "$XB" report --kcidb-base-url https://lab.example/runs/7/ "$tmp/rx"
t "report --kcidb-base-url: log_url and output_files" 0 jq -e '[.tests[] | select(.path == "xenbounce.good.a")][0] | .log_url == "https://lab.example/runs/7/002-good/01-a.out.txt" and (.output_files | length) > 0 and all(.output_files[]; .url == "https://lab.example/runs/7/002-good/" + .name) and (.misc | has("xenbounce_files") | not)' "$tmp/rx/kcidb.json"
# The lab writes every night into the same directory.
rm -rf "$tmp/night"
"$XB" run -q --results-dir "$tmp/night" "$tmp/sc/good.ini" > /dev/null 2>&1
jq '[.checkouts[].id, .builds[].id, .tests[].id]' "$tmp/night/kcidb.json" > "$tmp/night1.json"
sleep 1
rm -rf "$tmp/night"
"$XB" run -q --results-dir "$tmp/night" "$tmp/sc/good.ini" > /dev/null 2>&1
t "kcidb: the same run directory the next night, other ids" 0 jq -e --slurpfile a "$tmp/night1.json" '[.checkouts[].id, .builds[].id, .tests[].id] as $b | ($b | length) == 4 and ($a[0] - $b) == $a[0]' "$tmp/night/kcidb.json"
t "LAVA: a case per test too" 0 harness/lava/report.sh "$tmp/rx"
has "LAVA: the skip before any step" "<TEST_CASE_ID=needs-pv RESULT=skip>"
has "LAVA: the failing test" "<TEST_CASE_ID=fail RESULT=fail>"
has "LAVA: its step" "<TEST_CASE_ID=fail.c RESULT=fail>"
t "LAVA: an incomplete test" 0 harness/lava/report.sh "$tmp/rr"
has "LAVA: an incomplete test is unknown" "<TEST_CASE_ID=2-dies RESULT=unknown>"
# check.sh against a LAVA log made from what report.sh and export.sh print
# (lava-run's records, one a line), then with a test-level case tampered.
lava_log() {	# lava_log RESULTS_DIR > LOG
	echo '{"dt": "t", "lvl": "results", "msg": {"definition": "lava", "case": "job", "result": "pass"}}'
	echo '{"dt": "t", "lvl": "results", "msg": {"definition": "lava", "case": "0_xenbounce", "result": "pass"}}'
	harness/lava/export.sh "$1" | jq -Rc '{dt: "t", lvl: "target", msg: .}'
	harness/lava/report.sh "$1" | sed -n 's/^<TEST_CASE_ID=\(.*\) RESULT=\(.*\)>$/\1 \2/p' |
		jq -Rc 'split(" ") | {dt: "t", lvl: "results", msg: {definition: "0_xenbounce", case: .[0], result: .[1]}}'
}
if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	lava_log "$tmp/rx" > "$tmp/lava.log"
	printf 'result: pass\n' > "$tmp/result.yaml"
	t "LAVA check: a log that agrees with results.json" 0 harness/lava/check.sh "$tmp/lava.log" "$tmp/result.yaml" "$tmp/lava-results.json"
	has "LAVA check: counts tests and steps" "5 LAVA test cases, one per test and per step of results.json, all agree"
	sed 's/"case":"needs-pv","result":"skip"/"case":"needs-pv","result":"pass"/' "$tmp/lava.log" > "$tmp/lava-flip.log"
	t "LAVA check: a test-level case flipped is rejected" 1 harness/lava/check.sh "$tmp/lava-flip.log" "$tmp/result.yaml" /dev/null
	has "LAVA check: names it" "mismatch: test needs-pv is skip in results.json, pass in LAVA"
	grep -v '"case":"needs-pv"' "$tmp/lava.log" > "$tmp/lava-drop.log"
	t "LAVA check: a test-level case missing is rejected" 1 harness/lava/check.sh "$tmp/lava-drop.log" "$tmp/result.yaml" /dev/null
	has "LAVA check: names the missing test" "missing: test needs-pv (skip) has no LAVA test case"
	# A LAVA server's job (harness/lava/nightly.sh): the cases from the
	# results API (CHECK_RESULTS), the log's own ignored, no result.yaml.
	grep '"lvl": *"results"' "$tmp/lava.log" > "$tmp/api.jsonl"
	grep -v '"lvl": *"results"' "$tmp/lava.log" > "$tmp/console.log"
	t "LAVA check, server job: the results API's cases agree" 0 env CHECK_RESULTS="$tmp/api.jsonl" harness/lava/check.sh "$tmp/console.log" - /dev/null
	sed 's/"case":"needs-pv","result":"skip"/"case":"needs-pv","result":"pass"/' "$tmp/api.jsonl" > "$tmp/api-flip.jsonl"
	t "LAVA check, server job: a flipped case from the results API is rejected" 1 env CHECK_RESULTS="$tmp/api-flip.jsonl" harness/lava/check.sh "$tmp/lava.log" - /dev/null
	has "LAVA check, server job: names it" "mismatch: test needs-pv is skip in results.json, pass in LAVA"
else
	n=$((n + 1)); skip=$((skip + 1)); echo "ok $n LAVA check # SKIP no python3-yaml (harness/deps.sh lava)"
fi

# The bisection helper's exit-code mapping (git bisect run's contract).
B=harness/bisect/xenbounce-bisect
n=$((n + 1))
got=""
for c in 0 1 4 125 3 137 255; do got="$got $c:$(XENBOUNCE_BISECT_MAP=$c $B)"; done
if [ "$got" = " 0:0 1:1 4:125 125:125 3:125 137:125 255:125" ]; then
	pass=$((pass + 1)); echo "ok $n bisect: lab exit codes map to 0 good, 1 bad, 125 untestable, never >= 128"
else
	fail=$((fail + 1)); echo "not ok $n bisect mapping:$got"
fi
t "bisect: --untestable chooses the code for boot failures" 0 sh -c "[ \"\$(XENBOUNCE_BISECT_MAP=125 $B --untestable 1)\" = 1 ]"
printf '{"tests": [{"name": "a", "status": "error"}, {"name": "b", "status": "pass"}]}' > "$tmp/bisect-err.json"
printf '{"tests": [{"name": "a", "status": "error"}, {"name": "b", "status": "fail"}]}' > "$tmp/bisect-fail.json"
printf '{"tests": [{"name": "a", "status": "incomplete"}]}' > "$tmp/bisect-down.json"
t "bisect: a run whose only failures are harness errors is untestable (125)" 0 sh -c "[ \"\$(XENBOUNCE_BISECT_MAP=1 XENBOUNCE_BISECT_RESULTS='$tmp/bisect-err.json' $B)\" = 125 ]"
t "bisect: a failure beside a harness error is bad (1)" 0 sh -c "[ \"\$(XENBOUNCE_BISECT_MAP=1 XENBOUNCE_BISECT_RESULTS='$tmp/bisect-fail.json' $B)\" = 1 ]"
t "bisect: dom0 going down during a test is bad (1)" 0 sh -c "[ \"\$(XENBOUNCE_BISECT_MAP=1 XENBOUNCE_BISECT_RESULTS='$tmp/bisect-down.json' $B)\" = 1 ]"
t "bisect: a usage error stops git bisect (128)" 128 $B --bogus
t "bisect: a bad --dom0 stops git bisect (128)" 128 $B --dom0 hvm
has "bisect: --dom0 names the valid modes" "--dom0 must be pv or pvh"
t "bisect: outside a kernel tree stops git bisect (128)" 128 sh -c "cd /tmp && $top/$B"
# Missing kernel build tools are a usage error (128), not "untestable" (125):
# git bisect run would otherwise skip every commit. A PATH with only what the
# script needs besides the tools, in a directory that looks like a kernel tree.
mkdir -p "$tmp/nobin" "$tmp/ktree/arch/x86"
: > "$tmp/ktree/Makefile"
for x in sh dirname nproc mkdir git grep cp rm cat sed; do
	ln -sf "$(command -v "$x")" "$tmp/nobin/$x"
done
t "bisect: missing build tools stop git bisect (128)" 128 \
	sh -c "cd '$tmp/ktree' && BISECT_LOG='$tmp/blog' PATH='$tmp/nobin' $top/$B"
has "bisect: names the Debian packages to install" "apt-get install flex bison bc"
has "bisect: names the missing tools" "missing: flex bison"

# make install: binary, man page, scenarios, kselftest tree, DKMS sources.
t "make install into DESTDIR" 0 make -s install DESTDIR="$tmp/inst" PREFIX=/usr
n=$((n + 1))
I=$tmp/inst
if [ -x "$I/usr/bin/xenbounce" ] && [ -f "$I/usr/share/man/man1/xenbounce.1" ] &&
   [ -f "$I/usr/share/xenbounce/scenarios/12-edu-first-page-shuffled.ini" ] &&
   grep -q '^xenbounce:12-edu-first-page-shuffled$' "$I/usr/lib/xenbounce/kselftest/kselftest-list.txt" &&
   [ -x "$I/usr/lib/xenbounce/kselftest/xenbounce/12-edu-first-page-shuffled" ] &&
   [ -f "$I/usr/src/xenbounce-0.1/dkms.conf" ] && [ -f "$I/usr/src/xenbounce-0.1/include/uapi/xenbounce.h" ] &&
   [ ! -f "$I/usr/src/xenbounce-0.1/xenbounce.mod.c" ]; then
	pass=$((pass + 1)); echo "ok $n installed tree complete"
else
	fail=$((fail + 1)); echo "not ok $n installed tree incomplete"
fi
t "installed binary runs an installed scenario" 0 "$I/usr/bin/xenbounce" run -q -r "$tmp/res" "$I/usr/share/xenbounce/scenarios/00-cpu-reference.ini"
t "man page renders" 0 sh -c "man -l '$I/usr/share/man/man1/xenbounce.1' 2>/dev/null | grep -q 'fault injection for DMA' || groff -man -Tascii '$I/usr/share/man/man1/xenbounce.1' | grep -q 'fault injection'"

t "module: usage" 2 "$XB" module
has "module: the usage line names every verb, fuzz too" "load [PATH.ko [PARAM=VALUE...]] | unload | status | fuzz COUNT [SEED]"
t "module load: bad parameter" 2 "$XB" module load /nonexistent.ko notaparam
# Usage errors are caught whatever the order of the options.
t "bad --seed before --bisect: 128" 128 "$XB" run --seed x -b "$tmp/sc/good.ini"
t "bad --seed after --bisect: 128" 128 "$XB" run -b --seed x "$tmp/sc/good.ini"
t "unknown collector: usage error" 2 env XENBOUNCE_COLLECTORS=kmsg,bogus "$XB" run -q -r "$tmp/res" "$tmp/sc/good.ini"
has "unknown collector: the valid ones named" 'unknown collector "bogus" (valid: none, kmsg, xen_console, swiotlb, taint, bounce_log, dma_debug)'
t "unknown collector under --bisect: 128" 128 env XENBOUNCE_COLLECTORS=bogus "$XB" run -q -b -r "$tmp/res" "$tmp/sc/good.ini"
# --dry-run shows the seed the run then uses.
printf '[workload a]\ndriver = selftest\naction = pass\n' > "$tmp/seedless.ini"
want=$("$XB" run -n "$tmp/seedless.ini" | sed -n 's/.*seed from name, \([0-9]*\)$/\1/p')
rm -rf "$tmp/rs"
"$XB" run -q --results-dir "$tmp/rs" "$tmp/seedless.ini" > /dev/null 2>&1
t "dry run prints the seed the run uses" 0 jq -e --arg w "$want" '$w != "" and (.tests[0].seed | tostring) == $w' "$tmp/rs/results.json"
: > "$tmp/afile"
t "--results-dir on a file: usage error" 2 "$XB" run -q --results-dir "$tmp/afile" "$tmp/sc/good.ini"
has "--results-dir on a file: says why" "Not a directory"
t "--resume of a missing directory: error" 2 "$XB" run -q --resume "$tmp/nothere" "$tmp/sc/good.ini"
t "--resume of a missing directory: nothing created" 1 test -e "$tmp/nothere"
mkdir -p "$tmp/corrupt"
echo 'start a' > "$tmp/corrupt/journal"
echo '{"tests": [' > "$tmp/corrupt/results.json"
t "--resume with a corrupt results.json: error" 2 "$XB" run -q --resume "$tmp/corrupt" "$tmp/sc/good.ini"
t "--resume with a corrupt results.json: left as it was" 0 sh -c "[ \"\$(cat '$tmp/corrupt/results.json')\" = '{\"tests\": [' ]"

# A nightly lab without the lab: two shards of a small suite, with an
# expectations file marking one test a known failure and one flaky,
# merged into one results set whose summary and report lead with new failures.
N=$tmp/nightly
mkdir -p "$N/suite"
printf '[workload a]\ndriver = selftest\naction = pass\n' > "$N/suite/n-pass-a.ini"
printf '[workload copy]\ndriver = cpu\nsizes = 4K\n' > "$N/suite/n-pass-b.ini"
printf '[workload copy]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n' > "$N/suite/n-known.ini"
printf '[workload a]\ndriver = selftest\naction = flaky\n' > "$N/suite/n-flaky.ini"
printf '[workload copy]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n' > "$N/suite/n-new.ini"
printf '[workload a]\ndriver = selftest\naction = pass\n' > "$N/suite/n-xpass.ini"
printf '[workload a]\ndriver = selftest\naction = abort\n' > "$N/suite/n-skipme.ini"
cat > "$N/expect.ini" <<'EOT'
; What this lab knows about the suite.
[known-failure n-known]
reason = the bitflip control is known bad
kinds = corruption
step = copy

[flaky n-flaky]
reason = fails on odd runs
; its odd runs report corruption, never flaky unless named here
kinds = corruption
attempts = 3

[known-failure n-xpass]
reason = bug 42, believed open
kinds = corruption

[skip n-skipme]
reason = aborts on this board

[known-failure n-new]
reason = only known on Xen 9
kinds = corruption
xen = 9.*
EOT
printf '[known-failure n-known]\nreason = r\nsetp = copy\n' > "$N/bad-key.ini"
t "expectations: unknown key is a usage error" 2 "$XB" run -q -e "$N/bad-key.ini" -r "$N/res-bad" "$N/suite"
has "expectations: file:line and the valid keys" 'bad-key.ini:3: unknown key "setp" in [known-failure] (reason, kinds, step, kernel, xen, dom0, gpu, firmware)'
t "expectations: nothing ran" 1 test -e "$N/res-bad"
printf '[known-failure n-known]\nreason = r\nkinds = oops\n[expect n-new]\nreason = r\n' > "$N/bad-section.ini"
t "expectations: unknown section is a usage error" 2 "$XB" run -q -e "$N/bad-section.ini" -r "$N/res-bad" "$N/suite"
has "expectations: unknown section named with the valid ones" 'bad-section.ini:4: unknown section [expect] (sections: known-failure TEST, flaky TEST, skip TEST)'
t "--shard 3/2: usage error" 2 "$XB" run -q --shard 3/2 "$N/suite"
has "--shard: says what it takes" "--shard 3/2: I/N with 1 <= I <= N <= 1000"
t "--durations without --shard: usage error" 2 "$XB" run -q --durations "$N/x.json" "$N/suite"
# The split depends on names only: the same from a directory or shuffled files.
"$XB" run -l --shard 1/2 "$N/suite" 2>&1 | sort > "$N/l1"
t "shard: same split whatever the file order" 0 sh -c "'$XB' run -l --shard 1/2 \$(ls '$N'/suite/*.ini | sort -r) | sort | cmp -s - '$N/l1'"
"$XB" run -l --shard 2/2 "$N/suite" > "$N/l2" 2>&1
t "shard: every test in exactly one shard" 0 sh -c "cat '$N/l1' '$N/l2' | awk '{print \$1}' | sort | uniq -u | wc -l | grep -qx 7"
# Durations from an earlier run balance the split: the 100 s test alone.
printf '{"format": "xenbounce-results", "tests": [{"name": "n-pass-a", "duration_s": 100}, {"name": "n-pass-b", "duration_s": 1}, {"name": "n-known", "duration_s": 1}, {"name": "n-flaky", "duration_s": 2}, {"name": "n-new", "duration_s": 1}, {"name": "n-xpass", "duration_s": 1}]}' > "$N/durations.json"
t "shard --durations: runs" 0 "$XB" run -l --shard 1/2 --durations "$N/durations.json" "$N/suite"
has "shard --durations: the long test in shard 1" "n-pass-a"
n=$((n + 1))
if [ "$(wc -l < "$tmp/out")" -eq 1 ]; then pass=$((pass + 1)); echo "ok $n shard --durations: alone in its shard"
else fail=$((fail + 1)); echo "not ok $n shard --durations: alone in its shard"; sed 's/^/# /' "$tmp/out"; fi
t "shard --durations: unreadable file is a usage error" 2 "$XB" run -l --shard 1/2 --durations "$N/none.json" "$N/suite"
# Run both shards, as two lab machines would.
"$XB" run -q -e "$N/expect.ini" --shard 1/2 --results-dir "$N/s1" "$N/suite" > "$N/s1.ktap" 2> "$N/s1.err"
r1=$?
"$XB" run -q -e "$N/expect.ini" --shard 2/2 --results-dir "$N/s2" "$N/suite" > "$N/s2.ktap" 2> "$N/s2.err"
r2=$?
t "shards: one exits 1 (the new failure), the other 0" 0 sh -c "[ \$(( $r1 + $r2 )) -eq 1 ]"
t "shards: meta.shard recorded" 0 jq -e '.meta.shard == "1/2"' "$N/s1/results.json"
t "merge: missing shard is an error" 2 "$XB" merge -o "$N/m-bad" "$N/s1"
has "merge: names the missing shard" "shard 2/2 is missing"
t "merge: the same shard twice is an error" 2 "$XB" merge -o "$N/m-bad" "$N/s1" "$N/s1"
t "merge: exit 1 for the new failure" 1 "$XB" merge -o "$N/merged" "$N/s1" "$N/s2"
has "merge: unexpected pass reported" "unexpected passes: 1"
has "merge: flaky reported" "flaky: 1"
has "merge: known failure reported" "known failures: 1"
has "merge: skip from the expectations file" "skipped: 1"
"$XB" merge -o "$N/merged-again" "$N/s2" "$N/s1" 2> "$N/merge.summary" > /dev/null
t "merge: the summary leads with new failures" 0 sh -c "head -n 2 '$N/merge.summary' | grep -q '^new failures: 1' && sed -n 2p '$N/merge.summary' | grep -q 'n-new'"
t "merge: one KTAP document, all 7 tests (exit 1: n-new failed)" 1 "$XB" ktap "$N/merged/ktap.txt"
has "merge: KTAP totals" "tests: 7"
t "merge: KTAP writes FLAKY and XPASS on ok lines" 0 sh -c "grep -q '^ok [0-9]* n-flaky # FLAKY' '$N/merged/ktap.txt' && grep -q '^ok [0-9]* n-xpass # XPASS' '$N/merged/ktap.txt' && grep -q '^ok [0-9]* n-known # XFAIL' '$N/merged/ktap.txt' && grep -q '^not ok [0-9]* n-new' '$N/merged/ktap.txt'"
t "merge: results.json statuses" 0 jq -e '[.tests[] | {(.name): .status}] | add == {"n-flaky": "flaky", "n-known": "xfail", "n-new": "fail", "n-pass-a": "pass", "n-pass-b": "pass", "n-skipme": "skip", "n-xpass": "xpass"}' "$N/merged/results.json"
t "merge: the flaky test keeps every attempt" 0 jq -e '.tests[] | select(.name == "n-flaky") | [.attempts[].status] == ["fail", "pass"]' "$N/merged/results.json"
t "merge: test directories linked" 0 sh -c "ls -d '$N'/merged/s*-n-known/ >/dev/null"
t "merge: junit.xml parses, flaky attempt as flakyFailure" 0 sh -c "xmllint --noout '$N/merged/junit.xml' && grep -q '<flakyFailure message=\"attempt 1' '$N/merged/junit.xml'"
t "merge: report.html leads with new failures" 0 sh -c "grep -o '<h2[^>]*>[^<]*' '$N/merged/report.html' | head -n 1 | grep -q 'New failures: 1'"
t "merge: kcidb.json regenerated, v5.3, one test per test and per step" 0 jq -e '.version == {"major": 5, "minor": 3} and (.tests | length) == 13 and all(.tests[]; .id | test("^xenbounce:[^:]+-merged:"))' "$N/merged/kcidb.json"
t "merge: the same results whatever the order of the shards" 0 sh -c "jq -S 'del(.meta.merged_shards, .run_id) | .tests |= map(del(.dir))' '$N/merged/results.json' > '$N/a.json' && jq -S 'del(.meta.merged_shards, .run_id) | .tests |= map(del(.dir))' '$N/merged-again/results.json' | cmp -s - '$N/a.json'"
t "compare: the same words as the summary" 0 "$XB" compare "$N/merged" "$N/merged"
has "compare: counts unexpected passes, flaky, known failures" "0 new failures, 1 unexpected passes, 1 flaky, 1 known failures"

# Verdicts that cannot be lost or hidden (issue 23).
V=$tmp/trust
mkdir -p "$V"
printf '[workload copy]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n[expect]\noutcome = corruption\n' > "$V/known-bad.ini"
printf '[workload copy]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n' > "$V/corrupts.ini"
# A results disk that fills: the workload's corruption finding cannot be recorded.
if [ "$(id -u)" = 0 ] && mkdir -p "$V/full" && mount -t tmpfs -o size=64k tmpfs "$V/full" 2>/dev/null; then
	dd if=/dev/zero of="$V/full/fill" bs=1k count=128 2>/dev/null
	t "full results disk: a corruption that was not recorded is an error, not a pass" 1 "$XB" run -q --results-dir "$V/full/run" "$V/corrupts.ini"
	has "full results disk: says the findings were lost" "findings lost: the workload could not write 01-copy.report.jsonl"
	umount "$V/full"
else
	n=$((n + 1))
	skip=$((skip + 1))
	echo "ok $n full results disk # SKIP needs root to mount a small tmpfs"
fi
# Bytes that are not UTF-8 in a description: escaped, the result kept.
printf '[scenario]\ndescription = caf\351 \377 ok\n[workload a]\ndriver = selftest\naction = pass\n' > "$V/latin1.ini"
t "non-UTF-8 description: the run passes" 0 "$XB" run -q --results-dir "$V/l1" "$V/latin1.ini"
t "non-UTF-8 description: results.json keeps the test, bytes escaped" 0 jq -e '(.tests | length) == 1 and .tests[0].description == "caf\\xe9 \\xff ok"' "$V/l1/results.json"
t "non-UTF-8 description: junit.xml has the test" 0 sh -c "xmllint --noout '$V/l1/junit.xml' && grep -q 'latin1' '$V/l1/junit.xml'"
# An existing run is never overwritten by accident.
t "--results-dir on an earlier run: refused" 2 "$XB" run -q --results-dir "$V/l1" "$V/known-bad.ini"
has "--results-dir on an earlier run: says how to go on" "is not empty (it holds a run): --resume"
t "--results-dir on an earlier run: left as it was" 0 jq -e '[.tests[].name] == ["latin1"]' "$V/l1/results.json"
t "--force: replaces the earlier run" 0 "$XB" run -q --force --results-dir "$V/l1" "$V/known-bad.ini"
t "--force: only the new run's files" 0 sh -c "jq -e '[.tests[].name] == [\"known-bad\"]' '$V/l1/results.json' >/dev/null && ! ls -d '$V'/l1/*latin1* 2>/dev/null"
mkdir -p "$V/notarun" && touch "$V/notarun/keep"
t "--force on a directory that holds no run: refused" 2 "$XB" run -q --force --results-dir "$V/notarun" "$V/known-bad.ini"
t "--force on a directory that holds no run: its files stay" 0 test -f "$V/notarun/keep"
# A machine without what the suite needs fails instead of skipping.
t "--require on a machine without it: every test an error" 1 "$XB" run -q --require xen_pv,kmod --results-dir "$V/req" "$V/known-bad.ini" "$tmp/sc/good.ini"
t "--require: recorded per test" 0 jq -e '[.tests[].status] == ["error", "error"] and all(.tests[]; .reason | startswith("run --require: "))' "$V/req/results.json"
t "--require: unknown name is a usage error" 2 "$XB" run -q --require xen_pv,kmdo "$V/known-bad.ini"
has "--require: names the valid ones" 'unknown "kmdo" (root, xen, xen_pv, bare, kmod, edu'
# A known failure hides only the kinds it names.
printf '[known-failure corrupts]\nreason = bug 9: an oops\nkinds = oops\n' > "$V/kf-oops.ini"
t "known failure of another kind: a new failure, exit 1" 1 "$XB" run -q -e "$V/kf-oops.ini" --results-dir "$V/kf1" "$V/corrupts.ini"
t "known failure of another kind: fail, reason names the new kind" 0 jq -e '.tests[0].status == "fail" and (.tests[0].reason | test("new failure: corruption, not the known failure"))' "$V/kf1/results.json"
printf '[known-failure corrupts]\nreason = bug 9\nkinds = corruption\n' > "$V/kf-corr.ini"
t "known failure of its own kind: xfail, exit 0" 0 "$XB" run -q -e "$V/kf-corr.ini" --results-dir "$V/kf2" "$V/corrupts.ini"
printf '[known-failure corrupts]\nreason = bug 9\n' > "$V/kf-nokinds.ini"
t "known failure without kinds: usage error" 2 "$XB" run -q -e "$V/kf-nokinds.ini" "$V/corrupts.ini"
has "known failure without kinds: says what to add" "has no kinds ="
printf '[workload copy]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n[expect]\nxfail = bug 9\n' > "$V/xfail-nokinds.ini"
t "scenario xfail without xfail_kinds: usage error" 2 "$XB" run -q "$V/xfail-nokinds.ini"
# Corruption is never flaky unless the entry says so.
printf '[workload a]\ndriver = selftest\naction = flaky\n' > "$V/flip.ini"
printf '[flaky flip]\nreason = timing\n' > "$V/fl.ini"
t "flaky entry and corruption: not rerun, the failure stands" 1 "$XB" run -q -e "$V/fl.ini" --results-dir "$V/fl1" "$V/flip.ini"
t "flaky entry and corruption: one attempt, reason says why" 0 jq -e '.tests[0].status == "fail" and (.tests[0].attempts | length) == 1 and (.tests[0].reason | test("corruption is never flaky"))' "$V/fl1/results.json"
# Shards cut short: a crash or a Ctrl-C in one shard must not lose its
# remaining tests in the merge. Real shard results of an all-pass suite,
# then copies cut the way a crash or an interrupt leaves them.
C=$tmp/cut
mkdir -p "$C/suite"
for i in 1 2 3 4 5 6; do printf '[workload a]\ndriver = selftest\naction = pass\n' > "$C/suite/c-$i.ini"; done
"$XB" run -q --shard 1/2 --results-dir "$C/s1" "$C/suite" > /dev/null 2>&1
"$XB" run -q --shard 2/2 --results-dir "$C/s2" "$C/suite" > /dev/null 2>&1
t "shards: meta.planned lists the shard's tests" 0 jq -e '.meta.planned == ["c-2", "c-4", "c-6"] and .exit_code == 0' "$C/s2/results.json"
t "merge: a complete pair exits 0" 0 "$XB" merge -o "$C/m-ok" "$C/s1" "$C/s2"
t "merge: a complete pair has no planned list of its own" 0 jq -e '(.tests | length) == 6 and (.meta | has("planned") | not)' "$C/m-ok/results.json"
# Interrupted between tests: the last test never started, exit 130.
cut() {	# cut NAME JQ-FILTER JOURNAL-LINES-TO-DROP
	rm -rf "${C:?}/$1"
	cp -r "$C/s2" "$C/$1"
	jq "$2" "$C/s2/results.json" > "$C/$1/results.json"
	head -n "-$3" "$C/s2/journal" > "$C/$1/journal"
}
cut int '.tests |= .[:-1] | .exit_code = 130' 2
t "merge: a shard interrupted before its last test exits 1" 1 "$XB" merge -o "$C/m-int" "$C/s1" "$C/int"
has "merge: names the interrupted shard" "shard 2/2 ($C/int) was cut short: interrupted (exit 130)"
has "merge: names the test it never ran" "c-6 is missing: shard 2/2 ended before this test ran (shard exit 130)"
has "merge: says why it exits 1" "1 shard(s) cut short or incomplete, 1 test(s) missing"
t "merge: the missing test is merged as error, with the reason" 0 jq -e '[.tests[] | select(.name == "c-6")] | length == 1 and .[0].status == "error" and .[0].reason == "shard 2/2 ended before this test ran (shard exit 130)" and .[0].shard == "2/2"' "$C/m-int/results.json"
t "merge: KTAP of the cut-short merge has all 6 tests" 0 sh -c "'$XB' ktap '$C/m-int/ktap.txt' | grep -q 'tests: 6' && grep -q '^not ok [0-9]* c-6' '$C/m-int/ktap.txt'"
# Crashed in its last test: no exit code, the journal's final "end" lost.
cut crash '.tests |= .[:-1] | del(.exit_code, .end_time)' 1
t "merge: a shard that crashed in its last test exits 1" 1 "$XB" merge -o "$C/m-crash" "$C/crash" "$C/s1"
has "merge: names the crashed shard" "shard 2/2 ($C/crash) was cut short: no final exit code"
has "merge: the test it was running" "c-6 is missing: shard 2/2 ended while this test ran (shard exit none)"
t "merge: the running test is merged as incomplete" 0 jq -e '.tests[] | select(.name == "c-6") | .status == "incomplete"' "$C/m-crash/results.json"
# Exit 0 but fewer tests than planned (a record lost): still an error.
cut lost '.tests |= .[:-1]' 0
t "merge: a shard with fewer tests than planned exits 1" 1 "$XB" merge -o "$C/m-lost" "$C/s1" "$C/lost"
has "merge: names the unrecorded test" "c-6 is missing: shard 2/2 ran this test but did not record its result (shard exit 0)"
# No planned list (results from before meta.planned): cut short is still named.
cut old '.tests |= .[:-2] | .exit_code = 130 | del(.meta.planned)' 4
t "merge: interrupted shard without meta.planned exits 1" 1 "$XB" merge -o "$C/m-old" "$C/s1" "$C/old"
has "merge: says the missing tests are unknown" "shard 2/2 ($C/old) has no meta.planned: the tests it did not run are unknown"
# compare: a test in the base that the new run lacks is an error, not a footnote.
t "compare: a test missing from the new run exits 1" 1 "$XB" compare "$C/s2" "$C/int"
has "compare: names the missing test" "1 test(s) of $C/s2 missing from $C/int"
has "compare: lists it as removed" "  c-6: \"pass\" -> -"
t "compare --allow-missing: the suites differ on purpose" 0 "$XB" compare --allow-missing "$C/s2" "$C/int"
t "compare --json: a missing test exits 1 too" 1 "$XB" compare --json "$C/s2" "$C/int"
t "compare: unknown option still a usage error" 2 "$XB" compare --allow-missng "$C/s2" "$C/int"

# make regressions: "detected" means a test failed with a finding and
# passed in every base run; anything else is missed or untestable (why).
G=$tmp/reg
res_json() {	# res_json RUN-DIR JSON-TESTS [RC]
	mkdir -p "$1/lab-x/run"
	printf '{"tests": %s}\n' "$2" > "$1/lab-x/run/results.json"
	echo "${3:-0}" > "$1/rc"
}
PASS_AB='[{"name": "a", "status": "pass", "steps": []}, {"name": "b", "status": "pass", "steps": []}]'
res_json "$G/results/base1-default" "$PASS_AB"
res_json "$G/results/base2-default" '[{"name": "a", "status": "pass", "steps": []}, {"name": "b", "status": "fail", "steps": [{"reason": "unexpected oops", "findings": [{"kind": "oops"}]}]}]' 1
res_json "$G/results/e1-default" '[{"name": "a", "status": "fail", "steps": [{"findings": [{"kind": "corruption"}, {"kind": "pool_exhausted", "injected": true}]}], "fault_teardown": {"findings": [{"kind": "iommu_fault"}]}}, {"name": "b", "status": "pass", "steps": []}]' 1
res_json "$G/results/e2-default" '[{"name": "a", "status": "pass", "steps": []}, {"name": "b", "status": "fail", "steps": [{"findings": [{"kind": "oops"}]}]}]' 1
res_json "$G/results/e3-default" '[{"name": "a", "status": "error", "reason": "workload error", "steps": [{"findings": []}]}, {"name": "b", "status": "pass", "steps": []}]' 1
res_json "$G/results/e4-default" "$PASS_AB"
res_json "$G/results/e5-default" '[{"name": "a", "status": "fail", "steps": [{"reason": "expected corruption: not found", "findings": []}]}, {"name": "b", "status": "pass", "steps": []}]' 1
res_json "$G/results/e6-default" '[{"name": "a", "status": "fail", "steps": [{"reason": "teardown failed", "findings": []}]}, {"name": "b", "status": "pass", "steps": []}]' 1
mkdir -p "$G/results/e7-default" && echo 3 > "$G/results/e7-default/rc"
judge_of() { (work=$G base_runs=2 && . "$top/harness/regressions/judge.sh" && judge "$1" default); }
t "regressions: a stable test failing with a finding is detected, named with its kinds" 0 sh -c "[ \"\$(printf '%s\n' \"\$(cd '$top' && work='$G' base_runs=2 && . harness/regressions/judge.sh && judge e1 default)\")\" = \"$(printf 'detected\ta (corruption, iommu_fault)')\" ]"
judge_of e2 > "$tmp/out"
has "regressions: a test not stable on the base detects nothing" "untestable (default: b: fail, not stable on the base)"
judge_of e3 > "$tmp/out"
has "regressions: a harness error is untestable, not detected" "untestable (default: a: error, no finding)"
judge_of e4 > "$tmp/out"
has "regressions: all passing is missed" "missed"
judge_of e5 > "$tmp/out"
has "regressions: a known-bad control that stopped catching is detected" "detected	a (missing corruption)"
judge_of e6 > "$tmp/out"
has "regressions: a failure without a finding is untestable" "untestable (default: a: fail, no finding)"
judge_of e7 > "$tmp/out"
has "regressions: a lab that broke is untestable with its exit" "untestable (default: no results (lab exit 3))"
# Issue 26: a loss only the pool check after the test saw is a detection too.
res_json "$G/results/e8-default" '[{"name": "a", "status": "fail", "steps": [{"findings": []}], "pool_check": {"findings": [{"kind": "pool_leak"}]}}, {"name": "b", "status": "pass", "steps": []}]' 1
judge_of e8 > "$tmp/out"
has "regressions: a pool_leak the pool check found is detected, named" "$(printf 'detected\ta (pool_leak)')"
# --set picks the corpus, the mutants or both; anything else is a usage
# error naming the valid sets, before anything is unpacked or built.
t "regressions: an unknown --set is a usage error" 2 "$top/harness/regressions/run.sh" --set mutant
has "regressions: names the valid sets" "--set mutant: use corpus, mutants or all"
t "regressions: a name no entry of the set has is a usage error" 2 "$top/harness/regressions/run.sh" --set corpus m01
has "regressions: says which set had no such entry" "no corpus entry for 6.1 matches: m01"

# Issue 25: a report a lab engineer can triage from (the command line).
# KTAP: kselftest's totals line, exit 1 on a failure, the failed tests named.
K=$tmp/k25
mkdir -p "$K/suite"
printf '[workload a]\ndriver = selftest\naction = pass\n' > "$K/suite/k1-pass.ini"
printf '[workload copy]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n' > "$K/suite/k2-fail.ini"
printf '[workload a]\ndriver = selftest\naction = skip\n' > "$K/suite/k3-skip.ini"
printf '[workload a]\ndriver = selftest\naction = segv\n' > "$K/suite/k4-crash.ini"
printf '[workload a]\ndriver = selftest\naction = error\n' > "$K/suite/k5-error.ini"
printf '[scenario]\ntimeout = 1\n[workload a]\ndriver = selftest\naction = sleep\nseconds = 30\n' > "$K/suite/k6-timeout.ini"
"$XB" run -q --results-dir "$K/run" "$K/suite" > "$K/run.ktap" 2> "$K/run.err"
t "ktap totals: the run's KTAP ends with kselftest's totals line" 0 sh -c "tail -n 1 '$K/run.ktap' | grep -qx '# Totals: pass:1 fail:2 xfail:0 xpass:0 skip:1 error:2'"
t "ktap totals: results' ktap.txt ends with it too" 0 sh -c "tail -n 1 '$K/run/ktap.txt' | grep -qx '# Totals: pass:1 fail:2 xfail:0 xpass:0 skip:1 error:2'"
t "ktap: a run with failures exits 1" 1 "$XB" ktap "$K/run/ktap.txt"
has "ktap: the same totals as the run's own line" "# Totals: pass:1 fail:2 xfail:0 xpass:0 skip:1 error:2"
has "ktap: names the failed test" "not ok 2 k2-fail: fail"
has "ktap: names its failed step" "not ok 1 k2-fail/copy: fail"
has "ktap: names the timeout with its reason" "not ok 6 k6-timeout: timeout"
has "ktap: a crash is counted and named as an error" "not ok 4 k4-crash: error"
t "ktap: - reads standard input" 1 sh -c "'$XB' ktap - < '$K/run/ktap.txt'"
has "ktap: stdin is named stdin" "xenbounce ktap: stdin: not ok 5 k5-error: error"
"$XB" ktap - < "$K/run/ktap.txt" > "$K/stdout" 2> "$K/stderr"
t "ktap: failures on stderr, totals on stdout" 0 sh -c "! grep -q 'not ok' '$K/stdout' && grep -q '^# Totals:' '$K/stdout' && ! grep -q Totals '$K/stderr'"
printf 'KTAP version 1\n1..2\nok 1 a\nok 2 b # SKIP no device\n# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0\n' > "$K/ok.ktap"
t "ktap: all ok (a kselftest totals line included) exits 0" 0 sh -c "'$XB' ktap - < '$K/ok.ktap'"
has "ktap: all ok totals" "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0"
printf 'KTAP version 1\n1..3\nok 1 a\nBail out! interrupted\n' > "$K/bail.ktap"
t "ktap: a bailed-out document exits 1" 1 "$XB" ktap "$K/bail.ktap"
has "ktap: says it bailed out" "bailed out after 1 of 3 tests"
t "ktap: a missing file is a read error" 2 "$XB" ktap "$K/none.ktap"

# classify: xenbounce's own KTAP in a serial log is not counted again; each
# finding has its line number and timestamp.
printf '(XEN) [   15.040806] [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 711e000\n(XEN) [   15.041300] [VT-D]DMAR: reason 06 - PTE Read access is not set\nKTAP version 1\n1..1\n  # iommu_fault/xen_vtd 0000:00:03.0: [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 711e000\n[   16.1] # w: pool_exhausted/pool_full 0000:00:03.0: xenbounce 0000:00:03.0: swiotlb buffer is full (sz: 3072 bytes)\n[   16.2] xenbounce 0000:00:03.0: swiotlb buffer is full (sz: 3072 bytes)\n[   16.3] #PF: supervisor read access in kernel mode\nnot ok 1 13-edu-raw-phys\n' > "$K/serial.log"
t "classify: a serial log with xenbounce's KTAP: one finding per event" 0 sh -c "'$XB' classify '$K/serial.log' > '$K/cl.json' 2> '$K/cl.err'; [ \$(wc -l < '$K/cl.json') = 2 ] && cat '$K/cl.json' '$K/cl.err'"
has "classify: the Xen fault, its line and Xen's time" '"line_no":1,"numbers":{"addr":118611968,"reason":6}'
has "classify: the Xen fault's timestamp" '"ts":"15.040806"'
has "classify: the kernel's line, not the diagnostic that repeats it" '"line":"xenbounce 0000:00:03.0: swiotlb buffer is full (sz: 3072 bytes)","line_no":7'
has "classify: says what it passed over" "4 line(s) of xenbounce's own KTAP passed over"
# run -n tells what would happen here: skips and why, and the expectations entries.
printf '[scenario]\nrequires = amdgpu\n[workload a]\ndriver = selftest\naction = pass\n' > "$K/needs-gpu.ini"
t "dry run: a scenario whose requirement is missing" 0 "$XB" run -n "$K/needs-gpu.ini" "$tmp/sc/good.ini"
has "dry run: would skip, and why" "  would skip: no amdgpu render node"
has "dry run: the other would run" "  would run here"
t "dry run with --require" 0 "$XB" run -n --require amdgpu "$tmp/sc/good.ini"
has "dry run: --require missing is an error" "  would be an error: run --require: no amdgpu render node"
t "dry run with expectations" 0 "$XB" run -n -e "$N/expect.ini" "$N/suite"
has "dry run: an expectations skip" "  would skip: expectations ($N/expect.ini:17): aborts on this board"
has "dry run: a known failure of a step, applies" "  expectation known-failure $N/expect.ini:2 (step copy), kinds corruption: the bitflip control is known bad; applies here"
has "dry run: a flaky entry" "  expectation flaky $N/expect.ini:7, up to 3 attempts, kinds corruption: fails on odd runs; applies here"
has "dry run: an entry for another machine" "only known on Xen 9; not on this machine (xen 9.*)"
printf '[known-failure k1-*]\nreason = first\nkinds = oops\n[known-failure k1-pass]\nreason = second\nkinds = corruption\n' > "$K/shadow.ini"
t "dry run: two entries for one test" 0 "$XB" run -n -e "$K/shadow.ini" "$K/suite"
has "dry run: the first applies" "kinds oops: first; applies here"
has "dry run: the second is named as not used" "kinds corruption: second; not used: $K/shadow.ini:1 comes first"
printf '[known-failure n-knwon]\nreason = typo\nkinds = corruption\n\n[known-failure n-known]\nreason = r\nkinds = corruption\nstep = cpoy\n' > "$K/dead.ini"
t "expectations: an entry that matches no scenario is an error" 2 "$XB" run -q -e "$K/dead.ini" --results-dir "$K/dead" "$N/suite"
has "expectations: names the dead test glob, file:line" "$K/dead.ini:1: [known-failure n-knwon] matches none of the 7 scenarios given"
has "expectations: names the dead step glob and the workloads" "$K/dead.ini:5: [known-failure n-known] step = cpoy matches no workload of its tests (copy)"
t "expectations: a dead entry, nothing ran" 1 test -e "$K/dead"
t "expectations: a dead entry, also in a dry run" 2 "$XB" run -n -e "$K/dead.ini" "$N/suite"
t "expectations: --filter does not make an entry dead" 0 "$XB" run -n -e "$N/expect.ini" -f n-pass-a "$N/suite"
# amdgpu-plan -w names a workload that exists.
t "amdgpu-plan: an unknown --workload is an error" 2 "$XB" amdgpu-plan --family gfx9 -w nosuch scenarios/62-amdgpu-scrambled-p2m.ini
has "amdgpu-plan: names the amdgpu workloads" "--workload nosuch: no such workload in scenarios/62-amdgpu-scrambled-p2m.ini (amdgpu workloads: copy, eviction)"
t "amdgpu-plan: a --workload of another driver is an error" 2 "$XB" amdgpu-plan --family gfx9 -w a "$tmp/sc/good.ini"
has "amdgpu-plan: says which driver it is" "[workload a] of $tmp/sc/good.ini is driver selftest, not amdgpu (amdgpu workloads: none)"
# Issue 25: report.html a lab engineer can triage from: a run with a
# known-bad control, laid out as harness/lab/lab.sh leaves it (LAB/run,
# LAB/serial.log, LAB/xen-console.log; no dom0-console.log here).
R=$tmp/r25
mkdir -p "$R/lab" "$R/sc"
printf '[workload zeta]\ndriver = selftest\naction = pass\n[workload alpha]\ndriver = selftest\naction = pass\n' > "$R/sc/two-steps.ini"
"$XB" run -q --results-dir "$R/lab/run" scenarios/01-cpu-known-bad.ini "$tmp/fail.ini" "$R/sc/two-steps.ini" > /dev/null 2>&1
printf 'boot\n' > "$R/lab/serial.log"
printf '(XEN) hello\n' > "$R/lab/xen-console.log"
RR=$R/lab/run
H=$RR/report.html
# swiotlb evidence in run order zeta, alpha; results.json keys sorted (alpha first).
jq -S '(.tests[] | select(.name == "two-steps") | .evidence) += {"zeta": {"swiotlb": {"nslabs": 100, "used_before": 0, "used_after": 10}}, "alpha": {"swiotlb": {"nslabs": 100, "used_before": 10, "used_after": 60}}}' "$RR/results.json" > "$R/r.json" && mv "$R/r.json" "$RR/results.json"
t "report: RUN/results.json" 0 "$XB" report "$RR/results.json"
t "report: RUN/results.json writes RUN/report.html" 0 test -s "$H"
t "report: nothing written inside results.json's path" 1 test -e "$RR/results.json/report.html"
has_html() {	# has_html NAME FIXED-TEXT
	n=$((n + 1))
	if grep -qF -- "$2" "$H"; then pass=$((pass + 1)); echo "ok $n $1"
	else fail=$((fail + 1)); echo "not ok $n $1 # report.html lacks: $2"; fi
}
has_html "report.html: header names the run id" "$(jq -r .run_id "$RR/results.json")"
has_html "report.html: header names the kernel" "$(jq -r .meta.environment.kernel.release "$RR/results.json")"
has_html "report.html: header names the dom0 mode" "<th>dom0 mode</th><td>none</td>"
has_html "report.html: header names the host" "<th>host</th>"
has_html "report.html: header names the Xen version" "<th>Xen</th>"
for name in 01-cpu-known-bad fail two-steps; do
	has_html "report.html: anchor for $name" "id=\"test-$name\""
	has_html "report.html: the tests table links $name" "href=\"#test-$name\""
done
# Every relative href resolves to a file; nothing external.
grep -o 'href="[^"]*"' "$H" | sed 's/^href="//; s/"$//' | grep -v '^#' > "$R/hrefs"
n=$((n + 1))
bad=$(while read -r h; do [ -f "$RR/$h" ] || echo "$h"; done < "$R/hrefs")
if [ -s "$R/hrefs" ] && [ -z "$bad" ]; then pass=$((pass + 1)); echo "ok $n report.html: all $(wc -l < "$R/hrefs") file links resolve"
else fail=$((fail + 1)); echo "not ok $n report.html: links that do not resolve: $bad"; fi
# Every file of every test directory is linked, and the lab's logs that exist.
n=$((n + 1))
missing=$(cd "$RR" && for f in 0*/*; do grep -qxF "$f" "$R/hrefs" || echo "$f"; done)
if [ -z "$missing" ]; then pass=$((pass + 1)); echo "ok $n report.html: every evidence file linked"
else fail=$((fail + 1)); echo "not ok $n report.html: evidence files not linked: $missing"; fi
t "report.html: lab serial log linked" 0 grep -qxF ../serial.log "$R/hrefs"
t "report.html: lab Xen console linked" 0 grep -qxF ../xen-console.log "$R/hrefs"
t "report.html: an absent lab log is not linked" 1 grep -qF dom0-console "$H"
t "report.html: one swiotlb plot per test" 0 test "$(grep -c 'class="test-plot"' "$H")" = 3
t "report.html: the per-test plot labels steps in run order" 0 sh -c "sed -n '/id=\"test-two-steps\"/,\$p' '$H' | grep -o 'class=\"step-label\"[^>]*>[^<]*' | sed 's/.*>//' | tr '\n' ' ' | grep -qx 'zeta alpha '"
t "report.html: the run's plot in run order too" 0 sh -c "grep -o 'class=\"run-point\"[^>]*><title>[^<]*' '$H' | sed 's/.*<title>//' | tr '\n' ' ' | grep -q 'two-steps zeta.*two-steps alpha'"
has_html "report.html: the known-bad control's findings are expected" "expected findings"
t "report.html: a real failure is not marked expected" 0 sh -c "sed -n '/id=\"test-fail\"/,/<\/section>/p' '$H' | grep -q 'expected findings' && exit 1 || exit 0"
has_html "report.html: came_from as pages" "bytes from page 2 landed in buffer page 1"
# The corruption map (issue 25): an image of the buffer's pages, the wrong
# bytes per page and where they came from, in the corrupted test only.
t "report.html: a corruption map in the corrupted test" 0 sh -c "sed -n '/id=\"test-01-cpu-known-bad\"/,/<\/section>/p' '$H' | grep -q '<figure class=\"corruption-map\"><svg'"
t "report.html: the map shades the wrong page with its bytes" 0 sh -c "sed -n '/id=\"test-01-cpu-known-bad\"/,/<\/section>/p' '$H' | grep -q '<title>buffer page 1: [1-9][0-9]* wrong bytes</title>'"
t "report.html: no corruption map without corruption" 1 sh -c "sed -n '/id=\"test-two-steps\"/,/<\/section>/p' '$H' | grep -q corruption-map"
cp "$H" "$R/before.html"
t "report --images: a missing directory is a usage error" 2 "$XB" report --images "$R/nosuch" "$RR"
has "report --images: names it" "$R/nosuch"
t "report --images: a missing directory writes nothing" 0 cmp "$R/before.html" "$H"
if command -v chromium >/dev/null; then
	t "report.html: headless Chromium screenshot" 0 timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$R/chromium" --window-size=1200,2400 \
		--screenshot="$R/shot.png" "file://$H"
	# A blank page of that size is a PNG of a few KB; the report, over 20 KB.
	t "report.html: the screenshot is a PNG with something drawn" 0 sh -c "head -c 8 '$R/shot.png' | od -An -c | grep -q 'P   N   G' && test \$(wc -c < '$R/shot.png') -gt 20000"
else
	n=$((n + 1)); echo "ok $n report.html screenshot # SKIP no chromium"
fi
# merge keeps detail (issue 25): each test's KTAP block from its shard's
# ktap.txt (every diagnostic), renumbered; tests, steps and evidence keys in
# run order; relative links that survive moving the whole tree; nothing
# left behind by a failed merge, and an existing OUT_DIR left alone.
K=$tmp/keep/p
mkdir -p "$K/suite"
printf '[workload zeta]\ndriver = selftest\naction = pass\n[workload alpha]\ndriver = selftest\naction = pass\n' > "$K/suite/k-two.ini"
cp "$N"/suite/*.ini "$K/suite/"
"$XB" run -q -e "$N/expect.ini" --shard 1/2 --results-dir "$K/s1" "$K/suite" > /dev/null 2>&1
"$XB" run -q -e "$N/expect.ini" --shard 2/2 --results-dir "$K/s2" "$K/suite" > /dev/null 2>&1
t "merge keeps: merges" 1 "$XB" merge -o "$K/m" "$K/s2" "$K/s1"
t "merge keeps: every shard diagnostic line in the merged KTAP" 0 sh -c "d=\$(diags() { grep '^ *#' \"\$@\" | grep -v '^# Totals:' | sort; }; diags '$K/s1/ktap.txt'; diags '$K/s2/ktap.txt'); [ -n \"\$d\" ] && [ \"\$(echo \"\$d\" | sort)\" = \"\$(grep '^ *#' '$K/m/ktap.txt' | grep -v '^# Totals:' | sort)\" ]"
t "merge keeps: no block regenerated when every shard has its own" 1 grep -q 'not taken from' "$K/m/ktap.txt"
t "merge keeps: the merged KTAP parses, 8 tests (exit 1: n-new failed)" 1 "$XB" ktap "$K/m/ktap.txt"
has "merge keeps: KTAP tests" "tests: 8"
t "merge keeps: plan 1..8, top-level tests numbered 1..8 in order" 0 sh -c "sed -n 2p '$K/m/ktap.txt' | grep -qx '1\.\.8' && [ \"\$(grep -E '^(not )?ok ' '$K/m/ktap.txt' | sed 's/^not //' | cut -d' ' -f2 | tr '\n' ' ')\" = '1 2 3 4 5 6 7 8 ' ]"
t "merge keeps: one totals line, the last, from the merged statuses" 0 sh -c "[ \$(grep -c 'Totals:' '$K/m/ktap.txt') = 1 ] && tail -n 1 '$K/m/ktap.txt' | grep -qxF \"\$(jq -r '[.tests[].status | if . == \"flaky\" then \"pass\" elif . == \"timeout\" then \"fail\" elif (. == \"crash\" or . == \"incomplete\") then \"error\" else . end] | \"# Totals: pass:\(map(select(. == \"pass\")) | length) fail:\(map(select(. == \"fail\")) | length) xfail:\(map(select(. == \"xfail\")) | length) xpass:\(map(select(. == \"xpass\")) | length) skip:\(map(select(. == \"skip\")) | length) error:\(map(select(. == \"error\")) | length)\"' '$K/m/results.json')\""
t "merge keeps: tests in run order, shard 1/2's then 2/2's" 0 sh -c "[ \"\$(jq -c '[.tests[].name]' '$K/m/results.json')\" = \"\$(jq -s -c '[.[].tests[].name]' '$K/s1/results.json' '$K/s2/results.json')\" ]"
t "merge keeps: steps and evidence keys in run order in the shard" 0 jq -s -e '[.[].tests[] | select(.name == "k-two")] | length == 1 and ([.[0].steps[].name] == ["zeta", "alpha"]) and ((.[0].evidence | keys_unsorted | .[:2]) == ["zeta", "alpha"])' "$K/s1/results.json" "$K/s2/results.json"
t "merge keeps: steps and evidence keys in run order, merged" 0 jq -e '.tests[] | select(.name == "k-two") | [.steps[].name] == ["zeta", "alpha"] and (.evidence | keys_unsorted | .[:2]) == ["zeta", "alpha"]' "$K/m/results.json"
# A shard without its ktap.txt: its tests' blocks regenerated, each saying so.
cp -r "$K/s2" "$K/s2-noktap"
rm "$K/s2-noktap/ktap.txt"
t "merge keeps: a shard without ktap.txt still merges" 1 "$XB" merge -o "$K/m-nok" "$K/s1" "$K/s2-noktap"
has "merge keeps: names the missing ktap.txt" "$K/s2-noktap/ktap.txt: No such file or directory"
t "merge keeps: each of its tests regenerated with a # line" 0 sh -c "[ \$(grep -c \"^# [^ ]*: not taken from shard 2/2's ktap.txt (it has no result line for it): regenerated from results.json\$\" '$K/m-nok/ktap.txt') = \$(jq '.tests | length' '$K/s2/results.json') ] && [ \$(grep -c 'not taken from shard 1/2' '$K/m-nok/ktap.txt') = 0 ]"
t "merge keeps: the regenerated document parses, 8 tests" 1 "$XB" ktap "$K/m-nok/ktap.txt"
has "merge keeps: regenerated KTAP tests" "tests: 8"
# Links: relative, and still resolving when the whole tree moves.
t "merge keeps: test directories linked relatively" 0 sh -c "ls '$K/m' | grep -q '^s1-' && for l in '$K'/m/s*-*; do [ -L \"\$l\" ] && case \$(readlink \"\$l\") in /*) exit 1;; esac; done"
mv "$tmp/keep" "$tmp/keep-moved"
K=$tmp/keep-moved/p
t "merge keeps: links resolve after moving the tree" 0 sh -c "for l in '$K'/m/s*-*; do [ -d \"\$l/\" ] || exit 1; done && ls '$K'/m/s2-*/ | grep -q ."
t "merge keeps: a moved merge reports again" 0 "$XB" report "$K/m"
# A failed merge (shard 1/2 given twice, after its links were made) leaves nothing.
t "merge keeps: a failed merge exits 2" 2 "$XB" merge -o "$K/m-fail" "$K/s1" "$K/s1"
t "merge keeps: a failed merge leaves no directory, temporary or not" 0 sh -c "! ls -d '$K'/m-fail* 2>/dev/null | grep -q ."
t "merge keeps: the shard's test directories are untouched" 0 sh -c "ls '$K/s1' | grep -q '^001-' && [ -f \"\$(ls -d '$K'/s1/001-* | head -n 1)/result.json\" ]"
# An OUT_DIR already there: an error, left as it was.
mkdir -p "$K/m-exists"
echo keep > "$K/m-exists/mine"
t "merge keeps: an existing OUT_DIR is an error" 2 "$XB" merge -o "$K/m-exists/" "$K/s1" "$K/s2"
has "merge keeps: says it exists" "$K/m-exists: already exists"
t "merge keeps: the existing OUT_DIR is unchanged, nothing beside it" 0 sh -c "[ \"\$(ls '$K/m-exists')\" = mine ] && [ \"\$(cat '$K/m-exists/mine')\" = keep ] && ! ls -d '$K'/m-exists.tmp-* 2>/dev/null | grep -q ."
# dmaapi above_mask: offsets from pool pages above the mask; bad input named.
printf '[fault]\npool_pages = 4\n[workload m]\ndriver = dmaapi\naction = single\nsizes = 1K\nabove_mask = yes\n' > "$tmp/above1.ini"
t "dmaapi above_mask without dma_bits: exit 2" 2 "$XB" run -n "$tmp/above1.ini"
has "dmaapi above_mask: names what it needs" "above_mask needs dma_bits"
printf '[workload m]\ndriver = dmaapi\naction = coherent\nsizes = 4K\ndma_bits = 28\nabove_mask = yes\n' > "$tmp/above2.ini"
t "dmaapi above_mask on an allocation: exit 2" 2 "$XB" run -n "$tmp/above2.ini"
has "dmaapi above_mask: names the pool actions" "single, page, sg, sync or maxmap, not coherent"
printf '[fault]\npool_pages = 4\n[workload m]\ndriver = dmaapi\naction = single\nsizes = 1K\ndma_bits = 28\nabove_mask = maybe\n' > "$tmp/above3.ini"
t "dmaapi above_mask = maybe: exit 2" 2 "$XB" run -n "$tmp/above3.ini"
has "dmaapi above_mask: yes or no" "above_mask = maybe: yes or no"
t "dmaapi above_mask: 17-dmaapi-mask parses" 0 "$XB" run -n scenarios/17-dmaapi-mask.ini
printf '[workload m]\ndriver = dmaapi\naction = sg\nsizes = 8K\nbuffer = allocated\n' > "$tmp/fresh1.ini"
t "dmaapi buffer = allocated on sg: exit 2" 2 "$XB" run -n "$tmp/fresh1.ini"
has "dmaapi buffer: names where it applies" "buffer = allocated is for single and page, not sg"
printf '[workload m]\ndriver = dmaapi\naction = single\nsizes = 8K\nbuffer = heap\n' > "$tmp/fresh2.ini"
t "dmaapi buffer = heap: exit 2" 2 "$XB" run -n "$tmp/fresh2.ini"
has "dmaapi buffer: names the valid values" "buffer = heap: pool or allocated"
printf '[workload m]\ndriver = dmaapi\naction = single\nsizes = 4M\nbuffer = allocated\n' > "$tmp/fresh3.ini"
t "dmaapi buffer = allocated beyond 4 MiB: exit 2" 2 "$XB" run -n "$tmp/fresh3.ini"
has "dmaapi buffer: names the limit" "offset + size + 4096 is at most 4 MiB"
printf '[workload m]\ndriver = dmaapi\naction = page\nsizes = 8K\noffsets = 2048\nbuffer = allocated\n' > "$tmp/fresh4.ini"
t "dmaapi buffer = allocated needs no pool" 0 "$XB" run -n "$tmp/fresh4.ini"
# dmaapi transfer and live (issue #26, capabilities 9 and 10): bad input named.
P='[fault]\npool_pages = 128\n[workload m]\ndriver = dmaapi\n'
printf "${P}action = transfer\nsizes = 16K\n" > "$tmp/tr1.ini"
t "dmaapi transfer without mapping: exit 2" 2 "$XB" run -n "$tmp/tr1.ini"
has "dmaapi transfer: mapping named" "mapping = single, page or sg goes with action transfer, and only with it"
printf "${P}action = single\nsizes = 16K\nmapping = page\n" > "$tmp/tr2.ini"
t "dmaapi mapping on another action: exit 2" 2 "$XB" run -n "$tmp/tr2.ini"
printf "${P}action = transfer\nmapping = vector\nsizes = 16K\n" > "$tmp/tr3.ini"
t "dmaapi mapping = vector: exit 2" 2 "$XB" run -n "$tmp/tr3.ini"
has "dmaapi mapping: names the valid values" "mapping = vector: single, page or sg"
printf "${P}action = transfer\nmapping = sg\nsizes = 16K\nsegments = 2\n" > "$tmp/tr4.ini"
t "dmaapi transfer sg of 2 segments: exit 2" 2 "$XB" run -n "$tmp/tr4.ini"
has "dmaapi transfer sg: needs a middle segment" "segments >= 3"
printf "${P}action = transfer\nmapping = single\nsizes = 8K\n" > "$tmp/tr5.ini"
t "dmaapi transfer single of 8K: exit 2" 2 "$XB" run -n "$tmp/tr5.ini"
has "dmaapi transfer single: names the smallest size" "sizes of 16K or more"
printf "${P}action = live\n" > "$tmp/lv1.ini"
t "dmaapi live without buffers: exit 2" 2 "$XB" run -n "$tmp/lv1.ini"
has "dmaapi live: names what it needs" "action live needs buffers = 2 to 64"
printf "${P}action = live\nbuffers = 8\nsizes = 4K\n" > "$tmp/lv2.ini"
t "dmaapi live with sizes: exit 2" 2 "$XB" run -n "$tmp/lv2.ini"
has "dmaapi live: lays out its own" "action live lays out its own sizes, offsets and directions"
printf "${P}action = single\nsizes = 4K\nbuffers = 8\n" > "$tmp/lv3.ini"
t "dmaapi buffers on another action: exit 2" 2 "$XB" run -n "$tmp/lv3.ini"
has "dmaapi buffers: names its action" "buffers goes with action live"
t "dmaapi transfer and live: the depth suite parses" 0 "$XB" run -n scenarios/depth
# virtio-gpu redraws and bounce counting (issue #26, capability 8).
printf '[workload v]\ndriver = virtio-gpu\nrounds = 9\n' > "$tmp/vg1.ini"
t "virtio-gpu rounds = 9: exit 2" 2 "$XB" run -n "$tmp/vg1.ini"
has "virtio-gpu rounds: names the limit" "at most 8 rounds"
printf '[workload v]\ndriver = virtio-gpu\nbounce = maybe\n' > "$tmp/vg2.ini"
t "virtio-gpu bounce = maybe: exit 2" 2 "$XB" run -n "$tmp/vg2.ini"
has "virtio-gpu bounce: names the valid values" "bounce = maybe: expected, none or any"
t "virtio-gpu: the platform suite parses" 0 "$XB" run -n scenarios/virtio-gpu-platform
t "the bare-direct suite parses" 0 "$XB" run -n scenarios/bare-direct
t "the second suite parses, 39-ttm-split included" 0 "$XB" run -n scenarios/depth
has "39-ttm-split: its fault is listed" "upper 2 MiB machine frames permuted"
# The guest lab's knobs (issue 27): bad values name the valid ones and
# leave nothing behind (lab.sh checks them before it creates anything).
for bad in "LAB_GUEST=hvm|use dom0 (the harness in dom0) or pv" "LAB_GUEST=pv LAB_DOM0=pvh|LAB_GUEST=pv needs LAB_FLAVOUR=xen and LAB_DOM0=pv" \
	"LAB_GUEST=pv LAB_GPU=virtio-gpu|LAB_GPU is for dom0" "LAB_GUEST=pv LAB_GUEST_MEM=256M|LAB_GUEST_MEM=256M: MiB" \
	"LAB_FLAVOUR=bare LAB_SWIOTLB_FORCE=off|LAB_SWIOTLB_FORCE=off: use yes or no" \
	"LAB_SWIOTLB_FORCE=no|LAB_SWIOTLB_FORCE=no is for LAB_FLAVOUR=bare"; do
	t "lab ${bad%%|*}: exit 3" 3 env LAB_RESULTS="$tmp/guestlab" ${bad%%|*} harness/lab/lab.sh run
	has "lab ${bad%%|*}: says why" "${bad#*|}"
done
t "lab images LAB_GUEST=pv: exit 3" 3 env LAB_GUEST=pv harness/lab/lab.sh images "$tmp/guestimg"
has "lab images LAB_GUEST=pv: dom0 lab only" "images: LAB_GUEST=pv: only the dom0 lab"
t "lab: bad guest knobs created nothing" 0 test ! -e "$tmp/guestlab" -a ! -e "$tmp/guestimg"
echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
