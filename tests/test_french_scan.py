"""No French answer holds a straight quote, a raw id or an English word: every French golden
text of the result views, the guided quote in French, and the French report are scanned.

The data listings (benchmarks, a profile's file, the user's data) show records as they are
stored (ids to type, the sources' own words) and are left out. Text between « and » is a
quotation or a title, kept in its own language; URLs are addresses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tjm import i18n
from tjm.cli import app, prompts

from .fakes import FULL

GOLDEN = Path(__file__).parent / "golden"
RESULT_VIEWS = (
    "quote",
    "quote-details",
    "compare",
    "floor",
    "floor-micro",
    "statuses",
    "statuses-net",
    "channel",
)
# The ids that have a label: roles, regions, skills, statuses, levers, verdicts.
IDS = (
    "ai-engineer",
    "data-scientist",
    "data-engineer",
    "other-city",
    "idf",
    "abroad",
    "computer-vision",
    "micro-bnc",
    "micro-bnc-cipav",
    "eurl-is",
    "eurl-ir",
    "more-days",
    "switch-status",
    "reposition",
    "in-band",
    "under-priced",
)
ENGLISH = (
    "the",
    "and",
    "with",
    "your",
    "you",
    "done",
    "warning",
    "of",
    "per",
    "year",
    "days",
    "is",
    "are",
    "for",
    "not",
    "fee",
    "rate",
    "floor",
    "target",
    "Why",
    "Flat",
    "selection",
    "selections",
)


# A sentence's first word after a colon: French writes it in lower case (names keep theirs:
# Malt, Transformers, Le Journal des Entreprises).
CAPITAL = (
    "\u00a0: (?:Le(?! Journal)|La|Les|Ce|Cette|Un|Une|Impôt|Après|Sans|Aucun|Aucune|Votre|"
    "Vos|Données|Il|Elle|Pas|Plus)\\b"
)


def problems(text: str) -> list[str]:
    """Return each straight quote, raw id and English word in a French text, with its
    surroundings; quotations (« … ») and URLs are skipped."""
    text = re.sub(r"«[^»]*»", "«»", text)
    text = re.sub(r"https?://\S+", "", text)
    found = []

    def near(m: re.Match[str]) -> str:
        return text[max(0, m.start() - 25) : m.end() + 10]

    found += [f"quote {near(m)!r}" for m in re.finditer("[\"']", text)]
    for word in IDS:
        found += [f"id {near(m)!r}" for m in re.finditer(rf"(?<![\w-]){word}(?![\w-])", text)]
    for word in ENGLISH:
        pattern = rf"(?<![\w’-]){word}(?![\w’-])"
        found += [f"English {near(m)!r}" for m in re.finditer(pattern, text)]
    return found


def test_the_scan_finds_each_kind_of_fault():
    """The scan catches a straight quote, a raw id, an English word and a capital after a
    colon; it lets « quotations », URLs and names after a colon be."""
    assert problems("l'IA")
    assert problems("levier more-days")
    assert problems("done (2 selections)")
    assert problems('un "mot"')
    assert re.findall(CAPITAL, "attention\xa0: Le chiffre")
    assert not re.findall(CAPITAL, "commission\xa0: Le Journal des Entreprises")
    assert not problems("« the rate » https://example.com/the-rate l’IA")


FRENCH_GOLDEN = sorted(p.name for view in RESULT_VIEWS for p in GOLDEN.glob(f"{view}.*fr.txt"))


def test_every_result_view_has_french_golden_texts():
    """Each result view has its French golden text (at 100 columns, and 80 for most)."""
    assert {name.split(".")[0] for name in FRENCH_GOLDEN} == set(RESULT_VIEWS)
    assert len(FRENCH_GOLDEN) >= 2 * len(RESULT_VIEWS) - 1


@pytest.mark.parametrize("name", FRENCH_GOLDEN)
def test_french_golden_views_are_french(name):
    """Each French golden text of a result view is French through and through, with no
    capital after a colon."""
    text = (GOLDEN / name).read_text(encoding="utf-8")
    assert problems(text) == []
    assert re.findall(CAPITAL, text) == []


def test_the_guided_quote_speaks_french_throughout(runner, terminal, monkeypatch):
    """The guided quote in French (Malt, two clients) shows French questions and a French
    answer: no straight quote, raw id or English word in what it prints."""
    answers = {
        **FULL,
        prompts.FLOOR_Q: [True],
        prompts.STATUS_Q: ["micro-bnc"],
        prompts.WEEK_Q: [""],
        prompts.HOLIDAYS_Q: [""],
        prompts.SICK_Q: [""],
        prompts.NON_BILLABLE_Q: [""],
        prompts.EXPENSES_Q: [""],
        prompts.HOUSEHOLD_Q: ["single"],
        prompts.CHILDREN_Q: [""],
        prompts.VL_Q: [False],
        prompts.TARGET_Q: ["50 000"],
        prompts.SELL_DIRECT_Q: [False],
        prompts.CHANNEL_Q: ["malt"],
        prompts.MONTHS_Q: [""],
        prompts.CLIENTS_Q: ["A:600:120, B:520:40"],
        prompts.SAVE_Q: [False],
    }
    monkeypatch.setenv("TJM_LANG", "fr")
    try:
        fake = terminal(answers)
        result = runner.invoke(app, ["quote"])
    finally:
        i18n.activate("en")
    assert result.exit_code == 0, result.stderr
    assert problems(result.stdout) == []
    assert problems("\n".join(fake.shown.values())) == []
    for choices in fake.choices.values():
        assert problems("\n".join(title for title, _ in choices)) == [], choices


def test_checkbox_answer_is_french():
    """questionary's "done (2 selections)" after a list with boxes reads in French."""
    i18n.activate("fr")
    try:
        assert prompts.answer_words("done (2 selections)") == "terminé (2 choix)"
        assert prompts.answer_words("done") == "terminé"
        assert prompts.answer_words("[rag]") == "[rag]"
    finally:
        i18n.activate("en")
