"""The invisible watermark: a backup AI label that survives re-encoding and resizing when the metadata has
been stripped (a DWT-DCT scheme on the luma).
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
from PIL import Image

from ..errors import MinimeError

#
# The image's luma is resampled to a fixed 512x512 grid, so the mark does not depend on the file's size
# (a 0.5x resize reads the same grid). One Haar DWT level gives the 256x256 LL band; each 8x8 block of it
# carries the three lowest AC DCT coefficients, each quantised (dithered QIM) to one bit: 3072 slots. A 120-bit
# frame (length, payload, CRC-32) is spread over the slots about 25 times in a keyed random order and read
# back by soft voting. The CRC makes a random image read as None (false positive rate ~2e-10). The change is
# made on the grid, then resampled to the image's size and added equally to R, G and B.

_WM_N = 512
_WM_B = 8
_WM_COEFFS = ((0, 1), (1, 0), (1, 1))
_WM_STEP = 44.0
_WM_MAXLEN = 10
_WM_FRAME_BITS = (1 + _WM_MAXLEN + 4) * 8
_WM_BAND = 64  # rows marked at a time
_WM_MIN_SIDE = 128  # smaller images cannot carry the mark through the resampling


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * x + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


@lru_cache(maxsize=1)
def _wm_tables():
    d = _dct_matrix(_WM_B)
    basis = np.stack([np.outer(d[u], d[v]) for u, v in _WM_COEFFS]).astype(np.float64)
    blocks = (_WM_N // 2 // _WM_B) ** 2
    slots = blocks * len(_WM_COEFFS)
    rng = np.random.default_rng(0x6D696E696D65)  # "minime": the key; changing it changes every mark
    bit_of_slot = np.empty(slots, np.int64)
    bit_of_slot[rng.permutation(slots)] = np.arange(slots) % _WM_FRAME_BITS
    whiten = rng.integers(0, 2, slots).astype(np.uint8)
    dither = rng.uniform(0, _WM_STEP, slots)
    return basis, bit_of_slot, whiten, dither


def _wm_grid(image: Image.Image) -> np.ndarray:
    """The luma resampled to the fixed grid (BILINEAR in Pillow filters when it shrinks)."""
    grey = image.convert("L") if image.mode in ("RGB", "RGBA", "L", "LA") else image.convert("RGB").convert("L")
    return np.asarray(grey.resize((_WM_N, _WM_N), Image.Resampling.BILINEAR), np.float64)


def _wm_coeffs(grid: np.ndarray) -> np.ndarray:
    import pywt

    basis = _wm_tables()[0]
    ll, _ = pywt.dwt2(grid, "haar")
    n = ll.shape[0] // _WM_B
    blocks = ll.reshape(n, _WM_B, n, _WM_B).transpose(0, 2, 1, 3).reshape(n * n, _WM_B, _WM_B)
    return np.einsum("nij,kij->nk", blocks, basis).reshape(-1)


def _wm_frame(payload: bytes) -> np.ndarray:
    body = bytes([len(payload)]) + payload.ljust(_WM_MAXLEN, b"\0")
    frame = body + zlib.crc32(b"minime" + body).to_bytes(4, "big")
    return np.unpackbits(np.frombuffer(frame, np.uint8))


def embed_watermark(image: Image.Image, payload: bytes = b"minime-ai") -> Image.Image:
    """Hide `payload` in the image's luma, invisibly (PSNR about 45 dB).

    Args:
        image: RGB (RGBA keeps its alpha; other modes are converted to RGB).
        payload: up to 10 bytes.
    Returns:
        A new image of the same size and mode. Images under 128 px on a side are returned unchanged (too small
        to carry the mark).
    """
    import pywt

    if len(payload) > _WM_MAXLEN:
        raise MinimeError(f"watermark payload is {len(payload)} bytes; at most {_WM_MAXLEN} fit")
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    w, h = rgb.size
    if min(w, h) < _WM_MIN_SIDE:
        return image.copy() if image.mode in ("RGB", "RGBA") else rgb
    basis, bit_of_slot, whiten, dither = _wm_tables()
    coeffs = _wm_coeffs(_wm_grid(rgb))
    bits = _wm_frame(payload)[bit_of_slot] ^ whiten
    offset = dither + bits * (_WM_STEP / 2)
    target = np.round((coeffs - offset) / _WM_STEP) * _WM_STEP + offset
    dcoef = (target - coeffs).reshape(-1, len(_WM_COEFFS))
    n = _WM_N // 2 // _WM_B
    dblocks = np.einsum("nk,kij->nij", dcoef, basis)
    dll = dblocks.reshape(n, n, _WM_B, _WM_B).transpose(0, 2, 1, 3).reshape(n * _WM_B, n * _WM_B)
    zero = np.zeros_like(dll)
    dgrid = pywt.idwt2((dll, (zero, zero, zero)), "haar").astype(np.float32)
    delta = np.asarray(Image.fromarray(dgrid, "F").resize((w, h), Image.Resampling.BILINEAR))
    pixels = np.asarray(rgb)
    marked = np.empty((h, w, 3), np.uint8)
    band = np.empty((min(h, _WM_BAND), w, 3), np.float32)  # a band of rows at a time: it stays in the cache
    for top in range(0, h, _WM_BAND):
        rows = slice(top, top + _WM_BAND)
        out = band[: len(pixels[rows])]
        np.add(pixels[rows], delta[rows, :, None], out=out, dtype=np.float32)
        np.rint(out, out=out)
        np.clip(out, 0, 255, out=out)
        marked[rows] = out
    result = Image.fromarray(marked, "RGB")
    if alpha is not None:
        result.putalpha(alpha)
    return result


def read_watermark(image: Image.Image) -> bytes | None:
    """The payload hidden by embed_watermark(), or None when there is none (or it did not survive)."""
    if min(image.size) < 16:
        return None
    _, bit_of_slot, whiten, dither = _wm_tables()
    coeffs = _wm_coeffs(_wm_grid(image))
    soft = np.cos(2 * np.pi * (coeffs - dither) / _WM_STEP)  # +1 on the bit-0 lattice, -1 on the bit-1 one
    soft = np.where(whiten == 1, -soft, soft)
    votes = np.bincount(bit_of_slot, weights=soft, minlength=_WM_FRAME_BITS)
    frame = np.packbits((votes < 0).astype(np.uint8)).tobytes()
    body, crc = frame[:-4], frame[-4:]
    if body[0] > _WM_MAXLEN or zlib.crc32(b"minime" + body).to_bytes(4, "big") != crc:
        return None
    return body[1 : 1 + body[0]]

