"""The pieces of following sources that need no server: the sources file, URLs, listings, durations, headers."""
import gzip
from pathlib import Path

import pytest

from filiere.errors import InputError
from filiere.fetch.cli import parse_duration
from filiere.fetch.discover import feed_links, sitemap_links, url_lines
from filiere.fetch.fetcher import canonical_url, doc_id, page_date
from filiere.fetch.http import _retry_after
from filiere.fetch.sources import Source, load_sources

ROOT = Path(__file__).resolve().parent.parent


def test_fetch_example_sources_file_loads_and_names_no_real_site():
    sources = load_sources(ROOT / "sources.example.toml")
    assert [s.kind for s in sources] == ["feed", "sitemap", "urls"]
    hosts = {u.split("/")[2] for s in sources for u in (s.url, *s.urls) if u}
    assert hosts <= {"example.org", "example.com"}


@pytest.mark.parametrize("body, message", [
    ('[[source]]\nname = "a"\nkind = "feed"\n', "source[0].url: missing (a feed source needs the URL to read)"),
    ('[[source]]\nname = "a"\nkind = "feed"\nurl = "ftp://x/y"\n', "source[0].url: 'ftp://x/y' is not an http(s) URL"),
    ('[[source]]\nname = "a"\nkind = "urls"\n', "source[0]: a urls source needs 'urls' (a list)"),
    ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://e.org/f"\ncolour = 1\n', "source[0]: unknown key(s) ['colour']"),
    ('[[source]]\nname = "a"\nkind = "urls"\nurls = ["https://e.org/"]\nurl_patterns = ["("]\n',
     "source[0].url_patterns[0]: not a regular expression"),
    ('[[source]]\nname = "a"\nkind = "urls"\nurls = ["https://e.org/"]\n[[source]]\nname = "a"\nkind = "urls"\n'
     'urls = ["https://e.org/"]\n', "two sources are named 'a'"),
    ('title = "x"\n', "unknown key(s) ['title']"),
    ("[[source]\n", "not valid TOML"),
])
def test_fetch_sources_file_errors_name_the_key_and_reason(tmp_path, body, message):
    path = tmp_path / "s.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_sources(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_fetch_source_filters():
    source = Source(name="s", kind="urls", urls=("https://e.org/",), keywords=("Kénitra",),
                    url_patterns=(r"/economie/",), language="fr")
    assert source.wants_url("https://e.org/economie/1") and not source.wants_url("https://e.org/sport/1")
    assert source.wants_text("Usine", "à KENITRA cette année", "fr") is None
    assert source.wants_text("Usine", "à Tanger", "fr") == "none of the keywords"
    assert source.wants_text("Usine", "Kenitra plant", "en") == "language en, not fr"


@pytest.mark.parametrize("url, expected", [
    ("HTTP://Example.ORG:80/a/1?utm_source=rss&id=3#comments", "http://example.org/a/1?id=3"),
    ("https://example.org/a/1?b=2&a=1", "https://example.org/a/1?a=1&b=2"),
    ("http://127.0.0.1:8123/news/x?fbclid=abc", "http://127.0.0.1:8123/news/x"),
])
def test_fetch_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_fetch_doc_id_is_stable_and_readable():
    assert doc_id("https://www.example.org/a") == doc_id("https://www.example.org/a")
    assert doc_id("https://www.example.org/a").startswith("www-example-org_")


def test_fetch_page_date_reads_metadata_only():
    dated = "<html><head><meta property='article:published_time' content='2024-03-05T08:00:00Z'></head><body>x</body></html>"
    assert page_date(dated) == "2024-03-05"
    assert page_date("<html><body><p>La capacité atteindra 400 000 véhicules d'ici 2026.</p></body></html>") is None
    assert page_date("http://127.0.0.1:9/never-fetched") is None  # never taken for a URL to download


def test_fetch_feed_links_rss_and_atom():
    rss = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>A</title>"
           b"<link>https://e.org/a</link><pubDate>Sat, 10 Feb 2024 09:00:00 GMT</pubDate></item></channel></rss>")
    assert [(l.url, l.date, l.title) for l in feed_links(rss, "https://e.org/feed")] == [
        ("https://e.org/a", "2024-02-10", "A")]
    atom = (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title><entry><title>B</title>"
            b"<link href='/b'/><id>urn:b</id><updated>2024-03-02T10:00:00Z</updated></entry></feed>")
    assert [(l.url, l.date) for l in feed_links(atom, "https://e.org/atom")] == [("https://e.org/b", "2024-03-02")]
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        feed_links(b"<html><body>hello</body></html>", "https://e.org/x")


def test_fetch_sitemap_links_news_gzip_and_index():
    news = (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
            b"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'><url><loc>https://e.org/a</loc><news:news>"
            b"<news:publication_date>2024-03-05T08:00:00+01:00</news:publication_date><news:title>Usine</news:title>"
            b"</news:news></url><url><loc>https://e.org/b</loc><lastmod>2024-01-02</lastmod></url></urlset>")
    pages, children = sitemap_links(gzip.compress(news), "https://e.org/s.xml.gz")
    assert [(p.url, p.date, p.title) for p in pages] == [("https://e.org/a", "2024-03-05", "Usine"),
                                                         ("https://e.org/b", "2024-01-02", None)]
    index = (b"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap><loc>https://e.org/1.xml"
             b"</loc></sitemap></sitemapindex>")
    assert sitemap_links(index, "https://e.org/i.xml") == ([], ["https://e.org/1.xml"])
    with pytest.raises(InputError, match="not a sitemap"):
        sitemap_links(b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>", "https://e.org/x")


def test_fetch_url_lines():
    assert url_lines("# list\nhttps://e.org/a\n\n  http://e.org/b  \nnot a url\n") == ["https://e.org/a", "http://e.org/b"]


@pytest.mark.parametrize("text, seconds", [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400),
                                           ("1h30m", 5400), ("45", 45)])
def test_fetch_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "0m", "", "10x"])
def test_fetch_parse_duration_refuses(text):
    with pytest.raises(InputError, match="--every"):
        parse_duration(text)


def test_fetch_retry_after_seconds_or_date():
    assert _retry_after("3") == 3.0 and _retry_after(None) is None and _retry_after("soon") is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_fetch_client_refuses_a_malformed_url_without_crashing():
    from filiere.errors import FetchError
    from filiere.fetch.http import FetchSettings, PoliteClient

    with PoliteClient(FetchSettings(delay=0, retries=0, trust_env=False)) as client:
        with pytest.raises(FetchError, match="not a URL we can fetch"):
            client.get("http://[::1/news", robots=False)


def test_fetch_odd_listed_urls_are_skipped():
    from filiere.fetch.fetcher import _is_http

    assert canonical_url(" http://[::1/x ") == "http://[::1/x"
    assert _is_http("https://e.org/a") and not _is_http("mailto:a@e.org") and not _is_http("http://[::1/x")
    assert not _is_http("http://e.org:99999/x") and not _is_http("javascript:alert(1)")
