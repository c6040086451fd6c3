"""The sources file (TOML): what to follow, each source with a name, a kind, where to read it, and its filters.

```toml
[[source]]
name = "example-auto"                      # unique; how reports and `filiere sources` name it
kind = "feed"                              # feed (RSS or Atom) | sitemap (news sitemaps too) | urls
url = "https://example.org/auto/feed.xml"  # a `urls` source takes `urls = [...]`, a `url` (a text file
                                           # online, one URL per line) or a `file` (local, same format)
keywords = ["automobile", "Renault"]       # optional: keep articles whose title or text names one
url_patterns = ["/economie/", "/auto/"]    # optional regular expressions: only URLs matching one are fetched
language = "fr"                            # optional: keep articles in this language
```

An error names the file, the key path and the reason, like every pack file.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

KINDS = ("feed", "sitemap", "urls")
KEYS = {"name", "kind", "url", "urls", "file", "keywords", "url_patterns", "language"}


@dataclass(frozen=True, slots=True)
class Source:
    """One source to follow and its filters."""

    name: str
    kind: str
    url: str | None = None
    urls: tuple[str, ...] = ()
    file: str | None = None
    keywords: tuple[str, ...] = ()
    url_patterns: tuple[str, ...] = ()
    language: str | None = None

    def wants_url(self, url: str) -> bool:
        """True when the URL matches one of the source's patterns (or the source has none)."""
        return not self.url_patterns or any(re.search(p, url) for p in self.url_patterns)

    def wants_text(self, title: str | None, text: str, language: str) -> str | None:
        """None when the article passes the keyword and language filters, else why it does not."""
        if self.language and language != self.language:
            return f"language {language}, not {self.language}"
        if self.keywords:
            haystack = _fold(f"{title or ''}\n{text}")
            if not any(_fold(k) in haystack for k in self.keywords):
                return "none of the keywords"
        return None


def load_sources(path: str | Path) -> list[Source]:
    """The sources of a TOML file, validated.

    Args:
        path: the sources file.
    Returns:
        The sources in file order.
    Raises:
        InputError: unreadable file, bad TOML, unknown key, missing or ill-typed value, duplicate name.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"not valid TOML ({error})") from None
    unknown = set(data) - {"source"}
    if unknown:
        raise InputError(path, f"unknown key(s) {sorted(unknown)}", "list sources as [[source]] tables")
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "no [[source]] table", "add at least one [[source]] with a name, a kind and a url")
    sources = [_source(entry, f"{path}: source[{i}]", path.parent) for i, entry in enumerate(entries)]
    _check_unique([s.name for s in sources], path)
    return sources


def _source(entry: object, where: str, folder: Path) -> Source:
    if not isinstance(entry, dict):
        raise InputError(where, "not a table")
    unknown = set(entry) - KEYS
    if unknown:
        raise InputError(where, f"unknown key(s) {sorted(unknown)}", f"allowed: {', '.join(sorted(KEYS))}")
    name = _text(entry, "name", where, required=True)
    kind = _text(entry, "kind", where, required=True)
    if kind not in KINDS:
        raise InputError(f"{where}.kind", f"unknown kind '{kind}'", f"choose one of: {', '.join(KINDS)}")
    file = _text(entry, "file", where)
    source = Source(name=name, kind=kind, url=_url(entry.get("url"), f"{where}.url"),
                    urls=tuple(_url(u, f"{where}.urls[{i}]") for i, u in enumerate(_texts(entry, "urls", where))),
                    file=str(folder / file) if file else None, keywords=_texts(entry, "keywords", where),
                    url_patterns=_patterns(entry, where), language=_text(entry, "language", where))
    _check_location(source, where)
    return source


def _check_location(source: Source, where: str) -> None:
    if source.kind != "urls" and not source.url:
        raise InputError(f"{where}.url", "missing", f"a {source.kind} source needs the URL to read")
    if source.kind != "urls" and (source.urls or source.file):
        raise InputError(where, f"'urls' and 'file' are for kind 'urls', not '{source.kind}'")
    if source.kind == "urls" and not (source.url or source.urls or source.file):
        raise InputError(where, "a urls source needs 'urls' (a list), 'url' (a list online) or 'file' (a local list)")


def _text(entry: dict, key: str, where: str, required: bool = False) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise InputError(f"{where}.{key}", "missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}.{key}", "must be a non-empty string")
    return value.strip()


def _texts(entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{where}.{key}", "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _patterns(entry: dict, where: str) -> tuple[str, ...]:
    patterns = _texts(entry, "url_patterns", where)
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as error:
            raise InputError(f"{where}.url_patterns[{i}]", f"not a regular expression ({error})") from None
    return patterns


def _url(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"https?://[^\s/]+", value.strip()):
        raise InputError(where, f"'{value}' is not an http(s) URL")
    return value.strip()


def _check_unique(names: list[str], path: Path) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(path, f"two sources are named '{name}'", "give each source its own name")
        seen.add(name)


def _fold(text: str) -> str:
    """Lower case without accents, so 'Kenitra' matches 'Kénitra'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
