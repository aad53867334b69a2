"""How well predicted joint importance matches the key joints from text."""
from typing import Dict

import numpy as np


def joint_importance_agreement(importance: np.ndarray,
                               key_joints: np.ndarray) -> Dict[str, float]:
    """Agreement of JID's ``k_out`` with binary key-joint masks ``k_gt``.

    Args:
        importance (np.ndarray): (N, V) joint importance, rows summing to 1.
        key_joints (np.ndarray): (N, V) binary key-joint masks of the
            samples' classes.

    Returns:
        dict: ``cosine``, the mean cosine of ``k_out`` and ``k_gt``;
        ``uniform_cosine``, the same for uniform weights (what a JID that
        knows nothing gets); ``effective_joints``, the mean
        ``exp(entropy(k_out))`` (V for uniform weights, 1 for one joint).

    Examples:
        >>> k_gt = np.array([[1., 1., 0., 0.]])
        >>> out = joint_importance_agreement(np.array([[.5, .5, 0, 0]]), k_gt)
        >>> round(out["cosine"], 3), round(out['effective_joints'], 3)
        (1.0, 2.0)
    """
    importance = np.asarray(importance, np.float64)
    key_joints = np.asarray(key_joints, np.float64)
    if importance.ndim != 2 or importance.shape != key_joints.shape:
        raise ValueError(f'joint importance {importance.shape} and key '
                         f'joints {key_joints.shape} must both be (N, V)')

    def cosine(a, b):
        norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
        return float(np.mean((a * b).sum(1) / np.maximum(norms, 1e-12)))

    logs = np.log(np.maximum(importance, 1e-12))
    entropy = -(importance * logs).sum(1)
    return dict(
        cosine=cosine(importance, key_joints),
        uniform_cosine=cosine(np.ones_like(key_joints), key_joints),
        effective_joints=float(np.exp(entropy).mean()))
