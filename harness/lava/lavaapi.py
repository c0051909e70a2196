#!/usr/bin/python3
"""The LAVA server's REST API (v0.2) for harness/lava/nightly.sh.

    lavaapi.py state ID...            one line per job: ID STATE HEALTH DEVICE
    lavaapi.py fetch ID DIR           DIR/job.json (the job, its failure_comment),
                                      DIR/log.jsonl (its log, one record a line),
                                      DIR/results.jsonl (its test cases from the
                                      results API, as {"lvl": "results", "msg":
                                      {"definition", "case", "result"}} records)
    lavaapi.py devices DT             one line per device of type DT: NAME HEALTH STATE
    lavaapi.py hung ID SECONDS        exit 0 (and print the last console line) when
                                      job ID's console printed something, then
                                      nothing for SECONDS, and dom0's init has not
                                      said "xenbounce-lava: booted" (the lab's boot
                                      hang, harness/lab/lab.sh LAB_BOOT_SILENCE);
                                      exit 1 otherwise
Environment: LAVA_URL (http://127.0.0.1:8100), LAVA_TOKEN.
Exit 0, 1 on an API error (named on stderr), 2 usage.
"""
import json
import os
import sys
import urllib.error
import urllib.request

import yaml

URL = os.environ.get("LAVA_URL", "http://127.0.0.1:8100").rstrip("/")
TOKEN = os.environ.get("LAVA_TOKEN", "")


def get(path, raw=False):
    req = urllib.request.Request(URL + path if path.startswith("/") else path)
    if TOKEN:
        req.add_header("Authorization", "Token " + TOKEN)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            body = resp.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and raw:
            return b""
        sys.exit("lavaapi: GET %s: %s" % (path, exc))
    except (urllib.error.URLError, OSError) as exc:
        sys.exit("lavaapi: GET %s: %s" % (path, exc))
    return body if raw else json.loads(body)


def pages(path):
    data = get(path)
    while True:
        yield from data["results"]
        if not data.get("next"):
            return
        data = get(data["next"])


def state(ids):
    for i in ids:
        job = get("/api/v0.2/jobs/%d/" % int(i))
        print(i, job["state"].replace(" ", "_"), job["health"], job.get("actual_device") or "-")


def fetch(i, out):
    i = int(i)
    os.makedirs(out, exist_ok=True)
    job = get("/api/v0.2/jobs/%d/" % i)
    with open(os.path.join(out, "job.json"), "w", encoding="utf-8") as f:
        json.dump(job, f, indent=1)
    # The log as the server stores it: a YAML list, one "- {...}" a line.
    log = get("/api/v0.2/jobs/%d/logs/" % i, raw=True).decode("utf-8", "replace")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(os.path.join(out, "log.jsonl"), "w", encoding="utf-8") as f:
        for n, line in enumerate(log.splitlines(), 1):
            if not line.strip():
                continue
            rec = yaml.load(line[2:] if line.startswith("- ") else line, Loader=loader)
            if not isinstance(rec, dict) or "lvl" not in rec or "msg" not in rec:
                sys.exit("lavaapi: job %d's log, line %d: not a LAVA log record" % (i, n))
            f.write(json.dumps(rec) + "\n")
    suites = {s["id"]: s["name"] for s in pages("/api/v0.2/jobs/%d/suites/?limit=100" % i)}
    with open(os.path.join(out, "results.jsonl"), "w", encoding="utf-8") as f:
        for t in pages("/api/v0.2/jobs/%d/tests/?limit=500" % i):
            rec = {"lvl": "results", "msg": {"definition": suites.get(t["suite"], "?"), "case": t["name"], "result": t["result"]}}
            f.write(json.dumps(rec) + "\n")


def devices(dt):
    for d in pages("/api/v0.2/devices/?limit=100&device_type=%s" % dt):
        print(d["hostname"], d["health"], d["state"])


def hung(i, seconds):
    from datetime import datetime

    log = get("/api/v0.2/jobs/%d/logs/" % int(i), raw=True).decode("utf-8", "replace")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    last = None
    for line in log.splitlines():
        if '"lvl": "target"' not in line:
            continue
        rec = yaml.load(line[2:] if line.startswith("- ") else line, Loader=loader)
        if "xenbounce-lava: booted" in str(rec.get("msg")):
            return 1
        last = rec
    if last is None:
        return 1
    # The worker writes the log's "dt" in UTC, on this machine's clock.
    silent = datetime.utcnow() - datetime.fromisoformat(str(last["dt"]).rstrip("Z"))
    if silent.total_seconds() < float(seconds):
        return 1
    print("%.0f s without a console line after: %s" % (silent.total_seconds(), str(last["msg"])[:120]))
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "state":
        state(argv[1:])
    elif len(argv) == 3 and argv[0] == "fetch":
        fetch(argv[1], argv[2])
    elif len(argv) == 2 and argv[0] == "devices":
        devices(argv[1])
    elif len(argv) == 3 and argv[0] == "hung":
        return hung(argv[1], argv[2])
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


sys.exit(main(sys.argv[1:]))
