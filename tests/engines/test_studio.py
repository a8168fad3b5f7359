import numpy as np
import pytest
from PIL import Image, ImageFilter

import minime
from minime.engines import ENGINES, get_engine
from minime.errors import UnknownNameError
from minime.look import look

from ..conftest import FIXTURES


def _subject(path):
    return look(Image.open(path).convert("RGB"))


def test_registry_lists_studio_and_refuses_unknown_names():
    assert "studio" in ENGINES and ENGINES["studio"].runs_locally
    with pytest.raises(UnknownNameError, match="studio"):
        get_engine("nope")


def test_studio_figure_is_a_clean_cut_out_on_a_plinth():
    subject = _subject(FIXTURES / "obama.jpg")
    fig = get_engine("studio").generate(subject, minime.FigureSpec(name="X"), n=1, seed=None)[0]
    rgba = np.asarray(fig.image)
    alpha = rgba[..., 3]
    assert fig.image.mode == "RGBA" and fig.engine == "studio" and fig.people == 1
    # Transparent around the figure, opaque in its middle.
    assert alpha[0, 0] == 0 and alpha[0, -1] == 0
    assert alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255
    # The plinth: the bottom rows are dark, glossy and wide.
    bottom = rgba[-int(alpha.shape[0] * 0.05):]
    solid = bottom[..., 3] > 200
    assert solid.mean() > 0.5 and bottom[solid][:, :3].mean() < 110
    # No halo of the old background (lighter than the figure here): the soft edge is no lighter than the
    # opaque figure just inside it.
    edge = (alpha > 20) & (alpha < 235)
    near = np.asarray(Image.fromarray(edge.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(7))) > 0
    inside = near & (alpha >= 250)
    luma = rgba[..., :3].astype(np.float64) @ [0.299, 0.587, 0.114]
    assert edge.sum() > 200 and inside.sum() > 200
    assert luma[edge].mean() <= luma[inside].mean() + 15


def test_each_face_becomes_a_bust_in_a_group():
    a = Image.open(FIXTURES / "obama.jpg").convert("RGB").resize((360, 450))
    group = Image.new("RGB", (760, 450), (200, 200, 200))
    group.paste(a, (0, 0))
    group.paste(a.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (400, 0))
    subject = look(group)
    assert len(subject.faces) == 2
    fig = get_engine("studio").generate(subject, minime.FigureSpec(name="X"), n=2, seed=None)
    assert len(fig) == 2 and fig[0].people == 2
    assert fig[0].image.width > fig[0].image.height * 0.9  # two busts side by side


def _variant(kind: str) -> Image.Image:
    from PIL import ImageEnhance

    img = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    if kind == "dark":
        return ImageEnhance.Brightness(img).enhance(0.18)
    if kind == "grey":
        return img.convert("L")
    if kind == "sideways":
        return img.rotate(90, expand=True)  # stored sideways, no orientation tag
    if kind == "upside-down":
        return img.rotate(180)
    if kind == "alpha":
        rgba = img.convert("RGBA")
        rgba.putalpha(200)
        return rgba
    if kind == "partial":
        return img.crop((160, 0, img.width, img.height))  # the face cut by the left edge
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["dark", "grey", "sideways", "upside-down", "alpha", "partial"])
def test_hard_photos_still_give_a_figure_that_looks_like_the_person(kind):
    result = minime.make(_variant(kind), {"name": "Test"}, engine="studio")
    assert result.likeness is not None and result.likeness >= 70, result.likeness
    if kind in ("sideways", "upside-down"):
        assert any(kind.replace("-", " ") in n for n in result.notes), result.notes
    if kind == "dark":
        def brightness(image):
            rgb = np.asarray(image.convert("RGB"), np.float32)
            return rgb[np.asarray(image.getchannel("A")) > 200].mean()

        normal = minime.make(FIXTURES / "obama.jpg", {"name": "Test"}, likeness=False, engine="studio")
        assert brightness(result.figure.image) > 0.75 * brightness(normal.figure.image)  # lifted out of the dark


def test_outfit_colour_paints_the_clothes():
    plain = minime.make(FIXTURES / "obama.jpg", {"name": "T"}, likeness=False, engine="studio").figure.image
    red = minime.make(FIXTURES / "obama.jpg", {"name": "T", "outfit": "red hoodie"}, likeness=False,
                      engine="studio").figure.image
    h = plain.height
    lower_plain = np.asarray(plain.convert("RGB"), np.float32)[int(h * 0.6) : int(h * 0.75)]
    lower_red = np.asarray(red.convert("RGB"), np.float32)[int(h * 0.6) : int(h * 0.75)]
    assert (lower_red[..., 0] - lower_red[..., 2]).mean() > (lower_plain[..., 0] - lower_plain[..., 2]).mean() + 30


def test_variants_are_different_looks_ranked_by_likeness_and_quality():
    result = minime.make(FIXTURES / "obama.jpg", {"name": "T"}, n=3, engine="studio")
    assert len(result.candidates) == 3
    models = {c.figure.model for c in result.candidates}
    assert len(models) == 3
    scores = [0.7 * c.likeness + 0.3 * c.quality for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert (result.likeness, result.quality) == result.candidates[0][1:]
    assert all(c.likeness >= 70 and c.quality >= 70 for c in result.candidates)
    # compared at one size, so two looks that only differ in size would not pass
    a, b = (np.asarray(c.figure.image.convert("RGB").resize((256, 320)), np.int16) for c in result.candidates[:2])
    assert np.abs(a - b).mean() > 0.5


def test_variants_differ_in_pose_and_the_base_stays_on_the_plinth():
    from minime.engines.studio import POSES
    from minime.engines.studio import bend as _bend

    subject = _subject(FIXTURES / "obama.jpg")
    figures = get_engine("studio").generate(subject, minime.FigureSpec(name="X"), n=len(POSES), seed=None)
    assert [f.model.split(", ")[1].rstrip(")") for f in figures] == [p.name for p in POSES]

    def head_tilt(figure):  # the angle of the line between the outer eye corners in the finished figure
        mesh = look(figure.image.convert("RGB")).faces[0].landmarks
        (rx, ry), (lx, ly) = mesh[33, :2], mesh[263, :2]
        return np.degrees(np.arctan2(ly - ry, lx - rx))

    front = head_tilt(figures[0])
    for pose, figure in zip(POSES[1:], figures[1:]):
        # The head turns by about the pose's head and shoulder angles (counter-clockwise as seen).
        assert abs((front - head_tilt(figure)) - (pose.head + pose.shoulders)) < 1.5, pose
    # The bust's base, where it sinks into the plinth, does not move.
    layers = np.random.default_rng(0).random((100, 80, 4)).astype(np.float32)
    bent = _bend(layers, (40.0, 40.0), 10.0, POSES[2])
    pad = bent.shape[1] - 80 >> 1
    assert np.allclose(bent[-1, pad : pad + 80], layers[-1], atol=1e-4)
    assert not np.allclose(bent[pad + 10, pad : pad + 80], layers[10], atol=1e-2)


def test_the_bust_keeps_the_person_and_drops_islands_and_slivers():
    from types import SimpleNamespace

    from minime.engines.studio.cut import bust_shape as _bust_shape
    from minime.engines.studio.cut import keep_person as _keep_person

    face = SimpleNamespace(box=(150.0, 60.0, 250.0, 180.0), width=100.0)
    box = (0, 0, 400, 500)
    alpha = np.zeros((500, 400), np.float32)
    yy, xx = np.mgrid[0:500, 0:400]
    alpha[((xx - 200) / 60.0) ** 2 + ((yy - 120) / 75.0) ** 2 <= 1] = 1  # the head
    alpha[230:, 60:340] = 1  # the shoulders
    alpha[190:235, 175:225] = 1  # the neck
    alpha[195:201, 225:300] = 1  # the edge of a curtain, joined to the neck
    alpha[300:306, 0:60] = 1  # a sliver off the shoulder
    alpha[20:60, 330:370] = 1  # an island of background
    alpha[20:140, 255:270] = 1  # a strand of something beside the head
    kept = _keep_person(alpha * _bust_shape(face, box), face, box)
    assert kept[120, 200] == 1 and kept[350, 200] == 1 and kept[205, 200] == 1  # head, body, neck
    assert kept[20:60, 330:370].max() == 0  # island
    assert kept[300:306, 0:55].max() == 0  # sliver
    assert kept[196:200, 240:300].max() == 0  # curtain edge
    assert kept[20:45, 255:270].max() == 0  # strand


def test_a_head_cut_off_by_the_frame_gets_a_rounded_crown():
    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    face = look(photo).faces[0]
    x0, y0, x1, y1 = face.box
    fw = x1 - x0
    selfie = photo.crop((int(x0 - 0.3 * fw), int(y0 - 0.1 * fw), int(x1 + 0.3 * fw), int(y1 + 0.3 * fw)))
    subject = look(selfie)
    assert subject.mask[0].max() > 0.5  # the hair touches the top edge
    figure = get_engine("studio").generate(subject, minime.FigureSpec(name="X"), n=1, seed=None)[0].image
    alpha = np.asarray(figure.getchannel("A")) > 128
    rows = np.flatnonzero(alpha.any(1))
    widths = alpha.sum(1)
    head = widths[rows[0] : rows[0] + int(0.3 * len(rows))].max()
    assert widths[rows[0] + 2] < 0.5 * head  # the top is a dome, not the frame's straight cut


def test_hair_is_one_paint_without_the_flag_behind_it():
    """The astronaut's blond hair has a red flag showing through it; the figure's hair is one colour."""
    figure = minime.make(FIXTURES / "astronaut.jpg", {"name": "X"}, likeness=False, engine="studio").figure.image
    rgba = np.asarray(figure, np.float32)
    rows = np.flatnonzero(rgba[..., 3].max(1) > 128)
    top = rgba[rows[0] : rows[0] + len(rows) // 7]  # the hair
    rgb = top[..., :3][top[..., 3] > 200]
    rgb = rgb[rgb.sum(-1) > 120]  # chroma is only defined where there is some light
    chroma = rgb / rgb.sum(-1, keepdims=True)
    off = np.abs(chroma - np.median(chroma, 0)).sum(-1) > 0.16
    assert off.mean() < 0.08, off.mean()


def test_an_outfit_names_a_colour_and_a_material():
    from minime.engines.studio.paint import METALS, outfit_of

    red_leather = outfit_of("red leather jacket")
    assert red_leather.colour == (255, 0, 0) and red_leather.material.name == "leather"
    denim = outfit_of("Denim jacket")
    assert denim.material.name == "denim" and denim.colour == denim.material.colour
    assert outfit_of("gold armour").colour == METALS["gold"]  # a metal, not CSS's flat yellow
    assert outfit_of("hot pink knitted jumper").material.name == "knit"
    assert outfit_of("pirate costume") == outfit_of("")  # nothing it knows: the photo's clothes stay


def test_materials_change_the_clothes_surface():
    subject = _subject(FIXTURES / "obama.jpg")
    engine = get_engine("studio")

    def clothes(outfit):  # the lower middle of the bust: jacket, below the face
        image = engine.generate(subject, minime.FigureSpec(name="X", outfit=outfit), n=1, seed=None)[0].image
        rgb = np.asarray(image.convert("RGB"), np.float32)
        h, w = rgb.shape[:2]
        return rgb[int(h * 0.55) : int(h * 0.8), int(w * 0.1) : int(w * 0.9)]

    plain_blue, denim = clothes("blue jacket"), clothes("blue denim jacket")

    def weave(rgb):  # how much more the lightness changes down one diagonal than down the other
        grey = rgb.mean(-1)
        return np.abs(grey[1:, 1:] - grey[:-1, :-1]).mean() - np.abs(grey[1:, :-1] - grey[:-1, 1:]).mean()

    assert weave(denim) > weave(plain_blue) + 1.5  # denim's diagonal twill
    # Leather shines: the same black, with a sheen over it.
    assert clothes("black leather jacket").mean() > clothes("black jacket").mean() + 6
    for outfit in ("blue knit sweater", "blue sequin jacket", "silver armour"):
        assert np.abs(clothes(outfit) - plain_blue).mean() > 1, outfit
