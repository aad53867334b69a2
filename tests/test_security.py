"""Security (docs/security.md): API keys, checkpoints, pickles.

1. An API key in the environment is never written: a run with a
   recognisable key (descriptions from the fake endpoint through
   ``tools/generate_descriptions.py``, a text bank, training, one-shot
   evaluation, export, a refused request) and every file it wrote, log and
   console output are searched for the key.
2. Checkpoints load with ``weights_only=True`` and the minimal allow-list:
   the product code never disables it, and the allow-list holds only what an
   MMEngine checkpoint needs.
3. Skeleton pickles are trusted input (their code runs when loaded); the
   ``.npz``/``.json`` formats are the option for untrusted files (tests in
   ``tests/datasets/test_safe_annotations.py``).
"""
import ast
import contextlib
import glob
import io
import logging
import os
import os.path as osp
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import torch

from crossglg_mmaction.compat import checkpoint_safe_globals
from crossglg_mmaction.datasets import OneShotPoseDataset
from crossglg_mmaction.evaluation.checkpoint_eval import evaluate_checkpoint
from crossglg_mmaction.models.export import export_inference_checkpoint
from text_fakes import FakeLLMServer
from tiny_run import NAMES, PROTOCOL, ROOT, TinyRun
from tool_runner import run_main

SECRET = 'sk-crossglg-5ecret-never-written-0123456789'
KEY_ENV = 'OPENAI_API_KEY'
PRODUCT = ('crossglg_mmaction', 'tools', 'benchmarks', 'configs')


def files_with(secret, root):
    """Files under ``root`` whose bytes, or a zip member's, hold ``secret``.
    """
    needle = secret.encode()
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                data = f.read()
            hit = needle in data
            if not hit and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    hit = any(needle in archive.read(member)
                              for member in archive.namelist())
            if hit:
                found.append(osp.relpath(path, root))
    return sorted(found)


def test_the_key_search_finds_a_key_in_files_and_zip_members(tmp_path):
    (tmp_path / 'plain.log').write_text(f'key={SECRET}\n')
    with zipfile.ZipFile(tmp_path / 'packed.pth', 'w',
                         zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('archive/data.pkl', f'{SECRET}' * 3)
    (tmp_path / 'clean.txt').write_text('nothing here')
    assert files_with(SECRET, tmp_path) == ['packed.pth', 'plain.log']


@pytest.fixture
def llm():
    with FakeLLMServer(delay=1.0) as server:
        yield server


@pytest.mark.slow
def test_api_key_is_never_written(tmp_path, llm, monkeypatch, capsys):
    root = str(tmp_path)
    home = osp.join(root, 'home')
    os.makedirs(home)
    env = {KEY_ENV: SECRET, 'HOME': home,
           'XDG_CACHE_HOME': osp.join(home, '.cache')}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(root)
    classes = tmp_path / 'classes.tsv'
    classes.write_text(''.join(f'{i}\t{n}\n' for i, n in enumerate(NAMES)))
    text = osp.join(root, 'text.json')
    with open(osp.join(root, 'generate.out'), 'w') as out:
        result = subprocess.run(
            [sys.executable, osp.join(ROOT, 'tools',
                                      'generate_descriptions.py'),
             '--classes', str(classes), '--base-url', llm.base_url,
             '--model', 'test-model', '--out', text, '--max-retries', '1',
             '--backoff', '0.01'],
            cwd=root, env=dict(os.environ), stdout=out,
            stderr=subprocess.STDOUT, timeout=300)
    assert result.returncode == 0, open(osp.join(root, 'generate.out')).read()
    # the key did authenticate every request
    assert len(llm.requests) == 2 * len(NAMES)
    assert all(r['auth'] == f'Bearer {SECRET}' for r in llm.requests)

    records = io.StringIO()
    handler = logging.StreamHandler(records)
    logging.getLogger().addHandler(handler)
    try:
        run = TinyRun(root, text)
        run.train()  # builds the text bank from the generated file
        summary = evaluate_checkpoint(
            run.config, run.checkpoint, work_dir=run.work_dir,
            out_dir=osp.join(root, 'oneshot'), num_workers=0)
        from mmengine.config import Config
        export_inference_checkpoint(Config.fromfile(run.config),
                                    run.checkpoint,
                                    osp.join(root, 'infer.pth'))
        assert run_main('build_text_bank', [
            text, '--dim', 4, '--cache-dir', osp.join(home, 'banks')]) == 0
        # an endpoint that echoes the key in its error (a 401)
        llm.script[:] = [401]
        assert run_main('generate_descriptions', [
            '--classes', 'nod head', '--base-url', llm.base_url, '--model',
            'test-model', '--out', osp.join(root, 'refused.json'),
            '--no-progress']) == 1
    finally:
        logging.getLogger().removeHandler(handler)
    assert f'invalid key Bearer {SECRET}' not in records.getvalue()
    assert 'refused the request' in records.getvalue()

    # what the run wrote: config dump, logs, caches, outputs
    written = [
        run.checkpoint, osp.join(run.work_dir, 'tiny.py'),
        *glob.glob(osp.join(run.work_dir, '2*', '2*.log')),
        *glob.glob(osp.join(run.work_dir, '2*', 'vis_data', 'config.py')),
        *glob.glob(osp.join(root, 'banks', '*.npz')),
        *glob.glob(osp.join(home, 'banks', '*.npz')),
        *glob.glob(osp.join(run.work_dir, 'oneshot_cache', '*.npz')),
        osp.join(root, 'oneshot', 'results.json'),
        osp.join(root, 'infer.pth'), text,
        osp.join(root, 'generate.out'), osp.join(root, 'train.out')
    ]
    assert all(osp.isfile(p) for p in written) and len(written) >= 12
    assert summary['prototype']['top1'] is not None
    assert files_with(SECRET, root) == []
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err + records.getvalue()


def test_only_the_configured_endpoint_is_contacted(tmp_path, llm,
                                                   monkeypatch):
    import socket
    contacted = []
    connect = socket.socket.connect

    def record(sock, address):
        contacted.append(address[:2])
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, 'connect', record)
    monkeypatch.setenv(KEY_ENV, SECRET)
    monkeypatch.setenv('OPENAI_BASE_URL', 'http://198.51.100.7:9/v1')
    assert run_main('generate_descriptions', [
        '--classes', 'nod head', '--base-url', llm.base_url, '--model',
        'test-model', '--out', tmp_path / 'out.json', '--no-progress']) == 0
    port = int(llm.base_url.split(':')[2].split('/')[0])
    assert contacted and set(contacted) == {('127.0.0.1', port)}
    assert len(llm.requests) == 2


def test_no_config_reads_an_api_key():
    """Configs never hold or substitute a key (``{{$OPENAI_API_KEY}}``)."""
    offenders = []
    for path in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                          recursive=True):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        if 'API_KEY' in text or 'api_key' in text or '{{$' in text:
            offenders.append(osp.relpath(path, ROOT))
    assert offenders == []


def audit(source, name='<source>'):
    """Ways ``source`` could unpickle untrusted code; a list of findings.
    """
    findings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            for key in ('weights_only', 'allow_pickle'):
                value = keywords.get(key)
                if value is not None and not (
                        isinstance(value, ast.Constant)
                        and value.value is (key == 'weights_only')):
                    findings.append(f'{name}:{node.lineno}: {called}('
                                    f'{key}={ast.unparse(value)})')
            if called == 'torch.load' and 'weights_only' not in keywords:
                findings.append(f'{name}:{node.lineno}: torch.load without '
                                'weights_only=True')
            if called.split('.')[-1] in ('add_safe_globals',
                                         'safe_globals'):
                findings.append(f'{name}:{node.lineno}: {called}')
            if called in ('pickle.load', 'pickle.loads', 'pickle.Unpickler',
                          'mmengine.load'):
                findings.append(f'{name}:{node.lineno}: {called}')
            if called.split('.')[-1] in ('load_checkpoint', '_load_checkpoint',
                                         'load_from_local'):
                findings.append(f'{name}:{node.lineno}: {called} (torch '
                                "default, not weights_only=True: use "
                                'load_checkpoint_file)')
        if isinstance(node, ast.Constant) and node.value in (
                'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD',
                'TORCH_FORCE_WEIGHTS_ONLY_LOAD'):
            findings.append(f'{name}:{node.lineno}: sets {node.value}')
    return findings


def test_the_audit_finds_unsafe_loading():
    source = '\n'.join([
        'import os, pickle, torch, numpy as np',
        "torch.load('a.pth', weights_only=False)",
        "torch.load('a.pth')",
        "np.load('a.npz', allow_pickle=True)",
        "os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'] = '1'",
        'torch.serialization.add_safe_globals([os.system])',
        "pickle.load(open('a.pkl', 'rb'))",
        "CheckpointLoader.load_checkpoint('a.pth')",
        "torch.load('a.pth', weights_only=True)",
        "np.load('a.npz', allow_pickle=False)",
    ])
    assert sorted(f.split(': ', 1)[1] for f in audit(source)) == sorted([
        'torch.load(weights_only=False)',
        'torch.load without weights_only=True', 'np.load(allow_pickle=True)',
        'sets TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD',
        'torch.serialization.add_safe_globals', 'pickle.load',
        'CheckpointLoader.load_checkpoint (torch default, not '
        'weights_only=True: use load_checkpoint_file)'
    ])


# The only places that may do what the audit looks for, and why.
ALLOWED = {
    # the allow-list of MMEngine checkpoint contents (compat fix 3)
    'crossglg_mmaction/compat.py': ['torch.serialization.add_safe_globals'],
    # skeleton pickles, trusted input by documentation (docs/security.md)
    'crossglg_mmaction/datasets/safe_annotations.py': ['mmengine.load'],
}


def test_product_code_never_loads_unsafely():
    findings = []
    for top in PRODUCT:
        for path in sorted(glob.glob(osp.join(ROOT, top, '**', '*.py'),
                                     recursive=True)):
            name = osp.relpath(path, ROOT)
            with open(path, encoding='utf-8') as f:
                found = audit(f.read(), name)
            allowed = ALLOWED.get(name, [])
            findings += [f for f in found
                         if f.rsplit(': ', 1)[1] not in allowed]
    assert findings == []
    for extra in ('Makefile', 'setup.py', '.ci/run', 'requirements.txt'):
        with open(osp.join(ROOT, extra), encoding='utf-8') as f:
            assert 'WEIGHTS_ONLY' not in f.read(), extra


def test_allow_list_is_minimal_and_enough(tmp_path):
    import numpy
    from mmengine.logging.history_buffer import HistoryBuffer
    allowed = checkpoint_safe_globals()
    dtype_classes = {type(numpy.dtype(c)) for c in '?bBhHiIlLqQefdgFDGOSUV'}
    known = {HistoryBuffer, numpy.ndarray, numpy.dtype, getattr,
             numpy._core.multiarray._reconstruct,
             numpy._core.multiarray.scalar}
    extra = [g for g in allowed if g not in known and g not in dtype_classes
             and not (isinstance(g, type) and issubclass(g, numpy.generic))]
    assert extra == []
    # importing the package added nothing else (torch registers its own)
    added = [g[0] if isinstance(g, tuple) else g
             for g in torch.serialization.get_safe_globals()]
    assert [g for g in added if g not in allowed and not getattr(
        g, '__module__', '').startswith('torch')] == []
    # an MMEngine checkpoint (with its message hub) loads weights-only
    from mmengine.logging import MessageHub
    hub = MessageHub.get_instance('security-test')
    hub.update_scalar('train/loss', np.float32(0.5))
    torch.save(dict(state_dict=dict(w=torch.zeros(2)),
                    message_hub=hub.state_dict(),
                    meta=dict(epoch=np.int64(1), seed=np.float64(2.0))),
               tmp_path / 'ckpt.pth')
    loaded = torch.load(tmp_path / 'ckpt.pth', weights_only=True)
    assert loaded['meta']['epoch'] == 1


class Payload:
    """Creates a folder when unpickled."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker, )


def test_a_skeleton_pickle_runs_code_so_it_is_trusted_input(tmp_path):
    """Why docs/security.md calls pickles trusted input: loading one runs
    its code. The same content as .npz never does (test_safe_annotations).
    """
    marker = tmp_path / 'ran'
    with open(tmp_path / 'evil.pkl', 'wb') as f:
        pickle.dump(dict(annotations=[], hook=Payload(str(marker))), f)
    with contextlib.suppress(ValueError):
        OneShotPoseDataset(ann_file=str(tmp_path / 'evil.pkl'), pipeline=[],
                           protocol=PROTOCOL)
    assert marker.is_dir()
