"""Which parameters differ between two worldviews, and how they are grouped as players.

A parameter *differs* when its specification differs: a point value against another
value (a parameter a file does not set has the registry default), a distribution against
a value, two distributions with different parameters, or a rank correlation that one
view has and the other has not (or with another rank). Metadata (source, unit, note)
does not count.

Groups are the players of the Shapley game. By default (``by="auto"``) each differing
parameter is its own group when at most ``AUTO_SINGLE`` differ, and parameters are
grouped by model block otherwise; users may name their own groups (the parameters they
leave out are grouped by the rule). Parameters that are rank-correlated in either view
must share a group, so that each group's joint distribution (its copula) is taken whole
from one view: automatic groups linked by a correlation are merged, and user groups that
split one are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from takeoff.errors import ValidationError, brief
from takeoff.params.schema import check_name, registry
from takeoff.scenarios.loader import Scenario
from takeoff.uncertainty.montecarlo import parse_correlations

#: At most this many differing parameters are attributed one by one under ``by="auto"``.
AUTO_SINGLE = 6
#: Most groups accepted (beyond ``shapley.MAX_EXACT``, orders are sampled).
MAX_GROUPS = 24
BY = ("auto", "block", "parameter")
_META = {"source", "unit", "note"}


@dataclass(frozen=True)
class Group:
    """A player: a name and the parameters it swaps."""

    name: str
    parameters: tuple[str, ...]


def specification(scenario: Scenario, name: str) -> tuple:
    """What a scenario says about one parameter, metadata left out (comparable with ==)."""
    if name in scenario.distributions:
        spec = scenario.distributions[name]
        return ("dist", tuple(sorted((k, repr(v)) for k, v in spec.items() if k not in _META)))
    return ("value", float(scenario.values.get(name, registry()[name].default)))


def correlation_pairs(scenario: Scenario) -> dict[frozenset[str], float]:
    """{frozenset({a, b}): Spearman rank} of a scenario's correlations."""
    pairs = parse_correlations(scenario.correlations, set(scenario.distributions))
    return {frozenset(pair): rank for pair, rank in pairs.items()}


def differing(a: Scenario, b: Scenario) -> list[str]:
    """Parameters whose specification or correlations differ, in registry order."""
    out = {name for name in registry() if specification(a, name) != specification(b, name)}
    pa, pb = correlation_pairs(a), correlation_pairs(b)
    for pair in set(pa) | set(pb):
        if pa.get(pair) != pb.get(pair):
            out.update(pair)
    return [name for name in registry() if name in out]


def parse_group(text: str) -> tuple[str, list[str]]:
    """``name=param1,param2`` -> (name, [param1, param2])."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    params = [p.strip() for p in rest.split(",") if p.strip()]
    if not sep or not name or not params:
        raise ValidationError(f"--group {brief(text, 60)}: expected NAME=param1,param2,...")
    if not (name.isprintable() and len(name) <= 40):
        raise ValidationError(f"--group {brief(name, 40)}: a name of at most 40 characters")
    return name, params


def make_groups(
    a: Scenario,
    b: Scenario,
    by: str = "auto",
    user: list[tuple[str, list[str]]] | None = None,
) -> list[Group]:
    """The players for attributing a -> b (see the module docstring)."""
    if by not in BY:
        raise ValidationError(f"--by: {brief(by, 30)} is not one of {', '.join(BY)}")
    diff = differing(a, b)
    if not diff:
        raise ValidationError(
            f"{a.name} and {b.name} specify every parameter alike: nothing to attribute"
        )
    groups: list[Group] = []
    taken: dict[str, str] = {}
    for name, params in user or []:
        if any(g.name == name for g in groups):
            raise ValidationError(f"--group {brief(name, 40)}: named twice")
        for p in params:
            check_name(p, f"--group {name}:")
            if p not in diff:
                raise ValidationError(
                    f"--group {name}: {p} is the same in {a.name} and {b.name} "
                    f"(differing: {', '.join(diff)})"
                )
            if p in taken:
                raise ValidationError(f"--group {name}: {p} is already in group {taken[p]}")
            taken[p] = name
        groups.append(Group(name, tuple(p for p in diff if p in params)))
    n_user = len(groups)
    rest = [p for p in diff if p not in taken]
    if by == "auto":
        by = "parameter" if len(diff) <= AUTO_SINGLE else "block"
    specs = registry()
    keys = list(dict.fromkeys(p if by == "parameter" else specs[p].block for p in rest))
    for key in keys:
        members = tuple(p for p in rest if (p if by == "parameter" else specs[p].block) == key)
        groups.append(Group(key, members))
    groups = _join_correlated(groups, n_user, a, b)
    if len(groups) > MAX_GROUPS:
        raise ValidationError(
            f"{len(groups)} groups: at most {MAX_GROUPS} (use --by block or fewer --group)"
        )
    return groups


def _join_correlated(groups: list[Group], n_user: int, a: Scenario, b: Scenario) -> list[Group]:
    """Merge automatic groups that a rank correlation links; refuse user groups it splits."""
    where = {p: i for i, g in enumerate(groups) for p in g.parameters}
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for view in (a, b):
        for pair in correlation_pairs(view):
            x, y = sorted(pair)
            if x not in where or y not in where:
                continue  # the other parameter is the same in both views: see the docs
            i, j = root(where[x]), root(where[y])
            if i == j:
                continue
            if i < n_user or j < n_user:
                raise ValidationError(
                    f"--group: {x} and {y} are rank-correlated in {view.name}, so they must be "
                    f"in one group (now in {groups[where[x]].name} and {groups[where[y]].name})"
                )
            parent[max(i, j)] = min(i, j)
    merged: dict[int, list[Group]] = {}
    for i, group in enumerate(groups):
        merged.setdefault(root(i), []).append(group)
    return [
        Group("+".join(g.name for g in parts), tuple(p for g in parts for p in g.parameters))
        for parts in merged.values()
    ]
