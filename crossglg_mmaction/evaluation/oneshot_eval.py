"""Offline one-shot evaluation of extracted features, and its report files.

:func:`evaluate_oneshot` runs both classifiers (cosine prototypes and
distribution calibration) on the exemplars and queries of the evaluated
classes; :func:`write_report` writes its JSON, per-class CSV and
confusion-matrix PNG. Used by ``tools/test_oneshot.py``.
"""
import csv
import io
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..fileio import atomic_write
from .functional import (check_features, confusion_matrix,
                         distribution_calibration_predict,
                         mean_class_accuracy, per_class_accuracy,
                         prototype_predict, top1_accuracy)

CLASSIFIERS = ('prototype', 'calibrated')
REPORT_FILES = ('results.json', 'per_class.csv', 'confusion_matrix.png')


def _scores(predictions, labels, classes) -> dict:
    _, per_class = per_class_accuracy(predictions, labels, classes)
    return dict(
        top1=top1_accuracy(predictions, labels),
        mean_class_accuracy=mean_class_accuracy(predictions, labels),
        per_class=per_class.tolist(),
        confusion=confusion_matrix(predictions, labels, classes).tolist())


def evaluate_oneshot(base: Dict[str, np.ndarray],
                     novel: Dict[str, np.ndarray],
                     calibration: bool = True,
                     seed: int = 0) -> dict:
    """Classify the queries of the evaluated classes with both classifiers.

    Args:
        base (dict): ``embedding`` (Nb, D) and ``label`` (Nb,) of the base
            classes (statistics for distribution calibration).
        novel (dict): ``embedding`` (N, D), ``label`` (N,) and
            ``is_exemplar`` (N,) of the evaluated classes; exactly one
            exemplar per class.
        calibration (bool): Also run distribution calibration (needs
            non-negative embeddings). Defaults to True.
        seed (int): Sampling seed of the calibration. Defaults to 0.

    Returns:
        dict: ``classes`` (sorted labels), ``num_queries``,
        ``num_exemplars``, ``query_counts`` and per classifier
        (``prototype``, ``calibrated`` or None) ``top1``,
        ``mean_class_accuracy``, ``per_class`` and ``confusion``.
    """
    flags = np.asarray(novel['is_exemplar'], dtype=bool)
    labels = np.asarray(novel['label'], dtype=np.int64)
    embeddings = check_features(novel['embedding'], 'novel features')
    classes = np.unique(labels)
    exemplar_labels = labels[flags]
    counts = [int((exemplar_labels == c).sum()) for c in classes]
    if any(n != 1 for n in counts) or flags.all():
        raise ValueError(
            'one-shot evaluation needs exactly one exemplar and at least one '
            'query per class; exemplars per class: ' +
            str(dict(zip(classes.tolist(), counts))))
    queries, query_labels = embeddings[~flags], labels[~flags]
    exemplars = embeddings[flags]
    result = dict(
        classes=classes.tolist(),
        num_queries=int(len(queries)),
        num_exemplars=int(len(exemplars)),
        query_counts=[int((query_labels == c).sum()) for c in classes],
        prototype=_scores(
            prototype_predict(queries, exemplars, exemplar_labels),
            query_labels, classes),
        calibrated=None)
    if calibration:
        if (embeddings < 0).any() or (np.asarray(base['embedding']) <
                                      0).any():
            raise ValueError(
                'distribution calibration needs non-negative embeddings '
                '(its Tukey transform takes square roots), but these have '
                "negative values: use InfoGCNHead(embedding='hidden') (the "
                'ReLU features) or switch calibration off')
        predictions = distribution_calibration_predict(
            exemplars, exemplar_labels, queries, base['embedding'],
            base['label'], seed=seed)
        result['calibrated'] = _scores(predictions, query_labels, classes)
    return result


def confusion_png(result: dict, class_names: Sequence[str]) -> bytes:
    """PNG bytes: the confusion matrix of each classifier, normalised per
    true class, with cell values
    (:func:`~crossglg_mmaction.visualization.confusion.confusion_figure`).
    """
    from ..visualization.confusion import confusion_figure
    from ..visualization.figure import png_bytes

    panels = [c for c in CLASSIFIERS if result.get(c)]
    return png_bytes(confusion_figure(
        [result[c]['confusion'] for c in panels],
        [f'{c}: top-1 {100 * result[c]["top1"]:.1f}%' for c in panels],
        class_names))


def per_class_rows(result: dict, class_names: Sequence[str],
                   exemplars: Sequence[str]) -> List[dict]:
    """One CSV row per evaluated class."""
    rows = []
    for i, label in enumerate(result['classes']):
        row = dict(
            label=label,
            name=class_names[i],
            exemplar=exemplars[i],
            num_queries=result['query_counts'][i])
        for name in CLASSIFIERS:
            if result.get(name):
                row[f'{name}_accuracy'] = result[name]['per_class'][i]
        rows.append(row)
    return rows


def format_table(summary: dict) -> str:
    """The result table printed by ``tools/test_oneshot.py`` (percent)."""

    def percent(value: Optional[float]) -> str:
        return '-' if value is None else f'{100 * value:.2f}'

    header = ('protocol', 'base classes', '#queries', 'prototype top-1',
              'calibrated top-1', 'mean class acc.')
    calibrated = summary['calibrated']
    row = (f"{summary['protocol']} ({summary['subset']})",
           str(summary['num_base_classes']), str(summary['num_queries']),
           percent(summary['prototype']['top1']),
           percent(calibrated and calibrated['top1']),
           percent(summary['prototype']['mean_class_accuracy']))
    widths = [max(len(h), len(r)) for h, r in zip(header, row)]

    def line(cells):
        return '| ' + ' | '.join(
            c.ljust(w) for c, w in zip(cells, widths)) + ' |'

    rule = '|' + '|'.join('-' * (w + 2) for w in widths) + '|'
    return '\n'.join([line(header), rule, line(row)])


def write_report(out_dir: str, summary: dict, rows: List[dict],
                 png: bytes) -> Dict[str, str]:
    """Write results.json, per_class.csv and confusion_matrix.png.

    Everything is rendered before the first write and every file is written
    atomically, so a failure leaves no half-written file.

    Returns:
        dict: File kind -> path.
    """
    text = json.dumps(summary, indent=2) + '\n'
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    paths = {name: osp.join(out_dir, name) for name in REPORT_FILES}
    with atomic_write(paths['results.json']) as f:
        f.write(text)
    with atomic_write(paths['per_class.csv']) as f:
        f.write(table.getvalue())
    with atomic_write(paths['confusion_matrix.png'], 'wb') as f:
        f.write(png)
    return paths
