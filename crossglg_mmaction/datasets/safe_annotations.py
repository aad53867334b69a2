"""MMAction2 skeleton annotations stored without pickle (``.npz``/``.json``).

A skeleton pickle is trusted input: unpickling a file can run any code in
it. The same content (``{'split': {...}, 'annotations': [...]}``) can be
stored in two formats that load without pickle (``docs/security.md``):

- ``.npz`` (read with ``np.load(allow_pickle=False)``): per array field of
  the samples (``keypoint``, ``keypoint_score``, ...) one flat array
  ``array/<field>`` holding every sample's values in order, and ``meta``, a
  JSON string with the format name and version, the splits and per sample
  its other fields (JSON values) and, per array field, its dtype, shape and
  offset in the flat array.
- ``.json``: ``{"format", "version", "split", "annotations"}`` with
  ``keypoint`` and ``keypoint_score`` as nested lists (read as float32).

:func:`load_annotation_file` reads either, or a (trusted) pickle, with
errors that name the file and the sample.
"""
import json
import os
import os.path as osp
import zipfile
from typing import Dict, List

import numpy as np

from ..fileio import atomic_write, read_json

FORMAT = 'crossglg-skeleton-annotations'
VERSION = 1
SAFE_SUFFIXES = ('.npz', '.json')
JSON_ARRAY_KEYS = ('keypoint', 'keypoint_score')
_NUMERIC_KINDS = 'biuf'


def is_safe_annotation_file(path: str) -> bool:
    """True for the formats that load without pickle."""
    return str(path).lower().endswith(SAFE_SUFFIXES)


def _json_value(value, where: str):
    """``value`` as plain JSON types (numpy scalars and tuples converted)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v, where) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _json_value(v, where) for k, v in value.items()}
    raise ValueError(f'{where}: {type(value).__name__} values cannot be '
                     'stored without pickle (use numbers, strings, lists, '
                     'dicts or numeric numpy arrays)')


def _check_data(data, path: str):
    if not isinstance(data, dict) or not isinstance(
            data.get('annotations'), list):
        raise ValueError(f'{path}: expected a dict with an \'annotations\' '
                         'list (MMAction2 skeleton format)')
    bad = [i for i, a in enumerate(data['annotations'])
           if not isinstance(a, dict)]
    if bad:
        raise ValueError(f'{path}: annotations {bad[:10]} are not dicts')
    return _json_value(data.get('split') or {}, f'{path}: split')


def _sample_name(anno: dict, index: int) -> str:
    return f'sample {anno.get("frame_dir", f"#{index}")!r}'


def _numeric_array(value, where: str) -> np.ndarray:
    if value.dtype.kind not in _NUMERIC_KINDS:
        raise ValueError(f'{where}: dtype {value.dtype} cannot be stored '
                         'without pickle; expected a numeric array')
    return value


def _npz_arrays(annotations: List[dict], path: str):
    """Flat arrays per field and the per-sample meta records."""
    chunks: Dict[str, list] = {}
    sizes: Dict[str, int] = {}
    records = []
    for index, anno in enumerate(annotations):
        name = _sample_name(anno, index)
        values, arrays = {}, {}
        for key, value in anno.items():
            where = f'{path}: {name}: key {key!r}'
            if isinstance(value, np.ndarray):
                value = _numeric_array(value, where)
                offset = sizes.get(key, 0)
                arrays[key] = [value.dtype.str, list(value.shape), offset]
                chunks.setdefault(key, []).append(value.ravel())
                sizes[key] = offset + value.size
            else:
                values[key] = _json_value(value, where)
        records.append(dict(values=values, arrays=arrays))
    flat = {f'array/{key}': np.concatenate(parts)
            for key, parts in chunks.items()}
    return flat, records


def _json_annotations(annotations: List[dict], path: str) -> List[dict]:
    out = []
    for index, anno in enumerate(annotations):
        name = _sample_name(anno, index)
        item = {}
        for key, value in anno.items():
            where = f'{path}: {name}: key {key!r}'
            if isinstance(value, np.ndarray):
                if key not in JSON_ARRAY_KEYS:
                    raise ValueError(f'{where}: the JSON format stores arrays '
                                     f'only in {JSON_ARRAY_KEYS}; use .npz')
                value = _numeric_array(value, where).tolist()
            item[key] = _json_value(value, where)
        out.append(item)
    return out


def save_skeleton_annotations(data: dict, path: str) -> None:
    """Write skeleton annotations as ``.npz`` or ``.json`` (atomically).

    Args:
        data (dict): ``{'split': {...}, 'annotations': [...]}`` as in an
            MMAction2 skeleton pickle.
        path (str): Destination ending in ``.npz`` or ``.json``.
    """
    if not is_safe_annotation_file(path):
        raise ValueError(f'{path}: expected a file name ending in '
                         f'{" or ".join(SAFE_SUFFIXES)}')
    split = _check_data(data, path)
    annotations = data['annotations']
    if path.lower().endswith('.json'):
        text = json.dumps(dict(format=FORMAT, version=VERSION, split=split,
                               annotations=_json_annotations(
                                   annotations, path)))
        with atomic_write(path) as f:
            f.write(text)
        return
    flat, records = _npz_arrays(annotations, path)
    meta = json.dumps(dict(format=FORMAT, version=VERSION, split=split,
                           samples=records))
    with atomic_write(path, 'wb') as f:
        np.savez(f, meta=np.array(meta), **flat)


def _check_header(obj, path: str):
    if not isinstance(obj, dict):
        raise ValueError(f'{path}: expected a JSON object, got '
                         f'{type(obj).__name__}')
    if obj.get('format', FORMAT) != FORMAT:
        raise ValueError(f'{path}: format is {obj.get("format")!r}, '
                         f'expected {FORMAT!r}')
    if obj.get('version', VERSION) != VERSION:
        raise ValueError(f'{path}: version {obj.get("version")!r} is not '
                         f'supported (expected {VERSION})')


def _load_json(path: str) -> dict:
    obj = read_json(path)
    _check_header(obj, path)
    _check_data(obj, path)
    annotations = []
    for index, anno in enumerate(obj['annotations']):
        anno = dict(anno)
        for key in JSON_ARRAY_KEYS:
            if key in anno:
                try:
                    anno[key] = np.asarray(anno[key], dtype=np.float32)
                except (TypeError, ValueError) as err:
                    raise ValueError(
                        f'{path}: {_sample_name(anno, index)}: key {key!r} '
                        f'is not a numeric array ({err})') from None
        annotations.append(anno)
    return dict(split=obj.get('split') or {}, annotations=annotations)


def _sample_array(flat, spec, where: str) -> np.ndarray:
    if not (isinstance(spec, list) and len(spec) == 3):
        raise ValueError(f'{where}: expected [dtype, shape, offset], got '
                         f'{spec!r}')
    dtype, shape, offset = spec
    try:
        dtype = np.dtype(dtype)
        size = int(np.prod(shape, dtype=np.int64))
    except (TypeError, ValueError) as err:
        raise ValueError(f'{where}: bad dtype or shape ({err})') from None
    if dtype.kind not in _NUMERIC_KINDS or flat is None or \
            not isinstance(offset, int) or offset < 0 or \
            offset + size > flat.size:
        raise ValueError(f'{where}: dtype {dtype}, shape {shape} at offset '
                         f'{offset} do not fit the stored array')
    return flat[offset:offset + size].astype(dtype, copy=False).reshape(shape)


def _load_npz(path: str) -> dict:
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise ValueError(f'{path}: not a readable .npz without pickle '
                         f'({type(err).__name__}: {err})') from None
    if 'meta' not in arrays:
        raise ValueError(f'{path}: no \'meta\' entry; not written by '
                         'save_skeleton_annotations')
    try:
        meta = json.loads(str(arrays.pop('meta')))
    except json.JSONDecodeError as err:
        raise ValueError(f'{path}: meta is not JSON ({err})') from None
    _check_header(meta, path)
    if 'format' not in meta or not isinstance(meta.get('samples'), list):
        raise ValueError(f'{path}: meta lacks the format name or the '
                         'samples list')
    annotations = []
    for index, record in enumerate(meta['samples']):
        values = record.get('values') if isinstance(record, dict) else None
        specs = record.get('arrays') if isinstance(record, dict) else None
        if not isinstance(values, dict) or not isinstance(specs, dict):
            raise ValueError(f'{path}: sample #{index}: expected values '
                             'and arrays')
        anno = dict(values)
        for key, spec in specs.items():
            anno[key] = _sample_array(
                arrays.get(f'array/{key}'), spec,
                f'{path}: {_sample_name(values, index)}: key {key!r}')
        annotations.append(anno)
    return dict(split=meta.get('split') or {}, annotations=annotations)


def load_skeleton_annotations(path: str) -> dict:
    """Read a ``.npz`` or ``.json`` file of skeleton annotations.

    Never unpickles anything.

    Args:
        path (str): File written by :func:`save_skeleton_annotations` (a
            JSON file from another tool may omit ``format``/``version``).

    Returns:
        dict: ``{'split': {...}, 'annotations': [...]}`` with numpy arrays.

    Raises:
        ValueError: naming the file (and sample) when it is not valid.
    """
    if not is_safe_annotation_file(path):
        raise ValueError(f'{path}: expected a .npz or .json file')
    if path.lower().endswith('.json'):
        return _load_json(path)
    return _load_npz(path)


def load_annotation_file(path: str) -> dict:
    """Skeleton annotations from ``.npz``/``.json``/``.store`` (safe) or a
    pickle.

    A pickle is trusted input (unpickling runs code in the file): convert
    files from untrusted sources with ``tools/data/pickle_to_npz.py`` on a
    machine that trusts them, or get them as ``.npz``/``.json``.

    Args:
        path (str): Annotation file, or a ``.store`` folder (see
            :mod:`.skeleton_store`; its arrays come back as read-only
            memory-map views).

    Returns:
        The loaded object (a dict for valid files).

    Raises:
        FileNotFoundError: when ``path`` does not exist or is a folder.
        ValueError: naming the file when it cannot be read.
    """
    from .skeleton_store import SkeletonStore, is_skeleton_store
    if is_skeleton_store(path):
        return SkeletonStore(path).load()
    if osp.isdir(path):
        found = sorted(name for name in os.listdir(path) if name.lower(
        ).endswith(('.pkl', '.store') + SAFE_SUFFIXES))
        there = ('files there: ' + ', '.join(found[:5]) if found else
                 'the folder holds none')
        raise FileNotFoundError(
            f'annotation file {path} is a folder; give the annotation file '
            f'itself (a .pkl, .npz or .json, or a .store folder; {there})')
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation file not found: {path}')
    if is_safe_annotation_file(path):
        return load_skeleton_annotations(path)
    import mmengine
    try:
        return mmengine.load(path)
    except Exception as err:
        raise ValueError(
            f'{path}: cannot read the skeleton pickle ({type(err).__name__}: '
            f'{err}); is the file truncated or not a pickle?') from None
