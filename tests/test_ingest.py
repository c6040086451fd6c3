"""Reading and cleaning: encodings, formats, folders, boilerplate, repeats, titles, dates, language.

Every text here is invented for the tests.
"""
import json

import pytest

from filiere.errors import InputError
from filiere.ingest import iter_paths, prepare, read_path
from filiere.ingest.clean import clean_text, extract_title
from filiere.ingest.dates import infer_publication_date
from filiere.ingest.lang import detect_language
from filiere.records import RawDocument

ARTICLE = "Le Maroc a exporté 157,6 milliards de dirhams en 2024 — selon l’Office, un niveau jamais atteint."
PARAGRAPH = ("Le constructeur a confirmé son intention de renforcer la production locale de composants "
             "électroniques dans sa nouvelle usine de la zone franche de Kénitra.")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_read_text_in_each_encoding(tmp_path, encoding):
    text = ARTICLE if encoding != "latin-1" else ARTICLE.replace("—", "-").replace("’", "'")
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    [doc] = list(read_path(path))
    assert doc.text.strip() == text
    assert doc.doc == "article" and doc.format == "text"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n\t\n", "empty file"),
    (bytes(range(256)) * 4, "binary file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(300), "binary file"),
])
def test_read_bad_files_raise_with_file_and_reason(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"bad.txt: {reason}"):
        list(read_path(path))


def test_read_jsonl_broken_lines_do_not_stop_the_file(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "x1", "text": ARTICLE, "date": "2024-05-02", "title": "Un record"}), "{oops",
             json.dumps(["not", "an", "object"]), json.dumps({"id": "x4"}),
             json.dumps({"id": "x5", "html": f"<html><body><article><p>{PARAGRAPH}</p></article></body></html>"})]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_path(path))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [d.doc for d in docs] == ["x1", "x5"]
    assert docs[0].date == "2024-05-02" and docs[0].title == "Un record"
    assert "électroniques" in docs[1].text
    assert errors == [f"{path}:2: line is not valid JSON (Expecting property name enclosed in double quotes)",
                      f"{path}:3: line is not a JSON object", f"{path}:4: record has no 'text' or 'html'"]


def test_read_html_main_text_title_and_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Titre du site</title><meta property='og:title' content='Kénitra accélère'>"
        "<meta property='article:published_time' content='2023-09-14T10:00:00'></head><body>"
        "<nav>Accueil | Économie | Sport</nav><article><h1>Kénitra accélère</h1>"
        f"<p>{PARAGRAPH}</p><p>{ARTICLE}</p></article><footer>Tous droits réservés</footer></body></html>",
        encoding="utf-8")
    [doc] = list(read_path(path))
    assert doc.title == "Kénitra accélère" and doc.date == "2023-09-14"
    assert "Accueil" not in doc.text and "157,6 milliards" in doc.text


def test_read_html_without_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Accueil</nav></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="empty.html: no article text found in HTML"):
        list(read_path(path))


def test_read_folders_recursively_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "a.txt", ".git/x.txt", ".hidden.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])] == ["a.txt", "b/2.txt"]
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_paths([tmp_path / "missing"]))


@pytest.mark.parametrize("marker", ["Advertisement", "- Advertisement -", "× Advertisement", "PUBLICITÉ", "Sponsorisé"])
def test_clean_ad_markers_and_their_teasers(marker):
    text = f"Auto Plus Magazine\n{marker}\nLa citadine électrique qui change tout\n\n{PARAGRAPH}"
    cleaned, removed = clean_text(text)
    assert cleaned == PARAGRAPH
    assert {r.reason for r in removed} == {"advertisement"} and len(removed) == 3


@pytest.mark.parametrize("line", ["Lire aussi I Tanger Med bat un nouveau record",
                                  "Lire aussi : la filière câblage recrute", "À lire aussi - Le salon de l'auto",
                                  "Voir aussi : nos articles", "Read also: Morocco's car exports"])
def test_clean_teaser_lines(line):
    cleaned, removed = clean_text(f"{PARAGRAPH}\n{line}\n{ARTICLE}")
    assert cleaned == f"{PARAGRAPH}\n{ARTICLE}"
    assert [r.reason for r in removed] == ["teaser"]


@pytest.mark.parametrize("line", ["🌐 www.exemple.ma 📧 contact@exemple.ma 📞 +212600000000",
                                  "Contact : info@garage-exemple.com", "Tél. : 05 22 00 00 00"])
def test_clean_contact_lines(line):
    cleaned, removed = clean_text(f"{PARAGRAPH}\n{line}")
    assert cleaned == PARAGRAPH and [r.reason for r in removed] == ["contact"]


def test_clean_repeated_paragraphs_and_lines_keep_the_first():
    curly = PARAGRAPH.replace("'", "’")
    text = f"Un titre court\n{PARAGRAPH}\n{ARTICLE}\n\nUn titre court\n{curly}\n{ARTICLE}\nFin du texte."
    cleaned, removed = clean_text(text)
    assert cleaned == f"Un titre court\n{PARAGRAPH}\n{ARTICLE}\n\nFin du texte."
    assert sorted(r.reason for r in removed) == ["duplicate_line", "duplicate_paragraph", "duplicate_paragraph"]


def test_clean_keeps_a_normal_article_with_headings():
    text = f"Un partenariat en pleine accélération\n\n{PARAGRAPH}\n\n\n\nLe Maroc, un modèle\n{ARTICLE}\n  \n\t\n"
    cleaned, removed = clean_text(text)
    assert cleaned == f"Un partenariat en pleine accélération\n\n{PARAGRAPH}\n\nLe Maroc, un modèle\n{ARTICLE}"
    assert removed == []


@pytest.mark.parametrize("text, title", [
    (f"Le Maroc accélère sur l'électrique\n{PARAGRAPH}", "Le Maroc accélère sur l'électrique"),
    (f"{PARAGRAPH}\nSuite.", None),
    (f"Une phrase courte qui finit par un point.\n{PARAGRAPH}", None),
])
def test_clean_title_of_plain_text(text, title):
    assert extract_title(text) == title


@pytest.mark.parametrize("text, date", [
    ("La rencontre du 13 octobre 2025 à Rabat a réuni les industriels.", "2025-10-13"),
    ("Les discussions entamées en septembre 2024 se poursuivent; la rencontre du 2 février 2025 les a conclues.",
     "2025-02-02"),
    ("Lundi 3 mars 2025, le ministre a visité l'usine.", "2025-03-03"),
    ("Le 1er juin 2024, la ligne a démarré.", "2024-06-01"),
    ("L'usine ouvrira d'ici décembre 2027, après un lancement prévu pour le 5 mai 2026.", None),
    ("Les ventes ont progressé en 2024.", None),
    ("The plant opened on 4 March 2023, in March 2023.", "2023-03-04"),
])
def test_docdates_earliest_date_the_content_allows(text, date):
    assert infer_publication_date(text) == date


@pytest.mark.parametrize("text, code", [
    (ARTICLE + " " + PARAGRAPH, "fr"),
    ("Morocco's car exports reached a record high last year, according to the foreign exchange office.", "en"),
    ("Bonjour", "und"),
])
def test_lang_detection(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("raw_date, argument, content, expected", [
    ("2024-01-05T10:00", "2023-01-01", "", ("2024-01-05", "metadata")),
    (None, "2023-01-01", "", ("2023-01-01", "argument")),
    (None, None, " La réunion du 13 octobre 2025 a eu lieu.", ("2025-10-13", "content")),
    (None, None, "", (None, None)),
])
def test_prepare_date_sources_in_order(raw_date, argument, content, expected):
    raw = RawDocument(doc="d", text=ARTICLE + content, source="s", date=raw_date)
    doc = prepare(raw, argument)
    assert (doc.date, doc.date_source) == expected
    assert doc.language == "fr"


def test_a_search_index_date_marker_is_the_date_not_the_text():
    raw = " date 2019-01 Le groupe a produit 400 000 véhicules en 2018."
    document = prepare(RawDocument(doc="d", text=raw, source="index.jsonl"))
    assert (document.date, document.date_source) == ("2019-01", "metadata")
    assert "date 2019-01" not in document.text and document.text.strip().startswith("Le groupe")
    assert document.text.index("400 000") == raw.index("400 000")  # offsets still point into the same places
    assert [r.reason for r in document.removed][:1] == ["date marker"]
    dated = prepare(RawDocument(doc="d", text=raw, source="index.jsonl", date="2019-01-17"))
    assert dated.date == "2019-01-17"  # the record's own metadata wins
    plain = prepare(RawDocument(doc="d", text="La date de sortie 2019 reste à fixer.", source="t.txt"))
    assert plain.text.startswith("La date de sortie")
