"""Cosine prototype matching: queries against the exemplars of each class."""
from typing import Tuple

import numpy as np

from .checks import check_features, check_labels

EPS = 1e-12


def l2_normalize(features: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm (all-zero rows stay zero)."""
    norms = np.linalg.norm(features, axis=1, keepdims=True)
    return features / np.maximum(norms, EPS)


def cosine_similarity(a, b) -> np.ndarray:
    """(Na, Nb) cosine similarities between the rows of ``a`` and ``b``."""
    a = check_features(a, 'first features')
    b = check_features(b, 'second features')
    if a.shape[1] != b.shape[1]:
        raise ValueError(f'feature widths differ: {a.shape[1]} and '
                         f'{b.shape[1]}')
    return l2_normalize(a) @ l2_normalize(b).T


def class_prototypes(exemplars, exemplar_labels) -> Tuple[np.ndarray,
                                                          np.ndarray]:
    """One prototype per class: the mean of its L2-normalised exemplars.

    With one exemplar per class (one-shot) the prototype is the exemplar's
    direction.

    Args:
        exemplars (array-like): (S, D) support features.
        exemplar_labels (array-like): (S,) their labels.

    Returns:
        tuple[np.ndarray, np.ndarray]: Sorted class labels (K,) and
        prototypes (K, D).
    """
    exemplars = check_features(exemplars, 'exemplar features')
    labels = check_labels(exemplar_labels, len(exemplars), 'exemplar labels')
    classes = np.unique(labels)
    unit = l2_normalize(exemplars)
    prototypes = np.stack([unit[labels == c].mean(0) for c in classes])
    return classes, prototypes


def prototype_scores(queries, exemplars,
                     exemplar_labels) -> Tuple[np.ndarray, np.ndarray]:
    """Cosine similarity of every query to every class prototype.

    Returns:
        tuple[np.ndarray, np.ndarray]: Sorted class labels (K,) and scores
        (Nq, K).
    """
    classes, prototypes = class_prototypes(exemplars, exemplar_labels)
    queries = check_features(queries, 'query features')
    if queries.shape[1] != prototypes.shape[1]:
        raise ValueError(f'query features have width {queries.shape[1]}, '
                         f'exemplars {prototypes.shape[1]}')
    return classes, l2_normalize(queries) @ l2_normalize(prototypes).T


def prototype_predict(queries, exemplars, exemplar_labels) -> np.ndarray:
    """Label of the most cosine-similar class prototype for every query.

    Ties go to the smaller label.

    Args:
        queries (array-like): (Nq, D) query features.
        exemplars (array-like): (S, D) exemplar (support) features.
        exemplar_labels (array-like): (S,) exemplar labels.

    Returns:
        np.ndarray: (Nq,) int64 predicted labels.
    """
    classes, scores = prototype_scores(queries, exemplars, exemplar_labels)
    return classes[scores.argmax(1)]
