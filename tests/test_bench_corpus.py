"""The benchmark's generated corpus (bench/speed.py): what its recipe promises about copies and dates.

The scale figures of the README rest on these properties: with ``reprints``, about that share of the articles
repeat an article shortly before them; with ``per_day``, a larger corpus covers more days rather than crowding
more articles into the same ones (the story window of a new article then holds a bounded number of articles).
"""
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def speed():
    spec = importlib.util.spec_from_file_location("bench_speed", ROOT / "bench" / "speed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _articles(speed, tmp_path, n, recipe):
    path = tmp_path / "corpus.jsonl"
    speed.build_corpus(n, [path], recipe=recipe)
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def _paragraphs(article):
    return article["text"].split("\n")[1:]


def test_reprints_repeat_a_recent_article_in_the_share_asked(speed, tmp_path):
    articles = _articles(speed, tmp_path, 600, speed.Recipe(reprints=0.25, per_day=10))
    reprints = 0
    for i, article in enumerate(articles):
        mine = _paragraphs(article)
        for j in reversed(range(max(0, i - speed.REPRINT_WINDOW), i)):
            earlier = articles[j]
            if earlier["title"] == article["title"] and len(_paragraphs(earlier)) == len(mine):
                # an edited copy: figures changed, sometimes a sentence dropped; the words mostly the same
                same = sum(len(set(a.split()) & set(b.split())) >= 0.6 * len(set(a.split()))
                           for a, b in zip(mine, _paragraphs(earlier)))
                if same == len(mine):
                    delay = (date.fromisoformat(article["date"]) - date.fromisoformat(earlier["date"])).days
                    assert abs(delay) <= 30  # within a story window (a reprint of a reprint adds up to 3 days)
                    reprints += 1
                    break
    assert 0.18 * len(articles) <= reprints <= 0.32 * len(articles)


def test_articles_a_day_spread_a_larger_corpus_over_more_days(speed, tmp_path):
    small = _articles(speed, tmp_path, 200, speed.Recipe(per_day=20))
    large = _articles(speed, tmp_path, 2000, speed.Recipe(per_day=20))
    for articles in (small, large):
        days = [a["date"] for a in articles]
        assert days == sorted(days)  # no reprints: every article in order
        per_day = max(days.count(d) for d in set(days))
        assert per_day == 20
    span = [(date.fromisoformat(a[-1]["date"]) - date.fromisoformat(a[0]["date"])).days for a in (small, large)]
    assert span == [9, 99]


def test_the_default_corpus_draws_from_the_demo_articles_over_four_years(speed, tmp_path):
    articles = _articles(speed, tmp_path, 300, speed.Recipe())
    years = {a["date"][:4] for a in articles}
    assert years <= {"2023", "2024", "2025", "2026"} and len(years) == 4
    seeds = {p for t in (ROOT / "examples" / "seeds").glob("*.txt") for p in t.read_text(encoding="utf-8").split("\n")}
    titles = {a["title"] for a in articles}
    assert titles <= seeds


def test_paragraphs_of_other_articles_join_the_pool(speed, tmp_path):
    source = tmp_path / "others.jsonl"
    words = "la nouvelle ligne de montage de la ville produira des moteurs électriques pour l'export"
    source.write_text(json.dumps({"text": "Un titre inventé\n" + words + "\n" + words + " encore"}) + "\n",
                      encoding="utf-8")
    articles = _articles(speed, tmp_path, 400, speed.Recipe(sources=(source,)))
    assert any(words in a["text"] for a in articles)
    assert not any(words in a["text"] for a in _articles(speed, tmp_path, 400, speed.Recipe()))
