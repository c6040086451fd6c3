"""Following sources against a local web site (127.0.0.1, started here; never an outside address).

The site serves an RSS 2.0 feed, an Atom feed, a sitemap index with a news sitemap and a URL list, and pages
that cover every case of the issue: with and without date metadata, behind a redirect, 404, 500 then success,
429 with Retry-After, too slow, 20 MB, forbidden by robots.txt, and one article under several URLs.
"""
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from filiere.cli import main
from filiere.fetch.fetcher import fetch_sources, reprocess
from filiere.fetch.http import FetchSettings, PoliteClient
from filiere.fetch.sources import load_sources
from filiere.settings import Settings
from filiere.store import open_store

FAST = FetchSettings(delay=0.01, timeout=0.5, retries=2, backoff=0.05, max_retry_after=2.0, max_bytes=2_000_000,
                     trust_env=False)
BIG = 20 * 1024 * 1024

TEXTS = {
    "dated": "Renault a produit 345 000 véhicules à l'usine de Tanger en 2023, a indiqué le groupe. La direction "
             "vise un taux d'intégration locale de 65 % d'ici 2025.",
    "feeddate": "Stellantis a annoncé l'extension de son usine de Kénitra. La capacité de production atteindra "
                "400 000 véhicules par an d'ici 2026, selon le constructeur.",
    "undated": "Les exportations du secteur automobile marocain ont atteint 141 milliards de dirhams l'an dernier, "
               "selon l'Office des changes. Le port de Tanger Med a traité l'essentiel des expéditions.",
    "target": "Le Maroc ambitionne de produire un million de véhicules par an à l'horizon 2030, a déclaré le "
              "ministre de l'Industrie lors d'une visite à Kénitra.",
    "flaky": "Le chiffre d'affaires à l'export de la filière câblage a progressé de 12 % sur un an, porté par la "
             "demande européenne, indique l'association professionnelle de Tanger.",
    "busy": "Un équipementier japonais installera une usine de sièges à Tanger Automotive City, avec 1 200 emplois "
            "à la clé, selon l'Agence marocaine de développement des investissements.",
    "nokw": "La saison touristique a été marquée par une hausse des arrivées à Marrakech et Agadir, selon les "
            "chiffres publiés par le ministère du Tourisme cette semaine.",
    "english": "Morocco's car industry keeps growing as new suppliers open plants near Tanger and Kenitra, "
               "according to the national investment agency, which expects more projects next year.",
}


def page(key: str, meta: str = "", head: str = "") -> bytes:
    title = f"Article {key}"
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{meta}{head}</head><body>"
            f"<nav>Accueil | Économie | Auto</nav><article><h1>{title}</h1><p>{TEXTS[key]}</p></article>"
            f"<footer>Tous droits réservés</footer></body></html>").encode("utf-8")


DATE_META = "<meta property='article:published_time' content='2024-03-05T08:00:00+00:00'>"


class Site:
    """The routes of the test site, and every request it received (path with query, headers, time)."""

    def __init__(self):
        self.requests: list[tuple[str, dict, float]] = []
        self.calls: Counter = Counter()
        self.base = ""
        self.lock = threading.Lock()

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in self.requests if p.split("?")[0] == path)

    def times(self, path: str) -> list[float]:
        return [t for p, _, t in self.requests if p.split("?")[0] == path]

    def headers(self, path: str) -> list[dict]:
        return [h for p, h, _ in self.requests if p.split("?")[0] == path]

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        with self.lock:
            self.requests.append((handler.path, {k.lower(): v for k, v in handler.headers.items()}, time.monotonic()))
            self.calls[path] += 1
            call = self.calls[path]
        route = getattr(self, "route_" + path.strip("/").replace("/", "_").replace(".", "_").replace("-", "_"), None)
        if route is None:
            return send(handler, 404, b"<html><body>not found</body></html>")
        route(handler, call)

    # listings ------------------------------------------------------------------------------------------

    def route_robots_txt(self, h, call):
        send(h, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")

    def route_feed_rss(self, h, call):
        if h.headers.get("If-None-Match") == '"rss-1"':
            return send(h, 304, b"")
        items = [("dated", "Fri, 01 Mar 2024 09:00:00 GMT"), ("feeddate", "Sat, 10 Feb 2024 09:00:00 GMT"),
                 ("flaky", None), ("busy", None), ("missing", None)]
        body = "".join(f"<item><title>{k}</title><link>{self.base}/news/{k}</link>"
                       + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>" for k, d in items)
        body += f"<item><title>secret</title><link>{self.base}/private/secret</link></item>"
        body += f"<item><title>same</title><link>{self.base}/news/undated?utm_source=rss</link></item>"
        xml = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Auto</title>{body}</channel></rss>"
        send(h, 200, xml.encode(), "application/rss+xml", {"ETag": '"rss-1"'})

    def route_feed_atom(self, h, call):
        stamp = "Fri, 01 Mar 2024 00:00:00 GMT"
        if h.headers.get("If-Modified-Since") == stamp:
            return send(h, 304, b"")
        entries = "".join(f"<entry><title>{k}</title><id>urn:{k}</id><link href='{self.base}/news/{k}'/>"
                          f"<updated>2024-03-02T10:00:00Z</updated></entry>"
                          for k in ("moved", "slow", "huge", "huge-stream", "copy"))
        xml = (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Auto</title>"
               f"<id>urn:auto</id><updated>2024-03-02T10:00:00Z</updated>{entries}</feed>")
        send(h, 200, xml.encode(), "application/atom+xml", {"Last-Modified": stamp})

    def route_sitemap_index_xml(self, h, call):
        xml = (f"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
               f"<sitemap><loc>{self.base}/sitemap-news.xml</loc></sitemap></sitemapindex>")
        send(h, 200, xml.encode(), "application/xml", {"ETag": '"index-1"'})

    def route_sitemap_news_xml(self, h, call):
        urls = "".join(f"<url><loc>{self.base}/news/{k}</loc></url>" for k in ("undated", "nokw", "english"))
        xml = (f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
               f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{urls}</urlset>")
        send(h, 200, xml.encode(), "application/xml")

    def route_notafeed_xml(self, h, call):
        send(h, 200, b"<html><body>Bienvenue</body></html>", "text/html")

    # pages ---------------------------------------------------------------------------------------------

    def route_news_dated(self, h, call):
        send(h, 200, page("dated", DATE_META))

    def route_news_feeddate(self, h, call):
        send(h, 200, page("feeddate"))

    def route_news_undated(self, h, call):
        send(h, 200, page("undated"))

    def route_news_nokw(self, h, call):
        send(h, 200, page("nokw"))

    def route_news_english(self, h, call):
        send(h, 200, page("english"))

    def route_news_moved(self, h, call):
        send(h, 302, b"", headers={"Location": "/news/target"})

    def route_news_target(self, h, call):
        send(h, 200, page("target"))

    def route_news_flaky(self, h, call):
        send(h, 500, b"oops") if call == 1 else send(h, 200, page("flaky"))

    def route_news_busy(self, h, call):
        send(h, 429, b"slow down", headers={"Retry-After": "1"}) if call == 1 else send(h, 200, page("busy"))

    def route_news_slow(self, h, call):
        time.sleep(2)
        send(h, 200, page("dated"))

    def route_news_huge(self, h, call):
        send(h, 200, b"<html><body>" + b"a" * BIG + b"</body></html>")

    def route_news_huge_stream(self, h, call):  # no Content-Length: the limit must cut the stream
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        chunk = b"<p>" + b"b" * 65536 + b"</p>"
        try:
            for _ in range(BIG // len(chunk) + 1):
                h.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route_news_copy(self, h, call):
        send(h, 200, page("dated", DATE_META, f"<link rel='canonical' href='{self.base}/news/dated'>"))

    def route_private_secret(self, h, call):
        send(h, 200, page("dated"))


def send(handler, status: int, body: bytes, kind: str = "text/html; charset=utf-8", headers: dict | None = None):
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    try:
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass


@pytest.fixture(scope="module")
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.respond(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def sources_file(tmp_path, base: str) -> str:
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[[source]]
name = "rss"
kind = "feed"
url = "{base}/feed.rss"

[[source]]
name = "atom"
kind = "feed"
url = "{base}/feed.atom"

[[source]]
name = "sitemap"
kind = "sitemap"
url = "{base}/sitemap-index.xml"
keywords = ["tanger", "kenitra"]
language = "fr"

[[source]]
name = "list"
kind = "urls"
urls = ["{base}/news/undated#commentaires", "{base}/news/dated?utm_medium=email", "{base}/elsewhere/skip"]
url_patterns = ["/news/"]

[[source]]
name = "broken"
kind = "feed"
url = "{base}/notafeed.xml"

[[source]]
name = "gone"
kind = "sitemap"
url = "{base}/nothing-here.xml"
""", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def runs(nlp, site, tmp_path_factory):
    """Two fetch runs over the same store: everything the tests check is recorded here."""
    folder = tmp_path_factory.mktemp("fetch")
    sources = load_sources(sources_file(folder, site.base))
    store = open_store(str(folder / "f.db"))
    started = len(site.requests)
    first = fetch_sources(sources, store, Settings(), FAST)
    after_first = (store.counts(), len(site.requests), dict(site.calls))
    second = fetch_sources(sources, store, Settings(), FAST)
    yield {"store": store, "first": first, "second": second, "after_first": after_first, "started": started,
           "after_second": dict(site.calls)}
    store.close()


def documents(store) -> dict[str, dict]:
    rows = store.conn.execute("SELECT doc, url, source, title, date, date_source, text FROM documents").fetchall()
    return {r["url"].rsplit("/", 1)[-1]: dict(r) for r in rows}


def pages(store) -> dict[str, dict]:
    rows = store.conn.execute("SELECT url, source, final_url, status, http_status, error, attempts FROM "
                              "fetched_pages").fetchall()
    return {r["url"].split("/", 3)[-1]: dict(r) for r in rows}


def failures(summary) -> dict[str, tuple[str, str]]:
    return {url.split("/", 3)[-1]: (source, reason) for source, url, reason in summary.failures}


def test_fetch_stores_the_articles_with_their_titles_and_canonical_urls(runs, site):
    docs = documents(runs["store"])
    assert sorted(docs) == ["busy", "dated", "feeddate", "flaky", "target", "undated"]
    assert docs["dated"]["url"] == f"{site.base}/news/dated" and docs["dated"]["title"] == "Article dated"
    assert "Renault a produit 345 000 véhicules" in docs["dated"]["text"]
    assert "Accueil" not in docs["dated"]["text"] and "droits réservés" not in docs["dated"]["text"]
    assert runs["first"].ingest.stored == 6 and runs["first"].ingest.failed == []
    facts = runs["store"].facts()
    assert any(f["doc"] == docs["dated"]["doc"] and f["value"] == 345000 for f in facts)


def test_fetch_dates_from_page_metadata_else_listing_else_none(runs):
    docs = documents(runs["store"])
    assert (docs["dated"]["date"], docs["dated"]["date_source"]) == ("2024-03-05", "metadata")  # page beats feed
    assert (docs["feeddate"]["date"], docs["feeddate"]["date_source"]) == ("2024-02-10", "metadata")  # RSS pubDate
    assert docs["target"]["date"] == "2024-03-02"  # Atom <updated>
    assert docs["undated"]["date"] is None and docs["undated"]["date_source"] is None


def test_fetch_follows_a_redirect_and_stores_the_final_url(runs, site):
    docs, state = documents(runs["store"]), pages(runs["store"])
    assert docs["target"]["url"] == f"{site.base}/news/target"
    assert state["news/moved"]["final_url"] == f"{site.base}/news/target" and state["news/moved"]["status"] == "ingested"
    assert runs["after_first"][2]["/news/moved"] == 1 and runs["after_first"][2]["/news/target"] == 1


def test_fetch_same_article_under_several_urls_is_fetched_once(runs, site):
    # RSS lists ?utm_source=rss, the sitemap the bare URL, the URL list a #fragment: one request, one document
    assert runs["after_first"][2]["/news/undated"] == 1
    assert runs["after_first"][2]["/news/dated"] == 1  # the list's ?utm_medium=email copy is the same URL
    state = pages(runs["store"])
    assert state["news/copy"]["status"] == "duplicate"  # its canonical link names an article already stored
    assert f"{site.base}/news/dated" in state["news/copy"]["error"]
    assert runs["first"].duplicates == 1 and "copy" not in documents(runs["store"])


def test_fetch_reports_404_without_retrying(runs, site):
    assert failures(runs["first"])["news/missing"] == ("rss", "HTTP 404")
    assert runs["after_first"][2]["/news/missing"] == 1
    assert pages(runs["store"])["news/missing"]["status"] == "failed"
    assert "news/missing" not in failures(runs["second"]) and runs["after_second"]["/news/missing"] == 1


def test_fetch_retries_a_500_then_succeeds(runs):
    assert runs["after_first"][2]["/news/flaky"] == 2
    assert "news/flaky" not in failures(runs["first"]) and "flaky" in documents(runs["store"])


def test_fetch_waits_for_retry_after_on_429(runs, site):
    first, second = site.times("/news/busy")
    assert second - first >= 0.95
    assert "busy" in documents(runs["store"])


def test_fetch_slow_page_times_out_and_is_tried_again_next_run(runs):
    source, reason = failures(runs["first"])["news/slow"]
    assert source == "atom" and reason == "timed out after 0.5 s (after 3 attempts)"
    assert runs["after_first"][2]["/news/slow"] == 3
    state = pages(runs["store"])["news/slow"]
    assert state["status"] == "retry" and state["attempts"] == 2  # failed in both runs, kept for a third


def test_fetch_page_over_the_size_limit_is_refused(runs):
    reported = failures(runs["first"])
    assert reported["news/huge"] == ("atom", f"page too large ({BIG + 26} bytes announced; limit 2000000)")
    assert reported["news/huge-stream"] == ("atom", "page too large (over 2000000 bytes)")
    assert pages(runs["store"])["news/huge"]["status"] == "failed"


def test_fetch_robots_txt_forbids_a_path(runs, site):
    assert failures(runs["first"])["private/secret"] == ("rss", "forbidden by robots.txt")
    assert site.hits("/private/secret") == 0
    assert runs["after_first"][2]["/robots.txt"] == 1  # read once per run


def test_fetch_filters_keywords_language_and_url_patterns(runs):
    state = pages(runs["store"])
    assert (state["news/nokw"]["status"], state["news/nokw"]["error"]) == ("filtered", "none of the keywords")
    assert (state["news/english"]["status"], state["news/english"]["error"]) == ("filtered", "language en, not fr")
    assert "elsewhere/skip" not in state and runs["first"].filtered == 2


def test_fetch_a_broken_source_is_reported_and_others_go_on(runs, site):
    reported = failures(runs["first"])
    assert reported["notafeed.xml"][0] == "broken" and reported["notafeed.xml"][1].startswith("not an RSS or Atom feed")
    assert reported["nothing-here.xml"] == ("gone", "HTTP 404")
    assert runs["first"].sources == 4


def test_fetch_sends_a_clear_user_agent_everywhere(runs, site):
    agents = {h.get("user-agent") for _, h, _ in site.requests}
    assert len(agents) == 1 and agents.pop().startswith("filiere/")


def test_fetch_twice_stores_nothing_new_and_asks_conditionally(runs, site):
    second = runs["second"]
    assert (second.ingest.stored, second.ingest.replaced, second.fetched) == (0, 0, 0)
    assert runs["store"].counts() == runs["after_first"][0]
    assert second.not_modified == 2  # both feeds answered 304
    rss, atom = site.headers("/feed.rss"), site.headers("/feed.atom")
    assert "if-none-match" not in rss[0] and rss[1]["if-none-match"] == '"rss-1"'
    assert atom[1]["if-modified-since"] == "Fri, 01 Mar 2024 00:00:00 GMT"
    assert site.headers("/sitemap-index.xml")[1]["if-none-match"] == '"index-1"'
    for path in ("/news/dated", "/news/undated", "/news/target", "/news/flaky", "/news/busy", "/news/copy"):
        assert runs["after_second"][path] == runs["after_first"][2][path], path
    assert set(failures(second)) == {"news/slow", "notafeed.xml", "nothing-here.xml"}


def test_fetch_sources_report(runs, site):
    report = {r["name"]: r for r in runs["store"].source_report()}
    assert (report["rss"]["articles"], report["atom"]["articles"], report["sitemap"]["articles"]) == (5, 1, 0)
    assert report["rss"]["last_success"] and "forbidden by robots.txt" in report["rss"]["last_error"]
    assert report["gone"]["last_success"] is None and report["gone"]["last_error"].endswith("HTTP 404")


def test_fetch_reprocess_needs_no_network_and_gives_the_same_records(runs, monkeypatch):
    store = runs["store"]
    before_docs = documents(store)
    before_facts = sorted((f["doc"], f["metric"], f["value"], f["year"]) for f in store.facts())
    store.conn.execute("DELETE FROM documents")

    def no_network(*args, **kwargs):
        raise AssertionError("reprocess touched the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    summary = reprocess(store, Settings())
    assert (summary.ingest.stored, summary.failures) == (6, [])
    assert documents(store) == before_docs
    assert sorted((f["doc"], f["metric"], f["value"], f["year"]) for f in store.facts()) == before_facts
    again = reprocess(store, Settings())
    assert (again.ingest.stored, again.ingest.skipped) == (0, 6)


def test_fetch_interrupted_run_resumes_without_fetching_twice(nlp, site, tmp_path, monkeypatch):
    import filiere.fetch.fetcher as fetcher

    path = tmp_path / "one.toml"
    path.write_text(f'[[source]]\nname = "list"\nkind = "urls"\nurls = ["{site.base}/news/dated", '
                    f'"{site.base}/news/feeddate", "{site.base}/news/undated"]\n', encoding="utf-8")
    sources = load_sources(path)
    store = open_store(str(tmp_path / "r.db"))
    real = fetcher.ingest_items

    def killed_after_two(items, *args):  # the process dies once two pages are downloaded, before any is stored
        for number, _ in enumerate(items, 1):
            if number == 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(fetcher, "ingest_items", killed_after_two)
    hits = {p: site.hits(p) for p in ("/news/dated", "/news/feeddate", "/news/undated")}
    with pytest.raises(KeyboardInterrupt):
        fetch_sources(sources, store, Settings(), FAST)
    assert store.counts()["documents"] == 0
    assert {r[0] for r in store.conn.execute("SELECT status FROM fetched_pages")} == {"fetched"}
    monkeypatch.setattr(fetcher, "ingest_items", real)
    summary = fetch_sources(sources, store, Settings(), FAST)
    assert (summary.resumed, summary.fetched, summary.ingest.stored) == (2, 1, 3)
    assert {p: site.hits(p) - hits[p] for p in hits} == {"/news/dated": 1, "/news/feeddate": 1, "/news/undated": 1}
    assert {r[0] for r in store.conn.execute("SELECT status FROM fetched_pages")} == {"ingested"}
    store.close()


def test_fetch_cli_fetch_sources_watch_and_reprocess(nlp, site, tmp_path, capsys):
    path = tmp_path / "cli.toml"
    path.write_text(f'[[source]]\nname = "list"\nkind = "urls"\nurls = ["{site.base}/news/feeddate", '
                    f'"{site.base}/news/missing"]\n', encoding="utf-8")
    db = str(tmp_path / "cli.db")
    options = ["--db", db, "--delay", "0", "--timeout", "1", "--retries", "0"]
    assert main(["fetch", str(path), *options]) == 0
    err = capsys.readouterr().err
    assert "filiere: documents read: 1, stored: 1" in err
    assert f"filiere:   failed: list: {site.base}/news/missing: HTTP 404" in err
    assert main(["sources", "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:4] == ["list", "urls", "1", "1"] and out[1].rstrip().endswith("HTTP 404")
    assert main(["watch", str(path), *options, "--every", "0.1s", "--runs", "2"]) == 0
    err = capsys.readouterr().err
    assert err.count("documents read: 0, stored: 0") == 2
    assert main(["reprocess", "--db", db]) == 0
    assert "documents read: 1, stored: 0, replaced: 0, skipped as already known: 1" in capsys.readouterr().err


def test_fetch_cli_errors_are_clear(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[[source]]\nname = "x"\nkind = "podcast"\nurl = "https://example.org/f"\n', encoding="utf-8")
    assert main(["fetch", str(path), "--db", str(tmp_path / "x.db")]) == 2
    assert capsys.readouterr().err.strip() == (f"filiere: {path}: source[0].kind: unknown kind 'podcast' "
                                               "(choose one of: feed, sitemap, urls)")
    assert main(["watch", str(path), "--every", "soon"]) == 2
    assert "--every: 'soon' is not a duration" in capsys.readouterr().err


def test_fetch_polite_client_waits_between_requests_to_a_host(site):
    settings = FetchSettings(delay=0.3, timeout=2, retries=0, trust_env=False)
    with PoliteClient(settings) as client:
        client.get(f"{site.base}/news/dated")
        client.get(f"{site.base}/news/feeddate")
    first, second = site.times("/news/dated")[-1], site.times("/news/feeddate")[-1]
    assert second - first >= 0.29
