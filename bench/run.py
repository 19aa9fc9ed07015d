#!/usr/bin/env python3
"""hm's benchmarks: each measurement runs hm and its baseline side by side, interleaved,
in one run, and prints medians, the ratio, the goal (issues #5 and #12), the peak RSS of each (its own, not a parent's)
and, for the large trees, instructions counted by callgrind (stable on a shared machine).

    python3 bench/run.py [--runs N] [--files N] [--no-callgrind] [--copies 1,2,4,8,16] [--count-copies 16]

Needs nix (as the README's test command installs it) and a release build (made here).
Nix runs offline with nix/offline.conf, on a git-tracked copy of the examples and stand-ins.
With checkouts (paths from the environment, nothing is downloaded) it adds rows:
  HM_SRC=/path/to/home-manager  NIXPKGS_LIB=/path/to/nixpkgs-lib (holding lib/)
  REAL_HM=/path/to/real-hm (../shared/real-hm: the real module set on stub packages)
    - hm services vs `nix eval` of the real Home Manager module set (REAL_HM, HM_SRC, NIXPKGS_LIB)
    - hm check of Home Manager's own tree vs a bare parse of it (HM_SRC)
    - hm check of 1x, 2x, 4x, 8x and 16x copies of that tree (--copies): instructions per
      file and peak RSS, which should stay constant
statix, deadnix and nil get rows on the same trees when they are on PATH (or named by the
STATIX, DEADNIX and NIL variables); without them their rows are skipped with a message.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HM = os.path.join(REPO, "target", "release", "hm")


def run(argv, cwd=None, env=None, ok=(0,)):
    """Wall seconds of one run; fails loudly if the command fails."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        stderr = proc.stderr.decode(errors="replace")
        sys.exit(f"`{' '.join(argv[:6])} …` failed ({proc.returncode}):\n{stderr[-2000:]}")
    return elapsed


def peak_rss(argv, cwd=None, env=None, ok=(0,)):
    """Peak RSS (KiB) of the command itself, through /usr/bin/time: the rusage of a child
    forked from Python would count the Python process copied before `exec`."""
    if not os.access("/usr/bin/time", os.X_OK):
        return None
    with tempfile.NamedTemporaryFile(mode="r") as out:
        run(["/usr/bin/time", "-f", "%M", "-o", out.name, *argv], cwd, env, ok)
        return int(out.read().split()[-1])


def user_time(argv, cwd=None, env=None, ok=(0,)):
    """User CPU seconds of the command (all threads), through /usr/bin/time."""
    with tempfile.NamedTemporaryFile(mode="r") as out:
        run(["/usr/bin/time", "-f", "%U", "-o", out.name, *argv], cwd, env, ok)
        return float(out.read().split()[-1])


def instructions(argv, cwd=None, env=None):
    """Instructions counted by callgrind (all threads), or None without valgrind."""
    if not CALLGRIND:
        return None
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
                          cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    return int(found.group(1)) if found else None


CALLGRIND = bool(shutil.which("valgrind"))


def compare(name, ours, baseline, runs, goal, env, cwd=None, ok=(0,), count=False):
    """Runs both `runs` times, interleaved after one warm-up each; with `count`, also counts
    both commands' instructions once."""
    run(ours, cwd, env, ok)
    run(baseline, cwd, env, ok)
    a, b = [], []
    for _ in range(runs):
        a.append(run(ours, cwd, env, ok))
        b.append(run(baseline, cwd, env, ok))
    ma, mb = statistics.median(a), statistics.median(b)
    result = {"name": name, "hm": ma, "baseline": mb, "ratio": mb / ma, "goal": goal,
              "rss": peak_rss(ours, cwd, env, ok), "baseline_rss": peak_rss(baseline, cwd, env, ok),
              "instructions": None}
    if count:
        result["instructions"] = (instructions(ours, cwd, env), instructions(baseline, cwd, env))
    return result


def overhead(result):
    """Report hm's time as a multiple of the baseline's (lower is better)."""
    result["ratio"] = result["hm"] / result["baseline"]
    return result


def nix_files(tree):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs if f.endswith(".nix"))


def hm_tree(src, tmp, copies=1):
    """`copies` copies of Home Manager's checkout (side by side under one directory when more
    than one) with an entry that imports every Nix file lazily
    (`let all = [ (import ./f.nix) … ]; in { }`): hm reads, parses and checks them all."""
    tree = os.path.join(tmp, "home-manager" if copies == 1 else f"home-manager-x{copies}")
    for k in range(copies):
        dest = tree if copies == 1 else os.path.join(tree, str(k))
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".git"), symlinks=True)
    files = [os.path.relpath(f, tree) for f in nix_files(tree)]
    with open(os.path.join(tree, "hm-all.nix"), "w") as out:
        out.write("let\n  all = [\n")
        for f in files:
            if re.fullmatch(r"[A-Za-z0-9._/+-]+", f):
                out.write(f"    (import ./{f})\n")
        out.write("  ];\nin\n{ }\n")
    return tree, nix_files(tree)


def real_hm_eval(tmp, home):
    """argv of `nix eval` of `home`'s services with the real Home Manager module set, or
    None (with the reason printed) without the checkouts."""
    real, src, lib = (os.environ.get(v) for v in ("REAL_HM", "HM_SRC", "NIXPKGS_LIB"))
    if not (real and src and lib and os.path.isdir(real) and os.path.isdir(src)
            and os.path.isdir(os.path.join(lib, "lib"))):
        print("skipped: real Home Manager baseline (set REAL_HM, HM_SRC and NIXPKGS_LIB)")
        return None
    copy = os.path.join(tmp, "real-hm")
    shutil.copytree(real, copy)
    for d, dirs, fs in os.walk(copy):
        for n in dirs + fs:
            os.chmod(os.path.join(d, n), 0o755 if n in dirs else 0o644)
    os.symlink(os.path.join(os.path.abspath(lib), "lib"), os.path.join(copy, "fakenixpkgs", "lib"))
    expr = (f'import {copy}/eval-services.nix {{ hm = {os.path.abspath(src)}; '
            f'home = {home}; what = "names"; }}')
    return ["nix", "--extra-experimental-features", "nix-command", "eval", "--impure", "--json",
            "--expr", expr]


LINTERS = {
    "statix": lambda exe, files, tree: [exe, "check", tree],
    "deadnix": lambda exe, files, tree: [exe, tree],
    "nil": lambda exe, files, tree: [exe, "diagnostics", *files],
}


def linters(files, tree, runs, env, ours):
    """Rows for statix, deadnix and nil on `files` where they are installed: on PATH, or
    named by STATIX, DEADNIX and NIL."""
    rows = []
    for tool, argv in LINTERS.items():
        exe = os.environ.get(tool.upper()) or shutil.which(tool)
        if not exe or not os.access(exe, os.X_OK):
            print(f"skipped: {tool} (not on PATH; or set {tool.upper()}=/path/to/{tool})")
            continue
        rows.append(compare(f"  hm check vs {tool} (same tree)", ours, argv(exe, files, tree),
                            runs, (">=", 1), env, ok=(0, 1), count=True))
    return rows


def scaling(src, tmp, copies, counted_up_to, env):
    """hm check of 1×, 2×, … copies of Home Manager's tree: instructions per file (counted
    up to `counted_up_to` copies: callgrind takes about a minute per copy), user time and
    peak RSS should grow linearly. Prints its own table."""
    print(f"\nscaling: hm check of N copies of Home Manager's tree (callgrind, /usr/bin/time)")
    print(f"{'copies':>6}  {'files':>7}  {'MB':>6}  {'instructions':>14}  {'per file':>9}  "
          f"{'user':>7}  {'peak RSS':>10}  {'RSS / source':>12}")
    for n in copies:
        tree, files = hm_tree(src, os.path.join(tmp, "scaling"), n)
        size = sum(os.path.getsize(f) for f in files)
        check = [HM, "check", os.path.join(tree, "hm-all.nix")]
        user = min(user_time(check, env=env, ok=(0, 1)) for _ in range(3))
        rss = peak_rss(check, env=env, ok=(0, 1))
        count = instructions(check, env=env) if n <= counted_up_to else None
        counted = f"{count / 1e6:12.0f} M  {count / len(files) / 1e3:7.0f} K" if count else f"{'-':>14}  {'-':>9}"
        print(f"{n:>6}  {len(files):>7}  {size / 1e6:6.1f}  {counted}  {user:6.2f}s  "
              f"{rss / 1024:6.1f} MiB  {rss * 1024 / size:11.1f}x", flush=True)
        shutil.rmtree(tree)


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
    parser.add_argument("--no-callgrind", action="store_true", help="skip instruction counts")
    parser.add_argument("--copies", default="1,2,4,8,16",
                        help="copies of Home Manager's tree for the scaling table ('' skips it)")
    parser.add_argument("--count-copies", type=int, default=16,
                        help="count instructions up to this many copies (callgrind is slow)")
    args = parser.parse_args()
    global CALLGRIND
    CALLGRIND = CALLGRIND and not args.no_callgrind

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
        real = real_hm_eval(tmp, os.path.join(standalone, "home.nix"))
        if real:
            results.append(compare(
                "services: hm services vs nix eval, real Home Manager (standalone example)",
                [HM, "services", "--format", "json", standalone], real,
                args.runs, (">=", 100), env))

        # 2. A large tree: parse + model + all checks vs Nix's parser vs a bare parse.
        tree = os.path.join(tmp, "tree")
        subprocess.run([sys.executable, os.path.join(REPO, "bench", "generate.py"), tree, str(args.files)], check=True)
        files = nix_files(tree)
        size = sum(os.path.getsize(f) for f in files)
        check = [HM, "check", os.path.join(tree, "home.nix")]
        results.append(compare(
            f"tree ({len(files)} files, {size / 1e6:.1f} MB): hm check vs nix-instantiate --parse",
            check, ["nix-instantiate", "--parse", *files], args.runs, (">=", 3), env, count=True))
        results.append(overhead(compare(
            "tree: hm check vs bare parse (rnix + lowering, all cores)",
            check, [HM, "parse", *files], args.runs, ("<=", 2), env, count=True)))
        results.extend(linters(files, tree, args.runs, env, check))

        # 2b. Home Manager's own tree (HM_SRC): parse + model + all checks vs a bare parse.
        src = os.environ.get("HM_SRC")
        if src and os.path.isdir(src):
            hm_src, hm_files = hm_tree(src, tmp)
            size = sum(os.path.getsize(f) for f in hm_files)
            # A file the checkout itself lacks is reported: exit 1 is expected.
            check = [HM, "check", os.path.join(hm_src, "hm-all.nix")]
            results.append(overhead(compare(
                f"Home Manager ({len(hm_files)} files, {size / 1e6:.1f} MB): hm check vs bare parse",
                check, [HM, "parse", *hm_files], args.runs, ("<=", 1.15), env, ok=(0, 1),
                count=True)))
            results.append(compare(
                "Home Manager: hm check vs nix-instantiate --parse",
                check, ["nix-instantiate", "--parse", *hm_files], args.runs, (">=", 3), env,
                ok=(0, 1), count=True))
            results.extend(linters(hm_files, hm_src, args.runs, env, check))
        else:
            print("skipped: Home Manager's tree (set HM_SRC)")

        # 3. hm build against the nix build it runs (store warm after the first run).
        out = os.path.join(tmp, "result")
        results.append(overhead(compare(
            "build: hm build vs nix build (standalone example, warm store)",
            [HM, "build", "--flake", standalone, "--user", "alice", "--out-link", out],
            ["nix", *nix_flags, "build", "--json", "--out-link", out,
             f'{standalone}#homeConfigurations."alice".activationPackage'],
            args.runs, ("<=", 1.05), env)))

        report(results, args.runs)
        if src and os.path.isdir(src):
            scaling(src, tmp, [int(n) for n in args.copies.split(",") if n], args.count_copies, env)


def report(results, runs):
    print(f"\nmachine: {os.cpu_count()} cores, {platform()}; median of {runs} interleaved runs\n")
    width = max(len(r["name"]) for r in results)
    print(f"{'measurement':<{width}}  {'hm':>9}  {'baseline':>9}  {'ratio':>8}  goal       "
          f"peak RSS hm / baseline   instructions hm / baseline (callgrind)")
    for r in results:
        op, target = r["goal"]
        met = r["ratio"] >= target if op == ">=" else r["ratio"] <= target
        rss = (f"{r['rss'] / 1024:6.1f} / {r['baseline_rss'] / 1024:6.1f} MiB"
               if r["rss"] and r["baseline_rss"] else f"{'-':^20}")
        counted = ""
        if r["instructions"] and all(r["instructions"]):
            ours, theirs = r["instructions"]
            counted = f"{ours / 1e6:9.1f} M / {theirs / 1e6:9.1f} M = {ours / theirs:.3f}x"
        print(f"{r['name']:<{width}}  {r['hm'] * 1000:7.1f}ms  {r['baseline'] * 1000:7.1f}ms  "
              f"{r['ratio']:7.2f}x  {op} {target:<5} {'met' if met else 'NOT met':<8}{rss}     {counted}")


def platform():
    try:
        with open("/proc/cpuinfo") as f:
            model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        model = "unknown CPU"
    return f"{model}, nix {subprocess.run(['nix', '--version'], capture_output=True, text=True).stdout.strip()}"


if __name__ == "__main__":
    main()
