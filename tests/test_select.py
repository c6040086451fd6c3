"""The pre-filter: only sentences that can hold a record are parsed, and the records do not change."""
from __future__ import annotations

from pathlib import Path

import pytest

from filiere.ingest import prepare, read_path
from filiere.nlp import extract_documents
from filiere.nlp.select import NAMES, PARSE, TOKENS, rough_sentences, selected_share, selection
from filiere.records import Document, RawDocument

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "examples" / "seeds", ROOT / "tests" / "eval" / "dev", ROOT / "tests" / "eval" / "dev2"]


def _documents() -> list[Document]:
    out = []
    for folder in CORPORA:
        for path in sorted(folder.glob("*.txt")):
            out.extend(prepare(item, None) for item in read_path(path) if isinstance(item, RawDocument))
    return out


def _records(extraction) -> list[dict]:
    return [r.to_dict() for r in (*extraction.facts, *extraction.milestones)]


def test_selected_parse_gives_the_records_of_the_full_parse(nlp):
    documents = _documents()
    full = list(extract_documents(documents, nlp, select=False))
    fast = list(extract_documents(documents, nlp, select=True))
    assert [_records(e) for e in fast] == [_records(e) for e in full]
    # unparsed text is cut by punctuation, not by the parser: the same text, a few cuts may differ
    cuts = lambda e: {start for start, _ in e.sentences}
    assert all(len(cuts(f) ^ cuts(s)) <= 0.1 * len(cuts(s)) for f, s in zip(fast, full))
    people = lambda e: {a.name for a in e.actors if a.kind == "person"}  # what ties a story's articles together
    assert [people(e) for e in fast] == [people(e) for e in full]
    assert all({a.name for a in f.actors} <= {a.name for a in s.actors} for f, s in zip(fast, full))


def _doc(nlp, text: str):
    doc = nlp.make_doc(text)
    for name in ("filiere_lines", "filiere_quantities", "filiere_time"):
        nlp.get_pipe(name)(doc)
    return doc


@pytest.mark.parametrize("text, level", [
    ("Le constructeur a produit 345 000 véhicules l'an dernier.", PARSE),
    ("Les exportations ont atteint sept milliards de dirhams.", PARSE),
    ("L'usine verra également le jour à Kénitra avant fin 2027.", PARSE),
    ("Le lancement de la nouvelle citadine est prévu pour le quatrième trimestre 2026.", PARSE),
    ("La cérémonie était présidée par Nadia Benali, ministre de l'Industrie.", NAMES),
    ("Le ministre a salué une avancée majeure pour le Royaume.", TOKENS),
    ("Deux conventions de partenariat ont été signées hier soir.", TOKENS),  # a bare number, no metric word
    ("L'usine assemble désormais trois modèles.", PARSE),  # a bare number and a metric word
    ("Renault Group confirme son ancrage au Maroc.", TOKENS),  # names the pack knows need no recogniser
])
def test_a_sentence_gets_what_it_needs(nlp, pack, text, level):
    doc = _doc(nlp, text)
    assert [lvl for _, _, lvl in selection(doc, pack)[0]] == [level]


def test_rough_sentences_cut_at_final_punctuation_before_a_capital_only(nlp):
    doc = _doc(nlp, "M. Alami dirige le site. Il emploie 3.5 % des salariés.\nLa suite vient. et non ici.")
    texts = [doc[s:e].text.strip() for s, e in rough_sentences(doc)]
    assert texts == ["M. Alami dirige le site.", "Il emploie 3.5 % des salariés.", "La suite vient. et non ici."]


def test_sentences_without_figures_are_not_parsed(nlp, pack):
    text = ("Le salon a réuni les acteurs du secteur à Casablanca.\n"
            "Les visiteurs ont découvert les nouveautés des marques présentes.\n"
            "Le groupe a produit 120 000 véhicules en 2024.")
    [extraction] = extract_documents([Document(doc="d", text=text, source="d", title=None, date=None, date_source=None, language="fr")], nlp)
    assert [f.value for f in extraction.facts] == [120000]
    assert len(extraction.sentences) == 3  # unparsed sentences are still sentences (search, evidence offsets)


def test_selected_share_reports_what_went_through_the_model(nlp, pack):
    from filiere.nlp.select import parse_selected
    docs = [_doc(nlp, "Un texte sans chiffre.\nLe marché a progressé de 12 % en 2024.")]
    parse_selected(nlp, docs, pack)
    share = selected_share(docs)
    assert 0.4 < share < 0.8
    assert docs[0][-3].dep_ != "dep" and docs[0][1].dep_ == "dep"  # parsed sentence vs flat one


@pytest.mark.parametrize("pack_name", ["automotive", "aeronautics"])
def test_grouped_milestone_cues_answer_as_each_cue_alone(pack_name):
    """may_hold_milestone searches all cues in one pattern grouped by first letter; its answer must be the one
    the cues give searched one by one, whatever the case, the accents and the words around."""
    import re

    from filiere.domains.packs import load_pack
    from filiere.nlp.milestones import _cue_sources, may_hold_milestone

    pack = load_pack(pack_name)
    alone = [re.compile(source, re.I) for source in _cue_sources(pack)]
    phrases = [p for key in ("nouns", "object_verbs", "subject_verbs", "done_subject", "done_object")
               for p in pack.milestones.get(key, [])]
    assert len(alone) == len(phrases) > 20
    sentences = [line for path in sorted((ROOT / "examples" / "seeds").glob("*.txt"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for phrase in phrases:
        first, _, rest = phrase.partition(" ")
        sentences += [f"Le constructeur confirme {phrase} du site en 2027.", f"{phrase.upper()} EN 2027",
                      f"{phrase[:1].upper()}{phrase[1:]}, disent-ils.", f"Aucun pré{phrase} ni {phrase}s ici.",
                      f"{first} vraiment {rest} bientôt", f"{first} rapidement {rest}".strip(),
                      f"Rien de tel: {phrase[:-1]}", f"«{phrase}»"]
    answers = [may_hold_milestone(s, pack) for s in sentences]
    assert answers == [any(p.search(s) for p in alone) for s in sentences]
    assert any(answers) and not all(answers)  # both answers occur
