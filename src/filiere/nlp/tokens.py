"""One blank French tokenizer, to turn the pack's phrases into the token sequences the matchers compare."""
from __future__ import annotations

from functools import lru_cache

from spacy.lang.fr import French
from spacy.tokenizer import Tokenizer


@lru_cache(maxsize=1)
def blank_tokenizer() -> Tokenizer:
    """French tokenization rules without a model: what the pipeline's tokenizer does to a phrase."""
    return French().tokenizer
