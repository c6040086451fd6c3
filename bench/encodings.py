"""How often a French text saved in a legacy encoding is read back exactly (issue 13, row 8).

200 French texts are built from the demo articles' sentences and from sentences invented here (no other
article's text), one to six sentences each, so short texts (the hardest to detect) are well represented.
Each is written in cp1252, Latin-1, UTF-16 LE and BE (with and without a byte order mark), read back
through ``filiere.ingest.read.decode`` (what every plain-text file goes through), and compared with the
original. A text that cannot be written in an encoding (Latin-1 has no ’, œ or €) is first written with
that encoding's own characters ('  oe  EUR), as a person saving it there would get.

    .venv/bin/python bench/encodings.py            # the share read back exactly, per encoding
    .venv/bin/python bench/encodings.py --show 3   # and the first 3 misreadings of each encoding
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from filiere.errors import InputError  # noqa: E402
from filiere.ingest.read import decode  # noqa: E402

SEEDS = ROOT / "examples" / "seeds"
INVENTED = [
    "La cérémonie d'inauguration s'est déroulée à Tanger en présence du ministre.",
    "Être ou ne pas être équipementier : voilà la question que se posent les PME.",
    "L'usine a été agrandie ; la capacité passera à 300 000 véhicules.",
    "Où en est l'intégration locale ? Les élus réclament un état des lieux précis.",
    "Les salariés ont reçu une prime de 2 000 dirhams à la fin de l'été.",
    "« Nous créerons 1 500 emplois », a déclaré le directeur général.",
    "Le cœur de la filière bat désormais à Kénitra, où l'œuvre continue.",
    "Le coût d'un véhicule électrique dépasse encore 250 000 € en moyenne.",
    "Déjà, les premières pièces sortent des chaînes — un succès salué.",
    "Près de 40 % des composants sont fabriqués au Maroc, selon l'Amdie.",
    "À l'horizon 2030, le Royaume vise un million de véhicules par an.",
    "Ça bouge à Meknès : un équipementier français y installe son siège.",
    "L'ingénieur, âgé de 32 ans, a piloté l'extension du site de Melloussa.",
    "Les délégués ont évoqué la sûreté des installations et la qualité de l'air.",
    "Un théâtre, une crèche et un gymnase s'ajoutent au complexe résidentiel.",
    "Noël approche : les concessionnaires prévoient une hausse des ventes.",
    "Le procès-verbal a été signé hier soir à la préfecture de Kénitra.",
    "Grâce à l'accord, la société exportera vers l'Égypte et la Côte d'Ivoire.",
    "Le chiffre d'affaires a crû de 12,5 % ; l'exercice s'annonce bon.",
    "Faut-il s'inquiéter ? Les experts répondent « non » à l'unanimité.",
    "Le délai de livraison s'est allongé : comptez trois à quatre mois.",
    "Le réseau ferroviaire relie désormais l'usine au port de Tanger Med.",
    "Une quarantaine d'ingénieurs suivent une formation en électronique de puissance.",
    "Les bâtiments, certifiés « haute qualité environnementale », ouvriront en mai.",
]
# what a person saving in Latin-1 gets for characters Latin-1 lacks
LATIN1_FORMS = {"’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "—": "-", "–": "-", "œ": "oe", "Œ": "OE",
                "€": "EUR", "\u202f": "\xa0"}
CP1252_FORMS = {"\u202f": "\xa0"}
ENCODINGS = {  # name -> (how to write the text, the characters the encoding lacks)
    "cp1252": (lambda t: t.encode("cp1252"), CP1252_FORMS),
    "latin-1": (lambda t: t.encode("latin-1"), LATIN1_FORMS),
    "utf-16-le": (lambda t: t.encode("utf-16-le"), {}),
    "utf-16-be": (lambda t: t.encode("utf-16-be"), {}),
    "utf-16-le+bom": (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), {}),
    "utf-16-be+bom": (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), {}),
}


def sentences() -> list[str]:
    """Sentences of the demo articles (those with at least one accented letter) and the invented ones."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if re.search(r"[À-ÿœ’]", s)]
    return found + INVENTED


def texts(n: int = 200, seed: int = 13) -> list[str]:
    """n texts of one to six sentences; a third are a single short sentence."""
    rng = random.Random(seed)
    pool = sentences()
    out = []
    for i in range(n):
        k = 1 if i % 3 == 0 else rng.randint(2, 6)
        out.append(" ".join(rng.sample(pool, k)))
    return out


def read_back(text: str, write, forms: dict[str, str]) -> tuple[bool, str, str]:
    """(read back exactly, what was expected, what was read)."""
    expected = text.translate(str.maketrans(forms)) if forms else text
    try:
        got = decode(write(expected), "bench")
    except InputError as error:
        got = f"<refused: {error.reason}>"
    return got == expected, expected, got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of texts (default: 200)")
    parser.add_argument("--show", type=int, default=0, help="print the first N misreadings of each encoding")
    args = parser.parse_args()
    corpus = texts(args.n)
    print(f"{len(corpus)} French texts ({min(map(len, corpus))} to {max(map(len, corpus))} characters)")
    for name, (write, forms) in ENCODINGS.items():
        results = [read_back(t, write, forms) for t in corpus]
        exact = sum(ok for ok, _, _ in results)
        print(f"{name:14} {exact:4}/{len(corpus)} read back exactly ({exact / len(corpus):.1%})")
        for ok, expected, got in [r for r in results if not r[0]][:args.show]:
            print(f"    expected: {expected[:90]!r}\n    read:     {got[:90]!r}")


if __name__ == "__main__":
    main()
