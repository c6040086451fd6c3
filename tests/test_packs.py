"""Domain packs: every shipped pack loads, and a malformed file fails with the file, the key and the reason."""
import shutil
from pathlib import Path

import pytest

from filiere.domains import packs
from filiere.domains.packs import UNITS, available_packs, load_pack
from filiere.errors import DomainPackError

FACTS_METRICS = {
    "production_capacity", "production_volume", "sales_volume", "exports_value", "exports_volume", "exports_growth",
    "local_integration_rate", "local_sourcing_value", "investment", "jobs_created", "workforce", "market_share",
    "revenue", "ev_sales_share", "charging_points", "models_produced", "suppliers_count", "export_destinations",
    "battery_capacity", "export_share",
}
PACK_ROOT = Path(packs.__file__).parent


def test_packs_every_shipped_pack_loads():
    names = available_packs()
    assert "automotive" in names
    for name in names:
        pack = load_pack(name)
        assert pack.metrics and pack.actors


def test_packs_automotive_metrics_are_the_facts_vocabulary(pack):
    assert {m.name for m in pack.metrics} == FACTS_METRICS
    for metric in pack.metrics:
        assert set(metric.units.values()) <= set(UNITS)
        assert metric.triggers


def test_packs_unknown_pack_lists_available_ones():
    with pytest.raises(DomainPackError, match="unknown domain pack.*available: aeronautics, automotive"):
        load_pack("shipbuilding")


def _copy_pack(tmp_path):
    folder = tmp_path / "mypack"
    shutil.copytree(PACK_ROOT / "automotive", folder)
    return folder


def test_packs_a_pack_folder_path_loads(tmp_path):
    folder = _copy_pack(tmp_path)
    assert load_pack(str(folder)).name == "mypack"


@pytest.mark.parametrize("file, text, message", [
    ("metrics.toml", "[revenue]\nunits = { EUR = \"euros\" }\ntriggers = [\"ca\"]\n",
     r"metrics.toml: key 'revenue.units.EUR': unknown unit 'euros' \(allowed: EUR"),
    ("metrics.toml", "[revenue]\nunits = { EUR = \"EUR\" }\ntriggers = \"ca\"\n",
     r"metrics.toml: key 'revenue.triggers': must be a list of non-empty strings"),
    ("units.toml", "[words]\n", r"units.toml: key 'codes': missing"),
    ("actors.toml", "[[actor]]\nname = \"X\"\n", r"actors.toml: key 'actor\[0\]': needs 'name' and 'kind'"),
    ("metrics.toml", "[revenue\n", r"metrics.toml: not valid TOML"),
])
def test_packs_malformed_file_names_file_key_and_reason(tmp_path, file, text, message):
    folder = _copy_pack(tmp_path)
    (folder / file).write_text(text, encoding="utf-8")
    load_pack.cache_clear()
    with pytest.raises(DomainPackError, match=message):
        load_pack(str(folder))


def test_packs_missing_file_is_named(tmp_path):
    folder = _copy_pack(tmp_path)
    (folder / "units.toml").unlink()
    load_pack.cache_clear()
    with pytest.raises(DomainPackError, match=r"units.toml: file missing from the pack"):
        load_pack(str(folder))
