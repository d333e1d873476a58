"""Continue training a model that `ign export --format pytorch` wrote, with PyTorch DistributedDataParallel: the road
past one machine. Same objective and recipe as `ign train`, read from the export's sidecar (model.ign.json): the
losses and their weights, the tightness clamp and schedule, Adam's lr and betas, the learning-rate schedule
(continued from the model's step), the input noise and the Gaussian prior. It writes a state_dict and sidecar that
`ign evaluate`, `ign project`, `ign serve` ... take as --checkpoint.

  /usr/bin/python3 interop/pytorch/train_ddp.py --model ign-mnist.pt --out continued.pt --steps 300 --processes 2

One machine, P processes: gloo on CPU, nccl with --device cuda (one process per GPU). Several machines: run the same
command on each with --nodes N --node-rank R --master ADDR (the rank-0 machine's address, reachable on --port).
Each process takes batch / world-size images a step and its own noise; gradients are averaged over all processes.
BatchNorm normalises over each process's images (as ign train would at that batch) unless --sync-bn (GPUs only).
Adam starts fresh: a model export carries no optimizer state. (Debian's torchrun is broken under Python 3.11, so the
processes are started with torch.multiprocessing.spawn.)"""
import argparse
import datetime
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ign_pytorch as ign  # noqa: E402

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="state_dict written by ign export (.pt or .safetensors), sidecar beside it")
    p.add_argument("--out", required=True, help="state_dict to write (.pt or .safetensors), with its sidecar")
    p.add_argument("--steps", type=int, required=True, help="optimizer steps to train")
    p.add_argument("--batch", type=int, help="images per step over all processes (default: the recipe's)")
    p.add_argument("--processes", type=int, default=2, help="processes on this machine (GPUs with --device cuda)")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--nodes", type=int, default=1, help="machines taking part")
    p.add_argument("--node-rank", type=int, default=0, help="this machine's index, 0 .. nodes - 1")
    p.add_argument("--master", default="127.0.0.1", help="address of the node-rank-0 machine")
    p.add_argument("--port", type=int, default=29517)
    p.add_argument("--threads", type=int, default=0, help="torch threads per process (0: cores / processes)")
    p.add_argument("--sync-bn", action="store_true", help="BatchNorm statistics over all processes' images (GPUs)")
    p.add_argument("--save-every", type=int, default=100, help="write --out every N steps (and at the end)")
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--data", default=os.path.join(REPOSITORY, "data", "mnist", "train-images-idx3-ubyte.gz"),
                   help="training images, an IDX file (the repository's embedded MNIST by default)")
    args = p.parse_args()
    if not os.path.exists(args.model):
        p.error(f"{args.model}: file not found")
    if not os.path.exists(ign.sidecar_path(args.model)):
        p.error(f"{ign.sidecar_path(args.model)}: no sidecar (write the model with ign export --format pytorch)")
    if args.steps < 1 or args.processes < 1 or args.nodes < 1 or not 0 <= args.node_rank < args.nodes:
        p.error("--steps, --processes and --nodes must be positive, --node-rank below --nodes")
    if args.device == "cuda" and torch.cuda.device_count() < args.processes:
        p.error(f"--processes {args.processes} needs as many GPUs; this machine has {torch.cuda.device_count()}")
    return args


def main():
    args = arguments()
    sidecar = ign.read_sidecar(args.model)
    config = sidecar["header"]["config"]
    if config.get("conditional"):
        raise SystemExit("error: a class-conditional model: this script has no class draws; continue its training "
                         "with ign train --init-from MODEL.pt (ign_conditional.load gives the network for inference)")
    if config["dataset"] != "mnist" or config["prior"] != "gaussian":
        raise SystemExit(f"error: this script trains dcgan-mnist on MNIST with the Gaussian prior; the model's recipe "
                         f"has dataset {config['dataset']}, prior {config['prior']}")
    if config["objective"].get("lambdaMean", 0) > 0 or config.get("corruptedInZ", 0) > 0:
        raise SystemExit("error: --lambda-mean and --z-corrupted are not implemented here")
    world = args.nodes * args.processes
    batch = args.batch or config["batchSize"]
    if batch % world != 0:
        raise SystemExit(f"error: --batch {batch} must divide evenly over {world} processes")
    mp.spawn(worker, args=(args, sidecar, batch), nprocs=args.processes, join=True)


def worker(local_rank, args, sidecar, batch):
    rank = args.node_rank * args.processes + local_rank
    world = args.nodes * args.processes
    torch.set_num_threads(args.threads or max(1, (os.cpu_count() or 1) // args.processes))
    dist.init_process_group("nccl" if args.device == "cuda" else "gloo",
                            init_method=f"tcp://{args.master}:{args.port}", rank=rank, world_size=world)
    device = torch.device(f"cuda:{local_rank}" if args.device == "cuda" else "cpu")
    header, config = sidecar["header"], sidecar["header"]["config"]
    objective = config["objective"]
    torch.manual_seed(config["seed"] * 1000 + rank)

    f = ign.build_model(config, header["channels"])
    f.load_state_dict(ign.load_state(args.model), strict=True)
    if args.sync_bn:
        f = torch.nn.SyncBatchNorm.convert_sync_batchnorm(f)
    f.to(device).train()
    # f runs three times before one backward; broadcasting buffers before each run would overwrite, in place, running
    # statistics that BatchNorm's backward has saved. Each process keeps its own; rank 0's are written.
    model = torch.nn.parallel.DistributedDataParallel(
        f, device_ids=[local_rank] if args.device == "cuda" else None, broadcast_buffers=False)
    frozen = ign.frozen_copy(f)
    adam = torch.optim.Adam(f.parameters(), lr=config["learningRate"], betas=(config["beta1"], config["beta2"]),
                            eps=config.get("adamEpsilon", 1e-8))

    images = ign.images_from_bytes(ign.read_idx_images(args.data))          # (N, 1, 28, 28) in [-1, 1]
    local = batch // world
    steps_per_epoch = len(images) // batch
    total_steps = config["maxSteps"] or config["epochs"] * steps_per_epoch
    start = header["step"]
    order, epoch = None, -1
    clock = time.time()
    for i in range(args.steps):
        step = start + i
        if step // steps_per_epoch != epoch:                                 # the same shuffle on every process
            epoch = step // steps_per_epoch
            order = torch.randperm(len(images), generator=torch.Generator().manual_seed(config["seed"] * 7919 + epoch))
        first = (step % steps_per_epoch) * batch + rank * local
        x = images[order[first:first + local]].to(device)                    # (B/world, 1, 28, 28)
        if config["inputNoise"] > 0:
            x = (x + config["inputNoise"] * torch.randn_like(x)).clamp(-1, 1)
        z = torch.randn_like(x)                                              # the Gaussian prior
        frozen.load_state_dict(f.state_dict())
        for group in adam.param_groups:
            group["lr"] = ign.learning_rate_at(config, step, total_steps)
        losses = ign.ign_losses(model, frozen, x, z, objective, ign.tightness_scale_at(config, step))
        if not torch.isfinite(losses["total"]):
            raise SystemExit(f"error: step {step + 1}: the loss is not finite ({losses['total'].item()})")
        adam.zero_grad()
        losses["total"].backward()                                           # DDP averages the gradients here
        adam.step()
        if rank == 0 and ((i + 1) % args.log_every == 0 or i == 0):
            rate = (i + 1) * batch / (time.time() - clock)
            print(f"step {step + 1} ({i + 1}/{args.steps}) rec {losses['rec'].item():.4f} idem {losses['idem'].item():.4f}"
                  f" tight {losses['tight'].item():.4f} total {losses['total'].item():.3f}"
                  f" lr {adam.param_groups[0]['lr']:.2e} {rate:.1f} img/s", flush=True)
        if rank == 0 and ((i + 1) % args.save_every == 0 or i + 1 == args.steps):
            save(args, sidecar, f, step + 1, world, batch)
    dist.barrier()
    dist.destroy_process_group()


def save(args, sidecar, f, step, world, batch):
    """The state_dict in seed 002's names (SyncBatchNorm keeps them) and the sidecar at the new step, atomically."""
    state = {k: v.detach().cpu() for k, v in f.state_dict().items()}
    ign.save_state(args.out, state)
    header = dict(sidecar["header"], step=step, createdUtc=datetime.datetime.utcnow().isoformat() + "Z")
    history = sidecar.get("history", []) + [
        f"continued from step {sidecar['header']['step']} to {step} by interop/pytorch/train_ddp.py: {world} processes "
        f"({args.device}), batch {batch}, PyTorch {torch.__version__}"]
    ign.write_sidecar(args.out, dict(sidecar, header=header, history=history))


if __name__ == "__main__":
    main()
