"""tools/generate_descriptions.py against a misbehaving endpoint (issue 12,
item 9): an HTTP 200 whose body is an HTML page, and a refusal in place of
the global description, are retried and end in a clear error; nothing
unusable is saved."""
import logging

import pytest

from crossglg_mmaction.text.annotations import load_annotations
from crossglg_mmaction.text.llm_client import (MalformedAnswer,
                                               parse_global_answer)

KEY_ENV = 'CROSSGLG_TEST_LLM_KEY'
REFUSAL = "I'm sorry, but I can't help with that request."


@pytest.fixture
def generate(llm_server, run_tool, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv(KEY_ENV, 'sk-test')
    caplog.set_level(logging.INFO)
    out = tmp_path / 'generated.json'

    def run(classes, *extra):
        return run_tool('generate_descriptions', [
            '--classes', classes, '--base-url', llm_server.base_url,
            '--model', 'test-model', '--api-key-env', KEY_ENV, '--out', out,
            '--max-retries', 2, '--timeout', 5, '--backoff', 0.01,
            '--no-progress', *extra])

    run.out = out
    return run


def test_an_html_page_is_retried(generate, llm_server, caplog):
    llm_server.script = ['html', 'good', 'html', 'good']
    assert generate('wave hand') == 0
    assert "attempt 1/3 failed (unreadable response: the endpoint answered " \
        "with an HTML page titled 'Sign in - Corporate Gateway', not a chat " \
        'completion (a proxy, gateway or login page in between? check the ' \
        'base URL))' in caplog.text
    desc = load_annotations(str(generate.out)).description(0)
    assert desc['global'].startswith('The person performs wave hand')


def test_html_pages_only_end_in_a_clear_error(generate, llm_server, caplog):
    assert generate('wave hand') == 0
    llm_server.script = ['html'] * 3
    before = generate.out.read_bytes()
    assert generate('wave hand,sit down') == 1
    assert "'sit down' (global action prompt): no usable answer from " \
        '127.0.0.1 after 3 attempts; last problem: unreadable response: the ' \
        "endpoint answered with an HTML page titled 'Sign in - Corporate " \
        "Gateway'" in caplog.text
    assert 'Traceback' not in caplog.text
    assert generate.out.read_bytes() == before  # class 0 kept, untouched


def test_a_refusal_is_not_saved_as_the_global_description(generate,
                                                          llm_server, caplog):
    llm_server.script = ['refusal', 'good']
    assert generate('wave hand') == 0
    assert 'malformed answer: the global description names no body part ' \
        f'(head, arms, hands, torso, legs, feet, ...), so it gives no key ' \
        f'joints: "{REFUSAL}"' in caplog.text
    follow_up = llm_server.requests[1]['body']['messages']
    assert follow_up[1] == {'role': 'assistant', 'content': REFUSAL}
    assert 'names no body part' in follow_up[2]['content']
    global_text = load_annotations(str(generate.out)).description(0)[
        'global']
    assert global_text != REFUSAL and 'right hand' in global_text


def test_refusals_only_end_in_a_clear_error(generate, llm_server, caplog):
    llm_server.script = ['refusal'] * 3
    assert generate('wave hand') == 1
    assert "'wave hand' (global action prompt): no usable answer from " \
        '127.0.0.1 after 3 attempts; last problem: malformed answer: the ' \
        'global description names no body part' in caplog.text
    assert not generate.out.exists()


@pytest.mark.parametrize('text, layout', [
    (REFUSAL, 'ntu25'),
    ('The weather is nice today and the room is bright.', 'ntu25'),
    ('As an AI model I cannot watch videos of people.', 'coco17'),
])
def test_global_answers_without_a_body_part(text, layout):
    with pytest.raises(MalformedAnswer, match='names no body part'):
        parse_global_answer(text, layout)


def test_global_answers_with_a_body_part():
    assert parse_global_answer('Both knees bend and the torso leans.',
                               'coco17').startswith('Both knees')
