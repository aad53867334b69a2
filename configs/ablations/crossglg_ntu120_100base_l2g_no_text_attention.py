# Ablation: local-to-global only, without the text-text self-attention of
# Eq. 3 in the interaction blocks, NTU RGB+D 120, 100 base classes.
# Reproduces: paper Table 6, row without text-text interaction, 100 base
# classes: 55.9% top-1.
# Validation and checkpoint choice as in the main config (monitoring only,
# last checkpoint evaluated).
_base_ = './crossglg_ntu120_100base_l2g_only.py'

model = dict(cls_head=dict(guidance=dict(text_self_attention=False)))
