"""Rasterise every hair style's front outline into src/minime/sculpt/assets/hair_outlines.npz.

Run after changing a style's shape: `python tools/vendor_hair.py`. tests/sculpt/test_hair.py checks the
stored outlines against fresh ones.
"""

from pathlib import Path

import numpy as np

from minime.sculpt.hair import STYLES, render_outline

out = Path(__file__).resolve().parents[1] / "src" / "minime" / "sculpt" / "assets" / "hair_outlines.npz"
np.savez_compressed(out, **{s: np.packbits(render_outline(s).astype(bool).ravel()) for s in STYLES})
print(f"wrote {out}")
