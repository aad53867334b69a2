# CrossGLG on InfoGCN for NTU RGB+D 60 one-shot (follow-up work's protocol:
# 10 novel classes A1, A7, ..., A55; base classes the first N of the other
# 50). NTU-60's classes are A1-A60 of the shipped NTU-120 annotations.
_base_ = './crossglg_ntu120.py'

ann_file = 'data/skeleton/ntu60_3d.pkl'
protocol = 'ntu60'
train_dataloader = dict(dataset=dict(ann_file=ann_file, protocol=protocol))
val_dataloader = dict(dataset=dict(ann_file=ann_file, protocol=protocol))
test_dataloader = val_dataloader
