#!/bin/sh
# Print a run's results.json on the console, gzip + base64 between two
# marker lines, so the host can read it back from LAVA's log
# (harness/lava/check.sh). Usage: export.sh RESULTS_DIR
set -eu
dir=${1:?usage: export.sh RESULTS_DIR}
[ -f "$dir/results.json" ] || { echo "export.sh: no $dir/results.json" >&2; exit 2; }
echo "XENBOUNCE-RESULTS-JSON-BEGIN $(wc -c < "$dir/results.json")"
gzip -9c "$dir/results.json" | base64
echo "XENBOUNCE-RESULTS-JSON-END"
