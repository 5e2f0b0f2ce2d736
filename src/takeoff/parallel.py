"""Run independent chunks of samples in worker processes.

Samples never interact, so a batch cut into chunks gives the same numbers, bit for
bit, in one process or in several. Workers are started with ``spawn`` (safe beside
threads and a loaded JAX, unlike ``fork``); each pays about a second of imports, so
splitting pays from a few thousand samples on. On this project's 2-core machine two
workers run a 10,000-sample batch ~1.6x faster than one process. As with any spawned
pool, a script must start workers under ``if __name__ == "__main__":``, and a script
piped into ``python -`` cannot start them at all (the workers import the script by
its file name).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

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


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` spawned processes to share between calls (None for 1)."""
    if check_workers(workers) == 1:
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
