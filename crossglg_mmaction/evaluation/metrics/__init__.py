from .embedding_collector import EmbeddingCollector
from .joint_importance_metric import JointImportanceMetric
from .oneshot_metric import OneShotMetric

__all__ = ['EmbeddingCollector', 'JointImportanceMetric', 'OneShotMetric']
