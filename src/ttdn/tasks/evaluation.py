"""Measured fidelity (độ chính xác đo được): both text engines scored against hand-read answers. Pure Python.

A golden file maps a file name to what an official read from it by hand (the format of the corpus
kept beside the project: ``number``, ``doc_type``, ``issuer``, ``place``, ``issued_on``, ``subject``,
``signer``, ``authority``, ``references`` as ``[number, YYYY-MM-DD]`` pairs, ``duties`` with ``key``,
``assignee``, ``recurrence`` and ``due``, and ``duty_count``). A list of values means any one is right.

Rules, as the format defines them:

* a header field is right when it equals the golden value after folding (case, diacritics, spacing);
  ``issuer``, ``subject`` and ``signer`` are also right when the golden phrase is contained in the
  parsed value; ``authority`` is the signing prefix (KT, TM, TL, TUQ, Q; "" for none);
* a golden duty is *found* when an extracted duty's text contains its key, and *fully right* when
  that duty's assignee contains one of the golden assignee phrases and its recurrence and due equal
  (one of) the golden values;
* *spurious* duties: where the golden file counts a document's duties, the extracted duties beyond
  that count, plus, everywhere, extracted "duties" that are the document's furniture (recipients,
  "Lưu: VT", the signing block).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ttdn.core.text import fold
from ttdn.documents.parsing.parser import ParsedDocument, parse
from ttdn.documents.parsing.symbols import number_key
from ttdn.tasks.extraction.duties import Duty, extract

HEADER_FIELDS = ("number", "doc_type", "issuer", "place", "issued_on", "subject", "signer", "authority")
CONTAINED = frozenset({"issuer", "subject", "signer"})
_AUTHORITY = re.compile(r"^\s*(KT|TM|TL|TUQ|Q)\s*\.", re.IGNORECASE)
_FURNITURE = re.compile(r"^(?:noi nhan|nhu tren|luu vt|luu\b|kt |tm |tl |tuq )")


def header_values(doc: ParsedDocument) -> dict[str, str | None]:
    """The parsed document's header and footer fields, in the golden file's terms."""
    authority = doc.signer.authority or ""
    match = _AUTHORITY.match(authority)
    return {
        "number": doc.number,
        "doc_type": doc.doc_type,
        "issuer": doc.issuer,
        "place": doc.place,
        "issued_on": doc.issued_on,
        "subject": doc.subject,
        "signer": doc.signer.name,
        "authority": match.group(1).upper() if match else "",
    }


def _accepted(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def field_right(name: str, got: str | None, expected: Any) -> bool:
    for want in _accepted(expected):
        if want is None or want == "":
            if not got:
                return True
            continue
        if got is None:
            continue
        g, w = fold(str(got)), fold(str(want))
        if g == w or (name in CONTAINED and w and w in g):
            return True
    return False


def _value_right(got: Any, expected: Any) -> bool:
    return any(got == want for want in _accepted(expected))


@dataclass
class DutyMatch:
    key: str
    found: bool
    fully_right: bool
    expected: dict[str, Any]
    got: dict[str, Any] | None = None
    wrong: list[str] = field(default_factory=list)


@dataclass
class DocumentScore:
    name: str
    fields: dict[str, dict[str, Any]]
    references: dict[str, Any]
    duties: list[DutyMatch]
    extracted: int
    duty_count: int | None
    spurious: int

    @property
    def fields_right(self) -> int:
        return sum(1 for f in self.fields.values() if f["right"])


def duty_facts(duty: Duty) -> dict[str, Any]:
    return {
        "text": duty.text,
        "assignee": duty.assignee,
        "coordinators": list(duty.coordinators),
        "recurrence": duty.recurrence,
        "due": duty.due.isoformat() if duty.due else None,
        "section": duty.section,
    }


def score_duties(golden: list[dict[str, Any]], duties: list[Duty]) -> list[DutyMatch]:
    folded = [fold(d.text) for d in duties]
    out: list[DutyMatch] = []
    for item in golden:
        key = fold(item["key"])
        index = next((i for i, text in enumerate(folded) if key and key in text), None)
        if index is None:
            out.append(DutyMatch(item["key"], False, False, item))
            continue
        duty = duties[index]
        facts = duty_facts(duty)
        wrong: list[str] = []
        assignee = fold(duty.assignee or "")
        if not any(fold(a) in assignee for a in _accepted(item.get("assignee")) if a) or not assignee:
            wrong.append("assignee")
        if not _value_right(facts["recurrence"], item.get("recurrence")):
            wrong.append("recurrence")
        if not _value_right(facts["due"], item.get("due")):
            wrong.append("due")
        out.append(DutyMatch(item["key"], True, not wrong, item, facts, wrong))
    return out


def score_references(golden: list[list[str]], doc: ParsedDocument) -> dict[str, Any]:
    got = {(number_key(r.number), r.issued_on) for r in doc.references}
    got_numbers = {number_key(r.number) for r in doc.references}
    missed = [pair for pair in golden if (number_key(pair[0]), pair[1]) not in got]
    return {
        "expected": len(golden),
        "right": len(golden) - len(missed),
        "missed": [
            {"number": n, "issued_on": d, "number_found": number_key(n) in got_numbers} for n, d in missed
        ],
    }


def _is_furniture(duty: Duty) -> bool:
    return bool(_FURNITURE.match(fold(duty.text)))


def score_document(name: str, text: str, golden: dict[str, Any]) -> DocumentScore:
    doc = parse(text)
    values = header_values(doc)
    fields = {
        f: {"right": field_right(f, values[f], golden.get(f)), "got": values[f], "expected": golden.get(f)}
        for f in HEADER_FIELDS
        if f in golden
    }
    duties = extract(doc.text)
    matches = score_duties(golden.get("duties") or [], duties)
    count = golden.get("duty_count")
    furniture = sum(1 for d in duties if _is_furniture(d))
    spurious = furniture + (max(0, len(duties) - furniture - count) if isinstance(count, int) else 0)
    return DocumentScore(
        name,
        fields,
        score_references(golden.get("references") or [], doc),
        matches,
        len(duties),
        count,
        spurious,
    )


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def summarise(scores: Iterable[DocumentScore]) -> dict[str, Any]:
    scores = list(scores)
    per_field: dict[str, dict[str, int]] = {f: {"right": 0, "total": 0} for f in HEADER_FIELDS}
    misses: list[dict[str, Any]] = []
    for s in scores:
        for name, f in s.fields.items():
            per_field[name]["total"] += 1
            per_field[name]["right"] += int(f["right"])
            if not f["right"]:
                misses.append({"file": s.name, "field": name, "got": f["got"], "expected": f["expected"]})
    fields_total = sum(v["total"] for v in per_field.values())
    fields_right = sum(v["right"] for v in per_field.values())
    golden_duties = sum(len(s.duties) for s in scores)
    found = sum(1 for s in scores for d in s.duties if d.found)
    full = sum(1 for s in scores for d in s.duties if d.fully_right)
    counted = [s for s in scores if isinstance(s.duty_count, int)]
    extracted = sum(s.extracted for s in scores)
    spurious = sum(s.spurious for s in scores)
    refs_expected = sum(s.references["expected"] for s in scores)
    refs_right = sum(s.references["right"] for s in scores)
    duty_misses = [
        {
            "file": s.name,
            "key": d.key,
            "found": d.found,
            "wrong": d.wrong,
            "expected": {k: d.expected.get(k) for k in ("assignee", "recurrence", "due")},
            "got": {k: d.got.get(k) for k in ("assignee", "recurrence", "due")} if d.got else None,
        }
        for s in scores
        for d in s.duties
        if not d.fully_right
    ]
    return {
        "documents": len(scores),
        "header": {
            "right": fields_right,
            "total": fields_total,
            "accuracy": _ratio(fields_right, fields_total),
            "fields": {
                k: {**v, "accuracy": _ratio(v["right"], v["total"])}
                for k, v in per_field.items()
                if v["total"]
            },
        },
        "references": {
            "right": refs_right,
            "expected": refs_expected,
            "recall": _ratio(refs_right, refs_expected),
        },
        "duties": {
            "golden": golden_duties,
            "found": found,
            "fully_right": full,
            "found_rate": _ratio(found, golden_duties),
            "fully_right_rate": _ratio(full, golden_duties),
            "extracted": extracted,
            "spurious": spurious,
            "spurious_rate": _ratio(spurious, extracted),
            "counted_documents": len(counted),
            "count_expected": sum(s.duty_count for s in counted if s.duty_count is not None),
            "count_extracted": sum(s.extracted for s in counted),
        },
        "per_document": [
            {
                "file": s.name,
                "fields_right": s.fields_right,
                "fields": len(s.fields),
                "duties": len(s.duties),
                "found": sum(1 for d in s.duties if d.found),
                "fully_right": sum(1 for d in s.duties if d.fully_right),
                "extracted": s.extracted,
                "duty_count": s.duty_count,
                "spurious": s.spurious,
                "references": f"{s.references['right']}/{s.references['expected']}",
            }
            for s in scores
        ],
        "misses": {
            "fields": misses,
            "duties": duty_misses,
            "references": [{"file": s.name, **m} for s in scores for m in s.references["missed"]],
        },
    }


GOLDEN_NAMES = ("golden.json",)


def load_golden(directory: Path) -> dict[str, dict[str, Any]]:
    for name in GOLDEN_NAMES:
        path = directory / name
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"{path}: expected an object mapping file names to answers")
            return data
    raise FileNotFoundError(f"{directory}: no golden.json")


def evaluate_directory(directory: Path, *, read: Callable[[Path], str] | None = None) -> dict[str, Any]:
    """Score every document named in the directory's golden file."""
    golden = load_golden(directory)
    reader = read or (lambda p: p.read_text(encoding="utf-8"))
    scores = []
    missing = []
    for name, answers in sorted(golden.items()):
        path = directory / name
        if not path.is_file():
            missing.append(name)
            continue
        scores.append(score_document(name, reader(path), answers))
    result = summarise(scores)
    result["missing_files"] = missing
    return result
