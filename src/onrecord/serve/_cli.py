"""``onrecord serve``: the HTTP API and web page over a quote bank.

This module imports no FastAPI at import time, so ``onrecord --help`` works
without the serve extra; the command itself fails with an install hint.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sys

import click

from onrecord.errors import OnrecordError

log = logging.getLogger("onrecord.serve")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option(
    "--db",
    default="onrecord.db",
    show_default=True,
    envvar="ONRECORD_DB",
    help="Quote bank: a SQLite file or a postgresql:// URL.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. Loopback by default; anything else exposes the bank.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--demo",
    is_flag=True,
    help="Fill the bank with the fictional demo articles first, if it has no articles.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Refuse POST /api/extract?store=true.",
)
@click.option(
    "--max-body",
    default=2 * 1024 * 1024,
    show_default=True,
    type=click.IntRange(1, None),
    help="Largest request body in bytes (larger: 413).",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allow API calls from this origin (repeatable). No CORS by default.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (SQLite banks are opened read-mostly by each).",
)
@click.option(
    "--threads",
    default=32,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Bank queries run at once per process.",
)
@click.option(
    "--processes",
    default=0,
    show_default=True,
    type=click.IntRange(0, 64),
    help="Worker processes for bank reads (0: read in the threads).",
)
@click.option(
    "--cache",
    "cache_entries",
    default=4096,
    show_default=True,
    type=click.IntRange(0, None),
    help="API answers kept in memory until the bank changes (0: no cache).",
)
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    db: str,
    host: str,
    port: int,
    demo: bool,
    read_only: bool,
    max_body: int,
    cors_origins: tuple[str, ...],
    workers: int,
    threads: int,
    processes: int,
    cache_entries: int,
    log_level: str,
) -> None:
    """Serve the HTTP API (/api, docs at /docs) and web page over a quote bank.

    Pages: / (search), /article/ID, /speaker/ID, /flags.
    """
    try:
        from onrecord.serve import require_extra

        require_extra()
        import uvicorn

        from onrecord.serve.settings import LOOPBACK_HOSTS, ServeSettings

        if demo:
            from onrecord.serve._demo import build_demo_bank

            added = build_demo_bank(db, only_if_empty=True)
            if added:
                click.echo(f"demo: added {added} fictional articles to {db}", err=True)
        elif not _is_url(db) and not os.path.exists(db):
            raise click.UsageError(
                f"no quote bank at {db!r}: fill one with "
                f"`onrecord ingest --db {db} ...` or start with --demo"
            )
        settings = ServeSettings(
            db=db,
            max_body_bytes=max_body,
            cors_origins=cors_origins,
            allow_store=not read_only,
            threads=threads,
            processes=processes,
            allowed_hosts=(*LOOPBACK_HOSTS, host) if is_loopback(host) else (),
            cache_entries=cache_entries,
        )
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from exc
    if not is_loopback(host):
        click.echo(
            f"warning: binding {host}: anyone who can reach this address can read "
            "the bank" + ("" if read_only else " and add to it (use --read-only)"),
            err=True,
        )
    click.echo(f"onrecord: serving {db} on http://{_url_host(host)}:{port}/", err=True)
    # Bank queries run in worker threads and give up the GIL at every SQLite
    # step; with the default 5 ms switch interval each step can then wait that
    # long for the event loop's thread to hand the GIL back (a convoy).
    sys.setswitchinterval(float(os.environ.get("ONRECORD_SWITCH_INTERVAL", "0.0005")))
    # uvicorn formats every request's access-log arguments unless told there
    # is no access log, even when its level would drop the line
    access_log = log_level in ("info", "debug")
    if workers == 1:
        from onrecord.serve.app import create_app

        uvicorn.run(
            create_app(settings, freeze=True),
            host=host,
            port=port,
            log_level=log_level,
            access_log=access_log,
            proxy_headers=False,
            server_header=False,
        )
    else:
        # worker processes import the app themselves, configured by environment
        os.environ["ONRECORD_SERVE_SETTINGS"] = settings.model_dump_json()
        uvicorn.run(
            "onrecord.serve.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=access_log,
            proxy_headers=False,
            server_header=False,
        )


def _is_url(db: str) -> bool:
    return db.startswith(("postgres://", "postgresql://"))


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


COMMANDS = [serve]
