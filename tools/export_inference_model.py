"""Export the text-free inference model (skeleton branch) of a checkpoint.

    python tools/export_inference_model.py CONFIG CHECKPOINT OUT_FILE

Prints the parameter counts of the training and the inference model. The
file holds the inference model's config, which the tools build instead of
the config's model::

    python tools/test_oneshot.py CONFIG OUT_FILE
    python tools/visualize.py CONFIG OUT_FILE attention

For ``load_from`` in a config of one's own, set ``cls_head.guidance=False``.
"""
import argparse

from mmengine.config import Config

import crossglg_mmaction  # noqa: F401
from crossglg_mmaction.cli import exit_on_error
from crossglg_mmaction.models.export import export_inference_checkpoint


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('out_file')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with exit_on_error('export_inference_model.py'):
        counts = export_inference_checkpoint(
            Config.fromfile(args.config), args.checkpoint, args.out_file)
    print(f'training model:  {counts["training_parameters"]:,} parameters')
    print(f'inference model: {counts["inference_parameters"]:,} parameters '
          f'-> {args.out_file}')


if __name__ == '__main__':
    main()
