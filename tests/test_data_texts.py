"""The packaged data's texts that tjm shows (labels, channel notes, the tax scale's note) are
in the catalogue, so they read in French too."""

import pytest

from tjm import i18n
from tjm.dataset.load import load_dataset
from tjm.fields import available_years
from tjm.france.rules import load_rules

from .test_i18n import TOOL


def shown_texts() -> list[str]:
    """Return every data text the code shows through `_`: each label, each channel's note
    and recorded figures, and each rules year's scale note."""
    data = load_dataset()
    texts = [
        *(r.label for r in data.regions.values()),
        *(b.label for b in data.bands),
        *(r.label for r in data.roles.values()),
        *(s.label for s in data.skills.values()),
    ]
    for channel in (data.channels or {}).values():
        texts.append(channel.label)
        texts.extend(f.what for f in channel.figures)
        if channel.note:
            texts.append(channel.note)
    texts.extend(load_rules(year).scale_note for year in available_years())
    return texts


def test_every_shown_data_text_is_extracted():
    """tools/catalog.py extracts each data text the code shows, so the coverage test asks
    for its French."""
    extracted = {m.id for m in TOOL.extract() if m.id}
    assert [t for t in shown_texts() if t not in extracted] == []


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Other French cities", "Autres villes de France"),
        ("> 15 years", "> 15 ans"),
        ("AI engineer", "Ingénieur IA"),
        ("ESN / agency", "ESN / agence"),
        ("timesheet tool", "outil de saisie des CRA"),
    ],
)
def test_data_texts_read_in_french(english, french):
    """A data text is shown as it is in English and through the catalogue in French."""
    assert english in shown_texts()
    assert i18n._(english) == english
    i18n.activate("fr")
    assert i18n._(english) == french
