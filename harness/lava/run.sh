#!/bin/sh
# make lava: run the xenbounce LAVA test definition the way a LAVA worker
# would, with Debian's lava-dispatcher (lava-run, no LAVA server), on the
# reference lab booted as a LAVA "qemu" device, then check that LAVA's
# parsed results agree with xenbounce's results.json (harness/lava/check.sh).
#
# Usage: harness/lava/run.sh     (root; make lava installs what it needs)
# Knobs: LAVA_SCENARIOS (paths in this tree, default six short ones),
# LAVA_OUT (default results/lava-STAMP), and the lab's LAB_* variables for
# the images (LAB_KERNEL, LAB_XEN, LAB_MEM, LAB_MODULE_PARAMS, ...).
# Exit: 0 the job completed and the results agree; 1 they do not; 3 the
# job or its setup failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 3
LAVA_SCENARIOS=${LAVA_SCENARIOS:-scenarios/00-cpu-reference.ini scenarios/01-cpu-known-bad.ini scenarios/10-edu-dma-api.ini scenarios/13-edu-raw-phys.ini scenarios/20-edu-straddle-geometry.ini scenarios/60-amdgpu-gtt.ini}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
LAVA_OUT=${LAVA_OUT:-$top/results/lava-$stamp}
LAB_MODULE_PARAMS=${LAB_MODULE_PARAMS:-edu_dma_bits=64}

say() { echo "lava: $*" >&2; }
die() { say "ERROR: $*"; exit 3; }

[ "$(id -u)" -eq 0 ] || die "lava-run must run as root"
command -v lava-run >/dev/null || die "no lava-run (make lava installs lava-dispatcher)"
for s in $LAVA_SCENARIOS; do
	case "$s" in /*) die "LAVA_SCENARIOS: $s: give paths inside this tree" ;; esac
	[ -f "$s" ] || die "LAVA_SCENARIOS: no $s"
done
mkdir -p "$LAVA_OUT" || die "could not create $LAVA_OUT"
LAVA_OUT=$(cd "$LAVA_OUT" && pwd)
start=$(date +%s)

# The lab's images (harness/lava/lib.sh).
# shellcheck disable=SC1091
. "$top/harness/lava/lib.sh"
say "building the lab's images"
LAB_SCENARIOS="$LAVA_SCENARIOS" LAB_MODULE_PARAMS="$LAB_MODULE_PARAMS" lava_images "$LAVA_OUT/images"

# The test definition travels as a tarball of this tree's harness/lava and
# the scenarios it runs ("from: url" in the job), so uncommitted changes
# are what runs.
# shellcheck disable=SC2086
tar -C "$top" -czf "$LAVA_OUT/testdef.tar.gz" harness/lava $LAVA_SCENARIOS ||
	die "could not pack the test definition"

# The job template's values (device.yaml has the QEMU options itself).
# shellcheck disable=SC2086,SC2116
export T_IMAGES="$LAVA_OUT/images" T_TESTDEF="$LAVA_OUT/testdef.tar.gz" \
	T_XEN_CMDLINE="$xen_cmdline" T_DOM0_CMDLINE="$dom0_cmdline" T_QEMU_MACHINE="$qemu_machine" \
	T_SCENARIOS="$(echo $LAVA_SCENARIOS)" T_MODULE_PARAMS="$LAB_MODULE_PARAMS" \
	T_JOB_NAME="xenbounce in the reference lab's Xen PV dom0" T_DEVICE_TYPE=qemu \
	T_EXTRA_OPTIONS="$qemu_machine" T_GUESTFS_INTERFACE=virtio T_RUN_ID="lava-$stamp" \
	T_SUITE=lava T_SHARD=1/1 T_JOB_MINUTES=25 T_TEST_MINUTES=10 T_REQUIRE=root,xen,kmod T_ARGS=""
render harness/lava/device.yaml "$LAVA_OUT/device.yaml" || die "could not write device.yaml"
render harness/lava/job.yaml "$LAVA_OUT/job.yaml" || die "could not write job.yaml"

# libguestfs (the test overlay's disk) boots a small VM; force TCG, as a
# KVM that is present but cannot run it (nested, containers) fails it.
# A dom0 that hangs before its init runs (as the lab sees under load,
# README "LAB_BOOT_SILENCE") fails LAVA's auto-login; LAVA does not retry
# a timeout, so the job runs again, up to LAVA_BOOT_RETRIES times.
LAVA_BOOT_RETRIES=${LAVA_BOOT_RETRIES:-1}
attempt=1
while :; do
	say "lava-run: deploy, boot Xen and dom0 under QEMU, run the definition (log: $LAVA_OUT/lava.log)"
	LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg} \
		nice -n 10 lava-run --job-id "xenbounce-$stamp-$attempt" --output-dir "$LAVA_OUT/lava" \
		--device "$LAVA_OUT/device.yaml" "$LAVA_OUT/job.yaml" > "$LAVA_OUT/lava.log" 2>&1
	lrc=$?
	if [ "$lrc" -eq 0 ] || [ "$attempt" -gt "$LAVA_BOOT_RETRIES" ] ||
	   ! grep -q '"lvl": *"target"' "$LAVA_OUT/lava.log" ||
	   grep -q '"msg": *"xenbounce-lava: booted' "$LAVA_OUT/lava.log" ||
	   grep -qE 'Kernel panic - not syncing|Dom0 crashed|Panic on CPU' "$LAVA_OUT/lava.log"; then
		break
	fi
	say "dom0 hung before its init ran: running the job again ($attempt of $LAVA_BOOT_RETRIES)"
	mv "$LAVA_OUT/lava.log" "$LAVA_OUT/lava-hung-$attempt.log"
	attempt=$((attempt + 1))
done
elapsed=$(($(date +%s) - start))
say "lava-run exited $lrc after ${elapsed}s"
{
	echo "wall_seconds=$elapsed"
	echo "lava_run_exit=$lrc"
	echo "lava_runs=$attempt"
} > "$LAVA_OUT/lava.env"

harness/lava/check.sh "$LAVA_OUT/lava.log" "$LAVA_OUT/lava/result.yaml" "$LAVA_OUT/results.json"
crc=$?
if [ "$lrc" -ne 0 ]; then
	say "ERROR: the LAVA job failed (lava-run exit $lrc)"
	crc=3
fi
if [ "$crc" -ne 0 ]; then
	say "the LAVA log's last lines:"
	tail -n 30 "$LAVA_OUT/lava.log" | cut -c1-300 >&2
	exit "$crc"
fi
# The check must be able to fail: hand it the log with the first xenbounce
# test case's result flipped, dropped, and repeated (a step's: report.sh
# sends a test's steps before the test), then with the first test's own
# case flipped and dropped.
first_test=$(jq -r '.tests[0].name' "$LAVA_OUT/results.json" | tr -c 'A-Za-z0-9._\n-' '_')
tamper() {
	awk -v how="$1" -v test="\"case\": \"$first_test\"" '
	!done && /"lvl": *"results"/ && /"definition": *"0_xenbounce"/ && (how !~ /-test$/ || index($0, test)) {
		done = 1
		sub(/-test$/, "", how)
		if (how == "flip") {
			if (!sub(/"result": *"pass"/, "\"result\": \"fail\""))
				sub(/"result": *"[a-z]*"/, "\"result\": \"pass\"")
		} else if (how == "drop") {
			next
		} else if (how == "repeat") {
			print
		}
	}
	{ print }
	END { if (!done) exit 1 }' "$LAVA_OUT/lava.log" > "$LAVA_OUT/tampered.log" || {
		say "ERROR: no xenbounce test case in the log to tamper with"
		return 1
	}
	if harness/lava/check.sh "$LAVA_OUT/tampered.log" "$LAVA_OUT/lava/result.yaml" /dev/null > "$LAVA_OUT/tampered.out" 2>&1; then
		say "ERROR: the check passed a log with one xenbounce test case tampered ($1)"
		return 1
	fi
	say "the check fails a log with one test case tampered ($1), as it should: $(grep -m1 -E '^check: (mismatch|missing|extra|ERROR)' "$LAVA_OUT/tampered.out")"
}
tamper flip && tamper drop && tamper repeat && tamper flip-test && tamper drop-test || exit 1
rm -f "$LAVA_OUT/tampered.log" "$LAVA_OUT/tampered.out"
say "LAVA job complete, its results agree with xenbounce's results.json (${elapsed}s, $LAVA_OUT)"
