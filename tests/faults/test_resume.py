"""A run killed with SIGKILL in the middle of epoch 2 and resumed with
`--resume` ends with the weights and metrics of an uninterrupted run."""
import glob
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import threading

import pytest
import torch
from mmengine.config import Config

import mmaction

from tool_runner import ROOT, text_options, tiny_train_options

pytestmark = pytest.mark.slow

CONFIG = osp.join(ROOT, 'configs', 'crossglg_synthetic.py')
TESTS = osp.dirname(osp.abspath(__file__))
TRAIN = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools', 'train.py')


def options(data, work_dir):
    """Tiny CrossGLG, 2 epochs of 3 iterations, deterministic, 2 workers."""
    return tiny_train_options(data, work_dir, epochs=2) + text_options(
        data, work_dir) + [
            'randomness.seed=7', 'randomness.deterministic=True',
            'train_dataloader.num_workers=2',
            'train_dataloader.persistent_workers=False',
            'default_hooks.logger.interval=1'
        ]


def start(config, opts, log, *extra, pass_fds=()):
    """MMAction2's train.py (what `mim train` runs) in a new process group,
    on one thread (the thread count is part of floating-point determinism),
    its output to the file ``log``."""
    env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='1',
               PYTHONPATH=os.pathsep.join(
                   [TESTS, os.environ.get('PYTHONPATH', '')]))
    args = [sys.executable, TRAIN, config, *extra, '--cfg-options', *opts]
    with open(log, 'w') as out:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT,
                                start_new_session=True, pass_fds=pass_fds)


def finish(process, log):
    """Wait for ``process``; return its output."""
    process.wait(timeout=300)
    text = log.read_text()
    assert process.returncode == 0, text[-4000:]
    return text


def pausing_config(tmp_path, fd):
    """The demo config plus a hook that freezes after iteration 1 of
    epoch 2 and says so on file descriptor ``fd`` (everything else
    identical)."""
    hooks = Config.fromfile(CONFIG).custom_hooks + [
        dict(type='PauseHook', epoch=1, batch_idx=0, fd=fd)
    ]
    path = tmp_path / 'pausing.py'
    path.write_text(
        f'_base_ = {CONFIG!r}\n'
        "custom_imports = dict(imports=['crossglg_mmaction', 'pause_hook'],"
        ' allow_failed_imports=False)\n'
        f'custom_hooks = {hooks!r}\n')
    return str(path)


def final_scalars(work_dir):
    """Epoch 2's logged losses and metrics (of the latest run in
    ``work_dir``)."""
    path = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json')))[-1]
    with open(path) as f:
        entries = [json.loads(line) for line in f]
    train = {e['step']: e['loss'] for e in entries
             if 'loss' in e and e['step'] > 3}
    val = [{k: v for k, v in e.items() if k.startswith('oneshot/')}
           for e in entries if 'oneshot/top1' in e and e['step'] == 2]
    return train, val


@pytest.fixture
def started():
    """Processes started by the test; those still running at its end (after
    a failure) are killed with their process group."""
    processes = []
    yield processes
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_sigkill_mid_epoch_then_resume_matches_uninterrupted(
        tiny_synthetic, tmp_path, started):
    reference = tmp_path / 'uninterrupted'
    uninterrupted = start(CONFIG, options(tiny_synthetic, reference),
                          tmp_path / 'uninterrupted.log')
    killed = tmp_path / 'killed'
    log = tmp_path / 'killed.log'
    paused, pausing = os.pipe()
    process = start(pausing_config(tmp_path, pausing),
                    options(tiny_synthetic, killed), log, pass_fds=[pausing])
    os.close(pausing)  # the trainer (and its workers) hold the write end
    started += [uninterrupted, process]
    # Block until the hook writes; end of file if the trainer dies first.
    # A run that hangs is killed after 240 s, which also ends the read.
    guard = threading.Timer(240, os.killpg, (process.pid, signal.SIGKILL))
    guard.start()
    try:
        with os.fdopen(paused, 'rb') as pipe:
            message = pipe.readline()
    finally:
        guard.cancel()
    assert message.strip() == str(process.pid).encode(), \
        log.read_text()[-4000:]
    os.killpg(process.pid, signal.SIGKILL)  # the trainer and its workers
    process.wait()
    text = log.read_text()
    assert 'Epoch(train) [2][1/3]' in text
    assert 'Epoch(train) [2][2/3]' not in text
    assert osp.exists(killed / 'epoch_1.pth')
    assert not osp.exists(killed / 'epoch_2.pth')
    finish(uninterrupted, tmp_path / 'uninterrupted.log')

    log = tmp_path / 'resumed.log'
    text = finish(start(CONFIG, options(tiny_synthetic, killed), log,
                        '--resume'), log)
    assert 'resumed epoch: 1' in text

    ours = torch.load(killed / 'epoch_2.pth', weights_only=True)
    theirs = torch.load(reference / 'epoch_2.pth', weights_only=True)
    assert ours['state_dict'].keys() == theirs['state_dict'].keys()
    for key, value in theirs['state_dict'].items():
        assert torch.equal(ours['state_dict'][key], value), key
    ours, theirs = final_scalars(killed), final_scalars(reference)
    assert len(ours[0]) == 3 and len(ours[1]) == 1
    assert ours == theirs
