"""Finding a font that draws Chinese, and refusing to draw tofu when there is none."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from govrules.analysis.fonts import SAMPLE, CJKFont, CJKFontMissing, cjk_rc, find_cjk_font
from govrules.errors import GovrulesError

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEJAVU = Path(font_manager.findfont("DejaVu Sans"))


@pytest.fixture(scope="module")
def cjk() -> CJKFont:
    try:
        return find_cjk_font()
    except CJKFontMissing as exc:
        pytest.skip(f"no CJK font on this machine: {exc}")


def test_the_font_found_has_every_glyph_the_pictures_draw(cjk: CJKFont) -> None:
    assert cjk.missing(SAMPLE + "按期办结逾期办结临期办理中") == ""
    assert cjk.missing("abc 2026年3月") == ""


def test_missing_names_the_characters_a_latin_font_lacks() -> None:
    dejavu = CJKFont("DejaVu Sans", str(DEJAVU))
    assert dejavu.missing("abc 逾期 逾期") == "逾期"  # each once, in order, spaces ignored
    assert dejavu.missing("abc") == ""


@pytest.mark.skipif(not NOTO_SANS.is_file(), reason="Debian's fonts-noto-cjk is not installed")
def test_noto_sans_simplified_chinese_face_is_preferred() -> None:
    font = find_cjk_font()
    assert font.family == "Noto Sans CJK SC"
    assert Path(font.path) == NOTO_SANS
    # the face in the collection is the SC one, not face 0 (JP)
    assert font_manager.get_font(font_manager.FontPath(font.path, font.index)).family_name == "Noto Sans CJK SC"


@pytest.mark.skipif(not NOTO_SANS.is_file(), reason="Debian's fonts-noto-cjk is not installed")
def test_a_font_file_given_by_path_is_used_with_its_chinese_face() -> None:
    before = len(font_manager.fontManager.ttflist)
    font = find_cjk_font(NOTO_SANS)
    again = find_cjk_font(str(NOTO_SANS))
    assert font == again and font.family.endswith("SC") and font.path == str(NOTO_SANS)
    assert len(font_manager.fontManager.ttflist) == before  # already known: not registered twice


def test_no_cjk_font_installed_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    latin_only = [e for e in font_manager.fontManager.ttflist if e.name.startswith("DejaVu")]
    assert latin_only
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    with pytest.raises(CJKFontMissing) as caught:
        find_cjk_font()
    message = str(caught.value)
    assert "Chinese labels cannot render" in message
    assert "apt-get install fonts-noto-cjk" in message and "font=" in message
    assert isinstance(caught.value, GovrulesError)  # front ends turn it into one message


def test_a_font_path_without_chinese_glyphs_is_refused() -> None:
    with pytest.raises(CJKFontMissing, match=r"has no glyphs for 逾期.*cannot render"):
        find_cjk_font(DEJAVU)


def test_a_missing_or_unreadable_font_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CJKFontMissing, match="no such file"):
        find_cjk_font(tmp_path / "nope.ttf")
    text = tmp_path / "not-a-font.ttf"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(CJKFontMissing, match="cannot be read as a font"):
        find_cjk_font(text)


def test_the_font_applies_to_one_figure_and_leaves_rcparams_alone(cjk: CJKFont) -> None:
    family = list(matplotlib.rcParams["font.family"])
    with matplotlib.rc_context(cjk_rc(cjk)):
        fig = Figure()
        title = fig.add_subplot().set_title("逾期")
    assert list(matplotlib.rcParams["font.family"]) == family
    # the text keeps the face it was made with after the context has ended
    assert title.get_fontproperties().get_family()[0] == cjk.family
    used = font_manager.findfont(title.get_fontproperties())
    assert Path(used) == Path(cjk.path)


def test_the_last_resort_font_of_placeholder_boxes_is_no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """matplotlib ships it and its charmap claims every character; it would draw boxes."""
    boxes = [e for e in font_manager.fontManager.ttflist if e.name.startswith("Last Resort")]
    if not boxes:
        pytest.skip("this matplotlib ships no Last Resort font")
    latin = [e for e in font_manager.fontManager.ttflist if e.name.startswith("DejaVu")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin + boxes)
    with pytest.raises(CJKFontMissing):
        find_cjk_font()
