"""Chinese quotation marks around text that may hold marks of its own: the one place that nests them.

The rule of Chinese punctuation (GB/T 15834): inside “…” a quotation takes ‘…’, and inside
that “…” again; inside 《…》 a title takes 〈…〉. A task's text such as 公开“互联网+政务服务”情况,
quoted as it is, would read “公开“互联网+政务服务”情况” — the second “ looks like the end.
"""

from __future__ import annotations

# (opening marks, closing marks, the marks of each level: outermost first)
_KINDS = {
    "“”": ("“‘", "”’", ("“”", "‘’")),
    "《》": ("《〈", "》〉", ("《》", "〈〉")),
}


def quote(text: str, marks: str = "“”") -> str:
    """``text`` inside ``marks`` (“” or 《》), each quotation of its own one level further in, by
    how deep it stands whichever marks it was written with: quote('公开“互联网+”情况') and
    quote('整理‘三张清单’') give '“公开‘互联网+’情况”' and '“整理‘三张清单’”'."""
    opening, closing, levels = _KINDS[marks]
    out = [marks[0]]
    depth = 0  # how many of the text's own quotations are open here
    for ch in text:
        if ch in opening:
            depth += 1
            out.append(levels[depth % 2][0])
        elif ch in closing and depth:
            out.append(levels[depth % 2][1])
            depth -= 1
        elif ch == marks[1]:  # nothing open (a cut text): written as it is, it would end the quotation
            out.append(levels[1][1])
        else:  # text, or an inner mark with nothing open (an apostrophe, as in Xi’an): it ends nothing
            out.append(ch)
    out.append(marks[1])
    return "".join(out)
