"""How the tests run the project's tools.

A test of a tool's command line calls its ``main(argv)`` in this process,
importing the tool by module path (:func:`run_main`); ``main`` parses the
arguments and reports errors exactly as ``python tools/<name>.py`` does.
Subprocesses (:func:`run`) are for what needs a process of its own:
``mim``, ``torchrun``, a killed process.
"""
import importlib
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
if ROOT not in sys.path:  # `tools` is a package of the repository root
    sys.path.insert(0, ROOT)


def run_main(name, argv):
    """``tools/<name>.py``'s ``main(argv)`` in this process.

    Args:
        name (str): The tool's module path below ``tools``, e.g.
            'test_oneshot' or 'data.make_synthetic'.
        argv (Sequence): Command-line arguments (made strings).

    Returns:
        The value of ``main``; a failing command line raises ``SystemExit``.
    """
    tool = importlib.import_module(f'tools.{name}')
    return tool.main([str(a) for a in argv])


def run(args, cwd=ROOT, timeout=600):
    """Run a command with the test's Python; return the completed process."""
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout)


def make_synthetic(out, num_classes, num_novel, samples_per_class):
    """Generate a small synthetic set (3 subjects, 24 frames) into ``out``
    with tools/data/make_synthetic.py."""
    run_main('data.make_synthetic', [
        '--out-dir', out, '--num-classes', num_classes, '--num-novel',
        num_novel, '--samples-per-class', samples_per_class, '--subjects', 3,
        '--frames', 24, '--annotations', out / 'annotations.json'
    ])
    return out


def tiny_train_options(data, work_dir, epochs=1):
    """--cfg-options that shrink configs/*_synthetic.py to seconds."""
    return [
        f'train_dataloader.dataset.ann_file={data}/synthetic_3d.pkl',
        f'train_dataloader.dataset.protocol={data}/protocol.json',
        f'train_dataloader.dataset.class_names={data}/classes.txt',
        f'val_dataloader.dataset.ann_file={data}/synthetic_3d.pkl',
        f'val_dataloader.dataset.protocol={data}/protocol.json',
        f'val_dataloader.dataset.class_names={data}/classes.txt',
        f'test_dataloader.dataset.ann_file={data}/synthetic_3d.pkl',
        f'test_dataloader.dataset.protocol={data}/protocol.json',
        f'test_dataloader.dataset.class_names={data}/classes.txt',
        'train_dataloader.dataset.num_base_classes=3',
        'model.cls_head.num_classes=3',
        'model.backbone.base_channels=8',
        'model.cls_head.in_channels=32',
        'model.cls_head.latent_channels=32',
        'train_dataloader.batch_size=6',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        f'train_cfg.max_epochs={epochs}',
        'train_cfg.val_begin=1',
        'train_cfg.val_interval=1',
        f'work_dir={work_dir}',
    ]


def text_options(data, work_dir):
    """Extra --cfg-options for configs/crossglg_synthetic.py."""
    return [
        f'train_dataloader.dataset.text_bank.annotations='
        f'{data}/annotations.json',
        f'train_dataloader.dataset.text_bank.cache_dir={work_dir}/banks',
        # replace the config's pretrained encoder (docs/text.md)
        'train_dataloader.dataset.text_bank.encoder._delete_=True',
        'train_dataloader.dataset.text_bank.encoder.type=tfidf_svd',
        'train_dataloader.dataset.text_bank.encoder.dim=16',
        'train_dataloader.dataset.text_bank.text_channels=16',
        'model.cls_head.guidance.text_channels=16',
        'model.cls_head.guidance.common_channels=16',
    ]
