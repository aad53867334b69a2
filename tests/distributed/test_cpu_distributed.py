"""crossglg_mmaction.cpu_distributed: MMEngine's launchers and DDP on the
CPU, GPU path untouched; SyncBN refused with a clear message."""
import os
import socket

import pytest
import torch
import torch.distributed as torch_dist
from mmengine.dist import utils as dist_utils
from mmengine.model import MMDistributedDataParallel, convert_sync_batchnorm

from crossglg_mmaction import cpu_distributed


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture
def one_process_group(monkeypatch):
    """What torchrun sets for a single process, initialised through
    MMEngine's (wrapped) `_init_dist_pytorch` with the default nccl."""
    for key, value in dict(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1',
                           MASTER_ADDR='127.0.0.1',
                           MASTER_PORT=str(free_port())).items():
        monkeypatch.setenv(key, value)
    with pytest.warns(UserWarning, match='nccl backend needs CUDA, using '
                      'gloo'):
        dist_utils._init_dist_pytorch('nccl')
    yield
    torch_dist.destroy_process_group()


def test_fixes_are_installed_once():
    for name in cpu_distributed._INIT_FUNCTIONS:
        function = getattr(dist_utils, name)
        assert getattr(function, cpu_distributed._MARK)
        assert not getattr(function.__wrapped__, cpu_distributed._MARK,
                           False)
    cpu_distributed.apply()
    assert not getattr(MMDistributedDataParallel.__init__.__wrapped__,
                       cpu_distributed._MARK, False)


@pytest.mark.skipif(torch.cuda.is_available(), reason='CPU-only check')
def test_init_dist_on_cpu_uses_gloo_without_set_device(one_process_group):
    assert torch_dist.get_backend() == 'gloo'
    assert torch_dist.get_world_size() == 1
    assert torch.cuda.set_device.__name__ == 'set_device'  # restored


@pytest.mark.skipif(torch.cuda.is_available(), reason='CPU-only check')
def test_ddp_drops_device_ids_of_a_cpu_module(one_process_group):
    model = MMDistributedDataParallel(
        module=torch.nn.Linear(3, 2), device_ids=[0])
    assert model.device_ids is None
    model(torch.ones(4, 3)).sum().backward()
    assert model.module.weight.grad is not None


@pytest.mark.skipif(torch.cuda.is_available(), reason='CPU-only check')
def test_sync_bn_on_cpu_fails_clearly(one_process_group):
    # What Runner.wrap_model does for `sync_bn='torch'` in a config.
    module = convert_sync_batchnorm(
        torch.nn.Sequential(torch.nn.Conv2d(3, 4, 1),
                            torch.nn.BatchNorm2d(4)), 'torch')
    with pytest.raises(ValueError, match=r"SyncBatchNorm needs GPUs.*"
                       r"--cfg-options sync_bn=None"):
        MMDistributedDataParallel(module=module, device_ids=[0])


def test_gpu_path_calls_mmengine_unchanged(monkeypatch):
    calls = []

    def init_dist(backend, **kwargs):
        calls.append((backend, torch.cuda.set_device))

    monkeypatch.setattr(cpu_distributed, 'on_cpu', lambda: False)
    cpu_distributed._cpu_init_dist(init_dist)('nccl', timeout=5)
    assert calls == [('nccl', torch.cuda.set_device)]
    assert torch.cuda.set_device.__name__ == 'set_device'

    seen = {}

    def ddp_init(self, module, **kwargs):
        seen.update(kwargs)

    cpu_distributed._cpu_ddp_init(ddp_init)(
        object(), torch.nn.Linear(2, 2), device_ids=[1], output_device=1)
    assert seen == dict(device_ids=[1], output_device=1)
