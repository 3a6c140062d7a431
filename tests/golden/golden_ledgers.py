"""The golden ledger and the answers every executor gives on it (tests/golden/test_golden_ledgers.py).

The ledger (data/ledger.json.gz, and its cases as CSV in data/ledger.csv.gz) is frozen input, written once by ``build_ledger`` and then only
read: examples/ledger.json, examples/generate_ledger.py's ledgers of 2017, 2019, 2022 and 2026
(the generator draws completion against the engine's own deadlines, so it must not be re-run
when the engine changes), and matters opened in 2017-2019 and supervised for years (weekly,
monthly, quarterly and daily reports, extensions, completion years later). Each bundled pack is
evaluated on it as of AS_OF_DATES, under its chosen readings and under others (``readings``: so
that the rules that apply only under another reading run too), by

- the reference: ``engine.evaluate_all`` (and ``engine.accountability`` on the ledger's events);
- the ledger path: ``batch.evaluate_frame`` on the ledger's CSV form as pandas reads it;
- the CLI: ``govrules evaluate LEDGER.csv --format json`` (the ledger path, messages from
  ``explain_rows``) and the same on LEDGER.json (the reference), whose bytes must both equal
  the reference's.

Answers are written as canonical JSON lines (sorted keys, ensure_ascii=False), gzip-compressed.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import random
import sys
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
LEDGER = DATA / "ledger.json.gz"
LEDGER_CSV = DATA / "ledger.csv.gz"  # the cases (not the events) as a ledger file, frozen too
ROOT = HERE.parents[1]
AS_OF_DATES = (date(2019, 6, 28), date(2026, 6, 30), date(2026, 12, 31))
CLI_AS_OF = (date(2026, 12, 31),)  # the CLI re-reads and re-evaluates the file per call: one date, the latest
Obj = dict[str, Any]


def canonical(value: Any) -> str:
    """One line of canonical JSON."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))


def read_lines(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()


# -- the frozen input -------------------------------------------------------------------------


def _iso(d: date) -> str:
    return d.isoformat()


def _old_matter(rng: random.Random, k: int) -> Obj:
    """One matter opened in 2017-2019 and supervised for years, in one of several shapes."""
    assigned = date(2017, 1, 2) + timedelta(days=rng.randint(0, 3 * 365 - 10))
    while assigned.weekday() >= 5:
        assigned += timedelta(days=1)
    shape = k % 8
    source = ("重点项目", "上级督查", "政府工作报告", "工作计划", "突发事件", "人大代表建议", "常务会议", "重点项目")[shape]
    obj: Obj = {"type": "matter", "id": f"OLD-{k:04d}", "source": source, "assigned_on": _iso(assigned),
                "lead_unit": rng.choice(("市住房城乡建设局", "市交通运输局", "市生态环境局", "历下区政府"))}
    end = assigned + timedelta(days=rng.randint(200, 3000))  # when reporting (and maybe the work) stopped
    done = rng.random() < 0.4
    if done:
        obj["completed_on"] = _iso(min(end, date(2026, 12, 31)))
    stop = min(end, date(2026, 12, 31))
    reports: list[date] = []
    if shape in (0, 1, 7):  # complex, 周报制: every 1-3 weeks, with gaps
        obj["complex"] = True
        step = rng.choice((1, 2, 3))
        day = assigned + timedelta(days=4 - assigned.weekday() + 7)
        while day <= stop:
            if rng.random() < 0.85:
                reports.append(day - timedelta(days=rng.choice((0, 0, 0, 1, 3))))
            day += timedelta(weeks=step)
    elif shape == 2:  # 季报 within 15 days of each quarter's end, some late, some missing
        for year in range(assigned.year, stop.year + 1):
            for month in (3, 6, 9, 12):
                quarter_end = date(year, month, 30 if month in (6, 9) else 31)
                if assigned <= quarter_end <= stop and rng.random() < 0.8:
                    reports.append(quarter_end + timedelta(days=rng.randint(1, 25)))
    elif shape == 3:  # 月报 near each month's end
        m = date(assigned.year, assigned.month, 1)
        while m <= stop:
            nxt = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
            if rng.random() < 0.8:
                reports.append(nxt - timedelta(days=rng.choice((1, 2, 3, 5))))
            m = nxt
    elif shape == 4:  # 日报制 for a few weeks
        obj["urgency"] = "特急"
        for i in range(1, rng.randint(5, 40)):
            if rng.random() < 0.8:
                reports.append(assigned + timedelta(days=i))
    if shape in (5, 6, 7) or rng.random() < 0.3:  # an extension, asked before or after the deadline
        requested = assigned + timedelta(days=rng.randint(3, 120))
        obj["extension"] = {"requested_on": _iso(requested),
                            "new_deadline": _iso(requested + timedelta(days=rng.randint(10, 400))),
                            "approved": rng.random() < 0.7}
    if rng.random() < 0.3:
        obj["explicit_deadline"] = _iso(assigned + timedelta(days=rng.randint(30, 900)))
    if shape == 6 and rng.random() < 0.5:
        obj["urgency"] = rng.choice(("紧急", "特急"))
    reports = sorted({d for d in reports if assigned <= d <= date(2026, 12, 31)
                      and ("completed_on" not in obj or _iso(d) <= obj["completed_on"])})
    if reports:
        obj["reports"] = [_iso(d) for d in reports]
    if "completed_on" in obj and "extension" in obj and obj["extension"]["requested_on"] > obj["completed_on"]:
        del obj["extension"]
    return obj


def _extras() -> list[Obj]:
    """Cases the generator does not draw, so that every rule of every pack applies to some case
    under the chosen readings or the other ones (the test checks this)."""
    out: list[Obj] = [
        {"type": "matter", "id": "EX-0001", "source": "专题会议", "assigned_on": "2026-03-04", "urgency": "特急",
         "lead_unit": "市交通运输局"},
        {"type": "matter", "id": "EX-0002", "source": "专题会议", "assigned_on": "2026-03-05", "urgency": "紧急",
         "lead_unit": "市交通运输局", "completed_on": "2026-03-09"},
        {"type": "matter", "id": "EX-0003", "source": "市领导批示", "assigned_on": "2026-06-29", "lead_unit": "市教育局"},
        {"type": "matter", "id": "EX-0004", "source": "常务会议", "assigned_on": "2026-12-21", "lead_unit": "市教育局"},
        {"type": "meeting", "id": "EX-HY-01", "kind": "联谊会", "held_on": "2026-04-08", "convened_by": "部门"},
        {"type": "meeting", "id": "EX-HY-02", "kind": "全市综合性会议", "held_on": "2026-04-09", "convened_by": "部门",
         "in_name_of_city_government": True},
        {"type": "meeting", "id": "EX-HY-03", "kind": "专题会议", "held_on": "2026-04-10", "convened_by": "副市长",
         "in_name_of_city_government": True, "approvals": ["分管领导批准"]},
    ]
    # 市政府 documents of 2025, for the quotas that compare a year's count with the year before's
    out += [{"type": "document", "id": f"EX-GW-{i:02d}", "kind": "通知", "issuer": "市政府",
             "issued_on": _iso(date(2025, 3, 3) + timedelta(weeks=3 * i))} for i in range(6)]
    return out


def build_ledger() -> list[Obj]:
    """The golden ledger's objects, built from the generator and seeded draws (only regenerate.py
    calls this: the test reads the frozen file)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from ledger_generator import generator

    gen = generator()
    example = json.loads((ROOT / "examples" / "ledger.json").read_text(encoding="utf-8"))
    objects: list[Obj] = [{**o, "id": f"EG-{o['id']}"} for o in example]  # its ids recur in the generator's
    for seed, year in ((17, 2017), (19, 2019), (22, 2022), (26, 2026)):
        objects += gen.generate(seed, matters=160, meetings=24, documents=40, events=25, year=year)
    rng = random.Random(20171)
    objects += [_old_matter(rng, k) for k in range(96)]
    objects += _extras()
    return objects


def ledger() -> list[Obj]:
    return [json.loads(line) for line in read_lines(LEDGER)]


# -- the answers ------------------------------------------------------------------------------


def readings() -> dict[str, dict[str, dict[str, str]]]:
    """pack id -> reading set -> {interpretation: option}: the pack's chosen readings, every other
    reading, and the other reading of the even- or of the odd-numbered interpretations only (so
    that rules whose only_under mixes a chosen and an other reading run too)."""
    from govrules.packs import bundled_ids, bundled_pack

    out: dict[str, dict[str, dict[str, str]]] = {}
    for pack_id in bundled_ids():
        pack = bundled_pack(pack_id)
        other = {i.id: next(o for o in i.options if o != i.chosen) for i in pack.interpretations}
        out[pack_id] = {
            "chosen": {},
            "other": other,
            "other-even": {k: v for n, (k, v) in enumerate(other.items()) if n % 2 == 0},
            "other-odd": {k: v for n, (k, v) in enumerate(other.items()) if n % 2 == 1},
        }
    return out


def _plain(value: Any) -> Any:
    """A frame cell as JSON: dates ISO, missing values null, numpy scalars as Python ones."""
    import numpy as np
    import pandas as pd

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (date, pd.Timestamp)):
        return value.isoformat()[:10]
    if isinstance(value, np.generic):
        return value.item()
    return value


# The frame's ``path`` column says which rows went to the reference evaluator: how, not what.
# A refactor may move rows between the two; the answers must not move.
FRAME_COLUMNS_NOT_ANSWERS = ("path",)


def cases() -> list[Any]:
    from govrules.models import parse_object

    return [parse_object(o, f"golden {o['id']}") for o in ledger() if o["type"] != "event"]


def events() -> list[Any]:
    from govrules.models import parse_object

    return [parse_object(o, f"golden {o['id']}") for o in ledger() if o["type"] == "event"]


def csv_text(objects: list[Obj]) -> str:
    """The cases' CSV form, as examples/generate_ledger.to_csv writes it (JSON lists in cells)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from ledger_generator import generator

    text: str = generator().to_csv([o for o in objects if o["type"] != "event"])
    return text


def frame() -> Any:
    """The frozen CSV ledger as pandas reads it."""
    import pandas as pd

    return pd.read_csv(io.BytesIO(gzip.decompress(LEDGER_CSV.read_bytes())))


def _options(interpretations: Mapping[str, str]) -> Any:
    from govrules.engine import Options

    return Options(allow_not_in_force=True, interpretations=dict(interpretations))


def reference_lines(pack_id: str, reading: str, interpretations: Mapping[str, str], case_list: list[Any],
                    event_list: list[Any]) -> list[str]:
    from govrules.engine import accountability, evaluate_all
    from govrules.packs import bundled_pack

    pack, options = bundled_pack(pack_id), _options(interpretations)
    lines: list[str] = []
    for as_of in AS_OF_DATES:
        head = {"pack": pack_id, "reading": reading, "as_of": _iso(as_of)}
        lines += [canonical({**head, "evaluation": ev.to_dict()}) for ev in evaluate_all(case_list, as_of, pack, options)]
        lines += [canonical({**head, "accountability": u.to_dict()}) for u in accountability(event_list, as_of, pack, options)]
    return lines


def frame_lines(pack_id: str, reading: str, interpretations: Mapping[str, str], df: Any) -> list[str]:
    from govrules.batch import evaluate_frame
    from govrules.packs import bundled_pack

    pack, options = bundled_pack(pack_id), _options(interpretations)
    lines: list[str] = []
    for as_of in AS_OF_DATES:
        out = evaluate_frame(df, pack, as_of, options).drop(columns=list(FRAME_COLUMNS_NOT_ANSWERS))
        head = {"pack": pack_id, "reading": reading, "as_of": _iso(as_of)}
        lines += [canonical({**head, "row": {k: _plain(v) for k, v in rec.items()}}) for rec in out.to_dict("records")]
    return lines


@contextlib.contextmanager
def _captured() -> Iterator[io.StringIO]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        yield out


def cli_lines(pack_id: str, ledger_file: Path) -> list[str]:
    """``govrules evaluate FILE --pack P --as-of D --allow-not-in-force --format json``, in-process:
    its stdout, one canonical line per evaluation."""
    from govrules.cli import main

    lines: list[str] = []
    for as_of in CLI_AS_OF:
        with _captured() as out:
            code = main(["evaluate", str(ledger_file), "--pack", pack_id, "--as-of", _iso(as_of),
                         "--allow-not-in-force", "--format", "json"])
        if code not in (0, 3):  # 3: answered in part (a deadline in a year without holiday data)
            raise AssertionError(f"govrules evaluate {ledger_file.name} --pack {pack_id}: exit {code}")
        head = {"pack": pack_id, "as_of": _iso(as_of)}
        lines += [canonical({**head, "evaluation": ev}) for ev in json.loads(out.getvalue())]
    return lines


def write_inputs(directory: Path) -> tuple[Path, Path]:
    """The cases as LEDGER.json (the reference's input) and LEDGER.csv (the ledger path's)."""
    objs = [o for o in ledger() if o["type"] != "event"]
    as_json, as_csv = directory / "golden-ledger.json", directory / "golden-ledger.csv"
    as_json.write_text(json.dumps(objs, ensure_ascii=False), encoding="utf-8")
    as_csv.write_bytes(gzip.decompress(LEDGER_CSV.read_bytes()))
    return as_json, as_csv


def golden_path(pack_id: str, what: str) -> Path:
    return DATA / f"{pack_id}.{what}.jsonl.gz"
