"""The method package never depends on the demo's data generator."""
import ast
import glob
import os.path as osp

from tool_runner import ROOT


def imported_modules(path):
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_crossglg_mmaction_does_not_import_the_demo_package():
    sources = glob.glob(osp.join(ROOT, 'crossglg_mmaction', '**', '*.py'),
                        recursive=True)
    assert len(sources) > 50
    offenders = sorted(
        osp.relpath(path, ROOT) for path in sources
        if any(m.split('.')[0] == 'crossglg_mmaction_demo'
               for m in imported_modules(path)))
    assert offenders == []
