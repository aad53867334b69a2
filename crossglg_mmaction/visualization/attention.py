"""Spatial attention matrices of the skeleton encoder (paper Fig. 5)."""
from typing import Optional, Sequence

import numpy as np

from .figure import (REGION_COLOURS, as_array, check_length, new_figure,
                     save_png)

OWNER = 'plot_attention'


def colour_scale(values: np.ndarray):
    """Colour map and limits: sequential from 0, diverging with negatives."""
    low, high = float(values.min()), float(values.max())
    if low < 0:
        bound = max(-low, high) or 1.
        return 'RdBu_r', -bound, bound
    return 'Blues', 0., high or 1.


def _colour_ticks(labels, regions):
    for label, region in zip(labels, regions):
        label.set_color(REGION_COLOURS.get(region, REGION_COLOURS['other']))


def plot_attention(maps,
                   joint_names: Sequence[str],
                   out_file: str,
                   blocks: Sequence,
                   models: Optional[Sequence[str]] = None,
                   title: Optional[str] = None,
                   joint_regions: Optional[Sequence[str]] = None,
                   value_label: str = 'attention x topology',
                   shared_scale: bool = True) -> str:
    """A grid of V x V attention matrices: one row per model, one column
    per encoder block.

    Row ``u`` of a matrix is the attention of joint ``u`` over all joints
    (the weights with which it gathers their features). Colours are
    sequential, or diverging around 0 when a learned topology made entries
    negative. By default every panel shares one colour scale and colour
    bar, so blocks and models compare directly; with ``shared_scale=False``
    each column (block) has its own, shared by the models, which shows the
    structure of blocks whose values are small.

    Args:
        maps (np.ndarray): (R, B, V, V) matrices, or (B, V, V) for one model.
        joint_names (Sequence[str]): V joint names.
        out_file (str): Destination PNG.
        blocks (Sequence): The B block ids of the columns (shared by all
            rows), or one such sequence per row.
        models (Sequence[str], optional): R row names. Defaults to None (no
            row names).
        title (str, optional): Figure title. Defaults to None.
        joint_regions (Sequence[str], optional): Body region of every joint
            (see :func:`~.figure.joint_regions`); colours the joint names.
            Defaults to None (black names).
        value_label (str): Colour bar label. Defaults to
            'attention x topology'.
        shared_scale (bool): One colour scale for all panels, else one per
            block. Defaults to True.

    Returns:
        str: ``out_file``.
    """
    maps = np.asarray(maps)
    if maps.ndim == 3:
        maps = maps[None]
    maps = as_array(maps, 4, 'maps', OWNER)
    num_rows, num_blocks, num_joints = maps.shape[:3]
    if maps.shape[3] != num_joints:
        raise ValueError(f'{OWNER}: maps must be (R, B, V, V), got '
                         f'{maps.shape}')
    blocks = list(blocks)
    if not blocks or not isinstance(blocks[0], (list, tuple)):
        blocks = [blocks] * num_rows
    check_length(blocks, num_rows, 'block lists', OWNER)
    for row_blocks in blocks:
        check_length(row_blocks, num_blocks, 'block ids', OWNER)
    check_length(models, num_rows, 'model names', OWNER)
    check_length(joint_names, num_joints, 'joint names', OWNER)
    check_length(joint_regions, num_joints, 'joint regions', OWNER)

    side = 0.13 * num_joints + 1.2
    fig = new_figure((num_blocks * (side + 0.8) + 1.2,
                      num_rows * (side + 0.3) + 1.6))
    axes = fig.subplots(num_rows, num_blocks, squeeze=False)
    ticks = np.arange(num_joints)
    for col in range(num_blocks):
        cmap, low, high = colour_scale(maps if shared_scale else maps[:, col])
        for row in range(num_rows):
            ax = axes[row, col]
            image = ax.imshow(maps[row, col], cmap=cmap, vmin=low,
                              vmax=high, interpolation='nearest')
            ax.set_title(f'block {blocks[row][col]}', fontsize=10)
            ax.set_xticks(ticks, [] if row < num_rows - 1 else joint_names,
                          rotation=90, fontsize=6)
            ax.set_yticks(ticks, joint_names if col == 0 else [],
                          fontsize=6)
            if joint_regions is not None:
                _colour_ticks(ax.get_xticklabels(), joint_regions)
                _colour_ticks(ax.get_yticklabels(), joint_regions)
            if col == 0:
                name = f'{models[row]}\n' if models else ''
                ax.set_ylabel(f'{name}query joint (row)')
            if row == num_rows - 1:
                ax.set_xlabel('attended joint (column)')
        if not shared_scale:
            bar = fig.colorbar(image, ax=axes[:, col], fraction=0.05,
                               shrink=0.8, pad=0.02)
            bar.set_label(value_label)
    if shared_scale:
        bar = fig.colorbar(image, ax=axes, fraction=0.05 / num_blocks,
                           shrink=0.8, pad=0.02)
        bar.set_label(f'{value_label} (one scale for all panels)')
    if joint_regions is not None:
        from matplotlib.patches import Patch
        present = [r for r in REGION_COLOURS if r in set(joint_regions)]
        fig.legend(
            handles=[Patch(color=REGION_COLOURS[r], label=r)
                     for r in present],
            loc='outside lower center', ncols=len(present), fontsize=8,
            title='joint name colour: body region', title_fontsize=8)
    if title:
        fig.suptitle(title)
    return save_png(fig, out_file)
