# Sourced by harness/regressions/run.sh (and its CLI test): what makes a
# corpus entry detected, missed or untestable. Needs $work (the results
# of the base runs and of each entry, $work/results/NAME-SUITE/) and
# $base_runs.

# The finding kinds of a test (steps, fault phases and the pool check, not what the
# harness injected), and "missing KIND" for an expected kind not found.
KINDS='([.steps[]?.findings[]?, .fault_setup.findings[]?, .fault_teardown.findings[]?, .pool_check.findings[]?]
	| map(select(.injected != true) | .kind)) +
	[.steps[]?.reason // "" | capture("expected (?<k>[a-z_, ]+): not found")? | "missing " + .k]
	| unique'

# Tests that passed in every base run of a suite, one name a line.
stable() {	# stable SUITE
	_sr=1
	while [ $_sr -le "$base_runs" ]; do
		r=$(ls "$work/results/base$_sr-$1"/lab-*/run/results.json 2>/dev/null | head -n 1)
		[ -f "$r" ] || return 0	# a base run without results: nothing is stable
		jq -r '.tests[] | select(.status == "pass") | .name' "$r"
		_sr=$((_sr + 1))
	done | sort | uniq -c | awk -v n="$base_runs" '$1 == n { print $2 }'
}

# judge ENTRY SUITE...: detected (with the test and its kinds), missed or
# untestable (with why), from the entry's results against the base's.
judge() {
	name=$1
	shift
	caught="" why="" all_pass=1
	for suite in "$@"; do
		rc=$(cat "$work/results/$name-$suite/rc" 2>/dev/null || echo none)
		r=$(ls "$work/results/$name-$suite"/lab-*/run/results.json 2>/dev/null | head -n 1)
		[ "$rc" = 0 ] || all_pass=0
		if [ ! -f "$r" ]; then
			why="${why:+$why; }$suite: no results (lab exit $rc)"
			continue
		fi
		stable "$suite" > "$work/stable-$suite.txt"
		# Failed with a finding, and passed in every base run.
		hit=$(jq -r --rawfile st "$work/stable-$suite.txt" \
			'($st | split("\n")) as $ok | .tests[]
			 | select(.status == "fail" or .status == "timeout" or .status == "crash")
			 | (.name) as $n | ('"$KINDS"') as $k
			 | select(($k | length) > 0 and ($ok | index($n)))
			 | "\($n) (\($k | join(", ")))"' "$r")
		if [ -n "$hit" ]; then
			caught="${caught:+$caught; }$(echo "$hit" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
			continue
		fi
		other=$(jq -r --rawfile st "$work/stable-$suite.txt" \
			'($st | split("\n")) as $ok | .tests[]
			 | select(.status != "pass" and .status != "skip" and .status != "xfail")
			 | (.name) as $n | ('"$KINDS"') as $k
			 | "\($n): \(.status)" + (if ($ok | index($n)) then "" else ", not stable on the base" end)
			   + (if ($k | length) == 0 then ", no finding" else "" end)' "$r" | head -n 3 | tr '\n' ';' | sed 's/;$//; s/;/; /g')
		[ -n "$other" ] && why="${why:+$why; }$suite: $other"
		[ -z "$other" ] && [ "$rc" != 0 ] && why="${why:+$why; }$suite: lab exit $rc"
	done
	if [ -n "$caught" ]; then
		echo "detected	$caught"
	elif [ "$all_pass" = 1 ] && [ -z "$why" ]; then
		echo "missed	-"
	else
		echo "untestable ($why)	-"
	fi
}
