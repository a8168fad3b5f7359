"""Start-up of `minime make`: what it imports before any work, and the photo decoding beside those imports."""

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import minime
from minime.errors import PhotoError
from minime.photo import WORK_SIDE, load_work_photo, start_loading

from .conftest import FIXTURES


def _fresh(code: str) -> str:
    """What `code` prints in a new interpreter (nothing imported yet, as a shell command starts)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_command_and_the_pipeline_import_no_yaml_and_no_heic_reader():
    """PyYAML is for spec files and pillow-heif for HEIC photos: a figure made from flags and a JPEG needs
    neither, so importing the CLI and the pipeline loads neither."""
    loaded = _fresh("import sys, minime.cli, minime.pipeline\n"
                    "print(sorted(m for m in ('yaml', 'pillow_heif') if m in sys.modules))")
    assert loaded == "[]"


def test_a_jpeg_decodes_without_the_heic_reader_and_a_heic_with_it(tmp_path):
    import pillow_heif

    pillow_heif.register_heif_opener()  # here only to write the HEIC file
    heic = tmp_path / "selfie.heic"
    Image.open(FIXTURES / "biden_small.jpg").save(heic, "HEIF")
    code = ("import sys\nfrom minime.photo import load_photo\n"
            f"a = load_photo({str(FIXTURES / 'biden_small.jpg')!r})\n"
            "print('pillow_heif' in sys.modules, a.format)\n"
            f"b = load_photo({str(heic)!r})\n"
            "print('pillow_heif' in sys.modules, b.format, b.size == a.size)")
    assert _fresh(code).splitlines() == ["False JPEG", "True HEIF True"]


def test_start_loading_gives_what_load_work_photo_gives():
    data = (FIXTURES / "obama_full.jpg").read_bytes()
    big = Image.open(io.BytesIO(data)).resize((3000, 4000))
    buffer = io.BytesIO()
    big.save(buffer, "JPEG", quality=90)
    picture, work = start_loading(buffer.getvalue()).result(timeout=60)
    want_picture, want_work = load_work_photo(buffer.getvalue())
    assert max(work.size) == WORK_SIDE and work.size == want_work.size
    assert np.array_equal(np.asarray(work), np.asarray(want_work))
    assert np.array_equal(np.asarray(picture.image), np.asarray(want_picture.image))


def test_a_photo_loading_beside_raises_its_error_in_the_intake_stage():
    stages = []
    with pytest.raises(PhotoError, match="not an image"):
        minime.make(start_loading(b"not an image"), {"name": "X"}, engine="studio", likeness=False,
                    progress=stages.append)
    assert stages == ["intake"]


def test_make_takes_a_photo_loading_beside():
    loading = start_loading(FIXTURES / "obama.jpg")
    result = minime.make(loading, {"name": "Bo"}, engine="studio", likeness=False)
    assert result.image.size == (1080, 1350) and "intake" in result.timings


def test_a_figure_with_drawn_accessories_reads_no_emoji_archive(gl):
    """The emoji archive (all the emoji pieces, every language's names) takes 0.13 s to read: a figure whose
    accessories are all drawn pieces never needs it."""
    code = ("import minime\nfrom minime.accessories.emoji import emoji_pieces\n"
            f"r = minime.make({str(FIXTURES / 'biden_small.jpg')!r}, "
            "{'name': 'Ada', 'accessories': ['laptop', 'coffee cup', 'sunglasses']})\n"
            "print(r.figure.engine, emoji_pieces.cache_info().currsize)")
    assert _fresh(code) == "sculpt 0"
