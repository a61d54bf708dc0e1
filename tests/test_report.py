"""`tjm report`: one self-contained HTML page (or Markdown) whose figures are the JSON's, in
the user's language, that prints on A4 without overflowing."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tjm import i18n
from tjm.cli import app

ARTIFACTS = Path(__file__).parent.parent / "build" / "test-artifacts"
QUOTE = ["--role", "ai-engineer", "--years", "3", "--region", "idf", "--skill", "llm"]
INCOME = ["--target-net", "50000"]
# The guided example of the issue: Malt, two clients, a rate.
SALES = ["--rate", "550", "--channel", "malt", "--client", "A:600:120", "--client", "B:520:40"]


class Figures(HTMLParser):
    """Collect each tagged figure (data-figure, data-value), the links, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, float] = {}
        self.links: list[str] = []
        self.text: list[str] = []
        self.hidden = 0  # inside <style> or <script>
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.hidden += tag in ("style", "script")
        if tag == "html":
            self.lang = found.get("lang") or ""
        if "data-figure" in found:
            self.figures[found["data-figure"] or ""] = float(found["data-value"] or "nan")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "script")


def run_json(runner, argv: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, [*argv, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def at(obj: Any, path: str) -> Any:
    """Return the value at a dotted path (list items by index) of a JSON object."""
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def report(runner, argv: list[str]) -> Figures:
    result = runner.invoke(app, ["report", *argv])
    assert result.exit_code == 0, result.stderr
    page = Figures()
    page.feed(result.stdout)
    return page


def test_the_reports_figures_are_the_jsons(runner):
    """Every figure the HTML report shows (floor, target, stretch, band, rate, percentile,
    each status's floor, turnover and net, each channel's prices) equals the number at the
    same place in the JSON of tjm quote, tjm statuses and tjm channel for the same inputs."""
    page = report(runner, [*QUOTE, *INCOME, "--rate", "550"])
    quote = run_json(runner, ["quote", *QUOTE, *INCOME, "--rate", "550"])
    statuses = run_json(runner, ["statuses", *INCOME])
    channels = run_json(runner, ["channel", "--rate", "550"])
    assert len(page.figures) >= 30
    for path, value in page.figures.items():
        source = statuses if path.startswith("statuses.") else quote
        source = channels if path.startswith("channels.") else source
        assert at(source, path) == pytest.approx(value), path
    assert {"target", "stretch", "band.p25", "band.p50", "band.p75", "floor.floor"} <= set(
        page.figures
    )
    assert "inputs.rate" in page.figures
    assert "percentile" in page.figures


def test_the_report_is_self_contained_with_links_and_versions(runner):
    """The page holds its charts as inline SVG and its style inline: no script, no image
    or style sheet fetched; each source is a link; the date, data and tjm versions show."""
    result = runner.invoke(app, ["report", *QUOTE, *INCOME, *SALES])
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert html.count("<svg") == 2
    assert "<script" not in html
    assert "<img" not in html
    assert "<link" not in html
    page = Figures()
    page.feed(html)
    assert page.links
    assert all(link.startswith("https://") for link in page.links)
    text = " ".join(page.text)
    assert "29 Nov 2026" in text
    assert "tjm 0.1.0" in text
    version = run_json(runner, ["quote", *QUOTE])["dataset"]["version"]
    assert f"data {version}" in text
    assert "Malt" in text
    assert "SASU" in text
    assert "Transformers / GPT (LLM)" in text


def test_the_report_speaks_french(runner, monkeypatch):
    """In French the page says lang="fr", and its text has French labels, « » and no straight
    quote or raw id."""
    monkeypatch.setenv("TJM_LANG", "fr")
    try:
        page = report(runner, [*QUOTE, *INCOME, *SALES])
    finally:
        i18n.activate("en")
    text = " ".join(page.text)
    assert page.lang == "fr"
    assert "Rapport de TJM" in text
    assert "Ingénieur IA" in text
    assert "«\xa0" in text
    assert '"' not in text
    assert "'" not in text
    assert "ai-engineer" not in text
    assert "idf" not in text


def test_markdown_has_the_same_headline(runner):
    """--format md writes Markdown with the same headline figures as the JSON."""
    result = runner.invoke(app, ["report", *QUOTE, *INCOME, "--format", "md"])
    assert result.exit_code == 0, result.stderr
    quote = run_json(runner, ["quote", *QUOTE, *INCOME])
    md = result.stdout
    assert md.startswith("# Day rate report\n")
    assert f"| Target (the model's rate) | {quote['target']:.0f} EUR/day |" in md
    assert f"| {quote['band']['p75']:,} EUR |" in md
    assert "## Floor per status" in md
    assert "](https://" in md


def test_a_bad_format_is_a_usage_error(runner):
    """--format other than html or md is refused, naming the flag, before any work."""
    result = runner.invoke(app, ["report", *QUOTE, "--format", "pdf"])
    assert result.exit_code == 2
    assert "--format" in result.stderr
    assert "html or md" in result.stderr


def test_output_is_written_once_and_not_overwritten(runner, tmp_path):
    """-o writes the page; a second run refuses to overwrite it without --force."""
    target = tmp_path / "report.html"
    first = runner.invoke(app, ["report", *QUOTE, "-o", str(target)])
    assert first.exit_code == 0, first.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = runner.invoke(app, ["report", *QUOTE, "-o", str(target)])
    assert again.exit_code == 2
    assert runner.invoke(app, ["report", *QUOTE, "-o", str(target), "--force"]).exit_code == 0


# A4 is 210 mm wide; the page's @page margins are 16 mm each side: 178 mm print, 673 px.
A4_PRINT_WIDTH, A4_HEIGHT = 673, 1123
CHECK = """<script>
addEventListener('load', () => {
  const edge = document.body.getBoundingClientRect().right + 1;
  const over = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > edge).map(e => e.tagName);
  const wide = document.documentElement.scrollWidth > innerWidth;
  document.title = 'overflow:' + over.length + ':' + wide + ':' + over.slice(0, 5).join(',');
});
</script>"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    chromium() is None,
    reason="no headless Chromium (CI installs Debian's chromium; apt-get install -y chromium)",
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_report_fits_a_printed_a4_page_width(runner, monkeypatch, tmp_path, language):
    """Rendered by headless Chromium at the printable width of A4, no element of the report
    reaches past the page's edge; the screenshot and the PDF are kept in build/test-artifacts."""
    monkeypatch.setenv("TJM_LANG", language)
    try:
        result = runner.invoke(app, ["report", *QUOTE, *INCOME, *SALES])
    finally:
        i18n.activate("en")
    assert result.exit_code == 0, result.stderr
    page = tmp_path / f"report.{language}.html"
    page.write_text(result.stdout.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser = [str(chromium()), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    size = f"--window-size={A4_PRINT_WIDTH},{A4_HEIGHT}"
    dom = subprocess.run(
        [*browser, size, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    title = dom.split("<title>")[1].split("</title>")[0]
    assert title.startswith("overflow:0:false"), title
    subprocess.run(
        [*browser, size, f"--screenshot={ARTIFACTS / f'report.{language}.png'}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    subprocess.run(
        [*browser, f"--print-to-pdf={ARTIFACTS / f'report.{language}.pdf'}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert (ARTIFACTS / f"report.{language}.png").stat().st_size > 10_000
    assert (ARTIFACTS / f"report.{language}.pdf").read_bytes().startswith(b"%PDF")
