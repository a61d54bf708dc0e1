"""French legal terms: French names in both languages, an English gloss once per view."""

import pytest

from tjm.i18n.glossary import TERMS, gloss

ISSUE_TERMS = [  # the terms issue 16 and its brief name
    "versement libératoire",
    "décote",
    "prélèvement forfaitaire unique",
    "micro-entreprise",
    "plafond micro",
    "portage salarial",
    "cotisations",
    "TJM",
    "URSSAF",
    "CIPAV",
    "SSI",
    "barème progressif",
    "quotient familial",
    "EURL à l’IS",
    "SASU",
]


def test_the_named_terms_are_there():
    """Every term the issue names is in the glossary, under its official French name."""
    names = {t.name for t in TERMS.values()}
    assert [n for n in ISSUE_TERMS if n not in names] == []


def test_english_glosses_the_first_time_only():
    """An English view shows "term (gloss)" the first time, then the bare term."""
    seen: set[str] = set()
    assert gloss("decote", seen, "en") == "décote (income tax reduction for small tax bills)"
    assert gloss("decote", seen, "en") == "décote"
    assert gloss("sasu", seen, "en").startswith("SASU (")
    assert gloss("decote", set(), "en").startswith("décote (")  # a new view starts afresh


def test_french_never_glosses():
    """A French view shows the term alone, and does not use up the English first mention."""
    seen: set[str] = set()
    assert [gloss(key, seen, "fr") for key in TERMS] == [t.name for t in TERMS.values()]
    assert seen == set()


@pytest.mark.parametrize("key", TERMS)
def test_glosses_are_short_english(key):
    """Each gloss is a short phrase, adds words to its term, and cannot break the parentheses."""
    term = TERMS[key]
    assert 10 <= len(term.gloss) <= 70, term.gloss
    assert term.gloss.lower() != term.name.lower()
    assert not set("()") & set(term.gloss), term.gloss
    assert term.gloss == term.gloss.strip()
    assert not term.gloss.endswith(".")


def test_an_unknown_term_is_a_bug():
    """A key that is not in the glossary raises, rather than printing something made up."""
    with pytest.raises(KeyError):
        gloss("nonexistent", set(), "en")
