"""Turn the market data into terminal output (rich) and stable JSON: the observations,
the skills, the fit over the observations, and every source with the figures taken from it."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from tjm.dataset.records import MODEL_SOURCE
from tjm.errors import labelled
from tjm.i18n import N_, _, pgettext
from tjm.i18n.formats import format_number, format_percent, format_short
from tjm.market.fit import INDEX, REFERENCE_WEIGHT, SHAPE, TAU_METHOD
from tjm.render.common import (
    day,
    fit_words,
    label,
    region_label,
    role_label,
    say,
    skill_label,
    table,
    years_span,
)

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.dataset.records import ChannelFigure, Dataset, Skill
    from tjm.market.fit import CurveFit
    from tjm.market.observations import Market

TREND_STYLE = {"scarcer": "green", "crowded": "red"}
STATISTICS = {
    # TRANSLATORS: what an observation's figure is: the mean of the rates
    "mean": N_("mean"),
    "median": N_("median"),
    # TRANSLATORS: an observation's figure quoted as a typical rate
    "quoted": N_("quoted"),
    "range-low": N_("range low"),
    "range-high": N_("range high"),
    "lower-bound": N_("at least"),
}
TRENDS = {
    # TRANSLATORS: a skill whose demand grows faster than its supply
    "scarcer": N_("scarcer"),
    # TRANSLATORS: a skill whose supply grows faster than its demand
    "crowded": N_("crowded"),
}


def benchmarks_json(dataset: Dataset) -> dict[str, Any]:
    """Return the dataset as the stable object `tjm benchmarks --json` prints."""
    return {
        "dataset": {
            "version": dataset.version,
            "as_of": dataset.as_of.isoformat(),
            "currency": dataset.currency,
        },
        "reference_years": dataset.param("reference_years"),
        "curve": _curve_json(dataset),
        "threshold": dataset.threshold._asdict(),
        "bands": [b._asdict() for b in dataset.bands],
        "regions": [
            {"id": r.id, "label": r.label, "mix": dict(r.mix), "source": r.source}
            for r in dataset.regions.values()
        ],
        "roles": [r._asdict() for r in dataset.roles.values()],
        "observations": observations_json(),
        "skills": [
            {
                **s._asdict(),
                "alternatives": [a._asdict() for a in s.alternatives],
                "tightness": s.tightness,
                "trend": s.trend,
                "premium": _premium(dataset, s),
            }
            for s in dataset.skills.values()
        ],
        "figures": [f._asdict() for f in dataset.figures.values()],
        "billable_days": dataset.billable_days._asdict(),
        "parameters": [p._asdict() for p in dataset.parameters.values()],
        "band_sigma_derivation": _sigma_json(dataset),
    }


def _premium(dataset: Dataset, skill: Skill) -> float:
    """Return the premium the model gives a skill sold on its own."""
    from tjm.market.model import skill_premium

    return skill_premium(
        skill.tightness, dataset.param("scarcity_elasticity"), dataset.param("scarcity_cap")
    )


def _curve_json(dataset: Dataset) -> dict[str, Any]:
    from tjm.market.model import default_model, open_band

    model = default_model()
    return {
        "fitted_on": "observations",
        "shape": SHAPE,
        "role_scale": dict(model.fit.role_scale),
        "last_fitted_years": model.last_fitted_years,
        "held_flat_after_years": model.last_fitted_years,
        "open_band_from_years": open_band(dataset).min_years,
    }


SIGMA_FORMULA = "sqrt(s_fit^2 + s_range^2 + tau^2); thin data: sqrt(sigma^2 + s_loso^2)"


def _sigma_json(dataset: Dataset) -> dict[str, Any]:
    """Return the band's spread and the parts it is derived from (see tjm.market.fit)."""
    from tjm.market.model import default_model

    fit = default_model().fit
    return {
        "formula": SIGMA_FORMULA,
        "parts": {"fit": fit.s_fit, "range": fit.s_range, "tau": fit.tau, "loso": fit.s_loso},
        "result": fit.sigma,
        "thin": fit.sigma_thin,
        "loo_mape_pct": fit.loo_mape,
    }


def observations_json() -> list[dict[str, Any]]:
    """Return every packaged observation with its source's date and grade."""
    from tjm.market.observations import data_date, load_market

    market = load_market()
    return [
        {
            **{k: v for k, v in o._asdict().items() if k not in ("line", "user")},
            "published": market.sources[o.source].published,
            "data_date": None if (when := data_date(o, market)) is None else when.isoformat(),
        }
        for o in market.observations
    ]


def short_skill(skill: str) -> str:
    """Return a skill's name without its spelled-out gloss: RAG, NLP, Transformers / GPT."""
    return skill_label(skill).split(" (")[0]


def show_benchmarks(console: Console, dataset: Dataset) -> None:
    """Print the rate tables, the skills table and the thresholds."""
    from tjm.market.observations import data_date, load_market

    market = load_market()
    # TRANSLATORS: the observations table's columns
    # TRANSLATORS: the observations table's column: the value, then its grade (A best)
    graded = _("value, grade")
    columns = ["id", _("role"), _("years"), _("region"), _("statistic"), graded]
    observed = table(
        _("Observations ({count}), EUR/day, by source").format(count=len(market.observations)),
        [*columns, _("data")],
        {graded},
    )
    from rich import box

    observed.box, observed.pad_edge, observed.padding = box.SIMPLE_HEAD, False, (0, 1, 0, 0)
    observed.width = console.width - 6  # rich overshoots its width by the separators
    observed.show_edge = False
    rows: list[list[str]] = []
    source = None
    for o in market.observations:
        if o.source != source:
            source = o.source
            # TRANSLATORS: an observation the curve is not fitted on
            rows.append([f"[bold]{o.source}[/]", *[""] * 6])
        when = data_date(o, market)
        statistic = label(STATISTICS, o.statistic)
        if o.excluded:
            # TRANSLATORS: an observation the curve is not fitted on
            statistic = _("{statistic} (not fitted)").format(statistic=statistic)
        rows.append(
            [
                o.id,
                role_label(o.role),
                years_span(o.min_years, o.max_years),
                region_label(o.region),
                statistic,
                f"{format_short(o.value)} {o.grade}",
                # TRANSLATORS: no date: not disclosed
                day(when) if when else _("n/d"),
            ]
        )
    fit_words(observed, rows, whole=(0,))
    for cells in rows:
        observed.add_row(*cells)
    console.print(observed)
    for role, text in market.coverage.items():
        line = _("coverage, {role}: {text}").format(role=role_label(role), text=text)
        say(console, f"  {line}")

    # TRANSLATORS: the skills table's columns
    numbers = [_("demand"), _("supply"), _("tightness"), pgettext("column", "premium")]
    skills = table(
        _("Skills: demand and supply growth"),
        [_("skill"), *numbers[:3], _("trend"), numbers[3], _("period"), _("source")],
        set(numbers),
    )
    for s in dataset.skills.values():
        skills.add_row(
            short_skill(s.id),
            format_percent(s.demand_growth, signed=True),
            format_percent(s.supply_growth, signed=True),
            format_number(s.tightness, decimals=3, signed=True),
            f"[{TREND_STYLE[s.trend]}]{label(TRENDS, s.trend)}[/]",
            format_percent(_premium(dataset, s), decimals=1, signed=True)
            if s.trend == "scarcer"
            else _("none"),
            s.period,
            s.source,
        )
    # The numbers and the source id stay whole; the names wrap between words.
    for column in skills.columns[1:4]:
        column.no_wrap = True
    skills.box, skills.show_edge = box.SIMPLE_HEAD, False
    words = [w for s in dataset.skills.values() for w in short_skill(s.id).split()]
    skills.columns[0].min_width = max(len(w) for w in words)
    skills.columns[-1].no_wrap = True
    skills.columns[-1].min_width = max(len(s.source) for s in dataset.skills.values())
    console.print(skills)
    say(
        console,
        _(
            "tightness = ln((1 + demand) / (1 + supply)); above 0, demand outgrows supply "
            "(scarcer) and the skill earns a premium; crowded skills earn none."
        ),
    )
    sigma = _sigma_json(dataset)
    parts = sigma["parts"]
    say(
        console,
        _(
            "band sigma {sigma} = sqrt({fit}² + {range}² + {tau}²) (within-source dispersion "
            "around the fit, sources' own ranges, between-source SD); thin data: {thin} (adds "
            "the leave-one-source-out error {loso}; tjm benchmarks --fit)"
        ).format(
            sigma=format_number(sigma["result"], decimals=3),
            fit=format_number(parts["fit"], decimals=3),
            range=format_number(parts["range"], decimals=3),
            tau=format_number(parts["tau"], decimals=3),
            thin=format_number(sigma["thin"], decimals=3),
            loso=format_number(parts["loso"], decimals=3),
        ),
    )

    t = dataset.threshold
    d = dataset.billable_days
    heading = _("Thresholds")
    say(console, f"\n[bold]{heading}[/]")
    say(console, "  " + labelled(f"{format_short(t.value)} {t.unit}", f"{t.scope} ({t.source})"))
    days = _(
        "billable days: {working} − {holidays} holidays − {sick} sick − {non_billable} "
        "non-billable = {total} ({source})"
    ).format(
        working=format_short(d.working_days),
        holidays=format_short(d.holidays),
        sick=format_short(d.sick_days),
        non_billable=format_short(d.non_billable_days),
        total=format_short(d.total),
        source=d.source,
    )
    say(console, f"  {days}")
    console.print()
    say(
        console,
        _("Data version {version}, as of {as_of}. Sources: tjm benchmarks sources").format(
            version=dataset.version, as_of=day(dataset.as_of)
        ),
    )


def sources_json(dataset: Dataset) -> dict[str, Any]:
    """Return every source with the figures taken from it."""
    return {"sources": _sources(dataset)}


def show_sources(console: Console, dataset: Dataset) -> None:
    """Print every source with its URL, date and the figures taken from it."""
    for s in _sources(dataset):
        # source_from requires `recorded` where the publication is n/d.
        if s["date"] == "n/d" and s["recorded"]:
            # TRANSLATORS: an undated source and the day its figures were recorded
            when = _("{date} (recorded {recorded})").format(
                date=s["date"], recorded=day(dt.date.fromisoformat(s["recorded"]))
            )
        else:
            when = s["date"]
        heading = labelled(f"[bold]{s['id']}[/]", f"{s['title']} — {s['publisher']}, {when}")
        say(console, heading)
        if s["url"]:
            say(console, f"  {s['url']}")
        if s["via"]:
            # TRANSLATORS: the sources through which a source's figures were read
            say(console, "  " + labelled(_("via"), ", ".join(s["via"])))
        if s["note"]:
            say(console, "  " + labelled(_("note"), s["note"]))
        for line in s["figures"]:
            say(console, f"  - {line}")
        console.print()


def _sources(dataset: Dataset) -> list[dict[str, Any]]:
    """Return the dataset's sources, then the observations' own, in one shape."""
    from tjm.market.observations import load_market

    market = load_market()
    cited = citations(dataset, market)
    own = [{**s._asdict(), "recorded": None, "via": list(s.via)} for s in dataset.sources.values()]
    observed: list[dict[str, Any]] = [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "date": s.published,
            "recorded": None if s.recorded is None else s.recorded.isoformat(),
            "url": s.url,
            "note": s.note,
            "via": [],
        }
        for s in market.sources.values()
        if s.id not in dataset.sources
    ]
    return [{**s, "figures": cited.get(s["id"], [])} for s in own + observed]


def citations(dataset: Dataset, market: Market) -> dict[str, list[str]]:
    """Return, per source id, a line for each figure the dataset and the observations take
    from it. The lines are JSON (`figures`) as well as text, so they stay in English in both
    languages, like the sources they cite."""
    cited: dict[str, list[str]] = {sid: [] for sid in dataset.sources}

    def cite(source: str, line: str) -> None:
        cited.setdefault(source, []).append(line)

    t = dataset.threshold
    cite(t.source, f"threshold: {t.value:g} {t.unit} ({t.scope})")
    for region in dataset.regions.values():
        if region.mix:
            weights = ", ".join(f"{k} {w:g}" for k, w in region.mix)
            cite(region.source, f"region {region.id}: mix weights {weights}")
    for skill in dataset.skills.values():
        cite(
            skill.source,
            f"skill {skill.id}: demand {skill.demand_growth:+.0%}, "
            f"supply {skill.supply_growth:+.0%} ({skill.period})",
        )
        for alt in skill.alternatives:
            used = "" if alt.used else " (recorded, not used)"
            cite(alt.source, f"skill {skill.id}: {alt.what} {alt.value:+.0%}{used}")
    for fig in dataset.figures.values():
        cite(fig.source, f"{fig.id}: {fig.value:g} {fig.unit} ({fig.scope})")
    d = dataset.billable_days
    cite(
        d.source,
        f"billable days: {d.working_days} - {d.holidays} - {d.sick_days} - "
        f"{d.non_billable_days} = {d.total}",
    )
    for c in (dataset.channels or {}).values():
        cite(c.source, f"channel {c.id}: fee {c.fee:.0%} of the client price ({c.scope})")
        if c.reduced_source is not None:
            cite(
                c.reduced_source,
                f"channel {c.id}: {c.reduced_fee:.0%} after "
                f"{c.reduced_after_months:g} months with a client",
            )
        if c.fee_not_vat_registered_source is not None:
            cite(
                c.fee_not_vat_registered_source,
                f"channel {c.id}: {c.fee_not_vat_registered:.0%} incl. VAT without VAT "
                "registration",
            )
        for f in c.figures:
            cite(f.source, f"channel {c.id}: {f.what} {_figure(f)} (recorded, not used)")
    for v in dataset.discount_views:
        cite(v.source, f"discount view: {v.view}")
    for p in dataset.parameters.values():
        cite(MODEL_SOURCE, f"{p.id}: {p.value:g} {p.unit} (assumption: {p.justification})")
    for o in market.observations:
        years = (
            "all levels"
            if o.min_years is None
            else f"{years_span(o.min_years, o.max_years, 'en')} years"
        )
        cite(
            o.source,
            f"observation {o.id}: {o.role}, {years}, {o.region}, {o.statistic} {o.value:g} "
            f"EUR/day, grade {o.grade}",
        )
    return cited


def _figure(f: ChannelFigure) -> str:
    return f"{f.value:.0%}" if f.unit == "share" else f"{f.value:g} {f.unit}"


def fit_json(fit: CurveFit, bound: float) -> dict[str, Any]:
    """Return the fit over the observations, its residuals and leave-one-source-out errors."""
    return {
        "fitted_on": fit.table,
        "shape": SHAPE,
        "curves": [c._asdict() for c in fit.curves],
        "role_scale": dict(fit.role_scale),
        "residuals": [{**r._asdict(), "error_pct": r.error_pct} for r in fit.residuals],
        "mape_pct": fit.mape,
        "leave_one_source_out": [e._asdict() for e in fit.loso],
        "tau": fit.tau,
        "tau_method": TAU_METHOD,
        "tau_reference_weight": REFERENCE_WEIGHT,
        "s_unit": fit.s_unit,
        "source_effects": [e._asdict() for e in fit.effects],
        "trends": [{**t._asdict(), "sources": list(t.sources)} for t in fit.trends],
        "ai_premium": None
        if fit.premium is None
        else {**fit.premium._asdict(), "sources": list(fit.premium.sources)},
        "leave_one_source_out_mape_pct": fit.loo_mape,
        "loso_bound": bound,
        "sigma": {
            "fit": fit.s_fit,
            "range": fit.s_range,
            "loso": fit.s_loso,
            "result": fit.sigma,
            "thin": fit.sigma_thin,
        },
    }


def _trends_text(fit: CurveFit) -> str:
    parts = []
    for t in fit.trends:
        if t.method == INDEX:
            parts.append(
                _("{role}: the Syntec index (no source gives it in two years)").format(role=t.role)
            )
        else:
            parts.append(
                _("{role}: its own, {rate} a year ({sources})").format(
                    role=t.role,
                    rate=format_percent(math.expm1(t.rate), decimals=1, signed=True),
                    sources=", ".join(t.sources),
                )
            )
    return pgettext("clauses", "; ").join(parts)


def show_fit(console: Console, fit: CurveFit, bound: float) -> None:
    """Print the fitted curves, each point's residual and each source's held-out error."""
    # TRANSLATORS: the residuals table's columns
    numbers = [_("years"), _("observed"), _("fitted"), _("error"), _("weight")]
    residuals = table(
        _("One weighted fit over the observations: {shape} per region × role scale").format(
            shape=SHAPE
        ),
        [_("observation"), _("role"), _("region"), *numbers],
        set(numbers),
    )
    for r in fit.residuals:
        residuals.add_row(
            r.band,
            r.role,
            r.region,
            format_short(r.years),
            format_number(r.observed),
            format_number(r.fitted),
            format_percent(r.error_pct / 100, decimals=1, signed=True),
            format_number(r.weight, decimals=3),
        )
    console.print(residuals)
    for c in fit.curves:
        curve = _("{region}: a={a} b={b} tau={tau} years").format(
            region=c.region,
            a=format_number(c.a, decimals=0),
            b=format_number(c.b, decimals=0),
            tau=format_number(c.tau, decimals=1),
        )
        say(console, f"  {curve}")
    scales = ", ".join(f"{r} {format_number(s, decimals=3)}" for r, s in fit.role_scale)
    say(console, "  " + labelled(_("role scales"), scales))
    # TRANSLATORS: the per-source table's columns: its own level against the market's,
    # and its error when the fit is made without it
    numbers = [_("points"), _("predicted"), _("effect"), _("error")]
    loso = table(
        _("Each source: its effect, and its error left out (bound {bound})").format(
            bound=format_percent(bound)
        ),
        [_("source"), *numbers],
        set(numbers),
    )
    for e in fit.loso:
        loso.add_row(
            e.source,
            str(e.points),
            str(e.predicted),
            format_percent(math.expm1(fit.effect(e.source)), signed=True),
            "—" if e.error is None else format_percent(e.error, decimals=1),
        )
    console.print(loso)
    for e in fit.loso:
        if e.note:
            say(console, "  " + labelled(e.source, e.note))
    say(
        console,
        _(
            "Between-source SD tau {tau} ({method}) for a current grade B source (weight "
            "{weight}); a source of weight w varies by tau × sqrt({weight} / w). Year effect: "
            "{trends}."
        ).format(
            tau=format_number(fit.tau, decimals=2),
            method=TAU_METHOD,
            weight=format_number(REFERENCE_WEIGHT, decimals=1),
            trends=_trends_text(fit),
        ),
    )
    if fit.premium is not None:
        p = fit.premium
        say(
            console,
            _(
                "AI engineer over data scientist: {premium} (95% interval {low} to {high}) from "
                "{sources}; the role scales give {scale}."
            ).format(
                premium=format_percent(p.estimate, signed=True),
                low=format_percent(p.low, signed=True),
                high=format_percent(p.high, signed=True),
                sources=", ".join(p.sources),
                scale=format_percent(fit.scale("ai-engineer") - 1, signed=True),
            ),
        )
    say(
        console,
        _(
            "Mean absolute error of the market level {mape} over {count} points; leaving one "
            "source out: {loo} on average. Band sigma {sigma} = sqrt({fit}² + {range}² + tau²); "
            "thin data {thin}."
        ).format(
            mape=format_percent(fit.mape / 100, decimals=2),
            count=len(fit.residuals),
            loo="—" if fit.loo_mape is None else format_percent(fit.loo_mape / 100, decimals=2),
            sigma=format_number(fit.sigma, decimals=3),
            fit=format_number(fit.s_fit, decimals=3),
            range=format_number(fit.s_range, decimals=3),
            thin=format_number(fit.sigma_thin, decimals=3),
        ),
    )
