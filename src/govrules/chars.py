"""字数: how many characters a 公文 has, in the named counting modes of semantics.md.

No official rule defines it. ``word_processor`` (the default) is what officials see in their
word processor: every CJK character and Chinese punctuation mark (、。“”—…) is 1, a run of Latin
letters or digits is 1, whitespace and half-width punctuation are 0. ``non_whitespace`` counts
every character that is not whitespace.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

CountMode = Literal["word_processor", "non_whitespace"]


def count_chars(text: str, mode: CountMode = "word_processor") -> int:
    if mode == "non_whitespace":
        return sum(1 for ch in text if not ch.isspace())
    count = 0
    in_word = False
    for ch in text:
        width = unicodedata.east_asian_width(ch)
        # “ ” ‘ ’ — … · are "ambiguous" width in Unicode but are Chinese punctuation in a 公文,
        # and word processors count them like 、 and 。
        if width in ("W", "F") or (width == "A" and unicodedata.category(ch).startswith("P")):
            count += 1  # 汉字, full-width punctuation, full-width digits
            in_word = False
        elif ch.isalnum():
            count += not in_word  # a run of Latin letters or digits is one word
            in_word = True
        else:
            in_word = False  # whitespace and half-width punctuation count 0
    return count
