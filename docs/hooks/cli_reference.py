"""mkdocs hook: the command-line reference, rendered from govrules.cli.build_parser() at build
time, so it always lists the subcommands and options the installed CLI has."""

from __future__ import annotations

import argparse
from typing import Any

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"
WIDTH = 70  # fixed (never the terminal's), and narrow enough for the page's code blocks


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(prog=parser.prog, width=WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _argument(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest}`"
    if action.nargs == 0:
        return ", ".join(f"`{o}`" for o in action.option_strings)
    value = action.metavar or ("{" + ",".join(map(str, action.choices)) + "}" if action.choices else action.dest.upper())
    return ", ".join(f"`{o} {value}`" for o in action.option_strings)


def _notes(action: argparse.Action) -> str:
    notes = []
    if action.required and action.option_strings:
        notes.append("required")
    if isinstance(action, argparse._AppendAction):
        notes.append("repeatable")
    if action.nargs in ("+", "*"):
        notes.append("one or more" if action.nargs == "+" else "any number")
    if action.default not in (None, False, argparse.SUPPRESS) and action.nargs != 0:
        notes.append(f"default `{action.default}`")
    return ", ".join(notes)


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help or "" for c in sub._choices_actions}
    return [(name, helps.get(name, ""), p) for name, p in sub.choices.items()]


def cli_markdown(parser: argparse.ArgumentParser) -> str:
    commands = _subcommands(parser)
    out = [parser.description or "", "", "| subcommand | what it does |", "|---|---|"]
    out += [f"| [`{name}`](#{name}) | {_cell(help_)} |" for name, help_, _ in commands]
    out.append("")
    for name, help_, sub in commands:
        out += _section(f"{parser.prog} {name}", name, help_, sub, "##")
    return "\n".join(out)


def _section(command: str, anchor: str, help_: str, sub: argparse.ArgumentParser, level: str) -> list[str]:
    """One subcommand; a command group (e.g. `calendar`) gets a section per subcommand below it."""
    out = [f"{level} `{command}` {{#{anchor}}}", "", _cell(help_), "", "```text", _usage(sub), "```", ""]
    nested = any(isinstance(a, argparse._SubParsersAction) for a in sub._actions)
    rows = [a for a in sub._actions if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]
    if rows:
        out += ["| argument | meaning | notes |", "|---|---|---|"]
        out += [f"| {_argument(a)} | {_cell(a.help or '')} | {_notes(a)} |" for a in rows]
        out.append("")
    if nested:
        for name, inner_help, inner in _subcommands(sub):
            out += _section(f"{command} {name}", f"{anchor}-{name}", inner_help, inner, level + "#")
    return out


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} lost its {MARKER} line")
    from govrules.cli import build_parser

    return markdown.replace(MARKER, cli_markdown(build_parser()))
