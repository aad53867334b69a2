"""A metric that only gathers embeddings, for offline one-shot evaluation."""
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric

from mmaction.registry import METRICS
from .records import stack_records, to_record


@METRICS.register_module()
class EmbeddingCollector(BaseMetric):
    """Collect every sample's embedding through MMEngine's test loop.

    After evaluation the main process holds ``collected``: a dict of
    arrays ``embedding`` (N, D), ``label`` (N,) and, when packed,
    ``is_exemplar`` and ``original_label``, in dataset order (also under
    ``--launcher pytorch``). The returned metric is only ``num_samples``.
    ``tools/test_oneshot.py`` uses it to extract features once.

    Args:
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Metric name prefix. Defaults to None
            ('embeddings').
        collect_dir (str, optional): Directory for CPU collection.
            Defaults to None.
    """
    default_prefix: Optional[str] = 'embeddings'

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.collected: Optional[Dict] = None

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep each sample's record."""
        for data_sample in data_samples:
            self.results.append(to_record(data_sample))

    def compute_metrics(self, results: List[dict]) -> Dict[str, int]:
        """Store the stacked records in ``collected``."""
        self.collected = stack_records(results)
        return dict(num_samples=len(results))
