"""MMAction2's ``RecognizerGCN``, refusing CrossGLG parts it cannot use."""
from mmaction.models.recognizers import RecognizerGCN as MMRecognizerGCN
from mmaction.registry import MODELS
from .part_checks import check_parts


@MODELS.register_module(name='RecognizerGCN', force=True)
class RecognizerGCN(MMRecognizerGCN):
    """MMAction2's ``RecognizerGCN`` with a build-time check of its parts.

    Registered under MMAction2's name, so configs that import
    ``crossglg_mmaction`` get it for ``type='RecognizerGCN'``. It behaves as
    MMAction2's, but a backbone with joint importance (JID), whose
    ``(features, k_out)`` it cannot pass on, or a head with a calibration
    loss, which would train without it, fail when the model is built,
    naming :class:`CrossGLGRecognizer` (see :func:`.part_checks.check_parts`).
    """

    def __init__(self, backbone, cls_head=None, **kwargs):
        super().__init__(backbone, cls_head=cls_head, **kwargs)
        check_parts(self, routes_importance=False)
