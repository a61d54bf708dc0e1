"""`tjm batch --excel`: the CSV a French spreadsheet opens as columns (`;`, decimal commas, a
BOM); the default stays the plain CSV scripts read."""

from __future__ import annotations

import csv
import io

from tjm.cli import app

ROSTER = (
    "name,role,years,region,skills,rate\n"
    "Ana,ai-engineer,2.5,idf,rag;nlp,550\n"
    "Bob,data-scientist,7,france,,\n"
    'Chloé,data-engineer,12.5,other-city,"",612.5\n'
)


def priced(runner, tmp_path, *flags: str) -> str:
    source = tmp_path / "roster.csv"
    source.write_text(ROSTER, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(source), *flags])
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def test_excel_csv_round_trips_through_the_csv_module(runner, tmp_path):
    """Read back with `;` and decimal commas, the --excel file holds the same header and the
    same cells as the plain CSV, numbers included (2,5 is 2.5; 53,36 is 53.36)."""
    plain = list(csv.reader(io.StringIO(priced(runner, tmp_path))))
    text = priced(runner, tmp_path, "--excel")
    assert text.startswith("\ufeff")
    excel = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert excel[0] == plain[0]
    assert len(excel) == len(plain) == 4
    for row_x, row_p in zip(excel[1:], plain[1:], strict=True):
        for cell_x, cell_p in zip(row_x, row_p, strict=True):
            try:
                assert float(cell_x.replace(",", ".")) == float(cell_p)
                assert "." not in cell_x
            except ValueError:
                assert cell_x == cell_p
    assert excel[1][2] == "2,5"
    assert excel[1][4] == "rag;nlp"
    assert any("," in cell for cell in excel[1][6:])  # the percentile, 53,36


def test_plain_csv_stays_the_default(runner, tmp_path):
    """Without --excel, the CSV has commas between cells, decimal points and no BOM."""
    text = priced(runner, tmp_path)
    assert not text.startswith("\ufeff")
    assert text.splitlines()[0].startswith("name,role,years")
    assert ",2.5," in text


def test_excel_goes_with_csv_only(runner, tmp_path):
    """--excel with --format json is refused as conflicting flags (exit 2)."""
    source = tmp_path / "roster.csv"
    source.write_text(ROSTER, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(source), "--excel", "--format", "json"])
    assert result.exit_code == 2
    assert "--excel" in result.stderr
