"""Sentence tables through the whole pipeline: metric, value, unit, kind, year, approx, subject, source.

Every sentence is invented for these tests, in the phrasing of French business news.
The document date is 2025-06-01, given as an argument.
"""
import pytest

from filiere.nlp import extract_documents
from filiere.records import Document


def extract(nlp, text, date="2025-06-01"):
    doc = Document(doc="t", text=text, source="test", title=None, date=date, date_source="argument", language="fr")
    return list(extract_documents([doc], nlp))[0]


def only_fact(nlp, text):
    facts = extract(nlp, text).facts
    assert len(facts) == 1, [(f.metric, f.value, f.unit) for f in facts]
    return facts[0]


# sentence, metric, value, unit, kind, year
METRICS = [
    ("La capacité de production annuelle du site atteint désormais 340 000 véhicules.",
     "production_capacity", 340000, "vehicle/year", "actual", 2025),
    ("L'usine a produit 412 000 véhicules en 2023, un record pour le site.", "production_volume", 412000, "vehicle", "actual", 2023),
    ("Le millionième véhicule est sorti des chaînes de Tanger en 2022.", "production_volume", 1e6, "vehicle", "actual", 2022),
    ("Les ventes ont atteint 162 000 voitures neuves en 2024.", "sales_volume", 162000, "vehicle", "actual", 2024),
    ("Les exportations du secteur se sont élevées à 141,8 milliards de dirhams en 2023.",
     "exports_value", 141.8e9, "MAD", "actual", 2023),
    ("Le constructeur a exporté près de 290 000 unités l'an dernier.", "exports_volume", 290000, "vehicle", "actual", 2024),
    ("Les exportations automobiles ont enregistré une hausse de 11,4 % en 2024.", "exports_growth", 11.4, "percent", "actual", 2024),
    ("Les exportations ont reculé de 3,1 % au premier semestre 2024.", "exports_growth", -3.1, "percent", "actual", 2024),
    ("Le taux d'intégration locale de l'usine s'établit à 68 % en 2024.", "local_integration_rate", 68, "percent", "actual", 2024),
    ("Les achats locaux du groupe ont atteint 1,8 milliard d'euros en 2023.", "local_sourcing_value", 1.8e9, "EUR", "actual", 2023),
    ("Le groupe a investi 900 millions d'euros dans son usine de Tanger en 2022.", "investment", 900e6, "EUR", "actual", 2022),
    ("Le projet permettra la création de 4 000 emplois directs d'ici 2027.", "jobs_created", 4000, "job", "target", 2027),
    ("Le site emploie 9 500 salariés en 2024.", "workforce", 9500, "person", "actual", 2024),
    ("La marque détient 38 % de part de marché en 2024.", "market_share", 38, "percent", "actual", 2024),
    ("Le chiffre d'affaires de la filiale a atteint 4,2 milliards de dirhams en 2024.", "revenue", 4.2e9, "MAD", "actual", 2024),
    ("Les véhicules électriques ont représenté 6 % des ventes au Maroc en 2024.", "ev_sales_share", 6, "percent", "actual", 2024),
    ("Le pays compte 1 200 bornes de recharge en 2024.", "charging_points", 1200, "unit", "actual", 2024),
    ("L'usine de Kénitra produit quatre modèles pour le marché européen.", "models_produced", 4, "model", "actual", None),
    ("L'écosystème réunit plus de 260 fournisseurs en 2024.", "suppliers_count", 260, "company", "actual", 2024),
    ("Les voitures assemblées à Tanger sont exportées vers 74 pays.", "export_destinations", 74, "country", "actual", None),
    ("La gigafactory aura une capacité de 20 GWh à l'horizon 2028.", "battery_capacity", 20, "GWh", "target", 2028),
    ("Près de 90 % de la production de l'usine est exportée vers l'Europe.", "export_share", 90, "percent", "actual", None),
]


@pytest.mark.parametrize("text, metric, value, unit, kind, year", METRICS)
def test_facts_each_metric_of_the_vocabulary(nlp, text, metric, value, unit, kind, year):
    fact = only_fact(nlp, text)
    got = (fact.metric, fact.value, fact.unit, fact.kind)
    assert got == (metric, pytest.approx(value), unit, kind)
    if year is not None:
        assert fact.year == year


def test_facts_the_table_covers_every_metric(pack):
    assert {row[1] for row in METRICS} == {m.name for m in pack.metrics}


# sentence, expected kind
KINDS = [
    ("Le groupe vise une capacité de 600 000 véhicules par an.", "target"),
    ("Le constructeur ambitionne d'atteindre 75 % d'intégration locale.", "target"),
    ("L'objectif est de porter les exportations à 200 milliards de dirhams.", "target"),
    ("Le plan prévoit la création de 12 000 emplois.", "target"),
    ("Les ventes devraient dépasser 180 000 voitures cette année.", "target"),
    ("Cette extension permettra de créer 3 000 emplois.", "target"),
    ("L'usine emploiera 1 500 personnes.", "target"),
    ("La production atteindra 700 000 véhicules en 2027.", "target"),
    ("Le Maroc pourrait produire un million de véhicules en 2030.", "target"),
    ("Le taux d'intégration devra atteindre 80 % à l'horizon 2030.", "target"),
    ("Le groupe table sur 15 000 emplois d'ici à 2030.", "target"),
    ("Stellantis s'engage à investir 300 millions d'euros.", "target"),
    ("Le groupe a investi 300 millions d'euros dans le site.", "actual"),
    ("Les exportations ont atteint 150 milliards de dirhams en 2024.", "actual"),
    ("L'usine emploie actuellement 7 000 personnes.", "actual"),
    ("Le site a produit 250 000 véhicules l'an dernier.", "actual"),
    ("En 2023, le secteur a créé 16 000 emplois.", "actual"),
    ("L'objectif de 400 000 véhicules produits a été atteint en 2024.", "actual"),
    ("La part de marché de la marque s'élève à 41 %.", "actual"),
]


@pytest.mark.parametrize("text, kind", KINDS)
def test_facts_target_or_actual(nlp, text, kind):
    assert only_fact(nlp, text).kind == kind


# text, expected subjects of the facts in order
SUBJECTS = [
    ("Renault a vendu 48 000 voitures au Maroc en 2024.", ["Renault"]),  # a brand's sales are its own
    ("Dacia a produit 120 000 Sandero en 2024.", ["Renault Group"]),  # a brand's production is its group's
    ("Le groupe Renault emploie 11 000 personnes dans le Royaume.", ["Renault Group"]),
    ("Renault Group Maroc a exporté 320 000 véhicules en 2023.", ["Renault Group"]),
    ("Stellantis a investi 500 millions d'euros. Le groupe emploie 3 000 personnes à Kénitra.",
     ["Stellantis", "Stellantis"]),
    ("PSA a produit 100 000 véhicules à Kénitra en 2020.", ["Stellantis"]),
    ("La Somaca a assemblé 80 000 véhicules en 2023.", ["Renault Group"]),
    ("Le Maroc a exporté pour 140 milliards de dirhams de véhicules en 2023.", ["Maroc"]),
    ("Le secteur automobile emploie plus de 220 000 personnes.", ["Maroc"]),
    ("Le Royaume vise un million de véhicules produits par an d'ici 2030.", ["Maroc"]),
    ("Renault est présent depuis 1928 et il emploie 10 000 personnes.", ["Renault Group"]),
    ("BYD et Stellantis investiront chacun 1 milliard de dollars.", ["BYD", "Stellantis"]),
    ("Les écosystèmes Batterie et Intérieur ont progressé de 2 MMDH chacun à l'export.",
     ["écosystème Batterie", "écosystème Intérieur"]),
    ("Toyota a vendu 12 000 véhicules, tandis que Hyundai en a écoulé 9 000 unités.", ["Toyota", "Hyundai"]),
]


@pytest.mark.parametrize("text, subjects", SUBJECTS)
def test_facts_subject_resolved_to_canonical_actor(nlp, text, subjects):
    assert [f.subject for f in extract(nlp, text).facts] == subjects


# text, expected claimed_by
CLAIMS = [
    ("Selon l'Office des changes, les exportations ont atteint 150 milliards de dirhams en 2024.", "Office des changes"),
    ("Les exportations ont atteint 150 milliards de dirhams en 2024, selon l'AMICA.", "AMICA"),
    ("D'après le ministère de l'Industrie, le secteur emploie 230 000 personnes.",
     "Ministère de l'Industrie et du Commerce"),
    ("Selon les chiffres de l'Association des importateurs de véhicules automobiles montés (AIVAM), les ventes "
     "ont atteint 170 000 unités.", "AIVAM"),
    ("Ryad Mezzour a affirmé que les exportations dépasseront 200 milliards de dirhams en 2026.", "Ryad Mezzour"),
    ("Le taux d'intégration atteindra 80 % en 2030, a déclaré Ryad Mezzour.", "Ryad Mezzour"),
    ("Karim Zidane a annoncé un investissement de 2 milliards de dirhams.", "Karim Zidane"),
    ("Le directeur de l'usine, Marc Dupont, a souligné que le site emploie 5 000 personnes.", "Marc Dupont"),
    ("Le site produira 200 000 véhicules en 2026, a indiqué le ministre.", "le ministre"),
    ("Il convient de rappeler que le site emploie 5 000 personnes.", None),
    ("Le groupe emploie 5 000 personnes dans le Royaume.", None),
]


@pytest.mark.parametrize("text, claimed_by", CLAIMS)
def test_facts_claimed_by(nlp, text, claimed_by):
    assert only_fact(nlp, text).claimed_by == claimed_by


@pytest.mark.parametrize("text, approx, qualifier", [
    ("Le groupe emploie plus de 11 000 personnes au Maroc.", "more_than", None),
    ("Le taux d'intégration atteint près de 70 % (hors mécanique).", "about", "hors mécanique"),
    ("Le projet créera 6 000 emplois directs et indirects.", "exact", "directs et indirects"),
    ("La capacité pourra aller jusqu'à 480 000 véhicules par an.", "up_to", None),
])
def test_facts_approx_and_qualifier(nlp, text, approx, qualifier):
    fact = only_fact(nlp, text)
    assert (fact.approx, fact.qualifier) == (approx, qualifier)


def test_facts_several_figures_attach_to_their_own_nouns(nlp):
    text = ("Le groupe a porté ses achats locaux à 1,9 milliard d'euros en 2024, avec un taux d'intégration "
            "de 62 % et une part de marché de 35 %.")
    got = [(f.metric, f.value) for f in extract(nlp, text).facts]
    assert got == [("local_sourcing_value", 1.9e9), ("local_integration_rate", 62), ("market_share", 35)]


def test_facts_a_later_sentence_continues_the_metric(nlp):
    text = "Les exportations ont atteint 141 milliards de dirhams en 2023. Elles devraient dépasser 160 milliards de dirhams en 2025."
    got = [(f.metric, f.value, f.kind, f.year) for f in extract(nlp, text).facts]
    assert got == [("exports_value", 141e9, "actual", 2023), ("exports_value", 160e9, "target", 2025)]


def test_facts_compared_figure_keeps_the_metric_and_its_year(nlp):
    text = "La production du site a atteint 380 000 véhicules en 2024, contre 345 000 en 2023."
    got = [(f.metric, f.value, f.year) for f in extract(nlp, text).facts]
    assert got == [("production_volume", 380000, 2024), ("production_volume", 345000, 2023)]


@pytest.mark.parametrize("text", [
    "Le salon s'étend sur trois jours et accueille 200 exposants.",
    "Deux conventions de partenariat ont été signées à Tanger.",
    "Renault est présent au Maroc depuis 1928.",
    "Pour tout renseignement : +212 522 00 00 00.",
    "Le groupe a dégagé un bénéfice de 600 millions de dirhams.",
    "La nouvelle usine s'étend sur 30 hectares.",
    "Le PIB a progressé de 3,2 % en 2024.",
    "La rencontre du 13 octobre 2025 a réuni 40 participants.",
])
def test_facts_figures_of_no_metric_are_not_printed(nlp, text):
    assert extract(nlp, text).facts == ()


def test_facts_evidence_offsets_cover_the_figure(nlp):
    text = "Titre court\nLe site emploie 9 500 salariés en 2024."
    [fact] = extract(nlp, text).facts
    assert text[fact.evidence.start:fact.evidence.end] == "9 500 salariés"
    assert fact.evidence.text == "Le site emploie 9 500 salariés en 2024."


def test_facts_english_text_does_not_break(nlp):
    text = "Renault will invest 1 billion euros in Morocco by 2030, the company said on Tuesday."
    facts = extract(nlp, text).facts
    assert [(f.metric, f.value, f.unit, f.kind, f.year) for f in facts] == [("investment", 1e9, "EUR", "target", 2030)]


# text, what contains, year, quarter
MILESTONES = [
    ("Le lancement de la nouvelle Dacia Logan est prévu pour le premier trimestre 2027.", "lancement de la nouvelle Dacia Logan", 2027, 1),
    ("L'ouverture d'un centre de formation à Kénitra interviendra d'ici fin 2026.", "ouverture d'un centre de formation à Kénitra", 2026, None),
    ("Le groupe prévoit l'inauguration de sa deuxième usine en 2027.", "inauguration de sa deuxième usine", 2027, None),
    ("Un centre d'essais verra le jour à Tanger avant fin 2026.", "centre d'essais", 2026, None),
    ("BYD construira une usine près de Tanger, qui devrait entrer en production en 2026.", "usine près de Tanger", 2026, None),
    ("Le démarrage de la production en série est attendu au troisième trimestre 2026.", "démarrage de la production en série", 2026, 3),
    ("Le groupe lancera en 2028 un nouveau pick-up assemblé à Casablanca.", "nouveau pick-up assemblé à Casablanca", 2028, None),
    ("La production du nouveau modèle hybride démarrera à Tanger en 2027.", "production du nouveau modèle hybride", 2027, None),
    ("Une école des métiers de l'automobile ouvrira ses portes en octobre 2026 à Kénitra.", "école des métiers", 2026, 4),
]


@pytest.mark.parametrize("text, what, year, quarter", MILESTONES)
def test_facts_milestones_dated_promises(nlp, text, what, year, quarter):
    [milestone] = extract(nlp, text).milestones
    assert what in milestone.what
    assert (milestone.year, milestone.quarter) == (year, quarter)


@pytest.mark.parametrize("text", [
    "Depuis la création de son usine en 2012, le groupe a multiplié les investissements.",
    "L'usine a été inaugurée en 2019 par le roi.",
    "Le lancement de la nouvelle gamme a été un succès.",
    "Le lancement de la Logan a eu lieu en 2020.",
])
def test_facts_no_milestone_for_past_or_undated_events(nlp, text):
    assert [m for m in extract(nlp, text).milestones if not m.done] == []


def test_facts_each_figure_decided_by_its_own_verb(nlp):
    text = "Le taux d'intégration locale a atteint 71 % en 2023 et devrait atteindre 82 % en 2029."
    got = [(f.value, f.kind, f.year) for f in extract(nlp, text).facts]
    assert got == [(71, "actual", 2023), (82, "target", 2029)]


def test_facts_year_before_is_counted_from_the_previous_date(nlp):
    text = ("Les exportations du secteur ont atteint 91,2 milliards de dirhams à fin juin 2025, contre 88,1 milliards "
            "de dirhams un an auparavant, soit une hausse de 3,5 %.")
    got = [(f.metric, f.value, f.year) for f in extract(nlp, text).facts]
    assert got == [("exports_value", 91.2e9, 2025), ("exports_value", 88.1e9, 2024), ("exports_growth", 3.5, 2025)]


def test_facts_subject_of_a_verbless_opening_is_the_main_clause_actor(nlp):
    text = "Avec un investissement de 420 millions de dollars, la future usine de Lear emploiera 2 600 personnes."
    got = [(f.metric, f.subject, f.kind) for f in extract(nlp, text).facts]
    assert got == [("investment", "Lear", "actual"), ("workforce", "Lear", "target")]


def test_facts_growth_base_year_is_not_the_figure_year(nlp):
    text = "En 2024, les ventes ont atteint 176 000 voitures, en hausse de 8 % par rapport à 2023."
    [fact] = extract(nlp, text).facts
    assert (fact.metric, fact.year) == ("sales_volume", 2024)


@pytest.mark.parametrize("text, expected", [
    ("Le groupe a produit 455 000 véhicules en 2024, dont 320 000 à Tanger.",
     [("production_volume", 455000, 2024), ("production_volume", 320000, 2024)]),
    ("Les investissements du secteur ont totalisé 14 milliards de dirhams entre 2019 et 2023.",
     [("investment", 14e9, 2023)]),
    ("L'usine, qui emploie 6 200 personnes, a exporté 88 % de sa production en 2024.",
     [("workforce", 6200, 2024), ("export_share", 88, 2024)]),
])
def test_facts_parts_periods_and_shares(nlp, text, expected):
    assert [(f.metric, f.value, f.year) for f in extract(nlp, text).facts] == expected


@pytest.mark.parametrize("text", [
    "La cérémonie a réuni plus de 500 personnes à Casablanca.",
    "Plus de 200 entreprises ont participé au salon de Tanger.",
    "Le forum a attiré 15 000 visiteurs venus de 20 pays.",
])
def test_facts_counts_of_people_or_firms_are_not_metrics_by_themselves(nlp, text):
    assert extract(nlp, text).facts == ()


def test_facts_metric_noun_as_the_subject_of_a_distant_verb(nlp):
    text = "Le taux d'intégration de l'usine, qui était de 58 % en 2021, atteint désormais 66 % en 2024."
    got = [(f.metric, f.value, f.year) for f in extract(nlp, text).facts]
    assert got == [("local_integration_rate", 58, 2021), ("local_integration_rate", 66, 2024)]


def test_facts_a_sentence_without_metric_word_continues_the_previous_one(nlp):
    text = "Le taux d'intégration locale atteint 66 % en 2024. Le constructeur vise 78 % d'ici 2029."
    got = [(f.metric, f.value, f.kind, f.year) for f in extract(nlp, text).facts]
    assert got == [("local_integration_rate", 66, "actual", 2024), ("local_integration_rate", 78, "target", 2029)]


def test_facts_inverted_source_named_by_an_actor_word(nlp):
    text = "Stellantis investira 800 millions d'euros à Kénitra. L'usine aura une capacité de 300 000 véhicules par an, a précisé le groupe."
    facts = extract(nlp, text).facts
    assert [(f.metric, f.claimed_by) for f in facts] == [("investment", None), ("production_capacity", "Stellantis")]


def test_facts_milestone_subject_before_an_apposition(nlp):
    text = "Le premier utilitaire électrique du site, une version du Peugeot Partner, sortira des chaînes en 2027."
    [m] = extract(nlp, text).milestones
    assert "premier utilitaire électrique du site" in m.what and m.year == 2027


@pytest.mark.parametrize("text, what, year", [
    ("La nouvelle Dacia Logan a été lancée en septembre 2024 à Tanger.", "nouvelle Dacia Logan", 2024),
    ("Stellantis a inauguré sa deuxième ligne d'assemblage en 2023.", "deuxième ligne d'assemblage", 2023),
    ("L'usine de câblage de Meknès est entrée en production en 2022.", "usine de câblage de Meknès", 2022),
])
def test_facts_reports_of_things_done_are_events_not_milestones(nlp, text, what, year):
    [event] = extract(nlp, text).milestones
    assert event.done and event.to_dict()["type"] == "event"
    assert what in event.what and event.year == year


@pytest.mark.parametrize("text, metric, value, kind, subject", [
    ("Le fabricant Hyundai va investir 900 millions de dollars dans une usine à Tanger.",
     "investment", 900e6, "target", "Hyundai"),
    ("Le groupe Xinwei construira une usine de cellules, pour un investissement de 500 millions de dollars.",
     "investment", 500e6, "target", "Xinwei"),
    ("La deuxième tranche, d'un coût de 400 millions d'euros, sera achevée en 2027.",
     "investment", 400e6, "target", "Maroc"),
])
def test_facts_near_future_costs_and_named_newcomers(nlp, text, metric, value, kind, subject):
    fact = only_fact(nlp, text)
    assert (fact.metric, fact.value, fact.kind, fact.subject) == (metric, value, kind, subject)


def test_facts_market_figures_without_an_actor_belong_to_the_country(nlp):
    text = ("Renault détient 30 % de part de marché en 2024. Les ventes ont atteint 160 000 voitures en 2024. "
            "Le marché devrait dépasser 175 000 voitures cette année.")
    got = [(f.metric, f.value, f.subject) for f in extract(nlp, text).facts]
    assert got == [("market_share", 30, "Renault"), ("sales_volume", 160000, "Maroc"),
                   ("sales_volume", 175000, "Maroc")]
