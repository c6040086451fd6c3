"""Phrase tables for the error classes real news showed (issue 11), in sentences written for this project.

Each row is a short invented article (one or a few sentences) with its publication date, and the facts a careful
reader records for it by shared/spec/FACTS.md's conventions: (metric, value, unit, year) and, where the row says
so, kind, subject, claimed_by. Rows check whole records, so a rule that fixes one field and breaks another fails.
"""
import pytest

from filiere.nlp import extract_documents
from filiere.records import Document


def extract(nlp, text, date=None):
    document = Document(doc="t", text=text, source="test", title=None, date=date,
                        date_source="metadata" if date else None, language="fr")
    return list(extract_documents([document], nlp))[0]


def figures(extraction, *fields):
    return sorted(tuple(getattr(f, name) for name in ("metric", "value", "unit", "year", *fields))
                  for f in extraction.facts)


def case(text, date, expected, *fields):
    return pytest.param(text, date, expected, fields, id=text[:60])


def check(nlp, text, date, expected, fields):
    got = figures(extract(nlp, text, date), *fields)
    assert got == sorted(expected), f"{text!r}: got {got}"


# 4. Years: the period a sentence sets, the publication date, relative dates ----------------------------------

YEARS = [
    case("Sur les neuf premiers mois de 2021, le site a assemblé 98 000 voitures.\n\n"
         "Ses exportations ont progressé de 12 %.", None,
         [("production_volume", 98000, "vehicle", 2021), ("exports_growth", 12, "percent", 2021)]),
    case("L'année 2019 a été marquée par le démarrage de l'usine.\nLe site a produit 8 400 véhicules.", None,
         [("production_volume", 8400, "vehicle", 2019)]),
    case("L'usine, inaugurée en février 2012, est la plus grande du pays. En 2014, elle a produit "
         "227 000 véhicules.\nLe modèle le plus fabriqué totalise 54 700 unités produites.", "2015-01-20",
         [("production_volume", 227000, "vehicle", 2014), ("production_volume", 54700, "vehicle", 2014)]),
    case("L'équipementier emploie 2 300 personnes à Kénitra.", "2025-06-01",
         [("workforce", 2300, "person", 2025)]),
    case("Le groupe, qui a réalisé un chiffre d'affaires de 19 milliards d'euros en 2018, emploie 110 000 "
         "personnes.", "2019-05-10",
         [("revenue", 19e9, "EUR", 2018), ("workforce", 110000, "person", 2019)]),
    case("L'usine, qui emploie 6 200 personnes, a exporté 88 % de sa production en 2024.", "2025-03-01",
         [("workforce", 6200, "person", 2024), ("export_share", 88, "percent", 2024)]),
    case("Les ventes ont atteint 150 000 unités à fin novembre.", "2018-12-10",
         [("sales_volume", 150000, "vehicle", 2018)]),
    case("Les immatriculations ont totalisé 12 400 unités en mars dernier.", "2019-01-15",
         [("sales_volume", 12400, "vehicle", 2018)]),
    case("La marque a écoulé 9 700 véhicules, en hausse de 5 % par rapport à la même période en 2017.", "2018-12-05",
         [("sales_volume", 9700, "vehicle", 2018)]),
    case("Les ventes se sont élevées à 160 000 unités en 2016, contre 132 000 unités un an auparavant. Les "
         "utilitaires ont totalisé 10 800 ventes en 2016, contre 11 000 ventes un an auparavant.", None,
         [("sales_volume", 160000, "vehicle", 2016), ("sales_volume", 132000, "vehicle", 2015),
          ("sales_volume", 10800, "vehicle", 2016), ("sales_volume", 11000, "vehicle", 2015)]),
    case("Les exportations ont atteint 358 800 véhicules en 2018, contre 331 200.", None,
         [("exports_volume", 358800, "vehicle", 2018), ("exports_volume", 331200, "vehicle", 2017)]),
    case("Dacia détient 28 % du marché en 2018, contre 14 % pour Renault.", None,
         [("market_share", 28, "percent", 2018, "Dacia"), ("market_share", 14, "percent", 2018, "Renault")],
         "subject"),
    case("Selon le quotidien économique du 12 février 2020, l'usine a produit 300 000 véhicules.\n"
         "En 2019, ses exportations ont atteint 280 000 véhicules.", "2020-02-12",
         [("production_volume", 300000, "vehicle", 2019), ("exports_volume", 280000, "vehicle", 2019)]),
]


@pytest.mark.parametrize("text, date, expected, fields", YEARS)
def test_years(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


# 8. Subjects: brands keep their name in sales and shares; a company's figure without an actor near it -------

SUBJECTS = [
    case("Dacia a écoulé 44 000 voitures en 2024, soit 28 % du marché.", None,
         [("sales_volume", 44000, "vehicle", 2024, "Dacia"), ("market_share", 28, "percent", 2024, "Dacia")],
         "subject"),
    case("Les ventes de la Sandero ont atteint 18 000 unités en 2024.", None,
         [("sales_volume", 18000, "vehicle", 2024, "Dacia")], "subject"),
    case("Dacia a assemblé 120 000 Sandero à Tanger en 2024.", None,
         [("production_volume", 120000, "vehicle", 2024, "Renault Group")], "subject"),
    case("Le groupe Renault totalise 42 % de parts de marché, grâce à la Dacia qui détient à elle seule 28 % "
         "de part de marché.", "2018-12-05",
         [("market_share", 42, "percent", 2018, "Renault Group"), ("market_share", 28, "percent", 2018, "Dacia")],
         "subject"),
    case("Valeo Maroc emploie 3 000 personnes à Tanger.", "2024-05-02",
         [("workforce", 3000, "person", 2024, "Valeo")], "subject"),
    case("L'usine de Gotion, deux fois plus grande que celle de Renault, aura une capacité de 20 GWh d'ici 2026.",
         None, [("battery_capacity", 20, "GWh", 2026, "Gotion High-Tech")], "subject"),
    case("Ce partenariat permettra au Royaume d'atteindre un taux d'intégration de 65 % d'ici 2025.", None,
         [("local_integration_rate", 65, "percent", 2025, "Maroc")], "subject"),
    case("Renault a présenté ses résultats annuels. Le groupe a consolidé sa position. Le Maroc reste un marché "
         "clé pour le constructeur.\nMalgré la crise, 300 000 véhicules ont été produits en 2021.", None,
         [("production_volume", 300000, "vehicle", 2021, "Renault Group")], "subject"),
    case("Le secteur automobile marocain poursuit sa croissance. Le Royaume attire les constructeurs, dont "
         "Renault.\nLes exportations ont atteint 140 milliards de dirhams en 2023.", None,
         [("exports_value", 140e9, "MAD", 2023, "Maroc")], "subject"),
    case("Aptiv, leader mondial du câblage, emploie plus de 200 000 collaborateurs dans le monde.", "2025-01-10",
         [("workforce", 200000, "person", 2025, "Aptiv")], "subject"),
    case("Les véhicules électriques ne pèsent encore que 3 % des ventes, mais l'association estime qu'ils "
         "pourraient atteindre 15 % des ventes d'ici 2028.", "2025-03-15",
         [("ev_sales_share", 3, "percent", 2025, "Maroc"), ("ev_sales_share", 15, "percent", 2028, "Maroc")],
         "subject"),
]


@pytest.mark.parametrize("text, date, expected, fields", SUBJECTS)
def test_subjects(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


# 5, 6, 9. Numbers that count something else, rates, other industries, one record per fact ---------------------

NOT_FACTS = [
    case("La production a dépassé la barre des 400 000 véhicules, sortis de ses deux usines marocaines.", None,
         [("production_volume", 400000, "vehicle", None)]),
    case("Le groupe emploie plus de 113 000 collaborateurs dans 186 sites de production.", "2019-05-03",
         [("workforce", 113000, "person", 2019)]),
    case("Les chaînes de Kénitra produisent des Peugeot 208 depuis 2019.", None, []),
    case("Avec une cadence de 1 700 véhicules produits par jour, l'usine tourne à plein régime.", None, []),
    case("Les exportations du secteur aéronautique ont diminué de 3,7 % à 13,6 milliards de dirhams.", None, []),
    case("Celles du secteur textile se sont améliorées de 1,1 %, grâce aux ventes de chaussures (+9,2 %).", None, []),
    case("En 2013, la marque a produit plus de 100 000 véhicules. Les 100 940 voitures produites ont été "
         "exportées vers la France.", None,
         [("production_volume", 100940, "vehicle", 2013)]),
    case("Les ventes ont atteint 163 110 unités en 2016. A 163 110 véhicules vendus en 2016, le marché a battu son "
         "record.", None,
         [("sales_volume", 163110, "vehicle", 2016)]),
    case("Le taux d'intégration a atteint 65,5 % en 2024, contre un objectif initial de 65 %.", None,
         [("local_integration_rate", 65.5, "percent", 2024, "actual"),
          ("local_integration_rate", 65, "percent", None, "target")], "kind"),
]


@pytest.mark.parametrize("text, date, expected, fields", NOT_FACTS)
def test_figures_that_are_no_facts_or_repeat_one(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


def test_other_industry_words_found_by_hash_as_by_token(nlp):
    """facts._any_word (the hashes of the tokens' lower-case forms) says what the loop over the tokens says."""
    from filiere.nlp.facts import _any_word
    from filiere.nlp.pipeline import sentences

    words = nlp.get_pipe("filiere_metrics").pack.other_industries
    texts = [p.values[0] for p in NOT_FACTS] + ["Le TEXTILE recule, l'Aéronautique progresse.", "Rien de tel ici."]
    answers = []
    for text in texts:
        doc = nlp(text)
        for sent in sentences(doc):
            answers.append(_any_word(sent, words))
            assert answers[-1] == any(t.lower_ in set(words) for t in sent), sent.text
    assert True in answers and False in answers


# 3, 6. Metric choice: shares of production exported, restated volumes, segments' shares --------------------------

METRICS = [
    case("En 2024, l'usine de Kénitra a exporté 88 % de sa production, soit 176 000 véhicules.", None,
         [("export_share", 88, "percent", 2024), ("exports_volume", 176000, "vehicle", 2024)]),
    case("À l'export, 230 000 véhicules ont été expédiés en 2023, ce qui représente 85 % de la production totale.",
         None, [("exports_volume", 230000, "vehicle", 2023), ("export_share", 85, "percent", 2023)]),
    case("L'export reste le moteur du site : 92 % de la production de Tanger a été exportée (250 100 véhicules) "
         "en 2022.", None,
         [("export_share", 92, "percent", 2022), ("exports_volume", 250100, "vehicle", 2022)]),
    case("Les véhicules électrifiés représentent désormais 14 % du marché, contre 9 % un an plus tôt.", "2025-02-01",
         [("ev_sales_share", 14, "percent", 2025), ("ev_sales_share", 9, "percent", 2024)]),
    case("Le taux d'intégration devrait passer de 45 % en 2018 à 70 % en 2026.", None,
         [("local_integration_rate", 45, "percent", 2018, "actual"),
          ("local_integration_rate", 70, "percent", 2026, "target")], "kind"),
    case("La capacité de l'usine est passée de 340 000 à 500 000 véhicules par an.", None,
         [("production_capacity", 340000, "vehicle/year", None, "actual"),
          ("production_capacity", 500000, "vehicle/year", None, "actual")], "kind"),
    case("Le sourcing devrait atteindre 1,5 milliard d'euros en 2023, 2,5 milliards d'euros en 2025 et "
         "3 milliards en 2030.", None,
         [("local_sourcing_value", 1.5e9, "EUR", 2023), ("local_sourcing_value", 2.5e9, "EUR", 2025),
          ("local_sourcing_value", 3e9, "EUR", 2030)]),
    case("En 2021, 303 600 véhicules ont été produits (230 000 à Tanger et 73 600 à Casablanca).", None,
         [("production_volume", 303600, "vehicle", 2021), ("production_volume", 230000, "vehicle", 2021),
          ("production_volume", 73600, "vehicle", 2021)]),
    case("Les SUV représentent 40 % du marché en 2024.", None, []),
    case("La marque détient 38 % de part de marché en 2024.", None, [("market_share", 38, "percent", 2024)]),
    case("Les modèles 100 % électriques restent rares sur le marché.", None, []),
]


@pytest.mark.parametrize("text, date, expected, fields", METRICS)
def test_metric_choice(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


# 8. Sources: the person behind a title, a surname or a pronoun; an association before the country -------------

SOURCES = [
    case("Le ministre du Commerce, Karim Benjelloun, a inauguré le site mardi. « Le projet créera 2 000 emplois », "
         "a précisé le ministre.", "2024-04-10",
         [("jobs_created", 2000, "job", None, "Karim Benjelloun")], "claimed_by"),
    case("Samira Alaoui, présidente de l'association des équipementiers, a présenté le bilan. Les exportations du "
         "secteur atteindront 30 milliards de dirhams en 2026, selon Mme Alaoui.", "2024-04-10",
         [("exports_value", 30e9, "MAD", 2026, "Samira Alaoui")], "claimed_by"),
    case("Karim Benjelloun a présidé la cérémonie. Les usines du groupe emploient 4 500 personnes, a-t-il ajouté.",
         "2024-04-10", [("workforce", 4500, "person", 2024, "Karim Benjelloun")], "claimed_by"),
    case("Selon les chiffres de l'Association des importateurs de véhicules au Maroc (AIVAM), les ventes ont "
         "atteint 160 000 unités en 2023.", None,
         [("sales_volume", 160000, "vehicle", 2023, "AIVAM")], "claimed_by"),
    case("Le quotidien économique fait remarquer que les exportations ont atteint 203 000 véhicules en 2014.", None,
         [("exports_volume", 203000, "vehicle", 2014, "quotidien économique")], "claimed_by"),
    case("Le management du groupe envisage de porter la production annuelle à 400 000 véhicules.", None,
         [("production_volume", 400000, "vehicle", None, "management du groupe")], "claimed_by"),
]


@pytest.mark.parametrize("text, date, expected, fields", SOURCES)
def test_sources(nlp, text, date, expected, fields):
    extraction = extract(nlp, text, date)
    got = sorted((f.metric, f.value, f.unit, f.year, f.claimed_by) for f in extraction.facts)
    wanted = sorted(expected)
    assert len(got) == len(wanted), f"{text!r}: got {got}"
    for g, w in zip(got, wanted):
        assert g[:4] == w[:4] and w[4].lower() in (g[4] or "").lower(), f"{text!r}: got {got}"


# 7. Milestones as real announcements are written -------------------------------------------------------------

def milestones(extraction):
    return sorted((m.what, m.year, m.done) for m in extraction.milestones)


MILESTONES = [
    case("Il s'agit de la nouvelle Citroën C3. Elle sera commercialisée au deuxième trimestre 2027 en Afrique.",
         None, [("commercialisation de nouvelle Citroën C3", 2027, False)]),
    case("Le SUV, dont la sortie est prévue en 2028, sera assemblé à Kénitra.", None,
         [("sortie SUV", 2028, False)]),
    case("L'usine de batteries devrait être opérationnelle d'ici mars 2027.", None,
         [("usine de batteries opérationnelle", 2027, False)]),
    case("Le protocole a été annoncé hier. Celui-ci sera signé en février 2026 à Rabat.", "2026-01-10",
         [("signature de protocole", 2026, False)]),
    case("Les premiers véhicules de la nouvelle usine sortiront dès 2027.", None,
         [("sortie de premiers véhicules de la nouvelle usine", 2027, False)]),
    case("Les travaux d'agrandissement ont été lancés lundi, et devront s'achever avant fin 2026.", "2025-05-05",
         [("achèvement de travaux d'agrandissement", 2026, False)]),
    case("L'équipementier a procédé en mai 2024 au lancement des travaux de sa nouvelle usine.", "2024-06-01", []),
    case("Le partenariat prévoit la livraison de 5 000 tonnes de cobalt d'ici 2027.", None, []),
]


@pytest.mark.parametrize("text, date, expected, fields", MILESTONES)
def test_milestones(nlp, text, date, expected, fields):
    got = milestones(extract(nlp, text, date))
    assert got == sorted(expected), f"{text!r}: got {got}"


# 2, 3. Sales tables in prose: PDM, brands in parentheses, one unit's figures in a sentence -------------------

SALES = [
    case("Kia domine le segment avec une part de marché (PDM) de 21,5 %, soit 2 100 unités écoulées.", "2024-03-05",
         [("market_share", 21.5, "percent", 2024, "Kia"), ("sales_volume", 2100, "vehicle", 2024, "Kia")],
         "subject"),
    case("Suzuki s'impose avec 1 500 unités vendues, devançant Nissan (1 200 unités et 3,1 % de part de marché).",
         "2024-05-02",
         [("sales_volume", 1500, "vehicle", 2024, "Suzuki"), ("sales_volume", 1200, "vehicle", 2024, "Nissan"),
          ("market_share", 3.1, "percent", 2024, "Nissan")], "subject"),
    case("Toyota se place en deuxième position avec 6 300 unités vendues devant Honda qui affiche 3 600 unités.",
         "2024-05-02",
         [("sales_volume", 6300, "vehicle", 2024, "Toyota"), ("sales_volume", 3600, "vehicle", 2024, "Honda")],
         "subject"),
    case("Le nombre des nouvelles immatriculations de voitures particulières a enregistré une baisse de 12 % avec "
         "9 400 unités.", "2024-03-05", [("sales_volume", 9400, "vehicle", 2024)]),
    case("Sur les utilitaires, Ford enregistre une hausse de ses ventes de 70 % soit 1 500 unités.", "2024-05-02",
         [("sales_volume", 1500, "vehicle", 2024, "Ford")], "subject"),
    case("Les immatriculations ont atteint 48 900 unités durant les quatre premiers mois de l'année.", "2024-05-02",
         [("sales_volume", 48900, "vehicle", 2024)]),
    case("Selon le ministre, cette usine va coûter 50 millions d'euros, d'après un entretien accordé au journal "
         "saoudien Al Watan.", "2022-12-29", [("investment", 50e6, "EUR", None, "target")], "kind"),
]


@pytest.mark.parametrize("text, date, expected, fields", SALES)
def test_sales_in_prose(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


# 8. Numbers as reporters write them: approximate nouns, fractions in words, a misplaced thousands dot ---------

NUMBERS = [
    case("Une vingtaine de fournisseurs se sont installés à Tanger en 2022.", None,
         [("suppliers_count", 20, "company", 2022, "about")], "approx"),
    case("Les deux tiers de la production de l'usine de Kénitra sont exportés.", "2023-05-01",
         [("export_share", 66.67, "percent", 2023, "exact")], "approx"),
    case("Plus de la moitié de la production du site est exportée vers l'Europe.", "2021-03-01",
         [("export_share", 50, "percent", 2021, "more_than")], "approx"),
    case("Le site a produit 24.7951 véhicules en 2023.", None,
         [("production_volume", 247951, "vehicle", 2023, "exact")], "approx"),
]


@pytest.mark.parametrize("text, date, expected, fields", NUMBERS)
def test_numbers_as_written(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


# 9. Counts that no noun right after names: ranks, offers on sale, a count noun's subject, destinations --------

COUNTED = [
    case("Cinq de ses voitures figurent dans le top 10 des ventes du pays.", "2022-04-01", []),
    case("Le catalogue est passé de 12 modèles électriques en 2022 à 30 modèles en 2023.", None, []),
    case("L'offre d'hybrides est passée de 12 modèles en 2022 à 30 modèles en 2023. "
         "Toyota détient 41 % du marché des hybrides.", None,
         [("market_share", 41, "percent", 2023)]),
    case("Les ventes de voitures hybrides sont passées de 7 100 unités en 2022 à 10 900 unités en 2023. "
         "Toyota détient 41 % du marché des hybrides.", None,
         [("sales_volume", 7100, "vehicle", 2022), ("sales_volume", 10900, "vehicle", 2023),
          ("market_share", 41, "percent", 2023)]),
    case("Le nombre d'employés du site a été porté de 2100 en 2016 à 3900 en 2018.", None,
         [("workforce", 2100, "person", 2016), ("workforce", 3900, "person", 2018)]),
    case("Les voitures de l'usine sont expédiées vers 47 destinations.", "2022-06-01",
         [("export_destinations", 47, "country", 2022)]),
    case("Le sourcing local du site a atteint 58 % en 2021.", None,
         [("local_integration_rate", 58, "percent", 2021)]),
    case("Le sourcing local du site a atteint 900 millions d'euros en 2021.", None,
         [("local_sourcing_value", 900_000_000, "EUR", 2021)]),
]


@pytest.mark.parametrize("text, date, expected, fields", COUNTED)
def test_counts_without_a_noun_after(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


# 10. Figures that continue what the sentence before said ---------------------------------------------------

CONTINUED = [
    case("Dacia reste en tête avec une part de marché de 21 %. Kia complète le podium (6,9 %).", "2024-01-10",
         [("market_share", 21, "percent", 2024, "Dacia"), ("market_share", 6.9, "percent", 2024, "Kia")], "subject"),
    case("Les ventes progressent, portées par une hausse des exportations. "
         "Celles-ci sont chiffrées à 300 100 véhicules pour l'année 2020, contre 280 400.", "2021-01-10",
         [("exports_volume", 300100, "vehicle", 2020, "actual"), ("exports_volume", 280400, "vehicle", 2019, "actual")],
         "kind"),
    case("L'usine produira 500 000 véhicules pour l'année 2025.", "2024-01-10",
         [("production_volume", 500000, "vehicle", 2025, "target")], "kind"),
]


@pytest.mark.parametrize("text, date, expected, fields", CONTINUED)
def test_figures_continuing_the_sentence_before(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


# 11. Promises on real news: whose event, which year, which kind -------------------------------------------

PROMISES = [
    case("La nouvelle usine, rouverte après sa fermeture en 2011 en raison d'une grève, permettra la création de "
         "plus de 2500 emplois directs.", "2016-05-08", [("jobs_created", 2500, "job", None, "target")], "kind"),
    case("Le constructeur compte cette année produire près de 410 000 véhicules.", "2017-05-08",
         [("production_volume", 410000, "vehicle", 2017, "target")], "kind"),
    case("Le site compte 5 000 salariés.", "2017-05-08", [("workforce", 5000, "person", 2017, "actual")], "kind"),
    case("Le groupe a monté un réseau de fournisseurs pour la création de 9.000 emplois.", "2017-05-08",
         [("jobs_created", 9000, "job", None, "target")], "kind"),
    case("Les exportations devraient frôler 90 milliards de dirhams en 2026.", "2025-05-08",
         [("exports_value", 90e9, "MAD", 2026, "about")], "approx"),
]


@pytest.mark.parametrize("text, date, expected, fields", PROMISES)
def test_promises(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


def test_a_model_launch_is_its_brands_and_parts_for_a_model_are_the_groups(nlp):
    text = ("Renault Maroc prépare ses usines. La commercialisation de la nouvelle Dacia Jogger est prévue pour 2027. "
            "En 2028, des pièces détachées pour la Logan seront exportées vers l'Inde.")
    subjects = sorted((m.year, m.subject) for m in extract(nlp, text, "2026-01-10").milestones)
    assert subjects == [(2027, "Dacia"), (2028, "Renault Group")]


CHANGES = [
    case("Le pays projette de faire passer sa production de 600.000 voitures à 900.000 en 2027.", "2024-06-01",
         [("production_volume", 600000, "vehicle", 2024, "actual"), ("production_volume", 900000, "vehicle", 2027, "target")],
         "kind"),
    case("Les ventes d'hybrides sont passées de 1886 unités en 2019 à 4196 en 2021.", "2022-01-01",
         [("sales_volume", 1886, "vehicle", 2019, "actual"), ("sales_volume", 4196, "vehicle", 2021, "actual")], "kind"),
    case("Portée par Renault et PSA, l'industrie affiche une capacité de 650.000 véhicules par an.", "2018-06-01",
         [("production_capacity", 650000, "vehicle/year", 2018, "Maroc")], "subject"),
]


@pytest.mark.parametrize("text, date, expected, fields", CHANGES)
def test_changes_and_joint_figures(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


def test_a_sentence_naming_no_actor_goes_on_about_the_previous_site(nlp):
    text = ("A terme, la grande usine Renault de Tanger devrait produire 350.000 véhicules par an. "
            "Le cap de 7000 collaborateurs devrait bientôt être franchi.")
    facts = {f.metric: f for f in extract(nlp, text, "2014-03-01").facts}
    assert facts["workforce"].value == 7000 and facts["workforce"].kind == "target"
    assert facts["workforce"].scope["site"] == facts["production_volume"].scope["site"]
    assert "Tanger" in facts["workforce"].scope["site"]


UNDATED = [
    # an undated article: a relative deadline cannot be resolved, a promise's year is no period reported on
    case("Le pays projette de faire passer la production de 600.000 voitures par an à 900.000 en 2027. "
         "Le Royaume a la capacité de produire 600 000 véhicules. Des discussions sont en cours pour porter ce "
         "chiffre à 1,2 million d'ici trois à quatre ans, explique-t-il.", None,
         [("production_volume", 600000, "vehicle", None), ("production_volume", 900000, "vehicle", 2027),
          ("production_capacity", 600000, "vehicle/year", None), ("production_capacity", 1200000, "vehicle/year", None)]),
    case("Renault a ouvert une usine. Les écosystèmes automobiles, a ajouté le ministre, permettront de doubler les "
         "emplois à l'horizon 2027 pour les porter à plus de 150.000.", "2014-06-01",
         [("jobs_created", 150000, "job", 2027, "target", "Maroc")], "kind", "subject"),
    case("Cette extension nécessitera un investissement de 120 millions de dirhams de la part de l'équipementier.",
         "2023-06-01", [("investment", 120e6, "MAD", None, "target")], "kind"),
]


@pytest.mark.parametrize("text, date, expected, fields", UNDATED)
def test_undated_and_anaphoric_promises(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


DEADLINES = [
    case("Cette usine nécessitera un investissement de 120 millions de dirhams, et permettra la création de 900 "
         "emplois entre 2024 et 2026.", "2023-06-01",
         [("investment", 120e6, "MAD", None, "target"), ("jobs_created", 900, "job", 2026, "target")], "kind"),
    case("Au démarrage en septembre dernier, le taux d'intégration était de 55 %, et l'objectif à long terme est de "
         "monter à 75 %.", "2019-12-01",
         [("local_integration_rate", 55, "percent", 2019, "actual"), ("local_integration_rate", 75, "percent", None,
                                                                      "target")], "kind"),
    case("Le pays vise une production d'un million de véhicules en 2025. Les échanges se poursuivent pour porter ce chiffre à "
         "1,3 million d'ici trois ans.", None,
         [("production_volume", 1e6, "vehicle", 2025, "target"), ("production_volume", 1.3e6, "vehicle", None, "target")],
         "kind"),
]


@pytest.mark.parametrize("text, date, expected, fields", DEADLINES)
def test_deadlines_belong_to_their_own_figure(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)


def test_an_association_speaking_for_the_sector_gives_the_countrys_figure(nlp):
    text = ("TotalEnergies a ouvert dix stations. L'Association professionnelle intersectorielle de la mobilité "
            "électrique (APIME) a annoncé le déploiement de 1800 nouvelles bornes de recharge d'ici 2027.")
    facts = extract(nlp, text, "2024-06-01").facts
    assert [(f.metric, f.value, f.subject, f.year) for f in facts] == [("charging_points", 1800, "Maroc", 2027)]


def test_customers_listed_after_a_noun_are_no_subject_to_point_back_to(nlp):
    text = ("Le groupe Lear exploite trois usines au Maroc. La troisième fournit des faisceaux aux constructeurs "
            "européens BMW, Renault et Volkswagen. Ce site a coûté 150 millions de DH, et assurera 2500 emplois.")
    facts = extract(nlp, text, "2015-01-10").facts
    assert {f.subject for f in facts} == {"Lear"}, [(f.metric, f.subject) for f in facts]


EVENTUAL = [
    case("La gigafactory devrait être opérationnelle d'ici juin 2027, avec une capacité initiale de 15 GWh, "
         "extensible à 45 GWh.", "2025-02-01",
         [("battery_capacity", 15, "GWh", 2027, "target"), ("battery_capacity", 45, "GWh", None, "target")], "kind"),
    case("Le groupe a déclaré que sa filiale investirait jusqu'à 150 millions de dollars au Maroc.", "2023-06-28",
         [("investment", 150e6, "USD", None, "target")], "kind"),
]


@pytest.mark.parametrize("text, date, expected, fields", EVENTUAL)
def test_eventual_and_conditional_promises(nlp, text, date, expected, fields):
    check(nlp, text, date, expected, fields)
