"""UTD-MHAD skeleton ``.mat`` files -> an MMAction2 skeleton pickle.

The input is the data set's ``Skeleton`` folder: one
``a{A}_s{S}_t{T}_skeleton.mat`` per sequence (action 1..27, subject 1..8,
trial 1..4), each a MATLAB file whose ``d_skel`` variable is a
``20 x 3 x T`` array (Kinect v1 joints x xyz x frames, metres). UTD lists
joints 1-4 as head, shoulder centre, spine, hip centre, the reverse of the
``kinect_v1_20`` layout (NW-UCLA's); the converter reorders them so both data
sets share one layout. The pickle has one annotation per file: ``frame_dir``
``a{A}_s{S}_t{T}``, ``label`` A - 1, ``keypoint`` (1, T, 20, 3) float32,
``total_frames``, ``subject`` and ``trial``; and splits ``all`` and the data
set's cross-subject protocol, ``xsub_train`` (subjects 1, 3, 5, 7) and
``xsub_val`` (subjects 2, 4, 6, 8).
"""
import os.path as osp
import re
from collections import Counter
from itertools import product
from typing import Optional, Tuple

import numpy as np
from scipy.io import loadmat

from .folder import MAX_LISTED, read_folder, write_skeleton_file
from .validate import SkeletonPickleReport

NUM_CLASSES = 27
NUM_SUBJECTS = 8
NUM_TRIALS = 4
NUM_JOINTS = 20
KEY = 'd_skel'
# kinect_v1_20 joint j is UTD joint UTD_TO_KINECT_V1[j] (both 0-based).
UTD_TO_KINECT_V1 = (3, 2, 1, 0) + tuple(range(4, NUM_JOINTS))
FILE_PATTERN = re.compile(
    r'^a([1-9]\d*)_s([1-9]\d*)_t([1-9]\d*)_skeleton\.mat$')


def take_name(action: int, subject: int, trial: int) -> str:
    """The ``frame_dir`` of a take: ``a{A}_s{S}_t{T}``."""
    return f'a{action}_s{subject}_t{trial}'


def read_mat_sequence(path: str) -> dict:
    """One UTD-MHAD ``.mat`` file as an annotation; ValueError naming it."""
    match = FILE_PATTERN.match(osp.basename(path))
    if not match:
        raise ValueError(f'{path}: file name is not '
                         'a{A}_s{S}_t{T}_skeleton.mat')
    action, subject, trial = (int(g) for g in match.groups())
    if action > NUM_CLASSES:
        raise ValueError(f'{path}: action a{action} is outside '
                         f'a1..a{NUM_CLASSES}')
    try:
        mat = loadmat(path)
    except Exception as err:  # scipy's parser fails in many ways on damage
        raise ValueError(f'{path}: not a readable MATLAB file '
                         f'({type(err).__name__}: {err})') from None
    expected = (f'a {NUM_JOINTS} x 3 x T array of joints x xyz x frames '
                '(the UTD-MHAD skeleton)')
    if KEY not in mat:
        found = sorted(k for k in mat if not k.startswith('__'))
        raise ValueError(f'{path}: missing key {KEY!r} (variables: '
                         f'{found}); expected {expected}')
    skeleton = mat[KEY]
    if not isinstance(skeleton, np.ndarray) or skeleton.dtype.kind not in \
            'iuf':
        kind = getattr(skeleton, 'dtype', type(skeleton).__name__)
        raise ValueError(f'{path}: key {KEY!r}: {kind} values; expected '
                         f'{expected}')
    if skeleton.ndim == 2:  # MATLAB drops the trailing dimension when T = 1
        skeleton = skeleton[..., None]
    if skeleton.ndim != 3 or skeleton.shape[:2] != (NUM_JOINTS, 3) or \
            skeleton.shape[2] == 0:
        raise ValueError(f'{path}: key {KEY!r}: shape {mat[KEY].shape}; '
                         f'expected {expected} with T >= 1')
    keypoint = skeleton.transpose(2, 0, 1)[:, UTD_TO_KINECT_V1]
    with np.errstate(over='ignore'):  # beyond float32: inf, reported below
        keypoint = keypoint[None].astype(np.float32)
    if not np.isfinite(keypoint).all():
        bad = sorted(set(np.nonzero(~np.isfinite(keypoint))[1].tolist()))
        raise ValueError(f'{path}: key {KEY!r}: NaN/inf coordinates in '
                         f'frames {bad[:10]}')
    return dict(
        frame_dir=take_name(action, subject, trial),
        label=action - 1,
        keypoint=keypoint,
        total_frames=keypoint.shape[1],
        subject=subject,
        trial=trial)


def cross_subject_splits(anno: dict) -> Tuple[str, str]:
    """``all`` and ``xsub_train`` (odd subjects) or ``xsub_val`` (even)."""
    return 'all', 'xsub_train' if anno['subject'] % 2 else 'xsub_val'


def convert_utdmhad(src_dir: str,
                    out_file: Optional[str] = None,
                    skip_invalid: bool = False
                    ) -> Tuple[dict, SkeletonPickleReport]:
    """Convert the UTD-MHAD ``Skeleton`` folder and validate the result.

    Besides the validation (frames, duplicates, ...), the report's stats
    hold the samples per label (``per_class``) and the number of takes of
    the full 27 x 8 x 4 grid that are absent (``absent_takes``; listed in
    the warnings).

    Args:
        src_dir (str): Folder with the ``.mat`` files (other files are
            ignored).
        out_file (str, optional): Pickle to write (atomically), or a
            ``.npz``/``.json`` file that loads without pickle. Defaults to
            None (not written).
        skip_invalid (bool): Leave out invalid files (listed in the report's
            warnings) instead of raising. Defaults to False.

    Returns:
        tuple: The pickle's dict and its validation report.

    Raises:
        ValueError: listing every invalid file (unless ``skip_invalid``);
            nothing is written then.
    """
    data, report = read_folder(src_dir, '.mat', read_mat_sequence,
                               cross_subject_splits, 'UTD-MHAD',
                               'kinect_v1_20', NUM_CLASSES, skip_invalid)
    annotations = data['annotations']
    present = {a['frame_dir'] for a in annotations}
    grid = product(range(1, NUM_CLASSES + 1), range(1, NUM_SUBJECTS + 1),
                   range(1, NUM_TRIALS + 1))
    absent = [take_name(*take) for take in grid
              if take_name(*take) not in present]
    report.stats['per_class'] = dict(
        sorted(Counter(a['label'] for a in annotations).items()))
    report.stats['absent_takes'] = len(absent)
    if absent:
        more = len(absent) - MAX_LISTED
        tail = f' ... and {more} more' if more > 0 else ''
        report.warnings.append(
            f'{len(absent)} of the {NUM_CLASSES * NUM_SUBJECTS * NUM_TRIALS}'
            f' takes (actions x subjects x trials) are absent: '
            f'{", ".join(absent[:MAX_LISTED])}{tail}')
    if out_file is not None:
        write_skeleton_file(data, out_file)
    return data, report
