"""The time budget enforced inside every loop: `guard(deadline)` around one document's cleaning.

The stages check their `Deadline` between steps; a long loop inside one step (100,000 blocks,
a rule over a huge line) would run on past it. `guard` registers the calling thread with one
watchdog thread per process; once the budget is spent the watchdog raises `DeadlineExceeded`
in that thread (CPython's `PyThreadState_SetAsyncExc`: delivered at the next bytecode, so
within milliseconds in Python code), and again every 50 ms in case a broad `except` swallowed
it. A pending exception is cleared when the guarded block ends, under the same lock, so it can
never escape into the caller after `guard` has returned. Code in C (a regex, the HTML parser)
is not interrupted: those are kept linear and bounded by RE2 and the input caps
(`cleaner/limits.py`) instead.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import DeadlineExceeded

REPEAT_S = 0.05
_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.c_void_p)  # the type's address, or NULL to clear
_EXC = id(DeadlineExceeded)  # CPython: id() is the object's address; the class lives for ever


class _Watch:
    __slots__ = ("end", "fired", "live", "tid")

    def __init__(self, end: float, tid: int):
        self.end, self.tid, self.live, self.fired = end, tid, True, 0


class _Watchdog:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.watches: set[_Watch] = set()
        self.thread: threading.Thread | None = None

    def add(self, watch: _Watch) -> None:
        with self.cond:
            self.watches.add(watch)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="cleaner-watchdog", daemon=True)
                self.thread.start()
            self.cond.notify()

    def remove(self, watch: _Watch) -> None:
        with self.cond:
            watch.live = False
            self.watches.discard(watch)
            if watch.fired:  # raised but maybe not delivered yet: take it back
                _set_async_exc(watch.tid, None)

    def _run(self) -> None:
        with self.cond:
            while True:
                now = time.monotonic()
                wait = None
                for w in list(self.watches):
                    due = w.end + w.fired * REPEAT_S
                    if due <= now and w.live:
                        w.fired += 1
                        _set_async_exc(w.tid, _EXC)
                        due = w.end + w.fired * REPEAT_S
                    wait = due - now if wait is None else min(wait, due - now)
                self.cond.wait(None if wait is None else max(wait, 0.001))


_DOG = _Watchdog()


@contextmanager
def guard(deadline: Any) -> Iterator[None]:
    """Run the block under `deadline` (anything with `.end` on the monotonic clock and `.budget`)."""
    watch = _Watch(deadline.end, threading.get_ident())
    _DOG.add(watch)
    try:
        yield
    except DeadlineExceeded as exc:
        if exc.args:  # the stages' own check, with its message
            raise
        raise DeadlineExceeded(f"cleaning took longer than the {deadline.budget:g} s budget") from None
    finally:
        _DOG.remove(watch)


__all__ = ["guard"]
