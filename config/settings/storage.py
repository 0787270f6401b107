"""Where stored files live: exports, payment vouchers and after-sales evidence.

Local disk (MEDIA_ROOT) unless AWS_STORAGE_BUCKET_NAME names a bucket: then every process reads
and writes an S3-compatible object store (AWS, MinIO, other clouds' S3 APIs), so a file written
by a worker on one machine is downloaded through a web process on another. Either way nothing is
served from the store directly: every file reaches a person through a Caigou view that checks
who is asking, and the bucket stays private (no public-read ACL, signed URLs only)."""

from __future__ import annotations

import environ

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def file_storage(env: environ.Env) -> dict:
    """The STORAGES["default"] entry the environment asks for."""
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {"BACKEND": FILE_SYSTEM}
    # Imported only when a bucket is set: local disk needs neither botocore nor its start-up.
    from botocore.config import Config

    # Empty credentials fall back to boto3's own chain (an instance or task role).
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            # A signed URL, should one ever be made, is good for a minute only.
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
            # Names are unique already (random folders); never replace a stored file silently.
            "file_overwrite": False,
            # A store that does not answer fails a request or a health check in seconds, rather
            # than holding a web process for boto3's default minute. `path` addressing suits
            # stores without a DNS name per bucket (MinIO, most test servers).
            "client_config": Config(
                signature_version="s3v4",
                s3={"addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="auto")},
                connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=3.0),
                read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=30.0),
                retries={"mode": "standard", "max_attempts": 3},
            ),
        },
    }
