"""Measured fidelity: the scoring engine, the corpus figures, and the deployment's own golden set grown from
the officials' corrections (``ttdn eval``, ``ttdn eval export``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.tasks.evaluation import evaluate_directory, field_right

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "golden.json").is_file(), reason="shared/corpus not beside the repository"
)
PROVINCIAL = (Path(__file__).parent / "data" / "chi_thi_tinh.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "got", "expected", "right"),
    [
        ("issuer", "Ủy ban nhân dân thành phố Cần Thơ", "Uy ban nhan dan  thanh pho Can Tho", True),
        ("issuer", "Ủy ban nhân dân thành phố Cần Thơ", "thành phố Cần Thơ", True),  # contained
        ("place", "Thành phố Hồ Chí Minh", "Hồ Chí Minh", False),  # place must be equal
        ("place", "Thành phố Hồ Chí Minh", ["Thành phố Hồ Chí Minh", "Hồ Chí Minh"], True),  # any of a list
        ("authority", "", "", True),
        ("authority", "KT", ["TM", "KT"], True),
        ("number", None, "09/CT-UBND", False),
    ],
)
def test_field_rules(name: str, got: str | None, expected: object, right: bool) -> None:
    assert field_right(name, got, expected) is right


def test_scores_a_golden_set(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PROVINCIAL, encoding="utf-8")
    (tmp_path / "golden.json").write_text(
        json.dumps(
            {
                "a.txt": {
                    "number": "07/CT-UBND",
                    "doc_type": "Chỉ thị",
                    "issuer": "tỉnh Quảng Trị",
                    "issued_on": "2024-03-15",
                    "signer": "Võ Văn Hưng",
                    "authority": "TM",
                    "place": "Đông Hà",  # one field wrong on purpose
                    "references": [],
                    "duty_count": 10,  # fewer than are there: the rest count as spurious
                    "duties": [
                        {
                            "key": "Tổng hợp kế hoạch thông tin đối ngoại",
                            "assignee": ["thong tin va truyen thong"],
                            "recurrence": "yearly",
                            "due": None,
                        },
                        {
                            "key": "Quản lý hoạt động của phóng viên nước ngoài",
                            "assignee": ["ngoai vu"],
                            "recurrence": None,
                            "due": "2024-12-31",
                        },
                        {
                            "key": "không có trong văn bản",
                            "assignee": ["noi vu"],
                            "recurrence": None,
                            "due": None,
                        },
                    ],
                },
                "missing.txt": {"number": "1/CT-UBND"},
            }
        ),
        encoding="utf-8",
    )
    result = evaluate_directory(tmp_path)
    assert result["missing_files"] == ["missing.txt"]
    assert (result["header"]["right"], result["header"]["total"]) == (6, 7)
    assert result["misses"]["fields"] == [
        {"file": "a.txt", "field": "place", "got": "Quảng Trị", "expected": "Đông Hà"}
    ]
    duties = result["duties"]
    assert (
        duties["golden"],
        duties["found"],
        duties["fully_right"],
        duties["extracted"],
        duties["spurious"],
    ) == (3, 2, 1, 15, 5)
    wrong = {m["key"]: m["wrong"] for m in result["misses"]["duties"]}
    assert wrong == {"Quản lý hoạt động của phóng viên nước ngoài": ["due"], "không có trong văn bản": []}


@needs_corpus
def test_the_corpus_figures() -> None:
    result = evaluate_directory(CORPUS)
    assert result["documents"] == 10 and not result["missing_files"]
    assert result["header"]["accuracy"] >= 0.95
    assert result["references"]["recall"] >= 0.9
    assert result["duties"]["fully_right_rate"] >= 0.9
    assert result["duties"]["spurious_rate"] <= 0.05


@pytest.mark.django_db
def test_corrections_are_kept_and_exported_as_a_golden_set(tmp_path: Path, user) -> None:  # noqa: ANN001
    from ttdn.documents.models import Correction
    from ttdn.documents.services import correct, import_text
    from ttdn.tasks import services
    from ttdn.tasks.golden import export_golden
    from ttdn.tasks.models import Duty, DutyState

    officer = user("quangtri.canbo")
    document = import_text(PROVINCIAL).document
    services.extract_document(officer, document)
    correct(document, officer, {"place": "Đông Hà"})
    by_section = {d.section: d for d in Duty.objects.filter(document=document)}
    services.update_duty(
        officer,
        by_section["3"],
        text=by_section["3"].text,
        assignee="Sở Nội vụ tỉnh Quảng Trị",
        coordinators=[],
        due=by_section["3"].due,
        recurrence="",
    )
    services.set_state(officer, by_section["10.(1)"], DutyState.REJECTED)
    kinds = list(Correction.objects.filter(document=document).values_list("kind", "field", "before", "after"))
    assert ("field", "place", "Quảng Trị", "Đông Hà") in kinds
    assert ("duty", "assignee", "Sở Nội vụ", "Sở Nội vụ tỉnh Quảng Trị") in kinds
    assert any(kind == "reject" for kind, *_ in kinds)

    summary = export_golden(tmp_path / "golden-set")
    assert summary["documents"] >= 1
    golden = json.loads((tmp_path / "golden-set" / "golden.json").read_text(encoding="utf-8"))
    name = next(n for n, g in golden.items() if g["number"] == "07/CT-UBND")
    entry = golden[name]
    assert entry["place"] == "Đông Hà" and entry["duty_count"] == 14  # the rejected duty is gone
    assert {
        "key": " ".join(by_section["3"].text.split())[:80],
        "assignee": ["so noi vu tinh quang tri"],
        "recurrence": None,
        "due": "2024-06-30",
    } in entry["duties"]
    # The engines measured on the deployment's own set: the place the official changed is a miss now.
    result = evaluate_directory(tmp_path / "golden-set")
    assert {m["field"] for m in result["misses"]["fields"] if m["file"] == name} == {"place"}
    assert result["duties"]["spurious"] >= 1  # the duty the official rejected is still extracted
