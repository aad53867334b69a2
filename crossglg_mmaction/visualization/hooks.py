"""Forward hooks that record the encoder's spatial attention maps."""
import functools
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from ..models.backbones.infogcn_blocks import SelfAttentionGraphConv


def attention_modules(backbone) -> List[SelfAttentionGraphConv]:
    """The SA-GC modules of a backbone in forward order (block 1 first)."""
    return [m for m in backbone.modules()
            if isinstance(m, SelfAttentionGraphConv)]


def default_blocks(num_blocks: int) -> List[int]:
    """First, middle and last 1-based block (fewer when they coincide)."""
    return sorted({1, (num_blocks + 1) // 2, num_blocks})


class AttentionCollector:
    """Records the spatial attention of chosen encoder blocks per sample.

    Hooks the self-attention of every chosen SA-GC module (the encoder's
    ``EncodingBlock.agcn``); the recorded map of a block is the attention
    softmax times the block's ``shared_topology`` (what the graph
    convolution multiplies the features with), averaged over heads. The
    model itself is not changed. Use as a context manager around forward
    passes (leaving it removes the hooks) and call :meth:`pop` after every
    batch.

    Args:
        backbone (nn.Module): A backbone with
            :class:`~crossglg_mmaction.models.backbones.infogcn_blocks.
            SelfAttentionGraphConv` modules (InfoGCN).
        blocks (Sequence[int], optional): 1-based block ids. Defaults to
            None (first, middle and last).
        with_topology (bool): Multiply by the shared topology. Defaults to
            True (False gives the softmax alone, whose rows sum to 1).

    Examples:
        >>> import torch
        >>> from crossglg_mmaction.models import InfoGCN
        >>> backbone = InfoGCN(base_channels=8, num_stages=3,
        ...                    inflate_stages=(), down_stages=(),
        ...                    num_person=1).eval()
        >>> collector = AttentionCollector(backbone, blocks=[1, 3])
        >>> with collector, torch.no_grad():
        ...     _ = backbone(torch.randn(2, 1, 16, 25, 3))  # 2 samples
        >>> maps = collector.pop(num_samples=2)
        >>> sorted(maps), maps[3].shape  # (num_samples, V, V)
        ([1, 3], (2, 25, 25))
    """

    def __init__(self, backbone, blocks: Optional[Sequence[int]] = None,
                 with_topology: bool = True):
        self.modules = attention_modules(backbone)
        if not self.modules:
            raise ValueError(
                f'{type(backbone).__name__} has no SelfAttentionGraphConv '
                '(SA-GC) modules; attention maps need an InfoGCN backbone')
        num_blocks = len(self.modules)
        self.blocks = default_blocks(num_blocks) if blocks is None else [
            int(b) for b in blocks
        ]
        wrong = [b for b in self.blocks if not 1 <= b <= num_blocks]
        if wrong or not self.blocks:
            raise ValueError(f'blocks {wrong or "[]"}: the backbone has '
                             f'blocks 1..{num_blocks}')
        self.with_topology = with_topology
        self._recorded: Dict[int, List[torch.Tensor]] = {
            b: [] for b in self.blocks
        }
        self._handles = []

    def __enter__(self):
        for block in self.blocks:
            sagc = self.modules[block - 1]
            self._handles.append(
                sagc.attn.register_forward_hook(
                    functools.partial(self._record, block, sagc)))
        return self

    def __exit__(self, *exc_info):
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def _record(self, block, sagc, module, args, output):
        """Forward hook: (N*T, H, V, V) softmax -> head-mean (N*T, V, V)."""
        maps = output.detach()
        if self.with_topology:
            maps = maps * sagc.shared_topology.detach().unsqueeze(0)
        self._recorded[block].append(maps.mean(1).float().cpu())

    def clear(self):
        """Drop what was recorded."""
        for maps in self._recorded.values():
            maps.clear()

    def pop(self, num_samples: int) -> Dict[int, np.ndarray]:
        """Per-sample maps of the forward passes since the last call.

        The backbone's batch dimension holds ``num_samples`` samples, each
        with its clips, persons and frames (sample-major, as
        ``RecognizerGCN`` lays them out); the maps are averaged over all of
        those.

        Args:
            num_samples (int): Samples in the batch.

        Returns:
            dict[int, np.ndarray]: Block id -> (num_samples, V, V) float32.
        """
        result = {}
        for block, maps in self._recorded.items():
            if not maps:
                raise RuntimeError(f'AttentionCollector: block {block} '
                                   'recorded nothing; run a forward pass '
                                   'inside the `with` block first')
            stacked = torch.cat(maps)
            if stacked.shape[0] % num_samples:
                raise ValueError(
                    f'AttentionCollector: {stacked.shape[0]} maps of block '
                    f'{block} cannot be split over {num_samples} samples')
            num_joints = stacked.shape[-1]
            result[block] = stacked.view(num_samples, -1, num_joints,
                                         num_joints).mean(1).numpy()
        self.clear()
        return result
