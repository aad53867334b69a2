from .nwucla import convert_nwucla, read_sequence
from .ntu import ntu_converter_path
from .utdmhad import convert_utdmhad, read_mat_sequence
from .validate import (SkeletonPickleReport, find_duplicates, load_validated,
                       validate_skeleton_pickle)

__all__ = [
    'SkeletonPickleReport', 'convert_nwucla', 'convert_utdmhad',
    'find_duplicates', 'load_validated', 'ntu_converter_path', 'read_mat_sequence',
    'read_sequence', 'validate_skeleton_pickle'
]
