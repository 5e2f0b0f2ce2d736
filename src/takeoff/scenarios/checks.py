"""``takeoff validate``: every check that ``run`` and ``mc`` make before they simulate.

Loading a scenario already checks each field, the settings, the distributions and the
correlations. What remains are the checks on whole parameter sets: the constraints
between parameters and the model's set-up (the implied savings rate, the user cost of
compute), for the point values that ``run`` uses and for the samples that ``mc`` draws
with its defaults.
"""

from __future__ import annotations

from takeoff.errors import ValidationError
from takeoff.scenarios.loader import Scenario

#: The samples ``takeoff mc`` draws by default (checked the same way here).
MC_SAMPLES, MC_SEED = 1000, 0


def check_scenario(scenario: Scenario, where: str, samples: int = MC_SAMPLES) -> None:
    """Raise the :class:`ValidationError` that ``run`` or ``mc`` (default samples and
    seed) would raise for ``scenario`` before simulating; return None if there is none."""
    from takeoff.params.schema import build_parameters

    point = build_parameters(scenario.point_values(), where=f"{where}: parameters")
    _check_setup(point, scenario, f"{where}: parameters")
    if scenario.distributions:
        from takeoff.uncertainty.montecarlo import sample_scenario

        values, _ = sample_scenario(scenario, samples, MC_SEED)
        where_mc = f"{where}: parameters (Monte Carlo samples, seed {MC_SEED})"
        _check_setup(build_parameters(values, where=where_mc), scenario, where_mc)


def _check_setup(params, scenario: Scenario, where: str) -> None:
    """The model's set-up checks (it computes the initial state, which is cheap)."""
    from takeoff.model.engine.setup import prepare

    try:
        prepare(params, scenario.settings)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}") from None
