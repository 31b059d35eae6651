#!/usr/bin/env python3
"""Builds a case corpus of about N cases for the scaling figures (docs/performance.md).

Copies the shipped corpus (cases/) to OUT and repeats every case of every file until the
corpus holds at least N hand-written cases; the copies get the id suffix `-rK`, nothing else
changes, so every copy plans and runs like its original. Standard library only.

    python3 benches/scale.py 10000 /tmp/konform-10k
    /usr/bin/time -v konform run --cases /tmp/konform-10k --no-generated --allow-incomplete \
        --out /tmp/konform-10k-reports
"""

import pathlib
import re
import shutil
import sys

CASE_START = re.compile(r"^- id: *(\S+)", re.M)


def cases_in(text: str) -> list[str]:
    """The file's cases as text blocks, each starting at its `- id:` line."""
    starts = [m.start() for m in CASE_START.finditer(text)]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    want, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    src = pathlib.Path(__file__).resolve().parent.parent / "cases"
    files = sorted(src.glob("*/*.yaml"))
    blocks = {f: cases_in(f.read_text()) for f in files}
    have = sum(len(b) for b in blocks.values())
    copies = max(1, -(-want // have))  # ceiling division
    if out.exists():
        shutil.rmtree(out)
    total = 0
    for f, cases in blocks.items():
        target = out / f.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        head = f.read_text()[: f.read_text().find("- id:")] if cases else f.read_text()
        parts = [head]
        for k in range(copies):
            for case in cases:
                if k == 0:
                    parts.append(case)
                else:
                    parts.append(CASE_START.sub(lambda m: f"- id: {m.group(1)}-r{k}", case, 1))
                total += 1
        if not parts[-1].endswith("\n"):
            parts[-1] += "\n"
        target.write_text("".join(parts))
    print(f"{total} cases ({copies} copies of {have}) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
