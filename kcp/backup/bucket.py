"""The backups' S3-compatible bucket, through boto3.

Credentials come from boto3's usual chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, a
profile, an instance role); ``S3_ENDPOINT_URL`` points it at any S3-compatible server (MinIO,
versitygw, moto) with path-style addressing. Every failure boto3 reports is turned into a
``BackupError`` that says which bucket or key, what the server answered, and what to do.

Layout: ``<prefix><backup id>/manifest.json`` plus one artifact per store beside it. The manifest is
uploaded last; a folder without one is an incomplete backup that retention removes.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from kcp.backup import BackupError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

MANIFEST = "manifest.json"
_MISSING_BUCKET = {"NoSuchBucket", "404", "NotFound"}
_REFUSED = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "InvalidToken", "ExpiredToken"}


class BackupBucket:
    """One bucket and key prefix holding backups."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, prefix: str = "kcp-backups/") -> None:
        import boto3  # noqa: PLC0415 - only backup commands load boto3 (~0.3 s)
        from botocore.config import Config  # noqa: PLC0415

        self.bucket = bucket
        self.prefix = prefix
        self.endpoint_url = endpoint_url
        config = Config(
            s3={"addressing_style": "path"},
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
        )
        self._client: Any = boto3.client("s3", endpoint_url=endpoint_url, config=config)

    @property
    def where(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" + (f" at {self.endpoint_url}" if self.endpoint_url else "")

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError  # noqa: PLC0415

        try:
            yield
        except NoCredentialsError as error:
            msg = f"{doing}: no S3 credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)"
            raise BackupError(msg) from error
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            message = error.response.get("Error", {}).get("Message", "")
            if code in _MISSING_BUCKET and "Key" not in code:
                msg = (
                    f"{doing}: the bucket {self.bucket!r} does not exist at "
                    f"{self.endpoint_url or 'AWS S3'}; create it or fix S3_BACKUP_BUCKET"
                )
                raise BackupError(msg) from error
            if code in _REFUSED:
                msg = (
                    f"{doing}: the S3 endpoint refused the credentials ({code}: {message}); check "
                    "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the bucket's policy"
                )
                raise BackupError(msg) from error
            msg = f"{doing}: S3 answered {code or 'an error'} ({message})"
            raise BackupError(msg) from error
        except BotoCoreError as error:
            msg = f"{doing}: cannot talk to S3 at {self.endpoint_url or 'AWS'} ({error}); is S3_ENDPOINT_URL right?"
            raise BackupError(msg) from error

    def check(self) -> None:
        """Raise unless the bucket exists and these credentials may use it."""
        with self._errors(f"checking {self.where}"):
            self._client.head_bucket(Bucket=self.bucket)

    def create(self) -> None:
        """Create the bucket (the drill's local server starts empty)."""
        with self._errors(f"creating the bucket {self.bucket!r}"):
            self._client.create_bucket(Bucket=self.bucket)

    def key(self, backup_id: str, name: str) -> str:
        return f"{self.prefix}{backup_id}/{name}"

    def upload(self, path: Path, key: str, progress: Callable[[int], None] | None = None) -> None:
        with self._errors(f"uploading {path.name} to s3://{self.bucket}/{key}"):
            self._client.upload_file(str(path), self.bucket, key, Callback=progress)

    def download(self, key: str, path: Path, progress: Callable[[int], None] | None = None) -> None:
        with self._errors(f"downloading s3://{self.bucket}/{key}"):
            self._client.download_file(self.bucket, key, str(path), Callback=progress)

    def put_bytes(self, key: str, body: bytes) -> None:
        with self._errors(f"writing s3://{self.bucket}/{key}"):
            self._client.put_object(Bucket=self.bucket, Key=key, Body=body)

    def get_bytes(self, key: str) -> bytes | None:
        """The object's content, or None when there is no such key."""
        from botocore.exceptions import ClientError  # noqa: PLC0415

        with self._errors(f"reading s3://{self.bucket}/{key}"):
            try:
                return bytes(self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read())
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                    return None
                raise

    def backup_folders(self) -> dict[str, bool]:
        """Every backup id under the prefix, and whether it is complete (has its manifest)."""
        found: dict[str, bool] = {}
        with self._errors(f"listing {self.where}"):
            paginator = self._client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    backup_id, _, name = item["Key"][len(self.prefix) :].partition("/")
                    found[backup_id] = found.get(backup_id, False) or name == MANIFEST
        return found

    def delete_backup_prefix(self) -> None:
        """Delete every object under the prefix (the drill's own folder)."""
        self.delete_backup("")

    def delete_backup(self, backup_id: str) -> None:
        with self._errors(f"deleting backup {backup_id} from {self.where}"):
            paginator = self._client.get_paginator("list_objects_v2")
            for page in paginator.paginate(
                Bucket=self.bucket, Prefix=f"{self.prefix}{backup_id}/" if backup_id else self.prefix
            ):
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:
                    self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})
