"""ttdn.site.proxy: the trusted proxy's forwarded headers are believed, everyone else's removed (pure WSGI)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.site.proxy import FORWARDED_HEADERS, TrustedProxy

PROXY = "127.0.0.1"


def environ(peer: str, **headers: str) -> dict:
    """A request's environ as the server builds it: from ``peer``, over http, to 127.0.0.1:8000."""
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/login/",
        "REMOTE_ADDR": peer,
        "REMOTE_PORT": "51234",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
    }
    return {**base, **{f"HTTP_{name.upper()}": value for name, value in headers.items()}}


def served(env: dict, trusted_proxy: str = PROXY) -> tuple[str, dict | None]:
    """The status and the environ the application saw (None: it was not called)."""
    seen: list[dict] = []
    statuses: list[str] = []

    def application(environ: dict, start_response):
        seen.append(dict(environ))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        statuses.append(status)

    body = b"".join(TrustedProxy(application, trusted_proxy)(env, start_response))
    assert body
    return statuses[0], (seen[0] if seen else None)


def test_the_trusted_proxy_is_believed() -> None:
    status, seen = served(
        environ(
            PROXY,
            x_forwarded_proto="https",
            x_forwarded_for="203.0.113.7",
            x_forwarded_host="ttdn.example.gov.vn",
        )
    )
    assert status == "200 OK"
    assert seen["wsgi.url_scheme"] == "https" and seen["HTTP_X_FORWARDED_PROTO"] == "https"
    # The client's address; the port was the proxy's, not the client's.
    assert seen["REMOTE_ADDR"] == "203.0.113.7" and "REMOTE_PORT" not in seen
    assert seen["HTTP_HOST"] == "ttdn.example.gov.vn" and seen["SERVER_NAME"] == "ttdn.example.gov.vn"
    assert seen["SERVER_PORT"] == "443"


def test_the_trusted_proxy_host_keeps_its_port() -> None:
    _, seen = served(environ(PROXY, x_forwarded_host="127.0.0.1:8443", x_forwarded_proto="https"))
    assert seen["HTTP_HOST"] == "127.0.0.1:8443"
    assert (seen["SERVER_NAME"], seen["SERVER_PORT"]) == ("127.0.0.1", "8443")


def test_the_headers_the_proxy_is_not_believed_for_are_removed_even_from_it() -> None:
    _, seen = served(environ(PROXY, forwarded="for=6.6.6.6;proto=https", x_forwarded_port="443"))
    assert "HTTP_FORWARDED" not in seen and "HTTP_X_FORWARDED_PORT" not in seen
    assert seen["wsgi.url_scheme"] == "http" and seen["REMOTE_ADDR"] == PROXY


def test_an_untrusted_peer_is_believed_nothing() -> None:
    headers = {
        "x_forwarded_proto": "https",
        "x_forwarded_for": "127.0.0.1",
        "x_forwarded_host": "evil.example",
        "forwarded": "for=127.0.0.1;proto=https",
        "x_forwarded_port": "443",
        "x_forwarded_by": "127.0.0.1",
    }
    status, seen = served(environ("198.51.100.20", **headers))
    assert status == "200 OK"
    assert not [name for name in FORWARDED_HEADERS if name in seen]
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["REMOTE_ADDR"] == "198.51.100.20" and seen["REMOTE_PORT"] == "51234"
    assert seen["HTTP_HOST"] == "127.0.0.1:8000"


def test_with_no_trusted_proxy_even_the_loopback_is_believed_nothing() -> None:
    _, seen = served(
        environ(PROXY, x_forwarded_proto="https", x_forwarded_for="203.0.113.7"), trusted_proxy=""
    )
    assert not [name for name in FORWARDED_HEADERS if name in seen]
    assert seen["wsgi.url_scheme"] == "http" and seen["REMOTE_ADDR"] == PROXY


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", "203.0.113.7"),  # what the client claimed, then the hop the proxy added
        ("10.0.0.1,6.6.6.6,  203.0.113.7 ", "203.0.113.7"),
        ('"203.0.113.7"', "203.0.113.7"),
        ("203.0.113.7:4711", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("6.6.6.6, [2001:db8::1]", "2001:db8::1"),
    ],
)
def test_the_client_is_the_last_hop_the_proxy_added(forwarded_for: str, client: str) -> None:
    _, seen = served(environ(PROXY, x_forwarded_for=forwarded_for))
    assert seen["REMOTE_ADDR"] == client
    assert "," not in seen["HTTP_X_FORWARDED_FOR"]  # the client's claims are gone


def test_missing_headers_change_nothing() -> None:
    _, seen = served(environ(PROXY))
    assert seen["REMOTE_ADDR"] == PROXY and seen["REMOTE_PORT"] == "51234"
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["HTTP_HOST"] == "127.0.0.1:8000" and seen["SERVER_PORT"] == "8000"
    assert not [name for name in FORWARDED_HEADERS if name in seen]


@pytest.mark.parametrize(
    "headers",
    [
        {"x_forwarded_proto": "ftp"},
        {"x_forwarded_proto": "https, http"},
        {"x_forwarded_proto": ""},
        {"x_forwarded_for": "not-an-address"},
        {"x_forwarded_for": "203.0.113.7, "},
        {"x_forwarded_for": "[2001:db8::1"},
        {"x_forwarded_host": ""},
        {"x_forwarded_host": "evil.example/path"},
    ],
)
def test_a_malformed_header_from_the_proxy_is_a_bad_request(headers: dict) -> None:
    status, seen = served(environ(PROXY, **headers))
    assert status.startswith("400") and seen is None


def test_the_scheme_is_read_whatever_its_case() -> None:
    _, seen = served(environ(PROXY, x_forwarded_proto="HTTPS"))
    assert seen["wsgi.url_scheme"] == "https" and seen["HTTP_X_FORWARDED_PROTO"] == "https"


# Header values as a client may send them (latin-1 text, as WSGI servers decode header bytes).
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=60)
header_values = st.dictionaries(
    st.sampled_from(
        [
            "x_forwarded_proto",
            "x_forwarded_for",
            "x_forwarded_host",
            "forwarded",
            "x_forwarded_port",
            "x_forwarded_by",
        ]
    ),
    header_text,
)
peers = st.one_of(st.ip_addresses().map(str), st.just(PROXY))


@given(peer=peers, headers=header_values)
def test_from_an_untrusted_peer_no_value_of_any_header_gets_through(peer: str, headers: dict) -> None:
    trusted = "192.0.2.1" if peer == PROXY else PROXY  # the peer is never the trusted one
    status, seen = served(environ(peer, **headers), trusted_proxy=trusted)
    assert status == "200 OK"
    assert not [name for name in FORWARDED_HEADERS if name in seen]
    assert seen["wsgi.url_scheme"] == "http" and seen["REMOTE_ADDR"] == peer
    assert seen["HTTP_HOST"] == "127.0.0.1:8000"


@given(headers=header_values)
def test_from_the_proxy_any_value_is_believed_well_formed_or_refused(headers: dict) -> None:
    status, seen = served(environ(PROXY, **headers))
    if seen is None:
        assert status.startswith("400")
        return
    assert status == "200 OK"
    assert seen["wsgi.url_scheme"] in ("http", "https")
    assert seen.get("HTTP_X_FORWARDED_PROTO", seen["wsgi.url_scheme"]) == seen["wsgi.url_scheme"]
    ipaddress.ip_address(seen["REMOTE_ADDR"])  # always an address
    if "x_forwarded_for" not in headers:
        assert seen["REMOTE_ADDR"] == PROXY
    assert "HTTP_FORWARDED" not in seen and "HTTP_X_FORWARDED_PORT" not in seen


@given(
    claimed=st.lists(st.one_of(st.ip_addresses().map(str), header_text.filter(lambda t: "," not in t))),
    client=st.ip_addresses(),
)
def test_whatever_the_client_claims_the_address_is_the_proxy_s_hop(claimed: list[str], client) -> None:
    """nginx's $proxy_add_x_forwarded_for appends the peer to what the client sent: only that last hop counts."""
    _, seen = served(environ(PROXY, x_forwarded_for=", ".join([*claimed, str(client)])))
    assert seen["REMOTE_ADDR"] == str(client)
