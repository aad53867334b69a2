"""Bad input for every entry point: a clear error, nothing half-written.

Every case is one test id, ``<entry point>-<problem>``: it prepares its
inputs in its own folder (also the working directory), feeds the malformed
input to the entry point and asserts the error type and a message naming
the problem (file, key/class/sample, what was expected). Then every file in
the folder must be unchanged and no file added, except files a case allows
(a run's logs, a valid cache entry), which must be complete. docs/
benchmarks.md ("Bad-input suite") counts the cases per entry point.

The tools run in this process through ``main(argv)`` (their command line,
error handling included); the work behind ``tools/test_oneshot.py`` is
called as the package function it is. Cases that need a trained checkpoint
share one tiny CrossGLG run (``run`` fixture).
"""
import contextlib
import fnmatch
import functools
import hashlib
import io
import json
import logging
import os
import os.path as osp
import pickle
import re
import zipfile
from unittest import mock

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from crossglg_mmaction.checkpoint import load_checkpoint_file
from crossglg_mmaction.datasets import (OneShotPoseDataset,
                                        TextAnnotatedDataset, get_protocol)
from crossglg_mmaction.datasets.converters import convert_nwucla
from crossglg_mmaction.datasets.safe_annotations import (
    load_skeleton_annotations, save_skeleton_annotations)
from crossglg_mmaction.evaluation.checkpoint_eval import evaluate_checkpoint
from crossglg_mmaction.evaluation.metrics import OneShotMetric
from crossglg_mmaction.evaluation.oneshot_eval import evaluate_oneshot
from crossglg_mmaction.models.export import export_inference_checkpoint
from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (load_annotations,
                                                new_annotations,
                                                save_annotations,
                                                upsert_description)
from crossglg_mmaction.text.bank import get_text_bank, load_text_bank
from mmaction.registry import MODELS

from text_fakes import FakeLLMServer, toy_description
from tiny_run import NAMES, PROTOCOL, TinyRun
from tool_runner import run_main

KEY_ENV = 'OPENAI_API_KEY'


# ----------------------------------------------------------------- helpers
class ToolFailed(Exception):
    """A tool exited non-zero; the message holds its code and output."""


class _Records(logging.Handler):

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def run_tool(script, *argv):
    """Run ``tools/<script>``'s ``main(argv)`` in this process
    (:func:`tool_runner.run_main`, ``script`` a module path such as
    'data.make_synthetic'). A non-zero exit raises :class:`ToolFailed` with
    what the tool printed and logged.
    """
    records, out = _Records(), io.StringIO()
    logging.getLogger().addHandler(records)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = run_main(script, argv)
    except SystemExit as exit_:
        code = exit_.code
    finally:
        logging.getLogger().removeHandler(records)
    if isinstance(code, (int, str)) and code not in (0, ):
        raise ToolFailed(f'{script} exited with {code}\n' +
                         '\n'.join(records.lines) + '\n' + out.getvalue())
    return code


def snapshot(root):
    """Relative path -> sha256 of every file under ``root``."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                files[osp.relpath(path, root)] = hashlib.sha256(
                    f.read()).hexdigest()
    return files


def assert_complete(path):
    """A file a failing call may write must be whole, not a fragment."""
    assert not path.endswith('.tmp'), f'temporary file left: {path}'
    if path.endswith('.npz'):
        with np.load(path, allow_pickle=False) as npz:
            for name in npz.files:
                npz[name]
    elif path.endswith('.pth'):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
    elif path.endswith('.json'):
        with open(path, encoding='utf-8') as f:
            if path.endswith('scalars.json') or osp.basename(
                    osp.dirname(path))[:2] == '20':  # MMEngine's json log
                for line in f:
                    json.loads(line)
            else:
                json.load(f)


def annotation(label, index, frames=4, joints=25):
    rng = np.random.default_rng(label * 100 + index)
    return dict(
        frame_dir=f'c{label}_s{index}', label=label, total_frames=frames,
        keypoint=rng.normal(size=(1, frames, joints, 3)).astype(np.float32))


def text_dict(layout='ntu25', names=NAMES):
    """A valid text annotation dict for ``names`` (labels 0..)."""
    data = new_annotations('tiny', layout, 'authored')
    joints = get_layout(layout).joints
    key_joints = ['head', 'right_hand'] if layout == 'ntu25' else \
        [joints[0]]
    for label, name in enumerate(names):
        desc = toy_description(
            layout, name, f'The person does {name} with the right hand '
            'and turns the head.', key_joints)
        upsert_description(data, label, name, 'authored', desc)
    return data


class Workspace:
    """A case's folder and the inputs it builds there."""

    def __init__(self, root, request, llm):
        self.root = root
        self.request = request
        self.llm = llm

    def path(self, name):
        return osp.join(self.root, name)

    @property
    def run(self):
        """The shared tiny CrossGLG run (config, checkpoint, data)."""
        return self.request.getfixturevalue('run')

    def samples(self, frames=4, joints=25):
        return [annotation(c, i, frames, joints)
                for c in range(6) for i in range(3)]

    def pickle(self, annotations=None, name='data.pkl', change=None,
               **top):
        annotations = self.samples() if annotations is None else \
            annotations
        if change is not None:
            annotations = [dict(a) for a in annotations]
            annotations[0].update(change)
        data = dict(split={}, annotations=annotations, **top)
        with open(self.path(name), 'wb') as f:
            pickle.dump(data, f)
        return self.path(name)

    def write(self, name, content):
        mode = 'wb' if isinstance(content, bytes) else 'w'
        with open(self.path(name), mode) as f:
            f.write(content)
        return self.path(name)

    def json(self, name, obj):
        return self.write(name, json.dumps(obj))

    def dataset(self, ann_file, **kwargs):
        kwargs.setdefault('protocol', PROTOCOL)
        kwargs.setdefault('pipeline', [])
        return functools.partial(OneShotPoseDataset, ann_file=ann_file,
                                 **kwargs)

    def text(self, name='text.json', **kwargs):
        path = self.path(name)
        save_annotations(text_dict(**kwargs), path)
        return path

    def text_dataset(self, text=None, pickle_file=None, **bank):
        bank = dict(dict(annotations=text or self.text(),
                         encoder=dict(type='tfidf_svd', dim=8),
                         cache_dir=self.path('banks'), text_channels=8),
                    **bank)
        return functools.partial(
            TextAnnotatedDataset, ann_file=pickle_file or self.pickle(),
            pipeline=[], protocol=PROTOCOL, text_bank=bank)

    def bank(self, name='bank.npz'):
        bank = get_text_bank(self.text(), dict(type='tfidf_svd', dim=8),
                             path=self.path(name))
        return bank

    def config(self, name='other', **changes):
        """A copy of the run's config with template values changed."""
        return self.run.write_config(self.path(f'{name}.py'), **changes)


# ------------------------------------------------------------- the run
@pytest.fixture(scope='module')
def llm():
    """The fake OpenAI-compatible endpoint of the text tests."""
    with FakeLLMServer(delay=1.0) as server:
        yield server


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    """The tiny CrossGLG run (tests/tiny_run.py), trained once."""
    root = str(tmp_path_factory.mktemp('run'))
    text = osp.join(root, 'text.json')
    save_annotations(text_dict(), text)
    run = TinyRun(root, text)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        run.train()
    return run


@pytest.fixture
def ws(tmp_path, request, llm, monkeypatch):
    """The case's folder, also the working directory."""
    monkeypatch.chdir(tmp_path)
    init_default_scope('mmaction')
    llm.script.clear()
    return Workspace(str(tmp_path), request, llm)


# --------------------------------------------------------------- cases
CASES = []


def case(entry, name, error, match, may_write=()):
    """Register ``setup(ws) -> call``: ``call()`` must raise ``error``
    matching ``match`` and may write only files matching ``may_write``."""

    def register(setup):
        CASES.append(pytest.param(setup, error, match, may_write,
                                  id=f'{entry}-{name}'))
        return setup

    return register


def sample_case(name, change, match):
    """A OneShotPoseDataset case: the first sample changed."""
    case('dataset', name, ValueError,
         r"data\.pkl: 1 invalid samples:\n  sample 'c0_s0': " + match)(
             lambda ws: ws.dataset(ws.pickle(change=change)))


# OneShotPoseDataset: samples of the annotation file
sample_case('keypoint-none', dict(keypoint=None),
            r"key 'keypoint': expected a numpy array, got NoneType")
sample_case('keypoint-not-an-array', dict(keypoint=[[0.0]]),
            r"key 'keypoint': expected a numpy array, got list")
sample_case('keypoint-int-dtype',
            dict(keypoint=np.zeros((1, 4, 25, 3), np.int64)),
            r"key 'keypoint': expected floats, got dtype int64")
sample_case('wrong-joint-count',
            dict(keypoint=np.zeros((1, 4, 20, 3), np.float32)),
            r"key 'keypoint': expected shape \(M, T, 25, C\) with C in "
            r'\(2, 3\), got \(1, 4, 20, 3\)')
sample_case('keypoint-3d-array',
            dict(keypoint=np.zeros((4, 25, 3), np.float32)),
            r"key 'keypoint': expected shape \(M, T, 25, C\)")
sample_case('four-coordinates',
            dict(keypoint=np.zeros((1, 4, 25, 4), np.float32)),
            r"key 'keypoint': expected shape .* got \(1, 4, 25, 4\)")
sample_case('nan-coordinates',
            dict(keypoint=np.full((1, 4, 25, 3), np.nan, np.float32)),
            r"key 'keypoint': 300 NaN/inf coordinates \(frames \[0, 1, 2, "
            r'3\]\)')
sample_case('inf-coordinate',
            dict(keypoint=np.where(np.arange(300).reshape(1, 4, 25, 3) == 80,
                                   np.inf, 0).astype(np.float32)),
            r"key 'keypoint': 1 NaN/inf coordinates \(frames \[1\]\)")
sample_case('empty-sequence',
            dict(keypoint=np.zeros((1, 0, 25, 3), np.float32)),
            r"key 'keypoint': zero-length sequence \(T=0")
sample_case('no-person', dict(keypoint=np.zeros((0, 4, 25, 3), np.float32)),
            r"key 'keypoint': no person \(M=0")
sample_case('total-frames-zero', dict(total_frames=0),
            r"key 'total_frames': expected a positive integer, got 0")
sample_case('total-frames-too-many', dict(total_frames=9),
            r"key 'total_frames': 9 exceeds the 4 frames of 'keypoint'")
sample_case('label-string', dict(label='0'),
            r"key 'label': expected an integer, got '0'")
sample_case('label-outside-class-list', dict(label=7),
            r"key 'label': 7 is outside the class list \(0\.\.5\)")
sample_case('label-negative', dict(label=-1),
            r"key 'label': -1 is outside the class list")
sample_case('keypoint-score-shape',
            dict(keypoint_score=np.ones((1, 3, 25), np.float32)),
            r"key 'keypoint_score': expected shape \(1, 4, 25\), got "
            r'\(1, 3, 25\)')


@case('dataset', 'missing-key-label', ValueError,
      r"data\.pkl: 1 invalid samples:\n  sample 'c0_s0': missing key "
      r"'label'")
def _(ws):
    samples = ws.samples()
    del samples[0]['label']
    return ws.dataset(ws.pickle(samples))


@case('dataset', 'missing-key-keypoint', ValueError,
      r"sample 'c0_s0': missing key 'keypoint'")
def _(ws):
    samples = ws.samples()
    del samples[0]['keypoint']
    return ws.dataset(ws.pickle(samples))


@case('dataset', 'missing-key-total-frames', ValueError,
      r"sample 'c0_s0': missing key 'total_frames'")
def _(ws):
    samples = ws.samples()
    del samples[0]['total_frames']
    return ws.dataset(ws.pickle(samples))


@case('dataset', 'truncated-pickle', ValueError,
      r'data\.pkl: cannot read the skeleton pickle \(UnpicklingError: '
      r'pickle data was truncated\)')
def _(ws):
    path = ws.pickle()
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.pkl', data[:len(data) // 2])
    return ws.dataset(path)


@case('dataset', 'empty-file', ValueError,
      r'data\.pkl: cannot read the skeleton pickle \(EOFError')
def _(ws):
    return ws.dataset(ws.write('data.pkl', b''))


@case('dataset', 'not-mmaction-format', ValueError,
      r"data\.pkl: expected a dict with an 'annotations' list")
def _(ws):
    with open(ws.path('data.pkl'), 'wb') as f:
        pickle.dump(ws.samples(), f)
    return ws.dataset(ws.path('data.pkl'))


@case('dataset', 'missing-file', FileNotFoundError,
      r'annotation file not found: .*nope\.pkl')
def _(ws):
    return ws.dataset(ws.path('nope.pkl'))


@case('dataset', 'repeated-frame-dir', ValueError,
      r"data\.pkl: frame_dir repeated in several samples: \['c0_s0'\]")
def _(ws):
    return ws.dataset(ws.pickle(ws.samples() + [annotation(0, 0)]))


@case('dataset', 'base-class-without-samples', ValueError,
      r'data\.pkl: base classes without samples: 2 \(jump up\)')
def _(ws):
    return ws.dataset(ws.pickle([a for a in ws.samples()
                                 if a['label'] != 2]))


@case('dataset', 'novel-class-without-queries', ValueError,
      r'data\.pkl: novel classes without queries \(samples other than the '
      r'exemplar\): 5 \(clap hands\)')
def _(ws):
    samples = [a for a in ws.samples()
               if a['label'] != 5 or a['frame_dir'] == 'c5_s0']
    return ws.dataset(ws.pickle(samples), subset='novel')


@case('dataset', 'exemplar-missing', ValueError,
      r"data\.pkl: exemplar 'c4_s1' of novel class 4 \(drink water\) "
      r"\(protocol 'tiny'\) is missing")
def _(ws):
    samples = [a for a in ws.samples() if a['frame_dir'] != 'c4_s1']
    return ws.dataset(ws.pickle(samples), subset='novel')


@case('dataset', 'exemplar-of-another-class', ValueError,
      r"exemplar 'c4_s1' of class 4 \(drink water\) has label 3")
def _(ws):
    samples = ws.samples()
    next(a for a in samples if a['frame_dir'] == 'c4_s1')['label'] = 3
    return ws.dataset(ws.pickle(samples), subset='novel')


@case('dataset', 'unknown-split', ValueError,
      r"data\.pkl: split 'xsub_train' not found; splits: \[\]")
def _(ws):
    return ws.dataset(ws.pickle(), split='xsub_train')


@case('dataset', 'unknown-layout', KeyError,
      r"unknown skeleton layout 'kinect_v3'; known layouts")
def _(ws):
    return ws.dataset(ws.pickle(), layout='kinect_v3')


@case('dataset', 'layout-differs-from-protocol', ValueError,
      r"layout 'kinect_v1_20' does not match the layout 'ntu25' of protocol "
      r"'tiny'")
def _(ws):
    return ws.dataset(ws.pickle(), layout='kinect_v1_20')


@case('dataset', 'unknown-subset', ValueError,
      r"subset must be one of \('base', 'novel', 'dev'\), got 'test'")
def _(ws):
    return ws.dataset(ws.pickle(), subset='test')


@case('dataset', 'num-base-classes-zero', ValueError,
      r"protocol 'tiny' \(<dict>\): num_base_classes must be an integer in "
      r'1\.\.4 \(the auxiliary classes\), got 0')
def _(ws):
    return ws.dataset(ws.pickle(), num_base_classes=0)


@case('dataset', 'num-base-classes-too-many', ValueError,
      r'num_base_classes must be an integer in 1\.\.4 .* got 9')
def _(ws):
    return ws.dataset(ws.pickle(), num_base_classes=9)


@case('dataset', 'base-classes-overlap-novel', ValueError,
      r"protocol 'tiny' \(<dict>\): base_classes overlap the novel classes "
      r'\[4\]')
def _(ws):
    return ws.dataset(ws.pickle(), base_classes=[0, 4])


@case('dataset', 'base-class-unknown-label', ValueError,
      r'base_classes: unknown labels \[9\]; labels are integers in 0\.\.5')
def _(ws):
    return ws.dataset(ws.pickle(), base_classes=[0, 9])


@case('dataset', 'class-names-count', ValueError,
      r"names\.txt: 5 class names, but protocol 'tiny' has num_classes=6")
def _(ws):
    names = ws.write('names.txt', '\n'.join(NAMES[:5]))
    return ws.dataset(ws.pickle(), class_names=names)


@case('dataset', 'class-names-file-missing', FileNotFoundError,
      r'class_names file not found: .*names\.txt')
def _(ws):
    return ws.dataset(ws.pickle(), class_names=ws.path('names.txt'))


@case('dataset', 'clip-len-zero', ValueError,
      r'TemporalCropResize.*clip_len must be >= 1, got 0')
def _(ws):
    return ws.dataset(ws.pickle(), pipeline=[
        dict(type='TemporalCropResize', clip_len=0)])


# OneShotPoseDataset: the pickle-free formats
@case('dataset', 'npz-truncated', ValueError,
      r'data\.npz: not a readable \.npz without pickle')
def _(ws):
    path = ws.path('data.npz')
    save_skeleton_annotations(dict(annotations=ws.samples()), path)
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.npz', data[:len(data) // 2])
    return ws.dataset(path)


@case('dataset', 'npz-holding-a-pickle', ValueError,
      r'evil\.npz: not a readable \.npz without pickle \(ValueError: Object '
      r'arrays cannot be loaded when allow_pickle=False\)')
def _(ws):
    marker = ws.path('pwned')
    with open(ws.path('evil.npz'), 'wb') as f:
        np.savez(f, meta=np.array([Payload(marker)], dtype=object))
    return ws.dataset(ws.path('evil.npz'))


@case('dataset', 'npz-offset-outside-array', ValueError,
      r"data\.npz: sample 'c0_s0': key 'keypoint': dtype float32, shape "
      r'\[1, 4, 25, 3\] at offset 99999 do not fit the stored array')
def _(ws):
    path = ws.path('data.npz')
    save_skeleton_annotations(dict(annotations=ws.samples()), path)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays['meta']))
    meta['samples'][0]['arrays']['keypoint'][2] = 99999
    arrays['meta'] = np.array(json.dumps(meta))
    with open(path, 'wb') as f:
        np.savez(f, **arrays)
    return ws.dataset(path)


@case('dataset', 'npz-pickle-renamed', ValueError,
      r'data\.npz: not a readable \.npz without pickle \(ValueError: This '
      r'file contains pickled \(object\) data')
def _(ws):
    payload = pickle.dumps(dict(annotations=[Payload(ws.path('pwned'))]))
    return ws.dataset(ws.write('data.npz', payload))


@case('dataset', 'json-ragged-keypoint', ValueError,
      r"data\.json: sample 'c0_s0': key 'keypoint' is not a numeric array")
def _(ws):
    path = ws.path('data.json')
    save_skeleton_annotations(dict(annotations=ws.samples()), path)
    with open(path) as f:
        data = json.load(f)
    data['annotations'][0]['keypoint'][0][1] = [[0.0]]
    return ws.dataset(ws.json('data.json', data))


@case('dataset', 'json-malformed', ValueError,
      r'data\.json: not valid JSON: .* at line 1, column')
def _(ws):
    return ws.dataset(ws.write('data.json', '{"annotations": [}'))


@case('dataset', 'json-other-format', ValueError,
      r"data\.json: format is 'coco', expected "
      r"'crossglg-skeleton-annotations'")
def _(ws):
    return ws.dataset(ws.json('data.json', dict(format='coco',
                                                annotations=[])))


@case('dataset', 'json-nan-coordinates', ValueError,
      r"data\.json: 1 invalid samples:\n  sample 'c0_s0': key 'keypoint': "
      r'300 NaN/inf')
def _(ws):
    samples = ws.samples()
    samples[0]['keypoint'][:] = np.nan
    save_skeleton_annotations(dict(annotations=samples),
                              ws.path('data.json'))
    return ws.dataset(ws.path('data.json'))


class Payload:
    """Unpickling it would create a marker folder (it never may)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker, )


@case('safe-annotations', 'save-object-array', ValueError,
      r"out\.npz: sample 'c0_s0': key 'names': dtype object cannot be stored "
      r'without pickle')
def _(ws):
    samples = ws.samples()
    samples[0]['names'] = np.array(['a', None], dtype=object)
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=samples), ws.path('out.npz'))


@case('safe-annotations', 'save-unsupported-value', ValueError,
      r"out\.npz: sample 'c0_s0': key 'when': datetime values cannot be "
      r'stored without pickle')
def _(ws):
    import datetime
    samples = ws.samples()
    samples[0]['when'] = datetime.datetime(2024, 1, 1)
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=samples), ws.path('out.npz'))


@case('safe-annotations', 'json-extra-array', ValueError,
      r"out\.json: sample 'c0_s0': key 'bbox': the JSON format stores arrays "
      r"only in \('keypoint', 'keypoint_score'\); use \.npz")
def _(ws):
    samples = ws.samples()
    samples[0]['bbox'] = np.zeros(4)
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=samples), ws.path('out.json'))


@case('safe-annotations', 'wrong-suffix', ValueError,
      r'out\.pkl: expected a file name ending in \.npz or \.json')
def _(ws):
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=ws.samples()),
                             ws.path('out.pkl'))


@case('safe-annotations', 'npz-without-meta', ValueError,
      r"x\.npz: no 'meta' entry")
def _(ws):
    with open(ws.path('x.npz'), 'wb') as f:
        np.savez(f, keypoint=np.zeros(3))
    return functools.partial(load_skeleton_annotations, ws.path('x.npz'))


# protocols (JSON/YAML files and dicts)
def protocol_case(name, changes, match):
    case('protocol', name, ValueError, match)(
        lambda ws: functools.partial(get_protocol, ws.json(
            'protocol.json', dict(PROTOCOL, **changes))))


protocol_case('novel-overlaps-base', dict(base_classes=[0, 4]),
              r"protocol 'tiny' \(.*protocol\.json\): novel classes \[4\] "
              r'also appear in base_classes')
protocol_case('novel-overlaps-dev', dict(dev_classes=[4],
                                          dev_exemplars={'4': 'c4_s2'}),
              r'novel classes \[4\] also appear in dev_classes')
protocol_case('duplicate-exemplars', dict(exemplars={'4': 'c4_s1',
                                                      '5': 'c4_s1'}),
              r"exemplars used for more than one class: \['c4_s1'\]")
protocol_case('exemplar-for-base-class',
              dict(exemplars={'4': 'c4_s1', '5': 'c5_s0', '2': 'c2_s0'}),
              r"exemplars: exemplar 'c2_s0' is given for label 2, which is "
              r'not a novel class \(\[4, 5\]\)')
protocol_case('novel-class-without-exemplar', dict(exemplars={'4': 'c4_s1'}),
              r'exemplars: novel classes \[5\] have no exemplar')
protocol_case('label-outside-range', dict(novel_classes=[4, 6]),
              r'novel_classes: unknown labels \[6\]; labels are integers in '
              r'0\.\.5')
protocol_case('duplicate-novel-labels', dict(novel_classes=[4, 4, 5]),
              r'novel_classes: duplicate labels \[4\]')
protocol_case('num-classes-zero', dict(num_classes=0),
              r'num_classes must be an integer >= 2, got 0')
protocol_case('unknown-key', dict(novel=[4]),
              r"missing keys \[\], unknown keys \['novel'\]")
protocol_case('unknown-layout', dict(layout='kinect_v3'),
              r"layout: unknown skeleton layout 'kinect_v3'")
protocol_case('class-names-count', dict(class_names=['a', 'b']),
              r'class_names: 2 names for num_classes=6')
protocol_case('empty-novel-classes', dict(novel_classes=[], exemplars={}),
              r'novel_classes is empty')


@case('protocol', 'missing-key', ValueError,
      r"missing keys \['novel_classes'\]")
def _(ws):
    data = dict(PROTOCOL)
    del data['novel_classes']
    return functools.partial(get_protocol, ws.json('protocol.json', data))


@case('protocol', 'malformed-json', ValueError,
      r'protocol file .*protocol\.json is not valid JSON')
def _(ws):
    return functools.partial(get_protocol,
                             ws.write('protocol.json', '{"name": '))


@case('protocol', 'malformed-yaml', ValueError,
      r'protocol file .*protocol\.yaml is not valid YAML')
def _(ws):
    return functools.partial(get_protocol,
                             ws.write('protocol.yaml', 'name: [tiny\n'))


@case('protocol', 'unknown-name', ValueError,
      r"unknown one-shot protocol 'ntu99': give one of \('ntu120'")
def _(ws):
    return functools.partial(get_protocol, 'ntu99')


# text annotation files
def text_case(name, mutate, match, error=ValueError):

    def setup(ws):
        data = text_dict()
        mutate(data)
        return functools.partial(load_annotations,
                                 ws.json('text.json', data))

    case('text-annotations', name, error, match)(setup)


def first_set(data):
    return data['classes'][0]['descriptions']['authored']


text_case('wrong-joint-name',
          lambda d: first_set(d)['joints'].update(
              left_hnd=first_set(d)['joints'].pop('left_hand')),
          r"text\.json: class 0 \('wave hand'\): description set 'authored'"
          r": joints do not match layout 'ntu25': missing \['left_hand'\], "
          r"extra \['left_hnd'\]")
text_case('missing-joint', lambda d: first_set(d)['joints'].pop('head'),
          r"class 0 \('wave hand'\).*missing \['head'\], extra \[\]")
text_case('empty-global-text', lambda d: first_set(d).update({'global': ' '}),
          r"class 0 \('wave hand'\): description set 'authored': 'global' "
          r"must be a non-empty string, got ' '")
text_case('duplicate-labels',
          lambda d: d['classes'][1].update(label=0),
          r"text\.json: duplicate class label 0 \(classes 'wave hand' and "
          r"'sit down'\)")
text_case('unknown-key-joint',
          lambda d: first_set(d).update(key_joints=['tail']),
          r"key_joints names joints \['tail'\] that layout 'ntu25' does not "
          r'have')
text_case('key-joint-twice',
          lambda d: first_set(d).update(key_joints=['head', 'head']),
          r"key_joints lists a joint twice: \['head', 'head'\]")
text_case('unknown-layout', lambda d: d.update(layout='kinect_v3'),
          r"text\.json: unknown skeleton layout 'kinect_v3'")
text_case('wrong-format', lambda d: d.update(format='csv'),
          r"text\.json: \"format\" is 'csv', expected "
          r"'crossglg-text-annotations'")
text_case('unsupported-version', lambda d: d.update(version=2),
          r'text\.json: unsupported version 2')
text_case('negative-label', lambda d: d['classes'][0].update(label=-1),
          r"class -1 \('wave hand'\): \"label\" must be an integer >= 0")


@case('text-annotations', 'malformed-json', ValueError,
      r'text\.json: not valid JSON: Expecting value at line 1, column 13')
def _(ws):
    return functools.partial(load_annotations,
                             ws.write('text.json', '{"format": [}'))


@case('text-annotations', 'not-utf8', ValueError,
      r'text\.json: not UTF-8 text')
def _(ws):
    return functools.partial(load_annotations,
                             ws.write('text.json', b'{"format": "\xff"}'))


@case('text-annotations', 'dataset-class-missing', ValueError,
      r'text\.json: class label\(s\) \[7\] of the data set are missing from '
      r'the file \(it has 6 classes, labels 0\.\.5\)')
def _(ws):
    return functools.partial(load_annotations, ws.text(), labels=[0, 7])


@case('text-annotations', 'unknown-class-name', ValueError,
      r"text\.json: class names differ from the data set: label 1: data set "
      r"'stand up', file 'sit down'")
def _(ws):
    return functools.partial(load_annotations, ws.text(),
                             labels={0: 'wave hand', 1: 'stand up'})


@case('text-annotations', 'unknown-description-set', ValueError,
      r"text\.json: unknown description set 'gpt-4o'; sets in the file: "
      r"\['authored'\]")
def _(ws):
    return functools.partial(load_annotations, ws.text(),
                             description_set='gpt-4o')


@case('text-annotations', 'layout-mismatch', ValueError,
      r"text\.json: the file is written for layout 'ntu25', but layout "
      r"'coco17' was requested")
def _(ws):
    return functools.partial(load_annotations, ws.text(), layout='coco17')


@case('text-annotations', 'unknown-shipped-name', FileNotFoundError,
      r"text annotation file 'ntu121' not found; give a path to a JSON file "
      r'or one of the shipped names')
def _(ws):
    return functools.partial(load_annotations, 'ntu121')


# text banks
@case('text-bank', 'other-layout', ValueError,
      r"bank\.npz was built for layout 'ntu25' but the config uses 'coco17'")
def _(ws):
    return functools.partial(ws.bank().check, layout='coco17')


@case('text-bank', 'other-width', ValueError,
      r'bank\.npz holds 8-d text embeddings but the config expects 1536-d')
def _(ws):
    return functools.partial(ws.bank().check, dim=1536)


@case('text-bank', 'other-class-list', ValueError,
      r'bank\.npz lacks class label\(s\) \[6, 7\] that the config uses')
def _(ws):
    return functools.partial(ws.bank().check, labels=[0, 6, 7])


@case('text-bank', 'joints-differ-from-layout', ValueError,
      r"x\.npz holds 20 joints per class but layout 'ntu25' of the config "
      r'has 25')
def _(ws):
    bank = ws.bank()
    with open(ws.path('x.npz'), 'wb') as f:
        np.savez(f, labels=bank.labels, embeddings=bank.embeddings[:, :20],
                 key_joints=bank.key_joints[:, :20],
                 meta=np.array(json.dumps(bank.meta)))
    return functools.partial(load_text_bank(ws.path('x.npz')).check,
                             layout='ntu25')


@case('text-bank', 'truncated-file', ValueError,
      r'bank\.npz: not a readable text bank')
def _(ws):
    ws.bank()
    with open(ws.path('bank.npz'), 'rb') as f:
        data = f.read()
    ws.write('bank.npz', data[:len(data) // 2])
    return functools.partial(load_text_bank, ws.path('bank.npz'))


@case('text-bank', 'missing-arrays', ValueError,
      r"x\.npz: not a text bank, arrays \['labels', 'key_joints', 'meta'\] "
      r'are missing')
def _(ws):
    with open(ws.path('x.npz'), 'wb') as f:
        np.savez(f, embeddings=np.zeros((1, 25, 8), np.float32))
    return functools.partial(load_text_bank, ws.path('x.npz'))


@case('text-bank', 'nan-embeddings', ValueError,
      r'nan\.npz: NaN/inf values in the embeddings or key joints of class '
      r'label\(s\) \[1\]')
def _(ws):
    bank = ws.bank()
    bank.embeddings[1, 3, 0] = np.nan
    with open(ws.path('nan.npz'), 'wb') as f:
        np.savez(f, labels=bank.labels, embeddings=bank.embeddings,
                 key_joints=bank.key_joints,
                 meta=np.array(json.dumps(bank.meta)))
    return functools.partial(load_text_bank, ws.path('nan.npz'))


@case('text-bank', 'unknown-encoder', ValueError,
      r"text encoder config must be a dict with type in \('tfidf_svd', "
      r"'huggingface'\), got \{'type': 'bert'\}")
def _(ws):
    return functools.partial(get_text_bank, ws.text(), dict(type='bert'),
                             cache_dir=ws.path('banks'))


@case('text-bank', 'negative-dim', ValueError,
      r'tfidf_svd dim must be a positive integer, got -8')
def _(ws):
    return functools.partial(get_text_bank, ws.text(),
                             dict(type='tfidf_svd', dim=-8),
                             cache_dir=ws.path('banks'))


@case('text-bank', 'zero-batch-size', ValueError,
      r'batch_size must be >= 1, got 0')
def _(ws):
    return functools.partial(
        get_text_bank, ws.text(),
        dict(type='huggingface', model='microsoft/deberta-v2-xlarge',
             batch_size=0), cache_dir=ws.path('banks'))


@case('text-bank', 'encoder-not-available-offline', ToolFailed,
      r"cannot load text encoder 'crossglg-test/no-such-model' \(revision "
      r'main\).*To make it available: download it on a machine with '
      r'internet access.*HF_HOME')
def _(ws):
    return functools.partial(
        run_tool, 'build_text_bank', ws.text(), '--encoder',
        'huggingface', '--model', 'crossglg-test/no-such-model',
        '--local-files-only', '--out', ws.path('bank.npz'))


@case('text-bank', 'cli-malformed-annotations', ToolFailed,
      r'text\.json: not valid JSON')
def _(ws):
    return functools.partial(run_tool, 'build_text_bank',
                             ws.write('text.json', '{'), '--out',
                             ws.path('bank.npz'))


@case('text-bank', 'cli-dim-for-huggingface', ToolFailed,
      r'--dim applies to --encoder tfidf_svd only')
def _(ws):
    return functools.partial(run_tool, 'build_text_bank', ws.text(),
                             '--encoder', 'huggingface', '--model', 'x',
                             '--dim', '8', '--out', ws.path('bank.npz'))


@case('text-bank', 'cli-huggingface-without-model', ToolFailed,
      r'--encoder huggingface needs --model')
def _(ws):
    return functools.partial(run_tool, 'build_text_bank', ws.text(),
                             '--encoder', 'huggingface', '--out',
                             ws.path('bank.npz'))


# TextAnnotatedDataset: the bank against the dataset (both sides named)
@case('text-dataset', 'text-for-another-class-list', ValueError,
      r'text\.json: class label\(s\) \[2, 3\] of the data set are missing '
      r'from the file \(it has 2 classes, labels 0\.\.1\)')
def _(ws):
    return ws.text_dataset(ws.text(names=NAMES[:2]))


@case('text-dataset', 'text-with-other-class-names', ValueError,
      r"text\.json: class names differ from the data set: label 0: data set "
      r"'wave hand', file 'nod head'")
def _(ws):
    return ws.text_dataset(ws.text(names=('nod head', ) + NAMES[1:]))


@case('text-dataset', 'text-for-another-layout', ValueError,
      r"banks/text\..*\.npz was built for layout 'coco17' but "
      r"TextAnnotatedDataset \(.*data\.pkl, protocol 'tiny', subset 'base'\)"
      r" \(text_channels=8\) uses 'ntu25'", may_write=('banks/*.npz', ))
def _(ws):
    return ws.text_dataset(ws.text(layout='coco17'))


@case('text-dataset', 'other-embedding-width', ValueError,
      r'banks/text\..*\.npz holds 8-d text embeddings but '
      r"TextAnnotatedDataset \(.*protocol 'tiny', subset 'base'\) "
      r'\(text_channels=1536\) expects 1536-d', may_write=('banks/*.npz', ))
def _(ws):
    return ws.text_dataset(text_channels=1536)


@case('text-dataset', 'class-without-key-joints', ValueError,
      r"no key joints for class\(es\) \['wave hand'\]; the calibration loss "
      r'needs at least one per class', may_write=('banks/*.npz', ))
def _(ws):
    data = text_dict()
    first_set(data)['key_joints'] = []
    return ws.text_dataset(ws.json('text.json', data))


@case('text-dataset', 'text-bank-config-keys', ValueError,
      r"TextAnnotatedDataset text_bank: unknown keys \['dims'\], missing "
      r"keys \['text_channels'\]")
def _(ws):
    return functools.partial(
        TextAnnotatedDataset, ann_file=ws.pickle(), pipeline=[],
        protocol=PROTOCOL, text_bank=dict(annotations=ws.text(),
                                          encoder=dict(type='tfidf_svd'),
                                          dims=8))


# generate_descriptions.py against the fake endpoint
def generate(ws, classes, *extra, key='sk-test'):
    env = {KEY_ENV: key} if key else {}
    with mock.patch.dict(os.environ, env):
        if not key:
            os.environ.pop(KEY_ENV, None)
        return run_tool('generate_descriptions', '--classes', classes,
                        '--base-url', ws.llm.base_url, '--model',
                        'test-model', '--out', ws.path('gen.json'),
                        '--max-retries', 1, '--timeout', 5, '--backoff',
                        0.01, '--no-progress', *extra)


@case('generate-descriptions', 'endpoint-keeps-failing', ToolFailed,
      r"stopped at class 1 \('sit down'\); 1 classes are saved in "
      r".*gen\.json.*'sit down' \(global action prompt\): no usable answer "
      r'from 127\.0\.0\.1 after 2 attempts; last problem: '
      r'InternalServerError')
def _(ws):
    generate(ws, 'wave hand')
    ws.llm.script[:] = [500] * 10
    return functools.partial(generate, ws, 'wave hand,sit down')


@case('generate-descriptions', 'answers-stay-malformed', ToolFailed,
      r"'wave hand' \(joint motion prompt\): no usable answer .* after 2 "
      r"attempts; last problem: malformed answer: joints missing: "
      r"\['spine_base'\]; unknown keys: \['tail'\]")
def _(ws):
    ws.llm.script[:] = ['good'] + ['malformed'] * 10
    return functools.partial(generate, ws, 'wave hand')


@case('generate-descriptions', 'api-key-not-set', ToolFailed,
      r'environment variable OPENAI_API_KEY is not set; export the API key '
      r'there')
def _(ws):
    return functools.partial(generate, ws, 'wave hand', key=None)


@case('generate-descriptions', 'unknown-layout', ToolFailed,
      r"unknown skeleton layout 'kinect_v3'")
def _(ws):
    return functools.partial(generate, ws, 'wave hand', '--layout',
                             'kinect_v3')


@case('generate-descriptions', 'duplicate-class-labels', ToolFailed,
      r'classes\.tsv: duplicate class labels \[0\]')
def _(ws):
    classes = ws.write('classes.tsv', '0\twave hand\n0\tsit down\n')
    return functools.partial(generate, ws, classes)


@case('generate-descriptions', 'resume-with-other-class-list', ToolFailed,
      r"gen\.json: the class list does not match the file: label 0: list "
      r"'nod head', file 'wave hand'")
def _(ws):
    generate(ws, 'wave hand')
    return functools.partial(generate, ws, 'nod head')


@case('generate-descriptions', 'resume-into-other-layout', ToolFailed,
      r"cannot resume into .*gen\.json: .*the file is written for layout "
      r"'ntu25', but layout 'coco17' was requested")
def _(ws):
    generate(ws, 'wave hand')
    return functools.partial(generate, ws, 'wave hand', '--layout', 'coco')


@case('generate-descriptions', 'negative-max-retries', ToolFailed,
      r'max_retries must be >= 0, got -1')
def _(ws):
    return functools.partial(generate, ws, 'wave hand', '--max-retries', -1)


# import_descriptions.py (six-body-part files)
@case('import-descriptions', 'wrong-field-count', ToolFailed,
      r'parts\.txt:1: expected "label;head \.\.\.;hand \.\.\.;arm \.\.\.;hip '
      r'\.\.\.;leg \.\.\.;foot \.\.\." \(7 fields\), got 4')
def _(ws):
    return functools.partial(
        run_tool, 'import_descriptions', '--parts',
        ws.write('parts.txt', 'wave hand;h;h;a\n'), '--global',
        ws.write('global.csv', 'wave hand,The hand waves.\n'),
        '--set-name', 'six', '--out', ws.path('out.json'))


@case('import-descriptions', 'unknown-class-name', ToolFailed,
      r"parts\.txt \(label 'fly'\): class 'fly' is not in the class list")
def _(ws):
    return functools.partial(
        run_tool, 'import_descriptions', '--parts',
        ws.write('parts.txt', 'fly;h;h;a;h;l;f\n'), '--global',
        ws.write('global.csv', 'fly,The arms flap.\n'), '--classes',
        ','.join(NAMES), '--set-name', 'six', '--out', ws.path('out.json'))


@case('import-descriptions', 'into-file-of-other-layout', ToolFailed,
      r"text\.json: the file is written for layout 'ntu25', but layout "
      r"'coco17' was requested")
def _(ws):
    return functools.partial(
        run_tool, 'import_descriptions', '--parts',
        ws.write('parts.txt', 'wave hand;h;h;a;h;l;f\n'), '--global',
        ws.write('global.csv', 'wave hand,The hand waves.\n'),
        '--layout', 'coco17', '--set-name', 'six', '--out', ws.text())


# converters: NW-UCLA JSON, the pickle validator, pickle -> npz
def nwucla_dir(ws, change=None):
    folder = ws.path('all_sqe')
    os.makedirs(folder)
    for action, label in ((1, 1), (2, 2), (3, 3)):
        stem = f'a{action:02d}_s01_e00_v01'
        data = dict(file_name=stem, label=label,
                    skeletons=np.zeros((3, 20, 3)).tolist())
        if change and action == 2:
            change(data)
        with open(osp.join(folder, f'{stem}.json'), 'w') as f:
            json.dump(data, f)
    return folder


def nwucla_case(name, change, match):

    def setup(ws):
        return functools.partial(run_tool, 'data.nwucla_to_pickle',
                                 nwucla_dir(ws, change),
                                 ws.path('out.pkl'))

    case('nwucla-converter', name, ToolFailed,
         r'nwucla_to_pickle\.py: error: .*all_sqe: 1 invalid files:\n  '
         r'.*a02_s01_e00_v01\.json: ' + match)(setup)


nwucla_case('wrong-joint-count',
            lambda d: d['skeletons'][1].pop(),
            r"key 'skeletons': frame 1 has 19 joints, expected 20 joints of "
            r'3 coordinates')
nwucla_case('empty-sequence', lambda d: d.update(skeletons=[]),
            r"key 'skeletons': empty sequence \(T=0\)")
nwucla_case('label-outside', lambda d: d.update(label=11),
            r"key 'label': 11 is outside 1\.\.10")
nwucla_case('label-differs-from-file-name', lambda d: d.update(label=3),
            r"key 'label': 3 does not match action a02 \(label 2\)")
nwucla_case('missing-key', lambda d: d.pop('skeletons'),
            r"missing keys \['skeletons'\]")
nwucla_case('nan-coordinate',
            lambda d: d['skeletons'][0][0].__setitem__(0, float('nan')),
            r"key 'skeletons': NaN/inf coordinates in frames \[0\]")


@case('nwucla-converter', 'malformed-json', ToolFailed,
      r'a01_s01_e00_v01\.json: not readable JSON')
def _(ws):
    folder = nwucla_dir(ws)
    with open(osp.join(folder, 'a01_s01_e00_v01.json'), 'w') as f:
        f.write('{"label": 1, ')
    return functools.partial(run_tool, 'data.nwucla_to_pickle', folder,
                             ws.path('out.npz'))


@case('nwucla-converter', 'missing-folder', FileNotFoundError,
      r'NW-UCLA folder not found: .*nope')
def _(ws):
    return functools.partial(convert_nwucla, ws.path('nope'),
                             ws.path('out.pkl'))


@case('validate-pickle', 'truncated-pickle', ToolFailed,
      r"exited with 1.*data\.pkl: INVALID\n  1 errors:\n    - cannot load: "
      r'.*data\.pkl: cannot read the skeleton pickle')
def _(ws):
    path = ws.pickle()
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.pkl', data[:100])
    return functools.partial(run_tool, 'data.validate_pickle', path)


@case('validate-pickle', 'wrong-layout', ToolFailed,
      r"exited with 1.*sample 'c0_s0': key 'keypoint': expected shape "
      r'\(M, T, 20, C\)')
def _(ws):
    return functools.partial(run_tool, 'data.validate_pickle',
                             ws.pickle(), '--layout', 'kinect_v1_20')


@case('validate-pickle', 'labels-outside-num-classes', ToolFailed,
      r"exited with 1.*sample 'c5_s0': key 'label': 5 is outside the class "
      r'list \(0\.\.4\)')
def _(ws):
    return functools.partial(run_tool, 'data.validate_pickle',
                             ws.pickle(), '--num-classes', 5)


@case('pickle-to-npz', 'truncated-pickle', ToolFailed,
      r'pickle_to_npz\.py: error: .*data\.pkl: cannot read the skeleton '
      r'pickle \(UnpicklingError')
def _(ws):
    path = ws.pickle()
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.pkl', data[:100])
    return functools.partial(run_tool, 'data.pickle_to_npz', path,
                             ws.path('out.npz'))


@case('pickle-to-npz', 'invalid-sample', ToolFailed,
      r"pickle_to_npz\.py: error: not converted, .*out\.npz is not written:"
      r"\n.*data\.pkl: INVALID.*sample 'c0_s0': key 'keypoint': 300 "
      r'NaN/inf')
def _(ws):
    return functools.partial(
        run_tool, 'data.pickle_to_npz', ws.pickle(change=dict(
            keypoint=np.full((1, 4, 25, 3), np.nan, np.float32))),
        ws.path('out.npz'))


@case('pickle-to-npz', 'output-suffix', ToolFailed,
      r"exited with 2.*out_file must end in \.npz or \.json, got "
      r"'.*out\.pkl'")
def _(ws):
    return functools.partial(run_tool, 'data.pickle_to_npz', ws.pickle(),
                             ws.path('out.pkl'))


@case('make-synthetic', 'zero-frames', ToolFailed,
      r'exited with 2.*synthetic data: frames must be \(min, max\) with')
def _(ws):
    return functools.partial(run_tool, 'data.make_synthetic', '--out-dir',
                             ws.path('syn'), '--frames', 0)


@case('make-synthetic', 'novel-not-below-classes', ToolFailed,
      r'exited with 2.*synthetic data: num_novel must be an integer in '
      r'1\.\.num_classes-1 \(3\)')
def _(ws):
    return functools.partial(run_tool, 'data.make_synthetic', '--out-dir',
                             ws.path('syn'), '--num-classes', 4,
                             '--num-novel', 4)


@case('make-synthetic', 'one-sample-per-class', ToolFailed,
      r'exited with 2.*samples_per_class must be at least 2')
def _(ws):
    return functools.partial(run_tool, 'data.make_synthetic', '--out-dir',
                             ws.path('syn'), '--samples-per-class', 1)


# models: construction-time config checks and inputs
def model_case(name, cfg, match, error=ValueError):
    case('model', name, error, match)(
        lambda ws: functools.partial(MODELS.build, cfg))


TINY = dict(type='InfoGCN', base_channels=8, num_stages=2,
            inflate_stages=(2, ), down_stages=(2, ), num_person=1)
HEAD = dict(type='CrossGLGHead', num_classes=4, in_channels=16,
            latent_channels=16,
            guidance=dict(type='CrossModalGuidance', text_channels=8,
                          common_channels=8, num_heads=2))

model_case('after-block-zero', dict(TINY, importance=dict(after_block=0)),
           r'InfoGCN importance\.after_block must be an integer in 1\.\.2 '
           r'\(N_pre\), got 0')
model_case('after-block-out-of-range',
           dict(TINY, importance=dict(after_block=10)),
           r'importance\.after_block must be an integer in 1\.\.2 \(N_pre\), '
           r'got 10')
model_case('jid-hidden-channels-zero',
           dict(TINY, importance=dict(after_block=1, hidden_channels=0)),
           r'importance\.hidden_channels must be a positive integer or None, '
           r'got 0')
model_case('jid-unknown-position',
           dict(TINY, importance=dict(after_block=1, apply_to='input')),
           r"importance\.apply_to must be one of \('post_input', "
           r"'post_output'\), got 'input'")
model_case('jid-unknown-key', dict(TINY, importance=dict(after_block=1,
                                                         n_pre=5)),
           r"InfoGCN importance: unknown keys \['n_pre'\]")
model_case('unknown-layout', dict(TINY, layout='kinect_v3'),
           r"unknown skeleton layout 'kinect_v3'", error=KeyError)
model_case('base-channels-zero', dict(TINY, base_channels=0),
           r'InfoGCN: base_channels must be a positive integer, got 0')
model_case('num-person-zero', dict(TINY, num_person=0),
           r'InfoGCN: num_person must be a positive integer, got 0')
model_case('stage-outside-blocks', dict(TINY, down_stages=(4, )),
           r'InfoGCN: inflate_stages/down_stages \[4\] are not blocks 1\.\.2')
model_case('kth-mode-zero', dict(TINY, k=0),
           r'k-th mode must be an integer >= 1, got 0')
model_case('head-num-classes-zero', dict(HEAD, num_classes=0),
           r'CrossGLGHead: num_classes must be a positive integer, got 0')
model_case('head-text-channels-negative',
           dict(HEAD, guidance=dict(type='CrossModalGuidance',
                                    text_channels=-8)),
           r'CrossModalGuidance: text_channels must be a positive integer, '
           r'got -8')
model_case('alpha2-negative',
           dict(HEAD, loss_c=dict(type='CrossEntropyLoss', loss_weight=-0.2)),
           r'CrossGLGHead: loss_c\.loss_weight must be >= 0, got -0\.2')
model_case('alpha1-negative',
           dict(HEAD, loss_calibrate=dict(type='JointCalibrationLoss',
                                          loss_weight=-0.5)),
           r'CrossGLGHead: loss_calibrate\.loss_weight must be >= 0, got '
           r'-0\.5')
model_case('head-unknown-embedding', dict(HEAD, embedding='z'),
           r"InfoGCNHead embedding must be one of \('hidden', 'mu'\), got 'z'")
model_case('calibration-without-jid',
           dict(type='CrossGLGRecognizer', backbone=TINY, cls_head=HEAD),
           r'CrossGLGRecognizer: the head has a calibration loss '
           r'\(loss_calibrate\) but the backbone has no joint importance '
           r'module')


def forward_case(name, shape, match):
    case('model', name, ValueError, match)(
        lambda ws: functools.partial(MODELS.build(TINY), torch.zeros(shape)))


forward_case('input-wrong-joint-count', (2, 1, 8, 20, 3),
             r"InfoGCN \(layout 'ntu25', num_person=1, in_channels=3\) "
             r'expects V=25, got input of shape \(N, M, T, V, C\)='
             r'\(2, 1, 8, 20, 3\)')
forward_case('input-4d', (2, 8, 25, 3),
             r'InfoGCN expects input \(N, M, T, V, C\), got shape '
             r'\(2, 8, 25, 3\)')
forward_case('input-empty-sequence', (2, 1, 0, 25, 3),
             r'InfoGCN got a zero-length sequence \(T=0\)')


@case('model', 'guidance-without-text-fields', KeyError,
      r"CrossGLGHead needs the data-sample field 'text_embedding' in "
      r'training, but 2 of 2 samples lack it\. Train on a '
      r'TextAnnotatedDataset')
def _(ws):
    from mmaction.structures import ActionDataSample
    samples = [ActionDataSample().set_gt_label(label) for label in (0, 1)]
    return functools.partial(MODELS.build(HEAD).loss,
                             torch.zeros(2, 1, 16, 2, 25), samples)


@case('model', 'text-width-differs', ValueError,
      r'CrossModalGuidance expects text embeddings of width 8, got '
      r'\(2, 25, 16\)')
def _(ws):
    from mmaction.structures import ActionDataSample
    samples = []
    for label in (0, 1):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_field(torch.zeros(25, 16), 'text_embedding')
        samples.append(sample)
    return functools.partial(MODELS.build(HEAD).loss,
                             torch.zeros(2, 1, 16, 2, 25), samples)


# training runner: absurd dataloader values stop at start-up
@case('training', 'negative-batch-size', ValueError,
      r'batch_size should be a positive integer value, but got '
      r'batch_size=-16')
def _(ws):
    from mmengine.runner import Runner
    return functools.partial(Runner.build_dataloader, dict(
        batch_size=-16, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='OneShotPoseDataset', ann_file=ws.pickle(),
                     protocol=PROTOCOL, pipeline=[])))


# evaluation: one-shot functions and the metric
def oneshot_features(n=6, dim=4, exemplars=(0, 3)):
    labels = np.repeat([4, 5], n // 2)
    flags = np.zeros(n, bool)
    flags[list(exemplars)] = True
    return dict(embedding=np.abs(np.random.default_rng(0).normal(
        size=(n, dim))), label=labels, is_exemplar=flags)


@case('evaluation', 'nan-features', ValueError,
      r'novel features: 1 rows contain NaN or inf \(rows \[2\]\)')
def _(ws):
    novel = oneshot_features()
    novel['embedding'][2, 1] = np.nan
    return functools.partial(evaluate_oneshot, oneshot_features(), novel,
                             calibration=False)


@case('evaluation', 'nan-base-features', ValueError,
      r'base features: 1 rows contain NaN or inf \(rows \[0\]\)')
def _(ws):
    base = dict(embedding=np.abs(np.random.default_rng(1).normal(
        size=(8, 4))), label=np.repeat([0, 1, 2, 3], 2))
    base['embedding'][0, 0] = np.inf
    return functools.partial(evaluate_oneshot, base, oneshot_features())


@case('evaluation', 'two-exemplars-for-a-class', ValueError,
      r'one-shot evaluation needs exactly one exemplar and at least one '
      r'query per class; exemplars per class: \{4: 2, 5: 0\}')
def _(ws):
    return functools.partial(evaluate_oneshot, {},
                             oneshot_features(exemplars=(0, 1)),
                             calibration=False)


@case('evaluation', 'metric-without-exemplar-flag', KeyError,
      r"data sample has no \['is_exemplar'\]: pack them with "
      r"PackActionInputs\(algorithm_keys=\('is_exemplar',\)\)")
def _(ws):
    sample = dict(embedding=torch.zeros(4), gt_label=torch.tensor([0]))
    return functools.partial(OneShotMetric().process, {}, [sample])


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


@pytest.mark.parametrize('setup, error, match, may_write', CASES)
def test_bad_input(setup, error, match, may_write, ws):
    call = setup(ws)
    before = snapshot(ws.root)
    with pytest.raises(error) as raised:
        call()
    assert re.search(match, str(raised.value), re.S), str(raised.value)
    after = snapshot(ws.root)
    changed = sorted(p for p in set(before) | set(after)
                     if before.get(p) != after.get(p))
    unexpected = [p for p in changed
                  if not any(fnmatch.fnmatch(p, w) for w in may_write)]
    assert not unexpected, f'the failing call wrote or changed {unexpected}'
    for path in changed:
        if path in after:
            assert_complete(osp.join(ws.root, path))
    assert not osp.exists(ws.path('pwned')), 'a payload was unpickled'


def test_the_write_check_catches_half_written_files(tmp_path):
    """The checks above can fail: a fragment or a temporary file is caught.
    """
    before = snapshot(str(tmp_path))
    with open(tmp_path / 'bank.npz', 'wb') as f:
        np.savez(f, labels=np.arange(3))
    data = (tmp_path / 'bank.npz').read_bytes()
    (tmp_path / 'bank.npz').write_bytes(data[:len(data) // 2])
    (tmp_path / '.bank.npz.x1y2.tmp').write_bytes(data)
    assert set(snapshot(str(tmp_path))) - set(before) == {
        'bank.npz', '.bank.npz.x1y2.tmp'}
    with pytest.raises(Exception):
        assert_complete(str(tmp_path / 'bank.npz'))
    with pytest.raises(AssertionError, match='temporary file left'):
        assert_complete(str(tmp_path / '.bank.npz.x1y2.tmp'))
