"""The actors as the dashboard and the API show them (issue 15), built at the store's read side.

The entity recogniser (nlp/) stores what it found; this reads it again for people:
1. **merge** actors whose names differ only by accents, case or apostrophe (Kenitra, Kénitra): one actor, named by
   the variant named most often (accents kept among equals);
2. **drop fragments of organisation names**: a one-word place that each of its articles only ever writes after an
   article or a contraction, inside a longer name ("ministère de l'Industrie et du Commerce", "de l'Emploi et des
   Compétences", "des Petites et Moyennes Entreprises");
3. **type people as people**: a name whose first word is a word of an office or of a ministry's remit ("Budget
   Fouzi Lekjaa") loses it; a name of two or three capitalised words that an article writes after a title
   ("CEO de Renault Group François Provost", "M. X") or before one ("François Provost, directeur général") is a
   person, whatever the recogniser said;
4. **count mentions by every written form**: the name and each alias of the pack, found in each article's text
   (accents and case ignored, but acronyms of up to four letters only in capitals); an actor is listed once an
   article names it, and the pack's actors no article names are left out.
The result is computed once per content of the store (its fingerprint), like the tracker's.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from typing import Any

from ..store import Store

TITLES = ("m.", "mme", "monsieur", "madame", "ministre", "président", "présidente", "directeur", "directrice", "pdg",
          "dg", "ceo", "patron", "patronne", "responsable", "secrétaire", "gouverneur", "chef", "fondateur",
          "fondatrice", "vice-président", "porte-parole", "wali", "délégué", "déléguée", "administrateur")
# words that open a ministry's remit or an office in "ministre délégué au Budget Fouzi Lekjaa"
REMIT = ("budget", "commerce", "industrie", "économie", "finances", "emploi", "compétences", "transport", "énergie",
         "investissement", "intérieur", "équipement", "logistique", "agriculture", "tourisme")
# words the recogniser once took for places: currencies, points of the compass
NOT_ACTORS = ("euros", "euro", "dh", "dhs", "mdh", "mmdh", "dirhams", "dirham", "mad", "usd", "dollars", "nord", "sud",
              "est", "ouest")
ARTICLES = ("du", "des", "de l'", "la", "le", "les", "aux", "et", "l'")

_CACHE: "OrderedDict[tuple, dict[str, Any]]" = OrderedDict()
_LOCK = threading.Lock()


def fold(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe and of space: the key of a name's variants."""
    text = unicodedata.normalize("NFD", text.replace("’", "'").replace("\u00a0", " "))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def _folded_text(text: str) -> str:
    """fold() that keeps every character's offset (one character in, one out)."""
    out = []
    for c in text.replace("’", "'"):
        base = unicodedata.normalize("NFD", c)[:1]
        out.append((base.casefold()[:1] or c) if base else c)
    return "".join(out)


def _pattern(form: str) -> tuple[re.Pattern, bool]:
    """A written form as a whole-word pattern; an acronym (up to four capitals) is matched in capitals only."""
    acronym = len(form) <= 4 and form.isupper()
    body = re.escape(form if acronym else fold(form)).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<![\w-]){body}(?![\w-])"), acronym


def table(store: Store) -> dict[str, Any]:
    """{"actors": [merged actor, ...] most named first, "by_id": {stored id: merged actor}}; cached per content."""
    key = (store.path, store.fingerprint())
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    built = _build(store)
    with _LOCK:
        _CACHE[key] = built
        while len(_CACHE) > 8:
            _CACHE.popitem(last=False)
    return built


def _build(store: Store) -> dict[str, Any]:
    conn = store.conn
    stored = [dict(r) for r in conn.execute("SELECT id, name, kind FROM actors")]
    aliases: dict[int, list[str]] = {}
    for actor_id, alias, role in conn.execute("SELECT actor_id, alias, via FROM actor_aliases"):
        if role == "alias":
            aliases.setdefault(actor_id, []).append(alias)
    found: dict[int, dict[int, int]] = {}  # stored actor -> {document: mentions the recogniser counted}
    for doc_id, actor_id, mentions in conn.execute("SELECT document_id, actor_id, mentions FROM document_actors"):
        found.setdefault(actor_id, {})[doc_id] = mentions
    docs = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, doc, text FROM documents")}
    folded = {d: _folded_text(text) for d, (_, text) in docs.items()}
    raw = {d: text.replace("’", "'") for d, (_, text) in docs.items()}
    pack_ids = set(aliases)

    # 2 and 3: fragments dropped, offices cut off, people typed
    kept = []
    for a in stored:
        name, kind = a["name"], a["kind"]
        if a["id"] not in pack_ids:
            words = name.split()
            if len(words) > 1 and words[0] in ("la", "le", "les") and words[1][:1].isupper():  # "la France"
                words = words[1:]
            while len(words) > 1 and fold(words[0]) in REMIT:
                words = words[1:]
            name = " ".join(words)
            mine = [d for d in found.get(a["id"], {}) if d in docs]
            if len(words) == 1 and (fold(name) in REMIT or fold(name) in NOT_ACTORS or not name[:1].isupper()
                                    or _only_inside_names(name, [raw[d] for d in mine])):
                continue
            if 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and _titled(name, [raw[d] for d in mine]):
                kind = "person"
        kept.append({**a, "name": name, "kind": kind})

    # 1: variants merged (accents, case, a leading article: "L'Europe" is "Europe"); a name that is a written form
    # of one of the pack's actors ("Hands") is that actor
    pack_key = {}
    for a in kept:
        if a["id"] in pack_ids:
            for form in [a["name"], *aliases.get(a["id"], [])]:
                pack_key.setdefault(_key(form), _key(a["name"]))
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in kept:
        key = _key(a["name"])
        groups.setdefault(pack_key.get(key, key) if a["id"] not in pack_ids else key, []).append(a)
    merged, by_id = [], {}
    # 4: mentions by every written form, the longest first: "Renault Group" is not also a mention of "Renault"
    forms_of = {}
    for key, members in groups.items():
        forms = {m["name"] for m in members}
        for m in members:
            forms.update(aliases.get(m["id"], []))
        forms_of[key] = forms
    counts: dict[str, dict[int, int]] = {key: {} for key in groups}
    everything = [(*_pattern(form), key) for form, key in sorted(
        ((form, key) for key, forms in forms_of.items() for form in forms), key=lambda pair: (-len(pair[0]), pair[0]))]
    for d in docs:
        taken: list[tuple[int, int]] = []
        for pattern, acronym, key in everything:
            for found_at in pattern.finditer(raw[d] if acronym else folded[d]):
                start, end = found_at.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                counts[key][d] = counts[key].get(d, 0) + 1
    for key, members in groups.items():
        forms = forms_of[key]
        per_doc = counts[key]
        for m in members:  # what the recogniser found counts too (a pronoun, a form the pack does not list)
            for d, n in found.get(m["id"], {}).items():
                per_doc[d] = max(per_doc.get(d, 0), n)
        if not per_doc:
            continue
        main = max(members, key=lambda m: (sum(found.get(m["id"], {}).values()), m["id"] in pack_ids,
                                           _accented(m["name"]), -m["id"]))
        kinds = [m["kind"] for m in members]
        kind = "person" if "person" in kinds else main["kind"]
        actor = {"id": main["id"], "name": main["name"], "kind": kind, "ids": [m["id"] for m in members],
                 "names": sorted({m["name"] for m in members} | {s["name"] for s in stored if s["id"] in
                                                                 [m["id"] for m in members]}),
                 "aliases": sorted(forms - {main["name"]}), "documents": len(per_doc),
                 "mentions": sum(per_doc.values()), "per_document": {docs[d][0]: n for d, n in per_doc.items()}}
        merged.append(actor)
        for m in members:
            by_id[m["id"]] = actor
    merged.sort(key=lambda a: (-a["documents"], -a["mentions"], fold(a["name"])))
    return {"actors": merged, "by_id": by_id}


def _key(name: str) -> str:
    """fold() without a leading article."""
    return re.sub(r"^(?:la |le |les |l')", "", fold(name))


def _accented(name: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", name))


def _only_inside_names(name: str, texts: list[str]) -> bool:
    """Each time an article writes the word, it follows an article or a contraction ('du Commerce', 'de l'Emploi',
    'des Compétences'): a piece of a longer name, never a place on its own."""
    seen = False
    for text in texts:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            before = text[max(0, m.start() - 6):m.start()].lower()
            if not any(before.endswith(f" {a} " if not a.endswith("'") else f" {a}") or
                       before.endswith(f"{a}") and a.endswith("'") for a in ARTICLES):
                return False
            seen = True
    return seen


def _titled(name: str, texts: list[str]) -> bool:
    """An article writes a title just before the name or just after it, after a comma."""
    titles = "|".join(re.escape(t) for t in TITLES)
    before = re.compile(rf"(?i)(?<![\w-])(?:{titles})(?:\s+(?:de|du|des|d'|délégué|chargé|au|à|la|l')?\s*[\w'-]+){{0,4}}"
                        rf"\s+{re.escape(name)}(?![\w-])")
    after = re.compile(rf"{re.escape(name)}\s*,\s*(?:le |la |l')?(?i:{titles})")
    return any(before.search(t) or after.search(t) for t in texts)


def page(store: Store, offset: int = 0, limit: int = 50, kind: str | None = None,
         q: str | None = None) -> dict[str, Any]:
    """Merged actors, most named first, filtered by kind and by a piece of a name (accents ignored)."""
    items = [a for a in table(store)["actors"] if kind in (None, a["kind"])
             and (not q or any(fold(q) in fold(n) for n in [a["name"], *a["aliases"]]))]
    shown = [{"id": a["id"], "name": a["name"], "kind": a["kind"], "documents": a["documents"],
              "mentions": a["mentions"]} for a in items[offset:offset + limit]]
    return {"items": shown, "total": len(items)}


def one(store: Store, actor_id: int) -> dict[str, Any] | None:
    """One merged actor (reached by the id of any of its variants): the store's record of each variant, joined;
    mentions per article by every written form."""
    actor = table(store)["by_id"].get(actor_id)
    if actor is None:
        return store.actor(actor_id)
    parts = [store.actor(i) for i in actor["ids"]]
    parts = [p for p in parts if p]
    facts = {f["id"]: f for p in parts for f in p["facts"]}
    milestones = {m["id"]: m for p in parts for m in p["milestones"]}
    documents: dict[str, dict[str, Any]] = {}
    for p in parts:
        for d in p["documents"]:
            known = documents.setdefault(d["doc"], {**d, "mentions": 0, "as_subject": 0, "as_source": 0})
            known["as_subject"] += d["as_subject"]
            known["as_source"] += d["as_source"]
    rows = store.conn.execute("SELECT doc, title, date FROM documents").fetchall()
    info = {r[0]: {"doc": r[0], "title": r[1], "date": r[2]} for r in rows}
    for doc, n in actor["per_document"].items():
        documents.setdefault(doc, {**info.get(doc, {"doc": doc}), "mentions": 0, "as_subject": 0, "as_source": 0})
        documents[doc]["mentions"] = n
    docs = sorted(documents.values(), key=lambda d: (str(d.get("date") or ""), d["doc"]), reverse=True)
    roles = {"mentions": actor["mentions"], "as_subject": sum(d["as_subject"] for d in docs),
             "as_source": sum(d["as_source"] for d in docs)}
    return {"type": "actor", "id": actor["id"], "name": actor["name"], "kind": actor["kind"],
            "aliases": actor["aliases"], "variants": [n for n in actor["names"] if n != actor["name"]],
            "roles": roles, "documents": docs,
            "facts": sorted(facts.values(), key=lambda f: (f["year"] or 0, f["id"])),
            "milestones": sorted(milestones.values(), key=lambda m: (m["year"] or 0, m["id"]))}
