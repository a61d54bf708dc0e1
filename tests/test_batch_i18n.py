"""tjm batch in French: file errors, bad-row lines and -o refusals are French and still name
the line and column; the English ones keep their words."""

import pytest

from tjm.cli import app

NBSP = "\u00a0"


def batch(runner, lang, *args):
    """Run tjm batch in a language; return (exit code, stderr)."""
    result = runner.invoke(app, ["--lang", lang, "batch", *map(str, args)])
    return result.exit_code, result.stderr


@pytest.fixture
def duplicated(tmp_path):
    """A roster whose header names the years column twice."""
    roster = tmp_path / "dup.csv"
    roster.write_text("name,role,years,years\nA,ai-engineer,3,40\n")
    return roster


@pytest.fixture
def bad_rows(tmp_path):
    """A roster with a good row, a row missing its years, an unknown role and a long row."""
    roster = tmp_path / "bad.csv"
    roster.write_text(
        "name,role,years\nA,ai-engineer,3\nB,ai-engineer\nC,astronaut,4\nD,ai-engineer,5,9\n"
    )
    return roster


def test_duplicated_header_in_french(runner, duplicated):
    """The duplicated column is one French line naming line 1, the column and its positions."""
    code, err = batch(runner, "fr", duplicated)
    assert code == 1
    assert err.count("\n") == 1
    assert f"{duplicated}:1{NBSP}: " in err
    assert "'years' apparaît deux fois (colonnes 3 et 4)" in err
    assert "appears twice" not in err


def test_duplicated_header_in_english(runner, duplicated):
    """The English duplicated-column error keeps its words."""
    assert batch(runner, "en", duplicated) == (
        1,
        f"Error: {duplicated}:1: column 'years' appears twice (columns 3 and 4); "
        "rename or remove one\n",
    )


def test_bad_rows_in_french(runner, bad_rows):
    """Each bad row's line is French and names the file, the line and the column."""
    code, err = batch(runner, "fr", "--quiet", bad_rows)
    assert code == 0
    lines = err.splitlines()
    assert lines[:3] == [
        f"{bad_rows}:3{NBSP}: colonne years{NBSP}: manquant (2 champs sur 3)",
        f"{bad_rows}:4{NBSP}: colonne role{NBSP}: rôle inconnu 'astronaut'",
        f"{bad_rows}:5{NBSP}: 4 champs alors que l’en-tête en a 3",
    ]


def test_bad_rows_in_english(runner, bad_rows):
    """The English bad-row lines keep their words."""
    code, err = batch(runner, "en", "--quiet", bad_rows)
    assert code == 0
    assert err.splitlines()[:3] == [
        f"{bad_rows}:3: column years: missing (2 of 3 fields)",
        f"{bad_rows}:4: column role: unknown role 'astronaut'",
        f"{bad_rows}:5: 4 fields where the header has 3",
    ]


def test_strict_bad_row_in_french(runner, bad_rows):
    """--strict stops at the first bad row with a French error naming its line and column."""
    code, err = batch(runner, "fr", "--strict", bad_rows)
    assert code == 1
    assert err == (
        f"Erreur{NBSP}: {bad_rows}:3{NBSP}: colonne years{NBSP}: manquant (2 champs sur 3)\n"
    )


def test_bad_destination_in_french(runner, bad_rows, tmp_path):
    """-o into a missing folder, to a folder and over a file are French lines naming -o."""
    missing = tmp_path / "nowhere" / "out.csv"
    code, err = batch(runner, "fr", bad_rows, "-o", missing)
    assert code == 2
    assert err.startswith(f"Erreur{NBSP}: -o {missing}{NBSP}: impossible d’utiliser le dossier")
    code, err = batch(runner, "fr", bad_rows, "-o", tmp_path)
    assert (code, err) == (
        2,
        f"Erreur{NBSP}: -o {tmp_path}{NBSP}: est un dossier{NBSP}; tjm n’écrit que dans un "
        "nouveau fichier, un fichier ordinaire avec --force, ou - pour la sortie standard\n",
    )
    code, err = batch(runner, "fr", bad_rows, "-o", bad_rows)
    assert (code, err) == (
        2,
        f"Erreur{NBSP}: {bad_rows} existe déjà{NBSP}; ajoutez --force pour l’écraser\n",
    )


def test_bad_destination_in_english(runner, bad_rows, tmp_path):
    """The English -o refusals keep their words."""
    assert batch(runner, "en", bad_rows, "-o", bad_rows) == (
        2,
        f"Error: {bad_rows} exists; pass --force to overwrite it\n",
    )
    assert batch(runner, "en", bad_rows, "-o", "") == (
        2,
        "Error: -o: empty path; give a file name, or - for stdout\n",
    )


def test_destination_codes(tmp_path):
    """-o codes: over a file file-exists, a folder not-a-regular-file, nowhere bad-destination."""
    from tjm.errors import DestinationError
    from tjm.store.destination import check_output

    existing = tmp_path / "out.csv"
    existing.write_text("")
    cases = [(existing, "file-exists"), (tmp_path, "not-a-regular-file")]
    cases.append((tmp_path / "nowhere" / "out.csv", "bad-destination"))
    for target, code in cases:
        with pytest.raises(DestinationError) as raised:
            check_output(str(target), overwrite=False)
        assert raised.value.code == code
