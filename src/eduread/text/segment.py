"""Word segmentation behind one small door, so jieba loads only where words matter."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
STOPWORDS = frozenset(
    "我们 进一步 以及 一是 二是 三是 四是 五是 六是 七是 八是 全面 积极 有效 不断 切实 深入 加快 加强 推进 推动 "
    "开展 实施 落实 完善 建立 健全 提升 提高 工作 坚持 进行 继续 重点 相关 有关 各类 各项 一批 一个 其中 通过 "
    "根据 按照 围绕 着力 努力 确保 力争 全市 全区 全县 全省 我市 我区 我县 今年 明年 全年 目前 已经 没有 可以 "
    "正在 以上 以下 同时 方面 其他 进行 还是 各地 一些 所有 全部 分别 做好 抓好 不断完善".split()
)


def load() -> None:
    """Load jieba's dictionary now (before forking import workers, so they share it)."""
    _jieba()


@lru_cache(maxsize=1)
def _jieba():  # -> module
    import jieba

    from eduread.paths import cache_dir

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir())
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """Chinese words of two or more characters, stop words removed."""
    return [w for w in _jieba().lcut(text, HMM=False) if _WORD.match(w) and w not in STOPWORDS]


def word_counts(text: str, top: int = 200) -> dict[str, int]:
    """The most frequent words of a text with their counts."""
    return dict(Counter(words(text)).most_common(top))
