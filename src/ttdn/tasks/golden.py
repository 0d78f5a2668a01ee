"""The deployment's own golden set (bộ kiểm thử của đơn vị): documents an official reviewed, as the corpus's format.

A document is *reviewed* when an official corrected what the engines read from it (a header field, a duty)
or issued its duties. ``export_golden`` writes each reviewed document's text and a ``golden.json`` with
the values as they now stand, so that ``ttdn eval DIR`` measures the engines on the deployment's own
documents and every correction an official makes grows the test set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.db.models import Q

from ttdn.core.text import fold
from ttdn.documents.models import Document
from ttdn.tasks.models import Duty, DutyState

_AUTHORITY = re.compile(r"^\s*(KT|TM|TL|TUQ|Q)\s*\.", re.IGNORECASE)


def reviewed_documents() -> list[Document]:
    """Documents with an official's corrections or issued duties, oldest first."""
    issued = Duty.objects.filter(state=DutyState.ISSUED).values("document_id")
    return list(
        Document.objects.with_text()
        .filter(Q(corrections__isnull=False) | Q(pk__in=issued))
        .distinct()
        .order_by("pk")
    )


def _file_name(doc: Document) -> str:
    slug = (
        re.sub(r"[^a-z0-9]+", "-", fold(doc.number or doc.doc_type or "van-ban")).strip("-")[:40] or "van-ban"
    )
    return f"{doc.pk:06d}-{slug}.txt"


def golden_entry(doc: Document) -> dict[str, Any]:
    """What the official's reading of a document says, in the corpus's golden format."""
    authority = _AUTHORITY.match(doc.signer_authority or "")
    duties = list(Duty.objects.filter(document=doc).exclude(state=DutyState.REJECTED).order_by("order", "id"))
    return {
        "source": f"TTĐN document #{doc.pk}",
        "number": doc.number or None,
        "doc_type": doc.doc_type or None,
        "issuer": doc.issuer_name or None,
        "place": doc.place or None,
        "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
        "subject": doc.subject or None,
        "signer": doc.signer_name or None,
        "authority": authority.group(1).upper() if authority else "",
        "references": [
            [c.number_as_written, c.issued_on.isoformat()] for c in doc.citations.all() if c.issued_on
        ][:8],
        "duty_count": len(duties) if duties else None,
        "duties": [
            {
                "key": " ".join(d.text.split())[:80],
                "assignee": [fold(d.assignee_label)],
                "recurrence": d.recurrence or None,
                "due": d.due.isoformat() if d.due else None,
            }
            for d in duties
            if d.assignee_label.strip()
        ],
    }


def export_golden(directory: Path) -> dict[str, Any]:
    """Write the reviewed documents and their golden.json into ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    golden: dict[str, Any] = {}
    for doc in reviewed_documents():
        name = _file_name(doc)
        (directory / name).write_text(doc.text, encoding="utf-8")
        golden[name] = golden_entry(doc)
    (directory / "golden.json").write_text(json.dumps(golden, ensure_ascii=False, indent=1), encoding="utf-8")
    return {
        "directory": str(directory),
        "documents": len(golden),
        "duties": sum(len(g["duties"]) for g in golden.values()),
    }
