"""Income inputs: what a freelancer must net, and under which status."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("micro-bnc", "micro-bnc-cipav", "portage", "custom")
HOUSEHOLDS = ("single", "couple")


@dataclass(frozen=True)
class IncomeInputs:
    """The income side of a profile; every field is optional until a floor is asked for."""

    status: str | None = None
    target_net: float | None = None
    days: float | None = None
    holidays: float | None = None
    sick: float | None = None
    non_billable: float | None = None
    expenses: float | None = None
    household: str | None = None
    children: int | None = None
    versement_liberatoire: bool | None = None
    portage_fee: float | None = None
    charges_rate: float | None = None
    year: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)
