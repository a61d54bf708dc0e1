"""One year's French rules, read from data/fr-YEAR.toml, and the income tax they set.

Micro and income-tax figures (Rules) and the figures for the other statuses (RegimeRules)
each carry the id of their legal source; a malformed file is a DataError. These files ship
with tjm, so their errors are for its developers and stay in English.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import Any, NamedTuple

from tjm import files
from tjm.errors import DataError
from tjm.fields import available_years
from tjm.i18n import _
from tjm.notices import Notice

BASES = ("gross", "t1", "t2", "cet")  # the salary slices a general-scheme contribution bears on


class Bracket(NamedTuple):
    start: float
    rate: float


class TaxShares(NamedTuple):
    """The quotient familial's shares: a household's base, then a share per child."""

    single: float
    couple: float
    first_children: int  # how many children add first_child_share each
    first_child_share: float
    further_child_share: float


class Rules(NamedTuple):
    """One year's French rules, each figure as read from data/fr-YEAR.toml."""

    year: int
    contribution_rate: float
    cipav_rate: float
    cfp_rate: float
    vl_rate: float
    vl_limit: float
    turnover_ceiling: float
    vat_threshold: float
    vat_tolerance: float  # the higher threshold: VAT from the day it is crossed
    ceiling_years: int  # consecutive years over the micro ceiling that end the regime
    allowance_rate: float
    allowance_minimum: float
    brackets: tuple[Bracket, ...]
    decote_single: float
    decote_couple: float
    decote_rate: float
    half_share_cap: float
    shares: TaxShares
    scale_note: str  # English in the file; the catalogue translates it (tools/catalog.py)
    portage_fee_default: float
    portage_net_share_of_turnover: tuple[float, float]
    sources: dict[str, str]  # figure -> source id


class Contribution(NamedTuple):
    """One general-scheme contribution on a salary: rates and the slice of salary it bears on."""

    name: str
    employer: float
    employee: float
    base: str  # gross, t1 (up to PASS), t2 (PASS to 8 PASS) or cet (all up to 8 PASS, above PASS)


class SsiRules(NamedTuple):
    """Self-employed (TNS) contribution figures; ceilings are multiples or shares of PASS."""

    sickness_points: tuple[tuple[float, float], ...]
    sickness_rate_above_5_pass: float
    sickness_minimum_base: float
    daily_allowance_rate: float
    daily_allowance_cap: float
    pension_base_rate: float
    pension_base_rate_above: float
    pension_minimum_base: float  # EUR
    pension_complementary_rate: float
    pension_complementary_ceiling: float  # EUR
    pension_complementary_rate_above: float
    pension_complementary_cap: float
    invalidity_rate: float
    invalidity_minimum_base: float
    family_points: tuple[tuple[float, float], ...]
    csg_deductible: float
    csg_non_deductible: float
    training_rate: float


class SalaryRules(NamedTuple):
    """General-scheme figures for an assimilé-salarié president's salary."""

    contributions: tuple[Contribution, ...]
    prevoyance_cadre_employer: float
    health_insurance_yearly: float
    health_insurance_employer_share: float
    csg_deductible: float
    csg_non_deductible: float
    crds: float
    csg_base_share: float
    csg_base_share_cap: float


class RegimeRules(NamedTuple):
    """One year's figures for the statuses beyond micro, as read from data/fr-YEAR.toml."""

    year: int
    pss: float  # plafond annuel de la sécurité sociale (PASS)
    ssi: SsiRules
    salary: SalaryRules
    corporate_tax: tuple[Bracket, ...]
    flat_tax_rate: float
    social_levies: float
    scale_allowance: float
    deductible_csg: float
    tns_dividend_threshold: float  # share of capital above which EURL dividends bear TNS
    deduction_rate: float
    deduction_minimum: float
    deduction_maximum: float
    base_reform_applied: bool
    sources: dict[str, str]  # figure group -> source id


# ------------------------------------------------------------------------ rules

MAX_BYTES = 1 << 20  # a rules file is a few KiB; more is a broken install
MALFORMED = (KeyError, TypeError, ValueError, IndexError)  # a figure missing or of the wrong type


@cache
def _rules_doc(year: int) -> tuple[str, dict[str, Any]]:
    """Return data/fr-YEAR.toml's name and document (the year must exist)."""
    name = f"fr-{year}.toml"
    try:
        return name, files.parse_toml(files.read_resource(name, MAX_BYTES), name)
    except files.Unreadable as exc:
        if exc.why == "missing":
            raise DataError(f"no rules file {name}") from None
        raise DataError(f"{name}: {exc.problem}") from None


def _check_sources(name: str, doc: dict[str, Any], sources: dict[str, str]) -> None:
    for key, source in sources.items():
        if source not in doc["sources"]:
            raise DataError(f"{name}: {key}: unknown source {source!r}")


def _brackets(name: str, key: str, table: dict[str, Any]) -> tuple[Bracket, ...]:
    brackets = tuple(Bracket(float(b["from"]), float(b["rate"])) for b in table["brackets"])
    starts = [b.start for b in brackets]
    if starts[0] != 0 or starts != sorted(starts):
        raise DataError(f"{name}: {key}.brackets: expected rising starts from 0")
    return brackets


@cache
def load_rules(year: int) -> Rules:
    """Read and check the micro and income-tax sections of data/fr-YEAR.toml."""
    name, doc = _rules_doc(year)
    try:
        micro, tax, portage = doc["micro"], doc["income_tax"], doc["portage"]
        shares = tax["shares"]
        sources = {
            key[: -len("_source")]: value for key, value in micro.items() if key.endswith("_source")
        }
        sources.update(
            income_tax=tax["source"],
            tax_shares=shares["source"],
            portage_fee=portage["fee_source"],
            portage_net_share=portage["net_share_source"],
            portage_fee_range=portage["fee_range_source"],
        )
        _check_sources(name, doc, sources)
        low, high = portage["net_share_of_turnover"]
        return Rules(
            year=doc["rules"]["year"],
            contribution_rate=micro["contribution_rate"],
            cipav_rate=micro["cipav_rate"],
            cfp_rate=micro["cfp_rate"],
            vl_rate=micro["versement_liberatoire_rate"],
            vl_limit=micro["versement_liberatoire_limit"],
            turnover_ceiling=micro["turnover_ceiling"],
            vat_threshold=micro["vat_threshold"],
            vat_tolerance=micro["vat_tolerance"],
            ceiling_years=int(micro["ceiling_years"]),
            allowance_rate=micro["allowance_rate"],
            allowance_minimum=micro["allowance_minimum"],
            brackets=_brackets(name, "income_tax", tax),
            decote_single=tax["decote_single"],
            decote_couple=tax["decote_couple"],
            decote_rate=tax["decote_rate"],
            half_share_cap=tax["half_share_cap"],
            shares=TaxShares(
                float(shares["single"]),
                float(shares["couple"]),
                int(shares["first_children"]),
                float(shares["first_child_share"]),
                float(shares["further_child_share"]),
            ),
            scale_note=tax["scale_note"],
            portage_fee_default=portage["fee_default"],
            portage_net_share_of_turnover=(low, high),
            sources=sources,
        )
    except MALFORMED as exc:
        raise DataError(f"{name}: missing or malformed figure: {exc}") from None


def pick_year(year: int | None, today: dt.date) -> tuple[int, list[Notice]]:
    """Return the year to use and any warning: the given one, this year, else the latest."""
    years = available_years()
    if year is not None:
        return year, []
    if today.year in years:
        return today.year, []
    latest = years[-1]
    message = _("No rules for {year} yet; the {latest} rules are used.")
    return latest, [Notice("rules-year-fallback", message.format(year=today.year, latest=latest))]


# ------------------------------------------------------------------------ rules


def _points(raw: list[list[float]]) -> tuple[tuple[float, float], ...]:
    points = tuple((float(x), float(y)) for x, y in raw)
    if [x for x, _rate in points] != sorted(x for x, _rate in points):
        raise ValueError("points must rise")
    return points


@cache
def load_regime_rules(year: int) -> RegimeRules:
    """Read and check the statuses' sections of data/fr-YEAR.toml."""
    name, doc = _rules_doc(year)
    try:
        ssi, gen, cit, div, ded = (
            doc["ssi"],
            doc["general_scheme"],
            doc["corporate_tax"],
            doc["dividends"],
            doc["salary_deduction"],
        )
        sources = {
            "pss": ssi["pass_source"],
            "ssi": ssi["rates_source"],
            "ssi_base_reform": ssi["base_reform_source"],
            "general_scheme": gen["rates_source"],
            "general_scheme_conventions": gen["conventions_source"],
            "corporate_tax": cit["source"],
            "flat_tax": div["flat_tax_source"],
            "social_levies": div["social_levies_source"],
            "dividend_scale": div["scale_source"],
            "tns_dividends": div["tns_threshold_source"],
            "salary_deduction": ded["source"],
        }
        _check_sources(name, doc, sources)
        contributions = tuple(
            Contribution(c["name"], float(c["employer"]), float(c["employee"]), c["base"])
            for c in gen["contributions"]
        )
        for c in contributions:
            if c.base not in BASES:
                raise DataError(f"{name}: general_scheme: {c.name}: unknown base {c.base!r}")
        pss = float(ssi["pass"])
        return RegimeRules(
            year=doc["rules"]["year"],
            pss=pss,
            ssi=SsiRules(
                sickness_points=_points(ssi["sickness_points"]),
                sickness_rate_above_5_pass=ssi["sickness_rate_above_5_pass"],
                sickness_minimum_base=ssi["sickness_minimum_base"],
                daily_allowance_rate=ssi["daily_allowance_rate"],
                daily_allowance_cap=ssi["daily_allowance_cap"],
                pension_base_rate=ssi["pension_base_rate"],
                pension_base_rate_above=ssi["pension_base_rate_above"],
                pension_minimum_base=ssi["pension_minimum_hours"] * ssi["smic_hourly"],
                pension_complementary_rate=ssi["pension_complementary_rate"],
                pension_complementary_ceiling=float(ssi["pension_complementary_ceiling"]),
                pension_complementary_rate_above=ssi["pension_complementary_rate_above"],
                pension_complementary_cap=ssi["pension_complementary_cap"],
                invalidity_rate=ssi["invalidity_rate"],
                invalidity_minimum_base=ssi["invalidity_minimum_base"],
                family_points=_points(ssi["family_points"]),
                csg_deductible=ssi["csg_deductible"],
                csg_non_deductible=ssi["csg_non_deductible"],
                training_rate=ssi["training_rate"],
            ),
            salary=SalaryRules(
                contributions=contributions,
                prevoyance_cadre_employer=gen["prevoyance_cadre_employer"],
                health_insurance_yearly=12.0 * gen["health_insurance_monthly"],
                health_insurance_employer_share=gen["health_insurance_employer_share"],
                csg_deductible=gen["csg_deductible"],
                csg_non_deductible=gen["csg_non_deductible"],
                crds=gen["crds"],
                csg_base_share=gen["csg_base_share"],
                csg_base_share_cap=gen["csg_base_share_cap"],
            ),
            corporate_tax=_brackets(name, "corporate_tax", cit),
            flat_tax_rate=div["flat_tax_rate"],
            social_levies=div["social_levies"],
            scale_allowance=div["scale_allowance"],
            deductible_csg=div["deductible_csg"],
            tns_dividend_threshold=div["tns_threshold_share_of_capital"],
            deduction_rate=ded["rate"],
            deduction_minimum=float(ded["minimum"]),
            deduction_maximum=float(ded["maximum"]),
            base_reform_applied=bool(ssi["base_reform_applied"]),
            sources=sources,
        )
    except MALFORMED as exc:
        raise DataError(f"{name}: missing or malformed figure: {exc}") from None


# -------------------------------------------------------------------- income tax


def tax_shares(rules: Rules, household: str, children: int) -> float:
    """Return the household's tax shares (quotient familial), by the year's rules."""
    s = rules.shares
    base = s.couple if household == "couple" else s.single
    first = min(children, s.first_children)
    return base + s.first_child_share * first + s.further_child_share * (children - first)


def bracket_tax(brackets: tuple[Bracket, ...], amount: float) -> float:
    """Return a progressive tax: each bracket's rate on the part of `amount` inside it."""
    tax = 0.0
    bounds = [*brackets[1:], Bracket(math.inf, 0.0)]
    for bracket, upper in zip(brackets, bounds, strict=True):
        if amount > bracket.start:
            tax += (min(amount, upper.start) - bracket.start) * bracket.rate
    return tax


def scale_tax(rules: Rules, income_per_share: float) -> float:
    """Return the progressive-scale tax on one share's income."""
    return bracket_tax(rules.brackets, income_per_share)


def income_tax(rules: Rules, taxable: float, household: str, children: int) -> float:
    """Return the income tax: quotient familial with its cap per extra half-share, then
    the décote. The freelance income is taken as the household's only income."""
    base_shares = tax_shares(rules, household, 0)
    shares = tax_shares(rules, household, children)
    with_children = shares * scale_tax(rules, taxable / shares)
    without = base_shares * scale_tax(rules, taxable / base_shares)
    extra_half_shares = (shares - base_shares) * 2
    tax = max(with_children, without - rules.half_share_cap * extra_half_shares)
    threshold = rules.decote_couple if household == "couple" else rules.decote_single
    decote = min(tax, max(0.0, threshold - rules.decote_rate * tax))
    return tax - decote


# ------------------------------------------------------- protection, costs, ACRE


class ProtectionRules(NamedTuple):
    """What the contributions buy: one year's figures of modele-social's protection rules."""

    pss: float
    smic_hourly_january: float
    smic_hourly: float
    quarter_hours: float
    max_quarters: int
    cipav_quarter_turnover: float
    rci_purchase_value: float
    rci_service_value: float
    agirc_arrco_purchase_value: float
    agirc_arrco_service_value: float
    agirc_arrco_call_rate: float
    cipav_purchase_value: float
    cipav_service_value: float
    micro_complementary_share: float
    cipav_complementary_share: float
    sick_pay_divisor: float
    sick_pay_threshold: float
    sick_pay_minimum_base: float
    cipav_sick_pay_cap: float
    waiting_days: int
    salaried_sick_pay_rate: float
    salaried_sick_pay_cap_smic: float
    salaried_sick_pay_hours: float
    independent_qualifying_months: int
    death_capital_independent: float
    death_capital_salaried: float
    invalidity_total_rate: float
    invalidity_minimum_independent: float
    invalidity_minimum_salaried: float
    invalidity_minimum_hours: float  # of SMIC a year, for the salaried minimum
    invalidity_minimum_base: float
    ati_daily: float
    ati_days: int
    sources: dict[str, str]


class CostRules(NamedTuple):
    """The company's own yearly costs by cost group (tjm.registry), EUR excl. VAT."""

    creation_years: int
    accountant: dict[str, float]
    bank: dict[str, float]
    insurance: dict[str, float]
    creation: dict[str, float]
    legal: dict[str, float]
    ranges: dict[str, tuple[float, float]]
    cfe_groups: tuple[str, ...]
    cfe_bands: tuple[tuple[float, float, float], ...]  # (up to turnover, lowest base, highest)
    cfe_exempt_up_to: float
    cfe_rate: float
    sources: dict[str, str]


class AcreRules(NamedTuple):
    """ACRE, the first-year exemption: the share of each status's contributions it removes."""

    micro_share_paid: float
    micro_share_paid_late: float  # a micro created from 1 July 2026
    cipav_rate: float
    tns_rate: float
    salaried_employer_rate: float
    salaried_employee_rate: float
    salaried_employee_taper_rate: float
    full_until: float  # share of PASS
    nothing_from: float
    salaried_exempted: tuple[str, ...]
    source: str


COST_KINDS = ("accountant", "bank", "insurance", "creation", "legal")


@cache
def load_protection_rules(year: int) -> ProtectionRules:
    """Read and check the protection section of data/fr-YEAR.toml."""
    name, doc = _rules_doc(year)
    try:
        p = doc["protection"]
        sources = {
            "protection": p["source"],
            "unemployment": p["unemployment_source"],
            "sasu_unemployment": p["sasu_unemployment_source"],
            "ati": p["ati_source"],
            "are": p["are_source"],
            "waiting_days": p["waiting_days_source"],
        }
        _check_sources(name, doc, sources)
        fields = set(ProtectionRules._fields) - {"pss", "sources"}
        values = {k: p[k] for k in fields}
        return ProtectionRules(pss=float(doc["ssi"]["pass"]), sources=sources, **values)
    except MALFORMED as exc:
        raise DataError(f"{name}: missing or malformed figure: {exc}") from None


@cache
def load_cost_rules(year: int) -> CostRules:
    """Read and check the company costs of data/fr-YEAR.toml."""
    name, doc = _rules_doc(year)
    try:
        c = doc["company_costs"]
        sources = {k: c[f"{k}_source"] for k in (*COST_KINDS, "cfe", "cfe_rate")}
        _check_sources(name, doc, sources)
        bands = tuple((float(b["up_to"]), *map(float, b["base"])) for b in c["cfe_bands"])
        if [b[0] for b in bands] != sorted(b[0] for b in bands):
            raise DataError(f"{name}: company_costs.cfe_bands: expected rising bands")
        ranges = {
            k: (float(c[f"{k}_range"][0]), float(c[f"{k}_range"][1]))
            for k in COST_KINDS
            if f"{k}_range" in c
        }
        tables = {k: {g: float(v) for g, v in c[k].items()} for k in COST_KINDS}
        return CostRules(
            creation_years=int(c["creation_years"]),
            ranges=ranges,
            cfe_groups=tuple(c["cfe_groups"]),
            cfe_bands=bands,  # type: ignore[arg-type]
            cfe_exempt_up_to=float(c["cfe_exempt_up_to"]),
            cfe_rate=float(c["cfe_rate"]),
            sources=sources,
            **tables,
        )
    except MALFORMED as exc:
        raise DataError(f"{name}: missing or malformed figure: {exc}") from None


@cache
def load_acre_rules(year: int) -> AcreRules:
    """Read and check the ACRE section of data/fr-YEAR.toml."""
    name, doc = _rules_doc(year)
    try:
        a = doc["acre"]
        _check_sources(name, doc, {"acre": a["source"]})
        return AcreRules(
            micro_share_paid=a["micro_share_paid"],
            micro_share_paid_late=a["micro_share_paid_late"],
            cipav_rate=a["cipav_rate"],
            tns_rate=a["tns_rate"],
            salaried_employer_rate=a["salaried_employer_rate"],
            salaried_employee_rate=a["salaried_employee_rate"],
            salaried_employee_taper_rate=a["salaried_employee_taper_rate"],
            full_until=a["full_until"],
            nothing_from=a["nothing_from"],
            salaried_exempted=tuple(a["salaried_exempted"]),
            source=a["source"],
        )
    except MALFORMED as exc:
        raise DataError(f"{name}: missing or malformed figure: {exc}") from None
