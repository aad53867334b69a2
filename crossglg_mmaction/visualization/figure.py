"""Figures on matplotlib's Agg canvas, saved atomically as PNG."""
import io
from typing import List, Optional, Sequence

import numpy as np

from ..fileio import atomic_write

DPI = 200  # resolution of every saved figure (slides, papers)

# Body regions for the colour strips of the attention matrices, in display
# order: (region, ((part, side), ...)) with the layout's part names.
REGIONS = (
    ('head', (('head', None), ('neck', None))),
    ('torso', (('torso', None), ('spine', None), ('chest', None))),
    ('left arm', (('arm', 'left'), ('hand', 'left'))),
    ('right arm', (('arm', 'right'), ('hand', 'right'))),
    ('left leg', (('leg', 'left'), ('foot', 'left'))),
    ('right leg', (('leg', 'right'), ('foot', 'right'))),
)
REGION_COLOURS = {
    'head': '#7f3c8d',
    'torso': '#555555',
    'left arm': '#1f77b4',
    'right arm': '#d62728',
    'left leg': '#17becf',
    'right leg': '#ff7f0e',
    'other': '#bbbbbb',
}


def new_figure(figsize):
    """A matplotlib ``Figure`` with constrained layout on an Agg canvas (no
    pyplot state).

    Args:
        figsize (tuple[float, float]): Width and height in inches.

    Returns:
        matplotlib.figure.Figure: The figure.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout='constrained')
    FigureCanvasAgg(fig)
    return fig


def save_png(fig, out_file: str, dpi: int = DPI) -> str:
    """Write ``fig`` to ``out_file`` as PNG, atomically.

    Args:
        fig (matplotlib.figure.Figure): The figure.
        out_file (str): Destination ``.png`` file.
        dpi (int): Resolution. Defaults to :data:`DPI` (200).

    Returns:
        str: ``out_file``.
    """
    with atomic_write(out_file, 'wb') as f:
        fig.savefig(f, format='png', dpi=dpi, bbox_inches='tight')
    return out_file


def png_bytes(fig, dpi: int = DPI) -> bytes:
    """``fig`` as PNG bytes, rendered as :func:`save_png` writes it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format='png', dpi=dpi, bbox_inches='tight')
    return buffer.getvalue()


def joint_regions(layout) -> List[str]:
    """Body region of every joint of a layout (see ``REGIONS``).

    A joint takes the first region whose parts name it; joints of no region
    get ``'other'``.

    Args:
        layout (Layout): A layout from :func:`crossglg_mmaction.get_layout`.

    Returns:
        list[str]: One region name per joint.
    """
    regions = ['other'] * layout.num_joints
    for region, parts in reversed(REGIONS):
        for part, side in parts:
            if part in layout.parts:
                for joint in layout.part_joints(part, side):
                    regions[joint] = region
    return regions


def check_length(names: Optional[Sequence], size: int, what: str,
                 owner: str) -> None:
    """Raise when ``names`` is given and does not hold ``size`` entries."""
    if names is not None and len(names) != size:
        raise ValueError(f'{owner}: got {len(names)} {what}, expected {size}')


def as_array(values, ndim: int, name: str, owner: str) -> np.ndarray:
    """``values`` as a finite float array with ``ndim`` dimensions."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != ndim:
        raise ValueError(f'{owner}: {name} must have {ndim} dimensions, got '
                         f'shape {array.shape}')
    if not np.isfinite(array).all():
        raise ValueError(f'{owner}: {name} contains NaN or inf')
    return array
