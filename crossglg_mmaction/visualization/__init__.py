"""Pictures of what a trained model attends to (paper Sec. 5, Figs. 4-6).

Pure plotting functions on numpy arrays (matplotlib's Agg canvas, PNGs
written atomically), forward hooks that record the encoder's attention,
helpers that run a trained model over a one-shot subset, and the paper's
figures drawn from trained models (``draw_*``, what ``tools/visualize.py``
runs), and the one-shot confusion matrix of ``tools/test_oneshot.py``.
Figures are sized by their content and saved at 200 dpi. Importing this
package does not import matplotlib.
"""
from .attention import plot_attention
from .confusion import confusion_figure
from .extraction import (VisualFeatures, build_subset_dataset, class_indices,
                         class_mean, default_device, extract_features,
                         load_model, resolve_classes, sample_table)
from .figure import joint_regions
from .hooks import AttentionCollector, attention_modules, default_blocks
from .importance import plot_joint_importance
from .paper_figures import draw_attention, draw_importance, draw_skeleton
from .skeleton3d import plot_skeleton
from .trained_model import TrainedModel, load_models

__all__ = [
    'AttentionCollector', 'TrainedModel', 'VisualFeatures',
    'attention_modules', 'build_subset_dataset', 'class_indices',
    'class_mean', 'confusion_figure', 'default_blocks', 'default_device',
    'draw_attention', 'draw_importance', 'draw_skeleton', 'extract_features',
    'joint_regions', 'load_model', 'load_models', 'plot_attention',
    'plot_joint_importance', 'plot_skeleton', 'resolve_classes',
    'sample_table'
]
