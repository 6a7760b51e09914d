"""The unit phrase that closes an item, read out of the item's text (nothing here knows lines).

At the end of an item "(责任单位:X)", "(X负责)", labelled parts ("…。责任单位:X;完成时限:Y"), or a
last sentence that only says who does it ("…。X负责,Y配合。"); at its start "X、Y:负责…"; after its
title "加强组织领导(X负责)。各部门要…". A bracket may carry the item's deadline and a 牵头负责领导
(a note, never a unit); a unit bracket followed by more text ends one task inside a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gktrack.domain.model import UnitRef
from gktrack.domain.unitphrase import (
    UNIT_LABEL_KINDS, UNIT_LABEL_WORD, close_label_gaps, is_body_name, looks_like_unit_phrase,
    parse_unit_phrase_or_none,
)
from gktrack.domain.deadlines import is_known, time_phrase
from gktrack.domain.text import (
    BRACKET_FOLD, CLOSING_BRACKETS, OPENING_BRACKETS, last_bracket, outermost_brackets, outside_brackets,
    unbracketed,
)
from gktrack.features.importer.table import DEADLINE_LABEL_WORDS, deadline_cell
from gktrack.features.importer.text import STRIP, fold


UNIT_LABEL = re.compile(rf"^[{re.escape(OPENING_BRACKETS)}]?\s*{UNIT_LABEL_WORD}\s*:")
_ROLE_NEUTRAL_LABEL = re.compile(rf"^\s*责任(?:{UNIT_LABEL_KINDS})\s*:\s*")
ROLE_END = re.compile(r"(?:牵头(?:负责)?|配合(?:落实)?|负责|落实|协助)$")
# A person ("牵头负责领导": a note, never a unit), on a line of its own or among an item's labelled parts
PERSON_WORDS = r"(?:牵头|分管|联系|责任)?(?:负责)?(?:领导|责任人|联系人)"


# "责任单位 县财政局", "完成时限\t6月底前": a form's label and value cells copied as text, or a colon
# lost. A label only where certain: a label word opening a line, a bracket or a sentence, then units
# or a deadline up to ";", "。" or the bracket's end ("责任单位 要加强…" stays a sentence).
_SPACED_OFF_LABEL = re.compile(rf"(?P<label>{UNIT_LABEL_WORD}|{DEADLINE_LABEL_WORDS})[ \t\u3000]+(?=\S)")
_VALUE_END = re.compile(rf"[;；。\n{re.escape(CLOSING_BRACKETS)}]|$")


def colon_after_label(text: str) -> str:
    """"责任单位 县财政局" -> "责任单位：县财政局", "(完成时限　6月底前)" -> "(完成时限：6月底前)"."""
    out, start = [], 0
    for match in _SPACED_OFF_LABEL.finditer(text):
        before = text[:match.start()].rstrip(" \u3000")
        # a label opens a line, a bracket or a sentence ("…信息。责任单位 县财政局")
        if not (before == "" or before[-1] in "\n。;；" + OPENING_BRACKETS):
            continue
        stop = _VALUE_END.search(text, match.end()).start()
        value = text[match.end():stop].strip(STRIP)
        units = re.fullmatch(UNIT_LABEL_WORD, match.group("label"))
        if looks_like_unit_phrase(value) if units else deadline_cell(value):
            out += [text[start:match.end("label")], "："]
            start = match.end()
    return "".join(out) + text[start:]


def mended_labels(text: str) -> str:
    """``text`` with its unit labels as the patterns expect them: the spaces PDF text puts inside
    closed up (``close_label_gaps``), a lost colon given back (``colon_after_label``). What every
    line and cell goes through as it is read, and again once 繁体 reads as 简体."""
    return colon_after_label(close_label_gaps(text))


@dataclass
class Tail:
    """The unit phrase that ends an item, and what is left of the item."""
    text: str
    units_text: str
    units: list[UnitRef]
    deadlines: list[str]


# "(责任单位:X)(2018年9月底前完成)": a bracket holding only a deadline, after the unit bracket —
# the item's 完成时限 written apart, never an item of its own.
_DEADLINE_BRACKET = re.compile(r"\(([^()]{2,30})\)[。.;]?$")


def _deadline_bracket(norm: str) -> str | None:
    """The deadline phrase when ``norm`` (folded, brackets folded) is just "(2018年底前完成)"."""
    match = _DEADLINE_BRACKET.fullmatch(norm.strip(" "))
    return match.group(1).strip() if match and deadline_cell(match.group(1).strip()) else None


def trailing_units(seg_raw: str) -> Tail | None:
    """"…公开。(责任单位:市统计局)" -> text "…公开。", units 市统计局; None when it has none."""
    raw = seg_raw.rstrip(STRIP)
    norm = fold(raw).translate(BRACKET_FOLD)
    cut = norm.rstrip("。.;,、 ")
    opened = cut.rfind("(")
    if opened > 0 and cut.endswith(")") and norm[:opened].rstrip(" ").endswith(")") \
            and _deadline_bracket(cut[opened:]) is not None and (tail := trailing_units(raw[:opened])):
        tail.deadlines = tail.deadlines + [raw[opened + 1:len(cut) - 1].strip(STRIP)]
        return tail
    trimmed = len(cut)
    # "…。责任人:李明;责任单位:党政办" without brackets: labelled parts after the last full stop
    labelled = _TAIL_LABELLED.search(norm[:trimmed])
    # the bracket closing the text, not one in "责任单位:X、各村(社区)" (part of a labelled name)
    opened = last_bracket(cut)
    if opened is not None and not (labelled and opened > labelled.start("phrase")) \
            and (found := unit_phrase(raw[opened + 1:trimmed - 1], bracketed=True)):
        return _tail(raw[:opened], found)
    if labelled and (found := unit_phrase(raw[labelled.start("phrase"):trimmed], bracketed=False)):
        return _tail(raw[:labelled.start("phrase")], found)
    # "…建设。市政府办公室负责,市大数据局配合。": a last sentence that only says who does it — or
    # who and by when, a table row's cells run together ("…更新。办公室、法规科常态化开展")
    stop = norm.rfind("。", 0, trimmed)
    phrase = raw[stop + 1:trimmed].strip(STRIP) if stop > 0 else ""
    if not 0 < len(phrase) <= 80:
        return None
    due = []
    if not ROLE_END.search(norm[:trimmed]):
        # who and by when: only a clean list of units before the deadline ("此项工作持续推进" is none)
        at = 0 if _OWN_ACT.search(phrase) else next(
            (at for at in range(1, len(phrase)) if is_known(phrase[at:])), 0)
        if not looks_like_unit_phrase(phrase[:at].rstrip(STRIP + _MARKS)):
            return None
        phrase, due = phrase[:at].rstrip(STRIP + _MARKS), [phrase[at:].strip(STRIP + _MARKS)]
    found = unit_phrase(phrase, bracketed=True)
    if found and found[1] and all(is_body_name(unit.name) and not _MODAL.search(unit.name) for unit in found[1]):
        return _tail(raw[:stop + 1], (found[0], found[1], found[2] + due, found[3]))
    return None


_MARKS = "、,;,;"
# "办公室每季度通报一次", "各科室及时更新": a time with the act itself is the sentence's own action,
# not a 完成时限 cell; a cell says only when ("常态化开展", "年底前完成").
_OWN_ACT = re.compile(r"(?:更新|公开|发布|通报|报送|调度|统计|召开|听取|报告)(?:一次|1次)?$")


# "各部门要密切配合", "各单位要抓好落实": a sentence asking units to act, not one naming who does it.
_MODAL = re.compile(r"要|应(?!急)|须|按照|抓好|密切|认真|切实|积极|进一步|加强")


def title_units(text: str) -> Tail | None:
    """"加强组织领导(县政府办负责)。各部门要…": an item whose only unit bracket closes its first
    sentence (its title), with more text after it, belongs to those units; the bracket is taken out."""
    norm = fold(text).translate(BRACKET_FOLD)
    found = []
    for opened, index in outermost_brackets(norm):
        if norm[index + 1:index + 2] in ("。", ";") and norm[index + 2:].strip(" 。;") \
                and (phrase := unit_phrase(text[opened + 1:index], bracketed=True)):
            found.append((opened, index, phrase))
    if len(found) != 1:
        return None
    opened, closed, phrase = found[0]
    tail = _tail(text[:opened], phrase)
    tail.text = (tail.text + text[closed + 1:]).strip(STRIP)
    return tail


def leading_units(text: str) -> tuple[str, list[UnitRef], str] | None:
    """"区发改局、区统计局:负责公开…": an item that opens with its units and a colon -> (the units as
    written, units, the rest); None for a label ("工作目标:"), a 责任单位: line or a sentence."""
    norm = fold(text)
    match = re.match(r"([^:。;!?“”《》]{2,60}?)\s*:\s*(?=\S)", norm)
    if not match or UNIT_LABEL.match(norm) or _PART_LABEL.match(norm):
        return None
    phrase = text[:match.end(1)].strip(STRIP)
    if not looks_like_unit_phrase(phrase):
        return None
    units = parse_unit_phrase_or_none(phrase)
    if units is None or not all(is_body_name(unit.name) for unit in units):  # "政务服务平台:…" is a topic
        return None
    return phrase, units, text[match.end():].strip(STRIP)


def _tail(before: str, found) -> Tail:
    shown, units, deadlines, notes = found
    text = before.rstrip(STRIP) + "".join("\n" + note for note in notes)
    return Tail(text, shown, units, deadlines)


def split_at_unit_brackets(text: str) -> list[str]:
    """"A。(市规划国土委负责落实)B。(市交通委负责落实)C…" -> one task each: a unit bracket after a full
    stop, followed by more text, ends a task; so does one before "。" or ";" when the text after it
    closes with a unit bracket too (a title's own, "加强组织领导(X负责)。各部门要…", does not)."""
    norm = fold(text).translate(BRACKET_FOLD)
    pieces, start = [], 0
    for opened, index in outermost_brackets(norm):
        at_break = opened > start and (norm[opened - 1] in "。;" or (
            norm[index + 1:index + 2] in ("。", ";") and trailing_units(text[index + 2:]) is not None))
        if at_break and norm[index + 1:].strip(" 。;") and _deadline_bracket(norm[index + 1:]) is None \
                and unit_phrase(text[opened + 1:index], bracketed=True):
            end = len(norm) - len(norm[index + 1:].lstrip(" 。;"))
            pieces.append(text[start:end].strip(STRIP))
            start = end
    pieces.append(text[start:].strip(STRIP))
    return [piece for piece in pieces if piece] or [text]


_PART_WORDS = rf"{DEADLINE_LABEL_WORDS}|{PERSON_WORDS}|{UNIT_LABEL_WORD}"
_PART_LABEL = re.compile(rf"(?:^|(?<=[;,\s。]))\s*(?P<label>{_PART_WORDS})\s*:")
# after the first label the next ones may follow a name directly ("牵头单位:X配合单位:Y"): the space
# between them lost where a PDF's line broke at it
_NEXT_LABEL = re.compile(rf"(?P<label>{_PART_WORDS})\s*:")
# A run of labelled parts closing an item, after its last full stop (used when it names units).
# "…公开。责任单位:X。完成时限:Y。": the labelled parts may be sentences of their own
_TAIL_LABELLED = re.compile(rf"(?:^|[。;])\s*(?P<phrase>(?:{_PART_WORDS})\s*:[^。]+(?:。\s*(?:{_PART_WORDS})\s*:[^。]+)*)$")
_TIME_LABEL = re.compile(r"时限|时间|期限|进度")
_PERSON_LABEL = re.compile(r"领导|责任人|联系人")


def labelled_parts(text: str) -> tuple[str, list[str], list[str]] | None:
    """"责任时限:6月底前,牵头单位:X,配合单位:Y" -> ("牵头单位:X;配合单位:Y", ["6月底前"], []);
    a person ("牵头负责领导:张三") is a note, never a unit. None when the text is not so labelled."""
    norm = fold(text)
    first = _PART_LABEL.search(norm)
    found = [first] + list(_NEXT_LABEL.finditer(norm, first.end())) if first else []
    time_or_person = _TIME_LABEL.pattern + "|" + _PERSON_LABEL.pattern
    units, deadlines, notes = [], [], []
    if found and found[0].start() != 0 \
            and all(re.search(time_or_person, match.group("label")) for match in found):
        # "X负责;完成时限:每月": the units unlabelled, only what follows them labelled
        units.append(text[:found[0].start()].strip(STRIP + ";,;,。"))
    elif not found or found[0].start() != 0 or (len(found) == 1 and not re.search(
            time_or_person, found[0].group("label"))):
        return None
    for index, match in enumerate(found):
        end = len(text)
        if index + 1 < len(found):  # up to the next label, without the separator before it
            end = found[index + 1].start() - bool(re.match(r"[;,\s。]", norm[found[index + 1].start() - 1]))
        label, value = match.group("label"), text[match.end():end].strip(STRIP + ";,;,。")
        if not value:
            continue
        if _PERSON_LABEL.search(label):
            notes.append(f"{label}:{value}")
        elif _TIME_LABEL.search(label):
            deadlines.append(value)
        else:
            units.append(text[match.start():end].strip(STRIP + ";,;,。"))
    return ";".join(units), deadlines, notes


_QUALIFIER = re.compile(r"^(?:包括|不含|不包括|除|含(?=[各乡镇村县市区街社省州]))")
# What a unit list tells the reader about itself or the lists below it, not a unit: "以下责任单位均
# 包含各区县政府", a sentence after the list ending "下同" ("逗号前为牵头单位,…,下同")
_READER_NOTE = re.compile(r"^(?:以下|下列|上述)|下同$")


def _reader_notes(text: str) -> tuple[str, list[str]]:
    """A unit list without its notes to the reader: a sentence after it and its clauses (between
    commas outside brackets) that are such notes. A note inside a name's brackets ("各区县政府
    (含新区,下同)") belongs to the name."""
    first, stop, rest = text.partition("。")
    after = rest.strip(STRIP + "。")
    sentence = [after] if stop and _READER_NOTE.search(after) else []
    if sentence:
        text = first
    norm = fold(text)
    cuts = [-1] + [index for index in outside_brackets(norm) if norm[index] == ","]
    # each clause with the comma before it, as written
    clauses = [text[max(begin, 0):end] for begin, end in zip(cuts, cuts[1:] + [len(text)])]
    notes = [c[1:].strip(STRIP) for c in clauses[1:] if _READER_NOTE.search(c[1:].strip(STRIP))]
    kept = clauses[:1] + [c for c in clauses[1:] if not _READER_NOTE.search(c[1:].strip(STRIP))]
    return "".join(kept), notes + sentence


def unit_phrase(text: str, *, bracketed: bool) -> tuple[str, list[UnitRef], list[str], list[str]] | None:
    """A unit phrase ending an item: (as written without a 责任单位: label, units, deadlines, notes).

    "(牵头单位:县发改局;配合单位:县财政局;2023年6月底前完成)" also carries the item's deadline;
    "(责任时限:…,牵头单位:…)" labels it; a 牵头负责领导 named in it is a note.
    """
    deadlines: list[str] = []
    text, notes = _reader_notes(text)
    written = text
    sentences = [part for part in text.split("。") if part.strip(STRIP)]
    if bracketed and len(sentences) > 1 and all(unit_phrase(part, bracketed=True) for part in sentences):
        # "(X牵头,Y按职责分工负责。Z均为责任单位)": each sentence names units
        text = ";".join(sentences)
    if (labelled := labelled_parts(text)) is not None:
        text, deadlines, person_notes = labelled
        notes += person_notes
    norm = fold(text)
    # deadline parts at the end, after ; or , — a date the parser does not read ("2019年8月前完成")
    # too, as in a table's time column: kept as written, and said when the task is built
    while True:
        cut = max(norm.rfind(mark) for mark in ";,")
        if cut <= 0 or not time_phrase(text[cut + 1:].strip(STRIP)):
            break
        deadlines.insert(0, text[cut + 1:].strip(STRIP))
        text, norm = text[:cut], norm[:cut]
    leading = 0
    while True:  # and at the start: "(2024年6月底前,县司法局负责)"
        cut = min((i for i in (norm.find(";"), norm.find(",")) if i > 0), default=-1)
        if cut <= 0 or not time_phrase(text[:cut].strip(STRIP)):
            break
        deadlines.insert(leading, text[:cut].strip(STRIP))
        leading += 1
        text, norm = text[cut + 1:], norm[cut + 1:]
    norm = norm.strip()
    if _QUALIFIER.match(norm):  # "(含乡镇)", "(包括各村)": what a word covers, not who does it
        return None
    if not (UNIT_LABEL.match(norm)
            or bracketed and (ROLE_END.search(norm) or looks_like_unit_phrase(norm))):
        # unlabelled brackets must read "(…按职责分工负责)", "(办公室牵头)", or a plain list of units
        return None
    units = parse_unit_phrase_or_none(text)
    if units is None or any(len(u.name) > 30 or re.search(r"\d", u.name) for u in units):
        return None
    if len(sentences) > 1 and text == ";".join(sentences):
        text = written  # shown as written, with its full stops
    return _unlabelled(text), units, deadlines, notes


def _unlabelled(text: str) -> str:
    """A unit phrase without a role-neutral 责任单位: label."""
    text = text.strip(STRIP)
    label = _ROLE_NEUTRAL_LABEL.match(fold(text))
    return text[label.end():].strip(STRIP) if label else text


def shown_units(raw: str) -> str:
    """A unit line as written, without enclosing brackets or a role-neutral 责任单位: label."""
    return _unlabelled(unbracketed(raw, STRIP))
