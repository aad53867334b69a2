from .cross_modal_guidance import CrossModalGuidance
from .crossglg_head import CrossGLGHead
from .infogcn_head import InfoGCNHead

__all__ = ['CrossGLGHead', 'CrossModalGuidance', 'InfoGCNHead']
