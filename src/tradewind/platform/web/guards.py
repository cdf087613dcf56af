"""Input guards at the edge, before any route runs: a request body limit and no NUL bytes (or
lone surrogates) in any text a client sends.

PostgreSQL text cannot hold NUL and SQLite silently truncates at it, so a string carrying one
would either 500 or mean different things on the two databases; a lone surrogate cannot be
encoded as UTF-8 at all. ``InputGuard`` refuses both in the path, the query string, JSON bodies
and url-encoded forms with a 422 problem; ``clean_text`` is the same rule for values parsed
elsewhere (CSV cells, multipart fields). Bodies larger than ``max_bytes`` are refused with 413
before they are read (by ``Content-Length``) or as soon as the stream passes the limit.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradewind.platform.web.problems import problem


def bad_text(value: str) -> str:
    """Why ``value`` cannot be stored as text ('' when it can)."""
    if "\x00" in value:
        return "text must not contain NUL (\\u0000) characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "text must be valid Unicode (no lone surrogates)"
    return ""


def clean_text(value: str) -> str:
    """``value`` unchanged, or ``ValueError`` when it cannot be stored as text."""
    reason = bad_text(value)
    if reason:
        raise ValueError(reason)
    return value


def _walk(value: Any, where: str) -> tuple[str, str] | None:
    """The first (location, reason) of a bad string inside a decoded JSON value."""
    if isinstance(value, str):
        reason = bad_text(value)
        return (where, reason) if reason else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _walk(key, where) if isinstance(key, str) else None
        found = found or _walk(item, f"{where}.{key}")
        if found:
            return found
    return None


def _query_problem(scope: Scope) -> tuple[str, str] | None:
    path = scope.get("path", "")
    reason = bad_text(path) or bad_text(unquote(scope.get("raw_path", b"").decode("latin-1")))
    if reason:
        return "path", reason
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
        reason = bad_text(key) or bad_text(value)
        if reason:
            return f"query.{key}", reason
    return None


def _body_problem(content_type: str, body: bytes) -> tuple[str, str] | None:
    if not body:
        return None
    if "json" in content_type:
        try:
            decoded = json.loads(body)
        except UnicodeDecodeError:  # FastAPI would answer an undocumented 400
            return "body", "a JSON body must be UTF-8 text"
        except ValueError:
            return None  # FastAPI answers malformed JSON itself (422)
        return _walk(decoded, "body")
    if content_type.startswith("application/x-www-form-urlencoded"):
        text = body.decode("latin-1")
        for key, value in parse_qsl(text, keep_blank_values=True, errors="surrogateescape"):
            reason = bad_text(key) or bad_text(value)
            if reason:
                return f"body.{key}", reason
    return None


class _TooLarge(Exception):
    pass


class BodyTooLarge(HTTPException):
    """A streamed body passed the limit while a route was reading it: 413 (an HTTPException,
    so that FastAPI's body parsing passes it on instead of answering 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class InputGuard:
    """ASGI middleware: body size limit and text checks (see the module docstring)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        instance = scope.get("path", "")
        found = _query_problem(scope)
        if found:
            await self._refuse(scope, receive, send, 422, found, instance)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._too_large(scope, receive, send, instance)
            return
        content_type = headers.get("content-type", "")
        if "json" not in content_type and "urlencoded" not in content_type:
            await self.app(scope, self._counting(receive), send)
            return
        try:
            body = await self._read(receive)
        except _TooLarge:
            await self._too_large(scope, receive, send, instance)
            return
        found = _body_problem(content_type, body)
        if found:
            await self._refuse(scope, receive, send, 422, found, instance)
            return
        await self.app(scope, replay_body(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _counting(self, receive: Receive) -> Receive:
        """``receive`` that stops a streamed (multipart) body once it passes the limit."""
        seen = [0]

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen[0] += len(message.get("body", b""))
                if seen[0] > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        return counted

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, instance: str) -> None:
        detail = f"the request body is larger than {self.max_bytes} bytes"
        response = problem(413, "payload_too_large", detail, instance)
        await response(scope, receive, send)

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        found: tuple[str, str],
        instance: str,
    ) -> None:
        field, reason = found
        errors = [{"field": field, "reason": reason}]
        response = problem(status, "validation_failed", reason, instance, errors)
        await response(scope, receive, send)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the already-read ``body`` to the app once, then defers."""
    sent = [False]

    async def replay() -> Message:
        if not sent[0]:
            sent[0] = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
