"""Progress bars on stderr for the entry points (index builds and evaluations)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def stage_progress(prefix: str = "") -> Callable[[str, int, int], None]:
    """A ``progress(stage, done, total)`` callback drawing one tqdm bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=f"{prefix}{stage}", unit="passage", file=sys.stderr,
                                     disable=total == 0, leave=True, dynamic_ncols=True)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress
