"""FigureSpec rules, build_spec/load_spec and their one-line errors."""

from __future__ import annotations

import json
import unicodedata

import pytest
from pydantic import ValidationError

from minime.errors import SpecError
from minime.spec import CSS_COLORS, FigureSpec, build_spec, load_spec, parse_color, spec_error


def refused(**fields) -> str:
    """Build a spec that must fail; return its one-line message."""
    with pytest.raises(SpecError) as info:
        build_spec(**fields)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    return message


# --- names in any script -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "name", ["Ada Lovelace", "Мария", "Ἀλέξανδρος", "محمد", "דוד", "李小龙", "अर्जुन", "Zoë 🚀", "O'Brien-Smith"]
)
def test_names_in_many_scripts(name):
    spec = build_spec(name=name)
    assert spec.name == unicodedata.normalize("NFC", name)


def test_defaults():
    spec = build_spec(name="Ada")
    assert (spec.tagline, spec.accessories, spec.outfit, spec.template, spec.names) == ("", [], "", "classic", [])
    assert spec.color == "#d62839"
    assert spec.rgb == (0xD6, 0x28, 0x39)


def test_name_is_stripped_and_nfc_normalised():
    decomposed = "  Jose\u0301  "  # e + combining acute: 2 code points, 1 after NFC
    spec = build_spec(name=decomposed)
    assert spec.name == "Jos\u00e9"
    assert len(spec.name) == 4


def test_name_length_counts_after_nfc():
    # 40 letters each with a combining mark: 80 code points but 40 after NFC.
    assert len(build_spec(name="e\u0301" * 40).name) == 40


def test_name_boundaries():
    assert build_spec(name="x" * 40).name == "x" * 40
    assert build_spec(name="李" * 40).name == "李" * 40
    assert refused(name="x" * 41) == "name: must be 1-40 characters (got 41)"
    assert refused(name="x" * 52) == "name: must be 1-40 characters (got 52)"
    assert refused(name="   ") == "name: must be 1-40 characters (got 0)"
    assert refused(name="") == "name: must be 1-40 characters (got 0)"


def test_name_is_required():
    assert refused(tagline="hi") == "name: is required"
    assert refused(name=None) == "name: is required"  # None means "not given"


def test_name_must_be_text():
    message = refused(name=42)
    assert message.startswith("name: must be text")


# --- control characters ------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidi_controls_refused(char):
    message = refused(name=f"Ada{char}nimda")
    assert message.startswith("name: contains a bidi control character")
    assert f"U+{ord(char):04X}" in message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\n", "\t", "\r", "\x7f", "\x85"])
def test_control_characters_refused(char):
    message = refused(name=f"Ada{char}Lovelace")
    assert message.startswith("name: contains a control character")


def test_line_separator_refused():
    assert refused(name="Ada\u2028Lovelace").startswith("name: contains a line break")


def test_tagline_control_and_bidi_refused():
    assert refused(name="Ada", tagline="first\x1b[31m").startswith("tagline: contains a control character")
    assert refused(name="Ada", tagline="a\u202eb").startswith("tagline: contains a bidi control character")


def test_joiners_are_allowed():
    # ZWJ emoji, ZWNJ in Persian: legitimate format characters stay.
    for text in ["👩\u200d🚀", "می\u200cخواهم"]:
        assert build_spec(name=text).name == text


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c", "\u202e", "\u2067"])
def test_every_bidi_control_is_refused_alike(mark):
    # the renderer sets each name's direction: a mark is refused the same way as an override
    assert refused(name=f"abc{mark}").startswith("name: contains a bidi control character")


# --- tagline and outfit ------------------------------------------------------------------------

def test_tagline_boundaries():
    assert build_spec(name="Ada", tagline="t" * 60).tagline == "t" * 60
    assert refused(name="Ada", tagline="t" * 61) == "tagline: must be at most 60 characters (got 61)"
    assert build_spec(name="Ada", tagline="  Countess of code  ").tagline == "Countess of code"


def test_outfit_boundaries():
    assert build_spec(name="Ada", outfit="astronaut suit").outfit == "astronaut suit"
    assert build_spec(name="Ada", outfit="o" * 60).outfit == "o" * 60
    assert refused(name="Ada", outfit="o" * 61) == "outfit: must be at most 60 characters (got 61)"
    assert refused(name="Ada", outfit="red\nhoodie").startswith("outfit: contains a control character")


# --- accessories -------------------------------------------------------------------------------

def test_accessories_count_boundaries():
    six = [f"thing {i}" for i in range(6)]
    assert build_spec(name="Ada", accessories=six).accessories == six
    assert refused(name="Ada", accessories=six + ["seven"]) == "accessories: at most 6 (got 7)"
    assert refused(name="Ada", accessories=[f"t{i}" for i in range(8)]) == "accessories: at most 6 (got 8)"


def test_accessory_length_boundaries():
    assert build_spec(name="Ada", accessories=["a" * 30]).accessories == ["a" * 30]
    message = refused(name="Ada", accessories=["ok", "a" * 31])
    assert message.startswith("accessories: item 2")
    assert "1-30 characters (got 31)" in message
    assert "1-30 characters (got 0)" in refused(name="Ada", accessories=["  "])


def test_accessories_are_stripped_and_normalised():
    spec = build_spec(name="Ada", accessories=["  laptop ", "Cafe\u0301 mug"])
    assert spec.accessories == ["laptop", "Caf\u00e9 mug"]


def test_duplicate_accessories_refused_case_insensitively():
    assert refused(name="Ada", accessories=["Laptop", "laptop"]) == "accessories: 'Laptop' is listed twice"
    assert refused(name="Ada", accessories=["Coffee  Mug", "coffee mug"]) == "accessories: 'Coffee  Mug' is listed twice"
    assert refused(name="Ada", accessories=["STRASSE", "straße"]).endswith("is listed twice")  # casefold


def test_accessories_must_be_a_list_of_text():
    assert refused(name="Ada", accessories="Laptop").startswith("accessories: must be a list")
    assert refused(name="Ada", accessories=["ok", 3]).startswith("accessories item 2: must be text")
    assert refused(name="Ada", accessories=["a\u202eb"]).startswith("accessories: item 1 contains a bidi control")


# --- names (group photos) ----------------------------------------------------------------------

def test_group_names():
    spec = build_spec(name="The Lovelaces", names=[" Ada ", "Byron", "Мария"])
    assert spec.names == ["Ada", "Byron", "Мария"]
    assert build_spec(name="x", names=["n" * 40]).names == ["n" * 40]
    assert "1-40 characters (got 41)" in refused(name="x", names=["n" * 41])
    assert refused(name="x", names=[""]).startswith("names: item 1")
    assert refused(name="x", names=["a\x00"]).startswith("names: item 1 contains a control character")


def test_at_most_one_box_of_people():
    """However many are listed, the refusal is one short line, and a long list is not read."""
    for field in ("names", "people"):
        items = [str(i) if field == "names" else {"name": str(i)} for i in range(10_000)]
        message = refused(name="x", **{field: items})
        assert message.startswith(f"{field}: at most 4 people fit in one box (got 10000)")
        assert len(message) < 200
    assert len(build_spec(name="x", names=list("abcd")).names) == 4


@pytest.mark.parametrize("given, faces, ok", [
    ({"name": "The Smiths"}, 3, True),  # one name for the group
    ({"name": "A", "names": ["A", "B", "C"]}, 3, True),  # one per face
    ({"name": "A", "names": ["A", "B", "C"]}, 2, False),
    ({"name": "A", "names": ["A", "B"]}, 1, False),
    ({"name": "A", "names": ["A", "B"]}, 3, False),
    ({"people": [{"name": "A"}, {"name": "B"}]}, 2, True),
    ({"people": [{"name": "A"}, {"name": "B"}]}, 3, False),
    ({"people": [{"name": "The Smiths", "accessories": ["dog"]}]}, 3, True),
])
def test_one_name_or_one_per_face(given, faces, ok):
    from minime.spec import check_people

    spec = build_spec(**given)
    if ok:
        check_people(spec, faces)
        return
    with pytest.raises(SpecError) as info:
        check_people(spec, faces)
    message = str(info.value)
    field = "people" if "people" in given else "names"
    count = len(given.get("people") or given.get("names"))
    assert message.startswith(f"{field}: {count} {field} for a photo with {faces} face")
    assert "\n" not in message and ("give one name" in message)


# --- template ----------------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["classic", "retro-card", "neon-night-2", "a"])
def test_template_kebab_case(template):
    assert build_spec(name="Ada", template=template).template == template


@pytest.mark.parametrize("template", ["Classic", "retro_card", "retro--card", "-retro", "retro-", "retro card", "", "a" * 41])
def test_template_format_refused(template):
    message = refused(name="Ada", template=template)
    assert message.startswith("template: ")
    assert "kebab-case" in message


# --- colour ------------------------------------------------------------------------------------

def test_css_colour_table_is_complete():
    assert len(CSS_COLORS) == 148
    assert CSS_COLORS["rebeccapurple"] == "#663399"
    assert CSS_COLORS["grey"] == CSS_COLORS["gray"]
    assert all(value.startswith("#") and len(value) == 7 and value == value.lower() for value in CSS_COLORS.values())


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("red", "#ff0000"),
        ("RebeccaPurple", "#663399"),
        (" navy ", "#000080"),
        ("#abc", "#aabbcc"),
        ("#ABC", "#aabbcc"),
        ("#D62839", "#d62839"),
        ("#1a2b3c", "#1a2b3c"),
    ],
)
def test_colour_normalised(given, stored):
    spec = build_spec(name="Ada", color=given)
    assert spec.color == stored
    assert spec.rgb == tuple(int(stored[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("bad", ["blurple", "#12", "#12345", "#1234567", "#ggg", "d62839", "rgb(1,2,3)", ""])
def test_bad_colour_refused(bad):
    message = refused(name="Ada", color=bad)
    assert message == f"color: {bad!r} is not a CSS colour name or hex like #1a2b3c"


def test_parse_color():
    assert parse_color("white") == (255, 255, 255)
    assert parse_color("#0f0") == (0, 255, 0)
    assert parse_color("#102030") == (16, 32, 48)
    with pytest.raises(SpecError, match=r"^color: 'blurple' is not a CSS colour name or hex like #1a2b3c$"):
        parse_color("blurple")
    with pytest.raises(SpecError, match="^color: must be text"):
        parse_color(0xFF0000)  # type: ignore[arg-type]


# --- the model itself --------------------------------------------------------------------------

def test_spec_is_frozen():
    spec = build_spec(name="Ada")
    with pytest.raises(ValidationError):
        spec.name = "Eve"  # type: ignore[misc]


def test_unknown_field():
    message = refused(name="Ada", colour="red")
    assert message.startswith("unknown field 'colour' (did you mean 'color'?); allowed: ")
    assert "name, tagline, accessories, outfit, template, color, names" in message
    assert refused(name="Ada", sparkle=True).startswith("unknown field 'sparkle'; allowed: name")


def test_several_errors_join_first_two():
    message = refused(name="x" * 41, tagline="t" * 61, color="blurple")
    assert message.startswith(
        "name: must be 1-40 characters (got 41); tagline: must be at most 60 characters (got 61)"
    )
    assert message.count(";") >= 1


def test_spec_error_for_direct_validation():
    with pytest.raises(ValidationError) as info:
        FigureSpec(name="x" * 50)
    error = spec_error(info.value)
    assert isinstance(error, SpecError)
    assert str(error) == "name: must be 1-40 characters (got 50)"


def test_error_never_spans_lines():
    message = refused(name="Ada", accessories=["line\none", "x"], template="a\nb")
    assert "\n" not in message


# --- files -------------------------------------------------------------------------------------

YAML_SPEC = """\
name: Мария
tagline: Queen of the lab
accessories: [microscope, Notebook]
outfit: white lab coat
color: teal
"""


def test_load_yaml(tmp_path):
    path = tmp_path / "maria.yaml"
    path.write_text(YAML_SPEC, encoding="utf-8")
    spec = load_spec(path)
    assert spec.name == "Мария"
    assert spec.accessories == ["microscope", "Notebook"]
    assert spec.color == "#008080"
    assert load_spec(str(path)) == spec
    yml = tmp_path / "maria.YML"
    yml.write_text(YAML_SPEC, encoding="utf-8")
    assert load_spec(yml) == spec


def test_load_json(tmp_path):
    path = tmp_path / "ada.json"
    path.write_text(json.dumps({"name": "Ada Lovelace", "accessories": ["Laptop"], "color": "#abc"}), encoding="utf-8")
    spec = load_spec(path)
    assert (spec.name, spec.accessories, spec.color) == ("Ada Lovelace", ["Laptop"], "#aabbcc")


def test_overrides_win_and_none_is_ignored(tmp_path):
    path = tmp_path / "maria.yaml"
    path.write_text(YAML_SPEC, encoding="utf-8")
    spec = load_spec(path, name="Marie", tagline=None, accessories=["pipette"], color="#123456")
    assert spec.name == "Marie"
    assert spec.tagline == "Queen of the lab"
    assert spec.accessories == ["pipette"]
    assert spec.color == "#123456"


def test_empty_yaml_values_keep_defaults(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("name: Ada\naccessories:\ntagline:\n", encoding="utf-8")
    spec = load_spec(path)
    assert (spec.accessories, spec.tagline) == ([], "")


def test_yaml_with_bom(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes("\ufeffname: Ada\n".encode())
    assert load_spec(path).name == "Ada"


def file_refused(path, **overrides) -> str:
    with pytest.raises(SpecError) as info:
        load_spec(path, **overrides)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path):
    assert file_refused(tmp_path / "nope.yaml") == f"spec file not found: {tmp_path / 'nope.yaml'}"


def test_directory(tmp_path):
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    assert "is a directory" in file_refused(folder)


def test_wrong_extension(tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text('name = "Ada"', encoding="utf-8")
    message = file_refused(path)
    assert "spec.toml" in message and ".yaml, .yml or .json" in message


def test_invalid_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: Ada\n  tagline: [unclosed\n", encoding="utf-8")
    message = file_refused(path)
    assert "bad.yaml" in message and "invalid YAML at line" in message


def test_invalid_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"name": "Ada",}', encoding="utf-8")
    message = file_refused(path)
    assert "bad.json" in message and "invalid JSON at line 1" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: Zoë".encode("latin-1"))
    assert "not UTF-8" in file_refused(path)


@pytest.mark.parametrize(("text", "got"), [("- Ada\n- Eve\n", "a list"), ("just text\n", "text"), ("", "nothing")])
def test_top_level_must_be_a_mapping(tmp_path, text, got):
    path = tmp_path / "list.yaml"
    path.write_text(text, encoding="utf-8")
    message = file_refused(path)
    assert "top level must be a mapping" in message and f"(got {got})" in message


def test_file_rules_name_the_file_and_field(tmp_path):
    path = tmp_path / "ada.yaml"
    path.write_text("name: Ada\ncolour: red\n", encoding="utf-8")
    message = file_refused(path)
    assert str(path) in message and "unknown field 'colour'" in message
    path.write_text("name: Ada\naccessories: [Laptop, LAPTOP]\n", encoding="utf-8")
    assert file_refused(path).endswith("accessories: 'Laptop' is listed twice")
    path.write_text("name: Ada\n", encoding="utf-8")
    assert file_refused(path, name="x" * 41).endswith("name: must be 1-40 characters (got 41)")


def test_yaml_non_text_values(tmp_path):
    path = tmp_path / "n.yaml"
    path.write_text("name: 2024\n", encoding="utf-8")
    assert file_refused(path).endswith("name: must be text (got a number)")
    path.write_text("name: Ada\n1: x\n", encoding="utf-8")
    assert "unknown field 1" in file_refused(path)


def test_yaml_is_loaded_safely(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("name: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    assert "invalid YAML" in file_refused(path)
