#!/bin/sh
# Build the lab's dom0 kernel in a kernel tree (the current directory) and
# xenbounce.ko against it. Shared by xenbounce-bisect and make regressions.
#
# Usage: build-kernel.sh LOGFILE [JOBS] [KMOD_DIR]   (KMOD_DIR: where the
# module is built, default build/kernel-kmod)
# The configuration is allnoconfig plus harness/bisect/dom0.config; every
# symbol the fragment asks for is checked in the result, so a fragment
# Kconfig silently dropped fails here instead of booting a kernel that
# cannot run the lab. Exit 0 built, 1 build failed, 2 usage.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
log=${1:?usage: build-kernel.sh LOGFILE [JOBS]}
jobs=${2:-$(nproc)}
kmod=${3:-$top/build/kernel-kmod}
frag=$top/harness/bisect/dom0.config
[ -f Makefile ] && [ -d arch/x86 ] || { echo "build-kernel.sh: not a kernel tree: $PWD" >&2; exit 2; }
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
stamp=$(md5sum "$frag" | cut -d' ' -f1)
if [ ! -f .config ] || ! grep -q "^# xenbounce dom0.config $stamp" .config; then
	KCONFIG_ALLCONFIG=$frag make -s CC="$cc" allnoconfig >> "$log" 2>&1 || exit 1
	# Every symbol the fragment sets must be set so in the result.
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS= read -r want; do
		grep -qxF "$want" .config || echo "$want"
	done)
	if [ -n "$missing" ]; then
		echo "build-kernel.sh: Kconfig did not keep:" $missing >> "$log"
		echo "build-kernel.sh: Kconfig did not keep:" $missing >&2
		exit 1
	fi
	echo "# xenbounce dom0.config $stamp" >> .config
fi
# modules: nothing is =m, but it writes Module.symvers for the module build.
make -s CC="$cc" -j"$jobs" bzImage modules modules_prepare >> "$log" 2>&1 || exit 1
rm -rf "$kmod"
mkdir -p "$(dirname "$kmod")"
cp -r "$top/kmod" "$kmod"
make -C "$kmod" KDIR="$PWD" >> "$log" 2>&1 || exit 1
