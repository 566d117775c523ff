"""A real redis-server (Debian's), started for a test on a socket in a temporary folder:
no port to collide with a running demo, a password as in production."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

PASSWORD = "khotin-test-secret"


def redis_or_skip() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("KHOTIN_REQUIRE_REDIS"):
            pytest.fail("redis-server is required here (KHOTIN_REQUIRE_REDIS): make redis")
        pytest.skip("redis-server is not installed (make redis installs Debian's)")
    return binary


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "redis.sock"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def __enter__(self) -> RedisServer:
        binary = redis_or_skip()
        self.process = subprocess.Popen(
            [
                binary,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--unixsocketperm", "700",
                "--requirepass", PASSWORD,
                "--dir", str(self.folder),
                "--save", "",
                "--appendonly", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
