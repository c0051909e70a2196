#!/bin/sh
# Check a lava-run against xenbounce's own results: the job finished
# complete (LAVA's "lava"/"job" result is pass, result.yaml says so), the
# test definition ran to its end, results.json came back whole on the
# console (harness/lava/export.sh's markers), and LAVA parsed exactly one
# test case per test (SCENARIO) and one per workload step (SCENARIO.STEP),
# each with the result its status in results.json means (pass and xfail:
# pass, skip: skip, incomplete: unknown, anything else: fail).
#
# Usage: check.sh LAVA_LOG RESULT_YAML RESULTS_JSON_OUT
#   LAVA_LOG          lava-run's log (its YAML records, one a line)
#   RESULT_YAML       lava-run's --output-dir/result.yaml; "-" for a LAVA
#                     server's job (its caller checked the job's health)
# CHECK_RESULTS=FILE: the test cases come from FILE (a server's results API,
#   as harness/lava/lavaapi.py fetch writes them), not the log's own.
#   RESULTS_JSON_OUT  where to write the results.json read from the log
# Exit 0 when everything agrees, 1 otherwise.
set -u
log=${1:?usage: check.sh LAVA_LOG RESULT_YAML RESULTS_JSON_OUT}
result_yaml=${2:?usage: check.sh LAVA_LOG RESULT_YAML RESULTS_JSON_OUT}
json_out=${3:?usage: check.sh LAVA_LOG RESULT_YAML RESULTS_JSON_OUT}
PY=${PY:-/usr/bin/python3}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
say() { echo "check: $*"; }
fail() { say "ERROR: $*"; bad=1; }

# LAVA's log is YAML, one flow mapping a line ({dt, lvl, msg}); python3-yaml
# comes with lava-dispatcher. One JSON record a line for jq; a line that
# is not a record is an error (a log we cannot read is not a pass).
"$PY" -c '
import json, sys, yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for n, line in enumerate(open(sys.argv[1], encoding="utf-8", errors="replace"), 1):
    if not line.strip():
        continue
    try:
        rec = yaml.load(line, Loader=loader)
        assert isinstance(rec, dict) and "lvl" in rec and "msg" in rec, "no lvl and msg"
    except Exception as exc:
        sys.exit("check: %s:%d: not a LAVA log record (%s)" % (sys.argv[1], n, exc))
    print(json.dumps(rec))
' "$log" > "$tmp/log.jsonl" || exit 1
if [ -n "${CHECK_RESULTS:-}" ]; then
	jq -c 'select(.lvl != "results")' "$tmp/log.jsonl" > "$tmp/console.jsonl" &&
		jq -c 'select(.lvl == "results")' "$CHECK_RESULTS" > "$tmp/api.jsonl" &&
		cat "$tmp/console.jsonl" "$tmp/api.jsonl" > "$tmp/log.jsonl" || fail "cannot read $CHECK_RESULTS"
fi
if [ "$result_yaml" = - ]; then
	echo '{"result": "pass"}' > "$tmp/result.json"
else
	"$PY" -c '
import json, sys, yaml
print(json.dumps(yaml.safe_load(open(sys.argv[1]))))
' "$result_yaml" > "$tmp/result.json" 2>/dev/null || fail "cannot read $result_yaml"
fi

# 1. The job: complete, as LAVA says it twice (its results stream and
# result.yaml).
job=$(jq -r 'select(.lvl == "results" and .msg.definition == "lava" and .msg.case == "job") | .msg.result' "$tmp/log.jsonl")
[ "$job" = pass ] || fail "LAVA's job result is '${job:-absent}', not pass: $(jq -r 'select(.lvl == "results" and .msg.case == "job") | .msg.error_msg // empty' "$tmp/log.jsonl")"
[ "$(jq -r '.result // empty' "$tmp/result.json" 2>/dev/null)" = pass ] || fail "$result_yaml does not say pass"
# The test definition itself ran to its end (LAVA's "lava" suite records
# one case per definition, named INDEX_NAME).
def=$(jq -r 'select(.lvl == "results" and .msg.definition == "lava" and .msg.case == "0_xenbounce") | .msg.result' "$tmp/log.jsonl")
[ "$def" = pass ] || fail "LAVA's result for the definition 0_xenbounce is '${def:-absent}', not pass"

# 2. results.json, from the console lines LAVA logged (lvl "target");
# whole lines Xen or the kernel print in between are no base64 and skipped.
jq -r 'select(.lvl == "target") | .msg | strings' "$tmp/log.jsonl" | tr -d '\r' |
	awk '/^XENBOUNCE-RESULTS-JSON-END$/ { on = 0 }
		on && /^[A-Za-z0-9+\/=]+$/ { print }
		/^XENBOUNCE-RESULTS-JSON-BEGIN [0-9]+$/ { on = 1; print $2 > "/dev/stderr" }' \
	> "$tmp/results.b64" 2> "$tmp/size"
size=$(head -n 1 "$tmp/size")
if [ -z "$size" ]; then
	fail "no results.json on the console (XENBOUNCE-RESULTS-JSON-BEGIN)"
elif ! base64 -d < "$tmp/results.b64" | gzip -dc > "$tmp/results.json" 2>/dev/null; then
	fail "the results.json on the console does not decode"
elif [ "$(wc -c < "$tmp/results.json")" -ne "$size" ] || ! jq -e '.tests | length > 0' "$tmp/results.json" >/dev/null 2>&1; then
	fail "the results.json on the console is not whole ($(wc -c < "$tmp/results.json") of $size bytes, or no tests)"
else
	cp "$tmp/results.json" "$json_out"
fi

# 3. One LAVA test case per test and one per step, with the same result.
if [ -s "$tmp/results.json" ]; then
	jq -r '.tests[] | . as $t | (.steps[] | ["step", "\($t.name).\(.name)", .status]), ["test", .name, .status] | @tsv' \
		"$tmp/results.json" |
		awk -F '\t' '{ id = $2; gsub(/[^A-Za-z0-9._-]/, "_", id)
			r = ($3 == "pass" || $3 == "xfail") ? "pass" : $3 == "skip" ? "skip" : $3 == "incomplete" ? "unknown" : "fail"
			print id, r, $1 }' | sort > "$tmp/expected"
	jq -r 'select(.lvl == "results" and .msg.definition == "0_xenbounce") | "\(.msg.case) \(.msg.result)"' \
		"$tmp/log.jsonl" | sort > "$tmp/lava"
	ne=$(wc -l < "$tmp/expected")
	nl=$(wc -l < "$tmp/lava")
	[ "$ne" -gt 0 ] || fail "results.json has no tests"
	dups=$(cut -d' ' -f1 "$tmp/lava" | uniq -d)
	[ -z "$dups" ] || fail "LAVA has more than one test case for: $(printf '%s\n' "$dups" | paste -sd ' ' -)"
	join -a1 -a2 -e MISSING -o 0,1.2,1.3,2.2 "$tmp/expected" "$tmp/lava" | while read -r id want kind got; do
		if [ "$want" = MISSING ]; then
			echo "extra: LAVA test case $id ($got) is no test or step in results.json"
		elif [ "$got" = MISSING ]; then
			echo "missing: $kind $id ($want) has no LAVA test case"
		elif [ "$want" != "$got" ]; then
			echo "mismatch: $kind $id is $want in results.json, $got in LAVA"
		fi
	done > "$tmp/diff"
	if [ -s "$tmp/diff" ]; then
		sed 's/^/check: /' "$tmp/diff"
		fail "LAVA's test cases disagree with results.json"
	elif [ -z "$dups" ]; then
		say "$nl LAVA test cases, one per test and per step of results.json, all agree ($(cut -d' ' -f2 "$tmp/lava" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep = ", "}'))"
	fi
fi
[ "$bad" -eq 0 ] && say "LAVA job complete and in agreement with results.json"
exit "$bad"
