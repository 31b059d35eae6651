"""jsonschema against a run's REST exchanges: every answer of a `konform run` report
(summary.json) to a REST method must have a status its operation in the exported OpenAPI
document lists, and a JSON body that validates against that response's schema. This
complements Schemathesis, whose random CPRs rarely name a known citizen: the corpus's answers
include every documented success body.

Usage: python validate_rest.py SUMMARY_JSON EXPORT_DIR
"""

import glob
import json
import re
import sys
from urllib.parse import urlparse

import jsonschema

SUMMARY, EXPORTS = sys.argv[1:3]
report = json.load(open(SUMMARY))

# (verb, compiled path regex, operation, document)
routes = []
for path in sorted(glob.glob(f"{EXPORTS}/*.openapi.json")):
    doc = json.load(open(path))
    for template, item in doc["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "/?$"
        for verb, op in item.items():
            routes.append((verb.upper(), re.compile(pattern, re.IGNORECASE), op, doc))
# Literal paths before templated ones, as the reference routes them.
routes.sort(key=lambda r: r[1].pattern.count("[^/]+"))


def resolve(doc, obj):
    while "$ref" in obj:
        node = doc
        for part in obj["$ref"].lstrip("#/").split("/"):
            node = node[part]
        obj = node
    return obj


checked = failures = successes = empty_successes = empty_refusals = 0
for case in report["cases"]:
    for ex in case.get("exchanges") or []:
        req, resp = ex["request"], ex.get("response")
        if not resp:
            continue
        path = urlparse(req["url"]).path
        route = next((r for r in routes if r[0] == req["method"] and r[1].match(path)), None)
        if route is None:
            continue
        _, _, op, doc = route
        checked += 1
        label = f'{case["id"]}: {req["method"]} {path} -> {resp["status"]}'
        response = op["responses"].get(str(resp["status"]))
        if response is None:
            failures += 1
            print(f"FAIL {label}: status not in the OpenAPI document")
            continue
        response = resolve(doc, response)
        content = response.get("content", {}).get("application/json")
        body = resp.get("body") or ""
        if content is None:
            if str(resp["status"]).startswith("2"):
                empty_successes += 1
            if body.strip():
                failures += 1
                print(f"FAIL {label}: a body where the document declares none")
            continue
        # A 4xx whose response names the refused-caller reading may come without a body: the
        # documents give no answer for a caller the access table does not list.
        readings = {r.get("name") for r in response.get("x-konform-reading", [])}
        if not body.strip() and str(resp["status"]).startswith("4") and "refused-caller-status" in readings:
            empty_refusals += 1
            continue
        try:
            value = json.loads(body)
        except ValueError as e:
            failures += 1
            print(f"FAIL {label}: the body is not JSON: {e}")
            continue
        # The schema with the document's components beside it, so its `#/components/...`
        # references resolve.
        errors = list(
            jsonschema.Draft202012Validator({**content["schema"], "components": doc["components"]}).iter_errors(value)
        )
        if errors:
            failures += 1
            print(f"FAIL {label}: {errors[0].message} at /{'/'.join(map(str, errors[0].absolute_path))}")
        elif str(resp["status"]).startswith("2"):
            successes += 1

print(
    f"jsonschema: {checked} REST answers checked against the OpenAPI documents "
    f"({successes} successes with a JSON body, {empty_successes} without; "
    f"{empty_refusals} refusals without a body): "
    f"{checked - failures} conform, {failures} do not"
)
sys.exit(1 if failures or checked == 0 else 0)
