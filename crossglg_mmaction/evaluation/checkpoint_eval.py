"""One-shot accuracy of a trained checkpoint: what ``tools/test_oneshot.py``
runs.

Extracts the embeddings of the base classes (statistics for distribution
calibration) and of the evaluated classes (exemplars and queries) once and
caches them, keyed by the checkpoint's sha256, the model and data config and
the protocol. Then matches queries to exemplars by cosine similarity and by
distribution calibration and writes the report (docs/protocols.md).
"""
import datetime
import os
import os.path as osp
from typing import Optional

from mmengine.config import Config
from mmengine.registry import init_default_scope

from ..datasets.oneshot_plan import plan_oneshot
from ..fileio import file_sha256
from ..models.export import load_checkpoint_model
from ..skeleton import get_layout
from .embedding_extraction import (add_packed_keys, check_embeddings,
                                   extract_embeddings, features_of,
                                   is_rank_zero)
from .feature_cache import cache_key, load_features, save_features
from .oneshot_eval import (confusion_png, evaluate_oneshot, format_table,
                           per_class_rows, write_report)


def backbone_layout(model_cfg) -> Optional[str]:
    """The layout named by a backbone config, or None."""
    backbone = model_cfg.get('backbone') or {}
    layout = backbone.get('layout') or (backbone.get('graph_cfg')
                                        or {}).get('layout')
    return get_layout(layout).name if isinstance(layout, str) else None


def check_layout(model_cfg, plan, config: str) -> None:
    """Raise when the backbone reads another layout than the data."""
    model_layout = backbone_layout(model_cfg)
    data_layout = get_layout(plan.layout).name
    if model_layout is not None and model_layout != data_layout:
        raise ValueError(
            f'layout mismatch: the data (protocol {plan.protocol.name!r}) '
            f'is {data_layout!r} but the backbone in {config} is '
            f'{model_layout!r}')


def base_classes(plan, calibration: bool) -> list:
    """The base labels of a plan; none for a protocol without base classes
    evaluated without calibration (its error says so otherwise)."""
    if calibration or plan.protocol.has_base:
        return plan.classes('base')
    return []


def evaluate_checkpoint(config: str,
                        checkpoint: str,
                        protocol=None,
                        ann_file: Optional[str] = None,
                        subset: str = 'novel',
                        num_base_classes: Optional[int] = None,
                        work_dir: Optional[str] = None,
                        out_dir: Optional[str] = None,
                        cache_dir: Optional[str] = None,
                        use_cache: bool = True,
                        calibration: bool = True,
                        batch_size: Optional[int] = None,
                        num_workers: Optional[int] = None,
                        seed: int = 0,
                        cfg_options: Optional[dict] = None,
                        launcher: str = 'none') -> Optional[dict]:
    """Evaluate a checkpoint one-shot and write its report.

    Writes ``results.json``, ``per_class.csv`` and ``confusion_matrix.png``
    to ``out_dir`` and the features to ``cache_dir``; prints the cache's
    state, the result table and the written paths. The model is the
    config's, or the one stored in a checkpoint written by
    ``tools/export_inference_model.py``. The data come from the
    config's datasets (:func:`~crossglg_mmaction.datasets.oneshot_plan.
    plan_oneshot`).

    Args:
        config (str): Config file.
        checkpoint (str): Checkpoint file.
        protocol (str | dict, optional): Replaces the config's protocol.
            Defaults to None.
        ann_file (str, optional): Replaces the config's skeleton file.
            Defaults to None.
        subset (str): Evaluated classes, 'novel' or 'dev' (then the base
            statistics hold the dev classes out). Defaults to 'novel'.
        num_base_classes (int, optional): Base classes of the calibration
            statistics. Defaults to None (the training set's).
        work_dir (str, optional): Defaults to the config's, else
            ``work_dirs/CONFIG_NAME``.
        out_dir (str, optional): Defaults to
            ``WORK_DIR/oneshot/CHECKPOINT_NAME``.
        cache_dir (str, optional): Defaults to ``WORK_DIR/oneshot_cache``.
        use_cache (bool): Read cached features (they are written either
            way). Defaults to True.
        calibration (bool): Also run distribution calibration (it needs
            base classes; without it only the evaluated classes are
            extracted, so a protocol where every class is novel works).
            Defaults to True.
        batch_size (int, optional): Defaults to the config's test batch.
        num_workers (int, optional): Defaults to the config's.
        seed (int): Seed of the calibration sampling. Defaults to 0.
        cfg_options (dict, optional): Overrides merged into the config.
            Defaults to None.
        launcher (str): MMEngine launcher ('none', 'pytorch', 'slurm',
            'mpi'). Defaults to 'none'.

    Returns:
        dict | None: The summary written to ``results.json``; None on the
        ranks other than 0.
    """
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    work_dir = work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(config))[0])
    stem = osp.splitext(osp.basename(checkpoint))[0]
    out_dir = out_dir or osp.join(work_dir, 'oneshot', stem)
    cache_dir = cache_dir or osp.join(work_dir, 'oneshot_cache')

    plan = plan_oneshot(cfg, config, protocol, ann_file, num_base_classes,
                        holdout_dev=subset == 'dev')
    pipeline = add_packed_keys(plan.pipeline, config)
    base_labels = base_classes(plan, calibration)
    labels = plan.classes(subset)
    datasets = [plan.dataset_cfg(s, pipeline=pipeline)
                for s in (['base'] if calibration else []) + [subset]]
    class_names = plan.class_names()
    check_layout(cfg.model, plan, config)
    model_cfg, _ = load_checkpoint_model(cfg.model, checkpoint, config)
    if model_cfg is not cfg.model:
        print(f'{checkpoint} is an exported inference model: evaluating '
              'the model it holds')
        cfg.model = model_cfg
        check_layout(cfg.model, plan, checkpoint)
    checkpoint_sha256 = file_sha256(checkpoint)
    data_files = sorted({d['ann_file'] for d in datasets})
    key = cache_key(
        checkpoint_sha256=checkpoint_sha256,
        model=cfg.model.to_dict(),
        datasets=datasets,
        data_files=[(f, os.stat(f).st_size, os.stat(f).st_mtime_ns)
                    for f in data_files if osp.isfile(f)])
    cache_path = osp.join(cache_dir, f'features_{key[:16]}.npz')
    collected, status = load_features(cache_path, key) if use_cache else \
        (None, 'disabled')
    if collected is None:
        if status not in ('missing', 'disabled'):
            print(f'feature cache {cache_path} is {status}; extracting again')
        collected = extract_embeddings(cfg, datasets, checkpoint, work_dir,
                                       launcher, batch_size, num_workers)
    if not is_rank_zero():
        return None
    if status != 'hit':
        check_embeddings(collected, checkpoint)
        save_features(cache_path, collected, key,
                      dict(checkpoint=checkpoint, config=config))
    else:
        print(f'features loaded from the cache {cache_path}')

    result = evaluate_oneshot(
        features_of(collected, base_labels), features_of(collected, labels),
        calibration=calibration, seed=seed)
    names = [class_names[c] for c in result['classes']]
    summary = dict(
        protocol=plan.protocol.name,
        subset=subset,
        layout=get_layout(plan.layout).name,
        base_classes=base_labels,
        num_base_classes=len(base_labels),
        class_names=names,
        checkpoint=osp.abspath(checkpoint),
        checkpoint_sha256=checkpoint_sha256,
        config=osp.abspath(config),
        feature_cache=osp.abspath(cache_path),
        embedding_dim=int(collected['embedding'].shape[1]),
        calibration_seed=seed,
        date=datetime.datetime.now().isoformat(timespec='seconds'),
        **result)
    listed = plan.protocol.subset_exemplars(subset)
    rows = per_class_rows(result, names, [
        listed.get(c, '(exemplar_rule first)') for c in result['classes']
    ])
    paths = write_report(out_dir, summary, rows, confusion_png(result,
                                                               names))
    print(format_table(summary))
    print('wrote ' + ', '.join(paths.values()))
    return summary
