"""Input checks for the one-shot evaluation functions."""
import numpy as np


def check_features(features, name: str, non_negative: bool = False):
    """Return ``features`` as a 2-D float64 array or raise a clear error.

    Args:
        features (array-like): (N, D) features.
        name (str): What they are, for the message (e.g. 'query features').
        non_negative (bool): Also require every value >= 0. Defaults to
            False.

    Returns:
        np.ndarray: (N, D) float64.
    """
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] == 0 or \
            features.shape[1] == 0:
        raise ValueError(f'{name}: expected a non-empty (N, D) array, got '
                         f'shape {features.shape}')
    finite = np.isfinite(features).all(axis=1)
    if not finite.all():
        rows = np.nonzero(~finite)[0]
        raise ValueError(f'{name}: {len(rows)} rows contain NaN or inf '
                         f'(rows {rows[:10].tolist()})')
    if non_negative and (features < 0).any():
        rows = np.nonzero((features < 0).any(axis=1))[0]
        raise ValueError(
            f'{name}: {len(rows)} rows have negative values (min '
            f'{features.min():.4g}, rows {rows[:10].tolist()}); the Tukey '
            'transform of distribution calibration needs non-negative '
            "features, e.g. InfoGCNHead(embedding='hidden')")
    return features


def check_labels(labels, num: int, name: str) -> np.ndarray:
    """Return ``labels`` as a 1-D int64 array of length ``num``."""
    labels = np.asarray(labels)
    if labels.shape != (num, ):
        raise ValueError(f'{name}: expected {num} labels, got shape '
                         f'{labels.shape}')
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f'{name}: expected integer labels, got dtype '
                         f'{labels.dtype}')
    return labels.astype(np.int64)
