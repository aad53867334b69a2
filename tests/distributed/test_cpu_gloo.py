"""Two CPU processes through torchrun and MMEngine's `--launcher pytorch`
(gloo): training runs, and one-shot results equal one process's."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import mmaction
from crossglg_mmaction.evaluation.checkpoint_eval import evaluate_checkpoint
from tool_runner import ROOT, text_options, tiny_train_options

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(torch.cuda.is_available(), reason='the CPU path')
]

CONFIG = osp.join(ROOT, 'configs', 'crossglg_synthetic.py')
TRAIN = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools', 'train.py')
TEST_ONESHOT = osp.join(ROOT, 'tools', 'test_oneshot.py')


def options(data, work_dir):
    """The tiny CrossGLG config on 4 base classes."""
    return tiny_train_options(data, work_dir) + text_options(
        data, work_dir) + [
            'train_dataloader.dataset.num_base_classes=4',
            'model.cls_head.num_classes=4'
        ]


def torchrun(*args, **env):
    """`torchrun --standalone --nproc_per_node 2 ARGS` (a free port)."""
    env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='1', **env)
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--standalone',
         '--nproc_per_node', '2', *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    return log


def as_dict(opts):
    """--cfg-options strings as the dict DictAction makes of them."""
    return {k: DictAction._parse_iterable(v)
            for k, v in (o.split('=', 1) for o in opts)}


@pytest.fixture(autouse=True)
def one_thread():
    """The in-process single-process runs on one thread, as the torchrun
    workers (two threads of two processes oversubscribe two cores)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope='module')
def trained(odd_synthetic, tmp_path_factory):
    """One epoch of CrossGLG in 2 processes; the config's nccl backend is
    replaced by gloo on the CPU (crossglg_mmaction.cpu_distributed)."""
    work_dir = tmp_path_factory.mktemp('gloo_train')
    opts = options(odd_synthetic, work_dir)
    # with warnings off: the test must not depend on them being shown
    log = torchrun(TRAIN, CONFIG, '--launcher', 'pytorch', '--cfg-options',
                   *opts, PYTHONWARNINGS='ignore')
    return work_dir, opts, log


def test_training_runs_in_two_processes_and_validates_like_one(
        trained, tmp_path):
    work_dir, opts, log = trained
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
    # the config asks for MMAction2's nccl, which cannot start on the CPU:
    # the processes ran because the plugin switched them to gloo
    assert Config.fromfile(CONFIG).env_cfg.dist_cfg.backend == 'nccl'
    assert not any(o.startswith('env_cfg') for o in opts)
    assert osp.exists(work_dir / 'epoch_1.pth')
    scalars, = glob.glob(str(work_dir / '*' / 'vis_data' / 'scalars.json'))
    with open(scalars) as f:
        logged, = [json.loads(line) for line in f if 'oneshot/top1' in line]

    # The same checkpoint, one process: its 15 novel samples were 8 + 8
    # above (rank 1's padding repeats sample 0, the exemplar of class 4).
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict(as_dict(opts))
    cfg.merge_from_dict(dict(
        work_dir=str(tmp_path), load_from=str(work_dir / 'epoch_1.pth'),
        launcher='none'))
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    for key in ('oneshot/top1', 'oneshot/mean_class_accuracy'):
        assert metrics[key] == logged[key], key
    novel = runner.test_dataloader.dataset
    assert len(novel) == 15 and novel.get_data_info(0)['is_exemplar']


def test_test_oneshot_with_two_processes_equals_one(trained, tmp_path):
    work_dir, opts, _ = trained
    checkpoint = str(work_dir / 'epoch_1.pth')
    common = ['--batch-size', '4', '--num-workers', '0']
    torchrun(TEST_ONESHOT, CONFIG, checkpoint, '--launcher', 'pytorch',
             '--work-dir', str(tmp_path / 'two'), *common, '--cfg-options',
             *opts, 'env_cfg.dist_cfg.backend=gloo')
    evaluate_checkpoint(CONFIG, checkpoint, work_dir=str(tmp_path / 'one'),
                        batch_size=4, num_workers=0,
                        cfg_options=as_dict(opts))

    results = {}
    for name in ('one', 'two'):
        with open(tmp_path / name / 'oneshot' / 'epoch_1' /
                  'results.json') as f:
            results[name] = json.load(f)
        cache, = glob.glob(str(tmp_path / name / 'oneshot_cache' / '*.npz'))
        with np.load(cache) as npz:
            results[name]['features'] = {k: npz[k] for k in npz.files
                                         if k != 'meta'}
    one, two = results['one'], results['two']
    assert one['num_exemplars'] == 3 and one['num_queries'] == 12
    for key in ('prototype', 'calibrated', 'classes', 'query_counts',
                'num_queries', 'num_exemplars', 'base_classes'):
        assert one[key] == two[key], key
    # 35 samples of base + novel in dataset order, none lost or repeated.
    for key in ('label', 'original_label', 'is_exemplar'):
        np.testing.assert_array_equal(one['features'][key],
                                      two['features'][key])
    assert len(one['features']['label']) == 35
    np.testing.assert_allclose(one['features']['embedding'],
                               two['features']['embedding'], atol=1e-5)
