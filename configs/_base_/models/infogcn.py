# InfoGCN baseline (Chi et al., CVPR 2022): the official NTU configuration
# (9 blocks, 3 heads, k=1 bone input, IB head with MMD 0.1 and latent norm
# 1e-4, label smoothing 0.1). num_classes is set by each config.
model = dict(
    type='RecognizerGCN',
    backbone=dict(type='InfoGCN', layout='ntu25', k=1, num_person=2),
    cls_head=dict(
        type='InfoGCNHead',
        num_classes=None,
        in_channels=256,
        latent_channels=256,
        noise_ratio=0.5,
        z_prior_gain=3,
        loss_mmd=dict(type='MMDLoss', loss_weight=0.1),
        loss_latent_norm=dict(type='LatentNormLoss', loss_weight=1e-4),
        label_smooth_eps=0.1))
