"""The ``filiere`` command: thin commands over plain functions that tests call directly."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Iterable, Iterator, TextIO

from . import __version__
from .errors import FiliereError, InputError
from .records import Document, Extraction
from .settings import FORMATS, Settings

log = logging.getLogger("filiere")
C1_CONTROLS = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}
TERMINAL_UNSAFE = {c: "\ufffd" for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING - 10 * min(args.verbose, 2), stream=sys.stderr,
                        format="filiere: %(message)s")
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except FiliereError as error:
        print(f"filiere: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="filiere", description="Follow an industry through its news: "
                                     "figures, promises, who made them, and what became of them.")
    parser.add_argument("--version", action="version", version=f"filiere {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log lines on stderr (-v, -vv)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    extract = commands.add_parser(
        "extract", help="print the facts and milestones of articles (JSON Lines, or a table)",
        description="Read articles (plain text, HTML, JSON Lines; folders recursively), clean them, and print "
                    "one document record then its facts and milestones per article, as shared/spec/FACTS.md says.")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of articles")
    extract.add_argument("--format", choices=FORMATS, default="jsonl",
                         help="jsonl: the records of FACTS.md (default); table: a summary for people")
    extract.add_argument("--date", help="publication date (YYYY-MM-DD) for articles whose metadata has none")
    extract.add_argument("--pack", default="automotive", help="domain pack name or folder (default: automotive)")
    extract.add_argument("--batch-size", type=int, default=16, help="documents per spaCy batch (default: 16)")
    extract.add_argument("-v", "--verbose", action="count", default=0, help="more log lines on stderr")
    extract.set_defaults(run=run_extract)
    return parser


def run_extract(args: argparse.Namespace) -> int:
    settings = Settings(pack=args.pack, date=args.date, format=args.format, batch_size=args.batch_size)
    counts = {"read": 0, "failed": 0}
    extractions = extract_paths(args.paths, settings, counts)
    if settings.format == "jsonl":
        write_jsonl(extractions, sys.stdout)
    else:
        write_table(extractions, sys.stdout)
    log.info("%d documents read, %d failed", counts["read"], counts["failed"])
    return 0 if counts["read"] else 2


def extract_paths(paths: list[str], settings: Settings, counts: dict | None = None) -> Iterator[Extraction]:
    """Read, clean and extract every article under the paths; unreadable files are reported and skipped.

    Args:
        paths: files or folders.
        settings: pack, date, batch size.
        counts: optional dict whose "read" and "failed" counters are updated.
    Yields:
        One Extraction per document read.
    """
    from .nlp import build_nlp, extract_documents

    counts = counts if counts is not None else {"read": 0, "failed": 0}
    nlp = build_nlp(settings.pack, settings.model)
    yield from extract_documents(read_documents(paths, settings, counts), nlp, settings.batch_size)


def read_documents(paths: list[str], settings: Settings, counts: dict) -> Iterator[Document]:
    """Cleaned documents from the paths; each failure is one stderr line naming the file and the reason."""
    from .ingest import iter_paths, prepare, read_path

    for path in _existing(paths, counts):
        for path_file in iter_paths([path]):
            try:
                for item in read_path(path_file):
                    if isinstance(item, InputError):
                        _report(item, counts)
                        continue
                    counts["read"] += 1
                    yield prepare(item, settings.date)
            except InputError as error:
                _report(error, counts)


def _existing(paths: Iterable[str], counts: dict) -> Iterator[str]:
    from pathlib import Path

    for path in paths:
        if Path(path).exists():
            yield path
        else:
            _report(InputError(path, "no such file or folder"), counts)


def _report(error: InputError, counts: dict) -> None:
    counts["failed"] += 1
    print(f"filiere: {error}".translate(TERMINAL_UNSAFE), file=sys.stderr)


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
