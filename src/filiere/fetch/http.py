"""A polite HTTP client: the only place of filiere that talks to the network.

``PoliteClient.get`` is the orchestrator for one URL:
1. robots.txt of the URL's origin, read once per run and honoured as RFC 9309 says (protego: ``*`` and ``$`` in
   paths, the longest matching rule wins), its Crawl-delay too;
2. wait for the host's turn: one request at a time, ``delay`` seconds after the last one ended;
3. GET with a clear User-Agent and one deadline for the whole request (connecting, the headers and the body
   together: a server sending a byte a second cannot hold it longer), the body streamed and cut at ``max_bytes``;
4. on 429 and 5xx (or a timeout, a broken connection) wait (Retry-After, else a doubling back-off) and retry;
5. follow redirects by hand, at most ``max_redirects``, each hop checked against robots.txt again.
A conditional GET sends the validators given (If-None-Match, If-Modified-Since); 304 comes back as is.
"""
from __future__ import annotations

import email.utils
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from ..errors import FetchError, InputError
from ..ingest.read import decode
from .settings import DEFAULT_USER_AGENT, FetchSettings  # noqa: F401 (also read from here)

log = logging.getLogger("filiere.fetch")

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay above this is read as this, so one host cannot stall a run


@dataclass(frozen=True, slots=True)
class Response:
    """What a GET brought back, after redirects."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    redirects: int = 0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text. The bytes win over the charset the server declared when they say otherwise (UTF-8
        bytes under 'iso-8859-1' were stored as 'Ã©', issue 13); the declared charset decides what the bytes
        cannot tell (``ingest.read.decode``)."""
        return decode(self.body, self.url, declared=_charset(self.headers.get("content-type", "")))


class PoliteClient:
    """One request at a time per host, robots.txt honoured, retries with back-off, size and redirect limits."""

    def __init__(self, settings: FetchSettings = FetchSettings(), transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.sleep = sleep
        self.requests = 0
        self._robots: dict[str, Protego | FetchError] = {}
        self._last: dict[str, float] = {}
        self._crawl_delays: dict[str, float] = {}
        self._deadline = _Deadline()
        self._http = httpx.Client(headers={"User-Agent": settings.user_agent}, follow_redirects=False,
                                  timeout=settings.timeout, trust_env=settings.trust_env,
                                  transport=transport or httpx.HTTPTransport(trust_env=settings.trust_env))
        # one deadline per request on every transport of the client, proxies from the environment included
        for mounted in [getattr(self._http, "_transport", None), *getattr(self._http, "_mounts", {}).values()]:
            _with_deadline(mounted, self._deadline)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "PoliteClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            robots: bool = True) -> Response:
        """GET a URL politely, following redirects.

        Args:
            url: an http(s) URL.
            etag, last_modified: validators of an earlier answer, for a conditional GET.
            robots: check robots.txt first (off only to read robots.txt itself).
        Returns:
            A 200 response with its body, or a 304 one for a conditional GET.
        Raises:
            FetchError: refused by robots.txt, HTTP 4xx, 429/5xx or timeouts after every retry, a body over
                ``max_bytes``, too many redirects. ``permanent`` tells whether a later run may try again.
        """
        headers = _conditional_headers(etag, last_modified)
        url = _valid(url)
        for hop in range(self.settings.max_redirects + 1):
            if robots:
                self._check_robots(url)
            response = self._with_retries(url, headers)
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES:
                return _checked(response, hop)
            if not location:
                raise FetchError(url, f"HTTP {response.status} without a Location header")
            url = _next_hop(url, location)
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def allowed(self, url: str) -> bool:
        """True when robots.txt lets us fetch the URL (robots.txt is read if needed)."""
        try:
            self._check_robots(url)
        except FetchError:
            return False
        return True

    # robots.txt --------------------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, FetchError):
            raise FetchError(url, f"not fetched: robots.txt unreachable ({rules.reason})", permanent=False)
        if not rules.can_fetch(url, self.settings.user_agent):
            raise FetchError(url, "forbidden by robots.txt")

    def _read_robots(self, origin: str) -> Protego | FetchError:
        """The rules of an origin; a 4xx means no rules, an unreachable robots.txt means no fetching (RFC 9309)."""
        try:
            response = self.get(origin + "/robots.txt", robots=False)
        except FetchError as error:
            if not error.permanent or not error.reason.startswith("HTTP 4"):
                return error
            return Protego.parse("")
        try:
            rules = Protego.parse(response.text())
        except InputError:  # a robots.txt that is no text: no rules can be read from it
            rules = Protego.parse("")
        delay = rules.crawl_delay(self.settings.user_agent)
        if delay:
            self._crawl_delays[urlsplit(origin).netloc] = min(float(delay), MAX_CRAWL_DELAY)
        return rules

    # one request, its retries and the host's turn -------------------------------------------------------

    def _with_retries(self, url: str, headers: dict[str, str]) -> Response:
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                response = self._once(url, headers)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
                raise FetchError(url, f"not a URL we can fetch ({error})") from None
            except (httpx.TimeoutException, TimeoutError):
                reason, wait = f"timed out after {self.settings.timeout:g} s", self._backoff(attempt)
            except httpx.TransportError as error:
                reason, wait = f"connection failed ({error.__class__.__name__})", self._backoff(attempt)
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                reason = f"HTTP {response.status}"
                wait = _retry_after(response.headers.get("retry-after")) or self._backoff(attempt)
            if attempt + 1 < attempts:
                wait = min(wait, self.settings.max_retry_after)
                log.info("%s: %s; retrying in %.1f s", url, reason, wait)
                self.sleep(wait)
        raise FetchError(url, f"{reason} (after {attempts} attempts)", permanent=False)

    def _backoff(self, attempt: int) -> float:
        return self.settings.backoff * 2 ** attempt

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        host = urlsplit(url).netloc
        self._wait_turn(host)
        self._deadline.at = time.monotonic() + self.settings.timeout
        try:
            self.requests += 1
            with self._http.stream("GET", url, headers=headers) as answer:
                body = self._body(url, answer) if answer.status_code == 200 else b""
                return Response(url=str(answer.url), status=answer.status_code, body=body,
                                headers={k.lower(): v for k, v in answer.headers.items()})
        finally:
            self._deadline.at = None
            self._last[host] = time.monotonic()

    def _wait_turn(self, host: str) -> None:
        delay = max(self.settings.delay, self._crawl_delays.get(host, 0.0))
        wait = self._last.get(host, float("-inf")) + delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)

    def _body(self, url: str, answer: httpx.Response) -> bytes:
        """The body, streamed: refused as soon as it passes max_bytes or the whole response takes too long."""
        limit, deadline = self.settings.max_bytes, self._deadline.at or time.monotonic() + self.settings.timeout
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"page too large ({int(declared)} bytes announced; limit {limit})")
        chunks, size = [], 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"page too large (over {limit} bytes)")
            if time.monotonic() > deadline:
                raise TimeoutError(url)
            chunks.append(chunk)
        return b"".join(chunks)


class _Deadline(threading.local):
    """When the request under way must end (``time.monotonic()``), or None between requests."""

    at: float | None = None


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every connect, read and write cut to what is left of the request's deadline.

    httpx's timeouts hold per operation: a server sending its headers a byte a second never trips them (it held a
    request 247 s with --timeout 5, issue 13); here connecting, the headers and the body share one deadline.
    """

    def __init__(self, deadline: _Deadline, inner: httpcore.NetworkBackend | None = None):
        self._deadline = deadline
        self._inner = inner or httpcore.SyncBackend()

    def left(self, timeout: float | None, error: type[Exception] = httpcore.ReadTimeout) -> float | None:
        """The timeout of one operation: the given one, or less when the deadline is nearer; raises once passed."""
        if self._deadline.at is None:
            return timeout
        left = self._deadline.at - time.monotonic()
        if left <= 0:
            raise error("the request's deadline has passed")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = self._inner.connect_tcp(host, port, self.left(timeout, httpcore.ConnectTimeout), local_address,
                                         socket_options)
        return _DeadlineStream(stream, self)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _DeadlineStream(self._inner.connect_unix_socket(path, self.left(timeout, httpcore.ConnectTimeout),
                                                               socket_options), self)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, backend: DeadlineBackend):
        self._stream, self._backend = stream, backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._backend.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._backend.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, self._backend.left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(stream, self._backend)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


def _with_deadline(transport, deadline: _Deadline) -> None:
    """Put the deadline backend under an httpx transport (its connection pool's network backend). httpx offers no
    public way to name the backend; a transport of another kind (a test's MockTransport) is left as it is."""
    pool = getattr(transport, "_pool", None)
    if isinstance(transport, httpx.HTTPTransport) and hasattr(pool, "_network_backend"):
        pool._network_backend = DeadlineBackend(deadline, pool._network_backend)


def _checked(response: Response, hops: int) -> Response:
    """A 200 or 304 response, with the number of redirects it took; any other status raises."""
    if response.status in (200, 304):
        return Response(response.url, response.status, response.body, response.headers, hops)
    permanent = response.status not in RETRY_STATUSES and response.status != 408
    raise FetchError(response.url, f"HTTP {response.status}", permanent=permanent)


def _next_hop(url: str, location: str) -> str:
    target = urljoin(url, location)
    if urlsplit(target).scheme not in ("http", "https"):
        raise FetchError(url, f"redirected to a non-HTTP address ({target[:200]})")
    return _valid(target)


def _valid(url: str) -> str:
    """The URL, when it is an http(s) URL httpx and urllib both read; else a (permanent) FetchError."""
    try:
        parts = urlsplit(url)
        parts.port  # raises on a bad port
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as error:
        raise FetchError(url[:300], f"not a URL we can fetch ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(url[:300], "not a URL we can fetch (http or https only)")
    return url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"\'')
    return None
