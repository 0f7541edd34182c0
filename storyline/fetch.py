"""Fetch one URL for ingestion without letting the URL lead us somewhere unsafe.

A timeline run can be fed URLs from anywhere (a pasted list, a feed), so the
fetcher treats every hop as untrusted: only http(s), no private or loopback
targets unless the user opts in, a hard cap on body size, and a short list of
text content types.  Redirects are followed by hand so each new location goes
through the same checks as the first.  Besides the timeout on each network
read, a fetch has a total deadline covering every hop, so a server that
sends one byte now and then cannot hold a build for ever.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass

import httpx

from .model import DEFAULT_MAX_BYTES

USER_AGENT = "storyline/0.1"

# Seconds one URL may take in all (connect, redirects and body), when the
# Fetcher is not given its own deadline.  Read when a Fetcher is made.
DEFAULT_DEADLINE = 60.0

ALLOWED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
        "text/plain",
    }
)
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A URL could not be used; the message is one line meant for the user."""


@dataclass
class Fetched:
    url: str  # where we ended up, after redirects
    content_type: str  # media type only, lower case ("text/html"); "" if absent
    body: bytes
    charset: str | None = None  # from the Content-Type header, when given
    status: int = 200  # 304 only for a conditional get() whose copy is still current (then no body)
    etag: str | None = None  # the ETag and Last-Modified headers, for the next conditional request
    last_modified: str | None = None


def is_public_address(addr: str) -> bool:
    """False for anything that could reach the local machine or its network."""
    try:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:127.0.0.1 is still loopback
        ip = mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def format_size(n: int) -> str:
    """A cap as people say it: "20 MB", or plain bytes for tiny test caps."""
    mb = n / (1024 * 1024)
    if mb >= 1 and mb == int(mb):
        return f"{int(mb)} MB"
    if mb >= 0.1:
        return f"{mb:.1f} MB"
    return f"{n} bytes"


class Fetcher:
    """GETs a URL with safety checks on every hop.

    ``allowed_hosts``, when given, is an extra restriction (only these host
    names may be contacted); it does not lift the private-address check.
    ``timeout`` bounds each connect and each network read; ``deadline``
    (default ``DEFAULT_DEADLINE``) bounds the whole of one ``get()``.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        timeout: float = 15.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = 5,
        allowed_hosts: set[str] | None = None,
        deadline: float | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.deadline = DEFAULT_DEADLINE if deadline is None else deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allowed_hosts = (
            {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None
        )

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The response to GET ``url``; ``FetchError`` when it cannot be used.

        ``etag`` and ``last_modified`` (from an earlier ``Fetched``) make the
        request conditional (If-None-Match, If-Modified-Since): a server whose
        copy has not changed answers 304, returned as a ``Fetched`` with
        ``status`` 304 and no body.
        """
        conditions = {name: value for name, value in (("If-None-Match", etag),
                                                      ("If-Modified-Since", last_modified)) if value}
        # The watchdog shuts this fetch's sockets when the deadline passes, which ends
        # any read at once, however slowly a server drips; ``fired`` then says why.
        watchdog = _Watchdog(self.deadline)
        # trust_env=False: a proxy from the environment would hide the real
        # peer address, which the private-address check relies on.
        with httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=self.timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": USER_AGENT},
        ) as client, watchdog:
            current = self._check_url(url)
            for _hop in range(self.max_redirects + 1):
                if watchdog.fired:
                    raise self._too_slow()
                try:
                    with client.stream("GET", current, headers=conditions,
                                       extensions={"trace": watchdog.trace}) as resp:
                        self._check_peer(resp, current.host)
                        if resp.status_code in _REDIRECTS and "location" in resp.headers:
                            current = self._check_url(str(current.join(resp.headers["location"])))
                            continue
                        if resp.status_code == 304 and conditions:
                            got = Fetched(url=str(current), content_type="", body=b"", status=304,
                                          **_validators(resp))
                        else:
                            got = self._finish(resp, current)
                    if watchdog.fired:  # the body may have ended only because we cut it
                        raise self._too_slow()
                    return got
                except (httpx.HTTPError, OSError) as exc:
                    if watchdog.fired:
                        raise self._too_slow() from None
                    if isinstance(exc, httpx.TimeoutException):
                        raise FetchError(f"timed out after {self.timeout:g} s") from None
                    if isinstance(exc, httpx.ConnectError):
                        raise FetchError(f"could not connect to {current.host}: {_short(exc)}") from None
                    if isinstance(exc, httpx.HTTPError):
                        raise FetchError(f"request failed: {_short(exc)}") from None
                    raise
        raise FetchError(f"too many redirects (more than {self.max_redirects})")

    def _too_slow(self) -> FetchError:
        return FetchError(f"gave up after {self.deadline:g} s (server too slow)")

    # -- checks -------------------------------------------------------------

    def _check_url(self, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchError(f"invalid URL: {_short(exc)}") from None
        if parsed.scheme not in ("http", "https"):
            raise FetchError(f"refused: only http and https URLs are fetched, not {parsed.scheme or 'none'}")
        host = parsed.host
        if not host:
            raise FetchError("invalid URL: no host")
        if self.allowed_hosts is not None and host.lower() not in self.allowed_hosts:
            raise FetchError(f"refused: {host} is not in the allowed hosts")
        if not self.allow_private:
            port = parsed.port or (443 if parsed.scheme == "https" else 80)
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError, OSError):
                raise FetchError(f"could not resolve host {host}") from None
            if not infos or any(not is_public_address(info[4][0]) for info in infos):
                raise _private(host)
        return parsed

    def _check_peer(self, resp: httpx.Response, host: str) -> None:
        """Check the address we actually connected to, in case DNS changed
        between our lookup and httpx's own."""
        if self.allow_private:
            return
        stream = resp.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer and not is_public_address(str(peer[0])):
            raise _private(host)

    def _finish(self, resp: httpx.Response, url: httpx.URL) -> Fetched:
        if not 200 <= resp.status_code < 300:
            raise FetchError(f"HTTP {resp.status_code}")
        header = resp.headers.get("content-type", "")
        media, _, params = header.partition(";")
        media = media.strip().lower()
        # A missing type is let through: ingestion sniffs the body instead.
        if media and media not in ALLOWED_TYPES:
            raise FetchError(f"unsupported content type {media}")
        charset = None
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip("\"'")
        cap = format_size(self.max_bytes)
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"response larger than the {cap} cap")
        chunks: list[bytes] = []
        size = 0
        # iter_bytes() yields decompressed data, so the cap also stops gzip bombs.
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"response larger than the {cap} cap")
            chunks.append(chunk)
        return Fetched(url=str(url), content_type=media, body=b"".join(chunks), charset=charset,
                       **_validators(resp))


def _validators(resp: httpx.Response) -> dict[str, str | None]:
    """The response's ETag and Last-Modified headers, as ``Fetched`` fields."""
    return {"etag": resp.headers.get("etag") or None, "last_modified": resp.headers.get("last-modified") or None}


class _Watchdog:
    """Cuts the connections of one ``get()`` once its deadline has passed.

    The per-read timeout cannot stop a server that keeps sending a byte at a
    time, in the headers as well as the body, and httpx reads headers without
    returning to us in between.  So a timer shuts the sockets down from its
    own thread, which ends any blocked read at once; ``get()`` sees
    ``fired`` and reports the deadline.  Sockets are learnt from httpcore's
    documented ``trace`` request extension as each connection is made.
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._over = False
        self._lock = threading.Lock()
        self._streams: list = []
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        with self._lock:
            self._over = True
        self._timer.cancel()

    def trace(self, event: str, info: dict) -> None:
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        if stream is None:
            return
        with self._lock:
            self._streams.append(stream)
            if self.fired:  # connected just as time ran out
                _cut(stream)

    def _fire(self) -> None:
        with self._lock:
            if self._over:
                return
            self.fired = True
            for stream in self._streams:
                _cut(stream)


def _cut(stream) -> None:
    sock = stream.get_extra_info("socket")
    if sock is None:
        return
    try:
        # socket.socket's own shutdown, not SSLSocket's, which would also
        # unwrap the TLS object under the feet of the reading thread.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed, or never connected


def _private(host: str) -> FetchError:
    return FetchError(f"refused: {host} resolves to a private/loopback address (use --allow-private to permit)")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text and text[0] else type(exc).__name__
