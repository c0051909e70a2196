#!/bin/sh
# The layers depend one way (the Makefile's LAYERS):
#   harness/core <- userspace <- harness/evidence <- harness/runner <- harness/cli
# Every project #include must name a layer at or below the including file's,
# and a harness header may include from userspace/ only the workload API.
# Prints each violation; exit 1 when there is one. Usage: layers.sh [TOP]
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 2
rank() {
	case "$1" in
	harness/core/*|core/*) echo 0 ;;
	userspace/*|kmod/include/uapi/*) echo 1 ;;
	harness/evidence/*|evidence/*) echo 2 ;;
	harness/runner/*|runner/*) echo 3 ;;
	harness/cli/*|cli/*) echo 4 ;;
	*) echo 9 ;;
	esac
}
bad=0
files=$(find harness/core harness/evidence harness/runner harness/cli userspace -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "layers: no source files under $top"; exit 2; }
for f in $files; do
	dir=$(dirname "$f")
	mine=$(rank "$f")
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		inc=$(echo "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
		n=${line%%:*}
		# A bare name is the including file's own folder.
		case "$inc" in */*) path=$inc ;; *) path=$dir/$inc ;; esac
		theirs=$(rank "$path")
		if [ "$theirs" -gt "$mine" ]; then
			echo "$f:$n: includes $inc, a layer above its own"
		fi
		case "$f:$path" in
		harness/*.h:userspace/workload.h) ;;
		harness/*.h:userspace/*) echo "$f:$n: a harness header includes $inc (only userspace/workload.h, the workload API, may be)" ;;
		esac
	done
done > build-layers.txt 2>&1
if [ -s build-layers.txt ]; then
	cat build-layers.txt
	bad=1
fi
rm -f build-layers.txt
echo "layers: $(echo "$files" | wc -l) files checked, $([ $bad -eq 0 ] && echo 'no upward includes' || echo 'violations above')"
exit $bad
