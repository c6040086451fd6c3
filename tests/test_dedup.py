"""Near-duplicates and story clusters: signatures, verdicts, the stored index, clusters, independent sources."""
import json
import datetime as dt
import random
from pathlib import Path

import pytest

from filiere.ingest.dedup import (MemoryIndex, StoryFeatures, band_keys, bands, clusters, containment,
                                  is_copy, jaccard, repeated_paragraphs, signature, story_score)
from filiere.run import ingest_paths
from filiere.settings import Settings
from filiere.store import open_store
from filiere.track import track

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
WORDS = ("usine ligne production véhicule groupe marché export emploi site atelier équipe plan modèle batterie "
         "moteur châssis câblage fournisseur salon région port logistique contrat accord chantier ingénieur "
         "formation capital projet client réseau énergie").split()


def article(seed: int, paragraphs: int = 6) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, k=rng.randint(40, 60))) for _ in range(paragraphs)]


def test_dedup_identical_and_different_texts():
    a, b = "\n".join(article(1)), "\n".join(article(2))
    assert jaccard(signature(a), signature(a)) == 1.0
    assert not is_copy(signature(a), signature(b))


@pytest.mark.parametrize("edit", ["headline", "boilerplate", "changed_paragraph", "reordered", "partial"])
def test_dedup_edited_copies_are_copies(edit):
    base = article(3)
    other = article(4)
    versions = {
        "headline": ["Un tout autre titre pour la même dépêche", *base],
        "boilerplate": ["Publicité", *base, "Lire aussi : nos autres articles", "© Tous droits réservés"],
        "changed_paragraph": [*base[:2], " ".join(article(5)[0].split()[:30]), *base[3:]],
        "reordered": list(reversed(base)),
        "partial": [*other[:2], *base[:5]],
    }
    a, b = signature("\n".join(base)), signature("\n".join(versions[edit]))
    assert is_copy(a, b)


def test_dedup_partial_copy_is_contained():
    base, other = article(6), article(7)
    small, large = signature("\n".join(base[:4])), signature("\n".join([*other, *base[:4]]))
    assert containment(small, large) > 0.8 > containment(large, small)


def test_dedup_seed_002_repeats_two_paragraphs():
    raw = (SEEDS / "002_86e094afeaac893d.txt").read_text(encoding="utf-8")
    pairs = repeated_paragraphs(raw)
    assert len(pairs) == 2
    for (s1, e1), (s2, e2), similarity in pairs:
        assert raw[s1:e1] == raw[s2:e2] and similarity == 1.0


def test_dedup_memory_index_finds_copies_without_all_pairs():
    index = MemoryIndex()
    for n in range(50):
        index.add(f"d{n}", signature("\n".join(article(100 + n))))
    copy = signature("\n".join(["Titre repris", *article(117)]))
    assert index.query(copy) == ["d17"]
    assert len(band_keys(copy)) == bands()[0]


def test_dedup_story_score_needs_shared_people_or_figures_and_close_dates():
    a = StoryFeatures(people=frozenset({"Aya Bennani", "Marc Duval"}), organisations=frozenset({"Renault Group"}),
                      date="2025-03-01")
    b = StoryFeatures(people=frozenset({"Aya Bennani", "Marc Duval"}), organisations=frozenset({"Renault Group"}),
                      date="2025-03-02")
    assert story_score(a, b) == 5.0
    assert story_score(a, StoryFeatures(organisations=frozenset({"Renault Group"}))) == 1.0
    far = StoryFeatures(people=b.people, organisations=b.organisations, date="2025-09-01")
    assert story_score(a, far) == 0.0


def test_dedup_clusters_union_find():
    assert clusters([("a", "b"), ("c", "d"), ("b", "e")]) == [["a", "b", "e"], ["c", "d"]]


@pytest.fixture
def seeded(nlp, tmp_path):
    store = open_store(str(tmp_path / "d.db"))
    ingest_paths([str(SEEDS)], store, Settings())
    yield store, tmp_path
    store.close()


def test_dedup_seeds_000_and_001_are_the_only_story(seeded):
    store, _ = seeded
    assert store.clusters() == [{"type": "cluster", "kind": "story",
                                 "docs": ["000_fb631d34b5572e81", "001_c9524406ab961de6"]}]
    [related] = store.related("001_c9524406ab961de6")
    assert related["doc"] == "000_fb631d34b5572e81" and related["kind"] == "story"


def test_dedup_new_copy_checked_against_stored_index_and_counted_once(seeded):
    store, tmp_path = seeded
    bands_before = store.counts()["lsh_bands"]
    text = (SEEDS / "004_47c0aad5b6007f53.txt").read_text(encoding="utf-8")
    copy = tmp_path / "repris.txt"
    copy.write_text("Le Maroc, champion de l'électrique\n\nPublicité\n" + text + "\nPartagez cet article\n", encoding="utf-8")
    ingest_paths([str(copy)], store, Settings())
    assert store.counts()["lsh_bands"] == bands_before + bands()[0]
    copies = [c for c in store.clusters() if c["kind"] == "copy"]
    assert copies == [{"type": "cluster", "kind": "copy", "docs": ["004_47c0aad5b6007f53", "repris"]}]
    records = track(store.facts(), store.milestones(), dt.date(2026, 11, 24), store.copy_groups())
    [capacity] = [r for r in records if r["type"] == "commitment" and r["subject"] == "Maroc"
                  and r["metric"] == "production_capacity"]
    assert len(capacity["announced"]) == 2 and capacity["independent_sources"] == 1


def test_dedup_story_threshold_is_a_setting(nlp, tmp_path):
    store = open_store(str(tmp_path / "strict.db"))
    ingest_paths([str(SEEDS)], store, Settings(story_score=10.0))
    assert store.clusters() == []
    store.close()


def test_dedup_story_candidates_come_from_the_same_weeks(nlp, tmp_path):
    """Dated articles are matched with those of the story window (indexed by date), not with the whole store."""
    texts = {
        "a": "La ministre Salma Bennani et le directeur Karim Alaoui ont inauguré mardi l'usine de Stellantis à "
             "Kénitra.\nLe site produira 200 000 véhicules par an en 2027, selon le constructeur.",
        "b": "Kénitra a accueilli Salma Bennani et Karim Alaoui pour l'ouverture du nouveau site de Stellantis.\n"
             "Une capacité de 200 000 véhicules par an est annoncée pour 2027, a précisé Karim Alaoui.",
    }
    texts["c"] = texts["b"].replace("nouveau", "second")
    rows = [("a", "2026-03-01"), ("b", "2026-03-12"), ("c", "2026-09-20")]
    corpus = tmp_path / "dated.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": i, "date": d, "title": f"Article {i}", "text": texts[i]},
                                           ensure_ascii=False) for i, d in rows), encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as store:
        ingest_paths([str(corpus)], store, Settings())
        assert [(r["doc"], r["kind"]) for r in store.related("a")] == [("b", "story")]  # c: six months later
        assert ("c", "copy") in [(r["doc"], r["kind"]) for r in store.related("b")]
        plan = " ".join(r[-1] for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM documents WHERE date BETWEEN date('2026-03-01', '-30 days') "
            "AND date('2026-03-01', '+30 days')"))
        assert "documents_date" in plan
