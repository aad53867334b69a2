"""Synthetic action classes: compositions of motion primitives.

A class is a sequence of stages performed one after the other; the moves of
one stage run at the same time on different body regions. The default list
(:data:`DEFAULT_CLASSES`) has 12 base classes, then 8 novel ones that
recombine the base classes' primitives (other sides, other orders, other
partners); longer lists continue with compositions drawn from a fixed
generator, the same whatever the data set seed.
"""
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Tuple

import numpy as np

from .primitives import PRIMITIVES, SIDES

# Primitive -> class-name fragment.
LABELS = {
    'raise_arm': 'raise {side} arm',
    'swing_arm': 'swing {side} arm',
    'circle_arm': 'circle {side} arm',
    'wave_hand': 'wave {side} hand',
    'punch': 'punch with {side} fist',
    'reach': 'reach forward with {side} arm',
    'bend_leg': 'lift {side} knee',
    'kick_leg': 'kick with {side} leg',
    'squat': 'squat',
    'nod': 'nod head',
    'turn_head': 'turn head to the {side}',
    'lean_forward': 'lean torso forward',
    'lean_side': 'lean torso to the {side}',
    'twist_torso': 'twist torso to the {side}',
    'step': 'walk in place',
    'side_step': 'step to the {side}',
    'clap': 'clap hands',
}

MAX_CLASSES = 200
_CATALOG_SEED = 2024


@dataclass(frozen=True)
class Move:
    """One primitive with its side.

    Args:
        primitive (str): Key of :data:`PRIMITIVES`.
        side (str, optional): ``'left'`` or ``'right'`` for sided
            primitives, None otherwise.
    """
    primitive: str
    side: Optional[str] = None

    def __post_init__(self):
        if self.primitive not in PRIMITIVES:
            raise ValueError(f'unknown motion primitive {self.primitive!r}; '
                             f'known: {", ".join(sorted(PRIMITIVES))}')
        sided = PRIMITIVES[self.primitive].sided
        if sided and self.side not in SIDES:
            raise ValueError(f'primitive {self.primitive!r} needs side '
                             f'left or right, got {self.side!r}')
        if not sided and self.side is not None:
            raise ValueError(f'primitive {self.primitive!r} takes no side, '
                             f'got {self.side!r}')

    @property
    def spec(self):
        return PRIMITIVES[self.primitive]

    @property
    def label(self) -> str:
        return LABELS[self.primitive].format(side=self.side)

    def effectors(self) -> Tuple[str, ...]:
        return tuple(
            self.spec.resolve(e, self.side) for e in self.spec.effectors)

    def mirrored(self) -> 'Move':
        if self.side is None:
            return self
        return Move(self.primitive, SIDES[1 - SIDES.index(self.side)])


@dataclass(frozen=True)
class ActionClass:
    """A composition of 1-3 moves in 1-3 sequential stages.

    Args:
        stages (tuple[tuple[Move]]): Stages in time order; the moves of a
            stage run together and drive different body regions.
    """
    stages: Tuple[Tuple[Move, ...], ...]

    def __post_init__(self):
        moves = self.moves
        if not 1 <= len(moves) <= 3 or any(not s for s in self.stages):
            raise ValueError(f'a class needs 1-3 moves in non-empty stages, '
                             f'got {self.stages!r}')
        if len({m.primitive for m in moves}) != len(moves):
            raise ValueError(f'class {self.name!r} repeats a primitive')
        for stage in self.stages:
            effectors = [e for m in stage for e in m.effectors()]
            if len(set(effectors)) != len(effectors):
                raise ValueError(f'class {self.name!r}: moves of one stage '
                                 f'drive the same body region {effectors}')

    @property
    def moves(self) -> Tuple[Move, ...]:
        return tuple(m for stage in self.stages for m in stage)

    @property
    def name(self) -> str:
        """Readable name, e.g. ``'raise right arm then nod head'``."""
        return ' then '.join(' and '.join(m.label for m in stage)
                             for stage in self.stages)

    def mirrored(self) -> 'ActionClass':
        """The same class performed with left and right swapped."""
        return ActionClass(
            tuple(tuple(m.mirrored() for m in s) for s in self.stages))


def _cls(*stages) -> ActionClass:
    return ActionClass(
        tuple(tuple(Move(*m) for m in stage) for stage in stages))


DEFAULT_NUM_CLASSES = 20
DEFAULT_NUM_NOVEL = 8
DEFAULT_CLASSES = (
    # base
    _cls([('raise_arm', 'right')]),
    _cls([('wave_hand', 'left')]),
    _cls([('nod', )]),
    _cls([('squat', )]),
    _cls([('kick_leg', 'right')]),
    _cls([('clap', )]),
    _cls([('step', )]),
    _cls([('circle_arm', 'left'), ('nod', )]),
    _cls([('punch', 'right')], [('side_step', 'left')]),
    _cls([('twist_torso', 'right'), ('reach', 'left')]),
    _cls([('bend_leg', 'left')], [('turn_head', 'right')],
         [('lean_side', 'left')]),
    _cls([('lean_forward', )], [('swing_arm', 'right')]),
    # novel
    _cls([('raise_arm', 'right')], [('nod', )]),
    _cls([('wave_hand', 'right')]),
    _cls([('squat', )], [('clap', )]),
    _cls([('kick_leg', 'left')]),
    _cls([('step', ), ('swing_arm', 'left')]),
    _cls([('reach', 'right')], [('lean_side', 'left')]),
    _cls([('circle_arm', 'right')], [('punch', 'left')]),
    _cls([('bend_leg', 'right')], [('turn_head', 'left')],
         [('wave_hand', 'left')]),
)


def _signature(action: ActionClass):
    return frozenset(action.moves)


def _random_class(rng: np.random.Generator) -> Optional[ActionClass]:
    names = sorted(PRIMITIVES)
    stages = []
    for _ in range(rng.choice([1, 2, 3], p=[0.2, 0.5, 0.3])):
        size = 2 if rng.random() < 0.3 else 1
        stage = []
        for _ in range(size):
            name = names[rng.integers(len(names))]
            side = SIDES[rng.integers(2)] if PRIMITIVES[name].sided else None
            stage.append(Move(name, side))
        stages.append(tuple(stage))
    try:
        action = ActionClass(tuple(stages))
    except ValueError:
        return None
    return action if len(action.moves) <= 3 else None


@lru_cache(maxsize=8)
def class_catalog(
        num_classes: int = DEFAULT_NUM_CLASSES) -> Tuple[ActionClass, ...]:
    """The first ``num_classes`` classes: the default list, then more.

    Classes beyond the default list come from a fixed generator, so class
    ``k`` is the same for every ``num_classes > k``; no two classes use the
    same set of moves.

    Args:
        num_classes (int): Number of classes, 1 to :data:`MAX_CLASSES`.
            Defaults to 20.

    Returns:
        tuple[ActionClass]: Classes in label order.
    """
    if not 1 <= num_classes <= MAX_CLASSES:
        raise ValueError(f'num_classes must be 1..{MAX_CLASSES}, '
                         f'got {num_classes}')
    classes = list(DEFAULT_CLASSES[:num_classes])
    seen = {_signature(c) for c in DEFAULT_CLASSES}
    rng = np.random.default_rng(_CATALOG_SEED)
    while len(classes) < num_classes:
        action = _random_class(rng)
        if action is not None and _signature(action) not in seen:
            seen.add(_signature(action))
            classes.append(action)
    return tuple(classes)
