"""Downloads of published course files: conditional, bounded in size and time, never half-kept.

Only a URL the user gave (`mdl add URL`, then `mdl update`) is ever asked for, and a redirect is
followed only to another http(s) address.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import __version__
from .errors import DataError
from .redact import redacted
from .sources import accepted

CHUNK = 64 * 1024
WEB_SCHEMES = ("http", "https")
# What a validator may hold to be sent back in a header and written into config.toml as it came.
_LONGEST_VALIDATOR = 512


class FetchError(DataError):
    """A download that did not give a course file: the reason, for the user."""


@dataclass(frozen=True)
class Fetched:
    """What the server answered: new content (`data`), or that the copy is current (`data` None)."""

    data: bytes | None
    etag: str | None
    last_modified: str | None


def fetch(url: str, *, etag: str | None, last_modified: str | None, timeout: float, limit: int) -> Fetched:
    """GET `url`, conditionally when a validator is known: a 304 is `Fetched(None, …)`.

    `timeout` is a deadline for the whole download (connecting, redirects, headers and body): a
    server that sends a byte now and then is given up on when it passes. A body over `limit`
    bytes is refused while it streams in (a Content-Length over the limit is refused before).
    """
    shown = redacted(url)  # a feed's URL holds its password: messages never show it
    if urllib.parse.urlsplit(url).scheme not in WEB_SCHEMES:
        raise FetchError(f"{shown}: not an http:// or https:// address")
    headers = {"User-Agent": f"mdl/{__version__}", "Accept": accepted()}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(_WebRedirects(), _Http(deadline), _Https(deadline))
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the scheme was checked: http(s) only
    try:
        with deadline, opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{shown}: the file is {int(declared)} bytes; a course file is at most {limit}")
            data = bytearray()
            while chunk := response.read(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise FetchError(f"{shown}: the file is larger than {limit} bytes; not a course file")
            deadline.check()  # a body cut short at the deadline is no body
            return Fetched(
                bytes(data), _validator(response.headers.get("ETag")), _validator(response.headers.get("Last-Modified"))
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            if not (etag or last_modified):
                raise FetchError(
                    f"{shown}: the server answered 304 Not Modified to a request for the whole file; no copy to keep"
                ) from None
            return Fetched(
                None,
                _validator(exc.headers.get("ETag")) or etag,
                _validator(exc.headers.get("Last-Modified")) or last_modified,
            )
        raise FetchError(f"{shown}: the server answered {exc.code} {exc.reason}") from None
    except FetchError:
        raise
    except Exception as exc:
        if deadline.expired or _timed_out(exc):
            raise FetchError(f"{shown}: no answer within {timeout:g} s (the whole download)") from None
        if isinstance(exc, urllib.error.URLError):
            raise FetchError(
                f"{shown}: cannot connect: {getattr(exc.reason, 'strerror', None) or exc.reason}"
            ) from None
        if isinstance(exc, OSError | ValueError | http.client.HTTPException):  # a reset connection, a bad answer
            raise FetchError(f"{shown}: download failed: {exc}") from None
        raise


def _timed_out(exc: BaseException) -> bool:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(reason, TimeoutError | socket.timeout)


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified as the server sent it, if it can be sent back; else none is kept.

    A header is Latin-1 text that may hold any byte: one with a control character could not be
    sent in the next request, and would be odd text in the config.
    """
    if value is None or len(value) > _LONGEST_VALIDATOR or not all(" " <= c <= "~" for c in value):
        return None
    return value


class _Deadline:
    """The one deadline of a download: when it passes, every connection it made is shut down.

    A socket's timeout bounds each read, not their sum, so a server that sends one byte a second
    would hold a download forever: a timer closes the connection under the blocked read instead.
    """

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.ends:
            self.expired = True
            raise TimeoutError

    def connection(self, kind: type[http.client.HTTPConnection]) -> Callable[..., http.client.HTTPConnection]:
        """A maker of connections of `kind` that this deadline watches (for urllib's do_open)."""
        deadline = self

        class Watched(kind):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                deadline.check()
                self.timeout = max(0.01, deadline.ends - time.monotonic())
                super().connect()
                # Kept here: urllib lets go of `self.sock` once the headers are in, while the body
                # is still read from it.
                deadline._sockets.append(self.sock)

        return Watched

    def _expire(self) -> None:
        self.expired = True
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                continue


class _Http(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.connection(http.client.HTTPConnection), req)


class _Https(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        context = getattr(self, "_context", None)
        return self.do_open(self.deadline.connection(http.client.HTTPSConnection), req, context=context)


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only: urllib would follow one to ftp:// too, and words a file:// one
    as a server error."""

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        location = headers.get("Location") or headers.get("URI")
        if location is not None:
            newurl = urllib.parse.urljoin(req.full_url, location)
            if urllib.parse.urlsplit(newurl).scheme not in WEB_SCHEMES:
                where, to = redacted(req.full_url), redacted(newurl)
                raise FetchError(f"{where}: redirected to {to}, which is not an http:// or https:// address")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302
