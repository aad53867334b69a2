"""Skeleton annotations as a memory-mapped store (a ``.store`` folder).

A skeleton pickle is unpickled whole by every process that builds a
dataset (every rank of a distributed run), and MMEngine then serialises
the samples once more: at NTU-120 scale that is several GB per rank. A
store keeps every array field of the samples in one flat ``.npy`` file that
each process maps read-only, so the keypoints live once, in the page cache,
shared by all ranks and dataloader workers. A store is a folder ending in
``.store`` holding:

- ``<field>.npy``: per array field of the samples (``keypoint``,
  ``keypoint_score``, ...), one 1-D array holding every sample's values in
  sample order, in one dtype (mixed dtypes are promoted);
- ``index.json``: ``{"format", "version", "split", "arrays", "samples"}``
  with ``arrays`` mapping each field to its ``.npy`` file and dtype, and per
  sample its other fields (JSON values, ``values``) and, per array field,
  its shape and offset in the flat array (``arrays``).

It loads without pickle (``np.load(allow_pickle=False)``).
:func:`save_skeleton_store` writes one; :class:`SkeletonStore` reads it.
"""
import json
import os
import os.path as osp
import shutil
import tempfile
from typing import Dict, List

import numpy as np

from ..fileio import atomic_write, read_json
from .safe_annotations import (_check_data, _json_value, _numeric_array,
                               _sample_name)

FORMAT = 'crossglg-skeleton-store'
VERSION = 1
SUFFIX = '.store'
INDEX = 'index.json'
STORE_INDEX = 'store_index'
CHUNK = 1 << 20  # elements per read when scanning for NaN/inf


def is_skeleton_store(path: str) -> bool:
    """True for a path ending in ``.store`` (a store folder)."""
    return str(path).rstrip('/\\').lower().endswith(SUFFIX)


def _layout(annotations: List[dict], path: str):
    """Per-sample records, per-field dtypes and total sizes."""
    records, dtypes, sizes = [], {}, {}
    for index, anno in enumerate(annotations):
        name = _sample_name(anno, index)
        values, arrays = {}, {}
        for key, value in anno.items():
            where = f'{path}: {name}: key {key!r}'
            if isinstance(value, np.ndarray):
                value = _numeric_array(value, where)
                dtypes[key] = np.result_type(dtypes.get(key, value.dtype),
                                             value.dtype)
                arrays[key] = [list(value.shape), sizes.get(key, 0)]
                sizes[key] = sizes.get(key, 0) + value.size
            else:
                values[key] = _json_value(value, where)
        records.append(dict(values=values, arrays=arrays))
    return records, dtypes, sizes


def _write_arrays(annotations, records, dtypes, sizes, folder):
    for key, dtype in dtypes.items():
        flat = np.lib.format.open_memmap(
            osp.join(folder, f'{key}.npy'), mode='w+', dtype=dtype,
            shape=(sizes[key], ))
        for anno, record in zip(annotations, records):
            if key in record['arrays']:
                offset = record['arrays'][key][1]
                value = anno[key].ravel()
                flat[offset:offset + value.size] = value
        flat.flush()
        del flat


def save_skeleton_store(data: dict, path: str) -> None:
    """Write skeleton annotations as a ``.store`` folder.

    The folder is written next to ``path`` under a temporary name and
    renamed into place, so ``path`` never holds a half-written store (an
    existing store there is replaced).

    Args:
        data (dict): ``{'split': {...}, 'annotations': [...]}`` as in an
            MMAction2 skeleton pickle.
        path (str): Destination folder ending in ``.store``.
    """
    path = path.rstrip('/\\')
    if not is_skeleton_store(path):
        raise ValueError(f'{path}: expected a folder name ending in {SUFFIX}')
    if osp.exists(path) and not osp.isfile(osp.join(path, INDEX)):
        raise FileExistsError(f'{path} exists and is not a skeleton store '
                              f'(no {INDEX}); not replacing it')
    split = _check_data(data, path)
    records, dtypes, sizes = _layout(data['annotations'], path)
    parent = osp.dirname(osp.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f'.{osp.basename(path)}.', dir=parent)
    try:
        _write_arrays(data['annotations'], records, dtypes, sizes, tmp)
        arrays = {key: dict(file=f'{key}.npy', dtype=np.dtype(d).str)
                  for key, d in dtypes.items()}
        with atomic_write(osp.join(tmp, INDEX)) as f:
            json.dump(dict(format=FORMAT, version=VERSION, split=split,
                           arrays=arrays, samples=records), f)
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if osp.exists(path):
            old = tempfile.mkdtemp(prefix=f'.{osp.basename(path)}.old.',
                                   dir=parent)
            os.replace(path, osp.join(old, 'store'))
        os.replace(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


class SkeletonStore:
    """A ``.store`` folder, its arrays mapped read-only on first use.

    Pickles (to dataloader workers, to spawned processes) as its path only;
    each process maps the files again.

    Args:
        path (str): The store folder.

    Raises:
        FileNotFoundError: when the folder or its index is missing.
        ValueError: naming the file (and sample) when the store is invalid.
    """

    def __init__(self, path: str):
        self.path = path.rstrip('/\\')
        index = osp.join(self.path, INDEX)
        if not osp.isdir(self.path):
            raise FileNotFoundError(f'skeleton store not found: {self.path}')
        if not osp.isfile(index):
            raise FileNotFoundError(f'{self.path}: no {INDEX}; not a '
                                    'skeleton store written by '
                                    'save_skeleton_store')
        meta = read_json(index)
        if not isinstance(meta, dict):
            raise ValueError(f'{index}: expected a JSON object, got '
                             f'{type(meta).__name__}')
        if meta.get('format') != FORMAT:
            raise ValueError(f'{index}: format is {meta.get("format")!r}, '
                             f'expected {FORMAT!r}')
        if meta.get('version') != VERSION:
            raise ValueError(f'{index}: version {meta.get("version")!r} is '
                             f'not supported (expected {VERSION})')
        if not isinstance(meta.get('samples'), list) or not isinstance(
                meta.get('arrays'), dict):
            raise ValueError(f'{index}: expected a samples list and an '
                             'arrays dict')
        self.split: Dict[str, list] = meta.get('split') or {}
        self.fields: Dict[str, dict] = meta['arrays']
        self.records: List[dict] = meta['samples']
        self._maps: Dict[str, np.ndarray] = {}
        self._check_records()

    def __getstate__(self):
        state = dict(self.__dict__)
        state['_maps'] = {}
        return state

    def __len__(self) -> int:
        return len(self.records)

    def flat(self, key: str) -> np.ndarray:
        """The read-only memory map of array field ``key``."""
        if key not in self._maps:
            file = osp.join(self.path, self.fields[key]['file'])
            try:
                flat = np.load(file, mmap_mode='r', allow_pickle=False)
            except (OSError, ValueError) as err:
                raise ValueError(f'{file}: not a readable .npy ({err})') \
                    from None
            expected = np.dtype(self.fields[key]['dtype'])
            if flat.ndim != 1 or flat.dtype != expected:
                raise ValueError(f'{file}: expected a 1-D {expected} array, '
                                 f'got {flat.dtype} {flat.shape}')
            self._maps[key] = flat
        return self._maps[key]

    def array(self, index: int, key: str) -> np.ndarray:
        """Sample ``index``'s ``key`` as a read-only view of the map."""
        shape, offset = self.records[index]['arrays'][key]
        size = int(np.prod(shape, dtype=np.int64))
        return self.flat(key)[offset:offset + size].reshape(shape)

    def annotation(self, index: int, with_index: bool = False) -> dict:
        """Sample ``index`` as an annotation dict (arrays are map views).

        Args:
            index (int): The sample.
            with_index (bool): Add ``store_index`` (the sample's position).
                Defaults to False.
        """
        record = self.records[index]
        anno = dict(record['values'])
        for key in record['arrays']:
            anno[key] = self.array(index, key)
        if with_index:
            anno[STORE_INDEX] = index
        return anno

    def annotations(self, with_index: bool = False) -> List[dict]:
        """Every sample as an annotation dict (see :meth:`annotation`)."""
        return [self.annotation(i, with_index) for i in range(len(self))]

    def load(self) -> dict:
        """``{'split', 'annotations'}`` as an MMAction2 skeleton pickle
        holds them, the arrays as views of the maps."""
        return dict(split=self.split, annotations=self.annotations())

    def attach(self, info: dict) -> dict:
        """Replace ``store_index`` in a data info by the sample's arrays
        (private, writable copies)."""
        index = info.pop(STORE_INDEX)
        for key in self.records[index]['arrays']:
            info[key] = np.array(self.array(index, key))
        return info

    def detach(self, info: dict) -> dict:
        """Drop the array fields from a data info (``store_index`` stays),
        so serialising it does not copy the arrays."""
        for key in self.records[info[STORE_INDEX]]['arrays']:
            info.pop(key, None)
        return info

    def nonfinite_counts(self, key: str) -> Dict[int, int]:
        """``{sample index: number of NaN/inf values}`` of a float field.

        Reads the file in chunks instead of through the map, so the scan
        leaves no pages resident in this process.
        """
        flat = self.flat(key)
        if flat.dtype.kind != 'f':
            return {}
        file = osp.join(self.path, self.fields[key]['file'])
        bad = []
        with open(file, 'rb') as f:
            for start in range(0, flat.size, CHUNK):
                count = min(CHUNK, flat.size - start)
                f.seek(flat.offset + start * flat.itemsize)
                chunk = np.fromfile(f, dtype=flat.dtype, count=count)
                if not np.isfinite(chunk).all():
                    bad.append(np.flatnonzero(~np.isfinite(chunk)) + start)
        if not bad:
            return {}
        starts = np.array([r['arrays'].get(key, [None, -1])[1]
                           for r in self.records])
        order = np.argsort(starts, kind='stable')
        owner = order[np.searchsorted(starts[order], np.concatenate(bad),
                                      side='right') - 1]
        samples, counts = np.unique(owner, return_counts=True)
        return dict(zip(samples.tolist(), counts.tolist()))

    def _check_records(self):
        where = osp.join(self.path, INDEX)
        sizes = {}
        for key, spec in self.fields.items():
            if not isinstance(spec, dict) or not isinstance(
                    spec.get('file'), str) or osp.basename(
                        spec['file']) != spec['file']:
                raise ValueError(f'{where}: arrays[{key!r}] must be '
                                 '{"file": "<name>.npy", "dtype": ...}')
            sizes[key] = None
        for index, record in enumerate(self.records):
            values = record.get('values') if isinstance(record, dict) \
                else None
            specs = record.get('arrays') if isinstance(record, dict) \
                else None
            if not isinstance(values, dict) or not isinstance(specs, dict):
                raise ValueError(f'{where}: sample #{index}: expected '
                                 'values and arrays')
            for key, spec in specs.items():
                self._check_spec(index, key, spec, values, sizes)

    def _check_spec(self, index, key, spec, values, sizes):
        name = f'{osp.join(self.path, INDEX)}: ' \
            f'{_sample_name(values, index)}: key {key!r}'
        if key not in sizes:
            raise ValueError(f'{name}: no such array field (fields: '
                             f'{sorted(sizes)})')
        ok = isinstance(spec, list) and len(spec) == 2 and isinstance(
            spec[0], list) and all(
                isinstance(n, int) and n >= 0 for n in spec[0]) and \
            isinstance(spec[1], int) and spec[1] >= 0
        if ok:
            if sizes[key] is None:
                sizes[key] = self.flat(key).size
            size = int(np.prod(spec[0], dtype=np.int64))
            ok = spec[1] + size <= sizes[key]
        if not ok:
            raise ValueError(f'{name}: expected [shape, offset] inside the '
                             f'stored array, got {spec!r}')
