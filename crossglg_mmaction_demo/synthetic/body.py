"""A standing NTU-25 body: rest pose, per-subject proportions and posture.

The body frame has ``x`` to the person's right, ``y`` up and ``z``
backwards, with the root (``spine_mid``) at the origin. Bones are the edges
of the ``ntu25`` layout's tree; a subject scales each bone's rest offset, so
bone lengths differ between subjects and never change within a sequence.
"""
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from crossglg_mmaction.skeleton import get_layout
from .kinematics import axis_rotation

LAYOUT = get_layout('ntu25')

# Rest positions of the left and central joints of an adult of about 1.75 m
# (metres, body frame); the right side mirrors the left.
_REST_LEFT = {
    'spine_mid': (0.0, 0.0, 0.0),
    'spine_base': (0.0, -0.27, 0.01),
    'spine_shoulder': (0.0, 0.25, 0.0),
    'neck': (0.0, 0.32, 0.0),
    'head': (0.0, 0.47, -0.04),
    'left_shoulder': (-0.17, 0.21, 0.02),
    'left_elbow': (-0.19, -0.06, 0.03),
    'left_wrist': (-0.19, -0.31, 0.01),
    'left_hand': (-0.19, -0.38, 0.0),
    'left_thumb': (-0.17, -0.41, -0.03),
    'left_hand_tip': (-0.19, -0.46, 0.0),
    'left_hip': (-0.08, -0.31, 0.01),
    'left_knee': (-0.08, -0.73, 0.01),
    'left_ankle': (-0.08, -1.13, 0.03),
    'left_foot': (-0.08, -1.19, -0.09),
}

# Bone (named by its child joint, side-less) -> proportion group.
_BONE_GROUP = {
    'spine_base': 'torso',
    'spine_shoulder': 'torso',
    'neck': 'neck',
    'head': 'neck',
    'shoulder': 'shoulder_width',
    'elbow': 'upper_arm',
    'wrist': 'forearm',
    'hand': 'hand',
    'thumb': 'hand',
    'hand_tip': 'hand',
    'hip': 'hip_width',
    'knee': 'thigh',
    'ankle': 'shank',
    'foot': 'foot'
}
_GROUPS = sorted(set(_BONE_GROUP.values()))


def mirror_joint(name: str) -> str:
    """``'left_x'`` <-> ``'right_x'``; central joints map to themselves."""
    for side, other in (('left_', 'right_'), ('right_', 'left_')):
        if name.startswith(side):
            return other + name[len(side):]
    return name


def _stem(name: str) -> str:
    return name.split('_', 1)[1] if name.startswith(('left_', 'right_')) \
        else name


def rest_positions() -> np.ndarray:
    """``(V, 3)`` template rest positions in ``ntu25`` joint order."""
    positions = np.zeros((LAYOUT.num_joints, 3))
    for i, name in enumerate(LAYOUT.joints):
        if name in _REST_LEFT:
            positions[i] = _REST_LEFT[name]
        else:
            positions[i] = _REST_LEFT[mirror_joint(name)]
            positions[i, 0] *= -1
    return positions


@dataclass(frozen=True)
class Body:
    """One subject's skeleton and movement style.

    Args:
        subject (int): Subject id.
        offsets (np.ndarray): ``(V, 3)`` rest offset of each joint from its
            parent in the layout's tree (metres).
        posture (np.ndarray): ``(V, 3, 3)`` constant local rotations of the
            subject's relaxed stance (arm hang, elbow bend, stance width).
        amplitude (float): Multiplier of the subject's movement amplitude.
        tempo (float): Multiplier of the subject's movement speed.
    """
    subject: int
    offsets: np.ndarray
    posture: np.ndarray
    amplitude: float
    tempo: float

    def bone_lengths(self) -> np.ndarray:
        """``(V,)`` length of the bone ending at each joint (0 at the root)."""
        return np.linalg.norm(self.offsets, axis=-1)


@lru_cache(maxsize=1024)
def subject_body(seed: int, subject: int) -> Body:
    """The body of one subject, the same in every sample of a data set.

    Stature varies by about +-10 %, each bone group by about 5 % more (left
    and right almost equal), and the relaxed stance by a few degrees. Bodies
    are cached; treat their arrays as read-only.

    Args:
        seed (int): Data set seed.
        subject (int): Subject id.

    Returns:
        Body: The subject's body.
    """
    rng = np.random.default_rng([seed, 0, subject])
    stature = rng.uniform(0.9, 1.1)
    group_scale = dict(
        zip(_GROUPS, np.clip(rng.normal(1.0, 0.05, len(_GROUPS)), 0.85, 1.15)))
    rest = rest_positions()
    offsets = np.zeros_like(rest)
    for i, parent in enumerate(LAYOUT.parents):
        if parent < 0:
            continue
        name = LAYOUT.joints[i]
        asymmetry = rng.normal(1.0, 0.01)
        scale = stature * group_scale[_BONE_GROUP[_stem(name)]] * asymmetry
        offsets[i] = (rest[i] - rest[parent]) * scale

    posture = np.broadcast_to(np.eye(3), (LAYOUT.num_joints, 3, 3)).copy()
    arm_hang, elbow_bend = rng.uniform(0.05, 0.16), rng.uniform(0.05, 0.25)
    stance, neck_tilt = rng.uniform(0.0, 0.05), rng.uniform(0.0, 0.12)
    for side, sign in (('right', 1.0), ('left', -1.0)):
        posture[LAYOUT.index(f'{side}_shoulder')] = axis_rotation(
            'z', sign * arm_hang) @ axis_rotation('x', rng.uniform(-.05, .1))
        posture[LAYOUT.index(f'{side}_elbow')] = axis_rotation('x', elbow_bend)
        posture[LAYOUT.index(f'{side}_hip')] = axis_rotation(
            'z', sign * stance)
        posture[LAYOUT.index(f'{side}_ankle')] = axis_rotation(
            'z', -sign * stance)
    posture[LAYOUT.index('neck')] = axis_rotation('x', -neck_tilt)
    offsets.setflags(write=False)
    posture.setflags(write=False)
    return Body(
        subject=subject,
        offsets=offsets,
        posture=posture,
        amplitude=rng.uniform(0.9, 1.1),
        tempo=rng.uniform(0.9, 1.1))
