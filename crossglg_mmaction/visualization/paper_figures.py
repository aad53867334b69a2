"""The paper's pictures of trained models (Sec. 5, Figs. 4-6) as PNG files.

Each ``draw_*`` function runs :class:`~.trained_model.TrainedModel` s over
samples of a one-shot subset and returns the paths it wrote; ``tools/
visualize.py`` maps its sub-commands onto them.
"""
import os.path as osp
import re
from typing import List, Optional, Sequence, Tuple

import numpy as np

from .attention import plot_attention
from .extraction import class_indices, resolve_classes, sample_table
from .figure import joint_regions
from .hooks import attention_modules, default_blocks
from .importance import plot_joint_importance
from .skeleton3d import plot_skeleton


def slug(text) -> str:
    """``text`` made safe for a file name."""
    return re.sub(r'[^A-Za-z0-9]+', '_', str(text)).strip('_') or 'class'


def class_names(dataset, classes: Sequence[int]) -> List[str]:
    """Names of original labels ``classes`` in a one-shot dataset."""
    names = dict(zip(dataset.metainfo['original_labels'],
                     dataset.metainfo['classes']))
    return [names[c] for c in classes]


def check_layouts(datasets, models) -> None:
    """Raise when compared models read different skeleton layouts."""
    layouts = {d.layout.name for d in datasets}
    if len(layouts) > 1:
        raise ValueError('the compared models use different layouts: ' +
                         ', '.join(f'{m.config}: {d.layout.name}'
                                   for m, d in zip(models, datasets)))


def draw_importance(model, out_dir: str, subset: str = 'base',
                    classes: Optional[Sequence] = None,
                    max_per_class: Optional[int] = 50) -> List[str]:
    """Fig. 4: per class, the text's key joints ``k_gt`` (normalised) above
    the mean JID output, one PNG.

    Args:
        model (TrainedModel): A CrossGLG model (a backbone with JID, a
            ``TextAnnotatedDataset`` for training).
        out_dir (str): Folder of the PNG.
        subset (str): 'base', 'novel' or 'dev'. Defaults to 'base'.
        classes (Sequence[str | int], optional): Class names or original
            labels. Defaults to None (every class of the subset).
        max_per_class (int, optional): Samples averaged per class, the
            first ones; 0 or None for all. Defaults to 50.

    Returns:
        list[str]: The path of the PNG.
    """
    if not model.has_jid:
        raise ValueError(
            f'{model.config}: `importance` needs a backbone with joint '
            'importance (JID, backbone.importance=dict(after_block=...)); '
            f'this {type(model.model.backbone).__name__} has none (an '
            'InfoGCN baseline?). Use `attention` or `skeleton --by '
            'attention` for it.')
    dataset = model.dataset(subset, with_text=True)
    classes = resolve_classes(dataset, classes)
    _, labels = sample_table(dataset)
    indices = class_indices(labels, classes, max_per_class)
    features = model.run(dataset, indices)
    key_joints = np.stack([dataset.bank.for_label(c)[1] for c in classes])
    path = osp.join(out_dir, f'importance_{subset}.png')
    plot_joint_importance(
        key_joints, features.class_importance(classes),
        class_names(dataset, classes), dataset.layout.joints, path,
        title=f'{model.name}: joint importance, {subset} classes '
        f'({len(indices)} samples)')
    return [path]


def draw_attention(models, out_dir: str, subset: str = 'base',
                   classes: Optional[Sequence] = None,
                   blocks: Optional[Sequence[int]] = None,
                   with_topology: bool = True,
                   max_per_class: Optional[int] = 50,
                   shared_scale: bool = True) -> List[str]:
    """Fig. 5: per class, the encoder's spatial attention averaged over
    heads, frames and samples; one PNG per class, a row of blocks per model.

    Args:
        models (Sequence[TrainedModel]): One model, or two side by side.
        out_dir (str): Folder of the PNGs.
        subset (str): 'base', 'novel' or 'dev'. Defaults to 'base'.
        classes (Sequence[str | int], optional): Class names or original
            labels. Defaults to None (every class of the subset).
        blocks (Sequence[int], optional): 1-based encoder blocks. Defaults
            to None (first, middle and last).
        with_topology (bool): Attention times the shared topology, else the
            softmax alone. Defaults to True.
        max_per_class (int, optional): Samples averaged per class, the
            first ones; 0 or None for all. Defaults to 50.
        shared_scale (bool): One colour scale for all blocks and models,
            else one per block. Defaults to True.

    Returns:
        list[str]: The paths of the PNGs, in class order.
    """
    datasets = [m.dataset(subset) for m in models]
    check_layouts(datasets, models)
    classes = resolve_classes(datasets[0], classes)
    drawn, maps = [], []
    counts = None
    for model, dataset in zip(models, datasets):
        resolve_classes(dataset, [str(c) for c in classes])
        model_blocks = blocks or default_blocks(
            len(attention_modules(model.model.backbone)))
        _, labels = sample_table(dataset)
        indices = class_indices(labels, classes, max_per_class)
        features = model.run(dataset, indices, blocks=model_blocks,
                             with_topology=with_topology)
        drawn.append(sorted(features.attention))
        maps.append(
            np.stack([features.class_attention(b, classes)
                      for b in drawn[-1]], axis=1))  # (K, B, V, V)
        counts = counts or [int(np.sum(features.labels == c))
                            for c in classes]
    if len({len(b) for b in drawn}) > 1:
        raise ValueError(f'the models have different numbers of blocks to '
                         f'draw: {drawn}; pass --blocks')
    layout = datasets[0].layout
    paths = []
    for k, name in enumerate(class_names(datasets[0], classes)):
        path = osp.join(out_dir, f'attention_{subset}_{classes[k]}_'
                        f'{slug(name)}.png')
        plot_attention(
            np.stack([m[k] for m in maps]), layout.joints, path, drawn,
            models=[m.name for m in models],
            title=f'{name!r} (label {classes[k]}): spatial attention, mean '
            f'over heads, frames and {counts[k]} samples',
            joint_regions=joint_regions(layout),
            value_label='attention x topology' if with_topology else
            'attention softmax', shared_scale=shared_scale)
        paths.append(path)
    return paths


def chosen_samples(dataset, subset: str, source: str,
                   sample: Optional[str] = None, index: Optional[int] = None,
                   classes: Optional[Sequence] = None) -> List[int]:
    """Indices of the samples to draw: one named sample, one index, or the
    first sample of every chosen class."""
    frame_dirs, labels = sample_table(dataset)
    if sample is not None:
        if sample not in frame_dirs:
            raise ValueError(f'sample {sample!r} is not in the {subset} '
                             f'subset of {source}')
        return [frame_dirs.index(sample)]
    if index is not None:
        if not 0 <= index < len(frame_dirs):
            raise ValueError(f'--index {index}: the {subset} subset of '
                             f'{source} has {len(frame_dirs)} samples')
        return [index]
    classes = resolve_classes(dataset, classes)
    return [int(np.flatnonzero(labels == c)[0]) for c in classes]


def vertical_axis_of(dataset) -> str:
    """z when the pipeline aligns the spine with +z (PreNormalize3D),
    else y."""
    normalised = any(
        type(t).__name__ == 'PreNormalize3D'
        for t in dataset.pipeline.transforms)
    return 'z' if normalised else 'y'


def draw_skeleton(models, out_dir: str, subset: str = 'novel',
                  classes: Optional[Sequence] = None,
                  sample: Optional[str] = None, index: Optional[int] = None,
                  by: Optional[str] = None, block: Optional[int] = None,
                  frame: Optional[int] = None,
                  vertical_axis: Optional[str] = None,
                  view: Tuple[float, float] = (12., 105.)) -> List[str]:
    """Fig. 6: one frame of a sample with a sphere per joint sized by the
    JID output or the attention the joint receives; one PNG per sample, a
    panel per model.

    Args:
        models (Sequence[TrainedModel]): One model, or two side by side.
        out_dir (str): Folder of the PNGs.
        subset (str): 'base', 'novel' or 'dev'. Defaults to 'novel'.
        classes (Sequence[str | int], optional): Draw the first sample of
            each of these classes. Defaults to None (every class).
        sample (str, optional): The ``frame_dir`` of the one sample to draw.
            Defaults to None.
        index (int, optional): The index in the subset of the one sample to
            draw. Defaults to None.
        by (str, optional): 'jid' or 'attention' (column mean of the
            attention matrix). Defaults to None (jid when every model has
            JID).
        block (int, optional): Block for ``by='attention'``. Defaults to
            None (the last).
        frame (int, optional): Frame of the model input. Defaults to None
            (the middle one).
        vertical_axis (str, optional): Data axis drawn upwards. Defaults to
            None (z after PreNormalize3D, else y).
        view (tuple[float, float]): Camera elevation and azimuth in degrees.
            Defaults to (12., 105.), the front of a PreNormalize3D skeleton.

    Returns:
        list[str]: The paths of the PNGs, in sample order.
    """
    by = by or ('jid' if all(m.has_jid for m in models) else 'attention')
    if by == 'jid':
        lacking = [m.config for m in models if not m.has_jid]
        if lacking:
            raise ValueError(f'--by jid: {", ".join(lacking)} has no joint '
                             'importance (JID); use --by attention')
    datasets = [m.dataset(subset) for m in models]
    check_layouts(datasets, models)
    indices = chosen_samples(datasets[0], subset, models[0].config, sample,
                             index, classes)
    chosen = [sample_table(datasets[0])[0][i] for i in indices]
    values, panel_titles, first = [], [], None
    for model, dataset in zip(models, datasets):
        frame_dirs = sample_table(dataset)[0]
        missing = [f for f in chosen if f not in frame_dirs]
        if missing:
            raise ValueError(f'samples {missing} are not in the '
                             f'{subset} subset of {model.config}')
        drawn_block = None
        if by == 'attention':
            drawn_block = block if block is not None else len(
                attention_modules(model.model.backbone))
        features = model.run(
            dataset, [frame_dirs.index(f) for f in chosen],
            blocks=() if drawn_block is None else [drawn_block],
            keep_inputs=first is None)
        if first is None:
            first = features
        if by == 'jid':
            values.append(features.joint_importance)
            panel_titles.append(f'{model.name}\nJID output')
        else:
            values.append(features.attention[drawn_block].mean(1))
            panel_titles.append(f'{model.name}\nattention received, '
                                f'block {drawn_block}')
    layout = datasets[0].layout
    names = dict(zip(datasets[0].metainfo['original_labels'],
                     datasets[0].metainfo['classes']))
    frames = []
    for frame_dir, clip in zip(chosen, first.inputs):  # clip: (T, V, C)
        shown = clip.shape[0] // 2 if frame is None else frame
        if not 0 <= shown < clip.shape[0] or clip.shape[-1] < 3:
            raise ValueError(f'--frame {shown}: the model input of '
                             f'{frame_dir} has {clip.shape[0]} frames of '
                             f'{clip.shape[-1]} coordinates (3 needed)')
        frames.append(shown)
    paths = []
    for i, (frame_dir, shown) in enumerate(zip(chosen, frames)):
        clip = first.inputs[i]
        path = osp.join(out_dir, f'skeleton_{subset}_{slug(frame_dir)}.png')
        plot_skeleton(
            clip[shown, :, :3], layout.edges,
            np.stack([v[i] for v in values]), path,
            joint_names=layout.joints, panel_titles=panel_titles,
            title=f'{frame_dir}: {names[int(first.labels[i])]!r}, frame '
            f'{shown} of {clip.shape[0]}',
            value_label='JID output' if by == 'jid' else
            'attention received',
            vertical_axis=vertical_axis or vertical_axis_of(datasets[0]),
            view=view)
        paths.append(path)
    return paths
