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
