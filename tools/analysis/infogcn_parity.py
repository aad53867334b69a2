"""Check our InfoGCN port against the official implementation.

Needs a checkout of https://github.com/stnoah1/infogcn (its code is not part
of this project). The official model is built with the NTU graph, its state
dict is mapped onto ``InfoGCN`` + ``InfoGCNHead``, both run in eval mode on
the same random input, and the maximum absolute differences of the logits
and of the latent ``z`` are printed::

    python tools/analysis/infogcn_parity.py --official-repo PATH/TO/infogcn
    python tools/analysis/infogcn_parity.py --official-repo PATH/TO/infogcn \
        --speed --batch 16   # also time both at the paper's input size

The official ``A_vector`` is float64 and only runs under AMP; it is cast to
float32 here. The official ``z_prior`` is not a parameter, so it is copied
separately. At initialisation InfoGCN's SA-GC batch norms have gamma = 1e-6,
which would hide any difference in the graph convolution, so all batch-norm
parameters and statistics and the shared topologies are randomised first.
"""
import argparse
import sys
import time

import torch

import crossglg_mmaction  # noqa: F401
from mmaction.registry import MODELS


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--official-repo', required=True,
                        help='checkout of stnoah1/infogcn')
    parser.add_argument('--num-classes', type=int, default=60)
    parser.add_argument('--k', type=int, default=1)
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--frames', type=int, default=64)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--speed', action='store_true',
                        help='also time training steps and inference')
    parser.add_argument('--steps', type=int, default=5)
    return parser.parse_args()


def samples_per_second(step, batch, steps):
    """Throughput of ``step()`` after two warm-up calls."""
    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return batch * steps / (time.perf_counter() - start)


def time_models(official, ours, x, steps):
    """Training-step and inference samples/s of both implementations."""
    runs = dict(official=(official, lambda: official(
        x.permute(0, 4, 2, 3, 1))[0]), ours=(ours, lambda: ours(x)))
    for name, (model, forward) in runs.items():
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-3,
                                    momentum=0.9)

        def train_step():
            optimizer.zero_grad()
            forward().sum().backward()
            optimizer.step()

        model.train()
        train = samples_per_second(train_step, len(x), steps)
        model.eval()
        with torch.no_grad():
            infer = samples_per_second(forward, len(x), steps)
        print(f'{name}: training {train:.2f} samples/s, inference '
              f'{infer:.2f} samples/s (batch {len(x)}, '
              f'{torch.get_num_threads()} threads)')


def build_official(repo, num_classes, k):
    sys.path.insert(0, repo)
    from model.infogcn import InfoGCN as OfficialInfoGCN
    model = OfficialInfoGCN(
        num_class=num_classes, num_point=25, num_person=2,
        graph='graph.ntu_rgb_d.Graph', k=k, noise_ratio=0.5, gain=3)
    model.A_vector = model.A_vector.float()
    return model


def randomise(model, generator):
    """Give BN layers and topologies values that make every path count."""
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if name.endswith(('.weight', 'running_var')) and tensor.dim() == 1:
                tensor.uniform_(0.5, 1.5, generator=generator)
            elif name.endswith(('.bias', 'running_mean')) and tensor.dim() == 1:
                tensor.normal_(0, 0.1, generator=generator)
            elif name.endswith('shared_topology'):
                tensor.add_(0.1 * torch.randn(tensor.shape,
                                              generator=generator))


def map_state_dict(official):
    """Official keys -> (backbone keys, head keys)."""
    backbone, head = {}, {}
    for key, value in official.state_dict().items():
        if key.split('.')[0] in ('fc', 'fc_mu', 'fc_logvar', 'decoder'):
            head[key] = value
        elif key[0] == 'l' and key[1].isdigit():
            block, rest = key.split('.', 1)
            backbone[f'blocks.{int(block[1:]) - 1}.{rest}'] = value
        else:
            backbone[key] = value
    for key in list(backbone):
        # EncodingBlock.residual is Sequential(conv, bn) in our port and a
        # UnitTCN with .conv/.bn officially.
        if '.residual.conv.' in key:
            backbone[key.replace('.residual.conv.', '.residual.0.')] = \
                backbone.pop(key)
        elif '.residual.bn.' in key:
            backbone[key.replace('.residual.bn.', '.residual.1.')] = \
                backbone.pop(key)
    return backbone, head


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    official = build_official(args.official_repo, args.num_classes, args.k)
    randomise(official, torch.Generator().manual_seed(args.seed))
    backbone = MODELS.build(dict(type='InfoGCN', k=args.k))
    head = MODELS.build(
        dict(type='InfoGCNHead', num_classes=args.num_classes,
             embedding='mu'))
    backbone_sd, head_sd = map_state_dict(official)
    backbone.load_state_dict(backbone_sd, strict=True)
    head_sd['z_prior'] = official.z_prior
    head.load_state_dict(head_sd, strict=True)

    count = sum(p.numel() for p in official.parameters())
    ours = sum(p.numel() for m in (backbone, head) for p in m.parameters())
    print(f'parameters: official {count:,}, ours {ours:,}')

    for module in (official, backbone, head):
        module.eval()
    x = torch.randn(args.batch, 2, args.frames, 25, 3)  # (N, M, T, V, C)
    with torch.no_grad():
        y_official, z_official = official(x.permute(0, 4, 2, 3, 1))
        latent = head.encode(backbone(x))
        y_ours = head.decoder(latent['z'])
    print(f'max |logits diff| = {(y_ours - y_official).abs().max():.3e} '
          f'(logits scale {y_official.abs().max():.3e})')
    print(f'max |z diff| = {(latent["z"] - z_official).abs().max():.3e}')
    if args.speed:
        time_models(official, torch.nn.Sequential(backbone, head), x,
                    args.steps)


if __name__ == '__main__':
    main()
