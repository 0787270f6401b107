"""Stored files in a real S3-compatible server (tests/storage/s3server.py): the settings are
built by `config.settings.storage.file_storage` from the same variables an operator sets."""

from __future__ import annotations

from collections.abc import Iterator

import environ
import pytest

from config.settings.storage import file_storage
from tests.storage.s3server import S3Server, s3_server


@pytest.fixture(scope="module")
def s3(tmp_path_factory) -> Iterator[S3Server]:
    with s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def s3_storage(s3, settings, monkeypatch) -> S3Server:
    """default_storage is the bucket for this test, as production settings would make it."""
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(environ.Env())}
    return s3
