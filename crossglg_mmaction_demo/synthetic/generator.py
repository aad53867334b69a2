"""Synthetic skeleton sequences in MMAction2's ``PoseDataset`` format.

Each sample: a subject's body (:mod:`.body`) performs its class's moves in
time windows drawn per sample (tempo, amplitude, phase), with a little
postural sway; the feet stay on the floor (the supporting foot is pinned, so
sideways steps travel). The body is then turned about the vertical axis,
placed about 3 m in front of a slightly tilted camera (Kinect camera space:
metres, ``y`` up, ``z`` depth) and blurred with sensor noise. Sometimes a
second person stands beside, idle or mirroring the action. Every sample has
its own ``np.random.default_rng`` stream keyed by the seed, label and index.
"""
from typing import Optional

import numpy as np

from .body import LAYOUT, Body, subject_body
from .classes import ActionClass
from .kinematics import axis_rotation, forward_kinematics, rotvec_to_matrix
from .primitives import MotionParams
from .spec import SyntheticSpec, frame_dir

_FEET = [LAYOUT.index('left_foot'), LAYOUT.index('right_foot')]
_SPINE_BASE = LAYOUT.index('spine_base')
_NOISY = [
    LAYOUT.index(j) for j in LAYOUT.joints if j.endswith(('hand_tip', 'thumb'))
]
# Postural sway: joint, rotation axes, amplitude (radians).
_SWAY = (('spine_mid', 'xz', 0.015), ('neck', 'xy', 0.03),
         ('left_shoulder', 'xz', 0.03), ('right_shoulder', 'xz', 0.03))


def _timeline(action: ActionClass, body: Body, rng: np.random.Generator):
    """``(move, start, end, params)`` of every move, in clip time 0..1."""
    start, end = rng.uniform(0.03, 0.12), rng.uniform(0.88, 0.97)
    weights = np.array([
        max(m.spec.duration for m in stage) * rng.uniform(0.85, 1.15)
        for stage in action.stages
    ])
    bounds = start + (end - start) * np.concatenate(
        [[0.0], np.cumsum(weights) / weights.sum()])
    timeline = []
    for stage, lo, hi in zip(action.stages, bounds[:-1], bounds[1:]):
        for move in stage:
            s = lo + rng.uniform(0.0, 0.08) * (hi - lo)
            e = hi - rng.uniform(0.0, 0.08) * (hi - lo)
            tempo = rng.uniform(0.8, 1.25) * body.tempo
            params = MotionParams(
                amplitude=rng.uniform(0.8, 1.15) * body.amplitude,
                cycles=max(1.0, move.spec.rate * (e - s) * tempo),
                phase=rng.uniform(0.0, 2 * np.pi))
            timeline.append((move, s, e, params))
    return timeline


def _sway(t, amplitude, rng):
    """Slow random oscillation, ``(T,)``."""
    freq = rng.uniform(0.3, 1.0)
    return amplitude * np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi))


def perform(action: Optional[ActionClass],
            body: Body,
            num_frames: int,
            rng: np.random.Generator,
            idle: float = 1.0) -> np.ndarray:
    """One person performing ``action`` in the body frame.

    Args:
        action (ActionClass, optional): What to perform; None stands idle.
        body (Body): Who performs it.
        num_frames (int): Sequence length.
        rng (np.random.Generator): Source of the sample's variation.
        idle (float): Scale of the postural sway. Defaults to 1.0.

    Returns:
        np.ndarray: ``(T, V, 3)`` positions, feet on the floor ``y = 0``,
        the pelvis above the origin at the first frame.
    """
    t = np.linspace(0.0, 1.0, num_frames)
    local = np.broadcast_to(body.posture,
                            (num_frames, ) + body.posture.shape).copy()
    for move, start, end, params in (_timeline(action, body, rng)
                                     if action is not None else ()):
        u = (t - start) / (end - start)
        for joint, rotation in move.spec.rotations(u, move.side, params,
                                                   rng).items():
            j = LAYOUT.index(joint)
            local[:, j] = rotation @ local[:, j]
    for joint, axes, amplitude in _SWAY:
        rotvec = np.zeros((num_frames, 3))
        for axis in axes:
            rotvec[:, 'xyz'.index(axis)] = _sway(t, idle * amplitude, rng)
        j = LAYOUT.index(joint)
        local[:, j] = rotvec_to_matrix(rotvec) @ local[:, j]
    # Keep the pelvis upright under the turning upper body.
    local[:, _SPINE_BASE] = (
        np.swapaxes(local[:, LAYOUT.root], -1, -2) @ local[:, _SPINE_BASE])
    positions = forward_kinematics(LAYOUT.parents, body.offsets, local)
    return _ground(positions)


def _ground(positions: np.ndarray) -> np.ndarray:
    """Put the lower foot on the floor and keep the supporting foot still."""
    feet = positions[:, _FEET]
    lowest = feet[..., 1].min(axis=1)
    support = np.exp(-(feet[..., 1] - lowest[:, None]) / 0.015)
    support /= support.sum(axis=1, keepdims=True)
    slide = np.einsum('tf,tfc->tc', support[1:],
                      np.diff(feet[..., [0, 2]], axis=0))
    drift = np.concatenate([np.zeros((1, 2)), -np.cumsum(slide, axis=0)])
    grounded = positions.copy()
    grounded[..., 1] -= lowest[:, None]
    grounded[..., [0, 2]] += drift[:, None] - positions[0, _SPINE_BASE, [0, 2]]
    return grounded


def _place(positions, yaw, origin, pitch):
    """Body frame -> camera space: turn about ``y``, move, tilt the camera."""
    world = positions @ axis_rotation('y', yaw).T + origin
    return world @ axis_rotation('x', pitch).T


def generate_sample(spec: SyntheticSpec, label: int, index: int) -> dict:
    """One annotation of the data set (independent of all others).

    Args:
        spec (SyntheticSpec): The data set.
        label (int): Class label.
        index (int): Sample index within the class.

    Returns:
        dict: ``frame_dir``, ``label``, ``keypoint`` (float32
        ``(M, T, 25, 3)``, ``M`` = number of persons present, main
        performer first), ``total_frames`` and ``subject``.
    """
    subject = index % spec.num_subjects + 1
    take = index // spec.num_subjects
    rng = np.random.default_rng([spec.seed, 1, label, index])
    num_frames = int(rng.integers(spec.frames[0], spec.frames[1] + 1))
    action = spec.classes[label]
    yaw = rng.uniform(-np.pi / 4, np.pi / 4)
    origin = np.array([
        rng.uniform(-0.4, 0.4), -rng.uniform(0.75, 1.1),
        rng.uniform(2.6, 3.4)
    ])
    pitch = rng.uniform(-0.12, 0.05)
    people = [
        _place(
            perform(action, subject_body(spec.seed, subject), num_frames, rng),
            yaw, origin, pitch)
    ]
    if rng.random() < spec.second_person:
        # Another subject beside the performer, idle or mirroring the action.
        others = max(spec.num_subjects - 1, 1)
        partner = (subject + int(rng.integers(others))) % spec.num_subjects
        body = subject_body(spec.seed, partner + 1)
        motion = action.mirrored() if rng.random() < 0.5 else None
        side = rng.choice([-1.0, 1.0]) * rng.uniform(0.8, 1.3)
        offset = np.array([side, 0.0, rng.uniform(-0.3, 0.3)])
        positions = perform(motion, body, num_frames, rng, idle=2.5)
        people.append(
            _place(positions, yaw + rng.uniform(-0.4, 0.4), origin + offset,
                   pitch))
    keypoint = np.stack(people)
    if spec.noise > 0:
        scale = np.full(LAYOUT.num_joints, spec.noise)
        scale[_NOISY] *= 2
        keypoint = keypoint + rng.normal(size=keypoint.shape) * scale[:, None]
    return dict(
        frame_dir=frame_dir(label, subject, take),
        label=label,
        keypoint=keypoint.astype(np.float32),
        total_frames=num_frames,
        subject=subject)


def generate_dataset(spec: SyntheticSpec = None) -> dict:
    """The whole data set as MMAction2's ``PoseDataset`` pickle content.

    Args:
        spec (SyntheticSpec, optional): Defaults to ``SyntheticSpec()``.

    Returns:
        dict: ``split`` (``base``, ``novel``, ``all``, and ``base_train`` /
        ``base_val`` holding out the last fifth of the subjects, at least
        one when there are two or more) and
        ``annotations`` (see :func:`generate_sample`).
    """
    spec = spec or SyntheticSpec()
    annotations = [
        generate_sample(spec, label, index)
        for label in range(spec.num_classes)
        for index in range(spec.samples_per_class)
    ]
    novel = set(spec.novel_labels)
    held_out = max(1, spec.num_subjects // 5) if spec.num_subjects > 1 else 0
    first_val = spec.num_subjects - held_out + 1
    split = dict(base=[], novel=[], all=[], base_train=[], base_val=[])
    for anno in annotations:
        name = anno['frame_dir']
        split['all'].append(name)
        if anno['label'] in novel:
            split['novel'].append(name)
            continue
        split['base'].append(name)
        val = anno['subject'] >= first_val
        split['base_val' if val else 'base_train'].append(name)
    return dict(split=split, annotations=annotations)
