"""The local engine: a pool of worker processes (or this process) with a bounded window."""

from __future__ import annotations

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

    Workers ignore SIGINT and die quietly on SIGTERM: Ctrl-C reaches the whole process group,
    and the driver alone decides (it terminates the pool), so no worker dies half-way through
    a chunk on its own.
    """
    global _WORKER_OPTIONS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The driver may turn SIGTERM into KeyboardInterrupt (`cleaner batch`); a worker keeps the
    # default action, so `pool.terminate()` and a SIGTERM to the group end it without a traceback.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
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
    except BaseException:  # Ctrl-C, a write error, the consumer gone: stop the workers now
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()
