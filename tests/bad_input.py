"""The bad-input suite's harness: cases, their folder, the checks.

Every case is one test id, ``<entry point>-<problem>``, registered in its
package area's ``test_bad_input_<area>.py`` with a :class:`Cases` registry:
``setup(ws)`` prepares the inputs in the case's folder (also the working
directory) and returns the call to make. :func:`check_bad_input` asserts the
error type and a message naming the problem (file, key/class/sample, what
was expected); then every file in the folder must be unchanged and no file
added, except files a case allows (a run's logs, a valid cache entry),
which must be complete, and no payload hidden in a pickle may have run.
docs/benchmarks.md ("Bad-input suite") counts the cases per entry point.

The tools run in this process through ``main(argv)`` (their command line,
error handling included); the work behind ``tools/test_oneshot.py`` is
called as the package function it is. Cases that need a trained checkpoint
share one tiny CrossGLG run (the ``bad_input_run`` fixture). The fixtures
are registered for the whole suite by ``tests/conftest.py``.
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

import numpy as np
import pytest
from mmengine.registry import init_default_scope

from crossglg_mmaction.datasets import OneShotPoseDataset, TextAnnotatedDataset
from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (new_annotations,
                                                save_annotations,
                                                upsert_description)
from crossglg_mmaction.text.bank import get_text_bank
from text_fakes import FakeLLMServer, toy_description
from tiny_run import NAMES, PROTOCOL, TinyRun
from tool_runner import run_main


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


def first_set(data):
    """The first class's description set of a :func:`text_dict`."""
    return data['classes'][0]['descriptions']['authored']


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
        return self.request.getfixturevalue('bad_input_run')

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


class Payload:
    """Unpickling it would create a marker folder (it never may)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker, )


class Cases:
    """The cases of one test module.

    Use an instance as a decorator factory: ``@cases(entry, name, error,
    match, may_write)`` registers ``setup(ws) -> call``; ``call()`` must
    raise ``error`` with a message matching ``match`` and may write only
    files matching the ``may_write`` patterns. :attr:`params` parametrizes
    the module's test.
    """

    def __init__(self):
        self.params = []

    def __call__(self, entry, name, error, match, may_write=()):

        def register(setup):
            self.params.append(pytest.param(setup, error, match, may_write,
                                            id=f'{entry}-{name}'))
            return setup

        return register


def check_bad_input(setup, error, match, may_write, ws):
    """Run one case in ``ws`` (see the module docstring)."""
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


@pytest.fixture(scope='module')
def llm():
    """The fake OpenAI-compatible endpoint of the text tests."""
    with FakeLLMServer(delay=1.0) as server:
        yield server


@pytest.fixture(scope='session')
def bad_input_run(tmp_path_factory):
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
