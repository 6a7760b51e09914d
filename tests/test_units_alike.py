"""validate's "名称相近,可能是同一个单位": one unit written two ways is flagged; two bodies whose names
share only their place and a common ending (市金融监管局 / 市市场监管局) are not."""

from __future__ import annotations

import pytest

from gktrack.domain.model import Registry, Unit
from gktrack.domain.units import likely_same

pytestmark = pytest.mark.usefixtures("gk_env")


def alike(*names: str) -> list[tuple[str, str]]:
    return likely_same(Registry(units=[Unit(name) for name in names]))


@pytest.mark.parametrize("first, second", [
    ("区资源规划分局", "区自然资源分局"),       # the same subject, words in another order
    ("市自然资源局", "市自然资源规划局"),       # one name adds a word to the other
    ("市市场监管局", "市市场监督管理局"),       # a short form
    ("县农业局", "县农业农村局"),
])
def test_one_unit_written_two_ways_is_flagged(first, second):
    assert alike(first, second) == [(first, second)]


@pytest.mark.parametrize("first, second", [
    ("市金融监管局", "市市场监管局"),           # only the common ending 监管局 is shared
    ("市数据资源局", "市自然资源局"),           # only 资源 at the end is shared
    ("县教育局", "县体育局"),
    ("市城管执法局", "市城市管理局"),
    ("市司法局", "市公安局"),
])
def test_different_bodies_are_not_flagged(first, second):
    assert alike(first, second) == []


def test_a_registry_of_bureaus_names_only_the_real_pair():
    names = ["市金融监管局", "市市场监管局", "市市场监督管理局", "市药品监管局", "市人社局", "市数据资源局",
             "市自然资源局"]
    assert alike(*names) == [("市市场监管局", "市市场监督管理局")]


def test_validate_warns_only_about_the_real_pair(gk):
    gk.ok("init")
    gk.write("units.yaml", "schema: 1\nunits:\n  - name: 市金融监管局\n  - name: 市市场监管局\n"
                           "  - name: 区资源规划分局\n  - name: 区自然资源分局\n")
    out = gk.ok("validate")
    assert "“区自然资源分局”与“区资源规划分局”名称相近" in out
    assert "金融监管局" not in out
