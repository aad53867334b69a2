"""MMAction2's ST-GCN with CrossGLG's joint importance (JID)."""
from mmaction.models.backbones import STGCN
from mmaction.registry import MODELS
from .joint_importance import JointImportance, check_importance_cfg


@MODELS.register_module()
class STGCNWithImportance(STGCN):
    """ST-GCN (MMAction2's ``STGCN``) with a JID module after one stage.

    Applies CrossGLG's global-to-local guidance to another GCN encoder, to
    test the paper's claim that the idea is orthogonal to the encoder. The
    graph, stages and weights are MMAction2's; ``forward`` returns
    ``(features, k_out)`` for :class:`CrossGLGRecognizer`.

    Args:
        importance (dict): :class:`JointImportance` config without
            ``in_channels``; ``after_block`` counts ST-GCN's blocks
            (1..``num_stages``).
        **kwargs: :class:`mmaction.models.STGCN` arguments.

    Examples:
        >>> import torch
        >>> backbone = STGCNWithImportance(
        ...     importance=dict(after_block=6),
        ...     graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'))
        >>> feats, k_out = backbone(torch.randn(2, 2, 64, 25, 3))
        >>> feats.shape, k_out.shape
        (torch.Size([2, 2, 256, 16, 25]), torch.Size([2, 25]))
    """

    def __init__(self, importance, **kwargs):
        super().__init__(**kwargs)
        check_importance_cfg(importance, self.num_stages, type(self).__name__)
        block = self.gcn[importance['after_block'] - 1]
        self.importance = JointImportance(block.gcn.out_channels,
                                          **importance)

    def forward(self, x):
        """(N, M, T, V, C) -> ((N, M, C', T', V), k_out (N, V))."""
        n, m, t, v, c = x.size()
        x = x.permute(0, 1, 3, 4, 2).contiguous()
        if self.data_bn_type == 'MVC':
            x = self.data_bn(x.view(n, m * v * c, t))
        else:
            x = self.data_bn(x.view(n * m, v * c, t))
        x = x.view(n, m, v, c, t).permute(0, 1, 3, 4, 2).reshape(
            n * m, c, t, v)
        x, k_out = self.importance.forward_blocks(self.gcn, x, m)
        return x.reshape((n, m) + x.shape[1:]), k_out
