"""Skeleton dataset restricted to one subset of a one-shot protocol."""
import os.path as osp
from collections import Counter, defaultdict
from typing import Callable, Dict, List, Optional, Sequence, Union

from mmengine.logging import MMLogger

from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS
from ..skeleton import get_layout
from .protocols import get_protocol
from .safe_annotations import load_annotation_file
from .skeleton_checks import annotation_problems, label_problem
from .skeleton_store import STORE_INDEX, SkeletonStore, is_skeleton_store

MAX_REPORTED = 10


def load_class_names(class_names, protocol) -> List[str]:
    """One name per label of ``protocol``.

    Args:
        class_names (Sequence[str] | str | None): Names, a text file with
            one name per line, or None for the protocol's names (the label
            as text when it has none).
        protocol (OneShotProtocol): The protocol.
    """
    source = 'class_names'
    if class_names is None:
        if protocol.class_names is None:
            return [str(c) for c in range(protocol.num_classes)]
        return list(protocol.class_names)
    if isinstance(class_names, str):
        if not osp.isfile(class_names):
            raise FileNotFoundError(
                f'class_names file not found: {class_names}')
        source = class_names
        with open(class_names, encoding='utf-8') as f:
            class_names = [line.strip() for line in f if line.strip()]
    class_names = list(class_names)
    if len(class_names) != protocol.num_classes:
        raise ValueError(
            f'{source}: {len(class_names)} class names, but protocol '
            f'{protocol.name!r} has num_classes={protocol.num_classes}; give '
            'one name per label')
    return [str(name) for name in class_names]


@DATASETS.register_module()
class OneShotPoseDataset(PoseDataset):
    """The base, novel or dev classes of a one-shot protocol.

    Keeps the samples of the subset's classes from *all* annotations of the
    pickle (one-shot protocols ignore xsub/xset; ``split`` still narrows the
    samples when given), relabels them ``0..K-1`` in ascending order of the
    original labels and adds to every sample ``original_label`` and
    ``is_exemplar`` (True for the single support sample of a novel or dev
    class). ``metainfo['classes']`` holds the class names and
    ``metainfo['original_labels']`` the original labels, both in the new
    label order.

    Everything is validated at construction; errors name the file, the
    sample (``frame_dir``) and the key: keypoint shape ``(M, T, V, C)`` with
    ``V`` the layout's joints, NaN/inf coordinates, zero-length sequences,
    labels outside the class list, a base class without samples, an exemplar
    missing from the pickle, a novel/dev class without queries.

    To carry the exemplar flag into the data samples (as
    :class:`OneShotMetric` needs), pack with
    ``dict(type='PackActionInputs', algorithm_keys=('is_exemplar', ))``.
    Subclasses add per-sample fields by extending :meth:`parse_data_info`.

    Args:
        ann_file (str): MMAction2 skeleton pickle (trusted input: unpickling
            runs code), or the same annotations as ``.npz``/``.json``, read
            without pickle (see :mod:`.safe_annotations`), or a ``.store``
            folder, memory-mapped: the samples' arrays stay in the page
            cache, shared by ranks and workers, and are copied per sample in
            :meth:`get_data_info` (see :mod:`.skeleton_store`).
        pipeline (list[dict | callable]): Data transforms.
        protocol (str | dict | OneShotProtocol): See
            :func:`~crossglg_mmaction.datasets.protocols.get_protocol`.
        subset (str): ``'base'``, ``'novel'`` or ``'dev'``. Defaults to
            'base'.
        num_base_classes (int, optional): Base set size: the first N
            auxiliary classes. Defaults to None (all of them).
        base_classes (Sequence[int], optional): Explicit base labels instead
            of the first N. Defaults to None.
        holdout_dev (bool): Remove the protocol's dev classes from the base
            set (for validating on them). Defaults to False.
        layout (str): Skeleton layout; must match the protocol's.
            Defaults to 'ntu25'.
        class_names (Sequence[str] | str, optional): One name per original
            label, as a list or a text file with one name per line.
            Defaults to None (the protocol's names, else the labels).
        **kwargs: Passed to :class:`mmaction.datasets.PoseDataset` (e.g.
            ``split``, ``test_mode``, ``metainfo``).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[dict, Callable]],
                 protocol,
                 subset: str = 'base',
                 num_base_classes: Optional[int] = None,
                 base_classes: Optional[Sequence[int]] = None,
                 holdout_dev: bool = False,
                 layout: str = 'ntu25',
                 class_names: Union[Sequence[str], str, None] = None,
                 **kwargs) -> None:
        self.protocol = get_protocol(protocol)
        self.layout = get_layout(layout)
        if self.layout.name != self.protocol.layout:
            raise ValueError(
                f'OneShotPoseDataset: layout {self.layout.name!r} does not '
                f'match the layout {self.protocol.layout!r} of protocol '
                f'{self.protocol.name!r} ({self.protocol.source})')
        self.subset = subset
        self.original_labels = tuple(
            self.protocol.subset_classes(subset, num_base_classes,
                                         base_classes, holdout_dev))
        self.label_map = {
            original: label
            for label, original in enumerate(self.original_labels)
        }
        self.class_names = load_class_names(class_names, self.protocol)
        self.exemplars: Dict[int, str] = {}
        self.store: Optional[SkeletonStore] = None
        metainfo = dict(kwargs.pop('metainfo', None) or {})
        metainfo.update(
            classes=tuple(self.class_names[c] for c in self.original_labels),
            original_labels=self.original_labels)
        super().__init__(ann_file, pipeline, metainfo=metainfo, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Load, validate and relabel the subset's samples."""
        annotations = self._load_annotations()
        self._check(
            (anno, label_problem(anno, self.protocol.num_classes))
            for anno in annotations)
        kept = [a for a in annotations if a['label'] in self.label_map]
        self._check((anno, '; '.join(
            annotation_problems(anno, self.layout.num_joints,
                                self.protocol.num_classes,
                                check_values=self.store is None)))
                    for anno in kept)
        if self.store is not None:
            self._check_store_values(kept)
        repeated = sorted(
            d for d, n in Counter(a['frame_dir'] for a in kept).items()
            if n > 1)
        if repeated:
            raise ValueError(f'{self.ann_file}: frame_dir repeated in '
                             f'several samples: {repeated[:MAX_REPORTED]}')
        self.exemplars = self._resolve_exemplars(annotations, kept)
        self._check_coverage(kept)
        MMLogger.get_current_instance().info(
            f'OneShotPoseDataset: protocol {self.protocol.name!r}, subset '
            f'{self.subset!r}: {len(self.original_labels)} classes, '
            f'{len(kept)} samples ({len(self.exemplars)} exemplars)')
        infos = [self.parse_data_info(anno) for anno in kept]
        if self.store is not None:
            infos = [self.store.detach(info) for info in infos]
        return infos

    def parse_data_info(self, raw_data_info: dict) -> dict:
        """Build one sample's data info; subclasses extend it.

        Args:
            raw_data_info (dict): One annotation of the pickle.

        Returns:
            dict: The annotation with ``label`` remapped to ``0..K-1`` and
            ``original_label`` and ``is_exemplar`` added.
        """
        info = dict(raw_data_info)
        original = int(info['label'])
        info['original_label'] = original
        info['label'] = self.label_map[original]
        info['is_exemplar'] = bool(
            self.exemplars.get(original) == info['frame_dir'])
        return info

    def get_data_info(self, idx: int) -> dict:
        """Sample ``idx``; from a ``.store``, with its arrays copied from
        the memory map."""
        info = super().get_data_info(idx)
        if self.store is not None:
            self.store.attach(info)
        return info

    def get_cat_ids(self, idx: int) -> List[int]:
        """The (remapped) label of sample ``idx`` as a list."""
        return [int(super().get_data_info(idx)['label'])]  # no arrays

    def _load_annotations(self) -> List[dict]:
        if is_skeleton_store(self.ann_file):
            self.store = SkeletonStore(self.ann_file)
            data = dict(split=self.store.split,
                        annotations=self.store.annotations(with_index=True))
        else:
            data = load_annotation_file(self.ann_file)
        if not isinstance(data, dict) or not isinstance(
                data.get('annotations'), list):
            raise ValueError(f'{self.ann_file}: expected a dict with an '
                             "'annotations' list (MMAction2 skeleton "
                             'format)')
        annotations = data['annotations']
        if self.split is not None:
            splits = data.get('split') or {}
            if self.split not in splits:
                raise ValueError(f'{self.ann_file}: split {self.split!r} '
                                 f'not found; splits: {sorted(splits)}')
            names = set(splits[self.split])
            annotations = [
                a for a in annotations
                if isinstance(a, dict) and a.get('frame_dir') in names
            ]
        return annotations

    def _check_store_values(self, kept):
        """NaN/inf keypoints of the kept samples, scanned in the file."""
        counts = self.store.nonfinite_counts('keypoint') \
            if 'keypoint' in self.store.fields else {}
        self._check(
            (anno, f"key 'keypoint': {counts[anno[STORE_INDEX]]} NaN/inf "
             'coordinates') for anno in kept if anno[STORE_INDEX] in counts)

    def _check(self, annotations_and_problems):
        """Raise one error listing the samples that have a problem."""
        errors = [
            f'sample {self._name(anno)}: {problem}'
            for anno, problem in annotations_and_problems if problem
        ]
        if errors:
            more = len(errors) - MAX_REPORTED
            tail = f'\n  ... and {more} more' if more > 0 else ''
            raise ValueError(f'{self.ann_file}: {len(errors)} invalid '
                             'samples:\n  ' +
                             '\n  '.join(errors[:MAX_REPORTED]) + tail)

    @staticmethod
    def _name(anno) -> str:
        if isinstance(anno, dict) and 'frame_dir' in anno:
            return repr(anno['frame_dir'])
        return '<no frame_dir>'

    def _describe(self, label: int) -> str:
        return f'{label} ({self.class_names[label]})'

    def _resolve_exemplars(self, annotations, kept) -> Dict[int, str]:
        """Original label -> exemplar frame_dir of a novel/dev subset."""
        if self.subset == 'base':
            return {}
        listed = self.protocol.subset_exemplars(self.subset)
        by_name = {a.get('frame_dir'): a for a in annotations}
        by_label = defaultdict(list)
        for anno in kept:
            by_label[anno['label']].append(anno['frame_dir'])
        where = '' if self.split is None else f' (split {self.split!r})'
        exemplars = {}
        for label in self.original_labels:
            if label not in listed:  # the protocol's exemplar_rule 'first'
                if by_label[label]:
                    exemplars[label] = min(by_label[label])
                continue
            frame_dir = listed[label]
            if frame_dir not in by_name:
                raise ValueError(
                    f'{self.ann_file}{where}: exemplar {frame_dir!r} of '
                    f'{self.subset} class {self._describe(label)} '
                    f'(protocol {self.protocol.name!r}) is missing')
            if by_name[frame_dir]['label'] != label:
                raise ValueError(
                    f'{self.ann_file}: exemplar {frame_dir!r} of class '
                    f'{self._describe(label)} has label '
                    f"{by_name[frame_dir]['label']}")
            exemplars[label] = frame_dir
        return exemplars

    def _check_coverage(self, kept):
        counts = Counter(a['label'] for a in kept)
        empty = [c for c in self.original_labels if counts[c] == 0]
        if self.subset == 'base':
            if empty:
                raise ValueError(
                    f'{self.ann_file}: base classes without samples: ' +
                    ', '.join(self._describe(c) for c in empty))
            return
        no_query = [
            c for c in self.original_labels
            if counts[c] - (c in self.exemplars) <= 0
        ]
        if no_query:
            raise ValueError(
                f'{self.ann_file}: {self.subset} classes without queries '
                '(samples other than the exemplar): ' +
                ', '.join(self._describe(c) for c in no_query))
