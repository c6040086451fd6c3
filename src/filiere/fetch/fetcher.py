"""Following sources: read each listing, fetch the new pages politely, and ingest them as `filiere ingest` does.

``fetch_sources`` is the orchestrator:
1. pages an interrupted run downloaded but did not ingest are ingested from their stored HTML (no fetching);
2. per source: its listing (conditional GET); each URL made canonical (courlan), those met before dropped
   (one that failed for a passing reason is tried again, in up to ``max_attempts`` runs), URL patterns applied;
3. each new page fetched through the polite client; its HTML stored (compressed) before anything else;
4. main text, title and date extracted (trafilatura, as for HTML files; the listing's date when the page has
   none); the source's keyword and language filters applied;
5. the documents ingested through ``run.ingest_items`` (one transaction each); each page then marked
   ingested, or failed with the reason;
6. the listing's validators saved, for the next run's conditional GET.
A failure on one source or one page is recorded (source, URL, reason) and the run goes on.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from ..errors import FetchError, InputError
from ..ingest.lang import detect_language
from ..ingest.read import html_document
from ..ingest.schema import checked
from ..records import RawDocument
from ..run import IngestSummary, ingest_items
from ..settings import Settings
from ..store import Store
from .discover import Listed, discover
from .http import FetchSettings, PoliteClient, Response
from .sources import Source

HTML_TYPES = ("html", "xml", "text/plain")
CANONICAL_LINK = re.compile(r"<link\b[^>]*\brel=[\"']?canonical\b[^>]*>", re.I)
HREF = re.compile(r"\bhref=[\"']?([^\"'\s>]+)", re.I)


@dataclass(slots=True)
class FetchSummary:
    """What a fetch run did: sources read, pages fetched, skipped and failed (source, URL, reason), and ingest."""

    ingest: IngestSummary = field(default_factory=IngestSummary)
    sources: int = 0
    not_modified: int = 0
    listed: int = 0
    known: int = 0
    fetched: int = 0
    resumed: int = 0
    filtered: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        ingest = self.ingest
        out = [f"sources read: {self.sources} (listings unchanged since last run: {self.not_modified}), "
               f"pages listed: {self.listed}, already fetched: {self.known}, fetched: {self.fetched}, "
               f"resumed: {self.resumed}, filtered out: {self.filtered}, same article as another URL: "
               f"{self.duplicates}, failed: {len(self.failures)}",
               f"documents read: {ingest.read}, stored: {ingest.stored}, replaced: {ingest.replaced}, "
               f"skipped as already known: {ingest.skipped}"]
        out += [f"  failed: {source}: {url}: {reason}" for source, url, reason in self.failures]
        return out


@dataclass(slots=True)
class _Run:
    """The state one run carries: where it stores, how it fetches, what it reports, the pages it handed on."""

    store: Store
    client: PoliteClient | None
    fetch: FetchSettings
    summary: FetchSummary
    handed: dict[str, str] = field(default_factory=dict)  # page URL -> source name, given to ingest

    def fail(self, source: str, url: str, reason: str) -> None:
        self.summary.failures.append((source, url, reason))
        self.store.record_source_outcome(source, f"{url}: {reason}")


def fetch_sources(sources: list[Source], store: Store, settings: Settings,
                  fetch: FetchSettings = FetchSettings(), client: PoliteClient | None = None) -> FetchSummary:
    """Read every source, fetch the pages not yet in the store, and ingest them.

    Args:
        sources: the sources file's sources (``load_sources``).
        store: an open store.
        settings: pack, batch size, dedup thresholds (as for ingest).
        fetch: politeness and limits.
        client: a client to use (tests); by default one is made and closed here.
    Returns:
        The run's summary; failures are in ``failures``, never raised.
    """
    own = client is None
    client = client or PoliteClient(fetch)
    run = _Run(store, client, fetch, FetchSummary())
    try:
        by_name = {s.name: s for s in sources}
        items = _chain(_resumed(run, by_name), *(_source_documents(run, s) for s in sources))
        _ingest(run, items, settings)
    finally:
        if own:
            client.close()
    return run.summary


def reprocess(store: Store, settings: Settings) -> FetchSummary:
    """Extract again every stored page (ingested, waiting, or failed at extraction) and ingest the result.

    No network: the HTML comes from the store. With the same extractor the records are the same (and nothing is
    stored again); with a better one, a document whose text changed replaces the old version of its URL.
    """
    run = _Run(store, None, FetchSettings(), FetchSummary())
    pages = (p for p in store.pages(("fetched", "ingested", "failed")) if p["html"] is not None)
    _ingest(run, (doc for page in pages if (doc := _stored_document(run, page, None)) is not None), settings)
    return run.summary


def watch(load: Callable[[], list[Source]], store: Store, settings: Settings, every: float,
          report: Callable[[FetchSummary | InputError], None], fetch: FetchSettings = FetchSettings(),
          runs: int | None = None, sleep: Callable[[float], None] = time.sleep) -> int:
    """Fetch every ``every`` seconds until stopped (or ``runs`` runs); the sources file is read again each time.

    A sources file that became invalid is reported and the last valid one is used. Returns the runs made.
    """
    sources: list[Source] = []
    done = 0
    while runs is None or done < runs:
        started = time.monotonic()
        try:
            sources = load()
        except InputError as error:
            report(error)
        report(fetch_sources(sources, store, settings, fetch))
        done += 1
        if runs is None or done < runs:
            sleep(max(0.0, every - (time.monotonic() - started)))
    return done


def canonical_url(url: str) -> str:
    """One spelling per article: lower-case host, default port, tracking parameters and fragment dropped."""
    from courlan import normalize_url

    try:
        return urldefrag(normalize_url(url.strip())).url
    except (ValueError, AttributeError):  # a malformed URL stays as it is; the fetch refuses it with the reason
        return url.strip()


def page_date(html: str, url: str | None = None) -> str | None:
    """The publication date a page's metadata gives (meta tags, <time>, the URL), YYYY-MM-DD, else None.

    htmldate's extensive search is left out on purpose: it reads a year in the text as a date ("d'ici 2026" gave
    2026-01-01), while the content is dated later by ``ingest.dates`` with French cues. The page is parsed here so
    htmldate is never handed a string it could take for a URL to download.
    """
    from htmldate import find_date
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None
    try:
        return find_date(tree, extensive_search=False, original_date=True, url=url)
    except ValueError:
        return None


def doc_id(url: str) -> str:
    """A short stable document id for a page: its host and a hash of its canonical URL."""
    host = re.sub(r"[^a-z0-9]+", "-", urlsplit(url).netloc.lower()).strip("-")
    return f"{host}_{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}"


# steps ---------------------------------------------------------------------------------------------------

def _ingest(run: _Run, items: Iterable[RawDocument], settings: Settings) -> None:
    """Ingest the documents, then mark each page ingested or failed (extraction failures name the page)."""
    before = len(run.summary.ingest.failed)
    ingest_items(items, run.store, settings, run.summary.ingest)
    failed = {where: reason for where, reason in run.summary.ingest.failed[before:]}
    del run.summary.ingest.failed[before:]
    for url, source in run.handed.items():
        if url in failed:
            run.store.set_page_status(url, "failed", failed[url])
            run.fail(source, url, failed[url])
        else:
            run.store.set_page_status(url, "ingested")


def _resumed(run: _Run, sources: dict[str, Source]) -> Iterator[RawDocument]:
    """Pages an interrupted run downloaded but did not ingest, from their stored HTML."""
    for page in run.store.pages(("fetched",)):
        document = _stored_document(run, page, sources.get(page["source"]))
        run.summary.resumed += 1
        if document is not None:
            yield document


def _source_documents(run: _Run, source: Source) -> Iterator[RawDocument]:
    """The new documents of one source; its listing's validators are saved once all its pages are handled."""
    run.store.record_source(source.name, source.kind, source.url)
    try:
        listing = discover(source, run.client, run.store.feed_validators)
    except InputError as error:
        run.fail(source.name, error.where, error.reason)
        return
    except Exception as error:  # a parser's own bug on odd input must not stop the other sources
        run.fail(source.name, source.url or source.name, f"cannot be read ({error.__class__.__name__}: {error})")
        return
    run.store.record_source_outcome(source.name)
    run.summary.sources += 1
    run.summary.not_modified += listing.not_modified
    for listed in _candidates(run, source, listing.links):
        document = _page_document(run, source, listed)
        if document is not None:
            yield document
    for url, etag, last_modified in listing.validators:
        run.store.save_feed_validators(url, etag, last_modified)


def _candidates(run: _Run, source: Source, links: list[Listed]) -> Iterator[Listed]:
    """Listed pages with canonical URLs, in the source's patterns, never met (or waiting for a retry)."""
    retries = [Listed(p["url"], p["listed_date"]) for p in run.store.pages(("retry",), source.name)]
    seen: set[str] = set()
    for listed in [*links, *retries]:
        url = canonical_url(listed.url)
        if url in seen or not _is_http(url) or not source.wants_url(url):
            continue
        seen.add(url)
        run.summary.listed += 1
        state = run.store.page_state(url)
        if state is not None and state["status"] != "retry":
            run.summary.known += 1
            continue
        yield dataclasses.replace(listed, url=url)


def _page_document(run: _Run, source: Source, listed: Listed) -> RawDocument | None:
    """Fetch one page, keep its HTML, and read its article; None when it failed or is not wanted."""
    try:
        response = run.client.get(listed.url)
        html = _html(response)
    except FetchError as error:
        _fetch_failed(run, source, listed, error)
        return None
    except InputError as error:
        run.store.save_page(listed.url, source.name, "failed", http_status=response.status, error=error.reason)
        run.fail(source.name, listed.url, error.reason)
        return None
    final = canonical_url(response.url)
    run.store.save_page(listed.url, source.name, "fetched", final_url=final, http_status=response.status,
                        html=html, listed_date=listed.date)
    run.summary.fetched += 1
    if _duplicate(run, listed.url, final, html):
        return None
    page = {"url": listed.url, "source": source.name, "final_url": final, "html": html, "listed_date": listed.date}
    return _stored_document(run, page, source)


def _html(response: Response) -> str:
    """The page's HTML as text; a PDF, an image or an empty body is refused (permanently)."""
    kind = response.headers.get("content-type", "text/html").lower()
    if not any(t in kind for t in HTML_TYPES):
        raise FetchError(response.url, f"not an HTML page ({kind.split(';')[0]})")
    if not response.body.strip():
        raise FetchError(response.url, "empty page")
    return response.text()


def _fetch_failed(run: _Run, source: Source, listed: Listed, error: FetchError) -> None:
    """Record a failed fetch: to be tried again next run when the reason may pass, up to max_attempts runs."""
    state = run.store.page_state(listed.url)
    attempts = (state["attempts"] if state else 0) + 1
    status = "retry" if not error.permanent and attempts < run.fetch.max_attempts else "failed"
    reason = error.reason if status == "retry" or error.permanent else f"{error.reason}; gave up after {attempts} runs"
    status_code = int(error.reason[5:8]) if re.match(r"HTTP \d{3}", error.reason) else None
    run.store.save_page(listed.url, source.name, status, http_status=status_code, listed_date=listed.date, error=reason)
    run.fail(source.name, listed.url, reason)


def _duplicate(run: _Run, url: str, final: str, html: str) -> bool:
    """True (and the page marked) when it is an article already met under another URL: where a redirect led,
    or the page's canonical link (a link to a site's home page is ignored)."""
    canonical = _canonical_link(html, final)
    for other in dict.fromkeys(u for u in (final, canonical) if u and u != url):
        state = run.store.page_state(other, exclude=url)
        if state is not None and state["status"] in ("fetched", "ingested", "filtered"):
            run.store.set_page_status(url, "duplicate", f"same article as {state['url']}")
            run.summary.duplicates += 1
            return True
    return False


def _canonical_link(html: str, base: str) -> str | None:
    tag = CANONICAL_LINK.search(html[:200_000])
    href = HREF.search(tag.group(0)) if tag else None
    if not href:
        return None
    try:
        url = canonical_url(urljoin(base, href.group(1)))
    except ValueError:
        return None
    return url if _is_http(url) and urlsplit(url).path not in ("", "/") else None


def _is_http(url: str) -> bool:
    """True for a well-formed http(s) URL (a listing or a page may hold anything)."""
    try:
        parts = urlsplit(url)
        parts.port  # raises on a bad port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _stored_document(run: _Run, page: dict, source: Source | None) -> RawDocument | None:
    """The article of a stored page, or None (the page marked failed or filtered, with the reason)."""
    url = page["url"]
    try:
        raw = html_document(doc_id(page["final_url"] or url), page["html"], url, page["final_url"] or url)
        raw = checked(raw, date=page_date(page["html"], raw.url) or page["listed_date"])  # the schema checks it
    except InputError as error:
        run.store.set_page_status(url, "failed", error.reason)
        run.fail(page["source"], url, error.reason)
        return None
    unwanted = source.wants_text(raw.title, raw.text, detect_language(raw.text)) if source else None
    if unwanted:
        run.store.set_page_status(url, "filtered", unwanted)
        run.summary.filtered += 1
        return None
    run.handed[url] = page["source"]
    return raw


def _chain(*iterables: Iterable[RawDocument]) -> Iterator[RawDocument]:
    for iterable in iterables:
        yield from iterable
