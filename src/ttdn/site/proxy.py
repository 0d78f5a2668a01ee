"""The one trusted reverse proxy, as a WSGI wrapper in front of the site (pure WSGI: no Django).

Only when the peer of the connection (``REMOTE_ADDR``) is the trusted proxy are its ``X-Forwarded-Proto`` (the
scheme: the site knows a request came over HTTPS), ``X-Forwarded-For`` (the client's address, read by the login
throttle and the audit log) and ``X-Forwarded-Host`` believed. Of ``X-Forwarded-For`` only the last hop counts:
the one the proxy added; what the client put before it is its own claim. From anyone else, and when no proxy is
trusted, every forwarded header is removed before the site sees it (the production settings believe
``X-Forwarded-Proto``, so an untrusted one must never reach them).

A header the trusted proxy sends malformed (a scheme other than http or https, an address that is none) is
answered 400, as waitress did.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
Application = Callable[[Environ, StartResponse], Iterable[bytes]]

# Every header a proxy may use to tell where a request came from; all are removed unless believed.
FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_BY",
)
BELIEVED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO")
DEFAULT_PORTS = {"http": "80", "https": "443"}


class MalformedHeader(ValueError):
    """A forwarded header from the trusted proxy that cannot be believed as it is."""

    def __init__(self, header: str, value: str) -> None:
        super().__init__(f"{header}: {value[:200]!r}")
        self.header = header


def _last(value: str) -> str:
    """The last comma-separated element of a header, unquoted (the one the nearest proxy added)."""
    last = value.rsplit(",", 1)[-1].strip()
    if len(last) >= 2 and last[0] == last[-1] == '"':
        last = last[1:-1].strip()
    return last


def client_address(hop: str) -> str:
    """The address of one X-Forwarded-For hop: an IPv4 or IPv6 address, perhaps with a port or brackets."""
    candidate = hop
    if candidate.startswith("["):  # [v6] or [v6]:port
        end = candidate.find("]")
        if end == -1 or (candidate[end + 1 :] and not _is_port(candidate[end + 1 :], ":")):
            raise ValueError(hop)
        candidate = candidate[1:end]
    elif candidate.count(":") == 1:  # v4:port
        candidate, port = candidate.split(":")
        if not port.isdigit():
            raise ValueError(hop)
    return str(ipaddress.ip_address(candidate))


def _is_port(text: str, prefix: str) -> bool:
    return text.startswith(prefix) and text[len(prefix) :].isdigit()


def translate(environ: Environ, trusted_proxy: str) -> None:
    """Believe the trusted proxy's forwarded headers (see the module) and remove every other; in place."""
    if not trusted_proxy or environ.get("REMOTE_ADDR") != trusted_proxy:
        for name in FORWARDED_HEADERS:
            environ.pop(name, None)
        return
    for name in FORWARDED_HEADERS:
        if name not in BELIEVED:
            environ.pop(name, None)

    proto = environ.get("HTTP_X_FORWARDED_PROTO")
    if proto is not None:
        scheme = _last(proto).lower() if "," not in proto else ""
        if scheme not in DEFAULT_PORTS:
            raise MalformedHeader("X-Forwarded-Proto", proto)
        environ["HTTP_X_FORWARDED_PROTO"] = scheme
        environ["wsgi.url_scheme"] = scheme
        environ["SERVER_PORT"] = DEFAULT_PORTS[scheme]

    forwarded_for = environ.get("HTTP_X_FORWARDED_FOR")
    if forwarded_for is not None:
        hop = _last(forwarded_for)
        try:
            address = client_address(hop)
        except ValueError:
            raise MalformedHeader("X-Forwarded-For", forwarded_for) from None
        environ["HTTP_X_FORWARDED_FOR"] = hop  # the proxy's hop only: the rest is the client's claim
        environ["REMOTE_ADDR"] = address
        environ["REMOTE_HOST"] = address
        environ.pop("REMOTE_PORT", None)  # the proxy's port, not the client's

    forwarded_host = environ.get("HTTP_X_FORWARDED_HOST")
    if forwarded_host is not None:
        host = _last(forwarded_host)
        if not host or any(c.isspace() or c in "/\\@" for c in host):
            raise MalformedHeader("X-Forwarded-Host", forwarded_host)
        environ["HTTP_X_FORWARDED_HOST"] = host
        environ["HTTP_HOST"] = host  # the site validates it against ALLOWED_HOSTS as any Host
        name, colon, port = host.rpartition(":")
        if colon and port.isdigit() and not host.endswith("]"):
            environ["SERVER_NAME"], environ["SERVER_PORT"] = name, port
        else:
            environ["SERVER_NAME"] = host


def bad_request(start_response: StartResponse, header: str) -> list[bytes]:
    body = f"Bad Request: malformed {header} header\n".encode()
    start_response(
        "400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


class TrustedProxy:
    """``application`` behind one trusted proxy (an address; empty: none is trusted, every header removed)."""

    def __init__(self, application: Application, trusted_proxy: str = "") -> None:
        self.application = application
        self.trusted_proxy = trusted_proxy.strip()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            translate(environ, self.trusted_proxy)
        except MalformedHeader as error:
            return bad_request(start_response, error.header)
        return self.application(environ, start_response)
