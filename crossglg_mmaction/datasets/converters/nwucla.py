"""NW-UCLA per-sequence JSON files -> an MMAction2 skeleton pickle.

The input is the folder layout used by CTR-GCN-style code (``all_sqe``):
one ``aAA_sSS_eEE_vVV.json`` per sequence (action, subject, take, camera
view) holding ``{"file_name": str, "skeletons": [T][20][3], "label": 1..10}``
(Kinect v1 joints, metres). The pickle has one annotation per file:
``frame_dir`` (the file stem), ``label`` (0-based), ``keypoint`` (1, T, 20, 3)
float32, ``total_frames``, ``subject``, ``take`` and ``view``; and splits
``all`` and ``view1``, ``view2``, ``view3``.
"""
import json
import os.path as osp
import re
from functools import partial
from typing import Optional, Tuple

import numpy as np

from .folder import read_folder, write_skeleton_file
from .validate import SkeletonPickleReport

NUM_JOINTS = 20
NUM_CLASSES = 10
# The file's action code -> the 1-based label (NW-UCLA has no a07, a10).
ACTION_LABELS = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 8: 7, 9: 8, 11: 9, 12: 10}
FILE_PATTERN = re.compile(r'^a(\d+)_s(\d+)_e(\d+)_v(\d+)$')


def read_sequence(path: str, num_classes: int = NUM_CLASSES) -> dict:
    """One NW-UCLA JSON file as an annotation; ValueError naming the file."""
    stem = osp.splitext(osp.basename(path))[0]
    match = FILE_PATTERN.match(stem)
    if not match:
        raise ValueError(f'{path}: file name is not aAA_sSS_eEE_vVV.json')
    action, subject, take, view = (int(g) for g in match.groups())
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f'{path}: not readable JSON: {err}') from None
    missing = [k for k in ('skeletons', 'label')
               if not isinstance(data, dict) or k not in data]
    if missing:
        raise ValueError(f'{path}: missing keys {missing}')
    label = data['label']
    if isinstance(label, bool) or not isinstance(
            label, int) or not 1 <= label <= num_classes:
        raise ValueError(f"{path}: key 'label': {label!r} is outside "
                         f'1..{num_classes}')
    if ACTION_LABELS.get(action, label) != label:
        raise ValueError(f"{path}: key 'label': {label} does not match "
                         f'action a{action:02d} (label '
                         f'{ACTION_LABELS[action]})')
    if data.get('file_name', stem) != stem:
        raise ValueError(f"{path}: key 'file_name': {data['file_name']!r} "
                         'differs from the file stem')
    frames = data['skeletons']
    if not isinstance(frames, list) or not frames:
        raise ValueError(f"{path}: key 'skeletons': empty sequence (T=0)")
    for t, frame in enumerate(frames):
        if not isinstance(frame, list) or len(frame) != NUM_JOINTS or any(
                not isinstance(j, list) or len(j) != 3 for j in frame):
            count = len(frame) if isinstance(frame, list) else frame
            raise ValueError(f"{path}: key 'skeletons': frame {t} has "
                             f'{count!r} joints, expected {NUM_JOINTS} '
                             'joints of 3 coordinates')
    try:
        keypoint = np.asarray(frames, dtype=np.float32)[None]
    except (TypeError, ValueError) as err:
        raise ValueError(f"{path}: key 'skeletons': not numbers: {err}") \
            from None
    if not np.isfinite(keypoint).all():
        bad = sorted(set(np.nonzero(~np.isfinite(keypoint))[1].tolist()))
        raise ValueError(f"{path}: key 'skeletons': NaN/inf coordinates in "
                         f'frames {bad[:10]}')
    return dict(
        frame_dir=stem,
        label=label - 1,
        keypoint=keypoint,
        total_frames=keypoint.shape[1],
        subject=subject,
        take=take,
        view=view)


def view_splits(anno: dict) -> Tuple[str, str]:
    """The splits listing a sequence: ``all`` and its camera view's."""
    return 'all', f"view{anno['view']}"


def convert_nwucla(src_dir: str,
                   out_file: Optional[str] = None,
                   num_classes: int = NUM_CLASSES,
                   skip_invalid: bool = False
                   ) -> Tuple[dict, SkeletonPickleReport]:
    """Convert a folder of NW-UCLA JSON files and validate the result.

    Args:
        src_dir (str): Folder with the ``.json`` sequences.
        out_file (str, optional): Pickle to write (atomically), or a
            ``.npz``/``.json`` file that loads without pickle. Defaults to
            None (not written).
        num_classes (int): Labels in the files are 1..num_classes.
            Defaults to 10.
        skip_invalid (bool): Leave out invalid files (listed in the report's
            warnings) instead of raising. Defaults to False.

    Returns:
        tuple: The pickle's dict and its validation report (duplicates,
        single-frame sequences and skipped files among its warnings).

    Raises:
        ValueError: listing every invalid file (unless ``skip_invalid``).
    """
    data, report = read_folder(
        src_dir, '.json', partial(read_sequence, num_classes=num_classes),
        view_splits, 'NW-UCLA', 'kinect_v1_20', num_classes, skip_invalid)
    if out_file is not None:
        write_skeleton_file(data, out_file)
    return data, report
