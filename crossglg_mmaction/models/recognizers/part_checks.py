"""Build-time checks that a recognizer can use its backbone and head.

A backbone with joint importance (JID) returns ``(features, k_out)``, which
only :class:`CrossGLGRecognizer` passes on; a head with a calibration loss
needs that ``k_out``. Both mismatches are refused when the model is built,
not at the first iteration (docs/reuse.md).
"""
from ..backbones.joint_importance import JointImportance

JID_BACKBONES = ("InfoGCN(importance=dict(after_block=...)) or "
                 "STGCNWithImportance(importance=dict(after_block=...))")


def has_jid(backbone) -> bool:
    """Whether a backbone has a joint importance (JID) module."""
    return isinstance(getattr(backbone, 'importance', None), JointImportance)


def check_parts(recognizer, routes_importance: bool) -> None:
    """Raise ``ValueError`` when the recognizer cannot use its parts.

    Args:
        recognizer (BaseRecognizer): A built recognizer.
        routes_importance (bool): Whether it passes ``k_out`` from the
            backbone to the head (:class:`CrossGLGRecognizer`).
    """
    name = type(recognizer).__name__
    backbone = type(recognizer.backbone).__name__
    jid = has_jid(recognizer.backbone)
    if jid and not routes_importance:
        raise ValueError(
            f'{name}: the backbone {backbone} has joint importance (JID) and '
            f'returns (features, k_out), which {name} cannot pass on; use '
            "type='CrossGLGRecognizer' (it routes k_out to the head), or a "
            'backbone without importance (docs/reuse.md)')
    head = recognizer.cls_head if recognizer.with_cls_head else None
    if getattr(head, 'loss_calibrate', None) is not None and not jid:
        raise ValueError(
            f'{name}: the head has a calibration loss (loss_calibrate) but '
            f'the backbone {backbone} has no joint importance module; use '
            f"type='CrossGLGRecognizer' with {JID_BACKBONES}, or set "
            'cls_head.loss_calibrate=False (guidance without calibration, '
            'docs/reuse.md)')
