#!/usr/bin/python3
"""Validate xenbounce's LAVA templates with LAVA's own validators, offline.

    validate.py job FILE...            a rendered job: lava_common.schemas.validate
                                       (strict), what lava-server's
                                       scheduler.jobs.validate and lava-run run
    validate.py device TEMPLATE CONTEXT_JSON
                                       the device-type template rendered as
                                       lava-server renders a device dictionary
                                       that extends it, with a job's context,
                                       then lava_common.schemas.device.validate
                                       (what "lava-server manage devices check"
                                       runs), printed as YAML on stdout
Exit 0 valid, 1 invalid (the path and LAVA's message on stderr), 2 usage.
"""
import json
import os
import sys

import jinja2
import voluptuous
import yaml
from lava_common.schemas import validate as validate_job
from lava_common.schemas.device import validate as validate_device


def job(paths):
    bad = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                data = yaml.safe_load(f)
            validate_job(data, strict=True)
            print("valid job: %s" % path)
        except (OSError, yaml.YAMLError) as exc:
            print("%s: cannot read: %s" % (path, exc), file=sys.stderr)
            bad = 1
        except voluptuous.Invalid as exc:
            print("%s: invalid job: %s (at %s)" % (path, exc.msg, "/".join(map(str, exc.path))), file=sys.stderr)
            bad = 1
    return bad


def device(template, context_json):
    context = json.loads(context_json)
    name = os.path.basename(template)
    dirs = [os.path.dirname(os.path.abspath(template)), "/usr/share/lava-server/device-types"]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(dirs), autoescape=False, trim_blocks=True)
    # A device dictionary as instance.sh writes it: it only extends the type.
    text = env.from_string("{%% extends '%s' %%}" % name).render(**context)
    try:
        data = yaml.safe_load(text)
        validate_device(data)
    except yaml.YAMLError as exc:
        print("%s: renders no YAML: %s" % (template, exc), file=sys.stderr)
        return 1
    except voluptuous.Invalid as exc:
        print("%s: invalid device: %s (at %s)" % (template, exc.msg, "/".join(map(str, exc.path))), file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "job":
        return job(argv[1:])
    if len(argv) == 3 and argv[0] == "device":
        return device(argv[1], argv[2])
    print(__doc__.strip(), file=sys.stderr)
    return 2


sys.exit(main(sys.argv[1:]))
