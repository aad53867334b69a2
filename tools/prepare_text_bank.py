"""Build the text bank a config's training set uses, before training.

The training dataset (`TextAnnotatedDataset`) builds its bank on first use;
with a Hugging Face encoder that means running the model at start-up. This
tool builds the same bank (the same classes, encoder, description set and
cache folder as the config's `train_dataloader.dataset.text_bank`) ahead of
time, e.g. on a machine that can download DeBERTa, without the skeleton
data:

    python tools/prepare_text_bank.py configs/crossglg_ntu120_20base.py
"""
import argparse

from mmengine.config import Config, DictAction

import crossglg_mmaction  # noqa: F401
from crossglg_mmaction.datasets import get_protocol
from crossglg_mmaction.datasets.oneshot_dataset import load_class_names
from crossglg_mmaction.datasets.text_annotated_dataset import \
    load_class_text_bank
from crossglg_mmaction.text.encoders import EncoderUnavailableError


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    dataset = cfg.train_dataloader.dataset
    if 'text_bank' not in dataset:
        raise SystemExit(f'{args.config}: the training dataset has no '
                         'text_bank (not a CrossGLG config?)')
    protocol = get_protocol(dataset.protocol)
    labels = protocol.subset_classes(
        dataset.get('subset', 'base'), dataset.get('num_base_classes'),
        dataset.get('base_classes'), dataset.get('holdout_dev', False))
    names = None
    if dataset.get('class_names') or protocol.class_names is not None:
        all_names = load_class_names(dataset.get('class_names'), protocol)
        names = {label: all_names[label] for label in labels}
    try:
        bank = load_class_text_bank(
            dataset.text_bank, labels, dataset.get('layout', 'ntu25'), names,
            source=args.config)
    except (EncoderUnavailableError, ValueError, FileNotFoundError) as err:
        raise SystemExit(f'prepare_text_bank.py: error: {err}') from None
    print(f'text bank ready: {bank.path}')


if __name__ == '__main__':
    main()
