"""Following sources: feeds, sitemaps and URL lists, fetched politely and ingested as they come.

sources.py  the sources file (TOML), validated        http.py     the polite client (the only network code)
discover.py article URLs of feeds, sitemaps, lists     fetcher.py  the run: fetch, keep the HTML, ingest
cli.py      the commands fetch, watch, reprocess, sources   settings.py the fetch settings (no network code)
"""
