"""A live progress display on a terminal for long commands (``export``, ``reextract``):
rich's progress bar, redrawn in place on standard error. Off the terminal (cron, pipes) it
does nothing, so scripts see exactly the output they saw before."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


class TerminalProgress:
    """``with TerminalProgress("exporting", total=n, unit="rows") as progress:`` then
    ``progress.advance()`` per item, ``progress(done)`` with a running count (a plain callback
    for library functions that report how far they are) or ``progress.track(items)``.
    ``enabled=None`` means "when standard error is a terminal"."""

    def __init__(self, description: str, *, total: int | None = None, unit: str = "rows",
                 enabled: bool | None = None) -> None:
        self.description = description
        self.total = total
        self.unit = unit
        self.enabled = stderr_is_terminal() if enabled is None else enabled
        self._progress = None
        self._task = None

    def __enter__(self) -> TerminalProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            columns = [TextColumn("{task.description}")]
            if self.total:
                columns += [BarColumn(), TaskProgressColumn()]
            columns += [MofNCompleteColumn() if self.total else
                        TextColumn("{task.completed}"),
                        TextColumn(self.unit + "  {task.fields[rate]}/s"),
                        TimeElapsedColumn()]
            if self.total:
                columns.append(TimeRemainingColumn())
            self._progress = Progress(*columns, console=Console(stderr=True),
                                      refresh_per_second=4)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=self.total, rate="0")
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def _set(self, **kwargs) -> None:
        if self._progress is None:
            return
        self._progress.update(self._task, **kwargs)
        task = self._progress.tasks[0]
        elapsed = task.elapsed or 0.0
        if elapsed > 0:
            self._progress.update(self._task, rate=f"{task.completed / elapsed:,.0f}")

    def advance(self, n: int = 1) -> None:
        self._set(advance=n)

    def of(self, done: int, total: int) -> None:
        """The running count and the total, once it is known."""
        self._set(completed=done, total=total)

    def __call__(self, done: int) -> None:
        """The running count so far (the callback form)."""
        self._set(completed=done)

    def track(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            yield item
            self.advance()

    def note(self, line: str) -> None:
        """One line above the display (or on standard error without it)."""
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr)
