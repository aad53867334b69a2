"""Recognizer that routes CrossGLG's joint importance to the head."""
from mmaction.models.recognizers import RecognizerGCN
from mmaction.registry import MODELS
from .part_checks import check_parts


@MODELS.register_module()
class CrossGLGRecognizer(RecognizerGCN):
    """``RecognizerGCN`` for backbones with Joint Importance Determination.

    A backbone built with ``importance=dict(...)`` returns ``(features,
    k_out)``. In ``loss`` mode ``k_out`` is passed to the head for the
    calibration loss; in ``predict`` mode the head sees the features alone
    (no text is needed) and ``k_out`` is stored in every data sample as
    ``joint_importance`` (averaged over clips). ``tensor`` mode returns the
    backbone features. Backbones without JID work as with ``RecognizerGCN``.
    """

    def __init__(self, backbone, cls_head=None, **kwargs):
        super().__init__(backbone, cls_head=cls_head, **kwargs)
        check_parts(self, routes_importance=True)

    @property
    def joint_importance(self):
        """The backbone's JID module, None without JID."""
        return getattr(self.backbone, 'importance', None)

    def extract_feat(self, inputs, stage='backbone', **kwargs):
        """Features (and ``k_out`` in the returned kwargs) of a batch.

        Args:
            inputs (Tensor): ``(B, num_clips, M, T, V, C)`` skeletons.
            stage (str): 'backbone' or 'head'. Defaults to 'backbone'.

        Returns:
            tuple: features (or class scores for stage 'head') and a dict
            holding ``k_out`` (B * num_clips, V) when the backbone has JID.
        """
        bs, nc = inputs.shape[:2]
        outputs = self.backbone(inputs.reshape((bs * nc, ) + inputs.shape[2:]))
        head_kwargs = dict()
        if isinstance(outputs, tuple):
            outputs, head_kwargs['k_out'] = outputs
        if stage == 'head' and self.with_cls_head:
            outputs = self.cls_head(outputs)
        return outputs, head_kwargs

    def predict(self, inputs, data_samples, **kwargs):
        """Skeleton-branch predictions; no text fields are read."""
        feats, head_kwargs = self.extract_feat(inputs, test_mode=True)
        predictions = self.cls_head.predict(feats, data_samples)
        k_out = head_kwargs.get('k_out')
        if k_out is not None:
            k_out = k_out.view(len(predictions), -1, k_out.shape[-1]).mean(1)
            for sample, importance in zip(predictions, k_out.detach()):
                sample.set_field(importance, 'joint_importance')
        return predictions
