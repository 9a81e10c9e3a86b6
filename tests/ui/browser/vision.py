"""How a screenshot looks to a viewer with a colour-vision deficiency, or in greyscale (a projector
with washed-out colour, a black-and-white printout).

The deficiency matrices are those of Machado, Oliveira and Fernandes (2009), severity 1.0, applied
to linear RGB; greyscale is the Rec. 709 relative luminance. Used by the colour tests of the charts
and by scripts/screens.py, which writes each screenshot beside its simulations.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

MATRICES = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
LUMINANCE = np.array([0.2126, 0.7152, 0.0722])
VIEWS = (*MATRICES, "greyscale")


def _linear(srgb: np.ndarray) -> np.ndarray:
    c = srgb / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _srgb(linear: np.ndarray) -> np.ndarray:
    c = np.clip(linear, 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055) * 255.0


def simulate(rgb: np.ndarray, view: str) -> np.ndarray:
    """`rgb` (…×3, 0–255) as seen in `view` (one of VIEWS), same shape, float 0–255."""
    linear = _linear(np.asarray(rgb, dtype=float))
    if view == "greyscale":
        grey = linear @ LUMINANCE
        return _srgb(np.repeat(grey[..., None], 3, axis=-1))
    return _srgb(linear @ MATRICES[view].T)


def hex_rgb(colour: str) -> np.ndarray:
    """'#1a9850' or 'rgb(26,152,80)' as an array of three 0–255 numbers."""
    colour = colour.strip()
    if colour.startswith("#"):
        return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    inner = colour[colour.index("(") + 1:colour.index(")")]
    return np.array([float(part) for part in inner.split(",")[:3]])


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance of two colours in 0–255 RGB (a rough but monotone difference)."""
    return float(np.linalg.norm(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)))


def write_simulations(png: Path) -> list[Path]:
    """Beside `png`, one PNG per simulated view (name.deuteranopia.png, …); returns their paths."""
    image = np.asarray(Image.open(png).convert("RGB"), dtype=float)
    out = []
    for view in VIEWS:
        target = png.with_suffix(f".{view}.png")
        Image.fromarray(simulate(image, view).round().astype(np.uint8)).save(target)
        out.append(target)
    return out
