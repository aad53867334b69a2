"""JID's joint importance against the key joints of the evaluated classes."""
from typing import Dict, List, Optional

import numpy as np
from mmengine.evaluator import BaseMetric

from mmaction.registry import METRICS
from ...text.annotations import load_annotations
from ..functional import joint_importance_agreement
from .records import _to_numpy


@METRICS.register_module()
class JointImportanceMetric(BaseMetric):
    """Does JID find the key joints of the classes it is evaluated on?

    Compares the ``joint_importance`` that :class:`CrossGLGRecognizer`
    stores in every predicted sample with the key joints the text
    annotations record for the sample's class (``original_label``). On
    novel classes this tests whether the calibration generalises: JID never
    saw their key joints. Use beside :class:`OneShotMetric` in
    ``val_evaluator`` / ``test_evaluator``, with
    ``PackActionInputs(algorithm_keys=('is_exemplar', 'original_label'))``.

    Args:
        annotations (str): Text annotations (a shipped name such as
            'nwucla' or a JSON file) whose classes record ``key_joints``.
        description_set (str, optional): Description set. Defaults to None
            (the file's default set).
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Metric name prefix. Defaults to None
            ('jid').
    """
    default_prefix: Optional[str] = 'jid'

    def __init__(self, annotations, description_set=None,
                 collect_device='cpu', prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.annotations = load_annotations(
            annotations, description_set=description_set)

    def process(self, data_batch, data_samples) -> None:
        """Keep each sample's joint importance and original label."""
        for sample in data_samples:
            missing = [k for k in ('joint_importance', 'original_label')
                       if k not in sample]
            if missing:
                raise KeyError(
                    f'JointImportanceMetric: data sample has no {missing}: '
                    'evaluate a CrossGLGRecognizer whose backbone has JID and '
                    "pack algorithm_keys=('original_label', ...)")
            self.results.append(dict(
                importance=_to_numpy(sample['joint_importance']).astype(
                    np.float32),
                label=int(_to_numpy(sample['original_label']).reshape(-1)[0])))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """``cosine``, ``uniform_cosine`` and ``effective_joints``."""
        masks = {}
        for label in sorted({r['label'] for r in results}):
            mask = self.annotations.key_joint_mask(label)
            if mask is None or not mask.any():
                raise ValueError(
                    f'JointImportanceMetric: {self.annotations.source} '
                    f'records no key joints for class {label}; extract them '
                    'with tools/build_text_bank.py --write-key-joints')
            masks[label] = mask
        importance = np.stack([r['importance'] for r in results])
        key_joints = np.stack([masks[r['label']] for r in results])
        return joint_importance_agreement(importance, key_joints)
