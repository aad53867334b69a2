"""Ask an OpenAI-compatible chat endpoint for CrossGLG's two descriptions.

Uses the official ``openai`` client against any base URL (OpenAI, Azure
proxies, vLLM, Ollama, llama.cpp servers, ...). The API key is read from an
environment variable only; it is never logged, written or put in messages.
Answers are parsed and validated (a global description must name a body
part); malformed answers, bodies that are not chat completions (e.g. a
proxy's HTML page), timeouts, connection errors, HTTP 408/409/429 and 5xx
are retried with exponential backoff, other HTTP errors (e.g. 401, 404) stop
at once.
"""
import datetime
import json
import logging
import os
import re
import time
from typing import Callable, Dict, Optional
from urllib.parse import urlparse

from ..skeleton import get_layout
from .keyjoints import lexical_key_joints
from .prompts import (GLOBAL_PROMPT_ID, JOINT_PROMPT_ID, global_action_prompt,
                      joint_motion_prompt)

logger = logging.getLogger(__name__)

RETRY_STATUS = (408, 409, 429)


class LLMError(RuntimeError):
    """The endpoint failed for good (retry budget spent, or a fatal error)."""


class MalformedAnswer(ValueError):
    """An answer that does not follow the prompt's required form."""


def _strip_fences(text: str) -> str:
    text = text.strip()
    fenced = re.match(r'^```[a-zA-Z]*\s*\n(.*?)\n?```$', text, re.S)
    return fenced.group(1).strip() if fenced else text


def parse_global_answer(text: Optional[str], layout='ntu25') -> str:
    """The global description from an answer (stripped, non-empty).

    The description must name at least one body part with joints in the
    layout (the lexical key-joint matcher finds one): an answer that names
    none, such as a refusal, would give the class no key joints.

    Args:
        text (str): The answer.
        layout (str | Layout): Joint layout. Defaults to 'ntu25'.

    Raises:
        MalformedAnswer: saying what is wrong.
    """
    if not isinstance(text, str):
        raise MalformedAnswer('the answer has no text content')
    answer = _strip_fences(text).strip().strip('"').strip()
    if len(answer.split()) < 3:
        raise MalformedAnswer(f'the global description is empty or too '
                              f'short: {answer!r}')
    if not lexical_key_joints(answer, layout):
        raise MalformedAnswer(
            f'the global description names no body part (head, arms, hands, '
            f'torso, legs, feet, ...), so it gives no key joints: '
            f'{answer[:200]!r}')
    return answer


def _not_a_completion(response) -> str:
    """What an HTTP 200 body that is not a chat completion looks like."""
    text = response if isinstance(response, str) else repr(response)
    title = re.search(r'<title[^>]*>(.*?)</title>', text, re.I | re.S)
    if title or text.lstrip()[:1] == '<':
        page = f' titled {title.group(1).strip()!r}' if title else ''
        return (f'the endpoint answered with an HTML page{page}, not a chat '
                'completion (a proxy, gateway or login page in between? '
                'check the base URL)')
    return (f'the endpoint answered with something other than a chat '
            f'completion: {text[:120]!r}')


def _joint_key(key: str) -> str:
    return re.sub(r'[\s\-]+', '_', key.strip().lower())


def parse_joint_answer(text: Optional[str], layout='ntu25') -> Dict[str, str]:
    """Joint descriptions from a JSON answer, keyed by layout joint names.

    Keys may be the layout's snake_case names or the spaced names of
    ``Layout.joint_list()`` (any case). Every joint must appear exactly
    once, with a non-empty string, and no other key may appear. A JSON
    object inside a Markdown code fence or surrounded by prose is accepted.

    Args:
        text (str): The answer.
        layout (str | Layout): Joint layout. Defaults to 'ntu25'.

    Returns:
        dict: Joint name -> description, in layout order.

    Raises:
        MalformedAnswer: saying what is wrong.
    """
    layout = get_layout(layout)
    if not isinstance(text, str):
        raise MalformedAnswer('the answer has no text content')
    body = _strip_fences(text)
    start, end = body.find('{'), body.rfind('}')
    if start < 0 or end < start:
        raise MalformedAnswer('the answer contains no JSON object')
    duplicates = []

    def collect(pairs):
        seen = {}
        for key, value in pairs:
            norm = _joint_key(key) if isinstance(key, str) else key
            if norm in seen:
                duplicates.append(key)
            seen[norm] = value
        return seen

    try:
        obj = json.loads(body[start:end + 1], object_pairs_hook=collect)
    except json.JSONDecodeError as e:
        raise MalformedAnswer(f'the JSON object is invalid: {e}') from None
    if duplicates:
        raise MalformedAnswer(f'joints given more than once: {duplicates}')
    missing = [j for j in layout.joints if j not in obj]
    extra = sorted(set(obj) - set(layout.joints))
    if missing or extra:
        raise MalformedAnswer(f'joints missing: {missing}; unknown keys: '
                              f'{extra}')
    bad = [j for j in layout.joints
           if not isinstance(obj[j], str) or not obj[j].strip()]
    if bad:
        raise MalformedAnswer(f'joints without a text description: {bad}')
    return {j: obj[j].strip() for j in layout.joints}


class LLMClient:
    """CrossGLG's two prompts against an OpenAI-compatible chat endpoint.

    Args:
        model (str): Model name on the endpoint.
        base_url (str, optional): Endpoint base URL, e.g.
            'http://127.0.0.1:8000/v1'. Defaults to None (the openai
            client's: ``OPENAI_BASE_URL`` if set, else OpenAI's).
        api_key_env (str): Environment variable holding the API key (any
            non-empty value for endpoints without authentication). Defaults
            to 'OPENAI_API_KEY'.
        timeout (float): Seconds per request. Defaults to 120.
        max_retries (int): Retries per request after the first attempt.
            Defaults to 4.
        backoff (float): First wait in seconds, doubled per retry. Defaults
            to 2.
        max_backoff (float): Longest wait. Defaults to 60.
    """

    def __init__(self,
                 model: str,
                 base_url: Optional[str] = None,
                 api_key_env: str = 'OPENAI_API_KEY',
                 timeout: float = 120.0,
                 max_retries: int = 4,
                 backoff: float = 2.0,
                 max_backoff: float = 60.0):
        import openai
        if not model:
            raise ValueError('an LLM model name is required')
        if max_retries < 0:
            raise ValueError(f'max_retries must be >= 0, got {max_retries}')
        api_key = os.environ.get(api_key_env)
        if not api_key:
            raise LLMError(
                f'environment variable {api_key_env} is not set; export the '
                f'API key there (any non-empty value for an endpoint without '
                f'authentication)')
        self.model = model
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._client = openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout,
            max_retries=0)
        # the host actually contacted (without base_url: OPENAI_BASE_URL
        # from the environment, else OpenAI's)
        self.endpoint = urlparse(str(self._client.base_url)).hostname

    def _scrub(self, text: str) -> str:
        """``text`` with the API key masked, should an endpoint echo it."""
        return text.replace(self._client.api_key, '***')

    def _is_transient(self, error) -> bool:
        import openai
        if isinstance(error, (openai.APIConnectionError,
                              openai.APIResponseValidationError)):
            return True  # timeouts, refused connections, unexpected bodies
        if isinstance(error, openai.APIStatusError):
            return error.status_code in RETRY_STATUS or \
                error.status_code >= 500
        return False

    def ask(self, prompt: str, parse: Callable, what: str):
        """Send ``prompt``; return ``parse(answer)``, retrying on failure.

        After a malformed answer the retry tells the model what was wrong.

        Args:
            prompt (str): The user message.
            parse (callable): Answer text -> result; raises
                :class:`MalformedAnswer`.
            what (str): What is asked, for messages.

        Raises:
            LLMError: after ``max_retries`` failed retries, or at once on a
                non-transient HTTP error.
        """
        import openai
        from openai.types.chat import ChatCompletion
        messages = [{'role': 'user', 'content': prompt}]
        for attempt in range(self.max_retries + 1):
            try:
                response = self._client.chat.completions.create(
                    model=self.model, messages=messages)
                if not isinstance(response, ChatCompletion):
                    raise ValueError(_not_a_completion(response))
                choices = response.choices or []
                content = choices[0].message.content if choices else None
            except openai.APIError as e:
                if not self._is_transient(e):
                    raise LLMError(self._scrub(
                        f'{what}: the endpoint {self.endpoint} refused the '
                        f'request: {e}')) from None
                problem = self._scrub(f'{type(e).__name__}: {e}')
            except ValueError as e:  # a response body that is not JSON
                problem = f'unreadable response: {e}'
            else:
                try:
                    return parse(content)
                except MalformedAnswer as e:
                    problem = f'malformed answer: {e}'
                    messages = [
                        messages[0],
                        {'role': 'assistant', 'content': content or ''},
                        {'role': 'user', 'content':
                         f'That answer cannot be used: {e}. Answer the '
                         f'request again, following its format exactly.'},
                    ]
            if attempt == self.max_retries:
                raise LLMError(f'{what}: no usable answer from '
                               f'{self.endpoint} after '
                               f'{self.max_retries + 1} attempts; last '
                               f'problem: {problem}')
            wait = min(self.max_backoff, self.backoff * 2**attempt)
            logger.warning('%s: attempt %d/%d failed (%s); retrying in '
                           '%.1f s', what, attempt + 1, self.max_retries + 1,
                           problem, wait)
            time.sleep(wait)

    def describe(self, action: str, layout='ntu25') -> dict:
        """A description set for one action (no key joints yet).

        Args:
            action (str): Action name.
            layout (str | Layout): Joint layout. Defaults to 'ntu25'.

        Returns:
            dict: ``{'global', 'joints', 'provenance'}``.
        """
        layout = get_layout(layout)
        global_text = self.ask(global_action_prompt(action),
                               lambda text: parse_global_answer(text, layout),
                               f'{action!r} (global action prompt)')
        joints = self.ask(joint_motion_prompt(action, layout),
                          lambda text: parse_joint_answer(text, layout),
                          f'{action!r} (joint motion prompt)')
        return {
            'global': global_text,
            'joints': joints,
            'provenance': {
                'source': 'llm',
                'llm': self.model,
                'endpoint': self.endpoint,
                'prompts': [GLOBAL_PROMPT_ID, JOINT_PROMPT_ID],
                'date': datetime.date.today().isoformat(),
                'note': 'generated by tools/generate_descriptions.py',
            },
        }
