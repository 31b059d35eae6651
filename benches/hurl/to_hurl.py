#!/usr/bin/env python3
"""Turns a konform run's summary.json (run with --show-cpr against `konform serve`) into one
Hurl file per case that sends the same requests and asserts the same statuses, plus a Hurl
variables file with one bearer token per caller role. Standard library only.

    python3 to_hurl.py SUMMARY_JSON OUT_DIR TOKEN_URL CLIENT_SECRET

Every request keeps its method, URL, headers and body; `Authorization` becomes the role's
token (`{{token_<role>}}`, fetched once here, as konform caches its tokens) and `x-requestId`
becomes `{{newUuid}}` (the recording run already used the recorded ones, and the server
refuses a repeated one with 412). Each request asserts the status konform recorded.
"""

import json
import pathlib
import sys
import urllib.parse
import urllib.request


def token(token_url: str, client_id: str, secret: str) -> str:
    form = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    ).encode()
    with urllib.request.urlopen(urllib.request.Request(token_url, data=form)) as r:
        return json.load(r)["access_token"]


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    summary, out, token_url, secret = sys.argv[1:]
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    run = json.loads(pathlib.Path(summary).read_text())
    if not run.get("cpr_shown"):
        print("the run must be made with --show-cpr: masked CPRs cannot be replayed", file=sys.stderr)
        return 2
    roles = {}
    written = 0
    for case in run["cases"]:
        caller = case.get("caller")
        entries = []
        for e in case["exchanges"]:
            req, resp = e["request"], e.get("response")
            if resp is None:
                break
            lines = [f"{req['method']} {req['url']}"]
            for name, value in req["headers"]:
                low = name.lower()
                if low in ("content-length", "host"):
                    continue
                if low == "authorization":
                    if caller is None:
                        continue
                    roles[caller["role"]] = f"{caller['organisation']}:{caller['code']}"
                    value = "Bearer {{token_" + caller["role"].replace("-", "_") + "}}"
                elif low == "x-requestid":
                    value = "{{newUuid}}"
                lines.append(f"{name}: {value}")
            if req["body"]:
                # A raw multi-line body: Hurl's ``` block keeps it byte for byte.
                lines.append("```")
                lines.append(req["body"])
                lines.append("```")
            lines.append(f"HTTP {resp['status']}")
            entries.append("\n".join(lines))
        if entries:
            name = case["id"].replace("/", "_")
            (out / f"{case['service']}.{name}.hurl").write_text("\n\n".join(entries) + "\n")
            written += 1
    variables = [
        f"token_{role.replace('-', '_')}={token(token_url, client_id, secret)}"
        for role, client_id in sorted(roles.items())
    ]
    (out / "variables.env").write_text("\n".join(variables) + "\n")
    print(f"{written} Hurl files and {len(roles)} tokens in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
