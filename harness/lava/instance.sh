#!/bin/sh
# A real LAVA instance on this machine, without systemd: Debian 12's
# PostgreSQL 15 cluster, lava-server's web UI and API (gunicorn), its
# scheduler, and LAVA_WORKERS lava-worker processes, each with one device
# of the reference lab's device type (harness/lava/xenbounce-lab.jinja2).
#
# Usage: harness/lava/instance.sh up|down|status|env   (root)
#   up      start what is not running, create what is missing (idempotent)
#   down    stop everything "up" started (workers, their lava-run and QEMU,
#           scheduler, gunicorn, and PostgreSQL if "up" started it)
#   status  what runs, the workers and devices as the server sees them
#   env     print LAVA_URL, LAVA_USER, LAVA_TOKEN (shell) for lavacli/curl
# Knobs: LAVA_PORT (8100), LAVA_WORKERS (2), LAVA_STATE
# (/var/lib/xenbounce-lava: pid files, logs, tokens, the workers' dirs).
# Exit: 0 done, 2 usage, 3 the instance could not be brought up or down.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
LAVA_PORT=${LAVA_PORT:-8100}
LAVA_WORKERS=${LAVA_WORKERS:-2}
LAVA_STATE=${LAVA_STATE:-/var/lib/xenbounce-lava}
LAVA_USER=xenbounce
DT=xenbounce-lab
PG_VER=15
PG_CLUSTER=main
DC=/etc/lava-server/dispatcher-config
URL=http://127.0.0.1:$LAVA_PORT

say() { echo "lava-instance: $*" >&2; }
die() { say "ERROR: $*"; exit 3; }
manage() { lava-server manage "$@"; }

case "$LAVA_WORKERS" in [1-9]) ;; *) echo "lava-instance: LAVA_WORKERS=$LAVA_WORKERS: 1 to 9" >&2; exit 2 ;; esac
case "$LAVA_PORT" in *[!0-9]*|"") echo "lava-instance: LAVA_PORT=$LAVA_PORT: a port number" >&2; exit 2 ;; esac

# alive NAME: the process in LAVA_STATE/NAME.pid runs.
alive() {
	[ -s "$LAVA_STATE/$1.pid" ] && kill -0 "$(cat "$LAVA_STATE/$1.pid")" 2>/dev/null
}

# spawn NAME COMMAND...: start COMMAND in its own session (its process
# group is its pid, so "down" stops its children too), pid in NAME.pid.
spawn() {
	name=$1
	shift
	if alive "$name"; then
		say "$name runs (pid $(cat "$LAVA_STATE/$name.pid"))"
		return 0
	fi
	setsid "$@" >> "$LAVA_STATE/$name.out" 2>&1 < /dev/null &
	echo $! > "$LAVA_STATE/$name.pid"
	say "$name started (pid $!)"
}

api_up() {
	curl -fsS -o /dev/null "$URL/api/v0.2/system/version/" 2>/dev/null
}

up() {
	start=$(date +%s)
	command -v lava-server >/dev/null && command -v lava-worker >/dev/null && command -v lavacli >/dev/null ||
		die "lava-server, lava-worker or lavacli missing (harness/deps.sh lava-instance installs them)"
	mkdir -p "$LAVA_STATE" || die "cannot create $LAVA_STATE"

	# PostgreSQL: the packaged cluster, started by hand when it is down.
	if ! pg_lsclusters -h "$PG_VER" "$PG_CLUSTER" 2>/dev/null | grep -q online; then
		pg_lsclusters -h "$PG_VER" "$PG_CLUSTER" 2>/dev/null | grep -q . ||
			pg_createcluster "$PG_VER" "$PG_CLUSTER" >&2 || die "could not create PostgreSQL $PG_VER/$PG_CLUSTER"
		pg_ctlcluster "$PG_VER" "$PG_CLUSTER" start || die "could not start PostgreSQL $PG_VER/$PG_CLUSTER"
		touch "$LAVA_STATE/postgres.started"
		say "PostgreSQL $PG_VER/$PG_CLUSTER started"
	fi
	pg_isready -q -t 30 || die "PostgreSQL does not answer"
	# What lava-server's postinst does when PostgreSQL runs (it skips the
	# database when it does not, as under a policy-rc.d that starts no
	# service): settings, role, database, migrations. Idempotent.
	if [ ! -e "$LAVA_STATE/db.done" ]; then
		/usr/bin/python3 /usr/share/lava-server/postinst.py --config --db > "$LAVA_STATE/postinst.log" 2>&1 ||
			{ tail -n 20 "$LAVA_STATE/postinst.log" >&2; die "lava-server's postinst (database) failed"; }
		touch "$LAVA_STATE/db.done"
	fi

	# The device type and one device per worker, as files the server reads.
	install -D -m 0644 "$top/harness/lava/xenbounce-lab.jinja2" "$DC/device-types/$DT.jinja2" ||
		die "could not install the device type"
	i=1
	while [ "$i" -le "$LAVA_WORKERS" ]; do
		printf "{%% extends '%s.jinja2' %%}\n" "$DT" > "$DC/devices/xb-lab-$i.jinja2"
		i=$((i + 1))
	done

	# The user, its API token (created once), the device type, the
	# workers and the devices: the database's side. One listing of each
	# (every "lava-server manage" starts Django: about 3 s here).
	users=$(manage users list) || die "lava-server manage users list failed"
	printf '%s\n' "$users" | grep -qw "$LAVA_USER" ||
		manage users add "$LAVA_USER" --superuser --staff >/dev/null || die "could not create user $LAVA_USER"
	if [ ! -s "$LAVA_STATE/token" ]; then
		tok=$(manage tokens add --user "$LAVA_USER" --description xenbounce-nightly)
		[ -n "$tok" ] || die "could not create an API token"
		printf '%s\n' "$tok" > "$LAVA_STATE/token"
		chmod 600 "$LAVA_STATE/token"
	fi
	manage device-types list | grep -qw "$DT" ||
		manage device-types add "$DT" >/dev/null || die "could not add device type $DT"
	workers=$(manage workers list) || die "lava-server manage workers list failed"
	devices=$(manage devices list --all) || die "lava-server manage devices list failed"
	i=1
	while [ "$i" -le "$LAVA_WORKERS" ]; do
		w=xb-worker-$i
		printf '%s\n' "$workers" | grep -qw "$w" ||
			manage workers add "$w" --description "xenbounce worker $i" >/dev/null || die "could not add worker $w"
		if [ ! -s "$LAVA_STATE/$w.token" ]; then
			manage workers details "$w" | sed -n 's/^token *: *//p' > "$LAVA_STATE/$w.token"
			[ -s "$LAVA_STATE/$w.token" ] || die "no token for worker $w"
			chmod 600 "$LAVA_STATE/$w.token"
		fi
		d=xb-lab-$i
		if ! printf '%s\n' "$devices" | grep -qw "$d"; then
			manage devices add "$d" --device-type "$DT" --worker "$w" \
				--description "reference lab (QEMU, Xen, dom0) on $w" >/dev/null || die "could not add device $d"
			# A new device has Unknown health and, with no health check
			# for its type, would wait: the lab device is GOOD (nightly.sh
			# sets MAINTENANCE to run on fewer workers).
			manage devices update "$d" --health GOOD >/dev/null || die "could not set $d GOOD"
		fi
		i=$((i + 1))
	done

	# The server (gunicorn as in lava-server-gunicorn.service, bound to
	# LAVA_PORT), the scheduler and the workers.
	spawn gunicorn gunicorn3 lava_server.wsgi --log-level INFO --log-file "$LAVA_STATE/gunicorn.log" \
		-u lavaserver -g lavaserver --worker-class eventlet --workers 2 --timeout 300 \
		--bind "127.0.0.1:$LAVA_PORT"
	n=0
	until api_up; do
		n=$((n + 1))
		alive gunicorn || { tail -n 20 "$LAVA_STATE/gunicorn.out" "$LAVA_STATE/gunicorn.log" >&2; die "gunicorn exited"; }
		[ "$n" -lt 120 ] || die "lava-server's API does not answer on $URL after 120 s"
		sleep 1
	done
	spawn scheduler lava-server manage lava-scheduler --level INFO --log-file "$LAVA_STATE/scheduler.log"
	i=1
	while [ "$i" -le "$LAVA_WORKERS" ]; do
		w=xb-worker-$i
		mkdir -p "$LAVA_STATE/$w"
		# libguestfs (LAVA's test overlay disk) under TCG: a KVM that is
		# present but cannot run it fails it (harness/lava/run.sh).
		spawn "$w" env LIBGUESTFS_BACKEND_SETTINGS=force_tcg lava-worker --name "$w" \
			--url "$URL/" --token-file "$LAVA_STATE/$w.token" --worker-dir "$LAVA_STATE/$w" \
			--http-timeout 600 --log-file "$LAVA_STATE/$w.log" --level INFO
		i=$((i + 1))
	done
	# Up when the server sees every worker online.
	n=0
	while :; do
		online=$(curl -fsS -H "Authorization: Token $(cat "$LAVA_STATE/token")" \
			"$URL/api/v0.2/workers/?limit=100" 2>/dev/null |
			jq -r '.results[] | select(.state == "Online") | .hostname' | grep -c '^xb-worker-')
		[ "$online" -ge "$LAVA_WORKERS" ] && break
		n=$((n + 1))
		[ "$n" -lt 120 ] || die "only $online of $LAVA_WORKERS workers online after 120 s ($LAVA_STATE/xb-worker-*.log)"
		sleep 1
	done
	say "up in $(($(date +%s) - start)) s: $URL, user $LAVA_USER, $LAVA_WORKERS workers, devices xb-lab-1..$LAVA_WORKERS ($DT)"
}

# stop NAME: TERM the process group NAME.pid leads, KILL after 30 s.
stop() {
	alive "$1" || { rm -f "$LAVA_STATE/$1.pid"; return 0; }
	pid=$(cat "$LAVA_STATE/$1.pid")
	# "kill -s SIG -- -PGID": dash's kill takes a group only in this form.
	kill -s TERM -- "-$pid" 2>/dev/null || kill -s TERM "$pid"
	n=0
	while kill -s 0 -- "-$pid" 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -ge 30 ]; then
			say "$1 (group $pid) did not stop in 30 s: KILL"
			kill -s KILL -- "-$pid" 2>/dev/null
			sleep 1
			break
		fi
		sleep 1
	done
	rm -f "$LAVA_STATE/$1.pid"
	say "$1 stopped"
}

# descendants PID...: every process below PID (lava-worker starts each
# lava-run in its own process group, and QEMU runs in its own session).
descendants() {
	ps -eo pid=,ppid= | awk -v roots=" $* " '
	{ parent[$1] = $2 }
	END {
		do {
			added = 0
			for (p in parent)
				if (!(p in seen) && index(roots, " " parent[p] " ")) { seen[p] = 1; roots = roots p " "; added = 1 }
		} while (added)
		for (p in seen) print p
	}'
}

down() {
	[ -d "$LAVA_STATE" ] || { say "nothing to stop ($LAVA_STATE absent)"; return 0; }
	wpids=""
	for f in "$LAVA_STATE"/xb-worker-*.pid; do
		[ -e "$f" ] && alive "$(basename "$f" .pid)" && wpids="$wpids $(cat "$f")"
	done
	# Running jobs first: lava-run ends its job on TERM (and QEMU with it).
	below=""
	[ -z "$wpids" ] || below=$(descendants $wpids)
	for p in $below; do
		case "$(ps -o comm= -p "$p" 2>/dev/null)" in lava-run*) say "ending lava-run $p"; kill -s TERM "$p" ;; esac
	done
	n=0
	while [ -n "$below" ] && [ "$n" -lt 30 ] && ps -o pid= -p "$(echo $below | tr ' ' ',')" 2>/dev/null | grep -q .; do
		[ -n "$(for p in $below; do ps -o comm= -p "$p"; done 2>/dev/null | grep "^lava-run")" ] || break
		n=$((n + 1))
		sleep 1
	done
	for f in "$LAVA_STATE"/xb-worker-*.pid; do
		[ -e "$f" ] || continue
		stop "$(basename "$f" .pid)"
	done
	for p in $below; do
		kill -s 0 "$p" 2>/dev/null || continue
		say "killing $(ps -o comm= -p "$p") ($p), left by a job"
		kill -s KILL "$p" 2>/dev/null
	done
	stop scheduler
	stop gunicorn
	if [ -e "$LAVA_STATE/postgres.started" ]; then
		pg_ctlcluster "$PG_VER" "$PG_CLUSTER" stop || die "could not stop PostgreSQL"
		rm -f "$LAVA_STATE/postgres.started"
		say "PostgreSQL $PG_VER/$PG_CLUSTER stopped"
	fi
	left=""
	for f in "$LAVA_STATE"/*.pid; do
		[ -e "$f" ] && left="$left $(basename "$f" .pid)"
	done
	[ -z "$left" ] || die "still running:$left"
}

status() {
	for f in gunicorn scheduler $(cd "$LAVA_STATE" 2>/dev/null && ls xb-worker-*.pid 2>/dev/null | sed 's/\.pid$//'); do
		if alive "$f"; then echo "$f: running (pid $(cat "$LAVA_STATE/$f.pid"))"; else echo "$f: stopped"; fi
	done
	api_up || { echo "api: no answer on $URL"; return 1; }
	auth="Authorization: Token $(cat "$LAVA_STATE/token")"
	curl -fsS -H "$auth" "$URL/api/v0.2/workers/?limit=100" | jq -r '.results[] | "worker \(.hostname): \(.state), \(.health)"'
	curl -fsS -H "$auth" "$URL/api/v0.2/devices/?limit=100" | jq -r '.results[] | "device \(.hostname) (\(.device_type)) on \(.worker_host): \(.state), \(.health)"'
}

case "${1:-}" in
up|down|status)
	[ "$(id -u)" -eq 0 ] || die "run as root"
	"$1" ;;
env)
	[ -s "$LAVA_STATE/token" ] || die "no instance (harness/lava/instance.sh up)"
	echo "LAVA_URL=$URL"
	echo "LAVA_USER=$LAVA_USER"
	echo "LAVA_TOKEN=$(cat "$LAVA_STATE/token")" ;;
*)
	echo "usage: harness/lava/instance.sh up|down|status|env   (LAVA_PORT, LAVA_WORKERS, LAVA_STATE)" >&2
	exit 2 ;;
esac
