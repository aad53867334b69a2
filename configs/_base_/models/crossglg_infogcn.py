# CrossGLG on InfoGCN (paper Sec. 3-4.1): JID after block N_pre=5, M=3
# interaction blocks, alpha_1=0.5 (calibration), alpha_2=0.2 (guidance
# branch), DeBERTa-V2-XLarge joint-text embeddings (1536-d).
text_channels = 1536
model = dict(
    type='CrossGLGRecognizer',
    backbone=dict(
        type='InfoGCN',
        layout='ntu25',
        k=1,
        num_person=2,
        importance=dict(after_block=5)),
    cls_head=dict(
        type='CrossGLGHead',
        num_classes=None,
        in_channels=256,
        latent_channels=256,
        noise_ratio=0.5,
        z_prior_gain=3,
        guidance=dict(
            type='CrossModalGuidance',
            text_channels=text_channels,
            common_channels=256,
            num_blocks=3,
            num_heads=8,
            text_self_attention=True),
        loss_c=dict(type='CrossEntropyLoss', loss_weight=0.2),
        loss_calibrate=dict(type='JointCalibrationLoss', loss_weight=0.5),
        loss_mmd=dict(type='MMDLoss', loss_weight=0.1),
        loss_latent_norm=dict(type='LatentNormLoss', loss_weight=1e-4),
        label_smooth_eps=0.1))
