"""The band sigma's derivation as the dataset records it: parsed, checked, and refused when bad."""

import pytest

from tjm.benchmarks import dataset_text, load_dataset, parse_dataset
from tjm.errors import DataError


def _broken(old: str, new: str) -> str:
    text = dataset_text()
    assert old in text, old
    return text.replace(old, new, 1)


def test_derivation_is_recorded_with_sources():
    """The dataset records the held-out error, two source pairs and a published range."""
    d = load_dataset().sigma_derivation
    assert d is not None
    assert 0 < d.loo_error < 0.2
    assert {(p.a_source, p.b_source) for p in d.pairs} == {("abc-portage-2024",
                                                           "free-work-intechnia")}
    assert [(r.low, r.mid, r.high) for r in d.ranges] == [(550, 600, 700)]
    assert "exp(sigma²/2)" in d.averages_note


BROKEN = [
    ("range out of order", lambda: _broken("low = 550", "low = 650"),
     r"band_sigma\.ranges\[0\]\.mid: expected low < mid < high"),
    ("pair with an unknown source", lambda: _broken('a_source = "abc-portage-2024"',
                                                    'a_source = "nope"'),
     r"band_sigma\.pairs\[0\]\.a_source: unknown source 'nope'"),
    ("held-out error missing", lambda: _broken("loo_error = ", "loo_err = "),
     r"band_sigma\.loo_error: missing"),
]


@pytest.mark.parametrize(("case", "make", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_derivation_names_the_key(case, make, message):
    """A malformed [band_sigma] table raises DataError naming the key at fault."""
    with pytest.raises(DataError, match=message):
        parse_dataset(make())
