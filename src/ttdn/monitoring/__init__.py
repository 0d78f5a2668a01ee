"""Theo dõi dư luận (opinion monitoring): what the press at home and abroad says about each province and body.

Sources (RSS/Atom feeds, pages, files, manual entry) are polled as background work; each story goes through the
pipeline (``pipeline``: pure functions) and is kept with its duplicates folded, its tags and their
explanations. Analysts read it within their scope: a province's analyst sees the stories that name the province
under any of its names, old or new."""
