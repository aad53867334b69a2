"""Skeleton layouts: joint names, kinematic tree and body-part vocabulary.

One place for everything that depends on the joint set. Graph construction
(the InfoGCN input transform, MMAction2's ``Graph``), key-joint extraction
from text and the LLM prompts' ``[joint-list]`` all read a :class:`Layout`.

Layouts: ``ntu25`` (Kinect v2, NTU RGB+D), ``kinect_v1_20`` (NW-UCLA),
``coco17`` (COCO keypoints) and ``openpose18`` (Kinetics-skeleton).
MMAction2's names ``'nturgb+d'``, ``'coco'`` and ``'openpose'`` are aliases.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

import numpy as np

SIDES = ('left', 'right')


@dataclass(frozen=True)
class Layout:
    """A joint layout.

    Args:
        name (str): Canonical layout name.
        joints (tuple[str]): Joint names in data order.
        parents (tuple[int]): Parent index of every joint, ``-1`` for the root.
        parts (dict): Body part -> ``{'left': [...], 'right': [...],
            'center': [...]}`` joint names. A part word without a side word
            selects all three groups.
        description (str): Where the order comes from.
        aliases (tuple[str]): Other accepted names.
    """
    name: str
    joints: Tuple[str, ...]
    parents: Tuple[int, ...]
    parts: Dict[str, Dict[str, Tuple[str, ...]]]
    description: str = ''
    aliases: Tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if len(self.joints) != len(self.parents):
            raise ValueError(f'layout {self.name}: {len(self.joints)} joints '
                             f'but {len(self.parents)} parents')
        roots = [i for i, p in enumerate(self.parents) if p < 0]
        if len(roots) != 1:
            raise ValueError(f'layout {self.name}: expected one root, '
                             f'got {roots}')
        known = set(self.joints)
        for part, groups in self.parts.items():
            for group, names in groups.items():
                unknown = set(names) - known
                if group not in ('left', 'right', 'center') or unknown:
                    raise ValueError(f'layout {self.name}: part {part!r} '
                                     f'group {group!r} names unknown joints '
                                     f'{sorted(unknown)}')

    @property
    def num_joints(self) -> int:
        return len(self.joints)

    @property
    def root(self) -> int:
        return self.parents.index(-1)

    @property
    def edges(self) -> List[Tuple[int, int]]:
        """(child, parent) pairs of the kinematic tree."""
        return [(i, p) for i, p in enumerate(self.parents) if p >= 0]

    def index(self, joint: str) -> int:
        """Index of a joint name; ``KeyError`` naming the layout otherwise."""
        try:
            return self.joints.index(joint)
        except ValueError:
            raise KeyError(f'layout {self.name!r} has no joint {joint!r}; '
                           f'joints: {", ".join(self.joints)}') from None

    def depth(self) -> int:
        """Length of the longest root-to-leaf path in edges."""

        def level(i):
            return 0 if self.parents[i] < 0 else 1 + level(self.parents[i])

        return max(level(i) for i in range(self.num_joints))

    def outward_adjacency(self) -> np.ndarray:
        """Binary (V, V) matrix with ``A[child, parent] = 1``."""
        adjacency = np.zeros((self.num_joints, self.num_joints), np.float32)
        for child, parent in self.edges:
            adjacency[child, parent] = 1
        return adjacency

    def kth_mode_transform(self, k: int) -> np.ndarray:
        """InfoGCN's input transform ``I - A_outward^k`` (float32, (V, V)).

        ``k=1`` turns joints into vectors from their parent (bones); ``k``
        above the tree depth leaves raw joint coordinates; ``k=0`` would zero
        the input and is rejected.
        """
        if int(k) != k or k < 1:
            raise ValueError(f'k-th mode must be an integer >= 1, got {k!r}')
        eye = np.eye(self.num_joints, dtype=np.float32)
        power = np.linalg.matrix_power(self.outward_adjacency(), int(k))
        return (eye - power).astype(np.float32)

    def mmaction_graph_layout(self) -> dict:
        """This layout as a dict for ``mmaction.models.utils.Graph``."""
        return dict(
            num_node=self.num_joints,
            inward=[(c, p) for c, p in self.edges],
            center=self.root)

    def part_joints(self, part: str, side: str = None) -> List[int]:
        """Joint indices of a body part, optionally restricted to a side."""
        if part not in self.parts:
            raise KeyError(f'layout {self.name!r} has no body part {part!r}; '
                           f'parts: {", ".join(sorted(self.parts))}')
        groups = self.parts[part]
        if side is None:
            chosen = ('left', 'right', 'center')
        elif side in SIDES:
            chosen = (side, ) if side in groups else ('center', )
        else:
            raise ValueError(f'side must be left, right or None, got {side!r}')
        names = [n for g in chosen for n in groups.get(g, ())]
        return sorted({self.index(n) for n in names})

    def joint_list(self) -> str:
        """Human-readable ``[joint-list]`` for the LLM joint motion prompt."""
        return ', '.join(j.replace('_', ' ') for j in self.joints)


def _sided(*names: str, center: Sequence[str] = ()) -> dict:
    """Part groups from side-less joint stems, e.g. ``_sided('elbow')``."""
    groups = {s: tuple(f'{s}_{n}' for n in names) for s in SIDES}
    if center:
        groups['center'] = tuple(center)
    return groups


def _center(*names: str) -> dict:
    return {'center': tuple(names)}


# Body-part word -> canonical part. Plurals and synonyms map here; the
# extractor lemmatises first, so both 'hands' and 'hand' reach 'hand'.
VOCABULARY = {
    'head': 'head', 'face': 'head', 'eye': 'head', 'eyes': 'head',
    'mouth': 'head', 'lip': 'head', 'lips': 'head', 'nose': 'head',
    'ear': 'head', 'ears': 'head', 'chin': 'head', 'forehead': 'head',
    'cheek': 'head', 'cheeks': 'head', 'jaw': 'head', 'skull': 'head',
    'neck': 'neck', 'throat': 'neck',
    'shoulder': 'shoulder', 'shoulders': 'shoulder',
    'arm': 'arm', 'arms': 'arm',
    'upper arm': 'upper_arm', 'upper arms': 'upper_arm',
    'forearm': 'forearm', 'forearms': 'forearm',
    'elbow': 'elbow', 'elbows': 'elbow',
    'wrist': 'wrist', 'wrists': 'wrist',
    'hand': 'hand', 'hands': 'hand', 'palm': 'hand', 'palms': 'hand',
    'fist': 'hand', 'fists': 'hand', 'knuckle': 'hand', 'knuckles': 'hand',
    'finger': 'finger', 'fingers': 'finger', 'fingertip': 'finger',
    'fingertips': 'finger', 'forefinger': 'finger', 'forefingers': 'finger',
    'fingernail': 'finger', 'fingernails': 'finger',
    'thumb': 'thumb', 'thumbs': 'thumb',
    'torso': 'torso', 'trunk': 'torso', 'upper body': 'torso',
    'spine': 'spine', 'back': 'spine',
    'chest': 'chest', 'waist': 'waist', 'abdomen': 'waist',
    'belly': 'waist', 'stomach': 'waist',
    'hip': 'hip', 'hips': 'hip', 'pelvis': 'pelvis',
    'leg': 'leg', 'legs': 'leg', 'lower body': 'leg',
    'thigh': 'thigh', 'thighs': 'thigh',
    'knee': 'knee', 'knees': 'knee',
    'shin': 'shin', 'shins': 'shin', 'calf': 'shin', 'calves': 'shin',
    'ankle': 'ankle', 'ankles': 'ankle',
    'foot': 'foot', 'feet': 'foot', 'heel': 'foot', 'heels': 'foot',
    'sole': 'foot', 'toe': 'toe', 'toes': 'toe',
}

# Words that restrict a following body part to one side, or to both.
SIDE_WORDS = {'left': 'left', 'right': 'right'}
BOTH_WORDS = ('both', 'two', 'either', 'each')

NTU25 = Layout(
    name='ntu25',
    joints=('spine_base', 'spine_mid', 'neck', 'head', 'left_shoulder',
            'left_elbow', 'left_wrist', 'left_hand', 'right_shoulder',
            'right_elbow', 'right_wrist', 'right_hand', 'left_hip',
            'left_knee', 'left_ankle', 'left_foot', 'right_hip',
            'right_knee', 'right_ankle', 'right_foot', 'spine_shoulder',
            'left_hand_tip', 'left_thumb', 'right_hand_tip', 'right_thumb'),
    # The tree of InfoGCN's graph/ntu_rgb_d.py: root spine_mid, hand tips
    # hang off the thumbs (depth 7).
    parents=(1, -1, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13, 14, 0, 16,
             17, 18, 1, 22, 7, 24, 11),
    parts={
        'head': _center('head'),
        'neck': _center('neck'),
        'shoulder': _sided('shoulder'),
        'arm': _sided('shoulder', 'elbow', 'wrist'),
        'upper_arm': _sided('shoulder', 'elbow'),
        'forearm': _sided('elbow', 'wrist'),
        'elbow': _sided('elbow'),
        'wrist': _sided('wrist'),
        'hand': _sided('hand', 'hand_tip', 'thumb'),
        'finger': _sided('hand_tip', 'thumb'),
        'thumb': _sided('thumb'),
        'torso': _center('spine_base', 'spine_mid', 'spine_shoulder'),
        'spine': _center('spine_base', 'spine_mid', 'spine_shoulder'),
        'chest': _center('spine_mid', 'spine_shoulder'),
        'waist': _center('spine_base', 'spine_mid'),
        'hip': _sided('hip', center=('spine_base', )),
        'pelvis': _sided('hip', center=('spine_base', )),
        'leg': _sided('hip', 'knee', 'ankle'),
        'thigh': _sided('hip', 'knee'),
        'knee': _sided('knee'),
        'shin': _sided('knee', 'ankle'),
        'ankle': _sided('ankle'),
        'foot': _sided('ankle', 'foot'),
        'toe': _sided('foot'),
    },
    description='Kinect v2 JointType order (NTU RGB+D 60/120).',
    aliases=('nturgb+d', 'ntu', 'ntu60', 'ntu120', 'kinect_v2_25'))

KINECT_V1_20 = Layout(
    name='kinect_v1_20',
    joints=('hip_center', 'spine', 'shoulder_center', 'head',
            'left_shoulder', 'left_elbow', 'left_wrist', 'left_hand',
            'right_shoulder', 'right_elbow', 'right_wrist', 'right_hand',
            'left_hip', 'left_knee', 'left_ankle', 'left_foot', 'right_hip',
            'right_knee', 'right_ankle', 'right_foot'),
    parents=(-1, 0, 1, 2, 2, 4, 5, 6, 2, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17,
             18),
    parts={
        'head': _center('head'),
        'neck': _center('shoulder_center'),
        'shoulder': _sided('shoulder'),
        'arm': _sided('shoulder', 'elbow', 'wrist'),
        'upper_arm': _sided('shoulder', 'elbow'),
        'forearm': _sided('elbow', 'wrist'),
        'elbow': _sided('elbow'),
        'wrist': _sided('wrist'),
        'hand': _sided('hand'),
        'finger': _sided('hand'),
        'thumb': _sided('hand'),
        'torso': _center('hip_center', 'spine', 'shoulder_center'),
        'spine': _center('hip_center', 'spine', 'shoulder_center'),
        'chest': _center('spine', 'shoulder_center'),
        'waist': _center('hip_center', 'spine'),
        'hip': _sided('hip', center=('hip_center', )),
        'pelvis': _sided('hip', center=('hip_center', )),
        'leg': _sided('hip', 'knee', 'ankle'),
        'thigh': _sided('hip', 'knee'),
        'knee': _sided('knee'),
        'shin': _sided('knee', 'ankle'),
        'ankle': _sided('ankle'),
        'foot': _sided('ankle', 'foot'),
        'toe': _sided('foot'),
    },
    description='Kinect v1 skeleton order (NW-UCLA Multiview Action3D).',
    aliases=('nwucla', 'kinect_v1'))

COCO17 = Layout(
    name='coco17',
    joints=('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
            'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
            'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
            'left_knee', 'right_knee', 'left_ankle', 'right_ankle'),
    # The tree of MMAction2's 'coco' graph layout (root: nose).
    parents=(-1, 0, 0, 1, 2, 0, 0, 5, 6, 7, 8, 5, 6, 11, 12, 13, 14),
    parts={
        'head': _sided('eye', 'ear', center=('nose', )),
        'neck': _sided('shoulder', center=('nose', )),
        'shoulder': _sided('shoulder'),
        'arm': _sided('shoulder', 'elbow', 'wrist'),
        'upper_arm': _sided('shoulder', 'elbow'),
        'forearm': _sided('elbow', 'wrist'),
        'elbow': _sided('elbow'),
        'wrist': _sided('wrist'),
        'hand': _sided('wrist'),
        'finger': _sided('wrist'),
        'thumb': _sided('wrist'),
        'torso': _sided('shoulder', 'hip'),
        'spine': _sided('shoulder', 'hip'),
        'chest': _sided('shoulder'),
        'waist': _sided('hip'),
        'hip': _sided('hip'),
        'pelvis': _sided('hip'),
        'leg': _sided('hip', 'knee', 'ankle'),
        'thigh': _sided('hip', 'knee'),
        'knee': _sided('knee'),
        'shin': _sided('knee', 'ankle'),
        'ankle': _sided('ankle'),
        'foot': _sided('ankle'),
        'toe': _sided('ankle'),
    },
    description='COCO keypoint order (2D pose estimators, MMAction2 "coco").',
    aliases=('coco', ))

OPENPOSE18 = Layout(
    name='openpose18',
    joints=('nose', 'neck', 'right_shoulder', 'right_elbow', 'right_wrist',
            'left_shoulder', 'left_elbow', 'left_wrist', 'right_hip',
            'right_knee', 'right_ankle', 'left_hip', 'left_knee',
            'left_ankle', 'right_eye', 'left_eye', 'right_ear', 'left_ear'),
    # The tree of MMAction2's 'openpose' graph layout (root: neck).
    parents=(1, -1, 1, 2, 3, 1, 5, 6, 2, 8, 9, 5, 11, 12, 0, 0, 14, 15),
    parts={
        'head': _sided('eye', 'ear', center=('nose', )),
        'neck': _center('neck'),
        'shoulder': _sided('shoulder'),
        'arm': _sided('shoulder', 'elbow', 'wrist'),
        'upper_arm': _sided('shoulder', 'elbow'),
        'forearm': _sided('elbow', 'wrist'),
        'elbow': _sided('elbow'),
        'wrist': _sided('wrist'),
        'hand': _sided('wrist'),
        'finger': _sided('wrist'),
        'thumb': _sided('wrist'),
        'torso': _sided('hip', center=('neck', )),
        'spine': _sided('hip', center=('neck', )),
        'chest': _center('neck'),
        'waist': _sided('hip'),
        'hip': _sided('hip'),
        'pelvis': _sided('hip'),
        'leg': _sided('hip', 'knee', 'ankle'),
        'thigh': _sided('hip', 'knee'),
        'knee': _sided('knee'),
        'shin': _sided('knee', 'ankle'),
        'ankle': _sided('ankle'),
        'foot': _sided('ankle'),
        'toe': _sided('ankle'),
    },
    description='OpenPose COCO-18 order (Kinetics-skeleton, MMAction2 '
    '"openpose").',
    aliases=('openpose', 'kinetics'))

LAYOUTS = {layout.name: layout for layout in (NTU25, KINECT_V1_20, COCO17,
                                              OPENPOSE18)}
_ALIASES = {alias: layout.name for layout in LAYOUTS.values()
            for alias in layout.aliases}


def get_layout(name) -> Layout:
    """Return a :class:`Layout` by name or alias (a ``Layout`` passes through).

    Raises:
        KeyError: for an unknown name, listing the known ones.
    """
    if isinstance(name, Layout):
        return name
    key = _ALIASES.get(name, name)
    if key not in LAYOUTS:
        known = sorted(set(LAYOUTS) | set(_ALIASES))
        raise KeyError(f'unknown skeleton layout {name!r}; known layouts: '
                       f'{", ".join(known)}')
    return LAYOUTS[key]
