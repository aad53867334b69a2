from .embedding_collector import EmbeddingCollector
from .oneshot_metric import OneShotMetric

__all__ = ['EmbeddingCollector', 'OneShotMetric']
