"""The pieces every stated sentence is built from, English or Chinese: a figure's, a lever's, an
assumption's and a strategy's name inside a sentence, the value an assumption flips at, a sentence's
end, and printing the sentences in both languages (the notebooks' conclusion cells).
"""
from __future__ import annotations

import re

from .formats import level_text, lever_name, setting_words
from .labels import LABELS, LEVERS, check_lang, label, scenario_label

END = {"en": ".", "zh": "。"}


def inline(name: str, lang: str) -> str:
    """A name set inside a sentence: in Chinese, Latin text at either end is spaced from the characters."""
    if lang == "en" or not name:
        return name
    return (" " if name[0].isascii() else "") + name + (" " if name[-1].isascii() else "")


_FULL_WIDTH = re.compile(r"[ \t]*([，。；：（）、！？／])[ \t]*")
_BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def typeset(text: str, lang: str) -> str:
    """A text as it is set for a reader: in Chinese no space beside full-width punctuation (a Latin name set
    inline leaves one, e.g. 'LTV ：') nor between two Chinese characters (a number's unit before the
    template's next word, e.g. '140 元 时'); English as it is. Every stated sentence passes through it."""
    if lang != "zh":
        return text
    return _BETWEEN_HAN.sub("", _FULL_WIDTH.sub(r"\1", text))


def cap(s: str) -> str:
    """A sentence's first letter in upper case."""
    return s[0].upper() + s[1:] if s else s


def end(lang: str) -> str:
    return END[lang]


def who(name: str, lang: str) -> str:
    """A strategy named inside a sentence by its display name."""
    return inline(scenario_label(name, lang), lang)


def fig_name(fig: str, lang: str) -> str:
    """A figure's name inside a sentence: lower case in English; spaced from Chinese in Chinese."""
    name = label(f"fig.{fig}", lang)
    if lang == "en":
        return name if name[:3].isupper() else name[0].lower() + name[1:]
    return inline(name, lang)


def lever_words(key: str, lang: str) -> str:
    """A lever (dotted key) named inside a sentence: its display name without the unit, or the key."""
    return inline(lever_name(str(key), lang), lang)


def assumption_words(key: str, meaning: str, lang: str) -> str:
    """An assumption named inside a sentence in plain words: its display name when it has one, else (in
    English) the schema's meaning up to its first clause with the key after it, else the key."""
    if f"l.{key}" in LABELS:
        name = lever_words(key, lang)
        return name[0].lower() + name[1:] if lang == "en" and name[1:2].islower() else name
    words = meaning.split(" (")[0].split(";")[0].split(":")[0].strip() if lang == "en" else ""
    if not words:
        return inline(key, lang)
    return f"{words if words.startswith(('the ', 'how ')) else 'the ' + words} ({key})"


def flip_text(key: str, v: float, lang: str, unit: str = "") -> str:
    """The value of an assumption at which a verdict flips: a lever's in its own unit, any other as a
    setting is written (formats.setting_words: a share or chance in %, else 3 significant digits and the
    schema `unit`'s words)."""
    if key in LEVERS:
        return level_text(key, v, lang, spec=".3g")
    return setting_words(key, v, lang, unit or None)


def print_both(sentences) -> None:
    """Print `sentences(lang)` (a list of str) under an English, then a Chinese heading."""
    for lang, head in (("en", "What to conclude"), ("zh", "结论")):
        check_lang(lang)
        print(head)
        for s in sentences(lang):
            print(f"- {typeset(s, lang)}")
        print()


__all__ = ["assumption_words", "cap", "end", "fig_name", "flip_text", "inline", "lever_words", "print_both",
           "typeset", "who"]
