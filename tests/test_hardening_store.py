"""Exports keep the store's column types, and the package installs on the Pythons people have (issue 13)."""
import json
import tomllib
from pathlib import Path

import pytest

from filiere.cli import main
from filiere.store import open_store
from filiere.store.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "examples" / "seeds")


def _parquet_schemas(folder):
    import pyarrow.parquet as pq

    return {table: pq.read_schema(folder / f"{table}.parquet") for table in TABLES}


@pytest.mark.issue(13)
def test_store_export_parquet_schema_comes_from_the_store(nlp, tmp_path, capsys):
    """Row 21: types from the store's columns: an empty table keeps them, `quarter` is an integer, and the schema is
    the same whatever the rows."""
    import pyarrow as pa

    empty, full = str(tmp_path / "empty.db"), str(tmp_path / "full.db")
    open_store(empty).close()
    assert main(["ingest", SEEDS, "--db", full]) == 0
    for db in (empty, full):
        assert main(["export", "--db", db, "--format", "parquet", "--out", str(tmp_path / Path(db).stem)]) == 0
    capsys.readouterr()
    before, after = _parquet_schemas(tmp_path / "empty"), _parquet_schemas(tmp_path / "full")
    assert before == after
    facts = before["facts"]
    assert facts.field("quarter").type == pa.int64() and facts.field("year").type == pa.int64()
    assert facts.field("value").type == pa.float64() and facts.field("metric").type == pa.string()
    assert not facts.field("metric").nullable and facts.field("qualifier").nullable
    assert before["document_signatures"].field("signature").type == pa.binary()
    assert before["documents"].field("date").type == pa.string()
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "full" / "facts.parquet")
    assert table.num_rows == 22 and table.column("quarter").null_count == 22


@pytest.mark.issue(13)
def test_store_export_csv_has_an_explicit_schema(tmp_path, capsys):
    """Row 21, CSV: each file has its CSVW metadata (column names, types, required), the same for an empty table."""
    db = str(tmp_path / "empty.db")
    open_store(db).close()
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    meta = json.loads((tmp_path / "out" / "facts.csv-metadata.json").read_text(encoding="utf-8"))
    columns = {c["name"]: c for c in meta["tableSchema"]["columns"]}
    assert meta["url"] == "facts.csv"
    assert columns["quarter"]["datatype"] == "integer" and columns["value"]["datatype"] == "double"
    assert columns["metric"]["datatype"] == "string" and columns["metric"]["required"] is True
    header = (tmp_path / "out" / "facts.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(columns)


@pytest.mark.issue(13)
def test_package_installs_on_python_3_11_to_3_13():
    """Row 20: requires-python admits the Pythons of current Debian and Ubuntu."""
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    supported = SpecifierSet(project["requires-python"])
    assert all(version in supported for version in ("3.11", "3.12", "3.13"))
    assert "3.10" not in supported
