"""The words of the dashboard, in French (the default) and English, and how numbers are written in each."""
from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers

LANGUAGES = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "overview": "Vue d'ensemble", "tracker": "Suivi des engagements", "documents": "Articles",
        "actors": "Acteurs", "search": "Recherche", "metric": "Indicateur", "subject": "Sujet",
        "status": "Statut", "target": "Objectif", "deadline": "Échéance", "latest": "Dernier chiffre",
        "progress": "Avancement", "sources": "Sources", "all": "tous", "filter": "Filtrer", "as_of": "À la date du",
        "articles": "articles", "facts": "chiffres", "milestones": "jalons", "commitments": "engagements",
        "conflicts": "Divergences entre sources", "upcoming": "Échéances à venir", "latest_figures": "Derniers chiffres",
        "value": "Valeur", "year": "Année", "kind": "Nature", "actual": "réalisé", "target_kind": "objectif",
        "claimed_by": "Selon", "document": "Article", "date": "Date", "title": "Titre", "no_title": "(sans titre)",
        "revisions": "Révisions", "revised": "révisé", "removed": "Retiré par le nettoyage",
        "related": "Autres articles sur la même histoire", "copy": "copie", "story": "même histoire",
        "figures_here": "Chiffres et jalons de l'article", "mentions": "mentions", "as_subject": "comme sujet",
        "as_source": "comme source", "aliases": "Autres noms", "roles": "Rôles",
        "about": "Chiffres et promesses", "mentioned_in": "Articles qui le citent", "query": "Mots à chercher",
        "results": "résultats", "no_result": "Aucun résultat.", "previous": "Précédent", "next": "Suivant",
        "chart": "Graphique", "chart_actual": "réalisé", "chart_target": "objectif", "figures_table": "Les chiffres",
        "verdict": "Accord", "what": "Promesse", "page_not_found": "Page introuvable", "bad_request": "Requête invalide",
        "server_error": "Erreur du serveur",
        "independent": "indépendantes", "none": "aucun", "api": "API JSON", "click_record": "Cliquez sur un passage "
        "surligné pour voir l'enregistrement.", "record": "Enregistrement", "kind_actor": "Type", "language": "Langue",
        "commitments_about": "Engagements", "decided_by": "Décidé par", "milestone": "jalon",
        "menu": "Menu", "no_commitment": "Aucun engagement ne répond à ces filtres.",
        "all_commitments": "Voir tous les engagements", "from_year": "dès", "by_year": "d'ici",
        "empty_store": "La base ne contient encore aucun article : lancez filiere ingest sur des articles.",
        "no_upcoming": "Aucune échéance à venir.", "no_figures": "Aucun chiffre.", "metrics_title": "Indicateurs",
        "no_chart": "Aucun chiffre de cet indicateur n'est daté d'une année : rien à tracer. Les chiffres sont "
        "listés ci-dessous.", "no_document_q": "Aucun article ne correspond à cette recherche.",
        "all_documents": "Voir tous les articles", "name": "Nom", "no_actor": "Aucun acteur ne correspond.",
        "all_actors": "Voir tous les acteurs", "search_hint": "Cherchez des mots dans les phrases des articles "
        "(les accents et les majuscules ne comptent pas).", "search_examples": "Par exemple :",
        "scope": "Périmètre", "qualifier": "Précision", "fact_card": "Chiffre", "milestone_card": "Jalon",
        "close": "Fermer", "no_figures_here": "Aucun chiffre ni jalon dans cet article.",
        "error_404": "Cette page n'existe pas ou ce qu'elle montrait n'est plus dans la base.",
        "error_400": "L'adresse contient un paramètre invalide.", "error_500": "Une erreur est survenue de notre côté.",
        "details": "Détails", "back_home": "Retour à la vue d'ensemble", "definition": "Définition",
        "changes": "Ce qui a changé", "since": "depuis", "new_documents": "nouveaux articles",
        "changes_count": "changements", "change": "Changement", "change_new": "nouvelle promesse",
        "change_revised": "promesse révisée", "change_status": "statut changé", "change_conflict": "nouvelle divergence",
        "revises": "révise", "local_file": "fichier local", "no_date": "sans date", "corrected_by": "corrigé par",
        "correct": "Corriger", "field": "Champ", "new_value": "Valeur juste", "mark_wrong": "c'est faux : l'écarter",
        "merge_into": "Même promesse que", "by": "Par", "note": "Pourquoi", "save": "Enregistrer la correction",
        "field_subject": "sujet", "field_metric": "indicateur", "field_kind": "nature (réalisé ou objectif)",
        "field_year": "année", "field_value": "valeur", "field_unit": "unité", "field_what": "description",
        "field_commitment_kind": "type (promesse ou prévision)", "field_status": "statut", "field_deadline": "échéance",
        "field_site": "site", "field_segment": "segment", "field_period": "période",
        "pack": "Industrie", "pack_automotive": "automobile", "pack_aeronautics": "aéronautique",
    },
    "en": {
        "overview": "Overview", "tracker": "Commitment tracker", "documents": "Articles", "actors": "Actors",
        "search": "Search", "metric": "Metric", "subject": "Subject", "status": "Status", "target": "Target",
        "deadline": "Deadline", "latest": "Latest figure", "progress": "Progress", "sources": "Sources", "all": "all",
        "filter": "Filter", "as_of": "As of", "articles": "articles", "facts": "figures", "milestones": "milestones",
        "commitments": "commitments", "conflicts": "Conflicts between sources", "upcoming": "Upcoming deadlines",
        "latest_figures": "Latest figures", "value": "Value", "year": "Year", "kind": "Kind", "actual": "actual",
        "target_kind": "target", "claimed_by": "According to", "document": "Article", "date": "Date", "title": "Title",
        "no_title": "(no title)", "revisions": "Revisions", "revised": "revised", "removed": "Removed by cleaning",
        "related": "Other articles telling the same story", "copy": "copy", "story": "same story",
        "figures_here": "Figures and milestones of the article", "mentions": "mentions", "as_subject": "as subject",
        "as_source": "as source", "aliases": "Other names", "roles": "Roles", "about": "Figures and promises",
        "mentioned_in": "Articles that mention it", "query": "Words to look for", "results": "results",
        "no_result": "No result.", "previous": "Previous", "next": "Next", "chart": "Chart", "chart_actual": "actual",
        "chart_target": "target", "figures_table": "The figures", "verdict": "Agreement", "what": "Promise",
        "page_not_found": "Page not found", "bad_request": "Bad request", "server_error": "Server error", "independent": "independent",
        "none": "none", "api": "JSON API", "click_record": "Click a highlighted passage to see its record.",
        "record": "Record", "kind_actor": "Kind", "language": "Language", "commitments_about": "Commitments",
        "decided_by": "Decided by", "milestone": "milestone",
        "menu": "Menu", "no_commitment": "No commitment matches these filters.",
        "all_commitments": "See every commitment", "from_year": "from", "by_year": "by",
        "empty_store": "The store holds no article yet: run filiere ingest on some articles.",
        "no_upcoming": "No upcoming deadline.", "no_figures": "No figure.", "metrics_title": "Metrics",
        "no_chart": "No figure of this metric is dated by a year: nothing to draw. The figures are listed below.",
        "no_document_q": "No article matches this search.", "all_documents": "See every article", "name": "Name",
        "no_actor": "No actor matches.", "all_actors": "See every actor",
        "search_hint": "Look for words in the articles' sentences (accents and capitals do not matter).",
        "search_examples": "For example:", "scope": "Scope", "qualifier": "Qualifier", "fact_card": "Figure",
        "milestone_card": "Milestone", "close": "Close", "no_figures_here": "No figure or milestone in this article.",
        "error_404": "This page does not exist, or what it showed is no longer in the store.",
        "error_400": "The address holds a bad parameter.", "error_500": "Something went wrong on our side.",
        "details": "Details", "back_home": "Back to the overview", "definition": "Definition",
        "changes": "What changed", "since": "since", "new_documents": "new articles", "changes_count": "changes",
        "change": "Change", "change_new": "new promise", "change_revised": "revised promise",
        "change_status": "status changed", "change_conflict": "new conflict", "revises": "revises",
        "local_file": "local file", "no_date": "no date", "corrected_by": "corrected by",
        "correct": "Correct", "field": "Field", "new_value": "Right value", "mark_wrong": "wrong: leave it out",
        "merge_into": "Same promise as", "by": "By", "note": "Why", "save": "Save the correction",
        "field_subject": "subject", "field_metric": "metric", "field_kind": "kind (actual or target)",
        "field_year": "year", "field_value": "value", "field_unit": "unit", "field_what": "description",
        "field_commitment_kind": "kind (promise or forecast)", "field_status": "status", "field_deadline": "deadline",
        "field_site": "site", "field_segment": "segment", "field_period": "period",
        "pack": "Industry", "pack_automotive": "automotive", "pack_aeronautics": "aeronautics",
    },
}

STATUS = {
    "fr": {"achieved": "atteint", "achieved_late": "atteint en retard", "missed": "manqué",
           "unverified": "non vérifié", "pending": "en cours", "undated": "sans échéance"},
    "en": {"achieved": "achieved", "achieved_late": "achieved late", "missed": "missed", "unverified": "unverified",
           "pending": "pending", "undated": "undated"},
}

VERDICT = {
    "fr": {"agree_within_rounding": "concordent à l'arrondi près", "disagree": "divergent",
           "differ_in_details": "détails différents"},
    "en": {"agree_within_rounding": "agree within rounding", "disagree": "disagree",
           "differ_in_details": "differ in details"},
}

UNITS = {
    "fr": {"percent": "%", "vehicle": "véhicules", "vehicle/year": "véhicules/an", "job": "emplois",
           "person": "personnes", "model": "modèles", "unit": "unités", "country": "pays", "company": "entreprises"},
    "en": {"percent": "%", "vehicle": "vehicles", "vehicle/year": "vehicles/year", "job": "jobs", "person": "people",
           "model": "models", "unit": "units", "country": "countries", "company": "companies"},
}

APPROX = {
    "fr": {"exact": "", "more_than": "plus de ", "less_than": "moins de ", "about": "environ ", "up_to": "jusqu'à "},
    "en": {"exact": "", "more_than": "over ", "less_than": "under ", "about": "about ", "up_to": "up to "},
}

SCALES = {"fr": ((1e9, "Md"), (1e6, "M")), "en": ((1e9, "bn"), (1e6, "M"))}


def pick_language(asked: str | None, remembered: str | None) -> str:
    """The language asked for in the address, else the one remembered in the cookie, else French."""
    for lang in (asked, remembered):
        if lang in LANGUAGES:
            return lang
    return "fr"


def format_number(value: float | None, lang: str) -> str:
    """157600000000 -> '157,6 Md' (fr) or '157.6 bn' (en); 7500 -> '7 500' / '7,500'."""
    if value is None:
        return "–"
    for scale, word in SCALES[lang]:
        if abs(value) >= scale:
            return f"{_digits(value / scale, lang)} {word}"
    return _digits(value, lang)


def format_value(value: float | None, unit: str | None, approx: str | None, lang: str) -> str:
    """A figure as people read it: 'plus de 500 000 véhicules/an', '65,5 %', '3 Md EUR'."""
    if value is None:
        return "–"
    unit_word = UNITS[lang].get(unit or "", unit or "")
    return f"{APPROX[lang].get(approx or 'exact', '')}{format_number(value, lang)} {unit_word}".strip()


def _digits(value: float, lang: str) -> str:
    """Babel's digits for the language: at most two decimals, none when the value is whole."""
    pattern = "#,##0" if float(value).is_integer() else "#,##0.##"
    return babel_numbers.format_decimal(value, format=pattern, locale=LOCALES[lang])


# Words of records (issue 15): every code the store holds has its words in each language. --------------------

KINDS = {"fr": {"actual": "réalisé", "target": "objectif"}, "en": {"actual": "actual", "target": "target"}}

ACTOR_KINDS = {
    "fr": {"company": "entreprise", "brand": "marque", "country": "pays", "institution": "institution",
           "association": "association", "scope": "périmètre", "person": "personne", "place": "lieu"},
    "en": {"company": "company", "brand": "brand", "country": "country", "institution": "institution",
           "association": "association", "scope": "scope", "person": "person", "place": "place"},
}

REMOVED = {
    "fr": {"advertisement": "publicité", "teaser": "renvoi vers un autre article", "contact": "contact",
           "duplicate_line": "ligne répétée", "duplicate_paragraph": "paragraphe répété"},
    "en": {"advertisement": "advertisement", "teaser": "teaser", "contact": "contact",
           "duplicate_line": "repeated line", "duplicate_paragraph": "repeated paragraph"},
}

# Counted words: (one, many). French puts 0 and 1 in the singular, English only 1.
PLURALS = {
    "fr": {"articles": ("article", "articles"), "facts": ("chiffre", "chiffres"), "milestones": ("jalon", "jalons"),
           "commitments": ("engagement", "engagements"), "mentions": ("mention", "mentions"),
           "independent": ("source indépendante", "sources indépendantes"), "results": ("résultat", "résultats"),
           "actors": ("acteur", "acteurs"), "hits": ("phrase", "phrases")},
    "en": {"articles": ("article", "articles"), "facts": ("figure", "figures"), "milestones": ("milestone", "milestones"),
           "commitments": ("commitment", "commitments"), "mentions": ("mention", "mentions"),
           "independent": ("independent source", "independent sources"), "results": ("result", "results"),
           "actors": ("actor", "actors"), "hits": ("sentence", "sentences")},
}


def count(n: int | None, key: str, lang: str) -> str:
    """'1 source indépendante', '3 sources indépendantes', '0 résultat' (fr) / '0 results' (en)."""
    n = n or 0
    one, many = PLURALS[lang][key]
    singular = n <= 1 if lang == "fr" else n == 1
    return f"{format_number(n, lang)} {one if singular else many}"


@lru_cache(maxsize=4)
def metric_words(pack: str = "automotive") -> dict[str, dict[str, str]]:
    """label_fr, label_en, definition_fr, definition_en of each metric, read from the pack's metrics.toml."""
    from ..domains import packs

    with open(Path(packs.__file__).parent / pack / "metrics.toml", "rb") as handle:
        table = tomllib.load(handle)
    return {name: {k: v for k, v in spec.items() if k.startswith(("label_", "definition_"))}
            for name, spec in table.items() if isinstance(spec, dict)}


def metric_label(metric: str | None, lang: str) -> str:
    """A metric's name for people ('Capacité de production'); a code the pack does not know reads as words."""
    if not metric:
        return ""
    found = metric_words().get(metric, {}).get(f"label_{lang}")
    return found or metric.replace("_", " ").capitalize()


def metric_definition(metric: str, lang: str) -> str:
    return metric_words().get(metric, {}).get(f"definition_{lang}", "")


def format_date(value: Any, lang: str) -> str:
    """'2025-11-13' -> '13 novembre 2025' / 'November 13, 2025'; '2025-11' -> 'novembre 2025'; '2025' -> '2025'.
    A date that does not read stays as it is; none is '–'."""
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return babel_dates.format_date(value, "long", locale=LOCALES[lang])
    text = str(value)
    try:
        if len(text) == 4 and text.isdigit():
            return text
        if len(text) == 7:
            day = dt.date.fromisoformat(text + "-01")
            return babel_dates.format_skeleton("yMMMM", day, locale=LOCALES[lang])
        return babel_dates.format_date(dt.date.fromisoformat(text[:10]), "long", locale=LOCALES[lang])
    except ValueError:
        return text


def format_deadline(d: dict[str, Any] | None, lang: str) -> str:
    """A deadline of a year, quarter or month: '2025', 'T3 2025' / 'Q3 2025', 'mars 2026'."""
    if not d or not d.get("year"):
        return "–"
    if d.get("month"):
        return format_date(f"{d['year']:04d}-{d['month']:02d}", lang)
    if d.get("quarter"):
        return f"{'T' if lang == 'fr' else 'Q'}{d['quarter']} {d['year']}"
    return str(d["year"])
