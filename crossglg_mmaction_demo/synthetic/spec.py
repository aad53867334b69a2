"""What a synthetic data set holds: options, sample ids and protocol."""
from dataclasses import dataclass
from typing import Tuple

import numpy as np

from .body import LAYOUT
from .classes import DEFAULT_NUM_CLASSES, DEFAULT_NUM_NOVEL, MAX_CLASSES, \
    class_catalog

MIN_FRAMES = 16
MAX_FRAMES = 1000
EXEMPLAR_SUBJECT, EXEMPLAR_TAKE = 1, 0


@dataclass(frozen=True)
class SyntheticSpec:
    """What to generate.

    Args:
        num_classes (int): Number of classes (see
            :func:`~.classes.class_catalog`). Defaults to 20.
        num_novel (int): The last ``num_novel`` labels are the novel
            classes. Defaults to 8.
        samples_per_class (int): Samples per class. Defaults to 30.
        num_subjects (int): Sample ``i`` of a class is performed by subject
            ``i % num_subjects + 1`` (take ``i // num_subjects``).
            Defaults to 10.
        frames (tuple[int, int]): Inclusive range of sequence lengths.
            Defaults to (40, 60).
        seed (int): Seed of every random choice. Defaults to 0.
        second_person (float): Probability of a second person in a sample.
            Defaults to 0.15.
        noise (float): Standard deviation of the sensor noise in metres
            (doubled at finger joints). Defaults to 0.004.
    """
    num_classes: int = DEFAULT_NUM_CLASSES
    num_novel: int = DEFAULT_NUM_NOVEL
    samples_per_class: int = 30
    num_subjects: int = 10
    frames: Tuple[int, int] = (40, 60)
    seed: int = 0
    second_person: float = 0.15
    noise: float = 0.004

    def __post_init__(self):
        if isinstance(self.frames, int):
            object.__setattr__(self, 'frames', (self.frames, self.frames))
        object.__setattr__(self, 'frames', tuple(self.frames))
        for name in ('num_classes', 'num_novel', 'samples_per_class',
                     'num_subjects', 'seed'):
            if not _is_int(getattr(self, name)):
                raise ValueError(f'synthetic data: {name} must be an '
                                 f'integer, got {getattr(self, name)!r}')
        checks = (
            ('num_classes', 2 <= self.num_classes <= MAX_CLASSES,
             f'an integer in 2..{MAX_CLASSES}'),
            ('num_novel', 1 <= self.num_novel < self.num_classes,
             f'an integer in 1..num_classes-1 ({self.num_classes - 1}), so '
             'that at least one base class remains'),
            ('samples_per_class', self.samples_per_class >= 2,
             'at least 2 (one exemplar and one query per novel class)'),
            ('num_subjects', self.num_subjects >= 1, 'at least 1'),
            ('frames', len(self.frames) == 2 and
             all(_is_int(f) for f in self.frames) and
             MIN_FRAMES <= self.frames[0] <= self.frames[1] <= MAX_FRAMES,
             f'(min, max) with {MIN_FRAMES} <= min <= max <= {MAX_FRAMES}'),
            ('seed', self.seed >= 0, 'a non-negative integer'),
            ('second_person', 0.0 <= self.second_person <= 1.0,
             'a probability in [0, 1]'),
            ('noise', 0.0 <= self.noise <= 0.1, 'in [0, 0.1] metres'),
        )
        for name, ok, expected in checks:
            if not ok:
                raise ValueError(f'synthetic data: {name} must be '
                                 f'{expected}, got {getattr(self, name)!r}')

    @property
    def classes(self):
        """Classes in label order (:class:`~.classes.ActionClass`)."""
        return class_catalog(self.num_classes)

    @property
    def novel_labels(self):
        return list(range(self.num_classes - self.num_novel,
                          self.num_classes))

    @property
    def base_labels(self):
        return list(range(self.num_classes - self.num_novel))


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(
        value, bool)


def frame_dir(label: int, subject: int, take: int) -> str:
    """Sample id in NTU style, e.g. ``'S000P001R000A013'`` for label 12."""
    return f'S000P{subject:03d}R{take:03d}A{label + 1:03d}'


def synthetic_protocol(spec: SyntheticSpec = None) -> dict:
    """The one-shot protocol: novel classes and one exemplar each.

    The exemplar of a novel class is its take 0 by subject 1.

    Args:
        spec (SyntheticSpec, optional): Defaults to ``SyntheticSpec()``.

    Returns:
        dict: Protocol in the project's one-shot protocol format.
    """
    spec = spec or SyntheticSpec()
    return dict(
        name='synthetic',
        layout=LAYOUT.name,
        num_classes=spec.num_classes,
        novel_classes=spec.novel_labels,
        exemplars={
            str(label): frame_dir(label, EXEMPLAR_SUBJECT, EXEMPLAR_TAKE)
            for label in spec.novel_labels
        },
        base_classes=spec.base_labels)
