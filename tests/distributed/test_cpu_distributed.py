"""crossglg_mmaction.cpu_distributed: MMEngine's launchers and DDP on the
CPU in processes a launcher started, untouched elsewhere; SyncBN refused with
a clear message."""
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


def installed():
    """Which of MMEngine's functions carry the CPU wrapper."""
    functions = [getattr(dist_utils, name)
                 for name in cpu_distributed._INIT_FUNCTIONS]
    functions.append(MMDistributedDataParallel.__init__)
    return [getattr(f, cpu_distributed._MARK, False) for f in functions]


@pytest.fixture
def launched(monkeypatch):
    """This process as torchrun starts a single one (its environment);
    MMEngine's originals are restored afterwards."""
    for name in cpu_distributed._INIT_FUNCTIONS:
        monkeypatch.setattr(dist_utils, name, getattr(dist_utils, name))
    monkeypatch.setattr(MMDistributedDataParallel, '__init__',
                        MMDistributedDataParallel.__init__)
    for key, value in dict(RANK='0', LOCAL_RANK='0', WORLD_SIZE='1',
                           MASTER_ADDR='127.0.0.1',
                           MASTER_PORT=str(free_port())).items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def one_process_group(launched):
    """A single process initialised through MMEngine's (wrapped)
    `_init_dist_pytorch` with the default nccl."""
    assert cpu_distributed.apply_if_launched()
    with pytest.warns(UserWarning, match='nccl backend needs CUDA, using '
                      'gloo'):
        dist_utils._init_dist_pytorch('nccl')
    yield
    torch_dist.destroy_process_group()


@pytest.mark.skipif(cpu_distributed.launched_distributed(),
                    reason='this test process was started by a launcher')
def test_importing_the_plugin_touches_nothing():
    assert installed() == [False] * 4


def test_only_a_launched_cpu_process_gets_the_fixes(launched, monkeypatch):
    assert cpu_distributed.launched_distributed(dict(WORLD_SIZE='2'))
    assert cpu_distributed.launched_distributed(dict(SLURM_PROCID='0'))
    assert cpu_distributed.launched_distributed(
        dict(OMPI_COMM_WORLD_RANK='1'))
    assert not cpu_distributed.launched_distributed(dict(RANK='0'))

    monkeypatch.setattr(cpu_distributed, 'on_cpu', lambda: False)  # a GPU
    assert not cpu_distributed.apply_if_launched()
    assert installed() == [False] * 4
    monkeypatch.setattr(cpu_distributed, 'on_cpu', lambda: True)
    assert cpu_distributed.apply_if_launched()
    assert installed() == [True] * 4
    first = dist_utils._init_dist_pytorch
    cpu_distributed.apply_if_launched()  # idempotent
    assert dist_utils._init_dist_pytorch is first
    assert not getattr(first.__wrapped__, cpu_distributed._MARK, False)
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
