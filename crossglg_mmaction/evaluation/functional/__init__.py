from .accuracy import (confusion_matrix, mean_class_accuracy,
                       per_class_accuracy, top1_accuracy)
from .calibration import (base_statistics, calibrate,
                          distribution_calibration_predict, sample_calibrated,
                          tukey_transform)
from .checks import check_features, check_labels
from .joint_importance import joint_importance_agreement
from .prototype import (class_prototypes, cosine_similarity, l2_normalize,
                        prototype_predict, prototype_scores)

__all__ = [
    'base_statistics', 'calibrate', 'check_features', 'check_labels',
    'class_prototypes', 'confusion_matrix', 'cosine_similarity',
    'distribution_calibration_predict', 'joint_importance_agreement',
    'l2_normalize', 'mean_class_accuracy',
    'per_class_accuracy', 'prototype_predict', 'prototype_scores',
    'sample_calibrated', 'top1_accuracy', 'tukey_transform'
]
