from .information_bottleneck import LatentNormLoss, MMDLoss
from .joint_calibration import JointCalibrationLoss

__all__ = ['JointCalibrationLoss', 'LatentNormLoss', 'MMDLoss']
