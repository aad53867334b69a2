"""Convert an MMAction2 skeleton pickle to ``.npz`` (or ``.json``).

    python tools/data/pickle_to_npz.py data/skeleton/ntu120_3d.pkl \
        data/skeleton/ntu120_3d.npz --layout ntu25 --num-classes 120

Unpickling runs code inside the file, so a pickle is trusted input. Convert
it once where it is trusted (e.g. where it was made); the ``.npz`` loads
without pickle (``OneShotPoseDataset(ann_file='....npz')``,
docs/security.md). The pickle is validated first (as by
``validate_pickle.py``); a file with errors is not converted.
"""
import argparse

from crossglg_mmaction.cli import exit_on_error
from crossglg_mmaction.datasets.converters import load_validated
from crossglg_mmaction.datasets.safe_annotations import (
    is_safe_annotation_file, save_skeleton_annotations)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('pickle', help='skeleton annotation pickle (trusted)')
    parser.add_argument('out_file', help='.npz or .json file to write')
    parser.add_argument('--layout', help='expected joint layout (e.g. '
                        'ntu25, kinect_v1_20, coco17, openpose18)')
    parser.add_argument('--num-classes', type=int)
    args = parser.parse_args(argv)
    if not is_safe_annotation_file(args.out_file):
        parser.error(f'out_file must end in .npz or .json, got '
                     f'{args.out_file!r}')
    with exit_on_error('pickle_to_npz.py'):
        data = load_validated(args.pickle, args.out_file, args.layout,
                              args.num_classes)
        save_skeleton_annotations(data, args.out_file)
    print(f'{len(data["annotations"])} samples: {args.pickle} -> '
          f'{args.out_file}')
    return args.out_file


if __name__ == '__main__':
    main()
