"""A cache of extracted features: an ``.npz`` keyed by what made them.

The file holds the arrays and a JSON ``meta`` with the cache ``key`` and a
sha256 of the arrays' contents. A file whose key differs is stale; one that
cannot be read or whose contents do not match the checksum is corrupt.
Either way :func:`load_features` returns None and says why, and the caller
extracts again. Files are written atomically.
"""
import hashlib
import json
import zipfile
from typing import Dict, Optional, Tuple

import numpy as np

from ..fileio import atomic_write


CACHE_FORMAT = 'crossglg-oneshot-features'
CACHE_VERSION = 1


def cache_key(**parts) -> str:
    """sha256 of the JSON of ``parts`` (sorted keys; other objects as str)."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def arrays_sha256(arrays: Dict[str, np.ndarray]) -> str:
    """sha256 over the names, dtypes, shapes and bytes of the arrays."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f'{name}|{array.dtype.str}|{array.shape}|'.encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def save_features(path: str,
                  arrays: Dict[str, np.ndarray],
                  key: str,
                  meta: Optional[dict] = None) -> None:
    """Write ``arrays`` with their key and checksum to ``path`` atomically.

    Args:
        path (str): Destination ``.npz``.
        arrays (dict[str, np.ndarray]): Named arrays (not 'meta').
        key (str): Cache key, see :func:`cache_key`.
        meta (dict, optional): More JSON-serialisable information.
            Defaults to None.
    """
    if 'meta' in arrays:
        raise ValueError("array name 'meta' is reserved")
    info = dict(meta or {})
    info.update(
        format=CACHE_FORMAT,
        version=CACHE_VERSION,
        key=key,
        sha256=arrays_sha256(arrays))
    with atomic_write(path, 'wb') as f:
        np.savez(f, meta=np.array(json.dumps(info)), **arrays)


def load_features(path: str,
                  key: str) -> Tuple[Optional[Dict[str, np.ndarray]], str]:
    """Read cached arrays if they exist, are intact and match ``key``.

    Returns:
        tuple: ``(arrays, 'hit')`` or ``(None, reason)`` with reason
        ``'missing'``, ``'stale'`` or ``'corrupt: ...'``.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        info = json.loads(str(arrays.pop('meta')))
    except FileNotFoundError:
        return None, 'missing'
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile,
            json.JSONDecodeError) as err:
        return None, f'corrupt: {type(err).__name__}: {err}'
    if not isinstance(info, dict) or info.get('format') != CACHE_FORMAT:
        return None, 'corrupt: not a one-shot feature cache'
    if info.get('key') != key or info.get('version') != CACHE_VERSION:
        return None, 'stale'
    if info.get('sha256') != arrays_sha256(arrays):
        return None, 'corrupt: checksum mismatch'
    return arrays, 'hit'
