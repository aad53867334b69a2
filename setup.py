"""Install crossglg_mmaction.

The OpenMMLab packages mmaction2 and openmim must be installed with
``--no-deps`` (their declared dependency sets are broken on PyPI-only
machines); ``make install`` does both steps. ``pip install -e .`` alone
installs the pinned runtime requirements.
"""
import os.path as osp

from setuptools import find_packages, setup


def read_requirements(name):
    path = osp.join(osp.dirname(__file__), 'requirements', name)
    with open(path) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line and not line.startswith('-')]


def read_version():
    scope = {}
    with open(osp.join('crossglg_mmaction', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='crossglg_mmaction',
    version=read_version(),
    description='CrossGLG (ECCV 2024): LLM-guided one-shot skeleton action '
    'recognition as an MMAction2 plugin',
    long_description=open('README.md').read() if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    # the method, and apart from it the demo's synthetic data generator
    packages=find_packages(include=[
        'crossglg_mmaction', 'crossglg_mmaction.*', 'crossglg_mmaction_demo',
        'crossglg_mmaction_demo.*'
    ]),
    package_data={
        'crossglg_mmaction': ['data/*.json', 'data/protocols/*.json']
    },
    include_package_data=True,
    python_requires='>=3.9',
    install_requires=read_requirements('runtime.txt'),
    extras_require={
        'text': read_requirements('text.txt'),
        'tests': read_requirements('tests.txt'),
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
)
