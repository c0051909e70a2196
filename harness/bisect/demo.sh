#!/bin/sh
# make bisect-demo: a real bisection in the reference lab. Builds a git
# repository from Debian's linux-source-6.1 with a short series of commits,
# one of which breaks xen-swiotlb's straddle handling (buffers that cross
# machine-discontiguous pages are no longer bounced), and lets
# `git bisect run harness/bisect/xenbounce-bisect` find it with the
# known-good edu DMA API scenario. Prints the commit it names and the time.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/bisect-demo
src=$work/linux-source-6.1
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
[ -n "$tarball" ] || { echo "bisect-demo: apt-get install linux-source-6.1" >&2; exit 2; }
start=$(date +%s)
mkdir -p "$work"
if [ ! -d "$src/.git" ]; then
	rm -rf "$src"
	echo "bisect-demo: unpacking $tarball"
	tar -xJf "$tarball" -C "$work"
	cd "$src"
	git init -q
	git config user.email demo@xenbounce.invalid
	git config user.name "xenbounce demo"
	# Debian's source package ignores everything (.gitignore: /*): force.
	git add -A -f .
	git commit -qm "Linux 6.1 (Debian linux-source-6.1)"
	git tag demo-good
	# The series: three harmless commits around one regression.
	echo "# xenbounce bisection demo" >> Documentation/xen/index.rst 2>/dev/null ||
		echo "# xenbounce bisection demo" >> MAINTAINERS
	git commit -qam "docs: mention the bisection demo"
	sed -i 's/^static inline int range_straddles_page_boundary(phys_addr_t p, size_t size)$/&\n{\n\treturn 0;\n}\n\nstatic inline int range_straddles_page_boundary_old(phys_addr_t p, size_t size)/' \
		drivers/xen/swiotlb-xen.c
	grep -q 'range_straddles_page_boundary_old' drivers/xen/swiotlb-xen.c
	git commit -qam "xen/swiotlb: skip the straddle check (regression: straddling buffers are not bounced)"
	git tag demo-culprit
	sed -i '1s/$/ /' README
	git commit -qam "README: whitespace"
	echo "/* demo */" >> drivers/xen/Makefile
	sed -i '$d' drivers/xen/Makefile
	echo "# demo" >> drivers/xen/Makefile
	git commit -qam "xen: Makefile comment"
fi
cd "$src"
[ "${DEMO_PREPARE_ONLY:-0}" = 1 ] && { echo "bisect-demo: repository ready in $src"; exit 0; }
git bisect reset >/dev/null 2>&1 || true
git bisect start HEAD demo-good >/dev/null
git bisect run "$top/harness/bisect/xenbounce-bisect" --scenarios "$top/scenarios/10-edu-dma-api.ini" |
	tee "$work/bisect.log"
first=$(git bisect log | sed -n 's/^# first bad commit: \[\([0-9a-f]*\)\].*/\1/p')
culprit=$(git rev-parse demo-culprit)
git bisect reset >/dev/null 2>&1
echo "bisect-demo: first bad commit $first; the injected regression is $culprit"
echo "bisect-demo: wall time $(($(date +%s) - start)) s"
[ "$first" = "$culprit" ]
