"""Train the sentiment model (mô hình sắc thái) on the labelled evaluation set and write it as JSON weights.

    .venv/bin/python scripts/train_sentiment.py [EVAL_DIR] [--out PATH]

The shipped model (``src/ttdn/monitoring/data/sentiment_model.json``) is trained on every written item of the
set; the figure reported for it (``ttdn monitoring eval``) is the cross-validated one, each item labelled by a
model trained without it (and without its re-publications). Pure Python: the run time reads the JSON alone."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ttdn.monitoring import evaluation
from ttdn.monitoring.pipeline import sentiment_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(evaluation.DATA))
    parser.add_argument("--out", default=str(sentiment_model.DATA))
    args = parser.parse_args()
    data = evaluation.load(args.folder)
    items = list(data.items)
    _, scores = evaluation.cross_validate(items)
    model = sentiment_model.train(
        [(sentiment_model.features(evaluation.text_of(i)), i.sentiment) for i in items]
    )
    Path(args.out).write_text(json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n")
    print(
        f"{len(items)} items, {len(model.weights)} words -> {args.out}; "
        f"cross-validated macro-F1 {scores['macro_f1']:.3f} ({evaluation.FOLDS} folds)"
    )


if __name__ == "__main__":
    main()
