"""Downloads of published course files: conditional, bounded in size and time, never half-kept.

Only a URL the user gave (`mdl add URL`, then `mdl update`) is ever asked for.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from . import __version__
from .errors import DataError

CHUNK = 64 * 1024


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

    A body over `limit` bytes is refused while it streams in (a Content-Length over the limit is
    refused before); redirects are followed; `timeout` bounds the connection and each read.
    """
    headers = {"User-Agent": f"mdl/{__version__}", "Accept": "application/yaml, text/yaml, text/plain, */*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the scheme was checked: http(s) only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - likewise
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url}: the file is {int(declared)} bytes; a course file is at most {limit}")
            data = bytearray()
            while chunk := response.read(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise FetchError(f"{url}: the file is larger than {limit} bytes; not a course file")
            return Fetched(bytes(data), response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(None, exc.headers.get("ETag") or etag, exc.headers.get("Last-Modified") or last_modified)
        raise FetchError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"{url}: no answer within {timeout:g} s") from None
        raise FetchError(f"{url}: cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
    except TimeoutError:
        raise FetchError(f"{url}: no answer within {timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # a reset connection, a malformed URL or answer
        raise FetchError(f"{url}: download failed: {exc}") from None
