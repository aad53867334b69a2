"""Text toolchain fixtures: toy annotations, tiny models, a fake LLM server."""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import torch

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (new_annotations,
                                                save_annotations,
                                                upsert_description)

TOY_CLASSES = (
    (0, 'A1', 'drink water',
     'The person lifts a cup with the right hand and tilts the head back. '
     'The right arm bends.'),
    (1, 'A24', 'kicking something',
     'The person swings the right leg forward and strikes with the right '
     'foot. Both arms move for balance.'),
    (2, 'A10', 'clapping',
     'Both hands meet in front of the chest again and again.'),
)


def toy_description(layout, name, global_text, key_joints=None, tag=''):
    """A valid description set for a toy class."""
    layout = get_layout(layout)
    desc = {
        'global': global_text,
        'joints': {
            j: f'The {j.replace("_", " ")} moves during {name}{tag}.'
            for j in layout.joints
        },
        'provenance': {'source': 'authored', 'note': 'test fixture'},
    }
    if key_joints is not None:
        desc['key_joints'] = key_joints
        desc['key_joints_extractor'] = 'lexical'
    return desc


def toy_annotation_dict(layout='ntu25', with_key_joints=True):
    """A three-class annotation dict."""
    data = new_annotations('toy', layout, 'authored')
    for label, code, name, global_text in TOY_CLASSES:
        key_joints = ['head', 'right_hand'] if with_key_joints else None
        if get_layout(layout).name != 'ntu25' and with_key_joints:
            key_joints = [get_layout(layout).joints[0]]
        upsert_description(data, label, name, 'authored',
                           toy_description(layout, name, global_text,
                                           key_joints), code)
    return data


@pytest.fixture
def make_toy():
    """Factory of toy annotation dicts: ``make_toy(layout, with_key_joints)``.
    """
    return toy_annotation_dict


@pytest.fixture
def make_desc():
    """Factory of description sets: ``make_desc(layout, name, global)``."""
    return toy_description


@pytest.fixture
def toy_file(tmp_path):
    """Path of a valid three-class ntu25 annotation file."""
    path = tmp_path / 'toy.json'
    save_annotations(toy_annotation_dict(), str(path))
    return str(path)


TINY_WORDS = ('the', 'hand', 'moves', 'up', 'head', 'left', 'right', 'arm',
         'knee', 'bends', 'slowly', 'and', 'down', 'foot', 'a', 'cup')
def save_tiny_deberta(path):
    """A tiny random DeBERTa-v2 model and tokenizer, saved offline."""
    from transformers import (DebertaV2Config, DebertaV2Model,
                              DebertaV2Tokenizer)
    specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
    pieces = specials + [f'\u2581{w}' for w in TINY_WORDS]
    tokenizer = DebertaV2Tokenizer(
        vocab=[(p, -float(i)) for i, p in enumerate(pieces)], unk_id=1)
    config = DebertaV2Config(
        vocab_size=len(pieces), hidden_size=16, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=64, pad_token_id=0)
    torch.manual_seed(0)
    DebertaV2Model(config).save_pretrained(path)
    tokenizer.save_pretrained(path)


def save_tiny_bert(path):
    """A tiny random BERT model and tokenizer, saved offline."""
    from transformers import BertConfig, BertModel, BertTokenizer
    specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
    vocab = {w: i for i, w in enumerate(specials + list(TINY_WORDS))}
    tokenizer = BertTokenizer(vocab=vocab)
    config = BertConfig(vocab_size=len(vocab), hidden_size=24,
                        num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    torch.manual_seed(0)
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)


@pytest.fixture(scope='session')
def tiny_hf_models(tmp_path_factory):
    """{'deberta': (dir, 16), 'bert': (dir, 24)}: tiny random models."""
    deberta = str(tmp_path_factory.mktemp('deberta'))
    bert = str(tmp_path_factory.mktemp('bert'))
    save_tiny_deberta(deberta)
    save_tiny_bert(bert)
    return {'deberta': (deberta, 16), 'bert': (bert, 24)}


HTML_PAGE = ('<!DOCTYPE html>\n<html><head><title>Sign in - Corporate '
             'Gateway</title></head>\n<body><h1>Please sign in</h1>'
             '<p>Your session has expired.</p></body></html>\n')


class FakeLLMServer:
    """An OpenAI-compatible /v1/chat/completions endpoint on 127.0.0.1.

    ``script`` holds one behaviour per request, consumed in order; when it
    is empty the answer is good. Behaviours: 'good', 'malformed' (a joint is
    missing, or an empty global answer), 'prose' (good JSON wrapped in
    Markdown and prose), 'garbage' (HTTP 200 whose body is not JSON),
    'html' (HTTP 200 with an HTML page as ``text/html``, what a proxy or
    gateway returns), 'refusal' (a polite refusal instead of the answer),
    500, 401 (its message echoes the Authorization header) and 'timeout'
    (answers after ``delay`` seconds).
    """

    def __init__(self, delay=2.0):
        self.script = []
        self.requests = []
        self.delay = delay
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(
                    int(self.headers['Content-Length'])))
                with server.lock:
                    behaviour = server.script.pop(0) if server.script \
                        else 'good'
                    server.requests.append(dict(
                        path=self.path, body=body, behaviour=behaviour,
                        auth=self.headers.get('Authorization')))
                server.respond(self, body, behaviour)

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f'http://127.0.0.1:{self.httpd.server_port}/v1'
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs=dict(poll_interval=0.05),
                                       daemon=True)

    @staticmethod
    def answer(prompt, behaviour):
        action = re.search(r'"(.+?)"', prompt).group(1)
        listed = re.search(r'joints: \[(.*?)\]', prompt)
        if behaviour == 'refusal':
            return "I'm sorry, but I can't help with that request."
        if listed is None:  # the global action prompt
            if behaviour == 'malformed':
                return '   '
            return (f'The person performs {action} with the right hand. The '
                    f'head turns toward the hand. The left leg stays planted.')
        names = [n.strip() for n in listed.group(1).split(',')]
        joints = {n: f'The {n} moves while doing {action}.' for n in names}
        if behaviour == 'malformed':
            joints.pop(names[0])
            joints['tail'] = 'wags'
        text = json.dumps(joints)
        if behaviour == 'prose':
            text = f'Here you go:\n```json\n{text}\n```\nHope this helps.'
        return text

    def respond(self, handler, body, behaviour):
        content_type = 'application/json'
        if behaviour == 'timeout':
            time.sleep(self.delay)
            behaviour = 'good'
        if behaviour in (500, 401):
            # a 401 echoes the key, as some servers do
            message = 'scripted failure' if behaviour == 500 else \
                f'invalid key {handler.headers.get("Authorization")}'
            payload = json.dumps({'error': {'message': message,
                                            'type': 'server_error'}})
            status = behaviour
        elif behaviour == 'garbage':
            payload, status = '<html>bad gateway</html>', 200
        elif behaviour == 'html':
            payload, status = HTML_PAGE, 200
            content_type = 'text/html; charset=utf-8'
        else:
            content = self.answer(body['messages'][0]['content'], behaviour)
            payload = json.dumps({
                'id': 'chatcmpl-test', 'object': 'chat.completion',
                'created': 0, 'model': body['model'],
                'choices': [{'index': 0, 'finish_reason': 'stop',
                             'message': {'role': 'assistant',
                                         'content': content}}],
                'usage': {'prompt_tokens': 1, 'completion_tokens': 1,
                          'total_tokens': 2}})
            status = 200
        data = payload.encode()
        try:
            handler.send_response(status)
            handler.send_header('Content-Type', content_type)
            handler.send_header('Content-Length', str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def llm_server():
    """A running :class:`FakeLLMServer`; shut down after the test."""
    server = FakeLLMServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def run_tool():
    """Run ``tools/<name>.py``'s ``main(argv)`` in this process."""
    import importlib.util
    import os.path as osp
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

    def run(name, argv):
        spec = importlib.util.spec_from_file_location(
            f'tool_{name}', osp.join(root, 'tools', f'{name}.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.main([str(a) for a in argv])

    return run
