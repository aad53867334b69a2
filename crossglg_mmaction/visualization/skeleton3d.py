"""A 3D skeleton frame with a sphere per joint sized by importance (Fig. 6)."""
from typing import Optional, Sequence, Tuple

import numpy as np

from .figure import as_array, check_length, new_figure, save_png

OWNER = 'plot_skeleton'
AXES = 'xyz'
MIN_AREA, MAX_AREA = 15., 450.  # marker areas (points^2) of 0 and the max


def marker_areas(importance: np.ndarray) -> np.ndarray:
    """Marker areas growing linearly with importance, largest for the max."""
    top = importance.max()
    share = importance / top if top > 0 else np.zeros_like(importance)
    return MIN_AREA + (MAX_AREA - MIN_AREA) * np.clip(share, 0, 1)


def style_axes(ax, coords: np.ndarray, vertical_axis: str) -> None:
    """A cube around the skeleton, the same scale on every axis, three
    ticks per axis in data units and the vertical axis named 'up'."""
    from matplotlib.ticker import MaxNLocator

    low, high = coords.min(0), coords.max(0)
    centre, half = (low + high) / 2, max((high - low).max() / 2, 1e-6) * 1.05
    ax.set_xlim(centre[0] - half, centre[0] + half)
    ax.set_ylim(centre[1] - half, centre[1] + half)
    ax.set_zlim(centre[2] - half, centre[2] + half)
    ax.set_box_aspect((1, 1, 1))
    for name, axis in zip(AXES, (ax.xaxis, ax.yaxis, ax.zaxis)):
        axis.set_major_locator(MaxNLocator(3))
        axis.set_tick_params(labelsize=6, pad=0)
        axis.set_label_text(f'{name} (up)' if name == vertical_axis else
                            name, fontsize=7)
        axis.labelpad = -4


def label_joints(ax, coords: np.ndarray, values: np.ndarray,
                 joint_names: Sequence[str], num_labelled: int) -> None:
    """Name the most important joints in the panel's side margins.

    A joint left of the body's middle (as drawn) is named at the left edge,
    the others at the right edge; on each side the names are stacked in the
    joints' top-to-bottom order and joined to their spheres by thin leader
    lines, so names overlap neither each other nor the spheres.
    """
    from mpl_toolkits.mplot3d import proj3d

    drawn_x, drawn_y, _ = proj3d.proj_transform(*coords.T, ax.get_proj())
    middle = np.median(drawn_x)
    joints = np.argsort(-values)[:num_labelled]
    for left in (True, False):
        side = [j for j in joints if (drawn_x[j] < middle) == left]
        side.sort(key=lambda j: -drawn_y[j])
        for slot, joint in enumerate(side):
            name = str(joint_names[joint]).replace('_', ' ')
            ax.annotate(
                f'{name} ({values[joint]:.2f})',
                xy=(drawn_x[joint], drawn_y[joint]), xycoords='data',
                xytext=(0.01 if left else 0.99, 0.9 - 0.09 * slot),
                textcoords='axes fraction', fontsize=7,
                ha='left' if left else 'right', va='center',
                bbox=dict(boxstyle='round,pad=0.15', fc='white', ec='none',
                          alpha=0.8),
                arrowprops=dict(arrowstyle='-', color='0.4', lw=0.6,
                                shrinkA=0, shrinkB=4))


def plot_skeleton(coords,
                  edges: Sequence[Tuple[int, int]],
                  importance,
                  out_file: str,
                  joint_names: Optional[Sequence[str]] = None,
                  panel_titles: Optional[Sequence[str]] = None,
                  title: Optional[str] = None,
                  value_label: str = 'importance',
                  vertical_axis: str = 'z',
                  view: Tuple[float, float] = (12., 105.),
                  num_labelled: int = 3) -> str:
    """One skeleton frame per panel, a sphere per joint sized and coloured
    by its importance, one panel per importance vector.

    Every panel scales its own markers (the largest importance gets the
    largest sphere) and has its own colour bar, so models whose importances
    live on different scales can sit side by side.

    Args:
        coords (np.ndarray): (V, 3) joint coordinates of the frame.
        edges (Sequence[tuple[int, int]]): Bones as joint index pairs, e.g.
            ``Layout.edges``.
        importance (np.ndarray): (V,) importance, or (P, V) for P panels.
        out_file (str): Destination PNG.
        joint_names (Sequence[str], optional): V names; the
            ``num_labelled`` most important joints of each panel are named
            in its margins with their values (:func:`label_joints`).
            Defaults to None (no labels).
        panel_titles (Sequence[str], optional): P panel titles. Defaults to
            None.
        title (str, optional): Figure title. Defaults to None.
        value_label (str): Colour bar label. Defaults to 'importance'.
        vertical_axis (str): Data axis drawn upwards: 'x', 'y' or 'z'
            (MMAction2's ``PreNormalize3D`` aligns the spine with +z).
            Defaults to 'z'.
        view (tuple[float, float]): Camera elevation and azimuth in
            degrees. The default looks at the front of a skeleton normalised
            by ``PreNormalize3D`` (spine along +z, right shoulder towards
            +x, so the body faces +y). Defaults to (12., 105.).
        num_labelled (int): Joints labelled per panel. Defaults to 3.

    Returns:
        str: ``out_file``.
    """
    coords = as_array(coords, 2, 'coords', OWNER)
    importance = np.asarray(importance)
    if importance.ndim == 1:
        importance = importance[None]
    importance = as_array(importance, 2, 'importance', OWNER)
    num_panels, num_joints = importance.shape
    if coords.shape != (num_joints, 3):
        raise ValueError(f'{OWNER}: coords must be (V, 3) = ({num_joints}, '
                         f'3) to match importance, got {coords.shape}')
    bad = [e for e in edges
           if len(e) != 2 or not all(0 <= j < num_joints for j in e)]
    if bad:
        raise ValueError(f'{OWNER}: edges {bad[:5]} name joints outside '
                         f'0..{num_joints - 1}')
    if vertical_axis not in AXES:
        raise ValueError(f'{OWNER}: vertical_axis must be x, y or z, got '
                         f'{vertical_axis!r}')
    check_length(joint_names, num_joints, 'joint names', OWNER)
    check_length(panel_titles, num_panels, 'panel titles', OWNER)

    fig = new_figure((4.6 * num_panels + 0.4, 5.2))
    for panel, values in enumerate(importance):
        ax = fig.add_subplot(1, num_panels, panel + 1, projection='3d')
        for child, parent in edges:
            ax.plot(*coords[[child, parent]].T, color='0.35', linewidth=1.6)
        points = ax.scatter(*coords.T, s=marker_areas(values), c=values,
                            cmap='Reds', vmin=0, alpha=0.75,
                            edgecolors='0.2', linewidths=0.5,
                            depthshade=False)
        ax.view_init(elev=view[0], azim=view[1],
                     vertical_axis=vertical_axis)
        style_axes(ax, coords, vertical_axis)
        if joint_names is not None:
            label_joints(ax, coords, values, joint_names, num_labelled)
        if panel_titles is not None:
            ax.set_title(panel_titles[panel], fontsize=10)
        bar = fig.colorbar(points, ax=ax, shrink=0.55, pad=0.02,
                           location='bottom')
        bar.set_label(f'{value_label} (sphere size and colour)', fontsize=8)
    if title:
        fig.suptitle(title)
    return save_png(fig, out_file)
