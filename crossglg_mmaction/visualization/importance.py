"""Joint importance predicted by JID next to the text's key joints (Fig. 4)."""
from typing import Optional, Sequence

import numpy as np

from .figure import as_array, check_length, new_figure, save_png

OWNER = 'plot_joint_importance'


def normalise_rows(values: np.ndarray) -> np.ndarray:
    """Scale every row to sum 1 (rows summing to 0 stay 0)."""
    totals = values.sum(1, keepdims=True)
    return np.divide(values, totals, out=np.zeros_like(values),
                     where=totals != 0)


def plot_joint_importance(key_joints,
                          importance,
                          class_names: Sequence[str],
                          joint_names: Sequence[str],
                          out_file: str,
                          title: Optional[str] = None) -> str:
    """Two stacked heatmaps (classes x joints): ``k_gt`` above, JID below.

    The upper map is the key-joint mask ``k_gt`` of every class normalised
    to sum 1 over joints, so that it reads as a distribution like JID's
    softmax output; the lower map is the mean JID output ``k_out`` of the
    class's samples. Each map has its own colour bar.

    Args:
        key_joints (np.ndarray): (K, V) key-joint masks (or weights) ``k_gt``.
        importance (np.ndarray): (K, V) mean JID output per class.
        class_names (Sequence[str]): K row labels.
        joint_names (Sequence[str]): V column labels.
        out_file (str): Destination PNG.
        title (str, optional): Figure title. Defaults to None.

    Returns:
        str: ``out_file``.
    """
    key_joints = as_array(key_joints, 2, 'key_joints', OWNER)
    importance = as_array(importance, 2, 'importance', OWNER)
    if key_joints.shape != importance.shape:
        raise ValueError(f'{OWNER}: key_joints {key_joints.shape} and '
                         f'importance {importance.shape} differ in shape')
    num_classes, num_joints = importance.shape
    check_length(class_names, num_classes, 'class names', OWNER)
    check_length(joint_names, num_joints, 'joint names', OWNER)

    panels = (
        (normalise_rows(key_joints), 'Reds',
         'key joints from the text: $k_{gt}$ normalised to sum 1',
         'share of $k_{gt}$'),
        (importance, 'Blues', 'JID output: mean $k_{out}$ per class',
         '$k_{out}$'),
    )
    height = 0.32 * num_classes + 1.3
    fig = new_figure((0.36 * num_joints + 3.5, 2 * height + 1.2))
    axes = fig.subplots(2, 1, sharex=True)
    for ax, (values, cmap, panel_title, bar_label) in zip(axes, panels):
        image = ax.imshow(values, cmap=cmap, vmin=0, aspect='auto',
                          interpolation='nearest')
        ax.set_yticks(np.arange(num_classes), class_names, fontsize=8)
        ax.set_ylabel('class')
        ax.set_title(panel_title, fontsize=10)
        bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
        bar.set_label(bar_label)
    axes[1].set_xticks(np.arange(num_joints), joint_names, rotation=90,
                       fontsize=8)
    axes[1].set_xlabel('joint')
    if title:
        fig.suptitle(title)
    return save_png(fig, out_file)
