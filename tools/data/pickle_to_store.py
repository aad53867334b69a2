"""Convert an MMAction2 skeleton pickle to a memory-mapped ``.store``.

    python tools/data/pickle_to_store.py data/skeleton/ntu120_3d.pkl \
        data/skeleton/ntu120_3d.store --layout ntu25 --num-classes 120

Every process that builds a dataset from a pickle unpickles all of it; a
store keeps the keypoints in one ``.npy`` that ranks and dataloader workers
map and share (``OneShotPoseDataset(ann_file='....store')``, docs/data.md).
The pickle is validated first (as by ``validate_pickle.py``); a file with
errors is not converted.
"""
import argparse

from crossglg_mmaction.cli import exit_on_error
from crossglg_mmaction.datasets.converters import load_validated
from crossglg_mmaction.datasets.skeleton_store import (is_skeleton_store,
                                                       save_skeleton_store)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('pickle', help='skeleton annotation pickle (trusted)'
                        ' or .npz/.json')
    parser.add_argument('out_dir', help='.store folder to write')
    parser.add_argument('--layout', help='expected joint layout (e.g. '
                        'ntu25, kinect_v1_20, coco17, openpose18)')
    parser.add_argument('--num-classes', type=int)
    args = parser.parse_args(argv)
    if not is_skeleton_store(args.out_dir):
        parser.error(f'out_dir must end in .store, got {args.out_dir!r}')
    with exit_on_error('pickle_to_store.py'):
        data = load_validated(args.pickle, args.out_dir, args.layout,
                              args.num_classes)
        save_skeleton_store(data, args.out_dir)
    print(f'{len(data["annotations"])} samples: {args.pickle} -> '
          f'{args.out_dir}')
    return args.out_dir


if __name__ == '__main__':
    main()
