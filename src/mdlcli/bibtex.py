"""References as BibTeX: one @misc entry per distinct reference, with stable, unique keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from .model import Course, Reference
from .query import RefEntry, entries
from .textsafe import clean

_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")
# BibTeX counts braces even after a backslash, so a lone brace of a title is written as a
# command: the braces of a field then always balance, whatever the course file says.
_SPECIAL = {c: "\\" + c for c in "&%$#_"} | {
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
# In a URL these would end the field (a brace) or escape its closing brace (a backslash at the
# end); percent-encoded, the address is the same to a browser.
_URL_ESCAPES = {ord(c): f"%{ord(c):02X}" for c in "{}\\"}
_STOP = {"a", "an", "the", "on", "of", "and", "for", "in", "to"}


SIGNATURE = "% Written by mdl"


def written_by_mdl(data: bytes) -> bool:
    """Whether a file is a bibliography mdl wrote (its first line says so), which an export may replace."""
    return data.startswith(SIGNATURE.encode())


def bibliography(course: Course, source: str) -> str:
    """Every reading list of the course in one file, signed so a later export may replace it."""
    # A line outside an entry is a comment to BibTeX and biber alike.
    found = [e for r in course.reading_lists for e in entries(r, course.id)]
    return f"{SIGNATURE} from {' '.join(_ascii(source).split())}; edit the course file, not this file.\n\n" + to_bibtex(
        found
    )


def to_bibtex(found: Iterable[RefEntry]) -> str:
    """Entries in reading-list order; a reference listed twice (same title and URL) is written once."""
    written: list[str] = []
    keys: dict[str, tuple[str, str | None]] = {}
    for e in found:
        ref = e.reference
        identity = (ref.title, ref.url)
        if identity in keys.values():
            continue
        key = _unique(_key(ref), keys)
        keys[key] = identity
        written.append(_entry(key, ref))
    return "\n".join(written)


def _key(ref: Reference) -> str:
    # Author, year and first word of the title: a reference keeps its key when lists are
    # reordered or other references are added, unlike a key made from its position.
    names = [
        w for w in re.split(r"[\s,.&]+", _ascii(ref.authors or "")) if len(w) > 2 and w.lower() not in ("and", "al")
    ]
    words = [w for w in re.findall(r"[A-Za-z0-9]+", _ascii(ref.title)) if w.lower() not in _STOP]
    author = (re.sub(r"[^a-z]", "", names[0].lower()) if names else "") or "anon"
    # A title with no ASCII word (日本語の論文) is told apart by a digest of it: stable, and plain
    # letters and digits that every citing tool accepts.
    word = words[0].lower() if words else hashlib.blake2s(ref.title.encode(), digest_size=3).hexdigest()
    return f"{author}{ref.year or ''}{word}"


def _unique(key: str, taken: dict[str, tuple[str, str | None]]) -> str:
    candidate, n = key, 1
    while candidate in taken:
        n += 1
        candidate = f"{key}-{n}"
    return candidate


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _escape(text: str) -> str:
    return "".join(_SPECIAL.get(c, c) for c in clean(" ".join(text.split())))


def _entry(key: str, ref: Reference) -> str:
    # Authors are written as the list gives them, one braced name: splitting "Su, Boyd, Candes"
    # into BibTeX names would guess at first and last names the source does not give.
    fields: list[tuple[str, str]] = [("title", "{" + _escape(ref.title) + "}")]
    if ref.authors:
        fields.append(("author", "{" + _escape(ref.authors) + "}"))
    if ref.year:
        fields.append(("year", str(ref.year)))
    note = "; ".join(_escape(x) for x in (ref.venue, ref.note) if x)
    if note:
        fields.append(("note", note))
    if ref.url:
        fields.append(("url", ref.url.translate(_URL_ESCAPES)))
        arxiv = _ARXIV.search(ref.url)
        if arxiv:
            fields += [("eprint", arxiv.group(1)), ("archiveprefix", "arXiv")]
    if ref.read:  # JabRef's field: a reference manager shows it read as mdl does
        fields.append(("readstatus", "read"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"
