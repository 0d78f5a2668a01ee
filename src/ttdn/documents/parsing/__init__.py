"""The document engine (phân tích văn bản): normalisation, clean-up and the parser. Pure Python, no Django."""
