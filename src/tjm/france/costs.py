"""The company's own yearly costs under each status: accountant, CFE, bank, professional
liability insurance, creation costs spread over years, yearly legal costs.

Each is the user's figure when given, else a sourced default from data/fr-YEAR.toml that the
output labels as an assumption. A status's cost group (tjm.registry) picks its defaults.
"""

from __future__ import annotations

from typing import NamedTuple

from tjm.france.rules import COST_KINDS, CostRules, load_cost_rules
from tjm.registry import STATUSES

KINDS = (*COST_KINDS[:1], "cfe", *COST_KINDS[1:])  # accountant, cfe, bank, insurance, ...


class CostInputs(NamedTuple):
    """The costs the user gave (EUR a year; creation: the whole, spread by the rules);
    None takes the default."""

    accountant: float | None = None
    cfe: float | None = None
    bank: float | None = None
    insurance: float | None = None
    creation: float | None = None
    legal: float | None = None


NO_COSTS = CostInputs()


class CompanyCosts(NamedTuple):
    """One status's yearly company costs, EUR; `assumed` names those tjm assumed."""

    accountant: float
    cfe: float
    bank: float
    insurance: float
    creation: float  # the year's share of the creation costs
    legal: float
    assumed: tuple[str, ...]
    creation_years: int

    @property
    def total(self) -> float:
        return float(sum(getattr(self, k) for k in KINDS))


def cfe_default(c: CostRules, turnover: float) -> float:
    """Return the CFE tjm assumes: the turnover band's middle minimum base at the national
    average rate; nothing at or below the exemption turnover."""
    if turnover <= c.cfe_exempt_up_to:
        return 0.0
    for up_to, low, high in c.cfe_bands:
        if turnover <= up_to:
            return (low + high) / 2 * c.cfe_rate
    low, high = c.cfe_bands[-1][1:]
    return (low + high) / 2 * c.cfe_rate


def cost_steps(year: int) -> tuple[float, ...]:
    """Return the turnovers past which a default cost steps up (the CFE's exemption and band
    edges), in increasing order: between them the costs do not change with the turnover."""
    c = load_cost_rules(year)
    return tuple(sorted({c.cfe_exempt_up_to, *(up_to for up_to, _low, _high in c.cfe_bands)}))


def company_costs(
    year: int, status: str, turnover: float, given: CostInputs = NO_COSTS, first_year: bool = False
) -> CompanyCosts:
    """Return a status's company costs at a turnover; `first_year` (ACRE's year) pays no CFE.

    A status without costs of its own (portage, whose fee covers them; custom, whose charge
    rate does) has none, whatever is given.
    """
    group = STATUSES[status].costs
    c = load_cost_rules(year)
    if group is None or group == "portage":
        return CompanyCosts(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, (), c.creation_years)
    defaults = {
        "accountant": c.accountant[group],
        "cfe": 0.0 if group not in c.cfe_groups or first_year else cfe_default(c, turnover),
        "bank": c.bank[group],
        "insurance": c.insurance[group],
        "creation": c.creation[group],
        "legal": c.legal[group],
    }
    values, assumed = {}, []
    for kind in KINDS:
        mine = getattr(given, kind)
        value = defaults[kind] if mine is None else mine
        if mine is None and value > 0:
            assumed.append(kind)
        values[kind] = value / c.creation_years if kind == "creation" else value
    return CompanyCosts(**values, assumed=tuple(assumed), creation_years=c.creation_years)
