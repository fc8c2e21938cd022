"""Where generated and uploaded files live, chosen by FILE_STORAGE: the local disk (the default,
one machine), Azure Blob Storage or an S3-compatible bucket (any number of machines). Every
file the app keeps (committee reports, uploads, open data) goes through Django's storage API,
so the choice is made here once and nothing else knows it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from stockport_plan.env import env_int, env_str

KINDS = ("local", "azure", "s3")


def default_storage_from_env() -> dict[str, Any]:
    """The STORAGES["default"] entry that the environment asks for; a clear error when it is
    incomplete, so a misconfigured machine refuses to start rather than lose files."""
    kind = storage_kind()
    if kind == "local":  # under MEDIA_ROOT
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "azure":
        return {"BACKEND": "storages.backends.azure_storage.AzureStorage", "OPTIONS": _azure()}
    if kind == "s3":
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3()}
    raise ImproperlyConfigured(
        f"FILE_STORAGE={kind!r} is not a storage this app knows: use one of {', '.join(KINDS)}."
    )


def storage_kind() -> str:
    return env_str("FILE_STORAGE", "local").strip().lower() or "local"


def _azure() -> dict[str, Any]:
    connection_string = env_str("AZURE_CONNECTION_STRING")
    account_name = env_str("AZURE_ACCOUNT_NAME")
    if not connection_string and not account_name:
        raise ImproperlyConfigured(
            "FILE_STORAGE=azure needs AZURE_CONNECTION_STRING, or AZURE_ACCOUNT_NAME with "
            "AZURE_ACCOUNT_KEY (or AZURE_SAS_TOKEN)."
        )
    options: dict[str, Any] = {
        "azure_container": env_str("AZURE_CONTAINER", "council-plan"),
        # Files are private: a download is always a request to the app, which checks first.
        "expiration_secs": None,
        "overwrite_files": False,
        "timeout": env_int("STORAGE_TIMEOUT_SECONDS", 20),
    }
    if connection_string:
        options["connection_string"] = connection_string
    else:
        options["account_name"] = account_name
        options["account_key"] = env_str("AZURE_ACCOUNT_KEY") or None
        options["sas_token"] = env_str("AZURE_SAS_TOKEN") or None
    return options


def _s3() -> dict[str, Any]:
    bucket = env_str("S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured(
            "FILE_STORAGE=s3 needs S3_BUCKET (and credentials: AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or the machine's own role)."
        )
    timeout = env_int("STORAGE_TIMEOUT_SECONDS", 20)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,  # the bucket's own policy, which must keep it private
        "querystring_auth": True,
        "file_overwrite": False,
        "region_name": env_str("S3_REGION") or None,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "client_config": _s3_client_config(timeout),
    }
    if env_str("AWS_ACCESS_KEY_ID"):
        options["access_key"] = env_str("AWS_ACCESS_KEY_ID")
        options["secret_key"] = env_str("AWS_SECRET_ACCESS_KEY")
    return options


def _s3_client_config(timeout: int) -> Any:
    from botocore.config import Config  # imported only when S3 is chosen

    return Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 3})
