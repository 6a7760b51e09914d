"""plans/ is exactly what `gktrack import` makes of the five seed documents."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
# (seed, --id or None when the importer derives it from the title)
BUNDLE = [
    ("000_708db31ce4ea3cc1.txt", None, "hl2022"),
    ("001_0533a1980def9b3a.txt", None, "qz2017"),
    ("002_195c26518827fa36.txt", None, "hy2021"),
    ("003_c32299c7a5ad9a3b.txt", None, "xj2024"),
    ("004_b3c56b7165159431.txt", "yh2023", "yh2023"),  # the title names no place
]


def _gk(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKTRACK_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.cn", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.cn", GIT_CONFIG_NOSYSTEM="1", HOME=str(repo.parent))
    return subprocess.run([sys.executable, "-m", "gktrack", *args], cwd=repo, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("bundle")
    repo = base / "repo"
    assert _gk(base, "init", str(repo)).returncode == 0
    for seed, plan_id, _expected in BUNDLE:
        args = ["import", str(SEEDS / seed)] + (["--id", plan_id] if plan_id else [])
        result = _gk(repo, *args)
        assert result.returncode == 0, result.stderr
    return repo


@pytest.mark.parametrize("seed,plan_id,expected", BUNDLE)
def test_bundled_plan_is_the_import_of_its_seed(imported, seed, plan_id, expected):
    made = (imported / "plans" / f"{expected}.yaml").read_bytes()
    bundled = (ROOT / "plans" / f"{expected}.yaml").read_bytes()
    assert made == bundled, f"plans/{expected}.yaml 与导入结果不一致:请重新导入种子文档"


def test_bundled_registry_is_the_import_registry(imported):
    assert (imported / "units.yaml").read_bytes() == (ROOT / "units.yaml").read_bytes()


def test_importing_a_seed_twice_is_refused(imported):
    result = _gk(imported, "import", str(SEEDS / BUNDLE[0][0]))
    assert result.returncode == 2
    assert "已导入为计划 hl2022" in result.stderr
    assert "Traceback" not in result.stderr
