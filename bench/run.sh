#!/usr/bin/env bash
# Benchmarks. Usage: bench/run.sh engine [sizes] | train [sizes] | parity | store | generate | save [1.5b|small] [shard bytes]
# (sizes: tiny,25m by default; engine also 0.5b)
#
# engine: the lm-engine against a PyTorch reference of the same architecture and shapes
# (bench/engine/reference.py), same thread count (THREADS, default: all cores):
#   sampling   = tokens/s sampling 16 prompts x 64 new tokens with the KV cache
#   train_step = tokens/s of a forward+backward step on 32 x 128 tokens
#   and, outside those two ratios: the float32 GEMM rate (2048^2 matmuls, engine's libtorch and PyTorch; the peak is
#   the better of the two), the 25m train step's FLOP rate (counted per matmul) over that peak = mfu_train, and a
#   random Qwen2.5-0.5B-shaped model (size 0.5b): prefill 1 x 128 tokens, decode 32 tokens at batch 1 and 16
# Prints a table, then last: engine-vs-pytorch sampling=<ratio> train_step=<ratio> mfu_train=<fraction>
#   prefill_0p5b_ratio=<ratio> decode_0p5b_b1_ratio=<ratio> decode_0p5b_b16_ratio=<ratio>
# where sampling and train_step are the engine's tokens/s over PyTorch's, geometric mean over tiny and 25m.
#
# save [1.5b|small] [max shard bytes]: saves a random model of Qwen2.5-1.5B's shape as a bfloat16 checkpoint (~3.1 GB,
# in $TMPDIR or /tmp; shards of 5 GB by default) in a JVM with -Xmx1g, the weights in native memory; prints the save
# time, bytes written and peak resident memory (VmHWM).
#
# train: optimizer steps through the engine's Trainer (objective, clipping, AdamW) against the same steps in
# PyTorch (bench/engine/train_reference.py), same thread count, median step after warm-up:
#   dpo_step = tokens/s of a DPO step on 16 pairs x 128 tokens (chosen and rejected rows both counted)
#   sft_step = tokens/s of an SFT step on 16 rows x 128 tokens
#   lora_dpo_step = the DPO step training LoRA adapters (rank 8, q_proj and v_proj) on the frozen base; engine only
# Prints a table, then last: train-vs-pytorch dpo_step=<ratio> sft_step=<ratio>
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
what="${1:-}"
sizes="${2:-}"
threads="${THREADS:-$(nproc)}"

ensure_pytorch() {
    if ! /usr/bin/python3 -c "import torch" 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
        echo "installing Debian's python3-torch and libopenblas0-pthread" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -q >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q python3-torch libopenblas0-pthread >&2
    fi
}

engine_classpath() {
    (cd "$root" && mvn -B -q -pl lm-engine -am install -DskipTests >&2)
    (cd "$root" && mvn -B -q -pl lm-engine dependency:build-classpath \
        -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath.txt" >&2)
    echo "$root/lm-engine/target/classes:$(cat "$work/classpath.txt")"
}

# run_versus <java program> <python reference> <summary label> <metric> <metric>: the engine half, then the
# PyTorch half on the configs the engine half wrote, paired into a table and a last summary line.
run_versus() {
    local program="$1" reference="$2" label="$3" metric1="$4" metric2="$5"
    ensure_pytorch
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    local cp
    cp="$(engine_classpath)"
    echo "threads=$threads sizes=$sizes (engine first, then the PyTorch reference on the same configs)" >&2
    java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
        -cp "$cp" \
        "$root/bench/engine/$program" "$threads" "$work" "$sizes" 2>/dev/null \
        | grep '^result' | sed 's/^result/engine/' >"$work/engine.txt"
    OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
        /usr/bin/python3 "$root/bench/engine/$reference" "$threads" "$work" "$sizes" \
        | grep '^result' | sed 's/^result/pytorch/' >"$work/pytorch.txt"
    # measurements with no PyTorch counterpart (train: lora_dpo_step) are listed first, engine only
    awk 'FNR == NR { paired[$2 " " $3] = 1; next } !(($2 " " $3) in paired) && $3 !~ /weight_mb|logit/ {
            printf "%-6s %-13s %14.1f tok/s (engine only)\n", $2, $3, $4 }' "$work/pytorch.txt" "$work/engine.txt"
    cat "$work/engine.txt" "$work/pytorch.txt" | awk -v label="$label" -v metrics="$metric1 $metric2" '
        { value[$1 " " $2 " " $3] = $4 }
        $3 == substr(metrics, 1, index(metrics, " ") - 1) && !($2 in seen) { seen[$2] = 1; order[n++] = $2 }
        END {
            printf "%-6s %-11s %14s %14s %7s\n", "config", "metric", "engine tok/s", "pytorch tok/s", "ratio"
            split(metrics, metric, " ")
            for (m = 1; m <= 2; m++) { logsum[m] = 0; count[m] = 0 }
            for (i = 0; i < n; i++) for (m = 1; m <= 2; m++) {
                e = value["engine " order[i] " " metric[m]]; p = value["pytorch " order[i] " " metric[m]]
                r = (p > 0) ? e / p : 0
                printf "%-6s %-11s %14.1f %14.1f %7.2f\n", order[i], metric[m], e, p, r
                if (r > 0) { logsum[m] += log(r); count[m]++ }
            }
            summary = sprintf("%s %s=%.2f %s=%.2f", label, \
                metric[1], count[1] ? exp(logsum[1] / count[1]) : 0, metric[2], count[2] ? exp(logsum[2] / count[2]) : 0)
            # engine only: peak GEMM rate, model FLOP utilisation of the 25m step, the Qwen2.5-0.5B-shaped model
            eg = value["engine machine gemm_gflops"]; pg = value["pytorch machine gemm_gflops"]
            if (eg > 0 || pg > 0) {
                peak = (eg > pg) ? eg : pg
                printf "%-6s %-11s %14.1f %14.1f   peak = the better: %.1f GFLOP/s\n", "fp32", "gemm_gflops", eg, pg, peak
                et = value["engine 25m train_gflops"]; pt = value["pytorch 25m train_gflops"]
                if (et > 0) {
                    printf "%-6s %-11s %14.1f %14.1f   mfu: engine %.3f, pytorch %.3f\n", "25m", "train_gflops", \
                        et, pt, et / peak, pt / peak
                    summary = summary sprintf(" mfu_train=%.3f", et / peak)
                }
            }
            split("prefill decode_b1 decode_b16 prefill_bf16 decode_b1_bf16 decode_b16_bf16", big, " ")
            split("prefill_0p5b_ratio decode_0p5b_b1_ratio decode_0p5b_b16_ratio prefill_0p5b_bf16_ratio decode_0p5b_b1_bf16_ratio decode_0p5b_b16_bf16_ratio", field, " ")
            for (m = 1; m <= 6; m++) {
                e = value["engine 0.5b " big[m]]; p = value["pytorch 0.5b " big[m]]
                if (e > 0 && p > 0) {
                    printf "%-6s %-11s %14.1f %14.1f %7.2f\n", "0.5b", big[m], e, p, e / p
                    summary = summary sprintf(" %s=%.2f", field[m], e / p)
                }
            }
            # engine only: bfloat16 products against the engine in float32 on the same checkpoint
            e32 = value["engine 0.5b decode_b1"]; e16 = value["engine 0.5b decode_b1_bf16"]
            if (e32 > 0 && e16 > 0) {
                d = value["engine 0.5b bf16_logit_max_diff"]; s = value["engine 0.5b logit_max_abs"]
                printf "%-6s %-11s engine bf16 / float32: prefill %.2f, decode b1 %.2f, b16 %.2f; weights %.0f MB -> %.0f MB; max |logit diff| %.4f of max |logit| %.3f\n", \
                    "0.5b", "bf16", value["engine 0.5b prefill_bf16"] / value["engine 0.5b prefill"], e16 / e32, \
                    value["engine 0.5b decode_b16_bf16"] / value["engine 0.5b decode_b16"], \
                    value["engine 0.5b weight_mb"], value["engine 0.5b weight_mb_bf16"], d, s
                summary = summary sprintf(" bf16_decode_b1_speedup=%.2f bf16_logit_max_diff=%.4f", e16 / e32, d)
            }
            print summary
        }'
}

# The store and generate benchmarks use TEST_DB_URL if set; else a PostgreSQL on 127.0.0.1:5432 if one
# answers (each run creates and drops its own database there); else embedded PostgreSQL.
use_local_postgres() {
    if [[ -z "${TEST_DB_URL:-}" ]] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
        export TEST_DB_URL="jdbc:postgresql://127.0.0.1:5432/postgres"
        export TEST_DB_USER="${TEST_DB_USER:-postgres}"
    fi
}

# Runs a benchmark main class from a module's test sources.
run_main() {
    local module="$1" main="$2"
    use_local_postgres
    (cd "$root" && ./mvnw -B -q -ntp -pl "$module" -am install -DskipTests)
    (cd "$root" && ./mvnw -B -q -ntp -pl "$module" exec:java -Dexec.mainClass="$main" \
        -Dexec.classpathScope=test -Dexec.cleanupDaemonThreads=false -Dai.djl.offline=true \
        -Dthreads="$threads")
}

run_parity() {
    ensure_pytorch
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    local cp
    cp="$(engine_classpath)"
    java -Dai.djl.offline=true -cp "$cp" "$root/bench/engine/ParityLogits.java" "$work/tiny" 2>/dev/null
    (cd "$root/bench/engine" && /usr/bin/python3 parity.py "$work/tiny")
}

run_save() {
    local size="$1" shard_bytes="${2:-5368709120}"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    local cp
    cp="$(engine_classpath)"
    java -Xmx1g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -cp "$cp" \
        "$root/bench/engine/SaveBench.java" "$work/checkpoint" "$size" "$shard_bytes" | grep -E '^(save|reload|memory) '
}

case "$what" in
    engine) sizes="${sizes:-tiny,25m,0.5b}"; run_versus EngineBench.java reference.py engine-vs-pytorch sampling train_step ;;
    train) sizes="${sizes:-tiny,25m}"; run_versus TrainBench.java train_reference.py train-vs-pytorch dpo_step sft_step ;;
    parity) run_parity ;;
    store) run_main store org.tsr.store.bench.StoreBenchmark ;;
    generate) run_main generator-service org.tsr.generator.bench.GenerateBenchmark ;;
    save) run_save "${2:-1.5b}" "${3:-}" ;;
    *)
        echo "usage: bench/run.sh engine [tiny,25m] | train [tiny,25m] | parity | store | generate | save [1.5b|small] [shard bytes]" >&2
        exit 2
        ;;
esac
