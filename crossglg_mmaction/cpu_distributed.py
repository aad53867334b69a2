"""Compat fix 4: MMEngine's launchers on machines without a GPU.

MMEngine 0.10.7 assumes one CUDA device per process in two places, so
``--launcher pytorch`` (torchrun) and ``--launcher slurm`` fail on CPU:

- ``mmengine.dist.utils._init_dist_pytorch`` (and ``_init_dist_slurm``,
  ``_init_dist_mpi``) call ``torch.cuda.set_device(local_rank)``, which
  raises on a CPU-only torch build (``AttributeError: module 'torch._C' has
  no attribute '_cuda_setDevice'``) and on a CUDA build without a GPU.
- ``Runner.wrap_model`` passes ``device_ids=[LOCAL_RANK]`` to
  ``MMDistributedDataParallel``; torch's DDP rejects ``device_ids`` for a
  module on the CPU.

:func:`apply_if_launched` installs wrappers only in a process that a
distributed launcher started (:data:`LAUNCHER_ENV`) on a machine where
MMEngine's device is the CPU; every other process imports the plugin
without touching MMEngine. The wrappers skip ``set_device``, replace the
``nccl`` backend (which needs CUDA) by ``gloo`` with a warning, and build
DDP without ``device_ids``; should MMEngine's device not be the CPU when
they are called, they change nothing. torch implements ``SyncBatchNorm``
for GPUs only (its DDP refuses a CPU module with SyncBN layers); such a
model (``sync_bn='torch'`` in the config) gets an error that says so and
what to do. See docs/distributed.md.
"""
import contextlib
import functools
import os
import warnings

import torch
from mmengine.device import get_device

_INIT_FUNCTIONS = ('_init_dist_pytorch', '_init_dist_slurm',
                   '_init_dist_mpi')
_MARK = '_crossglg_cpu_fix'
# What torchrun (and torch.distributed.launch), srun and OpenMPI's mpirun
# set in every process they start.
LAUNCHER_ENV = ('WORLD_SIZE', 'SLURM_PROCID', 'OMPI_COMM_WORLD_RANK')

SYNC_BN_ON_CPU = (
    'SyncBatchNorm needs GPUs: torch synchronises batch statistics only for '
    'CUDA (or XPU/HPU) modules, and this distributed run is on the CPU '
    '(gloo). The config asks for SyncBN (`sync_bn=\'torch\'` or a SyncBN '
    'norm layer); run on the CPU without it, e.g. `--cfg-options '
    'sync_bn=None`, or on GPUs.')


def on_cpu() -> bool:
    """Whether MMEngine runs this process on the CPU."""
    return get_device() == 'cpu'


def _keep_device(device) -> None:
    """Stands in for ``torch.cuda.set_device`` on the CPU."""


@contextlib.contextmanager
def _without_cuda_set_device():
    original = torch.cuda.set_device
    torch.cuda.set_device = _keep_device
    try:
        yield
    finally:
        torch.cuda.set_device = original


def _cpu_init_dist(init_dist):
    """Wrap one of MMEngine's ``_init_dist_*`` functions for the CPU."""

    @functools.wraps(init_dist)
    def wrapper(backend, *args, **kwargs):
        if not on_cpu():
            return init_dist(backend, *args, **kwargs)
        if backend == 'nccl':
            warnings.warn(
                'distributed on the CPU: the nccl backend needs CUDA, using '
                "gloo (set env_cfg.dist_cfg.backend='gloo' to silence this)")
            backend = 'gloo'
        with _without_cuda_set_device():
            return init_dist(backend, *args, **kwargs)

    setattr(wrapper, _MARK, True)
    return wrapper


def _cpu_ddp_init(ddp_init):
    """Wrap ``MMDistributedDataParallel.__init__`` for CPU modules."""

    @functools.wraps(ddp_init)
    def wrapper(self, module, *args, **kwargs):
        devices = {p.device.type for p in module.parameters()}
        if on_cpu() and devices <= {'cpu'}:
            if any(isinstance(layer, torch.nn.SyncBatchNorm)
                   for layer in module.modules()):
                raise ValueError(SYNC_BN_ON_CPU)
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        ddp_init(self, module, *args, **kwargs)

    setattr(wrapper, _MARK, True)
    return wrapper


def launched_distributed(environ=None) -> bool:
    """Whether a distributed launcher started this process.

    Args:
        environ (Mapping, optional): Defaults to ``os.environ``.
    """
    environ = os.environ if environ is None else environ
    return any(name in environ for name in LAUNCHER_ENV)


def apply_if_launched() -> bool:
    """Install the CPU wrappers when a distributed launcher started this
    process and MMEngine runs it on the CPU; whether they are installed."""
    if launched_distributed() and on_cpu():
        apply()
        return True
    return False


def apply() -> None:
    """Install the CPU wrappers (idempotent)."""
    from mmengine.dist import utils as dist_utils
    from mmengine.model import MMDistributedDataParallel

    for name in _INIT_FUNCTIONS:
        function = getattr(dist_utils, name)
        if not getattr(function, _MARK, False):
            setattr(dist_utils, name, _cpu_init_dist(function))
    init = MMDistributedDataParallel.__init__
    if not getattr(init, _MARK, False):
        MMDistributedDataParallel.__init__ = _cpu_ddp_init(init)
