"""The ``filiere`` command: thin commands over plain functions that tests call directly."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from . import __version__
from .errors import FiliereError, InputError
from .records import Document, Extraction
from .settings import FORMATS, Settings

log = logging.getLogger("filiere")
C1_CONTROLS = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}
TERMINAL_UNSAFE = {c: "\ufffd" for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]}
PATHS_HELP = ("files or folders of articles: .txt (any common encoding), .html, .jsonl, .pdf (its text layer; a scan "
              "without one is refused), .docx")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    from .regex_cache import preload
    preload()  # before spaCy, pydantic and the pack are imported: the patterns they compile come from the cache
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING - 10 * min(args.verbose, 2), stream=sys.stderr,
                        format="filiere: %(message)s")
    # pdfminer warns about odd but readable PDFs (a missing CropBox) and logs every token at debug level: what
    # cannot be read is reported by our reader, one line per file (issue 17)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except FiliereError as error:
        print(_safe(f"filiere: {error}"), file=sys.stderr)
        return 2
    except BrokenPipeError:  # 'filiere track | head': the reader left; stop quietly
        sys.stdout = open(os.devnull, "w")
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="filiere", description="Follow an industry through its news: "
                                     "figures, promises, who made them, and what became of them.")
    parser.add_argument("--version", action="version", version=f"filiere {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log lines on stderr (-v, -vv)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    extract = commands.add_parser(
        "extract", help="print the facts and milestones of articles (JSON Lines, or a table)",
        description="Read articles (plain text, HTML, JSON Lines, PDF text layers, Word .docx; folders recursively), "
                    "clean them, and print one document record then its facts and milestones per article, as "
                    "shared/spec/FACTS.md says; the evidence of a PDF's records names their page, a DOCX file's their "
                    "paragraph.")
    extract.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    extract.add_argument("--format", choices=FORMATS, default="jsonl",
                         help="jsonl: the records of FACTS.md (default); table: a summary for people")
    extract.add_argument("--date", help="publication date for articles whose metadata has none: YYYY-MM-DD, or "
                                        "YYYY-MM or YYYY when that is all that is known")
    extract.add_argument("--pack", default="automotive", help="domain pack name or folder, or auto: each document "
                         "with the pack whose own vocabulary it uses most, said on stderr (default: automotive)")
    extract.add_argument("--batch-size", type=int, default=16, help="documents per spaCy batch (default: 16)")
    _parallel_options(extract)
    extract.add_argument("-v", "--verbose", action="count", default=0, help="more log lines on stderr")
    extract.set_defaults(run=run_extract)
    _store_commands(commands)
    from .fetch.cli import register as register_fetch_commands  # fetch, watch, reprocess, sources
    register_fetch_commands(commands)
    from .web.cli import register as register_web_commands  # serve
    register_web_commands(commands)
    from .review_cli import register as register_review_commands  # correct, corrections, changes, brief
    register_review_commands(commands)
    return parser


def _parallel_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--workers", type=int, default=1,
                         help="extraction processes on this machine; one process reads and writes (default: 1)")
    command.add_argument("--dask", metavar="ADDRESS",
                         help="extract on a Dask cluster: tcp://HOST:PORT of its scheduler, or 'local' to start one "
                              "here (with --workers workers, 2 at least); records are identical to a single process")


def _db_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--db", help="the store: a SQLite file path or sqlite:///path "
                                      "(default: $FILIERE_DB, else ./filiere.db)")


def _store_commands(commands) -> None:
    ingest = commands.add_parser(
        "ingest", help="extract articles and store them (SQLite), skipping those already stored",
        description="Read, clean and extract articles (plain text, HTML, JSON Lines, PDF text layers, Word .docx), "
                    "and store documents, sentences, facts, milestones (with the page or paragraph of a PDF's or DOCX "
                    "file's evidence) and actors, one transaction per document. Ingesting the same articles again "
                    "stores nothing; a new version of the same URL or file replaces the old one.")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    _db_option(ingest)
    ingest.add_argument("--date", help="publication date for articles whose metadata has none: YYYY-MM-DD, or "
                                       "YYYY-MM or YYYY when that is all that is known")
    ingest.add_argument("--pack", default="automotive", help="domain pack name or folder, or auto: each document "
                        "with the pack whose own vocabulary it uses most, said on stderr (default: automotive)")
    ingest.add_argument("--batch-size", type=int, default=16, help="documents per spaCy batch (default: 16)")
    _parallel_options(ingest)
    ingest.add_argument("--copy-jaccard", type=float, default=0.5,
                        help="estimated Jaccard similarity from which two texts are copies (default: 0.5)")
    ingest.add_argument("--copy-containment", type=float, default=0.65,
                        help="share of a text found in another from which it is a partial copy (default: 0.65)")
    ingest.add_argument("--story-score", type=float, default=5.0,
                        help="score of shared people (2 each), companies (1), places (0.5), figures (2) and promises "
                             "(1) from which two articles tell the same story (default: 5)")
    ingest.set_defaults(run=run_ingest)

    track = commands.add_parser(
        "track", help="print the commitments (status, deadline, latest figure) and the conflicts between sources",
        description="Turn the stored facts and milestones into commitments and conflicts, as shared/spec/TRACKER.md "
                    "says. --as-of replays the tracker at any date. With --facts, read records in the format of "
                    "'filiere extract' (or a gold file) instead of a store: their document lines give the dates.")
    _db_option(track)
    track.add_argument("--facts", nargs="+", metavar="FILE",
                       help="JSON Lines of document, fact, milestone and event records (filiere extract's output, "
                            "or a gold file) to track instead of the store")
    track.add_argument("--pack", default="automotive",
                       help="domain pack whose scope words read records without a scope (default: automotive)")
    track.add_argument("--as-of", help="read the tracker at this date, YYYY-MM-DD (default: today)")
    track.add_argument("--format", choices=("table", "jsonl"), default="table",
                       help="table: for people (default); jsonl: the records of TRACKER.md")
    track.set_defaults(run=run_track)

    facts = commands.add_parser("facts", help="list the stored facts with their sources",
                                description="The stored facts, filtered, with the document and sentence of each.")
    _db_option(facts)
    facts.add_argument("--metric", help="only this metric (e.g. exports_value)")
    facts.add_argument("--subject", help="only this subject (e.g. 'Renault Group')")
    facts.add_argument("--year", type=int, help="only this year")
    facts.add_argument("--kind", choices=("actual", "target"), help="only actual figures or only targets")
    facts.add_argument("--format", choices=("table", "jsonl", "csv"), default="table", help="output format")
    facts.set_defaults(run=run_facts)

    search = commands.add_parser("search", help="full-text search over stored sentences, with their figures",
                                 description="Find sentences holding all the words of TEXT (accents ignored).")
    search.add_argument("text", help="words to look for")
    _db_option(search)
    search.add_argument("--limit", type=int, default=20, help="most hits to show (default: 20)")
    search.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    search.set_defaults(run=run_search)

    duplicates = commands.add_parser(
        "duplicates", help="list clusters of copied articles and of articles about the same event",
        description="Copy clusters hold near-identical texts (MinHash LSH over word shingles, partial copies "
                    "included); story clusters hold articles about the same event (shared people, companies, places, "
                    "figures and promises, close dates). With --doc, the articles linked to one document.")
    _db_option(duplicates)
    duplicates.add_argument("--doc", help="only the articles that also report this document's story ('also reported by')")
    duplicates.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    duplicates.set_defaults(run=run_duplicates)

    export = commands.add_parser("export", help="write every table as CSV, JSON Lines, Parquet or one Excel workbook",
                                 description="Write each table of the store to OUT/<table>.<format>; xlsx writes one "
                                             "workbook, OUT/filiere.xlsx: a sheet of commitments (one row per "
                                             "commitment and source: outlet, date, URL, quote, who said it, status), "
                                             "then one sheet per table.")
    _db_option(export)
    export.add_argument("--format", choices=("csv", "jsonl", "parquet", "xlsx"), default="csv", help="file format")
    export.add_argument("--out", required=True, help="folder to write into (created if missing)")
    export.add_argument("--bom", action="store_true", help="CSV: start each file with a UTF-8 byte order mark, so "
                                                          "Excel reads its accents right")
    export.add_argument("--as-of", help="xlsx: read the tracker at this date, YYYY-MM-DD (default: today)")
    export.set_defaults(run=run_export)


def run_ingest(args: argparse.Namespace) -> int:
    from .run import ingest_paths
    from .store import open_store

    settings = Settings(pack=args.pack, date=args.date, batch_size=args.batch_size, copy_jaccard=args.copy_jaccard,
                        copy_containment=args.copy_containment, story_score=args.story_score, workers=args.workers,
                        dask=args.dask)
    if not any(Path(path).exists() for path in args.paths):  # nothing to read: no store is created (issue 13)
        for path in args.paths:
            print(f"filiere: {InputError(path, 'no such file or folder')}", file=sys.stderr)
        return 2
    from .store.corrections import RunRecorder

    with open_store(args.db) as store:
        run = RunRecorder(store, "ingest")
        summary = ingest_paths(args.paths, store, settings, progress=sys.stderr.isatty())
        run.finish()
    for line in summary.lines():
        print(f"filiere: {line}", file=sys.stderr)
    return exit_code(summary.read, summary.extraction_failed) if summary.read or summary.failed else 0


def run_track(args: argparse.Namespace) -> int:
    import datetime as dt

    from .store import open_store
    from .track import track

    from .domains.packs import load_pack

    as_of = _date_option(args.as_of, "--as-of") or dt.date.today()
    pack = load_pack(args.pack)
    if args.facts:
        if args.db:
            raise InputError("--facts", "reads records instead of a store", "give --facts or --db, not both")
        facts, milestones = read_fact_records(args.facts)
        records = track(facts, milestones, as_of, pack=pack)
    else:
        from .review_cli import report_orphans
        from .track.stored import track_store

        with open_store(args.db, create=False) as store:  # corrections applied, sources readable (issue 14)
            records = track_store(store, as_of, pack)
        report_orphans(records)
    if args.format == "jsonl":
        _write_records(records, sys.stdout)
    else:
        write_tracker_table(records, sys.stdout)
    return 0


FACT_FIELDS = {"kind": str, "metric": str, "unit": str, "subject": str}


def read_fact_records(paths: list[str]) -> tuple[list[dict], list[dict]]:
    """Facts and milestones (events as milestones done) from JSON Lines files, each with its document's date.

    A document line gives the date of the records of its id (any precision; an unreadable one counts as none).
    Raises:
        InputError: a missing file, a line that is not JSON, or a record without a field the tracker needs
            (``file:line: field: reason``).
    """
    from .periods import period_or_none

    dates: dict[str, str | None] = {}
    facts, milestones = [], []
    for path in paths:
        try:
            handle = open(path, encoding="utf-8")
        except OSError as error:
            raise InputError(path, f"cannot read it ({error.strerror or error})") from None
        with handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(f"{path}:{n}", f"not JSON ({error.msg})") from None
                kind = record.get("type") if isinstance(record, dict) else None
                if kind == "document" and isinstance(record.get("doc"), str):
                    found = period_or_none(record.get("date"))
                    dates[record["doc"]] = found.text if found else None
                elif kind == "fact":
                    facts.append(_checked_fact(record, f"{path}:{n}"))
                elif kind in ("milestone", "event"):
                    milestones.append(_checked_milestone(record, f"{path}:{n}", done=kind == "event"))
    for record in [*facts, *milestones]:
        own = period_or_none(record.get("date"))
        record["date"] = own.text if own else dates.get(record["doc"])
    return facts, milestones


def _checked_fact(record: dict, where: str) -> dict:
    for field, kind in {"doc": str, **FACT_FIELDS}.items():
        if not isinstance(record.get(field), kind):
            raise InputError(where, f"{field}: missing or not a {kind.__name__}")
    if record["kind"] not in ("actual", "target"):
        raise InputError(where, f"kind: '{record['kind']}' is neither actual nor target")
    if not isinstance(record.get("value"), (int, float)) or isinstance(record["value"], bool):
        raise InputError(where, "value: missing or not a number")
    record.setdefault("approx", "exact")
    return _with_defaults(record, where)


def _checked_milestone(record: dict, where: str, done: bool) -> dict:
    for field in ("doc", "what", "subject"):
        if not isinstance(record.get(field), str):
            raise InputError(where, f"{field}: missing or not a string")
    record["done"] = bool(record.get("done", done))
    return _with_defaults(record, where)


def _with_defaults(record: dict, where: str) -> dict:
    for field in ("year", "quarter", "month"):
        value = record.get(field)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise InputError(where, f"{field}: not a whole number")
        record[field] = value
    evidence = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
    record["evidence"] = {"text": str(evidence.get("text") or ""), "start": evidence.get("start"),
                          "end": evidence.get("end")}
    return record


def run_facts(args: argparse.Namespace) -> int:
    from .store import open_store

    with open_store(args.db, create=False) as store:
        rows = store.facts(metric=args.metric, subject=args.subject, year=args.year, kind=args.kind)
    if args.format == "jsonl":
        _write_records(rows, sys.stdout)
    elif args.format == "csv":
        _write_csv(rows, sys.stdout)
    else:
        for r in rows:
            print(_safe(f"{r['kind']:7} {r['metric']:24} {_human(r['value'])} {r['unit']:13} {r['year'] or '-':5} "
                        f"{r['subject'][:22]:22} {r['doc']}"))
    return 0


def run_search(args: argparse.Namespace) -> int:
    from .store import open_store

    with open_store(args.db, create=False) as store:
        hits = store.search(args.text, args.limit)
    if args.format == "jsonl":
        _write_records(hits, sys.stdout)
        return 0
    for hit in hits:
        figures = "; ".join(f"{f['metric']} {_human(f['value'])} {f['unit']}" for f in hit["facts"])
        print(_safe(f"{hit['doc']}: {hit['text']}" + (f"\n    -> {figures}" if figures else "")))
    return 0


def run_duplicates(args: argparse.Namespace) -> int:
    from .store import open_store

    with open_store(args.db, create=False) as store:
        records = store.related(args.doc) if args.doc else store.clusters()
    if args.format == "jsonl":
        _write_records(records, sys.stdout)
    elif args.doc:
        for r in records:
            print(_safe(f"{r['kind']:6} {r['score']:.2f}  {r['doc']}  {r['title'] or ''}"))
    else:
        for r in records:
            print(_safe(f"{r['kind']:6} {' '.join(r['docs'])}"))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from .store import open_store
    from .store.export import export_tables

    if args.bom and args.format != "csv":
        raise InputError("--bom", "only CSV files take a byte order mark")
    with open_store(args.db, create=False) as store:
        written = export_tables(store, args.format, args.out, bom=args.bom, as_of=_date_option(args.as_of, "--as-of"))
    for path in written:
        print(path)
    return 0


def _date_option(value: str | None, option: str):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(option, f"'{value}' is not a date", "write it as YYYY-MM-DD") from None


def _write_records(records, out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False).translate(C1_CONTROLS) + "\n")


def _write_csv(rows: list[dict], out: TextIO) -> None:
    import csv

    flat = [{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v) for k, v in r.items()} for r in rows]
    if not flat:
        return
    writer = csv.DictWriter(out, fieldnames=list(flat[0]))
    writer.writeheader()
    writer.writerows({k: _safe(str(v)) if isinstance(v, str) else v for k, v in r.items()} for r in flat)


def write_tracker_table(records: list[dict], out: TextIO) -> None:
    """Commitments (status, target, deadline, latest figure, progress, sources), then the market forecasts that
    articles recall, then conflicts, then how many documents were used and how many had no date."""
    commitments = [r for r in records if r["type"] == "commitment"]
    conflicts = [r for r in records if r["type"] == "conflict"]
    out.write(f"{'status':13} {'subject':16} {'promise':46} {'deadline':9} {'latest':14} {'progress':8} "
              f"sources\n")
    promises = [c for c in commitments if c.get("commitment_kind") != "forecast"]
    forecasts = [c for c in commitments if c.get("commitment_kind") == "forecast"]
    _write_commitment_rows(promises, out)
    if forecasts:
        out.write("\nforecasts (of a market, recalled by an article: not a commitment of anyone)\n")
        _write_commitment_rows(forecasts, out)
    if conflicts:
        out.write("\nconflicts\n")
    for x in conflicts:
        values = " vs ".join(_human(v["value"]) if "value" in v else v["what"][:40] for v in x["values"])
        out.write(_safe(f"{x['verdict']:22} {x['subject'][:16]:16} {x.get('metric') or ''} {x['year'] or '-'}: "
                        f"{values}\n"))
    for s in (r for r in records if r["type"] == "summary"):
        out.write(_safe(f"\n{s['documents']} documents used, {s['undated_documents']} without a publication date "
                        f"({s['undated_with_content_year']} placed by the years of their figures; the figures of "
                        f"undated documents count by their years alone)\n"))


def _write_commitment_rows(commitments: list[dict], out: TextIO) -> None:
    from .readable import count_phrase

    for c in sorted(commitments, key=lambda c: (c["status"], c["subject"])):
        deadline = c["deadline"] or {}
        when = ("from " if deadline.get("starts") else "") + f"{deadline.get('year') or '-'}" + \
            (f" Q{deadline['quarter']}" if deadline.get("quarter") else "")
        latest = c["latest_actual"]
        latest_text = f"{_human(latest['value'])} ({latest['year'] or '-'})" if latest else "-"
        progress = f"{c['progress']:.0%}" if c["progress"] is not None else "-"
        revised = "  (revised)" if c["superseded_by"] else ""
        corrected = f"  (corrected by {', '.join(c['corrected_by'])})" if c.get("corrected_by") else ""
        out.write(_safe(f"{c['status']:13} {c['subject'][:16]:16} {c['what'][:46]:46} {when:9} {latest_text:14} "
                        f"{progress:8} {count_phrase(len(c['announced']), c['independent_sources'], 'en')}"
                        f"{revised}{corrected}\n"))


def run_extract(args: argparse.Namespace) -> int:
    settings = Settings(pack=args.pack, date=args.date, format=args.format, batch_size=args.batch_size,
                        workers=args.workers, dask=args.dask)
    counts = {"read": 0, "failed": 0, "extraction_failed": 0}
    extractions = extract_paths(args.paths, settings, counts)
    if settings.format == "jsonl":
        write_jsonl(extractions, sys.stdout)
    else:
        write_table(extractions, sys.stdout)
    log.info("%d documents read, %d failed", counts["read"], counts["failed"])
    return exit_code(counts["read"], counts.get("extraction_failed", 0))


def exit_code(read: int, extraction_failed: int) -> int:
    """0: every document read was extracted (unreadable files are reported, FACTS.md); 1: some document read
    could not be extracted (each named on stderr, the others printed); 2: no document could be read."""
    if not read:
        return 2
    return 1 if extraction_failed else 0


def extract_paths(paths: list[str], settings: Settings, counts: dict | None = None) -> Iterator[Extraction]:
    """Read, clean and extract every article under the paths; unreadable files are reported and skipped.

    Args:
        paths: files or folders.
        settings: pack, date, batch size.
        counts: optional dict whose "read" and "failed" counters are updated.
    Yields:
        One Extraction per document read.
    """
    from .parallel import extractions

    counts = counts if counts is not None else {"read": 0, "failed": 0}

    def failed(document, error) -> None:
        counts["extraction_failed"] = counts.get("extraction_failed", 0) + 1
        _report(InputError(document.source, f"document '{document.doc}': extraction failed ({error})"), counts)

    yield from extractions(read_documents(paths, settings, counts), settings, failed)


def read_documents(paths: list[str], settings: Settings, counts: dict) -> Iterator[Document]:
    """Cleaned documents from the paths; each failure (a file, a record) is one stderr line naming it and the
    reason, and the others go on."""
    from .ingest import iter_paths, prepare

    for path in _existing(paths, counts):
        for path_file in iter_paths([path]):
            for item in _read_reported(path_file, counts):
                try:
                    document = prepare(item, settings.date)
                except InputError as error:
                    _report(error, counts)
                    continue
                counts["read"] += 1
                yield document


def _read_reported(path, counts: dict) -> Iterator:
    """The raw documents of one file; its bad records, or the file itself, reported."""
    from .ingest import read_path

    try:
        for item in read_path(path):
            if isinstance(item, InputError):
                _report(item, counts)
            else:
                yield item
    except InputError as error:
        _report(error, counts)


def _existing(paths: Iterable[str], counts: dict) -> Iterator[str]:
    for path in paths:
        if Path(path).exists():
            yield path
        else:
            _report(InputError(path, "no such file or folder"), counts)


def _report(error: InputError, counts: dict) -> None:
    """One line on stderr: the error's text is printable (errors.py), so no name or record can break it."""
    counts["failed"] += 1
    print(f"filiere: {error}", file=sys.stderr)


def write_jsonl(extractions: Iterable[Extraction], out: TextIO) -> None:
    """One JSON object per line; C1 control characters are escaped too, so no terminal can be driven by them."""
    for extraction in extractions:
        for record in extraction.records():
            out.write(json.dumps(record, ensure_ascii=False).translate(C1_CONTROLS) + "\n")
        out.flush()


def write_table(extractions: Iterable[Extraction], out: TextIO) -> None:
    """A readable summary: per document, its title and date, then one line per fact and milestone."""
    for extraction in extractions:
        d = extraction.document
        out.write(_safe(f"\n{d.doc}  {d.title or '(no title)'}  [{d.date or 'no date'}"
                        f"{' from ' + d.date_source if d.date_source else ''}, {d.language}]\n"))
        rows = [_fact_row(f) for f in extraction.facts] + [_milestone_row(m) for m in extraction.milestones]
        if not rows:
            out.write("  (no figure of the pack's metrics)\n")
        for row in rows:
            out.write(_safe("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, (9, 24, 26, 8, 22, 0))) + "\n"))
    out.flush()


def _fact_row(f) -> list[str]:
    approx = {"exact": "", "more_than": "> ", "less_than": "< ", "about": "~ ", "up_to": "<= "}[f.approx]
    return [f.kind, f.metric, f"{approx}{_human(f.value)} {f.unit}", str(f.year or "-"), f.subject,
            f.claimed_by and f"selon {f.claimed_by}" or ""]


def _milestone_row(m) -> list[str]:
    when = f"{m.year or '-'}" + (f" Q{m.quarter}" if m.quarter else "")
    return ["milestone", m.what[:60], "", when, m.subject, ""]


def _human(value: float) -> str:
    for scale, word in ((1e9, "bn"), (1e6, "M")):
        if abs(value) >= scale:
            return f"{value / scale:g} {word}"
    return f"{value:g}"


def _safe(text: str) -> str:
    return text.translate(TERMINAL_UNSAFE)


if __name__ == "__main__":
    sys.exit(main())
