"""The Dask engine of `cleaner batch`: the same `process_chunk` as the local pool, on a cluster.

`DaskRunner` joins the cluster at `scheduler` (`tcp://host:port`) or starts a `LocalCluster` of
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

from ..engine import default_ruleset
from .local import run_ordered
from .rows import Item, Options, process_chunk

CONNECT_TIMEOUT = "20s"  # how long to try reaching `--scheduler`
DASK_MISSING = (
    "--engine dask needs Dask, which is an extra of cleaner: pip install 'cleaner[dask]' "
    "(or pip install -r requirements-dask.txt in a checkout)"
)


class DaskUnavailableError(Exception):
    """Dask cannot be used: not installed, scheduler unreachable, or workers with other rules."""


def rules_fingerprint() -> str:
    """A digest of this process's rules (files, versions, ids, patterns)."""
    rs = default_ruleset()
    desc = [rs.describe(), [(r.id, r.pattern, r.priority) for r in rs.rules]]
    return hashlib.sha256(json.dumps(desc, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _load_rules_plugin() -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class LoadRules(WorkerPlugin):
        """Load the rules once when a worker starts, not on its first chunk."""

        name = "cleaner-load-rules"

        def setup(self, worker: Any) -> None:
            default_ruleset()

    return LoadRules()


def _chunk_task(items: list[Item], options: Options) -> list[tuple[bool, str]]:
    return process_chunk(items, options)


class DaskRunner:
    """A connection to a Dask cluster that cleans chunks: `with DaskRunner(...) as r: r.run(chunks)`.

    Entering connects (or starts a `LocalCluster` of `workers` single-threaded processes on
    loopback) and checks the workers' rules, so a refused cluster stops the run before any output
    is opened. Raises DaskUnavailableError.
    """

    def __init__(self, options: Options, *, workers: int = 2, scheduler: str | None = None,
                 window: int | None = None):
        self.options = options
        self.workers = workers
        self.scheduler = scheduler
        self.window = window
        self.client: Any = None
        self.cluster: Any = None
        self.n_workers = 0

    def __enter__(self) -> DaskRunner:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # the `dask` extra is not installed
            raise DaskUnavailableError(DASK_MISSING) from exc
        try:
            if self.scheduler:
                try:
                    self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
                except OSError as exc:
                    raise DaskUnavailableError(
                        f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                    ) from exc
            else:
                self.cluster = LocalCluster(
                    n_workers=max(1, self.workers), threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None,
                )
                self.client = Client(self.cluster)
            self._check_workers()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _check_workers(self) -> None:
        try:
            self.client.register_plugin(_load_rules_plugin())
            theirs = self.client.run(rules_fingerprint)
        except Exception as exc:
            raise DaskUnavailableError(f"the Dask workers cannot run cleaner: {exc}") from exc
        if not theirs:
            raise DaskUnavailableError(f"the Dask cluster at {self.scheduler} has no workers")
        mine = rules_fingerprint()
        other = sorted(w for w, fp in theirs.items() if fp != mine)
        if other:
            raise DaskUnavailableError(
                f"workers {', '.join(other)} load other rules than this machine (check CLEANER_RULES "
                "and the installed cleaner version on the workers)"
            )
        self.n_workers = len(theirs)

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def run(self, chunks: Iterable[list[Item]]) -> Iterator[list[tuple[bool, str]]]:
        """Rows of every chunk, cleaned on the cluster, in input order."""
        client = self.client
        # Options (with site profiles) go to every worker once, not with every chunk.
        [opts] = client.scatter([self.options], broadcast=True)

        def submit(chunk: list[Item]) -> Any:
            # The chunk goes to a worker as scattered data, not inside the task: data embedded in
            # a task graph is kept in the client's and the scheduler's history of computations,
            # so the driver's memory would grow with every chunk sent.
            [data] = client.scatter([chunk], hash=False)
            return client.submit(_chunk_task, data, opts, pure=False)

        yield from run_ordered(
            chunks, submit, lambda fut: fut.result(), window=self.window or max(4, 4 * self.n_workers)
        )
