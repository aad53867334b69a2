"""Every ``>>>`` example in a docstring of the packages runs as a doctest
(torch seeded with 0) and prints what the docstring says."""
import doctest
import importlib
import pkgutil

import pytest
import torch

import crossglg_mmaction
import crossglg_mmaction_demo


def modules_with_examples():
    """Names of the packages' modules whose docstrings hold examples."""
    names = []
    for package in (crossglg_mmaction, crossglg_mmaction_demo):
        for info in pkgutil.walk_packages(package.__path__,
                                          f'{package.__name__}.'):
            module = importlib.import_module(info.name)
            tests = doctest.DocTestFinder().find(module)
            if any(test.examples for test in tests):
                names.append(info.name)
    return names


MODULES = modules_with_examples()


def test_the_examples_are_found():
    assert {
        'crossglg_mmaction.models.backbones.infogcn',
        'crossglg_mmaction.models.backbones.joint_importance',
        'crossglg_mmaction.visualization.hooks'
    } <= set(modules_with_examples())


@pytest.mark.parametrize('name', MODULES)
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    tests = doctest.DocTestFinder().find(importlib.import_module(name))
    with torch.random.fork_rng():
        torch.manual_seed(0)
        for test in tests:
            runner.run(test, out=report.append)
    assert runner.tries > 0
    assert runner.failures == 0, ''.join(report)
