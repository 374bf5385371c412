"""The Dask engine of `cleaner batch`: the same `process_chunk` as the local pool, on a cluster.

`run_dask` joins the cluster at `scheduler` (`tcp://host:port`) or starts a `LocalCluster` of
`workers` single-threaded processes on loopback. The driver keeps reading the input and holds at
most `window` chunks in flight, so memory stays bounded on both sides; rows come back in input
order. A worker plugin loads the rules once per worker process when it starts, and the driver
checks that every worker has the same rules as itself before any record is sent: a cluster whose
workers run another version of the rules would write different output without it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .batch import Item, Options, process_chunk, run_ordered


class DaskUnavailableError(Exception):
    """Dask cannot be used: not installed, scheduler unreachable, or workers with other rules."""


def rules_fingerprint() -> str:
    """A digest of this process's rules (files, versions, ids, patterns)."""
    from .engine import default_ruleset

    rs = default_ruleset()
    desc = [rs.describe(), [(r.id, r.pattern, r.priority) for r in rs.rules]]
    return hashlib.sha256(json.dumps(desc, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _load_rules_plugin() -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class LoadRules(WorkerPlugin):
        """Load the rules once when a worker starts, not on its first chunk."""

        name = "cleaner-load-rules"

        def setup(self, worker: Any) -> None:
            from .engine import default_ruleset

            default_ruleset()

    return LoadRules()


def _chunk_task(items: list[Item], options: Options) -> list[tuple[bool, str]]:
    return process_chunk(items, options)


def run_dask(
    chunks: Iterable[list[Item]],
    options: Options,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    window: int | None = None,
) -> Iterator[list[tuple[bool, str]]]:
    """Rows of every chunk, cleaned on Dask, in input order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a runtime dependency
        raise DaskUnavailableError("--engine dask needs `pip install 'dask[distributed]'`") from exc

    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise DaskUnavailableError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        else:
            cluster = LocalCluster(
                n_workers=max(1, workers), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None,
            )
            client = Client(cluster)
    except DaskUnavailableError:
        raise
    except Exception as exc:
        raise DaskUnavailableError(f"cannot start Dask: {exc}") from exc
    try:
        client.register_plugin(_load_rules_plugin())
        mine = rules_fingerprint()
        theirs = client.run(rules_fingerprint)
        if not theirs:
            raise DaskUnavailableError(f"the Dask cluster at {scheduler} has no workers")
        other = sorted(w for w, fp in theirs.items() if fp != mine)
        if other:
            raise DaskUnavailableError(
                f"workers {', '.join(other)} load other rules than this machine (check CLEANER_RULES "
                "and the installed cleaner version on the workers)"
            )
        n = len(theirs)
        # Options (with site profiles) go to every worker once, not with every chunk.
        [opts] = client.scatter([options], broadcast=True)
        # pure=False: two chunks with equal content are still two tasks in their own places.
        yield from run_ordered(
            chunks,
            lambda c: client.submit(_chunk_task, c, opts, pure=False),
            lambda fut: fut.result(),
            window=window or max(4, 4 * n),
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
