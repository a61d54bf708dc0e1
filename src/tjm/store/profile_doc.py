"""A profile's two shapes: the Profile value and its on-disk TOML document.

A document is validated with the CLI's own rules before it becomes a Profile, and any older
schema is upgraded first, one migration per version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from tjm import files
from tjm.clock import today
from tjm.errors import InputError, ProfileError, UnknownIdError, UsageError, labelled
from tjm.fields import NATIONAL, check_value, parse_value
from tjm.france.checks import check_income
from tjm.i18n import Language, _, parse_language
from tjm.inputs import IncomeInputs, QuoteInputs, SalesInputs, check_quote, check_sales

SCHEMA_VERSION = 5
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Names Windows reserves for devices, whatever the extension.
DEVICE_NAMES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the statuses beyond micro and their options (income.salary_share,
    dividend_tax, capital); every version-1 income table is a valid version-2 one as is.

    Version 1 took a portage target net before income tax; version 2 takes every net after
    it, which is what a target asks for, so the target is kept as written.
    """
    return {**doc, "schema_version": 2}


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds how one sells: the optional [sales] table (channel, its options,
    clients, discount, half-days) and income.days_per_week; a version-2 file is valid as is."""
    return {**doc, "schema_version": 3}


def _v3_to_v4(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 4 adds the optional top-level `lang` ("fr" or "en"), the language the profile's
    user prefers; a version-3 file is valid as is."""
    return {**doc, "schema_version": 4}


def _v4_to_v5(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 5 adds the company's own costs (income.accountant, cfe, bank, insurance,
    creation_costs, legal_costs) and the edge rules (income.acre, over_ceiling_last_year);
    a version-4 file is valid as is, and its floors now count the default company costs."""
    return {**doc, "schema_version": 5}


# One upgrade step per version: MIGRATIONS[n] turns a version-n document into n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}


class Profile(NamedTuple):
    name: str
    inputs: QuoteInputs
    income: IncomeInputs = IncomeInputs()
    notes: str = ""
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    sales: SalesInputs = SalesInputs()
    lang: Language | None = None  # the language this profile's user prefers


def check_name(name: object) -> str:
    """Return the name if it is a safe profile name, else raise UsageError."""
    if isinstance(name, str) and name in DEVICE_NAMES:
        raise UsageError(
            _(
                "invalid profile name {name}: Windows reserves it for a device (con, prn, aux, "
                "nul, com1–com9, lpt1–lpt9); choose another name"
            ).format(name=repr(name)),
            code="bad-profile-name",
        )
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise UsageError(
            _(
                "invalid profile name {name}: use 1–64 lowercase letters, digits, '-' or '_', "
                "starting with a letter or digit"
            ).format(name=repr(name)),
            code="bad-profile-name",
        )
    return name


def _bad(source: str, key: str, expected: str, got: Any) -> ProfileError:
    """Return the error of a key whose value is not what it should be (`expected`, translated)."""
    problem = _("expected {what}, got {value}").format(what=expected, value=repr(got))
    return _at(source, key, problem)


def _at(source: str, key: str, problem: str) -> ProfileError:
    return ProfileError(labelled(source, labelled(key, problem)))


def _key_in(table: str) -> Callable[[str], str]:
    return lambda key: f"{table}.{key}"


def _read(key: str, value: Any) -> Any:
    """Check a file's value: TOML numbers as they are, text as a flag's text is read."""
    return parse_value(key, value) if isinstance(value, str) else check_value(key, value)


def _income_from(source: str, table: Any) -> IncomeInputs:
    if not isinstance(table, dict):
        raise _bad(source, "income", _("a table"), table)
    values: dict[str, Any] = {}  # each checked by check_value for its field's type
    for key, value in table.items():
        if key not in IncomeInputs._fields:
            raise _at(source, f"income.{key}", _("unknown key"))
        try:
            values[key] = _read(key, value)
        except InputError as exc:
            raise _wrapped(source, exc, "income") from None
    return IncomeInputs(**values)


def _sales_from(source: str, table: Any) -> SalesInputs:
    if not isinstance(table, dict):
        raise _bad(source, "sales", _("a table"), table)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in SalesInputs._fields:
            raise _at(source, f"sales.{key}", _("unknown key"))
        try:
            if key == "clients":
                if not isinstance(value, list):
                    raise _bad(source, "sales.clients", _("a list of tables"), value)
                values[key] = tuple(check_value(key, v) for v in value)
            else:
                values[key] = check_value(key, value)
        except InputError as exc:
            raise _wrapped(source, exc, "sales") from None
    return SalesInputs(**values)


def _wrapped(source: str, exc: InputError, table: str) -> ProfileError:
    """Return a field's error as the profile's, its key named inside the table."""
    return ProfileError(labelled(source, exc.labelled(_key_in(table))))


def _time(source: str, key: str, value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise _bad(source, key, _("a date and time"), value)
    return value


def migrate(doc: dict[str, Any], source: str) -> dict[str, Any]:
    """Upgrade an on-disk document to SCHEMA_VERSION, one step per version."""
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _bad(source, "schema_version", _("a whole number >= 1"), version)
    if version > SCHEMA_VERSION:
        problem = _(
            "written by a newer tjm (schema_version {version}; this tjm reads up to {latest}); "
            "the file was left as it is"
        ).format(version=version, latest=SCHEMA_VERSION)
        raise ProfileError(labelled(source, problem), code="newer-profile")
    while version < SCHEMA_VERSION:
        doc = MIGRATIONS[version](doc)
        version = doc["schema_version"]
    return doc


def profile_from_doc(doc: dict[str, Any], source: str) -> Profile:
    """Validate an on-disk document with the CLI's rules and return the Profile."""
    doc = migrate(dict(doc), source)
    known = {
        *("schema_version", "name", "notes", "created", "updated", "lang"),
        *("pricing", "income", "sales"),
    }
    for key in doc:
        if key not in known:
            raise _at(source, key, _("unknown key"))
    name = doc.get("name")
    try:
        name = check_name(name)
    except UsageError:
        raise _bad(source, "name", _("a profile name like 'paris-ai'"), name) from None
    pricing = doc.get("pricing")
    if not isinstance(pricing, dict):
        raise _bad(source, "pricing", _("a table"), pricing)
    for key in pricing:
        if key not in {"role", "years", "region", "skills", "rate"}:
            raise _at(source, f"pricing.{key}", _("unknown key"))
    skills = pricing.get("skills", [])
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise _bad(source, "pricing.skills", _("a list of skill ids"), skills)
    for key in ("role", "region"):
        if key in pricing and not isinstance(pricing[key], str):
            raise _bad(source, f"pricing.{key}", _("an id"), pricing[key])
    if "role" not in pricing or "years" not in pricing:
        raise _at(source, "pricing", _("role and years are required"))
    try:
        inputs = check_quote(
            QuoteInputs(
                role=pricing["role"],
                years=_read("years", pricing["years"]),
                region=pricing.get("region", NATIONAL),
                skills=tuple(sorted(set(skills))),
                rate=None if "rate" not in pricing else _read("rate", pricing["rate"]),
            )
        )
    except InputError as exc:
        raise _wrapped(source, exc, "pricing") from None
    except UnknownIdError as exc:
        raise _at(source, "pricing", str(exc)) from None
    notes = doc.get("notes", "")
    if not isinstance(notes, str):
        raise _bad(source, "notes", _("text"), notes)
    lang = doc.get("lang")
    if lang is not None and (not isinstance(lang, str) or parse_language(lang) is None):
        raise _bad(source, "lang", _("fr or en"), lang)
    income = _income_from(source, doc.get("income", {}))
    sales = _sales_from(source, doc.get("sales", {}))
    try:
        check_income(income, today())
    except InputError as exc:
        raise _wrapped(source, exc, "income") from None
    try:
        check_sales(sales, income)
    except InputError as exc:
        raise _wrapped(source, exc, "sales") from None
    return Profile(
        name=name,
        inputs=inputs,
        income=income,
        notes=notes,
        created=_time(source, "created", doc.get("created")),
        updated=_time(source, "updated", doc.get("updated")),
        sales=sales,
        lang=None if lang is None else parse_language(lang),
    )


def profile_to_doc(profile: Profile) -> dict[str, Any]:
    """Return the on-disk document; None values are left out, as TOML has no null."""
    i = profile.inputs
    pricing = {
        "role": i.role,
        "years": float(i.years),
        "region": i.region,
        "skills": list(i.skills),
    }
    if i.rate is not None:
        pricing["rate"] = float(i.rate)
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "name": profile.name,
        "notes": profile.notes,
    }
    for key in ("created", "updated", "lang"):
        if getattr(profile, key) is not None:
            doc[key] = getattr(profile, key)
    doc["pricing"] = pricing
    income = {k: v for k, v in profile.income._asdict().items() if v is not None}
    if income:
        doc["income"] = income
    sales: dict[str, Any] = {
        k: v for k, v in profile.sales._asdict().items() if v is not None and k != "clients"
    }
    if profile.sales.clients:
        sales["clients"] = [c._asdict() for c in profile.sales.clients]
    if sales:
        doc["sales"] = sales
    return doc


def dumps(profile: Profile) -> str:
    """Return the profile as TOML text, validated by reading it back first."""
    import tomli_w

    text = tomli_w.dumps(profile_to_doc(profile))
    source = _("profile {name}").format(name=repr(profile.name))
    profile_from_doc(loads(text, source), source)
    return text


def loads(text: str, source: str) -> dict[str, Any]:
    """Return the document a profile's TOML text holds, before any validation."""
    try:
        return files.parse_toml(text, source)
    except files.Unreadable as exc:
        raise ProfileError(labelled(source, exc.problem)) from None


def largest_field(profile: Profile) -> str:
    """Return the field that takes the most room in the profile's file: notes or clients."""
    clients = sum(len(c.name.encode()) + 40 for c in profile.sales.clients or ())
    return "clients" if clients > len(profile.notes.encode()) else "notes"
