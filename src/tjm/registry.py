"""The statuses and the sales channels, each defined once: its id, its label, the options that
belong to it and the rules that tie it to the rest. Every other module reads these tables."""

from __future__ import annotations

from typing import NamedTuple

from tjm.i18n import N_


class Status(NamedTuple):
    """A legal status a freelancer can bill under."""

    id: str
    label: str  # marked with N_: translated where shown
    options: tuple[str, ...] = ()  # the income options that belong to this status only
    micro: bool = False  # the micro-entreprise regime (turnover ceiling, allowance)
    split: bool = False  # a company that pays a salary share, then dividends
    regime: bool = False  # computed in france.regimes from the company's accounts
    suggested: bool = True  # offered as another status to try; CIPAV is for regulated professions
    term: str | None = None  # its official name in the glossary
    # What the contributions buy (tjm.france.protection): micro, micro-cipav, tns (self-employed
    # on a profit), salaried (a president's salary) or portage (a salarié porté); None: unknown.
    scheme: str | None = None
    costs: str | None = None  # its group of company costs in data/fr-YEAR.toml; None: none
    unemployment: str | None = None  # are (unemployment insurance), ati (the flat allowance)


class Channel(NamedTuple):
    """A way of selling: who invoices the client and what it keeps."""

    id: str
    label: str
    options: tuple[str, ...] = ()  # the sales options that belong to this channel only
    status: str | None = None  # the status selling this way implies


_SPLIT_OPTIONS = ("salary_share", "dividend_tax")

STATUSES: dict[str, Status] = {
    s.id: s
    for s in (
        Status(
            "micro-bnc",
            N_("Micro-entrepreneur, liberal activity (BNC, SSI)"),
            ("versement_liberatoire",),
            micro=True,
            term="micro-bnc",
            scheme="micro",
            costs="micro",
            unemployment="ati",
        ),
        Status(
            "micro-bnc-cipav",
            N_("Micro-entrepreneur, regulated liberal profession (CIPAV)"),
            ("versement_liberatoire",),
            micro=True,
            suggested=False,
            scheme="micro-cipav",
            costs="micro",
            unemployment="ati",
        ),
        Status(
            "ei",
            N_("Entreprise individuelle au réel (EI), income tax on the profit"),
            regime=True,
            term="ei",
            scheme="tns",
            costs="ei",
            unemployment="ati",
        ),
        Status(
            "eurl-ir",
            N_("EURL at the income tax, majority manager"),
            regime=True,
            term="eurl-ir",
            scheme="tns",
            costs="eurl",
            unemployment="ati",
        ),
        Status(
            "eurl-is",
            N_("EURL at the corporate tax: remuneration, then dividends"),
            (*_SPLIT_OPTIONS, "capital"),
            split=True,
            regime=True,
            term="eurl-is",
            scheme="tns",
            costs="eurl",
            unemployment="ati",
        ),
        Status(
            "sasu",
            N_("SASU: the president's salary, then dividends"),
            _SPLIT_OPTIONS,
            split=True,
            regime=True,
            term="sasu",
            scheme="salaried",
            costs="sasu",
            unemployment="ati",
        ),
        Status(
            "portage",
            N_("Portage salarial"),
            ("portage_fee", "portage_net"),
            regime=True,
            term="portage-salarial",
            scheme="portage",
            costs="portage",
            unemployment="are",
        ),
        Status(
            "custom",
            N_("Another status: I know my overall charge rate"),
            ("charges_rate",),
            suggested=False,  # it needs the user's own charge rate
        ),
    )
}

CHANNELS: dict[str, Channel] = {
    c.id: c
    for c in (
        Channel("direct", N_("Direct: you invoice the client")),
        Channel(
            "malt",
            N_("Malt: you invoice through Malt, which takes a fee"),
            ("months_with_client",),
        ),
        Channel(
            "esn",
            N_("An ESN or agency: it bills the client and keeps a margin"),
            ("margin",),
        ),
        Channel(
            "portage",
            N_("A portage company: it bills the client and pays you a salary"),
            status="portage",
        ),
    )
}

DEFAULT_STATUS = "micro-bnc"


def statuses_with(option: str) -> tuple[str, ...]:
    """Return the statuses an income option belongs to."""
    return tuple(s.id for s in STATUSES.values() if option in s.options)


def channels_for(status: str | None) -> tuple[str, ...]:
    """Return the channels open to a status (None: not chosen yet, every channel)."""
    return tuple(c.id for c in CHANNELS.values() if status is None or c.status in (None, status))


def status_short(status: str) -> str:
    """Return a status's short official name (micro-BNC, EURL à l’IS, SASU), as a table or a
    message names it; the same in both languages but the custom rates."""
    from tjm.i18n import _
    from tjm.i18n.glossary import TERMS

    if status == "micro-bnc-cipav":
        # TRANSLATORS: the micro-BNC regime with its pension fund
        return _("{regime}, {fund}").format(
            regime=TERMS["micro-bnc"].name, fund=TERMS["cipav"].name
        )
    term = STATUSES[status].term
    return TERMS[term].name if term is not None else _("custom rates")
