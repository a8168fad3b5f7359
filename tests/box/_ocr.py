"""Reading a name slot back with tesseract."""

import re
import unicodedata

import numpy as np
from PIL import Image, ImageOps


def letters(value: str) -> str:
    """Upper-case letters only, accents dropped (tesseract's English model reads É as E); a zero is read as the
    O it most often is in a display face."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))
    return re.sub(r"[^A-Z]", "", bare.upper().replace("0", "O"))


def read_name(ocr, region: Image.Image, expected: str) -> str:
    """OCR a name slot until `expected` shows: as a line, as a block, and as dark-on-light (for light foil or
    chrome letters on a dark board). Returns the letters read."""
    grey = region.convert("L")
    dark_on_light = (ImageOps.invert(grey) if np.asarray(grey).mean() < 110 else grey).convert("RGB")
    seen = ""
    for img, psm in ((_tight(region), 7), (region, 7), (dark_on_light, 7), (region, 6), (dark_on_light, 6)):
        seen += " " + letters(ocr(img, psm=psm))
        if letters(expected) in seen:
            break
    return seen


def _tight(region: Image.Image) -> Image.Image:
    """The region cropped to its lightest pixels (the letters' fill), with a margin: a short name in a wide slot
    reads better on its own."""
    grey = np.asarray(region.convert("L"))
    ys, xs = np.nonzero(grey >= np.percentile(grey, 97))
    if len(xs) == 0:
        return region
    pad = max(8, (ys.max() - ys.min()) // 3)
    box = (max(0, xs.min() - pad), max(0, ys.min() - pad), min(region.width, xs.max() + pad), min(region.height, ys.max() + pad))
    return region.crop(box)
