"""The normalised address of a story (địa chỉ chuẩn hoá), the first layer of deduplication.

The same story reached by ``http://`` and ``https://``, with or without ``www.``, ``m.`` or ``amp.``, with a
``#fragment``, a trailing slash, campaign parameters (``utm_*``, ``fbclid``...) or its parameters in another order
has one key. Parameters that choose the story (``?id=123``) are kept."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

_HOST_PREFIXES = ("www.", "www2.", "m.", "mobile.", "amp.")
_TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref",
        "ref_src",
        "cmpid",
        "ocid",
    }
)
_AMP_SUFFIXES = ("/amp", ".amp")


def normalise_url(url: str) -> str:
    """``host/path?query`` in lower case where case does not matter; "" for what is not a web address."""
    text = (url or "").strip()
    if "://" not in text and text.startswith("//"):
        text = "http:" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = unquote(parts.path or "/")
    for suffix in _AMP_SUFFIXES:
        if path.lower().endswith(suffix):
            path = path[: -len(suffix)]
    path = "/" + "/".join(piece for piece in path.split("/") if piece)
    if path.lower().endswith(("/index.html", "/index.htm", "/index.php")):
        path = path.rsplit("/", 1)[0] or "/"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING
    )
    return host + (path if path != "/" else "") + (f"?{urlencode(query)}" if query else "")
