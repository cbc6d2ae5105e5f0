"""Fetching a subscribed calendar safely (issue #23, part 2): a real HTTP server on
127.0.0.1 serves the feeds; the guard against internal networks refuses it unless the test
allows that one address (KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS), and refuses every other
internal address, directly and through a redirect from the allowed server."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import http.server
import ipaddress
import socket
import ssl
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.checks import run_checks

from kalender import exceptions
from kalender.subscriptions import fetch as fetching
from kalender.subscriptions.fetch import fetch, is_forbidden_address, normalise_url

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ical"
LAST_MODIFIED = "Tue, 01 Dec 2026 10:15:00 GMT"
MB = 1024 * 1024


class FeedHandler(http.server.BaseHTTPRequestHandler):
    """The feeds and the hostile answers the tests need; every request is recorded."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/feeds/"):
            return self._feed(path.removeprefix("/feeds/"))
        if path.startswith("/hop/"):  # /hop/3 -> /hop/2 -> /hop/1 -> /hop/0 -> the feed
            left = int(path.removeprefix("/hop/"))
            target = "/feeds/google.ics" if left == 0 else f"/hop/{left - 1}"
            return self._redirect(302 if left % 2 else 301, target)
        if path == "/loop/a":
            return self._redirect(302, "/loop/b")
        if path == "/loop/b":
            return self._redirect(307, f"http://127.0.0.1:{self.server.server_port}/loop/a")
        if path == "/to":  # a redirect to any address the test names
            return self._redirect(302, query["url"][0])
        if path == "/big":  # 20 MB, announced
            return self._big(announce=True)
        if path == "/big-unannounced":  # 20 MB, no Content-Length: counted while streaming
            return self._big(announce=False)
        if path == "/gzip-bomb":  # 20 MB once unpacked, some 20 kB on the wire
            body = gzip.compress(b"BEGIN:VCALENDAR\r\n" + b"\0" * (20 * MB))
            return self._send(200, body, headers={"Content-Encoding": "gzip"})
        if path == "/slow":
            time.sleep(3)
            return self._send(200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        if path == "/drip":
            return self._drip()
        if path == "/missing":
            return self._send(404, b"Not found", "text/plain")
        return self._send(500, b"?", "text/plain")

    def _feed(self, name):
        body = (FIXTURES / name).read_bytes()
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None
            and self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        kind = "text/html; charset=utf-8" if name.endswith(".html") else "text/calendar"
        return self._send(200, body, kind, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def _send(self, status, body, kind="text/calendar; charset=utf-8", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, status, location):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _big(self, *, announce):
        head = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        padding = b"X-PADDING:" + b"x" * 1000 + b"\r\n"
        count = 20 * MB // len(padding)
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if announce:
            self.send_header("Content-Length", str(len(head) + count * len(padding)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(head)
            for _ in range(count):
                self.wfile.write(padding)
                self.server.big_bytes_sent += len(padding)
        except OSError:  # the client gave up, as it should
            pass
        self.close_connection = True

    def _drip(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(b"BEGIN:VCALENDAR\r\n")
            self.wfile.flush()
            for _ in range(50):
                time.sleep(0.1)
                self.wfile.write(b"X")
                self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True


class FeedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.requests = []
        self.big_bytes_sent = 0

    def url(self, path):
        return f"http://127.0.0.1:{self.server_port}{path}"


@pytest.fixture(scope="module")
def server():
    feeds = FeedServer()
    thread = threading.Thread(target=feeds.serve_forever, daemon=True)
    thread.start()
    yield feeds
    feeds.shutdown()
    feeds.server_close()


@pytest.fixture
def allow_local(settings, server):
    """The test server's one address is allowed; every other internal address is not."""
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server.requests.clear()
    return server


# -- the address --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "webcal://calendar.google.com/calendar/ical/x%40group/public/basic.ics",
            "https://calendar.google.com/calendar/ical/x%40group/public/basic.ics",
        ),
        (
            "WEBCALS://Outlook.Office365.com/owa/calendar/a/b/calendar.ics",
            "https://outlook.office365.com/owa/calendar/a/b/calendar.ics",
        ),
        (
            "  https://klub.example/kalender.ics?hold=2&år=2027#top  ",
            "https://klub.example/kalender.ics?hold=2&%C3%A5r=2027",
        ),
        ("https://klub.example:443", "https://klub.example/"),
        ("http://klub.example:8080/k.ics", "http://klub.example:8080/k.ics"),
        ("https://bücher.example/k.ics", "https://xn--bcher-kva.example/k.ics"),
        # Full-width letters and an ideographic full stop fold to the ASCII name.
        ("https://ｋｌｕｂ。example/k.ics", "https://klub.example/k.ics"),
        # An IPv4 address written in full-width digits is the address it reads as.
        ("http://１２７.０.０.１/k.ics", "http://127.0.0.1/k.ics"),
        ("http://[::1]:8000/k.ics", "http://[::1]:8000/k.ics"),
    ],
)
def test_an_address_is_normalised(given, expected):
    assert normalise_url(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "",
        "klub.example/kalender.ics",
        "ftp://klub.example/kalender.ics",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/calendar,BEGIN:VCALENDAR",
        "gopher://127.0.0.1:6379/_INFO",
        "https://klub.example:99999/k.ics",
        "https://klub.example/kalen der.ics",
        "https://klub\u200b.example/k.ics",  # a zero-width space in the name
        "https://klub.example\u202e/k.ics",  # a right-to-left override
        "https:///k.ics",
        "https://klub..example/k.ics",
        "https://" + "a" * 64 + ".example/k.ics",
        "https://klub.example/" + "k" * 2100,
    ],
)
def test_an_address_that_is_not_a_web_address_is_refused(given):
    with pytest.raises(exceptions.FeedAddressInvalid):
        normalise_url(given)


@pytest.mark.parametrize(
    "given",
    [
        "https://user:secret@klub.example/k.ics",
        "https://user@klub.example/k.ics",
        "webcal://:secret@klub.example/k.ics",
        "https://klub.example@10.0.0.1/k.ics",
    ],
)
def test_an_address_with_a_user_name_or_password_is_refused(given):
    with pytest.raises(exceptions.FeedAddressHasCredentials):
        normalise_url(given)


@pytest.mark.parametrize(
    ("address", "forbidden"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # the cloud's metadata service
        ("100.64.0.1", True),  # shared address space (CGNAT)
        ("0.0.0.0", True),  # noqa: S104
        ("224.0.0.1", True),  # multicast
        ("240.0.0.1", True),  # reserved
        ("255.255.255.255", True),
        ("198.18.0.1", True),  # benchmarking
        ("192.0.2.10", True),  # documentation
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("fd12:3456::1", True),
        ("fec0::1", True),  # site-local
        ("ff02::1", True),
        ("::ffff:127.0.0.1", True),  # IPv4-mapped
        ("::ffff:10.0.0.1", True),
        ("::ffff:169.254.169.254", True),
        ("2002:7f00:1::", True),  # 6to4 around 127.0.0.1
        ("2002:a00:1::", True),  # 6to4 around 10.0.0.1
        ("64:ff9b::a00:1", True),  # NAT64 around 10.0.0.1
        ("2001::1", True),  # Teredo
        ("2001:db8::1", True),  # documentation
        ("8.8.8.8", False),
        ("193.163.102.1", False),
        ("::ffff:8.8.8.8", False),
        ("64:ff9b::808:808", False),  # NAT64 around 8.8.8.8
        ("2a00:1450:4001:80b::200e", False),
    ],
)
def test_the_guard_knows_internal_networks(address, forbidden):
    assert is_forbidden_address(ipaddress.ip_address(address)) is forbidden


# -- the guard, before any connection ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/feeds/google.ics",
        "http://10.0.0.1/kalender.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/feeds/google.ics",
        "http://[::ffff:127.0.0.1]:{port}/feeds/google.ics",
        "http://100.64.0.1/k.ics",
        "http://0.0.0.0:{port}/feeds/google.ics",
        "http://2130706433:{port}/feeds/google.ics",  # 127.0.0.1 as one number
        "http://0x7f.1:{port}/feeds/google.ics",  # and in hexadecimal, short
        "http://localhost:{port}/feeds/google.ics",
        "webcal://localhost:{port}/feeds/google.ics",
    ],
)
def test_an_internal_address_is_refused_before_connecting(server, settings, url):
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = []
    server.requests.clear()
    with pytest.raises(exceptions.FeedAddressForbidden):
        fetch(url.format(port=server.server_port))
    assert server.requests == []


def test_an_allowed_network_lets_only_that_network_through(server, settings):
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    with pytest.raises(exceptions.FeedAddressForbidden):
        fetch(server.url("/feeds/google.ics"))
    # The keyword overrides the setting (for a test that needs no settings fixture).
    result = fetch(server.url("/feeds/google.ics"), allowed_networks=["127.0.0.0/30"])
    assert result.status == "ok"


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/kalender.ics",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:{port}/feeds/google.ics",
        "http://127.0.0.2:{port}/feeds/google.ics",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",  # 169.254.169.254, IPv4-mapped
        "https://192.168.0.1/",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(allow_local, target):
    server = allow_local
    target = target.format(port=server.server_port)
    with pytest.raises(exceptions.FeedAddressForbidden):
        fetch(server.url(f"/to?url={target}"))
    # Only the allowed server was asked; the internal address never.
    assert [path.startswith("/to?url=") for path, _headers in server.requests] == [True]


def test_a_redirect_to_an_address_with_a_password_or_another_scheme_is_refused(allow_local):
    with pytest.raises(exceptions.FeedAddressHasCredentials):
        fetch(allow_local.url("/to?url=http://a:b@127.0.0.1/feeds/google.ics"))
    with pytest.raises(exceptions.FeedAddressInvalid):
        fetch(allow_local.url("/to?url=file:///etc/passwd"))


def test_the_name_is_resolved_once_and_the_connection_goes_to_the_checked_address(
    allow_local, monkeypatch
):
    """DNS rebinding: a name that answers 127.0.0.1 (allowed here) and then 10.0.0.1 is
    asked once; the request goes to the address checked and carries the name as Host."""
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    asked = []
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "feeds.rebind.example":
            asked.append(host)
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = allow_local.server_port
    result = fetch(f"http://feeds.rebind.example:{port}/feeds/club.ics")
    assert result.status == "ok"
    assert result.body == (FIXTURES / "club.ics").read_bytes()
    assert asked == ["feeds.rebind.example"]
    ((_path, headers),) = allow_local.requests
    assert headers["Host"] == f"feeds.rebind.example:{port}"


def test_a_name_resolving_to_a_public_and_an_internal_address_is_refused(monkeypatch):
    def both(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", both)
    with pytest.raises(exceptions.FeedAddressForbidden):
        fetch("https://feeds.mixed.example/k.ics")


def test_a_slow_name_server_meets_the_fetchs_deadline(monkeypatch):
    real = socket.getaddrinfo

    def slow(host, port, *args, **kwargs):
        if host == "slow.dns.example":
            time.sleep(2)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()
    with pytest.raises(exceptions.FeedTimedOut):
        fetch("https://slow.dns.example/k.ics", timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_a_name_that_does_not_resolve_is_said_so():
    with pytest.raises(exceptions.FeedHostNotFound):
        fetch("https://no-such-host.invalid/k.ics")


# -- fetching ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["google.ics", "outlook.ics", "club.ics"])
def test_a_feed_is_fetched_with_its_validators(allow_local, name):
    result = fetch(allow_local.url(f"/feeds/{name}"))
    body = (FIXTURES / name).read_bytes()
    assert result.status == "ok"
    assert result.body == body
    assert result.etag == f'"{hashlib.sha256(body).hexdigest()[:16]}"'
    assert result.last_modified == LAST_MODIFIED
    assert result.url == allow_local.url(f"/feeds/{name}")
    ((_path, headers),) = allow_local.requests
    assert headers["Host"] == f"127.0.0.1:{allow_local.server_port}"
    assert "If-None-Match" not in headers and "If-Modified-Since" not in headers


def test_an_unchanged_feed_answers_304_and_gives_no_body(allow_local):
    first = fetch(allow_local.url("/feeds/club.ics"))
    again = fetch(allow_local.url("/feeds/club.ics"), etag=first.etag)
    assert (again.status, again.body, again.etag) == ("not_modified", b"", first.etag)
    by_date = fetch(allow_local.url("/feeds/club.ics"), last_modified=first.last_modified)
    assert by_date.status == "not_modified"
    assert by_date.last_modified == first.last_modified
    headers = [headers for _path, headers in allow_local.requests]
    assert headers[1]["If-None-Match"] == first.etag
    assert headers[2]["If-Modified-Since"] == LAST_MODIFIED
    # A validator the server no longer knows brings the whole feed again.
    changed = fetch(allow_local.url("/feeds/club.ics"), etag='"old"')
    assert changed.status == "ok" and changed.body == first.body


def test_webcal_is_fetched_over_http_of_the_same_address(allow_local):
    # webcal:// means https:// ... except that the test server speaks plain http: the
    # address is normalised to https and the TLS handshake with a plain server fails.
    with pytest.raises(exceptions.FeedConnectionFailed):
        fetch(f"webcal://127.0.0.1:{allow_local.server_port}/feeds/club.ics", timeout=2)


def test_three_redirects_are_followed_and_a_fourth_is_refused(allow_local):
    result = fetch(allow_local.url("/hop/2"))  # 2 -> 1 -> 0 -> the feed: 3 redirects
    assert result.status == "ok"
    assert result.url == allow_local.url("/feeds/google.ics")
    assert result.body == (FIXTURES / "google.ics").read_bytes()
    with pytest.raises(exceptions.FeedTooManyRedirects):
        fetch(allow_local.url("/hop/3"))
    with pytest.raises(exceptions.FeedTooManyRedirects):
        fetch(allow_local.url("/hop/0"), max_redirects=0)


def test_a_redirect_loop_is_refused(allow_local):
    with pytest.raises(exceptions.FeedRedirectLoop):
        fetch(allow_local.url("/loop/a"))
    assert [p for p, _h in allow_local.requests] == ["/loop/a", "/loop/b"]


def test_a_web_page_instead_of_a_calendar_is_refused(allow_local):
    with pytest.raises(exceptions.FeedNotICalendar):
        fetch(allow_local.url("/feeds/not_a_calendar.html"))


def test_an_error_answer_is_refused_with_its_status(allow_local):
    with pytest.raises(exceptions.FeedHTTPError) as caught:
        fetch(allow_local.url("/missing"))
    assert caught.value.http_status == 404
    assert caught.value.status == 400  # our own answer's status is the base's


def test_a_20_mb_feed_is_refused_by_its_announced_length(allow_local):
    started = time.monotonic()
    with pytest.raises(exceptions.FeedTooLarge):
        fetch(allow_local.url("/big"))
    assert time.monotonic() - started < 5


def test_a_20_mb_feed_without_a_length_is_refused_while_it_streams(allow_local):
    allow_local.big_bytes_sent = 0
    with pytest.raises(exceptions.FeedTooLarge):
        fetch(allow_local.url("/big-unannounced"), max_bytes=1 * MB)
    # The client stopped reading at the limit: the server could not write the 20 MB.
    time.sleep(0.2)
    assert allow_local.big_bytes_sent < 10 * MB


def test_a_compressed_body_is_counted_unpacked(allow_local):
    with pytest.raises(exceptions.FeedTooLarge):
        fetch(allow_local.url("/gzip-bomb"))


def test_the_default_limit_is_5_mb(allow_local, settings):
    assert fetching.app_settings.SUBSCRIPTION_MAX_BYTES == 5 * MB
    with pytest.raises(exceptions.FeedTooLarge):
        fetch(allow_local.url("/big-unannounced"))
    settings.KALENDER_SUBSCRIPTION_MAX_BYTES = 100 * 1024
    with pytest.raises(exceptions.FeedTooLarge):
        fetch(allow_local.url("/feeds/many_occurrences.ics"), max_bytes=100)


def test_a_slow_answer_times_out(allow_local):
    started = time.monotonic()
    with pytest.raises(exceptions.FeedTimedOut):
        fetch(allow_local.url("/slow"), timeout=0.5)
    assert time.monotonic() - started < 2


def test_a_body_dripping_in_meets_the_whole_fetchs_deadline(allow_local):
    """Each byte comes within the read time-out, but the whole fetch has one deadline."""
    started = time.monotonic()
    with pytest.raises(exceptions.FeedTimedOut):
        fetch(allow_local.url("/drip"), timeout=0.8)
    assert time.monotonic() - started < 2


def test_a_closed_port_is_a_failed_connection(settings):
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(exceptions.FeedConnectionFailed):
        fetch(f"http://127.0.0.1:{port}/k.ics", timeout=2)


def test_every_failure_is_a_feed_error_with_an_english_msgid():
    kinds = [
        cls
        for cls in vars(exceptions).values()
        if isinstance(cls, type) and issubclass(cls, exceptions.FeedError)
    ]
    assert len(kinds) >= 14
    for kind in kinds:
        assert issubclass(kind, exceptions.CalendarError)
        assert str(kind.message).endswith(".")


# -- settings --------------------------------------------------------------------------------


def _ids(**kwargs):
    return {message.id for message in run_checks(**kwargs) if message.id.startswith("kalender")}


def test_the_settings_are_checked(settings):
    assert _ids() == set()
    settings.KALENDER_SUBSCRIPTION_TIMEOUT = 0
    settings.KALENDER_SUBSCRIPTION_MAX_BYTES = "5 MB"
    settings.KALENDER_SUBSCRIPTION_MAX_REDIRECTS = 11
    settings.KALENDER_SUBSCRIPTION_MAX_DATES = True
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.1/40"]
    assert _ids() == {
        "kalender.E030",
        "kalender.E031",
        "kalender.E032",
        "kalender.E033",
        "kalender.E035",
    }
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = "127.0.0.1"
    assert "kalender.E033" in _ids()


def test_allowed_networks_are_refused_in_production(settings):
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = []
    assert "kalender.E034" not in _ids(include_deployment_checks=True)
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    assert "kalender.E034" not in _ids()
    assert "kalender.E034" in _ids(include_deployment_checks=True)


# -- https: the certificate is checked against the name, SNI names it ----------------------


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA of the test's own and a server certificate for feeds.tls.example."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def build(subject, issuer, public_key, signing_key, *, ca, names=()):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if names:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
            )
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = build("Test CA", "Test CA", ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = build(
        "feeds.tls.example", "Test CA", key.public_key(), ca_key, ca=False,
        names=["feeds.tls.example"],
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(leaf.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    ca, cert, key = _certificates(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    feeds = FeedServer()
    feeds.server_names = []
    context.sni_callback = lambda sock, name, ctx: feeds.server_names.append(name)
    feeds.socket = context.wrap_socket(feeds.socket, server_side=True)
    thread = threading.Thread(target=feeds.serve_forever, daemon=True)
    thread.start()
    feeds.ca = ca
    yield feeds
    feeds.shutdown()
    feeds.server_close()


@pytest.fixture
def tls_names(tls_server, settings, monkeypatch):
    """Two names resolving to the test server; only feeds.tls.example is on its certificate."""
    settings.KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host.endswith(".tls.example"):
            host = "127.0.0.1"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    tls_server.requests.clear()
    tls_server.server_names.clear()
    return tls_server


def test_https_goes_to_the_checked_address_with_the_name_as_sni_and_host(tls_names, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_names.ca))
    port = tls_names.server_port
    result = fetch(f"webcal://feeds.tls.example:{port}/feeds/outlook.ics")
    assert result.status == "ok"
    assert result.body == (FIXTURES / "outlook.ics").read_bytes()
    assert result.url == f"https://feeds.tls.example:{port}/feeds/outlook.ics"
    assert tls_names.server_names == ["feeds.tls.example"]
    ((_path, headers),) = tls_names.requests
    assert headers["Host"] == f"feeds.tls.example:{port}"


def test_https_with_a_certificate_for_another_name_or_an_unknown_issuer_is_refused(
    tls_names, monkeypatch
):
    port = tls_names.server_port
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_names.ca))
    with pytest.raises(exceptions.FeedCertificateInvalid):
        fetch(f"https://other.tls.example:{port}/feeds/club.ics")
    monkeypatch.delenv("SSL_CERT_FILE")
    with pytest.raises(exceptions.FeedCertificateInvalid):
        fetch(f"https://feeds.tls.example:{port}/feeds/club.ics")
    assert tls_names.requests == []
