"""Import a description set published in the six-body-part format.

Reads a part file (``label;head ...;hand ...;arm ...;hip ...;leg ...;foot
...`` lines) and a global file (``label,paragraph`` lines), maps the six
parts onto the layout's joints (docs/text.md, "Importing descriptions") and
adds them as a description set to an annotation file (created if missing).

Class names that differ from the data set's (e.g. "eat meal" for NTU's
"eat meal/snack") are mapped with ``--aliases`` or ``--by-order``.

Example::

    python tools/import_descriptions.py --parts parts.txt --global global.csv \
        --classes ntu120 --by-order --layout ntu25 \
        --set-name gpt-3.5-six-part --llm gpt-3.5-turbo --out ntu120.json
"""
import argparse
import logging
import os.path as osp
import sys

from crossglg_mmaction.text.annotations import (AnnotationError,
                                                load_annotations,
                                                save_annotations)
from crossglg_mmaction.text.class_matching import read_aliases
from crossglg_mmaction.text.generation import read_class_list
from crossglg_mmaction.text.importers import import_six_part


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--parts', required=True, help='six-part file')
    parser.add_argument('--global', dest='global_file', required=True,
                        help='label,paragraph file')
    parser.add_argument('--classes', default=None,
                        help='class list resolving index, name or code '
                        'labels: a file, a shipped annotation name (ntu120, '
                        'nwucla) or a comma list')
    parser.add_argument('--aliases', default=None,
                        help='file mapping class names of the imported files '
                        'to the class list: "name<TAB>class name, code or '
                        'label" lines, or a JSON object')
    parser.add_argument('--by-order', action='store_true',
                        help='the n-th class of the part file is the n-th '
                        'class of --classes (names that differ are logged)')
    parser.add_argument('--encoding', default='utf-8',
                        help='text encoding of the imported files (e.g. '
                        'latin-1)')
    parser.add_argument('--strip-markup', action='store_true',
                        help='remove HTML tags and entities from the texts '
                        '(by default they are kept and reported)')
    parser.add_argument('--layout', default='ntu25', help='joint layout')
    parser.add_argument('--set-name', required=True,
                        help='name of the imported description set')
    parser.add_argument('--llm', default=None,
                        help='the LLM that wrote the texts (provenance)')
    parser.add_argument('--note', default=None, help='provenance note')
    parser.add_argument('--dataset', default=None,
                        help='data set name of a new file')
    parser.add_argument('--out', required=True,
                        help='annotation file to create or extend')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format='%(asctime)s %(levelname)s %(message)s')
    try:
        classes = read_class_list(args.classes) if args.classes else None
        aliases = read_aliases(args.aliases, args.encoding) \
            if args.aliases else None
        data = load_annotations(args.out, layout=args.layout).to_dict() \
            if osp.exists(args.out) else None
        data = import_six_part(args.parts, args.global_file, args.set_name,
                               layout=args.layout, classes=classes,
                               data=data, dataset=args.dataset, llm=args.llm,
                               note=args.note, aliases=aliases,
                               by_order=args.by_order,
                               encoding=args.encoding,
                               strip=args.strip_markup)
        save_annotations(data, args.out)
    except (AnnotationError, ValueError, FileNotFoundError, KeyError) as e:
        logging.error('%s', e)
        return 1
    logging.info('imported set %r for %d classes into %s', args.set_name,
                 sum(args.set_name in e['descriptions']
                     for e in data['classes']), args.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
