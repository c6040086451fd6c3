"""One blank French tokenizer, to turn the pack's phrases into the token sequences the matchers compare."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def blank_tokenizer() -> Tokenizer:
    """French tokenization rules without a model: what the pipeline's tokenizer does to a phrase."""
    from .. import regex_cache
    regex_cache.preload()  # before spaCy's French rules are imported: they compile the tokenizer's patterns
    from spacy.lang.fr import French
    tokenizer = French().tokenizer
    regex_cache.remember(tokenizer)
    return tokenizer


def doc_text(doc: Doc) -> str:
    """The doc's text, joined once (spaCy rebuilds ``doc.text`` from its tokens at every call)."""
    cached = doc.user_data.get("filiere_text")
    if cached is None or cached[0] != len(doc):
        cached = doc.user_data["filiere_text"] = (len(doc), doc.text)
    return cached[1]


def span_text(span) -> str:
    """A span's text, cut from the doc's cached text (``Span.text`` joins its tokens at every call)."""
    return doc_text(span.doc)[span.start_char:span.end_char]
