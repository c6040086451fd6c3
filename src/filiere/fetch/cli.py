"""The commands of following sources: ``fetch``, ``watch``, ``reprocess``, ``sources``.

``register(commands)`` adds them to the ``filiere`` parser (called from ``filiere.cli.build_parser``).
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from ..cli import C1_CONTROLS, _db_option, _safe
from ..errors import InputError
from ..settings import Settings
from .settings import DEFAULT_USER_AGENT, FetchSettings

DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def register(commands) -> None:
    """Add the subcommands fetch, watch, reprocess and sources."""
    fetch = commands.add_parser(
        "fetch", help="read the sources (feeds, sitemaps, URL lists), fetch new articles and store them",
        description="Read every source of the SOURCES file (TOML), download the articles not yet in the store "
                    "(robots.txt honoured, one request at a time per host), extract their text, title and date, "
                    "and ingest them as 'filiere ingest' does. A failure on one source or page is reported and "
                    "the others go on; running it again fetches only what is new.")
    _fetch_options(fetch)
    fetch.set_defaults(run=run_fetch)

    watch = commands.add_parser("watch", help="run 'filiere fetch' again and again, every --every, until stopped",
                                description="Fetch the sources, wait, and fetch again until stopped (Ctrl-C). The "
                                            "SOURCES file is read again at each run.")
    _fetch_options(watch)
    watch.add_argument("--every", default="30m", help="time between the starts of two runs: 90s, 30m, 2h, 1d "
                                                     "(default: 30m)")
    watch.add_argument("--runs", type=int, help="stop after this many runs (default: until stopped)")
    watch.set_defaults(run=run_watch)

    reprocess = commands.add_parser(
        "reprocess", help="extract the stored pages again, without any network access",
        description="Read again the HTML kept for every fetched page and ingest it (after an extractor upgrade). "
                    "Unchanged texts store nothing; a changed text replaces the old version of its URL.")
    _db_option(reprocess)
    _ingest_options(reprocess)
    reprocess.set_defaults(run=run_reprocess)

    sources = commands.add_parser("sources", help="per followed source: articles fetched, last success, last error",
                                  description="What each source followed by 'filiere fetch' has given.")
    _db_option(sources)
    sources.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    sources.set_defaults(run=run_sources)


def _fetch_options(command: argparse.ArgumentParser) -> None:
    defaults = FetchSettings()
    command.add_argument("sources", metavar="SOURCES", help="the sources file (TOML; see sources.example.toml)")
    _db_option(command)
    _ingest_options(command)
    command.add_argument("--delay", type=float, default=defaults.delay,
                         help=f"seconds between two requests to the same host (default: {defaults.delay:g}; "
                              "a longer robots.txt Crawl-delay wins)")
    command.add_argument("--timeout", type=float, default=defaults.timeout,
                         help=f"seconds allowed for one response (default: {defaults.timeout:g})")
    command.add_argument("--retries", type=int, default=defaults.retries,
                         help=f"more attempts after a 429, a 5xx or a timeout (default: {defaults.retries})")
    command.add_argument("--max-bytes", type=int, default=defaults.max_bytes,
                         help=f"largest page accepted, in bytes (default: {defaults.max_bytes})")
    command.add_argument("--user-agent", default=DEFAULT_USER_AGENT,
                         help="User-Agent header; add a contact address (default: %(default)s)")


def _ingest_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--pack", default="automotive", help="domain pack name or folder (default: automotive)")
    command.add_argument("--batch-size", type=int, default=16, help="documents per spaCy batch (default: 16)")


def fetch_settings(args: argparse.Namespace) -> FetchSettings:
    """The politeness options of the command line."""
    return FetchSettings(user_agent=args.user_agent, delay=args.delay, timeout=args.timeout, retries=args.retries,
                         max_bytes=args.max_bytes)


def parse_duration(text: str) -> float:
    """'90s', '30m', '2h', '1d', '1h30m' or plain seconds, in seconds.

    Raises:
        InputError: not a duration, or zero.
    """
    parts = DURATION.findall(text.strip().lower())
    if not parts or "".join(n + u for n, u in parts) != text.strip().lower():
        raise InputError("--every", f"'{text}' is not a duration", "write it like 90s, 30m, 2h or 1d")
    seconds = sum(float(n) * SECONDS[u] for n, u in parts)
    if seconds <= 0:
        raise InputError("--every", "must be longer than zero")
    return seconds


def run_fetch(args: argparse.Namespace) -> int:
    from ..store import open_store
    from ..store.corrections import RunRecorder
    from .fetcher import fetch_sources
    from .sources import load_sources

    sources, politeness = load_sources(args.sources), fetch_settings(args)
    with open_store(args.db) as store:
        run = RunRecorder(store, "fetch")
        summary = fetch_sources(sources, store, _settings(args), politeness)
        run.finish()
    _print_lines(summary.lines())
    return 0 if summary.sources else 2


def run_watch(args: argparse.Namespace) -> int:
    from ..store import open_store
    from .fetcher import watch
    from .sources import load_sources

    every, politeness = parse_duration(args.every), fetch_settings(args)
    load_sources(args.sources)  # a bad file stops the command before the first run
    with open_store(args.db) as store:
        try:
            watch(lambda: load_sources(args.sources), store, _settings(args), every, _watch_report(store), politeness,
                  args.runs)
        except KeyboardInterrupt:
            print("filiere: watch stopped", file=sys.stderr)
    return 0


def run_reprocess(args: argparse.Namespace) -> int:
    from ..store import open_store
    from .fetcher import reprocess

    from ..store.corrections import RunRecorder

    with open_store(args.db, create=False) as store:
        run = RunRecorder(store, "reprocess")
        summary = reprocess(store, _settings(args))
        run.finish()
    _print_lines(summary.lines())
    return 0


def run_sources(args: argparse.Namespace) -> int:
    from ..store import open_store

    with open_store(args.db, create=False) as store:
        rows = store.source_report()
    if args.format == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False).translate(C1_CONTROLS) + "\n")
        return 0
    print(f"{'source':20} {'kind':8} {'articles':>8} {'failed':>6} {'last success':25} last error")
    for r in rows:
        error = f"{r['last_error_at']}: {r['last_error']}" if r["last_error"] else "-"
        print(_safe(f"{r['name'][:20]:20} {r['kind']:8} {r['articles']:>8} {r['failed_pages']:>6} "
                    f"{r['last_success'] or '-':25} {error[:160]}"))
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(pack=args.pack, batch_size=args.batch_size)


def _report(outcome) -> None:
    if isinstance(outcome, InputError):
        print(_safe(f"filiere: {outcome}"), file=sys.stderr)
    else:
        _print_lines(outcome.lines())


def _watch_report(store):
    """After each watch round: its summary, then what the documents it stored changed (issue 14)."""
    from ..changes import change_line, changes
    from ..store.corrections import RunRecorder

    state = {"run": RunRecorder(store, "watch")}

    def report(outcome) -> None:
        _report(outcome)
        if isinstance(outcome, InputError):
            return
        run_id = state["run"].finish()
        if run_id is not None:
            import datetime as dt

            found = changes(store, "last-run", dt.date.today())
            print(_safe(f"changes: {len(found['documents'])} new documents, {len(found['items'])} changes"), flush=True)
            for item in found["items"]:
                print(_safe(change_line(item)), flush=True)
        state["run"] = RunRecorder(store, "watch")

    return report


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        print(_safe(f"filiere: {line}"), file=sys.stderr)
    sys.stderr.flush()
