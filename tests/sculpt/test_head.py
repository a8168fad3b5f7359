"""The head: fitted to the face's landmarks, closed, and whole even when the photo shows half a face."""

import numpy as np
from PIL import Image

from minime.sculpt.head import OVAL, build_head, fit_landmarks
from minime.sculpt.mesh import is_closed, signed_volume

from ..conftest import FIXTURES


def _nearest(points: np.ndarray, verts: np.ndarray) -> np.ndarray:
    from scipy.spatial import cKDTree

    return cKDTree(verts).query(points)[0]


def test_the_head_surface_passes_through_the_face_landmarks(subject):
    face = subject.faces[0]
    head = build_head(np.asarray(subject.image), face.landmarks)
    skin = head.parts[0]
    # The eye and mouth openings are closed over, so their inner rims sit a little behind the surface;
    # everywhere else the surface is the person's face.
    from minime.sculpt.head import EYES, LIPS

    keep = np.setdiff1d(np.arange(468), EYES + LIPS)
    err = _nearest(head.landmarks[keep], skin.vertices)
    assert np.median(err) < 0.008  # head heights: under 2 mm on a 23 cm head
    assert np.percentile(err, 95) < 0.02


def test_every_head_part_is_closed_and_faces_outward(subject):
    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    assert {p.name for p in head.parts} >= {"head", "ear", "neck"}
    for part in head.parts:
        assert is_closed(part), part.name
        assert signed_volume(part.vertices, part.faces) > 0, part.name


def test_the_face_is_turned_to_face_forward(subject):
    fit = fit_landmarks(subject.faces[0].landmarks, subject.image.size)
    rim = fit.front[OVAL]
    # Left and right halves of the face's rim mirror each other about x = 0 once frontal.
    assert abs(rim[:, 0].max() + rim[:, 0].min()) < 0.03
    assert abs(fit.yaw) < 15


def test_a_face_cut_by_the_frame_still_gives_a_whole_painted_head():
    from minime.look import look

    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    cut = photo.crop((215, 0, photo.width, photo.height))  # the frame cuts through the face's left half
    subject = look(cut)
    face = subject.faces[0]
    head = build_head(np.asarray(subject.image), face.landmarks)
    assert all(is_closed(p) for p in head.parts)
    assert head.visible < 0.9
    tex = head.texture.astype(float)
    half = tex.shape[1] // 2
    rows = slice(int(tex.shape[0] * 0.35), int(tex.shape[0] * 0.55))  # the eyes' band
    # The unseen half is painted from the mirrored visible half: an eye on both sides, not bare skin.
    left = tex[rows, half - half // 2:half].mean(-1)
    right = tex[rows, half:half + half // 2].mean(-1)
    assert left.std() > 0.5 * right.std()
    assert left.min() < np.median(left) - 40  # a dark eye or brow is painted there


def _draw(kind: str) -> Image.Image:
    """The test portrait with glasses or a full beard drawn on."""
    from PIL import ImageDraw

    from minime.look import look
    from minime.sculpt.head import EYES

    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    lm = look(photo).faces[0].landmarks
    d = ImageDraw.Draw(photo)
    if kind == "glasses":
        for side in (EYES[:16], EYES[16:]):
            pts = lm[side, :2]
            cx, cy = pts.mean(0)
            hw = (pts[:, 0].max() - pts[:, 0].min()) / 2 + 12
            d.rounded_rectangle((cx - hw, cy - 18, cx + hw, cy + 18), radius=6, outline=(15, 15, 15), width=4)
        a, b = lm[EYES[8], :2], lm[EYES[24], :2]
        d.line((a[0] + 12, a[1] - 4, b[0] - 12, b[1] - 4), fill=(15, 15, 15), width=4)
    else:
        jaw = (132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323)
        mouth = (291, 375, 321, 405, 314, 17, 84, 181, 91, 146, 61)
        d.polygon([tuple(lm[i, :2]) for i in jaw + mouth], fill=(35, 28, 25))
    return photo


def test_glasses_are_modelled_as_a_closed_frame_not_paint():
    from minime.look import look

    plain = look(Image.open(FIXTURES / "obama.jpg").convert("RGB"))
    assert build_head(np.asarray(plain.image), plain.faces[0].landmarks).glasses < 0.5
    subject = look(_draw("glasses"))
    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    frame = next(p for p in head.parts if p.name == "glasses")
    assert is_closed(frame)
    assert frame.vertices[:, 2].max() > head.landmarks[168, 2]  # in front of the nose bridge


def test_a_beard_is_sculpted_relief_in_the_hair_colour():
    from minime.look import look

    subject = look(_draw("beard"))
    hair = (0.15, 0.12, 0.1)
    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks, hair_color=hair)
    assert head.beard > 0.5
    skin = head.parts[0]
    bearded = np.all(np.abs(skin.colors - np.array(hair)) < 0.06, axis=1)
    assert bearded.sum() > 200
    assert is_closed(skin)
    # The beard stands proud of the face: its vertices lie outside the face's landmark surface.
    chin = head.landmarks[152]
    assert skin.vertices[bearded][:, 2].max() > chin[2]


def test_a_face_turned_40_degrees_is_completed_and_faces_forward(gl, subject):
    """A photo of a turned face (our own head rendered at 40 degrees) gives a whole head facing front."""
    from minime.look import look
    from minime.look.likeness import distance, embedding, on_backdrop
    from minime.sculpt.render import render

    def shot(parts, turn):  # a photo of the head with room around it, as a portrait has
        image = on_backdrop(Image.fromarray(render(parts, height=480, turn=turn)))
        canvas = Image.new("RGB", (image.width + 400, image.height + 300), (150, 150, 150))
        canvas.paste(image, (200, 150))
        return canvas

    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    photo = shot(head.parts, 40)
    turned = look(photo)
    again = build_head(np.asarray(turned.image), turned.faces[0].landmarks)
    assert abs(again.yaw) > 25  # it saw a turned face ...
    assert all(is_closed(p) for p in again.parts)
    front = shot(again.parts, 0)  # ... and made a frontal one
    found = look(front).faces[0]
    assert abs((found.box[0] + found.box[2]) / 2 - front.width / 2) < 0.1 * front.width
    # Completed from its visible half, it is still the same face as the head it was photographed from.
    original = shot(head.parts, 0)
    ref = embedding(original, look(original).faces[0].box)
    assert distance(ref, embedding(front, found.box)) < 0.5


def _texel_rows_cols(points: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    from minime.sculpt.face_paint import TEX_HALF, TEX_Y

    cols = np.clip(((points[:, 0] + TEX_HALF) / (2 * TEX_HALF) * n).astype(int), 0, n - 1)
    rows = np.clip(((TEX_Y + TEX_HALF - points[:, 1]) / (2 * TEX_HALF) * n).astype(int), 0, n - 1)
    return rows, cols


def test_the_paint_samples_the_photo_at_its_full_resolution():
    from minime.look import look
    from minime.sculpt.face_paint import TEX_HALF

    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    big = look(photo.resize((photo.width * 2, photo.height * 2), Image.Resampling.LANCZOS))
    head = build_head(np.asarray(big.image), big.faces[0].landmarks)
    n = head.texture.shape[0]
    texels = np.ptp(head.landmarks[OVAL, 0]) / (2 * TEX_HALF) * n
    assert texels >= np.ptp(big.faces[0].landmarks[OVAL, 0])  # a texel for every pixel across the face


def _facing_z(vertices: np.ndarray) -> np.ndarray:
    """The z of each vertex's direction from the head's centre: 1 facing the camera, 0 at the side."""
    from minime.sculpt.head import CENTRE

    d = vertices - CENTRE
    return d[:, 2] / np.linalg.norm(d, axis=1)


def test_the_paint_runs_into_the_skin_with_no_border(subject):
    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    skin = head.parts[0]
    # The texture is used over the front of the head, and beyond the face it is the skin tone, so neither an
    # edge of the paint nor a change of colour can show from any side.
    from minime.sculpt.face_paint import TEX_Y
    from minime.sculpt.head import TURN

    front = (_facing_z(skin.vertices) > TURN[1]) & (np.abs(skin.vertices[:, 1] - TEX_Y) < 0.55)
    assert np.all(skin.paint[front] == 1)
    beyond = skin.paint < 1
    assert np.allclose(skin.colors[beyond], head.skin, atol=1e-4)
    oval = head.landmarks[OVAL, :2]
    centre = oval.mean(0)
    tone = np.array(head.skin) * 255
    # The face's own paint comes to the skin tone toward its rim (its outer band is that tone), so no step of
    # colour rings the face where it meets the skull.
    for share in (0.85, 0.9, 0.95, 1.0, 1.1):
        rows, cols = _texel_rows_cols(centre + (oval - centre) * share, head.texture.shape[0])
        assert np.abs(head.texture[rows, cols].astype(float) - tone).mean() < 8, share


def test_a_profile_shows_sculpted_skin_not_the_photo_stretched_round_the_side(subject):
    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    skin = head.parts[0]
    from minime.sculpt.head import TURN

    z = _facing_z(skin.vertices)
    assert np.all(skin.paint[z < TURN[0]] == 0)  # the sides are the skin tone, as the skull is
    assert skin.paint[z > TURN[1]].min() == 1  # the face is the photo's paint
    # ... and the paint gives way to the skin smoothly: no edge of the mesh crosses much of the fade.
    f = skin.faces
    jumps = np.abs(skin.paint[f] - skin.paint[np.roll(f, 1, axis=1)])
    assert jumps.max() < 0.3


def test_hair_the_photo_shows_at_the_temples_is_painted_over_as_skin():
    """The astronaut's hair falls over her left temple: the sculpted hair is the hair, the paint there is skin."""
    from minime.look import look
    from minime.sculpt.face_paint import disc_mean

    subject = look(Image.open(FIXTURES / "astronaut.jpg").convert("RGB"))
    hair = np.array([120, 102, 65]) / 255  # her hair's colour as the look reads it
    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks, hair_color=tuple(hair))
    tone = np.array(head.skin) * 255
    for i in (46, 276):  # above the brows' outer ends
        paint = disc_mean(head.texture.astype(float), head.landmarks[i] + np.array([0, 0.05, 0]), 0.02)
        assert np.linalg.norm(paint - tone) < 30 < np.linalg.norm(paint - hair * 255)


def test_the_eyes_are_painted_crisp_with_a_pupil_and_a_catch_light(subject):
    from PIL import ImageDraw

    from minime.sculpt.head import EYES

    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    n = head.texture.shape[0]
    lum = head.texture.astype(float).mean(-1)
    for side in (EYES[:16], EYES[16:]):
        rows, cols = _texel_rows_cols(head.landmarks[side, :2], n)
        m = Image.new("L", (n, n), 0)
        ImageDraw.Draw(m).polygon(list(zip(cols.tolist(), rows.tolist())), fill=255)
        eye = lum[np.asarray(m) > 127]
        assert eye.min() < 35 and eye.max() > 235  # a black pupil and a white catch-light, not a blur


def test_the_ears_are_sculpted_at_the_height_the_landmarks_give(subject):
    from minime.sculpt.head import BROWS

    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    ears = [p for p in head.parts if p.name == "ear"]
    assert len(ears) == 2
    brows, nose_base = head.landmarks[BROWS, 1].mean(), head.landmarks[2, 1]
    for ear in ears:
        v = ear.vertices
        assert v[:, 1].max() > brows - 0.05 and v[:, 1].min() < nose_base  # from the brows to the lobe
        side = np.sign(v[:, 0].mean())
        out = v[:, 0] * side
        h = np.ptp(v[:, 1])
        mid_y, mid_z = v[:, 1].min() + 0.6 * h, v[:, 2].mean()
        # A bowl inside a raised rim: the middle of the ear's outer face sits deeper than its rim.
        middle = (np.abs(v[:, 1] - mid_y) < 0.12 * h) & (np.abs(v[:, 2] - mid_z) < 0.1 * h)
        rim = np.abs(v[:, 1] - mid_y) < 0.12 * h
        assert out[middle].max() < out[rim].max() - 0.01 * h
        # A lobe: the ear narrows toward its bottom.
        low, high = v[:, 1] < v[:, 1].min() + 0.15 * h, np.abs(v[:, 1] - mid_y) < 0.1 * h
        assert np.ptp(v[low, 2]) < 0.8 * np.ptp(v[high, 2])


def test_the_photos_own_shading_is_taken_out_of_the_paint(subject):
    """A face lit hard from one side is painted evenly: the key light does the shading on the figure."""
    from minime.look import look
    from minime.sculpt.face_paint import disc_mean

    photo = np.asarray(subject.image, float)
    x0, _, x1, _ = subject.faces[0].box
    ramp = np.clip(0.5 + 0.8 * (np.arange(photo.shape[1]) - x0) / (x1 - x0), 0.5, 1.3)[None, :, None]  # lit from the right
    lit = look(Image.fromarray(np.clip(photo * ramp, 0, 255).astype(np.uint8)))
    head = build_head(np.asarray(lit.image), lit.faces[0].landmarks)
    lum = head.texture.astype(float).mean(-1)
    right, left = (float(disc_mean(lum, head.landmarks[i], 0.04)) for i in (205, 425))  # the two cheeks
    img = np.asarray(lit.image, float).mean(-1)
    seen = [img[int(y) - 6:int(y) + 7, int(x) - 6:int(x) + 7].mean() for x, y, _ in lit.faces[0].landmarks[[205, 425]]]
    assert max(seen) / min(seen) > 1.3  # the photo's cheeks differ by a third ...
    assert max(left, right) / min(left, right) < 1.15  # ... the paint's hardly (1.38 with the shading left in)
