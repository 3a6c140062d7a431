"""A font that draws Chinese, found among the installed ones, for labels that must not turn to tofu.

matplotlib's default font (DejaVu Sans) has no CJK glyphs: every 逾期 would be drawn as boxes
with only a warning. So the pictures ask ``find_cjk_font`` first and refuse to draw without one.
The font is applied per figure (``cjk_rc`` inside ``matplotlib.rc_context``), never by changing
the global rcParams.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib import font_manager
from matplotlib.font_manager import FontEntry, FontPath, FontProperties
from matplotlib.typing import RcKeyType

from govrules.errors import GovrulesError

# Families known to cover simplified Chinese, best first: sans before serif (labels read better),
# simplified-Chinese faces before the other regions' faces of the same collection.
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB",
    "Heiti SC", "SimHei", "Droid Sans Fallback", "Noto Serif CJK SC", "Noto Serif SC",
    "Source Han Serif SC", "Source Han Serif CN", "SimSun", "AR PL UMing CN", "AR PL UKai CN",
    "Noto Sans CJK TC", "Noto Sans CJK JP",
)
# Characters every picture draws: a font lacking any of them is no use here.
SAMPLE = "逾期办结按期临期办理中无期限年月日国庆节春节调休上班责任单位市交通运输局"
INSTALL_HINT = (
    "install a CJK font (Debian/Ubuntu: apt-get install fonts-noto-cjk; then remove matplotlib's "
    "font cache, ~/.cache/matplotlib, so that it sees the new font) or pass font='/path/to/font.ttf'"
)


class CJKFontMissing(GovrulesError):
    """No font that can draw Chinese: the pictures would show boxes instead of characters."""


@dataclass(frozen=True)
class CJKFont:
    """A font face able to draw the pictures' Chinese: its family name, file and face in the file."""

    family: str
    path: str
    index: int = 0

    def properties(self, **kwargs: Any) -> FontProperties:
        return FontProperties(family=self.family, **kwargs)

    def missing(self, text: str) -> str:
        """The characters of ``text`` this face has no glyph for, each once, in order."""
        charmap = _charmap(self.path, self.index)
        return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in charmap))


def _charmap(path: str, index: int) -> frozenset[int]:
    """The code points the face has glyphs for (get_font caches open faces: asking again is cheap)."""
    return frozenset(font_manager.get_font(FontPath(path, index)).get_charmap())


# matplotlib (3.10 on) ships "Last Resort High-Efficiency", whose charmap covers every code point
# with one placeholder box per block: it "covers" SAMPLE and draws no Chinese at all.
PLACEHOLDER_FAMILIES = ("Last Resort",)


def _covers(entry: FontEntry) -> bool:
    if entry.name.startswith(PLACEHOLDER_FAMILIES):
        return False
    try:
        charmap = _charmap(str(entry.fname), int(entry.index))
    except (OSError, RuntimeError, ValueError):  # an unreadable font file: not a candidate
        return False
    return all(ord(c) in charmap for c in SAMPLE)


def _regular_first(entries: Iterable[FontEntry]) -> list[FontEntry]:
    return sorted(entries, key=lambda e: (abs(_weight(e) - 400), e.style != "normal", str(e.fname)))


def _weight(entry: FontEntry) -> int:
    weight = entry.weight
    return weight if isinstance(weight, int) else 400


def _pick(entries: list[FontEntry]) -> FontEntry | None:
    """The preferred families first; failing those, any installed face that covers SAMPLE."""
    by_family: dict[str, list[FontEntry]] = {}
    for entry in entries:
        by_family.setdefault(entry.name, []).append(entry)
    for family in PREFERRED_FAMILIES:
        for entry in _regular_first(by_family.get(family, [])):
            if _covers(entry):
                return entry
    # Fonts of unknown names: open each one (slow with many fonts, but only on unusual systems).
    return next((e for e in _regular_first(entries) if _covers(e)), None)


def _from_path(path: str | os.PathLike[str]) -> CJKFont:
    file = os.fsdecode(path)
    if not Path(file).is_file():
        raise CJKFontMissing(f"font {file}: no such file; expected a TrueType/OpenType font (.ttf, .otf, .ttc)")
    manager = font_manager.fontManager
    if not any(os.fsdecode(e.fname) == file for e in manager.ttflist):
        try:
            manager.addfont(file)  # registers the file's faces by name; rcParams are untouched
        except (OSError, RuntimeError, ValueError) as exc:
            raise CJKFontMissing(f"font {file}: cannot be read as a font ({exc})") from None
    faces = [e for e in manager.ttflist if os.fsdecode(e.fname) == file]
    ranked = sorted(faces, key=lambda e: (not any(t in e.name for t in ("SC", "CN", "GB", "Hans")), e.index))
    chosen = next((e for e in ranked if _covers(e)), None)
    if chosen is None:
        lacking = CJKFont(faces[0].name, file, faces[0].index).missing(SAMPLE) if faces else SAMPLE
        raise CJKFontMissing(f"font {file}: has no glyphs for {lacking}; Chinese labels cannot render with it. "
                             "Expected a font with Chinese characters, e.g. NotoSansCJK-Regular.ttc")
    return CJKFont(chosen.name, file, int(chosen.index))


def find_cjk_font(path: str | os.PathLike[str] | CJKFont | None = None) -> CJKFont:
    """The font to draw Chinese with: the file given, or the best installed one.

    Raises ``CJKFontMissing`` naming the fix when there is none, rather than drawing boxes.
    """
    if isinstance(path, CJKFont):
        return path
    if path is not None:
        return _from_path(path)
    entry = _pick(list(font_manager.fontManager.ttflist))
    if entry is None:
        raise CJKFontMissing(f"Chinese labels cannot render: no installed font has the glyphs of {SAMPLE} "
                             f"(looked for {', '.join(PREFERRED_FAMILIES[:4])} …); {INSTALL_HINT}")
    return CJKFont(entry.name, os.fsdecode(entry.fname), int(entry.index))


def cjk_rc(font: CJKFont) -> dict[RcKeyType, Any]:
    """rcParams for ``matplotlib.rc_context`` while a figure is built: the CJK face first, then
    DejaVu Sans for any glyph it lacks. A text keeps the font it was created with, so the figure
    renders the same after the context has ended."""
    return {
        "font.family": [font.family, "DejaVu Sans"],
        # CJK fonts' hyphen-minus is the safe choice; some lack U+2212.
        "axes.unicode_minus": False,
    }
