"""Run independent chunks of samples in worker processes.

Samples never interact, so a batch cut into chunks gives the same numbers, bit for
bit, in one process or in several. Workers are started with ``spawn`` (safe beside
threads and a loaded JAX, unlike ``fork``); each pays about a second of imports, so
splitting pays from a few thousand samples on. On this project's 2-core machine two
workers run a 10,000-sample batch ~1.6x faster than one process. As with any spawned
pool, a script must start workers under ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

from takeoff.errors import ValidationError

#: Most worker processes a call may ask for.
MAX_WORKERS = 64

#: Why a pool breaks in practice: a script that starts workers at import time.
NO_START = (
    "workers: the worker processes stopped before finishing. A script that asks for "
    'workers > 1 must do so under `if __name__ == "__main__":` (each worker imports the '
    "script); or use workers=1"
)

Chunk = TypeVar("Chunk")
Out = TypeVar("Out")


def check_workers(workers: object) -> int:
    """``workers`` as an int in [1, MAX_WORKERS], or a ValidationError naming the field."""
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise ValidationError(f"workers: {workers!r} must be an integer in [1, {MAX_WORKERS}]")
    return workers


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` spawned processes to share between calls (None for 1)."""
    if check_workers(workers) == 1:
        yield None
        return
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
    check_workers(workers)
    if pool is None and min(workers, len(chunks)) > 1:
        with worker_pool(min(workers, len(chunks))) as own:
            return map_chunks(function, chunks, workers, on_done, own)
    results: list[Out] = []
    mapped = map(function, chunks) if pool is None else pool.map(function, chunks)
    try:
        for result in mapped:
            results.append(result)
            if on_done is not None:
                on_done(len(results))
    except BrokenProcessPool:
        raise ValidationError(NO_START) from None
    return results
