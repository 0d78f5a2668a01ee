"""The ``ttdn`` command end to end, in a fresh SQLite folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TTDN = [sys.executable, "-m", "ttdn.cli"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("var")
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TTDN_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ["TTDN_VAR_DIR"] = str(var)
    first = subprocess.run(
        [*TTDN, "setup", "--demo", "--json"], env=environ, capture_output=True, text=True, check=True
    )
    assert json.loads(first.stdout.strip().splitlines()[-1])["reference"]["created"] > 3000
    return environ


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TTDN, *args], env=env, capture_output=True, text=True)


def test_setup_twice_changes_nothing(env: dict[str, str]) -> None:
    second = run(env, "setup", "--demo", "--json")
    assert second.returncode == 0
    assert json.loads(second.stdout) == {
        "reference": {"created": 0, "updated": 0},
        "field_documents_created": 0,
        "demo_accounts_created": 0,
        "demo_documents_created": 0,
        "demo_tracking_values": 0,
        "demo_submissions": 0,
        "demo_tasks": 0,
        "demo_plans": 0,
        "demo_news_items": 0,
    }


def test_orgs_list_counts(env: dict[str, str]) -> None:
    old = json.loads(run(env, "orgs", "list", "--as-of", "2012-12-31", "--kind", "province", "--json").stdout)
    new = json.loads(run(env, "orgs", "list", "--as-of", "2025-07-01", "--kind", "province", "--json").stdout)
    assert (len(old), len(new)) == (63, 34)
    assert set(old[0]) == {"code", "name", "kind", "parent", "valid_from", "valid_to"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Bình Phước", "Tỉnh Đồng Nai"), ("kon tum", "Tỉnh Quảng Ngãi"), ("Hà Nội", "Thành phố Hà Nội")],
)
def test_orgs_successors(env: dict[str, str], name: str, expected: str) -> None:
    result = run(env, "orgs", "successors", name, "--as-of", "2025-07-01", "--json")
    assert result.returncode == 0
    assert [row["name"] for row in json.loads(result.stdout)] == [expected]


@pytest.mark.parametrize(
    "args",
    [
        ("orgs", "successors", "Atlantis", "--json"),
        ("orgs", "list", "--as-of", "31/02/2012", "--json"),
        ("orgs", "successors", "Quảng", "--json"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(env: dict[str, str], args: tuple[str, ...]) -> None:
    result = run(env, *args)
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("CommandError: ")


def test_production_profile_passes_deploy_check(env: dict[str, str]) -> None:
    environ = dict(
        env,
        DJANGO_SETTINGS_MODULE="ttdn.settings_production",
        TTDN_SECRET_KEY="k" * 20 + "Q7x!pZ2#mR9@vL4$wT6%yB8^nC1&jF3*hD5",
    )
    result = run(environ, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_missing_key(env: dict[str, str]) -> None:
    environ = dict(env, DJANGO_SETTINGS_MODULE="ttdn.settings_production")
    environ.pop("TTDN_SECRET_KEY", None)
    result = run(environ, "check", "--deploy")
    assert result.returncode != 0
    assert "TTDN_SECRET_KEY" in result.stderr


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.mark.parametrize(
    ("prefix", "number", "issued_on", "signer"),
    [
        ("000", "212/BTTTT-TTĐN", "2013-01-18", "Đỗ Quý Doãn"),
        ("001", "21/CT-TTg", "2012-08-06", None),
        ("002", "1578/BTTTT-TTĐN", "2024-04-25", "Nguyễn Thanh Lâm"),
        ("003", "5406/BTTTT-TTĐN", "2021-12-31", "Phạm Anh Tuấn"),
    ],
)
def test_docs_parse_needs_no_database(
    tmp_path: Path, prefix: str, number: str, issued_on: str, signer: str | None
) -> None:
    path = next(SEEDS.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip("shared seeds not beside the repository")
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TTDN_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ["TTDN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'does-not-exist' / 'db.sqlite3'}"
    result = run(environ, "docs", "parse", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["number"], data["issued_on"], data["signer"]["name"]) == (number, issued_on, signer)
    assert set(data) >= {
        "number",
        "doc_type",
        "issuer",
        "place",
        "issued_on",
        "subject",
        "recipients",
        "signer",
        "references",
        "cc",
    }
    assert not (tmp_path / "does-not-exist").exists()


def test_docs_import_is_atomic(env: dict[str, str], tmp_path: Path) -> None:
    good = tmp_path / "tot.txt"
    good.write_text(
        "BỘ NGOẠI GIAO\n-----\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 9/BNG-TTBC\nHà Nội, ngày 2 tháng 1 năm 2026\nNội dung.",
        encoding="utf-8",
    )
    bad = tmp_path / "xau.txt"
    bad.write_bytes(b"")
    result = run(env, "docs", "import", str(good), str(bad), "--json")
    assert result.returncode != 0 and "rỗng" in result.stderr
    again = run(env, "docs", "import", str(good), "--json")
    assert json.loads(again.stdout)[0]["created"] is True  # the failed run left nothing behind


def test_tracking_import_dry_run_json(env: dict[str, str]) -> None:
    path = next(SEEDS.glob("000_*.txt"), None)
    if path is None:
        pytest.skip("shared seeds not beside the repository")
    result = run(env, "tracking", "import", str(path), "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "rows",
        "items",
        "years",
        "computed_totals",
        "declared_totals",
        "discrepancies",
        "ever_counts",
        "claims",
        "claim_discrepancies",
        "document",
    }
    assert data["document"] == "Công văn số 212/BTTTT-TTĐN ngày 18/01/2013"
    assert data["rows"] == 63 and data["discrepancies"] == [
        {"item": "quy_che", "year": 2012, "declared": 6, "computed": 7}
    ]
    assert [(d["item"], d["claimed"], d["computed"]) for d in data["claim_discrepancies"]] == [
        ("quy_che", 8, 9)
    ]  # "8/63" in the letter
    bad = run(env, "tracking", "import", str(path.parent / "README.md"), "--json")
    assert bad.returncode != 0 and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["docs", "parse"], ["tasks", "extract"]])
def test_the_engine_commands_run_without_django(command: list[str], tmp_path: Path) -> None:
    """``ttdn docs parse`` and ``ttdn tasks extract`` need no settings: Django is never imported (it cost ~400 ms)."""
    source = tmp_path / "cv.txt"
    source.write_text(
        "BỘ NGOẠI GIAO\nSố: 9/BNG-TTBC\nHà Nội, ngày 2 tháng 1 năm 2026\nCÔNG VĂN\nVề việc thử\n"
        "1. Sở Ngoại vụ các tỉnh báo cáo trước ngày 15/01/2026.",
        encoding="utf-8",
    )
    probe = (
        "import sys, io, contextlib; from ttdn.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try: main(sys.argv[1:])\n"
        "    except SystemExit as e: code = e.code\n"
        "print(code, 'django' in sys.modules, out.getvalue()[:2000])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", probe, *command, str(source), "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    code, django_loaded, output = done.stdout.split(" ", 2)
    assert (code, django_loaded) == ("0", "False"), done.stderr
    assert json.loads(output)  # the same answer as the management command gives
    missing = subprocess.run(
        [*TTDN, *command, str(tmp_path / "none.txt")], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 1 and "no such file" in missing.stderr
