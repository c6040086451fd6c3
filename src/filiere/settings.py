"""Options built once from the command line (or by a caller) and passed down; never read from globals."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .periods import normalise_date

FORMATS = ("jsonl", "table")


@dataclass(frozen=True, slots=True)
class Settings:
    """What an extraction run needs to know."""

    pack: str = "automotive"
    model: str = "fr_core_news_md"
    date: str | None = None
    format: str = "jsonl"
    batch_size: int = 16
    copy_jaccard: float = 0.5  # see ingest/dedup.py and bench/dedup_eval.py
    copy_containment: float = 0.65
    story_score: float = 5.0
    workers: int = 1  # extraction processes (see parallel.py)
    dask: str | None = None  # a Dask scheduler address, or "local" for a local cluster

    def __post_init__(self):
        if self.format not in FORMATS:
            raise InputError("--format", f"unknown format '{self.format}'", f"choose one of: {', '.join(FORMATS)}")
        if self.workers < 1:
            raise InputError("--workers", f"{self.workers} is not a number of processes", "give 1 or more")
        if self.batch_size < 1:
            raise InputError("--batch-size", f"{self.batch_size} is not a batch size", "give 1 or more")
        if self.date is not None:  # a period of any precision: 2025, 2025-01, 2025-01-14 (periods.py)
            try:
                object.__setattr__(self, "date", normalise_date(self.date))
            except ValueError as error:
                raise InputError("--date", str(error)) from None
