"""Quotation marks nest by GB/T 15834 however the text wrote its own (the report quotes task texts)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gktrack.domain.quoting import quote


def test_a_quotation_goes_one_level_in_whichever_marks_it_was_written_with():
    assert quote("公开“互联网+政务服务”情况") == "“公开‘互联网+政务服务’情况”"
    # a text that used single marks at its own top level: they are already the inner level
    assert quote("整理‘三张清单’") == "“整理‘三张清单’”"
    assert quote("a“b‘c’d”e") == "“a‘b“c”d’e”"
    assert quote("贯彻《政府信息公开条例》", "《》") == "《贯彻〈政府信息公开条例〉》"
    assert quote("《条例》解读") == "“《条例》解读”"  # title marks are another kind: untouched
    # a closing mark with nothing open: the outer kind (a cut text) goes one level in, or it would
    # end the quotation; an inner one (an apostrophe) ends nothing and stays
    assert quote("Xi’an”") == "“Xi’an’”"
    assert quote("条例》解读", "《》") == "《条例〉解读》" and quote("a〉b", "《》") == "《a〉b》"


def _balanced(depth: int = 0):
    plain = st.text(alphabet="公开政务ab ", max_size=4)
    if depth >= 3:
        return plain
    inner = st.deferred(lambda: _balanced(depth + 1))
    pair = st.tuples(st.sampled_from(["“”", "‘’"]), inner).map(lambda p: p[0][0] + p[1] + p[0][1])
    return st.lists(st.one_of(plain, pair), max_size=3).map("".join)


@given(_balanced())
def test_nesting_alternates_and_only_marks_change(text):
    out = quote(text)
    strip = str.maketrans("", "", "“”‘’")
    assert out.translate(strip) == text.translate(strip)
    depth = 0
    for ch in out:  # every level alternates: “ at even depth, ‘ at odd, each closed in kind
        if ch in "“‘":
            assert ch == "“‘"[depth % 2]
            depth += 1
        elif ch in "”’":
            depth -= 1
            assert ch == "”’"[depth % 2]
    assert depth == 0
