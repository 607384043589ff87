"""Error shape, request size limit and security headers of the HTTP server.

Every error the server answers has one JSON shape (tested in
``tests/test_serve_errors.py``)::

    {"error": {"status": 404, "code": "OR201", "message": "...", "details": [...]}}

``code`` is the onrecord error code when a library error caused it
(``OR201`` article not found), else ``HTTP<status>``. ``details`` lists the
invalid fields of a 422 and is empty otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onrecord.errors import (
    ArticleNotFound,
    ConfigError,
    InputError,
    MissingExtra,
    OnrecordError,
)

log = logging.getLogger("onrecord.serve")

_STATUS_OF: tuple[tuple[type[OnrecordError], int], ...] = (
    (ArticleNotFound, 404),
    (ConfigError, 400),
    (InputError, 400),
    (MissingExtra, 503),
)

# Pages and API: our own scripts and styles only; no inline code, no framing,
# no plugins; fetch() only to this origin. Article text is untrusted input, and
# this is the second line of defence after building the DOM with textContent.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def csp_with_script_hashes(html: str) -> str:
    """The CSP, also allowing the page's own inline scripts by their SHA-256.

    For FastAPI's Swagger UI page (``/docs``), which starts Swagger UI with an
    inline script: a hash allows that script and nothing else, unlike
    ``'unsafe-inline'``.
    """
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    if not hashes:
        return CSP
    return CSP.replace("script-src 'self'", f"script-src 'self' {hashes}", 1)


def error_body(
    status: int,
    message: str,
    *,
    code: str | None = None,
    details: list[Any] | None = None,
) -> dict[str, Any]:
    """The one error shape of the API."""
    return {
        "error": {
            "status": status,
            "code": code or f"HTTP{status}",
            "message": message,
            "details": details or [],
        }
    }


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    details: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(status, message, code=code, details=details),
        status_code=status,
        headers=headers,
    )


# by code, for errors whose classes live in private modules (store's SpeakerNotFound)
_STATUS_OF_CODE = {"OR201": 404, "OR204": 404}


def status_of(exc: OnrecordError) -> int:
    """The HTTP status of a library error (404 for "not found", 400 for bad input)."""
    if exc.code in _STATUS_OF_CODE:
        return _STATUS_OF_CODE[exc.code]
    for cls, status in _STATUS_OF:
        if isinstance(exc, cls):
            return status
    return 500


def install_error_handlers(app: FastAPI) -> None:
    """Make every error, ours or the framework's, answer the one shape."""

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else "HTTP error"
        return error_response(
            exc.status_code, detail, headers=getattr(exc, "headers", None)
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        details = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        fields = ", ".join(".".join(d["loc"]) for d in details) or "request"
        return error_response(422, f"Invalid request: {fields}", details=details)

    async def on_onrecord(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, OnrecordError)
        status = status_of(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        return error_response(status, str(exc), code=exc.code)

    async def on_any(request: Request, exc: Exception) -> JSONResponse:
        # Log the traceback; never send it (it may hold paths and article text).
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(500, "Internal server error")

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(OnrecordError, on_onrecord)
    app.add_exception_handler(Exception, on_any)


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, before reading them all.

    Checks Content-Length up front, and counts streamed (chunked) bodies as
    they arrive, so a client cannot make the server buffer more than the limit.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await self._refuse(scope, receive, send, 400, "Bad Content-Length")
                    return
                if length > self.max_bytes:
                    await self._refuse(scope, receive, send, 413, self._message())
                    return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self._message())
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await self._refuse(scope, receive, send, 413, self._message())

    def _message(self) -> str:
        return f"Request body too large: the limit is {self.max_bytes} bytes"

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, message: str
    ) -> None:
        response = error_response(status, message, headers={"connection": "close"})
        await response(scope, receive, send)


class _TooLarge(StarletteHTTPException):
    # An HTTPException, so that FastAPI's body reading re-raises it as it is
    # and the exception handler answers it in the one error shape.
    def __init__(self, message: str) -> None:
        super().__init__(413, message, headers={"connection": "close"})


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = CSP.encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                # a page may set its own (/docs allows its inline script's hash)
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", csp))
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class HostCheckMiddleware:
    """Answer only requests whose Host header names an allowed host.

    A server on 127.0.0.1 is still reachable from a web page in the user's
    browser through DNS rebinding (``evil.example`` made to resolve to
    127.0.0.1): checking the Host header closes that door.
    """

    def __init__(self, app: ASGIApp, *, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(h.lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = ""
            for name, value in scope.get("headers", ()):
                if name == b"host":
                    host = value.decode("latin-1")
                    break
            if _host_name(host) not in self.allowed:
                response = error_response(
                    400,
                    f"Host {host!r} is not served here; allowed: "
                    + ", ".join(sorted(self.allowed)),
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _host_name(host: str) -> str:
    """``"[::1]:8000"`` -> ``"::1"``, ``"Localhost:80"`` -> ``"localhost"``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
