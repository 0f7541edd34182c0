"""Fetch one URL for ingestion without letting the URL lead us somewhere unsafe.

A timeline run can be fed URLs from anywhere (a pasted list, a feed), so the
fetcher treats every hop as untrusted: only http(s), no private or loopback
targets unless the user opts in, a hard cap on body size, and a short list of
text content types.  Redirects are followed by hand so each new location goes
through the same checks as the first.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx

from .model import DEFAULT_MAX_BYTES

USER_AGENT = "storyline/0.1"

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
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        timeout: float = 15.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = 5,
        allowed_hosts: set[str] | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allowed_hosts = (
            {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None
        )

    def get(self, url: str) -> Fetched:
        # trust_env=False: a proxy from the environment would hide the real
        # peer address, which the private-address check relies on.
        with httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=self.timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": USER_AGENT},
        ) as client:
            current = self._check_url(url)
            for _hop in range(self.max_redirects + 1):
                try:
                    with client.stream("GET", current) as resp:
                        self._check_peer(resp, current.host)
                        if resp.status_code in _REDIRECTS and "location" in resp.headers:
                            current = self._check_url(str(current.join(resp.headers["location"])))
                            continue
                        return self._finish(resp, current)
                except httpx.TimeoutException:
                    raise FetchError(f"timed out after {self.timeout:g} s") from None
                except httpx.ConnectError as exc:
                    raise FetchError(f"could not connect to {current.host}: {_short(exc)}") from None
                except httpx.HTTPError as exc:
                    raise FetchError(f"request failed: {_short(exc)}") from None
        raise FetchError(f"too many redirects (more than {self.max_redirects})")

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
        return Fetched(url=str(url), content_type=media, body=b"".join(chunks), charset=charset)


def _private(host: str) -> FetchError:
    return FetchError(f"refused: {host} resolves to a private/loopback address (use --allow-private to permit)")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text and text[0] else type(exc).__name__
