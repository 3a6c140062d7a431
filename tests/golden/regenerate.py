"""Rewrite the golden answers (and, with --ledger, the frozen input ledger) on purpose.

    PYTHONPATH=src python tests/golden/regenerate.py            # the answers, from data/ledger.json.gz
    PYTHONPATH=src python tests/golden/regenerate.py --ledger   # rebuild the input ledger first

Only when an answer is meant to change: the commit that changes a golden file must say which
answers changed and why (tests/golden/test_golden_ledgers.py). The reference evaluator writes the
answers; the ledger path's own table (evaluate_frame) is written beside them, and the test holds
the CLI's JSON, from a .json and from a .csv ledger, to the reference's bytes.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
from pathlib import Path

# As tests/conftest.py does: the developer's installed holiday years (govrules calendar add) must
# not leak into the answers. Set before govrules is imported.
os.environ["GOVRULES_DATA_DIR"] = tempfile.mkdtemp(prefix="govrules-golden-")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import golden_ledgers as g  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(prog="tests/golden/regenerate.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ledger", action="store_true", help="also rebuild data/ledger.json.gz from the generator")
    args = parser.parse_args()
    g.DATA.mkdir(exist_ok=True)
    if args.ledger or not g.LEDGER.exists():
        objects = g.build_ledger()
        g.write_lines(g.LEDGER, [g.canonical(o) for o in objects])
        g.LEDGER_CSV.write_bytes(gzip.compress(g.csv_text(objects).encode("utf-8"), compresslevel=9, mtime=0))
        print(f"wrote {g.LEDGER.relative_to(g.ROOT)} and {g.LEDGER_CSV.relative_to(g.ROOT)}")
    cases, events, frame = g.cases(), g.events(), g.frame()
    for pack_id, by_reading in g.readings().items():
        for what in ("reference", "frame"):
            lines: list[str] = []
            for reading, interpretations in by_reading.items():
                if what == "reference":
                    lines += g.reference_lines(pack_id, reading, interpretations, cases, events)
                else:
                    lines += g.frame_lines(pack_id, reading, interpretations, frame)
            path = g.golden_path(pack_id, what)
            g.write_lines(path, lines)
            print(f"wrote {path.relative_to(g.ROOT)} ({len(lines)} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
