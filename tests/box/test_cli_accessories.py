"""`minime accessories`: search the catalogue from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from minime.cli import app

runner = CliRunner()


def test_each_query_gets_its_piece_and_confidence_as_json():
    result = runner.invoke(app, ["accessories", "--json", "a cup of espresso", "Katze", "space elevator"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["input"], r["piece"]) for r in rows] == [("a cup of espresso", "coffee-cup"), ("Katze", "cat"),
                                                        ("space elevator", None)]
    assert rows[0]["confidence"] > 0.5 and rows[2]["confidence"] == 0.0


def test_a_word_with_no_piece_says_so_in_one_line():
    result = runner.invoke(app, ["accessories", "quantum flux"])
    assert result.exit_code == 0
    assert "no piece for 'quantum flux'; showing a labelled prop" in result.output


def test_no_query_lists_the_whole_catalogue():
    result = runner.invoke(app, ["accessories", "--json"])
    assert result.exit_code == 0
    pieces = json.loads(result.output)
    assert len(pieces) > 1000 and {"key", "label", "emoji", "kind"} <= set(pieces[0])


def test_bad_input_is_one_line_and_exit_2():
    result = runner.invoke(app, ["accessories", "x" * 31])
    assert result.exit_code == 2
    assert "must be 1-30 characters" in result.output and len(result.output.strip().splitlines()) == 1


def test_words_are_printed_as_typed_not_as_markup_or_emoji_codes():
    """`minime accessories ':x: [bold]dog[/bold]'` printed "no piece for '❌ dog'"."""
    result = runner.invoke(app, ["accessories", ":x: [bold]dog[/bold]", "a [red]cat"])
    assert result.exit_code == 0, result.output
    assert "no piece for ':x: [bold]dog[/bold]'; showing a labelled prop" in result.output
    assert f"{'a [red]cat':<24} -> " in result.output  # its column kept: 24 characters as typed
    assert "❌" not in result.output


def test_at_most_100_words_at_a_time():
    """30,000 words ran for 104 s: past the cap it is one line and exit 2, before any matching."""
    from minime.cli.listing import ACCESSORY_WORDS_MAX

    assert ACCESSORY_WORDS_MAX == 100
    result = runner.invoke(app, ["accessories", *["dog"] * 30_000])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "accessories: at most 100 at a time (got 30000)" in lines[0], result.output
    result = runner.invoke(app, ["accessories", "--json", *["dog"] * 100])
    assert result.exit_code == 0 and len(json.loads(result.output)) == 100
    assert "up to 100 at a time" in " ".join(runner.invoke(app, ["accessories", "--help"]).output.split())
