#!/bin/sh
# Install (as root) or name (otherwise) the Debian 12 packages a target needs.
# Usage: harness/deps.sh [build] [test] [lab] [style] [bisect] [dkms] [lava] [lava-instance]
# (default: build test lab style)
# Idempotent and non-interactive; exits 0 when everything is present.
set -eu

BUILD="build-essential pkg-config libinih-dev libjansson-dev libcmocka-dev libxen-dev libkmod-dev libdrm-dev libpng-dev"
TEST="jq clang-14 libclang-rt-14-dev valgrind libxml2-utils chromium"
LAB="bc e2fsprogs xen-utils-4.17 qemu-system-x86 xen-hypervisor-4.17-amd64 linux-image-amd64 linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64 busybox-static cpio kmod"
STYLE="linux-source-6.1 linux-source-6.12 xz-utils"
BISECT="linux-source-6.1 linux-source-6.12 xz-utils flex bison libelf-dev libssl-dev bc ccache git jq"
# tests/dkms.sh: Debian's dkms against the 6.1 headers (the lab's dom0 series).
DKMS="dkms build-essential linux-headers-amd64 kmod"
# make lava: Debian's LAVA dispatcher (lava-run, libguestfs) and jq for the check.
LAVA="lava-dispatcher jq"
# make lava-instance / make nightly: a LAVA server on this machine (Debian 12's
# 2023.01 lava-server with PostgreSQL 15, gunicorn, lava-worker from
# lava-dispatcher), lavacli to submit, curl for the API. Not for make test.
LAVA_INSTANCE="lava-server lava-coordinator lavacli postgresql curl"

want=""
[ $# -eq 0 ] && set -- build test lab style
for g in "$@"; do
	case "$g" in
	build) want="$want $BUILD" ;;
	test) want="$want $BUILD $TEST" ;;
	lab) want="$want $LAB" ;;
	style) want="$want $STYLE" ;;
	bisect) want="$want $BISECT" ;;
	dkms) want="$want $BUILD $DKMS" ;;
	lava) want="$want $LAVA" ;;
	lava-instance) want="$want $LAVA $LAVA_INSTANCE" ;;
	*) echo "deps.sh: unknown group '$g' (build, test, lab, style, bisect, dkms, lava, lava-instance)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "xenbounce: missing Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
if [ "$(uname -m)" != x86_64 ]; then
	echo "xenbounce: the lab needs an x86_64 host (this is $(uname -m))" >&2
fi
echo "xenbounce: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update -qq
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing >&2
