"""InfoGCN's information-bottleneck head in MMAction2's head interface."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from mmaction.evaluation import top_k_accuracy
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from ..checks import check_positive_ints
from ..precision import float32

EMBEDDINGS = ('hidden', 'mu')


def pool_persons_and_joints(x):
    """(N, M, C, T, V) -> (N, C): mean over time and joints, then persons."""
    n, m, c = x.shape[:3]
    return x.reshape(n, m, c, -1).mean(3).mean(1)


def gt_labels(data_samples, device):
    """The batch's class indices (N, )."""
    return torch.cat([s.gt_label for s in data_samples]).to(device)


def attach_embeddings(data_samples, embeddings):
    """Store one-shot embeddings, averaged over clips, in the data samples."""
    num_clips = embeddings.shape[0] // len(data_samples)
    embeddings = embeddings.view(len(data_samples), num_clips, -1).mean(1)
    embeddings = embeddings.detach().float()
    for data_sample, embedding in zip(data_samples, embeddings):
        data_sample.set_field(embedding, 'embedding')
    return data_samples


@MODELS.register_module()
class InfoGCNHead(BaseHead):
    """Information-bottleneck projector and classifier of InfoGCN.

    Pools the backbone features over time, joints and persons, then
    ``hidden = ReLU(fc(x))``, ``mu = fc_mu(hidden)``, ``logvar =
    fc_logvar(hidden)``; in training ``z = mu + eps * min(exp(noise_ratio *
    logvar), 100)``, at test ``z = mu``; the classifier ``decoder(z)`` gives
    the class scores. The class prior ``z_prior`` (orthogonal init) is a
    buffer, so it is saved in checkpoints (the official code loses it).

    Losses: cross-entropy (label smoothing 0.1 as in InfoGCN), the MMD loss
    between per-class latent means and ``z_prior`` and the latent-norm loss.
    ``predict`` also stores ``embedding`` in every data sample: ``hidden``
    (non-negative, as distribution calibration needs) or ``mu``.

    Optional parts take ``None`` for their default and ``False`` to switch
    them off (e.g. ``loss_mmd=False``).

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Backbone output channels. Defaults to 256.
        latent_channels (int): Width of hidden, mu and z. Defaults to 256.
        noise_ratio (float): Scale of log-variance in sampling.
            Defaults to 0.5 (InfoGCN's training default).
        z_prior_gain (float): Gain of the orthogonal prior. Defaults to 3.
        dropout (float): Dropout on ``hidden``. Defaults to 0.
        embedding (str): One-shot embedding, 'hidden' or 'mu'.
            Defaults to 'hidden'.
        loss_cls (dict): Classification loss. Defaults to
            ``dict(type='CrossEntropyLoss')``.
        loss_mmd (dict | bool, optional): MMD loss; False: none.
            Defaults to ``dict(type='MMDLoss', loss_weight=0.1)``.
        loss_latent_norm (dict | bool, optional): Latent-norm loss; False:
            none. Defaults to ``dict(type='LatentNormLoss',
            loss_weight=1e-4)``.
        label_smooth_eps (float): Label smoothing. Defaults to 0.1.
        average_clips (str): Clip averaging at test. Defaults to 'prob'.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
        **kwargs: Passed to :class:`BaseHead` (e.g. ``topk``).
    """

    def __init__(self,
                 num_classes,
                 in_channels=256,
                 latent_channels=256,
                 noise_ratio=0.5,
                 z_prior_gain=3.,
                 dropout=0.,
                 embedding='hidden',
                 loss_cls=None,
                 loss_mmd=None,
                 loss_latent_norm=None,
                 label_smooth_eps=0.1,
                 average_clips='prob',
                 init_cfg=None,
                 **kwargs):
        check_positive_ints(type(self).__name__, num_classes=num_classes,
                            in_channels=in_channels,
                            latent_channels=latent_channels)
        if loss_cls is None:
            loss_cls = dict(type='CrossEntropyLoss')
        super().__init__(
            num_classes,
            in_channels,
            loss_cls=loss_cls,
            label_smooth_eps=label_smooth_eps,
            average_clips=average_clips,
            init_cfg=init_cfg,
            **kwargs)
        if embedding not in EMBEDDINGS:
            raise ValueError(f'InfoGCNHead embedding must be one of '
                             f'{EMBEDDINGS}, got {embedding!r}')
        if loss_mmd is None:
            loss_mmd = dict(type='MMDLoss', loss_weight=0.1)
        if loss_latent_norm is None:
            loss_latent_norm = dict(type='LatentNormLoss', loss_weight=1e-4)
        self.noise_ratio = noise_ratio
        self.embedding = embedding
        self.fc = nn.Linear(in_channels, latent_channels)
        self.fc_mu = nn.Linear(latent_channels, latent_channels)
        self.fc_logvar = nn.Linear(latent_channels, latent_channels)
        self.decoder = nn.Linear(latent_channels, num_classes)
        self.dropout = nn.Dropout(dropout) if dropout else nn.Identity()
        self.loss_mmd = MODELS.build(loss_mmd) if loss_mmd else None
        self.loss_latent_norm = (
            MODELS.build(loss_latent_norm) if loss_latent_norm else None)
        self.register_buffer('z_prior',
                             torch.empty(num_classes, latent_channels))
        self._init_official(z_prior_gain)

    def _init_official(self, z_prior_gain):
        nn.init.orthogonal_(self.z_prior, gain=z_prior_gain)
        for fc in (self.fc, self.fc_mu, self.fc_logvar):
            nn.init.xavier_uniform_(
                fc.weight, gain=nn.init.calculate_gain('relu'))
        nn.init.normal_(self.decoder.weight, 0,
                        math.sqrt(2. / self.num_classes))

    def encode(self, x):
        """Backbone features (N, M, C, T, V) -> dict of hidden, mu, z
        (z in float32, also under autocast)."""
        hidden = self.dropout(F.relu(self.fc(pool_persons_and_joints(x))))
        mu = self.fc_mu(hidden)
        if not self.training:
            return dict(hidden=hidden, mu=mu, z=mu.float())
        logvar = self.fc_logvar(hidden)
        with float32(x):
            std = torch.clamp((logvar.float() * self.noise_ratio).exp(),
                              max=100)
            z = mu.float() + torch.randn_like(std) * std
        return dict(hidden=hidden, mu=mu, z=z)

    def classify(self, z):
        """Class scores of latents, in float32 (also under autocast)."""
        return self.decoder(z).float()

    def forward(self, x, **kwargs):
        """Class scores (N, num_classes) from backbone features."""
        return self.classify(self.encode(x)['z'])

    def targets(self, labels):
        """Class indices (N, ) -> cross-entropy targets, label-smoothed by
        ``label_smooth_eps`` (one-hot rows) when it is set."""
        if not self.label_smooth_eps:
            return labels
        one_hot = F.one_hot(labels, self.num_classes).float()
        return ((1 - self.label_smooth_eps) * one_hot +
                self.label_smooth_eps / self.num_classes)

    def loss(self, feats, data_samples, **kwargs):
        """Classification loss ``loss_cls``, top-k accuracies and the
        information-bottleneck terms."""
        z = self.encode(feats)['z']
        labels = gt_labels(data_samples, z.device)
        scores = self.classify(z)
        with float32(scores):
            losses = dict(
                loss_cls=self.loss_cls(scores, self.targets(labels)))
        topk = [k for k in self.topk if k <= self.num_classes]
        accuracies = top_k_accuracy(scores.detach().cpu().numpy(),
                                    labels.cpu().numpy(), topk)
        for k, accuracy in zip(topk, accuracies):
            losses[f'top{k}_acc'] = torch.tensor(accuracy, device=z.device)
        with float32(z):
            if self.loss_mmd is not None:
                losses['loss_mmd'] = self.loss_mmd(z, labels, self.z_prior)
            if self.loss_latent_norm is not None:
                losses['loss_latent_norm'] = self.loss_latent_norm(z)
        return losses

    def predict(self, feats, data_samples, **kwargs):
        """Class scores and the one-shot ``embedding`` per data sample."""
        latent = self.encode(feats)
        data_samples = self.predict_by_feat(
            self.classify(latent['z']), data_samples)
        return attach_embeddings(data_samples, latent[self.embedding])
