import json

import pytest

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.llm_client import (LLMClient, LLMError,
                                               MalformedAnswer,
                                               parse_global_answer,
                                               parse_joint_answer)

KEY_ENV = 'CROSSGLG_TEST_LLM_KEY'
SECRET = 'sk-test-5ecret-never-written'
LAYOUT = get_layout('kinect_v1_20')


def answer(keys, **extra):
    return json.dumps({**{k: f'{k} moves.' for k in keys}, **extra})


def test_parse_snake_and_spaced_names():
    snake = parse_joint_answer(answer(LAYOUT.joints), LAYOUT)
    spaced = parse_joint_answer(
        answer([j.replace('_', ' ').upper() for j in LAYOUT.joints]), LAYOUT)
    assert list(snake) == list(LAYOUT.joints)
    assert list(spaced) == list(LAYOUT.joints)
    assert spaced['left_hand'] == 'LEFT HAND moves.'


def test_parse_accepts_fences_and_prose():
    text = f'Sure!\n```json\n{answer(reversed(LAYOUT.joints))}\n```\nDone.'
    assert list(parse_joint_answer(text, LAYOUT)) == list(LAYOUT.joints)


@pytest.mark.parametrize('text, message', [
    (answer(LAYOUT.joints[1:]), "joints missing: ['hip_center']; unknown "
     'keys: []'),
    (answer(LAYOUT.joints, tail='wags'), "unknown keys: ['tail']"),
    (answer(LAYOUT.joints)[:-1] + ', "left hand": "again"}',
     "joints given more than once: ['left hand']"),
    (json.dumps({**{j: 'x' for j in LAYOUT.joints}, 'head': ' '}),
     "joints without a text description: ['head']"),
    (json.dumps({**{j: 'x' for j in LAYOUT.joints}, 'head': ['up']}),
     "joints without a text description: ['head']"),
    ('The head moves up.', 'contains no JSON object'),
    ('{"head": "up",}', 'the JSON object is invalid'),
    (None, 'no text content'),
])
def test_parse_rejects_malformed_joint_answers(text, message):
    with pytest.raises(MalformedAnswer, match=message.replace('[', r'\[')
                       .replace(']', r'\]')):
        parse_joint_answer(text, LAYOUT)


def test_parse_global_answer():
    assert parse_global_answer('  "The arm rises slowly."\n') == \
        'The arm rises slowly.'
    for bad in ('', '  ', 'OK.', None):
        with pytest.raises(MalformedAnswer):
            parse_global_answer(bad)


def test_key_only_from_the_environment(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(LLMError, match=f'environment variable {KEY_ENV} is '
                       'not set'):
        LLMClient('m', base_url='http://127.0.0.1:9/v1', api_key_env=KEY_ENV)


def client(server, monkeypatch, **kwargs):
    monkeypatch.setenv(KEY_ENV, SECRET)
    kwargs = dict(dict(timeout=0.5, max_retries=3, backoff=0.01), **kwargs)
    return LLMClient('test-model', base_url=server.base_url,
                     api_key_env=KEY_ENV, **kwargs)


def test_describe_good(llm_server, monkeypatch):
    desc = client(llm_server, monkeypatch).describe('wave hand', 'nwucla')
    assert desc['global'].startswith('The person performs wave hand')
    assert list(desc['joints']) == list(LAYOUT.joints)
    assert desc['provenance']['source'] == 'llm'
    assert desc['provenance']['llm'] == 'test-model'
    assert desc['provenance']['endpoint'] == '127.0.0.1'
    assert desc['provenance']['prompts'] == ['crossglg-global-v1',
                                             'crossglg-joint-v1']
    assert [r['path'] for r in llm_server.requests] == [
        '/v1/chat/completions'] * 2
    assert llm_server.requests[0]['auth'] == f'Bearer {SECRET}'
    assert SECRET not in json.dumps(desc)


def test_retries_every_transient_failure(llm_server, monkeypatch, caplog):
    llm_server.script = ['malformed', 500, 'timeout', 'garbage', 'prose']
    llm_server.delay = 1.5
    joints = client(llm_server, monkeypatch, max_retries=4).ask(
        'The human action "sit" is recorded as a 3D skeleton with these '
        f'joints: [{LAYOUT.joint_list()}].',
        lambda text: parse_joint_answer(text, LAYOUT), 'sit')
    assert list(joints) == list(LAYOUT.joints)
    assert len(llm_server.requests) == 5
    # after a malformed answer the model is told what was wrong
    retry = llm_server.requests[1]['body']['messages']
    assert [m['role'] for m in retry] == ['user', 'assistant', 'user']
    assert "joints missing: ['hip_center']" in retry[2]['content']
    warnings = [r.getMessage() for r in caplog.records
                if r.levelname == 'WARNING']
    assert len(warnings) == 4
    assert 'attempt 1/5 failed (malformed answer' in warnings[0]
    assert 'InternalServerError' in warnings[1]
    assert 'APITimeoutError' in warnings[2]
    assert 'unreadable response' in warnings[3]
    assert all(SECRET not in w for w in warnings)


def test_retry_budget_and_fatal_errors(llm_server, monkeypatch):
    llm_server.script = [500] * 3
    with pytest.raises(LLMError, match=r"'jump' \(global action prompt\): no "
                       r'usable answer from 127.0.0.1 after 3 attempts; last '
                       r'problem: InternalServerError'):
        client(llm_server, monkeypatch, max_retries=2).describe('jump')
    llm_server.requests.clear()
    llm_server.script = [401]
    with pytest.raises(LLMError, match='refused the request: Error code: '
                       '401'):
        client(llm_server, monkeypatch).describe('jump')
    assert len(llm_server.requests) == 1
