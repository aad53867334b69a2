"""tools/generate_descriptions.py against a local fake LLM endpoint."""
import json
import logging
import os
import os.path as osp
import subprocess
import sys

import pytest

from crossglg_mmaction.text.annotations import load_annotations
from crossglg_mmaction.text.generation import read_class_list

KEY_ENV = 'CROSSGLG_TEST_LLM_KEY'
SECRET = 'sk-test-5ecret-never-written'
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture
def generate(llm_server, run_tool, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv(KEY_ENV, SECRET)
    caplog.set_level(logging.INFO)
    out = tmp_path / 'generated.json'

    def run(classes='wave hand,sit down,jump up', *extra):
        return run_tool('generate_descriptions', [
            '--classes', classes, '--layout', 'ntu25', '--base-url',
            llm_server.base_url, '--model', 'test-model', '--api-key-env',
            KEY_ENV, '--out', out, '--max-retries', 2, '--timeout', 0.5,
            '--backoff', 0.01, '--no-progress', *extra])

    run.out = out
    return run


def test_generates_every_class(generate, llm_server, caplog):
    assert generate() == 0
    ann = load_annotations(str(generate.out), layout='ntu25')
    assert ann.names == {0: 'wave hand', 1: 'sit down', 2: 'jump up'}
    assert ann.default_set == 'test-model'
    assert ann.dataset == 'generated'
    desc = ann.description(1)
    assert desc['global'].startswith('The person performs sit down')
    assert desc['joints']['right_thumb'] == \
        'The right thumb moves while doing sit down.'
    assert 'key_joints' not in desc
    assert desc['provenance']['endpoint'] == '127.0.0.1'
    assert len(llm_server.requests) == 6
    assert all(r['auth'] == f'Bearer {SECRET}' for r in llm_server.requests)
    assert SECRET not in generate.out.read_text()
    assert SECRET not in caplog.text
    assert '3 classes generated, 0 already present' in caplog.text


def test_flaky_endpoint_still_completes(generate, llm_server):
    # class 0: global prompt 500, empty, timeout, good; joint prompt: a
    # body that is not JSON, then good JSON wrapped in Markdown and prose
    llm_server.script = [500, 'malformed', 'timeout', 'good', 'garbage',
                         'prose']
    llm_server.delay = 1.5
    assert generate('wave hand,sit down', '--max-retries', 3) == 0
    assert len(load_annotations(str(generate.out))) == 2
    assert len(llm_server.requests) == 6 + 2


def test_failure_keeps_finished_classes_and_resumes(generate, llm_server,
                                                    caplog):
    # class 0 succeeds, class 1's joint prompt fails three times in a row
    llm_server.script = ['good', 'good', 'good', 500, 500, 500]
    assert generate() == 1
    saved = generate.out.read_text()
    ann = load_annotations(str(generate.out))
    assert ann.labels == [0]
    assert "no usable answer from 127.0.0.1 after 3 attempts" in caplog.text
    assert "stopped at class 1 ('sit down'); 1 classes are saved in" in \
        caplog.text
    assert 'run the same command again to resume' in caplog.text
    assert [f for f in os.listdir(generate.out.parent)] == ['generated.json']

    llm_server.requests.clear()
    assert generate() == 0
    prompts = [r['body']['messages'][0]['content'] for r in
               llm_server.requests]
    assert len(prompts) == 4
    assert not any('"wave hand"' in p for p in prompts)
    data = json.loads(generate.out.read_text())
    assert data['classes'][0] == json.loads(saved)['classes'][0]
    assert load_annotations(str(generate.out)).labels == [0, 1, 2]
    assert '2 classes generated, 1 already present' in caplog.text

    llm_server.requests.clear()
    assert generate() == 0
    assert llm_server.requests == []


def test_class_list_must_match_existing_file(generate, caplog):
    assert generate('wave hand') == 0
    assert generate('throw,sit down') == 1
    assert "the class list does not match the file: label 0: list 'throw', " \
        "file 'wave hand'" in caplog.text


def test_missing_key_and_fatal_http_error(generate, llm_server, monkeypatch,
                                          caplog):
    llm_server.script = [401]
    assert generate() == 1
    assert 'refused the request: Error code: 401' in caplog.text
    assert 'invalid key Bearer ***' in caplog.text
    assert SECRET not in caplog.text
    assert len(llm_server.requests) == 1
    assert not generate.out.exists()
    monkeypatch.delenv(KEY_ENV)
    assert generate() == 1
    assert f'environment variable {KEY_ENV} is not set' in caplog.text


def test_class_list_formats(tmp_path, toy_file):
    tsv = tmp_path / 'classes.tsv'
    tsv.write_text('# NTU classes\nA1\tdrink water\nA2\teat meal/snack\n')
    assert [(c.label, c.code, c.name) for c in read_class_list(str(tsv))] == [
        (0, 'A1', 'drink water'), (1, 'A2', 'eat meal/snack')]
    indexed = tmp_path / 'indexed.txt'
    indexed.write_text('4\tthrow\n7\tA8\tsit down\n')
    assert [(c.label, c.code, c.name)
            for c in read_class_list(str(indexed))] == [
                (4, None, 'throw'), (7, 'A8', 'sit down')]
    assert [c.label for c in read_class_list(toy_file)] == [0, 1, 2]
    assert [c.name for c in read_class_list('a, b ,c')] == ['a', 'b', 'c']
    bad = tmp_path / 'bad.txt'
    bad.write_text('1\t2\t3\t4\n')
    with pytest.raises(ValueError, match=r'bad.txt:1: expected "name"'):
        read_class_list(str(bad))
    with pytest.raises(FileNotFoundError, match='class list file '
                       'clases.tsv not found'):
        read_class_list('clases.tsv')
    dup = tmp_path / 'dup.txt'
    dup.write_text('1\tthrow\n1\tsit\n')
    with pytest.raises(ValueError, match=r'duplicate class labels \[1\]'):
        read_class_list(str(dup))


def test_interrupted_by_ctrl_c(generate, llm_server, monkeypatch, caplog):
    from crossglg_mmaction.text.llm_client import LLMClient
    describe = LLMClient.describe
    calls = []

    def interrupt_second(self, action, layout):
        calls.append(action)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return describe(self, action, layout)

    monkeypatch.setattr(LLMClient, 'describe', interrupt_second)
    assert generate() == 130
    assert load_annotations(str(generate.out)).labels == [0]
    assert "stopped at class 1 ('sit down')" in caplog.text
    monkeypatch.setattr(LLMClient, 'describe', describe)
    assert generate() == 0
    assert load_annotations(str(generate.out)).labels == [0, 1, 2]


def test_command_line_killed_and_resumed(llm_server, tmp_path, run_tool,
                                         monkeypatch):
    """The process is killed while waiting for class 1; class 0 is safe."""
    out = tmp_path / 'cli.json'
    llm_server.script = ['good', 'good', 'timeout']
    llm_server.delay = 60
    args = ['--classes', 'wave hand,sit down', '--layout', 'coco',
            '--base-url', llm_server.base_url, '--model', 'test-model',
            '--set-name', 'cli', '--api-key-env', KEY_ENV, '--out', str(out),
            '--timeout', 120]
    env = dict(os.environ, **{KEY_ENV: SECRET})
    proc = subprocess.Popen(
        [sys.executable, 'tools/generate_descriptions.py', *map(str, args)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        assert llm_server.wait_for_requests(3), \
            'the tool did not get to class 1'
    finally:
        proc.kill()
        stdout, stderr = proc.communicate(timeout=30)
    assert 'describing (cli)' in stderr and '1/2' in stderr
    assert SECRET not in stdout + stderr + out.read_text()
    ann = load_annotations(str(out), layout='coco17')
    assert ann.labels == [0] and ann.default_set == 'cli'
    assert os.listdir(tmp_path) == ['cli.json']

    llm_server.requests.clear()
    monkeypatch.setenv(KEY_ENV, SECRET)
    assert run_tool('generate_descriptions', args + ['--no-progress']) == 0
    assert len(llm_server.requests) == 2
    assert load_annotations(str(out)).labels == [0, 1]
