#!/usr/bin/env bash
# The one GPU check (issue 14), about 8 minutes on one GPU at most:
#   1. AMP training steps of InfoGCN and CrossGLG at the NTU configs' batch
#      (64 clips of 64 frames, 25 joints, 2 persons; random tensors):
#      samples/s and peak GPU memory (benchmarks/model_speed.py);
#   2. a 1-GPU `mim train mmaction configs/crossglg_synthetic.py --amp` of one
#      epoch (about 23 iterations) on a generated synthetic set;
#   3. the one-shot metric of its checkpoint on the novel classes
#      (tools/test_oneshot.py).
# Everything lands in $OUT (default work_dirs/gpu_check); summary.json and
# summary.md collect the numbers (benchmarks/gpu_check_summary.py).
#
#   benchmarks/gpu_check.sh          # on the GPU machine
#   benchmarks/gpu_check.sh --cpu    # dry run on the CPU at tiny sizes, no AMP
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-work_dirs/gpu_check}
PYTHON=${PYTHON:-python}
mkdir -p "$OUT"
: >"$OUT/times.tsv"

if [[ ${1:-} == --cpu ]]; then
  device=cpu amp=() workers=0 persistent=False
  speed=(--batch 2 --frames 16 --steps 1 --warmup 1)
  data=(--num-classes 5 --num-novel 2 --samples-per-class 6 --subjects 3
    --frames 24)
  base=2
  sizes=(model.backbone.base_channels=8 model.cls_head.in_channels=32
    model.cls_head.latent_channels=32 train_dataloader.batch_size=6)
else
  device=cuda amp=(--amp) workers=4 persistent=True
  speed=(--batch 64 --frames 64 --steps 10 --warmup 3)
  data=() base=12 sizes=()
fi

stage() { # stage NAME COMMAND...: run it, log its output, time it
  local name=$1 start=$SECONDS
  shift
  echo "==> $name: $*"
  "$@" >"$OUT/$name.log" 2>&1 || {
    tail -n 40 "$OUT/$name.log"
    echo "gpu_check: stage $name failed (log: $OUT/$name.log)" >&2
    exit 1
  }
  printf '%s\t%s\n' "$name" $((SECONDS - start)) >>"$OUT/times.tsv"
}

stage steps "$PYTHON" benchmarks/model_speed.py --models infogcn crossglg \
  --device "$device" "${amp[@]}" "${speed[@]}" --json "$OUT/steps.json"

syn=$OUT/synthetic
stage data "$PYTHON" tools/data/make_synthetic.py --out-dir "$syn" \
  --annotations "$syn/annotations.json" "${data[@]}"

options=()
for split in train val test; do
  options+=("${split}_dataloader.dataset.ann_file=$syn/synthetic_3d.pkl"
    "${split}_dataloader.dataset.protocol=$syn/protocol.json"
    "${split}_dataloader.dataset.class_names=$syn/classes.txt"
    "${split}_dataloader.num_workers=$workers"
    "${split}_dataloader.persistent_workers=$persistent")
done
text=train_dataloader.dataset.text_bank
options+=(train_dataloader.dataset.num_base_classes=$base
  model.cls_head.num_classes=$base "${sizes[@]}"
  # a text encoder that needs no model files (docs/text.md)
  "$text.annotations=$syn/annotations.json" "$text.cache_dir=$OUT/banks"
  "$text.encoder._delete_=True" "$text.encoder.type=tfidf_svd"
  "$text.encoder.dim=16" "$text.text_channels=16"
  model.cls_head.guidance.text_channels=16
  train_cfg.max_epochs=1 train_cfg.val_begin=1 train_cfg.val_interval=1
  default_hooks.logger.interval=5)
config=configs/crossglg_synthetic.py
stage train "$PYTHON" -m mim train mmaction "$config" --launcher none \
  "${amp[@]}" --work-dir "$OUT/train" --cfg-options "${options[@]}"

stage oneshot "$PYTHON" tools/test_oneshot.py "$config" \
  "$(cat "$OUT/train/last_checkpoint")" --work-dir "$OUT/oneshot" \
  --out-dir "$OUT/oneshot" --cfg-options "${options[@]}"

"$PYTHON" benchmarks/gpu_check_summary.py "$OUT" --device "$device"
