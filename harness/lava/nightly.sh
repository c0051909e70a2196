#!/bin/sh
# make nightly: the nightly set as sharded jobs on the local LAVA instance
# (harness/lava/instance.sh), one merged verdict.
#
#  1. brings the instance up (idempotent) and keeps NIGHTLY_WORKERS of its
#     devices GOOD (the others in MAINTENANCE);
#  2. builds the lab's images per dom0 mode (harness/lava/lib.sh) and the
#     test definition's tarball (harness/lava, scenarios, expectations);
#  3. submits, with lavacli, one job per suite shard: the default suite in
#     NIGHTLY_SHARDS shards ("xenbounce run --shard I/N") on a Xen PV dom0,
#     the same suite on a PVH dom0 as one shard, the second suite
#     (scenarios/depth, issue #26) on a PV dom0 as one shard, and the
#     virtio-gpu suite (scenarios/virtio-gpu-platform: QEMU's virtio-gpu
#     with ACCESS_PLATFORM, its view verified by lab-verify on this host
#     through per-job sockets) as one shard, each run with
#     NIGHTLY_EXPECTATIONS, the run id in the job's metadata;
#  4. waits with progress; a job LAVA ends Incomplete or Canceled is an
#     infrastructure failure, resubmitted once (recorded in jobs.tsv); a
#     job whose dom0 is silent NIGHTLY_BOOT_SILENCE seconds before its init
#     ran (the lab's boot hang) is canceled rather than left to LAVA's
#     auto-login timeout;
#  5. fetches every job from the server's REST API (its log and its test
#     cases from the results API), checks that LAVA's test cases agree with
#     the results.json the job printed (harness/lava/check.sh), and merges
#     each suite's shards with "xenbounce merge" into NIGHTLY_OUT/RUN_ID-SUITE;
#  6. prints new failures first, then each suite's totals and the verdict.
#
# Usage: harness/lava/nightly.sh   (root; make nightly)
# Knobs: NIGHTLY_SUITES ("default pvh depth vgpu"), NIGHTLY_SHARDS (2),
# NIGHTLY_WORKERS (2), NIGHTLY_EXPECTATIONS (harness/lava/nightly.ini),
# NIGHTLY_BOOT_SILENCE (90 s; successful boots here: at most 26 s),
# NIGHTLY_TIMEOUT (seconds for the whole set, 7200), NIGHTLY_OUT
# (results/nightly-RUN_ID), NIGHTLY_SCENARIOS (scenarios, a directory of
# this tree), LAVA_PORT, LAB_KERNEL, LAB_MODULE_PARAMS.
# Exit: 0 no new failure, 1 new failures, 3 infrastructure (a job LAVA
# ended Incomplete or Canceled twice, no device to run on, a job whose
# LAVA results disagree with its results.json, the set's timeout).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 3
say() { echo "nightly: $*" >&2; }
die() { say "ERROR: $*"; exit 3; }
# shellcheck disable=SC1091
. "$top/harness/lava/lib.sh"

NIGHTLY_SUITES=${NIGHTLY_SUITES:-default pvh depth vgpu}
NIGHTLY_SHARDS=${NIGHTLY_SHARDS:-2}
NIGHTLY_WORKERS=${NIGHTLY_WORKERS:-2}
NIGHTLY_EXPECTATIONS=${NIGHTLY_EXPECTATIONS:-harness/lava/nightly.ini}
NIGHTLY_TIMEOUT=${NIGHTLY_TIMEOUT:-7200}
NIGHTLY_SCENARIOS=${NIGHTLY_SCENARIOS:-scenarios}
NIGHTLY_BOOT_SILENCE=${NIGHTLY_BOOT_SILENCE:-90}
LAB_MODULE_PARAMS=${LAB_MODULE_PARAMS:-edu_dma_bits=64}
export LAB_MODULE_PARAMS
XB=$top/build/xenbounce

[ "$(id -u)" -eq 0 ] || die "run as root (make nightly)"
# suite_info SUITE: its dom0 mode (m), requirements (req), scenarios
# (scen, inside this tree) and expectations (exp: "-e FILE" or none; the
# expectations file is the default suite's, and a file whose entry matches
# no scenario is refused, so the other suites have none); 1 for a suite it
# does not know.
suite_info() {
	exp="-e $NIGHTLY_EXPECTATIONS"
	case "$1" in
	default) m=pv; req=root,xen_pv,kmod; scen=$NIGHTLY_SCENARIOS ;;
	pvh) m=pvh; req=root,xen,kmod; scen=$NIGHTLY_SCENARIOS ;;
	depth) m=pv; req=root,xen_pv,kmod; scen=$NIGHTLY_SCENARIOS/depth; exp="" ;;
	vgpu) m=pv-gpu; req=root,xen_pv,kmod; scen=$NIGHTLY_SCENARIOS/virtio-gpu-platform; exp="" ;;
	*) return 1 ;;
	esac
}
for s in $NIGHTLY_SUITES; do
	suite_info "$s" || die "NIGHTLY_SUITES: unknown suite '$s' (default, pvh, depth, vgpu)"
done
case "$NIGHTLY_SHARDS" in [1-9]) ;; *) die "NIGHTLY_SHARDS=$NIGHTLY_SHARDS: 1 to 9" ;; esac
case "$NIGHTLY_WORKERS" in [1-9]) ;; *) die "NIGHTLY_WORKERS=$NIGHTLY_WORKERS: 1 to 9" ;; esac
case "$NIGHTLY_TIMEOUT" in *[!0-9]*|"") die "NIGHTLY_TIMEOUT=$NIGHTLY_TIMEOUT: seconds" ;; esac
case "$NIGHTLY_BOOT_SILENCE" in *[!0-9]*|"") die "NIGHTLY_BOOT_SILENCE=$NIGHTLY_BOOT_SILENCE: seconds" ;; esac
case "$NIGHTLY_SCENARIOS$NIGHTLY_EXPECTATIONS" in /*) die "NIGHTLY_SCENARIOS, NIGHTLY_EXPECTATIONS: paths inside this tree" ;; esac
[ -d "$NIGHTLY_SCENARIOS" ] || die "NIGHTLY_SCENARIOS: no directory $NIGHTLY_SCENARIOS"
[ -f "$NIGHTLY_EXPECTATIONS" ] || die "NIGHTLY_EXPECTATIONS: no $NIGHTLY_EXPECTATIONS"
[ -x "$XB" ] || die "no $XB (make)"
for s in $NIGHTLY_SUITES; do
	suite_info "$s"
	# shellcheck disable=SC2086
	"$XB" run -n $exp "$scen" > /dev/null ||
		die "suite $s: ${exp#-e } $scen does not parse (xenbounce run -n $exp $scen)"
done
t0=$(date +%s)

# 1. The instance, and the devices to run on.
LAVA_WORKERS=$((NIGHTLY_WORKERS > 2 ? NIGHTLY_WORKERS : 2)) harness/lava/instance.sh up || die "the LAVA instance did not come up"
t_up=$(($(date +%s) - t0))
eval "$(harness/lava/instance.sh env)" || die "no instance"
export LAVA_URL LAVA_TOKEN
api() { /usr/bin/python3 "$top/harness/lava/lavaapi.py" "$@"; }
lavacli() { command lavacli --uri "http://$LAVA_USER:$LAVA_TOKEN@${LAVA_URL#http://}/RPC2" "$@"; }
devs=$(api devices xenbounce-lab | cut -d' ' -f1) || die "the API does not answer"
for dev in $devs; do
	n=${dev#xb-lab-}
	h=GOOD
	[ "$n" -le "$NIGHTLY_WORKERS" ] || h=MAINTENANCE
	lava-server manage devices update "$dev" --health "$h" > /dev/null || die "could not set $dev $h"
done

# 2. The run id: host, date, the dom0 kernel, xenbounce.
stamp=$(date -u +%Y%m%dT%H%M%SZ)
xbdesc=$(git -C "$top" describe --always --dirty 2>/dev/null || echo nogit)
# The kernel: git describe of its tree when LAB_KERNEL is a built tree's
# bzImage, else its release (a Debian kernel: 6.1.0-57-amd64).
kpath=$(harness/lab/kernel.sh path) || die "no dom0 kernel (LAB_KERNEL)"
krel=$(git -C "$(dirname "$kpath")" describe --always --dirty 2>/dev/null) ||
	krel=$(harness/lab/kernel.sh release) || die "no dom0 kernel release"
RUN_ID=$(printf 'xb-%s-%s-k%s-x%s' "$(hostname -s)" "$stamp" "${krel:-unknown}" "$xbdesc" | tr -c 'A-Za-z0-9._-' '_')
NIGHTLY_OUT=${NIGHTLY_OUT:-$top/results/nightly-$RUN_ID}
[ -e "$NIGHTLY_OUT" ] && die "$NIGHTLY_OUT exists"
mkdir -p "$NIGHTLY_OUT/jobs" || die "could not create $NIGHTLY_OUT"
NIGHTLY_OUT=$(cd "$NIGHTLY_OUT" && pwd)
echo "$RUN_ID" > "$NIGHTLY_OUT/run-id"
say "run $RUN_ID in $NIGHTLY_OUT"

# 3. Images per dom0 mode, the definition's tarball, the jobs.
t1=$(date +%s)
modes=""
for s in $NIGHTLY_SUITES; do
	suite_info "$s"
	case " $modes " in *" $m "*) ;; *) modes="$modes $m" ;; esac
done
for m in $modes; do
	say "building the lab's images for a $m dom0"
	# pv-gpu: a PV dom0 with virtio-gpu (ACCESS_PLATFORM) and its modules.
	gpu=""
	[ "$m" = pv-gpu ] && gpu=virtio-gpu,iommu_platform=on
	LAB_DOM0=${m%-gpu} LAB_GPU=$gpu LAB_SCENARIOS="$top/$NIGHTLY_SCENARIOS" lava_images "$NIGHTLY_OUT/images-$m"
	{
		echo "xen_cmdline='$xen_cmdline'"
		echo "dom0_cmdline='$dom0_cmdline'"
		echo "qemu_machine='$qemu_machine'"
		echo "qemu_vblk='$qemu_vblk'"
		echo "qemu_gpu='$qemu_gpu'"
	} > "$NIGHTLY_OUT/images-$m/lava.env"
done
# Every suite's scenarios (and only scenario files) go in the definition.
inis=$(for s in $NIGHTLY_SUITES; do suite_info "$s"; echo "$scen"; done | sort -u | sed 's|$|/*.ini|')
# shellcheck disable=SC2086
tar -C "$top" -czf "$NIGHTLY_OUT/testdef.tar.gz" harness/lava $inis "$NIGHTLY_EXPECTATIONS" ||
	die "could not pack the test definition"
t_images=$(($(date +%s) - t1))

# jobs.tsv: KEY SUITE SHARD ATTEMPT JOB_ID STATE HEALTH (one line per
# submission; STATE and HEALTH as LAVA ended it).
: > "$NIGHTLY_OUT/jobs.tsv"
keys=""
for s in $NIGHTLY_SUITES; do
	n=1
	[ "$s" = default ] && n=$NIGHTLY_SHARDS
	i=1
	while [ "$i" -le "$n" ]; do
		keys="$keys $s-$i-of-$n"
		i=$((i + 1))
	done
done

# submit KEY ATTEMPT: render and submit KEY's job; prints its id.
submit() {
	key=$1
	suite=${key%%-*}
	shard=$(echo "$key" | sed 's/^[a-z]*-\([0-9]*\)-of-\([0-9]*\)$/\1\/\2/')
	suite_info "$suite"
	# shellcheck disable=SC1090
	. "$NIGHTLY_OUT/images-$m/lava.env"
	if [ -n "$qemu_vblk" ]; then
		# LAVA's overlay disk behind the IOMMU, as the lab's results disk.
		extra="$qemu_machine -device virtio-blk-pci,drive=lavatest$qemu_vblk"
		gif=none
	else
		extra=$qemu_machine
		gif=virtio
	fi
	d=$NIGHTLY_OUT/jobs/$key
	mkdir -p "$d"
	if [ -n "$qemu_gpu" ]; then
		# The GPU, and the host side of its verification: the guest's
		# port and QEMU's monitor as sockets in a short directory (a
		# socket path has 107 bytes), lab-verify started when the job runs.
		v=$(mktemp -d /tmp/xbv.XXXXXX) || die "no socket directory for $key"
		echo "$v" > "$d/verify-dir"
		extra="$extra $qemu_gpu -chardev socket,id=xbv,path=$v/verify.sock,server=on,wait=off"
		extra="$extra -device virtserialport,chardev=xbv,name=xenbounce.verify -monitor unix:$v/mon.sock,server=on,wait=off"
	fi
	# shellcheck disable=SC2030
	(
		export T_IMAGES="$NIGHTLY_OUT/images-$m" T_TESTDEF="$NIGHTLY_OUT/testdef.tar.gz" \
			T_XEN_CMDLINE="$xen_cmdline" T_DOM0_CMDLINE="$dom0_cmdline" \
			T_SCENARIOS="$scen" T_MODULE_PARAMS="$LAB_MODULE_PARAMS" \
			T_JOB_NAME="xenbounce nightly $RUN_ID $suite $shard" T_DEVICE_TYPE=xenbounce-lab \
			T_EXTRA_OPTIONS="$extra" T_GUESTFS_INTERFACE=$gif T_RUN_ID="$RUN_ID" \
			T_SUITE="$suite" T_SHARD="$shard" T_JOB_MINUTES=90 T_TEST_MINUTES=60 T_REQUIRE="$req" \
			T_ARGS="--shard $shard${exp:+ $exp}"
		render harness/lava/job.yaml "$d/job-$2.yaml"
	) || die "could not render $key's job"
	id=$(lavacli jobs submit "$d/job-$2.yaml" 2> "$d/submit-$2.err") && [ -n "$id" ] || {
		cat "$d/submit-$2.err" >&2
		die "the server refused $key's job ($d/job-$2.yaml)"
	}
	echo "$id"
}

# verifier DIR: a GPU job's lab-verify, (re)started while the job runs (it
# waits 60 s for QEMU's sockets, so one started early may have given up).
verifier() {
	[ -f "$1/verify-dir" ] || return 0
	vp=$(cat "$1/verify.pid" 2>/dev/null)
	[ -n "$vp" ] && kill -0 "$vp" 2>/dev/null && return 0
	v=$(cat "$1/verify-dir")
	"$XB" lab-verify --port "$v/verify.sock" --monitor "$v/mon.sock" --dir "$1/verify" 2>> "$1/verify.log" &
	echo $! > "$1/verify.pid"
}
verifier_stop() {
	vp=$(cat "$1/verify.pid" 2>/dev/null)
	[ -n "$vp" ] && kill "$vp" 2>/dev/null
	rm -f "$1/verify.pid"
	[ -f "$1/verify-dir" ] && rm -rf "$(cat "$1/verify-dir")" "$1/verify-dir"
	return 0
}

t2=$(date +%s)
# pending: "KEY ATTEMPT ID" per job not yet finished.
pending=""
for k in $keys; do
	id=$(submit "$k" 1) || exit 3
	say "submitted $k: job $id"
	pending="$pending $k:1:$id"
done

# 4. Wait, with progress; 5. fetch and check each job as it finishes.
infra=0
last=""
last_t=0
while [ -n "$pending" ]; do
	now=$(date +%s)
	if [ $((now - t2)) -gt "$NIGHTLY_TIMEOUT" ]; then
		for p in $pending; do
			say "INFRA: ${p%%:*}: job ${p##*:} not finished after ${NIGHTLY_TIMEOUT}s: canceled"
			lavacli jobs cancel "${p##*:}" > /dev/null 2>&1
			echo "${p%%:*} - - ${p##*:} Canceled timeout" >> "$NIGHTLY_OUT/jobs.tsv"
		done
		infra=1
		break
	fi
	good=$(api devices xenbounce-lab | awk '$2 == "Good"' | wc -l)
	if [ "$good" -eq 0 ]; then
		say "INFRA: no device of type xenbounce-lab is Good ($(api devices xenbounce-lab | paste -sd, -)): the queued jobs cannot run"
		for p in $pending; do
			lavacli jobs cancel "${p##*:}" > /dev/null 2>&1
			echo "${p%%:*} - - ${p##*:} Canceled no-device" >> "$NIGHTLY_OUT/jobs.tsv"
		done
		infra=1
		break
	fi
	next=""
	line=""
	for p in $pending; do
		key=${p%%:*}
		rest=${p#*:}
		att=${rest%%:*}
		id=${rest#*:}
		s=$(api state "$id") || die "the API does not answer"
		# shellcheck disable=SC2086
		set -- $s
		st=$2 he=$3 dev=$4
		case "$dev" in -) line="$line $key=$st" ;; *) line="$line $key=$st@$dev" ;; esac
		if [ "$st" = Running ] && [ ! -e "$NIGHTLY_OUT/jobs/$key/$id.canceled" ] &&
		   hang=$(api hung "$id" "$NIGHTLY_BOOT_SILENCE"); then
			# The lab's boot hang (dom0 silent after "bootconsole [xenboot0]
			# enabled"): LAVA would wait out its auto-login timeout.
			echo "dom0 boot hang, canceled by nightly.sh: $hang" > "$NIGHTLY_OUT/jobs/$key/$id.canceled"
			say "$key: job $id: $hang: canceling it"
			lavacli jobs cancel "$id" > /dev/null 2>&1 || say "could not cancel job $id"
		fi
		[ "$st" = Running ] && verifier "$NIGHTLY_OUT/jobs/$key"
		[ "$st" = Finished ] || { next="$next $p"; continue; }
		d=$NIGHTLY_OUT/jobs/$key
		verifier_stop "$d"
		api fetch "$id" "$d/$id" || die "could not fetch job $id"
		printf '%s %s %s %s %s %s\n' "$key" "${key%%-*}" "$att" "$id" "$st" "$he" >> "$NIGHTLY_OUT/jobs.tsv"
		if [ "$he" != Complete ]; then
			# LAVA's reason: the job's failure comment, else its "lava"/"job"
			# result (error type and message); and the last console line.
			# LAVA's reason: the job's failure comment, else its "lava"/"job"
			# result (error type and message); the last console line before
			# LAVA's first error; and why nightly.sh canceled it, if it did.
			why=$(jq -r '.failure_comment // empty' "$d/$id/job.json")
			[ -n "$why" ] || why=$(jq -r 'select(.lvl == "results" and .msg.definition == "lava" and .msg.case == "job") |
				"\(.msg.error_type // "?") error: \(.msg.error_msg // "no message")"' "$d/$id/log.jsonl" | tail -n 1)
			con=$(jq -r 'if .lvl == "error" then "\u0001" elif .lvl == "target" then (.msg | strings) else empty end' "$d/$id/log.jsonl" |
				awk '$0 == "\001" { exit } { l = $0 } END { print l }' | cut -c1-120)
			why="${why:-no reason recorded}; last console line: ${con:-none}"
			[ -e "$d/$id.canceled" ] && why="$(cat "$d/$id.canceled") (LAVA: $why)"
			say "INFRA: $key: job $id on ${dev#-} ended $he: $why"
			if [ "$att" -eq 1 ]; then
				nid=$(submit "$key" 2) || exit 3
				say "resubmitted $key (attempt 2): job $nid"
				echo "$key resubmitted job $id ($he: $why) as job $nid" >> "$NIGHTLY_OUT/resubmissions.txt"
				next="$next $key:2:$nid"
			else
				infra=1
			fi
			continue
		fi
		# LAVA's times: submitted, started on the worker, the first console
		# line (QEMU's), finished.
		jq -r --arg k "$key" --slurpfile log "$d/$id/log.jsonl" \
			'[$k, .id, .actual_device, .health, .submit_time, .start_time,
			  ([$log[] | select(.lvl == "target") | .dt][0] // "-"), .end_time] | map(tostring) | @tsv' \
			"$d/$id/job.json" >> "$NIGHTLY_OUT/job-times.tsv"
		if CHECK_RESULTS="$d/$id/results.jsonl" harness/lava/check.sh "$d/$id/log.jsonl" - "$d/results.json" > "$d/$id/check.txt" 2>&1; then
			say "$key: job $id complete on $dev, $(grep -m1 'LAVA test cases' "$d/$id/check.txt" | sed 's/^check: //')"
			echo "$id" > "$d/job-id"
		else
			say "INFRA: $key: job $id's LAVA results disagree with its results.json:"
			sed 's/^/  /' "$d/$id/check.txt" >&2
			rm -f "$d/results.json"
			infra=1
		fi
	done
	pending=$next
	if [ -n "$pending" ]; then
		el=$(($(date +%s) - t2))
		if [ "$line" != "$last" ] || [ $((el - last_t)) -ge 60 ]; then
			say "${el}s:$line"
			last=$line
			last_t=$el
		fi
		sleep 10
	fi
done
t_jobs=$(($(date +%s) - t2))

# 6. Merge each suite's shards; the verdict.
rc=0
: > "$NIGHTLY_OUT/new-failures.txt"
for s in $NIGHTLY_SUITES; do
	shards=""
	missing=""
	for k in $keys; do
		case "$k" in "$s"-*) ;; *) continue ;; esac
		if [ -f "$NIGHTLY_OUT/jobs/$k/results.json" ]; then
			shards="$shards $NIGHTLY_OUT/jobs/$k/results.json"
		else
			missing="$missing $k"
		fi
	done
	if [ -n "$missing" ]; then
		say "suite $s: not merged, no results from:$missing (infrastructure)"
		infra=1
		continue
	fi
	# shellcheck disable=SC2086
	"$XB" merge -o "$NIGHTLY_OUT/$RUN_ID-$s" $shards > "$NIGHTLY_OUT/merge-$s.out" 2> "$NIGHTLY_OUT/merge-$s.err"
	mrc=$?
	case "$mrc" in
	0) ;;
	1) rc=1 ;;
	*) say "suite $s: xenbounce merge exit $mrc:"; cat "$NIGHTLY_OUT/merge-$s.err" >&2; infra=1; continue ;;
	esac
	jq -r --arg s "$s" '.tests[] | select(.status as $x | ["fail", "timeout", "crash", "error", "incomplete"] | index($x)) |
		"\($s) \(.name): \(.status)\(if .reason then ": " + .reason else "" end)"' \
		"$NIGHTLY_OUT/$RUN_ID-$s/results.json" >> "$NIGHTLY_OUT/new-failures.txt"
done
{
	if [ -s "$NIGHTLY_OUT/new-failures.txt" ]; then
		echo "NEW FAILURES:"
		sed 's/^/  /' "$NIGHTLY_OUT/new-failures.txt"
	fi
	for s in $NIGHTLY_SUITES; do
		r=$NIGHTLY_OUT/$RUN_ID-$s/results.json
		[ -f "$r" ] || { echo "suite $s: no merged results (infrastructure)"; continue; }
		echo "suite $s: $(jq -r '[.tests[].status] | group_by(.) | map("\(length) \(.[0])") | join(", ")' "$r") ($NIGHTLY_OUT/$RUN_ID-$s)"
	done
	[ -s "$NIGHTLY_OUT/resubmissions.txt" ] && sed 's/^/resubmission: /' "$NIGHTLY_OUT/resubmissions.txt"
} | tee "$NIGHTLY_OUT/verdict.txt"
[ "$infra" -ne 0 ] && rc=3
case "$rc" in
0) v="no new failure" ;;
1) v="new failures" ;;
*) v="infrastructure failure (see above; not merged as a pass)" ;;
esac
wall=$(($(date +%s) - t0))
# LAVA's overhead per job: submit to the first console line, and of that
# the time on the worker (start to the first console line: downloads, the
# overlay disk, QEMU starting).
/usr/bin/python3 - "$NIGHTLY_OUT/job-times.tsv" > "$NIGHTLY_OUT/overhead.txt" <<'PY' 2>/dev/null
import sys
from datetime import datetime
def t(s):
    s = s.replace("Z", "+00:00")
    d = datetime.fromisoformat(s)
    return d.replace(tzinfo=None).timestamp()
for line in open(sys.argv[1]):
    key, jid, dev, health, sub, start, first, end = line.rstrip("\n").split("\t")
    if first == "-":
        print("%s job %s (%s): no console line" % (key, jid, health))
        continue
    print("%s job %s on %s (%s): submit->first console line %.0f s (queued %.0f s, worker %.0f s), job %.0f s"
          % (key, jid, dev, health, t(first) - t(sub), t(start) - t(sub), t(first) - t(start), t(end) - t(sub)))
PY
cat "$NIGHTLY_OUT/overhead.txt" >&2
{
	echo "run_id=$RUN_ID"
	echo "workers=$NIGHTLY_WORKERS"
	echo "shards=$NIGHTLY_SHARDS"
	echo "suites=$NIGHTLY_SUITES"
	echo "instance_up_seconds=$t_up"
	echo "images_seconds=$t_images"
	echo "jobs_seconds=$t_jobs"
	echo "wall_seconds=$wall"
	echo "exit=$rc"
} > "$NIGHTLY_OUT/nightly.env"
echo "nightly $RUN_ID: $v (exit $rc; jobs ${t_jobs}s on $NIGHTLY_WORKERS worker(s), wall ${wall}s)"
exit "$rc"
