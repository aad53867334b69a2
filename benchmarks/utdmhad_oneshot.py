"""Real-data benchmark: one-shot UTD-MHAD on the CPU, InfoGCN vs CrossGLG.

Converts the UTD-MHAD skeleton .mat files (if the pickle is missing),
then trains, for every seed, the InfoGCN baseline, CrossGLG as the paper
writes it and CrossGLG-G (grounded, docs/method.md) on the 18 base classes of
the development split (benchmarks/configs/*_utdmhad_18base_cpu.py: full InfoGCN
width, one person, 32-frame clips, 15 epochs) and evaluates the last
checkpoints one-shot on the 9 novel classes (one exemplar each) with
benchmarks/oneshot_seeds.py: mean ± std and the paired differences with
InfoGCN. ``--configs`` picks other configs (the first is the reference).

    python benchmarks/utdmhad_oneshot.py --src ../shared/data/utdmhad/Skeleton \
        --seeds 0 1 2 3 4 --jobs 2
"""
from oneshot_seeds import real_data_main

CONFIGS = ('benchmarks/configs/infogcn_utdmhad_18base_cpu.py',
           'benchmarks/configs/crossglg_utdmhad_18base_cpu.py',
           'benchmarks/configs/crossglg_grounded_utdmhad_18base_cpu.py')
PICKLE = 'data/utdmhad/utdmhad_3d.pkl'

if __name__ == '__main__':
    real_data_main(__doc__, 'tools/data/utdmhad_to_pickle.py', PICKLE,
                   CONFIGS, 'work_dirs/bench_utdmhad',
                   'benchmarks/results/utdmhad')
