"""The commands that need no database: ``ttdn docs parse``, ``ttdn tasks extract`` and ``ttdn eval DIR``.

They run the pure engines only, so ``ttdn`` answers them without setting Django up (no settings, no system
checks, no URL imports: a seed parses in tens of milliseconds, not 400). The management commands of the same
names call these functions too, so both paths print the same. Pure Python, no Django.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ttdn.documents.parsing.command import OfflineError, Write, docs_parse, text_of

DUTY_FIELDS = ("section", "assignee", "coordinators", "text", "due", "recurrence", "due_as_written")


def tasks_extract(path_text: str, *, as_json: bool, all_fields: bool, write: Write) -> None:
    from ttdn.documents.parsing.parser import parse
    from ttdn.tasks.extraction.duties import extract

    duties = extract(parse(text_of(path_text)).text)
    rows = [d.to_dict() for d in duties]
    if not all_fields:
        rows = [{key: row[key] for key in DUTY_FIELDS} for row in rows]
    if as_json:
        write(json.dumps(rows, ensure_ascii=False))
        return
    for duty in duties:
        when = duty.due.strftime("%d/%m/%Y") if duty.due else (duty.recurrence or "—")
        write(f"{duty.section:<8} {duty.assignee or '?'} · {when} · {duty.text[:90]}")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def evaluate(directory_text: str, *, as_json: bool, misses: bool, write: Write) -> None:
    from ttdn.tasks.evaluation import evaluate_directory

    directory = Path(directory_text)
    if not directory.is_dir():
        raise OfflineError(f"Không có thư mục / no such directory: {directory}")
    try:
        result = evaluate_directory(directory)
    except (FileNotFoundError, ValueError) as exc:
        raise OfflineError(str(exc)) from exc
    if as_json:
        write(json.dumps(result, ensure_ascii=False))
        return
    header, duties, refs = result["header"], result["duties"], result["references"]
    write(f"{result['documents']} documents")
    write(f"header fields: {header['right']}/{header['total']} right ({_pct(header['accuracy'])})")
    for name, field in header["fields"].items():
        write(f"  {name:<10} {field['right']}/{field['total']}")
    write(f"dated references: {refs['right']}/{refs['expected']} ({_pct(refs['recall'])})")
    write(
        f"duties: {duties['found']}/{duties['golden']} found, {duties['fully_right']} fully right "
        f"({_pct(duties['fully_right_rate'])}); {duties['spurious']} spurious of {duties['extracted']} "
        f"extracted ({_pct(duties['spurious_rate'])})"
    )
    if misses:
        for miss in result["misses"]["fields"]:
            write(f"  ✗ {miss['file']} {miss['field']}: {miss['got']!r} ≠ {miss['expected']!r}")
        for miss in result["misses"]["duties"]:
            wrong = "not found" if not miss["found"] else ", ".join(miss["wrong"])
            write(f"  ✗ {miss['file']} “{miss['key'][:50]}”: {wrong}")


def handles(argv: list[str]) -> bool:
    """Whether ``ttdn ARGV`` is one of the commands answered here (``eval export`` reads the database)."""
    if argv[:2] in (["docs", "parse"], ["tasks", "extract"]):
        return True
    return argv[:1] == ["eval"] and "export" not in argv[1:2] and not any(a in ("-h", "--help") for a in argv)


def run(argv: list[str], write: Write = print) -> int:
    """Run one of the commands :func:`handles` accepts; the exit status (errors go to stderr, as Django's do)."""
    import sys

    parser = argparse.ArgumentParser(prog="ttdn")
    sub = parser.add_subparsers(dest="command", required=True)
    docs = sub.add_parser("docs").add_subparsers(dest="action", required=True).add_parser("parse")
    docs.add_argument("file")
    docs.add_argument("--json", action="store_true")
    docs.add_argument("--text", action="store_true")
    tasks = sub.add_parser("tasks").add_subparsers(dest="action", required=True).add_parser("extract")
    tasks.add_argument("file")
    tasks.add_argument("--json", action="store_true")
    tasks.add_argument("--all-fields", action="store_true")
    ev = sub.add_parser("eval")
    ev.add_argument("directory")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--misses", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "docs":
            docs_parse(args.file, as_json=args.json, with_text=args.text, write=write)
        elif args.command == "tasks":
            tasks_extract(args.file, as_json=args.json, all_fields=args.all_fields, write=write)
        else:
            evaluate(args.directory, as_json=args.json, misses=args.misses, write=write)
    except OfflineError as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        return 1
    return 0
