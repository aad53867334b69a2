"""Bad input for the entry points that load a trained checkpoint:
tools/test_oneshot.py (and the evaluate_checkpoint behind it), the export,
tools/visualize.py, and checkpoints that would run code (the harness:
tests/bad_input.py; the shared tiny run's checkpoint)."""
import functools
import os
import pickle
from unittest import mock

import pytest
import torch
from mmengine.config import Config

from bad_input import Cases, Payload, ToolFailed, check_bad_input, run_tool
from crossglg_mmaction.checkpoint import load_checkpoint_file
from crossglg_mmaction.evaluation.checkpoint_eval import evaluate_checkpoint
from crossglg_mmaction.models.export import export_inference_checkpoint
from tiny_run import PROTOCOL

case = Cases()


# tools/test_oneshot.py (the shared run's checkpoint)
def run_test_oneshot(ws, config=None, checkpoint=None, **options):
    """The one-shot evaluation behind tools/test_oneshot.py."""
    return evaluate_checkpoint(config or ws.run.config,
                               checkpoint or ws.run.checkpoint,
                               work_dir=ws.path('work'), num_workers=0,
                               **options)


def oneshot_command_line(ws, checkpoint, *options):
    """tools/test_oneshot.py's command line on the shared run's config."""
    return run_tool('test_oneshot', ws.run.config, checkpoint, '--work-dir',
                    ws.path('work'), '--num-workers', 0, *options)


RUNNER_LOGS = ('work/2*', 'work/*.py')


@case('test-oneshot', 'checkpoint-of-another-config', ValueError,
      r'checkpoint .*epoch_1\.pth does not fit the model of .*other\.py '
      r'\(trained with another config\?\): 0 missing keys \[\], 0 unexpected '
      r'keys \[\], \d+ shape mismatches')
def _(ws):
    return functools.partial(run_test_oneshot, ws, ws.config(channels=16))


@case('test-oneshot', 'layout-mismatch', ValueError,
      r"layout mismatch: the data \(protocol 'tiny'\) is 'ntu25' but the "
      r"backbone in .*other\.py is 'kinect_v1_20'")
def _(ws):
    return functools.partial(run_test_oneshot, ws,
                             ws.config(layout='kinect_v1_20'))


@case('test-oneshot', 'truncated-checkpoint', ValueError,
      r'checkpoint .*cut\.pth is truncated')
def _(ws):
    with open(ws.run.checkpoint, 'rb') as f:
        data = f.read()
    return functools.partial(run_test_oneshot, ws, None,
                             ws.write('cut.pth', data[:len(data) // 2]))


@case('test-oneshot', 'protocol-novel-overlaps-base', ValueError,
      r"protocol 'tiny' \(.*bad\.json\): novel classes \[4\] also appear "
      r'in base_classes')
def _(ws):
    bad = ws.json('bad.json', dict(PROTOCOL, base_classes=[0, 4]))
    return functools.partial(run_test_oneshot, ws, protocol=bad)


@case('test-oneshot', 'novel-class-without-queries', ValueError,
      r'few\.pkl: novel classes without queries \(samples other than the '
      r'exemplar\): 5 \(clap hands\)', may_write=RUNNER_LOGS)
def _(ws):
    with open(ws.run.ann_file, 'rb') as f:
        data = pickle.load(f)
    data['annotations'] = [a for a in data['annotations']
                           if a['label'] != 5 or a['frame_dir'] == 'c5_s0']
    with open(ws.path('few.pkl'), 'wb') as f:
        pickle.dump(data, f)
    return functools.partial(run_test_oneshot, ws,
                             ann_file=ws.path('few.pkl'))


@case('test-oneshot', 'nan-features', ValueError,
      r'checkpoint .*nan\.pth: the model gives NaN/inf embeddings for 24 of '
      r'24 samples \(labels \[0, 1, 2, 3, 4, 5\]\); a diverged training '
      r'run\? No features cached, no results written',
      may_write=RUNNER_LOGS)
def _(ws):
    state = torch.load(ws.run.checkpoint, weights_only=True)
    for value in state['state_dict'].values():
        if value.is_floating_point():
            value.fill_(float('nan'))
    torch.save(state, ws.path('nan.pth'))
    return functools.partial(run_test_oneshot, ws, None, ws.path('nan.pth'))


@case('test-oneshot', 'pipeline-without-pack', ValueError,
      r'other\.py: the test pipeline needs exactly one PackActionInputs, '
      r'found 0')
def _(ws):
    return functools.partial(run_test_oneshot, ws,
                             ws.config(pack='PackPoseInputs'))


@case('test-oneshot', 'num-base-classes-zero', ValueError,
      r"protocol 'tiny' .*: num_base_classes must be an integer in 1\.\.4")
def _(ws):
    return functools.partial(run_test_oneshot, ws, num_base_classes=0)


@case('test-oneshot', 'no-base-classes-with-calibration', ValueError,
      r"protocol 'own' \(.*own\.json\) has no base classes \(every class "
      r'is novel\).*distribution calibration has no base statistics.*'
      r'--no-calibration')
def _(ws):
    own = ws.json('own.json', dict(
        PROTOCOL, name='own', novel_classes=list(range(6)), base_classes=[],
        exemplars={}, exemplar_rule='first', dev_classes=[],
        dev_exemplars={}))
    return functools.partial(run_test_oneshot, ws, protocol=own)


@case('test-oneshot', 'cli-batch-size-zero', ToolFailed,
      r'exited with 2.*--batch-size must be >= 1, got 0')
def _(ws):
    return functools.partial(oneshot_command_line, ws, ws.run.checkpoint,
                             '--batch-size', 0)


@case('test-oneshot', 'cli-negative-workers', ToolFailed,
      r'exited with 2.*--num-workers must be >= 0, got -2')
def _(ws):
    return functools.partial(oneshot_command_line, ws, ws.run.checkpoint,
                             '--num-workers', -2)


@case('test-oneshot', 'cli-missing-checkpoint', ToolFailed,
      r'test_oneshot\.py: error: checkpoint not found: .*nope\.pth')
def _(ws):
    return functools.partial(oneshot_command_line, ws, ws.path('nope.pth'))


# tools/export_inference_model.py and tools/visualize.py
@case('export', 'checkpoint-of-another-config', ToolFailed,
      r"export_inference_model\.py: error: checkpoint .*epoch_1\.pth does "
      r"not fit the model of .*\(trained with another config\?\): 0 missing "
      r"keys \[\], 0 unexpected keys \[\], \d+ shape mismatches "
      r"\['backbone\.blocks\.0\.agcn\.attn\.ln\.bias: checkpoint \(8,\) "
      r'vs model \(16,\)')
def _(ws):
    return functools.partial(run_tool, 'export_inference_model',
                             ws.config(channels=16), ws.run.checkpoint,
                             ws.path('infer.pth'))


@case('export', 'empty-checkpoint', ValueError,
      r'checkpoint .*empty\.pth is empty \(0 bytes\)')
def _(ws):
    return functools.partial(export_inference_checkpoint,
                             Config.fromfile(ws.run.config),
                             ws.write('empty.pth', b''),
                             ws.path('infer.pth'))


@case('visualize', 'unknown-class-name', ToolFailed,
      r"visualize\.py: error: classes \['fly'\] are not in the novel "
      r'subset; its classes \(label \(name\)\): 4 \(drink water\), 5 '
      r'\(clap hands\)')
def _(ws):
    return functools.partial(run_tool, 'visualize', ws.run.config,
                             ws.run.checkpoint, 'skeleton', '--classes',
                             'fly', '--out-dir', ws.path('vis'))


@case('visualize', 'checkpoint-of-another-config', ToolFailed,
      r'visualize\.py: error: checkpoint .*epoch_1\.pth does not fit the '
      r'model of .*other\.py')
def _(ws):
    return functools.partial(run_tool, 'visualize',
                             ws.config(channels=16), ws.run.checkpoint,
                             'importance', '--out-dir', ws.path('vis'))


# checkpoints that would run code when unpickled
def evil_checkpoint(ws):
    """A checkpoint whose unpickling would create ``ws/pwned``."""
    state = torch.load(ws.run.checkpoint, weights_only=True)
    state['meta']['hook'] = Payload(ws.path('pwned'))
    torch.save(state, ws.path('evil.pth'))
    return ws.path('evil.pth')


@case('checkpoint', 'code-in-checkpoint-test-oneshot', ValueError,
      r'checkpoint .*evil\.pth holds objects that a weights-only load '
      r'refuses \(.*posix\.mkdir.*\); it was not loaded')
def _(ws):
    return functools.partial(run_test_oneshot, ws, None, evil_checkpoint(ws))


@case('checkpoint', 'code-in-checkpoint-export', ValueError,
      r'checkpoint .*evil\.pth holds objects that a weights-only load '
      r'refuses')
def _(ws):
    return functools.partial(export_inference_checkpoint,
                             Config.fromfile(ws.run.config),
                             evil_checkpoint(ws), ws.path('infer.pth'))


@case('checkpoint', 'code-in-checkpoint-forced-unsafe-env', ValueError,
      r'checkpoint .*evil\.pth holds objects that a weights-only load '
      r'refuses')
def _(ws):
    path = evil_checkpoint(ws)

    def load():
        with mock.patch.dict(os.environ,
                             TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD='1'):
            load_checkpoint_file(path)

    return load


@pytest.mark.parametrize('setup, error, match, may_write', case.params)
def test_bad_input(setup, error, match, may_write, ws):
    check_bad_input(setup, error, match, may_write, ws)
