"""Sentence tables through the whole pipeline, one invented French news sentence per row.

Expected values follow shared/spec/FACTS.md: the metric vocabulary and units, kind (actual / target),
year (target: the deadline year), approx, subject (canonical actor name; a brand's own name for its sales and
market share, conventions 7), claimed_by (who says it).
The document date is 2025-06-01, given as an argument, so 'l'an dernier' is 2024 and 'cette année' 2025.
Keys left out of a row are not checked for that row.
"""
import pytest

from filiere.nlp import extract_documents
from filiere.records import Document

DATE = "2025-06-01"
NBSP, NNBSP = "\u00a0", "\u202f"


def extract(nlp, text):
    doc = Document(doc="t", text=text, source="test", title=None, date=DATE, date_source="argument", language="fr")
    return list(extract_documents([doc], nlp))[0]


class Names:
    """Equal to a string that contains the given words (case-insensitive): the source may carry a title."""

    def __init__(self, words):
        self.words = words

    def __eq__(self, other):
        return isinstance(other, str) and self.words.lower() in other.lower()

    def __repr__(self):
        return f"<text containing {self.words!r}>"


class Not:
    """Equal to anything but the given value."""

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return other != self.value

    def __repr__(self):
        return f"<anything but {self.value!r}>"


def brief(facts):
    return [dict(metric=f.metric, value=f.value, unit=f.unit, kind=f.kind, year=f.year, approx=f.approx,
                 subject=f.subject, claimed_by=f.claimed_by) for f in facts]


def want(expected):
    out = dict(expected)
    for key in ("value", "value_high"):
        if key in out and out[key] is not None:
            out[key] = pytest.approx(out[key], rel=1e-9)
    if isinstance(out.get("claimed_by"), str):
        out["claimed_by"] = Names(out["claimed_by"])
    return out


def check_single(nlp, text, expected):
    """The sentence states one figure: exactly one fact, with the expected fields."""
    facts = extract(nlp, text).facts
    assert len(facts) == 1, f"{text!r}: expected one fact {expected}, got {brief(facts)}"
    got = {key: getattr(facts[0], key) for key in expected}
    assert got == want(expected), f"{text!r}: got {got}"


def row(text, **expected):
    return pytest.param(text, expected, id=text[:70])


# 1. every metric of the vocabulary --------------------------------------------------------------------

METRICS = [
    # production_capacity
    row("L'usine Stellantis de Kénitra dispose d'une capacité de production de 450 000 véhicules par an.",
        metric="production_capacity", value=450_000, unit="vehicle/year", kind="actual", approx="exact",
        subject="Stellantis"),
    row("Renault Tanger portera sa capacité annuelle à 480 000 véhicules d'ici 2027.",
        metric="production_capacity", value=480_000, unit="vehicle/year", kind="target", year=2027,
        subject="Renault Group"),
    row("En 2024, la capacité de production de Somaca a atteint 160 000 véhicules par an.",
        metric="production_capacity", value=160_000, unit="vehicle/year", kind="actual", year=2024,
        subject="Renault Group"),
    # production_volume
    row("Stellantis a assemblé 215 000 véhicules à Kénitra en 2023.",
        metric="production_volume", value=215_000, unit="vehicle", kind="actual", year=2023, subject="Stellantis"),
    row("Le Maroc devrait produire un million de véhicules à l'horizon 2030.",
        metric="production_volume", value=1_000_000, unit="vehicle", kind="target", year=2030, subject="Maroc"),
    row("La production de l'usine de Tanger a reculé à 330 000 unités l'an dernier.",
        metric="production_volume", value=330_000, unit="vehicle", kind="actual", year=2024),
    row("Le deux-millionième véhicule est sorti de l'usine de Melloussa en mars 2024.",
        metric="production_volume", value=2_000_000, unit="vehicle", kind="actual", year=2024),
    # sales_volume
    row("Le marché automobile marocain a écoulé 172 000 voitures neuves en 2024.",
        metric="sales_volume", value=172_000, unit="vehicle", kind="actual", year=2024, subject="Maroc"),
    row("Les ventes de Dacia ont atteint 48 500 unités au premier semestre 2025.",
        metric="sales_volume", value=48_500, unit="vehicle", kind="actual", year=2025, subject="Dacia"),
    row("Les immatriculations de voitures neuves devraient franchir la barre des 200 000 unités cette année.",
        metric="sales_volume", value=200_000, unit="vehicle", kind="target", year=2025, approx="more_than"),
    # exports_value
    row("En 2024, le secteur automobile a réalisé 154,3 milliards de dirhams d'exportations.",
        metric="exports_value", value=154.3e9, unit="MAD", kind="actual", year=2024, subject="Maroc"),
    row("Le Royaume vise 200 milliards de dirhams d'exportations automobiles d'ici 2030.",
        metric="exports_value", value=200e9, unit="MAD", kind="target", year=2030, subject="Maroc"),
    row("Les exportations de Stellantis Kénitra se sont chiffrées à 2,1 milliards d'euros l'année dernière.",
        metric="exports_value", value=2.1e9, unit="EUR", kind="actual", year=2024, subject="Stellantis"),
    row("Les ventes à l'export des câbliers installés au Maroc ont atteint 3,6 milliards de dollars en 2023.",
        metric="exports_value", value=3.6e9, unit="USD", kind="actual", year=2023),
    # exports_volume
    row("Renault a exporté quelque 310 000 véhicules depuis ses usines marocaines en 2023.",
        metric="exports_volume", value=310_000, unit="vehicle", kind="actual", year=2023, approx="about",
        subject="Renault Group"),
    row("Le constructeur prévoit d'exporter 400 000 unités en 2026.",
        metric="exports_volume", value=400_000, unit="vehicle", kind="target", year=2026),
    # exports_growth
    row("Les exportations du secteur ont progressé de 8,7 % à fin mai 2025.",
        metric="exports_growth", value=8.7, unit="percent", kind="actual", year=2025, subject="Maroc"),
    row("Les exportations automobiles affichent un bond de 21,5 % en 2023.",
        metric="exports_growth", value=21.5, unit="percent", kind="actual", year=2023),
    row("Les exportations de voitures ont reculé de 2,8 % au premier trimestre 2025.",
        metric="exports_growth", value=-2.8, unit="percent", kind="actual", year=2025),
    row("Les exportations automobiles ont gagné +5,2 MMDH en 2024.",
        metric="exports_growth", value=5.2e9, unit="MAD", kind="actual", year=2024),
    # local_integration_rate
    row("Le taux d'intégration locale de Renault au Maroc atteint 66 % aujourd'hui.",
        metric="local_integration_rate", value=66, unit="percent", kind="actual", year=2025, subject="Renault Group"),
    row("Stellantis ambitionne de porter son taux d'intégration à 75 % à l'horizon 2030.",
        metric="local_integration_rate", value=75, unit="percent", kind="target", year=2030, subject="Stellantis"),
    row("Le secteur affiche un taux d'intégration de près de 69 % en 2024.",
        metric="local_integration_rate", value=69, unit="percent", kind="actual", year=2024, approx="about",
        subject="Maroc"),
    # local_sourcing_value
    row("En 2024, Renault a réalisé 2,1 milliards d'euros d'achats locaux auprès de ses fournisseurs marocains.",
        metric="local_sourcing_value", value=2.1e9, unit="EUR", kind="actual", year=2024, subject="Renault Group"),
    row("Stellantis table sur un sourcing local de 3 milliards d'euros d'ici 2028.",
        metric="local_sourcing_value", value=3e9, unit="EUR", kind="target", year=2028, subject="Stellantis"),
    # investment
    row("BYD investira 280 millions de dollars dans une usine près de Tanger.",
        metric="investment", value=280e6, unit="USD", kind="target", year=None, subject="BYD"),
    row("Stellantis a injecté 300 millions d'euros dans l'extension de son site de Kénitra en 2023.",
        metric="investment", value=300e6, unit="EUR", kind="actual", year=2023, subject="Stellantis"),
    row("Yazaki va investir 150 MDH dans une nouvelle unité à Meknès.",
        metric="investment", value=150e6, unit="MAD", kind="target", subject="Yazaki"),
    # jobs_created
    row("La future usine de batteries générera 17 000 emplois directs et indirects.",
        metric="jobs_created", value=17_000, unit="job", kind="target", qualifier="directs et indirects"),
    row("Le nouveau site de Lear a permis la création de 2 300 postes en 2024.",
        metric="jobs_created", value=2_300, unit="job", kind="actual", year=2024, subject="Lear"),
    row("Depuis 2014, l'industrie automobile a créé plus de 90 000 emplois.",
        metric="jobs_created", value=90_000, unit="job", kind="actual", approx="more_than", subject="Maroc"),
    # workforce
    row("Somaca compte aujourd'hui 1 900 salariés.",
        metric="workforce", value=1_900, unit="person", kind="actual", year=2025, subject="Renault Group"),
    row("Le japonais Yazaki emploie près de 30 000 personnes dans ses sites marocains.",
        metric="workforce", value=30_000, unit="person", kind="actual", approx="about", subject="Yazaki"),
    row("Les effectifs de l'usine de Tanger devraient dépasser 10 000 collaborateurs d'ici fin 2026.",
        metric="workforce", value=10_000, unit="person", kind="target", year=2026, approx="more_than"),
    # market_share
    row("Dacia détient 27 % de part de marché au Maroc en 2024.",
        metric="market_share", value=27, unit="percent", kind="actual", year=2024, subject="Dacia"),
    row("Avec une part de marché de 11,5 %, Toyota s'est classé troisième en 2024.",
        metric="market_share", value=11.5, unit="percent", kind="actual", year=2024, subject="Toyota"),
    # revenue
    row("Renault Group Maroc a réalisé un chiffre d'affaires de 31 milliards de dirhams en 2024.",
        metric="revenue", value=31e9, unit="MAD", kind="actual", year=2024, subject="Renault Group"),
    row("Leoni prévoit un chiffre d'affaires de 500 millions d'euros au Maroc en 2026.",
        metric="revenue", value=500e6, unit="EUR", kind="target", year=2026, subject="Leoni"),
    row("Les revenus de Valeo au Maroc ont grimpé à 6,2 Mds DH l'an passé.",
        metric="revenue", value=6.2e9, unit="MAD", kind="actual", year=2024, subject="Valeo"),
    # ev_sales_share
    row("Les modèles électriques représentent désormais 4 % des ventes de voitures neuves au Maroc.",
        metric="ev_sales_share", value=4, unit="percent", kind="actual", year=2025, subject="Maroc"),
    row("Le gouvernement vise 30 % de véhicules électriques dans les ventes d'ici 2035.",
        metric="ev_sales_share", value=30, unit="percent", kind="target", year=2035, subject="Maroc"),
    # charging_points
    row("Le Maroc prévoit d'installer 2 500 bornes de recharge d'ici 2026.",
        metric="charging_points", value=2_500, unit="unit", kind="target", year=2026, subject="Maroc"),
    row("Le réseau national compte aujourd'hui environ 700 points de recharge.",
        metric="charging_points", value=700, unit="unit", kind="actual", year=2025, approx="about"),
    # models_produced
    row("Stellantis fabrique trois modèles dans son usine de Kénitra.",
        metric="models_produced", value=3, unit="model", kind="actual", subject="Stellantis"),
    row("L'usine de Tanger produira deux nouveaux modèles électriques à partir de 2027.",
        metric="models_produced", value=2, unit="model", kind="target", year=2027),
    # suppliers_count
    row("Renault s'appuie sur 85 fournisseurs implantés au Maroc.",
        metric="suppliers_count", value=85, unit="company", kind="actual", subject="Renault Group"),
    row("L'écosystème Stellantis devrait réunir plus de 100 équipementiers en 2026.",
        metric="suppliers_count", value=100, unit="company", kind="target", year=2026, approx="more_than",
        subject="Stellantis"),
    # export_destinations
    row("Les véhicules fabriqués à Kénitra sont exportés vers 62 pays.",
        metric="export_destinations", value=62, unit="country", kind="actual"),
    row("Renault exporte sa production marocaine dans plus de 70 pays.",
        metric="export_destinations", value=70, unit="country", kind="actual", approx="more_than",
        subject="Renault Group"),
    # battery_capacity
    row("Gotion High-Tech prévoit de porter la capacité de son usine de batteries à 100 GWh d'ici 2030.",
        metric="battery_capacity", value=100, unit="GWh", kind="target", year=2030, subject="Gotion High-Tech"),
    row("La gigausine chinoise démarrera avec une capacité de 12 GWh en 2026.",
        metric="battery_capacity", value=12, unit="GWh", kind="target", year=2026),
    # export_share
    row("Environ 85 % des voitures assemblées à Tanger sont exportées.",
        metric="export_share", value=85, unit="percent", kind="actual", approx="about"),
    row("Stellantis exporte 90 % de sa production marocaine.",
        metric="export_share", value=90, unit="percent", kind="actual", subject="Stellantis"),
]


@pytest.mark.parametrize("text, expected", METRICS)
def test_phrasing_metric_of_each_sentence(nlp, text, expected):
    check_single(nlp, text, expected)


def test_phrasing_tables_cover_every_metric(pack):
    covered = {p.values[1]["metric"] for p in METRICS}
    assert covered == {m.name for m in pack.metrics}
    assert len(covered) == 20


# 2. kind: target (promised, planned, forecast) or actual (reported) ---------------------------------------

KINDS = [
    # targets
    row("Le Maroc ambitionne d'exporter pour 250 milliards de dirhams à l'horizon 2030.",
        metric="exports_value", value=250e9, unit="MAD", kind="target", year=2030),
    row("Renault prévoit d'employer 12 000 personnes au Maroc en 2026.",
        metric="workforce", value=12_000, kind="target", year=2026, subject="Renault Group"),
    row("Les ventes de voitures neuves devraient avoisiner 190 000 unités en 2025.",
        metric="sales_volume", value=190_000, kind="target", year=2025, approx="about"),
    row("L'objectif est d'atteindre 65 % d'intégration locale pour la nouvelle citadine.",
        metric="local_integration_rate", value=65, kind="target", year=None),
    row("Le projet permettra de créer 1 800 emplois à Tanger d'ici 2026.",
        metric="jobs_created", value=1_800, kind="target", year=2026),
    row("Stellantis pourrait porter sa production marocaine à 500 000 véhicules dès 2027.",
        metric="production_volume", value=500_000, kind="target", year=2027, subject="Stellantis"),
    row("BYD compte investir 1 milliard de dollars au Maroc avant fin 2026.",
        metric="investment", value=1e9, unit="USD", kind="target", year=2026, subject="BYD"),
    row("En 2019, le groupe visait déjà 60 % d'intégration pour 2023.",
        metric="local_integration_rate", value=60, kind="target", year=2023),
    row("Les constructeurs envisagent de doubler leurs achats locaux pour atteindre 4 milliards d'euros en 2028.",
        metric="local_sourcing_value", value=4e9, kind="target", year=2028),
    row("Le chiffre d'affaires du secteur dépassera 200 milliards de dirhams l'an prochain.",
        metric="revenue", value=200e9, kind="target", year=2026, approx="more_than"),
    row("À terme, le site emploiera 2 000 salariés.",
        metric="workforce", value=2_000, kind="target"),
    row("La future usine aura une capacité de 100 000 véhicules par an.",
        metric="production_capacity", value=100_000, kind="target"),
    row("Un investissement de 400 millions d'euros est prévu pour l'extension du site.",
        metric="investment", value=400e6, unit="EUR", kind="target"),
    row("La nouvelle ligne devrait permettre de produire 60 000 véhicules supplémentaires d'ici 2027.",
        metric="production_volume", value=60_000, kind="target", year=2027),
    row("La production pourrait atteindre 750 000 véhicules en 2028.",
        metric="production_volume", value=750_000, kind="target", year=2028),
    row("Le groupe s'est fixé comme objectif 3 000 bornes de recharge à l'horizon 2028.",
        metric="charging_points", value=3_000, unit="unit", kind="target", year=2028),
    # actuals
    row("En 2022, Renault a vendu 61 000 voitures sur le marché local.",
        metric="sales_volume", value=61_000, kind="actual", year=2022, subject="Renault"),
    row("L'usine employait 5 400 personnes à fin 2023.",
        metric="workforce", value=5_400, kind="actual", year=2023),
    row("Les ventes de Toyota ont bondi à 21 000 unités l'an dernier.",
        metric="sales_volume", value=21_000, kind="actual", year=2024, subject="Toyota"),
    row("Le taux d'intégration était de 40 % en 2016.",
        metric="local_integration_rate", value=40, kind="actual", year=2016),
    row("Le taux d'intégration locale s'élève à 69 % aujourd'hui.",
        metric="local_integration_rate", value=69, kind="actual", year=2025),
    row("La capacité de 400 000 véhicules par an a été atteinte dès 2019.",
        metric="production_capacity", value=400_000, kind="actual", year=2019),
    row("Les achats locaux de Stellantis ont dépassé 1 milliard d'euros l'an dernier.",
        metric="local_sourcing_value", value=1e9, kind="actual", year=2024, approx="more_than",
        subject="Stellantis"),
    row("Le Royaume a produit plus de 550 000 véhicules en 2024.",
        metric="production_volume", value=550_000, kind="actual", year=2024, approx="more_than", subject="Maroc"),
    row("Les investissements étrangers dans le secteur ont totalisé 9 milliards de dirhams en 2023.",
        metric="investment", value=9e9, unit="MAD", kind="actual", year=2023),
]


@pytest.mark.parametrize("text, expected", KINDS)
def test_phrasing_kind_target_or_actual(nlp, text, expected):
    check_single(nlp, text, expected)


# 3. approx ------------------------------------------------------------------------------------------------

APPROX = [
    row("Le site emploie plus de 7 000 personnes.", metric="workforce", value=7_000, approx="more_than"),
    row("Les exportations ont dépassé 80 milliards de dirhams au premier semestre 2025.",
        metric="exports_value", value=80e9, approx="more_than", kind="actual", year=2025),
    row("Le constructeur compte porter ses achats locaux au-delà de 2 milliards d'euros d'ici 2027.",
        metric="local_sourcing_value", value=2e9, approx="more_than", kind="target", year=2027),
    row("Près de 60 % des véhicules assemblés à Kénitra sont exportés vers l'Europe.",
        metric="export_share", value=60, approx="about"),
    row("Le parc compte environ 1 000 bornes de recharge.", metric="charging_points", value=1_000, approx="about"),
    row("Quelque 40 000 personnes travaillent dans les usines de câblage de Kénitra.",
        metric="workforce", value=40_000, approx="about"),
    row("La capacité de la future usine pourra atteindre jusqu'à 300 000 véhicules par an.",
        metric="production_capacity", value=300_000, approx="up_to", kind="target"),
    row("Les voitures électriques pèsent moins de 3 % des ventes en 2024.",
        metric="ev_sales_share", value=3, approx="less_than", kind="actual", year=2024),
    row("Le taux d'intégration reste en dessous de 50 % pour les véhicules hybrides.",
        metric="local_integration_rate", value=50, approx="less_than"),
    row("Le taux d'intégration locale de l'usine se situe autour de 64 %.",
        metric="local_integration_rate", value=64, approx="about"),
    row("Les ventes de BYD au Maroc avoisinent 3 000 unités depuis janvier.",
        metric="sales_volume", value=3_000, approx="about", subject="BYD"),
    row("Le chiffre d'affaires de Yazaki Maroc est estimé à environ 9 milliards de dirhams.",
        metric="revenue", value=9e9, approx="about", subject="Yazaki"),
    row("L'investissement global, de l'ordre de 1,3 milliard d'euros, sera étalé sur cinq ans.",
        metric="investment", value=1.3e9, unit="EUR", approx="about"),
    row("Stellantis a créé 1 150 emplois à Kénitra en 2024.",
        metric="jobs_created", value=1_150, approx="exact", kind="actual", year=2024),
]


@pytest.mark.parametrize("text, expected", APPROX)
def test_phrasing_approximation(nlp, text, expected):
    check_single(nlp, text, expected)


# 4. subject: canonical names, plants and brands, anaphora ---------------------------------------------------

SUBJECTS = [
    row("Renault a inauguré une nouvelle ligne à Tanger. Le Groupe y emploie désormais 8 000 salariés.",
        metric="workforce", value=8_000, subject="Renault Group"),
    row("Stellantis a présenté ses ambitions pour le Maroc. Le constructeur vise une capacité de 535 000 "
        "véhicules par an d'ici 2030.",
        metric="production_capacity", value=535_000, kind="target", year=2030, subject="Stellantis"),
    row("PSA a porté la capacité de son usine de Kénitra à 200 000 véhicules par an en 2022.",
        metric="production_capacity", value=200_000, kind="actual", year=2022, subject="Stellantis"),
    row("Le Royaume vise un taux d'intégration de 82 % à l'échéance 2032.",
        metric="local_integration_rate", value=82, kind="target", year=2032, subject="Maroc"),
    row("Le secteur a drainé 14 milliards de dirhams d'investissements en 2023.",
        metric="investment", value=14e9, kind="actual", year=2023, subject="Maroc"),
    row("BYD table sur des ventes de 8 000 voitures au Maroc en 2026.",
        metric="sales_volume", value=8_000, kind="target", year=2026, subject="BYD"),
    row("Somaca a produit 87 000 véhicules en 2024, un record pour l'usine casablancaise.",
        metric="production_volume", value=87_000, kind="actual", year=2024, subject="Renault Group"),
    row("Hyundai Motor détient 7 % des parts de marché au Maroc.",
        metric="market_share", value=7, subject="Hyundai"),
    row("Le groupe Volkswagen a écoulé 9 200 véhicules sur le marché marocain l'an passé.",
        metric="sales_volume", value=9_200, kind="actual", year=2024, subject="Volkswagen"),
    row("Les ventes de Peugeot ont atteint 14 000 unités en 2024.",
        metric="sales_volume", value=14_000, kind="actual", year=2024, subject="Peugeot"),
    row("Aptiv emploie 6 500 personnes dans ses usines de Tanger et de Kénitra.",
        metric="workforce", value=6_500, subject="Aptiv"),
    row("Lear Corporation a investi 70 millions de dollars dans son site de Tanger en 2021.",
        metric="investment", value=70e6, unit="USD", kind="actual", year=2021, subject="Lear"),
    row("Au Maroc, Tesla n'a vendu que 450 voitures en 2024.",
        metric="sales_volume", value=450, kind="actual", year=2024, subject="Tesla"),
    row("Le gouvernement table sur 100 000 emplois supplémentaires dans l'automobile à l'horizon 2030.",
        metric="jobs_created", value=100_000, kind="target", year=2030, subject="Maroc"),
    row("Forvia emploie quelque 4 800 collaborateurs au Maroc.",
        metric="workforce", value=4_800, approx="about", subject="Forvia"),
    row("Stellantis a inauguré son centre d'ingénierie à Rabat. Il emploiera 400 ingénieurs d'ici 2026.",
        metric="workforce", value=400, kind="target", year=2026, subject="Stellantis"),
    row("Les ventes de la marque Citroën ont progressé à 7 300 unités l'an dernier.",
        metric="sales_volume", value=7_300, kind="actual", year=2024, subject="Citroën"),
]


@pytest.mark.parametrize("text, expected", SUBJECTS)
def test_phrasing_subject(nlp, text, expected):
    check_single(nlp, text, expected)


# 5. claimed_by: who says it --------------------------------------------------------------------------------

CLAIMS = [
    row("Selon l'AIVAM, les ventes de voitures neuves ont atteint 168 000 unités en 2024.",
        metric="sales_volume", value=168_000, kind="actual", year=2024, subject="Maroc", claimed_by="AIVAM"),
    row("Le secteur automobile a créé 22 000 emplois en 2024, a affirmé le ministre de l'Industrie.",
        metric="jobs_created", value=22_000, kind="actual", year=2024, claimed_by="ministre"),
    row("Youssef Alaoui a déclaré que les exportations atteindront 180 milliards de dirhams en 2026.",
        metric="exports_value", value=180e9, kind="target", year=2026, claimed_by="Youssef Alaoui"),
    row("D'après l'AMICA, le secteur compte plus de 250 équipementiers en 2024.",
        metric="suppliers_count", value=250, approx="more_than", year=2024, subject="Maroc", claimed_by="AMICA"),
    row("Le ministre a rappelé que le Maroc a produit 560 000 véhicules en 2024.",
        metric="production_volume", value=560_000, kind="actual", year=2024, subject="Maroc",
        claimed_by="ministre"),
    row("La production a atteint 402 000 unités en 2024, a indiqué l'AMICA.",
        metric="production_volume", value=402_000, kind="actual", year=2024, claimed_by="AMICA"),
    row("Stellantis a annoncé que son usine de Kénitra emploiera 3 000 personnes d'ici 2027.",
        metric="workforce", value=3_000, kind="target", year=2027, subject="Stellantis", claimed_by="Stellantis"),
    row("Selon Samira El Ouazzani, directrice du site, le taux d'intégration atteint 62 %.",
        metric="local_integration_rate", value=62, claimed_by="Samira El Ouazzani"),
    row("« Nous visons 60 % d'intégration locale à horizon 2027 », a souligné le directeur général de Somaca.",
        metric="local_integration_rate", value=60, kind="target", year=2027, claimed_by="directeur"),
    row("Les exportations automobiles ont totalisé 12,4 MMDH à fin février 2025, selon l'Office des changes.",
        metric="exports_value", value=12.4e9, unit="MAD", kind="actual", year=2025, claimed_by="Office des changes"),
    row("Renault a investi 120 millions d'euros à Tanger en 2023.",
        metric="investment", value=120e6, kind="actual", year=2023, subject="Renault Group", claimed_by=None),
    row("Le directeur de l'usine, Rachid Lahlou, a précisé que le site exporte 93 % de sa production.",
        metric="export_share", value=93, claimed_by="Rachid Lahlou"),
    row("La filière emploie 220 000 personnes, a déclaré mardi la ministre déléguée au Commerce.",
        metric="workforce", value=220_000, subject="Maroc", claimed_by="ministre"),
    row("Il convient de rappeler que le secteur a exporté 110 milliards de dirhams en 2022.",
        metric="exports_value", value=110e9, kind="actual", year=2022, claimed_by=None),
    row("D'après les chiffres de l'Office des changes, les exportations du secteur ont augmenté de 6,1 % en 2024.",
        metric="exports_growth", value=6.1, kind="actual", year=2024, claimed_by="Office des changes"),
    row("Le taux d'intégration atteindra 70 % en 2026, a estimé le président de l'AMICA.",
        metric="local_integration_rate", value=70, kind="target", year=2026, claimed_by="président"),
]


@pytest.mark.parametrize("text, expected", CLAIMS)
def test_phrasing_claimed_by(nlp, text, expected):
    check_single(nlp, text, expected)


# 6. year ---------------------------------------------------------------------------------------------------

YEARS = [
    row("Les ventes ont atteint 45 000 voitures au premier trimestre de l'année dernière.",
        metric="sales_volume", value=45_000, kind="actual", year=2024),
    row("Le constructeur a exporté 120 000 véhicules cette année.",
        metric="exports_volume", value=120_000, kind="actual", year=2025),
    row("Les ventes devraient atteindre 200 000 véhicules l'année prochaine.",
        metric="sales_volume", value=200_000, kind="target", year=2026),
    row("Le taux d'intégration atteindra 72 % au quatrième trimestre 2026.",
        metric="local_integration_rate", value=72, kind="target", year=2026),
    row("Les ventes ont grimpé à 15 200 unités en avril 2025.",
        metric="sales_volume", value=15_200, kind="actual", year=2025),
    row("À fin 2025, le réseau devrait compter 1 500 bornes.",
        metric="charging_points", value=1_500, kind="target", year=2025),
    row("Depuis 2021, l'usine a produit 95 000 véhicules électriques.",
        metric="production_volume", value=95_000, kind="actual", year=Not(2021)),
    row("L'usine, inaugurée en 2012, emploie aujourd'hui 7 800 salariés.",
        metric="workforce", value=7_800, kind="actual", year=2025),
    row("Le 12 mars 2025, Renault a confirmé avoir vendu 5 200 voitures en février.",
        metric="sales_volume", value=5_200, kind="actual", year=2025),
]


@pytest.mark.parametrize("text, expected", YEARS)
def test_phrasing_year(nlp, text, expected):
    check_single(nlp, text, expected)


# 7. written forms of the figure ---------------------------------------------------------------------------

FORMATS = [
    row(f"Le site emploie 12{NBSP}500 salariés.", metric="workforce", value=12_500, unit="person"),
    row(f"Les ventes ont atteint 95{NNBSP}000 véhicules en 2023.", metric="sales_volume", value=95_000,
        unit="vehicle", year=2023),
    row("Renault a produit 385.000 voitures à Tanger en 2023.", metric="production_volume", value=385_000,
        unit="vehicle", year=2023),
    row("Le groupe a investi un milliard d'euros dans la région en 2019.", metric="investment", value=1e9,
        unit="EUR", kind="actual", year=2019),
    row("Le projet créera deux mille emplois.", metric="jobs_created", value=2_000, unit="job", kind="target"),
    row("Les exportations de la filière ont atteint 1,8 Md€ en 2024.", metric="exports_value", value=1.8e9,
        unit="EUR", year=2024),
    row("L'investissement est estimé entre 2 et 3 milliards de dirhams.", metric="investment", value=2e9,
        value_high=3e9, unit="MAD"),
    row("Le groupe a injecté 450 M€ dans ses usines marocaines en 2022.", metric="investment", value=450e6,
        unit="EUR", kind="actual", year=2022),
    row("Le chiffre d'affaires a atteint 2.300 MDH en 2023.", metric="revenue", value=2.3e9, unit="MAD", year=2023),
    row("Le chiffre d'affaires à l'export a bondi de 12 pour cent en 2024.", metric="exports_growth", value=12,
        unit="percent", year=2024),
    row("L'usine emploie sept cents personnes.", metric="workforce", value=700, unit="person"),
    row("Les voitures produites à Kénitra sont exportées vers vingt et un pays.", metric="export_destinations",
        value=21, unit="country"),
    row("Les ventes ont atteint 12 mille unités en mai 2025.", metric="sales_volume", value=12_000,
        unit="vehicle", year=2025),
    row("Le groupe a mobilisé 3,5 milliards de MAD pour cette extension en 2024.", metric="investment",
        value=3.5e9, unit="MAD", year=2024),
    row("Les exportations ont progressé de 4,5 MMDH en 2024.", metric="exports_growth", value=4.5e9, unit="MAD",
        year=2024),
    row("Le groupe prévoit d'investir 600 millions de dollars d’ici 2029.", metric="investment", value=600e6,
        unit="USD", kind="target", year=2029),
]


@pytest.mark.parametrize("text, expected", FORMATS)
def test_phrasing_written_forms(nlp, text, expected):
    check_single(nlp, text, expected)


# 7b. word order, voice and tense --------------------------------------------------------------------------

ORDER = [
    row("C'est un chiffre d'affaires de 4,8 milliards de dirhams que la filiale a réalisé en 2023.",
        metric="revenue", value=4.8e9, unit="MAD", kind="actual", year=2023),
    row("Plus de 70 000 véhicules ont été vendus au Maroc au premier semestre 2025.",
        metric="sales_volume", value=70_000, unit="vehicle", kind="actual", year=2025, approx="more_than"),
    row("260 000 : c'est le nombre de véhicules exportés par Renault en 2024.",
        metric="exports_volume", value=260_000, unit="vehicle", kind="actual", year=2024, subject="Renault Group"),
    row("À l'horizon 2030, c'est un million de véhicules que le Royaume entend produire chaque année.",
        metric="production_volume", value=1_000_000, kind="target", year=2030, subject="Maroc"),
    row("Le cap des 500 000 véhicules produits a été franchi en 2022 par l'usine de Tanger.",
        metric="production_volume", value=500_000, unit="vehicle", kind="actual", year=2022),
    row("Les exportations, qui avaient atteint 110 milliards de dirhams en 2022, ont ensuite ralenti.",
        metric="exports_value", value=110e9, unit="MAD", kind="actual", year=2022),
    row("En 2026, Stellantis produira 100 000 voitures électriques à Kénitra.",
        metric="production_volume", value=100_000, unit="vehicle", kind="target", year=2026, subject="Stellantis"),
    row("Renault avait investi 1 milliard d'euros dans l'usine de Tanger lors de sa construction.",
        metric="investment", value=1e9, unit="EUR", kind="actual", subject="Renault Group"),
    row("Renault prévoit de porter à 100 000 le nombre de véhicules exportés vers l'Afrique d'ici 2030.",
        metric="exports_volume", value=100_000, unit="vehicle", kind="target", year=2030, subject="Renault Group"),
    row("Les ventes vont franchir le cap des 180 000 unités en 2025.",
        metric="sales_volume", value=180_000, kind="target", year=2025, approx="more_than"),
    row("Le Royaume a exporté 480 000 véhicules en 2024.",
        metric="exports_volume", value=480_000, unit="vehicle", kind="actual", year=2024, subject="Maroc"),
    row("L'équipementier Valeo emploie 3 500 personnes à Tanger.",
        metric="workforce", value=3_500, unit="person", subject="Valeo"),
    row("La production atteindra 700 000 véhicules en 2027, a indiqué le ministre.",
        metric="production_volume", value=700_000, kind="target", year=2027, claimed_by="ministre"),
    row("Le ministre de l'Industrie a souligné que 90 000 emplois ont été créés depuis 2014.",
        metric="jobs_created", value=90_000, unit="job", kind="actual", claimed_by="ministre"),
    row("Leila Chraibi, directrice générale de l'AMICA, a affirmé que le secteur emploie 240 000 personnes.",
        metric="workforce", value=240_000, subject="Maroc", claimed_by="Leila Chraibi"),
    row("Selon le rapport annuel de Renault Group, le site de Tanger a exporté 280 000 véhicules en 2024.",
        metric="exports_volume", value=280_000, kind="actual", year=2024, claimed_by="Renault Group"),
    row("Hyundai a souligné que ses ventes au Maroc ont atteint 11 000 voitures l'an dernier.",
        metric="sales_volume", value=11_000, kind="actual", year=2024, subject="Hyundai", claimed_by="Hyundai"),
]


@pytest.mark.parametrize("text, expected", ORDER)
def test_phrasing_word_order_voice_and_tense(nlp, text, expected):
    check_single(nlp, text, expected)


# 8. several figures in one sentence ------------------------------------------------------------------------

MULTI = [
    pytest.param("L'usine a produit 280 000 véhicules en 2023, contre 260 000 en 2022.", [
        dict(metric="production_volume", value=280_000, kind="actual", year=2023),
        dict(metric="production_volume", value=260_000, kind="actual", year=2022),
    ], id="contre"),
    pytest.param("Le taux d'intégration est passé de 55 % en 2020 à 69 % en 2024.", [
        dict(metric="local_integration_rate", value=55, kind="actual", year=2020),
        dict(metric="local_integration_rate", value=69, kind="actual", year=2024),
    ], id="passe de X en A a Y en B"),
    pytest.param("Le taux d'intégration locale a atteint 68 % en 2024 et devrait grimper à 80 % en 2030.", [
        dict(metric="local_integration_rate", value=68, kind="actual", year=2024),
        dict(metric="local_integration_rate", value=80, kind="target", year=2030),
    ], id="actual then target"),
    pytest.param("Renault emploie 11 000 personnes au Maroc et prévoit de créer 2 000 emplois d'ici 2028.", [
        dict(metric="workforce", value=11_000, kind="actual", subject="Renault Group"),
        dict(metric="jobs_created", value=2_000, kind="target", year=2028, subject="Renault Group"),
    ], id="workforce and jobs"),
    pytest.param("Les exportations ont atteint 45 milliards de dirhams au premier trimestre 2025, en hausse de 9 %.", [
        dict(metric="exports_value", value=45e9, unit="MAD", kind="actual", year=2025),
        dict(metric="exports_growth", value=9, unit="percent", kind="actual", year=2025),
    ], id="value and growth"),
    pytest.param("Stellantis produit 220 000 véhicules par an et exporte vers 50 pays.", [
        dict(metric="production_volume", value=220_000, subject="Stellantis"),
        dict(metric="export_destinations", value=50, unit="country", subject="Stellantis"),
    ], id="volume and destinations"),
]


@pytest.mark.parametrize("text, expected", MULTI)
def test_phrasing_several_figures(nlp, text, expected):
    facts = extract(nlp, text).facts
    assert len(facts) == len(expected), f"{text!r}: got {brief(facts)}"
    for exp in expected:
        matching = [f for f in facts if f.metric == exp["metric"] and f.value == pytest.approx(exp["value"])]
        assert matching, f"{text!r}: no fact {exp}; got {brief(facts)}"
        got = {key: getattr(matching[0], key) for key in exp}
        assert got == want(exp), f"{text!r}: got {got}"


# 9. milestones ---------------------------------------------------------------------------------------------
# A launch of a model is its brand's event (the seed gold: the hybrid Dacia Sandero is Dacia's), as its sales are;
# parts made for a model ("des pièces pour la Logan") are not the model.

MILESTONES = [
    row("Le lancement de la nouvelle Dacia Logan est prévu pour le premier trimestre 2027.",
        what="lancement de la nouvelle Dacia Logan", year=2027, quarter=1, subject="Dacia"),
    row("L'inauguration de l'usine de Gotion à Kénitra est attendue en 2026.",
        what="inauguration de l'usine de Gotion", year=2026, subject="Gotion High-Tech"),
    row("Renault lancera au troisième trimestre 2026 une version électrique du Dacia Bigster.",
        what="version électrique du Dacia Bigster", year=2026, quarter=3, subject="Dacia"),
    row("La nouvelle usine de BYD entrera en production en 2026.",
        what="usine de BYD", year=2026, subject="BYD"),
    row("Le démarrage de la production en série de la Citroën Ami est programmé pour septembre 2025.",
        what="démarrage de la production en série de la Citroën Ami", year=2025, month=9, subject="Stellantis"),
    row("La mise en service du nouveau centre logistique de Somaca est prévue d'ici fin 2026.",
        what="mise en service du nouveau centre logistique de Somaca", year=2026, subject="Renault Group"),
    row("Le futur centre de R&D de Stellantis à Casablanca ouvrira ses portes en 2026.",
        what="centre de R&D de Stellantis", year=2026, subject="Stellantis"),
    row("La commercialisation du premier SUV assemblé par BYD au Maroc débutera en 2027.",
        what="commercialisation du premier SUV", year=2027, subject="BYD"),
    row("L'ouverture d'une deuxième ligne de montage à Tanger est attendue au deuxième trimestre 2028.",
        what="ouverture d'une deuxième ligne de montage", year=2028, quarter=2),
    row("Selon le ministère de l'Industrie, la construction de la gigafactory de Kénitra démarrera en 2026.",
        what="construction de la gigafactory de Kénitra", year=2026, claimed_by="Industrie"),
    row("Stellantis inaugurera en 2027 une nouvelle plateforme de production à Kénitra.",
        what="plateforme de production", year=2027, subject="Stellantis"),
    row("Yazaki ouvrira d'ici 2026 une quatrième usine de câblage à Meknès.",
        what="usine de câblage", year=2026, subject="Yazaki"),
    row("La Peugeot 208 hybride sortira des chaînes de Kénitra au premier semestre 2026.",
        what="Peugeot 208 hybride", year=2026, subject="Peugeot"),
]


@pytest.mark.parametrize("text, expected", MILESTONES)
def test_phrasing_milestone(nlp, text, expected):
    result = extract(nlp, text)
    promises = [m for m in result.milestones if not m.done]
    assert len(promises) == 1, f"{text!r}: got {[(m.what, m.year, m.subject) for m in result.milestones]}"
    exp = dict(expected)
    exp["what"] = Names(exp["what"])
    if isinstance(exp.get("claimed_by"), str):
        exp["claimed_by"] = Names(exp["claimed_by"])
    got = {key: getattr(promises[0], key) for key in exp}
    assert got == exp, f"{text!r}: got {got}"
    assert result.facts == (), f"{text!r}: a milestone without a figure gave facts {brief(result.facts)}"


@pytest.mark.parametrize("text", [
    "La nouvelle Dacia Logan a été lancée en janvier 2025.",
    "L'usine de Kénitra est entrée en production en 2019.",
    "Le centre technique de Renault est installé à Casablanca depuis 2010.",
    "Le lancement du Dacia Duster avait eu lieu en 2010.",
    "Le lancement d'une nouvelle usine à Kénitra est à l'étude.",
])
def test_phrasing_no_milestone_for_things_done(nlp, text):
    promises = [m for m in extract(nlp, text).milestones if not m.done]
    assert promises == [], f"{text!r}: got {[(m.what, m.year) for m in promises]}"


# 10. figures that are no fact -----------------------------------------------------------------------------

NEGATIVES = [
    "La délégation a passé trois jours à Tanger pour visiter les usines du constructeur.",
    "Le ministère et Renault ont signé deux conventions le 4 mars 2025.",
    "Pour toute information, contactez le service presse au 05 22 48 37 90.",
    "La marque Renault est présente au Maroc depuis 1928.",
    "Le salon de l'automobile a réuni 500 personnes à Casablanca.",
    "Les ventes de voitures électriques ont progressé de 40 % en 2024.",
    "Le groupe a dégagé un bénéfice net de 600 MDH en 2024.",
    "La Dacia Sandero est proposée à partir de 119 000 dirhams.",
    "La conférence de presse s'est tenue à 10 h 30 au pavillon 4.",
    "La Peugeot 208 reste la voiture la plus vendue du pays.",
    "Le Maroc a accueilli 14 millions de touristes en 2024.",
    "L'article 12 de la loi de finances encadre les importations de véhicules.",
    "Le sommet a rassemblé des délégations de 30 pays africains.",
    "Les deux constructeurs ont signé trois accords de coopération.",
    "Le PDG de Stellantis, âgé de 58 ans, a visité l'usine de Kénitra.",
    "Le constructeur a mis 18 mois pour construire son usine de Tanger.",
    "Le plan d'accélération industrielle 2014-2020 a été suivi d'une nouvelle stratégie.",
]


@pytest.mark.parametrize("text", [pytest.param(t, id=t[:70]) for t in NEGATIVES])
def test_phrasing_no_fact_without_a_metric(nlp, text):
    facts = extract(nlp, text).facts
    assert facts == (), f"{text!r}: got {brief(facts)}"


# 11. evidence -----------------------------------------------------------------------------------------------

EVIDENCE = [
    ("En 2023, Leoni a investi 95 millions d'euros dans son site d'Aïn Sebaâ.", "95 millions", 0),
    ("Le marché a reculé. Les ventes ont atteint 38 400 voitures en 2024.", "38 400", 1),
    ("Le groupe a vendu 5 000 voitures en 2024. Renault vise 62 % d'intégration locale d'ici 2027.", "62", 1),
]


@pytest.mark.parametrize("text, figure, sentence", EVIDENCE)
def test_phrasing_evidence_points_at_the_figure(nlp, text, figure, sentence):
    facts = [f for f in extract(nlp, text).facts if figure in f.evidence.text]
    assert len(facts) == 1, f"{text!r}: got {brief(facts)}"
    fact = facts[0]
    assert fact.evidence.start == text.index(figure)
    assert text[fact.evidence.start:fact.evidence.end].startswith(figure)
    sentences = [s.strip() + ("." if not s.strip().endswith(".") else "") for s in text.split(". ")]
    assert fact.evidence.text == sentences[sentence]
