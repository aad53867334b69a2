"""Run a trained model over a one-shot subset and collect what the plots
show: JID joint importance, labels and hooked attention maps."""
import contextlib
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

from ..datasets.oneshot_plan import plan_oneshot
from ..models.export import load_checkpoint_model
from .hooks import AttentionCollector


def default_device() -> str:
    """'cuda' when a GPU is visible, else 'cpu'."""
    return 'cuda' if torch.cuda.is_available() else 'cpu'


def load_model(config: str,
               checkpoint: str,
               device: Optional[str] = None,
               cfg_options: Optional[dict] = None):
    """Build a config's model, load a checkpoint into it, set eval mode.

    Args:
        config (str): Config file.
        checkpoint (str): Checkpoint file written by MMEngine's runner, or
            by ``tools/export_inference_model.py`` (its model is built).
        device (str, optional): Torch device. Defaults to
            :func:`default_device`.
        cfg_options (dict, optional): Overrides merged into the config.
            Defaults to None.

    Returns:
        tuple: The ``Config`` and the model.

    Raises:
        FileNotFoundError: If the checkpoint does not exist.
        ValueError: If the checkpoint's weights do not fit the model.
    """
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    cfg.model, model = load_checkpoint_model(cfg.model, checkpoint, config)
    return cfg, model.to(device or default_device()).eval()


def build_subset_dataset(cfg, subset: str, with_text: bool = False,
                         source: str = 'the config'):
    """One subset of a config's one-shot protocol, with the test pipeline.

    See :func:`~crossglg_mmaction.datasets.oneshot_plan.plan_oneshot` for
    where its data come from.

    Args:
        cfg (Config): A training config.
        subset (str): 'base', 'novel' or 'dev'.
        with_text (bool): A ``TextAnnotatedDataset`` with the training
            set's text bank (``k_gt``). Defaults to False.
        source (str): The config's name for error messages. Defaults to
            'the config'.

    Returns:
        OneShotPoseDataset: The dataset.
    """
    from mmaction.registry import DATASETS
    plan = plan_oneshot(cfg, source)
    return DATASETS.build(plan.dataset_cfg(subset, with_text))


def sample_table(dataset) -> Tuple[List[str], np.ndarray]:
    """``frame_dir`` and original label of every sample of a dataset."""
    frame_dirs, labels = [], []
    for idx in range(len(dataset)):
        info = dataset.get_data_info(idx)
        frame_dirs.append(info['frame_dir'])
        labels.append(info.get('original_label', info['label']))
    return frame_dirs, np.asarray(labels, dtype=np.int64)


def resolve_classes(dataset, classes: Optional[Sequence] = None
                    ) -> List[int]:
    """Original labels of classes given by name or label.

    Args:
        dataset (OneShotPoseDataset): The subset's dataset.
        classes (Sequence[str | int], optional): Class names (case
            insensitive) or original labels. Defaults to None (every class
            of the subset).

    Returns:
        list[int]: Original labels in the given order.
    """
    names = list(dataset.metainfo['classes'])
    originals = [int(o) for o in dataset.metainfo['original_labels']]
    if classes is None:
        return originals
    by_name = {str(n).strip().lower(): o for n, o in zip(names, originals)}
    chosen, unknown = [], []
    for item in classes:
        key = str(item).strip().lower()
        if key in by_name:
            chosen.append(by_name[key])
        elif key.lstrip('-').isdigit() and int(key) in originals:
            chosen.append(int(key))
        else:
            unknown.append(str(item))
    if unknown:
        listed = ', '.join(f'{o} ({n})' for o, n in zip(originals, names))
        raise ValueError(f'classes {unknown} are not in the '
                         f'{dataset.subset} subset; its classes (label '
                         f'(name)): {listed}')
    return list(dict.fromkeys(chosen))


def class_indices(labels: np.ndarray, classes: Sequence[int],
                  max_per_class: Optional[int] = None) -> List[int]:
    """Indices of the samples of ``classes``, at most ``max_per_class``
    each (the first ones in dataset order), in dataset order."""
    keep = []
    for label in classes:
        found = np.flatnonzero(labels == label)
        keep.extend(found[:max_per_class].tolist() if max_per_class else
                    found.tolist())
    return sorted(keep)


def class_mean(values: np.ndarray, labels: np.ndarray,
               classes: Sequence[int]) -> np.ndarray:
    """Mean of ``values`` (S, ...) over the samples of each class.

    Args:
        values (np.ndarray): Per-sample values, first axis samples.
        labels (np.ndarray): (S,) label of each sample.
        classes (Sequence[int]): Classes, in output order.

    Returns:
        np.ndarray: (K, ...) class means.
    """
    labels = np.asarray(labels)
    empty = [c for c in classes if not np.any(labels == c)]
    if empty:
        raise ValueError(f'class_mean: no samples of classes {empty}')
    return np.stack([values[labels == c].mean(0) for c in classes])


@dataclass
class VisualFeatures:
    """Per-sample outputs of :func:`extract_features`.

    Args:
        frame_dirs (list[str]): S sample names.
        labels (np.ndarray): (S,) original class labels.
        joint_importance (np.ndarray | None): (S, V) JID output ``k_out``
            (averaged over clips), None for a model without JID.
        attention (dict[int, np.ndarray]): Block id -> (S, V, V) attention
            (softmax x shared topology) averaged over heads, clips, persons
            and frames.
        inputs (np.ndarray | None): (S, T, V, C) model input of the first
            clip and person, when asked for.
    """
    frame_dirs: List[str]
    labels: np.ndarray
    joint_importance: Optional[np.ndarray]
    attention: Dict[int, np.ndarray]
    inputs: Optional[np.ndarray] = None

    def class_attention(self, block: int,
                        classes: Sequence[int]) -> np.ndarray:
        """(K, V, V) attention of ``block`` averaged over each class."""
        return class_mean(self.attention[block], self.labels, classes)

    def class_importance(self, classes: Sequence[int]) -> np.ndarray:
        """(K, V) JID output averaged over each class."""
        if self.joint_importance is None:
            raise ValueError('the model has no joint importance (JID)')
        return class_mean(self.joint_importance, self.labels, classes)


def extract_features(model,
                     dataset,
                     indices: Optional[Sequence[int]] = None,
                     blocks: Optional[Sequence[int]] = (),
                     batch_size: int = 16,
                     num_workers: int = 0,
                     keep_inputs: bool = False,
                     progress: bool = True,
                     with_topology: bool = True) -> VisualFeatures:
    """Run ``model`` in eval mode over samples of ``dataset``.

    Args:
        model (BaseRecognizer): A recognizer (``RecognizerGCN`` or
            ``CrossGLGRecognizer``) on its device.
        dataset (OneShotPoseDataset): The data, with a test pipeline.
        indices (Sequence[int], optional): Samples to run. Defaults to None
            (all).
        blocks (Sequence[int], optional): Encoder blocks whose attention is
            recorded; None for the first, middle and last. Defaults to ()
            (none).
        batch_size (int): Samples per forward pass. Defaults to 16.
        num_workers (int): Data loader workers. Defaults to 0.
        keep_inputs (bool): Keep every sample's input (first clip and
            person). Defaults to False.
        progress (bool): Show a progress bar. Defaults to True.
        with_topology (bool): Attention times the shared topology (else
            the softmax alone). Defaults to True.

    Returns:
        VisualFeatures: The per-sample outputs, in ``indices`` order.
    """
    from mmengine.dataset import pseudo_collate
    from torch.utils.data import DataLoader, Subset
    from tqdm import tqdm

    indices = list(range(len(dataset))) if indices is None else list(indices)
    if not indices:
        raise ValueError('extract_features: no samples to run')
    collector = None
    if blocks is None or len(blocks):
        collector = AttentionCollector(model.backbone, blocks, with_topology)
    loader = DataLoader(
        Subset(dataset, indices),
        batch_size=batch_size,
        num_workers=num_workers,
        shuffle=False,
        collate_fn=pseudo_collate)
    frame_dirs, labels, importance, inputs = [], [], [], []
    attention = {b: [] for b in (collector.blocks if collector else ())}
    model.eval()
    bar = tqdm(loader, desc='running the model', unit='batch',
               disable=not progress)
    with torch.no_grad(), collector or contextlib.nullcontext():
        for batch in bar:
            if keep_inputs:
                inputs.extend(x[0, 0].numpy() for x in batch['inputs'])
            data = model.data_preprocessor(batch, False)
            predictions = model(**data, mode='predict')
            importance.extend(
                sample.joint_importance.float().cpu().numpy()
                for sample in predictions if 'joint_importance' in sample)
            if collector is not None:
                for block, maps in collector.pop(len(predictions)).items():
                    attention[block].append(maps)
    for idx in indices:
        info = dataset.get_data_info(idx)
        frame_dirs.append(info['frame_dir'])
        labels.append(info.get('original_label', info['label']))
    if importance and len(importance) != len(indices):
        raise RuntimeError('extract_features: joint importance missing '
                           'from some predictions')
    return VisualFeatures(
        frame_dirs=frame_dirs,
        labels=np.asarray(labels, dtype=np.int64),
        joint_importance=np.stack(importance) if importance else None,
        attention={b: np.concatenate(m) for b, m in attention.items()},
        inputs=np.stack(inputs) if keep_inputs else None)
