"""Parameters of the lab compute-purchase model, each with unit, allowed range and source.

:class:`LabParams` is a frozen pydantic model: the command line, the Python API and the
web endpoint all validate through it, and :func:`make_params` turns a pydantic error into
one :class:`takeoff.errors.ValidationError` line that names the field (or the command-line
option) and its allowed range. Money is in billions of US dollars (``$B``); a flow is per
year. docs/labs.md has the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticError

from takeoff.errors import ValidationError, brief

# Sources quoted in more than one field.
SEED_003 = "seed 003 (Dario Amodei, Dwarkesh Patel podcast, 2026-02-13)"
SEED_002 = "seed 002 (Dwarkesh Patel, 'Questions about the Future of AI')"


def _field(default, *, bounds: tuple[float, float], unit: str, source: str, doc: str):
    """A field whose bounds [lo, hi] pydantic enforces and messages and docs quote."""
    lo, hi = bounds
    return Field(
        default,
        ge=lo,
        le=hi,
        description=doc,
        json_schema_extra={"unit": unit, "range": [lo, hi], "source": source},
    )


class LabParams(BaseModel):
    """Economics of one AI lab that buys compute ahead of demand (docs/labs.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    base_year: int = _field(
        2025,
        bounds=(2000, 2100),
        unit="year",
        source=SEED_003,
        doc="Year of the observed base revenue; simulation starts the year after.",
    )
    base_revenue: float = _field(
        10.0,
        bounds=(0.001, 100_000.0),
        unit="$B/yr",
        source=f"{SEED_003}: Anthropic revenue $1B -> $9-10B in 2025",
        doc="The lab's revenue (= demand served) in the base year.",
    )
    demand_growth: float = _field(
        7.07,
        bounds=(0.2, 50.0),
        unit="x/yr",
        source=f"{SEED_003}: the dilemma is 5x vs 10x a year; default = their geometric midpoint sqrt(50)",
        doc="Median yearly growth factor of demand for the lab's services.",
    )
    trend_sd: float = _field(
        0.35,
        bounds=(0.0, 1.0),
        unit="sd of ln(growth)",
        source="project assumption: 5x and 10x are -1 and +1 sd around sqrt(50) (ln 2 / 2 = 0.35)",
        doc="Uncertainty of the demand growth trend, drawn once per path (persistent).",
    )
    demand_sd: float = _field(
        0.15,
        bounds=(0.0, 1.0),
        unit="sd of ln(growth)",
        source="project assumption (year-to-year noise smaller than the trend uncertainty)",
        doc="Year-to-year shock to demand growth, drawn independently each year.",
    )
    lead_time: int = _field(
        1,
        bounds=(1, 5),
        unit="years",
        source=f"inferred from {SEED_003}: speaking in early 2026 of what to buy for 2027 "
        "('I can't buy $1 trillion a year of compute in 2027')",
        doc="Years between committing to compute and having it online.",
    )
    cost_per_gw_year: float = _field(
        12.5,
        bounds=(0.1, 100.0),
        unit="$B per GW-year",
        source=f"{SEED_003}: each GW costs ~$10-15B per year (midpoint)",
        doc="Cost of holding one GW of AI compute for a year (chips, data centre, power).",
    )
    n_firms: int = _field(
        4,
        bounds=(1, 100),
        unit="firms",
        source=f"{SEED_003}: a few firms in a Cournot-like equilibrium; seed 004 (Amodei): at most 4-5 builders",
        doc="Number of symmetric Cournot competitors selling AI services.",
    )
    demand_elasticity: float = _field(
        0.75,
        bounds=(0.01, 20.0),
        unit="dimensionless",
        source=f"project assumption: with N = 4 gives a 1/3 margin, 'cloud-like' ({SEED_003}); "
        "AWS operating margin was ~27-37% in 2023-2024 (Amazon annual reports)",
        doc="Price elasticity of market demand for AI services (constant).",
    )
    research_share: float = _field(
        0.3,
        bounds=(0.0, 0.95),
        unit="share of compute",
        source=f"project assumption; {SEED_003}: compute not sold goes to research, and a lab that "
        "forecasts demand right is profitable every year (0.3 leaves a ~5% margin)",
        doc="Share of the lab's compute kept for training and research (not sold).",
    )
    other_cost_share: float = _field(
        0.0,
        bounds=(0.0, 0.95),
        unit="share of revenue",
        source="project assumption: at $10-15B per GW-year compute dominates costs",
        doc="Costs other than compute (staff, sales) as a share of revenue.",
    )
    initial_cash: float = _field(
        10.0,
        bounds=(0.0, 100_000.0),
        unit="$B",
        source="project assumption: about one year of 2025 revenue",
        doc="Cash at the end of the base year.",
    )
    borrowing_limit: float = _field(
        100.0,
        bounds=(0.0, 1_000_000.0),
        unit="$B",
        source=f"{SEED_002}: hyperscalers fund ~$100B/yr of capex each against tens of billions of free "
        f"cash flow; {SEED_003}: 'no hedge on earth' covers a shortfall at $1T scale",
        doc="Most the lab can borrow: it is bankrupt when cash falls below -(this + per-revenue part).",
    )
    borrowing_per_revenue: float = _field(
        0.0,
        bounds=(0.0, 10.0),
        unit="$ per $ of yearly revenue",
        source="project assumption (0: financing does not grow with the lab, as the seed argues)",
        doc="Extra borrowing capacity per dollar of the year's revenue.",
    )
    overbuild_margin: float = _field(
        0.2,
        bounds=(0.0, 10.0),
        unit="share of demand",
        source=f"{SEED_003}: compute bought for $1T against $800B of revenue is 25% over",
        doc="A year counts as overbuilt when serving capacity exceeds demand by more than this.",
    )
    anchor: Literal["observed", "plan"] = Field(
        "observed",
        description="'observed': each year's commitment scales the demand seen that year by "
        "buy_growth^lead_time; 'plan': commitments follow base_revenue x buy_growth^t, fixed "
        "at the start.",
        json_schema_extra={
            "unit": "-",
            "range": ["observed", "plan"],
            "source": "project assumption",
        },
    )

    @model_validator(mode="after")
    def _cournot_interior(self):
        if self.n_firms * self.demand_elasticity <= 1:
            raise ValueError(
                f"n_firms x demand_elasticity = {self.n_firms * self.demand_elasticity:g} must "
                "exceed 1 (a Cournot equilibrium with a finite price); raise either"
            )
        return self


def field_info() -> dict[str, dict[str, Any]]:
    """{field: {default, unit, range, source, description}} for tables and docs."""
    out = {}
    for name, info in LabParams.model_fields.items():
        extra = info.json_schema_extra or {}
        out[name] = {
            "default": info.default,
            "unit": extra["unit"],
            "range": extra["range"],
            "source": extra["source"],
            "description": info.description,
        }
    return out


def make_params(values: Mapping[str, Any] | None = None, names: Mapping[str, str] | None = None):
    """Validated :class:`LabParams` from ``values`` (missing ones take their defaults).

    Raises :class:`ValidationError` naming the first bad field (as ``names`` maps it, e.g.
    to a command-line option) with the value given and the allowed range.
    """
    names = dict(names or {})
    try:
        return LabParams(**dict(values or {}))
    except PydanticError as exc:
        raise ValidationError(describe_error(exc, dict(values or {}), names)) from None


def describe_error(exc: PydanticError, values: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One line for the first error of ``exc``: field, value, allowed range and unit."""
    err = exc.errors()[0]
    loc = [str(part) for part in err.get("loc", ())]
    if not loc:  # the cross-field check
        return f"{names.get('demand_elasticity', 'demand_elasticity')}: " + str(
            err["msg"]
        ).removeprefix("Value error, ")
    name = loc[0]
    shown = names.get(name, name)
    info = LabParams.model_fields.get(name)
    if info is None:
        known = ", ".join(names.get(n, n) for n in LabParams.model_fields)
        return f"{shown}: unknown parameter; known: {known}"
    extra = info.json_schema_extra or {}
    lo, hi = extra["range"]
    given = brief(values.get(name))
    if name == "anchor":
        return f"{shown}: {given} must be 'observed' or 'plan'"
    kind = "an integer" if info.annotation is int else "a number"
    return f"{shown}: {given} must be {kind} in [{lo:g}, {hi:g}] ({extra['unit']})"
