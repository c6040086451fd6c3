"""The words of the dashboard, in French (the default) and English, and how numbers are written in each."""
from __future__ import annotations

LANGUAGES = ("fr", "en")

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
        "changes": "Ce qui a changé", "since": "depuis", "new_documents": "nouveaux articles",
        "changes_count": "changements", "change": "Changement", "change_new": "nouvelle promesse",
        "change_revised": "promesse révisée", "change_status": "statut changé", "change_conflict": "nouvelle divergence",
        "revises": "révise", "local_file": "fichier local", "no_date": "sans date", "corrected_by": "corrigé par",
        "correct": "Corriger", "field": "Champ", "new_value": "Valeur juste", "mark_wrong": "c'est faux : l'écarter",
        "merge_into": "Même promesse que", "by": "Par", "note": "Pourquoi", "save": "Enregistrer la correction",
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
        "changes": "What changed", "since": "since", "new_documents": "new articles", "changes_count": "changes",
        "change": "Change", "change_new": "new promise", "change_revised": "revised promise",
        "change_status": "status changed", "change_conflict": "new conflict", "revises": "revises",
        "local_file": "local file", "no_date": "no date", "corrected_by": "corrected by",
        "correct": "Correct", "field": "Field", "new_value": "Right value", "mark_wrong": "wrong: leave it out",
        "merge_into": "Same promise as", "by": "By", "note": "Why", "save": "Save the correction",
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
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text
