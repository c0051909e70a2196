#!/bin/sh
# Report a xenbounce run to LAVA: per test, one lava-test-case per workload
# step (TEST.STEP), then one for the test itself (TEST: its verdict, so a
# test with no step, a skip before any step or an incomplete test, and a
# test failed by its fault teardown are there too). Results: pass and
# xfail pass, skip skip, incomplete unknown (no verdict), anything else
# fail. Without LAVA, print the same as "<TEST_CASE_ID=... RESULT=...>"
# lines. Usage: report.sh RESULTS_DIR
set -eu
dir=${1:?usage: report.sh RESULTS_DIR}
[ -f "$dir/results.json" ] || { echo "report.sh: no $dir/results.json" >&2; exit 2; }
jq -r '.tests[] | . as $t | (.steps[] | "\($t.name).\(.name) \(.status)"), "\(.name) \(.status)"' "$dir/results.json" |
while read -r id status; do
	case "$status" in
	pass|xfail) result=pass ;;
	skip) result=skip ;;
	incomplete) result=unknown ;;
	*) result=fail ;;
	esac
	# LAVA test case ids: letters, digits, '.', '-', '_'.
	id=$(printf '%s' "$id" | tr -c 'A-Za-z0-9._-' '_')
	if command -v lava-test-case >/dev/null 2>&1; then
		lava-test-case "$id" --result "$result"
	else
		echo "<TEST_CASE_ID=$id RESULT=$result>"
	fi
done
