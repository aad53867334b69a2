"""Text fakes shared by the text, security and bad-input tests: toy
description sets and a local OpenAI-compatible endpoint."""
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crossglg_mmaction.skeleton import get_layout


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
    (answers after ``delay`` seconds, or when the server closes).

    Use it as a context manager: it serves inside the ``with`` block.
    """

    def __init__(self, delay=2.0):
        self.script = []
        self.requests = []
        self.delay = delay
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.closing = threading.Event()
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
                    server.arrived.notify_all()
                server.respond(self, body, behaviour)

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f'http://127.0.0.1:{self.httpd.server_port}/v1'
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs=dict(poll_interval=0.05),
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for_requests(self, count, timeout=120):
        """Block until ``count`` requests have arrived (woken by each
        arrival, no polling); False if ``timeout`` seconds pass first."""
        with self.arrived:
            return self.arrived.wait_for(
                lambda: len(self.requests) >= count, timeout)

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
            self.closing.wait(self.delay)
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
