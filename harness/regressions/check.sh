#!/bin/sh
# Check the regression corpus and the mutants without building anything
# (make test): every corpus entry names what it re-creates, every mutant
# what it breaks and the capability (1..11 of issue #26) that should catch
# it, at least one mutant per capability, and every patch applies cleanly
# to the tree it says.
# Prints TAP-like lines and "corpus: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$top/harness/regressions/corpus
mutants=$top/harness/regressions/mutants
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; [ $# -gt 1 ] && echo "# $2"; }

patches=$(ls "$corpus"/*.patch 2>/dev/null)
count=$(echo "$patches" | grep -c .)
[ "$count" -ge 8 ] && ok "corpus has $count entries (at least 8)" || notok "corpus has at least 8 entries" "found $count"
files=$(for p in $patches; do sed -n 's|^+++ b/||p' "$p"; done | sort -u)
dirs=$(echo "$files" | grep -cE '^(drivers/xen/swiotlb-xen.c|kernel/dma/swiotlb.c|kernel/dma/direct.c|arch/x86/xen/mmu_pv.c|drivers/gpu/drm/ttm/|drivers/gpu/drm/virtio/)' )
areas=$(echo "$files" | sed -E 's|^(drivers/gpu/drm/ttm)/.*|\1|; s|^(drivers/gpu/drm/virtio)/.*|\1|' | sort -u | grep -cE '^(drivers/xen/swiotlb-xen.c|kernel/dma/swiotlb.c|kernel/dma/direct.c|arch/x86/xen/mmu_pv.c|drivers/gpu/drm/ttm|drivers/gpu/drm/virtio)$')
[ "$areas" -ge 3 ] && ok "entries touch $areas of the six DMA areas (at least 3)" || notok "entries touch at least 3 DMA areas" "found $areas ($dirs files)"

for p in $patches; do
	n_=$(basename "$p" .patch)
	miss=""
	for f in Subject Recreates Fixed-by Symptom Applies-to Suites; do
		grep -q "^$f: ." "$p" || miss="$miss $f"
	done
	[ -z "$miss" ] && ok "$n_: header names what it re-creates" || notok "$n_: header" "missing:$miss"
done

mpatches=$(ls "$mutants"/*.patch 2>/dev/null)
mcount=$(echo "$mpatches" | grep -c .)
[ "$mcount" -ge 20 ] && ok "mutants: $mcount (at least 20)" || notok "mutants: at least 20" "found $mcount"
for p in $mpatches; do
	n_=$(basename "$p" .patch)
	miss=""
	for f in Subject Mutant Breaks Capability Caught-by Applies-to Suites; do
		grep -q "^$f: ." "$p" || miss="$miss $f"
	done
	cap=$(sed -n 's/^Capability: //p' "$p" | head -n 1)
	case "$cap" in [1-9]|1[01]) ;; *) miss="$miss Capability(1..11, got '$cap')" ;; esac
	bad=$(sed -n 's|^+++ b/||p' "$p" | grep -vxE 'drivers/xen/swiotlb-xen.c|kernel/dma/swiotlb.c|kernel/dma/direct.[ch]|kernel/dma/mapping.c|arch/x86/xen/mmu_pv.c')
	[ -z "$bad" ] || miss="$miss (touches $bad)"
	[ -z "$miss" ] && ok "$n_: mutant header names what it breaks and its capability" || notok "$n_: mutant header" "missing or wrong:$miss"
done
capsmiss=""
for c in 1 2 3 4 5 6 7 8 9 10 11; do
	grep -lx "Capability: $c" $mpatches > /dev/null 2>&1 || capsmiss="$capsmiss $c"
done
[ -z "$capsmiss" ] && ok "mutants: every capability 1..11 has one" || notok "mutants: every capability 1..11 has one" "none for:$capsmiss"
# Every suite an entry names is one the runner boots (run.sh's lab_suites).
known=$(sed -n 's/^\t\t\([a-z0-9-]*\)) env=.*/\1/p' "$top/harness/regressions/run.sh" | tr '\n' ' ')
badsuites=""
for p in $patches $mpatches; do
	for s in $(sed -n 's/^Suites: //p' "$p" | head -n 1); do
		case " $known none " in *" $s "*) ;; *) badsuites="$badsuites $(basename "$p" .patch):$s" ;; esac
	done
done
[ -n "$known" ] && [ -z "$badsuites" ] && ok "every Suites: names a suite the runner knows ($known)" ||
	notok "every Suites: names a suite the runner knows (${known:-none found})" "unknown:$badsuites"
patches="$patches $mpatches"
files=$(for p in $patches; do sed -n 's|^+++ b/||p' "$p"; done | sort -u)

# Every tree an entry names: only the files the corpus touches, since
# decompressing is the slow part.
for tree in 6.1 6.12; do
	tarball=/usr/src/linux-source-$tree.tar.xz
	if [ ! -f "$tarball" ]; then
		notok "linux-source-$tree is installed (make deps installs it)"
		continue
	fi
	mkdir -p "$tmp/$tree"
	# shellcheck disable=SC2086
	tar -xJf "$tarball" -C "$tmp/$tree" $(echo "$files" | sed "s|^|linux-source-$tree/|") 2> "$tmp/tar.err"
	for p in $patches; do
		n_=$(basename "$p" .patch)
		sed -n 's/^Applies-to: //p' "$p" | tr ',' '\n' | grep -qx " *$tree" || continue
		if (cd "$tmp/$tree/linux-source-$tree" && patch -p1 --dry-run -s -f < "$p") > "$tmp/out" 2>&1; then
			ok "$n_: applies to linux-source-$tree"
		else
			notok "$n_: applies to linux-source-$tree" "$(head -n 3 "$tmp/out")"
		fi
	done
done
echo "corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
