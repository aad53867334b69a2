from .infogcn import InfoGCN
from .joint_importance import JointImportance
from .stgcn_importance import STGCNWithImportance

__all__ = ['InfoGCN', 'JointImportance', 'STGCNWithImportance']
