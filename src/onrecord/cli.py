"""The ``onrecord`` command line. Adapters only: every command calls the core."""

from __future__ import annotations

import importlib

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="onrecord")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """onrecord: who said what, to whom, when, and how reliably."""
    from onrecord import _pipeline

    if ctx.invoked_subcommand in LONG_RUNNING:
        # a server: the model frozen out of collection, malloc left as it is
        _pipeline.FREEZE_AFTER_LOAD = True
    else:
        _pipeline.one_job()  # a command runs one job: see _pipeline


LONG_RUNNING = frozenset({"serve"})
"""Commands that serve requests until stopped: malloc keeps its defaults there,
which hand freed memory back to the system."""


# Commands live in their adapter modules and register here, so that each adapter
# stays independent and a missing optional extra only breaks its own command.
_COMMAND_MODULES = (
    "onrecord._cli_extract",
    "onrecord._cli_bank",
    "onrecord._cli_verify",
    "onrecord.serve._cli",
)


def _register() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # adapter not built in this install
            if exc.name == name:
                continue
            raise
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


_register()
