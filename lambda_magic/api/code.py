"""Deployment packages as Lambda's API sees them: a .zip of the function's files, its
``CodeSha256`` (base64 of the zip's SHA-256) and ``CodeSize``, and the checks Lambda makes on an
uploaded one (a valid zip, at most 250 MB unzipped, paths inside the package)."""

from __future__ import annotations

import base64
import hashlib
import io
import threading
import weakref
import zipfile
from collections.abc import Mapping
from typing import TYPE_CHECKING

from lambda_magic.core.errors import InvalidRequestError
from lambda_magic.platform.package import check_path

if TYPE_CHECKING:
    from lambda_magic.api.function import LambdaFunction

#: Lambda's limit on a package once unzipped (layers included): 250 MB.
UNZIPPED_LIMIT = 262_144_000
#: Lambda's limit on a zip uploaded directly (``ZipFile``): 50 MB.
ZIPPED_LIMIT = 50 * 1024 * 1024
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same files give the same zip


def zip_files(files: Mapping[str, bytes]) -> bytes:
    """The package as a .zip, byte for byte the same for the same files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, _EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return out.getvalue()


def sha256(data: bytes) -> str:
    """``CodeSha256``: the base64 of the SHA-256 of the zip."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def digest(files: Mapping[str, bytes]) -> tuple[str, int]:
    """``(CodeSha256, CodeSize)`` of the package made of ``files``."""
    data = zip_files(files)
    return sha256(data), len(data)


#: Per function: the revision whose digest is known, and that digest.
_DIGESTS: weakref.WeakKeyDictionary[LambdaFunction, tuple[int, tuple[str, int]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def digest_of(fn: LambdaFunction) -> tuple[str, int]:
    """``(CodeSha256, CodeSize)`` of ``$LATEST``: of the zip uploaded through Lambda's API for
    this revision, else of its files zipped."""
    files, _, _, revision, _ = fn.snapshot()
    with _lock:
        known = _DIGESTS.get(fn)
        if known is not None and known[0] == revision:
            return known[1]
    found = digest(files)
    with _lock:
        _DIGESTS[fn] = (revision, found)
    return found


def record_upload(fn: LambdaFunction, data: bytes) -> None:
    """The current revision of ``fn`` was made from the zip ``data``: report its digest."""
    with _lock:
        _DIGESTS[fn] = (fn.revision, (sha256(data), len(data)))


def _bad_zip(detail: str) -> InvalidRequestError:
    return InvalidRequestError(
        "InvalidParameterValueException",
        f"Could not unzip uploaded file. Please check your file, then try to upload again. ({detail})",
    )


def unzip(data: bytes) -> dict[str, bytes]:
    """The files of an uploaded zip (directories skipped), refused as Lambda refuses it."""
    if len(data) > ZIPPED_LIMIT:
        raise InvalidRequestError(
            "RequestTooLargeException",
            f"Zipped size must be smaller than {ZIPPED_LIMIT} bytes; this one is {len(data)}",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise _bad_zip(str(e)) from None
    total = sum(i.file_size for i in infos)
    if total > UNZIPPED_LIMIT:
        raise InvalidRequestError(
            "InvalidParameterValueException",
            f"Unzipped size must be smaller than {UNZIPPED_LIMIT} bytes",
        )
    files: dict[str, bytes] = {}
    with archive:
        for info in infos:
            try:
                path = check_path(info.filename)
            except ValueError as e:
                raise _bad_zip(str(e)) from None
            try:
                files[path] = archive.read(info)
            except (zipfile.BadZipFile, ValueError, OSError, RuntimeError) as e:
                raise _bad_zip(str(e)) from None
    return files
