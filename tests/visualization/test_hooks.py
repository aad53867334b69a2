"""AttentionCollector on a tiny InfoGCN."""
import numpy as np
import pytest
import torch

from crossglg_mmaction.models import InfoGCN
from crossglg_mmaction.visualization import (AttentionCollector,
                                             attention_modules,
                                             default_blocks)

V = 25


def tiny_infogcn(num_person=1):
    return InfoGCN(base_channels=8, num_stages=3, inflate_stages=(2, ),
                   down_stages=(2, ), num_person=num_person).eval()


def inputs(num_samples, num_person=1, frames=8, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(num_samples, num_person, frames, V, 3,
                       generator=generator)


def collect(backbone, x, **kwargs):
    collector = AttentionCollector(backbone, **kwargs)
    with torch.no_grad(), collector:
        backbone(x)
    return collector.pop(num_samples=x.shape[0])


def test_default_blocks():
    assert default_blocks(9) == [1, 5, 9]
    assert default_blocks(3) == [1, 2, 3]
    assert default_blocks(2) == [1, 2]
    assert default_blocks(1) == [1]


def test_softmax_rows_sum_to_one():
    backbone = tiny_infogcn()
    maps = collect(backbone, inputs(3), with_topology=False)
    assert sorted(maps) == [1, 2, 3]
    for block_maps in maps.values():
        assert block_maps.shape == (3, V, V)
        assert block_maps.dtype == np.float32
        np.testing.assert_allclose(block_maps.sum(-1), 1, rtol=1e-5)
        assert (block_maps >= 0).all()


def test_topology_multiplies_the_softmax():
    backbone = tiny_infogcn()
    modules = attention_modules(backbone)
    assert len(modules) == 3
    with torch.no_grad():
        modules[1].shared_topology.fill_(0.5)  # every entry 0.5
    maps = collect(backbone, inputs(2), blocks=[2, 3])
    assert sorted(maps) == [2, 3]
    np.testing.assert_allclose(maps[2].sum(-1), 0.5, rtol=1e-5)
    # block 3 keeps its identity topology: only the diagonal survives
    off_diagonal = maps[3] * (1 - np.eye(V))
    assert not off_diagonal.any()
    assert (np.diagonal(maps[3], axis1=1, axis2=2) > 0).all()


@pytest.mark.parametrize('num_person', [1, 2])
def test_maps_are_per_sample(num_person):
    """Sample i of a batch gets the same map as when it runs alone."""
    backbone = tiny_infogcn(num_person)
    x = inputs(3, num_person, seed=1)
    batch = collect(backbone, x, blocks=[1, 3], with_topology=False)
    alone = collect(backbone, x[2:], blocks=[1, 3], with_topology=False)
    for block in (1, 3):
        np.testing.assert_allclose(batch[block][2], alone[block][0],
                                   atol=1e-5)
        assert not np.allclose(batch[block][0], batch[block][2])


def test_hooks_are_removed_and_pop_clears():
    backbone = tiny_infogcn()
    collector = AttentionCollector(backbone, blocks=[1])
    with torch.no_grad(), collector:
        backbone(inputs(2))
    with torch.no_grad():
        backbone(inputs(2))  # outside: not recorded
    assert collector.pop(2)[1].shape == (2, V, V)
    with pytest.raises(RuntimeError, match='recorded nothing'):
        collector.pop(2)
    assert all(not m._forward_hooks for m in backbone.modules())


def test_bad_blocks_and_backbones():
    backbone = tiny_infogcn()
    with pytest.raises(ValueError, match=r'blocks 1\.\.3'):
        AttentionCollector(backbone, blocks=[0, 4])
    with pytest.raises(ValueError, match='no SelfAttentionGraphConv'):
        AttentionCollector(torch.nn.Linear(2, 2))
    collector = AttentionCollector(backbone, blocks=[1])
    with torch.no_grad(), collector:
        backbone(inputs(3))
    with pytest.raises(ValueError, match='cannot be split over 5 samples'):
        collector.pop(5)  # 3 samples x 8 frames = 24 maps
