"""Real-data benchmark: one-shot NW-UCLA on the CPU, InfoGCN vs CrossGLG.

Converts the NW-UCLA per-sequence JSON files (if the pickle is missing),
then trains the InfoGCN baseline and CrossGLG on the 5 base classes of the
development split for every seed (benchmarks/configs/*_nwucla_5base_cpu.py:
full InfoGCN width, one person, 32-frame clips, 15 epochs) and evaluates the
last checkpoints one-shot on the 5 novel classes (one exemplar each), with
benchmarks/oneshot_seeds.py.

    python benchmarks/nwucla_oneshot.py --src ../shared/data/nwucla/all_sqe \
        --seeds 0 1 2
"""
import argparse
import os.path as osp
import subprocess
import sys

from oneshot_seeds import ROOT
from oneshot_seeds import main as oneshot_seeds

CONFIGS = ('benchmarks/configs/infogcn_nwucla_5base_cpu.py',
           'benchmarks/configs/crossglg_nwucla_5base_cpu.py')
PICKLE = 'data/nwucla/nwucla_3d.pkl'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--src', required=True,
                        help='NW-UCLA all_sqe folder (per-sequence JSON)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-root', default='work_dirs/bench_nwucla')
    return parser.parse_args()


def main():
    args = parse_args()
    if not osp.exists(osp.join(ROOT, PICKLE)):
        subprocess.run([sys.executable, 'tools/data/nwucla_to_pickle.py',
                        args.src, PICKLE], cwd=ROOT, check=True)
    oneshot_seeds([*CONFIGS, '--seeds', *map(str, args.seeds),
                   '--work-root', args.work_root])


if __name__ == '__main__':
    main()
