"""Progress bars on stderr for the entry points (index builds and evaluations)."""

from __future__ import annotations

import sys
from typing import Any


class StageProgress:
    """A ``progress(stage, done, total)`` callback drawing one tqdm bar per stage on stderr.

    Call :meth:`close` when the work ends, also when it fails: a bar left open has no
    newline after it, so an error message printed next would be glued to the bar.
    """

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = self._bars[stage] = tqdm(total=total, desc=f"{self.prefix}{stage}", unit="passage",
                                           file=sys.stderr, disable=total == 0, leave=True, dynamic_ncols=True)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    def close(self) -> None:
        """End every bar still drawn (each ends its line); safe to call more than once."""
        for bar in self._bars.values():
            bar.close()


def stage_progress(prefix: str = "") -> StageProgress:
    """A progress callback with one bar per stage on stderr (see :class:`StageProgress`)."""
    return StageProgress(prefix)
