"""Requests in Redis as JSON, never pickle: a worker must not run code that whoever can
write to the queue put there. Bytes (bodies, header values) travel as base64."""

from __future__ import annotations

import base64
import json
from typing import Any

_BYTES = "$b64"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {
            (k.decode("latin-1") if isinstance(k, bytes) else k): _encode(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_BYTES}:
            return base64.b64decode(value[_BYTES])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(obj: dict[str, Any]) -> bytes:
    return json.dumps(_encode(obj), separators=(",", ":")).encode()


def loads(data: bytes | str) -> dict[str, Any]:
    return _decode(json.loads(data))
