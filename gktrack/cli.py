"""Placeholder entry point until the command layer lands (next commit)."""


def main() -> None:  # pragma: no cover
    raise SystemExit("gktrack: 命令层尚未完成")
