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
    _router()


@lru_cache(maxsize=1)
def _jieba():  # -> module
    import jieba

    from eduread.paths import cache_dir

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir())
    jieba.initialize()
    return jieba


ROUTE_FORMAT = 1  # bump when WordRoute's saved tables change shape


@lru_cache(maxsize=1)
def _router():  # -> WordRoute
    """The word-route tables: loaded from the cache dir, or built from jieba's dictionary and saved there.

    Building them (jieba's dictionary, then the packed tables) takes about a second; every import
    process needs them, so a one-file import would otherwise spend most of its time here.
    """
    import os
    from importlib.metadata import version

    from eduread.paths import cache_dir
    from eduread.text.word_route import WordRoute

    path = cache_dir() / f"word_route-{version('jieba')}-{ROUTE_FORMAT}.npz"
    if path.exists():
        try:
            return WordRoute.load(str(path))
        except (OSError, ValueError, KeyError):
            pass  # a damaged or half-written cache is rebuilt below
    dt = _jieba().dt
    route = WordRoute(dt.FREQ, dt.total)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        route.save(str(partial))
        os.replace(partial, path)  # never a half-written cache, even with two processes at once
    except OSError:
        partial.unlink(missing_ok=True)
    return route


def word_counts(text: str, top: int = 200) -> dict[str, int]:
    """The most frequent words of a text with their counts."""
    counts = Counter(text[i : i + n] for i, n in _router().route(text) if n > 1)
    kept = Counter({w: c for w, c in counts.items() if _WORD.match(w) and w not in STOPWORDS})
    return dict(kept.most_common(top))
