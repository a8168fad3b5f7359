"""The numpy face net gives dlib's own descriptor, to float precision, from the same weights."""

from pathlib import Path

import face_recognition_models as frm
import numpy as np
import pytest
from PIL import Image

from minime.look import face_net, likeness, look

from ..conftest import FIXTURES

dlib = pytest.importorskip("dlib")


@pytest.mark.parametrize("photo", ["obama.jpg", "astronaut.jpg"])
def test_descriptor_matches_dlibs_network(photo):
    subject = look(Image.open(FIXTURES / photo).convert("RGB"))
    _, shape, net = likeness._models()
    rgb = np.asarray(subject.image)
    x0, y0, x1, y1 = (int(round(v)) for v in subject.faces[0].box)
    chip = dlib.get_face_chip(rgb, shape(rgb, dlib.rectangle(x0, y0, x1, y1)), size=face_net.CHIP)
    model = Path(frm.__file__).parent / "models" / "dlib_face_recognition_resnet_model_v1.dat"
    theirs = np.asarray(dlib.face_recognition_model_v1(str(model)).compute_face_descriptor(chip), np.float32)
    ours = net(chip)
    assert ours.shape == (128,) and ours.dtype == np.float32
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.linalg.norm(theirs) > 0.5  # a real descriptor, not a blank


def test_a_chip_of_the_wrong_size_is_refused():
    _, _, net = likeness._models()
    with pytest.raises(ValueError, match="150x150"):
        net(np.zeros((100, 100, 3), np.uint8))


def test_a_file_that_is_not_the_resnet_is_refused(tmp_path):
    bad = tmp_path / "other.dat"
    bad.write_bytes(b"\x01\x05con_4" + b"\x00" * 64)
    with pytest.raises(ValueError):
        face_net.FaceNet(bad)
