"""The tracker by series (TRACKER.md "Series and scope"), on records written for these tests: scopes, parts of a
year, bounds, replays, undated articles, forecasts, one story told twice, the agreement of progress and status.

The records are built as `filiere extract` prints them (without `scope`: the tracker reads it from the qualifier
and the sentence), so these tests need no language model.
"""
import datetime as dt
import json
from pathlib import Path

import pytest

from filiere.cli import main, read_fact_records
from filiere.track import track

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def fact(doc, kind, metric, value, unit, year, text, subject="Renault Group", approx="exact", date=None,
         qualifier=None, start=0):
    return {"type": "fact", "doc": doc, "date": date, "kind": kind, "metric": metric, "value": value, "unit": unit,
            "approx": approx, "subject": subject, "year": year, "qualifier": qualifier, "claimed_by": None,
            "evidence": {"text": text, "start": start, "end": start + 1}}


def milestone(doc, what, year, text, subject="Renault Group", date=None, done=False):
    return {"type": "milestone", "doc": doc, "date": date, "what": what, "subject": subject, "year": year,
            "quarter": None, "month": None, "claimed_by": None, "done": done, "keywords": [],
            "evidence": {"text": text, "start": 0, "end": 1}}


def _run(facts, milestones=(), as_of="2026-12-01"):
    records = track(facts, list(milestones), dt.date.fromisoformat(as_of))
    return ([r for r in records if r["type"] == "commitment"], [r for r in records if r["type"] == "conflict"],
            [r for r in records if r["type"] == "summary"])


def _one(commitments, value):
    [c] = [c for c in commitments if c["target"] and c["target"]["value"] == value]
    return c


def test_track_series_plant_target_not_decided_by_the_groups_total():
    facts = [
        fact("p", "target", "production_volume", 300000, "vehicle", 2024,
             "L'usine de Melloussa devrait produire 300 000 voitures en 2024.", date="2022-03-01"),
        fact("g", "actual", "production_volume", 420000, "vehicle", 2024,
             "Le groupe a produit 420 000 véhicules au Maroc en 2024.", date="2025-01-20"),
        fact("t", "actual", "production_volume", 280000, "vehicle", 2024,
             "À elle seule, l'usine de Tanger a produit 280 000 véhicules en 2024.", date="2025-01-21"),
    ]
    commitments, _, _ = _run(facts)
    c = _one(commitments, 300000)
    assert c["scope"] == {"site": "usine de Tanger"}
    assert c["status"] == "missed" and [d["doc"] for d in c["decided_by"]] == ["t"]
    assert c["latest_actual"] == {"value": 280000, "year": 2024, "doc": "t"} and c["progress"] == 0.933


def test_track_series_segment_forecast_not_decided_by_the_whole_market():
    facts = [
        fact("f", "target", "sales_volume", 20000, "vehicle", 2025,
             "Les ventes de voitures électriques devraient atteindre 20 000 unités en 2025.", subject="Maroc",
             date="2024-02-01"),
        fact("m", "actual", "sales_volume", 180000, "vehicle", 2025,
             "Le marché automobile a totalisé 180 000 ventes en 2025.", subject="Maroc", date="2026-01-10"),
    ]
    commitments, _, _ = _run(facts)
    c = _one(commitments, 20000)
    assert c["scope"] == {"segment": "100 % électriques"}
    assert c["status"] == "unverified" and c["latest_actual"] is None and c["progress"] is None
    facts.append(fact("e", "actual", "sales_volume", 21000, "vehicle", 2025,
                      "Les ventes de voitures électriques ont atteint 21 000 unités en 2025.", subject="Maroc",
                      date="2026-01-12"))
    c = _one(_run(facts)[0], 20000)
    assert c["status"] == "achieved" and [d["doc"] for d in c["decided_by"]] == ["e"]


def test_track_series_half_year_short_of_a_yearly_target_is_pending_then_achieved_when_it_meets():
    promise = fact("p", "target", "exports_value", 200e9, "MAD", 2026,
                   "Les exportations du secteur devraient atteindre 200 milliards de dirhams en 2026.",
                   subject="Maroc", date="2025-12-01")
    half = fact("h", "actual", "exports_value", 95e9, "MAD", 2026,
                "Au premier semestre 2026, les exportations du secteur ont atteint 95 milliards de dirhams.",
                subject="Maroc", date="2026-07-15")
    c = _one(_run([promise, half], as_of="2026-08-01")[0], 200e9)
    assert c["status"] == "pending" and c["decided_by"] == [] and c["latest_actual"] is None
    c = _one(_run([promise, half], as_of="2027-03-01")[0], 200e9)
    assert c["status"] == "unverified"  # a part of the year never shows a yearly target missed
    more = fact("n", "actual", "exports_value", 205e9, "MAD", 2026,
                "À fin novembre 2026, les exportations ont atteint 205 milliards de dirhams.", subject="Maroc",
                date="2026-12-20")
    c = _one(_run([promise, half, more], as_of="2027-03-01")[0], 200e9)
    assert c["status"] == "achieved" and [d["doc"] for d in c["decided_by"]] == ["n"] and c["progress"] == 1.025


def test_track_series_a_bound_that_holds_is_no_conflict():
    facts = [fact("a", "actual", "production_volume", 100000, "vehicle", 2024,
                  "Le site a produit plus de 100 000 véhicules en 2024.", approx="more_than", date="2025-01-05"),
             fact("b", "actual", "production_volume", 127580, "vehicle", 2024,
                  "Le site a produit 127 580 véhicules en 2024.", date="2025-01-09")]
    assert _run(facts)[1] == []
    facts.append(fact("c", "actual", "production_volume", 90000, "vehicle", 2024,
                      "Le site a produit 90 000 véhicules en 2024.", date="2025-01-10"))
    [conflict] = _run(facts)[1]
    assert conflict["verdict"] == "disagree" and {v["doc"] for v in conflict["values"]} == {"a", "b", "c"}


def test_track_series_different_periods_and_segments_are_not_compared():
    facts = [
        fact("y", "actual", "exports_value", 140e9, "MAD", 2023, "En 2023, les exportations ont atteint 140 milliards.",
             subject="Maroc", date="2024-02-01"),
        fact("m", "actual", "exports_value", 90e9, "MAD", 2023,
             "Sur les huit premiers mois de 2023, les exportations ont atteint 90 milliards.", subject="Maroc",
             date="2023-10-01"),
        fact("c", "actual", "exports_value", 40e9, "MAD", 2023,
             "Le segment du câblage a exporté pour 40 milliards en 2023.", subject="Maroc", date="2024-02-03"),
        fact("r", "actual", "exports_value", 152e9, "MAD", 2023,
             "Les exportations ont totalisé 152 milliards de dirhams en 2023.", subject="Maroc", date="2024-02-05"),
    ]
    [conflict] = _run(facts)[1]
    assert {v["doc"] for v in conflict["values"]} == {"y", "r"} and conflict["verdict"] == "disagree"


def test_track_series_replay_before_an_outcomes_year_leaves_it_out():
    facts = [fact("p", "target", "production_capacity", 500000, "vehicle/year", 2025,
                  "Le groupe portera sa capacité de production à 500 000 véhicules par an d'ici 2025."),
             fact("o", "actual", "production_capacity", 510000, "vehicle/year", 2025,
                  "À la fin de 2025, la capacité de production du groupe dépasse 510 000 véhicules par an.")]
    late = _one(_run(facts, as_of="2026-03-01")[0], 500000)
    assert late["status"] == "achieved" and late["decided_by"][0]["doc"] == "o"
    early = _one(_run(facts, as_of="2024-06-01")[0], 500000)
    assert early["status"] == "pending" and early["decided_by"] == [] and early["latest_actual"] is None


def test_track_series_an_undated_article_waits_for_its_content_in_a_replay_and_is_counted():
    facts = [fact("u", "actual", "workforce", 9000, "person", 2027, "L'usine emploie 9 000 personnes en 2027."),
             fact("d", "actual", "workforce", 8000, "person", 2024, "L'usine emploie 8 000 personnes en 2024.",
                  date="2024-05-02")]
    _, _, [summary] = _run(facts, as_of="2026-01-01")
    assert summary["documents"] == 1 and summary["undated_documents"] == 0
    _, _, [summary] = _run(facts, as_of="2028-01-01")
    assert summary["documents"] == 2 and summary["undated"] == ["u"] and summary["undated_with_content_year"] == 1


def test_track_series_outcome_published_before_the_promise_is_context():
    facts = [fact("old", "actual", "jobs_created", 2500, "job", 2019, "Le groupe a créé 2 500 emplois en 2019.",
                  date="2020-01-10"),
             fact("new", "target", "jobs_created", 2000, "job", 2022, "Le groupe créera 2 000 emplois d'ici 2022.",
                  date="2021-03-01")]
    c = _one(_run(facts)[0], 2000)
    assert c["status"] == "unverified" and c["latest_actual"] is None  # a figure already past the target is no progress


def test_track_series_restated_promise_decided_by_a_later_restating_article():
    facts = [fact("a", "target", "local_integration_rate", 60, "percent", 2023,
                  "Le taux d'intégration devrait atteindre 60 % en 2023.", date="2021-05-01"),
             # b (undated, its figures from 2022) restates the promise with a result: an outcome, not context
             fact("b", "actual", "local_integration_rate", 61, "percent", 2022,
                  "Le taux d'intégration a atteint 61 % en 2022, un an avant l'objectif.", start=5),
             fact("b", "target", "local_integration_rate", 60, "percent", 2023,
                  "Le groupe visait 60 % en 2023.", start=50),
             # c recalls it without its year: the same promise, the only dated one of its series and value
             fact("c", "target", "local_integration_rate", 60, "percent", None,
                  "Le groupe a dépassé son objectif initial de 60 %.")]
    commitments, _, _ = _run(facts)
    [c] = commitments
    assert [s["doc"] for s in c["announced"]] == ["a", "b", "c"]
    assert c["status"] == "achieved" and [d["doc"] for d in c["decided_by"]] == ["b"]
    # the same figure in the article that first states the promise is its context
    facts[0]["date"] = None
    facts[1]["doc"] = facts[2]["doc"] = "a"
    [c] = _run(facts)[0]
    assert c["status"] == "unverified" and c["latest_actual"] is None


def test_track_series_upper_bound_does_not_meet_and_is_no_progress():
    facts = [fact("p", "target", "local_integration_rate", 65, "percent", None,
                  "Le pays vise un taux d'intégration de 65 %.", subject="Maroc"),
             fact("q", "actual", "local_integration_rate", 70, "percent", 2023,
                  "Le taux d'intégration va jusqu'à 70 % selon les usines.", subject="Maroc", approx="up_to"),
             fact("r", "actual", "local_integration_rate", 55, "percent", 2022,
                  "Le taux d'intégration était de 55 % en 2022.", subject="Maroc")]
    c = _one(_run(facts)[0], 65)
    assert c["status"] == "undated" and c["latest_actual"]["doc"] == "r" and c["progress"] == 0.846


def test_track_series_a_start_date_is_shown_as_a_start():
    facts = [fact("s", "target", "jobs_created", 1200, "job", 2027,
                  "Le site emploiera 1 200 personnes supplémentaires dès 2027.", subject="Valeo")]
    [c] = _run(facts, as_of="2026-01-01")[0]
    assert c["deadline"] == {"year": 2027, "quarter": None, "month": None, "starts": True}
    assert c["what"].endswith("from 2027") and c["status"] == "pending"


def test_track_series_world_forecast_is_a_forecast():
    facts = [fact("w", "target", "ev_sales_share", 30, "percent", 2030,
                  "Les voitures électriques représenteront 30 % des ventes mondiales en 2030.", subject="monde"),
             fact("m", "target", "ev_sales_share", 10, "percent", 2030,
                  "Le Maroc vise 10 % de voitures électriques dans ses ventes en 2030.", subject="Maroc")]
    commitments, _, _ = _run(facts)
    assert {c["subject"]: c["commitment_kind"] for c in commitments} == {"monde": "forecast", "Maroc": "promise"}


def test_track_series_one_story_told_twice_is_one_commitment_with_the_detail_named():
    ms = [milestone("x", "ouverture d'un centre de formation aux métiers de l'automobile", 2027,
                    "Le groupe ouvrira un centre de formation aux métiers de l'automobile à Kénitra en 2027."),
          milestone("y", "centre de formation automobile à Meknès", 2027,
                    "Un centre de formation automobile verra le jour à Meknès en 2027.")]
    commitments, conflicts, _ = _run([], ms)
    [c] = commitments
    assert {s["doc"] for s in c["announced"]} == {"x", "y"} and c["status"] == "pending"
    [conflict] = conflicts
    assert conflict["verdict"] == "differ_in_details" and conflict["differs"] == ["sites"]
    assert {v["doc"]: v["sites"] for v in conflict["values"]} == {"x": ["usine de Kénitra"], "y": ["Meknès"]}


def test_track_series_production_start_done_by_a_later_production_figure_of_its_scope():
    ms = [milestone("m", "sortie des premiers véhicules de l'usine de Kénitra", 2019,
                    "Les premiers véhicules de l'usine de Kénitra sortiront en 2019.", subject="Stellantis",
                    date="2017-06-01")]
    other_site = fact("o", "actual", "production_volume", 50000, "vehicle", 2019,
                      "L'usine de Tanger a produit 50 000 voitures en 2019.", subject="Stellantis")
    commitments, _, _ = _run([other_site], ms)
    assert commitments[0]["status"] == "unverified"
    done = fact("d", "actual", "production_volume", 9000, "vehicle", 2019,
                "L'usine de Kénitra a produit 9 000 véhicules en 2019.", subject="Stellantis")
    commitments, _, _ = _run([other_site, done], ms)
    assert commitments[0]["status"] == "achieved" and [d["doc"] for d in commitments[0]["decided_by"]] == ["d"]


def _invariant_breaks(commitments):
    out = []
    for c in commitments:
        p, achieved = c["progress"], c["status"] in ("achieved", "achieved_late")
        if p is not None and ((p > 1 and not achieved) or (p < 1 and achieved)):
            out.append((c["what"], c["status"], p))
    return out


def test_track_series_progress_agrees_with_status_on_invented_records():
    facts = [
        fact("p", "target", "workforce", 300, "person", None, "Le hub emploiera plus de 300 personnes.",
             approx="more_than"),
        fact("p", "actual", "workforce", 18000, "person", 2024, "Le groupe emploie 18 000 personnes en 2024."),
        fact("a", "target", "revenue", 100, "EUR", 2022, "Le chiffre d'affaires atteindra 100 euros en 2022."),
        fact("b", "actual", "revenue", 120, "EUR", 2021, "Le chiffre d'affaires a atteint 120 euros en 2021."),
        fact("c", "actual", "revenue", 90, "EUR", 2024, "Le chiffre d'affaires est retombé à 90 euros en 2024."),
    ]
    commitments, _, _ = _run(facts)
    assert _invariant_breaks(commitments) == []
    revenue = _one(commitments, 100)
    assert revenue["status"] == "achieved" and revenue["latest_actual"]["doc"] == "b" and revenue["progress"] == 1.2


@pytest.mark.skipif(not (SHARED / "real" / "gold.jsonl").is_file(),
                    reason="../shared/eval/real/gold.jsonl is not beside the repository")
def test_track_series_progress_agrees_with_status_on_the_gold_records():
    facts, ms = read_fact_records([str(SHARED / "seeds.gold.jsonl"), str(SHARED / "real" / "gold.jsonl")])
    for as_of in ("2016-01-01", "2020-06-30", "2026-12-01"):
        commitments = [r for r in track(facts, ms, dt.date.fromisoformat(as_of)) if r["type"] == "commitment"]
        assert commitments and _invariant_breaks(commitments) == []


def test_track_series_cli_facts_reads_dates_from_document_lines(tmp_path, capsys):
    path = tmp_path / "records.jsonl"
    lines = [{"type": "document", "doc": "a", "date": "2025-01"},
             {"type": "document", "doc": "b", "date": "2024-13-45"},  # unreadable: counts as no date
             fact("a", "target", "investment", 50e6, "EUR", 2026, "Le groupe investira 50 millions d'euros d'ici 2026."),
             fact("b", "actual", "investment", 20e6, "EUR", 2025, "Le groupe a investi 20 millions d'euros en 2025.")]
    for line in lines[2:]:
        del line["date"]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    assert main(["track", "--facts", str(path), "--as-of", "2026-12-01", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    [c] = [r for r in records if r["type"] == "commitment"]
    assert c["announced"][0]["date"] == "2025-01" and c["status"] == "pending" and c["latest_actual"]["doc"] == "b"
    assert records[-1]["type"] == "summary" and records[-1]["undated"] == ["b"]
    assert main(["track", "--facts", str(path), "--as-of", "2026-12-01"]) == 0
    assert "1 without a publication date" in capsys.readouterr().out


def test_track_series_cli_facts_bad_line_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "document", "doc": "a", "date": null}\n{"type": "fact", "doc": "a", "kind": "target"}\n',
                    encoding="utf-8")
    assert main(["track", "--facts", str(path)]) == 2
    assert f"{path}:2: metric: missing or not a str" in capsys.readouterr().err


def _extraction(doc, date, facts):
    from filiere.records import Document, Evidence, Extraction, Fact

    text = " ".join(t for *_, t in facts)
    records, cursor = [], 0
    for kind, metric, value, unit, year, sentence in facts:
        start = text.index(sentence, cursor)
        records.append(Fact(doc, kind, metric, value, unit, "exact", "Renault Group", year, None, None,
                            Evidence(sentence, start, start + len(sentence))))
        cursor = start + len(sentence)
    document = Document(doc, text, f"{doc}.txt", None, date, "metadata" if date else None, "fr")
    return Extraction(document, tuple(records), (), ((0, len(text)),))


def test_track_series_store_with_a_month_date_and_an_unreadable_one_tracks(tmp_path, capsys):
    """Issue 12: `filiere track` stopped with a traceback on a store holding a date like 2025-01 (ingest accepts
    it); an unreadable stored date (an older store's 2024-13-45) now counts as no date."""
    from filiere.store import open_store

    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        store.add(_extraction("m", "2025-01", [("target", "jobs_created", 1000, "job", 2026,
                                                  "Le groupe créera 1 000 emplois d'ici 2026 à Tanger.")]))
        store.add(_extraction("x", "2025-06-01", [("actual", "jobs_created", 1200, "job", 2026,
                                                     "L'usine de Tanger a créé 1 200 emplois en 2026.")]))
        store.conn.execute("UPDATE documents SET date = '2024-13-45' WHERE doc = 'x'")  # as an older store may hold
    assert main(["track", "--db", db, "--as-of", "2027-01-15", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    [c] = [r for r in records if r["type"] == "commitment"]
    assert c["announced"][0]["date"] == "2025-01" and c["scope"] == {"site": "usine de Tanger"}
    assert c["status"] == "achieved" and c["decided_by"][0]["doc"] == "x"
    assert records[-1]["undated"] == ["x"]
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "out")]) == 0
    header = (tmp_path / "out" / "facts.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"scope_site", "scope_segment", "scope_period"} <= set(header)
    capsys.readouterr()
    assert main(["track", "--db", db, "--as-of", "2024-12-31", "--format", "jsonl"]) == 0  # before 2025-01
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["type"] for r in records] == ["summary"] and records[0]["documents"] == 0


def test_track_series_stored_scope_round_trips_and_is_used_as_given(tmp_path):
    from dataclasses import replace

    from filiere.store import open_store

    extraction = _extraction("v", "2026-02-01", [("actual", "sales_volume", 90000, "vehicle", 2025,
                                                   "Les ventes ont atteint 90 000 unités en 2025.")])
    scoped = replace(extraction.facts[0], scope={"segment": "VP"})
    assert scoped.to_dict()["scope"] == {"segment": "VP"}
    with open_store(str(tmp_path / "v.db")) as store:
        store.add(replace(extraction, facts=(scoped,)))
        [row] = store.facts()
        assert row["scope"] == {"segment": "VP"}
        assert store.conn.execute("SELECT scope_site, scope_segment, scope_period FROM facts").fetchone()[:] == \
            (None, "VP", None)
        target = fact("t", "target", "sales_volume", 80000, "vehicle", 2025, "Le marché vise 80 000 ventes en 2025.")
        [c] = [r for r in track([row, target], [], dt.date(2026, 6, 1)) if r["type"] == "commitment"]
    assert c["scope"] is None and c["status"] == "unverified"  # the VP figure is another series


def test_track_series_restatement_of_no_year_first_keeps_the_deadline():
    facts = [fact("early", "target", "investment", 5e8, "EUR", None, "Le groupe investira 500 millions d'euros.",
                  date="2023-01-10"),
             fact("later", "target", "investment", 5e8, "EUR", 2026,
                  "Le groupe investira 500 millions d'euros d'ici 2026.", date="2024-03-01")]
    [c] = _run(facts, as_of="2025-01-01")[0]
    assert c["deadline"]["year"] == 2026 and c["status"] == "pending"
    assert [s["doc"] for s in c["announced"]] == ["early", "later"]
