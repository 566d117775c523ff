"""Redis connections and the names of every key a distributed crawl uses."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis

# The password (or ACL user and password) may be given in the URL, but a URL shows up
# in process lists and logs: the environment is the place for it.
PASSWORD_ENV = "KHOTIN_REDIS_PASSWORD"
USERNAME_ENV = "KHOTIN_REDIS_USERNAME"


class DistributedError(Exception):
    """A distributed crawl cannot go on (Redis unreachable, refused, misconfigured)."""


def check_url(url: str) -> str:
    """``redis://[user:pass@]HOST:PORT/N``, ``rediss://`` (TLS) or ``unix:///path?db=N``."""
    scheme = urlsplit(url).scheme
    if scheme not in ("redis", "rediss", "unix"):
        raise DistributedError(
            f"not a Redis URL: {url!r} (redis://HOST:PORT/N, rediss://… or unix:///PATH?db=N)"
        )
    return url


def connect(url: str) -> redis.Redis:
    """A client for ``url``, with the password from the environment when the URL has
    none; checked at once so that a wrong address or password is one clear error."""
    kwargs: dict[str, str] = {}
    if os.environ.get(PASSWORD_ENV) and not urlsplit(check_url(url)).password:
        kwargs["password"] = os.environ[PASSWORD_ENV]
        if os.environ.get(USERNAME_ENV):
            kwargs["username"] = os.environ[USERNAME_ENV]
    # A stalled server must not stall a worker past its heartbeat: every call times out.
    client = redis.Redis.from_url(
        url, socket_connect_timeout=10, socket_timeout=20, health_check_interval=30, **kwargs
    )
    try:
        client.ping()
    except redis.AuthenticationError as exc:
        raise DistributedError(f"Redis at {shown(url)} refused the password: {exc}") from exc
    except redis.RedisError as exc:
        raise DistributedError(f"cannot reach Redis at {shown(url)}: {exc}") from exc
    return client


def shown(url: str) -> str:
    """The URL as printed: a password in it starred."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def worker_name() -> str:
    """Unique among the machines of one crawl, and across restarts: host name, process
    id (what an operator recognises) and a random part (a container restarted within
    the heartbeat's time has the same host name and pid)."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Keys:
    """Every key under one prefix, so several crawls (or tests) can share a server."""

    prefix: str = "khotin"

    # -- workers and rounds ------------------------------------------------------------
    @property
    def round(self) -> str:
        return f"{self.prefix}:round"

    @property
    def rounds(self) -> str:
        return f"{self.prefix}:rounds"

    def round_workers(self, round_id: str) -> str:
        return f"{self.prefix}:round:{round_id}:workers"

    def round_sites(self, round_id: str) -> str:
        return f"{self.prefix}:round:{round_id}:sites"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:worker:{worker}:alive"

    def processing(self, worker: str) -> str:
        return f"{self.prefix}:worker:{worker}:processing"

    @property
    def tickets(self) -> str:
        return f"{self.prefix}:tickets"

    # -- one site in one round ---------------------------------------------------------
    def requests(self, round_id: str, site: str) -> str:
        return f"{self.prefix}:r{round_id}:{site}:requests"

    def seen(self, round_id: str, site: str) -> str:
        return f"{self.prefix}:r{round_id}:{site}:seen"

    def inflight(self, round_id: str, site: str) -> str:
        return f"{self.prefix}:r{round_id}:{site}:inflight"

    # -- hosts (across rounds: politeness does not reset) --------------------------------
    def host_lock(self, host: str) -> str:
        return f"{self.prefix}:host:{host}:lock"

    def host_next(self, host: str) -> str:
        return f"{self.prefix}:host:{host}:next"

    def robots(self, host: str) -> str:
        return f"{self.prefix}:host:{host}:robots"

    @property
    def hosts(self) -> str:
        return f"{self.prefix}:hosts"

    # -- items and state ---------------------------------------------------------------
    @property
    def items(self) -> str:
        return f"{self.prefix}:items"

    @property
    def files(self) -> str:
        return f"{self.prefix}:state:files"

    @property
    def set_aside(self) -> str:
        return f"{self.prefix}:items:set-aside"

    @property
    def writer_runs(self) -> str:
        return f"{self.prefix}:writer:runs"

    def state(self, site: str, part: str) -> str:
        return f"{self.prefix}:state:{site}:{part}"
