#!/bin/sh
# Run the kernel's checkpatch.pl (--no-tree --strict) over the module.
# checkpatch.pl ships in Debian's linux-source-6.1; it is extracted once
# into build/checkpatch/ (with the tarball's name in build/checkpatch/source).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/build/checkpatch"
# 6.1's is the reference; a newer linux-source may be installed beside it.
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "checkpatch: no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1)" >&2
	exit 1
fi
if [ ! -x "$dir/checkpatch.pl" ] || [ "$(cat "$dir/source" 2>/dev/null)" != "$(basename "$tarball")" ]; then
	mkdir -p "$dir"
	base=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$dir" --strip-components=2 \
		"$base/scripts/checkpatch.pl" "$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch"
	basename "$tarball" > "$dir/source"
fi
cd "$top/kmod"
# LINUX_VERSION_CODE: the module is built out of tree for several kernels;
# compat.h is the one place that tests the version (checkpatch's advice is
# for code merged into one kernel).
"$dir/checkpatch.pl" --no-tree --strict --quiet --show-types \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,LINUX_VERSION_CODE \
	-f $(ls ./*.c ./*.h | grep -v "\.mod\.c$") include/uapi/*.h
echo "checkpatch: kmod clean"
