"""Match the class fields of imported description files to a class list.

A field is a 0-based label, a class name or a class code. Published files
often name classes a little differently from the data set ("eat meal" for
NTU's "eat meal/snack"), so a field can also be mapped by an alias, or the
classes taken from the line order (the n-th class of the file is the n-th
class of the list).
"""
import difflib
import json
import logging
import re
from typing import Dict, List, Optional, Sequence, Tuple

from ..fileio import read_text
from .annotations import AnnotationError, normalize_name

logger = logging.getLogger(__name__)

ALIAS_LINE = '"name in the files<TAB>class name, code or label"'


def read_aliases(path: str, encoding: str = 'utf-8') -> Dict[str, str]:
    """Aliases from a JSON object or from ``name<TAB>class`` lines.

    Args:
        path (str): The alias file (``.json``: ``{"eat meal": "eat
            meal/snack"}``; otherwise one alias per line, ``#`` comments).
        encoding (str): Text encoding. Defaults to 'utf-8'.

    Returns:
        dict: Name in the imported files -> class name, code or label (as
        text) of the class list.
    """
    text = read_text(path, encoding, AnnotationError)
    if path.lower().endswith('.json'):
        try:
            aliases = json.loads(text)
        except json.JSONDecodeError as e:
            raise AnnotationError(f'{path}: not valid JSON ({e})') from None
        if not isinstance(aliases, dict) or not all(
                isinstance(v, (str, int)) for v in aliases.values()):
            raise AnnotationError(f'{path}: expected an object mapping names '
                                  f'to class names, codes or labels')
        return {str(k): str(v) for k, v in aliases.items()}
    aliases = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        name, tab, target = line.partition('\t')
        if not tab or not name.strip() or not target.strip():
            raise AnnotationError(f'{path}:{number}: expected {ALIAS_LINE}, '
                                  f'got {line!r}')
        aliases[name.strip()] = target.strip()
    return aliases


class ClassMatcher:
    """Resolves label fields (index, name, code or alias) to classes.

    Args:
        classes (Sequence[ClassSpec], optional): The class list. Without it,
            fields must be names and are numbered in order of appearance.
            Defaults to None.
        aliases (dict, optional): Name in the files -> class name, code or
            label of ``classes``. Defaults to None.
        by_order (bool): The n-th class of the first file read is the n-th
            class of ``classes``, whatever its name. Defaults to False.
    """

    def __init__(self,
                 classes: Optional[Sequence] = None,
                 aliases: Optional[Dict[str, str]] = None,
                 by_order: bool = False):
        if (aliases or by_order) and not classes:
            raise AnnotationError('aliases and matching by order need a '
                                  'class list (--classes)')
        if aliases and by_order:
            raise AnnotationError('give either aliases or matching by order, '
                                  'not both')
        self.classes = list(classes or ())
        self.by_key = {}
        for c in self.classes:
            self.by_key[normalize_name(c.name)] = c
            if c.code:
                self.by_key[normalize_name(c.code)] = c
        self.by_label = {c.label: c for c in self.classes}
        self.aliases = {}
        for name, target in (aliases or {}).items():
            c = self._lookup(target)
            if c is None:
                raise AnnotationError(
                    f'alias {name!r} -> {target!r}: {target!r} is no class '
                    f'name, code or label of the class list')
            self.aliases[normalize_name(name)] = c
        self.by_order = by_order
        self.order = {}
        self.renamed: List[Tuple[str, int, str]] = []

    def _lookup(self, key: str):
        if re.fullmatch(r'\d+', key.strip()):
            return self.by_label.get(int(key))
        return self.by_key.get(normalize_name(key))

    def __call__(self, field: str, where: str, new: bool = True):
        """(label, name, code) of a label field.

        Args:
            field (str): The label field of a line.
            where (str): File and line, for messages.
            new (bool): Whether a field seen for the first time may take
                the next class in order (the first file read); with
                ``by_order``, the other file must use the same fields.
                Defaults to True.
        """
        key = normalize_name(field)
        if self.by_order:
            return self._by_order(field, key, where, new)
        if re.fullmatch(r'\d+', field):
            label = int(field)
            if not self.classes:
                raise AnnotationError(
                    f'{where}: label {label} is an index; give a class list '
                    f'(classes=...) to name the classes')
            if label not in self.by_label:
                raise AnnotationError(f'{where}: label {label} is not in the '
                                      f'class list')
            c = self.by_label[label]
            return c.label, c.name, c.code
        if self.classes:
            c = self.aliases.get(key) or self.by_key.get(key)
            if c is None:
                raise AnnotationError(self._unknown(field, where))
            return c.label, c.name, c.code
        self.order.setdefault(key, len(self.order))
        return self.order[key], field, None

    def _by_order(self, field, key, where, new):
        if key not in self.order:
            if not new:
                raise AnnotationError(
                    f'{where}: class {field!r} is not in the file read first;'
                    f' with matching by order both files must name the same '
                    f'classes')
            if len(self.order) == len(self.classes):
                raise AnnotationError(
                    f'{where}: more classes than the {len(self.classes)} of '
                    f'the class list')
            c = self.classes[len(self.order)]
            self.order[key] = c
            if key != normalize_name(c.name) and \
                    key != normalize_name(c.code or ''):
                self.renamed.append((field, c.label, c.name))
        c = self.order[key]
        return c.label, c.name, c.code

    def _unknown(self, field, where) -> str:
        names = {normalize_name(c.name): c for c in self.classes}
        close = difflib.get_close_matches(normalize_name(field), names, n=3,
                                          cutoff=0.6)
        hint = ', '.join(f'{names[n].name!r} (label {names[n].label})'
                         for n in close)
        return (f'{where}: class {field!r} is not in the class list' +
                (f'; closest: {hint}' if hint else '') +
                f'. Map the names of the files with aliases (--aliases FILE,'
                f' lines {ALIAS_LINE}) or take the classes from the line '
                f'order (--by-order)')

    def finish(self, where: str) -> None:
        """Check a by-order match covered the class list; log renamings.

        Args:
            where (str): The files, for messages.
        """
        if not self.by_order:
            return
        if len(self.order) != len(self.classes):
            raise AnnotationError(
                f'{where}: matching by order needs one class per class of the'
                f' list: the files name {len(self.order)} classes, the class'
                f' list has {len(self.classes)}')
        if self.renamed:
            logger.warning(
                '%s: %d class names differ from the class list and were '
                'matched by line order (check that both are in the same '
                'order): %s', where, len(self.renamed), '; '.join(
                    f'{field!r} -> {label} {name!r}'
                    for field, label, name in self.renamed))
