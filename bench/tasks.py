"""Task-extraction benchmark: documents per second through the pure engine on one core.

Inputs: the seed directive (Chỉ thị 21/CT-TTg, when the seeds are beside the repository), the
provincial directive of the tests, and generated directives in the genre (numbered sections naming
bodies, lettered and bulleted duties, deadlines and recurrences in their written forms), cleaned by
the document parser first as on import. Prints figures; asserts nothing. Target: >= 200 documents/s.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ttdn.documents.parsing.parser import parse  # noqa: E402
from ttdn.tasks.extraction.duties import extract  # noqa: E402

BODIES = [
    "Sở Thông tin và Truyền thông",
    "Sở Ngoại vụ",
    "Sở Nội vụ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Tài chính",
    "Công an tỉnh",
    "Bộ Ngoại giao",
    "Bộ Thông tin và Truyền thông",
    "Ủy ban nhân dân các huyện, thị xã, thành phố",
    "Văn phòng Ủy ban nhân dân tỉnh",
]
VERBS = [
    "Chủ trì, phối hợp với {other} xây dựng",
    "Phối hợp với {other} tổ chức",
    "Tham mưu Ủy ban nhân dân tỉnh ban hành",
    "Thường xuyên theo dõi",
    "Định kỳ báo cáo",
    "Hướng dẫn, kiểm tra",
]
OBJECTS = [
    "kế hoạch thông tin đối ngoại",
    "chương trình quảng bá hình ảnh địa phương",
    "lớp tập huấn nghiệp vụ",
    "chuyên trang tiếng Anh",
    "báo cáo kết quả công tác thông tin đối ngoại",
    "cơ sở dữ liệu thông tin đối ngoại",
]
WHEN = [
    "trước ngày 31/12/{y}",
    "trong quý {q} năm {y}",
    "trong năm {y}",
    "hàng năm (tháng 5)",
    "trước ngày 01/7 hàng năm",
    "định kỳ 6 tháng, 1 năm",
    "hoàn thành trong tháng 6/{y}",
    "",
]


def generated(rng: random.Random) -> str:
    year = rng.randint(2012, 2026)
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG TRỊ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {rng.randint(1, 99)}/CT-UBND",
        f"Quảng Trị, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {year}",
        "",
        "CHỈ THỊ",
        "Về việc tăng cường công tác thông tin đối ngoại",
        "",
        "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các Sở, ban, ngành thực hiện tốt các nhiệm vụ sau:",
        "",
    ]
    for n, body in enumerate(rng.sample(BODIES, rng.randint(4, len(BODIES))), 1):
        lines.append(f"{n}. {body}")
        for k in range(rng.randint(1, 5)):
            verb = rng.choice(VERBS).format(other=rng.choice(BODIES))
            when = rng.choice(WHEN).format(y=year + rng.randint(0, 2), q=rng.choice(["I", "II", "III", "IV"]))
            marker = f"{'abcdđeg'[k]})" if n % 2 else "-"
            lines.append(f"{marker} {verb} {rng.choice(OBJECTS)} {when}.".replace(" .", "."))
        lines.append("")
    lines += ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn A"]
    return "\n".join(lines)


def main() -> int:
    rng = random.Random(11)
    texts = [generated(rng) for _ in range(1000)]
    real = [ROOT / "tests" / "tasks" / "data" / "chi_thi_tinh.txt"]
    seeds = ROOT.parent / "shared" / "seeds" / "001_f37f077bdbee1332.txt"
    if seeds.is_file():
        real.append(seeds)
    real_texts = [p.read_text(encoding="utf-8") for p in real] * 100
    corpus_dir = ROOT.parent / "shared" / "corpus"
    corpus_texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))] * 20
    runs = [("generated directives", texts), (f"real directives ({len(real)} texts x 100)", real_texts)]
    if corpus_texts:
        runs.append((f"the corpus ({len(corpus_texts) // 20} real documents x 20)", corpus_texts))
    for label, corpus in runs:
        chars = sum(len(t) for t in corpus) / len(corpus)
        start = time.perf_counter()
        cleaned = [parse(t).text for t in corpus]
        parsed = time.perf_counter() - start
        start = time.perf_counter()
        duties = sum(len(extract(t)) for t in cleaned)
        extracted = time.perf_counter() - start
        print(
            f"{label}: {len(corpus)} documents, {chars:,.0f} characters each, {duties / len(corpus):.1f} duties each"
        )
        print(
            f"  extraction alone: {len(corpus) / extracted:,.0f} documents/s; parse + extraction (as `ttdn tasks extract`): "
            f"{len(corpus) / (parsed + extracted):,.0f} documents/s (target >= 200)"
        )
    base = (ROOT / "tests" / "tasks" / "data" / "chi_thi_phan_cong.txt").read_text(encoding="utf-8")
    for label, unit in (("one unbroken line", " ".join(base.split())), ("a directive repeated", base)):
        small = (unit * (100_000 // len(unit) + 1))[:100_000]
        big = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
        times = []
        for text in (small, big):
            cleaned = parse(text).text
            rounds = []
            for _ in range(3):  # best of three, as bench/documents.py
                start = time.perf_counter()
                extract(cleaned)
                rounds.append(time.perf_counter() - start)
            times.append(min(rounds))
        print(
            f"extraction, {label}: 100 KB {times[0] * 1000:.0f} ms, 1 MB {times[1] * 1000:.0f} ms, ratio {times[1] / times[0]:.1f} (linear: ~10)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
