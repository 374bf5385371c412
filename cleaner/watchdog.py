"""The time budget enforced inside every loop: `guard(deadline)` around one document's cleaning.

The stages check their `Deadline` between steps; a long loop inside one step (100,000 blocks,
a rule over a huge line) would run on past it. `guard` registers the calling thread with one
watchdog thread per process; once the budget is spent, and a short grace (`GRACE_S`) after it
in which a stage's own check ends the work with its message, the watchdog raises `DeadlineExceeded`
in that thread (CPython's `PyThreadState_SetAsyncExc`: delivered at the next bytecode, so
within milliseconds in Python code), and again every 50 ms in case a broad `except` swallowed
it. A pending exception is cleared when the guarded block ends, under the same lock, so it can
never escape into the caller after `guard` has returned. Code in C (a regex, the HTML parser)
is not interrupted: those are kept linear and bounded by RE2 and the input caps
(`cleaner/limits.py`) instead.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from typing import Any

from .errors import DeadlineExceeded

REPEAT_S = 0.05
GRACE_S = 0.25  # the stages' own checks come first: the watchdog is for a loop that never checks
_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.c_void_p)  # the type's address, or NULL to clear
_EXC = id(DeadlineExceeded)  # CPython: id() is the object's address; the class lives for ever


class _Watch:
    __slots__ = ("end", "fired", "frame", "live", "tid")

    def __init__(self, end: float, tid: int, frame: Any):
        self.end, self.tid, self.live, self.fired, self.frame = end, tid, True, 0, frame


def _inside(watch: _Watch) -> bool:
    """Whether the watched thread still runs the function that entered the guard."""
    f = sys._current_frames().get(watch.tid)
    while f is not None:
        if f is watch.frame:
            return True
        f = f.f_back
    return False


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
                    if due <= now and w.live and w.fired and not _inside(w):
                        # One of ours landed as the guard was left, so it could not stop us:
                        # the thread has moved on, and is left alone.
                        w.live = False
                        self.watches.discard(w)
                        continue
                    if due <= now and w.live:
                        w.fired += 1
                        _set_async_exc(w.tid, _EXC)
                        due = w.end + w.fired * REPEAT_S
                    wait = due - now if wait is None else min(wait, due - now)
                self.cond.wait(None if wait is None else max(wait, 0.001))


_DOG = _Watchdog()


class guard:  # noqa: N801 (used as `with guard(deadline):`, like a function)
    """Run the block under `deadline` (anything with `.end` on the monotonic clock and `.budget`).

    The watchdog raises again every 50 ms, so one of its exceptions may land while an earlier one
    is leaving the block (seen when unwinding a big page takes longer than that): on the way out
    the watch is stopped first, then taken back however often that happens, and a bare
    exception from the watchdog gets its message. One may even land as `__exit__` is entered,
    before it can stop the watch: the watchdog fires again only while the thread is still in
    the function that entered the guard, and `cleaner.clean` gives a bare one its message."""

    __slots__ = ("deadline", "watch")

    def __init__(self, deadline: Any):
        self.deadline = deadline
        self.watch: _Watch | None = None

    def __enter__(self) -> None:
        # An asynchronous exception lands at any bytecode, a finalizer's too (where CPython can
        # only print it): the grace lets the stages' cooperative check end the work first.
        self.watch = _Watch(self.deadline.end + GRACE_S, threading.get_ident(), sys._getframe(1))
        _DOG.add(self.watch)

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None, tb: Any) -> bool:
        watch = self.watch
        assert watch is not None
        watch.live = False  # the watchdog fires at this thread no more
        while True:
            try:
                _DOG.remove(watch)  # and takes back one that fired but was not delivered yet
                break
            except DeadlineExceeded:  # delivered here, before the lock was taken: take back again
                pass
        if not isinstance(exc, DeadlineExceeded) or exc.args:
            return False  # no error, another error, or the stages' own check with its message
        raise DeadlineExceeded(f"cleaning took longer than the {self.deadline.budget:g} s budget") from None


__all__ = ["guard"]
