#!/bin/sh
# Which dom0 kernel the lab boots and the module is built for, chosen on
# purpose: never "whatever is newest in /boot".
#
# Usage: harness/lab/kernel.sh path|release|kdir|describe [SPEC]
# SPEC (default: $LAB_KERNEL, else the default series below) is one of
#   a path to a bzImage          /boot/vmlinuz-6.12.117+deb12-amd64, a built tree's bzImage
#   a release                    6.1.0-57-amd64  (/boot/vmlinuz-RELEASE)
#   a supported series           6.1 or 6.12     (the newest installed Debian kernel of it)
# path prints the bzImage, release its release string, kdir the headers
# (build) directory for that release, describe one line for a human.
# Exit 1 with a message naming what is installed when SPEC matches nothing.
set -u
SUPPORTED="6.1 6.12"
DEFAULT=6.1

what=${1:-}
spec=${2:-${LAB_KERNEL:-$DEFAULT}}

release_of() {
	magic=$(dd if="$1" bs=1 skip=514 count=4 2>/dev/null)
	[ "$magic" = HdrS ] || return 1
	ptr=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ')
	dd if="$1" bs=1 skip=$((ptr + 512)) count=128 2>/dev/null | tr '\0' '\n' | head -n 1 | cut -d' ' -f1
}

installed() {
	ls /boot/vmlinuz-* 2>/dev/null | sed 's|/boot/vmlinuz-||' | tr '\n' ' '
}

fail() {
	echo "kernel.sh: $*" >&2
	echo "kernel.sh: installed in /boot: $(installed)" >&2
	echo "kernel.sh: supported series: $SUPPORTED (e.g. apt-get install linux-image-6.12-amd64 linux-headers-6.12-amd64)" >&2
	exit 1
}

case "$spec" in
*/*)
	[ -f "$spec" ] || fail "LAB_KERNEL=$spec: no such file"
	path=$spec ;;
*)
	if [ -f "/boot/vmlinuz-$spec" ]; then
		path=/boot/vmlinuz-$spec
	else
		case " $SUPPORTED " in
		*" $spec "*) path=$(ls /boot/vmlinuz-"$spec".*-amd64 /boot/vmlinuz-"$spec".*+*-amd64 2>/dev/null | sort -uV | tail -n 1) ;;
		*) fail "LAB_KERNEL=$spec: not a path, an installed release or a supported series" ;;
		esac
		[ -n "$path" ] || fail "no Debian $spec kernel installed (LAB_KERNEL=$spec)"
	fi ;;
esac
rel=$(release_of "$path") || fail "LAB_KERNEL=$spec: $path is not a bzImage"
case "$what" in
path) echo "$path" ;;
release) echo "$rel" ;;
kdir)
	# A kernel tree's own bzImage: the tree is the build directory.
	case "$path" in
	*/arch/x86/boot/bzImage) echo "${path%/arch/x86/boot/bzImage}" ;;
	*)
		for d in "/lib/modules/$rel/build" "/usr/src/linux-headers-$rel"; do
			[ -f "$d/Makefile" ] && { echo "$d"; exit 0; }
		done
		fail "no headers for $rel (apt-get install linux-headers-$rel)" ;;
	esac ;;
describe)
	series=$(echo "$rel" | cut -d. -f1-2)
	case " $SUPPORTED " in
	*" $series "*) note="supported series $series" ;;
	*) note="series $series is not one this project has measured ($SUPPORTED)" ;;
	esac
	echo "dom0 kernel $rel ($path; $note)" ;;
*) echo "usage: kernel.sh path|release|kdir|describe [SPEC]" >&2; exit 2 ;;
esac
