#!/bin/sh
# The LAVA templates against LAVA's own validators, offline (make test; no
# LAVA server needed, lava-dispatcher's lava_common): harness/lava/job.yaml
# rendered as harness/lava/run.sh (lava-run, device type qemu) and as
# nightly.sh (device type xenbounce-lab, PV and PVH) renders it, checked
# with the job schema lava-server's scheduler.jobs.validate and lava-run
# use (strict); the device type xenbounce-lab.jinja2 rendered as the server
# renders a device that extends it, with each job's context, checked with
# the device schema of "lava-server manage devices check". Each check is
# also fed a broken input and must refuse it. Ends "lava-templates: N
# passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { d=$1; shift; if "$@" > "$tmp/out" 2>&1; then ok "$d"; else nok "$d"; sed 's/^/    /' "$tmp/out"; fi; }
refuse() { d=$1; shift; if "$@" > "$tmp/out" 2>&1; then nok "$d (accepted)"; else ok "$d: $(tail -n 1 "$tmp/out")"; fi; }
die() { echo "templates: $*" >&2; exit 1; }
V=harness/lava/validate.py
# shellcheck disable=SC1091
. harness/lava/lib.sh

PV='-machine q35,kernel-irqchip=split -cpu qemu64 -m 2048 -smp 2 -device intel-iommu,intremap=on,caching-mode=on -device edu,dma_mask=0xffffffffffffffff'
PVH='-machine q35,kernel-irqchip=split -cpu qemu64,+svm,+npt -m 2048 -smp 2 -device intel-iommu,intremap=on,caching-mode=on -device edu,dma_mask=0xffffffffffffffff -device virtio-blk-pci,drive=lavatest,disable-legacy=on,iommu_platform=on'
common() {
	export T_IMAGES=/srv/lab/images T_TESTDEF=/srv/lab/testdef.tar.gz \
		T_XEN_CMDLINE="console=com1 com1=115200 dom0_mem=1024M,max:1024M iommu=1,verbose dom0-iommu=strict" \
		T_DOM0_CMDLINE="console=hvc0 earlyprintk=xen loglevel=4" T_MODULE_PARAMS=edu_dma_bits=64 \
		T_RUN_ID=xb-host-20261207T000000Z-k6.1.0-57-amd64-xv1.0 T_JOB_MINUTES=90 T_TEST_MINUTES=60
}
# lava-run's job (run.sh's values)
(common; export T_JOB_NAME="xenbounce in the reference lab's Xen PV dom0" T_DEVICE_TYPE=qemu \
	T_EXTRA_OPTIONS="$PV" T_GUESTFS_INTERFACE=virtio T_SUITE=lava T_SHARD=1/1 \
	T_SCENARIOS="scenarios/00-cpu-reference.ini" T_REQUIRE=root,xen,kmod T_ARGS=""
	render harness/lava/job.yaml "$tmp/run.yaml") || die "cannot render the lava-run job"
# nightly's jobs: a PV shard and the PVH suite
(common; export T_JOB_NAME="xenbounce nightly default 1/2" T_DEVICE_TYPE=xenbounce-lab \
	T_EXTRA_OPTIONS="$PV" T_GUESTFS_INTERFACE=virtio T_SUITE=default T_SHARD=1/2 \
	T_SCENARIOS=scenarios T_REQUIRE=root,xen_pv,kmod T_ARGS="--shard 1/2 -e harness/lava/nightly.ini"
	render harness/lava/job.yaml "$tmp/pv.yaml") || die "cannot render the nightly PV job"
(common; export T_JOB_NAME="xenbounce nightly pvh 1/1" T_DEVICE_TYPE=xenbounce-lab \
	T_EXTRA_OPTIONS="$PVH" T_GUESTFS_INTERFACE=none T_SUITE=pvh T_SHARD=1/1 \
	T_SCENARIOS=scenarios T_REQUIRE=root,xen,kmod T_ARGS="--shard 1/1 -e harness/lava/nightly.ini"
	render harness/lava/job.yaml "$tmp/pvh.yaml") || die "cannot render the nightly PVH job"

check "job template as lava-run's job: LAVA's job schema (strict)" "$V" job "$tmp/run.yaml"
check "job template as a nightly PV shard: LAVA's job schema (strict)" "$V" job "$tmp/pv.yaml"
check "job template as the nightly PVH job: LAVA's job schema (strict)" "$V" job "$tmp/pvh.yaml"
check "the nightly job carries the run id in its metadata" grep -q '^  xenbounce.run_id: "xb-host-20261207T000000Z-k6.1.0-57-amd64-xv1.0"$' "$tmp/pv.yaml"
check "the nightly job runs its shard with the expectations" grep -q 'ARGS: "--shard 1/2 -e harness/lava/nightly.ini"' "$tmp/pv.yaml"
# Broken inputs the validator must refuse.
sed 's/^  extra_options:/  qemu_machine:/' "$tmp/pv.yaml" > "$tmp/bad-context.yaml"
refuse "refuses a context variable LAVA does not know" "$V" job "$tmp/bad-context.yaml"
sed 's/^    minutes: 90$/    minutes: ninety/' "$tmp/pv.yaml" > "$tmp/bad-timeout.yaml"
refuse "refuses a timeout that is no number" "$V" job "$tmp/bad-timeout.yaml"
sed '/^device_type:/d' "$tmp/pv.yaml" > "$tmp/bad-dt.yaml"
refuse "refuses a job without a device type" "$V" job "$tmp/bad-dt.yaml"
sed 's/^      method: qemu$/      method: qemu-bogus/' "$tmp/pv.yaml" > "$tmp/bad-boot.yaml"
refuse "refuses an unknown boot method" "$V" job "$tmp/bad-boot.yaml"
refuse "render refuses a placeholder without a value" sh -c ". harness/lava/lib.sh; unset T_ARGS; echo 'x: @ARGS@' > '$tmp/t.yaml'; render '$tmp/t.yaml' '$tmp/t.out'"

# The device type, with each job's context, as the server renders it.
ctx() { /usr/bin/python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))["context"]))' "$1"; }
check "device type with the PV job's context: LAVA's device schema" sh -c "'$V' device harness/lava/xenbounce-lab.jinja2 '$(ctx "$tmp/pv.yaml")' > '$tmp/dev-pv.yaml'"
check "device type with the PVH job's context: LAVA's device schema" sh -c "'$V' device harness/lava/xenbounce-lab.jinja2 '$(ctx "$tmp/pvh.yaml")' > '$tmp/dev-pvh.yaml'"
check "the PV device boots the job's QEMU machine" grep -qF -- "- \"$PV\"" "$tmp/dev-pv.yaml"
check "the PVH device attaches the overlay disk itself (interface none)" sh -c "grep -q 'interface: none' '$tmp/dev-pvh.yaml' && grep -qF -- 'drive=lavatest,disable-legacy=on,iommu_platform=on' '$tmp/dev-pvh.yaml'"
sed '/^  boot:$/,/^timeouts:/d' harness/lava/xenbounce-lab.jinja2 > "$tmp/xenbounce-lab.jinja2"
refuse "refuses a device type without its boot methods" "$V" device "$tmp/xenbounce-lab.jinja2" '{}'
echo "lava-templates: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
