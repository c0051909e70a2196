#!/bin/sh
# make nightly-check: the nightly set on the local LAVA instance
# (harness/lava/nightly.sh) with two workers and then with one, and a plain
# make run (harness/lab/lab.sh run) of the same suites; the merged verdicts
# must agree with the plain runs test by test, and the checks must fail on a
# tampered job result. Also: the server's own strict validator accepts the
# jobs, the run id is in the LAVA job metadata, the merged results and KCIDB
# ids. Too long for make test (two nightly sets and two lab runs: README,
# "A LAVA instance"). Ends "lava-nightly: N passed, N failed".
# Knobs: NIGHTLY_CHECK_WORKERS ("2 1": the nightly sets to run, by workers),
# NIGHTLY_SUITES, NIGHTLY_SHARDS (as nightly.sh).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# NIGHTLY_CHECK_REUSE=DIR: check an earlier run's DIR again, running nothing.
out=${NIGHTLY_CHECK_REUSE:-$top/results/nightly-check-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" || exit 1
NIGHTLY_CHECK_WORKERS=${NIGHTLY_CHECK_WORKERS:-2 1}
NIGHTLY_SUITES=${NIGHTLY_SUITES:-default pvh depth vgpu}
export NIGHTLY_SUITES
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { d=$1; shift; if "$@" > "$out/check.out" 2>&1; then ok "$d"; else nok "$d"; sed 's/^/    /' "$out/check.out" | head -n 20; fi; }
refuse() { d=$1; shift; if "$@" > "$out/check.out" 2>&1; then nok "$d (accepted)"; else ok "$d"; fi; }
statuses() { jq -r '.tests[] | "\(.name) \(.status)"' "$1" | sort; }
# agree A B: the same tests with the same statuses (the differences on stdout).
agree() { statuses "$1" > "$out/a.txt" && statuses "$2" > "$out/b.txt" && [ -s "$out/a.txt" ] && diff "$out/a.txt" "$out/b.txt"; }

# 1. The nightly sets.
[ -n "${NIGHTLY_CHECK_REUSE:-}" ] ||
for w in $NIGHTLY_CHECK_WORKERS; do
	echo "== nightly, $w worker(s)"
	NIGHTLY_WORKERS=$w NIGHTLY_OUT=$out/nightly-w$w harness/lava/nightly.sh 2>&1 | tee "$out/nightly-w$w.log"
done
for w in $NIGHTLY_CHECK_WORKERS; do
	rc=$(sed -n 's/^exit=//p' "$out/nightly-w$w/nightly.env" 2>/dev/null)
	check "nightly with $w worker(s) ends with a verdict (exit 0 or 1, not infrastructure: ${rc:-none})" test "${rc:-3}" -le 1
done

# 2. make run of the same suites.
[ -n "${NIGHTLY_CHECK_REUSE:-}" ] ||
for s in $NIGHTLY_SUITES; do
	sc=$top/scenarios
	gpu=""
	case "$s" in
	default) m=pv ;;
	pvh) m=pvh ;;
	depth) m=pv; sc=$top/scenarios/depth ;;
	vgpu) m=pv; sc=$top/scenarios/virtio-gpu-platform; gpu=virtio-gpu,iommu_platform=on ;;
	esac
	echo "== make run, $s suite (LAB_DOM0=$m${gpu:+ LAB_GPU=$gpu})"
	LAB_DOM0=$m LAB_GPU=$gpu LAB_SCENARIOS=$sc LAB_RESULTS=$out/lab-$s harness/lab/lab.sh run > "$out/lab-$s.log" 2>&1
	echo "lab exit $?"
done

# 3. Test by test agreement, for every nightly set and suite.
for w in $NIGHTLY_CHECK_WORKERS; do
	n=$out/nightly-w$w
	id=$(cat "$n/run-id" 2>/dev/null)
	for s in $NIGHTLY_SUITES; do
		check "$w worker(s), suite $s: the merged verdict agrees test by test with make run" \
			agree "$n/$id-$s/results.json" "$out/lab-$s/latest/run/results.json"
	done
	# The run id reaches the LAVA jobs' metadata, the merged report, KCIDB.
	eval "$(harness/lava/instance.sh env)"
	j=$(awk '$5 == "Finished" && $6 == "Complete" { print $4; exit }' "$n/jobs.tsv")
	check "$w worker(s): LAVA job $j's metadata holds the run id $id" sh -c \
		"curl -fsS -H 'Authorization: Token $LAVA_TOKEN' '$LAVA_URL/api/v0.2/jobs/$j/' | jq -r .definition |
		/usr/bin/python3 -c 'import sys, yaml; sys.exit(yaml.safe_load(sys.stdin)[\"metadata\"][\"xenbounce.run_id\"] != sys.argv[1])' '$id'"
	for s in $NIGHTLY_SUITES; do
		check "$w worker(s), suite $s: KCIDB ids and report.html carry the run id" sh -c \
			"jq -e --arg id '$id' '[.. | objects | .id? // empty | strings | select(contains(\$id))] | length > 0' '$n/$id-$s/kcidb.json' >/dev/null && grep -q '$id' '$n/$id-$s/report.html'"
	done
	# The server's own validator (scheduler.jobs.validate, strict) on the jobs it ran.
	# (lavacli prints nothing and exits 0 for a valid job.)
	for f in "$n"/jobs/*/job-1.yaml; do
		check "$w worker(s): the server validates $(basename "$(dirname "$f")")'s job (strict)" sh -c \
			"out=\$(lavacli --uri 'http://$LAVA_USER:$LAVA_TOKEN@${LAVA_URL#http://}/RPC2' jobs validate --strict '$f') && [ -z \"\$out\" ]"
	done
	# and refuses it without the compression a "from: url" definition needs.
	sed '/^          compression: gz$/d' "$f" > "$out/no-compression.yaml"
	refuse "$w worker(s): the server refuses a job whose url definition has no compression" \
		lavacli --uri "http://$LAVA_USER:$LAVA_TOKEN@${LAVA_URL#http://}/RPC2" jobs validate --strict "$out/no-compression.yaml"
done

# 4. Tampered job results must fail the checks: on a nightly set whose
# default suite merged (the first such), its first shard's job.
n=""
for w in $NIGHTLY_CHECK_WORKERS; do
	i=$(cat "$out/nightly-w$w/run-id" 2>/dev/null)
	if [ -n "$i" ] && [ -f "$out/nightly-w$w/$i-default/results.json" ]; then n=$out/nightly-w$w; break; fi
done
[ -n "$n" ] || { nok "tampering: no nightly set merged its default suite"; n=$out/nightly-none; }
k=default-1-of-$(ls "$n/jobs" 2>/dev/null | sed -n 's/^default-1-of-//p' | head -n 1)
jid=$(cat "$n/jobs/$k/job-id" 2>/dev/null)
jd=$n/jobs/$k/$jid
# a) LAVA's result for the first test's own case flipped (as the results
# API gave it): check.sh, as nightly.sh runs it, refuses the job.
/usr/bin/python3 -c '
import json, sys
done = False
for line in open(sys.argv[1]):
    r = json.loads(line)
    m = r["msg"]
    if not done and m.get("definition") == "0_xenbounce" and "." not in m["case"]:
        m["result"] = "fail" if m["result"] == "pass" else "pass"
        done = True
    print(json.dumps(r))
sys.exit(0 if done else 1)' "$jd/results.jsonl" > "$out/tampered.jsonl"
check "the check passes $k's job as fetched" env CHECK_RESULTS="$jd/results.jsonl" harness/lava/check.sh "$jd/log.jsonl" - "$out/t.json"
refuse "the check fails $k's job with one test case's LAVA result flipped" env CHECK_RESULTS="$out/tampered.jsonl" harness/lava/check.sh "$jd/log.jsonl" - "$out/t.json"
# b) one test's status flipped in a shard's results.json: the merged
# verdict no longer agrees with make run.
s=${k%%-*}
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in d["tests"] if t["status"] == "pass")
t["status"] = "fail"
json.dump(d, sys.stdout)' "$n/jobs/$k/results.json" > "$out/tampered-results.json"
shards=$(for j in "$n"/jobs/"$s"-*; do
	if [ "$j" = "$n/jobs/$k" ]; then echo "$out/tampered-results.json"; else echo "$j/results.json"; fi
done)
rm -rf "$out/tampered-merge"
# shellcheck disable=SC2086
build/xenbounce merge -o "$out/tampered-merge" $shards > /dev/null 2>&1
check "the shards merge with one test tampered" test -f "$out/tampered-merge/results.json"
refuse "a merged verdict with one shard's test tampered disagrees with make run" \
	agree "$out/tampered-merge/results.json" "$out/lab-$s/latest/run/results.json"

echo "results in $out"
echo "lava-nightly: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
