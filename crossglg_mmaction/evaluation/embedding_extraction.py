"""Embeddings of one-shot datasets through MMEngine's test loop.

Every sample goes through the Runner (so ``--launcher pytorch`` splits the
work across processes) and :class:`~.metrics.EmbeddingCollector` gathers
the embeddings, original labels and exemplar flags in dataset order.
"""
import copy
import os
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.runner import Runner

PACKED_KEYS = ('is_exemplar', 'original_label')
DROPPED_CFG = ('train_dataloader', 'train_cfg', 'optim_wrapper',
               'param_scheduler', 'auto_scale_lr', 'val_dataloader',
               'val_cfg', 'val_evaluator')


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


def add_packed_keys(pipeline: Sequence[dict], source: str) -> list:
    """The pipeline with ``PackActionInputs`` also packing the one-shot keys
    (``is_exemplar``, ``original_label``).

    Args:
        pipeline (Sequence[dict]): A test pipeline.
        source (str): The config's name, for messages.

    Returns:
        list[dict]: A copy of the pipeline.
    """
    pipeline = copy.deepcopy(list(pipeline))
    packs = [t for t in pipeline if t.get('type') == 'PackActionInputs']
    if len(packs) != 1:
        raise ValueError(f'{source}: the test pipeline needs exactly one '
                         f'PackActionInputs, found {len(packs)}')
    keys = tuple(packs[0].get('algorithm_keys', ()))
    packs[0]['algorithm_keys'] = keys + tuple(k for k in PACKED_KEYS
                                              if k not in keys)
    return pipeline


def extract_embeddings(cfg,
                       dataset_cfgs: Sequence[dict],
                       checkpoint: str,
                       work_dir: str,
                       launcher: str = 'none',
                       batch_size: Optional[int] = None,
                       num_workers: Optional[int] = None
                       ) -> Dict[str, np.ndarray]:
    """Run a checkpoint over datasets through the Runner's test loop.

    Args:
        cfg (Config): The training config (model, runtime).
        dataset_cfgs (Sequence[dict]): Datasets, concatenated in order; their
            pipelines must pack :data:`PACKED_KEYS`.
        checkpoint (str): Checkpoint file.
        work_dir (str): The Runner's work directory (its logs).
        launcher (str): MMEngine launcher. Defaults to 'none'.
        batch_size (int, optional): Defaults to the config's test batch size
            (else 16).
        num_workers (int, optional): Defaults to the config's (else 2).

    Returns:
        dict[str, np.ndarray]: ``embedding`` (N, D), ``label``,
        ``original_label`` and ``is_exemplar`` (N,) in dataset order.
    """
    cfg = copy.deepcopy(cfg)
    loader = cfg.get('test_dataloader') or {}
    cfg.test_dataloader = dict(
        batch_size=batch_size or loader.get('batch_size', 16),
        num_workers=num_workers if num_workers is not None else
        loader.get('num_workers', 2),
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='ConcatDataset',
            datasets=list(dataset_cfgs),
            ignore_keys=['classes', 'original_labels']))
    cfg.test_evaluator = dict(type='EmbeddingCollector')
    cfg.test_cfg = dict(type='TestLoop')
    for key in DROPPED_CFG:
        cfg[key] = None
    cfg.update(
        launcher=launcher,
        work_dir=work_dir,
        load_from=checkpoint,
        resume=False)
    runner = Runner.from_cfg(cfg)
    runner.register_hook(FeatureProgressHook(), priority='VERY_LOW')
    runner.test()
    return runner.test_loop.evaluator.metrics[0].collected


def check_embeddings(collected: Dict[str, np.ndarray],
                     checkpoint: str) -> None:
    """Raise, before anything is cached, on NaN/inf embeddings."""
    bad = ~np.isfinite(collected['embedding']).all(axis=1)
    if bad.any():
        labels = sorted(set(collected['original_label'][bad].tolist()))
        raise ValueError(
            f'checkpoint {checkpoint}: the model gives NaN/inf embeddings for '
            f'{int(bad.sum())} of {len(bad)} samples (labels {labels[:10]}); '
            'a diverged training run? No features cached, no results written')


def features_of(collected: Dict[str, np.ndarray],
                labels: Sequence[int]) -> Dict[str, np.ndarray]:
    """The rows of ``collected`` whose original label is in ``labels``, as
    :func:`~.oneshot_eval.evaluate_oneshot` takes them."""
    mask = np.isin(collected['original_label'], labels)
    return {
        'embedding': collected['embedding'][mask],
        'label': collected['original_label'][mask],
        'is_exemplar': collected['is_exemplar'][mask]
    }
