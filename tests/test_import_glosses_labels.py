"""Text a page or a PDF adds around what a plan says: pinyin glosses a mirror site puts after 繁体
characters (dropped) against ASCII words a plan writes in brackets (kept), and the spaces PDF text
leaves inside unit labels ("责任 单位:").

The documents are small ones written for these tests, in the shapes real pages have.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.unitphrase import close_label_gaps
from gktrack.features.importer import import_file, parse_document
from gktrack.features.importer.text import strip_pinyin_glosses
from conftest import pairs

L, S, R = "lead", "support", "responsible"


# ---- pinyin glosses and bracketed ASCII words ----------------------------------------------------

def test_a_toned_syllable_after_a_hanzi_is_a_gloss():
    assert strip_pinyin_glosses("各鄉(xiāng)鎮(zhèn)政府、街道(dào)辦事處") == "各鄉鎮政府、街道辦事處"
    assert strip_pinyin_glosses("公開（kāi）") == "公開"
    # a page cut inside a gloss
    assert strip_pinyin_glosses("各縣(市、區(q") == "各縣(市、區"


def test_ascii_words_in_brackets_are_text():
    for text in ("发布标准电子文本(word和pdf版)。", "上传文件(PDF)", "政府和社会资本合作(PPP)项目",
                 "开发政务服务(app)", "人工智能(ai)应用", "空气质量指数(AQI)", "一个写成别名(aliases)"):
        assert strip_pinyin_glosses(text) == text


def test_a_simplified_plan_with_bracketed_words_imports_them_unchanged():
    plan = parse_document("\n".join([
        "临川市文化和旅游局2022年政务公开工作要点",
        "一、深化主动公开",
        "1.规范文件发布。发布文件标准电子文本(word和pdf版),同步公开解读材料。(责任单位:局办公室)",
        "2.建好政务新媒体。优化局政务服务(app)功能。(责任单位:局信息中心)",
    ]))
    assert [t.text for t in plan.tasks] == [
        "规范文件发布。发布文件标准电子文本(word和pdf版),同步公开解读材料。",
        "建好政务新媒体。优化局政务服务(app)功能。",
    ]
    assert not any("拼音" in message for _, message in plan.warnings)


def test_a_glossed_traditional_plan_still_loses_its_glosses():
    plan = parse_document("\n".join([
        "臨川市2020年政務公開(kāi)工作要點",
        "一、深化主動公開(kāi)",
        "1.推進基層政務公開(kāi)標準化。(責任單位:各鄉(xiāng)鎮(zhèn)政府)",
    ]))
    assert any("拼音" in message for _, message in plan.warnings)
    assert "(" not in plan.tasks[0].text
    assert [u.name for u in plan.tasks[0].units] == ["各乡镇政府"]


_HANZI = st.text(alphabet="政务公开工作要点发布文件标准电子文本版和及市县区局办", min_size=1, max_size=8)
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)


@st.composite
def bracketed_words(draw):
    """Simplified text with ASCII words in brackets, closed or closed further on ("(word和pdf版)")."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        parts.append(draw(_HANZI))
        opening, closing = draw(st.sampled_from([("(", ")"), ("（", "）")]))
        inside = draw(_WORD) + draw(st.one_of(st.just(""), _HANZI.map(lambda h: h + "pdf")))
        parts.append(opening + inside + closing)
    parts.append(draw(_HANZI))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(bracketed_words())
def test_bracketed_ascii_words_are_never_changed(text):
    assert strip_pinyin_glosses(text) == text


# ---- unit labels with PDF spaces -----------------------------------------------------------------

def test_spaces_inside_a_unit_label_are_closed_up():
    assert close_label_gaps("情况。(责任 单位: 市财政局)") == "情况。(责任单位: 市财政局)"
    assert close_label_gaps("牵 头 部 门 ：市财政局") == "牵头部门：市财政局"
    assert close_label_gaps("(牵头单位:X;配合 单位 :Y)") == "(牵头单位:X;配合单位:Y)"
    # no colon: a table header's spaced cell, or words, stay as written
    assert close_label_gaps("责 任 单 位") == "责 任 单 位"
    assert close_label_gaps("市财政局 市审计局") == "市财政局 市审计局"


PDF_TEXT = "\n".join([
    "临川市人民政府办公室关于印发2021年临川市政务公开工作要点的通知(临政办〔2021〕 26号)",
    "各县区人民政府,市政府各部门:",
    "现将《2021年临川市政务公开工作要点》印发给你们,请认 真贯彻落实。",
    "临川市人民政府办公室",
    "2021 年6 月 1 日",
    "2021年临川市政务公开工作要点",
    "一、着力加强重点领域信息公开",
    "(一) 做好政府工作报告落实情况公开.定期向社会公开重点工作进 展情况.(牵头 单位: 市政府办公室;配合 单位 : 市发展改革委、市财政局)",
    "(二) 做好财政信息公开.及时公开预决算信息.(责 任 单 位:市财政局、各县区政府)",
])


def test_spaced_labels_in_pdf_text_give_units_with_roles(tmp_path):
    path = tmp_path / "pdf-text.txt"
    path.write_text(PDF_TEXT, encoding="utf-8")
    for plan in (import_file(path), parse_document(PDF_TEXT)):
        assert [pairs(t) for t in plan.tasks] == [
            [("市政府办公室", L), ("市发展改革委", S), ("市财政局", S)],
            [("市财政局", R), ("各县区政府", R)],
        ]
        assert plan.tasks[1].text == "做好财政信息公开.及时公开预决算信息."
        assert plan.doc_number == "临政办〔2021〕26号"
        assert str(plan.issued) == "2021-06-01"
        assert not any("没有写责任单位" in message for _, message in plan.warnings)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([" ", "", "  ", "\u3000"]), min_size=4, max_size=4),
       st.sampled_from(["责任单位", "牵头单位", "配合部门", "责任科室"]))
def test_any_spacing_inside_a_label_reads_the_same(gaps, label):
    spaced = "".join(char + gap for char, gap in zip(label, gaps))
    plan = parse_document("\n".join([
        "临川市2021年政务公开工作要点",
        "一、深化主动公开",
        f"(一)做好政策公开。及时公开政策文件。({spaced}:市司法局、市财政局)",
    ]))
    role = {"牵头": L, "配合": S}.get(label[:2], R)
    assert [pairs(t) for t in plan.tasks] == [[("市司法局", role), ("市财政局", role)]]
