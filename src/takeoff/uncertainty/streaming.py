"""Monte Carlo summaries accumulated chunk by chunk, for runs too large to hold whole.

Quantiles of the fan series (``QuantileSketch``): exact quantiles need every value, so a
large run keeps, per series and year, a histogram over logarithmic bins instead. Bin k
of a value x != 0 is ``ceil(ln|x| / ln g)`` with g = (1 + a) / (1 - a) and a =
``ALPHA``; the bin (g^(k-1), g^k] is represented by 2 g^k / (g + 1), which is within a
relative a of every value in it: |rep - x| <= a |x| (for normal doubles, |x| > 2.2e-308;
subnormals carry too few digits for it). Zero has a bin of its own (exact),
and negative values mirror the positive bins. The counts give the rank of every value's
bin, so the order statistics x_(i), x_(i+1) that NumPy's default (linear) quantile
interpolates between, at h = (n - 1) q, i = floor(h), are each replaced by their bin's
representative; the estimate then differs from ``np.quantile`` by at most
``a * max(|x_(i)|, |x_(i+1)|)`` (a |exact| when both have the same sign), and it is
clipped to the exact minimum and maximum, which only brings it closer. Counts are
integers, so the result does not depend on how the samples were cut into chunks.

Trajectories (``TrajectoryWriter``): each chunk's yearly series are appended to a
Parquet file as a row group, in the long format of ``takeoff mc --keep-trajectories``
(columns ``sample``, ``year`` and one per kept series), so no more than one chunk is
held at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from takeoff.io_safety import staged_file

#: Relative error bound of a streamed quantile (see the module docstring).
ALPHA = 0.005
_LOG_GAMMA = math.log((1 + ALPHA) / (1 - ALPHA))
#: Added to every nonzero bin so that all of them, down to the smallest subnormal
#: (ln 5e-324 = -744.4, i.e. bin -74,440), are positive and 0 can be the zero bin.
_OFFSET = 80_000
#: ln(2 / (g + 1)): a bin's representative 2 g^k / (g + 1) is exp(k ln g + this).
_LOG_REP = math.log(2.0 / (1.0 + (1 + ALPHA) / (1 - ALPHA)))


def bin_index(values: np.ndarray) -> np.ndarray:
    """Signed bin of each value: 0 for 0, +-(ceil(ln|x| / ln g) + OFFSET) otherwise;
    non-decreasing in x, so counts per bin give ranks."""
    magnitude = np.abs(values)
    with np.errstate(divide="ignore"):
        k = np.ceil(np.log(magnitude) / _LOG_GAMMA)
    k = np.where(magnitude > 0, k + _OFFSET, 0).astype(np.int64)
    return np.where(values < 0, -k, k)


def bin_value(index: np.ndarray) -> np.ndarray:
    """The representative value 2 g^k / (g + 1) of each signed bin (0 for bin 0)."""
    index = np.asarray(index, dtype=np.int64)
    k = (np.abs(index) - _OFFSET).astype(float)
    # In logs, so that the top bin's representative (just under it) does not overflow.
    rep = np.exp(k * _LOG_GAMMA + _LOG_REP)
    return np.where(index == 0, 0.0, np.sign(index) * rep)


class QuantileSketch:
    """Per-year histograms of one series, filled chunk by chunk (see the module)."""

    def __init__(self, n_years: int) -> None:
        self.n_years = n_years
        self.count = 0
        self.lo = 0  # bin of column 0 of ``counts``
        self.counts = np.zeros((n_years, 0), np.int64)
        self.low = np.full(n_years, np.inf)
        self.high = np.full(n_years, -np.inf)

    def add(self, values: np.ndarray) -> None:
        """Count a chunk of values, shape (n_years, m)."""
        if values.shape[0] != self.n_years:
            raise ValueError(f"expected {self.n_years} years, got {values.shape[0]}")
        if values.shape[1] == 0:
            return
        idx = bin_index(values)
        lo, hi = int(idx.min()), int(idx.max())
        if self.counts.shape[1] == 0:
            self.lo, self.counts = lo, np.zeros((self.n_years, hi - lo + 1), np.int64)
        else:
            self._widen(lo, hi)
        width = self.counts.shape[1]
        flat = np.arange(self.n_years)[:, None] * width + (idx - self.lo)
        start, stop = int(flat.min()), int(flat.max()) + 1
        # bincount from the first to the last occupied cell, added in place.
        self.counts.reshape(-1)[start:stop] += np.bincount(
            flat.reshape(-1) - start, minlength=stop - start
        )
        self.count += values.shape[1]
        self.low = np.minimum(self.low, values.min(axis=1))
        self.high = np.maximum(self.high, values.max(axis=1))

    def _widen(self, lo: int, hi: int) -> None:
        old_hi = self.lo + self.counts.shape[1] - 1
        new_lo, new_hi = min(lo, self.lo), max(hi, old_hi)
        if (new_lo, new_hi) == (self.lo, old_hi):
            return
        wider = np.zeros((self.n_years, new_hi - new_lo + 1), np.int64)
        wider[:, self.lo - new_lo : self.lo - new_lo + self.counts.shape[1]] = self.counts
        self.lo, self.counts = new_lo, wider

    def quantiles(self, qs: tuple[float, ...] | np.ndarray) -> np.ndarray:
        """Estimates of ``np.quantile(values, qs, axis=1)``, shape (len(qs), n_years)."""
        n = self.count
        if n == 0:
            raise ValueError("no values counted")
        cum = np.cumsum(self.counts, axis=1)
        out = np.empty((len(qs), self.n_years))
        for j, q in enumerate(qs):
            h = (n - 1) * float(q)
            i = math.floor(h)
            frac = h - i
            first = self._value_at_rank(cum, i)
            second = self._value_at_rank(cum, min(i + 1, n - 1))
            out[j] = first + frac * (second - first)
        return np.clip(out, self.low, self.high)

    def _value_at_rank(self, cum: np.ndarray, rank: int) -> np.ndarray:
        """Representative value of the bin holding the order statistic ``rank`` (0-based)."""
        column = (cum <= rank).sum(axis=1)
        return bin_value(column + self.lo)


class TrajectoryWriter:
    """Append chunks of yearly series to a Parquet file (long format, one row group each)."""

    def __init__(self, path: Path, series: tuple[str, ...]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        fields = [pa.field("sample", pa.int64()), pa.field("year", pa.float64())]
        fields += [pa.field(name, pa.float64()) for name in series]
        self.schema = pa.schema(fields)
        self.series = series
        self.writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self.rows = 0

    def write(self, first_sample: int, years: np.ndarray, kept: dict[str, np.ndarray]) -> None:
        """Samples ``first_sample`` .. + m of a chunk: ``kept[name]`` has shape (n_years, m)."""
        import pyarrow as pa

        m = kept[self.series[0]].shape[1]
        columns = [
            pa.array(np.repeat(np.arange(first_sample, first_sample + m), years.size)),
            pa.array(np.tile(years, m)),
        ]
        columns += [pa.array(kept[name].T.reshape(-1)) for name in self.series]
        self.writer.write_table(pa.Table.from_arrays(columns, schema=self.schema))
        self.rows += m * years.size

    def close(self) -> None:
        self.writer.close()


@contextmanager
def trajectory_file(
    path: Path | None, series: tuple[str, ...], option: str
) -> Iterator[TrajectoryWriter | None]:
    """A :class:`TrajectoryWriter` on a temporary file beside ``path`` that becomes ``path``
    when the block ends without an error (else it is removed); None for no path."""
    if path is None:
        yield None
        return
    with staged_file(path, option) as tmp:
        writer = TrajectoryWriter(tmp, series)
        try:
            yield writer
        finally:
            writer.close()


def repeated(part: tuple, n_samples: int, size: int) -> Iterator[tuple]:
    """One deterministic run's (years, milestones, series, capped) as chunks of ``size``
    that together stand for ``n_samples`` samples."""
    years, milestones, kept, capped = part
    for a in range(0, n_samples, size):
        m = min(size, n_samples - a)
        yield (
            years,
            {k: np.repeat(v, m) for k, v in milestones.items()},
            {k: np.repeat(v, m, axis=1) for k, v in kept.items()},
            np.repeat(capped, m),
        )
