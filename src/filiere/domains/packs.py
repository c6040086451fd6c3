"""Load and validate domain packs: the data files that hold all domain knowledge.

A language folder (``fr``) holds phrasing: numbers, approximation cues, time words, claim verbs.
An industry pack (``automotive``) holds metrics, units, actors, milestone words and qualifiers.
Every file is checked when loaded; an error names the file, the key path and the reason.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DomainPackError
from .scope import ScopeVocabulary, Site

LANGUAGE_FILES = ("numbers", "approx", "claims", "kind", "time")
PACK_FILES = ("metrics", "units", "actors", "milestones", "qualifiers", "scope")
APPROX_VALUES = ("more_than", "less_than", "about", "up_to")
TIME_ROLES = ("deadline", "end", "start", "since", "base", "point")
ACTOR_KINDS = ("company", "brand", "country", "institution", "association", "scope")
UNITS = ("EUR", "MAD", "USD", "percent", "vehicle", "vehicle/year", "job", "person", "model", "unit", "country",
         "company", "ha", "MW", "GWh")


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric of the vocabulary and the words that announce it."""

    name: str
    units: dict[str, str]
    triggers: tuple[str, ...]
    context: tuple[str, ...] = ()
    signed: bool = False
    bare_unit: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    negative_triggers: tuple[str, ...] = ()
    share_of: tuple[str, ...] = ()
    national: bool = False
    by_brand: bool = False  # sales and market shares belong to the brand named ('Dacia'), not its group
    restated_as: str | None = None  # a count restating a figure of this metric ('95 %, soit 298 045') is of that one
    without_actor: str | None = None  # the metric of such a figure whose clause names no actor ('none': no fact)


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor, its written forms and the units (plants, subsidiaries, brands) it owns."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    units: tuple[str, ...] = ()
    group: str | None = None  # a brand's group: its figures are the group's, but its sales and shares its own


@dataclass(frozen=True, slots=True, eq=False)
class Phrasing:
    """How a language writes numbers, dates, approximations, targets and claims."""

    name: str
    numbers: dict[str, Any]
    approx: dict[str, list[str]]
    claims: dict[str, Any]
    kind: dict[str, Any]
    time: dict[str, Any]


@dataclass(frozen=True, slots=True, eq=False)
class DomainPack:
    """An industry pack with the phrasing of its language."""

    name: str
    phrasing: Phrasing
    metrics: tuple[Metric, ...]
    units: dict[str, Any]
    actors: tuple[Actor, ...]
    anaphora: dict[str, list[str]]
    distributive: tuple[str, ...]
    default_subject: str
    milestones: dict[str, list[str]]
    qualifiers: tuple[str, ...]
    scope: ScopeVocabulary
    milestone_what: dict[str, str] = field(default_factory=dict)  # subject verb -> description ('sortie de {}')
    other_industries: tuple[str, ...] = ()


def available_packs() -> list[str]:
    """Names of the industry packs shipped with filiere."""
    root = _root()
    return sorted(p.name for p in root.iterdir() if (p / "metrics.toml").is_file())


@lru_cache(maxsize=8)
def load_pack(name: str = "automotive", language: str = "fr") -> DomainPack:
    """Load an industry pack and its language phrasing.

    Args:
        name: a pack folder name, or a path to a folder holding the pack files.
        language: the phrasing folder (``fr``).
    Returns:
        The validated DomainPack.
    Raises:
        DomainPackError: unknown pack, missing file, or a malformed key.
    """
    folder = _pack_folder(name)
    data = {stem: _read_toml(folder / f"{stem}.toml") for stem in PACK_FILES}
    actors = data["actors"]
    return DomainPack(
        name=folder.name,
        phrasing=load_phrasing(language),
        metrics=_metrics(folder / "metrics.toml", data["metrics"]),
        units=_units(folder / "units.toml", data["units"]),
        actors=_actors(folder / "actors.toml", actors),
        anaphora=_string_lists(folder / "actors.toml", actors.get("anaphora", {}), "anaphora"),
        distributive=tuple(_strings(folder / "actors.toml", actors.get("distributive", {}).get("words", []),
                                    "distributive.words")),
        default_subject=str(actors.get("default_subject", "")),
        milestones=_string_lists(folder / "milestones.toml", data["milestones"], ""),
        milestone_what=_milestone_templates(folder / "milestones.toml", data["milestones"].get("subject_verb_what", {}),
                                  data["milestones"].get("subject_verbs", [])),
        qualifiers=tuple(_strings(folder / "qualifiers.toml", data["qualifiers"].get("patterns", []), "patterns")),
        scope=_scope(folder / "scope.toml", data["scope"], {m for m in data["metrics"]}),
        other_industries=tuple(w.lower() for w in _strings(folder / "qualifiers.toml",
                                                            data["qualifiers"].get("other_industries", []),
                                                            "other_industries")),
    )


@lru_cache(maxsize=4)
def load_phrasing(language: str = "fr") -> Phrasing:
    """Load and validate a language folder (``fr``)."""
    folder = _root() / language
    if not folder.is_dir():
        raise DomainPackError(folder, f"no phrasing for language '{language}'", f"available: {_languages()}")
    data = {stem: _read_toml(folder / f"{stem}.toml") for stem in LANGUAGE_FILES}
    _check_keys(folder / "approx.toml", data["approx"].get("approx", {}), APPROX_VALUES, "approx")
    _check_keys(folder / "time.toml", data["time"].get("roles", {}), TIME_ROLES, "roles")
    for key in ("scales", "percent", "number_words"):
        if key not in data["numbers"]:
            raise DomainPackError(folder / "numbers.toml", f"key '{key}': missing")
    return Phrasing(language, data["numbers"], data["approx"]["approx"], data["claims"], data["kind"], data["time"])


def _root() -> Path:
    return Path(str(resources.files("filiere.domains")))


def _languages() -> str:
    return ", ".join(sorted(p.name for p in _root().iterdir() if (p / "numbers.toml").is_file()))


def _pack_folder(name: str) -> Path:
    candidate = Path(name)
    if candidate.is_dir() and (candidate / "metrics.toml").is_file():
        return candidate
    folder = _root() / name
    if not (folder / "metrics.toml").is_file():
        raise DomainPackError(name, "unknown domain pack", f"available: {', '.join(available_packs())}")
    return folder


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DomainPackError(path, "file missing from the pack") from None
    except tomllib.TOMLDecodeError as error:
        raise DomainPackError(path, f"not valid TOML ({error})") from None


def _strings(path: Path, value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DomainPackError(path, f"key '{key}': must be a list of non-empty strings")
    return value


def _string_lists(path: Path, table: dict[str, Any], prefix: str) -> dict[str, list[str]]:
    out = {}
    for key, value in table.items():
        if isinstance(value, list):
            out[key] = _strings(path, value, f"{prefix}.{key}" if prefix else key)
    return out


def _milestone_templates(path: Path, table: Any, verbs: list[str]) -> dict[str, str]:
    """subject_verb_what: each key a subject verb of the file, each value a description holding '{}' once."""
    if not isinstance(table, dict):
        raise DomainPackError(path, "key 'subject_verb_what': must be a table of subject verb -> description")
    for key, value in table.items():
        if key not in verbs:
            raise DomainPackError(path, f"key 'subject_verb_what.{key}': not one of subject_verbs")
        if not isinstance(value, str) or value.count("{}") != 1:
            raise DomainPackError(path, f"key 'subject_verb_what.{key}': must hold '{{}}' (the subject) once")
    return {k.lower(): v for k, v in table.items()}


def _check_keys(path: Path, table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key, value in table.items():
        if key not in allowed:
            raise DomainPackError(path, f"key '{where}.{key}': unknown", f"allowed: {', '.join(allowed)}")
        _strings(path, value, f"{where}.{key}")


def _metrics(path: Path, table: dict[str, Any]) -> tuple[Metric, ...]:
    metrics = []
    for name, spec in table.items():
        units = spec.get("units")
        if not isinstance(units, dict) or not units:
            raise DomainPackError(path, f"key '{name}.units': must map found units to printed units")
        for found, printed in units.items():
            if printed not in UNITS:
                raise DomainPackError(path, f"key '{name}.units.{found}': unknown unit '{printed}'",
                                      f"allowed: {', '.join(UNITS)}")
        metrics.append(Metric(
            name=name, units=dict(units),
            triggers=tuple(t.lower() for t in _strings(path, spec.get("triggers"), f"{name}.triggers")),
            context=tuple(c.lower() for c in _strings(path, spec.get("context", []), f"{name}.context")),
            signed=bool(spec.get("signed", False)), bare_unit=spec.get("bare_unit"),
            min_value=spec.get("min_value"), max_value=spec.get("max_value"),
            negative_triggers=tuple(t.lower() for t in _strings(path, spec.get("negative_triggers", []),
                                                                f"{name}.negative_triggers")),
            share_of=tuple(t.lower() for t in _strings(path, spec.get("share_of", []), f"{name}.share_of")),
            national=bool(spec.get("national", False)), by_brand=bool(spec.get("by_brand", False)),
            restated_as=spec.get("restated_as"), without_actor=spec.get("without_actor"),
        ))
    for metric in metrics:
        for key in ("restated_as", "without_actor"):
            other = getattr(metric, key)
            if other is not None and other not in table and not (key == "without_actor" and other == "none"):
                raise DomainPackError(path, f"key '{metric.name}.{key}': unknown metric '{other}'")
    return tuple(metrics)


def _units(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    for key in ("words", "codes", "per_year", "adjectives", "counts"):
        if key not in table:
            raise DomainPackError(path, f"key '{key}': missing")
    for code, spec in table["codes"].items():
        if not isinstance(spec, dict) or "scale" not in spec or "unit" not in spec:
            raise DomainPackError(path, f"key 'codes.{code}': needs 'scale' and 'unit'")
    return table


def _actors(path: Path, table: dict[str, Any]) -> tuple[Actor, ...]:
    actors = []
    for n, spec in enumerate(table.get("actor", [])):
        if "name" not in spec or "kind" not in spec:
            raise DomainPackError(path, f"key 'actor[{n}]': needs 'name' and 'kind'")
        actors.append(Actor(
            name=spec["name"], kind=spec["kind"],
            aliases=tuple(_strings(path, spec.get("aliases", []), f"actor[{n}].aliases")),
            units=tuple(_strings(path, spec.get("units", []), f"actor[{n}].units")),
            group=spec.get("group"),
        ))
    names = {a.name for a in actors}
    for n, actor in enumerate(actors):
        if actor.kind not in ACTOR_KINDS:
            raise DomainPackError(path, f"key 'actor[{n}].kind': unknown kind '{actor.kind}'",
                                  f"allowed: {', '.join(ACTOR_KINDS)}")
        if actor.group is not None and actor.group not in names:
            raise DomainPackError(path, f"key 'actor[{n}].group': '{actor.group}' is no actor of the pack")
    return tuple(actors)


def _scope(path: Path, table: dict[str, Any], metrics: set[str]) -> ScopeVocabulary:
    """scope.toml: sites, segments, periods, clause breaks, forecast cues, milestones shown done by figures."""
    figures = _phrase_table(path, table.get("milestone_figures", {}), "milestone_figures")
    for metric in figures:
        if metric not in metrics:
            raise DomainPackError(path, f"key 'milestone_figures.{metric}': unknown metric",
                                  f"metrics: {', '.join(sorted(metrics))}")
    def words(section: str, key: str) -> tuple[str, ...]:
        return tuple(_strings(path, _table(path, table.get(section, {}), section).get(key, []), f"{section}.{key}"))

    return ScopeVocabulary(
        sites=_scope_sites(path, table), **_scope_segments(path, table, metrics), **_scope_periods(path, table),
        clause_breaks=words("clauses", "breaks"), clause_punctuation=words("clauses", "punctuation"),
        breaks_before_number=words("clauses", "before_number"),
        forecast_subject_kinds=words("commitment", "forecast_subject_kinds"),
        forecast_cues=words("commitment", "forecast_cues"), milestone_figures=figures,
        site_connectors=words("site_links", "connectors"), site_destinations=words("site_links", "destinations"),
        keyword_ignore=frozenset(words("keywords", "ignore")),
    )


def _scope_sites(path: Path, table: dict[str, Any]) -> tuple[Site, ...]:
    sites = []
    for n, spec in enumerate(_list_of_tables(path, table.get("site", []), "site")):
        if not isinstance(spec.get("name"), str) or not spec["name"]:
            raise DomainPackError(path, f"key 'site[{n}].name': must be a non-empty string")
        phrases = _strings(path, spec.get("phrases", []), f"site[{n}].phrases")
        places = _strings(path, spec.get("places", []), f"site[{n}].places")
        if not phrases and not places:
            raise DomainPackError(path, f"key 'site[{n}]': needs 'phrases' or 'places'")
        sites.append(Site(spec["name"], tuple(phrases), tuple(places)))
    return tuple(sites)


def _scope_segments(path: Path, table: dict[str, Any], metrics: set[str]) -> dict[str, Any]:
    """[segment]: categories, models, what includes what, each model's category, segments kept to some metrics."""
    segment = _table(path, table.get("segment", {}), "segment")
    categories = _phrase_table(path, segment.get("category", {}), "segment.category")
    models = _phrase_table(path, segment.get("model", {}), "segment.model")
    includes = _phrase_table(path, segment.get("includes", {}), "segment.includes")
    for name, parts in includes.items():
        for part in (name, *parts):
            if part not in categories:
                raise DomainPackError(path, f"key 'segment.includes.{name}': '{part}' is not a segment.category",
                                      f"categories: {', '.join(categories)}")
    members = {}
    for category, listed in _phrase_table(path, segment.get("members", {}), "segment.members").items():
        for name in listed:
            if category not in categories or name not in models:
                raise DomainPackError(path, f"key 'segment.members.{category}': '{name}' must be a segment.model "
                                            f"and '{category}' a segment.category")
            members[name] = category
    kept = _phrase_table(path, segment.get("metrics", {}), "segment.metrics")
    for name, listed in kept.items():
        unknown = [m for m in listed if m not in metrics]
        if name not in categories or unknown:
            raise DomainPackError(path, f"key 'segment.metrics.{name}': a segment.category -> metrics of the pack",
                                  f"unknown: {', '.join(unknown) or name}")
    neutral = _table(path, segment.get("neutral", {}), "segment.neutral")
    return {"categories": categories, "models": models, "includes": {k: frozenset(v) for k, v in includes.items()},
            "members": members, "segment_metrics": {k: frozenset(v) for k, v in kept.items()},
            "neutral": tuple(_strings(path, neutral.get("phrases", []), "segment.neutral.phrases"))}


def _scope_periods(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    """[period]: named parts of a year, the cumulative one, months to date, spans of years, articles."""
    period = _table(path, table.get("period", {}), "period")
    names = _phrase_table(path, period.get("names", {}), "period.names")
    if period.get("cumulative") not in names:
        raise DomainPackError(path, "key 'period.cumulative': must name one of period.names", f"names: {', '.join(names)}")
    months = _table(path, period.get("months_to_date", {}), "period.months_to_date")
    years = _table(path, period.get("years", {}), "period.years")
    named = {}
    for count, name in _table(path, months.get("named", {}), "period.months_to_date.named").items():
        if not count.isdigit() or not 1 <= int(count) <= 11 or not isinstance(name, str):
            raise DomainPackError(path, f"key 'period.months_to_date.named.{count}': a month count 1-11 -> a name")
        named[int(count)] = name
    return {"periods": names, "cumulative": period["cumulative"], "months_named": named,
            "months_patterns": _templates(path, months, "period.months_to_date", ("{n}", "{month}")),
            "months_label": _label_template(path, months, "period.months_to_date"),
            "years_patterns": _templates(path, years, "period.years", ("{n}",)),
            "years_label": _label_template(path, years, "period.years"),
            "articles": tuple(_strings(path, period.get("articles", []), "period.articles"))}


def _templates(path: Path, table: dict[str, Any], key: str, holes: tuple[str, ...]) -> tuple[str, ...]:
    patterns = _strings(path, table.get("patterns", []), f"{key}.patterns")
    for pattern in patterns:
        if not any(h in pattern for h in holes):
            raise DomainPackError(path, f"key '{key}.patterns': '{pattern}' needs {' or '.join(holes)}")
    return tuple(patterns)


def _label_template(path: Path, table: dict[str, Any], key: str) -> str:
    label = table.get("label", "{n}")
    if not isinstance(label, str) or "{n}" not in label:
        raise DomainPackError(path, f"key '{key}.label': must be a string holding {{n}}")
    return label


def _table(path: Path, value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DomainPackError(path, f"key '{key}': must be a table")
    return value


def _list_of_tables(path: Path, value: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise DomainPackError(path, f"key '{key}': must be an array of tables ([[{key}]])")
    return value


def _phrase_table(path: Path, value: Any, key: str) -> dict[str, tuple[str, ...]]:
    """A table of name -> list of phrases."""
    return {name: tuple(_strings(path, phrases, f"{key}.{name}")) for name, phrases in _table(path, value, key).items()}
