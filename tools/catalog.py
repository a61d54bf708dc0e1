"""Keep the French catalogue in step with the code: extract, update the .po, compile the .mo.

Usage: .venv/bin/python tools/catalog.py [extract|update|compile]   (no argument: all three)

- extract: every `_`, `ngettext`, `pgettext` and `N_` message in src/tjm, and the texts of the
           packaged data that views and messages show (DATA_TEXTS) -> build/i18n/tjm.pot
- update:  merge them into src/tjm/i18n/locale/fr/LC_MESSAGES/tjm.po; new messages come in with an
           empty msgstr, changed ones as fuzzy guesses, removed ones are dropped
- compile: the .po -> tjm.mo beside it, shipped in the package (fuzzy entries left out)

Then translate what is empty or fuzzy in the .po (and remove the fuzzy mark), and run it
again. tests/test_i18n.py fails while a message lacks its French, or the .mo is stale. On a
merge conflict in tjm.mo, resolve the .po and run `compile`. Babel is a test extra only.
The .po records each message's file but not its line, so that edits elsewhere in a file,
and parallel branches, leave it alone.
"""

from __future__ import annotations

import argparse
import io
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tjm import __version__

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "tjm"
POT = ROOT / "build" / "i18n" / "tjm.pot"
PO = SOURCE / "i18n" / "locale" / "fr" / "LC_MESSAGES" / "tjm.po"
MO = PO.with_suffix(".mo")
# The marker functions of tjm.i18n, with where their message arguments are.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
# The data texts shown to users, by file pattern: dotted key patterns, "*" for any one key.
# The code shows them through `_(...)`; the rest of the data (sources, scopes, notes that
# document a figure) is a record of the sources, kept in English.
DATA_TEXTS = {
    "data/benchmarks.toml": (
        "regions.*.label",
        "bands.*.label",
        "roles.*.label",
        "skills.*.label",
        "channels.*.label",
        "channels.*.note",
        "channels.*.figures.*.what",
        "discount.views.*.view",
        "discount.note",
    ),
    "data/fr-*.toml": ("income_tax.scale_note",),
}
HEADER = """\
# French translations for tjm.
# Update with tools/catalog.py, then translate every empty or fuzzy entry.
#"""


def extract() -> Catalog:
    """Return every marked message in src/tjm, with its file, line and translator comments."""
    catalog = Catalog(project="tjm", msgid_bugs_address="", charset="utf-8")
    found = extract_from_dir(
        SOURCE,
        method_map=[("**.py", "python"), *((pattern, _data_texts) for pattern in DATA_TEXTS)],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, line, message, comments, context in found:
        where = (SOURCE.relative_to(ROOT) / filename).as_posix()
        catalog.add(message, None, [(where, line)], auto_comments=comments, context=context)
    return catalog


def _data_texts(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor: yield the texts DATA_TEXTS names in one TOML data file."""
    text = fileobj.read().decode("utf-8")
    name = Path(getattr(fileobj, "name", "")).name
    patterns = next(
        (keys for glob, keys in DATA_TEXTS.items() if Path(name).match(Path(glob).name)), ()
    )
    lines = text.splitlines()
    for path, value in _strings(tomllib.loads(text), ()):
        if any(_matches(path, pattern.split(".")) for pattern in patterns):
            line = next((i for i, t in enumerate(lines, 1) if value in t), 1)
            yield line, "_", value, [f"data: {'.'.join(path)}"]


def _strings(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield every string in a TOML document with its key path (array items count as "*")."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, (*path, "*"))


def _matches(path: tuple[str, ...], pattern: list[str]) -> bool:
    if len(path) != len(pattern):
        return False
    return all(p in ("*", k) for k, p in zip(path, pattern, strict=True))


def update(template: Catalog) -> Catalog:
    """Return the French catalogue merged with `template`, its header dates kept as they were."""
    if not PO.exists():
        return _new_french(template)
    with PO.open("rb") as file:
        french = read_po(file, locale="fr")
    # Dates that moved on every run would make each branch's .po conflict with the others'.
    french.update(template, update_creation_date=False)
    return french


def _new_french(template: Catalog) -> Catalog:
    french = Catalog(
        locale="fr",
        project="tjm",
        header_comment=HEADER,
        msgid_bugs_address="",
        version=__version__,
        last_translator="tjm contributors",
        language_team="fr",
        charset="utf-8",
        fuzzy=False,
    )
    french.revision_date = french.creation_date
    # gettext's rule for French (0 and 1 singular); CLDR's third form only serves phrases
    # like "1 million de lignes", and tjm writes counts in digits.
    french.mime_headers = [("Plural-Forms", "nplurals=2; plural=(n > 1);")]
    french.update(template, update_creation_date=False)
    return french


def write(catalog: Catalog, path: Path) -> None:
    """Write a .pot or .po at path, with file names but no line numbers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, include_lineno=False, ignore_obsolete=True, width=100)
    path.write_bytes(buffer.getvalue())


def compiled(po: Path) -> bytes:
    """Return the .mo that the .po at path compiles to, fuzzy entries left out."""
    with po.open("rb") as file:
        catalog = read_po(file, locale="fr")
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", choices=["extract", "update", "compile"])
    step = parser.parse_args().step
    if step in (None, "extract", "update"):
        template = extract()
        write(template, POT)
        print(f"{POT.relative_to(ROOT)}: {len(template)} messages")
        if step in (None, "update"):
            french = update(template)
            write(french, PO)
            todo = sum(1 for m in french if m.id and (m.fuzzy or not all(_forms(m.string))))
            print(f"{PO.relative_to(ROOT)}: {len(french)} messages, {todo} to translate")
    if step in (None, "compile"):
        MO.write_bytes(compiled(PO))
        print(f"{MO.relative_to(ROOT)} compiled")


def _forms(string: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    return (string or "",) if string is None or isinstance(string, str) else tuple(string)


if __name__ == "__main__":
    main()
