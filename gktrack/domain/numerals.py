"""Chinese numerals as numbers: "十二", "二十五", "一百零五", and a year written digit by digit
("二〇二四"). Deadlines, typed dates and the importer's item numbers all read them here."""

from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9}
# Written digit by digit, ○ (a circle) and Ｏ (a full-width letter O) stand for 〇 in many
# documents' years; 两 is never a digit so.
_DIGITWISE = {ch: str(value) for ch, value in DIGITS.items() if ch != "两"} | {"○": "0", "Ｏ": "0"}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def number(text: str, *, digitwise: bool = False) -> int | None:
    """Arabic or Chinese numerals ("12", "十二", "一百零五"), or, ``digitwise``, a number written
    digit by digit ("二〇一七"); None for anything else ("一二", "十十", "五百百")."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    if digitwise:
        if text and all(ch in _DIGITWISE for ch in text):
            return int("".join(_DIGITWISE[ch] for ch in text))
        return None
    if not any(ch in _UNITS for ch in text):
        # "六" yes; "一二" is not how anyone writes twelve.
        return DIGITS.get(text) if len(text) == 1 else None
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in DIGITS:
            if digit:
                return None
            digit = DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)
