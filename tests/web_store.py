"""The store the web tests read: the five seed articles plus a hostile one, ingested once per test session."""
from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = {
    "id": "hostile", "url": "https://example.org/hostile", "date": "2026-11-20",
    "title": f"Renault {SCRIPT} relève son objectif",
    "text": (f"Renault relève son objectif {SCRIPT} pour Tanger.\n\n"
             f"Le groupe Renault vise désormais une capacité de production de 600 000 véhicules par an d'ici 2028. "
             f"{IMG} Selon l'Office des changes, les exportations automobiles ont atteint 160 milliards de dirhams "
             f"en 2025.\n\nLe texte {SCRIPT} et l'image {IMG} doivent rester du texte."),
}
EARLIER = {  # an earlier announcement of the same promise with other figures: a revision chain
    "id": "revision", "url": "https://example.org/revision", "date": "2026-06-01",
    "title": "Renault annonce un objectif de capacité",
    "text": "Le groupe Renault vise une capacité de production de 550 000 véhicules par an d'ici 2027.",
}


@functools.lru_cache(maxsize=1)
def build_store() -> str:
    """Ingest examples/ and the hostile article into a temporary store; returns its path."""
    from filiere.run import ingest_paths
    from filiere.settings import Settings
    from filiere.store import open_store

    folder = Path(tempfile.mkdtemp(prefix="filiere-web-"))
    atexit.register(shutil.rmtree, folder, True)
    hostile = folder / "hostile.jsonl"
    hostile.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (EARLIER, HOSTILE)), encoding="utf-8")
    db = str(folder / "web.db")
    with open_store(db) as store:
        summary = ingest_paths([str(ROOT / "examples"), str(hostile)], store, Settings())
    assert summary.stored == 7, summary.lines()
    return db
