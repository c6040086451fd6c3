"""Our components are spaCy factories: a spaCy user adds them to a pipeline of their own."""
import spacy

from filiere.nlp.pipeline import COMPONENTS


def test_pipeline_components_are_registered_factories():
    for name in ("filiere_lines", *COMPONENTS):
        assert name in spacy.registry.factories.get_all() or name in spacy.Language.component_names() \
            or spacy.Language.has_factory(name)


def test_pipeline_quantities_and_time_in_a_blank_pipeline():
    nlp = spacy.blank("fr")
    nlp.add_pipe("filiere_quantities", config={"pack": "automotive"})
    nlp.add_pipe("filiere_time", config={"pack": "automotive"})
    doc = nlp("Le site produira 500\u00a0000 véhicules par an d'ici 2030.")
    [quantity] = doc.spans["filiere_quantities"]
    [time] = doc.spans["filiere_times"]
    assert (quantity.text, quantity._.filiere_quantity.value, quantity._.filiere_quantity.unit) == ("500\u00a0000 véhicules par an",
                                                                                  500000, "vehicle/year")
    assert (time._.filiere_time.year, time._.filiere_time.role) == (2030, "deadline")


def test_pipeline_full_components_on_a_loaded_model(nlp):
    assert nlp.pipe_names[0] == "filiere_lines"
    assert nlp.pipe_names[-len(COMPONENTS):] == list(COMPONENTS)
    doc = nlp("Renault vise 80 % d'intégration locale d'ici 2030.")
    [fact] = doc._.filiere_facts
    assert (fact.metric, fact.kind, fact.subject, fact.year) == ("local_integration_rate", "target", "Renault Group", 2030)


def test_span_records_kept_at_set_time_are_those_span_underscore_gives(nlp):
    """span_records answers from the pairs our components kept; they are what reading each span's ``_`` gives, and
    a group replaced afterwards (a user's component) is read again."""
    from filiere.nlp.pipeline import SPAN_RECORDS, span_records

    doc = nlp("Selon Renault, l'usine de Tanger a produit 400 000 véhicules en 2023, contre 350 000 en 2022. "
              "Stellantis vise 1 million d'ici 2030.")
    for group, attr in SPAN_RECORDS.items():
        read = [(s, s._.get(attr)) for s in doc.spans[group] if s._.get(attr) is not None]
        assert span_records(doc, group) == read and read, group
    doc.spans["filiere_quantities"] = list(doc.spans["filiere_quantities"])[:1]
    assert [s for s, _ in span_records(doc, "filiere_quantities")] == list(doc.spans["filiere_quantities"])


def _sentence_starts_by_token(doc):
    """mark_lines written as a loop over the tokens: what the component must set."""
    from filiere.nlp.pipeline import SENTENCE_END

    starts = [0] * len(doc)
    for i in range(1, len(doc)):
        previous = doc[i - 1].text
        if "\n" in previous:
            starts[i] = 1
        elif not doc[i - 1].is_space and not previous.endswith(SENTENCE_END):
            starts[i] = -1
    return starts


def test_line_breaks_mark_the_sentence_starts_the_token_loop_marks():
    from spacy.attrs import SENT_START

    from filiere.nlp.pipeline import mark_lines

    nlp = spacy.blank("fr")
    for text in ["Titre\nLe groupe vise 80 % (contre 60 %). Il ajoute : « oui »\r\n\nFin",
                 "Un 🚗 électrique…  puis\u2028une ligne ; encore\n", "a", "", "\n\nx\ny\n"]:
        doc = mark_lines(nlp.make_doc(text))
        if len(doc) > 1:
            assert doc.to_array([SENT_START]).astype("int64").tolist() == _sentence_starts_by_token(doc), text


def test_phrase_matches_are_the_matchers_found_once_per_doc(nlp):
    """The pre-filter and the components after the parse share one PhraseMatcher pass per doc and matcher."""
    from filiere.nlp.pipeline import trigger_matcher
    from filiere.nlp.tokens import phrase_matches

    pack = nlp.get_pipe("filiere_metrics").pack
    matcher, _ = trigger_matcher(nlp.vocab, pack)
    doc = nlp.make_doc("La production a atteint 400 000 véhicules et les exportations 300 000.")
    first = phrase_matches(doc, matcher)
    assert first == list(matcher(doc)) and len(first) >= 2
    assert phrase_matches(doc, matcher) is first  # kept
    other = nlp.make_doc("Les ventes progressent.")
    assert phrase_matches(other, matcher) == list(matcher(other))
