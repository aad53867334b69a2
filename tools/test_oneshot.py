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
``--out-dir``. See docs/protocols.md.
"""
import argparse
import copy
import datetime
import os
import os.path as osp
import sys

import numpy as np
from mmengine.config import Config, DictAction
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from crossglg_mmaction.checkpoint import check_state_fits, model_state
from crossglg_mmaction.datasets.oneshot_plan import plan_oneshot
from crossglg_mmaction.evaluation.feature_cache import (cache_key,
                                                        load_features,
                                                        save_features)
from crossglg_mmaction.evaluation.oneshot_eval import (confusion_png,
                                                       evaluate_oneshot,
                                                       format_table,
                                                       per_class_rows,
                                                       write_report)
from crossglg_mmaction.fileio import file_sha256
from crossglg_mmaction.skeleton import get_layout
from mmaction.registry import MODELS

PACKED_KEYS = ('is_exemplar', 'original_label')
DROPPED_CFG = ('train_dataloader', 'train_cfg', 'optim_wrapper',
               'param_scheduler', 'auto_scale_lr', 'val_dataloader',
               'val_cfg', 'val_evaluator')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='One-shot evaluation (cosine prototypes and '
        'distribution calibration) of a checkpoint')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--protocol',
        help="protocol name (ntu120, ntu60, nwucla, kinetics) or a .json/"
        ".yaml file; defaults to the config's test dataset's")
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
                        help='only the cosine-prototype classifier')
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


class FeatureProgressHook(Hook):
    """A progress bar over the test loop's batches (main process only)."""

    def before_test_epoch(self, runner) -> None:
        from tqdm import tqdm
        self.bar = tqdm(
            total=len(runner.test_dataloader),
            desc='extracting features',
            unit='batch',
            disable=not is_main_process())

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        self.bar.update(1)

    def after_test_epoch(self, runner, metrics=None) -> None:
        self.bar.close()


def is_rank_zero() -> bool:
    """Main process, also before the Runner sets up distributed mode."""
    return is_main_process() and os.environ.get('RANK', '0') == '0'


def backbone_layout(model_cfg):
    """The layout named by the backbone config, or None."""
    backbone = model_cfg.get('backbone') or {}
    layout = backbone.get('layout') or (backbone.get('graph_cfg')
                                        or {}).get('layout')
    return get_layout(layout).name if isinstance(layout, str) else None


def build_plan(cfg, args) -> dict:
    """Dataset configs of the base and evaluated classes, and their facts."""
    plan = plan_oneshot(cfg, args.config, args.protocol, args.ann_file,
                        args.num_base_classes, args.subset == 'dev')
    pipeline = add_packed_keys(plan.pipeline, args.config)
    return dict(
        protocol=plan.protocol,
        layout=get_layout(plan.layout).name,
        base_cfg=plan.dataset_cfg('base', pipeline=pipeline),
        evaluated_cfg=plan.dataset_cfg(args.subset, pipeline=pipeline),
        base_labels=plan.classes('base'),
        evaluated_labels=plan.classes(args.subset),
        class_names=plan.class_names())


def add_packed_keys(pipeline, config):
    """The pipeline with PackActionInputs also packing the one-shot keys."""
    pipeline = copy.deepcopy(list(pipeline))
    packs = [t for t in pipeline if t.get('type') == 'PackActionInputs']
    if len(packs) != 1:
        raise ValueError(f'{config}: the test pipeline needs exactly one '
                         f'PackActionInputs, found {len(packs)}')
    keys = tuple(packs[0].get('algorithm_keys', ()))
    packs[0]['algorithm_keys'] = keys + tuple(k for k in PACKED_KEYS
                                              if k not in keys)
    return pipeline


def check_layout(cfg, plan, config):
    model_layout = backbone_layout(cfg.model)
    if model_layout is not None and model_layout != plan['layout']:
        raise ValueError(
            f'layout mismatch: the data (protocol {plan["protocol"].name!r}) '
            f'is {plan["layout"]!r} but the backbone in {config} is '
            f'{model_layout!r}')


def check_checkpoint(cfg, checkpoint, config) -> None:
    """Raise when the checkpoint's weights do not fit the config's model."""
    expected = MODELS.build(copy.deepcopy(cfg.model)).state_dict()
    check_state_fits(model_state(checkpoint), expected, checkpoint, config)


def extract(cfg, plan, args, work_dir):
    """Embeddings of both datasets through the Runner's test loop."""
    cfg = copy.deepcopy(cfg)
    loader = cfg.get('test_dataloader') or {}
    cfg.test_dataloader = dict(
        batch_size=args.batch_size or loader.get('batch_size', 16),
        num_workers=args.num_workers if args.num_workers is not None else
        loader.get('num_workers', 2),
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='ConcatDataset',
            datasets=[plan['base_cfg'], plan['evaluated_cfg']],
            ignore_keys=['classes', 'original_labels']))
    cfg.test_evaluator = dict(type='EmbeddingCollector')
    cfg.test_cfg = dict(type='TestLoop')
    for key in DROPPED_CFG:
        cfg[key] = None
    cfg.update(
        launcher=args.launcher,
        work_dir=work_dir,
        load_from=args.checkpoint,
        resume=False)
    runner = Runner.from_cfg(cfg)
    runner.register_hook(FeatureProgressHook(), priority='VERY_LOW')
    runner.test()
    return runner.test_loop.evaluator.metrics[0].collected


def check_embeddings(collected, checkpoint) -> None:
    """Raise, before anything is cached, on NaN/inf embeddings."""
    bad = ~np.isfinite(collected['embedding']).all(axis=1)
    if bad.any():
        labels = sorted(set(collected['original_label'][bad].tolist()))
        raise ValueError(
            f'checkpoint {checkpoint}: the model gives NaN/inf embeddings for '
            f'{int(bad.sum())} of {len(bad)} samples (labels {labels[:10]}); '
            'a diverged training run? No features cached, no results written')


def features_for(collected, labels):
    """The rows of ``collected`` whose original label is in ``labels``."""
    mask = np.isin(collected['original_label'], labels)
    return {
        'embedding': collected['embedding'][mask],
        'label': collected['original_label'][mask],
        'is_exemplar': collected['is_exemplar'][mask]
    }


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    stem = osp.splitext(osp.basename(args.checkpoint))[0]
    out_dir = args.out_dir or osp.join(work_dir, 'oneshot', stem)
    cache_dir = args.cache_dir or osp.join(work_dir, 'oneshot_cache')

    plan = build_plan(cfg, args)
    check_layout(cfg, plan, args.config)
    check_checkpoint(cfg, args.checkpoint, args.config)
    checkpoint_sha256 = file_sha256(args.checkpoint)
    data_files = sorted({plan['base_cfg']['ann_file'],
                         plan['evaluated_cfg']['ann_file']})
    key = cache_key(
        checkpoint_sha256=checkpoint_sha256,
        model=cfg.model.to_dict(),
        datasets=[plan['base_cfg'], plan['evaluated_cfg']],
        data_files=[(f, os.stat(f).st_size, os.stat(f).st_mtime_ns)
                    for f in data_files if osp.isfile(f)])
    cache_path = osp.join(cache_dir, f'features_{key[:16]}.npz')
    collected, status = (None, 'disabled') if args.no_cache else \
        load_features(cache_path, key)
    if collected is None:
        if status not in ('missing', 'disabled'):
            print(f'feature cache {cache_path} is {status}; extracting again')
        collected = extract(cfg, plan, args, work_dir)
    if not is_rank_zero():
        return None
    if status != 'hit':
        check_embeddings(collected, args.checkpoint)
        save_features(cache_path, collected, key,
                      dict(checkpoint=args.checkpoint, config=args.config))
    else:
        print(f'features loaded from the cache {cache_path}')

    base = features_for(collected, plan['base_labels'])
    novel = features_for(collected, plan['evaluated_labels'])
    result = evaluate_oneshot(
        base, novel, calibration=not args.no_calibration, seed=args.seed)
    protocol = plan['protocol']
    names = [plan['class_names'][c] for c in result['classes']]
    summary = dict(
        protocol=protocol.name,
        subset=args.subset,
        layout=plan['layout'],
        base_classes=plan['base_labels'],
        num_base_classes=len(plan['base_labels']),
        class_names=names,
        checkpoint=osp.abspath(args.checkpoint),
        checkpoint_sha256=checkpoint_sha256,
        config=osp.abspath(args.config),
        feature_cache=osp.abspath(cache_path),
        embedding_dim=int(collected['embedding'].shape[1]),
        calibration_seed=args.seed,
        date=datetime.datetime.now().isoformat(timespec='seconds'),
        **result)
    listed = protocol.subset_exemplars(args.subset)
    rows = per_class_rows(result, names, [
        listed.get(c, '(exemplar_rule first)') for c in result['classes']
    ])
    paths = write_report(out_dir, summary, rows, confusion_png(result,
                                                               names))
    print(format_table(summary))
    print('wrote ' + ', '.join(paths.values()))
    return summary


if __name__ == '__main__':
    try:
        main()
    except (ValueError, FileNotFoundError) as error:
        sys.exit(f'test_oneshot.py: error: {error}')
