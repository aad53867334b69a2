"""Generate CrossGLG text descriptions for a class list with an LLM.

Asks an OpenAI-compatible chat endpoint the paper's two prompts (global
action prompt, joint motion prompt) per class, validates the answers and
writes each finished class atomically into the output annotation file.
Rerunning the same command resumes where it stopped. The API key is read
from the environment variable named by ``--api-key-env`` only.

Example::

    export OPENAI_API_KEY=...
    python tools/generate_descriptions.py --classes classes.tsv \
        --layout ntu25 --model gpt-4o-2024-08-06 --out ntu120_gpt4o.json
"""
import argparse
import logging
import sys

from crossglg_mmaction.text.generation import (generate_descriptions,
                                               read_class_list)
from crossglg_mmaction.text.llm_client import LLMClient, LLMError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--classes', required=True,
        help='class list: a file (one "name", "code<TAB>name", '
        '"label<TAB>name" or "label<TAB>code<TAB>name" per line, or an '
        'annotation JSON) or a comma-separated list of names')
    parser.add_argument('--layout', default='ntu25',
                        help='joint layout (default: ntu25)')
    parser.add_argument('--base-url', default=None,
                        help='endpoint base URL, e.g. http://127.0.0.1:8000/v1'
                        ' (default: OpenAI)')
    parser.add_argument('--model', required=True, help='model name')
    parser.add_argument('--api-key-env', default='OPENAI_API_KEY',
                        help='environment variable holding the API key '
                        '(default: OPENAI_API_KEY)')
    parser.add_argument('--set-name', default=None,
                        help='description set name (default: the model)')
    parser.add_argument('--out', required=True,
                        help='annotation file to create or extend')
    parser.add_argument('--dataset', default=None,
                        help='data set name of a new file (default: the '
                        'output file name)')
    parser.add_argument('--max-retries', type=int, default=4,
                        help='retries per request (default: 4)')
    parser.add_argument('--timeout', type=float, default=120.0,
                        help='seconds per request (default: 120)')
    parser.add_argument('--backoff', type=float, default=2.0,
                        help='first retry wait in seconds, doubled per retry '
                        '(default: 2)')
    parser.add_argument('--no-progress', action='store_true',
                        help='hide the progress bar')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format='%(asctime)s %(levelname)s %(message)s')
    try:
        classes = read_class_list(args.classes)
        client = LLMClient(args.model, base_url=args.base_url,
                           api_key_env=args.api_key_env,
                           timeout=args.timeout,
                           max_retries=args.max_retries,
                           backoff=args.backoff)
        result = generate_descriptions(classes, client, args.out,
                                       layout=args.layout,
                                       set_name=args.set_name,
                                       dataset=args.dataset,
                                       progress=not args.no_progress)
    except (LLMError, ValueError, KeyError, FileNotFoundError) as e:
        logging.error('%s', e)
        return 1
    except KeyboardInterrupt:
        return 130
    logging.info('%d classes generated, %d already present: %s',
                 result['generated'], result['skipped'], result['out'])
    return 0


if __name__ == '__main__':
    sys.exit(main())
