"""A test-only hook that freezes training at a chosen iteration, so a test
can kill the process mid-epoch at a known point (imported by the run's
config through custom_imports; PYTHONPATH must include this folder)."""
import os
import signal

from mmengine.hooks import Hook

from mmaction.registry import HOOKS


@HOOKS.register_module()
class PauseHook(Hook):
    """After iteration ``batch_idx`` of 0-based epoch ``epoch``: write this
    process's id to the inherited file descriptor ``fd`` (the test waits on
    its other end) and wait for a signal, i.e. until killed (after every
    other hook, so the iteration is logged)."""
    priority = 'LOWEST'

    def __init__(self, epoch, batch_idx, fd):
        self.epoch = epoch
        self.batch_idx = batch_idx
        self.fd = fd

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.epoch == self.epoch and batch_idx == self.batch_idx:
            os.write(self.fd, f'{os.getpid()}\n'.encode())
            while True:
                signal.pause()
