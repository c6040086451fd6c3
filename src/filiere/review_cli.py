"""The commands of the analyst's workflow (issue 14): ``correct``, ``corrections``, ``changes``, ``brief``.

``register(commands)`` adds them to the ``filiere`` parser (called from ``filiere.cli.build_parser``).
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from .cli import _date_option, _db_option, _safe, _write_csv, _write_records
from .errors import InputError


def register(commands) -> None:
    correct = commands.add_parser(
        "correct", help="correct a fact, milestone or commitment (kept in the store, applied at every tracker run)",
        description="Mark a record wrong, fix one of its fields, merge two commitments or split one. A correction is "
                    "kept in its own table, keyed by the document's content hash and the record's evidence offsets "
                    "(or the commitment's stable id), so it still applies after 'ingest' again, 'reprocess' or a new "
                    "extractor; it carries who made it and when, and 'filiere correct undo N' undoes it.")
    correct.set_defaults(run=lambda args: (correct.print_help(), 2)[1])  # no target: say what can be corrected
    targets = correct.add_subparsers(title="what to correct", metavar="TARGET")
    for target, ident in (("fact", "the fact's id (filiere facts --format jsonl)"),
                          ("milestone", "the milestone's id (the API's /api/documents/{id})"),
                          ("commitment", "the commitment's id (filiere track --format jsonl)")):
        fields = {"fact": "subject, metric, kind, year, value, unit, site, segment, period",
                  "milestone": "subject, year, what, site, segment, period",
                  "commitment": "subject, metric, commitment_kind, status, deadline, site, segment, period"}[target]
        command = targets.add_parser(target, help=f"correct a {target}",
                                     description=f"Correct a {target}. Fields: {fields}.")
        command.add_argument("id", help=ident)
        command.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                             help=f"the right value of a field ({fields}); repeat for several")
        command.add_argument("--wrong", action="store_true", help=f"this {target} is wrong: leave it out")
        if target == "commitment":
            command.add_argument("--merge-into", metavar="ID", help="the same promise as commitment ID: its sources "
                                                                   "join ID's")
            command.add_argument("--split", nargs="+", metavar="DOC",
                                 help="the sources of these documents make a commitment of their own")
            command.add_argument("--as-of", help="read the tracker at this date, YYYY-MM-DD (default: today)")
        _author_options(command)
        command.set_defaults(run=run_correct, target=target)
    undo = targets.add_parser("undo", help="undo a correction (it is kept, marked undone)",
                              description="Undo correction N: the tracker no longer applies it; the list keeps it, "
                                          "with who undid it and when.")
    undo.add_argument("number", type=int, metavar="N", help="the correction's number (filiere corrections)")
    _author_options(undo, note=False)
    undo.set_defaults(run=run_undo)

    listing = commands.add_parser(
        "corrections", help="list the corrections (applied, orphaned, undone), or export them",
        description="Every correction with what it changes, who made it and when, and its state: applied, orphaned "
                    "(its record or commitment no longer exists: re-read articles lost it) or undone.")
    _db_option(listing)
    listing.add_argument("--format", choices=("table", "jsonl", "csv"), default="table", help="output format")
    listing.add_argument("--as-of", help="read the tracker at this date to find orphans, YYYY-MM-DD (default: today)")
    listing.set_defaults(run=run_corrections)

    changed = commands.add_parser(
        "changes", help="what the documents stored since a date or the last run changed: new and revised promises, "
                        "status changes, new conflicts",
        description="Compare the tracker (corrections applied) over the documents stored before --since with the "
                    "tracker over all of them.")
    _db_option(changed)
    changed.add_argument("--since", required=True, metavar="DATE|last-run",
                         help="YYYY-MM-DD (documents stored from that day on, UTC) or last-run (the documents the "
                              "latest ingest, fetch, watch round or reprocess stored)")
    changed.add_argument("--as-of", help="read the tracker at this date, YYYY-MM-DD (default: today)")
    changed.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    changed.set_defaults(run=run_changes)

    brief = commands.add_parser(
        "brief", help="write a briefing a journalist can send (Markdown, HTML or PDF; French or English)",
        description="Per subject, the commitments with status, deadline, latest figure and progress, each source "
                    "with its quote, title, outlet, date and link; what changed since --since; the conflicts between "
                    "sources with both quotes; a chart per metric series. Corrections are applied.")
    _db_option(brief)
    brief.add_argument("--subject", help="only this subject (e.g. 'Renault Group')")
    brief.add_argument("--metric", help="only this metric (e.g. production_capacity)")
    brief.add_argument("--since", metavar="DATE|last-run", help="add what changed since then (see 'filiere changes')")
    brief.add_argument("--as-of", help="read the tracker at this date, YYYY-MM-DD (default: today)")
    brief.add_argument("--format", choices=("md", "html", "pdf"), required=True, help="md, html or pdf")
    brief.add_argument("--lang", choices=("fr", "en"), default="fr", help="language (default: fr)")
    brief.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    brief.set_defaults(run=run_brief)


def _author_options(command: argparse.ArgumentParser, note: bool = True) -> None:
    _db_option(command)
    command.add_argument("--by", help="who makes it (default: $FILIERE_USER, else the login name)")
    if note:
        command.add_argument("--note", help="why (kept with the correction)")


def author(value: str | None) -> str:
    name = value or os.environ.get("FILIERE_USER")
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no login name (a container without one): say so rather than guess
            name = "unknown"
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise InputError("--by", "a name of 1 to 100 printable characters is needed")
    return name


def _today(value):
    import datetime as dt

    return _date_option(value, "--as-of") or dt.date.today()


def make_corrections(store, target: str, ident: str, sets: list[str], wrong: bool, by: str,
                     note: str | None = None, merge_into: str | None = None, split: list[str] | None = None,
                     as_of=None) -> list[int]:
    """Store the corrections one command asks for; returns their numbers.

    Raises:
        InputError: no such record or commitment, a field or value it cannot take, or nothing asked.
    """
    from .store.corrections import add_correction, record_key
    from .track.corrections import parse_value

    asked = len(sets) + bool(wrong) + bool(merge_into) + bool(split)
    if not asked:
        raise InputError(f"{target} {ident}", "nothing to correct", "give --set FIELD=VALUE, --wrong"
                         + (", --merge-into ID or --split DOC" if target == "commitment" else ""))
    if wrong and asked > 1:
        raise InputError(f"{target} {ident}", "--wrong leaves it out: give it alone")
    changes = []
    for item in sets:
        field, sep, text = item.partition("=")
        if not sep:
            raise InputError(f"--set {item}", "not FIELD=VALUE", "e.g. --set subject=Maroc")
        changes.append((field.strip(), parse_value(target, field.strip(), text)))
    if note is not None and (len(note) > 1000 or not note.replace("\n", " ").isprintable()):
        raise InputError("--note", "a note of at most 1000 printable characters")
    if target in ("fact", "milestone"):
        if not ident.isdigit():
            raise InputError(f"{target} {ident}", "not a record id", "ids are whole numbers")
        row = record_key(store, target, int(ident))
        label = (f"{target} {row['metric']} {row['value']:g} {row['unit']} ({row['subject']}, {row['year'] or '-'})"
                 if target == "fact" else f"milestone {row['what'][:80]} ({row['subject']}, {row['year'] or '-'})")
        label += f" in {row['doc']} at {row['evidence_start']}"
        key = {"content_hash": row["content_hash"], "evidence_start": row["evidence_start"],
               "evidence_end": row["evidence_end"]}
    else:
        from .track.stored import track_store

        found = {r["id"]: r for r in track_store(store, as_of) if r["type"] == "commitment"}
        if ident not in found:
            raise InputError(f"commitment {ident}", "no such commitment in the tracker",
                             "'filiere track --format jsonl' lists them with their ids")
        if merge_into is not None and (merge_into not in found or merge_into == ident):
            raise InputError(f"--merge-into {merge_into}", "no such other commitment in the tracker")
        if split:
            docs = {s["doc"] for s in found[ident]["announced"]}
            if not set(split) <= docs or set(split) == docs:
                raise InputError(f"--split {' '.join(split)}", "give some, not all, of the commitment's source "
                                 f"documents ({', '.join(sorted(docs))})")
        label = f"commitment {found[ident]['subject']}: {found[ident]['what'][:80]}"
        key = {"commitment_id": ident}
    common = {"target": target, "author": by, "note": note, **key}
    numbers = []
    if wrong:
        numbers.append(add_correction(store, action="wrong", label=label, **common))
    for field, value in changes:
        numbers.append(add_correction(store, action="set", field=field, value=value, label=label, **common))
    if merge_into:
        numbers.append(add_correction(store, action="merge", other=merge_into, label=label + f" -> {merge_into}",
                                      **common))
    if split:
        numbers.append(add_correction(store, action="split", value=sorted(split), label=label, **common))
    return numbers


def run_correct(args: argparse.Namespace) -> int:
    from .store import open_store

    with open_store(args.db, create=False) as store:
        numbers = make_corrections(store, args.target, args.id, args.set, args.wrong, author(args.by), args.note,
                                   getattr(args, "merge_into", None), getattr(args, "split", None),
                                   _today(getattr(args, "as_of", None)))
    for n in numbers:
        print(f"correction {n} saved")
    return 0


def run_undo(args: argparse.Namespace) -> int:
    from .store import open_store
    from .store.corrections import undo_correction

    with open_store(args.db, create=False) as store:
        row = undo_correction(store, args.number, author(args.by))
    print(_safe(f"correction {row['id']} undone by {row['undone_by']} at {row['undone_at']}"))
    return 0


def listed_corrections(store, as_of) -> list[dict]:
    """Every correction with its state: applied, orphaned or undone."""
    from .store.corrections import corrections
    from .track.stored import track_store

    rows = corrections(store)
    summary = next(r for r in track_store(store, as_of) if r["type"] == "summary")
    lost = {c["id"] for c in summary["corrections"]["orphaned"]}
    for r in rows:
        r["state"] = "undone" if r["undone_at"] else "orphaned" if r["id"] in lost else "applied"
    return rows


def run_corrections(args: argparse.Namespace) -> int:
    from .store import open_store

    with open_store(args.db, create=False) as store:
        rows = listed_corrections(store, _today(args.as_of))
    if args.format == "jsonl":
        _write_records(rows, sys.stdout)
    elif args.format == "csv":
        _write_csv([{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v) for k, v in r.items()}
                    for r in rows], sys.stdout)
    else:
        print(f"{'#':>4} {'state':8} {'by':12} {'when':25} what")
        for r in rows:
            change = {"wrong": "wrong", "merge": f"merge into {r['other']}", "split": f"split {r['value']}",
                      "set": f"{r['field']} = {r['value']}"}[r["action"]]
            print(_safe(f"{r['id']:>4} {r['state']:8} {r['author'][:12]:12} {r['created_at']:25} {change}: {r['label']}"
                        + (f" (undone by {r['undone_by']} at {r['undone_at']})" if r["undone_at"] else "")))
    return 0


def run_changes(args: argparse.Namespace) -> int:
    from .changes import change_line, changes
    from .store import open_store

    with open_store(args.db, create=False) as store:
        found = changes(store, args.since, _today(args.as_of))
    if args.format == "jsonl":
        _write_records(found["items"], sys.stdout)
        return 0
    print(_safe(f"changes since {found['since']}: {len(found['documents'])} new documents, "
                f"{len(found['items'])} changes"))
    for item in found["items"]:
        print(_safe(change_line(item)))
    return 0


def report_orphans(records: list[dict]) -> None:
    """One stderr line per correction whose record or commitment is gone."""
    for s in (r for r in records if r["type"] == "summary"):
        for c in s.get("corrections", {}).get("orphaned", []):
            print(_safe(f"filiere: correction {c['id']} is orphaned: its record is no longer in the store "
                        f"({c['label']}); 'filiere corrections' lists it"), file=sys.stderr)


def run_brief(args: argparse.Namespace) -> int:
    from .brief import build_brief, write_brief
    from .store import open_store

    with open_store(args.db, create=False) as store:
        content = build_brief(store, _today(args.as_of), args.subject, args.metric, args.since, args.lang)
    write_brief(content, args.format, args.out)
    print(_safe(args.out))
    return 0
