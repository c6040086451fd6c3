"""The scope of a figure (FACTS.md `scope`): a phrase table of sentences written for these tests, the clause of a
figure in its sentence, and the validation of scope.toml."""
import shutil
from pathlib import Path

import pytest

from filiere.domains import packs
from filiere.domains.packs import load_pack
from filiere.domains.scope import derive_scope, figure_clause, find_sites, keywords, milestone_metric
from filiere.errors import DomainPackError

PACK_ROOT = Path(packs.__file__).parent

# text, kind, expected scope (None: the text narrows nothing)
PHRASES = [
    # sites: a facility named, a bare place, two sites (a total), a facility beside a town
    ("L'usine de Melloussa a assemblé 250 000 voitures l'an dernier.", "actual", {"site": "usine de Tanger"}),
    ("La Somaca a produit 90 000 véhicules en 2023.", "actual", {"site": "usine de Casablanca"}),
    ("Stellantis à Kenitra a porté sa cadence à 1 000 voitures par jour.", "actual", {"site": "usine de Kénitra"}),
    ("Les deux usines du groupe, à Tanger et à Casablanca, ont produit 400 000 véhicules.", "actual", None),
    ("Le constructeur ouvrira un hub digital à Casablanca de 500 ingénieurs.", "target", {"site": "hub digital"}),
    ("L'équipementier emploie 2 000 personnes à Tanger Tech.", "actual", {"site": "Tanger Tech"}),
    ("Le port Tanger-Med a traité 600 000 véhicules.", "actual", {"site": "port Tanger Med"}),
    ("Renault-Tanger vise 350 000 unités par an.", "target", {"site": "usine de Tanger"}),
    # segments: categories, a model, several categories that one includes, a sector's name that is no segment
    ("Les ventes de voitures particulières ont progressé de 4 %.", "actual", {"segment": "VP"}),
    ("Les VUL représentent 18 % du marché.", "actual", {"segment": "VUL"}),
    ("On l'a vu, le marché recule.", "actual", None),
    ("Les ventes de véhicules électrifiés ont doublé.", "actual", {"segment": "véhicules électrifiés"}),
    ("Les modèles hybrides et 100 % électriques pèsent 9 % des ventes.", "actual", {"segment": "véhicules électrifiés"}),
    ("Les hybrides rechargeables restent marginaux.", "actual", {"segment": "hybrides rechargeables"}),
    ("La production de la Sandero a atteint 120 000 unités.", "actual", {"segment": "Sandero"}),
    ("L'usine de Kénitra assemblera 60 000 quadricycles par an.", "target",
     {"site": "usine de Kénitra", "segment": "quadricycles"}),
    ("Le segment du câblage a exporté pour 9 milliards de dirhams.", "actual", {"segment": "câblage"}),
    ("L'usine de câblage du groupe emploie 4 000 personnes.", "actual", None),  # a cable maker's plant: all of it
    ("L'association de la mobilité électrique annonce 1 000 bornes.", "target", None),
    # periods: named parts of a year, months counted from January, spans of years, a cumulative count
    ("Au premier semestre 2025, les exportations ont atteint 80 milliards.", "actual", {"period": "premier semestre"}),
    ("Sur les neuf premiers mois, les ventes ont atteint 120 000 unités.", "actual", {"period": "9 premiers mois"}),
    ("À fin octobre, le chiffre d'affaires à l'export s'établit à 120 milliards.", "actual",
     {"period": "10 premiers mois"}),
    ("De janvier à mars, 40 000 voitures ont été vendues.", "actual", {"period": "premier trimestre"}),
    ("À fin décembre, les exportations ont atteint 150 milliards.", "actual", None),  # the whole year
    ("Les ventes ont bondi de 200 % en moins de cinq ans.", "actual", {"period": "5 ans"}),
    ("Depuis son ouverture, l'usine a produit 3 millions de véhicules.", "actual", {"period": "cumul"}),
    ("L'usine a livré son deux-millionième véhicule.", "actual", {"period": "cumul"}),
    # a period after a deadline or start cue dates a promise; "à fin juin" in a promise is its deadline
    ("La production démarrera dès le second semestre 2026.", "target", None),
    ("L'usine sera livrée d'ici le premier trimestre 2027.", "target", None),
    ("La capacité atteindra 100 000 véhicules à fin juin 2027.", "target", None),
    ("Le groupe veut doubler ses ventes en trois ans.", "target", None),
    # a place beside a facility is its town; a place apart is another site; a destination is no site
    ("Le centre de formation de Kénitra a accueilli 300 stagiaires.", "actual", {"site": "usine de Kénitra"}),
    ("Ensemble, Tanger et la Somaca ont assemblé 380 000 véhicules.", "actual", None),
    ("L'usine de Tanger exporte 90 % de sa production vers l'Europe.", "actual", {"site": "usine de Tanger"}),
    ("Le groupe affiche un taux d'intégration de 85 % en Europe.", "actual", {"site": "Europe"}),
    # several models: their common category, or none
    ("La Jogger, la Logan et la Sandero totalisent 200 000 unités.", "actual", {"segment": "VP"}),
    ("La Lodgy, la Sandero et le Dokker ont été exportés.", "actual", None),
    # "cumulées" over months of one year: the months, not a cumul
    ("Les livraisons cumulées sur 10 mois atteignent 130 000 unités.", "actual", {"period": "10 premiers mois"}),
    # all three keys at once
    ("À fin septembre, l'usine de Tanger a exporté 150 000 voitures particulières.", "actual",
     {"site": "usine de Tanger", "segment": "VP", "period": "9 premiers mois"}),
]


@pytest.mark.parametrize("text, kind, expected", PHRASES)
def test_scope_derive_scope_phrase_table(pack, text, kind, expected):
    assert derive_scope(text, pack, kind) == expected


def test_scope_segment_kept_to_its_metrics(pack):
    text = "Le projet représente 900 millions de dirhams et créera 4 000 emplois directs et indirects."
    assert derive_scope(text, pack, "target", "investment") is None
    assert derive_scope(text, pack, "target", "jobs_created") == {"segment": "emplois directs et indirects"}


def test_scope_of_nothing_is_none(pack):
    assert derive_scope("", pack) is None and derive_scope("Le groupe a investi.", pack) is None


@pytest.mark.parametrize("sentence, value, clause", [
    ("En 2024, 310 000 véhicules sont sortis des chaînes (250 000 à Tanger et 60 000 à la Somaca).", 310000,
     "310 000 véhicules sont sortis des chaînes ."),
    ("En 2024, 310 000 véhicules sont sortis des chaînes (250 000 à Tanger et 60 000 à la Somaca).", 250000,
     "250 000 à Tanger"),
    ("En 2024, 310 000 véhicules sont sortis des chaînes (250 000 à Tanger et 60 000 à la Somaca).", 60000,
     "et 60 000 à la Somaca"),
    ("Le chiffre d'affaires a atteint 1,2 milliard d'euros, dont 300 millions pour le câblage.", 1.2e9,
     "Le chiffre d'affaires a atteint 1,2 milliard d'euros"),
    ("Le chiffre d'affaires a atteint 1,2 milliard d'euros, dont 300 millions pour le câblage.", 3e8,
     "dont 300 millions pour le câblage."),
])
def test_scope_figure_clause_is_the_figures_own(pack, sentence, value, clause):
    assert figure_clause(sentence, value, pack) == clause


def test_scope_figure_clause_not_found_in_words(pack):
    assert figure_clause("Le pays produira un million de voitures.", 1e6, pack) is None
    assert figure_clause("La part passe de 12,5 % à 14 %.", 12.5, pack) == "La part passe de 12,5 % à 14 %."


def test_scope_find_sites_and_keywords(pack):
    text = "Le centre sera implanté à Rabat, avec une antenne à Tétouan Offshore et une autre à Tanger."
    assert find_sites(text, pack) == ["Rabat", "Tétouan", "usine de Tanger"]
    assert keywords("Ouverture du nouveau centre d’essais de Kénitra", pack) == ("centre", "essai", "kenitra",
                                                                                  "ouverture")


@pytest.mark.parametrize("what, metric", [
    ("sortie des premiers véhicules de l'usine de Kénitra", "production_volume"),
    ("la production en série du nouveau SUV", "production_volume"),
    ("exportation d'une partie de la production vers l'Europe", None),
    ("inauguration du centre de formation", None),
])
def test_scope_milestones_shown_done_by_figures(pack, what, metric):
    assert milestone_metric(what, pack) == metric


def _copy_pack(tmp_path):
    folder = tmp_path / "mypack"
    shutil.copytree(PACK_ROOT / "automotive", folder)
    return folder


@pytest.mark.parametrize("text, message", [
    ("[[site]]\nphrases = [\"usine X\"]\n[period]\ncumulative = \"cumul\"\n[period.names]\ncumul = [\"cumul\"]\n",
     r"scope.toml: key 'site\[0\].name': must be a non-empty string"),
    ("[[site]]\nname = \"X\"\n[period]\ncumulative = \"cumul\"\n[period.names]\ncumul = [\"cumul\"]\n",
     r"scope.toml: key 'site\[0\]': needs 'phrases' or 'places'"),
    ("[segment.category]\nVP = \"voitures\"\n", r"scope.toml: key 'segment.category.VP': must be a list"),
    ("[segment.category]\nVP = [\"VP\"]\n[segment.includes]\nVP = [\"SUV\"]\n",
     r"scope.toml: key 'segment.includes.VP': 'SUV' is not a segment.category"),
    ("[period]\ncumulative = \"total\"\n[period.names]\ncumul = [\"cumul\"]\n",
     r"scope.toml: key 'period.cumulative': must name one of period.names"),
    ("[period]\ncumulative = \"cumul\"\n[period.names]\ncumul = [\"cumul\"]\n[period.months_to_date]\n"
     "patterns = [\"premiers mois\"]\n", r"scope.toml: key 'period.months_to_date.patterns': 'premiers mois' needs"),
    ("[period]\ncumulative = \"cumul\"\n[period.names]\ncumul = [\"cumul\"]\n[milestone_figures]\nrecette = [\"x\"]\n",
     r"scope.toml: key 'milestone_figures.recette': unknown metric"),
    ("[period]\ncumulative = \"cumul\"\n[period.names]\ncumul = [\"cumul\"]\n[segment.category]\nVP = [\"VP\"]\n"
     "[segment.model]\nClio = [\"Clio\"]\n[segment.members]\nSUV = [\"Clio\"]\n",
     r"scope.toml: key 'segment.members.SUV': 'Clio' must be a segment.model and 'SUV' a segment.category"),
])
def test_scope_malformed_vocabulary_names_file_key_and_reason(tmp_path, text, message):
    folder = _copy_pack(tmp_path)
    (folder / "scope.toml").write_text(text, encoding="utf-8")
    load_pack.cache_clear()
    with pytest.raises(DomainPackError, match=message):
        load_pack(str(folder))
    load_pack.cache_clear()


def test_scope_shipped_vocabulary_loads(pack):
    vocab = pack.scope
    assert vocab.sites and vocab.categories and vocab.models and vocab.cumulative in vocab.periods
    assert vocab.is_partial("premier semestre") and vocab.is_partial("8 premiers mois")
    assert not vocab.is_partial("cumul") and not vocab.is_partial("5 ans") and not vocab.is_partial(None)
