"""A real S3-compatible server for the storage tests: moto's standalone server, started in a
process of its own on a free port and spoken to over HTTP by boto3, exactly as Caigou speaks to
MinIO or AWS. Nothing is mocked inside the process under test."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import requests

BUCKET = "caigou-files"
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class S3Server:
    """One moto server; `env()` is what a Caigou process needs to use its bucket."""

    work: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "caigou-test-key",
            "AWS_SECRET_ACCESS_KEY": "caigou-test-secret",
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }

    def start(self) -> None:
        log = open(self.work / f"moto-{self.port}.log", "w")  # noqa: SIM115 - the child holds it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=self.work,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 30
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the S3 server did not start on {self.url}")
            time.sleep(0.1)
        self.client().create_bucket(Bucket=BUCKET)

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/moto-api/", timeout=1).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def client(self):
        env = self.env()
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self, prefix: str = "") -> list[str]:
        """Every object name in the bucket, read from the server itself."""
        listed = self.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()


@contextlib.contextmanager
def s3_server(work: Path) -> Iterator[S3Server]:
    """A running server with an empty bucket, stopped afterwards."""
    server = S3Server(work=work)
    try:
        server.start()
        yield server
    finally:
        server.stop()
