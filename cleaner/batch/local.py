"""The local engine: a pool of worker processes (or this process) with a bounded window."""

from __future__ import annotations

import contextlib
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..engine import default_ruleset
from .rows import Item, Options, Rows, process_chunk


def run_ordered(
    chunks: Iterable[list[Item]],
    submit: Callable[[list[Item]], Any],
    result: Callable[[Any], list[tuple[bool, str]]],
    window: int,
) -> Iterator[list[tuple[bool, str]]]:
    """Submit chunks with at most `window` in flight; yield their rows in input order.

    Memory stays bounded by `window` chunks whatever the input size, unlike `Pool.imap`, whose
    feeder thread reads the whole input ahead.
    """
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


_WORKER_OPTIONS: Options | None = None


def _init_worker(options: Options) -> None:
    """Pool initializer: keep the options (and site profiles) once per process; load rules once.

    Workers ignore SIGINT and SIGTERM: Ctrl-C reaches the whole process group,
    and the driver alone decides (it terminates the pool), so no worker dies half-way through
    a chunk on its own.
    """
    global _WORKER_OPTIONS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM sent to the whole process group (a supervisor) is the driver's to handle, as
    # Ctrl-C is: it stops the workers itself (`abandon`), so none dies half-way through writing
    # a result, and none prints a traceback.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _WORKER_OPTIONS = options
    default_ruleset()


def _worker_chunk(items: list[Item]) -> Rows:
    assert _WORKER_OPTIONS is not None
    return process_chunk(items, _WORKER_OPTIONS)


def run_local(chunks: Iterable[list[Item]], options: Options, workers: int) -> Iterator[Rows]:
    """Rows of every chunk with a pool of `workers` processes (in this process when 1)."""
    if workers <= 1:
        default_ruleset()
        for chunk in chunks:
            yield process_chunk(chunk, options)
        return
    import multiprocessing as mp

    # fork: workers start at once and share the parent's loaded modules; spawn where no fork.
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    pool = ctx.Pool(workers, initializer=_init_worker, initargs=(options,))
    try:
        yield from run_ordered(
            chunks, lambda c: pool.apply_async(_worker_chunk, (c,)), lambda r: r.get(), window=workers * 4
        )
    except BaseException:  # Ctrl-C, SIGTERM, a write error, the consumer gone: stop the workers now
        abandon(pool)
        raise
    pool.close()
    pool.join()


def abandon(pool: Any) -> None:
    """Stop a pool whose results are no longer wanted, without waiting on its queues.

    `Pool.terminate()` joins the thread that reads results, and that read never ends when a
    worker died half-way through writing one (a SIGTERM to the whole process group, a kill):
    the run would hang instead of stopping. The rows already written are complete, so here the
    workers are killed, the pool makes no new ones, and its threads (daemons) and queues are
    left to the process's exit.
    """
    import time
    from multiprocessing import pool as mp_pool

    handler = getattr(pool, "_worker_handler", None)
    notifier = getattr(pool, "_change_notifier", None)
    deadline = time.monotonic() + 5
    while True:
        if handler is not None:
            handler._state = mp_pool.TERMINATE  # no replacement workers from now on
        if notifier is not None:
            with contextlib.suppress(Exception):
                notifier.put(None)  # wake the handler, so it sees the state and stops
        procs = list(getattr(pool, "_pool", []))
        for p in procs:
            with contextlib.suppress(Exception):
                p.kill()
        for p in procs:
            with contextlib.suppress(Exception):
                p.join(timeout=1)
        if handler is not None:
            handler.join(timeout=0.2)
        settled = handler is None or not handler.is_alive()
        if (settled and not any(p.is_alive() for p in getattr(pool, "_pool", []))) \
                or time.monotonic() > deadline:
            break
    finalizer = getattr(pool, "_terminate", None)
    if finalizer is not None:
        finalizer.cancel()  # or exit would run terminate() and hang the same way
