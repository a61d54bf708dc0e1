"""French legal and official terms, which keep their French names in both languages.

An English view adds a short gloss the first time it shows each term; a French view never
does. The glosses are English only, so they are data here and not catalogue messages.
"""

from __future__ import annotations

from typing import NamedTuple

from tjm.i18n import Language


class Term(NamedTuple):
    """An official French term and what it means, in a few English words."""

    name: str  # as the law and URSSAF write it, in both languages
    gloss: str  # shown once per English view, in parentheses after the name


TERMS: dict[str, Term] = {
    "tjm": Term("TJM", "taux journalier moyen: the day rate"),
    "urssaf": Term("URSSAF", "the body that collects social contributions"),
    "cotisations": Term("cotisations", "social security contributions"),
    "ssi": Term("SSI", "the social security scheme for the self-employed"),
    "cipav": Term("CIPAV", "pension fund of some regulated liberal professions"),
    "regime-general": Term("régime général", "the employees' social security scheme"),
    "csg-crds": Term("CSG-CRDS", "social levies on income, on top of the contributions"),
    "cfp": Term("CFP", "contribution à la formation professionnelle: a training levy"),
    "micro-entreprise": Term(
        "micro-entreprise", "simplified regime: contributions and tax computed from turnover"
    ),
    "micro-bnc": Term("micro-BNC", "the micro-entreprise regime for liberal-profession income"),
    "plafond-micro": Term("plafond micro", "turnover ceiling of the micro-entreprise regime"),
    "franchise-tva": Term("franchise en base de TVA", "VAT exemption below a turnover threshold"),
    "abattement": Term("abattement", "a flat-rate deduction from taxable income"),
    "versement-liberatoire": Term(
        "versement libératoire", "optional income tax paid as a flat share of turnover"
    ),
    "bareme-progressif": Term("barème progressif", "the progressive income tax brackets"),
    "quotient-familial": Term(
        "quotient familial", "income divided by the household's tax shares before the brackets"
    ),
    "decote": Term("décote", "income tax reduction for small tax bills"),
    "pfu": Term(
        "prélèvement forfaitaire unique",
        "flat tax on dividends and other investment income",
    ),
    "ei": Term("EI", "entreprise individuelle: sole trader"),
    "eurl-ir": Term(
        "EURL à l’IR", "single-owner company whose profit is taxed as its owner's income"
    ),
    "eurl-is": Term("EURL à l’IS", "single-owner company paying corporate tax"),
    "sasu": Term("SASU", "single-shareholder company whose president is insured like an employee"),
    "portage-salarial": Term("portage salarial", "a firm bills the client and pays you a salary"),
    "are": Term("ARE", "unemployment insurance benefit"),
    "ati": Term("ATI", "flat allowance for the self-employed whose business closes"),
    "cfe": Term("CFE", "cotisation foncière des entreprises: a local business tax"),
    "acre": Term("ACRE", "first-year exemption of contributions for new businesses"),
    "esn": Term("ESN", "entreprise de services du numérique: an IT consultancy"),
}


def gloss(key: str, seen: set[str], language: Language) -> str:
    """Return the term's name, glossed the first time an English view shows it.

    `seen` belongs to one view: start each render with an empty set.
    """
    term = TERMS[key]
    if language == "fr" or key in seen:
        return term.name
    seen.add(key)
    return f"{term.name} ({term.gloss})"
