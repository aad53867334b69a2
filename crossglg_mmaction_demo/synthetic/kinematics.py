"""Rotations and forward kinematics over a layout's kinematic tree.

Frames follow the body frame of :mod:`.body`: ``x`` to the person's right,
``y`` up, ``z`` backwards (the person faces ``-z``, towards the camera).
Rotations are ``(..., 3, 3)`` matrices; a joint's local rotation turns the
bones to its children, expressed in its parent's frame.
"""
import numpy as np

# Reflection through the sagittal plane: maps right-side motion to the left.
MIRROR = np.diag([-1.0, 1.0, 1.0])


def rotvec_to_matrix(rotvec) -> np.ndarray:
    """Rotation matrices from rotation vectors (axis * angle, radians).

    Args:
        rotvec (array-like): Shape ``(..., 3)``.

    Returns:
        np.ndarray: Shape ``(..., 3, 3)``.
    """
    rotvec = np.asarray(rotvec, dtype=np.float64)
    angle = np.linalg.norm(rotvec, axis=-1)[..., None, None]
    safe = np.where(angle > 1e-12, angle, 1.0)
    kx, ky, kz = np.moveaxis(rotvec / safe[..., 0], -1, 0)
    zero = np.zeros_like(kx)
    cross = np.stack([
        np.stack([zero, -kz, ky], -1),
        np.stack([kz, zero, -kx], -1),
        np.stack([-ky, kx, zero], -1)
    ], -2)
    eye = np.broadcast_to(np.eye(3), cross.shape)
    return eye + np.sin(angle) * cross + (1 - np.cos(angle)) * (cross @ cross)


def axis_rotation(axis: str, angle) -> np.ndarray:
    """Rotation about a body axis (``'x'``, ``'y'`` or ``'z'``) by ``angle``.

    Args:
        axis (str): Axis name.
        angle (array-like): Angles in radians, any shape ``S``.

    Returns:
        np.ndarray: Shape ``S + (3, 3)``.
    """
    angle = np.asarray(angle, dtype=np.float64)
    rotvec = np.zeros(angle.shape + (3, ))
    rotvec[..., 'xyz'.index(axis)] = angle
    return rotvec_to_matrix(rotvec)


def mirror_rotation(rotation: np.ndarray) -> np.ndarray:
    """The same rotation seen in a mirror (left-right swapped)."""
    return MIRROR @ rotation @ MIRROR


def forward_kinematics(parents, offsets: np.ndarray,
                       local: np.ndarray) -> np.ndarray:
    """Joint positions from bone offsets and joint rotations.

    Every bone keeps its length: a child sits at its parent's position plus
    the parent's global rotation applied to the child's rest offset.

    Args:
        parents (Sequence[int]): Parent of every joint, ``-1`` for the root.
        offsets (np.ndarray): ``(V, 3)`` rest offset of each joint from its
            parent (the root's entry is ignored).
        local (np.ndarray): ``(T, V, 3, 3)`` local rotation of each joint;
            the root's turns the whole body about the root.

    Returns:
        np.ndarray: ``(T, V, 3)`` positions with the root at the origin.
    """
    num_frames, num_joints = local.shape[:2]
    world = np.empty_like(local)
    positions = np.zeros((num_frames, num_joints, 3))
    for joint in _topological_order(parents):
        parent = parents[joint]
        if parent < 0:
            world[:, joint] = local[:, joint]
            continue
        positions[:, joint] = positions[:, parent] + np.einsum(
            'tij,j->ti', world[:, parent], offsets[joint])
        world[:, joint] = world[:, parent] @ local[:, joint]
    return positions


def _topological_order(parents):
    """Joint indices ordered so that every parent precedes its children."""
    order, placed = [], set()
    while len(order) < len(parents):
        for joint, parent in enumerate(parents):
            if joint not in placed and (parent < 0 or parent in placed):
                order.append(joint)
                placed.add(joint)
    return order
