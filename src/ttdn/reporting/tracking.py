"""Tracking tables (bảng theo dõi): bodies x items x years of yes/no marks. Pure Python, no Django.

Reads the table from a grid of cells, whatever the source: the plain text of a
published page (one cell per paragraph, as in seed 000), an .xlsx sheet or a .docx
table. Checks every declared total ("Tổng") against the rows instead of
trusting either, and writes the summary sentences a guidance letter needs.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ttdn.core.files import FileRefused, check_package
from ttdn.core.text import fold

DATA = Path(__file__).parent / "data" / "tracking_items.json"
YES = {"x", "có", "co", "1", "✓", "✔", "v", "đã", "da", "yes"}
NO = {"", "-", "0", "không", "khong", "no", "—", "–"}
TOTAL_LABELS = {"tong", "tong cong", "cong", "total"}


class TrackingError(ValueError):
    """The table cannot be read; the message says where (Vietnamese)."""


@dataclass(frozen=True)
class ItemDef:
    code: str
    name: str
    headings: tuple[str, ...]
    sentence: str
    sentence_order: int
    # Reports that prove the item once the centre has accepted them: the report itself (its form's code) or
    # an indicator of it that says so (a yes, or a count above zero).
    report_forms: tuple[str, ...] = ()
    report_indicators: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def item_defs() -> tuple[ItemDef, ...]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        ItemDef(
            i["code"],
            i["name"],
            tuple(i["headings"]),
            i["sentence"],
            i.get("sentence_order", 99),
            tuple(i.get("proven_by", {}).get("report_forms", ())),
            tuple(i.get("proven_by", {}).get("report_indicators", ())),
        )
        for i in raw["items"]
    )


def item_for_heading(heading: str) -> ItemDef | None:
    key = fold(heading)
    for item in item_defs():
        if any(key.startswith(h) for h in item.headings):
            return item
    return None


@dataclass(frozen=True)
class Claim:
    """A sentence of the letter that counts the bodies that did an item: "8/63 tỉnh, thành phố ban hành Quy chế"."""

    item: str
    count: int
    out_of: int
    as_written: str


_CLAIM = re.compile(
    r"(?<![\d/])(\d{1,3})\s?/\s?(\d{1,3})\s+(?:tinh|dia phuong|don vi|bo|co quan|so)\b([^;:.]{5,300})",
    re.IGNORECASE,
)


def letter_claims(text: str) -> list[Claim]:
    """The counting sentences of a letter ("8/63 tỉnh, thành phố ban hành Quy chế ...; 30/63 tỉnh, thành
    phố tổ chức tập huấn ..."), each with the tracking item its words name. Pure text: any letter, any item
    defined in the data file (its headings and summary sentence give its words)."""
    from ttdn.core.text import plain

    flat = plain(text)
    found: list[Claim] = []
    for match in _CLAIM.finditer(flat):
        count, out_of = int(match.group(1)), int(match.group(2))
        if not 0 < out_of <= 999 or count > out_of:
            continue
        item = _item_named(fold(match.group(3)))
        if item is None:
            continue
        found.append(Claim(item.code, count, out_of, " ".join(text[match.start() : match.end()].split())))
    return found


_NUMBER = re.compile(r"^\s*Số\s*:\s*(\S+)", re.MULTILINE | re.IGNORECASE)
_DATED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def letter_reference(text: str) -> str:
    """The letter a table comes with, named as officials name it: "Công văn số 212/BTTTT-TTĐN ngày
    18/01/2013", from its "Số:" line and its date line (a letter with a "V/v" line is a công văn); empty
    when the text has no number."""
    head = unicodedata.normalize("NFC", text[:5000])
    number = _NUMBER.search(head)
    if number is None:
        return ""
    kind = "Công văn" if re.search(r"^\s*V/v\b", head, re.MULTILINE) else "Văn bản"
    named = f"{kind} số {number.group(1).rstrip('.,;')}"
    dated = _DATED.search(head, number.end())
    if dated:
        day, month, year = (int(g) for g in dated.groups())
        named += f" ngày {day:02d}/{month:02d}/{year}"
    return named


def _item_named(words: str) -> ItemDef | None:
    """The item whose heading words the sentence uses first ("ban hành Quy chế" → quy_che)."""
    best: tuple[int, ItemDef] | None = None
    for item in item_defs():
        for heading in item.headings:
            at = re.search(rf"\b{re.escape(heading)}\b", words)
            if at and (best is None or at.start() < best[0]):
                best = (at.start(), item)
    return best[1] if best else None


@dataclass
class Row:
    name: str
    marks: dict[tuple[str, int], bool]


@dataclass
class TrackingTable:
    items: list[str]  # item codes in column order
    years: list[int]
    rows: list[Row]
    declared_totals: dict[str, dict[int, int | None]] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)  # item code -> heading as written
    claims: list[Claim] = field(default_factory=list)  # what the letter round the table says of it
    document: str = ""  # the letter the table comes with, by number and date ("Công văn số 212/... ngày ...")

    def claim_discrepancies(self) -> list[dict[str, Any]]:
        """Each "N/63 ... ban hành Quy chế" sentence of the letter that the table's own rows contradict."""
        ever = self.ever_counts()
        return [
            {
                "item": c.item,
                "claimed": c.count,
                "out_of": c.out_of,
                "computed": ever[c.item],
                "as_written": c.as_written,
            }
            for c in self.claims
            if c.item in ever and ever[c.item] != c.count
        ]

    def computed_totals(self) -> dict[str, dict[int, int]]:
        return {
            i: {y: sum(1 for r in self.rows if r.marks.get((i, y))) for y in self.years} for i in self.items
        }

    def discrepancies(self) -> list[dict[str, Any]]:
        computed = self.computed_totals()
        found = []
        for item in self.items:
            for year in self.years:
                declared = self.declared_totals.get(item, {}).get(year)
                if declared is not None and declared != computed[item][year]:
                    found.append(
                        {"item": item, "year": year, "declared": declared, "computed": computed[item][year]}
                    )
        return found

    def ever_counts(self) -> dict[str, int]:
        """Bodies that did the item at least once in the table's years."""
        return {
            i: sum(1 for r in self.rows if any(r.marks.get((i, y)) for y in self.years)) for i in self.items
        }

    def summary(self) -> dict[str, Any]:
        return {
            "rows": len(self.rows),
            "items": self.items,
            "years": self.years,
            "computed_totals": self.computed_totals(),
            "declared_totals": {
                i: {y: self.declared_totals.get(i, {}).get(y) for y in self.years} for i in self.items
            },
            "discrepancies": self.discrepancies(),
            "ever_counts": self.ever_counts(),
            "claims": [
                {"item": c.item, "claimed": c.count, "out_of": c.out_of, "as_written": c.as_written}
                for c in self.claims
            ],
            "claim_discrepancies": self.claim_discrepancies(),
            "document": self.document,
        }


def sentences(ever: dict[str, int], total: int, noun: str = "tỉnh, thành phố") -> list[str]:
    """ "8/63 tỉnh, thành phố ban hành Quy chế ..." in the letter's order."""
    defs = sorted((d for d in item_defs() if d.code in ever), key=lambda d: d.sentence_order)
    return [f"{ever[d.code]}/{total} {noun} {d.sentence}" for d in defs]


def _is_year(cell: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", cell.strip()))


def _mark(cell: str, where: str) -> bool:
    key = cell.strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    raise TrackingError(f"{where}: ô “{cell.strip()}” không phải dấu x hay ô trống.")


def _total(cell: str, where: str) -> int | None:
    key = cell.strip()
    if not key or key in NO - {"0"}:
        return None
    if not key.isdigit():
        raise TrackingError(f"{where}: tổng “{key}” không phải số.")
    return int(key)


def read_grid(grid: list[list[str]]) -> TrackingTable:
    """A table given as rows of cells: a heading row with "Stt", the body column and item headings
    (an item's heading repeated or blank over its year columns), a row of years, the bodies' rows,
    and optionally a total row."""
    rows = [[(c or "").replace("\xa0", " ").strip() for c in row] for row in grid]
    head = next((i for i, r in enumerate(rows) if r and fold(r[0]) in {"stt", "tt", "so tt"}), None)
    if head is None or head + 1 >= len(rows):
        raise TrackingError("Không tìm thấy dòng tiêu đề bảng (cột “Stt”).")
    heading_row, year_row = rows[head], rows[head + 1]
    first_year = next((j for j, c in enumerate(year_row) if _is_year(c)), None)
    if first_year is None:
        raise TrackingError("Không tìm thấy dòng năm (2011, 2012, ...) dưới tiêu đề.")
    columns: list[tuple[str, int]] = []
    headings: dict[str, str] = {}
    current: str | None = None
    for j in range(first_year, len(year_row)):
        cell = year_row[j]
        if not _is_year(cell):
            break
        heading = heading_row[j] if j < len(heading_row) else ""
        if heading:
            item = item_for_heading(heading)
            if item is None:
                raise TrackingError(f"Cột “{heading}” không khớp hạng mục theo dõi nào đã định nghĩa.")
            current = item.code
            headings.setdefault(current, heading)
        if current is None:
            raise TrackingError("Cột năm đầu tiên không có tên hạng mục.")
        columns.append((current, int(cell)))
    if len(set(columns)) != len(columns):
        raise TrackingError("Bảng có hai cột cùng hạng mục và năm.")
    items = list(dict.fromkeys(code for code, _ in columns))
    years = sorted({year for _, year in columns})
    table = TrackingTable(items=items, years=years, rows=[], headings=headings)
    name_col = first_year - 1
    seen: set[str] = set()
    for index, row in enumerate(rows[head + 2 :], start=head + 3):
        if not any(row):
            continue
        cells = row + [""] * (first_year + len(columns) - len(row))
        name = cells[name_col]
        label = fold(name) or fold(cells[0])
        if label in TOTAL_LABELS:
            for k, (code, year) in enumerate(columns):
                table.declared_totals.setdefault(code, {})[year] = _total(
                    cells[first_year + k], f"Dòng tổng, cột “{headings[code]}” {year}"
                )
            break
        if not name:
            raise TrackingError(f"Dòng {index}: thiếu tên đơn vị.")
        if fold(name) in seen:
            raise TrackingError(f"Dòng {index}: “{name}” lặp lại.")
        seen.add(fold(name))
        marks = {
            col: _mark(cells[first_year + k], f"Dòng {index} ({name}), cột “{headings[col[0]]}” {col[1]}")
            for k, col in enumerate(columns)
        }
        table.rows.append(Row(name, marks))
    if not table.rows:
        raise TrackingError("Bảng không có dòng đơn vị nào.")
    return table


def grid_from_text(text: str) -> list[list[str]]:
    """The table of a page copied as plain text, one cell per paragraph (seed 000).

    Paragraphs are separated by blank lines; a cell holding only a (non-breaking)
    space is an empty cell. The heading cells are "Stt", the body column, one
    heading per item, then the years; each body is "Stt, name, marks"."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if fold(line) == "stt"), None)
    if start is None:
        raise TrackingError("Không tìm thấy bảng (dòng “Stt”).")
    cells = [line for line in lines[start:] if line != ""]
    first_year = next((j for j, c in enumerate(cells) if _is_year(c)), None)
    if first_year is None or first_year < 3:
        raise TrackingError("Không tìm thấy dòng năm của bảng.")
    item_headings = cells[2:first_year]
    year_count = 0
    while first_year + year_count < len(cells) and _is_year(cells[first_year + year_count]):
        year_count += 1
    if year_count % len(item_headings):
        raise TrackingError(f"{len(item_headings)} hạng mục nhưng {year_count} cột năm: không chia đều được.")
    per_item = year_count // len(item_headings)
    heading_row = ["Stt", cells[1]] + [h if k == 0 else "" for h in item_headings for k in range(per_item)]
    year_row = ["", ""] + cells[first_year : first_year + year_count]
    grid = [heading_row, year_row]
    body = cells[first_year + year_count :]
    width = 2 + year_count
    for offset in range(0, len(body), width):
        chunk = body[offset : offset + width]
        if len(chunk) < width:
            if any(c.strip() for c in chunk) and not any(fold(c) in TOTAL_LABELS for c in chunk):
                raise TrackingError(f"Dòng cuối bảng thiếu ô ({len(chunk)}/{width}).")
            break
        grid.append(chunk)
        if fold(chunk[1]) in TOTAL_LABELS or fold(chunk[0]) in TOTAL_LABELS:
            break
        if not chunk[0].strip().isdigit() and fold(chunk[1]) not in TOTAL_LABELS:
            raise TrackingError(f"Dòng “{chunk[1]}”: cột Stt “{chunk[0]}” không phải số; bảng bị lệch ô.")
    return grid


# A tracking table is at most a few thousand bodies by a few dozen items: a sheet beyond these bounds is refused
# before its cells are read (a 147 KB sheet whose last cell is far away once took 18.7 s of CPU to walk).
MAX_ROWS = 20_000
MAX_COLUMNS = 4_000
MAX_CELLS = 2_000_000


def grid_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
    except Exception as exc:  # openpyxl raises several kinds for a broken or foreign file
        raise TrackingError("Tệp .xlsx hỏng hoặc không phải bảng tính Excel.") from exc
    _check_extent(rows, columns)
    grid: list[list[str]] = []
    cells = 0
    for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1):  # (a max_col would pad every row)
        cells += len(row)
        _check_extent(len(grid) + 1, len(row), cells)
        grid.append(["" if v is None else str(v) for v in row])
    return grid


def _check_extent(rows: int, columns: int, cells: int = 0) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or max(cells, rows * columns) > MAX_CELLS:
        raise TrackingError(
            f"Bảng tính quá lớn ({rows:,} dòng × {columns:,} cột); bảng theo dõi nhận tối đa "
            f"{MAX_ROWS:,} dòng và {MAX_COLUMNS:,} cột.".replace(",", ".")
        )


def grid_from_docx(data: bytes) -> list[list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise TrackingError("Tệp .docx hỏng hoặc không phải tệp Word.") from exc
    found: list[list[str]] | None = None
    for table in document.tables:
        grid: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            previous = None
            for cell in row.cells:
                # A horizontally merged cell is returned once per column it spans.
                cells.append("" if cell._tc is previous else cell.text)
                previous = cell._tc
            grid.append(cells)
        if not any(r and fold(r[0]) in {"stt", "tt"} for r in grid):
            continue
        if found is None:
            found = grid
        elif [r[:2] for r in grid] == [r[:2] for r in found]:
            # A wide table set as parts (its items continued), each with the same Stt and body columns.
            found = [a + b[2:] for a, b in zip(found, grid)]
        else:
            break
    if found is None:
        raise TrackingError("Tệp .docx không có bảng theo dõi (bảng có cột “Stt”).")
    return found


def _docx_paragraphs(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def read_file(filename: str, data: bytes) -> TrackingTable:
    suffix = Path(filename).suffix.lower()
    if not data:
        raise TrackingError("Tệp rỗng.")
    if suffix in (".xlsx", ".docx"):
        try:
            check_package(data)  # before any XML is parsed
        except FileRefused as exc:
            raise TrackingError(str(exc)) from exc
    if suffix == ".xlsx":
        return read_grid(grid_from_xlsx(data))
    if suffix == ".docx":
        table = read_grid(grid_from_docx(data))
        letter = _docx_paragraphs(data)
        table.claims, table.document = letter_claims(letter), letter_reference(letter)
        return table
    if suffix == ".txt":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TrackingError("Tệp văn bản không phải UTF-8.") from exc
        table = read_grid(grid_from_text(text))
        table.claims, table.document = letter_claims(text), letter_reference(text)
        return table
    raise TrackingError("Chỉ nhận tệp .xlsx, .docx hoặc .txt.")


def grid_of(
    table: TrackingTable, names: Iterable[str] | None = None, *, with_totals: bool = True
) -> list[list[str]]:
    """The table back as a grid in the appendix's layout (used by the exports)."""
    defs = {d.code: d for d in item_defs()}
    heading = ["Stt", "Tỉnh, thành phố"]
    years = ["", ""]
    for item in table.items:
        for k, year in enumerate(table.years):
            heading.append(defs[item].name if k == 0 and item in defs else "")
            years.append(str(year))
    grid = [heading, years]
    for n, row in enumerate(table.rows, 1):
        grid.append(
            [str(n), row.name]
            + ["x" if row.marks.get((i, y)) else "" for i in table.items for y in table.years]
        )
    if with_totals:
        totals = table.computed_totals()
        grid.append(["", "Tổng"] + [str(totals[i][y]) for i in table.items for y in table.years])
    return grid


# Origins of a mark (the values of reporting.models.ValueOrigin).
IMPORTED, ENTERED, DERIVED = "imported", "entered", "derived"

Key = tuple[str, str, int]  # (body, item, year)


@dataclass(frozen=True)
class Proof:
    """A record showing that a body did an item in a year (an accepted report, a confirmed task, an approved
    plan, an issued regulation): its name, and where to open it ("" when the reader may not open it)."""

    label: str
    url: str = ""


@dataclass(frozen=True)
class Cell:
    """What the table shows for a body, an item and a year: the mark it counts, where the mark comes from
    (a stored value's origin, or ``DERIVED`` from records), the records that prove it, and whether a stored
    "not done" contradicts a record (``conflict``: shown, not counted)."""

    mark: bool
    origin: str
    proofs: tuple[Proof, ...] = ()
    conflict: bool = False

    @property
    def derived(self) -> bool:
        return self.origin == DERIVED


def cell_of(stored: tuple[bool, str] | None, proofs: Iterable[Proof] = ()) -> Cell | None:
    """One body's cell from its stored value (mark, origin), if any, and the records that prove the item.

    The rule: a stored value (imported from a table or entered by hand) stands as recorded; a record fills a
    cell that has no stored value (a derived "done"); beside a stored "done" it is that mark's evidence; beside
    a stored "not done" it is a conflict, shown with its evidence but not counted until an official corrects
    the stored value. A record never overwrites what was imported."""
    found = tuple(dict.fromkeys(proofs))
    if stored is not None:
        mark, origin = stored
        return Cell(mark, origin, found, conflict=bool(found) and not mark)
    if found:
        return Cell(True, DERIVED, found)
    return None


def merge(cells: Iterable[Cell]) -> Cell | None:
    """Cells of several bodies carried into one (a province formed from several; a body dissolved during a
    year into the one that ended it): done when any was done, a stored origin before a derived one; every
    proof is kept; a conflict stays only when it leaves the cell "not done"."""
    parts = list(cells)
    if not parts:
        return None
    done = [c for c in parts if c.mark]
    proofs = tuple(dict.fromkeys(p for c in parts for p in c.proofs))
    if done:
        origin = next((c.origin for c in done if not c.derived), DERIVED)
        return Cell(True, origin, proofs)
    return Cell(False, parts[0].origin, proofs, conflict=any(c.conflict for c in parts))


def carry(cells: dict[Key, Cell], targets: Callable[[str, int], Iterable[str]]) -> dict[Key, Cell]:
    """Cells of bodies carried to the bodies shown (``targets(body, year)``: the bodies a body's mark of that
    year counts for; itself when it is shown, none when it did not exist), merged where several meet."""
    gathered: dict[Key, list[Cell]] = {}
    for (body, item, year), cell in cells.items():
        for target in targets(body, year):
            gathered.setdefault((target, item, year), []).append(cell)
    merged = {key: merge(parts) for key, parts in gathered.items()}
    return {key: cell for key, cell in merged.items() if cell is not None}


def runs(years: Iterable[int], bodies_of: Callable[[int], frozenset[Any]]) -> list[list[int]]:
    """The years split where the set of bodies changes (2011-2012: 63 provinces; 2026: 34): consecutive
    years with the same bodies form one run, counted out of those bodies."""
    found: list[list[int]] = []
    previous: frozenset[Any] | None = None
    for year in sorted(years):
        bodies = bodies_of(year)
        if found and bodies == previous:
            found[-1].append(year)
        else:
            found.append([year])
        previous = bodies
    return found
