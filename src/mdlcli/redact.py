"""Private feed URLs are secrets: the token in one is never shown.

An LMS gives each student a calendar feed whose URL is the password to it: Canvas puts the token
in the path (`/feeds/calendars/user_<40 characters>.ics`), Moodle in the query
(`?userid=5&authtoken=<40 hex digits>`). mdl keeps the URL to download the feed again, but
everything it shows or writes for a person (`courses`, `config`, errors, JSON) shows it with the
token replaced by `…`.
"""

from __future__ import annotations

import re
import urllib.parse

# Query keys whose values are credentials whatever they look like.
_SECRET_KEYS = re.compile(r"(token|key|secret|signature|sig|password|pass|auth|hash|session)", re.IGNORECASE)
# A run of letters and digits this long, mixing both, is a token, not a word of a path.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{12,}")


def _is_token(text: str) -> bool:
    return bool(_TOKEN.fullmatch(text)) and any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def _segment(segment: str) -> str:
    """`user_AbC…40.ics` → `user_…ics`: a path segment with its token hidden, its kind kept."""
    found = re.fullmatch(r"(?P<prefix>[A-Za-z]+_)?(?P<token>[A-Za-z0-9_-]+)(?P<suffix>\.[A-Za-z0-9]+)?", segment)
    if found is None or not _is_token(found["token"]):
        return segment
    return f"{found['prefix'] or ''}…{(found['suffix'] or '').lstrip('.')}"


def redacted(source: str) -> str:
    """A source as it may be shown: a URL with its tokens hidden; a path as it is."""
    if not source.startswith(("http://", "https://", "webcal://")):
        return source
    parts = urllib.parse.urlsplit(source)
    path = "/".join(_segment(segment) for segment in parts.path.split("/"))
    query = "&".join(_parameter(item) for item in parts.query.split("&")) if parts.query else ""
    netloc = parts.netloc.rsplit("@", 1)[-1] if "@" in parts.netloc else parts.netloc  # user:password@ goes
    return urllib.parse.urlunsplit((parts.scheme, netloc, path, query, ""))


def _parameter(item: str) -> str:
    key, equals, value = item.partition("=")
    if equals and value and (_SECRET_KEYS.search(key) or _is_token(urllib.parse.unquote(value))):
        return f"{key}=…"
    return item


def holds_secret(source: str) -> bool:
    return redacted(source) != source
