# UTD-MHAD one-shot, the project's development split (docs/protocols.md):
# 18 base classes; novel classes a1, a4, ..., a25 (9) with the exemplar
# a{A}_s1_t1; dev classes a3, a9, a15, a24 (held out with holdout_dev=True).
# The converter reorders UTD's joints into kinect_v1_20, so the NW-UCLA
# pipeline applies unchanged: one person, 32-frame crops, random rotation.
# Data: tools/data/utdmhad_to_pickle.py (docs/data.md).
_base_ = './nwucla_oneshot_3d.py'

ann_file = 'data/utdmhad/utdmhad_3d.pkl'
protocol = 'utdmhad'

train_dataloader = dict(dataset=dict(ann_file=ann_file, protocol=protocol))
val_dataloader = dict(dataset=dict(ann_file=ann_file, protocol=protocol))
test_dataloader = val_dataloader
