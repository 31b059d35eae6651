"""xmllint against a run's SOAP exchanges: every request and answer of a `konform run` report
(summary.json, written with --show-cpr so CPRs are real) is validated with `xmllint --schema`
against the exported XSDs: the body element against <Service>.xsd, each caller header against
<Service>.headers.xsd, a fault's detail against dfdg-fault.xsd.

Every answer must validate. Every request body must validate unless the reference rejected it
as invalid (1001, 1014), or for its headers (8232-8234: the headers are read first, the body not
at all); every header block unless the request was rejected for its headers. The bodies
rejected as invalid are the corpus's deliberately broken requests, and the script reports how
many of them the XSD rejects too (a broken request the XSD accepts is one
the reference refuses on a ground the XSD cannot express, e.g. a date that is lexically fine
but does not exist).

Usage: python validate_exchanges.py SUMMARY_JSON EXPORT_DIR WORK_DIR
"""

import collections
import json
import os
import subprocess
import sys
from urllib.parse import urlparse

from lxml import etree

SUMMARY, EXPORTS, WORK = sys.argv[1:4]
SOAP_NS = {"http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"}

report = json.load(open(SUMMARY))
os.makedirs(WORK, exist_ok=True)

# (schema file, instance file, must validate, label)
instances = []
counter = 0


def child(el, local):
    for c in el:
        if isinstance(c.tag, str) and etree.QName(c).localname == local:
            return c
    return None


def save(element, schema, must, label):
    global counter
    counter += 1
    path = os.path.join(WORK, f"{counter:05}.xml")
    with open(path, "wb") as f:
        f.write(etree.tostring(element, xml_declaration=True, encoding="utf-8"))
    instances.append((schema, path, must, label))


def fault_codes(body):
    fault = child(body, "Fault")
    if fault is None:
        return None, None
    codes = set()
    for e in fault.iter():
        if isinstance(e.tag, str) and etree.QName(e).localname == "Code" and (e.text or "").strip().isdigit():
            codes.add(int(e.text))
    return fault, codes


exchanges = 0
for case in report["cases"]:
    for ex in case.get("exchanges") or []:
        path = urlparse(ex["request"]["url"]).path
        if not path.startswith("/soap/"):
            continue
        service = path.rsplit("/", 1)[-1]
        resp = ex.get("response")
        if not resp:
            continue
        exchanges += 1
        label = f'{case["id"]}'
        try:
            req_env = etree.fromstring(ex["request"]["body"].encode())
        except etree.XMLSyntaxError:
            req_env = None  # a deliberately malformed envelope
        try:
            resp_env = etree.fromstring(resp["body"].encode())
        except (etree.XMLSyntaxError, ValueError) as e:
            print(f"FAIL {label}: the answer is not XML: {e}")
            instances.append((None, None, True, label))
            continue
        resp_body = child(resp_env, "Body")
        fault, codes = fault_codes(resp_body)
        codes = codes or set()
        body_invalid = bool(codes & {1001, 1014})
        header_invalid = bool(codes & {8232, 8233, 8234})
        # The answer.
        if fault is not None:
            detail = child(fault, "detail")
            if detail is None:
                detail = child(fault, "Detail")
            errors = child(detail, "Errors") if detail is not None else None
            if errors is None:
                print(f"FAIL {label}: a fault without detail/Errors")
                instances.append((None, None, True, label))
            else:
                save(errors, "dfdg-fault.xsd", True, f"{label} (fault detail)")
        else:
            element = next((c for c in resp_body if isinstance(c.tag, str)), None)
            if element is not None:
                save(element, f"{service}.xsd", True, f"{label} (answer)")
        # The request.
        if req_env is None or etree.QName(req_env).namespace not in SOAP_NS:
            continue
        req_body = child(req_env, "Body")
        element = next((c for c in req_body if isinstance(c.tag, str)), None) if req_body is not None else None
        if element is not None:
            # A request refused for its headers was refused before its body was read (the
            # reference's order of checks): its body is not judged.
            must = False if body_invalid else (None if header_invalid else True)
            save(element, f"{service}.xsd", must, f"{label} (request)")
        header = child(req_env, "Header")
        if header is not None:
            for block in header:
                if isinstance(block.tag, str):
                    must = None if header_invalid else True
                    save(block, f"{service}.headers.xsd", must, f"{label} (header {etree.QName(block).localname})")

# Validate, one xmllint per schema, files in batches.
results = {}
by_schema = collections.defaultdict(list)
for schema, path, must, label in instances:
    if schema:
        by_schema[schema].append(path)
for schema, paths in sorted(by_schema.items()):
    for i in range(0, len(paths), 500):
        batch = paths[i : i + 500]
        out = subprocess.run(
            ["xmllint", "--noout", "--schema", os.path.join(EXPORTS, schema), *batch],
            capture_output=True,
            text=True,
        )
        if "failed to compile" in out.stderr or "WXS schema" in out.stderr and "compile" in out.stderr:
            print(out.stderr)
            sys.exit(f"FAIL {schema} does not compile")
        for line in out.stderr.splitlines():
            for p in batch:
                if line.startswith(p + " validates"):
                    results[p] = (True, "")
                elif line.startswith(p + " fails to validate"):
                    results.setdefault(p, (False, ""))
                elif line.startswith(p + ":"):
                    ok, msg = results.get(p, (False, ""))
                    results[p] = (False, (msg + " | " if msg else "") + line[len(p) + 1 :].strip())

failures = 0
must_count = 0
broken = 0
broken_rejected = 0
accepted_broken = collections.Counter()
for schema, path, must, label in instances:
    if schema is None:
        failures += 1
        continue
    ok, msg = results.get(path, (False, "no xmllint verdict"))
    if must is None:
        continue
    if must:
        must_count += 1
        if not ok:
            failures += 1
            print(f"FAIL {label}: {path} against {schema}: {msg}")
    else:
        broken += 1
        if ok:
            accepted_broken[label.split(" (")[0].split(".")[0]] += 1
            if os.environ.get("SHOW_ACCEPTED"):
                print(f"  accepted: {label} {path}")
        else:
            broken_rejected += 1

print(
    f"xmllint: {exchanges} SOAP exchanges; {must_count} requests, headers and answers that must "
    f"validate: {must_count - failures} valid, {failures} invalid; {broken} request bodies the "
    f"reference rejected as invalid: the XSD rejects {broken_rejected}, accepts {broken - broken_rejected}"
)
if accepted_broken:
    print("  broken requests the XSD accepts, by method: " + ", ".join(f"{m} {n}" for m, n in sorted(accepted_broken.items())))
sys.exit(1 if failures or exchanges == 0 else 0)
