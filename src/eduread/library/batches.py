"""Long upkeep over many reports, done a batch at a time so an interrupt keeps whole batches."""

from __future__ import annotations

from collections.abc import Callable


def in_batches(
    nums: list[int],
    size: int,
    work: Callable[[list[int]], object],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Call work on consecutive slices of nums (each one transaction), reporting (done, total)."""
    for start in range(0, len(nums), size):
        work(nums[start : start + size])
        if progress:
            progress(min(start + size, len(nums)), len(nums))
    return len(nums)
