"""The figure's body chosen by the user (`body`: feminine, masculine, neutral), from the spec, the command line and
a campaign's roster to the sculpted body's shoulders."""

from __future__ import annotations

import pytest
from PIL import Image
from typer.testing import CliRunner

from minime import batch
from minime.cli import app
from minime.errors import SpecError
from minime.spec import BODIES, build_spec, load_spec

from .conftest import FIXTURES

runner = CliRunner()


# ---------------------------------------------------------------- the spec


def test_body_is_empty_by_default_and_takes_each_choice_in_any_case():
    assert build_spec(name="Eileen").body == ""
    for body in BODIES:
        assert build_spec(name="Eileen", body=f" {body.title()} ").body == body


@pytest.mark.parametrize("body, hint", [("female", "did you mean 'feminine'"), ("masc", "did you mean 'masculine'"),
                                        ("big", "")])
def test_a_bad_body_is_one_line_with_the_choices(body, hint):
    with pytest.raises(SpecError) as info:
        build_spec(name="Eileen", body=body)
    message = str(info.value)
    assert message.startswith(f"body: {body!r} is not a body type") and "\n" not in message
    assert "feminine, masculine or neutral" in message and hint in message


def test_each_person_of_a_group_may_have_their_own_body():
    spec = build_spec(name="The Curies", people=[{"name": "Marie", "body": "feminine"}, {"name": "Pierre"}])
    assert [p.body for p in spec.people] == ["feminine", ""]
    with pytest.raises(SpecError, match=r"^people item 2 body: 'tall' is not a body type"):
        build_spec(name="X", people=[{"name": "A"}, {"name": "B", "body": "tall"}])
    with pytest.raises(SpecError, match="allowed: name, accessories, body"):
        build_spec(name="X", people=[{"name": "A", "shape": "slim"}])


def test_a_spec_file_gives_the_body(tmp_path):
    path = tmp_path / "eileen.yaml"
    path.write_text("name: Eileen\nbody: feminine\n", encoding="utf-8")
    assert load_spec(path).body == "feminine"
    assert load_spec(path, body="neutral").body == "neutral"  # a flag wins over the file


# ---------------------------------------------------------------- the command line


def test_a_bad_body_flag_exits_2_with_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["make", str(FIXTURES / "astronaut.jpg"), "--name", "Eileen", "--body", "woman"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "body: 'woman' is not a body type" in lines[0]
    assert "feminine, masculine or neutral" in lines[0] and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_the_body_flag_reaches_the_spec(monkeypatch):
    from minime.cli.flags import spec_from_flags

    assert spec_from_flags(["Eileen"], None, None, None, None, None, None, body="feminine").body == "feminine"
    assert spec_from_flags(["Eileen"], None, None, None, None, None, None).body == ""


# ---------------------------------------------------------------- a campaign's roster


def _campaign(tmp_path, roster: str):
    (tmp_path / "p.jpg").write_bytes((FIXTURES / "astronaut.jpg").read_bytes())
    (tmp_path / "people.csv").write_text(roster, encoding="utf-8")
    path = tmp_path / "campaign.yaml"
    path.write_text("roster: people.csv\ntemplate: classic\ndefaults: {body: neutral}\n", encoding="utf-8")
    return batch.load_brief(path)


def test_the_roster_has_a_body_column(tmp_path):
    brief = _campaign(tmp_path, "photo,name,body\np.jpg,Eileen,feminine\np.jpg,Bob,\np.jpg,Kim,tall\n")
    eileen, bob, kim = brief.rows
    assert eileen.spec.body == "feminine" and bob.spec.body == "neutral"  # an empty cell takes the default
    assert kim.spec is None and kim.problem.startswith("row 3: body: 'tall' is not a body type")


def test_a_body_changes_a_rows_key_and_no_body_keeps_the_old_key(tmp_path):
    from minime.batch.store import _unasked, row_keys

    brief = _campaign(tmp_path, "photo,name,body\np.jpg,Eileen,feminine\np.jpg,Eileen,\n")
    keys = row_keys(brief)
    assert keys[1] != keys[2]
    group = build_spec(name="X", people=[{"name": "A", "accessories": ["dog"]}, {"name": "B"}])
    assert '"body"' not in group.model_dump_json(exclude=_unasked(group))  # as keyed before bodies existed
    group = build_spec(name="X", people=[{"name": "A", "body": "feminine"}, {"name": "B"}])
    assert '"body":"feminine"' in group.model_dump_json(exclude=_unasked(group))


# ---------------------------------------------------------------- the sculpted body


@pytest.fixture(scope="module")
def astronaut():
    from minime.look import look

    return look(Image.open(FIXTURES / "astronaut.jpg").convert("RGB"))


def _shoulders(subject, **fields) -> float:
    """The shoulder width of the body the sculpt engine builds for the astronaut with these spec fields."""
    from minime.engines.sculpt import read_person
    from minime.sculpt.body import build_body

    recipe = read_person(subject, 0, build_spec(name="Eileen", **fields))
    return build_body(build=recipe.build, gender=recipe.body_gender(), pose=recipe.pose, outfit=recipe.outfit,
                      style=recipe.style).shoulder_width


def test_a_feminine_body_has_narrower_shoulders(astronaut):
    """In a t-shirt the astronaut gets a man's body unless she asks for another."""
    from minime.engines.sculpt import BODY_GENDER

    assert set(BODY_GENDER) == set(BODIES)
    default, feminine = _shoulders(astronaut), _shoulders(astronaut, body="feminine")
    neutral, masculine = _shoulders(astronaut, body="neutral"), _shoulders(astronaut, body="masculine")
    assert feminine < neutral < masculine
    assert feminine < 0.95 * default  # a difference a buyer sees on the shelf
    assert default <= masculine


def test_each_person_gets_their_own_body_else_the_groups():
    from minime.engines.sculpt import body_gender

    spec = build_spec(name="The Curies", body="masculine",
                      people=[{"name": "Marie", "body": "feminine"}, {"name": "Pierre"}])
    assert body_gender(spec, 0) == 0.25 and body_gender(spec, 1) == 0.9
    assert body_gender(build_spec(name="Eileen"), 0) is None  # the recipe reads it from the clothes
