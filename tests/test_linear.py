"""An article's cost grows with its length, never with its square (issue 13, rows 11 and 12).

Speed is measured by bench/figures.py, not asserted here: these tests count the operations that once grew
quadratically (the trigger overlap loop, the comparison of each figure with every figure before it) on articles
of N and 2N figure lines, and check that doubling the article at most doubles the count (with some slack).
"""
import pytest

from filiere.nlp import extract_documents, facts as facts_module
from filiere.records import Document


def _article(n: int) -> str:
    return "\n".join(f"Ventes : {1000 + i} véhicules." for i in range(n))


def _run(nlp, text):
    document = Document(doc="t", text=text, source="test", title=None, date=None, date_source=None, language="fr")
    return list(extract_documents([document], nlp))[0]


def test_comparisons_of_figures_grow_linearly(nlp, monkeypatch):
    counts = []
    original = facts_module._same_fact
    for n in (400, 800):
        calls = [0]

        def counted(a, b, calls=calls):
            calls[0] += 1
            return original(a, b)

        monkeypatch.setattr(facts_module, "_same_fact", counted)
        extraction = _run(nlp, _article(n))
        assert len(extraction.facts) == n  # every line's figure is its own fact, none merged with its neighbours
        counts.append(calls[0])
    assert counts[1] <= 2.5 * max(counts[0], 1)


def test_trigger_phrases_are_resolved_in_linear_time(nlp):
    """The Python calls (generator steps included) made by the trigger resolution, counted by cProfile."""
    import cProfile
    import pstats

    from filiere.nlp import pipeline

    pack = nlp.get_pipe("filiere_metrics").pack
    counts = []
    for n in (400, 800):
        doc = nlp.make_doc(_article(n))
        pipeline._triggers(doc, pack)  # warm the matcher's cache
        profile = cProfile.Profile()
        profile.runcall(pipeline._triggers, doc, pack)
        counts.append(pstats.Stats(profile).total_calls)
    assert counts[1] <= 2.5 * counts[0]


def test_a_huge_sentence_gives_no_milestones(nlp):
    text = " ".join(["le groupe lancera en 2027 la production d'un nouveau modèle"] * 60)
    extraction = _run(nlp, text)
    assert extraction.milestones == ()
