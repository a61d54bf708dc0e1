"""The language: how it is chosen, and the French catalogue that must cover every message."""

import ast
import importlib.util
import io
import json
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from tjm import i18n
from tjm.cli.lang import resolve_language
from tjm.errors import EXIT_USAGE, InputError, UsageError

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "src" / "tjm"
PO = SOURCE / "i18n" / "locale" / "fr" / "LC_MESSAGES" / "tjm.po"
MO = PO.with_suffix(".mo")
HEAVY = ("numpy", "scipy", "questionary", "tomli_w", "prompt_toolkit", "babel", "rich")


def load_tool():
    """Import tools/catalog.py, so the tests extract exactly as the tool does."""
    spec = importlib.util.spec_from_file_location("catalog_tool", ROOT / "tools" / "catalog.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = load_tool()


@pytest.fixture(autouse=True)
def english_after():
    """Leave the process in English whatever a test activated."""
    yield
    i18n.activate("en")


# --- Choosing the language -------------------------------------------------------------------

LOCALES = [  # environment, the language it gives
    ({}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr"}, "fr"),
    ({"LANG": "fr_CA"}, "fr"),
    ({"LANG": "fr_BE@euro"}, "fr"),
    ({"LANG": "FR_fr.utf8"}, "fr"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "frr_DE.UTF-8"}, "en"),  # North Frisian starts with "fr" but is not French
    ({"LANG": "C"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": ""}, "en"),
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "en_US", "LANG": "en_US"}, "fr"),
    ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),  # C set first: POSIX, not a skip
    ({"LC_ALL": "", "LC_MESSAGES": " ", "LANG": "fr_FR.UTF-8"}, "fr"),  # empty ones are skipped
    ({"LANGUAGE": "fr", "LANG": "en_US.UTF-8"}, "en"),  # GNU's LANGUAGE is not read
]


@pytest.mark.parametrize(("env", "expected"), LOCALES)
def test_locale_default(env, expected):
    """The first non-empty of LC_ALL, LC_MESSAGES, LANG decides: French when its code is fr."""
    assert i18n.locale_language(env) == expected
    assert resolve_language(None, env) == expected


CHOICES = st.sampled_from(["fr", "en"])


@given(
    flag=st.none() | CHOICES,
    variable=st.none() | st.just("") | CHOICES,
    profile=st.none() | CHOICES,
    locale=st.sampled_from(["fr_FR.UTF-8", "en_US.UTF-8", "C", ""]),
)
def test_resolution_order(flag, variable, profile, locale):
    """--lang wins over TJM_LANG, which wins over the profile, which wins over the locale."""
    env = {"LANG": locale} | ({} if variable is None else {"TJM_LANG": variable})
    by_locale = "fr" if locale.startswith("fr") else "en"
    expected = next(x for x in (flag, variable, profile, by_locale) if x)
    assert resolve_language(flag, env, profile) == expected


def test_each_source_is_read():
    """Each source alone decides when the ones above it are silent."""
    french = {"LANG": "fr_FR.UTF-8"}
    assert resolve_language("en", {"TJM_LANG": "fr"}, "fr") == "en"
    assert resolve_language(None, {"TJM_LANG": "en", **french}, "fr") == "en"
    assert resolve_language(None, {"TJM_LANG": "  ", **french}, "en") == "en"
    assert resolve_language(None, french, "en") == "en"
    assert resolve_language(None, french, None) == "fr"


@pytest.mark.parametrize(("text", "expected"), [("fr", "fr"), ("EN", "en"), (" Fr ", "fr")])
def test_language_values_ignore_case_and_spaces(text, expected):
    """A flag or variable may say FR or " en ": the value is the same language."""
    assert i18n.parse_language(text) == expected
    assert resolve_language(text, {}) == expected
    assert resolve_language(None, {"TJM_LANG": text}) == expected


BAD = ["de", "fr_FR", "fr_FR.UTF-8", "french", "", "C", "f r"]


@pytest.mark.parametrize("text", BAD)
def test_bad_flag_names_the_flag(text):
    """A --lang that is not fr or en is a usage error (exit 2) naming --lang and the value."""
    with pytest.raises(InputError) as raised:
        resolve_language(text, {"TJM_LANG": "fr"})
    assert raised.value.exit_code == EXIT_USAGE
    assert str(raised.value) == f"--lang: expected fr or en, got {text!r}"


@pytest.mark.parametrize("text", [t for t in BAD if t.strip()])
def test_bad_variable_names_the_variable(text):
    """A TJM_LANG that is not fr or en is a usage error (exit 2) naming TJM_LANG and the value."""
    with pytest.raises(UsageError) as raised:
        resolve_language(None, {"TJM_LANG": text, "LANG": "fr_FR.UTF-8"}, "fr")
    assert raised.value.exit_code == EXIT_USAGE
    assert str(raised.value) == f"TJM_LANG: expected fr or en, got {text!r}"


def test_bad_values_in_french():
    """With French active, the same errors are in French and still name the flag or variable."""
    i18n.activate("fr")
    with pytest.raises(InputError, match=r"^--lang\u00a0: fr ou en attendu, reçu 'de'$"):
        resolve_language("de", {})
    with pytest.raises(UsageError, match=r"^TJM_LANG\u00a0: fr ou en attendu, reçu 'de'$"):
        resolve_language(None, {"TJM_LANG": "de"})


# --- Speaking it -----------------------------------------------------------------------------


def test_activate_switches_the_catalogue():
    """French translates a catalogued message; English gives it back as written."""
    message = "expected fr or en, got {value}"
    i18n.activate("fr")
    assert i18n.active_language() == "fr"
    assert i18n._(message) == "fr ou en attendu, reçu {value}"
    assert i18n.pgettext("nowhere", message) == message  # another context is another message
    i18n.activate("en")
    assert i18n.active_language() == "en"
    assert i18n._(message) == message


def test_unknown_messages_and_plurals_fall_back_to_english():
    """A message missing from the catalogue is shown in English, with English plural forms."""
    i18n.activate("fr")
    assert i18n._("not in any catalogue") == "not in any catalogue"
    assert i18n.ngettext("{n} row", "{n} rows", 1) == "{n} row"
    assert i18n.ngettext("{n} row", "{n} rows", 2) == "{n} rows"


def test_marker_returns_its_argument():
    """N_ only marks a string for extraction; _ translates it where it is shown."""
    assert i18n.N_("expected fr or en, got {value}") == "expected fr or en, got {value}"


def test_a_missing_catalogue_leaves_english(monkeypatch, tmp_path):
    """A broken install without the .mo speaks English rather than failing."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    i18n._catalogue_for.cache_clear()  # the catalogues are loaded once per language
    try:
        i18n.activate("fr")
        assert i18n._("expected fr or en, got {value}") == "expected fr or en, got {value}"
    finally:
        i18n._catalogue_for.cache_clear()


def test_french_plural_rule():
    """The catalogue uses gettext's French rule: 0 and 1 take the singular."""
    with MO.open("rb") as file:
        catalog = read_mo(file)
    assert catalog.num_plurals == 2
    assert catalog.plural_expr == "(n > 1)"


def test_activating_french_stays_light():
    """Loading the language modules and the French catalogue imports no heavy module."""
    probe = (
        "import sys, json\n"
        "from tjm import i18n\nfrom tjm.i18n import formats, glossary\n"
        "i18n.activate('fr')\n"
        "assert i18n._('expected fr or en, got {value}').startswith('fr ou en')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    assert [m for m in loaded if m.split(".")[0] in HEAVY] == []
    assert "tjm.i18n" in loaded  # the probe did load what it claims to check


# --- The catalogue ---------------------------------------------------------------------------


def french_catalogue() -> Catalog:
    """Read the French .po source."""
    with PO.open("rb") as file:
        return read_po(file, locale="fr")


def forms(string: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """Return a message's text or plural texts as a tuple."""
    return (string or "",) if string is None or isinstance(string, str) else tuple(string)


def untranslated(template: Catalog, french: Catalog) -> list[str]:
    """Return each message of the template that has no French, or only a fuzzy one."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = french.get(message.id, context=message.context)
        if found is None or found.fuzzy or not all(forms(found.string)):
            missing.append(repr(message.id))
    return missing


def fields(text: str) -> set[str]:
    """Return the names of text's str.format placeholders."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def placeholder_faults(french: Catalog) -> list[str]:
    """Return each translation whose placeholders differ from its message's.

    Every French form of a plural carries the placeholders of both English forms: French
    form 0 serves 0 as well as 1, so it cannot leave the count out.
    """
    faults = []
    for message in french:
        if not message.id or not any(forms(message.string)):
            continue
        wanted = set().union(*(fields(text) for text in forms(message.id)))
        for text in forms(message.string):
            if text and fields(text) != wanted:
                faults.append(f"{message.id!r}: {sorted(fields(text))} != {sorted(wanted)}")
    return faults


def bad_placeholders(template: Catalog) -> list[str]:
    """Return each message with a placeholder that is not a bare name: {}, {0}, {x:.2f}, {x!r}."""
    faults = []
    for message in template:
        for text in forms(message.id) if message.id else ():
            try:
                parsed = list(string.Formatter().parse(text))
            except ValueError as error:
                faults.append(f"{text!r}: {error}")
                continue
            for _, name, spec, conversion in parsed:
                if name is not None and (not name.isidentifier() or spec or conversion):
                    faults.append(f"{text!r}: {{{name}}}")
    return faults


def test_every_message_has_french():
    """Every message marked in src/tjm has a French translation that is neither empty nor fuzzy."""
    assert untranslated(TOOL.extract(), french_catalogue()) == []


def test_translations_keep_their_placeholders():
    """No French translation drops, adds or renames a placeholder."""
    assert placeholder_faults(french_catalogue()) == []


def straight_elisions(catalog: Catalog) -> list[str]:
    """Return the French texts that elide with a straight apostrophe (d'affaires)."""
    texts = [t for m in catalog if m.id for t in forms(m.string) if t]
    return [t for t in texts if re.search(r"\w'\w", t)]


def test_french_elides_with_the_typographic_apostrophe():
    """French text writes d’affaires, l’IS with U+2019, never a straight quote (the check sees
    one)."""
    assert straight_elisions(french_catalogue()) == []
    broken = Catalog(locale="fr")
    broken.add("turnover", "chiffre d'affaires")
    assert straight_elisions(broken) == ["chiffre d'affaires"]


def test_placeholders_are_bare_names():
    """Messages use named placeholders only, with no format spec (numbers go through formats)."""
    assert bad_placeholders(TOOL.extract()) == []


def test_the_checks_catch_faults():
    """The coverage checks report a missing, a fuzzy, and a renamed or dropped placeholder."""
    template = Catalog(locale=None)
    french = Catalog(locale="fr")
    for message in ("a {rate}", "b", "c {n}", "d"):
        template.add(message)
    french.add("a {rate}", "a {taux}")  # renamed
    french.add("b", "bé", flags=["fuzzy"])  # fuzzy
    french.add("c {n}", "c")  # dropped; "d" is missing altogether
    assert untranslated(template, french) == ["'b'", "'d'"]
    assert len(placeholder_faults(french)) == 2
    plural = Catalog(locale="fr")
    plural.add(("{n} day", "{n} days"), ("un jour", "{n} jours"))  # French form 0 serves 0 too
    assert len(placeholder_faults(plural)) == 1
    bad = Catalog()
    for message in ("{}", "{0}", "{x:.2f}", "{x!r}", "{x.y}", "{x", "{ok} {{literal}}"):
        bad.add(message)
    assert len(bad_placeholders(bad)) == 6


def test_the_mo_is_compiled_from_the_po():
    """The shipped .mo holds exactly the .po's translations (run tools/catalog.py compile)."""

    def messages(catalog: Catalog) -> dict[object, object]:
        # A plural's id and string are lists: tuples can be keys and compare the same.
        return {(forms(m.id), m.context): forms(m.string) for m in catalog if m.id}

    with MO.open("rb") as file:
        shipped = read_mo(file)
    fresh = read_mo(io.BytesIO(TOOL.compiled(PO)))
    assert messages(shipped) == messages(fresh)
    assert shipped.plural_forms == fresh.plural_forms
    assert messages(shipped)  # the comparison has something to compare


# --- Messages are written so that they can be translated -------------------------------------

MARKERS = {"_": (0,), "N_": (0,), "ngettext": (0, 1), "pgettext": (0, 1)}


def unextractable(tree: ast.AST) -> list[int]:
    """Return the lines where a marker is called on text built before the lookup.

    An f-string, a concatenation, a %-format or a .format() inside `_()` is looked up after
    it is filled in, so it never matches the catalogue. `_(NAME)` translates an N_ constant.
    """
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        positions = MARKERS.get(node.func.id)
        if positions is None:
            continue
        for i in positions:
            arg = node.args[i] if i < len(node.args) else None
            literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            constant = node.func.id == "_" and isinstance(arg, ast.Name | ast.Attribute)
            if not (literal or constant):
                lines.append(node.lineno)
    return lines


def test_messages_are_whole_literals():
    """Every _, N_, ngettext and pgettext in src/tjm takes a literal (or, for _, a constant)."""
    faults = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        for line in unextractable(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert faults == []


def test_the_literal_check_can_fail():
    """The check flags f-strings, concatenation, %-formatting and .format() inside the marker."""
    code = (
        '_(f"x {y}")\n_("a" + b)\n_("%s" % b)\n_("{a}".format(a=1))\n'
        'ngettext("a", plural, n)\n_("ok")\n_(LABEL)\nN_("ok")\n'
        'pgettext("ctx", "ok")\n_("{a}").format(a=1)\n'
    )
    assert sorted(unextractable(ast.parse(code))) == [1, 2, 3, 4, 5]


def test_speaking_scopes_the_language():
    """speaking("fr") speaks French inside its block only, and the language before it after,
    so one API call in French leaves the next one in English."""
    i18n.activate("en")
    with i18n.speaking("fr") as chosen:
        assert chosen == "fr"
        assert i18n._("expected fr or en, got {value}") != "expected fr or en, got {value}"
    assert i18n.active_language() == "en"
    assert i18n._("expected fr or en, got {value}") == "expected fr or en, got {value}"
