"""Chinese quotation marks around text that may hold marks of its own: the one place that nests them.

The rule of Chinese punctuation (GB/T 15834): inside “…” a quotation takes ‘…’, and inside
that “…” again; inside 《…》 a title takes 〈…〉. A task's text such as 公开“互联网+政务服务”情况,
quoted as it is, would read “公开“互联网+政务服务”情况” — the second “ looks like the end.
"""

from __future__ import annotations

# The marks inside each kind of outer pair swap with their inner kind, so a third level is right too.
_INNER = {
    "“”": str.maketrans("“”‘’", "‘’“”"),
    "《》": str.maketrans("《》〈〉", "〈〉《》"),
}


def quote(text: str, marks: str = "“”") -> str:
    """``text`` inside ``marks`` (“” or 《》), its own marks of that kind one level in:
    quote('公开“互联网+”情况') == '“公开‘互联网+’情况”'."""
    return f"{marks[0]}{text.translate(_INNER[marks])}{marks[1]}"
