"""Validation of any MMAction2 skeleton pickle, with a readable report."""
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Union

import numpy as np

from ...skeleton import get_layout
from ..safe_annotations import load_annotation_file
from ..skeleton_checks import annotation_problems

MAX_LISTED = 20


@dataclass
class SkeletonPickleReport:
    """What :func:`validate_skeleton_pickle` found.

    Args:
        source (str): The file (or '<data>').
        errors (list[str]): Problems that make the file unusable.
        warnings (list[str]): Things to know (duplicates, short sequences).
        stats (dict): Counts: samples, labels, splits, frames, persons, V.
        duplicates (list[list[str]]): Groups of frame_dirs whose keypoints
            are identical.
    """
    source: str
    errors: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    stats: Dict = field(default_factory=dict)
    duplicates: List[List[str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def format(self) -> str:
        """The report as text."""
        lines = [f'{self.source}: {"OK" if self.ok else "INVALID"}']
        lines += [f'  {k}: {v}' for k, v in self.stats.items()]
        for title, items in (('errors', self.errors),
                             ('warnings', self.warnings)):
            if items:
                lines.append(f'  {len(items)} {title}:')
                lines += [f'    - {item}' for item in items[:MAX_LISTED]]
                if len(items) > MAX_LISTED:
                    lines.append(f'    ... and {len(items) - MAX_LISTED} '
                                 'more')
        return '\n'.join(lines)


def keypoint_digest(keypoint: np.ndarray) -> str:
    """sha1 of a keypoint array's dtype, shape and bytes."""
    array = np.ascontiguousarray(keypoint)
    digest = hashlib.sha1(f'{array.dtype.str}{array.shape}'.encode())
    digest.update(array.tobytes())
    return digest.hexdigest()


def find_duplicates(annotations: List[dict]) -> List[List[str]]:
    """Groups (sorted) of frame_dirs whose keypoints are identical."""
    groups = defaultdict(list)
    for anno in annotations:
        if isinstance(anno.get('keypoint'), np.ndarray):
            groups[keypoint_digest(anno['keypoint'])].append(
                str(anno.get('frame_dir')))
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def validate_skeleton_pickle(source: Union[str, dict],
                             layout: Optional[str] = None,
                             num_classes: Optional[int] = None,
                             check_duplicates: bool = True
                             ) -> SkeletonPickleReport:
    """Check an MMAction2 skeleton pickle (or its loaded dict).

    Errors: not a dict with an ``annotations`` list; an annotation with a
    missing key, a keypoint not ``(M, T, V, C)`` (V from ``layout``, else
    the same in every sample), NaN/inf, no person or no frame, a bad
    ``total_frames`` or a label outside ``0..num_classes-1``; repeated
    ``frame_dir``; a split naming unknown samples. Warnings: samples with
    identical keypoints, single-frame sequences, ``total_frames`` below T,
    classes without samples.

    Args:
        source (str | dict): Pickle (or ``.npz``/``.json``, see
            :mod:`..safe_annotations`) path or the loaded data.
        layout (str, optional): Expected layout. Defaults to None.
        num_classes (int, optional): Number of classes. Defaults to None.
        check_duplicates (bool): Hash keypoints to find identical samples.
            Defaults to True.

    Returns:
        SkeletonPickleReport: The report (``report.ok`` when no error).
    """
    name = source if isinstance(source, str) else '<data>'
    report = SkeletonPickleReport(name)
    if isinstance(source, str):
        try:
            source = load_annotation_file(source)
        except (ValueError, FileNotFoundError) as err:
            report.errors.append(f'cannot load: {err}')
            return report
    if not isinstance(source, dict) or not isinstance(
            source.get('annotations'), list):
        report.errors.append("expected a dict with an 'annotations' list "
                             '(MMAction2 skeleton format)')
        return report
    annotations = source['annotations']
    num_joints = get_layout(layout).num_joints if layout else None
    for i, anno in enumerate(annotations):
        who = anno.get('frame_dir', f'#{i}') if isinstance(anno,
                                                           dict) else f'#{i}'
        report.errors += [
            f'sample {who!r}: {problem}'
            for problem in annotation_problems(anno, num_joints, num_classes)
        ]
    valid = [
        a for a in annotations
        if isinstance(a, dict) and isinstance(a.get('keypoint'), np.ndarray)
        and a['keypoint'].ndim == 4
    ]
    _check_consistency(report, valid, num_joints)
    _check_names_and_splits(report, annotations, source.get('split'))
    _describe(report, annotations, valid, source.get('split'), num_classes)
    if check_duplicates:
        report.duplicates = find_duplicates(valid)
        if report.duplicates:
            pairs = ', '.join(' = '.join(g)
                              for g in report.duplicates[:MAX_LISTED])
            report.warnings.append(
                f'{len(report.duplicates)} groups of samples have identical '
                f'keypoints (keep each group on one side of a support/query '
                f'or train/test split): {pairs}')
    return report


def _check_consistency(report, valid, num_joints):
    joints = Counter(a['keypoint'].shape[2] for a in valid)
    if num_joints is None and len(joints) > 1:
        report.errors.append(f'samples disagree on the number of joints V: '
                             f'{dict(joints)}')
    single = [a['frame_dir'] for a in valid if a['keypoint'].shape[1] == 1]
    if single:
        report.warnings.append(f'{len(single)} single-frame sequences: '
                               f'{single[:MAX_LISTED]}')
    short = [
        a['frame_dir'] for a in valid
        if isinstance(a.get('total_frames'), (int, np.integer))
        and 0 < a['total_frames'] < a['keypoint'].shape[1]
    ]
    if short:
        report.warnings.append(f'{len(short)} samples use fewer frames '
                               f'(total_frames) than they hold: '
                               f'{short[:MAX_LISTED]}')


def _check_names_and_splits(report, annotations, splits):
    names = [a.get('frame_dir') for a in annotations if isinstance(a, dict)]
    repeated = sorted(str(n) for n, c in Counter(names).items() if c > 1)
    if repeated:
        report.errors.append(f'frame_dir repeated in several samples: '
                             f'{repeated[:MAX_LISTED]}')
    if splits is None:
        return
    if not isinstance(splits, dict):
        report.errors.append(f"'split' must be a dict of lists, got "
                             f'{type(splits).__name__}')
        return
    known = set(names)
    for split, members in splits.items():
        if not isinstance(members, (list, tuple)):
            report.errors.append(f'split {split!r}: expected a list')
            continue
        unknown = [m for m in members if m not in known]
        if unknown:
            report.errors.append(f'split {split!r}: {len(unknown)} names '
                                 f'not in annotations: '
                                 f'{unknown[:MAX_LISTED]}')


def _describe(report, annotations, valid, splits, num_classes):
    labels = Counter(
        int(a['label']) for a in annotations
        if isinstance(a, dict) and isinstance(a.get('label'),
                                              (int, np.integer)))
    frames = [a['keypoint'].shape[1] for a in valid]
    sizes = {
        k: len(v)
        for k, v in (splits or {}).items() if isinstance(v, (list, tuple))
    } if isinstance(splits, dict) else {}
    report.stats.update(
        samples=len(annotations),
        classes=len(labels),
        labels=f'{min(labels)}..{max(labels)}' if labels else '-',
        splits=sizes,
        frames=(f'{min(frames)}..{max(frames)} (mean '
                f'{np.mean(frames):.1f})') if frames else '-',
        persons=sorted({a['keypoint'].shape[0] for a in valid}),
        joints=sorted({a['keypoint'].shape[2] for a in valid}),
        dtypes=sorted({str(a['keypoint'].dtype) for a in valid}))
    if num_classes is not None:
        empty = [c for c in range(num_classes) if c not in labels]
        if empty:
            report.warnings.append(f'{len(empty)} classes have no sample: '
                                   f'{empty[:MAX_LISTED]}')


def load_validated(path: str, out: str, layout: Optional[str] = None,
                   num_classes: Optional[int] = None) -> dict:
    """Load an annotation file for conversion to ``out``; refuse it (naming
    ``out`` as not written) when :func:`validate_skeleton_pickle` finds
    errors."""
    data = load_annotation_file(path)
    report = validate_skeleton_pickle(data, layout, num_classes,
                                      check_duplicates=False)
    report.source = path
    if not report.ok:
        raise ValueError(f'not converted, {out} is not written:\n'
                         f'{report.format()}')
    return data
