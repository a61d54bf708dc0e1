"""The ids and Hypothesis strategies that several test files share.

The ids are written out, not read from the dataset, so that a test fails if one goes missing.
"""

from typing import Any

from hypothesis import strategies as st

from tjm.fields import DIVIDEND_TAXES, HOUSEHOLDS, available_years

ROLES = ("ai-engineer", "data-scientist", "data-engineer")
REGIONS = ("france", "idf", "other-city", "abroad")
SKILLS = ("rag", "llm", "nlp", "computer-vision")
SPLIT_STATUSES = ("eurl-is", "sasu")  # a salary share, the rest of the profit as dividends

roles = st.sampled_from(ROLES)
regions = st.sampled_from(REGIONS)
skill_sets = st.sets(st.sampled_from(SKILLS)).map(lambda s: tuple(sorted(s)))
households = st.sampled_from(HOUSEHOLDS)
dividend_taxes = st.sampled_from(DIVIDEND_TAXES)
rule_years = st.sampled_from(available_years())


def incomes(
    days: tuple[float, float], most_children: int, **more: st.SearchStrategy[Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """Draw the income inputs every status takes (household, children, days, expenses, year),
    plus any more fields given, as keyword arguments for IncomeInputs."""
    return st.fixed_dictionaries(
        {
            "household": households,
            "children": st.integers(0, most_children),
            "days": st.floats(*days),
            "expenses": st.floats(0, 20_000),
            "year": rule_years,
            **more,
        }
    )
