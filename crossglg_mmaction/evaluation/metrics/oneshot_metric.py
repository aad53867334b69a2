"""One-shot accuracy: queries matched to the exemplars by cosine similarity."""
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric

from mmaction.registry import METRICS
from ..functional import mean_class_accuracy, prototype_predict, \
    top1_accuracy
from .records import split_exemplars, stack_records, to_record


@METRICS.register_module()
class OneShotMetric(BaseMetric):
    """Top-1 and mean per-class accuracy of cosine-prototype matching.

    Every class of the evaluated set (e.g. the novel classes of
    :class:`OneShotPoseDataset`) needs exactly one exemplar; all other
    samples are queries, each matched to the class of its most
    cosine-similar exemplar. Accuracies are fractions in [0, 1], as in
    MMAction2's ``AccMetric``. Use it as ``val_evaluator`` (with
    ``save_best='oneshot/top1'``) or ``test_evaluator``.

    Data samples must carry ``embedding`` (set by the head's ``predict``,
    e.g. :class:`InfoGCNHead`) and ``is_exemplar`` (pack with
    ``dict(type='PackActionInputs', algorithm_keys=('is_exemplar', ))``).
    ``process`` keeps exactly one record per sample, so MMEngine's
    ``collect_results`` restores dataset order and drops the sampler's
    padding in distributed evaluation; an exemplar that is then missing or
    repeated is reported as an error.

    Args:
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Metric name prefix. Defaults to None
            ('oneshot').
        collect_dir (str, optional): Directory for CPU collection.
            Defaults to None.
    """
    default_prefix: Optional[str] = 'oneshot'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep each sample's embedding, label and exemplar flag."""
        for data_sample in data_samples:
            self.results.append(
                to_record(data_sample, require=('is_exemplar', )))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Match the queries to the exemplars.

        Returns:
            dict: ``top1`` and ``mean_class_accuracy`` (fractions).
        """
        records = stack_records(results)
        (exemplars, exemplar_labels), (queries, labels) = split_exemplars(
            records)
        predictions = prototype_predict(queries, exemplars, exemplar_labels)
        return dict(
            top1=top1_accuracy(predictions, labels),
            mean_class_accuracy=mean_class_accuracy(predictions, labels))
