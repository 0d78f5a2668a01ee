"""``ttdn docs parse FILE``: a document file read and parsed, printed as JSON or as lines. Pure Python, no Django
(``ttdn.offline`` runs it without Django; the management command of the same name calls it too)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ttdn.documents.extract import ExtractError, extract_text


class OfflineError(Exception):
    """A one-line error for the user (the caller turns it into its own kind of failure)."""


Write = Callable[[str], None]


def read_file(path_text: str) -> tuple[str, bytes]:
    """(name, bytes) of a file named on the command line, or a one-line error."""
    path = Path(path_text)
    if not path.is_file():
        raise OfflineError(f"Không có tệp / no such file: {path_text}")
    return path.name, path.read_bytes()


def text_of(path_text: str) -> str:
    name, data = read_file(path_text)
    try:
        return extract_text(name, data)
    except ExtractError as exc:
        raise OfflineError(f"{name}: {exc}") from exc


def docs_parse(path_text: str, *, as_json: bool, with_text: bool, write: Write) -> None:
    from ttdn.documents.parsing.parser import parse

    result = parse(text_of(path_text)).to_dict(with_text=with_text)
    if as_json:
        write(json.dumps(result, ensure_ascii=False))
        return
    for key in ("number", "doc_type", "issuer", "place", "issued_on", "subject"):
        write(f"{key}: {result[key] or '—'}")
    signer = result["signer"]
    write(f"signer: {signer['authority'] or ''} {signer['position'] or ''} {signer['name'] or '—'}".strip())
    for ref in result["references"]:
        write(f"  → {ref['doc_type'] or ''} {ref['number']} {ref['issued_on'] or ''}".rstrip())
