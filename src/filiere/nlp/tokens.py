"""Tokens: the pipeline's tokenizer with its cache kept warm, one blank French tokenizer for the pack's phrases
(the token sequences the matchers compare), and the texts of docs and spans cut once."""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

CACHED_CHUNKS = 250_000  # distinct space-separated chunks warmed per tokenizer (a few tens of MB at most)
_warmed: dict[int, tuple[Tokenizer, set[str]]] = {}


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, the same tokens, with every space-separated chunk of the text in the tokenizer's cache.

    spaCy's tokenizer caches the tokens of each chunk it splits with its affix patterns, but within a text only up
    to the first chunk a special case applies to ('M.', 'aujourd'hui': spaCy issue #1250's guard, which holds for
    the rest of the text); French news has one in nearly every paragraph, so most chunks went through the
    patterns again in every article (an eighth of an extraction). A chunk not seen before is first tokenized
    alone, where the guard only keeps out a chunk that is itself a special case; the text is then tokenized as
    always and finds the others in the cache. The cache holds lexemes, which the chunk gives whatever its
    neighbours, so the doc is the one ``make_doc`` gives (``tests/test_startup.py`` compares them).
    """
    tokenizer = nlp.tokenizer
    entry = _warmed.get(id(tokenizer))
    if entry is None or entry[0] is not tokenizer:
        if not isinstance(tokenizer, Tokenizer):  # a user's own tokenizer: left as it is
            return nlp.make_doc(text)
        tokenizer.max_cache_size = max(tokenizer.max_cache_size, 2 * CACHED_CHUNKS)  # whitespace runs are cached too
        entry = _warmed[id(tokenizer)] = (tokenizer, set())
    seen = entry[1]
    if len(seen) < CACHED_CHUNKS:
        for chunk in dict.fromkeys(text.split()):  # in the text's order: the vocabulary grows as without warming
            if chunk not in seen:
                tokenizer(chunk)
                seen.add(chunk)
    return nlp.make_doc(text)


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


def phrase_matches(doc: Doc, matcher) -> list[tuple[int, int, int]]:
    """A PhraseMatcher's (match id, start, end) on the doc, found once per doc and matcher: the pre-filter and the
    components after the parse ask for the same actors and metric words (on the tokens' forms, which the parse
    leaves as they are)."""
    key = ("filiere_matches", id(matcher))
    cached = doc.user_data.get(key)
    if cached is None or cached[0] is not matcher or cached[1] != len(doc):
        cached = doc.user_data[key] = (matcher, len(doc), list(matcher(doc)))
    return cached[2]
