"""``python -m onrecord``: the command line."""

from onrecord.cli import cli

cli()
