"""Checks of MMAction2 skeleton annotations, shared by datasets and tools.

An annotation is one dict of a skeleton pickle's ``annotations`` list:
``frame_dir`` (str), ``label`` (int), ``keypoint`` (M, T, V, C) and
``total_frames`` (int), optionally ``keypoint_score`` (M, T, V).
"""
from typing import List, Optional

import numpy as np

REQUIRED_KEYS = ('frame_dir', 'label', 'keypoint', 'total_frames')
COORDINATES = (2, 3)


def is_integer(value) -> bool:
    """True for Python and numpy integers (not bools)."""
    return isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.bool_))


def label_problem(anno: dict, num_classes: Optional[int] = None):
    """The problem with an annotation's ``label``, or None."""
    if not isinstance(anno, dict):
        return f'expected a dict, got {type(anno).__name__}'
    if 'label' not in anno:
        return "missing key 'label'"
    label = anno['label']
    if not is_integer(label):
        return f"key 'label': expected an integer, got {label!r}"
    if label < 0 or (num_classes is not None and label >= num_classes):
        upper = '' if num_classes is None else f'..{num_classes - 1}'
        return f"key 'label': {label} is outside the class list (0{upper})"
    return None


def annotation_problems(anno,
                        num_joints: Optional[int] = None,
                        num_classes: Optional[int] = None,
                        check_values: bool = True) -> List[str]:
    """Everything wrong with one skeleton annotation.

    Args:
        anno (dict): The annotation.
        num_joints (int, optional): Expected V (the layout's joints).
            Defaults to None (not checked).
        num_classes (int, optional): Labels must be below it. Defaults to
            None (only non-negative).
        check_values (bool): Also look for NaN/inf coordinates (reads every
            value). Defaults to True.

    Returns:
        list[str]: Messages of the form ``"key 'keypoint': ..."``; empty when
        the annotation is valid.
    """
    if not isinstance(anno, dict):
        return [f'expected a dict, got {type(anno).__name__}']
    problems = [f'missing key {key!r}' for key in REQUIRED_KEYS
                if key not in anno and key != 'label']
    frame_dir = anno.get('frame_dir')
    if 'frame_dir' in anno and (not isinstance(frame_dir, str)
                                or not frame_dir):
        problems.append(f"key 'frame_dir': expected a non-empty string, "
                        f'got {frame_dir!r}')
    label = label_problem(anno, num_classes)
    if label:
        problems.append(label)
    if 'keypoint' in anno:
        problems += _keypoint_problems(anno, num_joints, check_values)
    return problems


def _keypoint_problems(anno, num_joints, check_values):
    keypoint = anno['keypoint']
    if not isinstance(keypoint, np.ndarray):
        return [f"key 'keypoint': expected a numpy array, got "
                f'{type(keypoint).__name__}']
    v = 'V' if num_joints is None else num_joints
    expected = f'(M, T, {v}, C) with C in {COORDINATES}'
    if keypoint.ndim != 4:
        return [f"key 'keypoint': expected shape {expected}, got "
                f'{keypoint.shape}']
    m, t, joints, c = keypoint.shape
    problems = []
    if (num_joints is not None and joints != num_joints) or \
            c not in COORDINATES:
        problems.append(f"key 'keypoint': expected shape {expected}, got "
                        f'{keypoint.shape}')
    if m == 0:
        problems.append(f"key 'keypoint': no person (M=0, shape "
                        f'{keypoint.shape})')
    if t == 0:
        problems.append(f"key 'keypoint': zero-length sequence (T=0, shape "
                        f'{keypoint.shape})')
    if not np.issubdtype(keypoint.dtype, np.floating):
        problems.append(f"key 'keypoint': expected floats, got dtype "
                        f'{keypoint.dtype}')
    elif check_values and keypoint.size and not np.isfinite(keypoint).all():
        bad = ~np.isfinite(keypoint)
        frames = sorted(set(np.nonzero(bad)[1].tolist()))
        problems.append(f"key 'keypoint': {int(bad.sum())} NaN/inf "
                        f'coordinates (frames {frames[:10]})')
    if 'total_frames' in anno:
        total = anno['total_frames']
        if not is_integer(total) or total <= 0:
            problems.append(f"key 'total_frames': expected a positive "
                            f'integer, got {total!r} (zero-length sequence)')
        elif total > t:
            problems.append(f"key 'total_frames': {total} exceeds the "
                            f"{t} frames of 'keypoint'")
    if 'keypoint_score' in anno:
        score = np.asarray(anno['keypoint_score'])
        if score.shape != keypoint.shape[:3]:
            problems.append(f"key 'keypoint_score': expected shape "
                            f'{keypoint.shape[:3]}, got {score.shape}')
    return problems
