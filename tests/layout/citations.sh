#!/bin/sh
# Sources and tests cite only what a reader of this repository can open:
# a Markdown file they name must be in the repository, and nothing may
# point into the developers' own shared notes (shared/...). Upstream code
# is cited by project, file and function instead.
# Prints each violation; exit 1 when there is one. Usage: citations.sh [TOP]
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 2
bad=0
files=$(find harness userspace kmod tests bench -type f \( -name '*.[ch]' -o -name '*.sh' -o -name '*.ini' \) \
	! -path 'tests/layout/citations.sh' | sort)
for f in $files; do
	# "shared/reference/x.md", "frameworks.md 2.2": every *.md a file names.
	for ref in $(grep -oE '[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b' "$f" | sort -u); do
		case "$ref" in
		build/*|*/build/*|work/*) continue ;;	# output a script writes, not a citation
		shared/*|*/shared/*) ;;
		*) [ -f "$ref" ] && continue
		   [ -n "$(find . -path ./.git -prune -o -name "$(basename "$ref")" -print | head -n 1)" ] && continue ;;
		esac
		echo "$f: cites $ref, which is not in this repository"
		bad=1
	done
done
n=$(echo "$files" | wc -l)
[ "$bad" -eq 0 ] && echo "citations: $n files checked, every cited document is in the repository"
exit "$bad"
