"""Chinese names for holidays and weekdays: the explanations are read by a 督查室 clerk."""

from __future__ import annotations

from typing import Final

# chinese-calendar labels its days in English; these are the names the State Council uses.
_CHINESE_NAMES: Final[dict[str, str]] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

WEEKDAY_NAMES: Final[tuple[str, ...]] = (
    "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日",
)


def chinese_holiday_name(english: str) -> str:
    """The Chinese name of a chinese-calendar holiday label.

    A label added by a newer chinese-calendar is passed through rather than failing every
    calculation; the test suite checks that every label of the installed version is mapped.
    """
    return _CHINESE_NAMES.get(english, english)


def is_mapped(english: str) -> bool:
    return english in _CHINESE_NAMES
