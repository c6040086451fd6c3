"""The README stays true: its first two commands, every command in it, CI calling its test command."""
import re
from pathlib import Path

from filiere.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_block() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_docs_readme_starts_with_setup_and_test_commands():
    assert README.index("```sh") < README.index("\n## ")
    setup, test = _first_block()
    assert "venv" in setup and "pip install" in setup
    assert "filiere ingest examples" in setup and "filiere track" in setup and setup.endswith("filiere serve --db demo.db")
    assert "pytest" in test


def test_docs_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _first_block()[1] in ci


def test_docs_every_command_is_in_the_readme():
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"filiere {name}" in README


def test_docs_demo_corpus_is_in_the_repository():
    assert len(list((ROOT / "examples" / "seeds").glob("*.txt"))) == 5
