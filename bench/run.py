#!/usr/bin/env python3
"""hm's benchmarks: each measurement runs hm and its baseline side by side, interleaved,
in one run, and prints medians, the ratio, and the goal from issue #5.

    python3 bench/run.py [--runs N] [--files N]

Needs nix (as the README's test command installs it) and a release build (made here).
Nix runs offline with nix/offline.conf, on a git-tracked copy of the examples and stand-ins.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HM = os.path.join(REPO, "target", "release", "hm")


def run(argv, cwd=None, env=None):
    """Wall seconds and peak RSS (KiB) of one run; fails loudly if the command fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0,):
        sys.exit(f"`{' '.join(argv[:6])} …` failed ({code}):\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss


def compare(name, ours, baseline, runs, goal, env, cwd=None, lower_is_better_ratio=True):
    """Runs both `runs` times, interleaved after one warm-up each."""
    run(ours, cwd, env)
    run(baseline, cwd, env)
    a, b, mem = [], [], []
    for _ in range(runs):
        t, m = run(ours, cwd, env)
        a.append(t)
        mem.append(m)
        b.append(run(baseline, cwd, env)[0])
    ma, mb = statistics.median(a), statistics.median(b)
    return {"name": name, "hm": ma, "baseline": mb, "ratio": mb / ma, "goal": goal, "rss": max(mem)}


def workspace(tmp):
    for rel in ["nix", "examples"]:
        shutil.copytree(os.path.join(REPO, rel), os.path.join(tmp, rel),
                        ignore=shutil.ignore_patterns("flake.lock", "result"))
    subprocess.run(["git", "init", "-q"], cwd=tmp, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--files", type=int, default=3000)
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "hm"], cwd=REPO, check=True)
    env = dict(os.environ)
    with open(os.path.join(REPO, "nix", "offline.conf")) as f:
        env["NIX_CONFIG"] = f.read()
    nix_flags = ["--extra-experimental-features", "nix-command flakes"]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workspace(tmp)
        standalone = os.path.join(tmp, "examples", "standalone")
        nixos = os.path.join(tmp, "examples", "nixos")

        # 1. Static service list vs evaluating it.
        results.append(compare(
            "services: hm services vs nix eval (standalone example)",
            [HM, "services", "--format", "json", standalone],
            ["nix", *nix_flags, "eval", "--json", '.#homeConfigurations."alice".config.systemd.user.services',
             "--apply", "builtins.attrNames"],
            args.runs, (">=", 100), env, cwd=standalone))
        results.append(compare(
            "services: hm services vs nix eval (NixOS example)",
            [HM, "services", "--format", "json", nixos],
            ["nix", *nix_flags, "eval", "--json",
             ".#nixosConfigurations.laptop.config.home-manager.users.alice.systemd.user.services",
             "--apply", "builtins.attrNames"],
            args.runs, (">=", 100), env, cwd=nixos))

        # 2. A large tree: parse + model + all checks vs Nix's parser vs a bare parse.
        tree = os.path.join(tmp, "tree")
        subprocess.run([sys.executable, os.path.join(REPO, "bench", "generate.py"), tree, str(args.files)], check=True)
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs if f.endswith(".nix"))
        size = sum(os.path.getsize(f) for f in files)
        results.append(compare(
            f"tree ({len(files)} files, {size / 1e6:.1f} MB): hm check vs nix-instantiate --parse",
            [HM, "check", os.path.join(tree, "home.nix")],
            ["nix-instantiate", "--parse", *files],
            args.runs, (">=", 3), env))
        parse = compare(
            "tree: hm check vs bare parse (rnix + lowering, all cores)",
            [HM, "check", os.path.join(tree, "home.nix")],
            [HM, "parse", *files],
            args.runs, ("<=", 2), env)
        # Report the overhead as check time / parse time.
        parse["ratio"] = parse["hm"] / parse["baseline"]
        results.append(parse)

        # 3. hm build against the nix build it runs (store warm after the first run).
        out = os.path.join(tmp, "result")
        build = compare(
            "build: hm build vs nix build (standalone example, warm store)",
            [HM, "build", "--flake", standalone, "--user", "alice", "--out-link", out],
            ["nix", *nix_flags, "build", "--json", "--out-link", out,
             f'{standalone}#homeConfigurations."alice".activationPackage'],
            args.runs, ("<=", 1.05), env)
        build["ratio"] = build["hm"] / build["baseline"]
        results.append(build)

    print(f"\nmachine: {os.cpu_count()} cores, {platform()}; median of {args.runs} interleaved runs\n")
    width = max(len(r["name"]) for r in results)
    print(f"{'measurement':<{width}}  {'hm':>9}  {'baseline':>9}  {'ratio':>8}  goal       peak RSS of hm")
    for r in results:
        op, target = r["goal"]
        met = r["ratio"] >= target if op == ">=" else r["ratio"] <= target
        print(f"{r['name']:<{width}}  {r['hm'] * 1000:7.1f}ms  {r['baseline'] * 1000:7.1f}ms  "
              f"{r['ratio']:7.2f}x  {op} {target:<5} {'met' if met else 'NOT met':<8}{r['rss'] / 1024:6.1f} MiB")


def platform():
    try:
        with open("/proc/cpuinfo") as f:
            model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        model = "unknown CPU"
    return f"{model}, nix {subprocess.run(['nix', '--version'], capture_output=True, text=True).stdout.strip()}"


if __name__ == "__main__":
    main()
