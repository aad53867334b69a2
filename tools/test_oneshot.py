"""One-shot accuracy of a trained checkpoint on a protocol's novel classes.

    python tools/test_oneshot.py CONFIG CHECKPOINT [--protocol ntu120]
    torchrun --nproc_per_node 8 tools/test_oneshot.py CONFIG CHECKPOINT \
        --launcher pytorch

Extracts the embeddings of the base classes (statistics for distribution
calibration) and of the evaluated classes (exemplars and queries) once,
through MMEngine's test loop, and caches them (keyed by the checkpoint's
sha256, the model and data config and the protocol). Then matches queries
to exemplars by cosine similarity and by distribution calibration, prints
a table and writes results.json, per_class.csv and confusion_matrix.png to
``--out-dir``. With ``--no-calibration`` the protocol may have no base
classes (one-shot on a set of one's own classes, README). A checkpoint
written by tools/export_inference_model.py is evaluated with the model
stored in it. See docs/protocols.md.
"""
import argparse
import os

from mmengine.config import DictAction

from crossglg_mmaction.cli import exit_on_error
from crossglg_mmaction.evaluation.checkpoint_eval import evaluate_checkpoint


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='One-shot evaluation (cosine prototypes and '
        'distribution calibration) of a checkpoint')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--protocol',
        help='protocol name (ntu120, ntu60, nwucla, utdmhad, kinetics) or a '
        ".json/.yaml file; defaults to the config's test dataset's")
    parser.add_argument(
        '--ann-file', help="skeleton pickle; defaults to the config's")
    parser.add_argument(
        '--subset', choices=('novel', 'dev'), default='novel',
        help='evaluated classes (dev: the held-out development classes)')
    parser.add_argument(
        '--num-base-classes', type=int,
        help='base classes for the calibration statistics; defaults to '
        "the config's training set")
    parser.add_argument('--work-dir', help='defaults to the config\'s or '
                        './work_dirs/CONFIG_NAME')
    parser.add_argument('--out-dir', help='defaults to WORK_DIR/oneshot/'
                        'CHECKPOINT_NAME')
    parser.add_argument('--cache-dir', help='defaults to WORK_DIR/'
                        'oneshot_cache')
    parser.add_argument('--no-cache', action='store_true',
                        help='extract again (the cache is still updated)')
    parser.add_argument('--no-calibration', action='store_true',
                        help='only the cosine-prototype classifier (needs no '
                        'base classes: a protocol where every class is new)')
    parser.add_argument('--batch-size', type=int)
    parser.add_argument('--num-workers', type=int)
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the calibration sampling')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings (key=value)')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'])
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if args.batch_size is not None and args.batch_size < 1:
        parser.error(f'--batch-size must be >= 1, got {args.batch_size}')
    if args.num_workers is not None and args.num_workers < 0:
        parser.error(f'--num-workers must be >= 0, got {args.num_workers}')
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main(argv=None):
    args = parse_args(argv)
    with exit_on_error('test_oneshot.py'):
        return evaluate_checkpoint(
            args.config, args.checkpoint, protocol=args.protocol,
            ann_file=args.ann_file, subset=args.subset,
            num_base_classes=args.num_base_classes, work_dir=args.work_dir,
            out_dir=args.out_dir, cache_dir=args.cache_dir,
            use_cache=not args.no_cache,
            calibration=not args.no_calibration, batch_size=args.batch_size,
            num_workers=args.num_workers, seed=args.seed,
            cfg_options=args.cfg_options, launcher=args.launcher)


if __name__ == '__main__':
    main()
