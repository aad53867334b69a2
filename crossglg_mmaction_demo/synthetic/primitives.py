"""Body-part motion primitives: joint rotations as functions of phase.

A primitive turns a phase ``u`` (``(T,)``, 0 to 1 over the primitive's time
window; outside it the body is at rest) into local joint rotations
(``(T, 3, 3)`` per joint, in the parent's frame, see :mod:`.kinematics`).
Sided primitives are written for the right side (or towards the person's
right) and mirrored for the left. ``spine_mid``, the root, turns the upper
body; the generator keeps the pelvis upright beneath it.
"""
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

import numpy as np

from .body import mirror_joint
from .kinematics import axis_rotation, mirror_rotation, rotvec_to_matrix

SIDES = ('left', 'right')


@dataclass(frozen=True)
class MotionParams:
    """Per-sample variation of one primitive.

    Args:
        amplitude (float): Multiplier of the movement's angles.
        cycles (float): Repetitions within the window (repeated moves).
        phase (float): Phase offset of repeated moves, radians.
    """
    amplitude: float = 1.0
    cycles: float = 2.0
    phase: float = 0.0


def _smooth(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _ramp(u, start, end):
    """0 before ``start``, 1 after ``end``, smooth in between."""
    return _smooth((u - start) / (end - start))


def _hold(u, rise=0.3, fall=0.3):
    """Rise to 1, hold, fall to 0 within ``[0, 1]``; 0 outside."""
    return _ramp(u, 0.0, rise) * (1.0 - _ramp(u, 1.0 - fall, 1.0))


def _bump(u, center, width):
    """A raised-cosine bump of half-width ``width`` around ``center``."""
    x = np.clip((u - center) / width, -1.0, 1.0)
    return 0.5 + 0.5 * np.cos(np.pi * x)


def _wave(u, p: MotionParams, edge=0.15):
    """``sin`` with ``p.cycles`` periods, faded in and out."""
    return np.sin(2 * np.pi * p.cycles * u + p.phase) * _hold(u, edge, edge)


def _rot(axis, angle):
    return axis_rotation(axis, angle)


# Motions (right side). Signs: +x flexes a limb forward (a knee: -x bends),
# +z swings the right arm or leg outwards, -y turns towards the right.
def raise_arm(u, p, rng):
    """Raise the straight arm forward-outward to overhead, hold, lower."""
    h = _hold(u, 0.35, 0.3)
    plane = rng.uniform(0.2, 0.8) * np.pi / 2
    height = p.amplitude * rng.uniform(2.5, 2.9) * h
    axis = np.array([np.cos(plane), 0.0, np.sin(plane)])
    return {
        'right_shoulder': rotvec_to_matrix(height[:, None] * axis),
        'right_elbow': _rot('x', 0.15 * h),
        'right_wrist': _rot('x', -0.2 * h),
    }


def swing_arm(u, p, rng):
    """Swing the loosely bent arm forward and backward like a pendulum."""
    s = p.amplitude * _wave(u, p, 0.2)
    bend = _hold(u, 0.2, 0.2) * (0.25 + 0.1 * (1 + s))
    return {
        'right_shoulder': _rot('x', 0.75 * s),
        'right_elbow': _rot('x', bend),
    }


def circle_arm(u, p, rng):
    """Rotate the nearly straight arm in full vertical circles."""
    turns = max(1, int(round(p.cycles)))
    h = _hold(u, 0.15, 0.15)
    sweep = 2 * np.pi * turns * _smooth(u)
    return {
        'right_shoulder':
        _rot('x', sweep) @ _rot('z', p.amplitude * 0.3 * h),
        'right_elbow': _rot('x', 0.1 * h),
    }


def wave_hand(u, p, rng):
    """Lift the arm to the side, forearm up, and rock it to wave."""
    h = _hold(u, 0.25, 0.25)
    w = p.amplitude * np.sin(2 * np.pi * p.cycles * u + p.phase) * h
    lift = rng.uniform(1.2, 1.45)
    return {
        'right_shoulder': _rot('x', 0.25 * h) @ _rot('z', lift * h),
        'right_elbow': _rot('z', 1.75 * h + 0.35 * w),
        'right_wrist': _rot('z', 0.3 * w),
    }


def bend_leg(u, p, rng):
    """Lift the knee in front of the body (hip and knee flexed), lower."""
    h = p.amplitude * _hold(u, 0.35, 0.35)
    return {
        'right_hip': _rot('x', 1.3 * h),
        'right_knee': _rot('x', -1.5 * h),
        'right_ankle': _rot('x', -0.3 * h),
    }


def kick_leg(u, p, rng):
    """Chamber the leg, kick it forward straight, let it drop."""
    a = p.amplitude
    return {
        'right_hip': _rot('x', a * 1.25 * _bump(u, 0.5, 0.45)),
        'right_knee': _rot('x', -1.3 * _bump(u, 0.3, 0.28) -
                           0.4 * _bump(u, 0.8, 0.2)),
        'right_ankle': _rot('x', 0.4 * _bump(u, 0.6, 0.3)),
    }


def squat(u, p, rng):
    """Fold both legs and tilt the torso forward, then stand up."""
    h = p.amplitude * rng.uniform(0.8, 1.0) * _hold(u, 0.4, 0.4)
    rotations = {'spine_mid': _rot('x', -0.45 * h)}
    for side in SIDES:
        rotations[f'{side}_hip'] = _rot('x', 1.5 * h)
        rotations[f'{side}_knee'] = _rot('x', -1.9 * h)
        rotations[f'{side}_ankle'] = _rot('x', 0.4 * h)
    return rotations


def nod(u, p, rng):
    """Tip the head forward and up again a few times."""
    dip = p.amplitude * (0.5 - 0.5 * np.cos(2 * np.pi * p.cycles * u))
    dip = dip * _hold(u, 0.1, 0.1)
    return {
        'neck': _rot('x', -0.5 * dip),
        'spine_shoulder': _rot('x', -0.05 * dip),
    }


def turn_head(u, p, rng):
    """Turn the head to the right (tilting slightly), hold, return."""
    h = p.amplitude * _hold(u, 0.3, 0.3)
    return {'neck': _rot('y', -1.1 * h) @ _rot('z', -0.15 * h)}


def lean_forward(u, p, rng):
    """Bow the upper body forward, then straighten."""
    h = p.amplitude * _hold(u, 0.35, 0.35)
    return {'spine_mid': _rot('x', -0.75 * h)}


def lean_side(u, p, rng):
    """Bend the upper body sideways to the right, then straighten."""
    h = p.amplitude * _hold(u, 0.35, 0.35)
    return {'spine_mid': _rot('z', -0.4 * h)}


def twist_torso(u, p, rng):
    """Twist the upper body towards the right, then unwind."""
    h = p.amplitude * _hold(u, 0.35, 0.35)
    return {'spine_mid': _rot('y', -0.75 * h)}


def step(u, p, rng):
    """Walk in place: lift the knees in turn."""
    env = _hold(u, 0.1, 0.1)
    rotations = {}
    for side, shift in (('right', 0.0), ('left', np.pi)):
        lift = np.maximum(
            0.0, np.sin(2 * np.pi * p.cycles * u + p.phase + shift))
        lift = p.amplitude * lift * env
        rotations[f'{side}_hip'] = _rot('x', 0.7 * lift)
        rotations[f'{side}_knee'] = _rot('x', -1.2 * lift)
        rotations[f'{side}_ankle'] = _rot('x', 0.3 * lift)
    return rotations


def side_step(u, p, rng):
    """Step to the right: the right foot out, then the left follows.

    Each foot moves while it is lifted; the generator pins the supporting
    foot, so the body travels one step to the right.
    """
    spread = p.amplitude * 0.22 * (_ramp(u, 0.05, 0.45) - _ramp(u, 0.55, 0.95))
    right_lift, left_lift = _bump(u, 0.25, 0.22), _bump(u, 0.75, 0.22)
    rotations = {}
    for side, sign, lift in (('right', 1, right_lift),
                             ('left', -1, left_lift)):
        rotations[f'{side}_hip'] = _rot('z', sign * spread) @ _rot(
            'x', 0.45 * lift)
        rotations[f'{side}_knee'] = _rot('x', -0.9 * lift)
        rotations[f'{side}_ankle'] = _rot('x', 0.45 * lift)
    return rotations


def clap(u, p, rng):
    """Raise both arms forward and bring the hands together repeatedly."""
    h = _hold(u, 0.2, 0.2)
    close = 0.5 - 0.5 * np.cos(2 * np.pi * p.cycles * u)
    swing = (-0.3 * p.amplitude + (0.28 + 0.3 * p.amplitude) * close) * h
    right = {
        'right_shoulder': _rot('y', swing) @ _rot('x', 1.25 * h),
        'right_elbow': _rot('x', 0.7 * h),
    }
    left = {mirror_joint(k): mirror_rotation(v) for k, v in right.items()}
    return {**right, **left}


def punch(u, p, rng):
    """Punch forward from a guard a few times."""
    guard = _hold(u, 0.15, 0.15)
    strike = (0.5 - 0.5 * np.cos(2 * np.pi * p.cycles * u))**2 * guard
    return {
        'right_shoulder':
        _rot('y', 0.15 * guard) @ _rot(
            'x', 0.45 * guard + 1.1 * p.amplitude * strike),
        'right_elbow': _rot('x', 1.9 * guard * (1 - strike) + 0.05 * guard),
    }


def reach(u, p, rng):
    """Reach forward and up with a straight arm, hold, lower."""
    h = _hold(u, 0.4, 0.3)
    height = p.amplitude * rng.uniform(1.2, 1.9)
    across = rng.uniform(-0.2, 0.3)
    return {
        'right_shoulder': _rot('y', across * h) @ _rot('x', height * h),
        'right_elbow': _rot('x', 0.5 * _bump(u, 0.2, 0.2)),
        'right_wrist': _rot('x', -0.2 * h),
    }


@dataclass(frozen=True)
class Primitive:
    """A named body-part motion.

    Args:
        name (str): Identifier.
        motion (Callable): ``motion(u, params, rng) -> {joint: (T, 3, 3)}``
            written for the right side.
        sided (bool): Whether the primitive takes a side (a limb or a
            direction).
        effectors (tuple[str]): Body regions it drives (``'{side}'`` and
            ``'{other}'`` are filled in); primitives performed at the same
            time must drive different regions.
        parts (tuple): ``(part, side)`` body parts it moves, ``side`` one of
            ``'side'``, ``'other'`` or ``'both'``; these give its key joints
            and are the parts its text names.
        duration (float): Relative length of its time window.
        rate (float): Repetitions per clip length for repeated moves.
    """
    name: str
    motion: Callable
    sided: bool
    effectors: Tuple[str, ...]
    parts: Tuple[Tuple[str, str], ...]
    duration: float = 1.0
    rate: float = 0.0

    def rotations(self, u: np.ndarray, side: str, params: MotionParams,
                  rng: np.random.Generator) -> Dict[str, np.ndarray]:
        """Local rotations of the joints this primitive moves.

        Args:
            u (np.ndarray): ``(T,)`` phase within the primitive's window.
            side (str): ``'left'``, ``'right'`` or None when not sided.
            params (MotionParams): Per-sample variation.
            rng (np.random.Generator): Source of further shape variation.

        Returns:
            dict: Joint name -> ``(T, 3, 3)`` rotation.
        """
        rotations = self.motion(np.asarray(u, dtype=np.float64), params, rng)
        if side == 'left':
            rotations = {
                mirror_joint(k): mirror_rotation(v)
                for k, v in rotations.items()
            }
        return rotations

    def resolve(self, template: str, side: str) -> str:
        """Fill ``{side}``/``{other}`` of ``template`` for ``side``."""
        other = None if side is None else SIDES[1 - SIDES.index(side)]
        return template.format(side=side, other=other)

    def body_parts(self, side: str):
        """``(part, side or None)`` pairs of the parts this primitive moves."""
        resolved = {'side': side, 'both': None}
        if side is not None:
            resolved['other'] = SIDES[1 - SIDES.index(side)]
        return tuple((part, resolved[which]) for part, which in self.parts)


def _arm(name, motion, duration, rate=0.0):
    return Primitive(name, motion, True, ('{side}_arm', ),
                     (('arm', 'side'), ('hand', 'side')), duration, rate)


_LEGS = ('left_leg', 'right_leg')
_BOTH_ARMS = ('left_arm', 'right_arm')

PRIMITIVES = {
    p.name: p
    for p in (
        _arm('raise_arm', raise_arm, 1.0),
        _arm('swing_arm', swing_arm, 1.0, rate=3.0),
        _arm('circle_arm', circle_arm, 1.1, rate=2.0),
        _arm('wave_hand', wave_hand, 1.0, rate=4.0),
        _arm('punch', punch, 0.8, rate=3.0),
        _arm('reach', reach, 1.0),
        Primitive('bend_leg', bend_leg, True, _LEGS,
                  (('leg', 'side'), ('foot', 'side')), 0.9),
        Primitive('kick_leg', kick_leg, True, _LEGS,
                  (('leg', 'side'), ('foot', 'side')), 0.7),
        Primitive('squat', squat, False, _LEGS + ('torso', ),
                  (('leg', 'both'), ('hip', 'both'), ('torso', 'both')), 1.0),
        Primitive('nod', nod, False, ('head', ),
                  (('head', 'both'), ('neck', 'both')), 0.8, rate=4.0),
        Primitive('turn_head', turn_head, True, ('head', ),
                  (('head', 'both'), ('neck', 'both')), 0.8),
        Primitive('lean_forward', lean_forward, False, ('torso', ),
                  (('torso', 'both'), ), 0.9),
        Primitive('lean_side', lean_side, True, ('torso', ),
                  (('torso', 'both'), ), 0.9),
        Primitive('twist_torso', twist_torso, True, ('torso', ),
                  (('torso', 'both'), ('shoulder', 'both')), 0.9),
        Primitive('step', step, False, _LEGS,
                  (('leg', 'both'), ('foot', 'both')), 1.1, rate=3.0),
        Primitive('side_step', side_step, True, _LEGS,
                  (('leg', 'both'), ('foot', 'both')), 1.0),
        Primitive('clap', clap, False, _BOTH_ARMS,
                  (('arm', 'both'), ('hand', 'both')), 0.9, rate=4.0),
    )
}
