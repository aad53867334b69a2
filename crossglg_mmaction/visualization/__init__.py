"""Pictures of what a trained model attends to (paper Sec. 5, Figs. 4-6).

Pure plotting functions on numpy arrays (matplotlib's Agg canvas, PNGs
written atomically), forward hooks that record the encoder's attention, and
helpers that run a trained model over a one-shot subset. Used by
``tools/visualize.py``. Importing this package does not import matplotlib.
"""
from .attention import plot_attention
from .extraction import (VisualFeatures, build_subset_dataset, class_indices,
                         class_mean, default_device, extract_features,
                         load_model, resolve_classes, sample_table)
from .figure import joint_regions
from .hooks import AttentionCollector, attention_modules, default_blocks
from .importance import plot_joint_importance
from .skeleton3d import plot_skeleton

__all__ = [
    'AttentionCollector', 'VisualFeatures', 'attention_modules',
    'build_subset_dataset', 'class_indices', 'class_mean', 'default_blocks',
    'default_device', 'extract_features', 'joint_regions', 'load_model',
    'plot_attention', 'plot_joint_importance', 'plot_skeleton',
    'resolve_classes', 'sample_table'
]
