"""The house style: palette, fonts (CJK detection), figure creation, money axes, export.

Chinese needs a CJK font. `cjk_font()` finds an installed one ("Noto Sans CJK SC",
"WenQuanYi Micro Hei", ...); with lang="zh" and none installed, a chart raises
`FontMissingError` saying how to install one.
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
from cycler import cycler
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from ..core.errors import UsageError
from ..core.files import atomic_path
from .formats import MONEY_UNITS, money_text
from .labels import check_lang

# Okabe-Ito: distinguishable for colour-blind readers and in greyscale print-outs.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
STYLE = {
    "figure.figsize": (11, 6),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 13,
    "axes.titlesize": 16,
    "axes.titleweight": "bold",
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "figure.titlesize": 18,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.4,
    "axes.prop_cycle": cycler(color=PALETTE),
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans", "Microsoft YaHei",
             "SimHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB", "Arial Unicode MS")
_CJK_FILE_HINTS = ("notosanscjk", "notosanssc", "sourcehansans", "wqy", "wenquanyi", "msyh", "simhei", "pingfang")

FONT_HELP = ("no Chinese (CJK) font found for lang='zh' charts. Install one and retry: "
             "Debian/Ubuntu `apt-get install fonts-noto-cjk` as root, or with sudo (or fonts-wqy-microhei); "
             "conda `conda install -c conda-forge font-ttf-noto-cjk`; or download Noto Sans SC from "
             "https://fonts.google.com/noto/specimen/Noto+Sans+SC into ~/.fonts and delete matplotlib's "
             "font cache (~/.cache/matplotlib). English charts (lang='en') work without it.")


class FontMissingError(UsageError):
    """No CJK font is installed, so Chinese labels cannot be drawn (a UsageError, so the CLI
    prints it as one line and exits with code 2)."""


# ----------------------------------------------------------------- fonts and style

_font_cache: dict[str, str | None] = {}


def cjk_font() -> str | None:
    """Family name of an installed CJK font matplotlib can use, or None.

    Looks through matplotlib's font list first; if nothing is there (its cache may
    predate the font's installation), scans the system font folders and registers
    any CJK font files found.
    """
    if "name" in _font_cache:
        return _font_cache["name"]
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((n for n in CJK_FONTS if n in installed), None)
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(h in os.path.basename(path).lower().replace("-", "").replace("_", "") for h in _CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # noqa: BLE001 - an unreadable font file is simply skipped
                    continue
        installed = {f.name for f in font_manager.fontManager.ttflist}
        found = next((n for n in CJK_FONTS if n in installed), None)
        if found is not None:
            _remember_fonts()
    _font_cache["name"] = found
    return found


def _remember_fonts() -> None:
    """Write matplotlib's font list, with the CJK fonts just registered, to its own cache file (as matplotlib does
    when it builds the list), replacing it whole: the next process then finds the font without scanning the
    system's fonts (~2 s with Noto CJK). Nothing happens when the cache cannot be written."""
    path = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
    try:
        with atomic_path(path) as tmp:
            font_manager.json_dump(font_manager.fontManager, tmp)
    except OSError:
        pass


def font_family(lang: str) -> list[str]:
    """Font family list for `lang`: for zh a CJK font first (raises FontMissingError if none)."""
    check_lang(lang)
    cjk = cjk_font()
    if lang == "zh":
        if cjk is None:
            raise FontMissingError(FONT_HELP)
        return [cjk, "DejaVu Sans"]
    return ["DejaVu Sans"] + ([cjk] if cjk else [])   # CJK fallback for Chinese scenario names


def rc(lang: str) -> dict:
    """The rcParams of the house style for `lang`. Text is shown as written (no $...$ mathtext), so a
    scenario name with dollar signs is a name, not a formula that can fail to parse."""
    return {**STYLE, "font.family": font_family(lang), "axes.unicode_minus": lang != "zh", "text.parse_math": False}


def new_figure(lang: str, nrows=1, ncols=1, figsize=None, **kw):
    """A Figure (not registered with pyplot) with axes, drawn in the house style."""
    with matplotlib.rc_context(rc(lang)):
        fig = Figure(figsize=figsize or STYLE["figure.figsize"], layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    fig._siyu_lang = lang
    return fig, axes


def finish(fig: Figure, lang: str) -> Figure:
    """Fix the font of tick labels made later (at draw time) to this chart's language."""
    fam = font_family(lang)
    for ax in fig.axes:
        ax.tick_params(labelfontfamily=fam, labelsize=STYLE["xtick.labelsize"], grid_alpha=STYLE["grid.alpha"])
    return fig


def style_context(lang: str):
    return matplotlib.rc_context(rc(lang))


class MoneyFormatter(Formatter):
    """Tick labels of a money axis in ONE unit for the whole axis (the unit of its largest tick)
    and the fewest decimals that show every tick exactly (1.25M stays 1.25M, never 1.2M)."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_ticks(self, values):
        vals = [float(v) for v in values]
        if not vals:
            return []
        ref = max(abs(v) for v in vals)
        div = next((d for thr, d, _ in MONEY_UNITS[self.lang] if ref >= thr), 1.0)
        dec = next((d for d in range(4) if all(abs(round(v / div, d) - v / div) < 1e-6 for v in vals)), 3)
        return [money_text(v, self.lang, ref=ref, decimals=dec) for v in vals]

    def __call__(self, x, pos=None):
        return money_text(x, self.lang)


def money_axis(axis, lang: str) -> None:
    """Round money ticks (steps of 1, 2 or 5 x a power of ten) in one unit per axis."""
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(MoneyFormatter(lang))


# ----------------------------------------------------------------- export

def save(fig: Figure, out_dir, name: str, formats=("png", "svg", "pdf")) -> list[Path]:
    """Write `fig` as out_dir/name.<fmt> for each format, each through a temp file and a rename."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lang = getattr(fig, "_siyu_lang", "en")
    paths = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        with atomic_path(path, suffix=f".{fmt}") as tmp, matplotlib.rc_context(rc(lang)):
            fig.savefig(tmp, format=fmt)
        paths.append(path)
    return paths


def to_png_bytes(fig: Figure, dpi: int = 100, fixed_layout: bool = False) -> bytes:
    """The chart as PNG bytes (for widgets and embedding).

    fixed_layout=True swaps the constrained layout for fixed margins: about twice as
    fast to draw, for one-panel charts that are redrawn often (the dashboard).
    """
    import io
    if fixed_layout and len(fig.axes) == 1:
        fig.set_layout_engine("none")
        fig.axes[0].set_position([0.11, 0.12, 0.86, 0.79])
    buf = io.BytesIO()
    with matplotlib.rc_context(rc(getattr(fig, "_siyu_lang", "en"))):
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
