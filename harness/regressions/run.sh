#!/bin/sh
# make regressions: rebuild real upstream DMA regressions in the lab kernel
# and see whether the suite catches each one.
#
# The tree is Debian's linux-source-6.1 (the lab's kernel, 6.1.x), or with
# --tree 6.12 Debian's linux-source-6.12 (entries whose Applies-to names
# that tree), built
# once with harness/bisect/dom0.config (allnoconfig plus what the lab
# needs). The base kernel must come out good in every one of
# REGRESSIONS_BASE_RUNS runs (default 2, at least 2): a test that is not
# stable on the base cannot detect anything. Then each corpus entry
# (harness/regressions/corpus/NN-*.patch, each naming the upstream commit
# it re-creates) is applied, built incrementally, booted in the lab with
# the suites its header names, and reported:
#   detected    a test failed (fail, timeout, crash) with a finding, or
#               with an expected finding missing, and that test passed in
#               every base run: the table names it and its finding kinds
#   missed      every suite passed
#   untestable  anything else, with the reason: no build, no boot, a lab
#               or harness error, an incomplete run, a failure without a
#               finding, or only tests that were not stable on the base
#
# The mutants (harness/regressions/mutants/mNN-*.patch) are run the same
# way: small deliberate bugs of our own (no upstream commit), each header
# naming what it breaks and the capability (Capability: N, issue #26) that
# should catch it. A mutant may say Expect: detected; it then counts like
# a corpus entry. One without it may be missed (a capability not built
# yet, or a documented reason) without failing the run.
#
# Usage: harness/regressions/run.sh [-k] [--tree 6.1|6.12]
#                                   [--set corpus|mutants|all] [ENTRY...]
#   -k     keep going after a base kernel that is not good (for diagnosis)
#   --set  which entries: the corpus, the mutants or both (default all;
#          or REGRESSIONS_SET)
#   ENTRY: NN, mNN or a name; default every entry of the set that applies
#          to the tree
# Writes its table to build/regressions/results.md (and .tsv; build/regressions-6.12
# for 6.12); exit 0 when the base is good, every corpus entry is detected
# (or out of reach) and every mutant applies, builds and, if it says
# Expect: detected, is detected; 1 otherwise; 2 on a usage error.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$top/harness/regressions/corpus
mutants=$top/harness/regressions/mutants
keep=0
tree=6.1
set_=${REGRESSIONS_SET:-all}
while [ $# -gt 0 ]; do
	case "$1" in
	-k) keep=1; shift ;;
	--tree) [ $# -ge 2 ] || { echo "regressions: --tree 6.1 or 6.12" >&2; exit 2; }; tree=$2; shift 2 ;;
	--set) [ $# -ge 2 ] || { echo "regressions: --set corpus, mutants or all" >&2; exit 2; }; set_=$2; shift 2 ;;
	-*) echo "regressions: unknown option $1 (-k, --tree 6.1|6.12, --set corpus|mutants|all)" >&2; exit 2 ;;
	*) break ;;
	esac
done
case "$set_" in
corpus) dirs=$corpus ;;
mutants) dirs=$mutants ;;
all) dirs="$corpus $mutants" ;;
*) echo "regressions: --set $set_: use corpus, mutants or all" >&2; exit 2 ;;
esac
case "$tree" in
6.1) work=${REGRESSIONS_DIR:-$top/build/regressions} ;;
6.12) work=${REGRESSIONS_DIR:-$top/build/regressions-6.12} ;;
*) echo "regressions: --tree 6.1 or 6.12" >&2; exit 2 ;;
esac
jobs=$(nproc)
base_runs=${REGRESSIONS_BASE_RUNS:-2}
case "$base_runs" in [2-9]|[1-9][0-9]) ;; *) echo "regressions: REGRESSIONS_BASE_RUNS=$base_runs: 2 or more" >&2; exit 2 ;; esac
tarball=/usr/src/linux-source-$tree.tar.xz
[ -f "$tarball" ] || { echo "regressions: apt-get install linux-source-$tree" >&2; exit 2; }
[ -x "$top/build/xenbounce" ] || { echo "regressions: build the harness first (make)" >&2; exit 2; }
src=$work/linux-source-$tree
say() { echo "regressions: $*" >&2; }
mkdir -p "$work/logs"

# Entries run in the order named (in file order without names).
entries=""
for want in "${@:-}"; do
	for p in $(for d in $dirs; do ls "$d"/*.patch 2>/dev/null; done); do
		[ -f "$p" ] || continue
		n=$(basename "$p" .patch)
		# Only entries that say they apply to this tree.
		sed -n 's/^Applies-to: //p' "$p" | tr ',' '\n' | grep -qx " *$tree\( .*\)\?" || continue
		case "$want" in "") entries="$entries $p"; continue ;; esac
		case "$n" in "$want"|"$want"-*) entries="$entries $p" ;; esac
	done
done
[ -n "$entries" ] || { say "no $set_ entry for $tree matches: ${*:-(none in the set)}"; exit 2; }

field() { sed -n "s/^$2: //p" "$1" | head -n 1; }

# The tree, once: a git repository so each entry is undone exactly.
if [ ! -d "$src/.git" ]; then
	say "unpacking $tarball"
	rm -rf "$src"
	tar -xJf "$tarball" -C "$work" || exit 1
	(cd "$src" && git init -q && git config user.email regressions@xenbounce.invalid &&
		git config user.name "xenbounce regressions" && git add -A -f . &&
		git commit -qm "Linux $tree (Debian linux-source-$tree)") || exit 1
fi
cd "$src" || exit 1
git checkout -q -f HEAD && git clean -qfd -e .config || exit 1

# lab ENTRY SUITES: boot the tree's kernel with each suite; prints the
# worst lab exit (1 beats 0; anything else is "could not test").
lab_suites() {
	name=$1
	shift
	worst=0
	for suite in "$@"; do
		case "$suite" in
		default) env="LAB_SCENARIOS=$top/scenarios" ;;
		depth) env="LAB_SCENARIOS=$top/scenarios/depth" ;;
		bare) env="LAB_FLAVOUR=bare LAB_SCENARIOS=$top/scenarios/bare" ;;
		bare-noiommu) env="LAB_FLAVOUR=bare LAB_IOMMU=none LAB_SCENARIOS=$top/scenarios/bare" ;;
		bare-direct) env="LAB_FLAVOUR=bare LAB_IOMMU=none LAB_SWIOTLB_FORCE=no LAB_MEM=5120 LAB_SWIOTLB=128 LAB_SCENARIOS=$top/scenarios/bare-direct" ;;
		virtio-gpu-platform) env="LAB_GPU=virtio-gpu,iommu_platform=on LAB_SCENARIOS=$top/scenarios/virtio-gpu-platform" ;;
		*) say "$name: unknown suite $suite (default, depth, bare, bare-noiommu, bare-direct, virtio-gpu-platform, none)"; echo 2; return ;;
		esac
		rm -rf "$work/results/$name-$suite"
		mkdir -p "$work/results/$name-$suite"
		# shellcheck disable=SC2086
		env $env LAB_KERNEL="$src/arch/x86/boot/bzImage" LAB_KMOD="$top/build/kernel-kmod/xenbounce.ko" \
			LAB_BISECT=1 LAB_RESULTS="$work/results/$name-$suite" \
			"$top/harness/lab/lab.sh" run > "$work/logs/$name-$suite.lab.log" 2>&1
		rc=$?
		echo "$rc" > "$work/results/$name-$suite/rc"
		case "$rc" in
		0) ;;
		1) worst=1 ;;
		*) [ "$worst" = 0 ] && worst=$rc ;;
		esac
	done
	echo "$worst"
}

# stable and judge: what "detected" means (harness/regressions/judge.sh).
. "$top/harness/regressions/judge.sh"

printf 'entry\tfixed upstream by\tcapability\tfile\tverdict\tcaught by (test: finding kinds)\tseconds\n' > "$work/results.tsv"
t0=$(date +%s)
say "building the base kernel ($jobs jobs; the first build is the long one)"
if ! "$top/harness/bisect/build-kernel.sh" "$work/logs/base.build.log" "$jobs"; then
	say "the base kernel does not build; see $work/logs/base.build.log"
	exit 1
fi
base_build=$(($(date +%s) - t0))
# The base runs every suite an entry names: each must be good on it.
suites_all=$(for p in $entries; do field "$p" Suites; done | tr ' ' '\n' | grep -v '^none$' | sort -u | tr '\n' ' ')
say "base suites: ${suites_all:-default}"
# Every base run must be good: any test that did not pass there is named.
base=good
base_bad=""
i=1
while [ $i -le "$base_runs" ]; do
	# shellcheck disable=SC2086
	rc=$(lab_suites "base$i" ${suites_all:-default})
	if [ "$rc" != 0 ]; then
		base=bad
		notpass=$(for r in "$work/results/base$i"-*/lab-*/run/results.json; do
			[ -f "$r" ] && jq -r '.tests[] | select(.status != "pass" and .status != "skip" and .status != "xfail") | "\(.name): \(.status)"' "$r"
		done | tr '\n' ';' | sed 's/;$//; s/;/; /g')
		base_bad="${base_bad:+$base_bad; }run $i: lab exit $rc${notpass:+ ($notpass)}"
	fi
	i=$((i + 1))
done
base_secs=$(($(date +%s) - t0))
printf 'base\tDebian %s (%s)\t-\t-\t%s (%s runs)\t%s\t%s\n' "$tree" "$(make -s kernelrelease)" "$base" "$base_runs" "${base_bad:--}" "$base_secs" >> "$work/results.tsv"
say "base: $base in $base_runs runs${base_bad:+: $base_bad} (build ${base_build}s, all ${base_secs}s)"
if [ "$base" != good ] && [ "$keep" = 0 ]; then
	say "the base kernel must be good; see $work/results/base-*"
	exit 1
fi

all=0
nm=0 md=0 mm=0 mu=0
for p in $entries; do
	n=$(basename "$p" .patch)
	t=$(date +%s)
	up=$(field "$p" Fixed-by | cut -c1-12)
	cap=$(field "$p" Capability)
	mutant=0
	case "$p" in "$mutants"/*) mutant=1; up="mutant"; nm=$((nm + 1)) ;; esac
	rm -rf "$work/results/$n"-*
	file=$(sed -n 's|^+++ b/||p' "$p" | head -n 1)
	suites=$(field "$p" Suites)
	if [ "$suites" = none ]; then
		# No device in the lab reaches this code; the header says why.
		v="out of reach"
		say "$n: out of reach: $(field "$p" Out-of-reach)"
	elif ! git apply "$p" 2> "$work/logs/$n.apply.log"; then
		v="untestable (does not apply)"
	elif ! "$top/harness/bisect/build-kernel.sh" "$work/logs/$n.build.log" "$jobs"; then
		v="untestable (does not build)"
	else
		# shellcheck disable=SC2086
		lab_suites "$n" ${suites:-default} > /dev/null
		# shellcheck disable=SC2086
		v=$(judge "$n" ${suites:-default})
	fi
	git checkout -q -f HEAD
	secs=$(($(date +%s) - t))
	case "$v" in *"	"*) by=${v#*	}; v=${v%%	*} ;; *) by=- ;; esac
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$up" "${cap:--}" "$file" "$v" "$by" "$secs" >> "$work/results.tsv"
	say "$n: $v$( [ "$by" = - ] || echo " by $by") (${secs}s)"
	if [ "$mutant" = 1 ]; then
		# A mutant fails the run when it cannot be tried (it must apply
		# and build) or when it says it is caught and is not.
		case "$v" in
		detected) md=$((md + 1)) ;;
		missed) mm=$((mm + 1)) ;;
		*) mu=$((mu + 1)) ;;
		esac
		case "$v" in "untestable (does not"*) all=1 ;; esac
		expect=$(field "$p" Expect)
		if [ -n "$expect" ] && [ "$expect" != "$v" ]; then
			say "$n: expected $expect, got $v"
			all=1
		fi
	else
		case "$v" in detected|"out of reach"*) ;; *) all=1 ;; esac
	fi
done
# The tree is left as the base again; rebuild it so a rerun starts warm.
"$top/harness/bisect/build-kernel.sh" "$work/logs/base.rebuild.log" "$jobs" || true

{
	echo "| entry | fixed upstream by | capability | file | verdict | caught by (test: finding kinds) | seconds |"
	echo "| --- | --- | --- | --- | --- | --- | ---: |"
	tail -n +2 "$work/results.tsv" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
	echo
	[ "$nm" = 0 ] || echo "Mutants: $md detected, $mm missed, $mu untestable, of $nm."
	echo "Total wall time: $(($(date +%s) - t0)) s."
} > "$work/results.md"
cat "$work/results.md"
[ "$base" = good ] && [ "$all" = 0 ]
