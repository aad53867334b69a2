# NTU RGB+D 60 one-shot protocol of follow-up work (JEANIE, SkeletonX): the
# base classes are the first N of the 50 auxiliary classes; evaluation on the
# 10 novel classes A1, A7, ..., A55 against the exemplars
# S001C003P008R001A{001,007,...,055}. Input as for NTU RGB+D 120.
_base_ = './ntu120_oneshot_3d.py'

ann_file = 'data/skeleton/ntu60_3d.pkl'
protocol = 'ntu60'

train_dataloader = dict(dataset=dict(ann_file=ann_file, protocol=protocol))
val_dataloader = dict(dataset=dict(ann_file=ann_file, protocol=protocol))
test_dataloader = val_dataloader
