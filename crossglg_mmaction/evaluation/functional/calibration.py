"""Distribution calibration (Yang et al., "Free Lunch for Few-shot Learning",
ICLR 2021), for a single fixed one-shot episode.

Base-class statistics come from the raw base features; support and query
features go through Tukey's ladder of powers; every support feature borrows
the statistics of its ``k`` nearest base classes, features are sampled from
the calibrated Gaussian and a logistic regression is trained on them and the
support. The Tukey transform needs non-negative features (e.g. InfoGCN's
ReLU ``hidden`` embedding).
"""
from typing import Tuple

import numpy as np

from .checks import check_features, check_labels

TUKEY_LAMBDA = 0.5
TOP_K = 2
ALPHA = 0.21
NUM_SAMPLED = 750


def tukey_transform(features, lam: float = TUKEY_LAMBDA) -> np.ndarray:
    """Tukey's ladder of powers ``x ** lam`` with ``lam > 0``.

    (The ``lam = 0`` rung, ``log x``, is left out: ReLU features are often
    exactly zero.)

    Args:
        features (array-like): (N, D) non-negative features.
        lam (float): The power. Defaults to 0.5.
    """
    if not lam > 0:
        raise ValueError(f'Tukey transform power must be > 0, got {lam!r}')
    features = check_features(features, 'features', non_negative=True)
    return np.power(features, lam)


def base_statistics(features,
                    labels) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and covariance (``np.cov``, N-1 normalised) of every base class.

    Args:
        features (array-like): (N, D) raw base-class features.
        labels (array-like): (N,) their labels.

    Returns:
        tuple: classes (C,), means (C, D) and covariances (C, D, D).
    """
    features = check_features(features, 'base features')
    labels = check_labels(labels, len(features), 'base labels')
    classes, counts = np.unique(labels, return_counts=True)
    if (counts < 2).any():
        raise ValueError(f'base classes {classes[counts < 2].tolist()} have '
                         'fewer than 2 samples; a covariance needs at least 2')
    means = np.stack([features[labels == c].mean(0) for c in classes])
    covs = np.stack([np.cov(features[labels == c].T) for c in classes])
    return classes, means, covs.reshape(len(classes), features.shape[1], -1)


def calibrate(support, base_means, base_covs, k: int = TOP_K,
              alpha: float = ALPHA) -> Tuple[np.ndarray, np.ndarray]:
    """Calibrated Gaussian of one (Tukey-transformed) support feature.

    The mean averages the ``k`` base means nearest to ``support``
    (Euclidean) and ``support`` itself; the covariance averages their
    covariances and adds ``alpha`` to every entry.

    Args:
        support (np.ndarray): (D,) support feature.
        base_means (np.ndarray): (C, D).
        base_covs (np.ndarray): (C, D, D).
        k (int): Nearest base classes. Defaults to 2.
        alpha (float): Added to every covariance entry. Defaults to 0.21.

    Returns:
        tuple[np.ndarray, np.ndarray]: mean (D,) and covariance (D, D).
    """
    if not 1 <= k <= len(base_means):
        raise ValueError(f'k={k} nearest base classes requested, but there '
                         f'are {len(base_means)} base classes')
    distances = np.linalg.norm(base_means - support[None], axis=1)
    nearest = np.argsort(distances, kind='stable')[:k]
    mean = np.concatenate([base_means[nearest], support[None]]).mean(0)
    cov = base_covs[nearest].mean(0) + alpha
    return mean, cov


def sample_calibrated(support, support_labels, base_means, base_covs,
                      rng: np.random.Generator, k: int = TOP_K,
                      alpha: float = ALPHA,
                      num_sampled: int = NUM_SAMPLED):
    """Features drawn from the calibrated distribution of each support.

    Each of the ``n`` supports of a class draws ``num_sampled // n``
    features, so a class gets about ``num_sampled`` (exactly, one-shot).

    Args:
        support (np.ndarray): (S, D) Tukey-transformed support features.
        support_labels (np.ndarray): (S,) their labels.
        base_means (np.ndarray): (C, D) raw base means.
        base_covs (np.ndarray): (C, D, D) raw base covariances.
        rng (np.random.Generator): Random source.
        k (int): Defaults to 2.
        alpha (float): Defaults to 0.21.
        num_sampled (int): Features per class. Defaults to 750.

    Returns:
        tuple[np.ndarray, np.ndarray]: sampled features (N, D) and labels.
    """
    classes, shots = np.unique(support_labels, return_counts=True)
    per_support = {c: num_sampled // n for c, n in zip(classes, shots)}
    features, labels = [], []
    for feature, label in zip(support, support_labels):
        mean, cov = calibrate(feature, base_means, base_covs, k, alpha)
        num = per_support[label]
        features.append(rng.multivariate_normal(mean, cov, size=num))
        labels.append(np.full(num, label, dtype=np.int64))
    return np.concatenate(features), np.concatenate(labels)


def distribution_calibration_predict(support,
                                     support_labels,
                                     queries,
                                     base_features,
                                     base_labels,
                                     lam: float = TUKEY_LAMBDA,
                                     k: int = TOP_K,
                                     alpha: float = ALPHA,
                                     num_sampled: int = NUM_SAMPLED,
                                     seed: int = 0,
                                     max_iter: int = 1000) -> np.ndarray:
    """Classify queries with a calibrated-distribution logistic regression.

    Args:
        support (array-like): (S, D) non-negative exemplar features.
        support_labels (array-like): (S,) their labels.
        queries (array-like): (Nq, D) non-negative query features.
        base_features (array-like): (Nb, D) raw base-class features.
        base_labels (array-like): (Nb,) their labels.
        lam (float): Tukey power. Defaults to 0.5.
        k (int): Nearest base classes. Defaults to 2.
        alpha (float): Covariance offset. Defaults to 0.21.
        num_sampled (int): Sampled features per class. Defaults to 750.
        seed (int): Seed of the ``np.random.default_rng`` used for sampling.
            Defaults to 0.
        max_iter (int): ``LogisticRegression`` iterations. Defaults to 1000.

    Returns:
        np.ndarray: (Nq,) int64 predicted labels.
    """
    from sklearn.linear_model import LogisticRegression

    support = check_features(support, 'support features', non_negative=True)
    support_labels = check_labels(support_labels, len(support),
                                  'support labels')
    queries = check_features(queries, 'query features', non_negative=True)
    _, base_means, base_covs = base_statistics(base_features, base_labels)
    widths = {support.shape[1], queries.shape[1], base_means.shape[1]}
    if len(widths) != 1:
        raise ValueError(f'support, query and base features differ in '
                         f'width: {sorted(widths)}')
    if len(np.unique(support_labels)) < 2:
        raise ValueError('distribution calibration needs at least 2 '
                         'support classes')
    support = tukey_transform(support, lam)
    sampled, sampled_labels = sample_calibrated(
        support, support_labels, base_means, base_covs,
        np.random.default_rng(seed), k, alpha, num_sampled)
    classifier = LogisticRegression(max_iter=max_iter)
    classifier.fit(
        np.concatenate([support, sampled]),
        np.concatenate([support_labels, sampled_labels]))
    return classifier.predict(tukey_transform(queries, lam)).astype(np.int64)
