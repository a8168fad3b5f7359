"""The print kit PDF: page size, vector text, embedded fonts, 300 dpi images, 3 mm bleed and crop marks."""

import re
import subprocess

import numpy as np
import pytest
from PIL import Image

from minime.box.printkit import A4, BLEED, MM, net_for, print_kit
from minime.box.render import face_aspect
from minime.spec import build_spec, load_brand

from ..conftest import FIXTURES, _need

SPEC = build_spec(name="Ada Lovelace", tagline="Countess of Computing", color="#1d4e89", accessories=["laptop"],
                  job="Analyst", powers=["Notes"], quote="Imagination is the discovering faculty.", stats={"Maths": 10})


@pytest.fixture(scope="module")
def kit_pdf(tmp_path_factory, request):
    from minime.box.render import SAMPLE_FIGURE
    from minime.engines import Figure

    figure = Figure(Image.open(SAMPLE_FIGURE).convert("RGBA"), "saved")
    path = tmp_path_factory.mktemp("kit") / "kit.pdf"
    path.write_bytes(print_kit(figure, SPEC, template="classic"))
    return path


def _run(tool: str, *args) -> str:
    return subprocess.run([_need(tool), *map(str, args)], capture_output=True, text=True, timeout=120, check=True).stdout


def test_two_a4_landscape_pages(kit_pdf):
    info = _run("pdfinfo", kit_pdf)
    assert re.search(r"Pages:\s+2\b", info)
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (w, h) == pytest.approx(A4, abs=1.0)


def test_text_is_vector_text_in_embedded_fonts(kit_pdf):
    words = _run("pdftotext", "-layout", kit_pdf, "-")
    flat = re.sub(r"\s+", "", words.upper())
    assert "ADALOVELACE" in flat and "AI-GENERATEDFIGURE" in flat and "CUTONTHESOLIDLINES" in flat
    fonts = [line.split() for line in _run("pdffonts", kit_pdf).splitlines()[2:] if line.strip()]
    assert fonts and all(row[-5] == "yes" for row in fonts)  # the "emb" column: every font embedded


def test_images_are_placed_at_300_dpi(kit_pdf):
    rows = [line.split() for line in _run("pdfimages", "-list", kit_pdf).splitlines()[2:] if line.strip()]
    ppi = [(float(r[12]), float(r[13])) for r in rows]
    assert ppi and all(295 <= x <= 305 and 295 <= y <= 305 for x, y in ppi), ppi


def test_bleed_runs_3mm_past_the_cut_and_crop_marks_sit_outside(kit_pdf, tmp_path):
    dpi = 100
    _run("pdftoppm", "-r", dpi, "-f", 1, "-l", 1, "-png", kit_pdf, tmp_path / "page")
    page = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB"), np.int16)
    px = dpi / 72
    net = net_for(face_aspect("classic"))
    left = (A4[0] - net.width) / 2          # the front panel's left edge: a cut line
    mid = (A4[1] - net.height) / 2 + net.d + net.tongue + net.h / 2
    inside_bleed = page[round(mid * px), round((left - BLEED / 2) * px)]
    outside = page[round(mid * px), round((left - BLEED - 3 * MM) * px)]
    assert inside_bleed.max() - inside_bleed.min() > 40 and inside_bleed[2] > inside_bleed[0]  # the blue board
    assert (outside > 245).all()  # white paper past the bleed
    # A crop mark: a short line level with the net's top edge, just outside the bleed on the left.
    top = (A4[1] - net.height) / 2
    mark = page[round(top * px) - 1: round(top * px) + 2, round((left - BLEED - 5 * MM) * px)]
    assert mark.min() < 120


def test_brand_kit_and_every_template_make_a_kit(tmp_path):
    from minime.engines import Figure

    figure = Figure(Image.new("RGBA", (200, 300), (0, 0, 0, 0)), "saved")
    figure.image.paste((200, 60, 60, 255), (50, 50, 150, 280))
    for template in ("window-box", "collector", "retro-80s", "minimal"):
        data = print_kit(figure, SPEC, template=template, brand=load_brand(FIXTURES / "brand" / "acme.yaml"))
        assert data.startswith(b"%PDF") and len(data) > 20_000


def test_a_sculpted_figure_gets_a_page_on_printing_it_in_3d(tmp_path):
    from minime.box.render import SAMPLE_FIGURE
    from minime.engines import Figure
    from minime.outputs import OutputOptions, kit_bytes
    from minime.sculpt.mesh import Part, outward, uv_sphere
    from minime.sculpt.scene import plinth

    v, f = uv_sphere(12, 16)
    body = Part("torso", v * np.float32([0.4, 1.0, 0.3]) + np.float32([0, 1.3, 0]), outward(v, f), (0.8, 0.2, 0.1))
    head = Part("head", v * 0.45 + np.float32([0, 2.7, 0]), outward(v, f), (0.9, 0.7, 0.6), "skin")
    figure = Figure(Image.open(SAMPLE_FIGURE).convert("RGBA"), "sculpt", mesh=[body, head, plinth(0.7, 0.7, 0.28, (0.1, 0.1, 0.1))])
    path = tmp_path / "kit.pdf"
    path.write_bytes(kit_bytes(figure, SPEC, template="classic", options=OutputOptions(height_mm=60, base="square")))
    assert re.search(r"Pages:\s+3\b", _run("pdfinfo", path))
    page = " ".join(_run("pdftotext", "-f", 3, "-l", 3, path, "-").split())
    for words in ("PRINT YOUR FIGURE IN 3D", "ADA LOVELACE", '--name "Ada Lovelace" -o ada-lovelace.3mf',
                  "--height-mm 60 --base square", "60 mm tall with a square base plate", "0.08 mm",
                  "supports", "g of PLA", "no wall thinner than 1 mm", "FILAMENTS", "1. #"):
        assert words in page, (words, page)
