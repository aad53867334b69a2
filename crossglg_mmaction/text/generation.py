"""Generate description sets for a class list with an LLM, resumably.

Each finished class is written to the output annotation file at once
(atomically), so an interrupted or failed run loses nothing; running the same
command again asks only for the classes that are still missing.
"""
import logging
import os
import os.path as osp
import re
from dataclasses import dataclass
from typing import List, Optional, Sequence

from ..fileio import read_text
from ..skeleton import get_layout
from .annotations import (SHIPPED, AnnotationError, load_annotations,
                          new_annotations, normalize_name, save_annotations,
                          upsert_description)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClassSpec:
    """One class to describe: 0-based label, name and optional code."""
    label: int
    name: str
    code: Optional[str] = None


def _from_lines(lines, source) -> List[ClassSpec]:
    classes = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        fields = [f.strip() for f in line.split('\t')]
        label = len(classes)
        code = None
        if len(fields) == 1:
            name = fields[0]
        elif len(fields) == 2 and re.fullmatch(r'\d+', fields[0]):
            label, name = int(fields[0]), fields[1]
        elif len(fields) == 2:
            code, name = fields
        elif len(fields) == 3 and re.fullmatch(r'\d+', fields[0]):
            label, code, name = int(fields[0]), fields[1], fields[2]
        else:
            raise ValueError(f'{source}:{number}: expected "name", '
                             f'"code<TAB>name", "label<TAB>name" or '
                             f'"label<TAB>code<TAB>name", got {line!r}')
        if not name:
            raise ValueError(f'{source}:{number}: empty class name')
        classes.append(ClassSpec(label, name, code or None))
    return classes


def read_class_list(spec: str) -> List[ClassSpec]:
    """Classes from a file or a comma-separated list of names.

    Accepted: an annotation JSON file or a shipped annotation name such as
    ``'ntu120'`` (its labels, codes and names); a UTF-8 text file with one
    class per line as ``name`` (label = line order),
    ``code<TAB>name`` (e.g. ``A1<TAB>drink water``, label = line order),
    ``label<TAB>name`` or ``label<TAB>code<TAB>name``; or
    ``'drink water,eat meal'`` (labels 0, 1, ...).

    Args:
        spec (str): A path or a comma-separated list.

    Returns:
        list[ClassSpec]: The classes.
    """
    if not osp.isfile(spec) and (os.sep in spec or spec.endswith(
            ('.txt', '.tsv', '.csv', '.json'))):
        raise FileNotFoundError(f'class list file {spec} not found')
    shipped = spec in SHIPPED and not osp.isfile(spec)
    if osp.isfile(spec) or shipped:
        if spec.endswith('.json') or shipped:
            ann = load_annotations(spec)
            classes = [ClassSpec(e['label'], e['name'], e.get('code'))
                       for e in ann.data['classes']]
        else:
            classes = _from_lines(read_text(spec).splitlines(), spec)
        source = spec
    else:
        classes = _from_lines(
            [n for n in spec.split(',') if n.strip()], 'class list')
        source = 'class list'
    if not classes:
        raise ValueError(f'{source}: no classes given')
    labels = [c.label for c in classes]
    duplicates = sorted({x for x in labels if labels.count(x) > 1})
    if duplicates:
        raise ValueError(f'{source}: duplicate class labels {duplicates}')
    return classes


def _start(out, layout, set_name, dataset, classes):
    if not osp.exists(out):
        stem = osp.splitext(osp.basename(out))[0]
        return new_annotations(dataset or stem, layout, set_name)
    try:
        data = load_annotations(out, layout=layout).to_dict()
    except AnnotationError as e:
        raise AnnotationError(f'cannot resume into {out}: {e}') from None
    names = {e['label']: e['name'] for e in data['classes']}
    wrong = [(c.label, c.name, names[c.label]) for c in classes
             if c.label in names
             and normalize_name(names[c.label]) != normalize_name(c.name)]
    if wrong:
        raise AnnotationError(
            f'{out}: the class list does not match the file: ' + '; '.join(
                f'label {lb}: list {a!r}, file {b!r}' for lb, a, b in wrong))
    return data


def generate_descriptions(classes: Sequence[ClassSpec],
                          client,
                          out: str,
                          layout='ntu25',
                          set_name: Optional[str] = None,
                          dataset: Optional[str] = None,
                          progress: bool = True) -> dict:
    """Describe every class that ``out`` lacks and save after each class.

    Args:
        classes (Sequence[ClassSpec]): Classes to describe.
        client (LLMClient): The endpoint client.
        out (str): Annotation file to create or extend.
        layout (str | Layout): Joint layout. Defaults to 'ntu25'.
        set_name (str, optional): Description set name. Defaults to the
            client's model name.
        dataset (str, optional): Data set name for a new file. Defaults to
            the file name's stem.
        progress (bool): Show a tqdm progress bar. Defaults to True.

    Returns:
        dict: ``{'generated': n, 'skipped': n, 'out': out}``.

    Raises:
        LLMError: when the endpoint keeps failing; every class finished
            before is saved in ``out``.
    """
    from tqdm import tqdm
    layout = get_layout(layout)
    set_name = set_name or client.model
    data = _start(out, layout, set_name, dataset, classes)
    done = {e['label'] for e in data['classes']
            if set_name in e['descriptions']}
    todo = [c for c in classes if c.label not in done]
    logger.info('%d of %d classes already have set %r in %s; %d to generate',
                len(classes) - len(todo), len(classes), set_name, out,
                len(todo))
    bar = tqdm(total=len(classes), initial=len(classes) - len(todo),
               unit='class', desc=f'describing ({set_name})',
               disable=not progress)
    generated = 0
    try:
        for spec in todo:
            bar.set_postfix_str(spec.name[:30])
            try:
                desc = client.describe(spec.name, layout)
            except BaseException:  # also Ctrl-C: say what is saved
                logger.error(
                    'stopped at class %d (%r); %d classes are saved in %s; '
                    'run the same command again to resume', spec.label,
                    spec.name, len(done) + generated, out)
                raise
            upsert_description(data, spec.label, spec.name, set_name, desc,
                               spec.code)
            save_annotations(data, out)
            generated += 1
            bar.update(1)
    finally:
        bar.close()
    return dict(generated=generated, skipped=len(classes) - len(todo),
                out=out)

