"""tools/build_text_bank.py end to end."""
import json
import logging

import pytest

from crossglg_mmaction.text.annotations import save_annotations
from crossglg_mmaction.text.bank import load_text_bank


@pytest.fixture
def raw_file(tmp_path, make_toy):
    path = tmp_path / 'raw.json'
    save_annotations(make_toy(with_key_joints=False), str(path))
    return path


def test_write_key_joints_then_reuse(raw_file, tmp_path, run_tool, caplog):
    caplog.set_level(logging.INFO)
    out = tmp_path / 'banks' / 'raw.npz'
    assert run_tool('build_text_bank', [
        raw_file, '--write-key-joints', '--stanza-dir', tmp_path / 'none',
        '--dim', 12, '--out', out]) == 0
    assert 'are not installed in' in caplog.text  # the fallback is announced
    data = json.loads(raw_file.read_text())
    desc = data['classes'][1]['descriptions']['authored']
    assert desc['key_joints_extractor'] == 'lexical'
    assert desc['key_joints'][-1] == 'right_foot'
    bank = load_text_bank(str(out))
    assert bank.embeddings.shape == (3, 25, 12)
    assert bank.meta['extractor'] == 'lexical'
    assert bank.key_joints[1, 19] == 1
    caplog.clear()
    assert run_tool('build_text_bank', [raw_file, '--dim', 12, '--out',
                                        out]) == 0
    assert f'text bank cache hit: {out}' in caplog.text
    assert 'x 12 dims (encoder tfidf_svd, key joints by lexical)' in \
        caplog.text


def test_huggingface_from_a_local_folder(toy_file, tmp_path, run_tool,
                                         tiny_hf_models):
    model, hidden = tiny_hf_models['bert']
    out = tmp_path / 'hf.npz'
    assert run_tool('build_text_bank', [
        toy_file, '--encoder', 'huggingface', '--model', model,
        '--batch-size', 5, '--device', 'cpu', '--out', out]) == 0
    bank = load_text_bank(str(out))
    assert bank.dim == hidden
    assert bank.meta['encoder']['revision'] == 'local'


@pytest.mark.parametrize('args, message', [
    (['--encoder', 'huggingface', '--model', 'x', '--dim', 8],
     '--dim applies to --encoder tfidf_svd only'),
    (['--encoder', 'huggingface'], '--encoder huggingface needs --model'),
    (['--model', 'bert-base-uncased'], '--model/--revision apply to '
     '--encoder huggingface only'),
    (['--encoder', 'huggingface', '--model', 'no-org/no-model',
      '--local-files-only'], "cannot load text encoder 'no-org/no-model' "
     '(revision main)'),
    (['--set', 'gpt'], "unknown description set 'gpt'"),
])
def test_errors(toy_file, tmp_path, run_tool, caplog, args, message):
    out = tmp_path / 'bank.npz'
    assert run_tool('build_text_bank', [toy_file, *args, '--out', out]) == 1
    assert message in caplog.text
    assert not out.exists()


def test_unknown_annotation_name(run_tool, caplog):
    assert run_tool('build_text_bank', ['ntu999']) == 1
    assert "text annotation file 'ntu999' not found" in caplog.text
