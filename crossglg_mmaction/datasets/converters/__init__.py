from .nwucla import convert_nwucla, read_sequence
from .ntu import ntu_converter_path
from .validate import (SkeletonPickleReport, find_duplicates,
                       validate_skeleton_pickle)

__all__ = [
    'SkeletonPickleReport', 'convert_nwucla', 'find_duplicates',
    'ntu_converter_path', 'read_sequence', 'validate_skeleton_pickle'
]
