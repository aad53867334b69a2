"""Per-sample records that the one-shot metrics collect from data samples."""
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch


def _to_numpy(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def to_record(data_sample: dict, require: Sequence[str] = ()) -> dict:
    """``embedding``, ``label`` and optional one-shot fields of a sample.

    Args:
        data_sample (dict): A data sample as a dict (MMEngine's evaluator
            passes ``to_dict()`` of each :class:`ActionDataSample`).
        require (Sequence[str]): Optional fields (``is_exemplar``,
            ``original_label``) that must be present. Defaults to ().

    Returns:
        dict: ``embedding`` (D,) float32, ``label`` int and those of
        ``is_exemplar`` (bool) / ``original_label`` (int) present.
    """
    if 'embedding' not in data_sample:
        raise KeyError('data sample has no `embedding`: the head must store '
                       'the one-shot embedding in predict() (InfoGCNHead '
                       'and CrossGLGHead do)')
    missing = [key for key in require if key not in data_sample]
    if missing:
        raise KeyError(f'data sample has no {missing}: pack them with '
                       f'PackActionInputs(algorithm_keys={tuple(missing)}) '
                       'from a OneShotPoseDataset')
    embedding = _to_numpy(data_sample['embedding']).astype(np.float32)
    if embedding.ndim != 1:
        raise ValueError(f'`embedding` must be 1-D per sample, got shape '
                         f'{embedding.shape}')
    record = dict(
        embedding=embedding,
        label=int(_to_numpy(data_sample['gt_label']).reshape(-1)[0]))
    if 'is_exemplar' in data_sample:
        record['is_exemplar'] = bool(
            _to_numpy(data_sample['is_exemplar']).reshape(-1)[0])
    if 'original_label' in data_sample:
        record['original_label'] = int(
            _to_numpy(data_sample['original_label']).reshape(-1)[0])
    return record


def stack_records(results: List[dict]) -> Dict[str, np.ndarray]:
    """Stack records field by field (fields present in every record)."""
    if not results:
        raise ValueError('no samples were evaluated')
    keys = set.intersection(*(set(r) for r in results))
    return {key: np.stack([r[key] for r in results]) for key in sorted(keys)}


def split_exemplars(
    records: Dict[str, np.ndarray]
) -> Tuple[Tuple[np.ndarray, np.ndarray], Tuple[np.ndarray, np.ndarray]]:
    """(exemplars, labels) and (queries, labels); one exemplar per class.

    Raises:
        ValueError: naming the classes without an exemplar or with several
            (exemplars lost or duplicated in collection), or when there is
            no query.
    """
    flags = records['is_exemplar'].astype(bool)
    labels = records['label']
    exemplar_labels = labels[flags]
    classes = np.unique(labels)
    counts = {int(c): int((exemplar_labels == c).sum()) for c in classes}
    missing = [c for c, n in counts.items() if n == 0]
    repeated = [c for c, n in counts.items() if n > 1]
    if missing or repeated:
        raise ValueError(
            f'one-shot evaluation needs exactly one exemplar per class: '
            f'classes without one: {missing}, with several: {repeated} '
            f'({len(labels)} samples collected)')
    if flags.all():
        raise ValueError('one-shot evaluation got exemplars but no query')
    embeddings = records['embedding']
    return ((embeddings[flags], exemplar_labels), (embeddings[~flags],
                                                   labels[~flags]))
