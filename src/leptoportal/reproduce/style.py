"""The package's figure style (mplhep) and the atomic saving of figures as PNG and PDF."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mplhep  # noqa: E402

from leptoportal.outputs import atomic_output  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

plt.style.use(mplhep.style.ROOT)


def new_figure(ratio_panel: bool = False,
               figsize: tuple[float, float] = (8, 6.5)) -> tuple[Figure, Any]:
    """A figure (and axes) in the package style; with ``ratio_panel`` a (main, ratio) pair."""
    if ratio_panel:
        fig, (ax, rax) = plt.subplots(
            2, 1, figsize=(figsize[0], figsize[1] * 1.2), sharex=True,
            gridspec_kw={"height_ratios": [3, 1], "hspace": 0.05},
        )
        return fig, (ax, rax)
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def label(ax: Axes, text: str = "leptoportal") -> None:
    """Small experiment-style label in the top-left corner."""
    ax.text(0.02, 1.01, text, transform=ax.transAxes, fontsize=14, fontweight="bold",
            va="bottom", ha="left")


def mass_axis(ax: Axes, lo: float, hi: float, axis: str = "x") -> None:
    """Log mass axis with plain-number ticks (0.2, 0.5, 1, 2, ...) and no crowded minors."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    choice: tuple[float, ...]
    if hi / lo > 100:  # several decades: 1-2-5 ticks
        choice = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
    else:
        choice = (0.11, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
    ticks = [t for t in choice if lo <= t <= hi]
    a = ax.xaxis if axis == "x" else ax.yaxis
    a.set_major_locator(FixedLocator(ticks))
    a.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    a.set_minor_formatter(NullFormatter())


#: resolution of the PNG figures (publication quality)
DPI = 300
#: resolution of their thumbnails (HEPData shows them in its table list)
THUMBNAIL_DPI = 30


def save_figure(fig: Figure, stem: str | Path, formats: tuple[str, ...] = ("png", "pdf"),
                dpi: int = DPI,
                thumbnail: bool = True) -> list[Path]:
    """Save ``fig`` as stem.png / stem.pdf atomically (and, with ``thumbnail``, a small
    thumb_<stem>.png beside them); return the paths."""
    stem = Path(stem)
    out = []
    jobs = [(stem.with_suffix("." + fmt), fmt, dpi) for fmt in formats]
    if thumbnail:
        jobs.append((stem.with_name(f"thumb_{stem.name}.png"), "png", THUMBNAIL_DPI))
    try:
        # the tight bounding box once (bbox_inches="tight" draws the figure again per file)
        bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.1)  # type: ignore[attr-defined]
        for path, fmt, resolution in jobs:
            with atomic_output(path, "." + fmt) as tmp:
                fig.savefig(tmp, format=fmt, dpi=resolution, bbox_inches=bbox)
            out.append(path)
    finally:
        plt.close(fig)
    return out


__all__ = [
    "DPI", "THUMBNAIL_DPI", "label", "mass_axis", "new_figure", "save_figure",
]


def __dir__() -> list[str]:
    return __all__
