"""Fetching a subscribed calendar's address safely (issue #23, part 2).

An association types the address; we fetch it from the municipality's server. So the
address must never reach the server's own neighbourhood (the municipality's network, the
cloud's metadata service at 169.254.169.254, a database on localhost): every name is
resolved once, every address it resolves to is checked, and the connection goes to the
checked address itself, with the name sent as ``Host`` and as TLS SNI (and the certificate
checked against the name). Resolving again when connecting would leave a gap a name with a
short TTL could slip through (DNS rebinding). Redirects are followed here, not by urllib3,
so each new address is checked the same way; at most ``max_redirects``, and an address seen
before in the same fetch is a loop.

Beyond that the fetch gives up politely: one time-out for the whole fetch (connect, answer
and body), a size limit counted while the body streams in, and a body that must be
iCalendar (an HTML page is refused). It sends ``If-None-Match``/``If-Modified-Since`` so an
unchanged feed costs a 304.

Tests serve feeds from 127.0.0.1, which the guard refuses: they name the networks they may
reach in ``KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS`` (empty by default, refused by the deploy
check kalender.E034) or pass ``allowed_networks`` to ``fetch``.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util.ssl_match_hostname import CertificateError as NameMismatch

from .. import exceptions
from ..conf import app_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

USER_AGENT = "frivillig-platform (calendar subscription)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_URL_LENGTH = 2000
# Enough of the body to tell iCalendar from an HTML page before reading on.
SNIFF_BYTES = 512
CHUNK = 64 * 1024
# Networks with another network's IPv4 address inside: NAT64 (RFC 6052, RFC 8215).
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
CGNAT = ipaddress.ip_network("100.64.0.0/10")


@dataclass(frozen=True)
class FetchResult:
    """What a fetch gave: ``"ok"`` with the body (and the validators to send next time), or
    ``"not_modified"`` (304: the feed is as it was; no body). ``url`` is the address the
    body finally came from, after redirects."""

    status: Literal["ok", "not_modified"]
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    url: str = ""


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA) host name, or an IP address without brackets
    port: int
    path: str  # path and query, as sent in the request line


def normalise_url(url: str) -> str:
    """The address as we store and fetch it, or ``FeedAddressInvalid`` (or
    ``FeedAddressHasCredentials``): ``webcal://`` and ``webcals://`` become ``https://``
    (calendar apps' name for the same address), only ``http``/``https`` remain, the host is
    lower-case ASCII (an international name in its IDNA form, Unicode look-alikes such as
    full-width dots folded first by NFKC), the fragment is dropped, and spaces or control
    characters anywhere are refused. Whether the host is internal is decided after DNS
    resolution, in ``fetch``: a name or a numeric trick (``2130706433``, ``0x7f.1``) can
    only be judged by the address it resolves to."""
    if not isinstance(url, str):
        raise exceptions.FeedAddressInvalid()
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH or any(_is_control_or_space(c) for c in url):
        raise exceptions.FeedAddressInvalid()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise exceptions.FeedAddressInvalid() from exc
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        scheme = "https"
    if scheme not in ("http", "https"):
        raise exceptions.FeedAddressInvalid()
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise exceptions.FeedAddressHasCredentials()
    host = _ascii_host(parts.hostname or "")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != (443 if scheme == "https" else 80):
        netloc = f"{netloc}:{port}"
    # Non-ASCII in the path or query is sent percent-encoded (as a browser would);
    # what is already encoded stays as it is.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_control_or_space(char: str) -> bool:
    # Cc: control characters; Cf: invisible format characters (zero-width space,
    # right-to-left override) that make an address read differently than it goes.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def _ascii_host(hostname: str) -> str:
    if not hostname:
        raise exceptions.FeedAddressInvalid()
    try:
        return ipaddress.ip_address(hostname).compressed
    except ValueError:
        pass
    # NFKC folds full-width letters, digits and dots (U+FF0E) to ASCII; IDNA (the standard
    # library's, as the stdlib resolver uses it) turns the rest into xn-- labels.
    name = unicodedata.normalize("NFKC", hostname).lower().rstrip(".")
    name = name.replace("\u3002", ".").replace("\uff61", ".")  # ideographic full stops
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise exceptions.FeedAddressInvalid() from exc
    labels = ascii_name.split(".")
    if not ascii_name or any(
        not label or len(label) > 63 or not all(c.isalnum() or c in "-_" for c in label)
        for label in labels
    ):
        raise exceptions.FeedAddressInvalid()
    try:
        # A dotted IPv4 address written with Unicode digits is an address after all.
        return ipaddress.ip_address(ascii_name).compressed
    except ValueError:
        return ascii_name


def is_forbidden_address(address: IPAddress) -> bool:
    """Whether ``address`` lies in a network a feed must never be fetched from: loopback,
    private (RFC 1918, unique local), link-local (with the cloud's metadata service),
    multicast, reserved, unspecified, shared address space (CGNAT, 100.64.0.0/10), or any
    other network that is not global; an IPv6 address carrying an IPv4 address (mapped,
    6to4, NAT64) is judged by that address, and Teredo is refused outright."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_forbidden_address(address.ipv4_mapped)
        if address.sixtofour is not None:
            return is_forbidden_address(address.sixtofour)
        if address.teredo is not None:
            return True
        if any(address in network for network in NAT64):
            return is_forbidden_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.is_site_local:
            return True
    if isinstance(address, ipaddress.IPv4Address) and address in CGNAT:
        return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _allowed(networks) -> list[Network]:
    if networks is None:
        networks = app_settings.SUBSCRIPTION_ALLOWED_NETWORKS
    return [ipaddress.ip_network(network) for network in networks]


def resolve(host: str, port: int, *, allowed_networks=None, timeout: float | None = None) -> str:
    """The one IP address to connect to for ``host``: resolved once here, and refused
    (``FeedAddressForbidden``) when any address the name gives is internal, so a name that
    answers with a public and a private address cannot choose later. ``timeout`` bounds
    the look-up (a name server of the feed's owner could answer slowly on purpose)."""
    allowed = _allowed(allowed_networks)
    infos = _look_up(host, port, timeout)
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # Strip an IPv6 zone ("fe80::1%eth0"): the address without it is what is checked.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if is_forbidden_address(address) and not any(address in net for net in allowed):
            raise exceptions.FeedAddressForbidden()
        addresses.append(address)
    if not addresses:
        raise exceptions.FeedHostNotFound()
    return addresses[0].compressed


def _look_up(host: str, port: int, timeout: float | None) -> list:
    """``socket.getaddrinfo`` has no time-out of its own: it runs in a daemon thread the
    fetch stops waiting for at its deadline (the thread ends with the resolver's own
    time-out)."""
    answer: dict = {}

    def look_up():
        try:
            answer["infos"] = socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (UnicodeError, OSError) as exc:  # socket.gaierror is an OSError
            answer["error"] = exc

    worker = threading.Thread(target=look_up, name="feed-dns", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise exceptions.FeedTimedOut()
    if "error" in answer or "infos" not in answer:
        raise exceptions.FeedHostNotFound() from answer.get("error")
    return answer["infos"]


def _target(url: str) -> _Target:
    parts = urlsplit(url)
    scheme = parts.scheme
    port = parts.port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(scheme=scheme, host=parts.hostname or "", port=port, path=path)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float | None = None,
    max_bytes: int | None = None,
    max_redirects: int | None = None,
    allowed_networks=None,
) -> FetchResult:
    """Fetch a feed: ``FetchResult`` on 200 (an iCalendar body) or 304, one of the
    ``FeedError`` subclasses otherwise. ``timeout`` (seconds) bounds the whole fetch,
    redirects included; ``max_bytes`` the body; the defaults are the site's
    ``KALENDER_SUBSCRIPTION_*`` settings. ``allowed_networks`` (CIDR strings) overrides
    ``KALENDER_SUBSCRIPTION_ALLOWED_NETWORKS``: for tests only."""
    timeout = app_settings.SUBSCRIPTION_TIMEOUT if timeout is None else timeout
    max_bytes = app_settings.SUBSCRIPTION_MAX_BYTES if max_bytes is None else max_bytes
    if max_redirects is None:
        max_redirects = app_settings.SUBSCRIPTION_MAX_REDIRECTS
    deadline = time.monotonic() + timeout
    current = normalise_url(url)
    seen = {current}
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    redirects = 0
    while True:
        response = _request(current, headers, deadline, allowed_networks)
        try:
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location", "")
                if not location:
                    raise exceptions.FeedHTTPError(http_status=response.status)
                if redirects >= max_redirects:
                    raise exceptions.FeedTooManyRedirects()
                following = normalise_url(urljoin(current, location.strip()))
                if following in seen:
                    raise exceptions.FeedRedirectLoop()
                seen.add(following)
                current = following
                redirects += 1
                continue
            if response.status == 304:
                return FetchResult(
                    status="not_modified",
                    etag=response.headers.get("ETag", etag),
                    last_modified=response.headers.get("Last-Modified", last_modified),
                    url=current,
                )
            if response.status != 200:
                raise exceptions.FeedHTTPError(http_status=response.status)
            body = _read_body(response, max_bytes, deadline)
            return FetchResult(
                status="ok",
                body=body,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
                url=current,
            )
        finally:
            # Never back into a pool: each request has its own connection to its own IP.
            response.release_conn()
            response.close()


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise exceptions.FeedTimedOut()
    return left


def _request(url: str, headers: dict, deadline: float, allowed_networks):
    target = _target(url)
    ip = resolve(
        target.host,
        target.port,
        allowed_networks=allowed_networks,
        timeout=_remaining(deadline),
    )
    default_port = 443 if target.scheme == "https" else 80
    host_header = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != default_port:
        host_header = f"{host_header}:{target.port}"
    left = _remaining(deadline)
    pool_options = {
        "timeout": urllib3.Timeout(connect=left, read=left),
        "retries": False,
        "maxsize": 1,
    }
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            ip,
            target.port,
            # The certificate is checked against the name, and SNI names it, although the
            # socket goes to the IP address checked above.
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **pool_options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(ip, target.port, **pool_options)
    try:
        return pool.urlopen(
            "GET",
            target.path,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except MaxRetryError as exc:
        raise _feed_error(exc.reason) from exc
    except HTTPError as exc:
        raise _feed_error(exc) from exc
    finally:
        pool.close()


def _feed_error(error) -> exceptions.FeedError:
    # NewConnectionError is a ConnectTimeoutError in urllib3 2: a refused connection
    # must not read as a slow server.
    if isinstance(error, NewConnectionError):
        return exceptions.FeedConnectionFailed()
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
        return exceptions.FeedTimedOut()
    if isinstance(error, SSLError):
        cause = error.args[0] if error.args else None
        if isinstance(cause, ssl.SSLCertVerificationError | ssl.CertificateError | NameMismatch):
            return exceptions.FeedCertificateInvalid()
    return exceptions.FeedConnectionFailed()


def _read_body(response, max_bytes: int, deadline: float) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise exceptions.FeedTooLarge()
    chunks: list[bytes] = []
    size = 0
    sniffed = False
    try:
        while True:
            # read1 returns what has arrived, so a server dripping a byte at a time meets
            # the whole fetch's deadline, not a fresh read time-out per byte.
            _shorten_read_timeout(response, _remaining(deadline))
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise exceptions.FeedTooLarge()
            chunks.append(chunk)
            if not sniffed and size >= SNIFF_BYTES:
                _check_icalendar(b"".join(chunks))
                sniffed = True
    except (ReadTimeoutError, TimeoutError) as exc:
        raise exceptions.FeedTimedOut() from exc
    except HTTPError as exc:
        raise _feed_error(exc) from exc
    body = b"".join(chunks)
    _check_icalendar(body)
    return body


def _shorten_read_timeout(response, left: float) -> None:
    """Each wait for the next bytes ends at the fetch's deadline at the latest."""
    sock = getattr(getattr(response, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(left)


def _check_icalendar(start: bytes) -> None:
    """An iCalendar body begins with BEGIN:VCALENDAR (after a byte-order mark or blank
    lines some exporters write); an HTML page (a login page, a 'calendar not found' page
    answered with 200) does not."""
    head = start[:SNIFF_BYTES]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise exceptions.FeedNotICalendar()
