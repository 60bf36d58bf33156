"""The fast word route must cut exactly as jieba does (HMM off): keywords depend on the same words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduread.parse.report import parse_text
from eduread.text.word_route import WordRoute

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HAN = re.compile("[\u4e00-\u9fd5]")


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory):
    """A jieba tokenizer of its own, its cache in a temp dir."""
    import jieba

    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tk.initialize()
    return tk


@pytest.fixture(scope="module")
def router(tokenizer) -> WordRoute:
    return WordRoute(tokenizer.FREQ, tokenizer.total)


def han_words(words) -> list[str]:
    """Words with a Chinese character: jieba's run-merging of single Latin letters leaves them alone."""
    return [w for w in words if HAN.search(w)]


def seed_bodies() -> list[str]:
    return [
        parse_text(p.read_text(encoding="utf-8"), source_name=p.name).body
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def test_seed_bodies_cut_as_jieba(tokenizer, router: WordRoute) -> None:
    bodies = seed_bodies()
    assert len(bodies) == 5
    for body in bodies:
        expected = han_words(tokenizer.cut(body, HMM=False))
        assert len(expected) > 1000
        assert han_words(router.cut(body)) == expected


def test_routes_cover_each_block_without_gaps(router: WordRoute) -> None:
    text = "2020年新增学位4.07万个，（一）教育局T恤 𠀀义务教育优质均衡发展。"
    covered = "".join(text[i : i + n] for i, n in router.route(text))
    assert covered == re.sub("[^\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]", "", text)


def test_variants_cut_as_jieba(tokenizer, router: WordRoute) -> None:
    """Seed text with Latin words, digits, full-width forms and characters beyond 16 bits mixed in."""
    body = seed_bodies()[0][:3000]
    variants = [
        body.replace("教育", "AI教育").replace("学校", "3D学校"),
        body.replace("，", "𠀀").replace("。", "\u3000"),
        body.replace("2019", "２０１９").replace("万", "萬"),
        "".join(reversed(body)),
    ]
    for text in variants:
        assert han_words(router.cut(text)) == han_words(tokenizer.cut(text, HMM=False))


CHARS = "".join(sorted(set(seed_bodies()[2])))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=CHARS + "abcXYZ019 .-+\n𠀀", min_size=0, max_size=120))
def test_any_text_cuts_as_jieba(tokenizer, router: WordRoute, text: str) -> None:
    assert han_words(router.cut(text)) == han_words(tokenizer.cut(text, HMM=False))


def test_a_tie_keeps_the_longer_word_as_jieba_does(tmp_path: Path) -> None:
    """甲 (20) then 乙 (50) scores exactly as 甲乙 (1) out of 1000: jieba keeps the longer word."""
    import jieba

    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("甲 20\n乙 50\n甲乙 1\n丁 929\n", encoding="utf-8")
    tk = jieba.Tokenizer(str(dictionary))
    tk.tmp_dir = str(tmp_path)
    tk.initialize()
    assert tk.total == 1000
    assert tk.lcut("甲乙", HMM=False) == ["甲乙"]
    assert list(WordRoute(tk.FREQ, tk.total).cut("丁甲乙丁")) == tk.lcut("丁甲乙丁", HMM=False)


def test_saved_tables_segment_exactly_as_built(tmp_path) -> None:
    """The cache a one-file import loads instead of rebuilding must give jieba's words all the same."""
    from eduread.text import segment
    from eduread.text.word_route import WordRoute

    dt = segment._jieba().dt
    built = WordRoute(dt.FREQ, dt.total)
    built.save(str(tmp_path / "route.npz"))
    loaded = WordRoute.load(str(tmp_path / "route.npz"))
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert list(loaded.route(text)) == list(built.route(text))
