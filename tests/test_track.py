"""The tracker on small corpora written for the tests: several articles over several years about one promise.

Each corpus goes through the whole path (extract -> store -> track), so the status comes from real sentences.
"""
import datetime as dt
import json

import pytest

from filiere.run import ingest_paths
from filiere.settings import Settings
from filiere.store import open_store
from filiere.track import track
from filiere.track.conflicts import consistent, last_digit
from filiere.track.status import deadline_end, decide_status


def _corpus(tmp_path, articles):
    """articles: (id, date, text) -> a JSON Lines file."""
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "date": d, "text": t}, ensure_ascii=False)
                              for i, d, t in articles), encoding="utf-8")
    return path


def _track(nlp, tmp_path, articles, as_of):
    store = open_store(str(tmp_path / "t.db"))
    ingest_paths([str(_corpus(tmp_path, articles))], store, Settings())
    records = track(store.facts(), store.milestones(), dt.date.fromisoformat(as_of))
    store.close()
    return [r for r in records if r["type"] == "commitment"], [r for r in records if r["type"] == "conflict"]


def _one(commitments, metric):
    [c] = [c for c in commitments if c["metric"] == metric]
    return c


PROMISE = ("p1", "2019-03-01", "Le constructeur Stellantis ambitionne d'atteindre une capacité de production de "
                               "400 000 véhicules par an d'ici 2022 dans son usine de Kénitra.")


def test_track_achieved_on_time(nlp, tmp_path):
    articles = [PROMISE, ("a1", "2023-01-20", "En 2022, la capacité de production de Stellantis à Kénitra a atteint "
                                              "410 000 véhicules par an.")]
    c = _one(_track(nlp, tmp_path, articles, "2024-01-01")[0], "production_capacity")
    assert c["status"] == "achieved"
    assert [(d["doc"], d["value"], d["year"]) for d in c["decided_by"]] == [("a1", 410000, 2022)]
    assert c["latest_actual"] == {"value": 410000, "year": 2022, "doc": "a1"} and c["progress"] == 1.025


def test_track_achieved_late(nlp, tmp_path):
    articles = [PROMISE,
                ("a1", "2023-01-20", "En 2022, la capacité de production de Stellantis à Kénitra a atteint 350 000 véhicules par an."),
                ("a2", "2024-02-02", "En 2023, la capacité de production de Stellantis à Kénitra a atteint 420 000 véhicules par an.")]
    c = _one(_track(nlp, tmp_path, articles, "2024-06-01")[0], "production_capacity")
    assert c["status"] == "achieved_late"
    assert [d["year"] for d in c["decided_by"]] == [2023]


def test_track_missed(nlp, tmp_path):
    articles = [PROMISE,
                ("a1", "2023-01-20", "En 2022, la capacité de production de Stellantis à Kénitra a atteint 350 000 véhicules par an.")]
    c = _one(_track(nlp, tmp_path, articles, "2023-06-01")[0], "production_capacity")
    assert c["status"] == "missed" and [d["value"] for d in c["decided_by"]] == [350000]
    assert c["progress"] == 0.875


def test_track_unverified_pending_and_replay(nlp, tmp_path):
    articles = [PROMISE,
                ("a1", "2023-01-20", "En 2022, la capacité de production de Stellantis à Kénitra a atteint 350 000 véhicules par an.")]
    commitments, _ = _track(nlp, tmp_path, articles, "2021-06-01")
    assert _one(commitments, "production_capacity")["status"] == "pending"
    (tmp_path / "t.db").unlink()
    commitments, _ = _track(nlp, tmp_path, [PROMISE], "2023-06-01")
    assert _one(commitments, "production_capacity")["status"] == "unverified"


def test_track_as_of_leaves_later_articles_out(nlp, tmp_path):
    articles = [PROMISE, ("a1", "2023-01-20", "En 2022, la capacité de production de Stellantis à Kénitra a atteint "
                                              "410 000 véhicules par an.")]
    commitments, _ = _track(nlp, tmp_path, articles, "2022-12-31")
    c = _one(commitments, "production_capacity")
    assert c["status"] == "pending" and c["latest_actual"] is None


def test_track_undated_promise(nlp, tmp_path):
    articles = [("u1", "2024-05-01", "Le groupe Renault prévoit la création de 2 000 emplois à Tanger.")]
    c = _one(_track(nlp, tmp_path, articles, "2025-01-01")[0], "jobs_created")
    assert c["status"] == "undated" and c["deadline"] is None


def test_track_revised_twice_is_a_chain(nlp, tmp_path):
    articles = [
        ("r1", "2018-04-02", "Le Maroc vise une capacité de production de 600 000 véhicules par an d'ici 2022."),
        ("r2", "2020-06-15", "Le Royaume ambitionne désormais une capacité de production de 700 000 véhicules par an d'ici 2025."),
        ("r3", "2023-09-10", "Le Maroc vise maintenant une capacité de production d'un million de véhicules par an d'ici 2030."),
    ]
    commitments, _ = _track(nlp, tmp_path, articles, "2024-01-01")
    chain = sorted((c for c in commitments if c["metric"] == "production_capacity"),
                   key=lambda c: c["announced"][0]["date"])
    assert [c["target"]["value"] for c in chain] == [600000, 700000, 1000000]
    assert chain[0]["supersedes"] is None and chain[0]["superseded_by"] == chain[1]["id"]
    assert chain[1]["supersedes"] == chain[0]["id"] and chain[1]["superseded_by"] == chain[2]["id"]
    assert chain[2]["supersedes"] == chain[1]["id"] and chain[2]["superseded_by"] is None


def test_track_repeated_promise_is_one_commitment_with_all_sources(nlp, tmp_path):
    articles = [("s1", "2024-01-10", "Renault vise 80 % d'intégration locale à l'horizon 2030."),
                ("s2", "2024-03-05", "Le taux d'intégration locale de Renault devrait atteindre 80 % d'ici 2030, "
                                     "selon le ministère de l'Industrie.")]
    commitments, _ = _track(nlp, tmp_path, articles, "2025-01-01")
    c = _one(commitments, "local_integration_rate")
    assert [s["doc"] for s in c["announced"]] == ["s1", "s2"]
    assert c["announced"][1]["claimed_by"] == "Ministère de l'Industrie et du Commerce"


def test_track_stable_ids_across_runs(nlp, tmp_path):
    first = [c["id"] for c in _track(nlp, tmp_path, [PROMISE], "2021-01-01")[0]]
    (tmp_path / "t.db").unlink()
    assert [c["id"] for c in _track(nlp, tmp_path, [PROMISE], "2021-01-01")[0]] == first


def test_track_conflicts_rounding_and_disagreement(nlp, tmp_path):
    articles = [("x1", "2025-02-01", "En 2024, les exportations du secteur ont atteint 142 milliards de dirhams."),
                ("x2", "2025-02-03", "Les exportations automobiles se sont élevées à 141,8 milliards de dirhams en 2024."),
                ("y1", "2025-02-01", "Renault détient 40 % de part de marché en 2024."),
                ("y2", "2025-02-05", "La part de marché de Renault est tombée à 31 % en 2024.")]
    _, conflicts = _track(nlp, tmp_path, articles, "2025-06-01")
    verdicts = {(x["metric"], x["verdict"]) for x in conflicts}
    assert verdicts == {("exports_value", "agree_within_rounding"), ("market_share", "disagree")}


@pytest.mark.parametrize("a, b, agree", [
    ((157e9, "exact"), (157.6e9, "exact"), True), ((40, "exact"), (30, "less_than"), False),
    ((40, "more_than"), (45, "exact"), True), ((2.39e9, "exact"), (2.4e9, "exact"), True),
    ((160000, "exact"), (176000, "exact"), False),
])
def test_track_consistent_figures(a, b, agree):
    fa, fb = ({"value": v, "approx": p} for v, p in (a, b))
    assert consistent(fa, fb) is agree


def test_track_status_rules_directly():
    target = {"value": 100, "unit": "job", "approx": "exact"}
    deadline = {"year": 2026, "quarter": 4, "month": None}
    assert deadline_end(deadline) == dt.date(2026, 12, 31)
    assert deadline_end({"year": 2026, "quarter": 2, "month": None}) == dt.date(2026, 6, 30)
    assert decide_status(target, deadline, [], dt.date(2026, 12, 31))[0] == "pending"
    assert decide_status(target, deadline, [], dt.date(2027, 1, 1))[0] == "unverified"
    below = {"value": 100, "unit": "job", "approx": "less_than"}
    assert decide_status(below, deadline, [{"value": 90, "year": 2026}], dt.date(2027, 1, 1))[0] == "achieved"
    assert last_digit(157e9) == 1e9 and last_digit(157.6e9) == 1e8


def test_track_milestone_achieved_by_a_later_report(nlp, tmp_path):
    articles = [("m1", "2025-03-01", "Le lancement de la nouvelle Dacia Logan est prévu pour le troisième trimestre 2026."),
                ("m2", "2026-10-02", "La nouvelle Dacia Logan a été lancée en septembre 2026 à Tanger.")]
    commitments, _ = _track(nlp, tmp_path, articles, "2026-11-24")
    [logan] = [c for c in commitments if c["metric"] is None]
    assert logan["status"] == "achieved" and [d["doc"] for d in logan["decided_by"]] == ["m2"]
    (tmp_path / "t.db").unlink()
    commitments, _ = _track(nlp, tmp_path, articles[:1], "2026-08-01")
    assert [c["status"] for c in commitments if c["metric"] is None] == ["pending"]


def test_track_milestone_unverified_after_its_deadline(nlp, tmp_path):
    articles = [("m1", "2025-03-01", "Le lancement de la nouvelle Dacia Logan est prévu pour le troisième trimestre 2026.")]
    commitments, _ = _track(nlp, tmp_path, articles, "2026-10-01")
    assert [c["status"] for c in commitments if c["metric"] is None] == ["unverified"]
