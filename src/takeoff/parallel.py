"""Run independent chunks of samples in worker processes.

Samples never interact, so a batch cut into chunks gives the same numbers, bit for
bit, in one process or in several. Workers are started with ``spawn`` (safe beside
threads and a loaded JAX, unlike ``fork``); each pays about a second of imports, so
splitting pays from a few thousand samples on. On this project's 2-core machine two
workers run a 10,000-sample batch ~1.6x faster than one process. As with any spawned
pool, a script must start workers under ``if __name__ == "__main__":``, and a script
piped into ``python -`` cannot start them at all (the workers import the script by
its file name).

A Dask cluster takes the place of the process pool inside :func:`using_client` (the
``client=`` keyword of the API, ``--dask ADDRESS`` on the command line): every
:func:`worker_pool` and :func:`map_chunks` in that block sends its chunks to the cluster's
workers instead, with the same chunks and so the same numbers. Dask is optional
(``takeoff[dask]``) and imported only there.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from takeoff.errors import ValidationError

#: Most worker processes a call may ask for.
MAX_WORKERS = 64

#: Why a pool breaks in practice, and what to do about each cause.
NO_START = (
    "workers: the worker processes stopped before finishing. Each worker imports the "
    "main script, so a script that asks for workers > 1 must make that call under "
    '`if __name__ == "__main__":`; a worker may also have run out of memory (fewer '
    "samples per call help). Or use workers=1"
)
#: A script read from standard input cannot be imported by the workers, guarded or not.
FROM_STDIN = (
    "workers: a script piped into `python -` cannot start worker processes (they import "
    "the script by its file name, and it has none); save it to a file and run "
    "`python FILE.py`, or use workers=1"
)


def _check_main_importable() -> None:
    """Refuse before starting workers that could not import ``__main__``."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if main_file is not None and not os.path.isfile(main_file):
        raise ValidationError(FROM_STDIN)


Chunk = TypeVar("Chunk")
Out = TypeVar("Out")


def check_workers(workers: object) -> int:
    """``workers`` as an int in [1, MAX_WORKERS], or a ValidationError naming the field."""
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise ValidationError(f"workers: {workers!r} must be an integer in [1, {MAX_WORKERS}]")
    return workers


#: Seconds to wait for a Dask scheduler to answer (``--dask ADDRESS``).
DASK_CONNECT_TIMEOUT = 10

#: (executor, number of worker threads) of the Dask cluster in use, if any.
_DASK: ContextVar[tuple[Executor, int] | None] = ContextVar("takeoff_dask", default=None)


def dask_executor() -> Executor | None:
    """The executor of the Dask cluster set by :func:`using_client`, or None."""
    active = _DASK.get()
    return None if active is None else active[0]


def effective_workers(workers: int) -> int:
    """Workers to plan chunks for: the Dask cluster's threads inside :func:`using_client`."""
    active = _DASK.get()
    return workers if active is None else max(1, active[1])


def _dask_error(option: str) -> ValidationError:
    return ValidationError(
        f"{option}: Dask is not installed; pip install 'takeoff[dask]' "
        "(in a source checkout: pip install -e '.[dask]')"
    )


@contextmanager
def using_client(client: Any, option: str = "client") -> Iterator[Any]:
    """Run every chunk of the block on the Dask cluster of ``client`` (a
    ``distributed.Client``; None: no change). Chunks are the same as in one process."""
    if client is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise _dask_error(option) from None
    if not isinstance(client, Client):
        raise ValidationError(
            f"{option}: expected a distributed.Client, got {type(client).__name__}"
        )
    threads = sum(client.nthreads().values())
    if threads == 0:
        raise ValidationError(
            f"{option}: the Dask cluster at {client.scheduler.address} has no workers"
        )
    token = _DASK.set((client.get_executor(pure=False), threads))
    try:
        yield client
    finally:
        _DASK.reset(token)


@contextmanager
def dask_cluster(address: str | None, option: str = "--dask") -> Iterator[Any]:
    """Connect to the Dask scheduler at ``address`` and run the block on it
    (:func:`using_client`); None: run locally. Errors name ``option``."""
    if address is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise _dask_error(option) from None
    if not address.strip():
        raise ValidationError(f"{option}: give a scheduler address such as tcp://HOST:8786")
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ValueError for bad URLs
        raise ValidationError(
            f"{option}: could not connect to a Dask scheduler at {address!r} within "
            f"{DASK_CONNECT_TIMEOUT} s ({type(exc).__name__}: {str(exc)[:200]}); start one with "
            "`dask scheduler` and workers with `dask worker ADDRESS` (docs/scale.md)"
        ) from None
    with client, using_client(client, option):
        yield client


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` spawned processes to share between calls (None for 1); inside
    :func:`using_client`, the Dask cluster's executor instead."""
    check_workers(workers)
    if dask_executor() is not None:
        yield dask_executor()
        return
    if workers == 1:
        yield None
        return
    _check_main_importable()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield pool


def map_chunks(
    function: Callable[[Chunk], Out],
    chunks: Sequence[Chunk],
    workers: int,
    on_done: Callable[[int], None] | None = None,
    pool: Executor | None = None,
) -> list[Out]:
    """``[function(chunk) for chunk in chunks]`` in up to ``workers`` processes, in order.

    ``function`` must be importable by name (a module-level function). ``on_done(i)`` is
    called as the first i results are in. Errors raised in a worker are raised here.
    ``pool`` (from :func:`worker_pool`) is used instead of starting new processes.
    """
    results: list[Out] = []
    for result in imap_chunks(function, chunks, workers, pool):
        results.append(result)
        if on_done is not None:
            on_done(len(results))
    return results


def imap_chunks(
    function: Callable[[Chunk], Out],
    chunks: Iterable[Chunk],
    workers: int,
    pool: Executor | None = None,
    ahead: int | None = None,
) -> Iterator[Out]:
    """``function(chunk)`` for each chunk, yielded in order as they are done.

    At most ``ahead`` chunks (default twice the workers) are submitted but not yet
    yielded, and ``chunks`` is read lazily: a caller that streams results (and builds
    chunks on demand) holds a bounded number of them whatever their count. Inside
    :func:`using_client` the chunks run on the Dask cluster.
    """
    check_workers(workers)
    if pool is None:
        pool = dask_executor()
    if pool is None:
        items = chunks if isinstance(chunks, Sequence) else None
        if workers > 1 and (items is None or len(items) > 1):
            size = workers if items is None else min(workers, len(items))
            with worker_pool(size) as own:
                yield from imap_chunks(function, chunks, workers, own, ahead)
            return
        for chunk in chunks:
            yield function(chunk)
        return
    ahead = max(2, 2 * effective_workers(workers)) if ahead is None else max(1, ahead)
    pending: deque = deque()
    source = iter(chunks)
    try:
        for chunk in source:
            try:
                pending.append(pool.submit(function, chunk))
            except BrokenProcessPool:
                raise ValidationError(NO_START) from None
            if len(pending) >= ahead:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
    finally:
        for future in pending:  # an error or an abandoned generator: drop the rest
            future.cancel()


def _result(future) -> Any:
    """A future's result; a broken pool or a lost Dask worker as a clear message."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise ValidationError(NO_START) from None
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":  # distributed.scheduler.KilledWorker
            raise ValidationError(
                "dask: a worker died running a chunk (often out of memory); give the "
                f"workers more memory or use fewer samples per call ({str(exc)[:200]})"
            ) from None
        raise
