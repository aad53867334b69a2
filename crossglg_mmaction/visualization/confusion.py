"""Confusion matrices of the one-shot classifiers, sized by their content."""
from typing import Sequence

import numpy as np

from .figure import as_array, check_length, new_figure

OWNER = 'confusion_figure'
MIN_CELL, MAX_CELL = 0.2, 0.45  # inches per class
NAME_FONT, VALUE_FONT = 9., 8.  # largest font sizes (points)
CHAR_WIDTH = 0.55  # mean character width, in font sizes


def cell_inches(num_classes: int) -> float:
    """Side of one cell: 0.45 in up to 11 classes, shrinking to 0.2 in
    (at 200 dpi: 40 pixels, room for a 3-digit value) from 25 classes."""
    return float(np.clip(5. / num_classes, MIN_CELL, MAX_CELL))


def confusion_figure(confusions, titles: Sequence[str],
                     class_names: Sequence[str]):
    """One panel per classifier: the confusion matrix normalised per true
    class, each non-zero cell labelled with its percentage.

    The figure grows with the number of classes (cells of
    :func:`cell_inches`) and with the longest class name, so names are
    never squeezed; the fonts shrink with the cells, no smaller than
    what a 120-class matrix at 200 dpi needs to stay readable.

    Args:
        confusions (np.ndarray): (P, K, K) counts, rows the true classes.
        titles (Sequence[str]): P panel titles.
        class_names (Sequence[str]): K class names.

    Returns:
        matplotlib.figure.Figure: The figure.
    """
    confusions = as_array(confusions, 3, 'confusions', OWNER)
    num_panels, num_classes = confusions.shape[:2]
    if confusions.shape[2] != num_classes:
        raise ValueError(f'{OWNER}: confusions must be (P, K, K), got '
                         f'{confusions.shape}')
    check_length(titles, num_panels, 'titles', OWNER)
    check_length(class_names, num_classes, 'class names', OWNER)
    cell = cell_inches(num_classes)
    name_font = min(NAME_FONT, 0.62 * cell * 72)
    value_font = min(VALUE_FONT, 0.36 * cell * 72)
    names_inches = max(len(n) for n in class_names) * name_font * \
        CHAR_WIDTH / 72
    side = num_classes * cell
    fig = new_figure((num_panels * (side + 1.2) + names_inches + 0.6,
                      side + names_inches + 1.))
    axes = fig.subplots(1, num_panels, squeeze=False)[0]
    ticks = np.arange(num_classes)
    for i, (ax, counts, title) in enumerate(zip(axes, confusions, titles)):
        rates = counts / np.maximum(counts.sum(1, keepdims=True), 1)
        image = ax.imshow(rates, vmin=0, vmax=1, cmap='Blues',
                          interpolation='nearest')
        for row, col in zip(*np.nonzero(counts)):
            ax.text(col, row, f'{100 * rates[row, col]:.0f}',
                    ha='center', va='center', fontsize=value_font,
                    color='white' if rates[row, col] > .55 else '0.15')
        ax.set_xticks(ticks, class_names, rotation=90, fontsize=name_font)
        ax.set_yticks(ticks, class_names if i == 0 else [],
                      fontsize=name_font)
        ax.set_xlabel('predicted class')
        if i == 0:
            ax.set_ylabel('true class')
        ax.set_title(title)
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.01,
                           shrink=min(1., 4. / side + .3))
        bar.set_label("share of the true class's queries (cells: %)")
    return fig
