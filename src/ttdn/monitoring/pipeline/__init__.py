"""The news pipeline (quy trình xử lý tin): each step a pure function of its input, no Django.

extract -> normalise -> language -> dedup (URL, title, near-duplicate text) -> tags (places, bodies, topics,
sentiment) -> claim matching -> alert rules. The app's services feed it rows and keep what it returns."""
