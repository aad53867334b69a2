"""Accuracy measures and the confusion matrix for label predictions."""
from typing import Optional, Sequence, Tuple

import numpy as np


def _pair(predictions, labels) -> Tuple[np.ndarray, np.ndarray]:
    predictions = np.asarray(predictions)
    labels = np.asarray(labels)
    if predictions.ndim != 1 or predictions.shape != labels.shape:
        raise ValueError(f'expected predictions and labels of the same 1-D '
                         f'shape, got {predictions.shape} and '
                         f'{labels.shape}')
    if labels.size == 0:
        raise ValueError('no predictions to score')
    return predictions.astype(np.int64), labels.astype(np.int64)


def top1_accuracy(predictions, labels) -> float:
    """Fraction of predictions equal to their label."""
    predictions, labels = _pair(predictions, labels)
    return float((predictions == labels).mean())


def per_class_accuracy(
        predictions,
        labels,
        classes: Optional[Sequence[int]] = None
) -> Tuple[np.ndarray, np.ndarray]:
    """Accuracy of each class.

    Args:
        predictions (array-like): (N,) predicted labels.
        labels (array-like): (N,) true labels.
        classes (Sequence[int], optional): Classes to report. Defaults to
            None (the labels present).

    Returns:
        tuple[np.ndarray, np.ndarray]: Classes (K,) and accuracies (K,);
        NaN for a class without samples.
    """
    predictions, labels = _pair(predictions, labels)
    classes = np.unique(labels) if classes is None else np.asarray(
        classes, dtype=np.int64)
    accuracy = np.full(len(classes), np.nan)
    for i, c in enumerate(classes):
        mask = labels == c
        if mask.any():
            accuracy[i] = (predictions[mask] == c).mean()
    return classes, accuracy


def mean_class_accuracy(predictions, labels) -> float:
    """Mean over the classes present in ``labels`` of their accuracy."""
    _, accuracy = per_class_accuracy(predictions, labels)
    return float(accuracy.mean())


def confusion_matrix(predictions, labels,
                     classes: Sequence[int]) -> np.ndarray:
    """(K, K) counts: row = true class, column = predicted class.

    Args:
        predictions (array-like): (N,) predicted labels.
        labels (array-like): (N,) true labels.
        classes (Sequence[int]): Row/column order; every label and
            prediction must be one of them.

    Returns:
        np.ndarray: (K, K) int64.
    """
    predictions, labels = _pair(predictions, labels)
    classes = np.asarray(classes, dtype=np.int64)
    index = {int(c): i for i, c in enumerate(classes)}
    unknown = sorted(set(np.concatenate([predictions, labels]).tolist()) -
                     set(index))
    if unknown:
        raise ValueError(f'labels/predictions {unknown} are not in classes '
                         f'{classes.tolist()}')
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for true, pred in zip(labels, predictions):
        matrix[index[int(true)], index[int(pred)]] += 1
    return matrix
