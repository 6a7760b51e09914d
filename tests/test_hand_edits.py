"""Plan files and units.yaml edited by hand, as a clerk types in Notepad, WPS or the UOS editor.

Each slip gets one Chinese line at the place of the slip (file:line:column) saying what to write
instead; `commit-edits` refuses it and changes nothing. Real repositories, the real CLI.
"""

from __future__ import annotations

import pytest

PLAN = "plans/hl2022.yaml"


def hand_edit(gk, rel: str, old: str, new: str) -> None:
    text = gk.text(rel)
    assert old in text, old
    gk.write(rel, text.replace(old, new, 1))


def refused(gk, rel: str) -> str:
    """The one error `validate` reports for ``rel`` (``file:line:column: 错误:…``); `commit-edits`
    must refuse the file with the same words and change nothing."""
    result = gk("validate", rel)
    assert result.code == 1, result.out + result.err
    errors = [line for line in result.out.splitlines() if ": 错误:" in line]
    assert len(errors) == 1, result.out
    line = gk.fail("commit-edits", rel, "-m", "手工修改")
    where, _, message = errors[0].partition(": 错误:")
    assert where in line and message in line, (errors[0], line)
    return errors[0]


# --- typing slips in the YAML itself -------------------------------------------------------


@pytest.mark.parametrize("typed,column", [
    ("    deadline：6月底前\n", 13),          # full-width colon after the key
    ("    deadline ：6月底前\n", 14),
    ("    deadline:6月底前\n", 13),           # no space after the colon
])
def test_a_key_typed_with_the_wrong_colon_is_named_on_its_own_line(plans_repo, typed, column):
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n", typed)
    line = refused(plans_repo, PLAN)
    assert line.startswith(f"{PLAN}:25:{column}: 错误:"), line
    assert "“deadline: ”" in line and "半角" in line, line


def test_a_colon_slip_on_the_last_line_of_a_task_is_named_there(plans_repo):
    hand_edit(plans_repo, PLAN, "    responsible: [各有关单位]\n    state: open\n",
              "    responsible: [各有关单位]\n    state：open\n")
    line = refused(plans_repo, PLAN)
    assert line.startswith(f"{PLAN}:33:10: 错误:") and "“state: ”" in line, line


def test_an_indent_of_full_width_spaces_is_named_on_its_own_line(plans_repo):
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n", "　　deadline: 6月底前\n")
    line = refused(plans_repo, PLAN)
    assert line.startswith(f"{PLAN}:25:1: 错误:") and "全角空格" in line and "半角空格" in line, line


def test_a_colon_inside_a_text_is_no_slip(plans_repo):
    hand_edit(plans_repo, PLAN, "    text: 镇内部的公开工作\n", "    text: 镇内部的公开工作：按季度\n")
    plans_repo.ok("validate", PLAN)
    plans_repo.ok("commit-edits", PLAN, "-m", "手工修改")


# --- values written as people write them ---------------------------------------------------


@pytest.mark.parametrize("typed,fix", [("已完成", "“已完成”请写成 done"), ("未完成", "“未完成”请写成 open"),
                                       ("办结", "(open 即未完成,done 即已完成)")])
def test_a_state_in_chinese_is_refused_with_the_word_to_write(plans_repo, typed, fix):
    # one spelling in the file (the editors' schema, the hook, other tools read "done"): no second one
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n    state: open\n",
              f"    deadline: 6月底前\n    state: {typed}\n    closed: 2024-06-30\n")
    line = refused(plans_repo, PLAN)
    assert line.startswith(f"{PLAN}:26:12: 错误:") and fix in line, line


@pytest.mark.parametrize("typed", ["2024.6.30", "2024年6月30日", "2024/6/30", "2024-6-30", "20240630"])
@pytest.mark.parametrize("where", ["closed", "progress"])
def test_a_date_written_the_chinese_way_is_refused_with_the_date_to_write(plans_repo, typed, where):
    if where == "closed":
        new, place = f"    state: done\n    closed: {typed}\n", f"{PLAN}:27:13"
    else:
        new, place = f"    state: open\n    progress:\n      - date: {typed}\n        note: 已发布\n", f"{PLAN}:28:15"
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n    state: open\n", f"    deadline: 6月底前\n{new}")
    line = refused(plans_repo, PLAN)
    assert line.startswith(place + ": 错误:") and "请写成 2024-06-30" in line, line


@pytest.mark.parametrize("typed,column", [
    ("司法所、党政综合办", 18),            # one text, as the document writes it
    ("[司法所，党政综合办]", 19),          # a full-width comma inside the list
    ("[司法所、党政综合办]", 19),
    ("司法所,党政综合办", 18),
])
def test_several_units_typed_as_one_are_told_how_to_list_them(plans_repo, typed, column):
    hand_edit(plans_repo, PLAN, "    responsible: [司法所]\n", f"    responsible: {typed}\n")
    line = refused(plans_repo, PLAN)
    assert line.startswith(f"{PLAN}:24:{column}: 错误:"), line
    assert "[司法所, 党政综合办]" in line and "半角逗号" in line and "是否指" not in line, line


@pytest.mark.parametrize("typed", ["“司法所”", "[“司法所”]", "「司法所」"])
def test_a_unit_in_chinese_quotes_is_told_to_drop_them(plans_repo, typed):
    hand_edit(plans_repo, PLAN, "    responsible: [司法所]\n", f"    responsible: {typed}\n")
    line = refused(plans_repo, PLAN)
    assert "不加引号" in line and "写成 司法所" in line, line


# --- blocks copied and half edited ------------------------------------------------------------


def test_a_copied_task_keeping_its_id_is_told_a_free_id(plans_repo):
    text = plans_repo.text(PLAN)
    plans_repo.write(PLAN, text + "\n  - id: 1\n    text: 新增的一项任务\n    responsible: [司法所]\n    state: open\n")
    line = refused(plans_repo, PLAN)
    copied = text.count("\n") + 2
    assert line.startswith(f"{PLAN}:{copied}:9: 错误:任务编号 1 重复(另见第 20 行)"), line
    assert "改用未用过的编号,如 7" in line, line


def test_a_copied_progress_entry_without_its_dash_is_told_to_add_it(plans_repo):
    entry = "      - date: 2024-06-01\n        note: 已发布\n"
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n    state: open\n",
              f"    deadline: 6月底前\n    state: open\n    progress:\n{entry}        date: 2024-06-20\n        note: 又发布\n")
    result = plans_repo("validate", PLAN)
    first = result.out.splitlines()[0]
    assert first.startswith(f"{PLAN}:30:9: 错误:") and "“date”" in first and "第 28 行" in first, result.out
    assert "请在它的第一行前加“- ”" in first, first


# --- units.yaml ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed,fix", [
    ("'zhang@example.gov.cn '", "空格"),      # a space kept by the quotes
    ("zhang@example.gov.cn\u3000", "空格"),   # a full-width space: YAML keeps it
    ("zhang＠example.gov.cn", "半角“@”"),
])
def test_a_person_email_that_no_commit_can_carry_is_refused(plans_repo, typed, fix):
    people = ("people:\n  - email: tester@example.cn\n    role: office\n"
              f"  - email: {typed}\n    name: 张三\n    units: [司法所]\n")
    hand_edit(plans_repo, "units.yaml", "people: []\n", people)
    line = refused(plans_repo, "units.yaml")
    assert line.startswith("units.yaml:18:12: 错误:") and fix in line, line


# --- how Notepad saves -------------------------------------------------------------------------


def test_notepad_utf8_with_bom_crlf_and_no_last_newline_is_committed_as_lf(plans_repo):
    text = plans_repo.text(PLAN).replace("    text: 镇内部的公开工作\n", "    text: 镇内部的公开工作(记事本改)\n")
    plans_repo.write(PLAN, "\ufeff".encode() + text.rstrip("\n").replace("\n", "\r\n").encode())
    plans_repo.ok("validate", PLAN)
    plans_repo.ok("commit-edits", PLAN, "-m", "手工修改")
    assert plans_repo.git("show", f"HEAD:{PLAN}").encode().count(b"\r") == 0
    plans_repo.ok("progress", "hl2022/6", "已记录")
    assert plans_repo.status() == ""


def test_notepad_ansi_is_refused_with_how_to_save_it_again(plans_repo):
    text = plans_repo.text(PLAN).replace("    text: 镇内部的公开工作\n", "    text: 镇内部的公开工作(记事本改)\n")
    plans_repo.write(PLAN, text.encode("gbk"))
    line = refused(plans_repo, PLAN)
    assert line.startswith(f"{PLAN}:1:11: 错误:") and "“ANSI”" in line and "另存为" in line and "编码选 UTF-8" in line, line


# --- accepted, but not what was meant: validate warns, commit-edits says so -------------------


def warnings_of(gk, rel: str) -> list[str]:
    result = gk("validate", rel)
    assert result.code == 0, result.out + result.err
    return [line for line in result.out.splitlines() if ": 警告:" in line]


def test_a_comment_without_a_space_before_its_hash_is_pointed_out(plans_repo):
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n", "    deadline: 6月底前#领导说的\n")
    found = warnings_of(plans_repo, PLAN)
    assert len(found) == 1 and found[0].startswith(f"{PLAN}:25:15:") and "“#”前空一格" in found[0], found


def test_two_aliases_typed_as_one_are_pointed_out(plans_repo):
    hand_edit(plans_repo, "units.yaml", "  - name: 横东村\n", "  - name: 横东村\n  - name: 区数据局\n    aliases: [数据局、大数据局]\n")
    found = warnings_of(plans_repo, "units.yaml")
    assert len(found) == 1 and found[0].startswith("units.yaml:11:15:") and "[数据局, 大数据局]" in found[0], found


def test_a_name_with_a_list_inside_brackets_is_one_name(plans_repo):
    hand_edit(plans_repo, "units.yaml", "  - name: 横东村\n", "  - name: 横东村\n  - name: 区数据局\n    aliases: [县(市、区)数据局]\n")
    assert warnings_of(plans_repo, "units.yaml") == []


@pytest.mark.parametrize("typed", ["    state: done#已完成\n", "    state: done\n    closed: 2024-06-30#那天\n"])
def test_a_comment_without_a_space_in_a_state_or_date_is_explained(plans_repo, typed):
    hand_edit(plans_repo, PLAN, "    state: open\n", typed)
    line = refused(plans_repo, PLAN)
    assert "“#”前空一格才是注释" in line, line


def test_commit_edits_says_the_warnings_a_hand_edit_brings(plans_repo):
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n", "    deadline: 6月底前#领导说的\n")
    result = plans_repo("commit-edits", PLAN, "-m", "手工修改")
    assert result.code == 0, result.err
    notes = [line for line in result.err.splitlines() if line.startswith("gktrack: 提示:")]
    assert len(notes) == 1 and f"{PLAN}:25:15:" in notes[0] and "“#”前空一格" in notes[0], result.err
    assert plans_repo.status() == ""


def test_commit_edits_does_not_repeat_warnings_the_file_had(plans_repo):
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n", "    deadline: 等上级通知\n")
    assert "无法识别" in plans_repo("commit-edits", PLAN, "-m", "手工修改").err
    hand_edit(plans_repo, PLAN, "    text: 镇内部的公开工作\n", "    text: 镇内部的公开工作(改)\n")
    result = plans_repo("commit-edits", PLAN, "-m", "手工修改")
    assert result.code == 0 and "提示" not in result.err, result.err


def test_a_progress_entry_typed_as_one_line_is_told_its_keys(plans_repo):
    hand_edit(plans_repo, PLAN, "    deadline: 6月底前\n    state: open\n",
              "    deadline: 6月底前\n    state: open\n    progress:\n      - 2024-06-20 已发布3件\n")
    line = refused(plans_repo, PLAN)
    assert line.startswith(f"{PLAN}:28:9: 错误:") and "可用的键:date、unit、by、note" in line and "映射" not in line, line


@pytest.mark.parametrize("typed,column", [("- name: 党政综合办\n", 1), ("   - name: 党政综合办\n", 4),
                                          (" - name: 党政综合办\n", 2)])
def test_a_list_item_a_space_off_says_where_its_dash_belongs(plans_repo, typed, column):
    # an item typed or pasted a space off the one above: libyaml's "did not find expected key"
    # becomes the column its "- " should stand in
    hand_edit(plans_repo, "units.yaml", "  - name: 党政综合办\n", typed)
    line = refused(plans_repo, "units.yaml")
    assert line.startswith(f"units.yaml:5:{column}: 错误:"), line
    assert "没有与上一项(第 4 行)对齐:应写在第 3 列,即前面空 2 格" in line, line


def test_a_task_a_space_off_is_aligned_with_the_tasks_not_with_its_progress(plans_repo):
    text = plans_repo.text(PLAN)
    block = text.index("\n  - id: 2\n")
    plans_repo.write(PLAN, text[:block] + "\n - id: 2\n" + text[block + len("\n  - id: 2\n"):])
    line = refused(plans_repo, PLAN)
    assert "没有与上一项" in line and "应写在第 3 列,即前面空 2 格" in line, line
