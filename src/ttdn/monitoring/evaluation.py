"""Measured quality of opinion monitoring (chất lượng đo được): the pipeline scored on the labelled evaluation set
(``monitoring/data/eval/``, its README says how it was written). Pure Python, no Django: the caller hands in the
province tagger (built from the registry) and the names of the registry's provinces.

What is measured, each with its counts and target:

* **dedup**: the items in date order go through the real layers as ``services.take_in`` runs them (the same
  normalised address is skipped as known; the same title key within 2 days folds into the first original, across
  outlets only for a title of 6 words or more; otherwise a MinHash-LSH candidate confirmed by Jaccard >= 0.8
  among the originals of the last 7 days). A fold is right when both items are of one gold group; precision over
  folds, recall over the items that should fold (every member of a group but the first);
* **provinces**: the provinces the tagger finds in title and text (by their registry short name, folded) against
  the gold ones, micro precision and recall;
* **language**: the language of the body against the gold one;
* **sentiment**: macro-F1 of the lexicon baseline, and of the model cross-validated (5 folds; re-publications of
  one story always in one fold, so a story is never scored by a model that saw its twin);
* **claims**: Recall@5 of the claim index (the gold claim among the first 5 suggestions), and the links made to
  stories that repeat no claim."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ttdn.core.text import fold
from ttdn.monitoring.pipeline import claims, dedup, language, places, sentiment, sentiment_model, titles, urls

DATA = Path(__file__).resolve().parent / "data" / "eval"
TARGETS = {
    "dedup_precision": 0.99,
    "dedup_recall": 0.95,
    "province_precision": 0.95,
    "province_recall": 0.90,
    "language_accuracy": 0.99,
    "sentiment_macro_f1": 0.75,
    "claim_recall_at_5": 0.90,
}
TITLE_DAYS = 2  # as services.TITLE_DAYS
TEXT_DAYS = 7  # as services.TEXT_DAYS
CROSS_OUTLET_WORDS = 6  # as services.CROSS_OUTLET_WORDS
FOLDS = 5
VARIANT_EVERY = 4  # one base item in this many gets a generated near-duplicate
SEED = 20251101


@dataclass(frozen=True)
class EvalItem:
    id: str
    outlet: str
    url: str
    published: dt.datetime
    title: str
    text: str
    language: str
    provinces: tuple[str, ...]
    sentiment: str
    claim: str | None
    group: str
    generated: str = ""  # the kind of generated near-duplicate, "" for a written item
    note: str = ""


@dataclass(frozen=True)
class EvalSet:
    items: tuple[EvalItem, ...]  # written items
    variants: tuple[EvalItem, ...]  # generated near-duplicates
    claims: tuple[claims.ClaimText, ...]


def _item(raw: Mapping[str, Any], generated: str = "") -> EvalItem:
    return EvalItem(
        id=raw["id"],
        outlet=raw["outlet"],
        url=raw["url"],
        published=dt.datetime.fromisoformat(raw["published"]),
        title=raw["title"],
        text=raw["text"],
        language=raw["language"],
        provinces=tuple(raw.get("provinces") or ()),
        sentiment=raw["sentiment"],
        claim=raw.get("claim") or None,
        group=raw.get("group") or raw["id"],
        generated=generated or raw.get("generated", ""),
        note=raw.get("note", ""),
    )


def written_items(folder: Path = DATA) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(folder.glob("items_*.json")):
        found.extend(json.loads(path.read_text(encoding="utf-8")))
    return found


def load(folder: Path | str = DATA) -> EvalSet:
    """The set in ``folder``: ``items_*.json``, ``claims.json`` and ``generated.json`` (the near-duplicates
    :func:`generate_variants` made; made again when the file is missing)."""
    folder = Path(folder)
    raw_items = written_items(folder)
    generated_path = folder / "generated.json"
    raw_variants = (
        json.loads(generated_path.read_text(encoding="utf-8"))
        if generated_path.exists()
        else generate_variants(raw_items)
    )
    raw_claims = json.loads((folder / "claims.json").read_text(encoding="utf-8"))["claims"]
    return EvalSet(
        tuple(_item(r) for r in raw_items),
        tuple(_item(r) for r in raw_variants),
        tuple(
            version
            for c in raw_claims
            for version in claims.versions(c["id"], f"{c['title']} {c['summary']}", c["keywords"])
        ),
    )


# ------------------------------------------------------------------------------------------ near-duplicates

_RUBRICS = {
    "vi": ("Bình luận: {title} - {outlet}", "{title} | {outlet}", "[Video] {title}"),
    "en": ("Opinion | {title} – {outlet}", "{title} - {outlet}", "Analysis: {title}"),
    "fr": ("Tribune | {title} – {outlet}", "{title} - {outlet}", "Analyse : {title}"),
}
_BOILERPLATE = {
    "vi": "Mời bạn đọc theo dõi thêm tin tức trên trang của chúng tôi.",
    "en": "Sign up for our newsletter to get the latest news from Asia.",
    "fr": "Abonnez-vous à notre lettre d'information pour recevoir l'actualité.",
    "zh": "欢迎关注本网更多报道。",
    "ru": "Подписывайтесь на наши новости.",
    "ja": "最新ニュースはこちらから。",
    "ko": "더 많은 소식은 홈페이지에서 확인하세요.",
    "de": "Abonnieren Sie unseren Newsletter.",
    "es": "Suscríbase a nuestro boletín de noticias.",
}
_UPDATED = {
    "vi": "(cập nhật)",
    "en": "(updated)",
    "fr": "(mise à jour)",
    "de": "(aktualisiert)",
    "es": "(actualizado)",
}
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
KINDS = ("rubric", "address", "boilerplate", "words", "reorder")


def _host(url: str) -> str:
    return url.split("/")[2]


def _address_variant(url: str, rng: random.Random) -> str:
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    choice = rng.randrange(4)
    if choice == 0:
        return f"http://www.{host}/{path}"
    if choice == 1:
        return f"https://m.{host}/{path}#comments"
    if choice == 2:
        return f"{scheme}://{host}/{path}?utm_source=facebook&utm_medium=social"
    return f"{scheme}://{host.upper()}/{path}/"


def _drop_words(text: str, rng: random.Random) -> str:
    """One word in every 50 (at least one) left out, as an editor's light cut."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    if len(spans) < 10:
        return text
    drop = set(rng.sample(range(1, len(spans) - 1), max(1, len(spans) // 50)))
    kept = [text[a:b] for i, (a, b) in enumerate(spans) if i not in drop]
    return " ".join(kept)


def _reorder(text: str) -> str:
    sentences = [s for s in _SENTENCE.split(text.replace("\n", " ")) if s.strip()]
    if len(sentences) < 2:
        return text
    half = len(sentences) // 2
    return "\n".join([" ".join(sentences[half:]), " ".join(sentences[:half])])


def _change_title(title: str, lang: str) -> str:
    suffix = _UPDATED.get(lang)
    if suffix:
        return f"{title} {suffix}"
    return (
        f"{title}（更新）"
        if lang in ("zh", "ja")
        else f"{title} (обновлено)"
        if lang == "ru"
        else f"{title} +"
    )


def generate_variants(raw_items: Iterable[Mapping[str, Any]], *, seed: int = SEED) -> list[dict[str, Any]]:
    """Near-duplicates made from the written items, the same on every run: one item in ``VARIANT_EVERY`` (in
    the order of their ids), each kind in turn: ``rubric`` (another outlet's copy, the title with a rubric and the
    outlet's name), ``address`` (the same story under another form of its address), ``boilerplate`` (another
    outlet's copy with a line of its own added), ``words`` (another outlet's copy, one word in 50 left out and
    the title marked as updated), ``reorder`` (another outlet's copy, the second half of the text first, the
    title marked as updated)."""
    items = sorted(raw_items, key=lambda r: r["id"])
    outlets: dict[str, list[tuple[str, str]]] = {}
    for raw in items:
        pair = (raw["outlet"], _host(raw["url"]))
        if pair not in outlets.setdefault(raw["language"], []):
            outlets[raw["language"]].append(pair)
    found: list[dict[str, Any]] = []
    for n, raw in enumerate(items[::VARIANT_EVERY]):
        kind = KINDS[n % len(KINDS)]
        rng = random.Random(f"{seed}:{raw['id']}")
        others = [o for o in outlets[raw["language"]] if o[0] != raw["outlet"]] or [
            o for group in outlets.values() for o in group if o[0] != raw["outlet"]
        ]
        outlet, host = others[rng.randrange(len(others))]
        slug = hashlib.blake2b(raw["id"].encode(), digest_size=4).hexdigest()
        title, text, url = raw["title"], raw["text"], f"https://{host}/ban-tin/{slug}-{raw['id']}.html"
        lang = raw["language"]
        if kind == "rubric":
            pattern = _RUBRICS.get(lang, ("{title} | {outlet}",))
            title = pattern[rng.randrange(len(pattern))].format(title=title, outlet=outlet)
        elif kind == "address":
            outlet, url = raw["outlet"], _address_variant(raw["url"], rng)
        elif kind == "boilerplate":
            text = f"{text}\n{_BOILERPLATE.get(lang, _BOILERPLATE['en'])}"
        elif kind == "words":
            title, text = _change_title(title, lang), _drop_words(text, rng)
        else:
            title, text = _change_title(title, lang), _reorder(text)
        published = dt.datetime.fromisoformat(raw["published"]) + dt.timedelta(hours=1 + rng.randrange(20))
        variant = {
            key: raw[key]
            for key in ("language", "provinces", "sentiment", "claim")
            if raw.get(key) is not None
        }
        variant.update(
            id=f"{raw['id']}~{kind}",
            outlet=outlet,
            url=url,
            published=published.isoformat(timespec="minutes"),
            title=title,
            text=text,
            group=raw.get("group") or raw["id"],
            generated=kind,
        )
        found.append(variant)
    return found


# ------------------------------------------------------------------------------------------------- scoring


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


@dataclass
class DedupResult:
    folds: list[tuple[str, str, str]] = field(default_factory=list)  # (item, original, layer)

    def score(self, items: list[EvalItem]) -> dict[str, Any]:
        group = {i.id: i.group for i in items}
        right = [f for f in self.folds if group[f[0]] == group[f[1]]]
        wrong = [f for f in self.folds if group[f[0]] != group[f[1]]]
        sizes = Counter(group.values())
        should = sum(n - 1 for n in sizes.values())
        folded = {f[0] for f in right}
        members: dict[str, list[EvalItem]] = {}
        for item in sorted(items, key=lambda i: (i.published, i.id)):
            members.setdefault(item.group, []).append(item)
        missed = [m.id for g in members.values() if len(g) > 1 for m in g[1:] if m.id not in folded]
        return {
            "precision": _ratio(len(right), len(self.folds)),
            "recall": _ratio(len(right), should),
            "folds": len(self.folds),
            "right": len(right),
            "should_fold": should,
            "by_layer": dict(Counter(f[2] for f in self.folds)),
            "wrong": [list(f) for f in wrong],
            "missed": missed,
        }


def run_dedup(items: Iterable[EvalItem]) -> DedupResult:
    """The stream of ``items`` in date order through the three layers, as ``services.take_in`` runs them."""
    stream = sorted(items, key=lambda i: (i.published, i.id))
    result = DedupResult()
    by_url: dict[str, str] = {}
    originals: list[tuple[EvalItem, str]] = []  # (item, title key)
    index = dedup.NearDuplicates()
    when = {i.id: i.published for i in stream}
    for item in stream:
        url_key = urls.normalise_url(item.url)
        if url_key and url_key in by_url:
            result.folds.append((item.id, by_url[url_key], "url"))
            continue
        if url_key:
            by_url[url_key] = item.id
        key = titles.title_key(item.title, (item.outlet,))
        original = ""
        layer = ""
        if key:
            window = dt.timedelta(days=TITLE_DAYS)
            long_title = len(item.title.split()) >= CROSS_OUTLET_WORDS
            same = [
                o
                for o, k in originals
                if k == key
                and abs(o.published - item.published) <= window
                and (long_title or o.outlet == item.outlet)
            ]
            if same:
                original, layer = min(same, key=lambda o: (o.published, o.id)).id, "title"
        found = dedup.shingles(item.text)
        if not original:
            for match in index.find(found):
                if item.published - when[match.key] <= dt.timedelta(days=TEXT_DAYS):
                    original, layer = match.key, "text"
                    break
        if original:
            result.folds.append((item.id, original, layer))
            continue
        originals.append((item, key))
        index.add(item.id, found)
    return result


def score_provinces(
    items: Iterable[EvalItem], tagger: places.Tagger, names: Mapping[str, str]
) -> dict[str, Any]:
    """Micro precision and recall of the provinces found; ``names`` maps a province's registry code to its short
    name (other codes, the central bodies, are not scored)."""
    right = found_total = gold_total = 0
    wrong: list[tuple[str, str]] = []
    missed: list[tuple[str, str]] = []
    for item in items:
        gold = {fold(p) for p in item.provinces}
        found = {fold(names[f.code]) for f in tagger.find(f"{item.title}\n{item.text}") if f.code in names}
        right += len(gold & found)
        found_total += len(found)
        gold_total += len(gold)
        wrong.extend((item.id, p) for p in sorted(found - gold))
        missed.extend((item.id, p) for p in sorted(gold - found))
    return {
        "precision": _ratio(right, found_total),
        "recall": _ratio(right, gold_total),
        "right": right,
        "found": found_total,
        "gold": gold_total,
        "wrong": [list(p) for p in wrong],
        "missed": [list(p) for p in missed],
    }


def score_language(items: Iterable[EvalItem]) -> dict[str, Any]:
    items = list(items)
    total = right = 0
    wrong: list[tuple[str, str, str]] = []
    for item in items:
        code, _ = language.detect(item.text)
        total += 1
        if code == item.language:
            right += 1
        else:
            wrong.append((item.id, item.language, code))
    by_language = Counter(i.language for i in items)
    return {
        "accuracy": _ratio(right, total),
        "right": right,
        "items": total,
        "by_language": dict(by_language),
        "wrong": [list(w) for w in wrong],
    }


def macro_f1(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    per_label: dict[str, float] = {}
    for label in sentiment_model.LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_label[label] = (
            round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
        )
    accuracy = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold) if gold else 0.0
    return {
        "macro_f1": round(sum(per_label.values()) / len(per_label), 4),
        "f1": per_label,
        "accuracy": round(accuracy, 4),
        "items": len(gold),
    }


def fold_of(item: EvalItem, folds: int = FOLDS) -> int:
    """The cross-validation fold of an item: by its group, so re-publications of one story stay together."""
    return int(hashlib.blake2b(item.group.encode(), digest_size=4).hexdigest(), 16) % folds


def text_of(item: EvalItem) -> str:
    return f"{item.title}\n{item.text}"


def cross_validate(items: list[EvalItem], folds: int = FOLDS) -> tuple[list[str], dict[str, Any]]:
    """The model's label of each item by a model trained on the other folds, and the scores."""
    featured = [(sentiment_model.features(text_of(i)), i.sentiment) for i in items]
    predicted = [""] * len(items)
    for k in range(folds):
        training = [featured[n] for n, i in enumerate(items) if fold_of(i, folds) != k]
        model = sentiment_model.train(training)
        for n, item in enumerate(items):
            if fold_of(item, folds) == k:
                scores = model.scores(featured[n][0])
                predicted[n] = model.labels[max(range(len(scores)), key=lambda i: (scores[i], -i))]
    return predicted, macro_f1([i.sentiment for i in items], predicted)


def score_sentiment(items: list[EvalItem]) -> dict[str, Any]:
    gold = [i.sentiment for i in items]
    lexicon = [sentiment.lexicon_sentiment(text_of(i)).label for i in items]
    _, model = cross_validate(items)
    return {
        "lexicon": macro_f1(gold, lexicon),
        "model_cross_validated": model | {"folds": FOLDS},
        "labels": dict(Counter(gold)),
    }


def score_claims(items: Iterable[EvalItem], claim_texts: Iterable[claims.ClaimText]) -> dict[str, Any]:
    index = claims.ClaimIndex(list(claim_texts))
    total = hits = 0
    missed: list[str] = []
    linked_without_claim = suggested_without_claim = 0
    without_claim = 0
    for item in items:
        matches = index.match(text_of(item), limit=5)
        if item.claim:
            total += 1
            if item.claim in [m.key for m in matches]:
                hits += 1
            else:
                missed.append(item.id)
        else:
            without_claim += 1
            linked_without_claim += any(m.linked for m in matches)
            suggested_without_claim += bool(matches)
    return {
        "recall_at_5": _ratio(hits, total),
        "hits": hits,
        "items_with_claim": total,
        "missed": missed,
        "items_without_claim": without_claim,
        "linked_without_claim": linked_without_claim,
        "suggested_without_claim": suggested_without_claim,
    }


def evaluate(
    data: EvalSet,
    tagger: places.Tagger,
    province_names: Mapping[str, str],
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Every figure, with its counts, its target and whether it is met."""
    items = list(data.items)
    note = progress or (lambda _: None)
    note("dedup")
    dedup_scores = run_dedup([*items, *data.variants]).score([*items, *data.variants])
    note("provinces")
    province_scores = score_provinces(items, tagger, province_names)
    note("language")
    language_scores = score_language(items)
    note("sentiment")
    sentiment_scores = score_sentiment(items)
    note("claims")
    claim_scores = score_claims(items, data.claims)
    figures = {
        "dedup_precision": dedup_scores["precision"],
        "dedup_recall": dedup_scores["recall"],
        "province_precision": province_scores["precision"],
        "province_recall": province_scores["recall"],
        "language_accuracy": language_scores["accuracy"],
        "sentiment_macro_f1": sentiment_scores["model_cross_validated"]["macro_f1"],
        "claim_recall_at_5": claim_scores["recall_at_5"],
    }
    return {
        "items": len(items),
        "generated_near_duplicates": len(data.variants),
        "claims": len({c.key for c in data.claims}),
        "figures": figures,
        "targets": TARGETS,
        "met": {name: figures[name] >= TARGETS[name] for name in TARGETS},
        "dedup": dedup_scores,
        "provinces": province_scores,
        "language": language_scores,
        "sentiment": sentiment_scores,
        "claim_matching": claim_scores,
    }


def table(result: Mapping[str, Any]) -> str:
    """The figures as a readable table."""
    labels = {
        "dedup_precision": "Gộp tin trùng: độ chính xác (precision)",
        "dedup_recall": "Gộp tin trùng: độ bao phủ (recall)",
        "province_precision": "Gắn tỉnh: precision",
        "province_recall": "Gắn tỉnh: recall",
        "language_accuracy": "Nhận diện ngôn ngữ: accuracy",
        "sentiment_macro_f1": "Sắc thái (mô hình, kiểm chứng chéo): macro-F1",
        "claim_recall_at_5": "Đối chiếu luận điệu: Recall@5",
    }
    lines = [
        f"{result['items']} tin viết tay, {result['generated_near_duplicates']} tin trùng sinh tự động, "
        f"{result['claims']} luận điệu",
        "",
        f"{'chỉ số':<50} {'đo được':>8} {'mục tiêu':>9}  đạt",
    ]
    for name, label in labels.items():
        value, target = result["figures"][name], result["targets"][name]
        lines.append(f"{label:<50} {value:>8.3f} {target:>9.2f}  {'✓' if value >= target else '✗'}")
    lexicon = result["sentiment"]["lexicon"]["macro_f1"]
    lines += [
        "",
        f"Sắc thái theo từ điển (chuẩn so sánh): macro-F1 {lexicon:.3f}",
        f"Gộp tin trùng: {result['dedup']['right']}/{result['dedup']['folds']} lần gộp đúng, "
        f"{result['dedup']['should_fold']} tin cần gộp; theo lớp {result['dedup']['by_layer']}",
        f"Gắn tỉnh: {result['provinces']['right']} đúng / {result['provinces']['found']} tìm thấy / "
        f"{result['provinces']['gold']} cần tìm",
        f"Luận điệu: {result['claim_matching']['hits']}/{result['claim_matching']['items_with_claim']}; "
        f"liên kết nhầm với tin không lặp luận điệu: {result['claim_matching']['linked_without_claim']}"
        f"/{result['claim_matching']['items_without_claim']}, gợi ý nhầm: "
        f"{result['claim_matching']['suggested_without_claim']}/{result['claim_matching']['items_without_claim']}",
    ]
    return "\n".join(lines)
