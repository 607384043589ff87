"""HTTP API and web page over a quote bank (the ``serve`` extra).

``create_app`` builds the FastAPI application; ``onrecord serve`` runs it with
uvicorn. Importing this package does not import FastAPI: a missing extra only
fails when the app is built, with :class:`onrecord.errors.MissingExtra`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onrecord.serve.app import create_app
    from onrecord.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app", "require_extra"]


def require_extra() -> None:
    """Fail with an install hint when FastAPI, uvicorn or Jinja2 is missing.

    Raises:
        MissingExtra: naming the missing module and the pip command.
    """
    import importlib.util

    from onrecord.errors import MissingExtra

    missing = [
        name
        for name in ("fastapi", "uvicorn", "jinja2")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise MissingExtra(
            f"onrecord serve needs {', '.join(missing)}, which is not installed. "
            "Install the serve extra: pip install 'onrecord[serve]'"
        )


def __getattr__(name: str) -> Any:
    # Lazy so that `import onrecord.serve` works without the extra installed.
    if name == "create_app":
        require_extra()
        from onrecord.serve.app import create_app

        return create_app
    if name == "ServeSettings":
        from onrecord.serve.settings import ServeSettings

        return ServeSettings
    raise AttributeError(name)
