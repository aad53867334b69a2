"""A folder of per-sequence files -> one validated MMAction2 skeleton pickle.

Shared by the converters of data sets that store one sequence per file
(NW-UCLA, UTD-MHAD): read every file, list all invalid ones in one error,
build the splits, validate the result and write it atomically.
"""
import os
import os.path as osp
import pickle
import re
from collections import defaultdict
from typing import Callable, Iterable, Tuple

from ...fileio import atomic_write
from ..safe_annotations import (is_safe_annotation_file,
                                save_skeleton_annotations)
from ..skeleton_store import is_skeleton_store, save_skeleton_store
from .validate import SkeletonPickleReport, validate_skeleton_pickle

MAX_LISTED = 20


def natural_key(name: str) -> list:
    """Sort key that orders ``a2_...`` before ``a10_...``."""
    return [int(t) if t.isdigit() else t for t in re.split(r'(\d+)', name)]


def read_folder(src_dir: str,
                suffix: str,
                read: Callable[[str], dict],
                split_names: Callable[[dict], Iterable[str]],
                dataset: str,
                layout: str,
                num_classes: int,
                skip_invalid: bool = False
                ) -> Tuple[dict, SkeletonPickleReport]:
    """Read the ``suffix`` files of a folder and validate the annotations.

    Args:
        src_dir (str): The folder.
        suffix (str): File suffix of the sequences (other files are
            ignored).
        read (callable): Path -> annotation; raises ValueError naming the
            file when it is invalid.
        split_names (callable): Annotation -> names of the splits that list
            it.
        dataset (str): Data set name, for messages.
        layout (str): Skeleton layout the annotations must have.
        num_classes (int): Labels are ``0..num_classes-1``.
        skip_invalid (bool): Leave out invalid files (listed in the report's
            warnings) instead of raising. Defaults to False.

    Returns:
        tuple: The pickle's dict (annotations in natural file-name order)
        and its validation report.

    Raises:
        FileNotFoundError: when the folder does not exist.
        ValueError: for a folder without ``suffix`` files, listing every
            invalid file (unless ``skip_invalid``), or when the annotations
            do not validate.
    """
    if not osp.isdir(src_dir):
        raise FileNotFoundError(f'{dataset} folder not found: {src_dir}')
    files = sorted((f for f in os.listdir(src_dir) if f.endswith(suffix)),
                   key=natural_key)
    if not files:
        raise ValueError(f'{src_dir}: no {suffix} files')
    annotations, problems = [], []
    for name in files:
        try:
            annotations.append(read(osp.join(src_dir, name)))
        except ValueError as err:
            problems.append(str(err))
    if problems and not skip_invalid:
        listed = '\n  '.join(problems[:MAX_LISTED])
        more = len(problems) - MAX_LISTED
        tail = f'\n  ... and {more} more' if more > 0 else ''
        raise ValueError(f'{src_dir}: {len(problems)} invalid files:\n  '
                         f'{listed}{tail}')
    splits = defaultdict(list)
    for anno in annotations:
        for split in split_names(anno):
            splits[split].append(anno['frame_dir'])
    data = dict(split=dict(sorted(splits.items())), annotations=annotations)
    report = validate_skeleton_pickle(
        data, layout=layout, num_classes=num_classes)
    report.source = src_dir
    report.warnings += [f'skipped: {p}' for p in problems]
    if not report.ok:
        raise ValueError(report.format())
    return data, report


def write_skeleton_file(data: dict, out_file: str) -> None:
    """Write annotations atomically: a pickle, ``.npz``/``.json``
    (loadable without pickle, see :mod:`..safe_annotations`) or a ``.store``
    folder (memory-mapped, see :mod:`..skeleton_store`)."""
    if is_skeleton_store(out_file):
        save_skeleton_store(data, out_file)
    elif is_safe_annotation_file(out_file):
        save_skeleton_annotations(data, out_file)
    else:
        with atomic_write(out_file, 'wb') as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
