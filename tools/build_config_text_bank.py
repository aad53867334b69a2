"""Build the text bank a config's training set uses, before training.

The training dataset (`TextAnnotatedDataset`) builds its bank on first use;
with a Hugging Face encoder that means running the model at start-up. This
tool builds the same bank (the same classes, encoder, description set and
cache folder as the config's `train_dataloader.dataset.text_bank`) ahead of
time, e.g. on a machine that can download DeBERTa, without the skeleton
data. `build_text_bank.py` instead builds the bank of every class of an
annotation file, with the encoder given on its command line.

    python tools/build_config_text_bank.py configs/crossglg_ntu120_20base.py
"""
import argparse

from mmengine.config import Config, DictAction

import crossglg_mmaction  # noqa: F401
from crossglg_mmaction.datasets.oneshot_plan import loader_dataset
from crossglg_mmaction.datasets.text_annotated_dataset import \
    load_dataset_text_bank
from crossglg_mmaction.text.encoders import EncoderUnavailableError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    dataset = loader_dataset(cfg, 'train_dataloader') or {}
    if 'text_bank' not in dataset:
        raise SystemExit(f'{args.config}: the training dataset has no '
                         'text_bank (not a CrossGLG config?)')
    try:
        bank = load_dataset_text_bank(dataset, source=args.config)
    except (EncoderUnavailableError, ValueError, FileNotFoundError) as err:
        raise SystemExit(f'build_config_text_bank.py: error: {err}') from None
    print(f'text bank ready: {bank.path}')
    return bank


if __name__ == '__main__':
    main()
