#!/bin/sh
# DKMS for real: `make install-dkms` with Debian's dkms against the
# installed kernel headers (6.1, the lab's dom0 series, and 6.12 when its
# headers are there): add, build, install, then what a kernel upgrade does
# (the kernel's postinst hook, /etc/kernel/postinst.d/dkms) rebuilding the
# module for the other kernel, then remove. Needs root (installs dkms
# through harness/deps.sh on a machine that has nothing). Cleans up before
# and after, so it can run twice. Build products in kmod/ (make kmod, make
# test) must not travel into /usr/src: checked with a stand-in.
# Prints "dkms: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
K61=${DKMS_K61:-6.1.0-57-amd64}
K612=${DKMS_K612:-6.12.117+deb12-amd64}
SRC=/usr/src/xenbounce-0.1
pass=0
fail=0
n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; [ -f "$tmp/out" ] && sed 's/^/# /' "$tmp/out" | tail -n 15; }
check() { name=$1; shift; if "$@" > "$tmp/out" 2>&1; then ok "$name"; else nok "$name"; fi; }
finish() { echo "dkms: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

tmp=$(mktemp -d)
decoys=""
cleanup() {
	dkms remove -m xenbounce -v 0.1 --all >/dev/null 2>&1
	rm -rf "$SRC" "$tmp"
	for d in $decoys; do rm -f "$d"; done
}
trap cleanup EXIT
if [ "$(id -u)" -ne 0 ]; then
	echo "dkms: needs root (dkms installs into /lib/modules)"
	fail=1; finish
fi
check "deps: dkms and the 6.1 headers (harness/deps.sh dkms)" harness/deps.sh dkms
command -v dkms >/dev/null || finish
[ -d "/lib/modules/$K61/build" ] || { nok "headers for $K61 in /lib/modules/$K61/build"; finish; }
kernels=$K61
[ -d "/lib/modules/$K612/build" ] && have612=1 || have612=0
# Whatever a previous run left (it must not matter).
dkms remove -m xenbounce -v 0.1 --all >/dev/null 2>&1
rm -rf "$SRC"

# Stand-ins for build products that kmod/ holds after `make kmod`.
for d in kmod/xenbounce.mod.c kmod/zz-stale.mod.c kmod/.zz-stale.o.cmd kmod/zz-stale.o; do
	if [ ! -e "$d" ]; then
		echo "/* build product stand-in (tests/dkms.sh) */ #error must not be installed" > "$d"
		decoys="$decoys $d"
	fi
done
check "make install-dkms (add, build, install for $kernels)" \
	make --no-print-directory install-dkms PREFIX="$tmp/prefix" DKMS_KERNELS="$kernels"
want=$( (sed -n 's/^xenbounce-y *:= *//p' kmod/Kbuild | tr ' ' '\n' | sed -n 's/\.o$/.c/p';
	 cd kmod && ls *.h; echo Kbuild; echo Makefile; echo dkms.conf; echo include/uapi/xenbounce.h) | sort)
got=$(cd "$SRC" 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
if [ "$want" = "$got" ]; then ok "$SRC holds exactly the module's sources (no build products)"
else echo "$want" > "$tmp/want"; echo "$got" > "$tmp/got"; diff "$tmp/want" "$tmp/got" > "$tmp/out"; nok "$SRC holds exactly the module's sources"; fi
ko61=/lib/modules/$K61/updates/dkms/xenbounce.ko
[ -f "$ko61" ] || ko61=$(ls /lib/modules/$K61/updates/dkms/xenbounce.ko* 2>/dev/null | head -n 1)
check "dkms status: installed for $K61" sh -c "dkms status -m xenbounce -v 0.1 -k $K61 | grep -q ': installed'"
check "module installed for $K61 with its vermagic" sh -c "modinfo -F vermagic '$ko61' | grep -q '^$K61 '"
check "modprobe knows it for $K61 (depmod ran)" sh -c "modprobe -S $K61 --show-depends xenbounce | grep -q xenbounce.ko"
if [ "$have612" = 1 ]; then
	# What apt runs when a new kernel is installed: AUTOINSTALL=yes rebuilds it.
	check "kernel upgrade to $K612: the postinst hook rebuilds the module" \
		/etc/kernel/postinst.d/dkms "$K612"
	check "dkms status: installed for $K612" sh -c "dkms status -m xenbounce -v 0.1 -k $K612 | grep -q ': installed'"
	ko612=$(ls /lib/modules/$K612/updates/dkms/xenbounce.ko* 2>/dev/null | head -n 1)
	check "module for $K612 carries its vermagic" sh -c "[ -n '$ko612' ] && modinfo -F vermagic '$ko612' | grep -q '^$K612 '"
else
	echo "# $K612 headers not installed: upgrade path not checked"
fi
check "dkms remove --all" dkms remove -m xenbounce -v 0.1 --all
check "nothing left in /lib/modules" sh -c "! ls /lib/modules/*/updates/dkms/xenbounce.ko* 2>/dev/null | grep -q ."
check "dkms no longer lists it" sh -c "! dkms status -m xenbounce | grep -q ."
rm -rf "$SRC"
finish
