"""Floating-point details of the per-step code: silenced warnings, 0-d constants.

Several blocks evaluate formulas whose edge cases (ln 0, 0/0, an exponential that
overflows) are expected and selected away with ``where``, so NumPy's warnings for them
are silenced. ``np.errstate`` costs a few microseconds to enter, a noticeable share
of a one-sample step that would enter it ten times, so the NumPy loop enters it once
for the whole run (:func:`silenced`) and the blocks' :func:`quiet` is then free.
For the same reason the step's constant operands are 0-d arrays (``ZERO``...).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

import numpy as np

#: 0-d operands for the per-step code: a Python number costs every NumPy call it is
#: passed to a conversion, a noticeable share of a step with few samples (same values).
ZERO, HALF, ONE = np.array(0.0), np.array(0.5), np.array(1.0)
#: Floor of quantities taken in logs that may be 0 (no AI income, no fleet).
TINY = np.array(1e-300)

_SILENCED: ContextVar[bool] = ContextVar("takeoff_float_warnings_silenced", default=False)
_NOTHING = nullcontext()


def quiet():
    """A context ignoring divide, invalid and overflow warnings (free within :func:`silenced`)."""
    if _SILENCED.get():
        return _NOTHING
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


@contextmanager
def silenced() -> Iterator[None]:
    """Ignore divide, invalid and overflow warnings throughout, and let :func:`quiet` skip its own."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        token = _SILENCED.set(True)
        try:
            yield
        finally:
            _SILENCED.reset(token)
