# Sourced by tests/lab/run.sh (its lab, check, test_json, no_oops helpers
# and $res): the guest lab (LAB_GUEST=pv), the default suite in a PV domU
# with edu passed through, and the gate's evidence (no IOMMU, no domU).

# vtd_fault_for_domu CONSOLE BUS DOMID: Xen's console has a VT-d fault for
# edu at BUS's page while Xen's device list (debug key Q) shows edu owned
# by dDOMID. Xen 4.17's VT-d fault line names the device, not the domain.
vtd_fault_for_domu() {
	page=$(printf '%x' $(($2 & ~0xfff)))
	grep -aqE "\[VT-D\]DMAR:\[DMA (Read|Write)\] Request device \[0000:00:03\.0\] fault addr 0*$page\$" "$1" &&
		grep -aqE "0000:00:03\.0 - d$3 " "$1"
}
# The bus address a test's step gave edu (to_device or from_device note).
guest_bus() {
	jq -r --arg t "$1" --arg d "$2" '.tests[] | select(.name == $t) | .steps[0].notes[]
		| select(startswith($d + ": bus_addr ")) | split(" ")[2]' "$R/run/results.json" | head -n 1
}

# The controls and what a domU must say it cannot do, not the whole
# default suite (measured in the domU: README, "The harness in a PV domU"):
# the domU's boot and suite are the slowest boot of make test.
G=$top/scenarios
lab guest LAB_GUEST=pv LAB_BOOT_SILENCE=400 LAB_SILENCE=400 \
	LAB_SCENARIOS="$G/00-cpu-reference.ini $G/01-cpu-known-bad.ini $G/10-edu-dma-api.ini $G/12-edu-first-page-shuffled.ini $G/13-edu-raw-phys.ini $G/50-balloon.ini $G/51-edu-stale-balloon.ini"
R=$dir
GUEST=$R/run
domid=$(sed -n 's/^domid=//p' "$R/guest.env" 2>/dev/null)
echo "# guest: domid ${domid:-?}, domU boot to harness $(sed -n 's/^boot_seconds=//p' "$R/guest.env" 2>/dev/null)s, domU $(sed -n 's/^domU_seconds=//p' "$R/guest.env" 2>/dev/null)s"
check "guest: lab exits 0" test "$(cat "$res/guest/rc")" = 0
check "guest: dom0 started the domU through xl (domid $domid)" sh -c "[ -n '$domid' ] && [ '$domid' != 0 ] && grep -aq 'xenbounce-lab: dom0: domU xbguest started, domid $domid' '$R/serial.log'"
test_json "guest: the harness ran in a PV domU (fingerprint)" '.meta.environment.dom0_mode == "domu-pv" and .meta.environment.domain == "domU" and .meta.environment.xen_pv'
test_json "guest: edu is the domU's, behind pcifront, bound to xenbounce.ko" '[.meta.environment.pci[] | select(.vendor == "0x1234" and .device == "0x11e8" and .driver == "xenbounce")] | length == 1'
test_json "guest: Xen's console is recorded as unreadable in a domU, not as quiet" '.meta.collectors.xen_console | test("^off: Xen.s console ring is not readable here")'
test_json "guest: the CPU self-check and its known-bad control pass" '[.tests[] | select(.name == "00-cpu-reference" or .name == "01-cpu-known-bad") | .status] == ["pass", "pass"]'
test_json "guest: known-good: DMA API across a shuffled boundary, exact" '.tests[] | select(.name == "10-edu-dma-api") | .status == "pass" and .steps[0].findings == []'
test_json "guest: known-bad: first_page after the domU's own P2M shuffle corrupts" '.tests[] | select(.name == "12-edu-first-page-shuffled") | .status == "pass" and ([.steps[0].findings[] | select(.kind == "corruption")] | length >= 1) and (.evidence.fault.pool | test("frames_moved: ([1-9]|1[0-6])\n"))'
test_json "guest: raw_phys corrupts ([expect domu-pv])" '.tests[] | select(.name == "13-edu-raw-phys") | .status == "pass" and .expect_mode == "domu-pv" and ([.steps[0].findings[].kind] | index("corruption"))'
b13=$(guest_bus 13-edu-raw-phys to_device)
check "guest: known-bad: Xen faults raw_phys's address ($b13) for edu, owned by d$domid" vtd_fault_for_domu "$R/xen-console.log" "$b13" "$domid"
grep -av 'fault addr' "$R/xen-console.log" > "$res/guest/no-fault.log"
grep -av "0000:00:03.0 - d$domid " "$R/xen-console.log" > "$res/guest/no-owner.log"
fault_check_fails() {
	! vtd_fault_for_domu "$res/guest/no-fault.log" "$b13" "$domid" &&
		! vtd_fault_for_domu "$res/guest/no-owner.log" "$b13" "$domid" &&
		! vtd_fault_for_domu "$R/xen-console.log" "$b13" 0
}
check "guest: that check fails without the fault line, without the owner, or for d0 (self-test)" fault_check_fails
b51=$(guest_bus 51-edu-stale-balloon to_device)
check "guest: stale DMA to a frame the domU gave back: Xen faults it ($b51)" vtd_fault_for_domu "$R/xen-console.log" "$b51" "$domid"
test_json "guest: the balloon (dom0's xenstore target) SKIPs with its reason" '.tests[] | select(.name == "50-balloon") | .status == "skip" and (.reason | test("needs Xen.s control domain \\(dom0\\): this is a domU"))'
test_json "guest: nothing fails" '.tests != [] and [.tests[] | select(.status != "pass" and .status != "skip")] == []'
no_oops "guest: no oops, BUG or WARNING in the domU" "$R/guest-dmesg.txt"
no_oops "guest: no oops, BUG or WARNING in dom0" "$R/dom0-dmesg.txt"
# dom0 and domU side by side, as a qualification report carries them.
"$XB" compare --allow-missing --table "${GUEST_DOM0_RUN:-$(ls -d "$res/xen"/lab-*/run | head -n 1)}" "$GUEST" > "$res/dom0-domu-table.txt" 2>&1
check "compare --table: dom0 and domU side by side" grep -q '^| 13-edu-raw-phys | pass | corruption, iommu_fault | pass \[expect domu-pv\] | corruption |$' "$res/dom0-domu-table.txt"

# The gate's evidence: without an IOMMU (Xen iommu=0) Xen reports no
# pv_directio and refuses to take edu from dom0, so no domU ever has it.
lab guest-noiommu LAB_GUEST=pv LAB_IOMMU=none LAB_SCENARIOS="$top/scenarios/00-cpu-reference.ini" \
	LAB_BOOT_SILENCE=400 LAB_SILENCE=400
R=$dir
check "guest without an IOMMU: the lab fails (exit 3)" test "$(cat "$res/guest-noiommu/rc")" = 3
check "guest without an IOMMU: no pv_directio, edu not assignable, no domU" sh -c "grep -aq 'Xen reports no pv_directio' '$R/serial.log' && grep -aq 'failed to quarantine 0000:00:03.0' '$R/serial.log' && ! grep -aq 'domU xbguest started' '$R/serial.log'"
