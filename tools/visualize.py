"""Pictures of a trained model, as in the paper's Sec. 5 (Figs. 4-6).

    python tools/visualize.py CONFIG CHECKPOINT importance [--subset base]
    python tools/visualize.py CONFIG CHECKPOINT attention \
        [--blocks 1 5 9] [--compare CONFIG2 CHECKPOINT2]
    python tools/visualize.py CONFIG CHECKPOINT skeleton \
        [--sample FRAME_DIR | --index N] [--by jid|attention] [--compare ...]

``importance``: per class, the key joints of its text (``k_gt``,
normalised) above the mean JID output (needs a CrossGLG config: a backbone
with JID and a ``TextAnnotatedDataset``). ``attention``: per class, the
encoder's spatial attention (softmax x shared topology, averaged over
heads, frames and samples) of the chosen blocks, side by side with a second
model with ``--compare``. ``skeleton``: one frame of a sample (or of the
first sample of every chosen class) with a sphere per joint sized by JID
output or by the attention the joint receives. Options follow the
sub-command; the PNG paths are printed, one per line.
"""
import argparse
import os.path as osp
import re
import sys

import numpy as np
from mmengine.config import DictAction

from crossglg_mmaction.visualization import (attention_modules,
                                             build_subset_dataset,
                                             class_indices, default_blocks,
                                             default_device,
                                             extract_features, joint_regions,
                                             load_model, plot_attention,
                                             plot_joint_importance,
                                             plot_skeleton, resolve_classes,
                                             sample_table)

DEFAULT_SUBSETS = dict(importance='base', attention='base', skeleton='novel')


def parse_args(argv=None):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        '--subset', choices=('base', 'novel', 'dev'),
        help='classes of the protocol to draw (default: base for '
        'importance and attention, novel for skeleton)')
    common.add_argument(
        '--classes', nargs='+', metavar='CLASS',
        help='class names or original labels (default: all of the subset)')
    common.add_argument('--out-dir', help='default: WORK_DIR/vis')
    common.add_argument(
        '--work-dir', help="default: the config's work_dir or "
        './work_dirs/CONFIG_NAME')
    common.add_argument('--device', help='default: cuda when present, '
                        'else cpu')
    common.add_argument('--batch-size', type=int, default=16)
    common.add_argument('--num-workers', type=int, default=0)
    common.add_argument(
        '--max-per-class', type=int, default=50,
        help='samples averaged per class, the first ones (0: all)')
    common.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings of CONFIG, not of CONFIG2 (key=value)')
    compare = argparse.ArgumentParser(add_help=False)
    compare.add_argument(
        '--compare', nargs=2, metavar=('CONFIG2', 'CHECKPOINT2'),
        help='a second model drawn next to the first (e.g. the baseline)')

    parser = argparse.ArgumentParser(
        description='Joint importance, attention and skeleton pictures of a '
        'trained model (PNG)')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    commands = parser.add_subparsers(dest='command', required=True)
    commands.add_parser(
        'importance', parents=[common],
        help='JID output vs key joints k_gt per class (Fig. 4)')
    attention = commands.add_parser(
        'attention', parents=[common, compare],
        help='spatial attention matrices per class (Fig. 5)')
    attention.add_argument(
        '--blocks', nargs='+', type=int,
        help='1-based encoder blocks (default: first, middle, last)')
    attention.add_argument(
        '--no-topology', action='store_true',
        help='the attention softmax alone, without the shared topology')
    skeleton = commands.add_parser(
        'skeleton', parents=[common, compare],
        help='a skeleton frame with joints sized by importance (Fig. 6)')
    which = skeleton.add_mutually_exclusive_group()
    which.add_argument('--sample', metavar='FRAME_DIR',
                       help='the sample to draw')
    which.add_argument('--index', type=int,
                       help='the sample to draw, by index in the subset')
    skeleton.add_argument(
        '--by', choices=('jid', 'attention'),
        help='joint size: JID output, or attention received (column mean of '
        'the attention matrix); default: jid when every model has JID')
    skeleton.add_argument('--block', type=int,
                          help='block for --by attention (default: last)')
    skeleton.add_argument('--frame', type=int,
                          help='frame of the model input (default: middle)')
    skeleton.add_argument(
        '--vertical-axis', choices=('x', 'y', 'z'),
        help='data axis drawn upwards (default: z after PreNormalize3D, '
        'else y)')
    skeleton.add_argument(
        '--view', nargs=2, type=float, metavar=('ELEV', 'AZIM'),
        default=(12., 105.),
        help='camera elevation and azimuth in degrees (default: 12 105, '
        'the front of a PreNormalize3D skeleton)')
    args = parser.parse_args(argv)
    args.subset = args.subset or DEFAULT_SUBSETS[args.command]
    return args


class Model:
    """A loaded model with its config and a display name."""

    def __init__(self, config, checkpoint, args, cfg_options=None):
        self.config = config
        self.cfg, self.model = load_model(config, checkpoint, args.device
                                          or default_device(), cfg_options)
        self.name = osp.splitext(osp.basename(config))[0]
        self.checkpoint = checkpoint

    @property
    def has_jid(self) -> bool:
        return getattr(self.model.backbone, 'importance', None) is not None

    def dataset(self, args, with_text=False):
        return build_subset_dataset(self.cfg, args.subset, with_text,
                                    source=self.config)

    def run(self, dataset, indices, args, blocks=(), keep_inputs=False):
        return extract_features(
            self.model, dataset, indices, blocks=blocks,
            batch_size=args.batch_size, num_workers=args.num_workers,
            keep_inputs=keep_inputs,
            with_topology=not getattr(args, 'no_topology', False))


def slug(text) -> str:
    """``text`` made safe for a file name."""
    return re.sub(r'[^A-Za-z0-9]+', '_', str(text)).strip('_') or 'class'


def class_names(dataset, classes):
    """Names of original labels ``classes`` in a one-shot dataset."""
    names = dict(zip(dataset.metainfo['original_labels'],
                     dataset.metainfo['classes']))
    return [names[c] for c in classes]


def load_models(args):
    """The model of CONFIG (with --cfg-options) and the --compare one."""
    models = [Model(args.config, args.checkpoint, args, args.cfg_options)]
    if getattr(args, 'compare', None):
        models.append(Model(*args.compare, args))
        if models[0].name == models[1].name:
            for model in models:
                stem = osp.splitext(osp.basename(model.checkpoint))[0]
                model.name = f'{model.name} ({stem})'
    return models


def check_layouts(datasets, models):
    """Raise when compared models read different skeleton layouts."""
    layouts = {d.layout.name for d in datasets}
    if len(layouts) > 1:
        raise ValueError('the compared models use different layouts: ' +
                         ', '.join(f'{m.config}: {d.layout.name}'
                                   for m, d in zip(models, datasets)))


def draw_importance(args, models, out_dir):
    """Fig. 4: k_gt and mean JID output per class, one PNG."""
    model = models[0]
    if not model.has_jid:
        raise ValueError(
            f'{model.config}: `importance` needs a backbone with joint '
            'importance (JID, backbone.importance=dict(after_block=...)); '
            f'this {type(model.model.backbone).__name__} has none (an '
            'InfoGCN baseline?). Use `attention` or `skeleton --by '
            'attention` for it.')
    dataset = model.dataset(args, with_text=True)
    classes = resolve_classes(dataset, args.classes)
    _, labels = sample_table(dataset)
    indices = class_indices(labels, classes, args.max_per_class)
    features = model.run(dataset, indices, args)
    key_joints = np.stack([dataset.bank.for_label(c)[1] for c in classes])
    path = osp.join(out_dir, f'importance_{args.subset}.png')
    plot_joint_importance(
        key_joints, features.class_importance(classes),
        class_names(dataset, classes), dataset.layout.joints, path,
        title=f'{model.name}: joint importance, {args.subset} classes '
        f'({len(indices)} samples)')
    return [path]


def draw_attention(args, models, out_dir):
    """Fig. 5: one PNG per class, a row of blocks per model."""
    datasets = [m.dataset(args) for m in models]
    check_layouts(datasets, models)
    classes = resolve_classes(datasets[0], args.classes)
    blocks, maps = [], []
    counts = None
    for model, dataset in zip(models, datasets):
        resolve_classes(dataset, [str(c) for c in classes])
        model_blocks = args.blocks or default_blocks(
            len(attention_modules(model.model.backbone)))
        _, labels = sample_table(dataset)
        indices = class_indices(labels, classes, args.max_per_class)
        features = model.run(dataset, indices, args, blocks=model_blocks)
        blocks.append(sorted(features.attention))
        maps.append(
            np.stack([features.class_attention(b, classes)
                      for b in blocks[-1]], axis=1))  # (K, B, V, V)
        counts = counts or [int(np.sum(features.labels == c))
                            for c in classes]
    if len({len(b) for b in blocks}) > 1:
        raise ValueError(f'the models have different numbers of blocks to '
                         f'draw: {blocks}; pass --blocks')
    layout = datasets[0].layout
    paths = []
    for k, name in enumerate(class_names(datasets[0], classes)):
        path = osp.join(out_dir, f'attention_{args.subset}_{classes[k]}_'
                        f'{slug(name)}.png')
        plot_attention(
            np.stack([m[k] for m in maps]), layout.joints, path, blocks,
            models=[m.name for m in models],
            title=f'{name!r} (label {classes[k]}): spatial attention, mean '
            f'over heads, frames and {counts[k]} samples',
            joint_regions=joint_regions(layout),
            value_label='attention softmax' if args.no_topology else
            'attention x topology')
        paths.append(path)
    return paths


def chosen_samples(args, dataset, config):
    """Indices of the samples to draw in the first model's dataset."""
    frame_dirs, labels = sample_table(dataset)
    if args.sample is not None:
        if args.sample not in frame_dirs:
            raise ValueError(f'sample {args.sample!r} is not in the '
                             f'{args.subset} subset of {config}')
        return [frame_dirs.index(args.sample)]
    if args.index is not None:
        if not 0 <= args.index < len(frame_dirs):
            raise ValueError(f'--index {args.index}: the {args.subset} '
                             f'subset of {config} has {len(frame_dirs)} '
                             'samples')
        return [args.index]
    classes = resolve_classes(dataset, args.classes)
    return [int(np.flatnonzero(labels == c)[0]) for c in classes]


def vertical_axis(args, dataset):
    """z when the pipeline aligns the spine with +z (PreNormalize3D)."""
    if args.vertical_axis:
        return args.vertical_axis
    normalised = any(
        type(t).__name__ == 'PreNormalize3D'
        for t in dataset.pipeline.transforms)
    return 'z' if normalised else 'y'


def draw_skeleton(args, models, out_dir):
    """Fig. 6: one PNG per sample, a panel per model."""
    by = args.by or ('jid' if all(m.has_jid for m in models) else
                     'attention')
    if by == 'jid':
        lacking = [m.config for m in models if not m.has_jid]
        if lacking:
            raise ValueError(f'--by jid: {", ".join(lacking)} has no joint '
                             'importance (JID); use --by attention')
    datasets = [m.dataset(args) for m in models]
    check_layouts(datasets, models)
    indices = chosen_samples(args, datasets[0], models[0].config)
    chosen = [sample_table(datasets[0])[0][i] for i in indices]
    values, panel_titles, first = [], [], None
    for model, dataset in zip(models, datasets):
        frame_dirs = sample_table(dataset)[0]
        missing = [f for f in chosen if f not in frame_dirs]
        if missing:
            raise ValueError(f'samples {missing} are not in the '
                             f'{args.subset} subset of {model.config}')
        block = None
        if by == 'attention':
            block = args.block if args.block is not None else len(
                attention_modules(model.model.backbone))
        features = model.run(dataset, [frame_dirs.index(f) for f in chosen],
                             args, blocks=() if block is None else [block],
                             keep_inputs=first is None)
        if first is None:
            first = features
        if by == 'jid':
            values.append(features.joint_importance)
            panel_titles.append(f'{model.name}\nJID output')
        else:
            values.append(features.attention[block].mean(1))
            panel_titles.append(f'{model.name}\nattention received, '
                                f'block {block}')
    layout = datasets[0].layout
    names = dict(zip(datasets[0].metainfo['original_labels'],
                     datasets[0].metainfo['classes']))
    frames = []
    for frame_dir, clip in zip(chosen, first.inputs):  # clip: (T, V, C)
        frame = clip.shape[0] // 2 if args.frame is None else args.frame
        if not 0 <= frame < clip.shape[0] or clip.shape[-1] < 3:
            raise ValueError(f'--frame {frame}: the model input of '
                             f'{frame_dir} has {clip.shape[0]} frames of '
                             f'{clip.shape[-1]} coordinates (3 needed)')
        frames.append(frame)
    paths = []
    for i, (frame_dir, frame) in enumerate(zip(chosen, frames)):
        clip = first.inputs[i]
        path = osp.join(out_dir, f'skeleton_{args.subset}_{slug(frame_dir)}'
                        '.png')
        plot_skeleton(
            clip[frame, :, :3], layout.edges,
            np.stack([v[i] for v in values]), path,
            joint_names=layout.joints, panel_titles=panel_titles,
            title=f'{frame_dir}: {names[int(first.labels[i])]!r}, frame '
            f'{frame} of {clip.shape[0]}',
            value_label='JID output' if by == 'jid' else
            'attention received',
            vertical_axis=vertical_axis(args, datasets[0]),
            view=args.view)
        paths.append(path)
    return paths


COMMANDS = dict(importance=draw_importance, attention=draw_attention,
                skeleton=draw_skeleton)


def main(argv=None):
    args = parse_args(argv)
    if args.max_per_class < 0:
        raise ValueError('--max-per-class must be 0 (all) or positive')
    models = load_models(args)
    cfg = models[0].cfg
    work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    out_dir = args.out_dir or osp.join(work_dir, 'vis')
    paths = COMMANDS[args.command](args, models, out_dir)
    for path in paths:
        print(path)
    return paths


if __name__ == '__main__':
    try:
        main()
    except (ValueError, FileNotFoundError) as error:
        sys.exit(f'visualize.py: error: {error}')
