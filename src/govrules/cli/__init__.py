"""The govrules command line, as in shared/design/interchange.md: ``govrules`` (the console
script), ``python -m govrules.cli``, or ``main(argv)`` from Python.

One module per command or group of commands: ``parser`` (every command's options, and main),
``evaluate``, ``ledger`` (evaluate on a .csv/.xlsx/.parquet ledger, pandas imported only then),
``accountability``, ``deadline``, ``packs`` (packs, validate, new-pack, pack-schema) and
``calendar``; ``cases`` is what the commands that evaluate share, ``reply`` their exit codes and
notices. The options shared with ``govrules watch`` live below both, in govrules.run_options.
"""

from govrules.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
