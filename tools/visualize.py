"""Pictures of a trained model, as in the paper's Sec. 5 (Figs. 4-6).

    python tools/visualize.py CONFIG CHECKPOINT importance [--subset base]
    python tools/visualize.py CONFIG CHECKPOINT attention \
        [--blocks 1 5 9] [--scale shared|per-block] \
        [--compare CONFIG2 CHECKPOINT2]
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

from mmengine.config import DictAction

from crossglg_mmaction.cli import exit_on_error
from crossglg_mmaction.visualization import (draw_attention, draw_importance,
                                             draw_skeleton, load_models)

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
        '--scale', choices=('shared', 'per-block'), default='shared',
        help='colour scale: one for all blocks and models (default), or one '
        'per block (shows the structure of blocks with small values)')
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


def draw(args, models, out_dir):
    """Run the sub-command's ``draw_*`` function; the PNG paths."""
    chosen = dict(subset=args.subset, classes=args.classes)
    if args.command == 'importance':
        return draw_importance(models[0], out_dir,
                               max_per_class=args.max_per_class, **chosen)
    if args.command == 'attention':
        return draw_attention(models, out_dir, blocks=args.blocks,
                              with_topology=not args.no_topology,
                              max_per_class=args.max_per_class,
                              shared_scale=args.scale == 'shared', **chosen)
    return draw_skeleton(models, out_dir, sample=args.sample,
                         index=args.index, by=args.by, block=args.block,
                         frame=args.frame,
                         vertical_axis=args.vertical_axis, view=args.view,
                         **chosen)


def main(argv=None):
    args = parse_args(argv)
    with exit_on_error('visualize.py'):
        if args.max_per_class < 0:
            raise ValueError('--max-per-class must be 0 (all) or positive')
        models = load_models(args.config, args.checkpoint,
                             getattr(args, 'compare', None),
                             device=args.device,
                             cfg_options=args.cfg_options,
                             batch_size=args.batch_size,
                             num_workers=args.num_workers)
        work_dir = args.work_dir or models[0].cfg.get('work_dir') or \
            osp.join('work_dirs', osp.splitext(osp.basename(args.config))[0])
        paths = draw(args, models, args.out_dir or osp.join(work_dir, 'vis'))
    for path in paths:
        print(path)
    return paths


if __name__ == '__main__':
    main()
