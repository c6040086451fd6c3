"""The command line, run in-process: bad inputs, formats, exit codes, help."""
import json

import pytest

from filiere.cli import build_parser, main

GOOD = ("Le constructeur a produit 250 000 véhicules en 2023 dans son usine de Tanger, "
        "selon le ministère de l'Industrie.\n")


def _write(folder, name, data):
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.fixture
def corpus(tmp_path):
    _write(tmp_path, "good.txt", GOOD)
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "binary.txt", bytes(range(256)) * 8)
    _write(tmp_path, "legacy.txt", "Les exportations ont atteint 12,5 milliards de dirhams en 2022, "
                                   "selon l’Office des changes — un record.\n".encode("cp1252"))
    lines = [json.dumps({"id": "a1", "text": GOOD, "date": "2024-01-15"}), "{not json", json.dumps({"id": "a3"})]
    _write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    return tmp_path


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def test_cli_bad_files_are_reported_and_others_processed(nlp, corpus, capsys):
    code, records, err = _run(capsys, "extract", str(corpus))
    assert code == 0
    docs = {r["doc"] for r in records if r["type"] == "document"}
    assert docs == {"good", "legacy", "a1"}
    assert "empty.txt: empty file" in err
    assert "binary.txt:" in err and "binary" in err.split("binary.txt:")[1].splitlines()[0]
    assert "feed.jsonl:2:" in err and "feed.jsonl:3:" in err
    assert len(err.strip().splitlines()) == 4


def test_cli_legacy_encoding_read_correctly(nlp, corpus, capsys):
    code, records, _ = _run(capsys, "extract", str(corpus / "legacy.txt"))
    facts = [r for r in records if r["type"] == "fact"]
    assert code == 0
    assert [(f["metric"], f["value"], f["unit"], f["claimed_by"]) for f in facts] == [
        ("exports_value", 12500000000, "MAD", "Office des changes")]
    assert "l’Office des changes — un record" in facts[0]["evidence"]["text"]


def test_cli_exit_code_two_when_nothing_read(nlp, corpus, capsys):
    code, records, err = _run(capsys, "extract", str(corpus / "empty.txt"), str(corpus / "missing.txt"))
    assert code == 2 and records == []
    assert "missing.txt: no such file or folder" in err


def test_cli_date_argument_sets_document_date(nlp, corpus, capsys):
    _, records, _ = _run(capsys, "extract", str(corpus / "good.txt"), "--date", "2024-03-01")
    assert records[0]["date"] == "2024-03-01" and records[0]["date_source"] == "argument"


def test_cli_bad_date_is_a_clear_error(corpus, capsys):
    code = main(["extract", str(corpus), "--date", "03/01/2024"])
    assert code == 2
    assert "--date: '03/01/2024' is not a date" in capsys.readouterr().err


def test_cli_table_format_lists_facts(nlp, corpus, capsys):
    code = main(["extract", str(corpus / "good.txt"), "--format", "table"])
    out = capsys.readouterr().out
    assert code == 0
    assert "production_volume" in out and "250000 vehicle" in out


def test_cli_control_characters_never_reach_the_terminal(nlp, tmp_path, capsys):
    _write(tmp_path, "evil.txt", "Le groupe a vendu 40 000 voitures en 2023.\x1b[2J\x9b31m Fin.\n")
    for fmt in ("jsonl", "table"):
        main(["extract", str(tmp_path), "--format", fmt])
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x9b" not in out


def test_cli_every_command_and_option_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert sub.choices
    for name, command in sub.choices.items():
        assert command.description or command.format_help()
        for action in command._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{name} {action.option_strings} has no help"


def test_cli_too_long_file_is_refused_by_name(tmp_path, capsys):
    _write(tmp_path, "long.txt", "mot " * 200_000)
    assert main(["extract", str(tmp_path)]) == 2
    assert "long.txt: too long for an article (800000 characters; limit 500000)" in capsys.readouterr().err
