"""Check income inputs against the billable-day model and the year's rules: days off that
leave billable days, status options that fit the status, and a target net some rate reaches."""

from __future__ import annotations

import datetime as dt

from tjm.dataset.load import load_dataset
from tjm.errors import InputError
from tjm.fields import MAX_FLOOR
from tjm.france.income import prepare, yearly_net
from tjm.i18n import _
from tjm.i18n.formats import format_money, format_short
from tjm.inputs import DAYS_OFF, STATUS_OPTIONS, IncomeInputs, either, status_of, week_share
from tjm.registry import status_short


def check_days_off(working: float, inputs: IncomeInputs, defaults: dict[str, float]) -> None:
    """Refuse days off that leave no billable day; `defaults` fill the parts not given."""
    parts = {
        k: getattr(inputs, k) if getattr(inputs, k) is not None else defaults[k] for k in DAYS_OFF
    }
    if working - sum(parts.values()) <= 0:
        given = tuple(k for k in DAYS_OFF if getattr(inputs, k) is not None) or DAYS_OFF
        raise InputError(
            given,
            _(
                "{holidays} holidays + {sick} sick + {non_billable} non-billable days leave no "
                "billable day out of {working}"
            ).format(
                holidays=format_short(parts["holidays"]),
                sick=format_short(parts["sick"]),
                non_billable=format_short(parts["non_billable"]),
                working=format_short(working),
            ),
            "no-billable-days",
        )


def check_income(inputs: IncomeInputs, today: dt.date, every_status: bool = False) -> IncomeInputs:
    """Apply the rules between income values; with a target, check it can be reached.

    With `every_status` (tjm statuses), each status option goes to its own statuses, so
    neither the status rules nor the target are checked against one status here.
    """
    status = status_of(inputs)
    if inputs.days is not None:
        given = tuple(k for k in (*DAYS_OFF, "days_per_week") if getattr(inputs, k) is not None)
        if given:
            raise InputError(
                ("days", *given),
                _("give either the billable days or the days off, not both"),
                "conflicting-flags",
            )
    else:
        model = load_dataset().billable_days
        scale = week_share(inputs)
        check_days_off(
            model.working_days * scale,
            inputs,
            {
                "holidays": model.holidays * scale,
                "sick": model.sick_days * scale,
                "non_billable": model.non_billable_days * scale,
            },
        )
    if every_status:
        return inputs
    for key, statuses in STATUS_OPTIONS.items():
        # "No versement libératoire" is true of every status that is not micro: no conflict.
        said_no = key == "versement_liberatoire" and inputs.versement_liberatoire is False
        if getattr(inputs, key) is not None and status not in statuses and not said_no:
            if key == "dividend_tax":
                problem = _("{status} pays no dividends; it goes with {statuses}, not {status}")
            else:
                problem = _("goes with {statuses}, not {status}")
            raise InputError(
                (key, "status"),
                problem.format(statuses=either(statuses), status=status),
                "status-mismatch",
            )
    if status == "custom" and inputs.charges_rate is None:
        raise InputError(
            ("charges_rate", "status"),
            _("the custom status needs an overall charge rate (a percentage, e.g. 45)"),
            "missing-value",
        )
    if inputs.target_net is not None:
        check_reachable(inputs, today)
    return inputs


def check_reachable(inputs: IncomeInputs, today: dt.date) -> None:
    """Refuse a target net that no day rate up to MAX_FLOOR reaches."""
    situation, _warnings = prepare(inputs, load_dataset().billable_days, today)
    best = yearly_net(situation, MAX_FLOOR).net
    if best < (inputs.target_net or 0.0):
        raise InputError(
            "target_net",
            _(
                "a net of {target} cannot be reached below {ceiling}/day with {days} billable "
                "days under {status} (at most {best})"
            ).format(
                target=format_money(inputs.target_net or 0.0),
                ceiling=format_money(MAX_FLOOR),
                days=format_short(situation.days.total),
                status=situation.status,
                best=format_money(best),
            ),
            "unreachable-target",
        )


def check_reachable_by_any(inputs: IncomeInputs, statuses: tuple[str, ...], today: dt.date) -> None:
    """Refuse a target net that no day rate up to MAX_FLOOR reaches under any of `statuses`."""
    situation, _warnings = prepare(inputs, load_dataset().billable_days, today)
    nets = {s: yearly_net(situation._replace(status=s), MAX_FLOOR).net for s in statuses}
    best = max(nets, key=nets.__getitem__)
    if nets[best] < (inputs.target_net or 0.0):
        raise InputError(
            "target_net",
            _(
                "a net of {target} cannot be reached below {ceiling}/day with {days} billable "
                "days under any status (at most {best}, as {status})"
            ).format(
                target=format_money(inputs.target_net or 0.0),
                ceiling=format_money(MAX_FLOOR),
                days=format_short(situation.days.total),
                best=format_money(nets[best]),
                status=status_short(best),
            ),
            "unreachable-target",
        )
