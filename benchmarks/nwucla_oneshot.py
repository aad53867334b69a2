"""Real-data benchmark: one-shot NW-UCLA on the CPU, InfoGCN vs CrossGLG.

Converts the NW-UCLA per-sequence JSON files (if the pickle is missing),
then trains, for every seed, the InfoGCN baseline, CrossGLG as the paper
writes it and CrossGLG-G (grounded, docs/method.md) on the 5 base classes of
the development split (benchmarks/configs/*_nwucla_5base_cpu.py: full InfoGCN
width, one person, 32-frame clips, 15 epochs) and evaluates the last
checkpoints one-shot on the 5 novel classes (one exemplar each) with
benchmarks/oneshot_seeds.py: mean ± std and the paired differences with
InfoGCN. ``--configs`` picks other configs (the first is the reference).

    python benchmarks/nwucla_oneshot.py --src ../shared/data/nwucla/all_sqe \
        --seeds 0 1 2 3 4 --jobs 2
"""
from oneshot_seeds import real_data_main

CONFIGS = ('benchmarks/configs/infogcn_nwucla_5base_cpu.py',
           'benchmarks/configs/crossglg_nwucla_5base_cpu.py',
           'benchmarks/configs/crossglg_grounded_nwucla_5base_cpu.py')
PICKLE = 'data/nwucla/nwucla_3d.pkl'

if __name__ == '__main__':
    real_data_main(__doc__, 'tools/data/nwucla_to_pickle.py', PICKLE,
                   CONFIGS, 'work_dirs/bench_nwucla',
                   'benchmarks/results/nwucla')
