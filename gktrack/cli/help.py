"""Typer's help and usage words in Chinese: the command and group classes every command uses."""

from typing import Any

import typer
import typer.core
from typer.core import TyperArgument as _Argument

# Typer/click print their own help words; gktrack's users read Chinese.
_ZH = {
    "Commands": "命令",
    "Options": "选项",
    "Arguments": "参数",
    "required": "必填",
    "default: {default}": "默认:{default}",
    "Show this message and exit.": "显示本帮助并退出",
}


def _zh(message: str) -> str:
    return _ZH.get(message, message)


typer.core._ = _zh  # typer's gettext hook for "Commands", "default: …", "required"


class _ChineseHelp:
    """Mixed into Typer's command and group classes: Chinese usage line and help option."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs["options_metavar"] = "[选项]"
        super().__init__(*args, **kwargs)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法: ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _zh("Show this message and exit.")
        return option

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            (arguments if isinstance(param, _Argument) else options).append(record)
        for title, records in (("参数", arguments), ("选项", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)
        if isinstance(self, typer.core.TyperGroup):
            self.format_commands(ctx, formatter)


class ZhCommand(_ChineseHelp, typer.core.TyperCommand):
    """A command whose help is in Chinese."""


class ZhGroup(_ChineseHelp, typer.core.TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs["subcommand_metavar"] = "命令 [参数]..."
        super().__init__(*args, **kwargs)
