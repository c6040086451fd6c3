"""Finding article URLs in a source: RSS/Atom feeds, sitemaps (news sitemaps and sitemap indexes), URL lists.

Every byte comes through ``PoliteClient``: feedparser and lxml only parse what we downloaded, never fetch.
Listings are read with a conditional GET (ETag / Last-Modified); their validators are handed back so the
caller saves them only once every listed page has been handled (an interrupted run then reads them again).
"""
from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..ingest.read import decode
from ..periods import period_or_none
from .http import PoliteClient, Response
from .sources import Source

MAX_SITEMAPS = 50  # child sitemaps read from one sitemap index
SITEMAP_DEPTH = 2  # an index of indexes at most
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Listed:
    """An article URL as a source lists it, with the publication date the listing gives, if any."""

    url: str
    date: str | None = None
    title: str | None = None


@dataclass(slots=True)
class Listing:
    """What reading a source found: article URLs, and the validators to keep for the next conditional GET."""

    links: list[Listed] = field(default_factory=list)
    validators: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    not_modified: int = 0


def discover(source: Source, client: PoliteClient, validators) -> Listing:
    """The article URLs a source lists now.

    Args:
        source: the source to read.
        client: the polite client.
        validators: ``url -> (etag, last_modified)`` of earlier answers (the store's ``feed_validators``).
    Returns:
        The listing; a listing answered 304 adds nothing and counts in ``not_modified``.
    Raises:
        FetchError: the listing cannot be downloaded. InputError: it cannot be parsed.
    """
    listing = Listing()
    READERS[source.kind](source, client, validators, listing)
    return listing


def _download(url: str, client: PoliteClient, validators, listing: Listing) -> Response | None:
    """A listing by conditional GET; None when it has not changed since the last run."""
    etag, last_modified = validators(url)
    response = client.get(url, etag=etag, last_modified=last_modified)
    if response.not_modified:
        listing.not_modified += 1
        return None
    listing.validators.append((url, response.headers.get("etag"), response.headers.get("last-modified")))
    return response


# feeds ---------------------------------------------------------------------------------------------------

def read_feed(source: Source, client: PoliteClient, validators, listing: Listing) -> None:
    """Entries of an RSS or Atom feed: their links, publication dates and titles."""
    response = _download(source.url, client, validators, listing)
    if response is not None:
        listing.links.extend(feed_links(response.body, response.url))


def feed_links(body: bytes, url: str) -> list[Listed]:
    """The entries of a feed document (bytes, so feedparser never fetches anything itself).

    Raises:
        InputError: the document is not a feed.
    """
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: None)() or "no entries"
        raise InputError(url, f"not an RSS or Atom feed ({reason})")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if link:
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            links.append(Listed(link, time.strftime("%Y-%m-%d", stamp) if stamp else None, entry.get("title")))
    return links


# sitemaps ------------------------------------------------------------------------------------------------

def read_sitemap(source: Source, client: PoliteClient, validators, listing: Listing) -> None:
    """Pages of a sitemap, following a sitemap index to its children (bounded in depth and number)."""
    queue, seen = [(source.url, 0)], set()
    while queue and len(seen) <= MAX_SITEMAPS:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = _download(url, client, validators, listing)
        if response is None:
            continue
        pages, children = sitemap_links(response.body, response.url)
        listing.links.extend(pages)
        queue.extend((child, depth + 1) for child in children if depth + 1 <= SITEMAP_DEPTH)


def sitemap_links(body: bytes, url: str) -> tuple[list[Listed], list[str]]:
    """The pages (with news dates and titles, or lastmod) and the child sitemaps of a sitemap document.

    Raises:
        InputError: not XML, or neither a urlset nor a sitemapindex.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(_gunzip(body, url), parser=parser)
    except etree.XMLSyntaxError as error:
        raise InputError(url, f"not a sitemap (XML error: {error})") from None
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        return [], [loc for loc in (_child_text(s, "loc") for s in root.iter(f"{SITEMAP_NS}sitemap", "sitemap")) if loc]
    if tag != "urlset":
        raise InputError(url, f"not a sitemap (root element <{tag}>)")
    return [page for page in (_sitemap_page(u) for u in root.iter(f"{SITEMAP_NS}url", "url")) if page], []


def _sitemap_page(element) -> Listed | None:
    loc = _child_text(element, "loc")
    if not loc:
        return None
    news = element.find(f"{NEWS_NS}news")
    date = (news is not None and news.findtext(f"{NEWS_NS}publication_date")) or _child_text(element, "lastmod")
    title = news.findtext(f"{NEWS_NS}title") if news is not None else None
    match = ISO_DATE.match((date or "").strip())
    listed = period_or_none(match.group(0)) if match else None  # a listing's impossible date is no date
    return Listed(loc, listed.text if listed else None, title.strip() if title else None)


def _child_text(element, name: str) -> str | None:
    text = element.findtext(f"{SITEMAP_NS}{name}")
    if text is None:
        text = element.findtext(name)
    return text.strip() if text and text.strip() else None


def _gunzip(body: bytes, url: str, limit: int = 50_000_000) -> bytes:
    """A .xml.gz sitemap unpacked, refusing more than ``limit`` bytes (a small file can unpack huge)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    data = unpacker.decompress(body, limit)
    if unpacker.unconsumed_tail:
        raise InputError(url, f"sitemap over {limit} bytes once unpacked")
    return data


# URL lists -----------------------------------------------------------------------------------------------

def read_url_list(source: Source, client: PoliteClient, validators, listing: Listing) -> None:
    """URLs given in the sources file, in a local file, or in a text file online: one per line, # comments."""
    listing.links.extend(Listed(u) for u in source.urls)
    if source.file:
        try:
            text = decode(Path(source.file).read_bytes(), source.file)
        except OSError as error:
            raise InputError(source.file, f"cannot be read ({error.strerror or error})") from None
        listing.links.extend(Listed(u) for u in url_lines(text))
    if source.url:
        response = _download(source.url, client, validators, listing)
        if response is not None:
            listing.links.extend(Listed(u) for u in url_lines(response.text()))


def url_lines(text: str) -> list[str]:
    """The http(s) URLs of a text, one per line; blank lines and # comments skipped."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#") and re.match(r"https?://\S+$", line)]


READERS = {"feed": read_feed, "sitemap": read_sitemap, "urls": read_url_list}

__all__ = ["Listed", "Listing", "discover", "feed_links", "sitemap_links", "url_lines"]
